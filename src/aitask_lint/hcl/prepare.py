"""The pre-parse rewrite: the text python-hcl2's grammar sees, mapped back to the original.

Two divergences from Terraform are fixed before parsing rather than in the
grammar (which is python-hcl2's, read as is):

* **Heredoc closing markers followed by spaces.** Terraform accepts
  ``  EOT  ``; python-hcl2 silently reads on to a later marker and swallows
  every block in between. The scan removes that trailing whitespace.
* **Unicode identifiers.** Terraform accepts ``local.café``; the grammar's
  names are ASCII. The scan replaces non-ASCII identifier characters (outside
  strings, comments and heredocs) by ``x`` for the parser, and every name is
  read back from the original text by position.

Heredoc bodies are also blanked (see :func:`skip_heredoc`). :class:`Prepared`
maps every offset of the rewritten text back to the original, so lines and
columns stay exact (CRLF files included).
"""

from __future__ import annotations

import bisect
import re

#: a heredoc's opening line, matched where ``<<`` is; it ends at the line's end,
#: found by the match itself: looking for the line end first (``find("\n")``)
#: for every ``<<`` made a 1 MB line of ``<`` take 15 s
HEREDOC_START = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)[ \t]*\r?(?=\n|\Z)")


class Prepared:
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


#: what the parser sees instead of a heredoc body's text (see :func:`skip_heredoc`)
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
            match = HEREDOC_START.match(text, index)
            if match is not None:
                index = skip_heredoc(text, match.end() + 1, match.group(2), deletions, fills)
                continue
        elif not ascii_text and ord(char) > 127 and (char.isalnum() or char == "_"):
            replacements.append(index)
        index += 1


def skip_heredoc(
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
