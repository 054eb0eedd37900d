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
