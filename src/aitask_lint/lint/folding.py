"""One finding per root cause: fold findings that restate a more specific one.

A reference to an output a module does not declare breaks three judgements
at once: the reference itself (AIT301, with Terraform's own error), the task
whose app it was meant to be (AIT106), and the count comparison made through
it (AIT109). Reported three times, one mistake looks like three and the
useful finding drowns. Rules stay independent (each still fires alone when
the others are not selected or not applicable); the runner keeps the most
specific finding of each cause and names the folded rules in its message.

Two findings share a cause when they come from rules of :data:`PRECEDENCE`,
are in the same file, about the same Terraform address, and one's position
lies within the other's span (a reference inside the task block; the same
reference). The precedence is documented in docs/configuration.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from aitask_lint.lint.findings import SEVERITY_RANK, Finding, FindingLocation

#: most specific first: the broken reference, the task left without an app,
#: the count comparison made through that reference
PRECEDENCE: tuple[str, ...] = ("AIT301", "AIT106", "AIT109")
_RANK = {rule: rank for rank, rule in enumerate(PRECEDENCE)}


def fold_root_causes(findings: Sequence[Finding]) -> list[Finding]:
    """``findings`` (sorted) with each cause reported once, order kept."""
    candidates = [f for f in findings if f.rule in _RANK and f.address is not None]
    if len(candidates) < 2:
        return list(findings)
    folded_into: dict[int, Finding] = {}  # id of a folded finding -> the one it went into
    absorbed: dict[int, list[Finding]] = {}
    for finding in sorted(candidates, key=lambda f: (_RANK[f.rule], f.sort_key())):
        keeper = next(
            (
                kept
                for kept in candidates
                if _RANK[kept.rule] < _RANK[finding.rule]
                and id(kept) not in folded_into
                and _same_cause(kept, finding)
            ),
            None,
        )
        if keeper is not None:
            folded_into[id(finding)] = keeper
            absorbed.setdefault(id(keeper), []).append(finding)
    if not folded_into:
        return list(findings)
    result = []
    for finding in findings:
        if id(finding) in folded_into:
            continue
        others = absorbed.get(id(finding))
        result.append(_with_folded(finding, others) if others else finding)
    return result


def _same_cause(specific: Finding, other: Finding) -> bool:
    if specific.address != other.address:
        return False
    here, there = specific.location, other.location
    return here.path == there.path and (_covers(here, there) or _covers(there, here))


def _covers(outer: FindingLocation, inner: FindingLocation) -> bool:
    """Whether ``inner`` starts within ``outer``'s span (its start when it has no end)."""
    start = (outer.line, outer.column)
    end = (outer.end_line or outer.line, outer.end_column or outer.column)
    if outer.end_line is not None and outer.end_column is None:
        end = (outer.end_line, 1 << 30)
    return start <= (inner.line, inner.column) <= end


def _with_folded(finding: Finding, others: list[Finding]) -> Finding:
    """The kept finding, naming what it also explains, at the most severe level of them."""
    names = sorted({(other.rule, other.name) for other in others})
    listed = ", ".join(f"{rule} {name}" for rule, name in names)
    worst = max([finding, *others], key=lambda f: SEVERITY_RANK[f.severity]).severity
    return Finding(
        rule=finding.rule,
        name=finding.name,
        severity=worst,
        message=f"{finding.message} (this also accounts for {listed})",
        address=finding.address,
        location=finding.location,
        scenarios=finding.scenarios,
        fix=finding.fix,
    )
