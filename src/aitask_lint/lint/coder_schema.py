"""Judging ``coder_*`` blocks and reads against the provider schema, as Terraform does.

AIT108 (``coder_ai_task``), AIT411 (unknown types) and AIT412 (unknown
arguments, blocks and attribute reads) ask the same questions of the same
schema (:mod:`aitask_lint.model.catalog.provider_schema`) and answer in Terraform's
words, so the walking and the wording live here once: which blocks belong to
the coder/coder provider, which names a body may not hold, which reads name
nothing, what Terraform suggests ("Did you mean ...?") and which provider
versions the configuration admits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from aitask_lint import coder_text as ct
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import module_expressions
from aitask_lint.model.catalog.provider_schema import BlockSchema, ProviderSchema, TypeSchema
from aitask_lint.model.catalog.versions import (
    ConstraintError,
    Interval,
    Version,
    format_version,
    parse_constraint,
    parse_version,
)
from aitask_lint.model.config import Block, Expr, Location, Module, Resource
from aitask_lint.model.refs import Ref, target_of

#: blocks Terraform itself owns inside a ``resource`` (``lifecycle`` is dropped by the loader)
_META_BLOCKS = frozenset({"provisioner", "connection", "lifecycle"})
#: ``registry.terraform.io/coder/coder``; ``hashicorp/coder`` is what Terraform assumes for
#: a ``coder_*`` type in a module without ``required_providers`` (the author means coder/coder)
_PROVIDERS = ("/coder/coder", "/hashicorp/coder")


def is_coder(resource: Resource) -> bool:
    """Whether the block is judged by the coder/coder provider (a ``coder_*`` type)."""
    return resource.type.startswith("coder_") and resource.provider.endswith(_PROVIDERS)


def on_disk(module: Module) -> bool:
    """Modules read from ``.tf`` files, the ones Terraform has not judged yet.

    Catalog modules are aitask-lint's own models. A plan's ``configuration``
    section is proof that Terraform accepted it with the provider release it
    ran, whatever that was (a plan does not say), so it is not judged again.
    """
    return module.origin == "hcl"


# --- Terraform's suggestions ------------------------------------------------------


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (what Terraform's ``didyoumean`` uses)."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def name_suggestion(given: str, names: Iterable[str]) -> str | None:
    """Terraform's ``didyoumean.NameSuggestion``: a name less than 3 edits away."""
    best: tuple[int, str] | None = None
    for name in sorted(names):
        distance = _distance(given, name)
        if distance < 3 and (best is None or distance < best[0]):
            best = (distance, name)
    return best[1] if best else None


def _suggest(given: str, names: Iterable[str]) -> str:
    suggestion = name_suggestion(given, names)
    return f" {ct.DID_YOU_MEAN(suggestion)}" if suggestion else ""


# --- versions the configuration admits ----------------------------------------------


def admitted_versions(context: LintContext) -> Interval:
    """The coder/coder versions ``terraform init`` may install for this configuration.

    The target ``--provider-version`` when given, else every ``coder``
    requirement in the module tree intersected, as Terraform intersects them.
    A constraint that does not parse constrains nothing here (AIT501's business).
    """
    target = context.options.provider_version
    if target:
        try:
            version = parse_version(target)
        except ConstraintError:
            return Interval()
        return Interval(version, (version[0], version[1], version[2] + 1))
    interval = Interval()
    for module in context.modules():
        requirement = module.required_providers.get("coder")
        if requirement is None or not requirement.version:
            continue
        try:
            interval = interval.intersect(parse_constraint(requirement.version))
        except ConstraintError:
            continue
    return interval


def admits_newer(admitted: Interval, schema: ProviderSchema) -> bool:
    """Whether a release newer than the schema's may be installed."""
    newest = schema.version
    return admitted.high > (newest[0], newest[1], newest[2] + 1)


def newer_note(admitted: Interval, schema: ProviderSchema) -> str:
    """Why a name unknown to the schema may still exist: newer releases may be installed."""
    if not admits_newer(admitted, schema):
        return ""
    return (
        f" (unknown up to {schema.provider} v{format_version(schema.version)}; "
        "a newer release may have it)"
    )


def removed_note(removed_in: Version, schema: ProviderSchema) -> str:
    return f" ({schema.provider} removed it in v{format_version(removed_in)})"


# --- a body against its schema ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unsupported:
    """One name in a body the schema does not accept: Terraform's message and where."""

    message: str
    location: Location | None
    #: the name as written (an argument or a block type)
    name: str
    #: a field the type had in an earlier release (removed since)
    removed_in: Version | None = None
    #: the schema has the name, in another form (read-only, or a block written as an argument)
    known: bool = False
    #: the name Terraform suggests, when writing it instead is a rename the body can take
    #: (a settable argument not set already, a block type the body has no block of)
    rename_to: str | None = None


