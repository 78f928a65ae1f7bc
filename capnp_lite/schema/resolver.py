"""Declaration tree, name lookup and generic brands.

Every node-producing declaration (file, struct, enum, interface, const,
annotation) becomes a :class:`DeclNode` with its ID and display name.  Names
are resolved lexically (members, then generic parameters, then the parent
scope, then built-ins).  A :class:`Ref` is a resolved name together with the
brand (generic bindings) in force, as a :class:`BrandCtx` chain.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple

from ..errors import SchemaError
from . import ids
from .ast import Decl, Expr, File, Pos
from .model import Brand, BrandBinding, BrandScope, Type

__all__ = ["DeclNode", "FileUnit", "Builtin", "Ref", "BrandCtx", "BUILTINS", "NODE_KINDS"]

NODE_KINDS = ("file", "const", "annotation", "enum", "struct", "interface")


class Builtin:
    """A built-in name of the global scope (``Int32``, ``List``, ``AnyPointer``...)."""

    __slots__ = ("name", "kind", "id", "param_count")

    def __init__(self, name: str, index: int, param_count: int = 0) -> None:
        self.name = name
        self.kind = "builtin"
        self.id = 1000 + index  # never a real type ID (those have the top bit set)
        self.param_count = param_count


_BUILTIN_NAMES = (
    "Void", "Bool", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
    "Float32", "Float64", "Text", "Data", "List", "AnyPointer", "AnyStruct", "AnyList",
    "Capability", "Object",
)
BUILTINS: Dict[str, Builtin] = {
    name: Builtin(name, i, 1 if name == "List" else 0) for i, name in enumerate(_BUILTIN_NAMES)
}


class FileUnit:
    """One loaded schema file."""

    def __init__(self, display_name: str, key: str, parsed: File) -> None:
        self.display_name = display_name
        self.key = key  # identity used for import de-duplication
        self.parsed = parsed
        self.root: Optional[DeclNode] = None


class DeclNode:
    """A declaration that becomes a schema node."""

    def __init__(self, unit: FileUnit, decl: Decl, parent: Optional["DeclNode"], id: int,
                 display_name: str) -> None:
        self.unit = unit
        self.decl = decl
        self.parent = parent
        self.id = id
        self.kind = decl.kind
        self.display_name = display_name
        self.params: List[str] = [p[0] for p in decl.generic_params]
        self.children: Dict[str, DeclNode] = {}
        self.ordered_children: List[DeclNode] = []
        self.aliases: Dict[str, Decl] = {}
        self.alias_cache: Dict[str, Optional[Ref]] = {}

    @property
    def param_count(self) -> int:
        return len(self.params)

    @property
    def scope_id(self) -> int:
        return self.parent.id if self.parent is not None else 0


Target = object  # DeclNode or Builtin


class Ref:
    """A resolved name: a declaration (node or built-in) with its brand, or a type parameter.

    For a parameter, ``target`` is None and ``param`` is ``(scope_id, index)``;
    scope_id 0 means an implicit method parameter.
    """

    __slots__ = ("target", "brand", "param", "expr")

    def __init__(self, target: Optional[object], brand: Optional["BrandCtx"],
                 param: Optional[Tuple[int, int]] = None, expr: Optional[Expr] = None) -> None:
        self.target = target
        self.brand = brand
        self.param = param
        self.expr = expr

    @property
    def kind(self) -> Optional[str]:
        if self.target is None:
            return None
        if isinstance(self.target, Builtin):
            return "builtin:" + self.target.name
        assert isinstance(self.target, DeclNode)
        return self.target.kind

    def text(self) -> str:
        return self.expr.text() if self.expr is not None else "<type>"

    def with_expr(self, expr: Expr) -> "Ref":
        return Ref(self.target, self.brand, self.param, expr)


class BrandCtx:
    """Generic bindings in force along a chain of scopes (leaf first).

    ``inherited`` means "the parameters of this scope are those of whoever
    uses it" (inside a generic declaration); otherwise ``params`` holds the
    bound types (empty = not bound: unbound parameters read as AnyPointer).
    """

    __slots__ = ("leaf_id", "param_count", "inherited", "params", "parent")

    def __init__(self, leaf_id: int, param_count: int, inherited: bool,
                 params: Optional[List[Ref]] = None, parent: Optional["BrandCtx"] = None) -> None:
        self.leaf_id = leaf_id
        self.param_count = param_count
        self.inherited = inherited
        self.params: List[Ref] = params if params is not None else []
        self.parent = parent

    @staticmethod
    def lexical(node: Optional[DeclNode]) -> "BrandCtx":
        """The brand seen from inside ``node``: every enclosing parameter inherited."""
        if node is None:
            return BrandCtx(0, 0, False)
        parent = BrandCtx.lexical(node.parent) if node.parent is not None else None
        return BrandCtx(node.id, node.param_count, True, None, parent)

    def is_generic(self) -> bool:
        ctx: Optional[BrandCtx] = self
        while ctx is not None:
            if ctx.param_count > 0:
                return True
            ctx = ctx.parent
        return False

    def push(self, leaf_id: int, param_count: int) -> "BrandCtx":
        return BrandCtx(leaf_id, param_count, False, None, self)

    def pop(self, leaf_id: int) -> "BrandCtx":
        ctx: Optional[BrandCtx] = self
        while ctx is not None:
            if ctx.leaf_id == leaf_id:
                return ctx
            ctx = ctx.parent
        return BrandCtx(leaf_id, 0, False)

    def with_params(self, params: List[Ref]) -> "BrandCtx":
        return BrandCtx(self.leaf_id, self.param_count, False, params, self.parent)

    def lookup_parameter(self, scope_id: int, index: int) -> Optional[Ref]:
        """The binding of a parameter, None if inherited from the user's scope."""
        ctx: Optional[BrandCtx] = self
        while ctx is not None:
            if ctx.leaf_id == scope_id:
                if index < len(ctx.params):
                    return ctx.params[index]
                if ctx.inherited:
                    return None
                return Ref(BUILTINS["AnyPointer"], BrandCtx(0, 0, False))
            ctx = ctx.parent
        return None

    def get_params(self, scope_id: int) -> Optional[List[Ref]]:
        ctx: Optional[BrandCtx] = self
        while ctx is not None:
            if ctx.leaf_id == scope_id:
                return None if ctx.inherited else ctx.params
            ctx = ctx.parent
        return None

    def compile(self, to_type: Callable[[Ref], Type]) -> Brand:
        scopes: List[BrandScope] = []
        ctx: Optional[BrandCtx] = self
        while ctx is not None:
            if ctx.params:
                scopes.append(BrandScope(ctx.leaf_id, [BrandBinding(to_type(p)) for p in ctx.params]))
            elif ctx.inherited and ctx.param_count > 0:
                scopes.append(BrandScope(ctx.leaf_id, None, True))
            ctx = ctx.parent
        return Brand(scopes)


def build_tree(unit: FileUnit, register: Callable[[DeclNode], None]) -> DeclNode:
    """Create the DeclNodes of a parsed file (IDs and display names)."""
    root_decl = unit.parsed.root
    assert root_decl.uid is not None
    root = DeclNode(unit, root_decl, None, root_decl.uid, unit.display_name)
    register(root)
    _expand(root, register)
    unit.root = root
    return root


def _expand(node: DeclNode, register: Callable[[DeclNode], None]) -> None:
    for d in node.decl.nested:
        if d.kind in NODE_KINDS:
            cid = d.uid if d.uid is not None else ids.child_id(node.id, d.name)
            sep = ":" if node.parent is None else "."
            child = DeclNode(node.unit, d, node, cid, node.display_name + sep + d.name)
            node.ordered_children.append(child)
            node.children.setdefault(d.name, child)
            register(child)
            _expand(child, register)
        elif d.kind == "using":
            node.aliases.setdefault(d.name, d)


def error_at(unit: FileUnit, pos: Optional[Pos], message: str) -> SchemaError:
    line, col = pos if pos is not None else (1, 1)
    return SchemaError(message, file=unit.display_name, line=line, col=col)
