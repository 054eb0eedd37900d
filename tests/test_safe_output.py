"""Hostile strings from a template cannot reach the terminal, the CI log or a broken report.

A pull request controls every string aitask-lint prints: slugs, names,
module sources, file names. Terminal escapes (CSI ``ESC[``, OSC 8
hyperlinks, C1 controls), ``\\r``/``\\b``/BEL and bidirectional overrides are
shown escaped in the text, tasks, graph and github outputs; JUnit XML stays
well-formed and SARIF stays valid against the official schema whatever the
string holds.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_runner import assert_no_crash, run_cli

from conftest import SHARED, TASK_TEMPLATE

SARIF_SCHEMA = SHARED / "schemas-external" / "sarif-schema-2.1.0.json"

#: what must never be printed raw: C0 but tab and newline, DEL, C1, bidi and zero-width
#: format characters, lone surrogates
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ud800-\udfff]"
)

#: HCL escapes for the hostile characters, and what each must print as
HOSTILE = {
    "\\u001b[2J\\u001b[31m": "\\x1b[2J\\x1b[31m",  # clear screen, red
    "\\u001b]8;;https://e.example\\u0007link\\u001b]8;;\\u0007": "\\x1b]8;;https://e",  # OSC 8
    "\\u009b31m": "\\x9b31m",  # C1 CSI
    "\\rfake": "\\x0dfake",  # carriage return
    "\\u0008\\u0008": "\\x08\\x08",  # backspace
    "\\u0007": "\\x07",  # BEL
    "\\u202eevil": "\\u202eevil",  # right-to-left override
    "\\u200b": "\\u200b",  # zero-width space
}
SLUG = "".join(HOSTILE)


@pytest.fixture(autouse=True)
def _in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _template(slug: str, source: str = "git::https://example.com/x.git") -> str:
    return f'''resource "coder_agent" "main" {{
  os   = "linux"
  arch = "amd64"
}}

resource "docker_container" "w" {{
  env = [coder_agent.main.token]
}}

resource "coder_app" "web" {{
  agent_id     = coder_agent.main.id
  slug         = "{slug}"
  display_name = "{slug}"
  url          = "http://localhost:3000/{slug}"
}}

module "tools" {{
  source = "{source}"
}}

resource "coder_ai_task" "task" {{
  app_id = coder_app.web.id
}}
'''


def assert_safe(output: str) -> None:
    raw = UNSAFE.findall(output)
    assert raw == [], raw


def test_escape_sequences_in_template_strings_are_shown_escaped() -> None:
    Path("t").mkdir()
    Path("t/main.tf").write_text(_template(SLUG, source=f"git::{SLUG}"))
    outputs = {
        "check": run_cli("check", "t"),
        "github": run_cli("check", "t", "--format", "github"),
        "tasks": run_cli("tasks", "t"),
        "dot": run_cli("graph", "t"),
        "mermaid": run_cli("graph", "t", "--format", "mermaid"),
    }
    for name, result in outputs.items():
        assert_no_crash(result)
        assert_safe(result.stdout)
        assert_safe(result.stderr)
        assert result.code in (0, 1), name
    text = outputs["check"].stdout
    # AIT401 quotes the slug as Coder does (Go's %q escapes it); AIT304 quotes the source
    assert any(" AIT401 " in line and "\\x1b[2J" in line for line in text.splitlines())
    source_line = next(line for line in text.splitlines() if " AIT304 " in line)
    app_line = next(line for line in outputs["tasks"].stdout.splitlines() if "app: " in line)
    for shown in HOSTILE.values():  # visible, not silently dropped
        assert shown in source_line, shown
        assert shown in app_line, shown
    # github: one workflow command per finding, nothing the runner could read as another
    github = outputs["github"].stdout.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in github)
    assert len(github) == text.count("\n") - 1


def test_hostile_file_names_are_escaped_everywhere() -> None:
    Path("t").mkdir()
    Path("t/main.tf").write_text(_template("web"))
    evil = "t/evil\x1b[2J\u202e.tf"
    Path(evil).write_text("resource {\n")
    Path(b"t/\xff.tf".decode("utf-8", "surrogateescape")).write_text("locals {\n")
    for arguments in (
        ("check", "t"),
        ("check", "t", "--format", "github"),
        ("tasks", "t"),
        ("graph", "t"),
    ):
        result = run_cli(*arguments)
        assert_no_crash(result)
        assert result.code == 2, arguments
        assert_safe(result.stdout)
        assert_safe(result.stderr)
    unclosed = (
        "HCL syntax error: Unclosed configuration block: there is no closing brace for this "
        "block before the end of the file"
    )
    assert sorted(run_cli("tasks", "t").stderr.splitlines()) == [
        f"t/\\udcff.tf:1:8: {unclosed}",
        f"t/evil\\x1b[2J\\u202e.tf:1:10: {unclosed}",
    ]
    # JSON output is for machines: it holds the name (one that is not UTF-8 as U+FFFD)
    report = json.loads(run_cli("check", "t", "--format", "json").stdout)
    assert {"t/\ufffd.tf", evil} <= {f["location"]["path"] for f in report["findings"]}


def test_state_strings_are_escaped_too() -> None:
    state = json.loads((TASK_TEMPLATE / "state.json").read_text())
    for resource in state["values"]["root_module"]["resources"]:
        if resource["type"] == "coder_app":
            resource["values"]["slug"] = "\x1b]0;pwned\x07\u202e"
        resource["address"] += "\x1b[8m"
    Path("state.json").write_text(json.dumps(state))
    for arguments in (("check", "state.json"), ("tasks", "state.json"), ("graph", "state.json")):
        result = run_cli(*arguments)
        assert_no_crash(result)
        assert_safe(result.stdout)
    assert "\\x1b]0;pwned\\x07\\u202e" in run_cli("check", "state.json").stdout
    assert "\\x1b[8m" in run_cli("tasks", "state.json").stdout


# --- machine formats stay valid for any string ---------------------------------------


@cache
def _sarif_validator() -> Any:
    from jsonschema import Draft7Validator

    return Draft7Validator(json.loads(SARIF_SCHEMA.read_text()))


#: the ``tool`` objects (as JSON) already validated in full
_VALID_TOOLS: set[str] = set()


def _sarif_errors(document: dict[str, Any]) -> list[Any]:
    """The schema's errors in ``document``, its ``tool`` (the rules' metadata) validated once.

    ``tool`` is 98% of the document (every rule's help) and does not depend on
    the template; a tool seen before is validated no more, the rest of the
    run (the results, where a template's strings go) every time. A property's
    value is validated against its own subschema, so this gives the same
    answer as validating the whole document.
    """
    runs = document.get("runs")
    tool = runs[0].get("tool") if isinstance(runs, list) and len(runs) == 1 else None
    key = json.dumps(tool, sort_keys=True)
    if not isinstance(tool, dict) or key not in _VALID_TOOLS:
        errors = list(_sarif_validator().iter_errors(document))
        if not errors and isinstance(tool, dict):
            _VALID_TOOLS.add(key)
        return errors
    driver = {**tool["driver"], "rules": []}
    trimmed = {**document, "runs": [{**runs[0], "tool": {**tool, "driver": driver}}]}
    return list(_sarif_validator().iter_errors(trimmed))


def _hcl_string(text: str) -> str:
    """``text`` as the inside of an HCL quoted string, every awkward character escaped."""
    out = []
    for char in text:
        if char in '"\\$%' or not (" " <= char <= "~"):
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30)


@pytest.mark.slow
@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(slug=ANY_TEXT, source=ANY_TEXT)
def test_junit_parses_and_sarif_validates_whatever_the_template_says(
    tmp_path: Path, slug: str, source: str
) -> None:
    template = tmp_path / "t"
    template.mkdir(exist_ok=True)
    (template / "main.tf").write_text(
        _template(_hcl_string(slug), source="git::" + _hcl_string(source))
    )
    text = run_cli("check", str(template))
    assert_no_crash(text)
    assert_safe(text.stdout)
    assert " AIT401 " in text.stdout or re.fullmatch(r"[a-z0-9](-?[a-z0-9])*", slug)
    findings = text.stdout.count("\n") - 1
    github = run_cli("check", str(template), "--format", "github").stdout
    assert_safe(github)
    assert github.count("\n") == findings
    junit = run_cli("check", str(template), "--format", "junit").stdout
    root = ET.fromstring(junit)
    notes = len(re.findall(r"^[^\n]*?:\d+:\d+: info AIT\d{3} ", text.stdout, re.MULTILINE))
    assert len(root.findall(".//failure")) == findings - notes  # info is no failure
    sarif = json.loads(run_cli("check", str(template), "--format", "sarif").stdout)
    if SARIF_SCHEMA.is_file():
        assert _sarif_errors(sarif) == []
    assert len(sarif["runs"][0]["results"]) == findings


@settings(max_examples=60, deadline=None, derandomize=True)
@given(value=st.text(max_size=30))  # surrogates included: JSON can escape them
def test_state_values_of_any_text_give_valid_reports(value: str) -> None:
    from aitask_lint.lint.registry import all_rules
    from aitask_lint.lint.runner import lint
    from aitask_lint.reports.junit import render_junit
    from aitask_lint.reports.sarif import render_sarif
    from aitask_lint.reports.text import render_text

    state = json.loads((TASK_TEMPLATE / "state.json").read_text())
    for resource in state["values"]["root_module"]["resources"]:
        if resource["type"] == "coder_app":
            resource["values"]["slug"] = value + "_X"  # never a valid slug: AIT401 fires
    path = Path("state.json")
    path.write_text(json.dumps(state), encoding="utf-8")
    report, unusable = lint([str(path)])
    assert not unusable
    assert any(f.rule == "AIT401" for f in report.findings)
    assert_safe(render_text(report))
    ET.fromstring(render_junit(report, all_rules()))
    sarif = json.loads(render_sarif(report, all_rules()))
    if SARIF_SCHEMA.is_file():
        assert _sarif_errors(sarif) == []
