"""References (traversals) and what they point at.

A :class:`Ref` is one traversal such as ``module.claude[count.index].task_app_id``:
a root name and a list of steps (attribute, index, splat). HCL sources give
them through the expression parser; a plan's ``configuration`` section lists
them as strings, which :func:`parse_reference` reads with a small scanner of
Terraform's traversal syntax. :func:`target_of` says which configuration
object a reference names, the question every analysis starts with.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from aitask_lint.hcl import expressions as hx
from aitask_lint.jsonnum import DECODER
from aitask_lint.values import UNKNOWN

StepKind = Literal["attr", "index", "splat"]


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a traversal: ``.name``, ``[key]`` or a splat."""

    kind: StepKind
    name: str = ""
    #: the index key when it is a literal (int or str), else UNKNOWN
    key: Any = UNKNOWN
    #: references used inside the index expression (``count.index``, ``each.key``)
    key_refs: tuple[Ref, ...] = ()
    #: source text of a non-literal index expression, for messages
    key_text: str = ""

    def text(self) -> str:
        if self.kind == "attr":
            return f".{self.name}"
        if self.kind == "splat":
            return "[*]"
        if self.key is not UNKNOWN:
            return f"[{json.dumps(self.key)}]"
        return f"[{self.key_text or '?'}]"


@dataclass(frozen=True, slots=True)
class Ref:
    """A traversal: ``root`` followed by ``steps``."""

    root: str
    steps: tuple[Step, ...] = ()
    _text: str = field(default="", compare=False, repr=False)
    #: what :func:`target_of` says, computed once (rules ask it of the same refs again and again)
    _target: Target | None = field(default=None, compare=False, repr=False, hash=False)

    @property
    def text(self) -> str:
        return self._text or self.root + "".join(step.text() for step in self.steps)

    def attr(self, position: int) -> str | None:
        """The name of the step at ``position`` when it is an attribute step."""
        if position < len(self.steps) and self.steps[position].kind == "attr":
            return self.steps[position].name
        return None


TargetKind = Literal[
    "resource",
    "data",
    "module_output",
    "module",
    "var",
    "local",
    "count",
    "each",
    "self",
    "path",
    "terraform",
    "unknown",
]


@dataclass(frozen=True, slots=True)
class Target:
    """The configuration object a reference names, within one module.

    ``address`` is module-local: ``coder_app.web``, ``data.coder_task.me``,
    ``var.agent_id``, ``local.x``, ``module.claude`` (for a module call and
    its outputs). ``index`` is the step that selects an instance (after the
    resource or module name), ``rest`` the steps after it (``.id``).
    """

    kind: TargetKind
    address: str
    name: str = ""
    output: str = ""
    index: Step | None = None
    rest: tuple[Step, ...] = ()


def _instance(steps: tuple[Step, ...]) -> tuple[Step | None, tuple[Step, ...]]:
    """Split off the instance selector (``[0]``, ``["k"]``, ``[*]``) after an object's name."""
    if steps and steps[0].kind in ("index", "splat"):
        return steps[0], steps[1:]
    return None, steps


def target_of(ref: Ref) -> Target:
    """Which object ``ref`` names (resolution inside a module is the caller's)."""
    target = ref._target
    if target is None:
        target = _target_of(ref)
        object.__setattr__(ref, "_target", target)  # a cache on a frozen value
    return target


def _target_of(ref: Ref) -> Target:
    root, steps = ref.root, ref.steps
    if root in ("count", "each", "self", "path", "terraform"):
        return Target(root, root, name=ref.attr(0) or "", rest=steps)  # type: ignore[arg-type]
    if root in ("var", "local"):
        name = ref.attr(0)
        if name is None:
            return Target("unknown", ref.text)
        return Target(root, f"{root}.{name}", name=name, rest=steps[1:])  # type: ignore[arg-type]
    if root == "module":
        call = ref.attr(0)
        if call is None:
            return Target("unknown", ref.text)
        index, rest = _instance(steps[1:])
        if rest and rest[0].kind == "attr":
            return Target(
                "module_output",
                f"module.{call}",
                name=call,
                output=rest[0].name,
                index=index,
                rest=rest[1:],
            )
        return Target("module", f"module.{call}", name=call, index=index, rest=rest)
    if root == "data":
        kind, name = ref.attr(0), ref.attr(1)
        if kind is None or name is None:
            return Target("unknown", ref.text)
        index, rest = _instance(steps[2:])
        return Target("data", f"data.{kind}.{name}", name=name, index=index, rest=rest)
    name = ref.attr(0)
    if name is None:
        return Target("unknown", ref.text)
    index, rest = _instance(steps[1:])
    return Target("resource", f"{root}.{name}", name=name, index=index, rest=rest)


