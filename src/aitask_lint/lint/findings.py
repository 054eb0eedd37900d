"""What ``aitask-lint check`` reports (contracts: ``check --format json``).

Plain dataclasses, because every lint run builds them and importing pydantic
costs a tenth of a second, more than parsing a small template. They are still
the single source of ``schemas/report.schema.json``: :mod:`aitask_lint.schema_export`
hands them to pydantic, which reads the constraints declared here as
``Annotated`` metadata (:class:`SchemaExtra`). :func:`report_json` writes the
document the schema describes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Literal

from aitask_lint.errors import display_path

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
RULE_ID_PATTERN = r"^AIT[0-9]{3}$"


class SchemaExtra:
    """``Annotated`` metadata: keywords merged into a field's JSON Schema.

    Pydantic calls ``__get_pydantic_json_schema__`` on annotation metadata
    when it generates a schema, so this needs no pydantic import at run time.
    Hashable, as metadata inside a ``Union`` must be.
    """

    __slots__ = ("keywords",)

    def __init__(self, **keywords: Any) -> None:
        self.keywords = tuple(sorted(keywords.items()))

    def __hash__(self) -> int:
        return hash(self.keywords)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SchemaExtra) and other.keywords == self.keywords

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> Any:
        schema = handler(core_schema)
        schema.update(dict(self.keywords))
        return schema


def _minimum(bound: int) -> SchemaExtra:
    return SchemaExtra(minimum=bound)


_STRICT: dict[str, Any] = {"extra": "forbid"}  # additionalProperties: false


@dataclass(slots=True)
class FindingLocation:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    path: str
    line: Annotated[int, _minimum(1)]
    column: Annotated[int, _minimum(1)]
    end_line: Annotated[int, _minimum(1)] | None = None
    end_column: Annotated[int, _minimum(1)] | None = None
    pointer: Annotated[str | None, SchemaExtra(description="JSON Pointer, for JSON inputs")] = None


Applicability = Literal["safe", "unsafe"]


@dataclass(slots=True)
class TextEdit:
    """Replace bytes ``[start, end)`` of ``path`` by ``content`` (UTF-8).

    Byte offsets, so that an edit means one thing whatever the file's encoding
    details (a BOM, CRLF line ends, tabs); the 1-based line and column range
    (columns in characters, ``end_column`` just after the last one) is the
    same range for people and for SARIF's ``deletedRegion``.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    path: str
    start: Annotated[int, _minimum(0), SchemaExtra(description="byte offset")]
    end: Annotated[int, _minimum(0), SchemaExtra(description="byte offset, exclusive")]
    content: str
    line: Annotated[int, _minimum(1)]
    column: Annotated[int, _minimum(1)]
    end_line: Annotated[int, _minimum(1)]
    end_column: Annotated[int, _minimum(1)]


@dataclass(slots=True)
class Fix:
    """A rule's repair of one finding: edits applied together, or not at all.

    ``safe``: the template means the same to Terraform and Coder, only
    correct now (``check --fix`` applies it). ``unsafe``: behaviour changes (a
    resource renamed, a value changed, an input removed), so it needs
    ``--unsafe-fixes``.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    applicability: Applicability
    message: str
    edits: list[TextEdit]


@dataclass(slots=True)
class Finding:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    rule: Annotated[str, SchemaExtra(pattern=RULE_ID_PATTERN)]
    name: str
    severity: Severity
    message: str
    address: Annotated[
        str | None,
        SchemaExtra(description="Terraform address of the object, null when about a file"),
    ]
    location: FindingLocation
    scenarios: Annotated[
        list[str] | None,
        SchemaExtra(
            description=(
                "the scenarios the finding holds in (import, preset:<name>, "
                "prebuild:<name>, task), when it does not hold in every one evaluated; "
                "absent when it holds in all"
            )
        ),
    ] = None
    fix: Annotated[
        Fix | None,
        SchemaExtra(description="the repair `check --fix` can make, null when there is none"),
    ] = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (
            self.location.path,
            self.location.line,
            self.location.column,
            self.rule,
            self.message,
        )


@dataclass(slots=True)
class Tool:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    version: str
    name: Literal["aitask-lint"] = "aitask-lint"


@dataclass(slots=True)
class Summary:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    files: Annotated[int, _minimum(0)]
    errors: Annotated[int, _minimum(0)]
    warnings: Annotated[int, _minimum(0)]
    infos: Annotated[int, _minimum(0)]


@dataclass(slots=True)
class UnusedSuppression:
    """An ``aitask-lint: ignore[...]`` comment that silenced nothing."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    path: str
    line: Annotated[int, _minimum(1)]
    column: Annotated[int, _minimum(1)]
    rule: str
    message: str


@dataclass(slots=True)
class Report:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    tool: Tool
    findings: list[Finding]
    summary: Summary
    unused_suppressions: list[UnusedSuppression] = field(default_factory=list)
    #: some input could not be used (an AIT001 finding names it): the CLI exits 2.
    #: Not part of the JSON report (see :data:`NOT_SERIALISED`).
    unusable: bool = field(default=False, kw_only=True, compare=False)
    #: the run's own exit status (per-root ``fail-on`` applied), when a check run set it
    run_exit_code: int | None = field(default=None, kw_only=True, compare=False, repr=False)

    def worst(self) -> int:
        """The rank of the most severe finding, -1 when there is none."""
        return max((SEVERITY_RANK[f.severity] for f in self.findings), default=-1)

    def exit_code(self, fail_on: Severity | None = None) -> int:
        """The status ``aitask-lint check`` exits with for this report.

        2 when some input was unusable; 1 when a finding is at least as severe
        as ``fail_on`` (or, with ``fail_on`` ``warning`` or ``info``, when a
        suppression comment silenced nothing); else 0. Without ``fail_on``:
        the threshold of the run (the ``fail_on=`` argument, else each root's
        configuration ``fail-on``, else ``error``), exactly as the CLI decides.
        """
        if self.unusable:
            return 2
        if fail_on is None:
            if self.run_exit_code is not None:
                return self.run_exit_code
            fail_on = "error"
        if fail_on not in SEVERITY_RANK:
            from aitask_lint.errors import InvalidArgumentError

            raise InvalidArgumentError(
                f"fail_on must be 'error', 'warning' or 'info', not {fail_on!r}"
            )
        rank = SEVERITY_RANK[fail_on]
        failing = any(SEVERITY_RANK[f.severity] >= rank for f in self.findings) or (
            rank <= SEVERITY_RANK["warning"] and bool(self.unused_suppressions)
        )
        return 1 if failing else 0


