"""AIT607 parameter-compared-to-non-string."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aitask_lint.hcl import expressions as hx
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import module_expressions
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.config import Location


def _parameter_value(node: Any) -> bool:
    """``data.coder_parameter.X.value`` or ``data.coder_parameter.X[i].value``."""
    if not isinstance(node, hx.Traversal) or node.root != "data" or len(node.steps) < 3:
        return False
    first, second, *rest = node.steps
    if not (isinstance(first, hx.GetAttr) and first.name == "coder_parameter"):
        return False
    if not isinstance(second, hx.GetAttr):
        return False
    if rest and isinstance(rest[0], hx.Index):
        rest = rest[1:]
    return len(rest) == 1 and isinstance(rest[0], hx.GetAttr) and rest[0].name == "value"


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
                    if kind is None or not _parameter_value(side):
                        continue
                    outcome = "false" if node.op == "==" else "true"
                    text = " ".join(node.source.split())
                    yield Problem(
                        f"`{text}` compares a parameter's value, which is always a string, "
                        f"with {kind}: Terraform does not convert types in `{node.op}`, so it "
                        f'is always {outcome}; compare with a string (`"{_literal(other)}"`) '
                        "or convert with tobool()/tonumber()",
                        Location(*node.span),
                        address,
                    )
                    break


def _literal(node: Any) -> str:
    return " ".join(node.source.split()).strip("()")


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
)
