"""Coder's, the coder provider's and Terraform's own words, each written once.

Every message our findings and ConvertState quote, and every pattern Coder
validates with, lives here: ``convert`` raises with these messages, the rules
(``lint/rules/*.py``) embed them in findings, and each rule's ``quotes`` lists
their Go format strings (``tests/test_coder_text.py`` formats every quote and
checks the rule emits it). A message is kept as the Go format string its
source writes (``%q``, ``%s``, ``%d``, ``%v``), so it can be compared with
Coder's code and reference notes verbatim:

* ConvertState: ``../shared/reference/coder-convertstate.md`` ("Validation
  patterns" and "Error messages"), from ``provisioner/terraform/resources.go``
  and ``coderd/wsbuilder``.
* The provider: ``../shared/reference/coder-provider-schema.md``.
* Terraform: ``terraform validate`` / ``plan`` diagnostics (summary and
  detail as Terraform prints them: ``Summary: Detail``).

Kept apart from :mod:`aitask_lint.convert.convert` (and free of imports from
the rest of the package) so that a lint run, which quotes Coder's messages,
does not import the ConvertState machinery and its pydantic models.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# --- Go formatting -----------------------------------------------------------


def go_quote(text: str) -> str:
    """Go's ``%q`` for the strings that appear in Coder's messages."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{escaped}"'


def join_with_conjunction(items: list[str]) -> str:
    """Coder's ``stringutil.JoinWithConjunction`` over ``%q``-quoted items."""
    quoted = [go_quote(item) for item in items]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


_VERB = re.compile(r"%[%qsdv]")


def _go_value(verb: str, value: object) -> str:
    """One ``fmt`` verb applied to a value, for the types Coder's messages use."""
    if verb == "q":
        if isinstance(value, str):
            return go_quote(value)
        if isinstance(value, Sequence):  # Go's %q of a []string: ["a" "b"]
            return "[" + " ".join(go_quote(str(item)) for item in value) + "]"
        return go_quote(str(value))
    return str(value)


def go_sprintf(template: str, *args: object) -> str:
    """Go's ``fmt.Sprintf`` for the verbs Coder's messages use (``%q %s %d %v %%``).

    Raises ValueError when the number of arguments does not match the verbs,
    so a wrong call fails loudly in tests rather than printing ``%!s(MISSING)``.
    """
    values = iter(args)
    used = 0

    def substitute(match: re.Match[str]) -> str:
        nonlocal used
        verb = match.group()[1]
        if verb == "%":
            return "%"
        used += 1
        try:
            return _go_value(verb, next(values))
        except StopIteration:
            raise ValueError(f"too few arguments for {template!r}") from None

    text = _VERB.sub(substitute, template)
    if used != len(args):
        raise ValueError(f"{len(args)} arguments for {used} verbs in {template!r}")
    return text


@dataclass(frozen=True)
class GoMessage:
    """A message as its Go source writes it, and where that is.

    ``text`` is the format string verbatim (what a rule's ``quotes`` lists);
    calling the message formats it as Go's ``fmt.Sprintf`` would.
    """

    text: str
    #: who says it, and where we read it (a reference page of ../shared)
    source: str

    def __call__(self, *args: object) -> str:
        return go_sprintf(self.text, *args)


_CONVERT = "Coder ConvertState (../shared/reference/coder-convertstate.md, Error messages)"
_BUILD = "Coder workspace build (../shared/reference/coder-convertstate.md, AI tasks)"
_PROVIDER = "coder provider (../shared/reference/coder-provider-schema.md)"
_TERRAFORM = "Terraform diagnostics (terraform validate / plan)"
_TERRAFORM_INIT = "Terraform diagnostics (terraform init, installing modules)"

# --- Coder's validation patterns ----------------------------------------------

