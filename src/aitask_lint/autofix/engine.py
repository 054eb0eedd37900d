"""Applying the fixes rules attach to findings: in memory, pass by pass, then atomically.

Why passes: two fixes may edit the same text (AIT104 drops the
``sidebar_app`` block AIT105 would turn into ``app_id``). Each pass lints
the current text (unwritten edits are read through ``hcl.source.overlay``),
takes the fixes in report order and applies every one whose edits overlap no
edit applied earlier in the pass; the others wait for the next pass, which
sees the text they would now be computed against. Passes repeat until no fix
applies, at most :data:`MAX_PASSES` times.

Every changed file must still parse; a fix that breaks one is not applied
and is reported as failed. Files are written only at the end, only when
inside the project root, owned by the user, and not a downloaded module
(``.terraform/``): a temporary file in the same directory, the original's
mode, then ``os.replace``.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from aitask_lint.errors import InputError
from aitask_lint.lint.findings import PSEUDO_PATHS, Finding, Fix, Report, TextEdit

#: the most passes one run makes (a fix that re-creates its finding cannot loop forever)
MAX_PASSES = 10


@dataclass(frozen=True)
class FixPolicy:
    """Which fixes to apply: safe ones, unsafe ones too, and per-rule ``fixable``/``unfixable``."""

    unsafe: bool = False
    fixable: tuple[str, ...] = ("ALL",)
    unfixable: tuple[str, ...] = ()

    def allows(self, finding: Finding) -> bool:
        fix = finding.fix
        if fix is None or (fix.applicability == "unsafe" and not self.unsafe):
            return False
        return self.rule_allowed(finding.rule)

    def rule_allowed(self, rule_id: str) -> bool:
        from aitask_lint.lint.registry import matches, rule_by_key

        rule = rule_by_key(rule_id)
        if rule is None:
            return False

        def named(keys: Iterable[str]) -> bool:
            return any(key.upper() == "ALL" or matches(rule, key) for key in keys)

        return named(self.fixable) and not named(self.unfixable)


@dataclass
class AppliedFix:
    """A fix that was applied (or, in a dry run, would be)."""

    rule: str
    name: str
    applicability: str
    message: str
    path: str
    line: int


@dataclass
class FailedFix:
    """A fix that was not applied, and why (the file would no longer parse, not writable...).

    ``reason`` names no path: ``file`` is the file it concerns (as the lint pass named
    it), which a report shows as it shows ``path``, the finding's."""

    rule: str
    path: str
    line: int
    reason: str
    file: str = ""

    def describe(self, shown: Callable[[str], str]) -> str:
        """``main.tf:12: AIT403 fix failed: main.tf: would not parse (...)`` with paths shown."""
        return (
            f"{shown(self.path)}:{self.line}: {self.rule} fix failed: "
            f"{shown(self.file or self.path)}: {self.reason}"
        )


@dataclass
class FileChange:
    """One file's text before and after the fixes (``path`` as the report names it)."""

    path: str
    disk_path: str
    before: bytes
    after: bytes

    def diff(self, start: str | None = None) -> str:
        """A unified diff that ``patch -p0`` applies from ``start`` (default: the current
        directory), which must be a directory above the file (see :func:`diff_start`)."""
        before = self.before.decode("utf-8", "surrogateescape").splitlines(keepends=True)
        after = self.after.decode("utf-8", "surrogateescape").splitlines(keepends=True)
        name = os.path.relpath(self.disk_path, start).replace(os.sep, "/")
        lines = difflib.unified_diff(before, after, fromfile=name, tofile=name)
        return "".join(_end_lines(lines))


@dataclass
class FixResult:
    """What a fix run did: the fixes, the failures, the files' changes and what remains."""

    applied: list[AppliedFix] = field(default_factory=list)
    failed: list[FailedFix] = field(default_factory=list)
    changes: list[FileChange] = field(default_factory=list)
    #: the findings left after the fixes (the report of the last pass)
    remaining: Report | None = None
    #: how many remaining findings have an unsafe fix ``--unsafe-fixes`` would apply
    unsafe_available: int = 0
    written: bool = False

    @property
    def edits(self) -> list[TextEdit]:
        return [edit for change in self.changes for edit in _edits_between(change)]

    @property
    def diff(self) -> str:
        """The diff ``patch -p0`` applies from the current directory (see :meth:`diff_from`)."""
        return self.diff_from(None)

    def diff_from(self, start: str | None) -> str:
        """The diff with paths relative to ``start``, where ``patch -p0`` applies it."""
        return "".join(change.diff(start) for change in self.changes)


