"""Load a plan's ``configuration`` section into the configuration model.

``terraform show -json`` describes the configuration the plan was made from:
module calls with their loaded modules, every expression as its
``references`` and, when constant, its ``constant_value``. That is the same
information the HCL loader extracts from ``.tf`` files, less the expression
structure (no ``try()`` or conditionals, only the references they contain)
and less ``locals`` (which are not exported). Locations are JSON Pointers
into the plan; reports turn them into lines when they need to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aitask_lint.jsonpos import escape_token
from aitask_lint.model.config import (
    Block,
    ConfigTree,
    Expr,
    Location,
    Module,
    ModuleCall,
    Output,
    ProviderConfig,
    ProviderRequirement,
    Resource,
    Variable,
)
from aitask_lint.model.refs import Ref, ReferenceSyntaxError, most_specific, parse_reference
from aitask_lint.values import UNKNOWN

_EXPRESSION_KEYS = frozenset({"references", "constant_value"})


def load_plan_configuration(configuration: Mapping[str, Any], path: str = "<plan>") -> ConfigTree:
    """Build the configuration model of a plan's ``configuration`` section."""
    loader = _PlanLoader(configuration, path)
    root = loader.module(configuration.get("root_module") or {}, (), "/configuration/root_module")
    loader.required_providers(root)
    return ConfigTree(root=root, origin="plan", source=path)


def _is_mapping(value: Any) -> bool:
    """``isinstance(value, Mapping)``, with the answer for JSON's dicts found first (fast)."""
    return value.__class__ is dict or isinstance(value, Mapping)


