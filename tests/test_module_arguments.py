"""A module call's arguments flow into the module, as Terraform binds them (issue 13).

A template's arguments (literals, variables with defaults, locals,
conditionals) are evaluated in the caller and bound to the module's inputs,
for registry modules known to the catalog and local modules alike; where the
caller passes nothing the module variable's default applies, and a module
scanned alone uses its own variables' defaults for the calls it makes. The
per-release facts come from ``../shared/reference/registry-module-inputs.md``:
which releases pass ``subdomain`` on to AgentAPI (AIT205 follows the argument)
and which leave AgentAPI's ``true`` whatever is passed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aitask_lint.lint.context import LintOptions
from aitask_lint.lint.findings import Finding
from aitask_lint.lint.registry import all_rules
from aitask_lint.lint.runner import Selection, lint

PROVIDERS = """\
terraform {
  required_providers {
    coder = {
      source  = "coder/coder"
      version = ">= 2.13"
    }
  }
}
"""

WORKSPACE = """\
resource "coder_agent" "main" {
  arch = "amd64"
  os   = "linux"
}

resource "null_resource" "workspace" {
  triggers = {
    token = coder_agent.main.token
  }
}
"""

#: (registry source, version, exports task_app_id) of releases whose ``subdomain``
#: input is passed to AgentAPI as ``agentapi_subdomain``
PASSES_SUBDOMAIN = [
    ("coder/claude-code", "2.2.0", False),  # self-contained: its own app reads var.subdomain
    ("coder/claude-code", "3.0.0", False),
    ("coder/claude-code", "3.4.4", False),
    ("coder/claude-code", "4.3.0", True),
    ("coder/claude-code", "4.9.2", True),
    ("coder/goose", "2.1.0", False),
    ("coder/goose", "2.1.2", False),
    ("coder-labs/copilot", "0.1.0", False),
    ("coder-labs/copilot", "0.4.1", True),
    ("coder-labs/opencode", "0.1.2", True),
    ("coder-labs/codex", "3.0.0", False),
    ("coder-labs/codex", "4.3.1", True),
    ("coder/aider", "2.0.1", False),
]

#: releases whose task app keeps AgentAPI's ``subdomain = true``: no input passes it on
ALWAYS_SUBDOMAIN = [
    ("coder-labs/gemini", "1.0.0", False),
    ("coder-labs/gemini", "3.0.2", True),
    ("coder-labs/auggie", "0.1.0", False),
    ("coder-labs/auggie", "0.3.0", True),
    ("coder-labs/cursor-cli", "0.3.0", True),
    ("coder-labs/sourcegraph-amp", "1.0.0", False),
    ("coder-labs/sourcegraph-amp", "3.0.0", True),
    ("coder/amazon-q", "2.0.0", False),
    ("coder/amazon-q", "3.0.1", True),
    ("harleylrn/kiro-cli", "1.0.1", True),
    ("coder-labs/codex", "2.1.1", False),
]


def _template(key: str, version: str, exports: bool, arguments: str = "") -> str:
    task = (
        '\nresource "coder_ai_task" "task" {\n  app_id = module.agent.task_app_id\n}\n'
        if exports
        else ""
    )
    return (
        f"{PROVIDERS}\n{WORKSPACE}\n"
        f'module "agent" {{\n'
        f'  source   = "registry.coder.com/{key}/coder"\n'
        f'  version  = "{version}"\n'
        f"  agent_id = coder_agent.main.id\n"
        f"{arguments}"
        f"}}\n{task}"
    )


def _findings(directory: Path, rule: str) -> list[Finding]:
    report, _unusable = lint([str(directory)], LintOptions(), Selection(select=[rule]))
    return [f for f in report.findings if f.rule == rule]


def _write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return directory


def _subdomain_findings(tmp_path: Path, key: str, version: str, exports: bool, line: str) -> int:
    _write(tmp_path, {"main.tf": _template(key, version, exports, line)})
    found = _findings(tmp_path, "AIT205")
    assert all("may use" not in f.message for f in found), "a literal is known, not a maybe"
    return len(found)


@pytest.mark.parametrize(("key", "version", "exports"), PASSES_SUBDOMAIN)
def test_subdomain_false_is_passed_on(
    tmp_path: Path, key: str, version: str, exports: bool
) -> None:
    assert _subdomain_findings(tmp_path, key, version, exports, "  subdomain = false\n") == 0


@pytest.mark.parametrize(("key", "version", "exports"), PASSES_SUBDOMAIN)
def test_subdomain_true_is_passed_on(tmp_path: Path, key: str, version: str, exports: bool) -> None:
    assert _subdomain_findings(tmp_path, key, version, exports, "  subdomain = true\n") == 1


@pytest.mark.parametrize("line", ["", "  subdomain = false\n", "  subdomain = true\n"])
@pytest.mark.parametrize(("key", "version", "exports"), ALWAYS_SUBDOMAIN)
def test_releases_without_the_input_keep_agentapis_subdomain(
    tmp_path: Path, key: str, version: str, exports: bool, line: str
) -> None:
    assert _subdomain_findings(tmp_path, key, version, exports, line) == 1


@pytest.mark.skipif(
    "AIT306" not in {rule.id for rule in all_rules()},
    reason="AIT306 (Unsupported argument) is not in this build's catalog",
)
@pytest.mark.parametrize(("key", "version", "exports"), ALWAYS_SUBDOMAIN)
def test_passing_subdomain_to_a_release_without_it_is_unsupported(
    tmp_path: Path, key: str, version: str, exports: bool
) -> None:
    _write(tmp_path, {"main.tf": _template(key, version, exports, "  subdomain = false\n")})
    messages = [f.message for f in _findings(tmp_path, "AIT306")]
    assert any("subdomain" in m for m in messages), messages


@pytest.mark.parametrize(
    ("key", "version", "exports", "fires"),
    [
        ("coder/claude-code", "4.3.0", True, False),  # input default false
        ("coder/goose", "2.1.0", False, True),  # input default true
        ("coder/goose", "2.1.2", False, False),  # input default false
        ("coder/claude-code", "2.2.0", False, True),  # input default true
    ],
)
def test_the_inputs_default_applies_when_nothing_is_passed(
    tmp_path: Path, key: str, version: str, exports: bool, fires: bool
) -> None:
    assert _subdomain_findings(tmp_path, key, version, exports, "") == int(fires)


@pytest.mark.parametrize(
    ("declarations", "argument", "fires"),
    [
        ('variable "sub" {\n  default = false\n}\n', "var.sub", False),
        ('variable "sub" {\n  default = true\n}\n', "var.sub", True),
        ("locals {\n  sub = true\n}\n", "local.sub", True),
        ('variable "on" {\n  default = false\n}\n', "var.on ? true : false", False),
        ('variable "on" {\n  default = true\n}\n', "var.on ? var.on : false", True),
    ],
)
def test_arguments_are_evaluated_in_the_caller(
    tmp_path: Path, declarations: str, argument: str, fires: bool
) -> None:
    _write(
        tmp_path,
        {
            "main.tf": _template("coder/claude-code", "4.3.0", True, f"  subdomain = {argument}\n"),
            "inputs.tf": declarations,
        },
    )
    assert len(_findings(tmp_path, "AIT205")) == int(fires)


def test_an_unknown_argument_never_falls_back_to_the_default(tmp_path: Path) -> None:
    # goose 2.1.0 defaults to true; the caller passes a value set at push time
    _write(
        tmp_path,
        {
            "main.tf": _template("coder/goose", "2.1.0", False, "  subdomain = var.sub\n"),
            "inputs.tf": 'variable "sub" {\n  type = bool\n}\n',
        },
    )
    assert _findings(tmp_path, "AIT205") == []


def test_an_unknown_argument_with_a_true_branch_says_may(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": _template(
                "coder/claude-code", "4.3.0", True, "  subdomain = var.on ? true : false\n"
            ),
            "inputs.tf": 'variable "on" {\n  type = bool\n}\n',
        },
    )
    (finding,) = _findings(tmp_path, "AIT205")
    assert "may use subdomain = true" in finding.message
    # the template's own argument is named and pointed at, not the catalog's line
    assert '`subdomain = var.on ? true : false` in the call of module "agent"' in finding.message
    lines = (tmp_path / "main.tf").read_text("utf-8").splitlines()
    assert finding.location.line == lines.index("  subdomain = var.on ? true : false") + 1


VENDORED = """\
variable "agent_id" {
  type = string
}