#: ``Report`` fields that are run state for library callers, not part of the JSON contract
NOT_SERIALISED = ("unusable", "run_exit_code")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def report_json(report: Report) -> str:
    """The ``check --format json`` document (``schemas/report.schema.json``).

    A file whose name is not UTF-8 is listed by ``os.listdir`` with surrogate
    escapes, which no UTF-8 output can carry: they become U+FFFD, as in the
    SARIF report.
    """
    document = asdict(report)
    for name in NOT_SERIALISED:
        del document[name]
    for finding in document["findings"]:
        if finding["scenarios"] is None:  # holds in every scenario: as before scenarios
            del finding["scenarios"]
    document["tool"] = {"name": report.tool.name, "version": report.tool.version}
    return _LONE_SURROGATE.sub("\ufffd", json.dumps(document, indent=2, ensure_ascii=False))


# --- paths and fingerprints that CI systems can rely on ----------------------

#: names that are not files on disk and stay as they are in every report
PSEUDO_PATHS = frozenset(("", "-", "<stdin>", "<bytes>", "<data>"))


def given_path(path: str) -> str:
    """A path in a finding, as the input was given: normalised (``a/./b``, ``a/../b``)
    but not made relative or absolute; the reports decide how to show it."""
    return path if path in PSEUDO_PATHS else os.path.normpath(path)


def shown_path(path: str, base: str | None) -> str:
    """How a report shows ``path``: relative to ``base`` (the project root) when it is
    below it, else relative to the current directory when below that, else absolute."""
    return display_path(path) if base is None else rebase_path(path, base)


def rebase_path(path: str, base: str | None) -> str:
    """``path`` (absolute, or relative to the current directory) relative to ``base``.

    ``base`` is the project root, a real path. A file outside it keeps its
    absolute path; with no base the path is returned unchanged (relative to
    the current directory, as the loaders give it). The directory part is
    resolved through symlinks (so ``/link/repo/x.tf`` and ``/real/repo/x.tf``
    name the same file) but not the file name itself, which stays the name
    the template has. Separators are ``/`` on every platform.
    """
    if base is None or path in PSEUDO_PATHS:
        return path
    absolute = os.path.abspath(path)
    directory, name = os.path.split(absolute)
    real = os.path.join(_real_directory(directory), name)
    try:
        inside = os.path.commonpath([real, base]) == base
    except ValueError:  # another drive on Windows
        inside = False
    if not inside:
        return absolute
    return os.path.relpath(real, base).replace(os.sep, "/")


def report_path_on_disk(path: str, base: str | None) -> str:
    """The file a report path names, openable from the current directory.

    The inverse of :func:`rebase_path`, for whoever reads the file again (a
    source snippet under a finding): report paths are relative to ``base``.
    """
    if base is None or path in PSEUDO_PATHS or os.path.isabs(path):
        return path
    return os.path.join(base, path)


@lru_cache(maxsize=4096)
def _real_directory(directory: str) -> str:
    return os.path.realpath(directory)


def rebase_findings(report: Report, base: str | None) -> None:
    """Rewrite every path of ``report`` as reports show it (:func:`shown_path`), in place,
    and sort again."""
    for finding in report.findings:
        finding.location.path = shown_path(finding.location.path, base)
        if finding.fix is not None:
            for edit in finding.fix.edits:
                edit.path = shown_path(edit.path, base)
    for unused in report.unused_suppressions:
        unused.path = shown_path(unused.path, base)
    report.findings.sort(key=Finding.sort_key)
    report.unused_suppressions.sort(key=lambda u: (u.path, u.line, u.rule))


def fingerprint(finding: Finding, occurrence: int = 0) -> str:
    """SHA-256 of rule, path and Terraform address: what a finding *is about*.

    Not the line (edits above it keep it), not the message (rewording a
    message in a new release must not close and reopen every alert), not the
    current directory (paths are project-relative). ``occurrence`` tells apart
    findings of one rule about one object in one file (the second is 1, ...);
    the first keeps the plain form. The parts are JSON-encoded as a list, so no
    two different tuples collide by concatenation (``"ab" + "c"`` vs ``"a" + "bc"``).
    """
    parts: list[str | int | None] = [finding.rule, finding.location.path, finding.address]
    if occurrence:
        parts.append(occurrence)
    return hashlib.sha256(json.dumps(parts).encode("ascii")).hexdigest()


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """One fingerprint per finding, unique within the report (GitLab drops duplicates).

    Findings sharing rule, path and address are numbered in report order
    (path, line, column), so they stay distinct and deterministic.
    """
    seen: Counter[tuple[str, str, str | None]] = Counter()
    result = []
    for finding in findings:
        key = (finding.rule, finding.location.path, finding.address)
        result.append(fingerprint(finding, seen[key]))
        seen[key] += 1
    return result
