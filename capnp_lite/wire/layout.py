"""The layout core: every offset computation of the wire format lives here.

Readers
    ``MessageReader(segments, *, traversal_limit_in_words=8 Mi, nesting_limit=64, limits=None)``
    gives ``root()`` (a :class:`StructReader`) and ``root_pointer()`` (an
    :class:`AnyPointerReader`).  Readers are views: one object per struct or
    list dereference, never one per field.  Each dereference is bounds-checked
    and charged to the traversal limit once; each struct or list level costs
    one nesting level, and so does each element of a struct list (as in the
    reference).

Builders
    ``MessageBuilder(first_segment_words=1024, *, next_segment_words=None,
    growth="heuristic")`` allocates fixed-size segments like the reference
    encoder (see :class:`MessageBuilder`), ``init_root()`` gives a
    :class:`StructBuilder`, ``set_root()`` deep-copies a reader, and
    ``segments()`` returns the words used, one ``bytes`` per segment.

API (see each class for details):

* ``StructReader``: ``data_words``, ``ptr_count``, ``data_bytes()``,
  ``get_bool/int8/uint8/.../int64/uint64/float32/float64(offset, default)``,
  ``get_struct(i, default)``, ``get_list(i, element_size, default)``,
  ``get_text(i, default)``, ``get_data(i, default)``, ``get_capability(i)``,
  ``is_null(i)``, ``get_pointer(i) -> AnyPointerReader``.
* ``ListReader``: ``len()``, ``element_size``, ``get_<type>(i)``,
  ``get_struct(i)``, ``get_list/get_text/get_data/get_capability/get_pointer(i)``
  for pointer elements, ``to_list(fmt)`` (bulk), ``texts(default)`` (a whole
  ``List(Text)``).
* ``read_text_field``, ``read_struct_field`` and ``read_list_field(context,
  segment, pointer_offset, ptr_count, index, ...)``: ``StructReader``'s
  pointer getters for code that keeps struct coordinates instead of a reader.
* ``AnyPointerReader``: ``kind`` (:class:`PointerKind`), ``is_null()``,
  ``get_struct()``, ``get_list(element_size)``, ``get_text()``, ``get_data()``,
  ``get_capability()``.
* ``StructBuilder``: the reader's getters, ``set_<type>(offset, value, default)``,
  ``init_struct``, ``get_struct``, ``init_list``, ``init_struct_list``,
  ``get_list``, ``init_primitive_list(i, fmt, values)`` (bulk), ``set_text``,
  ``set_text_bytes``, ``init_text(i, size)``, ``set_data``, ``set_capability``,
  ``clear_pointer``, ``copy_data_from(reader)`` (raw data section),
  ``as_reader()``, and the deep copies
  ``set_struct/set_list/set_pointer(i, reader, canonical=False)``.
* ``ListBuilder``: the reader's getters, ``set_<type>(i, value)``,
  ``set_all(values, fmt)`` (bulk), ``get_struct(i)``, for pointer elements
  ``get_list(i, element_size)``, ``get_struct_at(i)``, ``get_pointer(i)`` and
  the initialisers and copies of ``StructBuilder``, ``as_reader()``.
* Orphans: ``MessageBuilder.new_orphan_struct(data_words, pointer_count)``,
  ``new_orphan_list(element_size, count)``, ``new_orphan_struct_list(count,
  data_words, pointer_count)``, ``new_orphan_text(str)``,
  ``new_orphan_data(bytes)``, ``new_orphan_capability(index)``;
  ``StructBuilder.disown(i)`` / ``adopt(i, orphan)`` and the same on
  ``ListBuilder`` pointer elements; :class:`Orphan` has ``is_null``, ``kind``,
  ``segment_id``, ``word``, ``tag``, ``struct_builder()``, ``list_builder()``.
* ``put_text(mb, segment, word, utf8)``, ``put_list_bytes(mb, segment, word,
  element_size, count, payload)``, ``put_text_list(mb, segment, word, texts)``
  and ``put_primitive_list(mb, segment, word, fmt, values)``: one-step list
  writers for builders that hold struct coordinates; ``word`` is a pointer
  slot (e.g. ``pointer_offset + i``) of ``segment``, already checked by the
  caller.  ``put_str_list(mb, segment, word, strs) -> bool`` writes a
  ``List(Text)`` from ``str`` values, or returns False having written nothing
  (a value that is not exactly a ``str``, or lone surrogates).
  ``ascii_text_block(strs)`` is the body such a list of ASCII texts takes
  (pointer words, then padded texts, as placed right after the list's
  pointer), or None; serializers that append their objects use it.
* Struct coordinates (readers and builders), for code that reads fields
  itself: ``segment`` (typed views), ``data_offset`` (bytes), ``data_size``
  (bytes), ``pointer_offset`` (words), ``ptr_count``; readers also have
  ``nesting_left`` and ``context``, and ``StructReader(context, segment,
  data_offset, data_size, pointer_offset, ptr_count, nesting_left)`` makes a
  reader at coordinates already checked.  List coordinates: ``context``,
  ``segment``, ``data_offset``, ``step_bits``, ``data_bits_per_element``,
  ``ptrs_per_element``, ``nesting_left``.
* :class:`MessageContext` (base of both messages): ``budget`` (traversal
  words left) and ``charge(words)``, for code that follows pointers itself.
  ``MessageReader.from_segment(read_segment(0, data), limit, nesting)`` is
  the cheap one-segment reader.

Far pointers written by builders.  A new object is allocated together with
the word before it: either in the segment of the pointer that refers to it (a
near pointer) or, when that segment is full, in the last or a new segment as
one block of landing pad plus object (a single far pointer to the pad), the
reference encoder's placement.  Orphans (:class:`Orphan`) break that pairing:
an orphan is allocated alone (the last segment when it fits, else a new one),
and ``disown`` leaves an object where it is, so adopting it must point at an
object that already exists.  ``adopt`` writes a near pointer when the object
shares the pointer's segment; else a single far pointer to a one-word landing
pad taken from any free word of the object's segment; else, when that segment
has no word left, a double-far pointer to a two-word pad (a far pointer to the
object's first word, then its tag with offset 0) in the last or a new segment,
as the reference encoder does.  Readers accept double-far pointers from any
writer.

Deep copies write objects in the reference encoder's order: pre-order, a
struct then its pointers' targets in slot order, depth first; a struct list as
one block followed by element 0's targets, then element 1's.  Copies read
through the source's limits and copy capability pointers unchanged.

Scalar accessors take the field offset in units of the field's width (bools:
bit offset) and a default that is XORed in, as the encoding specifies; floats
XOR their default's bit pattern.  Element sizes are the ``ELEM_*`` codes of
:mod:`capnp_lite.wire.pointers`; bulk list access uses ``struct`` format
letters (``b B h H i I q Q f d`` and ``?`` for bools).
"""

from __future__ import annotations

import array
import enum
import math
import struct
from itertools import chain
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ..errors import DecodeError, EncodeError, LimitError
from .pointers import (
    ELEM_BIT,
    ELEM_COMPOSITE,
    ELEM_POINTER,
    ELEM_VOID,
    ELEMENT_BITS,
    ZERO_SIZED_STRUCT,
    describe,
)
from .segments import (
    DEFAULT_NESTING_LIMIT,
    DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
    LITTLE_ENDIAN,
    Buffer,
    ReadLimits,
    Segment,
    builder_segment,
    grow_segment,
    read_segment,
)

__all__ = [
    "PointerKind",
    "raw_text",
    "MessageContext",
    "MessageReader",
    "ROOT_POINTER_CHARGE",
    "StructReader",
    "ListReader",
    "AnyPointerReader",
    "MessageBuilder",
    "AllocatedMessageBuilder",
    "StructBuilder",
    "ListBuilder",
    "Orphan",
    "FORMAT_ELEMENT_SIZE",
    "put_text",
    "put_list_bytes",
    "put_text_list",
    "put_primitive_list",
    "put_str_list",
    "ascii_text_block",
    "read_text_field",
    "read_struct_field",
    "read_list_field",
]

_MASK30 = 0x3FFFFFFF
_SIGN30 = 1 << 29
_SPAN30 = 1 << 30
_MAX_COUNT = (1 << 29) - 1
# Data bits and pointer count per element, by element size code (composite: per tag).
_DATA_BITS = (0, 1, 8, 16, 32, 64, 0, 0)
_PTRS = (0, 0, 0, 0, 0, 0, 1, 0)
_STEP = ELEMENT_BITS  # bits per element of each non-composite size
_UNLIMITED = 1 << 62
# The most words a segment can use: a landing pad's offset in a far pointer has 29 bits.
_MAX_SEGMENT_WORDS = 1 << 29
# Words a builder segment's buffer starts with; it grows (doubling) to its limit.
_INITIAL_WORDS = 64

#: The element size code each bulk format letter is stored with.
FORMAT_ELEMENT_SIZE = {
    "?": 1, "b": 2, "B": 2, "h": 3, "H": 3, "i": 4, "I": 4, "f": 4, "q": 5, "Q": 5, "d": 5,
}
_FORMAT_BITS = {"?": 1, "b": 8, "B": 8, "h": 16, "H": 16, "i": 32, "I": 32, "f": 32,
                "q": 64, "Q": 64, "d": 64}
# Default bulk format by data bits per element (unsigned integers).
_BITS_FORMAT = {1: "?", 8: "B", 16: "H", 32: "I", 64: "Q"}


def _to_array(code: str, values: Sequence[float]) -> "array.array[Any]":
    """``values`` converted and range-checked in C; ``fromlist`` is the quicker door for a list."""
    if type(values) is list:
        arr: "array.array[Any]" = array.array(code)
        arr.fromlist(values)  # about 1.5x faster than the constructor for ints
        return arr
    return array.array(code, values)


# array.array codes of the same width as each format letter, when the platform has them.
_ARRAY_CODES = {
    f: f for f in ("b", "B", "h", "H", "i", "I", "q", "Q", "f", "d")
    if array.array(f).itemsize == struct.calcsize("<" + f)
}

# What packing a value, or storing it through a typed view, raises when it does not fit.
_PACK_ERRORS = (ValueError, TypeError, OverflowError, struct.error)

_F32 = struct.Struct("<f")
_F64 = struct.Struct("<d")
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
# Bool-list unpacking: ASCII '0'/'1' to bytes 0/1, and back.
_BITS_TO_BYTES = bytes.maketrans(b"01", b"\x00\x01")
_BYTES_TO_BITS = bytes.maketrans(b"\x00\x01", b"01")


class PointerKind(enum.IntEnum):
    """What an AnyPointer holds."""

    NULL = 0
    STRUCT = 1
    LIST = 2
    CAPABILITY = 3


def _f32_bits(value: float) -> int:
    bits: int = _U32.unpack(_F32.pack(value))[0]
    return bits


def _f64_bits(value: float) -> int:
    bits: int = _U64.unpack(_F64.pack(value))[0]
    return bits


def _is_zero_bits(value: float) -> bool:
    """True when ``value`` is +0.0, whose XOR mask is all zero bits."""
    return value == 0.0 and math.copysign(1.0, value) > 0.0


# --------------------------------------------------------------------------
# Shared context: the segments and the traversal budget
# --------------------------------------------------------------------------


class MessageContext:
    """Segments plus the traversal budget shared by every reader of a message.

    :class:`MessageReader` and :class:`MessageBuilder` are message contexts.
    Code that follows pointers itself (generated readers) charges what it
    dereferences here, as the layout core does: either :meth:`charge`, or on a
    hot path the equivalent inline test ``budget >= words`` followed by
    ``budget -= words`` (and on failure, handing the pointer to the core,
    which raises).  Charge once per dereference of a struct or list: its size
    in words, one word per element of a ``List(Void)`` or of a list of
    zero-sized structs, and nothing for null pointers or empty lists.
    """

    __slots__ = ("_segments", "budget")

    def __init__(self) -> None:
        self._segments: List[Segment] = []  # in id order
        # Words still allowed to be dereferenced; public, see the class docstring.
        self.budget = _UNLIMITED

    def charge(self, words: int, seg: Optional[Segment] = None, idx: int = -1) -> None:
        """Take ``words`` from :attr:`budget`; raises :class:`LimitError` when it runs out.

        ``seg`` and ``idx`` (the pointer's segment and word index) only go
        into the error message.
        """
        self.budget -= words
        if self.budget < 0:
            raise LimitError(
                "read limit exceeded: the message dereferences more words than the "
                "traversal limit allows (cycles or amplification?)",
                segment=None if seg is None else seg.id,
                offset=None if idx < 0 else idx,
            )

    def segment(self, index: int) -> Segment:
        """Segment ``index`` (raises DecodeError when there is no such segment)."""
        segs = self._segments
        if not 0 <= index < len(segs):
            raise DecodeError(f"message has no segment {index}")
        return segs[index]

    @property
    def segment_count(self) -> int:
        return len(self._segments)


def _too_deep(seg: Segment, idx: int) -> LimitError:
    return LimitError("message is too deeply nested or contains cycles", segment=seg.id, offset=idx)


def _oob(what: str, seg: Segment, idx: int) -> DecodeError:
    return DecodeError(f"out-of-bounds {what}", segment=seg.id, offset=idx)


def _resolve(
    ctx: MessageContext, seg: Segment, idx: int, p: int, charge: bool = True
) -> Tuple[int, Segment, int]:
    """Follow ``p`` (read at ``seg[idx]``) through far pointers.

    Returns the tag word describing the object, its segment and its first word
    (not yet bounds-checked against the object size).  A landing pad's words
    are charged to the traversal limit, as the reference charges every
    bounds-checked read (``charge`` is False for builders and for a second
    look at a pointer already charged).  An empty segment counts as unknown,
    as in the reference.
    """
    if p & 3 != 2:
        o = (p >> 2) & _MASK30
        if o >= _SIGN30:
            o -= _SPAN30
        return p, seg, idx + 1 + o
    segs = ctx._segments
    sid = p >> 32
    if sid >= len(segs) or (sid and not segs[sid].words):
        raise DecodeError(f"far pointer to unknown segment {sid}", segment=seg.id, offset=idx)
    pseg = segs[sid]
    pad = (p >> 3) & 0x1FFFFFFF
    if not p & 4:
        if pad + 1 > pseg.words:
            raise _oob("far pointer (landing pad beyond its segment)", seg, idx)
        if charge:
            ctx.charge(1, seg, idx)
        tag = pseg.u64[pad]
        if tag & 3 >= 2:
            raise DecodeError(
                f"far pointer landing pad is not a struct or list pointer: {describe(tag)}",
                segment=sid, offset=pad,
            )
        o = (tag >> 2) & _MASK30
        if o >= _SIGN30:
            o -= _SPAN30
        return tag, pseg, pad + 1 + o
    if pad + 2 > pseg.words:
        raise _oob("double-far pointer (landing pad beyond its segment)", seg, idx)
    if charge:
        ctx.charge(2, seg, idx)
    far = pseg.u64[pad]
    tag = pseg.u64[pad + 1]
    if far & 7 != 2:
        raise DecodeError(
            f"first word of a double-far landing pad must be a single far pointer, "
            f"found {describe(far)}",
            segment=sid, offset=pad,
        )
    if tag & 3 >= 2:
        raise DecodeError(
            f"second word of a double-far landing pad must be a struct or list tag, "
            f"found {describe(tag)}",
            segment=sid, offset=pad + 1,
        )
    tid = far >> 32
    if tid >= len(segs) or (tid and not segs[tid].words):
        raise DecodeError(f"double-far pointer to unknown segment {tid}", segment=sid, offset=pad)
    return tag, segs[tid], (far >> 3) & 0x1FFFFFFF


def _kind_name(p: int) -> str:
    k = p & 3
    return ("struct", "list", "far", "capability")[k] if (k != 3 or (p & 0xFFFFFFFF) == 3) \
        else "unknown other-kind"


# --------------------------------------------------------------------------
# Pointer dereference (readers)
# --------------------------------------------------------------------------


def _read_struct_at(
    ctx: MessageContext, seg: Segment, idx: int, nest: int, default: Optional[StructReader]
) -> StructReader:
    p = seg.u64[idx]
    if p == 0:
        return default if default is not None else _empty_struct(ctx)
    if nest <= 0:
        raise _too_deep(seg, idx)
    if p & 3 == 2:
        tag, tseg, start = _resolve(ctx, seg, idx, p)
    else:
        # Near pointers (the common case) are decoded inline: saves a call and a tuple.
        tag = p
        tseg = seg
        start = (p >> 2) & _MASK30
        start = idx + 1 + (start - _SPAN30 if start >= _SIGN30 else start)
    if tag & 3 != 0:
        raise DecodeError(
            f"expected a struct pointer, found a {_kind_name(tag)} pointer",
            segment=seg.id, offset=idx,
        )
    dw = (tag >> 32) & 0xFFFF
    size = dw + (tag >> 48)
    if start < 0 or start + size > tseg.words:
        raise _oob("struct pointer", seg, idx)
    if size:
        ctx.charge(size, seg, idx)
    return StructReader(ctx, tseg, start << 3, dw << 3, start + dw, tag >> 48, nest - 1)


