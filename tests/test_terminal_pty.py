"""``check`` as a person sees it in a terminal, and as a script sees it through a pipe.

The CLI runs with standard output and error on pseudo-terminals (what a shell
in a terminal emulator gives it). What the screen shows is checked after the
terminal has interpreted the escape sequences: colour and bold are real
attributes, never literal ``\\x1b[1m`` text (which is what the sanitiser
made of the bold codes it was wrongly handed), and every finding comes with
its source lines, a caret underline and its rule's link. When tmux is
installed the output is also rendered by a real terminal emulator and read
back with ``capture-pane``. Piped, the same run is one plain line per finding.
"""

from __future__ import annotations

import functools
import os
import pty
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_runner import Invocation, Outcome, read_terminals, run_forked

from conftest import FIXTURES, ROOT

BROKEN = FIXTURES / "examples" / "broken-template"
SRC = ROOT / "src"
#: SGR sequences (colour, bold, reset): what a terminal turns into attributes
SGR = re.compile(r"\x1b\[[0-9;]*m")
FINDING_LINE = re.compile(r"^\S[^:]*:\d+:\d+: (error|warning|info) AIT\d{3} \S")
#: the findings of the broken example, in order: (line:col, severity, rule)
EXPECTED = [
    ("19:1", "warning", "AIT303"),
    # AIT106 and AIT109 describe the same missing output: folded into AIT301
    ("28:1", "info", "AIT503"),
    ("30:12", "error", "AIT301"),
    ("35:14", "error", "AIT401"),
]


#: (arguments, environment) of the colour cases on a terminal, and through a pipe
COLOUR_ON_A_TERMINAL: list[tuple[tuple[str, ...], dict[str, str], bool]] = [
    ((), {"NO_COLOR": "1"}, False),
    ((), {"TERM": "dumb"}, False),
    ((), {"NO_COLOR": ""}, True),
    ((), {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True),
    (("--color", "never"), {}, False),
    (("--color", "always"), {"NO_COLOR": "1"}, True),
    (("--color", "never"), {"FORCE_COLOR": "1"}, False),
]
COLOUR_THROUGH_A_PIPE: list[tuple[tuple[str, ...], dict[str, str], bool]] = [
    ((), {"FORCE_COLOR": "1"}, True),
    ((), {"FORCE_COLOR": "0"}, False),
    (("--color", "always"), {}, True),
    ((), {}, False),
]
MACHINE_FORMATS = ("json", "sarif", "junit", "github")

#: every run of the broken example below: (arguments, environment, on a terminal)
_BROKEN_RUNS: list[tuple[tuple[str, ...], dict[str, str], bool]] = [
    (("check", str(BROKEN)), {}, True),
    (("check", str(BROKEN)), {}, False),
    (("check", str(BROKEN), "--output-format", "concise"), {}, True),
    (("check", str(BROKEN), "--format", "concise"), {}, True),
    (("check", str(BROKEN)), {"AITASK_LINT_OUTPUT_FORMAT": "concise"}, True),
    *((("check", str(BROKEN), *a), e, True) for a, e, _c in COLOUR_ON_A_TERMINAL),
    *((("check", str(BROKEN), *a), e, False) for a, e, _c in COLOUR_THROUGH_A_PIPE),
    *((("check", str(BROKEN), "--format", f), {}, True) for f in MACHINE_FORMATS),
]


def _key(args: tuple[str, ...], env: dict[str, str] | None, terminal: bool) -> str:
    return repr((args, sorted((env or {}).items()), terminal))


@functools.cache
def _broken_runs() -> dict[str, Outcome]:
    """The runs above, each a process forked from one (``run_forked``): 0.2 s of CPU less each."""
    unset = {"NO_COLOR": None, "FORCE_COLOR": None, "AITASK_LINT_OUTPUT_FORMAT": None}
    invocations = [
        Invocation(args, {**unset, "TERM": "xterm-256color", **env}, terminal)
        for args, env, terminal in _BROKEN_RUNS
    ]
    outcomes = run_forked(invocations, env={"PYTHONPATH": str(SRC)})
    return {
        _key(args, env, terminal): outcome
        for (args, env, terminal), outcome in zip(_BROKEN_RUNS, outcomes, strict=True)
    }


def _environment(extra: dict[str, str] | None) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    base.pop("AITASK_LINT_OUTPUT_FORMAT", None)
    base["PYTHONPATH"] = str(SRC)
    base["TERM"] = "xterm-256color"  # what a terminal emulator sets (not "dumb")
    return {**base, **(extra or {})}


def on_terminal(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[str, str, int]:
    """Run the CLI with stdout and stderr on pseudo-terminals: (stdout, stderr, status)."""
    # the terminal's line discipline turns "\n" into "\r\n"
    decode = lambda data: data.decode().replace("\r\n", "\n")  # noqa: E731
    ran = _broken_runs().get(_key(args, env, True)) if cwd is None else None
    if ran is not None:
        return decode(ran.stdout.encode()), decode(ran.stderr.encode()), ran.code
    out_master, out_slave = pty.openpty()
    err_master, err_slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "aitask_lint", *args],
        stdin=subprocess.DEVNULL,
        stdout=out_slave,
        stderr=err_slave,
        env=_environment(env),
        cwd=cwd,
    )
    os.close(out_slave)
    os.close(err_slave)
    received = read_terminals([out_master, err_master])
    status = process.wait(timeout=60)
    os.close(out_master)
    os.close(err_master)
    return decode(received[out_master]), decode(received[err_master]), status


