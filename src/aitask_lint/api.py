"""The public API: what ``import aitask_lint`` offers, flat and typed.

Everything here is re-exported (lazily) by :mod:`aitask_lint`; every other
module is internal and may change between releases. Each call is
self-contained: it forks no worker process and neither reads nor writes the
cache directory unless asked (``jobs=``, ``cache=``), and what it parsed is
let go of when it returns (:func:`aitask_lint.hcl.settings.scope`), so a
long-lived process can call it as often as it likes, from several threads.

>>> import aitask_lint
>>> report = aitask_lint.check(["fixtures/examples/broken-template"])
>>> sorted({finding.rule for finding in report.findings})
['AIT301', 'AIT303', 'AIT401', 'AIT503']
>>> report.unusable, report.exit_code()
(False, 1)
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from aitask_lint.errors import InvalidArgumentTypeError

if TYPE_CHECKING:
    from aitask_lint.analysis.tasks_document import TasksDocument
    from aitask_lint.autofix.engine import FixResult
    from aitask_lint.lint.findings import Report, Severity
    from aitask_lint.lint.rule import Rule
    from aitask_lint.model.config import ConfigTree
    from aitask_lint.session import CheckRequest
    from aitask_lint.tfjson.loader import JsonSource, TerraformDocument

PathLike = str | os.PathLike[str]


def check(
    paths: Sequence[PathLike],
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    severity: Mapping[str, Severity] | None = None,
    fail_on: Severity | None = None,
    config: PathLike | None = None,
    require_ai_task: bool | None = None,
    coder_version: str | None = None,
    provider_version: str | None = None,
    wildcard_access_url: bool | None = None,
    graph: PathLike | None = None,
    recursive: bool = False,
    project_root: PathLike | None = None,
    baseline: PathLike | None = None,
    jobs: int | None = None,
    cache: bool = False,
    variables: Mapping[str, str] | None = None,
    var_files: Sequence[PathLike] = (),
    presets: Sequence[str] = (),
    parameters: Mapping[str, str] | None = None,
    scenario: str | None = None,
) -> Report:
    """Lint templates exactly as ``aitask-lint check PATHS...`` does.

    The same code path as the command line: each root gets the nearest
    ``.aitask-lint.toml`` (or ``config``), and every keyword overrides the
    file like the option of the same name (``select=["AIT1"]`` is
    ``--select AIT1``, ``severity={"AIT101": "info"}`` is ``--severity
    AIT101=info``). ``None`` means "not given": the file decides.

    Paths in the findings are as the inputs were given: an absolute input's
    files are absolute, a relative input's are relative to the current
    directory (the command shows them relative to the project root; that is
    its report's job). ``report.unusable`` says an input
    could not be used (an ``AIT001`` finding names it) and
    ``report.exit_code()`` is the command's exit status.

    ``jobs`` parses with up to that many forked worker processes (default:
    none); ``cache=True`` reads and writes the parse cache in the user's
    cache directory, as the command does (default: neither).

    ``variables={"slug": "web"}`` and ``var_files=["prod.tfvars"]`` are
    ``--var`` and ``--var-file`` (over ``terraform.tfvars``, ``*.auto.tfvars``
    and ``TF_VAR_*``, as Terraform orders them); ``presets``, ``parameters``
    and ``scenario`` are ``--preset``, ``--parameter`` and ``--scenario``.

    >>> import os, tempfile
    >>> report = check(["fixtures/examples/broken-template"], select=["AIT401"])
    >>> [(f.rule, f.severity) for f in report.findings]
    [('AIT401', 'error')]
    >>> report.exit_code(), report.exit_code(fail_on="error")
    (1, 1)
    >>> check(["fixtures/examples/broken-template"], ignore=["AIT"]).exit_code()
    0

    An argument that names nothing is refused before anything is read:

    >>> check(["fixtures/examples/broken-template"], select=["AIT999"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    aitask_lint.errors.InputError: --select/--ignore: unknown rule 'AIT999' ...
    """
    from aitask_lint.hcl.settings import scope
    from aitask_lint.session import run_check

    request = _check_request(
        paths,
        "check",
        select=select,
        ignore=ignore,
        severity=severity,
        fail_on=fail_on,
        config=config,
        require_ai_task=require_ai_task,
        coder_version=coder_version,
        provider_version=provider_version,
        wildcard_access_url=wildcard_access_url,
        graph=graph,
        recursive=recursive,
        project_root=project_root,
        baseline=baseline,
        jobs=jobs,
        variables=variables,
        var_files=var_files,
        presets=presets,
        parameters=parameters,
        scenario=scenario,
    )
    with scope(cache=cache, jobs=jobs):
        return run_check(request).report


def fix(
    paths: Sequence[PathLike],
    *,
    unsafe: bool = False,
    dry_run: bool = True,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    severity: Mapping[str, Severity] | None = None,
    config: PathLike | None = None,
    require_ai_task: bool | None = None,
    coder_version: str | None = None,
    provider_version: str | None = None,
    wildcard_access_url: bool | None = None,
    graph: PathLike | None = None,
    recursive: bool = False,
    project_root: PathLike | None = None,
    baseline: PathLike | None = None,
    variables: Mapping[str, str] | None = None,
    var_files: Sequence[PathLike] = (),
    presets: Sequence[str] = (),
    parameters: Mapping[str, str] | None = None,
    scenario: str | None = None,
) -> FixResult:
    """The fixes ``aitask-lint check --fix`` makes: propose them, or (``dry_run=False``) write them.

    By default nothing is written: the result carries the fixes
    (``applied``), the edits and a unified ``diff`` (what ``check --diff``
    prints, for a bot to propose as a patch), and the findings that would
    remain (``remaining``). The other keywords are ``check()``'s: a fix is
    proposed for exactly the findings ``check()`` reports with them
    (``parameters=``, ``scenario=``, ``severity=``...). ``unsafe=True`` adds the
    fixes that change behaviour (``--unsafe-fixes``). ``dry_run=False`` writes the files, as
    ``check --fix`` does: atomically, and only inside the project root.

    >>> import shutil, tempfile, os
    >>> copy = os.path.join(tempfile.mkdtemp(), "t")
    >>> _ = shutil.copytree("fixtures/rules/AIT104/fires", copy)
    >>> result = fix([copy])
    >>> [(f.rule, f.applicability) for f in result.applied]
    [('AIT104', 'safe')]
    >>> "-  sidebar_app {" in result.diff, result.written
    (True, False)
    """
    from aitask_lint.autofix.engine import run
    from aitask_lint.fixrun import policy_of, project_roots
    from aitask_lint.hcl.settings import scope
    from aitask_lint.session import run_check

    request = _check_request(
        paths,
        "fix",
        select=select,
        ignore=ignore,
        severity=severity,
        fail_on=None,
        config=config,
        require_ai_task=require_ai_task,
        coder_version=coder_version,
        provider_version=provider_version,
        wildcard_access_url=wildcard_access_url,
        graph=graph,
        recursive=recursive,
        project_root=project_root,
        baseline=baseline,
        jobs=None,
        variables=variables,
        var_files=var_files,
        presets=presets,
        parameters=parameters,
        scenario=scenario,
        unsafe_fixes=unsafe,
    )

    def lint_pass() -> Report:
        return run_check(request).report

    with scope():
        return run(lint_pass, policy_of(request), project_roots(request), write=not dry_run)


def _check_request(
    paths: Sequence[PathLike],
    command: str,
    *,
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    severity: Mapping[str, Severity] | None,
    fail_on: Severity | None,
    config: PathLike | None,
    require_ai_task: bool | None,
    coder_version: str | None,
    provider_version: str | None,
    wildcard_access_url: bool | None,
    graph: PathLike | None,
    recursive: bool,
    project_root: PathLike | None,
    baseline: PathLike | None,
    jobs: int | None,
    variables: Mapping[str, str] | None,
    var_files: Sequence[PathLike],
    presets: Sequence[str],
    parameters: Mapping[str, str] | None,
    scenario: str | None,
    unsafe_fixes: bool | None = None,
) -> CheckRequest:
    """The request ``check()`` and ``fix()`` share: the same keywords mean the same thing
    (a fix is proposed for exactly the findings ``check()`` reports with those keywords)."""
    from aitask_lint.session import CheckRequest

    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        from aitask_lint.errors import InvalidArgumentError

        raise InvalidArgumentError(f"jobs= must be a whole number of at least 1, not {jobs!r}")
    return CheckRequest(
        paths=_paths(paths, command),
        select=_names(select, "select"),
        ignore=_names(ignore, "ignore"),
        severity=dict(severity or {}),
        fail_on=fail_on,
        require_ai_task=require_ai_task,
        coder_version=coder_version,
        provider_version=provider_version,
        wildcard_access_url=wildcard_access_url,
        graph=_optional_path(graph),
        recursive=recursive,
        config_path=_optional_path(config),
        project_root=_optional_path(project_root),
        baseline=_optional_path(baseline),
        render=False,
        # empty: not given (the configuration file decides)
        variables=_string_map(variables, "variables") or None,
        var_files=_paths(var_files, command) or None,
        presets=_strings(presets, "presets") or None,
        parameters=_string_map(parameters, "parameters") or None,
        scenario=scenario,
        unsafe_fixes=unsafe_fixes,
    )


def _string_map(value: Mapping[str, str] | None, argument: str) -> dict[str, str]:
    """``{"name": "value"}``: names and values strings, as on the command line."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidArgumentTypeError(f"{argument}= must map names to string values")
    return dict(value)


def extract_ai_tasks(
    source: PathLike | TerraformDocument | JsonSource,
    *,
    preset: str | None = None,
    parameters: Mapping[str, str] | None = None,
    variables: Mapping[str, str] | None = None,
    var_files: Sequence[PathLike] = (),
) -> TasksDocument:
    """The ``coder_ai_task`` resources of a template, a ``.tf`` file, or plan/state JSON.

    The same document as ``aitask-lint tasks --format json``: a template's
    chains under the ``task`` scenario (or ``preset``), with ``notes`` for the
    other scenarios where a chain breaks; ``parameters``, ``variables`` and
    ``var_files`` are ``--parameter``, ``--var`` and ``--var-file``.

    >>> document = extract_ai_tasks("fixtures/examples/task-template")
    >>> document.has_ai_task, [task.address for task in document.ai_tasks]
    (True, ['coder_ai_task.task'])
    >>> document.scenario, document.notes
    ('task', [])
    """
    from aitask_lint.analysis.tasks_api import extract_ai_tasks as extract
    from aitask_lint.analysis.variables import VariableInputs
    from aitask_lint.hcl.settings import scope

    inputs = VariableInputs(
        _string_map(variables, "variables"),
        [os.fspath(p) for p in _paths(var_files, "extract_ai_tasks")],
    )
    with scope():
        return extract(
            source,
            preset=preset,
            parameters=_string_map(parameters, "parameters"),
            variables=inputs,
        )


def load(path: PathLike, *, project_root: PathLike | None = None) -> ConfigTree:
    """The configuration model of a template directory or ``.tf``/``.tf.json`` file,
    or of the ``configuration`` section of a ``terraform show -json`` plan.

    Files and modules are read only inside ``project_root`` (default: the
    git repository of ``path``). A file that does not parse raises
    :class:`~aitask_lint.errors.InputError` (several: ``MultipleInputError``).

    >>> tree = load("fixtures/examples/task-template")
    >>> tree.origin
    'hcl'
    """
    from aitask_lint.errors import InputError, MultipleInputError
    from aitask_lint.hcl.settings import scope
    from aitask_lint.inputs import is_hcl_path

    name = os.fspath(path)
    with scope():
        if is_hcl_path(name):
            from aitask_lint.model.from_hcl import load_configuration

            tree = load_configuration(name, project_root=_optional_path(project_root))
            if tree.errors:
                if len(tree.errors) == 1:
                    raise tree.errors[0]
                raise MultipleInputError(list(tree.errors))
            return tree
        from aitask_lint.model.from_plan import load_plan_configuration
        from aitask_lint.tfjson.loader import load_terraform_json

        document = load_terraform_json(name)
        if document.configuration is None:
            raise InputError(name, "no configuration section (a state has none): pass a plan")
        return load_plan_configuration(document.configuration, name)


def list_rules() -> list[Rule]:
    """Every rule, in ID order (``aitask-lint rules``).

    >>> rules = list_rules()
    >>> rules[0].id, rules[0].severity
    ('AIT001', 'error')
    """
    from aitask_lint.lint.registry import all_rules

    return list(all_rules())


# --- argument checks: a wrong type is refused where it enters -----------------------


def _paths(paths: Any, function: str) -> list[str]:
    if isinstance(paths, str | bytes | os.PathLike):
        raise InvalidArgumentTypeError(
            f"{function}() takes a list of paths, not one {type(paths).__name__} "
            f"(write [{paths!r}])"
        )
    return [os.fspath(path) for path in paths]


def _names(values: Any, argument: str) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        raise InvalidArgumentTypeError(
            f"{argument}= takes a list of rule IDs, names or prefixes, not a string "
            f"(write [{values!r}])"
        )
    return list(values)


def _strings(values: Any, argument: str) -> list[str]:
    if isinstance(values, str):
        raise InvalidArgumentTypeError(
            f"{argument}= takes a list of names, not a string (write [{values!r}])"
        )
    return [str(value) for value in values]


def _optional_path(path: PathLike | None) -> str | None:
    return None if path is None else os.fspath(path)
