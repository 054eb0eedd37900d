"""``check --fix``, ``--unsafe-fixes``, ``--diff``: what the fixes write, and what they never do.

Every fix has a before/after fixture under ``fixtures/fixes/<rule>/<case>/``
(``case.json`` says whether it needs ``--unsafe-fixes``): applying the fixes
to ``before`` must give ``after`` byte for byte, remove the finding, change
nothing a second time, keep a ``terraform fmt``-clean template clean, and the
``--diff`` must apply with ``patch -p0`` to give exactly the same files.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import aitask_lint
from aitask_lint.autofix.engine import FixPolicy, run
from aitask_lint.lint.findings import Finding, FindingLocation, Fix, Report, Summary, TextEdit, Tool
from cli_runner import run_cli
from test_reports_formats import SARIF_MISSING, SARIF_SCHEMA, sarif_validator
from test_side_effects import Audited

from conftest import FIXTURES

FIXES = FIXTURES / "fixes"
CASES = sorted(path.parent for path in FIXES.glob("*/*/case.json"))
TERRAFORM = shutil.which("terraform")


def _case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def _settings(case: Path) -> dict[str, Any]:
    settings: dict[str, Any] = json.loads((case / "case.json").read_text())
    return settings


def _files(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def _copy(case: Path, tmp_path: Path) -> Path:
    target = tmp_path / "t"
    shutil.copytree(case / "before", target)
    return target


def _fix_args(case: Path, target: Path) -> list[str]:
    unsafe = ["--unsafe-fixes"] if _settings(case)["unsafe"] else []
    return ["check", str(target), "--fix", *unsafe, "--project-root", str(target)]


def _findings(target: Path, *extra: str) -> list[dict[str, Any]]:
    outcome = run_cli(
        "check", str(target), "--format", "json", "--project-root", str(target), *extra
    )
    findings: list[dict[str, Any]] = json.loads(outcome.stdout)["findings"]
    return findings


def test_every_fixable_rule_has_a_case() -> None:
    fixable = {rule.id for rule in aitask_lint.list_rules() if rule.fix is not None}
    assert fixable <= {case.parent.name for case in CASES}
    assert len(CASES) >= len(fixable)


@pytest.mark.parametrize(
    "rule",
    [rule for rule in aitask_lint.list_rules() if rule.fix is not None],
    ids=lambda rule: str(rule.id),
)
def test_the_fix_repairs_the_rules_failing_example(rule: aitask_lint.Rule, tmp_path: Path) -> None:
    (tmp_path / rule.bad.file_name).write_text(rule.bad.file_text)
    for relative, text in rule.bad.files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    root = ("--project-root", str(tmp_path), *rule.bad.args)
    before = [f for f in _findings(tmp_path, *rule.bad.args) if f["rule"] == rule.id]
    run_cli("check", str(tmp_path), "--fix", "--unsafe-fixes", *root)
    after = [f for f in _findings(tmp_path, *rule.bad.args) if f["rule"] == rule.id]
    assert [f for f in after if f["fix"]] == []
    # what remains had no fix to begin with (AIT412's example reads an attribute)
    assert len(after) == sum(1 for f in before if not f["fix"])


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_fix_gives_the_after_fixture_and_is_idempotent(case: Path, tmp_path: Path) -> None:
    rule = case.parent.name
    target = _copy(case, tmp_path)
    assert any(f["rule"] == rule and f["fix"] for f in _findings(target))
    outcome = run_cli(*_fix_args(case, target))
    assert "Fixed " in outcome.stdout, outcome
    assert _files(target) == _files(case / "after")
    left = [f for f in _findings(target) if f["rule"] == rule]
    assert [f for f in left if f["fix"]] == []
    assert len(left) == len(_settings(case).get("unfixable", []))
    assert not any(f["rule"] == "AIT001" for f in _findings(target))
    again = run_cli(*_fix_args(case, target))
    assert "Fixed 0 findings" in again.stdout, again
    assert _files(target) == _files(case / "after")


@pytest.mark.parametrize(
    "case", [case for case in CASES if _settings(case)["unsafe"]], ids=_case_id
)
def test_an_unsafe_fix_needs_unsafe_fixes(case: Path, tmp_path: Path) -> None:
    target = _copy(case, tmp_path)
    outcome = run_cli("check", str(target), "--fix", "--project-root", str(target))
    assert _files(target) == _files(case / "before")
    assert "more fixable with --unsafe-fixes" in outcome.stdout
    listed = run_cli("check", str(target), "--project-root", str(target), "--format", "full")
    assert "can be enabled with the --unsafe-fixes option" in listed.stdout
    assert f"{case.parent.name} [*]" not in listed.stdout


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_diff_applies_with_patch_to_what_fix_writes(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _copy(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    unsafe = ["--unsafe-fixes"] if _settings(case)["unsafe"] else []
    outcome = run_cli("check", "t", "--diff", *unsafe, "--project-root", "t")
    assert outcome.code == 1
    assert _files(target) == _files(case / "before"), "--diff wrote something"
    assert outcome.stdout.startswith("--- t/")
    subprocess.run(
        ["patch", "-p0", "--quiet", "--binary"],
        input=outcome.stdout.encode(),
        cwd=tmp_path,
        check=True,
    )
    assert _files(target) == _files(case / "after")
    clean = run_cli("check", "t", "--diff", *unsafe, "--project-root", "t")
    assert (clean.code, clean.stdout) == (0, "")
    # and with git apply, on a fresh copy
    shutil.rmtree(target)
    _copy(case, tmp_path)
    subprocess.run(
        ["git", "apply", "-p0", "--unsafe-paths", "-"],
        input=outcome.stdout.encode(),
        cwd=tmp_path,
        check=True,
    )
    assert _files(target) == _files(case / "after")


def test_a_diff_of_files_outside_the_current_directory_applies_at_the_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # patch and git apply refuse ``../tpl/main.tf`` and absolute names: the diff names
    # the files from the project root instead, and says so
    template = tmp_path / "work" / "tpl"
    shutil.copytree(FIXTURES / "examples" / "broken-template", template)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    outcome = run_cli("check", "../work/tpl", "--diff", "--unsafe-fixes")
    assert outcome.code == 1
    assert outcome.stdout.startswith("--- main.tf\n+++ main.tf\n"), outcome.stdout[:80]
    assert f"The diff names files from {template.resolve()}: apply it there" in outcome.stderr
    shutil.copytree(template, tmp_path / "fixed")
    run_cli("check", str(tmp_path / "fixed"), "--fix", "--unsafe-fixes")
    subprocess.run(
        ["patch", "-p0", "--quiet"], input=outcome.stdout.encode(), cwd=template, check=True
    )
    assert _files(template) == _files(tmp_path / "fixed")


def _fmt_clean_alone(directory: Path) -> bool:
    assert TERRAFORM is not None
    check = subprocess.run(
        [TERRAFORM, "fmt", "-check", "-recursive"], cwd=directory, capture_output=True, check=False
    )
    return check.returncode == 0


@functools.cache
def _fmt_unclean_fixtures() -> frozenset[str] | None:
    """The files under ``fixtures/fixes`` that ``terraform fmt`` would change, in one run.

    ``-check`` lists every file it would change and exits 3 (0: none). A file
    it cannot parse stops the listing (exit 2), so None then: ask per directory.
    """
    assert TERRAFORM is not None
    check = subprocess.run(
        [TERRAFORM, "fmt", "-check", "-recursive", "-no-color", "."],
        cwd=FIXES,
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode not in (0, 3):
        return None
    return frozenset(line for line in check.stdout.splitlines() if line)


def _fmt_clean(directory: Path) -> bool:
    unclean = _fmt_unclean_fixtures()
    if unclean is None:
        return _fmt_clean_alone(directory)
    prefix = directory.relative_to(FIXES).as_posix() + "/"
    return not any(name.startswith(prefix) for name in unclean)


@pytest.mark.oracle
@pytest.mark.skipif(TERRAFORM is None, reason="terraform is not on PATH")
def test_one_fmt_run_gives_what_one_run_per_directory_gives() -> None:
    """The batch below agrees with a run per directory (on a clean and an unclean case)."""
    crlf = FIXES / "AIT105" / "crlf-bom-tabs"
    for directory in (crlf / "before", crlf / "after", CASES[0] / "before", CASES[0] / "after"):
        assert _fmt_clean(directory) == _fmt_clean_alone(directory), directory


@pytest.mark.oracle
@pytest.mark.skipif(TERRAFORM is None, reason="terraform is not on PATH")
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_fmt_clean_input_stays_fmt_clean(case: Path) -> None:
    if not _fmt_clean(case / "before"):
        assert "crlf" in case.name, f"{case}: keep the before fixtures terraform fmt-clean"
        return
    assert _fmt_clean(case / "after")


def test_crlf_bom_and_tabs_are_kept() -> None:
    case = FIXES / "AIT105" / "crlf-bom-tabs"
    before = (case / "before" / "main.tf").read_bytes()
    after = (case / "after" / "main.tf").read_bytes()
    assert before != after
    for data in (before, after):
        assert data.startswith(b"\xef\xbb\xbf")
        assert data.count(b"\n") == data.count(b"\r\n")
        assert b"\n\t" in data and b"\n  " not in data
    assert b"# one per start" in after and b"# the chat app is the task's app" in after
    # byte-exact outside the task block
    head = before.index(b'resource "coder_ai_task"')
    assert after[:head] == before[:head]


def test_every_rule_fixture_and_the_broken_example_keep_only_unfixable_findings(
    tmp_path: Path,
) -> None:
    sources = [FIXTURES / "examples" / "broken-template"]
    for expected in sorted((FIXTURES / "rules").glob("*/expected.json")):
        if expected.parent.name == "AIT001":
            continue
        for name, spec in json.loads(expected.read_text()).items():
            if "input" not in spec:
                sources.append(expected.parent / name)
    problems = []
    for index, source in enumerate(sources):
        target = tmp_path / str(index)
        shutil.copytree(source, target)
        result = aitask_lint.fix([target], unsafe=True, dry_run=False, project_root=target)
        assert result.remaining is not None
        left = [
            f.rule for f in result.remaining.findings if f.fix is not None or f.rule == "AIT001"
        ]
        if left or result.failed:
            problems.append((str(source), left, result.failed))
    assert problems == []


def test_the_broken_example_is_fixed_as_the_readme_says(tmp_path: Path) -> None:
    target = tmp_path / "broken"
    shutil.copytree(FIXTURES / "examples" / "broken-template", target)
    safe = run_cli("check", str(target), "--fix", "--show-fixes", "--project-root", str(target))
    assert "AIT303 [safe] pin the module" in safe.stdout
    assert 'version  = "~> 4.0"' in (target / "main.tf").read_text()
    assert "more fixable with --unsafe-fixes" in safe.stdout
    unsafe = run_cli("check", str(target), "--fix", "--unsafe-fixes", "--project-root", str(target))
    assert "Fixed " in unsafe.stdout
    left = _findings(target)
    assert [f for f in left if f["fix"]] == []
    assert not {f["rule"] for f in left} & {"AIT109", "AIT301", "AIT303", "AIT401", "AIT501"}


def test_library_fix_is_a_dry_run_by_default(tmp_path: Path) -> None:
    case = FIXES / "AIT104" / "same-app"
    target = _copy(case, tmp_path)
    result = aitask_lint.fix([target], project_root=target)
    assert result.written is False
    assert _files(target) == _files(case / "before")
    assert [(f.rule, f.applicability) for f in result.applied] == [("AIT104", "safe")]
    assert "-  sidebar_app {" in result.diff
    assert result.edits
    assert all(edit.path == str(target / "main.tf") for edit in result.edits)
    assert result.remaining is not None
    assert "AIT104" not in {f.rule for f in result.remaining.findings}
    written = aitask_lint.fix([target], project_root=target, dry_run=False)
    assert written.written is True
    assert _files(target) == _files(case / "after")


def test_writes_keep_the_mode_and_leave_no_temporary_file(tmp_path: Path) -> None:
    case = FIXES / "AIT303" / "loose-version"
    target = _copy(case, tmp_path)
    (target / "main.tf").chmod(0o640)
    run_cli("check", str(target), "--fix", "--project-root", str(target))
    assert (target / "main.tf").stat().st_mode & 0o777 == 0o640
    assert sorted(path.name for path in target.iterdir()) == ["main.tf"]
    assert _files(target) == _files(case / "after")


def test_configuration_keys(tmp_path: Path) -> None:
    case = FIXES / "AIT105" / "raise-provider"
    target = _copy(case, tmp_path)
    config = target / ".aitask-lint.toml"
    config.write_text('fix = true\nunsafe-fixes = true\nunfixable = ["AIT105"]\n')
    run_cli("check", str(target), "--project-root", str(target))
    assert _files(target)["main.tf"] == _files(case / "before")["main.tf"]
    config.write_text('fix = true\nunsafe-fixes = true\nfixable = ["deprecated-sidebar-app"]\n')
    run_cli("check", str(target), "--project-root", str(target))
    assert _files(target)["main.tf"] == _files(case / "after")["main.tf"]
    config.write_text('fixable = ["AIT999"]\n')
    refused = run_cli("check", str(target), "--project-root", str(target))
    assert refused.code == 2
    assert "fixable" in refused.stderr


def test_reports_carry_fixes(tmp_path: Path) -> None:
    target = _copy(FIXES / "AIT105" / "raise-provider", tmp_path)
    findings = _findings(target)
    fixed = next(f for f in findings if f["rule"] == "AIT105")
    assert fixed["fix"]["applicability"] == "unsafe"
    edits = fixed["fix"]["edits"]
    data = (target / "main.tf").read_bytes()
    for edit in sorted(edits, key=lambda e: e["start"], reverse=True):  # the JSON's byte ranges
        data = data[: edit["start"]] + edit["content"].encode() + data[edit["end"] :]
    assert data == (FIXES / "AIT105" / "raise-provider" / "after" / "main.tf").read_bytes()
    text = run_cli(
        "check", str(target), "--project-root", str(target), "--unsafe-fixes", "--format", "full"
    )
    assert "AIT105 [*] " in text.stdout
    assert "[*] 1 fixable with the --fix option." in text.stdout


def test_sarif_with_fixes_validates(tmp_path: Path) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(SARIF_MISSING)
    target = tmp_path / "broken"
    shutil.copytree(FIXTURES / "examples" / "broken-template", target)
    outcome = run_cli("check", str(target), "--format", "sarif", "--project-root", str(target))
    document = json.loads(outcome.stdout)
    results = document["runs"][0]["results"]
    fixes = [fix for result in results for fix in result.get("fixes", [])]
    assert fixes
    change = fixes[0]["artifactChanges"][0]
    assert change["artifactLocation"] == {"uri": "main.tf", "uriBaseId": "%SRCROOT%"}
    replacement = change["replacements"][0]
    region = replacement["deletedRegion"]
    data = (target / "main.tf").read_bytes()
    patched = (
        data[: region["byteOffset"]]
        + replacement["insertedContent"]["text"].encode()
        + data[region["byteOffset"] + region["byteLength"] :]
    )
    assert patched != data
    errors = [error.message for error in sarif_validator().iter_errors(document)]
    assert errors == []


def _finding(path: str, fix: Fix) -> Finding:
    return Finding(
        rule="AIT108",
        name="ai-task-unknown-argument",
        severity="error",
        message="m",
        address=None,
        location=FindingLocation(path=path, line=1, column=1),
        fix=fix,
    )


def test_a_fix_that_breaks_parsing_is_not_written(tmp_path: Path) -> None:
    path = str(tmp_path / "main.tf")
    (tmp_path / "main.tf").write_text("locals {\n  a = 1\n}\n")
    breaking = Fix("safe", "break it", [TextEdit(path, 0, 8, "locals (", 1, 1, 1, 9)])
    report = Report(Tool("0"), [_finding(path, breaking)], Summary(1, 1, 0, 0))
    result = run(lambda: report, FixPolicy(), [str(tmp_path)], write=True)
    assert result.applied == []
    assert [(f.file, f.reason.split(" (")[0]) for f in result.failed] == [
        (path, "would not parse once fixed")
    ]
    assert (tmp_path / "main.tf").read_text() == "locals {\n  a = 1\n}\n"


def test_overlapping_fixes_wait_for_the_next_pass(tmp_path: Path) -> None:
    path = str(tmp_path / "main.tf")
    (tmp_path / "main.tf").write_text("locals {\n  a = 1\n}\n")
    first = Fix("safe", "one", [TextEdit(path, 15, 16, "2", 2, 7, 2, 8)])
    second = Fix("safe", "two", [TextEdit(path, 15, 16, "3", 2, 7, 2, 8)])
    passes = []

    def lint_pass() -> Report:
        passes.append(1)
        findings = [_finding(path, first), _finding(path, second)] if len(passes) == 1 else []
        return Report(Tool("0"), findings, Summary(1, 0, 0, 0))

    result = run(lint_pass, FixPolicy(), [str(tmp_path)], write=True)
    assert [fix.message for fix in result.applied] == ["one"]
    assert (tmp_path / "main.tf").read_text() == "locals {\n  a = 2\n}\n"
    assert len(passes) == 2


def test_files_outside_the_root_and_module_copies_are_never_written(tmp_path: Path) -> None:
    (tmp_path / "audit").mkdir()
    audited = Audited(tmp_path / "audit")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shared.tf").write_text(
        'resource "coder_app" "other" {\n  agent_id = coder_agent.dev.id\n'
        '  slug     = "Other_App"\n  url      = "http://localhost:8080/"\n}\n'
    )
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "templates" / "modern-manifest", project)
    os.symlink(outside / "shared.tf", project / "shared.tf")
    module = project / ".terraform" / "modules" / "claude-code" / "main.tf"
    module.write_text(
        module.read_text()
        + '\nresource "coder_agent" "module_agent" {\n  arch = "amd64"\n  os   = "linux"\n}\n'
    )
    before = {**_files(outside), str(module): module.read_bytes()}
    outcome = audited.run(
        "check",
        str(project),
        "--fix",
        "--unsafe-fixes",
        "--project-root",
        str(project),
        watch=[outside, project / ".terraform"],
    )
    events = audited.take()
    assert events and events[0][0] == "loaded"
    assert [event for event in events if event[0] == "write"] == []
    assert {**_files(outside), str(module): module.read_bytes()} == before
    # named as the report names files: from the project root
    copy = ".terraform/modules/claude-code/main.tf"
    assert f"fix failed: {copy}: a downloaded module copy (.terraform)" in outcome.stderr
    assert str(project) not in outcome.stderr
    # the hook sees reads of the module copy, so a write would have been seen
    assert ("read", str(module.resolve())) in events
    # the symlink out of the project is not even read (AIT001 says so)
    assert not any(detail == str((outside / "shared.tf").resolve()) for _e, detail in events)


def test_an_edit_outside_the_project_root_is_refused(tmp_path: Path) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    (outside / "main.tf").write_text("locals {\n  a = 1\n}\n")
    path = str(outside / "main.tf")
    edit = Fix("safe", "one", [TextEdit(path, 15, 16, "2", 2, 7, 2, 8)])
    report = Report(Tool("0"), [_finding(path, edit)], Summary(1, 0, 0, 0))
    result = run(lambda: report, FixPolicy(), [str(project)], write=True)
    assert result.applied == []
    assert [(f.file, f.reason) for f in result.failed] == [(path, "outside the project root")]
    assert (outside / "main.tf").read_text() == "locals {\n  a = 1\n}\n"


def test_fixed_lines_and_failures_name_files_as_the_report_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXES / "AIT607" / "comparisons" / "before", repo / "t")
    monkeypatch.chdir(tmp_path)
    outcome = run_cli(
        "check", "repo/t", "--fix", "--show-fixes", "--project-root", "repo", "--format", "full"
    )
    fixed = [line for line in outcome.stdout.splitlines() if "AIT607 [safe]" in line]
    assert len(fixed) == 8
    assert all(line.startswith("  t/main.tf:") for line in fixed), fixed
    assert "Fixed 8 findings, " in outcome.stdout


def _scenario_template(tmp_path: Path) -> Path:
    target = tmp_path / "t"
    target.mkdir()
    shutil.copy(FIXES / "scenarios" / "main.tf", target / "main.tf")
    return target


def test_a_finding_of_some_scenarios_is_fixed_only_where_the_text_is_the_fault(
    tmp_path: Path,
) -> None:
    # "Web_App" is the preset's value for a parameter: no edit of main.tf repairs it in
    # only that scenario, so it has no fix; "Other_App" is a literal, fixed in place
    target = _scenario_template(tmp_path)
    before = [f for f in _findings(target) if f["rule"] == "AIT401"]
    assert [(f.get("scenarios"), bool(f["fix"])) for f in before] == [
        (["preset:web", "task"], False),
        (None, True),
    ]
    outcome = run_cli(
        "check", str(target), "--fix", "--unsafe-fixes", "--project-root", str(target)
    )
    assert "Fixed 1 finding, " in outcome.stdout
    assert 'slug     = "other-app"' in (target / "main.tf").read_text()
    after = [f for f in _findings(target) if f["rule"] == "AIT401"]
    assert [(f.get("scenarios"), f["fix"]) for f in after] == [(["preset:web", "task"], None)]


def test_library_fix_takes_checks_scenario_and_parameter_keywords(tmp_path: Path) -> None:
    target = _scenario_template(tmp_path)
    only_import = aitask_lint.fix([target], unsafe=True, project_root=target, scenario="import")
    assert only_import.remaining is not None
    assert not [f for f in only_import.remaining.findings if f.rule == "AIT401"]
    assert [f.rule for f in only_import.applied] == ["AIT401"]
    typed = aitask_lint.fix(
        [target], unsafe=True, project_root=target, parameters={"slug": "Bad_Slug"}
    )
    assert typed.remaining is not None
    messages = [f.message for f in typed.remaining.findings if f.rule == "AIT401"]
    assert any('"Bad_Slug"' in message for message in messages)
    quiet = aitask_lint.fix([target], unsafe=True, project_root=target, severity={"AIT401": "info"})
    assert quiet.remaining is not None
    assert {f.severity for f in quiet.remaining.findings if f.rule == "AIT401"} == {"info"}


def test_the_terminal_shows_fixability_and_the_fix_summary(tmp_path: Path) -> None:
    target = tmp_path / "broken"
    shutil.copytree(FIXTURES / "examples" / "broken-template", target)
    args = ("check", str(target), "--project-root", str(target), "--format", "full")
    listed = run_cli(*args).stdout
    assert "AIT303 [*] " in listed  # safe: fixable with --fix alone
    assert "AIT401 [*] " not in listed  # unsafe: not marked without --unsafe-fixes
    assert "[*] 1 fixable with the --fix option" in listed
    assert "can be enabled with the --unsafe-fixes option" in listed
    diff = run_cli("check", str(target), "--project-root", str(target), "--diff")
    assert diff.stderr.endswith("(1 more fixable with --unsafe-fixes).\n"), diff.stderr
    fixed = run_cli(*args, "--fix", "--unsafe-fixes", "--show-fixes").stdout
    head, _, summary = fixed.rpartition("Fixed ")
    assert summary.startswith(tuple(f"{n} findings, " for n in range(2, 20))), fixed
    assert "more fixable with --unsafe-fixes" not in summary
    listed_fixes = head.split("Fixed ")[-1].splitlines()[1:]
    assert all(line.startswith("  main.tf:") for line in listed_fixes)
    lines = [int(line.split(":")[1]) for line in listed_fixes]
    assert lines == sorted(lines) and len(lines) >= 3  # in file order, not pass order
    assert "[*]" not in head.split("Fixed ")[0]  # what remains has no fix


def test_sarif_with_a_fix_and_scenarios_on_one_finding_validates(tmp_path: Path) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(SARIF_MISSING)
    from dataclasses import replace

    from aitask_lint.reports.sarif import render_sarif

    target = _scenario_template(tmp_path)
    report = aitask_lint.check([target], project_root=target)
    findings = [
        replace(f, scenarios=["preset:web", "task"]) if f.fix is not None else f
        for f in report.findings
    ]
    assert any(f.fix is not None and f.scenarios for f in findings)
    document = json.loads(
        render_sarif(replace(report, findings=findings), aitask_lint.list_rules(), base=str(target))
    )
    both = [r for r in document["runs"][0]["results"] if "fixes" in r and "properties" in r]
    assert both and both[0]["properties"]["scenarios"] == ["preset:web", "task"]
    assert [error.message for error in sarif_validator().iter_errors(document)] == []
