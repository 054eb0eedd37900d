"""One way Coder builds a template: the values an evaluation runs under.

A :class:`Scenario` is plain data (no evaluation here): the parameter values
by parameter ``name`` (always strings, as Terraform sees
``data.coder_parameter.X.value``), the ``coder_workspace`` and ``coder_task``
context, and which preset it comes from. :mod:`aitask_lint.analysis.scenarios`
computes them; :class:`aitask_lint.analysis.resolve.Evaluator` evaluates under
one. It imports nothing of ours but the ``UNKNOWN`` value, so the evaluator
can depend on it without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from aitask_lint.values import UNKNOWN

ScenarioKind = Literal["import", "preset", "prebuild", "task", "plan"]
#: where a parameter's value came from: its default, a preset, the user, or nowhere
#: (a required parameter without a value: ``""``)
ValueSource = Literal["default", "preset", "user", "none"]

#: the prompt a task scenario carries (any non-empty text: Coder's CLI refuses an empty one)
TASK_PROMPT = "(the task prompt)"


@dataclass(frozen=True, slots=True)
class ParameterState:
    """One ``coder_parameter`` present in a scenario, and where its value came from."""

    name: str
    #: module-local address (``data.coder_parameter.x``) and module path
    address: str
    module: tuple[str, ...]
    #: the value as Terraform sees it: a string, or UNKNOWN
    value: Any
    #: "default", "preset", "user" (``--parameter``) or "none" (required, no value: ``""``)
    source: ValueSource
    #: no default (or ``default = null``): Coder requires a value
    required: bool


@dataclass(frozen=True, slots=True)
class Scenario:
    """The values one evaluation of the template runs under."""

    #: ``import``, ``preset:<name>``, ``prebuild:<name>``, ``task`` (or ``plan``)
    name: str
    kind: ScenarioKind
    #: parameter values by parameter name (strings, or UNKNOWN when not computable)
    parameters: dict[str, Any] = field(default_factory=dict)
    #: the parameters present in this scenario (count 0 ones are absent), in source order
    states: tuple[ParameterState, ...] = ()
    #: the preset this scenario builds with (``task``: the preset a task gets, if any)
    preset: str | None = None
    #: keys of the preset's ``parameters`` (AIT604 compares them with ``states``)
    preset_keys: tuple[str, ...] = ()
    start_count: int = 1
    transition: str = "start"
    is_prebuild: bool = False
    prebuild_count: int = 0
    task_enabled: bool = False
    task_prompt: str = ""
    #: parameter values did not settle within the pass bound (a parameter cycle)
    unstable: bool = False

    def workspace(self, attribute: str) -> Any:
        """``data.coder_workspace.<label>.<attribute>`` in this scenario (UNKNOWN if not known)."""
        if attribute == "start_count":
            return self.start_count
        if attribute == "transition":
            return self.transition
        if attribute == "is_prebuild":
            return self.is_prebuild
        if attribute == "prebuild_count":
            return self.prebuild_count
        if attribute == "is_prebuild_claim":
            return False
        return UNKNOWN

    def task(self, attribute: str) -> Any:
        """``data.coder_task.<label>.<attribute>`` in this scenario."""
        if attribute == "enabled":
            return self.task_enabled
        if attribute == "prompt":
            return self.task_prompt
        return UNKNOWN

    def lookup(self, kind: str, key: str) -> Any:
        """A value the evaluator reads: ``("parameter", name)``, ``("workspace", ...)``, ..."""
        if kind == "parameter":
            return self.parameters.get(key, UNKNOWN)
        if kind == "workspace":
            return self.workspace(key)
        if kind == "task":
            return self.task(key)
        if kind == "scenario" and key == "kind":
            return self.kind
        return UNKNOWN

    @property
    def phrase(self) -> str:
        """How a message names this scenario: ``under preset "AI"``, ``when a task is created``."""
        return describe(self.name)


def describe(name: str) -> str:
    """A scenario name (``preset:AI``) as words in a finding's message."""
    kind, _, preset = name.partition(":")
    if kind == "import":
        return "at template import"
    if kind == "preset":
        return f'under preset "{preset}"'
    if kind == "prebuild":
        return f'for prebuilds of preset "{preset}"'
    if kind == "task":
        return "when a task is created"
    return name


def describe_all(names: list[str] | tuple[str, ...]) -> str:
    """Several scenarios in one phrase: ``under preset "A" and when a task is created``."""
    phrases = [describe(name) for name in names]
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]
