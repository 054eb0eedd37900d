"""The rule catalog: every rule module, loaded on demand, in ID order."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from aitask_lint.lint.rule import Rule


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule of the catalog, sorted by ID."""
    import aitask_lint.lint.rules as package

    rules = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("ait"):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            rules.append(module.RULE)
    return tuple(sorted(rules, key=lambda rule: rule.id))


def rule_by_key(key: str) -> Rule | None:
    """A rule by ID (``AIT203``, any case) or name (``task-app-no-healthcheck``)."""
    wanted = key.strip()
    for rule in all_rules():
        if rule.id == wanted.upper() or rule.name == wanted.lower():
            return rule
    return None


def matches(rule: Rule, selector: str) -> bool:
    """Whether a --select/--ignore entry (ID, ID prefix like ``AIT2``, or name) names ``rule``."""
    key = selector.strip()
    return rule.name == key.lower() or (
        key.upper().startswith("AIT") and rule.id.startswith(key.upper())
    )
