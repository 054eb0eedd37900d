"""Write the compiled HCL grammar tables the package ships.

    python tools/gen_grammar_tables.py

Builds python-hcl2's LALR parser from the installed python-hcl2 and lark
(1.2 s or more of CPU) and writes its tables, as ``grammarcache`` JSON
(data, never pickle), gzip-compressed, to
``src/aitask_lint/hcl/grammar_tables/hcl2-grammar-<digest>.json.gz``. The
digest names the grammar, the post-lexer and lark's release, so the tables
are only ever loaded with exactly what built them; other files in the
directory are removed.

Run it after a change of the python-hcl2 or lark release the project is
tested with and commit the result; ``tests/hcl/test_grammar_tables.py``
skips, with a visible reason, while the installed releases have no tables,
and fails if the shipped tables parse anything differently.
"""

from __future__ import annotations

import gzip

from aitask_lint.hcl import grammarcache
from aitask_lint.hcl.grammar import TABLES, build_parser, postlexer
from aitask_lint.hcl.source import _hcl2_package, grammar_digest


def main() -> None:
    package = _hcl2_package()
    encoded = grammarcache.encode(build_parser(package, postlexer(package)))
    TABLES.mkdir(exist_ok=True)
    target = TABLES / f"hcl2-grammar-{grammar_digest()}.json.gz"
    for old in TABLES.glob("hcl2-grammar-*"):
        if old != target:
            old.unlink()
    target.write_bytes(gzip.compress(encoded, compresslevel=9, mtime=0))
    print(f"wrote {target} ({target.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
