"""Same input, same bytes out: across hash seeds, directory orders, --jobs and a shared cache.

CI systems diff reports, baselines are committed, and SARIF uploads are
deduplicated by content, so every command's output must depend on the input
alone: not on ``PYTHONHASHSEED``, not on the order the file system lists a
directory in, not on how many workers parsed it, and not on another run
writing the same parse cache at the same moment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from aitask_lint.hcl import settings
from cli_runner import Invocation, Outcome, run_cli, run_forked

from conftest import FIXTURES, TASK_TEMPLATE

TEMPLATES = FIXTURES / "templates"

#: one invocation of every command (and every report format of check)
COMMANDS: list[list[str]] = [
    *(
        ["check", "-r", "{templates}", "--format", output_format]
        for output_format in ("text", "json", "sarif", "junit", "github")
    ),
    ["check", str(TASK_TEMPLATE / "plan.json"), "--format", "json"],
    ["check", str(TASK_TEMPLATE / "state.json"), "--format", "sarif"],
    ["tasks", "{templates}/multi-file", "--format", "json"],
    ["tasks", str(TASK_TEMPLATE / "plan.json"), "--format", "text"],
    ["convert", str(TASK_TEMPLATE / "plan.json"), "--deterministic-app-ids"],
    ["convert", str(TASK_TEMPLATE / "state.json"), "--deterministic-app-ids"],
    ["graph", "{templates}/modern-local-modules", "--format", "dot"],
    ["graph", "{templates}/multi-file", "--format", "mermaid"],
    ["graph", str(TASK_TEMPLATE / "plan.json"), "--format", "json"],
    ["rules", "--format", "json"],
    ["explain", "AIT203"],
]


def _start(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "aitask_lint", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
        cwd=cwd,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    stdout, stderr = process.communicate(timeout=300)
    assert "Traceback" not in stderr, stderr
    return process.returncode, stdout


def _run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    return _finish(_start(args, env, cwd))


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A copy of the fixture templates (relative paths in reports stay the same)."""
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path / "templates"


def _expand(args: list[str], templates: Path) -> list[str]:
    return [arg.replace("{templates}", str(templates)) for arg in args]


@pytest.mark.slow
def test_every_command_is_byte_identical_across_hash_seeds_and_jobs(
    templates: Path, tmp_path: Path
) -> None:
    """Three runs of every command, each with its own hash seed, worker count and cold cache.

    One process per seed forks a process per command (``run_forked``: a
    process per command cost 0.3 s of CPU, half of it importing); the three
    seeds run at the same time. Each command gets a parse cache of its own,
    cold (the compiled grammar comes with the package), except the five
    formats of ``check -r``: they share one, so the first parses cold (with
    the seed's worker count) and the others read the trees it wrote, the
    cache-hit path under each seed too.
    """
    variations = (("0", []), ("1", ["--jobs", "1"]), ("4242", ["--jobs", "2"]))

    def run_seed(seed: str, extra: list[str]) -> list[Outcome]:
        invocations = []
        for index, args in enumerate(COMMANDS):
            command = _expand(args, templates)
            options = extra if command[0] == "check" else []
            shared = command[:2] == ["check", "-r"]
            cache = tmp_path / (f"cache{seed}-check-r" if shared else f"cache{seed}-{index}")
            invocations.append(
                Invocation(
                    (*command, *options), {"AITASK_LINT_CACHE_DIR": str(cache)}, cwd=str(tmp_path)
                )
            )
        return run_forked(invocations, env={"PYTHONHASHSEED": seed})

    with ThreadPoolExecutor(len(variations)) as pool:
        seeds = list(pool.map(lambda variation: run_seed(*variation), variations))
    differing = []
    for index, args in enumerate(COMMANDS):
        for (seed, _extra), outcomes in zip(variations, seeds, strict=True):
            outcome = outcomes[index]
            assert "Traceback" not in outcome.stderr, (args, outcome.stderr)
            assert outcome.code in (0, 1), (args, seed, outcome)
            assert outcome.stdout, (args, seed)
        if len({(outcomes[index].code, outcomes[index].stdout) for outcomes in seeds}) != 1:
            differing.append(" ".join(args))
    assert not differing, f"output differs across hash seeds or --jobs: {differing}"


def test_directory_listing_order_does_not_matter(
    templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(templates.parent)
    commands = [
        ["check", "-r", "templates", "--format", "json", "--no-cache"],
        ["tasks", "templates/multi-file", "--format", "json"],
        ["graph", "templates/multi-file", "--format", "dot"],
    ]
    before = [run_cli(*command) for command in commands]
    monkeypatch.setattr(os, "listdir", lambda path=".": list(reversed(_listdir(path))))
    monkeypatch.setattr(os, "scandir", _reversed_scandir)
    after = [run_cli(*command) for command in commands]
    assert [(o.code, o.stdout) for o in after] == [(o.code, o.stdout) for o in before]
    assert all(o.code in (0, 1) and o.stdout for o in before)


_listdir, _scandir = os.listdir, os.scandir


class _reversed_scandir:  # noqa: N801 - stands in for the os.scandir function
    """``os.scandir`` listing backwards (``os.walk`` uses it)."""

    def __init__(self, path: str = ".") -> None:
        with _scandir(path) as entries:
            self.entries = iter(list(reversed(list(entries))))

    def __enter__(self) -> _reversed_scandir:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __iter__(self) -> _reversed_scandir:
        return self

    def __next__(self) -> os.DirEntry[str]:
        return next(self.entries)

    def close(self) -> None:
        return None


@pytest.mark.slow
def test_two_runs_sharing_a_cold_cache_both_give_the_right_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes filling one cold parse cache at once.

    The right answer is asked in this process, without the cache.
    """
    roots = tmp_path / "roots"
    for index in range(12):  # enough files for the worker pool
        shutil.copytree(TEMPLATES / "modern-local-modules", roots / f"t{index:02d}")
    command = ["check", "-r", str(roots), "--format", "json"]
    monkeypatch.chdir(tmp_path)
    # the CLI sets the process's parse settings (--jobs 1 would stay for later tests here)
    monkeypatch.setattr(settings, "SETTINGS", settings.Settings())
    monkeypatch.setattr(settings, "MEMO", {})
    answer = run_cli(*command, "--no-cache", "--jobs", "1")
    assert answer.stderr == ""
    expected = (answer.code, answer.stdout)
    shared = {"AITASK_LINT_CACHE_DIR": str(tmp_path / "shared-cache")}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "aitask_lint", *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **shared},
            cwd=tmp_path,
        )
        for _ in range(2)
    ]
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)
        assert (process.returncode, stdout) == expected, stderr
    assert not list((tmp_path / "shared-cache").rglob("*.tmp")), "no partial entry left behind"
    assert _run(command, shared, tmp_path) == expected  # and the cache they wrote is right