class ReferenceSyntaxError(ValueError):
    """A reference string that is not a Terraform traversal."""


_IDENTIFIER = re.compile(r"[\w-]*")
_DECODER = DECODER  # integers of any length (aitask_lint.jsonnum)


@lru_cache(maxsize=65536)
def parse_reference(text: str) -> Ref:
    """Read a traversal as Terraform prints it in plan JSON (``a.b[0]["k"].c``, ``a[*].b``).

    Cached: a plan repeats the same few references (``coder_agent.main.id``)
    thousands of times, and a :class:`Ref` is immutable.
    """
    length = len(text)
    index = _identifier_end(text, 0)
    if index == 0:
        raise ReferenceSyntaxError(f"not a reference: {text!r}")
    root = text[:index]
    steps: list[Step] = []
    while index < length:
        char = text[index]
        if char == ".":
            if text.startswith(".*", index):
                steps.append(Step("splat"))
                index += 2
                continue
            end = _identifier_end(text, index + 1)
            if end == index + 1:
                raise ReferenceSyntaxError(f"expected a name at {index + 1} in {text!r}")
            steps.append(Step("attr", name=text[index + 1 : end]))
            index = end
        elif char == "[":
            if text.startswith("[*]", index):
                steps.append(Step("splat"))
                index += 3
                continue
            try:
                key, end = _DECODER.raw_decode(text, index + 1)
            except json.JSONDecodeError:
                raise ReferenceSyntaxError(f"bad index at {index} in {text!r}") from None
            if end >= length or text[end] != "]" or not isinstance(key, int | str):
                raise ReferenceSyntaxError(f"bad index at {index} in {text!r}")
            steps.append(Step("index", key=key))
            index = end + 1
        else:
            raise ReferenceSyntaxError(f"unexpected {char!r} at {index} in {text!r}")
    return Ref(root, tuple(steps), _text=text)


def _identifier_end(text: str, start: int) -> int:
    """End of the name (letters, digits, ``_`` and ``-``) that starts at ``start``."""
    match = _IDENTIFIER.match(text, start)
    assert match is not None  # ``*`` matches the empty string
    return match.end()


def most_specific(refs: list[Ref]) -> list[Ref]:
    """Drop references that are a prefix of another one in the list.

    Terraform lists a traversal followed by its shorter prefixes
    (``module.m.out``, then ``module.m``); the prefix adds nothing and would
    widen a reference to one output into one to the whole module. Linear in
    the total number of steps (a trie of the references: one whose node has
    children is a prefix of another), since a plan can list 30,000
    references in one expression.
    """
    trie: dict[Any, Any] = {}
    ends: list[dict[Any, Any]] = []
    for ref in refs:
        node = trie.setdefault(ref.root, {})
        for step in ref.steps:
            node = node.setdefault(step, {})
        ends.append(node)
    kept: list[Ref] = []
    seen: set[Ref] = set()
    for ref, end in zip(refs, ends, strict=True):
        if end or ref in seen:  # a longer reference passes through it, or a repeat
            continue
        seen.add(ref)
        kept.append(ref)
    return kept


def traversal_ref(traversal: hx.Traversal) -> Ref:
    """Convert an HCL ``Traversal`` into a model :class:`Ref`."""
    steps: list[Step] = []
    for step in traversal.steps:
        if isinstance(step, hx.GetAttr):
            steps.append(Step("attr", name=step.name))
        elif isinstance(step, hx.Index):
            key = hx.literal_value(step.key)
            refs = tuple(traversal_ref(t) for t in hx.references(step.key))
            steps.append(
                Step(
                    "index",
                    key=key if isinstance(key, int | str) else UNKNOWN,
                    key_refs=refs,
                    key_text=step.key.source,
                )
            )
        else:
            steps.append(Step("splat"))
    return Ref(traversal.root, tuple(steps))
