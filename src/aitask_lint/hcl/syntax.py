"""The syntax tree of a Terraform file: bodies, blocks, attributes, comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aitask_lint.hcl.expressions import Expression


@dataclass(frozen=True, slots=True)
class Span:
    """A 1-based source range; ``end_column`` points just after the last character."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(slots=True)
class Attribute:
    name: str
    expression: Expression
    span: Span
    name_span: Span


@dataclass(slots=True)
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class Block:
    type: str
    labels: list[str]
    body: Body
    span: Span
    type_span: Span


@dataclass(slots=True)
class Comment:
    text: str
    span: Span


@dataclass(slots=True)
class File:
    path: str
    body: Body
    comments: list[Comment] = field(default_factory=list)
