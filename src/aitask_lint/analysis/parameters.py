"""Every ``coder_parameter`` and ``coder_workspace_preset`` of a template, read statically.

Coder reads parameters and presets from the import plan; the provider
validates each parameter's definition and value (``ValidateInput``), and
coderd checks presets against the parameters. The AIT6xx rules and the
differential test against Terraform's plans need the same facts from the
configuration: each argument evaluated with the :class:`Evaluator` (so a
``name`` from a local or a ``default`` from a variable counts), kept as
:data:`UNKNOWN` when it cannot be known, never guessed.

A parameter's value is always a string in Terraform: :func:`as_parameter_string`
converts a default as Terraform converts a number or bool literal to the
provider's string attribute.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from aitask_lint.analysis import hclfuncs
from aitask_lint.analysis.evaluate import Evaluator
from aitask_lint.hcl import expressions as hx
from aitask_lint.model.config import Block, ConfigTree, Expr, Location, Module, Resource
from aitask_lint.values import UNKNOWN

PARAMETER = "coder_parameter"
PRESET = "coder_workspace_preset"


@dataclass(slots=True)
class Option:
    """An ``option`` block: its display name and value (strings, or UNKNOWN)."""

    name: Any
    value: Any
    location: Location | None = None


@dataclass(slots=True)
class Validation:
    """A ``validation`` block. ``min``/``max`` are None when not set (``min_disabled``)."""

    min: Any = None
    max: Any = None
    monotonic: Any = ""
    regex: Any = ""
    error: Any = ""
    location: Location | None = None


@dataclass(slots=True)
class Parameter:
    """One ``data "coder_parameter"`` block, its arguments evaluated."""

    resource: Resource
    module: Module
    name: Any
    type: Any = "string"
    form_type: Any = ""
    #: the default as the provider's string, None when absent or null (required), or UNKNOWN
    default: Any = None
    options: list[Option] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    mutable: Any = False
    ephemeral: Any = False

    @property
    def address(self) -> str:
        return self.resource.address

    @property
    def required(self) -> bool:
        """No default, or ``default = null``: coderd stores ``Required = !optional``."""
        return self.default is None

    def where(self, attribute: str) -> Location | None:
        expr = self.resource.attributes.get(attribute)
        if expr is not None and expr.location is not None:
            return expr.location
        return self.resource.location


@dataclass(slots=True)
class PresetValue:
    """One entry of a preset's ``parameters`` map: the parameter name, its value, where."""

    name: Any
    value: Any
    location: Location | None = None


@dataclass(slots=True)
class Preset:
    """One ``data "coder_workspace_preset"`` block, its arguments evaluated."""

    resource: Resource
    module: Module
    name: Any
    default: Any = False
    #: the ``parameters`` entries, or UNKNOWN when the map cannot be read statically
    values: list[PresetValue] | Any = field(default_factory=list)
    #: ``prebuilds { instances }``: 0 without the block, UNKNOWN when computed
    instances: Any = 0

    @property
    def address(self) -> str:
        return self.resource.address

    @property
    def has_prebuilds(self) -> bool:
        """``prebuilds.instances > 0``: coderd then validates the preset at version create."""
        return isinstance(self.instances, int) and self.instances > 0

    def value_map(self) -> dict[str, Any] | Any:
        """name -> value, or UNKNOWN when a key or the map is not known."""
        if self.values is UNKNOWN:
            return UNKNOWN
        result: dict[str, Any] = {}
        for entry in self.values:
            if not isinstance(entry.name, str):
                return UNKNOWN
            result[entry.name] = entry.value
        return result


def as_parameter_string(value: Any) -> Any:
    """A value assigned to a provider string attribute, as Terraform converts it.

    ``4`` -> ``"4"``, ``true`` -> ``"true"``, ``1.5`` -> ``"1.5"``; null stays None;
    lists, objects and unknowns are UNKNOWN (Terraform refuses the first two).
    """
    try:
        return hclfuncs.to_string(value)
    except hclfuncs.EvaluationError:
        return UNKNOWN


