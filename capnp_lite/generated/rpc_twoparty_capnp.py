"""Generated from capnp/rpc-twoparty.capnp by capnp_lite codegen: do not edit.

File ID 0xa184c7885cdaf2a1.
"""

from __future__ import annotations

import struct
from typing import Any, Final, List, Optional, Sequence, Tuple

from capnp_lite.codegen import runtime as _rt

FILE_ID: Final = 0xa184c7885cdaf2a1


class Side(_rt.CapnpEnum):
    """Enum Side (0x9fd69ebc87b9719c)."""

    server = 0
    client = 1


_M_Side: Final[Tuple[Side, ...]] = tuple(Side)


class VatId_Reader(_rt.StructView):
    """Reader of struct VatId (0xd20b909fee733a8e): 1 data words, 0 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 2:
            v: Tuple[Any, ...] = _SC0.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC0.read(self)
        self._v = v
        return v

    @property
    def side(self) -> Side:
        v = (self._v or self._load())
        r: Side = _M_Side[v[0]] if v[0] < 2 else Side(v[0])
        return r


class ProvisionId_Reader(_rt.StructView):
    """Reader of struct ProvisionId (0xb88d09a9c5f39817): 1 data words, 0 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 4:
            v: Tuple[Any, ...] = _SC1.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC1.read(self)
        self._v = v
        return v

    @property
    def joinId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r


class RecipientId_Reader(_rt.StructView):
    """Reader of struct RecipientId (0x89f389b6fd4082c1): 0 data words, 0 pointers."""

    __slots__ = ()


class ThirdPartyCapId_Reader(_rt.StructView):
    """Reader of struct ThirdPartyCapId (0xb47f4979672cb59d): 0 data words, 0 pointers."""

    __slots__ = ()


