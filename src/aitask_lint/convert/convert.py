"""``convert_state``: Coder's ``ConvertState`` in Python.

The order of the steps, the association rules and every error string follow
``provisioner/terraform/resources.go`` as documented in
``shared/reference/coder-convertstate.md``; the golden files from Coder's own
test-suite are the measure (``tests/test_conformance.py``). Where Go iterates
over a map (which agent wins an app when several match) we iterate in
sorted-label order so that the result is deterministic.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from aitask_lint import coder_text as ct
from aitask_lint.convert.addresses import address_label, module_path
from aitask_lint.convert.decode import AttributeReader, DecodeError, clamp_int32
from aitask_lint.convert.models import (
    Agent,
    AgentAuth,
    AgentMetadata,
    AITask,
    AITaskSidebarApp,
    App,
    AppOpenIn,
    AppSharingLevel,
    ConvertedState,
    Devcontainer,
    DisplayApps,
    Env,
    ExpirationPolicy,
    ExternalAuthProvider,
    Healthcheck,
    MemoryResourceMonitor,
    Parameter,
    ParameterFormType,
    ParameterOption,
    Prebuild,
    Preset,
    PresetParameter,
    Resource,
    ResourceMetadataItem,
    ResourcesMonitoring,
    Schedule,
    Scheduling,
    Script,
    VolumeResourceMonitor,
)
from aitask_lint.errors import ConversionError
from aitask_lint.graph.closest import closest_candidates
from aitask_lint.graph.model import EXPAND_SUFFIX, ResourceGraph

#: managed types that never become entries of ``Resources``
_NOT_RESOURCES = frozenset(
    {"coder_script", "coder_agent", "coder_agent_instance", "coder_app", "coder_metadata"}
)
_INSTANCE_ID_ATTRIBUTE = {
    "google_compute_instance": "instance_id",
    "aws_instance": "id",
    "aws_spot_instance_request": "spot_instance_id",
    "azurerm_linux_virtual_machine": "virtual_machine_id",
    "azurerm_windows_virtual_machine": "virtual_machine_id",
}
_INSTANCE_TYPE_ATTRIBUTE = {
    "google_compute_instance": "machine_type",
    "aws_instance": "instance_type",
    "aws_spot_instance_request": "instance_type",
    "azurerm_linux_virtual_machine": "size",
    "azurerm_windows_virtual_machine": "size",
}
_FORM_TYPES = {
    "": ParameterFormType.DEFAULT,
    "radio": ParameterFormType.RADIO,
    "slider": ParameterFormType.SLIDER,
    "input": ParameterFormType.INPUT,
    "dropdown": ParameterFormType.DROPDOWN,
    "checkbox": ParameterFormType.CHECKBOX,
    "switch": ParameterFormType.SWITCH,
    "multi-select": ParameterFormType.MULTI_SELECT,
    "tag-select": ParameterFormType.TAG_SELECT,
    "textarea": ParameterFormType.TEXTAREA,
    "error": ParameterFormType.FORM_ERROR,
}

Warn = Callable[[str], None]


@dataclass
class _Index:
    """Every resource seen, the way ConvertState's first pass records them."""

    by_label: dict[str, dict[str, Mapping[str, Any]]] = field(default_factory=dict)
    parameters: list[Mapping[str, Any]] = field(default_factory=list)
    presets: list[Mapping[str, Any]] = field(default_factory=list)
    ai_tasks: list[Mapping[str, Any]] = field(default_factory=list)
    _attachable: frozenset[str] | None = field(default=None, repr=False)

    def add_module(self, module: Mapping[str, Any]) -> None:
        # Child modules first, depth-first, then this module's own resources.
        for child in module.get("child_modules") or []:
            if isinstance(child, Mapping):
                self.add_module(child)
        for resource in module.get("resources") or []:
            if not isinstance(resource, Mapping):
                continue
            address = str(resource.get("address", ""))
            self.by_label.setdefault(address_label(address), {})[address] = resource
            kind = resource.get("type")
            if kind == "coder_parameter":
                self.parameters.append(resource)
            elif kind == "coder_workspace_preset":
                self.presets.append(resource)
            elif kind == "coder_ai_task":
                self.ai_tasks.append(resource)

    def by_type(self) -> dict[str, list[Mapping[str, Any]]]:
        """``sortResourcesByType``: unique addresses grouped by type, sorted by address."""
        grouped: dict[str, list[Mapping[str, Any]]] = {}
        for resources in self.by_label.values():
            for resource in resources.values():
                grouped.setdefault(str(resource.get("type", "")), []).append(resource)
        for group in grouped.values():
            group.sort(key=lambda r: str(r.get("address", "")))
        return grouped

    def attachable_labels(self) -> frozenset[str]:
        """The labels agents (and metadata) may attach to, computed once.

        Coder records a candidate for every managed resource under the label
        whose type is not ``coder_*`` (``coder_external_agent`` excepted), so
        one such resource under a label is enough.
        """
        if self._attachable is None:
            self._attachable = frozenset(
                label
                for label, resources in self.by_label.items()
                if any(_is_attachable(resource) for resource in resources.values())
            )
        return self._attachable