def _block_value(evaluator: Evaluator, block: Block, name: str, module: Module) -> Any:
    expr = block.attributes.get(name)
    return None if expr is None else evaluator.value(expr, module)


def _location(expr: Expr | None, fallback: Location | None) -> Location | None:
    return expr.location if expr is not None and expr.location is not None else fallback


def read_parameter(evaluator: Evaluator, resource: Resource, module: Module) -> Parameter:
    """The parameter's arguments, evaluated (UNKNOWN where the evaluator cannot tell)."""

    def value(name: str, absent: Any) -> Any:
        expr = resource.attributes.get(name)
        return absent if expr is None else evaluator.value(expr, module)

    default_expr = resource.attributes.get("default")
    default = None if default_expr is None else evaluator.value(default_expr, module)
    parameter = Parameter(
        resource,
        module,
        name=value("name", UNKNOWN),
        type=value("type", "string"),
        form_type=value("form_type", ""),
        default=as_parameter_string(default),
        mutable=value("mutable", False),
        ephemeral=value("ephemeral", False),
    )
    for block in resource.blocks_of("option"):
        parameter.options.append(
            Option(
                as_parameter_string(_block_value(evaluator, block, "name", module)),
                as_parameter_string(_block_value(evaluator, block, "value", module)),
                _location(block.attributes.get("value"), block.location),
            )
        )
    for block in resource.blocks_of("validation"):
        parameter.validations.append(
            Validation(
                min=_block_value(evaluator, block, "min", module),
                max=_block_value(evaluator, block, "max", module),
                monotonic=_block_value(evaluator, block, "monotonic", module) or "",
                regex=_block_value(evaluator, block, "regex", module) or "",
                error=_block_value(evaluator, block, "error", module) or "",
                location=block.location,
            )
        )
    return parameter


def read_preset(evaluator: Evaluator, resource: Resource, module: Module) -> Preset:
    """The preset's name, default flag, ``parameters`` entries and prebuild instances."""
    name_expr = resource.attributes.get("name")
    default_expr = resource.attributes.get("default")
    preset = Preset(
        resource,
        module,
        name=evaluator.value(name_expr, module) if name_expr is not None else UNKNOWN,
        default=evaluator.value(default_expr, module) if default_expr is not None else False,
        values=_preset_values(evaluator, resource.attributes.get("parameters"), module),
    )
    prebuilds = resource.blocks_of("prebuilds")
    if prebuilds:
        instances = _block_value(evaluator, prebuilds[0], "instances", module)
        preset.instances = instances if isinstance(instances, int) else UNKNOWN
        if instances is None:
            preset.instances = 0
    return preset


def _preset_values(
    evaluator: Evaluator, expr: Expr | None, module: Module
) -> list[PresetValue] | Any:
    """The ``parameters`` map entry by entry, each key located (keys may be expressions)."""
    if expr is None:
        return []
    syntax = expr.syntax
    while isinstance(syntax, hx.Parenthesized):
        syntax = syntax.inner
    if isinstance(syntax, hx.Object):
        entries: list[PresetValue] = []
        for key_node, value_node in syntax.items:
            entries.append(
                PresetValue(
                    _object_key(evaluator, key_node, module),
                    as_parameter_string(_node_value(evaluator, value_node, module)),
                    Location(
                        key_node.span.path,
                        key_node.span.line,
                        key_node.span.column,
                        key_node.span.end_line,
                        key_node.span.end_column,
                    ),
                )
            )
        return entries
    whole = evaluator.value(expr, module)
    if isinstance(whole, dict):
        return [
            PresetValue(str(key), as_parameter_string(item), expr.location)
            for key, item in whole.items()
        ]
    return UNKNOWN


def _node_value(evaluator: Evaluator, node: Any, module: Module) -> Any:
    """One sub-expression's value (wrapped as an expression for the evaluator's memo)."""
    return evaluator.value(Expr(source=node.source, syntax=node), module)


