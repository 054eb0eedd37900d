"""The compiled grammar tables the package ships: used when they fit, and right.

Building python-hcl2's LALR tables costs a process over a second of CPU,
every time a CI job starts in a fresh container; the package ships them for
the python-hcl2 and lark it is tested with (``tools/gen_grammar_tables.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aitask_lint.hcl import grammar
from aitask_lint.hcl.prepare import Prepared
from aitask_lint.hcl.source import grammar_digest

from conftest import FIXTURES, SHARED

REGENERATE = "python tools/gen_grammar_tables.py"


@pytest.fixture
def shipped() -> bytes:
    tables = grammar.packaged_tables(grammar_digest())
    if tables is None:
        pytest.skip(
            f"no grammar tables are shipped for the installed python-hcl2 and lark "
            f"(digest {grammar_digest()}): run `{REGENERATE}` and commit the result"
        )
    return tables


def test_exactly_one_table_file_is_shipped() -> None:
    shipped = sorted(p.name for p in grammar.TABLES.iterdir())
    assert len(shipped) == 1, shipped
    assert shipped[0].startswith("hcl2-grammar-") and shipped[0].endswith(".json.gz")


def test_a_fresh_process_with_an_empty_cache_never_builds_the_grammar(
    shipped: bytes, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    probe = (
        "import lark\n"
        "def refuse(*args, **kwargs):\n"
        "    raise SystemExit('the grammar was built')\n"
        "lark.Lark.__init__ = refuse\n"
        "from aitask_lint.hcl.parser import parse_hcl\n"
        "print(len(parse_hcl('resource \"a\" \"b\" {}\\n', 'x.tf').body.blocks))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "AITASK_LINT_CACHE_DIR": str(cache)},
        check=False,
        timeout=120,
    )
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "1", "")
    assert not cache.exists() or not list(cache.glob("hcl2-grammar-*")), "nothing to cache"


def _outcome(parser: Any, text: str) -> Any:
    try:
        return parser.parse(Prepared(text).text + "\n")
    except Exception as error:  # the same error, at the same place, expecting the same
        where = (getattr(error, "line", None), getattr(error, "column", None))
        token = str(getattr(error, "token", getattr(error, "char", "")))
        expected = sorted(map(str, getattr(error, "expected", None) or ()))
        return (type(error).__name__, where, token, expected)


@pytest.mark.slow
def test_shipped_tables_parse_every_fixture_as_a_freshly_built_grammar(shipped: bytes) -> None:
    from aitask_lint.hcl import grammarcache
    from aitask_lint.hcl.source import _hcl2_package

    package = _hcl2_package()
    loaded = grammarcache.load(shipped, grammar.postlexer(package))
    built = grammar.build_parser(package, grammar.postlexer(package))
    sources = sorted(FIXTURES.rglob("*.tf")) + sorted(SHARED.rglob("*.tf"))
    compared = 0
    for path in sources:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (UnicodeDecodeError, OSError):
            continue
        assert _outcome(loaded, text) == _outcome(built, text), path
        compared += 1
    assert compared > 100


class _Built:
    """Stands in for a grammar built from ``hcl2.lark`` (building costs over a second)."""


@pytest.fixture
def fallback(
    shipped: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, list[str]]:
    """No shipped tables; a cache directory holding a valid grammar entry; builds recorded.

    Returns the cache directory and the list each (stubbed) build appends to.
    ``lark_parser`` is called through ``__wrapped__``: its process-wide memo is
    not this test's.
    """
    from aitask_lint.hcl import cachestore, settings

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    entry = cache / f"hcl2-grammar-{grammar_digest()}.json"
    entry.write_bytes(shipped)  # what a run under this release would have cached
    entry.chmod(0o600)
    monkeypatch.setenv("AITASK_LINT_CACHE_DIR", str(cache))
    monkeypatch.delenv(settings.NO_CACHE_ENV, raising=False)
    monkeypatch.setattr(settings, "SETTINGS", settings.Settings(cache=True))
    monkeypatch.setattr(grammar, "packaged_tables", lambda digest: None)
    cachestore.forget_verdicts()
    builds: list[str] = []

    def build(package: Path, lexer: Any) -> _Built:
        builds.append(str(package))
        return _Built()

    monkeypatch.setattr(grammar, "build_parser", build)
    return cache, builds


def _refuse_the_cache_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    from aitask_lint.hcl import cachestore

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the cache directory was consulted")

    for name in ("cache_dir", "trusted", "read_entry", "write_entry"):
        monkeypatch.setattr(cachestore, name, refuse)


def test_without_shipped_tables_the_users_cache_is_read(
    fallback: tuple[Path, list[str]],
) -> None:
    _cache, builds = fallback
    parser = grammar.lark_parser.__wrapped__()
    assert not isinstance(parser, _Built) and builds == [], "the cached grammar was not used"


def test_without_shipped_tables_no_cache_builds_and_opens_nothing_in_the_cache_directory(
    fallback: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--no-cache`` under a python-hcl2 or lark release the package has no tables for."""
    from aitask_lint.hcl import settings

    cache, builds = fallback
    before = sorted((p.name, p.stat().st_mtime_ns) for p in cache.iterdir())
    monkeypatch.setattr(settings, "SETTINGS", settings.Settings(cache=False))
    _refuse_the_cache_directory(monkeypatch)
    assert isinstance(grammar.lark_parser.__wrapped__(), _Built)
    assert len(builds) == 1
    assert sorted((p.name, p.stat().st_mtime_ns) for p in cache.iterdir()) == before


