"""``check --format gitlab``: a GitLab Code Quality report (Code Climate issues).

GitLab shows these in the merge request widget and the diff when the job
declares ``artifacts: reports: codequality: <file>``. The document is a JSON
array with one object per finding holding the fields GitLab documents as
required: ``description``, ``check_name``, ``fingerprint``, ``severity``
(``info``, ``minor``, ``major``, ``critical`` or ``blocker``) and
``location.path`` with ``location.lines.begin``.

GitLab matches ``location.path`` against the repository's files, so paths
are the report's project-relative ones; it drops issues whose fingerprint
repeats and compares fingerprints between the source and target branches
to tell new issues from fixed ones, so they are the project-relative,
line- and wording-independent ones of every other format
(:func:`aitask_lint.lint.findings.fingerprints`). Unused suppressions are
reported too (``check_name`` ``unused-suppression``), as in the GitHub format.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from aitask_lint.lint.findings import Report, fingerprints
from aitask_lint.reports.safe import scrub_surrogates

#: aitask-lint severity -> Code Quality severity
SEVERITIES: dict[str, str] = {"error": "major", "warning": "minor", "info": "info"}
UNUSED_CHECK = "unused-suppression"


def render_gitlab(report: Report) -> str:
    """The Code Quality JSON array, indented, one trailing newline (``[]`` when clean)."""
    issues: list[dict[str, Any]] = []
    for finding, print_ in zip(report.findings, fingerprints(report.findings), strict=True):
        issues.append(
            {
                "type": "issue",
                "description": f"{finding.rule} {finding.message}",
                "check_name": finding.rule,
                "fingerprint": print_,
                "severity": SEVERITIES[finding.severity],
                "location": {
                    "path": finding.location.path,
                    "lines": {"begin": finding.location.line},
                },
            }
        )
    for unused in report.unused_suppressions:
        parts = [UNUSED_CHECK, unused.path, unused.rule, unused.line]
        issues.append(
            {
                "type": "issue",
                "description": unused.message,
                "check_name": UNUSED_CHECK,
                "fingerprint": hashlib.sha256(json.dumps(parts).encode("ascii")).hexdigest(),
                "severity": SEVERITIES["warning"],
                "location": {"path": unused.path, "lines": {"begin": unused.line}},
            }
        )
    return json.dumps(scrub_surrogates(issues), indent=2) + "\n"
