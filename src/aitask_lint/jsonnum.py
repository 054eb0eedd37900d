"""Numbers in JSON and HCL text, read without Python's integer-conversion limit.

Python refuses to convert a decimal string of more than 4,300 digits to an
``int`` (a guard against the quadratic cost of the conversion) by raising
``ValueError`` from deep inside ``json.loads`` or ``int()``: an integer
literal that long in a ``.tf``, ``.tf.json``, plan, state or module manifest
ended the run with a traceback. Terraform reads any number (HCL numbers are
arbitrary precision). Here an integer up to 4,300 digits is an exact ``int``
as before, and a longer one is read as a float: plus or minus infinity, the
same value ``1e999`` already gives in JSON. No Coder attribute takes such a
number, and the linter only compares numbers, so nothing is lost, and the
conversion stays linear in the length of the text.

Nothing is changed process-wide (``sys.set_int_max_str_digits`` is global and
would race with other threads), and no ``int`` longer than the limit is ever
made, so printing a number can never hit the limit either.
"""

from __future__ import annotations

import json

#: Python's default ``sys.get_int_max_str_digits()``; fixed here, since the
#: interpreter's setting can be lowered from the environment (PYTHONINTMAXSTRDIGITS)
MAX_INT_DIGITS = 4300


def parse_int(text: str) -> int | float:
    """A JSON or HCL integer literal: exact up to :data:`MAX_INT_DIGITS` digits, else a float."""
    digits = len(text) - (text[:1] in "+-")
    if digits <= MAX_INT_DIGITS:
        try:
            return int(text)
        except ValueError:  # the interpreter's own limit is lower than ours
            pass
    return float(text)


def decoder(**options: object) -> json.JSONDecoder:
    """A :class:`json.JSONDecoder` whose integers go through :func:`parse_int`."""
    return json.JSONDecoder(parse_int=parse_int, **options)  # type: ignore[arg-type]


#: for callers that need no other option
DECODER = decoder()


def loads(text: str | bytes) -> object:
    """:func:`json.loads` with :func:`parse_int` (bytes are decoded as UTF-8, BOM allowed)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    return DECODER.decode(text)
