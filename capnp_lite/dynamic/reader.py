"""Schema-driven readers: ``_DynamicStructReader`` and ``_DynamicListReader``.

Both are thin views over the layout core's :class:`StructReader` and
:class:`ListReader`: every bounds check, limit and pointer decode happens
there.  A reader also carries the message's capability table (``caps``), or
``None`` for a plain message.

A null AnyPointer field reads, as in pycapnp, as an opaque object over the
null pointer (``as_text()`` gives ``""``, ``as_data()`` ``b""``,
``as_struct(T)`` a struct of T's defaults, ``as_list(T)`` an empty list);
has-checks, ``to_dict()`` and the printers still show the field as absent.
"""

from __future__ import annotations

import struct as _struct
from abc import ABCMeta
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from ..errors import DecodeError, NoSuchFieldError, UsageError
from ..schema.model import StructValue
from ..wire.layout import (
    AnyPointerReader,
    ListReader,
    MessageBuilder,
    MessageContext,
    MessageReader,
    StructReader,
    raw_text,
    read_list_field,
    read_struct_field,
)
from ..wire.pointers import ELEM_BYTE
from ..wire.segments import PYPY, Segment
from .schema import DATA_KINDS, FieldInfo, SchemaLoader, StructSchema, TypeInfo, element_size_of
from .types import element_of, type_info
from .values import EnumValue, UnionTag

__all__ = [
    "_DynamicStructReader",
    "_DynamicListReader",
    "_DynamicObjectReader",
    "Caps",
    "read_pointer",
    "resolve_cap",
    "UnionTag",
    "BULK_FORMATS",
    "list_items",
    "raw_text",
    "reader_for_struct_value",
    "make_reader",
    "reader_class",
    "data_getter",
    "display_name",
]

Caps = Optional[Sequence[object]]

