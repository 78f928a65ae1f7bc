"""Support code for generated modules: the pieces every typed class shares.

Generated *readers* hold a struct's coordinates (segment, data section,
pointer section, nesting left) themselves, one object per struct.  The
scalars outside unions are unpacked together by one precompiled
``struct.Struct`` on first use (:class:`Scalars`); pointer properties follow
near pointers through the fast paths below (:func:`text`, :func:`struct_list`,
...), which check bounds and charge the traversal limit exactly as the
layout core does, and hand everything else (far pointers, defaults, anything
malformed) to :class:`capnp_lite.wire.StructReader`, which reports it.
One-segment messages are read over a segment whose typed views are made only
when needed.

Generated *builders* are plain slotted Python objects (one per struct or
group) that hold field values; :func:`serialize` lays them out in one pass,
appending to a single ``bytearray`` in pre-order (a struct, then each pointer
target in pointer-slot order, depth first), which is the layout the reference
encoder produces for a copied message.  Building never touches a segment, so
a small message costs a handful of attribute stores and one ``pack_into``.

Lists are described by small *spec* objects created once per list type at
module level: a reader spec turns a :class:`ListReader` into a typed sequence,
a writer spec appends a Python list to the output.
"""

from __future__ import annotations

import array
import math
import enum
import struct
import sys
from functools import partial
from itertools import chain
from typing import (
    Any,
    Callable,
    ClassVar,
    Dict,
    Generic,
    Iterable,
    Iterator,
    List,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
    cast,
    overload,
)

from ..errors import CapnpError, DecodeError, EncodeError, LimitError
from ..wire.framing import decode_flat, decode_message, encode_message, few_segments
from ..wire.layout import (
    FORMAT_ELEMENT_SIZE,
    ROOT_POINTER_CHARGE,
    AnyPointerReader,
    ListReader,
    MessageBuilder,
    MessageContext,
    MessageReader,
    StructReader,
    ascii_text_block,
)
from ..wire.packed import pack_message, unpack_frame_at
from ..wire.segments import (
    TRUSTED_NESTING_LIMIT,
    TRUSTED_TRAVERSAL_LIMIT_IN_WORDS,
    DEFAULT_NESTING_LIMIT,
    DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
    PYPY,
    Buffer,
    Segment,
    read_segment,
)

__all__ = [
    "CapnpEnum",
    "StructView",
    "BuilderBase",
    "RawPointer",
    "PointerValue",
    "MethodInfo",
    "ReadSpec",
    "WriteSpec",
    "PrimRead",
    "EnumRead",
    "VoidRead",
    "TextRead",
    "DataRead",
    "StructRead",
    "ListRead",
    "PointerRead",
    "CapRead",
    "PrimWrite",
    "BoolWrite",
    "VoidWrite",
    "TextWrite",
    "DataWrite",
    "StructWrite",
    "ListWrite",
    "PointerWrite",
    "CapWrite",
    "LazyList",
    "StructList",
    "serialize",
    "read_root",
    "default_struct",
    "default_list",
    "f32_from_bits",
    "f64_from_bits",
    "f32_bits",
    "f64_bits",
    "encode_error",
    "DEFAULT_TRAVERSAL_LIMIT_IN_WORDS",
    "DEFAULT_NESTING_LIMIT",
]

T = TypeVar("T")
R = TypeVar("R", bound="StructView")
B = TypeVar("B", bound="BuilderBase")

_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_F32 = struct.Struct("<f")
_F64 = struct.Struct("<d")
_TABLE = struct.Struct("<II")
_HEAD = struct.Struct("<IIII")  # a one-segment frame's table and root pointer halves
_LITTLE = sys.byteorder == "little"
# On PyPy, slicing a segment's bytes (``Segment.buf``) beats slicing its memoryview.
_PYPY = PYPY
# Framed messages up to this size are read from a bytes copy (see from_bytes).
_COPY_LIMIT = 1 << 20
_new = object.__new__


# --------------------------------------------------------------------------
# Floats with non-zero defaults are stored XORed at the bit level
# --------------------------------------------------------------------------


def f32_bits(value: float) -> int:
    try:
        bits: int = _U32.unpack(_F32.pack(value))[0]
    except (OverflowError, struct.error):  # beyond Float32's range: an infinity of its sign (see f32)
        bits = _U32.unpack(_F32.pack(f32(value)))[0]
    return bits


