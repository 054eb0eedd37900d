"""Fixes several rules share: raising the coder/coder constraint, finding a block's text.

Kept apart from :mod:`aitask_lint.lint.edits` (which knows files, not
templates): these read the model through a :class:`LintContext`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from aitask_lint.hcl import expressions as hx
from aitask_lint.hcl import syntax
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.edits import Rewrite, SourceFile, fix_of, source_file
from aitask_lint.lint.findings import Fix
from aitask_lint.lint.rule import FixDoc
from aitask_lint.model.catalog.versions import Version, format_version, raised_constraint
from aitask_lint.model.config import Location, Module

__all__ = [
    "REMOVAL",
    "append_block",
    "block_of",
    "block_text",
    "module_sources",
    "names",
    "prefix_range",
    "raise_provider",
    "string_literal",
    "task_data_source",
    "traversals",
    "unknown_name_fix",
]


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


def traversals(source: SourceFile) -> Iterator[hx.Traversal]:
    """Every reference in the file's arguments, nested blocks included, in no set order."""
    pending = [source.tree.body]
    while pending:
        body = pending.pop()
        for attribute in body.attributes.values():
            yield from hx.references(attribute.expression)
        pending.extend(block.body for block in body.blocks)


def names(traversal: hx.Traversal, count: int) -> tuple[str, ...] | None:
    """The root and the first ``count - 1`` attribute steps (``("data", "coder_task", "me")``),
    or None when a step among them is not an attribute."""
    found = [traversal.root]
    for step in traversal.steps[: count - 1]:
        if not isinstance(step, hx.GetAttr):
            return None
        found.append(step.name)
    return tuple(found) if len(found) == count else None


def prefix_range(source: SourceFile, traversal: hx.Traversal, count: int) -> tuple[int, int]:
    """The characters of the traversal's first ``count`` names (``coder_agent.main_agent`` of
    ``coder_agent.main_agent.token``), read from the text: steps keep no spans of their own."""
    start, end = source.span_range(traversal.span)
    parts = names(traversal, count) or ()
    pattern = r"\s*\.\s*".join(re.escape(part) for part in parts)
    found = re.compile(pattern).match(source.text, start, end)
    return (start, found.end()) if found else (start, end)


def module_sources(files: Iterable[str]) -> list[SourceFile]:
    """The editable ``.tf`` files among a module's files."""
    sources = []
    for path in files:
        source = source_file(path)
        if source is not None:
            sources.append(source)
    return sources


def task_data_source(module: Module) -> str | None:
    """The name of a ``data "coder_task"`` of the module, if it has one."""
    for resource in module.resources.values():
        if resource.mode == "data" and resource.type == "coder_task":
            return resource.name
    return None


def block_text(source: SourceFile, header: str, lines: list[str]) -> str:
    """A new top-level block in the file's line ends and indentation, after a blank line."""
    newline, unit = source.newline, source.indent_unit
    body = "".join(f"{unit}{line}{newline}" for line in lines)
    if not lines:
        return f"{newline}{header} {{}}{newline}"
    return f"{newline}{header} {{{newline}{body}}}{newline}"


def append_block(rewrite: Rewrite, text: str) -> Rewrite:
    """Add a block at the end of the file (a final newline supplied when missing)."""
    source = rewrite.source
    end = len(source.text)
    lead = "" if source.text.endswith("\n") or not source.text else source.newline
    return rewrite.replace(end, end, lead + text)


#: the documentation of :func:`unknown_name_fix`'s fix, for the rules that attach it
REMOVAL = FixDoc(
    what=(
        'Renames a misspelt argument or block to the name Terraform suggests ("Did you '
        'mean ...?") when the body can take it; otherwise removes the argument or block the '
        "provider's schema does not have."
    ),
    applicability="unsafe",
    why=(
        "Unsafe: a renamed value starts to take effect, and a removed one is dropped though it "
        "may have been meant for another argument or resource; read the diff before applying "
        "it. No fix for a read of an attribute that does not exist."
    ),
)


def unknown_name_fix(location: Location | None, name: str, rename_to: str | None) -> Fix | None:
    """Rename to Terraform's suggestion when there is one the body takes, else remove.

    Removing ``slugs = "web"`` from a ``coder_app`` left it without its
    required ``slug``: a new error where the user meant one letter less.
    """
    found = _named_at(location)
    if found is None:
        return None
    source, item = found
    kind = "block" if isinstance(item, syntax.Block) else "argument"
    if rename_to is None:
        return fix_of("unsafe", f"remove the {kind} `{name}`", Rewrite(source).remove(item.span))
    name_span = item.type_span if isinstance(item, syntax.Block) else item.name_span
    rewrite = Rewrite(source).replace_span(name_span, rename_to)
    return fix_of("unsafe", f"rename the {kind} `{name}` to `{rename_to}`", rewrite)


def _named_at(
    location: Location | None,
) -> tuple[SourceFile, syntax.Block | syntax.Attribute] | None:
    """The block that starts at ``location``, or the argument whose name or value does
    (AIT108's and AIT412's findings point at the name; a computed one at its value)."""
    source = source_file(location.path) if location is not None else None
    if source is None or location is None:
        return None
    item = (
        source.block_at(location)
        or source.attribute_at(location)
        or source.attribute_with_value_at(location)
    )
    return (source, item) if item is not None else None
