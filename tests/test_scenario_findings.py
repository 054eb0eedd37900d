"""Findings per scenario: named in the message, carried in JSON and SARIF, once when everywhere.

The chat app behind a boolean parameter (issue 14's acceptance): every task
created with the default preset has no chat app, and the finding must say
under which scenarios, in every report a user or a CI reads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aitask_lint.cli import cli
from cli_runner import run_cli

RULES = Path(__file__).parent.parent / "fixtures" / "rules"
PRESETS = RULES / "AIT606" / "fires-presets"
FIXED = RULES / "AIT606" / "near-miss-presets"
NO_PRESETS = RULES / "AIT606" / "fires"
#: FIXED with ``app_id = coder_app.chat[count.index].id``: zero apps at import, an index
IMPORT_FAILS = RULES / "AIT606" / "fires-import-index"


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, ["check", *args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _ait606(path: Path) -> list[dict[str, object]]:
    findings = json.loads(_run(str(path), "--format", "json"))["findings"]
    return [f for f in findings if f["rule"] == "AIT606"]


def test_a_finding_in_some_scenarios_names_them_in_text_and_json() -> None:
    (finding,) = _ait606(PRESETS)
    assert finding["scenarios"] == ["import", "preset:Claude", "task"]
    message = str(finding["message"])
    assert 'parameter "chat" = "false"' in message  # the condition that removes the app
    assert 'at template import, under preset "Claude" and when a task is created' in message
    text = _run(str(PRESETS), "--output-format", "concise")
    assert "when a task is created" in text


def test_sarif_carries_the_scenarios() -> None:
    sarif = json.loads(_run(str(PRESETS), "--format", "sarif"))
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "AIT606"]
    assert [r["properties"]["scenarios"] for r in results] == [["import", "preset:Claude", "task"]]


def test_a_finding_in_every_scenario_is_reported_once_without_names() -> None:
    (finding,) = _ait606(NO_PRESETS)  # no presets: import and task both break
    assert "scenarios" not in finding
    assert "when a task is created" not in str(finding["message"])


def test_turning_the_app_on_in_the_default_preset_clears_it() -> None:
    assert _ait606(FIXED) == []


def test_an_index_into_a_counted_out_app_fails_the_import_whatever_tasks_get() -> None:
    """``coder_app.chat[count.index]`` of zero apps is Terraform's "Invalid index": the
    import plan fails, so it is reported at import even though created tasks are fine."""
    (finding,) = _ait606(IMPORT_FAILS)
    assert finding["scenarios"] == ["import"]
    message = str(finding["message"])
    assert (
        'Terraform fails the plan: "Invalid index: The given key does not identify an element '
        'in this collection value: the collection has no elements."'
    ) in message
    assert "Chat app not found" not in message  # the build fails before any task page


def test_restricting_scenarios_changes_what_is_reported() -> None:
    findings = json.loads(_run(str(PRESETS), "--format", "json", "--preset", "Claude with chat"))[
        "findings"
    ]
    # under the chat preset the app exists; the defaults alone are not reported (no task
    # scenario is evaluated with --preset, so import is judged on its own and breaks)
    assert [f.get("scenarios") for f in findings if f["rule"] == "AIT606"] == [["import"]]


def _tasks(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["tasks", *args])
    return result.exit_code, result.stdout


def test_tasks_shows_the_chain_under_the_task_scenario_with_notes() -> None:
    code, text = _tasks(str(PRESETS))
    assert code == 1  # a created task gets the default preset, which leaves chat off
    # which preset a created task gets decides the chain: the header says it
    assert text.startswith(
        'scenario: task (preset "Claude", the one the web UI sends with a task)\n'
    )
    assert "problem (app): app_id leads only to apps that have no instance" in text
    document = json.loads(_tasks(str(FIXED), "--format", "json")[1])
    assert (document["scenario"], document["preset"]) == ("task", "Claude")
    assert document["ai_tasks"][0]["problems"] == []
    # the defaults alone still count the app out: a note, not a broken chain
    assert [(n["scenario"], n["task"]) for n in document["notes"]] == [
        ("import", "coder_ai_task.task")
    ]


def test_tasks_preset_shows_that_scenario_only() -> None:
    code, text = _tasks(str(PRESETS), "--preset", "Claude with chat")
    assert code == 0 and text.startswith("scenario: preset:Claude with chat\n")
    assert "note:" not in text
    code, _text = _tasks(str(PRESETS), "--preset", "Claude")
    assert code == 1
    result = CliRunner().invoke(cli, ["tasks", str(PRESETS), "--preset", "nope"])
    assert result.exit_code == 2
    assert 'no preset "nope" ("Claude", "Claude with chat")' in result.output


def test_check_refuses_a_preset_no_checked_template_has() -> None:
    """It used to check the import scenario only, exit 0 and say nothing of the typo."""
    result = run_cli("check", str(PRESETS), "--preset", "Claude with chta")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == (
        '--preset: no checked template has a preset "Claude with chta" '
        '(presets: "Claude", "Claude with chat")\n'
    )
    # a template without presets has none to offer
    bare = run_cli("check", str(NO_PRESETS), "--preset", "Claude")
    assert (bare.code, bare.stderr.splitlines()) == (
        2,
        ['--preset: no checked template has a preset "Claude" (presets: none)'],
    )


def test_check_takes_a_preset_that_one_of_several_templates_has() -> None:
    result = run_cli("check", str(PRESETS), str(NO_PRESETS), "--preset", "Claude")
    assert (result.code, result.stderr) == (1, "")
    assert result.stdout.count(" error AIT606 ") == 2  # both templates judged


def test_a_preset_whose_name_is_not_known_at_import_may_be_the_one_asked_for(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "which" {\n  type = string\n}\n\n'
        'data "coder_workspace_preset" "p" {\n  name = var.which\n}\n',
        encoding="utf-8",
    )
    (tmp_path / "parameter.tf").write_text(
        'data "coder_parameter" "q" {\n  name = "${var.which}-q"\n}\n', encoding="utf-8"
    )
    result = run_cli("check", str(tmp_path), "--preset", "Anything", "--parameter", "any-q=1")
    assert result.code in (0, 1), result.stderr
    assert "--preset" not in result.stderr
    assert "--parameter" not in result.stderr


@pytest.mark.parametrize(
    ("given", "refusal"),
    [
        # the provider's words for a value a build would be refused with
        (
            "model=gpt",
            'Value must be a valid option; the value "gpt" must be defined as one of options',
        ),
        ("chat=maybe", 'Parameter value is not of type "bool"; "maybe" is not a bool'),
        ("modle=opus", 'no checked template has a parameter "modle"'),
    ],
)
def test_check_refuses_a_parameter_value_no_checked_template_takes(
    given: str, refusal: str
) -> None:
    """A misspelt name or a value outside the options used to be judged as if never given."""
    result = run_cli("check", str(PRESETS), "--parameter", given)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"--parameter {given}: {refusal}\n"


def test_tasks_refuses_a_parameter_its_template_does_not_take() -> None:
    for given, refusal in [
        (
            "model=gpt",
            'Value must be a valid option; the value "gpt" must be defined as one of options',
        ),
        ("modle=opus", 'the template has no parameter "modle"'),
    ]:
        result = run_cli("tasks", str(PRESETS), "--parameter", given)
        assert (result.code, result.stdout) == (2, "")
        assert result.stderr == f"aitask-lint: --parameter {given}: {refusal}\n"
    assert run_cli("tasks", str(PRESETS), "--parameter", "model=opus").code in (0, 1)


def test_a_parameter_value_one_of_several_templates_takes_is_used() -> None:
    result = run_cli("check", str(PRESETS), str(NO_PRESETS), "--parameter", "chat=true")
    assert result.stderr == ""
    assert " error AIT606 " not in result.stdout


def test_a_parameter_given_by_the_user_applies_to_every_scenario() -> None:
    findings = json.loads(_run(str(PRESETS), "--format", "json", "--parameter", "chat=true"))
    assert [f for f in findings["findings"] if f["rule"] == "AIT606"] == []


def test_scenario_import_alone_judges_the_defaults() -> None:
    findings = json.loads(_run(str(FIXED), "--format", "json", "--scenario", "import"))
    # no task scenario to say what a created task gets: the defaults are judged on their own,
    # and a finding in the only scenario evaluated holds in all of them (no names)
    (finding,) = [f for f in findings["findings"] if f["rule"] == "AIT606"]
    assert "scenarios" not in finding


def test_the_full_format_lists_the_scenarios_on_a_line_of_their_own() -> None:
    """In a terminal the message wraps over lines and its scenario words come last; the
    full format repeats them as the names ``--preset`` / ``--scenario`` take."""
    text = _run(str(PRESETS), "--output-format", "full", "--select", "AIT606")
    assert "   = only in scenarios: import, preset:Claude, task\n" in text
    everywhere = _run(str(NO_PRESETS), "--output-format", "full", "--select", "AIT606")
    assert "AIT606" in everywhere and "only in scenarios" not in everywhere
