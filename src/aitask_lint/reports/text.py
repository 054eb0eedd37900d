"""The default ``check`` output: ``path:line:col: severity AITnnn message`` and a summary.

Colour only on a terminal, never with ``NO_COLOR`` set; every string that
came from the template is neutralised (control characters, escapes).
"""

from __future__ import annotations

from aitask_lint.lint.findings import Report
from aitask_lint.reports.safe import safe_text

_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def render_text(report: Report, *, colour: bool = False) -> str:
    lines = []
    for finding in report.findings:
        where = f"{finding.location.path}:{finding.location.line}:{finding.location.column}"
        severity: str = finding.severity
        if colour:
            where = f"{_BOLD}{where}{_RESET}"
            severity = f"{_COLOURS[finding.severity]}{severity}{_RESET}"
        lines.append(f"{safe_text(where)}: {severity} {finding.rule} {safe_text(finding.message)}")
    for unused in report.unused_suppressions:
        where = f"{unused.path}:{unused.line}:{unused.column}"
        lines.append(f"{safe_text(where)}: warning {safe_text(unused.message)}")
    summary = report.summary
    files = f"{summary.files} file{'s' if summary.files != 1 else ''}"
    if not report.findings:
        lines.append(f"{files} checked, no findings")
    else:
        lines.append(
            f"{files} checked: {summary.errors} error{'s' if summary.errors != 1 else ''}, "
            f"{summary.warnings} warning{'s' if summary.warnings != 1 else ''}, "
            f"{summary.infos} info{'s' if summary.infos != 1 else ''}"
        )
    return "\n".join(lines) + "\n"
