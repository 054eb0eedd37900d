"""AIT607 parameter-compared-to-non-string."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from aitask_lint.hcl import expressions as hx
from aitask_lint.hcl.span import Span
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.edits import Rewrite, fix_of, source_file
from aitask_lint.lint.findings import Fix
from aitask_lint.lint.fixkit import string_literal
from aitask_lint.lint.helpers import literal, module_expressions
from aitask_lint.lint.rule import Example, FixDoc, Problem, Rule
from aitask_lint.model.config import Location, Module


def _parameter_value(node: Any) -> str | None:
    """The parameter's name when ``node`` is ``data.coder_parameter.X.value`` or
    ``data.coder_parameter.X[i].value``, else None."""
    if not isinstance(node, hx.Traversal) or node.root != "data" or len(node.steps) < 3:
        return None
    first, second, *rest = node.steps
    if not (isinstance(first, hx.GetAttr) and first.name == "coder_parameter"):
        return None
    if not isinstance(second, hx.GetAttr):
        return None
    if rest and isinstance(rest[0], hx.Index):
        rest = rest[1:]
    if len(rest) == 1 and isinstance(rest[0], hx.GetAttr) and rest[0].name == "value":
        return second.name
    return None


def _non_string(node: Any) -> str | None:
    """``"a bool"`` / ``"a number"`` for a literal of that type, else None."""
    while isinstance(node, hx.Parenthesized):
        node = node.inner
    if isinstance(node, hx.UnaryOp) and node.op == "-":
        node = node.operand
    if isinstance(node, hx.Literal):
        if isinstance(node.value, bool):
            return "a bool"
        if isinstance(node.value, int | float):
            return "a number"
    return None


def check(context: LintContext) -> Iterator[Problem]:
    for module in context.modules():
        for address, expr in module_expressions(module):
            if expr.syntax is None:
                continue
            for node in hx.walk(expr.syntax):
                if not isinstance(node, hx.BinaryOp) or node.op not in ("==", "!="):
                    continue
                for side, other in ((node.left, node.right), (node.right, node.left)):
                    kind = _non_string(other)
                    parameter = _parameter_value(side)
                    if kind is None or parameter is None:
                        continue
                    outcome = "false" if node.op == "==" else "true"
                    text = " ".join(node.source.split())
                    yield Problem(
                        f"`{text}` compares a parameter's value, which is always a string, "
                        f"with {kind}: Terraform does not convert types in `{node.op}`, so it "
                        f'is always {outcome}; compare with a string (`"{_literal(other)}"`) '
                        "or convert with tobool()/tonumber()",
                        Location(*_span(node)),
                        address,
                        fix=_fix(node, side, other, _bool_typed(module, parameter)),
                    )
                    break


def _literal(node: Any) -> str:
    return " ".join(node.source.split()).strip("()")


def _span(node: hx.BinaryOp) -> Span:
    """The comparison from its first operand's start to its last one's end (the
    operator's own span runs on to the next token, past the line end)."""
    if node.left is None or node.right is None:
        return node.span
    left, right = node.left.span, node.right.span
    return Span(left.path, left.line, left.column, right.end_line, right.end_column)


def _bool_typed(module: Module, name: str) -> bool:
    """Whether ``data.coder_parameter.<name>`` declares ``type = "bool"``: Coder then
    only ever stores "true" or "false", so ``tobool()`` of its value cannot fail."""
    resource = module.resources.get(f"data.coder_parameter.{name}")
    return resource is not None and literal(resource, "type") == "bool"


def _as_string(node: Any) -> str | None:
    """The string Terraform's ``tostring()`` gives for the bool or number literal
    (``true`` -> "true", ``4`` -> "4", ``1.50`` -> "1.5", ``-2`` -> "-2"), or None."""
    while isinstance(node, hx.Parenthesized):
        node = node.inner
    negative = isinstance(node, hx.UnaryOp) and node.op == "-"
    if negative:
        node = node.operand
        while isinstance(node, hx.Parenthesized):
            node = node.inner
    if not isinstance(node, hx.Literal):
        return None
    if isinstance(node.value, bool):
        return None if negative else ("true" if node.value else "false")
    try:
        number = Decimal(node.source.strip())
    except InvalidOperation:
        return None
    text = format(-number if negative else number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _fix(node: hx.BinaryOp, value: Any, other: Any, bool_typed: bool) -> Fix | None:
    """Compare with the string the parameter holds; for a bool parameter compared with a
    bool, read it with ``tobool()`` instead (``== false`` / ``!= true`` negated)."""
    source = source_file(node.span.path)
    if source is None:
        return None
    if bool_typed and _non_string(other) == "a bool":
        wanted = _as_string(other) == "true"
        text = " ".join(value.source.split())
        prefix = "" if wanted == (node.op == "==") else "!"
        return fix_of(
            "safe",
            f"read the parameter with `{prefix}tobool(...)`",
            Rewrite(source).replace_span(_span(node), f"{prefix}tobool({text})"),
        )
    string = _as_string(other)
    if string is None:
        return None
    return fix_of(
        "safe",
        f"compare with the string `{string_literal(string)}`",
        Rewrite(source).replace_span(other.span, string_literal(string)),
    )


RULE = Rule(
    id="AIT607",
    name="parameter-compared-to-non-string",
    severity="warning",
    modes=("S",),
    summary="A coder_parameter's value is compared with == or != to a number or a bool.",
    why=(
        'data.coder_parameter.X.value is always a string ("true", "4"), whatever the '
        "parameter's type. Terraform converts strings where a bool or a number is expected "
        "(a condition, count), but not in == and !=: a string never equals true or 4, so the "
        "comparison is always false (always true with !=) and the resource or app it guards "
        "never appears, in every workspace."
    ),
    bad=Example(
        """\
data "coder_parameter" "chat" {
  name    = "chat"
  type    = "bool"
  default = true
}

locals {
  chat_enabled = data.coder_parameter.chat.value == true
}
"""
    ),
    good=Example(
        """\
data "coder_parameter" "chat" {
  name    = "chat"
  type    = "bool"
  default = true
}

locals {
  chat_enabled = tobool(data.coder_parameter.chat.value)
}
"""
    ),
    check=check,
    fix=FixDoc(
        what=(
            'Compares with the string the parameter holds (`== 4` becomes `== "4"`, '
            '`== true` becomes `== "true"`); a parameter of `type = "bool"` compared with a '
            "bool is read with `tobool()` instead (`!tobool(...)` for `== false` or `!= true`)."
        ),
        applicability="safe",
        why=(
            "Safe: the comparison as written is always false (or always true with `!=`), so "
            "no working template depends on it; the fix gives the outcome its author meant. "
            '`tobool()` only where Coder guarantees the value is "true" or "false".'
        ),
    ),
)
