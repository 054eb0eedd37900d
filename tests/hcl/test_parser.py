"""The HCL syntax layer: positions, expressions, references, errors, divergences."""

from __future__ import annotations

from pathlib import Path

import pytest

from aitask_lint.errors import InputError
from aitask_lint.hcl import expressions as hx
from aitask_lint.hcl.files import load_hcl_file
from aitask_lint.hcl.parser import parse_hcl

ROOT = Path(__file__).resolve().parents[2]
HCL = ROOT / "fixtures" / "hcl"
TEMPLATES = ROOT / "fixtures" / "templates"


def _attribute(text: str, name: str = "v") -> hx.Expression:
    return parse_hcl(text, "t.tf").body.attributes[name].expression


def _refs(source: str) -> list[str]:
    return [hx.traversal_text(t) for t in hx.references(_attribute(f"v = {source}\n"))]


def test_blocks_attributes_and_nested_blocks_keep_exact_positions() -> None:
    text = (
        "# comment\n"
        'resource "coder_app" "web" {\n'
        "  agent_id = coder_agent.main.id\n"
        '  url      = "http://localhost:3284/"\n'
        "  healthcheck {\n"
        '    url = "http://localhost:3284/status"\n'
        "  }\n"
        "}\n"
    )
    file = parse_hcl(text, "main.tf")
    (block,) = file.body.blocks
    assert (block.type, block.labels) == ("resource", ["coder_app", "web"])
    assert (block.span.line, block.span.column, block.span.end_line, block.span.end_column) == (
        2,
        1,
        8,
        2,
    )
    url = block.body.attributes["url"]
    assert (url.span.line, url.span.column) == (4, 3)
    assert (url.expression.span.line, url.expression.span.column) == (4, 14)
    assert url.expression.source == '"http://localhost:3284/"'
    (healthcheck,) = block.body.blocks
    assert (healthcheck.type, healthcheck.span.line, healthcheck.span.column) == (
        "healthcheck",
        5,
        3,
    )
    assert [(c.text, c.span.line) for c in file.comments] == [("# comment", 1)]


def test_lines_after_heredocs_and_in_crlf_files() -> None:
    file = load_hcl_file(str(TEMPLATES / "heredoc-dynamic" / "main.tf"))
    lines = {tuple(b.labels): b.span.line for b in file.body.blocks if b.type == "resource"}
    assert lines[("coder_agent", "main")] == 15
    assert lines[("coder_app", "chat")] == 37
    assert lines[("coder_ai_task", "task")] == 51
    assert lines[("null_resource", "vm")] == 55
    crlf = load_hcl_file(str(TEMPLATES / "crlf" / "main.tf"))
    blocks = [(b.labels[1], b.span.line, b.span.column) for b in crlf.body.blocks]
    assert blocks == [("main", 1, 1), ("chat", 6, 1), ("task", 12, 1), ("vm", 16, 1)]
    app = crlf.body.blocks[1].body.attributes["slug"]
    assert (app.span.line, app.span.column, app.expression.source) == (8, 3, '"chat"')


def test_heredoc_marker_with_trailing_spaces_does_not_swallow_blocks() -> None:
    # python-hcl2 8.1.4 alone reads on to the next EOT and loses both resources
    file = load_hcl_file(str(HCL / "heredoc-trailing-space.tf"))
    assert [(b.type, b.labels, b.span.line) for b in file.body.blocks] == [
        ("locals", [], 1),
        ("resource", ["null_resource", "first"], 7),
        ("resource", ["null_resource", "second"], 9),
        ("locals", [], 13),
    ]
    assert hx.literal_value(file.body.blocks[0].body.attributes["greeting"].expression) == "hello\n"


def test_unicode_identifiers_load_with_their_names() -> None:
    file = load_hcl_file(str(HCL / "unicode-identifiers.tf"))
    locals_block = file.body.blocks[0]
    assert list(locals_block.body.attributes) == ["café", "menu"]
    assert hx.literal_value(locals_block.body.attributes["café"].expression) == "été"
    assert _refs_of(locals_block.body.attributes["menu"].expression) == ["local.café"]
    assert file.body.blocks[1].span.line == 6


def _refs_of(expression: hx.Expression) -> list[str]:
    return [hx.traversal_text(t) for t in hx.references(expression)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "module.claude-code[count.index].task_app_id",
            ["module.claude-code[count.index].task_app_id", "count.index"],
        ),
        ('try(module.x[0].task_app_id, "")', ["module.x[0].task_app_id"]),
        ('var.enabled ? coder_app.web[0].id : ""', ["var.enabled", "coder_app.web[0].id"]),
        ("coalesce(a.b.id, c.d.id)", ["a.b.id", "c.d.id"]),
        ("[for s in var.list : s.id if s.ok]", ["var.list"]),
        ("{for k, v in var.m : k => v.x}", ["var.m"]),
        ('"http://localhost:${var.port}/"', ["var.port"]),
        ('coder_app.apps["web"].id', ['coder_app.apps["web"].id']),
        ("aws_instance.x[*].id", ["aws_instance.x[*].id"]),
        ("aws_instance.x.*.id", ["aws_instance.x.*.id"]),
        ("provider::time::rfc3339_parse(local.t).year", ["local.t"]),
        ("each.value.port + 1", ["each.value.port"]),
        ('"%{ for n in var.names }${n}-${local.sep}%{ endfor }"', ["var.names", "local.sep"]),
        ("(local.a).b", ["local.a"]),
        (
            "!var.off && length(data.coder_task.me.prompt) > 0",
            ["var.off", "data.coder_task.me.prompt"],
        ),
    ],
)
def test_references(source: str, expected: list[str]) -> None:
    assert _refs(source) == expected


def test_heredoc_interpolations_are_references_with_positions() -> None:
    text = "v = <<-EOT\n  token ${coder_agent.main.token}\n  EOT\n"
    expression = _attribute(text)
    assert isinstance(expression, hx.Template)
    (reference,) = hx.references(expression)
    assert hx.traversal_text(reference) == "coder_agent.main.token"
    assert (reference.span.line, reference.span.column) == (2, 11)


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ('"plain"', "plain"),
        ('"esc\\"aped\\n"', 'esc"aped\n'),
        ("42", 42),
        ("-3", -3),
        ("1.5", 1.5),
        ("true", True),
        ("null", None),
        ('["a", 1, false]', ["a", 1, False]),
        (
            '{ source = "coder/coder", "version" = ">= 2.13" }',
            {"source": "coder/coder", "version": ">= 2.13"},
        ),
        ('"$${not_interpolated}"', "${not_interpolated}"),
        ("<<-EOT\n    indented\n      more\n    EOT\n", "indented\n  more\n"),
    ],
)
def test_literal_values(source: str, value: object) -> None:
    assert hx.literal_value(_attribute(f"v = {source}\n")) == value


@pytest.mark.parametrize("source", ['"${var.x}"', "var.x", "f(1)", "[var.x]", "a ? 1 : 2"])
def test_non_literals_are_unknown(source: str) -> None:
    assert hx.literal_value(_attribute(f"v = {source}\n")) is hx.UNKNOWN


# Positions and titles as `terraform fmt` (HashiCorp's HCL) reports them.
@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ('resource "a" "b" {\n  x = \n}\n', (2, 7), "Invalid expression"),
        ('resource "a" "b" {\n  x = 1\n', (1, 18), "Unclosed configuration block"),
        ('locals {\n  a = "unterminated\n}\n', (2, 7), "Invalid multi-line string"),
        ("locals {\n  a = 1 +\n}\n", (3, 1), "Invalid expression"),
        ('a = "${var.x"\n', (1, 6), "Unclosed template interpolation sequence"),
        ("x = <<EOT\nno end\n", (1, 5), "Unterminated template string"),
        # a mutation of a catalog fixture, once accepted: the newline between two attributes gone
        (
            'locals {\n  a = { source = "x" version = "y" }\n}\n',
            (2, 22),
            "Missing attribute separator",
        ),
        ("locals {\n  a = { b = 1 /* c */ d = 2 }\n}\n", (2, 23), "newline or comma"),
        ("locals {\n  a = { b = 1, c = {} d = 2 }\n}\n", (2, 23), "Missing attribute separator"),
        # a mutation of a fixture, once accepted: the block's "{" on the next line, at the
        # newline that ends the header (python-hcl2's grammar allows it, HCL does not)
        ('variable "agent_id" \n{\n  type = string\n}\n', (1, 21), "Invalid block definition"),
        ("locals\n{\n}\n", (1, 1), "Argument or block definition required: An argument"),
        ('resource "a" "b" # note\n{\n}\n', (1, 18), "Invalid block definition"),
        ('resource "a" "b" /* x */\n{\n}\n', (1, 25), "starting on the same line as the"),
    ],
)
def test_syntax_errors_name_line_and_column(
    text: str, position: tuple[int, int], fragment: str
) -> None:
    with pytest.raises(InputError) as raised:
        parse_hcl(text, "bad.tf")
    error = raised.value
    assert (error.line, error.column) == position, error
    assert fragment in error.message
    assert "\n" not in str(error)


def test_a_block_brace_after_an_inline_comment_loads() -> None:
    """A ``/* */`` comment, even one over two lines, does not end a block's header."""
    text = 'resource "a" "b" /* x */ {\n}\n\nresource "c" "d" /* x\n y */ {\n}\n'
    assert [b.labels for b in parse_hcl(text, "ok.tf").body.blocks] == [["a", "b"], ["c", "d"]]


def test_object_attributes_separated_by_a_newline_or_a_comma_load() -> None:
    """What Terraform accepts: commas, newlines, a line comment's newline, a heredoc's."""
    text = (
        'locals {\n  a = { b = "x", c = "y", }\n  d = {\n    e = 1 # note\n    f = 2,\n'
        "    g = <<EOT\n  body\nEOT\n    h = 3\n  }\n}\n"
    )
    (locals_,) = parse_hcl(text, "ok.tf").body.blocks
    assert list(locals_.body.attributes) == ["a", "d"]


def test_unreadable_files_are_input_errors(tmp_path: Path) -> None:
    binary = tmp_path / "b.tf"
    binary.write_bytes(b'resource "a" "b" {}\n\x00\x01')
    with pytest.raises(InputError, match="binary file"):
        load_hcl_file(str(binary))
    latin = tmp_path / "l.tf"
    latin.write_bytes(b'locals {\n  a = "caf\xe9"\n}\n')
    with pytest.raises(InputError, match="invalid UTF-8") as raised:
        load_hcl_file(str(latin))
    assert (raised.value.line, raised.value.column) == (2, 11)
    bom = tmp_path / "bom.tf"
    bom.write_bytes(b'\xef\xbb\xbfresource "a" "b" {}\n')
    assert load_hcl_file(str(bom)).body.blocks[0].span.line == 1


def test_tf_json_syntax() -> None:
    file = load_hcl_file(str(TEMPLATES / "json-syntax" / "main.tf.json"))
    kinds = [(b.type, b.labels) for b in file.body.blocks]
    assert ("resource", ["coder_app", "chat"]) in kinds
    app = next(b for b in file.body.blocks if b.labels == ["coder_app", "chat"])
    assert _refs_of(app.body.attributes["agent_id"].expression) == ["coder_agent.main.id"]
    assert [b.type for b in app.body.blocks] == ["healthcheck"]
    assert app.span.line == 15
    terraform = next(b for b in file.body.blocks if b.type == "terraform")
    assert terraform.body.blocks[0].type == "required_providers"


def test_tf_json_errors(tmp_path: Path) -> None:
    broken = tmp_path / "x.tf.json"
    broken.write_text('{\n  "resource": {\n    "a": {"b": {"x": 1,}}\n  }\n}\n')
    with pytest.raises(InputError) as raised:
        load_hcl_file(str(broken))
    assert raised.value.line == 3
    unknown = tmp_path / "y.tf.json"
    unknown.write_text('{"resources": {}}')
    with pytest.raises(InputError, match='Blocks of type "resources" are not expected here'):
        load_hcl_file(str(unknown))
