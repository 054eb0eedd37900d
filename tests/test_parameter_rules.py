"""The AIT6xx parameter and preset rules: exact messages, columns, and the provider's checks.

``tests/test_rule_fixtures.py`` compares address, line and severity of every
rule's fixture findings; the AIT6xx fixtures also pin each finding's column,
full message and scenarios (``expected.json``), because the message quotes
the provider, preview or coderd verbatim and names the scenario. The unit tests
below pin the provider's value check (``provider/parameter.go``,
parameters-and-presets.md §4) case by case.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from aitask_lint.analysis import parameter_check as pc
from aitask_lint.analysis.parameter_scope import ParameterScope
from aitask_lint.analysis.parameters import as_parameter_string
from aitask_lint.cli import cli
from aitask_lint.model.from_hcl import load_configuration

from conftest import FIXTURES

RULES = ("AIT601", "AIT602", "AIT603", "AIT604", "AIT605", "AIT607")


def _cases() -> list[Any]:
    cases = []
    for rule_id in RULES:
        expected = json.loads((FIXTURES / "rules" / rule_id / "expected.json").read_text("utf-8"))
        for case, spec in expected.items():
            cases.append(pytest.param(rule_id, case, spec, id=f"{rule_id}-{case}"))
    return cases


@pytest.mark.parametrize(("rule_id", "case", "spec"), _cases())
def test_messages_and_columns(rule_id: str, case: str, spec: dict[str, Any]) -> None:
    target = FIXTURES / "rules" / rule_id / case / spec.get("input", "")
    result = CliRunner().invoke(cli, ["check", str(target), "--format", "json"])
    findings = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == rule_id]
    got = sorted(
        (
            f["location"]["line"],
            f["location"]["column"],
            f["severity"],
            f["message"],
            f.get("scenarios"),
        )
        for f in findings
    )
    want = sorted(
        (f["line"], f["column"], f["severity"], f["message"], f.get("scenarios"))
        for f in spec["findings"]
    )
    assert got == want


def _parameter(text: str, tmp_path: Path) -> Any:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    scope = ParameterScope(load_configuration(str(tmp_path)))
    return scope.parameters()[0].parameter


def _number(tmp_path: Path, validation: str) -> Any:
    return _parameter(
        f'data "coder_parameter" "n" {{\n  name = "n"\n  type = "number"\n'
        f"  default = 5\n  validation {{\n{validation}\n  }}\n}}\n",
        tmp_path,
    )


def test_number_validation_uses_atoi_and_the_type_check_parsefloat(tmp_path: Path) -> None:
    parameter = _number(tmp_path, "min = 1\nmax = 9")
    # "1.5" is a number for the type check but not for the validation block (Atoi)
    [error] = pc.value_errors(parameter, "1.5", from_default=False)
    assert error.text() == (
        "Invalid parameter value according to 'validation' block: value \"1.5\" is not a number"
    )
    assert pc.value_errors(parameter, "9", from_default=False) == []
    [error] = pc.value_errors(parameter, "10", from_default=True)
    assert error.summary == "Invalid parameter default value according to 'validation' block"
    assert error.detail == "value 10 is more than the maximum 9"


def test_min_zero_is_a_bound_and_a_custom_error_replaces_the_detail(tmp_path: Path) -> None:
    parameter = _number(tmp_path, 'min = 0\nerror = "{value} is not in {min}..{max}"')
    [error] = pc.value_errors(parameter, "-1", from_default=False)
    assert error.detail == "-1 is not in 0..0"  # Go's zero value for the unset max
    assert pc.value_errors(parameter, "100000", from_default=False) == []


def test_go_parse_bool_and_the_bool_validation(tmp_path: Path) -> None:
    plain = _parameter(
        'data "coder_parameter" "b" {\n  name = "b"\n  type = "bool"\n  default = true\n}\n',
        tmp_path,
    )
    assert plain.default == "true"
    for accepted in ("true", "1", "t", "FALSE"):
        assert pc.value_errors(plain, accepted, from_default=False) == []
    [error] = pc.value_errors(plain, "yes", from_default=False)
    assert error.text() == 'Parameter value is not of type "bool": "yes" is not a bool'


def test_empty_value_and_options(tmp_path: Path) -> None:
    parameter = _parameter(
        'data "coder_parameter" "r" {\n  name = "r"\n'
        '  option {\n    name = "A"\n    value = "a"\n  }\n}\n',
        tmp_path,
    )
    [error] = pc.value_errors(parameter, "", from_default=False)
    assert error.summary == (
        "Value must be a valid option. The value is empty, did you forget to set it with a "
        "default or from user input?"
    )
    assert error.detail == 'the value "" must be defined as one of options'


def test_list_of_strings_values_are_json(tmp_path: Path) -> None:
    parameter = _parameter(
        'data "coder_parameter" "l" {\n  name = "l"\n  type = "list(string)"\n'
        '  default = "[]"\n}\n',
        tmp_path,
    )
    assert pc.value_errors(parameter, '["a", "b"]', from_default=False) == []
    assert pc.value_errors(parameter, "null", from_default=False) == []  # Go: a nil slice
    [error] = pc.value_errors(parameter, "[1]", from_default=False)
    assert error.detail == 'value "[1]" is not a valid list of strings'


def test_a_regex_is_searched_not_matched_whole(tmp_path: Path) -> None:
    parameter = _parameter(
        'data "coder_parameter" "s" {\n  name = "s"\n  default = "x"\n'
        '  validation {\n    regex = "[0-9]"\n    error = "needs a digit"\n  }\n}\n',
        tmp_path,
    )
    assert pc.value_errors(parameter, "abc1def", from_default=False) == []
    [error] = pc.value_errors(parameter, "abc", from_default=False)
    assert error.detail == 'needs a digit (value "abc" does not match "[0-9]")'


def test_defaults_are_strings_as_terraform_converts_them() -> None:
    assert as_parameter_string(4) == "4"
    assert as_parameter_string(True) == "true"
    assert as_parameter_string(1.5) == "1.5"
    assert as_parameter_string(None) is None


def test_chained_parameters_and_the_task_preset(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """\
data "coder_parameter" "mode" {
  name    = "mode"
  default = "basic"
}

