"""The configuration model: modules, blocks, attributes as expressions.

Plain slotted dataclasses rather than pydantic: a template directory yields
thousands of these and they are internal (the outputs that users see, such
as the tasks document and the lint report, are pydantic models with JSON
Schemas). Every object keeps its :class:`Location` so findings can point at
the exact line, in a ``.tf`` file or (by JSON Pointer) in a plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from aitask_lint.model.refs import Ref
from aitask_lint.values import UNKNOWN

if TYPE_CHECKING:
    from aitask_lint.hcl.expressions import Expression

Origin = Literal["hcl", "plan", "catalog"]


@dataclass(slots=True)
class Location:
    """Where something is: a file and a 1-based range, or a JSON Pointer in a plan.

    For plan input the line and column are filled in on demand (finding the
    line of a JSON Pointer means re-reading the text, which only reports do).
    """

    path: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    pointer: str | None = None


@dataclass(slots=True)
class Expr:
    """An expression: its references, its value when literal, and its source.

    ``syntax`` is the HCL expression tree when the expression came from a
    ``.tf`` file; analyses use it to follow ``try()``, conditionals and
    function calls precisely. Plan JSON only gives references and constant
    values, so there ``syntax`` is None and every reference is a candidate.
    """

    refs: tuple[Ref, ...] = ()
    value: Any = UNKNOWN
    source: str | None = None
    location: Location | None = None
    syntax: Expression | None = None
    #: for an argument, where its name is: Terraform points there when it does not
    #: accept the name ("Unsupported argument"); None in plan JSON
    name_location: Location | None = None


@dataclass(slots=True)
class Block:
    """A nested block inside a resource (``healthcheck``, ``sidebar_app``, ``dynamic``)."""

    type: str
    labels: tuple[str, ...] = ()
    attributes: dict[str, Expr] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    location: Location | None = None

    def blocks_of(self, kind: str) -> list[Block]:
        return blocks_of(self.blocks, kind)


def blocks_of(blocks: list[Block], kind: str) -> list[Block]:
    """Nested blocks of one type, counting ``dynamic "kind" { content {...} }`` as one."""
    found: list[Block] = []
    for block in blocks:
        if block.type == kind:
            found.append(block)
        elif block.type == "dynamic" and block.labels[:1] == (kind,):
            found.extend(block.blocks_of("content") or [block])
    return found


@dataclass(slots=True)
class Resource:
    """A ``resource`` or ``data`` block."""

    mode: Literal["managed", "data"]
    type: str
    name: str
    module: tuple[str, ...] = ()
    attributes: dict[str, Expr] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    count: Expr | None = None
    for_each: Expr | None = None
    depends_on: tuple[Ref, ...] = ()
    #: the provider's full name, e.g. ``registry.terraform.io/coder/coder``
    provider: str = ""
    location: Location | None = None

    @property
    def local_address(self) -> str:
        base = f"{self.type}.{self.name}"
        return base if self.mode == "managed" else f"data.{base}"

    @property
    def address(self) -> str:
        return module_prefix(self.module) + self.local_address

    def blocks_of(self, kind: str) -> list[Block]:
        return blocks_of(self.blocks, kind)


@dataclass(slots=True)
class Variable:
    name: str
    default: Expr | None = None
    location: Location | None = None
    #: the ``type`` constraint as written (``number``, ``list(string)``), if any
    type: str | None = None


@dataclass(slots=True)
class Output:
    name: str
    value: Expr
    location: Location | None = None
    depends_on: tuple[Ref, ...] = ()


@dataclass(slots=True)
class Local:
    name: str
    value: Expr
    location: Location | None = None


@dataclass(slots=True)
class ProviderRequirement:
    """An entry of ``required_providers``."""

    name: str
    source: str = ""
    version: str = ""
    location: Location | None = None


@dataclass(slots=True)
class ProviderConfig:
    """A ``provider`` block (or a plan's ``provider_config`` entry)."""

    name: str
    full_name: str = ""
    alias: str = ""
    attributes: dict[str, Expr] = field(default_factory=dict)
    location: Location | None = None


ModuleStatus = Literal["loaded", "catalog", "not-loaded", "missing", "cycle", "error"]


@dataclass(slots=True)
class ModuleCall:
    """A ``module`` block, and the module it loads when that could be found."""

    name: str
    source: str = ""
    version: str = ""
    arguments: dict[str, Expr] = field(default_factory=dict)
    count: Expr | None = None
    for_each: Expr | None = None
    depends_on: tuple[Ref, ...] = ()
    location: Location | None = None
    module: Module | None = None
    status: ModuleStatus = "not-loaded"
    #: why the module is not loaded (missing directory, cycle, unknown registry module...)
    reason: str = ""


@dataclass(slots=True)
class Module:
    """One module instance in the tree: the root (``path == ()``) or a called module."""

    path: tuple[str, ...] = ()
    origin: Origin = "hcl"
    directory: str | None = None
    source: str = ""
    version: str = ""
    resources: dict[str, Resource] = field(default_factory=dict)
    calls: dict[str, ModuleCall] = field(default_factory=dict)
    variables: dict[str, Variable] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)
    locals: dict[str, Local] = field(default_factory=dict)
    required_providers: dict[str, ProviderRequirement] = field(default_factory=dict)
    providers: list[ProviderConfig] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: resources by (type, mode), rebuilt when ``resources`` grows (see resources_of)
    _by_kind: tuple[int, dict[tuple[str, str], list[Resource]]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def prefix(self) -> str:
        return module_prefix(self.path)

    def walk(self) -> Iterator[Module]:
        """This module and every loaded module below it, depth-first."""
        yield self
        for call in self.calls.values():
            if call.module is not None:
                yield from call.module.walk()

    def resources_of(self, kind: str, mode: str = "managed") -> list[Resource]:
        """The resources of one type, in declaration order (indexed: rules ask per type)."""
        if self._by_kind is None or self._by_kind[0] != len(self.resources):
            index: dict[tuple[str, str], list[Resource]] = {}
            for resource in self.resources.values():
                index.setdefault((resource.type, resource.mode), []).append(resource)
            self._by_kind = (len(self.resources), index)
        return list(self._by_kind[1].get((kind, mode), ()))


@lru_cache(maxsize=4096)
def module_prefix(path: tuple[str, ...]) -> str:
    """``("a", "b")`` -> ``"module.a.module.b."``; the root has no prefix."""
    return "".join(f"module.{name}." for name in path)


@dataclass(slots=True)
class ConfigTree:
    """A whole configuration: the root module with every module it loads."""

    root: Module
    origin: Origin
    #: the file the configuration came from (a directory for HCL, the plan for JSON)
    source: str = ""
    #: root-module variable values Terraform would load (tfvars, ``--var``, ``TF_VAR_``),
    #: converted to each variable's type; a variable not here takes its default
    variable_values: dict[str, Any] = field(default_factory=dict)

    def modules(self) -> Iterator[Module]:
        return self.root.walk()

    def module_at(self, path: tuple[str, ...]) -> Module | None:
        module: Module | None = self.root
        for name in path:
            if module is None:
                return None
            call = module.calls.get(name)
            module = call.module if call else None
        return module

    def all_resources(self) -> Iterator[Resource]:
        for module in self.modules():
            yield from module.resources.values()
