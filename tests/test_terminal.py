"""Colour and progress: only on a terminal, never with NO_COLOR, never in machine formats."""

from __future__ import annotations

from cli_runner import Invocation, run_forked

from conftest import FIXTURES

BROKEN = FIXTURES / "examples" / "broken-template"


def run_on_terminal(*runs: tuple[tuple[str, ...], dict[str, str]]) -> list[tuple[str, str]]:
    """Run the CLI once per (arguments, environment) with stdout and stderr on
    pseudo-terminals; return what each received.

    Each run is a process of its own, forked from one (``run_forked``).
    """
    outcomes = run_forked(
        [
            Invocation(
                args,
                # a terminal emulator's TERM, whatever runs the tests
                {"NO_COLOR": None, "FORCE_COLOR": None, "TERM": "xterm-256color", **env},
                terminal=True,
            )
            for args, env in runs
        ]
    )
    return [(outcome.stdout, outcome.stderr) for outcome in outcomes]


def test_colour_on_a_terminal_only_without_no_color() -> None:
    (coloured, _e1), (plain, _e2), (as_json, _e3) = run_on_terminal(
        (("check", str(BROKEN)), {}),
        (("check", str(BROKEN)), {"NO_COLOR": "1"}),
        (("check", str(BROKEN), "--format", "json"), {}),
    )
    assert "\x1b[31merror\x1b[0m AIT401" in coloured
    assert "\x1b[" not in plain
    assert "\x1b[" not in as_json


def test_progress_on_a_terminal_for_many_roots() -> None:
    (_out, progress), (_out2, quiet) = run_on_terminal(
        (("check", "-r", str(FIXTURES / "templates")), {}),
        (("check", "-r", str(FIXTURES / "templates"), "--format", "sarif"), {}),
    )
    from aitask_lint.lint.roots import root_modules

    directories = sorted(
        str(d)
        for d in (FIXTURES / "templates").rglob("*")
        if d.is_dir() and any(d.glob("*.tf*")) and not any(p.startswith(".") for p in d.parts)
    )
    roots = len(root_modules(directories))  # modules called by a template are not roots
    assert f"[1/{roots}]" in progress
    assert f"[{roots}/{roots}]" in progress
    assert quiet == ""