class _PlanLoader:
    def __init__(self, configuration: Mapping[str, Any], path: str) -> None:
        self.configuration = configuration
        self.path = path
        #: references lists already read, by their strings
        self._refs: dict[tuple[Any, ...], tuple[Ref, ...]] = {}

    def location(self, pointer: str) -> Location:
        return Location(self.path, pointer=pointer)

    def expression(self, raw: Any, pointer: str) -> Expr:
        if not _is_mapping(raw):
            return Expr(location=self.location(pointer))
        references = raw.get("references")
        refs: tuple[Ref, ...] = ()
        if references:
            # the same lists recur (``["coder_agent.main.id", "coder_agent.main"]``)
            key = tuple(references) if isinstance(references, list) else None
            found = self._refs.get(key) if key is not None else None
            if found is None:
                found = tuple(most_specific(list(self.refs(references))))
                if key is not None:
                    self._refs[key] = found
            refs = found
        value = raw.get("constant_value", UNKNOWN)
        return Expr(refs, value, location=self.location(pointer))

    def refs(self, raw: Any) -> tuple[Ref, ...]:
        """Parse reference strings; a string that is not a traversal names nothing."""
        refs: list[Ref] = []
        for text in raw or []:
            if isinstance(text, str):
                try:
                    refs.append(parse_reference(text))
                except ReferenceSyntaxError:
                    continue
        return tuple(refs)

    def body(self, expressions: Any, pointer: str) -> tuple[dict[str, Expr], list[Block]]:
        """Split an ``expressions`` object into attributes and nested blocks."""
        attributes: dict[str, Expr] = {}
        blocks: list[Block] = []
        if not _is_mapping(expressions):
            return attributes, blocks
        for name, value in expressions.items():
            item_pointer = f"{pointer}/{escape_token(name)}"
            if isinstance(value, list):
                for position, item in enumerate(value):
                    block_pointer = f"{item_pointer}/{position}"
                    inner_attributes, inner_blocks = self.body(item, block_pointer)
                    blocks.append(
                        Block(
                            name, (), inner_attributes, inner_blocks, self.location(block_pointer)
                        )
                    )
            elif _is_mapping(value) and (not value or value.keys() <= _EXPRESSION_KEYS):
                attributes[name] = self.expression(value, item_pointer)
            elif _is_mapping(value):
                # a single nested block written as an object (older formats)
                inner_attributes, inner_blocks = self.body(value, item_pointer)
                blocks.append(
                    Block(name, (), inner_attributes, inner_blocks, self.location(item_pointer))
                )
        return attributes, blocks

    def module(self, raw: Mapping[str, Any], path: tuple[str, ...], pointer: str) -> Module:
        module = Module(path=path, origin="plan")
        for position, resource in enumerate(raw.get("resources") or []):
            if not isinstance(resource, Mapping):
                continue
            resource_pointer = f"{pointer}/resources/{position}"
            attributes, blocks = self.body(
                resource.get("expressions"), f"{resource_pointer}/expressions"
            )
            model = Resource(
                mode="data" if resource.get("mode") == "data" else "managed",
                type=str(resource.get("type", "")),
                name=str(resource.get("name", "")),
                module=path,
                attributes=attributes,
                blocks=blocks,
                count=self._meta(resource, "count_expression", resource_pointer),
                for_each=self._meta(resource, "for_each_expression", resource_pointer),
                depends_on=self.refs(resource.get("depends_on")),
                provider=self.provider_name(resource.get("provider_config_key")),
                location=self.location(resource_pointer),
            )
            module.resources[model.local_address] = model
        for name, variable in (raw.get("variables") or {}).items():
            variable_pointer = f"{pointer}/variables/{escape_token(name)}"
            default = None
            if isinstance(variable, Mapping) and "default" in variable:
                default = Expr(
                    value=variable["default"], location=self.location(f"{variable_pointer}/default")
                )
            module.variables[name] = Variable(name, default, self.location(variable_pointer))
        for name, raw_output in (raw.get("outputs") or {}).items():
            output_pointer = f"{pointer}/outputs/{escape_token(name)}"
            output = raw_output if isinstance(raw_output, Mapping) else {}
            module.outputs[name] = Output(
                name,
                self.expression(output.get("expression"), f"{output_pointer}/expression"),
                self.location(output_pointer),
                self.refs(output.get("depends_on")),
            )
        for name, call in (raw.get("module_calls") or {}).items():
            if not isinstance(call, Mapping):
                continue
            call_pointer = f"{pointer}/module_calls/{escape_token(name)}"
            arguments, _blocks = self.body(call.get("expressions"), f"{call_pointer}/expressions")
            model_call = ModuleCall(
                name=name,
                source=str(call.get("source", "")),
                version=str(call.get("version_constraint", "")),
                arguments=arguments,
                count=self._meta(call, "count_expression", call_pointer),
                for_each=self._meta(call, "for_each_expression", call_pointer),
                depends_on=self.refs(call.get("depends_on")),
                location=self.location(call_pointer),
            )
            child = call.get("module")
            if isinstance(child, Mapping):
                model_call.module = self.module(child, (*path, name), f"{call_pointer}/module")
                model_call.module.source = model_call.source
                model_call.module.version = model_call.version
                model_call.status = "loaded"
            else:
                model_call.reason = "the plan does not include the module's configuration"
            module.calls[name] = model_call
        return module

    def provider_name(self, key: Any) -> str:
        entry = (self.configuration.get("provider_config") or {}).get(key) if key else None
        if not isinstance(entry, Mapping):
            return ""
        return str(entry.get("full_name") or entry.get("name") or "")

    def _meta(self, raw: Mapping[str, Any], key: str, pointer: str) -> Expr | None:
        if key not in raw:
            return None
        return self.expression(raw[key], f"{pointer}/{key}")

    def required_providers(self, root: Module) -> None:
        """Providers: the plan gives one ``provider_config`` entry per configuration.

        Entries declared in the root carry the version constraint and any
        provider arguments; those only implied inside a module are skipped.
        """
        for key, provider in (self.configuration.get("provider_config") or {}).items():
            if not isinstance(provider, Mapping) or provider.get("module_address"):
                continue
            pointer = f"/configuration/provider_config/{escape_token(key)}"
            name = str(provider.get("name", key))
            root.required_providers[name] = ProviderRequirement(
                name=name,
                source=str(provider.get("full_name", "")),
                version=str(provider.get("version_constraint", "")),
                location=self.location(pointer),
            )
            attributes, _blocks = self.body(provider.get("expressions"), f"{pointer}/expressions")
            root.providers.append(
                ProviderConfig(
                    name=name,
                    full_name=str(provider.get("full_name", "")),
                    alias=str(provider.get("alias", "")),
                    attributes=attributes,
                    location=self.location(pointer),
                )
            )
