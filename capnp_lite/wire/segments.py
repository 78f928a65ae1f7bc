"""Segments (typed word views over a buffer) and read limits.

A :class:`Segment` wraps one segment's bytes with one view per scalar width,
so the layout core reads a field as ``seg.i32[byte_offset >> 2]``.  The kind
of view is chosen once, at import (:data:`VIEW_KIND`): on little-endian
CPython the views are ``memoryview.cast`` results (the cheapest indexed read
CPython offers); on PyPy and on big-endian hosts they are small objects that
decode little-endian with precompiled ``struct.Struct`` instances, which
PyPy's JIT turns into plain loads (5 to 15 times faster there than indexing a
cast memoryview).

:class:`ReadLimits` holds the two reader limits (traversal words and nesting
depth) with the C++ defaults.
"""

from __future__ import annotations

import struct
import sys
from typing import Dict, FrozenSet, Protocol, Union

from ..errors import DecodeError

__all__ = [
    "LITTLE_ENDIAN",
    "PYPY",
    "VIEW_KIND",
    "Buffer",
    "ReadLimits",
    "Segment",
    "read_segment",
    "builder_segment",
    "grow_segment",
    "IntView",
    "FloatView",
    "DEFAULT_TRAVERSAL_LIMIT_IN_WORDS",
    "DEFAULT_NESTING_LIMIT",
]

Buffer = Union[bytes, bytearray, memoryview]

LITTLE_ENDIAN = sys.byteorder == "little"
PYPY = sys.implementation.name == "pypy"

#: How segment views read words, chosen once for this interpreter:
#: ``"cast"`` (``memoryview.cast``) or ``"struct"`` (precompiled ``struct``).
VIEW_KIND = "cast" if LITTLE_ENDIAN and not PYPY else "struct"
_CASTS = VIEW_KIND == "cast"

DEFAULT_TRAVERSAL_LIMIT_IN_WORDS = 8 * 1024 * 1024
DEFAULT_NESTING_LIMIT = 64
# Limits for our own trusted bytes read for as long as the process lives (embedded defaults and
# constants, schema protos): read again on every access, they must never run out of budget.
TRUSTED_TRAVERSAL_LIMIT_IN_WORDS = 1 << 62
TRUSTED_NESTING_LIMIT = 1 << 30


class ReadLimits:
    """Reader limits: words that may be dereferenced and pointer depth."""

    __slots__ = ("traversal_limit_in_words", "nesting_limit")

    def __init__(
        self,
        traversal_limit_in_words: int = DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = DEFAULT_NESTING_LIMIT,
    ) -> None:
        # Total words a reader may dereference; aliased data counts each time.
        self.traversal_limit_in_words = traversal_limit_in_words
        # Struct and list levels a reader may descend.
        self.nesting_limit = nesting_limit

    def __repr__(self) -> str:
        return (
            f"ReadLimits(traversal_limit_in_words={self.traversal_limit_in_words}, "
            f"nesting_limit={self.nesting_limit})"
        )


class IntView(Protocol):
    def __getitem__(self, index: int) -> int: ...

    def __setitem__(self, index: int, value: int) -> None: ...


class FloatView(Protocol):
    def __getitem__(self, index: int) -> float: ...

    def __setitem__(self, index: int, value: float) -> None: ...


class _LEInts:
    """Little-endian integer view through ``struct`` (same indexing as a cast)."""

    __slots__ = ("_buf", "_unpack", "_pack", "_shift")

    def __init__(self, buf: Buffer, fmt: str) -> None:
        st = struct.Struct("<" + fmt)
        self._buf = buf
        self._unpack = st.unpack_from
        self._pack = st.pack_into
        self._shift = st.size.bit_length() - 1  # log2 of the width

    def __getitem__(self, index: int) -> int:
        v: int = self._unpack(self._buf, index << self._shift)[0]
        return v

    def __setitem__(self, index: int, value: int) -> None:
        self._pack(self._buf, index << self._shift, value)


_I64 = struct.Struct("<q")
_U64 = struct.Struct("<Q")


class _LEWords:
    """Unsigned 64-bit words through ``struct``, read signed.

    A signed read stays a machine integer on PyPy (an unsigned one above
    2**63 would be a big integer on every path); only words with bit 63 set
    pay for the correction.
    """

    __slots__ = ("_buf",)

    def __init__(self, buf: Buffer) -> None:
        self._buf = buf

    def __getitem__(self, index: int) -> int:
        v: int = _I64.unpack_from(self._buf, index << 3)[0]
        if v < 0:
            v += 1 << 64
        return v

    def __setitem__(self, index: int, value: int) -> None:
        _U64.pack_into(self._buf, index << 3, value)


