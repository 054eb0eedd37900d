"""Boilerplate shared by the rules' documentation examples.

A rule's example shows only what the rule is about; to be linted as written
(``tests/test_rule_docs_examples.py``) it must still be a whole template: a
provider constraint, an agent and the compute resource that keeps the agent,
often a task app. Those parts live here once, and the docs show them folded.
"""

from __future__ import annotations

from aitask_lint.lint.rule import Preamble

_PROVIDERS = """\
terraform {
  required_providers {
    coder = {
      source  = "coder/coder"
      version = ">= 2.13"
    }
    docker = {
      source = "kreuzwerker/docker"
    }
  }
}
"""

_AGENT = """\
data "coder_workspace" "me" {}

resource "coder_agent" "main" {
  os   = "linux"
  arch = "amd64"
}

resource "docker_container" "workspace" {
  count = data.coder_workspace.me.start_count
  image = "codercom/enterprise-base:ubuntu"
  env   = ["CODER_AGENT_TOKEN=${coder_agent.main.token}"]
}
"""

_CHAT_APP = """\
resource "coder_app" "chat" {
  agent_id     = coder_agent.main.id
  slug         = "chat"
  display_name = "Chat"
  url          = "http://localhost:3284/"
  healthcheck {
    url       = "http://localhost:3284/status"
    interval  = 3
    threshold = 20
  }
}
"""

_TASK_OF_CHAT = """\
resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = coder_app.chat.id
}
"""

_AGENTAPI_MODULE = """\
terraform {
  required_providers {
    coder = {
      source = "coder/coder"
    }
  }
}

variable "agent_id" {
  type = string
}

resource "coder_app" "agentapi_web" {
  agent_id = var.agent_id
  slug     = "ccw"
  url      = "http://localhost:3284/"
  healthcheck {
    url       = "http://localhost:3284/status"
    interval  = 3
    threshold = 20
  }
}
"""

#: only the terraform block: the coder provider (and docker for the compute)
PROVIDERS = Preamble("the terraform block requiring coder/coder >= 2.13 and docker", _PROVIDERS)

#: an agent kept alive by a container, without the provider constraint (for AIT501)
AGENT = Preamble("coder_agent.main and the docker_container that runs it", _AGENT)

#: a whole workspace: provider constraint, agent, container
WORKSPACE = Preamble(
    "the terraform block, coder_agent.main and the docker_container that runs it",
    _PROVIDERS + "\n" + _AGENT,
)

#: a workspace with a well-formed task web app, coder_app.chat
CHAT_APP = Preamble(
    "the terraform block, coder_agent.main, its docker_container and the web app coder_app.chat",
    _PROVIDERS + "\n" + _AGENT + "\n" + _CHAT_APP,
)

#: a workspace whose coder_ai_task.task uses coder_app.chat (the examples declare the app)
TASK_OF_CHAT = Preamble(
    "the terraform block, coder_agent.main, its docker_container and "
    "coder_ai_task.task with app_id = coder_app.chat.id",
    _PROVIDERS + "\n" + _AGENT + "\n" + _TASK_OF_CHAT,
)

#: an AgentAPI-style module: its agent_id variable and its web app
AGENTAPI_MODULE = Preamble(
    "the module's provider requirement, its agent_id variable and its web app "
    "coder_app.agentapi_web",
    _AGENTAPI_MODULE,
)

#: a task app and its task on an agent, without the compute resource (for AIT202)
TASK_APP_WITHOUT_COMPUTE = Preamble(
    "the terraform block, coder_agent.main, the web app coder_app.chat and "
    "coder_ai_task.task with app_id = coder_app.chat.id",
    _PROVIDERS
    + "\n"
    + _AGENT.split('resource "docker_container"', maxsplit=1)[0]
    + _CHAT_APP
    + "\n"
    + _TASK_OF_CHAT,
)

#: the agent, its container and the task web app, without the provider constraint (for AIT501)
AGENT_AND_CHAT_APP = Preamble(
    "coder_agent.main, its docker_container and the web app coder_app.chat",
    _AGENT + "\n" + _CHAT_APP,
)

#: a whole AI-task template: workspace, coder_app.chat and coder_ai_task.task using it
TASK_TEMPLATE = Preamble(
    "the terraform block, coder_agent.main, its docker_container, the web app coder_app.chat "
    "and coder_ai_task.task using it",
    _PROVIDERS + "\n" + _AGENT + "\n" + _CHAT_APP + "\n" + _TASK_OF_CHAT,
)


#: a local module the template vendors in ``modules/tools`` (an example's ``files``)
TOOLS_MODULE = {
    "modules/tools/main.tf": """\
terraform {
  required_providers {
    coder = {
      source = "coder/coder"
    }
  }
}

variable "agent_id" {
  type = string
}

resource "coder_script" "tools" {
  agent_id     = var.agent_id
  display_name = "Tools"
  run_on_start = true
  script       = "./install-tools.sh"
}
"""
}