# Bulk ``to_list`` format of each data kind.
BULK_FORMATS: Dict[str, str] = {
    "bool": "?",
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

_EMPTY_MESSAGE = MessageReader([bytes(8)])


def union_tag(schema: StructSchema, which_field: Callable[[], Optional[FieldInfo]]) -> UnionTag:
    """What ``which`` gives on a struct of ``schema`` (reader or builder): the active union
    member's tag; ``which_field`` finds that member (None for a discriminant the schema does
    not know)."""
    if not schema.union_infos:
        raise UsageError(f"Attempted to call which on a non-union type ({schema.name})")
    field = which_field()
    if field is None:
        raise DecodeError(f"{schema.name}: union discriminant is not known to the schema")
    tag = field.tag
    assert tag is not None
    return tag


def resolve_cap(index: Optional[int], caps: Caps) -> Any:
    """The object a capability pointer's ``index`` names in ``caps``."""
    if index is None:
        return None
    if caps is None:
        raise DecodeError("message holds a capability but has no capability table")
    if index >= len(caps):
        raise DecodeError(
            f"capability index {index} is outside the {len(caps)}-entry capability table"
        )
    return caps[index]


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


class _DynamicObjectReader(metaclass=ABCMeta):
    """AnyPointer content: opaque until interpreted with ``as_struct`` / ``as_text``.

    An AnyPointer of RPC params or results (``capnp_lite.aio``'s ``AnyView``) has the same
    methods and is registered as a virtual subclass, so that ``isinstance`` checks of ported
    code hold for both, as pycapnp's single class does; code here tells them apart by type.
    """

    __slots__ = ("_ptr", "_caps")

    def __init__(self, ptr: AnyPointerReader, caps: Caps) -> None:
        self._ptr = ptr
        self._caps = caps

    def as_struct(self, schema: Any) -> "_DynamicStructReader":
        return make_reader(_schema_of(schema), self._ptr.get_struct(), self._caps)

    def as_list(self, element: Any) -> "_DynamicListReader":
        """The list held here, its elements read as ``element`` (a struct type or a TypeInfo)."""
        t = element_type_of(element)
        return _DynamicListReader(t, self._ptr.get_list(element_size_of(t)), self._caps)

    def as_text(self) -> str:
        return self._ptr.get_text()

    def as_data(self) -> bytes:
        return self._ptr.get_data()

    def as_interface(self, interface: Any = None) -> Any:
        return resolve_cap(self._ptr.get_capability(), self._caps)

    def __str__(self) -> str:
        return "<opaque pointer>"

    __repr__ = __str__


def _default_pointer(field: FieldInfo) -> AnyPointerReader:
    """A reader over a pointer field's schema default (built once per field)."""
    if field._default_message is None:
        from .builder import write_value

        assert field.type is not None
        mb = MessageBuilder(growth="single")
        holder = mb.init_root(0, 1)
        write_value(holder, 0, field.type, field.default, None)
        field._default_message = holder.as_reader().get_pointer(0)
    ptr: AnyPointerReader = field._default_message
    return ptr


def read_pointer(ptr: AnyPointerReader, t: TypeInfo, caps: Caps, raw: bool) -> Any:
    """The object ``ptr`` refers to, read as type ``t``; ``None`` when null.

    ``raw`` keeps Text as ``bytes`` (for the printer).
    """
    if ptr.is_null():
        return None
    kind = t.kind
    if kind == "text":
        if raw:
            return raw_text(ptr.get_data())
        return ptr.get_text()
    if kind == "data":
        return ptr.get_data()
    if kind == "struct":
        return make_reader(t.struct, ptr.get_struct(), caps)
    if kind == "list":
        assert t.element is not None
        return _DynamicListReader(t.element, ptr.get_list(element_size_of(t.element)), caps)
    if kind == "interface":
        return resolve_cap(ptr.get_capability(), caps)
    return _DynamicObjectReader(ptr, caps)


def own_field(schema: StructSchema, field: Any) -> FieldInfo:
    """``field`` when it is one of ``schema``'s fields (what ``schema.fields`` holds)."""
    if not isinstance(field, FieldInfo) or schema.fields.get(field.name) is not field:
        raise NoSuchFieldError(f"{schema.name} has no field {getattr(field, 'name', field)!r}")
    return field


def data_field(schema: StructSchema, name: str) -> FieldInfo:
    """The Data field ``name`` (``get_data_as_view`` refuses any other, as pycapnp does)."""
    field = schema.fields.get(name)
    if field is None:
        raise NoSuchFieldError(f"{schema.name} has no field {name!r}")
    if field.kind != "data":
        raise TypeError(f"{schema.name}.{name} is not a DATA field")
    return field


def element_type_of(element: Any) -> TypeInfo:
    """A list's element type as ``as_list`` and ``init_as_list`` take it: the element's type (a
    TypeInfo, ``capnp.types.Int32``..., a struct, enum or interface as its module or schema),
    or as pycapnp takes it, the list's own type (``_ListSchema(element)``)."""
    listed = element_of(element)
    return listed if listed is not None else type_info(element)


# The type of an AnyPointer slot (no loader lookup is ever made for it).
ANY_POINTER = TypeInfo("anyPointer", SchemaLoader([]))


class UnionAccess:
    """``which`` and pycapnp's spellings of it, shared by struct readers and builders (which
    give ``schema`` and ``_which_field``)."""

    __slots__ = ()
    schema: StructSchema

    def _which_field(self) -> Optional[FieldInfo]:
        raise NotImplementedError

    @property
    def which(self) -> UnionTag:
        """The active member of the unnamed union (a property, also callable: ``which()``)."""
        return union_tag(self.schema, self._which_field)

    def _which(self) -> UnionTag:
        return self.which

    def _which_str(self) -> str:
        return str.__str__(self.which)


class _DynamicStructReader(UnionAccess):
    """Read-only view of a struct (or group) through its schema."""

    # The struct's coordinates, for the fast paths: message context, segment,
    # data section offset and size in bytes, pointer section word and size, and
    # nesting levels left.  The layout reader ``_sr`` is made from them on first
    # use (``_src`` caches it), so readers of list elements cost no layout object.
    # ``_v`` caches the data section's scalars, unpacked together on first use
    # (see ``_ScalarSection``); None until then.
    __slots__ = ("schema", "_src", "_caps", "_ctx", "_seg", "_d", "_n", "_p", "_c", "_k", "_v")
    schema: StructSchema
    _src: Optional[StructReader]
    _caps: Caps
    _ctx: MessageContext
    _seg: Segment
    _d: int
    _n: int
    _p: int
    _c: int
    _k: int
    _v: Optional[Tuple[Any, ...]]

    def __new__(
        cls, schema: StructSchema, sr: StructReader, caps: Caps = None
    ) -> "_DynamicStructReader":
        # Constructing the base class gives the schema's subclass (fields as properties).
        if cls is _DynamicStructReader:
            cls = schema.reader_cls or reader_class(schema)
        obj: _DynamicStructReader = _new_object(cls)
        return obj

    def __init__(self, schema: StructSchema, sr: StructReader, caps: Caps = None) -> None:
        _fill_reader(self, schema, sr, caps)

    @property
    def _sr(self) -> StructReader:
        """The layout core's reader of this struct (made on first use)."""
        sr = self._src
        if sr is None:
            sr = StructReader(self._ctx, self._seg, self._d, self._n, self._p, self._c, self._k)
            self._src = sr
        return sr

    @property
    def _r(self) -> StructReader:
        """The same as ``_sr``: the name the generated runtime's fast paths fall back to."""
        return self._sr

    # -- the primitives the printer and the public API share --

    def _has_field(self, field: FieldInfo) -> bool:
        # (StructReader.is_null on the reader's own coordinates, with no layout reader)
        if not field.is_pointer:
            return True
        i = field.offset
        return i < self._c and self._seg.u64[self._p + i] != 0

    def _get_group(self, field: FieldInfo) -> "_DynamicStructReader":
        assert field.group is not None
        return make_reader(field.group, self._sr, self._caps)

    def _get_raw(self, field: FieldInfo, raw: bool = True) -> Any:
        """A field in printer form: enums as int, Text as bytes, null pointers as None."""
        if not field.is_pointer:
            if field.read is None:
                return None  # void
            return field.read(self._sr, field.offset, field.wire_default)
        t = field.type
        assert t is not None
        ptr = self._sr.get_pointer(field.offset)
        if ptr.is_null():
            if field.default is None or t.kind == "anyPointer":
                return None
            ptr = _default_pointer(field)
        return read_pointer(ptr, t, self._caps, raw)

    def _which_field(self) -> Optional[FieldInfo]:
        schema = self.schema
        return schema.union_by_discriminant.get(self._sr.get_uint16(schema.discriminant_offset))

    # -- public API --

    def _get_field(self, field: FieldInfo) -> Any:
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
                return _empty_struct(field.type.struct)
            if kind == "list":
                assert field.type is not None and field.type.element is not None
                return _empty_list(field.type)
            if kind == "anyPointer":
                # As pycapnp: an object over the null pointer, whose as_text() is "",
                # as_struct() a struct of defaults and as_list() an empty list.
                return _DynamicObjectReader(self._sr.get_pointer(field.offset), self._caps)
        return value

    # No ``__getattr__``: each schema's subclass has a property per field, and a
    # class with that hook makes every attribute load in the fast paths slower.

    def _get_by_name(self, name: str) -> Any:
        field = self.schema.fields.get(name)
        if field is None:
            raise NoSuchFieldError(f"{self.schema.name} has no field {name!r}")
        return self._get_field(field)

    def get(self, name: str) -> Any:
        return self._get_by_name(name)

    def _get(self, name: str) -> Any:
        """The field ``name`` (pycapnp's name for ``get``)."""
        return self._get_by_name(name)

    def _has(self, name: str) -> bool:
        field = self.schema.fields.get(name)
        if field is None:
            raise AttributeError(name)
        return self._has_field(field)

    # pycapnp's field-object forms (``schema.fields[name]`` gives the field).

    def _get_by_field(self, field: FieldInfo) -> Any:
        return self._get_field(own_field(self.schema, field))

    def _has_by_field(self, field: FieldInfo) -> bool:
        return self._has_field(own_field(self.schema, field))

    def get_data_as_view(self, name: str) -> memoryview:
        """A Data field's bytes without a copy: a read-only view of the message."""
        field = data_field(self.schema, name)
        lst = self._sr.get_list(field.offset, ELEM_BYTE, _default_pointer(field).get_list())
        start = lst.data_offset
        return lst.segment.b[start:start + len(lst)].toreadonly()  # (a builder's as_reader())

    @property
    def union(self) -> "_DynamicStructReader":
        return self

    @property
    def layout(self) -> StructReader:
        """The layout core's reader of this struct."""
        return self._sr

    def to_dict(
        self, verbose: bool = False, ordered: bool = False, encode_bytes_as_base64: bool = False
    ) -> Dict[str, Any]:
        """Plain Python values: the active union member, then the other fields (pointers
        only when set, unless ``verbose``); an ``OrderedDict`` at every level when
        ``ordered``; Data as base64 text when ``encode_bytes_as_base64``."""
        from .convert import struct_to_dict

        return struct_to_dict(self, verbose, ordered, encode_bytes_as_base64)

    @property
    def total_size(self) -> Any:
        """Words (``word_count``) and capabilities (``cap_count``) this struct holds, in all."""
        from .builder import message_size

        return message_size(self._sr, self._caps)

    @property
    def is_root(self) -> bool:
        """True for a view of the root of a message being built (``builder.as_reader()``).

        As in pycapnp, a reader of a message read from bytes says False.
        """
        ctx = self._ctx
        if not isinstance(ctx, MessageBuilder):
            return False
        root = ctx.root_reader()
        # (a group shares its parent's position: never the root)
        return (root.segment.id == self._seg.id and root.data_offset == self._d
                and not self.schema.model.is_group)

    def as_builder(self, num_first_segment_words: Optional[int] = None,
                   allocate_seg_callable: Any = None) -> Any:
        """A builder of a new message holding a copy of this struct, in segments from
        ``allocate_seg_callable`` when given (see ``_PyCustomMessageBuilder``; the first
        asked for at least ``num_first_segment_words``).  Without it the builder sizes its
        segments itself."""
        from .builder import allocated, builder_from_reader

        return builder_from_reader(self.schema, self._sr, self._caps,
                                   allocated(allocate_seg_callable, num_first_segment_words))

    def to_bytes(self) -> bytes:
        return self.as_builder().to_bytes()  # type: ignore[no-any-return]

    def __reduce_ex__(self, protocol: Any) -> Tuple[Any, Tuple[int, bytes]]:
        """Pickled as the struct's type id and its bytes; unpickled as a reader, found among
        the schemas loaded at that time (as pycapnp does).  ``copy.copy`` gives a reader too."""
        return _pickled(self, bool(self._caps))

    def __dir__(self) -> List[str]:
        return list(self.schema.fieldnames) + ["which", "to_dict", "as_builder", "schema"]

    def __str__(self) -> str:
        from ..text.printer import to_text

        return to_text(self, pretty=True)

    def __repr__(self) -> str:
        from ..text.printer import to_text

        return f"<{display_name(self.schema)} reader {to_text(self)}>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _DynamicStructReader):
            return str(self) == str(other) and self.schema.model.id == other.schema.model.id
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __enter__(self) -> "_DynamicStructReader":
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def display_name(schema: StructSchema) -> str:
    """``file.capnp:Type.Nested`` as pycapnp shows it (the file's base name only)."""
    name = schema.model.display_name
    file, colon, rest = name.rpartition(":")
    return f"{file.rsplit('/', 1)[-1]}:{rest}" if colon else name


def _enum_name(t: Optional[TypeInfo], value: int) -> Union[EnumValue, int]:
    assert t is not None
    return t.enum.value_of(value)


def list_items(element: TypeInfo, lst: ListReader, caps: Caps, raw: bool) -> List[Any]:
    """Every element of ``lst``: data in bulk, pointers one by one (null as None)."""
    kind = element.kind
    fmt = BULK_FORMATS.get(kind)
    if fmt is not None:
        return lst.to_list(fmt)
    n = len(lst)
    if kind == "void":
        return [None] * n
    if kind == "struct":
        return struct_list_readers(element.struct, lst, caps)
    return [read_pointer(lst.get_pointer(i), element, caps, raw) for i in range(n)]


class _DynamicListReader:
    """Read-only list: ``len``, indexing, slicing, iteration."""

    __slots__ = ("_element_type", "_lst", "_caps")
    _element_type: TypeInfo
    _lst: ListReader

    def __init__(self, element: TypeInfo, lst: ListReader, caps: Caps = None) -> None:
        self._element_type = element
        self._lst = lst
        self._caps = caps

    def __len__(self) -> int:
        return len(self._lst)

    def _raw_at(self, index: int, raw: bool) -> Any:
        t = self._element_type
        lst = self._lst
        kind = t.kind
        if kind == "struct":
            return make_reader(t.struct, lst.get_struct(index), self._caps)
        if kind in DATA_KINDS:
            if kind == "void":
                return None
            return getattr(lst, "get_" + _ELEMENT_GETTER[kind])(index)
        return read_pointer(lst.get_pointer(index), t, self._caps, raw)

    def _raw_items(self) -> List[Any]:
        """Every element in printer form (Text as bytes, enums as int, null as empty)."""
        element = self._element_type
        items = list_items(element, self._lst, self._caps, True)
        kind = element.kind
        if kind in ("text", "data"):
            return [b"" if v is None else v for v in items]
        if kind == "list":
            return [v if v is not None else _empty_list(element) for v in items]
        return items

    def _public(self, value: Any) -> Any:
        t = self._element_type
        kind = t.kind
        if kind == "enum":
            return _enum_name(t, value)
        if value is None:
            if kind == "text":
                return ""
            if kind == "data":
                return b""
            if kind == "list":
                return _empty_list(t)
        return value

    def _get(self, index: int) -> Any:
        """Element ``index`` (pycapnp's name for ``self[index]``)."""
        return self[index]

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        lst = self._lst
        n = lst._count  # (the layout view's own fields: this runs once per element read)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("list index out of range")
        t = self._element_type
        if t.kind == "struct":
            # As struct_list_readers makes each element: from the list's coordinates, with
            # no layout object (a bit list or one nested too deep takes the layout's path).
            step = lst._step
            k = lst._nest - 1
            if not step & 7 and k >= 0:
                schema = t.struct
                return _element_reader(
                    schema.reader_cls or reader_class(schema), schema, self._caps, lst._ctx,
                    lst._seg, lst._base + index * (step >> 3), lst._dbits >> 3, lst._pcount,
                    k, None)
        return self._public(self._raw_at(index, False))

    def __iter__(self) -> Iterator[Any]:
        t = self._element_type
        kind = t.kind
        lst = self._lst
        if kind == "text":
            return iter(lst.texts())  # null elements read as ""
        if kind == "data":
            get_data = lst.get_data
            return iter([get_data(i) for i in range(len(lst))])
        items = list_items(t, lst, self._caps, False)
        if kind in ("enum", "list"):
            return (self._public(v) for v in items)
        return iter(items)

    @property
    def layout(self) -> ListReader:
        return self._lst

    def __str__(self) -> str:
        from ..text.printer import to_text

        return to_text(self, pretty=True)

    def __repr__(self) -> str:
        from ..text.printer import to_text

        return f"<capnp list reader {to_text(self)}>"

    def __eq__(self, other: object) -> bool:
        try:
            result: bool = list(self) == list(other)  # type: ignore[call-overload]
        except TypeError:
            return NotImplemented
        return result

    __hash__ = None  # type: ignore[assignment]


# --------------------------------------------------------------------------
# Text and lists of Text or numbers read through the generated API's runtime
# helpers: near pointers decoded inline (charging the traversal budget as the
# layout core does), anything else handed to the core through ``_r``.
# --------------------------------------------------------------------------

_PYPY = PYPY
# Element kinds whose lists are read in one pass, with their struct format.
_NUMBER_FORMATS: Dict[str, str] = {
    k: BULK_FORMATS[k]
    for k in ("int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
              "float32", "float64")
}
# text, text_list and prim_list of codegen.runtime, imported on first use
# (importing it loads the code generator).
_runtime: Any = None


def _fast_paths() -> Any:
    global _runtime
    if _runtime is None:
        from ..codegen import runtime

        _runtime = runtime
    return _runtime


class _DecodedListReader(_DynamicListReader):
    """A List(Text) or list of numbers read in one pass: its values are held.

    ``_items`` is a list, or for Text behind pointers the fast path does not
    take a lazy sequence that decodes (and reports errors) element by element.
    The layout reader (``layout``, the printer's raw form) is made on demand
    from the struct it was read from, charging the traversal budget again as
    a second read of the field would.
    """

    __slots__ = ("_items", "_owner", "_index")
    _items: Sequence[Any]

    def __init__(self, element: TypeInfo, items: Sequence[Any], owner: Any, index: int) -> None:
        self._element_type = element
        self._items = items
        self._owner = owner  # the struct reader holding the pointer
        self._index = index  # the pointer's index in it
        self._caps = owner._caps

    def _list(self) -> ListReader:
        try:
            return self._lst
        except AttributeError:
            r = self._owner
            lst = read_list_field(r._ctx, r._seg, r._p, r._c, self._index, r._k,
                                  element_size_of(self._element_type))
            self._lst = lst
            return lst

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: Any) -> Any:
        items = self._items
        if isinstance(index, slice):
            return items[index]
        n = len(items)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("list index out of range")
        return items[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)

    def _raw_items(self) -> List[Any]:
        items = self._items
        if type(items) is not list:
            self._list()  # the layout list the base class reads from
            return super()._raw_items()
        if self._element_type.kind == "text":
            return [s.encode("utf-8") for s in items]  # decoded from UTF-8: exact
        return list(items)

    def _raw_at(self, index: int, raw: bool) -> Any:
        if raw and self._element_type.kind == "text":
            self._list()  # the layout list the base class reads from
            return super()._raw_at(index, raw)
        return self._items[index]

    @property
    def layout(self) -> ListReader:
        return self._list()


