"""Coder's validation patterns and Go-style quoting, shared by ConvertState and the rules.

Kept apart from :mod:`aitask_lint.convert.convert` so that a lint run, which
quotes Coder's messages, does not import the ConvertState machinery and its
pydantic models.
"""

from __future__ import annotations

import re

AGENT_NAME_REGEX = r"(?i)^[a-z0-9](-?[a-z0-9])*$"
APP_SLUG_REGEX = r"^[a-z0-9](-?[a-z0-9])*$"

#: Coder's patterns above (quoted verbatim in its messages), compiled for matching with
#: a possessive group: Python's re keeps backtracking state for every repetition of a
#: group, 1 GB for a 14 MB slug from a state. Each repetition of ``-?[a-z0-9]`` can
#: match in one way only, so giving none back accepts exactly the same names.
AGENT_NAME = re.compile(r"^[a-z0-9](?:-?[a-z0-9])*+$", re.IGNORECASE)
APP_SLUG = re.compile(r"^[a-z0-9](?:-?[a-z0-9])*+$")


def go_quote(text: str) -> str:
    """Go's ``%q`` for the strings that appear in Coder's messages."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{escaped}"'


def join_with_conjunction(items: list[str]) -> str:
    """Coder's ``stringutil.JoinWithConjunction`` over ``%q``-quoted items."""
    quoted = [go_quote(item) for item in items]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]
