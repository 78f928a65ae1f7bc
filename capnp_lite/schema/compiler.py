"""Translator: resolved declarations -> ``schema.capnp`` nodes.

Loading is lazy, as in the reference compiler: the requested files, their
children and (transitively) everything they depend on are translated; the
output holds exactly those nodes.
"""

from __future__ import annotations

import math
import posixpath
import struct
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple, Union

from ..errors import SchemaError
from . import ids
from . import layout as lay
from .ast import Annotation as AstAnnotation
from .ast import Decl, Expr, ParamList, Pos
from .model import (
    Annotation, Brand, CodeGeneratorRequest, Enumerant, Field, Method, NestedNode, Node,
    RequestedFile, StructValue, Superclass, Type, Value, bind_type,
)
from .parser import ANNOTATION_TARGETS, parse
from .resolver import (
    BUILTINS, BrandCtx, Builtin, DeclNode, FileUnit, Ref, build_tree, error_at,
)

__all__ = ["Compiler", "Loader"]

Loader = Callable[[str, str], Optional[Tuple[str, str]]]
# Reads the file an ``embed "name"`` in the file with the given key names: its bytes, or None.
EmbedReader = Callable[[str, str], Optional[bytes]]
"""Maps an import's resolved name, and the key of the file importing it, to
``(key, source text)``, or None if the file is missing."""

# The stream result type of ``-> stream`` methods (restating /capnp/stream.capnp).
STREAM_CAPNP = """@0x86c366a91393f3f8;
struct StreamResult @0x995f9a3377c0b16e {
}
"""

_LG_SIZE = {
    "void": -1, "bool": 0, "int8": 3, "uint8": 3, "int16": 4, "uint16": 4, "enum": 4,
    "int32": 5, "uint32": 5, "float32": 5, "int64": 6, "uint64": 6, "float64": 6,
}
_INT_RANGES = {
    "int8": (-(1 << 7), (1 << 7) - 1), "int16": (-(1 << 15), (1 << 15) - 1),
    "int32": (-(1 << 31), (1 << 31) - 1), "int64": (-(1 << 63), (1 << 63) - 1),
    "uint8": (0, (1 << 8) - 1), "uint16": (0, (1 << 16) - 1),
    "uint32": (0, (1 << 32) - 1), "uint64": (0, (1 << 64) - 1),
}
_BUILTIN_TYPES = {
    "Void": "void", "Bool": "bool", "Int8": "int8", "Int16": "int16", "Int32": "int32",
    "Int64": "int64", "UInt8": "uint8", "UInt16": "uint16", "UInt32": "uint32",
    "UInt64": "uint64", "Float32": "float32", "Float64": "float64", "Text": "text",
    "Data": "data",
}
_ANY_CONSTRAINTS = {"AnyPointer": "anyKind", "AnyStruct": "struct", "AnyList": "list",
                    "Capability": "capability"}
_TYPE_NAMES = {v: k for k, v in _BUILTIN_TYPES.items()}

# Traversal flags (which related nodes to load), as in the reference compiler.
_NODE = 1
_CHILDREN = 2
_PARENTS = 4
_DEPS = 1 << 15
_DEP_PARENTS = _PARENTS * _DEPS
COMPILE_EAGERNESS = _NODE | _CHILDREN | _DEPS | _DEP_PARENTS

# How deep declarations, dotted names and compound values may be evaluated
# inside one another (see Compiler.enter).
MAX_DECL_DEPTH = 64


def _float32(x: float) -> float:
    if math.isnan(x) or math.isinf(x):
        return x
    try:
        return float(struct.unpack("<f", struct.pack("<f", x))[0])
    except OverflowError:
        return math.copysign(math.inf, x)


def _default_value(t: Type) -> Value:
    k = t.which
    if k == "void":
        return Value("void")
    if k == "bool":
        return Value("bool", False)
    if k in ("float32", "float64"):
        return Value(k, 0.0)
    if k in _LG_SIZE:
        return Value(k, 0)
    return Value(k, None)


class _Member:
    """A struct member during layout (field, group, named union or the struct itself)."""

    def __init__(self, parent: Optional["_Member"], code_order: int, decl: Optional[Decl],
                 kind: str, in_union: bool, node: Optional[Node] = None,
                 scope: Optional[lay.Scope] = None, is_param: bool = False) -> None:
        self.parent = parent
        self.code_order = code_order
        self.decl = decl
        self.kind = kind  # field, union, group or top
        self.in_union = in_union
        self.node = node
        self.scope = scope  # layout scope of a field
        self.union: Optional[lay.Union] = None  # union layout of a union/group/top with one
        self.is_param = is_param
        self.index = 0
        self.child_count = 0
        self.fields_started = False
        self.discriminants = 0
        self.field: Optional[Field] = None

    def get_field(self) -> Field:
        if self.field is None:
            assert self.parent is not None and self.decl is not None
            self.index = len(self.parent.node.fields) if self.parent.node is not None else 0
            f = self.parent.add_member_field(self.decl.name, self.code_order)
            if self.in_union:
                f.discriminant_value = self.parent.discriminants
                self.parent.discriminants += 1
            self.field = f
        return self.field

    def add_member_field(self, name: str, code_order: int) -> Field:
        assert self.node is not None
        if not self.fields_started:
            self.fields_started = True
            if self.parent is not None:
                self.get_field()
        f = Field(name, code_order)
        self.node.fields.append(f)
        return f


def relative_name(importer: str, name: str) -> str:
    """``name`` imported (or embedded) by the file named ``importer``: beside it."""
    base = posixpath.dirname(importer)
    return posixpath.normpath(posixpath.join(base, name)) if base else posixpath.normpath(name)


def short_name_start(display_name: str) -> int:
    """Where a node's short name starts in its display name, as the reference compiler
    counts it: after the last colon, or for a file after the last dot."""
    prefix = display_name.rfind(".") + 1
    colon = display_name.rfind(":")
    return colon + 1 if colon >= prefix else prefix


