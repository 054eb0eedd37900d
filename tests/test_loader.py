"""Loading plan/state JSON: detection, versions, schema checks, positioned errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aitask_lint.errors import InputError
from aitask_lint.tfjson.loader import load_terraform_json

from conftest import TASK_TEMPLATE

PLAN = TASK_TEMPLATE / "plan.json"
STATE = TASK_TEMPLATE / "state.json"


def test_detects_plan_and_state_from_path_bytes_and_dict() -> None:
    assert load_terraform_json(PLAN).kind == "plan"
    assert load_terraform_json(STATE).kind == "state"
    assert load_terraform_json(PLAN.read_bytes()).kind == "plan"
    parsed = json.loads(STATE.read_text())
    document = load_terraform_json(parsed)
    assert document.kind == "state"
    assert document.format_version == "1.0"


def test_plan_modules_follow_coder_tests_and_production() -> None:
    document = load_terraform_json(PLAN)
    planned, prior = document.root_modules("all")
    assert any(r["mode"] == "managed" for r in planned["resources"])
    assert {r["mode"] for r in prior["resources"]} == {"data"}
    assert len(document.root_modules("none")) == 1
    data_only = document.root_modules("data-only")[1]
    assert all(r["mode"] == "data" for r in data_only["resources"])


def test_given_dict_is_not_modified() -> None:
    parsed = json.loads(PLAN.read_text())
    snapshot = json.dumps(parsed, sort_keys=True)
    load_terraform_json(parsed).root_modules("data-only")
    assert json.dumps(parsed, sort_keys=True) == snapshot


def _error(tmp_path: Path, text: str | bytes, name: str = "doc.json") -> InputError:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(InputError) as raised:
        load_terraform_json(path)
    return raised.value


def test_truncated_json_names_line_and_column(tmp_path: Path) -> None:
    text = PLAN.read_text()
    cut = text.index('"planned_values"') + 40
    error = _error(tmp_path, text[:cut])
    assert error.line is not None
    assert error.message.startswith("invalid JSON:")
    assert str(error).startswith(f"{tmp_path / 'doc.json'}:{error.line}:")
    assert "\n" not in str(error)


def test_not_terraform_json(tmp_path: Path) -> None:
    error = _error(tmp_path, '{"hello": "world"}')
    assert 'no "format_version"' in error.message
    assert (error.line, error.column) == (1, 1)
    assert "expected an object" in _error(tmp_path, "[1, 2]").message


def test_unsupported_major_version_is_refused(tmp_path: Path) -> None:
    error = _error(tmp_path, '{\n  "format_version": "2.0",\n  "planned_values": {}\n}')
    assert "unsupported format_version '2.0'" in error.message
    assert (error.line, error.column) == (2, 21)


def test_schema_violation_points_at_the_offending_value(tmp_path: Path) -> None:
    document = json.loads(PLAN.read_text())
    document["planned_values"]["root_module"]["resources"][2]["mode"] = "weird"
    text = json.dumps(document, indent=2)
    error = _error(tmp_path, text)
    assert error.pointer == "/planned_values/root_module/resources/2/mode"
    assert "'weird' is not one of ['managed', 'data']" in error.message
    lines = text.splitlines()
    assert lines[error.line - 1][error.column - 1 :].startswith('"weird"')


def test_errored_plan_is_refused(tmp_path: Path) -> None:
    document = json.loads(PLAN.read_text())
    document["errored"] = True
    assert "plan is errored" in _error(tmp_path, json.dumps(document)).message


def test_encoding_problems(tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf" + STATE.read_bytes()
    path = tmp_path / "bom.json"
    path.write_bytes(bom)
    assert load_terraform_json(path).kind == "state"
    error = _error(tmp_path, b'{"format_version": "1.0",\n "values": "\xff"}')
    assert error.message.startswith("invalid UTF-8")
    assert (error.line, error.column) == (2, 13)
    assert _error(tmp_path, b"  \n").message.startswith("empty file")


def test_missing_and_directory_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_terraform_json(tmp_path / "absent.json")
    with pytest.raises(InputError, match="is a directory"):
        load_terraform_json(tmp_path)


def test_deeply_nested_json_is_an_input_error(tmp_path: Path) -> None:
    error = _error(tmp_path, "[" * 100_000 + "]" * 100_000)
    assert "nested too deeply" in error.message