#: ``AgentNameRegex`` (coder-convertstate.md, Validation patterns), as Coder prints it
AGENT_NAME_REGEX = r"(?i)^[a-z0-9](-?[a-z0-9])*$"
#: ``AppSlugRegex`` (coder-convertstate.md, Validation patterns), as Coder prints it
APP_SLUG_REGEX = r"^[a-z0-9](-?[a-z0-9])*$"

# Go's ``$`` (without ``(?m)``) matches only at the end of the text, Python's
# also before a final newline: applied with fullmatch, "main\n" is refused as
# Coder refuses it.
#
# The group repeats possessively when matching: Python's re keeps backtracking state
# for every repetition of a group, 1.2 GB for a 14 MB slug from a state. Each
# repetition of ``-?[a-z0-9]`` can match in one way only, so giving none back
# accepts exactly the same names (tests/test_plan_bounds.py).
_AGENT_NAME = re.compile(r"(?i)^[a-z0-9](?:-?[a-z0-9])*+$")
_APP_SLUG = re.compile(r"^[a-z0-9](?:-?[a-z0-9])*+$")


def valid_agent_name(name: str) -> bool:
    """Whether Coder's ``AgentNameRegex.MatchString(name)`` holds (Go semantics)."""
    return _AGENT_NAME.fullmatch(name) is not None


def valid_app_slug(slug: str) -> bool:
    """Whether Coder's ``AppSlugRegex.MatchString(slug)`` holds (Go semantics)."""
    return _APP_SLUG.fullmatch(slug) is not None


# --- ConvertState's errors ----------------------------------------------------

DECODE_ATTRIBUTES = GoMessage("decode %s attributes: %v", _CONVERT)
NODE_NOT_ON_GRAPH = GoMessage("couldn't find node on graph: %q", _CONVERT)
UNSUPPORTED_FORM_TYPE = GoMessage(
    "decode form_type for coder_parameter.%s: unsupported form type: %s", _CONVERT
)
EXTERNAL_AUTH_ID_NOT_STRING = GoMessage("external auth id is not a string", _CONVERT)
AGENT_NAME_EMPTY = GoMessage("agent name cannot be empty", _CONVERT)
AGENT_NAME_UNDERSCORES = GoMessage(
    "agent name %q contains underscores which are no longer supported, please use hyphens "
    "instead (regex: %q)",
    _CONVERT,
)
AGENT_NAME_INVALID = GoMessage("agent name %q does not match regex %q", _CONVERT)
DUPLICATE_AGENT_NAME = GoMessage("duplicate agent name: %s", _CONVERT)
APP_SLUG_INVALID = GoMessage("app slug %q does not match regex %q", _CONVERT)
DUPLICATE_APP_SLUG = GoMessage("duplicate app slug, they must be unique per template: %q", _CONVERT)
DUPLICATE_METADATA = GoMessage("duplicate metadata resource: %s", _CONVERT)
DUPLICATE_PARAMETER_NAMES = GoMessage(
    "coder_parameter names must be unique but %s appear%s multiple times", _CONVERT
)
MULTIPLE_DEFAULT_PRESETS = GoMessage(
    "a maximum of 1 coder_workspace_preset can be marked as default, but %d are set", _CONVERT
)


# ConvertState's warnings (logged; the conversion goes on)
APP_ID_EMPTY = GoMessage("coder_app's id was unexpectedly empty", _CONVERT)
PRESET_UNKNOWN_PARAMETER = GoMessage(
    "coder_workspace_preset defines preset values for at least one parameter "
    "that is not defined by the template",
    _CONVERT,
)
PRESET_PREBUILD_BLOCKS = GoMessage(
    "coder_workspace_preset must have exactly one prebuild block", _CONVERT
)


def agent_name_error(name: str) -> str | None:
    """ConvertState's error for an agent name, or None when Coder accepts it."""
    if not name:
        return AGENT_NAME_EMPTY()
    if valid_agent_name(name):
        return None
    if "_" in name:
        return AGENT_NAME_UNDERSCORES(name, AGENT_NAME_REGEX)
    return AGENT_NAME_INVALID(name, AGENT_NAME_REGEX)


