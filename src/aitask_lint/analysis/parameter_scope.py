"""Which parameters exist, with which value, in each way Coder builds a template.

The AIT6xx rules ask one question per scenario (``../shared/spec/scenarios.md``):
which ``coder_parameter`` blocks have an instance, what each one's value is
and where it came from, and what the presets say. The scenario engine
(:mod:`aitask_lint.analysis.scenarios`) settles the parameter values of each
scenario; this module reads every parameter's definition under those values
(:func:`aitask_lint.analysis.parameters.read_parameter`) and keeps the
presets with the position of each of their keys, which the rules point at.

:class:`ParameterScope` is the small interface the rules use, computed once
per root and per scenario.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from aitask_lint.analysis.evaluate import Evaluator
from aitask_lint.analysis.parameters import (
    Parameter,
    Preset,
    parameter_blocks,
    parameter_from_values,
    preset_from_values,
    presets,
    read_parameter,
)
from aitask_lint.analysis.scenario import Scenario
from aitask_lint.model.config import ConfigTree, Location, Module, Resource
from aitask_lint.values import UNKNOWN


@dataclass(slots=True)
class ScopedParameter:
    """A parameter as one scenario sees it."""

    parameter: Parameter
    #: True / False, or None when its count (or a module's above it) is not known
    present: bool | None
    #: the value the build gets (a string), UNKNOWN when not known
    value: Any
    #: the value came from the scenario's preset or the user (else the default, or "")
    from_input: bool


class ParameterScope:
    """The template's parameters and presets under each scenario, computed once each."""

    def __init__(self, tree: ConfigTree, scenarios: Sequence[Scenario] | None = None) -> None:
        self.tree = tree
        if scenarios is None:
            from aitask_lint.analysis.scenarios import scenarios_of

            scenarios = scenarios_of(tree)
        self.scenarios = list(scenarios)
        self._scoped: dict[str, list[ScopedParameter]] = {}
        #: (scenario values read, definitions) of each distinct reading so far
        self._read_once: list[
            tuple[tuple[tuple[tuple[str, str], Any], ...], list[tuple[Parameter, bool | None]]]
        ] = []

    @cached_property
    def import_scenario(self) -> Scenario:
        """The ``import`` scenario (settled even when the options leave it out)."""
        for scenario in self.scenarios:
            if scenario.kind == "import":
                return scenario
        from aitask_lint.analysis.scenarios import settle

        return settle(self.tree, {}, Scenario("import", "import"))

    @cached_property
    def import_evaluator(self) -> Evaluator:
        return Evaluator(self.tree, self.import_scenario)

    @cached_property
    def presets(self) -> list[Preset]:
        """Every preset with an instance at import, its entries located."""
        return presets(self.tree, self.import_evaluator)

    def scenario(self, name: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.name == name), None)

    def scenarios_of_preset(self, preset: Preset) -> tuple[str, ...]:
        """``preset:<name>`` and, with prebuilds, ``prebuild:<name>`` (those evaluated)."""
        return tuple(s.name for s in self.scenarios if s.preset == preset.name and s.kind != "task")

    def preset(self, name: str | None) -> Preset | None:
        return next((p for p in self.presets if p.name == name), None) if name else None

    def parameters(self, scenario: Scenario | None = None) -> list[ScopedParameter]:
        """Every parameter block, read and valued under ``scenario`` (default: import)."""
        scenario = scenario or self.import_scenario
        cached = self._scoped.get(scenario.name)
        if cached is not None:
            return cached
        states = {(s.module, s.address): s for s in scenario.states}
        preset = self.preset(scenario.preset)
        # a preset whose ``parameters`` cannot be read may set any parameter
        inputs_known = preset is None or preset.value_map() is not UNKNOWN
        scoped = []
        for parameter, present in self._definitions(scenario):
            resource = parameter.resource
            state = states.get((resource.module, resource.local_address))
            from_input = state is not None and state.source in ("preset", "user")
            value = state.value if state is not None else UNKNOWN
            if not from_input and not inputs_known:
                value = UNKNOWN
            scoped.append(ScopedParameter(parameter, present, value, from_input))
        self._scoped[scenario.name] = scoped
        return scoped

    def _definitions(self, scenario: Scenario) -> list[tuple[Parameter, bool | None]]:
        """Each parameter block read under ``scenario``, and whether it has an instance.

        Reused from an earlier scenario whose values agree at every scenario
        value the reading read (the evaluator records them; evaluation is
        deterministic in what it reads, as ``lint/scenario_runs.py`` relies on
        for the rules): parameters whose definitions and counts read nothing
        are read once for all scenarios.
        """
        for reads, earlier in self._read_once:
            if all(_same(scenario.lookup(kind, key), value) for (kind, key), value in reads):
                return earlier
        evaluator = Evaluator(self.tree, scenario)
        definitions: list[tuple[Parameter, bool | None]] = []
        for resource, module in parameter_blocks(self.tree):
            present: bool | None = True
            if evaluator.absent_by(resource, module) is not None:
                present = False
            elif not _counted(evaluator, resource, module):
                present = None
            definitions.append((read_parameter(evaluator, resource, module), present))
        self._read_once.append((tuple(evaluator.reads.items()), definitions))
        return definitions

    def defined(self, name: str, scenario: Scenario) -> bool | None:
        """Whether a parameter named ``name`` exists in ``scenario`` (None: cannot tell)."""
        answer: bool | None = False
        for scoped in self.parameters(scenario):
            if scoped.parameter.name is UNKNOWN:
                answer = None if answer is False else answer
            elif scoped.parameter.name == name:
                if scoped.present:
                    return True
                if scoped.present is None:
                    answer = None
        return answer


