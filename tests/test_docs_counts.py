"""The counts the README and docs claim are the counts of the code and the corpus.

The rule count comes from the registry and the conformance count from Coder's
corpus; the prose only repeats them. A new rule (or a corpus fixture) without a
README update fails here, instead of the README quietly going stale.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aitask_lint.lint.registry import all_rules

from conftest import CORPUS, CORPUS_MISSING, ROOT, corpus_fixtures

README = ROOT / "README.md"
CONVERT_DOC = ROOT / "docs" / "convert.md"
KINDS = (("plan", "tfplan"), ("state", "tfstate"))


def _claims(text: str, pattern: str) -> list[tuple[str, ...]]:
    found = [match.groups() for match in re.finditer(pattern, text)]
    assert found, f"no claim matching {pattern!r}: the sentence moved, update this test"
    return found


def _conformance_inputs() -> list[str]:
    """Every (fixture, plan or state) the conformance tests convert against a golden file."""
    return [
        f"{name}/{kind}"
        for name in corpus_fixtures()
        for kind, extension in KINDS
        if (CORPUS / name / f"{name}.{extension}.json").is_file()
        and (CORPUS / name / f"converted_state.{kind}.golden").is_file()
    ]


def test_readme_rule_count_is_the_registry() -> None:
    (count,) = _claims(README.read_text(encoding="utf-8"), r"a catalog of (\d+) rules")[0]
    assert int(count) == len(all_rules()), (
        f"README.md says {count} rules, the registry has {len(all_rules())}: update README.md"
    )


def _require_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip(CORPUS_MISSING)


@pytest.mark.parametrize("page", [README, CONVERT_DOC], ids=lambda page: page.name)
def test_conformance_claims_are_the_corpus(page: Path) -> None:
    _require_corpus()
    text = page.read_text(encoding="utf-8")
    inputs = len(_conformance_inputs())
    for matched, total in _claims(text, r"on (\d+) of (\d+) inputs"):
        assert (int(matched), int(total)) == (inputs, inputs), (
            f"{page.name} claims {matched} of {total} inputs; the corpus has {inputs} "
            "conformance inputs (tests/test_conformance.py converts every one)"
        )


def test_convert_doc_fixture_count_is_the_corpus() -> None:
    _require_corpus()
    text = CONVERT_DOC.read_text(encoding="utf-8")
    for (count,) in _claims(text, r"Coder's (\d+) fixtures"):
        assert int(count) == len(corpus_fixtures())
    for (count,) in _claims(text, r"in \d+\s+of (\d+) fixtures"):
        assert int(count) == len(corpus_fixtures())
