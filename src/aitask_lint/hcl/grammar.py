"""Loading python-hcl2's LALR parser, with the compiled grammar cached as data.

python-hcl2 caches its compiled grammar next to its own files, as a pickle;
where site-packages is read-only every process rebuilds it (1.2 s of CPU).
We build the same parser with the cache in the user's cache directory, as
data only (``grammarcache``), keyed by the grammar's hash, and fall back to
no cache. Kept apart from the visitor so that forking workers (``files``)
can load the grammar without anything else of the parser.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from aitask_lint.hcl.source import _hcl2_package, grammar_digest


@cache
def lark_parser() -> Any:
    """python-hcl2's LALR parser, with its grammar cache kept outside site-packages.

    The cache file is data only (``grammarcache``: JSON, never lark's pickle),
    in the checked cache directory (``cachestore``), written atomically, and
    neither read nor written when the cache is off (``--no-cache``). Any
    problem with it falls back to building the grammar (slower, same result).
    """
    import contextlib

    import lark

    from aitask_lint.hcl import cachestore, grammarcache
    from aitask_lint.hcl.settings import cache_enabled

    package = _hcl2_package()
    lexer = postlexer(package)
    directory = cachestore.cache_dir() if cache_enabled() else None
    target = directory / f"hcl2-grammar-{grammar_digest()}.json" if directory else None
    if target is not None and cachestore.trusted(target.parent, create=False):
        data = cachestore.read_entry(target)
        if data is not None:
            try:
                return grammarcache.load(data, lexer)
            except Exception:  # corrupt, foreign or from another lark: rebuild
                pass
    grammar = (package / "hcl2.lark").read_text(encoding="utf-8")
    parser = lark.Lark(grammar, parser="lalr", propagate_positions=False, postlex=lexer)
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
