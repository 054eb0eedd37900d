"""Paths and fingerprints CI systems can rely on (issue 11 item 3, issue 10 item 18).

Every format names files relative to one base, the project root (the git
repository, or ``--project-root``), whatever the current directory and however
the paths were given; SARIF fingerprints depend only on that path, the
address and the rule. Code scanning closes and reopens alerts otherwise.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from aitask_lint.lint.findings import (
    Finding,
    FindingLocation,
    fingerprint,
    fingerprints,
    rebase_path,
    report_path_on_disk,
)
from aitask_lint.lint.registry import all_rules
from aitask_lint.reports import sarif as sarif_module
from cli_runner import run_cli
from monorepo import make_monorepo
from test_reports_formats import SARIF_MISSING, SARIF_SCHEMA, sarif_validator

from conftest import ROOT

EXPECTED_PATHS = {"templates/a/main.tf", "templates/b/main.tf"}


def _invocations(repo: Path, outside: Path) -> list[tuple[Path, list[str]]]:
    """(current directory, arguments): the same two templates, spelled every way."""
    return [
        (repo, ["-r", "."]),
        (repo, ["templates/a", "templates/b"]),
        (repo, ["templates/b", "templates/a"]),
        (repo / "templates", ["-r", "."]),
        (repo / "templates", ["b", "a"]),
        (repo / "templates" / "a", [".", "../b"]),
        (outside, ["-r", str(repo / "templates")]),
        (outside, [str(repo / "templates" / "a"), str(repo / "templates" / "b")]),
    ]


def _run(cwd: Path, args: list[str], monkeypatch: pytest.MonkeyPatch, fmt: str) -> str:
    monkeypatch.chdir(cwd)
    result = run_cli("check", *args, "--format", fmt)
    assert result.code == 1, result.stderr
    return result.stdout


def _paths(fmt: str, output: str) -> set[str]:
    if fmt == "json":
        return {f["location"]["path"] for f in json.loads(output)["findings"]}
    if fmt == "sarif":
        results = json.loads(output)["runs"][0]["results"]
        return {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    if fmt == "gitlab":
        return {issue["location"]["path"] for issue in json.loads(output)}
    if fmt == "junit":
        return {case.get("file", "") for case in ET.fromstring(output).iter("testcase")}
    if fmt == "github":
        return set(re.findall(r"file=([^,]+),", output))
    lines = [line for line in output.splitlines() if re.match(r"^[^:]+:\d+:\d+: ", line)]
    return {line.split(":", 1)[0] for line in lines}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "gitlab"])
def test_every_format_names_files_relative_to_the_repository(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_monorepo(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for cwd, args in _invocations(repo, outside):
        assert _paths(fmt, _run(cwd, args, monkeypatch, fmt)) == EXPECTED_PATHS, (cwd, args)


def test_sarif_fingerprints_are_identical_from_any_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_monorepo(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    seen: list[list[tuple[str, str]]] = []
    documents = set()
    for cwd, args in _invocations(repo, outside):
        document = _run(cwd, args, monkeypatch, "sarif")
        documents.add(document)
        results = json.loads(document)["runs"][0]["results"]
        seen.append([(r["ruleId"], r["partialFingerprints"]["aitaskLint/v1"]) for r in results])
    assert all(prints == seen[0] for prints in seen)
    assert len(documents) == 1  # byte-identical SARIF, however the job was run
    assert len({p for _rule, p in seen[0]}) == len(seen[0])  # unique within the run


def test_a_path_through_a_symlink_names_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_monorepo(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(repo, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    output = run_cli("check", str(link / "templates" / "b"), "--format", "json").stdout
    assert _paths("json", output) == {"templates/b/main.tf"}


def test_project_root_option_is_the_base_without_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_monorepo(tmp_path)
    (repo / ".git").rmdir()
    monkeypatch.chdir(repo / "templates")
    given = run_cli("check", "b", "--project-root", str(repo), "--format", "json").stdout
    assert _paths("json", given) == {"templates/b/main.tf"}
    # neither git nor --project-root: relative to the current directory, as before
    plain = run_cli("check", "b", "--format", "json").stdout
    assert _paths("json", plain) == {"b/main.tf"}


def _sarif_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> dict[str, Any]:
    repo = make_monorepo(tmp_path)
    monkeypatch.chdir(repo / "templates")
    output = run_cli("check", "-r", ".", "--format", "sarif", *extra).stdout
    document: dict[str, Any] = json.loads(output)
    return document


def test_sarif_declares_its_base_and_automation_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _sarif_run(tmp_path, monkeypatch)["runs"][0]
    repo = (tmp_path / "repo").resolve()
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo.as_uri() + "/"}}
    assert run["automationDetails"] == {"id": "aitask-lint/"}
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%"
    matrix = _sarif_run(tmp_path / "m", monkeypatch, "--sarif-automation-id", "templates/a/")
    assert matrix["runs"][0]["automationDetails"] == {"id": "templates/a/"}


def test_real_sarif_validates_against_the_official_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(SARIF_MISSING)
    document = _sarif_run(tmp_path, monkeypatch, "--sarif-automation-id", "matrix/a/")
    assert list(sarif_validator().iter_errors(document)) == []


def test_sarif_rules_carry_tags_precision_and_versioned_help(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rules = all_rules()
    report = _one_finding_report()
    monkeypatch.setattr(sarif_module, "_repository_url", lambda: "https://example.org/ait")
    listed = json.loads(sarif_module.render_sarif(report, rules))["runs"][0]["tool"]["driver"]
    for rule, entry in zip(rules, listed["rules"], strict=True):
        url = f"https://example.org/ait/blob/v{report.tool.version}/docs/rules/{rule.id}.md"
        assert entry["helpUri"] == url
        assert url in entry["help"]["text"]
        assert entry["properties"]["precision"] in ("very-high", "high", "medium")
        assert entry["properties"]["tags"][0] in (
            "input",
            "ai-task",
            "task-app",
            "module",
            "coder-resource",
            "version",
            "scenario",
        )
        # the generated page the link and the fallback name exists for this version
        assert (ROOT / sarif_module.docs_path(rule.id)).is_file()


def test_a_directory_named_like_a_drive_stays_a_relative_uri(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10 item 18: ``C:/main.tf`` became ``file:///C:/main.tf``."""
    repo = make_monorepo(tmp_path)
    drive = repo / "C:"
    drive.mkdir()
    (drive / "main.tf").write_text('resource "coder_app" "x" {\n  slug = "Bad_Slug"\n}\n')
    monkeypatch.chdir(repo)
    document = json.loads(run_cli("check", "C:", "--format", "sarif").stdout)
    locations = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]
        for r in document["runs"][0]["results"]
    ]
    assert locations
    for location in locations:
        assert location == {"uri": "C%3A/main.tf", "uriBaseId": "%SRCROOT%"}


