"""The shape of Coder's golden files: normalised ``State`` as Go writes it.

Coder's golden test sorts the result before serialising (resources by name
then type; agents by name; apps by slug, envs by name, scripts by display
name, devcontainers by name; external auth by id) and can replace app ids,
which are random in plan mode, with a hash of slug and display name.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from aitask_lint.convert.models import Agent, App, ConvertedState, proto_json
from aitask_lint.errors import ConversionError

#: agents listed in one result, counting each instance of a compute resource's
#: label again (Coder gives every instance the label's whole agent list)
MAX_LISTED_AGENTS = 100_000


def deterministic_app_id(app: App) -> str:
    """First 16 bytes of SHA-256 over ``slug + display_name`` as a UUID string."""
    digest = hashlib.sha256((app.slug + app.display_name).encode("utf-8")).digest()
    return str(uuid.UUID(bytes=digest[:16]))


def check_output_size(state: ConvertedState) -> None:
    """Refuse a result whose golden form would repeat agent lists past :data:`MAX_LISTED_AGENTS`.

    Every instance of a label shares the label's agent list, so 1,000 agents
    attached to a resource with 1,000 instances (a 318 KB state) list a
    million agents: 349 MB of JSON, 22 s and 2.7 GiB. Counted before anything
    is copied or written.
    """
    listed = sum(len(resource.agents) for resource in state.resources)
    if listed > MAX_LISTED_AGENTS:
        widest = max(state.resources, key=lambda resource: len(resource.agents))
        raise ConversionError(
            f"the result would list {listed:,} agents, over aitask-lint's limit of "
            f"{MAX_LISTED_AGENTS:,} (each instance of a resource lists every agent attached "
            f"to its label; {widest.type}.{widest.name} has {len(widest.agents):,}; "
            "see docs/limits.md)"
        )


def normalise(state: ConvertedState, *, deterministic_app_ids: bool = False) -> ConvertedState:
    """A sorted copy of ``state``, as the upstream golden test prepares it.

    Only what is reordered or rewritten is copied: the sorted lists, the
    models that hold them and the apps whose id is replaced. Everything else
    is shared with ``state``, which is left as it was. A deep copy of the
    whole state took a third of ``convert`` on a large state (1 s of 3 for
    10,000 agents, ``tests/test_plan_bounds.py``).
    """
    check_output_size(state)

    def app(item: App) -> App:
        if not deterministic_app_ids:
            return item
        return item.model_copy(update={"id": deterministic_app_id(item)})

    def apps(items: list[App]) -> list[App]:
        return [app(item) for item in sorted(items, key=lambda a: a.slug)]

    def agent(item: Agent) -> Agent:
        devcontainers = [
            devcontainer.model_copy(update={"apps": apps(devcontainer.apps)})
            for devcontainer in sorted(item.devcontainers, key=lambda d: d.name)
        ]
        return item.model_copy(
            update={
                "apps": apps(item.apps),
                "extra_envs": sorted(item.extra_envs, key=lambda e: e.name),
                "scripts": sorted(item.scripts, key=lambda s: s.display_name),
                "devcontainers": devcontainers,
            }
        )

    # instances of one label share their agent list: it is copied and sorted once,
    # and the copies share it in turn
    agent_lists: dict[int, list[Agent]] = {}
    resources = []
    for resource in state.resources:
        agents = agent_lists.get(id(resource.agents))
        if agents is None:
            agents = [agent(item) for item in sorted(resource.agents, key=lambda a: a.name)]
            agent_lists[id(resource.agents)] = agents
        resources.append(resource.model_copy(update={"agents": agents}))
    resources.sort(key=lambda r: (r.name, r.type))
    providers = sorted(state.external_auth_providers, key=lambda p: p.id)
    return state.model_copy(update={"resources": resources, "external_auth_providers": providers})


def golden_dict(state: ConvertedState, *, deterministic_app_ids: bool = False) -> dict[str, Any]:
    """The golden-file object for a converted state."""
    return proto_json(normalise(state, deterministic_app_ids=deterministic_app_ids))


def golden_json(state: ConvertedState, *, deterministic_app_ids: bool = False) -> str:
    """The golden-file text (two-space indent, like ``json.MarshalIndent``)."""
    document = golden_dict(state, deterministic_app_ids=deterministic_app_ids)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
