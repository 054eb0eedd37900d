"""Baselines: record today's findings, then report only new ones.

Findings are keyed by (path, address, rule), not by line, so a baseline
survives edits that move code around; a key recorded N times absorbs at most
N findings.
"""

from __future__ import annotations

import json
from collections import Counter

from aitask_lint.errors import InputError
from aitask_lint.lint.findings import Finding

VERSION = 1


def _key(finding: Finding) -> tuple[str, str, str]:
    return (finding.location.path, finding.address or "", finding.rule)


def write_baseline(path: str, findings: list[Finding]) -> None:
    counts = Counter(_key(f) for f in findings)
    entries = [
        {"path": p, "address": a or None, "rule": r, "count": n}
        for (p, a, r), n in sorted(counts.items())
    ]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"version": VERSION, "entries": entries}, handle, indent=2)
        handle.write("\n")


def read_baseline(path: str) -> Counter[tuple[str, str, str]]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise InputError(path, f"cannot read baseline: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise InputError(
            path, f"invalid baseline JSON: {error.msg}", error.lineno, error.colno
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("version") != VERSION
        or not isinstance(data.get("entries"), list)
    ):
        raise InputError(path, f"not an aitask-lint baseline (version {VERSION})")
    counts: Counter[tuple[str, str, str]] = Counter()
    for entry in data["entries"]:
        try:
            key = (str(entry["path"]), str(entry.get("address") or ""), str(entry["rule"]))
            counts[key] += int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise InputError(path, f"invalid baseline entry: {entry!r}") from None
    return counts


def filter_new(findings: list[Finding], baseline: Counter[tuple[str, str, str]]) -> list[Finding]:
    remaining = Counter(baseline)
    new = []
    for finding in findings:
        key = _key(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(finding)
    return new
