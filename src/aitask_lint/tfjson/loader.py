"""Read ``terraform show -json`` output for plans and states.

Accepts a path, raw bytes, or an already-parsed mapping, decides whether it
is a plan or a state the way the contracts say (``planned_values`` /
``configuration`` make a plan, ``values`` without them a state), refuses
format versions we do not understand, and validates the members we read
against the schemas in ``schemas/``. Every failure is an :class:`InputError`
that names the file, the line and column in the JSON text, and what is wrong.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aitask_lint.encodings import replace_lone_surrogates, wide_encoding
from aitask_lint.errors import InputError
from aitask_lint.jsonnum import decoder
from aitask_lint.jsonpos import (
    PositionIndex,
    escape_token,
    find_duplicate_key,
    line_column,
    locate,
    make_pointer,
    nesting_position,
)
from aitask_lint.limits import (
    JSON_BYTES_ENV,
    MAX_BLOCK_NESTING,
    MAX_MODULE_DEPTH,
    charge_json,
    check_json_containers,
    max_json_bytes,
    read_bounded,
    too_large,
)

DocumentKind = Literal["plan", "state"]
PriorStateMode = Literal["all", "data-only", "none"]

SUPPORTED_MAJOR = "1"
#: an expression object in a plan's configuration (anything else is a nested block)
_EXPRESSION_KEYS = frozenset({"references", "constant_value"})

JsonSource = str | os.PathLike[str] | bytes | bytearray | Mapping[str, Any]


@dataclass
class TerraformDocument:
    """One plan or state document, parsed, with where it came from."""

    kind: DocumentKind
    data: dict[str, Any]
    path: str
    format_version: str
    _text: str | None = field(default=None, repr=False)
    _positions: PositionIndex | None = field(default=None, repr=False)
    #: where the top-level object and each of its members' values start, from the load
    _members: tuple[int, dict[str, int]] | None = field(default=None, repr=False)
    _length: int = field(default=-1, repr=False)
    #: a regular file's (device, inode, size, mtime): its text may be read again
    _identity: tuple[int, int, int, int] | None = field(default=None, repr=False)

    def text(self) -> str | None:
        """The JSON text the document was parsed from, or None when it is not known.

        A regular file's text is not kept (a 50 MB plan need not live beside
        its parsed data): it is read again when a position is first asked
        for, and only if the file is still the one that was read (device,
        inode, size and modification time), so a finding never points into
        other text. Any other input (standard input, a FIFO, ``<(...)``'s
        ``/dev/fd/N``) cannot be read twice, and its text is kept from the
        one read.
        """
        if self._text is None and self._identity is not None:
            self._text = _reread(self.path, self._identity)
            if self._text is None:
                self._identity = None  # changed or gone: do not try again
        return self._text

    def position(self, pointer: str) -> tuple[int, int] | None:
        """Line and column of the JSON value at ``pointer``, when the text is known."""
        if self._positions is None:
            text = self.text()
            if text is None:
                return None
            known = self._members if len(text) == self._length else None  # the same text
            self._positions = PositionIndex(text, known)
        return self._positions.locate(pointer)

    def root_modules(self, prior_state: PriorStateMode = "all") -> list[dict[str, Any]]:
        """The modules ``ConvertState`` receives for this document.

        State: ``[values.root_module]``. Plan: ``[planned_values.root_module]``
        followed by the prior state's root module, as Coder's own tests and
        goldens pass them (``prior_state="all"``), or filtered to data
        sources as production's ``planModules`` does (``"data-only"``).
        """
        check_prior_state(prior_state)
        if self.kind == "state":
            values = self.data.get("values") or {}
            root = values.get("root_module")
            return [root] if isinstance(root, dict) else []
        modules: list[dict[str, Any]] = []
        planned = (self.data.get("planned_values") or {}).get("root_module")
        if isinstance(planned, dict):
            modules.append(planned)
        prior = ((self.data.get("prior_state") or {}).get("values") or {}).get("root_module")
        if isinstance(prior, dict) and prior_state != "none":
            modules.append(prior if prior_state == "all" else only_data_resources(prior))
        return modules

    @property
    def configuration(self) -> dict[str, Any] | None:
        config = self.data.get("configuration")
        return config if isinstance(config, dict) else None


def only_data_resources(module: Mapping[str, Any]) -> dict[str, Any]:
    """Coder's ``onlyDataResources``: keep data sources, keep the module tree."""
    filtered: dict[str, Any] = {k: v for k, v in module.items() if k not in ("resources",)}
    filtered["resources"] = [
        resource for resource in module.get("resources") or [] if resource.get("mode") == "data"
    ]
    filtered["child_modules"] = [
        only_data_resources(child) for child in module.get("child_modules") or []
    ]
    return filtered


