"""The coder provider's checks of a ``coder_parameter``, in the provider's order and words.

``provider/parameter.go`` (parameters-and-presets.md §4) checks, at every plan:
the schema's enums for ``type`` and ``form_type`` (``StringInSlice``, before
the parameter is read), the read-time rules (immutable and ephemeral, ephemeral without default),
``ValidateFormType``, ``ValidOptions`` (unique names and values, each value
of the option type), then the value: option membership, the ``validation``
block, the type. The first failure is the only diagnostic. Here the checks
are split in two, as the rules report them: :func:`definition_errors` is what
fails whatever the value (AIT601), :func:`value_errors` what a given value
fails (AIT602 for the default at import, AIT603 for a preset's value).

Anything not known statically (an UNKNOWN type, option or bound) makes the
check say nothing rather than guess.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aitask_lint import coder_text as ct
from aitask_lint.analysis.parameters import Parameter, Validation
from aitask_lint.model.config import Location
from aitask_lint.values import UNKNOWN

if TYPE_CHECKING:
    from aitask_lint.analysis.parameter_scope import ParameterScope

#: ``formTypeTruthTable`` of provider/formtype.go: type -> options exist -> allowed (default first)
FORM_TYPES: dict[str, dict[bool, tuple[str, ...]]] = {
    "string": {True: ("radio", "dropdown"), False: ("input", "textarea")},
    "number": {True: ("radio", "dropdown"), False: ("input", "slider")},
    "bool": {True: ("radio", "dropdown"), False: ("checkbox", "switch")},
    "list(string)": {True: ("radio", "multi-select"), False: ("tag-select",)},
}
#: ``OptionTypes()`` and ``ParameterFormTypes()``: the schema's ``StringInSlice`` for
#: ``type`` and ``form_type``, checked before the provider reads the parameter
OPTION_TYPES = ("string", "number", "bool", "list(string)")
FORM_TYPE_NAMES = (
    "radio",
    "slider",
    "input",
    "dropdown",
    "checkbox",
    "switch",
    "multi-select",
    "tag-select",
    "textarea",
    "error",
)
#: a value longer than this is not matched against a template's regex (Python's
#: backtracking engine, unlike Go's RE2, can take exponential time on some patterns)
MAX_REGEX_INPUT = 4096
#: a group that repeats and contains a repetition, ``(a+)+``: exponential in Python's re
_NESTED_QUANTIFIER = re.compile(r"\([^()]*[+*}][^()]*\)\s*[+*{]")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One provider diagnostic: summary and detail, where it points."""

    summary: str
    detail: str = ""
    location: Location | None = None

    def text(self, separator: str = ": ") -> str:
        """As Terraform prints it (``summary: detail``), or coderd (``summary; detail``).

        A summary that ends a sentence (with a full stop) is
        followed by the detail after a space.
        """
        if not self.detail:
            return self.summary
        return f"{self.summary}{' ' if self.summary.endswith('.') else separator}{self.detail}"


def _known(*values: Any) -> bool:
    return all(value is not UNKNOWN for value in values)


def option_type(parameter: Parameter) -> str | None:
    """The type option values are checked against (multi-select options are strings)."""
    if parameter.type == "list(string)" and parameter.form_type == "multi-select":
        return "string"
    return parameter.type if isinstance(parameter.type, str) else None


def definition_errors(parameter: Parameter) -> list[Diagnostic]:
    """What the provider rejects whatever the value: the first failing check, or nothing."""
    schema = _schema_error(parameter)
    if schema is not None:
        return [schema]
    if parameter.mutable is False and parameter.ephemeral is True:
        return [Diagnostic(ct.IMMUTABLE_AND_EPHEMERAL(), location=parameter.where("ephemeral"))]
    if parameter.ephemeral is True and parameter.default is None:
        return [Diagnostic(ct.EPHEMERAL_WITHOUT_DEFAULT(), location=parameter.where("ephemeral"))]
    form = _form_type_error(parameter)
    if form is not None:
        return [form]
    options = _option_errors(parameter)
    if options:
        return options
    for validation in parameter.validations[:1]:
        error = _validation_shape_error(parameter.type, validation)
        if error is not None:
            return [
                Diagnostic(
                    ct.INVALID_BY_VALIDATION(_wording(parameter, from_default=True).lower()),
                    error,
                    validation.location,
                )
            ]
    return []