def f32(value: Any) -> Any:
    """``value`` for a Float32 slot: a finite value beyond the type's range becomes an infinity
    of its sign, which is what the layout core (and the reference) store; anything else is
    returned as it is, for ``struct`` to take or refuse.  Builders call it only after a pack
    failed, to try once more."""
    if type(value) is int:
        try:
            value = float(value)  # as every runtime does (struct's own conversion differs)
        except OverflowError:
            return value  # beyond any float: struct refuses it
    try:
        _F32.pack(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
    except (struct.error, TypeError, ValueError):
        pass
    return value


def f64_bits(value: float) -> int:
    bits: int = _U64.unpack(_F64.pack(value))[0]
    return bits


def f32_from_bits(bits: int) -> float:
    value: float = _F32.unpack(_U32.pack(bits))[0]
    return value


def f64_from_bits(bits: int) -> float:
    value: float = _F64.unpack(_U64.pack(bits))[0]
    return value


def encode_error(where: str, exc: Exception) -> EncodeError:
    """A value that ``struct`` refused to pack, reported with its struct name."""
    return EncodeError(f"{where}: a field value does not fit its type: {exc}")


# --------------------------------------------------------------------------
# Enums
# --------------------------------------------------------------------------


class CapnpEnum(enum.IntEnum):
    """Base of generated enums: a value the schema does not name still reads.

    Newer writers may use enumerants this schema lacks; instead of failing,
    such a value becomes a pseudo-member named ``UNKNOWN_<n>`` that compares
    equal to its number.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, int) and 0 <= value <= 0xFFFF:
            member = int.__new__(cls, value)
            member._name_ = f"UNKNOWN_{value}"
            member._value_ = value
            return member
        return None


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def _single_segment(data: Buffer) -> Optional[List[memoryview]]:
    """Fast path for the common one-segment frame; None means use the full decoder."""
    view = memoryview(data)
    if view.ndim != 1 or view.format != "B" or view.nbytes < 8:
        return None
    count, size = _TABLE.unpack_from(view, 0)
    if count != 0 or 8 + (size << 3) > view.nbytes:
        return None
    return [view[8:8 + (size << 3)]]


def read_root(
    segments: Sequence[Buffer],
    traversal_limit_in_words: int = DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
    nesting_limit: int = DEFAULT_NESTING_LIMIT,
) -> StructReader:
    msg = MessageReader(
        segments, traversal_limit_in_words=traversal_limit_in_words, nesting_limit=nesting_limit
    )
    return msg.root()


class StructView:
    """Base of generated readers: one object per struct, holding its coordinates.

    Generated properties read scalars straight from the segment's typed views
    and follow near pointers through the fast paths below; anything unusual
    (far pointers, defaults, malformed input) goes through the layout core,
    which checks it fully and raises :class:`DecodeError`.
    """

    __slots__ = ("_ctx", "_seg", "_d", "_n", "_p", "_c", "_k", "_v")

    # The struct's packed scalars (set by generated modules), which lets a
    # struct list unpack every element's scalars in one C-level pass.
    _SC: ClassVar[Optional[Scalars]] = None
    # How iteration over a list of these structs reads elements in advance (set by
    # generated modules): the loader, the data bytes and the pointers it needs.
    _LOAD: ClassVar[Optional[Tuple[Loader, int, int]]] = None

    def __init__(self, reader: StructReader) -> None:
        # message context: segments and traversal budget
        self._ctx: MessageContext = reader.context
        self._seg: Segment = reader.segment  # segment views, indexed directly
        self._d = reader.data_offset  # byte offset of the data section
        self._n = reader.data_size  # data section size in bytes (older writers: shorter)
        self._p = reader.pointer_offset  # word index of the pointer section
        self._c = reader.ptr_count  # pointers in the pointer section
        self._k = reader.nesting_left  # nesting levels left for pointers followed from here
        self._v: Optional[Tuple[Any, ...]] = None  # scalar fields, unpacked on first use

    @property
    def _r(self) -> StructReader:
        """The layout core's reader of the same struct (slow paths only)."""
        return StructReader(self._ctx, self._seg, self._d, self._n, self._p, self._c, self._k)

    @property
    def struct_reader(self) -> StructReader:
        """The untyped layout-level reader of this struct."""
        return self._r

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        """Pickled as this struct copied into a message of its own; unpickled by the same
        generated class's ``from_bytes`` (builders pickle as the Python objects they are).
        Capability pointers are copied as they are, without the capabilities."""
        mb = MessageBuilder()
        mb.set_root(self._r)
        cls = type(self)
        if issubclass(cls, ListElement):  # an element read in advance: its reader class
            cls = next(c for c in cls.__mro__ if issubclass(c, StructView)
                       and not issubclass(c, ListElement))
        return _unpickle_view, (cls, encode_message(mb.segments()))

    @classmethod
    def from_segments(
        cls: Type[R],
        segments: Sequence[Buffer],
        *,
        traversal_limit_in_words: int = DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = DEFAULT_NESTING_LIMIT,
    ) -> R:
        return _root(cls, segments, traversal_limit_in_words, nesting_limit)

    @classmethod
    def from_bytes(
        cls: Type[R],
        data: Buffer,
        *,
        traversal_limit_in_words: int = DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = DEFAULT_NESTING_LIMIT,
    ) -> R:
        """Read a framed message (segment table first); bytes after it are ignored."""
        kind = type(data)
        nbytes = len(data) if kind is bytes or kind is bytearray else 0
        if nbytes >= 16:
            # One-segment frame (the common case): no general frame decoder. The
            # root pointer comes as two 32-bit halves: small ints are cheaper.
            count, size, lo, hi = _HEAD.unpack_from(data, 0)
            end = 8 + (size << 3)
            if count == 0 and end <= nbytes:
                # A bytes copy of a message up to _COPY_LIMIT costs about what a view
                # does, and text then decodes from bytes slices at half the cost.
                body = (data[8:end] if kind is bytes and end <= _COPY_LIMIT
                        else memoryview(data)[8:end])
                # _segment_root inlined, with the root pointer already unpacked:
                # small messages spend most of their read time getting here.
                seg = read_segment(0, body)
                msg = MessageReader.from_segment(seg, traversal_limit_in_words, nesting_limit)
                # A struct pointer (kind 0, offset not negative) that is not null (the
                # dynamic API's from_bytes has the same checks: change both together).
                if lo & 0x80000003 == 0 and (lo or hi) and nesting_limit > 0:
                    start = 1 + (lo >> 2)
                    dw = hi & 0xFFFF
                    pc = hi >> 16
                    words = dw + pc
                    charge = words + ROOT_POINTER_CHARGE
                    if start + words <= size and charge <= traversal_limit_in_words:
                        msg.budget = traversal_limit_in_words - charge
                        v = _new(cls)
                        v._ctx = msg
                        v._seg = seg
                        v._d = start << 3
                        v._n = dw << 3
                        v._p = start + dw
                        v._c = pc
                        v._k = nesting_limit - 1
                        v._v = None
                        return v
                return cls(msg.root())
        segments: Optional[Sequence[Buffer]] = (
            few_segments(data, _COPY_LIMIT) if type(data) is bytes else None)
        if segments is not None:
            # A few segments (a large message from the reference builder), as bytes copies.
            return cls(read_root(segments, traversal_limit_in_words, nesting_limit))
        segments = _single_segment(data)
        if segments is None:
            segments = decode_message(data)
            if nbytes and nbytes <= _COPY_LIMIT:
                # Several segments: bytes copies too, for the same reason as above.
                segments = [bytes(s) for s in segments]
        return _root(cls, segments, traversal_limit_in_words, nesting_limit)

    @classmethod
    def from_flat_bytes(
        cls: Type[R],
        data: Buffer,
        *,
        traversal_limit_in_words: int = DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = DEFAULT_NESTING_LIMIT,
    ) -> R:
        """Read an unframed single-segment message."""
        return _root(cls, decode_flat(data), traversal_limit_in_words, nesting_limit)

    @classmethod
    def from_bytes_packed(
        cls: Type[R],
        data: Buffer,
        *,
        traversal_limit_in_words: int = DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = DEFAULT_NESTING_LIMIT,
    ) -> R:
        """Read a packed framed message; bytes after it are not read.

        As in the reference, a message larger than the traversal limit is
        refused from its segment table, before it is unpacked.
        """
        # Unpacked bytes take from_bytes's one-segment fast path: reading from
        # bytes slices is cheaper than from the memoryviews of a decoded frame.
        raw, _ = unpack_frame_at(data, max_message_words=traversal_limit_in_words)
        return cls.from_bytes(
            raw, traversal_limit_in_words=traversal_limit_in_words, nesting_limit=nesting_limit
        )


def _segment_root(cls: Type[R], view: Buffer, traversal: int, nesting: int) -> R:
    """The root of a one-segment message held by ``view``."""
    seg = read_segment(0, view)
    msg = MessageReader.from_segment(seg, traversal, nesting)
    size = seg.words
    if size:
        p = seg.u64[0]
        if p & _KIND_MASK == 0 and p and nesting > 0:
            start = 1 + ((p >> 2) & 0x3FFFFFFF)
            dw = (p >> 32) & 0xFFFF
            pc = p >> 48
            words = dw + pc
            # The root pointer is charged as MessageReader.root() charges it.
            charge = words + ROOT_POINTER_CHARGE
            if start + words <= size and charge <= traversal:
                msg.budget = traversal - charge
                # _make inlined: this runs once per message read.
                v = cls.__new__(cls)
                v._ctx = msg
                v._seg = seg
                v._d = start << 3
                v._n = dw << 3
                v._p = start + dw
                v._c = pc
                v._k = nesting - 1
                v._v = None
                return v
    return cls(msg.root())


def _root(cls: Type[R], segments: Sequence[Buffer], traversal: int, nesting: int) -> R:
    """The root struct of a message given as segments."""
    if len(segments) == 1:
        return _segment_root(cls, segments[0], traversal, nesting)
    return cls(read_root(segments, traversal, nesting))


class Scalars:
    """The unconditional scalar fields of a struct, unpacked together on first use."""

    __slots__ = ("st", "size", "ends", "zeros", "strides")

    def __init__(self, fmt: str, ends: Tuple[int, ...]) -> None:
        self.st = struct.Struct("<" + fmt)  # every field, with padding between
        self.size = self.st.size  # data bytes the fields need
        self.ends = ends  # end byte of each unpacked value
        self.zeros = self.st.unpack(bytes(self.size))  # what a missing field reads as
        self.strides: Dict[int, struct.Struct] = {}  # list stride -> one element's unpacker

    def rows(self, stride: int) -> struct.Struct:
        """The fields followed by padding to ``stride`` bytes (``stride >= size``)."""
        st = self.strides.get(stride)
        if st is None:
            st = self.strides[stride] = struct.Struct(f"{self.st.format}{stride - self.size}x")
        return st

    def read(self, view: StructView) -> Tuple[Any, ...]:
        n = view._n
        if n >= self.size:
            out: Tuple[Any, ...] = self.st.unpack_from(view._seg.b, view._d)
            return out
        # An older writer's shorter struct: fields past its end read as zero bits.
        d = view._d
        vals = self.st.unpack(view._seg.b[d:d + n].tobytes() + bytes(self.size - n))
        return tuple(v if e <= n else z for v, e, z in zip(vals, self.ends, self.zeros))


def _unpickle_view(cls: Type[R], data: bytes) -> R:
    return cls.from_bytes(data)


def _make(cls: Type[R], ctx: Any, seg: Segment, d: int, n: int, p: int, c: int, k: int) -> R:
    """A reader from raw coordinates, without an intermediate layout reader."""
    v = cls.__new__(cls)
    v._ctx = ctx
    v._seg = seg
    v._d = d
    v._n = n
    v._p = p
    v._c = c
    v._k = k
    v._v = None
    return v


def group(view: StructView, cls: Type[R]) -> R:
    """A group's reader: the same struct seen through another class."""
    return _make(cls, view._ctx, view._seg, view._d, view._n, view._p, view._c, view._k)


# Near pointers the fast paths take: the kind bits, and (for lists) the element
# size bits; bit 31 set would be a negative offset, which they leave to the core.
_KIND_SIZE_MASK = 0x700000003 | 0x80000000
_NEAR_BYTE_LIST = 0x200000001
_NEAR_PTR_LIST = 0x600000001
_NEAR_COMPOSITE = 0x700000001
_KIND_MASK = 0x80000003


def _far(ctx: Any, p: int) -> Optional[Tuple[Segment, int, int]]:
    """Where the single far pointer ``p`` lands: the pad's segment, its word index and the pad
    (a near pointer to the object, relative to the pad).  None for anything the fast paths
    leave to the layout core (a double-far pointer, an unknown segment, a pad out of bounds).

    Messages larger than their first segment reach about half their objects this way, so the
    fast paths follow it themselves rather than fall back.
    """
    if p & 4:
        return None
    segs = ctx._segments
    sid = p >> 32
    if sid >= len(segs):
        return None
    pseg: Segment = segs[sid]
    pad = (p >> 3) & 0x1FFFFFFF
    if pad >= pseg.words:
        return None
    return pseg, pad, pseg.u64[pad]


def text(view: StructView, i: int, default: str = "") -> str:
    """Text at pointer ``i`` of ``view``."""
    if i < view._c:
        seg = view._seg
        idx = view._p + i
        p = seg.u64[idx]
        pad = 0  # landing pad words, charged with the text as the core charges them
        if p & 3 == 2:
            far = _far(view._ctx, p)
            if far is None or far[2] & _KIND_SIZE_MASK != _NEAR_BYTE_LIST:
                return view._r.get_text(i, default)
            seg, idx, p = far
            pad = 1
        # A near byte list of at least one byte (the NUL).
        if p & _KIND_SIZE_MASK == _NEAR_BYTE_LIST and p >= 0x800000000:
            start = ((idx + 1) << 3) + ((p & 0x7FFFFFFC) << 1)
            n = p >> 35
            end = start + n - 1
            ctx = view._ctx
            w = ((n + 7) >> 3) + pad
            ctx.budget -= w
            b = seg.buf
            try:
                # Indexing past the segment raises, so this is also the bounds check.
                if type(b) is bytes:
                    # Slicing and decoding bytes costs half what a memoryview does.
                    if b[end] == 0 and ctx.budget >= 0:
                        return b[start:end].decode()
                else:
                    b = seg.b
                    if b[end] == 0 and ctx.budget >= 0:
                        return str(b[start:end], "utf-8")
            except (IndexError, UnicodeDecodeError):
                pass
            ctx.budget += w  # the core charges it again and reports the problem
        elif p == 0:
            return default
        return view._r.get_text(i, default)
    return default


def data(view: StructView, i: int, default: bytes = b"") -> bytes:
    """Data at pointer ``i`` of ``view``."""
    if i < view._c:
        seg = view._seg
        idx = view._p + i
        p = seg.u64[idx]
        if p == 0:
            return default
        if p & _KIND_SIZE_MASK == _NEAR_BYTE_LIST:
            start = (idx + 1 + ((p >> 2) & 0x3FFFFFFF)) << 3
            n = p >> 35
            words = (n + 7) >> 3
            ctx = view._ctx
            if start + n <= seg.words << 3 and ctx.budget >= words:
                ctx.budget -= words
                return seg.b[start:start + n].tobytes()
        return view._r.get_data(i, default)
    return default


def struct_field(view: StructView, i: int, cls: Type[R]) -> R:
    """The struct at pointer ``i`` (no schema default) as a ``cls`` reader."""
    if i < view._c:
        seg = view._seg
        idx = view._p + i
        p = seg.u64[idx]
        k = view._k
        if p & _KIND_MASK == 0 and p and k > 0:
            start = idx + 1 + ((p >> 2) & 0x3FFFFFFF)
            dw = (p >> 32) & 0xFFFF
            pc = p >> 48
            size = dw + pc
            ctx = view._ctx
            if start + size <= seg.words and ctx.budget >= size:
                ctx.budget -= size
                return _make(cls, ctx, seg, start << 3, dw << 3, start + dw, pc, k - 1)
    return cls(view._r.get_struct(i))


def prim_list(view: StructView, i: int, es: int, fmt: str, default: Optional[ListReader] = None
              ) -> List[Any]:
    """A list of numbers at pointer ``i``, written with element size ``es``."""
    if i < view._c and _LITTLE:
        seg = view._seg
        idx = view._p + i
        p = seg.u64[idx]
        pad = 0  # landing pad words, charged with the list as the core charges them
        if p & 3 == 2:
            far = _far(view._ctx, p)
            if far is not None:
                seg, idx, p = far  # anything but a near list there takes the core's path below
                pad = 1
        if p & _KIND_SIZE_MASK == (1 | (es << 32)) and view._k > 0:
            start = (idx + 1 + ((p >> 2) & 0x3FFFFFFF)) << 3
            n = p >> 35
            nbytes = n << _ES_SHIFT[es]
            words = ((nbytes + 7) >> 3) + pad
            ctx = view._ctx
            if start + nbytes <= seg.words << 3 and ctx.budget >= words:
                ctx.budget -= words
                if _PYPY:
                    # One precompiled unpack per element: the JIT compiles it to loads.
                    one = _ONE[fmt].unpack_from
                    b = seg.buf
                    w = nbytes // n if n else 1
                    return [one(b, at)[0] for at in range(start, start + nbytes, w)]
                if n <= _SHORT_LIST:
                    # A precompiled unpack: cheaper than slicing and casting a view.
                    return list(_SHORT_READ[fmt][n].unpack_from(seg.buf, start))
                out: List[Any] = seg.b[start:start + nbytes].cast(fmt).tolist()  # type: ignore[call-overload]
                return out
    return view._r.get_list(i, es, default).to_list(fmt)


_ONE = {f: struct.Struct("<" + f) for f in ("b", "B", "h", "H", "i", "I", "q", "Q", "f", "d")}
# Unpackers of 0 to 16 (_SHORT_LIST) elements of each format, by length.
_SHORT_READ = {f: [struct.Struct("<%d%s" % (n, f)) for n in range(17)] for f in _ONE}

# Byte width shift of the primitive element sizes 2..5 (bytes, 16, 32, 64 bits).
_ES_SHIFT = (0, 0, 0, 1, 2, 3, 0, 0)


_decode_bytes: Callable[[Any], str] = bytes.decode


def _decode_view(raw: Any) -> str:
    return str(raw, "utf-8")


def text_list(view: StructView, i: int) -> Sequence[str]:
    """A List(Text) at pointer ``i``, decoded in one pass."""
    if i < view._c:
        seg = view._seg
        idx = view._p + i
        u64 = seg.u64
        p = u64[idx]
        pad = 0  # landing pad words, charged with the list as the core charges them
        if p & 3 == 2:
            far = _far(view._ctx, p)
            if far is not None:
                seg, idx, p = far  # anything but a near list there takes the core's path below
                u64 = seg.u64
                pad = 1
        first = idx + 1 + ((p >> 2) & 0x3FFFFFFF)
        n = p >> 35
        if (p & _KIND_SIZE_MASK == _NEAR_PTR_LIST and view._k > 0
                and first + n <= seg.words):
            b = seg.buf
            decode = _decode_bytes
            if type(b) is not bytes:
                b = seg.b
                decode = _decode_view
            if n <= _SHORT_LIST:
                # The loaders' readers (unrolled up to 4 texts): the texts and their words,
                # or None for anything unusual, which the core then reads and reports.
                ctx = view._ctx
                try:
                    got = TEXT_LISTS[n](b, decode, first << 3, ctx.budget - pad)
                except (IndexError, UnicodeDecodeError, struct.error):
                    got = None
                if got is not None:
                    ctx.budget -= got[1] + pad
                    return got[0]
                lst = view._r.get_list(i, 6)
                return LazyList(lst, ListReader.get_text)
            out: List[str] = []
            append = out.append
            spent = n + pad  # the pointer words, then each text
            try:
                for idx in range(first, first + n):
                    p = u64[idx]
                    if p & _KIND_SIZE_MASK == _NEAR_BYTE_LIST and p >= 0x800000000:
                        start = ((idx + 1) << 3) + ((p & 0x7FFFFFFC) << 1)
                        m = p >> 35
                        end = start + m - 1
                        if b[end] != 0:  # raises IndexError past the segment
                            break
                        spent += (m + 7) >> 3
                        append(decode(b[start:end]))
                    elif p == 0:
                        append("")
                    else:
                        break
                else:
                    ctx = view._ctx
                    if ctx.budget >= spent:
                        ctx.budget -= spent
                        return out
            except (IndexError, UnicodeDecodeError):
                pass  # the core reports it with its position
    lst = view._r.get_list(i, 6)
    return LazyList(lst, ListReader.get_text)


def struct_list(view: StructView, i: int, cls: Type[R]) -> StructList[R]:
    """A List(struct) at pointer ``i`` as a lazy sequence of ``cls`` readers."""
    if i < view._c:
        seg = view._seg
        idx = view._p + i
        p = seg.u64[idx]
        k = view._k
        if p & _KIND_SIZE_MASK == _NEAR_COMPOSITE and k > 0:
            start = idx + 1 + ((p >> 2) & 0x3FFFFFFF)
            words = p >> 35
            ctx = view._ctx
            if start + 1 + words <= seg.words and ctx.budget >= words + 1:
                tag = seg.u64[start]
                count = (tag >> 2) & 0x3FFFFFFF
                dw = (tag >> 32) & 0xFFFF
                pc = tag >> 48
                wpe = dw + pc
                if tag & 3 == 0 and count * wpe <= words and wpe:
                    ctx.budget -= words + 1
                    # The list is one level below the struct, its elements one more.
                    return StructList(cls, ctx, seg, (start + 1) << 3, count, wpe << 3,
                                      dw << 3, pc, k - 2)
    lst = view._r.get_list(i, 7)
    return StructList.of(lst, cls)


# --------------------------------------------------------------------------
# Struct list elements read in advance (the generated loaders' helpers)
# --------------------------------------------------------------------------

Loader = Callable[["StructList[Any]", int, int], List[Any]]
# Elements a loader reads at a time: iteration that stops early wastes at most this many.
_CHUNK = 128
_ROW_STRUCTS: Dict[Tuple[str, int, int, int], struct.Struct] = {}
# A pointer word as two 32-bit halves (low first): small ints are cheaper to compute.
_PAIR = struct.Struct("<II")


new_view: Callable[[Type[R]], R] = _new  # an uninitialised reader (loaders set its slots)


def short_reads(fmt: str) -> List[struct.Struct]:
    """Unpackers of 0 to 16 elements of format ``fmt``, by length."""
    return _SHORT_READ[fmt]


def _row_struct(fmt: str, nptrs: int, dsize: int, stride: int) -> struct.Struct:
    """One element's row: the scalars ``fmt`` unpacks, the first ``nptrs`` pointers as
    32-bit halves, padding to ``stride``."""
    key = (fmt, nptrs, dsize, stride)
    st = _ROW_STRUCTS.get(key)
    if st is None:
        size = struct.calcsize("<" + fmt)
        st = struct.Struct(f"<{fmt}{dsize - size}x{2 * nptrs}I{stride - dsize - 8 * nptrs}x")
        if len(_ROW_STRUCTS) < 1024:
            _ROW_STRUCTS[key] = st
    return st


class ListElement(StructView):
    """Base of loaded list elements (see the generated loaders) whose every field is a
    slot: the element keeps its list and its data offset, and takes the coordinates only
    slow paths use from the list."""

    __slots__ = ("_l", "_q")
    _l: StructList[Any]  # the list
    _q: int  # byte offset of the pointer section

    # Made by calling the class with no arguments (cheaper than object.__new__); the loader
    # sets every slot.
    __init__ = object.__init__

    @property
    def _d(self) -> int:  # type: ignore[override]
        return self._q - self._l._dsize

    @property
    def _ctx(self) -> MessageContext:  # type: ignore[override]
        ctx: MessageContext = self._l._ctx
        return ctx

    @property
    def _seg(self) -> Segment:  # type: ignore[override]
        return self._l._seg

    @property
    def _n(self) -> int:  # type: ignore[override]
        return self._l._dsize

    @property
    def _p(self) -> int:  # type: ignore[override]
        return self._q >> 3

    @property
    def _c(self) -> int:  # type: ignore[override]
        return self._l._pc

    @property
    def _k(self) -> int:  # type: ignore[override]
        return self._l._k

    @property
    def _v(self) -> Optional[Tuple[Any, ...]]:
        return None  # every scalar is a slot: nothing needs the row

    @_v.setter
    def _v(self, value: Optional[Tuple[Any, ...]]) -> None:
        pass


def plain_rest(lst: StructList[Any], out: List[Any], start: int, stop: int) -> List[Any]:
    """A loader's end when element ``start`` cannot be read ahead: it and the rest of the
    list become plain readers (``out`` holds the elements before it), read and charged when
    used.  Reading on ahead past it would charge later elements before it, where indexing
    charges it first: once its fields exhaust the traversal budget, the two would no longer
    read the same values."""
    lst._ahead = False
    out.extend(lst[start:stop])
    return out


def plain(lst: StructList[Any], d: int) -> Any:
    """The element of ``lst`` at byte ``d`` as a plain reader, which reads each field when
    used (a loader's fallback for an element it cannot read in advance)."""
    n = lst._dsize
    return _make(lst._cls, lst._ctx, lst._seg, d, n, (d + n) >> 3, lst._pc, lst._k)


def eager(view: StructView, base: type, name: str, budget: int) -> int:
    """Fill slot ``name`` through ``base``'s property, charging the traversal budget
    (``budget`` is the loader's running copy; returns it updated).  A value the property
    refuses raises its DecodeError, with ``ctx.budget`` as the property left it; so does a
    List(Text) the property could only give lazily (its texts charged as they are read):
    read ahead, its later fields would be charged before those texts, as indexing does not."""
    ctx = view._ctx
    ctx.budget = budget
    got = base.__dict__[name].__get__(view, base)
    if type(got) is LazyList:
        raise DecodeError(f"{name}: read when used, as a plain reader reads it")
    setattr(view, name, got)
    left: int = ctx.budget
    return left


def fill(view: StructView, ctx: MessageContext, base: type, name: str, lo: int, hi: int,
         how: str, budget: int) -> int:
    """Fill slot ``name`` from a pointer the loader's inline code did not take (given as
    32-bit halves): a single far pointer to a value ``how`` describes (see
    :func:`_near_value`) directly, anything else through :func:`eager`."""
    if lo & 7 == 2:  # a far pointer to a one-word landing pad
        segs = ctx._segments
        if hi < len(segs):
            b = segs[hi].buf
            pad = (lo >> 3) << 3  # the landing pad's byte offset
            if type(b) is bytes and pad + 8 <= len(b):
                plo, phi = _PAIR.unpack_from(b, pad)
                if plo & 3 == 1 and plo < 0x80000000:  # a near list pointer, forwards
                    try:
                        got = _near_value(b, _decode_bytes, pad + 6 + (plo << 1), phi, how,
                                          budget - 1)
                    except (IndexError, UnicodeDecodeError, struct.error):
                        got = None
                    # The landing pad's word is charged with the value, as the core does.
                    if got is not None and budget >= got[1] + 1:
                        setattr(view, name, got[0])
                        budget -= got[1] + 1
                        return budget
    return eager(view, base, name, budget)


def _near_value(b: Any, dec: Callable[[Any], str], at: int, hi: int, how: str, budget: int
                ) -> Optional[Tuple[Any, int]]:
    """The value of a near list pointer whose target is at byte ``at`` of ``b`` and whose
    upper half is ``hi``, and the words it takes: ``how`` is "text", "data", "texts" (a
    List(Text)) or a struct letter (a list of numbers).  None for anything larger than the
    loaders read inline (the property then checks the budget before reading it); a List(Text)
    is not decoded when its words exceed ``budget``."""
    n = hi >> 3
    es = hi & 7
    if how == "text" or how == "data":
        if es != 2 or n > 4096:
            return None
        end = at + n
        if end > len(b):
            return None
        words = (n + 7) >> 3
        if how == "data":
            return bytes(b[at:end]), words
        if not n or b[end - 1]:
            return None
        return dec(b[at:end - 1]), words
    if how == "texts":
        return TEXT_LISTS[n](b, dec, at, budget) if es == 6 and n <= _SHORT_LIST else None
    one = _ONE[how]
    if es != FORMAT_ELEMENT_SIZE[how] or n > _SHORT_LIST:
        return None
    nbytes = n * one.size
    if at + nbytes > len(b):
        return None
    return list(_SHORT_READ[how][n].unpack_from(b, at)), (nbytes + 7) >> 3


def texts(b: Any, dec: Callable[[Any], str], first: int, budget: int, count: int
          ) -> Optional[Tuple[List[str], int]]:
    """A List(Text) at byte ``first`` of ``b``: the texts and the words they take, or None
    unless every element is a near text inside ``b`` and the words fit in ``budget`` (which
    is checked before each text is decoded); IndexError if ``b`` ends first."""
    out: List[str] = []
    append = out.append
    words = count  # the pointer words, then each text
    at = first - 2  # (the target of a pointer at byte P is P + 6 + 2 * its low half)
    if words > budget or first + (count << 3) > len(b):
        return None
    it = iter(_HALVES[count].unpack_from(b, first))  # (callers read 16 texts at most)
    for lo, hi in zip(it, it):
        at += 8
        if lo & 0x80000003 == 1 and hi & 7 == 2 and hi > 7:
            words += (hi + 56) >> 6
            if words > budget:  # before anything is read, as the unrolled readers do
                return None
            s = at + (lo << 1)
            e = s + (hi >> 3) - 1
            if b[e]:  # not NUL-terminated (or past the end: IndexError)
                return None
            append(dec(b[s:e]))
        elif lo == 0 and hi == 0:
            append("")
        else:
            return None
    return out, words


# A List(Text) of 1 to 4 texts is read without a loop when every element is a non-empty
# near text pointing forwards (what builders write): each text costs a few additions, one
# NUL test and one decode.  Anything else (null elements, other pointers) goes to texts().
# The pointer words and the texts must lie inside ``b``: struct.error or IndexError if not.
# Nothing is decoded unless the words fit in ``budget``.  (Generated list loaders inline the
# same reads: see ``load_texts`` in the generator.)
#
# With x = hi - 10 for an upper half hi = 8 * bytes + 2, a text of at least one byte has
# x >= 0 and x & 7 == 0 (both tested at once by x & -0xFFFFFFF9 == 0, for hi below 2**32);
# its last byte (the NUL) is at start + (x >> 3) and it takes (x >> 6) + 1 words.

TextsReader = Callable[[Any, Callable[[Any], str], int, int], Optional[Tuple[List[str], int]]]
_SHORT_LIST = 16
# Packers of up to _SHORT_LIST pointer words given as 32-bit halves.
_HALVES = tuple(struct.Struct("<%dI" % (2 * n)) for n in range(_SHORT_LIST + 1))
_H1, _H2, _H3, _H4 = _HALVES[1:5]


def _texts1(b: Any, dec: Callable[[Any], str], first: int, budget: int
            ) -> Optional[Tuple[List[str], int]]:
    lo0, hi0 = _H1.unpack_from(b, first)
    x0 = hi0 - 10
    # a list (kind 1) forwards (sign bit clear); bytes (size code 2), at least the NUL
    if not ((lo0 ^ 1) & 0x80000003 or x0 & -0xFFFFFFF9):
        w = 2 + (x0 >> 6)
        s0 = first + 6 + (lo0 << 1)
        e0 = s0 + (x0 >> 3)
        if w <= budget and not b[e0]:
            return [dec(b[s0:e0])], w
        return None  # (texts() would give None too)
    return texts(b, dec, first, budget, 1)


def _texts2(b: Any, dec: Callable[[Any], str], first: int, budget: int
            ) -> Optional[Tuple[List[str], int]]:
    lo0, hi0, lo1, hi1 = _H2.unpack_from(b, first)
    x0 = hi0 - 10
    x1 = hi1 - 10
    # The tests of _texts1 for all elements at once.
    if not (((lo0 ^ 1) | (lo1 ^ 1)) & 0x80000003 or (x0 | x1) & -0xFFFFFFF9):
        w = 4 + (x0 >> 6) + (x1 >> 6)
        s0 = first + 6 + (lo0 << 1)
        e0 = s0 + (x0 >> 3)
        s1 = first + 14 + (lo1 << 1)
        e1 = s1 + (x1 >> 3)
        if w <= budget and not (b[e0] or b[e1]):
            return [dec(b[s0:e0]), dec(b[s1:e1])], w
        return None  # (texts() would give None too)
    return texts(b, dec, first, budget, 2)


def _texts3(b: Any, dec: Callable[[Any], str], first: int, budget: int
            ) -> Optional[Tuple[List[str], int]]:
    lo0, hi0, lo1, hi1, lo2, hi2 = _H3.unpack_from(b, first)
    x0 = hi0 - 10
    x1 = hi1 - 10
    x2 = hi2 - 10
    if not (((lo0 ^ 1) | (lo1 ^ 1) | (lo2 ^ 1)) & 0x80000003 or (x0 | x1 | x2) & -0xFFFFFFF9):
        w = 6 + (x0 >> 6) + (x1 >> 6) + (x2 >> 6)
        s0 = first + 6 + (lo0 << 1)
        e0 = s0 + (x0 >> 3)
        s1 = first + 14 + (lo1 << 1)
        e1 = s1 + (x1 >> 3)
        s2 = first + 22 + (lo2 << 1)
        e2 = s2 + (x2 >> 3)
        if w <= budget and not (b[e0] or b[e1] or b[e2]):
            return [dec(b[s0:e0]), dec(b[s1:e1]), dec(b[s2:e2])], w
        return None  # (texts() would give None too)
    return texts(b, dec, first, budget, 3)


def _texts4(b: Any, dec: Callable[[Any], str], first: int, budget: int
            ) -> Optional[Tuple[List[str], int]]:
    lo0, hi0, lo1, hi1, lo2, hi2, lo3, hi3 = _H4.unpack_from(b, first)
    x0 = hi0 - 10
    x1 = hi1 - 10
    x2 = hi2 - 10
    x3 = hi3 - 10
    if not (((lo0 ^ 1) | (lo1 ^ 1) | (lo2 ^ 1) | (lo3 ^ 1)) & 0x80000003
            or (x0 | x1 | x2 | x3) & -0xFFFFFFF9):
        w = 8 + (x0 >> 6) + (x1 >> 6) + (x2 >> 6) + (x3 >> 6)
        s0 = first + 6 + (lo0 << 1)
        e0 = s0 + (x0 >> 3)
        s1 = first + 14 + (lo1 << 1)
        e1 = s1 + (x1 >> 3)
        s2 = first + 22 + (lo2 << 1)
        e2 = s2 + (x2 >> 3)
        s3 = first + 30 + (lo3 << 1)
        e3 = s3 + (x3 >> 3)
        if w <= budget and not (b[e0] or b[e1] or b[e2] or b[e3]):
            return [dec(b[s0:e0]), dec(b[s1:e1]), dec(b[s2:e2]), dec(b[s3:e3])], w
        return None  # (texts() would give None too)
    return texts(b, dec, first, budget, 4)


# Readers of a List(Text) of 0 to 16 (_SHORT_LIST) texts at byte ``first`` of ``b``, by
# count, as :func:`texts` reads them: the texts and the words they take, or None (the unrolled
# ones raise struct.error where texts gives None for pointer words past the end).
TEXT_LISTS: Tuple[TextsReader, ...] = (
    (partial(texts, count=0), _texts1, _texts2, _texts3, _texts4)
    + tuple(partial(texts, count=n) for n in range(5, 17)))


def _trusted_root(data: bytes) -> StructReader:
    msg = MessageReader(
        [data], traversal_limit_in_words=TRUSTED_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit=TRUSTED_NESTING_LIMIT,
    )
    return msg.root()


def default_struct(data: bytes) -> StructReader:
    """The struct held by pointer 0 of an embedded (generated) default message."""
    return _trusted_root(data).get_struct(0)


def default_list(data: bytes, element_size: int) -> ListReader:
    """The list held by pointer 0 of an embedded default message."""
    return _trusted_root(data).get_list(0, element_size)


def default_pointer(data: bytes) -> AnyPointerReader:
    return _trusted_root(data).get_pointer(0)


class ReadSpec(Generic[T]):
    """How to turn a list (read with element size ``es``) into a Python value."""

    __slots__ = ("es",)

    def __init__(self, es: int) -> None:
        self.es = es  # expected element size code (wire.ELEM_*)

    def read(self, lst: ListReader) -> T:
        raise NotImplementedError


class PrimRead(ReadSpec[Sequence[T]]):
    """Numbers and bools: materialised in bulk by the layout core."""

    __slots__ = ("fmt",)

    def __init__(self, fmt: str, es: int) -> None:
        super().__init__(es)
        self.fmt = fmt  # struct format letter, or "?" for bools

    def read(self, lst: ListReader) -> Sequence[T]:
        return cast(Sequence[T], lst.to_list(self.fmt))


class EnumRead(ReadSpec[Sequence[T]]):
    __slots__ = ("members", "enum")

    def __init__(self, members: Tuple[T, ...], enum_type: Callable[[int], T]) -> None:
        super().__init__(3)
        self.members = members  # enumerants by value
        self.enum = enum_type  # for values without an enumerant

    def read(self, lst: ListReader) -> Sequence[T]:
        return self.convert(cast(List[int], lst.to_list("H")))

    def convert(self, values: List[int]) -> List[T]:
        """Enumerants for raw values (unknown ones become pseudo-members)."""
        members = self.members
        n = len(members)
        conv = self.enum
        return [members[v] if v < n else conv(v) for v in values]


class VoidRead(ReadSpec[Sequence[None]]):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(0)

    def read(self, lst: ListReader) -> Sequence[None]:
        return [None] * len(lst)


class LazyList(Sequence[T]):
    """A list of pointers, converted element by element on access."""

    __slots__ = ("_l", "_get")

    def __init__(self, lst: ListReader, get: Callable[[ListReader, int], T]) -> None:
        self._l = lst
        self._get = get  # converts element i

    def __len__(self) -> int:
        return len(self._l)

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> List[T]: ...

    def __getitem__(self, i: Union[int, slice]) -> Union[T, List[T]]:
        if isinstance(i, slice):
            return [self._get(self._l, j) for j in range(*i.indices(len(self._l)))]
        return self._get(self._l, i)

    def __iter__(self) -> Iterator[T]:
        get = self._get
        lst = self._l
        for i in range(len(lst)):
            yield get(lst, i)

    def __repr__(self) -> str:
        return repr(list(self))


class StructList(Sequence[R]):
    """A list of structs; element ``i`` is a typed reader created on access."""

    __slots__ = ("_cls", "_ctx", "_seg", "_base", "_count", "_stride", "_dsize", "_pc", "_k",
                 "_ahead")

    def __init__(self, cls: Type[R], ctx: Any, seg: Segment, base: int, count: int,
                 stride: int, dsize: int, pc: int, nest: int) -> None:
        self._cls = cls  # reader class of the elements
        self._ctx = ctx  # message context
        self._seg = seg  # segment holding the elements
        self._base = base  # byte offset of element 0
        self._count = count  # number of elements
        self._stride = stride  # bytes from one element to the next
        self._dsize = dsize  # data section bytes of each element
        self._pc = pc  # pointers of each element
        # Nesting levels left for the elements' pointers: an element is one level below
        # its list, so at -1 (a list read with no level left) no element can be read.
        self._k = nest
        # Whether iterating may read elements ahead (see plain_rest): no longer once an
        # element could not be.
        self._ahead = True

    @classmethod
    def of(cls, lst: ListReader, reader: Type[R]) -> StructList[R]:
        """The typed view of a list the layout core has already checked."""
        return cls(reader, lst.context, lst.segment, lst.data_offset, len(lst),
                   lst.step_bits >> 3, lst.data_bits_per_element >> 3, lst.ptrs_per_element,
                   lst.nesting_left - 1)

    def __len__(self) -> int:
        return self._count

    def _too_deep(self) -> LimitError:
        return LimitError("message is too deeply nested or contains cycles",
                          segment=self._seg.id, offset=self._base >> 3)

    def _at(self, i: int) -> R:
        if self._k < 0:
            raise self._too_deep()
        d = self._base + i * self._stride
        n = self._dsize
        return _make(self._cls, self._ctx, self._seg, d, n, (d + n) >> 3, self._pc, self._k)

    @overload
    def __getitem__(self, i: int) -> R: ...

    @overload
    def __getitem__(self, i: slice) -> List[R]: ...

    def __getitem__(self, i: Union[int, slice]) -> Union[R, List[R]]:
        if isinstance(i, slice):
            return [self._at(j) for j in range(*i.indices(self._count))]
        n = self._count
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"list index {i} out of range for {n} elements")
        return self._at(i)

    def rows(self, start: int, stop: int, fmt: str, nptrs: int
             ) -> Tuple[Any, Callable[[Any], str], int, Iterable[Tuple[Any, ...]]]:
        """For a generated loader: the segment's bytes (bytes or a byte view), the text
        decoder that suits them, element ``start``'s byte offset and the rows of elements
        ``start`` to ``stop`` (see :func:`_row_struct`)."""
        seg = self._seg
        stride = self._stride
        st = _row_struct(fmt, nptrs, self._dsize, stride)
        d = self._base + start * stride
        end = self._base + stop * stride
        b = seg.buf
        dec = _decode_bytes
        if type(b) is not bytes:
            b = seg.b
            dec = _decode_view
        return b, dec, d, st.iter_unpack(seg.b[d:end])

    def __iter__(self) -> Iterator[R]:
        load = self._cls._LOAD  # (a list too deep to read takes _lazy_iter, which refuses it)
        if load is not None and self._stride and self._k > 0 and self._ahead:
            fn, dsize, nptrs = load
            if self._dsize >= dsize and self._pc >= nptrs and self._room_to_read_ahead():
                count = self._count
                if count <= _CHUNK:
                    return iter(fn(self, 0, count))
                return chain.from_iterable(
                    fn(self, i, min(i + _CHUNK, count)) if self._ahead
                    else self[i:min(i + _CHUNK, count)]
                    for i in range(0, count, _CHUNK))
        return self._lazy_iter()

    def _room_to_read_ahead(self) -> bool:
        """Reading ahead charges the traversal budget for fields the caller may never read,
        so it is done only while the budget could pay for the whole message twice: after it
        the message can still be read once more, in any order, as it could lazily."""
        ctx = self._ctx
        segs = ctx._segments
        # (one segment, the usual case, without a loop; the context has no slot to keep it in)
        nbytes = len(segs[0].b) if len(segs) == 1 else sum(len(seg.b) for seg in segs)
        budget: int = ctx.budget
        return budget >= nbytes >> 2  # two words per eight bytes

    def _lazy_iter(self) -> Iterator[R]:
        if self._k < 0 and self._count:
            raise self._too_deep()
        # _make inlined: this loop runs once per element of every struct list read.
        cls = self._cls
        new = cls.__new__
        ctx, seg, n, pc, k = self._ctx, self._seg, self._dsize, self._pc, self._k
        stride = self._stride
        base = self._base
        if not stride:
            # Zero-sized elements all sit at the base.
            for _ in range(self._count):
                yield self._at(0)
            return
        end = base + self._count * stride
        sc = cls._SC
        if sc is not None and n >= sc.size and not _PYPY:
            # Every element's scalars in one iter_unpack over the list's bytes
            # (PyPy's JIT does better with the per-element unpack).
            rows = sc.rows(stride).iter_unpack(seg.b[base:end])
            for d, row in zip(range(base, end, stride), rows):
                v = new(cls)
                v._ctx = ctx
                v._seg = seg
                v._d = d
                v._n = n
                v._p = (d + n) >> 3
                v._c = pc
                v._k = k
                v._v = row
                yield v
            return
        for d in range(base, end, stride):
            v = new(cls)
            v._ctx = ctx
            v._seg = seg
            v._d = d
            v._n = n
            v._p = (d + n) >> 3
            v._c = pc
            v._k = k
            v._v = None
            yield v

    if _PYPY:
        # PyPy's JIT compiles the lazy readers into plain loads when the loop runs the
        # generator itself; reading ahead only adds work there.
        __iter__ = _lazy_iter

    def __repr__(self) -> str:
        return f"StructList({self._cls.__name__}, {self._count} elements)"


