"""Deterministic synthetic inputs for the benchmarks: Coder AI-task templates and a big plan.

Everything here is seeded (``random.Random(seed)``), so the same arguments
always write byte-identical files. Nothing is written inside the repository;
``benchmarks/run.py`` puts the corpora in a temporary directory.

* :func:`generate_template` returns one template as ``{relative path: text}``:
  ``main.tf`` (terraform/required_providers, the workspace data sources, a
  ``coder_agent`` with a heredoc ``startup_script`` and ``dynamic`` metadata,
  the AI-task module call with ``count = data.coder_workspace.me.start_count``,
  the ``coder_ai_task`` reading ``module.<x>[count.index].task_app_id``, web
  apps with healthchecks, and a ``docker_container`` or ``kubernetes_pod``
  running the agent), ``parameters.tf`` (``coder_parameter`` data sources with
  ``option`` and ``dynamic "option"`` blocks), ``variables.tf`` and a local
  module ``modules/<name>/main.tf`` with the chat ``coder_app``, a
  ``coder_script`` and ``output "task_app_id"``. Blocks are added until the
  template reaches ``size_hint`` bytes.
* :func:`write_corpus` writes ``n_templates`` such templates, one directory each.
* :func:`write_plan` writes a ``terraform show -json`` plan (format 1.2) with
  ``planned_values``, ``resource_changes``, ``prior_state`` and
  ``configuration`` for ``n_resources`` resource instances.

Run it directly to write a corpus somewhere and look at it::

    python benchmarks/corpus.py OUT_DIR [--templates 50] [--seed 1] [--plan 20000]
"""

from __future__ import annotations

import argparse
import json
import random
import uuid
from pathlib import Path
from typing import Any

#: average size of one template (all its files) in the M and L corpora
TEMPLATE_BYTES = 8_000
#: size of the single S template
SINGLE_TEMPLATE_BYTES = 10_000

_TOOLS = [
    ("claude-code", "Claude Code", "claude", "/icon/claude.svg"),
    ("codex", "Codex", "codex", "/icon/openai.svg"),
    ("gemini-cli", "Gemini CLI", "gemini", "/icon/gemini.svg"),
    ("aider", "Aider", "aider", "/icon/aider.svg"),
    ("goose", "Goose", "goose", "/icon/goose.svg"),
    ("amazon-q", "Amazon Q", "q", "/icon/amazon-q.svg"),
    ("cursor-agent", "Cursor Agent", "cursor-agent", "/icon/cursor.svg"),
    ("opencode", "OpenCode", "opencode", "/icon/opencode.svg"),
]
_APPS = [
    ("code-server", "code-server", "/icon/code.svg", "/?folder=/home/coder", "/healthz"),
    ("jupyter", "Jupyter", "/icon/jupyter.svg", "/", "/api"),
    ("filebrowser", "File Browser", "/icon/filebrowser.svg", "/", "/health"),
    ("preview", "Preview", "/icon/widgets.svg", "/", "/"),
    ("grafana", "Grafana", "/icon/grafana.svg", "/", "/api/health"),
    ("docs", "Docs", "/icon/book.svg", "/", "/"),
    ("storybook", "Storybook", "/icon/storybook.svg", "/", "/"),
    ("rstudio", "RStudio", "/icon/rstudio.svg", "/", "/"),
    ("pgweb", "pgweb", "/icon/postgres.svg", "/", "/api/info"),
    ("kasmvnc", "KasmVNC", "/icon/desktop.svg", "/", "/"),
]
_IMAGES = [
    "codercom/enterprise-base:ubuntu",
    "codercom/enterprise-node:ubuntu",
    "codercom/enterprise-golang:ubuntu",
    "codercom/example-universal:ubuntu",
]
_REGIONS = [
    ("us-pittsburgh", "Pittsburgh", "/emojis/1f1fa-1f1f8.png"),
    ("eu-helsinki", "Helsinki", "/emojis/1f1eb-1f1ee.png"),
    ("ap-sydney", "Sydney", "/emojis/1f1e6-1f1fa.png"),
    ("sa-saopaulo", "São Paulo", "/emojis/1f1e7-1f1f7.png"),
    ("za-cpt", "Cape Town", "/emojis/1f1ff-1f1e6.png"),
    ("us-west", "Oregon", "/emojis/1f1fa-1f1f8.png"),
]
_WORDS = [
    "alpha", "bravo", "cedar", "delta", "ember", "fjord", "garnet", "harbor", "iris", "juniper",
    "kepler", "lumen", "maple", "nova", "onyx", "pixel", "quartz", "raven", "sierra", "tundra",
]  # fmt: skip


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _hcl_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- templates ---------------------------------------------------------------------