def _schema_error(parameter: Parameter) -> Diagnostic | None:
    """The schema's enum checks of ``type`` and ``form_type`` (Terraform's validation)."""
    for attribute, allowed in (("type", OPTION_TYPES), ("form_type", FORM_TYPE_NAMES)):
        value = getattr(parameter, attribute)
        if attribute not in parameter.resource.attributes or not isinstance(value, str):
            continue
        if value not in allowed:
            message = ct.NOT_ONE_OF(attribute, list(allowed), value)
            return Diagnostic(message, location=parameter.where(attribute))
    return None


def _form_type_error(parameter: Parameter) -> Diagnostic | None:
    kind, form = parameter.type, parameter.form_type
    if not _known(kind, form) or not all(_known(o.value) for o in parameter.options):
        return None
    exist = bool(parameter.options)
    allowed = FORM_TYPES.get(kind, {}).get(exist) if isinstance(kind, str) else None
    if not allowed:
        return None  # an unknown type: the schema check says it
    chosen = form or allowed[0]
    if chosen in allowed:
        return None
    opposite = FORM_TYPES[kind].get(not exist, ())
    hint = ""
    if chosen in opposite:
        hint = " when options exist" if exist else " when options do not exist"
    detail = ct.FORM_TYPE_NOT_SUPPORTED(chosen, kind, hint, ct.go_list(allowed))
    return Diagnostic(ct.INVALID_FORM_TYPE(), detail, parameter.where("form_type"))


def _option_errors(parameter: Parameter) -> list[Diagnostic]:
    """``ValidOptions``: a repeated name or value stops at once; type errors are collected."""
    kind = option_type(parameter)
    names: set[str] = set()
    values: set[str] = set()
    errors: list[Diagnostic] = []
    for option in parameter.options:
        if not isinstance(option.name, str) or not isinstance(option.value, str):
            return []  # not known statically: no judgement
        if option.name in names:
            detail = ct.OPTION_NAME_REPEATED(option.name)
            return [Diagnostic(ct.OPTION_NAMES_UNIQUE(), detail, option.location)]
        if option.value in values:
            detail = ct.OPTION_VALUE_REPEATED(option.value)
            return [Diagnostic(ct.OPTION_VALUES_UNIQUE(), detail, option.location)]
        type_error = type_error_of(kind, option.value) if kind else None
        if type_error is not None:
            summary = ct.OPTION_NOT_OF_TYPE(option.name, option.value, kind)
            errors.append(Diagnostic(summary, type_error, option.location))
            continue
        names.add(option.name)
        values.add(option.value)
    return errors


def _validation_shape_error(kind: Any, validation: Validation) -> str | None:
    """``Validation.Valid``'s checks that do not depend on the value."""
    if not _known(kind, validation.min, validation.max, validation.monotonic, validation.regex):
        return None
    if kind != "number":
        if validation.min is not None:
            return ct.MIN_NOT_FOR_TYPE(kind)
        if validation.max is not None:
            return ct.MAX_NOT_FOR_TYPE(kind)
        if validation.monotonic:
            return ct.MONOTONIC_NOT_FOR_TYPE(kind)
    if kind != "string" and validation.regex:
        return ct.REGEX_NOT_FOR_TYPE(kind)
    if kind == "string" and validation.regex and not validation.error and _known(validation.error):
        return ct.REGEX_NEEDS_ERROR()
    if kind == "number" and validation.monotonic not in ("", "increasing", "decreasing"):
        return ct.MONOTONICITY("increasing", "decreasing")
    return None


