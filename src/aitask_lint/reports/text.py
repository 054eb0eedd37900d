"""The human ``check`` output: one line per finding, or each with its source lines.

``concise`` is one ``path:line:col: severity AITnnn message`` line per finding
(what scripts, editors and CI logs read); ``full`` adds, under each finding,
the source lines with a caret underline at the span and the rule's
documentation link, as ruff's and tflint's default terminal output does.

Every string that came from the input (paths, messages, source lines) is
passed through :func:`safe_text` first, and only then are our own colour codes
added: escaping is never applied to them, and nothing a template holds can
reach the terminal raw.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from aitask_lint.lint.findings import Finding, Report
from aitask_lint.reports.safe import safe_text

#: the text variants of ``check --format``: ``text`` is ``full`` on a terminal
TEXT_FORMATS = ("text", "full", "concise")

_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_BOLD, _GUTTER, _RESET = "\x1b[1m", "\x1b[1;34m", "\x1b[0m"

#: display columns of source shown around a span on a long line (minified JSON)
_WINDOW = 160
#: lines of context shown before and after the span's first line
_CONTEXT = 1

#: the lines of a file by path, ``None`` when they cannot be shown
SourceLines = Callable[[str], list[str] | None]


@dataclass(frozen=True)
class _Style:
    colour: bool

    def paint(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.colour and text else text

    def bold(self, text: str) -> str:
        return self.paint(_BOLD, text)

    def severity(self, severity: str, text: str | None = None) -> str:
        return self.paint(_COLOURS[severity], severity if text is None else text)

    def gutter(self, text: str) -> str:
        return self.paint(_GUTTER, text)


def render_text(
    report: Report,
    *,
    colour: bool = False,
    full: bool = False,
    quiet: bool = False,
    statistics: bool = False,
    source: SourceLines | None = None,
    links: Callable[[str], str | None] | None = None,
    unsafe_fixes: bool = False,
) -> str:
    """The text report.

    ``full`` shows each finding's source lines (read through ``source``) and
    its rule's link (from ``links``); ``quiet`` leaves out the summary line;
    ``statistics`` prints counts per rule instead of the findings. As in
    ruff, ``[*]`` marks a finding ``check --fix`` repairs (an unsafe fix only
    with ``unsafe_fixes``), and ``full`` ends by saying how many it would.
    """
    style = _Style(colour)
    lines: list[str] = []
    if statistics:
        lines.extend(_statistics(report, style))
    else:
        for finding in report.findings:
            lines.append(_headline(finding, style, unsafe_fixes))
            if full:
                snippet, indent = _snippet(finding, style, source)
                lines.extend(snippet)
                if finding.scenarios:  # the message ends with them in words; here, as names
                    names = ", ".join(safe_text(name) for name in finding.scenarios)
                    lines.append(f"{style.gutter(' ' * indent + '=')} only in scenarios: {names}")
                link = links(finding.rule) if links is not None else None
                rule = safe_text(finding.rule)
                lines.append(
                    f"{style.gutter(' ' * indent + '=')} docs: {safe_text(link)}"
                    if link
                    # no address sure to resolve: the command that prints the same page
                    else f"{style.gutter(' ' * indent + '=')} help: aitask-lint explain {rule}"
                )
                lines.append("")
        for unused in report.unused_suppressions:
            where = safe_text(f"{unused.path}:{unused.line}:{unused.column}")
            lines.append(
                f"{style.bold(where)}: {style.severity('warning')} {safe_text(unused.message)}"
            )
    if not quiet:
        lines.append(_summary(report))
        if full:  # a hint for people; the concise shape (findings, one summary line) stays
            lines.extend(_fixable(report, unsafe_fixes))
    return "".join(f"{line}\n" for line in lines)


def _headline(finding: Finding, style: _Style, unsafe_fixes: bool = False) -> str:
    location = finding.location
    where = safe_text(f"{location.path}:{location.line}:{location.column}")
    mark = "[*] " if _applies(finding, unsafe_fixes) else ""
    return (
        f"{style.bold(where)}: {style.severity(finding.severity)} {finding.rule} "
        f"{mark}{safe_text(finding.message)}"
    )


def _applies(finding: Finding, unsafe_fixes: bool) -> bool:
    fix = finding.fix
    return fix is not None and (unsafe_fixes or fix.applicability == "safe")


def _fixable(report: Report, unsafe_fixes: bool) -> list[str]:
    """ruff's closing lines: how many ``--fix`` would repair, and how many more unsafely."""
    fixable = sum(1 for finding in report.findings if _applies(finding, unsafe_fixes))
    hidden = sum(
        1
        for finding in report.findings
        if finding.fix is not None and not _applies(finding, unsafe_fixes)
    )
    lines = []
    if fixable:
        lines.append(f"[*] {fixable} fixable with the --fix option.")
    if hidden:
        fixes = "fix" if hidden == 1 else "fixes"
        lines.append(f"{hidden} hidden {fixes} can be enabled with the --unsafe-fixes option.")
    return lines


