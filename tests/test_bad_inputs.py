"""Bad input of every kind: one clear line naming the file and position, exit 2, no traceback.

Each case goes through the CLI as users run it (``check``, and where the
input makes sense ``tasks``, ``convert`` and ``graph``). The big and deep
cases run in a process of their own, with their peak memory and CPU time
bounded. The limits exercised here are documented in ``docs/limits.md``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from cli_runner import (
    AIT001_LINE,
    assert_bounded,
    assert_no_crash,
    assert_refused,
    run_cli,
    run_measured,
)

from conftest import FIXTURES, TASK_TEMPLATE

PLAN = TASK_TEMPLATE / "plan.json"
STATE = TASK_TEMPLATE / "state.json"
DOT = TASK_TEMPLATE / "graph.dot"
EXAMPLE = FIXTURES / "examples" / "task-template"
BAD = FIXTURES / "bad-inputs"
MIB = 1024 * 1024

APP = """resource "coder_agent" "main" {
  os   = "linux"
  arch = "amd64"
}

resource "coder_app" "web" {
  agent_id = coder_agent.main.id
  slug     = "web"
  url      = "http://localhost:3000"
}
"""


@pytest.fixture(autouse=True)
def _in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the test's directory, so reported paths are the relative ones given."""
    monkeypatch.chdir(tmp_path)


def write(path: str, content: str | bytes) -> str:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return path


def refused_everywhere(path: str, commands: tuple[str, ...], **expect: str) -> None:
    for command in commands:
        assert_refused(run_cli(command, path), path, **expect)


# --- encodings and empty files -----------------------------------------------------------


def test_an_empty_tf_file_is_a_valid_empty_configuration() -> None:
    write("t/main.tf", "")
    result = run_cli("check", "t")
    assert_no_crash(result)
    assert result.code == 0
    assert result.stdout == "1 file checked, no findings\n"


def test_a_directory_without_configuration_files_is_refused() -> None:
    Path("empty").mkdir()
    write("empty/notes.txt", "not terraform")
    refused_everywhere("empty", ("check", "tasks", "graph"), contains="No configuration files")


def test_empty_json_is_refused() -> None:
    write("plan.json", "")
    refused_everywhere(
        "plan.json", ("check", "tasks", "convert", "graph"), contains="empty file", at="1:1"
    )


def test_binary_files_are_refused_at_the_first_nul_byte() -> None:
    write("t/main.tf", b'locals {\n  a = "\x00\x01"\n}\n')
    refused_everywhere("t/main.tf", ("check", "tasks", "graph"), contains="binary", at="2:8")
    write("plan.json", b"\x00\x01\x02\x03")
    refused_everywhere("plan.json", ("check", "convert"), contains="invalid JSON", at="1:1")


def test_invalid_utf8_names_the_byte_and_its_position() -> None:
    write("t/main.tf", b'locals {\n  a = "caf\xe9"\n}\n')
    refused_everywhere(
        "t/main.tf", ("check", "tasks"), contains="invalid UTF-8 (byte 0xe9)", at="2:11"
    )
    write("plan.json", b'{"format_version": "1.2",\n "x": "\xff"}')
    refused_everywhere("plan.json", ("check", "convert"), contains="byte 0xff", at="2:8")


def test_a_leading_bom_is_accepted_like_terraform_and_one_elsewhere_is_not() -> None:
    # HCL accepts and ignores a BOM at the start of a file (hashicorp/terraform#19715);
    # anywhere else `terraform fmt` says "Invalid character".
    write("t/main.tf", "\ufeff" + APP)
    result = run_cli("check", "t", "--select", "AIT001")
    assert (result.code, result.stdout) == (0, "1 file checked, no findings\n")
    write("u/main.tf", APP + "\ufeff" + APP.replace('"web"', '"two"'))
    assert_refused(run_cli("check", "u"), "u/main.tf", at="11:1")
    write("plan.json", b"\xef\xbb\xbf" + PLAN.read_bytes())
    converted = run_cli("convert", "plan.json", "--deterministic-app-ids")
    assert converted.code == 0
    assert converted.stdout == run_cli("convert", str(PLAN), "--deterministic-app-ids").stdout


def test_utf16_json_says_how_to_write_utf8() -> None:
    write("plan.json", PLAN.read_text().encode("utf-16"))
    refused_everywhere("plan.json", ("check", "convert"), contains="UTF-16", at="1:1")


# --- truncation -------------------------------------------------------------------------