def _decoded_list(element: TypeInfo, items: Sequence[Any], owner: Any, index: int
                  ) -> _DecodedListReader:
    """``_DecodedListReader(element, items, owner, index)`` without the ``__init__`` call."""
    r: _DecodedListReader = _new_object(_DecodedListReader)
    r._element_type = element
    r._items = items
    r._owner = owner
    r._index = index
    r._caps = owner._caps
    return r


_ELEMENT_GETTER: Dict[str, str] = {
    "bool": "bool",
    "int8": "int8",
    "uint8": "uint8",
    "int16": "int16",
    "uint16": "uint16",
    "enum": "uint16",
    "int32": "int32",
    "uint32": "uint32",
    "int64": "int64",
    "uint64": "uint64",
    "float32": "float32",
    "float64": "float64",
}


def _empty_struct(schema: StructSchema) -> _DynamicStructReader:
    return make_reader(schema, _EMPTY_MESSAGE.root())


def _empty_list(t: TypeInfo) -> _DynamicListReader:
    assert t.element is not None
    es = element_size_of(t.element)
    return _DynamicListReader(t.element, _EMPTY_MESSAGE.root_pointer().get_list(es))


def reader_for_struct_value(
    schema: StructSchema, value: Optional[StructValue]
) -> _DynamicStructReader:
    """A reader over a struct in model form (schema defaults, constants)."""
    from .builder import new_builder

    builder = new_builder(schema)
    builder._set_fields(value or StructValue())
    return builder.as_reader()