def _read_list_at(
    ctx: MessageContext,
    seg: Segment,
    idx: int,
    nest: int,
    expected: Optional[int],
    default: Optional[ListReader],
) -> ListReader:
    p = seg.u64[idx]
    es = (p >> 32) & 7
    if p & 3 == 1 and ELEM_VOID < es < ELEM_COMPOSITE and (expected is None or expected == es) \
            and nest > 0:
        # Inlined path for a near primitive or pointer list read as written.
        o = (p >> 2) & _MASK30
        start = idx + 1 + (o - _SPAN30 if o >= _SIGN30 else o)
        n = p >> 35
        dbits = _DATA_BITS[es]
        pc = _PTRS[es]
        step = dbits + (pc << 6)
        words = (n * step + 63) >> 6
        if start >= 0 and start + words <= seg.words and ctx.budget >= words:
            ctx.budget -= words
            return ListReader(ctx, seg, start << 3, n, step, dbits, pc, es, nest - 1)
    if p == 0:
        if default is not None:
            return default
        return _empty_list(ctx, ELEM_VOID if expected is None else expected)
    if nest <= 0:
        raise _too_deep(seg, idx)
    if p & 3 == 2:
        tag, tseg, start = _resolve(ctx, seg, idx, p)
    else:
        # Near pointers (the common case) are decoded inline: saves a call and a tuple.
        tag = p
        tseg = seg
        start = (p >> 2) & _MASK30
        start = idx + 1 + (start - _SPAN30 if start >= _SIGN30 else start)
    if tag & 3 != 1:
        raise DecodeError(
            f"expected a list pointer, found a {_kind_name(tag)} pointer",
            segment=seg.id, offset=idx,
        )
    es = (tag >> 32) & 7
    n = tag >> 35
    if es == ELEM_COMPOSITE:
        if start < 0 or start + 1 + n > tseg.words:
            raise _oob("list pointer", seg, idx)
        ctx.charge(n + 1, seg, idx)
        itag = tseg.u64[start]
        if itag & 3 != 0:
            raise DecodeError(
                "inline-composite list tag is not a struct pointer", segment=tseg.id, offset=start
            )
        count = (itag >> 2) & _MASK30
        dw = (itag >> 32) & 0xFFFF
        pc = itag >> 48
        wpe = dw + pc
        if count * wpe > n:
            raise DecodeError(
                f"inline-composite list's {count} elements of {wpe} words overrun its "
                f"{n} words", segment=tseg.id, offset=start,
            )
        if wpe == 0:
            # Zero-sized elements carry no data: charge one word each so a huge
            # count cannot amplify a tiny message.
            ctx.charge(count, seg, idx)
        if expected is not None and expected != ELEM_COMPOSITE:
            if expected == ELEM_BIT:
                raise DecodeError(
                    "found a struct list where a bit list was expected", segment=seg.id, offset=idx
                )
            if expected == ELEM_POINTER and pc == 0:
                raise DecodeError(
                    "expected a pointer list, found a list of data-only structs",
                    segment=seg.id, offset=idx,
                )
            if ELEM_BIT < expected < ELEM_POINTER and dw == 0:
                raise DecodeError(
                    "expected a primitive list, found a list of pointer-only structs",
                    segment=seg.id, offset=idx,
                )
        return ListReader(ctx, tseg, (start + 1) << 3, count, wpe << 6, dw << 6, pc,
                          ELEM_COMPOSITE, nest - 1)
    dbits = _DATA_BITS[es]
    pc = _PTRS[es]
    step = dbits + (pc << 6)
    words = (n * step + 63) >> 6
    if start < 0 or start + words > tseg.words:
        raise _oob("list pointer", seg, idx)
    if words:
        ctx.charge(words, seg, idx)
    if es == ELEM_VOID:
        ctx.charge(n, seg, idx)
    if expected is not None and expected != es:
        if es == ELEM_BIT:
            raise DecodeError(
                "found a bit list where a struct or data list was expected; bit lists "
                "cannot be upgraded", segment=seg.id, offset=idx,
            )
        if expected != ELEM_COMPOSITE and (
            _DATA_BITS[expected] > dbits or _PTRS[expected] > pc
        ):
            raise DecodeError(
                f"list of element size {es} is incompatible with the expected size {expected}",
                segment=seg.id, offset=idx,
            )
    return ListReader(ctx, tseg, start << 3, n, step, dbits, pc, es, nest - 1)


def _read_bytes_at(
    ctx: MessageContext, seg: Segment, idx: int, what: str
) -> Optional[memoryview]:
    """The bytes of a byte list (Text or Data), or None when the pointer is null."""
    p = seg.u64[idx]
    if p == 0:
        return None
    if p & 3 == 2:
        tag, tseg, start = _resolve(ctx, seg, idx, p)
    else:
        # Near pointers (the common case) are decoded inline: saves a call and a tuple.
        tag = p
        tseg = seg
        start = (p >> 2) & _MASK30
        start = idx + 1 + (start - _SPAN30 if start >= _SIGN30 else start)
    if tag & 3 != 1:
        raise DecodeError(
            f"expected a {what} (list) pointer, found a {_kind_name(tag)} pointer",
            segment=seg.id, offset=idx,
        )
    if (tag >> 32) & 7 != 2:
        raise DecodeError(
            f"expected a {what} (byte list), found a list of element size {(tag >> 32) & 7}",
            segment=seg.id, offset=idx,
        )
    n = tag >> 35
    words = (n + 7) >> 3
    if start < 0 or start + words > tseg.words:
        raise _oob(f"{what} pointer", seg, idx)
    if words:
        ctx.charge(words, seg, idx)
    b = start << 3
    return tseg.b[b:b + n]


# A near byte-list pointer: kind bits and element size bits (the fast path's test).
_KIND_SIZE_MASK = 0x700000003
_BYTE_LIST = 0x200000001


