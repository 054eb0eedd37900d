"""``check --fix``, ``--diff`` and ``--show-fixes``: fix, then report what remains.

Above :mod:`aitask_lint.session` (each lint pass is a ``check`` run) and
below the command line and the library's ``fix()``; the engine that applies
edits (:mod:`aitask_lint.autofix.engine`) knows nothing of sessions.

The lint passes are ordinary ``check`` runs (same configuration, selection
and baseline) without rendering; after the files are written, one more run
renders the report of what remains, so the report after fixing is exactly
what ``check`` alone would now print.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from aitask_lint.autofix.engine import FixPolicy, FixResult, run
from aitask_lint.lint.findings import Report
from aitask_lint.session import (
    EXIT_FINDINGS,
    EXIT_OK,
    CheckRequest,
    CheckResult,
    resolve_config,
    run_check,
)


@dataclass
class FixRun:
    """The command's output (the report, or the diff), the fixes, and notes for stderr."""

    check: CheckResult
    fixes: FixResult
    notes: str


def policy_of(request: CheckRequest) -> FixPolicy:
    """The fixes wanted: ``--unsafe-fixes`` over the configuration's keys."""
    config = resolve_config(request)
    unsafe = request.unsafe_fixes if request.unsafe_fixes is not None else config.unsafe_fixes
    fixable = request.fixable if request.fixable is not None else config.fixable
    unfixable = request.unfixable if request.unfixable is not None else config.unfixable
    return FixPolicy(
        unsafe=bool(unsafe),
        fixable=tuple(fixable) if fixable is not None else ("ALL",),
        unfixable=tuple(unfixable or ()),
    )


def wants_fix(request: CheckRequest) -> bool:
    """Whether this run fixes (``--fix``, ``--diff``, or ``fix = true`` in the configuration)."""
    if request.diff or request.fix:
        return True
    if request.fix is False:
        return False
    return bool(resolve_config(request).fix)


def project_roots(request: CheckRequest) -> list[str]:
    """The directories fixes may write in: the project root of every input."""
    from aitask_lint.model.from_hcl import default_project_root

    if request.project_root is not None:
        return [request.project_root]
    configured = resolve_config(request).project_root
    if configured is not None:
        return [configured]
    return [default_project_root(path) for path in request.paths or ["."] if path != "-"]


def fix_check(request: CheckRequest) -> FixRun:
    """Apply the fixes (or, with ``--diff``, show them) and report what remains."""
    policy = policy_of(request)
    passes = replace(request, render=False, write_baseline=None, fix=False, diff=False)

    def lint_pass() -> Report:
        return run_check(passes).report

    fixes = run(lint_pass, policy, project_roots(request), write=not request.diff)
    notes = "".join(f"{f.path}:{f.line}: {f.rule} fix failed: {f.reason}\n" for f in fixes.failed)
    if request.diff:
        diff = fixes.diff
        assert fixes.remaining is not None
        code = EXIT_FINDINGS if diff else EXIT_OK
        if fixes.applied:
            notes += f"Would fix {_count(len(fixes.applied))}.\n"
        return FixRun(CheckResult(diff, code, fixes.remaining), fixes, notes)
    final = run_check(replace(request, unsafe_fixes=policy.unsafe, fix=False))
    lines = []
    if request.show_fixes and fixes.applied:
        lines.append(f"Fixed {_count(len(fixes.applied))}:")
        lines.extend(
            f"  {f.path}:{f.line}: {f.rule} [{f.applicability}] {f.message}" for f in fixes.applied
        )
    summary = f"Fixed {_count(len(fixes.applied))}, {len(final.report.findings)} remaining"
    if fixes.unsafe_available:
        summary += f" ({fixes.unsafe_available} more fixable with --unsafe-fixes)"
    lines.append(summary + ".")
    text = "".join(line + "\n" for line in lines)
    if _is_text(request, final) and not request.quiet:
        final = replace(final, output=final.output + text)
    elif not request.quiet:
        notes += text
    return FixRun(final, fixes, notes)


def _count(number: int) -> str:
    return f"{number} finding{'s' if number != 1 else ''}"


def _is_text(request: CheckRequest, final: CheckResult) -> bool:
    """Whether the report is text, where the fix summary can follow it."""
    from aitask_lint.reports.text import TEXT_FORMATS

    chosen = request.output_format or resolve_config(request).output_format or "text"
    return chosen in TEXT_FORMATS and not request.statistics
