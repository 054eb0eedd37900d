"""``check --format sarif``: SARIF 2.1.0, the format GitHub code scanning uploads.

One run; the driver lists every rule given (not only those that fired), so a
code-scanning alert can link to the documentation of its rule and a rule that
stops firing still has a description. Each result carries a partial
fingerprint built from what identifies a finding (rule, project-relative file,
Terraform address; :func:`aitask_lint.lint.findings.fingerprint`) and not from
its line, its message or the current directory, so an alert survives edits
above it, a reworded message and a job that runs from another directory
instead of being closed and reopened.

Paths are relative to the project root and tagged ``%SRCROOT%``;
``originalUriBaseIds`` says which directory that was, and
``automationDetails.id`` tells apart the runs of a job matrix (GitHub takes
its category from it).

Template strings are attacker-controlled, but JSON escaping makes any of them
safe to embed; only surrogate code points (which no UTF-8 reader accepts) are
replaced. Output is ASCII-only, so it survives any stdout encoding.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from aitask_lint.lint.docs import examples_markdown, fix_text
from aitask_lint.lint.findings import Finding, Fix, Report, fingerprint, fingerprints
from aitask_lint.lint.rule import Rule
from aitask_lint.reports.safe import scrub_surrogates

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/aitask-lint/aitask-lint"
FINGERPRINT_KEY = "aitaskLint/v1"
SRCROOT = "%SRCROOT%"

#: SARIF has no "info"; "note" is its lowest level that still shows up as an alert.
LEVELS: dict[str, str] = {"error": "error", "warning": "warning", "info": "note"}

_SURROGATE = re.compile("[\ud800-\udfff]")
#: a Windows absolute path as Windows writes it (backslashes); ``C:/x`` is a
#: relative path on POSIX (a directory named ``C:``), absolute only on Windows
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:\\")
_DRIVE = re.compile(r"^[A-Za-z]:[/\\]")
#: RFC 3986 pchar minus ":" (a colon in the first segment of a relative
#: reference would read as a scheme); unreserved characters are always kept.
_URI_SAFE = "/!$&'()*+,;=@"
#: ``automationDetails.id`` without ``--sarif-automation-id``: the category
#: "aitask-lint/" (GitHub reads the category up to the last slash)
DEFAULT_AUTOMATION_ID = "aitask-lint/"

#: rule ID series -> what the rules are about (SARIF ``properties.tags``)
TAGS: dict[str, str] = {
    "AIT0": "input",
    "AIT1": "ai-task",
    "AIT2": "task-app",
    "AIT3": "module",
    "AIT4": "coder-resource",
    "AIT5": "version",
    "AIT6": "scenario",
}
#: rules whose judgement rests on a heuristic; every other rule applies
#: Coder's, the provider's or Terraform's own check ("very-high" when it quotes
#: their error text) and is "high"
MEDIUM_PRECISION = frozenset(("AIT109", "AIT111", "AIT204", "AIT304", "AIT410"))


def render_sarif(
    report: Report,
    rules: Sequence[Rule],
    *,
    base: str | None = None,
    automation_id: str | None = None,
) -> str:
    """The whole SARIF log as indented JSON, one trailing newline.

    ``base`` is the project root the report's paths are relative to (see
    :func:`aitask_lint.lint.runner.report_base`); ``automation_id`` names the
    run (``--sarif-automation-id``).
    """
    index = {rule.id: position for position, rule in enumerate(rules)}
    prints = fingerprints(report.findings)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "aitask-lint",
                "version": report.tool.version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule, report.tool.version) for rule in rules],
            }
        },
        "automationDetails": {"id": automation_id or DEFAULT_AUTOMATION_ID},
        # Columns come from character offsets (HCL and JSON positions alike).
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(finding, index, print_)
            for finding, print_ in zip(report.findings, prints, strict=True)
        ],
    }
    if base is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": Path(base).as_uri().rstrip("/") + "/"}}
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(scrub_surrogates(log), indent=2) + "\n"


def _rule(rule: Rule, version: str) -> dict[str, Any]:
    uri = docs_uri(rule.id, version)
    entry: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
    }
    if uri is not None:
        entry["helpUri"] = uri
    entry["help"] = {
        "text": _help_text(rule, version, uri),
        "markdown": _help_markdown(rule, version, uri),
    }
    entry["defaultConfiguration"] = {"level": LEVELS[rule.severity]}
    entry["properties"] = {"tags": rule_tags(rule), "precision": rule_precision(rule)}
    return entry


def rule_tags(rule: Rule) -> list[str]:
    """What the rule is about, then what kind of problem it reports."""
    kind = {"error": "correctness", "warning": "reliability", "info": "maintainability"}
    return [TAGS.get(rule.id[:4], "aitask-lint"), kind[rule.severity]]


def rule_precision(rule: Rule) -> str:
    if rule.id in MEDIUM_PRECISION:
        return "medium"
    return "very-high" if rule.quotes or rule.id == "AIT001" else "high"


def docs_path(rule_id: str) -> str:
    """Where a rule's generated page is, relative to the repository and the sdist."""
    return f"docs/rules/{rule_id}.md"


