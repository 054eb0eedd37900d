"""The scenarios Coder builds a template under (``../shared/spec/scenarios.md``).

``import`` (every parameter at its default), ``preset:<name>`` (defaults
overridden by the preset's values), ``prebuild:<name>`` (the same, as a
prebuild, for presets with ``prebuilds { instances > 0 }``) and ``task``
(the preset the web UI sends: the default one, else the first, else none,
with ``coder_task.enabled``). Parameter values are strings, computed pass by
pass until they stop changing: a parameter's ``default`` or ``count`` may
read another parameter, so one may appear or vanish with another's value.

Cost: the configuration model is shared; each pass evaluates only the
parameters' ``name``, ``default`` and ``count`` (one :class:`Evaluator` a
pass, memoised), at most :data:`MAX_PASSES` passes a scenario.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from aitask_lint.analysis import hclfuncs
from aitask_lint.analysis.evaluate import Evaluator
from aitask_lint.analysis.scenario import TASK_PROMPT, ParameterState, Scenario, ValueSource
from aitask_lint.model.config import ConfigTree, Module, Resource
from aitask_lint.values import UNKNOWN

#: evaluation passes until parameter values settle (a chain of parameters whose
#: defaults read each other needs one pass a link; a cycle never settles)
MAX_PASSES = 8
#: presets evaluated as scenarios (each preset is one, two with prebuilds)
MAX_PRESETS = 64


@dataclass(frozen=True)
class ScenarioOptions:
    """Which scenarios to evaluate and the user's own parameter values.

    ``presets``: only these presets (plus ``import``); ``parameters``: a value
    for every scenario (``--parameter NAME=VALUE``; a preset's value wins over
    it, as coderd orders them); ``kinds``: ``import``, ``presets``, ``task``
    or ``all``.
    """

    presets: tuple[str, ...] = ()
    parameters: Mapping[str, str] = field(default_factory=dict)
    kinds: tuple[str, ...] = ("all",)

    def wants(self, kind: str) -> bool:
        return "all" in self.kinds or kind in self.kinds


@dataclass(frozen=True, slots=True)
class Preset:
    """A ``data "coder_workspace_preset"`` as evaluated at import."""

    name: str
    resource: Resource
    module: Module
    #: parameter name -> value (strings, as coderd stores them); UNKNOWN values kept
    parameters: dict[str, Any]
    default: bool
    #: ``prebuilds { instances }`` when known (0 without a prebuilds block)
    instances: int | None


def parameters_of(tree: ConfigTree) -> Iterator[tuple[Resource, Module]]:
    """Every ``data "coder_parameter"`` at any module depth, in source order."""
    for module in tree.modules():
        for resource in module.resources_of("coder_parameter", "data"):
            yield resource, module


def preset_names(tree: ConfigTree, imported: Scenario) -> frozenset[str] | None:
    """The names of the template's presets under ``imported``; None when some name is unknown.

    ``check --preset NAME`` refuses a name no checked template has (as
    ``tasks --preset`` does), but only where it can tell: a preset whose name
    or count is not known at import might be the one asked for.
    """
    declared = sum(
        len(module.resources_of("coder_workspace_preset", "data")) for module in tree.modules()
    )
    known = presets_of(tree, Evaluator(tree, imported))
    return frozenset(p.name for p in known) if len(known) == declared else None


def presets_of(tree: ConfigTree, evaluator: Evaluator) -> list[Preset]:
    """Every ``data "coder_workspace_preset"`` with a known name, in source order."""
    found: list[Preset] = []
    for module in tree.modules():
        for resource in module.resources_of("coder_workspace_preset", "data"):
            if evaluator.instances(resource, module) == 0:
                continue
            name = evaluator.value(resource.attributes.get("name"), module)
            if not isinstance(name, str):
                continue
            values = evaluator.value(resource.attributes.get("parameters"), module)
            parameters: dict[str, Any] = {}
            if isinstance(values, dict):
                for key, value in values.items():
                    try:
                        text = hclfuncs.to_string(value)
                    except hclfuncs.EvaluationError:
                        text = UNKNOWN
                    parameters[key] = text if isinstance(text, str) else UNKNOWN
            default = evaluator.value(resource.attributes.get("default"), module) is True
            found.append(
                Preset(
                    name,
                    resource,
                    module,
                    parameters,
                    default,
                    _instances(resource, module, evaluator),
                )
            )
    return found


def _instances(resource: Resource, module: Module, evaluator: Evaluator) -> int | None:
    blocks = resource.blocks_of("prebuilds")
    if not blocks:
        return 0
    value = evaluator.value(blocks[0].attributes.get("instances"), module)
    return int(value) if hclfuncs.is_number(value) and value == int(value) else None


def task_preset(presets: Sequence[Preset]) -> Preset | None:
    """The preset the web UI sends with a task: the default one, else the first, else none."""
    for preset in presets:
        if preset.default:
            return preset
    return presets[0] if presets else None


def settle(
    tree: ConfigTree,
    overrides: Mapping[str, tuple[Any, ValueSource]],
    base: Scenario,
    refs: dict[int, Any] | None = None,
) -> Scenario:
    """``base`` with parameter values computed until stable.

    ``overrides``: parameter name -> (value, source) for values given by a
    preset or the user; every other present parameter takes its default as a
    string, or ``""`` when it has none.
    """
    return _settle(tree, overrides, base, refs)[0]


def _settle(
    tree: ConfigTree,
    overrides: Mapping[str, tuple[Any, ValueSource]],
    base: Scenario,
    refs: dict[int, Any] | None = None,
) -> tuple[Scenario, bool]:
    """:func:`settle`, and whether the values read the workspace or task context.

    Values that read no context are the same in every context: a prebuild gets
    its preset's values, a task its preset's, without evaluating again.
    """
    values: dict[str, Any] = {}
    states: tuple[ParameterState, ...] = ()
    scenario = base
    refs = {} if refs is None else refs
    for _ in range(MAX_PASSES):
        scenario = _replace(base, values, states)
        evaluator = Evaluator(tree, scenario, refs=refs)
        new_values: dict[str, Any] = {}
        new_states: list[ParameterState] = []
        for resource, module in parameters_of(tree):
            if evaluator.absent_by(resource, module) is not None:
                continue
            name = evaluator.value(resource.attributes.get("name"), module)
            if not isinstance(name, str) or name in new_values:
                continue
            default = resource.attributes.get("default")
            default_value = evaluator.value(default, module) if default is not None else None
            required = default is None or default_value is None
            source: ValueSource
            if name in overrides:
                value, source = overrides[name]
            elif required:
                value, source = "", "none"
            else:
                value, source = _as_string(default_value), "default"
            new_values[name] = value
            new_states.append(
                ParameterState(
                    name, resource.local_address, resource.module, value, source, required
                )
            )
        # nothing read another parameter or the context: these values are final
        stable = not evaluator.reads or _same(new_values, values)
        values, states = new_values, tuple(new_states)
        contextual = any(kind != "parameter" for kind, _key in evaluator.reads)
        if stable:
            return _replace(base, values, states), contextual
    return _replace(base, values, states, unstable=True), True


def _as_string(value: Any) -> Any:
    try:
        text = hclfuncs.to_string(value)
    except hclfuncs.EvaluationError:
        return UNKNOWN  # a list or object default: not a parameter value Coder accepts
    return text if isinstance(text, str) else UNKNOWN


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a.keys() == b.keys() and all(a[k] is b[k] or a[k] == b[k] for k in a)


def _replace(
    base: Scenario,
    values: dict[str, Any],
    states: tuple[ParameterState, ...],
    unstable: bool = False,
) -> Scenario:
    return replace(base, parameters=dict(values), states=states, unstable=unstable)


def scenarios_of(tree: ConfigTree, options: ScenarioOptions | None = None) -> list[Scenario]:
    """The scenarios to evaluate ``tree`` under, in a stable order.

    ``import`` first (its values also name the presets), then each preset
    (and its prebuild), then ``task``. With ``options.presets`` only those
    presets, plus ``import``.
    """
    options = options or ScenarioOptions()
    user: dict[str, tuple[Any, ValueSource]] = {
        name: (value, "user") for name, value in options.parameters.items()
    }
    refs: dict[int, Any] = {}
    imported = settle(tree, user, Scenario("import", "import"), refs)
    presets = presets_of(tree, Evaluator(tree, imported, refs=refs))[:MAX_PRESETS]
    found: list[Scenario] = []
    #: each preset's scenario and whether its values read the context
    settled: dict[str, tuple[Scenario, bool]] = {}
    if options.wants("import") or options.presets:
        found.append(imported)
    chosen = [p for p in presets if not options.presets or p.name in options.presets]
    if options.wants("presets") or options.presets:
        for preset in chosen:
            overrides = {**user, **_preset_values(preset)}
            keys: tuple[str, ...] = tuple(preset.parameters)
            built, contextual = _settle(
                tree,
                overrides,
                Scenario(f"preset:{preset.name}", "preset", preset=preset.name, preset_keys=keys),
                refs,
            )
            found.append(built)
            settled[preset.name] = (built, contextual)
            if preset.instances:
                prebuild = Scenario(
                    f"prebuild:{preset.name}",
                    "prebuild",
                    preset=preset.name,
                    preset_keys=keys,
                    is_prebuild=True,
                    prebuild_count=1,
                )
                found.append(
                    settle(tree, overrides, prebuild, refs)
                    if contextual
                    else _replace(prebuild, built.parameters, built.states)
                )
    if options.wants("task") and not options.presets:
        given = task_preset(presets)
        overrides = dict(user)
        keys = ()
        if given is not None:
            overrides.update(_preset_values(given))
            keys = tuple(given.parameters)
        task = Scenario(
            "task",
            "task",
            preset=given.name if given else None,
            preset_keys=keys,
            task_enabled=True,
            task_prompt=TASK_PROMPT,
        )
        same, contextual = (
            settled.get(given.name, (None, True)) if given is not None else (imported, True)
        )
        if same is not None and not contextual:
            found.append(_replace(task, same.parameters, same.states))
        else:
            found.append(settle(tree, overrides, task, refs))
    return found


def _preset_values(preset: Preset) -> dict[str, tuple[Any, ValueSource]]:
    return {name: (value, "preset") for name, value in preset.parameters.items()}
