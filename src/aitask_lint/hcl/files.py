"""Parse source files once per process, once per content on disk, and in parallel.

Parsing is nearly all of a lint run's cost (python-hcl2's LALR parser runs at
about 50 ms per 10 KB), so three layers sit in front of it:

* **In-process memo**: a file met again in one run (a module shared by many
  roots of ``check --recursive``) is the same object, keyed by real path,
  size and modification time. The CLI's memo is the process's; a library
  call (``aitask_lint.check``) has its own, in a ``settings.scope``, with no
  pool and no cache unless asked, dropped when the call returns.
* **Parse cache on disk**: the syntax tree of a file is stored under the
  SHA-256 of its bytes (plus the parser's and this package's versions) in the
  user cache directory, never in the scanned tree. An entry is plain JSON
  with no path in it (``treecodec``): the path of the file being loaded is
  attached on the way back, so a copied template hits the cache too, and a
  planted entry can run no code. The directory's checks, bounded reads,
  atomic writes and eviction are ``cachestore``'s; an unreadable, foreign or
  tampered entry is a miss.
* **Parallel parsing**: :func:`prefetch` parses the cache misses of many
  files in worker processes (``--jobs``), forked after the grammar is loaded
  so that workers start instantly. A handful of files is parsed in-process:
  a pool costs more than it saves there.

Results are identical whatever the layer: a hit gives the same tree (and the
same syntax error, for a broken file) as a parse.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from aitask_lint.errors import InputError
from aitask_lint.hcl import treecodec
from aitask_lint.hcl.settings import cache_enabled, current, memo
from aitask_lint.hcl.syntax import File

#: bump when the encoding of an entry changes (code changes orphan entries by themselves)
CACHE_FORMAT = "2"
#: cache misses below this many are parsed in-process, without a pool
POOL_THRESHOLD = 8
#: ...unless they hold this much source: two dense 256 KiB files take 6 s on one core
POOL_BYTES = 128 * 1024


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def _cache_root() -> Path | None:
    from aitask_lint.hcl.cachestore import cache_dir

    base = cache_dir()
    return None if base is None else base / "parse"


@dataclass(frozen=True)
class _Source:
    """One file to parse: where it is, what it is called in reports, and its bytes."""

    key: tuple[str, int, int]
    shown: str
    raw: bytes

    @cached_property  # asked by the cache lookup and again by the write after a miss
    def digest(self) -> str:
        from aitask_lint._version import __version__

        header = f"{CACHE_FORMAT}\0{__version__}\0{_parser_tag()}\0{self.shown.endswith('.json')}"
        return hashlib.sha256(header.encode() + b"\0" + self.raw).hexdigest()


#: the modules whose code shapes a cached syntax tree
_PARSING_MODULES = (
    "files.py",
    "source.py",
    "parser.py",
    "prepare.py",
    "visitor.py",
    "strings.py",
    "diagnose.py",
    "expressions.py",
    "syntax.py",
    "span.py",
    "jsonsyntax.py",
    "treecodec.py",
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
    digest.update((here.parent / "coder_text.py").read_bytes())  # the syntax errors' words
    return digest.hexdigest()[:16]


# --- the disk cache -------------------------------------------------------------


def _entry_file(digest: str, *, create: bool) -> Path | None:
    """Where the entry for ``digest`` lives, or None when the cache directory is not usable.

    Every directory on the way (the cache directory, ``parse``, the two-hex
    fan-out) must pass :func:`cachestore.trusted`: ours, and writable by
    nobody else.
    """
    from aitask_lint.hcl import cachestore

    root = _usable_root(create=create)
    if root is None:
        return None
    directory = root / digest[:2]
    if not cachestore.trusted(directory, create=create):
        return None
    return directory / f"{digest[2:]}.json"


def _usable_root(*, create: bool) -> Path | None:
    """The parse cache's directory when it and the cache directory pass the checks."""
    from aitask_lint.hcl import cachestore

    root = _cache_root()
    if root is None:
        return None
    for step in (root.parent, root):
        if not cachestore.trusted(step, create=create):
            return None
    return root


def _cache_get(source: _Source) -> File | InputError | None:
    from aitask_lint.hcl import cachestore

    target = _entry_file(source.digest, create=False)
    if target is None:
        return None
    data = cachestore.read_entry(target, _entry_limit(source))
    if data is None:
        return None
    try:
        return treecodec.decode(data, source.shown)
    except Exception:  # truncated, foreign or tampered with: a miss, rewritten after the parse
        return None


#: parse-cache directories this process has swept (one sweep each, before the first write)
_SWEPT: set[Path] = set()


def _cache_put(source: _Source, result: File | InputError) -> None:
    try:
        data = treecodec.encode(result, source.shown)
    except treecodec.UnencodableError:
        return
    _store(source, data)


def _entry_limit(source: _Source) -> int:
    """The largest entry read or written for ``source``.

    A tree's entry is a few times its source (at most 4x on the benchmark
    corpus, 11x for a list of a million small numbers), so a much larger file
    under that name was not written by us and is not read. Decoding a planted
    entry takes up to ~50 bytes of memory per byte (430 MB for 8 MiB of
    ``[],``), so the 8 MiB cap keeps it under half the 1 GiB promise. A tree
    past the bound (deeply nested expressions repeat their text at every
    level) is simply not cached.
    """
    from aitask_lint.hcl.cachestore import MAX_ENTRY_BYTES

    return min(MAX_ENTRY_BYTES, 16 * len(source.raw) + 65536)


