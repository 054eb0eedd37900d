"""A root cut short by the run's input total is reported by one line, never judged half-read.

Past ``AITASK_LINT_MAX_TOTAL_SOURCE_BYTES`` the remaining files are not read;
a template whose module was not read would otherwise get rule findings about
outputs "missing" from a module nobody looked at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli_runner import run_cli

from conftest import FIXTURES


def test_a_root_past_the_run_total_gets_one_ait001_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    for name in ("t1", "t2", "t3"):
        shutil.copytree(FIXTURES / "examples" / "task-template", tmp_path / name)
    everything = sum(p.stat().st_size for p in tmp_path.rglob("*.tf"))
    # room for every file but the last one read
    monkeypatch.setenv("AITASK_LINT_MAX_TOTAL_SOURCE_BYTES", str(everything - 1))
    monkeypatch.chdir(tmp_path)
    outcome = run_cli("check", "-r", ".", "--no-cache", "--format", "concise", "--ignore", "AIT5")
    assert outcome.code == 2
    lines = [line for line in outcome.stdout.splitlines() if " AIT" in line]
    cut = {line.split("/", 1)[0] for line in lines if "too much source in one run" in line}
    assert len(cut) == 1, lines
    for line in lines:
        # no rule judges the half-read template: only the line saying why it was cut short
        assert "error AIT001 too much source in one run" in line, line
        assert "AITASK_LINT_MAX_TOTAL_SOURCE_BYTES" in line
    # the templates read in full are judged as usual: this one is clean
    assert len(lines) == 1
