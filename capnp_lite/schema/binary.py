"""Binary ``CodeGeneratorRequest`` messages, as ``capnp compile -o-`` writes them.

:func:`request_to_bytes` serialises the compiler's model; :func:`request_from_bytes`
reads a request (ours or the reference compiler's) back into the model.

Both go through one schema-driven walker.  The layout of ``schema.capnp``
itself comes from compiling its declarations (:mod:`._meta`) with our own
compiler, so there is no second table of offsets to keep in step.  The same
walker encodes pointer-typed default values (struct, list) with their real
types, taken from the request's own nodes.

Between the model and the walker sits a plain tree: a struct is a ``dict``
from field name to value (a group is a nested ``dict``; setting a union
member sets the discriminant), a list is a ``list``, an enum an ``int``.
What the reference writes and we do not: ``sourceInfo`` (doc comments and
member positions) is left empty.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple, Union

from ..errors import DecodeError, EncodeError
from ..wire.framing import decode_message, encode_message
from ..wire.layout import (
    AnyPointerReader, ListBuilder, ListReader, MessageBuilder, MessageReader,
    StructBuilder, StructReader, raw_text,
)
from .model import (
    NO_DISCRIMINANT, Annotation, Brand, BrandBinding, BrandScope, CodeGeneratorRequest, Enumerant,
    Field, Method, NestedNode, Node, RequestedFile, StructValue, Superclass, Type, Value,
    bind_type,
)

__all__ = ["request_to_bytes", "request_from_bytes"]

Tree = Dict[str, Any]
_Nodes = Dict[int, Node]
_NO_BRAND = Brand()  # read-only: bind_type returns every type unchanged through it

# Element size codes of list pointers (``schema.capnp``'s ElementSize).
_ES_VOID, _ES_BIT, _ES_BYTE, _ES_TWO, _ES_FOUR, _ES_EIGHT, _ES_POINTER = range(7)

# Primitive kind -> (size in bits, list element size, suffix of the get_/set_ methods).
_PRIMITIVES: Dict[str, Tuple[int, int, str]] = {
    "bool": (1, _ES_BIT, "bool"),
    "int8": (8, _ES_BYTE, "int8"), "uint8": (8, _ES_BYTE, "uint8"),
    "int16": (16, _ES_TWO, "int16"), "uint16": (16, _ES_TWO, "uint16"),
    "enum": (16, _ES_TWO, "uint16"),
    "int32": (32, _ES_FOUR, "int32"), "uint32": (32, _ES_FOUR, "uint32"),
    "float32": (32, _ES_FOUR, "float32"),
    "int64": (64, _ES_EIGHT, "int64"), "uint64": (64, _ES_EIGHT, "uint64"),
    "float64": (64, _ES_EIGHT, "float64"),
}

# Nesting a request may need: a node's types nest once per ``List(``, which the
# compiler bounds at 64, plus the few levels from the root down to a type.
_READ_NESTING_LIMIT = 256


class Typed:
    """A value for an ``AnyPointer`` field, with the type that says how to encode it."""

    __slots__ = ("type", "value")

    def __init__(self, type: Type, value: Any) -> None:
        self.type = type
        self.value = value


# -- the walker ----------------------------------------------------------------

_Parent = Union[StructBuilder, ListBuilder]


class _Writer:
    """Writes trees into builders, using struct layouts from ``nodes``."""

    def __init__(self, nodes: _Nodes) -> None:
        self.nodes = nodes

    def struct_node(self, type_id: int) -> Node:
        node = self.nodes.get(type_id)
        if node is None or node.which != "struct":
            raise EncodeError(f"no struct node 0x{type_id:016x} to encode a value with")
        return node

    def struct(self, sb: StructBuilder, node: Node, tree: Tree, brand: Brand = _NO_BRAND) -> None:
        """``brand`` binds the parameters of a generic struct (``P(Text, Data)``)."""
        for name, value in tree.items():
            field = _field_named(node, name)
            if field.discriminant_value != NO_DISCRIMINANT:
                sb.set_uint16(node.discriminant_offset, field.discriminant_value)
            if field.which == "group":
                self.struct(sb, self.struct_node(field.group_type_id), value, brand)
                continue
            assert field.type is not None
            t = bind_type(field.type, brand)
            prim = _PRIMITIVES.get(t.which)
            if prim is not None:
                default = field.default_value.value if field.default_value is not None else None
                setter = getattr(sb, "set_" + prim[2])
                if default is None:
                    setter(field.offset, value)
                else:
                    setter(field.offset, value, default)
            elif t.which != "void":
                self.pointer(sb, field.offset, t, value)

    def pointer(self, parent: _Parent, index: int, t: Type, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, Typed):
            t, value = value.type, value.value
            if value is None:
                return
        k = t.which
        if k == "text":
            # Any bytes a schema's escapes gave, kept as surrogates (see the reader below).
            parent.set_text_bytes(index, value.encode("utf-8", "surrogateescape"))
        elif k == "data":
            parent.set_data(index, value)
        elif k == "struct":
            node = self.struct_node(t.type_id)
            sb = parent.init_struct(index, node.data_word_count, node.pointer_count)
            self.struct(sb, node, _as_tree(value), t.brand)
        elif k == "list":
            assert t.element_type is not None
            self.list(parent, index, t.element_type, value)
        elif k in ("interface", "anyPointer"):
            # A capability or an untyped pointer has no value a schema can give.
            return
        else:
            raise EncodeError(f"a {k} value does not go in a pointer")

    def list(self, parent: _Parent, index: int, et: Type, items: List[Any]) -> None:
        k = et.which
        if k == "void":
            parent.init_list(index, _ES_VOID, len(items))
            return
        prim = _PRIMITIVES.get(k)
        if prim is not None:
            lb = parent.init_list(index, prim[1], len(items))
            setter = getattr(lb, "set_" + prim[2])
            for i, v in enumerate(items):
                setter(i, v)
            return
        if k == "struct":
            node = self.struct_node(et.type_id)
            lb = parent.init_struct_list(index, len(items), node.data_word_count,
                                         node.pointer_count)
            for i, v in enumerate(items):
                self.struct(lb.get_struct(i), node, _as_tree(v), et.brand)
            return
        lb = parent.init_list(index, _ES_POINTER, len(items))
        for i, v in enumerate(items):
            self.pointer(lb, i, et, v)


def _as_tree(value: Any) -> Tree:
    if isinstance(value, StructValue):
        return {k: _value_fields(v) for k, v in value.fields.items()}
    assert isinstance(value, dict)
    return value


def _value_fields(v: Any) -> Any:
    # A group inside a struct value is itself a StructValue.
    if isinstance(v, StructValue):
        return _as_tree(v)
    return v


def _field_named(node: Node, name: str) -> Field:
    for f in node.fields:
        if f.name == name:
            return f
    raise EncodeError(f"{node.display_name} has no field {name!r}")


class _Reader:
    """Reads readers into trees (every field; pointer fields only when set)."""

    def __init__(self, nodes: _Nodes) -> None:
        self.nodes = nodes

    def struct_node(self, type_id: int) -> Node:
        node = self.nodes.get(type_id)
        if node is None or node.which != "struct":
            raise DecodeError(f"no struct node 0x{type_id:016x} to read a value with")
        return node

    def struct(self, sr: StructReader, node: Node, as_value: bool = False,
               brand: Brand = _NO_BRAND) -> Tree:
        out: Tree = {}
        active = NO_DISCRIMINANT
        if node.discriminant_count:
            active = sr.get_uint16(node.discriminant_offset)
        for field in node.fields:
            if field.discriminant_value != NO_DISCRIMINANT and field.discriminant_value != active:
                continue
            if field.which == "group":
                out[field.name] = self.struct(sr, self.struct_node(field.group_type_id),
                                              as_value, brand)
                continue
            assert field.type is not None
            t = bind_type(field.type, brand)
            prim = _PRIMITIVES.get(t.which)
            if prim is not None:
                default = field.default_value.value if field.default_value is not None else None
                getter = getattr(sr, "get_" + prim[2])
                out[field.name] = getter(field.offset) if default is None else \
                    getter(field.offset, default)
            elif t.which == "void":
                out[field.name] = None
            elif not sr.is_null(field.offset):
                out[field.name] = self.pointer(sr.get_pointer(field.offset), t, as_value)
            elif field.discriminant_value != NO_DISCRIMINANT:
                out[field.name] = None  # the active member, holding a null pointer
        return out

    def pointer(self, p: AnyPointerReader, t: Type, as_value: bool = False) -> Any:
        """The value at ``p``; with ``as_value``, structs become :class:`StructValue`."""
        k = t.which
        if p.is_null():
            return None
        if k == "text":
            # The reference compiler writes any bytes a schema's escapes ask for ("\xff"): they
            # are kept as surrogates, as our own compiler keeps them, and written back as bytes.
            raw = raw_text(p.get_data())
            assert raw is not None  # not null: checked above
            return raw.decode("utf-8", "surrogateescape")
        if k == "data":
            return p.get_data()
        if k == "struct":
            tree = self.struct(p.get_struct(), self.struct_node(t.type_id), as_value, t.brand)
            return _to_struct_value(tree) if as_value else tree
        if k == "list":
            assert t.element_type is not None
            return self.list(p.get_list(), t.element_type, as_value)
        if k in ("anyPointer", "interface"):
            return p
        raise DecodeError(f"a {k} value does not live in a pointer")

    def list(self, lr: ListReader, et: Type, as_value: bool) -> List[Any]:
        k = et.which
        n = len(lr)
        if k == "void":
            return [None] * n
        prim = _PRIMITIVES.get(k)
        if prim is not None:
            getter = getattr(lr, "get_" + prim[2])
            return [getter(i) for i in range(n)]
        if k == "struct":
            node = self.struct_node(et.type_id)
            out: List[Any] = []
            for i in range(n):
                tree = self.struct(lr.get_struct(i), node, as_value, et.brand)
                out.append(_to_struct_value(tree) if as_value else tree)
            return out
        return [self.pointer(lr.get_pointer(i), et, as_value) for i in range(n)]


def _to_struct_value(tree: Tree) -> StructValue:
    return StructValue({k: _to_struct_value(v) if isinstance(v, dict) else v
                        for k, v in tree.items()})


# -- schema.capnp's own layout ---------------------------------------------------

class _Meta:
    """The compiled nodes of ``schema.capnp``, looked up by short name."""

    def __init__(self) -> None:
        from . import compile_source
        from ._meta import SCHEMA_CAPNP

        req = compile_source(SCHEMA_CAPNP, "capnp/schema.capnp")
        self.nodes: _Nodes = {n.id: n for n in req.nodes}
        self.by_name: Dict[str, Node] = {}
        for n in req.nodes:
            self.by_name[n.display_name.split(":", 1)[-1]] = n

    def struct(self, name: str) -> Node:
        return self.by_name[name]

    def enum_names(self, name: str) -> List[str]:
        return [e.name for e in self.by_name[name].enumerants]


_META: Optional[_Meta] = None


def _meta() -> _Meta:
    global _META
    if _META is None:
        _META = _Meta()
    return _META


# -- model -> tree ------------------------------------------------------------------

def _brand_tree(b: Brand) -> Optional[Tree]:
    if not b.scopes:
        return None
    scopes: List[Tree] = []
    for s in b.scopes:
        if s.inherit or s.bind is None:
            scopes.append({"scopeId": s.scope_id, "inherit": None})
        else:
            binds = [{"unbound": None} if x.type is None else {"type": _type_tree(x.type)}
                     for x in s.bind]
            scopes.append({"scopeId": s.scope_id, "bind": binds})
    return {"scopes": scopes}


def _type_tree(t: Type) -> Tree:
    k = t.which
    if k == "list":
        assert t.element_type is not None
        return {"list": {"elementType": _type_tree(t.element_type)}}
    if k in ("enum", "struct", "interface"):
        inner: Tree = {"typeId": t.type_id}
        brand = _brand_tree(t.brand)
        if brand is not None:
            inner["brand"] = brand
        return {k: inner}
    if k == "anyPointer":
        if t.any_kind == "parameter":
            ap: Tree = {"parameter": {"scopeId": t.scope_id,
                                      "parameterIndex": t.parameter_index}}
        elif t.any_kind == "implicitMethodParameter":
            ap = {"implicitMethodParameter": {"parameterIndex": t.parameter_index}}
        else:
            ap = {"unconstrained": {t.constraint: None}}
        return {"anyPointer": ap}
    return {k: None}


def _value_tree(v: Optional[Value], t: Optional[Type]) -> Tree:
    if v is None:
        return {"void": None}
    k = v.which
    if k in ("list", "struct", "anyPointer"):
        if v.value is None or t is None:
            return {k: None}
        return {k: Typed(t, v.value)}
    if k == "interface":
        return {"interface": None}
    return {k: v.value}


def _annotation_trees(anns: List[Annotation], nodes: _Nodes) -> Optional[List[Tree]]:
    if not anns:
        return None  # the reference leaves an empty annotation list null
    out: List[Tree] = []
    for a in anns:
        decl = nodes.get(a.id)
        atype = decl.type if decl is not None else None
        if atype is not None:
            atype = bind_type(atype, a.brand)  # $G(Text).a: the value is Text
        # The reference always gives an annotation a brand, if only an empty one.
        brand = _brand_tree(a.brand)
        out.append({"id": a.id, "value": _value_tree(a.value, atype),
                    "brand": brand if brand is not None else {}})
    return out


def _field_tree(f: Field, nodes: _Nodes) -> Tree:
    tree: Tree = {"name": f.name, "codeOrder": f.code_order,
                  "annotations": _annotation_trees(f.annotations, nodes),
                  "discriminantValue": f.discriminant_value}
    if f.which == "group":
        tree["group"] = {"typeId": f.group_type_id}
    else:
        assert f.type is not None
        tree["slot"] = {"offset": f.offset, "type": _type_tree(f.type),
                        "defaultValue": _value_tree(f.default_value, f.type),
                        "hadExplicitDefault": f.had_explicit_default}
    tree["ordinal"] = {"implicit": None} if f.ordinal is None else {"explicit": f.ordinal}
    return tree


def _method_tree(m: Method, nodes: _Nodes) -> Tree:
    tree: Tree = {"name": m.name, "codeOrder": m.code_order,
                  "implicitParameters": [{"name": p} for p in m.implicit_parameters],
                  "paramStructType": m.param_struct_type,
                  "resultStructType": m.result_struct_type,
                  "annotations": _annotation_trees(m.annotations, nodes)}
    for key, brand in (("paramBrand", m.param_brand), ("resultBrand", m.result_brand)):
        b = _brand_tree(brand)
        if b is not None:
            tree[key] = b
    return tree


def _node_tree(n: Node, nodes: _Nodes, meta: _Meta) -> Tree:
    tree: Tree = {
        "id": n.id, "displayName": n.display_name,
        "displayNamePrefixLength": n.display_name_prefix_length, "scopeId": n.scope_id,
        "nestedNodes": [{"name": x.name, "id": x.id} for x in n.nested_nodes],
        "annotations": _annotation_trees(n.annotations, nodes),
        "parameters": [{"name": p} for p in n.parameters] if n.parameters else None,
        "isGeneric": n.is_generic,
    }
    if n.which == "struct" and (n.is_group or n.scope_id == 0):
        # Groups and method parameter structs are not declarations: the
        # reference leaves their nested node list null.
        tree["nestedNodes"] = None
    k = n.which
    if k == "file":
        tree["file"] = None
    elif k == "struct":
        encodings = meta.enum_names("ElementSize")
        tree["struct"] = {
            "dataWordCount": n.data_word_count, "pointerCount": n.pointer_count,
            "preferredListEncoding": encodings.index(n.preferred_list_encoding),
            "isGroup": n.is_group, "discriminantCount": n.discriminant_count,
            "discriminantOffset": n.discriminant_offset,
            "fields": [_field_tree(f, nodes) for f in n.fields] if n.fields else None,
        }
    elif k == "enum":
        tree["enum"] = {"enumerants": [
            {"name": e.name, "codeOrder": e.code_order,
             "annotations": _annotation_trees(e.annotations, nodes)} for e in n.enumerants]}
    elif k == "interface":
        supers: List[Tree] = []
        for s in n.superclasses:
            st: Tree = {"id": s.id}
            b = _brand_tree(s.brand)
            if b is not None:
                st["brand"] = b
            supers.append(st)
        tree["interface"] = {"methods": [_method_tree(m, nodes) for m in n.methods],
                             "superclasses": supers}
    elif k == "const":
        assert n.type is not None
        tree["const"] = {"type": _type_tree(n.type), "value": _value_tree(n.value, n.type)}
    elif k == "annotation":
        assert n.type is not None
        ann: Tree = {"type": _type_tree(n.type)}
        for target in _TARGETS:
            ann["targets" + target[0].upper() + target[1:]] = target in n.targets
        tree["annotation"] = ann
    else:
        raise EncodeError(f"unknown node kind {k!r}")
    return tree


# Annotation targets in schema.capnp order.
_TARGETS = ("file", "const", "enum", "enumerant", "struct", "field", "union", "group",
            "interface", "method", "param", "annotation")


def request_to_bytes(req: CodeGeneratorRequest) -> bytes:
    """The request as one framed message, as ``capnp compile -o-`` writes it."""
    meta = _meta()
    nodes = {n.id: n for n in req.nodes}
    major, minor, micro = req.capnp_version
    tree: Tree = {
        "capnpVersion": {"major": major, "minor": minor, "micro": micro},
        "nodes": [_node_tree(n, nodes, meta) for n in req.nodes],
        "requestedFiles": [
            {"id": f.id, "filename": f.filename,
             "imports": [{"id": i, "name": name} for i, name in f.imports]}
            for f in req.requested_files
        ],
    }
    # Values are typed by the request's nodes; the request itself by schema.capnp's.
    mb = MessageBuilder()
    root_node = meta.struct("CodeGeneratorRequest")
    root = mb.init_root(root_node.data_word_count, root_node.pointer_count)
    _MixedWriter(meta.nodes, nodes).struct(root, root_node, tree)
    return encode_message(mb.segments())


class _MixedWriter(_Writer):
    """Writes the request with schema.capnp's layouts and ``Typed`` values with the user's."""

    def __init__(self, meta_nodes: _Nodes, user_nodes: _Nodes) -> None:
        super().__init__(meta_nodes)
        self.user = _Writer(user_nodes)

    def pointer(self, parent: _Parent, index: int, t: Type, value: Any) -> None:
        if isinstance(value, Typed):
            self.user.pointer(parent, index, value.type, value.value)
        else:
            super().pointer(parent, index, t, value)


# -- tree -> model ------------------------------------------------------------------

def _which(tree: Tree, node: Node) -> str:
    """The active union member of a tree read from ``node``."""
    for f in node.fields:
        if f.discriminant_value != NO_DISCRIMINANT and f.name in tree:
            return f.name
    raise DecodeError(f"{node.display_name}: no union member is set")


class _ModelBuilder:
    """Turns trees read with schema.capnp's layout into model objects."""

    def __init__(self, meta: _Meta) -> None:
        self.meta = meta
        # Values of pointer type wait here until every node (their types) is known.
        self.pending: List[Tuple[Value, Type, AnyPointerReader]] = []

    def brand(self, tree: Optional[Tree]) -> Brand:
        if tree is None:
            return Brand()
        scopes: List[BrandScope] = []
        for s in tree.get("scopes", []):
            if "bind" in s:
                binds = [BrandBinding(self.type(b["type"]) if "type" in b else None)
                         for b in s["bind"]]
                scopes.append(BrandScope(s["scopeId"], binds))
            else:
                scopes.append(BrandScope(s["scopeId"], None, True))
        return Brand(scopes)

    def type(self, tree: Optional[Tree]) -> Type:
        if tree is None:
            return Type("void")
        k = _which(tree, self.meta.struct("Type"))
        t = Type(k)
        inner = tree[k]
        if k == "list":
            t.element_type = self.type(inner.get("elementType"))
        elif k in ("enum", "struct", "interface"):
            t.type_id = inner["typeId"]
            t.brand = self.brand(inner.get("brand"))
        elif k == "anyPointer":
            kind = _which(inner, self.meta.struct("Type.anyPointer"))
            t.any_kind = kind
            detail = inner[kind]
            if kind == "unconstrained":
                t.constraint = _which(detail, self.meta.struct("Type.anyPointer.unconstrained"))
            else:
                t.scope_id = detail.get("scopeId", 0)
                t.parameter_index = detail["parameterIndex"]
        return t

    def value(self, tree: Optional[Tree], t: Optional[Type]) -> Value:
        if tree is None:
            return Value("void")
        k = _which(tree, self.meta.struct("Value"))
        raw = tree[k]
        v = Value(k, raw)
        if k in ("list", "struct", "anyPointer"):
            v.value = None
            if isinstance(raw, AnyPointerReader) and t is not None and k != "anyPointer":
                self.pending.append((v, t, raw))
        elif k == "interface":
            v.value = None
        return v

    def annotations(self, trees: List[Tree], types: Dict[int, Type]) -> List[Annotation]:
        out: List[Annotation] = []
        for a in trees:
            brand = self.brand(a.get("brand"))
            atype = types.get(a["id"])
            if atype is not None:
                atype = bind_type(atype, brand)  # $G(Text).a: the value is Text
            out.append(Annotation(a["id"], self.value(a.get("value"), atype), brand))
        return out

    def node(self, tree: Tree, types: Dict[int, Type]) -> Node:
        k = _which(tree, self.meta.struct("Node"))
        n = Node(tree["id"], tree.get("displayName", ""), k)
        n.display_name_prefix_length = tree["displayNamePrefixLength"]
        n.scope_id = tree["scopeId"]
        n.nested_nodes = [NestedNode(x.get("name", ""), x["id"])
                          for x in tree.get("nestedNodes", [])]
        n.annotations = self.annotations(tree.get("annotations", []), types)
        n.parameters = [p.get("name", "") for p in tree.get("parameters", [])]
        n.is_generic = tree["isGeneric"]
        body = tree[k]
        if k == "struct":
            n.data_word_count = body["dataWordCount"]
            n.pointer_count = body["pointerCount"]
            encodings = self.meta.enum_names("ElementSize")
            code = body["preferredListEncoding"]
            if not 0 <= code < len(encodings):
                raise DecodeError(f"unknown list encoding {code}")
            n.preferred_list_encoding = encodings[code]
            n.is_group = body["isGroup"]
            n.discriminant_count = body["discriminantCount"]
            n.discriminant_offset = body["discriminantOffset"]
            n.fields = [self.field(f, types) for f in body.get("fields", [])]
        elif k == "enum":
            n.enumerants = [Enumerant(e.get("name", ""), e["codeOrder"],
                                      self.annotations(e.get("annotations", []), types))
                            for e in body.get("enumerants", [])]
        elif k == "interface":
            n.methods = [self.method(m, types) for m in body.get("methods", [])]
            n.superclasses = [Superclass(s["id"], self.brand(s.get("brand")))
                              for s in body.get("superclasses", [])]
        elif k == "const":
            n.type = self.type(body.get("type"))
            n.value = self.value(body.get("value"), n.type)
        elif k == "annotation":
            n.type = self.type(body.get("type"))
            n.targets = [t for t in _TARGETS if body["targets" + t[0].upper() + t[1:]]]
        return n

    def field(self, tree: Tree, types: Dict[int, Type]) -> Field:
        f = Field(tree.get("name", ""), tree["codeOrder"])
        f.annotations = self.annotations(tree.get("annotations", []), types)
        f.discriminant_value = tree["discriminantValue"]
        if "group" in tree:
            f.which = "group"
            f.group_type_id = tree["group"]["typeId"]
        else:
            slot = tree["slot"]
            f.offset = slot["offset"]
            f.type = self.type(slot.get("type"))
            f.default_value = self.value(slot.get("defaultValue"), f.type)
            f.had_explicit_default = slot["hadExplicitDefault"]
        ordinal = tree.get("ordinal", {})
        f.ordinal = ordinal.get("explicit")
        return f

    def method(self, tree: Tree, types: Dict[int, Type]) -> Method:
        m = Method(tree.get("name", ""), tree["codeOrder"])
        m.implicit_parameters = [p.get("name", "") for p in tree.get("implicitParameters", [])]
        m.param_struct_type = tree["paramStructType"]
        m.param_brand = self.brand(tree.get("paramBrand"))
        m.result_struct_type = tree["resultStructType"]
        m.result_brand = self.brand(tree.get("resultBrand"))
        m.annotations = self.annotations(tree.get("annotations", []), types)
        return m


