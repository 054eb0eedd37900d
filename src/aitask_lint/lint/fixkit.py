"""Fixes several rules share: raising the coder/coder constraint, finding a block's text.

Kept apart from :mod:`aitask_lint.lint.edits` (which knows files, not
templates): these read the model through a :class:`LintContext`.
"""

from __future__ import annotations

import json

from aitask_lint.catalog.versions import Version, format_version, raised_constraint
from aitask_lint.hcl import expressions as hx
from aitask_lint.hcl import syntax
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.edits import Rewrite, SourceFile, source_file
from aitask_lint.model.config import Location

__all__ = ["block_of", "raise_provider", "string_literal"]


def block_of(location: Location | None) -> tuple[SourceFile, syntax.Block] | None:
    """The file and syntax block of a model object's location (None: not editable)."""
    source = source_file(location.path) if location is not None else None
    block = source.block_at(location) if source is not None else None
    if source is None or block is None:
        return None
    return source, block


def string_literal(text: str) -> str:
    """``text`` as an HCL quoted string (JSON's escapes are HCL's, ``${`` aside)."""
    return json.dumps(text, ensure_ascii=False).replace("${", "$${").replace("%{", "%%{")


def raise_provider(context: LintContext, needed: Version) -> tuple[Rewrite, str] | None:
    """A rewrite raising the root module's coder/coder constraint to admit only ``needed``
    and later, in the constraint's own style, and the new constraint; None when there is
    no constraint to edit (a person decides where it goes) or it cannot be raised."""
    tree = context.tree
    requirement = tree.root.required_providers.get("coder") if tree is not None else None
    if requirement is None or requirement.location is None:
        return None
    source = source_file(requirement.location.path)
    attribute = source.attribute_at(requirement.location) if source is not None else None
    if source is None or attribute is None:
        return None
    expression = attribute.expression
    if isinstance(expression, hx.Literal) and isinstance(expression.value, str):
        raised = raised_constraint(expression.value, needed)
        if raised is None:
            return None
        return Rewrite(source).replace_span(expression.span, string_literal(raised)), raised
    if not isinstance(expression, hx.Object):
        return None
    for key, value in expression.items:
        if key.source.strip('"') != "version":
            continue
        if not isinstance(value, hx.Literal) or not isinstance(value.value, str):
            return None
        raised = raised_constraint(value.value, needed)
        if raised is None:
            return None
        return Rewrite(source).replace_span(value.span, string_literal(raised)), raised
    if not expression.items or expression.items[-1][1].span.end_line == expression.span.line:
        return None  # a one-line object: where the new item goes is a matter of taste
    last = expression.items[-1][1]
    first = expression.items[0][0]
    raised = f">= {format_version(needed)}"
    line = f"{source.indent_of(first.span.line)}version = {string_literal(raised)}"
    offset = source.line_range(last.span)[1]
    return Rewrite(source).insert_lines(offset, [line]), raised
