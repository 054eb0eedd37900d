"""The committed JSON Schemas match the models, and our output matches them."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from aitask_lint.convert.api import convert_state
from aitask_lint.convert.golden import golden_dict
from aitask_lint.schema_export import generated_schemas

from conftest import CORPUS, ROOT, TASK_TEMPLATE


@pytest.mark.parametrize("name", sorted(generated_schemas()))
def test_committed_schema_matches_the_models(name: str) -> None:
    committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
    assert committed == generated_schemas()[name], (
        f"schemas/{name} is stale: run `python -m aitask_lint.schema_export`"
    )


def test_input_schemas_are_valid_json_schemas() -> None:
    for name in ("terraform-plan.schema.json", "terraform-state.schema.json"):
        Draft202012Validator.check_schema(json.loads((ROOT / "schemas" / name).read_text()))


def test_convert_output_validates_against_its_schema() -> None:
    schema = json.loads((ROOT / "schemas" / "convert-state.schema.json").read_text())
    validator = Draft202012Validator(schema)
    documents = [golden_dict(convert_state(TASK_TEMPLATE / "state.json"))]
    if CORPUS.is_dir():
        documents += [
            json.loads(path.read_text())
            for path in sorted(CORPUS.glob("*/converted_state.*.golden"))
        ]
    for document in documents:
        if isinstance(document, dict):
            assert list(validator.iter_errors(document)) == []


def test_rules_json_validates_against_its_schema() -> None:
    from aitask_lint.lint.docs import catalog_json

    schema = json.loads((ROOT / "schemas" / "rules.schema.json").read_text())
    validator = Draft202012Validator(schema)
    document = json.loads(catalog_json())
    from aitask_lint.lint.registry import all_rules

    assert len(document) == len(all_rules())
    assert list(validator.iter_errors(document)) == []
    # the schema is strict: an unknown key in an example is refused
    document[0]["examples"]["failing"]["preamble"] = "..."
    assert list(validator.iter_errors(document))
