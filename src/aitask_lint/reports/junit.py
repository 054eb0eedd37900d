"""``check --format junit``: JUnit XML, for CI systems that show test reports.

GitLab, Jenkins, Azure Pipelines and others have no notion of lint findings
but all read JUnit: one ``<testsuite>`` per file, one ``<testcase>`` per
(file, rule) pair carrying the ``file`` attribute (GitLab and Jenkins link
it), and one ``<failure>`` per failing finding. Warnings and errors fail;
info findings fail only when they reach ``--fail-on`` (``fail_on="info"``),
otherwise they are listed in the case's ``<system-out>`` and the case passes,
so a test report is not red for notes that do not fail the job. A clean run
still emits one passing test case, because several readers treat an empty
report as an error.

``failures`` counts failing test cases, not ``<failure>`` elements: readers
compute "passed" as ``tests - failures``. The document is built with
ElementTree (which escapes ``<>&"``) after removing the characters XML 1.0
cannot hold at all, escaped or not, so any template string yields a document
that parses. It is serialised as ASCII with character references, so it
survives any output encoding.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby

from aitask_lint.lint.findings import SEVERITY_RANK, Finding, Report, Severity
from aitask_lint.lint.rule import Rule
from aitask_lint.reports.sarif import docs_reference

SUITES_NAME = "aitask-lint"
CLEAN_CASE = "no findings"

#: everything outside XML 1.0's Char production: C0 controls but tab, LF and CR;
#: surrogates (a str can hold them alone); U+FFFE and U+FFFF.
_ILLEGAL_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids everywhere."""
    return _ILLEGAL_XML.sub("", text)


def render_junit(report: Report, rules: Sequence[Rule], *, fail_on: Severity = "error") -> str:
    """The JUnit document; suites by path, cases by rule ID, failures by position.

    ``fail_on`` is the run's ``--fail-on``: an info finding is a failure only
    when it reaches it (warnings and errors always are).
    """
    catalog = {rule.id: rule for rule in rules}
    threshold = min(SEVERITY_RANK[fail_on], SEVERITY_RANK["warning"])
    root = _element("testsuites", name=SUITES_NAME)
    findings = sorted(report.findings, key=Finding.sort_key)
    if findings:
        for path, in_file in groupby(findings, key=lambda f: f.location.path):
            root.append(_suite(path, list(in_file), catalog, threshold, report.tool.version))
    else:
        root.append(_clean_suite())
    _count(root, root.findall("testsuite"))
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="us-ascii", xml_declaration=True)
    return document.decode("ascii") + "\n"


def _suite(
    path: str, findings: list[Finding], catalog: dict[str, Rule], threshold: int, version: str
) -> ET.Element:
    suite = _element("testsuite", name=path)
    by_rule = sorted(findings, key=lambda f: (f.rule, f.sort_key()))
    for rule_id, of_rule in groupby(by_rule, key=lambda f: f.rule):
        suite.append(_case(path, list(of_rule), catalog.get(rule_id), threshold, version))
    _count(suite, suite.findall("testcase"))
    return suite


def _case(
    path: str, findings: list[Finding], rule: Rule | None, threshold: int, version: str
) -> ET.Element:
    first = findings[0]
    case = _element("testcase", classname=path, name=f"{first.rule} {first.name}", file=path)
    notes = []
    for finding in findings:
        where = finding.location
        line = f"{where.path}:{where.line}:{where.column}: {finding.severity}: {finding.message}"
        if SEVERITY_RANK[finding.severity] < threshold:
            notes.append(line)  # below --fail-on: shown, not failed
            continue
        failure = _element("failure", message=finding.message, type=finding.severity)
        failure.text = xml_safe(f"{where.path}:{where.line}:{where.column}: {finding.message}")
        case.append(failure)
    if rule is not None or notes:
        # What the rule is about and where its documentation lives, shown by
        # GitLab and Jenkins next to the failure; then the findings that do not fail.
        about = [f"{rule.summary}\n{docs_reference(rule, version)}"] if rule is not None else []
        out = ET.SubElement(case, "system-out")
        out.text = xml_safe("\n".join(about + notes))
    return case


def _clean_suite() -> ET.Element:
    suite = _element("testsuite", name=SUITES_NAME)
    suite.append(_element("testcase", classname=SUITES_NAME, name=CLEAN_CASE))
    _count(suite, suite.findall("testcase"))
    return suite


def _count(parent: ET.Element, children: list[ET.Element]) -> None:
    """Set ``tests``/``failures``/``errors`` on a suite (from cases) or the root (from suites)."""
    if parent.tag == "testsuites":
        tests = sum(int(child.get("tests", "0")) for child in children)
        failures = sum(int(child.get("failures", "0")) for child in children)
    else:
        tests = len(children)
        failures = sum(1 for child in children if child.find("failure") is not None)
    parent.set("tests", str(tests))
    parent.set("failures", str(failures))
    parent.set("errors", "0")


def _element(tag: str, **attributes: str) -> ET.Element:
    """An element whose attribute values are XML-safe, in the order given."""
    return ET.Element(tag, {key: xml_safe(value) for key, value in attributes.items()})
