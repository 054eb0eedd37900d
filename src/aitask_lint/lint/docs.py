"""The rules' documentation, rendered: ``rules``, ``explain`` and ``docs/rules/``.

Each rule module carries its own documentation (summary, why, failing and
fixed examples, quoted Coder text); everything users read about a rule is
generated from it here, and ``tests/test_commands.py`` fails when the committed
``docs/rules/`` drifts from it. The examples are shown as they are linted
(``tests/test_rule_docs_examples.py``), their shared preamble folded.
Regenerate with ``python -m aitask_lint.lint.docs``.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from aitask_lint.lint.findings import RULE_ID_PATTERN, SchemaExtra, Severity
from aitask_lint.lint.registry import all_rules
from aitask_lint.lint.rule import Example, Mode, Rule

MODE_NAMES = {"S": "static (HCL, or a plan's configuration)", "P": "plan/state values"}


def catalog_text() -> str:
    lines = [f"{'ID':7} {'name':30} {'severity':8} {'modes':5} summary"]
    for rule in all_rules():
        lines.append(
            f"{rule.id:7} {rule.name:30} {rule.severity:8} {' '.join(rule.modes):5} {rule.summary}"
        )
    return "\n".join(lines) + "\n"


_STRICT: dict[str, Any] = {"extra": "forbid"}  # additionalProperties: false


@dataclass(slots=True)
class ExampleEntry:
    """One documented example, complete: write ``text`` as ``file`` and each of ``files``
    beside it, then run ``aitask-lint check`` with ``args``."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    language: Annotated[
        Literal["hcl", "json"], SchemaExtra(description="json: a plan or state document")
    ]
    file: Annotated[str, SchemaExtra(description="the file name the text is linted as")]
    text: Annotated[str, SchemaExtra(description="the whole file, preamble included")]
    args: Annotated[list[str], SchemaExtra(description="options for `aitask-lint check`")]
    files: Annotated[
        dict[str, str], SchemaExtra(description="extra files: relative path -> content")
    ]


@dataclass(slots=True)
class RuleExamples:
    """The rule fires on ``failing`` and not on ``fixed``."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    failing: ExampleEntry
    fixed: ExampleEntry


@dataclass(slots=True)
class RuleFix:
    """The fix a rule attaches to its findings: what it does, whether safe, and why."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    what: str
    applicability: Literal["safe", "unsafe", "sometimes"]
    why: str


@dataclass(slots=True)
class RuleEntry:
    """One rule of ``aitask-lint rules --format json`` (``schemas/rules.schema.json``)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    id: Annotated[str, SchemaExtra(pattern=RULE_ID_PATTERN)]
    name: str
    severity: Severity
    modes: list[Mode]
    summary: str
    link: str
    examples: RuleExamples
    fix: Annotated[
        RuleFix | None,
        SchemaExtra(description="what `check --fix` does for this rule, null: no fix"),
    ] = None


def catalog_entries() -> list[RuleEntry]:
    return [
        RuleEntry(
            id=rule.id,
            name=rule.name,
            severity=rule.severity,
            modes=list(rule.modes),
            summary=rule.summary,
            link=rule.link,
            examples=RuleExamples(failing=example_entry(rule.bad), fixed=example_entry(rule.good)),
            fix=(
                RuleFix(rule.fix.what, rule.fix.applicability, rule.fix.why)
                if rule.fix is not None
                else None
            ),
        )
        for rule in all_rules()
    ]


def catalog_json() -> str:
    return json.dumps([asdict(entry) for entry in catalog_entries()], indent=2) + "\n"


def example_entry(example: Example) -> ExampleEntry:
    """An example as a tool lints it: the whole file (preamble included), its name,
    the command-line options and the extra files (relative path -> text)."""
    language: Literal["hcl", "json"] = "json" if example.language == "json" else "hcl"
    return ExampleEntry(
        language=language,
        file=example.file_name,
        text=example.file_text,
        args=list(example.args),
        files=dict(example.files),
    )


def fenced(text: str, language: str) -> str:
    """A Markdown code block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip(chr(10))}\n{fence}"


def _language_of(path: str) -> str:
    return "json" if path.endswith(".json") else "hcl"


def example_markdown(
    example: Example, preamble: bool = True, skip_files: Collection[str] = ()
) -> str:
    """An example as the docs show it: the code with its preamble folded into one comment
    line, the preamble in a collapsed block (unless ``preamble`` is false: shown once for
    both examples), the extra files, and the command line when it needs options."""
    parts = [fenced(example.shown_text, example.language)]
    if preamble and example.preamble is not None:
        parts += ["", preamble_markdown(example)]
    parts += _files_markdown({p: t for p, t in example.files.items() if p not in skip_files})
    if example.args:
        parts += ["", f"Linted with `{example.command}`."]
    return "\n".join(parts)


def _files_markdown(files: Mapping[str, str]) -> list[str]:
    parts: list[str] = []
    for path, text in files.items():
        parts += ["", f"`{path}`:", "", fenced(text, _language_of(path))]
    return parts