def _wording(parameter: Parameter, *, from_default: bool) -> str:
    """``Default value`` when the value came from ``default``, else ``Value``."""
    return "Default value" if from_default and parameter.default is not None else "Value"


def type_error_of(kind: str, value: str) -> str | None:
    """``valueIsType``: the detail when ``value`` does not parse as ``kind``."""
    if kind == "number" and _go_parse_float(value) is None:
        return ct.NOT_A_NUMBER(value)
    if kind == "bool" and value not in _GO_BOOLS:
        return ct.NOT_A_BOOL(value)
    if kind == "list(string)" and _string_list(value) is None:
        return ct.NOT_A_LIST_OF_STRINGS(value)
    return None


#: what Go's strconv.ParseBool accepts
_GO_BOOLS = frozenset(
    {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}
)
_GO_FLOAT = re.compile(
    r"[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d+)?|\d+\.|inf(?:inity)?|nan)",
    re.IGNORECASE,
)
_GO_INT = re.compile(r"[+-]?\d+")


def _go_parse_float(value: str) -> float | None:
    """strconv.ParseFloat(value, 64), near enough: decimal forms, inf and nan."""
    if _GO_FLOAT.fullmatch(value) is None:
        return None
    try:
        return float(value.replace("_", ""))
    except ValueError:
        return None


def _go_atoi(value: str) -> int | None:
    """strconv.Atoi: an optional sign and decimal digits, within int64."""
    if _GO_INT.fullmatch(value) is None:
        return None
    number = int(value)
    return number if -(2**63) <= number < 2**63 else None


def _string_list(value: str) -> list[str] | None:
    """``json.Unmarshal`` into ``[]string`` (``null`` is an empty list in Go)."""
    try:
        decoded = json.loads(value)
    except ValueError:
        return None
    if decoded is None:
        return []
    if isinstance(decoded, list) and all(isinstance(item, str) for item in decoded):
        return decoded
    return None


def value_errors(parameter: Parameter, value: str, *, from_default: bool) -> list[Diagnostic]:
    """``validValue`` then ``valueIsType`` for one value, the first failure only.

    ``from_default`` picks the provider's wording (``Default value`` at import).
    Assumes :func:`definition_errors` found nothing (the provider stops there).
    """
    kind = parameter.type
    if not isinstance(kind, str) or kind not in OPTION_TYPES:
        return []
    name = _wording(parameter, from_default=from_default)
    where = parameter.where("default") if from_default else None
    membership = _option_membership(parameter, value, name, where)
    if membership is not None:
        return [membership]
    for validation in parameter.validations[:1]:
        error = _validate(kind, validation, value)
        if error is not None:
            return [Diagnostic(ct.INVALID_BY_VALIDATION(name.lower()), error, where)]
    type_error = type_error_of(kind, value)
    if type_error is not None:
        return [Diagnostic(ct.VALUE_NOT_OF_TYPE(kind), type_error, where)]
    return []


#: a given parameter value the template's parameter takes (else: the provider's refusal)
TAKEN = ""


def given_values(scope: ParameterScope, given: Mapping[str, str]) -> dict[str, str] | None:
    """Each given parameter (``--parameter``) the template declares: TAKEN or the refusal.

    Read at import, as coderd validates a build's values against the
    parameters of the template version. A name the template does not declare
    is left out; None when some parameter's name is not known (it might be
    any). A parameter declared twice (in two modules) takes the value if
    either does, and one whose definition is broken takes anything (that is
    AIT601's to report).
    """
    parameters = [s.parameter for s in scope.parameters()]
    if any(parameter.name is UNKNOWN for parameter in parameters):
        return None
    verdicts: dict[str, str] = {}
    for name, value in given.items():
        declared = [p for p in parameters if p.name == name]
        if not declared:
            continue
        refusals = [
            found[0].text("; ")
            for p in declared
            if not definition_errors(p)
            for found in [value_errors(p, value, from_default=False)]
            if found
        ]
        verdicts[name] = refusals[0] if len(refusals) == len(declared) else TAKEN
    return verdicts


