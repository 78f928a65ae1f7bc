"""Per-type tables the dynamic API reads from: built once per (node, brand).

A :class:`StructSchema` holds, for every field, everything an accessor needs
(kind, offset, default, discriminant, resolved nested type), so a field read
is one dict lookup plus one wire call.  Generic parameters are resolved here:
a :class:`Bindings` maps a generic scope's node id to the types bound to its
parameters, and a field whose type is a parameter gets the bound type (or
AnyPointer when unbound).
"""

from __future__ import annotations

import struct as _struct
from typing import Any, Dict, List, Optional, Tuple

from ..errors import SchemaError
from ..schema.model import NO_DISCRIMINANT, Brand, CodeGeneratorRequest, Field, Node, Type

__all__ = [
    "TypeInfo",
    "FieldInfo",
    "StructSchema",
    "EnumSchema",
    "InterfaceSchema",
    "SchemaLoader",
    "Bindings",
    "DATA_KINDS",
]

# bits per data-section value, by kind
DATA_KINDS: Dict[str, int] = {
    "void": 0,
    "bool": 1,
    "int8": 8,
    "uint8": 8,
    "int16": 16,
    "uint16": 16,
    "enum": 16,
    "int32": 32,
    "uint32": 32,
    "float32": 32,
    "int64": 64,
    "uint64": 64,
    "float64": 64,
}

Bindings = Dict[int, Tuple[Optional["TypeInfo"], ...]]


class TypeInfo:
    """A type with generic parameters already substituted."""

    __slots__ = ("kind", "element", "node_id", "bindings", "loader", "key", "_schema")

    def __init__(
        self,
        kind: str,
        loader: "SchemaLoader",
        element: Optional["TypeInfo"] = None,
        node_id: int = 0,
        bindings: Optional[Bindings] = None,
    ) -> None:
        self.kind = kind  # schema.Type kind: "int32", "text", "list", "struct", ...
        self.element = element  # element type of a list
        self.node_id = node_id  # struct / enum / interface node
        self.bindings: Bindings = bindings or {}  # brand of a struct or interface
        self.loader = loader
        self.key = _type_key(self)  # identity for caching schemas per brand
        self._schema: Any = None

    @property
    def struct(self) -> "StructSchema":
        if self._schema is None:
            self._schema = self.loader.struct_schema(self.node_id, self.bindings)
        assert isinstance(self._schema, StructSchema)
        return self._schema

    @property
    def enum(self) -> "EnumSchema":
        if self._schema is None:
            self._schema = self.loader.enum_schema(self.node_id)
        assert isinstance(self._schema, EnumSchema)
        return self._schema

    def __repr__(self) -> str:
        return f"TypeInfo({self.key})"


def _type_key(t: TypeInfo) -> str:
    if t.kind == "list":
        assert t.element is not None
        return f"List({t.element.key})"
    if t.kind in ("struct", "enum", "interface"):
        if not t.bindings:
            return f"{t.kind}:{t.node_id:x}"
        parts = []
        for scope in sorted(t.bindings):
            bound = ",".join("*" if b is None else b.key for b in t.bindings[scope])
            parts.append(f"{scope:x}[{bound}]")
        return f"{t.kind}:{t.node_id:x}<{';'.join(parts)}>"
    return t.kind


class FieldInfo:
    """One field of a struct, precomputed for fast access."""

    __slots__ = (
        "name",
        "index",
        "kind",
        "type",
        "offset",
        "bits",
        "default",
        "default_bits",
        "discriminant",
        "group",
        "is_pointer",
        "proto",
        "_default_message",
    )

    def __init__(self, name: str, index: int, proto: Field) -> None:
        self.name = name
        self.index = index  # position in the node's field list (ordinal order)
        self.kind = "group"  # the type kind, or "group"
        self.type: Optional[TypeInfo] = None  # resolved type of a slot
        self.offset = 0  # slot offset in units of the value's size (pointer index)
        self.bits = 0  # data size in bits (0 for void and pointers)
        self.default: Any = None  # default in model form (str, bytes, list, StructValue...)
        self.default_bits = 0  # XOR mask for data fields, as an unsigned int
        self.discriminant = proto.discriminant_value  # NO_DISCRIMINANT when not in a union
        self.group: Optional[StructSchema] = None  # schema of a group field
        self.is_pointer = False
        self.proto = proto  # the schema.Field it came from
        self._default_message: Any = None  # cached reader of a pointer default

    @property
    def in_union(self) -> bool:
        return self.discriminant != NO_DISCRIMINANT

    def __repr__(self) -> str:
        return f"<field {self.name}: {self.kind}>"


