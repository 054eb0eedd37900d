"""Static AI-task extraction: task -> app -> agent -> compute, as Coder links them.

For every ``coder_ai_task`` at any module depth this follows ``app_id`` (or
the deprecated ``sidebar_app { id }``, Coder's fallback) to the
``coder_app``(s) it can name, the app's ``agent_id`` to its ``coder_agent``,
and the agent to its compute resource by Coder's rule: the closest managed
resource that is not ``coder_*`` (``coder_external_agent`` excepted) and
depends on the agent, ties broken by the smaller address. Each step that
cannot be resolved is recorded with the reason; lint rules turn those into
findings.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from aitask_lint import coder_text as ct
from aitask_lint.analysis.resolve import Candidate, Evaluator, Resolution, Resolver
from aitask_lint.graph.config_graph import build_graph, expand_node
from aitask_lint.graph.model import ResourceGraph
from aitask_lint.model.config import ConfigTree, Expr, Module, Resource
from aitask_lint.values import NIL_UUID, UNKNOWN, is_uuid

if TYPE_CHECKING:
    from aitask_lint.analysis.scenario import Scenario

Step = Literal["app", "agent", "compute"]
ProblemKind = Literal[
    "unset",  # neither app_id nor sidebar_app
    "unresolved",  # a reference to something that does not exist
    "not-app",  # leads to something that is not a coder_app's id
    "literal",  # a literal id (empty, nil, or one no app of the template can have)
    "invalid-uuid",  # a literal that is not a UUID
    "unknown",  # depends on something only known at plan/apply time: no judgement
    "no-agent",  # the app's agent_id leads to no coder_agent
    "no-compute",  # the agent has no compute resource: Coder drops it
]


@dataclass(slots=True)
class Problem:
    step: Step
    message: str
    kind: ProblemKind = "unresolved"
    #: the literal value, for literal problems
    value: object = None


@dataclass(slots=True)
class AppChain:
    """One ``coder_app`` a task can name, and where it runs."""

    app: Resource
    module: Module
    #: how the task's reference reached the app (None when the app is analysed on its own)
    candidate: Candidate | None = None
    #: the slug (Coder defaults it to the resource name) and url, when known statically
    slug: str | None = None
    url: str | None = None
    agent: Resource | None = None
    compute: Resource | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class StaticTask:
    """A ``coder_ai_task`` and everything its app reference leads to."""

    task: Resource
    module: Module
    #: ``"app_id"``, ``"sidebar_app"`` or None when neither is set
    source: str | None
    expression: Expr | None
    resolution: Resolution
    chains: list[AppChain] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def app_ref(self) -> str:
        if self.expression is None:
            return ""
        if self.expression.source is not None:
            return self.expression.source
        if self.expression.refs:
            return ", ".join(ref.text for ref in self.expression.refs)
        value = self.expression.value
        return value if isinstance(value, str) else ""


def task_app_expression(task: Resource) -> tuple[str | None, Expr | None]:
    """Coder's order: ``app_id``, falling back to ``sidebar_app[0].id``.

    The configuration-side twin of :func:`aitask_lint.coder_text.task_app_id`,
    which applies the same fallback to plan/state values.
    """
    app_id = task.attributes.get(ct.TASK_APP_ID)
    if app_id is not None:
        return ct.TASK_APP_ID, app_id
    sidebars = task.blocks_of(ct.TASK_SIDEBAR_APP)
    if sidebars:
        return ct.TASK_SIDEBAR_APP, sidebars[0].attributes.get(ct.TASK_SIDEBAR_APP_ID)
    return None, None


class TaskAnalysis:
    """AI tasks of a configuration tree, with the graph built once and shared."""

    def __init__(
        self,
        tree: ConfigTree,
        graph: ResourceGraph | None = None,
        graph_factory: Callable[[], ResourceGraph] | None = None,
    ) -> None:
        self.tree = tree
        self.resolver = Resolver(tree)
        self.evaluator = Evaluator(tree)
        #: the graph and each app's agent: value-independent, shared by every scenario's view
        self._shared = _Shared(graph, graph_factory or (lambda: build_graph(tree)))
        self._by_address = {r.address: r for r in tree.all_resources()}
        self._compute: dict[str, Resource | None] = {}
        self._closest: dict[str, tuple[int, str]] | None = None
        #: graph nodes that would be compute candidates but have no instance (count 0)
        self._absent: dict[str, str] = {}
        self._closest_absent: dict[str, tuple[int, str]] | None = None

    def under(self, scenario: Scenario) -> TaskAnalysis:
        """The same analysis with values of ``scenario``.

        The model, the reference resolutions, the graph and each app's agent are
        shared; values, and so which resources exist and which is an agent's
        compute, are evaluated again.
        """
        other = copy.copy(self)
        other.evaluator = Evaluator(self.tree, scenario, refs=self.evaluator.refs)
        other._compute, other._closest = {}, None
        other._absent, other._closest_absent = {}, None
        return other

    @property
    def graph(self) -> ResourceGraph:
        return self._shared.graph()

    def tasks(self) -> list[StaticTask]:
        found = []
        for module in self.tree.modules():
            for task in module.resources_of("coder_ai_task"):
                found.append(self.analyse(task, module))
        return found

    def analyse(self, task: Resource, module: Module) -> StaticTask:
        source, expression = task_app_expression(task)
        resolution = self.resolver.resolve(expression, module)
        result = StaticTask(task, module, source, expression, resolution)
        if expression is None:
            result.problems.append(Problem("app", "neither app_id nor sidebar_app is set", "unset"))
            return result
        for problem in resolution.problems:
            result.problems.append(Problem("app", problem, "unresolved"))
        for candidate in resolution.candidates:
            if candidate.kind == "attribute" and candidate.resource is not None:
                resource = candidate.resource
                if resource.type != "coder_app" or candidate.attribute != "id":
                    attribute = f".{candidate.attribute}" if candidate.attribute else ""
                    result.problems.append(
                        Problem(
                            "app",
                            f"{source} leads to `{resource.address}{attribute}`, "
                            "not to a coder_app's id",
                            "not-app",
                        )
                    )
                    continue
                app_module = self.tree.module_at(resource.module) or module
                result.chains.append(self.chain(resource, app_module, candidate))
            elif candidate.kind == "literal":
                result.problems.append(_literal_problem(source, candidate.value))
            elif candidate.reason:
                result.problems.append(
                    Problem("app", f"cannot follow {source}: {candidate.reason}", "unknown")
                )
        if result.chains:
            # try(module.x[0].task_app_id, "") guards a missing instance on purpose
            result.problems = [
                p for p in result.problems if not (p.kind == "literal" and p.value in ("", None))
            ]
        if not result.chains and not result.problems:
            result.problems.append(
                Problem("app", f"{source} does not lead to a coder_app", "unresolved")
            )
        return result

    def value(self, owner: Resource, name: str, module: Module) -> object:
        """The static value of an attribute of ``owner`` (UNKNOWN when not known)."""
        return self.evaluator.value(owner.attributes.get(name), module)

    def chain(self, app: Resource, module: Module, candidate: Candidate | None = None) -> AppChain:
        chain = AppChain(app, module, candidate)
        each = self._each(app, module, candidate)
        slug = (
            self.evaluator.instance_value(app.attributes.get("slug"), module, each)
            if "slug" in app.attributes
            else app.name
        )
        url = self.evaluator.instance_value(app.attributes.get("url"), module, each)
        chain.slug = slug if isinstance(slug, str) else None
        chain.url = url if isinstance(url, str) else None
        # the app's agent does not depend on values: followed once for every scenario
        key = (id(app), id(module))
        found = self._shared.agents.get(key)
        if found is None:
            found = self._shared.agents[key] = self._agent_of(app, module)
        agent, problems = found
        if agent is None:
            chain.problems.extend(problems)
            return chain
        chain.agent = agent
        chain.compute = self.compute_of(agent)
        if chain.compute is None:
            chain.problems.append(
                Problem(
                    "compute",
                    f"{self.no_compute_reason(agent)}: "
                    "Coder drops the agent together with its apps",
                    "no-compute",
                )
            )
        return chain

    def _agent_of(self, app: Resource, module: Module) -> tuple[Resource | None, list[Problem]]:
        """The ``coder_agent`` the app's ``agent_id`` leads to, or why none."""
        agent_id = app.attributes.get("agent_id")
        if agent_id is None:
            return None, [Problem("agent", f"`{app.address}` has no agent_id", "no-agent")]
        resolution = self.resolver.resolve(agent_id, module)
        agents = resolution.resources("coder_agent", "id")
        if not agents:
            reasons = (
                resolution.problems
                or [c.reason for c in resolution.candidates if c.reason]
                or ["it does not reference a coder_agent's id"]
            )
            unknown = not resolution.problems and any(
                c.kind == "unknown" for c in resolution.candidates
            )
            problem = Problem(
                "agent",
                f"agent_id of `{app.address}` does not lead to a coder_agent: "
                + "; ".join(reasons),
                "unknown" if unknown else "no-agent",
            )
            return None, [problem]
        return agents[0].resource, []

    def _each(self, app: Resource, module: Module, candidate: Candidate | None) -> dict[str, Any]:
        """``each`` of the for_each instance a reference selects (``coder_app.x["key"]``)."""
        if app.for_each is None or candidate is None or candidate.index is None:
            return {}
        key = candidate.index.key
        collection = self.evaluator.value(app.for_each, module)
        if isinstance(collection, dict) and key in collection:
            return {"key": key, "value": collection[key]}
        if isinstance(collection, list) and key in collection:
            return {"key": key, "value": key}
        return {}

    def never_exists(self, resource: Resource, module: Module) -> bool:
        """True when ``resource``, or a module call above it, statically has no instance.

        ``count = var.cli_app ? 1 : 0`` with the variable left at ``false`` (the
        optional CLI app of AgentAPI wrappers) never exists, so it cannot collide
        with anything, and a ``count = 0`` or empty ``for_each`` container is not
        in the plan, so it cannot be an agent's compute. Unknown counts exist, as
        far as a linter can tell.
        """
        if _no_instance(self.evaluator, resource.count, resource.for_each, module):
            return True
        parent = self.tree.root  # one walk down the path (not a lookup from the root per call)
        for name in module.path:
            call = parent.calls.get(name)
            if call is None or call.module is None:
                return False
            if _no_instance(self.evaluator, call.count, call.for_each, parent):
                return True
            parent = call.module
        return False

    def compute_of(self, agent: Resource) -> Resource | None:
        """Coder's rule: the closest attachable resource depending on the agent.

        Asked once per app and agent by several rules; answered once per agent.
        """
        address = agent.address
        if address not in self._compute:
            self._compute[address] = self._closest_compute(agent)
        return self._compute[address]

    def _closest_compute(self, agent: Resource) -> Resource | None:
        if self._closest is None:
            # One search for every agent at once: a walk per agent was
            # O(agents x graph), 48 s for 2,000 chained agents.
            from aitask_lint.graph.closest import closest_candidates

            candidates = {}
            for node, label in self.graph.labels.items():
                resource = self._by_address.get(label)
                if resource is None or resource.mode != "managed":
                    continue
                if resource.type.startswith("coder_") and resource.type != "coder_external_agent":
                    continue
                module = self.tree.module_at(resource.module)
                if module is not None and self.never_exists(resource, module):
                    # count = 0 or for_each = {}: not in the plan, so not compute
                    self._absent[node] = resource.address
                    continue
                candidates[node] = resource.address
            self._closest = closest_candidates(self.graph, candidates, dependents=True)
        best = self._closest.get(expand_node(agent.address))
        return self._by_address[best[1]] if best else None

    def no_compute_reason(self, agent: Resource) -> str:
        """Why ``agent`` has no compute, in words (the caller found none)."""
        absent = self.absent_compute_of(agent)
        if absent is not None:
            return (
                f"`{absent.address}`, the managed non-coder resource that depends on "
                f"`{agent.address}`, has no instance (its count is 0 or its for_each is empty)"
            )
        return f"no managed non-coder resource depends on `{agent.address}`"

    def absent_compute_of(self, agent: Resource) -> Resource | None:
        """The resource that would be the agent's compute but statically has no instance.

        Only asked when :meth:`compute_of` found none, to say why: "it has
        count 0" is a fix the author can act on, "nothing depends on the agent"
        would send them looking for a missing token.
        """
        self.compute_of(agent)
        if not self._absent:
            return None
        if self._closest_absent is None:
            from aitask_lint.graph.closest import closest_candidates

            self._closest_absent = closest_candidates(self.graph, self._absent, dependents=True)
        best = self._closest_absent.get(expand_node(agent.address))
        return self._by_address[best[1]] if best else None