def diff_start(changes: Iterable[FileChange], fallback: str) -> str | None:
    """Where a diff of ``changes`` can be applied: the current directory (None) when
    every file is below it, else ``fallback`` (the project root, which holds every file
    a fix writes). ``patch`` and ``git apply`` refuse a name with ``..`` or an absolute
    one, so a diff naming ``../tpl/main.tf`` would apply nowhere."""
    here = os.path.realpath(os.getcwd())
    if all(_inside(change.disk_path, here) for change in changes):
        return None
    return os.path.realpath(fallback)


def _end_lines(lines: Iterable[str]) -> Iterable[str]:
    """difflib's lines, each ending in a newline (with the marker patch understands)."""
    for line in lines:
        if line.endswith("\n"):
            yield line
        else:
            yield line + "\n\\ No newline at end of file\n"


def _edits_between(change: FileChange) -> list[TextEdit]:
    """The byte ranges that differ, as edits (for the library's ``FixResult.edits``)."""
    matcher = difflib.SequenceMatcher(None, change.before, change.after, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        prefix = change.before[:i1].decode("utf-8", "replace")
        inside = change.before[:i2].decode("utf-8", "replace")
        edits.append(
            TextEdit(
                path=change.path,
                start=i1,
                end=i2,
                content=change.after[j1:j2].decode("utf-8", "replace"),
                line=prefix.count("\n") + 1,
                column=len(prefix) - (prefix.rfind("\n") + 1) + 1,
                end_line=inside.count("\n") + 1,
                end_column=len(inside) - (inside.rfind("\n") + 1) + 1,
            )
        )
    return edits


#: one lint pass over the current text: a report whose paths open from the current directory
LintPass = Callable[[], Report]


class _Files:
    """The working copies: original and current bytes of each file a fix touched."""

    def __init__(self, roots: tuple[str, ...]) -> None:
        self.roots = roots
        self.original: dict[str, bytes] = {}
        self.current: dict[str, bytes] = {}
        self.shown: dict[str, str] = {}

    def refusal(self, path: str) -> str | None:
        """Why ``path`` must not be written, or None when it may be."""
        if path in PSEUDO_PATHS:
            return "not a file"
        real = os.path.realpath(path)
        root = next((root for root in self.roots if _inside(real, root)), None)
        if root is None:
            return "outside the project root"
        if ".terraform" in os.path.relpath(real, root).split(os.sep):
            return "a downloaded module copy (.terraform)"
        try:
            status = os.stat(real)
        except OSError as error:
            return f"cannot read it: {error.strerror or error}"
        if not stat.S_ISREG(status.st_mode):
            return "not a regular file"
        if hasattr(os, "getuid") and status.st_uid != os.getuid():
            return "owned by another user"
        return None

    def read(self, path: str) -> bytes:
        real = os.path.realpath(path)
        if real not in self.current:
            with open(real, "rb") as handle:
                data = handle.read()
            self.original[real] = self.current[real] = data
            self.shown[real] = path
        return self.current[real]

    def overlay(self) -> dict[str, bytes]:
        return {real: data for real, data in self.current.items() if data != self.original[real]}


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # another drive on Windows
        return False


def run(lint_pass: LintPass, policy: FixPolicy, roots: Iterable[str], *, write: bool) -> FixResult:
    """Fix what ``lint_pass`` finds, pass by pass; write the files when ``write``.

    ``lint_pass`` lints the current text (it is called inside an overlay of
    the unwritten edits) and returns its report, paths as given (openable
    from the current directory: the library's report, not a rendered one).
    ``roots`` are the project roots: nothing outside them is written.
    """
    from aitask_lint.hcl.settings import cache_enabled, scope
    from aitask_lint.hcl.source import overlay

    result = FixResult()
    state: _State | None = None
    report: Report | None = None
    for _ in range(MAX_PASSES):
        contents = state.files.overlay() if state is not None else {}
        with scope(cache=cache_enabled()), overlay(contents):
            report = lint_pass()
        if state is None:
            state = _State(_Files(tuple(os.path.realpath(root) for root in roots)), result)
        if not _one_pass(report, policy, state):
            break
    assert report is not None
    assert state is not None
    files = state.files
    result.remaining = report
    result.unsafe_available = sum(
        1
        for f in report.findings
        if f.fix is not None
        and f.fix.applicability == "unsafe"
        and not policy.unsafe
        and policy.rule_allowed(f.rule)
    )
    result.changes = [
        FileChange(files.shown[real], real, files.original[real], data)
        for real, data in sorted(files.current.items())
        if data != files.original[real]
    ]
    if write:
        for change in result.changes:
            _write_atomically(change.disk_path, change.after)
        result.written = bool(result.changes)
    return result


@dataclass
class _State:
    """What passes share: the working copies, the result, failures and fixes already made."""

    files: _Files
    result: FixResult
    refused: set[tuple[str, str, int, str]] = field(default_factory=set)
    seen: set[tuple[str, tuple[tuple[str, int, int, str], ...]]] = field(default_factory=set)

    def fail(self, finding: Finding, failure: tuple[str, str]) -> None:
        file, reason = failure
        key = (finding.rule, finding.location.path, finding.location.line, reason)
        if key not in self.refused:
            self.refused.add(key)
            self.result.failed.append(
                FailedFix(finding.rule, finding.location.path, finding.location.line, reason, file)
            )


def _one_pass(report: Report, policy: FixPolicy, state: _State) -> bool:
    """Apply every allowed fix of ``report`` that overlaps none applied before it."""
    files, result, seen = state.files, state.result, state.seen
    claimed: dict[str, list[tuple[int, int]]] = {}
    shifts: dict[str, list[tuple[int, int]]] = {}  # path -> (old end, delta) of applied edits
    applied = False
    for finding in report.findings:
        fix = finding.fix
        if fix is None or not policy.allows(finding):
            continue
        identity = (finding.rule, tuple((e.path, e.start, e.end, e.content) for e in fix.edits))
        if identity in seen:  # applied already and the finding is back: it did not help
            continue
        reason = _refusal(fix, files)
        if reason is not None:
            state.fail(finding, reason)
            continue
        if any(_overlaps(edit, claimed.get(edit.path, [])) for edit in fix.edits):
            continue  # the next pass recomputes it against the new text
        changed = _applied(fix, files, shifts)
        if isinstance(changed, tuple):
            state.fail(finding, changed)
            continue
        seen.add(identity)
        for edit in fix.edits:
            claimed.setdefault(edit.path, []).append((edit.start, edit.end))
            shifts.setdefault(edit.path, []).append(
                (
                    edit.end,
                    len(edit.content.encode("utf-8", "surrogatepass")) - (edit.end - edit.start),
                )
            )
        for real, data in changed.items():
            files.current[real] = data
        result.applied.append(
            AppliedFix(
                finding.rule,
                finding.name,
                fix.applicability,
                fix.message,
                finding.location.path,
                finding.location.line,
            )
        )
        applied = True
    return applied


def _refusal(fix: Fix, files: _Files) -> tuple[str, str] | None:
    """The file a fix may not write and why, or None."""
    for edit in fix.edits:
        reason = files.refusal(edit.path)
        if reason is not None:
            return edit.path, reason
    return None


def _overlaps(edit: TextEdit, ranges: list[tuple[int, int]]) -> bool:
    return any(
        (edit.start < end and start < edit.end) or edit.start == start or edit.end == end
        for start, end in ranges
    )


def _applied(
    fix: Fix, files: _Files, shifts: dict[str, list[tuple[int, int]]]
) -> dict[str, bytes] | tuple[str, str]:
    """The new bytes of each file ``fix`` edits, or the file it cannot be applied to and why."""
    from aitask_lint.hcl.files import parse_source

    by_path: dict[str, list[TextEdit]] = {}
    for edit in fix.edits:
        by_path.setdefault(edit.path, []).append(edit)
    changed: dict[str, bytes] = {}
    for path, edits in by_path.items():
        data = files.read(path)
        moved = shifts.get(path, [])
        for edit in sorted(edits, key=lambda e: e.start, reverse=True):
            delta = sum(d for end, d in moved if end <= edit.start)
            start, end = edit.start + delta, edit.end + delta
            if not 0 <= start <= end <= len(data):
                return path, "the edit lies outside the file"
            data = data[:start] + edit.content.encode("utf-8", "surrogatepass") + data[end:]
        try:
            parse_source(data, path)
        except InputError as error:
            return path, f"would not parse once fixed ({error.message}); nothing was written for it"
        changed[os.path.realpath(path)] = data
    return changed


def _write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` by ``data``: a temporary file beside it, its mode, then a rename."""
    directory = os.path.dirname(path) or "."
    mode = stat.S_IMODE(os.stat(path).st_mode)
    handle, temporary = tempfile.mkstemp(prefix=".aitask-lint-fix-", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
