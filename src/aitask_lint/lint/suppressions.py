"""Inline suppressions: ``# aitask-lint: ignore[AIT203] reason`` and ``ignore-file[...]``.

A comment on the line before a block, or on the block's first line,
silences those rules for findings inside that block; ``ignore-file``
anywhere in a file silences them for the whole file. ``//`` comments work
too. A suppression that silences nothing is reported (as tflint and ruff do)
so that suppressions do not outlive the problem they hid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aitask_lint.lint.findings import Finding, UnusedSuppression, given_path
from aitask_lint.lint.registry import matches, rule_by_key

if TYPE_CHECKING:
    from aitask_lint.hcl.syntax import Block as HclBlock
    from aitask_lint.hcl.syntax import Body, File
    from aitask_lint.lint.rule import Rule

_DIRECTIVE = re.compile(
    r"^(?:#|//)\s*aitask-lint:\s*(?P<kind>ignore|ignore-file)\[(?P<rules>[^\]]*)\](?P<why>.*)$"
)


@dataclass
class Suppression:
    path: str
    line: int
    column: int
    kind: str
    rules: list[str]
    #: lines of the block it covers (None: the whole file; (0, 0): no block follows)
    lines: tuple[int, int] | None
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> list[str]:
        """Every rule key of this suppression that silences ``finding``.

        All of them, not the first: ``ignore[AIT401, AIT4]`` names AIT401
        twice, and neither entry is "unused" when an AIT401 finding is there.
        """
        if finding.location.path != self.path:
            return []
        if self.lines is not None and not (self.lines[0] <= finding.location.line <= self.lines[1]):
            return []
        rule = rule_by_key(finding.rule)
        if rule is None:
            return []
        return [key for key in self.rules if matches(rule, key)]


def _blocks(body: Body) -> list[HclBlock]:
    found = []
    for block in body.blocks:
        found.append(block)
        found.extend(_blocks(block.body))
    return found


def collect(files: list[File]) -> list[Suppression]:
    """Suppression comments of parsed HCL files."""
    found = []
    for file in files:
        path = given_path(file.path)
        blocks = _blocks(file.body)
        for comment in file.comments:
            match = _DIRECTIVE.match(comment.text)
            if match is None:
                continue
            # a key written twice (``ignore[AIT401, AIT401]``) is one entry
            rules = list(dict.fromkeys(r.strip() for r in match.group("rules").split(",")))
            rules = [rule for rule in rules if rule]
            lines: tuple[int, int] | None = None
            if match.group("kind") == "ignore":
                line = comment.span.line
                target = next((b for b in blocks if b.span.line in (line, line + 1)), None)
                lines = (target.span.line, target.span.end_line) if target else (0, 0)
            found.append(
                Suppression(
                    path, comment.span.line, comment.span.column, match.group("kind"), rules, lines
                )
            )
    return found


def apply(
    findings: list[Finding], suppressions: list[Suppression]
) -> tuple[list[Finding], list[UnusedSuppression]]:
    """Drop suppressed findings; report every suppression entry that silenced nothing."""
    kept = []
    for finding in findings:
        silenced = False
        for suppression in suppressions:
            keys = suppression.covers(finding)
            if keys:
                suppression.used.update(keys)
                silenced = True
        if not silenced:
            kept.append(finding)
    unused = []
    for suppression in suppressions:
        for key in suppression.rules:
            if key in suppression.used:
                continue
            if rule_by_key(key) is None and not any(matches(rule, key) for rule in _all()):
                reason = f"unknown rule {key!r}"
            elif suppression.lines == (0, 0):
                reason = "no block starts on this line or the next"
            else:
                reason = f"no {key} finding to silence"
            unused.append(
                UnusedSuppression(
                    path=suppression.path,
                    line=suppression.line,
                    column=suppression.column,
                    rule=key,
                    message=f"unused suppression {suppression.kind}[{key}]: {reason}",
                )
            )
    return kept, unused


def _all() -> tuple[Rule, ...]:
    from aitask_lint.lint.registry import all_rules

    return all_rules()
