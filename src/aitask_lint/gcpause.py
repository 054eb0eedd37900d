"""Pause Python's cyclic garbage collector around allocation-heavy work.

Parsing a template or a plan allocates hundreds of thousands of containers
that form no reference cycles; every collection the allocations trigger
walks them all again, which measured 20-40% of a run (``benchmarks/run.py``).
Reference counting still frees everything as usual; only the cycle detector
waits, and the previous state is restored afterwards, so a library caller's
own settings are untouched.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
