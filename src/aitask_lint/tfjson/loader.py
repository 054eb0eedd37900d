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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from aitask_lint.errors import InputError
from aitask_lint.jsonpos import line_column, locate

DocumentKind = Literal["plan", "state"]
PriorStateMode = Literal["all", "data-only", "none"]

SUPPORTED_MAJOR = "1"

JsonSource = str | os.PathLike[str] | bytes | bytearray | Mapping[str, Any]


@dataclass
class TerraformDocument:
    """One plan or state document, parsed, with where it came from."""

    kind: DocumentKind
    data: dict[str, Any]
    path: str
    format_version: str
    _text: str | None = field(default=None, repr=False)

    @property
    def terraform_version(self) -> str:
        return str(self.data.get("terraform_version") or "")

    def text(self) -> str | None:
        """The JSON text, re-read on demand so big documents are not kept twice."""
        if self._text is None and self.path not in ("<data>", "<bytes>", "-", "<stdin>"):
            try:
                self._text = Path(self.path).read_text(encoding="utf-8-sig")
            except OSError:
                return None
        return self._text

    def position(self, pointer: str) -> tuple[int, int] | None:
        """Line and column of the JSON value at ``pointer``, when the text is known."""
        text = self.text()
        return locate(text, pointer) if text is not None else None

    def root_modules(self, prior_state: PriorStateMode = "all") -> list[dict[str, Any]]:
        """The modules ``ConvertState`` receives for this document.

        State: ``[values.root_module]``. Plan: ``[planned_values.root_module]``
        followed by the prior state's root module, as Coder's own tests and
        goldens pass them (``prior_state="all"``), or filtered to data
        sources as production's ``planModules`` does (``"data-only"``).
        """
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
    """Load a plan or state document from a path, bytes, or a parsed mapping."""
    text: str | None = None
    if isinstance(source, Mapping):
        path = name or "<data>"
        data: Any = dict(source)
    else:
        if isinstance(source, bytes | bytearray):
            path = name or "<bytes>"
            raw = bytes(source)
        else:
            path = name or os.fspath(source)
            raw = _read_bytes(path)
        text = _decode(raw, path)
        data = _parse(text, path)
    return _build(data, path, text)


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except IsADirectoryError:
        raise InputError(path, "is a directory, expected a Terraform JSON file") from None
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, f"cannot read file: {error.strerror or error}") from None


def _decode(raw: bytes, path: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8-sig", errors="replace")
        line, column = line_column(prefix, len(prefix))
        raise InputError(
            path, f"invalid UTF-8 (byte 0x{raw[error.start]:02x})", line, column
        ) from None


def _parse(text: str, path: str) -> Any:
    if not text.strip():
        raise InputError(path, "empty file, expected a Terraform JSON document", 1, 1)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(path, f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        raise InputError(path, "invalid JSON: nested too deeply", 1, 1) from None


def _fail(path: str, text: str | None, pointer: str, message: str) -> InputError:
    if text is not None:
        line, column = locate(text, pointer)
        return InputError(path, message, line, column, pointer=pointer)
    return InputError(path, f"{message} (at {pointer or '/'})", pointer=pointer)


def _build(data: Any, path: str, text: str | None) -> TerraformDocument:
    if not isinstance(data, dict):
        raise _fail(path, text, "", "not a Terraform JSON document: expected an object")
    version = data.get("format_version")
    if not isinstance(version, str):
        raise _fail(
            path,
            text,
            "",
            'not a Terraform JSON document: no "format_version" '
            "(expected output of `terraform show -json`)",
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
