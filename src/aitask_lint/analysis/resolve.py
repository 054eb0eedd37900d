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

from dataclasses import dataclass, field, replace
from typing import Any

from aitask_lint.analysis.evaluate import (
    MAX_COMPUTED_CHARS,
    MAX_DEPTH,
    MAX_NESTING,
    MAX_STRING_CHARS,
    Evaluator,
)
from aitask_lint.hcl import expressions as hx
from aitask_lint.model.config import ConfigTree, Expr, Module, Resource
from aitask_lint.model.refs import Ref, Step, target_of, traversal_ref
from aitask_lint.values import UNKNOWN

__all__ = [
    "MAX_CANDIDATES",
    "MAX_COMPUTED_CHARS",
    "MAX_DEPTH",
    "MAX_NESTING",
    "MAX_STRING_CHARS",
    "Candidate",
    "Evaluator",
    "Resolution",
    "Resolver",
    "traversal_ref",
]

#: candidates one resolution keeps; far above the few branches a template has
MAX_CANDIDATES = 256


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
    """Everything an expression can lead to, and the steps that led nowhere.

    Candidates are kept once each (the references followed to reach one, ``via``,
    do not make it another), at most :data:`MAX_CANDIDATES` of them: ``try(local.b,
    local.b)`` nested twenty times is one candidate, not a million.
    """

    candidates: list[Candidate] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _keys: set[tuple[Any, ...]] = field(default_factory=set, repr=False, compare=False)
    _problem_set: set[str] = field(default_factory=set, repr=False, compare=False)

    def resources(self, kind: str, attribute: str = "id") -> list[Candidate]:
        return [
            c
            for c in self.candidates
            if c.kind == "attribute"
            and c.resource is not None
            and c.resource.type == kind
            and c.attribute == attribute
        ]

    def add(self, candidate: Candidate) -> None:
        key = _candidate_key(candidate)
        if key in self._keys:
            return
        if len(self.candidates) >= MAX_CANDIDATES:
            self.problem(
                f"the expression leads to more than {MAX_CANDIDATES} candidates; "
                "the rest are not followed (see docs/limits.md)"
            )
            return
        self._keys.add(key)
        self.candidates.append(candidate)

    def problem(self, text: str) -> None:
        if text not in self._problem_set:
            self._problem_set.add(text)
            self.problems.append(text)

    def extend(self, other: Resolution, prefix: str | None = None) -> None:
        """Add ``other``'s candidates (reached through ``prefix``, if given) and problems."""
        for candidate in other.candidates:
            self.add(
                candidate if prefix is None else replace(candidate, via=(prefix, *candidate.via))
            )
        for problem in other.problems:
            self.problem(problem)


def _candidate_key(candidate: Candidate) -> tuple[Any, ...]:
    """What makes two candidates the same thing (not the path that reached them)."""
    value = candidate.value
    try:
        hash(value)
        value_key: Any = (type(value), value)  # True and 1 are different literals
    except TypeError:  # a list or object literal: the same syntax node gives the same object
        value_key = id(value)
    resource = id(candidate.resource) if candidate.resource is not None else None
    return (
        candidate.kind,
        resource,
        candidate.attribute,
        candidate.index,
        candidate.reason,
        value_key,
    )


# Functions whose result is one of their arguments (so every argument is a candidate).
_PASS_THROUGH = frozenset({"try", "coalesce", "one", "tostring", "nonsensitive", "sensitive"})