def app_slug_error(slug: str) -> str | None:
    """ConvertState's error for an app slug, or None when Coder accepts it."""
    return None if valid_app_slug(slug) else APP_SLUG_INVALID(slug, APP_SLUG_REGEX)


def duplicate_parameter_names(duplicated: list[str]) -> str:
    """ConvertState's error for parameter names used more than once (in that order)."""
    return DUPLICATE_PARAMETER_NAMES(
        join_with_conjunction(duplicated), "s" if len(duplicated) == 1 else ""
    )


# --- the workspace build and template import (AI tasks) -----------------------

NO_AI_TASK = GoMessage('Template does not have a valid "coder_ai_task" resource.', _BUILD)
MULTIPLE_AI_TASKS = GoMessage(
    "only one 'coder_ai_task' resource can be provisioned per template, found %d", _BUILD
)
UNKNOWN_AI_TASK_APP_ID = GoMessage(
    "Unknown ai_task_app_id %q. This workspace will be unable to run AI tasks. This may be "
    "due to a template configuration issue, please check with the template author.",
    _BUILD,
)
AGENT_WITHOUT_COMPUTE = GoMessage(
    "You have associated the coder_agent with at least one other compute resource. Agents "
    "with no other associated resources are not inserted into the database.",
    _BUILD,
)

#: the task's app reference: ``app_id``, else the deprecated ``sidebar_app[0].id``
TASK_APP_ID = "app_id"
TASK_SIDEBAR_APP = "sidebar_app"
TASK_SIDEBAR_APP_ID = "id"


def choose_task_app_id(app_id: str, sidebar_ids: Iterable[str]) -> str:
    """Coder's order for a coder_ai_task's app: ``app_id`` when non-empty, else the
    first ``sidebar_app``'s ``id`` (coder-convertstate.md, AI tasks), else ``""``.

    ``sidebar_ids`` is consumed only when ``app_id`` is empty, so a caller that
    decodes strictly (ConvertState) reads the sidebar's id only when Coder does.
    """
    return app_id or next(iter(sidebar_ids), "")


def task_app_id(values: Mapping[str, object]) -> str:
    """:func:`choose_task_app_id` over a coder_ai_task's plan/state values, leniently:
    values of the wrong type count as unset."""
    app_id = values.get(TASK_APP_ID)
    sidebar = values.get(TASK_SIDEBAR_APP)
    first = sidebar[:1] if isinstance(sidebar, list) else []
    return choose_task_app_id(
        app_id if isinstance(app_id, str) else "",
        (
            candidate if isinstance(candidate, str) else ""
            for block in first
            if isinstance(block, Mapping)
            for candidate in (block.get(TASK_SIDEBAR_APP_ID),)
        ),
    )


# --- the provider --------------------------------------------------------------

APP_ID_MUST_BE_SET = GoMessage("'app_id' must be set", _PROVIDER)
CONFLICTS_WITH = GoMessage('"%s": conflicts with %s', _PROVIDER)
SIDEBAR_APP_DEPRECATED = GoMessage(
    "This field has been deprecated in favor of the `app_id` field.", _PROVIDER
)
NOT_A_UUID = GoMessage("expected %q to be a valid UUID, got %v", _PROVIDER)
NOT_ONE_OF = GoMessage("expected %s to be one of %q, got %s", _PROVIDER)

# --- coder_parameter and coder_workspace_preset ---------------------------------
# The provider's read-time checks and ``ValidateInput`` (parameters-and-presets.md §4,
# provider/parameter.go and formtype.go), preview's and coderd's preset checks (§7.3, §9.2).

_PARAMETERS = (
    "coder provider, provider/parameter.go (../shared/reference/parameters-and-presets.md §4)"
)
_PREVIEW = "coder/preview and coderd (../shared/reference/parameters-and-presets.md §7.3, §9.2)"

