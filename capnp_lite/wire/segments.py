"""Segments (typed word views over a buffer) and read limits.

A :class:`Segment` wraps one segment's bytes with one view per scalar width,
so the layout core reads a field as ``seg.i32[byte_offset >> 2]``.  On a
little-endian host the views are ``memoryview.cast`` results (the cheapest
indexed read CPython offers); on a big-endian host they are small objects that
decode little-endian with precompiled ``struct.Struct`` instances.

:class:`ReadLimits` holds the two reader limits (traversal words and nesting
depth) with the C++ defaults.
"""

from __future__ import annotations

import struct
import sys
from typing import Protocol, Union

from ..errors import DecodeError

__all__ = [
    "LITTLE_ENDIAN",
    "Buffer",
    "ReadLimits",
    "Segment",
    "IntView",
    "FloatView",
    "DEFAULT_TRAVERSAL_LIMIT_IN_WORDS",
    "DEFAULT_NESTING_LIMIT",
]

Buffer = Union[bytes, bytearray, memoryview]

LITTLE_ENDIAN = sys.byteorder == "little"

DEFAULT_TRAVERSAL_LIMIT_IN_WORDS = 8 * 1024 * 1024
DEFAULT_NESTING_LIMIT = 64


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
    """Little-endian integer view for big-endian hosts (same indexing as a cast)."""

    __slots__ = ("_buf", "_st", "_w")

    def __init__(self, buf: memoryview, fmt: str) -> None:
        self._buf = buf
        self._st = struct.Struct("<" + fmt)
        self._w = self._st.size

    def __getitem__(self, index: int) -> int:
        v: int = self._st.unpack_from(self._buf, index * self._w)[0]
        return v

    def __setitem__(self, index: int, value: int) -> None:
        self._st.pack_into(self._buf, index * self._w, value)


class _LEFloats:
    """Little-endian float view for big-endian hosts."""

    __slots__ = ("_buf", "_st", "_w")

    def __init__(self, buf: memoryview, fmt: str) -> None:
        self._buf = buf
        self._st = struct.Struct("<" + fmt)
        self._w = self._st.size

    def __getitem__(self, index: int) -> float:
        v: float = self._st.unpack_from(self._buf, index * self._w)[0]
        return v

    def __setitem__(self, index: int, value: float) -> None:
        self._st.pack_into(self._buf, index * self._w, value)


def _int_view(mv: memoryview, fmt: str) -> IntView:
    if LITTLE_ENDIAN or fmt in ("b", "B"):
        view: IntView = mv.cast(fmt)  # type: ignore[call-overload]
        return view
    return _LEInts(mv, fmt)


def _float_view(mv: memoryview, fmt: str) -> FloatView:
    if LITTLE_ENDIAN:
        # A cast view reads a float in one C call, no tuple as unpack_from makes.
        view: FloatView = mv.cast(fmt)  # type: ignore[call-overload]
        return view
    return _LEFloats(mv, fmt)


# Views made on first use, with their memoryview formats (``u64`` is always made).
_LAZY_VIEWS = (
    ("i8", "b"), ("u8", "B"), ("i16", "h"), ("u16", "H"), ("i32", "i"), ("u32", "I"),
    ("i64", "q"), ("f32", "f"), ("f64", "d"),
)


class Segment:
    """One segment: its bytes, its size and one view per scalar width.

    Views are indexed in units of their own width: ``u16[byte_offset >> 1]``.
    ``b`` and ``u64`` are made at once; the other views are made together on
    the first use of any of them, so parsing a small message that reads only
    pointers and 64-bit fields skips nine casts (about 0.6 us on CPython).
    Builders keep ``used`` (words allocated); readers set it to ``words``.
    A builder segment in single-segment mode may be rebound to a larger
    buffer, so code must reach views through the segment, never keep them.
    """

    __slots__ = (
        "id", "words", "used", "buf", "b",
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
        self.words = 0  # size in words
        self.used = 0  # words allocated (builders) or the size (readers)
        self.bind(data)
        self.used = self.words if used < 0 else used

    def bind(self, data: Buffer) -> None:
        """Point the segment at ``data`` (size must be a multiple of 8 bytes)."""
        try:
            mv = memoryview(data)
            if mv.format != "B" or mv.ndim != 1:
                mv = mv.cast("B")
        except TypeError as exc:
            raise DecodeError(f"segment {self.id} is not a contiguous buffer: {exc}") from None
        if mv.nbytes & 7:
            raise DecodeError(
                f"segment {self.id} is {mv.nbytes} bytes, not a whole number of words"
            )
        self.buf = data
        self.b = mv
        self.words = mv.nbytes >> 3
        self.u64 = _int_view(mv, "Q")
        if type(self) in (Segment, _PendingViews):
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
    for name, fmt in _LAZY_VIEWS:
        view = _float_view(mv, fmt) if fmt in "fd" else _int_view(mv, fmt)
        _SLOTS[name].__set__(seg, view)


# The slot descriptors of Segment, to fill slots that _PendingViews shadows.
_SLOTS = {name: Segment.__dict__[name] for name, _ in _LAZY_VIEWS}


def _pending_view(name: str) -> "property":
    slot = _SLOTS[name]

    def get(seg: Segment) -> object:
        _make_views(seg)
        seg.__class__ = Segment
        return slot.__get__(seg, Segment)

    return property(get)


class _PendingViews(Segment):
    """A Segment whose narrow views are not made yet (same layout, no extra state)."""

    __slots__ = ()


for _name, _ in _LAZY_VIEWS:
    setattr(_PendingViews, _name, _pending_view(_name))
