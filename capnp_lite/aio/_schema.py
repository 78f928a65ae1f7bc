"""Schema access for the RPC layer: interfaces, methods, and struct views with a cap table.

The RPC layer reads params and results straight from ``wire.layout`` readers
and writes them into ``wire.layout`` builders, with capability pointers
mapped through a cap table.  Everything schema-specific the layer needs goes
through this module, so moving onto the dynamic API's own hooks later is a
change in one place.

Views differ from the dynamic API's readers in small ways: primitive lists
read as plain Python lists, and a null capability reads as a client whose
calls fail (as pycapnp's do) rather than None.  Enums and ``which`` read as
in the dynamic API.
"""

from __future__ import annotations

import base64
import math
import struct
from collections import OrderedDict

from typing import (Any, Callable, Collection, Dict, FrozenSet, Iterator, List, Optional, Sequence,
                    Tuple)

from ..dynamic.builder import _CapRemap, _copy_pointer, _copy_struct_body, _source_of
from ..dynamic.builder import _copy_list as _copy_dynamic_list
from ..dynamic.reader import _default_pointer, _DynamicObjectReader, resolve_cap
from ..dynamic.schema import Bindings, InterfaceSchema, _bindings_key, element_size_of
from ..dynamic.schema import SchemaLoader as DynamicLoader
from ..dynamic.schema import StructSchema as DynamicStruct
from ..dynamic.schema import TypeInfo as DynamicType
from ..dynamic.values import EnumValue, UnionTag
from ..errors import DecodeError, EncodeError, NoSuchFieldError, RpcError, UsageError
from ..rpc.codec import OutgoingContent
from ..schema.model import NO_DISCRIMINANT, Brand, Field, Node, Type
from ..wire.layout import (
    AnyPointerReader,
    ListBuilder,
    ListReader,
    StructBuilder,
    StructReader,
    pack_data_field,
    unpack_data_field,
)
from ..wire.pointers import (
    ELEM_BIT,
    ELEM_BYTE,
    ELEM_EIGHT_BYTES,
    ELEM_FOUR_BYTES,
    ELEM_POINTER,
    ELEM_TWO_BYTES,
    ELEM_VOID,
)

__all__ = [
    "MethodInfo",
    "InterfaceInfo",
    "interface_info",
    "StructView",
    "StructBuild",
    "ListBuild",
    "store_field",
    "store_fields",
    "STREAM_RESULT_ID",
]

STREAM_RESULT_ID = 0x995F9A3377C0B16E  # capnp/stream.capnp StreamResult: marks a streaming method

# struct-module letters per data kind, for bulk list access
_FORMATS: Dict[str, str] = {
    "bool": "?", "int8": "b", "uint8": "B", "int16": "h", "uint16": "H", "int32": "i",
    "uint32": "I", "int64": "q", "uint64": "Q", "float32": "f", "float64": "d", "enum": "H",
}
_ELEM_SIZES: Dict[str, int] = {
    "void": ELEM_VOID, "bool": ELEM_BIT, "int8": ELEM_BYTE, "uint8": ELEM_BYTE,
    "int16": ELEM_TWO_BYTES, "uint16": ELEM_TWO_BYTES, "enum": ELEM_TWO_BYTES,
    "int32": ELEM_FOUR_BYTES, "uint32": ELEM_FOUR_BYTES, "float32": ELEM_FOUR_BYTES,
    "int64": ELEM_EIGHT_BYTES, "uint64": ELEM_EIGHT_BYTES, "float64": ELEM_EIGHT_BYTES,
}
_FLOATS = ("float32", "float64")


# --- Schema tables ----------------------------------------------------------------------------------
# Kept here, over the compiler's node model, so the RPC layer reads and writes with
# flat tables of its own.  Generic types are bound as the dynamic API binds them
# (its loader resolves each branded type once, when a table is built): a struct
# or interface used with a brand gets tables of its own, where a parameter's
# fields have the bound type.  Unbound parameters read as AnyPointer.

_DATA_BITS: Dict[str, int] = {
    "void": 0, "bool": 1, "int8": 8, "uint8": 8, "int16": 16, "uint16": 16, "enum": 16,
    "int32": 32, "uint32": 32, "float32": 32, "int64": 64, "uint64": 64, "float64": 64,
}


class EnumInfo:
    __slots__ = ("names", "by_name")

    def __init__(self, node: Node) -> None:
        # Read values are the dynamic API's: the name (a str) that also equals its number.
        self.names: List[str] = [EnumValue(e.name, i) for i, e in enumerate(node.enumerants)]
        # Keyed by plain strings: a look-up by name compares in C, not through EnumValue.__eq__.
        self.by_name: Dict[str, int] = {e.name: i for i, e in enumerate(node.enumerants)}


class TypeInfo:
    """A field's type: its kind and, for lists and named types, what it refers to."""

    __slots__ = ("kind", "element", "node_id", "loader", "bindings", "_struct", "_enum", "iface")

    def __init__(self, kind: str, loader: "SchemaLoader", element: Optional["TypeInfo"] = None,
                 node_id: int = 0, bindings: Optional[Bindings] = None) -> None:
        self.kind = kind
        self.element = element
        self.node_id = node_id
        self.loader = loader
        # The brand of a struct or interface: generic scope id -> the types bound to its
        # parameters (None for one left unbound); empty when not generic.
        self.bindings: Bindings = bindings or {}
        # Looked up on first use (a type may name a struct still being built): every nested
        # access of a builder or view asks for it.
        self._struct: Optional[StructSchema] = None
        self._enum: Optional[EnumInfo] = None
        self.iface: Optional[InterfaceInfo] = None  # interface_of_type's answer, once asked

    @property
    def struct(self) -> "StructSchema":
        schema = self._struct
        if schema is None:
            schema = self._struct = self.loader.struct_schema(self.node_id, self.bindings)
        return schema

    @property
    def enum(self) -> EnumInfo:
        info = self._enum
        if info is None:
            info = self._enum = self.loader.enum_info(self.node_id)
        return info


# Packers of the scalar kinds a field with a zero default stores in one step (see FieldInfo.packer).
_PACKERS: Dict[str, struct.Struct] = {
    kind: struct.Struct("<" + fmt) for kind, fmt in _FORMATS.items() if kind not in ("bool", "enum")
}


_U16 = struct.Struct("<H")  # enums and union discriminants


_DEFAULTED_POINTERS = frozenset(("text", "data", "struct", "list"))


