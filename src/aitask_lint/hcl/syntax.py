"""The syntax tree of a Terraform file: bodies, blocks, attributes, comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aitask_lint.hcl.span import Span

if TYPE_CHECKING:
    from aitask_lint.hcl.expressions import Expression


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
