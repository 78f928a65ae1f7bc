"""Text format printer: the output of ``capnp decode`` (short and pretty).

Rules (matching the reference tool):

* fields print in the order of the node's field list (ordinal order); the
  active member of the unnamed union goes just before the first non-union
  field with a higher index, or last;
* a union member with discriminant 0 is left out when it is a null pointer;
  an unknown discriminant leaves the union out;
* data fields always print, pointer fields only when non-null;
* pretty form: a list or record stays on one line when every item is at most
  24 characters without a newline (and a record's items total at most 64);
  otherwise each item goes on its own line, indented two spaces per level.

The printer works on raw bytes so Text that is not UTF-8 still prints the way
the reference tool prints it; :func:`to_text` decodes the result with
``surrogateescape`` so such bytes survive a round trip through ``str``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Union

from .format import format_float32, format_float64, quote_data, quote_text

if TYPE_CHECKING:
    from ..dynamic.reader import _DynamicListReader, _DynamicStructReader
    from ..dynamic.schema import FieldInfo, TypeInfo

__all__ = ["print_struct", "print_list", "to_text", "print_value"]

# Modes of the reference printer: a value printed on its own line, or after "name = ".
_BARE = 0
_PREFIXED = 1
_MAX_INLINE_VALUE = 24
_MAX_INLINE_RECORD = 64


def _can_inline(items: List[bytes], record: bool) -> bool:
    total = 0
    for item in items:
        if len(item) > _MAX_INLINE_VALUE or b"\n" in item:
            return False
        if record:
            total += len(item)
            if total > _MAX_INLINE_RECORD:
                return False
    return True


def _delimit(items: List[bytes], indent: int, mode: int, record: bool) -> bytes:
    """Join items the way the reference does at this indentation (0 = one line)."""
    if indent == 0 or _can_inline(items, record):
        return b", ".join(items)
    newline = b"\n" + b"  " * indent
    lead = b" " if mode == _BARE else newline
    return lead + (b"," + newline).join(items) + b" "


def _next(indent: int) -> int:
    return 0 if indent == 0 else indent + 1


def print_value(value: Any, t: "TypeInfo", indent: int, mode: int) -> bytes:
    kind = t.kind
    if value is None and kind != "void":
        return _print_null(t, indent, mode)
    if kind == "void":
        return b"void"
    if kind == "bool":
        return b"true" if value else b"false"
    if kind == "float32":
        return format_float32(value).encode("ascii")
    if kind == "float64":
        return format_float64(value).encode("ascii")
    if kind == "enum":
        names = t.enum.names
        if 0 <= value < len(names):
            name: str = names[value]
            return name.encode("ascii")
        return b"(%d)" % value
    if kind == "text":
        return quote_text(value)
    if kind == "data":
        return quote_data(value)
    if kind == "struct":
        struct_text: bytes = print_struct(value, indent, mode)
        return struct_text
    if kind == "list":
        return print_list(value, indent, mode)
    if kind == "anyPointer":
        return b"<opaque pointer>"
    if kind == "interface":
        return b"<external capability>"
    return str(int(value)).encode("ascii")


def _print_null(t: "TypeInfo", indent: int, mode: int) -> bytes:
    """A null pointer that must still print (a union member): its empty value."""
    if t.kind in ("text", "data"):
        return b'""'
    if t.kind == "list":
        return b"[]"
    if t.kind == "struct":
        from ..dynamic.reader import _empty_struct

        return print_struct(_empty_struct(t.struct), indent, mode)
    return b"<opaque pointer>"


def print_list(value: "_DynamicListReader", indent: int, mode: int) -> bytes:
    element = value._element_type
    inner = _next(indent)
    items = [print_value(v, element, inner, _BARE) for v in value._raw_items()]
    return b"[" + _delimit(items, indent, mode, False) + b"]"


def _print_field(reader: "_DynamicStructReader", field: "FieldInfo", indent: int) -> bytes:
    inner = _next(indent)
    name = field.name.encode("ascii")
    if field.group is not None:
        body = print_struct(reader._get_group(field), inner, _PREFIXED)
    else:
        assert field.type is not None
        body = print_value(reader._get_raw(field), field.type, inner, _PREFIXED)
    return name + b" = " + body


def print_struct(reader: "_DynamicStructReader", indent: int, mode: int) -> bytes:
    schema = reader.schema
    union_field = reader._which_field() if schema.union_fields else None
    if union_field is not None and union_field.discriminant == 0 and not reader._has_field(
        union_field
    ):
        union_field = None
    printed: List[bytes] = []
    for field in schema.non_union_fields:
        if union_field is not None and union_field.index < field.index:
            printed.append(_print_field(reader, union_field, indent))
            union_field = None
        if reader._has_field(field):
            printed.append(_print_field(reader, field, indent))
    if union_field is not None:
        printed.append(_print_field(reader, union_field, indent))
    return b"(" + _delimit(printed, indent, mode, True) + b")"


def to_text(
    value: Union["_DynamicStructReader", "_DynamicListReader"], pretty: bool = False
) -> str:
    """The text form of a struct or list reader, as ``str``."""
    from ..dynamic.reader import _DynamicListReader

    indent = 1 if pretty else 0
    if isinstance(value, _DynamicListReader):
        raw = print_list(value, indent, _BARE)
    else:
        raw = print_struct(value, indent, _BARE)
    return raw.decode("utf-8", "surrogateescape")
