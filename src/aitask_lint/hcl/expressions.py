"""A small HCL expression AST, and the two questions analyses ask of it.

Every node keeps its exact ``source`` text and ``span``. :func:`references`
lists the traversals an expression reads (``module.m[count.index].out``,
``var.x``, ``each.key``), recursing through function calls, conditionals,
templates and ``for`` expressions (whose iterator names are not references);
:func:`literal_value` gives the Python value of a fully literal expression
or :data:`UNKNOWN`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aitask_lint.hcl.span import Span
from aitask_lint.values import UNKNOWN

__all__ = [
    "UNKNOWN",
    "BinaryOp",
    "Conditional",
    "Directive",
    "Expression",
    "ForExpr",
    "FunctionCall",
    "GetAttr",
    "Index",
    "Literal",
    "Object",
    "Parenthesized",
    "RelativeTraversal",
    "Splat",
    "Template",
    "Traversal",
    "Tuple",
    "UnaryOp",
    "children",
    "literal_value",
    "references",
    "traversal_text",
    "walk",
]


@dataclass
class Expression:
    source: str
    span: Span


@dataclass
class Literal(Expression):
    value: Any = None


@dataclass
class GetAttr:
    name: str


@dataclass
class Index:
    key: Expression


@dataclass
class Splat:
    kind: str  # "full" ([*]) or "attr" (.*)


Step = GetAttr | Index | Splat


@dataclass
class Traversal(Expression):
    root: str = ""
    steps: list[Step] = field(default_factory=list)


@dataclass
class RelativeTraversal(Expression):
    """Steps applied to a non-variable expression: ``f(x)[0]``, ``(a).b``."""

    subject: Expression | None = None
    steps: list[Step] = field(default_factory=list)


@dataclass
class Directive(Expression):
    """A template directive (``%{ if c }``, ``%{ for x in xs }``) and its expression."""

    kind: str = ""
    expression: Expression | None = None
    names: list[str] = field(default_factory=list)


@dataclass
class Template(Expression):
    """A string with interpolations or directives; ``parts`` are text or expressions."""

    parts: list[str | Expression] = field(default_factory=list)


@dataclass
class FunctionCall(Expression):
    name: str = ""
    args: list[Expression] = field(default_factory=list)
    expand_final: bool = False


@dataclass
class Conditional(Expression):
    condition: Expression | None = None
    true_result: Expression | None = None
    false_result: Expression | None = None


@dataclass
class BinaryOp(Expression):
    op: str = ""
    left: Expression | None = None
    right: Expression | None = None


@dataclass
class UnaryOp(Expression):
    op: str = ""
    operand: Expression | None = None


@dataclass
class Tuple(Expression):
    items: list[Expression] = field(default_factory=list)


@dataclass
class Object(Expression):
    items: list[tuple[Expression, Expression]] = field(default_factory=list)


@dataclass
class ForExpr(Expression):
    key_name: str | None = None
    value_name: str = ""
    collection: Expression | None = None
    key: Expression | None = None
    value: Expression | None = None
    condition: Expression | None = None
    is_object: bool = False
    grouping: bool = False


@dataclass
class Parenthesized(Expression):
    inner: Expression | None = None


def _children(node: Expression) -> list[Expression]:
    """Direct sub-expressions, for generic walks."""
    if isinstance(node, Traversal):
        return [step.key for step in node.steps if isinstance(step, Index)]
    if isinstance(node, RelativeTraversal):
        keys = [step.key for step in node.steps if isinstance(step, Index)]
        return ([node.subject] if node.subject else []) + keys
    if isinstance(node, Template):
        return [part for part in node.parts if isinstance(part, Expression)]
    if isinstance(node, Directive):
        return [node.expression] if node.expression else []
    if isinstance(node, FunctionCall):
        return list(node.args)
    if isinstance(node, Conditional):
        return [e for e in (node.condition, node.true_result, node.false_result) if e]
    if isinstance(node, BinaryOp):
        return [e for e in (node.left, node.right) if e]
    if isinstance(node, UnaryOp | Parenthesized):
        inner = node.operand if isinstance(node, UnaryOp) else node.inner
        return [inner] if inner else []
    if isinstance(node, Tuple):
        return list(node.items)
    if isinstance(node, Object):
        return [e for pair in node.items for e in pair]
    if isinstance(node, ForExpr):
        return [e for e in (node.collection, node.key, node.value, node.condition) if e]
    return []


def walk(node: Expression) -> list[Expression]:
    """``node`` and every sub-expression below it, parents first (iteratively: no recursion)."""
    found: list[Expression] = []
    stack = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(reversed(_children(current)))
    return found


def children(node: Expression) -> list[Expression]:
    """The direct sub-expressions of ``node`` (for walks that look for a kind of node)."""
    return _children(node)


def references(node: Expression, bound: frozenset[str] = frozenset()) -> list[Traversal]:
    """Every traversal ``node`` reads, in source order (iterator names excluded)."""
    found: list[Traversal] = []
    _collect(node, bound, found)
    return found


def _collect(node: Expression, bound: frozenset[str], found: list[Traversal]) -> None:
    if isinstance(node, Traversal):
        if node.root not in bound:
            found.append(node)
        for step in node.steps:
            if isinstance(step, Index):
                _collect(step.key, bound, found)
        return
    if isinstance(node, ForExpr):
        if node.collection is not None:
            _collect(node.collection, bound, found)
        inner = bound | {n for n in (node.key_name, node.value_name) if n}
        for part in (node.key, node.value, node.condition):
            if part is not None:
                _collect(part, inner, found)
        return
    if isinstance(node, Template):
        # a %{for x in xs} directive binds x until its %{endfor}
        scope = bound
        for piece in node.parts:
            if isinstance(piece, Directive):
                if piece.expression is not None:
                    _collect(piece.expression, scope, found)
                if piece.kind == "for":
                    scope = scope | set(piece.names)
            elif isinstance(piece, Expression):
                _collect(piece, scope, found)
        return
    for child in _children(node):
        _collect(child, bound, found)


def literal_value(node: Expression | None) -> Any:
    """The Python value of a fully literal expression, else :data:`UNKNOWN`."""
    if node is None:
        return UNKNOWN
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Parenthesized):
        return literal_value(node.inner)
    if isinstance(node, Template):
        if all(isinstance(part, str) for part in node.parts):
            return "".join(part for part in node.parts if isinstance(part, str))
        return UNKNOWN
    if isinstance(node, UnaryOp) and node.op == "-":
        value = literal_value(node.operand)
        return -value if isinstance(value, int | float) and not isinstance(value, bool) else UNKNOWN
    if isinstance(node, Tuple):
        items = [literal_value(item) for item in node.items]
        return UNKNOWN if any(item is UNKNOWN for item in items) else items
    if isinstance(node, Object):
        result: dict[str, Any] = {}
        for key_node, value_node in node.items:
            key = _object_key(key_node)
            value = literal_value(value_node)
            if key is None or value is UNKNOWN:
                return UNKNOWN
            result[key] = value
        return result
    return UNKNOWN


def _object_key(node: Expression) -> str | None:
    """Object keys: a bare name is the key itself (``{ source = ... }``), else a literal."""
    if isinstance(node, Traversal) and not node.steps:
        return node.root
    value = literal_value(node)
    return str(value) if isinstance(value, str | int | float) else None


def traversal_text(traversal: Traversal) -> str:
    """Canonical text: ``module.m[count.index].task_app_id``, ``a.b[*].c``."""
    parts = [traversal.root]
    for step in traversal.steps:
        if isinstance(step, GetAttr):
            parts.append(f".{step.name}")
        elif isinstance(step, Splat):
            parts.append("[*]" if step.kind == "full" else ".*")
        else:
            value = literal_value(step.key)
            if isinstance(value, str):
                parts.append(f'["{value}"]')
            elif isinstance(value, int) and not isinstance(value, bool):
                parts.append(f"[{value}]")
            else:
                parts.append(f"[{' '.join(step.key.source.split())}]")
    return "".join(parts)
