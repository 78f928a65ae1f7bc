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
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Protocol, Sequence, Set, Tuple, Union

from ..errors import SchemaError, UsageError
from ..schema.model import NO_DISCRIMINANT, Brand, CodeGeneratorRequest, Field, Node, Type
from ..wire.layout import StructBuilder, StructReader
from ..wire.pointers import ELEM_COMPOSITE, ELEM_POINTER
from ..wire.segments import TRUSTED_NESTING_LIMIT, TRUSTED_TRAVERSAL_LIMIT_IN_WORDS
from .values import EnumValue, UnionTag

if TYPE_CHECKING:
    from .builder import _DynamicStructBuilder
    from .reader import _DynamicStructReader

__all__ = [
    "TypeInfo",
    "FieldInfo",
    "StructSchema",
    "EnumSchema",
    "InterfaceSchema",
    "MethodSchema",
    "SchemaLoader",
    "Bindings",
    "DATA_KINDS",
    "element_size_of",
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

# Layout accessor suffix of each data kind (enums are stored as UInt16).
_ACCESSOR: Dict[str, str] = {
    "bool": "bool",
    "int8": "int8",
    "uint8": "uint8",
    "int16": "int16",
    "uint16": "uint16",
    "enum": "uint16",
    "int32": "int32",
    "uint32": "uint32",
    "float32": "float32",
    "int64": "int64",
    "uint64": "uint64",
    "float64": "float64",
}
# Wire element size code of a list of each data kind.
_DATA_ELEMENT_SIZE: Dict[str, int] = {"void": 0, "bool": 1}
_DATA_ELEMENT_SIZE.update(
    {k: {8: 2, 16: 3, 32: 4, 64: 5}[b] for k, b in DATA_KINDS.items() if b > 1}
)


class _Kinded(Protocol):
    kind: str


def element_size_of(t: _Kinded) -> int:
    """The element size code a list of ``t`` (a type with a schema.Type ``kind``: ours, or
    the RPC layer's) is written with."""
    code = _DATA_ELEMENT_SIZE.get(t.kind)
    if code is not None:
        return code
    return ELEM_COMPOSITE if t.kind == "struct" else ELEM_POINTER


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

    @property
    def elementType(self) -> Any:
        """For a list type (a list field's ``schema``), the element's schema, as pycapnp's
        ``_ListSchema.elementType`` gives it."""
        if self.kind != "list":
            raise UsageError(f"{self.key} is not a list type: it has no element type")
        from .types import _ListSchema

        return _ListSchema.of_type(self).elementType

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
        "model",
        "owner",
        "read",
        "write",
        "wire_default",
        "_default_message",
        "tag",
    )

    def __init__(self, name: str, index: int, proto: Field, owner: "StructSchema") -> None:
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
        self.model = proto  # the compiler's Field it came from
        self.owner = owner  # the struct (or group) it is a field of
        self.read: Any = None  # layout getter of a data field: read(view, offset, default)
        self.write: Any = None  # layout setter of a data field: write(builder, offset, value, default)
        self.wire_default: Any = None  # the default in the form the layout XORs in
        self._default_message: Any = None  # cached layout reader of a pointer default
        # What ``which`` reads as when this union member is active (made once).
        self.tag: Optional[UnionTag] = (
            UnionTag(name, proto.discriminant_value) if self.in_union else None
        )

    @property
    def in_union(self) -> bool:
        return self.discriminant != NO_DISCRIMINANT

    @property
    def proto(self) -> Any:
        """The field as pycapnp gives it: a dynamic reader of ``schema.capnp``'s ``Field``
        (``proto.slot.type.which``, ``proto.annotations``...); ``model`` is the compiler's."""
        return self.owner.node.struct.fields[self.index]

    @property
    def schema(self) -> Any:
        """The schema of this field's type, as pycapnp's ``field.schema``: a
        :class:`StructSchema` (a group's too), :class:`EnumSchema` or
        :class:`InterfaceSchema`; for a list, its :class:`TypeInfo` (``element`` is the
        element type).  Other types have none (UsageError, as pycapnp raises)."""
        if self.group is not None:
            return self.group
        t = self.type
        if t is not None:
            if t.kind == "struct":
                return t.struct
            if t.kind == "enum":
                return t.enum
            if t.kind == "interface":
                return t.loader.interface_schema(t.node_id, t.bindings)
            if t.kind == "list":
                return t
        raise UsageError(f"field {self.name} is a {self.kind}: its type has no schema")

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


