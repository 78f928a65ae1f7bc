"""Schema-driven builders: ``_DynamicStructBuilder`` and ``_DynamicListBuilder``.

Builders write straight into a layout :class:`MessageBuilder`; this module
does no offset arithmetic of its own.  ``to_bytes()`` deep-copies the root
into a fresh ``MessageBuilder`` (``set_root``), which lays objects out in
pre-order like ``capnp encode`` and drops objects left unreachable by
overwritten fields.  We chose this over keeping a tree of Python objects and
serialising it: every field write is one layout call, readers of a builder
are views (no copy), and the copy on output is the layout core's own loop.

Capabilities: every builder of a message shares one :class:`_Message`, whose
``caps`` list is the capability table.  Setting an interface field appends the
object and writes a capability pointer with its index.
"""

from __future__ import annotations

import base64
import binascii
import enum
import math
import struct as _struct
from typing import (Any, Callable, Dict, FrozenSet, Iterator, List, NamedTuple, Optional, Sequence,
                    Tuple, Union)

from ..errors import EncodeError, NoSuchFieldError, UsageError
from ..schema.model import StructValue
from ..wire.layout import (
    AllocatedMessageBuilder,
    AnyPointerReader,
    ListBuilder,
    ListReader,
    MessageBuilder,
    MessageReader,
    PointerKind,
    StructBuilder,
    StructReader,
    _UNLIMITED,
    put_primitive_list,
    put_str_list,
    put_text,
)
from ..wire.framing import encode_message
from ..wire.packed import pack_message
from ..wire.pointers import ELEM_BYTE, ELEM_COMPOSITE, ELEM_POINTER
from .reader import (
    BULK_FORMATS,
    Caps,
    _DynamicListReader,
    _DynamicObjectReader,
    _DynamicStructReader,
    _default_pointer,
    _new_object,
    _pickled,
    _reserved_names,
    _schema_of,
    data_field,
    data_getter,
    display_name,
    make_reader,
    own_field,
    raw_text,
    read_pointer,
    ANY_POINTER,
    UnionAccess,
    element_type_of,
    resolve_cap,
)
from .batch import _kept, element_plan_of, settle, settled, start_batch
from .schema import DATA_KINDS, FieldInfo, StructSchema, TypeInfo, _bindings_key, element_size_of
from .streams import write_bytes