class _LEFloats:
    """Little-endian float view through ``struct``."""

    __slots__ = ("_buf", "_unpack", "_pack", "_shift")

    def __init__(self, buf: Buffer, fmt: str) -> None:
        st = struct.Struct("<" + fmt)
        self._buf = buf
        self._unpack = st.unpack_from
        self._pack = st.pack_into
        self._shift = st.size.bit_length() - 1

    def __getitem__(self, index: int) -> float:
        v: float = self._unpack(self._buf, index << self._shift)[0]
        return v

    def __setitem__(self, index: int, value: float) -> None:
        self._pack(self._buf, index << self._shift, value)


def _int_view(mv: memoryview, raw: Buffer, fmt: str) -> IntView:
    """A view of ``mv`` (whose contents are ``raw``) as integers of format ``fmt``."""
    if _CASTS or (fmt in ("b", "B") and not PYPY):
        view: IntView = mv.cast(fmt)  # type: ignore[call-overload]
        return view
    if fmt == "Q":
        return _LEWords(raw)
    return _LEInts(raw, fmt)


def _float_view(mv: memoryview, raw: Buffer, fmt: str) -> FloatView:
    if _CASTS:
        # A cast view reads a float in one C call, no tuple as unpack_from makes.
        view: FloatView = mv.cast(fmt)  # type: ignore[call-overload]
        return view
    return _LEFloats(raw, fmt)


# Views made on first use, with their memoryview formats (``u64`` is always made).
_LAZY_VIEWS = (
    ("i8", "b"), ("u8", "B"), ("i16", "h"), ("u16", "H"), ("i32", "i"), ("u32", "I"),
    ("i64", "q"), ("f32", "f"), ("f64", "d"),
)


class Segment:
    """One segment: its bytes, its size and one view per scalar width.

    Views are indexed in units of their own width: ``u16[byte_offset >> 1]``.
    ``b`` and ``u64`` are made at once; each narrow view is made on its first
    read, so a small message that reads only pointers and 64-bit fields skips
    nine casts (about 0.6 us on CPython), and one that reads a float and a
    16-bit tag skips seven.
    Builders keep ``used`` (words allocated) and ``limit`` (the words the
    segment may grow to: its size in the reference layout, while ``words`` is
    only what is allocated so far); readers set ``used`` to ``words``.
    ``buf`` holds the bytes (the buffer given, or on PyPy a ``bytes`` copy of
    a read-only view) and ``b`` is an unsigned-byte memoryview of them; slice
    ``buf`` on PyPy and ``b`` elsewhere, whichever is cheaper.  A builder
    segment is rebound to a larger buffer as it fills (see
    :func:`grow_segment`), so code must reach views through the segment and
    never keep them across an allocation.
    """

    __slots__ = (
        "id", "words", "used", "limit", "buf", "b",
        "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "f32", "f64",
    )

    i8: IntView
    u8: IntView
    i16: IntView
    u16: IntView
    i32: IntView
    u32: IntView
    i64: IntView
    u64: IntView
    f32: FloatView
    f64: FloatView

    def __init__(self, id: int, data: Buffer, used: int = -1) -> None:
        self.id = id  # index in the message's segment list
        self.bind(data)
        # words allocated (builders) or the size (readers)
        self.used = self.words if used < 0 else used
        self.limit = self.words  # builders may raise it (see grow_segment)

    def bind(self, data: Buffer) -> None:
        """Point the segment at ``data`` (size must be a multiple of 8 bytes)."""
        try:
            mv = memoryview(data)
            if mv.ndim != 1 or mv.format != "B":
                mv = mv.cast("B")
        except TypeError as exc:
            raise DecodeError(f"segment {self.id} is not a contiguous buffer: {exc}") from None
        if not mv.c_contiguous:
            raise DecodeError(f"segment {self.id} is not a contiguous buffer")
        nbytes = mv.nbytes
        if nbytes & 7:
            raise DecodeError(
                f"segment {self.id} is {nbytes} bytes, not a whole number of words"
            )
        raw: Buffer = data
        if not _CASTS:
            if PYPY and mv.readonly and type(data) is not bytes:
                # PyPy reads and slices bytes several times faster than a
                # memoryview; a read-only view cannot be written, so a copy
                # changes nothing else.
                raw = mv.tobytes()
                mv = memoryview(raw)
            elif type(data) is not bytes and type(data) is not bytearray:
                raw = mv
        self.buf = raw  # the segment's bytes (on PyPy a bytes copy of a read-only view)
        self.b = mv  # unsigned bytes, for slicing
        self.words = nbytes >> 3  # size in words
        self.u64 = _int_view(mv, raw, "Q")
        cls = type(self)
        if cls is Segment or cls.__dict__.get("_partial_views", False):
            # Until a narrow view is read, the instance is a _PendingViews, whose
            # properties make them; plain slots (no __getattr__ hook) keep every
            # later access as fast as before.
            self.__class__ = _PendingViews
        else:
            _make_views(self)

    def __repr__(self) -> str:
        return f"Segment(id={self.id}, words={self.words}, used={self.used})"