def _object_key(evaluator: Evaluator, node: Any, module: Module) -> Any:
    """An object key: a bare name is itself; ``(expr)`` and strings are evaluated."""
    if isinstance(node, hx.Traversal) and not node.steps:
        return node.root
    value = _node_value(evaluator, node, module)
    return as_parameter_string(value) if isinstance(value, str | int | float) else UNKNOWN


def parameter_blocks(tree: ConfigTree) -> list[tuple[Resource, Module]]:
    """Every ``coder_parameter`` block of every module, in source order (root first)."""
    return [
        (resource, module)
        for module in tree.modules()
        for resource in module.resources_of(PARAMETER, "data")
    ]


def presets(tree: ConfigTree, evaluator: Evaluator) -> list[Preset]:
    """Every ``coder_workspace_preset`` block with an instance, in source order.

    Unlike the scenario engine's presets (values only), these keep where each
    ``parameters`` key is written and whether the map could be read at all:
    AIT603/AIT604 point at the key, AIT605 stays silent when a preset's values
    cannot be known.
    """
    return [
        read_preset(evaluator, resource, module)
        for module in tree.modules()
        for resource in module.resources_of(PRESET, "data")
        if evaluator.instances(resource, module) != 0
    ]


# --- a plan's own values ------------------------------------------------------------
# A plan (or state) carries each parameter and preset as the provider read it: the
# "plan" scenario judges those values (scenarios.md, "Plan and state input").


def _plan_resource(kind: str, address: str, location: Location) -> Resource:
    """A stand-in block for a data source known only by its values (for locations)."""
    local = address.rsplit("data.", 1)[-1]
    name = local.split(".", 1)[1].split("[", 1)[0] if "." in local else local
    return Resource("data", kind, name, location=location)


def parameter_from_values(values: Mapping[str, Any], address: str, location: Location) -> Parameter:
    """A parameter as the plan shows it (``validation`` min/max honour ``*_disabled``)."""
    parameter = Parameter(
        _plan_resource(PARAMETER, address, location),
        Module(origin="plan"),
        name=values.get("name", UNKNOWN),
        type=values.get("type") or "string",
        form_type=values.get("form_type") or "",
        default=as_parameter_string(values.get("default")),
        mutable=values.get("mutable", False),
        ephemeral=values.get("ephemeral", False),
    )
    for option in values.get("option") or []:
        if isinstance(option, Mapping):
            parameter.options.append(Option(option.get("name"), option.get("value"), location))
    for check in values.get("validation") or []:
        if isinstance(check, Mapping):
            parameter.validations.append(
                Validation(
                    min=None if check.get("min_disabled") else check.get("min"),
                    max=None if check.get("max_disabled") else check.get("max"),
                    monotonic=check.get("monotonic") or "",
                    regex=check.get("regex") or "",
                    error=check.get("error") or "",
                    location=location,
                )
            )
    return parameter


def preset_from_values(values: Mapping[str, Any], address: str, location: Location) -> Preset:
    """A preset as the plan shows it; each entry points at its key in the plan."""
    entries = values.get("parameters")
    prebuilds = values.get("prebuilds") or [{}]
    instances = prebuilds[0].get("instances", 0) if isinstance(prebuilds[0], Mapping) else 0
    return Preset(
        _plan_resource(PRESET, address, location),
        Module(origin="plan"),
        name=values.get("name", UNKNOWN),
        default=values.get("default") is True,
        values=[
            PresetValue(
                key,
                as_parameter_string(value),
                replace(location, pointer=f"{location.pointer}/values/parameters/{_escape(key)}")
                if location.pointer is not None
                else location,
            )
            for key, value in entries.items()
        ]
        if isinstance(entries, Mapping)
        else [],
        instances=instances if isinstance(instances, int) else UNKNOWN,
    )


def _escape(key: str) -> str:
    """A JSON Pointer reference token (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")
