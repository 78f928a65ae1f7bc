"""Generated from capnp/compat/byte-stream.capnp by capnp_lite codegen: do not edit.

File ID 0x8f5d14e1c273738d.
"""

from __future__ import annotations

import struct
from typing import Any, Final, List, Optional, Sequence, Tuple

from capnp_lite.codegen import runtime as _rt
from capnp_lite.aio import typed as _typed
from . import stream_capnp as _stream_capnp

FILE_ID: Final = 0x8f5d14e1c273738d


class ByteStream_SubstreamCallback_ended_Params_Reader(_rt.StructView):
    """Reader of struct ended$Params (0xccb18eca8acafbe7): 1 data words, 0 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC0.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC0.read(self)
        self._v = v
        return v

    @property
    def byteCount(self) -> int:
        r: int = (self._v or self._load())[0]
        return r


class ByteStream_SubstreamCallback_ended_Results_Reader(_rt.StructView):
    """Reader of struct ended$Results (0xba8feb56b5b6922d): 0 data words, 0 pointers."""

    __slots__ = ()


class ByteStream_SubstreamCallback_reachedLimit_Params_Reader(_rt.StructView):
    """Reader of struct reachedLimit$Params (0xd80bf35671585f44): 0 data words, 0 pointers."""

    __slots__ = ()


class ByteStream_SubstreamCallback_reachedLimit_Results_Reader(_rt.StructView):
    """Reader of struct reachedLimit$Results (0xddd06638ed144353): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def next(self) -> Optional[int]:
        return self._r.get_capability(0)


class ByteStream_write_Params_Reader(_rt.StructView):
    """Reader of struct write$Params (0xa45d8c4c07bb36d2): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def bytes(self) -> bytes:
        return _rt.data(self, 0)


class ByteStream_end_Params_Reader(_rt.StructView):
    """Reader of struct end$Params (0xcbd32047945c0144): 0 data words, 0 pointers."""

    __slots__ = ()


class ByteStream_end_Results_Reader(_rt.StructView):
    """Reader of struct end$Results (0xe7e2ddbc3c63d594): 0 data words, 0 pointers."""

    __slots__ = ()


class ByteStream_getSubstream_Params_Reader(_rt.StructView):
    """Reader of struct getSubstream$Params (0xc5b18e80fc80d9f8): 1 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC0.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC0.read(self)
        self._v = v
        return v

    @property
    def callback(self) -> Optional[int]:
        return self._r.get_capability(0)

    @property
    def limit(self) -> int:
        r: int = ((self._v or self._load())[0] ^ 18446744073709551615)
        return r


class ByteStream_getSubstream_Results_Reader(_rt.StructView):
    """Reader of struct getSubstream$Results (0x8d198ede6d27756a): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def substream(self) -> Optional[int]:
        return self._r.get_capability(0)


class ByteStream_startTls_Params_Reader(_rt.StructView):
    """Reader of struct startTls$Params (0xea8253a695da1ab8): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def expectedServerHostname(self) -> str:
        return _rt.text(self, 0)