def _same(a: Any, b: Any) -> bool:
    """The same value: identical, or equal and of the same type (``1`` is not ``True``)."""
    return a is b or (type(a) is type(b) and a == b)


def _counted(evaluator: Evaluator, resource: Resource, module: Module) -> bool:
    """Whether the instance count of ``resource`` and every module call above it is known."""
    tree = evaluator.tree
    for depth in range(len(module.path)):
        parent = tree.module_at(module.path[:depth])
        call = parent.calls.get(module.path[depth]) if parent else None
        if call is not None and parent is not None and evaluator.instances(call, parent) is None:
            return False
    return evaluator.instances(resource, module) is not None


#: the one scenario of plan input: the values the plan was made with
PLAN = Scenario("plan", "plan")


class PlanParameterScope(ParameterScope):
    """A plan's own parameters and presets, as the provider read them: one scenario, ``plan``.

    A plan exists only when the provider accepted every value in it, but it
    never compares presets with parameters: a preset's value outside a
    parameter's options, or a key no parameter has, shows here as in a
    ``preset:`` scenario of a configuration.
    """

    def __init__(
        self,
        tree: ConfigTree,
        parameters: Sequence[ScopedParameter],
        plan_presets: Sequence[Preset],
    ) -> None:
        super().__init__(tree, [PLAN])
        self._plan_parameters = list(parameters)
        self._plan_presets = list(plan_presets)

    @cached_property
    def import_scenario(self) -> Scenario:
        return PLAN

    @cached_property
    def presets(self) -> list[Preset]:
        return self._plan_presets

    def scenario(self, name: str) -> Scenario | None:
        """Every ``preset:`` question is answered by the plan's values."""
        return PLAN if name == "plan" or name.startswith("preset:") else None

    def scenarios_of_preset(self, preset: Preset) -> tuple[str, ...]:
        return ("plan",)

    def parameters(self, scenario: Scenario | None = None) -> list[ScopedParameter]:
        return self._plan_parameters


def plan_scope(
    tree: ConfigTree,
    parameters: Sequence[tuple[Mapping[str, Any], str, Location]],
    plan_presets: Sequence[tuple[Mapping[str, Any], str, Location]],
) -> PlanParameterScope:
    """The plan scope from ``(values, address, location)`` of each data source instance."""
    scoped = [
        ScopedParameter(
            parameter_from_values(values, address, location),
            True,
            values.get("value", UNKNOWN),
            False,
        )
        for values, address, location in parameters
    ]
    found = [
        preset_from_values(values, address, location) for values, address, location in plan_presets
    ]
    return PlanParameterScope(tree, scoped, found)
