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

The numbers come from adversarial shapes, measured on a 2-core machine (the
table in ``docs/limits.md``): python-hcl2's parser costs up to about 12 s of
CPU and 700 MB of memory per MiB of the densest HCL (a list of tiny
objects), so one ``.tf`` file may be 256 KiB and one run may read 512 KiB of
``.tf``/``.tf.json`` in all; Python's JSON decoder needs up to about 27 bytes
of memory per byte (an array of ``{}``), so a plan may be 32 MiB. Within
them a run takes at most 10 s and 1 GiB, worker processes included.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import BinaryIO

from aitask_lint.errors import InputError

#: plan/state JSON (a file or standard input), module manifests
#: (an array of 32 MiB of ``{}`` takes 835 MB to decode)
MAX_JSON_BYTES = 32 * 1024 * 1024
#: each ``.tf`` / ``.tf.json`` file (the densest HCL costs ~12 s and ~700 MB per MiB)
MAX_SOURCE_BYTES = 256 * 1024
#: all ``.tf`` / ``.tf.json`` files one run reads, over every root and module
MAX_TOTAL_SOURCE_BYTES = 512 * 1024
JSON_BYTES_ENV = "AITASK_LINT_MAX_JSON_BYTES"
SOURCE_BYTES_ENV = "AITASK_LINT_MAX_SOURCE_BYTES"
TOTAL_SOURCE_BYTES_ENV = "AITASK_LINT_MAX_TOTAL_SOURCE_BYTES"
#: all plan/state JSON one run reads: two documents at the limit, 7 s of CPU at worst
MAX_TOTAL_JSON_BYTES = 64 * 1024 * 1024
TOTAL_JSON_BYTES_ENV = "AITASK_LINT_MAX_TOTAL_JSON_BYTES"

#: what one run may use, worker processes included (the promise in docs/limits.md)
MEMORY_BUDGET = 1024**3
#: peak memory of parsing one byte of the densest HCL (measured: docs/limits.md)
PARSE_MEMORY_PER_BYTE = 800
#: memory the parsed syntax trees keep in the main process, per byte of that HCL
KEPT_MEMORY_PER_BYTE = 320
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

