"""Generated from capnp/stream.capnp by capnp_lite codegen: do not edit.

File ID 0x86c366a91393f3f8.
"""

from __future__ import annotations

import struct
from typing import Any, Final, List, Optional, Sequence, Tuple

from capnp_lite.codegen import runtime as _rt

FILE_ID: Final = 0x86c366a91393f3f8


class StreamResult_Reader(_rt.StructView):
    """Reader of struct StreamResult (0x995f9a3377c0b16e): 0 data words, 0 pointers."""

    __slots__ = ()


class StreamResult_Builder(_rt.BuilderBase):
    """Builder of struct StreamResult (0x995f9a3377c0b16e)."""

    __slots__ = ()
    _DW = 0
    _PC = 0
    _HI = 0x0
    _ZERO = bytes(0)

    def __init__(self) -> None:
        pass

    @staticmethod
    def _new_list(n: int) -> List[StreamResult_Builder]:
        out: List[StreamResult_Builder] = []
        new = StreamResult_Builder.__new__
        for _ in range(n):
            self = new(StreamResult_Builder)
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        pass

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not StreamResult_Builder:
                raise _rt.element_type_error(cls, v)
            at += 0

    def as_reader(self) -> StreamResult_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return StreamResult_Reader.from_flat_bytes(self.to_flat_bytes())


class StreamResult:
    """Struct StreamResult: constructors and readers."""

    TYPE_ID: Final = 0x995f9a3377c0b16e

    @staticmethod
    def new_message() -> StreamResult_Builder:
        return StreamResult_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> StreamResult_Reader:
        return StreamResult_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> StreamResult_Reader:
        return StreamResult_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> StreamResult_Reader:
        return StreamResult_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)
