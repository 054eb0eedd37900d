"""The cache directory: where it is, whether to trust it, and reading and writing in it.

What is in the cache directory decides what a run reports, so the directory
must belong to the user running aitask-lint and nobody else may write to it:

* **Where.** ``$AITASK_LINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/aitask-lint``,
  else ``~/.cache/aitask-lint``. Only absolute paths count: a relative
  ``XDG_CACHE_HOME`` is ignored as the XDG specification asks, and a relative
  ``AITASK_LINT_CACHE_DIR`` (or home) turns the cache off, since a relative
  path would put the cache inside whatever tree is being scanned.
* **Trust.** A directory we create is made mode 0700 whatever the umask. An
  existing one that is owned by another user, or writable by its group or by
  everyone, is refused: one line on standard error, then the run goes on
  without the cache (same findings, slower). The same check applies to the
  subdirectories in it.
* **Reading** is bounded: an entry that is not a regular file (a FIFO, a
  symlink) or is larger than :data:`MAX_ENTRY_BYTES` is a miss, and never
  blocks or fills memory.
* **Writing** goes to a private temporary file renamed into place, so
  concurrent runs never read a partial entry; a failed write (disk full)
  removes its temporary file.
* **Eviction.** :func:`sweep` keeps the parse cache under
  :data:`MAX_CACHE_BYTES` and :data:`MAX_CACHE_ENTRIES`, deleting the least
  recently used entries first (a hit refreshes an entry's modification time
  at most once a day).

Nothing here reads an entry's contents: the entry formats (``treecodec``,
``grammarcache``) are data only, so even a planted file can run no code.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

CACHE_ENV = "AITASK_LINT_CACHE_DIR"
#: an entry larger than this is neither written nor read (a few times its source's size)
MAX_ENTRY_BYTES = 8 * 1024 * 1024
#: the parse cache is swept back to 3/4 of these when either is exceeded
MAX_CACHE_BYTES = 512 * 1024 * 1024
MAX_CACHE_ENTRIES = 50_000
#: at most one sweep per this many seconds (a sweep stats every entry)
SWEEP_INTERVAL = 3600.0
#: a hit older than this refreshes the entry's modification time (its LRU stamp)
TOUCH_AFTER = 86400.0
#: temporary files older than this were left by a killed process
STALE_TEMPORARY = 3600.0

_SWEEP_STAMP = ".last-sweep"
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)

#: directory -> trusted or not, decided once per process
_verdicts: dict[str, bool] = {}
_warned: set[str] = set()
#: (cache variable, XDG_CACHE_HOME, HOME) -> the cache directory they name
_locations: dict[tuple[str | None, ...], Path | None] = {}


def cache_dir() -> Path | None:
    """The user cache directory, or None when the environment names no absolute one."""
    environ = os.environ
    key = (environ.get(CACHE_ENV), environ.get("XDG_CACHE_HOME"), environ.get("HOME"))
    if key not in _locations:  # asked for every file: decided once per environment
        _locations[key] = _locate()
    return _locations[key]


def _locate() -> Path | None:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        if not os.path.isabs(configured):
            _warn(
                f"{CACHE_ENV} must be an absolute path, not {configured!r}; "
                "running without the cache"
            )
            return None
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: the XDG default
        base = os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(base):
            return None  # no usable home directory
    return Path(base) / "aitask-lint"


def _warn(message: str) -> None:
    """One line on standard error, once per process (paths are quoted with repr)."""
    if message in _warned:
        return
    _warned.add(message)
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"aitask-lint: warning: {message}\n")
        sys.stderr.flush()


def forget_verdicts() -> None:
    """Decide again about every directory (for tests that change owners and modes)."""
    _verdicts.clear()
    _warned.clear()
    _locations.clear()


def _make_private(directory: Path) -> None:
    """Create ``directory`` and any missing parents, each mode 0700 whatever the umask."""
    missing = []
    current = directory
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue  # a concurrent run made it: it is checked like any existing one
        os.chmod(path, 0o700)  # mkdir's mode is masked by the umask; 0700 is what we promise


def trusted(directory: Path, *, create: bool) -> bool:
    """Whether entries may be read from and written to ``directory``.

    It must be a directory owned by the current user and not writable by
    group or others. Missing, it is created (0700) when ``create``, else it
    is simply not usable yet. A refusal is reported once, in one line.
    """
    key = str(directory)
    verdict = _verdicts.get(key)
    if verdict is not None:
        return verdict
    try:
        status = os.stat(directory)
    except FileNotFoundError:
        if not create:
            return False
        try:
            _make_private(directory)
            status = os.stat(directory)
        except OSError:
            _verdicts[key] = False  # a read-only home, a file in the way: only costs speed
            return False
    except OSError:
        _verdicts[key] = False
        return False
    verdict = _acceptable(directory, status)
    _verdicts[key] = verdict
    return verdict


def _acceptable(directory: Path, status: os.stat_result) -> bool:
    if not stat.S_ISDIR(status.st_mode):
        return False  # e.g. a file where the cache should be: only costs speed
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # pragma: no cover - Windows: no owners or modes to check
        return True
    uid = getuid()
    if status.st_uid != uid:
        _warn(
            f"cache directory {str(directory)!r} is owned by another user "
            f"(uid {status.st_uid}, not {uid}); running without the cache"
        )
        return False
    if status.st_mode & 0o022:
        _warn(
            f"cache directory {str(directory)!r} is writable by others "
            f"(mode {stat.S_IMODE(status.st_mode):04o}); running without the cache "
            "(chmod 700 it to use it)"
        )
        return False
    return True


def read_entry(path: Path, limit: int = MAX_ENTRY_BYTES) -> bytes | None:
    """An entry's bytes, or None when absent, not a regular file or too large."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return None
        chunks = []
        remaining = status.st_size + 1  # one byte more: a file that grew is refused
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        if remaining <= 0:
            return None
        if time.time() - status.st_mtime > TOUCH_AFTER:
            with contextlib.suppress(OSError):
                os.utime(descriptor)  # used: it is recent again for eviction
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def write_entry(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; False (and nothing left behind) on failure."""
    if len(data) > MAX_ENTRY_BYTES:
        return False
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError:
        return False
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(descriptor, view)
                view = view[written:]
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            return False  # a full or read-only disk only costs speed
        raise
    return True


def sweep(root: Path, *, force: bool = False) -> None:
    """Bound the parse cache under ``root``: least recently used entries go first.

    Also removes temporary files left by killed processes and entries of
    older formats (pickles, never read). Runs at most once per
    :data:`SWEEP_INTERVAL` unless ``force``.
    """
    stamp = root / _SWEEP_STAMP
    now = time.time()
    if not force:
        try:
            if now - os.stat(stamp).st_mtime < SWEEP_INTERVAL:
                return
        except OSError:
            pass
    with contextlib.suppress(OSError):
        os.close(os.open(stamp, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600))
        os.utime(stamp)
    entries: list[tuple[float, int, str]] = []
    for directory in _subdirectories(root):
        try:
            listing = list(os.scandir(directory))
        except OSError:
            continue
        for item in listing:
            try:
                status = item.stat(follow_symlinks=False)
            except OSError:
                continue
            name = item.name
            stale_temporary = name.endswith(".tmp") and now - status.st_mtime > STALE_TEMPORARY
            if stale_temporary or name.endswith(".pickle"):
                _remove(item.path)
            elif name.endswith(".json") and stat.S_ISREG(status.st_mode):
                entries.append((status.st_mtime, status.st_size, item.path))
    total = sum(size for _mtime, size, _path in entries)
    if total <= MAX_CACHE_BYTES and len(entries) <= MAX_CACHE_ENTRIES:
        return
    entries.sort()  # oldest first
    keep_bytes, keep_entries = MAX_CACHE_BYTES * 3 // 4, MAX_CACHE_ENTRIES * 3 // 4
    count = len(entries)
    for _mtime, size, path in entries:
        if total <= keep_bytes and count <= keep_entries:
            break
        _remove(path)
        total -= size
        count -= 1


def _subdirectories(root: Path) -> list[str]:
    try:
        return [item.path for item in os.scandir(root) if item.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