def _no_instance(
    evaluator: Evaluator, count: Expr | None, for_each: Expr | None, module: Module
) -> bool:
    """``count`` statically 0, or ``for_each`` statically an empty map or set."""
    number = evaluator.value(count, module) if count is not None else UNKNOWN
    if isinstance(number, int | float) and not isinstance(number, bool) and number == 0:
        return True
    collection = evaluator.value(for_each, module) if for_each is not None else UNKNOWN
    return isinstance(collection, dict | list) and not collection


class _Shared:
    """What every scenario's view of one analysis shares: the graph, each app's agent."""

    def __init__(self, graph: ResourceGraph | None, factory: Callable[[], ResourceGraph]) -> None:
        self._graph = graph
        #: builds the (reduced) graph on first use; the default derives it from the tree
        self._factory = factory
        #: (id(app), id(module)) -> (agent, problems): the tree keeps both alive
        self.agents: dict[tuple[int, int], tuple[Resource | None, list[Problem]]] = {}

    def graph(self) -> ResourceGraph:
        if self._graph is None:
            self._graph = self._factory()
        return self._graph


def _literal_problem(source: str | None, value: object) -> Problem:
    if value in ("", None):
        return Problem("app", f"{source} is empty", "literal", value)
    if value == NIL_UUID:
        return Problem("app", f"{source} is the nil UUID", "literal", value)
    if not is_uuid(value):
        return Problem(
            "app", f"{source} is the literal {value!r}, not a UUID", "invalid-uuid", value
        )
    return Problem(
        "app",
        f"{source} is the literal {value!r}, which names no coder_app of this template "
        "(coder_app ids are generated at apply)",
        "literal",
        value,
    )
