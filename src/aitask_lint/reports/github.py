"""``check --format github``: workflow commands that GitHub Actions turns into annotations.

One ``::error``/``::warning``/``::notice`` line per finding and nothing else:
the runner parses each stdout line, so a summary line would only be noise.

A finding's strings come from the template, and the template comes from a
pull request: a newline in a message could start a new workflow command of
the attacker's choosing (``::add-mask::``, ``::stop-commands::``...). Values
are therefore escaped exactly as ``@actions/core`` does (``%``, CR and LF in
the message; also ``:`` and ``,`` in properties), which the runner reverses.
On top of that, the other control characters are shown as ``\\xNN`` like in
the text format (bidi overrides and zero-width characters as ``\\uNNNN``), so an
ANSI sequence cannot hide or recolour log lines, and
surrogate code points become U+FFFD, so the line can be written as UTF-8.
"""

from __future__ import annotations

import re

from aitask_lint.lint.findings import Finding, Report

COMMANDS: dict[str, str] = {"error": "error", "warning": "warning", "info": "notice"}

#: C0 but tab/LF/CR (escaped by the protocol itself), DEL and C1 controls; bidi
#: overrides and zero-width characters, which make an annotation read differently.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def render_github(report: Report) -> str:
    """One workflow command per finding; the empty string when there is none."""
    return "".join(f"{_command(finding)}\n" for finding in report.findings)


def _command(finding: Finding) -> str:
    where = finding.location
    properties: list[tuple[str, str]] = [
        ("file", where.path),
        ("line", str(where.line)),
        ("col", str(where.column)),
    ]
    if where.end_line is not None:
        properties.append(("endLine", str(where.end_line)))
    if where.end_column is not None:
        properties.append(("endColumn", str(where.end_column)))
    properties.append(("title", f"{finding.rule} {finding.name}"))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {joined}::{escape_data(finding.message)}"


def escape_data(text: str) -> str:
    """The message after ``::``, escaped as ``escapeData`` in @actions/core."""
    text = _neutralise(text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` value, escaped as ``escapeProperty`` in @actions/core."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _neutralise(text: str) -> str:
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
