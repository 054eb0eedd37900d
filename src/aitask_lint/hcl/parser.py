"""Parse Terraform native syntax into the positioned syntax tree.

python-hcl2's grammar (its ``hcl2.lark``, through lark's LALR parser) does the
parsing; one lean visitor of our own walks the lark tree. We do not use
``hcl2.loads()``: it loses line numbers (``with_meta=True`` is broken in 8.x),
keeps quotes in strings and flattens expressions back into ``${...}`` text.

Three things are handled here rather than by python-hcl2:

* **Start-up.** python-hcl2 caches its compiled grammar next to its own files,
  as a pickle; where site-packages is read-only every process rebuilds it
  (1.2 s of CPU). We build the same parser with the cache in the user's cache
  directory, as data only (``grammarcache``), keyed by the grammar's hash,
  and fall back to no cache.
* **Heredoc closing markers followed by spaces.** Terraform accepts
  ``  EOT  ``; python-hcl2 silently reads on to a later marker and swallows
  every block in between. A pre-parse scan removes that trailing whitespace.
* **Unicode identifiers.** Terraform accepts ``local.café``; the grammar's
  names are ASCII. The scan replaces non-ASCII identifier characters (outside
  strings, comments and heredocs) by ``x`` for the parser, and every name is
  read back from the original text by position.

Positions are always computed against the original text, through a map from
the parser's offsets, so both fixes keep lines and columns exact (CRLF files
included). Lark's ``propagate_positions`` is off: recording an extent on every
tree node doubles the parse, so the visitor reads extents from the first and
last tokens of just the nodes it keeps (the same extents, measured identical
on every fixture).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

from lark import Tree as _Tree  # the class of every node lark builds (python-hcl2 needs lark)

from aitask_lint.errors import InputError
from aitask_lint.hcl import expressions as hx
from aitask_lint.hcl.source import (  # re-exported: the parser's public helpers
    _hcl2_package,
    decode_source,
    grammar_digest,
    read_bytes,
)
from aitask_lint.hcl.syntax import Attribute, Block, Body, Comment, File, Span
from aitask_lint.jsonnum import parse_int
from aitask_lint.limits import MAX_HCL_NESTING

_EXPRESSION_PREFIX = "__aitask_expression__ = "
_E = TypeVar("_E", bound=hx.Expression)


# --- the lark parser ------------------------------------------------------------


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
    from aitask_lint.hcl.files import cache_enabled

    package = _hcl2_package()
    postlexer = _postlexer(package)
    directory = cachestore.cache_dir() if cache_enabled() else None
    target = directory / f"hcl2-grammar-{grammar_digest()}.json" if directory else None
    if target is not None and cachestore.trusted(target.parent, create=False):
        data = cachestore.read_entry(target)
        if data is not None:
            try:
                return grammarcache.load(data, postlexer)
            except Exception:  # corrupt, foreign or from another lark: rebuild
                pass
    grammar = (package / "hcl2.lark").read_text(encoding="utf-8")
    parser = lark.Lark(grammar, parser="lalr", propagate_positions=False, postlex=postlexer)
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


def _postlexer(package: Path) -> Any:
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


# --- pre-parse scan -------------------------------------------------------------

#: a heredoc's opening line, matched where ``<<`` is; it ends at the line's end,
#: found by the match itself: looking for the line end first (``find("\n")``)
#: for every ``<<`` made a 1 MB line of ``<`` take 15 s
_HEREDOC_START = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)[ \t]*\r?(?=\n|\Z)")


class _Prepared:
    """The text the parser sees, and how its offsets map back to the original."""

    def __init__(self, original: str) -> None:
        self.original = original
        replacements: list[int] = []
        deletions: list[tuple[int, int]] = []  # (original offset, length)
        fills: list[tuple[int, int]] = []  # heredoc bodies: (original offset, length)
        _scan(original, replacements, deletions, fills)
        chars = list(original) if replacements else None
        if chars is not None:
            for offset in replacements:
                chars[offset] = "x"
        text = "".join(chars) if chars is not None else original
        if fills:
            pieces = []
            previous = 0
            for offset, length in fills:
                pieces.append(text[previous:offset])
                pieces.append(_FILLER * length)
                previous = offset + length
            pieces.append(text[previous:])
            text = "".join(pieces)
        if deletions:
            pieces = []
            previous = 0
            for offset, length in deletions:
                pieces.append(text[previous:offset])
                previous = offset + length
            pieces.append(text[previous:])
            text = "".join(pieces)
        self.text = text
        # processed offset where each deletion happened, and the total deleted up to it
        self._cuts: list[int] = []
        self._shift: list[int] = []
        removed = 0
        for offset, length in deletions:
            removed += length
            self._cuts.append(offset - (removed - length))
            self._shift.append(removed)

    @property
    def has_cuts(self) -> bool:
        return bool(self._cuts)

    def original_offset(self, offset: int) -> int:
        if not self._cuts:
            return offset
        index = bisect.bisect_right(self._cuts, offset) - 1
        return offset if index < 0 else offset + self._shift[index]


#: the characters that can change the scan's state, outside and inside a quoted string
#: (a lone ``/`` or ``<`` changes nothing: a run of a million of them is skipped in C)
_SCAN_OUTSIDE = re.compile(r'["#{}]|//|/\*|<<-?[A-Za-z]|[^\x00-\x7f]')
_SCAN_INSIDE = re.compile(r'[\\"$%]')


#: what the parser sees instead of a heredoc body's text (see :func:`_skip_heredoc`)
_FILLER = "~"


def _scan(
    text: str,
    replacements: list[int],
    deletions: list[tuple[int, int]],
    fills: list[tuple[int, int]],
) -> None:
    """Find heredoc markers with trailing whitespace and non-ASCII identifier characters.

    A small state machine over strings, interpolations, comments and heredocs;
    it jumps from one state-changing character to the next with a regular
    expression, since nearly all of a file is characters that change nothing.
    """
    ascii_text = text.isascii()
    if ascii_text and "<<" not in text:
        return
    length = len(text)
    index = 0
    modes: list[int] = []  # stack: 0 = string, n>0 = interpolation with brace depth n
    while index < length:
        in_string = bool(modes) and modes[-1] == 0
        found = (_SCAN_INSIDE if in_string else _SCAN_OUTSIDE).search(text, index)
        if found is None:
            return
        index = found.start()
        char = text[index]
        if in_string:
            if char == "\\":
                index += 2
                continue
            if char == '"':
                modes.pop()
            elif text.startswith("{", index + 1):
                modes.append(1)
                index += 2
                continue
            elif text.startswith(char + "{", index + 1):
                index += 3
                continue
            index += 1
            continue
        if char == '"':
            modes.append(0)
        elif char == "#" or text.startswith("//", index):
            end = text.find("\n", index)
            index = length if end < 0 else end
            continue
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            index = length if end < 0 else end + 2
            continue
        elif char == "{" and modes:
            modes[-1] += 1
        elif char == "}" and modes:
            modes[-1] -= 1
            if modes[-1] == 0:
                modes.pop()  # back in the enclosing string
        elif char == "<" and text.startswith("<<", index):
            match = _HEREDOC_START.match(text, index)
            if match is not None:
                index = _skip_heredoc(text, match.end() + 1, match.group(2), deletions, fills)
                continue
        elif not ascii_text and ord(char) > 127 and (char.isalnum() or char == "_"):
            replacements.append(index)
        index += 1


def _skip_heredoc(
    text: str,
    start: int,
    marker: str,
    deletions: list[tuple[int, int]],
    fills: list[tuple[int, int]],
) -> int:
    r"""Skip a heredoc body; record trailing whitespace after its closing marker.

    The body itself (all but its last line break) is recorded in ``fills``:
    the parser sees it as a run of :data:`_FILLER` and the visitor reads the
    real body from the original text. python-hcl2's heredoc terminal ends in
    ``\s*(?P=marker)``, which from every line break of the body re-reads the
    whitespace that follows it: 120,000 blank lines took 45 s, and lark's
    regular expression cannot be changed from here. Over a body with no line
    breaks and no spaces it runs once, in linear time.
    """
    index = start
    length = len(text)
    while index < length:
        line_end = text.find("\n", index)
        line_end = length if line_end < 0 else line_end
        line = text[index:line_end]
        if line.strip() == marker:
            if index - 1 > start:
                fills.append((start, index - 1 - start))
            content_end = index + len(line.rstrip("\r").rstrip(" \t\r"))
            carriage = line.endswith("\r")
            trailing_end = line_end - (1 if carriage else 0)
            if trailing_end > content_end:
                deletions.append((content_end, trailing_end - content_end))
            return line_end + 1
        index = line_end + 1
    if length > start:  # never closed: the parse fails, and must fail fast
        fills.append((start, length - start))
    return length


# --- the visitor ------------------------------------------------------------------

_ESCAPES = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


class _InvalidEscapeError(ValueError):
    """A ``\\u``/``\\U`` escape naming no character UTF-8 can encode (a surrogate, or past
    U+10FFFF): Terraform refuses the file, and Python could not print the string."""

    def __init__(self, offset: int, code: int) -> None:
        super().__init__(f"Invalid escape sequence: Cannot encode character U+{code:04x} in UTF-8.")
        self.offset = offset


def _unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) or match.group(2):
            code = int(match.group(1) or match.group(2), 16)
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                raise _InvalidEscapeError(match.start(), code)
            return chr(code)
        char = match.group(3)
        return _SIMPLE_ESCAPES.get(char, "\\" + char)

    return _ESCAPES.sub(replace, text) if "\\" in text else text


def _is_tree(node: Any) -> bool:
    return node.__class__ is _Tree  # lark builds only plain Trees; tokens are str subclasses


def _first_token(tree: Any) -> Any:
    """The first token below ``tree`` (skipping placeholders and empty subtrees), or None."""
    for child in tree.children:
        if child is None:
            continue
        if child.__class__ is not _Tree:
            return child
        found = _first_token(child)
        if found is not None:
            return found
    return None


def _last_token(tree: Any) -> Any:
    """The last token below ``tree`` (skipping placeholders and empty subtrees), or None."""
    for child in reversed(tree.children):
        if child is None:
            continue
        if child.__class__ is not _Tree:
            return child
        found = _last_token(child)
        if found is not None:
            return found
    return None


class _Visitor:
    """Turns one lark tree into syntax-tree objects with original positions."""

    def __init__(
        self,
        path: str,
        original: str,
        line_starts: list[int],
        parsed: str,
        to_original: Callable[[int], int],
    ) -> None:
        self.path = path
        self.original = original
        self.line_starts = line_starts
        self.parsed = parsed
        self.to_original = to_original
        self.comments: list[Comment] = []
        #: inside (), [], {} or a template: HCL ignores line breaks there
        self.nested = 0
        #: blocks and expressions being visited; past MAX_HCL_NESTING the file is refused
        self.depth = 0

    # positions -------------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        original = self.to_original(offset)
        line = bisect.bisect_right(self.line_starts, original)
        return line, original - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        # position() twice, inlined: this runs for every node of every file
        to_original, line_starts = self.to_original, self.line_starts
        first, last = to_original(start), to_original(end)
        line = bisect.bisect_right(line_starts, first)
        end_line = bisect.bisect_right(line_starts, last, line - 1)
        return Span(
            self.path,
            line,
            first - line_starts[line - 1] + 1,
            end_line,
            last - line_starts[end_line - 1] + 1,
        )

    def source(self, start: int, end: int) -> str:
        return self.original[self.to_original(start) : self.to_original(end)]

    def bounds(self, node: Any) -> tuple[int, int]:
        """A node's extent: from its first token's start to its last token's end.

        This is what lark's ``propagate_positions`` would record on every tree
        node; computing it only for the nodes we ask about halves the parse.
        """
        if _is_tree(node):
            first, last = _first_token(node), _last_token(node)
            if first is None or last is None:
                raise AttributeError(f"empty {node.data!r} node has no position")
            return first.start_pos, last.end_pos
        return node.start_pos, node.end_pos

    def name(self, node: Any) -> str:
        """An identifier's text, read from the original (Unicode names survive)."""
        token = node.children[0] if _is_tree(node) else node
        return self.source(token.start_pos, token.end_pos)

    # bodies ----------------------------------------------------------------

    def body(self, tree: Any, *, single_line: bool = False, top_level: bool = False) -> Body:
        body = Body()
        if not top_level:
            self.check_newlines(tree, single_line)
        for child in tree.children:
            kind = child.data
            if kind == "attribute":
                name_node = child.children[0]
                start, end = self.bounds(child)
                name_start, name_end = self.bounds(name_node)
                name = self.name(name_node)
                previous = body.attributes.get(name)
                if previous is not None:
                    line, column = self.position(name_start)
                    first = previous.name_span
                    raise InputError(
                        self.path,
                        f'Attribute redefined: The argument "{name}" was already set at '
                        f"{first.path}:{first.line},{first.column}. Each argument may be set "
                        "only once.",
                        line,
                        column,
                    )
                body.attributes[name] = Attribute(
                    name,
                    self.expression(child.children[2]),
                    self.span(start, end),
                    self.span(name_start, name_end),
                )
            elif kind == "block":
                body.blocks.append(self.block(child))
            elif kind == "new_line_or_comment":
                self.collect_comments(child)
        return body

    def check_newlines(self, tree: Any, single_line: bool) -> None:
        """Terraform's rule: each argument and block ends with a newline.

        python-hcl2 accepts ``a = 1  b = 2`` on one line and ``x = 1 }`` closing
        a multi-line block; HashiCorp's parser rejects both. A single-line block
        ``name { attr = value }`` may hold one argument.
        """
        items = [c for c in tree.children if c.data in ("attribute", "block")]
        if items and not single_line and tree.children[0].data != "new_line_or_comment":
            raise self.error(
                items[0],
                "Invalid single-argument block definition: An argument definition on the same "
                "line as its containing block creates a single-line block definition, which "
                "must also be closed on the same line.",
            )
        previous: Any = None
        for child in tree.children:
            if child.data == "new_line_or_comment":
                previous = None
                continue
            if previous is not None and not self.ends_with_newline(previous):
                kind = "argument" if previous.data == "attribute" else "block definition"
                raise self.error(
                    child, f"Missing newline after {kind}: An {kind} must end with a newline."
                )
            previous = child
        if previous is not None and not self.ends_with_newline(previous):
            if single_line and len(items) == 1 and items[0].data == "attribute":
                return
            kind = "argument" if previous.data == "attribute" else "block definition"
            _start, end = self.bounds(previous)
            line, column = self.position(end)
            raise InputError(
                self.path,
                f"HCL syntax error: Missing newline after {kind}: An "
                f"{kind} must end with a newline.",
                line,
                column,
            )

    def ends_with_newline(self, item: Any) -> bool:
        """A heredoc's token swallows the newline that ends its argument."""
        start, end = self.bounds(item)
        return self.parsed[start:end].rstrip(" \t\r").endswith("\n")

    def block(self, tree: Any) -> Block:
        self.enter(tree)
        try:
            return self.block_of(tree)
        finally:
            self.depth -= 1

    def enter(self, node: Any) -> None:
        """Count one level of nesting; refuse the file past :data:`MAX_HCL_NESTING`.

        Everything downstream (this visitor, the model, the resolver, the
        parse cache's encoder) walks the tree recursively, a few frames per
        level: without a limit a file nested a few hundred levels deep would
        end in a RecursionError. The error points at the first level too many.
        """
        self.depth += 1
        if self.depth > MAX_HCL_NESTING:
            start, _end = self.bounds(node)
            raise InputError(
                self.path,
                f"nested too deeply: more than {MAX_HCL_NESTING} levels of blocks and "
                "expressions (aitask-lint's limit; see docs/limits.md)",
                *self.position(start),
            )

    def block_of(self, tree: Any) -> Block:
        names: list[str] = []
        type_bounds = self.bounds(tree.children[0])
        inner: Any = None
        for child in tree.children:
            if not _is_tree(child):
                continue
            if child.data == "string":
                expression = self.string(child)
                value = hx.literal_value(expression)
                names.append(value if isinstance(value, str) else expression.source)
            elif child.data in ("identifier", "keyword", "literal_value"):
                names.append(self.name(child))
            elif child.data == "body":
                inner = child
            elif child.data == "new_line_or_comment":
                self.collect_comments(child)
        start, end = self.bounds(tree)
        braces = [c for c in tree.children if not _is_tree(c) and c.type in ("LBRACE", "RBRACE")]
        single_line = (
            len(braces) == 2
            and self.position(braces[0].start_pos)[0] == self.position(braces[1].start_pos)[0]
        )
        return Block(
            names[0],
            names[1:],
            self.body(inner, single_line=single_line) if inner is not None else Body(),
            self.span(start, end),
            self.span(*type_bounds),
        )

    def collect_comments(self, tree: Any) -> None:
        for token in tree.children:
            value = str(token)
            stripped = value.lstrip()
            if stripped.startswith(("#", "//", "/*")):
                start = token.start_pos + (len(value) - len(stripped))
                text = stripped.rstrip("\r\n")
                self.comments.append(Comment(text, self.span(start, start + len(text))))

    # expressions -------------------------------------------------------------

    def make(self, cls: type[_E], node: Any, **fields: Any) -> _E:
        start, end = self.bounds(node)
        return cls(self.source(start, end), self.span(start, end), **fields)

    def expression(self, node: Any) -> hx.Expression:
        if not _is_tree(node):
            return self.make(hx.Literal, node, value=str(node))
        method = getattr(self, f"x_{node.data}", None)
        if method is None:
            raise self.error(node, f"unsupported expression ({node.data})")
        self.enter(node)
        try:
            result: hx.Expression = method(node)
        finally:
            self.depth -= 1
        return result

    def sub_expressions(self, node: Any) -> list[hx.Expression]:
        return [
            self.expression(child)
            for child in node.children
            if _is_tree(child) and child.data != "new_line_or_comment"
        ]

    def bracketed(self, node: Any) -> list[hx.Expression]:
        """Sub-expressions inside brackets, where line breaks are allowed."""
        self.nested += 1
        try:
            return self.sub_expressions(node)
        finally:
            self.nested -= 1

    def line_break(self, nodes: list[Any]) -> Any:
        """The first line break among operator tokens and newline nodes, if any."""
        for child in nodes:
            if _is_tree(child):
                if child.data == "new_line_or_comment":
                    return child
            elif "\n" in str(child):
                return child
        return None

    def reject_line_break(self, found: Any, message: str) -> None:
        if found is not None and not self.nested:
            start, _end = self.bounds(found)
            raise InputError(self.path, f"HCL syntax error: {message}", *self.position(start))

    def x_expr_term(self, node: Any) -> hx.Expression:
        first = node.children[0]
        if not _is_tree(first) and first.type == "LPAR":
            (inner,) = self.bracketed(node)
            return self.make(hx.Parenthesized, node, inner=inner)
        return self.expression(first)

    def x_conditional(self, node: Any) -> hx.Expression:
        children = node.children
        colon = next(i for i, c in enumerate(children) if not _is_tree(c) and c.type == "COLON")
        self.reject_line_break(
            self.line_break(children[colon - 1 : colon + 2]),
            "Missing false expression in conditional",
        )
        self.reject_line_break(self.line_break(children[1:colon]), "Invalid expression")
        condition, true_result, false_result = self.sub_expressions(node)
        return self.make(
            hx.Conditional,
            node,
            condition=condition,
            true_result=true_result,
            false_result=false_result,
        )

    def x_binary_op(self, node: Any) -> hx.Expression:
        left_node, term = node.children[0], node.children[1]
        operator = next(c for c in term.children if _is_tree(c) and c.data == "binary_operator")
        right = [
            c
            for c in term.children
            if _is_tree(c) and c.data not in ("binary_operator", "new_line_or_comment")
        ]
        self.reject_line_break(
            self.line_break([*operator.children, *term.children]), "Invalid expression"
        )
        return self.make(
            hx.BinaryOp,
            node,
            op=str(operator.children[0]).strip(),
            left=self.expression(left_node),
            right=self.expression(right[0]),
        )

    def x_unary_op(self, node: Any) -> hx.Expression:
        operator, operand = node.children[0], node.children[1]
        return self.make(hx.UnaryOp, node, op=str(operator), operand=self.expression(operand))

    def x_int_lit(self, node: Any) -> hx.Expression:
        return self.make(hx.Literal, node, value=parse_int(str(node.children[0])))

    def x_float_lit(self, node: Any) -> hx.Expression:
        return self.make(hx.Literal, node, value=float(str(node.children[0])))

    def x_literal_value(self, node: Any) -> hx.Expression:
        text = str(node.children[0])
        return self.make(hx.Literal, node, value={"true": True, "false": False}.get(text))

    def x_identifier(self, node: Any) -> hx.Expression:
        return self.make(hx.Traversal, node, root=self.name(node), steps=[])

    def x_keyword(self, node: Any) -> hx.Expression:
        return self.x_identifier(node)

    def x_template_string(self, node: Any) -> hx.Expression:
        token = node.children[0]
        raw = str(token)
        return self.make(hx.Literal, node, value=self.unescape(raw[2:-2], token.start_pos + 2))

    def unescape(self, text: str, offset: int) -> str:
        """:func:`_unescape` of the text at ``offset``, with Terraform's error for a bad escape."""
        try:
            return _unescape(text)
        except _InvalidEscapeError as error:
            raise InputError(
                self.path, f"HCL syntax error: {error}", *self.position(offset + error.offset)
            ) from None

    def x_tuple(self, node: Any) -> hx.Expression:
        return self.make(hx.Tuple, node, items=self.bracketed(node))

    def x_object(self, node: Any) -> hx.Expression:
        self.nested += 1
        try:
            return self.object(node)
        finally:
            self.nested -= 1

    def object(self, node: Any) -> hx.Expression:
        items = []
        for element in node.children:
            if not _is_tree(element) or element.data != "object_elem":
                continue
            key_node = element.children[0].children[0]
            key = (
                self.x_identifier(key_node)
                if key_node.data == "keyword"
                else self.expression(key_node)
            )
            items.append((key, self.expression(element.children[2])))
        return self.make(hx.Object, node, items=items)

    def x_function_call(self, node: Any) -> hx.Expression:
        names = [self.name(c) for c in node.children if _is_tree(c) and c.data == "identifier"]
        args: list[hx.Expression] = []
        expand = False
        for child in node.children:
            if _is_tree(child) and child.data == "arguments":
                args = self.bracketed(child)
                expand = any(not _is_tree(c) and c.type == "ELLIPSIS" for c in child.children)
        return self.make(
            hx.FunctionCall, node, name="::".join(names), args=args, expand_final=expand
        )

    def steps(self, node: Any) -> list[hx.Step]:
        """Steps of a get_attr / index / splat node."""
        kind = node.data
        if kind == "get_attr":
            return [hx.GetAttr(self.name(node.children[1]))]
        if kind == "braces_index":
            (key,) = self.bracketed(node)
            return [hx.Index(key)]
        if kind == "short_index":
            token = node.children[1]
            key = hx.Literal(str(token), self.span(*self.bounds(token)), parse_int(str(token)))
            return [hx.Index(key)]
        if kind in ("attr_splat", "full_splat"):
            steps: list[hx.Step] = [hx.Splat("attr" if kind == "attr_splat" else "full")]
            for child in node.children:
                if _is_tree(child):
                    steps.extend(self.steps(child))
            return steps
        raise self.error(node, f"unsupported traversal step ({kind})")

    def traversal(self, node: Any) -> hx.Expression:
        subject = self.expression(node.children[0])
        steps = self.steps(node.children[1])
        if isinstance(subject, hx.Traversal):
            return self.make(hx.Traversal, node, root=subject.root, steps=subject.steps + steps)
        if isinstance(subject, hx.RelativeTraversal):
            return self.make(
                hx.RelativeTraversal, node, subject=subject.subject, steps=subject.steps + steps
            )
        return self.make(hx.RelativeTraversal, node, subject=subject, steps=steps)

    x_get_attr_expr_term = traversal
    x_index_expr_term = traversal
    x_attr_splat_expr_term = traversal
    x_full_splat_expr_term = traversal

    def x_for_tuple_expr(self, node: Any) -> hx.Expression:
        return self.for_expression(node, is_object=False)

    def x_for_object_expr(self, node: Any) -> hx.Expression:
        return self.for_expression(node, is_object=True)

    def for_expression(self, node: Any, *, is_object: bool) -> hx.Expression:
        self.nested += 1
        try:
            return self.for_body(node, is_object=is_object)
        finally:
            self.nested -= 1

    def for_body(self, node: Any, *, is_object: bool) -> hx.Expression:
        intro = next(c for c in node.children if _is_tree(c) and c.data == "for_intro")
        names = [self.name(c) for c in intro.children if _is_tree(c) and c.data == "identifier"]
        (collection,) = [
            self.expression(c)
            for c in intro.children
            if _is_tree(c) and c.data not in ("identifier", "new_line_or_comment")
        ]
        condition = None
        bodies = []
        for child in node.children:
            if not _is_tree(child) or child.data in ("for_intro", "new_line_or_comment"):
                continue
            if child.data == "for_cond":
                (condition,) = self.sub_expressions(child)
            else:
                bodies.append(self.expression(child))
        key_name, value_name = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        grouping = any(not _is_tree(c) and c.type == "ELLIPSIS" for c in node.children)
        return self.make(
            hx.ForExpr,
            node,
            key_name=key_name,
            value_name=value_name,
            collection=collection,
            key=bodies[0] if is_object else None,
            value=bodies[-1],
            condition=condition,
            is_object=is_object,
            grouping=grouping,
        )

    # strings and templates ---------------------------------------------------

    def x_string(self, node: Any) -> hx.Expression:
        return self.string(node)

    def string(self, node: Any) -> hx.Expression:
        parts: list[str | hx.Expression] = []
        for child in node.children:
            if not _is_tree(child):
                continue  # the quotes
            inner = child.children[0]
            if not _is_tree(inner):
                text = str(inner)
                if "\n" in text:
                    raise self.error(
                        node,
                        "Invalid multi-line string: quoted strings may not "
                        "be split over multiple lines; use the \\n escape "
                        "or the heredoc syntax",
                    )
                if inner.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                    text = text[1:]
                else:
                    text = self.unescape(text, inner.start_pos)
                if parts and isinstance(parts[-1], str):
                    parts[-1] += text
                else:
                    parts.append(text)
            elif inner.data == "interpolation":
                (expression,) = self.bracketed(inner)
                parts.append(expression)
            else:
                parts.append(self.directive(inner))
        if all(isinstance(part, str) for part in parts):
            return self.make(
                hx.Literal, node, value="".join(p for p in parts if isinstance(p, str))
            )
        self.check_directives(parts)
        return self.make(hx.Template, node, parts=parts)

    def check_directives(self, parts: list[str | hx.Expression]) -> None:
        """``%{if}``/``%{else}``/``%{endif}`` and ``%{for}``/``%{endfor}`` must balance."""
        opened: list[hx.Directive] = []
        for part in parts:
            if not isinstance(part, hx.Directive):
                continue
            if part.kind in ("if", "for"):
                opened.append(part)
            elif part.kind in ("else", "endif", "endfor"):
                expected = "for" if part.kind == "endfor" else "if"
                if not opened or opened[-1].kind != expected:
                    raise InputError(
                        self.path,
                        f"HCL syntax error: Unexpected {part.kind} directive: The "
                        f"{part.kind} directive is not expected here.",
                        part.span.line,
                        part.span.column,
                    )
                if part.kind != "else":
                    opened.pop()
        if opened:
            unclosed = opened[-1]
            closing = "endfor" if unclosed.kind == "for" else "endif"
            raise InputError(
                self.path,
                f"HCL syntax error: Unexpected end of template: no {closing} directive "
                f"closes this {unclosed.kind}.",
                unclosed.span.line,
                unclosed.span.column,
            )

    def directive(self, node: Any) -> hx.Expression:
        kind = node.data.replace("template_", "").replace("_start", "")
        expressions = self.sub_expressions(node)
        names = []
        if kind == "for":
            names = [self.name(c) for c in node.children if _is_tree(c) and c.data == "identifier"]
            expressions = [
                e
                for e in expressions
                if not (isinstance(e, hx.Traversal) and not e.steps and e.root in names)
            ]
        return self.make(
            hx.Directive,
            node,
            kind=kind,
            expression=expressions[-1] if expressions else None,
            names=names,
        )

    def x_heredoc_template(self, node: Any) -> hx.Expression:
        return self.heredoc(node, trim=False)

    def x_heredoc_template_trim(self, node: Any) -> hx.Expression:
        return self.heredoc(node, trim=True)

    def heredoc(self, node: Any, *, trim: bool) -> hx.Expression:
        token = node.children[0]
        raw = self.source(token.start_pos, token.end_pos)  # the parser saw a filled body
        body_start = raw.index("\n") + 1
        closing = raw.rstrip("\r\n").rfind("\n") + 1
        body = raw[body_start:closing]
        indent = _common_indent(body) if trim else 0
        parts = self.template_parts(body, token.start_pos + body_start, indent)
        if all(isinstance(part, str) for part in parts):
            return self.make(
                hx.Literal, node, value="".join(p for p in parts if isinstance(p, str))
            )
        self.check_directives(parts)
        return self.make(hx.Template, node, parts=parts)

    def template_parts(self, body: str, offset: int, indent: int) -> list[str | hx.Expression]:
        """Split heredoc text into literal text and ``${}`` / ``%{}`` parts."""
        parts: list[str | hx.Expression] = []
        index = 0
        text: list[str] = []
        while index < len(body):
            char = body[index]
            if char in "$%" and body.startswith(char + "{", index + 1):
                text.append(char + "{")  # escaped: $${ and %%{
                index += 3
                continue
            if char in "$%" and body.startswith("{", index + 1):
                end = _closing_brace(body, index + 2)
                if end < 0:
                    raise InputError(
                        self.path,
                        "HCL syntax error: unterminated template sequence in heredoc",
                        *self.position(offset + index),
                    )
                if text:
                    parts.append(_dedent("".join(text), indent, at_line_start=not parts))
                    text = []
                inner = body[index + 2 : end].strip("~ \t\r\n")
                inner_start = body.index(inner, index + 2) if inner else index + 2
                if char == "$":
                    parts.append(
                        self.sub_expression(offset + inner_start, offset + inner_start + len(inner))
                    )
                else:
                    parts.append(self.heredoc_directive(inner, offset + inner_start))
                index = end + 1
                continue
            text.append(char)
            index += 1
        if text:
            parts.append(_dedent("".join(text), indent, at_line_start=not parts))
        return parts

    def heredoc_directive(self, inner: str, offset: int) -> hx.Expression:
        words = inner.split(None, 1)
        kind = words[0] if words else ""
        span = self.span(offset, offset + len(inner))
        if kind == "if" and len(words) == 2:
            start = offset + inner.index(words[1])
            expression = self.sub_expression(start, offset + len(inner))
            return hx.Directive(inner, span, kind="if", expression=expression)
        if kind == "for" and len(words) == 2 and " in " in words[1]:
            names_text, _sep, _rest = words[1].partition(" in ")
            collection_start = offset + inner.index(" in ") + 4
            expression = self.sub_expression(collection_start, offset + len(inner))
            names = [n.strip() for n in names_text.split(",")]
            return hx.Directive(inner, span, kind="for", expression=expression, names=names)
        return hx.Directive(inner, span, kind=kind)

    def sub_expression(self, start: int, end: int) -> hx.Expression:
        """Parse ``parsed[start:end]`` as one expression (heredoc interpolations).

        The text is read from the original (the parser saw the heredoc's body
        filled, see :func:`_skip_heredoc`) and prepared like a file's, so a
        heredoc nested in the interpolation is filled too.
        """
        first = self.to_original(start)
        prepared = _Prepared(_EXPRESSION_PREFIX + self.source(start, end) + "\n")
        shift = first - len(_EXPRESSION_PREFIX)
        try:
            tree = lark_parser().parse(prepared.text)
        except Exception as error:  # lark's exceptions: a syntax error in the template
            offset = getattr(error, "pos_in_stream", None)
            where = (
                first
                if offset is None
                else max(first, prepared.original_offset(min(offset, len(prepared.text))) + shift)
            )
            line = bisect.bisect_right(self.line_starts, where)
            raise InputError(
                self.path,
                f"HCL syntax error in template: {_describe(error)}",
                line,
                where - self.line_starts[line - 1] + 1,
            ) from None
        visitor = _Visitor(
            self.path,
            self.original,
            self.line_starts,
            prepared.text,
            lambda p: prepared.original_offset(p) + shift,
        )
        visitor.depth = self.depth  # a heredoc's interpolation nests inside its attribute
        attribute = tree.children[0].children[0]
        if attribute.data != "attribute":  # pragma: no cover - defensive
            attribute = next(c for c in tree.children[0].children if c.data == "attribute")
        return visitor.expression(attribute.children[2])

    def error(self, node: Any, message: str) -> InputError:
        start, _end = self.bounds(node)
        return InputError(self.path, f"HCL syntax error: {message}", *self.position(start))


