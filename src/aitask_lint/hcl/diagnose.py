"""After a failed parse: what went wrong, where Terraform says it did.

Lark reports the token where it could no longer continue, often the end of
the file. These helpers find the cause Terraform names instead (an unclosed
string, interpolation, heredoc or block) and word lark's own errors. They run
only on failure, so a valid file pays nothing for them.
"""

from __future__ import annotations

import re
from typing import Any

from aitask_lint.hcl.prepare import HEREDOC_START, skip_heredoc

# Runs of characters the scan below has nothing to do for, skipped in one C-level
# match instead of one loop turn each: a megabyte of text scanned character by
# character took a second (tests/test_hangs_parse.py).
#: inside a quoted string: anything but an escape, a line end, the quote or ``${``/``%{``
_PLAIN_IN_STRING = re.compile(r'[^\\\n"$%]+')
#: in configuration or an interpolation: anything but comments, strings, heredocs, braces
_PLAIN_IN_CODE = re.compile(r'[^#/"<{}]+')
_LESS_THAN_RUN = re.compile(r"<+")


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
        top = stack[-1] if stack else None
        in_string = top is not None and top[0] == "string"
        plain = (_PLAIN_IN_STRING if in_string else _PLAIN_IN_CODE).match(text, index)
        if plain is not None:
            index = plain.end()
            continue
        char = text[index]
        if in_string:
            assert top is not None
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
            match = HEREDOC_START.match(text, index)
            if match is not None:
                end = skip_heredoc(text, match.end() + 1, match.group(2), [], [])
                if end >= length and not text.rstrip().endswith(match.group(2)):
                    return index, (
                        f"Unterminated template string: no closing marker "
                        f"{match.group(2)!r} for this heredoc"
                    )
                index = end
                continue
            # in a run of "<", only the last two can open a heredoc
            run = _LESS_THAN_RUN.match(text, index)
            assert run is not None
            index = max(index + 1, run.end() - 2)
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


def describe(error: Exception) -> str:
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