def _get_pointer(lst: ListReader, i: int) -> AnyPointerReader:
    return lst.get_pointer(i)


def _get_cap(lst: ListReader, i: int) -> Optional[int]:
    return lst.get_capability(i)


class TextRead(ReadSpec[Sequence[str]]):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(6)

    def read(self, lst: ListReader) -> Sequence[str]:
        return LazyList(lst, ListReader.get_text)


class DataRead(ReadSpec[Sequence[bytes]]):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(6)

    def read(self, lst: ListReader) -> Sequence[bytes]:
        return LazyList(lst, ListReader.get_data)


class PointerRead(ReadSpec[Sequence[AnyPointerReader]]):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(6)

    def read(self, lst: ListReader) -> Sequence[AnyPointerReader]:
        return LazyList(lst, _get_pointer)


class CapRead(ReadSpec[Sequence[Optional[int]]]):
    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(6)

    def read(self, lst: ListReader) -> Sequence[Optional[int]]:
        return LazyList(lst, _get_cap)


class StructRead(ReadSpec["StructList[R]"]):
    __slots__ = ("cls",)

    def __init__(self, cls: Type[R]) -> None:
        super().__init__(7)
        self.cls = cls

    def read(self, lst: ListReader) -> StructList[R]:
        return StructList.of(lst, self.cls)


