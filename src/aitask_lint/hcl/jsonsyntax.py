"""Terraform's JSON configuration syntax (``*.tf.json``) into the same syntax tree.

Top-level keys are block types; their labels nest as objects (``resource`` and
``data``: two labels; ``module``, ``variable``, ``output``, ``provider``: one;
``locals`` and ``terraform``: none), read as HashiCorp's ``json/structure.go``
reads them: a label level may also be an array of objects, and a body that is
``null`` is no block at all (see :meth:`_Builder.blocks`). Inside a body, a key whose value is an
object (or a list of objects) and whose name is a known nested block becomes a
block; everything else is an attribute. Strings are HCL templates, as in
Terraform: ``"${coder_app.web.id}"`` is that reference, ``"a-${x}"`` a template.

Python's ``json`` module gives no positions, so a small reader here records
the line and column of every key and value (``.tf.json`` files are small).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from typing import Any

from aitask_lint import coder_text as ct
from aitask_lint.errors import InputError
from aitask_lint.hcl import expressions as hx
from aitask_lint.hcl.span import Span
from aitask_lint.hcl.syntax import Attribute, Block, Body, File
from aitask_lint.jsonnum import decoder
from aitask_lint.limits import MAX_HCL_NESTING

LABELS = {
    "resource": 2,
    "data": 2,
    "module": 1,
    "variable": 1,
    "output": 1,
    "provider": 1,
    "locals": 0,
    "terraform": 0,
    "moved": 0,
    "import": 0,
    "check": 1,
}
#: what Terraform calls each label, for its error messages
LABEL_NAMES = {
    "resource": ("type", "name"),
    "data": ("type", "name"),
}
#: nested block types inside resource bodies (JSON syntax cannot tell them apart)
NESTED_BLOCKS = frozenset(
    {
        "sidebar_app",
        "healthcheck",
        "display_apps",
        "metadata",
        "item",
        "option",
        "validation",
        "lifecycle",
        "dynamic",
        "content",
        "resources_monitoring",
        "memory",
        "volume",
        "prebuilds",
        "expiration_policy",
        "scheduling",
        "schedule",
        "required_providers",
        "backend",
        "provisioner",
        "connection",
        "volumes",
        "env",
        "spec",
        "container",
        "cloud",
    }
)


@dataclass
class _Node:
    """A JSON value with the offset it starts at and where it ends."""

    value: Any  # dict[str, tuple[_Node, _Node]] (key node, value node) | list[_Node] | scalar
    start: int
    end: int


class _Reader:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.index = 0
        self.decoder = decoder()  # integers of any length (aitask_lint.jsonnum)

    def error(self, message: str, offset: int | None = None) -> InputError:
        offset = self.index if offset is None else offset
        return InputError(self.path, f"invalid JSON: {message}", *self.position(offset))

    def position(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1

    def skip(self) -> None:
        while self.index < len(self.text) and self.text[self.index] in " \t\r\n":
            self.index += 1

    def read(self, depth: int = 0) -> _Node:
        if depth > MAX_HCL_NESTING:
            # the same limit as native syntax: the builder and everything after it recurse
            raise InputError(
                self.path,
                f"nested too deeply: more than {MAX_HCL_NESTING} levels of objects and "
                "arrays (aitask-lint's limit; see docs/limits.md)",
                *self.position(self.index),
            )
        self.skip()
        if self.index >= len(self.text):
            raise self.error("unexpected end of file")
        start = self.index
        char = self.text[start]
        if char == "{":
            self.index += 1
            members: dict[str, tuple[_Node, _Node]] = {}
            self.skip()
            if self.text.startswith("}", self.index):
                self.index += 1
                return _Node(members, start, self.index)
            while True:
                self.skip()
                key = self.scalar()
                if not isinstance(key.value, str):
                    raise self.error("object keys must be strings", key.start)
                self.skip()
                if not self.text.startswith(":", self.index):
                    raise self.error("expected ':'")
                self.index += 1
                value = self.read(depth + 1)
                if key.value in members:
                    raise self.error(f"duplicate key {key.value!r}", key.start)
                members[key.value] = (key, value)
                self.skip()
                if self.text.startswith(",", self.index):
                    self.index += 1
                    continue
                if self.text.startswith("}", self.index):
                    self.index += 1
                    return _Node(members, start, self.index)
                raise self.error("expected ',' or '}'")
        if char == "[":
            self.index += 1
            items: list[_Node] = []
            self.skip()
            if self.text.startswith("]", self.index):
                self.index += 1
                return _Node(items, start, self.index)
            while True:
                items.append(self.read(depth + 1))
                self.skip()
                if self.text.startswith(",", self.index):
                    self.index += 1
                    continue
                if self.text.startswith("]", self.index):
                    self.index += 1
                    return _Node(items, start, self.index)
                raise self.error("expected ',' or ']'")
        return self.scalar()

    def scalar(self) -> _Node:
        start = self.index
        try:
            value, end = self.decoder.raw_decode(self.text, start)
        except json.JSONDecodeError as error:
            raise self.error(error.msg, error.pos) from None
        if isinstance(value, dict | list):
            raise self.error("unexpected container", start)
        if isinstance(value, str) and "\\u" in self.text[start:end]:
            from aitask_lint.encodings import replace_lone_surrogates

            value = replace_lone_surrogates(value)  # U+FFFD, as Go's JSON decoder gives
        self.index = end
        return _Node(value, start, end)


class _Builder:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        #: offset of each line's first character; positions are found by bisection
        #: (counting newlines from the start for every node made big files quadratic:
        #: 155 s for a 2.5 MB file)
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, node: _Node) -> Span:
        line, column = self.position(node.start)
        end_line, end_column = self.position(node.end)
        return Span(self.path, line, column, end_line, end_column)

    def expression(self, node: _Node) -> hx.Expression:
        span = self.span(node)
        source = self.text[node.start : node.end]
        value = node.value
        if isinstance(value, str):
            return self.template(value, span, source)
        if isinstance(value, list):
            return hx.Tuple(source, span, [self.expression(item) for item in value])
        if isinstance(value, dict):
            items: list[tuple[hx.Expression, hx.Expression]] = [
                (hx.Literal(json.dumps(key), self.span(key_node), key), self.expression(v))
                for key, (key_node, v) in value.items()
            ]
            return hx.Object(source, span, items)
        return hx.Literal(source, span, value)

    def template(self, value: str, span: Span, source: str) -> hx.Expression:
        """A JSON string is an HCL template; parse it when it has interpolations."""
        if "${" not in value and "%{" not in value:
            return hx.Literal(source, span, value)
        from aitask_lint.hcl.parser import parse_hcl

        quoted = json.dumps(value, ensure_ascii=False).replace("\\u0000", "")
        try:
            parsed = parse_hcl(f"v = {quoted}\n", self.path)
        except InputError as error:
            raise InputError(self.path, error.message, span.line, span.column) from None
        expression = parsed.body.attributes["v"].expression
        if (
            isinstance(expression, hx.Template)
            and len(expression.parts) == 1
            and not isinstance(expression.parts[0], str)
        ):
            expression = expression.parts[0]  # "${x}" is x itself, as in Terraform
        return _relocate(expression, span, source)

    def members(self, node: _Node, what: str) -> list[tuple[str, tuple[_Node, _Node]]]:
        """The properties of an object, of each object in an array, or none for ``null``.

        HashiCorp's ``collectDeepAttrs`` (hcl ``json/structure.go``), used for a
        block's labels and its body alike; ``what`` ends its error messages.
        """
        value = node.value
        if value is None:
            return []
        if isinstance(value, dict):
            return list(value.items())
        if not isinstance(value, list):
            raise InputError(
                self.path,
                "Incorrect JSON value type: Either a JSON object or JSON array of objects is "
                f"required here, to {what}.",
                *self._start(node),
            )
        found: list[tuple[str, tuple[_Node, _Node]]] = []
        for item in value:
            if not isinstance(item.value, dict):
                raise InputError(
                    self.path,
                    f"Incorrect JSON value type: A JSON object is required here, to {what}.",
                    *self._start(item),
                )
            found.extend(item.value.items())
        return found

    def body(self, node: _Node) -> Body:
        body = Body()
        seen: dict[str, _Node] = {}  # an array of objects may set an argument twice
        for name, (key_node, value_node) in self.members(node, "define arguments and child blocks"):
            first = seen.setdefault(name, key_node)
            if first is not key_node and name != "//" and name not in NESTED_BLOCKS:
                line, column = self._start(first)
                raise InputError(
                    self.path,
                    f'Duplicate argument: The argument "{name}" was already set at '
                    f"{self.path}:{line},{column}. Each argument may be set only once.",
                    *self._start(key_node),
                )
            if name == "//":
                continue  # Terraform JSON comments
            blocks = self.nested(name, value_node)
            if blocks is not None:
                body.blocks.extend(blocks)
                continue
            body.attributes[name] = Attribute(
                name,
                self.expression(value_node),
                self.span(_Node(None, key_node.start, value_node.end)),
                self.span(key_node),
            )
        return body

    def nested(self, name: str, node: _Node) -> list[Block] | None:
        if name not in NESTED_BLOCKS:
            return None
        objects = (
            [node]
            if isinstance(node.value, dict)
            else (
                node.value
                if isinstance(node.value, list)
                and all(isinstance(item.value, dict) for item in node.value)
                else None
            )
        )
        if objects is None:
            return None
        if name == "dynamic":
            return [
                Block("dynamic", [label], self.body(inner), self.span(inner), self.span(node))
                for item in objects
                for label, (_key, inner) in item.value.items()
            ]
        return [
            Block(name, [], self.body(item), self.span(item), self.span(node)) for item in objects
        ]

    def _start(self, node: _Node) -> tuple[int, int]:
        span = self.span(node)
        return span.line, span.column

    def blocks(
        self, kind: str, key_node: _Node, node: _Node, labels: int, prefix: list[str]
    ) -> list[Block]:
        """The blocks a value stands for, as HashiCorp's ``unpackBlock`` reads it.

        At a label level, an object's properties name the label; an array of
        objects is read as all their properties in order (several blocks may
        then have the same labels, which Terraform reports later, as we do);
        ``null`` or ``{}`` names none, which is an error. Once the labels are
        used up, ``null`` is no block at all, an object one block, and an array
        one block per element (a ``null`` element is an empty block).
        """
        if labels == 0:
            if node.value is None:
                return []
            if isinstance(node.value, dict):
                items = [node]
            elif isinstance(node.value, list):
                items = node.value
            else:
                raise InputError(
                    self.path,
                    "Incorrect JSON value type: Either a JSON object or a JSON array is "
                    f'required, representing the contents of one or more "{kind}" blocks.',
                    *self._start(node),
                )
            return [
                Block(kind, prefix, self.body(item), self.span(item), self.span(key_node))
                for item in items
            ]
        label_name = LABEL_NAMES.get(kind, ("name", "name"))[len(prefix)]
        members = self.members(node, f"specify {label_name} labels for this block")
        if not members:
            raise InputError(
                self.path,
                "Missing block label: At least one object property is required, whose name "
                f"represents the {kind} block's {label_name}.",
                *self._start(node),
            )
        found: list[Block] = []
        for label, (label_key, inner) in members:
            found.extend(self.blocks(kind, label_key, inner, labels - 1, [*prefix, label]))
        return found


def _relocate(expression: hx.Expression, span: Span, source: str) -> hx.Expression:
    """Give a parsed template the JSON string's position (its inner positions are of ``v = ``)."""
    expression.span = span
    expression.source = source
    return expression