def _bind_accessors(info: FieldInfo) -> None:
    """Pick the layout getter and setter of a data field, and its default's form."""
    suffix = _ACCESSOR.get(info.kind)
    if suffix is None:  # void
        return
    info.read = getattr(StructReader, "get_" + suffix)
    info.write = getattr(StructBuilder, "set_" + suffix)
    value = info.default
    if info.kind == "bool":
        info.wire_default = bool(value)
    elif info.kind in ("float32", "float64"):
        info.wire_default = 0.0 if value is None else float(value)
    else:
        info.wire_default = 0 if value is None else int(value)


# builder.new_builder, bound on first use (builder imports this module).
_new_builder: Any = None


class _Kinds:
    """pycapnp's ``_Schema`` methods on every schema: ``as_struct()`` and the like give the
    schema itself when it is of that kind and fail otherwise."""

    __slots__ = ()
    model: Node  # the compiler's node (snake_case names)
    loader: Optional["SchemaLoader"]  # the tables it came from (an EnumSchema may have none)

    def get_proto(self) -> Any:
        """The node as pycapnp's ``get_proto()`` gives it (see :class:`NodeReader`), read
        from the node as ``capnp compile -o-`` writes it."""
        if self.loader is None:
            raise SchemaError(f"{self.model.display_name} was made without a loader: no proto")
        return self.loader.proto(self.model.id)

    @property
    def node(self) -> Any:
        """The node as pycapnp gives it: a dynamic reader of ``schema.capnp``'s ``Node``
        (camelCase names: ``node.displayName``, ``node.annotations``, ``node.struct.fields``),
        read from the node as ``capnp compile -o-`` writes it.  ``model`` is the compiler's
        own form of it, which capnp_lite reads internally."""
        return self.get_proto().node

    def _not(self, kind: str) -> SchemaError:
        return SchemaError(f"{self.model.display_name} is not {kind}")

    def as_struct(self) -> "StructSchema":
        raise self._not("a struct")

    def as_enum(self) -> "EnumSchema":
        raise self._not("an enum")

    def as_interface(self) -> "InterfaceSchema":
        raise self._not("an interface")

    def as_const_value(self) -> Any:
        raise self._not("a constant")


