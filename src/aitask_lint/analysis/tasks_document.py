"""The ``tasks`` document (contracts: ``aitask-lint tasks --format json``).

Pydantic models, so the JSON Schema in ``schemas/tasks.schema.json`` is
generated from them. ``id``, ``app_id`` and ``sidebar_app.id`` are Coder's
``AITask`` fields: known values from plan/state input, ``""`` otherwise.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskLocation(_Model):
    path: str
    line: int
    column: int
    pointer: str | None = Field(default=None, description="JSON Pointer, for JSON inputs")


class TaskApp(_Model):
    """The ``coder_app`` a task leads to; any field may be null when not known statically."""

    address: str | None
    slug: str | None
    url: str | None
    agent: str | None
    compute: str | None


class SidebarApp(_Model):
    id: str


class TaskProblem(_Model):
    """A step of the task -> app -> agent -> compute chain that could not be followed."""

    step: Literal["app", "agent", "compute"]
    message: str


class AITaskEntry(_Model):
    address: str
    id: str
    app_id: str
    sidebar_app: SidebarApp
    app_ref: str = Field(description="source of the app reference (app_id or sidebar_app.id)")
    app: TaskApp | None = Field(description="the app the reference leads to; null when none")
    apps: list[TaskApp] = Field(
        default_factory=list, description="every app the reference can lead to (conditionals)"
    )
    problems: list[TaskProblem] = Field(default_factory=list)
    location: TaskLocation | None


class ScenarioNote(_Model):
    """Another scenario in which a task's chain breaks (``tasks`` without ``--preset``)."""

    scenario: str = Field(description="import, preset:<name>, prebuild:<name> or task")
    task: str = Field(description="the coder_ai_task's address")
    message: str


class TasksDocument(_Model):
    has_ai_task: bool
    ai_tasks: list[AITaskEntry]
    scenario: str | None = Field(
        default=None,
        description=(
            "the scenario the chains are shown under (template input: task, or "
            "preset:<name> with --preset); null for plan and state input"
        ),
    )
    preset: str | None = Field(
        default=None,
        description=(
            "the preset the scenario builds with (for task: the one the web UI sends, the "
            "default preset, else the first); null for none"
        ),
    )
    notes: list[ScenarioNote] = Field(
        default_factory=list, description="other scenarios in which a task's chain breaks"
    )
