"""Terraform variable values as Terraform loads them (issue 14, item 1).

A template whose ``variable "slug"`` defaults to ``"Bad_Slug"`` while
``terraform.tfvars`` sets ``slug = "web"`` is correct: Terraform uses "web".
Every source of values is checked with its place in Terraform's precedence
(environment < terraform.tfvars < terraform.tfvars.json < *.auto.tfvars in
lexical order < --var-file < --var).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from aitask_lint import check
from aitask_lint.analysis.variables import VariableInputs, load_values
from aitask_lint.cli import cli
from aitask_lint.model.from_hcl import load_configuration

TEMPLATE = Path(__file__).parent.parent / "fixtures" / "scenarios" / "tfvars"


@pytest.fixture
def template(tmp_path: Path) -> Path:
    target = tmp_path / "template"
    shutil.copytree(TEMPLATE, target)
    return target


def _findings(path: Path, *options: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json", *options])
    assert result.exit_code in (0, 1, 2), result.output
    return list(json.loads(result.stdout)["findings"])


def _slug_errors(path: Path, *options: str) -> list[str]:
    return [str(f["message"]) for f in _findings(path, *options) if f["rule"] == "AIT401"]


def test_terraform_tfvars_overrides_the_default() -> None:
    assert _slug_errors(TEMPLATE) == []


def test_var_on_the_command_line_wins_over_the_file() -> None:
    (message,) = _slug_errors(TEMPLATE, "--var", "slug=Bad_Slug")
    assert '"Bad_Slug"' in message


def test_tf_var_is_below_the_files(template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TF_VAR_slug", "Bad_Env")
    assert _slug_errors(template) == []  # terraform.tfvars wins over the environment
    (template / "terraform.tfvars").unlink()
    (message,) = _slug_errors(template)  # alone, the environment wins over the default
    assert '"Bad_Env"' in message


def test_var_file_is_above_automatic_files_and_below_var(template: Path) -> None:
    extra = template / "extra.tfvars"
    extra.write_text('slug = "Bad_File"\n')
    (message,) = _slug_errors(template, "--var-file", str(extra))
    assert '"Bad_File"' in message
    assert _slug_errors(template, "--var-file", str(extra), "--var", "slug=web") == []


def test_auto_tfvars_load_in_lexical_order_after_terraform_tfvars(template: Path) -> None:
    (template / "b.auto.tfvars").write_text('slug = "web"\n')
    (template / "a.auto.tfvars.json").write_text('{"slug": "Bad_Auto"}\n')
    assert _slug_errors(template) == []  # b after a
    (template / "c.auto.tfvars").write_text('slug = "Bad_C"\n')
    (message,) = _slug_errors(template)
    assert '"Bad_C"' in message


def test_tfvars_json_comes_after_tfvars(template: Path) -> None:
    (template / "terraform.tfvars.json").write_text('{"slug": "Bad_Json"}')
    (message,) = _slug_errors(template)
    assert '"Bad_Json"' in message


def test_errors_in_variables_files_are_ait001_with_position(template: Path) -> None:
    (template / "terraform.tfvars").write_text("# comment\nslug = var.other\n")
    (finding,) = [f for f in _findings(template) if f["rule"] == "AIT001"]
    assert "Variables not allowed: Variables may not be used here." in str(finding["message"])
    assert finding["location"]["path"].endswith("terraform.tfvars")  # type: ignore[index]
    assert finding["location"]["line"] == 2  # type: ignore[index]
    (template / "terraform.tfvars").write_text('slug = "web\n')
    (syntax,) = [f for f in _findings(template) if f["rule"] == "AIT001"]
    assert "HCL syntax error" in str(syntax["message"])
    missing = _findings(template, "--var-file", str(template / "nope.tfvars"))
    assert any("Given variables file" in str(f["message"]) for f in missing)


def test_values_convert_to_the_variable_type(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "port" {\n  type = number\n}\nvariable "on" {\n  type = bool\n}\n'
        'variable "tags" {\n  type = list(string)\n}\n'
    )
    tree = load_configuration(str(tmp_path))
    inputs = VariableInputs(
        variables={"port": "5", "on": "true"}, environ={"TF_VAR_tags": '["a", "b"]'}
    )
    values, errors = load_values(tree.root, str(tmp_path), inputs)
    assert errors == []
    assert values == {"port": 5, "on": True, "tags": ["a", "b"]}
    assert isinstance(values["port"], int)
    (tmp_path / "terraform.tfvars").write_text('port = "eighty"\n')
    _values, errors = load_values(tree.root, str(tmp_path), VariableInputs(environ={}))
    (error,) = errors
    assert "Invalid value for input variable" in error.message and error.line == 1


def test_the_library_api_takes_variables_and_var_files(template: Path) -> None:
    assert [f.rule for f in check([template]).findings if f.rule == "AIT401"] == []
    report = check([template], variables={"slug": "Bad_Slug"})
    assert [f.rule for f in report.findings] == ["AIT401"]
    extra = template / "extra.tfvars"
    extra.write_text('slug = "Bad_File"\n')
    report = check([template], var_files=[extra])
    assert [f.rule for f in report.findings] == ["AIT401"]


def test_the_configuration_names_var_files(template: Path) -> None:
    (template / "prod.tfvars").write_text('slug = "Bad_Prod"\n')
    (template / ".aitask-lint.toml").write_text('var-files = ["prod.tfvars"]\n')
    (message,) = _slug_errors(template)
    assert '"Bad_Prod"' in message


def test_unsuitable_values_get_terraforms_own_words_and_places(tmp_path: Path) -> None:
    """Terraform's texts (eval_variable.go, cty's conversions): in a file, at the value,
    naming the declaration; from the command line or environment, at the declaration."""
    (tmp_path / "main.tf").write_text('variable "port" {\n  type = number\n}\n')
    tree = load_configuration(str(tmp_path))
    (tmp_path / "terraform.tfvars").write_text('\nport = "eighty"\n')
    _values, (error,) = load_values(tree.root, str(tmp_path), VariableInputs(environ={}))
    assert error.message == (
        "Invalid value for input variable: The given value is not suitable for var.port "
        "declared at main.tf:1,1-16: a number is required."
    )
    assert (error.path, error.line, error.column) == (
        str(tmp_path / "terraform.tfvars"),
        2,
        8,
    )
    (tmp_path / "terraform.tfvars").unlink()
    inputs = VariableInputs(variables={"port": "x"}, environ={"TF_VAR_port": "y"})
    _values, errors = load_values(tree.root, str(tmp_path), inputs)
    assert [(e.message, e.path.endswith("main.tf"), e.line) for e in errors] == [
        (
            "Invalid value for input variable: Unsuitable value for var.port set using "
            "the TF_VAR_port environment variable: a number is required.",
            True,
            1,
        ),
        (
            "Invalid value for input variable: Unsuitable value for var.port set using "
            '-var="port=...": a number is required.',
            True,
            1,
        ),
    ]


def test_bool_conversion_is_ctys(tmp_path: Path) -> None:
    """cty converts "1"/"0" to bool and hints at lowercase for "True"."""
    (tmp_path / "main.tf").write_text('variable "on" {\n  type = bool\n}\n')
    tree = load_configuration(str(tmp_path))
    values, errors = load_values(
        tree.root, str(tmp_path), VariableInputs(variables={"on": "1"}, environ={})
    )
    assert (values, errors) == ({"on": True}, [])
    _values, (error,) = load_values(
        tree.root, str(tmp_path), VariableInputs(variables={"on": "True"}, environ={})
    )
    assert error.message.endswith(
        'a bool is required; to convert from string, use lowercase "true".'
    )


UNDECLARED = (
    'Value for undeclared variable: A variable named "slgu" was assigned on the command line, '
    "but the root module does not declare a variable of that name. To use this value, "
    'add a "variable" block to the configuration.'
)


def test_a_var_no_checked_template_declares_is_terraforms_error() -> None:
    """A misspelt ``--var`` used to be ignored: the default was judged, silently."""
    from cli_runner import run_cli

    result = run_cli("check", str(TEMPLATE), "--var", "slgu=web")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"--var slgu: {UNDECLARED}\n"
    tasks = run_cli("tasks", str(TEMPLATE), "--var", "slgu=web")
    assert tasks.code == 2
    assert tasks.stderr.endswith(f"scenarios/tfvars: {UNDECLARED}\n")
    assert tasks.stderr.count("\n") == 1


def test_a_var_some_checked_templates_declare_applies_to_those(tmp_path: Path) -> None:
    """``check -r`` over templates of which only some declare the variable, as each is planned."""
    from cli_runner import run_cli

    other = tmp_path / "other"
    other.mkdir()
    (other / "main.tf").write_text("locals {\n  a = 1\n}\n", encoding="utf-8")
    result = run_cli("check", str(TEMPLATE), str(other), "--var", "slug=Bad_Slug")
    assert (result.code, result.stderr) == (1, "")
    assert '"Bad_Slug"' in result.stdout


def test_a_configuration_files_variables_are_not_judged_undeclared() -> None:
    assert (
        load_values(
            load_configuration(str(TEMPLATE)).root,
            str(TEMPLATE),
            VariableInputs({"elsewhere": 3}),
            refuse_undeclared=True,
        )[1]
        == []
    )
