"""Neutralise control characters from template strings before printing them.

Template values are attacker-controlled in CI (a pull request can put any
string in a slug); printed raw, an escape sequence could rewrite the
terminal. Everything below 0x20 (but tab), DEL and C1 controls are shown as
``\\xNN`` escapes.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def safe_text(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
