"""Load a Terraform root module from ``.tf``/``.tf.json`` files, with its modules.

The HCL syntax layer (:mod:`aitask_lint.hcl`) gives blocks, attributes and
expression trees with exact positions; this module turns them into the
configuration model the way Terraform reads a configuration:

* a directory is a root module made of every ``*.tf`` and ``*.tf.json`` in it
  (sorted, like Terraform); a single file is a root module of its own;
* a ``module`` block's source is found, in order: a local path (``./``,
  ``../``) relative to the calling module; the ``.terraform/modules/modules.json``
  manifest ``terraform init`` writes (keys like ``claude-code.agentapi``);
  the known-module catalog for registry modules that are not on disk;
  otherwise the call is kept with ``status = "not-loaded"`` and the reason;
* cycles of module sources and absurd nesting are detected and reported on
  the call, never followed forever;
* each file is parsed once, and each module directory listed and modelled
  once, even when several calls load it (instances share the model);
* the number of module instances, and what they declare in all, is bounded
  (:data:`~aitask_lint.limits.MAX_MODULE_INSTANCES`): past it a call is
  reported as not loaded instead of expanding a tree of 2^20 instances.

Syntax errors do not stop the load: they are collected in
:attr:`HclConfiguration.errors` (each an :class:`InputError` with file, line
and column) so a linter can report every broken file and still analyse the
others.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from aitask_lint.errors import InputError, display_path
from aitask_lint.hcl import expressions as hx
from aitask_lint.limits import (  # past these, a call is reported and not loaded
    MAX_MODULE_DEPTH,
    MAX_MODULE_INSTANCES,
    MAX_MODULE_OBJECTS,
)
from aitask_lint.model.config import (
    Block,
    ConfigTree,
    Expr,
    Local,
    Location,
    Module,
    ModuleCall,
    Output,
    ProviderConfig,
    ProviderRequirement,
    Resource,
    Variable,
)
from aitask_lint.model.refs import Ref, traversal_ref

if TYPE_CHECKING:
    from aitask_lint.hcl import syntax as hs
    from aitask_lint.hcl.span import Span
    from aitask_lint.hcl.syntax import File

MANIFEST = os.path.join(".terraform", "modules", "modules.json")
_META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle"})


@dataclass
class HclConfiguration(ConfigTree):
    """A configuration loaded from HCL, with the input errors met on the way."""

    errors: list[InputError] = field(default_factory=list)
    #: the parsed files (syntax trees with comments), for suppressions
    syntax: list[File] = field(default_factory=list)


def terraform_files(directory: str) -> list[str]:
    """The files Terraform reads in a module directory, in its order.

    Every entry but a directory counts, as in Terraform: a dangling symlink,
    a symlink loop or a FIFO named ``main.tf`` is listed so that reading it
    fails with an error naming it, instead of vanishing from the analysis.
    """
    try:
        names = os.listdir(directory)
    except OSError as error:
        raise InputError(directory, f"cannot read directory: {error.strerror or error}") from None
    return sorted(
        os.path.join(directory, name)
        for name in names
        if name.endswith((".tf", ".tf.json"))
        and not name.startswith(".")
        and not os.path.isdir(os.path.join(directory, name))
    )


@lru_cache(maxsize=4096)
def _real_directory(directory: str) -> str:
    return os.path.realpath(directory)


def real_path(path: str) -> str:
    """``os.path.realpath``, resolving each directory once per run.

    A recursive run resolves thousands of files in a few directories; a file
    that is not itself a symlink is its resolved directory plus its name.
    """
    directory, name = os.path.split(os.path.abspath(path))  # absolute: the cwd may change
    if not name or name in (".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_real_directory(directory), name)


def default_project_root(path: str) -> str:
    """The directory modules may be read from when none is configured (real path).

    The enclosing git repository of ``path`` (the nearest directory holding
    ``.git``, a directory or a worktree's file), else the scanned directory
    itself. A template in a checkout may use modules anywhere in the
    checkout; a pull request cannot make the linter read the CI runner's
    home directory through ``source = "../../.."`` or a symlink.
    """
    start = real_path(path if os.path.isdir(path) else os.path.dirname(path) or ".")
    return enclosing_git_repository(start) or start


@lru_cache(maxsize=1024)
def enclosing_git_repository(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` holding ``.git`` (a worktree's file too)."""
    while True:
        if os.path.lexists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def is_inside(path: str, root: str) -> bool:
    """Whether ``path``, symlinks resolved, is ``root`` or below it (``root`` is real)."""
    real = real_path(path)
    try:
        return os.path.commonpath([real, root]) == root
    except ValueError:  # different drives on Windows
        return False


def load_configuration(path: str, *, project_root: str | None = None) -> HclConfiguration:
    """Load a directory (root module) or one ``.tf``/``.tf.json`` file.

    Files and module directories are read only inside ``project_root``
    (default: :func:`default_project_root` of ``path``); a module leading
    elsewhere is reported on its call, a symlinked file leading elsewhere is
    an input error, and neither is opened.
    """
    loader = _Loader()
    loader.project_root = os.path.realpath(project_root or default_project_root(path))
    if os.path.isdir(path):
        root_dir = path
        files = terraform_files(path)
        if not files:  # a wrong path, most likely: never "0 files checked, no findings"
            raise InputError(
                path,
                "No configuration files: the directory holds no .tf or .tf.json file",
            )
    else:
        root_dir = os.path.dirname(path) or "."
        files = [path]
    tree = HclConfiguration(root=Module(), origin="hcl", source=path)
    loader.tree = tree
    loader.root_dir = root_dir
    loader.manifest = _read_manifest(root_dir, tree.errors, loader.project_root)
    tree.root = loader.module(files, root_dir, (), chain=(os.path.realpath(root_dir),))
    tree.syntax = [parsed for parsed in loader.parsed_files() if parsed is not None]
    return tree


def _read_manifest(
    root_dir: str, errors: list[InputError], project_root: str
) -> dict[str, dict[str, Any]]:
    """``.terraform/modules/modules.json``: call-path key -> entry (Dir, Source, Version)."""
    from aitask_lint.limits import (
        JSON_BYTES_ENV,
        charge_json,
        check_json_containers,
        max_json_bytes,
        read_file_bounded,
    )

    path = os.path.join(root_dir, MANIFEST)
    if not os.path.lexists(path):
        return {}
    if not is_inside(path, project_root):
        errors.append(InputError(path, _outside("module manifest", path, project_root)))
        return {}
    if not os.path.isfile(path):
        # a symlink to /dev/zero, a FIFO, a directory or a dangling link: skipping it
        # silently would lint the registry modules it names as if never installed
        errors.append(
            InputError(
                path,
                "unreadable module manifest: not a regular file "
                "(a FIFO, device, directory or broken symlink)",
            )
        )
        return {}
    from aitask_lint.jsonnum import loads
    from aitask_lint.jsonpos import line_column, nesting_position

    text = ""
    try:
        # regular_only: replaced by a FIFO since the check above, it is refused, not waited on
        raw = read_file_bounded(path, max_json_bytes(), JSON_BYTES_ENV, regular_only=True)
        charge_json(path, len(raw))  # the run's total of JSON (aitask_lint.limits)
        text = raw.decode("utf-8-sig")
        check_json_containers(text, path)
        data = loads(text)  # integers of any length (aitask_lint.jsonnum)
    except InputError as error:
        errors.append(error)
        return {}
    except RecursionError:  # Python's own text ("maximum recursion depth ...") says nothing
        offset = nesting_position(text, 900)
        errors.append(
            InputError(
                path,
                "unreadable module manifest: invalid JSON: nested too deeply (more than 900 "
                "levels of arrays and objects; see docs/limits.md)",
                *line_column(text, offset),
            )
        )
        return {}
    except (OSError, UnicodeDecodeError) as error:
        errors.append(InputError(path, f"unreadable module manifest: {error}"))
        return {}
    except json.JSONDecodeError as error:
        errors.append(
            InputError(path, f"unreadable module manifest: {error.msg}", error.lineno, error.colno)
        )
        return {}
    entries = data.get("Modules") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        errors.append(InputError(path, 'module manifest has no "Modules" list', 1, 1))
        return {}
    return {
        str(entry.get("Key")): entry
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("Key"), str)
    }


