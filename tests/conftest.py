"""Shared test helpers: where fixtures and the shared Coder corpus live."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from fresh_env import Built

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "coder-provisioner"
TASK_TEMPLATE = FIXTURES / "convert" / "task-template"

CORPUS_MISSING = "shared corpus not found at ../shared/corpus/coder-provisioner"

# The suite (and every CLI process it starts) uses a cache directory of its own,
# never the developer's ~/.cache/aitask-lint.
os.environ.setdefault("AITASK_LINT_CACHE_DIR", tempfile.mkdtemp(prefix="aitask-lint-tests-"))


def corpus_fixtures() -> list[str]:
    """Names of the upstream fixture directories, or [] when the corpus is absent."""
    if not CORPUS.is_dir():
        return []
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def corpus_params() -> list[Any]:
    """Fixture names as pytest params; one visibly skipped param when the corpus is absent."""
    names = corpus_fixtures()
    if names:
        return names
    return [pytest.param("corpus-missing", marks=pytest.mark.skip(reason=CORPUS_MISSING))]


def json_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path (keys and indexes) of every value in a JSON document, itself first."""
    found = [prefix]
    if isinstance(value, dict):
        for key, member in value.items():
            found += json_paths(member, (*prefix, key))
    elif isinstance(value, list):
        for index, member in enumerate(value):
            found += json_paths(member, (*prefix, index))
    return found


def load_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture
def expected() -> dict[str, Any]:
    if not CORPUS.is_dir():
        pytest.skip(CORPUS_MISSING)
    data: dict[str, Any] = load_json(CORPUS / "EXPECTED.json")
    return data


@pytest.fixture(scope="session")
def built_package(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """This checkout built (wheel, sdist) and its runtime dependencies gathered, once per run.

    See ``tests/fresh_env.py``: every xdist worker of the run shares the one
    build (their temporary directories have a common parent).
    """
    pytest.importorskip("build", reason="`build` is not installed (test extra)")
    from fresh_env import built_once

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return built_once(shared, ROOT)
