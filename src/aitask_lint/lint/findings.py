"""What ``aitask-lint check`` reports (contracts: ``check --format json``).

Pydantic models, so ``schemas/report.schema.json`` is generated from them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindingLocation(_Model):
    path: str
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    end_line: int | None = Field(default=None, ge=1)
    end_column: int | None = Field(default=None, ge=1)
    pointer: str | None = Field(default=None, description="JSON Pointer, for JSON inputs")


class Finding(_Model):
    rule: str = Field(pattern=r"^AIT[0-9]{3}$")
    name: str
    severity: Severity
    message: str
    address: str | None = Field(
        description="Terraform address of the object, null when about a file"
    )
    location: FindingLocation

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (
            self.location.path,
            self.location.line,
            self.location.column,
            self.rule,
            self.message,
        )


class Tool(_Model):
    name: Literal["aitask-lint"] = "aitask-lint"
    version: str


class Summary(_Model):
    files: int = Field(ge=0)
    errors: int = Field(ge=0)
    warnings: int = Field(ge=0)
    infos: int = Field(ge=0)


class UnusedSuppression(_Model):
    """An ``aitask-lint: ignore[...]`` comment that silenced nothing."""

    path: str
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    rule: str
    message: str


class Report(_Model):
    tool: Tool
    findings: list[Finding]
    summary: Summary
    unused_suppressions: list[UnusedSuppression] = Field(default_factory=list)

    def worst(self) -> int:
        """The rank of the most severe finding, -1 when there is none."""
        return max((SEVERITY_RANK[f.severity] for f in self.findings), default=-1)