def parse_file(real_path: str, shown_path: str) -> File:
    """Parse a file once per process and once per content (:mod:`aitask_lint.hcl.files`)."""
    from aitask_lint.hcl.files import parse_file as parse_cached

    return parse_cached(real_path, shown_path)


def provider_full_name(module: Module, local_name: str) -> str:
    """``registry.terraform.io/<source>`` of a provider's local name (hashicorp by default)."""
    requirement = module.required_providers.get(local_name)
    source = requirement.source if requirement and requirement.source else f"hashicorp/{local_name}"
    return source if source.count("/") >= 2 else f"registry.terraform.io/{source}"


def _outside(what: str, path: str, project_root: str) -> str:
    return (
        f'{what} "{display_path(path)}" is outside the project root "{project_root}"; '
        "aitask-lint reads nothing outside it (set --project-root or `project-root` to widen it)"
    )


def _size(module: Module) -> int:
    """What an instance of ``module`` declares (what it costs every analysis)."""
    return (
        len(module.resources)
        + len(module.calls)
        + len(module.variables)
        + len(module.outputs)
        + len(module.locals)
        + len(module.providers)
        + 1
    )


def _placed(resource: Resource, path: tuple[str, ...]) -> Resource:
    """``resource`` in the module at ``path`` (``dataclasses.replace``, five times faster)."""
    r = resource
    return Resource(
        mode=r.mode,
        type=r.type,
        name=r.name,
        module=path,
        attributes=r.attributes,
        blocks=r.blocks,
        count=r.count,
        for_each=r.for_each,
        depends_on=r.depends_on,
        provider=r.provider,
        location=r.location,
    )


