"""The coder provider's schema as the package ships it, and the rules that read it.

AIT108, AIT411, AIT412 and AIT501 read one schema (``model/catalog/provider_schema.json``,
generated from ``../shared/reference/coder-provider-schema.json``). These tests
pin what users depend on: the generated data is the shared schema's, the facts
the rules quote come from it, and each finding says Terraform's words at the
place Terraform would point to.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from aitask_lint.cli import cli
from aitask_lint.lint.coder_schema import name_suggestion
from aitask_lint.model.catalog.provider_schema import provider_schema

from conftest import FIXTURES, ROOT, SHARED

SHARED_SCHEMA = SHARED / "reference" / "coder-provider-schema.json"
GENERATOR = ROOT / "tools" / "gen_provider_schema.py"
PACKAGED = ROOT / "src" / "aitask_lint" / "model" / "catalog" / "provider_schema.json"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_provider_schema", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not SHARED_SCHEMA.is_file(), reason="../shared/reference is absent")
def test_packaged_schema_is_generated_from_the_shared_one() -> None:
    source = json.loads(SHARED_SCHEMA.read_text("utf-8"))
    assert PACKAGED.read_text("utf-8") == _generator().render(source), (
        "run: python tools/gen_provider_schema.py"
    )


@pytest.mark.skipif(not SHARED_SCHEMA.is_file(), reason="../shared/reference is absent")
def test_every_type_and_field_of_the_shared_schema_is_there() -> None:
    source = json.loads(SHARED_SCHEMA.read_text("utf-8"))
    schema = provider_schema()
    for key, mode in (("resources", "managed"), ("data_sources", "data")):
        for name, body in source[key].items():
            ours = schema.type(name, mode)
            assert ours is not None, name
            assert ours.arguments == {
                n for n, a in body["arguments"].items() if a.get("required") or a.get("optional")
            }
            assert set(ours.fields) == set(body["attributes"])
            assert set(ours.blocks) == set(body["blocks"])


def test_release_facts() -> None:
    schema = provider_schema()
    assert schema.version == (2, 17, 0)
    assert schema.added_in("coder_ai_task", "managed") == (2, 7, 0)
    assert schema.added_in("coder_ai_task", "managed", "app_id") == (2, 12, 0)
    assert schema.added_in("coder_task", "data") == (2, 13, 0)
    assert schema.added_in("coder_ai_task", "managed", "sidebar_app") == (2, 7, 0)
    assert schema.added_in("coder_git_clone", "managed") is None
    task = schema.type("coder_ai_task", "managed")
    assert task is not None
    assert task.arguments == {"app_id"}
    assert set(task.blocks) == {"sidebar_app"}
    assert {n for n, f in task.fields.items() if f.mode == "computed"} == {
        "id",
        "prompt",
        "enabled",
    }
    app = schema.type("coder_app", "managed")
    assert app is not None and app.fields["id"].mode == "implicit"
    assert app.fields["slug"].mode == "required"
    assert app.blocks["healthcheck"].max_items == 1


def test_removed_and_later_types() -> None:
    schema = provider_schema()
    assert schema.removed[("data", "coder_git_auth")].removed_in == (2, 0, 1)
    assert schema.removed[("data", "coder_agent_script")].removed_in == (0, 3, 0)
    assert schema.removed_fields[("coder_workspace", "owner")] == ((0, 2, 1), (2, 0, 1))
    assert schema.added_later == {
        ("managed", "coder_script_order"),
        ("managed", "coder_subagent_execution"),
        ("data", "coder_workspace_ai_agent"),
    }


def test_terraform_suggests_names_less_than_three_edits_away() -> None:
    assert name_suggestion("slugs", ["agent_id", "slug", "url"]) == "slug"
    assert name_suggestion("maximum", ["max", "min"]) is None
    assert name_suggestion("coder_scripts", ["coder_script", "coder_env"]) == "coder_script"


def _findings(case: Path, *options: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["check", str(case), "--format", "json", *options])
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return findings


def _said(rule: str, case: str) -> list[tuple[int, int, str]]:
    return sorted(
        (f["location"]["line"], f["location"]["column"], f["message"])
        for f in _findings(FIXTURES / "rules" / rule / case)
        if f["rule"] == rule
    )


NEWER = " (unknown up to coder/coder v2.17.0; a newer release may have it)"
RESOURCE = "Invalid resource type: The provider coder/coder does not support resource type "
DATA = "Invalid data source: The provider coder/coder does not support data source "
ARGUMENT = "Unsupported argument: An argument named "
ATTRIBUTE = (
    "Unsupported attribute: This object has no argument, nested block, or exported attribute named "
)
DECIDED = (
    ": its value will be decided automatically based on the result of applying this configuration."
)
COMPUTED = "Value for unconfigurable attribute: Can't configure a value for "


def test_ait411_messages_and_columns() -> None:
    assert _said("AIT411", "fires") == [
        (
            27,
            1,
            RESOURCE + '"coder_git_clone".' + NEWER,
        ),
        (
            33,
            1,
            RESOURCE + '"coder_scripts". Did you mean "coder_script"?' + NEWER,
        ),
        (
            40,
            1,
            DATA + '"coder_git_auth". (coder/coder removed it in v2.0.1)',
        ),
        (
            45,
            1,
            RESOURCE
            + '"coder_parameter". Did you intend to use the data source "coder_parameter"? '
            + 'If so, declare this using a "data" block instead of a "resource" block.',
        ),
    ]
    # a constraint that admits nothing newer than the schema: Terraform's words alone
    assert _said("AIT411", "fires-pinned") == [
        (
            25,
            1,
            DATA + '"coder_workspace_template".',
        )
    ]


def test_ait411_target_provider_version_decides_the_note() -> None:
    case = FIXTURES / "rules" / "AIT411" / "fires-pinned"
    newer = [
        f["message"]
        for f in _findings(case, "--provider-version", "2.18.0")
        if f["rule"] == "AIT411"
    ]
    assert newer and newer[0].endswith(NEWER)
    old = FIXTURES / "rules" / "AIT411" / "near-miss-old-provider"
    assert [f for f in _findings(old, "--provider-version", "2.0.1") if f["rule"] == "AIT411"]
    assert not [f for f in _findings(old, "--provider-version", "1.0.4") if f["rule"] == "AIT411"]


def test_ait412_messages_and_columns() -> None:
    assert _said("AIT412", "fires") == [
        # an unknown name is pointed at where Terraform points: the name, not the value
        (19, 5, 'Unsupported argument: An argument named "maximum" is not expected here.' + NEWER),
        (
            26,
            11,
            COMPUTED + '"token"' + DECIDED,
        ),
        (
            27,
            3,
            'Unsupported block type: Blocks of type "metadatas" are not expected here. '
            'Did you mean "metadata"?' + NEWER,
        ),
        (
            34,
            3,
            'Unsupported block type: Blocks of type "display_app" are not expected here. '
            'Did you mean "display_apps"?' + NEWER,
        ),
        (
            51,
            3,
            ARGUMENT + '"slugs" is not expected here. Did you mean "slug"?' + NEWER,
        ),
        (
            54,
            3,
            'Unsupported argument: An argument named "healthcheck" is not expected here. '
            'Did you mean to define a block of type "healthcheck"?',
        ),
        (
            60,
            14,
            "`data.coder_workspace.me.namespace`: " + ATTRIBUTE + '"namespace".' + NEWER,
        ),
        (
            66,
            17,
            "`data.coder_workspace.me.owner`: "
            + ATTRIBUTE
            + '"owner". (coder/coder removed it in v2.0.1)',
        ),
    ]


def test_ait412_reports_a_module_called_twice_once_where_it_is_written() -> None:
    findings = [
        f
        for f in _findings(FIXTURES / "rules" / "AIT412" / "fires-module")
        if f["rule"] == "AIT412"
    ]
    assert [
        (
            f["location"]["path"].endswith("modules/env/main.tf"),
            f["location"]["line"],
            f["location"]["column"],
        )
        for f in findings
    ] == [(True, 18, 14)]


def test_ait108_computed_and_nested_arguments() -> None:
    assert _said("AIT108", "fires-computed") == [
        (
            33,
            12,
            COMPUTED + '"prompt"' + DECIDED,
        ),
        (36, 5, 'Unsupported argument: An argument named "order" is not expected here.'),
    ]


_WORKSPACE = """\
terraform {
  required_providers {
    coder = {
      source  = "coder/coder"
      version = "%s"
    }
  }
}