class JoinKeyPart_Reader(_rt.StructView):
    """Reader of struct JoinKeyPart (0x95b29059097fca83): 1 data words, 0 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC2.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC2.read(self)
        self._v = v
        return v

    @property
    def joinId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def partCount(self) -> int:
        r: int = (self._v or self._load())[1]
        return r

    @property
    def partNum(self) -> int:
        r: int = (self._v or self._load())[2]
        return r


class JoinResult_Reader(_rt.StructView):
    """Reader of struct JoinResult (0x9d263a3630b7ebee): 1 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 5:
            v: Tuple[Any, ...] = _SC3.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC3.read(self)
        self._v = v
        return v

    @property
    def joinId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def succeeded(self) -> bool:
        r: bool = (self._v or self._load())[1] & 1 != 0
        return r

    @property
    def cap(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(0)


class VatId_Builder(_rt.BuilderBase):
    """Builder of struct VatId (0xd20b909fee733a8e)."""

    __slots__ = ('side',)
    _DW = 1
    _PC = 0
    _HI = 0x100000000
    _ZERO = bytes(8)
    side: Side

    def __init__(self) -> None:
        self.side = Side.server

    @staticmethod
    def _new_list(n: int) -> List[VatId_Builder]:
        out: List[VatId_Builder] = []
        new = VatId_Builder.__new__
        d0 = Side.server
        for _ in range(n):
            self = new(VatId_Builder)
            self.side = d0
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S4.pack_into(
                buf, at,
                self.side,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("VatId", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not VatId_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S4.pack_into(
                    buf, at,
                    v.side,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("VatId", exc) from None
            at += 8

    def to_bytes(self) -> bytes:
        try:
            return _S5.pack(
                0, 2, 0x100000000,
                self.side,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("VatId", exc) from None

    def to_flat_bytes(self) -> bytes:
        try:
            return _S6.pack(
                0x100000000,
                self.side,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("VatId", exc) from None

    def as_reader(self) -> VatId_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return VatId_Reader.from_flat_bytes(self.to_flat_bytes())


class ProvisionId_Builder(_rt.BuilderBase):
    """Builder of struct ProvisionId (0xb88d09a9c5f39817)."""

    __slots__ = ('joinId',)
    _DW = 1
    _PC = 0
    _HI = 0x100000000
    _ZERO = bytes(8)
    joinId: int

    def __init__(self) -> None:
        self.joinId = 0

    @staticmethod
    def _new_list(n: int) -> List[ProvisionId_Builder]:
        out: List[ProvisionId_Builder] = []
        new = ProvisionId_Builder.__new__
        for _ in range(n):
            self = new(ProvisionId_Builder)
            self.joinId = 0
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S7.pack_into(
                buf, at,
                self.joinId,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("ProvisionId", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not ProvisionId_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S7.pack_into(
                    buf, at,
                    v.joinId,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("ProvisionId", exc) from None
            at += 8

    def to_bytes(self) -> bytes:
        try:
            return _S8.pack(
                0, 2, 0x100000000,
                self.joinId,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("ProvisionId", exc) from None

    def to_flat_bytes(self) -> bytes:
        try:
            return _S9.pack(
                0x100000000,
                self.joinId,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("ProvisionId", exc) from None

    def as_reader(self) -> ProvisionId_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ProvisionId_Reader.from_flat_bytes(self.to_flat_bytes())


class RecipientId_Builder(_rt.BuilderBase):
    """Builder of struct RecipientId (0x89f389b6fd4082c1)."""

    __slots__ = ()
    _DW = 0
    _PC = 0
    _HI = 0x0
    _ZERO = bytes(0)

    def __init__(self) -> None:
        pass

    @staticmethod
    def _new_list(n: int) -> List[RecipientId_Builder]:
        out: List[RecipientId_Builder] = []
        new = RecipientId_Builder.__new__
        for _ in range(n):
            self = new(RecipientId_Builder)
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        pass

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not RecipientId_Builder:
                raise _rt.element_type_error(cls, v)
            at += 0

    def as_reader(self) -> RecipientId_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return RecipientId_Reader.from_flat_bytes(self.to_flat_bytes())


class ThirdPartyCapId_Builder(_rt.BuilderBase):
    """Builder of struct ThirdPartyCapId (0xb47f4979672cb59d)."""

    __slots__ = ()
    _DW = 0
    _PC = 0
    _HI = 0x0
    _ZERO = bytes(0)

    def __init__(self) -> None:
        pass

    @staticmethod
    def _new_list(n: int) -> List[ThirdPartyCapId_Builder]:
        out: List[ThirdPartyCapId_Builder] = []
        new = ThirdPartyCapId_Builder.__new__
        for _ in range(n):
            self = new(ThirdPartyCapId_Builder)
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        pass

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not ThirdPartyCapId_Builder:
                raise _rt.element_type_error(cls, v)
            at += 0

    def as_reader(self) -> ThirdPartyCapId_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ThirdPartyCapId_Reader.from_flat_bytes(self.to_flat_bytes())


class JoinKeyPart_Builder(_rt.BuilderBase):
    """Builder of struct JoinKeyPart (0x95b29059097fca83)."""

    __slots__ = ('joinId', 'partCount', 'partNum')
    _DW = 1
    _PC = 0
    _HI = 0x100000000
    _ZERO = bytes(8)
    joinId: int
    partCount: int
    partNum: int

    def __init__(self) -> None:
        self.joinId = 0
        self.partCount = 0
        self.partNum = 0

    @staticmethod
    def _new_list(n: int) -> List[JoinKeyPart_Builder]:
        out: List[JoinKeyPart_Builder] = []
        new = JoinKeyPart_Builder.__new__
        for _ in range(n):
            self = new(JoinKeyPart_Builder)
            self.joinId = 0
            self.partCount = 0
            self.partNum = 0
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S10.pack_into(
                buf, at,
                self.joinId,
                self.partCount,
                self.partNum,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("JoinKeyPart", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not JoinKeyPart_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S10.pack_into(
                    buf, at,
                    v.joinId,
                    v.partCount,
                    v.partNum,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("JoinKeyPart", exc) from None
            at += 8

    def to_bytes(self) -> bytes:
        try:
            return _S11.pack(
                0, 2, 0x100000000,
                self.joinId,
                self.partCount,
                self.partNum,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("JoinKeyPart", exc) from None

    def to_flat_bytes(self) -> bytes:
        try:
            return _S12.pack(
                0x100000000,
                self.joinId,
                self.partCount,
                self.partNum,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("JoinKeyPart", exc) from None

    def as_reader(self) -> JoinKeyPart_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return JoinKeyPart_Reader.from_flat_bytes(self.to_flat_bytes())


class JoinResult_Builder(_rt.BuilderBase):
    """Builder of struct JoinResult (0x9d263a3630b7ebee)."""

    __slots__ = ('joinId', 'succeeded', '_f_cap')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    joinId: int
    succeeded: bool

    def __init__(self) -> None:
        self.joinId = 0
        self.succeeded = False
        self._f_cap: Optional[_rt.PointerValue] = None

    @staticmethod
    def _new_list(n: int) -> List[JoinResult_Builder]:
        out: List[JoinResult_Builder] = []
        new = JoinResult_Builder.__new__
        for _ in range(n):
            self = new(JoinResult_Builder)
            self.joinId = 0
            self.succeeded = False
            self._f_cap = None
            out.append(self)
        return out

    @property
    def cap(self) -> Optional[_rt.PointerValue]:
        return self._f_cap

    @cap.setter
    def cap(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_cap = value

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S13.pack_into(
                buf, at,
                self.joinId,
                (1 if (bit32 := self.succeeded) is True else 0 if bit32 is False else _rt.bool_bit(bit32, 1, 'JoinResult.succeeded')),
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("JoinResult", exc) from None
        p0 = self._f_cap
        if p0 is not None:
            _rt.write_pointer(buf, at + 8, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not JoinResult_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S13.pack_into(
                    buf, at,
                    v.joinId,
                    (1 if (bit32 := v.succeeded) is True else 0 if bit32 is False else _rt.bool_bit(bit32, 1, 'JoinResult.succeeded')),
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("JoinResult", exc) from None
            p0 = v._f_cap
            if p0 is not None:
                _rt.write_pointer(buf, at + 8, p0)
            at += 16

    def as_reader(self) -> JoinResult_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return JoinResult_Reader.from_flat_bytes(self.to_flat_bytes())


class VatId:
    """Struct VatId: constructors and readers."""

    TYPE_ID: Final = 0xd20b909fee733a8e

    @staticmethod
    def new_message() -> VatId_Builder:
        return VatId_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> VatId_Reader:
        return VatId_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> VatId_Reader:
        return VatId_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> VatId_Reader:
        return VatId_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class ProvisionId:
    """Struct ProvisionId: constructors and readers."""

    TYPE_ID: Final = 0xb88d09a9c5f39817

    @staticmethod
    def new_message() -> ProvisionId_Builder:
        return ProvisionId_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> ProvisionId_Reader:
        return ProvisionId_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> ProvisionId_Reader:
        return ProvisionId_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> ProvisionId_Reader:
        return ProvisionId_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class RecipientId:
    """Struct RecipientId: constructors and readers."""

    TYPE_ID: Final = 0x89f389b6fd4082c1

    @staticmethod
    def new_message() -> RecipientId_Builder:
        return RecipientId_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> RecipientId_Reader:
        return RecipientId_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> RecipientId_Reader:
        return RecipientId_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> RecipientId_Reader:
        return RecipientId_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class ThirdPartyCapId:
    """Struct ThirdPartyCapId: constructors and readers."""

    TYPE_ID: Final = 0xb47f4979672cb59d

    @staticmethod
    def new_message() -> ThirdPartyCapId_Builder:
        return ThirdPartyCapId_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> ThirdPartyCapId_Reader:
        return ThirdPartyCapId_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> ThirdPartyCapId_Reader:
        return ThirdPartyCapId_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> ThirdPartyCapId_Reader:
        return ThirdPartyCapId_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class JoinKeyPart:
    """Struct JoinKeyPart: constructors and readers."""

    TYPE_ID: Final = 0x95b29059097fca83

    @staticmethod
    def new_message() -> JoinKeyPart_Builder:
        return JoinKeyPart_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> JoinKeyPart_Reader:
        return JoinKeyPart_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> JoinKeyPart_Reader:
        return JoinKeyPart_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> JoinKeyPart_Reader:
        return JoinKeyPart_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class JoinResult:
    """Struct JoinResult: constructors and readers."""

    TYPE_ID: Final = 0x9d263a3630b7ebee

    @staticmethod
    def new_message() -> JoinResult_Builder:
        return JoinResult_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> JoinResult_Reader:
        return JoinResult_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> JoinResult_Reader:
        return JoinResult_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> JoinResult_Reader:
        return JoinResult_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

# List specs and embedded defaults, used by the classes above.
_SC0: Final = _rt.Scalars("H", (2,))
_SC1: Final = _rt.Scalars("I", (4,))
_SC2: Final = _rt.Scalars("IHH", (4, 6, 8))
_SC3: Final = _rt.Scalars("IB", (4, 5))
_S4: Final = struct.Struct("<H")
_S5: Final = struct.Struct("<IIQH6x")
_S6: Final = struct.Struct("<QH6x")
_S7: Final = struct.Struct("<I")
_S8: Final = struct.Struct("<IIQI4x")
_S9: Final = struct.Struct("<QI4x")
_S10: Final = struct.Struct("<IHH")
_S11: Final = struct.Struct("<IIQIHH")
_S12: Final = struct.Struct("<QIHH")
_S13: Final = struct.Struct("<IB")
VatId_Reader._SC = _SC0
ProvisionId_Reader._SC = _SC1
JoinKeyPart_Reader._SC = _SC2
JoinResult_Reader._SC = _SC3
