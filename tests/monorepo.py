"""A small git repository of templates, as platform teams keep them (issue 11).

``templates/a`` calls ``templates/a/modules/x`` through a local source and
reads an output ``x`` does not declare; ``templates/b`` is the broken example.
Only a ``.git`` directory is created (no git command): that is what marks the
project root.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES

A_MAIN = """\
resource "coder_agent" "main" {
  arch = "amd64"
  os   = "linux"
}

module "x" {
  source   = "./modules/x"
  agent_id = coder_agent.main.id
}

resource "coder_ai_task" "task" {
  app_id = module.x.task_app_id
}

resource "null_resource" "vm" {
  triggers = {
    token = coder_agent.main.token
  }
}
"""

X_MAIN = """\
variable "agent_id" {
  type = string
}

resource "coder_app" "claude" {
  agent_id = var.agent_id
  slug     = "claude"
  url      = "http://localhost:3284/"
}

output "app_id" {
  value = coder_app.claude.id
}
"""


def make_monorepo(root: Path) -> Path:
    """Create the repository under ``root``; return its path."""
    repo = root / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "templates" / "a" / "modules" / "x").mkdir(parents=True)
    (repo / "templates" / "a" / "main.tf").write_text(A_MAIN)
    (repo / "templates" / "a" / "modules" / "x" / "main.tf").write_text(X_MAIN)
    (repo / "templates" / "b").mkdir(parents=True)
    shutil.copy(FIXTURES / "examples" / "broken-template" / "main.tf", repo / "templates" / "b")
    return repo
