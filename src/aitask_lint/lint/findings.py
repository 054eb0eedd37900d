"""What ``aitask-lint check`` reports (contracts: ``check --format json``).

Plain dataclasses, because every lint run builds them and importing pydantic
costs a tenth of a second, more than parsing a small template. They are still
the single source of ``schemas/report.schema.json``: :mod:`aitask_lint.schema_export`
hands them to pydantic, which reads the constraints declared here as
``Annotated`` metadata (:class:`SchemaExtra`). :func:`report_json` writes the
document the schema describes.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Annotated, Any, ClassVar, Literal

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

    def worst(self) -> int:
        """The rank of the most severe finding, -1 when there is none."""
        return max((SEVERITY_RANK[f.severity] for f in self.findings), default=-1)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def report_json(report: Report) -> str:
    """The ``check --format json`` document (``schemas/report.schema.json``).

    A file whose name is not UTF-8 is listed by ``os.listdir`` with surrogate
    escapes, which no UTF-8 output can carry: they become U+FFFD, as in the
    SARIF report.
    """
    document = asdict(report)
    document["tool"] = {"name": report.tool.name, "version": report.tool.version}
    return _LONE_SURROGATE.sub("\ufffd", json.dumps(document, indent=2, ensure_ascii=False))