# --------------------------------------------------------------------------
# Per-schema reader classes: each field a property whose getter was chosen
# when the class was made, so reading a field is one call (no __getattr__).
# --------------------------------------------------------------------------

_new_object = object.__new__


def _pickled(struct: Any, has_caps: bool) -> Tuple[Any, Tuple[int, bytes]]:
    """``__reduce_ex__`` of struct readers and builders."""
    from . import _struct_reducer

    if has_caps:
        raise TypeError(f"cannot pickle {struct.schema.model.display_name}: its message holds "
                        "capabilities, which belong to a connection")
    return _struct_reducer, (struct.schema.model.id, struct.to_bytes())


def _fill_reader(r: _DynamicStructReader, schema: StructSchema, sr: StructReader,
                 caps: Caps) -> None:
    r.schema = schema
    r._src = sr
    r._caps = caps
    r._ctx = sr.context
    r._seg = sr.segment
    r._d = sr.data_offset
    r._n = sr.data_size
    r._p = sr.pointer_offset
    r._c = sr.ptr_count
    r._k = sr.nesting_left
    r._v = None


def make_reader(schema: StructSchema, sr: StructReader, caps: Caps = None) -> _DynamicStructReader:
    """A dynamic reader of ``sr`` (the schema's own subclass), without ``__init__``'s call."""
    cls = schema.reader_cls or reader_class(schema)
    r: _DynamicStructReader = _new_object(cls)
    _fill_reader(r, schema, sr, caps)
    return r