def unsupported(
    resource: Resource, schema: TypeSchema, provider: ProviderSchema
) -> Iterator[Unsupported]:
    """Every argument and block of ``resource`` its type does not accept, nested ones too."""
    yield from _body(
        resource.type, resource.attributes, resource.blocks, schema, provider=provider, top=True
    )


def _body(
    kind: str,
    attributes: dict[str, Expr],
    blocks: list[Block],
    schema: BlockSchema,
    *,
    provider: ProviderSchema,
    top: bool,
) -> Iterator[Unsupported]:
    for name, expr in attributes.items():
        field = schema.fields.get(name)
        if field is not None and (field.settable or field.mode == "implicit"):
            continue
        if field is not None:  # computed only: Terraform refuses to take a value
            message = f"{ct.UNCONFIGURABLE_ATTRIBUTE()}: {ct.CANNOT_CONFIGURE(name)}"
        else:
            suggestion = _suggest(name, schema.fields)
            if not suggestion and name in schema.blocks:
                suggestion = f" {ct.DID_YOU_MEAN_BLOCK(name)}"
            message = f"{ct.UNSUPPORTED_ARGUMENT()}: {ct.ARGUMENT_NOT_EXPECTED(name)}{suggestion}"
        removed = provider.removed_fields.get((kind, name)) if top else None
        known = field is not None or name in schema.blocks
        close = name_suggestion(name, schema.fields) if field is None else None
        target = schema.fields.get(close) if close is not None else None
        rename_to = (
            close
            if close is not None
            and target is not None
            and target.settable
            and close not in attributes
            else None
        )
        yield Unsupported(
            message,
            # an unknown name: Terraform points at the name (HCL's ``NameRange``)
            (expr.name_location or expr.location) if field is None else expr.location,
            name,
            removed[1] if removed else None,
            known,
            rename_to,
        )
    for block in blocks:
        if top and block.type in _META_BLOCKS:
            continue
        block_type = block.type
        inner: list[Block] = [block]
        if block.type == "dynamic" and block.labels:
            block_type = block.labels[0]
            inner = block.blocks_of("content")
        nested = schema.blocks.get(block_type)
        if nested is None:
            suggestion = _suggest(block_type, schema.blocks)
            close = name_suggestion(block_type, schema.blocks)
            taken = {b.labels[0] if b.type == "dynamic" and b.labels else b.type for b in blocks}
            yield Unsupported(
                f"{ct.UNSUPPORTED_BLOCK_TYPE()}: "
                f"{ct.BLOCK_TYPE_NOT_EXPECTED(block_type)}{suggestion}",
                block.location,
                block_type,
                known=block_type in schema.fields,
                # a dynamic block's type is its label, a string: removed, not renamed
                rename_to=close if close not in taken and block.type != "dynamic" else None,
            )
            continue
        for body in inner:
            yield from _body(
                kind, body.attributes, body.blocks, nested, provider=provider, top=False
            )


# --- reads of attributes ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BadRead:
    """A reference to an attribute a ``coder_*`` object does not export."""

    ref: Ref
    resource: Resource
    name: str
    suggestion: str
    location: Location | None


def bad_reads(module: Module, provider: ProviderSchema) -> Iterator[BadRead]:
    """References in ``module`` to attributes its ``coder_*`` objects do not have.

    Only reads that select an instance the way the object is declared (an
    index or splat exactly when it has ``count``/``for_each``) are judged:
    Terraform reports the other ones differently ("Missing resource instance
    key"), and so must not be guessed at here.
    """
    for _address, expr in module_expressions(module):
        for position, ref in enumerate(expr.refs):
            target = target_of(ref)
            if target.kind not in ("resource", "data") or not target.rest:
                continue
            resource = module.resources.get(target.address)
            if resource is None or not is_coder(resource):
                continue
            schema = provider.type(resource.type, resource.mode)
            step = target.rest[0]
            if schema is None or step.kind != "attr" or step.name in schema.readable:
                continue
            expanded = resource.count is not None or resource.for_each is not None
            if (target.index is not None) != expanded:
                continue
            yield BadRead(
                ref,
                resource,
                step.name,
                _suggest(step.name, schema.readable),
                _ref_location(expr, position),
            )


def _ref_location(expr: Expr, position: int) -> Location | None:
    """Where the ``position``-th reference of ``expr`` is written (the expression, if unknown)."""
    if expr.syntax is None or expr.location is None:
        return expr.location
    from aitask_lint.hcl import expressions as hx

    traversals = hx.references(expr.syntax)
    if position >= len(traversals):
        return expr.location
    span = traversals[position].span
    return Location(span.path, span.line, span.column, span.end_line, span.end_column)