class Compiler:
    """Loads files, translates declarations and assembles a CodeGeneratorRequest."""

    def __init__(self, loader: Loader, embed_reader: Optional[EmbedReader] = None) -> None:
        self.loader = loader
        self.embed_reader = embed_reader
        self.units: Dict[str, FileUnit] = {}
        self.by_id: Dict[int, DeclNode] = {}
        self.schemas: Dict[int, Node] = {}  # finished nodes by DeclNode id
        self.aux: Dict[int, List[Node]] = {}
        self.building: Set[int] = set()
        self.finishing: Set[int] = set()
        self.finished: Set[int] = set()
        self.pending: Dict[int, List[Callable[[], None]]] = {}
        self.loading: List[str] = []
        # Declarations being evaluated inside one another (a const whose value
        # names another const, an alias of an alias...): bounded so that long
        # chains fail with a SchemaError instead of exhausting the stack.
        self.depth = 0

    # -- files ------------------------------------------------------------
    def load(self, display_name: str, key: str, source: str) -> FileUnit:
        if key in self.units:
            return self.units[key]
        parsed = parse(source, display_name)
        unit = FileUnit(display_name, key, parsed)
        if parsed.root.uid is None:
            raise SchemaError(
                "File does not declare an ID.  I've generated one for you.  Add this line to "
                "your file: @0x%016x;" % ids.random_file_id(),
                file=display_name, line=1, col=1)
        self.units[key] = unit
        build_tree(unit, self._register)
        return unit

    def _register(self, node: DeclNode) -> None:
        other = self.by_id.get(node.id)
        if other is not None:
            raise error_at(node.unit, node.decl.name_pos,
                           "Duplicate ID @0x%x." % node.id)
        self.by_id[node.id] = node

    def embedded(self, unit: FileUnit, name: str, pos: Pos) -> bytes:
        """The bytes of the file ``embed "name"`` names in ``unit`` (found as imports are)."""
        data = None if self.embed_reader is None else self.embed_reader(name, unit.key)
        if data is None:
            raise error_at(unit, pos, f"Couldn't read file for embed: {name}")
        return data

    def import_file(self, unit: FileUnit, name: str, pos: Pos) -> DeclNode:
        resolved = name if name.startswith("/") else relative_name(unit.display_name, name)
        found = self.loader(resolved, unit.key)
        if found is None:
            raise error_at(unit, pos, f"Import failed: {name}")
        key, source = found
        display = resolved.lstrip("/") if resolved.startswith("/") else resolved
        if key not in self.units and key in self.loading:
            raise error_at(unit, pos, f"Import cycle: {name}")
        self.loading.append(key)
        try:
            target = self.load(display, key, source)
        finally:
            self.loading.pop()
        assert target.root is not None
        return target.root

    # -- name resolution ----------------------------------------------------
    def resolve_name(self, scope: DeclNode, name: str) -> Optional[Union[DeclNode, Builtin, Ref, Tuple[int, int]]]:
        node: Optional[DeclNode] = scope
        while node is not None:
            member = self.resolve_member(node, name)
            if member is not None:
                return member
            if name in node.params:
                return (node.id, node.params.index(name))
            if node.parent is None:
                return BUILTINS.get(name)
            node = node.parent
        return None

    def resolve_member(self, node: DeclNode, name: str) -> Optional[Union[DeclNode, Ref]]:
        child = node.children.get(name)
        if child is not None:
            return child
        if name in node.aliases:
            if name not in node.alias_cache:
                node.alias_cache[name] = None
                decl = node.aliases[name]
                assert decl.target is not None
                self.enter(node.unit, decl.name_pos)
                try:
                    ref = self.compile_decl_expr(decl.target, node, BrandCtx.lexical(node), None)
                finally:
                    self.depth -= 1
                node.alias_cache[name] = ref
            alias = node.alias_cache[name]
            if alias is None:
                raise error_at(node.unit, node.aliases[name].name_pos,
                               "Declaration recursively depends on itself.")
            return alias
        return None

    def find_decl(self, unit: FileUnit, dotted: str) -> Optional[DeclNode]:
        """The declaration a dotted name names in ``unit``'s file scope: nested names,
        ``using`` aliases (of declarations or of imported files) and ``.Name`` from the file
        itself, as a type expression there would be resolved; None if it names none."""
        assert unit.root is not None
        absolute = dotted.startswith(".")
        parts = (dotted[1:] if absolute else dotted).split(".")
        if not all(parts):
            return None
        first = self.resolve_member(unit.root, parts[0]) if absolute else self.resolve_name(unit.root, parts[0])
        node = _decl_of(first)
        for part in parts[1:]:
            if node is None:
                return None
            node = _decl_of(self.resolve_member(node, part))
        return node

    def interpret(self, ctx: BrandCtx, found: Union[DeclNode, Builtin, Ref, Tuple[int, int]],
                  expr: Expr) -> Ref:
        if isinstance(found, Ref):
            return found.with_expr(expr)
        if isinstance(found, tuple):
            bound = ctx.lookup_parameter(found[0], found[1])
            if bound is not None:
                return bound.with_expr(expr)
            return Ref(None, None, found, expr)
        if isinstance(found, Builtin):
            return Ref(found, ctx.pop(0).push(found.id, found.param_count), None, expr)
        return Ref(found, ctx.pop(found.scope_id).push(found.id, found.param_count), None, expr)

    def compile_decl_expr(self, expr: Expr, scope: DeclNode, ctx: BrandCtx,
                          implicit: Optional[Tuple[int, List[str]]]) -> Ref:
        unit = scope.unit
        k = expr.kind
        if k == "name":
            name = str(expr.value)
            if implicit is not None and name in implicit[1]:
                return Ref(None, None, (implicit[0], implicit[1].index(name)), expr)
            found = self.resolve_name(scope, name)
            if found is None:
                raise error_at(unit, expr.pos, f"Not defined: {name}")
            return self.interpret(ctx, found, expr)
        if k == "absname":
            assert unit.root is not None
            found2 = self.resolve_member(unit.root, str(expr.value))
            if found2 is None:
                raise error_at(unit, expr.pos, "Not defined: " + str(expr.value))
            return self.interpret(ctx, found2, expr)
        if k == "import":
            assert isinstance(expr.value, bytes)
            root = self.import_file(unit, expr.value.decode("utf-8"), expr.pos)
            return Ref(root, BrandCtx(root.id, 0, True), None, expr)
        if k in ("app", "member"):
            # Chains recurse through their base; count them with the rest.
            self.enter(unit, expr.pos)
            try:
                return self._compile_suffix(expr, scope, ctx, implicit)
            finally:
                self.depth -= 1
        raise error_at(unit, expr.pos, "Expected name.")

    def _compile_suffix(self, expr: Expr, scope: DeclNode, ctx: BrandCtx,
                        implicit: Optional[Tuple[int, List[str]]]) -> Ref:
        unit = scope.unit
        k = expr.kind
        if k == "app":
            assert expr.base is not None
            base = self.compile_decl_expr(expr.base, scope, ctx, implicit)
            params: List[Ref] = []
            for p in expr.params:
                if p.name is not None:
                    raise error_at(unit, p.name_pos, "Named parameter not allowed here.")
                params.append(self.compile_decl_expr(p.value, scope, ctx, implicit))
            return self.apply_params(unit, base, params, expr)
        if k == "member":
            assert expr.base is not None
            base = self.compile_decl_expr(expr.base, scope, ctx, implicit)
            name = str(expr.value)
            if isinstance(base.target, DeclNode):
                member = self.resolve_member(base.target, name)
                if member is not None:
                    assert base.brand is not None
                    return self.interpret(base.brand, member, expr)
            raise error_at(unit, expr.pos,
                           f"'{expr.base.text()}' has no member named '{name}'")
        raise AssertionError(k)

    def apply_params(self, unit: FileUnit, base: Ref, params: List[Ref], expr: Expr) -> Ref:
        if base.target is None or base.brand is None:
            raise error_at(unit, expr.pos, "Declaration does not accept generic parameters.")
        b = base.brand
        if b.params:
            raise error_at(unit, expr.pos, "Double-application of generic parameters.")
        if len(params) > b.param_count:
            msg = ("Declaration does not accept generic parameters." if b.param_count == 0
                   else "Too many generic parameters.")
            raise error_at(unit, expr.pos, msg)
        if len(params) < b.param_count:
            raise error_at(unit, expr.pos, "Not enough generic parameters.")
        if not (isinstance(base.target, Builtin) and base.target.name == "List"):
            for p in params:
                kind = p.kind
                if kind is not None and kind not in (
                        "builtin:List", "builtin:Text", "builtin:Data", "builtin:AnyPointer",
                        "struct", "interface"):
                    pos = p.expr.pos if p.expr is not None else expr.pos
                    raise error_at(unit, pos, "Sorry, only pointer types can be used as generic parameters.")
        return Ref(base.target, b.with_params(params), None, expr)

    def ref_to_type(self, unit: FileUnit, ref: Ref) -> Type:
        pos = ref.expr.pos if ref.expr is not None else None
        if ref.target is None:
            assert ref.param is not None
            t = Type("anyPointer")
            scope_id, index = ref.param
            if scope_id == 0:
                t.any_kind = "implicitMethodParameter"
            else:
                t.any_kind = "parameter"
                t.scope_id = scope_id
            t.parameter_index = index
            return t
        assert ref.brand is not None
        to_type = lambda r: self.ref_to_type(unit, r)  # noqa: E731
        if isinstance(ref.target, Builtin):
            name = ref.target.name
            if name in _BUILTIN_TYPES:
                return Type(_BUILTIN_TYPES[name])
            if name == "List":
                params = ref.brand.get_params(ref.target.id)
                if not params or len(params) != 1:
                    raise error_at(unit, pos, "'List' requires exactly one parameter.")
                element = self.ref_to_type(unit, params[0])
                # As the reference: lists of AnyList and of Capability are fine; AnyPointer,
                # AnyStruct and type parameters are not.
                if element.which == "anyPointer" and not (
                        element.any_kind == "unconstrained" and element.constraint in ("list", "capability")):
                    name = "AnyStruct" if element.constraint == "struct" else "AnyPointer"
                    raise error_at(unit, pos, f"'List({name})' is not supported.")
                return Type.list_of(element)
            if name == "Object":
                raise error_at(unit, pos, "As of Cap'n Proto 0.4, 'Object' has been renamed to "
                               "'AnyPointer'.  Sorry for the inconvenience, and thanks for being "
                               "an early adopter.  :)")
            t = Type("anyPointer")
            t.constraint = _ANY_CONSTRAINTS[name]
            return t
        assert isinstance(ref.target, DeclNode)
        kind = ref.target.kind
        if kind in ("enum", "struct", "interface"):
            return Type.named(kind, ref.target.id, ref.brand.compile(to_type))
        raise error_at(unit, pos, f"'{ref.text()}' is not a type.")

    def compile_type(self, expr: Expr, scope: DeclNode, ctx: BrandCtx,
                     implicit: Optional[Tuple[int, List[str]]] = None) -> Type:
        ref = self.compile_decl_expr(expr, scope, ctx, implicit)
        return self.ref_to_type(scope.unit, ref)

    # -- node lifecycle -------------------------------------------------------
    def structure(self, node: DeclNode) -> Node:
        """The node with its layout and primitive values (pointer values may be pending)."""
        got = self.schemas.get(node.id)
        if got is not None:
            return got
        if node.id in self.building:
            raise error_at(node.unit, node.decl.name_pos, "Declaration recursively depends on itself.")
        self.building.add(node.id)
        self.enter(node.unit, node.decl.name_pos)
        try:
            _Translator(self, node).run()
        finally:
            self.building.discard(node.id)
            self.depth -= 1
        return self.schemas[node.id]

    def final(self, node: DeclNode) -> Node:
        """The node with every value evaluated."""
        schema = self.structure(node)
        if node.id in self.finished:
            return schema
        if node.id in self.finishing:
            raise error_at(node.unit, node.decl.name_pos, "Declaration recursively depends on itself.")
        self.finishing.add(node.id)
        self.enter(node.unit, node.decl.name_pos)
        try:
            jobs = self.pending.pop(node.id, [])
            i = 0
            while i < len(jobs):
                jobs[i]()
                i += 1
        finally:
            self.finishing.discard(node.id)
            self.depth -= 1
        self.finished.add(node.id)
        return schema

    def enter(self, unit: FileUnit, pos: Optional[Pos]) -> None:
        """Count one more declaration evaluated inside another; the caller decrements."""
        if self.depth >= MAX_DECL_DEPTH:
            raise error_at(unit, pos, f"nesting too deep (more than {MAX_DECL_DEPTH} levels of "
                           "declarations, names and values evaluated inside one another).")
        self.depth += 1

    # -- traversal ------------------------------------------------------------
    def traverse(self, root: DeclNode, eagerness: int, seen: Dict[int, int]) -> None:
        """Finish ``root`` and what it pulls in, depth first.

        An explicit stack rather than recursion: a long chain of declarations
        that use each other must not exhaust Python's stack.  Items are popped
        in the order the recursive walk would visit them.
        """
        stack: List[Tuple[DeclNode, int]] = [(root, eagerness)]
        while stack:
            node, eager = stack.pop()
            slot = seen.get(node.id, 0)
            if slot & eager == eager:
                continue
            seen[node.id] = slot | eager
            schema = self.final(node)
            todo: List[Tuple[DeclNode, int]] = []
            if eager // _DEPS != 0:
                deeper = (eager & ~(_DEPS - 1)) | (eager // _DEPS)
                dep_ids: List[int] = []
                for n in [schema] + self.aux.get(node.id, []):
                    _node_deps(n, dep_ids)
                for id in dep_ids:
                    target = self.by_id.get(id)
                    if target is not None:
                        todo.append((target, deeper))
            if eager & _PARENTS and node.parent is not None:
                todo.append((node.parent, eager))
            if eager & _CHILDREN:
                # As the reference does, every alias of a node whose children are compiled
                # must name something, even if nothing uses it.
                self.check_aliases(node)
                todo.extend((child, eager) for child in node.ordered_children)
            stack.extend(reversed(todo))

    def check_aliases(self, node: DeclNode) -> None:
        """Resolve each ``using`` of ``node``; its name's case must fit what it names."""
        for name, decl in node.aliases.items():
            failure: Optional[SchemaError] = None
            try:
                names_type = _names_a_type(self.resolve_member(node, name))
            except SchemaError as exc:
                # The reference checks the name first, taking what it cannot resolve for a type.
                failure = exc
                names_type = True
            if names_type and not ("A" <= name[0] <= "Z"):
                raise error_at(node.unit, decl.name_pos,
                               "Type names must begin with a capital letter.")
            if not names_type and not ("a" <= name[0] <= "z"):
                raise error_at(node.unit, decl.name_pos,
                               "Non-type names must begin with a lower-case letter.")
            if failure is not None:
                raise failure

    # -- output ----------------------------------------------------------------
    def request(self, units: Sequence[FileUnit], extra: Sequence[DeclNode] = ()) -> CodeGeneratorRequest:
        """The request for ``units``; ``extra`` declarations (of any loaded file) and what they
        need are compiled into it too."""
        seen: Dict[int, int] = {}
        for unit in units:
            assert unit.root is not None
            self.traverse(unit.root, COMPILE_EAGERNESS, seen)
        for decl in extra:
            self.traverse(decl, COMPILE_EAGERNESS, seen)
        nodes: List[Node] = []
        for id in seen:
            nodes.append(self.schemas[id])
            nodes.extend(self.aux.get(id, []))
        nodes.sort(key=lambda n: n.display_name)
        files = [RequestedFile(u.root.id if u.root else 0, u.display_name, self.file_imports(u),
                               self.file_aliases(u))
                 for u in units]
        return CodeGeneratorRequest(nodes, files)

    def file_aliases(self, unit: FileUnit) -> Dict[str, int]:
        """Every ``using`` in the file that names a node: dotted name -> node ID."""
        out: Dict[str, int] = {}
        assert unit.root is not None
        todo: List[Tuple[str, DeclNode]] = [("", unit.root)]
        while todo:
            prefix, node = todo.pop()
            for name in node.aliases:
                try:
                    found = self.resolve_member(node, name)
                except SchemaError:
                    continue  # checked by traverse(); a failure here was reported there
                if isinstance(found, Ref) and isinstance(found.target, DeclNode):
                    out[prefix + name] = found.target.id
            todo.extend((prefix + child.decl.name + ".", child) for child in node.ordered_children)
        return dict(sorted(out.items()))

    def file_imports(self, unit: FileUnit) -> List[Tuple[int, str]]:
        names: Set[str] = set()
        _find_imports(unit.parsed.root, names)
        out = []
        for name in sorted(names, key=lambda s: s.encode("utf-8")):
            root = self.import_file(unit, name, (1, 1))
            out.append((root.id, name))
        return out


def _decl_of(found: object) -> Optional[DeclNode]:
    """The declaration a resolved name stands for, if it is one."""
    if isinstance(found, Ref):
        found = found.target
    return found if isinstance(found, DeclNode) else None


def _names_a_type(found: Optional[Union[DeclNode, Ref]]) -> bool:
    """Whether an alias's target is a type (or file), whose name starts upper-case."""
    target = found.target if isinstance(found, Ref) else found
    if isinstance(target, DeclNode):
        return target.kind not in ("const", "annotation")
    return True  # a built-in type or a generic parameter


def _find_imports_expr(e: Optional[Expr], out: Set[str]) -> None:
    if e is None:
        return
    if e.kind == "import":
        assert isinstance(e.value, bytes)
        out.add(e.value.decode("utf-8"))
    elif e.kind in ("list", "tuple"):
        for p in e.params:
            _find_imports_expr(p.value, out)
    elif e.kind == "app":
        _find_imports_expr(e.base, out)
        for p in e.params:
            _find_imports_expr(p.value, out)
    elif e.kind == "member":
        _find_imports_expr(e.base, out)


def _find_imports_params(pl: Optional[ParamList], out: Set[str]) -> None:
    if pl is None:
        return
    if pl.is_stream:
        # ``-> stream`` uses stream.capnp's result type: the reference lists the import.
        out.add("/capnp/stream.capnp")
    elif pl.params is not None:
        for p in pl.params:
            _find_imports_expr(p.type, out)
            for a in p.annotations:
                _find_imports_expr(a.name, out)
    else:
        _find_imports_expr(pl.type, out)


def _find_imports(d: Decl, out: Set[str]) -> None:
    if d.kind == "using":
        _find_imports_expr(d.target, out)
    elif d.kind in ("const", "field"):
        _find_imports_expr(d.type, out)
    elif d.kind == "interface":
        for s in d.superclasses:
            _find_imports_expr(s, out)
    elif d.kind == "method":
        _find_imports_params(d.method_params, out)
        _find_imports_params(d.method_results, out)
    for a in d.annotations:
        _find_imports_expr(a.name, out)
    for n in d.nested:
        _find_imports(n, out)


def _type_deps(t: Optional[Type], out: List[int]) -> None:
    while t is not None and t.which == "list":
        t = t.element_type
    if t is not None and t.which in ("struct", "enum", "interface"):
        out.append(t.type_id)
        _brand_deps(t.brand, out)


def _brand_deps(brand: Brand, out: List[int]) -> None:
    for s in brand.scopes:
        for b in s.bind or []:
            _type_deps(b.type, out)


def _node_deps(n: Node, out: List[int]) -> None:
    """Append the IDs ``n`` refers to, in the order the traversal visits them."""
    if n.which == "struct":
        for f in n.fields:
            if f.which == "slot":
                _type_deps(f.type, out)
            out.extend(a.id for a in f.annotations)
    elif n.which == "enum":
        for e in n.enumerants:
            out.extend(a.id for a in e.annotations)
    elif n.which == "interface":
        for sc in n.superclasses:
            out.append(sc.id)
            _brand_deps(sc.brand, out)
        for m in n.methods:
            out.append(m.param_struct_type)
            _brand_deps(m.param_brand, out)
            out.append(m.result_struct_type)
            _brand_deps(m.result_brand, out)
            out.extend(a.id for a in m.annotations)
    elif n.which in ("const", "annotation"):
        _type_deps(n.type, out)
    out.extend(a.id for a in n.annotations)


class _Translator:
    """Builds one DeclNode's schema node (and its groups / param structs)."""

    def __init__(self, compiler: Compiler, decl_node: DeclNode) -> None:
        self.c = compiler
        self.dn = decl_node
        self.unit = decl_node.unit
        self.ctx = BrandCtx.lexical(decl_node)
        self.aux: List[Node] = []
        self.jobs: List[Callable[[], None]] = []

    def err(self, pos: Optional[Pos], message: str) -> SchemaError:
        return error_at(self.unit, pos, message)

    def run(self) -> None:
        dn = self.dn
        node = Node(dn.id, dn.display_name, "file" if dn.kind == "file" else dn.kind)
        node.display_name_prefix_length = short_name_start(dn.display_name)
        node.scope_id = dn.scope_id
        node.nested_nodes = [NestedNode(c.decl.name, c.id) for c in dn.ordered_children]
        node.parameters = list(dn.params)
        node.is_generic = self.ctx.is_generic()
        self.node = node
        decl = dn.decl
        self.check_names(decl.nested, decl.kind)
        if dn.kind == "file":
            target = "file"
        elif dn.kind == "const":
            target = "const"
            self.compile_const(decl, node)
        elif dn.kind == "annotation":
            target = "annotation"
            assert decl.type is not None
            node.type = self.c.compile_type(decl.type, dn, self.ctx)
            node.targets = [t for t in ANNOTATION_TARGETS if t in decl.targets]
        elif dn.kind == "enum":
            target = "enum"
            self.compile_enum(decl, node)
        elif dn.kind == "struct":
            target = "struct"
            _StructBuilder(self, None).build_struct(decl.nested, node)
        else:
            target = "interface"
            self.compile_interface(decl, node)
        node.annotations = self.annotations(decl.annotations, target)
        self.c.schemas[dn.id] = node
        self.c.aux[dn.id] = self.aux
        self.c.pending[dn.id] = self.jobs

    # -- checks ---------------------------------------------------------------
    def check_names(self, nested: List[Decl], parent_kind: str) -> None:
        seen: Dict[str, Decl] = {}
        self._check_names(nested, parent_kind, seen)

    def _check_names(self, nested: List[Decl], parent_kind: str, seen: Dict[str, Decl]) -> None:
        for d in nested:
            name = d.name
            self.check_unique(d, seen)
            if d.kind == "using":
                pass  # aliases may take either case (``using import "x".label;``)
            elif d.kind in ("enum", "struct", "interface"):
                if name and not ("A" <= name[0] <= "Z"):
                    raise self.err(d.name_pos, "Type names must begin with a capital letter.")
            elif name and not ("a" <= name[0] <= "z"):
                raise self.err(d.name_pos, "Non-type names must begin with a lower-case letter.")
            if "_" in name:
                raise self.err(d.name_pos, "Cap'n Proto declaration names should use camelCase and "
                               "must not contain underscores. (Code generators may convert names to "
                               "the appropriate style for the target language.)")
            if d.kind in ("using", "const", "enum", "struct", "interface", "annotation"):
                if parent_kind not in ("file", "struct", "interface"):
                    raise self.err(d.pos, "This kind of declaration doesn't belong here.")
            elif d.kind == "enumerant":
                if parent_kind != "enum":
                    raise self.err(d.pos, "Enumerants can only appear in enums.")
            elif d.kind == "method":
                if parent_kind != "interface":
                    raise self.err(d.pos, "Methods can only appear in interfaces.")
            elif d.kind in ("field", "union", "group"):
                if parent_kind not in ("struct", "union", "group"):
                    raise self.err(d.pos, "This declaration can only appear in structs.")
                if d.name == "":
                    self._check_names(d.nested, d.kind, seen)
                else:
                    self._check_names(d.nested, d.kind, {})

    def check_unique(self, d: Decl, seen: Dict[str, Decl]) -> None:
        """Refuse ``d`` if a member of the same scope (in ``seen``) has its name; record it."""
        if d.name in seen:
            if d.name == "" and d.kind == "union":
                raise self.err(d.name_pos, "An unnamed union is already defined in this scope.")
            raise self.err(d.name_pos, f"'{d.name}' is already defined in this scope.")
        seen[d.name] = d

    # -- declarations -----------------------------------------------------------
    def compile_const(self, decl: Decl, node: Node) -> None:
        assert decl.type is not None and decl.default is not None
        node.type = self.c.compile_type(decl.type, self.dn, self.ctx)
        node.value = _default_value(node.type)
        self.bootstrap_value(decl.default, node.type, lambda v: setattr(node, "value", v))

    def compile_enum(self, decl: Decl, node: Node) -> None:
        members = [(d.ordinal if d.ordinal is not None else 0, i, d)
                   for i, d in enumerate(x for x in decl.nested if x.kind == "enumerant")]
        members.sort(key=lambda m: (m[0], m[1]))
        check = _OrdinalCheck(self)
        for _, code_order, d in members:
            check.check(d.ordinal or 0, d.ordinal_pos)
            node.enumerants.append(Enumerant(d.name, code_order, self.annotations(d.annotations, "enumerant")))

    def compile_interface(self, decl: Decl, node: Node) -> None:
        for s in decl.superclasses:
            ref = self.c.compile_decl_expr(s, self.dn, self.ctx, None)
            if ref.target is None:
                raise self.err(s.pos, f"'{s.text()}' is an unbound generic parameter. Currently we "
                               "don't support extending these.")
            if not isinstance(ref.target, DeclNode) or ref.target.kind != "interface":
                raise self.err(s.pos, f"'{s.text()}' is not an interface.")
            assert ref.brand is not None
            node.superclasses.append(Superclass(ref.target.id, ref.brand.compile(self.to_type)))
        methods = [(d.ordinal or 0, i, d)
                   for i, d in enumerate(x for x in decl.nested if x.kind == "method")]
        methods.sort(key=lambda m: (m[0], m[1]))
        check = _OrdinalCheck(self)
        for ordinal, code_order, d in methods:
            check.check(ordinal, d.ordinal_pos)
            m = Method(d.name, code_order)
            implicit = [p[0] for p in d.generic_params]
            m.implicit_parameters = implicit
            assert d.method_params is not None
            m.param_struct_type, m.param_brand = self.param_list(d.name, ordinal, False, d.method_params, implicit)
            results = d.method_results if d.method_results is not None else ParamList(d.pos, params=[])
            m.result_struct_type, m.result_brand = self.param_list(d.name, ordinal, True, results, implicit)
            m.annotations = self.annotations(d.annotations, "method")
            node.methods.append(m)

    def param_list(self, method: str, ordinal: int, is_results: bool, pl: ParamList,
                   implicit: List[str]) -> Tuple[int, Brand]:
        if pl.is_stream:
            root = self.c.import_file(self.unit, "/capnp/stream.capnp", pl.pos)
            target = root.children.get("StreamResult")
            if target is None:
                raise self.err(pl.pos, "Import failed: /capnp/stream.capnp")
            return target.id, Brand()
        if pl.params is None:
            assert pl.type is not None
            ref = self.c.compile_decl_expr(pl.type, self.dn, self.ctx, (0, implicit))
            if ref.target is None:
                raise self.err(pl.type.pos, "Cannot use generic parameter as whole input or output "
                               "of a method. Instead, use a parameter/result list containing a field "
                               "with this type.")
            if not isinstance(ref.target, DeclNode) or ref.target.kind != "struct":
                raise self.err(pl.type.pos, f"'{pl.type.text()}' is not a struct type.")
            assert ref.brand is not None
            return ref.target.id, ref.brand.compile(self.to_type)
        # Parameters become the fields of one struct: their names must differ, as fields' do.
        # (Their case is not checked: the reference takes ``X`` and ``x_y`` as parameter names.)
        seen: Dict[str, Decl] = {}
        for p in pl.params:
            self.check_unique(p, seen)
        parent = self.node
        type_name = method + ("$Results" if is_results else "$Params")
        sid = ids.method_params_id(parent.id, ordinal, is_results)
        snode = Node(sid, parent.display_name + "." + type_name, "struct")
        snode.display_name_prefix_length = len(snode.display_name) - len(type_name)
        snode.is_generic = parent.is_generic or bool(implicit)
        snode.scope_id = 0
        snode.parameters = list(implicit)
        _StructBuilder(self, (sid, implicit)).build_params(pl.params, snode)
        self.aux.append(snode)
        brand = self.ctx.push(sid, len(implicit))
        return sid, brand.compile(self.to_type)

    def to_type(self, ref: Ref) -> Type:
        return self.c.ref_to_type(self.unit, ref)

    # -- annotations ------------------------------------------------------------
    def annotations(self, anns: List[AstAnnotation], target: str) -> List[Annotation]:
        out: List[Annotation] = []
        for a in anns:
            ref = self.c.compile_decl_expr(a.name, self.dn, self.ctx, None)
            # The reference places these errors at the start of the whole name.
            where = a.name.start()
            if not isinstance(ref.target, DeclNode) or ref.target.kind != "annotation":
                raise self.err(where, f"'{a.name.text()}' is not an annotation.")
            assert ref.brand is not None
            decl_node = self.c.structure(ref.target)
            brand = ref.brand.compile(self.to_type)
            result = Annotation(ref.target.id, Value("void"), brand)
            if target not in decl_node.targets:
                raise self.err(where, f"'{a.name.text()}' cannot be applied to this kind of declaration.")
            assert decl_node.type is not None
            # A generic scope's annotation (``$G(Text).a``) has its type bound by the name's brand.
            atype = bind_type(decl_node.type, brand)
            if a.value is None:
                if atype.which != "void":
                    raise self.err(where, f"'{a.name.text()}' requires a value.")
            else:
                result.value = _default_value(atype)
                self.bootstrap_value(a.value, atype, _setter(result))
            out.append(result)
        return out

    # -- values -----------------------------------------------------------------
    def bootstrap_value(self, expr: Expr, t: Type, store: Callable[[Value], None]) -> None:
        """Evaluate now if primitive; pointer values wait until the node is finished."""
        if t.which in ("list", "struct", "interface", "anyPointer"):
            self.jobs.append(lambda: store(Value(t.which, self.value(expr, t, False))))
        else:
            store(Value(t.which, self.value(expr, t, True)))

    def type_name(self, t: Type) -> str:
        if t.which in _TYPE_NAMES:
            return _TYPE_NAMES[t.which]
        if t.which == "list":
            assert t.element_type is not None
            return f"List({self.type_name(t.element_type)})"
        if t.which in ("enum", "struct", "interface"):
            dn = self.c.by_id.get(t.type_id)
            if dn is not None:
                n = dn.display_name
                return n[max(n.rfind(":"), n.rfind(".")) + 1:] if dn.parent is None else \
                    self.c.structure(dn).short_name
        return "AnyPointer"

    def mismatch(self, expr: Expr, t: Type) -> SchemaError:
        return self.err(expr.pos, f"Type mismatch; expected {self.type_name(t)}.")

    def value(self, expr: Expr, t: Type, bootstrap: bool) -> object:
        k = expr.kind
        w = t.which
        if k == "name":
            name = str(expr.value)
            if w == "enum":
                enum = self.c.structure(self.c.by_id[t.type_id])
                for i, e in enumerate(enum.enumerants):
                    if e.name == name:
                        return i
            else:
                literal = {"void": ("void", None), "true": ("bool", True), "false": ("bool", False),
                           "nan": ("float", math.nan), "inf": ("float", math.inf)}.get(name)
                if literal is not None:
                    return self.check_literal(expr, t, literal[0], literal[1])
            return self.constant(expr, t, bootstrap)
        if k in ("absname", "import", "app", "member"):
            return self.constant(expr, t, bootstrap)
        if k == "int":
            return self.check_literal(expr, t, "int", expr.value)
        if k == "negint":
            assert isinstance(expr.value, int)
            if expr.value > (1 << 63):
                raise self.err(expr.pos, "Integer is too big to be negative.")
            return self.check_literal(expr, t, "int", -expr.value)
        if k == "float":
            return self.check_literal(expr, t, "float", expr.value)
        if k == "string":
            assert isinstance(expr.value, bytes)
            if w == "data":
                return expr.value
            if w == "text":
                # Escapes may give bytes that are not UTF-8 ("\xff"): kept as surrogates, so the
                # request holds those very bytes, as the reference writes them.
                return expr.value.decode("utf-8", "surrogateescape")
            raise self.mismatch(expr, t)
        if k == "binary":
            if w != "data":
                raise self.mismatch(expr, t)
            return expr.value
        if k == "embed":
            assert isinstance(expr.value, bytes)
            data = self.c.embedded(self.unit, expr.value.decode("utf-8", "surrogateescape"), expr.pos)
            if w == "data":
                return data
            if w == "text":
                return data.decode("utf-8", "surrogateescape")  # (bytes kept as they are)
            at = expr.base.pos if expr.base is not None else expr.pos  # the keyword
            if w == "struct":
                return self.embedded_struct(at, t, data)
            raise self.err(at, "Embeds can only be used when Text, Data, or a struct is expected.")
        if k in ("list", "tuple"):
            # Nested values recurse; a const's value may name other consts, so
            # count the levels together with the declarations being evaluated.
            self.c.enter(self.unit, expr.pos)
            try:
                return self.compound_value(expr, t, bootstrap)
            finally:
                self.c.depth -= 1
        raise self.err(expr.pos, "Parse error.")

    def embedded_struct(self, at: Pos, t: Type, data: bytes) -> StructValue:
        """An embedded file read as a (framed, unpacked) message whose root is a ``t``."""
        from ..errors import DecodeError
        from ..wire.framing import decode_message
        from ..wire.layout import AnyPointerReader, MessageReader
        from .binary import _Reader

        compiler = self.c

        class Structs:
            """The struct nodes the reader asks for, laid out on demand."""

            def get(self, type_id: int) -> Optional[Node]:
                dn = compiler.by_id.get(type_id)
                return None if dn is None else compiler.structure(dn)

        try:
            root = MessageReader(decode_message(data)).root_pointer()
            value = _Reader(Structs()).pointer(root, t, True)  # type: ignore[arg-type]
        except DecodeError:
            raise self.err(at, "Embedded file is not a valid Cap'n Proto message.") from None

        def check(v: object) -> None:
            if isinstance(v, AnyPointerReader):
                raise self.err(at, "An embedded message may not set AnyPointer or "
                                         "capability fields here.")
            if isinstance(v, StructValue):
                for x in v.fields.values():
                    check(x)
            elif isinstance(v, list):
                for x in v:
                    check(x)

        check(value)
        if not isinstance(value, StructValue):  # a null root: the struct's default
            return StructValue({})
        return value

    def compound_value(self, expr: Expr, t: Type, bootstrap: bool) -> object:
        w = t.which
        if expr.kind == "list":
            if w != "list":
                raise self.mismatch(expr, t)
            assert t.element_type is not None
            return [self.value(p.value, t.element_type, bootstrap) for p in expr.params]
        if w != "struct":
            raise self.mismatch(expr, t)
        return self.struct_value(expr, self.c.by_id[t.type_id], t.brand, bootstrap)

    def check_literal(self, expr: Expr, t: Type, kind: str, v: object) -> object:
        w = t.which
        if kind == "int":
            assert isinstance(v, int)
            if w in _INT_RANGES:
                lo, hi = _INT_RANGES[w]
                if not lo <= v <= hi:
                    raise self.err(expr.pos, "Integer value out of range.")
                return v
            if w == "float32":
                return _float32(float(v))
            if w == "float64":
                return float(v)
        elif kind == "float":
            assert isinstance(v, float)
            if w == "float32":
                return _float32(v)
            if w == "float64":
                return v
        elif kind == "void" and w == "void":
            return None
        elif kind == "bool" and w == "bool":
            return v
        raise self.mismatch(expr, t)

    def struct_value(self, expr: Expr, target: DeclNode, brand: Brand,
                     bootstrap: bool) -> StructValue:
        node = self.c.structure(target)
        return self.fill_struct(expr, node, brand, bootstrap)

    def fill_struct(self, expr: Expr, node: Node, brand: Brand, bootstrap: bool) -> StructValue:
        """A struct literal of ``node``'s type; ``brand`` binds a generic struct's parameters."""
        sv = StructValue()
        for p in expr.params:
            if p.name is None:
                raise self.err(p.value.pos, "Missing field name.")
            field = next((f for f in node.fields if f.name == p.name), None)
            if field is None:
                raise self.err(p.name_pos, f"Struct has no field named '{p.name}'.")
            if field.which == "group":
                if p.value.kind != "tuple":
                    raise self.err(p.value.pos, "Type mismatch; expected group.")
                group = self._group_node(field.group_type_id)
                sv.fields.pop(p.name, None)
                sv.fields[p.name] = self.fill_struct(p.value, group, brand, bootstrap)
            else:
                assert field.type is not None
                ftype = bind_type(field.type, brand)
                if ftype.which in ("interface", "anyPointer"):
                    raise self.err(p.value.pos, f"Type mismatch; expected {self.type_name(ftype)}.")
                sv.fields.pop(p.name, None)
                sv.fields[p.name] = self.value(p.value, ftype, bootstrap)
        return sv

    def _group_node(self, id: int) -> Node:
        for nodes in list(self.c.aux.values()) + [self.aux]:
            for n in nodes:
                if n.id == id:
                    return n
        raise KeyError(id)

    def constant(self, expr: Expr, t: Type, bootstrap: bool) -> object:
        ref = self.c.compile_decl_expr(expr, self.dn, self.ctx, None)
        if not isinstance(ref.target, DeclNode) or ref.target.kind != "const":
            raise self.err(expr.pos, f"'{expr.text()}' does not refer to a constant.")
        target = ref.target
        if expr.kind == "name":
            assert target.parent is not None
            scope = self.c.structure(target.parent)
            parent = "" if scope.which == "file" else scope.short_name
            raise self.err(expr.pos, "Constant names must be qualified to avoid confusion.  Please "
                           f"replace '{expr.text()}' with '{parent}." + str(expr.value) + "', if that's what "
                           "you intended.")
        cnode = self.c.structure(target) if bootstrap else self.c.final(target)
        ctype = cnode.type
        assert ctype is not None and cnode.value is not None
        v = cnode.value.value
        if ctype.which in _INT_RANGES:
            if t.which in _INT_RANGES:
                lo, hi = _INT_RANGES[t.which]
                if not lo <= v <= hi:
                    raise self.err(expr.pos, "Integer value out of range.")
                return v
            if t.which == "float32":
                return _float32(float(v))
            if t.which == "float64":
                return float(v)
        elif ctype.which in ("float32", "float64") and t.which in ("float32", "float64"):
            return _float32(v) if t.which == "float32" else v
        elif self.same_type(ctype, t):
            return v
        raise self.mismatch(expr, t)

    def same_type(self, a: Type, b: Type) -> bool:
        if a.which != b.which:
            return False
        if a.which == "list":
            assert a.element_type is not None and b.element_type is not None
            return self.same_type(a.element_type, b.element_type)
        if a.which in ("enum", "struct", "interface"):
            return a.type_id == b.type_id
        return True


def _setter(target: Annotation) -> Callable[[Value], None]:
    def store(v: Value) -> None:
        target.value = v
    return store


class _OrdinalCheck:
    """Ordinals, visited in sorted order, must be 0, 1, 2... with no gaps or repeats."""

    def __init__(self, t: _Translator) -> None:
        self.t = t
        self.expected = 0

    def check(self, ordinal: int, pos: Optional[Pos]) -> None:
        if ordinal < self.expected:
            raise self.t.err(pos, "Duplicate ordinal number.")
        if ordinal > self.expected:
            raise self.t.err(pos, f"Skipped ordinal @{self.expected}.  Ordinals must be "
                             "sequential with no holes.")
        self.expected += 1


class _StructBuilder:
    """Lays out one struct (or param struct) and builds its group nodes."""

    def __init__(self, t: _Translator, implicit: Optional[Tuple[int, List[str]]]) -> None:
        self.t = t
        self.implicit = implicit
        self.top = lay.Top()
        self.by_ordinal: List[Tuple[int, int, _Member]] = []
        self.members: List[_Member] = []
        self.groups: List[Node] = []

    def _add_ordinal(self, ordinal: int, m: _Member) -> None:
        self.by_ordinal.append((ordinal, len(self.by_ordinal), m))

    def build_struct(self, decls: List[Decl], node: Node) -> None:
        root = _Member(None, 0, None, "top", False, node)
        self.traverse_top_or_group(decls, root, self.top)
        self.finish(root, node)

    def build_params(self, params: List[Decl], node: Node) -> None:
        root = _Member(None, 0, None, "top", False, node)
        for i, p in enumerate(params):
            root.child_count += 1
            m = _Member(root, i, p, "field", False, scope=self.top, is_param=True)
            self.members.append(m)
            self._add_ordinal(i, m)
        self.finish(root, node)

    def new_group(self, parent: Node, name: str) -> Node:
        g = Node(0, parent.display_name + "." + name, "struct")
        g.display_name_prefix_length = len(g.display_name) - len(name)
        g.is_generic = parent.is_generic
        g.is_group = True
        self.groups.append(g)
        self.t.aux.append(g)
        return g

    def traverse_top_or_group(self, decls: List[Decl], parent: _Member, scope: lay.Scope) -> None:
        code_order = [0]
        for d in decls:
            if d.kind == "field":
                parent.child_count += 1
                m = _Member(parent, code_order[0], d, "field", False, scope=scope)
                code_order[0] += 1
                self.members.append(m)
                self._add_ordinal(d.ordinal or 0, m)
            elif d.kind == "union":
                union = lay.Union(scope)
                if d.name == "":
                    m = parent
                    counter = code_order
                else:
                    parent.child_count += 1
                    assert parent.node is not None
                    m = _Member(parent, code_order[0], d, "union", False, self.new_group(parent.node, d.name))
                    code_order[0] += 1
                    self.members.append(m)
                    counter = [0]
                m.union = union
                self.traverse_union(d, m, union, counter)
                if d.ordinal is not None:
                    self._add_ordinal(d.ordinal, m)
            elif d.kind == "group":
                parent.child_count += 1
                assert parent.node is not None
                m = _Member(parent, code_order[0], d, "group", False, self.new_group(parent.node, d.name))
                code_order[0] += 1
                self.members.append(m)
                self.traverse_group(d, m, scope)

    def traverse_group(self, d: Decl, m: _Member, scope: lay.Scope) -> None:
        if not d.nested:
            raise self.t.err(d.pos, "Group must have at least one member.")
        self.traverse_top_or_group(d.nested, m, scope)

    def traverse_union(self, d: Decl, parent: _Member, union: lay.Union, code_order: List[int]) -> None:
        members = [x for x in d.nested if x.kind in ("field", "union", "group")]
        if len(members) < 2:
            raise self.t.err(d.pos, "Union must have at least two members.")
        for x in d.nested:
            if x.kind == "field":
                parent.child_count += 1
                m = _Member(parent, code_order[0], x, "field", True, scope=lay.Group(union))
                code_order[0] += 1
                self.members.append(m)
                self._add_ordinal(x.ordinal or 0, m)
            elif x.kind == "union":
                if x.name == "":
                    raise self.t.err(x.pos, "Unions cannot contain unnamed unions.")
                parent.child_count += 1
                group = lay.Group(union)
                inner = lay.Union(group)
                assert parent.node is not None
                m = _Member(parent, code_order[0], x, "union", True, self.new_group(parent.node, x.name))
                code_order[0] += 1
                self.members.append(m)
                m.union = inner
                self.traverse_union(x, m, inner, [0])
                if x.ordinal is not None:
                    self._add_ordinal(x.ordinal, m)
            elif x.kind == "group":
                parent.child_count += 1
                assert parent.node is not None
                m = _Member(parent, code_order[0], x, "group", True, self.new_group(parent.node, x.name))
                code_order[0] += 1
                self.members.append(m)
                self.traverse_group(x, m, lay.Group(union))

    def finish_group(self, m: _Member) -> None:
        node = m.node
        assert node is not None
        if m.union is not None:
            m.union.add_discriminant()
            node.discriminant_count = m.discriminants
            assert m.union.discriminant_offset is not None
            node.discriminant_offset = m.union.discriminant_offset
        if m.parent is not None:
            assert m.parent.node is not None
            gid = ids.group_id(m.parent.node.id, m.index)
            node.id = gid
            node.scope_id = m.parent.node.id
            f = m.get_field()
            f.which = "group"
            f.group_type_id = gid

    def finish(self, root: _Member, node: Node) -> None:
        t = self.t
        check = _OrdinalCheck(t)
        self.by_ordinal.sort(key=lambda e: (e[0], e[1]))
        for ordinal, _, m in self.by_ordinal:
            assert m.decl is not None
            if m.decl.ordinal is not None:
                check.check(m.decl.ordinal, m.decl.ordinal_pos)
            f = m.get_field()
            f.ordinal = ordinal
            if m.kind == "field":
                self.compile_slot(m, f)
            elif m.kind == "union":
                assert m.union is not None
                if not m.union.add_discriminant():
                    raise t.err(m.decl.ordinal_pos, "Union ordinal, if specified, must be greater "
                                "than no more than one of its member ordinals (i.e. there can only "
                                "be one field retroactively unionized).")
        self.finish_group(root)
        for m in self.members:
            assert m.decl is not None
            if m.is_param:
                target = "param"
            elif m.kind == "field":
                target = "field"
            else:
                self.finish_group(m)
                target = m.kind
            m.get_field().annotations = t.annotations(m.decl.annotations, target)
        node.data_word_count = self.top.data_words
        node.pointer_count = self.top.pointers
        node.is_group = False
        for g in self.groups:
            g.data_word_count = node.data_word_count
            g.pointer_count = node.pointer_count
            g.preferred_list_encoding = node.preferred_list_encoding

    def compile_slot(self, m: _Member, f: Field) -> None:
        t = self.t
        d = m.decl
        assert d is not None and d.type is not None and m.scope is not None
        ftype = t.c.compile_type(d.type, t.dn, t.ctx, self.implicit)
        f.type = ftype
        f.default_value = _default_value(ftype)
        if d.default is not None:
            f.had_explicit_default = True
            t.bootstrap_value(d.default, ftype, lambda v: setattr(f, "default_value", v))
        lg = _LG_SIZE.get(ftype.which)
        if lg is None:
            f.offset = m.scope.add_pointer()
        elif lg < 0:
            m.scope.add_void()
            f.offset = 0
        else:
            try:
                f.offset = m.scope.add_data(lg)
            except lay.Issue344 as exc:
                raise t.err(d.name_pos, str(exc)) from None
