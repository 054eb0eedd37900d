"""Root modules as Terraform sees them: which directories are templates, which are modules.

Terraform plans a root module and reads the directories it calls through a
local ``source`` (``./modules/x``, ``../shared``) as part of it; ``modules/x``
on its own is no template: it has no provider configuration, its variables
have no values, and findings there would be about a configuration nobody
plans. So ``check --recursive`` keeps, of the directories it finds, those no
other found directory calls (:func:`root_modules`), and a changed file (the
pre-commit hook passes them) is judged through the roots that contain or call
it (:func:`roots_of_files`).

Calls are read from the syntax trees (``module`` blocks whose ``source`` is a
literal local path), through the parse cache the lint run uses anyway; a file
that does not parse calls nothing here and is reported when its root is
linted.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence

from aitask_lint.errors import InputError

#: how Terraform recognises a local module source
_LOCAL_PREFIXES = ("./", "../", ".\\", "..\\")


def _key(directory: str) -> str:
    return os.path.realpath(directory)


def local_calls(directory: str, files: Sequence[str]) -> set[str]:
    """The directories (real paths) that the ``module`` blocks of ``directory``'s ``files``
    (its :func:`calling_files`) call locally."""
    from aitask_lint.hcl.expressions import literal_value
    from aitask_lint.hcl.files import parse_file

    here = _key(directory)
    called: set[str] = set()
    for path in files:
        try:
            parsed = parse_file(os.path.realpath(path), path)
        except InputError:
            continue  # reported when the root holding it is linted
        for block in parsed.body.blocks:
            if block.type != "module" or "source" not in block.body.attributes:
                continue
            source = literal_value(block.body.attributes["source"].expression)
            if not isinstance(source, str) or not (
                source.startswith(_LOCAL_PREFIXES) or source in (".", "..")
            ):
                continue
            target = os.path.realpath(os.path.join(here, source.replace("\\", "/")))
            if target != here:
                called.add(target)
    return called


def calling_files(directory: str) -> list[str]:
    """The files of ``directory`` that may call a local module: those worth parsing."""
    from aitask_lint.model.from_hcl import default_project_root, is_inside, terraform_files

    try:
        files = terraform_files(directory)
    except InputError:
        return []
    project = default_project_root(directory)
    # a symlink out of the project is never read (the loader reports it)
    return [path for path in files if is_inside(path, project) and _may_call_locally(path)]


#: a literal local source starts a quoted string: ``"./``, ``"../`` (HCL and JSON alike)
_LOCAL_MARKERS = (b'"./', b'"../', b'".\\', b'"..\\')


def _may_call_locally(path: str) -> bool:
    """Whether a file can hold a literal local module source: the parse is skipped if not.

    Most files call no local module, and a run's roots are parsed (in
    parallel) only when linted; reading the bytes is far cheaper than parsing.
    An unreadable or oversized file says no and is reported when linted.
    """
    from aitask_lint.limits import SOURCE_BYTES_ENV, max_source_bytes, read_file_bounded

    try:
        data = read_file_bounded(path, max_source_bytes(), SOURCE_BYTES_ENV, regular_only=True)
    except (InputError, OSError):
        return False
    return any(marker in data for marker in _LOCAL_MARKERS)


#: above this many directories, the syntax trees parsed to find calls are
#: dropped afterwards (the lint run parses in batches and keeps memory flat)
KEEP_PARSED = 64


def call_graph(directories: Iterable[str]) -> dict[str, set[str]]:
    """Real directory -> the real directories among ``directories`` it calls."""
    keys = {_key(directory): directory for directory in directories}
    from aitask_lint.hcl.files import prefetch

    # parsed side by side first (``--jobs``); one by one, the calls of a hundred
    # roots were read on one core while the lint run's parse waited
    candidates = {key: calling_files(directory) for key, directory in keys.items()}
    prefetch([path for files in candidates.values() for path in files])
    graph = {
        key: local_calls(directory, candidates[key]) & keys.keys()
        for key, directory in keys.items()
    }
    if len(keys) > KEEP_PARSED:
        from aitask_lint.hcl.files import forget

        forget()
    return graph


def root_modules(found: Sequence[str], explicit: Iterable[str] = ()) -> list[str]:
    """``found`` without the directories another of them calls, in the given order.

    A directory also named in ``explicit`` (given on the command line) stays a
    root. Directories that only call each other in a cycle, with no root above
    them, stay roots too: they are linted rather than silently skipped.
    """
    graph = call_graph(found)
    called = set().union(*graph.values()) if graph else set()
    keep = {key for key in graph if key not in called} | {_key(path) for path in explicit}
    reached = _reachable(graph, keep)
    keep |= {key for key in graph if key not in reached}
    result, seen = [], set()
    for path in found:
        key = _key(path)
        if key in keep and key not in seen:
            seen.add(key)
            result.append(path)
    return result


def _reachable(graph: dict[str, set[str]], start: Iterable[str]) -> set[str]:
    seen = set(start)
    todo = list(seen)
    while todo:
        for callee in graph.get(todo.pop(), ()):
            if callee not in seen:
                seen.add(callee)
                todo.append(callee)
    return seen


def roots_of_files(files: Sequence[str], candidates: Sequence[str]) -> list[str]:
    """The roots that contain or (through local modules) call each of ``files``.

    ``candidates`` are every directory holding Terraform files in the project
    (``discover_roots`` of the project root). A file's directory is its root
    unless another candidate calls it; then its callers are, up to the
    directories nobody calls. A file whose directory is not a candidate
    (excluded, or hidden) maps to nothing.
    """
    graph = call_graph(candidates)
    callers: dict[str, set[str]] = {key: set() for key in graph}
    for caller, callees in graph.items():
        for callee in callees:
            callers[callee].add(caller)
    by_key = {_key(path): path for path in candidates}
    wanted: set[str] = set()
    for file in files:
        directory = _key(os.path.dirname(os.path.abspath(file)))
        if directory not in graph:
            continue
        tops: set[str] = set()
        seen = {directory}
        todo = [directory]
        while todo:
            current = todo.pop()
            if not callers[current]:
                tops.add(current)
            above = callers[current] - seen
            seen |= above
            todo.extend(above)
        wanted |= tops or {directory}  # only a cycle above it: lint it as its own root
    return [path for key, path in sorted(by_key.items()) if key in wanted]


def roots_for_files(
    files: Sequence[str],
    project_root: str | None,
    excluder: Callable[[str], Callable[[str, bool], bool]] | None = None,
    project_roots: dict[str, str] | None = None,
) -> list[str]:
    """What ``check --recursive FILE...`` lints: the roots of each changed file.

    Every directory of the project (``project_root``, else the git repository
    enclosing the file, else the file's directory) is a candidate, found as
    ``--recursive`` finds them (``excluder(project)`` answers, for each path,
    whether the configuration that applies there excludes it).
    Each root found is recorded in ``project_roots`` (when given) as reading
    modules anywhere in its project, as ``--recursive DIR`` records them.
    """
    from aitask_lint.lint.runner import discover_roots
    from aitask_lint.model.from_hcl import enclosing_git_repository

    by_project: dict[str, list[str]] = {}
    for file in files:
        directory = os.path.realpath(os.path.dirname(os.path.abspath(file)))
        project = project_root or enclosing_git_repository(directory) or directory
        by_project.setdefault(os.path.realpath(project), []).append(file)
    roots: list[str] = []
    for project, changed in sorted(by_project.items()):
        candidates = discover_roots(project, excluder(project) if excluder else ())
        found = roots_of_files(changed, candidates)
        roots.extend(found)
        if project_roots is not None:
            for root in found:
                project_roots.setdefault(root, project)
    return roots
