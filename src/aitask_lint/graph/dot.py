"""Parse the DOT text that ``terraform graph -type=plan`` writes.

Why a parser of our own rather than pydot: measured by
``benchmarks/dot_parsers.py`` on a 2-core machine, pydot (a pyparsing grammar
for all of DOT) took 2.4 s for the 32 DOT files of Coder's corpus against
19 ms here (123x), 21.7 s against 0.11 s for a 2,000-resource graph (203x),
and did not finish a 20,000-resource graph in ten minutes (0.86 s here). It
would also be one more dependency, while Terraform only ever writes a small,
regular subset: ``digraph { ... }`` with nested ``subgraph "name" { ... }``,
``a = "b"`` graph attributes, node statements ``"id" [k = "v", ...]`` and
edge statements ``"a" -> "b"``. This module tokenizes that subset properly
(quoted IDs with escapes, bare IDs, numerals, comments, ``;``/``,``
separators, edge chains ``a -> b -> c``, default ``node``/``edge``/``graph``
attribute statements) and reports anything else as an error with its line
and column. Like Coder's gographviz reading, a node's ``label`` keeps its
escape sequences verbatim and surrounding quotes are dropped.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from typing import NamedTuple

from aitask_lint.errors import InputError
from aitask_lint.graph.model import ResourceGraph
from aitask_lint.jsonpos import line_column


class _Token(NamedTuple):
    kind: str  # "id", "{", "}", "[", "]", "=", ";", ",", "->", "--", ":"
    text: str
    offset: int


#: whitespace and comments, which separate tokens and mean nothing
_TRIVIA = r"""(?:[ \t\r\n\f\v\ufeff]+|//[^\n]*|/\*.*?\*/|(?:^|(?<=\n))\#[^\n]*)"""

# Each match consumes leading trivia and one token; the final alternative
# catches anything else so errors keep their position. A run of separators
# (with the trivia between them) is one token: the parser skips ``;`` and
# ``,`` alike wherever it accepts them, and 64 MiB of ``;`` is then one
# match instead of 64 million.
#
# Groups repeat possessively (``*+``): Python's re otherwise keeps backtracking
# state for every repetition of a group, 1.26 GB for 4 MiB of ``; ; ;`` and
# 620 MB for a 4 MiB quoted string. Nothing after them could use a character
# given back (the last alternative matches any character), so the tokens are
# the same.
_TOKEN = re.compile(
    rf"""
    {_TRIVIA}*+
    (?:
        "(?P<string>(?:[^"\\]|\\.)*+)"
      | (?P<sep>[;,](?:{_TRIVIA}|[;,]+)*+)
      | (?P<punct>->|--|[{{}}\[\]=:])
      | (?P<id>[A-Za-z0-9_.\-\u0080-\U0010ffff]+)
      | (?P<bad>.)
      | $
    )
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokenize(text: str, path: str) -> Iterator[_Token]:
    """The tokens of ``text``, one at a time.

    A generator, not a list: a list held one object per token, 1.7 GiB for
    16 MiB of ``;`` and 6.8 GiB at the 64 MiB limit. The parser keeps at
    most three tokens of look-ahead, so memory follows the graph, not the
    file.
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("id", "string"):
            yield _Token("id", match.group(kind), match.start(kind))
        elif kind == "sep":
            offset = match.start(kind)
            yield _Token(text[offset], text[offset], offset)
        elif kind == "punct":
            value = match.group(kind)
            yield _Token(value, value, match.start(kind))
        elif kind == "bad":
            offset = match.start(kind)
            line, column = line_column(text, offset)
            if text[offset] == '"':
                raise InputError(path, "invalid DOT: unterminated string", line, column)
            if text.startswith("/*", offset):
                raise InputError(path, "invalid DOT: unterminated comment", line, column)
            raise InputError(
                path, f"invalid DOT: unexpected character {text[offset]!r}", line, column
            )


#: tokens after an ID that make it a whole node statement (no port, edge, attribute)
_ENDS_A_NODE_STATEMENT = frozenset({";", ",", "}", "{", "id"})


class _Parser:
    """DOT's statement grammar (the part Terraform uses), without recursion.

    Blocks (``{ ... }``, ``subgraph x { ... }``) are the only nesting in this
    subset and nothing is carried from an outer block into an inner one, so
    an open-block counter replaces the recursive descent: a file nested
    100,000 levels deep parses like a flat one instead of raising
    ``RecursionError``. Tokens are pulled from :func:`_tokenize` as needed.
    """

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.text = text
        self.graph = ResourceGraph(source="dot")
        self._tokens = _tokenize(text, path)
        self._ahead: deque[_Token] = deque()

    def _peek(self, offset: int = 0) -> _Token | None:
        ahead = self._ahead
        if len(ahead) > offset:
            return ahead[offset]
        while len(ahead) <= offset:
            token = next(self._tokens, None)
            if token is None:
                return None
            ahead.append(token)
        return ahead[offset]

    def _advance(self) -> _Token:
        if not self._ahead:
            self._peek()
        return self._ahead.popleft()

    def _error(self, message: str, token: _Token | None) -> InputError:
        line, column = line_column(self.text, token.offset if token else len(self.text))
        return InputError(self.path, f"invalid DOT: {message}", line, column)

    def _expect(self, kind: str) -> _Token:
        token = self._peek()
        if token is None or token.kind != kind:
            found = "end of file" if token is None else repr(token.text)
            raise self._error(f"expected {kind!r}, found {found}", token)
        return self._advance()

    def _is_kind(self, offset: int, kind: str) -> bool:
        token = self._peek(offset)
        return token is not None and token.kind == kind

    def parse(self) -> ResourceGraph:
        token = self._peek()
        if token is not None and token.kind == "id" and token.text.lower() == "strict":
            self._advance()
            token = self._peek()
        if token is None or token.kind != "id" or token.text.lower() not in ("digraph", "graph"):
            raise self._error("expected 'digraph'", token)
        self._advance()
        if self._is_kind(0, "id"):
            self._advance()
        self._expect("{")
        depth = 1
        peek = self._peek
        ahead = self._ahead
        while depth:
            token = ahead[0] if ahead else peek()
            if token is None:
                raise self._error("expected '}', found end of file", None)
            kind = token.kind
            if kind == "}":
                depth -= 1
            elif kind == "{":
                depth += 1
            elif kind not in (";", ","):
                depth += self._statement(token)
                continue
            ahead.popleft()
        trailing = self._peek()
        if trailing is not None:
            raise self._error(f"unexpected {trailing.text!r} after the graph", trailing)
        return self.graph

    def _statement(self, token: _Token) -> int:
        """Consume one statement starting at ``token``; 1 when it opened a block."""
        if token.kind != "id":
            raise self._error(f"unexpected {token.text!r}", token)
        following = self._peek(1)
        ends = following is None or following.kind in _ENDS_A_NODE_STATEMENT
        if ends and (len(token.text) != 8 or token.text.lower() != "subgraph"):
            # ``a;`` or ``a }``, the commonest statement, without the general path
            self._ahead.popleft()
            self.graph.add_node(token.text)
            return 0
        keyword = token.text.lower()
        if keyword == "subgraph":
            self._advance()
            if self._is_kind(0, "id"):
                self._advance()
            self._expect("{")
            return 1
        if keyword in ("node", "edge", "graph") and self._is_kind(1, "["):
            self._advance()
            self._label()
            return 0
        if self._is_kind(1, "="):
            self._advance()
            equals = self._advance()
            if not self._is_kind(0, "id"):
                raise self._error("expected a value after '='", equals)
            self._advance()
            return 0
        self._advance()
        self._port()
        source = token.text
        edges = 0
        while (arrow := self._peek()) is not None and arrow.kind in ("->", "--"):
            self._advance()
            target = self._expect("id").text
            self._port()
            # added as read: an edge chain of millions of names is never held
            self.graph.add_edge(source, target)
            source = target
            edges += 1
        label = self._label() if self._is_kind(0, "[") else None
        if not edges:
            self.graph.add_node(token.text, label)
        return 0

    def _port(self) -> None:
        while self._is_kind(0, ":"):
            self._advance()
            self._expect("id")

    def _label(self) -> str | None:
        """Consume attribute lists; the last ``label`` (the only attribute used)."""
        label: str | None = None
        while self._is_kind(0, "["):
            self._advance()
            while not self._is_kind(0, "]"):
                key = self._expect("id")
                value = key.text
                if self._is_kind(0, "="):
                    self._advance()
                    value = self._expect("id").text
                if key.text == "label":
                    label = value
                while self._is_kind(0, ",") or self._is_kind(0, ";"):
                    self._advance()
            self._expect("]")
        return label


def parse_dot(text: str, path: str = "<dot>") -> ResourceGraph:
    """Parse ``terraform graph`` output into a :class:`ResourceGraph`."""
    return _Parser(text, path).parse()


def load_dot(path: str) -> ResourceGraph:
    """Read and parse a DOT file, turning read and decode failures into input errors."""
    from aitask_lint.limits import DOT_BYTES_ENV, max_dot_bytes, read_file_bounded

    try:
        raw = read_file_bounded(path, max_dot_bytes(), DOT_BYTES_ENV)
    except OSError as error:
        raise InputError(path, f"cannot read DOT file: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8-sig", errors="replace")
        raise InputError(
            path,
            f"invalid DOT: not UTF-8 (byte 0x{raw[error.start]:02x})",
            *line_column(prefix, len(prefix)),
        ) from None
    if not text.strip():
        raise InputError(path, "invalid DOT: empty file", 1, 1)
    return parse_dot(text, path)
