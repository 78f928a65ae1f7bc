"""Schema-driven readers: ``_DynamicStructReader`` and ``_DynamicListReader``."""

from __future__ import annotations

import struct as _struct
from typing import Any, Dict, Iterator, List, Optional, Union

from ..errors import DecodeError
from ..schema.model import StructValue
from ._wire import ELEMENT_BITS, ListRef, MessageReader, StructRef
from .schema import DATA_KINDS, FieldInfo, StructSchema, TypeInfo

__all__ = [
    "_DynamicStructReader",
    "_DynamicListReader",
    "_DynamicObjectReader",
    "decode_data",
    "read_pointer",
]

_SIGNED = {"int8": 8, "int16": 16, "int32": 32, "int64": 64}
_BULK_FORMATS = {
    "int8": "b",
    "uint8": "B",
    "int16": "h",
    "uint16": "H",
    "enum": "H",
    "int32": "i",
    "uint32": "I",
    "int64": "q",
    "uint64": "Q",
    "float32": "f",
    "float64": "d",
}


def decode_data(kind: str, raw: int) -> Any:
    """Turn unsigned raw bits (already XORed with the default) into a Python value."""
    if kind in ("uint8", "uint16", "uint32", "uint64", "enum"):
        return raw
    width = _SIGNED.get(kind)
    if width is not None:
        return raw - (1 << width) if raw >> (width - 1) else raw
    if kind == "bool":
        return bool(raw)
    if kind == "float32":
        value: float = _struct.unpack("<f", _struct.pack("<I", raw))[0]
        return value
    if kind == "float64":
        value = _struct.unpack("<d", _struct.pack("<Q", raw))[0]
        return value
    return None  # void


class _DynamicObjectReader:
    """AnyPointer content: opaque until interpreted with ``as_struct`` / ``as_list`` / ``as_text``."""

    __slots__ = ("_msg", "_seg", "_index", "_nesting")

    def __init__(self, msg: MessageReader, seg: int, index: int, nesting: int) -> None:
        self._msg = msg
        self._seg = seg
        self._index = index
        self._nesting = nesting

    def as_struct(self, schema: Any) -> "_DynamicStructReader":
        s = _schema_of(schema)
        ref = self._msg.read_struct(self._seg, self._index, self._nesting)
        if ref is None:
            ref = StructRef(self._msg, 0, 0, 0, 0, 0, self._nesting)
        return _DynamicStructReader(s, ref)

    def as_text(self) -> str:
        raw = self._msg.read_blob(self._seg, self._index, self._nesting, True)
        return "" if raw is None else _decode_text(raw)

    def as_data(self) -> bytes:
        raw = self._msg.read_blob(self._seg, self._index, self._nesting, False)
        return b"" if raw is None else raw

    def _copy_tree(self) -> Any:
        return self._msg.copy_pointer(self._seg, self._index, self._nesting)

    def __str__(self) -> str:
        return "<opaque pointer>"

    __repr__ = __str__


def _schema_of(schema: Any) -> StructSchema:
    if isinstance(schema, StructSchema):
        return schema
    inner = getattr(schema, "schema", None)
    if isinstance(inner, StructSchema):
        return inner
    raise TypeError("expected a struct type or its schema")


def _decode_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"text is not valid UTF-8: {exc.reason} at byte {exc.start}") from None


def _default_reader(field: FieldInfo) -> Any:
    """A reader over a pointer field's schema default (built once per field)."""
    if field._default_message is None:
        from .builder import build_value
        from ._wire import write_message

        assert field.type is not None
        tree = build_value(field.type, field.default)
        msg = MessageReader(write_message(tree, None), None)
        field._default_message = msg
    return field._default_message


def read_pointer(
    msg: MessageReader, seg: int, index: int, nesting: int, t: TypeInfo, raw: bool
) -> Any:
    """Read the object a pointer refers to as type ``t``; ``None`` when null.

    ``raw`` keeps Text and Data as ``bytes`` (for the printer).
    """
    kind = t.kind
    if kind == "text":
        blob = msg.read_blob(seg, index, nesting, True)
        if blob is None or raw:
            return blob
        return _decode_text(blob)
    if kind == "data":
        return msg.read_blob(seg, index, nesting, False)
    if kind == "struct":
        ref = msg.read_struct(seg, index, nesting)
        return None if ref is None else _DynamicStructReader(t.struct, ref)
    if kind == "list":
        lst = msg.read_list(seg, index, nesting)
        if lst is None:
            return None
        assert t.element is not None
        _check_list(lst, t.element, msg, seg, index)
        return _DynamicListReader(t.element, lst)
    if kind == "interface":
        if msg.word(seg, index) == 0:
            return None
        raise DecodeError(
            "message holds a capability but has no capability table", segment=seg, offset=index
        )
    # AnyPointer family: left opaque
    if msg.word(seg, index) == 0:
        return None
    return _DynamicObjectReader(msg, seg, index, nesting)