class ListRead(ReadSpec[Sequence[T]]):
    """A list of lists: each element read with the inner spec."""

    __slots__ = ("inner",)

    def __init__(self, inner: ReadSpec[T]) -> None:
        super().__init__(6)
        self.inner = inner

    def _element(self, lst: ListReader, i: int) -> T:
        inner = self.inner
        return inner.read(lst.get_list(i, inner.es))

    def read(self, lst: ListReader) -> Sequence[T]:
        return LazyList(lst, self._element)


# --------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------


class BuilderBase:
    """Base of generated builders: field values held in slots, laid out on demand."""

    __slots__ = ()

    _DW: ClassVar[int] = 0  # data words
    _PC: ClassVar[int] = 0  # pointers
    _HI: ClassVar[int] = 0  # upper half of a struct pointer to this struct
    _ZERO: ClassVar[bytes] = b""  # an empty struct body of this size

    def _write(self, buf: bytearray, at: int) -> None:
        """Fill the body at byte ``at`` (already zeroed) and append pointer targets."""
        raise NotImplementedError

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        """Fill consecutive bodies from byte ``at`` (generated classes inline this loop)."""
        step = (cls._DW + cls._PC) << 3
        for v in values:
            if type(v) is not cls:
                raise element_type_error(cls, v)
            v._write(buf, at)
            at += step

    def to_segments(self) -> List[bytes]:
        """The message as its (single) segment."""
        return [bytes(serialize(self, False))]

    def to_bytes(self) -> bytes:
        """The message framed for a stream (segment table first)."""
        return bytes(serialize(self, True))

    def to_flat_bytes(self) -> bytes:
        """The message without a segment table."""
        return bytes(serialize(self, False))

    def to_bytes_packed(self) -> bytes:
        return pack_message([serialize(self, False)])


