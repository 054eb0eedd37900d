"""The user's grammar cache: outside site-packages, data only, and never breaks parsing.

With the python-hcl2 and lark the package ships tables for, no cache is
read or written (``test_grammar_tables.py``, which also checks, in-process,
that a corrupt entry is built again and an unwritable location only costs
the build); this test runs processes under another python-hcl2 release
(``foreign_hcl2``), where the cache is what saves each process from
building the grammar: one really builds and writes it, the next reads it.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from foreign_hcl2 import foreign_cache_name, make_foreign_hcl2

#: each builds the grammar (2 s of CPU): nothing else does, and nothing else may
pytestmark = pytest.mark.slow

PROBE = (
    "from aitask_lint.hcl.parser import parse_hcl\n"
    "print(len(parse_hcl('resource \"a\" \"b\" {}\\n', 'x.tf').body.blocks))\n"
)


@pytest.fixture(scope="module")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return make_foreign_hcl2(tmp_path_factory.mktemp("foreign-hcl2"))


def parse_in_fresh_process(
    environment: dict[str, str], cache: Path, umask: int | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env={**environment, "AITASK_LINT_CACHE_DIR": str(cache)},
        preexec_fn=None if umask is None else lambda: os.umask(umask),
        check=False,
        timeout=120,
    )


def test_cache_is_written_once_privately_and_reused(
    foreign: dict[str, str], tmp_path: Path
) -> None:
    """Written under umask 000 too: the directories 0700 and the file private (issue 10)."""
    cache = tmp_path / "x" / "cache"
    first = parse_in_fresh_process(foreign, cache, umask=0)  # builds the grammar
    assert (first.returncode, first.stdout.strip(), first.stderr) == (0, "1", "")
    (cached,) = cache.glob("hcl2-grammar-*.json")
    assert cached.name == foreign_cache_name(foreign)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "x").stat().st_mode) == 0o700
    assert stat.S_IMODE(cached.stat().st_mode) & 0o077 == 0
    written = cached.stat().st_mtime_ns
    second = parse_in_fresh_process(foreign, cache)
    assert second.stdout.strip() == "1"
    assert cached.stat().st_mtime_ns == written  # loaded, not rebuilt
    assert not list(cache.glob(".*.tmp"))  # the atomic write left nothing behind
