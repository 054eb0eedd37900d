"""The documented limits on what aitask-lint reads (``docs/limits.md``).

Every input is attacker-controlled in CI: a pull request can add a 200 MB
plan, a ``.tf`` file that is a symlink to ``/dev/zero``, or an expression
nested 100,000 levels deep. Each limit here turns such an input into one
:class:`InputError` line (exit status 2, or an AIT001 finding in ``check``)
before it can exhaust memory, time or Python's recursion limit, and each is
far above anything Terraform or Coder produce.

The size limits can be changed with environment variables, which every
command and the library read (sizes in bytes, or with a ``K``/``M``/``G``
suffix, binary multiples).
"""

from __future__ import annotations

import os
import re
import stat
from typing import BinaryIO

from aitask_lint.errors import InputError

#: plan/state JSON (a file or standard input), module manifests
MAX_JSON_BYTES = 64 * 1024 * 1024
#: each ``.tf`` / ``.tf.json`` file (the HCL parser needs ~200 bytes of memory per byte)
MAX_SOURCE_BYTES = 2 * 1024 * 1024
JSON_BYTES_ENV = "AITASK_LINT_MAX_JSON_BYTES"
SOURCE_BYTES_ENV = "AITASK_LINT_MAX_SOURCE_BYTES"
#: a ``--graph`` DOT file: parsed token by token in Python, 1-1.5 s of CPU per MiB
#: at worst (``a;a;...``); ``terraform graph`` of 15,000 resources is about 4 MiB
MAX_DOT_BYTES = 4 * 1024 * 1024
DOT_BYTES_ENV = "AITASK_LINT_MAX_DOT_BYTES"

#: levels of HCL syntax (expressions and nested blocks) below a top-level block
MAX_HCL_NESTING = 128
#: module calls inside module calls, in HCL and in plan/state JSON alike
MAX_MODULE_DEPTH = 128
#: module instances below the root (a directory called twice by each of 20 nested
#: directories would otherwise be 2^21 instances), and what they declare in all
MAX_MODULE_INSTANCES = 1000
MAX_MODULE_OBJECTS = 50_000
#: nested blocks inside one resource of a plan's ``configuration``
MAX_BLOCK_NESTING = 64

_SIZE = re.compile(r"\s*(\d+)\s*([kmg]?)i?b?\s*", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
#: the largest size the variables accept: far above any machine's memory, and below
#: what a read size can hold (a 5,000-digit value would not even convert to an int)
MAX_CONFIGURABLE_BYTES = 1024**4


def _configured(env: str, default: int) -> int:
    raw = os.environ.get(env)
    if raw is None or not raw.strip():
        return default
    match = _SIZE.fullmatch(raw) if len(raw) <= 64 else None
    if match is None or int(match.group(1)) == 0:
        shown = raw if len(raw) <= 64 else f"{raw[:30]}... ({len(raw)} characters)"
        raise InputError(env, f"expected a size in bytes such as 64M or 1G, not {shown!r}")
    size = int(match.group(1)) * _UNITS[match.group(2).lower()]
    if size > MAX_CONFIGURABLE_BYTES:
        raise InputError(env, f"{raw.strip()} is over the largest accepted size, 1024G")
    return size


def max_json_bytes() -> int:
    """The size limit of a JSON input (``$AITASK_LINT_MAX_JSON_BYTES``)."""
    return _configured(JSON_BYTES_ENV, MAX_JSON_BYTES)


def max_dot_bytes() -> int:
    """The size limit of a ``--graph`` DOT file (``$AITASK_LINT_MAX_DOT_BYTES``)."""
    return _configured(DOT_BYTES_ENV, MAX_DOT_BYTES)


def max_source_bytes() -> int:
    """The size limit of one ``.tf``/``.tf.json`` file (``$AITASK_LINT_MAX_SOURCE_BYTES``)."""
    return _configured(SOURCE_BYTES_ENV, MAX_SOURCE_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB" if size >= 1024 * 1024 else f"{size} bytes"


def too_large(path: str, limit: int, env: str, size: int | None = None) -> InputError:
    """The error for an input over ``limit``; ``size`` when it is known without reading."""
    what = f"is {_megabytes(size)}" if size is not None else "is larger than that"
    return InputError(
        path,
        f"file too large: {what}, over the {_megabytes(limit)} limit "
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
    # never ask for ``limit + 1`` bytes at once: the buffer is allocated up front, and a
    # limit raised to 1 TiB would fail with MemoryError on a 3-byte file
    step = min(limit + 1, size + 1 if size > 0 else _CHUNK)
    chunks: list[bytes] = []
    total = 0
    while chunk := handle.read(min(step, limit + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise too_large(path, limit, env)
        step = _CHUNK
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


#: what :func:`read_bounded` asks for at a time when the size is not known (a pipe)
_CHUNK = 1024 * 1024


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
