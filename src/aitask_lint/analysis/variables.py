"""Root-module variable values, loaded as Terraform loads them.

Terraform's order, later wins (``terraform plan`` docs, "Variable Definition
Precedence"): ``TF_VAR_<name>`` from the environment, then
``terraform.tfvars``, ``terraform.tfvars.json``, then ``*.auto.tfvars`` and
``*.auto.tfvars.json`` in lexical order, then ``-var-file`` files in order,
then ``-var NAME=VALUE`` values in order. Files are HCL or JSON; a value
from the environment or the command line is a string for a variable of a
primitive type (or none), and HCL for a list, map or object, as Terraform
reads them. Each value is converted to its variable's ``type``
(``"5"`` -> ``5`` for ``number``).

A file that does not parse, a value that is an expression Terraform refuses
there (references, function calls) or that does not convert is an input
error with its position: the run reports it as AIT001. A value aitask-lint
cannot compute is UNKNOWN: never the default in its place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aitask_lint import coder_text as ct
from aitask_lint.analysis import hclfuncs
from aitask_lint.errors import InputError
from aitask_lint.hcl import expressions as hx
from aitask_lint.model.config import Module, Variable
from aitask_lint.values import UNKNOWN

#: files Terraform loads from the root module's directory without being told
AUTO_FILES = ("terraform.tfvars", "terraform.tfvars.json")
#: a variables file larger than this is refused (they hold a few values)
MAX_VARIABLES_FILE = 4 * 1024 * 1024

_PRIMITIVE = frozenset({None, "string", "number", "bool", "any"})


@dataclass
class VariableInputs:
    """Where variable values come from besides the automatic files (CLI, API, environment)."""

    #: ``--var NAME=VALUE`` / ``variables=``, in order (a configuration file's TOML
    #: values may be numbers, booleans or arrays: taken as they are)
    variables: Mapping[str, Any] = field(default_factory=dict)
    #: ``--var-file`` / ``var_files=``, in order
    var_files: Sequence[str] = ()
    #: where ``TF_VAR_<name>`` come from (None: the process environment)
    environ: Mapping[str, str] | None = None


def automatic_files(directory: str) -> list[str]:
    """``terraform.tfvars(.json)`` and then ``*.auto.tfvars(.json)`` (lexical), as they exist."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    auto = sorted(n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json")))
    present = [n for n in AUTO_FILES if n in names]
    return [os.path.join(directory, name) for name in [*present, *auto]]


def load_values(
    root: Module, directory: str, inputs: VariableInputs, *, refuse_undeclared: bool = False
) -> tuple[dict[str, Any], list[InputError]]:
    """The root module's variable values Terraform would use, and the errors met.

    ``refuse_undeclared``: a command-line value for a variable the root does not
    declare is Terraform's error (``tasks``, one template). ``check`` judges that
    over all the templates it checks (:func:`undeclared_on_command_line`).
    """
    values: dict[str, Any] = {}
    errors: list[InputError] = []
    declared = root.variables
    if refuse_undeclared:
        errors += [
            InputError(directory, ct.UNDECLARED_VARIABLE(name))
            for name in undeclared_on_command_line(inputs.variables, [frozenset(declared)])
        ]
    environ = os.environ if inputs.environ is None else inputs.environ
    for name, variable in declared.items():
        raw = environ.get(f"TF_VAR_{name}")
        if raw is not None:
            value = _from_text(raw, variable, f"TF_VAR_{name}")
            _set(
                values,
                errors,
                variable,
                value,
                directory=directory,
                where=ct.FROM_ENVIRONMENT(name),
            )
    files = automatic_files(directory)
    for path in inputs.var_files:
        if not os.path.isfile(path):
            errors.append(InputError(path, ct.VARIABLES_FILE_MISSING(path)))
            continue
        files.append(path)
    for path in files:
        try:
            entries = _read_file(path)
        except InputError as error:
            errors.append(error)
            continue
        for name, (value, position) in entries.items():
            target = declared.get(name)
            if target is not None:  # Terraform only warns about undeclared ones in files
                _set(values, errors, target, value, directory=directory, where=(path, *position))
    for name, raw in inputs.variables.items():
        target = declared.get(name)
        if target is not None:
            if isinstance(raw, str):  # the command line (a configuration file's are typed)
                value, source = _from_text(raw, target, f"--var {name}"), ct.FROM_COMMAND_LINE(name)
            else:
                value, source = raw, ct.FROM_OUTSIDE()
            _set(values, errors, target, value, directory=directory, where=source)
    return values, errors