def load_terraform_json(source: JsonSource, *, name: str | None = None) -> TerraformDocument:
    """Load a plan or state document from a path, bytes, or a parsed mapping.

    A ``str`` is always a path: JSON text passed as one is refused with a
    typed error instead of "no such file" naming the whole document.
    """
    _check_source(source)
    text: str | None = None
    members: tuple[int, dict[str, int]] | None = None
    identity: tuple[int, int, int, int] | None = None
    if isinstance(source, Mapping):
        path = name or "<data>"
        data: Any = dict(source)
    else:
        if isinstance(source, bytes | bytearray):
            path = name or "<bytes>"
            raw = bytes(source)
            if len(raw) > max_json_bytes():
                raise too_large(path, max_json_bytes(), JSON_BYTES_ENV, len(raw))
        else:
            path = name or os.fspath(source)
            raw, identity = _read_bytes(path)
        charge_json(path, len(raw))  # the run's total (aitask_lint.limits.source_budget)
        text = _decode(raw, path)
        del raw  # a plan can be 50 MB: the bytes need not live beside the text and the data
        check_json_containers(text, path)
        data, members = _parse(text, path)
    document = _build(data, path, text)
    document._members = members
    if text is not None:
        document._length = len(text)
    if identity is not None:
        document._text = None  # a regular file: read again if a position is ever asked for
        document._identity = identity
    return document


def _check_source(source: object) -> None:
    from aitask_lint.errors import InvalidArgumentError, InvalidArgumentTypeError

    if not isinstance(source, str | os.PathLike | bytes | bytearray | Mapping):
        raise InvalidArgumentTypeError(
            "load_terraform_json() takes a path, bytes or a parsed mapping, "
            f"not {type(source).__name__}"
        )
    if isinstance(source, str) and source.lstrip()[:1] in ("{", "[") and not os.path.exists(source):
        raise InvalidArgumentError(
            "load_terraform_json() got JSON text where a path belongs: pass the bytes "
            "(text.encode()) or the parsed document (json.loads(text))"
        )


def check_prior_state(prior_state: object) -> None:
    """``prior_state`` must be one of Coder's modes; anything else is a typed error."""
    if prior_state not in ("all", "data-only", "none"):
        from aitask_lint.errors import InvalidArgumentError

        raise InvalidArgumentError(
            f"prior_state must be 'all', 'data-only' or 'none', not {prior_state!r}"
        )


def read_stdin() -> bytes:
    """Standard input (``-``), read up to the JSON size limit and no further."""
    import sys

    return read_bounded(sys.stdin.buffer, "<stdin>", max_json_bytes(), JSON_BYTES_ENV)


def _read_bytes(path: str) -> tuple[bytes, tuple[int, int, int, int] | None]:
    """The file's bytes, read once and bounded, and its identity when it is a regular file.

    Opened blocking, unlike files found in a directory: a path given
    explicitly may be a FIFO or ``<(terraform show -json plan)``, whose
    writer is expected.
    """
    try:
        with open(path, "rb") as handle:
            status = os.fstat(handle.fileno())
            raw = read_bounded(handle, path, max_json_bytes(), JSON_BYTES_ENV)
    except IsADirectoryError:
        raise InputError(path, "is a directory, expected a Terraform JSON file") from None
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, f"cannot read file: {error.strerror or error}") from None
    if not stat.S_ISREG(status.st_mode):
        return raw, None
    return raw, _file_identity(status)


