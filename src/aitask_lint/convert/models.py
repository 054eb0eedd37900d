"""Pydantic models of Coder's provisioner output (``ConvertState``'s ``State``).

Field names (pydantic aliases where Go's JSON name differs) and their order
follow Coder's provisioner protobuf messages, so
that :func:`proto_json` can serialise a result exactly the way Coder's golden
files do: Go's ``encoding/json`` over the generated structs, where a scalar
or list at its zero value is omitted, a message field is written whenever it
is set (even when empty, ``{}``), and a few fields are optional scalars
(``validation_min``/``validation_max``) that are written whenever set, zero
included. Enum fields hold the proto's integer values.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field


class _Message(BaseModel):
    """Base of every proto-shaped model."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    #: fields written whenever not None, even at their zero value
    _explicit_presence: ClassVar[frozenset[str]] = frozenset()


class AppSharingLevel(IntEnum):
    OWNER = 0
    AUTHENTICATED = 1
    PUBLIC = 2


class AppOpenIn(IntEnum):
    WINDOW = 0  # deprecated upstream; never produced by ConvertState
    SLIM_WINDOW = 1
    TAB = 2


class ParameterFormType(IntEnum):
    DEFAULT = 0
    FORM_ERROR = 1
    RADIO = 2
    DROPDOWN = 3
    INPUT = 4
    TEXTAREA = 5
    SLIDER = 6
    CHECKBOX = 7
    SWITCH = 8
    TAG_SELECT = 9
    MULTI_SELECT = 10


class Healthcheck(_Message):
    url: str = ""
    interval: int = 0
    threshold: int = 0


class App(_Message):
    slug: str = ""
    display_name: str = ""
    command: str = ""
    url: str = ""
    icon: str = ""
    subdomain: bool = False
    healthcheck: Healthcheck | None = None
    sharing_level: AppSharingLevel = AppSharingLevel.OWNER
    external: bool = False
    order: int = 0
    hidden: bool = False
    open_in: AppOpenIn = AppOpenIn.WINDOW
    group: str = ""
    id: str = ""
    tooltip: str = ""


class Script(_Message):
    display_name: str = ""
    icon: str = ""
    script: str = ""
    cron: str = ""
    start_blocks_login: bool = False
    run_on_start: bool = False
    run_on_stop: bool = False
    timeout_seconds: int = 0
    log_path: str = ""


class Env(_Message):
    name: str = ""
    value: str = ""
    merge_strategy: str = ""


class Devcontainer(_Message):
    workspace_folder: str = ""
    config_path: str = ""
    name: str = ""
    id: str = ""
    subagent_id: str = ""
    apps: list[App] = Field(default_factory=list)
    scripts: list[Script] = Field(default_factory=list)
    envs: list[Env] = Field(default_factory=list)


class AgentMetadata(_Message):
    key: str = ""
    display_name: str = ""
    script: str = ""
    interval: int = 0
    timeout: int = 0
    order: int = 0


class DisplayApps(_Message):
    vscode: bool = False
    vscode_insiders: bool = False
    web_terminal: bool = False
    ssh_helper: bool = False
    port_forwarding_helper: bool = False


class MemoryResourceMonitor(_Message):
    enabled: bool = False
    threshold: int = 0


class VolumeResourceMonitor(_Message):
    path: str = ""
    enabled: bool = False
    threshold: int = 0


class ResourcesMonitoring(_Message):
    memory: MemoryResourceMonitor | None = None
    volumes: list[VolumeResourceMonitor] = Field(default_factory=list)


class AgentAuth(_Message):
    """The ``auth`` oneof: exactly one of ``token`` / ``instance_id`` is not None.

    Go serialises the oneof wrapper without ``omitempty``, so an empty token
    (plan mode) is still written as ``{"Token": ""}``.
    """

    token: str | None = Field(default=None, alias="Token")
    instance_id: str | None = Field(default=None, alias="InstanceId")

    _explicit_presence: ClassVar[frozenset[str]] = frozenset({"token", "instance_id"})


class Agent(_Message):
    id: str = ""
    name: str = ""
    env: dict[str, str] = Field(default_factory=dict)
    operating_system: str = ""
    architecture: str = ""
    directory: str = ""
    apps: list[App] = Field(default_factory=list)
    auth: AgentAuth | None = Field(default=None, alias="Auth")
    connection_timeout_seconds: int = 0
    troubleshooting_url: str = ""
    motd_file: str = ""
    metadata: list[AgentMetadata] = Field(default_factory=list)
    display_apps: DisplayApps | None = None
    scripts: list[Script] = Field(default_factory=list)
    extra_envs: list[Env] = Field(default_factory=list)
    order: int = 0
    resources_monitoring: ResourcesMonitoring | None = None
    devcontainers: list[Devcontainer] = Field(default_factory=list)
    api_key_scope: str = ""


