"""Describe registry modules that are not on disk, from the known-module catalog.

The catalog (``modules.json``, package data generated from the registry
reference by ``tools/gen_catalog.py``) holds every release of the
AI-agent modules and of the IDE and utility modules templates put beside
them: variables with their defaults, outputs, provider constraints, and how
each AI-agent release builds its task app. :func:`catalog_module` turns the
release a ``version`` constraint selects (the newest admitted, what
``terraform init`` installs) into a synthetic :class:`Module` written as that
release's Terraform (``releases.py`` reads the data, ``synthetic.py`` writes
the module), so the analyses follow a registry module exactly like one on disk
and the arguments a template passes reach its apps.
"""

from __future__ import annotations

from aitask_lint.model.catalog.releases import (
    REGISTRY_HOSTS,
    CatalogVariable,
    CatalogVersion,
    admitted,
    catalog_key,
    release,
    selected,
    versions_of,
)
from aitask_lint.model.config import Location, Module

__all__ = [
    "REGISTRY_HOSTS",
    "CatalogVariable",
    "CatalogVersion",
    "admitted",
    "catalog_key",
    "catalog_module",
    "release",
    "selected",
    "versions_of",
]


def catalog_module(
    key: str,
    constraint: str,
    path: tuple[str, ...],
    source: str,
    call_location: Location | None = None,
) -> tuple[Module, CatalogVersion] | None:
    """A synthetic module for registry module ``key`` at the release ``constraint`` selects.

    None when no release the catalog knows is admitted (a release newer than
    the snapshot, one of the coder/modules 1.0.x era, or none at all): the
    call is then not judged, rather than judged against the wrong release.
    Every object in the module is located at ``call_location``, the ``module``
    block that calls it.
    """
    entry = selected(key, constraint)
    if entry is None:
        return None
    # imported here: writing a synthetic module is needed only for a registry call
    from aitask_lint.model.catalog.synthetic import build, placeholder_location

    location = call_location or placeholder_location(entry)
    return build(entry, path, source, constraint, location), entry
