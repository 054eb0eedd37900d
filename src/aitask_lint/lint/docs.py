"""The rules' documentation, rendered: ``rules``, ``explain`` and ``docs/rules/``.

Each rule module carries its own documentation (summary, why, failing and
fixed examples, quoted Coder text); everything users read about a rule is
generated from it here, and ``tests/test_docs.py`` fails when the committed
``docs/rules/`` drifts from it. Regenerate with ``python -m aitask_lint.lint.docs``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from aitask_lint.lint.registry import all_rules
from aitask_lint.lint.rule import Rule

MODE_NAMES = {"S": "static (HCL, or a plan's configuration)", "P": "plan/state values"}


def catalog_text() -> str:
    lines = [f"{'ID':7} {'name':30} {'severity':8} {'modes':5} summary"]
    for rule in all_rules():
        lines.append(
            f"{rule.id:7} {rule.name:30} {rule.severity:8} {' '.join(rule.modes):5} {rule.summary}"
        )
    return "\n".join(lines) + "\n"


def catalog_json() -> str:
    return (
        json.dumps(
            [
                {
                    "id": rule.id,
                    "name": rule.name,
                    "severity": rule.severity,
                    "modes": list(rule.modes),
                    "summary": rule.summary,
                    "link": rule.link,
                }
                for rule in all_rules()
            ],
            indent=2,
        )
        + "\n"
    )


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
        "## Failing example",
        "",
        f"```{rule.bad.language}",
        rule.bad.text.rstrip("\n"),
        "```",
        "",
        "## Fixed example",
        "",
        f"```{rule.good.language}",
        rule.good.text.rstrip("\n"),
        "```",
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


def index_markdown() -> str:
    lines = [
        "# Rules",
        "",
        "Generated from the rules' own documentation (`python -m aitask_lint.lint.docs`).",
        "",
        "| ID | name | severity | modes | what it checks |",
        "|---|---|---|---|---|",
    ]
    for rule in all_rules():
        lines.append(
            f"| [{rule.id}]({rule.id}.md) | {rule.name} | {rule.severity} | "
            f"{' '.join(rule.modes)} | {rule.summary} |"
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