variable "subdomain" {
  type    = bool
  default = false
}

module "agentapi" {
  source               = "registry.coder.com/coder/agentapi/coder"
  version              = "1.2.0"
  agent_id             = var.agent_id
  web_app_slug         = "aider"
  web_app_display_name = "Aider"
  web_app_icon         = "/icon/aider.svg"
  cli_app_slug         = "aider-cli"
  cli_app_display_name = "Aider CLI"
  module_dir_name      = ".aider-module"
  start_script         = "#!/bin/bash"
  agentapi_subdomain   = var.subdomain
}
"""


@pytest.mark.parametrize(("argument", "fires"), [("", False), ("  subdomain = true\n", True)])
def test_a_local_module_passes_the_callers_argument_on(
    tmp_path: Path, argument: str, fires: bool
) -> None:
    template = (
        f"{PROVIDERS}\n{WORKSPACE}\n"
        'module "aider" {\n  source   = "./modules/aider"\n  agent_id = coder_agent.main.id\n'
        f"{argument}}}\n"
    )
    _write(tmp_path, {"main.tf": template, "modules/aider/main.tf": VENDORED})
    assert len(_findings(tmp_path, "AIT205")) == int(fires)


@pytest.mark.parametrize(("default", "fires"), [("false", False), ("true", True)])
def test_a_module_scanned_alone_uses_its_variables_defaults(
    tmp_path: Path, default: str, fires: bool
) -> None:
    # aider 2.x's shape: AgentAPI 1.2.0 creates the task, subdomain comes from var.subdomain
    module = VENDORED.replace("default = false", f"default = {default}")
    _write(tmp_path, {"main.tf": PROVIDERS + "\n" + module})
    assert len(_findings(tmp_path, "AIT205")) == int(fires)


def _agentapi(name: str, port: str) -> str:
    return (
        f'module "{name}" {{\n'
        '  source               = "registry.coder.com/coder/agentapi/coder"\n'
        '  version              = "2.0.0"\n'
        "  agent_id             = coder_agent.main.id\n"
        f'  web_app_slug         = "{name}"\n'
        f'  web_app_display_name = "{name}"\n'
        '  web_app_icon         = "/icon/code.svg"\n'
        f'  cli_app_slug         = "{name}-cli"\n'
        f'  cli_app_display_name = "{name} CLI"\n'
        f'  module_dir_name      = ".{name}"\n'
        '  start_script         = "#!/bin/bash"\n'
        f"{port}}}\n"
    )


@pytest.mark.parametrize(("port", "collides"), [("", True), ("  agentapi_port = 3285\n", False)])
def test_agentapi_port_moves_the_app_and_ait206_compares_it(
    tmp_path: Path, port: str, collides: bool
) -> None:
    template = _template("coder/claude-code", "4.3.0", True) + "\n" + _agentapi("mine", port)
    _write(tmp_path, {"main.tf": template})
    assert len(_findings(tmp_path, "AIT206")) == int(collides)


def test_an_unknown_port_is_not_taken_for_the_default(tmp_path: Path) -> None:
    # set when the template is pushed: it may be 3284, but nothing says it is
    template = (
        _template("coder/claude-code", "4.3.0", True)
        + "\n"
        + _agentapi("mine", "  agentapi_port = var.port\n")
        + 'variable "port" {\n  type = number\n}\n'
    )
    _write(tmp_path, {"main.tf": template})
    assert _findings(tmp_path, "AIT206") == []


def test_agentapi_port_builds_the_url_and_healthcheck(tmp_path: Path) -> None:
    from aitask_lint.analysis.tasks import TaskAnalysis
    from aitask_lint.model.from_hcl import load_configuration

    template = PROVIDERS + "\n" + WORKSPACE + "\n" + _agentapi("mine", "  agentapi_port = 3285\n")
    _write(tmp_path, {"main.tf": template})
    tree = load_configuration(str(tmp_path))
    analysis = TaskAnalysis(tree)
    module = tree.module_at(("mine",))
    assert module is not None
    app = module.resources["coder_app.agentapi_web"]
    (healthcheck,) = app.blocks_of("healthcheck")
    assert analysis.chain(app, module).url == "http://localhost:3285/"
    assert analysis.evaluator.value(healthcheck.attributes["url"], module) == (
        "http://localhost:3285/status"
    )