def _is_attachable(resource: Mapping[str, Any]) -> bool:
    kind = str(resource.get("type", ""))
    return resource.get("mode") == "managed" and (
        not kind.startswith("coder_") or kind == "coder_external_agent"
    )


def _closest_labels(
    graph: ResourceGraph, index: _Index, *, dependents: bool
) -> dict[str, tuple[int, str]]:
    """Every node's closest attachable label (smallest depth, then smallest label).

    One search over the whole graph (:func:`closest_candidates`) instead of
    one walk per agent or metadata resource, which was O(agents x graph).
    """
    attachable = index.attachable_labels()
    candidates = {node: label for node, label in graph.labels.items() if label in attachable}
    return closest_candidates(graph, candidates, dependents=dependents)


def _decode(kind: str, action: Callable[[], Any]) -> Any:
    try:
        return action()
    except DecodeError as error:
        raise ConversionError(ct.DECODE_ATTRIBUTES(kind, error)) from None


def convert_state(
    modules: Iterable[Mapping[str, Any]],
    graph: ResourceGraph,
    *,
    warn: Warn | None = None,
    new_app_id: Callable[[], str] | None = None,
) -> ConvertedState:
    """Reproduce Coder's ``ConvertState`` over ``modules`` and ``graph``.

    ``modules`` are Terraform JSON modules (``planned_values.root_module``,
    ``values.root_module``, ...); ``graph`` is the dependency graph from
    ``terraform graph`` or derived from the configuration. ``warn`` receives
    Coder's logged warnings. ``new_app_id`` supplies ids for apps whose id is
    unknown (plan mode); Coder uses a random UUID.

    Raises :class:`ConversionError` with Coder's exact text when Coder would
    fail.
    """
    log: Warn = warn or (lambda _message: None)
    make_app_id = new_app_id or (lambda: str(uuid.uuid4()))
    index = _Index()
    for module in modules:
        index.add_module(module)
    by_type = index.by_type()

    agents_by_label = _convert_agents(by_type.get("coder_agent", []), graph, index)
    all_agents = [agent for label in sorted(agents_by_label) for agent in agents_by_label[label]]
    ctx = _AttachContext(graph, all_agents)

    _attach_devcontainers(by_type.get("coder_devcontainer", []), ctx)
    _apply_agent_instances(by_type.get("coder_agent_instance", []), all_agents)
    _attach_apps(by_type.get("coder_app", []), ctx, log, make_app_id)
    _attach_envs(by_type.get("coder_env", []), ctx)
    _attach_scripts(by_type.get("coder_script", []), ctx)
    metadata = _convert_metadata(by_type.get("coder_metadata", []), graph, index)
    resources = _convert_resources(by_type, agents_by_label, metadata)
    parameters = _convert_parameters(index.parameters)
    presets = _convert_presets(index.presets, parameters, log)
    ai_tasks = _convert_ai_tasks(index.ai_tasks)
    external_auth = _convert_external_auth(by_type)
    has_external_agents = any(
        label.startswith("coder_external_agent.") or ".coder_external_agent." in label
        for label in (node_label.strip('"') for node_label in graph.labels.values())
    )
    return ConvertedState(
        resources=resources,
        parameters=parameters,
        presets=presets,
        external_auth_providers=external_auth,
        ai_tasks=ai_tasks,
        has_ai_tasks=len(ai_tasks) > 0,
        has_external_agents=has_external_agents,
    )