def _summary(report: Report) -> str:
    summary = report.summary
    files = f"{summary.files} file{'s' if summary.files != 1 else ''}"
    if not report.findings:
        return f"{files} checked, no findings"
    return (
        f"{files} checked: {summary.errors} error{'s' if summary.errors != 1 else ''}, "
        f"{summary.warnings} warning{'s' if summary.warnings != 1 else ''}, "
        f"{summary.infos} info{'s' if summary.infos != 1 else ''}"
    )


def _statistics(report: Report, style: _Style) -> list[str]:
    """One line per rule, most frequent first, as ``ruff --statistics`` prints them."""
    counts = Counter(finding.rule for finding in report.findings)
    names = {finding.rule: (finding.name, finding.severity) for finding in report.findings}
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = max((len(str(count)) for count in counts.values()), default=1)
    lines = []
    for rule, count in ordered:
        name, severity = names[rule]
        label = style.severity(severity, f"{severity:<7}")
        lines.append(f"{count:>{width}}  {rule}  {label}  {safe_text(name)}")
    return lines


def _snippet(finding: Finding, style: _Style, source: SourceLines | None) -> tuple[list[str], int]:
    """The span's first line with its neighbours and a caret underline, and the gutter's
    indent; no lines when the file cannot be shown (standard input, a pipe, an unusable
    file: AIT001 quotes nothing from a file it could not read)."""
    if source is None or finding.rule == "AIT001":
        return [], 2
    location = finding.location
    text = source(location.path)
    if text is None or not 1 <= location.line <= len(text):
        return [], 2
    first = max(1, location.line - _CONTEXT)
    last = min(len(text), location.line + _CONTEXT)
    number_width = len(str(last))
    blank = style.gutter(f"{'':>{number_width}} |")
    rendered = [blank]
    for number in range(first, last + 1):
        line = text[number - 1]
        start = location.column - 1
        if number == location.line:
            end = len(line)
            if location.end_line == location.line and location.end_column is not None:
                end = max(start + 1, location.end_column - 1)
            shown, caret_at, caret_width = _display(line, start, end)
        else:
            shown, caret_at, caret_width = _display(line, 0, 0)
        rendered.append(f"{style.gutter(f'{number:>{number_width}} |')} {shown}".rstrip())
        if number == location.line:
            carets = "^" * max(1, caret_width)
            more = ""
            if location.end_line is not None and location.end_line > location.line:
                more = f" (to line {location.end_line})"
            rendered.append(
                f"{blank} {' ' * caret_at}{style.severity(finding.severity, carets)}{more}"
            )
    rendered.append(blank)
    return rendered, number_width + 1


def _width(character: str) -> int:
    if unicodedata.combining(character):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


def _display(line: str, start: int, end: int) -> tuple[str, int, int]:
    """``line`` as shown (tabs expanded, controls escaped, long lines windowed), with the
    display column and width of the characters ``start:end``."""
    cells: list[tuple[str, int]] = []  # (shown text, display width) per source character
    column = 0
    for character in line.rstrip("\r"):
        if character == "\t":
            shown = " " * (4 - column % 4)
            width = len(shown)
        else:
            shown = safe_text(character)
            width = len(shown) if shown != character else _width(character)
        cells.append((shown, width))
        column += width
    start = min(start, len(cells))
    end = min(max(end, start), len(cells))
    offsets = [0]
    for _shown, width in cells:
        offsets.append(offsets[-1] + width)
    caret_at, caret_end = offsets[start], offsets[end]
    total = offsets[-1]
    if total <= _WINDOW:
        return "".join(shown for shown, _w in cells), caret_at, caret_end - caret_at
    # a long line: a window that starts a little before the span, marked with ellipses
    begin = max(0, start - 20)
    while begin < start and offsets[start] - offsets[begin] > 40:
        begin += 1
    stop = begin
    while stop < len(cells) and offsets[stop + 1] - offsets[begin] <= _WINDOW:
        stop += 1
    prefix = "…" if begin > 0 else ""
    suffix = "…" if stop < len(cells) else ""
    shown = prefix + "".join(text for text, _w in cells[begin:stop]) + suffix
    caret_at = offsets[start] - offsets[begin] + len(prefix)
    caret_width = min(offsets[end], offsets[stop]) - offsets[start]
    return shown, caret_at, caret_width