def _read_text_at(ctx: MessageContext, seg: Segment, idx: int, default: str) -> str:
    p = seg.u64[idx]
    tseg: Optional[Segment] = None
    pad = 0  # landing pad words, charged with the text
    if p & _KIND_SIZE_MASK == _BYTE_LIST:
        # Inlined near-pointer path: about half the cost of the general one.
        o = (p >> 2) & _MASK30
        start = idx + 1 + (o - _SPAN30 if o >= _SIGN30 else o)
        tag = p
        tseg = seg
    elif p & 7 == 2:
        # A single far pointer (messages of several segments): the same fast
        # path once the landing pad is resolved (which checks the pad).
        tag, far_seg, start = _resolve(ctx, seg, idx, p, False)
        if tag & _KIND_SIZE_MASK == _BYTE_LIST:
            tseg = far_seg
            pad = 1
    elif p == 0:
        return default
    if tseg is not None:
        n = tag >> 35
        words = ((n + 7) >> 3) + pad
        if n and start >= 0 and start + words - pad <= tseg.words and ctx.budget >= words:
            ctx.budget -= words
            b = start << 3
            end = b + n - 1
            mv = tseg.b
            if mv[end] == 0:
                try:
                    return str(mv[b:end], "utf-8")
                except UnicodeDecodeError:
                    pass
            ctx.budget += words  # the general path below charges and reports
    raw = _read_bytes_at(ctx, seg, idx, "text")
    if raw is None:
        return default
    n = len(raw)
    if n == 0 or raw[n - 1] != 0:
        raise DecodeError("text is not NUL-terminated", segment=seg.id, offset=idx)
    try:
        return str(raw[:n - 1], "utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"text is not valid UTF-8: {exc}", segment=seg.id, offset=idx) from None


def raw_text(data: Optional[bytes]) -> Optional[bytes]:
    """Text bytes without their NUL (``data``: a Text pointer's target read as a byte list),
    for readers that decode it their own way; None stays None."""
    if data is None:
        return None
    if not data or data[-1] != 0:
        raise DecodeError("text is not NUL-terminated")
    return data[:-1]


def _read_data_at(ctx: MessageContext, seg: Segment, idx: int, default: bytes) -> bytes:
    raw = _read_bytes_at(ctx, seg, idx, "data")
    return default if raw is None else raw.tobytes()


def _read_cap_at(seg: Segment, idx: int) -> Optional[int]:
    p = seg.u64[idx]
    if p == 0:
        return None
    if (p & 0xFFFFFFFF) != 3:
        raise DecodeError(
            f"expected a capability pointer, found a {_kind_name(p)} pointer",
            segment=seg.id, offset=idx,
        )
    return p >> 32


def _pointer_kind_at(ctx: MessageContext, seg: Segment, idx: int) -> PointerKind:
    p = seg.u64[idx]
    if p == 0:
        return PointerKind.NULL
    if p & 3 == 3:
        if (p & 0xFFFFFFFF) != 3:
            raise DecodeError(f"unknown pointer kind: {describe(p)}", segment=seg.id, offset=idx)
        return PointerKind.CAPABILITY
    tag = _resolve(ctx, seg, idx, p)[0]
    return PointerKind.STRUCT if tag & 3 == 0 else PointerKind.LIST


_EMPTY_SEGMENT = Segment(-1, bytes(8))


def _empty_struct(ctx: MessageContext) -> StructReader:
    return StructReader(ctx, _EMPTY_SEGMENT, 0, 0, 0, 0, 0)


def _empty_list(ctx: MessageContext, expected: int) -> ListReader:
    dbits = _DATA_BITS[expected]
    pc = _PTRS[expected]
    return ListReader(ctx, _EMPTY_SEGMENT, 0, 0, dbits + (pc << 6), dbits, pc, expected, 0)


# --------------------------------------------------------------------------
# Struct data access shared by readers and builders
# --------------------------------------------------------------------------


class _StructView:
    """Scalar getters over a struct's data section (shared by reader and builder)."""

    __slots__ = ("_seg", "_data", "_dsize", "_ptrs", "_pcount")

    def __init__(self, seg: Segment, data: int, dsize: int, ptrs: int, pcount: int) -> None:
        self._seg = seg  # segment holding the struct
        self._data = data  # byte offset of the data section
        self._dsize = dsize  # data section size in bytes
        self._ptrs = ptrs  # word index of the pointer section
        self._pcount = pcount  # pointers in the pointer section

    @property
    def data_words(self) -> int:
        """Data section size in words (rounded up for sub-word list elements)."""
        return (self._dsize + 7) >> 3

    @property
    def data_size_bytes(self) -> int:
        return self._dsize

    @property
    def ptr_count(self) -> int:
        return self._pcount

    # Coordinates for code that reads fields itself (generated readers): a
    # scalar at byte ``data_offset + k`` is inside the struct iff ``k`` plus
    # its width is at most ``data_size``; pointer ``i`` (< ptr_count) is
    # ``segment.u64[pointer_offset + i]``.
    @property
    def segment(self) -> Segment:
        """The segment holding the struct (its typed views: ``segment.u32[...]``)."""
        return self._seg

    @property
    def data_offset(self) -> int:
        """Byte offset of the data section in :attr:`segment`."""
        return self._data

    @property
    def data_size(self) -> int:
        """Data section size in bytes (shorter than the schema's for older writers)."""
        return self._dsize

    @property
    def pointer_offset(self) -> int:
        """Word index of the pointer section in :attr:`segment`."""
        return self._ptrs

    def data_bytes(self) -> bytes:
        """A copy of the raw data section."""
        return self._seg.b[self._data:self._data + self._dsize].tobytes()

    # Each getter checks the field lies inside the data section: a struct written
    # by an older schema is shorter, and its missing fields read as the default.
    def get_bool(self, offset: int, default: bool = False) -> bool:
        byte = offset >> 3
        if byte >= self._dsize:
            return default
        return bool((self._seg.u8[self._data + byte] >> (offset & 7)) & 1) != default

    def get_int8(self, offset: int, default: int = 0) -> int:
        if offset >= self._dsize:
            return default
        return self._seg.i8[self._data + offset] ^ default

    def get_uint8(self, offset: int, default: int = 0) -> int:
        if offset >= self._dsize:
            return default
        return self._seg.u8[self._data + offset] ^ default

    def get_int16(self, offset: int, default: int = 0) -> int:
        b = offset << 1
        if b + 2 > self._dsize:
            return default
        return self._seg.i16[(self._data + b) >> 1] ^ default

    def get_uint16(self, offset: int, default: int = 0) -> int:
        b = offset << 1
        if b + 2 > self._dsize:
            return default
        return self._seg.u16[(self._data + b) >> 1] ^ default

    def get_int32(self, offset: int, default: int = 0) -> int:
        b = offset << 2
        if b + 4 > self._dsize:
            return default
        return self._seg.i32[(self._data + b) >> 2] ^ default

    def get_uint32(self, offset: int, default: int = 0) -> int:
        b = offset << 2
        if b + 4 > self._dsize:
            return default
        return self._seg.u32[(self._data + b) >> 2] ^ default

    def get_int64(self, offset: int, default: int = 0) -> int:
        b = offset << 3
        if b + 8 > self._dsize:
            return default
        return self._seg.i64[(self._data + b) >> 3] ^ default

    def get_uint64(self, offset: int, default: int = 0) -> int:
        b = offset << 3
        if b + 8 > self._dsize:
            return default
        return self._seg.u64[(self._data + b) >> 3] ^ default

    def get_float32(self, offset: int, default: float = 0.0) -> float:
        b = offset << 2
        if b + 4 > self._dsize:
            return default
        if _is_zero_bits(default):
            return self._seg.f32[(self._data + b) >> 2]
        bits = self._seg.u32[(self._data + b) >> 2] ^ _f32_bits(default)
        value: float = _F32.unpack(_U32.pack(bits))[0]
        return value

    def get_float64(self, offset: int, default: float = 0.0) -> float:
        b = offset << 3
        if b + 8 > self._dsize:
            return default
        if _is_zero_bits(default):
            return self._seg.f64[(self._data + b) >> 3]
        bits = self._seg.u64[(self._data + b) >> 3] ^ _f64_bits(default)
        value: float = _F64.unpack(_U64.pack(bits))[0]
        return value


class StructReader(_StructView):
    """A struct in a message being read.  Cheap: five ints and two references.

    Readers normally come from :meth:`MessageReader.root` and the getters.
    Code that follows pointers itself (generated readers) may build one at
    coordinates it has already bounds-checked and charged, the ones the
    properties below return::

        StructReader(context, segment, data_offset, data_size, pointer_offset,
                     ptr_count, nesting_left)

    ``data_offset`` and ``data_size`` are in bytes, ``pointer_offset`` in
    words; the struct must lie inside ``segment``.
    """

    __slots__ = ("_ctx", "_nest")

    def __init__(
        self, ctx: MessageContext, seg: Segment, data: int, dsize: int, ptrs: int, pcount: int,
        nest: int,
    ) -> None:
        self._ctx = ctx  # message context (segments, traversal budget)
        self._seg = seg
        self._data = data
        self._dsize = dsize
        self._ptrs = ptrs
        self._pcount = pcount
        self._nest = nest  # nesting levels left for pointers followed from here

    def __repr__(self) -> str:
        return (f"StructReader(segment={self._seg.id}, data_bytes={self._dsize}, "
                f"ptrs={self._pcount})")

    @property
    def nesting_left(self) -> int:
        """Nesting levels left for pointers followed from this struct."""
        return self._nest

    @property
    def context(self) -> MessageContext:
        """The message this struct belongs to (its segments and traversal budget)."""
        return self._ctx

    def is_null(self, index: int) -> bool:
        return index >= self._pcount or self._seg.u64[self._ptrs + index] == 0

    def get_struct(self, index: int, default: Optional[StructReader] = None) -> StructReader:
        """The struct at pointer ``index``; null gives ``default`` (or an empty struct)."""
        if index >= self._pcount:
            return default if default is not None else _empty_struct(self._ctx)
        return _read_struct_at(self._ctx, self._seg, self._ptrs + index, self._nest, default)

    def get_list(
        self, index: int, element_size: Optional[int] = None,
        default: Optional[ListReader] = None,
    ) -> ListReader:
        """The list at pointer ``index`` read as ``element_size`` (None: as written)."""
        if index >= self._pcount:
            if default is not None:
                return default
            return _empty_list(self._ctx, ELEM_VOID if element_size is None else element_size)
        return _read_list_at(
            self._ctx, self._seg, self._ptrs + index, self._nest, element_size, default
        )

    def get_text(self, index: int, default: str = "") -> str:
        if index >= self._pcount:
            return default
        return _read_text_at(self._ctx, self._seg, self._ptrs + index, default)

    def get_data(self, index: int, default: bytes = b"") -> bytes:
        if index >= self._pcount:
            return default
        return _read_data_at(self._ctx, self._seg, self._ptrs + index, default)

    def get_capability(self, index: int) -> Optional[int]:
        """The capability table index at pointer ``index``, or None when null."""
        if index >= self._pcount:
            return None
        return _read_cap_at(self._seg, self._ptrs + index)

    def get_pointer(self, index: int) -> AnyPointerReader:
        if index >= self._pcount:
            return AnyPointerReader(self._ctx, _EMPTY_SEGMENT, 0, self._nest)
        return AnyPointerReader(self._ctx, self._seg, self._ptrs + index, self._nest)


def read_text_field(
    ctx: MessageContext, seg: Segment, pointer_offset: int, ptr_count: int, index: int,
    default: str = "",
) -> str:
    """Text at pointer ``index`` of the struct with these coordinates.

    The same as ``StructReader(...).get_text(index, default)`` (far pointers
    followed, the budget charged, errors reported alike) without making the
    reader: for code that keeps struct coordinates itself.
    """
    if index >= ptr_count:
        return default
    return _read_text_at(ctx, seg, pointer_offset + index, default)


def read_struct_field(
    ctx: MessageContext, seg: Segment, pointer_offset: int, ptr_count: int, index: int,
    nest: int,
) -> StructReader:
    """The struct at pointer ``index`` of the struct with these coordinates.

    The same as ``StructReader(...).get_struct(index)`` (``nest``: the
    struct's ``nesting_left``); null or absent pointers give an empty struct.
    """
    if index >= ptr_count:
        return _empty_struct(ctx)
    return _read_struct_at(ctx, seg, pointer_offset + index, nest, None)


def read_list_field(
    ctx: MessageContext, seg: Segment, pointer_offset: int, ptr_count: int, index: int,
    nest: int, element_size: Optional[int] = None,
) -> ListReader:
    """The list at pointer ``index`` of the struct with these coordinates.

    The same as ``StructReader(...).get_list(index, element_size)``.
    """
    if index >= ptr_count:
        return _empty_list(ctx, ELEM_VOID if element_size is None else element_size)
    return _read_list_at(ctx, seg, pointer_offset + index, nest, element_size, None)


class AnyPointerReader:
    """A pointer whose target type is not known in advance."""

    __slots__ = ("_ctx", "_seg", "_idx", "_nest")

    def __init__(self, ctx: MessageContext, seg: Segment, idx: int, nest: int) -> None:
        self._ctx = ctx
        self._seg = seg  # segment holding the pointer word
        self._idx = idx  # word index of the pointer
        self._nest = nest  # nesting levels left for the target

    @property
    def kind(self) -> PointerKind:
        return _pointer_kind_at(self._ctx, self._seg, self._idx)

    def is_null(self) -> bool:
        return self._seg.u64[self._idx] == 0

    def get_struct(self, default: Optional[StructReader] = None) -> StructReader:
        return _read_struct_at(self._ctx, self._seg, self._idx, self._nest, default)

    def get_list(self, element_size: Optional[int] = None) -> ListReader:
        return _read_list_at(self._ctx, self._seg, self._idx, self._nest, element_size, None)

    def get_text(self, default: str = "") -> str:
        return _read_text_at(self._ctx, self._seg, self._idx, default)

    def get_data(self, default: bytes = b"") -> bytes:
        return _read_data_at(self._ctx, self._seg, self._idx, default)

    def get_capability(self) -> Optional[int]:
        return _read_cap_at(self._seg, self._idx)


# --------------------------------------------------------------------------
# Lists
# --------------------------------------------------------------------------


class _ListView:
    """Element access over a list (shared by reader and builder).

    Element ``i`` starts at bit ``base * 8 + i * step``; its data section is
    ``dbits`` bits and its pointers follow the data.  This one description
    covers every wire size and every permitted upgrade, except Bool elements:
    bool ``i`` is bit ``base * 8 + i`` whatever the step, as the reference
    reads and writes them.
    """

    __slots__ = ("_ctx", "_seg", "_base", "_count", "_step", "_dbits", "_pcount", "_es", "_nest")

    def __init__(
        self, ctx: MessageContext, seg: Segment, base: int, count: int, step: int, dbits: int,
        pcount: int, es: int, nest: int,
    ) -> None:
        self._ctx = ctx  # message context
        self._seg = seg  # segment holding the elements
        self._base = base  # byte offset of element 0 (after a composite tag)
        self._count = count  # number of elements
        self._step = step  # bits from one element to the next
        self._dbits = dbits  # data bits per element
        self._pcount = pcount  # pointers per element
        self._es = es  # element size code as written on the wire
        self._nest = nest  # nesting levels left for element pointers

    def __len__(self) -> int:
        return self._count

    def __repr__(self) -> str:
        return f"{type(self).__name__}(size={self._es}, count={self._count})"

    @property
    def element_size(self) -> int:
        """The element size code written on the wire."""
        return self._es

    @property
    def data_bits_per_element(self) -> int:
        return self._dbits

    @property
    def ptrs_per_element(self) -> int:
        return self._pcount

    # Coordinates for code that reads elements itself (generated readers):
    # element ``i`` starts at bit ``data_offset * 8 + i * step_bits`` of
    # ``segment``; its pointers follow its ``data_bits_per_element`` data bits.
    @property
    def context(self) -> MessageContext:
        """The message this list belongs to (its segments and traversal budget)."""
        return self._ctx

    @property
    def segment(self) -> Segment:
        """The segment holding the elements."""
        return self._seg

    @property
    def data_offset(self) -> int:
        """Byte offset of element 0 in :attr:`segment` (after a composite list's tag)."""
        return self._base

    @property
    def step_bits(self) -> int:
        """Bits from one element to the next."""
        return self._step

    @property
    def nesting_left(self) -> int:
        """Nesting levels left for pointers followed from the elements."""
        return self._nest

    def _index(self, i: int) -> int:
        n = self._count
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"list index {i} out of range for {n} elements")
        return i

    def _elem(self, i: int, bits: int) -> int:
        """Byte offset of element ``i``'s data, checked to hold ``bits`` bits."""
        i = self._index(i)
        if bits > self._dbits:
            raise TypeError(f"list elements hold {self._dbits} data bits, not {bits}")
        return self._base + ((i * self._step) >> 3)

    def _ptr(self, i: int) -> int:
        """Word index of element ``i``'s first pointer."""
        n = self._count
        if i < 0:
            i += n
        # The bounds check of _index, inlined: saves a call per element.
        if not 0 <= i < n:
            raise IndexError(f"list index {i} out of range for {n} elements")
        if not self._pcount:
            raise TypeError("list elements hold no pointers")
        return (self._base + ((i * self._step + self._dbits) >> 3)) >> 3

    def get_bool(self, i: int) -> bool:
        i = self._index(i)
        if not self._dbits:
            raise TypeError("list elements hold no data")
        # Bit i of the list's data, whatever the element size: a wider list read as
        # List(Bool) gives its first bits packed, as the reference reads it.
        bit = (self._base << 3) + i
        return bool((self._seg.u8[bit >> 3] >> (bit & 7)) & 1)

    def get_int8(self, i: int) -> int:
        return self._seg.i8[self._elem(i, 8)]

    def get_uint8(self, i: int) -> int:
        return self._seg.u8[self._elem(i, 8)]

    def get_int16(self, i: int) -> int:
        return self._seg.i16[self._elem(i, 16) >> 1]

    def get_uint16(self, i: int) -> int:
        return self._seg.u16[self._elem(i, 16) >> 1]

    def get_int32(self, i: int) -> int:
        return self._seg.i32[self._elem(i, 32) >> 2]

    def get_uint32(self, i: int) -> int:
        return self._seg.u32[self._elem(i, 32) >> 2]

    def get_int64(self, i: int) -> int:
        return self._seg.i64[self._elem(i, 64) >> 3]

    def get_uint64(self, i: int) -> int:
        return self._seg.u64[self._elem(i, 64) >> 3]

    def get_float32(self, i: int) -> float:
        return self._seg.f32[self._elem(i, 32) >> 2]

    def get_float64(self, i: int) -> float:
        return self._seg.f64[self._elem(i, 64) >> 3]

    def is_null(self, i: int) -> bool:
        return self._seg.u64[self._ptr(i)] == 0

    def get_text(self, i: int, default: str = "") -> str:
        return _read_text_at(self._ctx, self._seg, self._ptr(i), default)

    def get_data(self, i: int, default: bytes = b"") -> bytes:
        return _read_data_at(self._ctx, self._seg, self._ptr(i), default)

    def get_capability(self, i: int) -> Optional[int]:
        return _read_cap_at(self._seg, self._ptr(i))

    def to_list(self, fmt: Optional[str] = None) -> Union[List[int], List[float], List[bool]]:
        """All elements as a Python list, in bulk.

        ``fmt`` is a ``struct`` letter (``b B h H i I q Q f d``) or ``?`` for
        bools; None picks the unsigned integer (or bool) of the element width.
        """
        if fmt is None:
            fmt = _BITS_FORMAT.get(self._dbits, "")
        bits = _FORMAT_BITS.get(fmt, 0)
        if not bits or bits > self._dbits:
            raise TypeError(
                f"cannot read {self._dbits}-bit list elements with format {fmt!r}"
            )
        n = self._count
        if n == 0:
            return []
        seg = self._seg
        base = self._base
        step = self._step
        if fmt == "?":
            return self._bools(seg, base, n)
        span = n * step >> 3
        if LITTLE_ENDIAN:
            # One cast plus tolist() converts in C: no per-element Python work.
            view: memoryview = seg.b[base:base + span].cast(fmt)  # type: ignore[call-overload]
            if step != bits:
                view = view[::step // bits]
            out: Union[List[int], List[float]] = view.tolist()
            return out
        if step == bits:
            return list(struct.unpack_from("<%d%s" % (n, fmt), seg.b, base))
        one = struct.Struct("<" + fmt)
        stride = step >> 3
        return [one.unpack_from(seg.b, base + i * stride)[0] for i in range(n)]

    @staticmethod
    def _bools(seg: Segment, base: int, n: int) -> List[bool]:
        """The first ``n`` bits from byte ``base`` (see ``get_bool``: the step is ignored)."""
        nbytes = (n + 7) >> 3
        raw = seg.b[base:base + nbytes].tobytes()
        # Big-int to binary string and back: the bit shuffling runs in C.
        s = bin(int.from_bytes(raw, "little") | (1 << (nbytes << 3)))
        bits01 = s[:2:-1][:n].encode("ascii").translate(_BITS_TO_BYTES)
        return list(map(bool, bits01))


class ListReader(_ListView):
    """A list in a message being read."""

    __slots__ = ()

    def get_struct(self, i: int) -> StructReader:
        i = self._index(i)
        if self._step & 7:
            raise TypeError("bit list elements are not structs")
        nest = self._nest
        if nest <= 0:
            # An element is one level below its list, as in the reference.
            raise _too_deep(self._seg, self._base >> 3)
        data = self._base + ((i * self._step) >> 3)
        dsize = self._dbits >> 3
        return StructReader(self._ctx, self._seg, data, dsize, (data + dsize) >> 3,
                            self._pcount, nest - 1)

    def get_list(self, i: int, element_size: Optional[int] = None) -> ListReader:
        return _read_list_at(self._ctx, self._seg, self._ptr(i), self._nest, element_size, None)

    def get_struct_at(self, i: int) -> StructReader:
        """The struct a pointer element points to (a List(AnyPointer) of structs)."""
        return _read_struct_at(self._ctx, self._seg, self._ptr(i), self._nest, None)

    def get_pointer(self, i: int) -> AnyPointerReader:
        return AnyPointerReader(self._ctx, self._seg, self._ptr(i), self._nest)

    def texts(self, default: str = "") -> List[str]:
        """Every element of a pointer list read as Text (null elements as ``default``).

        One call for a whole ``List(Text)``: each element is decoded, bounds
        checked and charged exactly as :meth:`get_text` does.
        """
        n = self._count
        if not n:
            return []
        if not self._pcount:
            raise TypeError("list elements hold no pointers")
        ctx = self._ctx
        seg = self._seg
        first = (self._base + (self._dbits >> 3)) >> 3
        if self._step & 63:
            raise TypeError("list elements are not word-aligned pointers")
        stride = self._step >> 6
        read = _read_text_at
        return [read(ctx, seg, w, default) for w in range(first, first + n * stride, stride)]


# --------------------------------------------------------------------------
# MessageReader
# --------------------------------------------------------------------------


# Words charged each time the root is read: the reference reader checks the
# root pointer word twice (once for the message, once for the pointer).
ROOT_POINTER_CHARGE = 2


_new_object = object.__new__


class MessageReader(MessageContext):
    """A message read from segments (``bytes``, ``bytearray`` or ``memoryview``).

    Each call of :meth:`root` or :meth:`root_pointer` charges
    :data:`ROOT_POINTER_CHARGE` words for the root pointer, as the reference
    reader does, so a traversal limit that passes here passes there.
    """

    __slots__ = ("nesting_limit", "traversal_limit_in_words")

    def __init__(
        self,
        segments: Sequence[Buffer],
        *,
        traversal_limit_in_words: int = DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = DEFAULT_NESTING_LIMIT,
        limits: Optional[ReadLimits] = None,
    ) -> None:
        if limits is not None:
            traversal_limit_in_words = limits.traversal_limit_in_words
            nesting_limit = limits.nesting_limit
        n = len(segments)
        if n == 1:
            # One segment (the common case) without the loop.
            self._segments = [read_segment(0, segments[0])]
        elif n:
            self._segments = [read_segment(i, s) for i, s in enumerate(segments)]
        else:
            raise DecodeError("message has no segments")
        self.traversal_limit_in_words = traversal_limit_in_words
        self.nesting_limit = nesting_limit
        self.budget = traversal_limit_in_words

    @classmethod
    def from_segment(
        cls,
        segment: Segment,
        traversal_limit_in_words: int = DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = DEFAULT_NESTING_LIMIT,
    ) -> MessageReader:
        """A one-segment message over ``segment`` (made with id 0, e.g. by ``read_segment``).

        ``MessageReader([data], ...)`` made cheaper: small messages are usually
        one segment, and for them the general constructor's argument handling
        costs about as much as the segment.
        """
        msg = _new_object(cls)
        msg._segments = [segment]
        msg.traversal_limit_in_words = traversal_limit_in_words
        msg.nesting_limit = nesting_limit
        msg.budget = traversal_limit_in_words
        return msg

    @property
    def segments(self) -> List[Segment]:
        return self._segments

    def _root_segment(self) -> Segment:
        seg = self._segments[0]
        if seg.words < 1:
            raise DecodeError("message has no root pointer", segment=0)
        self.budget -= ROOT_POINTER_CHARGE
        if self.budget < 0:
            self.charge(0, seg, 0)  # reports the exhausted limit
        return seg

    def root(self, default: Optional[StructReader] = None) -> StructReader:
        """The root struct (an empty struct when the root pointer is null)."""
        return _read_struct_at(self, self._root_segment(), 0, self.nesting_limit, default)

    def root_pointer(self) -> AnyPointerReader:
        return AnyPointerReader(self, self._root_segment(), 0, self.nesting_limit)


# --------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------


def _far_block(mb: MessageBuilder, seg: Segment, pidx: int, words: int) -> Tuple[Segment, int]:
    """Place a landing pad plus ``words`` outside ``seg`` and make ``seg[pidx]`` point at it.

    For an object that does not fit the segment of its pointer: the pad and
    the object go to the most recent segment when they fit there, else to a
    new one.  Returns that segment and the pad's word index; the caller writes
    the pad (a pointer with offset 0: the object follows it).
    """
    last, pad = _alloc_anywhere(mb, words + 1)
    seg.u64[pidx] = 2 | (pad << 3) | (last.id << 32)
    return last, pad


def _struct_size_error(dw: int, pc: int) -> EncodeError:
    return EncodeError(f"struct size {dw} data words, {pc} pointers out of range")


def _check_count(count: int, what: str) -> None:
    if not 0 <= count <= _MAX_COUNT:
        raise EncodeError(f"{what} {count} out of range (0..{_MAX_COUNT})")


def _init_struct_at(
    mb: MessageBuilder, seg: Segment, idx: int, dw: int, pc: int
) -> StructBuilder:
    if not (0 <= dw <= 0xFFFF and 0 <= pc <= 0xFFFF):
        raise _struct_size_error(dw, pc)
    if dw == 0 and pc == 0:
        # The reference encoder's zero-sized struct: offset -1, nothing allocated.
        seg.u64[idx] = ZERO_SIZED_STRUCT
        return StructBuilder(mb, seg, 0, 0, 0, 0)
    oseg, start = _place(mb, seg, idx, dw + pc, (dw << 32) | (pc << 48))
    return StructBuilder(mb, oseg, start << 3, dw << 3, start + dw, pc)


def _init_list_at(mb: MessageBuilder, seg: Segment, idx: int, es: int, count: int) -> ListBuilder:
    if not 0 <= es < ELEM_COMPOSITE:
        raise EncodeError(f"element size {es} is not a primitive or pointer size")
    _check_count(count, "list length")
    dbits = _DATA_BITS[es]
    pc = _PTRS[es]
    step = dbits + (pc << 6)
    words = (count * step + 63) >> 6
    # A zero-length list allocates nothing and so points at the segment's end.
    oseg, start = _place(mb, seg, idx, words, 1 | (es << 32) | (count << 35))
    return ListBuilder(mb, oseg, start << 3, count, step, dbits, pc, es, _UNLIMITED)


def _init_struct_list_at(
    mb: MessageBuilder, seg: Segment, idx: int, count: int, dw: int, pc: int
) -> ListBuilder:
    if not (0 <= dw <= 0xFFFF and 0 <= pc <= 0xFFFF):
        raise _struct_size_error(dw, pc)
    _check_count(count, "list length")
    words = count * (dw + pc)
    _check_count(words, "struct list size in words")
    oseg, start = _place(mb, seg, idx, words + 1, 1 | (7 << 32) | (words << 35))
    # The tag word: a struct pointer whose offset field holds the element count.
    oseg.u64[start] = (count << 2) | (dw << 32) | (pc << 48)
    return ListBuilder(mb, oseg, (start + 1) << 3, count, (dw + pc) << 6, dw << 6, pc,
                       ELEM_COMPOSITE, _UNLIMITED)


def _place(mb: MessageBuilder, seg: Segment, idx: int, words: int, tag: int) -> Tuple[Segment, int]:
    """Allocate ``words`` for the object word ``idx`` of ``seg`` points at, and write that pointer.

    ``tag`` is the pointer without its offset (kind and sizes).  The object
    goes right after ``seg``'s last one when it fits the segment's limit, else
    behind a landing pad in the last segment or a new one (see
    :func:`_far_block`).  Returns the object's segment and first word.  Whether
    an object fits is decided by each segment's ``limit`` (its reference size);
    ``words`` only says how much of it has a buffer yet.
    """
    used = seg.used
    end = used + words
    if end <= seg.limit:
        if end > seg.words:
            grow_segment(seg, end)
        seg.used = end
        # The slot was allocated before the object, so the offset is never negative.
        seg.u64[idx] = ((used - idx - 1) << 2) | tag
        return seg, used
    last = mb._last
    pad = last.used
    end = pad + 1 + words
    if end <= last.words:  # the common far case, inline: room in the last segment's buffer
        last.used = end
        seg.u64[idx] = 2 | (pad << 3) | (last.id << 32)
    else:
        last, pad = _far_block(mb, seg, idx, words)
    last.u64[pad] = tag
    return last, pad + 1


def put_list_bytes(
    mb: MessageBuilder, seg: Segment, idx: int, es: int, count: int, payload: Buffer
) -> None:
    """Point word ``idx`` of ``seg`` at a new list of ``count`` ``es``-sized elements.

    ``payload`` holds the elements' little-endian bytes (at most the list's
    size; the rest stays zero, e.g. a text's NUL).  The one-step form of
    ``init_list`` plus ``set_all`` for builders that hold raw coordinates: no
    list object is made, and nothing but the pointer and the bytes is written.
    """
    if not 0 <= count <= _MAX_COUNT or not 0 <= es < ELEM_COMPOSITE:
        _check_count(count, "list length")
        raise EncodeError(f"element size {es} is not a primitive or pointer size")
    bits = count * _STEP[es]
    if len(payload) << 3 > bits + 7:
        raise EncodeError(f"{len(payload)} bytes do not fit a list of {count} elements")
    seg, at = _place(mb, seg, idx, (bits + 63) >> 6, 1 | (es << 32) | (count << 35))
    if payload:
        at <<= 3
        seg.b[at:at + len(payload)] = payload


def put_text(mb: MessageBuilder, seg: Segment, idx: int, utf8: bytes) -> None:
    """Point word ``idx`` of ``seg`` at a new text holding ``utf8`` (the NUL is added).

    ``put_list_bytes`` for the most common pointer of all, kept short: the
    near case writes inline, anything else takes one :func:`_place` call.
    """
    n = len(utf8)
    if n >= _MAX_COUNT:
        put_list_bytes(mb, seg, idx, 2, n + 1, utf8)  # raises: too long for a list
        return
    used = seg.used
    end = used + ((n + 8) >> 3)
    if end <= seg.words:
        seg.used = end
        seg.u64[idx] = ((used - idx - 1) << 2) | 0x200000001 | ((n + 1) << 35)  # byte list
    else:
        seg, used = _place(mb, seg, idx, (n + 8) >> 3, 0x200000001 | ((n + 1) << 35))
    used <<= 3
    seg.b[used:used + n] = utf8


# Short primitive lists are packed by a precompiled Struct per length (cheaper
# than converting through array.array).  By format letter, then by length
# (0 to _SHORT_LIST - 1): the packer, the list's size in words, and its pointer
# without the offset.  Float32 and bools keep the general path (array.array
# rounds an overlarge Float32 to infinity where struct refuses it).
_SHORT_LIST = 9
_SHORT_LISTS: Dict[str, Tuple[Tuple[Callable[..., bytes], int, int], ...]] = {
    f: tuple(
        (struct.Struct("<%d%s" % (n, f)).pack, (n * _FORMAT_BITS[f] + 63) >> 6,
         1 | (FORMAT_ELEMENT_SIZE[f] << 32) | (n << 35))
        for n in range(_SHORT_LIST))
    for f in ("b", "B", "h", "H", "i", "I", "q", "Q", "d")
}


def put_primitive_list(
    mb: MessageBuilder, seg: Segment, idx: int, fmt: str, values: Sequence[float]
) -> None:
    """Point word ``idx`` at a new list of ``values`` packed as ``fmt`` (``set_all``'s letters).

    The values are converted (and range-checked) before anything is
    allocated, so a value that does not fit leaves the message unchanged.
    """
    short = _short_list(fmt, values)
    if short is not None:
        data, words, tag = short
        used = seg.used
        end = used + words
        if end <= seg.words:
            seg.used = end
            seg.u64[idx] = ((used - idx - 1) << 2) | tag
        else:
            seg, used = _place(mb, seg, idx, words, tag)
        used <<= 3
        seg.b[used:used + len(data)] = data
        return
    es, payload = _primitive_payload(fmt, values)
    put_list_bytes(mb, seg, idx, es, len(values), payload)


def _short_list(fmt: str, values: Sequence[float]) -> Optional[Tuple[bytes, int, int]]:
    """(packed values, words, pointer without its offset) of a short list, else None."""
    shapes = _SHORT_LISTS.get(fmt)
    n = len(values)
    if shapes is None or n >= _SHORT_LIST:
        return None
    pack, words, tag = shapes[n]
    try:
        return pack(*values), words, tag
    except _PACK_ERRORS as exc:
        raise EncodeError(f"cannot store values as {fmt!r}: {exc}") from None


def _primitive_payload(fmt: str, values: Sequence[float]) -> Tuple[int, bytes]:
    """(element size, the elements' little-endian bytes) of a list of ``values`` as ``fmt``."""
    es = FORMAT_ELEMENT_SIZE.get(fmt)
    if es is None:
        raise EncodeError(f"unknown list format {fmt!r}")
    try:
        if fmt == "?":
            payload: Buffer = _pack_bools(values)
        else:
            code = _ARRAY_CODES.get(fmt)
            if code is not None:
                arr = _to_array(code, values)
                if not LITTLE_ENDIAN:
                    arr.byteswap()
                payload = arr.tobytes()
            else:
                payload = struct.pack("<%d%s" % (len(values), fmt), *values)
    except _PACK_ERRORS as exc:
        raise EncodeError(f"cannot store values as {fmt!r}: {exc}") from None
    return es, bytes(payload)


def primitive_list_body(fmt: str, values: Sequence[float]) -> Tuple[int, bytes]:
    """A list of ``values`` as ``fmt`` as one block to place: (the high half of its pointer,
    its words).  Values are checked as :func:`put_primitive_list` checks them."""
    n = len(values)
    if n > _MAX_COUNT:
        _check_count(n, "list length")
    short = _short_list(fmt, values)
    if short is not None:
        data, _, tag = short
        return tag >> 32, data + _ZERO_PADS[len(data) & 7]
    es, payload = _primitive_payload(fmt, values)
    return es | (n << 3), payload + _ZERO_PADS[len(payload) & 7]


# Zero bytes that pad ``k`` bytes (index ``k & 7``) to a whole word.
_ZERO_PADS = tuple(bytes(-k & 7) for k in range(8))


# A List(Text) in one step: the element pointers are computed in one pass over
# the texts, packed, and copied together with the joined, padded texts by one
# slice assignment.  That needs the list and every text in one segment, which
# is also where the stepwise writer puts them whenever they fit.  Pointers are
# computed as 32-bit halves (64-bit words would be big integers, dearer to
# compute): the low half holds the word offset from the pointer to its text,
# shifted left 2, plus the list kind 1; the high half the byte element size 2
# and the text's length with its NUL, shifted left 3.  Each text after the
# first starts ``k >> 3`` words further from its pointer than the one before,
# ``k`` being the length of that one.

# NULs that end a text of ``k`` bytes (mod 8) and pad it to a word.
_NUL_PAD_BYTES = tuple(bytes(8 - k) for k in range(8))
_NUL_PAD_STRS = tuple("\0" * (8 - k) for k in range(8))
# Packers of n pointers given as 2n halves, by n; longer lists make theirs each time.
_HALVES_PACKERS = tuple(struct.Struct("<%dI" % (2 * n)).pack for n in range(33))
# Texts of up to this many bytes in all take the one-step path.
_MAX_TEXT_BLOCK = 1 << 28


def _put_text_block(mb: MessageBuilder, seg: Segment, idx: int, n: int, data: bytes) -> bool:
    """Write a List(Text) of ``n`` texts given as its words: pointers, then padded texts.

    Returns False, having written nothing, unless the list and its texts fit
    together where the list itself goes (the segment of ``idx``, else the
    last segment behind a landing pad).
    """
    nbytes = len(data)
    if nbytes > _MAX_TEXT_BLOCK:
        return False  # the stepwise writer checks each size
    words = nbytes >> 3
    used = seg.used
    if used + words > seg.limit:
        if used + n <= seg.limit:
            return False  # the list fits here but its texts do not: stepwise
        # The list goes to the last segment whatever happens: all of it, if it fits there.
        last = mb._last
        if last.used + 1 + words > last.limit:
            return False
    seg, at = _place(mb, seg, idx, words, 0x600000001 | (n << 35))  # a list of pointers
    at <<= 3
    seg.b[at:at + nbytes] = data
    return True


def _pack_halves(halves: List[int]) -> bytes:
    n = len(halves)
    if n < 66:
        return _HALVES_PACKERS[n >> 1](*halves)
    return struct.pack("<%dI" % n, *halves)


def put_text_list(mb: MessageBuilder, seg: Segment, idx: int, texts: Sequence[bytes]) -> None:
    """Point word ``idx`` at a new list of texts, given UTF-8 encoded (NULs are added).

    Laid out in pre-order: the pointer list, then each text in turn.
    """
    n = len(texts)
    if n > _MAX_COUNT:
        _check_count(n, "list length")
    halves: List[int] = []
    pieces: List[bytes] = []
    lo = (n << 2) - 3  # element 0: its text starts n - 1 words after it
    total = 0
    for raw in texts:
        k = len(raw)
        total += k
        halves.append(lo)
        halves.append((k << 3) + 10)
        pieces.append(raw)
        pieces.append(_NUL_PAD_BYTES[k & 7])
        lo += (k >> 1) & -4
    # Huge texts go stepwise, which checks each size (their halves may not fit 32 bits).
    if total > _MAX_TEXT_BLOCK or not _put_text_block(
            mb, seg, idx, n, _pack_halves(halves) + b"".join(pieces)):
        _put_text_list_stepwise(mb, seg, idx, texts)


# The body of a short List(Text) of ASCII ``str`` values, by count (1 to 4), unrolled: its
# pointer words then its padded texts, as one ``bytes``; None when a value is not exactly a
# ``str``, is not ASCII (its UTF-8 is longer than it), or the texts are too long for one
# block.  Lists of a few short texts (tags, names) are the common case, and the loop that
# handles any count costs half as much again.


def _ascii_texts1(values: Sequence[str]) -> Optional[bytes]:
    s0, = values
    if type(s0) is not str:
        return None
    k0 = len(s0)
    joined = s0 + _NUL_PAD_STRS[k0 & 7]
    raw = joined.encode("utf-8", "surrogatepass")
    if len(raw) != len(joined) or k0 > _MAX_TEXT_BLOCK:
        return None
    return _HALVES_PACKERS[1](1, (k0 << 3) + 10) + raw


def _ascii_texts2(values: Sequence[str]) -> Optional[bytes]:
    s0, s1 = values
    if type(s0) is not str or type(s1) is not str:
        return None
    k0 = len(s0)
    k1 = len(s1)
    joined = "".join((s0, _NUL_PAD_STRS[k0 & 7], s1, _NUL_PAD_STRS[k1 & 7]))
    raw = joined.encode("utf-8", "surrogatepass")
    if len(raw) != len(joined) or k0 + k1 > _MAX_TEXT_BLOCK:
        return None
    return _HALVES_PACKERS[2](5, (k0 << 3) + 10, 5 + ((k0 >> 1) & -4), (k1 << 3) + 10) + raw


def _ascii_texts3(values: Sequence[str]) -> Optional[bytes]:
    s0, s1, s2 = values
    if type(s0) is not str or type(s1) is not str or type(s2) is not str:
        return None
    k0 = len(s0)
    k1 = len(s1)
    k2 = len(s2)
    joined = "".join((s0, _NUL_PAD_STRS[k0 & 7], s1, _NUL_PAD_STRS[k1 & 7],
                      s2, _NUL_PAD_STRS[k2 & 7]))
    raw = joined.encode("utf-8", "surrogatepass")
    if len(raw) != len(joined) or k0 + k1 + k2 > _MAX_TEXT_BLOCK:
        return None
    lo1 = 9 + ((k0 >> 1) & -4)
    return _HALVES_PACKERS[3](9, (k0 << 3) + 10, lo1, (k1 << 3) + 10,
                              lo1 + ((k1 >> 1) & -4), (k2 << 3) + 10) + raw


def _ascii_texts4(values: Sequence[str]) -> Optional[bytes]:
    s0, s1, s2, s3 = values
    if type(s0) is not str or type(s1) is not str or type(s2) is not str or type(s3) is not str:
        return None
    k0 = len(s0)
    k1 = len(s1)
    k2 = len(s2)
    k3 = len(s3)
    joined = "".join((s0, _NUL_PAD_STRS[k0 & 7], s1, _NUL_PAD_STRS[k1 & 7],
                      s2, _NUL_PAD_STRS[k2 & 7], s3, _NUL_PAD_STRS[k3 & 7]))
    raw = joined.encode("utf-8", "surrogatepass")
    if len(raw) != len(joined) or k0 + k1 + k2 + k3 > _MAX_TEXT_BLOCK:
        return None
    lo1 = 13 + ((k0 >> 1) & -4)
    lo2 = lo1 + ((k1 >> 1) & -4)
    return _HALVES_PACKERS[4](13, (k0 << 3) + 10, lo1, (k1 << 3) + 10, lo2, (k2 << 3) + 10,
                              lo2 + ((k2 >> 1) & -4), (k3 << 3) + 10) + raw


def _ascii_texts_any(values: Sequence[str]) -> Optional[bytes]:
    """:func:`ascii_text_block` for any count (one pass over the values)."""
    halves: List[int] = []
    pieces: List[str] = []
    lo = (len(values) << 2) - 3  # element 0: its text starts n - 1 words after it
    total = 0
    for s in values:
        if type(s) is not str:
            return None
        k = len(s)
        total += k
        halves.append(lo)
        halves.append((k << 3) + 10)
        pieces.append(s)
        pieces.append(_NUL_PAD_STRS[k & 7])
        lo += (k >> 1) & -4
    joined = "".join(pieces)
    if total > _MAX_TEXT_BLOCK or len(values) > _MAX_COUNT or not joined.isascii():
        return None
    return _pack_halves(halves) + joined.encode("ascii")


def ascii_text_block(values: Sequence[str]) -> Optional[bytes]:
    """The words of a ``List(Text)``'s body (pointers, then padded texts, pre-order) for
    ASCII ``str`` values, or None (see the unrolled makers above).  The pointers are
    relative to the block: it is placed right after the list's own pointer."""
    n = len(values)
    if 0 < n < 5:
        return _ASCII_TEXTS[n](values)
    return _ascii_texts_any(values)


_ASCII_TEXTS: Tuple[Callable[[Sequence[str]], Optional[bytes]], ...] = (
    _ascii_texts_any, _ascii_texts1, _ascii_texts2, _ascii_texts3, _ascii_texts4)


def put_str_list(mb: MessageBuilder, seg: Segment, idx: int, values: Sequence[str]) -> bool:
    """``put_text_list`` for a sequence of ``str``, encoded here.

    Returns False, having written nothing, when an element is not exactly a
    ``str`` (a subclass may redefine ``len`` or ``encode``) or cannot be
    encoded as UTF-8 (lone surrogates): the caller then takes its general
    path.  ASCII texts (the common case) go as one block
    (:func:`ascii_text_block`): pointers and padded texts encoded at once.
    """
    block = ascii_text_block(values)
    if block is None:
        for s in values:
            if type(s) is not str:
                return False
        try:
            raws = [s.encode("utf-8") for s in values]
        except UnicodeEncodeError:
            return False
        put_text_list(mb, seg, idx, raws)  # (also what is too long for one block)
        return True
    nbytes = len(block)
    used = seg.used
    end = used + (nbytes >> 3)
    if end <= seg.words:  # the near case, inline (as in put_text)
        seg.used = end
        seg.u64[idx] = ((used - idx - 1) << 2) | 0x600000001 | (len(values) << 35)
        used <<= 3
        seg.b[used:used + nbytes] = block
    elif not _put_text_block(mb, seg, idx, len(values), block):
        _put_text_list_stepwise(mb, seg, idx, [s.encode("ascii") for s in values])
    return True


def _put_text_list_stepwise(
    mb: MessageBuilder, seg: Segment, idx: int, texts: Sequence[bytes]
) -> None:
    """``put_text_list`` one allocation at a time (texts may land in other segments)."""
    n = len(texts)
    if n > _MAX_COUNT:
        _check_count(n, "list length")
    lseg, first = _place(mb, seg, idx, n, 0x600000001 | (n << 35))
    for k in range(n):
        put_text(mb, lseg, first + k, texts[k])


def _set_bytes_at(mb: MessageBuilder, seg: Segment, idx: int, data: bytes, nul: bool) -> None:
    put_list_bytes(mb, seg, idx, 2, len(data) + 1 if nul else len(data), data)


def _init_text_at(mb: MessageBuilder, seg: Segment, idx: int, size: int) -> memoryview:
    if size < 0:
        raise EncodeError(f"text size {size} is negative")
    lst = _init_list_at(mb, seg, idx, 2, size + 1)
    b = lst._base
    return lst._seg.b[b:b + size]


def _set_text_at(mb: MessageBuilder, seg: Segment, idx: int, text: str) -> None:
    if not isinstance(text, str):
        raise EncodeError(f"text must be str, not {type(text).__name__}")
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates: give bytes to set_text_bytes instead
        raise EncodeError(f"text cannot be encoded as UTF-8: {exc.reason}") from None
    _set_bytes_at(mb, seg, idx, raw, True)


def _set_data_at(mb: MessageBuilder, seg: Segment, idx: int, data: Buffer) -> None:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise EncodeError(f"data must be bytes-like, not {type(data).__name__}")
    _set_bytes_at(mb, seg, idx, bytes(data), False)


def _set_cap_at(seg: Segment, idx: int, cap: int) -> None:
    if not 0 <= cap <= 0xFFFFFFFF:
        raise EncodeError(f"capability index {cap} out of range")
    seg.u64[idx] = 3 | (cap << 32)


# --------------------------------------------------------------------------
# Deep copy
# --------------------------------------------------------------------------
#
# The copy is iterative: a stack of _CopyFrame objects, one per copied object
# whose pointers are not all copied yet.  Objects are written in pre-order
# (an object, then its pointers' targets in slot order, depth first), as the
# reference encoder does.  A frame is dropped before its last pointer is
# followed, so a chain of single-pointer objects (or a cycle through a last
# pointer) keeps the stack at one frame; every dereference goes through the
# readers, so the source's traversal and nesting limits apply unchanged.

#: Unfinished objects a copy may hold at once.  Each costs one small frame;
#: only a nesting limit raised far above the default can reach this.
MAX_COPY_STACK = 1 << 16


class _CopyFrame:
    """Pointers of one copied object still to copy.

    The pointers come in ``groups + 1`` groups of ``per`` consecutive words
    (one group per struct, one per element of a struct list, one word per
    element of a pointer list); ``sgap``/``dgap`` words separate the end of a
    group from the start of the next in the source and the destination.
    """

    __slots__ = ("ctx", "nest", "sseg", "s", "dseg", "d", "per", "k", "groups", "sgap", "dgap")

    def __init__(
        self, ctx: MessageContext, nest: int, sseg: Segment, s: int, dseg: Segment, d: int,
        per: int, groups: int, sgap: int, dgap: int,
    ) -> None:
        self.ctx = ctx  # source message (limits and segments)
        self.nest = nest  # nesting levels left for the source pointers
        self.sseg = sseg  # source segment
        self.s = s  # word index of the next source pointer
        self.dseg = dseg  # destination segment
        self.d = d  # word index of the next destination pointer
        self.per = per  # pointers per group
        self.k = per  # pointers left in the current group
        self.groups = groups  # groups left after the current one
        self.sgap = sgap  # source words skipped between groups
        self.dgap = dgap  # destination words skipped between groups


def _canonical_sizes(seg: Segment, data: int, dsize: int, ptrs: int, pcount: int
                     ) -> Tuple[int, int]:
    """Data words and pointers of a struct with trailing zero words / nulls cut."""
    kept = len(seg.b[data:data + dsize].tobytes().rstrip(b"\0"))
    u64 = seg.u64
    while pcount and u64[ptrs + pcount - 1] == 0:
        pcount -= 1
    return (kept + 7) >> 3, pcount


def _copy_struct_obj(
    mb: MessageBuilder, seg: Segment, idx: int, src: StructReader, canonical: bool
) -> Optional[_CopyFrame]:
    """Write a copy of ``src`` (without its targets) and point ``seg[idx]`` at it."""
    sseg = src._seg
    if canonical:
        dw, pc = _canonical_sizes(sseg, src._data, src._dsize, src._ptrs, src._pcount)
    else:
        dw, pc = (src._dsize + 7) >> 3, src._pcount
    dst = _init_struct_at(mb, seg, idx, dw, pc)
    n = min(src._dsize, dw << 3)
    if n:
        dst._seg.b[dst._data:dst._data + n] = sseg.b[src._data:src._data + n]
    if not pc:
        return None
    return _CopyFrame(src._ctx, src._nest, sseg, src._ptrs, dst._seg, dst._ptrs, pc, 0, 0, 0)


def _copy_list_obj(
    mb: MessageBuilder, seg: Segment, idx: int, src: _ListView, canonical: bool
) -> Optional[_CopyFrame]:
    """Write a copy of the list ``src`` (without its targets) and point ``seg[idx]`` at it."""
    es = src._es
    n = src._count
    sseg = src._seg
    if es == ELEM_COMPOSITE:
        return _copy_struct_list_obj(mb, seg, idx, src, canonical)
    lst = _init_list_at(mb, seg, idx, es, n)
    if es == ELEM_POINTER:
        if not n:
            return None
        return _CopyFrame(src._ctx, src._nest, sseg, src._base >> 3, lst._seg, lst._base >> 3,
                          1, n - 1, 0, 0)
    nbits = n * src._step
    nbytes = (nbits + 7) >> 3
    if nbytes:
        lst._seg.b[lst._base:lst._base + nbytes] = sseg.b[src._base:src._base + nbytes]
    if nbits & 7:
        # Clear the unused high bits of a bit list's last byte.
        last = lst._base + nbytes - 1
        lst._seg.u8[last] &= (1 << (nbits & 7)) - 1
    return None


def _copy_struct_list_obj(
    mb: MessageBuilder, seg: Segment, idx: int, src: _ListView, canonical: bool
) -> Optional[_CopyFrame]:
    n = src._count
    sseg = src._seg
    sdw = src._dbits >> 6
    spc = src._pcount
    swpe = src._step >> 6  # source words per element
    sbase = src._base >> 3  # word index of element 0
    if canonical:
        dw = pc = 0
        if swpe:
            # One element at a time: O(1) memory each, never a reader per element.
            for e in range(sbase, sbase + n * swpe, swpe):
                edw, epc = _canonical_sizes(sseg, e << 3, sdw << 3, e + sdw, spc)
                if edw > dw:
                    dw = edw
                if epc > pc:
                    pc = epc
    else:
        dw, pc = sdw, spc
    dst = _init_struct_list_at(mb, seg, idx, n, dw, pc)
    dseg = dst._seg
    dbase = dst._base >> 3
    dwpe = dw + pc
    if dw and n:
        sb = sseg.b
        db = dseg.b
        if dwpe == swpe == dw:
            # Data-only elements of the same size: the whole block in one slice.
            db[dbase << 3:(dbase + n * dw) << 3] = sb[sbase << 3:(sbase + n * dw) << 3]
        else:
            nbytes = dw << 3
            s = sbase << 3
            sstep = swpe << 3
            for d in range(dbase << 3, (dbase + n * dwpe) << 3, dwpe << 3):
                db[d:d + nbytes] = sb[s:s + nbytes]
                s += sstep
    if not pc or not n:
        return None
    return _CopyFrame(src._ctx, src._nest, sseg, sbase + sdw, dseg, dbase + dw, pc, n - 1,
                      swpe - pc, dw)


_NOT_FLAT = _CopyFrame.__new__(_CopyFrame)  # _copy_flat_list's "take the general path"


def _copy_flat_list(
    mb: MessageBuilder, dseg: Segment, didx: int,
    ctx: MessageContext, sseg: Segment, sidx: int, p: int, nest: int,
) -> Optional[_CopyFrame]:
    """:func:`_copy_obj` for a list that is not of structs, when nothing about it is wrong;
    else ``_NOT_FLAT``, having changed nothing (the traversal budget included)."""
    if nest <= 0:
        return _NOT_FLAT
    charged = 0
    if p & 3 == 1:
        tag = p
        tseg = sseg
        o = (p >> 2) & _MASK30
        start = sidx + 1 + (o - _SPAN30 if o >= _SIGN30 else o)
    else:
        segs = ctx._segments
        sid = p >> 32
        pad = (p >> 3) & 0x1FFFFFFF
        if sid >= len(segs) or ctx.budget < 1:
            return _NOT_FLAT
        tseg = segs[sid]
        if pad >= tseg.words:
            return _NOT_FLAT
        tag = tseg.u64[pad]
        if tag & 3 != 1:
            return _NOT_FLAT
        o = (tag >> 2) & _MASK30
        start = pad + 1 + (o - _SPAN30 if o >= _SIGN30 else o)
        charged = 1  # the landing pad, as _resolve charges it
    es = (tag >> 32) & 7
    if not ELEM_VOID < es < ELEM_COMPOSITE:
        return _NOT_FLAT
    n = tag >> 35
    nbits = n * (_DATA_BITS[es] + (_PTRS[es] << 6))
    words = (nbits + 63) >> 6
    if start < 0 or start + words > tseg.words or ctx.budget < words + charged:
        return _NOT_FLAT
    ctx.budget -= words + charged
    oseg, at = _place(mb, dseg, didx, words, 1 | (es << 32) | (n << 35))
    if es == ELEM_POINTER:
        return _CopyFrame(ctx, nest - 1, tseg, start, oseg, at, 1, n - 1, 0, 0) if n else None
    nbytes = (nbits + 7) >> 3
    if nbytes:
        at <<= 3
        start <<= 3
        oseg.b[at:at + nbytes] = tseg.b[start:start + nbytes]
        if nbits & 7:  # the unused high bits of a bit list's last byte
            oseg.u8[at + nbytes - 1] &= (1 << (nbits & 7)) - 1
    return None


def _copy_obj(
    mb: MessageBuilder, dseg: Segment, didx: int,
    ctx: MessageContext, sseg: Segment, sidx: int, nest: int, canonical: bool,
) -> Optional[_CopyFrame]:
    """Copy the object ``sseg[sidx]`` points to (not its targets) into ``dseg[didx]``."""
    p = sseg.u64[sidx]
    if p & 3 == 1 or p & 7 == 2:
        # A list of numbers, bits, bytes (texts, data) or pointers behind a near or single
        # far pointer: read as _read_list_at reads it, then placed (its bytes copied, or its
        # pointers left to the caller's frame) with no layout objects in between.  Anything
        # else, or anything wrong, takes the general path below, which reports it.
        frame = _copy_flat_list(mb, dseg, didx, ctx, sseg, sidx, p, nest)
        if frame is not _NOT_FLAT:
            return frame
    if p == 0:
        dseg.u64[didx] = 0
        return None
    if p & 3 == 3:
        if (p & 0xFFFFFFFF) != 3:
            raise DecodeError(f"unknown pointer kind: {describe(p)}", segment=sseg.id, offset=sidx)
        # Capability indexes copy unchanged; the caller remaps capability tables.
        dseg.u64[didx] = p
        return None
    # (only a look at the kind: the read below charges the landing pad)
    tag = p if p & 3 != 2 else _resolve(ctx, sseg, sidx, p, False)[0]
    if tag & 3 == 0:
        return _copy_struct_obj(mb, dseg, didx, _read_struct_at(ctx, sseg, sidx, nest, None),
                                canonical)
    return _copy_list_obj(mb, dseg, didx, _read_list_at(ctx, sseg, sidx, nest, None, None),
                          canonical)


def _drain(mb: MessageBuilder, frame: Optional[_CopyFrame], canonical: bool) -> None:
    """Copy every target still pending in ``frame``, depth first, without recursion."""
    if frame is None:
        return
    stack = [frame]
    while stack:
        f = stack[-1]
        if f.k == 0:
            if f.groups == 0:
                stack.pop()
                continue
            f.groups -= 1
            f.s += f.sgap
            f.d += f.dgap
            f.k = f.per
        s = f.s
        d = f.d
        f.s = s + 1
        f.d = d + 1
        f.k -= 1
        if f.sseg.u64[s] == 0:
            # Destination words are freshly allocated, hence already null.
            continue
        if f.k == 0 and f.groups == 0:
            # Last pointer of this object: drop the frame first (a tail call).
            stack.pop()
        child = _copy_obj(mb, f.dseg, d, f.ctx, f.sseg, s, f.nest, canonical)
        if child is not None:
            if len(stack) >= MAX_COPY_STACK:
                raise LimitError(
                    f"deep copy holds more than {MAX_COPY_STACK} unfinished objects; the "
                    "message nests too deeply", segment=f.sseg.id, offset=s,
                )
            stack.append(child)


def _element_pointers(first: int, end: int, wpe: int, pc: int) -> Iterator[int]:
    """The pointer words of a struct list's elements: ``pc`` from ``first`` every ``wpe``
    words, up to ``end``."""
    if pc == 1:
        return iter(range(first, end, wpe))
    return chain.from_iterable(map(range, range(first, end, wpe),
                                   range(first + pc, end + pc, wpe)))


def _copied_elements(u64: Any, at: int, n: int) -> Optional[Iterator[int]]:
    """The pointer words of the elements of the struct list whose tag is word ``at`` and
    whose elements take ``n`` words, when the tag is as a copy writes it; else None.  (The
    copy writes the list's words as its elements', and charges elements of no size one word
    each: such lists are left to the object-by-object copy.)"""
    tag = u64[at]
    count = (tag >> 2) & _MASK30
    dw = (tag >> 32) & 0xFFFF
    pc = tag >> 48
    wpe = dw + pc
    if tag & 3 or count * wpe != n or not (wpe or not count):
        return None
    if pc and count:
        return _element_pointers(at + 1 + dw, at + 1 + n, wpe, pc)
    return iter(())


def _preorder_end(sseg: Segment, pointers: Iterator[int], nest: int, cursor: int,
                  stop: int) -> int:
    """Where the objects behind the pointer words ``pointers`` of ``sseg`` end, when the
    source holds them exactly as the copy would lay them out: each at ``cursor`` in turn,
    depth first, in one segment, every pointer near and as the copy writes it, nothing
    shared, every padding bit zero, within the nesting limit, all before word ``stop``.  -1
    as soon as anything differs: the copy then takes the object-by-object path, which also
    reports what is wrong.  Charges nothing.

    A message written in order by this library or by the reference, then read, is laid out
    so; its copy is then one slice (see :func:`_copy_struct_to`).
    """
    u64 = sseg.u64
    size = min(sseg.words, stop)
    # The pointer words still to check, depth first: an iterator over each object's
    # pointer words, and the nesting levels left for them.
    stack: List[Tuple[Iterator[int], int]] = [(pointers, nest)]
    while stack:
        words, level = stack[-1]
        for s in words:
            p = u64[s]
            if not p:
                continue
            kind = p & 3
            if kind == 3:
                if p & 0xFFFFFFFF != 3:
                    return -1
                continue  # a capability: copied as it is
            if p == ZERO_SIZED_STRUCT:  # copied as it is, where the nesting limit allows
                if level <= 0:
                    return -1
                continue
            # A near pointer to the cursor (its offset then is not negative), one level down.
            if kind == 2 or s + 1 + ((p >> 2) & _MASK30) != cursor or level <= 0:
                return -1
            if kind == 0:
                first = cursor + ((p >> 32) & 0xFFFF)
                pc = p >> 48
                if first == cursor and not pc:
                    return -1  # a struct of no size the copy points at with offset -1
                cursor = first + pc
                if cursor > size:
                    return -1
                if pc:
                    stack.append((iter(range(first, cursor)), level - 1))
                    break  # its objects come first
                continue
            es = (p >> 32) & 7
            n = p >> 35
            if es == ELEM_COMPOSITE:
                end = cursor + 1 + n
                elements = _copied_elements(u64, cursor, n) if end <= size else None
                if elements is None:
                    return -1
                cursor = end
                stack.append((elements, level - 1))
                break
            nbits = n * _STEP[es]
            if not nbits and n:
                return -1  # a list of Void (charged by count): the other path
            end = cursor + ((nbits + 63) >> 6)
            if end > size or (nbits & 63 and u64[end - 1] >> (nbits & 63)):
                return -1  # out of bounds, or bits past the last element the copy clears
            if es == ELEM_POINTER and n:
                stack.append((iter(range(cursor, end)), level - 1))
                cursor = end
                break
            cursor = end
        else:
            stack.pop()
    return cursor


def _copy_struct_to(
    mb: MessageBuilder, seg: Segment, idx: int, src: StructReader, canonical: bool
) -> None:
    sseg = src._seg
    dw = src._dsize >> 3
    start = src._data >> 3
    pc = src._pcount
    ctx = src._ctx
    if not canonical and src._dsize & 7 == 0 and src._ptrs == start + dw and (dw or pc) \
            and len(ctx._segments) == 1:
        # The struct and everything behind it laid out as the copy lays them out, and
        # room for them all in the destination's segment: the copy is their words, moved
        # as one block (pointers are relative, so they hold).  Several segments in the
        # source mean far pointers, which the copy would not reproduce.
        used = seg.used
        stop = start + seg.limit - used  # where the block would overflow the segment
        ptrs = src._ptrs
        end = _preorder_end(sseg, iter(range(ptrs, ptrs + pc)), src._nest, ptrs + pc, stop) \
            if pc else start + dw
        if end >= 0 and _put_block(seg, idx, (dw << 32) | (pc << 48), ctx, sseg, start, end,
                                   dw + pc):
            return
    _drain(mb, _copy_struct_obj(mb, seg, idx, src, canonical), canonical)


def _mirror_sizes(mb: MessageBuilder, src: StructReader) -> Optional[List[int]]:
    """When ``src`` is the root of a message whose every segment is exactly what copying it
    into ``mb`` (fresh) would write, objects, landing pads and segment sizes included: the
    first allocation of each segment the copy would open; else None.

    The walk follows the source depth first, as the object-by-object copy does, and plays
    that copy's allocator (:func:`_place`, :func:`_alloc_anywhere`) alongside: each object
    must sit where the copy would put it, near or behind a landing pad, with every pointer
    and pad word as the copy writes it, nothing else in the segments, within the limits.
    Charges nothing.
    """
    ctx = src._ctx
    segs = ctx._segments
    first = mb._segments[0]
    dw = src._dsize >> 3
    pc = src._pcount
    size = dw + pc
    # (a builder's segments have room past what they hold: only a read message qualifies)
    if (type(ctx) is not MessageReader or len(mb._segments) != 1 or first.used != 1
            or (mb._growth != "heuristic" and mb._growth != "fixed")  # (sizes it cannot foresee)
            or src._seg is not segs[0] or src._data != 8 or src._dsize & 7 or not size
            or 1 + size > first.limit or segs[0].u64[0] != (dw << 32) | (pc << 48)):
        return None
    u64s = [seg.u64 for seg in segs]
    have = [seg.words for seg in segs]
    used = [1 + size]  # the copy's segments as it fills them
    limits: List[int] = []
    opened: List[int] = []  # (the first allocation of each, for _new_segment)
    nxt = mb._next
    stack: List[Tuple[int, Iterator[int], int]] = []
    if pc:
        stack.append((0, iter(range(1 + dw, 1 + size)), src._nest))
    while stack:
        sid, words, level = stack[-1]
        u64 = u64s[sid]
        for s in words:
            p = u64[s]
            if not p:
                continue
            kind = p & 3
            if kind == 3:
                if p & 0xFFFFFFFF != 3:
                    return None
                continue
            if p == ZERO_SIZED_STRUCT:
                if level <= 0:
                    return None
                continue
            if level <= 0 or p & 7 == 6:  # (a double-far pointer: never written by a copy)
                return None
            if kind == 2:
                tid = p >> 32
                pad = (p >> 3) & 0x1FFFFFFF
                if tid >= len(segs) or pad >= have[tid]:
                    return None
                tag = u64s[tid][pad]
                if tag & 3 >= 2 or (tag >> 2) & _MASK30:
                    return None  # the copy's pad: a struct or list pointer to the next word
                at = pad + 1
            else:
                tid = sid
                tag = p & ~0xFFFFFFFC
                at = s + 1 + ((p >> 2) & _MASK30)
                if at >= 1 << 29:
                    return None  # a negative offset
            if tag & 3 == 0:
                sdw = (tag >> 32) & 0xFFFF
                spc = tag >> 48
                words_of = sdw + spc
                if not words_of:
                    return None  # a struct of no size the copy points at with offset -1
            else:
                es = (tag >> 32) & 7
                n = tag >> 35
                if es == ELEM_COMPOSITE:
                    words_of = n + 1
                else:
                    nbits = n * _STEP[es]
                    if not nbits and n:
                        return None
                    words_of = (nbits + 63) >> 6
            # Where the copy puts it: after its pointer's segment's objects, else behind a
            # pad in the newest segment, else behind a pad in a new one.
            if used[sid] + words_of <= (limits[sid - 1] if sid else first.limit):
                if kind == 2 or at != used[sid]:
                    return None
                used[sid] += words_of
            else:
                last = len(used) - 1
                if used[last] + 1 + words_of <= (limits[last - 1] if last else first.limit):
                    want = used[last]
                    used[last] += 1 + words_of
                else:
                    grown, nxt = mb._segment_size(words_of + 1, nxt)
                    limits.append(grown)
                    used.append(words_of + 1)
                    opened.append(words_of + 1)
                    last += 1
                    want = 0
                if kind != 2 or tid != last or pad != want:
                    return None
            end = at + words_of
            if end > have[tid]:
                return None
            tu64 = u64s[tid]
            if tag & 3 == 0:
                if spc:
                    stack.append((tid, iter(range(at + sdw, end)), level - 1))
                    break
                continue
            if es == ELEM_COMPOSITE:
                elements = _copied_elements(tu64, at, n)
                if elements is None:
                    return None
                stack.append((tid, elements, level - 1))
                break
            if nbits & 63 and tu64[end - 1] >> (nbits & 63):
                return None  # bits past the last element, which the copy clears
            if es == ELEM_POINTER and n:
                stack.append((tid, iter(range(at, end)), level - 1))
                break
        else:
            stack.pop()
    if used != have:
        return None  # segments of other sizes, or words no object accounts for
    return opened


def _mirror_copy(mb: MessageBuilder, src: StructReader) -> bool:
    """``mb.set_root(src)`` for a fresh ``mb`` by copying the source's segments as they are,
    when they are what the copy would write (:func:`_mirror_sizes`); False, with nothing
    done, otherwise."""
    opened = _mirror_sizes(mb, src)
    if opened is None:
        return False
    ctx = src._ctx
    segs = ctx._segments
    total = sum(seg.words for seg in segs)
    charge = total - 1 - (src._dsize >> 3) - src._pcount  # the objects and pads read
    if ctx.budget < charge:
        return False
    ctx.budget -= charge
    first = mb._segments[0]
    n0 = segs[0].words
    if n0 > first.words:
        grow_segment(first, n0)
    first.b[:n0 << 3] = segs[0].b[:n0 << 3]
    first.used = n0
    for i, size in enumerate(opened, 1):
        seg = mb._new_segment(size)  # (the segment the walk opened: its limit and next size)
        words = segs[i].words
        if words > seg.words:
            grow_segment(seg, words)
        seg.used = words
        seg.b[:words << 3] = segs[i].b[:words << 3]
    return True


def _put_block(seg: Segment, idx: int, tag: int, ctx: MessageContext, sseg: Segment,
               start: int, end: int, own: int) -> bool:
    """Words ``start`` to ``end`` of ``sseg`` (an object of ``own`` words, then what it points
    to) moved to the end of ``seg`` as one block, ``seg[idx]`` pointing at it with ``tag``
    (the pointer without its offset), and ``ctx`` charged what reading those objects one by
    one charges.  False, with nothing done, when the block does not fit ``seg``'s limit or
    the budget."""
    used = seg.used
    words = end - start
    if used + words > seg.limit or ctx.budget < words - own:
        return False
    ctx.budget -= words - own
    if used + words > seg.words:
        grow_segment(seg, used + words)
    seg.used = used + words
    seg.u64[idx] = ((used - idx - 1) << 2) | tag
    seg.b[used << 3:(used + words) << 3] = sseg.b[start << 3:end << 3]
    return True


def _copy_list_to(
    mb: MessageBuilder, seg: Segment, idx: int, src: _ListView, canonical: bool
) -> None:
    ctx = src._ctx
    es = src._es
    n = src._count
    if not canonical and len(ctx._segments) == 1 and (n or es != ELEM_COMPOSITE) \
            and (es != ELEM_VOID or not n):
        # As _copy_struct_to: the list and its objects as the copy lays them out, moved
        # as one block when they fit the destination's segment.
        sseg = src._seg
        u64 = sseg.u64
        base = src._base >> 3
        used = seg.used
        pc = src._pcount
        pointers: Optional[Iterator[int]]
        if es == ELEM_COMPOSITE:
            start = base - 1  # the tag
            own = 1 + n * (src._step >> 6)
            tag = 1 | (7 << 32) | ((own - 1) << 35)
            pointers = _copied_elements(u64, start, own - 1)
        else:
            start = base
            nbits = n * src._step
            own = (nbits + 63) >> 6
            tag = 1 | (es << 32) | (n << 35)
            # (bits past the last element the copy clears)
            pointers = None if nbits & 63 and u64[start + own - 1] >> (nbits & 63) \
                else iter(range(start, start + own) if pc else ())
        stop = start + seg.limit - used
        end = -1 if pointers is None else \
            _preorder_end(sseg, pointers, src._nest, start + own, stop)
        if end >= 0 and _put_block(seg, idx, tag, ctx, sseg, start, end, own):
            return
    _drain(mb, _copy_list_obj(mb, seg, idx, src, canonical), canonical)


def _copy_pointer_to(
    mb: MessageBuilder, dseg: Segment, didx: int,
    ctx: MessageContext, sseg: Segment, sidx: int, nest: int, canonical: bool,
) -> None:
    """Deep-copy the object pointed to from ``sseg[sidx]`` into ``dseg[didx]``."""
    _drain(mb, _copy_obj(mb, dseg, didx, ctx, sseg, sidx, nest, canonical), canonical)


def _copy_pointers(
    mb: MessageBuilder, dseg: Segment, dptrs: int, src: StructReader, pc: int, canonical: bool
) -> None:
    """Deep-copy the first ``pc`` pointers of ``src`` to ``dseg[dptrs:dptrs + pc]``."""
    if pc:
        _drain(mb, _CopyFrame(src._ctx, src._nest, src._seg, src._ptrs, dseg, dptrs, pc, 0, 0, 0),
               canonical)


class MessageBuilder(MessageContext):
    """A message being built.

    Allocation follows the reference encoder: the first segment holds
    ``first_segment_words``; an object that does not fit in the segment of its
    pointer goes to the most recently created segment if it fits there (behind
    a landing pad), else into a new segment of ``max(words + 1, next_size)``
    words.  ``next_size`` starts at ``next_segment_words`` (default: the first
    segment's size) and, with ``growth="heuristic"``, grows by each new
    segment's size; ``growth="fixed"`` keeps it constant; ``growth="single"``
    never opens a second segment (it reallocates the first, so there are no
    far pointers).
    """

    __slots__ = ("_growth", "_next", "_last")

    # A builder's state, with MessageContext's _segments and budget.  builder_from_words sets
    # the same fields without calling the constructor: a field added here goes there too.
    _growth: str  # "heuristic", "fixed" or "single"
    _next: int  # size of the next new segment
    _last: Segment  # the newest segment (_segments[-1]), tried before opening another

    def __init__(
        self,
        first_segment_words: int = 1024,
        *,
        next_segment_words: Optional[int] = None,
        growth: str = "heuristic",
    ) -> None:
        if first_segment_words < 1:
            raise ValueError("first_segment_words must be at least 1")
        # Segments start with a small buffer and grow up to their limit (the
        # reference size; unbounded with growth="single"), so small messages
        # never pay for zeroing and viewing a full-size segment.
        if growth == "heuristic" or growth == "fixed":
            limit = first_segment_words
        elif growth == "single":
            limit = _UNLIMITED
        else:
            raise ValueError(f"unknown growth policy {growth!r}")
        # MessageContext's fields too are set here, not by its __init__: a builder is made
        # per message.
        self.budget = _UNLIMITED
        self._growth = growth
        self._next = next_segment_words or first_segment_words
        first = builder_segment(
            0, first_segment_words if first_segment_words < _INITIAL_WORDS else _INITIAL_WORDS,
            limit, 1)  # word 0, the root pointer, is allocated
        self._segments = [first]
        self._last = first

    def _segment_size(self, words: int, nxt: int) -> Tuple[int, int]:
        """The size of a new segment whose first allocation is ``words`` when the next size
        is ``nxt``, and the next size after it (the growth policy, in one place)."""
        size = max(words, nxt)
        return size, nxt + size if self._growth == "heuristic" else nxt

    def _new_segment(self, words: int) -> Segment:
        size, self._next = self._segment_size(words, self._next)
        seg = builder_segment(len(self._segments), min(size, max(words, _INITIAL_WORDS)), size)
        self._segments.append(seg)
        self._last = seg
        return seg

    def init_root(self, data_words: int, ptr_count: int) -> StructBuilder:
        return _init_struct_at(self, self._segments[0], 0, data_words, ptr_count)

    def root_holder(self) -> StructBuilder:
        """The root pointer as the one pointer of a struct with no data: what a root of any
        kind (a list, a text) is built through."""
        return StructBuilder(self, self._segments[0], 0, 0, 0, 1)

    def get_root(self, data_words: int, ptr_count: int) -> StructBuilder:
        """The root struct, created if null (and enlarged by copying if smaller)."""
        return _get_struct_at(self, self._segments[0], 0, data_words, ptr_count)

    def set_root(self, src: StructReader, *, canonical: bool = False) -> None:
        """Deep-copy ``src`` (from any message) as the root."""
        if canonical or len(src._ctx._segments) == 1 or not _mirror_copy(self, src):
            _copy_struct_to(self, self._segments[0], 0, src, canonical)

    def set_root_pointer(self, src: AnyPointerReader) -> None:
        _copy_pointer_to(self, self._segments[0], 0, src._ctx, src._seg, src._idx, src._nest,
                         False)

    def root_reader(self) -> StructReader:
        self.budget = _UNLIMITED
        return _read_struct_at(self, self._segments[0], 0, _UNLIMITED, None)

    def root_pointer_reader(self) -> AnyPointerReader:
        return AnyPointerReader(self, self._segments[0], 0, _UNLIMITED)

    def segments(self) -> List[bytes]:
        """The message: one ``bytes`` per segment, trimmed to the words used."""
        return [s.b[:s.used << 3].tobytes() for s in self._segments]

    def segment_sizes(self) -> List[int]:
        return [s.used for s in self._segments]

    # -- orphans: objects placed with no pointer yet (see Orphan) ---------------

    def new_orphan_struct(self, data_words: int, pointer_count: int) -> Orphan:
        if not (0 <= data_words <= 0xFFFF and 0 <= pointer_count <= 0xFFFF):
            raise _struct_size_error(data_words, pointer_count)
        if data_words == 0 and pointer_count == 0:
            return Orphan(self, self._segments[0], 0, ZERO_SIZED_STRUCT)
        return _new_orphan(self, data_words + pointer_count,
                           (data_words << 32) | (pointer_count << 48))

    def new_orphan_list(self, element_size: int, count: int) -> Orphan:
        """A list of primitive or pointer elements (``ELEM_*`` code), all zero."""
        if not 0 <= element_size < ELEM_COMPOSITE:
            raise EncodeError(f"element size {element_size} is not a primitive or pointer size")
        _check_count(count, "list length")
        return _new_orphan(self, (count * _STEP[element_size] + 63) >> 6,
                           1 | (element_size << 32) | (count << 35))

    def new_orphan_struct_list(self, count: int, data_words: int, pointer_count: int) -> Orphan:
        if not (0 <= data_words <= 0xFFFF and 0 <= pointer_count <= 0xFFFF):
            raise _struct_size_error(data_words, pointer_count)
        _check_count(count, "list length")
        words = count * (data_words + pointer_count)
        _check_count(words, "struct list size in words")
        orphan = _new_orphan(self, words + 1, 1 | (ELEM_COMPOSITE << 32) | (words << 35))
        orphan._seg.u64[orphan._start] = (count << 2) | (data_words << 32) | (pointer_count << 48)
        return orphan

    def new_orphan_text(self, text: str) -> Orphan:
        if not isinstance(text, str):
            raise EncodeError(f"text must be str, not {type(text).__name__}")
        utf8 = text.encode("utf-8")
        return _new_orphan_bytes(self, utf8, len(utf8) + 1)

    def new_orphan_data(self, data: Buffer) -> Orphan:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise EncodeError(f"data must be bytes-like, not {type(data).__name__}")
        raw = bytes(data)
        return _new_orphan_bytes(self, raw, len(raw))

    def new_orphan_capability(self, cap_index: int) -> Orphan:
        if not 0 <= cap_index <= 0xFFFFFFFF:
            raise EncodeError(f"capability index {cap_index} out of range")
        return Orphan(self, self._segments[0], 0, 3 | (cap_index << 32))


class AllocatedMessageBuilder(MessageBuilder):
    """A message built in segments that ``allocate`` provides (pycapnp's
    ``_PyCustomMessageBuilder``): shared memory, a pool, a memory-mapped file.

    ``allocate(words)`` returns a writable buffer (``bytearray``, ``memoryview``, an array)
    of at least ``words`` words; the message is written into it where it is, and the whole
    of it (its size rounded down to whole words, at most the 2^29 words pointers reach) is
    the segment.  The first call asks for ``first_segment_words``; later ones for the object
    that did not fit (with its landing pad).  A buffer is zeroed when taken, since a builder
    relies on unwritten words reading as zero.  The builder keeps every buffer it was given;
    one given twice, read-only, not contiguous, too small, or of several dimensions and not
    ending on a word is refused.  Segments never move to a buffer of their own: whatever fits
    nowhere else goes to a new segment from ``allocate``.
    """

    __slots__ = ("_allocate", "buffers")

    def __init__(self, allocate: Callable[[int], Buffer], first_segment_words: int = 1024) -> None:
        if not callable(allocate):
            raise TypeError(f"allocate must be callable, not {type(allocate).__name__}")
        if first_segment_words < 1:
            raise ValueError("first_segment_words must be at least 1")
        self.budget = _UNLIMITED
        self._growth = "allocated"  # (no size policy: each segment is what allocate gave)
        self._next = first_segment_words
        self._allocate = allocate
        self.buffers: List[Buffer] = []  # every buffer allocate gave, kept alive
        first = self._take(0, first_segment_words)
        first.used = 1  # word 0, the root pointer
        self._segments = [first]
        self._last = first

    def _take(self, id: int, words: int) -> Segment:
        data = self._allocate(words)
        try:
            mv = memoryview(data)
        except TypeError:
            raise TypeError(f"allocate returned {type(data).__name__}, not a buffer") from None
        if mv.readonly:
            raise TypeError(f"allocate returned a read-only {type(data).__name__}")
        if not mv.c_contiguous:
            raise TypeError("allocate returned a buffer that is not contiguous")
        nbytes = mv.nbytes
        have = nbytes >> 3
        if have < words:
            raise ValueError(f"allocate returned {have} words, fewer than the {words} asked for")
        if any(b is data for b in self.buffers):
            raise ValueError("allocate returned a buffer it had given before (two segments "
                             "cannot share memory)")
        # (pointers reach at most _MAX_SEGMENT_WORDS into a segment: the rest stays unused)
        have = min(have, _MAX_SEGMENT_WORDS)
        self.buffers.append(data)
        whole = nbytes == have << 3
        buf: Buffer
        if whole and type(data) is bytearray:
            buf = data  # (the segment works on the bytearray itself, the cheapest on PyPy)
        else:
            if not whole:
                if mv.ndim != 1:
                    # (PyPy slices views of several dimensions wrongly: none is cut here)
                    raise TypeError("allocate returned a buffer of several dimensions that "
                                    "does not end on a whole word")
                if not 8 % mv.itemsize:
                    # Cut to whole words in items, before the cast: PyPy's struct cannot
                    # write through a byte view sliced after a cast.
                    mv = mv[:(have << 3) // mv.itemsize]
            if mv.ndim != 1 or mv.format != "B":
                mv = mv.cast("B")
            if mv.nbytes != have << 3:
                mv = mv[:have << 3]
            buf = mv
        buf[:] = bytes(have << 3)  # zeroed: a builder never writes the words it leaves as zero
        return Segment(id, buf, 0)  # (its limit: the words it has)

    def _new_segment(self, words: int) -> Segment:
        seg = self._take(len(self._segments), words)
        self._segments.append(seg)
        self._last = seg
        return seg


def _get_struct_at(
    mb: MessageBuilder, seg: Segment, idx: int, dw: int, pc: int
) -> StructBuilder:
    if seg.u64[idx] == 0:
        return _init_struct_at(mb, seg, idx, dw, pc)
    mb.budget = _UNLIMITED
    old = _read_struct_at(mb, seg, idx, _UNLIMITED, None)
    if old._dsize >= dw << 3 and old._pcount >= pc:
        return StructBuilder(mb, old._seg, old._data, old._dsize, old._ptrs, old._pcount)
    # Too small (written by an older schema): copy into a larger struct.  The old
    # object stays behind as unreachable words.
    new = _init_struct_at(mb, seg, idx, max(dw, old.data_words), max(pc, old._pcount))
    new._seg.b[new._data:new._data + old._dsize] = old._seg.b[old._data:old._data + old._dsize]
    _copy_pointers(mb, new._seg, new._ptrs, old, old._pcount, False)
    return new


class StructBuilder(_StructView):
    """A struct in a message being built: scalar setters and pointer initialisers."""

    __slots__ = ("_mb",)

    def __init__(
        self, mb: MessageBuilder, seg: Segment, data: int, dsize: int, ptrs: int, pcount: int
    ) -> None:
        self._mb = mb  # the message (allocator)
        self._seg = seg
        self._data = data
        self._dsize = dsize
        self._ptrs = ptrs
        self._pcount = pcount

    def __repr__(self) -> str:
        return (f"StructBuilder(segment={self._seg.id}, data_bytes={self._dsize}, "
                f"ptrs={self._pcount})")

    def as_reader(self) -> StructReader:
        self._mb.budget = _UNLIMITED
        return StructReader(self._mb, self._seg, self._data, self._dsize, self._ptrs,
                            self._pcount, _UNLIMITED)

    # -- scalar setters: a value beyond the data section is refused -----------

    def _field(self, offset: int, width: int) -> int:
        b = offset * width
        if offset < 0 or b + width > self._dsize:
            raise EncodeError(f"field at byte {b} is outside the {self._dsize}-byte data section")
        return self._data + b

    def set_bool(self, offset: int, value: bool, default: bool = False) -> None:
        byte = offset >> 3
        if offset < 0 or byte >= self._dsize:
            raise EncodeError(f"bit {offset} is outside the {self._dsize}-byte data section")
        u8 = self._seg.u8
        at = self._data + byte
        mask = 1 << (offset & 7)
        if bool(value) != default:
            u8[at] |= mask
        else:
            u8[at] &= ~mask & 0xFF

    def _set_int(self, view_name: str, offset: int, width: int, value: int, default: int) -> None:
        at = self._field(offset, width)
        try:
            getattr(self._seg, view_name)[at // width] = value ^ default
        except _PACK_ERRORS as exc:
            raise EncodeError(f"cannot store {value!r} in a {view_name} field: {exc}") from None

    def set_int8(self, offset: int, value: int, default: int = 0) -> None:
        self._set_int("i8", offset, 1, value, default)

    def set_uint8(self, offset: int, value: int, default: int = 0) -> None:
        self._set_int("u8", offset, 1, value, default)

    def set_int16(self, offset: int, value: int, default: int = 0) -> None:
        self._set_int("i16", offset, 2, value, default)

    def set_uint16(self, offset: int, value: int, default: int = 0) -> None:
        self._set_int("u16", offset, 2, value, default)

    def set_int32(self, offset: int, value: int, default: int = 0) -> None:
        self._set_int("i32", offset, 4, value, default)

    def set_uint32(self, offset: int, value: int, default: int = 0) -> None:
        self._set_int("u32", offset, 4, value, default)

    def set_int64(self, offset: int, value: int, default: int = 0) -> None:
        self._set_int("i64", offset, 8, value, default)

    def set_uint64(self, offset: int, value: int, default: int = 0) -> None:
        self._set_int("u64", offset, 8, value, default)

    def set_float32(self, offset: int, value: float, default: float = 0.0) -> None:
        at = self._field(offset, 4)
        try:
            if _is_zero_bits(default):
                self._seg.f32[at >> 2] = value
            else:
                self._seg.u32[at >> 2] = _f32_bits(value) ^ _f32_bits(default)
        except OverflowError:
            # Beyond Float32's range: an infinity, as a C++ cast stores it, on every interpreter
            # and with any default (struct and PyPy's views refuse it, CPython's view rounds).
            try:
                infinity = math.copysign(math.inf, value)
            except (OverflowError, TypeError) as exc:  # e.g. an int too large for a double
                raise EncodeError(f"cannot store {value!r} in a float32 field: {exc}") from None
            self.set_float32(offset, infinity, default)
        except (ValueError, TypeError, struct.error) as exc:
            raise EncodeError(f"cannot store {value!r} in a float32 field: {exc}") from None

    def set_float64(self, offset: int, value: float, default: float = 0.0) -> None:
        at = self._field(offset, 8)
        try:
            if _is_zero_bits(default):
                self._seg.f64[at >> 3] = value
            else:
                self._seg.u64[at >> 3] = _f64_bits(value) ^ _f64_bits(default)
        except _PACK_ERRORS as exc:
            raise EncodeError(f"cannot store {value!r} in a float64 field: {exc}") from None

    # -- pointers -------------------------------------------------------------

    def _slot(self, index: int) -> int:
        if not 0 <= index < self._pcount:
            raise EncodeError(f"pointer {index} is outside the {self._pcount}-pointer section")
        return self._ptrs + index

    def is_null(self, index: int) -> bool:
        return self._seg.u64[self._slot(index)] == 0

    def clear_pointer(self, index: int) -> None:
        """Make pointer ``index`` null (the old target stays as unreachable words)."""
        self._seg.u64[self._slot(index)] = 0

    def init_struct(self, index: int, data_words: int, ptr_count: int) -> StructBuilder:
        return _init_struct_at(self._mb, self._seg, self._slot(index), data_words, ptr_count)

    def get_struct(self, index: int, data_words: int, ptr_count: int) -> StructBuilder:
        """The struct at ``index``, initialised if null, enlarged if too small."""
        return _get_struct_at(self._mb, self._seg, self._slot(index), data_words, ptr_count)

    def init_list(self, index: int, element_size: int, count: int) -> ListBuilder:
        return _init_list_at(self._mb, self._seg, self._slot(index), element_size, count)

    def init_struct_list(
        self, index: int, count: int, data_words: int, ptr_count: int
    ) -> ListBuilder:
        return _init_struct_list_at(
            self._mb, self._seg, self._slot(index), count, data_words, ptr_count
        )

    def get_list(self, index: int, element_size: Optional[int] = None) -> ListBuilder:
        """The existing list at ``index`` as a builder (null: an empty list)."""
        self._mb.budget = _UNLIMITED
        r = _read_list_at(self._mb, self._seg, self._slot(index), _UNLIMITED, element_size, None)
        return ListBuilder(self._mb, r._seg, r._base, r._count, r._step, r._dbits, r._pcount,
                           r._es, _UNLIMITED)

    def init_primitive_list(self, index: int, fmt: str, values: Sequence[float]) -> ListBuilder:
        """A new list filled in bulk; ``fmt`` is a struct letter or ``?`` for bools."""
        es = FORMAT_ELEMENT_SIZE.get(fmt)
        if es is None:
            raise EncodeError(f"unknown list format {fmt!r}")
        lst = self.init_list(index, es, len(values))
        lst.set_all(values, fmt)
        return lst

    def set_text(self, index: int, text: str) -> None:
        _set_text_at(self._mb, self._seg, self._slot(index), text)

    def set_text_bytes(self, index: int, utf8: Buffer) -> None:
        """Store already-encoded text (the caller vouches it is UTF-8); adds the NUL."""
        _set_bytes_at(self._mb, self._seg, self._slot(index), bytes(utf8), True)

    def init_text(self, index: int, size: int) -> memoryview:
        """A new text of ``size`` bytes (plus the NUL): a writable view to fill.

        Fill it before the next allocation in this message: a builder segment
        moves to a larger buffer as it grows, and the view stays on the old one.
        """
        return _init_text_at(self._mb, self._seg, self._slot(index), size)

    def set_data(self, index: int, data: Buffer) -> None:
        _set_data_at(self._mb, self._seg, self._slot(index), data)

    def copy_data_from(self, src: _StructView) -> None:
        """Copy ``src``'s raw data section into this one, bit for bit.

        Bytes beyond ``src``'s data section become zero (the encoding of every
        field's default); bytes beyond this struct's section are dropped.
        """
        n = min(src._dsize, self._dsize)
        d = self._data
        b = self._seg.b
        b[d:d + n] = src._seg.b[src._data:src._data + n]
        if n < self._dsize:
            b[d + n:d + self._dsize] = bytes(self._dsize - n)

    def set_capability(self, index: int, cap_index: int) -> None:
        _set_cap_at(self._seg, self._slot(index), cap_index)

    def disown(self, index: int) -> Orphan:
        """Detach pointer ``index``'s object (it stays in place); the pointer becomes null."""
        return _disown_at(self._mb, self._seg, self._slot(index))

    def adopt(self, index: int, orphan: Orphan) -> None:
        """Point pointer ``index`` at ``orphan``'s object (a null orphan clears it)."""
        _adopt_at(self._mb, self._seg, self._slot(index), orphan)

    def get_text(self, index: int, default: str = "") -> str:
        return self.as_reader().get_text(index, default)

    def get_data(self, index: int, default: bytes = b"") -> bytes:
        return self.as_reader().get_data(index, default)

    def get_capability(self, index: int) -> Optional[int]:
        return _read_cap_at(self._seg, self._slot(index))

    def set_struct(self, index: int, src: StructReader, *, canonical: bool = False) -> None:
        """Deep-copy ``src`` (from any message) into pointer ``index``."""
        _copy_struct_to(self._mb, self._seg, self._slot(index), src, canonical)

    def set_list(self, index: int, src: ListReader, *, canonical: bool = False) -> None:
        _copy_list_to(self._mb, self._seg, self._slot(index), src, canonical)

    def set_pointer(self, index: int, src: AnyPointerReader, *, canonical: bool = False) -> None:
        _copy_pointer_to(self._mb, self._seg, self._slot(index), src._ctx, src._seg, src._idx,
                         src._nest, canonical)


class ListBuilder(_ListView):
    """A list in a message being built."""

    __slots__ = ()

    @property
    def _mb(self) -> MessageBuilder:
        mb = self._ctx
        assert isinstance(mb, MessageBuilder)
        return mb

    def as_reader(self) -> ListReader:
        self._ctx.budget = _UNLIMITED
        return ListReader(self._ctx, self._seg, self._base, self._count, self._step, self._dbits,
                          self._pcount, self._es, _UNLIMITED)

    def get_struct(self, i: int) -> StructBuilder:
        i = self._index(i)
        if self._step & 7:
            raise TypeError("bit list elements are not structs")
        data = self._base + ((i * self._step) >> 3)
        dsize = self._dbits >> 3
        return StructBuilder(self._mb, self._seg, data, dsize, (data + dsize) >> 3, self._pcount)

    def set_bool(self, i: int, value: bool) -> None:
        i = self._index(i)
        if not self._dbits:
            raise TypeError("list elements hold no data")
        bit = (self._base << 3) + i  # bit i whatever the element size, as get_bool reads it
        u8 = self._seg.u8
        if value:
            u8[bit >> 3] |= 1 << (bit & 7)
        else:
            u8[bit >> 3] &= ~(1 << (bit & 7)) & 0xFF

    def _set(self, view_name: str, i: int, bits: int, value: float) -> None:
        at = self._elem(i, bits)
        try:
            getattr(self._seg, view_name)[at // (bits >> 3)] = value
        except _PACK_ERRORS as exc:
            raise EncodeError(f"cannot store {value!r} as {view_name}: {exc}") from None

    def set_int8(self, i: int, value: int) -> None:
        self._set("i8", i, 8, value)

    def set_uint8(self, i: int, value: int) -> None:
        self._set("u8", i, 8, value)

    def set_int16(self, i: int, value: int) -> None:
        self._set("i16", i, 16, value)

    def set_uint16(self, i: int, value: int) -> None:
        self._set("u16", i, 16, value)

    def set_int32(self, i: int, value: int) -> None:
        self._set("i32", i, 32, value)

    def set_uint32(self, i: int, value: int) -> None:
        self._set("u32", i, 32, value)

    def set_int64(self, i: int, value: int) -> None:
        self._set("i64", i, 64, value)

    def set_uint64(self, i: int, value: int) -> None:
        self._set("u64", i, 64, value)

    def set_float32(self, i: int, value: float) -> None:
        self._set("f32", i, 32, value)

    def set_float64(self, i: int, value: float) -> None:
        self._set("f64", i, 64, value)

    def set_all(self, values: Sequence[float], fmt: Optional[str] = None) -> None:
        """Store every element at once (``len(values)`` must equal the list length)."""
        if fmt is None:
            fmt = _BITS_FORMAT.get(self._dbits, "")
        bits = _FORMAT_BITS.get(fmt, 0)
        n = self._count
        if not bits or bits != self._step:
            raise EncodeError(f"format {fmt!r} does not match {self._step}-bit list elements")
        if len(values) != n:
            raise EncodeError(f"{len(values)} values for a list of {n} elements")
        if n == 0:
            return
        base = self._base
        buf = self._seg.b
        try:
            if fmt == "?":
                packed = _pack_bools(values)
                buf[base:base + len(packed)] = packed
                return
            code = _ARRAY_CODES.get(fmt)
            if code is not None:
                # array.array converts and range-checks in C, then one slice copy.
                arr = _to_array(code, values)
                if not LITTLE_ENDIAN:
                    arr.byteswap()
                buf[base:base + n * (bits >> 3)] = memoryview(arr).cast("B")
            else:
                struct.pack_into("<%d%s" % (n, fmt), buf, base, *values)
        except _PACK_ERRORS as exc:
            raise EncodeError(f"cannot store values as {fmt!r}: {exc}") from None

    # -- pointer elements -----------------------------------------------------

    def init_struct(self, i: int, data_words: int, ptr_count: int) -> StructBuilder:
        return _init_struct_at(self._mb, self._seg, self._ptr(i), data_words, ptr_count)

    def init_list(self, i: int, element_size: int, count: int) -> ListBuilder:
        return _init_list_at(self._mb, self._seg, self._ptr(i), element_size, count)

    def init_struct_list(self, i: int, count: int, data_words: int, ptr_count: int) -> ListBuilder:
        return _init_struct_list_at(self._mb, self._seg, self._ptr(i), count, data_words,
                                    ptr_count)

    def init_primitive_list(self, i: int, fmt: str, values: Sequence[float]) -> ListBuilder:
        es = FORMAT_ELEMENT_SIZE.get(fmt)
        if es is None:
            raise EncodeError(f"unknown list format {fmt!r}")
        lst = self.init_list(i, es, len(values))
        lst.set_all(values, fmt)
        return lst

    def set_text(self, i: int, text: str) -> None:
        _set_text_at(self._mb, self._seg, self._ptr(i), text)

    def set_text_bytes(self, i: int, utf8: Buffer) -> None:
        """Store already-encoded text (the caller vouches it is UTF-8); adds the NUL."""
        _set_bytes_at(self._mb, self._seg, self._ptr(i), bytes(utf8), True)

    def init_text(self, i: int, size: int) -> memoryview:
        """A new text of ``size`` bytes (plus the NUL): a writable view to fill."""
        return _init_text_at(self._mb, self._seg, self._ptr(i), size)

    def get_list(self, i: int, element_size: Optional[int] = None) -> ListBuilder:
        """The existing list element ``i`` points to, as a builder (null: an empty list)."""
        self._ctx.budget = _UNLIMITED
        r = _read_list_at(self._ctx, self._seg, self._ptr(i), _UNLIMITED, element_size, None)
        return ListBuilder(self._ctx, r._seg, r._base, r._count, r._step, r._dbits, r._pcount,
                           r._es, _UNLIMITED)

    def get_struct_at(self, i: int, data_words: int = 0, ptr_count: int = 0) -> StructBuilder:
        """The struct element ``i`` points to: initialised if null, enlarged if smaller."""
        return _get_struct_at(self._mb, self._seg, self._ptr(i), data_words, ptr_count)

    def get_pointer(self, i: int) -> AnyPointerReader:
        """A read-only view of pointer element ``i``."""
        self._ctx.budget = _UNLIMITED
        return AnyPointerReader(self._ctx, self._seg, self._ptr(i), _UNLIMITED)

    def set_data(self, i: int, data: Buffer) -> None:
        _set_data_at(self._mb, self._seg, self._ptr(i), data)

    def set_capability(self, i: int, cap_index: int) -> None:
        _set_cap_at(self._seg, self._ptr(i), cap_index)

    def disown(self, i: int) -> Orphan:
        """Detach pointer element ``i``'s object (it stays in place); the element becomes null."""
        return _disown_at(self._mb, self._seg, self._ptr(i))

    def adopt(self, i: int, orphan: Orphan) -> None:
        """Point pointer element ``i`` at ``orphan``'s object (a null orphan clears it)."""
        _adopt_at(self._mb, self._seg, self._ptr(i), orphan)

    def set_struct(self, i: int, src: StructReader, *, canonical: bool = False) -> None:
        _copy_struct_to(self._mb, self._seg, self._ptr(i), src, canonical)

    def set_list(self, i: int, src: ListReader, *, canonical: bool = False) -> None:
        _copy_list_to(self._mb, self._seg, self._ptr(i), src, canonical)

    def set_pointer(self, i: int, src: AnyPointerReader, *, canonical: bool = False) -> None:
        _copy_pointer_to(self._mb, self._seg, self._ptr(i), src._ctx, src._seg, src._idx,
                         src._nest, canonical)


# --------------------------------------------------------------------------
# Orphans
# --------------------------------------------------------------------------
#
# An orphan is an object that lives in a builder's segments with nothing
# pointing at it.  It is made either fresh (``MessageBuilder.new_orphan_*``)
# or by detaching a pointer (``disown``), and it is placed back with
# ``adopt``, which never moves the object: it only writes a pointer to where
# the object already is.  That is the one way this module writes a
# double-far pointer (see the module docstring).

# An orphan's tag keeps only the kind and size bits of a pointer: the offset
# field is zero, as in a landing pad whose object follows it.
_TAG_KEEP = 0xFFFFFFFF00000003


def _alloc_anywhere(mb: MessageBuilder, words: int) -> Tuple[Segment, int]:
    """``words`` free words in the most recent segment when they fit, else in a new one."""
    last = mb._last
    start = last.used
    end = start + words
    if end > last.limit:
        last = mb._new_segment(words)
        start = 0
        end = words
    elif end > last.words:
        grow_segment(last, end)
    last.used = end
    return last, start


def _take_word(seg: Segment) -> int:
    """One free word of ``seg`` (its index), or -1 when the segment is full."""
    used = seg.used
    if used >= seg.limit:
        return -1
    if used >= seg.words:
        grow_segment(seg, used + 1)
    seg.used = used + 1
    return used


def _object_words(tag: int) -> int:
    """Words an orphan's object occupies (a composite list counts its tag word)."""
    if tag & 3 == 0:
        return ((tag >> 32) & 0xFFFF) + (tag >> 48)
    es = (tag >> 32) & 7
    if es == ELEM_COMPOSITE:
        return (tag >> 35) + 1
    return ((tag >> 35) * _STEP[es] + 63) >> 6


class Orphan:
    """An object in a :class:`MessageBuilder` that no pointer refers to.

    ``segment_id`` and ``word`` locate the object's first word (for a struct
    list: its tag word); ``tag`` is the pointer that describes it with a zero
    offset (struct sizes, or list element size and count; for a capability,
    the capability pointer itself; 0 for a null orphan; for a struct of no
    words, the reference encoder's pointer with offset -1, since a zero tag
    would read as null).  An orphan is
    adopted at most once; afterwards it is consumed and refuses every use.
    """

    __slots__ = ("_mb", "_seg", "_start", "_tag", "_consumed")

    def __init__(self, mb: MessageBuilder, seg: Segment, start: int, tag: int) -> None:
        self._mb = mb  # the message owning the object
        self._seg = seg  # segment holding the object
        self._start = start  # object's first word in that segment
        self._tag = tag  # pointer to the object with offset 0 (0: null)
        self._consumed = False  # set by adopt

    def __repr__(self) -> str:
        if self._tag == 0:
            return "Orphan(null)"
        return f"Orphan({self.kind.name.lower()}, segment={self._seg.id}, word={self._start})"

    @property
    def message(self) -> MessageBuilder:
        return self._mb

    @property
    def is_null(self) -> bool:
        return self._tag == 0

    @property
    def is_consumed(self) -> bool:
        """True once the orphan has been adopted."""
        return self._consumed

    @property
    def kind(self) -> PointerKind:
        t = self._tag
        if t == 0:
            return PointerKind.NULL
        return (PointerKind.STRUCT, PointerKind.LIST, PointerKind.NULL,
                PointerKind.CAPABILITY)[t & 3]

    @property
    def segment_id(self) -> int:
        return self._seg.id

    @property
    def word(self) -> int:
        return self._start

    @property
    def tag(self) -> int:
        return self._tag

    def _live(self, kind: PointerKind) -> None:
        if self._consumed:
            raise EncodeError("this orphan has already been adopted")
        if self.kind != kind:
            raise EncodeError(f"orphan holds a {self.kind.name.lower()}, "
                              f"not a {kind.name.lower()}")

    def struct_builder(self) -> StructBuilder:
        """A builder over the orphaned struct, to fill it before adoption."""
        self._live(PointerKind.STRUCT)
        t = self._tag
        dw = (t >> 32) & 0xFFFF
        pc = t >> 48
        if dw == 0 and pc == 0:
            return StructBuilder(self._mb, self._seg, 0, 0, 0, 0)
        s = self._start
        return StructBuilder(self._mb, self._seg, s << 3, dw << 3, s + dw, pc)

    def list_builder(self) -> ListBuilder:
        """A builder over the orphaned list (text and data are byte lists)."""
        self._live(PointerKind.LIST)
        t = self._tag
        es = (t >> 32) & 7
        seg = self._seg
        s = self._start
        if es == ELEM_COMPOSITE:
            head = seg.u64[s]
            dw = (head >> 32) & 0xFFFF
            pc = head >> 48
            count = (head >> 2) & _MASK30
            return ListBuilder(self._mb, seg, (s + 1) << 3, count, (dw + pc) << 6, dw << 6, pc,
                               ELEM_COMPOSITE, _UNLIMITED)
        dbits = _DATA_BITS[es]
        pc = _PTRS[es]
        return ListBuilder(self._mb, seg, s << 3, t >> 35, dbits + (pc << 6), dbits, pc, es,
                           _UNLIMITED)

    def get_capability(self) -> int:
        """The capability index of a capability orphan."""
        self._live(PointerKind.CAPABILITY)
        return self._tag >> 32


def _new_orphan(mb: MessageBuilder, words: int, tag: int) -> Orphan:
    seg, start = _alloc_anywhere(mb, words)
    return Orphan(mb, seg, start, tag)


def _new_orphan_bytes(mb: MessageBuilder, data: bytes, count: int) -> Orphan:
    """A byte list of ``count`` elements starting with ``data`` (the rest stays zero)."""
    _check_count(count, "list length")
    orphan = _new_orphan(mb, (count + 7) >> 3, 1 | (2 << 32) | (count << 35))
    if data:
        at = orphan._start << 3
        orphan._seg.b[at:at + len(data)] = data
    return orphan


def _disown_at(mb: MessageBuilder, seg: Segment, idx: int) -> Orphan:
    """Detach the object ``seg[idx]`` points to, which stays where it is."""
    p = seg.u64[idx]
    if p == 0:
        return Orphan(mb, seg, idx, 0)
    if p & 3 == 3:
        if (p & 0xFFFFFFFF) != 3:
            raise DecodeError(f"unknown pointer kind: {describe(p)}", segment=seg.id, offset=idx)
        orphan = Orphan(mb, seg, idx, p)
    else:
        tag, oseg, start = _resolve(mb, seg, idx, p, False)
        tag &= _TAG_KEEP
        if tag == 0:
            # A struct of no words: the offset is meaningless, and 0 would mean null.
            orphan = Orphan(mb, oseg, 0, ZERO_SIZED_STRUCT)
        else:
            if start < 0 or start + _object_words(tag) > oseg.used:
                raise _oob("pointer to disown", seg, idx)
            orphan = Orphan(mb, oseg, start, tag)
    seg.u64[idx] = 0
    return orphan


def _adopt_at(mb: MessageBuilder, seg: Segment, idx: int, orphan: Orphan) -> None:
    """Point ``seg[idx]`` at ``orphan``'s object without moving it.

    A near pointer when the object shares the pointer's segment; else a far
    pointer to a one-word landing pad taken anywhere in the object's segment;
    else, with that segment full, a double-far pointer to a two-word pad (far
    pointer to the object, then its tag) in the most recent or a new segment.
    """
    if orphan._mb is not mb:
        raise EncodeError("cannot adopt an orphan of another message (copy it instead)")
    if orphan._consumed:
        raise EncodeError("this orphan has already been adopted")
    tag = orphan._tag
    oseg = orphan._seg
    start = orphan._start
    orphan._consumed = True
    if tag == 0 or tag & 3 == 3:
        seg.u64[idx] = tag  # null or capability: nothing to locate
        return
    if tag == ZERO_SIZED_STRUCT:
        seg.u64[idx] = tag
        return
    if oseg is seg or _object_words(tag) == 0:
        # An empty list may be pointed at from anywhere: offset 0 stays in bounds.
        if oseg is not seg:
            start = idx + 1
        seg.u64[idx] = tag | (((start - idx - 1) & _MASK30) << 2)
        return
    pad = _take_word(oseg)
    if pad >= 0:
        oseg.u64[pad] = tag | (((start - pad - 1) & _MASK30) << 2)
        seg.u64[idx] = 2 | (pad << 3) | (oseg.id << 32)
        return
    pseg, pad = _alloc_anywhere(mb, 2)
    pseg.u64[pad] = 2 | (start << 3) | (oseg.id << 32)
    pseg.u64[pad + 1] = tag
    seg.u64[idx] = 6 | (pad << 3) | (pseg.id << 32)


def _pack_bools(values: Iterable[object]) -> bytes:
    """Pack truthy/falsy values into little-endian bit order, 8 per byte."""
    flags = bytes(map(bool, values))
    n = len(flags)
    nbytes = (n + 7) >> 3
    if n == 0:
        return b""
    # Reverse to most-significant-first ASCII and let int() do the packing in C.
    digits = flags[::-1].translate(_BYTES_TO_BITS)
    return int(digits, 2).to_bytes(nbytes, "little")


def pack_data_field(b: StructBuilder, packer: struct.Struct, byte_offset: int, value: Any) -> None:
    """Store a scalar whose default is zero at ``byte_offset`` of ``b``'s data section.

    The same bytes as the typed setters, packed straight into the segment: it saves making a
    typed view of a fresh segment (a cast) for a message that sets one or two fields.
    """
    if byte_offset < 0 or byte_offset + packer.size > b._dsize:
        raise EncodeError(f"field at byte {byte_offset} is outside the {b._dsize}-byte data section")
    try:
        try:
            packer.pack_into(b._seg.b, b._data + byte_offset, value)
        except OverflowError:
            if packer.format != "<f":
                raise
            # Beyond Float32's range: an infinity of its sign, as set_float32 stores it.
            packer.pack_into(b._seg.b, b._data + byte_offset, math.copysign(math.inf, value))
    except _PACK_ERRORS as exc:
        raise EncodeError(f"cannot store {value!r} in a {packer.format} field: {exc}") from None


def unpack_data_field(r: _StructView, packer: struct.Struct, byte_offset: int, zero: Any) -> Any:
    """The stored value of a scalar at ``byte_offset`` of a struct's data section, unpacked
    with ``packer`` (no default applied), or ``zero`` when the field lies beyond the section
    (a struct written by an older schema).

    It saves making a typed view of the segment (a cast) for a message read once or twice.
    """
    if byte_offset < 0 or byte_offset + packer.size > r._dsize:
        return zero
    return packer.unpack_from(r._seg.b, r._data + byte_offset)[0]


def builder_from_words(words: bytes, used: int, segment_words: int) -> MessageBuilder:
    """``MessageBuilder(segment_words)`` whose first segment starts as a copy of ``words``
    (``used`` words of a message built before), ready to go on.  ``used`` is at most
    ``segment_words`` and at most the 64 words a first segment's buffer starts with.

    Messages of one shape (an RPC envelope) are built often; copying the words of the last
    one is cheaper than allocating each struct again, and this skips the constructor's checks.
    """
    seg = builder_segment(0, segment_words if segment_words < _INITIAL_WORDS else _INITIAL_WORDS,
                          segment_words, used)
    if used > seg.words or len(words) != used << 3:
        raise ValueError(f"{used} words do not fit a first segment of {seg.words} words")
    seg.b[: used << 3] = words
    # The constructor's state, set by hand: a call to a shared helper would cost about 4% here
    # (tests/wire/test_builder_from_words.py checks the two agree).
    mb: MessageBuilder = _new_object(MessageBuilder)
    mb.budget = _UNLIMITED
    mb._growth = "heuristic"
    mb._next = segment_words
    mb._segments = [seg]
    mb._last = seg
    return mb