IMMUTABLE_AND_EPHEMERAL = GoMessage("parameter can't be immutable and ephemeral", _PARAMETERS)
EPHEMERAL_WITHOUT_DEFAULT = GoMessage(
    "ephemeral parameter requires the default property", _PARAMETERS
)
INVALID_FORM_TYPE = GoMessage("Invalid form_type for parameter", _PARAMETERS)
FORM_TYPE_NOT_SUPPORTED = GoMessage(
    '"form_type" attribute=%q is not supported for "type"=%q%s, choose one of %v', _PARAMETERS
)
OPTION_NAMES_UNIQUE = GoMessage("Option names must be unique.", _PARAMETERS)
OPTION_NAME_REPEATED = GoMessage("multiple options found with the same name %q", _PARAMETERS)
OPTION_VALUES_UNIQUE = GoMessage("Option values must be unique.", _PARAMETERS)
OPTION_VALUE_REPEATED = GoMessage("multiple options found with the same value %q", _PARAMETERS)
OPTION_NOT_OF_TYPE = GoMessage("Option %q with value=%q is not of type %q", _PARAMETERS)
NOT_A_NUMBER = GoMessage("%q is not a number", _PARAMETERS)
NOT_A_BOOL = GoMessage("%q is not a bool", _PARAMETERS)
NOT_A_LIST_OF_STRINGS = GoMessage("value %q is not a valid list of strings", _PARAMETERS)
#: ``%s`` is "Value", or "Default value" when the value came from ``default``
MUST_BE_A_VALID_OPTION = GoMessage("%s must be a valid option%s", _PARAMETERS)
EMPTY_VALUE_HINT = GoMessage(
    ". The value is empty, did you forget to set it with a default or from user input?",
    _PARAMETERS,
)
NOT_ONE_OF_OPTIONS = GoMessage("the value %q must be defined as one of options", _PARAMETERS)
LIST_VALUE_NOT_JSON = GoMessage(
    "When using list(string) type, value must be a json encoded list of strings", _PARAMETERS
)
LIST_VALUES_MUST_BE_OPTIONS = GoMessage("%ss must be a valid option", _PARAMETERS)
LIST_VALUES_MISSING = GoMessage(
    "%s %q is not a valid option, values %q are missing from the options", _PARAMETERS
)
#: ``%s`` is "value", or "default value" when the value came from ``default``
INVALID_BY_VALIDATION = GoMessage(
    "Invalid parameter %s according to 'validation' block", _PARAMETERS
)
MIN_NOT_FOR_TYPE = GoMessage("a min cannot be specified for a %s type", _PARAMETERS)
MAX_NOT_FOR_TYPE = GoMessage("a max cannot be specified for a %s type", _PARAMETERS)
MONOTONIC_NOT_FOR_TYPE = GoMessage(
    "monotonic validation can only be specified for number types, not %s types", _PARAMETERS
)
REGEX_NOT_FOR_TYPE = GoMessage("a regex cannot be specified for a %s type", _PARAMETERS)
REGEX_NEEDS_ERROR = GoMessage("an error must be specified with a regex validation", _PARAMETERS)
REGEX_MISMATCH = GoMessage("%s (value %q does not match %q)", _PARAMETERS)
BOOL_VALUE = GoMessage('boolean value can be either "true" or "false"', _PARAMETERS)
VALUE_NOT_A_NUMBER = GoMessage("value %q is not a number", _PARAMETERS)
LESS_THAN_MINIMUM = GoMessage("value %d is less than the minimum %d", _PARAMETERS)
MORE_THAN_MAXIMUM = GoMessage("value %d is more than the maximum %d", _PARAMETERS)
MONOTONICITY = GoMessage("number monotonicity can be either %q or %q", _PARAMETERS)
NOT_VALID_LIST_OF_STRINGS = GoMessage("value %q is not valid list of strings", _PARAMETERS)
VALUE_NOT_OF_TYPE = GoMessage("Parameter value is not of type %q", _PARAMETERS)
REQUIRED_NOT_PROVIDED = GoMessage("Required parameter not provided", _PREVIEW)
PARAMETER_VALUE_NULL = GoMessage("parameter value is null", _PREVIEW)
UNDEFINED_PARAMETER = GoMessage("Undefined Parameter", _PREVIEW)
PRESET_PARAMETER_UNDEFINED = GoMessage(
    "Preset parameter %q is not defined by the template.", _PREVIEW
)
#: how coderd re-summarises a parameter's diagnostic for a prebuild preset
PARAMETER_PREFIX = GoMessage("Parameter %s: %s", _PREVIEW)
PRESETS_INVALID = GoMessage("Unable to validate presets", _PREVIEW)