def _one_finding_report() -> Any:
    from test_reports_formats import finding, report

    return report(finding())


def test_fingerprints_ignore_wording_and_stay_unique() -> None:
    def at(line: int, message: str) -> Finding:
        return Finding(
            rule="AIT203",
            name="task-app-no-healthcheck",
            severity="warning",
            message=message,
            address="coder_app.chat",
            location=FindingLocation(path="templates/a/main.tf", line=line, column=1),
        )

    first, second = at(3, "old wording"), at(9, "another problem of the same app")
    assert fingerprint(first) == fingerprint(at(40, "new wording"))
    prints = fingerprints([first, second])
    assert prints[0] == fingerprint(first)
    assert prints[0] != prints[1]
    assert fingerprints([at(5, "moved"), second]) == prints


def test_report_paths_lead_back_to_the_file(tmp_path: Path) -> None:
    repo = make_monorepo(tmp_path).resolve()
    file = repo / "templates" / "b" / "main.tf"
    shown = rebase_path(str(file), str(repo))
    assert shown == "templates/b/main.tf"
    assert Path(report_path_on_disk(shown, str(repo))).read_text() == file.read_text()
    assert rebase_path("<stdin>", str(repo)) == "<stdin>"
    assert rebase_path(str(tmp_path / "x.tf"), str(repo)) == str(tmp_path / "x.tf")
