"""One declaration per setting (lint/settings.py): the command line, the configuration
file and what rules read are generated from it, so a setting cannot exist in one and
be missing, or mean something else, in another."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aitask_lint.lint.settings import Settings, file_options, options, options_of
from cli_runner import run_cli

from conftest import FIXTURES

BROKEN = FIXTURES / "examples" / "broken-template"


def test_every_flag_is_an_option_of_its_commands() -> None:
    """Each flag of a setting is on every command it names, under the field's name."""
    from aitask_lint.cli import cli

    for command_name, command in cli.commands.items():
        by_name = {param.name: param for param in command.params}
        for name, option in options_of(command_name):
            assert name in by_name, (command_name, name)
            assert set(option.flags) <= set(by_name[name].opts), (command_name, name)


def test_every_kind_has_a_flag_type_and_a_file_reader() -> None:
    """A new setting of any kind needs nothing but its field."""
    from typing import get_args

    from aitask_lint.cli import _KINDS
    from aitask_lint.lint.config import _FILE_KINDS
    from aitask_lint.lint.settings import Kind

    kinds = set(get_args(Kind))
    assert set(_FILE_KINDS) == kinds
    assert set(_KINDS) == kinds - {"globs", "per-file-ignores"}  # configuration only


def test_every_key_is_accepted_and_listed(tmp_path: Path) -> None:
    """The file's keys are the settings' keys: each is known, an unknown one lists them all."""
    from aitask_lint.lint.config import KEYS

    keys = {option.key for _name, option in file_options()}
    assert keys == KEYS
    (tmp_path / ".aitask-lint.toml").write_text("colour = true\n")
    outcome = run_cli("check", "--config", str(tmp_path / ".aitask-lint.toml"), str(BROKEN))
    assert outcome.code == 2
    assert f"(known: {', '.join(sorted(keys))})" in outcome.stderr


def test_every_setting_is_documented() -> None:
    """``--help`` and docs/configuration.md explain every setting users can write."""
    from conftest import ROOT

    page = (ROOT / "docs" / "configuration.md").read_text()
    for name, option in options():
        assert option.help.strip(), name
        if option.key is not None:
            assert option.key in page, option.key


def _report(*args: str) -> list[dict[str, object]]:
    outcome = run_cli("check", "--format", "json", *args)
    assert outcome.code in (0, 1), outcome.stderr
    findings: list[dict[str, object]] = json.loads(outcome.stdout)["findings"]
    return findings


NO_TASK = """terraform {
  required_providers {
    coder = { source = "coder/coder" }
  }
}
resource "coder_agent" "main" {
  os   = "linux"
  arch = "amd64"
}
"""


@pytest.mark.parametrize(
    ("flags", "toml", "template"),
    [
        (["--wildcard-access-url"], "wildcard-access-url = true", "AIT205"),
        (["--require-ai-task"], "require-ai-task = true", "no-task"),
        (["--coder-version", "2.37.0"], 'coder-version = "2.37.0"', "broken"),
        (["--provider-version", "2.11.0"], 'provider-version = "2.11.0"', "broken"),
        (["--select", "AIT4,AIT5"], 'select = ["AIT4", "AIT5"]', "broken"),
        (["--ignore", "AIT401"], 'ignore = ["AIT401"]', "broken"),
        (["--severity", "AIT401=info"], 'severity = { AIT401 = "info" }', "broken"),
    ],
)
def test_flag_and_key_mean_the_same(
    tmp_path: Path, flags: list[str], toml: str, template: str
) -> None:
    """A setting given on the command line or in the file reaches the rules the same way,
    and changes what they report."""
    config = tmp_path / ".aitask-lint.toml"
    config.write_text(toml + "\n")
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    target = {"AIT205": FIXTURES / "rules" / "AIT205" / "fires", "broken": BROKEN}.get(template)
    if target is None:
        target = tmp_path / "template"
        target.mkdir()
        (target / "main.tf").write_text(NO_TASK)
    by_flag = _report("--config", str(empty), *flags, str(target))
    by_file = _report("--config", str(config), str(target))
    assert by_flag == by_file
    assert by_flag != _report("--config", str(empty), str(target))