def serialize(root: BuilderBase, framed: bool) -> bytearray:
    """Lay out ``root`` and everything it points to as one segment."""
    try:
        if framed:
            buf = bytearray(16)
            write_struct(buf, 8, root)
            _TABLE.pack_into(buf, 0, 0, (len(buf) - 8) >> 3)
        else:
            buf = bytearray(8)
            write_struct(buf, 0, root)
    except (TypeError, AttributeError) as exc:
        if isinstance(exc, CapnpError):
            raise
        # A field holding a value of another kind (a number where a list goes, ...) that
        # no check on the way caught: the writers assume the declared types.
        raise EncodeError(f"a field holds a value of the wrong type: {exc}") from exc
    return buf


def write_struct(buf: bytearray, ptr: int, value: BuilderBase) -> None:
    """Append ``value`` and point the word at byte ``ptr`` to it."""
    zero = value._ZERO
    if not zero:
        # The reference's zero-sized struct: offset -1, nothing allocated.
        _U64.pack_into(buf, ptr, 0xFFFFFFFC)
        return
    at = len(buf)
    buf += zero
    # Targets always follow their pointers, so the offset is never negative.
    _U64.pack_into(buf, ptr, ((at - ptr - 8) >> 1) | value._HI)
    value._write(buf, at)