data "coder_parameter" "tier" {
  count   = data.coder_parameter.mode.value == "pro" ? 1 : 0
  name    = "tier"
  default = "gold"
}

data "coder_parameter" "seats" {
  count   = try(data.coder_parameter.tier[0].value, "") == "gold" ? 1 : 0
  name    = "seats"
  default = 1
}

data "coder_workspace_preset" "first" {
  name = "First"
}

data "coder_workspace_preset" "pro" {
  name       = "Pro"
  default    = true
  parameters = { mode = "pro" }
}
""",
        encoding="utf-8",
    )
    tree = load_configuration(str(tmp_path))
    scope = ParameterScope(tree)
    assert [p.name for p in scope.presets] == ["First", "Pro"]
    task = scope.scenario("task")
    assert task is not None and task.preset == "Pro"
    present = {s.parameter.name: s.present for s in scope.parameters(task)}
    # tier follows mode, seats follows tier: the task gets the default preset, "Pro"
    assert present == {"mode": True, "tier": True, "seats": True}
    at_import = {s.parameter.name: s.present for s in scope.parameters()}
    assert at_import == {"mode": True, "tier": False, "seats": False}
    values = {s.parameter.name: (s.value, s.from_input) for s in scope.parameters(task)}
    assert values["mode"] == ("pro", True) and values["seats"] == ("1", False)
    assert [s.name for s in scope.scenarios] == ["import", "preset:First", "preset:Pro", "task"]


def test_a_regex_python_would_take_exponential_time_on_is_not_matched(tmp_path: Path) -> None:
    """Go's RE2 matches ``(a+)+$`` in linear time, Python's re does not: no judgement."""
    parameter = _parameter(
        'data "coder_parameter" "s" {\n  name = "s"\n  default = "x"\n'
        '  validation {\n    regex = "^(a+)+$"\n    error = "only a"\n  }\n}\n',
        tmp_path,
    )
    assert pc.value_errors(parameter, "a" * 64 + "b", from_default=False) == []
    (tmp_path / "long").mkdir()
    plain = _parameter(
        'data "coder_parameter" "s" {\n  name = "s"\n  default = "x"\n'
        '  validation {\n    regex = "^[a-z]+$"\n    error = "lower case"\n  }\n}\n',
        tmp_path / "long",
    )
    assert pc.value_errors(plain, "X" * pc.MAX_REGEX_INPUT, from_default=False) != []
    assert pc.value_errors(plain, "X" * (pc.MAX_REGEX_INPUT + 1), from_default=False) == []


def test_the_schema_enums_come_before_the_form_type_table(tmp_path: Path) -> None:
    """``form_type = "textbox"`` fails the schema's StringInSlice, not the truth table."""
    parameter = _parameter(
        'data "coder_parameter" "f" {\n  name = "f"\n  default = "x"\n  form_type = "textbox"\n}\n',
        tmp_path,
    )
    [error] = pc.definition_errors(parameter)
    assert error.text() == (
        'expected form_type to be one of ["radio" "slider" "input" "dropdown" "checkbox" '
        '"switch" "multi-select" "tag-select" "textarea" "error"], got textbox'
    )


def test_a_reading_is_reused_only_where_the_values_it_read_agree(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """\
data "coder_parameter" "mode" {
  name    = "mode"
  default = "basic"
}

data "coder_parameter" "tier" {
  count   = data.coder_parameter.mode.value == "pro" ? 1 : 0
  name    = "tier"
  default = "gold"
}

data "coder_workspace_preset" "a" {
  name       = "A"
  parameters = { mode = "pro" }
}

data "coder_workspace_preset" "b" {
  name       = "B"
  parameters = { mode = "pro" }
}
""",
        encoding="utf-8",
    )
    scope = ParameterScope(load_configuration(str(tmp_path)))
    a, b = scope.scenario("preset:A"), scope.scenario("preset:B")
    assert a is not None and b is not None
    # the same values where the reading looked (mode): one reading for both presets
    assert scope.parameters(a)[1].parameter is scope.parameters(b)[1].parameter
    assert [s.present for s in scope.parameters(a)] == [True, True]
    # import reads mode = "basic": its own reading, where tier has no instance
    assert [s.present for s in scope.parameters()] == [True, False]


def test_ait605_lists_its_scenarios_as_a_sentence() -> None:
    """Three scenarios read "A, B and C", not "A and B and C"."""
    result = CliRunner().invoke(
        cli,
        [
            "check",
            str(FIXTURES / "scenarios" / "parameter-mistakes"),
            "--select",
            "AIT605",
            "--format",
            "json",
        ],
    )
    (finding,) = json.loads(result.stdout)["findings"]
    assert (
        'for prebuilds of preset "Sonnet", for prebuilds of preset "Opus with Jupyter" and '
        'when a task is created with preset "Sonnet": Required parameter not provided'
    ) in finding["message"]