class StructSchema(_Kinds):
    """Field tables of a struct or group node under one brand.

    Besides the tables it offers the hooks the RPC layer builds on:
    :meth:`new_message`, :meth:`wrap_reader` and :meth:`write_into`.
    """

    loader: "SchemaLoader"  # (always one here)
    __slots__ = (
        "model",
        "loader",
        "bindings",
        "fields",
        "fields_list",
        "union_infos",
        "non_union_infos",
        "union_by_discriminant",
        "discriminant_offset",
        "data_words",
        "pointer_count",
        "name",
        "fieldnames",
        "union_fields",
        "non_union_fields",
        "reader_cls",
        "builder_cls",
        "root_template",
        "element_plan",
    )

    def __init__(self, node: Node, loader: "SchemaLoader", bindings: Bindings) -> None:
        self.model = node
        self.loader = loader
        self.bindings = bindings
        self.name = node.short_name
        self.data_words = node.data_word_count
        self.pointer_count = node.pointer_count
        self.discriminant_offset = node.discriminant_offset  # in 16-bit units
        self.fields_list: List[FieldInfo] = []
        self.fields: Dict[str, FieldInfo] = {}
        # The fields in and out of the union, as field objects and (pycapnp's) as names.
        self.union_infos: List[FieldInfo] = []
        self.non_union_infos: List[FieldInfo] = []
        self.union_by_discriminant: Dict[int, FieldInfo] = {}
        self.fieldnames: Tuple[str, ...] = ()
        self.union_fields: Tuple[str, ...] = ()
        self.non_union_fields: Tuple[str, ...] = ()
        # Per-schema subclasses of the dynamic reader and builder whose fields are
        # properties (one call per access instead of __getattr__); made on first use.
        self.reader_cls: Optional[type] = None
        self.builder_cls: Optional[type] = None
        # A new message's first segment and its frame header, () when a new
        # message is built in a MessageBuilder from the start (see builder.py).
        self.root_template: Optional[Tuple[Any, ...]] = None
        # How new list elements of this struct wait to be laid out (see batch.py):
        # None until first needed, False when they are written eagerly.
        self.element_plan: Any = None

    def _build(self) -> None:
        for index, proto in enumerate(self.model.fields):
            info = FieldInfo(proto.name, index, proto, self)
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
                    _bind_accessors(info)
            self.fields_list.append(info)
            self.fields[info.name] = info
            if info.in_union:
                self.union_infos.append(info)
                self.union_by_discriminant[info.discriminant] = info
            else:
                self.non_union_infos.append(info)
        self.fieldnames = tuple(f.name for f in self.fields_list)
        self.union_fields = tuple(f.name for f in self.union_infos)
        self.non_union_fields = tuple(f.name for f in self.non_union_infos)

    @property
    def has_union(self) -> bool:
        return self.model.discriminant_count > 0

    @property
    def id(self) -> int:
        return self.model.id

    def as_struct(self) -> "StructSchema":
        return self

    def new_message(self, **fields: Any) -> "_DynamicStructBuilder":
        """A builder of a new message whose root is this struct."""
        global _new_builder
        if _new_builder is None:
            from .builder import new_builder  # a cycle at import time; resolved once

            _new_builder = new_builder
        builder: "_DynamicStructBuilder" = _new_builder(self)
        if fields:
            builder._set_fields(fields)
        return builder

    def wrap_reader(
        self, reader: StructReader, caps: Optional[Sequence[object]] = None
    ) -> "_DynamicStructReader":
        """A dynamic reader over ``reader``, a struct inside any message.

        Capability fields resolve through ``caps`` (the message's capability
        table) by the pointer's index; without ``caps`` they raise DecodeError.
        """
        from .reader import make_reader

        return make_reader(self, reader, caps)

    def write_into(
        self, builder: StructBuilder, value: Any, caps: List[object]
    ) -> None:
        """Copy ``value`` (a dynamic builder or reader of this struct) into ``builder``.

        ``builder`` is a struct of another message, at least this struct's
        size (``init_struct(i, schema.data_words, schema.pointer_count)``).
        Capabilities of ``value`` are appended to ``caps`` and written as
        capability pointers with their new index.
        """
        from .builder import write_struct_into

        write_struct_into(builder, value, caps)

    def __repr__(self) -> str:
        return f"<schema {self.model.display_name}>"


class EnumSchema(_Kinds):
    __slots__ = ("model", "names", "by_name", "values", "loader")

    def as_enum(self) -> "EnumSchema":
        return self

    def __init__(self, node: Node, loader: Optional["SchemaLoader"] = None) -> None:
        self.model = node
        self.loader = loader
        self.names: List[str] = [e.name for e in node.enumerants]  # by ordinal
        self.by_name: Dict[str, int] = {name: i for i, name in enumerate(self.names)}
        # What a field or list element reads as, by ordinal: one shared object each.
        self.values: List[EnumValue] = [EnumValue(n, i) for i, n in enumerate(self.names)]

    def value_of(self, raw: int) -> Union[EnumValue, int]:
        """The read form of ``raw``: its enumerant, or the int when the schema has no name for it."""
        values = self.values
        return values[raw] if 0 <= raw < len(values) else raw

    @property
    def enumerants(self) -> Dict[str, int]:
        return dict(self.by_name)


class MethodSchema:
    """One method of an interface: its ordinal and its parameter and result structs."""

    __slots__ = ("name", "ordinal", "interface", "param_type", "result_type")

    def __init__(
        self, name: str, ordinal: int, interface: "InterfaceSchema",
        param_type: "StructSchema", result_type: "StructSchema",
    ) -> None:
        self.name = name
        self.ordinal = ordinal  # the method id on the wire
        self.interface = interface  # the interface that declares it
        self.param_type = param_type
        self.result_type = result_type

    def __repr__(self) -> str:
        return f"<method {self.interface.name}.{self.name} @{self.ordinal}>"


