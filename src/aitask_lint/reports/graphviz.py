"""Running Graphviz's ``dot`` for ``graph --format svg``, and nothing else.

This is the one place aitask-lint starts a program, and only when the user
asks for SVG. The scanned tree is hostile (a pull request controls it), so:

* ``dot`` is looked up on ``PATH`` by absolute entries only: an empty entry
  or ``.`` (or any relative one) would find the repository's own ``dot``.
  A directory inside the current directory, the scanned path or its project
  root is skipped too, as is a ``dot`` whose real path lies in one of them
  (a symlinked directory on ``PATH`` cannot smuggle one in);
* the graph handed to it is bounded (:data:`MAX_SVG_NODES`,
  :data:`MAX_SVG_EDGES`, :data:`MAX_SVG_DOT_BYTES`), because Graphviz's layout is super-linear in
  edges: 40 densely connected nodes kept it busy for a minute;
* it runs with layout iteration limits, in an empty temporary directory,
  under a wall-clock timeout and an address-space limit, so a graph within
  the bounds ends within :data:`DOT_TIMEOUT_SECONDS` and
  :data:`DOT_MEMORY_BYTES`.

Every failure is a :class:`GraphFormatError`: one line, exit status 2.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable

from aitask_lint.errors import AitaskLintError

#: nodes and edges drawn; above either, SVG is refused (DOT, Mermaid and JSON are not bounded)
MAX_SVG_NODES = 1000
MAX_SVG_EDGES = 500
#: the DOT text handed to Graphviz (names from a --graph file can be long)
MAX_SVG_DOT_BYTES = 2 * 1024 * 1024
#: wall-clock limit of one ``dot`` run
DOT_TIMEOUT_SECONDS = 8.0
#: wall-clock promise of a whole command (docs/limits.md: 10 s), less the interpreter's
#: start: ``dot`` gets what is left of it after the graph was built, at least 1 s
RUN_SECONDS = 9.0
MIN_DOT_SECONDS = 1.0
#: address-space limit (RLIMIT_AS) of the ``dot`` process
DOT_MEMORY_BYTES = 768 * 1024 * 1024
#: layout iteration limits: crossing minimisation and network simplex dominate on dense graphs
DOT_LAYOUT_FLAGS = ("-Gmclimit=0.2", "-Gnslimit=2", "-Gnslimit1=2")


class GraphFormatError(AitaskLintError):
    """A requested output format cannot be produced on this machine."""


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives on Windows
        return False


def find_dot(untrusted: Iterable[str]) -> str | None:
    """The ``dot`` to run: the first on ``PATH`` outside every ``untrusted`` directory.

    The current directory is always untrusted (unless it is the filesystem
    root, where containers start: relative entries are skipped anyway). Returns the path as found on
    ``PATH`` (not resolved): Debian's ``dot`` is a symlink to a multi-call
    binary that looks at the name it was started under.
    """
    roots = {os.path.realpath(directory) for directory in (os.getcwd(), *untrusted)}
    # Containers often run in "/": every directory is inside it, yet it is no checkout.
    roots = {root for root in roots if os.path.dirname(root) != root}
    for entry in os.environ.get("PATH", os.defpath).split(os.pathsep):
        if not entry or not os.path.isabs(entry):
            continue  # "", ".", "bin": relative to the current directory
        if any(_inside(os.path.realpath(entry), root) for root in roots):
            continue
        candidate = os.path.join(entry, "dot")
        if not os.path.isfile(candidate) or not os.access(candidate, os.X_OK):
            continue
        if any(_inside(os.path.realpath(candidate), root) for root in roots):
            continue
        return candidate
    return None


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (DOT_MEMORY_BYTES, DOT_MEMORY_BYTES))


def check_svg_size(nodes: int, edges: int) -> None:
    """Refuse a graph Graphviz could not lay out within the time bound."""
    if nodes > MAX_SVG_NODES or edges > MAX_SVG_EDGES:
        raise GraphFormatError(
            f"aitask-lint: graph --format svg: the graph has {nodes} nodes and {edges} edges, "
            f"over the limit of {MAX_SVG_NODES} nodes and {MAX_SVG_EDGES} edges that Graphviz "
            "lays out in time; use --format dot, mermaid or json"
        )


def dot_timeout(started: float | None) -> float:
    """How long ``dot`` may run: 8 s, or what is left of the command's 9 s since ``started``.

    A fixed 8 s after 2 to 3 s of parsing and graph building made a hanging
    ``dot`` end the command after 11 to 12 s.
    """
    if started is None:
        return DOT_TIMEOUT_SECONDS
    left = RUN_SECONDS - (time.monotonic() - started)
    return min(DOT_TIMEOUT_SECONDS, max(MIN_DOT_SECONDS, left))


def render_svg(dot_text: str, untrusted: Iterable[str], *, started: float | None = None) -> str:
    """``dot -Tsvg`` of ``dot_text``, run as the module docstring describes.

    ``started`` is when the command began (``time.monotonic()``), so the
    whole command stays within its time bound.
    """
    timeout = dot_timeout(started)
    size = len(dot_text.encode("utf-8"))
    if size > MAX_SVG_DOT_BYTES:
        raise GraphFormatError(
            f"aitask-lint: graph --format svg: the graph's DOT text is {size} bytes, over the "
            f"{MAX_SVG_DOT_BYTES} byte limit for Graphviz; use --format dot, mermaid or json"
        )
    executable = find_dot(untrusted)
    if executable is None:
        raise GraphFormatError(
            "aitask-lint: graph --format svg needs Graphviz's `dot` in an absolute PATH "
            "directory outside the current directory and the scanned tree (install Graphviz, "
            "e.g. `apt-get install graphviz`), or use --format dot and render it elsewhere"
        )
    limit = _limit_memory if sys.platform != "win32" else None
    with tempfile.TemporaryDirectory(prefix="aitask-lint-dot-") as scratch:
        try:
            process = subprocess.Popen(
                [executable, "-Tsvg", *DOT_LAYOUT_FLAGS],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=scratch,
                preexec_fn=limit,  # noqa: PLW1509 - no threads run at this point
                start_new_session=True,  # so a timeout ends everything it started
            )
        except OSError as error:
            raise GraphFormatError(
                f"aitask-lint: graph --format svg: cannot run {executable}: "
                f"{error.strerror or error}"
            ) from None
        with process:
            try:
                stdout, stderr = process.communicate(dot_text.encode("utf-8"), timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_group(process)
                process.communicate()
                raise GraphFormatError(
                    f"aitask-lint: graph --format svg: Graphviz ({executable}) did not finish "
                    f"within {timeout:.3g} s; use --format dot, mermaid or json"
                ) from None
    returncode = process.returncode
    if returncode != 0:
        detail = " ".join(stderr.decode("utf-8", "replace").split())[:300]
        if returncode < 0:
            detail = f"killed by signal {-returncode}" + (f" ({detail})" if detail else "")
        raise GraphFormatError(
            f"aitask-lint: graph --format svg: Graphviz ({executable}) failed: "
            f"{detail or f'exit status {returncode}'} (it runs with a "
            f"{DOT_MEMORY_BYTES // 2**20} MiB memory limit); use --format dot, mermaid or json"
        )
    return stdout.decode("utf-8", "replace")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):  # gone already, or no process groups (Windows)
        process.kill()