def _offsets(size: int, count: int) -> list[int]:
    return sorted({round(size * i / count) for i in range(count)} - {size})


def test_hcl_truncated_anywhere_is_a_finding_or_clean_never_a_crash() -> None:
    source = (EXAMPLE / "main.tf").read_bytes()
    shutil.copytree(EXAMPLE, "t")
    refused = 0
    for cut in _offsets(len(source), 40):
        Path("t/main.tf").write_bytes(source[:cut])
        result = run_cli("check", "t")
        assert_no_crash(result)
        assert result.code in (0, 1, 2), cut
        errors = [line for line in result.stdout.splitlines() if " AIT001 " in line]
        if result.code == 2:
            refused += 1
            assert len(errors) == 1, (cut, result.stdout)
            match = AIT001_LINE.match(errors[0])
            assert match is not None
            assert match.group("path") == "t/main.tf"
            assert int(match.group("line")) <= source[:cut].count(b"\n") + 1
    assert refused > 20  # most cuts land inside a block, a string or an expression


def test_json_truncated_anywhere_is_refused_with_a_position() -> None:
    text = PLAN.read_bytes()
    for cut in _offsets(len(text), 40):
        write("plan.json", text[:cut])
        line = assert_refused(run_cli("check", "plan.json"), "plan.json")
        assert "JSON" in line or "empty file" in line, line
    write("plan.json", text[: len(text) // 2])
    assert_refused(run_cli("convert", "plan.json"), "plan.json", contains="invalid JSON")
    assert_refused(run_cli("tasks", "-", stdin=text[:100]), "<stdin>", contains="invalid JSON")


# --- nesting ----------------------------------------------------------------------------


def test_json_nested_100000_levels_is_one_line_in_bounded_time_and_memory() -> None:
    depth = 100_000
    write("deep.json", '{"format_version": "1.2", "values": ' + "[" * depth + "]" * depth + "}")
    for command in ("check", "convert"):
        measured = run_measured(command, "deep.json", cwd=Path.cwd())
        line = assert_refused(measured, "deep.json", contains="nested too deeply")
        assert "more than 900 levels" in line
        assert_bounded(measured)
    # the position is the first bracket past the reported depth (the object is level 1)
    assert_refused(run_cli("tasks", "deep.json"), "deep.json", at=f"1:{36 + 900}")


@pytest.mark.parametrize(
    ("name", "open_", "close"),
    [("parentheses", "(", ")"), ("brackets", "[", "]"), ("braces", "{a = ", "}")],
)
def test_hcl_nested_10000_levels_is_an_error_line_not_a_recursion_error(
    name: str, open_: str, close: str
) -> None:
    depth = 10_000
    write(f"{name}/main.tf", "locals {\n  x = " + open_ * depth + "1" + close * depth + "\n}\n")
    for command in ("check", "tasks", "graph"):
        assert_refused(
            run_cli(command, name), f"{name}/main.tf", contains="nested too deeply: more than 128"
        )


def test_hcl_blocks_nested_10000_levels_and_tf_json_nested_too_deeply() -> None:
    write("blocks/main.tf", "a {\n" * 10_000 + "}\n" * 10_000)
    assert_refused(run_cli("check", "blocks"), "blocks/main.tf", at="129:1")
    write("json/main.tf.json", '{"locals": {"x": ' + "[" * 10_000 + "]" * 10_000 + "}}")
    assert_refused(run_cli("tasks", "json"), "json/main.tf.json", contains="nested too deeply")


def test_hcl_at_the_nesting_limit_is_analysed_by_every_command() -> None:
    # 120 parentheses around the app id: deep, but inside the limit
    write(
        "t/main.tf",
        APP
        + 'resource "coder_ai_task" "t" {\n  app_id = '
        + "(" * 120
        + "coder_app.web.id"
        + ")" * 120
        + "\n}\n",
    )
    tasks = run_cli("tasks", "t", "--format", "json")
    assert tasks.code in (0, 1), tasks  # 1: the chain breaks (no compute), but analysed
    assert json.loads(tasks.stdout)["ai_tasks"][0]["app"]["slug"] == "web"
    for command in (("check", "t"), ("graph", "t", "--format", "json")):
        result = run_cli(*command)
        assert_no_crash(result)
        assert result.code in (0, 1)


def test_plan_module_nesting_past_the_limit_is_refused_at_the_module() -> None:
    def plan(depth: int) -> str:
        root: dict[str, object] = {"resources": []}
        module = root
        for level in range(depth):
            child: dict[str, object] = {"address": f"module.m{level}", "resources": []}
            module["child_modules"] = [child]
            module = child
        return json.dumps({"format_version": "1.2", "planned_values": {"root_module": root}})

    write("ok.json", plan(128))
    assert run_cli("convert", "ok.json").code == 0
    write("deep.json", plan(129))
    for command in ("check", "tasks", "convert", "graph"):
        assert_refused(
            run_cli(command, "deep.json"), "deep.json", contains="module nesting deeper than 128"
        )


def test_plan_configuration_nested_blocks_past_the_limit_are_refused() -> None:
    expressions: dict[str, object] = {"url": {"constant_value": "x"}}
    for _ in range(65):
        expressions = {"block": [expressions]}
    resource = {
        "address": "coder_app.a",
        "mode": "managed",
        "type": "coder_app",
        "name": "a",
        "expressions": expressions,
    }
    write(
        "plan.json",
        json.dumps(
            {
                "format_version": "1.2",
                "planned_values": {"root_module": {}},
                "configuration": {"root_module": {"resources": [resource]}},
            }
        ),
    )
    assert_refused(run_cli("check", "plan.json"), "plan.json", contains="nested blocks deeper")


# --- size -------------------------------------------------------------------------------


def test_a_200_mb_plan_is_refused_by_size_without_being_read() -> None:
    with open("huge.json", "wb") as handle:
        handle.truncate(200 * MIB)  # sparse: no disk and no time spent
    for command in ("check", "convert"):
        measured = run_measured(command, "huge.json", cwd=Path.cwd())
        assert_refused(
            measured, "huge.json", contains="file too large: is 200.0 MiB, over the 32.0 MiB"
        )
        assert_bounded(measured, memory=256 * MIB, cpu=5)


def test_standard_input_is_bounded_whether_a_file_or_a_pipe() -> None:
    with open("huge.json", "wb") as handle:
        handle.truncate(200 * MIB)
    from_file = run_measured("convert", "-", stdin="huge.json", cwd=Path.cwd())
    assert_refused(from_file, "<stdin>", contains="is 200.0 MiB")
    assert_bounded(from_file, memory=256 * MIB)
    # a pipe has no size: reading stops one byte past the limit, never at the end
    piped = run_measured("check", "-", shell_stdin="head -c 200000000 /dev/zero", cwd=Path.cwd())
    assert_refused(piped, "<stdin>", contains="file too large: is larger than that")
    assert_bounded(piped, memory=512 * MIB)


def test_size_limits_are_configurable_and_a_bad_setting_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write("t/main.tf", APP + "# " + "x" * (2 * MIB) + "\n")
    monkeypatch.setenv("AITASK_LINT_MAX_SOURCE_BYTES", "1M")
    assert_refused(run_cli("check", "t"), "t/main.tf", contains="over the 1.0 MiB limit")
    monkeypatch.setenv("AITASK_LINT_MAX_SOURCE_BYTES", "3M")
    monkeypatch.setenv("AITASK_LINT_MAX_TOTAL_SOURCE_BYTES", "3M")
    assert run_cli("check", "t", "--select", "AIT001").code == 0
    monkeypatch.setenv("AITASK_LINT_MAX_JSON_BYTES", "lots")
    assert_refused(
        run_cli("convert", str(PLAN)), "AITASK_LINT_MAX_JSON_BYTES", contains="not 'lots'"
    )


def test_an_oversized_tf_file_is_refused_without_being_parsed() -> None:
    Path("t").mkdir()
    with open("t/main.tf", "wb") as handle:
        handle.truncate(5 * MIB)
    measured = run_measured("check", "t", cwd=Path.cwd())
    assert_refused(measured, "t/main.tf", contains="is 5.0 MiB, over the 256.0 KiB limit")
    assert_bounded(measured, memory=256 * MIB, cpu=5)


@pytest.mark.slow
def test_ten_thousand_empty_tf_files_take_seconds() -> None:
    Path("many").mkdir()
    Path("empty.tf").touch()
    for index in range(10_000):
        # names of one empty file: each is read and parsed as a file of its own (the count
        # below says so), and a link costs a twentieth of creating a file (4 s for 10,000)
        os.link("empty.tf", f"many/f{index:05d}.tf")
    measured = run_measured("check", "--no-cache", "many", cwd=Path.cwd())
    assert (measured.code, measured.stdout) == (0, "10000 files checked, no findings\n")
    assert_bounded(measured, cpu=10)


# --- files that are not files -------------------------------------------------------------


def test_unreadable_directory_entries_are_named_never_skipped() -> None:
    write("t/main.tf", APP)
    os.symlink("missing.tf", "t/dangling.tf")
    os.symlink("loop-b.tf", "t/loop-a.tf")
    os.symlink("loop-a.tf", "t/loop-b.tf")
    os.symlink("/dev/zero", "t/zero.tf")
    os.mkfifo("t/fifo.tf")
    result = run_cli("check", "t")
    assert_no_crash(result)
    assert result.code == 2
    problems = sorted(result.problems)
    assert [line.split(":")[0] for line in problems] == [
        "t/dangling.tf",
        "t/fifo.tf",
        "t/loop-a.tf",
        "t/loop-b.tf",
        "t/zero.tf",
    ]
    assert "No such file or directory" in problems[0]
    assert "not a regular file" in problems[1]
    assert "Too many levels of symbolic links" in problems[2]
    assert "is outside the project root" in problems[4]  # /dev/zero: not even opened


# --- what kind of document --------------------------------------------------------------


def test_an_errored_plan_is_refused_at_its_errored_flag() -> None:
    plan = json.loads(PLAN.read_text())
    plan["errored"] = True
    write("plan.json", json.dumps(plan, indent=1))
    line = str(json.dumps(plan, indent=1).split("\n").index(' "errored": true') + 1)
    refused_everywhere(
        "plan.json", ("check", "tasks", "convert", "graph"), contains="errored", at=f"{line}:13"
    )


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2.0", "unsupported format_version '2.0'"),
        ("0.1", "unsupported format_version '0.1'"),
        (1, '"format_version" must be a string such as "1.2", not 1'),
    ],
)
def test_unknown_format_version_points_at_it(version: object, expected: str) -> None:
    write("plan.json", json.dumps({"format_version": version, "planned_values": {}}))
    refused_everywhere("plan.json", ("check", "convert"), contains=expected, at="1:20")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[1, 2]", "expected an object"),
        ("null", "expected an object"),
        ('{"a": 1}', 'no "format_version"'),
        ('{"format_version": "1.0"}', "not a Terraform plan"),
        ('{"format_version": "1.0", "values": {}} trailing', "Extra data"),
    ],
)
def test_json_that_is_not_terraform_json(content: str, expected: str) -> None:
    write("x.json", content)
    refused_everywhere("x.json", ("check", "tasks", "convert", "graph"), contains=expected)