def undeclared_on_command_line(
    given: Mapping[str, Any], declared: Sequence[frozenset[str]]
) -> list[str]:
    """Command-line variables (text values) that none of ``declared`` declares.

    A configuration file's typed values are left alone: they are set "from
    outside of the configuration" for every root, not aimed at one.
    """
    known = frozenset().union(*declared)
    return [name for name, raw in given.items() if isinstance(raw, str) and name not in known]


def _set(
    values: dict[str, Any],
    errors: list[InputError],
    variable: Variable,
    value: Any,
    *,
    directory: str,
    where: tuple[str, int, int] | str,
) -> None:
    """Store ``value`` converted, or Terraform's error: ``where`` is the value's position in a
    file, or (for the environment and the command line) the words Terraform names it by."""
    if isinstance(value, InputError):
        errors.append(value)
        return
    try:
        values[variable.name] = convert(value, variable.type)
    except hclfuncs.EvaluationError as error:
        declared = _declaration(variable, directory)
        if isinstance(where, tuple):  # at the value, naming the declaration
            path, line, column = where
            text = ct.UNSUITABLE_FILE_VALUE(variable.name, declared, str(error))
        else:  # no position of its own: at the declaration, as Terraform puts it
            location = variable.location
            path = location.path if location else "<command line>"
            line, column = (location.line, location.column) if location else (1, 1)
            text = ct.UNSUITABLE_OUTSIDE_VALUE(variable.name, where, str(error))
        errors.append(InputError(path, text, line, column))


def _declaration(variable: Variable, directory: str) -> str:
    """Terraform's ``DeclRange`` of a variable as it prints it: ``main.tf:1,1-13``
    (the ``variable "name"`` header, in the file's path from the root directory)."""
    location = variable.location
    if location is None:
        return "<unknown>"
    path = os.path.relpath(location.path, directory) if directory else location.path
    end = location.column + len(f'variable "{variable.name}"')
    return f"{path}:{location.line},{location.column}-{end}"


def convert(value: Any, kind: str | None) -> Any:
    """``value`` converted to a variable's type as Terraform converts it (primitives)."""
    if value is UNKNOWN or value is None:
        return value
    if kind == "number":
        return hclfuncs.to_number(value)
    if kind == "bool":
        return hclfuncs.to_bool(value)
    if kind == "string":
        return hclfuncs.to_string(value)
    return value


def _from_text(raw: str, variable: Variable, origin: str) -> Any:
    """A ``-var`` / ``TF_VAR_`` value: the string itself, or HCL for a complex type."""
    if variable.type in _PRIMITIVE:
        return raw
    from aitask_lint.hcl.parser import parse_hcl

    try:
        parsed = parse_hcl(f"value = {raw}\n", origin)
    except InputError as error:
        return InputError(origin, f"{error.message} (in the value of {origin})")
    attribute = parsed.body.attributes.get("value")
    if attribute is None:
        return InputError(origin, f"the value of {origin} is not an expression")
    return _constant(attribute.expression, origin, None)


def _read_file(path: str) -> dict[str, tuple[Any, tuple[int, int]]]:
    from aitask_lint.hcl.source import decode_source, read_bytes

    raw = read_bytes(path)
    if len(raw) > MAX_VARIABLES_FILE:
        raise InputError(path, f"variables file larger than {MAX_VARIABLES_FILE} bytes")
    text = decode_source(raw, path)
    if path.endswith(".json"):
        from aitask_lint.hcl.jsonsyntax import json_members

        return json_members(text, path)
    from aitask_lint.hcl.parser import parse_hcl

    body = parse_hcl(text, path).body
    if body.blocks:
        block = body.blocks[0]
        raise InputError(
            path,
            f"{ct.UNSUPPORTED_BLOCK_TYPE()}: {ct.BLOCK_TYPE_NOT_EXPECTED(block.type)}",
            block.span.line,
            block.span.column,
        )
    entries: dict[str, tuple[Any, tuple[int, int]]] = {}
    for name, attribute in body.attributes.items():
        span = attribute.expression.span
        value = _constant(attribute.expression, path, (span.line, span.column))
        if isinstance(value, InputError):
            raise value
        entries[name] = (value, (span.line, span.column))
    return entries


def _constant(node: hx.Expression, path: str, position: tuple[int, int] | None) -> Any:
    """A constant expression's value; references and calls are Terraform's errors."""
    line, column = position or (None, None)
    if hx.references(node):
        return InputError(path, ct.VARIABLES_NOT_ALLOWED(), line, column)
    if _calls(node):
        return InputError(path, ct.FUNCTIONS_NOT_ALLOWED(), line, column)
    value = hx.literal_value(node)
    return UNKNOWN if value is hx.UNKNOWN else value


def _calls(node: hx.Expression) -> bool:
    if isinstance(node, hx.FunctionCall):
        return True
    return any(_calls(child) for child in hx.children(node))
