"""Loading python-hcl2's LALR parser from compiled tables, never by rebuilding it if we can.

Building the LALR tables from ``hcl2.lark`` costs a process 1.2 to 2.3 s of
CPU; loading compiled ones 0.07 s. A CI job in a fresh container, or any
first run, would pay the build every time, so the package ships the tables
for the python-hcl2 and lark releases it was built with
(``grammar_tables/hcl2-grammar-<digest>.json.gz``, written by
``tools/gen_grammar_tables.py``; data only, ``grammarcache``'s JSON). With
another release of either installed, the digest differs and we fall back to
the user's cache directory (``cachestore``; python-hcl2's own cache is a
pickle next to its files, unusable where site-packages is read-only), and
last to building the grammar. Kept apart from the visitor so that forking
workers (``files``) can load the grammar without anything else of the parser.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from aitask_lint.hcl.source import _hcl2_package, grammar_digest

#: the compiled tables shipped in the package, one file per grammar digest
TABLES = Path(__file__).with_name("grammar_tables")


def packaged_tables(digest: str) -> bytes | None:
    """The shipped tables for this grammar digest (``grammarcache`` JSON), or None."""
    import gzip
    import zlib

    try:
        return gzip.decompress((TABLES / f"hcl2-grammar-{digest}.json.gz").read_bytes())
    # no tables for this release, or a damaged install (a truncated file: EOFError;
    # corrupted deflate data: zlib.error, which is no OSError): build
    except (OSError, EOFError, zlib.error):
        return None


@cache
def lark_parser() -> Any:
    """python-hcl2's LALR parser: from the shipped tables, else the user's cache, else built.

    The shipped tables are part of the package, used whatever the cache
    setting. The cache file is data only (``grammarcache``: JSON, never
    lark's pickle), in the checked cache directory (``cachestore``), written
    atomically, and neither read nor written when the cache is off
    (``--no-cache``). Any problem with either falls back to building the
    grammar (slower, same result).
    """
    import contextlib

    from aitask_lint.hcl import cachestore, grammarcache
    from aitask_lint.hcl.settings import cache_enabled

    package = _hcl2_package()
    lexer = postlexer(package)
    shipped = packaged_tables(grammar_digest())
    if shipped is not None:
        try:
            return grammarcache.load(shipped, lexer)
        except Exception:  # tables from another lark: go on as if none were shipped
            pass
    directory = cachestore.cache_dir() if cache_enabled() else None
    target = directory / f"hcl2-grammar-{grammar_digest()}.json" if directory else None
    if target is not None and cachestore.trusted(target.parent, create=False):
        data = cachestore.read_entry(target)
        if data is not None:
            try:
                return grammarcache.load(data, lexer)
            except Exception:  # corrupt, foreign or from another lark: rebuild
                pass
    parser = build_parser(package, lexer)
    if target is not None and cachestore.trusted(target.parent, create=True):
        try:
            encoded = grammarcache.encode(parser)
        except Exception:  # a lark whose tables hold other types: run without a cache
            return parser
        if cachestore.write_entry(target, encoded):
            for legacy in target.parent.glob("hcl2-grammar-*.pickle"):
                with contextlib.suppress(OSError):
                    legacy.unlink()  # never read again: the old format ran code
    return parser


def build_parser(package: Path, lexer: Any) -> Any:
    """Build the LALR tables from python-hcl2's grammar file: the slow path (1.2 s or more)."""
    import lark

    grammar = (package / "hcl2.lark").read_text(encoding="utf-8")
    return lark.Lark(grammar, parser="lalr", propagate_positions=False, postlex=lexer)


def postlexer(package: Path) -> Any:
    """Load ``hcl2.postlexer`` without importing the whole hcl2 package (it is slow)."""
    import importlib.util
    import sys

    name = "hcl2.postlexer"
    if name in sys.modules:
        return sys.modules[name].PostLexer()
    spec = importlib.util.spec_from_file_location(
        "_aitask_hcl2_postlexer", package / "postlexer.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PostLexer()