def _make_views(seg: Segment) -> None:
    mv = seg.b
    raw = seg.buf
    for name, fmt in _LAZY_VIEWS:
        _make_view(seg, name, fmt, mv, raw)


def _make_view(seg: Segment, name: str, fmt: str, mv: memoryview, raw: Buffer) -> object:
    view = _float_view(mv, raw, fmt) if fmt in "fd" else _int_view(mv, raw, fmt)
    _SLOTS[name].__set__(seg, view)
    return view


# The slot descriptors of Segment, to fill slots that the pending classes shadow.
_SLOTS = {name: Segment.__dict__[name] for name, _ in _LAZY_VIEWS}


def _views_class(made: FrozenSet[str]) -> type:
    """The Segment class whose narrow views in ``made`` exist: those read as plain slots, each
    other one is a property that makes it and moves the instance on to the next class.

    Classes are made on first need and shared; there are at most 2**9 of them and a program
    meets a few.  With every view made the class is Segment itself.
    """
    cls = _VIEW_CLASSES.get(made)
    if cls is None:
        if len(made) == len(_LAZY_VIEWS):
            cls = Segment
        else:
            attrs: Dict[str, object] = {"__slots__": (), "_partial_views": True}
            for name, fmt in _LAZY_VIEWS:
                if name not in made:
                    attrs[name] = _lazy_view(name, fmt, made | {name})
            cls = type("_PartialViews", (Segment,), attrs)
        _VIEW_CLASSES[made] = cls
    return cls


def _lazy_view(name: str, fmt: str, made: FrozenSet[str]) -> "property":
    def get(seg: Segment) -> object:
        view = _make_view(seg, name, fmt, seg.b, seg.buf)
        seg.__class__ = _views_class(made)
        return view

    return property(get)


_VIEW_CLASSES: Dict[FrozenSet[str], type] = {}

# A Segment whose narrow views are not made yet (same layout, no extra state).
_PendingViews = _views_class(frozenset())


_new_segment = object.__new__


def read_segment(id: int, data: Buffer) -> Segment:
    """A segment for reading ``data``: the same as ``Segment(id, data)``, cheaper.

    Readers of small messages make one per message, so the common case (a
    contiguous byte buffer of whole words on CPython) skips the general path.
    """
    if _CASTS:
        try:
            # cast("B") flattens a view to unsigned bytes (an array's or a view's items may
            # be signed or wider); cast("Q") then fails (TypeError) unless those are
            # contiguous whole words.
            kind = type(data)
            if kind is bytes or kind is bytearray:
                mv = memoryview(data)
            else:
                mv = (data if isinstance(data, memoryview) else memoryview(data)).cast("B")
            u64 = mv.cast("Q")
        except TypeError:  # the general path reports what is wrong
            return Segment(id, data)
        seg: Segment = _new_segment(_PendingViews)
        seg.id = id
        seg.buf = data
        seg.b = mv
        seg.words = seg.used = len(u64)
        seg.u64 = u64
        return seg
    return Segment(id, data)


def _bind_fresh(seg: Segment, buf: bytearray) -> None:
    """Point ``seg`` at a new builder bytearray (whole words), views pending."""
    mv = memoryview(buf)
    seg.buf = buf
    seg.b = mv
    seg.words = len(buf) >> 3
    seg.u64 = mv.cast("Q") if _CASTS else _LEWords(buf)
    if type(seg) is not _PendingViews:
        # Narrow views of the old buffer are dropped; they are remade on first use.
        seg.__class__ = _PendingViews


def builder_segment(id: int, words: int, limit: int, used: int = 0) -> Segment:
    """A builder segment of ``words`` zero words that may grow to ``limit``, of which
    ``used`` (at most ``words``) count as allocated.

    The same as ``Segment(id, bytearray(words * 8), used)`` with ``limit`` set,
    without the checks a caller-supplied buffer needs (a fresh builder pays
    for this on every message).
    """
    seg: Segment = _new_segment(_PendingViews)
    seg.id = id
    seg.used = used
    seg.limit = limit
    buf = bytearray(words << 3)
    mv = memoryview(buf)
    seg.buf = buf
    seg.b = mv
    seg.words = words
    seg.u64 = mv.cast("Q") if _CASTS else _LEWords(buf)
    return seg


def grow_segment(seg: Segment, words: int) -> None:
    """Give the builder segment ``seg`` room for at least ``words`` words.

    The segment moves to a larger zeroed buffer holding a copy of its
    ``used`` words (at least doubling, at most ``limit`` unless ``words`` is
    larger), so growth costs amortised O(1) per word.  Views taken from the
    old buffer (``seg.b`` slices, ``init_text`` results) keep the old bytes
    alive but no longer reach the segment; the old buffer is not resized in
    place because any such view would make that fail.
    """
    size = max(words, min(seg.limit, seg.words << 1))
    nbytes = seg.used << 3
    buf = bytearray(size << 3)
    buf[:nbytes] = seg.b[:nbytes]
    _bind_fresh(seg, buf)
