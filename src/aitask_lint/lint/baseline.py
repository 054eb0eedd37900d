"""Baselines: record today's findings, then report only new ones.

Findings are keyed by (path, address, rule), not by line, so a baseline
survives edits that move code around; a key recorded N times absorbs at most
N findings.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from aitask_lint.errors import InputError
from aitask_lint.lint.findings import Finding, shown_path

VERSION = 1


def _key(finding: Finding, base: str | None) -> tuple[str, str, str]:
    """The path as reports show it (relative to the project root ``base``), so a
    baseline matches from any current directory however the inputs were spelled."""
    return (shown_path(finding.location.path, base), finding.address or "", finding.rule)


def write_baseline(path: str, findings: list[Finding], base: str | None) -> None:
    counts = Counter(_key(f, base) for f in findings)
    entries = [
        {"path": p, "address": a or None, "rule": r, "count": n}
        for (p, a, r), n in sorted(counts.items())
    ]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"version": VERSION, "entries": entries}, handle, indent=2)
        handle.write("\n")


#: about 130,000 entries; a baseline is read whole, so it is bounded like every input
MAX_BASELINE_BYTES = 16 * 1024 * 1024
#: a baseline is an object of entries: two levels, anything deeper is not one
_MAX_DEPTH = 64


def read_baseline(path: str) -> Counter[tuple[str, str, str]]:
    """Read and validate a baseline, every problem one :class:`InputError`.

    Read once, bounded and from a regular file only (a committed symlink to
    ``/dev/zero`` is refused, not read forever); decoded strictly; each entry
    checked for its types, with the entry's line and column when it is wrong.
    """
    from aitask_lint.lint.config import read_settings_file

    text = read_settings_file(path, MAX_BASELINE_BYTES, "baseline")
    from aitask_lint.jsonpos import line_column, nesting_position

    deep = nesting_position(text, _MAX_DEPTH)
    if deep:  # checked first: the C decoder would recurse to Python's limit
        raise InputError(
            path,
            f"not an aitask-lint baseline: nested more than {_MAX_DEPTH} levels deep",
            *line_column(text, deep),
        )
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_int=_bounded_int)
    except json.JSONDecodeError as error:
        raise InputError(
            path, f"invalid baseline JSON: {error.msg}", error.lineno, error.colno
        ) from None
    except ValueError as error:  # NaN/Infinity, or an integer over Python's digit limit
        raise InputError(path, f"invalid baseline JSON: {error}", *_long_number(text)) from None
    if (
        not isinstance(data, dict)
        or data.get("version") != VERSION
        or isinstance(data.get("version"), bool)
        or not isinstance(data.get("entries"), list)
    ):
        raise InputError(path, f"not an aitask-lint baseline (version {VERSION})")
    counts: Counter[tuple[str, str, str]] = Counter()
    for index, entry in enumerate(data["entries"]):
        problem = _entry_problem(entry)
        if problem is not None:
            line, column = _entry_position(text, index)
            raise InputError(path, f"invalid baseline entry {index}: {problem}", line, column)
        counts[(entry["path"], entry.get("address") or "", entry["rule"])] += entry.get("count", 1)
    return counts


def _bounded_int(digits: str) -> int:
    """A JSON integer, refused past 4,300 digits before ``int()`` (quadratic) sees it."""
    if len(digits) > 4300:
        raise ValueError(f"a number with {len(digits)} digits, over 4300")
    return int(digits)


def _long_number(text: str) -> tuple[int | None, int | None]:
    """Where the first run of over 4,300 digits starts (maximal runs: a linear scan)."""
    import re

    from aitask_lint.jsonpos import line_column

    for run in re.finditer(r"[0-9]+", text):
        if len(run.group()) > 4300:
            return line_column(text, run.start())
    return None, None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _entry_problem(entry: Any) -> str | None:
    """What is wrong with one baseline entry, or None."""
    if not isinstance(entry, dict):
        return "expected an object with path, address, rule and count"
    for key in ("path", "rule"):
        if not isinstance(entry.get(key), str):
            return f"{key!r} must be a string"
    if not isinstance(entry.get("address"), str | None):
        return "'address' must be a string or null"
    count = entry.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 10**9:
        return f"'count' must be a whole number from 1, not {count!r}"
    return None


def _entry_position(text: str, index: int) -> tuple[int, int]:
    """Line and column of entry ``index`` (the JSON Pointer ``/entries/index``)."""
    from aitask_lint.jsonpos import locate

    return locate(text, f"/entries/{index}")


def filter_new(
    findings: list[Finding], baseline: Counter[tuple[str, str, str]], base: str | None
) -> list[Finding]:
    remaining = Counter(baseline)
    new = []
    for finding in findings:
        key = _key(finding, base)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(finding)
    return new
