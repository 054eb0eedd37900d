"""Which references of an expression are guarded by their target's own count.

``var.on ? module.m[0].task_app_id : ""`` with ``count = var.on ? 1 : 0`` on
the module only reads instance ``[0]`` when it exists: Terraform evaluates the
taken branch only. AIT109 (fixed-index reads of counted objects) stays silent
on such reads, and on ``length(module.m) > 0 ? ... : ...`` and a choice between
two objects with complementary counts (``c ? 1 : 0`` / ``c ? 0 : 1``), which
are the same guard seen from each branch. Plan JSON has no expression trees,
so there every reference counts as unguarded.
"""

from __future__ import annotations

from typing import Any

from aitask_lint.hcl import expressions as hx
from aitask_lint.model.config import Expr, Module
from aitask_lint.model.refs import Ref, target_of, traversal_ref

#: a condition and the branch taken: (condition node, True for the true branch)
Fact = tuple[Any, bool]

_NONEMPTY = {(">", 0), ("!=", 0), (">=", 1)}
_EMPTY = {("==", 0), ("<", 1), ("<=", 0)}


def unguarded_refs(expression: Expr, module: Module) -> list[Ref]:
    """The references of ``expression`` that may read an instance that does not exist."""
    if expression.syntax is None:
        return list(expression.refs)
    found: list[tuple[Any, tuple[Fact, ...], bool]] = []
    _walk(expression.syntax, (), found, in_condition=False)
    refs: list[Ref] = []
    for node, facts, in_condition in found:
        ref = traversal_ref(node)
        target = target_of(ref)
        if in_condition and target.index is None:
            continue  # `length(module.m)` reads the object, not an instance of it
        if not _guarded(target.kind, target.address, target.name, facts, module):
            refs.append(ref)
    return refs


def _walk(node: Any, facts: tuple[Fact, ...], found: list[Any], in_condition: bool) -> None:
    if node is None:
        return
    if isinstance(node, hx.Traversal):
        found.append((node, facts, in_condition))
    elif isinstance(node, hx.Parenthesized):
        _walk(node.inner, facts, found, in_condition)
    elif isinstance(node, hx.Conditional):
        _walk(node.condition, facts, found, in_condition=True)
        _walk(node.true_result, (*facts, (node.condition, True)), found, in_condition)
        _walk(node.false_result, (*facts, (node.condition, False)), found, in_condition)
    elif isinstance(node, hx.FunctionCall | hx.Template):
        parts = node.args if isinstance(node, hx.FunctionCall) else node.parts
        for part in parts:
            if isinstance(part, hx.Expression):
                _walk(part, facts, found, in_condition)
    else:
        for traversal in hx.references(node):
            found.append((traversal, facts, in_condition))


def _guarded(kind: str, address: str, name: str, facts: tuple[Fact, ...], module: Module) -> bool:
    if not facts:
        return False
    if kind == "module_output":
        call = module.calls.get(name)
        count = call.count if call is not None else None
    elif kind == "resource":
        resource = module.resources.get(address)
        count = resource.count if resource is not None else None
    else:
        return False
    existence = _count_condition(count)
    for condition, branch in facts:
        if _says_nonempty(condition, address) is branch:
            return True
        if existence is not None:
            own, exists_when = existence
            negated = _negation(condition)
            if _same(condition, own) and branch is exists_when:
                return True
            if negated is not None and _same(negated, own) and branch is not exists_when:
                return True
    return False


def _count_condition(count: Expr | None) -> tuple[Any, bool] | None:
    """``count = c ? 1 : 0`` -> (c, True); ``c ? 0 : 1`` -> (c, False); else None."""
    node = _bare(count.syntax) if count is not None else None
    if not isinstance(node, hx.Conditional):
        return None
    when_true, when_false = hx.literal_value(node.true_result), hx.literal_value(node.false_result)
    if _positive(when_true) and when_false == 0:
        return node.condition, True
    if when_true == 0 and _positive(when_false):
        return node.condition, False
    return None


def _says_nonempty(condition: Any, address: str) -> bool | None:
    """True for ``length(<address>) > 0``, False for ``== 0``, None for anything else."""
    node = _bare(condition)
    if not isinstance(node, hx.BinaryOp):
        return None
    call, bound = _bare(node.left), hx.literal_value(node.right)
    if not (
        isinstance(call, hx.FunctionCall)
        and call.name == "length"
        and len(call.args) == 1
        and _text(call.args[0]) == address
    ):
        return None
    if (node.op, bound) in _NONEMPTY:
        return True
    if (node.op, bound) in _EMPTY:
        return False
    return None


def _negation(condition: Any) -> Any:
    node = _bare(condition)
    if isinstance(node, hx.UnaryOp) and node.op == "!":
        return node.operand
    return None


def _same(left: Any, right: Any) -> bool:
    return left is not None and right is not None and _text(left) == _text(right)


def _text(node: Any) -> str:
    return "".join(str(_bare(node).source).split())


def _bare(node: Any) -> Any:
    while isinstance(node, hx.Parenthesized):
        node = node.inner
    return node


def _positive(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1
