"""``extract_ai_tasks``: the tasks document for HCL, plan or state input.

* HCL (a directory or a ``.tf``/``.tf.json`` file) and a plan's
  ``configuration`` section are analysed statically (:mod:`.tasks`).
* For plan and state input Coder's ``AITask`` list is made of *instances*
  (a task with ``count = 0`` is none), so entries follow the instances, with
  ``id``/``app_id`` from their values and the chain from the configuration.
* A state has no configuration; its chain is followed by the known ids: the
  app whose ``id`` is the task's ``app_id``, the agent whose ``id`` is the
  app's ``agent_id``, and the resource ``ConvertState`` attaches that agent to.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from aitask_lint.analysis.tasks import StaticTask, TaskAnalysis
from aitask_lint.analysis.tasks_document import (
    AITaskEntry,
    ScenarioNote,
    SidebarApp,
    TaskApp,
    TaskLocation,
    TaskProblem,
    TasksDocument,
)
from aitask_lint.analysis.variables import VariableInputs, load_values
from aitask_lint.coder_text import task_app_id
from aitask_lint.errors import InvalidArgumentError, MultipleInputError, display_path
from aitask_lint.model.config import ConfigTree, Location
from aitask_lint.tfjson.loader import JsonSource, TerraformDocument, value_instances

if TYPE_CHECKING:
    from aitask_lint.analysis.scenario import Scenario


def extract_ai_tasks(
    source: str | os.PathLike[str] | TerraformDocument | JsonSource,
    *,
    preset: str | None = None,
    parameters: Mapping[str, str] | None = None,
    variables: VariableInputs | None = None,
) -> TasksDocument:
    """The tasks document of a template directory, a ``.tf`` file, or plan/state JSON.

    A template's chains are shown under the ``task`` scenario (what a task
    created from the web UI gets), or under ``preset:<preset>``; ``notes`` name
    the other scenarios in which a chain breaks. ``variables`` are the
    Terraform variable values besides the automatic tfvars files.
    """
    from aitask_lint.inputs import load_input

    loaded = load_input(source)
    if isinstance(loaded, ConfigTree):
        errors = list(getattr(loaded, "errors", None) or [])
        if loaded.origin == "hcl":
            directory = (
                loaded.source if os.path.isdir(loaded.source) else os.path.dirname(loaded.source)
            )
            loaded.variable_values, more = load_values(
                loaded.root, directory or ".", variables or VariableInputs(), refuse_undeclared=True
            )
            errors += more
        if errors:
            # A file that does not parse would hide its tasks: never answer without it.
            raise MultipleInputError(errors)
        if loaded.origin == "hcl":
            return scenario_document(loaded, preset, parameters or {})
        return static_document(loaded)
    if loaded.kind == "plan":
        return plan_document(loaded)
    return state_document(loaded)


def _location(
    location: Location | None, document: TerraformDocument | None = None
) -> TaskLocation | None:
    if location is None or location.path.startswith("<catalog"):
        return None
    if location.pointer is not None and document is not None and not location.line:
        position = document.position(location.pointer)
        if position is not None:
            location.line, location.column = position
    return TaskLocation(
        path=display_path(location.path),
        line=location.line or 1,
        column=location.column or 1,
        pointer=location.pointer,
    )


def _entry(
    task: StaticTask, address: str, task_id: str, app_id: str, location: TaskLocation | None
) -> AITaskEntry:
    apps = [
        TaskApp(
            address=chain.app.address,
            slug=chain.slug,
            url=chain.url,
            agent=chain.agent.address if chain.agent else None,
            compute=chain.compute.address if chain.compute else None,
        )
        for chain in task.chains
    ]
    problems = [TaskProblem(step=p.step, message=p.message) for p in task.problems]
    for chain in task.chains:
        problems.extend(TaskProblem(step=p.step, message=p.message) for p in chain.problems)
    return AITaskEntry(
        address=address,
        id=task_id,
        app_id=app_id,
        sidebar_app=SidebarApp(id=app_id),
        app_ref=task.app_ref,
        app=apps[0] if apps else None,
        apps=apps,
        problems=problems,
        location=location,
    )


def static_document(tree: ConfigTree, document: TerraformDocument | None = None) -> TasksDocument:
    tasks = TaskAnalysis(tree).tasks()
    entries = [
        _entry(task, task.task.address, "", "", _location(task.task.location, document))
        for task in tasks
    ]
    return TasksDocument(has_ai_task=bool(entries), ai_tasks=entries)


def _refuse_parameters(
    tree: ConfigTree, scenarios: Sequence[Scenario], given: Mapping[str, str]
) -> None:
    """A ``--parameter`` the template does not have, or whose value the provider refuses."""
    if not given:
        return
    from aitask_lint.analysis.parameter_check import first_refused, given_values
    from aitask_lint.analysis.parameter_scope import ParameterScope

    verdicts = given_values(ParameterScope(tree, scenarios), given)
    refused = first_refused(given, [verdicts]) if verdicts is not None else None
    if refused is not None:
        name, value, refusal = refused
        said = refusal or f'the template has no parameter "{name}"'
        raise InvalidArgumentError(f"--parameter {name}={value}: {said}")


def scenario_document(
    tree: ConfigTree, preset: str | None, parameters: Mapping[str, str]
) -> TasksDocument:
    """The chains under one scenario (``task``, or ``preset:<preset>``), with notes on the rest."""
    from aitask_lint.analysis.absence import task_breaks
    from aitask_lint.analysis.evaluate import Evaluator
    from aitask_lint.analysis.scenarios import ScenarioOptions, scenarios_of

    scenarios = scenarios_of(tree, ScenarioOptions(parameters=dict(parameters)))
    _refuse_parameters(tree, scenarios, parameters)
    wanted = f"preset:{preset}" if preset is not None else "task"
    chosen = next((s for s in scenarios if s.name == wanted), None)
    if chosen is None:
        names = sorted({s.preset for s in scenarios if s.preset})
        listed = ", ".join(f'"{n}"' for n in names) or "none"
        raise InvalidArgumentError(f'--preset: the template has no preset "{preset}" ({listed})')
    analysis = TaskAnalysis(tree).under(chosen)
    tasks = analysis.tasks()
    entries = []
    for task in tasks:
        entry = _entry(task, task.task.address, "", "", _location(task.task.location))
        detail = task_breaks(tree, analysis.evaluator, task)
        if detail is not None:
            entry.problems.append(TaskProblem(step="app", message=f"{task.source} {detail}"))
        entries.append(entry)
    notes = []
    if preset is None:
        for scenario in scenarios:
            if scenario is chosen:
                continue
            evaluator = Evaluator(tree, scenario)
            for task in tasks:
                detail = task_breaks(tree, evaluator, task)
                if detail is not None:
                    notes.append(
                        ScenarioNote(
                            scenario=scenario.name,
                            task=task.task.address,
                            message=f"{task.source} {detail}",
                        )
                    )
    return TasksDocument(
        has_ai_task=bool(entries),
        ai_tasks=entries,
        scenario=chosen.name,
        preset=chosen.preset,
        notes=notes,
    )


def _task_ids(values: Mapping[str, Any]) -> tuple[str, str]:
    """Coder's decoding: ``app_id``, falling back to ``sidebar_app[0].id``."""
    task_id = values.get("id") if isinstance(values.get("id"), str) else ""
    return str(task_id), task_app_id(values)