def _check_list(lst: ListRef, element: TypeInfo, msg: MessageReader, seg: int, index: int) -> None:
    """Refuse element encodings the schema's element type cannot be read from."""
    kind = element.kind
    code = lst.size_code
    if kind == "bool":
        if code != 1:
            raise DecodeError("expected a bit list", segment=seg, offset=index)
        return
    if code == 1:
        raise DecodeError("found a bit list where another list was expected", segment=seg, offset=index)
    if kind == "struct":
        return
    wanted_bits = DATA_KINDS.get(kind)
    if code == 7:
        if wanted_bits is None and lst.ptr_count == 0:
            raise DecodeError("expected a pointer list, found data-only structs", segment=seg, offset=index)
        if wanted_bits and lst.data_bytes == 0:
            raise DecodeError("expected a primitive list, found pointer-only structs", segment=seg, offset=index)
        return
    if wanted_bits is None:
        if code != 6:
            raise DecodeError("expected a pointer list", segment=seg, offset=index)
        return
    have = 0 if code == 6 else ELEMENT_BITS[code]
    if have < wanted_bits:
        raise DecodeError("list has an incompatible element type", segment=seg, offset=index)


class _DynamicStructReader:
    """Read-only view of a struct (or group) through its schema."""

    __slots__ = ("schema", "_ref")
    schema: StructSchema
    _ref: StructRef

    def __init__(self, schema: StructSchema, ref: StructRef) -> None:
        object.__setattr__(self, "schema", schema)
        object.__setattr__(self, "_ref", ref)

    # -- the primitives the printer and the public API share --

    def _data_bits(self, field: FieldInfo) -> int:
        bits = field.bits
        return self._ref.read_bits(field.offset * bits, bits) ^ field.default_bits

    def _has_field(self, field: FieldInfo) -> bool:
        if not field.is_pointer:
            return True
        ref = self._ref
        if field.offset >= ref.ptr_count:
            return False
        return ref.msg.word(ref.seg, ref.ptr_start + field.offset) != 0

    def _get_group(self, field: FieldInfo) -> "_DynamicStructReader":
        assert field.group is not None
        return _DynamicStructReader(field.group, self._ref)

    def _get_raw(self, field: FieldInfo, raw: bool = True) -> Any:
        t = field.type
        assert t is not None
        if not field.is_pointer:
            return decode_data(field.kind, self._data_bits(field))
        ref = self._ref
        value = None
        if field.offset < ref.ptr_count:
            value = read_pointer(
                ref.msg, ref.seg, ref.ptr_start + field.offset, ref.nesting, t, raw
            )
        if value is None and field.default is not None and t.kind != "anyPointer":
            msg = _default_reader(field)
            value = read_pointer(msg, 0, 0, 64, t, raw)
        return value

    def _which_field(self) -> Optional[FieldInfo]:
        schema = self.schema
        raw = self._ref.read_bits(schema.discriminant_offset * 16, 16)
        return schema.union_by_discriminant.get(raw)

    # -- public API --

    def _get(self, field: FieldInfo) -> Any:
        if field.group is not None:
            return self._get_group(field)
        value = self._get_raw(field, raw=False)
        kind = field.kind
        if kind == "enum":
            return _enum_name(field.type, value)
        if value is None:
            if kind == "text":
                return ""
            if kind == "data":
                return b""
            if kind == "struct":
                assert field.type is not None
                return _DynamicStructReader(
                    field.type.struct, StructRef(self._ref.msg, 0, 0, 0, 0, 0, 0)
                )
            if kind == "list":
                assert field.type is not None and field.type.element is not None
                return _DynamicListReader(
                    field.type.element, ListRef(self._ref.msg, 0, 0, 0, 0, 0, 0, 0, 0)
                )
        return value

    def __getattr__(self, name: str) -> Any:
        field = self.schema.fields.get(name)
        if field is None:
            raise AttributeError(f"{self.schema.name} has no field {name!r}")
        return self._get(field)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("readers are read-only; use as_builder()")

    def _get_by_name(self, name: str) -> Any:
        return self.__getattr__(name)

    def get(self, name: str) -> Any:
        return self.__getattr__(name)

    def _has(self, name: str) -> bool:
        field = self.schema.fields.get(name)
        if field is None:
            raise AttributeError(name)
        return self._has_field(field)

    def which(self) -> str:
        field = self._which_field()
        if not self.schema.union_fields:
            raise TypeError(f"{self.schema.name} has no unnamed union")
        if field is None:
            raise DecodeError("union discriminant is not known to the schema")
        return field.name

    @property
    def union(self) -> "_DynamicStructReader":
        return self

    def to_dict(self, verbose: bool = False, ordered: bool = False) -> Dict[str, Any]:
        from .convert import struct_to_dict

        return struct_to_dict(self, verbose)

    def as_builder(self) -> Any:
        from .builder import _DynamicStructBuilder

        return _DynamicStructBuilder(self.schema, self._ref.msg.copy_struct(self._ref))

    def _copy_tree(self) -> Any:
        return self._ref.msg.copy_struct(self._ref)

    def to_bytes(self) -> bytes:
        return self.as_builder().to_bytes()  # type: ignore[no-any-return]

    def __dir__(self) -> List[str]:
        return list(self.schema.fieldnames) + ["which", "to_dict", "as_builder", "schema"]

    def __str__(self) -> str:
        from ..text.printer import to_text

        return to_text(self, pretty=True)

    def __repr__(self) -> str:
        from ..text.printer import to_text

        return f"<{self.schema.name} reader {to_text(self)}>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _DynamicStructReader):
            return str(self) == str(other) and self.schema.node.id == other.schema.node.id
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __enter__(self) -> "_DynamicStructReader":
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _enum_name(t: Optional[TypeInfo], value: int) -> Union[str, int]:
    assert t is not None
    names = t.enum.names
    return names[value] if 0 <= value < len(names) else value


