"""Human-readable rendering of the tasks document.

Every string from the input (addresses, ids, slugs, paths) goes through
:func:`safe_text`: a plan JSON can hold any address.
"""

from __future__ import annotations

from aitask_lint.analysis.scenario import describe
from aitask_lint.analysis.tasks_document import TasksDocument
from aitask_lint.reports.safe import safe_text


def render_tasks_text(document: TasksDocument) -> str:
    """One paragraph per task: where it is, the chain it leads to, what is broken."""
    if not document.ai_tasks:
        return "no coder_ai_task: the template has no AI task (has_ai_task = false)\n"
    lines: list[str] = []
    if document.scenario is not None:
        lines.append(f"scenario: {safe_text(document.scenario)}{_preset_words(document)}")
        lines.append("")
    for task in document.ai_tasks:
        where = ""
        if task.location is not None:
            where = f"{task.location.path}:{task.location.line}:{task.location.column}: "
        lines.append(safe_text(f"{where}{task.address}"))
        if task.app_ref:
            lines.append(f"  app reference: {safe_text(task.app_ref)}")
        if task.app_id:
            lines.append(f"  app_id: {safe_text(task.app_id)}")
        for app in task.apps:
            lines.append(
                f"  app: {safe_text(app.address or '?')} (slug {safe_text(app.slug or '?')}, "
                f"url {safe_text(app.url or '?')})"
            )
            lines.append(f"    agent: {safe_text(app.agent or '?')}")
            lines.append(f"    compute: {safe_text(app.compute or '?')}")
        for problem in task.problems:
            lines.append(f"  problem ({problem.step}): {safe_text(problem.message)}")
        lines.append("")
    for note in document.notes:
        lines.append(
            f"note: {safe_text(note.task)} breaks {safe_text(describe(note.scenario))}: "
            f"{safe_text(note.message)}"
        )
    if document.notes:
        lines.append("")
    lines.append(f"has_ai_task = {str(document.has_ai_task).lower()}")
    return "\n".join(lines) + "\n"


def _preset_words(document: TasksDocument) -> str:
    """Which preset a created task gets: the chain depends on it, and nothing else says so."""
    if document.scenario != "task":
        return ""
    if document.preset is None:
        return " (no preset: every parameter at its default)"
    return f' (preset "{safe_text(document.preset)}", the one the web UI sends with a task)'
