"""A source range: what every node of the syntax tree and of an expression carries.

In a module of its own, below both ``syntax`` (blocks and attributes hold
expressions) and ``expressions`` (every expression has a span), so neither
of those two has to import the other to say where a node is.
"""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """A 1-based source range; ``end_column`` points just after the last character.

    A named tuple rather than a dataclass: a syntax tree holds tens of thousands
    of them, and tuples are built several times faster (the parse cache
    rebuilds them on every warm run; an entry stores just the four numbers,
    and the path is the file's, attached on load).
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
