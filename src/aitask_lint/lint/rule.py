"""How a rule declares itself, and what it yields.

One rule = one small module under ``aitask_lint.lint.rules`` defining
``RULE = Rule(...)``: its ID and name (a public contract), default severity,
the modes it works in, its documentation (what it checks, why it matters in
Coder, a failing and a fixed example) and one ``check(context)`` generator.
The runner owns iteration, configuration, severities, suppressions and
locations; a rule owns only its judgement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from aitask_lint.lint.findings import Applicability, Fix, Severity
from aitask_lint.model.config import Location

if TYPE_CHECKING:
    from aitask_lint.lint.context import LintContext

Mode = Literal["S", "P"]
DOCS_URL = "https://github.com/aitask-lint/aitask-lint/blob/main/docs/rules/{id}.md"


@dataclass(frozen=True, slots=True)
class Problem:
    """A rule's judgement: a message about an object at a location."""

    message: str
    location: Location | None
    address: str | None = None
    #: set when the rule itself raises or lowers its severity (AIT503 by target version)
    severity: Severity | None = None
    #: the scenarios the problem holds in, set by a rule that judges scenarios itself
    #: (AIT602-AIT605); per-scenario rules get theirs from the runner
    scenarios: tuple[str, ...] | None = None
    #: the repair ``check --fix`` can make (``aitask_lint.lint.edits`` builds the edits)
    fix: Fix | None = None


@dataclass(frozen=True)
class Preamble:
    """Boilerplate an example needs to be a whole template, shown folded in the docs.

    ``summary`` says in a few words what it declares (the docs' folded line);
    ``text`` is linted in front of the example.
    """

    summary: str
    text: str


@dataclass(frozen=True)
class Example:
    """A failing or fixed example, linted exactly as documented.

    ``text`` is what the docs show; the file that is linted is the
    ``preamble`` followed by ``text`` (:attr:`file_text`), written as
    ``main.tf`` (or ``plan.json`` when the language is ``json``) next to the
    extra ``files`` (relative path -> content, e.g. a local module), and
    checked with the command-line ``args``. ``tests/test_rule_docs_examples.py``
    asserts that a rule's failing example fires it and its fixed one does not.
    """

    text: str
    language: str = "hcl"
    preamble: Preamble | None = None
    args: tuple[str, ...] = ()
    files: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def file_name(self) -> str:
        return "plan.json" if self.language == "json" else "main.tf"

    @property
    def file_text(self) -> str:
        """The complete file: preamble, a blank line, then the example."""
        if self.preamble is None:
            return self.text
        return self.preamble.text.rstrip("\n") + "\n\n" + self.text

    @property
    def shown_text(self) -> str:
        """The example as the docs show it, the preamble folded into one comment line."""
        if self.preamble is None:
            return self.text
        return f"# ... preamble: {self.preamble.summary}\n\n{self.text}"

    @property
    def command(self) -> str:
        """The command line that lints it, from the directory holding the files."""
        target = self.file_name if self.language == "json" else "."
        return " ".join(("aitask-lint", "check", target, *self.args))


@dataclass(frozen=True)
class FixDoc:
    """What a rule's fix does, for its documentation ("Fix" in the docs and ``explain``).

    ``applicability`` is ``safe``, ``unsafe``, or ``sometimes`` (safe or
    unsafe by the template: ``why`` says when each).
    """

    what: str
    applicability: Applicability | Literal["sometimes"]
    why: str


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    modes: tuple[Mode, ...]
    summary: str
    why: str
    bad: Example
    good: Example
    check: Callable[[LintContext], Iterator[Problem]] = field(compare=False)
    #: the exact Coder / provider / Terraform text this rule quotes, if any
    quotes: tuple[str, ...] = ()
    #: the judgement depends on values: the runner runs it once per scenario (import,
    #: each preset and prebuild, task; ``context.scenario``) and names the scenarios a
    #: finding holds in when it does not hold in all (docs/scenarios.md)
    per_scenario: bool = False
    #: the fix this rule can attach to its findings, if any
    fix: FixDoc | None = None

    @property
    def link(self) -> str:
        return DOCS_URL.format(id=self.id)