# --- agents ------------------------------------------------------------------


def _check_agent_name(name: str, seen: set[str]) -> None:
    error = ct.agent_name_error(name)
    if error is not None:
        raise ConversionError(error)
    if name.lower() in seen:
        raise ConversionError(ct.DUPLICATE_AGENT_NAME(name))
    seen.add(name.lower())


def _decode_agent(resource: Mapping[str, Any]) -> Agent:
    values = AttributeReader(resource.get("values"))
    behavior = "non-blocking"
    if values.string("startup_script_behavior"):
        behavior = values.string("startup_script_behavior")
    elif values.has("login_before_ready") and not values.boolean("login_before_ready"):
        behavior = "blocking"

    display_blocks = values.blocks("display_apps")
    if display_blocks:
        block = display_blocks[0]
        display_apps = DisplayApps(
            vscode=block.boolean("vscode"),
            vscode_insiders=block.boolean("vscode_insiders"),
            web_terminal=block.boolean("web_terminal"),
            ssh_helper=block.boolean("ssh_helper"),
            port_forwarding_helper=block.boolean("port_forwarding_helper"),
        )
    else:
        display_apps = DisplayApps(
            vscode=True, web_terminal=True, ssh_helper=True, port_forwarding_helper=True
        )

    monitoring = ResourcesMonitoring()
    for block in values.blocks("resources_monitoring"):
        for memory in block.blocks("memory"):
            monitoring.memory = MemoryResourceMonitor(
                enabled=memory.boolean("enabled"),
                threshold=clamp_int32(memory.integer("threshold")),
            )
        for volume in block.blocks("volume"):
            monitoring.volumes.append(
                VolumeResourceMonitor(
                    path=volume.string("path"),
                    enabled=volume.boolean("enabled"),
                    threshold=clamp_int32(volume.integer("threshold")),
                )
            )

    scripts: list[Script] = []
    if values.string("startup_script"):
        scripts.append(
            Script(
                display_name="Startup Script",
                icon="/emojis/25b6-fe0f.png",
                script=values.string("startup_script"),
                start_blocks_login=behavior == "blocking",
                run_on_start=True,
                log_path="coder-startup-script.log",
            )
        )
    if values.string("shutdown_script"):
        scripts.append(
            Script(
                display_name="Shutdown Script",
                icon="/emojis/25c0.png",
                script=values.string("shutdown_script"),
                run_on_stop=True,
                log_path="coder-shutdown-script.log",
            )
        )

    auth = (
        AgentAuth(token=values.string("token"))
        if values.string("auth") == "token"
        else AgentAuth(instance_id="")
    )
    return Agent(
        id=values.string("id"),
        name=str(resource.get("name", "")),
        env=values.string_map("env"),
        operating_system=values.string("os"),
        architecture=values.string("arch"),
        directory=values.string("dir"),
        auth=auth,
        connection_timeout_seconds=clamp_int32(values.integer("connection_timeout")),
        troubleshooting_url=values.string("troubleshooting_url"),
        motd_file=values.string("motd_file"),
        metadata=[
            AgentMetadata(
                key=item.string("key"),
                display_name=item.string("display_name"),
                script=item.string("script"),
                interval=item.integer("interval"),
                timeout=item.integer("timeout"),
                order=item.integer("order"),
            )
            for item in values.blocks("metadata")
        ],
        display_apps=display_apps,
        scripts=scripts,
        order=values.integer("order"),
        resources_monitoring=monitoring,
        api_key_scope=values.string("api_key_scope"),
    )


