"""One ``check`` run: merge configuration and options, lint, filter, render, decide the exit.

The click command only parses options into a :class:`CheckRequest`; this is
the same for library callers that want the CLI's behaviour.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from aitask_lint.errors import InputError
from aitask_lint.lint.config import Config, check_rule_key, find_config, load_config
from aitask_lint.lint.context import LintOptions
from aitask_lint.lint.findings import (
    SEVERITY_RANK,
    Finding,
    Report,
    Severity,
    Summary,
    report_json,
)
from aitask_lint.lint.runner import Selection, discover_roots, lint

if TYPE_CHECKING:
    from aitask_lint.graph.model import ResourceGraph

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


@dataclass
class CheckRequest:
    paths: list[str]
    output_format: str = "text"
    select: list[str] | None = None
    ignore: list[str] | None = None
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity | None = None
    require_ai_task: bool | None = None
    coder_version: str | None = None
    provider_version: str | None = None
    wildcard_access_url: bool | None = None
    graph: str | None = None
    recursive: bool = False
    config_path: str | None = None
    baseline: str | None = None
    write_baseline: str | None = None
    colour: bool = False
    #: the directory HCL input may read modules from (``--project-root``)
    project_root: str | None = None


@dataclass
class CheckResult:
    output: str
    exit_code: int
    report: Report


def _split(values: list[str] | None) -> list[str] | None:
    """``--select AIT1,AIT2 --select AIT3`` -> ["AIT1", "AIT2", "AIT3"]."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def resolve_config(request: CheckRequest) -> Config:
    path = request.config_path
    if path is None and request.paths:
        first = request.paths[0]
        path = find_config(first if first != "-" else os.getcwd())
    return load_config(path) if path else Config()


def roots_of(
    request: CheckRequest, config: Config, project_roots: dict[str, str] | None = None
) -> list[str]:
    """The roots to lint; with ``--recursive``, records in ``project_roots`` that each
    root found below a directory may read modules anywhere in that directory."""
    roots: list[str] = []
    for path in request.paths:
        if path != "-" and not os.path.exists(path):
            raise InputError(path, "no such file or directory")
        if request.recursive and os.path.isdir(path):
            found = discover_roots(path, config.exclude, str(config.root))
            if not found:
                raise InputError(path, "no directory with .tf or .tf.json files below it")
            roots.extend(found)
            if project_roots is not None:
                from aitask_lint.model.from_hcl import default_project_root

                for root in found:
                    project_roots.setdefault(root, default_project_root(path))
        else:
            roots.append(path)
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


def run_check(
    request: CheckRequest, progress: Callable[[int, int, str], None] | None = None
) -> CheckResult:
    """Everything ``aitask-lint check`` does after option parsing."""
    config = resolve_config(request)
    select = _split(request.select) if request.select is not None else config.select
    ignore = _split(request.ignore) if request.ignore is not None else config.ignore
    for key in (select or []) + (ignore or []):
        check_rule_key(key, "--select/--ignore")
    severities = {**config.severity, **request.severity}
    selection = Selection(select=select or [], ignore=ignore or [], severities=severities)
    options = LintOptions(
        require_ai_task=_pick(request.require_ai_task, config.require_ai_task, False),
        coder_version=request.coder_version or config.coder_version,
        provider_version=request.provider_version or config.provider_version,
        wildcard_access_url=_pick(request.wildcard_access_url, config.wildcard_access_url, False),
        graph_path=request.graph,
        project_root=request.project_root or config.project_root,
    )
    fail_on: Severity = request.fail_on or config.fail_on or "error"
    roots = roots_of(request, config, None if options.project_root else options.project_roots)
    if request.graph:
        options.graph = _check_graph_option(request.graph, roots)
    report, unusable = lint(roots, options, selection, progress)
    if request.baseline:
        from aitask_lint.lint.baseline import filter_new, read_baseline

        report = _with_findings(
            report, filter_new(report.findings, read_baseline(request.baseline))
        )
    if request.write_baseline:
        from aitask_lint.lint.baseline import write_baseline

        write_baseline(request.write_baseline, report.findings)
    output = render(report, request.output_format, colour=request.colour)
    threshold = SEVERITY_RANK[fail_on]
    failing = report.worst() >= threshold or (
        report.unused_suppressions and threshold <= SEVERITY_RANK["warning"]
    )
    code = EXIT_USAGE if unusable else (EXIT_FINDINGS if failing else EXIT_OK)
    return CheckResult(output, code, report)


def _pick(first: bool | None, second: bool | None, default: bool) -> bool:
    return first if first is not None else second if second is not None else default


def _with_findings(report: Report, findings: list[Finding]) -> Report:

    summary = Summary(
        files=report.summary.files,
        errors=sum(1 for f in findings if f.severity == "error"),
        warnings=sum(1 for f in findings if f.severity == "warning"),
        infos=sum(1 for f in findings if f.severity == "info"),
    )
    return replace(report, findings=findings, summary=summary)


def render(report: Report, output_format: str, *, colour: bool = False) -> str:
    from aitask_lint.lint.registry import all_rules

    if output_format == "json":
        return report_json(report) + "\n"
    if output_format == "sarif":
        from aitask_lint.reports.sarif import render_sarif

        return render_sarif(report, all_rules())
    if output_format == "junit":
        from aitask_lint.reports.junit import render_junit

        return render_junit(report, all_rules())
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
    from aitask_lint.reports.text import render_text

    return render_text(report, colour=colour)


def terminal_progress(total_threshold: int = 2) -> Callable[[int, int, str], None] | None:
    """Progress on standard error, only on a terminal and for several roots."""
    if not sys.stderr.isatty():
        return None

    def show(position: int, total: int, path: str) -> None:
        if total < total_threshold:
            return
        end = "\n" if position == total else ""
        sys.stderr.write(f"\r\x1b[K[{position}/{total}] {path}{end}")
        sys.stderr.flush()

    return show
