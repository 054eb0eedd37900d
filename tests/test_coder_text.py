"""Coder's, the provider's and Terraform's words are written once, and used as written.

Every rule's ``quotes`` entry is a message of :mod:`aitask_lint.coder_text`
(its Go format string, or that string formatted), and formatting it with the
values of the rule's firing fixture gives text the rule really emits. Coder's
patterns are applied with Go's semantics: ``$`` is the end of the text, so a
trailing newline is refused, as Coder's ``regexp.MatchString`` refuses it.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from aitask_lint import coder_text as ct
from aitask_lint.cli import cli
from aitask_lint.convert.addresses import INVALID_TERRAFORM_ADDRESS, module_path
from aitask_lint.convert.api import convert_state
from aitask_lint.errors import ConversionError
from aitask_lint.lint.registry import all_rules
from aitask_lint.lint.rules.ait403 import message as agent_name_message

from conftest import FIXTURES

RULES_DIR = FIXTURES / "rules"
MESSAGES = ct.messages()
QUOTING_RULES = [rule for rule in all_rules() if rule.quotes]

#: (rule, quote) -> the values its firing fixtures give, in the Go verbs' order
FORMATTED: dict[tuple[str, str], list[tuple[object, ...]]] = {
    ("AIT101", ct.NO_AI_TASK.text): [()],
    ("AIT102", ct.MULTIPLE_AI_TASKS.text): [(2,)],
    ("AIT103", ct.APP_ID_MUST_BE_SET.text): [()],
    ("AIT104", ct.CONFLICTS_WITH("app_id", "sidebar_app")): [()],
    ("AIT105", ct.SIDEBAR_APP_DEPRECATED.text): [()],
    ("AIT106", ct.UNKNOWN_AI_TASK_APP_ID.text): [
        ("00000000-0000-0000-0000-000000000000",),
        ("d9e8f7a6-b5c4-4d3e-9f2a-1b0c9d8e7f6a",),
    ],
    ("AIT107", ct.NOT_A_UUID.text): [("app_id", "chat")],
    ("AIT108", ct.ARGUMENT_NOT_EXPECTED.text): [("agent_id",), ("display_name",), ("order",)],
    ("AIT108", ct.CANNOT_CONFIGURE.text): [("prompt",)],
    ("AIT110", ct.CYCLE.text): [("local.a, local.b",)],
    ("AIT110", ct.SELF_REFERENCING_LOCAL.text): [()],
    ("AIT110", ct.LOCAL_USES_ITSELF.text): [("local.a",)],
    ("AIT202", ct.AGENT_WITHOUT_COMPUTE.text): [()],
    ("AIT301", ct.NO_SUCH_ATTRIBUTE.text): [("task_app_id",)],
    ("AIT401", ct.APP_SLUG_INVALID.text): [
        ("Claude_Code", ct.APP_SLUG_REGEX),
        ("Chat_App", ct.APP_SLUG_REGEX),
    ],
    ("AIT306", ct.UNSUPPORTED_ARGUMENT.text): [()],
    ("AIT306", ct.ARGUMENT_NOT_EXPECTED.text): [("subdomain",), ("folder",), ("display_name",)],
    ("AIT307", ct.MISSING_REQUIRED_ARGUMENT.text): [()],
    ("AIT307", ct.ARGUMENT_REQUIRED.text): [("workdir",)],
    ("AIT308", ct.UNREADABLE_MODULE_DIRECTORY.text): [()],
    ("AIT308", ct.MODULE_DIRECTORY_NOT_READ.text): [("./modules/tools", "tools", "main.tf", 25)],
    ("AIT402", ct.DUPLICATE_APP_SLUG.text): [("ccw-cli",)],
    ("AIT403", ct.AGENT_NAME_UNDERSCORES.text): [("main_agent", ct.AGENT_NAME_REGEX)],
    ("AIT403", ct.AGENT_NAME_INVALID.text): [("main--dev", ct.AGENT_NAME_REGEX)],
    ("AIT404", ct.DUPLICATE_AGENT_NAME.text): [("main",), ("dev",)],
    ("AIT405", ct.CONFLICTS_WITH.text): [("url", "command"), ("subdomain", "command")],
    ("AIT406", ct.NOT_ONE_OF.text): [("share", ["owner", "authenticated", "public"], "team")],
    ("AIT407", ct.DUPLICATE_PARAMETER_NAMES.text): [('"repo"', "s")],
    ("AIT408", ct.MULTIPLE_DEFAULT_PRESETS.text): [(2,)],
    ("AIT409", ct.DUPLICATE_METADATA.text): [("null_resource.workspace",)],
    ("AIT601", ct.IMMUTABLE_AND_EPHEMERAL.text): [()],
    ("AIT601", ct.EPHEMERAL_WITHOUT_DEFAULT.text): [()],
    ("AIT601", ct.OPTION_NAMES_UNIQUE.text): [()],
    ("AIT601", ct.OPTION_NAME_REPEATED.text): [("Europe",)],
    ("AIT601", ct.OPTION_VALUES_UNIQUE.text): [()],
    ("AIT601", ct.OPTION_NOT_OF_TYPE.text): [("Many", "many", "number")],
    ("AIT601", ct.MIN_NOT_FOR_TYPE.text): [("string",)],
    ("AIT601", ct.REGEX_NEEDS_ERROR.text): [()],
    ("AIT601", ct.MONOTONICITY.text): [("increasing", "decreasing")],
    ("AIT601", ct.INVALID_FORM_TYPE.text): [()],
    ("AIT601", ct.FORM_TYPE_NOT_SUPPORTED.text): [
        ("textarea", "bool", "", "[checkbox switch]"),
        ("slider", "number", " when options exist", "[radio dropdown]"),
    ],
    ("AIT601", ct.NOT_ONE_OF.text): [("type", ["string", "number", "bool", "list(string)"], "int")],
    ("AIT602", ct.MUST_BE_A_VALID_OPTION.text): [("Default value", "")],
    ("AIT602", ct.NOT_ONE_OF_OPTIONS.text): [("ap",)],
    ("AIT602", ct.INVALID_BY_VALIDATION.text): [("default value",), ("value",)],
    ("AIT602", ct.LESS_THAN_MINIMUM.text): [(1, 2)],
    ("AIT602", ct.MORE_THAN_MAXIMUM.text): [(12, 8)],
    ("AIT602", ct.REGEX_MISMATCH.text): [
        ("Branch names are lower-case letters", "Main", "^[a-z]+$")
    ],
    ("AIT602", ct.VALUE_NOT_A_NUMBER.text): [("",)],
    ("AIT602", ct.VALUE_NOT_OF_TYPE.text): [("list(string)",), ("bool",)],
    ("AIT602", ct.LIST_VALUES_MUST_BE_OPTIONS.text): [("Default value",)],
    ("AIT603", ct.PARAMETER_PREFIX.text): [
        ("region", 'Value must be a valid option; the value "ap" must be defined as one of options')
    ],
    ("AIT603", ct.MUST_BE_A_VALID_OPTION.text): [("Value", "")],
    ("AIT603", ct.NOT_ONE_OF_OPTIONS.text): [("ap",)],
    ("AIT603", ct.INVALID_BY_VALIDATION.text): [("value",)],
    ("AIT603", ct.PRESETS_INVALID.text): [()],
    ("AIT604", ct.UNDEFINED_PARAMETER.text): [()],
    ("AIT604", ct.PRESET_PARAMETER_UNDEFINED.text): [("model",), ("gpu_type",), ("region",)],
    ("AIT604", ct.PRESETS_INVALID.text): [()],
    ("AIT605", ct.REQUIRED_NOT_PROVIDED.text): [()],
    ("AIT605", ct.PARAMETER_VALUE_NULL.text): [()],
    ("AIT411", ct.RESOURCE_TYPE_NOT_SUPPORTED.text): [
        ("coder/coder", "coder_git_clone"),
        ("coder/coder", "coder_parameter"),
    ],
    ("AIT411", ct.USE_DATA_SOURCE.text): [("coder_parameter",)],
    ("AIT411", ct.DATA_SOURCE_NOT_SUPPORTED.text): [
        ("coder/coder", "coder_git_auth"),
        ("coder/coder", "coder_workspace_template"),
    ],
    ("AIT412", ct.ARGUMENT_NOT_EXPECTED.text): [("maximum",), ("slugs",)],
    ("AIT412", ct.BLOCK_TYPE_NOT_EXPECTED.text): [("metadatas",), ("display_app",)],
    ("AIT412", ct.NO_SUCH_ARGUMENT_OR_ATTRIBUTE.text): [("namespace",), ("owner",)],
}


def _template_pattern(text: str) -> re.Pattern[str]:
    """A Go format string as a regex: each verb stands for any text."""
    parts = re.split(r"%[qsdv]", text.replace("%%", "%"))
    return re.compile(".+".join(re.escape(part) for part in parts), re.DOTALL)


def _messages(rule_id: str) -> list[str]:
    """What the rule says on each of its firing fixture cases."""
    expected: dict[str, Any] = json.loads((RULES_DIR / rule_id / "expected.json").read_text())
    said = []
    for case, spec in expected.items():
        if not spec["findings"]:
            continue
        target = RULES_DIR / rule_id / case / spec.get("input", "")
        args = ["check", str(target), "--format", "json", *spec.get("options", [])]
        result = CliRunner().invoke(cli, args)
        findings = json.loads(result.stdout)["findings"]
        said += [f["message"] for f in findings if f["rule"] == rule_id]
    return said


@pytest.mark.parametrize("rule", QUOTING_RULES, ids=lambda rule: rule.id)
def test_every_quote_is_a_coder_text_message(rule: Any) -> None:
    for quote in rule.quotes:
        assert any(
            quote == message.text or _template_pattern(message.text).fullmatch(quote)
            for message in MESSAGES.values()
        ), f"{rule.id} quotes {quote!r}, which coder_text does not define"


@pytest.mark.parametrize("rule", QUOTING_RULES, ids=lambda rule: rule.id)
def test_the_rule_emits_each_quote_formatted(rule: Any) -> None:
    said = _messages(rule.id)
    assert said, f"{rule.id}'s firing fixtures gave no finding"
    for quote in rule.quotes:
        cases = FORMATTED.get((rule.id, quote))
        assert cases, f"no fixture values for {rule.id}'s quote {quote!r}: add them to FORMATTED"
        for args in cases:
            text = ct.go_sprintf(quote, *args)
            assert any(text in message for message in said), (text, said)


def test_the_table_names_only_real_quotes() -> None:
    quoted = {(rule.id, quote) for rule in QUOTING_RULES for quote in rule.quotes}
    assert set(FORMATTED) <= quoted


# --- Go formatting -----------------------------------------------------------


def test_go_sprintf_verbs() -> None:
    assert ct.go_sprintf("%q %s %d %v 100%%", 'a"b\n', "x", 3, "v") == '"a\\"b\\n" x 3 v 100%'
    assert ct.go_sprintf("%q", ["a", "b"]) == '["a" "b"]'
    with pytest.raises(ValueError, match="too few arguments"):
        ct.go_sprintf("%s %s", "only one")
    with pytest.raises(ValueError, match="2 arguments for 1 verbs"):
        ct.go_sprintf("%s", "one", "two")


def test_messages_are_coders_verbatim() -> None:
    """Spot checks against ../shared/reference/coder-convertstate.md."""
    assert ct.AGENT_NAME_INVALID("main--dev", ct.AGENT_NAME_REGEX) == (
        'agent name "main--dev" does not match regex "(?i)^[a-z0-9](-?[a-z0-9])*$"'
    )
    assert ct.duplicate_parameter_names(["a", "b"]) == (
        'coder_parameter names must be unique but "a" and "b" appear multiple times'
    )
    assert ct.DUPLICATE_METADATA("null_resource.about") == (
        "duplicate metadata resource: null_resource.about"
    )


# --- Go's `$`: a trailing newline does not match --------------------------------


@pytest.mark.parametrize("name", ["main\n", "main\r", "\nmain", "main-\n"])
def test_agent_name_with_a_newline_is_refused(name: str) -> None:
    assert not ct.valid_agent_name(name)
    assert agent_name_message(name) == ct.AGENT_NAME_INVALID(name, ct.AGENT_NAME_REGEX)


def test_slug_with_a_trailing_newline_is_refused() -> None:
    assert ct.valid_app_slug("web") and not ct.valid_app_slug("web\n")
    assert ct.app_slug_error("web\n") == 'app slug "web\\n" does not match regex ' + (
        '"^[a-z0-9](-?[a-z0-9])*$"'
    )


def test_address_with_a_trailing_newline_does_not_parse() -> None:
    assert module_path("module.a.coder_agent.main") == "module.a"
    assert module_path("module.a.coder_agent.main\n") == INVALID_TERRAFORM_ADDRESS


def _slug_plan(tmp_path: Path, slug: str) -> Path:
    plan = json.loads((RULES_DIR / "AIT401" / "near-miss-plan" / "plan.json").read_text("utf-8"))
    app = next(
        r for r in plan["planned_values"]["root_module"]["resources"] if r["type"] == "coder_app"
    )
    app["values"]["slug"] = slug
    target = tmp_path / "plan.json"
    target.write_text(json.dumps(plan, indent=2), encoding="utf-8")
    return target


def test_ait401_fires_on_a_slug_with_a_trailing_newline(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["check", str(_slug_plan(tmp_path, "web\n")), "--format", "json"]
    )
    messages = [
        f["message"] for f in json.loads(result.stdout)["findings"] if f["rule"] == "AIT401"
    ]
    assert messages == [ct.APP_SLUG_INVALID("web\n", ct.APP_SLUG_REGEX)]
    clean = CliRunner().invoke(cli, ["check", str(_slug_plan(tmp_path, "web")), "--format", "json"])
    assert not [f for f in json.loads(clean.stdout)["findings"] if f["rule"] == "AIT401"]


def test_convert_state_refuses_a_slug_with_a_trailing_newline(tmp_path: Path) -> None:
    plan = _slug_plan(tmp_path, "web\n")
    with pytest.raises(ConversionError) as error:
        convert_state(plan)
    assert str(error.value) == ct.APP_SLUG_INVALID("web\n", ct.APP_SLUG_REGEX)
    convert_state(_slug_plan(tmp_path, "web"))  # the same plan without the newline converts


def test_convert_state_refuses_an_agent_name_with_a_trailing_newline(tmp_path: Path) -> None:
    plan = json.loads((RULES_DIR / "AIT401" / "near-miss-plan" / "plan.json").read_text("utf-8"))
    renamed = copy.deepcopy(plan)
    for resource in renamed["planned_values"]["root_module"]["resources"]:
        if resource["type"] == "coder_agent":
            resource["name"] += "\n"
    target = tmp_path / "plan.json"
    target.write_text(json.dumps(renamed), encoding="utf-8")
    with pytest.raises(ConversionError) as error:
        convert_state(target)
    assert str(error.value) == ct.AGENT_NAME_INVALID("main\n", ct.AGENT_NAME_REGEX)


def test_no_message_is_written_twice() -> None:
    """Outside coder_text.py no source file spells a message's fixed text again."""
    import aitask_lint

    package = Path(aitask_lint.__file__).parent
    fixed = {
        name: max(re.split(r"%[qsdv%]", message.text), key=len)
        for name, message in MESSAGES.items()
    }
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "coder_text.py":
            continue
        source = path.read_text("utf-8")
        offenders += [
            f"{path.relative_to(package)}: {name}"
            for name, text in fixed.items()
            if len(text) >= 24 and text in source
        ]
        if "[a-z0-9](-?[a-z0-9])*" in source:  # Coder's name and slug patterns
            offenders.append(f"{path.relative_to(package)}: a copy of Coder's pattern")
    assert offenders == []


