"""Mutated fixtures give a result or the project's own error, never a crash.

Hypothesis drives the mutators of ``benchmarks/fuzz.py`` (byte flips,
deletions, HCL/JSON/DOT token insertions, truncation, duplicated and swapped
lines, JSON values swapped for other types) over the project's fixtures and
Coder's corpus. ``derandomize=True`` makes every CI run try the same cases;
``benchmarks/fuzz.py --minutes N`` runs the same thing for longer. The
regression tests at the end are the crashes the long runs found.

Each example's ``rng`` is a ``random.Random`` that Hypothesis seeds
(``use_true_random=True``): a random whose every call is a recorded
Hypothesis draw cost more than the case itself (a huge-number mutator draws
20,000 digits), half of these tests' time.
"""

from __future__ import annotations

import importlib.util
import json
import random
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_runner import assert_no_crash, assert_refused, run_cli

from conftest import FIXTURES, ROOT


def _load_fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("aitask_fuzz", ROOT / "benchmarks" / "fuzz.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["aitask_fuzz"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()
HCL_SEEDS = fuzz.hcl_seeds()
JSON_SEEDS = fuzz.json_seeds()
DOT_SEEDS = fuzz.dot_seeds()


def bounded(examples: int) -> settings:
    """Few enough examples for CI, the same ones every run, no per-example deadline."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module", autouse=True)
def _parse_in_process() -> Iterator[None]:
    """Every case parsed here, without the disk cache (and without forking workers)."""
    from aitask_lint.hcl import settings as parse_settings

    saved = parse_settings.SETTINGS
    parse_settings.SETTINGS = parse_settings.Settings(cache=False, jobs=1)
    yield
    parse_settings.SETTINGS = saved


def test_the_seeds_cover_every_kind_of_input() -> None:
    assert len(HCL_SEEDS) > 100
    assert any(seed.path.name.endswith(".tf.json") for seed in HCL_SEEDS)
    assert any(seed.path.name == "state.json" for seed in JSON_SEEDS)
    assert any(seed.path.name == "plan.json" for seed in JSON_SEEDS)
    assert DOT_SEEDS


def test_mutators_change_their_input() -> None:
    rng = random.Random(0)
    data = (FIXTURES / "examples" / "task-template" / "main.tf").read_bytes()
    for kind in ("hcl", "json", "dot"):
        for mutator in fuzz.MUTATORS[kind]:
            assert any(mutator(data, rng) != data for _ in range(5)), mutator


def _case(seed: object, rng: random.Random) -> None:
    data = fuzz.mutate(seed.path.read_bytes(), seed.kind, rng)  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as work:
        fuzz.run_case(seed, data, Path(work))


@pytest.mark.slow
@bounded(200)
@given(seed=st.sampled_from(HCL_SEEDS), rng=st.randoms(use_true_random=True))
def test_mutated_hcl_is_linted_or_refused(seed: object, rng: random.Random) -> None:
    _case(seed, rng)


@pytest.mark.slow
@bounded(200)
@given(seed=st.sampled_from(JSON_SEEDS), rng=st.randoms(use_true_random=True))
def test_mutated_plan_and_state_json_is_converted_or_refused(
    seed: object, rng: random.Random
) -> None:
    _case(seed, rng)


@pytest.mark.slow
@bounded(80)
@given(seed=st.sampled_from(DOT_SEEDS), rng=st.randoms(use_true_random=True))
def test_mutated_dot_graphs_are_read_or_refused(seed: object, rng: random.Random) -> None:
    _case(seed, rng)


@pytest.mark.slow
@bounded(80)
@given(
    seed=st.sampled_from([*HCL_SEEDS[::4], *JSON_SEEDS[::4]]),
    rng=st.randoms(use_true_random=True),
)
def test_the_cli_exits_0_1_or_2_without_a_traceback(seed: object, rng: random.Random) -> None:
    data = fuzz.mutate(seed.path.read_bytes(), seed.kind, rng)  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as work:
        if seed.kind == "hcl":  # type: ignore[attr-defined]
            target = Path(work) / "t"
            shutil.copytree(seed.root, target, symlinks=True)  # type: ignore[attr-defined]
            (target / seed.path.relative_to(seed.root)).write_bytes(data)  # type: ignore[attr-defined]
            commands = [("check", str(target)), ("tasks", str(target)), ("graph", str(target))]
        else:
            target = Path(work) / "input.json"
            target.write_bytes(data)
            commands = [("check", str(target)), ("convert", str(target)), ("tasks", "-")]
        for command in commands:
            result = run_cli(*command, stdin=data)
            assert_no_crash(result)
            assert result.code in (0, 1, 2), (command, result)
            if result.code == 2:
                assert result.problems, result


# --- crashes found by benchmarks/fuzz.py, kept as regressions -------------------------------


def test_a_list_where_an_app_id_belongs_is_linted() -> None:
    # TypeError: unhashable type: 'list' in AIT106 (a state whose coder_app id was [null])
    path = FIXTURES / "bad-inputs" / "fuzz" / "ait106-list-as-app-id.state.json"
    result = run_cli("check", str(path), "--format", "json")
    assert_no_crash(result)
    assert result.code in (0, 1)
    assert "AIT001" not in {f["rule"] for f in json.loads(result.stdout)["findings"]}


def test_a_surrogate_escape_in_a_string_is_terraforms_error(tmp_path: Path) -> None:
    # UnicodeEncodeError in AIT406's byte count: "\uD800" reached the model as a lone surrogate
    (tmp_path / "main.tf").write_text(
        'resource "coder_app" "a" {\n  agent_id     = "x"\n  display_name = "\\uD800"\n}\n'
    )
    line = assert_refused(run_cli("check", str(tmp_path)), str(tmp_path / "main.tf"), at="3:19")
    assert "Invalid escape sequence: Cannot encode character U+d800 in UTF-8." in line


def test_a_lone_surrogate_from_a_library_caller_is_counted_not_a_crash() -> None:
    # the loaders replace lone surrogates (as Go does); a dict given to the library is
    # taken as it is, and the provider's byte count must still not crash on one
    from aitask_lint.lint.context import LintContext
    from aitask_lint.lint.registry import rule_by_key
    from aitask_lint.tfjson.loader import load_terraform_json

    plan = json.loads((FIXTURES / "convert" / "task-template" / "plan.json").read_text())
    for resource in plan["planned_values"]["root_module"]["resources"]:
        if resource["type"] == "coder_app":
            resource["values"]["display_name"] = "\ud800" * 30  # 90 bytes: over the 64 limit
    rule = rule_by_key("AIT406")
    assert rule is not None
    problems = list(rule.check(LintContext(None, load_terraform_json(plan))))
    assert len(problems) == 2
    assert all("display_name" in problem.message for problem in problems)
