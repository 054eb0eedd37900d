"""The visitor: one lark tree to the positioned syntax tree (``syntax``, ``expressions``).

Lark's ``propagate_positions`` is off: recording an extent on every tree
node doubles the parse, so the visitor reads extents from the first and last
tokens of just the nodes it keeps (the same extents, measured identical on
every fixture). Every position goes through ``to_original`` (the map from
the parser's offsets to the original text, :class:`~aitask_lint.hcl.prepare.Prepared`).
It also enforces what Terraform checks and python-hcl2's grammar does not:
newlines after arguments, duplicate attributes, balanced template
directives, single-line strings, the nesting limit.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any, TypeVar

from lark import Tree as _Tree  # the class of every node lark builds (python-hcl2 needs lark)

from aitask_lint import coder_text as ct
from aitask_lint.errors import InputError
from aitask_lint.hcl import expressions as hx
from aitask_lint.hcl import strings
from aitask_lint.hcl.diagnose import describe
from aitask_lint.hcl.grammar import lark_parser
from aitask_lint.hcl.prepare import Prepared
from aitask_lint.hcl.span import Span
from aitask_lint.hcl.strings import InvalidEscapeError, closing_brace, common_indent, dedent
from aitask_lint.hcl.syntax import Attribute, Block, Body, Comment
from aitask_lint.jsonnum import parse_int
from aitask_lint.limits import MAX_HCL_NESTING

_EXPRESSION_PREFIX = "__aitask_expression__ = "
_E = TypeVar("_E", bound=hx.Expression)


def _is_tree(node: Any) -> bool:
    return node.__class__ is _Tree  # lark builds only plain Trees; tokens are str subclasses


def _first_token(tree: Any) -> Any:
    """The first token below ``tree`` (skipping placeholders and empty subtrees), or None."""
    for child in tree.children:
        if child is None:
            continue
        if child.__class__ is not _Tree:
            return child
        found = _first_token(child)
        if found is not None:
            return found
    return None


def _last_token(tree: Any) -> Any:
    """The last token below ``tree`` (skipping placeholders and empty subtrees), or None."""
    for child in reversed(tree.children):
        if child is None:
            continue
        if child.__class__ is not _Tree:
            return child
        found = _last_token(child)
        if found is not None:
            return found
    return None


#: a ``/* ... */`` comment between a block's header and its ``{`` (blanked: not a line end)
_INLINE_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def _blank(match: re.Match[str]) -> str:
    """The comment as spaces (its own line ends too: HCL reads it as no line end), so
    offsets after it stay where they were."""
    return " " * len(match.group(0))


class Visitor:
    """Turns one lark tree into syntax-tree objects with original positions."""

    def __init__(
        self,
        path: str,
        original: str,
        line_starts: list[int],
        parsed: str,
        to_original: Callable[[int], int],
    ) -> None:
        self.path = path
        self.original = original
        self.line_starts = line_starts
        self.parsed = parsed
        self.to_original = to_original
        self.comments: list[Comment] = []
        #: inside (), [], {} or a template: HCL ignores line breaks there
        self.nested = 0
        #: blocks and expressions being visited; past MAX_HCL_NESTING the file is refused
        self.depth = 0

    # positions -------------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        original = self.to_original(offset)
        line = bisect.bisect_right(self.line_starts, original)
        return line, original - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        # position() twice, inlined: this runs for every node of every file
        to_original, line_starts = self.to_original, self.line_starts
        first, last = to_original(start), to_original(end)
        line = bisect.bisect_right(line_starts, first)
        end_line = bisect.bisect_right(line_starts, last, line - 1)
        return Span(
            self.path,
            line,
            first - line_starts[line - 1] + 1,
            end_line,
            last - line_starts[end_line - 1] + 1,
        )

    def source(self, start: int, end: int) -> str:
        return self.original[self.to_original(start) : self.to_original(end)]

    def bounds(self, node: Any) -> tuple[int, int]:
        """A node's extent: from its first token's start to its last token's end.

        This is what lark's ``propagate_positions`` would record on every tree
        node; computing it only for the nodes we ask about halves the parse.
        """
        if _is_tree(node):
            first, last = _first_token(node), _last_token(node)
            if first is None or last is None:
                raise AttributeError(f"empty {node.data!r} node has no position")
            return first.start_pos, last.end_pos
        return node.start_pos, node.end_pos

    def name(self, node: Any) -> str:
        """An identifier's text, read from the original (Unicode names survive)."""
        token = node.children[0] if _is_tree(node) else node
        return self.source(token.start_pos, token.end_pos)

    # bodies ----------------------------------------------------------------

    def body(self, tree: Any, *, single_line: bool = False, top_level: bool = False) -> Body:
        body = Body()
        if not top_level:
            self.check_newlines(tree, single_line)
        for child in tree.children:
            kind = child.data
            if kind == "attribute":
                name_node = child.children[0]
                start, end = self.bounds(child)
                name_start, name_end = self.bounds(name_node)
                name = self.name(name_node)
                previous = body.attributes.get(name)
                if previous is not None:
                    line, column = self.position(name_start)
                    first = previous.name_span
                    raise InputError(
                        self.path,
                        f'Attribute redefined: The argument "{name}" was already set at '
                        f"{first.path}:{first.line},{first.column}. Each argument may be set "
                        "only once.",
                        line,
                        column,
                    )
                body.attributes[name] = Attribute(
                    name,
                    self.expression(child.children[2]),
                    self.span(start, end),
                    self.span(name_start, name_end),
                )
            elif kind == "block":
                body.blocks.append(self.block(child))
            elif kind == "new_line_or_comment":
                self.collect_comments(child)
        return body

    def check_newlines(self, tree: Any, single_line: bool) -> None:
        """Terraform's rule: each argument and block ends with a newline.

        python-hcl2 accepts ``a = 1  b = 2`` on one line and ``x = 1 }`` closing
        a multi-line block; HashiCorp's parser rejects both. A single-line block
        ``name { attr = value }`` may hold one argument.
        """
        items = [c for c in tree.children if c.data in ("attribute", "block")]
        if items and not single_line and tree.children[0].data != "new_line_or_comment":
            raise self.error(
                items[0],
                "Invalid single-argument block definition: An argument definition on the same "
                "line as its containing block creates a single-line block definition, which "
                "must also be closed on the same line.",
            )
        previous: Any = None
        for child in tree.children:
            if child.data == "new_line_or_comment":
                previous = None
                continue
            if previous is not None and not self.ends_with_newline(previous):
                kind = "argument" if previous.data == "attribute" else "block definition"
                raise self.error(
                    child, f"Missing newline after {kind}: An {kind} must end with a newline."
                )
            previous = child
        if previous is not None and not self.ends_with_newline(previous):
            if single_line and len(items) == 1 and items[0].data == "attribute":
                return
            kind = "argument" if previous.data == "attribute" else "block definition"
            _start, end = self.bounds(previous)
            line, column = self.position(end)
            raise InputError(
                self.path,
                f"HCL syntax error: Missing newline after {kind}: An "
                f"{kind} must end with a newline.",
                line,
                column,
            )

    def ends_with_newline(self, item: Any) -> bool:
        """A heredoc's token swallows the newline that ends its argument."""
        start, end = self.bounds(item)
        return self.parsed[start:end].rstrip(" \t\r").endswith("\n")

    def block(self, tree: Any) -> Block:
        self.enter(tree)
        try:
            return self.block_of(tree)
        finally:
            self.depth -= 1

    def enter(self, node: Any) -> None:
        """Count one level of nesting; refuse the file past :data:`MAX_HCL_NESTING`.

        Everything downstream (this visitor, the model, the resolver, the
        parse cache's encoder) walks the tree recursively, a few frames per
        level: without a limit a file nested a few hundred levels deep would
        end in a RecursionError. The error points at the first level too many.
        """
        self.depth += 1
        if self.depth > MAX_HCL_NESTING:
            start, _end = self.bounds(node)
            raise InputError(
                self.path,
                f"nested too deeply: more than {MAX_HCL_NESTING} levels of blocks and "
                "expressions (aitask-lint's limit; see docs/limits.md)",
                *self.position(start),
            )

    def block_of(self, tree: Any) -> Block:
        names: list[str] = []
        type_bounds = self.bounds(tree.children[0])
        header_end = type_bounds[1]
        inner: Any = None
        for child in tree.children:
            if not _is_tree(child):
                continue
            if child.data == "string":
                expression = self.string(child)
                value = hx.literal_value(expression)
                names.append(value if isinstance(value, str) else expression.source)
                header_end = self.bounds(child)[1]
            elif child.data in ("identifier", "keyword", "literal_value"):
                names.append(self.name(child))
                header_end = self.bounds(child)[1]
            elif child.data == "body":
                inner = child
            elif child.data == "new_line_or_comment":
                self.collect_comments(child)
        start, end = self.bounds(tree)
        braces = [c for c in tree.children if not _is_tree(c) and c.type in ("LBRACE", "RBRACE")]
        if braces:
            lone_name = type_bounds[0] if len(names) == 1 else None
            self.brace_on_header_line(header_end, braces[0], lone_name)
        single_line = (
            len(braces) == 2
            and self.position(braces[0].start_pos)[0] == self.position(braces[1].start_pos)[0]
        )
        return Block(
            names[0],
            names[1:],
            self.body(inner, single_line=single_line) if inner is not None else Body(),
            self.span(start, end),
            self.span(*type_bounds),
        )

    def brace_on_header_line(self, header_end: int, brace: Any, lone_name: int | None) -> None:
        """HCL's rule that python-hcl2's grammar lacks: ``{`` on the header's line.

        ``variable "x"`` then ``{`` on the next line is Terraform's
        ``INVALID_BLOCK_DEFINITION``, at the newline (or line comment) that
        ends the header (at ``header_end``); a lone ``locals`` so ended (its
        name at ``lone_name``) is not yet a block to HCL:
        ``ARGUMENT_OR_BLOCK_REQUIRED``, at the name.
        """
        between = self.parsed[header_end : brace.start_pos]
        ends = re.search(r"#|//|\n", _INLINE_COMMENT.sub(_blank, between))
        if ends is None:
            return
        if lone_name is not None:
            raise InputError(
                self.path,
                f"HCL syntax error: {ct.ARGUMENT_OR_BLOCK_REQUIRED()}: "
                f"{ct.ARGUMENT_OR_BLOCK_REQUIRED_HERE()}",
                *self.position(lone_name),
            )
        raise InputError(
            self.path,
            f"HCL syntax error: {ct.INVALID_BLOCK_DEFINITION()}: {ct.BLOCK_BRACE_ON_HEADER_LINE()}",
            *self.position(header_end + ends.start()),
        )

    def collect_comments(self, tree: Any) -> None:
        for token in tree.children:
            value = str(token)
            stripped = value.lstrip()
            if stripped.startswith(("#", "//", "/*")):
                start = token.start_pos + (len(value) - len(stripped))
                text = stripped.rstrip("\r\n")
                self.comments.append(Comment(text, self.span(start, start + len(text))))

    # expressions -------------------------------------------------------------

    def make(self, cls: type[_E], node: Any, **fields: Any) -> _E:
        start, end = self.bounds(node)
        return cls(self.source(start, end), self.span(start, end), **fields)

    def expression(self, node: Any) -> hx.Expression:
        if not _is_tree(node):
            return self.make(hx.Literal, node, value=str(node))
        method = getattr(self, f"x_{node.data}", None)
        if method is None:
            raise self.error(node, f"unsupported expression ({node.data})")
        self.enter(node)
        try:
            result: hx.Expression = method(node)
        finally:
            self.depth -= 1
        return result

    def sub_expressions(self, node: Any) -> list[hx.Expression]:
        return [
            self.expression(child)
            for child in node.children
            if _is_tree(child) and child.data != "new_line_or_comment"
        ]

    def bracketed(self, node: Any) -> list[hx.Expression]:
        """Sub-expressions inside brackets, where line breaks are allowed."""
        self.nested += 1
        try:
            return self.sub_expressions(node)
        finally:
            self.nested -= 1

    def line_break(self, nodes: list[Any]) -> Any:
        """The first line break among operator tokens and newline nodes, if any."""
        for child in nodes:
            if _is_tree(child):
                if child.data == "new_line_or_comment":
                    return child
            elif "\n" in str(child):
                return child
        return None

    def reject_line_break(self, found: Any, message: str) -> None:
        if found is not None and not self.nested:
            start, _end = self.bounds(found)
            raise InputError(self.path, f"HCL syntax error: {message}", *self.position(start))

    def x_expr_term(self, node: Any) -> hx.Expression:
        first = node.children[0]
        if not _is_tree(first) and first.type == "LPAR":
            (inner,) = self.bracketed(node)
            return self.make(hx.Parenthesized, node, inner=inner)
        return self.expression(first)

    def x_conditional(self, node: Any) -> hx.Expression:
        children = node.children
        colon = next(i for i, c in enumerate(children) if not _is_tree(c) and c.type == "COLON")
        self.reject_line_break(
            self.line_break(children[colon - 1 : colon + 2]),
            "Missing false expression in conditional",
        )
        self.reject_line_break(self.line_break(children[1:colon]), "Invalid expression")
        condition, true_result, false_result = self.sub_expressions(node)
        return self.make(
            hx.Conditional,
            node,
            condition=condition,
            true_result=true_result,
            false_result=false_result,
        )

    def x_binary_op(self, node: Any) -> hx.Expression:
        left_node, term = node.children[0], node.children[1]
        operator = next(c for c in term.children if _is_tree(c) and c.data == "binary_operator")
        right = [
            c
            for c in term.children
            if _is_tree(c) and c.data not in ("binary_operator", "new_line_or_comment")
        ]
        self.reject_line_break(
            self.line_break([*operator.children, *term.children]), "Invalid expression"
        )
        return self.make(
            hx.BinaryOp,
            node,
            op=str(operator.children[0]).strip(),
            left=self.expression(left_node),
            right=self.expression(right[0]),
        )

    def x_unary_op(self, node: Any) -> hx.Expression:
        operator, operand = node.children[0], node.children[1]
        return self.make(hx.UnaryOp, node, op=str(operator), operand=self.expression(operand))

    def x_int_lit(self, node: Any) -> hx.Expression:
        return self.make(hx.Literal, node, value=parse_int(str(node.children[0])))

    def x_float_lit(self, node: Any) -> hx.Expression:
        return self.make(hx.Literal, node, value=float(str(node.children[0])))

    def x_literal_value(self, node: Any) -> hx.Expression:
        text = str(node.children[0])
        return self.make(hx.Literal, node, value={"true": True, "false": False}.get(text))

    def x_identifier(self, node: Any) -> hx.Expression:
        return self.make(hx.Traversal, node, root=self.name(node), steps=[])

    def x_keyword(self, node: Any) -> hx.Expression:
        return self.x_identifier(node)

    def x_template_string(self, node: Any) -> hx.Expression:
        token = node.children[0]
        raw = str(token)
        return self.make(hx.Literal, node, value=self.unescape(raw[2:-2], token.start_pos + 2))

    def unescape(self, text: str, offset: int) -> str:
        """The text's escapes decoded; a bad one is Terraform's error, at its position."""
        try:
            return strings.unescape(text)
        except InvalidEscapeError as error:
            raise InputError(
                self.path, f"HCL syntax error: {error}", *self.position(offset + error.offset)
            ) from None

    def x_tuple(self, node: Any) -> hx.Expression:
        return self.make(hx.Tuple, node, items=self.bracketed(node))

    def x_object(self, node: Any) -> hx.Expression:
        self.nested += 1
        try:
            return self.object(node)
        finally:
            self.nested -= 1

    def object(self, node: Any) -> hx.Expression:
        items = []
        separated = True
        for element in node.children:
            if not _is_tree(element):
                separated = separated or element.type == "COMMA"
                continue
            if element.data == "new_line_or_comment":
                start, end = self.bounds(element)
                separated = separated or "\n" in self.parsed[start:end]
                continue
            if element.data != "object_elem":
                continue
            if not separated:
                # python-hcl2 accepts `{ a = 1 b = 2 }`; HashiCorp's parser does not
                raise self.error(
                    element,
                    f"{ct.MISSING_ATTRIBUTE_SEPARATOR()}: {ct.ATTRIBUTE_SEPARATOR_EXPECTED()}",
                )
            separated = self.ends_with_newline(element)  # a heredoc value holds its newline
            key_node = element.children[0].children[0]
            key = (
                self.x_identifier(key_node)
                if key_node.data == "keyword"
                else self.expression(key_node)
            )
            items.append((key, self.expression(element.children[2])))
        return self.make(hx.Object, node, items=items)

    def x_function_call(self, node: Any) -> hx.Expression:
        names = [self.name(c) for c in node.children if _is_tree(c) and c.data == "identifier"]
        args: list[hx.Expression] = []
        expand = False
        for child in node.children:
            if _is_tree(child) and child.data == "arguments":
                args = self.bracketed(child)
                expand = any(not _is_tree(c) and c.type == "ELLIPSIS" for c in child.children)
        return self.make(
            hx.FunctionCall, node, name="::".join(names), args=args, expand_final=expand
        )

    def steps(self, node: Any) -> list[hx.Step]:
        """Steps of a get_attr / index / splat node."""
        kind = node.data
        if kind == "get_attr":
            return [hx.GetAttr(self.name(node.children[1]))]
        if kind == "braces_index":
            (key,) = self.bracketed(node)
            return [hx.Index(key)]
        if kind == "short_index":
            token = node.children[1]
            key = hx.Literal(str(token), self.span(*self.bounds(token)), parse_int(str(token)))
            return [hx.Index(key)]
        if kind in ("attr_splat", "full_splat"):
            steps: list[hx.Step] = [hx.Splat("attr" if kind == "attr_splat" else "full")]
            for child in node.children:
                if _is_tree(child):
                    steps.extend(self.steps(child))
            return steps
        raise self.error(node, f"unsupported traversal step ({kind})")

    def traversal(self, node: Any) -> hx.Expression:
        subject = self.expression(node.children[0])
        steps = self.steps(node.children[1])
        if isinstance(subject, hx.Traversal):
            return self.make(hx.Traversal, node, root=subject.root, steps=subject.steps + steps)
        if isinstance(subject, hx.RelativeTraversal):
            return self.make(
                hx.RelativeTraversal, node, subject=subject.subject, steps=subject.steps + steps
            )
        return self.make(hx.RelativeTraversal, node, subject=subject, steps=steps)

    x_get_attr_expr_term = traversal
    x_index_expr_term = traversal
    x_attr_splat_expr_term = traversal
    x_full_splat_expr_term = traversal

    def x_for_tuple_expr(self, node: Any) -> hx.Expression:
        return self.for_expression(node, is_object=False)

    def x_for_object_expr(self, node: Any) -> hx.Expression:
        return self.for_expression(node, is_object=True)

    def for_expression(self, node: Any, *, is_object: bool) -> hx.Expression:
        self.nested += 1
        try:
            return self.for_body(node, is_object=is_object)
        finally:
            self.nested -= 1

    def for_body(self, node: Any, *, is_object: bool) -> hx.Expression:
        intro = next(c for c in node.children if _is_tree(c) and c.data == "for_intro")
        names = [self.name(c) for c in intro.children if _is_tree(c) and c.data == "identifier"]
        (collection,) = [
            self.expression(c)
            for c in intro.children
            if _is_tree(c) and c.data not in ("identifier", "new_line_or_comment")
        ]
        condition = None
        bodies = []
        for child in node.children:
            if not _is_tree(child) or child.data in ("for_intro", "new_line_or_comment"):
                continue
            if child.data == "for_cond":
                (condition,) = self.sub_expressions(child)
            else:
                bodies.append(self.expression(child))
        key_name, value_name = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        grouping = any(not _is_tree(c) and c.type == "ELLIPSIS" for c in node.children)
        return self.make(
            hx.ForExpr,
            node,
            key_name=key_name,
            value_name=value_name,
            collection=collection,
            key=bodies[0] if is_object else None,
            value=bodies[-1],
            condition=condition,
            is_object=is_object,
            grouping=grouping,
        )

    # strings and templates ---------------------------------------------------

    def x_string(self, node: Any) -> hx.Expression:
        return self.string(node)

    def string(self, node: Any) -> hx.Expression:
        parts: list[str | hx.Expression] = []
        for child in node.children:
            if not _is_tree(child):
                continue  # the quotes
            inner = child.children[0]
            if not _is_tree(inner):
                text = str(inner)
                if "\n" in text:
                    raise self.error(
                        node,
                        "Invalid multi-line string: quoted strings may not "
                        "be split over multiple lines; use the \\n escape "
                        "or the heredoc syntax",
                    )
                if inner.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                    text = text[1:]
                else:
                    text = self.unescape(text, inner.start_pos)
                if parts and isinstance(parts[-1], str):
                    parts[-1] += text
                else:
                    parts.append(text)
            elif inner.data == "interpolation":
                (expression,) = self.bracketed(inner)
                parts.append(expression)
            else:
                parts.append(self.directive(inner))
        if all(isinstance(part, str) for part in parts):
            return self.make(
                hx.Literal, node, value="".join(p for p in parts if isinstance(p, str))
            )
        self.check_directives(parts)
        return self.make(hx.Template, node, parts=parts)

    def check_directives(self, parts: list[str | hx.Expression]) -> None:
        """``%{if}``/``%{else}``/``%{endif}`` and ``%{for}``/``%{endfor}`` must balance."""
        opened: list[hx.Directive] = []
        for part in parts:
            if not isinstance(part, hx.Directive):
                continue
            if part.kind in ("if", "for"):
                opened.append(part)
            elif part.kind in ("else", "endif", "endfor"):
                expected = "for" if part.kind == "endfor" else "if"
                if not opened or opened[-1].kind != expected:
                    raise InputError(
                        self.path,
                        f"HCL syntax error: Unexpected {part.kind} directive: The "
                        f"{part.kind} directive is not expected here.",
                        part.span.line,
                        part.span.column,
                    )
                if part.kind != "else":
                    opened.pop()
        if opened:
            unclosed = opened[-1]
            closing = "endfor" if unclosed.kind == "for" else "endif"
            raise InputError(
                self.path,
                f"HCL syntax error: Unexpected end of template: no {closing} directive "
                f"closes this {unclosed.kind}.",
                unclosed.span.line,
                unclosed.span.column,
            )

    def directive(self, node: Any) -> hx.Expression:
        kind = node.data.replace("template_", "").replace("_start", "")
        expressions = self.sub_expressions(node)
        names = []
        if kind == "for":
            names = [self.name(c) for c in node.children if _is_tree(c) and c.data == "identifier"]
            expressions = [
                e
                for e in expressions
                if not (isinstance(e, hx.Traversal) and not e.steps and e.root in names)
            ]
        return self.make(
            hx.Directive,
            node,
            kind=kind,
            expression=expressions[-1] if expressions else None,
            names=names,
        )

    def x_heredoc_template(self, node: Any) -> hx.Expression:
        return self.heredoc(node, trim=False)

    def x_heredoc_template_trim(self, node: Any) -> hx.Expression:
        return self.heredoc(node, trim=True)

    def heredoc(self, node: Any, *, trim: bool) -> hx.Expression:
        token = node.children[0]
        raw = self.source(token.start_pos, token.end_pos)  # the parser saw a filled body
        body_start = raw.index("\n") + 1
        closing = raw.rstrip("\r\n").rfind("\n") + 1
        body = raw[body_start:closing]
        indent = common_indent(body) if trim else 0
        parts = self.template_parts(body, token.start_pos + body_start, indent)
        if all(isinstance(part, str) for part in parts):
            return self.make(
                hx.Literal, node, value="".join(p for p in parts if isinstance(p, str))
            )
        self.check_directives(parts)
        return self.make(hx.Template, node, parts=parts)

    def template_parts(self, body: str, offset: int, indent: int) -> list[str | hx.Expression]:
        """Split heredoc text into literal text and ``${}`` / ``%{}`` parts."""
        parts: list[str | hx.Expression] = []
        index = 0
        text: list[str] = []
        while index < len(body):
            char = body[index]
            if char in "$%" and body.startswith(char + "{", index + 1):
                text.append(char + "{")  # escaped: $${ and %%{
                index += 3
                continue
            if char in "$%" and body.startswith("{", index + 1):
                end = closing_brace(body, index + 2)
                if end < 0:
                    raise InputError(
                        self.path,
                        "HCL syntax error: unterminated template sequence in heredoc",
                        *self.position(offset + index),
                    )
                if text:
                    parts.append(dedent("".join(text), indent, at_line_start=not parts))
                    text = []
                inner = body[index + 2 : end].strip("~ \t\r\n")
                inner_start = body.index(inner, index + 2) if inner else index + 2
                if char == "$":
                    parts.append(
                        self.sub_expression(offset + inner_start, offset + inner_start + len(inner))
                    )
                else:
                    parts.append(self.heredoc_directive(inner, offset + inner_start))
                index = end + 1
                continue
            text.append(char)
            index += 1
        if text:
            parts.append(dedent("".join(text), indent, at_line_start=not parts))
        return parts

    def heredoc_directive(self, inner: str, offset: int) -> hx.Expression:
        words = inner.split(None, 1)
        kind = words[0] if words else ""
        span = self.span(offset, offset + len(inner))
        if kind == "if" and len(words) == 2:
            start = offset + inner.index(words[1])
            expression = self.sub_expression(start, offset + len(inner))
            return hx.Directive(inner, span, kind="if", expression=expression)
        if kind == "for" and len(words) == 2 and " in " in words[1]:
            names_text, _sep, _rest = words[1].partition(" in ")
            collection_start = offset + inner.index(" in ") + 4
            expression = self.sub_expression(collection_start, offset + len(inner))
            names = [n.strip() for n in names_text.split(",")]
            return hx.Directive(inner, span, kind="for", expression=expression, names=names)
        return hx.Directive(inner, span, kind=kind)

    def sub_expression(self, start: int, end: int) -> hx.Expression:
        """Parse ``parsed[start:end]`` as one expression (heredoc interpolations).

        The text is read from the original (the parser saw the heredoc's body
        filled, see :func:`~aitask_lint.hcl.prepare.skip_heredoc`) and prepared like a file's, so a
        heredoc nested in the interpolation is filled too.
        """
        first = self.to_original(start)
        prepared = Prepared(_EXPRESSION_PREFIX + self.source(start, end) + "\n")
        shift = first - len(_EXPRESSION_PREFIX)
        try:
            tree = lark_parser().parse(prepared.text)
        except Exception as error:  # lark's exceptions: a syntax error in the template
            offset = getattr(error, "pos_in_stream", None)
            where = (
                first
                if offset is None
                else max(first, prepared.original_offset(min(offset, len(prepared.text))) + shift)
            )
            line = bisect.bisect_right(self.line_starts, where)
            raise InputError(
                self.path,
                f"HCL syntax error in template: {describe(error)}",
                line,
                where - self.line_starts[line - 1] + 1,
            ) from None
        visitor = Visitor(
            self.path,
            self.original,
            self.line_starts,
            prepared.text,
            lambda p: prepared.original_offset(p) + shift,
        )
        visitor.depth = self.depth  # a heredoc's interpolation nests inside its attribute
        attribute = tree.children[0].children[0]
        if attribute.data != "attribute":  # pragma: no cover - defensive
            attribute = next(c for c in tree.children[0].children if c.data == "attribute")
        return visitor.expression(attribute.children[2])

    def error(self, node: Any, message: str) -> InputError:
        start, _end = self.bounds(node)
        return InputError(self.path, f"HCL syntax error: {message}", *self.position(start))