def piped(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    ran = _broken_runs().get(_key(args, env, False))
    if ran is not None:
        return subprocess.CompletedProcess(args, ran.code, ran.stdout, ran.stderr)
    return subprocess.run(
        [sys.executable, "-m", "aitask_lint", *args],
        capture_output=True,
        text=True,
        env=_environment(env),
        timeout=60,
        check=False,
    )


def screen_text(output: str) -> str:
    """What the screen shows: SGR sequences become attributes, not characters."""
    return SGR.sub("", output)


def test_terminal_shows_bold_locations_coloured_severities_and_snippets() -> None:
    output, _err, status = on_terminal("check", str(BROKEN))
    assert status == 1
    shown = screen_text(output)
    assert "\\x1b" not in shown  # no escape sequence printed as text
    assert "\x1b" not in shown  # and nothing but SGR sent raw
    headlines = [line for line in output.splitlines() if line.startswith("\x1b[1m")]
    assert len(headlines) == len(EXPECTED)
    for line, (where, severity, rule) in zip(headlines, EXPECTED, strict=True):
        colour = {"error": "31", "warning": "33", "info": "36"}[severity]
        expected = f"main.tf:{where}\x1b[0m: \x1b[{colour}m{severity}\x1b[0m {rule} "
        assert re.match(r"\x1b\[1m[^\x1b]*" + re.escape(expected), line), line
        assert f"= help: aitask-lint explain {rule}" in shown
    # the slug finding's source line, underlined under exactly the slug
    assert '35 |   slug     = "Preview_App"\n   |              ^^^^^^^^^^^^^\n' in shown
    assert "\x1b[31m^^^^^^^^^^^^^\x1b[0m" in output  # the underline in the severity's colour
    # a block span: underlined on its first line, with where it ends
    assert '19 | module "claude-code" {\n   | ^^^^^^^^^^^^^^^^^^^^^^ (to line 25)' in shown
    assert shown.count("= help: aitask-lint explain ") == len(EXPECTED)
    assert shown.rstrip().endswith(
        "1 file checked: 2 errors, 1 warning, 1 info\n"
        "[*] 1 fixable with the --fix option.\n"
        "1 hidden fix can be enabled with the --unsafe-fixes option."
    )


def test_piped_output_is_one_plain_line_per_finding() -> None:
    result = piped("check", str(BROKEN))
    assert result.returncode == 1
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == len(EXPECTED) + 1
    for line, (where, severity, rule) in zip(lines, EXPECTED, strict=False):
        assert FINDING_LINE.match(line), line
        assert f":{where}: {severity} {rule} " in line
    assert lines[-1] == "1 file checked: 2 errors, 1 warning, 1 info"


def test_concise_on_a_terminal_is_one_coloured_line_per_finding() -> None:
    for option in ("--output-format", "--format"):
        output, _err, _status = on_terminal("check", str(BROKEN), option, "concise")
        lines = screen_text(output).splitlines()
        assert len(lines) == len(EXPECTED) + 1
        assert all(FINDING_LINE.match(line) for line in lines[:-1]), lines
        assert "\x1b[31merror\x1b[0m" in output
    configured = on_terminal("check", str(BROKEN), env={"AITASK_LINT_OUTPUT_FORMAT": "concise"})
    assert "^^^" not in configured[0] and len(configured[0].splitlines()) == len(EXPECTED) + 1


@pytest.mark.parametrize(("args", "env", "coloured"), COLOUR_ON_A_TERMINAL)
def test_colour_choice_on_a_terminal(
    args: tuple[str, ...], env: dict[str, str], coloured: bool
) -> None:
    output, _err, _status = on_terminal("check", str(BROKEN), *args, env=env)
    assert ("\x1b[" in output) is coloured
    assert "^^^" in output  # snippets are about the terminal, not about colour
    assert "\\x1b" not in output


@pytest.mark.parametrize(("args", "env", "coloured"), COLOUR_THROUGH_A_PIPE)
def test_colour_choice_through_a_pipe(
    args: tuple[str, ...], env: dict[str, str], coloured: bool
) -> None:
    result = piped("check", str(BROKEN), *args, env=env)
    assert ("\x1b[31merror\x1b[0m" in result.stdout) is coloured
    assert "^^^" not in result.stdout and "\\x1b" not in result.stdout
    assert len(result.stdout.splitlines()) == len(EXPECTED) + 1


def test_machine_formats_stay_plain_on_a_terminal() -> None:
    for fmt in MACHINE_FORMATS:
        output, _err, _status = on_terminal("check", str(BROKEN), "--format", fmt)
        assert "\x1b" not in output, fmt


def test_hostile_source_text_in_a_snippet_is_escaped(tmp_path: Path) -> None:
    template = tmp_path / "t"
    template.mkdir()
    # on the line above the finding (shown as context) a comment that clears the screen,
    # sets the window title and reverses the text; on the finding's line another escape
    source = (
        (BROKEN / "main.tf")
        .read_text()
        .replace(
            '  slug     = "Preview_App"',
            '  # \x1b[2J\x1b]0;pwned\x07 \u202eevil\n  slug     = "Preview_App" # \x1b[5m',
        )
    )
    (template / "main.tf").write_text(source)
    output, _err, _status = on_terminal("check", str(template), "--select", "AIT401")
    for raw in ("\x1b[2J", "\x1b]0;", "\x07", "\u202e", "\x1b[5m"):
        assert raw not in output
    shown = screen_text(output)
    assert "35 |   # \\x1b[2J\\x1b]0;pwned\\x07 \\u202eevil\n" in shown
    assert '36 |   slug     = "Preview_App" # \\x1b[5m\n   |              ^^^^^^^^^^^^^\n' in shown


def test_progress_line_escapes_directory_names(tmp_path: Path) -> None:
    hostile = "evil\x1b]0;pwned\x07\x1b[2J"
    for name in ("a", hostile):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text('resource "coder_agent" "main" {}\n')
    _out, progress, _status = on_terminal("check", "-r", str(tmp_path))
    assert "[2/2]" in progress
    assert "\x1b]0;" not in progress and "\x1b[2J" not in progress
    assert "evil\\x1b]0;pwned\\x07\\x1b[2J" in progress
    # the progress line's own erase-line sequence is sent raw, as the terminal needs it
    assert "\r\x1b[K[1/2]" in progress


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_rendered_by_a_terminal_emulator(tmp_path: Path) -> None:
    """tmux interprets the output as a terminal does; capture-pane reads the screen back."""
    session = f"aitask-lint-test-{os.getpid()}"
    done = tmp_path / "done"
    command = (
        f"PYTHONPATH={SRC} {sys.executable} -m aitask_lint check {BROKEN}; touch {done}; sleep 60"
    )
    env = _environment(None)
    env.pop("TMUX", None)
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "120", command],
        check=True,
        env=env,
        timeout=30,
    )
    try:
        deadline = time.monotonic() + 60
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert done.exists()

        def capture(*flags: str) -> str:
            return subprocess.run(
                ["tmux", "capture-pane", "-p", *flags, "-t", session],
                capture_output=True,
                text=True,
                check=True,
                timeout=30,
            ).stdout

        screen = capture()
        attributes = capture("-e")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False, timeout=30)
    assert "\\x1b" not in screen and "\x1b" not in screen
    assert "^^^^^^^^^^^^^" in screen and "35 |   slug" in screen
    assert "1 file checked: 2 errors, 1 warning, 1 info" in screen
    # bold location and red severity, as the terminal holds them (tmux re-encodes SGR)
    assert re.search(r"\x1b\[1m[^\n]*main\.tf:35:14", attributes)
    assert re.search(r"\x1b\[31m(\x1b\[\d+m)*error", attributes)
