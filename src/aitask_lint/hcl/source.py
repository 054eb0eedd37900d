"""Reading source files, and naming the parser, without loading the parser.

A run whose every file is in the parse cache needs none of the parser's
imports (lark, the grammar, the visitor); what it needs lives here: the
cache directory, the digest that names grammar and parser, and reading and
decoding a file's bytes with the same errors the parser gives.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from aitask_lint.errors import InputError
from aitask_lint.hcl.cachestore import CACHE_ENV, cache_dir

__all__ = [
    "CACHE_ENV",
    "cache_dir",
    "decode_source",
    "grammar_digest",
    "overlay",
    "read_bytes",
]

#: real path -> the bytes to read instead of the file's (``check --diff`` lints edits unwritten)
_OVERLAY: ContextVar[Mapping[str, bytes] | None] = ContextVar("aitask_lint_overlay", default=None)


@contextlib.contextmanager
def overlay(contents: Mapping[str, bytes]) -> Iterator[None]:
    """Read ``contents`` (real path -> bytes) in place of those files while the block runs.

    The fix engine lints its edits before (or without) writing them: ``--diff``
    and the library's dry run write nothing, yet the next pass must see the
    fixed text. Run it inside a fresh ``hcl.files.scope``: the memo keys files
    by their status on disk, which an overlay does not change.
    """
    token = _OVERLAY.set(contents)
    try:
        yield
    finally:
        _OVERLAY.reset(token)


@cache
def _hcl2_package() -> Path:
    """python-hcl2's directory, found without importing it (its import is slow)."""
    import importlib.util

    spec = importlib.util.find_spec("hcl2")
    if spec is None or spec.origin is None:  # pragma: no cover - dependency missing
        raise RuntimeError("python-hcl2 is not installed")
    return Path(spec.origin).parent


@cache
def grammar_digest() -> str:
    """Names the installed grammar and lark's version: a cache built for another is never used.

    Read from the files, without importing lark: a run whose every file is in
    the parse cache never needs the parser at all.
    """
    return grammar_digest_of(_hcl2_package())


def grammar_digest_of(package: Path) -> str:
    """The digest of the python-hcl2 in directory ``package``, with the installed lark."""
    import importlib.util

    lark_spec = importlib.util.find_spec("lark")
    lark_init = Path(lark_spec.origin).read_bytes() if lark_spec and lark_spec.origin else b""
    grammar = (package / "hcl2.lark").read_bytes() + (package / "postlexer.py").read_bytes()
    return hashlib.sha256(grammar + lark_init + b"\0v3").hexdigest()[:16]


def read_bytes(path: str, *, charge: bool = True) -> bytes:
    """A source file's bytes; an unreadable or oversized file becomes an input error.

    Bounded by the source size limit (``aitask_lint.limits``): the parser needs
    about 200 bytes of memory per byte of HCL, and a ``.tf`` that is a symlink
    to ``/dev/zero`` must not be read forever. ``charge=False`` reads a file
    the run has parsed (and charged) already again, for a fix's edits: the
    run's total counts each file once.
    """
    from aitask_lint.limits import (
        SOURCE_BYTES_ENV,
        charge_source,
        max_source_bytes,
        read_file_bounded,
    )

    replaced = _OVERLAY.get()
    if replaced:
        found = replaced.get(os.path.realpath(path))
        if found is not None:
            if charge:
                charge_source(path, len(found))
            return found
    try:
        raw = read_file_bounded(path, max_source_bytes(), SOURCE_BYTES_ENV, regular_only=True)
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except OSError as error:
        raise InputError(path, f"cannot read file: {error.strerror or error}") from None
    if charge:
        charge_source(path, len(raw))  # the run's total (aitask_lint.limits.source_budget)
    return raw


def decode_source(raw: bytes, path: str) -> str:
    """A source file's text: UTF-8 (BOM allowed); binary or invalid UTF-8 is an input error."""
    from aitask_lint.encodings import wide_encoding

    encoding = wide_encoding(raw)
    if encoding is not None:  # not binary: say what it is, and what Terraform says
        raise InputError(
            path,
            f"{encoding} text: Invalid character encoding: All input files must be UTF-8 "
            "encoded. Ensure that UTF-8 encoding is selected in your editor.",
            1,
            1,
        )
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        prefix = raw[:offset].decode("utf-8", errors="replace")
        line = prefix.count("\n") + 1
        raise InputError(
            path,
            "binary file (NUL byte), not Terraform source",
            line,
            offset - (prefix.rfind("\n") + 1) + 1 if "\n" in prefix else offset + 1,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8", errors="replace")
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        raise InputError(
            path, f"invalid UTF-8 (byte 0x{raw[error.start]:02x})", line, column
        ) from None
