"""AIT204 healthcheck-mismatch."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import task_apps
from aitask_lint.lint.rule import Example, Problem, Rule

_DEFAULT_PORTS = {"http": 80, "https": 443}


def endpoint(url: str) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of a URL, the port defaulted by scheme; None when unparsable."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    return scheme, parts.hostname.lower(), port if port is not None else _DEFAULT_PORTS.get(scheme)


def check(context: LintContext) -> Iterator[Problem]:
    analysis = context.analysis
    if analysis is None:
        return
    for chain in task_apps(context):
        app_url = analysis.value(chain.app, "url", chain.module)
        for block in chain.app.blocks_of("healthcheck"):
            expr = block.attributes.get("url")
            check_url = analysis.evaluator.value(expr, chain.module)
            if not isinstance(app_url, str) or not isinstance(check_url, str):
                continue
            app_end, check_end = endpoint(app_url), endpoint(check_url)
            if app_end is None or check_end is None or app_end == check_end:
                continue
            yield Problem(
                f"task app `{chain.app.address}` serves {app_url} but its healthcheck probes "
                f"{check_url}: a different scheme, host or port, so the health shown is not "
                "the app's",
                (expr.location if expr else None) or block.location,
                chain.app.address,
            )


RULE = Rule(
    id="AIT204",
    name="healthcheck-mismatch",
    severity="warning",
    modes=("S", "P"),
    summary="The healthcheck URL targets a different scheme, host or port than the app.",
    why=(
        "A healthcheck against another port (often a copy-paste from another app) reports the "
        "health of a different process: the task page may show a healthy chat that is down, "
        "or wait forever on one that is up."
    ),
    bad=Example(
        """\
resource "coder_app" "chat" {
  agent_id = coder_agent.main.id
  slug     = "chat"
  url      = "http://localhost:3284/"
  healthcheck {
    url       = "http://localhost:13337/healthz"
    interval  = 5
    threshold = 6
  }
}
""",
        preamble=pre.TASK_OF_CHAT,
    ),
    good=Example(
        """\
resource "coder_app" "chat" {
  agent_id = coder_agent.main.id
  slug     = "chat"
  url      = "http://localhost:3284/"
  healthcheck {
    url       = "http://localhost:3284/status"
    interval  = 3
    threshold = 20
  }
}
""",
        preamble=pre.TASK_OF_CHAT,
    ),
    check=check,
    per_scenario=True,
)