#: matched on the stripped value: with ``\s*`` at both ends as well, two runs of
#: spaces could share characters, and "1", 30,000 spaces and "x" took 5 s
_SIZE = re.compile(r"([0-9]+)\s*([kmg]?)i?b?", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
#: the largest size the variables accept: far above any machine's memory, and below
#: what a read size can hold (a 5,000-digit value would not even convert to an int)
MAX_CONFIGURABLE_BYTES = 1024**4


def _configured(env: str, default: int) -> int:
    raw = os.environ.get(env)
    if raw is None or not raw.strip():
        return default
    match = _SIZE.fullmatch(raw.strip()) if len(raw) <= 64 else None
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


#: bytes of the JSON size limit per array or object a document may hold. Decoded,
#: each costs about 100 bytes (an empty list inside a list: the list, its slots,
#: malloc's share), and ``[[[...]]]`` spends two bytes on one: 32 MiB of it took
#: 1.7 GB. One per 6 bytes allows 5.6 million at 32 MiB (about 600 MB decoded);
#: a Terraform plan has about one per 40 bytes.
JSON_BYTES_PER_CONTAINER = 6


def check_json_containers(text: str, path: str) -> None:
    """Refuse, before decoding, a document with more arrays and objects than memory allows.

    Counts the brackets (``[`` and ``{``, inside strings too, so an upper
    bound) in C: 30 ms for 32 MiB.
    """
    limit = max_json_bytes() // JSON_BYTES_PER_CONTAINER
    count = text.count("[") + text.count("{")
    if count > limit:
        raise InputError(
            path,
            f"too many arrays and objects: {count:,} brackets, over the limit of {limit:,} "
            f"(one per {JSON_BYTES_PER_CONTAINER} bytes of the size limit, so decoding stays "
            f"within memory; set {JSON_BYTES_ENV} to raise it; see docs/limits.md)",
        )


def max_dot_bytes() -> int:
    """The size limit of a ``--graph`` DOT file (``$AITASK_LINT_MAX_DOT_BYTES``)."""
    return _configured(DOT_BYTES_ENV, MAX_DOT_BYTES)


def max_source_bytes() -> int:
    """The size limit of one ``.tf``/``.tf.json`` file (``$AITASK_LINT_MAX_SOURCE_BYTES``)."""
    return _configured(SOURCE_BYTES_ENV, MAX_SOURCE_BYTES)


def max_total_json_bytes() -> int:
    """The limit on all plan/state JSON one run reads (``$AITASK_LINT_MAX_TOTAL_JSON_BYTES``)."""
    return _configured(TOTAL_JSON_BYTES_ENV, MAX_TOTAL_JSON_BYTES)


def max_total_source_bytes() -> int:
    """The limit on all source one run reads (``$AITASK_LINT_MAX_TOTAL_SOURCE_BYTES``)."""
    return _configured(TOTAL_SOURCE_BYTES_ENV, MAX_TOTAL_SOURCE_BYTES)


# --- the per-run bound on source ----------------------------------------------------


#: how every run-total message starts: a root with one is reported by that line alone
OVER_RUN_TOTAL = "too much "


@dataclass
class Budget:
    """The bytes of one kind of input one run has read, each file counted once."""

    limit: int
    env: str
    #: what is counted: "source" / "JSON", and the files it is made of
    noun: str
    files: str
    used: int = 0
    counted: set[tuple[str, int]] = field(default_factory=set)

    def charge(self, path: str, size: int) -> None:
        """Count ``size`` bytes read from ``path``; past the limit, an :class:`InputError`."""
        key = (os.path.realpath(path), size)
        if key in self.counted:
            return  # a module shared by many roots, read again after the memo was dropped
        if self.used + size > self.limit:
            raise InputError(
                path,
                f"{OVER_RUN_TOTAL}{self.noun} in one run: this file would make "
                f"{self.used + size:,} bytes of {self.files}, over the "
                f"{_megabytes(self.limit)} limit for one run "
                f"(set {self.env} to raise it, or check fewer inputs at a time; "
                "see docs/limits.md)",
            )
        self.counted.add(key)
        self.used += size


@dataclass
class RunBudget:
    """What one run may read in all: HCL source, and plan/state JSON."""

    source: Budget
    json: Budget


_BUDGET: ContextVar[RunBudget | None] = ContextVar("aitask_lint_run_budget", default=None)


@contextlib.contextmanager
def source_budget() -> Iterator[RunBudget]:
    """The scope of one run: input read inside it counts against the run's totals.

    Nested scopes share the outermost one's budget, so ``check -r`` over many
    roots is bounded as a whole, and a library call of ``lint()`` on its own.
    """
    active = _BUDGET.get()
    if active is not None:
        yield active
        return
    budget = RunBudget(
        Budget(max_total_source_bytes(), TOTAL_SOURCE_BYTES_ENV, "source", ".tf and .tf.json"),
        Budget(
            max_total_json_bytes(),
            TOTAL_JSON_BYTES_ENV,
            "JSON",
            "plan, state and module manifest JSON",
        ),
    )
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def charge_source(path: str, size: int) -> None:
    """Count a source file read against the run's budget (none outside a run: no total)."""
    budget = _BUDGET.get()
    if budget is not None:
        budget.source.charge(path, size)


def charge_json(path: str, size: int) -> None:
    """Count a plan or state read against the run's budget (none outside a run: no total)."""
    budget = _BUDGET.get()
    if budget is not None:
        budget.json.charge(path, size)


# --- memory -----------------------------------------------------------------------


def _meminfo(field_name: str) -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _own_rss() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 100 * 1024 * 1024  # about what a run holds when it starts parsing


def workers_for_memory(largest: int, total: int) -> int:
    """How many parser processes fit in :data:`MEMORY_BUDGET` (and in free memory).

    Each forked worker starts as big as this process and grows by the peak of
    parsing its largest file; this process keeps its own memory and receives
    the syntax trees of all ``total`` bytes meanwhile. Eight 2 MiB files with
    ``--jobs`` at the CPU count reached 3.4 GB before.
    """
    budget = MEMORY_BUDGET
    available = _meminfo("MemAvailable")
    if available is not None:
        budget = min(budget, available)
    own = _own_rss()
    per_worker = own + PARSE_MEMORY_PER_BYTE * largest
    return max(1, (budget - own - KEPT_MEMORY_PER_BYTE * total) // per_worker)


def _megabytes(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MiB"
    return f"{size / 1024:.1f} KiB" if size >= 1024 else f"{size} bytes"


def _sizes(size: int, limit: int) -> tuple[str, str]:
    """``size`` and ``limit`` for a message; in bytes when rounding would make them equal."""
    shown, shown_limit = _megabytes(size), _megabytes(limit)
    if shown == shown_limit:  # "is 2.0 MiB, over the 2.0 MiB limit" for one byte over
        if limit < 1024:
            return f"{size:,} bytes", f"{limit:,}-byte"
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