def struct_list_readers(
    schema: StructSchema, lst: ListReader, caps: Caps
) -> List[_DynamicStructReader]:
    """A reader of every element of the struct list ``lst`` (already checked), made at once."""
    n = len(lst)
    if not n:
        return []
    cls = schema.reader_cls or reader_class(schema)
    step = lst.step_bits
    k = lst.nesting_left - 1  # an element is one level below its list
    if step & 7 or k < 0:  # a bit list read as structs, or too deep: the layout reports it
        return [make_reader(schema, lst.get_struct(i), caps) for i in range(n)]
    step >>= 3
    ctx = lst.context
    seg = lst.segment
    size = lst.data_bits_per_element >> 3
    pc = lst.ptrs_per_element
    first = lst.data_offset
    out: List[_DynamicStructReader] = []
    append = out.append
    element = _element_reader
    end = first + n * step
    rows: Any = None
    section = getattr(cls, "_section", None)
    if (section is not None and step and size >= section.size and not _PYPY
            and not isinstance(ctx, MessageBuilder)):
        # Every element's scalars in one pass over the list's bytes; a reader
        # of a message being built never caches them (see _section_loader).
        rows = _rows(section, step).iter_unpack(seg.b[first:end])
    for d in range(first, end, step) if step else [first] * n:
        append(element(cls, schema, caps, ctx, seg, d, size, pc, k,
                       None if rows is None else next(rows)))
    return out