def test_fail_on_from_flag_or_file(tmp_path: Path) -> None:
    """``fail-on`` decides the exit status whether given as a flag or a key."""
    config = tmp_path / ".aitask-lint.toml"
    config.write_text('fail-on = "info"\nselect = ["AIT503"]\n')
    assert run_cli("check", "--config", str(config), str(BROKEN)).code == 1
    given = run_cli("check", "--config", str(config), "--fail-on", "error", str(BROKEN))
    assert given.code == 0


def test_command_line_wins_over_the_file_entry_by_entry(tmp_path: Path) -> None:
    """``--severity`` overrides one rule of the file's table, the rest of the table stays."""
    config = tmp_path / ".aitask-lint.toml"
    config.write_text('[severity]\nAIT401 = "info"\nAIT303 = "error"\n')
    findings = _report("--config", str(config), "--severity", "AIT401=warning", str(BROKEN))
    levels = {finding["rule"]: finding["severity"] for finding in findings}
    assert levels["AIT401"] == "warning"
    assert levels["AIT303"] == "error"


def test_settings_default_to_not_given() -> None:
    """Every field is ``None`` until given, so the file can tell "not given" from "false"."""
    settings = Settings()
    assert all(getattr(settings, name) is None for name, _option in options())


def test_kinds_for_settings_to_come(tmp_path: Path) -> None:
    """``assignments`` and ``files`` (``--var``, ``--var-file``): the command line's and a
    file's readers give the same values, and bad ones are one clear error."""
    import click
    from click.testing import CliRunner

    from aitask_lint.cli import _KINDS
    from aitask_lint.errors import InputError
    from aitask_lint.lint.config import _FILE_KINDS, _Checker
    from aitask_lint.lint.settings import Option

    seen: dict[str, object] = {}
    assign = Option("assignments", "Set a variable.", key="var", flags=("--var",))
    files = Option("files", "Read variables.", key="var-file", flags=("--var-file",))

    @click.command()
    @click.option("--var", "var", **_KINDS["assignments"](assign))
    @click.option("--var-file", "var_file", **_KINDS["files"](files))
    def command(var: object, var_file: object) -> None:
        seen.update(var=var, var_file=var_file)

    values = tmp_path / "a.tfvars"
    values.write_text('a = "1"\n')
    result = CliRunner().invoke(
        command, ["--var", "a=1", "--var", "b=x=y", "--var-file", str(values)]
    )
    assert result.exit_code == 0, result.output
    assert seen == {"var": {"a": "1", "b": "x=y"}, "var_file": [str(values)]}
    assert CliRunner().invoke(command, []).exit_code == 0
    assert seen == {"var": None, "var_file": None}
    bad = CliRunner().invoke(command, ["--var", "novalue"])
    assert bad.exit_code == 2 and "expected NAME=VALUE" in bad.output

    check = _Checker(str(tmp_path / ".aitask-lint.toml"), "", 'var-file = ["a.tfvars"]\n')
    assert _FILE_KINDS["files"](["a.tfvars"], files, check) == [str(values)]
    assert _FILE_KINDS["assignments"]({"a": "1"}, assign, check) == {"a": "1"}
    with pytest.raises(InputError, match=r"'var-file': .*missing\.tfvars is not a file") as error:
        _FILE_KINDS["files"](["missing.tfvars"], files, check)
    assert error.value.line == 1
    with pytest.raises(InputError, match="'var': must be a table of name = value"):
        _FILE_KINDS["assignments"](["a=1"], assign, check)


def test_library_keywords_are_settings() -> None:
    """``aitask_lint.check``'s keywords are settings of the same name (``config`` is
    ``--config``), so the library and the command line cannot drift apart."""
    import inspect

    import aitask_lint

    names = {name for name, _option in options()}
    keywords = set(inspect.signature(aitask_lint.check).parameters) - {"paths", "cache"}
    renamed = {"config": "config_path"}
    assert {renamed.get(keyword, keyword) for keyword in keywords} <= names
