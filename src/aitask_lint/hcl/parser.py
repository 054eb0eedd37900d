"""Parse Terraform native syntax into the positioned syntax tree.

python-hcl2's grammar (its ``hcl2.lark``, through lark's LALR parser) does the
parsing; one lean visitor of our own walks the lark tree. We do not use
``hcl2.loads()``: it loses line numbers (``with_meta=True`` is broken in 8.x),
keeps quotes in strings and flattens expressions back into ``${...}`` text.

:func:`parse_hcl` strings the pieces together, each in its own module:

* ``grammar``: the lark parser, its compiled grammar cached as data;
* ``prepare``: the pre-parse rewrite (heredoc markers followed by spaces,
  Unicode identifiers, blanked heredoc bodies) and the map back to the
  original offsets;
* ``visitor``: the lark tree to ``syntax`` and ``expressions`` objects, with
  Terraform's checks that the grammar lacks; ``strings``: escapes and
  heredoc text;
* ``diagnose``: after a failure, the cause where Terraform reports it.

Which parser a file gets (``.tf`` or ``.tf.json``) is ``files``' decision.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import partial

from aitask_lint.errors import InputError
from aitask_lint.hcl.diagnose import describe, diagnose
from aitask_lint.hcl.grammar import lark_parser
from aitask_lint.hcl.prepare import Prepared
from aitask_lint.hcl.syntax import File
from aitask_lint.hcl.visitor import Visitor


def parse_hcl(text: str, path: str) -> File:
    """Parse native-syntax HCL text (``path`` is only used in positions and errors)."""
    prepared = Prepared(text)
    line_starts = [0]
    line_starts.extend(match.end() for match in re.finditer("\n", text))
    try:
        tree = lark_parser().parse(prepared.text + "\n")
    except Exception as error:
        if isinstance(error, InputError):
            raise
        offset = getattr(error, "pos_in_stream", None)
        if offset is None or getattr(getattr(error, "token", None), "type", "") == "$END":
            offset = len(prepared.text)
        original = prepared.original_offset(min(offset, len(prepared.text)))
        message = describe(error)
        cause = diagnose(text)
        if cause is not None and cause[0] <= original:
            original, message = cause
        line = bisect.bisect_right(line_starts, original)
        column = original - line_starts[line - 1] + 1
        raise InputError(path, f"HCL syntax error: {message}", line, column) from None
    limit = len(prepared.text)
    to_original: Callable[[int], int] = (
        partial(min, limit)  # nothing was cut: offsets are the original's (C-level call)
        if not prepared.has_cuts
        else lambda p: prepared.original_offset(min(p, limit))
    )
    visitor = Visitor(path, text, line_starts, prepared.text + "\n", to_original)
    try:
        body = visitor.body(tree.children[0], top_level=True)
    except RecursionError:
        raise InputError(path, "HCL syntax error: expressions nested too deeply", 1, 1) from None
    return File(path, body, visitor.comments)
