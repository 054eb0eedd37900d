"""Run the rule catalog over inputs and build the report.

For each input: load it (HCL directory or file, plan or state JSON), build
one :class:`LintContext`, run every selected rule that works in a mode the
input has (static rules need a configuration, value rules need plan/state
values), turn each problem into a finding with the configured severity and
an exact location, and sort. An input that cannot be loaded becomes an
AIT001 finding, never a silent skip.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from aitask_lint._version import __version__
from aitask_lint.errors import (
    InputError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
)
from aitask_lint.lint.context import LintContext, LintOptions
from aitask_lint.lint.findings import (
    Finding,
    FindingLocation,
    Report,
    Severity,
    Summary,
    Tool,
    UnusedSuppression,
    given_path,
)
from aitask_lint.lint.folding import fold_root_causes
from aitask_lint.lint.given import (
    TemplateVerdict,
    asks_of_templates,
    refuse_what_no_template_takes,
    template_verdict,
)
from aitask_lint.lint.registry import all_rules, matches
from aitask_lint.lint.rule import Problem, Rule
from aitask_lint.model.config import ConfigTree, Location

if TYPE_CHECKING:
    from aitask_lint.lint.config import GlobMatcher
    from aitask_lint.tfjson.loader import TerraformDocument


@lru_cache(maxsize=64)
def _chosen_rules(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[Rule, ...]:
    """The rules a selection runs; asked once per root, computed once per run."""
    return tuple(
        rule
        for rule in all_rules()
        if (not select or any(matches(rule, key) for key in select))
        and not any(matches(rule, key) for key in ignore)
    )


@dataclass
class Selection:
    """Which rules run and at what severity (from the CLI and configuration).

    Validated on construction: a library caller passing ``select="AIT1"``
    (a string, not a list), an unknown rule or severity gets a typed error
    instead of a selection that silently means something else.
    ``per_file_ignores`` maps gitignore-style globs, relative to
    ``per_file_base`` (the configuration file's directory), to rules that
    are not reported in the files they match.
    """

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severities: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: list[tuple[str, list[str]]] = field(default_factory=list)
    per_file_base: str | None = None
    _ignored_in: dict[str, tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _matchers: list[GlobMatcher] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self.select = _rule_keys(self.select, "select")
        self.ignore = _rule_keys(self.ignore, "ignore")
        if not isinstance(self.severities, Mapping):
            raise InvalidArgumentTypeError(
                f"Selection(severities=...) must be a mapping of rule to severity, "
                f"not {type(self.severities).__name__}"
            )
        for key, level in self.severities.items():
            _rule_keys([key], "severities")
            if level not in ("error", "warning", "info"):
                raise InvalidArgumentError(
                    f"Selection(severities=...): {key!r} must map to error, warning or info, "
                    f"not {level!r}"
                )
        if isinstance(self.per_file_ignores, str | bytes) or not all(
            isinstance(entry, tuple | list) and len(entry) == 2 and isinstance(entry[0], str)
            for entry in self.per_file_ignores
        ):
            raise InvalidArgumentTypeError(
                "Selection(per_file_ignores=...) must be a list of (glob, [rules]) pairs"
            )
        self.per_file_ignores = [
            (_glob(glob), _rule_keys(rules, "per_file_ignores"))
            for glob, rules in self.per_file_ignores
        ]

    def rules(self) -> list[Rule]:
        return list(_chosen_rules(tuple(self.select), tuple(self.ignore)))

    def severity(self, rule: Rule, proposed: Severity | None) -> Severity:
        for key, severity in self.severities.items():
            if matches(rule, key):
                return severity
        return proposed or rule.severity

    def ignored_in(self, rule: Rule, path: str) -> bool:
        """Whether ``per_file_ignores`` silences ``rule`` in the file ``path``."""
        if not self.per_file_ignores:
            return False
        keys = self._ignored_in.get(path)
        if keys is None:
            keys = self._ignored_in[path] = self._keys_for(path)
        return any(matches(rule, key) for key in keys)

    def _keys_for(self, path: str) -> tuple[str, ...]:
        from aitask_lint.lint.config import GlobMatcher, relative_to

        relative = relative_to(path, self.per_file_base or os.getcwd())
        if relative is None:
            return ()
        if len(self._matchers) != len(self.per_file_ignores):
            self._matchers = [GlobMatcher([glob]) for glob, _rules in self.per_file_ignores]
        keys: list[str] = []
        for matcher, (_glob, rules) in zip(self._matchers, self.per_file_ignores, strict=True):
            if matcher.match(relative):
                keys.extend(rules)
        return tuple(keys)


def _glob(glob: str) -> str:
    """A per-file-ignores glob, held to the configuration's bounds on matching time."""
    from aitask_lint.lint.config import check_glob

    try:
        check_glob(glob, "<argument>", "per_file_ignores")
    except InputError as error:
        raise InvalidArgumentError(f"Selection({error.message})") from None
    return glob


def _rule_keys(value: object, argument: str) -> list[str]:
    """A list of rule IDs, ID prefixes or names, each naming at least one rule."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidArgumentTypeError(
            f"Selection({argument}=...) must be a list of rule IDs or names, "
            f"not {type(value).__name__} (write [{value!r}] for one rule)"
        )
    keys = list(value)
    for key in keys:
        if not isinstance(key, str):
            raise InvalidArgumentTypeError(
                f"Selection({argument}=...): {key!r} is not a rule ID or name"
            )
        if not any(matches(rule, key) for rule in all_rules()):
            raise InvalidArgumentError(
                f"Selection({argument}=...): unknown rule {key!r} (see `aitask-lint rules`)"
            )
    return keys


@dataclass
class LintResult:
    """The findings of one input and how many files it read."""

    findings: list[Finding]
    files: int
    unusable: bool = False
    unused: list[UnusedSuppression] = field(default_factory=list)
    #: the files read (real paths), so a run counts a file shared by roots once
    read: frozenset[str] = frozenset()
    #: what the template makes of the run's ``--preset``/``--var``/``--parameter``
    #: (None: not a template, or none given)
    given: TemplateVerdict | None = None


def load_for_lint(
    path: str, project_root: str | None = None
) -> tuple[ConfigTree | None, TerraformDocument | None, list[InputError], int]:
    """Load an input for linting: (configuration, values document, errors, files read).

    ``project_root`` bounds what an HCL input may read (see ``load_configuration``).
    ``files read`` counts a module's files once per call of it; :func:`lint`
    counts distinct files (:func:`files_of`).
    """
    from aitask_lint.inputs import is_hcl_path
    from aitask_lint.tfjson.loader import load_terraform_json

    if path != "-" and is_hcl_path(path):
        from aitask_lint.model.from_hcl import load_configuration

        try:
            configuration = load_configuration(path, project_root=project_root)
        except InputError as error:
            return None, None, [error], 0
        # files, not file loads: a directory several module calls load counts once
        files = len({file for module in configuration.modules() for file in module.files})
        return configuration, None, list(configuration.errors), files
    try:
        document = load_terraform_json(path) if path != "-" else _stdin_document()
    except InputError as error:
        return None, None, [error], 1
    if document.configuration is None:
        return None, document, [], 1
    from aitask_lint.model.from_plan import load_plan_configuration

    return load_plan_configuration(document.configuration, document.path), document, [], 1


def _stdin_document() -> TerraformDocument:
    from aitask_lint.tfjson.loader import load_terraform_json, read_stdin

    return load_terraform_json(read_stdin(), name="<stdin>")


def _finding_location(
    location: Location | None, context: LintContext, fallback: str
) -> FindingLocation:
    if location is None:
        return FindingLocation(path=given_path(fallback), line=1, column=1)
    if location.pointer is not None and not location.line and context.document is not None:
        position = context.document.position(location.pointer)
        if position is not None:
            location.line, location.column = position
    return FindingLocation(
        path=given_path(location.path),
        line=max(location.line, 1),
        column=max(location.column, 1),
        end_line=location.end_line or None,
        end_column=location.end_column or None,
        pointer=location.pointer,
    )


def parse_error_finding(error: InputError, selection: Selection) -> Finding:
    from aitask_lint.lint.registry import rule_by_key

    rule = rule_by_key("AIT001")
    assert rule is not None
    return Finding(
        rule=rule.id,
        name=rule.name,
        severity=selection.severity(rule, None),
        message=error.message,
        address=None,
        location=FindingLocation(
            path=given_path(error.path),
            line=error.line or 1,
            column=error.column or 1,
            pointer=error.pointer,
        ),
    )


def lint_one(path: str, options: LintOptions, selection: Selection) -> LintResult:
    """Lint one input (a root directory, a .tf file, or plan/state JSON)."""
    tree, document, errors, files = load_for_lint(path, project_root_of(path, options))
    if tree is not None and document is None and tree.origin == "hcl":
        errors = [*errors, *_load_variables(tree, path, options)]
    findings = [parse_error_finding(error, selection) for error in errors]
    read = files_of(path, tree)
    if tree is None and document is None:
        return LintResult(findings, files, unusable=True, read=read)
    context = LintContext(tree, document, options)
    findings.extend(run_rules(context, selection, path))
    unused: list[UnusedSuppression] = []
    syntax = getattr(tree, "syntax", None)
    if syntax:
        from aitask_lint.lint.suppressions import apply, collect

        findings, unused = apply(findings, collect(syntax))
    findings = fold_root_causes(_unique_sorted(findings))
    return LintResult(
        findings,
        files,
        unusable=bool(errors),
        unused=unused,
        read=read,
        given=template_verdict(context) if asks_of_templates(options) else None,
    )


def _load_variables(tree: ConfigTree, path: str, options: LintOptions) -> list[InputError]:
    """Set the root's variable values from tfvars, ``--var``, ``TF_VAR_`` (the errors met)."""
    from aitask_lint.analysis.variables import VariableInputs, load_values

    directory = path if os.path.isdir(path) else os.path.dirname(path) or "."
    inputs = VariableInputs(options.variables or {}, options.var_files or [], options.environ)
    tree.variable_values, errors = load_values(tree.root, directory, inputs)
    return errors


def files_of(path: str, tree: ConfigTree | None) -> frozenset[str]:
    """The distinct files an input read (real paths): its own, and every module's.

    A module called twice, or called by two roots of one run, is one file
    set; a module directory linted as a root of its own is the same files too.
    """
    from aitask_lint.inputs import is_hcl_path

    if path == "-":
        return frozenset()  # counted by the caller: standard input has no file name
    if not is_hcl_path(path):
        return frozenset((os.path.realpath(path),))  # plan/state JSON: one file
    if tree is None:
        return frozenset()
    return frozenset(os.path.realpath(file) for module in tree.modules() for file in module.files)


def run_rules(context: LintContext, selection: Selection, path: str) -> list[Finding]:
    """Every selected rule that works in a mode the input has.

    Rules that judge values (``Rule.per_scenario``) run once per scenario of a
    configuration (:mod:`aitask_lint.lint.scenario_runs`); the others, and every
    rule on plan/state input, once.
    """
    from aitask_lint.lint.scenario_runs import run_per_scenario

    findings: list[Finding] = []
    fallback = path
    if context.tree is not None and context.tree.root.files:
        fallback = context.tree.root.files[0]  # a file-level finding points at the root
    scenario_rules: list[Rule] = []
    for rule in selection.rules():
        if rule.id == "AIT001":
            continue
        runs = ("S" in rule.modes and context.static) or ("P" in rule.modes and context.has_values)
        if not runs:
            continue
        if rule.per_scenario and context.scenarios:
            scenario_rules.append(rule)
            continue
        for problem in rule.check(context):
            names = list(problem.scenarios) if problem.scenarios else None
            findings.extend(_kept(rule, problem, context, selection, fallback, scenarios=names))
    if scenario_rules:
        for rule, problem, scenarios in run_per_scenario(context, scenario_rules):
            findings.extend(_kept(rule, problem, context, selection, fallback, scenarios=scenarios))
    return findings


def _kept(
    rule: Rule,
    problem: Problem,
    context: LintContext,
    selection: Selection,
    fallback: str,
    *,
    scenarios: list[str] | None = None,
) -> list[Finding]:
    """The finding of one problem, or none when per-file-ignores silences it."""
    where = problem.location.path if problem.location is not None else fallback
    if selection.per_file_ignores and selection.ignored_in(rule, where):
        return []  # per-file-ignores of the configuration
    return [_finding(rule, problem, context, selection, fallback, scenarios=scenarios)]


def _finding(
    rule: Rule,
    problem: Problem,
    context: LintContext,
    selection: Selection,
    path: str,
    *,
    scenarios: list[str] | None = None,
) -> Finding:
    return Finding(
        rule=rule.id,
        name=rule.name,
        severity=selection.severity(rule, problem.severity),
        message=problem.message,
        address=problem.address,
        location=_finding_location(problem.location, context, path),
        scenarios=scenarios,
        fix=problem.fix,
    )


def _unique_sorted(findings: Iterable[Finding]) -> list[Finding]:
    unique = {(f.sort_key(), f.address): f for f in findings}
    return sorted(unique.values(), key=Finding.sort_key)


def discover_roots(
    path: str,
    exclude: Sequence[str] | Callable[[str, bool], bool] = (),
    base: str | None = None,
    *,
    listed: Callable[[str, list[str], list[str]], None] | None = None,
) -> list[str]:
    """Every directory under ``path`` holding .tf/.tf.json files, each its own root.

    ``.terraform`` and hidden directories are skipped, as are paths that
    ``exclude`` names: gitignore-style globs relative to ``base`` (the
    configuration's directory), or a function ``(path, is_dir) -> bool``
    (the nearest configuration of each directory decides). A directory
    whose ``.tf`` files are all excluded is not a root. A directory that
    cannot be listed (unreadable, a path over the system's limit) is
    returned as a root too, so loading it reports why, instead of the walk
    skipping it without a word. ``listed(directory, files, subdirectories)``
    sees each listing before ``exclude`` is asked about its entries (the
    configuration lookup learns from it instead of asking the file system).
    """
    if callable(exclude):
        excluded = exclude
    else:
        from aitask_lint.lint.config import Config

        settings = Config(exclude=list(exclude))
        settings.path = os.path.join(os.path.abspath(base or "."), ".aitask-lint.toml")
        excluded = settings.excludes

    roots: list[str] = []
    unreadable: list[str] = []
    pending = [path]  # an explicit stack: os.walk recurses, and trees can be 2,000 deep
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError:
            unreadable.append(directory)
            continue
        names: list[str] = []
        walked: list[str] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()  # as os.walk: a symlink to a directory is not a file
                walk = is_dir and not entry.is_symlink()  # ...and is not followed
            except OSError:
                is_dir = walk = False
            if not is_dir:
                names.append(entry.name)
            elif walk and not entry.name.startswith("."):
                walked.append(entry.name)
        if listed is not None:
            listed(directory, names, walked)
        below = [
            os.path.join(directory, name)
            for name in walked
            if not excluded(os.path.join(directory, name), True)
        ]
        if any(
            name.endswith((".tf", ".tf.json"))
            and not excluded(os.path.join(directory, name), False)
            for name in names
        ):
            roots.append(directory)
        pending.extend(sorted(below, reverse=True))
    return sorted({*roots, *unreadable})


#: roots parsed (in parallel) and linted together; parsed files are dropped between batches
BATCH = 64


def _prefetch_sources(inputs: Sequence[str], options: LintOptions) -> None:
    """Parse the root files of every HCL input up front, in parallel when there are many."""
    from aitask_lint.inputs import is_hcl_path

    hcl_inputs = [path for path in inputs if path != "-" and is_hcl_path(path)]
    if not hcl_inputs:
        return
    from aitask_lint.hcl.files import prefetch
    from aitask_lint.model.from_hcl import default_project_root, is_inside, terraform_files

    files: list[str] = []
    for path in hcl_inputs:
        if os.path.isdir(path):
            try:
                listed = terraform_files(path)
            except InputError:
                continue  # reported when the root is loaded
        else:
            listed = [path]
        # a symlink out of the project is refused by the loader: never read it here either
        root = os.path.realpath(project_root_of(path, options) or default_project_root(path))
        files.extend(file for file in listed if is_inside(file, root))
    prefetch(files)


def project_root_of(path: str, options: LintOptions) -> str | None:
    """The configured project root of one input, or None for the loader's default."""
    return options.project_roots.get(path) or options.project_root


def lint(
    paths: Sequence[str | os.PathLike[str]],
    options: LintOptions | None = None,
    selection: Selection | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[Report, bool]:
    """Lint every path; return the report and whether any input was unusable.

    Paths in the findings are as the inputs were given (an absolute input's
    files are absolute, a relative one's relative to the current directory);
    showing them relative to the project root is the reports' job
    (:func:`~aitask_lint.lint.findings.rebase_findings`).

    All the ``.tf``/``.tf.json`` source one call reads counts against one
    total (:func:`aitask_lint.limits.source_budget`).
    """
    if isinstance(paths, str | bytes | os.PathLike):
        raise InvalidArgumentTypeError(
            f"lint() takes a list of paths, not one {type(paths).__name__} (write [{paths!r}])"
        )
    if selection is not None and not isinstance(selection, Selection):
        raise InvalidArgumentTypeError(
            f"lint(selection=...) must be a Selection, not {type(selection).__name__}"
        )
    from aitask_lint.limits import source_budget

    with source_budget():
        return _lint(paths, options, selection, progress)


def _lint(
    paths: Sequence[str | os.PathLike[str]],
    options: LintOptions | None,
    selection: Selection | None,
    progress: Callable[[int, int, str], None] | None,
) -> tuple[Report, bool]:
    options = options or LintOptions()
    selection = selection or Selection()
    findings: list[Finding] = []
    unused: list[UnusedSuppression] = []
    read: set[str] = set()
    stdin_documents = 0
    unusable = False
    verdicts: list[TemplateVerdict] = []
    inputs = [os.fspath(p) for p in paths]
    from aitask_lint.hcl.files import forget

    for start in range(0, len(inputs), BATCH):
        batch = inputs[start : start + BATCH]
        _prefetch_sources(batch, options)
        for position, path in enumerate(batch, start=start + 1):
            if progress is not None:
                progress(position, len(inputs), path)
            result = lint_one(path, options, selection)
            findings.extend(_over_run_total(result.findings))
            unused.extend(result.unused)
            read.update(result.read)
            stdin_documents += path == "-"
            unusable = unusable or result.unusable
            if result.given is not None:
                verdicts.append(result.given)
        if len(inputs) > BATCH:
            forget()  # memory stays flat on huge runs; shared modules come back from the cache
            if not gc.isenabled() and (start // BATCH) % 4 == 3:
                # the CLI runs without the cycle collector and a run makes no cycles
                # (tests/test_no_cycles.py); should an input still make some, they are
                # freed every few batches instead of accumulating
                gc.collect()
    refuse_what_no_template_takes(options, verdicts)
    findings = _unique_sorted(findings)
    summary = Summary(
        files=len(read) + stdin_documents,
        errors=sum(1 for f in findings if f.severity == "error"),
        warnings=sum(1 for f in findings if f.severity == "warning"),
        infos=sum(1 for f in findings if f.severity == "info"),
    )
    report = Report(
        tool=Tool(version=__version__),
        findings=findings,
        summary=summary,
        unused_suppressions=sorted(unused, key=lambda u: (u.path, u.line, u.rule)),
    )
    return report, unusable


def _over_run_total(findings: list[Finding]) -> list[Finding]:
    """A root the run's input total cut short is reported by one line, not judged.

    Its files past the total were not read, so every rule finding about it
    would judge half a template (a module "without" the output it has).
    """
    from aitask_lint.limits import OVER_RUN_TOTAL

    over = [f for f in findings if f.rule == "AIT001" and f.message.startswith(OVER_RUN_TOTAL)]
    return over[:1] if over else findings


def report_base(inputs: Sequence[str], options: LintOptions) -> str | None:
    """The one directory every report names files relative to (a real path), or None.

    The configured project root (``--project-root`` / ``project-root``), else
    the git repository enclosing the first input (the current directory for
    standard input). Without either, None: paths stay relative to the current
    directory. The same findings then get the same paths and fingerprints from
    any current directory and however the inputs were spelled
    (docs/ci.md, "Paths and fingerprints").
    """
    if options.project_root:
        return os.path.realpath(options.project_root)
    first = next((path for path in inputs if path != "-"), None)
    if first is None:
        start = os.getcwd()
    else:
        start = first if os.path.isdir(first) else os.path.dirname(first) or "."
    from aitask_lint.model.from_hcl import enclosing_git_repository

    return enclosing_git_repository(os.path.realpath(start))