class FieldInfo:
    __slots__ = ("name", "kind", "type", "offset", "default", "discriminant", "group", "packer", "zero",
                 "tag", "pointer_default")

    def __init__(self, proto: Field, loader: "SchemaLoader", bindings: Bindings) -> None:
        self.name = proto.name
        self.discriminant = proto.discriminant_value
        # What ``which`` gives when this union member is active.
        self.tag = UnionTag(proto.name, proto.discriminant_value)
        self.group: Optional[StructSchema] = None
        self.type: Optional[TypeInfo] = None
        self.offset = proto.offset
        self.default: Any = None
        if proto.which == "group":
            self.kind = "group"
            self.group = loader.struct_schema(proto.group_type_id, bindings)
        else:
            assert proto.type is not None
            self.type = loader.type_info(proto.type, bindings)
            self.kind = self.type.kind
            if proto.default_value is not None and self.kind in _DATA_BITS:
                self.default = proto.default_value.value
        # A number field whose default is zero (all bits, so not -0.0) is stored as packed bytes.
        self.packer: Optional[struct.Struct] = _PACKERS.get(self.kind)
        if self.packer is not None and self.default is not None and (
                self.default != 0 or math.copysign(1.0, self.default) < 0):
            self.packer = None
        self.zero: Any = _zero(self.kind)  # what the field reads as beyond an older struct's data
        # A text, data, struct or list field with a default in the schema, which a null
        # pointer reads as (see StructView._read_default).
        self.pointer_default = self.kind in _DEFAULTED_POINTERS and proto.had_explicit_default

    @property
    def in_union(self) -> bool:
        return self.discriminant != NO_DISCRIMINANT


class StructSchema:
    """The fields of one struct (or group) node, by name and by union discriminant."""

    def __init__(self, node: Node, bindings: Optional[Bindings] = None) -> None:
        self.model = node
        self.bindings: Bindings = bindings or {}  # the brand its generic fields are read with
        self.name = node.display_name[node.display_name_prefix_length:]
        self.data_words = node.data_word_count
        self.pointer_count = node.pointer_count
        self.discriminant_offset = node.discriminant_offset
        self.has_union = node.discriminant_count > 0
        self.fields: Dict[str, FieldInfo] = {}
        self.non_union_fields: List[FieldInfo] = []
        self.union_by_discriminant: Dict[int, FieldInfo] = {}
        self.fieldnames: Tuple[str, ...] = ()
        self.loader: Optional["SchemaLoader"] = None  # the loader that made it (for text)

    def _build(self, loader: "SchemaLoader") -> None:
        for proto in self.model.fields:
            info = FieldInfo(proto, loader, self.bindings)
            self.fields[info.name] = info
            if info.in_union:
                self.union_by_discriminant[info.discriminant] = info
            else:
                self.non_union_fields.append(info)
        self.fieldnames = tuple(self.fields)

    def __repr__(self) -> str:
        return f"<struct schema {self.name}>"


class SchemaLoader:
    """Schema tables built on demand from a compiled request's nodes."""

    def __init__(self, nodes: Dict[int, Node]) -> None:
        self.nodes = nodes
        self._structs: Dict[int, StructSchema] = {}
        self._branded: Dict[Tuple[int, str], StructSchema] = {}  # by (node id, brand)
        self._enums: Dict[int, EnumInfo] = {}
        self._dynamic: Optional[DynamicLoader] = None

    def node(self, node_id: int) -> Node:
        node = self.nodes.get(node_id)
        if node is None:
            raise KeyError(f"unknown schema node @0x{node_id:016x}")
        return node

    def struct_schema(self, node_id: int, bindings: Optional[Bindings] = None) -> StructSchema:
        """The tables of a struct, read with ``bindings`` (a brand) when it is generic."""
        if bindings:
            return self._branded_struct(node_id, bindings)
        cached = self._structs.get(node_id)
        if cached is None:
            cached = StructSchema(self.node(node_id))
            cached.loader = self
            self._structs[node_id] = cached  # before building: types may refer to themselves
            cached._build(self)
        return cached

    def _branded_struct(self, node_id: int, bindings: Bindings) -> StructSchema:
        key = (node_id, _bindings_key(bindings))
        cached = self._branded.get(key)
        if cached is None:
            cached = StructSchema(self.node(node_id), bindings)
            cached.loader = self
            self._branded[key] = cached
            cached._build(self)
        return cached

    def dynamic(self) -> DynamicLoader:
        """The dynamic API's loader over the same nodes (made once, when text is wanted)."""
        if self._dynamic is None:
            self._dynamic = DynamicLoader(list(self.nodes.values()))
        return self._dynamic

    def enum_info(self, node_id: int) -> EnumInfo:
        cached = self._enums.get(node_id)
        if cached is None:
            cached = EnumInfo(self.node(node_id))
            self._enums[node_id] = cached
        return cached

    def type_info(self, t: Type, bindings: Optional[Bindings] = None) -> TypeInfo:
        """A field's type, its generic parameters bound through ``bindings``."""
        kind = t.which
        if kind == "list":
            assert t.element_type is not None
            return TypeInfo("list", self, element=self.type_info(t.element_type, bindings))
        if kind == "struct" or kind == "interface":
            return TypeInfo(kind, self, node_id=t.type_id, bindings=self.brand(t.brand, bindings))
        if kind == "enum":
            return TypeInfo(kind, self, node_id=t.type_id)
        if kind == "anyPointer" and bindings and t.any_kind == "parameter":
            return self.from_dynamic(self.dynamic().resolve(t, bindings))
        return TypeInfo(kind, self)

    def brand(self, brand: Brand, outer: Optional[Bindings]) -> Bindings:
        """The bindings ``brand`` gives a generic type, inside a scope bound by ``outer``
        (empty, at no cost, for a type that is not generic)."""
        if not brand.scopes:
            return {}
        return self.dynamic()._brand(brand, outer or {})

    def from_dynamic(self, t: DynamicType) -> TypeInfo:
        """The type the dynamic API's loader resolved a parameter to, in this loader's terms."""
        if t.kind == "list":
            assert t.element is not None
            return TypeInfo("list", self, element=self.from_dynamic(t.element))
        return TypeInfo(t.kind, self, node_id=t.node_id, bindings=t.bindings)


_LOADERS: Dict[int, SchemaLoader] = {}


def loader_for(nodes: Dict[int, Node]) -> SchemaLoader:
    """One loader per node table (a compiled request, or the dynamic API's loader)."""
    cached = _LOADERS.get(id(nodes))
    if cached is None or cached.nodes is not nodes:
        cached = SchemaLoader(nodes)
        _LOADERS[id(nodes)] = cached
    return cached

