"""Every user setting of ``check``, declared once.

A setting is one field of :class:`Settings`; its metadata (:class:`Option`)
says how it is written in a configuration file (``key``), on the command
line (``flags``), what ``--help`` says about it, what kind of value it takes
and its default. From that one declaration:

* ``cli.py`` generates the click options of ``check`` (and the shared
  ``--output`` / ``--graph`` of the other commands): :func:`options_of`;
* ``lint/config.py`` validates a configuration file's keys and values by
  ``kind`` (``KEYS``, ``parse_settings``);
* ``session.py`` checks command-line values by ``kind`` and layers the
  command line over the file (:func:`layered`);
* :class:`~aitask_lint.session.CheckRequest` (the command line),
  :class:`~aitask_lint.lint.config.Config` (a file) and
  :class:`~aitask_lint.lint.context.LintOptions` (what rules read) are
  :class:`Settings` plus what only they carry, so a rule reads
  ``context.options.wildcard_access_url`` without anyone copying it across.

Every field defaults to ``None``, which means "not given": the command line
wins over the file, the file over ``Option.default``. Adding a setting is
adding a field here (docs/configuration.md, "Adding a setting").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from aitask_lint.lint.findings import Severity

#: what a setting's value is; the CLI's click type, the file's validation and the
#: command-line check are chosen by it (new kinds: cli._KINDS, config._FILE_KINDS)
Kind = Literal[
    "flag",  # true/false; on the command line a flag that only turns it on
    "rules",  # rule IDs, names or prefixes; repeatable, comma-separated on the command line
    "severities",  # RULE = LEVEL; the command line's entries are added to the file's
    "severity",  # error, warning or info
    "version",  # a version such as 2.34.0
    "format",  # a ``check`` output format name
    "choice",  # one of ``Option.choices``
    "text",  # any string
    "jobs",  # a whole number of at least 1
    "file",  # a file to read
    "directory",  # a directory (in a file: relative to the file's directory)
    "output",  # a file to write
    "files",  # files to read; repeatable (in a file: an array, relative to the file)
    "assignments",  # NAME=VALUE, repeatable; the command line's entries over the file's
    "names",  # names (a preset's), repeatable
    "globs",  # gitignore-style globs relative to the file (configuration only)
    "per-file-ignores",  # glob = [rules] (configuration only)
]

#: kinds whose values are tables layered entry by entry (command line over file)
TABLES = frozenset({"severities", "assignments"})
#: the environment variable that gives ``check --format`` when the option is not given
OUTPUT_FORMAT_ENV = "AITASK_LINT_OUTPUT_FORMAT"
#: every command of the CLI that writes a document
_WRITERS = ("check", "convert", "tasks", "graph", "rules")


@dataclass(frozen=True)
class Option:
    """How one setting is written and explained (a :class:`Settings` field's metadata)."""

    kind: Kind
    help: str
    #: the key in ``[tool.aitask-lint]`` / ``.aitask-lint.toml``; ``None``: command line only
    key: str | None = None
    #: the command-line spellings, long first; empty: configuration file only
    flags: tuple[str, ...] = ()
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    envvar: str | None = None
    #: the value when neither the command line nor the file gives one (shown in --help)
    default: Any = None
    #: the commands that take the flag
    commands: tuple[str, ...] = ("check",)
    #: how command-line errors name the option (default: its first flag)
    label: str | None = None

    @property
    def flag(self) -> str:
        """The name command-line errors use."""
        return self.label or (self.flags[0] if self.flags else repr(self.key))


def setting(kind: Kind, help: str, **how: Any) -> Any:
    """A :class:`Settings` field: ``None`` by default, its :class:`Option` in the metadata."""
    return field(default=None, metadata={"option": Option(kind, help, **how)})


@dataclass(kw_only=True)
class Settings:
    """The user's settings for one ``check`` run, each ``None`` when not given.

    The field order is the order of ``check --help`` and of validation.
    """

    output_format: str | None = setting(
        "format",
        "Output format [default: the configuration's output-format, else text]. "
        "text: full on a terminal, concise otherwise; full: each finding with its source "
        "lines and where to read the rule; concise: one line per finding.",
        key="output-format",
        flags=("--format", "--output-format"),
        envvar=OUTPUT_FORMAT_ENV,
        default="text",
    )
    output: str | None = setting(
        "output",
        "Write to FILE instead of standard output.",
        flags=("--output", "-o"),
        metavar="FILE",
        commands=_WRITERS,
    )
    color: str | None = setting(
        "choice",
        "Colour the text report: auto = on a terminal, unless NO_COLOR is set "
        "(FORCE_COLOR forces it).",
        flags=("--color",),
        choices=("auto", "always", "never"),
        default="auto",
    )
    quiet: bool | None = setting(
        "flag", "Print the findings only, no summary line.", flags=("--quiet", "-q")
    )
    statistics: bool | None = setting(
        "flag",
        "Print how many findings each rule has instead of the findings (text and json).",
        flags=("--statistics",),
    )
    exit_zero: bool | None = setting(
        "flag",
        "Exit 0 even when findings reach --fail-on (unusable input still exits 2).",
        flags=("--exit-zero",),
    )
    select: list[str] | None = setting(
        "rules",
        "Only these rules (IDs, names, prefixes like AIT2).",
        key="select",
        flags=("--select",),
        metavar="RULES",
        label="--select/--ignore",
    )
    ignore: list[str] | None = setting(
        "rules",
        "Skip these rules (IDs, names, prefixes).",
        key="ignore",
        flags=("--ignore",),
        metavar="RULES",
        label="--select/--ignore",
    )
    severity: dict[str, Severity] | None = setting(
        "severities",
        "Override a rule's severity, e.g. AIT203=error.",
        key="severity",
        flags=("--severity",),
        metavar="RULE=LEVEL",
    )
    exclude: list[str] | None = setting(
        "globs", "Paths not linted (gitignore globs, relative to the file).", key="exclude"
    )
    per_file_ignores: list[tuple[str, list[str]]] | None = setting(
        "per-file-ignores",
        "Rules not reported in the files a glob matches (glob = [rules]).",
        key="per-file-ignores",
    )
    fail_on: Severity | None = setting(
        "severity",
        "Exit 1 at this severity or above [error].",
        key="fail-on",
        flags=("--fail-on",),
        default="error",
    )
    require_ai_task: bool | None = setting(
        "flag",
        "Every template must declare a coder_ai_task.",
        key="require-ai-task",
        flags=("--require-ai-task",),
        default=False,
    )
    coder_version: str | None = setting(
        "version",
        "Target Coder version (e.g. 2.34.0).",
        key="coder-version",
        flags=("--coder-version",),
    )
    provider_version: str | None = setting(
        "version",
        "Target coder/coder provider version.",
        key="provider-version",
        flags=("--provider-version",),
    )
    wildcard_access_url: bool | None = setting(
        "flag",
        "The deployment has a wildcard access URL.",
        key="wildcard-access-url",
        flags=("--wildcard-access-url",),
        default=False,
    )
    variables: dict[str, Any] | None = setting(
        "assignments",
        "Set a Terraform variable, as terraform -var (repeatable; over TF_VAR_ and tfvars files).",
        key="variables",
        flags=("--var",),
        metavar="NAME=VALUE",
        commands=("check", "tasks", "graph"),
    )
    var_files: list[str] | None = setting(
        "files",
        "Load variable values from a .tfvars(.json) file, as terraform -var-file "
        "(repeatable; after terraform.tfvars and *.auto.tfvars).",
        key="var-files",
        flags=("--var-file",),
        metavar="FILE",
        commands=("check", "tasks", "graph"),
    )
    presets: list[str] | None = setting(
        "names",
        "Evaluate only under this preset (repeatable; plus the import scenario).",
        key="presets",
        flags=("--preset",),
        metavar="NAME",
    )
    parameters: dict[str, Any] | None = setting(
        "assignments",
        "A coder_parameter value for every scenario, as a user would enter it (repeatable).",
        key="parameters",
        flags=("--parameter",),
        metavar="NAME=VALUE",
        commands=("check", "tasks"),
    )
    scenario: str | None = setting(
        "choice",
        "Which scenarios to evaluate values under (docs/scenarios.md).",
        key="scenario",
        flags=("--scenario",),
        choices=("import", "presets", "task", "all"),
        default="all",
    )
    graph: str | None = setting(
        "file",
        "DOT from `terraform graph -type=plan` for plan/state input; derived from the "
        "document when omitted.",
        flags=("--graph",),
        commands=("check", "convert", "graph"),
    )
    recursive: bool | None = setting(
        "flag",
        "Lint every root module below PATH (modules a root calls are part of it); "
        "a .tf FILE stands for the roots that contain or call it.",
        flags=("--recursive", "-r"),
        default=False,
    )
    config_path: str | None = setting(
        "file",
        "Configuration file (default: found by walking up from PATH).",
        flags=("--config",),
    )
    project_root: str | None = setting(
        "directory",
        "Read modules only inside this directory [the enclosing git repository].",
        key="project-root",
        flags=("--project-root",),
    )
    baseline: str | None = setting(
        "file", "Report only findings not recorded in this baseline.", flags=("--baseline",)
    )
    write_baseline: str | None = setting(
        "output", "Record the findings of this run as a baseline.", flags=("--write-baseline",)
    )
    jobs: int | None = setting(
        "jobs", "Worker processes for parsing many files [one per CPU].", flags=("--jobs", "-j")
    )
    no_cache: bool | None = setting(
        "flag",
        "Neither read nor write the parse cache (in the user cache directory).",
        flags=("--no-cache",),
        default=False,
    )
    fix: bool | None = setting(
        "flag",
        "Apply the safe fixes in place (findings marked [*]); the report shows what remains.",
        key="fix",
        flags=("--fix",),
        default=False,
    )
    unsafe_fixes: bool | None = setting(
        "flag",
        "Apply (with --fix or --diff) the fixes that change behaviour too.",
        key="unsafe-fixes",
        flags=("--unsafe-fixes",),
        default=False,
    )
    diff: bool | None = setting(
        "flag",
        "Print a unified diff of what --fix would change and write nothing "
        "(exit 1 when there is a diff).",
        flags=("--diff",),
        default=False,
    )
    show_fixes: bool | None = setting(
        "flag", "With --fix, list the fixes applied.", flags=("--show-fixes",), default=False
    )
    fixable: list[str] | None = setting(
        "rules", "Only these rules' fixes are applied [every rule's].", key="fixable"
    )
    unfixable: list[str] | None = setting(
        "rules", "These rules' fixes are never applied.", key="unfixable"
    )
    sarif_automation_id: str | None = setting(
        "text",
        "SARIF automationDetails.id, e.g. templates/a/ per job of a matrix [aitask-lint/].",
        flags=("--sarif-automation-id",),
        metavar="ID",
    )


def options() -> Iterator[tuple[str, Option]]:
    """Every setting as (field name, option), in declaration order."""
    for each in fields(Settings):
        yield each.name, each.metadata["option"]


def options_of(command: str) -> Iterator[tuple[str, Option]]:
    """The settings ``command`` takes on the command line."""
    return (
        (name, option) for name, option in options() if option.flags and command in option.commands
    )


def file_options() -> Iterator[tuple[str, Option]]:
    """The settings a configuration file may give, by key."""
    return ((name, option) for name, option in options() if option.key is not None)


def given(settings: Settings) -> dict[str, Any]:
    """The settings' values by field name (``None``: not given)."""
    return {name: getattr(settings, name) for name, _option in options()}


def layered(*sources: Settings) -> dict[str, Any]:
    """Each setting from the first source that gives it, else its default.

    Tables (:data:`TABLES`) are layered entry by entry (a later source's
    entries are overridden by an earlier one's): ``--severity AIT203=error``
    changes one rule of the file's table, not the whole table.
    """
    values: dict[str, Any] = {}
    for name, option in options():
        found = [getattr(source, name) for source in sources]
        if option.kind in TABLES:
            merged: dict[str, Any] = {}
            for entries in reversed(found):
                merged.update(entries or {})
            values[name] = merged
            continue
        values[name] = next((value for value in found if value is not None), option.default)
    return values
