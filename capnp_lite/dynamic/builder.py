"""Schema-driven builders: ``_DynamicStructBuilder`` and ``_DynamicListBuilder``.

A builder edits a small tree (see :mod:`._wire`); bytes are produced on
``to_bytes()`` by writing the tree in pre-order, which is also how the
reference tool lays out a message it copies.
"""

from __future__ import annotations

import math
import struct as _struct
from typing import IO, Any, Dict, Iterator, List, Optional

from ..errors import EncodeError
from ..schema.model import StructValue
from ._wire import FIRST_SEGMENT_WORDS, MessageReader, SBlob, SList, SStruct, write_message
from .reader import _DynamicStructReader, decode_data
from .schema import DATA_KINDS, FieldInfo, StructSchema, TypeInfo

__all__ = [
    "_DynamicStructBuilder",
    "_DynamicListBuilder",
    "build_value",
    "encode_data",
    "element_size_code",
    "message_segments",
]

_RANGES = {
    "int8": (-(1 << 7), (1 << 7) - 1),
    "int16": (-(1 << 15), (1 << 15) - 1),
    "int32": (-(1 << 31), (1 << 31) - 1),
    "int64": (-(1 << 63), (1 << 63) - 1),
    "uint8": (0, (1 << 8) - 1),
    "uint16": (0, (1 << 16) - 1),
    "uint32": (0, (1 << 32) - 1),
    "uint64": (0, (1 << 64) - 1),
    "enum": (0, (1 << 16) - 1),
}
_SIZE_CODES = {0: 0, 1: 1, 8: 2, 16: 3, 32: 4, 64: 5}
_F32 = _struct.Struct("<f")


def element_size_code(t: TypeInfo) -> int:
    bits = DATA_KINDS.get(t.kind)
    if bits is not None:
        return _SIZE_CODES[bits]
    return 7 if t.kind == "struct" else 6


