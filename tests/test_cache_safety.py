"""The cache directory is data, never code; it is ours alone; it stays bounded (issue 10).

What these tests hold the cache to (docs/limits.md, "Threat model: the cache"):

* a pickle planted in any file under the cache directory (parse entries and
  the grammar, which is cached under a python-hcl2 release the package ships
  no grammar tables for: ``foreign_hcl2``) never runs, with or without
  ``--no-cache``, and the findings stay right;
* ``--no-cache`` opens nothing in the cache directory, the grammar included;
* the directory is created 0700 whatever the umask; one owned by another
  user or writable by others is refused in one line and the run goes on
  without the cache; relative ``XDG_CACHE_HOME``/``AITASK_LINT_CACHE_DIR``
  never put it in the scanned tree;
* entries carry no path (a copy of a file gets its own path, and a string
  equal to the path is left alone);
* failed writes leave no temporary file, and the cache evicts its least
  recently used entries past its bounds.
"""

from __future__ import annotations

import contextlib
import errno
import os
import pickle
import shutil
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aitask_lint.errors import InputError
from aitask_lint.hcl import files, settings
from aitask_lint.hcl.files import load_hcl_file
from aitask_lint.hcl.source import grammar_digest
from cli_runner import run_cli
from foreign_hcl2 import make_foreign_hcl2, warm_foreign_cache

from conftest import FIXTURES

TEMPLATE = FIXTURES / "templates" / "modern-local-modules"


class _Planted:
    """Unpickling this creates ``marker``: proof that a cache file ran code."""

    def __init__(self, marker: Path, how: str) -> None:
        self.marker = marker
        self.how = how

    def __reduce__(self) -> tuple[Any, ...]:
        if self.how == "system":
            return (os.system, (f"touch {self.marker}",))
        return (open, (str(self.marker), "w"))


def planted_pickle(marker: Path, how: str = "open") -> bytes:
    return pickle.dumps(_Planted(marker, how), protocol=pickle.HIGHEST_PROTOCOL)


