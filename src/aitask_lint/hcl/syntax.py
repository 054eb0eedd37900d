"""The syntax tree of a Terraform file: bodies, blocks, attributes, comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from aitask_lint.hcl.expressions import Expression


class Span(NamedTuple):
    """A 1-based source range; ``end_column`` points just after the last character.

    A named tuple rather than a dataclass: a syntax tree holds tens of thousands
    of them, and tuples are built several times faster (the parse cache
    rebuilds them on every warm run; an entry stores just the four numbers,
    and the path is the file's, attached on load).
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class Attribute:
    name: str
    expression: Expression
    span: Span
    name_span: Span


@dataclass
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Block:
    type: str
    labels: list[str]
    body: Body
    span: Span
    type_span: Span


@dataclass
class Comment:
    text: str
    span: Span


@dataclass
class File:
    path: str
    body: Body
    comments: list[Comment] = field(default_factory=list)
