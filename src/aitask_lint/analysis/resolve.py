"""Follow an expression to the configuration objects it can evaluate to.

The question every AI-task check asks is "which ``coder_app`` can this
``app_id`` be the id of?". :class:`Resolver` answers it statically: through
module outputs, locals, variables (into the calling module's arguments, or a
default), ``try()``, ``coalesce()``, conditionals and templates that are one
interpolation, keeping every branch as a candidate and saying why when a
step leads nowhere. With HCL input the expression tree is walked exactly;
plan JSON only lists references, each of which is then a candidate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aitask_lint.hcl import expressions as hx
from aitask_lint.limits import MAX_MODULE_DEPTH
from aitask_lint.model.config import ConfigTree, Expr, Module, Resource
from aitask_lint.model.refs import Ref, Step, target_of
from aitask_lint.model.values import UNKNOWN

#: references followed from one expression (outputs, locals, variables): enough for
#: a value passed through every module of the deepest tree the loaders accept, and
#: few enough (three frames a step) to stay inside Python's recursion limit
MAX_DEPTH = MAX_MODULE_DEPTH + 64


@dataclass(frozen=True, slots=True)
class Candidate:
    """One thing an expression can evaluate to."""

    #: "attribute" of a resource, a known "literal", or "unknown"
    kind: str
    resource: Resource | None = None
    attribute: str = ""
    #: the index step used on the resource (``[count.index]``, ``[0]``), if any
    index: Step | None = None
    value: Any = UNKNOWN
    #: references followed to get here, outermost first
    via: tuple[str, ...] = ()
    reason: str = ""


@dataclass(slots=True)
class Resolution:
    """Everything an expression can lead to, and the steps that led nowhere."""

    candidates: list[Candidate] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def resources(self, kind: str, attribute: str = "id") -> list[Candidate]:
        return [
            c
            for c in self.candidates
            if c.kind == "attribute"
            and c.resource is not None
            and c.resource.type == kind
            and c.attribute == attribute
        ]

    def extend(self, other: Resolution) -> None:
        for candidate in other.candidates:
            if candidate not in self.candidates:
                self.candidates.append(candidate)
        for problem in other.problems:
            if problem not in self.problems:
                self.problems.append(problem)


# Functions whose result is one of their arguments (so every argument is a candidate).
_PASS_THROUGH = frozenset({"try", "coalesce", "one", "tostring", "nonsensitive", "sensitive"})


class Resolver:
    """Resolves expressions within a configuration tree."""

    def __init__(self, tree: ConfigTree) -> None:
        self.tree = tree

    def resolve(self, expr: Expr | None, module: Module) -> Resolution:
        result = Resolution()
        if expr is None:
            return result
        self._expr(expr, module, result, (), 0)
        return result

    # -- expressions -----------------------------------------------------------

    def _expr(
        self, expr: Expr, module: Module, out: Resolution, via: tuple[str, ...], depth: int
    ) -> None:
        if expr.syntax is not None:
            self._syntax(expr.syntax, module, out, via, depth)
            return
        if expr.value is not UNKNOWN:
            out.candidates.append(Candidate("literal", value=expr.value, via=via))
            return
        if not expr.refs:
            out.candidates.append(Candidate("unknown", via=via, reason="not a reference"))
        for ref in expr.refs:
            self._ref(ref, module, out, via, depth)

    def _syntax(
        self, node: Any, module: Module, out: Resolution, via: tuple[str, ...], depth: int
    ) -> None:
        """Walk an HCL expression tree (``aitask_lint.hcl.expressions``)."""
        if isinstance(node, hx.Literal):
            out.candidates.append(Candidate("literal", value=node.value, via=via))
        elif isinstance(node, hx.Traversal):
            self._ref(traversal_ref(node), module, out, via, depth)
        elif isinstance(node, hx.Parenthesized):
            self._syntax(node.inner, module, out, via, depth)
        elif isinstance(node, hx.Conditional):
            self._syntax(node.true_result, module, out, via, depth)
            self._syntax(node.false_result, module, out, via, depth)
        elif isinstance(node, hx.FunctionCall) and node.name in _PASS_THROUGH:
            for argument in node.args:
                self._syntax(argument, module, out, via, depth)
        elif (
            isinstance(node, hx.Template)
            and len(node.parts) == 1
            and not isinstance(node.parts[0], str)
        ):
            self._syntax(node.parts[0], module, out, via, depth)
        else:
            value = hx.literal_value(node)
            if value is not hx.UNKNOWN:
                out.candidates.append(Candidate("literal", value=value, via=via))
                return
            refs = [traversal_ref(t) for t in hx.references(node)]
            if not refs:
                out.candidates.append(
                    Candidate("unknown", via=via, reason=f"computed by `{node.source}`")
                )
            for ref in refs:
                self._ref(ref, module, out, via, depth)

    # -- references ------------------------------------------------------------

    def _ref(
        self, ref: Ref, module: Module, out: Resolution, via: tuple[str, ...], depth: int
    ) -> None:
        text = module.prefix + ref.text if module.path else ref.text
        if text in via:
            out.problems.append(f"reference cycle through `{ref.text}`")
            return
        if depth > MAX_DEPTH:
            # not a cycle: a chain longer than anything the loaders accept
            out.problems.append(
                f"reference chain longer than {MAX_DEPTH} steps at `{ref.text}`; not followed"
            )
            return
        via = (*via, text)
        target = target_of(ref)
        where = f"module.{'.module.'.join(module.path)}" if module.path else "the root module"
        if target.kind in ("resource", "data"):
            resource = module.resources.get(target.address)
            if resource is None:
                out.problems.append(
                    f"`{ref.text}` refers to `{target.address}`, which is not declared in {where}"
                )
                return
            attribute = target.rest[0].name if target.rest and target.rest[0].kind == "attr" else ""
            out.candidates.append(
                Candidate("attribute", resource, attribute, index=target.index, via=via)
            )
        elif target.kind == "module_output":
            call = module.calls.get(target.name)
            if call is None:
                out.problems.append(
                    f'`{ref.text}` refers to module "{target.name}", which is '
                    f"not declared in {where}"
                )
                return
            if call.module is None:
                # Not on disk and not in the catalog: unknown, reported by AIT304.
                out.candidates.append(Candidate("unknown", via=via, reason=call.reason))
                return
            output = call.module.outputs.get(target.output)
            if output is None:
                out.problems.append(
                    f'module "{target.name}" ({call.source or "local"}) has no output '
                    f'"{target.output}"'
                )
                return
            self._expr(output.value, call.module, out, via, depth + 1)
        elif target.kind == "local":
            local = module.locals.get(target.name)
            if local is None:
                if module.origin == "plan":
                    out.candidates.append(
                        Candidate("unknown", via=via, reason="plan JSON does not include locals")
                    )
                    return
                out.problems.append(f'`{ref.text}`: no local value "{target.name}" in {where}')
                return
            self._expr(local.value, module, out, via, depth + 1)
        elif target.kind == "var":
            self._variable(target.name, ref, module, out, via=via, depth=depth)
        else:
            out.candidates.append(
                Candidate("unknown", via=via, reason=f"`{ref.text}` is only known at plan time")
            )

    def _variable(
        self,
        name: str,
        ref: Ref,
        module: Module,
        out: Resolution,
        *,
        via: tuple[str, ...],
        depth: int,
    ) -> None:
        variable = module.variables.get(name)
        if variable is None and module.origin != "catalog":
            out.problems.append(f'`{ref.text}`: no variable "{name}" is declared')
            return
        if module.path:
            parent = self.tree.module_at(module.path[:-1])
            call = parent.calls.get(module.path[-1]) if parent else None
            argument = call.arguments.get(name) if call else None
            if parent is not None and argument is not None:
                self._expr(argument, parent, out, via, depth + 1)
                return
        if variable is not None and variable.default is not None:
            self._expr(variable.default, module, out, via, depth + 1)
            return
        out.candidates.append(
            Candidate(
                "unknown", via=via, reason=f"var.{name} has no default and is set by the caller"
            )
        )


class Evaluator:
    """Compute an expression's value statically when every part of it is known.

    Literals, templates whose interpolations are known, variables (the calling
    module's argument, else the default), locals, conditionals with a known
    condition, ``try()`` and ``coalesce()``. Anything else is UNKNOWN: like
    the provider, the linter never guesses a value it cannot know.
    """

    def __init__(self, tree: ConfigTree) -> None:
        self.tree = tree
        #: ``each.key`` / ``each.value`` of the instance being evaluated, when known
        self.each: dict[str, Any] = {}

    def value(self, expr: Expr | None, module: Module, depth: int = 0) -> Any:
        if expr is None or depth > MAX_DEPTH:
            return UNKNOWN
        if expr.value is not UNKNOWN:
            return expr.value
        if expr.syntax is not None:
            return self._node(expr.syntax, module, depth)
        return UNKNOWN

    def instance_value(self, expr: Expr | None, module: Module, each: dict[str, Any]) -> Any:
        """The value for one ``for_each`` instance (``each.key``/``each.value`` bound)."""
        saved, self.each = self.each, each
        try:
            return self.value(expr, module)
        finally:
            self.each = saved

    def _node(self, node: Any, module: Module, depth: int) -> Any:
        literal = hx.literal_value(node)
        if literal is not hx.UNKNOWN:
            return literal
        if isinstance(node, hx.Traversal):
            return self._ref(traversal_ref(node), module, depth)
        if isinstance(node, hx.Parenthesized):
            return self._node(node.inner, module, depth)
        if isinstance(node, hx.Template):
            parts = []
            for part in node.parts:
                value = part if isinstance(part, str) else self._node(part, module, depth)
                if value is UNKNOWN or isinstance(value, dict | list) or value is None:
                    return UNKNOWN
                parts.append(_template_text(value))
            return "".join(parts)
        if isinstance(node, hx.Conditional):
            condition = self._node(node.condition, module, depth)
            if isinstance(condition, bool):
                return self._node(
                    node.true_result if condition else node.false_result, module, depth
                )
            return UNKNOWN
        if isinstance(node, hx.FunctionCall) and node.name in ("try", "coalesce"):
            for argument in node.args:
                value = self._node(argument, module, depth)
                if value is UNKNOWN:
                    return UNKNOWN if node.name == "coalesce" else value
                if node.name == "try" or value not in (None, ""):
                    return value
        return UNKNOWN

    def _ref(self, ref: Ref, module: Module, depth: int) -> Any:
        target = target_of(ref)
        if target.kind == "each" and self.each:
            return _descend(self.each.get(target.name, UNKNOWN), target.rest[1:])
        if target.kind == "local":
            local = module.locals.get(target.name)
            value = self.value(local.value, module, depth + 1) if local else UNKNOWN
        elif target.kind == "var":
            value = UNKNOWN
            if module.path:
                parent = self.tree.module_at(module.path[:-1])
                call = parent.calls.get(module.path[-1]) if parent else None
                if parent is not None and call is not None and target.name in call.arguments:
                    value = self.value(call.arguments[target.name], parent, depth + 1)
                    return _descend(value, target.rest)
            variable = module.variables.get(target.name)
            if variable is not None and variable.default is not None:
                value = self.value(variable.default, module, depth + 1)
        else:
            return UNKNOWN
        return _descend(value, target.rest)


def _descend(value: Any, steps: tuple[Step, ...]) -> Any:
    """Apply ``.key`` / ``[index]`` steps to a known value."""
    for step in steps:
        if value is UNKNOWN:
            return UNKNOWN
        key: Any = step.name if step.kind == "attr" else step.key
        if step.kind == "splat" or key is UNKNOWN:
            return UNKNOWN
        if (isinstance(value, dict) and key in value) or (
            isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value)
        ):
            value = value[key]
        else:
            return UNKNOWN
    return value


def _template_text(value: Any) -> str:
    """How Terraform renders a primitive inside a string template."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def traversal_ref(traversal: Any) -> Ref:
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
