"""Recursive-descent parser: tokens -> :mod:`ast` declarations.

Each ``parse_x`` method consumes one construct starting at the cursor and
returns its syntax node; errors carry the line and column of the offending
token.
"""

from __future__ import annotations

from typing import Callable, List, Optional, Tuple, TypeVar

from ..errors import SchemaError
from . import lexer
from .ast import Annotation, Decl, Expr, File, Param, ParamList, Pos
from .lexer import Token

T = TypeVar("T")

__all__ = ["parse", "ANNOTATION_TARGETS"]

ANNOTATION_TARGETS = (
    "file", "const", "enum", "enumerant", "struct", "field", "union", "group",
    "interface", "method", "param", "annotation",
)

MAX_ORDINAL = 65535  # as the reference parses it; the ordinal checks then refuse it


class _Parser:
    def __init__(self, tokens: List[Token], filename: str) -> None:
        self.toks = tokens
        self.i = 0
        self.filename = filename
        self.depth = 0  # open blocks and expressions, bounded by lexer.MAX_NESTING

    # -- helpers ---------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def pos(self) -> Pos:
        return (self.tok.line, self.tok.col)

    def error(self, message: str, pos: Optional[Pos] = None) -> SchemaError:
        line, col = pos if pos is not None else self.pos()
        return SchemaError(message, file=self.filename, line=line, col=col)

    def advance(self) -> Token:
        t = self.toks[self.i]
        if t.kind != lexer.EOF:
            self.i += 1
        return t

    def accept(self, punct: str) -> bool:
        if self.tok.is_punct(punct):
            self.i += 1
            return True
        return False

    def expect(self, punct: str) -> Token:
        if not self.tok.is_punct(punct):
            # The reference's operator matcher takes any token, then checks it.
            if punct[0] in lexer.OPERATOR_CHARS or self.at_operator():
                raise self.error("Parse error.", self.after_current())
            raise self.error("Parse error.")
        return self.advance()

    def comma_list(self, open_pos: Pos, close: str, item: Callable[[], T]) -> List[T]:
        """The items of a bracketed list up to ``close``, the opening bracket (at ``open_pos``)
        already taken.  As in the reference, a comma may end the list (``[1, 2,]``), but no
        other item may be empty (``[1,,2]``, ``(,)``)."""
        out: List[T] = []
        if self.accept(close):
            return out
        while True:
            if self.tok.is_punct(","):
                raise self.error("Parse error: Empty list item.", open_pos)
            out.append(item())
            if self.accept(close):
                return out
            self.expect(",")
            if self.accept(close):
                return out

    def at_operator(self) -> bool:
        """Whether the token here is an operator (a run of ``:=@$.-`` and the like)."""
        t = self.tok
        return t.kind == lexer.PUNCT and str(t.value)[0] in lexer.OPERATOR_CHARS

    def after_current(self) -> Pos:
        """Where the reference reports a wrong operator or keyword: after the token there.

        Its parser takes the token before checking its text, so it has got that far; a
        bracketed list is one token to it, and the end of a statement ends the search.
        """
        t = self.tok
        if t.is_punct(";") and self.i > 0:
            # The statement ran out of tokens: the reference stops just past the last one.
            prev = self.toks[self.i - 1]
            return (prev.line, prev.end_col)
        if t.kind == lexer.EOF or (t.kind == lexer.PUNCT and t.value in ("{", "}", ")", "]", ",")):
            return self.pos()
        i = self.i
        if t.kind == lexer.PUNCT and t.value in ("(", "["):
            depth = 0
            while self.toks[i].kind != lexer.EOF:
                v = self.toks[i].value if self.toks[i].kind == lexer.PUNCT else None
                if v in ("(", "["):
                    depth += 1
                elif v in (")", "]"):
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
        nxt = self.toks[min(i + 1, len(self.toks) - 1)]
        return (nxt.line, nxt.col)

    def ident(self) -> Token:
        if self.tok.kind != lexer.IDENT:
            raise self.error("Parse error.")
        return self.advance()

    def too_deep(self) -> SchemaError:
        return self.error(f"nesting too deep (more than {lexer.MAX_NESTING} levels).")

    # -- expressions -----------------------------------------------------
    def parse_expr(self) -> Expr:
        # The lexer bounds bracket nesting; this also bounds what recursion
        # the parser itself does, whatever the token stream.
        self.depth += 1
        if self.depth > lexer.MAX_NESTING:
            raise self.too_deep()
        try:
            return self._parse_expr()
        finally:
            self.depth -= 1

    def _parse_expr(self) -> Expr:
        t = self.tok
        pos = self.pos()
        if t.kind == lexer.INT:
            self.advance()
            base = Expr("int", pos, t.value)
        elif t.kind == lexer.FLOAT:
            self.advance()
            base = Expr("float", pos, t.value)
        elif t.kind == lexer.STRING:
            self.advance()
            text = t.value
            while self.tok.kind == lexer.STRING:  # adjacent literals are one text, as in C
                more = self.advance().value
                assert isinstance(text, bytes) and isinstance(more, bytes)
                text += more
            base = Expr("string", pos, text)
        elif t.kind == lexer.BINARY:
            self.advance()
            base = Expr("binary", pos, t.value)
        elif t.is_punct("-"):
            self.advance()
            n = self.tok
            if n.kind == lexer.INT:
                self.advance()
                # The reference locates a negative literal at its digits.
                base = Expr("negint", (n.line, n.col), n.value)
            elif n.kind == lexer.FLOAT:
                self.advance()
                assert isinstance(n.value, float)
                base = Expr("float", pos, -n.value)
            elif n.is_ident("inf"):
                self.advance()
                base = Expr("float", pos, float("-inf"))
            else:
                raise self.error("Parse error.", self.after_current())  # "-nan": after "nan"
        elif t.is_punct("."):
            self.advance()
            name = self.ident()
            base = Expr("absname", pos, name.value)
        elif t.is_ident("import") or t.is_ident("embed"):
            self.advance()
            s = self.tok
            if s.kind != lexer.STRING:
                raise self.error("Parse error.")
            self.advance()
            # Import failures are reported at the file name; an embed's other errors at the
            # keyword, kept as its ``base``.
            base = Expr(str(t.value), (s.line, s.col), s.value,
                        Expr("keyword", pos) if t.is_ident("embed") else None)
        elif t.kind == lexer.IDENT:
            self.advance()
            base = Expr("name", pos, t.value)
        elif t.is_punct("["):
            self.advance()
            items = self.comma_list(pos, "]", lambda: Param(None, None, self.parse_expr()))
            base = Expr("list", pos, None, None, items)
        elif t.is_punct("("):
            base = Expr("tuple", pos, None, None, self.parse_tuple())
        elif self.at_operator() or t.is_punct(";"):
            raise self.error("Parse error.", self.after_current())  # "-.5", ":.T", "= ;"
        else:
            raise self.error("Parse error.")
        return self.parse_suffixes(base)

    def parse_suffixes(self, base: Expr) -> Expr:
        # Each suffix wraps the expression once more; later stages recurse
        # through the wrapping, so a long chain is nesting like brackets are.
        count = 0
        while True:
            if self.tok.is_punct(".") or self.tok.is_punct("("):
                count += 1
                if self.depth + count > lexer.MAX_NESTING:
                    raise self.too_deep()
            if self.tok.is_punct("."):
                self.advance()
                name = self.ident()
                base = Expr("member", (name.line, name.col), name.value, base)
            elif self.tok.is_punct("(") and base.kind in ("name", "absname", "member", "import", "app"):
                base = Expr("app", base.pos, None, base, self.parse_tuple())
            else:
                return base

    def parse_tuple(self) -> List[Param]:
        """``( [name =] expr, ... )`` with the cursor on ``(``."""
        pos = self.pos()
        self.expect("(")

        def item() -> Param:
            if self.tok.kind == lexer.IDENT and self.toks[self.i + 1].is_punct("="):
                name = self.advance()
                self.advance()
                return Param(str(name.value), (name.line, name.col), self.parse_expr())
            return Param(None, None, self.parse_expr())
        return self.comma_list(pos, ")", item)

    def parse_name_expr(self) -> Expr:
        """The first part of an annotation's name: a name, ``.name`` or ``import "..."``."""
        pos = self.pos()
        if self.accept("."):
            return Expr("absname", pos, self.ident().value)
        if self.tok.is_ident("import"):
            self.advance()
            s = self.tok
            if s.kind != lexer.STRING:
                raise self.error("Parse error.")
            self.advance()
            return Expr("import", pos, s.value)
        return Expr("name", pos, self.ident().value)

    # -- declaration pieces ----------------------------------------------
    def parse_annotations(self) -> List[Annotation]:
        out: List[Annotation] = []
        while self.tok.is_punct("$"):
            pos = self.pos()
            self.advance()
            name, value = self.parse_annotation_use()
            out.append(Annotation(name, value, pos))
        return out

    def parse_annotation_use(self) -> Tuple[Expr, Optional[Expr]]:
        """``name``, ``name(value)``, ``G(Text).name(value)``...: the name and its value.

        As in the reference grammar, an annotation is one expression: the
        application that ends it is the value; any earlier one brands the name.
        """
        name = self.parse_name_expr()
        count = 0
        while True:
            if self.tok.is_punct(".") or self.tok.is_punct("("):
                count += 1  # each suffix is one more level for later stages, as in parse_suffixes
                if self.depth + count > lexer.MAX_NESTING:
                    raise self.too_deep()
            if self.tok.is_punct("."):
                self.advance()
                member = self.ident()
                name = Expr("member", (member.line, member.col), member.value, name)
            elif self.tok.is_punct("("):
                tpos = self.pos()
                params = self.parse_tuple()
                if self.tok.is_punct(".") or self.tok.is_punct("("):
                    name = Expr("app", name.pos, None, name, params)
                elif len(params) == 1 and params[0].name is None:
                    return name, params[0].value
                else:
                    return name, Expr("tuple", tpos, None, None, params)
            else:
                return name, None

    def parse_uid(self, decl: Decl) -> None:
        if self.tok.is_punct("@"):
            self.advance()
            t = self.tok
            if t.kind != lexer.INT:
                raise self.error("Parse error.")
            self.advance()
            assert isinstance(t.value, int)
            decl.uid = t.value
            decl.uid_pos = (t.line, t.col)
            if t.value < (1 << 63) or t.value >= (1 << 64):
                raise self.error("Invalid ID.  Please generate a new one with 'capnpc -i'.",
                                 (t.line, t.col))

    def parse_ordinal(self, decl: Decl, required: bool) -> None:
        if not self.tok.is_punct("@"):
            if required:
                raise self.error("Parse error.", self.after_current() if self.at_operator()
                                 else None)
            return
        self.advance()
        t = self.tok
        if t.kind != lexer.INT:  # the reference takes the token before checking its kind
            raise self.error("Parse error.", self.after_current())
        self.advance()
        assert isinstance(t.value, int)
        if t.value > MAX_ORDINAL:
            raise self.error(f"Ordinals cannot be greater than {MAX_ORDINAL}.", (t.line, t.col))
        decl.ordinal = t.value
        decl.ordinal_pos = (t.line, t.col)

    def parse_generic_params(self, decl: Decl, open_: str = "(", close: str = ")") -> None:
        pos = self.pos()
        if not self.accept(open_):
            return

        def item() -> Tuple[str, Pos]:
            t = self.ident()
            return str(t.value), (t.line, t.col)
        decl.generic_params.extend(self.comma_list(pos, close, item))

    def end_statement(self) -> None:
        if not self.tok.is_punct(";"):
            # A declaration ends with optional parts (``= value``, ``$annotation``, ``.name``)
            # whose operator matcher the reference tries on this token first.
            raise self.error("Parse error.", self.after_current())
        self.advance()

    def parse_block(self, parent_kind: str) -> List[Decl]:
        self.expect("{")
        self.depth += 1
        if self.depth > lexer.MAX_NESTING:
            raise self.too_deep()
        out: List[Decl] = []
        while not self.accept("}"):
            if self.tok.kind == lexer.EOF:
                raise self.error("Parse error.")
            out.append(self.parse_statement(parent_kind))
        self.depth -= 1
        return out

    # -- statements ------------------------------------------------------
    def parse_statement(self, parent_kind: str) -> Decl:
        t = self.tok
        pos = self.pos()
        if t.is_punct("@") and parent_kind == "file":
            decl = Decl("nakedId", "", pos, pos)
            self.parse_uid(decl)
            self.end_statement()
            return decl
        if t.is_punct("$"):
            decl = Decl("nakedAnnotation", "", pos, pos)
            decl.annotations = self.parse_annotations()
            self.end_statement()
            return decl
        if t.kind != lexer.IDENT:
            raise self.error("Parse error.")
        word = str(t.value)
        nxt = self.toks[self.i + 1]
        keyword_follows = nxt.kind == lexer.IDENT or (word == "union" and (nxt.is_punct("{") or nxt.is_punct("@") or nxt.is_punct("$")))
        if keyword_follows or (word == "using" and nxt.kind == lexer.PUNCT and nxt.value in (".",)):
            handler = {
                "using": self.parse_using, "const": self.parse_const, "enum": self.parse_enum,
                "struct": self.parse_struct, "interface": self.parse_interface,
                "annotation": self.parse_annotation_decl, "union": self.parse_unnamed_union,
            }.get(word)
            if handler is not None:
                return handler(pos)
        if word == "using" and (nxt.is_ident() or nxt.is_punct(".")):
            return self.parse_using(pos)
        # A member: field, named union, group, enumerant or method.
        return self.parse_member(pos, parent_kind)

    def parse_using(self, pos: Pos) -> Decl:
        self.advance()
        if self.tok.kind == lexer.IDENT and self.toks[self.i + 1].is_punct("="):
            name = self.advance()
            self.advance()
            decl = Decl("using", str(name.value), (name.line, name.col), pos)
            decl.target = self.parse_expr()
        else:
            start = self.pos()
            target = self.parse_expr()
            # Only ``Scope.name`` brings in a name: a plain name would alias itself.
            if target.kind != "member":
                raise self.error("'using' declaration without '=' must specify a named "
                                 "declaration from a different scope.", start)
            name_v = str(target.value)
            decl = Decl("using", name_v, target.pos, pos)
            decl.target = target
        self.end_statement()
        return decl

    def parse_const(self, pos: Pos) -> Decl:
        self.advance()
        name = self.ident()
        decl = Decl("const", str(name.value), (name.line, name.col), pos)
        self.parse_uid(decl)
        self.expect(":")
        decl.type = self.parse_expr()
        self.expect("=")
        decl.default = self.parse_expr()
        decl.annotations = self.parse_annotations()
        self.end_statement()
        return decl

    def parse_enum(self, pos: Pos) -> Decl:
        self.advance()
        name = self.ident()
        decl = Decl("enum", str(name.value), (name.line, name.col), pos)
        self.parse_uid(decl)
        decl.annotations = self.parse_annotations()
        decl.nested = self.parse_block("enum")
        return decl

    def parse_struct(self, pos: Pos) -> Decl:
        self.advance()
        name = self.ident()
        decl = Decl("struct", str(name.value), (name.line, name.col), pos)
        # As in the reference grammar, generic parameters follow the ID.
        self.parse_uid(decl)
        self.parse_generic_params(decl)
        decl.annotations = self.parse_annotations()
        decl.nested = self.parse_block("struct")
        return decl

    def parse_interface(self, pos: Pos) -> Decl:
        self.advance()
        name = self.ident()
        decl = Decl("interface", str(name.value), (name.line, name.col), pos)
        # As in the reference grammar, generic parameters follow the ID.
        self.parse_uid(decl)
        self.parse_generic_params(decl)
        if self.tok.is_ident("extends"):
            self.advance()
            pos = self.pos()
            self.expect("(")
            decl.superclasses.extend(self.comma_list(pos, ")", self.parse_expr))
        decl.annotations = self.parse_annotations()
        decl.nested = self.parse_block("interface")
        return decl

    def parse_annotation_decl(self, pos: Pos) -> Decl:
        self.advance()
        name = self.ident()
        decl = Decl("annotation", str(name.value), (name.line, name.col), pos)
        self.parse_uid(decl)
        pos = self.pos()
        self.expect("(")

        def item() -> List[str]:
            if self.accept("*"):
                return list(ANNOTATION_TARGETS)
            t = self.ident()
            if t.value not in ANNOTATION_TARGETS:
                raise self.error("Not a valid annotation target.", (t.line, t.col))
            return [str(t.value)]
        decl.targets = [target for targets in self.comma_list(pos, ")", item) for target in targets]
        self.expect(":")
        decl.type = self.parse_expr()
        decl.annotations = self.parse_annotations()
        self.end_statement()
        return decl

    def parse_unnamed_union(self, pos: Pos) -> Decl:
        t = self.advance()
        decl = Decl("union", "", (t.line, t.col), pos)
        # An unnamed union has neither an ordinal nor annotations (a named one may have both).
        # The reference reports the place its furthest alternative reached: after the ordinal
        # (read as a field named "union"), or after the "$".
        t = self.tok
        if t.is_punct("@"):
            n = self.toks[self.i + 1]
            if n.kind == lexer.INT:
                raise self.error("Parse error.", (n.line, n.col + len(str(n.value))))
            raise self.error("Parse error.", (n.line, n.col))
        if t.is_punct("$"):
            raise self.error("Parse error.", (t.line, t.col + 1))
        decl.nested = self.parse_block("union")
        return decl

    def parse_member(self, pos: Pos, parent_kind: str) -> Decl:
        name = self.ident()
        npos = (name.line, name.col)
        if parent_kind == "enum":
            decl = Decl("enumerant", str(name.value), npos, pos)
            self.parse_ordinal(decl, required=True)
            decl.annotations = self.parse_annotations()
            self.end_statement()
            return decl
        if parent_kind == "interface":
            return self.parse_method(str(name.value), npos, pos)
        decl = Decl("field", str(name.value), npos, pos)
        self.parse_ordinal(decl, required=False)
        # "@N!": a union's ordinal, kept for the layout of old protocols (retroactive unions).
        bang = decl.ordinal is not None and self.accept("!")
        self.expect(":")
        if self.tok.is_ident("union") and decl.ordinal is None or (
            self.tok.is_ident("union") and self.toks[self.i + 1].kind == lexer.PUNCT
            and self.toks[self.i + 1].value in ("{", "$")
        ):
            if decl.ordinal is not None and not bang:
                raise self.error(
                    "As of Cap'n Proto v0.3, it is no longer necessary to assign numbers to unions. "
                    "However, removing the number will break binary compatibility. If this is an old "
                    "protocol and you need to retain compatibility, please add an exclamation point "
                    "after the number to indicate that it is really needed, e.g. `foo @1! :union {`. "
                    "If this is a new protocol or compatibility doesn't matter, just remove the @n "
                    "entirely. Sorry for the inconvenience, and thanks for being an early adopter!  :)",
                    decl.ordinal_pos)
            self.advance()
            decl.kind = "union"
            decl.annotations = self.parse_annotations()
            decl.nested = self.parse_block("union")
            return decl
        if self.tok.is_ident("group") and self.toks[self.i + 1].is_punct(";"):
            raise self.error("This statement should end with a block, not a semicolon.", pos)
        if self.tok.is_ident("group") and self.toks[self.i + 1].kind == lexer.PUNCT and self.toks[self.i + 1].value in ("{", "$"):
            if bang:  # where the reference stops: right after "group"
                raise self.error("Parse error.", (self.tok.line, self.tok.col + len("group")))
            if decl.ordinal is not None:
                # Only a field takes an ordinal, and a field is no block.
                raise self.error("This statement should end with a semicolon, not a block.", pos)
            self.advance()
            decl.kind = "group"
            decl.annotations = self.parse_annotations()
            decl.nested = self.parse_block("group")
            return decl
        if decl.ordinal is None:  # only "union" or "group" could follow: after the word there
            raise self.error("Parse error.", self.after_current())
        decl.type = self.parse_expr()
        if bang:  # only a union takes "!": the reference fails where it wanted "union" done
            raise self.error("Parse error.", self.pos())
        if self.accept("="):
            decl.default = self.parse_expr()
        decl.annotations = self.parse_annotations()
        self.end_statement()
        return decl

    def parse_method(self, name: str, npos: Pos, pos: Pos) -> Decl:
        decl = Decl("method", name, npos, pos)
        self.parse_ordinal(decl, required=True)
        self.parse_generic_params(decl, "[", "]")
        decl.method_params = self.parse_param_list()
        if self.accept("->"):
            if self.tok.is_ident("stream") and not self.toks[self.i + 1].is_punct("."):
                t = self.advance()
                decl.method_results = ParamList((t.line, t.col), is_stream=True)
            else:
                decl.method_results = self.parse_param_list()
        decl.annotations = self.parse_annotations()
        self.end_statement()
        return decl

    def parse_param_list(self) -> ParamList:
        pos = self.pos()
        if self.tok.is_ident("stream") and not self.toks[self.i + 1].is_punct("."):
            raise self.error("'stream' can only appear after '->', not before.")
        if not self.tok.is_punct("("):
            return ParamList(pos, type=self.parse_expr())
        self.advance()

        def item() -> Decl:
            name = self.ident()
            p = Decl("param", str(name.value), (name.line, name.col), (name.line, name.col))
            self.expect(":")
            p.type = self.parse_expr()
            if self.accept("="):
                p.default = self.parse_expr()
            p.annotations = self.parse_annotations()
            return p
        return ParamList(pos, params=self.comma_list(pos, ")", item))

    def parse_file(self) -> Decl:
        root = Decl("file", "", (1, 1), (1, 1))
        while self.tok.kind != lexer.EOF:
            d = self.parse_statement("file")
            if d.kind == "nakedId":
                if root.uid is not None:
                    raise self.error("File can only have one ID.", d.pos)
                root.uid = d.uid
                root.uid_pos = d.uid_pos
            elif d.kind == "nakedAnnotation":
                root.annotations.extend(d.annotations)
            else:
                root.nested.append(d)
        return root


def parse(src: str, filename: str) -> File:
    """Parse one schema file's text."""
    tokens = lexer.tokenize(src, filename)
    return File(filename, _Parser(tokens, filename).parse_file())
