"""How a rule declares itself, and what it yields.

One rule = one small module under ``aitask_lint.lint.rules`` defining
``RULE = Rule(...)``: its ID and name (a public contract), default severity,
the modes it works in, its documentation (what it checks, why it matters in
Coder, a failing and a fixed example) and one ``check(context)`` generator.
The runner owns iteration, configuration, severities, suppressions and
locations; a rule owns only its judgement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from aitask_lint.lint.findings import Severity
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


@dataclass(frozen=True)
class Example:
    """A failing or fixed snippet: the language and the text."""

    text: str
    language: str = "hcl"


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

    @property
    def link(self) -> str:
        return DOCS_URL.format(id=self.id)
