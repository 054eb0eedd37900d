"""Terraform version constraints (``>= 4.0, < 5.0``, ``~> 4.2``) over semantic versions.

Used to decide which catalog entry a registry module's ``version`` argument
selects (``terraform init`` installs the newest version that satisfies the
constraint) and whether a constraint admits versions with a different
behaviour (``>= 4.0`` on claude-code admits 5.x, which has no
``task_app_id``). Pre-release suffixes are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Version = tuple[int, int, int]
INFINITY: Version = (10**9, 0, 0)

#: one constraint after its operator: no two repetitions can match the same
#: characters (surrounding spaces are stripped first, the suffix runs to the end),
#: so matching is linear; ``^\s*(op)?\s*`` backtracked quadratically (36 s on a
#: 30 KB ``version`` of spaces)
_VERSION = re.compile(
    r"v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-[0-9A-Za-z.~-]*)?(?:\+[0-9A-Za-z.~-]*)?"
)
_OPERATORS = ("!=", ">=", "<=", "~>", "=", ">", "<")
#: go-version keeps each segment in an int64; longer digit strings are not versions
#: (and Python's int() refuses more than 4,300 digits)
_MAX_DIGITS = 18


@dataclass(frozen=True, slots=True)
class _Part:
    """One comma-separated constraint: its operator (``""`` if none) and version."""

    operator: str
    major: int
    minor: str | None
    patch: str | None


def _match_part(text: str) -> _Part | None:
    """Parse ``[operator] [v]major[.minor[.patch]][-pre|+meta]``, spaces allowed around."""
    rest = text.strip()
    operator = next((op for op in _OPERATORS if rest.startswith(op)), "")
    rest = rest[len(operator) :].lstrip()
    match = _VERSION.fullmatch(rest)
    if match is None or any(len(g or "") > _MAX_DIGITS for g in match.groups()):
        return None
    return _Part(operator, int(match.group(1)), match.group(2), match.group(3))


class ConstraintError(ValueError):
    """A version constraint Terraform would not accept."""


def parse_version(text: str) -> Version:
    part = _match_part(text)
    if part is None or part.operator:
        raise ConstraintError(f"not a version: {text!r}")
    return (part.major, int(part.minor or 0), int(part.patch or 0))


@dataclass(frozen=True, slots=True)
class Interval:
    """Versions ``low <= v < high`` (``high`` exclusive), minus ``excluded``."""

    low: Version = (0, 0, 0)
    high: Version = INFINITY
    excluded: frozenset[Version] = frozenset()

    def intersect(self, other: Interval) -> Interval:
        return Interval(
            max(self.low, other.low), min(self.high, other.high), self.excluded | other.excluded
        )

    def contains(self, version: Version) -> bool:
        return self.low <= version < self.high and version not in self.excluded


def _next_patch(version: Version) -> Version:
    return (version[0], version[1], version[2] + 1)


def parse_constraint(text: str) -> Interval:
    """The set of versions a Terraform constraint string admits, as one interval."""
    interval = Interval()
    if not text.strip():
        return interval
    for part in text.split(","):
        parsed = _match_part(part)
        if parsed is None:
            raise ConstraintError(f"invalid version constraint {text!r}")
        operator = parsed.operator or "="
        major, minor, patch = parsed.major, parsed.minor, parsed.patch
        version = (major, int(minor or 0), int(patch or 0))
        if operator == "=":
            bound = Interval(version, _next_patch(version))
        elif operator == "!=":
            bound = Interval(excluded=frozenset({version}))
        elif operator == ">=":
            bound = Interval(low=version)
        elif operator == ">":
            bound = Interval(low=_next_patch(version))
        elif operator == "<":
            bound = Interval(high=version)
        elif operator == "<=":
            bound = Interval(high=_next_patch(version))
        elif patch is not None:  # "~> 4.2.1": only the patch may increase
            bound = Interval(version, (major, version[1] + 1, 0))
        else:  # "~> 4.2" and "~> 4": the minor may increase
            bound = Interval(version, (major + 1, 0, 0))
        interval = interval.intersect(bound)
    return interval


def format_version(version: Version) -> str:
    return ".".join(str(part) for part in version)


def raised_constraint(text: str, needed: Version) -> str | None:
    """``text`` with its lower bound raised to ``needed``, in the constraint's own style.

    ``>= 2.7.0`` becomes ``>= 2.12.0``, ``~> 2.7`` becomes ``~> 2.12`` (as many
    version parts as written), ``>= 2.5, < 3.0`` keeps its upper bound. None
    when there is no lower bound to raise, or when the raised constraint would
    still not admit ``needed`` (an upper bound below it, an exact pin that
    ``~>`` cannot express): those need a person.
    """
    parts = text.split(",")
    for index, part in enumerate(parts):
        parsed = _match_part(part)
        if parsed is None:
            return None
        if parsed.operator not in ("", "=", ">=", ">", "~>"):
            continue
        written = 1 + (parsed.minor is not None) + (parsed.patch is not None)
        if parsed.operator == "~>" and written == 1:
            written = 2  # "~> 2" admits all of 2.x: "~> 2.12" keeps that meaning
        version = ".".join(str(number) for number in needed[:written])
        operator = ">=" if parsed.operator == ">" else parsed.operator
        lead = part[: len(part) - len(part.lstrip())]
        trail = part[len(part.rstrip()) :]
        spaced = f"{operator} {version}" if operator else version
        if parsed.operator and part.strip()[len(parsed.operator) :][:1] != " ":
            spaced = f"{operator}{version}"
        parts[index] = f"{lead}{spaced}{trail}"
        raised = ",".join(parts)
        try:
            admitted = parse_constraint(raised)
        except ConstraintError:
            return None
        return raised if admitted.contains(needed) and admitted.low >= needed else None
    return None
