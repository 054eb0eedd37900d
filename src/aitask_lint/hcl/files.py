"""Parse source files once per process, once per content on disk, and in parallel.

Parsing is nearly all of a lint run's cost (python-hcl2's LALR parser runs at
about 50 ms per 10 KB), so three layers sit in front of it:

* **In-process memo**: a file met again in one run (a module shared by many
  roots of ``check --recursive``) is the same object, keyed by real path,
  size and modification time.
* **Parse cache on disk**: the syntax tree of a file is stored under the
  SHA-256 of its bytes (plus the parser's and this package's versions) in the
  user cache directory, never in the scanned tree. A tree does not depend on
  where the file lives: the file's path is written as a placeholder and
  filled in on load, so a copied template hits the cache too. Writes go to a
  temporary file renamed into place, so concurrent runs never read a partial
  entry; an unreadable or foreign entry is treated as a miss.
* **Parallel parsing**: :func:`prefetch` parses the cache misses of many
  files in worker processes (``--jobs``), forked after the grammar is loaded
  so that workers start instantly. A handful of files is parsed in-process:
  a pool costs more than it saves there.

Results are identical whatever the layer: a hit gives the same tree (and the
same syntax error, for a broken file) as a parse.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from aitask_lint.errors import InputError
from aitask_lint.hcl.syntax import File

#: bump when the encoding of an entry changes (code changes orphan entries by themselves)
CACHE_FORMAT = "1"
#: cache misses below this many are parsed in-process, without a pool
POOL_THRESHOLD = 8
#: ...unless they hold this much source: two dense 256 KiB files take 6 s on one core
POOL_BYTES = 128 * 1024
NO_CACHE_ENV = "AITASK_LINT_NO_CACHE"
_PATH_PLACEHOLDER = "path"


@dataclass
class Settings:
    """How this process parses: the disk cache on or off, and how many workers."""

    cache: bool = True
    jobs: int | None = None  # None: one per available CPU


SETTINGS = Settings()

#: (real path, size, mtime) -> parsed file (or the input error it raised)
_MEMO: dict[tuple[str, int, int], File | InputError] = {}


def configure(*, cache: bool | None = None, jobs: int | None = None) -> None:
    """Set the parse cache and the worker count for this process (the CLI's options)."""
    if cache is not None:
        SETTINGS.cache = cache
    if jobs is not None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        SETTINGS.jobs = jobs


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def _cache_enabled() -> bool:
    return SETTINGS.cache and not os.environ.get(NO_CACHE_ENV)


def _cache_root() -> Path:
    from aitask_lint.hcl.source import cache_dir

    return cache_dir() / "parse"


@dataclass(frozen=True)
class _Source:
    """One file to parse: where it is, what it is called in reports, and its bytes."""

    key: tuple[str, int, int]
    shown: str
    raw: bytes

    @cached_property  # asked by the cache lookup and again by the write after a miss
    def digest(self) -> str:
        from aitask_lint import __version__

        header = f"{CACHE_FORMAT}\0{__version__}\0{_parser_tag()}\0{self.shown.endswith('.json')}"
        return hashlib.sha256(header.encode() + b"\0" + self.raw).hexdigest()


#: the modules whose code shapes a cached syntax tree
_PARSING_MODULES = (
    "files.py",
    "source.py",
    "parser.py",
    "expressions.py",
    "syntax.py",
    "jsonsyntax.py",
)


@cache
def _parser_tag() -> str:
    """Names the grammar and this package's parsing code: any change orphans old entries.

    Hashing the source of the modules that shape a syntax tree means a
    parser fix can never be hidden behind a tree cached by the old code,
    even between two commits with the same version number.
    """
    from aitask_lint.hcl.source import grammar_digest

    here = Path(__file__).parent
    digest = hashlib.sha256(grammar_digest().encode())
    for name in _PARSING_MODULES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


# --- the disk cache -------------------------------------------------------------


class _Pickler(pickle.Pickler):
    """Writes the file's path as a placeholder, so an entry fits any copy of the file."""

    def __init__(self, handle: io.BytesIO, path: str) -> None:
        super().__init__(handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._path = path

    def persistent_id(self, obj: Any) -> str | None:
        if obj.__class__ is str and obj == self._path:
            return _PATH_PLACEHOLDER
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, handle: io.BytesIO, path: str) -> None:
        super().__init__(handle)
        self._path = path

    def persistent_load(self, pid: Any) -> str:
        if pid != _PATH_PLACEHOLDER:
            raise pickle.UnpicklingError("foreign cache entry")
        return self._path


def _encode(result: File | InputError, path: str) -> bytes:
    payload: Any = result
    if isinstance(result, InputError):
        payload = ("error", result.path, result.message, result.line, result.column)
    handle = io.BytesIO()
    _Pickler(handle, path).dump(payload)
    return handle.getvalue()


def _decode(data: bytes, path: str) -> File | InputError:
    payload = _Unpickler(io.BytesIO(data), path).load()
    if isinstance(payload, tuple) and payload and payload[0] == "error":
        _tag, error_path, message, line, column = payload
        return InputError(error_path, message, line, column)
    if not isinstance(payload, File):
        raise pickle.UnpicklingError("not a parsed file")
    return payload


def _cache_file(digest: str) -> Path:
    return _cache_root() / digest[:2] / f"{digest[2:]}.pickle"


def _cache_get(source: _Source) -> File | InputError | None:
    try:
        data = _cache_file(source.digest).read_bytes()
        return _decode(data, source.shown)
    except Exception:  # absent, unreadable, truncated or from another version: a miss
        return None


def _cache_put(source: _Source, data: bytes) -> None:
    target = _cache_file(source.digest)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError:
        pass  # a read-only or full cache directory only costs speed


# --- parsing ----------------------------------------------------------------------


def _parse(source: _Source) -> File | InputError:
    from aitask_lint.hcl.parser import parse_source

    try:
        return parse_source(source.raw, source.shown)
    except InputError as error:
        return error


def _parse_and_store(sources: list[_Source], use_cache: bool) -> list[bytes]:
    """Worker: parse each source, store it in the cache, return the encoded trees."""
    encoded = []
    for source in sources:
        data = _encode(_parse(source), source.shown)
        if use_cache:
            _cache_put(source, data)
        encoded.append(data)
    return encoded


def _source(real_path: str, shown_path: str) -> _Source | InputError:
    from aitask_lint.hcl.source import read_bytes

    try:
        status = os.stat(real_path)
        raw = read_bytes(shown_path)
    except InputError as error:
        return error
    except OSError as error:
        return InputError(shown_path, f"cannot read file: {error.strerror or error}")
    return _Source((real_path, status.st_size, status.st_mtime_ns), shown_path, raw)


def _remember(source: _Source, result: File | InputError) -> File | InputError:
    _MEMO[source.key] = result
    return result


def _memo_get(real_path: str, shown_path: str) -> File | InputError | None:
    try:
        status = os.stat(real_path)
    except OSError:
        return None
    found = _MEMO.get((real_path, status.st_size, status.st_mtime_ns))
    if found is None:
        return None
    path = found.path
    return found if path == shown_path else None


def forget() -> None:
    """Drop every parsed file this process holds (the disk cache keeps them)."""
    _MEMO.clear()


def parse_file(real_path: str, shown_path: str) -> File:
    """The syntax tree of one file, from the memo, the disk cache or the parser.

    Raises :class:`InputError` for an unreadable or unparsable file.
    """
    result = _memo_get(real_path, shown_path)
    if result is None:
        source = _source(real_path, shown_path)
        if isinstance(source, InputError):
            raise source
        use_cache = _cache_enabled()
        result = _cache_get(source) if use_cache else None
        if result is None:
            result = _parse(source)
            if use_cache:
                _cache_put(source, _encode(result, source.shown))
        _remember(source, result)
    if isinstance(result, InputError):
        raise result
    return result


def prefetch(paths: Sequence[str]) -> None:
    """Parse many files ahead of loading them, in parallel when that pays.

    Only fills the memo: errors (unreadable files, syntax errors) surface
    when the loader asks for the file, exactly as without a prefetch.
    """
    misses: list[_Source] = []
    use_cache = _cache_enabled()
    seen: set[tuple[str, int, int]] = set()
    for shown in paths:
        real = os.path.realpath(shown)
        if _memo_get(real, shown) is not None:
            continue
        source = _source(real, shown)
        if isinstance(source, InputError) or source.key in seen:
            continue
        seen.add(source.key)
        cached = _cache_get(source) if use_cache else None
        if cached is not None:
            _remember(source, cached)
        else:
            misses.append(source)
    from aitask_lint.limits import workers_for_memory

    sizes = [len(source.raw) for source in misses]
    jobs = min(
        SETTINGS.jobs or available_cpus(),
        len(misses),
        workers_for_memory(max(sizes, default=0), sum(sizes)),  # 8 files took 3.4 GB once
    )
    few = len(misses) < POOL_THRESHOLD and sum(sizes) < POOL_BYTES
    if few or jobs < 2:
        for source in misses:
            result = _parse(source)
            if use_cache:
                _cache_put(source, _encode(result, source.shown))
            _remember(source, result)
        return
    try:
        encoded = _parse_in_pool(misses, jobs, use_cache)
    except (OSError, RuntimeError):  # no fork, no semaphores, a worker killed: go serial
        encoded = _parse_and_store(misses, use_cache)
    for source, data in zip(misses, encoded, strict=True):
        _remember(source, _decode(data, source.shown))


def _parse_in_pool(sources: list[_Source], jobs: int, use_cache: bool) -> list[bytes]:
    """Parse ``sources`` in ``jobs`` forked workers; results in the order given.

    Work is dealt largest file first onto the least loaded worker, so one big
    file does not leave the other workers idle at the end.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from aitask_lint.hcl.parser import lark_parser

    lark_parser()  # load the grammar once, before forking: every worker inherits it
    chunks: list[list[int]] = [[] for _ in range(jobs)]
    loads = [0] * jobs
    for index in sorted(range(len(sources)), key=lambda i: -len(sources[i].raw)):
        lightest = loads.index(min(loads))
        chunks[lightest].append(index)
        loads[lightest] += len(sources[index].raw)
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        return _parse_and_store(sources, use_cache)
    results: list[bytes] = [b""] * len(sources)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [
            (chunk, pool.submit(_parse_and_store, [sources[i] for i in chunk], use_cache))
            for chunk in chunks
            if chunk
        ]
        for chunk, future in futures:
            for index, data in zip(chunk, future.result(), strict=True):
                results[index] = data
    return results
