"""The parse cache's entry format: a syntax tree as plain JSON, with no path in it.

The cache directory may be shared (CI caches restored between jobs), so an
entry is data and nothing else: loading one can build our syntax classes and
nothing more, whatever the bytes are. JSON gives that for free (``json.loads``
builds only lists, dicts, strings and numbers, in memory linear in the
input); pickle (runs code) and marshal (a crafted length makes it allocate
and walk gigabytes: 100 s and 16 GiB for an 11-byte input) do not.

The price is small: decoding costs about 1.5x unpickling (json.loads runs in
C, the rebuild in Python), and a warm ``check`` of 200 files takes 0.37 s
instead of 0.35 s.

A file's path is stored nowhere in an entry. Every :class:`Span` is written
as its four numbers and gets the path of the file being loaded on the way
back, so one entry serves every copy of a file, and a string literal that
happens to equal the path is just a string. An error whose message quotes
its path is not stored (it would name the wrong copy).

The encoding is generic over the dataclasses in :data:`CLASSES`, field by
field in declaration order, so a field added to a syntax class is stored
without touching this module (``tests/test_cache_safety.py`` checks that
every syntax class is listed). A node is a JSON array whose first item is
its class's index; the few other shapes are arrays with a negative tag:

* ``[-1, line, column, end_line, end_column]``: a :class:`Span`;
* ``[-2, ...]``: a tuple (an object item's key and value);
* ``[-3, ...]``: a list whose first item is an integer (told apart from a node);
* ``[-4, ...fields but the path]``: the :class:`File` itself;
* ``[-5, message, line, column, pointer]``: the :class:`InputError` a parse raised.

Anything else in a tree (a value of a type JSON cannot carry exactly, an
integer over Python's 4,300-digit conversion limit, a span naming another
file) makes the tree unencodable: it is simply not cached.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from aitask_lint.errors import InputError
from aitask_lint.hcl import expressions as hx
from aitask_lint.hcl.span import Span
from aitask_lint.hcl.syntax import Attribute, Block, Body, Comment, File

#: every class a syntax tree is made of; an entry names them by index (append only)
CLASSES: tuple[type, ...] = (
    hx.Literal,
    hx.Traversal,
    hx.RelativeTraversal,
    hx.Directive,
    hx.Template,
    hx.FunctionCall,
    hx.Conditional,
    hx.BinaryOp,
    hx.UnaryOp,
    hx.Tuple,
    hx.Object,
    hx.ForExpr,
    hx.Parenthesized,
    hx.GetAttr,
    hx.Index,
    hx.Splat,
    Attribute,
    Body,
    Block,
    Comment,
)
_SPAN, _TUPLE, _LIST, _FILE, _ERROR = -1, -2, -3, -4, -5
_new_tuple = tuple.__new__
#: stored as themselves (JSON keeps int, float and bool apart)
_SCALARS = frozenset({str, int, float, bool, type(None)})

_TAGS = {cls: tag for tag, cls in enumerate(CLASSES)}
_FIELDS = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in CLASSES}
_FILE_FIELDS = tuple(f.name for f in dataclasses.fields(File))
assert _FILE_FIELDS[0] == "path", "File(path, ...) is rebuilt with the path first"


class UnencodableError(ValueError):
    """The tree holds something an entry cannot carry exactly; do not cache it."""


def encode(result: File | InputError, path: str) -> bytes:
    """The entry for ``result`` (parsed from the file shown as ``path``).

    Raises :class:`UnencodableError` when the entry could not be read back equal.
    """
    payload: Any
    if isinstance(result, InputError):
        if result.path != path or (path and path in result.message):
            raise UnencodableError("the error names its file")
        payload = [_ERROR, result.message, result.line, result.column, result.pointer]
    else:
        if result.path != path:
            raise UnencodableError("the tree names another file")
        encoder = _Encoder(path)
        try:
            payload = [_FILE, *(encoder.value(getattr(result, n)) for n in _FILE_FIELDS[1:])]
        except RecursionError:  # nesting is bounded by the parser; a deep stack, not a crash
            raise UnencodableError("nested too deeply to store") from None
    try:
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    except (ValueError, TypeError, RecursionError) as error:  # e.g. a 5,000-digit integer
        raise UnencodableError(str(error)) from None
    # lone surrogates (from "\ud800" escapes) round-trip: json.loads decodes bytes
    # with "surrogatepass"
    return text.encode("utf-8", "surrogatepass")


class _Encoder:
    def __init__(self, path: str) -> None:
        self.path = path

    def value(self, value: Any) -> Any:
        kind = type(value)
        if kind in _SCALARS:
            return value
        if kind is list:
            encode = self.value
            items = [item if type(item) in _SCALARS else encode(item) for item in value]
            if items and type(items[0]) is int:
                return [_LIST, *items]
            return items
        if kind is Span:
            if value.path != self.path:
                raise UnencodableError("a span names another file")
            return [_SPAN, value.line, value.column, value.end_line, value.end_column]
        if kind is tuple:
            return [_TUPLE, *(self.value(item) for item in value)]
        if kind is dict:
            if not all(type(key) is str for key in value):
                raise UnencodableError("a mapping with non-string keys")
            return {key: self.value(item) for key, item in value.items()}
        tag = _TAGS.get(kind)
        if tag is None:
            raise UnencodableError(f"a {kind.__name__} in the tree")
        fields = value.__dict__
        encode = self.value
        node = [tag]
        for name in _FIELDS[kind]:
            item = fields[name]
            node.append(item if type(item) in _SCALARS else encode(item))
        return node


def decode(data: bytes, path: str) -> File | InputError:
    """The tree (or error) an entry holds, every span naming ``path``.

    Raises ``ValueError`` (or ``TypeError``, ``IndexError``, ``RecursionError``)
    for anything that is not an entry this module wrote: the caller's miss.
    """
    payload = json.loads(data)
    if type(payload) is not list or not payload:
        raise ValueError("not a cache entry")
    tag = payload[0]
    if tag == _ERROR and len(payload) == 5:
        _tag, message, line, column, pointer = payload
        if not isinstance(message, str):
            raise ValueError("not a cache entry")
        return InputError(path, message, line, column, pointer)
    if tag != _FILE:
        raise ValueError("not a cache entry")
    value = _Decoder(path).value
    parsed = File(path, *(value(item) for item in payload[1:]))
    if type(parsed.body) is not Body or type(parsed.comments) is not list:
        raise ValueError("not a cache entry")
    return parsed


class _Decoder:
    """Rebuilds a tree; a class, not a recursive closure, which would be a reference cycle."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    def value(self, item: Any) -> Any:
        kind = type(item)
        if kind is list:
            if not item:
                return []
            tag = item[0]
            value = self.value
            if type(tag) is not int:
                return [value(member) for member in item]
            if tag >= 0:
                return CLASSES[tag](*[value(member) for member in item[1:]])
            if tag == _SPAN:
                _tag, line, column, end_line, end_column = item
                # tuple.__new__, as namedtuple's own _make: skips the Python-level __new__
                return _new_tuple(Span, (self.path, line, column, end_line, end_column))
            if tag == _TUPLE:
                return tuple([value(member) for member in item[1:]])
            if tag == _LIST:
                return [value(member) for member in item[1:]]
            raise ValueError("not a cache entry")
        if kind is dict:
            value = self.value
            return {key: value(member) for key, member in item.items()}
        return item