class ByteStream_SubstreamCallback_ended_Params_Builder(_rt.BuilderBase):
    """Builder of struct ended$Params (0xccb18eca8acafbe7)."""

    __slots__ = ('byteCount',)
    _DW = 1
    _PC = 0
    _HI = 0x100000000
    _ZERO = bytes(8)
    byteCount: int

    def __init__(self) -> None:
        self.byteCount = 0

    @staticmethod
    def _new_list(n: int) -> List[ByteStream_SubstreamCallback_ended_Params_Builder]:
        out: List[ByteStream_SubstreamCallback_ended_Params_Builder] = []
        new = ByteStream_SubstreamCallback_ended_Params_Builder.__new__
        for _ in range(n):
            self = new(ByteStream_SubstreamCallback_ended_Params_Builder)
            self.byteCount = 0
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S1.pack_into(
                buf, at,
                self.byteCount,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("ByteStream_SubstreamCallback_ended_Params", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not ByteStream_SubstreamCallback_ended_Params_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S1.pack_into(
                    buf, at,
                    v.byteCount,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("ByteStream_SubstreamCallback_ended_Params", exc) from None
            at += 8

    def to_bytes(self) -> bytes:
        try:
            return _S2.pack(
                0, 2, 0x100000000,
                self.byteCount,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("ByteStream_SubstreamCallback_ended_Params", exc) from None

    def to_flat_bytes(self) -> bytes:
        try:
            return _S3.pack(
                0x100000000,
                self.byteCount,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("ByteStream_SubstreamCallback_ended_Params", exc) from None

    def as_reader(self) -> ByteStream_SubstreamCallback_ended_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ByteStream_SubstreamCallback_ended_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class ByteStream_SubstreamCallback_ended_Results_Builder(_rt.BuilderBase):
    """Builder of struct ended$Results (0xba8feb56b5b6922d)."""

    __slots__ = ()
    _DW = 0
    _PC = 0
    _HI = 0x0
    _ZERO = bytes(0)

    def __init__(self) -> None:
        pass

    @staticmethod
    def _new_list(n: int) -> List[ByteStream_SubstreamCallback_ended_Results_Builder]:
        out: List[ByteStream_SubstreamCallback_ended_Results_Builder] = []
        new = ByteStream_SubstreamCallback_ended_Results_Builder.__new__
        for _ in range(n):
            self = new(ByteStream_SubstreamCallback_ended_Results_Builder)
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        pass

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not ByteStream_SubstreamCallback_ended_Results_Builder:
                raise _rt.element_type_error(cls, v)
            at += 0

    def as_reader(self) -> ByteStream_SubstreamCallback_ended_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ByteStream_SubstreamCallback_ended_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class ByteStream_SubstreamCallback_reachedLimit_Params_Builder(_rt.BuilderBase):
    """Builder of struct reachedLimit$Params (0xd80bf35671585f44)."""

    __slots__ = ()
    _DW = 0
    _PC = 0
    _HI = 0x0
    _ZERO = bytes(0)

    def __init__(self) -> None:
        pass

    @staticmethod
    def _new_list(n: int) -> List[ByteStream_SubstreamCallback_reachedLimit_Params_Builder]:
        out: List[ByteStream_SubstreamCallback_reachedLimit_Params_Builder] = []
        new = ByteStream_SubstreamCallback_reachedLimit_Params_Builder.__new__
        for _ in range(n):
            self = new(ByteStream_SubstreamCallback_reachedLimit_Params_Builder)
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        pass

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not ByteStream_SubstreamCallback_reachedLimit_Params_Builder:
                raise _rt.element_type_error(cls, v)
            at += 0

    def as_reader(self) -> ByteStream_SubstreamCallback_reachedLimit_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ByteStream_SubstreamCallback_reachedLimit_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class ByteStream_SubstreamCallback_reachedLimit_Results_Builder(_rt.BuilderBase):
    """Builder of struct reachedLimit$Results (0xddd06638ed144353)."""

    __slots__ = ('_f_next',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_next: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[ByteStream_SubstreamCallback_reachedLimit_Results_Builder]:
        out: List[ByteStream_SubstreamCallback_reachedLimit_Results_Builder] = []
        new = ByteStream_SubstreamCallback_reachedLimit_Results_Builder.__new__
        for _ in range(n):
            self = new(ByteStream_SubstreamCallback_reachedLimit_Results_Builder)
            self._f_next = None
            out.append(self)
        return out

    @property
    def next(self) -> Optional[int]:
        return self._f_next

    @next.setter
    def next(self, value: Optional[int]) -> None:
        self._f_next = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_next
        if p0 is not None:
            _rt.write_cap(buf, at + 0, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not ByteStream_SubstreamCallback_reachedLimit_Results_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_next
            if p0 is not None:
                _rt.write_cap(buf, at + 0, p0)
            at += 8

    def as_reader(self) -> ByteStream_SubstreamCallback_reachedLimit_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ByteStream_SubstreamCallback_reachedLimit_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class ByteStream_write_Params_Builder(_rt.BuilderBase):
    """Builder of struct write$Params (0xa45d8c4c07bb36d2)."""

    __slots__ = ('_f_bytes',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_bytes: Optional[bytes] = None

    @staticmethod
    def _new_list(n: int) -> List[ByteStream_write_Params_Builder]:
        out: List[ByteStream_write_Params_Builder] = []
        new = ByteStream_write_Params_Builder.__new__
        for _ in range(n):
            self = new(ByteStream_write_Params_Builder)
            self._f_bytes = None
            out.append(self)
        return out

    @property
    def bytes(self) -> bytes:
        v = self._f_bytes
        return b"" if v is None else v

    @bytes.setter
    def bytes(self, value: bytes) -> None:
        self._f_bytes = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_bytes
        if p0 is None:
            a0 = b0 = 0
        else:
            a0 = ((len(buf) - at - 8) >> 1) | 1
            b0 = (_rt.append_data(buf, p0) << 3) | 2
        try:
            _S4.pack_into(
                buf, at,
                a0,
                b0,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("ByteStream_write_Params", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not ByteStream_write_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_bytes
            if p0 is None:
                a0 = b0 = 0
            else:
                a0 = ((len(buf) - at - 8) >> 1) | 1
                b0 = (_rt.append_data(buf, p0) << 3) | 2
            try:
                _S4.pack_into(
                    buf, at,
                    a0,
                    b0,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("ByteStream_write_Params", exc) from None
            at += 8

    def as_reader(self) -> ByteStream_write_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ByteStream_write_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class ByteStream_end_Params_Builder(_rt.BuilderBase):
    """Builder of struct end$Params (0xcbd32047945c0144)."""

    __slots__ = ()
    _DW = 0
    _PC = 0
    _HI = 0x0
    _ZERO = bytes(0)

    def __init__(self) -> None:
        pass

    @staticmethod
    def _new_list(n: int) -> List[ByteStream_end_Params_Builder]:
        out: List[ByteStream_end_Params_Builder] = []
        new = ByteStream_end_Params_Builder.__new__
        for _ in range(n):
            self = new(ByteStream_end_Params_Builder)
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        pass

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not ByteStream_end_Params_Builder:
                raise _rt.element_type_error(cls, v)
            at += 0

    def as_reader(self) -> ByteStream_end_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ByteStream_end_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class ByteStream_end_Results_Builder(_rt.BuilderBase):
    """Builder of struct end$Results (0xe7e2ddbc3c63d594)."""

    __slots__ = ()
    _DW = 0
    _PC = 0
    _HI = 0x0
    _ZERO = bytes(0)

    def __init__(self) -> None:
        pass

    @staticmethod
    def _new_list(n: int) -> List[ByteStream_end_Results_Builder]:
        out: List[ByteStream_end_Results_Builder] = []
        new = ByteStream_end_Results_Builder.__new__
        for _ in range(n):
            self = new(ByteStream_end_Results_Builder)
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        pass

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not ByteStream_end_Results_Builder:
                raise _rt.element_type_error(cls, v)
            at += 0

    def as_reader(self) -> ByteStream_end_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ByteStream_end_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class ByteStream_getSubstream_Params_Builder(_rt.BuilderBase):
    """Builder of struct getSubstream$Params (0xc5b18e80fc80d9f8)."""

    __slots__ = ('_f_callback', 'limit')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    limit: int

    def __init__(self) -> None:
        self._f_callback: Optional[int] = None
        self.limit = 18446744073709551615

    @staticmethod
    def _new_list(n: int) -> List[ByteStream_getSubstream_Params_Builder]:
        out: List[ByteStream_getSubstream_Params_Builder] = []
        new = ByteStream_getSubstream_Params_Builder.__new__
        for _ in range(n):
            self = new(ByteStream_getSubstream_Params_Builder)
            self._f_callback = None
            self.limit = 18446744073709551615
            out.append(self)
        return out

    @property
    def callback(self) -> Optional[int]:
        return self._f_callback

    @callback.setter
    def callback(self, value: Optional[int]) -> None:
        self._f_callback = value

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S1.pack_into(
                buf, at,
                self.limit ^ 18446744073709551615,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("ByteStream_getSubstream_Params", exc) from None
        p0 = self._f_callback
        if p0 is not None:
            _rt.write_cap(buf, at + 8, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not ByteStream_getSubstream_Params_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S1.pack_into(
                    buf, at,
                    v.limit ^ 18446744073709551615,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("ByteStream_getSubstream_Params", exc) from None
            p0 = v._f_callback
            if p0 is not None:
                _rt.write_cap(buf, at + 8, p0)
            at += 16

    def as_reader(self) -> ByteStream_getSubstream_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ByteStream_getSubstream_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class ByteStream_getSubstream_Results_Builder(_rt.BuilderBase):
    """Builder of struct getSubstream$Results (0x8d198ede6d27756a)."""

    __slots__ = ('_f_substream',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_substream: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[ByteStream_getSubstream_Results_Builder]:
        out: List[ByteStream_getSubstream_Results_Builder] = []
        new = ByteStream_getSubstream_Results_Builder.__new__
        for _ in range(n):
            self = new(ByteStream_getSubstream_Results_Builder)
            self._f_substream = None
            out.append(self)
        return out

    @property
    def substream(self) -> Optional[int]:
        return self._f_substream

    @substream.setter
    def substream(self, value: Optional[int]) -> None:
        self._f_substream = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_substream
        if p0 is not None:
            _rt.write_cap(buf, at + 0, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not ByteStream_getSubstream_Results_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_substream
            if p0 is not None:
                _rt.write_cap(buf, at + 0, p0)
            at += 8

    def as_reader(self) -> ByteStream_getSubstream_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ByteStream_getSubstream_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class ByteStream_startTls_Params_Builder(_rt.BuilderBase):
    """Builder of struct startTls$Params (0xea8253a695da1ab8)."""

    __slots__ = ('_f_expectedServerHostname',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_expectedServerHostname: Optional[str] = None

    @staticmethod
    def _new_list(n: int) -> List[ByteStream_startTls_Params_Builder]:
        out: List[ByteStream_startTls_Params_Builder] = []
        new = ByteStream_startTls_Params_Builder.__new__
        for _ in range(n):
            self = new(ByteStream_startTls_Params_Builder)
            self._f_expectedServerHostname = None
            out.append(self)
        return out

    @property
    def expectedServerHostname(self) -> str:
        v = self._f_expectedServerHostname
        return "" if v is None else v

    @expectedServerHostname.setter
    def expectedServerHostname(self, value: str) -> None:
        self._f_expectedServerHostname = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_expectedServerHostname
        if p0 is None:
            a0 = b0 = 0
        else:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'ByteStream.startTls$Params.expectedServerHostname') from None
            a0 = ((len(buf) - at - 8) >> 1) | 1
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            b0 = (k0 << 3) + 10
        try:
            _S4.pack_into(
                buf, at,
                a0,
                b0,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("ByteStream_startTls_Params", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not ByteStream_startTls_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_expectedServerHostname
            if p0 is None:
                a0 = b0 = 0
            else:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'ByteStream.startTls$Params.expectedServerHostname') from None
                a0 = ((len(buf) - at - 8) >> 1) | 1
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                b0 = (k0 << 3) + 10
            try:
                _S4.pack_into(
                    buf, at,
                    a0,
                    b0,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("ByteStream_startTls_Params", exc) from None
            at += 8

    def as_reader(self) -> ByteStream_startTls_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ByteStream_startTls_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class ByteStream:
    """Interface ByteStream: IDs and method table.

    Typed clients and servers are built from ``METHODS`` by the RPC layer.
    """

    INTERFACE_ID: Final = 0xd2e7d8a0dc0a9766
    SUPERCLASS_IDS: Final[Tuple[int, ...]] = ()
    write: Final = _rt.MethodInfo(
        0xd2e7d8a0dc0a9766, 0, 'write',
        ByteStream_write_Params_Reader, ByteStream_write_Params_Builder, _stream_capnp.StreamResult_Reader, _stream_capnp.StreamResult_Builder)
    end: Final = _rt.MethodInfo(
        0xd2e7d8a0dc0a9766, 1, 'end',
        ByteStream_end_Params_Reader, ByteStream_end_Params_Builder, ByteStream_end_Results_Reader, ByteStream_end_Results_Builder)
    getSubstream: Final = _rt.MethodInfo(
        0xd2e7d8a0dc0a9766, 2, 'getSubstream',
        ByteStream_getSubstream_Params_Reader, ByteStream_getSubstream_Params_Builder, ByteStream_getSubstream_Results_Reader, ByteStream_getSubstream_Results_Builder)
    startTls: Final = _rt.MethodInfo(
        0xd2e7d8a0dc0a9766, 3, 'startTls',
        ByteStream_startTls_Params_Reader, ByteStream_startTls_Params_Builder, _stream_capnp.StreamResult_Reader, _stream_capnp.StreamResult_Builder)
    METHODS: Final[Tuple[_rt.MethodInfo, ...]] = (write, end, getSubstream, startTls)


class ByteStream_SubstreamCallback:
    """Interface SubstreamCallback: IDs and method table.

    Typed clients and servers are built from ``METHODS`` by the RPC layer.
    """

    INTERFACE_ID: Final = 0xb23c0a13cf65c36e
    SUPERCLASS_IDS: Final[Tuple[int, ...]] = ()
    ended: Final = _rt.MethodInfo(
        0xb23c0a13cf65c36e, 0, 'ended',
        ByteStream_SubstreamCallback_ended_Params_Reader, ByteStream_SubstreamCallback_ended_Params_Builder, ByteStream_SubstreamCallback_ended_Results_Reader, ByteStream_SubstreamCallback_ended_Results_Builder)
    reachedLimit: Final = _rt.MethodInfo(
        0xb23c0a13cf65c36e, 1, 'reachedLimit',
        ByteStream_SubstreamCallback_reachedLimit_Params_Reader, ByteStream_SubstreamCallback_reachedLimit_Params_Builder, ByteStream_SubstreamCallback_reachedLimit_Results_Reader, ByteStream_SubstreamCallback_reachedLimit_Results_Builder)
    METHODS: Final[Tuple[_rt.MethodInfo, ...]] = (ended, reachedLimit)


class ByteStream_getSubstream_Promise(_typed.TypedPromise[ByteStream_getSubstream_Results_Reader]):
    """Results of ByteStream.getSubstream in flight: its capabilities, pipelined."""

    __slots__ = ()

    @property
    def substream(self) -> ByteStream_Client:
        """``substream`` of the results, usable before they arrive."""
        return self.client(ByteStream_Client, 0)


class ByteStream_getSubstream_Request(_typed.TypedRequest[ByteStream_getSubstream_Params_Builder, ByteStream_getSubstream_Results_Reader]):
    """A getSubstream call being prepared; ``send()`` gives its pipelining promise."""

    __slots__ = ()

    def send(self) -> ByteStream_getSubstream_Promise:
        return ByteStream_getSubstream_Promise._of(super().send())


class ByteStream_Client(_typed.TypedClient):
    """Typed client of interface ByteStream (0xd2e7d8a0dc0a9766): wraps a capability."""

    __slots__ = ()
    _typed_interface = _typed.interface(ByteStream, (), ('write', 'end', 'getSubstream', 'startTls'), (0, 3))

    def write_request(self) -> _typed.StreamRequest[ByteStream_write_Params_Builder]:
        return self._stream_request(ByteStream.METHODS[0])

    def write(self, params: Optional[ByteStream_write_Params_Builder] = None) -> _typed.StreamPromise:
        return self._stream(ByteStream.METHODS[0], params)

    def end_request(self) -> _typed.TypedRequest[ByteStream_end_Params_Builder, ByteStream_end_Results_Reader]:
        return self._request(ByteStream.METHODS[1])

    def end(self, params: Optional[ByteStream_end_Params_Builder] = None) -> _typed.TypedPromise[ByteStream_end_Results_Reader]:
        return self._call(ByteStream.METHODS[1], params)

    def getSubstream_request(self) -> ByteStream_getSubstream_Request:
        return self._request_as(ByteStream_getSubstream_Request, ByteStream.METHODS[2])

    def getSubstream(self, params: Optional[ByteStream_getSubstream_Params_Builder] = None) -> ByteStream_getSubstream_Promise:
        return ByteStream_getSubstream_Promise._of(self._call(ByteStream.METHODS[2], params))

    def startTls_request(self) -> _typed.StreamRequest[ByteStream_startTls_Params_Builder]:
        return self._stream_request(ByteStream.METHODS[3])

    def startTls(self, params: Optional[ByteStream_startTls_Params_Builder] = None) -> _typed.StreamPromise:
        return self._stream(ByteStream.METHODS[3], params)


class ByteStream_Server(_typed.TypedServer):
    """Typed server of interface ByteStream (0xd2e7d8a0dc0a9766): override the methods it implements."""

    _capnp_interface = ByteStream_Client._typed_interface

    async def write(self, context: _typed.TypedCallContext[ByteStream_write_Params_Reader, _stream_capnp.StreamResult_Builder]) -> None:
        raise _typed.unimplemented('ByteStream.write')

    async def end(self, context: _typed.TypedCallContext[ByteStream_end_Params_Reader, ByteStream_end_Results_Builder]) -> None:
        raise _typed.unimplemented('ByteStream.end')

    async def getSubstream(self, context: _typed.TypedCallContext[ByteStream_getSubstream_Params_Reader, ByteStream_getSubstream_Results_Builder]) -> None:
        raise _typed.unimplemented('ByteStream.getSubstream')

    async def startTls(self, context: _typed.TypedCallContext[ByteStream_startTls_Params_Reader, _stream_capnp.StreamResult_Builder]) -> None:
        raise _typed.unimplemented('ByteStream.startTls')


class ByteStream_SubstreamCallback_reachedLimit_Promise(_typed.TypedPromise[ByteStream_SubstreamCallback_reachedLimit_Results_Reader]):
    """Results of SubstreamCallback.reachedLimit in flight: its capabilities, pipelined."""

    __slots__ = ()

    @property
    def next(self) -> ByteStream_Client:
        """``next`` of the results, usable before they arrive."""
        return self.client(ByteStream_Client, 0)


class ByteStream_SubstreamCallback_reachedLimit_Request(_typed.TypedRequest[ByteStream_SubstreamCallback_reachedLimit_Params_Builder, ByteStream_SubstreamCallback_reachedLimit_Results_Reader]):
    """A reachedLimit call being prepared; ``send()`` gives its pipelining promise."""

    __slots__ = ()

    def send(self) -> ByteStream_SubstreamCallback_reachedLimit_Promise:
        return ByteStream_SubstreamCallback_reachedLimit_Promise._of(super().send())


class ByteStream_SubstreamCallback_Client(_typed.TypedClient):
    """Typed client of interface SubstreamCallback (0xb23c0a13cf65c36e): wraps a capability."""

    __slots__ = ()
    _typed_interface = _typed.interface(ByteStream_SubstreamCallback, (), ('ended', 'reachedLimit'), ())

    def ended_request(self) -> _typed.TypedRequest[ByteStream_SubstreamCallback_ended_Params_Builder, ByteStream_SubstreamCallback_ended_Results_Reader]:
        return self._request(ByteStream_SubstreamCallback.METHODS[0])

    def ended(self, params: Optional[ByteStream_SubstreamCallback_ended_Params_Builder] = None) -> _typed.TypedPromise[ByteStream_SubstreamCallback_ended_Results_Reader]:
        return self._call(ByteStream_SubstreamCallback.METHODS[0], params)

    def reachedLimit_request(self) -> ByteStream_SubstreamCallback_reachedLimit_Request:
        return self._request_as(ByteStream_SubstreamCallback_reachedLimit_Request, ByteStream_SubstreamCallback.METHODS[1])

    def reachedLimit(self, params: Optional[ByteStream_SubstreamCallback_reachedLimit_Params_Builder] = None) -> ByteStream_SubstreamCallback_reachedLimit_Promise:
        return ByteStream_SubstreamCallback_reachedLimit_Promise._of(self._call(ByteStream_SubstreamCallback.METHODS[1], params))


class ByteStream_SubstreamCallback_Server(_typed.TypedServer):
    """Typed server of interface SubstreamCallback (0xb23c0a13cf65c36e): override the methods it implements."""

    _capnp_interface = ByteStream_SubstreamCallback_Client._typed_interface

    async def ended(self, context: _typed.TypedCallContext[ByteStream_SubstreamCallback_ended_Params_Reader, ByteStream_SubstreamCallback_ended_Results_Builder]) -> None:
        raise _typed.unimplemented('SubstreamCallback.ended')

    async def reachedLimit(self, context: _typed.TypedCallContext[ByteStream_SubstreamCallback_reachedLimit_Params_Reader, ByteStream_SubstreamCallback_reachedLimit_Results_Builder]) -> None:
        raise _typed.unimplemented('SubstreamCallback.reachedLimit')

# List specs and embedded defaults, used by the classes above.
_SC0: Final = _rt.Scalars("Q", (8,))
_S1: Final = struct.Struct("<Q")
_S2: Final = struct.Struct("<IIQQ")
_S3: Final = struct.Struct("<QQ")
_S4: Final = struct.Struct("<II")
ByteStream_SubstreamCallback_ended_Params_Reader._SC = _SC0
ByteStream_getSubstream_Params_Reader._SC = _SC0
