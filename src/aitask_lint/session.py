"""One ``check`` run: merge configuration and options, lint, filter, render, decide the exit.

The click command only parses options into a :class:`CheckRequest`; this is
the same for library callers that want the CLI's behaviour.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from aitask_lint._version import __version__
from aitask_lint.errors import InputError, InvalidArgumentError
from aitask_lint.lint.config import (
    Config,
    ConfigResolver,
    check_project_root,
    check_rule_key,
    check_severity,
    check_version,
)
from aitask_lint.lint.context import LintOptions
from aitask_lint.lint.findings import (
    SEVERITY_RANK,
    Finding,
    Report,
    Severity,
    Summary,
    Tool,
    UnusedSuppression,
    rebase_findings,
    report_json,
)
from aitask_lint.lint.runner import Selection, discover_roots, lint, report_base
from aitask_lint.lint.settings import Settings, layered, options

if TYPE_CHECKING:
    from aitask_lint.graph.model import ResourceGraph

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


@dataclass
class CheckRequest(Settings):
    """The inputs and the settings given for one run (the command line, or
    :func:`aitask_lint.check`'s keywords); ``None`` settings come from the file."""

    paths: list[str]
    #: the text report is coloured (``--color``, decided by the caller for its stream)
    colour: bool = False
    #: the report goes to an interactive terminal: ``text`` means ``full`` (source snippets)
    terminal: bool = False
    #: render the report (the CLI); ``aitask_lint.check`` wants the :class:`Report` alone
    render: bool = True


@dataclass
class CheckResult:
    output: str
    exit_code: int
    report: Report
    #: the project root the rendered report shows paths from (None: the current directory)
    base: str | None = None


def _split(values: list[str] | None) -> list[str] | None:
    """``--select AIT1,AIT2 --select AIT3`` -> ["AIT1", "AIT2", "AIT3"]."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def resolve_config(request: CheckRequest, root: str | None = None) -> Config:
    """The configuration of ``root`` (default: the first path): ``--config``, else the
    nearest file walking up from it, no higher than its project root."""
    if request.config_path is not None:
        return ConfigResolver().load(request.config_path)
    start = root if root is not None else (request.paths[0] if request.paths else "-")
    return ConfigResolver().nearest(_directory_of(start), _bound(request, start, {}))


def _directory_of(path: str) -> str:
    if path == "-":
        return os.getcwd()
    return path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))


def _bound(request: CheckRequest, root: str, project_roots: dict[str, str]) -> str:
    """The project root of ``root`` without any configuration file (a real path)."""
    from aitask_lint.model.from_hcl import default_project_root

    if request.project_root is not None:
        return os.path.realpath(request.project_root)
    if root in project_roots:
        return os.path.realpath(project_roots[root])
    return default_project_root(_directory_of(root))


def roots_of(
    request: CheckRequest,
    config: Config | None = None,
    project_roots: dict[str, str] | None = None,
    resolver: ConfigResolver | None = None,
) -> list[str]:
    """The roots to lint; with ``--recursive``, records in ``project_roots`` that each
    root found below a directory may read modules anywhere in that directory's project.

    ``exclude`` comes from ``config`` when given (``--config``), else from the
    nearest configuration of each directory walked. With ``--recursive``, a
    ``.tf`` file stands for the roots that contain or call it (the pre-commit
    hook passes the changed files), and directories another root calls through
    a local ``source`` are linted as part of their callers, not again.
    """
    from aitask_lint.inputs import is_hcl_path
    from aitask_lint.lint.roots import root_modules, roots_for_files

    roots: list[str] = []
    changed: list[str] = []
    resolver = resolver or ConfigResolver()

    def excluder(bound: str) -> Callable[[str, bool], bool]:
        def excluded(candidate: str, is_dir: bool) -> bool:
            settings = config or resolver.nearest(os.path.dirname(candidate), bound)
            return settings.excludes(candidate, is_dir)

        return excluded

    for path in request.paths:
        if path != "-" and not os.path.exists(path):
            raise InputError(path, "no such file or directory")
        if request.recursive and path != "-" and os.path.isfile(path) and is_hcl_path(path):
            changed.append(path)  # a changed file (the pre-commit hook): mapped below
        elif request.recursive and os.path.isdir(path):
            from aitask_lint.model.from_hcl import default_project_root

            walk_root = default_project_root(path)
            found = discover_roots(
                path, excluder(_bound(request, path, {})), listed=resolver.listed
            )
            if not found:
                raise InputError(path, "no directory with .tf or .tf.json files below it")
            roots.extend(found)
            if project_roots is not None:
                for root in found:
                    project_roots.setdefault(root, walk_root)
        else:
            roots.append(path)
    if changed:  # the roots that contain or call each changed file
        project_root = request.project_root or (config.project_root if config else None)
        roots.extend(roots_for_files(changed, project_root, excluder, project_roots))
    if request.recursive:
        # modules called by another root are linted as part of it, not again
        roots = root_modules(roots, [path for path in request.paths if os.path.isdir(path)])
    return roots


def _check_graph_option(graph: str, roots: list[str]) -> ResourceGraph:
    """``--graph`` must be a DOT file, and there must be plan/state input for it.

    Without this the DOT would be read only when a rule converts the values,
    and a broken or pointless file would be ignored without a word. The
    graph is returned and used by every input: read a second time, a
    ``<(terraform graph)`` would be empty.
    """
    from aitask_lint.graph.dot import load_dot
    from aitask_lint.inputs import is_hcl_path

    if all(root != "-" and is_hcl_path(root) for root in roots):
        raise InputError(
            graph,
            "--graph applies to plan/state JSON input (the DOT of `terraform graph`); "
            "for Terraform source the graph is built from the configuration",
        )
    return load_dot(graph)


def _validate(request: CheckRequest) -> None:
    """Command-line values, checked by kind (``Option.kind``) before anything is read."""
    for name, option in options():
        value = getattr(request, name)
        if value is None:
            continue
        if option.kind == "rules":
            for key in _split(value) or []:
                check_rule_key(key, option.flag)
        elif option.kind == "severities":
            for key in value:
                check_rule_key(key, option.flag)
            for key, level in value.items():
                check_severity(level, f"the level of {key}", option.flag)
        elif option.kind == "severity":
            check_severity(value, "the threshold", option.flag)
        elif option.kind == "version":
            check_version(value, option.flag)


@dataclass
class _Group:
    """Roots that share one configuration file, linted with its settings."""

    config: Config
    roots: list[str] = field(default_factory=list)


def _groups(
    request: CheckRequest, roots: list[str], project_roots: dict[str, str], resolver: ConfigResolver
) -> list[_Group]:
    """Each root with the configuration that applies to it, grouped by file."""
    explicit = resolver.load(request.config_path) if request.config_path else None
    groups: dict[str | None, _Group] = {}
    for root in roots:
        bound = _bound(request, root, project_roots)
        config = explicit or resolver.nearest(_directory_of(root), bound)
        if request.project_root is None:
            check_project_root(config, bound)
        groups.setdefault(config.path, _Group(config)).roots.append(root)
    return list(groups.values())


def _settings(
    request: CheckRequest, config: Config, project_roots: dict[str, str], roots: list[str]
) -> tuple[Selection, LintOptions, Severity]:
    """A group's selection, options and failure threshold: command line over file."""
    split: dict[str, Any] = {
        name: _split(getattr(request, name)) for name, o in options() if o.kind == "rules"
    }
    values = layered(replace(request, **split), config)
    selection = Selection(
        select=values["select"] or [],
        ignore=values["ignore"] or [],
        severities=values["severity"],
        per_file_ignores=values["per_file_ignores"] or [],
        per_file_base=config.directory,
    )
    lint_options = LintOptions(**values)
    if lint_options.project_root is None:
        lint_options.project_roots = {r: project_roots[r] for r in roots if r in project_roots}
    fail_on: Severity = values["fail_on"]
    return selection, lint_options, fail_on


def run_check(
    request: CheckRequest, progress: Callable[[int, int, str], None] | None = None
) -> CheckResult:
    """Everything ``aitask-lint check`` does after option parsing.

    Each root is linted with its own configuration (the nearest file above
    it, or ``--config``); roots sharing a file are linted together.
    """
    _validate(request)
    resolver = ConfigResolver()
    explicit = resolver.load(request.config_path) if request.config_path else None
    project_roots: dict[str, str] = {}
    roots = roots_of(request, explicit, project_roots, resolver)
    dot_graph = None
    if request.graph:
        dot_graph = _check_graph_option(request.graph, roots)
    baseline = None
    if request.baseline:  # read before linting: a broken baseline fails fast
        from aitask_lint.lint.baseline import read_baseline

        baseline = read_baseline(request.baseline)
    groups = _groups(request, roots, project_roots, resolver)
    plans = [
        (group, *_settings(request, group.config, project_roots, group.roots)) for group in groups
    ]
    # run-level settings (the report's format and threshold): --config, else the first root's
    run_config = explicit or (groups[0].config if groups else Config())
    output_format = _output_format(request, run_config)
    run_fail_on: Severity = layered(request, run_config)["fail_on"]
    base_options = plans[0][2] if plans else LintOptions(project_root=request.project_root)
    for _group, _selection, group_options, _fail_on in plans:
        group_options.dot_graph = (
            dot_graph  # parsed once: a `<(terraform graph)` cannot be read twice
        )
    findings: list[Finding] = []
    unused: list[UnusedSuppression] = []
    files = 0
    unusable = False
    threshold: dict[int, int] = {}  # id(finding or unused suppression) -> its root's fail-on
    done = 0
    for chunk in _chunks(roots, plans):
        for index, chunk_roots in chunk:
            _group, selection, options, fail_on = plans[index]
            shifted = _shifted(progress, done, len(roots))
            report, group_unusable = lint(chunk_roots, options, selection, shifted)
            done += len(chunk_roots)
            for item in (*report.findings, *report.unused_suppressions):
                threshold[id(item)] = SEVERITY_RANK[fail_on]
            findings.extend(report.findings)
            unused.extend(report.unused_suppressions)
            files += report.summary.files
            unusable = unusable or group_unusable
    findings.sort(key=Finding.sort_key)
    report = Report(
        tool=Tool(version=__version__),
        findings=findings,
        summary=Summary(files=files, errors=0, warnings=0, infos=0),
        unused_suppressions=sorted(unused, key=lambda u: (u.path, u.line, u.rule)),
    )
    report = _with_findings(report, findings)
    base = report_base(roots, base_options)  # the project root reports show paths from
    if baseline is not None:
        from aitask_lint.lint.baseline import filter_new

        report = _with_findings(report, filter_new(report.findings, baseline, base))
    if request.write_baseline:
        from aitask_lint.lint.baseline import write_baseline

        try:
            write_baseline(request.write_baseline, report.findings, base)
        except OSError as error:  # a full disk, a missing directory: named, not a crash
            raise InputError(
                request.write_baseline, f"cannot write baseline: {error.strerror or error}"
            ) from None
    output = ""
    if request.render:  # the library's report keeps the paths as given
        rebase_findings(report, base)
        output = render(
            report,
            output_format,
            colour=request.colour,
            terminal=request.terminal,
            quiet=bool(request.quiet),
            statistics=bool(request.statistics),
            fail_on=run_fail_on,
            base=base,
            automation_id=request.sarif_automation_id,
            unsafe_fixes=bool(request.unsafe_fixes),
        )
    warning = SEVERITY_RANK["warning"]
    failing = any(SEVERITY_RANK[f.severity] >= threshold[id(f)] for f in report.findings) or any(
        threshold[id(u)] <= warning for u in report.unused_suppressions
    )
    code = EXIT_USAGE if unusable else (EXIT_FINDINGS if failing else EXIT_OK)
    report.unusable = unusable
    report.run_exit_code = code
    return CheckResult(
        output, EXIT_OK if request.exit_zero and not unusable else code, report, base
    )


def _chunks(
    roots: list[str], plans: list[tuple[_Group, Selection, LintOptions, Severity]]
) -> Iterator[list[tuple[int, list[str]]]]:
    """The order of work: lists of (group index, its roots), one list per batch.

    With one configuration, every root goes to :func:`lint` at once, which
    batches them itself. With several, the roots are taken in batches of
    ``BATCH`` in their order; each batch is parsed up front (in parallel)
    for all its groups and let go of afterwards, so a monorepo where every
    template has its own file is parsed as fast, and in as little memory,
    as one with a single file.
    """
    if len(plans) == 1:
        yield [(0, roots)]
        return
    from aitask_lint.hcl.files import forget
    from aitask_lint.lint.runner import BATCH, _prefetch_sources, project_root_of

    index_of = {root: index for index, plan in enumerate(plans) for root in plan[0].roots}
    for start in range(0, len(roots), BATCH):
        by_group: dict[int, list[str]] = {}
        for root in roots[start : start + BATCH]:
            by_group.setdefault(index_of[root], []).append(root)
        combined = LintOptions()  # each root's own project root, for the prefetch's bounds
        for index, group_roots in by_group.items():
            for root in group_roots:
                project_root = project_root_of(root, plans[index][2])
                if project_root is not None:
                    combined.project_roots[root] = project_root
        _prefetch_sources(roots[start : start + BATCH], combined)
        yield list(by_group.items())
        forget()


def _shifted(
    progress: Callable[[int, int, str], None] | None, done: int, total: int
) -> Callable[[int, int, str], None] | None:
    """Progress of one group as positions in the whole run."""
    if progress is None:
        return None

    def show(position: int, _count: int, path: str) -> None:
        progress(done + position, total, path)

    return show


def _with_findings(report: Report, findings: list[Finding]) -> Report:

    summary = Summary(
        files=report.summary.files,
        errors=sum(1 for f in findings if f.severity == "error"),
        warnings=sum(1 for f in findings if f.severity == "warning"),
        infos=sum(1 for f in findings if f.severity == "info"),
    )
    return replace(report, findings=findings, summary=summary)


def _output_format(request: CheckRequest, config: Config) -> str:
    """The format asked for (option or environment), else the configuration's, else text;
    checked before linting so a typo does not cost a whole run."""
    from aitask_lint.reports import FORMATS
    from aitask_lint.reports.text import TEXT_FORMATS

    known = sorted({*FORMATS, *TEXT_FORMATS})
    chosen: str = layered(request, config)["output_format"]
    if chosen not in known:
        source = config.path if request.output_format is None and config.path else "--format"
        raise InputError(
            source, f"unknown output format {chosen!r} (expected one of {', '.join(known)})"
        )
    if request.statistics and chosen not in (*TEXT_FORMATS, "json"):
        raise InputError("--statistics", f"applies to the text and json formats, not {chosen!r}")
    return chosen


def render(
    report: Report,
    output_format: str,
    *,
    colour: bool = False,
    terminal: bool = False,
    quiet: bool = False,
    statistics: bool = False,
    fail_on: Severity = "error",
    base: str | None = None,
    automation_id: str | None = None,
    unsafe_fixes: bool = False,
) -> str:
    """The report in ``output_format``; ``text`` is ``full`` on a ``terminal``, else ``concise``.

    ``base`` is the project root every path is shown relative to.
    """
    from aitask_lint.lint.registry import all_rules

    if statistics and output_format == "json":
        return _statistics_json(report)
    if output_format == "json":
        return report_json(report) + "\n"
    if output_format == "sarif":
        from aitask_lint.reports.sarif import render_sarif

        return render_sarif(report, all_rules(), base=base, automation_id=automation_id)
    if output_format == "junit":
        from aitask_lint.reports.junit import render_junit

        return render_junit(report, all_rules(), fail_on=fail_on)
    if output_format == "gitlab":
        from aitask_lint.reports.gitlab import render_gitlab

        return render_gitlab(report)
    if output_format == "github":
        from aitask_lint.reports.github import escape_data, escape_property, render_github

        text = render_github(report)
        for unused in report.unused_suppressions:
            # escaped like findings: a file name can hold a newline and start a command
            text += (
                f"::warning file={escape_property(unused.path)},line={unused.line},"
                f"col={unused.column},title=unused suppression::{escape_data(unused.message)}\n"
            )
        return text
    from aitask_lint.reports.text import TEXT_FORMATS, render_text

    if output_format not in TEXT_FORMATS:
        from aitask_lint.reports import FORMATS

        known = ", ".join(sorted({*FORMATS, *TEXT_FORMATS}))
        raise InvalidArgumentError(
            f"unknown output format {output_format!r} (expected one of {known})"
        )

    full = output_format == "full" or (output_format == "text" and terminal)
    links: Callable[[str], str | None] | None = None
    if full:  # only the full format shows where to read a rule: concise stays lean
        from functools import partial

        from aitask_lint.reports.sarif import docs_uri

        # the installed version's page when the distribution names its repository, as in SARIF
        links = partial(docs_uri, version=__version__)
    return render_text(
        report,
        colour=colour,
        full=full,
        quiet=quiet,
        statistics=statistics,
        source=_SourceCache(base) if full else None,
        links=links,
        unsafe_fixes=unsafe_fixes,
    )


def _statistics_json(report: Report) -> str:
    """``--statistics --format json``: one object per rule, most frequent first."""
    import json
    from collections import Counter

    counts = Counter(finding.rule for finding in report.findings)
    names = {finding.rule: finding.name for finding in report.findings}
    rows = [
        {"rule": rule, "name": names[rule], "count": count}
        for rule, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return json.dumps(rows, indent=2) + "\n"


class _SourceCache:
    """The lines of the files findings point at, for the ``full`` text format.

    Read again after linting, so only what cannot hurt is read: regular files
    (a FIFO or ``<(...)`` given as input was consumed already and would block),
    opened without blocking, and no more than :data:`SNIPPET_MAX_BYTES`; a
    file that cannot be read simply gets no snippet (the finding was printed).
    """

    def __init__(self, base: str | None = None) -> None:
        #: the project root report paths are relative to (see ``report_path_on_disk``)
        self._base = base
        self._lines: dict[str, list[str] | None] = {}

    def __call__(self, path: str) -> list[str] | None:
        if path not in self._lines:
            from aitask_lint.lint.findings import report_path_on_disk

            on_disk = path if path in ("-", "<stdin>") else report_path_on_disk(path, self._base)
            self._lines[path] = self._read(on_disk)
        return self._lines[path]

    @staticmethod
    def _read(path: str) -> list[str] | None:
        from aitask_lint.limits import read_file_bounded

        if path in ("-", "<stdin>"):
            return None
        try:
            data = read_file_bounded(path, SNIPPET_MAX_BYTES, "", regular_only=True)
        except (OSError, InputError, ValueError):
            return None
        text = data.decode("utf-8", "replace")
        return text.split("\n")


#: the largest file whose lines ``full`` output shows (a minified 64 MiB plan is not)
SNIPPET_MAX_BYTES = 8 * 1024 * 1024


def terminal_progress(total_threshold: int = 2) -> Callable[[int, int, str], None] | None:
    """Progress on standard error, only on a terminal and for several roots."""
    from aitask_lint.reports.safe import safe_text

    if sys.stderr is None or not sys.stderr.isatty():
        return None

    def show(position: int, total: int, path: str) -> None:
        if total < total_threshold:
            return
        end = "\n" if position == total else ""
        # a directory name is as hostile as a file's contents: escaped before the line's
        # own erase-line sequence is added
        sys.stderr.write(f"\r\x1b[K[{position}/{total}] {safe_text(path)}{end}")
        sys.stderr.flush()

    return show