def _closing_brace(text: str, start: int) -> int:
    """The index of the ``}`` closing a template sequence opened before ``start``."""
    depth = 0
    index = start
    quoted = False
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return -1


def _common_indent(body: str) -> int:
    indents = [len(line) - len(line.lstrip(" \t")) for line in body.split("\n") if line.strip()]
    return min(indents, default=0)


def _dedent(text: str, indent: int, *, at_line_start: bool) -> str:
    if not indent:
        return text
    lines = text.split("\n")
    out = []
    for position, line in enumerate(lines):
        if position > 0 or at_line_start:
            removable = len(line) - len(line.lstrip(" \t"))
            out.append(line[min(indent, removable) :])
        else:
            out.append(line)
    return "\n".join(out)


def diagnose(text: str) -> tuple[int, str] | None:
    """After a failed parse: the cause, at the place Terraform reports it.

    Lark notices a problem where it can no longer continue (often the end of
    the file); Terraform reports the cause: the quote of a string that runs
    over a line end, the ``${`` of an unclosed interpolation, the header of
    an unclosed block. Only called on failure, so valid files pay nothing.
    """
    index, length = 0, len(text)
    braces: list[int] = []  # offsets of open "{" in configuration (not in strings)
    # stack entries: ("string", quote offset) or ("interp", "${" offset, depth)
    stack: list[list[Any]] = []
    while index < length:
        char = text[index]
        top = stack[-1] if stack else None
        if top is not None and top[0] == "string":
            if char == "\\":
                index += 2
                continue
            if char == "\n":
                if len(stack) > 1:
                    return stack[-2][1], (
                        "Unclosed template interpolation sequence: there is no closing brace "
                        "for this interpolation sequence before the end of the quoted template"
                    )
                return top[1], (
                    "Invalid multi-line string: quoted strings may not be split over multiple "
                    "lines; use the \\n escape or the heredoc syntax"
                )
            if char == '"':
                stack.pop()
            elif char in "$%" and text.startswith("{", index + 1):
                stack.append(["interp", index, 0])
                index += 2
                continue
            index += 1
            continue
        if char == "#" or text.startswith("//", index):
            end = text.find("\n", index)
            index = length if end < 0 else end
            continue
        if text.startswith("/*", index):
            end = text.find("*/", index + 2)
            if end < 0:
                return index, "Unterminated template string: the comment is never closed"
            index = end + 2
            continue
        if char == '"':
            stack.append(["string", index])
        elif char == "<" and text.startswith("<<", index):
            match = _HEREDOC_START.match(text, index)
            if match is not None:
                end = _skip_heredoc(text, match.end() + 1, match.group(2), [], [])
                if end >= length and not text.rstrip().endswith(match.group(2)):
                    return index, (
                        f"Unterminated template string: no closing marker "
                        f"{match.group(2)!r} for this heredoc"
                    )
                index = end
                continue
        elif char == "{":
            if top is not None:
                top[2] += 1
            else:
                braces.append(index)
        elif char == "}":
            if top is not None:
                top[2] -= 1
                if top[2] < 0:
                    stack.pop()
            elif braces:
                braces.pop()
        index += 1
    if stack and stack[-1][0] == "string":
        return stack[-1][1], "Unterminated template string: the string is never closed"
    if braces:
        return braces[0], (
            "Unclosed configuration block: there is no closing brace for this "
            "block before the end of the file"
        )
    return None