class _Template:
    """Builds the files of one template; every name and number comes from ``rng``."""

    def __init__(self, rng: random.Random, size_hint: int) -> None:
        self.rng = rng
        self.size_hint = size_hint
        self.tool, self.tool_title, self.binary, self.tool_icon = rng.choice(_TOOLS)
        self.module_name = rng.choice(["agent-chat", "ai-agent", "task-agent", self.tool])
        self.kubernetes = rng.random() < 0.4
        self.chat_port = rng.choice([3284, 3285, 3300, 4000])
        self.used_ports = {self.chat_port}
        self.used_slugs = {"chat"}
        self.apps = 0
        self.parameters = 0
        self.extras = 0

    def port(self) -> int:
        while True:
            candidate = self.rng.randrange(5000, 9000)
            if candidate not in self.used_ports:
                self.used_ports.add(candidate)
                return candidate

    # -- fixed parts ------------------------------------------------------------

    def terraform(self) -> str:
        coder_version = self.rng.choice([">= 2.13.0", "~> 2.13", ">= 2.15.0"])
        if self.kubernetes:
            compute = (
                "    kubernetes = {\n"
                '      source  = "hashicorp/kubernetes"\n'
                '      version = "~> 2.36"\n'
                "    }\n"
            )
        else:
            compute = (
                "    docker = {\n"
                '      source  = "kreuzwerker/docker"\n'
                '      version = "~> 3.6"\n'
                "    }\n"
            )
        provider = (
            'provider "kubernetes" {\n'
            '  config_path = var.use_kubeconfig ? "~/.kube/config" : null\n'
            "}\n"
            if self.kubernetes
            else 'provider "docker" {\n  host = var.docker_host != "" ? var.docker_host : null\n}\n'
        )
        return (
            f"# {self.tool_title} AI-task template "
            f"({'Kubernetes' if self.kubernetes else 'Docker'})\n"
            "terraform {\n"
            "  required_providers {\n"
            "    coder = {\n"
            '      source  = "coder/coder"\n'
            f'      version = "{coder_version}"\n'
            "    }\n"
            f"{compute}"
            "  }\n"
            "}\n\n"
            f"{provider}\n"
            'provider "coder" {}\n\n'
            'data "coder_provisioner" "me" {}\n'
            'data "coder_workspace" "me" {}\n'
            'data "coder_workspace_owner" "me" {}\n'
            'data "coder_task" "me" {}\n\n'
        )

    def locals(self) -> str:
        rng = self.rng
        labels = "\n".join(
            f'    "app.coder.com/{word}" = "{rng.choice(_WORDS)}"'
            for word in rng.sample(_WORDS, rng.randint(2, 4))
        )
        metadata = ",\n".join(
            f'    {{ key = "{key}", name = "{name}", script = "{script}" }}'
            for key, name, script in rng.sample(
                [
                    ("1_ram", "RAM Usage", "coder stat mem"),
                    ("2_home", "Home Disk", "coder stat disk --path $HOME"),
                    ("3_load", "Load Average", "cat /proc/loadavg | awk '{print $1}'"),
                    ("4_swap", "Swap", "free -h | awk '/Swap/ {print $3}'"),
                    ("5_procs", "Processes", "ps aux | wc -l"),
                ],
                rng.randint(1, 3),
            )
        )
        return (
            "locals {\n"
            "  username  = data.coder_workspace_owner.me.name\n"
            "  workspace = lower(data.coder_workspace.me.name)\n"
            '  home_dir  = "/home/${local.username}"\n'
            f'  repo_dir  = "${{local.home_dir}}/{rng.choice(_WORDS)}"\n'
            "  labels = {\n"
            f"{labels}\n"
            '    "app.coder.com/owner" = data.coder_workspace_owner.me.name\n'
            "  }\n"
            "  extra_metadata = [\n"
            f"{metadata}\n"
            "  ]\n"
            "}\n\n"
        )

    def agent(self) -> str:
        rng = self.rng
        steps = [
            "mkdir -p ~/.local/bin",
            "if [ ! -f ~/.init_done ]; then\n"
            "      cp -rT /etc/skel ~ || true\n"
            "      touch ~/.init_done\n"
            "    fi",
            f"git clone --depth 1 https://github.com/coder/{rng.choice(_WORDS)}.git "
            "${local.repo_dir} || true",
            "curl -fsSL https://code-server.dev/install.sh | sh -s -- --method=standalone",
            "npm install -g @anthropic-ai/claude-code@latest >/tmp/npm.log 2>&1 &",
            'export PATH="$HOME/.local/bin:$PATH"',
            '%{if data.coder_workspace.me.start_count > 0~}\n    echo "starting"\n    %{endif~}',
            "sudo apt-get update -qq && sudo apt-get install -y -qq jq ripgrep >/dev/null",
            'echo "workspace ${data.coder_workspace.me.name} ready"',
        ]
        chosen = rng.sample(steps, rng.randint(3, 6))
        script = "\n".join("    " + step for step in chosen)
        return (
            'resource "coder_agent" "main" {\n'
            "  arch           = data.coder_provisioner.me.arch\n"
            '  os             = "linux"\n'
            "  dir            = local.repo_dir\n"
            "  startup_script = <<-EOT\n"
            "    #!/bin/bash\n"
            "    set -euo pipefail\n"
            f"{script}\n"
            "  EOT\n"
            '  startup_script_behavior = "non-blocking"\n\n'
            "  env = {\n"
            "    GIT_AUTHOR_NAME     = coalesce(data.coder_workspace_owner.me.full_name, "
            "data.coder_workspace_owner.me.name)\n"
            "    GIT_AUTHOR_EMAIL    = data.coder_workspace_owner.me.email\n"
            "  }\n\n"
            "  metadata {\n"
            '    display_name = "CPU Usage"\n'
            '    key          = "0_cpu_usage"\n'
            '    script       = "coder stat cpu"\n'
            "    interval     = 10\n"
            "    timeout      = 1\n"
            "  }\n\n"
            '  dynamic "metadata" {\n'
            "    for_each = local.extra_metadata\n"
            "    content {\n"
            "      display_name = metadata.value.name\n"
            "      key          = metadata.value.key\n"
            "      script       = metadata.value.script\n"
            f"      interval     = {rng.choice([10, 30, 60])}\n"
            "      timeout      = 1\n"
            "    }\n"
            "  }\n\n"
            "  display_apps {\n"
            f"    vscode          = {rng.choice(['true', 'false'])}\n"
            "    vscode_insiders = false\n"
            "    web_terminal    = true\n"
            "    ssh_helper      = true\n"
            "  }\n"
            "}\n\n"
        )

    def task(self) -> str:
        name = self.module_name
        return (
            f'module "{name}" {{\n'
            "  count    = data.coder_workspace.me.start_count\n"
            f'  source   = "./modules/{name}"\n'
            "  agent_id = coder_agent.main.id\n"
            "  prompt   = data.coder_task.me.prompt\n"
            f"  port     = {self.chat_port}\n"
            f'  title    = "{self.tool_title}"\n'
            "  folder   = local.repo_dir\n"
            "}\n\n"
            'resource "coder_ai_task" "task" {\n'
            "  count  = data.coder_workspace.me.start_count\n"
            f"  app_id = module.{name}[count.index].task_app_id\n"
            "}\n\n"
        )

    def compute(self) -> str:
        rng = self.rng
        image = rng.choice(_IMAGES)
        if self.kubernetes:
            return (
                'resource "kubernetes_persistent_volume_claim" "home" {\n'
                "  metadata {\n"
                '    name      = "coder-${data.coder_workspace.me.id}-home"\n'
                "    namespace = var.namespace\n"
                "    labels    = local.labels\n"
                "  }\n"
                "  wait_until_bound = false\n"
                "  spec {\n"
                '    access_modes = ["ReadWriteOnce"]\n'
                "    resources {\n"
                "      requests = {\n"
                '        storage = "${var.home_disk_size}Gi"\n'
                "      }\n"
                "    }\n"
                "  }\n"
                "  lifecycle {\n"
                "    ignore_changes = all\n"
                "  }\n"
                "}\n\n"
                'resource "kubernetes_pod" "workspace" {\n'
                "  count = data.coder_workspace.me.start_count\n"
                "  metadata {\n"
                '    name      = "coder-${local.username}-${local.workspace}"\n'
                "    namespace = var.namespace\n"
                "    labels    = local.labels\n"
                "  }\n"
                "  spec {\n"
                "    security_context {\n"
                "      run_as_user = 1000\n"
                "      fs_group    = 1000\n"
                "    }\n"
                "    container {\n"
                '      name    = "dev"\n'
                f'      image   = "{image}"\n'
                '      command = ["sh", "-c", coder_agent.main.init_script]\n'
                "      env {\n"
                '        name  = "CODER_AGENT_TOKEN"\n'
                "        value = coder_agent.main.token\n"
                "      }\n"
                '      dynamic "env" {\n'
                "        for_each = var.extra_env\n"
                "        content {\n"
                "          name  = env.key\n"
                "          value = env.value\n"
                "        }\n"
                "      }\n"
                "      resources {\n"
                "        requests = {\n"
                '          cpu    = "${data.coder_parameter.cpu.value}"\n'
                '          memory = "${data.coder_parameter.memory.value}Gi"\n'
                "        }\n"
                "      }\n"
                "      volume_mount {\n"
                "        mount_path = local.home_dir\n"
                '        name       = "home"\n'
                "      }\n"
                "    }\n"
                "    volume {\n"
                '      name = "home"\n'
                "      persistent_volume_claim {\n"
                "        claim_name = kubernetes_persistent_volume_claim.home.metadata[0].name\n"
                "      }\n"
                "    }\n"
                "  }\n"
                "}\n\n"
                'resource "coder_metadata" "pod" {\n'
                "  count       = data.coder_workspace.me.start_count\n"
                "  resource_id = kubernetes_pod.workspace[0].id\n"
                "  item {\n"
                '    key   = "image"\n'
                f'    value = "{image}"\n'
                "  }\n"
                "}\n\n"
            )
        return (
            'resource "docker_volume" "home" {\n'
            '  name = "coder-${data.coder_workspace.me.id}-home"\n'
            "  lifecycle {\n"
            "    ignore_changes = all\n"
            "  }\n"
            "  labels {\n"
            '    label = "coder.workspace_id"\n'
            "    value = data.coder_workspace.me.id\n"
            "  }\n"
            "}\n\n"
            'resource "docker_container" "workspace" {\n'
            "  count      = data.coder_workspace.me.start_count\n"
            f'  image      = "{image}"\n'
            '  name       = "coder-${local.username}-${local.workspace}"\n'
            "  hostname   = data.coder_workspace.me.name\n"
            '  entrypoint = ["sh", "-c", replace(coder_agent.main.init_script, '
            '"/localhost|127\\\\.0\\\\.0\\\\.1/", "host.docker.internal")]\n'
            '  env        = ["CODER_AGENT_TOKEN=${coder_agent.main.token}"]\n'
            f"  memory     = data.coder_parameter.memory.value * 1024\n"
            "  host {\n"
            '    host = "host.docker.internal"\n'
            '    ip   = "host-gateway"\n'
            "  }\n"
            "  volumes {\n"
            "    container_path = local.home_dir\n"
            "    volume_name    = docker_volume.home.name\n"
            "    read_only      = false\n"
            "  }\n"
            '  dynamic "labels" {\n'
            "    for_each = local.labels\n"
            "    content {\n"
            "      label = labels.key\n"
            "      value = labels.value\n"
            "    }\n"
            "  }\n"
            "}\n\n"
            'resource "coder_metadata" "container" {\n'
            "  count       = data.coder_workspace.me.start_count\n"
            "  resource_id = docker_container.workspace[0].id\n"
            "  item {\n"
            '    key   = "image"\n'
            f'    value = "{image}"\n'
            "  }\n"
            "}\n\n"
        )

    def variables(self) -> str:
        compute = (
            'variable "namespace" {\n'
            "  type        = string\n"
            '  description = "The Kubernetes namespace for workspaces."\n'
            '  default     = "coder"\n'
            "}\n\n"
            'variable "home_disk_size" {\n'
            "  type    = number\n"
            "  default = 20\n"
            "}\n\n"
            'variable "use_kubeconfig" {\n'
            "  type    = bool\n"
            "  default = false\n"
            "}\n\n"
            if self.kubernetes
            else 'variable "docker_host" {\n  type    = string\n  default = ""\n}\n\n'
        )
        env = "\n".join(
            f'    {word.upper()}_MODE = "{self.rng.choice(_WORDS)}"'
            for word in self.rng.sample(_WORDS, 3)
        )
        return (
            f"{compute}"
            'variable "extra_env" {\n'
            "  type        = map(string)\n"
            '  description = "Extra environment variables for the workspace."\n'
            "  default = {\n"
            f"{env}\n"
            "  }\n"
            "}\n\n"
            'variable "enable_healthchecks" {\n'
            "  type    = bool\n"
            "  default = true\n"
            "}\n\n"
        )

    # -- repeated parts (added until the size hint is reached) -----------------------

    def parameter(self) -> str:
        rng = self.rng
        index = self.parameters
        self.parameters += 1
        fixed = {0: "cpu", 1: "memory", 2: "disk", 3: "region"}
        kind = fixed.get(index, rng.choice(["choice", "text", "bool"]))
        order = index + 1
        if kind == "cpu":
            return (
                'data "coder_parameter" "cpu" {\n'
                '  name         = "cpu"\n'
                '  display_name = "CPU"\n'
                '  description  = "The number of CPU cores"\n'
                '  type         = "number"\n'
                f'  default      = "{rng.choice([2, 4])}"\n'
                '  icon         = "/icon/memory.svg"\n'
                "  mutable      = true\n"
                f"  order        = {order}\n"
                '  dynamic "option" {\n'
                "    for_each = [2, 4, 6, 8]\n"
                "    content {\n"
                '      name  = "${option.value} Cores"\n'
                "      value = option.value\n"
                "    }\n"
                "  }\n"
                "}\n\n"
            )
        if kind == "memory":
            return (
                'data "coder_parameter" "memory" {\n'
                '  name         = "memory"\n'
                '  display_name = "Memory"\n'
                '  description  = "The amount of memory in GB"\n'
                '  type         = "number"\n'
                f'  default      = "{rng.choice([4, 8])}"\n'
                '  icon         = "/icon/memory.svg"\n'
                "  mutable      = true\n"
                f"  order        = {order}\n"
                '  dynamic "option" {\n'
                "    for_each = { for size in [2, 4, 8, 16] : size => size }\n"
                "    content {\n"
                '      name  = "${option.value} GB"\n'
                "      value = option.key\n"
                "    }\n"
                "  }\n"
                "}\n\n"
            )
        if kind == "disk":
            return (
                'data "coder_parameter" "disk" {\n'
                '  name         = "disk"\n'
                '  display_name = "Home disk size"\n'
                '  description  = "The size of the home disk in GB"\n'
                '  type         = "number"\n'
                f'  default      = "{rng.choice([10, 20, 50])}"\n'
                '  icon         = "/emojis/1f4be.png"\n'
                "  mutable      = false\n"
                f"  order        = {order}\n"
                "  validation {\n"
                "    min       = 10\n"
                "    max       = 200\n"
                '    monotonic = "increasing"\n'
                "  }\n"
                "}\n\n"
            )
        if kind == "region":
            regions = rng.sample(_REGIONS, rng.randint(3, len(_REGIONS)))
            options = "".join(
                "  option {\n"
                f'    name  = "{title}"\n'
                f'    value = "{value}"\n'
                f'    icon  = "{icon}"\n'
                "  }\n"
                for value, title, icon in regions
            )
            return (
                'data "coder_parameter" "region" {\n'
                '  name         = "region"\n'
                '  display_name = "Region"\n'
                '  description  = "Where the workspace runs"\n'
                f'  default      = "{regions[0][0]}"\n'
                "  mutable      = false\n"
                f"  order        = {order}\n"
                f"{options}"
                "}\n\n"
            )
        word = f"{rng.choice(_WORDS)}_{index}"
        if kind == "choice":
            values = rng.sample(_WORDS, rng.randint(3, 6))
            return (
                f'data "coder_parameter" "{word}" {{\n'
                f'  name         = "{word}"\n'
                f'  display_name = "{word.replace("_", " ").title()}"\n'
                '  type         = "string"\n'
                f'  default      = "{values[0]}"\n'
                '  form_type    = "dropdown"\n'
                "  mutable      = true\n"
                f"  order        = {order}\n"
                '  dynamic "option" {\n'
                f"    for_each = toset({json.dumps(values)})\n"
                "    content {\n"
                "      name  = title(option.value)\n"
                "      value = option.value\n"
                "    }\n"
                "  }\n"
                "}\n\n"
            )
        if kind == "bool":
            return (
                f'data "coder_parameter" "{word}" {{\n'
                f'  name         = "{word}"\n'
                f'  display_name = "Enable {word.split("_", maxsplit=1)[0]}"\n'
                '  type         = "bool"\n'
                f'  default      = "{rng.choice(["true", "false"])}"\n'
                "  mutable      = true\n"
                f"  order        = {order}\n"
                "}\n\n"
            )
        return (
            f'data "coder_parameter" "{word}" {{\n'
            f'  name         = "{word}"\n'
            f'  display_name = "{word.title()}"\n'
            f'  description  = "Free text for {word}"\n'
            '  type         = "string"\n'
            '  default      = ""\n'
            "  mutable      = true\n"
            f"  order        = {order}\n"
            "  validation {\n"
            '    regex = "^[a-z0-9-]*$"\n'
            '    error = "lower-case letters, digits and dashes"\n'
            "  }\n"
            "}\n\n"
        )

    def app(self) -> str:
        rng = self.rng
        base, title, icon, path, health = _APPS[self.apps % len(_APPS)]
        slug = base if base not in self.used_slugs else f"{base}-{self.apps}"
        self.used_slugs.add(slug)
        self.apps += 1
        port = self.port()
        name = slug.replace("-", "_")
        share = rng.choice(["owner", "authenticated"])
        subdomain = rng.random() < 0.2
        healthcheck = (
            '  dynamic "healthcheck" {\n'
            "    for_each = var.enable_healthchecks ? [1] : []\n"
            "    content {\n"
            f'      url       = "http://localhost:{port}{health}"\n'
            f"      interval  = {rng.choice([3, 5, 10])}\n"
            f"      threshold = {rng.choice([6, 10, 20])}\n"
            "    }\n"
            "  }\n"
            if rng.random() < 0.4
            else "  healthcheck {\n"
            f'    url       = "http://localhost:{port}{health}"\n'
            f"    interval  = {rng.choice([3, 5, 10])}\n"
            f"    threshold = {rng.choice([6, 10, 20])}\n"
            "  }\n"
        )
        return (
            f'resource "coder_app" "{name}" {{\n'
            "  count        = data.coder_workspace.me.start_count\n"
            "  agent_id     = coder_agent.main.id\n"
            f'  slug         = "{slug}"\n'
            f'  display_name = "{title}"\n'
            f'  url          = "http://localhost:{port}{path}"\n'
            f'  icon         = "{icon}"\n'
            f"  subdomain    = {'true' if subdomain else 'false'}\n"
            f'  share        = "{share}"\n'
            f"  order        = {self.apps + 1}\n"
            f"{healthcheck}"
            "}\n\n"
        )

    def extra(self) -> str:
        rng = self.rng
        index = self.extras
        self.extras += 1
        word = f"{rng.choice(_WORDS)}_{index}"
        if index % 2 == 0:
            return (
                f'resource "coder_script" "{word}" {{\n'
                "  agent_id     = coder_agent.main.id\n"
                f'  display_name = "{word.title()}"\n'
                '  icon         = "/icon/terminal.svg"\n'
                "  run_on_start = true\n"
                f"  start_blocks_login = {rng.choice(['true', 'false'])}\n"
                "  script       = <<-EOT\n"
                "    #!/usr/bin/env bash\n"
                "    set -e\n"
                f'    echo "setting up {word} for ${{data.coder_workspace_owner.me.name}}"\n'
                f"    mkdir -p ~/.config/{word}\n"
                f"    sleep {rng.randint(1, 5)}\n"
                "  EOT\n"
                "}\n\n"
            )
        return (
            f'resource "coder_env" "{word}" {{\n'
            "  agent_id = coder_agent.main.id\n"
            f'  name     = "{word.upper()}"\n'
            f'  value    = try(var.extra_env["{word.upper()}"], "{rng.choice(_WORDS)}")\n'
            "}\n\n"
        )

    # -- the module -------------------------------------------------------------

    def module(self) -> str:
        rng = self.rng
        return (
            "terraform {\n"
            "  required_providers {\n"
            "    coder = {\n"
            '      source  = "coder/coder"\n'
            '      version = ">= 2.13.0"\n'
            "    }\n"
            "  }\n"
            "}\n\n"
            'variable "agent_id" {\n'
            "  type        = string\n"
            '  description = "The ID of a Coder agent."\n'
            "}\n\n"
            'variable "prompt" {\n'
            "  type    = string\n"
            '  default = ""\n'
            "}\n\n"
            'variable "port" {\n'
            "  type    = number\n"
            "  default = 3284\n"
            "}\n\n"
            'variable "title" {\n'
            "  type    = string\n"
            '  default = "AI Agent"\n'
            "}\n\n"
            'variable "folder" {\n'
            "  type    = string\n"
            '  default = "/home/coder"\n'
            "}\n\n"
            "locals {\n"
            '  base_url = "http://localhost:${var.port}"\n'
            f'  binary   = "{self.binary}"\n'
            "}\n\n"
            'resource "coder_app" "chat" {\n'
            "  agent_id     = var.agent_id\n"
            '  slug         = "chat"\n'
            "  display_name = var.title\n"
            '  url          = "${local.base_url}/"\n'
            f'  icon         = "{self.tool_icon}"\n'
            "  subdomain    = false\n"
            '  share        = "owner"\n'
            "  order        = 1\n"
            "  healthcheck {\n"
            '    url       = "${local.base_url}/status"\n'
            "    interval  = 3\n"
            f"    threshold = {rng.choice([20, 30])}\n"
            "  }\n"
            "}\n\n"
            'resource "coder_script" "server" {\n'
            "  agent_id     = var.agent_id\n"
            '  display_name = "${var.title} server"\n'
            f'  icon         = "{self.tool_icon}"\n'
            "  run_on_start = true\n"
            "  script       = <<-EOT\n"
            "    #!/bin/bash\n"
            "    set -euo pipefail\n"
            '    cd "${var.folder}"\n'
            '    %{if var.prompt != ""~}\n'
            "    printf '%s' ${jsonencode(var.prompt)} > /tmp/prompt.txt\n"
            "    %{endif~}\n"
            "    agentapi server --port ${var.port} -- ${local.binary} &\n"
            "  EOT\n"
            "}\n\n"
            'output "task_app_id" {\n'
            "  value = coder_app.chat.id\n"
            "}\n"
        )

    def files(self) -> dict[str, str]:
        head = self.terraform() + self.locals() + self.agent() + self.task()
        compute = self.compute()
        variables = self.variables()
        module = self.module()
        parameters = [self.parameter() for _ in range(2)]  # cpu and memory, used by compute
        apps = [self.app()]
        extras: list[str] = []

        def size() -> int:
            return sum(
                len(part.encode())
                for part in (head, compute, variables, module, *parameters, *apps, *extras)
            )

        while size() < self.size_hint:
            choice = self.rng.random()
            if choice < 0.35:
                parameters.append(self.parameter())
            elif choice < 0.6 and self.apps < 3 * len(_APPS):
                apps.append(self.app())
            else:
                extras.append(self.extra())
        return {
            "main.tf": head + "".join(apps) + "".join(extras) + compute,
            "parameters.tf": "".join(parameters),
            "variables.tf": variables,
            f"modules/{self.module_name}/main.tf": module,
        }