def _instantiate(
    prototype: Module, path: tuple[str, ...], directory: str, files: list[str]
) -> Module:
    """A module instance at ``path`` sharing ``prototype``'s model.

    Expressions, variables, locals and outputs are the same objects in every
    instance (evaluation memoises by expression *and* module instance, so
    instance-specific arguments stay apart); resources are copied because
    their address names the path, and calls because each instance loads its own.
    """
    return Module(
        path=path,
        origin="hcl",
        directory=directory,
        files=list(files),
        resources={key: _placed(r, path) for key, r in prototype.resources.items()},
        calls={name: replace(call) for name, call in prototype.calls.items()},
        variables=dict(prototype.variables),
        outputs=dict(prototype.outputs),
        locals=dict(prototype.locals),
        required_providers=dict(prototype.required_providers),
        providers=list(prototype.providers),
    )


class _Loader:
    def __init__(self) -> None:
        self.tree: HclConfiguration
        self.root_dir = "."
        #: real path of the directory outside which nothing is read
        self.project_root = "/"
        self.manifest: dict[str, dict[str, Any]] = {}
        self._parsed: dict[str, File | None] = {}
        #: module directories modelled once: (real directory, real files) -> prototype
        self._prototypes: dict[tuple[str, tuple[str, ...]], Module] = {}
        self._listings: dict[str, list[str] | InputError] = {}
        #: module instances loaded below the root, and what they declare in all
        self.instances = 0
        self.instance_objects = 0

    # -- files ---------------------------------------------------------------

    def parsed_files(self) -> list[File | None]:
        return list(self._parsed.values())

    def parse(self, path: str) -> File | None:
        """Parse a file once; a failure is recorded and yields None."""
        key = real_path(path)
        if key not in self._parsed and not is_inside(key, self.project_root):
            # a symlink leading out of the project: reported, never opened
            self.tree.errors.append(InputError(path, _outside("file", key, self.project_root)))
            self._parsed[key] = None
        if key not in self._parsed:
            try:
                self._parsed[key] = parse_file(key, path)
            except InputError as error:
                self.tree.errors.append(error)
                self._parsed[key] = None
        return self._parsed[key]

    # -- modules -------------------------------------------------------------

    def module(
        self, files: list[str], directory: str, path: tuple[str, ...], chain: tuple[str, ...]
    ) -> Module:
        """One instance of the module in ``directory``, its calls resolved."""
        module = _instantiate(self.prototype(files, directory), path, directory, files)
        for call in module.calls.values():
            self.resolve_call(module, call, directory, chain)
        return module

    def prototype(self, files: list[str], directory: str) -> Module:
        """The model of a module directory, built once however many calls load it.

        Every instance shares its expressions, variables, locals and outputs
        (what differs between instances is the path, the resources' addresses
        and what each call loads, which :func:`_instantiate` copies), so a
        directory called a million times is parsed and modelled once.
        """
        key = (real_path(directory), tuple(real_path(file) for file in files))
        module = self._prototypes.get(key)
        if module is None:
            module = Module(path=(), origin="hcl", directory=directory, files=list(files))
            parsed = [f for f in (self.parse(file) for file in files) if f is not None]
            for file in parsed:  # required_providers first: resources need provider names
                for block in file.body.blocks:
                    if block.type == "terraform":
                        self.terraform_block(module, block)
            for file in parsed:
                for block in file.body.blocks:
                    self.top_level(module, block)
            self._prototypes[key] = module
        return module

    def listing(self, directory: str) -> list[str]:
        """:func:`terraform_files` of a directory, listed once per run (by real path)."""
        key = real_path(directory)
        found = self._listings.get(key)
        if found is None:
            try:
                found = terraform_files(directory)
            except InputError as error:
                found = error
            self._listings[key] = found
        if isinstance(found, InputError):
            raise found
        return [os.path.join(directory, os.path.basename(file)) for file in found]

    def over_budget(self, files: list[str], directory: str) -> str | None:
        """Why one more instance of this module is not loaded, or None (docs/limits.md)."""
        if self.instances >= MAX_MODULE_INSTANCES:
            return (
                f"not loaded: the configuration already has {MAX_MODULE_INSTANCES} module "
                "instances, the limit (see docs/limits.md)"
            )
        size = _size(self.prototype(files, directory))
        if self.instance_objects + size > MAX_MODULE_OBJECTS:
            return (
                f"not loaded: module instances would declare more than {MAX_MODULE_OBJECTS} "
                "blocks and values in all, the limit (see docs/limits.md)"
            )
        self.instances += 1
        self.instance_objects += size
        return None

    def resolve_call(
        self, parent: Module, call: ModuleCall, directory: str, chain: tuple[str, ...]
    ) -> None:
        path = (*parent.path, call.name)
        if len(path) > MAX_MODULE_DEPTH:
            call.status, call.reason = "error", f"module nesting deeper than {MAX_MODULE_DEPTH}"
            return
        source = call.source
        target_dir: str | None = None
        if source.startswith(("./", "../")) or source in (".", ".."):
            target_dir = os.path.normpath(os.path.join(directory, source))
            if not is_inside(target_dir, self.project_root):
                call.status = "error"
                call.reason = _outside("module directory", target_dir, self.project_root)
                return
            if not os.path.isdir(target_dir):
                call.status = "missing"
                call.reason = f"module directory {target_dir} does not exist"
                if os.path.lexists(target_dir):  # a file, a dangling symlink or a symlink loop
                    call.reason = f"module source {target_dir} is not a directory"
                return
        else:
            entry = self.manifest.get(".".join(path))
            if entry is not None and isinstance(entry.get("Dir"), str):
                candidate = os.path.normpath(os.path.join(self.root_dir, entry["Dir"]))
                if not is_inside(candidate, self.project_root):
                    call.status = "error"
                    call.reason = _outside(
                        "module directory (from .terraform/modules/modules.json)",
                        candidate,
                        self.project_root,
                    )
                    return
                if os.path.isdir(candidate):
                    target_dir = candidate
                    call.version = call.version or str(entry.get("Version") or "")
        if target_dir is not None:
            real = real_path(target_dir)
            if real in chain:
                names = " -> ".join(os.path.relpath(p, self.root_dir) for p in (*chain, real))
                call.status, call.reason = "cycle", f"module source cycle: {names}"
                return
            try:
                files = self.listing(target_dir)
            except InputError as error:
                call.status, call.reason = "error", error.message
                return
            refused = self.over_budget(files, target_dir)
            if refused is not None:
                call.status, call.reason = "not-loaded", refused
                return
            call.module = self.module(files, target_dir, path, (*chain, real))
            call.module.source, call.module.version = call.source, call.version
            call.status = "loaded"
            return
        self.from_catalog(call, path)

    def from_catalog(self, call: ModuleCall, path: tuple[str, ...]) -> None:
        from aitask_lint.model.catalog.catalog import catalog_key, catalog_module

        key = catalog_key(call.source)
        if key is None:
            call.status = "not-loaded"
            call.reason = (
                f'module source "{call.source}" is not on disk (run `terraform init`) '
                "and not in the known-module catalog"
            )
            return
        found = catalog_module(key, call.version, path, call.source, call.location)
        if found is None:
            call.status = "not-loaded"
            call.reason = f'no known version of "{key}" matches "{call.version}"'
            return
        call.module, _entry = found
        call.status = "catalog"

    # -- blocks ----------------------------------------------------------------

    def top_level(self, module: Module, block: hs.Block) -> None:
        kind, labels = block.type, block.labels
        if kind in ("resource", "data") and len(labels) == 2:
            self.resource(module, block, "managed" if kind == "resource" else "data")
        elif kind == "module" and len(labels) == 1:
            self.module_call(module, block)
        elif kind == "variable" and len(labels) == 1:
            attributes = block.body.attributes
            default = (
                self.expr(attributes["default"].expression) if "default" in attributes else None
            )
            constraint = attributes.get("type")
            module.variables[labels[0]] = Variable(
                labels[0],
                default,
                self.location(block.span),
                " ".join(constraint.expression.source.split()) if constraint else None,
            )
        elif kind == "output" and len(labels) == 1:
            attributes = block.body.attributes
            value = self.expr(attributes["value"].expression) if "value" in attributes else Expr()
            module.outputs[labels[0]] = Output(
                labels[0],
                value,
                self.location(block.span),
                self.refs_of(attributes.get("depends_on")),
            )
        elif kind == "locals":
            for name, attribute in block.body.attributes.items():
                module.locals[name] = Local(
                    name, self.expr(attribute.expression), self.location(attribute.span)
                )
        elif kind == "provider" and len(labels) == 1:
            arguments = {name: self.argument(a) for name, a in block.body.attributes.items()}
            alias = arguments.get("alias")
            module.providers.append(
                ProviderConfig(
                    name=labels[0],
                    full_name=provider_full_name(module, labels[0]),
                    alias=alias.value if alias and isinstance(alias.value, str) else "",
                    attributes=arguments,
                    location=self.location(block.span),
                )
            )

    def terraform_block(self, module: Module, block: hs.Block) -> None:
        for inner in block.body.blocks:
            if inner.type != "required_providers":
                continue
            for name, attribute in inner.body.attributes.items():
                value = self.expr(attribute.expression).value
                source = version = ""
                if isinstance(value, dict):
                    source = str(value.get("source") or "")
                    version = str(value.get("version") or "")
                elif isinstance(value, str):  # legacy `coder = "~> 2.0"`
                    version = value
                module.required_providers[name] = ProviderRequirement(
                    name, source, version, self.location(attribute.span)
                )

    def resource(self, module: Module, block: hs.Block, mode: str) -> None:
        kind, name = block.labels
        attributes, blocks = self.body(block.body, skip=_META_ARGUMENTS)
        meta = block.body.attributes
        provider = kind.split("_", 1)[0]
        if "provider" in meta:
            provider_ref = self.expr(meta["provider"].expression)
            if provider_ref.refs:
                provider = provider_ref.refs[0].root
        resource = Resource(
            mode="managed" if mode == "managed" else "data",
            type=kind,
            name=name,
            module=module.path,
            attributes=attributes,
            blocks=blocks,
            count=self.expr(meta["count"].expression) if "count" in meta else None,
            for_each=self.expr(meta["for_each"].expression) if "for_each" in meta else None,
            depends_on=self.refs_of(meta.get("depends_on")),
            provider=provider_full_name(module, provider),
            location=self.location(block.span),
        )
        module.resources.setdefault(resource.local_address, resource)

    def module_call(self, module: Module, block: hs.Block) -> None:
        attributes = block.body.attributes
        arguments = {
            name: self.argument(attribute)
            for name, attribute in attributes.items()
            if name not in ("source", "version", "count", "for_each", "depends_on", "providers")
        }

        def text(name: str) -> str:
            if name not in attributes:
                return ""
            value = self.expr(attributes[name].expression).value
            return value if isinstance(value, str) else ""

        call = ModuleCall(
            name=block.labels[0],
            source=text("source"),
            version=text("version"),
            arguments=arguments,
            count=self.expr(attributes["count"].expression) if "count" in attributes else None,
            for_each=(
                self.expr(attributes["for_each"].expression) if "for_each" in attributes else None
            ),
            depends_on=self.refs_of(attributes.get("depends_on")),
            location=self.location(block.span),
        )
        module.calls.setdefault(call.name, call)

    def body(
        self, body: hs.Body, skip: frozenset[str] = frozenset()
    ) -> tuple[dict[str, Expr], list[Block]]:
        attributes = {
            name: self.argument(attribute)
            for name, attribute in body.attributes.items()
            if name not in skip
        }
        blocks = []
        for inner in body.blocks:
            if inner.type in skip:
                continue
            inner_attributes, inner_blocks = self.body(inner.body)
            blocks.append(
                Block(
                    inner.type,
                    tuple(inner.labels),
                    inner_attributes,
                    inner_blocks,
                    self.location(inner.span),
                )
            )
        return attributes, blocks

    # -- expressions -----------------------------------------------------------

    def location(self, span: Span) -> Location:
        return Location(span.path, span.line, span.column, span.end_line, span.end_column)

    def expr(self, expression: hx.Expression) -> Expr:
        return Expr(
            refs=tuple(traversal_ref(t) for t in hx.references(expression)),
            value=hx.literal_value(expression),  # hx.UNKNOWN is the model's UNKNOWN
            source=expression.source,
            location=self.location(expression.span),
            syntax=expression,
        )

    def argument(self, attribute: hs.Attribute) -> Expr:
        """An argument's value, knowing where its name is."""
        expr = self.expr(attribute.expression)
        expr.name_location = self.location(attribute.name_span)
        return expr

    def refs_of(self, attribute: hs.Attribute | None) -> tuple[Ref, ...]:
        """The references of a ``depends_on = [a.b, c.d]`` list."""
        if attribute is None:
            return ()
        return self.expr(attribute.expression).refs