data "coder_workspace" "me" {}

resource "coder_agent" "main" {
  arch = "amd64"
  os   = "linux"
}

resource "coder_app" "web" {
  agent_id      = coder_agent.main.id
  slug          = "web"
  url           = "http://localhost:8080/"
  relative_path = true
}
"""


@pytest.mark.parametrize(
    ("constraint", "said"),
    [
        (
            ">= 2.0",
            [
                (
                    21,
                    3,
                    ARGUMENT
                    + '"relative_path" is not expected here. (coder/coder removed it in v2.0.1)',
                )
            ],
        ),
        ("~> 0.12.0", []),  # every admitted release still has it
    ],
)
def test_ait412_an_argument_a_release_removed(
    tmp_path: Path, constraint: str, said: list[tuple[int, int, str]]
) -> None:
    (tmp_path / "main.tf").write_text(_WORKSPACE % constraint, encoding="utf-8")
    assert [
        (f["location"]["line"], f["location"]["column"], f["message"])
        for f in _findings(tmp_path)
        if f["rule"] == "AIT412"
    ] == said


def test_ait412_leaves_the_sdk_implicit_id_and_other_providers_alone(tmp_path: Path) -> None:
    text = (_WORKSPACE % ">= 2.13").replace("  relative_path = true\n", '  id            = "x"\n')
    text += """
terraform {
  required_providers {
    coderx = {
      source = "acme/coderx"
    }
  }
}

resource "coder_made_up" "other" {
  provider = coderx
  anything = true
}
"""
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    assert not [f for f in _findings(tmp_path) if f["rule"] in ("AIT411", "AIT412")]