class _DynamicListReader:
    """Read-only list: ``len``, indexing, slicing, iteration."""

    __slots__ = ("_element_type", "_ref")
    _element_type: TypeInfo
    _ref: ListRef

    def __init__(self, element: TypeInfo, ref: ListRef) -> None:
        self._element_type = element
        self._ref = ref

    def __len__(self) -> int:
        return self._ref.count

    def _raw_at(self, index: int, raw: bool) -> Any:
        t = self._element_type
        ref = self._ref
        kind = t.kind
        bits = DATA_KINDS.get(kind)
        if bits is not None:
            return decode_data(kind, ref.element_bits(index, bits))
        if kind == "struct":
            return _DynamicStructReader(t.struct, ref.element_struct(index))
        seg, word = ref.element_pointer(index)
        return read_pointer(ref.msg, seg, word, ref.nesting, t, raw)

    def _raw_items(self) -> List[Any]:
        """Every element in printer form (Text as bytes, enums as int, null as empty)."""
        ref = self._ref
        kind = self._element_type.kind
        fmt = _BULK_FORMATS.get(kind)
        if fmt is not None and ref.size_code != 7 and ref.step_bits == _struct.calcsize(fmt) * 8:
            # one unpack call for the whole list instead of one per element
            seg = ref.msg.segments[ref.seg]
            return list(_struct.unpack_from(f"<{ref.count}{fmt}", seg, ref.start))
        items = [self._raw_at(i, True) for i in range(ref.count)]
        if kind in ("text", "data"):
            return [b"" if v is None else v for v in items]
        if kind == "list":
            return [v if v is not None else _empty_list(self._element_type) for v in items]
        return items

    def _public(self, value: Any) -> Any:
        kind = self._element_type.kind
        if kind == "enum":
            return _enum_name(self._element_type, value)
        if kind == "text":
            return "" if value is None else (value if isinstance(value, str) else _decode_text(value))
        if kind == "data":
            return b"" if value is None else value
        if kind == "list" and value is None:
            return _empty_list(self._element_type)
        return value

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = self._ref.count
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("list index out of range")
        return self._public(self._raw_at(index, False))

    def __iter__(self) -> Iterator[Any]:
        kind = self._element_type.kind
        if kind in _BULK_FORMATS and kind != "enum":
            return iter(self._raw_items())
        return (self[i] for i in range(self._ref.count))

    def __str__(self) -> str:
        from ..text.printer import to_text

        return to_text(self)

    def __repr__(self) -> str:
        return f"<list reader {self}>"

    def __eq__(self, other: object) -> bool:
        try:
            result: bool = list(self) == list(other)  # type: ignore[call-overload]
        except TypeError:
            return NotImplemented
        return result

    __hash__ = None  # type: ignore[assignment]

    def _copy_tree(self) -> Any:
        return self._ref.msg.copy_list(self._ref)


def _empty_struct(schema: StructSchema) -> _DynamicStructReader:
    return _DynamicStructReader(schema, StructRef(MessageReader([b"\0" * 8]), 0, 0, 0, 0, 0, 0))


def _empty_list(t: TypeInfo) -> _DynamicListReader:
    assert t.element is not None
    return _DynamicListReader(t.element, ListRef(MessageReader([b"\0" * 8]), 0, 0, 0, 0, 0, 0, 0, 0))


def reader_for_struct_value(schema: StructSchema, value: Optional[StructValue]) -> _DynamicStructReader:
    """A reader over a struct in model form (schema defaults, constants)."""
    from .builder import build_value
    from ._wire import write_message

    tree = build_value(schema.loader.struct_type(schema.node.id), value or StructValue())
    msg = MessageReader(write_message(tree, None), None)
    ref = msg.root()
    return _DynamicStructReader(schema, ref)