def plan_document(document: TerraformDocument) -> TasksDocument:
    from aitask_lint.model.from_plan import load_plan_configuration

    configuration = document.configuration or {}
    tree = load_plan_configuration(configuration, document.path)
    static = {task.task.address: task for task in TaskAnalysis(tree).tasks()}
    entries = []
    for pointer, instance in value_instances(document):
        if instance.get("type") != "coder_ai_task":
            continue
        address = str(instance.get("address", ""))
        task_id, app_id = _task_ids(instance.get("values") or {})
        location = _location(Location(document.path, pointer=pointer), document)
        task = static.get(_config_address(address))
        if task is None:
            entries.append(
                AITaskEntry(
                    address=address,
                    id=task_id,
                    app_id=app_id,
                    sidebar_app=SidebarApp(id=app_id),
                    app_ref="",
                    app=None,
                    location=location,
                    problems=[
                        TaskProblem(
                            step="app", message="the plan has no configuration for this task"
                        )
                    ],
                )
            )
            continue
        entries.append(_entry(task, address, task_id, app_id, location))
    return TasksDocument(has_ai_task=bool(entries), ai_tasks=entries)


def _config_address(address: str) -> str:
    from aitask_lint.graph.derived import config_address

    return config_address(address)


def state_document(document: TerraformDocument) -> TasksDocument:
    from aitask_lint.convert.api import convert_state
    from aitask_lint.errors import ConversionError

    instances = list(value_instances(document))
    apps = {
        str((i.get("values") or {}).get("id")): i
        for _p, i in instances
        if i.get("type") == "coder_app"
    }
    agents = {
        str((i.get("values") or {}).get("id")): i
        for _p, i in instances
        if i.get("type") == "coder_agent"
    }
    compute_by_agent: dict[str, str] = {}
    try:
        converted = convert_state(document)
        for resource in converted.resources:
            prefix = f"{resource.module_path}." if resource.module_path else ""
            for converted_agent in resource.agents:
                compute_by_agent[converted_agent.id] = f"{prefix}{resource.type}.{resource.name}"
    except ConversionError:
        pass
    entries = []
    for pointer, instance in instances:
        if instance.get("type") != "coder_ai_task":
            continue
        task_id, app_id = _task_ids(instance.get("values") or {})
        problems: list[TaskProblem] = []
        app_entry = None
        app = apps.get(app_id) if app_id else None
        if app is None:
            problems.append(
                TaskProblem(
                    step="app",
                    message=(
                        f'Unknown ai_task_app_id "{app_id}": no coder_app in the state has this id'
                        if app_id
                        else "app id is empty"
                    ),
                )
            )
        else:
            values = app.get("values") or {}
            agent = agents.get(str(values.get("agent_id")))
            compute = compute_by_agent.get(str(values.get("agent_id")))
            if agent is None:
                problems.append(
                    TaskProblem(
                        step="agent",
                        message=(
                            f"no coder_agent in the state has the app's agent_id "
                            f"{values.get('agent_id')!r}"
                        ),
                    )
                )
            elif compute is None:
                problems.append(
                    TaskProblem(
                        step="compute",
                        message=(
                            f"Coder attaches `{agent.get('address')}` to no resource: "
                            "the agent and its apps are dropped"
                        ),
                    )
                )
            slug = values.get("slug") or app.get("name")
            url = values.get("url")
            app_entry = TaskApp(
                address=str(app.get("address")),
                slug=slug if isinstance(slug, str) else None,
                url=url if isinstance(url, str) else None,
                agent=str(agent.get("address")) if agent else None,
                compute=compute,
            )
        entries.append(
            AITaskEntry(
                address=str(instance.get("address", "")),
                id=task_id,
                app_id=app_id,
                sidebar_app=SidebarApp(id=app_id),
                app_ref=app_id,
                app=app_entry,
                apps=[app_entry] if app_entry else [],
                problems=problems,
                location=_location(Location(document.path, pointer=pointer), document),
            )
        )
    return TasksDocument(has_ai_task=bool(entries), ai_tasks=entries)