def encode_data(t: TypeInfo, value: Any) -> int:
    """Unsigned bits of a data value; raises EncodeError when it does not fit."""
    kind = t.kind
    if kind == "void":
        return 0
    if kind == "bool":
        if not isinstance(value, (bool, int)):
            raise EncodeError(f"expected a bool, got {type(value).__name__}")
        return 1 if value else 0
    if kind in ("float32", "float64"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise EncodeError(f"expected a number, got {type(value).__name__}")
        f = float(value)
        if kind == "float32":
            try:
                packed = _F32.pack(f)
            except OverflowError:
                packed = _F32.pack(math.copysign(math.inf, f))
            bits: int = _struct.unpack("<I", packed)[0]
            return bits
        bits = _struct.unpack("<Q", _struct.pack("<d", f))[0]
        return bits
    if kind == "enum" and isinstance(value, str):
        index = t.enum.by_name.get(value)
        if index is None:
            raise EncodeError(f"no enumerant named {value!r}")
        return index
    if isinstance(value, bool) or not isinstance(value, int):
        raise EncodeError(f"expected an integer, got {type(value).__name__}")
    low, high = _RANGES[kind]
    if not low <= value <= high:
        raise EncodeError(f"integer value {value} out of range for {kind}")
    return value & high if low == 0 else value & ((high << 1) | 1)


def _blob(t: TypeInfo, value: Any) -> SBlob:
    if t.kind == "text":
        if isinstance(value, str):
            raw = value.encode("utf-8", "surrogateescape")
        elif isinstance(value, (bytes, bytearray, memoryview)):
            raw = bytes(value)
        else:
            raise EncodeError(f"expected text, got {type(value).__name__}")
        return SBlob(raw + b"\0")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return SBlob(bytes(value))
    if isinstance(value, str):
        return SBlob(value.encode("utf-8"))
    raise EncodeError(f"expected bytes, got {type(value).__name__}")


def _tree_of(value: Any) -> Any:
    """The builder tree of a reader or builder value (deep copy for readers)."""
    if isinstance(value, (_DynamicStructBuilder, _DynamicListBuilder)):
        return _clone(value._tree())
    copier = getattr(value, "_copy_tree", None)
    if copier is not None:
        return copier()
    return None


def _clone(node: Any) -> Any:
    if isinstance(node, SStruct):
        out = SStruct(0, 0)
        out.data = bytearray(node.data)
        out.ptrs = [_clone(p) for p in node.ptrs]
        return out
    if isinstance(node, SList):
        copy = SList(node.size_code, 0)
        copy.count = node.count
        copy.data = bytearray(node.data)
        copy.items = [_clone(p) for p in node.items]
        copy.data_words = node.data_words
        copy.ptr_count = node.ptr_count
        return copy
    return node  # SBlob and SCap are immutable


def build_value(t: TypeInfo, value: Any) -> Any:
    """Tree form of a Python value (model form: dict/StructValue, list, str, bytes, int)."""
    kind = t.kind
    if value is None:
        return None
    if kind in ("text", "data"):
        return _blob(t, value)
    if kind == "struct":
        schema = t.struct
        tree = _tree_of(value)
        if tree is not None:
            return tree
        s = SStruct(schema.data_words, schema.pointer_count)
        _DynamicStructBuilder(schema, s)._set_fields(value)
        return s
    if kind == "list":
        tree = _tree_of(value)
        if tree is not None:
            return tree
        assert t.element is not None
        items = list(value)
        lst = new_list(t.element, len(items))
        builder = _DynamicListBuilder(t.element, lst)
        for i, item in enumerate(items):
            builder[i] = item
        return lst
    if kind == "anyPointer":
        tree = _tree_of(value)
        if tree is None:
            raise EncodeError("AnyPointer fields take a struct or list reader or builder")
        return tree
    if kind == "interface":
        raise EncodeError("capabilities cannot be stored in a plain message")
    raise EncodeError(f"{kind} is not a pointer type")


def new_list(element: TypeInfo, count: int) -> SList:
    code = element_size_code(element)
    if code == 7:
        schema = element.struct
        return SList.composite(schema.data_words, schema.pointer_count, count)
    return SList(code, count)


def message_segments(root: Any, first_segment_words: Optional[int] = FIRST_SEGMENT_WORDS) -> List[bytes]:
    return write_message(root, first_segment_words)


class _DynamicStructBuilder:
    """A struct (or group) being built."""

    __slots__ = ("schema", "_s")
    schema: StructSchema
    _s: SStruct

    def __init__(self, schema: StructSchema, tree: SStruct) -> None:
        object.__setattr__(self, "schema", schema)
        tree.ensure_size(schema.data_words, schema.pointer_count)
        object.__setattr__(self, "_s", tree)

    def _tree(self) -> SStruct:
        return self._s

    # -- shared with the reader: the printer uses these --

    def _has_field(self, field: FieldInfo) -> bool:
        return not field.is_pointer or self._s.ptrs[field.offset] is not None

    def _which_field(self) -> Optional[FieldInfo]:
        raw = self._s.read_bits(self.schema.discriminant_offset * 16, 16)
        return self.schema.union_by_discriminant.get(raw)

    def as_reader(self) -> _DynamicStructReader:
        msg = MessageReader(write_message(self._s, None), None)
        return _DynamicStructReader(self.schema, msg.root())

    # -- writing --

    def _set_discriminant(self, field: FieldInfo) -> None:
        if field.in_union:
            self._s.write_bits(self.schema.discriminant_offset * 16, 16, field.discriminant)

    def _set_field(self, field: FieldInfo, value: Any) -> None:
        self._set_discriminant(field)
        if field.group is not None:
            group = self._init_group(field)
            group._set_fields(value)
            return
        t = field.type
        assert t is not None
        if not field.is_pointer:
            bits = encode_data(t, value) ^ field.default_bits
            self._s.write_bits(field.offset * field.bits, field.bits, bits)
            return
        self._s.ptrs[field.offset] = build_value(t, value)

    def _set_fields(self, value: Any) -> None:
        if isinstance(value, StructValue):
            items = list(value.fields.items())
        elif isinstance(value, dict):
            items = list(value.items())
        else:
            tree = _tree_of(value)
            if isinstance(tree, SStruct):
                self._s.data[:] = tree.data[: len(self._s.data)].ljust(len(self._s.data), b"\0")
                for i in range(len(self._s.ptrs)):
                    self._s.ptrs[i] = tree.ptrs[i] if i < len(tree.ptrs) else None
                return
            raise EncodeError(f"expected a dict for {self.schema.name}, got {type(value).__name__}")
        for name, item in items:
            self._set_field(self._field(name), item)

    def _field(self, name: str) -> FieldInfo:
        field = self.schema.fields.get(name)
        if field is None:
            raise AttributeError(f"{self.schema.name} has no field {name!r}")
        return field

    def _clear_field(self, field: FieldInfo) -> None:
        if field.group is not None:
            _DynamicStructBuilder(field.group, self._s)._clear_all()
        elif field.is_pointer:
            self._s.ptrs[field.offset] = None
        elif field.bits:
            self._s.write_bits(field.offset * field.bits, field.bits, 0)

    def _clear_all(self) -> None:
        for field in self.schema.fields_list:
            self._clear_field(field)
        if self.schema.union_fields:
            self._s.write_bits(self.schema.discriminant_offset * 16, 16, 0)

    def _init_group(self, field: FieldInfo) -> "_DynamicStructBuilder":
        assert field.group is not None
        self._set_discriminant(field)
        group = _DynamicStructBuilder(field.group, self._s)
        group._clear_all()
        return group

    def _init_field(self, field: FieldInfo, size: Optional[int] = None) -> Any:
        self._set_discriminant(field)
        if field.group is not None:
            return self._init_group(field)
        t = field.type
        assert t is not None
        if t.kind == "struct":
            s = SStruct(t.struct.data_words, t.struct.pointer_count)
            self._s.ptrs[field.offset] = s
            return _DynamicStructBuilder(t.struct, s)
        if t.kind == "list":
            if size is None:
                raise TypeError(f"init({field.name!r}) needs a size for a list")
            assert t.element is not None
            lst = new_list(t.element, size)
            self._s.ptrs[field.offset] = lst
            return _DynamicListBuilder(t.element, lst)
        if t.kind in ("text", "data") and size is not None:
            blob = SBlob(bytes(size + (1 if t.kind == "text" else 0)))
            self._s.ptrs[field.offset] = blob
            return None
        raise TypeError(f"field {field.name!r} cannot be initialised")

    # -- public API (pycapnp names) --

    def init(self, name: str, size: Optional[int] = None) -> Any:
        return self._init_field(self._field(name), size)

    def init_resizable_list(self, name: str) -> Any:
        raise NotImplementedError("init_resizable_list is not supported; build a Python list")

    def __setattr__(self, name: str, value: Any) -> None:
        self._set_field(self._field(name), value)

    def __getattr__(self, name: str) -> Any:
        field = self.schema.fields.get(name)
        if field is None:
            raise AttributeError(f"{self.schema.name} has no field {name!r}")
        return self._get(field)

    def _get(self, field: FieldInfo) -> Any:
        if field.group is not None:
            return _DynamicStructBuilder(field.group, self._s)
        t = field.type
        assert t is not None
        if not field.is_pointer:
            bits = self._s.read_bits(field.offset * field.bits, field.bits) ^ field.default_bits
            value = decode_data(field.kind, bits)
            if field.kind == "enum":
                names = t.enum.names
                return names[value] if value < len(names) else value
            return value
        node = self._s.ptrs[field.offset]
        if node is None and field.default is not None and t.kind != "anyPointer":
            node = build_value(t, field.default)
            if t.kind in ("struct", "list"):
                self._s.ptrs[field.offset] = node
        return _wrap(t, node, self._s, field.offset)

    def get(self, name: str) -> Any:
        return self.__getattr__(name)

    def _has(self, name: str) -> bool:
        return self._has_field(self._field(name))

    def which(self) -> str:
        if not self.schema.union_fields:
            raise TypeError(f"{self.schema.name} has no unnamed union")
        field = self._which_field()
        if field is None:
            raise ValueError("union discriminant is not known to the schema")
        return field.name

    def to_dict(self, verbose: bool = False, ordered: bool = False) -> Dict[str, Any]:
        return self.as_reader().to_dict(verbose, ordered)

    def to_segments(self) -> List[bytes]:
        return write_message(self._s)

    def to_bytes(self) -> bytes:
        from ..wire.framing import encode_message

        return encode_message(self.to_segments())

    def to_bytes_packed(self) -> bytes:
        from ..wire.packed import pack_message

        return pack_message(self.to_segments())

    def to_flat_bytes(self) -> bytes:
        return write_message(self._s, None)[0]

    def write(self, file: IO[bytes]) -> None:
        file.write(self.to_bytes())

    def write_packed(self, file: IO[bytes]) -> None:
        file.write(self.to_bytes_packed())

    def copy(self) -> "_DynamicStructBuilder":
        return _DynamicStructBuilder(self.schema, _clone(self._s))

    def as_builder(self) -> "_DynamicStructBuilder":
        return self.copy()

    def clear_write_flag(self) -> None:
        return None

    def disown(self, name: str) -> Any:
        field = self._field(name)
        if not field.is_pointer:
            raise TypeError(f"{name!r} is not a pointer field")
        node = self._s.ptrs[field.offset]
        self._s.ptrs[field.offset] = None
        return _Orphan(field.type, node)

    def adopt(self, name: str, orphan: "_Orphan") -> None:
        field = self._field(name)
        self._set_discriminant(field)
        self._s.ptrs[field.offset] = orphan._node

    def __dir__(self) -> List[str]:
        return list(self.schema.fieldnames) + ["init", "which", "to_dict", "to_bytes", "schema"]

    def __str__(self) -> str:
        return str(self.as_reader())

    def __repr__(self) -> str:
        from ..text.printer import to_text

        return f"<{self.schema.name} builder {to_text(self.as_reader())}>"


class _Orphan:
    """An object detached with ``disown``, to be attached with ``adopt``."""

    __slots__ = ("_type", "_node")

    def __init__(self, t: Optional[TypeInfo], node: Any) -> None:
        self._type = t
        self._node = node

    def get(self) -> Any:
        assert self._type is not None
        return _wrap(self._type, self._node, None, 0)


def _wrap(t: TypeInfo, node: Any, parent: Optional[SStruct], slot: int) -> Any:
    """Public form of a pointer value held in a builder tree."""
    kind = t.kind
    if kind == "text":
        if node is None:
            return ""
        return node.raw[:-1].decode("utf-8", "surrogateescape")
    if kind == "data":
        return b"" if node is None else node.raw
    if kind == "struct":
        if node is None:
            node = SStruct(t.struct.data_words, t.struct.pointer_count)
            if parent is not None:
                parent.ptrs[slot] = node
        return _DynamicStructBuilder(t.struct, node)
    if kind == "list":
        if node is None:
            return []
        assert t.element is not None
        return _DynamicListBuilder(t.element, node)
    if node is None:
        return None
    return _AnyBuilder(node)


class _AnyBuilder:
    """AnyPointer content held by a builder."""

    __slots__ = ("_node",)

    def __init__(self, node: Any) -> None:
        self._node = node

    def as_struct(self, schema: Any) -> _DynamicStructBuilder:
        from .reader import _schema_of

        if not isinstance(self._node, SStruct):
            raise TypeError("AnyPointer does not hold a struct")
        return _DynamicStructBuilder(_schema_of(schema), self._node)

    def _copy_tree(self) -> Any:
        return _clone(self._node)

    def __str__(self) -> str:
        return "<opaque pointer>"


class _DynamicListBuilder:
    """A list being built: ``len``, indexing, slicing, item assignment, iteration."""

    __slots__ = ("_element_type", "_l")

    def __init__(self, element: TypeInfo, tree: SList) -> None:
        self._element_type = element
        self._l = tree

    def _tree(self) -> SList:
        return self._l

    def __len__(self) -> int:
        return self._l.count

    def _index(self, index: int) -> int:
        n = self._l.count
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("list index out of range")
        return index

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = self._index(index)
        t = self._element_type
        lst = self._l
        bits = DATA_KINDS.get(t.kind)
        if bits is not None:
            if bits == 0:
                return None
            if bits == 1:
                return bool((lst.data[index >> 3] >> (index & 7)) & 1)
            start = index * bits >> 3
            value = decode_data(t.kind, int.from_bytes(lst.data[start : start + (bits >> 3)], "little"))
            if t.kind == "enum":
                names = t.enum.names
                return names[value] if value < len(names) else value
            return value
        if t.kind == "struct":
            return _DynamicStructBuilder(t.struct, lst.items[index])
        return _wrap(t, lst.items[index], None, 0)

    def __setitem__(self, index: int, value: Any) -> None:
        index = self._index(index)
        t = self._element_type
        lst = self._l
        bits = DATA_KINDS.get(t.kind)
        if bits is not None:
            raw = encode_data(t, value)
            if bits == 1:
                mask = 1 << (index & 7)
                if raw:
                    lst.data[index >> 3] |= mask
                else:
                    lst.data[index >> 3] &= ~mask & 0xFF
            elif bits:
                start = index * bits >> 3
                lst.data[start : start + (bits >> 3)] = raw.to_bytes(bits >> 3, "little")
            return
        if t.kind == "struct":
            element = lst.items[index]
            _DynamicStructBuilder(t.struct, element)._set_fields(value)
            return
        lst.items[index] = build_value(t, value)

    def init(self, index: int, size: int) -> "_DynamicListBuilder":
        """Initialise a list element of a list of lists."""
        index = self._index(index)
        t = self._element_type
        if t.kind != "list" or t.element is None:
            raise TypeError("init(index, size) needs a list of lists")
        lst = new_list(t.element, size)
        self._l.items[index] = lst
        return _DynamicListBuilder(t.element, lst)

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(self._l.count))

    def __eq__(self, other: object) -> bool:
        try:
            result: bool = list(self) == list(other)  # type: ignore[call-overload]
        except TypeError:
            return NotImplemented
        return result

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        from ..text.printer import print_list

        reader = _list_reader(self)
        return print_list(reader, 0, 0).decode("utf-8", "surrogateescape")

    def __repr__(self) -> str:
        return f"<list builder {self}>"


def _list_reader(builder: _DynamicListBuilder) -> Any:
    from .reader import _DynamicListReader

    msg = MessageReader(write_message(builder._l, None), None)
    ref = msg.read_list(0, 0, 64)
    assert ref is not None
    return _DynamicListReader(builder._element_type, ref)

