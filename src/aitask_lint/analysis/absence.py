"""Why a task's app is missing under a scenario, in words (AIT606 and ``tasks``).

Shared by the AIT606 rule and the ``tasks`` command: both say which
scenario removes the app and the condition that does it, with the values
it reads there (``count = `data.coder_parameter.chat.value ? 1 : 0`, which
is 0 with parameter "chat" = "false"``).
"""

from __future__ import annotations

import json

from aitask_lint import coder_text as ct
from aitask_lint.analysis.evaluate import FAILED, Evaluator
from aitask_lint.analysis.scenario import Scenario
from aitask_lint.analysis.tasks import AppChain, StaticTask
from aitask_lint.model.config import ConfigTree, Expr, Module
from aitask_lint.values import NIL_UUID, UNKNOWN

#: task problems that AIT106 / AIT107 / AIT301 report whatever the values
BROKEN_ANYWAY = frozenset({"unset", "unresolved", "not-app", "invalid-uuid"})


def _text(expr: Expr | None) -> str:
    if expr is None:
        return ""
    if expr.source is not None:
        return " ".join(expr.source.split())
    return ", ".join(ref.text for ref in expr.refs) or json.dumps(
        expr.value if expr.value is not UNKNOWN else None
    )


def reads_text(
    tree: ConfigTree, scenario: Scenario | None, expr: Expr | None, module: Module
) -> str:
    """`` with parameter "chat" = "false"``: the scenario values ``expr`` reads ("" if none)."""
    probe = Evaluator(tree, scenario)
    probe.value(expr, module)
    said = []
    for (kind, key), value in probe.reads.items():
        if kind == "scenario":
            continue
        shown = json.dumps(value) if isinstance(value, str | bool | int) else "unknown"
        if kind == "parameter":
            said.append(f'parameter "{key}" = {shown}')
        else:
            said.append(f"coder_{kind} {key} = {shown}")
    return f" with {', '.join(said)}" if said else ""


def app_absent(tree: ConfigTree, evaluator: Evaluator, chain: AppChain) -> str | None:
    """Why the chain's app has no instance under the evaluator's scenario (None: it may have)."""
    found = evaluator.absent_by(chain.app, chain.module)
    if found is None:
        return None
    expr, module = found
    owner, kind = f"`{chain.app.address}`", "count"
    if expr is chain.app.for_each:
        kind = "for_each"
    elif expr is not chain.app.count:  # a module call above the app
        for call in module.calls.values():
            if expr is call.count or expr is call.for_each:
                owner = f"`{module.prefix}module.{call.name}` (which creates {owner})"
                kind = "count" if expr is call.count else "for_each"
    empty = "0" if kind == "count" else "empty"
    because = reads_text(tree, evaluator.scenario, expr, module)
    return f"{owner} has {kind} = `{_text(expr)}`, which is {empty}{because}"


def task_breaks(tree: ConfigTree, evaluator: Evaluator, task: StaticTask) -> str | None:
    """What leaves an existing task without its app under the evaluator's scenario.

    None when the task has no instance there, its reference is broken whatever
    the values (other rules say so), or some app may exist.
    """
    if not task.chains or any(p.kind in BROKEN_ANYWAY for p in task.problems):
        return None
    if evaluator.instances(task.task, task.module) in (0, None):
        return None
    reasons = [app_absent(tree, evaluator, chain) for chain in task.chains]
    if all(reason is not None for reason in reasons):
        why = "; ".join(reason for reason in reasons if reason)
        detail = f"leads only to apps that have no instance: {why}"
        if plan_fails(evaluator, task):
            detail += f'; Terraform fails the plan: "{ct.INVALID_INDEX_EMPTY()}"'
        return detail
    value = evaluator.value(task.expression, task.module)
    if value in ("", NIL_UUID):
        shown = '""' if value == "" else "the nil UUID"
        because = reads_text(tree, evaluator.scenario, task.expression, task.module)
        return f"evaluates to {shown}{because}"
    return None


def plan_fails(evaluator: Evaluator, task: StaticTask) -> bool:
    """The app id indexes an app with no instance (``coder_app.chat[count.index].id`` of
    zero apps): Terraform's "Invalid index" fails the plan, so the build (and at
    ``import`` the template version) fails before any task page exists."""
    return evaluator.outcome(task.expression, task.module) is FAILED
