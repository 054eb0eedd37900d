"""Run the value-dependent rules once per scenario, and merge what they find.

A template is several configurations in one (``docs/scenarios.md``): a rule
that judges values runs under ``import``, each preset and prebuild, and
``task``. A problem found in every scenario is reported once, as before
scenarios existed; one found in some names them in its message
(``under preset "AI"``) and in the finding's ``scenarios``.

Cost: the model, the graph and the task resolutions are shared
(:meth:`LintContext.under`); each scenario evaluates values again. And a
scenario whose values equal, at every value the rules *read* in an earlier
scenario, those of that scenario gets that scenario's problems without
running anything: evaluation is deterministic in the values it reads, so
the results cannot differ. Ten presets that set parameters no rule reads
cost nothing more.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from aitask_lint.analysis.evaluate import ReadKey
from aitask_lint.analysis.scenario import Scenario, describe_all
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Problem, Rule

#: problems of each rule (by ID) in one scenario
Outcome = dict[str, list[Problem]]


def _same(a: Any, b: Any) -> bool:
    return a is b or (type(a) is type(b) and a == b)


def _reusable(scenario: Scenario, reads: dict[ReadKey, Any]) -> bool:
    return all(_same(scenario.lookup(kind, key), value) for (kind, key), value in reads.items())


def outcomes(context: LintContext, rules: list[Rule]) -> list[tuple[Scenario, Outcome]]:
    """Each scenario of ``context`` with its problems per rule (reused where values agree)."""
    done: list[tuple[dict[ReadKey, Any], Outcome]] = []
    result: list[tuple[Scenario, Outcome]] = []
    for scenario in context.scenarios:
        outcome = next((o for reads, o in done if _reusable(scenario, reads)), None)
        if outcome is None:
            view = context.under(scenario)
            outcome = {rule.id: list(rule.check(view)) for rule in rules}
            reads = view.analysis.evaluator.reads if view.analysis is not None else {}
            done.append((dict(reads), outcome))
        result.append((scenario, outcome))
    return result


def _key(problem: Problem) -> tuple[Any, ...]:
    where = problem.location
    position = (where.path, where.line, where.column, where.pointer) if where is not None else None
    return (problem.message, position, problem.address, problem.severity)


def run_per_scenario(
    context: LintContext, rules: list[Rule]
) -> Iterator[tuple[Rule, Problem, list[str] | None]]:
    """(rule, problem, the scenarios it holds in or None for all) for each distinct problem."""
    runs = outcomes(context, rules)
    total = len(runs)
    for rule in rules:
        held: dict[tuple[Any, ...], tuple[Problem, list[str]]] = {}
        for scenario, outcome in runs:
            for problem in outcome.get(rule.id, []):
                entry = held.setdefault(_key(problem), (problem, []))
                if scenario.name not in entry[1]:
                    entry[1].append(scenario.name)
        for problem, names in held.values():
            if len(names) == total:
                yield rule, problem, None
            else:
                message = f"{problem.message} ({describe_all(names)})"
                yield rule, replace(problem, message=message), names
