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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from aitask_lint import __version__
from aitask_lint.errors import InputError, display_path
from aitask_lint.lint.context import LintContext, LintOptions
from aitask_lint.lint.findings import (
    Finding,
    FindingLocation,
    Report,
    Severity,
    Summary,
    Tool,
    UnusedSuppression,
    rebase_findings,
)
from aitask_lint.lint.folding import fold_root_causes
from aitask_lint.lint.registry import all_rules, matches
from aitask_lint.lint.rule import Problem, Rule
from aitask_lint.model.config import ConfigTree, Location

if TYPE_CHECKING:
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
    """Which rules run and at what severity (from the CLI and configuration)."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severities: dict[str, Severity] = field(default_factory=dict)

    def rules(self) -> list[Rule]:
        return list(_chosen_rules(tuple(self.select), tuple(self.ignore)))

    def severity(self, rule: Rule, proposed: Severity | None) -> Severity:
        for key, severity in self.severities.items():
            if matches(rule, key):
                return severity
        return proposed or rule.severity


@dataclass
class LintResult:
    """The findings of one input and how many files it read."""

    findings: list[Finding]
    files: int
    unusable: bool = False
    unused: list[UnusedSuppression] = field(default_factory=list)
    #: the files read (real paths), so a run counts a file shared by roots once
    read: frozenset[str] = frozenset()


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
        return FindingLocation(path=display_path(fallback), line=1, column=1)
    if location.pointer is not None and not location.line and context.document is not None:
        position = context.document.position(location.pointer)
        if position is not None:
            location.line, location.column = position
    return FindingLocation(
        path=display_path(location.path),
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
            path=display_path(error.path),
            line=error.line or 1,
            column=error.column or 1,
            pointer=error.pointer,
        ),
    )


def lint_one(path: str, options: LintOptions, selection: Selection) -> LintResult:
    """Lint one input (a root directory, a .tf file, or plan/state JSON)."""
    tree, document, errors, files = load_for_lint(path, project_root_of(path, options))
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
    return LintResult(findings, files, unusable=bool(errors), unused=unused, read=read)


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
    """Every selected rule that works in a mode the input has."""
    findings: list[Finding] = []
    for rule in selection.rules():
        if rule.id == "AIT001":
            continue
        runs = ("S" in rule.modes and context.static) or ("P" in rule.modes and context.has_values)
        if not runs:
            continue
        fallback = path
        if context.tree is not None and context.tree.root.files:
            fallback = context.tree.root.files[0]  # a file-level finding points at the root
        for problem in rule.check(context):
            findings.append(_finding(rule, problem, context, selection, fallback))
    return findings


def _finding(
    rule: Rule, problem: Problem, context: LintContext, selection: Selection, path: str
) -> Finding:
    return Finding(
        rule=rule.id,
        name=rule.name,
        severity=selection.severity(rule, problem.severity),
        message=problem.message,
        address=problem.address,
        location=_finding_location(problem.location, context, path),
    )


def _unique_sorted(findings: Iterable[Finding]) -> list[Finding]:
    unique = {(f.sort_key(), f.address): f for f in findings}
    return sorted(unique.values(), key=Finding.sort_key)


def discover_roots(path: str, exclude: Sequence[str] = (), base: str | None = None) -> list[str]:
    """Every directory under ``path`` holding .tf/.tf.json files, each its own root.

    ``.terraform`` and hidden directories are skipped, as are paths matching an
    ``exclude`` glob (relative to ``base``, the configuration's directory).
    """
    import fnmatch

    def excluded(candidate: str) -> bool:
        relative = os.path.relpath(candidate, base or ".").replace(os.sep, "/")
        return any(
            fnmatch.fnmatch(relative, glob) or fnmatch.fnmatch(relative + "/", glob)
            for glob in exclude
        )

    roots = []
    for directory, subdirectories, names in os.walk(path):
        subdirectories[:] = sorted(
            d
            for d in subdirectories
            if not d.startswith(".") and not excluded(os.path.join(directory, d))
        )
        if excluded(directory):
            continue
        if any(name.endswith((".tf", ".tf.json")) for name in names):
            roots.append(directory)
    return sorted(roots)


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

    All the ``.tf``/``.tf.json`` source one call reads counts against one
    total (:func:`aitask_lint.limits.source_budget`).
    """
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
    inputs = [os.fspath(p) for p in paths]
    from aitask_lint.hcl.files import forget

    for start in range(0, len(inputs), BATCH):
        batch = inputs[start : start + BATCH]
        _prefetch_sources(batch, options)
        for position, path in enumerate(batch, start=start + 1):
            if progress is not None:
                progress(position, len(inputs), path)
            result = lint_one(path, options, selection)
            findings.extend(result.findings)
            unused.extend(result.unused)
            read.update(result.read)
            stdin_documents += path == "-"
            unusable = unusable or result.unusable
        if len(inputs) > BATCH:
            forget()  # memory stays flat on huge runs; shared modules come back from the cache
            if not gc.isenabled() and (start // BATCH) % 4 == 3:
                # the CLI runs without the cycle collector and a run makes no cycles
                # (tests/test_no_cycles.py); should an input still make some, they are
                # freed every few batches instead of accumulating
                gc.collect()
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
    rebase_findings(report, report_base(inputs, options))
    return report, unusable


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
    return enclosing_git_repository(os.path.realpath(start))


@lru_cache(maxsize=256)
def enclosing_git_repository(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` holding ``.git`` (a worktree's file too)."""
    while True:
        if os.path.lexists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent
