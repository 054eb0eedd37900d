"""Generate ``src/aitask_lint/model/catalog/provider_schema.json`` from the shared provider schema.

    python tools/gen_provider_schema.py [PATH-TO-coder-provider-schema.json]

The input is ``../shared/reference/coder-provider-schema.json`` (the coder/coder
provider at v2.17.0, described in ``coder-provider-schema-json.md``): about
120 KB of descriptions, validations and history. The linter needs only which
types exist, which names each type and block accepts or exports, and the
release that added each, so this script keeps exactly that (a few KB) as
package data: the installed package never reads ``../shared``.

Run it again when the shared schema changes and commit the result;
``tests/test_provider_schema.py`` fails while the two disagree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = ROOT.parent / "shared" / "reference" / "coder-provider-schema.json"
OUTPUT = ROOT / "src" / "aitask_lint" / "model" / "catalog" / "provider_schema.json"

#: Types later provider releases are known to add: seen upstream, not in the v2.17.0
#: snapshot (coder-provider-schema-json.md, "Caveats"; rules.md, AIT411). They are
#: not in the JSON, so they are listed here.
ADDED_LATER = {
    "managed": ["coder_script_order", "coder_subagent_execution"],
    "data": ["coder_workspace_ai_agent"],
}

_KINDS = {"resources": "managed", "data_sources": "data"}


def _release(tag: Any) -> str | None:
    """``v2.12.0`` -> ``2.12.0`` (the package compares versions without the ``v``)."""
    return tag[1:] if isinstance(tag, str) and tag.startswith("v") else tag


def _mode(argument: dict[str, Any] | None, attribute: dict[str, Any]) -> str:
    if argument is not None:
        if argument.get("required"):
            return "required"
        return "optional+computed" if argument.get("computed") else "optional"
    return "implicit" if attribute.get("implicit") else "computed"


def _body(schema: dict[str, Any], history: dict[str, Any], path: str) -> dict[str, Any]:
    """The fields and blocks of a type or block: ``{name: [mode, added_in]}``, recursively."""
    arguments = schema.get("arguments", {})
    attributes = schema.get("attributes", {})
    fields: dict[str, list[Any]] = {}
    for name in sorted(set(arguments) | set(attributes)):
        argument = arguments.get(name)
        attribute = attributes.get(name, argument or {})
        added = (argument or {}).get("added_in") or attribute.get("added_in")
        added = added or history.get(f"{path}.{name}", {}).get("added_in")
        fields[name] = [_mode(argument, attribute), _release(added)]
    blocks = {}
    for name, block in sorted(schema.get("blocks", {}).items()):
        inner = _body(block, history, f"{path}.{name}")
        added = block.get("added_in") or history.get(f"{path}.{name}", {}).get("added_in")
        inner.update(
            added=_release(added),
            nesting=block["nesting"],
            min=block.get("min_items", 0),
            max=block.get("max_items"),
        )
        blocks[name] = inner
    return {"fields": fields, "blocks": blocks}


def compact(source: dict[str, Any]) -> dict[str, Any]:
    """The package's view of the shared schema (deterministic: sorted keys)."""
    history = {**source["history"], **source["history_nested"]}
    out: dict[str, Any] = {
        "generated_by": "tools/gen_provider_schema.py from coder-provider-schema.json",
        "provider": source["provider"],
        "version": _release(source["version"]),
        "source_commit": source["source_commit"],
    }
    for key, mode in _KINDS.items():
        types = {}
        for name, schema in sorted(source[key].items()):
            body = _body(schema, history, name)
            body["added"] = _release(schema.get("added_in") or history[name]["added_in"])
            types[name] = body
        out[mode] = types
    removed: dict[str, dict[str, list[Any]]] = {"managed": {}, "data": {}}
    for name, info in sorted(source["removed"]["types"].items()):
        mode = "data" if info["kind"] == "data_source" else "managed"
        removed[mode][name] = [_release(info["added_in"]), _release(info["removed_in"])]
    out["removed"] = removed
    fields: dict[str, dict[str, list[Any]]] = {}
    for dotted, info in sorted(source["removed"]["fields"].items()):
        kind, name = dotted.split(".", 1)
        fields.setdefault(kind, {})[name] = [
            _release(info["added_in"]),
            _release(info["removed_in"]),
        ]
    out["removed_fields"] = fields
    out["added_later"] = ADDED_LATER
    return out


def render(source: dict[str, Any]) -> str:
    return json.dumps(compact(source), indent=1, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_INPUT
    source = json.loads(path.read_text("utf-8"))
    OUTPUT.write_text(render(source), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size} bytes) from {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
