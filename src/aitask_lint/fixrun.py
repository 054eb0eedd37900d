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

from aitask_lint.autofix.engine import FixPolicy, FixResult, diff_start, run
from aitask_lint.lint.findings import Report, shown_path
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

    bases: list[str | None] = []

    def lint_pass() -> Report:
        checked = run_check(passes)
        bases.append(checked.base)
        return checked.report

    roots = project_roots(request)
    fixes = run(lint_pass, policy, roots, write=not request.diff)
    base = bases[0] if bases else None

    def shown(path: str) -> str:  # as the report shows paths: from the project root
        return shown_path(path, base)

    notes = "".join(failed.describe(shown) + "\n" for failed in fixes.failed)
    if request.diff:
        start = diff_start(fixes.changes, base or roots[0]) if fixes.changes else None
        diff = fixes.diff_from(start)
        if start is not None:
            notes += f"The diff names files from {start}: apply it there (patch -p0).\n"
        assert fixes.remaining is not None
        code = EXIT_FINDINGS if diff else EXIT_OK
        if fixes.applied or fixes.unsafe_available:
            notes += f"Would fix {_count(len(fixes.applied))}{_more(fixes)}.\n"
        return FixRun(CheckResult(diff, code, fixes.remaining), fixes, notes)
    final = run_check(replace(request, unsafe_fixes=policy.unsafe, fix=False))
    lines = []
    if request.show_fixes and fixes.applied:
        lines.append(f"Fixed {_count(len(fixes.applied))}:")
        lines.extend(
            f"  {shown(f.path)}:{f.line}: {f.rule} [{f.applicability}] {f.message}"
            for f in sorted(fixes.applied, key=lambda f: (shown(f.path), f.line, f.rule))
        )
    summary = f"Fixed {_count(len(fixes.applied))}, {len(final.report.findings)} remaining"
    lines.append(summary + _more(fixes) + ".")
    text = "".join(line + "\n" for line in lines)
    if _is_text(request, final) and not request.quiet:
        final = replace(final, output=final.output + text)
    elif not request.quiet:
        notes += text
    return FixRun(final, fixes, notes)


def _more(fixes: FixResult) -> str:
    """`` (K more fixable with --unsafe-fixes)`` when there are such fixes, else nothing."""
    if not fixes.unsafe_available:
        return ""
    return f" ({fixes.unsafe_available} more fixable with --unsafe-fixes)"


def _count(number: int) -> str:
    return f"{number} finding{'s' if number != 1 else ''}"


def _is_text(request: CheckRequest, final: CheckResult) -> bool:
    """Whether the report is text, where the fix summary can follow it."""
    from aitask_lint.reports.text import TEXT_FORMATS

    chosen = request.output_format or resolve_config(request).output_format or "text"
    return chosen in TEXT_FORMATS and not request.statistics