def test_duplicate_json_keys_name_the_key_and_both_places() -> None:
    text = PLAN.read_text().replace(
        '"format_version": "1.2",', '"format_version": "1.2",\n  "format_version": "1.2",', 1
    )
    write("plan.json", text)
    line = assert_refused(run_cli("check", "plan.json"), "plan.json", at="3:3")
    assert 'duplicate key "format_version"' in line
    assert "first at line 2, column 3" in line
    refused_everywhere("plan.json", ("tasks", "convert", "graph"), contains="duplicate key")


def test_plan_and_state_work_for_every_command_and_plan_only_options_are_checked() -> None:
    for document in (PLAN, STATE):
        for command in ("check", "tasks", "convert", "graph"):
            result = run_cli(command, str(document))
            assert_no_crash(result)
            assert result.code in (0, 1), (command, document, result)
        assert run_cli("convert", str(document), "--graph", str(DOT)).code == 0
    assert run_cli("convert", str(PLAN), "--prior-state", "data-only").code == 0
    assert_refused(
        run_cli("convert", str(STATE), "--prior-state", "data-only"),
        str(STATE),
        contains="--prior-state applies to plan input only",
    )


def test_convert_refuses_terraform_source_in_one_line() -> None:
    write("t/main.tf", APP)
    for path in ("t", "t/main.tf"):
        assert_refused(run_cli("convert", path), path, contains="not Terraform source")


