"""Recognise text in UTF-16 or UTF-32, which Terraform and Coder do not read.

Windows tools write UTF-16 (PowerShell 5's ``>``) and sometimes UTF-32; such
a file is not binary, and saying "binary file (NUL byte)" or calling UTF-32
"UTF-16" sends the user looking for the wrong problem. Recognised by the byte
order mark, or without one by where the NUL bytes of ASCII text fall.

Also here: lone UTF-16 surrogates that JSON escapes can produce, replaced the
way Go's decoder does (:func:`replace_lone_surrogates`); both JSON loaders
(``tfjson`` for plans, ``hcl.jsonsyntax`` for ``.tf.json``) need it and
neither may import the other.
"""

from __future__ import annotations

import re
from typing import Any

#: longest first: the UTF-32 little-endian mark begins with UTF-16's
_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def wide_encoding(raw: bytes) -> str | None:
    """``"UTF-16"`` or ``"UTF-32"`` when ``raw`` looks like text in that encoding, else None."""
    for mark, name in _MARKS:
        if raw.startswith(mark):
            return name
    head = raw[:4]
    if len(head) < 4 or b"\x00" not in head:
        return None
    if head[1:] == b"\x00\x00\x00" or head[:3] == b"\x00\x00\x00":  # "a\0\0\0" / "\0\0\0a"
        return "UTF-32"
    if head[1] == head[3] == 0 and head[0] and head[2]:  # "a\0b\0"
        return "UTF-16"
    if head[0] == head[2] == 0 and head[1] and head[3]:  # "\0a\0b"
        return "UTF-16"
    return None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_lone_surrogates(data: Any) -> Any:
    """Every lone surrogate in keys and strings replaced by U+FFFD, as Go decodes them.

    Terraform and Coder read plans with Go's ``encoding/json``, which turns an
    unpaired ``\\ud800`` into U+FFFD; Python keeps a lone surrogate, which no
    UTF-8 output can hold. Only run when the text has such an escape; works in
    place and without recursion (the document may nest 900 levels deep).
    """
    if isinstance(data, str):
        return _LONE_SURROGATE.sub("\ufffd", data)
    stack = [data]
    while stack:
        container = stack.pop()
        if isinstance(container, list):
            for index, item in enumerate(container):
                if isinstance(item, str):
                    container[index] = _LONE_SURROGATE.sub("\ufffd", item)
                elif isinstance(item, list | dict):
                    stack.append(item)
        elif isinstance(container, dict):
            items = list(container.items())
            container.clear()
            for key, value in items:
                if isinstance(value, list | dict):
                    stack.append(value)
                fixed = _LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value
                container[_LONE_SURROGATE.sub("\ufffd", key)] = fixed
    return data
