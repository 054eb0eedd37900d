"""Colour and progress: only on a terminal, never with NO_COLOR, never in machine formats."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from cli_runner import read_terminals

from conftest import FIXTURES

BROKEN = FIXTURES / "examples" / "broken-template"


def run_on_terminal(*args: str, env: dict[str, str] | None = None) -> tuple[str, str]:
    """Run the CLI with stdout and stderr on pseudo-terminals; return what each received."""
    out_master, out_slave = pty.openpty()
    err_master, err_slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "aitask_lint", *args],
        stdout=out_slave,
        stderr=err_slave,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")},
            "TERM": "xterm-256color",  # a terminal emulator's, whatever runs the tests
            **(env or {}),
        },
    )
    os.close(out_slave)
    os.close(err_slave)
    received = read_terminals([out_master, err_master])
    process.wait(timeout=60)
    os.close(out_master)
    os.close(err_master)
    return received[out_master].decode(), received[err_master].decode()


def test_colour_on_a_terminal_only_without_no_color() -> None:
    coloured, _err = run_on_terminal("check", str(BROKEN))
    assert "\x1b[31merror\x1b[0m AIT401" in coloured
    plain, _err = run_on_terminal("check", str(BROKEN), env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain
    as_json, _err = run_on_terminal("check", str(BROKEN), "--format", "json")
    assert "\x1b[" not in as_json


def test_progress_on_a_terminal_for_many_roots() -> None:
    _out, progress = run_on_terminal("check", "-r", str(FIXTURES / "templates"))
    from aitask_lint.lint.roots import root_modules

    directories = sorted(
        str(d)
        for d in (FIXTURES / "templates").rglob("*")
        if d.is_dir() and any(d.glob("*.tf*")) and not any(p.startswith(".") for p in d.parts)
    )
    roots = len(root_modules(directories))  # modules called by a template are not roots
    assert f"[1/{roots}]" in progress
    assert f"[{roots}/{roots}]" in progress
    _out, quiet = run_on_terminal("check", "-r", str(FIXTURES / "templates"), "--format", "sarif")
    assert quiet == ""