def _convert_agents(
    agents: list[Mapping[str, Any]], graph: ResourceGraph, index: _Index
) -> dict[str, list[Agent]]:
    """Decode every agent and attach it to its compute resource's label."""
    by_label: dict[str, list[Agent]] = {}
    seen_names: set[str] = set()
    closest: dict[str, tuple[int, str]] | None = None
    for resource in agents:
        agent: Agent = _decode("agent", partial(_decode_agent, resource))
        _check_agent_name(agent.name, seen_names)
        label = address_label(str(resource.get("address", "")))
        node = graph.node_by_label(label)
        if node is None:
            raise ConversionError(ct.NODE_NOT_ON_GRAPH(label))
        if closest is None:
            closest = _closest_labels(graph, index, dependents=True)
        found = closest.get(node)
        if found is None:
            continue  # Coder drops agents with no compute resource, silently.
        by_label.setdefault(found[1], []).append(agent)
    return by_label


# --- things attached to agents -------------------------------------------------


@dataclass
class _AttachContext:
    graph: ResourceGraph
    agents: list[Agent]
    _index: (
        tuple[
            dict[str, tuple[int, Agent | Devcontainer]],
            dict[str, tuple[int, Agent | Devcontainer]],
        ]
        | None
    ) = None
    _by_source: dict[str, Agent | Devcontainer | None] = field(default_factory=dict)
    _agents_by_id: dict[str, list[Agent]] | None = None
    _agents_by_tail: dict[str, list[tuple[int, Agent]]] = field(default_factory=dict)
    _agents_by_source: dict[str, list[Agent]] = field(default_factory=dict)

    def owner(self, agent_id: str, resource: Mapping[str, Any]) -> Agent | Devcontainer | None:
        """The first agent, or devcontainer of an agent, an item belongs to (Coder's order).

        Coder tries every agent (then each of its devcontainers) in order with
        ``dependsOnAgent``; that is quadratic, minutes for a plan with
        thousands of agents. The same first match is found through two indexes
        over that order: by id, and (for empty ids, plan mode) by the graph
        node an item has an edge to.
        """
        by_id, by_tail = self._owner_index()
        if agent_id != "":
            found = by_id.get(agent_id)
            return found[1] if found is not None else None
        source = f"{resource.get('type')}.{resource.get('name')}{EXPAND_SUFFIX}"
        if source not in self._by_source:
            # Cached per source: every instance of one app name (one per module,
            # say) shares it, and its edges may reach thousands of agents.
            matches = [by_tail[t] for t in self.graph.tail_targets(source) if t in by_tail]
            self._by_source[source] = (
                min(matches, key=lambda match: match[0])[1] if matches else None
            )
        return self._by_source[source]

    def agents_depended_on(self, agent_id: str, resource: Mapping[str, Any]) -> list[Agent]:
        """Every agent, in order, for which ``dependsOnAgent`` holds (devcontainers).

        Coder tries each agent in turn; the agents are indexed by id, and by
        the graph node of the empty-id ones, so this is one lookup per item.
        """
        if self._agents_by_id is None:
            self._agents_by_id = {}
            self._agents_by_tail = {}
            for position, agent in enumerate(self.agents):
                self._agents_by_id.setdefault(agent.id, []).append(agent)
                if agent.id == "":
                    tail = f"coder_agent.{agent.name}{EXPAND_SUFFIX}"
                    self._agents_by_tail.setdefault(tail, []).append((position, agent))
        if agent_id != "":
            return list(self._agents_by_id.get(agent_id, []))
        source = f"{resource.get('type')}.{resource.get('name')}{EXPAND_SUFFIX}"
        if source not in self._agents_by_source:
            found = [
                entry
                for tail in self.graph.tail_targets(source)
                for entry in self._agents_by_tail.get(tail, ())
            ]
            self._agents_by_source[source] = [
                agent for _position, agent in sorted(found, key=lambda entry: entry[0])
            ]
        return list(self._agents_by_source[source])

    def _owner_index(
        self,
    ) -> tuple[
        dict[str, tuple[int, Agent | Devcontainer]], dict[str, tuple[int, Agent | Devcontainer]]
    ]:
        """Built on first use, after devcontainers are attached (they never change after)."""
        if self._index is None:
            by_id: dict[str, tuple[int, Agent | Devcontainer]] = {}
            by_tail: dict[str, tuple[int, Agent | Devcontainer]] = {}
            entries: list[tuple[str, str, Agent | Devcontainer]] = []
            for agent in self.agents:
                entries.append((agent.id, f"coder_agent.{agent.name}{EXPAND_SUFFIX}", agent))
                entries.extend(
                    (dc.subagent_id, f"coder_devcontainer.{dc.name}{EXPAND_SUFFIX}", dc)
                    for dc in agent.devcontainers
                )
            for position, (identifier, tail, owner) in enumerate(entries):
                if identifier:
                    by_id.setdefault(identifier, (position, owner))
                else:
                    by_tail.setdefault(tail, (position, owner))
            self._index = (by_id, by_tail)
        return self._index


