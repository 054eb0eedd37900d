"""AIT409 duplicate-metadata."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext, conversion_of
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.refs import target_of

#: ConvertState's error up to the label it names
CODER_PREFIX = ct.DUPLICATE_METADATA("")


def check(context: LintContext) -> Iterator[Problem]:
    if context.has_values:
        _state, error = conversion_of(context)
        if error is not None and error.startswith(CODER_PREFIX):
            label = error[len(CODER_PREFIX) :]
            location = next((i.location for i in context.instances_of("coder_metadata")), None)
            yield Problem(error, location, label)
        return
    targets: dict[str, str] = {}
    for metadata, module in context.resources("coder_metadata"):
        expr = metadata.attributes.get("resource_id")
        if expr is None:
            continue
        for ref in expr.refs:
            target = target_of(ref)
            if target.kind != "resource":
                continue
            address = module.prefix + target.address
            if address in targets:
                yield Problem(
                    ct.DUPLICATE_METADATA(address)
                    + f" (`{targets[address]}` and `{metadata.address}` "
                    "both describe it)",
                    expr.location or metadata.location,
                    metadata.address,
                )
            targets.setdefault(address, metadata.address)
            break


RULE = Rule(
    id="AIT409",
    name="duplicate-metadata",
    severity="error",
    modes=("S", "P"),
    summary="Two coder_metadata resources target the same resource.",
    why=(
        "Coder attaches each coder_metadata to the closest resource it depends on and refuses "
        "the template when two land on the same one."
    ),
    bad=Example(
        """\
resource "coder_metadata" "image" {
  count       = data.coder_workspace.me.start_count
  resource_id = docker_container.workspace[0].id
  item {
    key   = "image"
    value = "ubuntu"
  }
}

resource "coder_metadata" "size" {
  count       = data.coder_workspace.me.start_count
  resource_id = docker_container.workspace[0].id
  item {
    key   = "size"
    value = "large"
  }
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
resource "coder_metadata" "container" {
  count       = data.coder_workspace.me.start_count
  resource_id = docker_container.workspace[0].id
  item {
    key   = "image"
    value = "ubuntu"
  }
  item {
    key   = "size"
    value = "large"
  }
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    quotes=(ct.DUPLICATE_METADATA.text,),
)