def _default_bits(kind: str, value: Any) -> int:
    """The raw unsigned bits of a data default (for XOR on read and write)."""
    if value is None:
        return 0
    if kind == "bool":
        return 1 if value else 0
    if kind == "float32":
        bits: int = _struct.unpack("<I", _struct.pack("<f", float(value)))[0]
        return bits
    if kind == "float64":
        bits = _struct.unpack("<Q", _struct.pack("<d", float(value)))[0]
        return bits
    width = DATA_KINDS[kind]
    if width == 0:
        return 0
    return int(value) & ((1 << width) - 1)


class StructSchema:
    """Field tables of a struct or group node under one brand."""

    __slots__ = (
        "node",
        "loader",
        "bindings",
        "fields",
        "fields_list",
        "union_fields",
        "non_union_fields",
        "union_by_discriminant",
        "discriminant_offset",
        "data_words",
        "pointer_count",
        "name",
        "fieldnames",
        "union_fieldnames",
        "non_union_fieldnames",
    )

    def __init__(self, node: Node, loader: "SchemaLoader", bindings: Bindings) -> None:
        self.node = node
        self.loader = loader
        self.bindings = bindings
        self.name = node.short_name
        self.data_words = node.data_word_count
        self.pointer_count = node.pointer_count
        self.discriminant_offset = node.discriminant_offset  # in 16-bit units
        self.fields_list: List[FieldInfo] = []
        self.fields: Dict[str, FieldInfo] = {}
        self.union_fields: List[FieldInfo] = []
        self.non_union_fields: List[FieldInfo] = []
        self.union_by_discriminant: Dict[int, FieldInfo] = {}
        self.fieldnames: Tuple[str, ...] = ()
        self.union_fieldnames: Tuple[str, ...] = ()
        self.non_union_fieldnames: Tuple[str, ...] = ()

    def _build(self) -> None:
        for index, proto in enumerate(self.node.fields):
            info = FieldInfo(proto.name, index, proto)
            if proto.which == "group":
                info.kind = "group"
                info.group = self.loader.struct_schema(proto.group_type_id, self.bindings)
            else:
                assert proto.type is not None
                t = self.loader.resolve(proto.type, self.bindings)
                info.type = t
                info.kind = t.kind
                info.offset = proto.offset
                info.bits = DATA_KINDS.get(t.kind, 0)
                info.is_pointer = t.kind not in DATA_KINDS
                dv = proto.default_value
                info.default = None if dv is None else dv.value
                if not info.is_pointer:
                    info.default_bits = _default_bits(t.kind, info.default)
            self.fields_list.append(info)
            self.fields[info.name] = info
            if info.in_union:
                self.union_fields.append(info)
                self.union_by_discriminant[info.discriminant] = info
            else:
                self.non_union_fields.append(info)
        self.fieldnames = tuple(f.name for f in self.fields_list)
        self.union_fieldnames = tuple(f.name for f in self.union_fields)
        self.non_union_fieldnames = tuple(f.name for f in self.non_union_fields)

    @property
    def has_union(self) -> bool:
        return self.node.discriminant_count > 0

    def __repr__(self) -> str:
        return f"<schema {self.node.display_name}>"


