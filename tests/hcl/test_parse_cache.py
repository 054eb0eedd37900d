"""The parse cache and parallel parsing give exactly what a fresh parse gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from aitask_lint.errors import InputError
from aitask_lint.hcl import files, settings
from aitask_lint.hcl.files import load_hcl_file
from cli_runner import run_cli

from conftest import FIXTURES

TEMPLATE = FIXTURES / "templates" / "modern-local-modules"


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory and memo, the cache on, two workers."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("AITASK_LINT_CACHE_DIR", str(cache))
    monkeypatch.delenv(settings.NO_CACHE_ENV, raising=False)
    monkeypatch.setattr(settings, "SETTINGS", settings.Settings(cache=True, jobs=2))
    monkeypatch.setattr(settings, "MEMO", {})
    return cache


def _tf_files() -> list[Path]:
    return sorted(
        p for p in (FIXTURES / "templates").rglob("*.tf*") if p.suffix in (".tf", ".json")
    )


def test_a_cache_hit_is_the_same_tree_under_the_new_path(fresh: Path, tmp_path: Path) -> None:
    source = TEMPLATE / "main.tf"
    first = files.parse_file(str(source.resolve()), str(source))
    assert list((fresh / "parse").rglob("*.json")), "the parse was stored"
    copy = tmp_path / "elsewhere" / "main.tf"
    copy.parent.mkdir()
    shutil.copy(source, copy)
    settings.MEMO.clear()
    hit = files.parse_file(str(copy.resolve()), str(copy))
    assert hit == load_hcl_file(str(copy))  # every span names the copy, not the original
    assert hit != first
    assert {block.span.path for block in hit.body.blocks} == {str(copy)}


def test_syntax_errors_are_cached_and_raised_again(fresh: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.tf"
    broken.write_text('resource "a" "b" {\n  x = \n}\n')
    with pytest.raises(InputError) as first:
        files.parse_file(str(broken), str(broken))
    settings.MEMO.clear()
    with pytest.raises(InputError) as again:
        files.parse_file(str(broken), str(broken))
    assert str(again.value) == str(first.value)


def test_corrupt_entries_are_misses(fresh: Path) -> None:
    source = TEMPLATE / "main.tf"
    files.parse_file(str(source.resolve()), str(source))
    for entry in (fresh / "parse").rglob("*.json"):
        entry.write_bytes(b"\x80\x05garbage")
    settings.MEMO.clear()
    assert files.parse_file(str(source.resolve()), str(source)) == load_hcl_file(str(source))


def test_no_cache_writes_nothing(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "SETTINGS", settings.Settings(cache=False, jobs=1))
    source = TEMPLATE / "main.tf"
    files.parse_file(str(source.resolve()), str(source))
    assert not fresh.exists() or not list((fresh / "parse").rglob("*.json"))


def test_parallel_prefetch_equals_serial_parsing(fresh: Path) -> None:
    paths = [str(p) for p in _tf_files()]
    assert len(paths) >= files.POOL_THRESHOLD
    files.prefetch(paths)
    for path in paths:
        try:
            expected = load_hcl_file(path)
        except InputError as error:
            with pytest.raises(InputError, match=error.message):
                files.parse_file(os.path.realpath(path), path)
            continue
        assert files.parse_file(os.path.realpath(path), path) == expected
    assert len(list((fresh / "parse").rglob("*.json"))) == len(paths)


def test_changed_file_is_parsed_again(fresh: Path, tmp_path: Path) -> None:
    target = tmp_path / "main.tf"
    target.write_text('resource "a" "b" {}\n')
    assert len(files.parse_file(str(target), str(target)).body.blocks) == 1
    target.write_text('resource "a" "b" {}\nresource "a" "c" {}\n')
    assert len(files.parse_file(str(target), str(target)).body.blocks) == 2


def test_check_output_is_identical_cold_warm_and_with_any_jobs(
    fresh: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cold, warm and no parse cache, with two workers, the default and one: the CLI in-process.

    Each run starts as a process would: an empty memo and the default settings,
    so that the warm run reads the cache the cold one wrote.
    """
    # every fixture template: enough distinct root files for the workers to parse (copies
    # of one would be cache hits after the first; -r parses files calling local modules
    # first, one by one, to find the roots)
    roots = tmp_path / "roots"
    shutil.copytree(FIXTURES / "templates", roots)
    pooled: list[int] = []
    real_pool = files._parse_in_pool

    def counting_pool(sources: list[Any], jobs: int, use_cache: bool) -> Any:
        pooled.append(len(sources))
        try:
            return real_pool(sources, jobs, use_cache)
        except BaseException as error:  # the caller would go on serially, unseen
            pytest.fail(f"the worker pool failed: {error!r}")

    monkeypatch.setattr(files, "_parse_in_pool", counting_pool)

    def check(*options: str) -> str:
        monkeypatch.setattr(settings, "SETTINGS", settings.Settings())
        monkeypatch.setattr(settings, "MEMO", {})
        result = run_cli("check", "-r", str(roots), "--format", "json", *options)
        assert result.code in (0, 1), result.stderr
        return result.stdout

    cold = check("--jobs", "2")
    assert pooled, "the cold run parsed in worker processes"
    assert list((fresh / "parse").rglob("*.json"))
    pooled.clear()
    assert check() == cold  # warm
    assert pooled == [], "the warm run parsed again"
    assert check("--jobs", "1", "--no-cache") == cold


def test_the_parser_tag_covers_the_words_of_syntax_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A cached syntax error holds its message: a new wording must not be served old text."""
    from aitask_lint.hcl import files

    before = files._parser_tag.__wrapped__()
    real = Path.read_bytes

    def reworded(path: Path) -> bytes:
        data = real(path)
        return data + b"\n# reworded\n" if path.name == "coder_text.py" else data

    monkeypatch.setattr(Path, "read_bytes", reworded)
    assert files._parser_tag.__wrapped__() != before
