"""Terraform's operators, conversions and the functions templates use, on known values.

Values are Python's: ``str``, ``int``/``float`` (numbers), ``bool``, ``None``
(null), ``list`` and ``dict``. :data:`UNKNOWN` anywhere in an argument gives
UNKNOWN (the evaluator never guesses), and what Terraform rejects at plan
(``tobool("yes")``, ``"a" + 1``, an index out of range) raises
:class:`EvaluationError`, which ``try()`` and ``can()`` catch as Terraform's do.

The conversions are Terraform's (cty's): a string ``"true"`` converts to a
bool where a bool is needed (a condition, ``!``, ``&&``), ``"5"`` to a
number for arithmetic, but ``==`` converts nothing: ``"true" == true`` is
false, the mistake AIT607 reports.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from aitask_lint.values import UNKNOWN

#: elements a computed list or string may have (longer is UNKNOWN, like any value the
#: linter cannot hold)
MAX_COLLECTION = 10_000


class EvaluationError(Exception):
    """Terraform would fail evaluating this (a type mismatch, a bad index, ...)."""


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def to_bool(value: Any) -> Any:
    """cty's conversion to bool: a bool, or the strings ``"true"``/``"1"``/``"false"``/``"0"``
    (cty's ``conversion_primitive.go``, with its error texts)."""
    if value is UNKNOWN or isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value in ("true", "1"):
            return True
        if value in ("false", "0"):
            return False
        if value.lower() in ("true", "false"):
            raise EvaluationError(
                f'a bool is required; to convert from string, use lowercase "{value.lower()}"'
            )
        raise EvaluationError("a bool is required")
    raise EvaluationError("bool required")


def to_number(value: Any) -> Any:
    """cty's conversion to number: a number, or a string that spells one."""
    if value is UNKNOWN or is_number(value):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text != value or not text:
            raise EvaluationError("a number is required")
        try:
            number = float(text) if any(c in text for c in ".eE") else int(text, 10)
        except ValueError:
            raise EvaluationError("a number is required") from None
        if isinstance(number, float) and (math.isnan(number) or math.isinf(number)):
            raise EvaluationError("a number is required")
        return _normal(number)
    raise EvaluationError("number required")


def to_string(value: Any) -> Any:
    """cty's conversion to string (primitives only; null stays null)."""
    if value is UNKNOWN or value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return number_text(value)
    raise EvaluationError("string required")


def number_text(value: int | float) -> str:
    """How Terraform prints a number: ``5``, ``0.5`` (no ``5.0``)."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    return str(value)


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "tuple"
    return "object"


def _normal(number: int | float) -> int | float:
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def equal(left: Any, right: Any) -> bool:
    """Terraform's ``==``: no conversion, so values of different types are never equal."""
    if is_number(left) and is_number(right):
        return bool(left == right)
    if type_name(left) != type_name(right):
        return False
    if isinstance(left, list):
        return len(left) == len(right) and all(map(equal, left, right))
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(equal(left[k], right[k]) for k in left)
    return bool(left == right)


def unary(op: str, value: Any) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    if op == "!":
        return not to_bool(value)
    if op == "-":
        return _normal(-to_number(value))
    return UNKNOWN


def binary(op: str, left: Any, right: Any) -> Any:
    """``left op right`` on known values (UNKNOWN when either side is unknown)."""
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if op == "==":
        return equal(left, right)
    if op == "!=":
        return not equal(left, right)
    if op in ("&&", "||"):
        a, b = to_bool(left), to_bool(right)
        return (a and b) if op == "&&" else (a or b)
    a, b = to_number(left), to_number(right)
    if op == "<":
        return bool(a < b)
    if op == ">":
        return bool(a > b)
    if op == "<=":
        return bool(a <= b)
    if op == ">=":
        return bool(a >= b)
    if op == "+":
        return _normal(a + b)
    if op == "-":
        return _normal(a - b)
    if op == "*":
        return _normal(a * b)
    if op in ("/", "%"):
        if b == 0:
            raise EvaluationError("division by zero")
        if op == "/":
            return _normal(a / b)
        return _normal(math.fmod(a, b))
    return UNKNOWN


# --- functions ------------------------------------------------------------------


def _length(value: Any) -> Any:
    if isinstance(value, str | list | dict):
        return len(value)
    raise EvaluationError(f"length() of {type_name(value)}")


def _contains(collection: Any, item: Any) -> Any:
    if not isinstance(collection, list):
        raise EvaluationError("contains() needs a list")
    return any(equal(element, item) for element in collection)


def _jsondecode(text: Any) -> Any:
    if not isinstance(text, str):
        raise EvaluationError("jsondecode() needs a string")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise EvaluationError(f"jsondecode(): {text[:40]!r} is not JSON") from None
    return _normal(value) if is_number(value) else value


def _jsonencode(value: Any) -> Any:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _join(separator: Any, *lists: Any) -> Any:
    items: list[Any] = []
    for element in lists:
        if not isinstance(element, list):
            raise EvaluationError("join() needs lists")
        items.extend(element)
    strings = [to_string(item) for item in items]
    if any(not isinstance(s, str) for s in strings):
        raise EvaluationError("join() of a null element")
    return to_string(separator).join(strings)


def _split(separator: Any, text: Any) -> Any:
    return to_string(text).split(to_string(separator))


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if not isinstance(mapping, dict):
        raise EvaluationError("lookup() needs a map")
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise EvaluationError(f"lookup(): no key {key!r}")


def _element(collection: Any, index: Any) -> Any:
    if not isinstance(collection, list) or not collection:
        raise EvaluationError("element() needs a non-empty list")
    return collection[int(to_number(index)) % len(collection)]


def _concat(*lists: Any) -> Any:
    result: list[Any] = []
    for element in lists:
        if not isinstance(element, list):
            raise EvaluationError("concat() needs lists")
        result.extend(element)
    return result


def _merge(*maps: Any) -> Any:
    result: dict[str, Any] = {}
    for element in maps:
        if element is None:
            continue
        if not isinstance(element, dict):
            raise EvaluationError("merge() needs maps")
        result.update(element)
    return result


_VERB = re.compile(r"%(?:%|[-+# 0]*\d*(?:\.\d+)?[sdvqtf])")


def _format(spec: Any, *args: Any) -> Any:
    """Terraform's ``format`` for the verbs templates use (``%s %d %v %q %t %f``)."""
    text = to_string(spec)
    values = iter(args)

    def verb(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "%%":
            return "%"
        try:
            value = next(values)
        except StopIteration:
            raise EvaluationError("format(): not enough arguments") from None
        kind = token[-1]
        if kind == "q":
            return json.dumps(to_string(value), ensure_ascii=False)
        if kind == "d":
            number = to_number(value)
            if not isinstance(number, int):
                raise EvaluationError("format(): %d of a fraction")
            return ("%" + token[1:-1] + "d") % number
        if kind == "f":
            return str(("%" + token[1:-1] + "f") % to_number(value))
        if kind == "t":
            return "true" if to_bool(value) else "false"
        rendered = to_string(value) if not isinstance(value, list | dict) else _jsonencode(value)
        return str(("%" + token[1:-1] + "s") % rendered)

    return _VERB.sub(verb, text)


def _substr(text: Any, offset: Any, length: Any) -> Any:
    string, start, size = to_string(text), int(to_number(offset)), int(to_number(length))
    if start < 0:
        start = max(len(string) + start, 0)
    return string[start:] if size < 0 else string[start : start + size]


def _replace(text: Any, old: Any, new: Any) -> Any:
    string, old_text, new_text = to_string(text), to_string(old), to_string(new)
    if len(old_text) > 1 and old_text.startswith("/") and old_text.endswith("/"):
        return UNKNOWN  # an RE2 pattern: not worth guessing Go's regexp dialect
    return string.replace(old_text, new_text)


def _one(collection: Any) -> Any:
    if not isinstance(collection, list) or len(collection) > 1:
        raise EvaluationError("one() needs a list of at most one element")
    return collection[0] if collection else None


def _numbers(name: str, reduce: Callable[..., Any]) -> Callable[..., Any]:
    def function(*args: Any) -> Any:
        if not args:
            raise EvaluationError(f"{name}() needs arguments")
        return reduce(to_number(a) for a in args)

    return function


#: name -> (function over known arguments, the number of arguments it takes or None)
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "tobool": to_bool,
    "tonumber": to_number,
    "tostring": to_string,
    "tolist": lambda v: list(v) if isinstance(v, list) else _fail("tolist() needs a list"),
    "toset": lambda v: list(dict.fromkeys(v)) if isinstance(v, list) else _fail("toset()"),
    "tomap": lambda v: v if isinstance(v, dict) else _fail("tomap() needs a map"),
    "jsondecode": _jsondecode,
    "jsonencode": _jsonencode,
    "length": _length,
    "contains": _contains,
    "lower": lambda s: to_string(s).lower(),
    "upper": lambda s: to_string(s).upper(),
    "title": lambda s: to_string(s).title(),
    "trimspace": lambda s: to_string(s).strip(),
    "trimprefix": lambda s, p: to_string(s).removeprefix(to_string(p)),
    "trimsuffix": lambda s, p: to_string(s).removesuffix(to_string(p)),
    "startswith": lambda s, p: to_string(s).startswith(to_string(p)),
    "endswith": lambda s, p: to_string(s).endswith(to_string(p)),
    "format": _format,
    "join": _join,
    "split": _split,
    "replace": _replace,
    "substr": _substr,
    "lookup": _lookup,
    "element": _element,
    "concat": _concat,
    "merge": _merge,
    "keys": lambda m: sorted(m) if isinstance(m, dict) else _fail("keys() needs a map"),
    "values": lambda m: [m[k] for k in sorted(m)] if isinstance(m, dict) else _fail("values()"),
    "compact": lambda v: (
        [s for s in v if s not in ("", None)]
        if isinstance(v, list)
        else _fail("compact() needs a list")
    ),
    "one": _one,
    "min": _numbers("min", min),
    "max": _numbers("max", max),
    "abs": lambda n: _normal(abs(to_number(n))),
    "floor": lambda n: _normal(math.floor(to_number(n))),
    "ceil": lambda n: _normal(math.ceil(to_number(n))),
    "nonsensitive": lambda v: v,
    "sensitive": lambda v: v,
}


def _fail(message: str) -> Any:
    raise EvaluationError(message)


def call(name: str, args: list[Any]) -> Any:
    """``name(args...)`` on known arguments: its value, UNKNOWN, or :class:`EvaluationError`."""
    function = FUNCTIONS.get(name)
    if function is None:
        return UNKNOWN
    try:
        result = function(*args)
    except TypeError:  # a wrong number of arguments: Terraform refuses it
        raise EvaluationError(f"{name}(): wrong arguments") from None
    except (ValueError, OverflowError, IndexError, KeyError) as error:
        raise EvaluationError(f"{name}(): {error}") from None
    if isinstance(result, str | list | dict) and len(result) > MAX_COLLECTION * 100:
        return UNKNOWN
    return result
