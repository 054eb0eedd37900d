"""App slugs as Coder computes them (the ``slug`` attribute, else the resource name)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aitask_lint.lint.context import LintContext, ValueInstance
from aitask_lint.model.config import Location, Module, Resource


def app_slug(context: LintContext, app: Resource, module: Module) -> str | None:
    if "slug" not in app.attributes:
        return app.name
    assert context.analysis is not None
    value = context.analysis.value(app, "slug", module)
    return value if isinstance(value, str) else None


def app_slugs(context: LintContext) -> Iterator[tuple[str, str, Location | None]]:
    """(address, slug, location) of every app whose slug is known statically."""
    for app, module in context.resources("coder_app"):
        slug = app_slug(context, app, module)
        if slug is not None:
            expr = app.attributes.get("slug")
            yield app.address, slug, (expr.location if expr else None) or app.location


def instance_slug(instance: ValueInstance) -> str:
    slug: Any = instance.values.get("slug")
    return slug if isinstance(slug, str) and slug else str(instance.resource.get("name", ""))
