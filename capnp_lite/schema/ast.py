"""Syntax tree of a parsed ``.capnp`` file.

Positions are 1-based ``(line, col)`` of the first token of each construct.
"""

from __future__ import annotations

from typing import List, Optional, Tuple, Union

__all__ = ["Pos", "Expr", "Param", "Annotation", "Decl", "ParamList", "File"]

Pos = Tuple[int, int]


class Expr:
    """A value or type expression.

    ``kind`` is one of: int, negint, float, string, binary, name, absname,
    import, embed, list, tuple, app, member.  ``value`` holds the literal or
    the identifier; ``base`` is the function of ``app`` or the parent of
    ``member``; ``params`` holds tuple/application entries and list items.
    """

    __slots__ = ("kind", "value", "base", "params", "pos")

    def __init__(
        self,
        kind: str,
        pos: Pos,
        value: Union[None, int, float, str, bytes] = None,
        base: Optional["Expr"] = None,
        params: Optional[List["Param"]] = None,
    ) -> None:
        self.kind = kind
        self.value = value
        self.base = base
        self.params = params if params is not None else []
        self.pos = pos

    def start(self) -> Pos:
        """Where the whole expression begins (``pos`` of a member is its last name's)."""
        e = self
        while e.kind == "member" and e.base is not None:
            e = e.base
        return e.pos

    def text(self) -> str:
        """Render the expression roughly as written, for error messages."""
        k = self.kind
        if k in ("int", "float"):
            return str(self.value)
        if k == "negint":
            return "-" + str(self.value)
        if k == "string":
            assert isinstance(self.value, bytes)
            return '"' + self.value.decode("utf-8", "replace") + '"'
        if k == "binary":
            assert isinstance(self.value, bytes)
            return '0x"' + self.value.hex() + '"'
        if k == "name":
            return str(self.value)
        if k == "absname":
            return "." + str(self.value)
        if k == "import":
            assert isinstance(self.value, bytes)
            return 'import "' + self.value.decode("utf-8", "replace") + '"'
        if k == "embed":
            assert isinstance(self.value, bytes)
            return 'embed "' + self.value.decode("utf-8", "replace") + '"'
        if k == "list":
            return "[" + ", ".join(p.value.text() for p in self.params) + "]"
        if k == "tuple":
            return "(" + ", ".join(p.text() for p in self.params) + ")"
        if k == "app":
            assert self.base is not None
            return self.base.text() + "(" + ", ".join(p.text() for p in self.params) + ")"
        if k == "member":
            assert self.base is not None
            return self.base.text() + "." + str(self.value)
        return "<parse error>"


class Param:
    """An entry of a tuple, application or list: ``[name =] value``."""

    __slots__ = ("name", "name_pos", "value")

    def __init__(self, name: Optional[str], name_pos: Optional[Pos], value: Expr) -> None:
        self.name = name
        self.name_pos = name_pos
        self.value = value

    def text(self) -> str:
        return f"{self.name} = {self.value.text()}" if self.name else self.value.text()


class Annotation:
    """``$name(value)`` applied to a declaration."""

    __slots__ = ("name", "value", "pos")

    def __init__(self, name: Expr, value: Optional[Expr], pos: Pos) -> None:
        self.name = name
        self.value = value
        self.pos = pos


class ParamList:
    """A method's parameter or result list: named params or a struct type."""

    __slots__ = ("params", "type", "pos", "is_stream")

    def __init__(
        self,
        pos: Pos,
        params: Optional[List["Decl"]] = None,
        type: Optional[Expr] = None,
        is_stream: bool = False,
    ) -> None:
        self.params = params
        self.type = type
        self.pos = pos
        self.is_stream = is_stream


class Decl:
    """One declaration or member.

    ``kind``: file, using, const, enum, enumerant, struct, field, union,
    group, interface, method, annotation, param.
    """

    __slots__ = (
        "kind", "name", "name_pos", "pos", "uid", "uid_pos", "ordinal", "ordinal_pos",
        "type", "default", "annotations", "nested", "generic_params", "superclasses",
        "method_params", "method_results", "targets", "target",
    )

    def __init__(self, kind: str, name: str, name_pos: Pos, pos: Pos) -> None:
        self.kind = kind
        self.name = name
        self.name_pos = name_pos
        self.pos = pos
        self.uid: Optional[int] = None
        self.uid_pos: Optional[Pos] = None
        self.ordinal: Optional[int] = None
        self.ordinal_pos: Optional[Pos] = None
        self.type: Optional[Expr] = None
        self.default: Optional[Expr] = None
        self.annotations: List[Annotation] = []
        self.nested: List["Decl"] = []
        self.generic_params: List[Tuple[str, Pos]] = []
        self.superclasses: List[Expr] = []
        self.method_params: Optional[ParamList] = None
        self.method_results: Optional[ParamList] = None
        self.targets: List[str] = []
        self.target: Optional[Expr] = None  # the aliased expression of `using`


class File:
    """A parsed file: its root declaration (kind ``file``)."""

    __slots__ = ("filename", "root")

    def __init__(self, filename: str, root: Decl) -> None:
        self.filename = filename
        self.root = root