def json_members(text: str, path: str) -> dict[str, tuple[Any, tuple[int, int]]]:
    """A JSON object's members as plain values, each with the line and column of its key.

    For ``*.tfvars.json``: values are JSON values as they are (no templates),
    errors are input errors at their position, duplicate keys included.
    """
    reader = _Reader(text, path)
    root = reader.read()
    reader.skip()
    if reader.index < len(text):
        raise reader.error("unexpected data after the JSON document")
    if not isinstance(root.value, dict):
        raise reader.error("a variables file must hold a JSON object", root.start)
    return {
        name: (_plain(node), reader.position(key.start)) for name, (key, node) in root.value.items()
    }


def _plain(node: _Node) -> Any:
    if isinstance(node.value, dict):
        return {name: _plain(value) for name, (_key, value) in node.value.items()}
    if isinstance(node.value, list):
        return [_plain(item) for item in node.value]
    return node.value


def parse_tf_json(text: str, path: str) -> File:
    """Parse a ``.tf.json`` file into the syntax tree."""
    reader = _Reader(text, path)
    root = reader.read()
    reader.skip()
    if reader.index < len(text):
        raise reader.error("unexpected data after the JSON document")
    if not isinstance(root.value, dict):
        raise reader.error("a .tf.json file must hold a JSON object", root.start)
    builder = _Builder(text, path)
    body = Body()
    for kind, (key_node, node) in root.value.items():
        if kind == "//":
            continue
        labels = LABELS.get(kind)
        if labels is None:
            raise InputError(
                path,
                f"{ct.UNSUPPORTED_BLOCK_TYPE()}: {ct.BLOCK_TYPE_NOT_EXPECTED(kind)}",
                *builder._start(key_node),
            )
        body.blocks.extend(builder.blocks(kind, key_node, node, labels, []))
    return File(path, body, [])