def go_list(items: Sequence[str]) -> str:
    """Go's ``%v`` of a ``[]string``: ``[radio dropdown]``."""
    return "[" + " ".join(items) + "]"


# --- Terraform -------------------------------------------------------------------

UNSUPPORTED_ARGUMENT = GoMessage("Unsupported argument", _TERRAFORM)
ARGUMENT_NOT_EXPECTED = GoMessage('An argument named "%s" is not expected here.', _TERRAFORM)
UNSUPPORTED_BLOCK_TYPE = GoMessage("Unsupported block type", _TERRAFORM)
BLOCK_TYPE_NOT_EXPECTED = GoMessage('Blocks of type "%s" are not expected here.', _TERRAFORM)
UNSUPPORTED_ATTRIBUTE = GoMessage("Unsupported attribute", _TERRAFORM)
NO_SUCH_ATTRIBUTE = GoMessage('This object does not have an attribute named "%s".', _TERRAFORM)
NO_SUCH_ARGUMENT_OR_ATTRIBUTE = GoMessage(
    "This object has no argument, nested block, or exported attribute named %q.", _TERRAFORM
)
_HCL = "HashiCorp's HCL parser (terraform fmt, validate, plan)"
MISSING_ATTRIBUTE_SEPARATOR = GoMessage("Missing attribute separator", _HCL)
#: a block whose ``{`` is not on its header's line (``hclsyntax`` parser.go); with no
#: label, the header is a lone name: "Argument or block definition required"
ARGUMENT_OR_BLOCK_REQUIRED = GoMessage("Argument or block definition required", _HCL)
ARGUMENT_OR_BLOCK_REQUIRED_HERE = GoMessage(
    "An argument or block definition is required here. To set an argument, use the equals "
    'sign "=" to introduce the argument value.',
    _HCL,
)
INVALID_BLOCK_DEFINITION = GoMessage("Invalid block definition", _HCL)
BLOCK_BRACE_ON_HEADER_LINE = GoMessage(
    'A block definition must have block content delimited by "{" and "}", starting on the '
    "same line as the block header.",
    _HCL,
)
ATTRIBUTE_SEPARATOR_EXPECTED = GoMessage(
    "Expected a newline or comma to mark the beginning of the next attribute.", _HCL
)
#: what Terraform (and HCL) append to the three above when a declared name is close
#: (Levenshtein distance below 3: ``didyoumean.NameSuggestion``)
DID_YOU_MEAN = GoMessage("Did you mean %q?", _TERRAFORM)
#: HCL's suggestion when an argument names a block type of the schema
DID_YOU_MEAN_BLOCK = GoMessage("Did you mean to define a block of type %q?", _TERRAFORM)
UNCONFIGURABLE_ATTRIBUTE = GoMessage("Value for unconfigurable attribute", _TERRAFORM)
CANNOT_CONFIGURE = GoMessage(
    "Can't configure a value for %q: its value will be decided automatically based on the "
    "result of applying this configuration.",
    _TERRAFORM,
)
INVALID_RESOURCE_TYPE = GoMessage("Invalid resource type", _TERRAFORM)
RESOURCE_TYPE_NOT_SUPPORTED = GoMessage(
    "The provider %s does not support resource type %q.", _TERRAFORM
)
INVALID_DATA_SOURCE = GoMessage("Invalid data source", _TERRAFORM)
#: Terraform's suggestion (after a blank line) when the other block kind has the type
USE_DATA_SOURCE = GoMessage(
    'Did you intend to use the data source %q? If so, declare this using a "data" block '
    'instead of a "resource" block.',
    _TERRAFORM,
)
USE_MANAGED_RESOURCE = GoMessage(
    "Did you intend to use the managed resource type %q? If so, declare this using a "
    '"resource" block instead of a "data" block.',
    _TERRAFORM,
)
DATA_SOURCE_NOT_SUPPORTED = GoMessage(
    "The provider %s does not support data source %q.", _TERRAFORM
)
CYCLE = GoMessage("Cycle: %s", _TERRAFORM)
SELF_REFERENCING_LOCAL = GoMessage("Self-referencing local value", _TERRAFORM)
LOCAL_USES_ITSELF = GoMessage(
    "Local value %s cannot use its own result as part of its expression.", _TERRAFORM
)
#: HCL's ``Index`` (hcl ``ops.go``) on a counted-out resource: ``coder_app.chat[0]`` of zero
INVALID_INDEX_EMPTY = GoMessage(
    "Invalid index: The given key does not identify an element in this collection value: "
    "the collection has no elements.",
    _TERRAFORM,
)
#: variable definitions files (``*.tfvars``) and ``-var`` / ``TF_VAR_`` values
VARIABLES_NOT_ALLOWED = GoMessage(
    "Variables not allowed: Variables may not be used here.", _TERRAFORM
)
FUNCTIONS_NOT_ALLOWED = GoMessage(
    "Function calls not allowed: Functions may not be called here.", _TERRAFORM
)
VARIABLES_FILE_MISSING = GoMessage(
    "Failed to read variables file: Given variables file %s does not exist.", _TERRAFORM
)
#: a variables file's value that does not convert (at the value; %s: the declaration
#: as Terraform prints it, ``main.tf:1,1-13``)
UNSUITABLE_FILE_VALUE = GoMessage(
    "Invalid value for input variable: "
    "The given value is not suitable for var.%s declared at %s: %s.",
    _TERRAFORM,
)
#: the same from the environment or the command line (at the declaration)
UNSUITABLE_OUTSIDE_VALUE = GoMessage(
    "Invalid value for input variable: Unsuitable value for var.%s %s: %s.", _TERRAFORM
)
#: ``-var NAME=VALUE`` for a variable the root module does not declare (Terraform refuses
#: the run; in a file it only warns, and ``TF_VAR_`` ones are ignored)
UNDECLARED_VARIABLE = GoMessage(
    "Value for undeclared variable: A variable named %q was assigned on the command line, "
    "but the root module does not declare a variable of that name. To use this value, "
    'add a "variable" block to the configuration.',
    _TERRAFORM,
)
FROM_COMMAND_LINE = GoMessage('set using -var="%s=..."', _TERRAFORM)
FROM_ENVIRONMENT = GoMessage("set using the TF_VAR_%s environment variable", _TERRAFORM)
FROM_OUTSIDE = GoMessage("set from outside of the configuration", _TERRAFORM)

# --- Terraform: module calls (validate, and init for sources) ----------------------

MISSING_REQUIRED_ARGUMENT = GoMessage("Missing required argument", _TERRAFORM)
ARGUMENT_REQUIRED = GoMessage(
    "The argument %q is required, but no definition was found.", _TERRAFORM
)
UNREADABLE_MODULE_DIRECTORY = GoMessage("Unreadable module directory", _TERRAFORM_INIT)
MODULE_DIRECTORY_NOT_READ = GoMessage(
    "The directory %s could not be read for module %q at %s:%d.", _TERRAFORM_INIT
)


def messages() -> dict[str, GoMessage]:
    """Every message defined here, by constant name (for tests and docs)."""
    return {name: value for name, value in globals().items() if isinstance(value, GoMessage)}