def write_struct_of(buf: bytearray, ptr: int, value: BuilderBase, cls: type, where: str) -> None:
    """:func:`write_struct` for a field of struct type ``cls``: a builder of another struct
    would be written as if it were one of these."""
    if type(value) is not cls:
        raise struct_type_error(where, cls, value)
    write_struct(buf, ptr, value)


def _list_pointer(buf: bytearray, ptr: int, at: int, es: int, count: int) -> None:
    _U64.pack_into(buf, ptr, ((at - ptr - 8) >> 1) | 1 | (es << 32) | (count << 35))


_NUL_PADS = tuple(bytes(8 - k) for k in range(8))


def _pad(buf: bytearray) -> None:
    rem = len(buf) & 7
    if rem:
        buf += bytes(8 - rem)


def put_text(buf: bytearray, end: int, value: str) -> None:
    """Append text ``value`` (NUL-terminated, padded) for a list of texts.

    Its pointer is the zero word ending at byte ``end`` of ``buf``, filled in
    here. Generated builders call it on PyPy, whose JIT inlines the call.
    """
    try:
        raw = value.encode()
    except (AttributeError, UnicodeEncodeError):
        raise text_error(value, "List(Text) element") from None
    k = len(raw)
    start = len(buf)
    buf += raw
    buf += _NUL_PADS[k & 7]
    # Word offset * 4 | list kind 1; byte elements (code 2), k + 1 of them.
    _PAIR.pack_into(buf, end - 8, ((start - end) >> 1) | 1, (k << 3) + 10)