def test_a_graph_file_that_is_not_dot_is_refused_by_every_command() -> None:
    cases = {
        "json.dot": (PLAN.read_text(), "1:1", "expected 'digraph'"),
        "empty.dot": ("", "1:1", "empty file"),
        "cut.dot": ('digraph {\n  "a" -> \n', "3:1", "expected 'id', found end of file"),
        "latin1.dot": (b'digraph {\n "caf\xe9" }', "2:6", "not UTF-8 (byte 0xe9)"),
    }
    for name, (content, at, expected) in cases.items():
        write(name, content)
        for command in ("check", "convert", "graph"):
            assert_refused(
                run_cli(command, str(PLAN), "--graph", name), name, at=at, contains=expected
            )


def test_check_graph_option_needs_plan_or_state_input() -> None:
    write("t/main.tf", APP)
    assert_refused(
        run_cli("check", "t", "--graph", str(DOT)), str(DOT), contains="--graph applies to plan"
    )


def test_missing_paths_are_one_line() -> None:
    for command in ("check", "tasks", "convert", "graph"):
        assert_refused(run_cli(command, "nowhere.json"), "nowhere.json", contains="no such file")


# --- strings Terraform refuses -------------------------------------------------------------


@pytest.mark.parametrize(("escape", "code"), [("\\uD800", "d800"), ("\\U00110000", "110000")])
def test_escapes_naming_no_character_get_terraforms_error(escape: str, code: str) -> None:
    write("t/main.tf", f'locals {{\n  x = "a{escape}"\n}}\n')
    refused_everywhere(
        "t/main.tf",
        ("check", "tasks", "graph"),
        at="2:9",
        contains=f"Invalid escape sequence: Cannot encode character U+{code} in UTF-8.",
    )