def generate_template(rng: random.Random, size_hint: int = TEMPLATE_BYTES) -> dict[str, str]:
    """One realistic Coder AI-task template of about ``size_hint`` bytes: {relative path: text}."""
    return _Template(rng, size_hint).files()


def write_corpus(
    directory: str | Path,
    n_templates: int,
    seed: int,
    size_hint: int = TEMPLATE_BYTES,
) -> list[Path]:
    """Write ``n_templates`` templates as ``directory/template-NNN/``; return their directories.

    Each template's size varies around ``size_hint`` (0.6x to 1.4x, never
    below the fixed part of a template, about 7.5 KB), steered so the corpus
    totals about ``n_templates * size_hint`` bytes; a single template gets
    ``size_hint``.
    """
    rng = random.Random(seed)
    root = Path(directory)
    roots = []
    written = 0
    for index in range(n_templates):
        hint = size_hint
        if n_templates > 1:
            # vary sizes, but steer the running total towards index * size_hint
            hint = int(size_hint * rng.uniform(0.6, 1.4)) + (index * size_hint - written) // 2
        template_dir = root / f"template-{index:03d}"
        for name, text in generate_template(rng, hint).items():
            target = template_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written += len(text.encode())
        roots.append(template_dir)
    return roots


# --- the plan ------------------------------------------------------------------------