class Resolver:
    """Resolves expressions within a configuration tree.

    Each expression is resolved once per module instance (memoised by the
    expression object and the module object, which the tree keeps alive), so
    a value that reaches the same local through many paths costs one walk of
    it; a reference back into an expression being resolved is a cycle.
    """

    def __init__(self, tree: ConfigTree) -> None:
        self.tree = tree
        #: (id(expr), id(module)) -> (expr, module, resolution); the objects are kept so
        #: that their ids cannot be reused while the entry exists
        self._memo: dict[tuple[int, int], tuple[Expr, Module, Resolution]] = {}
        self._active: set[tuple[int, int]] = set()
        #: expression levels being walked, over every reference followed (the Python stack)
        self._nesting = 0

    def resolve(self, expr: Expr | None, module: Module) -> Resolution:
        result = Resolution()
        if expr is None:
            return result
        result.extend(self._resolved(expr, module, 0))  # a copy: callers may change theirs
        return result

    def _resolved(self, expr: Expr, module: Module, depth: int) -> Resolution:
        """``expr``'s resolution in ``module``, computed once (``via`` relative to ``expr``).

        Three frames a reference step (this, ``_syntax``, ``_ref``), like the
        unmemoised walk had: :data:`MAX_DEPTH` steps stay inside the recursion limit.
        """
        key = (id(expr), id(module))
        entry = self._memo.get(key)
        if entry is not None:
            return entry[2]
        out = Resolution()
        self._active.add(key)
        try:
            if expr.syntax is not None:
                self._syntax(expr.syntax, module, out, depth)
            elif expr.value is not UNKNOWN:
                out.add(Candidate("literal", value=expr.value))
            else:
                if not expr.refs:
                    out.add(Candidate("unknown", reason="not a reference"))
                for ref in expr.refs:
                    self._ref(ref, module, out, depth)
        finally:
            self._active.discard(key)
        self._memo[key] = (expr, module, out)
        return out

    # -- expressions -----------------------------------------------------------

    def _syntax(self, node: Any, module: Module, out: Resolution, depth: int) -> None:
        """Walk an HCL expression tree (``aitask_lint.hcl.expressions``)."""
        if self._nesting >= MAX_NESTING:
            out.problem(
                f"expressions nested more than {MAX_NESTING} levels deep along the references "
                "followed; not followed further"
            )
            return
        self._nesting += 1
        try:
            if isinstance(node, hx.Literal):
                out.add(Candidate("literal", value=node.value))
            elif isinstance(node, hx.Traversal):
                self._ref(traversal_ref(node), module, out, depth)
            elif isinstance(node, hx.Parenthesized):
                self._syntax(node.inner, module, out, depth)
            elif isinstance(node, hx.Conditional):
                self._syntax(node.true_result, module, out, depth)
                self._syntax(node.false_result, module, out, depth)
            elif isinstance(node, hx.FunctionCall) and node.name in _PASS_THROUGH:
                for argument in node.args:
                    self._syntax(argument, module, out, depth)
            elif (
                isinstance(node, hx.Template)
                and len(node.parts) == 1
                and not isinstance(node.parts[0], str)
            ):
                self._syntax(node.parts[0], module, out, depth)
            else:
                value = hx.literal_value(node)
                if value is not hx.UNKNOWN:
                    out.add(Candidate("literal", value=value))
                    return
                refs = [traversal_ref(t) for t in hx.references(node)]
                if not refs:
                    out.add(Candidate("unknown", reason=f"computed by `{node.source}`"))
                for ref in refs:
                    self._ref(ref, module, out, depth)
        finally:
            self._nesting -= 1

    # -- references ------------------------------------------------------------

    def _ref(self, ref: Ref, module: Module, out: Resolution, depth: int) -> None:
        text = module.prefix + ref.text if module.path else ref.text
        if depth > MAX_DEPTH:
            # not a cycle: a chain longer than anything the loaders accept
            out.problem(
                f"reference chain longer than {MAX_DEPTH} steps at `{ref.text}`; not followed"
            )
            return
        via = (text,)
        target = target_of(ref)
        where = f"module.{'.module.'.join(module.path)}" if module.path else "the root module"
        #: the expression the reference names, and the module it is evaluated in
        follow: tuple[Expr, Module] | None = None
        if target.kind in ("resource", "data"):
            resource = module.resources.get(target.address)
            if resource is None:
                out.problem(
                    f"`{ref.text}` refers to `{target.address}`, which is not declared in {where}"
                )
                return
            attribute = target.rest[0].name if target.rest and target.rest[0].kind == "attr" else ""
            out.add(Candidate("attribute", resource, attribute, index=target.index, via=via))
        elif target.kind == "module_output":
            call = module.calls.get(target.name)
            if call is None:
                out.problem(
                    f'`{ref.text}` refers to module "{target.name}", which is '
                    f"not declared in {where}"
                )
                return
            if call.module is None:
                # Not on disk and not in the catalog: unknown, reported by AIT304.
                out.add(Candidate("unknown", via=via, reason=call.reason))
                return
            output = call.module.outputs.get(target.output)
            if output is None:
                out.problem(
                    f'module "{target.name}" ({call.source or "local"}) has no output '
                    f'"{target.output}"'
                )
                return
            follow = (output.value, call.module)
        elif target.kind == "local":
            local = module.locals.get(target.name)
            if local is None:
                if module.origin == "plan":
                    out.add(
                        Candidate("unknown", via=via, reason="plan JSON does not include locals")
                    )
                    return
                out.problem(f'`{ref.text}`: no local value "{target.name}" in {where}')
                return
            follow = (local.value, module)
        elif target.kind == "var":
            follow = self._variable(target.name, ref, text, module, out)
        else:
            out.add(
                Candidate("unknown", via=via, reason=f"`{ref.text}` is only known at plan time")
            )
        if follow is not None:
            expr, owner = follow
            if (id(expr), id(owner)) in self._active:
                out.problem(f"reference cycle through `{ref.text}`")
                return
            out.extend(self._resolved(expr, owner, depth + 1), prefix=text)

    def _variable(
        self, name: str, ref: Ref, text: str, module: Module, out: Resolution
    ) -> tuple[Expr, Module] | None:
        """What ``var.name`` is: the caller's argument, else the default (None: said in ``out``)."""
        variable = module.variables.get(name)
        if variable is None and module.origin != "catalog":
            out.problem(f'`{ref.text}`: no variable "{name}" is declared')
            return None
        if module.path:
            parent = self.tree.module_at(module.path[:-1])
            call = parent.calls.get(module.path[-1]) if parent else None
            argument = call.arguments.get(name) if call else None
            if parent is not None and argument is not None:
                return argument, parent
        elif name in self.tree.variable_values:  # tfvars, --var, TF_VAR_: over the default
            value = self.tree.variable_values[name]
            if value is UNKNOWN:
                reason = f"var.{name} is set to a value aitask-lint cannot compute"
                out.add(Candidate("unknown", via=(text,), reason=reason))
            else:
                out.add(Candidate("literal", value=value, via=(text,)))
            return None
        if variable is not None and variable.default is not None:
            return variable.default, module
        out.add(
            Candidate(
                "unknown",
                via=(text,),
                reason=f"var.{name} has no default and is set by the caller",
            )
        )
        return None
