"""AIT407 duplicate-parameter-name."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.config import Location


def check(context: LintContext) -> Iterator[Problem]:
    named: list[tuple[str, str, Location | None]] = []
    if context.tree is not None and context.analysis is not None and not context.has_values:
        if not context.is_template:
            return
        for parameter, module in context.resources("coder_parameter", mode="data"):
            name = context.analysis.value(parameter, "name", module)
            if isinstance(name, str):
                expr = parameter.attributes.get("name")
                named.append(
                    (
                        name,
                        parameter.address,
                        (expr.location if expr else None) or parameter.location,
                    )
                )
    else:
        for instance in context.all_instances_of("coder_parameter", "data"):
            name = instance.values.get("name")
            if isinstance(name, str):
                named.append((name, instance.address, instance.location))
    seen: set[str] = set()
    duplicated: list[tuple[str, str, Location | None]] = []
    for name, address, location in named:
        if name in seen and name not in [d[0] for d in duplicated]:
            duplicated.append((name, address, location))
        seen.add(name)
    if not duplicated:
        return
    message = ct.duplicate_parameter_names([name for name, _a, _l in duplicated])
    for _name, address, location in duplicated:
        yield Problem(message, location, address)


RULE = Rule(
    id="AIT407",
    name="duplicate-parameter-name",
    severity="error",
    modes=("S", "P"),
    summary="Two coder_parameter data sources share a name.",
    why=(
        "Parameters are identified by name in the workspace build; Coder refuses a template "
        "version where two parameters (in any module) have the same name."
    ),
    bad=Example(
        """\
data "coder_parameter" "region" {
  name    = "region"
  default = "eu"
}

data "coder_parameter" "zone" {
  name    = "region"
  default = "a"
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
data "coder_parameter" "region" {
  name    = "region"
  default = "eu"
}

data "coder_parameter" "zone" {
  name    = "zone"
  default = "a"
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    quotes=(ct.DUPLICATE_PARAMETER_NAMES.text,),
)