class EnumSchema:
    __slots__ = ("node", "names", "by_name")

    def __init__(self, node: Node) -> None:
        self.node = node
        self.names: List[str] = [e.name for e in node.enumerants]  # by ordinal
        self.by_name: Dict[str, int] = {name: i for i, name in enumerate(self.names)}

    @property
    def enumerants(self) -> Dict[str, int]:
        return dict(self.by_name)


class InterfaceSchema:
    __slots__ = ("node",)

    def __init__(self, node: Node) -> None:
        self.node = node


class SchemaLoader:
    """Every node of a compiled request, by id, with schema tables built on demand."""

    def __init__(self, nodes: List[Node]) -> None:
        self.nodes: Dict[int, Node] = {n.id: n for n in nodes}
        self._structs: Dict[Tuple[int, str], StructSchema] = {}
        self._enums: Dict[int, EnumSchema] = {}

    @classmethod
    def from_request(cls, request: CodeGeneratorRequest) -> "SchemaLoader":
        return cls(list(request.nodes))

    def node(self, node_id: int) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise SchemaError(f"unknown schema node @0x{node_id:016x}") from None

    def struct_schema(self, node_id: int, bindings: Optional[Bindings] = None) -> StructSchema:
        bindings = bindings or {}
        node = self.node(node_id)
        if node.which != "struct":
            raise SchemaError(f"{node.display_name} is not a struct")
        relevant = self._relevant_bindings(node, bindings)
        key = (node_id, _bindings_key(relevant))
        cached = self._structs.get(key)
        if cached is not None:
            return cached
        schema = StructSchema(node, self, relevant)
        self._structs[key] = schema  # before building: recursive types refer to themselves
        schema._build()
        return schema

    def enum_schema(self, node_id: int) -> EnumSchema:
        cached = self._enums.get(node_id)
        if cached is None:
            node = self.node(node_id)
            if node.which != "enum":
                raise SchemaError(f"{node.display_name} is not an enum")
            cached = EnumSchema(node)
            self._enums[node_id] = cached
        return cached

    def struct_type(self, node_id: int) -> TypeInfo:
        return TypeInfo("struct", self, node_id=node_id)

    def _relevant_bindings(self, node: Node, bindings: Bindings) -> Bindings:
        """Keep only the bindings of scopes that enclose ``node`` (its generic parents)."""
        if not bindings:
            return {}
        scopes = set()
        current: Optional[Node] = node
        while current is not None:
            scopes.add(current.id)
            current = self.nodes.get(current.scope_id) if current.scope_id else None
        return {k: v for k, v in bindings.items() if k in scopes}

    def resolve(self, t: Type, bindings: Bindings) -> TypeInfo:
        """Substitute generic parameters in a schema type."""
        kind = t.which
        if kind == "list":
            assert t.element_type is not None
            return TypeInfo("list", self, element=self.resolve(t.element_type, bindings))
        if kind == "anyPointer":
            if t.any_kind == "parameter":
                bound = bindings.get(t.scope_id)
                if bound is not None and t.parameter_index < len(bound):
                    resolved = bound[t.parameter_index]
                    if resolved is not None:
                        return resolved
            return TypeInfo("anyPointer", self)
        if kind in ("struct", "interface"):
            return TypeInfo(kind, self, node_id=t.type_id, bindings=self._brand(t.brand, bindings))
        if kind == "enum":
            return TypeInfo("enum", self, node_id=t.type_id)
        return TypeInfo(kind, self)

    def _brand(self, brand: Brand, outer: Bindings) -> Bindings:
        result: Bindings = {}
        for scope in brand.scopes:
            if scope.inherit:
                inherited = outer.get(scope.scope_id)
                if inherited is not None:
                    result[scope.scope_id] = inherited
            elif scope.bind is not None:
                result[scope.scope_id] = tuple(
                    None if b.type is None else self.resolve(b.type, outer) for b in scope.bind
                )
        return result


def _bindings_key(bindings: Bindings) -> str:
    parts = []
    for scope in sorted(bindings):
        bound = ",".join("*" if b is None else b.key for b in bindings[scope])
        parts.append(f"{scope:x}[{bound}]")
    return ";".join(parts)