def docs_uri(rule_id: str, version: str) -> str | None:
    """The rule's page for this version: ``<repository>/blob/v<version>/docs/rules/<ID>.md``.

    The repository is the installed distribution's ``Project-URL``
    (Repository, Source or Homepage). Without one there is no address that is
    sure to resolve: None, and the help text names the relative docs path
    (``aitask-lint explain ID`` prints the same page).
    """
    repository = _repository_url()
    if repository is None:
        return None
    return f"{repository}/blob/v{quote(version, safe='')}/{docs_path(rule_id)}"


@lru_cache(maxsize=1)
def _repository_url() -> str | None:
    from importlib import metadata

    try:
        entries = metadata.metadata("aitask-lint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    urls = {}
    for entry in entries:
        label, _, url = str(entry).partition(",")
        urls[label.strip().lower()] = url.strip().rstrip("/")
    for label in ("repository", "source", "source code", "homepage"):
        if urls.get(label, "").startswith("https://"):
            return urls[label]
    return None


def docs_reference(rule: Rule, version: str) -> str:
    """Where to read the rule's page, for reports that show one line of text (JUnit)."""
    return _docs_line(rule, version, docs_uri(rule.id, version))


def _docs_line(rule: Rule, version: str, uri: str | None) -> str:
    if uri is not None:
        return uri
    return (
        f"{docs_path(rule.id)} in aitask-lint {version} (`aitask-lint explain {rule.id}` prints it)"
    )


def _help_text(rule: Rule, version: str, uri: str | None) -> str:
    """Plain text for viewers that do not render Markdown: examples indented."""
    return (
        f"{rule.summary}\n\n{rule.why}\n\n"
        f"Failing example:\n{_indent(rule.bad.shown_text)}\n\n"
        f"Fixed example:\n{_indent(rule.good.shown_text)}\n\n"
        f"Fix: {fix_text(rule)}\n\n"
        f"Documentation: {_docs_line(rule, version, uri)}\n"
    )


def _help_markdown(rule: Rule, version: str, uri: str | None) -> str:
    link = (
        f"[Documentation]({uri})"
        if uri is not None
        else (
            f"Documentation: `{docs_path(rule.id)}` in aitask-lint {version} "
            f"(`aitask-lint explain {rule.id}` prints it)"
        )
    )
    return (
        f"**{rule.summary}**\n\n{rule.why}\n\n"
        f"{examples_markdown(rule, heading='{title}:')}\n\n"
        f"Fix: {fix_text(rule)}\n\n"
        f"{link}\n"
    )


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.rstrip("\n").split("\n"))


def _result(finding: Finding, index: dict[str, int], print_: str) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": finding.rule}
    if finding.rule in index:  # a rule missing from the catalog given still gets its ruleId
        result["ruleIndex"] = index[finding.rule]
    result["level"] = LEVELS[finding.severity]
    result["message"] = {"text": finding.message}
    location: dict[str, Any] = {"physicalLocation": _physical(finding)}
    if finding.address is not None:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.address, "kind": "resource"}]
    result["locations"] = [location]
    result["partialFingerprints"] = {FINGERPRINT_KEY: print_}
    if finding.scenarios is not None:
        result["properties"] = {"scenarios": list(finding.scenarios)}
    if finding.fix is not None:
        result["fixes"] = [_fix(finding.fix)]
    return result


def _fix(fix: Fix) -> dict[str, Any]:
    """SARIF 2.1.0 §3.55: one ``fix``, its edits grouped by file, regions as byte ranges.

    Byte ranges (``byteOffset``/``byteLength``) mean one thing whatever the
    file's line ends or characters; the property bag says whether the fix is
    safe, which SARIF has no word for.
    """
    by_path: dict[str, list[dict[str, Any]]] = {}
    for edit in fix.edits:
        by_path.setdefault(edit.path, []).append(
            {
                "deletedRegion": {"byteOffset": edit.start, "byteLength": edit.end - edit.start},
                "insertedContent": {"text": edit.content},
            }
        )
    return {
        "description": {"text": f"{fix.message} ({fix.applicability} fix)"},
        "artifactChanges": [
            {"artifactLocation": artifact_location(path), "replacements": replacements}
            for path, replacements in by_path.items()
        ],
        "properties": {"applicability": fix.applicability},
    }


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

    Report paths are relative to the project root (the repository), which is
    what GitHub resolves ``%SRCROOT%`` against. A relative path is a relative
    URI reference: every character outside RFC 3986's pchar is
    percent-encoded, ``:`` included, so a directory named ``C:`` cannot read
    as a drive or a scheme (``C%3A/main.tf``); a first segment that still held
    a colon would be prefixed ``./``.
    """
    posix = _SURROGATE.sub("\ufffd", path).replace("\\", "/")  # quote() encodes UTF-8
    if posix.startswith("/"):
        return {"uri": PurePosixPath(posix).as_uri()}
    if _WINDOWS_DRIVE.match(path) or (os.name == "nt" and _DRIVE.match(path)):
        return {"uri": PureWindowsPath(posix).as_uri()}
    uri = quote(posix, safe=_URI_SAFE)
    if ":" in uri.split("/", 1)[0]:
        uri = "./" + uri
    return {"uri": uri, "uriBaseId": SRCROOT}


__all__ = ["artifact_location", "fingerprint", "render_sarif"]
