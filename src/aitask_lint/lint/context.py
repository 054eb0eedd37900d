"""What a rule can ask about one input: the model, the tasks, the values.

Built once per scanned root and shared by every rule, so the configuration
is loaded once, the dependency graph built once and the AI tasks analysed
once however many rules read them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from aitask_lint.analysis.scenario import Scenario
from aitask_lint.analysis.scenarios import ScenarioOptions
from aitask_lint.analysis.tasks import StaticTask, TaskAnalysis
from aitask_lint.graph.model import ResourceGraph
from aitask_lint.lint.settings import Settings
from aitask_lint.model.config import ConfigTree, Location, Module, Resource

if TYPE_CHECKING:
    from aitask_lint.analysis.parameter_scope import ParameterScope
    from aitask_lint.convert.models import ConvertedState
    from aitask_lint.tfjson.loader import TerraformDocument


@dataclass
class LintOptions(Settings):
    """What rules may read of the run's settings (command line over configuration, see
    :class:`~aitask_lint.lint.settings.Settings`), and what the run derived from them."""

    #: the ``graph`` DOT, parsed once (it may be a FIFO or ``<(terraform graph)``,
    #: which cannot be read a second time)
    dot_graph: ResourceGraph | None = field(default=None, compare=False, repr=False)
    #: a project root per input path, over ``project_root`` (``check --recursive`` sets
    #: the directory given as the root of every module directory found below it).
    #: ``project_root``: HCL input reads files only inside it (default: the enclosing git
    #: repository of each input, else the input's directory); see docs/configuration.md
    project_roots: dict[str, str] = field(default_factory=dict)
    #: the environment TF_VAR_<name> values come from (None: ``os.environ``)
    environ: dict[str, str] | None = field(default=None, compare=False, repr=False)

    @property
    def scenario_options(self) -> ScenarioOptions:
        """Which scenarios value-dependent rules run under (``--preset``, ``--parameter``,
        ``--scenario``)."""
        return ScenarioOptions(
            presets=tuple(self.presets or ()),
            parameters={k: _text(v) for k, v in (self.parameters or {}).items()},
            kinds=(self.scenario or "all",),
        )


@dataclass
class ValueInstance:
    """One resource instance of a plan's planned values or a state's values."""

    address: str
    resource: dict[str, Any]
    location: Location

    @property
    def type(self) -> str:
        return str(self.resource.get("type", ""))

    @property
    def mode(self) -> str:
        return str(self.resource.get("mode", ""))

    @property
    def values(self) -> dict[str, Any]:
        values = self.resource.get("values")
        return values if isinstance(values, dict) else {}


@dataclass
class LintContext:
    """The input of one lint run over one root (HCL, plan or state)."""

    tree: ConfigTree | None
    document: TerraformDocument | None
    options: LintOptions = field(default_factory=LintOptions)
    #: the scenario this view evaluates values under (None: the scenario-free view, where
    #: parameters and the workspace are unknown, and plan/state input)
    scenario: Scenario | None = None

    def under(self, scenario: Scenario) -> LintContext:
        """This context with values of ``scenario``; the model, graphs and task
        resolutions are shared, only values are evaluated again."""
        view = LintContext(self.tree, self.document, self.options, scenario)
        view.__dict__["_graphs"] = self._graphs
        if self.analysis is not None:
            view.__dict__["analysis"] = self.analysis.under(scenario)
        view.__dict__["is_template"] = self.is_template
        view.__dict__["scenarios"] = self.scenarios
        return view

    @cached_property
    def scenarios(self) -> list[Scenario]:
        """The scenarios of a configuration (none for plan/state values: the plan's own)."""
        if self.tree is None or self.document is not None:
            return []
        from aitask_lint.analysis.scenarios import scenarios_of

        return scenarios_of(self.tree, self.options.scenario_options)

    # -- static side -------------------------------------------------------

    @property
    def static(self) -> bool:
        return self.tree is not None

    @cached_property
    def _graphs(self) -> _Graphs:
        assert self.tree is not None
        return _Graphs(self.tree)

    @property
    def reference_graph(self) -> ResourceGraph:
        """Every reference of the configuration, unreduced (cycles, AIT110), built once."""
        return self._graphs.references()

    @cached_property
    def analysis(self) -> TaskAnalysis | None:
        if self.tree is None:
            return None
        return TaskAnalysis(self.tree, graph_factory=self._graphs.reduced)

    @cached_property
    def tasks(self) -> list[StaticTask]:
        return self.analysis.tasks() if self.analysis is not None else []

    @cached_property
    def parameter_scope(self) -> ParameterScope | None:
        """Parameters and presets under the scenarios (the AIT6xx rules), once per root.

        Plan input has no scenarios of its own to build (its values are the
        plan's): there only the import reading of its configuration applies.
        """
        if self.tree is None:
            return None
        from aitask_lint.analysis.parameter_scope import ParameterScope, plan_scope

        if self.document is not None and self.document.kind == "plan":
            return plan_scope(
                self.tree,
                [
                    (i.values, i.address, i.location)
                    for i in self.all_instances_of("coder_parameter", "data")
                ],
                [
                    (i.values, i.address, i.location)
                    for i in self.all_instances_of("coder_workspace_preset", "data")
                ],
            )
        return ParameterScope(self.tree, self.scenarios)

    def modules(self) -> Iterator[Module]:
        if self.tree is not None:
            yield from self.tree.modules()

    def resources(self, kind: str, mode: str = "managed") -> Iterator[tuple[Resource, Module]]:
        for module in self.modules():
            for resource in module.resources_of(kind, mode):
                yield resource, module

    def never_exists(self, resource: Resource, module: Module) -> bool:
        """True when ``resource``, or a module call above it, statically has no instance.

        See :meth:`TaskAnalysis.never_exists` (the agent chain asks the same question).
        """
        return self.analysis is not None and self.analysis.never_exists(resource, module)

    @cached_property
    def is_template(self) -> bool:
        """A root whose module tree declares a coder_agent (else it is a module)."""
        if self.tree is not None:
            return any(True for _ in self.resources("coder_agent"))
        return any(i.type == "coder_agent" for i in self.instances)

    # -- values side ---------------------------------------------------------

    @property
    def has_values(self) -> bool:
        return self.document is not None

    @cached_property
    def instances(self) -> list[ValueInstance]:
        if self.document is None:
            return []
        return [
            ValueInstance(
                str(r.get("address", "")), r, Location(self.document.path, pointer=pointer)
            )
            for pointer, r in _value_instances(self.document)
        ]

    def instances_of(self, kind: str, mode: str = "managed") -> list[ValueInstance]:
        return [i for i in self.instances if i.type == kind and i.mode == mode]

    @cached_property
    def prior_data(self) -> list[ValueInstance]:
        """Data sources of a plan's prior state (where coder_parameter and presets live)."""
        if self.document is None or self.document.kind != "plan":
            return []
        from aitask_lint.tfjson.loader import iter_instances

        root = ((self.document.data.get("prior_state") or {}).get("values") or {}).get(
            "root_module"
        )
        if not isinstance(root, dict):
            return []
        return [
            ValueInstance(
                str(r.get("address", "")), r, Location(self.document.path, pointer=pointer)
            )
            for pointer, r in iter_instances(root, "/prior_state/values/root_module")
        ]

    @cached_property
    def conversion(self) -> tuple[ConvertedState | None, str | None]:
        """ConvertState over the values, once: (state, None) or (None, Coder's error)."""
        if self.document is None:
            return None, None
        from aitask_lint.convert.api import convert_state
        from aitask_lint.errors import AitaskLintError

        graph: ResourceGraph | str | None = self.options.dot_graph or self.options.graph
        if graph is None and self.document.configuration is not None and self.analysis:
            # the graph the conversion would derive from the same configuration section:
            # built once for the static rules, not loaded and built a second time
            graph = self.analysis.graph
        try:
            return convert_state(self.document, graph), None
        except AitaskLintError as error:
            return None, str(error)

    def all_instances_of(self, kind: str, mode: str) -> list[ValueInstance]:
        """Instances in values plus, for data sources, a plan's prior state."""
        found = self.instances_of(kind, mode)
        if mode == "data":
            seen = {i.address for i in found}
            found += [i for i in self.prior_data if i.type == kind and i.address not in seen]
        return found


def _text(value: Any) -> str:
    """A parameter value as coderd stores it: a string (a TOML number or bool as written)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def conversion_of(context: LintContext) -> tuple[ConvertedState | None, str | None]:
    """Coder's ConvertState over the context's values: (state, None) or (None, Coder's error)."""
    return context.conversion


def _value_instances(document: TerraformDocument) -> Iterator[tuple[str, dict[str, Any]]]:
    from aitask_lint.tfjson.loader import value_instances  # plan/state input only

    return value_instances(document)


class _Graphs:
    """The configuration's graphs, built once, for the rules and the task analysis.

    A separate object, not a closure over the context: the analysis keeps its
    graph factory, and a factory that referred back to the context would make
    every root's whole model a reference cycle (the CLI runs without the
    cycle collector).
    """

    def __init__(self, tree: ConfigTree) -> None:
        self.tree = tree
        self._references: ResourceGraph | None = None
        self._reduced: ResourceGraph | None = None

    def references(self) -> ResourceGraph:
        if self._references is None:
            from aitask_lint.graph.config_graph import build_graph

            self._references = build_graph(self.tree, reduce=False)
        return self._references

    def reduced(self) -> ResourceGraph:
        if self._reduced is None:
            from aitask_lint.graph.model import transitive_reduction

            self._reduced = transitive_reduction(self.references())
        return self._reduced