def _element_reader(cls: type, schema: StructSchema, caps: Caps, ctx: MessageContext,
                    seg: Segment, d: int, size: int, pc: int, k: int, v: Any
                    ) -> _DynamicStructReader:
    """A reader of the struct at byte ``d`` of ``seg`` (``size`` data bytes, ``pc``
    pointers, ``k`` nesting levels left, ``v`` its scalars if unpacked already)."""
    r: _DynamicStructReader = _new_object(cls)
    r.schema = schema
    r._src = None
    r._caps = caps
    r._ctx = ctx
    r._seg = seg
    r._d = d
    r._n = size
    r._p = (d + size) >> 3
    r._c = pc
    r._k = k
    r._v = v
    return r


def _rows(section: _struct.Struct, step: int) -> _struct.Struct:
    """``section`` followed by padding to ``step`` bytes: one list element's unpacker."""
    key = (section.format, step)
    st = _ROWS.get(key)
    if st is None:
        st = _ROWS[key] = _struct.Struct(f"{section.format}{step - section.size}x")
    return st


_ROWS: Dict[Tuple[str, int], _struct.Struct] = {}


Getter = Callable[[Any], Any]


def _int_getter(kind: str, offset: int, default: int) -> Getter:
    """Reads an integer field straight from the segment's typed view.

    ``self._n`` is the struct's data size: a field beyond it (an older, shorter
    struct) reads as the default, like the layout getters.
    """
    if kind in ("int8", "uint8"):
        end = offset + 1
        if kind == "int8":
            def get_i8(self: Any) -> int:
                if self._n < end:
                    return default
                v: int = self._seg.i8[self._d + offset] ^ default
                return v
            return get_i8

        def get_u8(self: Any) -> int:
            if self._n < end:
                return default
            v: int = self._seg.u8[self._d + offset] ^ default
            return v
        return get_u8
    if kind in ("int16", "uint16", "enum"):
        b = offset << 1
        end = b + 2
        if kind == "int16":
            def get_i16(self: Any) -> int:
                if self._n < end:
                    return default
                v: int = self._seg.i16[(self._d + b) >> 1] ^ default
                return v
            return get_i16

        def get_u16(self: Any) -> int:
            if self._n < end:
                return default
            v: int = self._seg.u16[(self._d + b) >> 1] ^ default
            return v
        return get_u16
    if kind in ("int32", "uint32"):
        b = offset << 2
        end = b + 4
        if kind == "int32":
            def get_i32(self: Any) -> int:
                if self._n < end:
                    return default
                v: int = self._seg.i32[(self._d + b) >> 2] ^ default
                return v
            return get_i32

        def get_u32(self: Any) -> int:
            if self._n < end:
                return default
            v: int = self._seg.u32[(self._d + b) >> 2] ^ default
            return v
        return get_u32
    b = offset << 3
    end = b + 8
    if kind == "int64":
        def get_i64(self: Any) -> int:
            if self._n < end:
                return default
            v: int = self._seg.i64[(self._d + b) >> 3] ^ default
            return v
        return get_i64

    def get_u64(self: Any) -> int:
        if self._n < end:
            return default
        v: int = self._seg.u64[(self._d + b) >> 3] ^ default
        return v
    return get_u64