def preamble_markdown(example: Example) -> str:
    assert example.preamble is not None
    summary = html.escape(example.preamble.summary, quote=False)
    return "\n".join(
        [
            f"<details><summary>Preamble: {summary}</summary>",
            "",
            fenced(example.preamble.text, example.language),
            "",
            "</details>",
        ]
    )


def examples_markdown(rule: Rule, heading: str = "## {title}") -> str:
    """The failing and the fixed example; a preamble or an extra file both share is shown
    once, after them."""
    bad, good = rule.bad, rule.good
    shared = bad.preamble is not None and bad.preamble == good.preamble
    files = {path: text for path, text in bad.files.items() if good.files.get(path) == text}
    parts = [
        heading.format(title="Failing example"),
        "",
        example_markdown(bad, preamble=not shared, skip_files=files),
        "",
        heading.format(title="Fixed example"),
        "",
        example_markdown(good, preamble=not shared, skip_files=files),
    ]
    if files:
        parts += ["", "Beside both examples:", *_files_markdown(files)]
    if shared:
        parts += ["", "The preamble of both examples:", "", preamble_markdown(bad)]
    return "\n".join(parts)


def rule_markdown(rule: Rule) -> str:
    """One rule's page: what, why, failing and fixed examples, quoted text."""
    modes = "; ".join(MODE_NAMES[mode] for mode in rule.modes)
    parts = [
        f"# {rule.id} {rule.name}",
        "",
        f"**Default severity:** {rule.severity}. **Works on:** {modes}.",
        "",
        "## What it checks",
        "",
        rule.summary,
        "",
        "## Why it matters",
        "",
        rule.why,
        "",
        examples_markdown(rule),
        "",
        "## Fix",
        "",
        fix_text(rule),
    ]
    if rule.quotes:
        parts += ["", "## Text quoted from Coder, the provider or Terraform", ""]
        parts += [f"* `{quote}`" for quote in rule.quotes]
    parts += [
        "",
        "## Configuration",
        "",
        "Select or ignore it with `--select`/`--ignore` (`"
        + rule.id
        + "` or `"
        + rule.name
        + "`), change its severity with `--severity "
        + rule.id
        + "=warning` or in "
        "`[tool.aitask-lint.severity]`, and silence one block with "
        f"`# aitask-lint: ignore[{rule.id}] reason`.",
    ]
    return "\n".join(parts) + "\n"


_APPLICABILITY = {
    "safe": "Safe fix: `aitask-lint check --fix` applies it.",
    "unsafe": "Unsafe fix: `aitask-lint check --fix --unsafe-fixes` applies it.",
    "sometimes": (
        "Safe or unsafe fix, by the template: `aitask-lint check --fix` applies the safe "
        "one, `--unsafe-fixes` the other."
    ),
}


def fix_text(rule: Rule) -> str:
    """The "Fix" section: what the fix does, whether it is safe, and why (from ``rule.fix``)."""
    if rule.fix is None:
        return (
            "No automatic fix: the repair needs a decision only the template's author can "
            "make; the fixed example shows one."
        )
    fix = rule.fix
    return f"{_APPLICABILITY[fix.applicability]} {fix.what}\n\n{fix.why}"


def index_markdown() -> str:
    lines = [
        "# Rules",
        "",
        "Generated from the rules' own documentation (`python -m aitask_lint.lint.docs`).",
        "",
        "Every page's failing example fires its rule and its fixed example does not, linted",
        "as written: the folded preamble followed by the example, as `main.tf` (or `plan.json`)",
        "beside the extra files shown, with the command line shown "
        "(`tests/test_rule_docs_examples.py`).",
        "`aitask-lint rules --format json` gives each example as the complete file text.",
        "",
        "The fix column says what `check --fix` does for the rule: `safe` (applied by",
        "`--fix`), `unsafe` (only with `--unsafe-fixes`), `safe/unsafe` (by the template:",
        "the rule's page says when), or nothing (no automatic fix; docs/fixes.md).",
        "",
        "| ID | name | severity | modes | fix | what it checks |",
        "|---|---|---|---|---|---|",
    ]
    for rule in all_rules():
        fix = "" if rule.fix is None else rule.fix.applicability.replace("sometimes", "safe/unsafe")
        lines.append(
            f"| [{rule.id}]({rule.id}.md) | {rule.name} | {rule.severity} | "
            f"{' '.join(rule.modes)} | {fix} | {rule.summary} |"
        )
    return "\n".join(lines) + "\n"


def generated_pages() -> dict[str, str]:
    """File name (under docs/rules/) -> content."""
    pages = {f"{rule.id}.md": rule_markdown(rule) for rule in all_rules()}
    pages["index.md"] = index_markdown()
    return pages


def main() -> None:
    target = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else (Path(__file__).resolve().parents[3] / "docs" / "rules")
    )
    target.mkdir(parents=True, exist_ok=True)
    for name, text in generated_pages().items():
        (target / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(generated_pages())} pages to {target}")


if __name__ == "__main__":
    main()
