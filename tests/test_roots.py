"""Roots as Terraform sees them (issue 11 item 4).

``--recursive`` lints root modules only: a directory another scanned
directory calls through a local ``source`` is part of its callers. The
summary counts files, not file-root pairs. The pre-commit hook passes the
changed files, and each is judged through the roots that contain or call it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aitask_lint.lint.roots import root_modules, roots_of_files
from cli_runner import run_cli
from monorepo import make_monorepo

from conftest import FIXTURES, ROOT


def _check(*args: str) -> dict[str, Any]:
    result = run_cli("check", *args, "--format", "json")
    assert result.code in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def _dirs(document: dict[str, Any]) -> set[str]:
    return {f["location"]["path"].rsplit("/", 1)[0] for f in document["findings"]}


def test_recursive_does_not_lint_a_called_module_as_a_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_monorepo(tmp_path)
    monkeypatch.chdir(repo)
    document = _check("-r", ".")
    # modules/x has a variable without a value and no provider: linted alone it
    # would be a template of its own; it is read as part of templates/a
    assert document["summary"]["files"] == 3  # a, a/modules/x, b: each once
    rules_in_x = [f for f in document["findings"] if "/modules/x/" in f["location"]["path"]]
    assert rules_in_x == []
    assert _dirs(document) == {"templates/a", "templates/b"}


def test_a_module_named_on_the_command_line_is_linted_as_a_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_monorepo(tmp_path)
    monkeypatch.chdir(repo)
    found = root_modules(
        ["templates/a", "templates/a/modules/x", "templates/b"], ["templates/a/modules/x"]
    )
    assert found == ["templates/a", "templates/a/modules/x", "templates/b"]
    assert root_modules(["templates/a", "templates/a/modules/x", "templates/b"]) == [
        "templates/a",
        "templates/b",
    ]


def test_fixture_templates_count_each_file_once() -> None:
    """Was "33 files checked" for the 26 files of fixtures/templates."""
    templates = FIXTURES / "templates"
    on_disk = [p for p in templates.rglob("*") if p.name.endswith((".tf", ".tf.json"))]
    document = _check("-r", str(templates))
    assert document["summary"]["files"] == len(on_disk)
    called = {"broken-missing-output/modules/claude", "modern-local-modules/modules/agentapi"}
    for directory in called:
        assert not any(
            f["location"]["path"].endswith(f"{directory}/main.tf")
            and f["rule"] in ("AIT101", "AIT501")
            for f in document["findings"]
        )


def test_modules_calling_each_other_in_a_cycle_are_still_linted(tmp_path: Path) -> None:
    for name, other in (("p", "q"), ("q", "p")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(f'module "m" {{\n  source = "../{other}"\n}}\n')
    found = root_modules([str(tmp_path / "p"), str(tmp_path / "q")])
    assert found == [str(tmp_path / "p"), str(tmp_path / "q")]


def test_changed_files_map_to_the_roots_that_contain_or_call_them(tmp_path: Path) -> None:
    repo = make_monorepo(tmp_path)
    t = repo / "templates"
    candidates = [str(t / "a"), str(t / "a" / "modules" / "x"), str(t / "b")]
    assert roots_of_files([str(t / "b" / "main.tf")], candidates) == [str(t / "b")]
    assert roots_of_files([str(t / "a" / "modules" / "x" / "main.tf")], candidates) == [
        str(t / "a")
    ]
    both = [str(t / "a" / "main.tf"), str(t / "a" / "modules" / "x" / "main.tf")]
    assert roots_of_files(both, candidates) == [str(t / "a")]


def test_pre_commit_on_a_commit_touching_only_b_reports_nothing_from_a(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the hook runs: ``aitask-lint check --recursive <changed files>``."""
    repo = make_monorepo(tmp_path)
    monkeypatch.chdir(repo)
    only_b = _check("--recursive", "templates/b/main.tf")
    assert _dirs(only_b) == {"templates/b"}
    assert only_b["summary"]["files"] == 1
    # a change inside the module is judged through the template that calls it
    in_module = _check("--recursive", "templates/a/modules/x/main.tf")
    assert _dirs(in_module) == {"templates/a"}
    assert {f["rule"] for f in in_module["findings"]} >= {"AIT301"}
    # from a subdirectory, with the file given relative to it
    monkeypatch.chdir(repo / "templates" / "a" / "modules")
    assert _dirs(_check("--recursive", "x/main.tf")) == {"templates/a"}


def test_pre_commit_hook_passes_the_changed_files() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "pass_filenames: true" in text
    assert "entry: aitask-lint check --recursive\n" in text
    assert "args:" not in text  # no fixed path: only the files of the commit


def test_a_commit_touching_several_templates_lints_each_root_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_monorepo(tmp_path)
    monkeypatch.chdir(repo)
    changed = ["templates/a/main.tf", "templates/a/modules/x/main.tf", "templates/b/main.tf"]
    document = _check("--recursive", *changed)
    assert _dirs(document) == {"templates/a", "templates/b"}
    assert document["summary"]["files"] == 3
    assert len([f for f in document["findings"] if f["rule"] == "AIT301"]) == 2  # one per root


def test_the_calls_of_many_roots_are_parsed_in_one_prefetch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Side by side (``--jobs``), before the call graph reads them one by one.

    Only the files that may call a local module are asked for; the others
    are parsed when their root is linted.
    """
    from aitask_lint.hcl import files
    from aitask_lint.lint import roots

    directories = []
    for index in range(3):
        directory = tmp_path / f"t{index}"
        (directory / "m").mkdir(parents=True)
        (directory / "main.tf").write_text('module "m" {\n  source = "./m"\n}\n', encoding="utf-8")
        (directory / "other.tf").write_text("locals {\n  a = 1\n}\n", encoding="utf-8")
        (directory / "m" / "main.tf").write_text("locals {}\n", encoding="utf-8")
        directories += [str(directory), str(directory / "m")]
    asked: list[list[str]] = []
    real = files.prefetch
    monkeypatch.setattr(files, "prefetch", lambda paths: asked.append(list(paths)) or real(paths))
    graph = roots.call_graph(directories)
    assert [sorted(Path(p).name for p in batch) for batch in asked] == [["main.tf"] * 3]
    assert graph[str((tmp_path / "t0").resolve())] == {str((tmp_path / "t0" / "m").resolve())}