class InterfaceSchema(_Kinds):
    """An interface: id, methods by name (with ordinals) and superclasses."""

    loader: "SchemaLoader"  # (always one here)
    __slots__ = ("model", "loader", "bindings", "_methods", "_superclasses")

    def as_interface(self) -> "InterfaceSchema":
        return self

    def __init__(self, node: Node, loader: "SchemaLoader", bindings: Bindings) -> None:
        self.model = node
        self.loader = loader
        self.bindings = bindings
        self._methods: Optional[Dict[str, MethodSchema]] = None
        self._superclasses: Optional[List[InterfaceSchema]] = None

    @property
    def id(self) -> int:
        return self.model.id

    @property
    def name(self) -> str:
        return self.model.short_name

    @property
    def methods(self) -> Dict[str, MethodSchema]:
        """Methods declared by this interface itself, by name, in ordinal order."""
        if self._methods is None:
            loader = self.loader
            out: Dict[str, MethodSchema] = {}
            for ordinal, m in enumerate(self.model.methods):
                params = loader.struct_schema(
                    m.param_struct_type, loader._brand(m.param_brand, self.bindings)
                )
                results = loader.struct_schema(
                    m.result_struct_type, loader._brand(m.result_brand, self.bindings)
                )
                out[m.name] = MethodSchema(m.name, ordinal, self, params, results)
            self._methods = out
        return self._methods

    @property
    def superclasses(self) -> List["InterfaceSchema"]:
        if self._superclasses is None:
            self._superclasses = [
                self.loader.interface_schema(sc.id, self.loader._brand(sc.brand, self.bindings))
                for sc in self.model.superclasses
            ]
        return self._superclasses

    def find_method(self, name: str) -> Optional[MethodSchema]:
        """``name`` in this interface or, depth first, in its superclasses."""
        found = self.methods.get(name)
        if found is not None:
            return found
        for sc in self.superclasses:
            found = sc.find_method(name)
            if found is not None:
                return found
        return None

    def all_methods(self) -> Dict[str, MethodSchema]:
        """Every callable method, inherited ones included (own methods win)."""
        out: Dict[str, MethodSchema] = {}
        for sc in reversed(self.superclasses):
            out.update(sc.all_methods())
        out.update(self.methods)
        return out

    # pycapnp's names for the same tables.

    @property
    def method_names(self) -> Tuple[str, ...]:
        """The names of this interface's own methods, in ordinal order."""
        return tuple(self.methods)

    @property
    def method_names_inherited(self) -> Set[str]:
        return set(self.all_methods())

    @property
    def methods_inherited(self) -> Dict[str, MethodSchema]:
        return self.all_methods()

    def __repr__(self) -> str:
        return f"<interface schema {self.model.display_name}>"


class ParsedSchema(_Kinds):
    """A node's schema as pycapnp's parser gives it (``_ParsedSchema``): a loaded file's own
    schema (its module's ``schema``) and what ``get_nested`` finds in it.  ``node`` is the
    node's ``Node`` reader (a file's annotations, nested nodes), with ``get_proto()``;
    ``as_struct()``, ``as_enum()``, ``as_interface()`` and ``as_const_value()`` give what the
    node is, and fail for what it is not."""

    loader: "SchemaLoader"  # (always one here)
    __slots__ = ("model", "loader")

    def __init__(self, node: Node, loader: "SchemaLoader") -> None:
        self.model = node
        self.loader = loader

    def get_nested(self, name: str) -> Any:
        """The declaration ``name`` nested in this node: a struct's, enum's or interface's
        schema, or (a constant, an annotation) its ParsedSchema."""
        for nested in self.model.nested_nodes:
            if nested.name == name:
                node = self.loader.node(nested.id)
                if node.which == "struct":
                    return self.loader.struct_schema(node.id)
                if node.which == "enum":
                    return self.loader.enum_schema(node.id)
                if node.which == "interface":
                    return self.loader.interface_schema(node.id)
                return ParsedSchema(node, self.loader)
        raise SchemaError(f"{self.model.display_name} has no nested declaration {name!r}")

    def as_const_value(self) -> Any:
        if self.model.which != "const":
            raise self._not("a constant")
        from . import _const_value  # (the dynamic package imports this module)

        return _const_value(self.loader, self.model)

    def __repr__(self) -> str:
        return f"<{self.model.which} schema {self.model.display_name}>"


