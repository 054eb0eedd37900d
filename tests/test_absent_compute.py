"""A resource with no instance (count 0, empty for_each) is not an agent's compute.

Coder attaches an agent to the closest managed resource in the plan that
depends on it; a resource whose ``count`` is statically 0, whose ``for_each``
is empty, or whose module call has no instance, is not in the plan. The chain
(``aitask-lint tasks``), AIT202 and AIT410 say which resource that is, since
"nothing depends on the agent" would send the author looking for a token.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aitask_lint.analysis.tasks import TaskAnalysis
from aitask_lint.model.from_hcl import load_configuration

AGENT = """\
resource "coder_agent" "main" {
  arch = "amd64"
  os   = "linux"
}
"""

COMPUTE = """\
module "box" {
  source = "./box"
  %s
  token  = coder_agent.main.token
}
"""

BOX = """\
variable "token" {
  type = string
}

resource "null_resource" "vm" {
  %s
  triggers = {
    token = var.token
  }
}
"""


def _analysis(tmp_path: Path, call_meta: str, resource_meta: str) -> TaskAnalysis:
    (tmp_path / "box").mkdir()
    (tmp_path / "box" / "main.tf").write_text(BOX % resource_meta, encoding="utf-8")
    (tmp_path / "main.tf").write_text(AGENT + COMPUTE % call_meta, encoding="utf-8")
    return TaskAnalysis(load_configuration(str(tmp_path)))


@pytest.mark.parametrize(
    ("call_meta", "resource_meta"),
    [
        ("count = 0", ""),
        ("for_each = {}", ""),
        ("", "count = 0"),
        ("", "for_each = {}"),
    ],
)
def test_a_resource_without_instances_is_not_compute(
    tmp_path: Path, call_meta: str, resource_meta: str
) -> None:
    analysis = _analysis(tmp_path, call_meta, resource_meta)
    agent = analysis.tree.root.resources["coder_agent.main"]
    assert analysis.compute_of(agent) is None
    reason = analysis.no_compute_reason(agent)
    assert "`module.box.null_resource.vm`" in reason
    assert "has no instance" in reason


@pytest.mark.parametrize("meta", ["count = 1", "count = length(var.token)", ""])
def test_a_resource_that_may_exist_is_compute(tmp_path: Path, meta: str) -> None:
    analysis = _analysis(tmp_path, "", meta)
    agent = analysis.tree.root.resources["coder_agent.main"]
    compute = analysis.compute_of(agent)
    assert compute is not None and compute.address == "module.box.null_resource.vm"