def _attach_devcontainers(devcontainers: list[Mapping[str, Any]], ctx: _AttachContext) -> None:
    for resource in devcontainers:
        values = AttributeReader(resource.get("values"))

        def read(values: AttributeReader = values) -> tuple[str, str, str, str, str]:
            return (
                values.string("id"),
                values.string("agent_id"),
                values.string("workspace_folder"),
                values.string("config_path"),
                values.string("subagent_id"),
            )

        dc_id, agent_id, folder, config_path, subagent_id = _decode("devcontainer", read)
        for agent in ctx.agents_depended_on(agent_id, resource):
            agent.devcontainers.append(
                Devcontainer(
                    id=dc_id,
                    name=str(resource.get("name", "")),
                    workspace_folder=folder,
                    config_path=config_path,
                    subagent_id=subagent_id,
                )
            )


def _apply_agent_instances(instances: list[Mapping[str, Any]], agents: list[Agent]) -> None:
    """``coder_agent_instance``: the first agent with that id not using token auth.

    Looked up in an index (an agent that qualifies keeps qualifying: it only
    ever receives instance-id auth), not by scanning every agent per instance.
    """
    if not instances:
        return
    first_by_id: dict[str, Agent] = {}
    for agent in agents:
        if agent.auth is None or agent.auth.token is None:
            first_by_id.setdefault(agent.id, agent)
    for resource in instances:
        values = resource.get("values") or {}
        agent_id, instance_id = values.get("agent_id"), values.get("instance_id")
        if not isinstance(agent_id, str) or not isinstance(instance_id, str):
            continue  # unknown at plan time: Coder skips the instance
        found = first_by_id.get(agent_id)
        if found is not None:
            found.auth = AgentAuth(instance_id=instance_id)


def _decode_app(resource: Mapping[str, Any]) -> tuple[App, str]:
    values = AttributeReader(resource.get("values"))
    slug = values.string("slug") or str(resource.get("name", ""))
    display_name = values.string("display_name") or values.string("name") or slug
    healthchecks = values.blocks("healthcheck")
    healthcheck = None
    if healthchecks:
        block = healthchecks[0]
        healthcheck = Healthcheck(
            url=block.string("url"),
            interval=clamp_int32(block.integer("interval")),
            threshold=clamp_int32(block.integer("threshold")),
        )
    share = values.string("share").lower()
    sharing = {
        "owner": AppSharingLevel.OWNER,
        "authenticated": AppSharingLevel.AUTHENTICATED,
        "public": AppSharingLevel.PUBLIC,
    }.get(share, AppSharingLevel.OWNER)
    open_in = AppOpenIn.TAB if values.string("open_in").lower() == "tab" else AppOpenIn.SLIM_WINDOW
    app = App(
        id=values.string("id"),
        slug=slug,
        display_name=display_name,
        command=values.string("command"),
        url=values.string("url"),
        icon=values.string("icon"),
        subdomain=values.boolean("subdomain"),
        sharing_level=sharing,
        healthcheck=healthcheck,
        order=values.integer("order"),
        group=values.string("group"),
        hidden=values.boolean("hidden"),
        open_in=open_in,
        tooltip=values.string("tooltip"),
        external=values.boolean("external"),
    )
    return app, values.string("agent_id")