class NodeReader:
    """pycapnp's ``_NodeReader``: ``id``, ``displayName``, ``scopeId``, ``nestedNodes``, the
    ``isStruct``/``isEnum``/``isInterface``/``isConst`` tests, and ``node``, the dynamic
    reader of ``schema.capnp``'s ``Node`` (what pycapnp's ``schema.node`` is); any other
    attribute is read from ``node`` as well."""

    __slots__ = ("node",)

    def __init__(self, node: Any) -> None:
        self.node = node

    def __getattr__(self, name: str) -> Any:
        return getattr(self.node, name)

    @property
    def isStruct(self) -> bool:
        return bool(self.node.which() == "struct")

    @property
    def isEnum(self) -> bool:
        return bool(self.node.which() == "enum")

    @property
    def isInterface(self) -> bool:
        return bool(self.node.which() == "interface")

    @property
    def isConst(self) -> bool:
        return bool(self.node.which() == "const")

    def __repr__(self) -> str:
        return f"<node reader {self.node.displayName}>"


# schema.capnp's module, loaded when a node's proto is first wanted.
_SCHEMA_CAPNP: Any = None


class SchemaLoader:
    """Every node of a compiled request, by id, with schema tables built on demand."""

    def __init__(self, nodes: List[Node]) -> None:
        self.nodes: Dict[int, Node] = {n.id: n for n in nodes}
        self._structs: Dict[Tuple[int, str], StructSchema] = {}
        self._enums: Dict[int, EnumSchema] = {}
        self._interfaces: Dict[Tuple[int, str], InterfaceSchema] = {}
        # The dynamic modules made for unpickling and SchemaParser lookups, by type id.
        self.modules: Dict[int, Any] = {}
        self._protos: Optional[Dict[int, Any]] = None  # see proto()

    def proto(self, node_id: int) -> Any:
        """Node ``node_id`` as pycapnp's ``schema.get_proto()`` gives it (see :class:`NodeReader`),
        as ``capnp compile -o-`` writes it.  The loader's nodes are encoded and read back once,
        on first use."""
        if self._protos is None:
            from ..schema.binary import request_to_bytes
            from . import load
            from ..resources import schema_dir

            global _SCHEMA_CAPNP
            if _SCHEMA_CAPNP is None:
                _SCHEMA_CAPNP = load(str(schema_dir() / "capnp" / "schema.capnp"))
            data = request_to_bytes(CodeGeneratorRequest(list(self.nodes.values()), []))
            # Our own encoding, read for as long as the loader lives: the trusted limits (C++
            # reads its schema nodes without one), else a program that reads protos again and
            # again would one day find its schemas refused.
            request = _SCHEMA_CAPNP.CodeGeneratorRequest.from_bytes(
                data, traversal_limit_in_words=TRUSTED_TRAVERSAL_LIMIT_IN_WORDS,
                nesting_limit=TRUSTED_NESTING_LIMIT)
            self._protos = {n.id: NodeReader(n) for n in request.nodes}
        return self._protos[node_id]

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
            cached = EnumSchema(node, self)
            self._enums[node_id] = cached
        return cached

    def interface_schema(
        self, node_id: int, bindings: Optional[Bindings] = None
    ) -> InterfaceSchema:
        node = self.node(node_id)
        if node.which != "interface":
            raise SchemaError(f"{node.display_name} is not an interface")
        relevant = self._relevant_bindings(node, bindings or {})
        key = (node_id, _bindings_key(relevant))
        cached = self._interfaces.get(key)
        if cached is None:
            cached = InterfaceSchema(node, self, relevant)
            self._interfaces[key] = cached
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
