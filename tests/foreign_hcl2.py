"""A python-hcl2 release the package ships no grammar tables for, for cache tests.

The package ships compiled grammar tables for the python-hcl2 and lark it is
tested with (``aitask_lint.hcl.grammar``); the user's grammar cache is what a
run falls back to under any other release. To test that cache, a process is
given a copy of the installed python-hcl2 whose grammar file differs by one
comment: a new digest, no shipped tables, yet the same language.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from aitask_lint.hcl.grammar import packaged_tables
from aitask_lint.hcl.source import _hcl2_package, grammar_digest, grammar_digest_of


def make_foreign_hcl2(directory: Path) -> dict[str, str]:
    """Copy python-hcl2 under ``directory``; the environment a process sees it with."""
    package = directory / "hcl2"
    shutil.copytree(_hcl2_package(), package, ignore=shutil.ignore_patterns("__pycache__"))
    with (package / "hcl2.lark").open("a", encoding="utf-8") as grammar:
        grammar.write("\n// a release aitask-lint ships no grammar tables for\n")
    assert packaged_tables(grammar_digest_of(package)) is None
    search = [str(directory), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(search)}


def foreign_cache_name(environment: dict[str, str]) -> str:
    """The grammar cache file's name under the foreign release of ``environment``."""
    package = Path(environment["PYTHONPATH"].split(os.pathsep)[0]) / "hcl2"
    return f"hcl2-grammar-{grammar_digest_of(package)}.json"


def warm_foreign_cache(environment: dict[str, str], cache: Path) -> Path:
    """A cache directory holding the foreign release's compiled grammar, as a run writes it.

    One comment apart, the two grammars compile to the same tables: the
    shipped ones stand in for a build (which costs over a second of CPU).
    """
    tables = packaged_tables(grammar_digest())
    assert tables is not None, "no grammar tables are shipped for the installed python-hcl2"
    cache.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = cache / foreign_cache_name(environment)
    target.write_bytes(tables)
    target.chmod(0o600)
    return target