def _annotation_types(trees: List[Tree], builder: _ModelBuilder) -> Dict[int, Type]:
    """The value type of every annotation declared in the request, by ID."""
    out: Dict[int, Type] = {}
    for t in trees:
        body = t.get("annotation")
        if isinstance(body, dict):
            out[t["id"]] = builder.type(body.get("type"))
    return out


def request_from_bytes(data: bytes) -> CodeGeneratorRequest:
    """Read a framed ``CodeGeneratorRequest`` (``capnp compile -o-`` output) into the model.

    Malformed input raises :class:`~capnp_lite.errors.DecodeError`.
    """
    meta = _meta()
    segments = decode_message(data)
    reader = MessageReader(segments, nesting_limit=_READ_NESTING_LIMIT)
    root_node = meta.struct("CodeGeneratorRequest")
    try:
        tree = _Reader(meta.nodes).struct(reader.root(), root_node)
        builder = _ModelBuilder(meta)
        node_trees: List[Tree] = tree.get("nodes", [])
        types = _annotation_types(node_trees, builder)
        nodes = [builder.node(t, types) for t in node_trees]
        user = _Reader({n.id: n for n in nodes})
        for value, t, pointer in builder.pending:
            value.value = user.pointer(pointer, t, as_value=True)
        files = [RequestedFile(f["id"], f.get("filename", ""),
                               [(i["id"], i.get("name", "")) for i in f.get("imports", [])])
                 for f in tree.get("requestedFiles", [])]
        version = tree.get("capnpVersion", {})
        return CodeGeneratorRequest(
            nodes, files,
            (version.get("major", 0), version.get("minor", 0), version.get("micro", 0)))
    except (KeyError, TypeError, AttributeError) as e:
        raise DecodeError(f"malformed CodeGeneratorRequest: {e!r}") from None