def _store(source: _Source, data: bytes) -> None:
    from aitask_lint.hcl import cachestore

    if len(data) > _entry_limit(source):
        return
    target = _entry_file(source.digest, create=True)
    if target is None:
        return
    _sweep_once()
    cachestore.write_entry(target, data)


def _sweep_once() -> None:
    """The first write of a process keeps the cache within its bounds (``cachestore.sweep``)."""
    from aitask_lint.hcl import cachestore

    root = _usable_root(create=True)
    if root is not None and root not in _SWEPT:
        _SWEPT.add(root)
        cachestore.sweep(root)


# --- parsing ----------------------------------------------------------------------


def parse_source(raw: bytes, path: str) -> File:
    """Parse a ``.tf`` or ``.tf.json`` file's bytes (the suffix of ``path`` decides which).

    The one place that tells the two syntaxes apart. The cyclic garbage
    collector is paused meanwhile (:mod:`aitask_lint.gcpause`).
    """
    from aitask_lint.gcpause import paused_gc
    from aitask_lint.hcl.source import decode_source

    text = decode_source(raw, path)
    with paused_gc():
        if path.endswith(".tf.json"):
            from aitask_lint.hcl.jsonsyntax import parse_tf_json

            return parse_tf_json(text, path)
        from aitask_lint.hcl.parser import parse_hcl

        return parse_hcl(text, path)


def load_hcl_file(path: str) -> File:
    """Read and parse a ``.tf`` or ``.tf.json`` file, past the memo and the disk cache."""
    from aitask_lint.hcl.source import read_bytes

    return parse_source(read_bytes(path), path)


def _parse(source: _Source) -> File | InputError:
    try:
        return parse_source(source.raw, source.shown)
    except InputError as error:
        return error


def _parse_and_store(sources: list[_Source], use_cache: bool) -> list[bytes | File | InputError]:
    """Worker: parse each source, store it in the cache, return the encoded trees.

    A tree the cache cannot carry (see ``treecodec``) comes back as itself,
    through the pool's own channel to the parent that forked this worker.
    """
    encoded: list[bytes | File | InputError] = []
    for source in sources:
        result = _parse(source)
        try:
            data = treecodec.encode(result, source.shown)
        except treecodec.UnencodableError:
            encoded.append(result)
            continue
        if use_cache:
            _store(source, data)
        encoded.append(data)
    return encoded


def _from_worker(data: bytes | File | InputError, source: _Source) -> File | InputError:
    if not isinstance(data, bytes):
        return data
    try:
        return treecodec.decode(data, source.shown)
    except RecursionError:  # this process's stack is deeper than the worker's was
        return _parse(source)


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
    memo()[source.key] = result
    return result


def _memo_get(real_path: str, shown_path: str) -> File | InputError | None:
    try:
        status = os.stat(real_path)
    except OSError:
        return None
    found = memo().get((real_path, status.st_size, status.st_mtime_ns))
    if found is None:
        return None
    path = found.path
    return found if path == shown_path else None


def forget() -> None:
    """Drop every parsed file held (the scope's, else the process's; the disk cache keeps them)."""
    memo().clear()


def parse_file(real_path: str, shown_path: str) -> File:
    """The syntax tree of one file, from the memo, the disk cache or the parser.

    Raises :class:`InputError` for an unreadable or unparsable file.
    """
    result = _memo_get(real_path, shown_path)
    if result is None:
        source = _source(real_path, shown_path)
        if isinstance(source, InputError):
            raise source
        use_cache = cache_enabled()
        result = _cache_get(source) if use_cache else None
        if result is None:
            result = _parse(source)
            if use_cache:
                _cache_put(source, result)
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
    use_cache = cache_enabled()
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
        current().jobs or available_cpus(),
        len(misses),
        workers_for_memory(max(sizes, default=0), sum(sizes)),  # 8 files took 3.4 GB once
    )
    few = len(misses) < POOL_THRESHOLD and sum(sizes) < POOL_BYTES
    if few or jobs < 2:
        for source in misses:
            result = _parse(source)
            if use_cache:
                _cache_put(source, result)
            _remember(source, result)
        return
    if use_cache:
        _sweep_once()  # here, not in every worker
    try:
        encoded = _parse_in_pool(misses, jobs, use_cache)
    except (OSError, RuntimeError):  # no fork, no semaphores, a worker killed: go serial
        encoded = _parse_and_store(misses, use_cache)
    for source, data in zip(misses, encoded, strict=True):
        _remember(source, _from_worker(data, source))


def _parse_in_pool(
    sources: list[_Source], jobs: int, use_cache: bool
) -> list[bytes | File | InputError]:
    """Parse ``sources`` in ``jobs`` forked workers; results in the order given.

    Work is dealt largest file first onto the least loaded worker, so one big
    file does not leave the other workers idle at the end.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from aitask_lint.hcl.grammar import lark_parser

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
    results: list[bytes | File | InputError] = [b""] * len(sources)
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
