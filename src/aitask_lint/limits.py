"""The documented limits on what aitask-lint reads (``docs/limits.md``).

Every input is attacker-controlled in CI: a pull request can add a 200 MB
plan, a ``.tf`` file that is a symlink to ``/dev/zero``, or an expression
nested 100,000 levels deep. Each limit here turns such an input into one
:class:`InputError` line (exit status 2, or an AIT001 finding in ``check``)
before it can exhaust memory, time or Python's recursion limit, and each is
far above anything Terraform or Coder produce.

The two size limits can be changed with environment variables, which every
command and the library read (sizes in bytes, or with a ``K``/``M``/``G``
suffix, binary multiples).
"""

from __future__ import annotations

import os
import re
import stat
from typing import BinaryIO

from aitask_lint.errors import InputError

#: plan/state JSON (a file or standard input), DOT files, module manifests
MAX_JSON_BYTES = 64 * 1024 * 1024
#: each ``.tf`` / ``.tf.json`` file (the HCL parser needs ~200 bytes of memory per byte)
MAX_SOURCE_BYTES = 2 * 1024 * 1024
JSON_BYTES_ENV = "AITASK_LINT_MAX_JSON_BYTES"
SOURCE_BYTES_ENV = "AITASK_LINT_MAX_SOURCE_BYTES"

#: levels of HCL syntax (expressions and nested blocks) below a top-level block
MAX_HCL_NESTING = 128
#: module calls inside module calls, in HCL and in plan/state JSON alike
MAX_MODULE_DEPTH = 128
#: nested blocks inside one resource of a plan's ``configuration``
MAX_BLOCK_NESTING = 64

_SIZE = re.compile(r"\s*(\d+)\s*([kmg]?)i?b?\s*", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def _configured(env: str, default: int) -> int:
    raw = os.environ.get(env)
    if raw is None or not raw.strip():
        return default
    match = _SIZE.fullmatch(raw)
    if match is None or int(match.group(1)) == 0:
        raise InputError(env, f"expected a size in bytes such as 64M or 1G, not {raw!r}")
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def max_json_bytes() -> int:
    """The size limit of a JSON or DOT input (``$AITASK_LINT_MAX_JSON_BYTES``)."""
    return _configured(JSON_BYTES_ENV, MAX_JSON_BYTES)


def max_source_bytes() -> int:
    """The size limit of one ``.tf``/``.tf.json`` file (``$AITASK_LINT_MAX_SOURCE_BYTES``)."""
    return _configured(SOURCE_BYTES_ENV, MAX_SOURCE_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB" if size >= 1024 * 1024 else f"{size} bytes"


def _sizes(size: int, limit: int) -> tuple[str, str]:
    """``size`` and ``limit`` for a message; in bytes when rounding would make them equal."""
    shown, shown_limit = _megabytes(size), _megabytes(limit)
    if shown == shown_limit:  # "is 2.0 MiB, over the 2.0 MiB limit" for one byte over
        return f"{size:,} bytes", f"{limit:,}-byte"
    return shown, shown_limit


def too_large(path: str, limit: int, env: str, size: int | None = None) -> InputError:
    """The error for an input over ``limit``; ``size`` when it is known without reading."""
    if size is not None:
        shown, shown_limit = _sizes(size, limit)
        what = f"is {shown}"
    else:
        what, shown_limit = "is larger than that", _megabytes(limit)
    return InputError(
        path,
        f"file too large: {what}, over the {shown_limit} limit "
        f"(set {env} to raise it; see docs/limits.md)",
    )


def read_bounded(handle: BinaryIO, path: str, limit: int, env: str) -> bytes:
    """Read at most ``limit`` bytes from ``handle``; more is an :class:`InputError`.

    Reads ``limit + 1`` bytes rather than trusting ``stat``: standard input, a
    FIFO or ``/dev/zero`` has no size, and a file may grow while it is read.
    A regular file's size is checked first, so a huge (or sparse) file is
    refused without reading it at all.
    """
    try:
        size = os.fstat(handle.fileno()).st_size
    except (OSError, ValueError, AttributeError):  # no descriptor (e.g. BytesIO in tests)
        size = 0
    if size > limit:
        raise too_large(path, limit, env, size)
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise too_large(path, limit, env)
    return data


def read_file_bounded(path: str, limit: int, env: str, *, regular_only: bool = False) -> bytes:
    """Open ``path`` and read it with :func:`read_bounded`; OS errors propagate.

    With ``regular_only`` (source files found in a directory) a FIFO, device
    or socket is refused before reading: opened without blocking, so a FIFO
    named ``main.tf`` cannot hang the run. Paths given explicitly may be pipes
    (``convert <(terraform show -json plan)``).
    """
    if not regular_only:
        with open(path, "rb") as handle:
            return read_bounded(handle, path, limit, env)
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise InputError(path, "not a regular file (a FIFO, device or socket)")
        return read_bounded(handle, path, limit, env)