class ResourceMetadataItem(_Message):
    key: str = ""
    value: str = ""
    sensitive: bool = False
    is_null: bool = False


class Resource(_Message):
    name: str = ""
    type: str = ""
    agents: list[Agent] = Field(default_factory=list)
    metadata: list[ResourceMetadataItem] = Field(default_factory=list)
    hide: bool = False
    icon: str = ""
    instance_type: str = ""
    daily_cost: int = 0
    module_path: str = ""


class ParameterOption(_Message):
    name: str = ""
    description: str = ""
    value: str = ""
    icon: str = ""


class Parameter(_Message):
    name: str = ""
    description: str = ""
    type: str = ""
    mutable: bool = False
    default_value: str = ""
    icon: str = ""
    options: list[ParameterOption] = Field(default_factory=list)
    validation_regex: str = ""
    validation_error: str = ""
    validation_min: int | None = None
    validation_max: int | None = None
    validation_monotonic: str = ""
    required: bool = False
    display_name: str = ""
    order: int = 0
    ephemeral: bool = False
    form_type: ParameterFormType = ParameterFormType.DEFAULT

    _explicit_presence: ClassVar[frozenset[str]] = frozenset({"validation_min", "validation_max"})


class PresetParameter(_Message):
    name: str = ""
    value: str = ""


class ExpirationPolicy(_Message):
    ttl: int = 0


class Schedule(_Message):
    cron: str = ""
    instances: int = 0


class Scheduling(_Message):
    timezone: str = ""
    schedule: list[Schedule] = Field(default_factory=list)


class Prebuild(_Message):
    instances: int = 0
    expiration_policy: ExpirationPolicy | None = None
    scheduling: Scheduling | None = None


class Preset(_Message):
    name: str = ""
    parameters: list[PresetParameter] = Field(default_factory=list)
    prebuild: Prebuild | None = None
    default: bool = False
    description: str = ""
    icon: str = ""


class ExternalAuthProvider(_Message):
    id: str = ""
    optional: bool = False


class AITaskSidebarApp(_Message):
    id: str = ""


class AITask(_Message):
    id: str = ""
    sidebar_app: AITaskSidebarApp | None = None
    app_id: str = ""


class ConvertedState(_Message):
    """What ``ConvertState`` returns: the template's resources, parameters, presets,
    external auth providers and AI tasks."""

    resources: list[Resource] = Field(default_factory=list, alias="Resources")
    parameters: list[Parameter] = Field(default_factory=list, alias="Parameters")
    presets: list[Preset] = Field(default_factory=list, alias="Presets")
    external_auth_providers: list[ExternalAuthProvider] = Field(
        default_factory=list, alias="ExternalAuthProviders"
    )
    ai_tasks: list[AITask] = Field(default_factory=list, alias="AITasks")
    has_ai_tasks: bool = Field(default=False, alias="HasAITasks")
    has_external_agents: bool = Field(default=False, alias="HasExternalAgents")

    #: Go's ``State`` struct has no JSON tags: capitalised names, never omitted
    _explicit_presence: ClassVar[frozenset[str]] = frozenset(
        {
            "resources",
            "parameters",
            "presets",
            "external_auth_providers",
            "ai_tasks",
            "has_ai_tasks",
            "has_external_agents",
        }
    )


def proto_json(message: _Message) -> dict[str, Any]:
    """Serialise a model the way Go's ``encoding/json`` writes Coder's structs."""
    out: dict[str, Any] = {}
    explicit = message._explicit_presence
    for field_name, info in type(message).model_fields.items():
        value = getattr(message, field_name)
        if value is None:
            continue
        key = info.alias or field_name
        if isinstance(value, _Message):
            out[key] = proto_json(value)
        elif isinstance(value, list):
            if value or field_name in explicit:
                out[key] = [proto_json(v) if isinstance(v, _Message) else v for v in value]
        elif isinstance(value, dict):
            if value or field_name in explicit:
                out[key] = dict(sorted(value.items()))  # Go writes map keys sorted
        elif value or field_name in explicit:
            out[key] = int(value) if isinstance(value, IntEnum) else value
    return out
