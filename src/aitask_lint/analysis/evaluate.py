"""Compute an expression's value statically, under one scenario, when it is knowable.

:class:`Evaluator` evaluates literals, templates, variables (the calling
module's argument; in the root the value Terraform loads from tfvars, the
command line or the environment; else the default), locals, module outputs,
conditionals, the operators, ``for`` expressions and the functions templates
use (:mod:`aitask_lint.analysis.hclfuncs`). Bound to a
:class:`~aitask_lint.analysis.scenario.Scenario`, it also knows
``data.coder_parameter.X.value`` (a string), ``data.coder_workspace.*``'s
build context and ``data.coder_task.*``. Anything else is UNKNOWN: like the
provider, the linter never guesses a value it cannot know.

Two outcomes are kept apart inside: UNKNOWN (not knowable before apply) and
:data:`FAILED` (Terraform would fail: ``module.x[0]`` of a module counted
out, ``tobool("yes")``). ``try()`` and ``can()`` see the difference as
Terraform's do; :meth:`Evaluator.value` reports a failure as UNKNOWN.

Every scenario-dependent value read is recorded in :attr:`Evaluator.reads`,
so a caller can tell that another scenario with the same values there gives
the same results (the runner reuses them instead of evaluating again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from aitask_lint.analysis import hclfuncs
from aitask_lint.hcl import expressions as hx
from aitask_lint.limits import MAX_MODULE_DEPTH
from aitask_lint.model.config import ConfigTree, Expr, Module, ModuleCall, Resource
from aitask_lint.model.refs import Ref, Step, target_of, traversal_ref
from aitask_lint.values import UNKNOWN

if TYPE_CHECKING:
    from aitask_lint.analysis.scenario import Scenario

#: references followed from one expression (outputs, locals, variables): enough for
#: a value passed through every module of the deepest tree the loaders accept, and
#: few enough (three frames a step) to stay inside Python's recursion limit
MAX_DEPTH = MAX_MODULE_DEPTH + 64
#: expression levels walked at once along a chain of references: with two frames a
#: reference step, :data:`MAX_DEPTH` steps and these stay inside Python's recursion limit
MAX_NESTING = 400
#: a string a template computes (longer is UNKNOWN, like any value the linter cannot hold)
MAX_STRING_CHARS = 1024 * 1024
#: characters of computed strings in one evaluator, in all
MAX_COMPUTED_CHARS = 64 * 1024 * 1024


class _Failed:
    """Singleton type of :data:`FAILED`."""

    __slots__ = ()
    _instance: _Failed | None = None

    def __new__(cls) -> _Failed:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "FAILED"

    def __bool__(self) -> bool:
        return False


#: Terraform would fail evaluating the expression (an error, not an unknown value)
FAILED: Final = _Failed()

#: a reads key: ("parameter", name), ("workspace", attribute) or ("task", attribute)
ReadKey = tuple[str, str]


class Evaluator:
    """Compute an expression's value statically when every part of it is known.

    Each expression is evaluated once per module instance (memoised by the
    expression and module objects; an expression that reads itself reads
    UNKNOWN), and a computed string over :data:`MAX_STRING_CHARS` characters,
    or past :data:`MAX_COMPUTED_CHARS` computed in all, is UNKNOWN too, with
    the reason in :attr:`notes`: twenty-two locals that each double the
    previous one are 22 evaluations and no 4 MiB string.
    """

    def __init__(
        self,
        tree: ConfigTree,
        scenario: Scenario | None = None,
        *,
        refs: dict[int, tuple[Any, Ref]] | None = None,
    ) -> None:
        self.tree = tree
        #: id(traversal node) -> (node, its Ref): value-independent, shareable between the
        #: evaluators of one tree's scenarios (the node is kept so its id stays its own)
        self.refs: dict[int, tuple[Any, Ref]] = {} if refs is None else refs
        #: the scenario the values come from; None: parameters and workspace are unknown
        self.scenario = scenario
        #: ``each.key`` / ``each.value`` of the instance being evaluated, when known
        self.each: dict[str, Any] = {}
        #: why values became UNKNOWN because of a size bound, once each
        self.notes: list[str] = []
        #: scenario values read so far (see the module docstring)
        self.reads: dict[ReadKey, Any] = {}
        self._memo: dict[tuple[int, int], tuple[Expr, Module, Any]] = {}
        self._computed = 0
        #: times the depth bound cut an evaluation short (such results are not memoised)
        self._cut = 0
        self._nesting = 0
        #: names a ``for`` expression binds, innermost last
        self._scope: dict[str, Any] = {}

    # -- public ----------------------------------------------------------------

    def value(self, expr: Expr | None, module: Module, depth: int = 0) -> Any:
        """The value of ``expr`` in ``module``, or UNKNOWN (unknowable, or a Terraform error)."""
        result = self.outcome(expr, module, depth)
        return UNKNOWN if result is FAILED else result

    def outcome(self, expr: Expr | None, module: Module, depth: int = 0) -> Any:
        """Like :meth:`value`, but a Terraform error is :data:`FAILED`, not UNKNOWN."""
        if expr is None:
            return UNKNOWN
        if expr.value is not UNKNOWN:
            return expr.value
        if expr.syntax is None:
            return UNKNOWN
        if depth > MAX_DEPTH:
            self._cut += 1
            return UNKNOWN
        key = (id(expr), id(module))
        entry = self._memo.get(key)
        if entry is not None:
            return entry[2]
        self._memo[key] = (expr, module, UNKNOWN)  # being evaluated: a cycle reads UNKNOWN
        saved, self.each = self.each, {}  # ``each`` belongs to the resource's own block only
        saved_scope, self._scope = self._scope, {}
        cut = self._cut
        try:
            result = self._node(expr.syntax, module, depth)
        finally:
            self.each = saved
            self._scope = saved_scope
        if self._cut == cut:
            self._memo[key] = (expr, module, result)
        else:  # cut short by the depth bound: from a shallower start it may be known
            del self._memo[key]
        return result

    def instance_value(self, expr: Expr | None, module: Module, each: dict[str, Any]) -> Any:
        """The value for one ``for_each`` instance (``each.key``/``each.value`` bound)."""
        if not each:
            return self.value(expr, module)
        if expr is None:
            return UNKNOWN
        if expr.value is not UNKNOWN or expr.syntax is None:
            return expr.value
        saved, self.each = self.each, each
        try:
            result = self._node(expr.syntax, module, 0)
        finally:
            self.each = saved
        return UNKNOWN if result is FAILED else result

    def instances(self, owner: Resource | ModuleCall, module: Module) -> int | None:
        """How many instances ``count``/``for_each`` give (1 without either; None: unknown)."""
        if owner.count is not None:
            count = self.value(owner.count, module)
            if hclfuncs.is_number(count) and count >= 0 and count == int(count):
                return int(count)
            return None
        if owner.for_each is not None:
            collection = self.value(owner.for_each, module)
            return len(collection) if isinstance(collection, list | dict) else None
        return 1

    def absent_by(self, resource: Resource, module: Module) -> tuple[Expr, Module] | None:
        """The ``count``/``for_each`` that gives ``resource`` no instance, if one does.

        The resource's own, else that of a module call above it (the outermost
        first): what a message names as the condition that removes it.
        """
        for depth in range(len(module.path)):
            parent = self.tree.module_at(module.path[:depth])
            call = parent.calls.get(module.path[depth]) if parent else None
            if call is not None and parent is not None and self.instances(call, parent) == 0:
                expr = call.count if call.count is not None else call.for_each
                return (expr, parent) if expr is not None else None
        if self.instances(resource, module) == 0:
            expr = resource.count if resource.count is not None else resource.for_each
            return (expr, module) if expr is not None else None
        return None

    def scenario_kind(self) -> str | None:
        """The kind of the scenario (``import``, ``task``, ...), recorded as a value read:
        a rule whose judgement depends on it is not reused across kinds."""
        if self.scenario is None:
            return None
        kind = self._read("scenario", "kind")
        return kind if isinstance(kind, str) else None

    def parameter_value(self, resource: Resource, module: Module) -> Any:
        """``data.coder_parameter.X.value`` in the scenario (UNKNOWN without one)."""
        if self.scenario is None:
            return UNKNOWN
        name = self.value(resource.attributes.get("name"), module)
        if not isinstance(name, str):
            return UNKNOWN
        return self._read("parameter", name)

    # -- internals ---------------------------------------------------------------

    def _read(self, kind: str, key: str) -> Any:
        assert self.scenario is not None
        value = self.scenario.lookup(kind, key)
        self.reads[(kind, key)] = value
        return value

    def _note(self, text: str) -> None:
        if text not in self.notes and len(self.notes) < 100:
            self.notes.append(text)

    def _node(self, node: Any, module: Module, depth: int) -> Any:
        """One expression node (one frame: with :meth:`outcome` and :meth:`_ref`, three a
        reference step, as :data:`MAX_DEPTH` assumes)."""
        if self._nesting >= MAX_NESTING:
            self._cut += 1
            return UNKNOWN
        self._nesting += 1
        try:
            literal = hx.literal_value(node)
            if literal is not hx.UNKNOWN:
                return literal
            if isinstance(node, hx.Traversal):
                if node.root in self._scope:
                    return self._steps(self._scope[node.root], node.steps, module, depth)
                return self._ref(self._traversal(node, module, depth), module, depth)
            if isinstance(node, hx.Parenthesized):
                return self._node(node.inner, module, depth)
            if isinstance(node, hx.Template):  # inline: one frame a reference step fewer
                return self._template(node, module, depth)
            if isinstance(node, hx.Conditional):
                condition = self._node(node.condition, module, depth)
                if condition is FAILED:
                    return FAILED
                chosen = hclfuncs.to_bool(condition) if condition is not None else None
                if not isinstance(chosen, bool):
                    return UNKNOWN if chosen is UNKNOWN else FAILED
                branch = node.true_result if chosen else node.false_result
                return self._node(branch, module, depth)
            if isinstance(node, hx.BinaryOp):
                left = self._node(node.left, module, depth)
                right = self._node(node.right, module, depth)
                if left is FAILED or right is FAILED:
                    return FAILED
                return hclfuncs.binary(node.op, left, right)
            if isinstance(node, hx.UnaryOp):
                operand = self._node(node.operand, module, depth)
                return FAILED if operand is FAILED else hclfuncs.unary(node.op, operand)
            if isinstance(node, hx.FunctionCall):
                return self._call(node, module, depth)
            if isinstance(node, hx.Tuple):
                return self._all([self._node(item, module, depth) for item in node.items])
            if isinstance(node, hx.Object):
                return self._object(node, module, depth)
            if isinstance(node, hx.ForExpr):
                return self._for(node, module, depth)
            if isinstance(node, hx.RelativeTraversal):
                subject = self._node(node.subject, module, depth)
                return self._steps(subject, node.steps, module, depth)
            return UNKNOWN
        except hclfuncs.EvaluationError:
            return FAILED
        finally:
            self._nesting -= 1

    def _all(self, items: list[Any]) -> Any:
        """A list of evaluated items: FAILED or UNKNOWN when any item is."""
        if any(item is FAILED for item in items):
            return FAILED
        if any(item is UNKNOWN for item in items) or len(items) > hclfuncs.MAX_COLLECTION:
            return UNKNOWN
        return items

    def _template(self, node: hx.Template, module: Module, depth: int) -> Any:
        # a frame of its own: counted as a nesting level, so MAX_NESTING bounds the stack
        if self._nesting >= MAX_NESTING:
            self._cut += 1
            return UNKNOWN
        self._nesting += 1
        try:
            return self._template_parts(node, module, depth)
        finally:
            self._nesting -= 1

    def _template_parts(self, node: hx.Template, module: Module, depth: int) -> Any:
        parts: list[str] = []
        size = 0
        for part in node.parts:
            value = part if isinstance(part, str) else self._node(part, module, depth)
            if value is FAILED:
                return FAILED
            if value is UNKNOWN or isinstance(value, dict | list) or value is None:
                return UNKNOWN
            text = _template_text(value)
            size += len(text)
            if size > MAX_STRING_CHARS:
                self._note(
                    f"`{_short(node.source)}` computes a string longer than "
                    f"{MAX_STRING_CHARS} characters; treated as unknown"
                )
                return UNKNOWN
            parts.append(text)
        return self._computed_string(parts, size, node)

    def _computed_string(self, parts: list[str], size: int, node: Any) -> Any:
        self._computed += size
        if self._computed > MAX_COMPUTED_CHARS:
            self._note(
                f"more than {MAX_COMPUTED_CHARS} characters of strings computed; "
                f"`{_short(node.source)}` and later templates are treated as unknown"
            )
            return UNKNOWN
        return "".join(parts)

    def _call(self, node: hx.FunctionCall, module: Module, depth: int) -> Any:
        # a frame of its own: counted as a nesting level, so MAX_NESTING bounds the stack
        if self._nesting >= MAX_NESTING:
            self._cut += 1
            return UNKNOWN
        self._nesting += 1
        try:
            return self._function(node, module, depth)
        finally:
            self._nesting -= 1

    def _function(self, node: hx.FunctionCall, module: Module, depth: int) -> Any:
        name = node.name
        if name == "try":
            for argument in node.args:
                value = self._node(argument, module, depth)
                if value is not FAILED:
                    return value  # the first that does not fail (UNKNOWN stays unknown)
            return FAILED
        if name == "can":
            if len(node.args) != 1:
                return FAILED
            value = self._node(node.args[0], module, depth)
            return UNKNOWN if value is UNKNOWN else value is not FAILED
        if name == "coalesce":
            for argument in node.args:
                value = self._node(argument, module, depth)
                if value is UNKNOWN or value is FAILED:
                    return value
                if value not in (None, ""):
                    return value
            return FAILED  # Terraform: "no non-null, non-empty-string arguments"
        if node.expand_final or name not in hclfuncs.FUNCTIONS:
            return UNKNOWN
        args = [self._node(argument, module, depth) for argument in node.args]
        if any(arg is FAILED for arg in args):
            return FAILED
        if any(arg is UNKNOWN for arg in args):
            return UNKNOWN
        result = hclfuncs.call(name, args)
        if isinstance(result, str):
            if len(result) > MAX_STRING_CHARS:
                return UNKNOWN
            return self._computed_string([result], len(result), node)
        if isinstance(result, list | dict) and len(result) > hclfuncs.MAX_COLLECTION:
            return UNKNOWN
        return result

    def _object(self, node: hx.Object, module: Module, depth: int) -> Any:
        result: dict[str, Any] = {}
        unknown = False
        for key_node, value_node in node.items:
            if isinstance(key_node, hx.Traversal) and not key_node.steps:
                key: Any = key_node.root
            else:
                key = hclfuncs.to_string(self._node(key_node, module, depth))
            value = self._node(value_node, module, depth)
            if key is FAILED or value is FAILED:
                return FAILED
            if key is UNKNOWN or value is UNKNOWN or not isinstance(key, str):
                unknown = True
                continue
            result[key] = value
        return UNKNOWN if unknown else result

    def _for(self, node: hx.ForExpr, module: Module, depth: int) -> Any:
        collection = self._node(node.collection, module, depth)
        if collection is FAILED or collection is UNKNOWN:
            return collection
        if isinstance(collection, dict):
            pairs: list[tuple[Any, Any]] = [(k, collection[k]) for k in sorted(collection)]
        elif isinstance(collection, list):
            pairs = list(enumerate(collection))
        else:
            return FAILED
        if len(pairs) > hclfuncs.MAX_COLLECTION or node.grouping:
            return UNKNOWN
        items: list[Any] = []
        keyed: dict[str, Any] = {}
        saved = self._scope
        try:
            for key, value in pairs:
                self._scope = {**saved, node.value_name: value}
                if node.key_name:
                    self._scope[node.key_name] = key
                if node.condition is not None:
                    keep = hclfuncs.to_bool(self._node(node.condition, module, depth))
                    if not isinstance(keep, bool):
                        return UNKNOWN if keep is UNKNOWN else FAILED
                    if not keep:
                        continue
                item = self._node(node.value, module, depth)
                if item is FAILED or item is UNKNOWN:
                    return item
                if node.is_object:
                    name = hclfuncs.to_string(self._node(node.key, module, depth))
                    if not isinstance(name, str):
                        return UNKNOWN if name is UNKNOWN else FAILED
                    keyed[name] = item
                else:
                    items.append(item)
        finally:
            self._scope = saved
        return keyed if node.is_object else items

    def _traversal(self, node: hx.Traversal, module: Module, depth: int) -> Ref:
        """The reference, with index keys computed where they are known (``m[var.k]``)."""
        entry = self.refs.get(id(node))
        if entry is None:
            entry = self.refs[id(node)] = (node, traversal_ref(node))
        ref = entry[1]
        if all(step.kind != "index" or step.key is not UNKNOWN for step in ref.steps):
            return ref
        steps: list[Step] = []
        for step, syntax in zip(ref.steps, node.steps, strict=True):
            if step.kind == "index" and step.key is UNKNOWN and isinstance(syntax, hx.Index):
                key = self._node(syntax.key, module, depth)
                if isinstance(key, str) or (hclfuncs.is_number(key) and key == int(key)):
                    steps.append(Step("index", key=int(key) if hclfuncs.is_number(key) else key))
                    continue
            steps.append(step)
        return Ref(ref.root, tuple(steps))

    def _steps(self, value: Any, steps: list[hx.Step], module: Module, depth: int) -> Any:
        """Apply syntax steps (``.a``, ``[expr]``) to a computed value."""
        for step in steps:
            if value is UNKNOWN or value is FAILED:
                return value
            if isinstance(step, hx.GetAttr):
                key: Any = step.name
            elif isinstance(step, hx.Index):
                key = self._node(step.key, module, depth)
                if key is UNKNOWN or key is FAILED:
                    return key
            else:
                return UNKNOWN
            value = _index(value, key)
        return value

    def _ref(self, ref: Ref, module: Module, depth: int) -> Any:
        target = target_of(ref)
        if target.kind == "each" and self.each:
            return _descend(self.each.get(target.name, UNKNOWN), target.rest[1:])
        if target.kind == "local":
            local = module.locals.get(target.name)
            value = self.outcome(local.value, module, depth + 1) if local else UNKNOWN
        elif target.kind == "var":  # inline, like locals: three frames a reference step
            name = target.name
            call = None
            if module.path:
                parent = self.tree.module_at(module.path[:-1])
                call = parent.calls.get(module.path[-1]) if parent else None
                if parent is not None and call is not None and name in call.arguments:
                    value = self.outcome(call.arguments[name], parent, depth + 1)
                    return _descend(value, target.rest)
            elif name in self.tree.variable_values:
                return _descend(self.tree.variable_values[name], target.rest)
            variable = module.variables.get(name)
            value = UNKNOWN
            if variable is not None and variable.default is not None:
                value = self.outcome(variable.default, module, depth + 1)
        elif target.kind == "data":
            return self._data(target.address, target.index, target.rest, module, depth)
        elif target.kind == "resource":
            resource = module.resources.get(target.address)
            if resource is not None and self._no_instance(resource, target.index, module):
                return FAILED
            return UNKNOWN
        elif target.kind == "module_output":
            return self._output(target.name, target.output, target.index, target.rest, module)
        else:
            return UNKNOWN
        return _descend(value, target.rest)

    def _no_instance(
        self, owner: Resource | ModuleCall, index: Step | None, module: Module
    ) -> bool:
        """``x[i]`` names an instance that does not exist (count 0, index past the count).

        With no instance at all every index fails, even one not known here
        (``coder_app.chat[count.index]``): Terraform's "Invalid index".
        """
        if index is None or index.kind != "index":
            return False
        count = self.instances(owner, module)
        if count is None:
            return False
        if count == 0:
            return True
        if index.key is UNKNOWN:
            return False
        if owner.for_each is not None:
            collection = self.value(owner.for_each, module)
            if isinstance(collection, dict):
                return index.key not in collection
            return isinstance(collection, list) and index.key not in collection
        return isinstance(index.key, int) and not 0 <= index.key < count

    def _data(
        self, address: str, index: Step | None, rest: tuple[Step, ...], module: Module, depth: int
    ) -> Any:
        resource = module.resources.get(address)
        if resource is None:
            return UNKNOWN
        if self._no_instance(resource, index, module):
            return FAILED
        attribute = rest[0].name if rest and rest[0].kind == "attr" else ""
        if self.scenario is None or not attribute:
            return UNKNOWN
        if resource.type == "coder_parameter":
            if attribute == "value":
                return _descend(self.parameter_value(resource, module), rest[1:])
            if attribute in ("name", "type", "default", "display_name", "mutable", "ephemeral"):
                expr = resource.attributes.get(attribute)
                return _descend(self.outcome(expr, module, depth + 1), rest[1:])
            return UNKNOWN
        if resource.type == "coder_workspace":
            return _descend(self._read("workspace", attribute), rest[1:])
        if resource.type == "coder_task":
            return _descend(self._read("task", attribute), rest[1:])
        return UNKNOWN

    def _output(
        self, name: str, output: str, index: Step | None, rest: tuple[Step, ...], module: Module
    ) -> Any:
        call = module.calls.get(name)
        if call is None or call.module is None:
            return UNKNOWN
        if self._no_instance(call, index, module):
            return FAILED
        if index is None and (call.count is not None or call.for_each is not None):
            return UNKNOWN  # the whole list/map of instances
        declared = call.module.outputs.get(output)
        if declared is None:
            return FAILED if call.module.origin == "hcl" else UNKNOWN
        value = self.outcome(declared.value, call.module, 1)
        return _descend(value, rest)


def _short(source: str | None, limit: int = 60) -> str:
    text = " ".join((source or "").split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _index(value: Any, key: Any) -> Any:
    """``value[key]`` / ``value.key`` on known values: FAILED where Terraform fails."""
    if isinstance(value, dict):
        key = hclfuncs.to_string(key)
        return value.get(key, FAILED)
    if isinstance(value, list):
        number = hclfuncs.to_number(key)
        if number != int(number) or not 0 <= int(number) < len(value):
            return FAILED
        return value[int(number)]
    return FAILED


def _descend(value: Any, steps: tuple[Step, ...]) -> Any:
    """Apply ``.key`` / ``[index]`` steps to a known value."""
    for step in steps:
        if value is UNKNOWN or value is FAILED:
            return value
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
