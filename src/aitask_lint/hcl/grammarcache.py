"""python-hcl2's compiled grammar, cached as data: JSON, never pickle.

Building the LALR tables from ``hcl2.lark`` takes 1.2 s of CPU; loading them
takes 0.07 s (lark's pickle: 0.03 s). Lark's own ``cache=``/``save()`` use
pickle, so a file planted in the cache directory would run code; we keep
lark's serialised form (only dicts, lists, tuples, strings, integers,
booleans and None, as ``Lark.memo_serialize`` produces it) in a JSON encoding
that keeps tuples and integer keys, and hand the decoded dictionary to
``Lark._load``, which accepts one instead of a pickle.

Lark rebuilds only its own classes from that data. The options a loaded
parser could take from the file and that name code (callbacks, plugins, the
tree class, the post-lexer) are always passed by us, never taken from it.
An entry that is not what :func:`encode` writes fails to decode and the
grammar is built again (slower, same parser).

Encoding, value by value: a string, number, boolean or None is itself; a list
is ``["l", ...]``, a tuple ``["t", ...]``; a dict is ``["d", key, value, ...]``;
a parse-table row (an int-keyed dict of ``(action, argument)`` pairs, nearly
all of the data) is ``["a", key, action, argument, ...]``, which decodes
several times faster.
"""

from __future__ import annotations

import json
from typing import Any

_DICT, _LIST, _TUPLE, _ACTIONS = "d", "l", "t", "a"


def encode(parser: Any) -> bytes:
    """The cache file for a built ``lark.Lark`` (its post-lexer left out)."""
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["options"] = {k: v for k, v in data["options"].items() if k not in _OURS}
    return json.dumps(_encode({"data": data, "memo": memo}), separators=(",", ":")).encode()


#: options whose values are code or objects: never stored, always given by the loader
_OURS = frozenset(
    {"postlex", "lexer_callbacks", "_plugins", "tree_class", "transformer", "edit_terminals"}
)


def load(data: bytes, postlex: Any) -> Any:
    """A ``lark.Lark`` from a cache file; raises (any exception) on a file we did not write."""
    import lark

    decoded = _decode(json.loads(data))
    if not isinstance(decoded, dict) or not isinstance(decoded.get("data"), dict):
        raise ValueError("not a grammar cache")
    options = decoded["data"].get("options")
    if not isinstance(options, dict) or _OURS & set(options):
        raise ValueError("not a grammar cache")
    parser = lark.Lark.__new__(lark.Lark)
    return parser._load(
        decoded,
        postlex=postlex,
        propagate_positions=False,
        lexer_callbacks={},
        _plugins={},
        tree_class=None,
        transformer=None,
        regex=False,
        use_bytes=False,
        g_regex_flags=0,
        debug=False,
    )


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        if value and all(
            type(k) is int and type(v) is tuple and len(v) == 2 and type(v[0]) is int
            for k, v in value.items()
        ):
            row: list[Any] = [_ACTIONS]
            for key, (action, argument) in value.items():
                row += (key, action, _encode(argument))
            return row
        pairs: list[Any] = [_DICT]
        for key, item in value.items():
            pairs += (_encode(key), _encode(item))
        return pairs
    if kind is list:
        return [_LIST, *(_encode(item) for item in value)]
    if kind is tuple:
        return [_TUPLE, *(_encode(item) for item in value)]
    raise TypeError(f"cannot cache a {kind.__name__} in the grammar")


def _decode(value: Any) -> Any:
    if type(value) is not list:
        if type(value) is dict or type(value) is float:
            raise ValueError("not a grammar cache")
        return value
    tag = value[0]
    if tag == _ACTIONS:
        items = iter(value)
        next(items)
        return {
            key: (action, argument if type(argument) is int else _decode(argument))
            for key, action, argument in zip(items, items, items, strict=True)
        }
    if tag == _DICT:
        items = iter(value)
        next(items)
        return {_decode(key): _decode(item) for key, item in zip(items, items, strict=True)}
    if tag == _LIST:
        return [_decode(item) for item in value[1:]]
    if tag == _TUPLE:
        return tuple([_decode(item) for item in value[1:]])
    raise ValueError("not a grammar cache")
