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

from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from ..dynamic.reader import read_pointer
from ..errors import DecodeError
from .format import format_float32, format_float64, quote_data, quote_text, quote_texts

if TYPE_CHECKING:
    from ..dynamic.reader import _DynamicListReader, _DynamicStructReader
    from ..dynamic.schema import FieldInfo, TypeInfo
    from ..wire.layout import StructReader

__all__ = ["print_struct", "print_list", "to_text", "print_value"]

# Modes of the reference printer: a value printed on its own line, or after "name = ".
_BARE = 0
_PREFIXED = 1
_MAX_INLINE_VALUE = 24
_MAX_INLINE_RECORD = 64


_NEWLINE = 10  # b"\n"[0]: ``int in bytes`` is a byte search (``bytes in bytes`` first tries
# the right side as an int and raises and clears a TypeError inside, several times slower)


def _can_inline(items: List[bytes], record: bool) -> bool:
    total = 0
    for item in items:
        if len(item) > _MAX_INLINE_VALUE or _NEWLINE in item:
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
    if value is None and t.kind != "void":
        return _print_null(t, indent, mode)
    return _VALUE_PRINTERS[t.kind](value, t, indent, mode)


def _print_void(value: Any, t: "TypeInfo", indent: int, mode: int) -> bytes:
    return b"void"


def _print_bool(value: Any, t: "TypeInfo", indent: int, mode: int) -> bytes:
    return b"true" if value else b"false"


def _print_int(value: Any, t: "TypeInfo", indent: int, mode: int) -> bytes:
    return b"%d" % value


def _print_float32(value: Any, t: "TypeInfo", indent: int, mode: int) -> bytes:
    return format_float32(value).encode("ascii")


def _print_float64(value: Any, t: "TypeInfo", indent: int, mode: int) -> bytes:
    return format_float64(value).encode("ascii")


def _enum_text(names: Sequence[str], value: int) -> bytes:
    if 0 <= value < len(names):
        return names[value].encode("ascii")
    return b"(%d)" % value


def _print_enum(value: Any, t: "TypeInfo", indent: int, mode: int) -> bytes:
    return _enum_text(t.enum.names, value)


def _print_text(value: Any, t: "TypeInfo", indent: int, mode: int) -> bytes:
    return quote_text(value)


def _print_data(value: Any, t: "TypeInfo", indent: int, mode: int) -> bytes:
    return quote_data(value)


def _print_struct_value(value: Any, t: "TypeInfo", indent: int, mode: int) -> bytes:
    return print_struct(value, indent, mode)


def _print_list_value(value: Any, t: "TypeInfo", indent: int, mode: int) -> bytes:
    return print_list(value, indent, mode)


def _print_any(value: Any, t: "TypeInfo", indent: int, mode: int) -> bytes:
    # The reference learns what kind of pointer it holds before printing it as opaque: it
    # follows a far pointer to its landing pad and refuses an unknown kind, so a broken one
    # fails the message here too (a near pointer's target is not looked at).
    ptr = getattr(value, "_ptr", None)
    if ptr is not None:
        ptr.kind
    return b"<opaque pointer>"


def _print_cap(value: Any, t: "TypeInfo", indent: int, mode: int) -> bytes:
    return b"<external capability>"


ValuePrinter = Callable[[Any, "TypeInfo", int, int], bytes]
# One printer per type kind: a dict lookup instead of a chain of comparisons.
_VALUE_PRINTERS: Dict[str, ValuePrinter] = {
    "void": _print_void,
    "bool": _print_bool,
    "float32": _print_float32,
    "float64": _print_float64,
    "enum": _print_enum,
    "text": _print_text,
    "data": _print_data,
    "struct": _print_struct_value,
    "list": _print_list_value,
    "anyPointer": _print_any,
    "interface": _print_cap,
}
_INT_KINDS = frozenset(("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"))
for _kind in _INT_KINDS:
    _VALUE_PRINTERS[_kind] = _print_int


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


def _list_item_texts(element: "TypeInfo", items: List[Any], inner: int) -> List[bytes]:
    """The text of every item of a list (items in the reader's raw form)."""
    kind = element.kind
    if kind in _INT_KINDS:
        return [b"%d" % v for v in items]
    if kind == "text":
        return quote_texts(items)  # null items are already b""
    if kind == "bool":
        return [b"true" if v else b"false" for v in items]
    if kind == "enum":
        names = element.enum.names
        return [_enum_text(names, v) for v in items]
    if kind == "float64":
        return [format_float64(v).encode("ascii") for v in items]
    if kind == "float32":
        return [format_float32(v).encode("ascii") for v in items]
    if kind == "struct":
        return [print_struct(v, inner, _BARE) for v in items]
    return [print_value(v, element, inner, _BARE) for v in items]



def print_list(value: "_DynamicListReader", indent: int, mode: int) -> bytes:
    items = _list_item_texts(value._element_type, value._raw_items(), _next(indent))
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