def _attach_apps(
    apps: list[Mapping[str, Any]], ctx: _AttachContext, log: Warn, make_app_id: Callable[[], str]
) -> None:
    seen_slugs: set[str] = set()
    for resource in apps:
        app, agent_id = _decode("app", partial(_decode_app, resource))
        error = ct.app_slug_error(app.slug)
        if error is not None:
            raise ConversionError(error)
        if app.slug in seen_slugs:
            raise ConversionError(ct.DUPLICATE_APP_SLUG(app.slug))
        seen_slugs.add(app.slug)
        if not app.id:
            log(ct.APP_ID_EMPTY())
            app.id = make_app_id()
        owner = ctx.owner(agent_id, resource)
        if owner is not None:
            owner.apps.append(app)


def _attach_envs(envs: list[Mapping[str, Any]], ctx: _AttachContext) -> None:
    for resource in envs:
        values = AttributeReader(resource.get("values"))

        def read(values: AttributeReader = values) -> tuple[Env, str]:
            env = Env(
                name=values.string("name"),
                value=values.string("value"),
                merge_strategy=values.string("merge_strategy"),
            )
            return env, values.string("agent_id")

        env, agent_id = _decode("env", read)
        owner = ctx.owner(agent_id, resource)
        if isinstance(owner, Agent):
            owner.extra_envs.append(env)
        elif owner is not None:
            owner.envs.append(env)


def _attach_scripts(scripts: list[Mapping[str, Any]], ctx: _AttachContext) -> None:
    for resource in scripts:
        values = AttributeReader(resource.get("values"))

        def read(values: AttributeReader = values) -> tuple[Script, str]:
            script = Script(
                display_name=values.string("display_name"),
                icon=values.string("icon"),
                script=values.string("script"),
                cron=values.string("cron"),
                log_path=values.string("log_path"),
                start_blocks_login=values.boolean("start_blocks_login"),
                run_on_start=values.boolean("run_on_start"),
                run_on_stop=values.boolean("run_on_stop"),
                timeout_seconds=clamp_int32(values.integer("timeout")),
            )
            return script, values.string("agent_id")

        script, agent_id = _decode("script", read)
        owner = ctx.owner(agent_id, resource)
        if owner is not None:
            owner.scripts.append(script)


# --- metadata and resources ----------------------------------------------------


@dataclass
class _ResourceMetadata:
    hide: bool
    icon: str
    daily_cost: int
    items: list[ResourceMetadataItem]


def _convert_metadata(
    metadata: list[Mapping[str, Any]], graph: ResourceGraph, index: _Index
) -> dict[str, _ResourceMetadata]:
    by_target: dict[str, _ResourceMetadata] = {}
    closest: dict[str, tuple[int, str]] | None = None
    for resource in metadata:
        values = AttributeReader(resource.get("values"))

        def read(values: AttributeReader = values) -> _ResourceMetadata:
            return _ResourceMetadata(
                hide=values.boolean("hide"),
                icon=values.string("icon"),
                daily_cost=clamp_int32(values.integer("daily_cost")),
                items=[
                    ResourceMetadataItem(
                        key=item.string("key"),
                        value=item.string("value"),
                        sensitive=item.boolean("sensitive"),
                        is_null=item.boolean("is_null"),
                    )
                    for item in values.blocks("item")
                ],
            )

        decoded = _decode("metadata", read)
        node = graph.node_by_label(address_label(str(resource.get("address", ""))))
        if node is None:
            continue
        if closest is None:
            closest = _closest_labels(graph, index, dependents=False)
        found = closest.get(node)
        if found is None:
            continue
        target = found[1]
        if target in by_target:
            raise ConversionError(ct.DUPLICATE_METADATA(target))
        by_target[target] = decoded
    return by_target


