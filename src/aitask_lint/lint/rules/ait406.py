"""AIT406 app-invalid-argument."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import go_bytes, where
from aitask_lint.lint.rule import Example, Problem, Rule

SHARE = ("owner", "authenticated", "public")
OPEN_IN = ("slim-window", "tab")
MAX_BYTES = {"display_name": 64, "group": 64, "tooltip": 2048}


def problems(
    values: dict[str, Any], healthchecks: list[dict[str, Any]]
) -> Iterator[tuple[str, int, str]]:
    """The provider's validation errors for known values of one coder_app.

    Each is (argument, healthcheck block index or -1, message), so a static
    finding can point at the offending argument rather than the whole app.
    """
    share = values.get("share")
    if isinstance(share, str) and share not in SHARE:
        yield (
            "share",
            -1,
            ct.NOT_ONE_OF("share", SHARE, share),
        )
    open_in = values.get("open_in")
    if isinstance(open_in, str) and open_in not in OPEN_IN:
        yield "open_in", -1, ct.NOT_ONE_OF("open_in", OPEN_IN, open_in)
    for key, limit in MAX_BYTES.items():
        value = values.get(key)
        if isinstance(value, str) and go_bytes(value) > limit:
            yield key, -1, f"{key} is {go_bytes(value)} bytes, over the provider's limit of {limit}"
    for index, block in enumerate(healthchecks):
        missing = [key for key in ("url", "interval", "threshold") if key not in block]
        if missing:
            names = ", ".join(f'"{key}"' for key in missing)
            yield "healthcheck", index, f"healthcheck is missing the required argument(s) {names}"


def check(context: LintContext) -> Iterator[Problem]:
    analysis = context.analysis
    if analysis is not None and not context.has_values:  # values, when known, decide
        for app, module in context.resources("coder_app"):
            if module.origin == "catalog":
                continue
            values = {
                name: analysis.value(app, name, module) for name in ("share", "open_in", *MAX_BYTES)
            }
            healthcheck_blocks = list(app.blocks_of("healthcheck"))
            healthchecks = [dict.fromkeys(block.attributes) for block in healthcheck_blocks]
            for argument, index, text in problems(values, healthchecks):
                location = (
                    healthcheck_blocks[index].location if index >= 0 else where(app, argument)
                )
                yield Problem(f"`{app.address}`: {text}", location, app.address)
        return
    for instance in context.instances_of("coder_app"):
        checks = instance.values.get("healthcheck")
        blocks = (
            [
                {k: v for k, v in block.items() if v is not None}
                for block in checks
                if isinstance(block, dict)
            ]
            if isinstance(checks, list)
            else []
        )
        for _argument, _index, text in problems(instance.values, blocks):
            yield Problem(f"`{instance.address}`: {text}", instance.location, instance.address)


RULE = Rule(
    id="AIT406",
    name="app-invalid-argument",
    severity="error",
    modes=("S", "P"),
    summary="A coder_app argument has a value the provider rejects.",
    why=(
        "share must be owner, authenticated or public; open_in slim-window or tab; "
        "display_name and group are limited to 64 bytes and tooltip to 2048; a healthcheck "
        "needs url, interval and threshold. The provider fails the plan otherwise."
    ),
    bad=Example(
        """\
resource "coder_app" "chat" {
  agent_id = coder_agent.main.id
  slug     = "chat"
  url      = "http://localhost:3284/"
  share    = "everyone"
  healthcheck {
    url = "http://localhost:3284/status"
  }
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
resource "coder_app" "chat" {
  agent_id = coder_agent.main.id
  slug     = "chat"
  url      = "http://localhost:3284/"
  share    = "authenticated"
  healthcheck {
    url       = "http://localhost:3284/status"
    interval  = 3
    threshold = 20
  }
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    quotes=(ct.NOT_ONE_OF.text,),
)