def data_getter(field: FieldInfo) -> Optional[Getter]:
    """The getter of a data field for readers and builders alike (None: use ``_get_field``).

    Both classes keep ``_seg``, ``_d`` and ``_n`` (segment, data offset and
    size in bytes) and ``_sr`` or ``_sb`` (the layout object).
    """
    kind = field.kind
    offset = field.offset
    default = field.wire_default
    if kind == "void":
        return lambda self: None
    if kind == "bool":
        byte = offset >> 3
        bit = offset & 7
        flag = bool(default)

        def get_bool(self: Any) -> bool:
            if self._n <= byte:
                return flag
            return bool((self._seg.u8[self._d + byte] >> bit) & 1) != flag
        return get_bool
    if kind in ("float32", "float64"):
        if default != 0.0 or str(default).startswith("-"):
            return None  # non-zero default: XOR of the bit pattern, done by the layout
        if kind == "float32":
            b32 = offset << 2
            end32 = b32 + 4

            def get_f32(self: Any) -> float:
                if self._n < end32:
                    return 0.0
                v: float = self._seg.f32[(self._d + b32) >> 2]
                return v
            return get_f32
        b64 = offset << 3
        end64 = b64 + 8

        def get_f64(self: Any) -> float:
            if self._n < end64:
                return 0.0
            v: float = self._seg.f64[(self._d + b64) >> 3]
            return v
        return get_f64
    if kind == "enum":
        raw = _int_getter(kind, offset, default)
        assert field.type is not None
        enum_type = field.type

        def get_enum(self: Any) -> Union[EnumValue, int]:
            value: int = raw(self)
            values = enum_type.enum.values
            return values[value] if value < len(values) else value
        return get_enum
    if kind in BULK_FORMATS:
        return _int_getter(kind, offset, default)
    return None


def _reader_getter(field: FieldInfo) -> Getter:
    """The property getter of one reader field."""
    if field.group is not None:
        group = field.group
        return lambda self: make_reader(group, self._sr, self._caps)
    if not field.is_pointer:
        fast = data_getter(field)
        if fast is not None:
            return fast
        return lambda self: self._get_field(field)
    t = field.type
    assert t is not None
    index = field.offset
    d = field.default
    if t.kind == "text" and (d is None or isinstance(d, str)):
        text_default = "" if d is None else d
        text = _fast_paths().text

        def get_text(self: Any) -> str:
            value: str = text(self, index, text_default)
            return value
        return get_text
    if t.kind == "data" and (d is None or isinstance(d, bytes)):
        data_default = b"" if d is None else d
        return lambda self: self._sr.get_data(index, data_default)
    if t.kind == "struct" and d is None:
        struct_type = t

        def get_struct(self: Any) -> _DynamicStructReader:
            sr = read_struct_field(self._ctx, self._seg, self._p, self._c, index, self._k)
            return make_reader(struct_type.struct, sr, self._caps)
        return get_struct
    if t.kind == "list" and d is None:
        element = t.element
        assert element is not None
        es = element_size_of(element)
        if element.kind == "text":
            text_list = _fast_paths().text_list

            def get_text_list(self: Any) -> _DynamicListReader:
                items = text_list(self, index)
                if type(items) is not list:
                    # Not taken by the fast path (double-far pointers, texts behind
                    # far pointers): text_list gives a lazy view whose list the layout
                    # core has read and charged; iterate that list's texts in one call.
                    lst = getattr(items, "_l", None)
                    if isinstance(lst, ListReader):
                        return _DynamicListReader(element, lst, self._caps)
                return _decoded_list(element, items, self, index)
            return get_text_list
        fmt = _NUMBER_FORMATS.get(element.kind)
        if fmt is not None:
            number_fmt = fmt
            prim_list = _fast_paths().prim_list

            def get_number_list(self: Any) -> _DynamicListReader:
                return _decoded_list(element, prim_list(self, index, es, number_fmt), self, index)
            return get_number_list

        def get_list(self: Any) -> _DynamicListReader:
            lst = read_list_field(self._ctx, self._seg, self._p, self._c, index, self._k, es)
            return _DynamicListReader(element, lst, self._caps)
        return get_list
    return lambda self: self._get_field(field)


def _reserved_names(cls: type) -> set:  # type: ignore[type-arg]
    return {name for klass in cls.__mro__ for name in vars(klass)}


_READER_RESERVED = _reserved_names(_DynamicStructReader)


def reader_class(schema: StructSchema) -> type:
    """The schema's reader subclass (made once): its fields are properties.

    A field whose name is also an attribute of the base class (``which``,
    ``schema``...) keeps the base attribute, as with ``__getattr__``.
    """
    cls = schema.reader_cls
    if cls is None:
        section = _ScalarSection(schema.fields_list)
        cached = section.getters()
        # The unpacker of the cached scalars, for struct lists read in one pass.
        namespace: Dict[str, Any] = {"__slots__": (), "_section": section.st if cached else None}
        for field in schema.fields_list:
            if field.name not in _READER_RESERVED:
                getter = cached.get(field.name) or _reader_getter(field)
                namespace[field.name] = property(getter)
        cls = type(schema.name, (_DynamicStructReader,), namespace)
        schema.reader_cls = cls
    return cls


