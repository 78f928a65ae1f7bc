"""pycapnp's ``capnp.types`` and ``_ListSchema``: types as values, for AnyPointer lists.

    ints = any_field.init_as_list(capnp._ListSchema(capnp.types.Int32), 3)
    people = reader.any_field.as_list(capnp._ListSchema(addressbook.Person))

The primitive types are :class:`TypeInfo` objects; ``_ListSchema(t)`` is the
type ``List(t)`` for any of them, a struct, enum or interface (its module or
schema), or another ``_ListSchema``.
"""

from __future__ import annotations

from typing import Any, Optional

from .schema import EnumSchema, InterfaceSchema, SchemaLoader, StructSchema, TypeInfo

__all__ = [
    "Void", "Bool", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
    "Float32", "Float64", "Text", "Data", "AnyPointer", "type_info", "_ListSchema",
]

_NO_NODES = SchemaLoader([])  # primitive types never look a node up

Void = TypeInfo("void", _NO_NODES)
Bool = TypeInfo("bool", _NO_NODES)
Int8 = TypeInfo("int8", _NO_NODES)
Int16 = TypeInfo("int16", _NO_NODES)
Int32 = TypeInfo("int32", _NO_NODES)
Int64 = TypeInfo("int64", _NO_NODES)
UInt8 = TypeInfo("uint8", _NO_NODES)
UInt16 = TypeInfo("uint16", _NO_NODES)
UInt32 = TypeInfo("uint32", _NO_NODES)
UInt64 = TypeInfo("uint64", _NO_NODES)
Float32 = TypeInfo("float32", _NO_NODES)
Float64 = TypeInfo("float64", _NO_NODES)
Text = TypeInfo("text", _NO_NODES)
Data = TypeInfo("data", _NO_NODES)
AnyPointer = TypeInfo("anyPointer", _NO_NODES)


def type_info(t: Any) -> TypeInfo:
    """The type ``t`` names: a TypeInfo (``capnp.types.Int32``...), a ``_ListSchema``, or a
    struct, enum or interface given as its schema or its module."""
    if isinstance(t, TypeInfo):
        return t
    if isinstance(t, _ListSchema):
        return t.type
    schema = t if isinstance(t, (StructSchema, EnumSchema, InterfaceSchema)) else getattr(t, "schema", None)
    if isinstance(schema, StructSchema):
        if not schema.bindings:
            return schema.loader.struct_type(schema.model.id)
        return TypeInfo("struct", schema.loader, node_id=schema.model.id, bindings=schema.bindings)
    if isinstance(schema, EnumSchema) and schema.loader is not None:
        return TypeInfo("enum", schema.loader, node_id=schema.model.id)
    if isinstance(schema, InterfaceSchema):
        return TypeInfo("interface", schema.loader, node_id=schema.model.id, bindings=schema.bindings)
    raise TypeError(f"expected a type (capnp.types, a struct, enum or interface, or a "
                    f"_ListSchema), got {type(t).__name__}")


class _ListSchema:
    """pycapnp's ``_ListSchema``: the type ``List(element)``; ``elementType`` gives the element
    back as pycapnp does (a struct's, enum's or interface's schema, a ``_ListSchema``, or a
    ``capnp.types`` value)."""

    __slots__ = ("type",)

    def __init__(self, schema: Any = None) -> None:
        if schema is None:
            raise TypeError("_ListSchema needs its element type")
        element = type_info(schema)
        self.type = TypeInfo("list", element.loader, element=element)

    @property
    def elementType(self) -> Any:
        element = self.type.element
        assert element is not None
        kind = element.kind
        if kind == "struct":
            return element.struct
        if kind == "enum":
            return element.enum
        if kind == "interface":
            return element.loader.interface_schema(element.node_id, element.bindings)
        if kind == "list":
            return _ListSchema.of_type(element)
        return element

    @staticmethod
    def of_type(t: TypeInfo) -> "_ListSchema":
        """The _ListSchema of the list type ``t``."""
        out = _ListSchema.__new__(_ListSchema)
        out.type = t
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ListSchema) and other.type.key == self.type.key

    def __hash__(self) -> int:
        return hash(self.type.key)

    def __repr__(self) -> str:
        return f"<capnp_lite list schema {self.type.key}>"


def element_of(t: Any) -> Optional[TypeInfo]:
    """The element type of a ``_ListSchema`` (None for anything else)."""
    return t.type.element if isinstance(t, _ListSchema) else None