def _file_identity(status: os.stat_result) -> tuple[int, int, int, int]:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _reread(path: str, identity: tuple[int, int, int, int]) -> str | None:
    """The text of ``path`` if it is still the regular file first read, else None.

    Opened without blocking and checked before reading: a FIFO or device
    swapped in under the same name is never waited on or read.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode) or _file_identity(status) != identity:
                return None
            raw = handle.read(identity[2] + 1)
        except OSError:
            return None
    if len(raw) != identity[2]:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _decode(raw: bytes, path: str) -> str:
    encoding = wide_encoding(raw)
    if encoding is not None:
        # Windows PowerShell 5's `>` writes UTF-16; Terraform and Coder read UTF-8 only.
        raise InputError(
            path,
            f"{encoding} text, expected UTF-8 (Windows PowerShell's `>` writes UTF-16; "
            "use `terraform show -json plan | Out-File -Encoding utf8 plan.json`)",
            1,
            1,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8-sig", errors="replace")
        line, column = line_column(prefix, len(prefix))
        raise InputError(
            path, f"invalid UTF-8 (byte 0x{raw[error.start]:02x})", line, column
        ) from None


#: nesting reported when Python's JSON decoder gives up (it stops at the
#: interpreter's recursion limit, about 990 levels less the caller's depth)
JSON_NESTING_REPORTED = 900


def _parse(text: str, path: str) -> tuple[Any, tuple[int, dict[str, int]] | None]:
    if not text.strip():
        raise InputError(path, "empty file, expected a Terraform JSON document", 1, 1)
    duplicated = False

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicated
        members = dict(pairs)
        if len(members) != len(pairs):
            duplicated = True
        return members

    try:
        data, members = _decode_top_level(text, decoder(object_pairs_hook=unique))
    except json.JSONDecodeError as error:
        raise InputError(path, f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        # Raised by the decoder itself, not a crash: say where the nesting goes too deep.
        offset = nesting_position(text, JSON_NESTING_REPORTED)
        levels = f"more than {JSON_NESTING_REPORTED} levels" if offset else "too many levels"
        raise InputError(
            path,
            f"invalid JSON: nested too deeply ({levels} of arrays and objects; see docs/limits.md)",
            *line_column(text, offset),
        ) from None
    if duplicated:
        raise _duplicate_key(text, path)
    if _SURROGATE_ESCAPE.search(text):
        data = replace_lone_surrogates(data)
    return data, members


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _after_space(text: str, index: int) -> int:
    """The first offset at or after ``index`` that is not JSON whitespace."""
    match = _JSON_SPACE.match(text, index)
    return match.end() if match else index


def _decode_top_level(
    text: str, decoder: json.JSONDecoder
) -> tuple[Any, tuple[int, dict[str, int]] | None]:
    """The document, and where each top-level member's value starts in the text.

    Decoding the top-level object member by member costs nothing extra (each
    value is decoded by the C decoder once, as ``json.loads`` would) and
    records their offsets: a finding in ``configuration`` is then located
    without skipping the 40 MB of ``planned_values`` and ``resource_changes``
    before it. Anything unusual is left to ``decoder.decode``, whose error
    messages and positions are the ones users see.
    """
    index = _after_space(text, 0)
    if not text.startswith("{", index):
        return decoder.decode(text), None
    start = index
    pairs: list[tuple[str, Any]] = []
    offsets: dict[str, int] = {}
    index = _after_space(text, index + 1)
    if text.startswith("}", index):
        index += 1
    else:
        while True:
            if not text.startswith('"', index):
                return decoder.decode(text), None
            key, index = decoder.raw_decode(text, index)
            index = _after_space(text, index)
            if not text.startswith(":", index):
                return decoder.decode(text), None
            index = _after_space(text, index + 1)
            value, end = decoder.raw_decode(text, index)
            pairs.append((key, value))
            offsets.setdefault(key, index)
            index = _after_space(text, end)
            if text.startswith(",", index):
                index = _after_space(text, index + 1)
                continue
            if text.startswith("}", index):
                index += 1
                break
            return decoder.decode(text), None
    if _after_space(text, index) != len(text):
        return decoder.decode(text), None  # "Extra data", said the standard way
    hook = decoder.object_pairs_hook
    assert hook is not None
    return hook(pairs), (start, offsets)


#: a ``\\uD800``-``\\uDFFF`` escape: the only way JSON text yields a lone surrogate
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _duplicate_key(text: str, path: str) -> InputError:
    """A key set twice in one object: Go (Terraform, Coder) and Python keep the last value.

    ``terraform show -json`` never writes one, so the file was edited or
    generated by something else, and the value silently dropped may be the
    one that matters. Refused, naming the key and both places.
    """
    found = find_duplicate_key(text)
    if found is None:  # pragma: no cover - the decoder saw one, so the scan does too
        return InputError(path, "duplicate key in a JSON object", 1, 1)
    offset, key, first = found
    line, column = line_column(text, offset)
    first_line, first_column = line_column(text, first)
    return InputError(
        path,
        f"duplicate key {json.dumps(key)} in a JSON object (first at line {first_line}, "
        f"column {first_column}): which value counts is ambiguous, and "
        "`terraform show -json` never writes duplicate keys",
        line,
        column,
    )


def _fail(path: str, text: str | None, pointer: str, message: str) -> InputError:
    if text is not None:
        line, column = locate(text, pointer)
        return InputError(path, message, line, column, pointer=pointer)
    return InputError(path, f"{message} (at {pointer or '/'})", pointer=pointer)


#: go-version's syntax, reduced to what can follow the numbers; no two repetitions
#: can match the same characters, so it runs in linear time on any string
_FORMAT_VERSION = re.compile(r"v?[0-9]+(?:\.[0-9]+)*+(?:-[0-9A-Za-z.~-]+)?(?:\+[0-9A-Za-z.~-]+)?")


def _build(data: Any, path: str, text: str | None) -> TerraformDocument:
    if not isinstance(data, dict):
        raise _fail(path, text, "", "not a Terraform JSON document: expected an object")
    version = data.get("format_version")
    if "format_version" in data and not isinstance(version, str):
        raise _fail(
            path,
            text,
            "/format_version",
            f'"format_version" must be a string such as "1.2", not {json.dumps(version)}',
        )
    if not isinstance(version, str):
        raise _fail(
            path,
            text,
            "",
            'not a Terraform JSON document: no "format_version" '
            "(expected output of `terraform show -json`)",
        )
    if _FORMAT_VERSION.fullmatch(version) is None:
        # terraform-json (what Coder reads plans with) parses it with go-version,
        # whose pattern is anchored at the very end: "1.0\n" is "Malformed version"
        raise _fail(
            path,
            text,
            "/format_version",
            f"invalid format_version {version[:40]!r}: Malformed version "
            '(expected a version number such as "1.2")',
        )
    if version.split(".", 1)[0] != SUPPORTED_MAJOR:
        raise _fail(
            path,
            text,
            "/format_version",
            f"unsupported format_version {version!r}: aitask-lint reads Terraform JSON "
            f"format {SUPPORTED_MAJOR}.x",
        )
    kind: DocumentKind
    if "planned_values" in data or "configuration" in data or "resource_changes" in data:
        kind = "plan"
    elif "values" in data:
        kind = "state"
    else:
        raise _fail(
            path,
            text,
            "",
            'not a Terraform plan or state: expected "planned_values" (plan) or "values" (state)',
        )
    too_deep = _nesting_violation(data, kind)
    if too_deep is not None:
        pointer, problem = too_deep
        raise _fail(path, text, pointer, f"{problem} (aitask-lint's limit; see docs/limits.md)")
    from aitask_lint.tfjson.validate import PLAN_SCHEMA, STATE_SCHEMA, first_violation

    violation = first_violation(data, PLAN_SCHEMA if kind == "plan" else STATE_SCHEMA)
    if violation is not None:
        pointer, message = violation
        raise _fail(path, text, pointer, f"invalid Terraform {kind} JSON at {pointer}: {message}")
    if kind == "plan" and data.get("errored") is True:
        raise _fail(
            path,
            text,
            "/errored",
            "the plan is errored (Terraform stopped with errors while planning); "
            "fix the plan before converting it",
        )
    return TerraformDocument(kind=kind, data=data, path=path, format_version=version, _text=text)


def _nesting_violation(data: dict[str, Any], kind: DocumentKind) -> tuple[str, str] | None:
    """Where the module tree, or a resource's nested blocks, nest too deeply, and how.

    Checked before the schema validation and everything else that walks these
    recursively (converting, deriving the graph, loading the configuration),
    so a hostile document gets a message with a position, never a
    RecursionError; the HCL loader applies the same module limit.
    """
    from aitask_lint.tfjson.validate import PLAN_SCHEMA, STATE_SCHEMA, module_tree

    for module, path, definition, depth in module_tree(
        data, PLAN_SCHEMA if kind == "plan" else STATE_SCHEMA
    ):
        if depth > MAX_MODULE_DEPTH:
            return make_pointer(path), f"module nesting deeper than {MAX_MODULE_DEPTH} levels"
        if definition != "#/$defs/config_module":
            continue
        pointer = make_pointer(path)
        for group in ("resources", "module_calls"):
            items = module.get(group)
            pairs = (
                enumerate(items)
                if isinstance(items, list)
                else items.items()
                if isinstance(items, Mapping)
                else ()
            )
            for key, item in pairs:
                if isinstance(item, Mapping):
                    where = f"{pointer}/{group}/{escape_token(key)}/expressions"
                    found = _block_nesting_violation(item.get("expressions"), where)
                    if found is not None:
                        return found, f"nested blocks deeper than {MAX_BLOCK_NESTING} levels"
    providers = _member(data, "configuration", "provider_config")
    for key, provider in providers.items() if isinstance(providers, Mapping) else ():
        if isinstance(provider, Mapping):
            where = f"/configuration/provider_config/{escape_token(key)}/expressions"
            found = _block_nesting_violation(provider.get("expressions"), where)
            if found is not None:
                return found, f"nested blocks deeper than {MAX_BLOCK_NESTING} levels"
    return None


def _member(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _block_nesting_violation(expressions: Any, pointer: str) -> str | None:
    """The pointer of a nested block deeper than :data:`MAX_BLOCK_NESTING`, walked as
    :mod:`aitask_lint.model.from_plan` reads blocks (lists of objects, or objects that
    are not expressions)."""
    stack = [(expressions, pointer, 0)]
    while stack:
        body, where, depth = stack.pop()
        if not isinstance(body, Mapping):
            continue
        if depth > MAX_BLOCK_NESTING:
            return where
        for name, value in body.items():  # most values are expressions: no pointer made
            if isinstance(value, list):
                inner = f"{where}/{escape_token(name)}"
                stack.extend((item, f"{inner}/{i}", depth + 1) for i, item in enumerate(value))
            elif isinstance(value, Mapping) and not value.keys() <= _EXPRESSION_KEYS:
                stack.append((value, f"{where}/{escape_token(name)}", depth + 1))
    return None


def iter_instances(module: Mapping[str, Any], pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every resource instance of a values module, with its JSON Pointer, depth-first."""
    for position, resource in enumerate(module.get("resources") or []):
        if isinstance(resource, dict):
            yield f"{pointer}/resources/{position}", resource
    for position, child in enumerate(module.get("child_modules") or []):
        if isinstance(child, Mapping):
            yield from iter_instances(child, f"{pointer}/child_modules/{position}")


def value_instances(document: TerraformDocument) -> Iterator[tuple[str, dict[str, Any]]]:
    """The instances Coder reads: a plan's planned values, or a state's values."""
    if document.kind == "plan":
        root = (document.data.get("planned_values") or {}).get("root_module")
        if isinstance(root, Mapping):
            yield from iter_instances(root, "/planned_values/root_module")
    else:
        root = (document.data.get("values") or {}).get("root_module")
        if isinstance(root, Mapping):
            yield from iter_instances(root, "/values/root_module")