def test_lone_surrogates_in_plan_json_become_replacement_characters_like_go() -> None:
    plan = json.loads(PLAN.read_text())
    for resource in plan["planned_values"]["root_module"]["resources"]:
        if resource["type"] == "coder_app":
            resource["values"]["display_name"] = "\ud800 Claude"
    write("plan.json", json.dumps(plan))
    converted = run_cli("convert", "plan.json")
    assert converted.code == 0
    names = [
        app["display_name"]
        for resource in json.loads(converted.stdout)["Resources"]
        for agent in resource.get("agents") or []
        for app in agent.get("apps") or []
    ]
    assert names.count("\ufffd Claude") == 2, names
    for format_ in ("text", "json", "sarif", "junit", "github"):
        assert_no_crash(run_cli("check", "plan.json", "--format", format_))


# --- modules ----------------------------------------------------------------------------


def test_a_module_calling_itself_is_a_cycle_finding() -> None:
    """Terraform's init cannot install a module inside itself: an AIT110 error, not AIT304."""
    write("t/main.tf", 'module "self" {\n  source = "./"\n}\n')
    write("u/a/main.tf", 'module "again" {\n  source = "../a"\n}\n')
    write("u/main.tf", 'module "a" {\n  source = "./a"\n}\n')
    for root, where, cycle in (
        ("t", "t/main.tf:1:1", "module source cycle: . -> ."),
        ("u", "u/a/main.tf:1:1", "module source cycle: . -> a -> a"),
    ):
        result = run_cli("check", root)
        assert_no_crash(result)
        assert result.code == 1
        assert " AIT304 " not in result.stdout
        lines = [line for line in result.stdout.splitlines() if " AIT110 " in line]
        assert len(lines) == 1
        assert lines[0].startswith(f"{where}: error AIT110 ")
        assert cycle in lines[0]
        assert "`terraform init` cannot install a module that contains itself" in lines[0]
        assert run_cli("tasks", root).code == 0


def _chain(root: Path, depth: int) -> None:
    write(
        str(root / "main.tf"),
        APP.replace('"coder_app" "web"', '"null_resource" "unused"')
        + 'resource "docker_container" "w" {\n  env = [coder_agent.main.token]\n}\n'
        'module "m0" {\n  source   = "./m0"\n  agent_id = coder_agent.main.id\n}\n'
        'resource "coder_ai_task" "task" {\n  app_id = module.m0.task_app_id\n}\n',
    )
    directory = root
    for level in range(depth):
        directory = directory / f"m{level}"
        if level < depth - 1:
            body = (
                f'module "m{level + 1}" {{\n  source   = "./m{level + 1}"\n'
                "  agent_id = var.agent_id\n}\n"
                f'output "task_app_id" {{\n  value = module.m{level + 1}.task_app_id\n}}\n'
            )
        else:
            body = (
                'resource "coder_app" "web" {\n  agent_id = var.agent_id\n  slug = "deep"\n'
                '  url = "http://localhost:3000"\n}\n'
                'output "task_app_id" {\n  value = coder_app.web.id\n}\n'
            )
        write(str(directory / "main.tf"), 'variable "agent_id" {}\n' + body)


