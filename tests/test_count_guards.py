"""Which fixed-index reads are guarded by their target's own count (AIT109).

``lint.count_guards.unguarded_refs`` decides whether a reference such as
``module.m[0].task_app_id`` can read an instance that does not exist. Terraform
evaluates only the branch a conditional takes, so a read in the branch where
the target's count condition holds (or ``length(target) > 0``) is safe.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aitask_lint.lint.count_guards import unguarded_refs
from aitask_lint.model.from_hcl import load_configuration

TARGETS = """\
variable "on" {
  default = true
}

resource "coder_app" "web" {
  count    = var.on ? 1 : 0
  agent_id = "a"
  slug     = "web"
}

resource "coder_app" "cli" {
  count    = var.on ? 0 : 1
  agent_id = "a"
  slug     = "cli"
}
"""


def _unguarded(tmp_path: Path, app_id: str) -> list[str]:
    task = f'resource "coder_ai_task" "task" {{\n  app_id = {app_id}\n}}\n'
    (tmp_path / "main.tf").write_text(TARGETS + task, encoding="utf-8")
    root = load_configuration(str(tmp_path)).root
    expression = root.resources["coder_ai_task.task"].attributes["app_id"]
    return [ref.text for ref in unguarded_refs(expression, root)]


@pytest.mark.parametrize(
    "app_id",
    [
        'var.on ? coder_app.web[0].id : ""',
        '!var.on ? "" : coder_app.web[0].id',
        '(var.on) ? try(coder_app.web[0].id, "") : ""',
        'length(coder_app.web) > 0 ? coder_app.web[0].id : ""',
        'length(coder_app.web) == 0 ? "" : coder_app.web[0].id',
        "var.on ? coder_app.web[0].id : coder_app.cli[0].id",
    ],
)
def test_guarded_reads(tmp_path: Path, app_id: str) -> None:
    assert _unguarded(tmp_path, app_id) == []


@pytest.mark.parametrize(
    ("app_id", "unguarded"),
    [
        ('try(coder_app.web[0].id, "")', ["coder_app.web[0].id"]),
        ('var.on ? "" : coder_app.web[0].id', ["coder_app.web[0].id"]),  # the wrong branch
        (
            "var.on ? coder_app.cli[0].id : coder_app.web[0].id",
            ["coder_app.cli[0].id", "coder_app.web[0].id"],
        ),
        ('length(coder_app.cli) > 0 ? coder_app.web[0].id : ""', ["coder_app.web[0].id"]),
    ],
)
def test_unguarded_reads(tmp_path: Path, app_id: str, unguarded: list[str]) -> None:
    assert _unguarded(tmp_path, app_id) == unguarded
