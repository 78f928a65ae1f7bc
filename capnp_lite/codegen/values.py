"""Encode schema values (pointer defaults and constants) into embedded messages.

A generated module cannot rebuild a struct or list default from the schema at
import time, so the generator encodes each one into a tiny message whose root
is a struct with a single pointer holding the value; the module embeds those
bytes and reads them with the ordinary layout core.
"""

from __future__ import annotations

from typing import Any, Dict, List, Union

from ..errors import SchemaError
from ..schema.model import (
    NO_DISCRIMINANT, Brand, CodeGeneratorRequest, Field, Node, StructValue, Type, bind_type,
)
from ..wire.layout import ListBuilder, MessageBuilder, StructBuilder
from ..wire.pointers import ELEM_POINTER, ELEM_VOID

__all__ = ["encode_pointer_value", "LIST_FORMAT", "ELEMENT_SIZE"]

#: struct format letter of each primitive list element (enums are UInt16).
LIST_FORMAT: Dict[str, str] = {
    "bool": "?", "int8": "b", "uint8": "B", "int16": "h", "uint16": "H", "int32": "i",
    "uint32": "I", "int64": "q", "uint64": "Q", "float32": "f", "float64": "d", "enum": "H",
}
#: element size code (wire.ELEM_*) of each list element type.
ELEMENT_SIZE: Dict[str, int] = {
    "void": 0, "bool": 1, "int8": 2, "uint8": 2, "int16": 3, "uint16": 3, "enum": 3,
    "int32": 4, "uint32": 4, "float32": 4, "int64": 5, "uint64": 5, "float64": 5,
    "text": 6, "data": 6, "list": 6, "interface": 6, "anyPointer": 6, "struct": 7,
}

_SETTERS = {
    "bool": "set_bool", "int8": "set_int8", "uint8": "set_uint8", "int16": "set_int16",
    "uint16": "set_uint16", "int32": "set_int32", "uint32": "set_uint32", "int64": "set_int64",
    "uint64": "set_uint64", "float32": "set_float32", "float64": "set_float64",
    "enum": "set_uint16",
}

Target = Union[StructBuilder, ListBuilder]


def encode_pointer_value(req: CodeGeneratorRequest, t: Type, value: Any) -> bytes:
    """One segment: a root struct of one pointer that holds ``value`` of type ``t``."""
    mb = MessageBuilder(64, growth="single")
    root = mb.init_root(0, 1)
    _set_pointer(req, root, 0, t, value)
    return mb.segments()[0]


def _field_default(f: Field) -> Any:
    dv = f.default_value
    return dv.value if dv is not None else None


def _set_struct(req: CodeGeneratorRequest, sb: StructBuilder, node: Node, sv: StructValue,
                brand: Brand) -> None:
    """Write ``sv`` into ``sb``; ``brand`` binds the type parameters of a generic struct."""
    by_name = {f.name: f for f in node.fields}
    for name, v in sv.fields.items():
        f = by_name.get(name)
        if f is None:
            raise SchemaError(f"{node.display_name} has no field {name!r}")
        if f.discriminant_value != NO_DISCRIMINANT:
            sb.set_uint16(node.discriminant_offset, f.discriminant_value)
        if f.which == "group":
            _set_struct(req, sb, req.node(f.group_type_id), v, brand)
            continue
        assert f.type is not None
        t = bind_type(f.type, brand)
        kind = t.which
        if kind == "void":
            continue
        setter = _SETTERS.get(kind)
        if setter is not None:
            default = _field_default(f)
            if default is None:
                default = 0.0 if kind.startswith("float") else (False if kind == "bool" else 0)
            getattr(sb, setter)(f.offset, v, default)
            continue
        if v is not None:
            _set_pointer(req, sb, f.offset, t, v)


def _set_pointer(req: CodeGeneratorRequest, target: Target, index: int, t: Type,
                 value: Any) -> None:
    kind = t.which
    if value is None:
        return
    if kind == "text":
        target.set_text(index, value)
    elif kind == "data":
        target.set_data(index, value)
    elif kind == "struct":
        node = req.node(t.type_id)
        sb = target.init_struct(index, node.data_word_count, node.pointer_count)
        _set_struct(req, sb, node, value, t.brand)
    elif kind == "list":
        assert t.element_type is not None
        _set_list(req, target, index, t.element_type, list(value))
    else:
        raise SchemaError(f"cannot encode a default value of type {kind}")


def _set_list(req: CodeGeneratorRequest, target: Target, index: int, elem: Type,
              values: List[Any]) -> None:
    kind = elem.which
    fmt = LIST_FORMAT.get(kind)
    if fmt is not None:
        target.init_primitive_list(index, fmt, values)
    elif kind == "void":
        target.init_list(index, ELEM_VOID, len(values))
    elif kind == "struct":
        node = req.node(elem.type_id)
        lst = target.init_struct_list(index, len(values), node.data_word_count,
                                      node.pointer_count)
        for i, v in enumerate(values):
            _set_struct(req, lst.get_struct(i), node, v, elem.brand)
    else:
        lst = target.init_list(index, ELEM_POINTER, len(values))
        for i, v in enumerate(values):
            _set_pointer(req, lst, i, elem, v)
