"""The grammar cache lives outside site-packages and never breaks parsing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = (
    "from aitask_lint.hcl.parser import parse_hcl\n"
    "print(len(parse_hcl('resource \"a\" \"b\" {}\\n', 'x.tf').body.blocks))\n"
)


def parse_in_fresh_process(cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env={**os.environ, "AITASK_LINT_CACHE_DIR": str(cache)},
        check=False,
        timeout=120,
    )


def test_cache_is_written_once_and_reused(tmp_path: Path) -> None:
    first = parse_in_fresh_process(tmp_path)
    assert (first.returncode, first.stdout.strip()) == (0, "1")
    (cached,) = tmp_path.glob("hcl2-grammar-*.json")
    written = cached.stat().st_mtime_ns
    second = parse_in_fresh_process(tmp_path)
    assert second.stdout.strip() == "1"
    assert cached.stat().st_mtime_ns == written  # loaded, not rebuilt
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic write left nothing behind


def test_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    parse_in_fresh_process(tmp_path)
    (cached,) = tmp_path.glob("hcl2-grammar-*.json")
    cached.write_bytes(b"not a grammar")
    result = parse_in_fresh_process(tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, "1")
    assert cached.stat().st_size > 1000


def test_unwritable_cache_location_still_parses(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = parse_in_fresh_process(blocker / "cache")
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "1", "")
