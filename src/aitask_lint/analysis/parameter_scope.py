"""Which parameters exist, with which value, in each way Coder builds a template.

The AIT6xx rules ask one question per scenario (``../shared/spec/scenarios.md``):
which ``coder_parameter`` blocks have an instance, and what each one's value
is. A parameter's ``count`` may read another parameter (a conditional
parameter a preset enables), so the answer needs an evaluator that knows the
scenario's parameter values and workspace context: :class:`ScenarioEvaluator`
adds exactly that to :class:`Evaluator` (parameter values as strings, the
``coder_workspace`` / ``coder_task`` context, ``==``/``!=``/``!``/``&&``/``||``
and Terraform's string-to-bool conversion in a condition). Chained
parameters resolve through the evaluator's recursion, which is the iteration
to a stable set of values that Coder's repeated planning performs.

:class:`ParameterScope` is the small interface the rules use; it stays when
the general scenario engine replaces the evaluator behind it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from aitask_lint.analysis.parameters import (
    PARAMETER,
    Parameter,
    Preset,
    as_parameter_string,
    presets,
    read_parameter,
)
from aitask_lint.analysis.resolve import Evaluator, _descend
from aitask_lint.hcl import expressions as hx
from aitask_lint.model.config import ConfigTree, Module, Resource
from aitask_lint.model.refs import Ref, target_of
from aitask_lint.model.values import UNKNOWN

#: the prompt a task build gets (any non-empty text: the linter never reads it)
TASK_PROMPT = "(the task's prompt)"


@dataclass(frozen=True, slots=True)
class Scenario:
    """One way Coder evaluates the template (scenarios.md, "The scenarios")."""

    #: ``import``, ``preset:<name>``, ``prebuild:<name>`` or ``task``
    name: str
    kind: str
    #: the preset whose values apply, if any
    preset: str | None = None
    #: parameter name -> value the build sends (a preset's values; UNKNOWN when computed)
    inputs: tuple[tuple[str, Any], ...] = ()
    is_prebuild: bool = False
    task: bool = False
    #: False when the preset's ``parameters`` map cannot be read (a computed key, plan
    #: JSON's references): then no parameter's value is known in this scenario
    inputs_known: bool = True

    @property
    def label(self) -> str:
        """How a message names the scenario."""
        if self.kind == "import":
            return "at template import (every parameter at its default)"
        if self.kind == "task":
            with_preset = f' with preset "{self.preset}"' if self.preset else " without a preset"
            return f"when a task is created{with_preset}"
        if self.kind == "prebuild":
            return f'in the prebuilds of preset "{self.preset}"'
        return f'under preset "{self.preset}"'


IMPORT = Scenario("import", "import")


def scenarios_of(all_presets: list[Preset], has_task: bool) -> list[Scenario]:
    """``import``, each ``preset:``, each ``prebuild:`` and, for task templates, ``task``."""
    found = [IMPORT]
    for preset in all_presets:
        if not isinstance(preset.name, str):
            continue
        inputs, known = _inputs(preset)
        found.append(
            Scenario(f"preset:{preset.name}", "preset", preset.name, inputs, inputs_known=known)
        )
        if preset.has_prebuilds:
            found.append(
                Scenario(
                    f"prebuild:{preset.name}",
                    "prebuild",
                    preset.name,
                    inputs,
                    is_prebuild=True,
                    inputs_known=known,
                )
            )
    if has_task:
        chosen = task_preset(all_presets)
        inputs, known = _inputs(chosen) if chosen is not None else ((), True)
        name = chosen.name if chosen is not None and isinstance(chosen.name, str) else None
        found.append(Scenario("task", "task", name, inputs, task=True, inputs_known=known))
    return found


def _inputs(preset: Preset) -> tuple[tuple[tuple[str, Any], ...], bool]:
    """The preset's values as a scenario's inputs, and whether they could be read."""
    values = preset.value_map()
    if isinstance(values, dict):
        return tuple(values.items()), True
    return (), False


def task_preset(all_presets: list[Preset]) -> Preset | None:
    """The preset the web UI sends with a task: the default one, else the first (§8)."""
    for preset in all_presets:
        if preset.default is True:
            return preset
    return all_presets[0] if all_presets else None


class ScenarioEvaluator(Evaluator):
    """:class:`Evaluator` under one scenario's parameter values and workspace context."""

    def __init__(
        self, tree: ConfigTree, scenario: Scenario, workspace: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(tree)
        self.scenario = scenario
        self.inputs = dict(scenario.inputs)
        #: ``data.coder_workspace`` values that replace the scenario's (a plan's own values)
        self.workspace_values = dict(workspace or {})

    def _node(self, node: Any, module: Module, depth: int) -> Any:
        if isinstance(node, hx.BinaryOp) and node.op in ("==", "!=", "&&", "||"):
            left = self._node(node.left, module, depth)
            right = self._node(node.right, module, depth)
            if left is UNKNOWN or right is UNKNOWN:
                return UNKNOWN
            if node.op in ("==", "!="):
                same = _terraform_equal(left, right)
                return same if node.op == "==" else not same
            left, right = _to_bool(left), _to_bool(right)
            if left is UNKNOWN or right is UNKNOWN:
                return UNKNOWN
            return (left and right) if node.op == "&&" else (left or right)
        if isinstance(node, hx.UnaryOp) and node.op == "!":
            value = _to_bool(self._node(node.operand, module, depth))
            return UNKNOWN if value is UNKNOWN else not value
        if isinstance(node, hx.Conditional):
            condition = _to_bool(self._node(node.condition, module, depth))
            if condition is UNKNOWN:
                return UNKNOWN
            return self._node(node.true_result if condition else node.false_result, module, depth)
        if isinstance(node, hx.FunctionCall) and node.name in ("tobool", "tonumber", "tostring"):
            if len(node.args) != 1:
                return UNKNOWN
            value = self._node(node.args[0], module, depth)
            if node.name == "tobool":
                return _to_bool(value)
            if node.name == "tonumber":
                return _to_number(value)
            return as_parameter_string(value) if value is not None else None
        return super()._node(node, module, depth)

    def _ref(self, ref: Ref, module: Module, depth: int) -> Any:
        target = target_of(ref)
        if target.kind != "data":
            return super()._ref(ref, module, depth)
        resource = module.resources.get(target.address)
        if resource is None:
            return UNKNOWN
        if resource.type == PARAMETER:
            return self._parameter_ref(resource, module, target.index, target.rest, depth)
        if resource.type == "coder_workspace":
            return _descend(self._workspace(), target.rest)
        if resource.type == "coder_task":
            return _descend(self._task(), target.rest)
        return UNKNOWN

    def _parameter_ref(
        self, resource: Resource, module: Module, index: Any, rest: tuple[Any, ...], depth: int
    ) -> Any:
        count = self.count(resource, module)
        if index is not None:
            key = index.key if index.kind == "index" else UNKNOWN
            if count is UNKNOWN or not isinstance(key, int):
                return UNKNOWN
            if not 0 <= key < count:
                return UNKNOWN  # Terraform: "Invalid index"; try() falls back (unknown here)
        elif count is not None:
            return UNKNOWN  # the whole list of instances: not followed
        if not rest or rest[0].kind != "attr":
            return UNKNOWN
        attribute = rest[0].name
        if attribute == "value":
            return _descend(self.parameter_value(resource, module, depth), rest[1:])
        expr = resource.attributes.get(attribute)
        return _descend(self.value(expr, module, depth + 1), rest[1:]) if expr else UNKNOWN

    def parameter_value(self, resource: Resource, module: Module, depth: int = 0) -> Any:
        """The value as a string: the scenario's input, else the default, else ``""``."""
        name_expr = resource.attributes.get("name")
        name = self.value(name_expr, module, depth + 1) if name_expr is not None else UNKNOWN
        if not isinstance(name, str):
            return UNKNOWN
        if name in self.inputs:
            return self.inputs[name]
        if not self.scenario.inputs_known:
            return UNKNOWN  # the preset may set it
        default_expr = resource.attributes.get("default")
        if default_expr is None:
            return ""
        default = as_parameter_string(self.value(default_expr, module, depth + 1))
        return "" if default is None else default

    def count(self, resource: Resource, module: Module) -> Any:
        """The resource's ``count`` in this scenario: None without one, an int, or UNKNOWN."""
        if resource.for_each is not None:
            return UNKNOWN
        if resource.count is None:
            return None
        value = _to_number(self.value(resource.count, module))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return value if isinstance(value, int) and value >= 0 else UNKNOWN

    def _workspace(self) -> dict[str, Any]:
        prebuild = self.scenario.is_prebuild
        values = {
            "start_count": 1,
            "transition": "start",
            "is_prebuild": prebuild,
            "prebuild_count": 1 if prebuild else 0,
            "is_prebuild_claim": False,
        }
        return {**values, **self.workspace_values}

    def _task(self) -> dict[str, Any]:
        task = self.scenario.task
        return {"enabled": task, "prompt": TASK_PROMPT if task else ""}


def _terraform_equal(left: Any, right: Any) -> bool:
    """``==`` without conversion: a string never equals a number or a bool."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return bool(left == right)
    return type(left) is type(right) and bool(left == right)


def _to_bool(value: Any) -> Any:
    """Terraform's conversion to bool: a bool, or the strings ``"true"``/``"false"``."""
    if isinstance(value, bool):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    return UNKNOWN


def _to_number(value: Any) -> Any:
    """Terraform's conversion to number: a number, or a string that parses as one."""
    if isinstance(value, bool):
        return UNKNOWN
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return UNKNOWN
        return int(number) if number.is_integer() and "." not in value else number
    return UNKNOWN


@dataclass(slots=True)
class ScopedParameter:
    """A parameter as one scenario sees it."""

    parameter: Parameter
    #: True / False, or None when its count (or a module's above it) is not known
    present: bool | None
    #: the value the build gets (string), UNKNOWN when not known
    value: Any
    #: whether the value came from the scenario's input (else the default, or "")
    from_input: bool


@dataclass
class ParameterScope:
    """The template's parameters and presets under every scenario, computed once."""

    tree: ConfigTree
    has_task: bool = False
    _scoped: dict[str, list[ScopedParameter]] = field(default_factory=dict)

    @cached_property
    def import_evaluator(self) -> ScenarioEvaluator:
        return ScenarioEvaluator(self.tree, IMPORT)

    @cached_property
    def presets(self) -> list[Preset]:
        return presets(self.tree, self.import_evaluator)

    @cached_property
    def scenarios(self) -> list[Scenario]:
        return scenarios_of(self.presets, self.has_task)

    def scenario(self, name: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.name == name), None)

    def parameters(self, scenario: Scenario = IMPORT) -> list[ScopedParameter]:
        """Every parameter block, read and valued under ``scenario``."""
        cached = self._scoped.get(scenario.name)
        if cached is not None:
            return cached
        evaluator = (
            self.import_evaluator if scenario is IMPORT else ScenarioEvaluator(self.tree, scenario)
        )
        scoped = []
        for module in self.tree.modules():
            present_module = self._module_present(module, evaluator)
            for resource in module.resources_of(PARAMETER, "data"):
                parameter = read_parameter(evaluator, resource, module)
                count = evaluator.count(resource, module)
                present: bool | None = None if count is UNKNOWN else count != 0
                if present_module is not True and present is not False:
                    present = present_module
                name = parameter.name
                from_input = isinstance(name, str) and name in evaluator.inputs
                value = evaluator.parameter_value(resource, module)
                scoped.append(ScopedParameter(parameter, present, value, from_input))
        self._scoped[scenario.name] = scoped
        return scoped

    def _module_present(self, module: Module, evaluator: ScenarioEvaluator) -> bool | None:
        """Whether every module call above ``module`` has an instance (None: unknown)."""
        result: bool | None = True
        for depth in range(len(module.path)):
            parent = self.tree.module_at(module.path[:depth])
            call = parent.calls.get(module.path[depth]) if parent else None
            if call is None or parent is None:
                continue
            if call.for_each is not None:
                result = None
                continue
            if call.count is not None:
                count = _to_number(evaluator.value(call.count, parent))
                if count == 0:
                    return False
                if not isinstance(count, int | float):
                    result = None
        return result

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
