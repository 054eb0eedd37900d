"""The SARIF, JUnit and GitHub formats: valid for their readers whatever the template says.

Reports are built by hand, with strings a hostile pull request could put in a
template (control characters, CR/LF, the characters each format escapes,
characters XML cannot hold, emoji), and each format is checked the way its
consumer reads it: SARIF against the official schema, JUnit with ElementTree,
workflow commands with the line grammar of the Actions runner.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from aitask_lint.lint.findings import (
    Finding,
    FindingLocation,
    Report,
    Summary,
    Tool,
    fingerprints,
)
from aitask_lint.lint.registry import all_rules
from aitask_lint.lint.rule import Rule
from aitask_lint.reports.github import render_github
from aitask_lint.reports.junit import render_junit
from aitask_lint.reports.sarif import fingerprint, render_sarif

from conftest import SHARED

SARIF_SCHEMA = SHARED / "schemas-external" / "sarif-schema-2.1.0.json"
SARIF_MISSING = f"official SARIF schema not found at {SARIF_SCHEMA}"

HOSTILE = (
    "\x1b[31mred\x07 a,b:c%d\r\nnext \x00 "
    + chr(0xFFFE)
    + chr(0xFFFF)
    + " \U0001f916 \"quoted\" 'single' <tag>&amp; \ud800"
)
#: what RFC 3986 allows in a URI reference, percent-escapes included
URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
GITHUB_LINE = re.compile(
    r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+(,endLine=\d+,endColumn=\d+)?,"
    r"title=AIT\d{3} [a-z0-9-]+::.*$"
)


def finding(
    rule: str = "AIT203",
    *,
    severity: str = "warning",
    message: str = "task app `coder_app.chat` has no healthcheck block",
    address: str | None = "coder_app.chat",
    path: str = "main.tf",
    line: int = 12,
    column: int = 3,
    end: tuple[int, int] | None = None,
) -> Finding:
    name = {rule.id: rule.name for rule in all_rules()}.get(rule, "made-up-rule")
    return Finding(
        rule=rule,
        name=name,
        severity=severity,
        message=message,
        address=address,
        location=FindingLocation(
            path=path,
            line=line,
            column=column,
            end_line=end[0] if end else None,
            end_column=end[1] if end else None,
        ),
    )


def report(*findings: Finding) -> Report:
    def count(severity: str) -> int:
        return sum(1 for f in findings if f.severity == severity)

    summary = Summary(
        files=len({f.location.path for f in findings}) or 1,
        errors=count("error"),
        warnings=count("warning"),
        infos=count("info"),
    )
    return Report(tool=Tool(version="0.1.0"), findings=list(findings), summary=summary)


SAMPLE = report(
    finding("AIT001", severity="error", message="cannot parse", address=None, line=1, column=1),
    finding("AIT203", end=(14, 2)),
    finding("AIT203", path="modules/app.tf", address="module.app.coder_app.chat"),
    finding("AIT203", path="modules/app.tf", line=40, address="module.app.coder_app.web"),
    finding("AIT501", severity="info", message="a note", path="modules/app.tf", line=2),
)
HOSTILE_REPORT = report(
    finding(
        "AIT203",
        severity="error",
        message=HOSTILE,
        address=f"coder_app.x[{HOSTILE!r}]",
        path="dir with space\\sub,dir:x/\U0001f916 <&>.tf",
        end=(3, 9),
    ),
    finding("AIT203", message="", address=HOSTILE, path="/abs/path/main.tf"),
)
EMPTY = report()
REPORTS = pytest.mark.parametrize(
    "subject", [SAMPLE, HOSTILE_REPORT, EMPTY], ids=["sample", "hostile", "empty"]
)


def test_sample_covers_the_cases_the_tests_rely_on() -> None:
    assert any(f.address is None for f in SAMPLE.findings)
    assert any(f.location.end_line is not None for f in SAMPLE.findings)
    assert {f.severity for f in SAMPLE.findings} == {"error", "warning", "info"}


# --- SARIF ------------------------------------------------------------------


@cache
def sarif_validator() -> Validator:
    """The validator the official schema asks for (draft-04), formats checked where possible."""
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    cls = validator_for(schema)
    assert cls is Draft4Validator
    cls.check_schema(schema)
    validator: Validator = cls(schema, format_checker=FormatChecker())
    return validator


def sarif(subject: Report, rules: tuple[Rule, ...] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        render_sarif(subject, all_rules() if rules is None else rules)
    )
    return data


@REPORTS
def test_sarif_validates_against_the_official_schema(subject: Report) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(SARIF_MISSING)
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in sarif_validator().iter_errors(sarif(subject))
    ]
    assert errors == []


def test_sarif_header_and_driver() -> None:
    data = sarif(SAMPLE)
    assert data["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert data["version"] == "2.1.0"
    assert len(data["runs"]) == 1
    driver = data["runs"][0]["tool"]["driver"]
    assert driver["name"] == "aitask-lint"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"] == "https://github.com/aitask-lint/aitask-lint"


def test_sarif_lists_every_rule_given_with_its_documentation() -> None:
    rules = all_rules()
    listed = sarif(SAMPLE)["runs"][0]["tool"]["driver"]["rules"]
    assert [entry["id"] for entry in listed] == [rule.id for rule in rules]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for rule, entry in zip(rules, listed, strict=True):
        assert entry["name"] == rule.name
        assert entry["shortDescription"]["text"] == rule.summary
        assert entry["fullDescription"]["text"] == rule.why
        # no repository URL in the installed metadata: no helpUri (SARIF wants an
        # absolute URI), the help names the generated page instead
        # (tests/test_report_paths.py covers the URL scheme)
        assert "helpUri" not in entry or urlsplit(entry["helpUri"]).scheme == "https"
        assert f"docs/rules/{rule.id}.md" in entry["help"]["text"]
        assert entry["properties"]["precision"] in ("very-high", "high", "medium")
        assert entry["properties"]["tags"]
        assert entry["defaultConfiguration"]["level"] == levels[rule.severity]
        for text in (rule.summary, rule.why, rule.bad.text.strip(), rule.good.text.strip()):
            assert text in entry["help"]["markdown"]
        assert rule.summary in entry["help"]["text"]
        assert f"```{rule.bad.language}\n" in entry["help"]["markdown"]


def test_sarif_results_match_findings() -> None:
    rules = all_rules()
    results = sarif(SAMPLE)["runs"][0]["results"]
    assert len(results) == len(SAMPLE.findings)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for i, (found, result) in enumerate(zip(SAMPLE.findings, results, strict=True)):
        assert result["ruleId"] == found.rule
        assert rules[result["ruleIndex"]].id == found.rule
        assert result["level"] == levels[found.severity]
        assert result["message"]["text"] == found.message
        location = result["locations"][0]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {
            "uri": found.location.path,
            "uriBaseId": "%SRCROOT%",
        }
        region = physical["region"]
        assert (region["startLine"], region["startColumn"]) == (
            found.location.line,
            found.location.column,
        )
        assert region.get("endLine") == found.location.end_line
        assert region.get("endColumn") == found.location.end_column
        assert ("logicalLocations" in location) == (found.address is not None)
        if found.address is not None:
            assert location["logicalLocations"] == [
                {"fullyQualifiedName": found.address, "kind": "resource"}
            ]
        assert result["partialFingerprints"] == {"aitaskLint/v1": fingerprints(SAMPLE.findings)[i]}
        assert re.fullmatch(r"[0-9a-f]{64}", fingerprint(found))


def test_sarif_rule_outside_the_catalog_given_has_no_rule_index() -> None:
    result = sarif(SAMPLE, rules=())["runs"][0]["results"][0]
    assert result["ruleId"] == "AIT001"
    assert "ruleIndex" not in result


def test_sarif_paths_are_forward_slash_uris() -> None:
    results = sarif(HOSTILE_REPORT)["runs"][0]["results"]
    relative = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert relative["uriBaseId"] == "%SRCROOT%"
    assert relative["uri"].startswith("dir%20with%20space/sub,dir%3Ax/%F0%9F%A4%96%20%3C&%3E")
    assert "\\" not in relative["uri"]
    absolute = results[1]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert absolute == {"uri": "file:///abs/path/main.tf"}


def test_sarif_windows_paths() -> None:
    def uri(path: str) -> dict[str, str]:
        result = sarif(report(finding(path=path)))["runs"][0]["results"][0]
        location: dict[str, str] = result["locations"][0]["physicalLocation"]["artifactLocation"]
        return location

    assert uri("C:\\work\\main.tf") == {"uri": "file:///C:/work/main.tf"}
    # a relative directory named "C:" (issue 10 item 18) stays relative
    assert uri("C:/main.tf") == {"uri": "C%3A/main.tf", "uriBaseId": "%SRCROOT%"}
    assert uri("modules\\app.tf") == {"uri": "modules/app.tf", "uriBaseId": "%SRCROOT%"}


def test_sarif_fingerprint_ignores_position_and_wording_but_not_identity() -> None:
    base = finding()
    assert fingerprint(base) == fingerprint(finding(line=99, column=7, end=(100, 1)))
    assert fingerprint(base) == fingerprint(finding(message="reworded in a new release"))
    assert fingerprint(base) != fingerprint(finding(rule="AIT204"))
    assert fingerprint(base) != fingerprint(finding(address=None))
    assert fingerprint(base) != fingerprint(finding(path="other.tf"))
    # no ambiguity by concatenation
    assert fingerprint(finding(path="a", address="bc")) != fingerprint(
        finding(path="ab", address="c")
    )


def test_sarif_keeps_hostile_strings_exactly_but_surrogates() -> None:
    text = render_sarif(HOSTILE_REPORT, all_rules())
    assert text.isascii()
    assert text.endswith("}\n")
    assert text == render_sarif(HOSTILE_REPORT, all_rules())
    result = json.loads(text)["runs"][0]["results"][0]
    assert result["message"]["text"] == HOSTILE.replace("\ud800", "\ufffd")


# --- JUnit ------------------------------------------------------------------


def junit(subject: Report) -> ET.Element:
    return ET.fromstring(render_junit(subject, all_rules()))


@REPORTS
def test_junit_parses_with_one_failure_per_finding(subject: Report) -> None:
    root = junit(subject)
    assert root.tag == "testsuites"
    assert root.get("name") == "aitask-lint"
    failing = [f for f in subject.findings if f.severity != "info"]
    assert len(root.findall(".//failure")) == len(failing)


def test_junit_info_fails_only_at_fail_on_info() -> None:
    """Issue 11: a note is not a failed test unless --fail-on info makes it fail the job."""
    note = report(finding("AIT501", severity="info", message="a note"))
    (case,) = junit(note).findall(".//testcase")
    assert case.find("failure") is None
    assert "main.tf:12:3: info: a note" in (case.findtext("system-out") or "")
    strict = ET.fromstring(render_junit(note, all_rules(), fail_on="info"))
    (case,) = strict.findall(".//testcase")
    assert [f.get("type") for f in case.findall("failure")] == ["info"]
    assert strict.get("failures") == "1"


def test_junit_every_case_names_its_file() -> None:
    for case in junit(SAMPLE).iter("testcase"):
        assert case.get("file") == case.get("classname")
    assert {c.get("file") for c in junit(SAMPLE).iter("testcase")} == {
        "main.tf",
        "modules/app.tf",
    }


@REPORTS
def test_junit_counts_are_consistent(subject: Report) -> None:
    root = junit(subject)
    suites = root.findall("testsuite")
    assert suites
    assert root.get("errors") == "0"
    for suite in suites:
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(sum(1 for c in cases if c.find("failure") is not None))
    assert int(root.get("tests", "-1")) == sum(int(s.get("tests", "0")) for s in suites)
    assert int(root.get("failures", "-1")) == sum(int(s.get("failures", "0")) for s in suites)
    assert int(root.get("failures", "0")) <= int(root.get("tests", "0"))


def test_junit_suites_by_path_cases_by_rule() -> None:
    root = junit(SAMPLE)
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert list(suites) == ["main.tf", "modules/app.tf"]
    modules = suites["modules/app.tf"]
    cases = modules.findall("testcase")
    assert [case.get("name") for case in cases] == [
        "AIT203 task-app-no-healthcheck",
        f"AIT501 {SAMPLE.findings[-1].name}",
    ]
    assert {case.get("classname") for case in cases} == {"modules/app.tf"}
    failures = cases[0].findall("failure")
    assert [(f.get("type"), f.text) for f in failures] == [
        (
            "warning",
            "modules/app.tf:12:3: task app `coder_app.chat` has no healthcheck block",
        ),
        (
            "warning",
            "modules/app.tf:40:3: task app `coder_app.chat` has no healthcheck block",
        ),
    ]
    assert failures[0].get("message") == "task app `coder_app.chat` has no healthcheck block"
    help_text = cases[0].findtext("system-out") or ""
    assert "docs/rules/AIT203.md" in help_text


def test_junit_clean_run_has_one_passing_case() -> None:
    root = junit(EMPTY)
    (suite,) = root.findall("testsuite")
    (case,) = suite.findall("testcase")
    assert (suite.get("name"), case.get("name")) == ("aitask-lint", "no findings")
    assert case.find("failure") is None
    assert (root.get("tests"), root.get("failures")) == ("1", "0")


def test_junit_strips_only_what_xml_cannot_hold() -> None:
    root = junit(HOSTILE_REPORT)
    (suite,) = (s for s in root.findall("testsuite") if s.get("name", "").startswith("dir"))
    failure = suite.findall(".//failure")[0]
    message = failure.get("message") or ""
    for gone in ("\x1b", "\x07", "\x00", chr(0xFFFE), chr(0xFFFF), "\ud800"):
        assert gone not in message
    assert "[31mred" in message
    assert "a,b:c%d" in message
    assert "\U0001f916 \"quoted\" 'single' <tag>&amp;" in message
    assert (suite.get("name") or "").startswith("dir with space\\sub,dir:x/\U0001f916 <&>")
    assert (failure.text or "").startswith("dir with space\\sub,dir:x/\U0001f916 <&>")


def test_junit_is_deterministic_whatever_the_finding_order() -> None:
    shuffled = report(*reversed(SAMPLE.findings))
    assert render_junit(shuffled, all_rules()) == render_junit(SAMPLE, all_rules())


# --- GitHub workflow commands ----------------------------------------------


@REPORTS
def test_github_one_well_formed_line_per_finding(subject: Report) -> None:
    text = render_github(subject)
    lines = text.splitlines() if text else []
    assert text.count("\n") == len(subject.findings)
    assert len(lines) == len(subject.findings)
    for line in text.split("\n")[:-1]:
        assert GITHUB_LINE.fullmatch(line), line
        assert "\r" not in line


def test_github_commands_and_positions() -> None:
    lines = render_github(SAMPLE).splitlines()
    assert lines[0] == "::error file=main.tf,line=1,col=1,title=AIT001 parse-error::cannot parse"
    assert lines[1] == (
        "::warning file=main.tf,line=12,col=3,endLine=14,endColumn=2,"
        "title=AIT203 task-app-no-healthcheck::task app `coder_app.chat` has no healthcheck block"
    )
    assert lines[-1].startswith("::notice file=modules/app.tf,line=2,col=3,title=AIT501 ")
    assert lines[-1].endswith("::a note")


def test_github_escapes_exactly_like_the_toolkit() -> None:
    sample = report(finding(message="100% a,b:c\r\nnext", path="x%y,z:w\n.tf"))
    assert render_github(sample) == (
        "::warning file=x%25y%2Cz%3Aw%0A.tf,line=12,col=3,title=AIT203 task-app-no-healthcheck"
        "::100%25 a,b:c%0D%0Anext\n"
    )


def test_github_neutralises_other_control_characters() -> None:
    (line,) = render_github(report(finding(message=HOSTILE))).splitlines()
    message = line.split("::", 2)[2]
    assert message.startswith("\\x1b[31mred\\x07 a,b:c%25d%0D%0Anext \\x00 ")
    assert "\ufffd" in message
    assert "\ud800" not in message
    assert "\U0001f916 \"quoted\" 'single' <tag>&amp;" in message
    line.encode("utf-8")  # writable whatever the template held


# --- any string at all ------------------------------------------------------

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)


@settings(max_examples=75, deadline=None)
@given(
    message=ANY_TEXT,
    address=st.none() | ANY_TEXT,
    path=st.text(st.characters(exclude_categories=()), min_size=1, max_size=20),
)
def test_every_format_survives_any_string(message: str, address: str | None, path: str) -> None:
    subject = report(finding(message=message, address=address, path=path, end=(20, 1)))
    # the strings land in the results; the catalog of rules, the same for every example
    # (validated whole by the tests above), was nine tenths of each example's time
    rules = [rule for rule in all_rules() if rule.id == subject.findings[0].rule]
    assert rules

    data = json.loads(render_sarif(subject, rules))
    # jsonschema checks no "uri" formats without optional packages: check the grammar here
    artifact = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert URI_CHARACTERS.fullmatch(artifact["artifactLocation"]["uri"])
    if SARIF_SCHEMA.is_file():
        assert not list(sarif_validator().iter_errors(data))

    root = ET.fromstring(render_junit(subject, rules))
    assert len(root.findall(".//failure")) == 1

    text = render_github(subject)
    assert text.endswith("\n")
    assert text.count("\n") == 1
    assert "\r" not in text
    assert GITHUB_LINE.fullmatch(text[:-1])