def _convert_resources(
    by_type: Mapping[str, list[Mapping[str, Any]]],
    agents_by_label: Mapping[str, list[Agent]],
    metadata: Mapping[str, _ResourceMetadata],
) -> list[Resource]:
    resources: list[Resource] = []
    pending: dict[str, tuple[list[Agent], bool]] = {}
    every = sorted(
        (r for group in by_type.values() for r in group), key=lambda r: str(r.get("address", ""))
    )
    for resource in every:
        kind = str(resource.get("type", ""))
        if resource.get("mode") != "managed" or kind in _NOT_RESOURCES:
            continue
        address = str(resource.get("address", ""))
        label = address_label(address)
        values = resource.get("values") or {}
        agents = agents_by_label.get(label, [])
        instance_key = _INSTANCE_ID_ATTRIBUTE.get(kind)
        instance_id = values.get(instance_key) if instance_key is not None else None
        if agents and isinstance(instance_id, str):
            _apply_instance_id(label, agents, instance_id, pending)
        item = metadata.get(label)
        instance_type_key = _INSTANCE_TYPE_ATTRIBUTE.get(kind)
        instance_type = values.get(instance_type_key) if instance_type_key else None
        resources.append(
            Resource(
                name=str(resource.get("name", "")),
                type=kind,
                agents=agents,
                metadata=item.items if item else [],
                hide=item.hide if item else False,
                icon=item.icon if item else "",
                daily_cost=item.daily_cost if item else 0,
                instance_type=instance_type if isinstance(instance_type, str) else "",
                module_path=module_path(address),
            )
        )
    return resources


def _apply_instance_id(
    label: str, agents: list[Agent], instance_id: str, pending: dict[str, tuple[list[Agent], bool]]
) -> None:
    """Give ``instance_id`` to the label's agents that have neither a token nor an instance id.

    Coder checks every agent of the label for every instance of it; with
    thousands of instances under one label that is quadratic. The agents
    still waiting for an id are kept per label (one that got a non-empty id
    never waits again), and an empty id applied twice changes nothing.
    """
    waiting, blank_applied = pending.get(label, (None, False))
    if waiting is None:
        waiting = [
            agent
            for agent in agents
            if not (agent.auth is not None and (agent.auth.token or agent.auth.instance_id))
        ]
    if instance_id or not blank_applied:
        for agent in waiting:
            agent.auth = AgentAuth(instance_id=instance_id)
    pending[label] = ([], False) if instance_id else (waiting, True)


# --- parameters, presets, tasks, external auth -------------------------------------


def _decode_parameter(resource: Mapping[str, Any]) -> Parameter:
    values = AttributeReader(resource.get("values"))
    name = str(resource.get("name", ""))
    form_type_name = values.string("form_type")
    if form_type_name not in _FORM_TYPES:
        raise ConversionError(ct.UNSUPPORTED_FORM_TYPE(name, form_type_name))
    parameter = Parameter(
        name=values.string("name"),
        display_name=values.string("display_name"),
        description=values.string("description"),
        type=values.string("type"),
        mutable=values.boolean("mutable"),
        default_value=values.optional_string("default") or "",
        icon=values.string("icon"),
        required=not values.boolean("optional"),
        order=clamp_int32(values.integer("order")),
        ephemeral=values.boolean("ephemeral"),
        form_type=_FORM_TYPES[form_type_name],
        options=[
            ParameterOption(
                name=option.string("name"),
                description=option.string("description"),
                value=option.string("value"),
                icon=option.string("icon"),
            )
            for option in values.blocks("option")
        ],
    )
    validations = values.blocks("validation")
    if len(validations) == 1:
        validation = validations[0]
        parameter.validation_regex = validation.string("regex")
        parameter.validation_error = validation.string("error")
        minimum, maximum = validation.integer("min"), validation.integer("max")
        min_disabled = validation.boolean("min_disabled")
        max_disabled = validation.boolean("max_disabled")
        if not validation.has("min_disabled"):
            # Providers before v0.8.2: min and max come together, zero means unset.
            min_disabled = max_disabled = not (minimum != 0 or maximum != 0)
        if not min_disabled:
            parameter.validation_min = clamp_int32(minimum)
        if not max_disabled:
            parameter.validation_max = clamp_int32(maximum)
        parameter.validation_monotonic = validation.string("monotonic")
    return parameter