# --- Interfaces -----------------------------------------------------------------------------------


class MethodInfo:
    """One method: where it lives (interface id, ordinal) and its param/result schemas."""

    __slots__ = ("name", "interface_id", "ordinal", "params", "results", "streaming")

    def __init__(self, name: str, interface_id: int, ordinal: int, params: StructSchema,
                 results: StructSchema, streaming: bool) -> None:
        self.name = name
        self.interface_id = interface_id
        self.ordinal = ordinal
        self.params = params
        self.results = results
        self.streaming = streaming  # declared ``-> stream``: flow-controlled, no results


class InterfaceInfo:
    """An interface with its own methods and every inherited one, by name and by (id, ordinal).

    A generic interface used with a brand (``Box(Text)``) has an InterfaceInfo of its own,
    whose methods read and write their params and results with the parameters bound.
    """

    # Defaults for interfaces made without ``__init__`` (the typed API's): not generic.
    bindings: Bindings = {}
    brand_key = ""  # the brand, as the dynamic API's loader keys it ("" when not generic)
    brands: Dict[int, str] = {}  # brand_key of this interface and each superclass, by id

    def __init__(self, node: Node, loader: SchemaLoader, bindings: Optional[Bindings] = None) -> None:
        self.id = node.id
        self.name = node.display_name[node.display_name_prefix_length:]
        self.node = node
        self.loader = loader
        self.bindings = bindings or {}
        self.brand_key = _bindings_key(self.bindings) if self.bindings else ""
        self.methods: Dict[str, MethodInfo] = {}
        self.by_key: Dict[Tuple[int, int], MethodInfo] = {}
        self.ancestors: List[int] = []  # ids of this interface and all superclasses
        self.brands = {}
        self._collect(node, self.bindings, set())
        # What a client's attribute names: (method, True for ``<name>_request``).  A method
        # whose own name ends in ``_request`` is left out: the attribute means the request
        # of the method named without it.
        self.callers: Dict[str, Tuple[MethodInfo, bool]] = {
            name: (m, False) for name, m in self.methods.items() if not name.endswith("_request")}
        for name, m in self.methods.items():
            self.callers[name + "_request"] = (m, True)

    def _collect(self, node: Node, bindings: Bindings, seen: set) -> None:  # type: ignore[type-arg]
        if node.id in seen:
            return
        seen.add(node.id)
        self.ancestors.append(node.id)
        self.brands[node.id] = _bindings_key(bindings) if bindings else ""
        loader = self.loader
        for ordinal, m in enumerate(node.methods):
            # A method's params and results are structs of their own, generic over the
            # interface's parameters (their brand inherits its scopes).
            info = MethodInfo(
                m.name, node.id, ordinal,
                loader.struct_schema(m.param_struct_type, loader.brand(m.param_brand, bindings)),
                loader.struct_schema(m.result_struct_type, loader.brand(m.result_brand, bindings)),
                m.result_struct_type == STREAM_RESULT_ID,
            )
            self.methods.setdefault(m.name, info)  # the most derived name wins
            self.by_key[(node.id, ordinal)] = info
        for sc in node.superclasses:
            self._collect(loader.node(sc.id), loader.brand(sc.brand, bindings), seen)

    def is_a(self, other: "InterfaceInfo") -> bool:
        """Whether this interface is ``other`` or extends it; when ``other`` is branded, with
        the same brand (an unbranded interface is not a branded one, the reverse holds)."""
        if other.id not in self.ancestors:
            return False
        return not other.brand_key or self.brands.get(other.id) == other.brand_key

    def __repr__(self) -> str:
        return f"<interface {self.name}>"


_INFO_CACHE: Dict[Tuple[int, int, str], InterfaceInfo] = {}  # by (loader, node id, brand)


def _interface_of(loader: SchemaLoader, node: Node, bindings: Bindings) -> InterfaceInfo:
    key = (id(loader), node.id, _bindings_key(bindings) if bindings else "")
    cached = _INFO_CACHE.get(key)
    if cached is None:
        cached = InterfaceInfo(node, loader, bindings)
        _INFO_CACHE[key] = cached
    return cached


def interface_info(iface: Any) -> InterfaceInfo:
    """The InterfaceInfo of a loaded interface (a dynamic ``InterfaceModule`` or its
    ``InterfaceSchema``), of an InterfaceInfo, or of a field's interface type (the ``type`` of
    a field of a params, results or struct schema, branded as that field binds it)."""
    if isinstance(iface, InterfaceInfo):
        return iface
    if isinstance(iface, TypeInfo) and iface.kind == "interface":
        return interface_of_type(iface)
    if isinstance(iface, DynamicType) and iface.kind == "interface":
        iface = iface.loader.interface_schema(iface.node_id, iface.bindings)
    info = getattr(iface, "_capnp_interface", None)
    if isinstance(info, InterfaceInfo):
        return info
    node = getattr(iface, "_node", None)
    nodes = getattr(getattr(iface, "_loader", None), "nodes", None)
    bindings: Bindings = {}
    schema = iface if isinstance(iface, InterfaceSchema) else getattr(iface, "_capnp_schema", None)
    if isinstance(schema, InterfaceSchema):  # or a dynamic ``Interface.Server`` class's
        node, nodes, bindings = schema.model, schema.loader.nodes, schema.bindings
    if not isinstance(node, Node) or not isinstance(nodes, dict) or node.which != "interface":
        raise TypeError(f"{iface!r} is not a loaded interface")
    return _interface_of(loader_for(nodes), node, bindings)


def declared_interface(cls: type) -> Optional[InterfaceInfo]:
    """The interface a class declares itself (not inherited): a ``Server`` base of either loader."""
    info = cls.__dict__.get("_capnp_interface")
    if isinstance(info, InterfaceInfo):
        return info
    if isinstance(cls.__dict__.get("_capnp_schema"), InterfaceSchema):
        return interface_info(cls)
    return None


def server_interface(cls: type) -> Optional[InterfaceInfo]:
    """The most derived interface a server class implements, or None when it is no server."""
    for base in cls.__mro__:
        info = declared_interface(base)
        if info is not None:
            return info
    return None


def interface_of_type(t: TypeInfo) -> InterfaceInfo:
    """The interface a field of type ``t`` holds, with the field's brand."""
    known = t.iface
    if known is not None:
        return known
    t.iface = found = _interface_of(t.loader, t.loader.node(t.node_id), t.bindings)
    return found


# --- Reading ------------------------------------------------------------------------------------

