"""The public API (``aitask_lint.check`` and friends): the CLI's results, self-contained calls."""

from __future__ import annotations

import doctest
import json
import os
import shutil
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

import aitask_lint
from aitask_lint.errors import InputError, InvalidArgumentError, InvalidArgumentTypeError
from cli_runner import run_cli

from conftest import FIXTURES, ROOT

BROKEN = FIXTURES / "examples" / "broken-template"
TASKS = FIXTURES / "examples" / "task-template"


def _cli_findings(*args: str) -> tuple[int, list[dict[str, Any]]]:
    outcome = run_cli("check", "--format", "json", *args)
    return outcome.code, json.loads(outcome.stdout)["findings"]


def _api_findings(report: aitask_lint.Report) -> list[dict[str, Any]]:
    return json.loads(_report_json(report))["findings"]


def _report_json(report: aitask_lint.Report) -> str:
    from aitask_lint.lint.findings import report_json

    return report_json(report)


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_import_is_cheap() -> None:
    """``import aitask_lint`` loads no parser, graph or validation library."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import aitask_lint"],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    for heavy in ("lark", "networkx", "pydantic"):
        assert not any(name == heavy or name.startswith(heavy + ".") for name in imported)


def test_public_names_resolve() -> None:
    for name in aitask_lint.__all__:
        assert getattr(aitask_lint, name) is not None, name
    assert aitask_lint.AITask.__name__ == "AITaskEntry"
    with pytest.raises(AttributeError):
        aitask_lint.no_such_thing  # noqa: B018


def test_check_gives_the_cli_findings(in_root: None) -> None:
    """The acceptance example: same findings, same exit status as ``aitask-lint check``."""
    report = aitask_lint.check(["fixtures/examples/broken-template"])
    code, findings = _cli_findings("fixtures/examples/broken-template")
    assert _api_findings(report) == findings
    assert findings  # the example is broken
    assert report.exit_code() == code == 1
    assert report.unusable is False


def test_check_applies_the_configuration_file(tmp_path: Path) -> None:
    """A template's ``.aitask-lint.toml`` acts on ``check`` exactly as on the CLI."""
    template = tmp_path / "template"
    shutil.copytree(BROKEN, template)
    before = aitask_lint.check([str(template)])
    assert {"AIT401", "AIT303"} <= {f.rule for f in before.findings}
    (template / ".aitask-lint.toml").write_text(
        'ignore = ["AIT401"]\n[severity]\nAIT303 = "error"\n', encoding="utf-8"
    )
    report = aitask_lint.check([str(template)])
    code, findings = _cli_findings(str(template))
    assert _api_findings(report) == findings
    assert report.exit_code() == code
    rules = {f.rule: f.severity for f in report.findings}
    assert "AIT401" not in rules
    assert rules["AIT303"] == "error"
    # keywords override the file, as options do
    overridden = aitask_lint.check([str(template)], ignore=[], severity={"AIT303": "info"})
    assert (
        _api_findings(overridden)
        == _cli_findings(str(template), "--ignore", "", "--severity", "AIT303=info")[1]
    )


def test_fail_on_from_the_configuration_decides_the_exit_code(tmp_path: Path) -> None:
    template = tmp_path / "template"
    shutil.copytree(BROKEN, template)
    (template / ".aitask-lint.toml").write_text('select = ["AIT503"]\n', encoding="utf-8")
    report = aitask_lint.check([str(template)])
    assert [f.severity for f in report.findings] == ["info"]
    assert report.exit_code() == 0 == report.exit_code("error")
    assert report.exit_code("info") == 1
    (template / ".aitask-lint.toml").write_text(
        'select = ["AIT503"]\nfail-on = "info"\n', encoding="utf-8"
    )
    report = aitask_lint.check([str(template)])
    assert report.exit_code() == 1 == run_cli("check", str(template)).code
    assert aitask_lint.check([str(template)], fail_on="error").exit_code() == 0