def text_type_error(value: object) -> EncodeError:
    return EncodeError(f"text must be str, not {type(value).__name__}")


def text_error(value: object, where: str) -> EncodeError:
    """What is wrong with ``value``, which ``.encode()`` refused, as text for ``where``."""
    if not isinstance(value, str):
        return EncodeError(f"{where}: text must be str, not {type(value).__name__}")
    try:
        value.encode()
    except UnicodeEncodeError as exc:  # lone surrogates
        return EncodeError(f"{where}: text cannot be encoded as UTF-8: {exc.reason} "
                           f"(character {exc.start})")
    return EncodeError(f"{where}: text cannot be encoded as UTF-8")


def bool_bit(value: object, mask: int, where: str, inverted: bool = False) -> int:
    """``mask`` or 0 for a Bool field holding neither True nor False: an integer counts by
    its truth value (as the dynamic API takes it); anything else is refused."""
    if isinstance(value, int):
        return mask if bool(value) is not inverted else 0
    raise EncodeError(f"{where}: expected a bool, got {type(value).__name__}")


def not_a_list(value: object, where: str) -> EncodeError:
    return EncodeError(f"{where}: expected a list, got {type(value).__name__}")


def text_list_value(value: Any, where: str) -> Any:
    """A List(Text) field's value that is not a plain list, as it is to be written: None
    (null) for an empty list a getter gave; a str is refused."""
    if isinstance(value, str):  # (its characters would be taken for the texts)
        raise not_a_list(value, where)
    if type(value) is UnsetList and not value:
        return None
    return value


def struct_type_error(where: str, cls: type, value: object) -> EncodeError:
    return EncodeError(f"{where}: expected {cls.__name__}, got {type(value).__name__}")


class UnsetList(List[T]):
    """The empty list a builder's getter gives for a list field not set yet.

    Written as a null pointer while it stays empty, so reading a field does not change
    the message (the reference also reads an unset list as empty and leaves it null);
    once filled it is written as any list.  Assigning ``[]`` writes an empty list.
    """

    __slots__ = ()


def inactive_member(name: str, active: object) -> EncodeError:
    """Reaching into a union member's group that is not the one set (its values would be lost)."""
    return EncodeError(f"{name} is not the union's active member ({active} is); "
                       f"init_{name}() selects it")


def element_type_error(cls: type, value: object) -> EncodeError:
    return EncodeError(f"list element must be {cls.__name__}, not {type(value).__name__}")


NUL_PADS = _NUL_PADS
U64 = _U64


def write_text(buf: bytearray, ptr: int, text: str) -> None:
    try:
        raw = text.encode("utf-8")
    except (AttributeError, UnicodeEncodeError):
        raise text_error(text, "Text value") from None
    at = len(buf)
    n = len(raw)
    buf += raw
    buf += _NUL_PADS[n & 7]  # the NUL plus padding to a word
    # Inlined list pointer: byte elements (size code 2), n + 1 of them.
    _U64.pack_into(buf, ptr, ((at - ptr - 8) >> 1) | 0x200000001 | ((n + 1) << 35))


def write_data(buf: bytearray, ptr: int, data: bytes) -> None:
    at = len(buf)
    n = append_data(buf, data)
    _list_pointer(buf, ptr, at, 2, n)


def append_data(buf: bytearray, data: bytes) -> int:
    """Append ``data`` padded to a word; returns its length in bytes."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise EncodeError(f"data must be bytes-like, not {type(data).__name__}")
    at = len(buf)
    buf += data
    n = len(buf) - at
    _pad(buf)
    return n


def append_texts(buf: bytearray, values: List[str]) -> None:
    """Append a List(Text)'s body: its pointer words, then each text in order."""
    # PyPy: joining the texts costs more than appending them one by one.
    if not _PYPY:
        block = ascii_text_block(values)  # the common case: ASCII str values
        if block is not None:
            buf += block
            return
    _append_any_texts(buf, values)


# NULs that end a text of length ``k`` (mod 8) and pad it to a word, as str.
_NUL_STRS = tuple("\0" * (8 - k) for k in range(8))


def _append_any_texts(buf: bytearray, values: List[str]) -> None:
    end = len(buf) + 8  # end of the current element's pointer word
    buf += bytes(len(values) << 3)
    for value in values:
        put_text(buf, end, value)
        end += 8


def pack_halves(buf: bytearray, at: int, n: int, halves: List[int]) -> None:
    """Store ``n`` pointer words, given as 32-bit halves (low first), at byte ``at``."""
    if n <= _SHORT_LIST:
        _HALVES[n].pack_into(buf, at, *halves)
    else:
        struct.pack_into("<%dI" % (2 * n), buf, at, *halves)


def write_cap(buf: bytearray, ptr: int, cap: int) -> None:
    if not 0 <= cap <= 0xFFFFFFFF:
        raise EncodeError(f"capability index {cap} out of range")
    _U64.pack_into(buf, ptr, 3 | (cap << 32))


class RawPointer:
    """A pointer target as position-independent words, for AnyPointer fields.

    ``pointer`` is the pointer word as if it sat just before ``body``; the
    body's own pointers are relative, so it can be appended anywhere.
    """

    __slots__ = ("pointer", "body")

    def __init__(self, pointer: int, body: bytes) -> None:
        self.pointer = pointer
        self.body = body

    @classmethod
    def copy_of(cls, src: AnyPointerReader) -> RawPointer:
        """A deep copy of whatever ``src`` points to (capabilities keep their index)."""
        mb = MessageBuilder(64, growth="single")
        mb.set_root_pointer(src)
        seg = mb.segments()[0]
        p: int = _U64.unpack_from(seg, 0)[0]
        return cls(p, seg[8:])

    @classmethod
    def of_struct(cls, value: BuilderBase) -> RawPointer:
        flat = serialize(value, False)
        p: int = _U64.unpack_from(flat, 0)[0]
        return cls(p, bytes(flat[8:]))

    @classmethod
    def of_text(cls, text: str) -> RawPointer:
        buf = bytearray(8)
        write_text(buf, 0, text)
        return cls(_U64.unpack_from(buf, 0)[0], bytes(buf[8:]))

    @classmethod
    def of_data(cls, data: bytes) -> RawPointer:
        buf = bytearray(8)
        write_data(buf, 0, data)
        return cls(_U64.unpack_from(buf, 0)[0], bytes(buf[8:]))

    @classmethod
    def of_capability(cls, cap: int) -> RawPointer:
        return cls(3 | (cap << 32), b"")

    def write(self, buf: bytearray, ptr: int) -> None:
        p = self.pointer
        if p & 3 >= 2 or p == 0xFFFFFFFC or p == 0:
            # Capabilities, null and zero-sized structs carry no offset to move.
            _U64.pack_into(buf, ptr, p)
            return
        off = (p >> 2) & 0x3FFFFFFF
        if off >= 1 << 29:
            off -= 1 << 30
        at = len(buf)
        buf += self.body
        new = ((at - ptr - 8) >> 3) + off
        _U64.pack_into(buf, ptr, (p & ~(0x3FFFFFFF << 2)) | ((new & 0x3FFFFFFF) << 2))


PointerValue = Union[BuilderBase, RawPointer]


def write_pointer(buf: bytearray, ptr: int, value: PointerValue) -> None:
    if isinstance(value, BuilderBase):
        write_struct(buf, ptr, value)
    elif isinstance(value, RawPointer):
        value.write(buf, ptr)
    else:
        raise EncodeError(f"AnyPointer value must be a builder or RawPointer, "
                          f"not {type(value).__name__}")


class WriteSpec(Generic[T]):
    """How to append a Python list of one element type."""

    __slots__ = ()

    def write(self, buf: bytearray, ptr: int, values: List[T]) -> None:
        raise NotImplementedError


# array.array codes whose item size matches the wire width, if the platform has them.
_ARRAY_CODES = {
    f: f for f in ("b", "B", "h", "H", "i", "I", "q", "Q", "f", "d")
    if array.array(f).itemsize == struct.calcsize("<" + f)
}