class _Released:
    """The cap-table entry of a closed view: reading it fails."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<released capability>"


RELEASED = _Released()
CapTable = Sequence[Any]  # client objects by cap-table index (None for a null entry)
CapMaker = Callable[[Any, Optional[InterfaceInfo]], Any]  # (table entry, expected interface) -> client

NULL_CAPABILITY_REASON = "called null capability"

# The target of a null capability's clients: the session's broken target, marked so that
# storing such a client writes a null pointer again.  Made on first use (the session
# module imports this one).
_null_target: Optional[type] = None


def null_client(make_cap: Optional[CapMaker], iface: Optional[InterfaceInfo]) -> Any:
    """What a null capability field reads as in a view of ``make_cap``'s session: a client
    whose calls fail with ``RpcError("called null capability")``; None in a view with no
    session behind it."""
    from .session import Capability, Session, _Broken

    session = getattr(make_cap, "__self__", None)
    if not isinstance(session, Session):
        return None
    global _null_target
    if _null_target is None:
        _null_target = type("_NullTarget", (_Broken,), {
            "__slots__": (), "__repr__": lambda self: "<null capability>"})
    return Capability(session, _null_target(RpcError(NULL_CAPABILITY_REASON, "failed")), iface)


def is_null_capability(value: Any) -> bool:
    """Whether ``value`` is None or a client of a null capability (see ``null_client``)."""
    if value is None:
        return True
    target = _null_target
    return target is not None and type(getattr(value, "_target", None)) is target


def _zero(kind: str) -> Any:
    return 0.0 if kind in _FLOATS else (False if kind == "bool" else 0)


class StructView:
    """Read-only, schema-driven access to a struct, its capabilities taken from ``caps``."""

    __slots__ = ("_schema", "_r", "_caps", "_mk")

    def __init__(self, schema: StructSchema, reader: StructReader, caps: CapTable,
                 make_cap: Optional[CapMaker] = None) -> None:
        self._schema = schema
        self._r = reader
        self._caps = caps
        self._mk = make_cap

    @property
    def schema(self) -> StructSchema:
        return self._schema

    @property
    def reader(self) -> StructReader:
        return self._r

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        field = self._schema.fields.get(name)
        if field is None:
            raise NoSuchFieldError(f"{self._schema.name} has no field {name!r}")
        return self._get_field(field)

    def _get(self, name: str) -> Any:
        """The field ``name`` (pycapnp's name for attribute access)."""
        return self.__getattr__(name)

    def _get_field(self, f: FieldInfo) -> Any:
        packer = f.packer
        if packer is not None:  # a number with a zero default
            return unpack_data_field(self._r, packer, f.offset * packer.size, f.zero)
        kind = f.kind
        r = self._r
        if kind == "group":
            assert f.group is not None
            return StructView(f.group, r, self._caps, self._mk)
        if kind == "void":
            return None
        if kind == "float64":
            return r.get_float64(f.offset, f.default if f.default is not None else 0.0)
        if kind == "enum":
            raw = unpack_data_field(r, _U16, f.offset << 1, 0) ^ int(f.default or 0)
            assert f.type is not None
            names = f.type.enum.names
            return names[raw] if raw < len(names) else raw
        if kind in _FORMATS:
            getter = getattr(r, "get_" + kind)
            return getter(f.offset, f.default if f.default is not None else _zero(kind))
        if f.pointer_default and r.is_null(f.offset):
            return self._read_default(f)
        if kind == "text":
            return r.get_text(f.offset, "")
        if kind == "data":
            return r.get_data(f.offset, b"")
        assert f.type is not None
        if kind == "struct":
            return StructView(f.type.struct, r.get_struct(f.offset), self._caps, self._mk)
        if kind == "list":
            element = f.type.element
            assert element is not None
            # (the element size given: a null list of a generic's bound type reads as an empty
            # list of that type, and a list of other elements is refused as malformed)
            return read_list(element, r.get_list(f.offset, element_size_of(element)), self._caps,
                             self._mk)
        if kind == "interface":
            return self._cap(r.get_capability(f.offset), f.type)
        # anyPointer: the layout reader, with pycapnp's as_struct, as_text... besides
        p = r.get_pointer(f.offset)
        return AnyView(p._ctx, p._seg, p._idx, p._nest, self._caps, self._mk)

    def _cap(self, index: Optional[int], t: TypeInfo) -> Any:
        return cap_at(index, self._caps, self._mk, interface_of_type(t))

    def _read_default(self, f: FieldInfo) -> Any:
        """The schema's default of a null text, data, struct or list field: the dynamic API's
        reader over it (made once per field there)."""
        p = _default_pointer(dynamic_schema(self._schema).fields[f.name])
        kind = f.kind
        if kind == "text":
            return p.get_text()
        if kind == "data":
            return p.get_data()
        assert f.type is not None
        if kind == "struct":
            return StructView(f.type.struct, p.get_struct(), (), self._mk)
        element = f.type.element
        assert element is not None
        return read_list(element, p.get_list(element_size_of(element)), (), self._mk)

    def _has(self, name: str) -> bool:
        """Whether pointer field ``name`` is set (pycapnp's ``_has``); False for a null
        capability, text, data, struct or list, and for a field of no pointer kind."""
        field = self._schema.fields.get(name)
        if field is None:
            raise NoSuchFieldError(f"{self._schema.name} has no field {name!r}")
        if field.kind not in _POINTER_KINDS:
            return False
        return not self._r.is_null(field.offset)

    @property
    def which(self) -> UnionTag:
        """The active member of the unnamed union, as the dynamic API gives it: equal to
        its name and discriminant, and callable (``which()``) as well."""
        schema = self._schema
        if not schema.has_union:
            raise UsageError(f"{schema.name} has no unnamed union")
        d = unpack_data_field(self._r, _U16, schema.discriminant_offset << 1, 0)
        field = schema.union_by_discriminant.get(d)
        if field is None:
            raise DecodeError(f"{schema.name}: unknown union discriminant {d}")
        tag: UnionTag = field.tag
        return tag

    def _active_fields(self) -> Iterator[FieldInfo]:
        yield from self._schema.non_union_fields
        if self._schema.has_union:
            d = unpack_data_field(self._r, _U16, self._schema.discriminant_offset << 1, 0)
            field = self._schema.union_by_discriminant.get(d)
            if field is not None:
                yield field

    def to_dict(self, verbose: bool = False, ordered: bool = False,
                encode_bytes_as_base64: bool = False) -> Dict[str, Any]:
        """Plain Python values as pycapnp's ``to_dict`` gives them (and the dynamic API's): the
        active union member first, then the other fields, a null pointer left out unless
        ``verbose``; enumerants as their names; an ``OrderedDict`` at every level when
        ``ordered``; Data as base64 text when ``encode_bytes_as_base64``.  (Not the dynamic
        API's ``to_dict`` of the same words: that gives a capability as its table's entry, this
        as a client of the field's interface, as pycapnp does.)"""
        return self._to_dict(verbose, ordered, encode_bytes_as_base64, frozenset())

    def _to_dict(self, verbose: bool, ordered: bool, base64_data: bool,
                 chain: FrozenSet[int]) -> Dict[str, Any]:
        # ``chain``: the struct types of a path of unset structs shown by ``verbose``; one that
        # comes round again (a type holding itself) shows as the non-verbose form does.
        out: Dict[str, Any] = OrderedDict() if ordered else {}
        schema = self._schema
        fields: List[FieldInfo] = schema.non_union_fields
        if schema.has_union:
            d = unpack_data_field(self._r, _U16, schema.discriminant_offset << 1, 0)
            active = schema.union_by_discriminant.get(d)
            if active is not None:
                fields = [active] + fields  # (the active member shows even when null)
        r = self._r
        for f in fields:
            unset = f.kind in _POINTER_KINDS and r.is_null(f.offset)
            if unset and not verbose and not f.in_union:
                continue
            value = self._get_field(f)
            if unset and verbose and type(value) is StructView:
                key = value._schema.model.id
                if key in chain:
                    out[f.name] = value._to_dict(False, ordered, base64_data, chain)
                else:
                    out[f.name] = value._to_dict(True, ordered, base64_data, chain | {key})
                continue
            out[f.name] = _plain_value(value, verbose, ordered, base64_data, chain)
        return out

    def as_builder(self) -> "StructView":
        """A view to keep beyond the call: the same data, with its own capability references.

        Params and results release their capabilities when the call ends or
        they are closed; this copy holds new references until it is closed
        (or collected).
        """
        mk = self._mk
        if mk is None or not self._caps:
            return self
        return StructView(self._schema, self._r, [mk(entry, None) for entry in self._caps], mk)

    def close(self) -> None:
        """Release the capabilities this view's message holds (reading them afterwards fails)."""
        caps = self._caps
        for i, entry in enumerate(caps):
            close = getattr(entry, "_release_from_table", None)
            if close is not None:
                close()
            if isinstance(caps, list):
                caps[i] = RELEASED

    def __enter__(self) -> "StructView":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def as_reader(self) -> "StructView":
        return self

    def __dir__(self) -> List[str]:
        return list(self._schema.fieldnames)

    def __repr__(self) -> str:
        return f"<{self._schema.name} {self.to_dict()!r}>"

    def __str__(self) -> str:
        """The text format, as pycapnp prints results and params (on one line when short)."""
        return struct_text(self._schema, self._r, self._caps)


class AnyView(AnyPointerReader):
    """An AnyPointer field of params, results or a struct read from them: the layout
    reader (``kind``, ``get_struct``, ``get_text``...) with the methods of pycapnp's
    ``_DynamicObjectReader``, which read through the message's capability table."""

    __slots__ = ("_caps", "_mk")

    def __init__(self, ctx: Any, seg: Any, idx: int, nest: int, caps: CapTable, mk: Optional[CapMaker]) -> None:
        super().__init__(ctx, seg, idx, nest)
        self._caps = caps
        self._mk = mk

    def as_struct(self, schema: Any) -> StructView:
        """The struct held here, read as ``schema`` (a struct type or its schema)."""
        return StructView(_view_schema(schema), self.get_struct(), self._caps, self._mk)

    def as_list(self, element: Any) -> List[Any]:
        """The list held here, its elements read as ``element`` (a struct type,
        ``capnp.types.Int32``..., or the list's type, ``_ListSchema(...)``)."""
        from ..dynamic.reader import element_type_of

        t = element_type_of(element)
        info = loader_for(t.loader.nodes).from_dynamic(t)
        return read_list(info, self.get_list(element_size_of(t)), self._caps, self._mk)

    def as_text(self) -> str:
        return self.get_text()

    def as_data(self) -> bytes:
        return self.get_data()

    def as_interface(self, interface: Any = None) -> Any:
        """The capability held here, as a client of ``interface`` when given."""
        return cap_at(self.get_capability(), self._caps, self._mk,
                      None if interface is None else interface_info(interface))


# (isinstance(view, capnp._DynamicObjectReader) holds, as in pycapnp)
_DynamicObjectReader.register(AnyView)


def cap_at(index: Optional[int], caps: CapTable, mk: Optional[CapMaker], iface: Optional[InterfaceInfo]) -> Any:
    """Entry ``index`` of a received message's cap table (None: a null pointer), as a client of
    ``iface`` made by ``mk`` (a null capability's client for an empty entry or a null pointer);
    the entry itself without ``mk``."""
    if index is None:
        return None if mk is None else null_client(mk, iface)
    if not 0 <= index < len(caps):
        raise DecodeError(f"capability index {index} outside the message's cap table")
    entry = caps[index]
    if mk is None:
        return entry
    return null_client(mk, iface) if entry is None else mk(entry, iface)


def _view_schema(schema: Any) -> StructSchema:
    """This module's tables for a struct type given as the dynamic API names it (its module
    or its schema), or as this module's own StructSchema."""
    if isinstance(schema, StructSchema):
        return schema
    dynamic = getattr(schema, "schema", schema)
    node = getattr(dynamic, "model", None)
    nodes = getattr(getattr(dynamic, "loader", None), "nodes", None)
    if not isinstance(node, Node) or not isinstance(nodes, dict) or node.which != "struct":
        raise TypeError(f"{schema!r} is not a loaded struct type")
    return loader_for(nodes).struct_schema(node.id, getattr(dynamic, "bindings", None) or None)


def dynamic_schema(schema: StructSchema) -> DynamicStruct:
    """The dynamic API's schema of the same struct (with the same brand), from the dynamic
    loader over the same nodes: what reads a view's words when the dynamic API's rules are
    wanted (text, ``to_dict``, pointer defaults)."""
    assert schema.loader is not None
    return schema.loader.dynamic().struct_schema(schema.model.id, schema.bindings or None)


def struct_text(schema: StructSchema, reader: StructReader, caps: Sequence[Any] = ()) -> str:
    """``reader`` in the text format, read with the dynamic API (a capability prints as
    ``<external capability>``); the schema's own name when its loader is unknown."""
    if schema.loader is None:
        return f"<{schema.name}>"
    return str(dynamic_schema(schema).wrap_reader(reader, list(caps)))


def _plain_value(value: Any, verbose: bool, ordered: bool, base64_data: bool,
                 chain: FrozenSet[int]) -> Any:
    """A field's value as ``to_dict`` gives it (see ``StructView.to_dict``)."""
    if type(value) is StructView:
        return value._to_dict(verbose, ordered, base64_data, chain)
    if type(value) is list:
        return [_plain_value(v, verbose, ordered, base64_data, chain) for v in value]
    if isinstance(value, EnumValue):
        return str.__str__(value)
    if isinstance(value, AnyView):
        return None  # an AnyPointer's content: no plain value (as the dynamic API's to_dict)
    if base64_data and isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def read_list(element: TypeInfo, lst: ListReader, caps: CapTable, mk: Optional[CapMaker]) -> List[Any]:
    """A list field as a Python list (struct elements as views)."""
    kind = element.kind
    if kind == "enum":
        names = element.enum.names
        return [names[int(v)] if v < len(names) else v for v in lst.to_list("H")]
    if kind in _FORMATS:
        return list(lst.to_list(_FORMATS[kind]))
    n = len(lst)
    if kind == "void":
        return [None] * n
    if kind == "text":
        return [lst.get_text(i) for i in range(n)]
    if kind == "data":
        return [lst.get_data(i) for i in range(n)]
    if kind == "struct":
        schema = element.struct
        return [StructView(schema, lst.get_struct(i), caps, mk) for i in range(n)]
    if kind == "list":
        assert element.element is not None
        inner = element.element
        size = element_size_of(inner)
        return [read_list(inner, lst.get_list(i, size), caps, mk) for i in range(n)]
    if kind == "interface":
        out: List[Any] = []
        iface = interface_of_type(element)
        for i in range(n):
            index = lst.get_capability(i)
            if index is None:
                out.append(null_client(mk, iface))
                continue
            if not 0 <= index < len(caps):
                raise DecodeError(f"capability index {index} outside the message's cap table")
            entry = caps[index]
            if mk is None:
                out.append(entry)
            else:
                out.append(mk(entry, iface) if entry is not None else null_client(mk, iface))
        return out
    return [lst.get_pointer(i) for i in range(n)]


# --- Building -----------------------------------------------------------------------------------

CapOut = Callable[[Any], int]  # client or server object -> index in the outgoing cap table


class StructBuild:
    """Schema-driven writing into a struct builder; capabilities go through ``add_cap``."""

    __slots__ = ("_schema", "_b", "_add_cap")

    def __init__(self, schema: StructSchema, builder: StructBuilder, add_cap: CapOut) -> None:
        # Straight through the slots: ``__setattr__`` is the field setter.  One is made per
        # nested access (``request.expression``, ``params[i]``).
        _SET_SCHEMA(self, schema)
        _SET_B(self, builder)
        _SET_ADD_CAP(self, add_cap)

    @property
    def schema(self) -> StructSchema:
        schema: StructSchema = self._schema
        return schema

    @property
    def builder(self) -> StructBuilder:
        builder: StructBuilder = self._b
        return builder

    def _field(self, name: str) -> FieldInfo:
        field: Optional[FieldInfo] = self._schema.fields.get(name)
        if field is None:
            raise NoSuchFieldError(f"{self._schema.name} has no field {name!r}")
        return field

    def _select(self, f: FieldInfo) -> None:
        if f.in_union:
            pack_data_field(self._b, _U16, self._schema.discriminant_offset << 1, f.discriminant)

    def __setattr__(self, name: str, value: Any) -> None:
        store_field(self._schema, self._b, self._add_cap, self._field(name), value)

    def set(self, f: FieldInfo, value: Any) -> None:
        store_field(self._schema, self._b, self._add_cap, f, value)

    def update(self, value: Any) -> None:
        """Copy fields from a dict, a view or another build of the same struct, or a struct
        of the dynamic API (``new_message()``, a reader) of the same type."""
        if isinstance(value, dict):
            store_fields(self._schema, self._b, self._add_cap, value)
        elif isinstance(value, StructView):
            copy_struct(self, value)  # null pointers stay null
        elif isinstance(value, StructBuild):
            self.update(value.as_view())
        elif not write_dynamic_struct(self._schema, self._b, value, self._add_cap):
            raise EncodeError(f"cannot store {type(value).__name__} in struct {self._schema.name}")

    def init(self, name: str, size: Optional[int] = None) -> Any:
        f = self._field(name)
        self._select(f)
        if f.kind == "group":
            assert f.group is not None
            return StructBuild(f.group, self._b, self._add_cap)
        assert f.type is not None
        if f.kind == "struct":
            schema = f.type.struct
            return StructBuild(schema, self._b.init_struct(f.offset, schema.data_words, schema.pointer_count),
                               self._add_cap)
        if f.kind == "list":
            if size is None:
                raise TypeError(f"init of list field {name} needs a size")
            assert f.type.element is not None
            return ListBuild(f.type.element, init_list(self._b, f.offset, f.type.element, size), self._add_cap)
        raise TypeError(f"field {name} of kind {f.kind} cannot be initialised")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # dunders, and the slots of an instance not initialised
            raise AttributeError(name)
        f = self._field(name)
        if f.kind == "group":
            assert f.group is not None
            return StructBuild(f.group, self._b, self._add_cap)
        if f.kind == "struct":
            assert f.type is not None
            schema = f.type.struct
            return StructBuild(schema, self._b.get_struct(f.offset, schema.data_words, schema.pointer_count),
                               self._add_cap)
        return self.as_view()._get_field(f)

    def as_view(self) -> StructView:
        return StructView(self._schema, self._b.as_reader(), ())

    @property
    def which(self) -> UnionTag:
        return self.as_view().which

    def to_dict(self, verbose: bool = False, ordered: bool = False,
                encode_bytes_as_base64: bool = False) -> Dict[str, Any]:
        return self.as_view().to_dict(verbose, ordered, encode_bytes_as_base64)

    def __str__(self) -> str:
        return struct_text(self._schema, self._b.as_reader())

    def __dir__(self) -> List[str]:
        return list(self._schema.fieldnames)


# The slots of StructBuild, set without its ``__setattr__`` (which sets fields).
_SET_SCHEMA: Callable[[Any, Any], None] = getattr(StructBuild, "_schema").__set__
_SET_B: Callable[[Any, Any], None] = getattr(StructBuild, "_b").__set__
_SET_ADD_CAP: Callable[[Any, Any], None] = getattr(StructBuild, "_add_cap").__set__

# The layout core's setter of each scalar kind (enums are stored as their UInt16 apart).
_SCALAR_SETTERS: Dict[str, Callable[..., None]] = {
    kind: getattr(StructBuilder, "set_" + kind) for kind in _FORMATS if kind != "enum"}
_LIST_SETTERS: Dict[str, Callable[..., None]] = {
    kind: getattr(ListBuilder, "set_" + kind) for kind in _FORMATS if kind != "enum"}


def store_field(schema: StructSchema, b: StructBuilder, add_cap: CapOut, f: FieldInfo, value: Any) -> None:
    """Store ``value`` in field ``f`` of a ``schema`` struct being built in ``b``: what
    ``StructBuild.set`` does, for callers that hold no ``StructBuild``."""
    if f.discriminant != NO_DISCRIMINANT:
        pack_data_field(b, _U16, schema.discriminant_offset << 1, f.discriminant)
    packer = f.packer
    if packer is not None:
        pack_data_field(b, packer, f.offset * packer.size, value)
        return
    kind = f.kind
    if kind == "group":
        assert f.group is not None
        StructBuild(f.group, b, add_cap).update(value)
        return
    if kind == "void":
        return
    if kind == "enum":
        if isinstance(value, str):
            assert f.type is not None
            ordinal = f.type.enum.by_name.get(value)
            if ordinal is None:
                raise EncodeError(f"{value!r} is not an enumerant of {f.name}")
            value = ordinal
        pack_data_field(b, _U16, f.offset << 1, int(value) ^ int(f.default or 0))
        return
    setter = _SCALAR_SETTERS.get(kind)
    if setter is not None:
        if kind == "bool" and not isinstance(value, bool):
            # As pycapnp: 10 or "yes" is a mistake, not True.
            raise EncodeError(f"{f.name} is a Bool, not {type(value).__name__}")
        setter(b, f.offset, value, f.default if f.default is not None else f.zero)
        return
    if value is None:
        b.clear_pointer(f.offset)
        return
    if kind == "text":
        b.set_text(f.offset, value)
    elif kind == "data":
        b.set_data(f.offset, value)
    elif kind == "struct":
        assert f.type is not None
        inner = f.type.struct
        if (type(value) is StructView and not value._caps
                and value._schema.model.id == inner.model.id):
            # A received struct of this type and no capabilities (an echo of params into
            # results): copied as it lies, as C++ copies it, null pointers and fields of a
            # newer schema included.
            src = value._r
            _copy_struct_body(b.init_struct(f.offset, src.data_words, src.ptr_count), src, None)
            return
        sub = b.init_struct(f.offset, inner.data_words, inner.pointer_count)
        StructBuild(inner, sub, add_cap).update(value)
    elif kind == "list":
        assert f.type is not None and f.type.element is not None
        items = list(value)
        lst = init_list(b, f.offset, f.type.element, len(items))
        ListBuild(f.type.element, lst, add_cap).fill(items)
    elif kind == "interface":
        null = _null_target  # (is_null_capability, inline: no check until a null was read)
        if null is not None and type(getattr(value, "_target", None)) is null:
            b.clear_pointer(f.offset)  # a null capability is written as a null pointer
        else:
            b.set_capability(f.offset, add_cap(value))
    elif isinstance(value, AnyPointerReader):
        b.set_pointer(f.offset, value)
    elif isinstance(value, StructReader):
        b.set_struct(f.offset, value)
    elif isinstance(value, str):
        b.set_text(f.offset, value)  # as pycapnp stores a str in an AnyPointer
    elif isinstance(value, (bytes, bytearray, memoryview)):
        b.set_data(f.offset, bytes(value))
    elif not isinstance(value, _PLAIN) and (source := _source_of(value)) is not None:
        # A struct, list or AnyPointer of the dynamic API (``new_message()``, a list builder,
        # ``get_root_as_any()``): copied with its capabilities.
        reader, caps = source
        remap = _AddingRemap(caps, add_cap) if caps else None
        if isinstance(reader, StructReader):
            _copy_struct_body(b.init_struct(f.offset, reader.data_words, reader.ptr_count), reader, remap)
        elif isinstance(reader, AnyPointerReader):
            _copy_pointer(b, f.offset, reader, remap)
        elif remap is not None:
            _copy_dynamic_list(b, f.offset, reader, remap)
        else:
            b.set_list(f.offset, reader)
    elif hasattr(value, "_target") or server_interface(type(value)) is not None:
        b.set_capability(f.offset, add_cap(value))  # a client or a server object
    else:
        raise EncodeError(f"cannot store {type(value).__name__} in AnyPointer field {f.name}")


def store_fields(schema: StructSchema, b: StructBuilder, add_cap: CapOut, values: Dict[str, Any]) -> None:
    """Store each named value (``StructBuild.update`` of a dict, for callers that hold no
    ``StructBuild``)."""
    fields = schema.fields
    for name, value in values.items():
        f = fields.get(name)
        if f is None:
            raise NoSuchFieldError(f"{schema.name} has no field {name!r}")
        store_field(schema, b, add_cap, f, value)


class _AddingRemap(_CapRemap):
    """Moves a dynamic message's capabilities into an outgoing cap table through its
    ``add_cap`` (which checks each and says where it went)."""

    __slots__ = ("_add",)

    def __init__(self, src: Sequence[object], add_cap: CapOut) -> None:
        super().__init__(src, [])
        self._add = add_cap

    def index(self, old: int) -> int:
        cap = resolve_cap(old, self.src)
        if is_null_capability(cap):
            cap = None  # an empty entry: the peer reads a null capability
        new = self._seen.get(id(cap))
        if new is None:
            new = self._add(cap)
            self.dst.append(cap)  # keeps the object alive while its id() is remembered
            self._seen[id(cap)] = new
        return new


# Values that are never structs of the dynamic API: the usual returns skip the checks.
_PLAIN = (int, float, str, bytes, tuple, list, dict, type(None))


def dynamic_struct(value: Any) -> Optional[Tuple[StructReader, Any]]:
    """A struct of the dynamic API (builder or reader) as (its layout reader, its message's
    capability table); None for anything else."""
    if isinstance(value, _PLAIN):
        return None
    source = _source_of(value)
    if source is None or not isinstance(source[0], StructReader):
        return None
    reader: StructReader = source[0]
    return reader, source[1]


def dynamic_struct_id(value: Any) -> Optional[int]:
    """The type ID of a struct of the dynamic API, None for anything else."""
    if dynamic_struct(value) is None:
        return None
    node_id: int = value.schema.model.id
    return node_id


def _copy_dynamic(builder: StructBuilder, source: Tuple[StructReader, Any], add_cap: CapOut) -> None:
    reader, caps = source
    _copy_struct_body(builder, reader, _AddingRemap(caps, add_cap) if caps else None)


def write_dynamic_struct(schema: StructSchema, builder: StructBuilder, value: Any,
                         add_cap: CapOut) -> bool:
    """Copy a struct of the dynamic API (of ``schema``'s type) into ``builder``, its
    capabilities through ``add_cap``; False when ``value`` is no such struct."""
    source = dynamic_struct(value)
    if source is None:
        return False
    if value.schema.model.id != schema.model.id:
        raise EncodeError(f"cannot store a {value.schema.model.display_name} in struct {schema.name}")
    _copy_dynamic(builder, source, add_cap)
    return True


_POINTER_KINDS = frozenset({"text", "data", "struct", "list", "interface", "anyPointer"})


def copy_struct(dst: StructBuild, src: StructView, map_cap: Optional[Callable[[Any], Any]] = None,
                skip: Collection[str] = ()) -> None:
    """Copy a received struct into a build of the same type, keeping null pointers null.

    Unlike ``StructBuild.update``, an absent text, data, struct or list stays
    absent instead of becoming an empty one.  Each capability read from
    ``src`` goes through ``map_cap`` (for example, to wrap it for another
    session) before it is stored.  Top-level fields named in ``skip`` are left
    alone.  Capabilities inside AnyPointer fields are not carried over.
    """
    reader = src.reader
    for field in src._active_fields():
        if field.name in skip:
            continue
        kind = field.kind
        if kind in _POINTER_KINDS and reader.is_null(field.offset):
            dst._select(field)
            continue
        if kind == "group" or kind == "struct":
            copy_struct(dst.init(field.name), src._get_field(field), map_cap)
        elif kind == "list":
            assert field.type is not None and field.type.element is not None
            items = src._get_field(field)
            _copy_list(dst.init(field.name, len(items)), field.type.element, items, map_cap)
        elif kind == "interface" and map_cap is not None:
            cap = src._get_field(field)
            dst.set(field, None if is_null_capability(cap) else map_cap(cap))
        else:
            dst.set(field, src._get_field(field))


def _copy_list(dst: "ListBuild", element: TypeInfo, items: List[Any],
               map_cap: Optional[Callable[[Any], Any]]) -> None:
    kind = element.kind
    if kind == "struct":
        for i, item in enumerate(items):
            copy_struct(dst[i], item, map_cap)
    elif kind == "list":
        assert element.element is not None
        for i, item in enumerate(items):
            _copy_list(dst.init(i, len(item)), element.element, item, map_cap)
    elif kind == "interface":
        for i, item in enumerate(items):
            if not is_null_capability(item):
                dst[i] = map_cap(item) if map_cap is not None else item
    else:
        dst.fill(items)


def init_list(b: StructBuilder, offset: int, element: TypeInfo, size: int) -> ListBuilder:
    if element.kind == "struct":
        schema = element.struct
        return b.init_struct_list(offset, size, schema.data_words, schema.pointer_count)
    es = _ELEM_SIZES.get(element.kind, ELEM_POINTER)
    return b.init_list(offset, es, size)


class ListBuild:
    """Writing into a list builder; struct elements come back as ``StructBuild``."""

    __slots__ = ("_element", "_l", "_add_cap")

    def __init__(self, element: TypeInfo, lst: ListBuilder, add_cap: CapOut) -> None:
        self._element = element
        self._l = lst
        self._add_cap = add_cap

    def __len__(self) -> int:
        return len(self._l)

    def __getitem__(self, i: int) -> Any:
        lst = self._l
        n = len(lst)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("list index out of range")
        element = self._element
        if element.kind == "struct":
            return StructBuild(element.struct, lst.get_struct(i), self._add_cap)
        return read_list(element, lst.as_reader(), (), None)[i]

    def __setitem__(self, i: int, value: Any) -> None:
        lst = self._l
        n = len(lst)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("list assignment index out of range")
        kind = self._element.kind
        if kind == "struct":
            StructBuild(self._element.struct, lst.get_struct(i), self._add_cap).update(value)
        elif kind == "enum":
            if isinstance(value, str):
                value = self._element.enum.by_name[value]
            lst.set_uint16(i, int(value))
        elif kind in _FORMATS:
            _LIST_SETTERS[kind](lst, i, value)
        elif kind == "void":
            return
        elif kind == "text":
            lst.set_text(i, value)
        elif kind == "data":
            lst.set_data(i, value)
        elif kind == "interface":
            if not is_null_capability(value):
                lst.set_capability(i, self._add_cap(value))
        elif kind == "list":
            assert self._element.element is not None
            items = list(value)
            inner = self._element.element
            if inner.kind == "struct":
                sub = lst.init_struct_list(i, len(items), inner.struct.data_words, inner.struct.pointer_count)
            else:
                sub = lst.init_list(i, _ELEM_SIZES.get(inner.kind, ELEM_POINTER), len(items))
            ListBuild(inner, sub, self._add_cap).fill(items)
        else:
            raise EncodeError(f"cannot store {type(value).__name__} in a list of {kind}")

    def fill(self, items: Sequence[Any]) -> None:
        kind = self._element.kind
        if kind in _FORMATS and kind != "enum" and kind != "bool":
            self._l.set_all(items, _FORMATS[kind])
            return
        for i, v in enumerate(items):
            self[i] = v

    def init(self, i: int, size: int) -> "ListBuild":
        inner = self._element.element
        if inner is None:
            raise TypeError("init(i, size) is only for lists of lists")
        if inner.kind == "struct":
            sub = self._l.init_struct_list(i, size, inner.struct.data_words, inner.struct.pointer_count)
        else:
            sub = self._l.init_list(i, _ELEM_SIZES.get(inner.kind, ELEM_POINTER), size)
        return ListBuild(inner, sub, self._add_cap)


def follow_transform(content: object, ops: Sequence[Optional[int]]) -> Optional[int]:
    """The cap-table index at the end of a pointer path through a struct, None when null."""
    if isinstance(content, AnyPointerReader):
        struct = content.get_struct()
    elif isinstance(content, StructReader):
        struct = content
    elif isinstance(content, OutgoingContent):
        struct = content.reader()
    elif content is None:
        return None
    else:
        raise DecodeError("payload content is not a struct")
    fields = [op for op in ops if op is not None]
    if not fields:
        raise DecodeError("a transform to a capability needs at least one pointer field")
    for index in fields[:-1]:
        struct = struct.get_struct(index)
    return struct.get_capability(fields[-1])