# --- the task's app: app_id, else sidebar_app[0].id (one rule for convert and lint) ----


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"app_id": "a", "sidebar_app": [{"id": "b"}]}, "a"),
        ({"app_id": "", "sidebar_app": [{"id": "b"}, {"id": "c"}]}, "b"),
        ({"sidebar_app": [{"id": "b"}]}, "b"),
        ({"app_id": "", "sidebar_app": []}, ""),
        ({"app_id": 5, "sidebar_app": [{"id": 7}]}, ""),
        ({"sidebar_app": ["not a block"]}, ""),
        ({}, ""),
    ],
)
def test_task_app_id_falls_back_to_the_sidebar_app(values: dict[str, Any], expected: str) -> None:
    assert ct.task_app_id(values) == expected


def test_convert_takes_the_task_app_id_the_same_way(tmp_path: Path) -> None:
    """ConvertState's ai_tasks use app_id, else the sidebar_app's id, as the rules do."""
    source = FIXTURES / "convert" / "task-template" / "plan.json"
    plan = json.loads(source.read_text("utf-8"))
    tasks = [
        resource
        for resource in plan["planned_values"]["root_module"]["resources"]
        if resource["type"] == "coder_ai_task"
    ]
    assert tasks
    for resource in tasks:
        resource["values"]["app_id"] = ""
        resource["values"]["sidebar_app"] = [{"id": "from-the-sidebar"}]
    target = tmp_path / "plan.json"
    target.write_text(json.dumps(plan), encoding="utf-8")
    state = convert_state(target)
    assert [task.app_id for task in state.ai_tasks] == ["from-the-sidebar"] * len(tasks)
    assert ct.task_app_id(tasks[0]["values"]) == "from-the-sidebar"