def _convert_parameters(resources: list[Mapping[str, Any]]) -> list[Parameter]:
    parameters = [
        _decode(
            f"map values for coder_parameter.{resource.get('name', '')}",
            partial(_decode_parameter, resource),
        )
        for resource in resources
    ]
    seen: set[str] = set()
    duplicated: dict[str, None] = {}  # insertion-ordered, O(1) membership
    for parameter in parameters:
        if parameter.name in seen:
            duplicated.setdefault(parameter.name)
        seen.add(parameter.name)
    if duplicated:
        raise ConversionError(ct.duplicate_parameter_names(list(duplicated)))
    return parameters


def _decode_preset(resource: Mapping[str, Any]) -> tuple[Preset, int]:
    values = AttributeReader(resource.get("values"))
    preset = Preset(
        name=values.string("name"),
        description=values.string("description"),
        icon=values.string("icon"),
        default=values.boolean("default"),
        parameters=[
            PresetParameter(name=name, value=value)
            for name, value in sorted(values.string_map("parameters").items())
        ],
    )
    prebuilds = values.blocks("prebuilds")
    if len(prebuilds) == 1:
        block = prebuilds[0]
        prebuild = Prebuild(instances=clamp_int32(block.integer("instances")))
        expirations = block.blocks("expiration_policy")
        if len(expirations) == 1:
            prebuild.expiration_policy = ExpirationPolicy(
                ttl=clamp_int32(expirations[0].integer("ttl"))
            )
        schedulings = block.blocks("scheduling")
        if len(schedulings) == 1:
            scheduling = schedulings[0]
            prebuild.scheduling = Scheduling(
                timezone=scheduling.string("timezone"),
                schedule=[
                    Schedule(cron=s.string("cron"), instances=clamp_int32(s.integer("instances")))
                    for s in scheduling.blocks("schedule")
                ],
            )
        preset.prebuild = prebuild
    return preset, len(prebuilds)


def _convert_presets(
    resources: list[Mapping[str, Any]], parameters: list[Parameter], log: Warn
) -> list[Preset]:
    known = {parameter.name for parameter in parameters}
    presets: list[Preset] = []
    for resource in resources:
        preset, prebuild_blocks = _decode(
            "preset",
            partial(_decode_preset, resource),
        )
        if any(p.name not in known for p in preset.parameters):
            log(ct.PRESET_UNKNOWN_PARAMETER())
        if prebuild_blocks > 1:
            log(ct.PRESET_PREBUILD_BLOCKS())
        presets.append(preset)
    defaults = sum(1 for preset in presets if preset.default)
    if defaults > 1:
        raise ConversionError(ct.MULTIPLE_DEFAULT_PRESETS(defaults))
    return presets


def _convert_ai_tasks(resources: list[Mapping[str, Any]]) -> list[AITask]:
    tasks: list[AITask] = []
    for resource in resources:
        values = AttributeReader(resource.get("values"))

        def read(values: AttributeReader = values) -> tuple[str, str]:
            app_id = values.string(ct.TASK_APP_ID)
            sidebar = values.blocks(ct.TASK_SIDEBAR_APP)  # decoded (and checked) either way
            app_id = ct.choose_task_app_id(
                app_id, (block.string(ct.TASK_SIDEBAR_APP_ID) for block in sidebar)
            )
            return values.string("id"), app_id

        task_id, app_id = _decode("coder_ai_task", read)
        tasks.append(AITask(id=task_id, app_id=app_id, sidebar_app=AITaskSidebarApp(id=app_id)))
    return tasks


def _convert_external_auth(
    by_type: Mapping[str, list[Mapping[str, Any]]],
) -> list[ExternalAuthProvider]:
    providers: dict[str, ExternalAuthProvider] = {}
    for kind in ("coder_git_auth", "coder_external_auth"):
        for resource in by_type.get(kind, []):
            values = resource.get("values") or {}
            provider_id = values.get("id")
            if not isinstance(provider_id, str):
                raise ConversionError(ct.EXTERNAL_AUTH_ID_NOT_STRING())
            optional = values.get("optional")
            providers[provider_id] = ExternalAuthProvider(
                id=provider_id, optional=optional if isinstance(optional, bool) else False
            )
    return [providers[key] for key in sorted(providers)]
