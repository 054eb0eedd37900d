"""``check --format sarif``: SARIF 2.1.0, the format GitHub code scanning uploads.

One run; the driver lists every rule given (not only those that fired), so a
code-scanning alert can link to the documentation of its rule and a rule that
stops firing still has a description. Each result carries a partial
fingerprint built from what identifies a finding for a human (rule, file,
Terraform address, message) and not from its line, so an alert survives edits
above it instead of being closed and reopened on every push.

Template strings are attacker-controlled, but JSON escaping makes any of them
safe to embed; only surrogate code points (which no UTF-8 reader accepts) are
replaced. Output is ASCII-only, so it survives any stdout encoding.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from aitask_lint.lint.docs import examples_markdown
from aitask_lint.lint.findings import Finding, Report
from aitask_lint.lint.rule import Rule
from aitask_lint.reports.safe import scrub_surrogates

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/aitask-lint/aitask-lint"
FINGERPRINT_KEY = "aitaskLint/v1"
SRCROOT = "%SRCROOT%"

#: SARIF has no "info"; "note" is its lowest level that still shows up as an alert.
LEVELS: dict[str, str] = {"error": "error", "warning": "warning", "info": "note"}

_SURROGATE = re.compile("[\ud800-\udfff]")
_DRIVE = re.compile(r"^[A-Za-z]:/")
#: RFC 3986 pchar minus ":" (a colon in the first segment of a relative
#: reference would read as a scheme); unreserved characters are always kept.
_URI_SAFE = "/!$&'()*+,;=@"


def render_sarif(report: Report, rules: Sequence[Rule]) -> str:
    """The whole SARIF log as indented JSON, one trailing newline."""
    index = {rule.id: position for position, rule in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "aitask-lint",
                "version": report.tool.version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule) for rule in rules],
            }
        },
        # Columns come from character offsets (HCL and JSON positions alike).
        "columnKind": "unicodeCodePoints",
        "results": [_result(finding, index) for finding in report.findings],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(scrub_surrogates(log), indent=2) + "\n"


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "helpUri": rule.link,
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
    }


def _help_text(rule: Rule) -> str:
    """Plain text for viewers that do not render Markdown: examples indented."""
    return (
        f"{rule.summary}\n\n{rule.why}\n\n"
        f"Failing example:\n{_indent(rule.bad.shown_text)}\n\n"
        f"Fixed example:\n{_indent(rule.good.shown_text)}\n\n"
        f"Documentation: {rule.link}\n"
    )


def _help_markdown(rule: Rule) -> str:
    return (
        f"**{rule.summary}**\n\n{rule.why}\n\n"
        f"{examples_markdown(rule, heading='{title}:')}\n\n"
        f"[Documentation]({rule.link})\n"
    )


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.rstrip("\n").split("\n"))


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": finding.rule}
    if finding.rule in index:  # a rule missing from the catalog given still gets its ruleId
        result["ruleIndex"] = index[finding.rule]
    result["level"] = LEVELS[finding.severity]
    result["message"] = {"text": finding.message}
    location: dict[str, Any] = {"physicalLocation": _physical(finding)}
    if finding.address is not None:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.address, "kind": "resource"}]
    result["locations"] = [location]
    result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(finding)}
    return result


def _physical(finding: Finding) -> dict[str, Any]:
    where = finding.location
    region: dict[str, int] = {"startLine": where.line, "startColumn": where.column}
    if where.end_line is not None:
        region["endLine"] = where.end_line
    if where.end_column is not None:
        region["endColumn"] = where.end_column
    return {"artifactLocation": artifact_location(where.path), "region": region}


def artifact_location(path: str) -> dict[str, str]:
    """A relative path stays relative to ``%SRCROOT%``; an absolute one becomes a file URI.

    GitHub resolves relative URIs against the repository root, which is what
    a path given on the command line inside a checkout is relative to.
    """
    posix = _SURROGATE.sub("\ufffd", path).replace("\\", "/")  # quote() encodes UTF-8
    if posix.startswith("/"):
        return {"uri": PurePosixPath(posix).as_uri()}
    if _DRIVE.match(posix):
        return {"uri": PureWindowsPath(posix).as_uri()}
    return {"uri": quote(posix, safe=_URI_SAFE), "uriBaseId": SRCROOT}


def fingerprint(finding: Finding) -> str:
    """SHA-256 of rule, path, address and message; no line, so edits elsewhere keep it.

    The parts are JSON-encoded as a list, so no two different tuples collide
    by concatenation (``"ab" + "c"`` vs ``"a" + "bc"``) and surrogates encode.
    """
    parts = [finding.rule, finding.location.path, finding.address, finding.message]
    return hashlib.sha256(json.dumps(parts).encode("ascii")).hexdigest()
