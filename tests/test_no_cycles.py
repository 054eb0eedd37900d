"""A lint run leaves no reference cycles behind.

The CLI runs with Python's cycle collector off (it costs 20-40% of a large
run), so anything a run creates must be freed by reference counting alone; a
cycle would keep a whole root's model alive until the process ends (a 500
template run grew to 250 MB before this was checked).
"""

from __future__ import annotations

import gc

import pytest

from aitask_lint.hcl import files, settings

from conftest import FIXTURES, TASK_TEMPLATE

INPUTS = [
    FIXTURES / "templates" / "modern-local-modules",
    FIXTURES / "templates" / "registry-catalog",
    FIXTURES / "templates" / "heredoc-dynamic",
    FIXTURES / "examples" / "broken-template",
    TASK_TEMPLATE / "plan.json",
    TASK_TEMPLATE / "state.json",
]


@pytest.mark.parametrize("use_cache", [False, True])
def test_linting_creates_no_reference_cycles(
    use_cache: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aitask_lint.lint.runner import lint

    monkeypatch.setattr(settings, "SETTINGS", settings.Settings(cache=use_cache, jobs=1))
    paths = [str(path) for path in INPUTS]
    lint(paths)  # first run: imports, grammar, caches of the process
    files.forget()
    enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        report, _unusable = lint(paths)
        files.forget()
        del report
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