def _check(
    cache: Path | None,
    *options: str,
    cwd: Path | None = None,
    base: dict[str, str] | None = None,
    **env: str,
) -> Any:
    environment = {**(base or os.environ), **env}
    if cache is not None:
        environment["AITASK_LINT_CACHE_DIR"] = str(cache)
    return subprocess.run(
        [sys.executable, "-m", "aitask_lint", "check", *options],
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A process environment whose python-hcl2 has no shipped tables: the grammar is cached."""
    return make_foreign_hcl2(tmp_path_factory.mktemp("foreign-hcl2"))


@pytest.fixture
def template(tmp_path: Path) -> Path:
    copy = tmp_path / "template"
    shutil.copytree(TEMPLATE, copy)
    return copy


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache directory, the cache on, no worker processes, nothing remembered."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("AITASK_LINT_CACHE_DIR", str(cache))
    monkeypatch.delenv(settings.NO_CACHE_ENV, raising=False)
    monkeypatch.setattr(settings, "SETTINGS", settings.Settings(cache=True, jobs=1))
    monkeypatch.setattr(settings, "MEMO", {})
    _forget_verdicts()
    yield cache
    _forget_verdicts()


def _forget_verdicts() -> None:
    """Judge the cache directories again (each test changes owners and modes)."""
    try:
        from aitask_lint.hcl import cachestore
    except ImportError:  # the code before issue 10 judged nothing
        return
    cachestore.forget_verdicts()


def _entries(cache: Path) -> list[Path]:
    """The parse cache's entries, whatever their format."""
    found = (cache / "parse").rglob("*")
    return sorted(p for p in found if p.is_file() and not p.name.startswith("."))


def _parse(path: Path, shown: str | None = None) -> Any:
    settings.MEMO.clear()
    return files.parse_file(str(path.resolve()), shown or str(path))


# --- nothing in the cache directory runs --------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("no_cache", [False, True], ids=["cache", "no-cache"])
def test_a_pickle_planted_in_every_cache_file_never_runs(
    tmp_path: Path, template: Path, no_cache: bool, foreign: dict[str, str]
) -> None:
    """With the cache on, under a python-hcl2 whose grammar is cached; with it off, as installed.

    Under ``--no-cache`` nothing in the directory is opened, the grammar cache
    included, and a python-hcl2 with no shipped tables would only make the
    process build the grammar (2 s), so that run uses the installed one.
    """
    cache = tmp_path / "cache"
    environment = dict(os.environ) if no_cache else foreign
    if not no_cache:
        warm_foreign_cache(foreign, cache)
    expected = _check(cache, str(template), "--format", "json", base=environment)
    assert expected.returncode in (0, 1), expected.stderr
    planted = [p for p in cache.rglob("*") if p.is_file()]
    if not no_cache:
        assert any(p.name.startswith("hcl2-grammar-") for p in planted), "the grammar was cached"
    assert len(planted) > 3, "parse entries were written"
    marker = tmp_path / "EXECUTED"
    for index, path in enumerate(planted):
        path.write_bytes(planted_pickle(marker, "system" if index % 2 else "open"))
    # and under the names this and earlier versions read
    (cache / f"hcl2-grammar-{grammar_digest()}.json").write_bytes(planted_pickle(marker))
    (cache / "hcl2-grammar-0000000000000000.pickle").write_bytes(planted_pickle(marker))
    options = ["--no-cache"] if no_cache else []
    again = _check(cache, str(template), "--format", "json", *options, base=environment)
    assert not marker.exists(), "a cache file ran code"
    assert (again.returncode, again.stdout) == (expected.returncode, expected.stdout)
    assert again.stderr == ""


def test_a_planted_entry_is_a_miss_and_is_rewritten(fresh: Path, tmp_path: Path) -> None:
    source = TEMPLATE / "main.tf"
    expected = load_hcl_file(str(source))
    _parse(source)
    (entry,) = _entries(fresh)
    marker = tmp_path / "EXECUTED"
    entry.write_bytes(planted_pickle(marker))
    assert _parse(source) == expected
    assert not marker.exists()
    assert entry.read_bytes().startswith(b"["), "the parse was stored again, as data"


def test_no_cache_opens_nothing_in_the_cache_directory(tmp_path: Path) -> None:
    cache = tmp_path / "never-made"
    result = _check(cache, "--no-cache", str(FIXTURES / "examples" / "broken-template"))
    assert result.returncode == 1, result.stderr
    assert not cache.exists(), "the grammar (or anything) was cached under --no-cache"


def test_grammar_cache_is_data_and_a_foreign_one_is_rebuilt(tmp_path: Path) -> None:
    from aitask_lint.hcl import grammarcache
    from aitask_lint.hcl.grammar import postlexer
    from aitask_lint.hcl.source import _hcl2_package

    marker = tmp_path / "EXECUTED"
    with pytest.raises(UnicodeDecodeError):  # not JSON: the caller rebuilds the grammar
        grammarcache.load(planted_pickle(marker), postlexer(_hcl2_package()))
    assert not marker.exists()


# --- the directory: created private, refused when not ours ----------------------


def test_cache_directories_are_created_0700_under_umask_000(fresh: Path, tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "cache"
    os.environ["AITASK_LINT_CACHE_DIR"] = str(deep)  # restored by the fixture's monkeypatch
    previous = os.umask(0)
    try:
        _parse(TEMPLATE / "main.tf")
    finally:
        os.umask(previous)
    made = [tmp_path / "a", tmp_path / "a" / "b", deep, *deep.rglob("*")]
    assert len(made) >= 6
    for path in made:
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode == 0o700, (path, oct(mode))
        else:
            assert mode & 0o077 == 0, (path, oct(mode))


def test_a_cache_directory_owned_by_someone_else_is_refused(
    fresh: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh.mkdir(mode=0o700)
    real_uid = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: real_uid + 4242)
    source = TEMPLATE / "main.tf"
    assert _parse(source) == load_hcl_file(str(source))  # the run goes on, uncached
    assert _parse(source) == load_hcl_file(str(source))
    assert list(fresh.iterdir()) == [], "nothing written into a foreign directory"
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"aitask-lint: warning: cache directory {str(fresh)!r} is owned by another user "
        f"(uid {real_uid}, not {real_uid + 4242}); running without the cache"
    ]


def test_a_world_writable_cache_directory_is_refused_in_one_line(
    tmp_path: Path, template: Path
) -> None:
    cache = tmp_path / "shared"
    cache.mkdir()
    cache.chmod(0o777)
    expected = run_cli("check", "--no-cache", str(template), "--format", "json")  # the answer
    result = _check(cache, str(template), "--format", "json")  # a process: it meets the directory
    assert (result.returncode, result.stdout) == (expected.code, expected.stdout)
    assert result.stderr.splitlines() == [
        f"aitask-lint: warning: cache directory {str(cache)!r} is writable by others "
        "(mode 0777); running without the cache (chmod 700 it to use it)"
    ]
    assert list(cache.iterdir()) == []


def test_a_writable_subdirectory_is_not_trusted(fresh: Path, tmp_path: Path) -> None:
    source = TEMPLATE / "main.tf"
    _parse(source)
    (entry,) = _entries(fresh)
    entry.parent.chmod(0o777)  # e.g. made by an old version under umask 000
    marker = tmp_path / "EXECUTED"
    entry.write_bytes(planted_pickle(marker))
    _forget_verdicts()
    assert _parse(source) == load_hcl_file(str(source))
    assert entry.read_bytes().startswith(b"\x80"), "an untrusted directory is not written"
    assert not marker.exists()


def test_a_relative_xdg_cache_home_is_ignored(tmp_path: Path, template: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "AITASK_LINT_CACHE_DIR"}
    before = sorted(p.relative_to(template) for p in template.rglob("*"))
    result = subprocess.run(
        [sys.executable, "-m", "aitask_lint", "check", "."],
        capture_output=True,
        text=True,
        env={**env, "XDG_CACHE_HOME": "cache-here", "HOME": str(home)},
        cwd=template,
        check=False,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    assert result.stderr == ""
    assert sorted(p.relative_to(template) for p in template.rglob("*")) == before
    assert list((home / ".cache" / "aitask-lint" / "parse").rglob("*.json"))


def test_cache_dir_follows_the_xdg_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from aitask_lint.hcl.source import cache_dir

    monkeypatch.delenv("AITASK_LINT_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache_dir() == tmp_path / ".cache" / "aitask-lint"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "aitask-lint"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert cache_dir() == tmp_path / ".cache" / "aitask-lint"


def test_a_relative_aitask_lint_cache_dir_turns_the_cache_off(
    tmp_path: Path, template: Path
) -> None:
    before = sorted(p.relative_to(template) for p in template.rglob("*"))
    result = _check(None, ".", cwd=template, AITASK_LINT_CACHE_DIR="cache")
    assert result.returncode in (0, 1), result.stderr
    assert result.stderr.splitlines() == [
        "aitask-lint: warning: AITASK_LINT_CACHE_DIR must be an absolute path, not 'cache'; "
        "running without the cache"
    ]
    assert sorted(p.relative_to(template) for p in template.rglob("*")) == before


# --- entries carry no path -----------------------------------------------------------


def test_a_string_equal_to_the_path_survives_a_copy(fresh: Path, tmp_path: Path) -> None:
    first = tmp_path / "one" / "main.tf"
    second = tmp_path / "two" / "main.tf"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(f'locals {{\n  where = "{first}"\n}}\n')
    _parse(first)
    hit = _parse(second)  # the same bytes: served from the first file's entry
    assert hit == load_hcl_file(str(second))
    assert hit.body.blocks[0].body.attributes["where"].expression.value == str(first)
    (entry,) = _entries(fresh)
    # the literal's source text and its value, and nothing else: no span names a file
    assert entry.read_bytes().count(str(first).encode()) == 2


def test_a_cached_error_names_the_file_it_is_loaded_for(fresh: Path, tmp_path: Path) -> None:
    first = tmp_path / "one" / "main.tf"
    second = tmp_path / "two" / "main.tf"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(f'locals {{\n  where = "{first}"\n  broken = \n}}\n')
    with pytest.raises(InputError) as original:
        _parse(first)
    (entry,) = _entries(fresh)
    assert str(first).encode() not in entry.read_bytes()
    with pytest.raises(InputError) as copied:
        _parse(second)
    with pytest.raises(InputError) as fresh_parse:
        load_hcl_file(str(second))
    assert str(copied.value) == str(fresh_parse.value)
    assert copied.value.path == str(second)
    assert (copied.value.line, copied.value.message) == (
        original.value.line,
        original.value.message,
    )


def test_every_syntax_class_round_trips(fresh: Path) -> None:
    """Every dataclass of the syntax tree is known to the entry format, every field kept."""
    import dataclasses

    from aitask_lint.hcl import expressions as hx
    from aitask_lint.hcl import syntax, treecodec

    declared = {
        value
        for module in (hx, syntax)
        for value in vars(module).values()
        if isinstance(value, type)
        and dataclasses.is_dataclass(value)
        and value.__module__ == module.__name__
    }
    assert declared - {hx.Expression, syntax.File} == set(treecodec.CLASSES)
    sources = [p for p in (FIXTURES / "templates").rglob("*") if p.suffix in (".tf", ".json")]
    checked = 0
    for path in sources:
        try:
            tree = load_hcl_file(str(path))
        except InputError:
            continue
        assert treecodec.decode(treecodec.encode(tree, str(path)), str(path)) == tree
        checked += 1
    assert checked > 20


# --- writes that fail, and eviction ----------------------------------------------------


def _leftovers(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.parametrize("failing", ["replace", "write"])
def test_a_full_disk_leaves_no_temporary_file(
    fresh: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    def full(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, failing, full)
    source = TEMPLATE / "main.tf"
    assert _parse(source) == load_hcl_file(str(source))
    monkeypatch.undo()
    assert fresh.exists(), "the cache directory was made"
    assert _leftovers(fresh) == []
    assert list(_entries(fresh)) == []


def test_the_cache_evicts_least_recently_used_entries(
    fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aitask_lint.hcl import cachestore

    monkeypatch.setattr(cachestore, "MAX_CACHE_ENTRIES", 40)
    parse = fresh / "parse"
    now = time.time()
    old = []
    for index in range(60):
        entry = parse / f"{index % 16:02x}" / f"{index:062x}.json"
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        entry.write_bytes(b"[]")
        os.utime(entry, (now - 10_000 + index, now - 10_000 + index))
        old.append(entry)
    stale = parse / "00" / ".abc.json.123.tmp"
    stale.write_bytes(b"partial")
    os.utime(stale, (now - 7200, now - 7200))
    legacy = parse / "01" / f"{0:062x}.pickle"
    legacy.write_bytes(b"\x80\x05old format")
    _parse(TEMPLATE / "main.tf")  # a write: the process sweeps first
    remaining = sorted(parse.rglob("*.json"))
    assert len(remaining) <= 30 + 1
    assert set(old[-29:]) <= set(remaining), "the most recently used entries stay"
    assert not any(entry in remaining for entry in old[:25])
    assert not stale.exists()
    assert not legacy.exists()


def test_the_cache_evicts_by_size(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aitask_lint.hcl import cachestore

    monkeypatch.setattr(cachestore, "MAX_CACHE_BYTES", 100_000)
    parse = fresh / "parse" / "ab"
    parse.mkdir(parents=True, mode=0o700)
    for index in range(20):
        (parse / f"{index:062x}.json").write_bytes(b" " * 10_000)
    _parse(TEMPLATE / "main.tf")
    total = sum(p.stat().st_size for p in _entries(fresh))
    assert total <= 75_000 + 50_000  # swept to 3/4 of the bound, then one real entry


def test_a_hit_refreshes_an_old_entry(fresh: Path) -> None:
    source = TEMPLATE / "main.tf"
    _parse(source)
    (entry,) = _entries(fresh)
    long_ago = time.time() - 30 * 86400
    os.utime(entry, (long_ago, long_ago))
    _parse(source)
    assert entry.stat().st_mtime > long_ago + 86400


def test_an_entry_that_is_not_a_regular_file_is_a_miss(fresh: Path) -> None:
    source = TEMPLATE / "main.tf"
    _parse(source)
    (entry,) = _entries(fresh)
    entry.unlink()
    os.mkfifo(entry)  # opening it to read blocks until a writer comes

    def writer_after_a_while() -> None:  # so that code that does block ends, and fails below
        time.sleep(10)
        with contextlib.suppress(OSError):
            os.close(os.open(entry, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=writer_after_a_while, daemon=True).start()
    started = time.monotonic()
    assert _parse(source) == load_hcl_file(str(source))
    assert time.monotonic() - started < 9, "the run waited on a FIFO in the cache"


def _tampered(entry: Path) -> bytes:
    """The entry with its first block renamed: a hit on it would show."""
    data = entry.read_bytes()
    assert b'"data"' in data
    return data.replace(b'"data"', b'"TAMPERED"', 1)


def test_an_entry_far_larger_than_its_source_is_not_read(fresh: Path) -> None:
    source = TEMPLATE / "main.tf"
    _parse(source)
    (entry,) = _entries(fresh)
    padding = 16 * source.stat().st_size + 65536
    entry.write_bytes(_tampered(entry) + b" " * padding)  # still valid JSON
    assert _parse(source) == load_hcl_file(str(source))


def test_an_entry_that_is_a_symlink_is_not_followed(fresh: Path, tmp_path: Path) -> None:
    source = TEMPLATE / "main.tf"
    _parse(source)
    (entry,) = _entries(fresh)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(_tampered(entry))
    entry.unlink()
    entry.symlink_to(elsewhere)
    assert _parse(source) == load_hcl_file(str(source))