def _describe(error: Exception) -> str:
    token = getattr(error, "token", None)
    if token is not None:
        if token.type == "$END":
            return "unexpected end of file (an unclosed block, bracket or string?)"
        if token.type == "STRING_CHARS":
            return "Invalid expression: expected the start of an expression"
        text = str(token).strip() or repr(str(token))
        return f"unexpected {text!r}"
    char = getattr(error, "char", None)
    if char is not None:
        return f"unexpected character {char!r}"
    return "invalid syntax"


# --- entry points -------------------------------------------------------------


def parse_hcl(text: str, path: str) -> File:
    """Parse native-syntax HCL text (``path`` is only used in positions and errors)."""
    prepared = _Prepared(text)
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
        message = _describe(error)
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
    visitor = _Visitor(path, text, line_starts, prepared.text + "\n", to_original)
    try:
        body = visitor.body(tree.children[0], top_level=True)
    except RecursionError:
        raise InputError(path, "HCL syntax error: expressions nested too deeply", 1, 1) from None
    return File(path, body, visitor.comments)


def read_text(path: str) -> str:
    """A source file's text: UTF-8 (BOM allowed); problems become input errors."""
    return decode_source(read_bytes(path), path)


def parse_source(raw: bytes, path: str) -> File:
    """Parse a ``.tf`` or ``.tf.json`` file's bytes (the suffix of ``path`` decides which).

    The cyclic garbage collector is paused meanwhile (:mod:`aitask_lint.gcpause`).
    """
    from aitask_lint.gcpause import paused_gc

    text = decode_source(raw, path)
    with paused_gc():
        if path.endswith(".tf.json"):
            from aitask_lint.hcl.jsonsyntax import parse_tf_json

            return parse_tf_json(text, path)
        return parse_hcl(text, path)


def load_hcl_file(path: str) -> File:
    """Read and parse a ``.tf`` or ``.tf.json`` file (no parse cache; see ``hcl.files``)."""
    return parse_source(read_bytes(path), path)