__all__ = [
    "_DynamicStructBuilder",
    "_DynamicListBuilder",
    "coerce_data",
    "new_builder",
    "builder_from_reader",
    "write_value",
    "write_struct_into",
    "make_builder",
    "builder_class",
    "set_dict",
    "set_new",
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
_F32 = _struct.Struct("<f")
# The segment table of a one-segment message: segment count - 1, then its words.
_ONE_SEGMENT_TABLE = _struct.Struct("<II")
# A null pointer to copy from: writing it clears a slot of a struct or a list.
_NULL_POINTER = MessageReader([bytes(8)]).root_pointer()

Slot = Union[StructBuilder, ListBuilder]  # anything with pointer slots


class _Message:
    """State shared by every builder of one message."""

    __slots__ = ("mb", "caps", "order", "root_seg", "root_d", "okey", "ofirst", "oend", "onext",
                 "pending", "defer")

    def __init__(self, mb: Optional[MessageBuilder], caps: Optional[List[object]] = None) -> None:
        # Where the builders write; None while the message is pending (see _materialize).
        self.mb = mb
        self.caps: List[object] = caps if caps is not None else []  # capability table
        # While every object was allocated in pre-order (see _track): the path of
        # objects that may still gain children but its top, as [key, first, end,
        # next] slot ranges (key: a Segment, or a ListBuilder for pointer lists).
        # None once the order is broken or unknown: to_bytes() must then copy.
        self.order: Optional[List[List[Any]]] = None
        # The top of that path, in fields of its own so that the setters' common
        # check is three attribute reads: its key (None: nothing open), its slots
        # [ofirst, oend) and onext, its first slot not written yet (the three are
        # read only while okey is set).  They mean nothing once ``order`` is None.
        self.okey: object = None
        self.ofirst = 0
        self.oend = 0
        self.onext = 0
        self.root_seg: Any = None  # the root struct's segment and data offset
        self.root_d = -1
        # Batches of list elements waiting to be laid out (see batch.py), or None; and
        # whether new lists may wait (not once a view of the words has been handed out).
        self.pending: Optional[List[Any]] = None
        self.defer = True


# --------------------------------------------------------------------------
# Allocation order
# --------------------------------------------------------------------------
#
# to_bytes() must give the layout a deep copy gives: every object in pre-order
# (an object, then its pointers' targets in slot order, depth first).  When a
# message was built in that order, with nothing overwritten, its own segments
# already are that copy, so they are returned as they are.  Each write to a
# pointer slot is checked: the slot must belong to an object on the current
# path and come after every slot of that object written so far; objects above
# it on the path are finished.  Anything else marks the message out of order.


def _track(msg: _Message, key: object, w: int) -> None:
    """Record a write to pointer slot ``w`` of the object identified by ``key``."""
    stack = msg.order
    if stack is None:
        return
    while msg.okey is not None:
        if msg.okey is key and msg.ofirst <= w < msg.oend:
            if w < msg.onext:
                msg.order = None  # a slot written again, or a slot skipped earlier
            else:
                msg.onext = w + 1
            return
        # The top object is finished: the one below it becomes the top.
        if stack:
            msg.okey, msg.ofirst, msg.oend, msg.onext = stack.pop()
        else:
            msg.okey = None
    msg.order = None


def _push(msg: _Message, stack: List[List[Any]], key: object, first: int, end: int) -> None:
    """Open the object ``key`` (slots ``first`` to ``end``) on top of the path."""
    if msg.okey is not None:
        stack.append([msg.okey, msg.ofirst, msg.oend, msg.onext])
    msg.okey = key
    msg.ofirst = msg.onext = first
    msg.oend = end


def _slot_key(dst: Slot, i: int) -> Tuple[object, int]:
    if isinstance(dst, StructBuilder):
        return dst.segment, dst.pointer_offset + i
    return dst, i


def _open_struct(msg: _Message, sb: StructBuilder) -> None:
    """A new struct whose pointer slots may be written next."""
    stack = msg.order
    if stack is not None:
        pc = sb.ptr_count
        if pc:
            po = sb.pointer_offset
            _push(msg, stack, sb.segment, po, po + pc)


def _open_list(msg: _Message, lb: ListBuilder) -> None:
    """A new list whose element pointers may be written next."""
    stack = msg.order
    n = len(lb)
    if stack is None or not n:
        return
    es = lb.element_size
    if es == ELEM_COMPOSITE:
        pc = lb.ptrs_per_element
        if pc:
            # Element k's pointers start at word (data_offset + k * step + data bytes) / 8,
            # as struct_list_builders places them (no element objects made here).
            po = (lb.data_offset + (lb.data_bits_per_element >> 3)) >> 3
            _push(msg, stack, lb.segment, po, po + (((n - 1) * lb.step_bits) >> 6) + pc)
    elif es == ELEM_POINTER:
        # Pointer lists are known by the layout object itself: only writes
        # through this same ListBuilder (while filling it) keep the order.
        _push(msg, stack, lb, 0, n)


def _unordered(msg: Optional[_Message]) -> None:
    if msg is not None:
        msg.order = None


def coerce_data(t: TypeInfo, value: Any) -> Any:
    """``value`` checked for a data field of type ``t``, in the layout setter's form."""
    kind = t.kind
    if kind == "void":
        if value is not None:
            raise EncodeError(f"expected None for Void, got {type(value).__name__}")
        return None
    if kind == "bool":
        if not isinstance(value, (bool, int)):
            raise EncodeError(f"expected a bool, got {type(value).__name__}")
        return bool(value)
    if kind in ("float32", "float64"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise EncodeError(f"expected a number, got {type(value).__name__}")
        try:
            f = float(value)
        except OverflowError:  # an int beyond any float
            raise EncodeError(f"integer too large for {kind}") from None  # (not printed: it may be huge)
        if kind == "float32":
            try:
                _F32.pack(f)
            except OverflowError:  # too large for Float32: rounds to infinity
                f = math.copysign(math.inf, f)
        return f
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
    return value


# Kept for callers that only validate a value.
encode_data = coerce_data


# --------------------------------------------------------------------------
# Copies that renumber capabilities
# --------------------------------------------------------------------------


class _CapRemap:
    """Moves capabilities from one table to another while copying."""

    __slots__ = ("src", "dst", "_seen")

    def __init__(self, src: Sequence[object], dst: List[object]) -> None:
        self.src = src  # the table the source's indexes refer to
        self.dst = dst  # the table new indexes are appended to
        self._seen: Dict[int, int] = {}  # id() of a cap object -> destination index

    def index(self, old: int) -> int:
        cap = resolve_cap(old, self.src)
        new = self._seen.get(id(cap))
        if new is None:
            new = len(self.dst)
            self.dst.append(cap)
            self._seen[id(cap)] = new  # the object stays alive in ``dst``
        return new


def _remap_for(src_caps: Caps, dst_caps: Optional[List[object]]) -> Optional[_CapRemap]:
    """None when capability indexes can be copied unchanged."""
    if not src_caps or dst_caps is None or src_caps is dst_caps:
        return None
    return _CapRemap(src_caps, dst_caps)


def _copy_pointer(dst: Slot, i: int, src: AnyPointerReader, remap: Optional[_CapRemap]) -> None:
    """Deep-copy ``src`` into slot ``i`` of ``dst`` in pre-order."""
    if remap is None:
        dst.set_pointer(i, src)
        return
    kind = src.kind
    if kind == PointerKind.CAPABILITY:
        cap = src.get_capability()
        assert cap is not None
        dst.set_capability(i, remap.index(cap))
    elif kind == PointerKind.STRUCT:
        s = src.get_struct()
        _copy_struct_body(dst.init_struct(i, s.data_words, s.ptr_count), s, remap)
    elif kind == PointerKind.LIST:
        _copy_list(dst, i, src.get_list(), remap)
    else:
        dst.set_pointer(i, src)


def _copy_list(dst: Slot, i: int, lst: ListReader, remap: _CapRemap) -> None:
    es = lst.element_size
    n = len(lst)
    if es == ELEM_COMPOSITE:
        out = dst.init_struct_list(i, n, lst.data_bits_per_element >> 6, lst.ptrs_per_element)
        for k in range(n):
            _copy_struct_body(out.get_struct(k), lst.get_struct(k), remap)
    elif es == ELEM_POINTER:
        out = dst.init_list(i, ELEM_POINTER, n)
        for k in range(n):
            _copy_pointer(out, k, lst.get_pointer(k), remap)
    else:
        dst.set_list(i, lst)  # no pointers inside: a plain copy


def _copy_struct_body(dst: StructBuilder, src: StructReader, remap: Optional[_CapRemap]) -> None:
    """Overwrite ``dst``'s fields with ``src``'s (extra room in ``dst`` is cleared)."""
    have = dst.data_size_bytes
    n = min(src.data_size_bytes, have)
    words = n >> 3
    for w in range(words):
        dst.set_uint64(w, src.get_uint64(w))
    for b in range(words << 3, have):
        dst.set_uint8(b, src.get_uint8(b) if b < n else 0)
    for j in range(dst.ptr_count):
        if j < src.ptr_count:
            _copy_pointer(dst, j, src.get_pointer(j), remap)
        else:
            dst.clear_pointer(j)


def _source_of(value: Any) -> Any:
    """(layout reader, caps) of a dynamic reader or builder value, else None."""
    msg = getattr(value, "_msg", None)
    if type(msg) is _Message and msg.pending is not None:
        settle(msg)
    if isinstance(value, _DynamicStructBuilder):
        return value._sb.as_reader(), value._msg.caps
    if isinstance(value, _DynamicStructReader):
        return value._sr, value._caps
    if isinstance(value, _DynamicListBuilder):
        return value._lb.as_reader(), value._msg.caps
    if isinstance(value, _DynamicListReader):
        return value.layout, value._caps  # (a list read in one pass makes its layout list here)
    if type(value) is _DynamicObjectReader:  # (not its virtual subclasses: see its docstring)
        return value._ptr, value._caps
    if isinstance(value, _AnyBuilder):
        return value._sb.as_reader().get_pointer(value._index), value._msg.caps
    return None


def _type_name(t: TypeInfo) -> str:
    """``t`` as an error message names it: ``List(file.capnp:Inner)``, ``int32``..."""
    if t.kind == "list":
        assert t.element is not None
        return f"List({_type_name(t.element)})"
    if t.kind == "struct":
        return _struct_name(t.struct)
    return t.key


def _struct_name(schema: StructSchema) -> str:
    """A struct as an error message names it, with its brand: ``file.capnp:G(text)``."""
    name = display_name(schema)
    if not _brand_key(schema.bindings):
        return name
    bound = [("AnyPointer" if b is None else _type_name(b))
             for scope in sorted(schema.bindings) for b in schema.bindings[scope]]
    return f"{name}({', '.join(bound)})"


def _brand_key(bindings: Any) -> str:
    """A brand's identity; a generic with every parameter unbound is the same as one never
    branded (``G`` and ``G.new_message()``), as in C++."""
    if all(b is None for scope in bindings.values() for b in scope):
        return ""
    return _bindings_key(bindings)


def _same_type(a: TypeInfo, b: TypeInfo) -> bool:
    """True when a value of type ``b`` may be stored as ``a``: the same kind, node
    (struct, enum or interface), brand and list element type."""
    while a.kind == "list" and b.kind == "list":
        assert a.element is not None and b.element is not None
        a = a.element
        b = b.element
    return (a.kind == b.kind and a.node_id == b.node_id
            and _brand_key(a.bindings) == _brand_key(b.bindings))


def _same_struct(a: StructSchema, b: StructSchema) -> bool:
    """Whether a struct of ``b`` may be stored where ``a`` is expected: one node under
    one brand (``G(Text)`` is not ``G(Data)``, whose words would read otherwise)."""
    return a is b or (a.model.id == b.model.id
                      and _brand_key(a.bindings) == _brand_key(b.bindings))


def _check_struct_value(schema: StructSchema, value: Any, untyped: bool = False) -> None:
    """Refuse a value that cannot fill a struct of ``schema``, before anything is written.

    A dict, a ``StructValue`` or a dynamic struct of the same schema pass (the
    words of another would be read as this one's); with ``untyped``, so does
    an AnyPointer's content (``write_value`` copies it as it is).
    """
    if isinstance(value, (dict, StructValue)):
        return
    if isinstance(value, (_DynamicStructBuilder, _DynamicStructReader)):
        got = value.schema
        if not _same_struct(schema, got):
            raise EncodeError(f"expected a {_struct_name(schema)}, got a {_struct_name(got)}")
        return
    if untyped and (type(value) is _DynamicObjectReader or isinstance(value, _AnyBuilder)):
        return
    raise EncodeError(f"expected a dict for {schema.name}, got {type(value).__name__}")


def write_struct_into(builder: StructBuilder, value: Any, caps: List[object]) -> None:
    """See :meth:`StructSchema.write_into`."""
    source = _source_of(value)
    if source is None or not isinstance(source[0], StructReader):
        raise EncodeError(f"expected a dynamic struct builder or reader, got {type(value).__name__}")
    sr, src_caps = source
    _copy_struct_body(builder, sr, _remap_for(src_caps, caps))


# --------------------------------------------------------------------------
# Writing Python values into pointer slots
# --------------------------------------------------------------------------


def _set_text_bytes(dst: Slot, i: int, raw: bytes) -> None:
    lst = dst.init_list(i, ELEM_BYTE, len(raw) + 1)
    lst.set_all(raw + b"\0", "B")


def init_list_for(dst: Slot, i: int, element: TypeInfo, count: int) -> ListBuilder:
    es = element_size_of(element)
    if es == ELEM_COMPOSITE:
        schema = element.struct
        return dst.init_struct_list(i, count, schema.data_words, schema.pointer_count)
    return dst.init_list(i, es, count)


def write_value(dst: Slot, i: int, t: TypeInfo, value: Any, msg: Optional[_Message]) -> None:
    """Store ``value`` (Python or model form, or a dynamic object) in slot ``i`` as ``t``."""
    kind = t.kind
    caps = None if msg is None else msg.caps
    if msg is not None and msg.order is not None:
        key, w = _slot_key(dst, i)
        _track(msg, key, w)
    if value is None:
        dst.set_pointer(i, _NULL_POINTER)
        return
    if kind == "text":
        if isinstance(value, str):
            try:
                dst.set_text(i, value)
            except EncodeError:  # lone surrogates (from the text printer): the bytes they stand for
                _set_text_bytes(dst, i, _escaped_utf8(value))
        elif isinstance(value, (bytes, bytearray, memoryview)):
            _set_text_bytes(dst, i, bytes(value))
        else:
            raise EncodeError(f"expected text, got {type(value).__name__}")
        return
    if kind == "data":
        if isinstance(value, str):
            value = value.encode("utf-8")
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise EncodeError(f"expected bytes, got {type(value).__name__}")
        dst.set_data(i, value)
        return
    if kind == "interface":
        if msg is None:
            raise EncodeError("capabilities cannot be stored here")
        source = _source_of(value)
        if source is not None and isinstance(source[0], AnyPointerReader):
            _copy_pointer(dst, i, source[0], _remap_for(source[1], caps))
            return
        dst.set_capability(i, _cap_index(msg.caps, value))
        return
    source = _source_of(value)
    if source is not None:
        src, src_caps = source
        remap = _remap_for(src_caps, caps)
        if isinstance(src, StructReader):
            if kind == "list":
                raise EncodeError("expected a list, got a struct")
            if kind == "struct":
                _check_struct_value(t.struct, value)
            if remap is None:
                dst.set_struct(i, src)
            else:
                _copy_struct_body(dst.init_struct(i, src.data_words, src.ptr_count), src, remap)
        elif isinstance(src, ListReader):
            if kind == "struct":
                raise EncodeError("expected a struct, got a list")
            if kind == "list":
                assert t.element is not None
                got = value._element_type  # a dynamic list's: the one kind of ListReader source
                if got is not t.element and not _same_type(t.element, got):
                    raise EncodeError(f"expected a {_type_name(t)}, got a List({_type_name(got)})")
            if remap is None:
                dst.set_list(i, src)
            else:
                _copy_list(dst, i, src, remap)
        else:
            _copy_pointer(dst, i, src, remap)
        return
    if kind == "struct":
        schema = t.struct
        _check_struct_value(schema, value)  # before the old struct is replaced
        sb = dst.init_struct(i, schema.data_words, schema.pointer_count)
        if msg is not None:
            _open_struct(msg, sb)
        make_builder(schema, sb, msg or _Message(MessageBuilder(1)))._set_fields(value)
        return
    if kind == "list":
        assert t.element is not None
        if isinstance(value, (str, bytes, dict)):
            raise EncodeError(f"expected a list, got {type(value).__name__}")
        try:
            items = list(value)
        except TypeError:
            raise EncodeError(f"expected a list, got {type(value).__name__}") from None
        lb = init_list_for(dst, i, t.element, len(items))
        if msg is not None:
            _open_list(msg, lb)
        _fill_list(t.element, lb, items, msg)
        return
    if kind == "anyPointer":
        if isinstance(value, str):  # as pycapnp: a str in an AnyPointer is stored as Text
            dst.set_text(i, value)
            return
        if msg is None or isinstance(value, (bytes, bytearray, list, tuple, dict)):
            raise EncodeError(
                "AnyPointer fields take text, a struct or list reader or builder, or a capability"
            )
        dst.set_capability(i, _cap_index(msg.caps, value))  # any other object: a capability
        return
    raise EncodeError(f"{kind} is not a pointer type")


def _fill_list(element: TypeInfo, lb: ListBuilder, items: List[Any], msg: Optional[_Message]) -> None:
    kind = element.kind
    fmt = BULK_FORMATS.get(kind)
    if fmt is not None:
        exact = _EXACT_TYPE.get(kind)
        if exact is not None and set(map(type, items)) <= exact:
            # array.array range-checks these in C; coerce_data would only repeat it.
            lb.set_all(items, fmt)
        else:
            lb.set_all([coerce_data(element, v) for v in items], fmt)
        return
    if kind == "void":
        for v in items:
            coerce_data(element, v)
        return
    if kind == "struct":
        schema = element.struct
        if msg is not None and msg.defer and items and _fill_waiting(schema, lb, items, msg):
            return
        owner = msg or _Message(MessageBuilder(1))
        get = lb.get_struct
        for k, v in enumerate(items):
            make_builder(schema, get(k), owner)._set_fields(v)
        return
    for k, v in enumerate(items):
        if v is not None:
            write_value(lb, k, element, v, msg)


def set_dict(b: _DynamicStructBuilder, value: Dict[str, Any]) -> None:
    """Set the fields ``value`` names on ``b``, each through its property's setter (a field
    named like a builder method, which has none, through ``_set_field``); Data given as a
    str is base64, as in pycapnp."""
    cls = type(b)
    setters, data = cls.__dict__.get("_setters") or _setters_of(cls, b.schema)
    for name, item in value.items():
        if type(b) is not cls:  # a pending root or waiting element became an ordinary builder
            cls = type(b)
            setters, data = cls.__dict__.get("_setters") or _setters_of(cls, b.schema)
        if type(item) is str and name in data:
            item = _base64_data(name, item)
        setter = setters.get(name)
        if setter is None:
            b._set_field(b._field(name), item)  # (raises NoSuchFieldError for no field)
        else:
            setter(b, item)


def _setters_of(cls: type, schema: StructSchema) -> Tuple[Dict[str, Setter], FrozenSet[str]]:
    """The setter of each field in the builder class ``cls`` of ``schema``, and the names of
    its Data fields (kept on the class as ``_setters``)."""
    setters: Dict[str, Setter] = {}
    for klass in reversed(cls.__mro__):
        for name, attr in vars(klass).items():
            if (name in schema.fields and name not in _BUILDER_RESERVED
                    and isinstance(attr, property) and attr.fset is not None):
                setters[name] = attr.fset
    found = (setters, frozenset(f.name for f in schema.fields_list if f.kind == "data"))
    type.__setattr__(cls, "_setters", found)
    return found


def _fill_waiting(schema: StructSchema, lb: ListBuilder, items: List[Any], msg: _Message) -> bool:
    """Fill the new struct list ``lb`` from dicts through waiting elements (batch.py), each
    key set as an attribute (its field's setter), as ``_set_fields`` would set it; False,
    having done nothing, when the elements cannot wait or an item is not a dict."""
    plan = element_plan_of(schema)
    if plan is None or any(type(v) is not dict for v in items):
        return False
    elements = start_batch(None, struct_list_builders(schema, lb, msg, plan), plan, msg)
    try:
        for el, v in zip(elements, items):
            set_dict(el, v)
    except BaseException:
        # The list is being given up (see _set_field): its elements are not laid out.
        pending = msg.pending
        if pending is not None:
            msg.pending = [b for b in pending if b[1] is not elements] or None
        raise
    return True


# Element types a bulk list write accepts without coerce_data (bool and int
# subclasses, and ints for Float32 lists, take the checked path).
_INT_ONLY = frozenset([int])
_EXACT_TYPE: Dict[str, Any] = {
    k: _INT_ONLY for k in ("int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64")
}
_EXACT_TYPE["float64"] = frozenset([float])


def _base64_data(name: str, text: str) -> bytes:
    try:
        return base64.b64decode(text)
    except (binascii.Error, ValueError) as exc:
        raise EncodeError(f"{name}: a str for a Data field must be base64 ({exc})") from None


class MessageSize(NamedTuple):
    """What ``total_size`` gives: words and capabilities a struct holds, all it points to included."""

    word_count: int
    cap_count: int


def message_size(sr: StructReader, caps: Caps) -> MessageSize:
    """The words of ``sr`` and everything reachable from it, counted in a compact copy."""
    copy = MessageBuilder(growth="single")
    copy.set_root(sr)
    words = sum(copy.segment_sizes()) - 1  # not the root pointer
    return MessageSize(words, len(caps) if caps else 0)


def _cap_index(caps: List[object], cap: object) -> int:
    """The index of ``cap`` in ``caps``, appended if absent (by identity)."""
    for i, known in enumerate(caps):
        if known is cap:
            return i
    caps.append(cap)
    return len(caps) - 1


def _text_of(data: Optional[bytes]) -> str:
    raw = raw_text(data)
    return "" if raw is None else raw.decode("utf-8", "surrogateescape")


# --------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------


# --------------------------------------------------------------------------
# Pending messages
# --------------------------------------------------------------------------
#
# A new message whose root has only had scalars set is just its first segment:
# the root pointer and the root struct.  Until something needs more (a pointer
# write, a getter, a layout object), the root is an instance of the schema's
# *pending* builder class, whose scalar setters pack into a bytearray holding
# those words at fixed offsets, and to_bytes() frames it as it is.  The first
# such need copies the words into a real MessageBuilder at the same offsets
# (the root always sits at word 1 of a fresh message) and turns the object
# into an ordinary builder of the schema (see _materialize).

# Roots up to this many words (pointer included) start pending.
_PENDING_MAX_WORDS = 256


def _pending_template(schema: StructSchema) -> Tuple[Any, ...]:
    """(first segment, frame header, pending class) of a new ``schema`` message.

    Empty when new messages of ``schema`` are built in a MessageBuilder from
    the start (empty or large structs, field names that need ``__setattr__``).
    """
    template = schema.root_template
    if template is None:
        dw = schema.data_words
        pc = schema.pointer_count
        words = 1 + dw + pc
        cls = schema.builder_cls or builder_class(schema)
        if dw + pc == 0 or words > _PENDING_MAX_WORDS or not cls._direct:  # type: ignore[attr-defined]
            template = ()
        else:
            # The layout core's own first segment of a message with an empty root.
            mb = MessageBuilder()
            mb.init_root(dw, pc)
            # (kept as a bytearray: its copy() is the cheapest way to a new one)
            first = bytearray(mb.segments()[0])
            template = (first, _ONE_SEGMENT_TABLE.pack(0, words), _pending_class(schema, cls))
        schema.root_template = template
    return template


def _materialize(b: "_DynamicStructBuilder") -> MessageBuilder:
    """Turn the pending root ``b`` into an ordinary builder of a real message."""
    msg = b._msg
    buf = b._buf
    assert buf is not None
    schema = b.schema
    dw = schema.data_words
    pc = schema.pointer_count
    mb = MessageBuilder()
    sb = mb.init_root(dw, pc)
    seg = sb.segment
    size = len(buf)
    if sb.data_offset != 8 or (seg.used << 3) != size:
        raise AssertionError("a fresh message's root is not at word 1")  # pragma: no cover
    seg.b[8:size] = buf[8:size]
    # The pending class shadows these slots with class attributes: switch first.
    b.__class__ = schema.builder_cls  # type: ignore[assignment]
    po = 1 + dw
    # A pending root's class is always direct (see _pending_template): plain
    # assignments, several times cheaper than calls of object.__setattr__.
    b.schema = schema
    b._sbc = sb
    b._msg = msg
    b._seg = seg
    b._d = 8
    b._n = dw << 3
    b._po = po
    b._pc = pc
    b._buf = None
    msg.mb = mb
    msg.root_seg = seg
    msg.root_d = 8
    if msg.order is not None:
        msg.order = []
        msg.okey = None
        if pc:
            _push(msg, msg.order, seg, po, po + pc)
    return mb


def _frozen(view: _DynamicStructReader, mb: MessageBuilder) -> _DynamicStructReader:
    """``view`` (a reader of ``mb``, a message being built) over a copy of the message's
    words: the same struct, nesting and capabilities, read as a message read from bytes is
    (with no traversal limit, as the builder's own view has none)."""
    sr = view._sr
    copy = MessageReader(mb.segments(), traversal_limit_in_words=_UNLIMITED)
    frozen = StructReader(copy, copy._segments[sr._seg.id], sr._data, sr._dsize, sr._ptrs,
                          sr._pcount, sr._nest)
    return make_reader(view.schema, frozen, view._caps)


def new_builder(schema: StructSchema, caps: Optional[List[object]] = None,
                mb: Optional[MessageBuilder] = None) -> "_DynamicStructBuilder":
    """A builder of a new message whose root is ``schema``, built in ``mb`` (a fresh
    MessageBuilder, or one of the builder's choosing when None)."""
    template = schema.root_template
    if mb is not None:
        template = ()  # (a pending root would be laid out in a builder of its own)
    elif template is None:
        template = _pending_template(schema)
    if template:
        msg = _new_object(_Message)
        msg.mb = None
        msg.caps = caps if caps is not None else []
        msg.order = []
        msg.okey = None  # (ofirst, oend and onext are set with it)
        msg.pending = None
        msg.defer = True
        # root_seg and root_d are set by _materialize: nothing reads them before.
        buf = template[0].copy()
        b: _DynamicStructBuilder = _new_object(template[2])
        b._buf = buf
        b._seg = buf  # stands for the segment (identity only) until materialized
        b._msg = msg
        return b
    if mb is None:
        mb = MessageBuilder()
    sb = mb.init_root(schema.data_words, schema.pointer_count)
    msg = _Message(mb, caps)
    msg.order = []
    _open_struct(msg, sb)
    msg.root_seg = sb.segment
    msg.root_d = sb.data_offset
    return make_builder(schema, sb, msg)


def allocated(allocate: Any, first_segment_words: Optional[int]) -> Optional[MessageBuilder]:
    """A MessageBuilder whose segments come from ``allocate`` (pycapnp's
    ``allocate_seg_callable``), the first of at least ``first_segment_words`` words (default
    1024, pycapnp's); None when ``allocate`` is None."""
    if allocate is None:
        return None
    return AllocatedMessageBuilder(allocate, 1024 if first_segment_words is None
                                   else first_segment_words)


def builder_from_reader(schema: StructSchema, sr: StructReader, caps: Caps,
                        mb: Optional[MessageBuilder] = None) -> "_DynamicStructBuilder":
    """A new message holding a copy of ``sr`` (grown to the schema's size), built in ``mb``
    (a fresh MessageBuilder, or a new one when None)."""
    if mb is None:
        mb = MessageBuilder()
    mb.set_root(sr)
    sb = mb.get_root(schema.data_words, schema.pointer_count)
    return make_builder(schema, sb, _Message(mb, list(caps) if caps else []))


class _DynamicStructBuilder(UnionAccess):
    """A struct (or group) being built."""

    # ``_seg``, ``_d``, ``_n``, ``_po`` and ``_pc`` are the struct's coordinates
    # (segment, data offset and size in bytes, pointer section word and size)
    # for the fast paths; the layout builder ``_sb`` is made from them on first
    # use (``_sbc`` caches it), so builders of list elements cost no layout object.
    # ``_buf`` holds the words of a pending root (see _materialize), else unset.
    __slots__ = ("schema", "_sbc", "_msg", "_seg", "_d", "_n", "_po", "_pc", "_buf")
    schema: StructSchema
    _buf: Optional[bytearray]
    _sbc: Optional[StructBuilder]
    _msg: _Message
    _seg: Any
    _d: int
    _n: int
    _po: int
    _pc: int
    _direct = False  # subclasses whose attribute writes need no __setattr__ dispatch

    def __new__(cls, schema: StructSchema, sb: StructBuilder, msg: _Message) -> "_DynamicStructBuilder":
        # Constructing the base class gives the schema's subclass (fields as properties).
        if cls is _DynamicStructBuilder:
            cls = schema.builder_cls or builder_class(schema)
        obj: _DynamicStructBuilder = _new_object(cls)
        return obj

    def __init__(self, schema: StructSchema, sb: StructBuilder, msg: _Message) -> None:
        _init_builder(self, schema, sb, msg)

    @property
    def _sb(self) -> StructBuilder:
        """The layout core's builder of this struct (made on first use)."""
        sb = self._sbc
        if sb is None:
            mb = self._msg.mb
            if mb is None:
                _materialize(self)
                sb = self._sbc
                assert sb is not None
                return sb
            sb = StructBuilder(mb, self._seg, self._d, self._n, self._po, self._pc)
            _osa(self, "_sbc", sb)
        return sb

    # -- shared with the reader: the printer uses these --

    def _has_field(self, field: FieldInfo) -> bool:
        return not field.is_pointer or not self._sb.is_null(field.offset)

    def _which_field(self) -> Optional[FieldInfo]:
        schema = self.schema
        return schema.union_by_discriminant.get(self._sb.get_uint16(schema.discriminant_offset))

    def _is_active(self, field: FieldInfo) -> bool:
        """Not a union member, or the union's active one."""
        return not field.in_union or self._which_field() is field

    def as_reader(self) -> _DynamicStructReader:
        """A reader view of this builder (no copy)."""
        self._msg.defer = False  # it reads the words: no list may wait from now on
        return self._view()

    def _view(self) -> _DynamicStructReader:
        """A reader of this builder for the moment (to print or convert it)."""
        return make_reader(self.schema, self._sb.as_reader(), self._msg.caps)

    @property
    def layout(self) -> StructBuilder:
        """The layout core's builder of this struct."""
        self._msg.defer = False
        return self._sb

    @property
    def caps(self) -> List[object]:
        """The message's capability table."""
        return self._msg.caps

    # -- writing --

    def _set_discriminant(self, field: FieldInfo) -> None:
        if field.in_union:
            self._sb.set_uint16(self.schema.discriminant_offset, field.discriminant)

    def _set_field(self, field: FieldInfo, value: Any) -> None:
        if self._msg.pending is not None:
            settle(self._msg)
        if type(value) is dict and (field.group is not None or field.kind == "struct") and self._is_active(field):
            # As pycapnp: a dict updates the struct or group as it stands (a null struct field
            # starts from its default) instead of replacing it.  An inactive union member has
            # nothing to update: it is started afresh below.
            self._get_field(field)._set_fields(value)
            return
        if field.group is not None:
            _check_struct_value(field.group, value)  # before the group is cleared
            self._init_group(field)._set_fields(value)
            return
        t = field.type
        assert t is not None
        if not field.is_pointer:
            coerced = coerce_data(t, value)  # before a union member is switched
            self._set_discriminant(field)
            if field.write is not None:
                field.write(self._sb, field.offset, coerced, field.wire_default)
            return
        if t.kind == "struct" and value is not None:
            _check_struct_value(t.struct, value, True)  # before a union member is switched
        sb = self._sb
        msg = self._msg
        seg = sb.segment
        w = sb.pointer_offset + field.offset
        old = seg.u64[w]
        ncaps = len(msg.caps)
        try:
            write_value(sb, field.offset, t, value, msg)
        except BaseException:
            # A value refused half-way (a bad element, a dict naming no field): its words
            # were all new, so putting the old pointer back leaves the field as it was;
            # the new words stay behind unreachable, which to_bytes() drops.
            seg.u64[w] = old
            del msg.caps[ncaps:]
            _unordered(msg)
            raise
        self._set_discriminant(field)  # once the value is in: a refused one switches nothing

    def _set_raw_pointer(self, field: FieldInfo, value: Any) -> None:
        """Store Text or Data given as bytes (the text format's already-escaped form)."""
        self._set_discriminant(field)
        assert field.type is not None
        write_value(self._sb, field.offset, field.type, value, self._msg)

    def _set_fields(self, value: Any) -> None:
        if isinstance(value, dict):
            set_dict(self, value)  # each field through its property: the setters' fast paths
            return
        if isinstance(value, StructValue):
            items = list(value.fields.items())
        else:
            _check_struct_value(self.schema, value)
            if self.schema.model.is_group:
                self._copy_group(value)
                return
            sr, src_caps = _source_of(value)
            _unordered(self._msg)  # overwrites this struct's pointers in place
            _copy_struct_body(self._sb, sr, _remap_for(src_caps, self._msg.caps))
            return
        for name, item in items:
            self._set_field(self._field(name), item)

    def _copy_group(self, value: Any) -> None:
        """Set this (cleared) group from a group of its schema as the reference does: the
        active member of its union, then each other field that is set.  Its words are its
        parent's, so copying them whole would overwrite the parent's other fields."""
        src = value.as_reader() if isinstance(value, _DynamicStructBuilder) else value
        schema = self.schema
        active = src._which_field() if schema.union_infos else None
        if active is not None:
            self._set_field(active, src._get_field(active))
        for field in schema.non_union_infos:
            if src._has_field(field):
                self._set_field(field, src._get_field(field))

    def _field(self, name: str) -> FieldInfo:
        field = self.schema.fields.get(name)
        if field is None:
            raise NoSuchFieldError(f"{self.schema.name} has no field {name!r}")
        return field

    def _clear_field(self, field: FieldInfo) -> None:
        if field.group is not None:
            make_builder(field.group, self._sb, self._msg)._clear_all()
        elif field.is_pointer:
            if not self._sb.is_null(field.offset):
                _unordered(self._msg)  # the old target stays as unreachable words
                self._sb.clear_pointer(field.offset)
        elif field.write is not None:
            # Writing the default with the default as XOR mask leaves zero bits.
            field.write(self._sb, field.offset, field.wire_default, field.wire_default)

    def _clear_all(self) -> None:
        """Clear a group as the reference does: its non-union fields, and of its union only the
        member with discriminant 0, which becomes the active one.  Other members' pointers are
        left as they are (unreachable once the discriminant moves), so the words match."""
        schema = self.schema
        for field in schema.fields_list:
            if not field.in_union:
                self._clear_field(field)
        if schema.union_infos:
            self._sb.set_uint16(schema.discriminant_offset, 0)
            first = schema.union_by_discriminant.get(0)
            if first is not None:
                self._clear_field(first)

    def _init_group(self, field: FieldInfo) -> "_DynamicStructBuilder":
        assert field.group is not None
        self._set_discriminant(field)
        group = make_builder(field.group, self._sb, self._msg)
        group._clear_all()
        return group

    def _init_field(self, field: FieldInfo, size: Optional[int] = None) -> Any:
        t = field.type
        kind = "group" if field.group is not None or t is None else t.kind
        # Refused before anything changes (the union's discriminant included); a UsageError
        # is also a TypeError, what a call with the wrong arguments raises.
        if size is not None and kind not in ("list", "text", "data"):
            raise UsageError("init() with size is only valid for list, text, or data fields")
        if size is None and kind not in ("group", "struct"):
            if kind == "list":
                raise UsageError(f"init({field.name!r}) needs a size for a list")
            raise UsageError(f"field {field.name!r} cannot be initialised")
        self._set_discriminant(field)
        if kind == "group":
            return self._init_group(field)
        assert t is not None
        sb = self._sb
        msg = self._msg
        if msg.order is not None:
            _track(msg, self._seg, self._po + field.offset)
        if size is None:  # a struct
            schema = t.struct
            child = sb.init_struct(field.offset, schema.data_words, schema.pointer_count)
            _open_struct(msg, child)
            return make_builder(schema, child, msg)
        if kind == "list":
            assert t.element is not None
            lb = init_list_for(sb, field.offset, t.element, size)
            _open_list(msg, lb)
            lst = _DynamicListBuilder(t.element, lb, msg)
            if t.element.kind == "struct":
                lst._fresh = True  # nothing written yet: its elements may wait (batch.py)
            return lst
        # Text or Data of ``size`` zero bytes, returned as pycapnp does.
        raw = bytes(size)
        if kind == "text":
            _set_text_bytes(sb, field.offset, raw)
            return raw.decode("ascii")
        sb.set_data(field.offset, raw)
        return raw

    # -- public API (pycapnp names) --

    def init(self, name: Any, size: Optional[int] = None) -> Any:
        if isinstance(name, enum.Enum):  # a member of a union enum (``Person.Employment.school``)
            name = name.name[:1].lower() + name.name[1:]
        return self._init_field(self._field(name), size)

    def from_dict(self, value: Dict[str, Any]) -> None:
        """Set the fields named in ``value`` (Data given as a str is base64, as in pycapnp)."""
        self._set_fields({k: v for k, v in value.items() if k != "which"})

    def init_resizable_list(self, name: str) -> "_DynamicResizableListBuilder":
        """A list of structs to grow one ``add()`` at a time; ``finish()`` writes it into
        the field ``name`` (as pycapnp's; a field of another type raises TypeError)."""
        field = self._field(name)
        t = field.type
        if field.kind != "list" or t is None or t.element is None or t.element.kind != "struct":
            raise TypeError(f"init_resizable_list needs a list of structs; {name} is {field.kind}")
        return _DynamicResizableListBuilder(self, field, t.element.struct)

    def __setattr__(self, name: str, value: Any) -> None:
        self._set_field(self._field(name), value)


    def _get_field(self, field: FieldInfo) -> Any:
        if self._msg.pending is not None:
            settle(self._msg)
        sb = self._sb
        if field.group is not None:
            return make_builder(field.group, sb, self._msg)
        t = field.type
        assert t is not None
        kind = t.kind
        if not field.is_pointer:
            if field.read is None:
                return None
            value = field.read(sb, field.offset, field.wire_default)
            if kind == "enum":
                return t.enum.value_of(value)
            return value
        offset = field.offset
        null = sb.is_null(offset)
        msg = self._msg
        if kind == "text" or kind == "data":
            if null:
                d = field.default
                if not d:  # none, or empty: the reference copies only a default with content
                    return "" if kind == "text" else b""
                if self._is_active(field):
                    # As the reference builder does (as for struct and list defaults below): the
                    # default is copied into the message, so later objects land where they do there.
                    write_value(sb, offset, t, d, msg)
                if kind == "data":
                    return bytes(d)
                return d if isinstance(d, str) else d.decode("utf-8", "surrogateescape")
            if kind == "data":
                return sb.get_data(offset)
            return _text_of(sb.get_data(offset))
        if kind == "struct":
            schema = t.struct
            if msg.order is not None:
                if null:
                    _track(msg, self._seg, self._po + offset)
                else:
                    old = sb.as_reader().get_struct(offset)
                    if old.data_size < schema.data_words << 3 or old.ptr_count < schema.pointer_count:
                        msg.order = None  # get_struct enlarges it by copying
            if null and field.default is not None:
                sb.set_struct(offset, _default_pointer(field).get_struct())
                null = False
            child = sb.get_struct(offset, schema.data_words, schema.pointer_count)
            if null:
                _open_struct(msg, child)
            return make_builder(schema, child, msg)
        if kind == "list":
            assert t.element is not None
            if null and field.default is not None:
                if msg.order is not None:
                    _track(msg, self._seg, self._po + offset)
                sb.set_list(offset, _default_pointer(field).get_list())
            lb = sb.get_list(offset, element_size_of(t.element))
            return _DynamicListBuilder(t.element, lb, self._msg)
        if kind == "interface":
            return resolve_cap(sb.get_capability(offset), self._msg.caps)
        return _AnyBuilder(sb, offset, self._msg)

    def get(self, name: str) -> Any:
        return self._get_field(self._field(name))

    def _get(self, name: str) -> Any:
        """The field ``name`` (pycapnp's name for ``get``)."""
        return self._get_field(self._field(name))

    def _has(self, name: str) -> bool:
        return self._has_field(self._field(name))

    def _set(self, name: str, value: Any) -> None:
        self._set_field(self._field(name), value)

    # pycapnp's field-object forms (``schema.fields[name]`` gives the field).

    def _get_by_field(self, field: FieldInfo) -> Any:
        return self._get_field(own_field(self.schema, field))

    def _has_by_field(self, field: FieldInfo) -> bool:
        return self._has_field(own_field(self.schema, field))

    def _set_by_field(self, field: FieldInfo, value: Any) -> None:
        self._set_field(own_field(self.schema, field), value)

    def _init_by_field(self, field: FieldInfo, size: Optional[int] = None) -> Any:
        return self._init_field(own_field(self.schema, field), size)

    def get_data_as_view(self, name: str) -> memoryview:
        """A Data field's bytes as a writable view of the message (of its default, copied
        in, when unset; empty without one).

        Writes through the view change the message until its segment grows to hold a
        later object (the segment then moves; the view keeps the old bytes).
        """
        field = data_field(self.schema, name)
        self._get_field(field)  # an unset field's default goes into the message first, as there
        sb = self._sb
        if sb.is_null(field.offset):
            return memoryview(bytearray())
        lst = sb.get_list(field.offset, ELEM_BYTE)
        start = lst.data_offset
        return lst.segment.b[start:start + len(lst)]

    def to_dict(
        self, verbose: bool = False, ordered: bool = False, encode_bytes_as_base64: bool = False
    ) -> Dict[str, Any]:
        view = self._view()  # (a pending root is a real message from here on)
        msg = self._msg
        if self._seg is msg.root_seg and self._d == msg.root_d and msg.mb is not None:
            # The root: converting it reads about the whole message, so it is read from a copy
            # of the words (bytes), where every fast path of a reader applies (scalars kept
            # once unpacked, texts sliced from bytes); a builder's own view re-reads them.
            view = _frozen(view, msg.mb)
        return view.to_dict(verbose, ordered, encode_bytes_as_base64)

    @property
    def total_size(self) -> MessageSize:
        """Words (``word_count``) and capabilities (``cap_count``) this struct holds, in all."""
        return message_size(self._sb.as_reader(), self._msg.caps)

    @property
    def is_root(self) -> bool:
        """True for the message's root struct."""
        msg = self._msg
        if msg.mb is None:
            return True  # a pending builder is always a root
        root = msg.mb.root_reader()
        # (a group shares its parent's position: never the root)
        return (root.segment.id == self._seg.id and root.data_offset == self._d
                and not self.schema.model.is_group)

    def _copy_out(self, growth: str) -> List[bytes]:
        out = MessageBuilder(growth=growth)
        out.set_root(self._sb.as_reader())
        return out.segments()

    def _in_preorder(self) -> bool:
        """True when this is the root and the message's own words equal its copy."""
        msg = self._msg
        return msg.order is not None and self._seg is msg.root_seg and self._d == msg.root_d

    def to_segments(self) -> List[bytes]:
        """The message in the reference encoder's layout, one ``bytes`` per segment."""
        mb = self._msg.mb
        if mb is None:
            return [bytes(self._buf)]  # type: ignore[arg-type]
        if self._in_preorder():
            return mb.segments()
        return self._copy_out("heuristic")

    def to_bytes(self) -> bytes:
        msg = self._msg
        if msg.pending is not None:
            settle(msg)
        if msg.mb is None:
            # Pending: only the root's scalars were set; its words are the message.
            head: bytes = self.schema.root_template[1]  # type: ignore[index]
            return head + self._buf  # type: ignore[operator]
        if self._in_preorder():
            mb = self._msg.mb
            assert mb is not None
            if mb.segment_count == 1:
                # The common small message: its table and words in one concatenation.
                seg = mb.segment(0)
                used = seg.used
                return _ONE_SEGMENT_TABLE.pack(0, used) + seg.b[:used << 3]
        return encode_message(self.to_segments())

    def to_bytes_packed(self) -> bytes:
        return pack_message(self.to_segments())

    def to_flat_bytes(self) -> bytes:
        """One segment, no segment table."""
        if self._msg.mb is None or self._in_preorder():
            segments = self.to_segments()
            if len(segments) == 1:
                return segments[0]
        return self._copy_out("single")[0]

    def write(self, file: Any) -> None:
        """Write the message to a binary or text-mode file, a socket or a descriptor."""
        write_bytes(file, self.to_bytes())

    async def write_async(self, stream: Any) -> None:
        """Write the message (framed) to ``stream``, an ``AsyncIoStream``, as pycapnp's."""
        if not self.is_root:
            raise UsageError("write_async() is for a message's root struct")
        await stream.write_message(self.to_bytes())

    def write_packed(self, file: Any) -> None:
        """Write the packed message to a binary or text-mode file, a socket or a descriptor."""
        write_bytes(file, self.to_bytes_packed())

    def copy(self, num_first_segment_words: Optional[int] = None,
             allocate_seg_callable: Any = None) -> "_DynamicStructBuilder":
        """A builder of a new message holding a copy of this struct, in segments from
        ``allocate_seg_callable`` when given (see ``_PyCustomMessageBuilder``; the first
        asked for at least ``num_first_segment_words``, else the segment size is the
        builder's own choice, as in ``new_message``)."""
        return builder_from_reader(self.schema, self._sb.as_reader(), self._msg.caps,
                                   allocated(allocate_seg_callable, num_first_segment_words))

    def as_builder(self) -> "_DynamicStructBuilder":
        return self.copy()

    def __reduce_ex__(self, protocol: Any) -> Tuple[Any, Tuple[int, bytes]]:
        """Pickled as the struct's type id and its bytes; unpickled as a reader (as pycapnp
        does), so ``copy.copy`` and ``copy.deepcopy`` give readers too (``copy()`` a builder)."""
        return _pickled(self, bool(self._msg.caps))

    def clear_write_flag(self) -> None:
        return None

    # As pycapnp's ``from_bytes(..., builder=True)``, whose result is used in a ``with``.
    def __enter__(self) -> "_DynamicStructBuilder":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def disown(self, name: str) -> "_Orphan":
        field = self._field(name)
        if not field.is_pointer:
            raise TypeError(f"{name!r} is not a pointer field")
        holder = MessageBuilder(growth="single")
        holder.set_root_pointer(self._sb.as_reader().get_pointer(field.offset))
        _unordered(self._msg)
        self._sb.clear_pointer(field.offset)
        return _Orphan(field.type, holder, self._msg.caps)

    def adopt(self, name: str, orphan: "_Orphan") -> None:
        field = self._field(name)
        if not field.is_pointer:
            raise TypeError(f"{name!r} is not a pointer field")
        self._set_discriminant(field)
        _unordered(self._msg)
        remap = _remap_for(orphan._caps, self._msg.caps)
        _copy_pointer(self._sb, field.offset, orphan._mb.root_pointer_reader(), remap)

    def __dir__(self) -> List[str]:
        return list(self.schema.fieldnames) + ["init", "which", "to_dict", "to_bytes", "schema"]

    def __str__(self) -> str:
        return str(self._view())

    def __repr__(self) -> str:
        from ..text.printer import to_text

        return f"<{display_name(self.schema)} builder {to_text(self._view())}>"


class _Orphan:
    """An object detached with ``disown``, to be attached with ``adopt`` (pycapnp's
    ``_DynamicOrphan``), or a new struct from ``_MallocMessageBuilder.new_orphan``, which
    ``get()`` gives as a builder to fill before it is adopted.  Adopting copies it."""

    __slots__ = ("_type", "_mb", "_caps", "_builder")

    def __init__(self, t: Optional[TypeInfo], mb: MessageBuilder, caps: List[object],
                 builder: Optional["_DynamicStructBuilder"] = None) -> None:
        self._type = t  # the field's type
        self._mb = mb  # a message whose root pointer holds the object
        self._caps = caps  # the capability table its indexes refer to
        self._builder = builder  # the root of ``_mb``, for an orphan made new

    def get(self) -> Any:
        if self._builder is not None:
            return self._builder
        assert self._type is not None
        return read_pointer(self._mb.root_pointer_reader(), self._type, self._caps, False)


def new_orphan(schema: StructSchema) -> _Orphan:
    """A new struct of ``schema``, outside any message, to be filled and adopted."""
    b = new_builder(schema)
    mb = b._msg.mb or _materialize(b)
    return _Orphan(schema.loader.struct_type(schema.model.id), mb, b._msg.caps, b)


# A struct of no size: copied over a struct list's element, it clears it.
_EMPTY_STRUCT = MessageReader([bytes(8)]).root()


class _AnyBuilder:
    """AnyPointer content held by a builder (pycapnp's ``_DynamicObjectBuilder``).

    Unset, it reads as this object too: ``init_as_struct``, ``init_as_list``,
    ``set_as_text`` and ``set`` fill it; ``as_struct`` starts a struct there
    when the pointer is null, as the reference builder does.
    """

    __slots__ = ("_sb", "_index", "_msg")

    def __init__(self, sb: StructBuilder, index: int, msg: _Message) -> None:
        self._sb = sb
        self._index = index
        self._msg = msg

    def _kind(self) -> Any:
        return self._sb.as_reader().get_pointer(self._index).kind

    def as_struct(self, schema: Any) -> _DynamicStructBuilder:
        s = _schema_of(schema)
        kind = self._kind()
        if kind == PointerKind.NULL:
            return self.init_as_struct(s)
        if kind != PointerKind.STRUCT:
            raise UsageError("AnyPointer does not hold a struct")
        _unordered(self._msg)  # get_struct may enlarge the struct by copying it
        child = self._sb.get_struct(self._index, s.data_words, s.pointer_count)
        return make_builder(s, child, self._msg)

    def init_as_struct(self, schema: Any) -> _DynamicStructBuilder:
        """A new struct of ``schema`` in this pointer (whatever it held is dropped)."""
        s = _schema_of(schema)
        _unordered(self._msg)
        child = self._sb.init_struct(self._index, s.data_words, s.pointer_count)
        return make_builder(s, child, self._msg)

    def init_as_list(self, element: Any, size: int) -> "_DynamicListBuilder":
        """A new list of ``size`` elements of ``element`` in this pointer (see
        ``element_type_of``: a struct type, ``capnp.types.Int32``, ``_ListSchema(...)``...)."""
        t = element_type_of(element)
        _unordered(self._msg)
        lb = init_list_for(self._sb, self._index, t, size)
        return _DynamicListBuilder(t, lb, self._msg)

    def as_list(self, element: Any) -> "_DynamicListBuilder":
        """The list this pointer holds, its elements read as ``element``."""
        t = element_type_of(element)
        _unordered(self._msg)
        return _DynamicListBuilder(t, self._sb.get_list(self._index, element_size_of(t)), self._msg)

    def set(self, value: Any) -> None:
        """Store ``value`` here: text, a struct or list reader or builder, or a capability."""
        _unordered(self._msg)
        write_value(self._sb, self._index, ANY_POINTER, value, self._msg)

    set_as = set

    def set_as_text(self, text: str) -> None:
        _unordered(self._msg)
        self._sb.set_text(self._index, text)

    def as_text(self) -> str:
        return self._sb.get_text(self._index)

    def as_data(self) -> bytes:
        return self._sb.get_data(self._index)

    def as_interface(self, interface: Any = None) -> Any:
        return resolve_cap(self._sb.get_capability(self._index), self._msg.caps)

    def as_reader(self) -> _DynamicObjectReader:
        self._msg.defer = False
        return _DynamicObjectReader(self._sb.as_reader().get_pointer(self._index), self._msg.caps)

    def __str__(self) -> str:
        return "<opaque pointer>"


_ELEMENT_SUFFIX: Dict[str, str] = {
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


# By element kind but Bool: (packer, bytes an element, range of ints; floats have None).
_ELEMENT_PUTS: Dict[str, Tuple[Callable[..., None], int, Any, Any]] = {
    kind: (_struct.Struct("<" + letter).pack_into, _struct.calcsize(letter),
           *_RANGES.get(kind, (None, None)))
    for kind, letter in BULK_FORMATS.items() if kind != "bool"
}


class _DynamicResizableListBuilder:
    """A list of structs of unknown length (pycapnp's): ``add()`` gives a new element,
    which is a message of its own until ``finish()`` copies them all into the field."""

    __slots__ = ("_parent", "_field", "_schema", "_items", "_finished")

    def __init__(self, parent: "_DynamicStructBuilder", field: FieldInfo, schema: StructSchema) -> None:
        self._parent = parent
        self._field = field
        self._schema = schema
        self._items: List[_DynamicStructBuilder] = []
        self._finished = False

    def add(self) -> "_DynamicStructBuilder":
        """A new element, last in the list."""
        if self._finished:
            raise EncodeError("the resizable list was finished: add() cannot grow it any more")
        item = new_builder(self._schema)
        self._items.append(item)
        return item

    def __getitem__(self, index: int) -> "_DynamicStructBuilder":
        if self._finished:
            raise EncodeError("the resizable list was finished: its elements are in the field now")
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def finish(self) -> None:
        """Copy the elements added so far into the field (once; later calls do nothing)."""
        if not self._finished:
            self._parent._set_field(self._field, self._items)
            self._finished = True


class _DynamicListBuilder:
    """A list being built: ``len``, indexing, slicing, item assignment, iteration."""

    # ``_fresh``: a struct list just made by ``init``, not yet touched.  ``_pend``: its
    # elements while they wait to be laid out (see batch.py), else None.
    __slots__ = ("_element_type", "_lb", "_msg", "_fresh", "_pend", "_put")

    def __init__(self, element: TypeInfo, lb: ListBuilder, msg: _Message) -> None:
        self._element_type = element
        self._lb = lb
        self._msg = msg
        self._fresh = False
        self._pend: Optional[List[Any]] = None
        # How a number or enum goes straight into its element (an _ELEMENT_PUTS entry),
        # () when it cannot; found on the first element write.
        self._put: Optional[Tuple[Any, ...]] = None

    def _waiting(self) -> Optional[List[Any]]:
        """The elements as waiting builders while they wait (made on first use of a fresh
        list, when its schema and message allow), else None."""
        pend = self._pend
        if pend is None and self._fresh:
            self._fresh = False
            msg = self._msg
            schema = self._element_type.struct
            plan = element_plan_of(schema)
            lb = self._lb
            if (plan is not None and msg.defer and len(lb)
                    and lb.data_bits_per_element == schema.data_words << 6
                    and lb.ptrs_per_element == schema.pointer_count):
                pend = self._pend = start_batch(
                    self, struct_list_builders(schema, lb, msg, plan), plan, msg)
        return pend

    def __len__(self) -> int:
        return len(self._lb)

    def _index(self, index: int) -> int:
        n = len(self._lb)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("list index out of range")
        return index

    @property
    def layout(self) -> ListBuilder:
        self._msg.defer = False
        return self._lb

    def _get(self, index: int) -> Any:
        """Element ``index`` (pycapnp's name for ``self[index]``)."""
        return self[index]

    def _set(self, index: int, value: Any) -> None:
        """Set element ``index`` (pycapnp's name for ``self[index] = value``)."""
        self[index] = value

    def __getitem__(self, index: Any) -> Any:
        pend = self._pend if self._pend is not None or not self._fresh else self._waiting()
        if pend is not None:
            # The waiting elements are a list of the list's length: its indexing is ours
            # (negative indexes, slices, the same IndexError).
            return pend[index]
        self._fresh = False
        if self._msg.pending is not None:
            settle(self._msg)
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = self._index(index)
        t = self._element_type
        lb = self._lb
        kind = t.kind
        suffix = _ELEMENT_SUFFIX.get(kind)
        if suffix is not None:
            value = getattr(lb, "get_" + suffix)(index)
            if kind == "enum":
                return t.enum.value_of(value)
            return value
        if kind == "void":
            return None
        if kind == "struct":
            return make_builder(t.struct, lb.get_struct(index), self._msg)
        if kind == "text":
            return "" if lb.is_null(index) else _text_of(lb.get_data(index))
        if kind == "data":
            return lb.get_data(index)
        if kind == "interface":
            return resolve_cap(lb.get_capability(index), self._msg.caps)
        if kind == "list":
            # A list of lists: the inner list as a builder, so ``outer[i][j] = v`` writes
            # (as pycapnp's); a null element is an empty list.
            assert t.element is not None
            return _DynamicListBuilder(t.element, lb.get_list(index, element_size_of(t.element)),
                                       self._msg)
        # AnyPointer elements: a read-only view of what each points to.
        return read_pointer(lb.as_reader().get_pointer(index), t, self._msg.caps, False)

    def __setitem__(self, index: int, value: Any) -> None:
        self._fresh = False
        if self._msg.pending is not None:
            settle(self._msg)
        lb = self._lb
        n = lb._count  # (_index inlined: element writes one by one are a common loop)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("list index out of range")
        t = self._element_type
        put = self._put
        if put is None:
            put = _ELEMENT_PUTS.get(t.kind)
            put = self._put = put if put is not None and lb._step == put[1] << 3 else ()
        if put:
            # A number or enum straight into its element, checked as a data field's setter
            # checks it (the same errors; a Float32 too large is infinity).
            pack, size, low, high = put
            if low is None:  # a float
                if type(value) is not float:
                    value = coerce_data(t, value)
            elif type(value) is not int or not low <= value <= high:
                if t.kind == "enum" and type(value) is str and value in t.enum.by_name:
                    value = t.enum.by_name[value]
                else:
                    value = coerce_data(t, value)  # raises EncodeError for what cannot go in
            try:
                pack(lb._seg.buf, lb._base + index * size, value)
            except OverflowError:  # Float32 beyond its range (coerce_data gives infinity)
                pack(lb._seg.buf, lb._base + index * size, coerce_data(t, float(value)))
            return
        suffix = _ELEMENT_SUFFIX.get(t.kind)
        if suffix is not None:
            getattr(lb, "set_" + suffix)(index, coerce_data(t, value))
            return
        if t.kind == "void":
            coerce_data(t, value)
            return
        if t.kind == "struct":
            make_builder(t.struct, lb.get_struct(index), self._msg)._set_fields(value)
            return
        write_value(lb, index, t, value, self._msg)

    def init(self, index: int, size: int) -> "_DynamicListBuilder":
        """Initialise a list element of a list of lists."""
        index = self._index(index)
        t = self._element_type
        if t.kind != "list" or t.element is None:
            raise TypeError("init(index, size) needs a list of lists")
        msg = self._msg
        if msg.order is not None:
            _track(msg, self._lb, index)
        lb = init_list_for(self._lb, index, t.element, size)
        _open_list(msg, lb)
        return _DynamicListBuilder(t.element, lb, msg)

    def disown(self, index: int) -> _Orphan:
        """Detach element ``index`` (a struct, or anything held by a pointer) as an orphan;
        the element is left empty (a struct of defaults, or null)."""
        index = self._index(index)
        t = self._element_type
        lb = self._lb
        holder = MessageBuilder(growth="single")
        if t.kind == "struct":
            holder.set_root(lb.as_reader().get_struct(index))
            _copy_struct_body(lb.get_struct(index), _EMPTY_STRUCT, None)
        elif t.kind in DATA_KINDS:
            raise TypeError(f"a list of {_type_name(t)} holds no objects to disown")
        else:
            holder.set_root_pointer(lb.as_reader().get_pointer(index))
            lb.disown(index)  # (the layout orphan is dropped: the element reads null)
        _unordered(self._msg)
        return _Orphan(t, holder, self._msg.caps)

    def adopt(self, index: int, orphan: _Orphan) -> None:
        """Put (a copy of) ``orphan`` in element ``index``."""
        index = self._index(index)
        t = self._element_type
        if t.kind in DATA_KINDS:
            raise TypeError(f"a list of {_type_name(t)} holds no objects to adopt")
        src = orphan._mb.root_pointer_reader()
        remap = _remap_for(orphan._caps, self._msg.caps)
        _unordered(self._msg)
        if t.kind == "struct":
            _copy_struct_body(self._lb.get_struct(index), src.get_struct(), remap)
        else:
            _copy_pointer(self._lb, index, src, remap)

    def _reader(self) -> _DynamicListReader:
        self._msg.defer = False
        return _DynamicListReader(self._element_type, self._lb.as_reader(), self._msg.caps)

    def __iter__(self) -> Iterator[Any]:
        pend = self._pend if self._pend is not None or not self._fresh else self._waiting()
        if pend is not None:
            return iter(pend)
        self._fresh = False
        if self._msg.pending is not None:
            settle(self._msg)
        t = self._element_type
        fmt = BULK_FORMATS.get(t.kind)
        if fmt is not None and t.kind != "enum":
            return iter(self._lb.to_list(fmt))
        if t.kind == "struct":
            return iter(struct_list_builders(t.struct, self._lb, self._msg))
        return (self[i] for i in range(len(self._lb)))

    def __eq__(self, other: object) -> bool:
        try:
            result: bool = list(self) == list(other)  # type: ignore[call-overload]
        except TypeError:
            return NotImplemented
        return result

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        from ..text.printer import to_text

        return to_text(self._reader(), pretty=True)

    def __repr__(self) -> str:
        from ..text.printer import to_text

        return f"<capnp list builder {to_text(self._reader())}>"



# --------------------------------------------------------------------------
# Per-schema builder classes: each field a property whose getter and setter
# were chosen when the class was made (one call per access, no dispatch).
# --------------------------------------------------------------------------

_osa = object.__setattr__


def _init_builder(b: _DynamicStructBuilder, schema: StructSchema, sb: StructBuilder,
                  msg: _Message) -> None:
    _osa(b, "schema", schema)
    _osa(b, "_sbc", sb)
    _osa(b, "_msg", msg)
    _osa(b, "_seg", sb.segment)
    _osa(b, "_d", sb.data_offset)
    _osa(b, "_n", sb.data_size)
    _osa(b, "_po", sb.pointer_offset)
    _osa(b, "_pc", sb.ptr_count)


def make_builder(schema: StructSchema, sb: StructBuilder, msg: _Message) -> _DynamicStructBuilder:
    """A dynamic builder of ``sb`` (the schema's own subclass)."""
    cls = schema.builder_cls or builder_class(schema)
    b: _DynamicStructBuilder = _new_object(cls)
    if b._direct:
        b.schema = schema
        b._sbc = sb
        b._msg = msg
        b._seg = sb.segment
        b._d = sb.data_offset
        b._n = sb.data_size
        b._po = sb.pointer_offset
        b._pc = sb.ptr_count
    else:
        _init_builder(b, schema, sb, msg)
    return b


def struct_list_builders(
    schema: StructSchema, lb: ListBuilder, msg: _Message, waiting: Any = None
) -> List[_DynamicStructBuilder]:
    """A dynamic builder of every element of the struct list ``lb``, made at once.

    Elements get their coordinates from the list's; their layout builders are
    made only if a slow path needs one.  With ``waiting`` (a plan of batch.py),
    they are waiting elements, each with a fresh copy of the plan's values.
    """
    n = len(lb)
    if not n:
        return []
    if waiting is None:
        cls = schema.builder_cls or builder_class(schema)
        template = None
    else:
        cls = waiting.cls
        template = waiting.template
    seg = lb.segment
    step = lb.step_bits >> 3
    size = lb.data_bits_per_element >> 3
    pc = lb.ptrs_per_element
    first = lb.data_offset
    out: List[_DynamicStructBuilder] = []
    append = out.append
    new = _new_object
    if cls._direct:  # type: ignore[attr-defined]
        # (elements of no size all sit at the list's start)
        for d in range(first, first + n * step, step) if step else [first] * n:
            b: _DynamicStructBuilder = new(cls)
            b.schema = schema
            b._sbc = None
            b._msg = msg
            b._seg = seg
            b._d = d
            b._n = size
            b._po = (d + size) >> 3
            b._pc = pc
            b._buf = None if template is None else template[:]
            append(b)
    else:
        for k in range(n):
            append(make_builder(schema, lb.get_struct(k), msg))
    return out


Setter = Callable[[Any, Any], None]

# A little-endian packer of each integer kind, and log2 of its width in bytes.
# Setters pack into the segment's bytearray: making the segment's typed views
# for one narrow field would cost more than the whole write.
_INT_PACKERS: Dict[str, Tuple[Callable[[Any, int, int], None], int]] = {
    kind: (_struct.Struct("<" + fmt).pack_into, shift)
    for kind, fmt, shift in (
        ("int8", "b", 0), ("uint8", "B", 0), ("int16", "h", 1), ("uint16", "H", 1),
        ("enum", "H", 1), ("int32", "i", 2), ("uint32", "I", 2), ("int64", "q", 3),
        ("uint64", "Q", 3),
    )
}


_U16 = _struct.Struct("<H")


def _discriminant_writer(schema: StructSchema, field: FieldInfo) -> Optional[Callable[[Any], None]]:
    """Sets ``field``'s union discriminant (None when it is not a union member).

    Written straight into the segment like the fields themselves; a struct
    too short to hold it takes the layout setter, which reports that.
    """
    if not field.in_union:
        return None
    at = schema.discriminant_offset << 1
    end = at + 2
    value = field.discriminant
    pack = _U16.pack_into

    def set_discriminant(self: Any) -> None:
        if self._n < end:
            self._set_discriminant(field)
        else:
            pack(self._seg.buf, self._d + at, value)
    return set_discriminant


def _data_setter(schema: StructSchema, field: FieldInfo) -> Optional[Setter]:
    """A setter that writes a scalar straight into the segment (None: use ``_set_field``).

    Values of the exact expected type skip ``coerce_data``: an int is only
    compared with the kind's bounds, before anything is written (``pack_into``
    clears its target before it checks the range, so it cannot be the check).
    A struct shorter than the schema (from an older writer) goes through the
    layout setter, which refuses the write.
    """
    t = field.type
    assert t is not None
    kind = field.kind
    offset = field.offset
    default = field.wire_default
    write = field.write
    disc = _discriminant_writer(schema, field)
    if write is None:
        return None  # void
    if kind == "bool":
        byte = offset >> 3
        mask = 1 << (offset & 7)
        keep = ~mask & 0xFF
        flag = bool(default)

        def set_bool(self: Any, value: Any) -> None:
            if type(value) is not bool:
                value = coerce_data(t, value)
            if self._n <= byte:
                write(self._sb, offset, value, flag)
                return
            if disc is not None:
                disc(self)
            at = self._d + byte
            buf = self._seg.buf  # a builder's bytearray: no typed view needed
            if value != flag:
                buf[at] |= mask
            else:
                buf[at] &= keep
        return set_bool
    if kind in ("float32", "float64"):
        if default != 0.0 or math.copysign(1.0, default) < 0:
            return None
        shift = 2 if kind == "float32" else 3
        end = (offset << shift) + (1 << shift)
        at_bytes = offset << shift
        pack_float = _struct.Struct("<f" if kind == "float32" else "<d").pack_into

        def set_float(self: Any, value: Any) -> None:
            if type(value) is not float:
                value = coerce_data(t, value)
            if self._n < end:
                write(self._sb, offset, value, 0.0)
                return
            try:
                pack_float(self._seg.buf, self._d + at_bytes, value)
            except OverflowError:  # too large for Float32: coerce_data gives infinity
                pack_float(self._seg.buf, self._d + at_bytes, coerce_data(t, float(value)))
            if disc is not None:
                disc(self)
        return set_float
    pack_int, shift = _INT_PACKERS[kind]
    at_bytes = offset << shift
    end = at_bytes + (1 << shift)
    names = t.enum.by_name if kind == "enum" else None
    low, high = _RANGES[kind]

    def coerce(value: Any) -> int:
        coerced: int = coerce_data(t, value)  # (an enumerant's name included)
        return coerced

    def write_short(self: Any, value: int) -> None:
        write(self._sb, offset, coerce_data(t, value), default)

    if default == 0 and disc is None:
        if names is not None:
            by_name = names

            # An enum set by name (pycapnp code's usual way), looked up here.
            def set_enum(self: Any, value: Any) -> None:
                if type(value) is not int or not low <= value <= high:
                    value = by_name[value] if type(value) is str and value in by_name else coerce(value)
                if self._n < end:
                    write_short(self, value)
                    return
                pack_int(self._seg.buf, self._d + at_bytes, value)
            return set_enum

        # The common field: no XOR mask, no union.
        def set_int(self: Any, value: Any) -> None:
            if type(value) is not int or not low <= value <= high:
                value = coerce(value)  # raises EncodeError for an int out of range
            if self._n < end:
                write_short(self, value)
                return
            pack_int(self._seg.buf, self._d + at_bytes, value)
        return set_int

    def set_int_general(self: Any, value: Any) -> None:
        if type(value) is not int or not low <= value <= high:
            value = coerce(value)
        if self._n < end:
            write_short(self, value)
            return
        # XOR with an in-range default keeps a value in range.
        pack_int(self._seg.buf, self._d + at_bytes, value ^ default)
        if disc is not None:
            disc(self)
    return set_int_general


def _builder_setter(schema: StructSchema, field: FieldInfo) -> Setter:
    if not field.is_pointer and field.group is None:
        fast = _data_setter(schema, field)
        if fast is not None:
            return fast
    elif field.kind == "text":
        return _text_setter(field)
    elif field.kind == "list":
        fast_list = _list_setter(field)
        if fast_list is not None:
            return fast_list

    def set_any(self: Any, value: Any) -> None:
        self._set_field(field, value)
    return set_any


def _escaped_utf8(value: str) -> bytes:
    """A text holding surrogates U+DC80-U+DCFF (how the text printer shows bytes that are not
    UTF-8) as the bytes they stand for; any other lone surrogate cannot be stored."""
    try:
        return value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as exc:
        raise EncodeError(f"text cannot be encoded as UTF-8: {exc.reason} "
                          f"(character {exc.start})") from None


def _text_setter(field: FieldInfo) -> Setter:
    """Writes a ``str`` as one pointer plus its bytes (no layout objects)."""
    index = field.offset
    in_union = field.in_union

    def set_text(self: Any, value: Any) -> None:
        if type(value) is not str or self._pc <= index:
            self._set_field(field, value)  # checks the value (and the slot) fully
            return
        try:
            raw = value.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates from the text printer
            raw = _escaped_utf8(value)
        if in_union:
            self._set_discriminant(field)
        msg = self._msg
        mb = msg.mb
        if mb is None:
            mb = _materialize(self)
        seg = self._seg
        w = self._po + index
        if msg.okey is seg and msg.onext <= w < msg.oend:
            msg.onext = w + 1  # the next slot of the open object: _track's common case
        else:
            _track(msg, seg, w)
        put_text(mb, seg, w, raw)
    return set_text


def _list_setter(field: FieldInfo) -> Optional[Setter]:
    """A one-step setter for a list of Text or of numbers given as a list or tuple.

    Other values (and lists holding anything unusual) take ``_set_field``.
    Such a list has no pointers left to fill once written, so the allocation
    order needs only the one slot recorded.
    """
    t = field.type
    assert t is not None and t.element is not None
    kind = t.element.kind
    index = field.offset
    in_union = field.in_union
    if kind == "text":
        return _text_list_setter(field, index, in_union)
    exact = _EXACT_TYPE.get(kind)
    if exact is None:
        return None
    fmt = BULK_FORMATS[kind]

    def set_numbers(self: Any, value: Any) -> None:
        tv = type(value)
        if (tv is not list and tv is not tuple) or self._pc <= index or not (
            exact.issuperset(map(type, value))  # iterates, makes no set
        ):
            self._set_field(field, value)
            return
        msg = self._msg
        mb = msg.mb
        if mb is None:
            mb = _materialize(self)
        seg = self._seg
        w = self._po + index
        # Writes first: a value out of range raises before anything else changes.
        put_primitive_list(mb, seg, w, fmt, value)
        if in_union:
            self._set_discriminant(field)
        if msg.okey is seg and msg.onext <= w < msg.oend:
            msg.onext = w + 1  # the next slot of the open object: _track's common case
        else:
            _track(msg, seg, w)
    return set_numbers


def _text_list_setter(field: FieldInfo, index: int, in_union: bool) -> Setter:
    """The ``List(Text)`` setter of :func:`_list_setter`: ``put_str_list``, or ``_set_field``
    when that refuses the values."""

    def set_text_list(self: Any, value: Any) -> None:
        tv = type(value)
        if (tv is not list and tv is not tuple) or self._pc <= index:
            self._set_field(field, value)
            return
        msg = self._msg
        mb = msg.mb
        if mb is None:
            mb = _materialize(self)
        seg = self._seg
        w = self._po + index
        if not put_str_list(mb, seg, w, value):
            self._set_field(field, value)  # None, bytes or surrogates inside
            return
        if in_union:
            self._set_discriminant(field)
        if msg.okey is seg and msg.onext <= w < msg.oend:
            msg.onext = w + 1  # the next slot of the open object: _track's common case
        else:
            _track(msg, seg, w)
    return set_text_list


def _builder_getter(field: FieldInfo) -> Callable[[Any], Any]:
    if field.group is not None:
        group = field.group
        return lambda self: make_builder(group, self._sb, self._msg)
    if not field.is_pointer:
        fast = data_getter(field)
        if fast is not None:
            return fast
    return lambda self: self._get_field(field)


_BUILDER_RESERVED = _reserved_names(_DynamicStructBuilder)


def builder_class(schema: StructSchema) -> type:
    """The schema's builder subclass (made once): its fields are properties.

    A field named like an attribute of the base class (``init``, ``which``...)
    stays reachable for writes through ``__setattr__``; such a class keeps
    that dispatch for every write.
    """
    cls = schema.builder_cls
    if cls is None:
        namespace: Dict[str, Any] = {"__slots__": ()}
        direct = True
        for field in schema.fields_list:
            if field.name in _BUILDER_RESERVED:
                direct = False
                continue
            namespace[field.name] = property(_builder_getter(field), _builder_setter(schema, field))
        if direct:
            namespace["__setattr__"] = object.__setattr__
            namespace["_direct"] = True
        cls = type(schema.name, (_DynamicStructBuilder,), namespace)
        schema.builder_cls = cls
    return cls


# --------------------------------------------------------------------------
# Pending root classes (see _materialize): scalar setters with fixed offsets
# --------------------------------------------------------------------------


def _materializing(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` run on the ordinary builder the pending root becomes."""

    def run(self: Any, *args: Any) -> Any:
        _materialize(self)
        return method(self, *args)
    return run


def _pending_setter(schema: StructSchema, field: FieldInfo) -> Optional[Setter]:
    """A scalar setter that packs into the pending root's ``_buf`` (None: materialize).

    The root sits at byte 8 and has the schema's full size, so offsets are
    constants; values are checked exactly as the ordinary setters do.
    """
    t = field.type
    assert t is not None
    kind = field.kind
    default = field.wire_default
    if field.in_union:
        disc_at = 8 + (schema.discriminant_offset << 1)
        disc: Optional[int] = field.discriminant
    else:
        disc_at = 0
        disc = None
    pack_disc = _U16.pack_into
    if kind == "bool":
        at = 8 + (field.offset >> 3)
        mask = 1 << (field.offset & 7)
        keep = ~mask & 0xFF
        flag = bool(default)

        def set_bool(self: Any, value: Any) -> None:
            if type(value) is not bool:
                value = coerce_data(t, value)
            buf = self._buf
            if value != flag:
                buf[at] |= mask
            else:
                buf[at] &= keep
            if disc is not None:
                pack_disc(buf, disc_at, disc)

        def set_plain_bool(self: Any, value: Any) -> None:
            if type(value) is not bool:
                value = coerce_data(t, value)
            if value != flag:
                self._buf[at] |= mask
            else:
                self._buf[at] &= keep
        return set_bool if disc is not None else set_plain_bool
    if kind in ("float32", "float64"):
        if default != 0.0 or math.copysign(1.0, default) < 0:
            return None
        shift = 2 if kind == "float32" else 3
        at = 8 + (field.offset << shift)
        pack_float = _struct.Struct("<f" if kind == "float32" else "<d").pack_into

        def set_float(self: Any, value: Any) -> None:
            if type(value) is not float:
                value = coerce_data(t, value)
            try:
                pack_float(self._buf, at, value)
            except OverflowError:  # too large for Float32: coerce_data gives infinity
                pack_float(self._buf, at, coerce_data(t, float(value)))
            if disc is not None:
                pack_disc(self._buf, disc_at, disc)

        def set_plain_float(self: Any, value: Any) -> None:
            if type(value) is not float:
                value = coerce_data(t, value)
            try:
                pack_float(self._buf, at, value)
            except OverflowError:
                pack_float(self._buf, at, coerce_data(t, float(value)))
        return set_float if disc is not None else set_plain_float
    packer = _INT_PACKERS.get(kind)
    if packer is None:
        return None
    pack_int, shift = packer
    at = 8 + (field.offset << shift)
    low, high = _RANGES[kind]

    def coerce(value: Any) -> int:
        coerced: int = coerce_data(t, value)  # (an enumerant's name included)
        return coerced

    if default == 0 and disc is None:
        def set_int(self: Any, value: Any) -> None:
            if type(value) is not int or not low <= value <= high:
                value = coerce(value)  # raises EncodeError for an int out of range
            pack_int(self._buf, at, value)
        return set_int

    def set_int_general(self: Any, value: Any) -> None:
        if type(value) is not int or not low <= value <= high:
            value = coerce(value)
        pack_int(self._buf, at, value ^ default)
        if disc is not None:
            pack_disc(self._buf, disc_at, disc)
    return set_int_general


def _bulk_setter(schema: StructSchema, namespace: Dict[str, Any]
                 ) -> Optional[Callable[[Any, Dict[str, Any]], bool]]:
    """``new_message(**fields)``'s shortcut for a pending root whose fields are all plain
    scalars: the values go into the root's data section with one ``pack_into``.

    It takes only what the pending setters would store unchanged: each value of exactly
    the field's type (int, float or bool: no enumerant names, no bool for a number, no
    int for a float), numbers in range, fields outside unions with zero defaults.  It
    returns False for anything else (an unknown or pointer field, a value of another
    type, a number out of range) and the caller sets the fields one by one as usual, which
    raises the usual error.  The root is new, so what a failed ``pack_into`` wrote first
    is either set again by the setters or was a zero written over a zero.
    """
    packed: List[Tuple[int, str, str, type]] = []  # (byte offset in the data section, letter, name, type)
    bools: List[Tuple[str, int, int]] = []  # (name, byte, mask)
    for field in schema.fields_list:
        # What a waiting list element keeps as it is given (batch._kept): the same fields.
        how = _kept(field) if isinstance(namespace.get(field.name), property) else None
        if how == "bool":
            bools.append((field.name, 8 + (field.offset >> 3), 1 << (field.offset & 7)))
        elif how == "data":
            letter = BULK_FORMATS[field.kind]
            packed.append((field.offset * _struct.calcsize(letter), letter, field.name,
                           float if letter in "fd" else int))
    if not packed:
        return None
    packed.sort()
    first = packed[0][0]
    fmt = "<"
    at = first
    for offset, letter, _, _ in packed:
        fmt += "x" * (offset - at) + letter
        at = offset + _struct.calcsize(letter)
    pack = _struct.Struct(fmt).pack_into
    index = {name: i for i, (_, _, name, _) in enumerate(packed)}
    n = len(packed)
    index.update((name, n + j) for j, (name, _, _) in enumerate(bools))
    template: List[Any] = [t() for _, _, _, t in packed] + [False] * len(bools)
    expected = [t for _, _, _, t in packed] + [bool] * len(bools)
    bits = [(n + j, byte, mask) for j, (_, byte, mask) in enumerate(bools)]
    start = 8 + first

    def bulk(b: Any, value: Dict[str, Any]) -> bool:
        values = template.copy()
        try:
            for name, item in value.items():
                values[index[name]] = item
        except KeyError:
            return False
        if [*map(type, values)] != expected:
            return False
        buf = b._buf
        try:
            if bits:
                pack(buf, start, *values[:n])
                for k, byte, mask in bits:
                    if values[k]:
                        buf[byte] |= mask
            else:
                pack(buf, start, *values)
        except (_struct.error, OverflowError):
            return False
        return True
    return bulk


def set_new(b: "_DynamicStructBuilder", value: Dict[str, Any]) -> None:
    """``set_dict`` for the root of a new message (``new_message(**fields)``)."""
    bulk = type(b).__dict__.get("_bulk")
    if bulk is None or not bulk(b, value):
        set_dict(b, value)


def _pending_class(schema: StructSchema, cls: type) -> type:
    """The pending root class of ``schema``: a subclass of its builder class ``cls``.

    It has the same slots, so ``_materialize`` can switch an object to ``cls``.
    Coordinates are class attributes until then.  Getters and the setters of
    pointers and groups go through ``_materialize`` (the inherited ones reach
    it through ``_sb`` or the message's missing MessageBuilder).
    """
    dw = schema.data_words
    namespace: Dict[str, Any] = {
        "__slots__": (),
        "schema": schema,
        "_sbc": None,
        "_d": 8,
        "_n": dw << 3,
        "_po": 1 + dw,
        "_pc": schema.pointer_count,
    }
    for field in schema.fields_list:
        if field.is_pointer or field.group is not None or field.read is None:
            continue  # pointers, groups and Void: the inherited property
        prop = cls.__dict__.get(field.name)
        if not isinstance(prop, property):
            continue
        setter = _pending_setter(schema, field) or _materializing(prop.fset)  # type: ignore[arg-type]
        namespace[field.name] = property(_materializing(prop.fget), setter)  # type: ignore[arg-type]
    namespace["_bulk"] = _bulk_setter(schema, namespace)
    return type(schema.name, (cls,), namespace)


# --------------------------------------------------------------------------
# Waiting list elements (batch.py): what may read the words settles first
# --------------------------------------------------------------------------


def _settle_methods(cls: type, skip: Tuple[str, ...], fresh: bool = False) -> None:
    for name, attr in list(vars(cls).items()):
        if name in skip or name in ("__new__", "__init__", "__slots__", "__hash__"):
            continue
        if isinstance(attr, property):
            setattr(cls, name, property(
                settled(attr.fget, fresh) if attr.fget else None,
                settled(attr.fset, fresh) if attr.fset else None,
                None, attr.__doc__))
        elif type(attr) is type(settled):
            setattr(cls, name, settled(attr, fresh))


# (_get_field, _set_field, to_bytes, and the list's __getitem__, __setitem__ and __iter__ settle
# inline; the others left out touch no words.)
_settle_methods(_DynamicStructBuilder, (
    "_sb", "_get_field", "_set_field", "__setattr__", "_field", "__enter__", "__exit__", "__dir__",
    "clear_write_flag", "caps", "write_async", "to_bytes"))
_settle_methods(_DynamicListBuilder, ("__len__", "_index", "__getitem__", "__iter__", "_waiting",
                                      "__setitem__"), fresh=True)
_settle_methods(_AnyBuilder, ())
