"""Neutralise control characters from template strings before printing them.

Template values are attacker-controlled in CI (a pull request can put any
string in a slug, a module source or a file name); printed raw, an escape
sequence could rewrite the terminal or the CI log: ``ESC[`` colour and
cursor sequences, OSC 8 hyperlinks and title changes (``ESC]``), ``\\r`` and
``\\b`` that overwrite what came before, BEL. Bidirectional overrides (the
"Trojan Source" characters, U+202E and friends) and zero-width characters
make a line read differently from what it holds. All of these are shown as
escapes: ``\\xNN`` for C0 and C1 controls and DEL (tab is kept), ``\\uNNNN``
for the format characters and for lone surrogates, which no UTF-8 terminal
can print (writing one would raise UnicodeEncodeError).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

_UNSAFE = re.compile(
    "["
    "\x00-\x08\x0a-\x1f\x7f-\x9f"  # C0 but tab, DEL, C1 (includes CSI U+009B, OSC U+009D)
    "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff"  # bidi, zero-width
    "\ud800-\udfff"  # lone surrogates
    "]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """``text`` with every control, bidi and invisible format character escaped."""
    return _UNSAFE.sub(_escape, text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_surrogates(value: Any) -> Any:
    """Every lone surrogate in a JSON-like document's strings replaced by U+FFFD.

    A file whose name is not UTF-8 is listed by ``os.listdir`` with surrogate
    escapes, which no UTF-8 report (JSON, SARIF) can carry.
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {scrub_surrogates(key): scrub_surrogates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub_surrogates(item) for item in value]
    return value


def dump_json(model: BaseModel) -> str:
    """``model.model_dump_json(indent=2)``, even when a string holds a lone surrogate.

    A file whose name is not UTF-8 is listed by ``os.listdir`` with surrogate
    escapes, and pydantic refuses to write those; they become U+FFFD, as in
    the SARIF report. Valid documents take the fast path unchanged.
    """
    from pydantic_core import PydanticSerializationError

    try:
        return model.model_dump_json(indent=2)
    except PydanticSerializationError:
        cleaned = type(model).model_validate(scrub_surrogates(model.model_dump()))
        return cleaned.model_dump_json(indent=2)
