"""Configuration per template (issue 11, item 2).

Each root is linted with the configuration found by walking up from it (the
nearest file wins, as in ruff), bounded by the project root; the command
line still wins. ``per-file-ignores`` and ``exclude`` are gitignore-style
globs relative to the configuration file's directory.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cli_runner import assert_no_crash, run_cli

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "fixtures" / "examples" / "broken-template"


@contextmanager
def _cwd(directory: Path) -> Iterator[None]:
    saved = os.getcwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(saved)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """``templates/a`` (its own configuration ignoring AIT503) and ``templates/b`` (none)."""
    repository = tmp_path / "repo"
    for name in ("a", "b"):
        shutil.copytree(BROKEN, repository / "templates" / name)
    (repository / ".git").mkdir()
    (repository / "templates" / "a" / ".aitask-lint.toml").write_text('ignore = ["AIT503"]\n')
    return repository


def _by_template(stdout: str) -> dict[str, set[str]]:
    """Rules found per template (paths are relative to the current directory)."""
    found: dict[str, set[str]] = {"a": set(), "b": set()}
    for finding in json.loads(stdout)["findings"]:
        template = Path(os.path.abspath(finding["location"]["path"])).parts[-2]
        found[template].add(finding["rule"])
    return found


@pytest.mark.parametrize(
    ("cwd", "args"),
    [
        ("", ["-r", "."]),
        ("", ["templates/a", "templates/b"]),
        ("", ["templates/b", "templates/a"]),
        ("templates", ["-r", "."]),
        ("templates", ["b", "a"]),
        ("templates/b", ["../a", "."]),
    ],
)
def test_each_root_gets_its_own_configuration(repository: Path, cwd: str, args: list[str]) -> None:
    with _cwd(repository / cwd):
        outcome = run_cli("check", *args, "--format", "json")
        found = _by_template(outcome.stdout)
    assert_no_crash(outcome)
    assert "AIT503" not in found["a"]  # a's configuration, applied to a
    assert "AIT503" in found["b"]  # and not to b
    assert found["a"] | {"AIT503"} == found["b"]
    assert json.loads(outcome.stdout)["summary"]["files"] == 2


def test_the_nearest_configuration_wins_and_the_command_line_over_it(repository: Path) -> None:
    (repository / ".aitask-lint.toml").write_text('select = ["AIT4"]\n')
    outcome = run_cli("check", "-r", str(repository), "--format", "json")
    found = _by_template(outcome.stdout)
    assert found["b"] == {"AIT401"}  # the repository's file
    assert "AIT301" in found["a"]  # a's own file, which selects every rule (AIT106 folds into it)
    cli = run_cli("check", "-r", str(repository), "--format", "json", "--select", "AIT303,AIT5")
    found = _by_template(cli.stdout)
    assert found["b"] == {"AIT303", "AIT503"}
    assert found["a"] == {"AIT303"}  # --select wins; a's ignore still applies


def test_an_explicit_config_applies_to_every_root(repository: Path, tmp_path: Path) -> None:
    settings = tmp_path / "ci.toml"
    settings.write_text('select = ["AIT401"]\n')
    outcome = run_cli("check", "-r", str(repository), "--format", "json", "--config", str(settings))
    assert _by_template(outcome.stdout) == {"a": {"AIT401"}, "b": {"AIT401"}}


def test_fail_on_is_per_root(repository: Path) -> None:
    (repository / "templates" / "a" / ".aitask-lint.toml").write_text('select = ["AIT503"]\n')
    (repository / "templates" / "b" / ".aitask-lint.toml").write_text(
        'select = ["AIT503"]\nfail-on = "info"\n'
    )
    (repository / "templates" / ".aitask-lint.toml").write_text('select = ["AIT503"]\n')
    assert run_cli("check", str(repository / "templates" / "a")).code == 0
    assert run_cli("check", str(repository / "templates" / "b")).code == 1
    # b's fail-on decides for b's findings, whatever the first path's file says
    assert run_cli("check", "-r", str(repository / "templates")).code == 1
    templates = repository / "templates"
    assert run_cli("check", str(templates / "a"), str(templates / "b")).code == 1


def test_per_file_ignores_are_relative_to_the_configuration(repository: Path) -> None:
    (repository / "templates" / "a" / ".aitask-lint.toml").unlink()  # the repository's applies
    extra = repository / "templates" / "a" / "extra"
    extra.mkdir()
    (extra / "main.tf").write_text(
        'resource "coder_app" "bad" {\n  agent_id = "x"\n  slug     = "Bad_Slug"\n}\n'
    )
    (repository / ".aitask-lint.toml").write_text(
        '[per-file-ignores]\n"templates/a/**" = ["AIT401"]\n"main.tf" = ["AIT106"]\n'
    )
    outcome = run_cli("check", "-r", str(repository), "--format", "json")
    rules = {
        (f["location"]["path"], f["rule"])  # reports name paths from the repository
        for f in json.loads(outcome.stdout)["findings"]
    }
    assert ("templates/b/main.tf", "AIT401") in rules
    assert not any(path.startswith("templates/a") and r == "AIT401" for path, r in rules)
    # "main.tf" has no slash: it names main.tf in every directory below the file
    assert not any(r == "AIT106" for _path, r in rules)
    assert ("templates/b/main.tf", "AIT301") in rules


def test_exclude_is_gitignore_style(repository: Path) -> None:
    for name in ("legacy", "deep/legacy", "keep"):
        shutil.copytree(BROKEN, repository / name)
    (repository / ".aitask-lint.toml").write_text('exclude = ["**/legacy", "templates/b/"]\n')
    outcome = run_cli("check", "-r", str(repository), "--format", "json", "--select", "AIT401")
    paths = {
        Path(f["location"]["path"]).parent.as_posix()
        for f in json.loads(outcome.stdout)["findings"]
    }
    assert paths == {"keep", "templates/a"}  # top-level legacy/ matched by **/legacy


def test_exclude_in_a_nested_configuration_covers_its_own_directory_only(
    repository: Path,
) -> None:
    shutil.copytree(BROKEN, repository / "templates" / "a" / "old")
    shutil.copytree(BROKEN, repository / "old")
    (repository / "templates" / "a" / ".aitask-lint.toml").write_text('exclude = ["old"]\n')
    outcome = run_cli("check", "-r", str(repository), "--format", "json", "--select", "AIT401")
    paths = {
        Path(f["location"]["path"]).parent.as_posix()
        for f in json.loads(outcome.stdout)["findings"]
    }
    assert paths == {"old", "templates/a", "templates/b"}


def test_a_root_whose_files_are_all_excluded_is_not_a_root(repository: Path) -> None:
    (repository / "templates" / "b" / ".aitask-lint.toml").write_text('exclude = ["*.tf"]\n')
    outcome = run_cli("check", "-r", str(repository), "--format", "json")
    assert json.loads(outcome.stdout)["summary"]["files"] == 1


def test_many_roots_with_many_configurations(tmp_path: Path) -> None:
    """More roots than one batch, every other one with its own file: each keeps its own."""
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    bad_slug = 'resource "coder_app" "bad" {\n  agent_id = "x"\n  slug     = "Bad_Slug"\n}\n'
    for index in range(150):
        template = repository / f"t{index:03}"
        template.mkdir()
        (template / "main.tf").write_text(bad_slug)
        if index % 2:
            (template / ".aitask-lint.toml").write_text('ignore = ["AIT401"]\n')
    outcome = run_cli(
        "check", "-r", str(repository), "--format", "json", "--select", "AIT4", "--jobs", "1"
    )
    document = json.loads(outcome.stdout)
    flagged = sorted(Path(f["location"]["path"]).parent.name for f in document["findings"])
    assert flagged == [f"t{index:03}" for index in range(0, 150, 2)]
    assert document["summary"]["files"] == 150
