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

from aitask_lint.convert.models import App, ConvertedState, proto_json
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
    """A sorted copy of ``state``, as the upstream golden test prepares it."""
    check_output_size(state)
    result = state.model_copy(deep=True)
    result.resources.sort(key=lambda r: (r.name, r.type))
    sorted_lists: set[int] = set()
    for resource in result.resources:
        if id(resource.agents) in sorted_lists:
            continue  # instances of one label share their agent list: sorted once
        sorted_lists.add(id(resource.agents))
        resource.agents.sort(key=lambda a: a.name)
        for agent in resource.agents:
            agent.apps.sort(key=lambda a: a.slug)
            agent.extra_envs.sort(key=lambda e: e.name)
            agent.scripts.sort(key=lambda s: s.display_name)
            agent.devcontainers.sort(key=lambda d: d.name)
            apps = list(agent.apps)
            for devcontainer in agent.devcontainers:
                devcontainer.apps.sort(key=lambda a: a.slug)
                apps.extend(devcontainer.apps)
            if deterministic_app_ids:
                for app in apps:
                    app.id = deterministic_app_id(app)
    result.external_auth_providers.sort(key=lambda p: p.id)
    return result


def golden_dict(state: ConvertedState, *, deterministic_app_ids: bool = False) -> dict[str, Any]:
    """The golden-file object for a converted state."""
    return proto_json(normalise(state, deterministic_app_ids=deterministic_app_ids))


def golden_json(state: ConvertedState, *, deterministic_app_ids: bool = False) -> str:
    """The golden-file text (two-space indent, like ``json.MarshalIndent``)."""
    document = golden_dict(state, deterministic_app_ids=deterministic_app_ids)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