def test_shipped_tables_come_before_the_users_cache(
    shipped: bytes, fallback: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _cache, builds = fallback
    monkeypatch.setattr(grammar, "packaged_tables", lambda digest: shipped)
    _refuse_the_cache_directory(monkeypatch)
    parser = grammar.lark_parser.__wrapped__()
    assert not isinstance(parser, _Built) and builds == []


def test_damaged_shipped_tables_fall_back_rather_than_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A truncated or corrupted file in an installation is no tables: the grammar is built."""
    import gzip

    digest = "0123456789abcdef"
    whole = gzip.compress(b'{"tables": "' + bytes(range(32, 127)) * 400 + b'"}', mtime=0)
    damaged = bytearray(whole)
    for index in range(20, 60):
        damaged[index] ^= 0xFF
    monkeypatch.setattr(grammar, "TABLES", tmp_path)
    for data in (whole[: len(whole) // 2], bytes(damaged), b"not gzip"):
        (tmp_path / f"hcl2-grammar-{digest}.json.gz").write_bytes(data)
        assert grammar.packaged_tables(digest) is None


def test_a_corrupt_cache_entry_is_built_again_and_rewritten(
    fallback: tuple[Path, list[str]], shipped: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a release without tables: a damaged entry is a miss, and the build replaces it.

    The build stands in for lark's (a parser from the shipped tables, which
    is what building the same grammar gives); ``test_grammar_cache.py``
    builds for real in a process of its own.
    """
    from aitask_lint.hcl import grammarcache
    from aitask_lint.hcl.source import _hcl2_package

    cache, builds = fallback
    (entry,) = cache.glob("hcl2-grammar-*.json")
    entry.write_bytes(b"not a grammar")
    lexer = grammar.postlexer(_hcl2_package())
    real = grammarcache.load(shipped, lexer)

    def build(package: Path, lexer: Any) -> Any:
        builds.append(str(package))
        return real

    monkeypatch.setattr(grammar, "build_parser", build)
    assert grammar.lark_parser.__wrapped__() is real
    assert len(builds) == 1
    rewritten = grammarcache.load(entry.read_bytes(), lexer)  # valid again
    assert rewritten.parse('resource "a" "b" {}\n').data == real.parse('resource "a" "b" {}\n').data


def test_an_unwritable_cache_location_builds_and_says_nothing(
    fallback: tuple[Path, list[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from aitask_lint.hcl import cachestore

    _cache, builds = fallback
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("AITASK_LINT_CACHE_DIR", str(blocker / "cache"))
    cachestore.forget_verdicts()
    assert isinstance(grammar.lark_parser.__wrapped__(), _Built)
    assert len(builds) == 1
    assert capsys.readouterr().err == ""
