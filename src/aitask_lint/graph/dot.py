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

import itertools
import re
from dataclasses import dataclass

from aitask_lint.errors import InputError
from aitask_lint.graph.model import ResourceGraph
from aitask_lint.jsonpos import line_column


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "id", "{", "}", "[", "]", "=", ";", ",", "->", "--", ":"
    text: str
    offset: int


# Each match consumes leading whitespace and one token (or one comment); the
# final alternative catches anything else so errors keep their position.
_TOKEN = re.compile(
    r"""
    [ \t\r\n\f\v\ufeff]*
    (?:
        (?P<comment>//[^\n]*|/\*.*?\*/|(?:^|(?<=\n))\#[^\n]*)
      | "(?P<string>(?:[^"\\]|\\.)*)"
      | (?P<punct>->|--|[{}\[\]=;,:])
      | (?P<id>[A-Za-z0-9_.\-\u0080-\U0010ffff]+)
      | (?P<bad>.)
      | $
    )
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokenize(text: str, path: str) -> list[_Token]:
    tokens: list[_Token] = []
    append = tokens.append
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("id", "string"):
            append(_Token("id", match.group(kind), match.start(kind)))
        elif kind == "punct":
            value = match.group(kind)
            append(_Token(value, value, match.start(kind)))
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
    return tokens


class _Parser:
    """Recursive descent over DOT's statement grammar (the part Terraform uses)."""

    def __init__(self, tokens: list[_Token], path: str, text: str) -> None:
        self.tokens = tokens
        self.path = path
        self.position = 0
        self.text = text
        self.graph = ResourceGraph(source="dot")

    def _peek(self, offset: int = 0) -> _Token | None:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def _error(self, message: str, token: _Token | None) -> InputError:
        line, column = line_column(self.text, token.offset if token else len(self.text))
        return InputError(self.path, f"invalid DOT: {message}", line, column)

    def _expect(self, kind: str) -> _Token:
        token = self._peek()
        if token is None or token.kind != kind:
            found = "end of file" if token is None else repr(token.text)
            raise self._error(f"expected {kind!r}, found {found}", token)
        self.position += 1
        return token

    def parse(self) -> ResourceGraph:
        token = self._peek()
        if token is not None and token.kind == "id" and token.text.lower() == "strict":
            self.position += 1
            token = self._peek()
        if token is None or token.kind != "id" or token.text.lower() not in ("digraph", "graph"):
            raise self._error("expected 'digraph'", token)
        self.position += 1
        following = self._peek()
        if following is not None and following.kind == "id":
            self.position += 1
        self._block()
        trailing = self._peek()
        if trailing is not None:
            raise self._error(f"unexpected {trailing.text!r} after the graph", trailing)
        return self.graph

    def _block(self) -> None:
        self._expect("{")
        while True:
            token = self._peek()
            if token is None:
                raise self._error("expected '}', found end of file", None)
            if token.kind == "}":
                self.position += 1
                return
            if token.kind in (";", ","):
                self.position += 1
                continue
            self._statement()

    def _statement(self) -> None:
        token = self._peek()
        assert token is not None
        if token.kind == "{":
            self._block()
            return
        if token.kind != "id":
            raise self._error(f"unexpected {token.text!r}", token)
        keyword = token.text.lower()
        if keyword == "subgraph":
            self.position += 1
            if (name := self._peek()) is not None and name.kind == "id":
                self.position += 1
            self._block()
            return
        if keyword in ("node", "edge", "graph") and self._is_kind(1, "["):
            self.position += 1
            self._attributes()
            return
        if self._is_kind(1, "="):
            self.position += 3 if self._is_kind(2, "id") else 2
            if not self._is_kind(-1, "id"):
                raise self._error("expected a value after '='", self._peek(-1))
            return
        self.position += 1
        self._port()
        names = [token.text]
        while (arrow := self._peek()) is not None and arrow.kind in ("->", "--"):
            self.position += 1
            names.append(self._expect("id").text)
            self._port()
        attributes = self._attributes() if self._is_kind(0, "[") else {}
        if len(names) == 1:
            self.graph.add_node(names[0], attributes.get("label"))
        else:
            for source, target in itertools.pairwise(names):
                self.graph.add_edge(source, target)

    def _port(self) -> None:
        while self._is_kind(0, ":"):
            self.position += 1
            self._expect("id")

    def _is_kind(self, offset: int, kind: str) -> bool:
        token = self._peek(offset)
        return token is not None and token.kind == kind

    def _attributes(self) -> dict[str, str]:
        attributes: dict[str, str] = {}
        while self._is_kind(0, "["):
            self.position += 1
            while not self._is_kind(0, "]"):
                key = self._expect("id")
                value = key.text
                if self._is_kind(0, "="):
                    self.position += 1
                    value = self._expect("id").text
                attributes[key.text] = value
                while self._is_kind(0, ",") or self._is_kind(0, ";"):
                    self.position += 1
            self._expect("]")
        return attributes


def parse_dot(text: str, path: str = "<dot>") -> ResourceGraph:
    """Parse ``terraform graph`` output into a :class:`ResourceGraph`."""
    return _Parser(_tokenize(text, path), path, text).parse()


def load_dot(path: str) -> ResourceGraph:
    """Read and parse a DOT file, turning read and decode failures into input errors."""
    from aitask_lint.limits import JSON_BYTES_ENV, max_json_bytes, read_file_bounded

    try:
        raw = read_file_bounded(path, max_json_bytes(), JSON_BYTES_ENV)
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