def _expression(value: Any = None, refs: list[str] | None = None) -> dict[str, Any]:
    if refs:
        expanded: list[str] = []
        for ref in refs:
            expanded.append(ref)
            parts = ref.split(".")
            # Terraform lists the reference and each shorter prefix naming an object
            while len(parts) > 2 and not parts[-1].startswith("["):
                parts = parts[:-1]
                prefix = ".".join(parts)
                if prefix.count(".") >= 1 and prefix not in expanded:
                    expanded.append(prefix)
        return {"references": expanded}
    return {"constant_value": value}


class _Plan:
    """Resource instances of one huge template: many agents, each with apps and compute."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.planned: list[dict[str, Any]] = []
        self.changes: list[dict[str, Any]] = []
        self.config: list[dict[str, Any]] = []

    def add(
        self,
        kind: str,
        name: str,
        values: dict[str, Any],
        expressions: dict[str, Any],
        unknown: dict[str, Any],
        *,
        mode: str = "managed",
        index: int | None = None,
        count: bool = False,
        provider: str = "coder",
    ) -> None:
        address = f"{kind}.{name}" if mode == "managed" else f"data.{kind}.{name}"
        full = "registry.terraform.io/" + (
            "coder/coder" if provider == "coder" else "kreuzwerker/docker"
        )
        instance: dict[str, Any] = {
            "address": address if index is None else f"{address}[{index}]",
            "mode": mode,
            "type": kind,
            "name": name,
        }
        if index is not None:
            instance["index"] = index
        instance["provider_name"] = full
        instance["schema_version"] = 1
        instance["values"] = values
        instance["sensitive_values"] = {
            key: [] if isinstance(value, list) else {}
            for key, value in values.items()
            if isinstance(value, list | dict)
        }
        self.planned.append(instance)
        after = dict(values)
        self.changes.append(
            {
                **{k: instance[k] for k in ("address", "mode", "type", "name")},
                **({"index": index} if index is not None else {}),
                "provider_name": full,
                "change": {
                    "actions": ["read"] if mode == "data" else ["create"],
                    "before": None,
                    "after": after,
                    "after_unknown": unknown,
                    "before_sensitive": False,
                    "after_sensitive": instance["sensitive_values"],
                },
            }
        )
        resource: dict[str, Any] = {
            "address": address,
            "mode": mode,
            "type": kind,
            "name": name,
            "provider_config_key": provider,
            "expressions": expressions,
            "schema_version": 1,
        }
        if count:
            resource["count_expression"] = _expression(refs=["data.coder_workspace.me.start_count"])
        self.config.append(resource)

    def unit(self, number: int, with_task: bool) -> None:
        """One agent with its apps, scripts, env, metadata and the container it runs in."""
        rng = self.rng
        agent = f"dev{number}"
        agent_id, token = _uuid(rng), _uuid(rng)
        image = rng.choice(_IMAGES)
        steps = [
            "if [ ! -f ~/.init_done ]; then cp -rT /etc/skel ~ || true; touch ~/.init_done; fi",
            f"git clone https://github.com/coder/{rng.choice(_WORDS)}.git ~/src || true",
            "curl -fsSL https://code-server.dev/install.sh | sh -s -- --method=standalone",
            "code-server --auth none --port 13337 >/tmp/code-server.log 2>&1 &",
            "npm install -g @anthropic-ai/claude-code@latest >/tmp/npm.log 2>&1",
            "sudo apt-get update -qq && sudo apt-get install -y -qq jq ripgrep >/dev/null",
            'export PATH="$HOME/.local/bin:$HOME/go/bin:$PATH"',
            "mkdir -p ~/.config/coder ~/.local/share/agentapi ~/.cache/pip",
            "pip install --user --quiet pre-commit uv ruff mypy",
            "curl -fsSL https://github.com/coder/agentapi/releases/latest/download/"
            "agentapi-linux-amd64 -o ~/.local/bin/agentapi && chmod +x ~/.local/bin/agentapi",
            "git config --global init.defaultBranch main",
            "git config --global pull.rebase true",
            "[ -f ~/src/.devcontainer/postCreate.sh ] && bash ~/src/.devcontainer/postCreate.sh",
            "echo 'export EDITOR=vim' >> ~/.bashrc",
            "ln -sf ~/src ~/workspace",
            "systemctl --user start docker 2>/dev/null || true",
        ]
        script = "\n".join(
            [
                "#!/bin/bash",
                "set -euo pipefail",
                *rng.sample(steps, rng.randint(12, len(steps))),
                f"echo 'agent {agent} ready'",
            ]
        )
        self.add(
            "coder_agent",
            agent,
            {
                "api_key_scope": "all",
                "arch": "amd64",
                "auth": "token",
                "connection_timeout": 120,
                "dir": "/home/coder",
                "display_apps": [
                    {
                        "port_forwarding_helper": True,
                        "ssh_helper": True,
                        "vscode": False,
                        "vscode_insiders": False,
                        "web_terminal": True,
                    }
                ],
                "env": {"GIT_AUTHOR_NAME": "Coder", "GIT_AUTHOR_EMAIL": "dev@example.com"},
                "metadata": [
                    {
                        "display_name": name,
                        "interval": 10,
                        "key": key,
                        "order": order,
                        "script": command,
                        "timeout": 1,
                    }
                    for order, (key, name, command) in enumerate(
                        [
                            ("0_cpu", "CPU Usage", "coder stat cpu"),
                            ("1_ram", "RAM Usage", "coder stat mem"),
                            ("2_disk", "Home Disk", "coder stat disk --path $HOME"),
                        ]
                    )
                ],
                "motd_file": None,
                "order": None,
                "os": "linux",
                "resources_monitoring": [],
                "shutdown_script": None,
                "startup_script": script,
                "startup_script_behavior": "non-blocking",
                "troubleshooting_url": None,
            },
            {
                "arch": _expression(refs=["data.coder_provisioner.me.arch"]),
                "os": _expression("linux"),
                "dir": _expression("/home/coder"),
                "startup_script": _expression(script),
                "metadata": [
                    {"key": _expression("0_cpu"), "script": _expression("coder stat cpu")},
                    {"key": _expression("1_ram"), "script": _expression("coder stat mem")},
                    {"key": _expression("2_disk"), "script": _expression("coder stat disk")},
                ],
            },
            {"id": True, "init_script": True, "token": True, "display_apps": [{}], "env": {}},
        )
        agent_ref = f"coder_agent.{agent}.id"
        ports = rng.sample(range(3000, 9000), 4)
        for position, (base, title, icon, path, health) in enumerate(
            rng.sample(_APPS, 3 if not with_task else 2)
        ):
            slug = f"{base}-{agent}"  # slugs are unique per template, not per agent
            port = ports[position]
            self.add(
                "coder_app",
                f"{agent}_{slug.replace('-', '_')}",
                {
                    "command": None,
                    "display_name": title,
                    "external": False,
                    "group": None,
                    "healthcheck": [
                        {"interval": 5, "threshold": 10, "url": f"http://localhost:{port}{health}"}
                    ],
                    "hidden": False,
                    "icon": icon,
                    "open_in": "slim-window",
                    "order": position + 1,
                    "share": "owner",
                    "slug": slug,
                    "subdomain": False,
                    "tooltip": None,
                    "url": f"http://localhost:{port}{path}",
                },
                {
                    "agent_id": _expression(refs=[agent_ref]),
                    "slug": _expression(slug),
                    "display_name": _expression(title),
                    "url": _expression(f"http://localhost:{port}{path}"),
                    "healthcheck": [
                        {
                            "url": _expression(f"http://localhost:{port}{health}"),
                            "interval": _expression(5),
                            "threshold": _expression(10),
                        }
                    ],
                },
                {"agent_id": True, "id": True, "healthcheck": [{}]},
            )
        if with_task:
            port = ports[3]
            self.add(
                "coder_app",
                f"{agent}_chat",
                {
                    "command": None,
                    "display_name": "Claude Code",
                    "external": False,
                    "group": None,
                    "healthcheck": [
                        {"interval": 3, "threshold": 20, "url": f"http://localhost:{port}/status"}
                    ],
                    "hidden": False,
                    "icon": "/icon/claude.svg",
                    "open_in": "slim-window",
                    "order": 0,
                    "share": "owner",
                    "slug": "chat",
                    "subdomain": False,
                    "tooltip": None,
                    "url": f"http://localhost:{port}/",
                },
                {
                    "agent_id": _expression(refs=[agent_ref]),
                    "slug": _expression("chat"),
                    "url": _expression(f"http://localhost:{port}/"),
                    "healthcheck": [
                        {
                            "url": _expression(f"http://localhost:{port}/status"),
                            "interval": _expression(3),
                            "threshold": _expression(20),
                        }
                    ],
                },
                {"agent_id": True, "id": True, "healthcheck": [{}]},
            )
            self.add(
                "coder_ai_task",
                "task",
                {"sidebar_app": []},
                {"app_id": _expression(refs=[f"coder_app.{agent}_chat.id"])},
                {"app_id": True, "enabled": True, "id": True, "prompt": True, "sidebar_app": []},
                index=0,
                count=True,
            )
        script_body = f"#!/bin/bash\nset -e\nmkdir -p ~/.config/{agent}\necho installing\n"
        self.add(
            "coder_script",
            f"{agent}_setup",
            {
                "cron": None,
                "display_name": "Setup",
                "icon": "/icon/terminal.svg",
                "log_path": "",
                "run_on_start": True,
                "run_on_stop": False,
                "script": script_body,
                "start_blocks_login": False,
                "timeout": 0,
            },
            {"agent_id": _expression(refs=[agent_ref]), "script": _expression(script_body)},
            {"agent_id": True, "id": True},
        )
        self.add(
            "coder_env",
            f"{agent}_model",
            {"merge_strategy": "replace", "name": "ANTHROPIC_MODEL", "value": "sonnet"},
            {
                "agent_id": _expression(refs=[agent_ref]),
                "name": _expression("ANTHROPIC_MODEL"),
                "value": _expression("sonnet"),
            },
            {"agent_id": True, "id": True},
        )
        container_name = f"coder-{rng.choice(_WORDS)}-{agent}"
        self.add(
            "docker_container",
            agent,
            {
                "attach": False,
                "capabilities": [],
                "cgroupns_mode": None,
                "command": None,
                "container_read_refresh_timeout_milliseconds": 15000,
                "cpu_set": None,
                "cpu_shares": None,
                "destroy_grace_seconds": None,
                "devices": [],
                "dns": None,
                "dns_opts": None,
                "dns_search": None,
                "domainname": None,
                "gpus": None,
                "group_add": None,
                "healthcheck": [],
                "init": None,
                "ipc_mode": None,
                "log_driver": None,
                "log_opts": None,
                "logs": False,
                "max_retry_count": None,
                "memory_swap": None,
                "mounts": [],
                "network_mode": None,
                "networks_advanced": [],
                "pid_mode": None,
                "ports": [],
                "publish_all_ports": None,
                "read_only": False,
                "remove_volumes": True,
                "runtime": None,
                "security_opts": [],
                "shm_size": None,
                "stdin_open": False,
                "stop_signal": None,
                "stop_timeout": None,
                "storage_opts": None,
                "sysctls": None,
                "tmpfs": None,
                "tty": False,
                "ulimit": [],
                "upload": [],
                "user": None,
                "userns_mode": None,
                "working_dir": None,
                "entrypoint": ["sh", "-c", "#!/bin/sh\n# agent init script\n"],
                "env": ["CODER_AGENT_TOKEN=" + token],
                "host": [{"host": "host.docker.internal", "ip": "host-gateway"}],
                "hostname": agent,
                "image": image,
                "labels": [
                    {"label": "coder.owner", "value": "default"},
                    {"label": "coder.workspace_id", "value": _uuid(rng)},
                ],
                "memory": 4096,
                "must_run": True,
                "name": container_name,
                "privileged": False,
                "restart": "no",
                "rm": False,
                "start": True,
                "volumes": [
                    {
                        "container_path": "/home/coder",
                        "from_container": None,
                        "host_path": None,
                        "read_only": False,
                        "volume_name": f"coder-{agent}-home",
                    }
                ],
                "wait": False,
            },
            {
                "image": _expression(image),
                "name": _expression(container_name),
                "env": _expression(refs=[f"coder_agent.{agent}.token"]),
                "entrypoint": _expression(refs=[f"coder_agent.{agent}.init_script"]),
                "host": [{"host": _expression("host.docker.internal")}],
            },
            {
                "bridge": True,
                "container_logs": True,
                "entrypoint": [False, False, True],
                "env": [True],
                "exit_code": True,
                "id": True,
                "network_data": True,
                "runtime": True,
                "security_opts": True,
                "shm_size": True,
                "stop_signal": True,
                "stop_timeout": True,
                "user": True,
                "working_dir": True,
            },
            index=0,
            count=True,
            provider="docker",
        )
        self.add(
            "coder_metadata",
            f"{agent}_info",
            {
                "daily_cost": rng.randint(1, 20),
                "hide": False,
                "icon": "/icon/docker.svg",
                "item": [
                    {"is_null": False, "key": "image", "sensitive": False, "value": image},
                    {"is_null": False, "key": "agent", "sensitive": False, "value": agent},
                ],
            },
            {"resource_id": _expression(refs=[f"docker_container.{agent}[0].id"])},
            {"id": True, "resource_id": True},
            index=0,
            count=True,
        )
        del agent_id


def write_plan(path: str | Path, n_resources: int, seed: int) -> int:
    """Write a ``terraform show -json`` plan with ``n_resources`` instances; return its size."""
    rng = random.Random(seed)
    plan = _Plan(rng)
    number = 0
    while len(plan.planned) < n_resources:
        plan.unit(number, with_task=number == 0)
        number += 1
    del plan.planned[n_resources:], plan.changes[n_resources:]
    kept = {item["address"].split("[")[0] for item in plan.planned}
    config = [item for item in plan.config if item["address"] in kept]
    data_sources = [
        ("coder_provisioner", {"arch": "amd64", "id": _uuid(rng), "os": "linux"}),
        (
            "coder_workspace",
            {
                "access_port": 443,
                "access_url": "https://coder.example.com",
                "id": _uuid(rng),
                "name": "bench",
                "start_count": 1,
                "transition": "start",
            },
        ),
        ("coder_workspace_owner", {"email": "dev@example.com", "id": _uuid(rng), "name": "dev"}),
    ]
    prior = [
        {
            "address": f"data.{kind}.me",
            "mode": "data",
            "type": kind,
            "name": "me",
            "provider_name": "registry.terraform.io/coder/coder",
            "schema_version": 1,
            "values": values,
            "sensitive_values": {},
        }
        for kind, values in data_sources
    ]
    config.extend(
        {
            "address": f"data.{kind}.me",
            "mode": "data",
            "type": kind,
            "name": "me",
            "provider_config_key": "coder",
            "schema_version": 1,
        }
        for kind, _values in data_sources
    )
    document = {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"resources": plan.planned}},
        "resource_changes": plan.changes,
        "prior_state": {
            "format_version": "1.0",
            "terraform_version": "1.11.4",
            "values": {"root_module": {"resources": prior}},
        },
        "configuration": {
            "provider_config": {
                "coder": {
                    "name": "coder",
                    "full_name": "registry.terraform.io/coder/coder",
                    "version_constraint": ">= 2.13.0",
                },
                "docker": {
                    "name": "docker",
                    "full_name": "registry.terraform.io/kreuzwerker/docker",
                    "version_constraint": "~> 3.6",
                },
            },
            "root_module": {"resources": config},
        },
        "timestamp": "2026-01-01T00:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }
    text = json.dumps(document, separators=(",", ":")) + "\n"  # as `terraform show -json`
    Path(path).write_text(text, encoding="utf-8")
    return len(text.encode())


def agent_chain_state(count: int) -> dict[str, object]:
    """A state of ``count`` agents, each depending on the one before, each with a container.

    Every agent's dependents are all the later agents: one walk per agent is
    quadratic (47 s and 2.7 GiB for 8,000 agents before the fix). Shared by
    ``benchmarks/adversarial.py`` and ``tests/test_plan_bounds.py``.
    """
    resources: list[dict[str, object]] = []
    for i in range(count):
        resources.append(
            {
                "address": f"coder_agent.a{i}",
                "mode": "managed",
                "type": "coder_agent",
                "name": f"a{i}",
                "provider_name": "registry.terraform.io/coder/coder",
                "schema_version": 1,
                "values": {"arch": "amd64", "auth": "token", "os": "linux", "id": f"id-{i}"},
                "sensitive_values": {},
                "depends_on": [f"coder_agent.a{i - 1}"] if i else [],
            }
        )
        resources.append(
            {
                "address": f"docker_container.w{i}",
                "mode": "managed",
                "type": "docker_container",
                "name": f"w{i}",
                "provider_name": "registry.terraform.io/kreuzwerker/docker",
                "schema_version": 2,
                "values": {"image": "img"},
                "sensitive_values": {},
                "depends_on": [f"coder_agent.a{i}"],
            }
        )
    return {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {"root_module": {"resources": resources}},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--templates", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=TEMPLATE_BYTES)
    parser.add_argument("--plan", type=int, default=0, help="also write plan.json (resources)")
    args = parser.parse_args()
    roots = write_corpus(args.out / "templates", args.templates, args.seed, args.size)
    total = sum(f.stat().st_size for root in roots for f in root.rglob("*.tf"))
    print(f"{len(roots)} templates, {total:,} bytes in {args.out / 'templates'}")
    if args.plan:
        size = write_plan(args.out / "plan.json", args.plan, args.seed)
        print(f"plan.json: {args.plan} resources, {size:,} bytes")


if __name__ == "__main__":
    main()
