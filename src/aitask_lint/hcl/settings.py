"""How parsing runs right now: the disk cache on or off, the worker count, the memo.

Two owners: the process (the CLI's ``--no-cache`` and ``--jobs``, through
:func:`configure`) and a library call (:func:`scope`, per thread or context).
Both the grammar loader (``grammar``) and the file layer (``files``) ask
:func:`cache_enabled`; keeping the answer here, below both, is what lets
``files`` call the parser without the parser calling back into ``files``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from aitask_lint.errors import InputError
from aitask_lint.hcl.syntax import File

NO_CACHE_ENV = "AITASK_LINT_NO_CACHE"


@dataclass
class Settings:
    """How this process parses: the disk cache on or off, and how many workers."""

    cache: bool = True
    jobs: int | None = None  # None: one per available CPU


#: the process-wide settings (the CLI's ``--no-cache``/``--jobs``); a :func:`scope` overrides them
SETTINGS = Settings()

Memo = dict[tuple[str, int, int], File | InputError]

#: (real path, size, mtime) -> parsed file (or the input error it raised), process-wide
MEMO: Memo = {}

#: the settings and memo of the innermost :func:`scope` of this thread/context, if any
_SCOPE: ContextVar[tuple[Settings, Memo] | None] = ContextVar(
    "aitask_lint_parse_scope", default=None
)


def configure(*, cache: bool | None = None, jobs: int | None = None) -> None:
    """Set the parse cache and the worker count for this process (the CLI's options)."""
    if cache is not None:
        SETTINGS.cache = cache
    if jobs is not None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        SETTINGS.jobs = jobs


@contextlib.contextmanager
def scope(*, cache: bool = False, jobs: int | None = None) -> Iterator[None]:
    """One library call: its own settings and its own memo, dropped when it ends.

    The library's calls (``aitask_lint.check`` and friends) run inside one, so
    that by default they neither write the cache directory nor fork
    (``jobs=None`` is one process, unlike the CLI's default of one per CPU),
    keep nothing parsed after they return (200 calls use the memory of one),
    and two threads never share a memo. The process-wide :data:`SETTINGS`
    and memo (what the CLI uses) are not touched. Scopes do not nest: an
    inner one replaces the outer's settings and memo until it ends.
    """
    if jobs is not None and jobs < 1:
        raise ValueError("jobs must be at least 1")
    token = _SCOPE.set((Settings(cache=cache, jobs=jobs or 1), {}))
    try:
        yield
    finally:
        _SCOPE.reset(token)


def current() -> Settings:
    active = _SCOPE.get()
    return SETTINGS if active is None else active[0]


def memo() -> Memo:
    active = _SCOPE.get()
    return MEMO if active is None else active[1]


def cache_enabled() -> bool:
    """Whether this process may read and write the cache directory (parse and grammar)."""
    return current().cache and not os.environ.get(NO_CACHE_ENV)