@pytest.mark.slow
def test_a_100_module_chain_is_followed_to_the_app_quickly() -> None:
    _chain(Path("chain"), 100)
    measured = run_measured("tasks", "chain", "--format", "json", cwd=Path.cwd())
    assert measured.code == 0, measured.stderr
    task = json.loads(measured.stdout)["ai_tasks"][0]
    assert task["app"]["slug"] == "deep"
    assert task["app"]["agent"] == "coder_agent.main"
    assert task["problems"] == []
    assert_bounded(measured, memory=512 * MIB, cpu=10)
    check = run_cli("check", "chain", "--select", "AIT0,AIT1,AIT3")
    assert (check.code, check.stdout) == (0, "101 files checked, no findings\n")


def test_module_nesting_past_the_limit_is_a_finding_on_the_deepest_call() -> None:
    _chain(Path("chain"), 129)
    result = run_cli("check", "chain", "--select", "AIT304")
    assert_no_crash(result)
    assert result.code == 0  # Terraform accepts the nesting: only the analysis stops there
    (line, _summary) = result.stdout.splitlines()
    assert line.startswith("chain/m0/m1/")
    assert "/m127/main.tf:2:1: info AIT304 " in line
    assert 'module "m128": module nesting deeper than 128' in line


def test_missing_and_looping_module_sources_are_findings() -> None:
    write(
        "t/main.tf",
        'module "gone" {\n  source = "./gone"\n}\n\nmodule "loop" {\n  source = "./loop"\n}\n',
    )
    os.symlink("loop", "t/loop")
    result = run_cli("check", "t", "--select", "AIT304,AIT308")
    assert result.code == 1
    lines = result.stdout.splitlines()[:2]
    unreadable = "Terraform fails with: Unreadable module directory: The directory"
    assert lines[0] == (
        't/main.tf:1:1: error AIT308 module "gone": module directory t/gone does not exist; '
        f'{unreadable} ./gone could not be read for module "gone" at main.tf:1.'
    )
    assert lines[1] == (
        't/main.tf:5:1: error AIT308 module "loop": module source t/loop is not a directory; '
        f'{unreadable} ./loop could not be read for module "loop" at main.tf:5.'
    )


def _manifest(root: str, content: str) -> None:
    write(
        f"{root}/main.tf",
        'module "claude" {\n'
        '  source  = "registry.coder.com/coder/claude-code/coder"\n'
        '  version = "4.3.0"\n'
        "}\n",
    )
    write(f"{root}/.terraform/modules/modules.json", content)


def test_a_corrupt_module_manifest_is_a_finding_with_its_position() -> None:
    _manifest("t", '{"Modules": [\n  {"Key": "claude",\n')
    line = assert_refused(run_cli("check", "t"), "t/.terraform/modules/modules.json", at="3:1")
    assert "unreadable module manifest" in line
    _manifest("u", '{"Modules": {}}')
    assert_refused(
        run_cli("check", "u"), "u/.terraform/modules/modules.json", contains='no "Modules" list'
    )


@pytest.mark.parametrize("kind", ["device", "fifo", "directory", "dangling"])
def test_a_module_manifest_that_is_not_a_regular_file_is_reported(kind: str) -> None:
    """A committed modules.json -> /dev/zero (or a FIFO, ...) was skipped without a word."""
    _manifest("t", "{}")
    manifest = Path("t/.terraform/modules/modules.json")
    manifest.unlink()
    if kind == "device":
        manifest.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(manifest)
    elif kind == "directory":
        manifest.mkdir()
    else:
        manifest.symlink_to("missing.json")
    line = assert_refused(run_cli("check", "t"), "t/.terraform/modules/modules.json")
    # /dev/zero is outside the project root, and said so; the others are not regular files
    expected = "is outside the project root" if kind == "device" else "not a regular file"
    assert "module manifest" in line and expected in line, line


def test_a_module_manifest_pointing_outside_the_project_is_not_followed() -> None:
    Path("outside").mkdir()
    write("outside/main.tf", 'output "task_app_id" {\n  value = "x"\n}\n')
    Path("repo/.git").mkdir(parents=True)
    _manifest("repo/t", json.dumps({"Modules": [{"Key": "claude", "Dir": "../../outside"}]}))
    result = run_cli("check", "repo/t", "--select", "AIT304")
    assert result.code == 0  # the linter's refusal, not Terraform's: informational
    assert " info AIT304 " in result.stdout.splitlines()[0]
    assert "is outside the project root" in result.stdout.splitlines()[0]