def first_refused(
    given: Mapping[str, str], verdicts: Sequence[Mapping[str, str]]
) -> tuple[str, str, str | None] | None:
    """The first given parameter that no template (``given_values`` each) takes.

    ``(name, value, refusal)``: the provider's refusal, or None when no
    template declares the name at all. None when every one is taken.
    """
    for name, value in given.items():
        said = [verdict[name] for verdict in verdicts if name in verdict]
        if TAKEN not in said:
            return name, value, said[0] if said else None
    return None


def _option_membership(
    parameter: Parameter, value: str, name: str, where: Location | None
) -> Diagnostic | None:
    option_values = [o.value for o in parameter.options]
    if not option_values or not all(isinstance(v, str) for v in option_values):
        return None
    if parameter.type == "list(string)" and option_type(parameter) == "string":
        items = _string_list(value)
        if items is None:
            return Diagnostic(ct.LIST_VALUE_NOT_JSON(), ct.NOT_A_LIST_OF_STRINGS(value), where)
        missing = [item for item in items if item not in option_values]
        if missing:
            detail = ct.LIST_VALUES_MISSING(name, value, ", ".join(missing))
            return Diagnostic(ct.LIST_VALUES_MUST_BE_OPTIONS(name), detail, where)
        return None
    if value in option_values:
        return None
    hint = ct.EMPTY_VALUE_HINT() if value == "" else ""
    return Diagnostic(ct.MUST_BE_A_VALID_OPTION(name, hint), ct.NOT_ONE_OF_OPTIONS(value), where)


def _validate(kind: str, validation: Validation, value: str) -> str | None:
    """``Validation.Valid`` for a value (its shape already checked), the error text or None."""
    if kind == "bool":
        return None if value in ("true", "false") else ct.BOOL_VALUE()
    if kind == "string":
        return _regex_error(validation, value)
    if kind == "number":
        return _number_error(validation, value)
    if kind == "list(string)" and _string_list(value) is None:
        return ct.NOT_VALID_LIST_OF_STRINGS(value)
    return None


def _regex_error(validation: Validation, value: str) -> str | None:
    pattern, error = validation.regex, validation.error
    if not pattern or not isinstance(pattern, str) or not isinstance(error, str):
        return None
    if len(value) > MAX_REGEX_INPUT or _NESTED_QUANTIFIER.search(pattern):
        return None  # not matched (see MAX_REGEX_INPUT): no judgement
    try:
        compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None  # Go's RE2 syntax differs from Python's; the provider's text is Go's own
    if compiled.search(value) is not None:
        return None
    return ct.REGEX_MISMATCH(error, value, pattern)


def _number_error(validation: Validation, value: str) -> str | None:
    low, high = validation.min, validation.max
    if (low is not None and not isinstance(low, int)) or (
        high is not None and not isinstance(high, int)
    ):
        return None
    number = _go_atoi(value)
    rendered = _rendered_error(validation, value)
    if number is None:
        return rendered or ct.VALUE_NOT_A_NUMBER(value)
    if low is not None and number < low:
        return rendered or ct.LESS_THAN_MINIMUM(number, low)
    if high is not None and number > high:
        return rendered or ct.MORE_THAN_MAXIMUM(number, high)
    return None


def _rendered_error(validation: Validation, value: str) -> str | None:
    """A custom ``error`` with ``{min}``, ``{max}`` and ``{value}`` replaced (Go's zero: 0)."""
    error = validation.error
    if not isinstance(error, str) or not error:
        return None
    low = validation.min if isinstance(validation.min, int) else 0
    high = validation.max if isinstance(validation.max, int) else 0
    replacements = {"{min}": str(low), "{max}": str(high), "{value}": value}
    return re.sub(r"\{min\}|\{max\}|\{value\}", lambda m: replacements[m.group()], error)
