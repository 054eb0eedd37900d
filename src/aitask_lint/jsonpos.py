"""Map a JSON Pointer back to the line and column where it sits in the text.

Used only when something is wrong (a schema violation, a finding about a JSON
object): the happy path parses with :func:`json.loads` at C speed and keeps no
positions, and this walks the text once, skipping every value that is not on
the pointer's path with the C decoder.
"""

from __future__ import annotations

import json
import re

from aitask_lint.jsonnum import DECODER

_WHITESPACE = " \t\n\r"
_DECODER = DECODER  # integers of any length: a 5,000-digit one is skipped, not a ValueError


def unescape_pointer(pointer: str) -> list[str]:
    """Split an RFC 6901 pointer into its unescaped reference tokens."""
    if not pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]


def escape_token(token: str | int) -> str:
    """Escape one reference token for an RFC 6901 pointer."""
    text = str(token)
    if "~" not in text and "/" not in text:
        return text  # nearly every token: attribute names, indexes
    return text.replace("~", "~0").replace("/", "~1")


def make_pointer(tokens: list[str | int] | tuple[str | int, ...]) -> str:
    """Join tokens into an RFC 6901 pointer."""
    return "".join("/" + escape_token(token) for token in tokens)


def line_column(text: str, offset: int) -> tuple[int, int]:
    """Turn a character offset into a 1-based (line, column)."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _skip_ws(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WHITESPACE:
        index += 1
    return index


def locate(text: str, pointer: str) -> tuple[int, int]:
    """Return the (line, column) of the value at ``pointer`` in ``text``.

    When the pointer leads nowhere (the document changed shape, or the path
    is of a missing key) the position of the deepest existing ancestor is
    returned, which is still the best place to point a user at.
    """
    return PositionIndex(text).locate(pointer)


#: container levels skipped child by child (below them, a value is decoded whole);
#: one level keeps a 20 MB `resource_changes` from being built at once, at no cost in time
_SKIP_LEVELS = 1


def _skip_value(text: str, index: int, levels: int) -> int:
    """The offset just after the JSON value at ``index``.

    The C decoder skips a value by building it; for the top levels of a plan
    (``resource_changes`` alone is 20 MB) that would hold hundreds of MB at
    once, so their children are skipped one at a time instead.
    """
    opener = text[index] if index < len(text) else ""
    if levels <= 0 or opener not in "[{":
        return int(_DECODER.raw_decode(text, index)[1])
    closer = "]" if opener == "[" else "}"
    index = _skip_ws(text, index + 1)
    while index < len(text) and text[index] != closer:
        if opener == "{":
            _key, index = _DECODER.raw_decode(text, index)
            index = _skip_ws(text, index)
            index = _skip_ws(text, index + 1)  # the ':'
        index = _skip_ws(text, _skip_value(text, index, levels - 1))
        if index < len(text) and text[index] == ",":
            index = _skip_ws(text, index + 1)
    if index >= len(text):
        raise json.JSONDecodeError(f"unterminated {opener}", text, index)
    return index + 1


class PositionIndex:
    """Positions of many JSON Pointers in one text, each container scanned at most once.

    :func:`locate` skips every sibling before the target with the C decoder,
    which is quadratic when a plan has hundreds of findings in one
    ``resources`` array (63 s for 739 findings in a 5 MB plan). This index
    remembers, per container, the offsets of the children it has already
    skipped and resumes from there; lines are counted from the nearest
    offset already counted.
    """

    def __init__(self, text: str, members: tuple[int, dict[str, int]] | None = None) -> None:
        """``members``: the top-level object's offset and its members' value offsets,
        when the loader recorded them (then no top-level member is ever skipped)."""
        self.text = text
        #: container offset -> (children found so far, where the scan resumes, finished)
        self._arrays: dict[int, tuple[list[int], int, bool]] = {}
        self._objects: dict[int, tuple[dict[str, int], int, bool, bool]] = {}
        if members is not None:
            start, offsets = members
            self._objects[start] = (dict(offsets), len(text), True, False)
        #: sorted checkpoints (offset, its line, where that line starts)
        self._lines: list[tuple[int, int, int]] = [(0, 1, 0)]

    def locate(self, pointer: str) -> tuple[int, int]:
        """Like :func:`locate`, the (line, column) of the value at ``pointer``."""
        index = _skip_ws(self.text, 0)
        for token in unescape_pointer(pointer):
            try:
                found = self._child(index, token)
            except (json.JSONDecodeError, IndexError, RecursionError):
                found = None
            if found is None:
                break
            index = found
        return self._line_column(index)

    def _child(self, index: int, token: str) -> int | None:
        text = self.text
        if index >= len(text):
            return None
        if text[index] == "[" and token.isdigit():
            return self._array_child(index, int(token))
        if text[index] == "{":
            return self._object_child(index, token)
        return None

    def _array_child(self, index: int, wanted: int) -> int | None:
        text = self.text
        children, resume, done = self._arrays.get(index, ([], _skip_ws(text, index + 1), False))
        while not done and len(children) <= wanted:
            if resume >= len(text) or text[resume] == "]":
                done = True
                break
            children.append(resume)
            resume = _skip_value(text, resume, _SKIP_LEVELS)
            resume = _skip_ws(text, resume)
            if resume < len(text) and text[resume] == ",":
                resume = _skip_ws(text, resume + 1)
        self._arrays[index] = (children, resume, done)
        return children[wanted] if wanted < len(children) else None

    def _object_child(self, index: int, token: str) -> int | None:
        text = self.text
        # pending: ``resume`` is at the value of the member found last (not yet skipped)
        members, resume, done, pending = self._objects.get(
            index, ({}, _skip_ws(text, index + 1), False, False)
        )
        while not done and token not in members:
            if pending:
                resume = _skip_value(text, resume, _SKIP_LEVELS)
                resume = _skip_ws(text, resume)
                if resume < len(text) and text[resume] == ",":
                    resume = _skip_ws(text, resume + 1)
                pending = False
            if resume >= len(text) or text[resume] == "}":
                done = True
                break
            key, resume = _DECODER.raw_decode(text, resume)
            resume = _skip_ws(text, resume)
            resume = _skip_ws(text, resume + 1)  # the ':'
            members.setdefault(key, resume)
            pending = True  # the value is skipped only if a later lookup needs to go on
        self._objects[index] = (members, resume, done, pending)
        return members.get(token)

    def _line_column(self, offset: int) -> tuple[int, int]:
        import bisect

        position = bisect.bisect_right(self._lines, (offset, 1 << 62, 0)) - 1
        start, line, line_start = self._lines[position]
        newlines = self.text.count("\n", start, offset)
        if newlines:
            line += newlines
            line_start = self.text.rfind("\n", start, offset) + 1
        bisect.insort(self._lines, (offset, line, line_start))
        return line, offset - line_start + 1


#: strings (skipped whole) and the structural characters of JSON text
#: possessive: a repeated group keeps backtracking state per repetition (1 GB for a
#: 14 MB string); a string's characters can be matched in one way only
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*+"|[{}\[\]:,]')


def nesting_position(text: str, depth: int) -> int:
    """Offset of the first ``[`` or ``{`` nested more than ``depth`` levels deep.

    Used after the decoder gave up on a deeply nested document; iterative, so
    it works at any depth. Returns 0 when the text does not nest that deep.
    """
    level = 0
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        if token in "[{":
            level += 1
            if level > depth:
                return match.start()
        elif token in "]}":
            level -= 1
    return 0


def find_duplicate_key(text: str) -> tuple[int, str, int] | None:
    """The first key set twice in one object: (offset, key, offset of the first).

    Only called on text that has already been decoded, so the tokens are
    well-formed; iterative, so depth does not matter.
    """
    # one entry per open container: the keys of an object, None for an array
    stack: list[dict[str, int] | None] = []
    expect_key = False
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        if token == "{":
            stack.append({})
            expect_key = True
        elif token == "[":
            stack.append(None)
            expect_key = False
        elif token in "]}":
            stack.pop()
            expect_key = False
        elif token == ",":
            expect_key = bool(stack) and stack[-1] is not None
        elif token == ":":
            expect_key = False
        elif expect_key:
            keys = stack[-1]
            assert keys is not None
            key = json.loads(token)
            if key in keys:
                return match.start(), key, keys[key]
            keys[key] = match.start()
            expect_key = False
    return None