class PrimWrite(WriteSpec[T]):
    __slots__ = ("fmt", "es", "width", "code", "padded", "one", "zeros")

    def __init__(self, fmt: str, es: int) -> None:
        self.fmt = fmt  # struct format letter
        self.es = es  # element size code
        self.width = struct.calcsize("<" + fmt)
        # packers of lists of 0 to _SHORT_LIST elements, by length, each with
        # the zero bytes that pad it to a word
        self.padded = [
            struct.Struct("<%d%s%dx" % (n, fmt, -(n * self.width) & 7))
            for n in range(_SHORT_LIST + 1)
        ]
        # array.array converts and range-checks in C; None when it cannot be used.
        self.code = _ARRAY_CODES.get(fmt) if _LITTLE else None
        # PyPy packs short lists one element at a time into zeros (see append).
        self.one = struct.Struct("<" + fmt)
        self.zeros = tuple(bytes(-(-n * self.width // 8) * 8) for n in range(_SHORT_LIST + 1))

    def write(self, buf: bytearray, ptr: int, values: List[T]) -> None:
        if type(values) is UnsetList and not values:
            return
        at = len(buf)
        self.append(buf, values)
        _U64.pack_into(buf, ptr, ((at - ptr - 8) >> 1) | 1 | (self.es << 32) | (len(values) << 35))

    def append(self, buf: bytearray, values: List[T]) -> None:
        """Append the list's elements, padded to a word."""
        start = len(buf)
        try:
            self._append(buf, values)
        except EncodeError:
            if self.fmt != "f":
                raise
            # Float32 elements beyond the type's range: stored as infinities (see f32).
            del buf[start:]
            self._append(buf, [f32(v) for v in values])

    def _append(self, buf: bytearray, values: List[T]) -> None:
        n = len(values)
        try:
            if n <= _SHORT_LIST:
                if _PYPY:
                    # PyPy spreads a list into call arguments slowly: pack each element.
                    at = len(buf)
                    buf += self.zeros[n]
                    one, width = self.one, self.width
                    for value in values:
                        one.pack_into(buf, at, value)
                        at += width
                    return
                # A precompiled Struct per length: cheaper than array.array for short lists.
                buf += self.padded[n].pack(*values)
                return
            elif self.code is not None:
                buf += array.array(self.code, values)  # type: ignore[type-var]
            else:
                buf += struct.pack("<%d%s" % (n, self.fmt), *values)
        except (TypeError, ValueError, OverflowError, struct.error) as exc:
            raise self.element_error(exc) from None
        rem = len(buf) & 7
        if rem:
            buf += _ZERO_PADS[rem]

    def element_error(self, exc: Exception) -> EncodeError:
        return EncodeError(f"list element does not fit {self.fmt!r}: {exc}")


# Zero bytes that pad a buffer of length ``k`` (mod 8) to a word.
_ZERO_PADS = tuple(bytes((8 - k) & 7) for k in range(8))
ZERO_PADS = _ZERO_PADS
SHORT_LIST = _SHORT_LIST
HALVES = _HALVES
NUL_STRS = _NUL_STRS


class BoolWrite(WriteSpec[bool]):
    __slots__ = ()

    def write(self, buf: bytearray, ptr: int, values: List[bool]) -> None:
        n = len(values)
        at = len(buf)
        if n:
            try:
                raw = bytes(values)  # (bools are the integers 0 and 1)
            except (TypeError, ValueError):
                raw = _truth_bytes(values)
            else:
                if raw.strip(b"\x00\x01"):  # other integers, by their truth values
                    raw = bytes(map(bool, raw))
            bits = raw[::-1].translate(_TO_DIGITS)
            buf += int(bits, 2).to_bytes((n + 7) >> 3, "little")
            _pad(buf)
        elif type(values) is UnsetList:
            return
        _list_pointer(buf, ptr, at, 1, n)


_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _truth_bytes(values: Iterable[object]) -> bytes:
    """List(Bool) elements as bytes 0 and 1: bools and integers only, as for Bool fields."""
    out = bytearray()
    for v in values:
        if not isinstance(v, int):
            raise EncodeError(f"List(Bool) element: expected a bool, got {type(v).__name__}")
        out.append(1 if v else 0)
    return bytes(out)


class VoidWrite(WriteSpec[None]):
    __slots__ = ()

    def write(self, buf: bytearray, ptr: int, values: List[None]) -> None:
        if type(values) is UnsetList and not values:
            return
        _list_pointer(buf, ptr, len(buf), 0, len(values))


class _PointerListWrite(WriteSpec[T]):
    __slots__ = ()

    def _element(self, buf: bytearray, ptr: int, value: T) -> None:
        raise NotImplementedError

    def write(self, buf: bytearray, ptr: int, values: List[T]) -> None:
        n = len(values)
        if type(values) is UnsetList and not n:
            return
        at = len(buf)
        buf += bytes(n << 3)
        _list_pointer(buf, ptr, at, 6, n)
        for i, v in enumerate(values):
            if v is not None:
                self._element(buf, at + (i << 3), v)


class TextWrite(_PointerListWrite[str]):
    __slots__ = ()

    def _element(self, buf: bytearray, ptr: int, value: str) -> None:
        write_text(buf, ptr, value)

    def write(self, buf: bytearray, ptr: int, values: List[str]) -> None:
        if type(values) is not list:
            if isinstance(values, str):  # (its characters would be taken as the texts)
                raise not_a_list(values, "List(Text)")
            if type(values) is UnsetList and not values:
                return
        at = len(buf)
        append_texts(buf, values)
        _U64.pack_into(buf, ptr, ((at - ptr - 8) >> 1) | 0x600000001 | (len(values) << 35))


class DataWrite(_PointerListWrite[bytes]):
    __slots__ = ()

    def _element(self, buf: bytearray, ptr: int, value: bytes) -> None:
        write_data(buf, ptr, value)


class PointerWrite(_PointerListWrite[Optional[PointerValue]]):
    __slots__ = ()

    def _element(self, buf: bytearray, ptr: int, value: Optional[PointerValue]) -> None:
        if value is not None:
            write_pointer(buf, ptr, value)


class CapWrite(_PointerListWrite[Optional[int]]):
    __slots__ = ()

    def _element(self, buf: bytearray, ptr: int, value: Optional[int]) -> None:
        if value is not None:
            write_cap(buf, ptr, value)


class ListWrite(_PointerListWrite[List[T]]):
    __slots__ = ("inner",)

    def __init__(self, inner: WriteSpec[T]) -> None:
        self.inner = inner

    def _element(self, buf: bytearray, ptr: int, value: List[T]) -> None:
        if isinstance(value, str):  # (its characters would be taken as the elements)
            raise not_a_list(value, "list element")
        self.inner.write(buf, ptr, value)


class StructWrite(WriteSpec[B]):
    """A list of structs: tag word, every element's body, then their targets in order."""

    __slots__ = ("cls",)

    def __init__(self, cls: Type[B]) -> None:
        self.cls = cls

    def write(self, buf: bytearray, ptr: int, values: List[B]) -> None:
        cls = self.cls
        n = len(values)
        if type(values) is UnsetList and not n:
            return
        dw, pc = cls._DW, cls._PC
        step = (dw + pc) << 3
        at = len(buf)
        words = n * (dw + pc)
        buf += bytes(8 + (words << 3))
        _U64.pack_into(buf, at, (n << 2) | (dw << 32) | (pc << 48))
        _list_pointer(buf, ptr, at, 7, words)
        if not step:
            return
        cls._write_list(buf, at + 8, values)


# --------------------------------------------------------------------------
# Interfaces: the hook typed RPC clients and servers build on
# --------------------------------------------------------------------------


class MethodInfo:
    """One interface method: its IDs and the typed classes of its param and result structs.

    The RPC layer turns tables of these into typed client stubs and server
    dispatch; the generated modules only describe the methods.
    """

    __slots__ = ("interface_id", "method_id", "name", "params", "params_builder",
                 "results", "results_builder")

    def __init__(
        self,
        interface_id: int,
        method_id: int,
        name: str,
        params: Type[StructView],
        params_builder: Type[BuilderBase],
        results: Type[StructView],
        results_builder: Type[BuilderBase],
    ) -> None:
        self.interface_id = interface_id  # the interface's 64-bit type ID
        self.method_id = method_id  # the method's ordinal within that interface
        self.name = name  # the method name as written in the schema
        self.params = params  # reader class of the parameter struct
        self.params_builder = params_builder  # builder class of the parameter struct
        self.results = results  # reader class of the result struct
        self.results_builder = results_builder  # builder class of the result struct

    def __repr__(self) -> str:
        return f"MethodInfo({self.interface_id:#x}, {self.method_id}, {self.name!r})"


__all__ += ["UnsetList", "text_list_value", "text_error", "bool_bit", "not_a_list", "struct_type_error",
            "write_struct_of"]
__all__ += ["NUL_PADS", "U64", "text_type_error", "Scalars", "group", "text", "data", "struct_field", "prim_list", "text_list", "struct_list"]
__all__ += ["element_type_error", "append_data", "append_texts", "pack_halves", "SHORT_LIST",
            "ZERO_PADS", "HALVES", "NUL_STRS", "PYPY", "TEXT_LISTS"]
__all__ += ["write_struct", "write_text", "write_data", "write_cap", "write_pointer", "put_text",
            "default_pointer", "DecodeError", "AnyPointerReader", "StructReader", "ListReader",
            "Buffer"]