def _print_present_field(
    reader: "_DynamicStructReader", sr: "StructReader", field: "FieldInfo", indent: int,
    get: Optional[Callable[[Any], Any]] = None,
) -> Optional[bytes]:
    """``_print_field`` for a field outside the union; None for a null pointer (not printed).
    ``get``: the property getter of a pointer field the printer takes (see
    ``_read_by_property``), else None."""
    t = field.type
    if t is None:
        return _print_field(reader, field, indent)  # a group
    if field.is_pointer:
        if not reader._has_field(field):
            return None
        if get is not None:
            # The reader's own property (its fast paths: Text decoded, a List(Text) or a
            # number list read in one pass) in printer form.  A value it refuses (Text that
            # is not UTF-8, a malformed pointer) is read again below, its charge given back,
            # so what prints or fails is what the layout readers print or raise.  (Only the
            # read itself is retried: a failure further down a value fails once.)
            ctx = reader._ctx
            budget = ctx.budget
            kind = t.kind
            try:
                value = get(reader)
                if kind == "text":
                    value = value.encode("utf-8")
            except DecodeError:  # (the getters decode Text strictly: it encodes back)
                ctx.budget = budget
            else:
                if kind == "text":
                    body = quote_text(value)
                elif kind == "list":
                    body = print_list(value, _next(indent), _PREFIXED)
                else:
                    body = print_struct(value, _next(indent), _PREFIXED)
                return field.name.encode("ascii") + b" = " + body
        value = read_pointer(sr.get_pointer(field.offset), t, reader._caps, True)
    else:
        read = field.read
        value = None if read is None else read(sr, field.offset, field.wire_default)
    body = _VALUE_PRINTERS[t.kind](value, t, _next(indent), _PREFIXED)
    return field.name.encode("ascii") + b" = " + body


# Pointer fields are read through the readers' properties where they can be; False reads them
# through the layout readers only (tests and the fuzz target print both ways and compare).
PROPERTY_READS = True

# Element kinds of the lists the getters give in printer form (``_raw_items``): texts as
# bytes, numbers and bools as they are, structs as readers (enumerants would be names).
_GETTER_ELEMENTS = _INT_KINDS | {"text", "float32", "float64", "bool", "struct"}


def _read_by_property(field: "FieldInfo") -> bool:
    """Whether the printer takes pointer field ``field`` as its property's getter gives it:
    Text, a struct, or a list of what ``_GETTER_ELEMENTS`` holds."""
    t = field.type
    if t is None or not field.is_pointer or field.group is not None:
        return False
    return t.kind in ("text", "struct") or (
        t.kind == "list" and t.element is not None and t.element.kind in _GETTER_ELEMENTS)


def _enum_or_number(value: Any) -> bytes:
    """An enum field as its getter gives it: an enumerant (a ``str``), or an unknown number."""
    return b"(%d)" % value if type(value) is int else value.encode("ascii")


# Formatters of data fields as the reader class's getters give them (one argument each).
_DATA_FORMATS: Dict[str, Callable[[Any], bytes]] = {
    "bool": lambda v: b"true" if v else b"false",
    "float32": lambda v: format_float32(v).encode("ascii"),
    "float64": lambda v: format_float64(v).encode("ascii"),
    "enum": _enum_or_number,
}
for _kind in _INT_KINDS:
    _DATA_FORMATS[_kind] = b"%d".__mod__

_Plan = List[Tuple["FieldInfo", bytes, Any, Optional[Callable[[Any], bytes]]]]


def _field_plan(reader: "_DynamicStructReader") -> _Plan:
    """The reader class's non-union fields in print order, each as (field, ``b"name = "``,
    getter, formatter): a data field with a property getter is printed from its getter's
    value (the scalars unpacked once per struct); the formatter is None for the others,
    which ``_print_present_field`` prints, with the getter of a pointer field it reads
    through its property (None for the rest).  Kept on the class."""
    cls = type(reader)
    plan: Optional[_Plan] = cls.__dict__.get("_print_plan") if PROPERTY_READS else None
    if plan is None:
        from ..dynamic.convert import _getters_of

        every = cls.__dict__.get("_getters") or _getters_of(cls, reader.schema)
        plan = []
        for field in reader.schema.non_union_infos:
            get = every.get(field.name)
            fmt = None
            if field.is_pointer:
                if not (PROPERTY_READS and _read_by_property(field)):
                    get = None
            elif get is not None and field.group is None:
                fmt = _DATA_FORMATS.get(field.kind)
            plan.append((field, field.name.encode("ascii") + b" = ", get, fmt))
        if PROPERTY_READS:
            type.__setattr__(cls, "_print_plan", plan)
    return plan


def print_struct(reader: "_DynamicStructReader", indent: int, mode: int) -> bytes:
    schema = reader.schema
    union_field = reader._which_field() if schema.union_infos else None
    if union_field is not None and union_field.discriminant == 0 and not reader._has_field(
        union_field
    ):
        union_field = None
    sr = reader._sr
    printed: List[bytes] = []
    for field, prefix, get, fmt in _field_plan(reader):
        if union_field is not None and union_field.index < field.index:
            printed.append(_print_field(reader, union_field, indent))
            union_field = None
        if fmt is not None:
            printed.append(prefix + fmt(get(reader)))
            continue
        text = _print_present_field(reader, sr, field, indent, get)
        if text is not None:
            printed.append(text)
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