# --------------------------------------------------------------------------
# Scalars read together: a reader unpacks its data section with one
# precompiled struct.Struct on the first scalar read and keeps the values.
# --------------------------------------------------------------------------

# struct format of each integer kind (bools read their byte).
_SCALAR_FORMATS: Dict[str, str] = {
    "bool": "B",
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


class _ScalarSection:
    """The data fields of one struct type that a single ``struct.Struct`` can unpack.

    Each field becomes a slot ``(byte offset, format)``; bools share their
    byte's slot.  A field whose bytes overlap another slot (union members)
    or a float with a non-zero default keeps its own getter.  A reader of
    a message being built never caches: the builder may change the bytes.
    """

    def __init__(self, fields: Sequence[FieldInfo]) -> None:
        self.slots: Dict[Tuple[int, str], int] = {}  # (byte offset, format) -> position
        self.owned: List[Tuple[int, int]] = []  # byte ranges taken by slots
        self.fields: List[Tuple[FieldInfo, int]] = []  # field, its slot position
        for field in fields:
            fmt = _SCALAR_FORMATS.get(field.kind) if not field.is_pointer else None
            if fmt is None or field.group is not None or field.read is None:
                continue
            if field.kind in ("float32", "float64") and field.default_bits:
                continue  # XOR of a bit pattern: the layout getter does it
            width = _struct.calcsize(fmt)
            start = (field.offset >> 3) if field.kind == "bool" else field.offset * width
            position = self._slot(start, fmt, width)
            if position >= 0:
                self.fields.append((field, position))
        order = sorted(self.slots.items())
        layout = ""
        at = 0
        for (start, fmt), _ in order:
            layout += f"{start - at}x{fmt}" if start > at else fmt
            at = start + _struct.calcsize(fmt)
        # Slots sorted by offset are unpacked in that order: renumber positions.
        renumber = {old: new for new, (_, old) in enumerate(order)}
        self.fields = [(f, renumber[pos]) for f, pos in self.fields]
        self.st = _struct.Struct("<" + layout)
        # Where each slot ends, and its zero: a struct too short to hold all of a slot reads it
        # as zero bits (its field's default), never as the part that is there.
        self.ends = tuple(start + _struct.calcsize(fmt) for (start, fmt), _ in order)
        self.zeros = tuple(0.0 if fmt in "fd" else 0 for (_, fmt), _ in order)

    def _slot(self, start: int, fmt: str, width: int) -> int:
        key = (start, fmt)
        position = self.slots.get(key)
        if position is not None:
            return position
        end = start + width
        for lo, hi in self.owned:
            if start < hi and lo < end:
                return -1
        position = len(self.slots)
        self.slots[key] = position
        self.owned.append((start, end))
        return position

    def getters(self) -> Dict[str, Getter]:
        """A getter for each field in the section, by field name."""
        if not self.fields:
            return {}
        load = _section_loader(self.st, self.ends, self.zeros)
        return {f.name: _cached_getter(f, pos, load) for f, pos in self.fields}


def _section_loader(st: _struct.Struct, ends: Tuple[int, ...], zeros: Tuple[Any, ...]
                    ) -> Callable[[Any], Tuple[Any, ...]]:
    size = st.size
    unpack_from = st.unpack_from
    unpack = st.unpack

    def load(self: Any) -> Tuple[Any, ...]:
        n = self._n
        seg = self._seg
        if n >= size:
            values: Tuple[Any, ...] = unpack_from(seg.buf, self._d)
        else:
            # An older writer's shorter struct: a field not wholly inside it reads as zero
            # bits, that is as its default.
            d = self._d
            padded = unpack(bytes(seg.b[d:d + n]) + bytes(size - n))
            values = tuple([v if e <= n else z for v, e, z in zip(padded, ends, zeros)])
        if not isinstance(self._ctx, MessageBuilder):
            self._v = values
        return values
    return load


def _cached_getter(field: FieldInfo, pos: int, load: Callable[[Any], Tuple[Any, ...]]) -> Getter:
    kind = field.kind
    if kind == "bool":
        bit = field.offset & 7
        flag = bool(field.wire_default)

        def get_bool(self: Any) -> bool:
            v = self._v
            if v is None:
                v = load(self)
            set_bit: bool = (v[pos] >> bit) & 1 == 1
            return set_bit != flag
        return get_bool
    if kind == "enum":
        assert field.type is not None
        values = field.type.enum.values
        count = len(values)
        mask = field.wire_default

        def get_enum(self: Any) -> Union[EnumValue, int]:
            v = self._v
            if v is None:
                v = load(self)
            value: int = v[pos] ^ mask
            return values[value] if value < count else value
        return get_enum
    mask = field.wire_default  # floats reach here only with a zero default
    if mask and kind not in ("float32", "float64"):
        def get_xor(self: Any) -> Any:
            v = self._v
            if v is None:
                v = load(self)
            return v[pos] ^ mask
        return get_xor

    def get_plain(self: Any) -> Any:
        v = self._v
        if v is None:
            v = load(self)
        return v[pos]
    return get_plain