def test_unusable_input(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "x" {\n', encoding="utf-8")
    report = aitask_lint.check([str(tmp_path)])
    assert report.unusable is True
    assert [f.rule for f in report.findings] == ["AIT001"]
    assert report.exit_code() == 2 == report.exit_code("info")
    assert run_cli("check", str(tmp_path)).code == 2


def _relative_to(findings: list[dict[str, Any]], base: Path) -> list[dict[str, Any]]:
    for finding in findings:
        finding["location"]["path"] = os.path.relpath(finding["location"]["path"], base)
        for edit in (finding["fix"] or {}).get("edits", []):  # a fix's paths are shown alike
            edit["path"] = os.path.relpath(edit["path"], base)
    return findings


def test_paths_are_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An absolute input gives absolute paths, a relative one relative paths, whatever
    the project root; the command shows both relative to the project root."""
    template = tmp_path / "repo" / "templates" / "broken"
    shutil.copytree(BROKEN, template)
    (tmp_path / "repo" / ".git").mkdir()  # the project root the command shows paths from
    absolute = aitask_lint.check([str(template)])
    assert {f.location.path for f in absolute.findings} == {str(template / "main.tf")}
    monkeypatch.chdir(template.parent)
    relative = aitask_lint.check(["broken"])
    assert {f.location.path for f in relative.findings} == {os.path.join("broken", "main.tf")}
    code, shown = _cli_findings("broken")
    assert {f["location"]["path"] for f in shown} == {"templates/broken/main.tf"}
    assert _relative_to(_api_findings(absolute), tmp_path / "repo") == shown
    assert code == absolute.exit_code() == relative.exit_code()


def test_json_report_does_not_carry_library_state(in_root: None) -> None:
    """``unusable`` is run state: the JSON report (and its schema) stay as they were."""
    document = json.loads(_report_json(aitask_lint.check(["fixtures/examples/broken-template"])))
    assert set(document) == {"tool", "findings", "summary", "unused_suppressions"}


def test_arguments_of_the_wrong_type_are_refused() -> None:
    with pytest.raises(InvalidArgumentTypeError, match=r"write \['dir'\]"):
        aitask_lint.check("dir")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentTypeError, match="not a string"):
        aitask_lint.check([str(BROKEN)], select="AIT1")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="jobs="):
        aitask_lint.check([str(BROKEN)], jobs=0)
    with pytest.raises(InvalidArgumentError, match="fail_on"):
        aitask_lint.check([str(BROKEN)]).exit_code("fatal")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="no such file"):
        aitask_lint.check([str(BROKEN / "missing")])
    with pytest.raises(InputError, match="unknown rule"):
        aitask_lint.check([str(BROKEN)], severity={"AIT999": "error"})


def test_library_calls_neither_fork_nor_write_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many files (enough for the CLI's worker pool) and no ``jobs=``/``cache=``: one process,
    an untouched cache directory. Asked for, the cache is written."""
    from aitask_lint.hcl import files

    template = tmp_path / "template"
    shutil.copytree(BROKEN, template)
    for index in range(2 * files.POOL_THRESHOLD):
        (template / f"extra{index}.tf").write_text(
            f'locals {{\n  value{index} = "{index}"\n}}\n', encoding="utf-8"
        )
    cache = tmp_path / "cache"
    monkeypatch.setenv("AITASK_LINT_CACHE_DIR", str(cache))

    def no_pool(*args: object, **kwargs: object) -> object:
        raise AssertionError("a library call started worker processes")

    with monkeypatch.context() as patched:
        patched.setattr(files, "_parse_in_pool", no_pool)
        report = aitask_lint.check([str(template)])
    assert report.findings
    assert not cache.exists() or not any(cache.rglob("*.json")), "the cache was written"
    pooled: list[int] = []
    real_pool = files._parse_in_pool

    def counting_pool(sources: Any, jobs: int, use_cache: bool) -> Any:
        pooled.append(jobs)
        return real_pool(sources, jobs, use_cache)

    monkeypatch.setattr(files, "_parse_in_pool", counting_pool)
    asked = aitask_lint.check([str(template)], jobs=2, cache=True)
    assert _api_findings(asked) == _api_findings(report)
    assert pooled == [2]
    assert any((cache / "parse").rglob("*")), "cache=True wrote no parse cache entry"


def test_library_calls_leave_the_cli_settings_alone() -> None:
    from aitask_lint.hcl import settings

    before = (settings.SETTINGS.cache, settings.SETTINGS.jobs)
    aitask_lint.check([str(BROKEN)], jobs=3, cache=True)
    assert (settings.SETTINGS.cache, settings.SETTINGS.jobs) == before
    assert settings.cache_enabled() == (before[0] and not os.environ.get(settings.NO_CACHE_ENV))


def test_each_call_lets_go_of_what_it_parsed() -> None:
    from aitask_lint.hcl import files, settings

    files.forget()
    for _ in range(3):
        aitask_lint.check([str(BROKEN)])
        aitask_lint.load(str(TASKS))
        aitask_lint.extract_ai_tasks(str(TASKS))
    assert settings.MEMO == {}


@pytest.mark.slow
def test_memory_stays_flat_over_200_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long-lived provisioner linting again and again does not grow (within 5 MB).

    It asks for the parse cache (``cache=True``, a directory of the test's
    own), as a long-lived process would: every call after the first decodes
    its trees from the cache, half the cost of parsing under tracemalloc, and
    each decoded tree is new, so a memo kept across calls still holds 200 of
    them (checked: keeping each call's memo grows memory by over 30 MB).
    """
    monkeypatch.setenv("AITASK_LINT_CACHE_DIR", str(tmp_path / "cache"))
    # 64 KB that a memo kept across calls would hold (its syntax tree holds the string):
    # 200 calls would retain ~30 MB. One token, so the parse (the cost of a call, five
    # times dearer under tracemalloc) stays cheap; 25 locals blocks cost twice as much.
    extra = 'locals {\n  blob = "' + "abcdefgh" * 8192 + '"\n}\n'
    files = {path.name: path.read_text(encoding="utf-8") for path in BROKEN.iterdir()}
    files["locals.tf"] = extra
    calls = iter(range(1_000))

    def check_a_new_copy() -> aitask_lint.Report:
        """Each call on a template never seen before, in a new directory.

        The report is rendered only for the last call: rendering is the caller's
        choice, and under tracemalloc it cost 8% of a call.
        """
        template = tmp_path / f"template-{next(calls)}"
        template.mkdir()
        for name, text in files.items():
            (template / name).write_text(text, encoding="utf-8")
        report = aitask_lint.check([str(template)], project_root=str(tmp_path), cache=True)
        shutil.rmtree(template)
        return report

    expected = _api_findings(check_a_new_copy())
    assert expected
    tracemalloc.start()
    try:
        check_a_new_copy()
        first, _ = tracemalloc.get_traced_memory()
        for _ in range(200):
            report = check_a_new_copy()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the same findings but for the directory's name
    assert json.dumps(_api_findings(report)).replace("template-201", "template-0") == json.dumps(
        expected
    )
    assert after - first < 5 * 1024 * 1024, f"grew by {(after - first) / 1e6:.1f} MB"


def test_two_threads_get_identical_correct_results() -> None:
    paths = [[str(BROKEN)], [str(TASKS)]]
    expected = [_api_findings(aitask_lint.check(p)) for p in paths]
    results: dict[tuple[int, int], list[dict[str, Any]]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(slot: int, which: int) -> None:
        try:
            start.wait()
            for round_ in range(3):
                results[slot, round_] = _api_findings(aitask_lint.check(paths[which]))
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(slot, slot % 2)) for slot in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    for (slot, _round), findings in results.items():
        assert findings == expected[slot % 2]
    assert len(results) == 12


def test_other_entry_points() -> None:
    tasks = aitask_lint.extract_ai_tasks(str(TASKS))
    assert isinstance(tasks.ai_tasks[0], aitask_lint.AITask)
    assert aitask_lint.load(str(TASKS)).origin == "hcl"
    rules = aitask_lint.list_rules()
    assert [rule.id for rule in rules] == sorted(rule.id for rule in rules)
    assert len(rules) == len(json.loads(run_cli("rules", "--format", "json").stdout))
    broken = Path(BROKEN.parent.parent / "does-not-exist.tf")
    with pytest.raises(InputError):
        aitask_lint.load(str(broken))


def test_api_docstring_examples_run(in_root: None) -> None:
    """The examples in ``aitask_lint.api`` (and so in ``help()``) are true."""
    import aitask_lint.api

    result = doctest.testmod(aitask_lint.api, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted >= 8
    assert result.failed == 0


def test_library_page_examples_run(in_root: None) -> None:
    """Every ``pycon`` example of docs/library.md runs as written, one session per page."""
    import re

    page = (ROOT / "docs" / "library.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```pycon\n(.*?)^```", page, flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) >= 6
    test = doctest.DocTestParser().get_doctest(
        "\n".join(blocks), {}, "docs/library.md", str(ROOT / "docs" / "library.md"), 0
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 25
    assert result.failed == 0


def test_recursive_check_applies_each_roots_configuration(tmp_path: Path) -> None:
    """Per-root files, as ``check -r``: each template its own settings."""
    for name, settings in (("quiet", 'ignore = ["AIT401"]\n'), ("strict", 'select = ["AIT401"]\n')):
        shutil.copytree(BROKEN, tmp_path / name)
        (tmp_path / name / ".aitask-lint.toml").write_text(settings, encoding="utf-8")
    report = aitask_lint.check([str(tmp_path)], recursive=True, project_root=str(tmp_path))
    code, findings = _cli_findings("-r", "--project-root", str(tmp_path), str(tmp_path))
    # the command shows paths relative to the project root; the library keeps them as given
    assert _relative_to(_api_findings(report), tmp_path) == findings
    assert report.exit_code() == code == 1
    by_root = {(f.location.path.split("/")[-2], f.rule) for f in report.findings}
    assert ("quiet", "AIT401") not in by_root
    assert {rule for root, rule in by_root if root == "strict"} == {"AIT401"}
