"""Generated from capnp/rpc.capnp by capnp_lite codegen: do not edit.

File ID 0xb312981b2552a250.
"""

from __future__ import annotations

import struct
from typing import Any, Final, List, Optional, Sequence, Tuple

from capnp_lite.codegen import runtime as _rt

FILE_ID: Final = 0xb312981b2552a250


class Exception_Type(_rt.CapnpEnum):
    """Enum Type (0xb28c96e23f4cbd58)."""

    failed = 0
    overloaded = 1
    disconnected = 2
    unimplemented = 3


_M_Exception_Type: Final[Tuple[Exception_Type, ...]] = tuple(Exception_Type)


class Message_Which(_rt.CapnpEnum):
    """Union tags of Message."""

    unimplemented = 0
    abort = 1
    call = 2
    return_ = 3
    finish = 4
    resolve = 5
    release = 6
    obsoleteSave = 7
    bootstrap = 8
    obsoleteDelete = 9
    provide = 10
    accept = 11
    join = 12
    disembargo = 13


_M_Message_Which: Final[Tuple[Message_Which, ...]] = tuple(Message_Which)


class Call_sendResultsTo_Which(_rt.CapnpEnum):
    """Union tags of sendResultsTo."""

    caller = 0
    yourself = 1
    thirdParty = 2


_M_Call_sendResultsTo_Which: Final[Tuple[Call_sendResultsTo_Which, ...]] = tuple(Call_sendResultsTo_Which)


class Return_Which(_rt.CapnpEnum):
    """Union tags of Return."""

    results = 0
    exception = 1
    canceled = 2
    resultsSentElsewhere = 3
    takeFromOtherQuestion = 4
    acceptFromThirdParty = 5


_M_Return_Which: Final[Tuple[Return_Which, ...]] = tuple(Return_Which)


class Resolve_Which(_rt.CapnpEnum):
    """Union tags of Resolve."""

    cap = 0
    exception = 1


_M_Resolve_Which: Final[Tuple[Resolve_Which, ...]] = tuple(Resolve_Which)


class Disembargo_context_Which(_rt.CapnpEnum):
    """Union tags of context."""

    senderLoopback = 0
    receiverLoopback = 1
    accept = 2
    provide = 3


_M_Disembargo_context_Which: Final[Tuple[Disembargo_context_Which, ...]] = tuple(Disembargo_context_Which)


class MessageTarget_Which(_rt.CapnpEnum):
    """Union tags of MessageTarget."""

    importedCap = 0
    promisedAnswer = 1


_M_MessageTarget_Which: Final[Tuple[MessageTarget_Which, ...]] = tuple(MessageTarget_Which)


class CapDescriptor_Which(_rt.CapnpEnum):
    """Union tags of CapDescriptor."""

    none = 0
    senderHosted = 1
    senderPromise = 2
    receiverHosted = 3
    receiverAnswer = 4
    thirdPartyHosted = 5


_M_CapDescriptor_Which: Final[Tuple[CapDescriptor_Which, ...]] = tuple(CapDescriptor_Which)


class PromisedAnswer_Op_Which(_rt.CapnpEnum):
    """Union tags of Op."""

    noop = 0
    getPointerField = 1


_M_PromisedAnswer_Op_Which: Final[Tuple[PromisedAnswer_Op_Which, ...]] = tuple(PromisedAnswer_Op_Which)


class Message_Reader(_rt.StructView):
    """Reader of struct Message (0x91b79f1f808db032): 1 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> Message_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_Message_Which[e] if e < 14 else Message_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 2:
            v: Tuple[Any, ...] = _SC0.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC0.read(self)
        self._v = v
        return v

    @property
    def unimplemented(self) -> Message_Reader:
        return _rt.struct_field(self, 0, Message_Reader)

    @property
    def abort(self) -> Exception_Reader:
        return _rt.struct_field(self, 0, Exception_Reader)

    @property
    def call(self) -> Call_Reader:
        return _rt.struct_field(self, 0, Call_Reader)

    @property
    def return_(self) -> Return_Reader:
        return _rt.struct_field(self, 0, Return_Reader)

    @property
    def finish(self) -> Finish_Reader:
        return _rt.struct_field(self, 0, Finish_Reader)

    @property
    def resolve(self) -> Resolve_Reader:
        return _rt.struct_field(self, 0, Resolve_Reader)

    @property
    def release(self) -> Release_Reader:
        return _rt.struct_field(self, 0, Release_Reader)

    @property
    def obsoleteSave(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(0)

    @property
    def bootstrap(self) -> Bootstrap_Reader:
        return _rt.struct_field(self, 0, Bootstrap_Reader)

    @property
    def obsoleteDelete(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(0)

    @property
    def provide(self) -> Provide_Reader:
        return _rt.struct_field(self, 0, Provide_Reader)

    @property
    def accept(self) -> Accept_Reader:
        return _rt.struct_field(self, 0, Accept_Reader)

    @property
    def join(self) -> Join_Reader:
        return _rt.struct_field(self, 0, Join_Reader)

    @property
    def disembargo(self) -> Disembargo_Reader:
        return _rt.struct_field(self, 0, Disembargo_Reader)


class Bootstrap_Reader(_rt.StructView):
    """Reader of struct Bootstrap (0xe94ccf8031176ec4): 1 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 4:
            v: Tuple[Any, ...] = _SC1.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC1.read(self)
        self._v = v
        return v

    @property
    def questionId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def deprecatedObjectId(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(0)


class Call_Reader(_rt.StructView):
    """Reader of struct Call (0x836a53ce789d4cd4): 3 data words, 3 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 17:
            v: Tuple[Any, ...] = _SC2.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC2.read(self)
        self._v = v
        return v

    @property
    def questionId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def target(self) -> MessageTarget_Reader:
        return _rt.struct_field(self, 0, MessageTarget_Reader)

    @property
    def interfaceId(self) -> int:
        r: int = (self._v or self._load())[2]
        return r

    @property
    def methodId(self) -> int:
        r: int = (self._v or self._load())[1]
        return r

    @property
    def params(self) -> Payload_Reader:
        return _rt.struct_field(self, 1, Payload_Reader)

    @property
    def sendResultsTo(self) -> Call_sendResultsTo_Reader:
        return _rt.group(self, Call_sendResultsTo_Reader)

    @property
    def allowThirdPartyTailCall(self) -> bool:
        r: bool = (self._v or self._load())[3] & 1 != 0
        return r

    @property
    def noPromisePipelining(self) -> bool:
        r: bool = (self._v or self._load())[3] & 2 != 0
        return r

    @property
    def onlyPromisePipeline(self) -> bool:
        r: bool = (self._v or self._load())[3] & 4 != 0
        return r


class Call_sendResultsTo_Reader(_rt.StructView):
    """Reader of group sendResultsTo (0xdae8b0f61aab5f99): 3 data words, 3 pointers."""

    __slots__ = ()

    def which(self) -> Call_sendResultsTo_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_Call_sendResultsTo_Which[e] if e < 3 else Call_sendResultsTo_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC3.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC3.read(self)
        self._v = v
        return v

    @property
    def caller(self) -> None:
        return None

    @property
    def yourself(self) -> None:
        return None

    @property
    def thirdParty(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(2)


class Return_Reader(_rt.StructView):
    """Reader of struct Return (0x9e19b28d3db3573a): 2 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> Return_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[2]
        return _M_Return_Which[e] if e < 6 else Return_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC4.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC4.read(self)
        self._v = v
        return v

    @property
    def answerId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def releaseParamCaps(self) -> bool:
        r: bool = (self._v or self._load())[1] & 1 == 0
        return r

    @property
    def results(self) -> Payload_Reader:
        return _rt.struct_field(self, 0, Payload_Reader)

    @property
    def exception(self) -> Exception_Reader:
        return _rt.struct_field(self, 0, Exception_Reader)

    @property
    def canceled(self) -> None:
        return None

    @property
    def resultsSentElsewhere(self) -> None:
        return None

    @property
    def takeFromOtherQuestion(self) -> int:
        if self._n >= 12:
            return self._seg.u32[(self._d >> 2) + 2]
        return 0

    @property
    def acceptFromThirdParty(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(0)

    @property
    def noFinishNeeded(self) -> bool:
        r: bool = (self._v or self._load())[1] & 2 != 0
        return r


class Finish_Reader(_rt.StructView):
    """Reader of struct Finish (0xd37d2eb2c2f80e63): 1 data words, 0 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 5:
            v: Tuple[Any, ...] = _SC5.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC5.read(self)
        self._v = v
        return v

    @property
    def questionId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def releaseResultCaps(self) -> bool:
        r: bool = (self._v or self._load())[1] & 1 == 0
        return r

    @property
    def requireEarlyCancellationWorkaround(self) -> bool:
        r: bool = (self._v or self._load())[1] & 2 == 0
        return r


class Resolve_Reader(_rt.StructView):
    """Reader of struct Resolve (0xbbc29655fa89086e): 1 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> Resolve_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[1]
        return _M_Resolve_Which[e] if e < 2 else Resolve_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 6:
            v: Tuple[Any, ...] = _SC6.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC6.read(self)
        self._v = v
        return v

    @property
    def promiseId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def cap(self) -> CapDescriptor_Reader:
        return _rt.struct_field(self, 0, CapDescriptor_Reader)

    @property
    def exception(self) -> Exception_Reader:
        return _rt.struct_field(self, 0, Exception_Reader)


class Release_Reader(_rt.StructView):
    """Reader of struct Release (0xad1a6c0d7dd07497): 1 data words, 0 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC7.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC7.read(self)
        self._v = v
        return v

    @property
    def id(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def referenceCount(self) -> int:
        r: int = (self._v or self._load())[1]
        return r


class Disembargo_Reader(_rt.StructView):
    """Reader of struct Disembargo (0xf964368b0fbd3711): 1 data words, 1 pointers."""

    __slots__ = ()

    @property
    def target(self) -> MessageTarget_Reader:
        return _rt.struct_field(self, 0, MessageTarget_Reader)

    @property
    def context(self) -> Disembargo_context_Reader:
        return _rt.group(self, Disembargo_context_Reader)


class Disembargo_context_Reader(_rt.StructView):
    """Reader of group context (0xd562b4df655bdd4d): 1 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> Disembargo_context_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_Disembargo_context_Which[e] if e < 4 else Disembargo_context_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 6:
            v: Tuple[Any, ...] = _SC8.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC8.read(self)
        self._v = v
        return v

    @property
    def senderLoopback(self) -> int:
        if self._n >= 4:
            return self._seg.u32[(self._d >> 2) + 0]
        return 0

    @property
    def receiverLoopback(self) -> int:
        if self._n >= 4:
            return self._seg.u32[(self._d >> 2) + 0]
        return 0

    @property
    def accept(self) -> None:
        return None

    @property
    def provide(self) -> int:
        if self._n >= 4:
            return self._seg.u32[(self._d >> 2) + 0]
        return 0


class Provide_Reader(_rt.StructView):
    """Reader of struct Provide (0x9c6a046bfbc1ac5a): 1 data words, 2 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 4:
            v: Tuple[Any, ...] = _SC1.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC1.read(self)
        self._v = v
        return v

    @property
    def questionId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def target(self) -> MessageTarget_Reader:
        return _rt.struct_field(self, 0, MessageTarget_Reader)

    @property
    def recipient(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(1)


class Accept_Reader(_rt.StructView):
    """Reader of struct Accept (0xd4c9b56290554016): 1 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 5:
            v: Tuple[Any, ...] = _SC5.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC5.read(self)
        self._v = v
        return v

    @property
    def questionId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def provision(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(0)

    @property
    def embargo(self) -> bool:
        r: bool = (self._v or self._load())[1] & 1 != 0
        return r


class Join_Reader(_rt.StructView):
    """Reader of struct Join (0xfbe1980490e001af): 1 data words, 2 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 4:
            v: Tuple[Any, ...] = _SC1.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC1.read(self)
        self._v = v
        return v

    @property
    def questionId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def target(self) -> MessageTarget_Reader:
        return _rt.struct_field(self, 0, MessageTarget_Reader)

    @property
    def keyPart(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(1)


class MessageTarget_Reader(_rt.StructView):
    """Reader of struct MessageTarget (0x95bc14545813fbc1): 1 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> MessageTarget_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_MessageTarget_Which[e] if e < 2 else MessageTarget_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 6:
            v: Tuple[Any, ...] = _SC8.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC8.read(self)
        self._v = v
        return v

    @property
    def importedCap(self) -> int:
        if self._n >= 4:
            return self._seg.u32[(self._d >> 2) + 0]
        return 0

    @property
    def promisedAnswer(self) -> PromisedAnswer_Reader:
        return _rt.struct_field(self, 0, PromisedAnswer_Reader)


class Payload_Reader(_rt.StructView):
    """Reader of struct Payload (0x9a0e61223d96743b): 0 data words, 2 pointers."""

    __slots__ = ()

    @property
    def content(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(0)

    @property
    def capTable(self) -> _rt.StructList[CapDescriptor_Reader]:
        return _rt.struct_list(self, 1, CapDescriptor_Reader)


class CapDescriptor_Reader(_rt.StructView):
    """Reader of struct CapDescriptor (0x8523ddc40b86b8b0): 1 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> CapDescriptor_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_CapDescriptor_Which[e] if e < 6 else CapDescriptor_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 3:
            v: Tuple[Any, ...] = _SC10.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC10.read(self)
        self._v = v
        return v

    @property
    def none(self) -> None:
        return None

    @property
    def senderHosted(self) -> int:
        if self._n >= 8:
            return self._seg.u32[(self._d >> 2) + 1]
        return 0

    @property
    def senderPromise(self) -> int:
        if self._n >= 8:
            return self._seg.u32[(self._d >> 2) + 1]
        return 0

    @property
    def receiverHosted(self) -> int:
        if self._n >= 8:
            return self._seg.u32[(self._d >> 2) + 1]
        return 0

    @property
    def receiverAnswer(self) -> PromisedAnswer_Reader:
        return _rt.struct_field(self, 0, PromisedAnswer_Reader)

    @property
    def thirdPartyHosted(self) -> ThirdPartyCapDescriptor_Reader:
        return _rt.struct_field(self, 0, ThirdPartyCapDescriptor_Reader)

    @property
    def attachedFd(self) -> int:
        r: int = ((self._v or self._load())[1] ^ 255)
        return r


class _CapDescriptor_Loaded(CapDescriptor_Reader):
    """CapDescriptor_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('attachedFd',)


def _CapDescriptor_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of CapDescriptor."""
    b, dec, d, rows = lst.rows(start, stop, 'HB', 0)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _CapDescriptor_Loaded
    seg = lst._seg
    pc = lst._pc
    k = lst._k
    new = _rt.new_view
    out: List[Any] = []
    append = out.append
    for r in rows:
        s0, s1 = r
        v: Any = new(cls)
        v._ctx = ctx
        v._seg = seg
        v._d = d
        v._n = n
        q = d + n  # byte offset of the pointer section
        v._p = q >> 3
        v._c = pc
        v._k = k
        v._v = r  # (its first values are the struct's scalars)
        v.attachedFd = (s1 ^ 255)
        append(v)
        d += stride
    ctx.budget = budget
    return out


class PromisedAnswer_Reader(_rt.StructView):
    """Reader of struct PromisedAnswer (0xd800b1d6cd6f1ca0): 1 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 4:
            v: Tuple[Any, ...] = _SC1.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC1.read(self)
        self._v = v
        return v

    @property
    def questionId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def transform(self) -> _rt.StructList[PromisedAnswer_Op_Reader]:
        return _rt.struct_list(self, 0, PromisedAnswer_Op_Reader)


class PromisedAnswer_Op_Reader(_rt.StructView):
    """Reader of struct Op (0xf316944415569081): 1 data words, 0 pointers."""

    __slots__ = ()

    def which(self) -> PromisedAnswer_Op_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_PromisedAnswer_Op_Which[e] if e < 2 else PromisedAnswer_Op_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 2:
            v: Tuple[Any, ...] = _SC0.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC0.read(self)
        self._v = v
        return v

    @property
    def noop(self) -> None:
        return None

    @property
    def getPointerField(self) -> int:
        if self._n >= 4:
            return self._seg.u16[(self._d >> 1) + 1]
        return 0


class ThirdPartyCapDescriptor_Reader(_rt.StructView):
    """Reader of struct ThirdPartyCapDescriptor (0xd37007fde1f0027d): 1 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 4:
            v: Tuple[Any, ...] = _SC1.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC1.read(self)
        self._v = v
        return v

    @property
    def id(self) -> _rt.AnyPointerReader:
        return self._r.get_pointer(0)

    @property
    def vineId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r


class Exception_Reader(_rt.StructView):
    """Reader of struct Exception (0xd625b7063acf691a): 1 data words, 3 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 6:
            v: Tuple[Any, ...] = _SC12.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC12.read(self)
        self._v = v
        return v

    @property
    def reason(self) -> str:
        return _rt.text(self, 0)

    @property
    def obsoleteIsCallersFault(self) -> bool:
        r: bool = (self._v or self._load())[0] & 1 != 0
        return r

    @property
    def obsoleteDurability(self) -> int:
        r: int = (self._v or self._load())[1]
        return r

    @property
    def type(self) -> Exception_Type:
        v = (self._v or self._load())
        r: Exception_Type = _M_Exception_Type[v[2]] if v[2] < 4 else Exception_Type(v[2])
        return r

    @property
    def trace(self) -> str:
        return _rt.text(self, 1)

    @property
    def details(self) -> _rt.StructList[Exception_Detail_Reader]:
        return _rt.struct_list(self, 2, Exception_Detail_Reader)


class Exception_Detail_Reader(_rt.StructView):
    """Reader of struct Detail (0xd6c14f121d44f8dd): 1 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 8:
            v: Tuple[Any, ...] = _SC14.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC14.read(self)
        self._v = v
        return v

    @property
    def detailId(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def data(self) -> bytes:
        return _rt.data(self, 0)


class _Exception_Detail_Loaded(Exception_Detail_Reader, _rt.ListElement):
    """Exception_Detail_Reader with its plain fields read in advance, as slots."""

    __slots__ = ('detailId', 'data')


def _Exception_Detail_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:
    """Elements ``start`` to ``stop`` of a list of Detail."""
    b, dec, d, rows = lst.rows(start, stop, 'Q', 1)
    ctx = lst._ctx
    n = lst._dsize
    stride = lst._stride
    budget = ctx.budget
    cls = _Exception_Detail_Loaded
    out: List[Any] = []
    append = out.append
    q = d + n  # byte offset of the pointer section
    for s0, l0, h0 in rows:
        v: Any = cls()
        v._l = lst
        v._q = q
        v.detailId = s0
        b0 = budget
        try:
            if l0 & 3 == 1 and l0 < 0x80000000 and (h0 - 2) & -0x7FF9 == 0:
                s = q + 6 + (l0 << 1)
                e = s + (h0 >> 3)
                w = (h0 + 56) >> 6
                if budget >= w and e <= len(b):
                    v.data = bytes(b[s:e])
                    budget -= w
                else:
                    budget = _rt.eager(v, Exception_Detail_Reader, 'data', budget)
            elif not (l0 or h0):
                v.data = b''
            else:
                budget = _rt.fill(v, ctx, Exception_Detail_Reader, 'data', l0, h0, 'data', budget)
        except (_rt.DecodeError, IndexError, UnicodeDecodeError, struct.error):
            ctx.budget = b0
            return _rt.plain_rest(lst, out, start + len(out), stop)
        append(v)
        q += stride
    ctx.budget = budget
    return out


class Message_Builder(_rt.BuilderBase):
    """Builder of struct Message (0x91b79f1f808db032)."""

    __slots__ = ('_which', '_f_unimplemented', '_f_abort', '_f_call', '_f_return_', '_f_finish', '_f_resolve', '_f_release', '_f_obsoleteSave', '_f_bootstrap', '_f_obsoleteDelete', '_f_provide', '_f_accept', '_f_join', '_f_disembargo')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)

    def __init__(self) -> None:
        self._which: int = 0
        self._f_unimplemented: Optional[Message_Builder] = None
        self._f_abort: Optional[Exception_Builder] = None
        self._f_call: Optional[Call_Builder] = None
        self._f_return_: Optional[Return_Builder] = None
        self._f_finish: Optional[Finish_Builder] = None
        self._f_resolve: Optional[Resolve_Builder] = None
        self._f_release: Optional[Release_Builder] = None
        self._f_obsoleteSave: Optional[_rt.PointerValue] = None
        self._f_bootstrap: Optional[Bootstrap_Builder] = None
        self._f_obsoleteDelete: Optional[_rt.PointerValue] = None
        self._f_provide: Optional[Provide_Builder] = None
        self._f_accept: Optional[Accept_Builder] = None
        self._f_join: Optional[Join_Builder] = None
        self._f_disembargo: Optional[Disembargo_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[Message_Builder]:
        out: List[Message_Builder] = []
        new = Message_Builder.__new__
        for _ in range(n):
            self = new(Message_Builder)
            self._which = 0
            self._f_unimplemented = None
            self._f_abort = None
            self._f_call = None
            self._f_return_ = None
            self._f_finish = None
            self._f_resolve = None
            self._f_release = None
            self._f_obsoleteSave = None
            self._f_bootstrap = None
            self._f_obsoleteDelete = None
            self._f_provide = None
            self._f_accept = None
            self._f_join = None
            self._f_disembargo = None
            out.append(self)
        return out

    def which(self) -> Message_Which:
        v = self._which
        return _M_Message_Which[v] if v < 14 else Message_Which(v)

    @property
    def unimplemented(self) -> Message_Builder:
        if self._which != 0:
            raise _rt.inactive_member('unimplemented', self.which())
        v = self._f_unimplemented
        if v is None:
            v = self._f_unimplemented = Message_Builder()
        return v

    @unimplemented.setter
    def unimplemented(self, value: Message_Builder) -> None:
        self._f_unimplemented = value
        self._which = 0

    def init_unimplemented(self) -> Message_Builder:
        v = self._f_unimplemented = Message_Builder()
        self._which = 0
        return v

    @property
    def abort(self) -> Exception_Builder:
        if self._which != 1:
            raise _rt.inactive_member('abort', self.which())
        v = self._f_abort
        if v is None:
            v = self._f_abort = Exception_Builder()
        return v

    @abort.setter
    def abort(self, value: Exception_Builder) -> None:
        self._f_abort = value
        self._which = 1

    def init_abort(self) -> Exception_Builder:
        v = self._f_abort = Exception_Builder()
        self._which = 1
        return v

    @property
    def call(self) -> Call_Builder:
        if self._which != 2:
            raise _rt.inactive_member('call', self.which())
        v = self._f_call
        if v is None:
            v = self._f_call = Call_Builder()
        return v

    @call.setter
    def call(self, value: Call_Builder) -> None:
        self._f_call = value
        self._which = 2

    def init_call(self) -> Call_Builder:
        v = self._f_call = Call_Builder()
        self._which = 2
        return v

    @property
    def return_(self) -> Return_Builder:
        if self._which != 3:
            raise _rt.inactive_member('return', self.which())
        v = self._f_return_
        if v is None:
            v = self._f_return_ = Return_Builder()
        return v

    @return_.setter
    def return_(self, value: Return_Builder) -> None:
        self._f_return_ = value
        self._which = 3

    def init_return(self) -> Return_Builder:
        v = self._f_return_ = Return_Builder()
        self._which = 3
        return v

    @property
    def finish(self) -> Finish_Builder:
        if self._which != 4:
            raise _rt.inactive_member('finish', self.which())
        v = self._f_finish
        if v is None:
            v = self._f_finish = Finish_Builder()
        return v

    @finish.setter
    def finish(self, value: Finish_Builder) -> None:
        self._f_finish = value
        self._which = 4

    def init_finish(self) -> Finish_Builder:
        v = self._f_finish = Finish_Builder()
        self._which = 4
        return v

    @property
    def resolve(self) -> Resolve_Builder:
        if self._which != 5:
            raise _rt.inactive_member('resolve', self.which())
        v = self._f_resolve
        if v is None:
            v = self._f_resolve = Resolve_Builder()
        return v

    @resolve.setter
    def resolve(self, value: Resolve_Builder) -> None:
        self._f_resolve = value
        self._which = 5

    def init_resolve(self) -> Resolve_Builder:
        v = self._f_resolve = Resolve_Builder()
        self._which = 5
        return v

    @property
    def release(self) -> Release_Builder:
        if self._which != 6:
            raise _rt.inactive_member('release', self.which())
        v = self._f_release
        if v is None:
            v = self._f_release = Release_Builder()
        return v

    @release.setter
    def release(self, value: Release_Builder) -> None:
        self._f_release = value
        self._which = 6

    def init_release(self) -> Release_Builder:
        v = self._f_release = Release_Builder()
        self._which = 6
        return v

    @property
    def obsoleteSave(self) -> Optional[_rt.PointerValue]:
        return self._f_obsoleteSave

    @obsoleteSave.setter
    def obsoleteSave(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_obsoleteSave = value
        self._which = 7

    @property
    def bootstrap(self) -> Bootstrap_Builder:
        if self._which != 8:
            raise _rt.inactive_member('bootstrap', self.which())
        v = self._f_bootstrap
        if v is None:
            v = self._f_bootstrap = Bootstrap_Builder()
        return v

    @bootstrap.setter
    def bootstrap(self, value: Bootstrap_Builder) -> None:
        self._f_bootstrap = value
        self._which = 8

    def init_bootstrap(self) -> Bootstrap_Builder:
        v = self._f_bootstrap = Bootstrap_Builder()
        self._which = 8
        return v

    @property
    def obsoleteDelete(self) -> Optional[_rt.PointerValue]:
        return self._f_obsoleteDelete

    @obsoleteDelete.setter
    def obsoleteDelete(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_obsoleteDelete = value
        self._which = 9

    @property
    def provide(self) -> Provide_Builder:
        if self._which != 10:
            raise _rt.inactive_member('provide', self.which())
        v = self._f_provide
        if v is None:
            v = self._f_provide = Provide_Builder()
        return v

    @provide.setter
    def provide(self, value: Provide_Builder) -> None:
        self._f_provide = value
        self._which = 10

    def init_provide(self) -> Provide_Builder:
        v = self._f_provide = Provide_Builder()
        self._which = 10
        return v

    @property
    def accept(self) -> Accept_Builder:
        if self._which != 11:
            raise _rt.inactive_member('accept', self.which())
        v = self._f_accept
        if v is None:
            v = self._f_accept = Accept_Builder()
        return v

    @accept.setter
    def accept(self, value: Accept_Builder) -> None:
        self._f_accept = value
        self._which = 11

    def init_accept(self) -> Accept_Builder:
        v = self._f_accept = Accept_Builder()
        self._which = 11
        return v

    @property
    def join(self) -> Join_Builder:
        if self._which != 12:
            raise _rt.inactive_member('join', self.which())
        v = self._f_join
        if v is None:
            v = self._f_join = Join_Builder()
        return v

    @join.setter
    def join(self, value: Join_Builder) -> None:
        self._f_join = value
        self._which = 12

    def init_join(self) -> Join_Builder:
        v = self._f_join = Join_Builder()
        self._which = 12
        return v

    @property
    def disembargo(self) -> Disembargo_Builder:
        if self._which != 13:
            raise _rt.inactive_member('disembargo', self.which())
        v = self._f_disembargo
        if v is None:
            v = self._f_disembargo = Disembargo_Builder()
        return v

    @disembargo.setter
    def disembargo(self, value: Disembargo_Builder) -> None:
        self._f_disembargo = value
        self._which = 13

    def init_disembargo(self) -> Disembargo_Builder:
        v = self._f_disembargo = Disembargo_Builder()
        self._which = 13
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S15.pack_into(
                buf, at,
                self._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Message", exc) from None
        p0 = self._f_unimplemented
        if self._which == 0 and p0 is not None:
            _rt.write_struct_of(buf, at + 8, p0, Message_Builder, 'Message.unimplemented')
        p1 = self._f_abort
        if self._which == 1 and p1 is not None:
            _rt.write_struct_of(buf, at + 8, p1, Exception_Builder, 'Message.abort')
        p2 = self._f_call
        if self._which == 2 and p2 is not None:
            _rt.write_struct_of(buf, at + 8, p2, Call_Builder, 'Message.call')
        p3 = self._f_return_
        if self._which == 3 and p3 is not None:
            _rt.write_struct_of(buf, at + 8, p3, Return_Builder, 'Message.return')
        p4 = self._f_finish
        if self._which == 4 and p4 is not None:
            _rt.write_struct_of(buf, at + 8, p4, Finish_Builder, 'Message.finish')
        p5 = self._f_resolve
        if self._which == 5 and p5 is not None:
            _rt.write_struct_of(buf, at + 8, p5, Resolve_Builder, 'Message.resolve')
        p6 = self._f_release
        if self._which == 6 and p6 is not None:
            _rt.write_struct_of(buf, at + 8, p6, Release_Builder, 'Message.release')
        p7 = self._f_obsoleteSave
        if self._which == 7 and p7 is not None:
            _rt.write_pointer(buf, at + 8, p7)
        p8 = self._f_bootstrap
        if self._which == 8 and p8 is not None:
            _rt.write_struct_of(buf, at + 8, p8, Bootstrap_Builder, 'Message.bootstrap')
        p9 = self._f_obsoleteDelete
        if self._which == 9 and p9 is not None:
            _rt.write_pointer(buf, at + 8, p9)
        p10 = self._f_provide
        if self._which == 10 and p10 is not None:
            _rt.write_struct_of(buf, at + 8, p10, Provide_Builder, 'Message.provide')
        p11 = self._f_accept
        if self._which == 11 and p11 is not None:
            _rt.write_struct_of(buf, at + 8, p11, Accept_Builder, 'Message.accept')
        p12 = self._f_join
        if self._which == 12 and p12 is not None:
            _rt.write_struct_of(buf, at + 8, p12, Join_Builder, 'Message.join')
        p13 = self._f_disembargo
        if self._which == 13 and p13 is not None:
            _rt.write_struct_of(buf, at + 8, p13, Disembargo_Builder, 'Message.disembargo')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Message_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S15.pack_into(
                    buf, at,
                    v._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Message", exc) from None
            p0 = v._f_unimplemented
            if v._which == 0 and p0 is not None:
                _rt.write_struct_of(buf, at + 8, p0, Message_Builder, 'Message.unimplemented')
            p1 = v._f_abort
            if v._which == 1 and p1 is not None:
                _rt.write_struct_of(buf, at + 8, p1, Exception_Builder, 'Message.abort')
            p2 = v._f_call
            if v._which == 2 and p2 is not None:
                _rt.write_struct_of(buf, at + 8, p2, Call_Builder, 'Message.call')
            p3 = v._f_return_
            if v._which == 3 and p3 is not None:
                _rt.write_struct_of(buf, at + 8, p3, Return_Builder, 'Message.return')
            p4 = v._f_finish
            if v._which == 4 and p4 is not None:
                _rt.write_struct_of(buf, at + 8, p4, Finish_Builder, 'Message.finish')
            p5 = v._f_resolve
            if v._which == 5 and p5 is not None:
                _rt.write_struct_of(buf, at + 8, p5, Resolve_Builder, 'Message.resolve')
            p6 = v._f_release
            if v._which == 6 and p6 is not None:
                _rt.write_struct_of(buf, at + 8, p6, Release_Builder, 'Message.release')
            p7 = v._f_obsoleteSave
            if v._which == 7 and p7 is not None:
                _rt.write_pointer(buf, at + 8, p7)
            p8 = v._f_bootstrap
            if v._which == 8 and p8 is not None:
                _rt.write_struct_of(buf, at + 8, p8, Bootstrap_Builder, 'Message.bootstrap')
            p9 = v._f_obsoleteDelete
            if v._which == 9 and p9 is not None:
                _rt.write_pointer(buf, at + 8, p9)
            p10 = v._f_provide
            if v._which == 10 and p10 is not None:
                _rt.write_struct_of(buf, at + 8, p10, Provide_Builder, 'Message.provide')
            p11 = v._f_accept
            if v._which == 11 and p11 is not None:
                _rt.write_struct_of(buf, at + 8, p11, Accept_Builder, 'Message.accept')
            p12 = v._f_join
            if v._which == 12 and p12 is not None:
                _rt.write_struct_of(buf, at + 8, p12, Join_Builder, 'Message.join')
            p13 = v._f_disembargo
            if v._which == 13 and p13 is not None:
                _rt.write_struct_of(buf, at + 8, p13, Disembargo_Builder, 'Message.disembargo')
            at += 16

    def as_reader(self) -> Message_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Message_Reader.from_flat_bytes(self.to_flat_bytes())


class Bootstrap_Builder(_rt.BuilderBase):
    """Builder of struct Bootstrap (0xe94ccf8031176ec4)."""

    __slots__ = ('questionId', '_f_deprecatedObjectId')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    questionId: int

    def __init__(self) -> None:
        self.questionId = 0
        self._f_deprecatedObjectId: Optional[_rt.PointerValue] = None

    @staticmethod
    def _new_list(n: int) -> List[Bootstrap_Builder]:
        out: List[Bootstrap_Builder] = []
        new = Bootstrap_Builder.__new__
        for _ in range(n):
            self = new(Bootstrap_Builder)
            self.questionId = 0
            self._f_deprecatedObjectId = None
            out.append(self)
        return out

    @property
    def deprecatedObjectId(self) -> Optional[_rt.PointerValue]:
        return self._f_deprecatedObjectId

    @deprecatedObjectId.setter
    def deprecatedObjectId(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_deprecatedObjectId = value

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S16.pack_into(
                buf, at,
                self.questionId,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Bootstrap", exc) from None
        p0 = self._f_deprecatedObjectId
        if p0 is not None:
            _rt.write_pointer(buf, at + 8, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Bootstrap_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S16.pack_into(
                    buf, at,
                    v.questionId,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Bootstrap", exc) from None
            p0 = v._f_deprecatedObjectId
            if p0 is not None:
                _rt.write_pointer(buf, at + 8, p0)
            at += 16

    def as_reader(self) -> Bootstrap_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Bootstrap_Reader.from_flat_bytes(self.to_flat_bytes())


class Call_Builder(_rt.BuilderBase):
    """Builder of struct Call (0x836a53ce789d4cd4)."""

    __slots__ = ('questionId', '_f_target', 'interfaceId', 'methodId', '_f_params', 'sendResultsTo', 'allowThirdPartyTailCall', 'noPromisePipelining', 'onlyPromisePipeline')
    _DW = 3
    _PC = 3
    _HI = 0x3000300000000
    _ZERO = bytes(48)
    questionId: int
    interfaceId: int
    methodId: int
    sendResultsTo: Call_sendResultsTo_Builder
    allowThirdPartyTailCall: bool
    noPromisePipelining: bool
    onlyPromisePipeline: bool

    def __init__(self) -> None:
        self.questionId = 0
        self._f_target: Optional[MessageTarget_Builder] = None
        self.interfaceId = 0
        self.methodId = 0
        self._f_params: Optional[Payload_Builder] = None
        self.sendResultsTo = Call_sendResultsTo_Builder()
        self.allowThirdPartyTailCall = False
        self.noPromisePipelining = False
        self.onlyPromisePipeline = False

    @staticmethod
    def _new_list(n: int) -> List[Call_Builder]:
        out: List[Call_Builder] = []
        new = Call_Builder.__new__
        for _ in range(n):
            self = new(Call_Builder)
            self.questionId = 0
            self._f_target = None
            self.interfaceId = 0
            self.methodId = 0
            self._f_params = None
            self.sendResultsTo = Call_sendResultsTo_Builder()
            self.allowThirdPartyTailCall = False
            self.noPromisePipelining = False
            self.onlyPromisePipeline = False
            out.append(self)
        return out

    @property
    def target(self) -> MessageTarget_Builder:
        v = self._f_target
        if v is None:
            v = self._f_target = MessageTarget_Builder()
        return v

    @target.setter
    def target(self, value: MessageTarget_Builder) -> None:
        self._f_target = value

    def init_target(self) -> MessageTarget_Builder:
        v = self._f_target = MessageTarget_Builder()
        return v

    @property
    def params(self) -> Payload_Builder:
        v = self._f_params
        if v is None:
            v = self._f_params = Payload_Builder()
        return v

    @params.setter
    def params(self, value: Payload_Builder) -> None:
        self._f_params = value

    def init_params(self) -> Payload_Builder:
        v = self._f_params = Payload_Builder()
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S17.pack_into(
                buf, at,
                self.questionId,
                self.methodId,
                self.sendResultsTo._which,
                self.interfaceId,
                (1 if (bit128 := self.allowThirdPartyTailCall) is True else 0 if bit128 is False else _rt.bool_bit(bit128, 1, 'Call.allowThirdPartyTailCall')) | (2 if (bit129 := self.noPromisePipelining) is True else 0 if bit129 is False else _rt.bool_bit(bit129, 2, 'Call.noPromisePipelining')) | (4 if (bit130 := self.onlyPromisePipeline) is True else 0 if bit130 is False else _rt.bool_bit(bit130, 4, 'Call.onlyPromisePipeline')),
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Call", exc) from None
        p0 = self._f_target
        if p0 is not None:
            _rt.write_struct_of(buf, at + 24, p0, MessageTarget_Builder, 'Call.target')
        p1 = self._f_params
        if p1 is not None:
            _rt.write_struct_of(buf, at + 32, p1, Payload_Builder, 'Call.params')
        p2 = self.sendResultsTo._f_thirdParty
        if self.sendResultsTo._which == 2 and p2 is not None:
            _rt.write_pointer(buf, at + 40, p2)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Call_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S17.pack_into(
                    buf, at,
                    v.questionId,
                    v.methodId,
                    v.sendResultsTo._which,
                    v.interfaceId,
                    (1 if (bit128 := v.allowThirdPartyTailCall) is True else 0 if bit128 is False else _rt.bool_bit(bit128, 1, 'Call.allowThirdPartyTailCall')) | (2 if (bit129 := v.noPromisePipelining) is True else 0 if bit129 is False else _rt.bool_bit(bit129, 2, 'Call.noPromisePipelining')) | (4 if (bit130 := v.onlyPromisePipeline) is True else 0 if bit130 is False else _rt.bool_bit(bit130, 4, 'Call.onlyPromisePipeline')),
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Call", exc) from None
            p0 = v._f_target
            if p0 is not None:
                _rt.write_struct_of(buf, at + 24, p0, MessageTarget_Builder, 'Call.target')
            p1 = v._f_params
            if p1 is not None:
                _rt.write_struct_of(buf, at + 32, p1, Payload_Builder, 'Call.params')
            p2 = v.sendResultsTo._f_thirdParty
            if v.sendResultsTo._which == 2 and p2 is not None:
                _rt.write_pointer(buf, at + 40, p2)
            at += 48

    def as_reader(self) -> Call_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Call_Reader.from_flat_bytes(self.to_flat_bytes())


class Call_sendResultsTo_Builder(_rt.BuilderBase):
    """Builder of group sendResultsTo (0xdae8b0f61aab5f99)."""

    __slots__ = ('_which', '_f_thirdParty')

    def __init__(self) -> None:
        self._which: int = 0
        self._f_thirdParty: Optional[_rt.PointerValue] = None

    def which(self) -> Call_sendResultsTo_Which:
        v = self._which
        return _M_Call_sendResultsTo_Which[v] if v < 3 else Call_sendResultsTo_Which(v)

    @property
    def caller(self) -> None:
        return None

    @caller.setter
    def caller(self, value: None) -> None:
        self._which = 0

    @property
    def yourself(self) -> None:
        return None

    @yourself.setter
    def yourself(self, value: None) -> None:
        self._which = 1

    @property
    def thirdParty(self) -> Optional[_rt.PointerValue]:
        return self._f_thirdParty

    @thirdParty.setter
    def thirdParty(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_thirdParty = value
        self._which = 2


class Return_Builder(_rt.BuilderBase):
    """Builder of struct Return (0x9e19b28d3db3573a)."""

    __slots__ = ('_which', 'answerId', 'releaseParamCaps', '_f_results', '_f_exception', '_f_takeFromOtherQuestion', '_f_acceptFromThirdParty', 'noFinishNeeded')
    _DW = 2
    _PC = 1
    _HI = 0x1000200000000
    _ZERO = bytes(24)
    answerId: int
    releaseParamCaps: bool
    noFinishNeeded: bool

    def __init__(self) -> None:
        self._which: int = 0
        self.answerId = 0
        self.releaseParamCaps = True
        self._f_results: Optional[Payload_Builder] = None
        self._f_exception: Optional[Exception_Builder] = None
        self._f_takeFromOtherQuestion: int = 0
        self._f_acceptFromThirdParty: Optional[_rt.PointerValue] = None
        self.noFinishNeeded = False

    @staticmethod
    def _new_list(n: int) -> List[Return_Builder]:
        out: List[Return_Builder] = []
        new = Return_Builder.__new__
        for _ in range(n):
            self = new(Return_Builder)
            self._which = 0
            self.answerId = 0
            self.releaseParamCaps = True
            self._f_results = None
            self._f_exception = None
            self._f_takeFromOtherQuestion = 0
            self._f_acceptFromThirdParty = None
            self.noFinishNeeded = False
            out.append(self)
        return out

    def which(self) -> Return_Which:
        v = self._which
        return _M_Return_Which[v] if v < 6 else Return_Which(v)

    @property
    def results(self) -> Payload_Builder:
        if self._which != 0:
            raise _rt.inactive_member('results', self.which())
        v = self._f_results
        if v is None:
            v = self._f_results = Payload_Builder()
        return v

    @results.setter
    def results(self, value: Payload_Builder) -> None:
        self._f_results = value
        self._which = 0

    def init_results(self) -> Payload_Builder:
        v = self._f_results = Payload_Builder()
        self._which = 0
        return v

    @property
    def exception(self) -> Exception_Builder:
        if self._which != 1:
            raise _rt.inactive_member('exception', self.which())
        v = self._f_exception
        if v is None:
            v = self._f_exception = Exception_Builder()
        return v

    @exception.setter
    def exception(self, value: Exception_Builder) -> None:
        self._f_exception = value
        self._which = 1

    def init_exception(self) -> Exception_Builder:
        v = self._f_exception = Exception_Builder()
        self._which = 1
        return v

    @property
    def canceled(self) -> None:
        return None

    @canceled.setter
    def canceled(self, value: None) -> None:
        self._which = 2

    @property
    def resultsSentElsewhere(self) -> None:
        return None

    @resultsSentElsewhere.setter
    def resultsSentElsewhere(self, value: None) -> None:
        self._which = 3

    @property
    def takeFromOtherQuestion(self) -> int:
        return self._f_takeFromOtherQuestion

    @takeFromOtherQuestion.setter
    def takeFromOtherQuestion(self, value: int) -> None:
        self._f_takeFromOtherQuestion = value
        self._which = 4

    @property
    def acceptFromThirdParty(self) -> Optional[_rt.PointerValue]:
        return self._f_acceptFromThirdParty

    @acceptFromThirdParty.setter
    def acceptFromThirdParty(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_acceptFromThirdParty = value
        self._which = 5

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S18.pack_into(
                buf, at,
                self.answerId,
                (0 if (bit32 := self.releaseParamCaps) is True else 1 if bit32 is False else _rt.bool_bit(bit32, 1, 'Return.releaseParamCaps', True)) | (2 if (bit33 := self.noFinishNeeded) is True else 0 if bit33 is False else _rt.bool_bit(bit33, 2, 'Return.noFinishNeeded')),
                self._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Return", exc) from None
        try:
            if self._which == 4:
                _S16.pack_into(buf, at + 8, self._f_takeFromOtherQuestion)
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Return", exc) from None
        p0 = self._f_results
        if self._which == 0 and p0 is not None:
            _rt.write_struct_of(buf, at + 16, p0, Payload_Builder, 'Return.results')
        p1 = self._f_exception
        if self._which == 1 and p1 is not None:
            _rt.write_struct_of(buf, at + 16, p1, Exception_Builder, 'Return.exception')
        p2 = self._f_acceptFromThirdParty
        if self._which == 5 and p2 is not None:
            _rt.write_pointer(buf, at + 16, p2)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Return_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S18.pack_into(
                    buf, at,
                    v.answerId,
                    (0 if (bit32 := v.releaseParamCaps) is True else 1 if bit32 is False else _rt.bool_bit(bit32, 1, 'Return.releaseParamCaps', True)) | (2 if (bit33 := v.noFinishNeeded) is True else 0 if bit33 is False else _rt.bool_bit(bit33, 2, 'Return.noFinishNeeded')),
                    v._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Return", exc) from None
            try:
                if v._which == 4:
                    _S16.pack_into(buf, at + 8, v._f_takeFromOtherQuestion)
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Return", exc) from None
            p0 = v._f_results
            if v._which == 0 and p0 is not None:
                _rt.write_struct_of(buf, at + 16, p0, Payload_Builder, 'Return.results')
            p1 = v._f_exception
            if v._which == 1 and p1 is not None:
                _rt.write_struct_of(buf, at + 16, p1, Exception_Builder, 'Return.exception')
            p2 = v._f_acceptFromThirdParty
            if v._which == 5 and p2 is not None:
                _rt.write_pointer(buf, at + 16, p2)
            at += 24

    def as_reader(self) -> Return_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Return_Reader.from_flat_bytes(self.to_flat_bytes())


class Finish_Builder(_rt.BuilderBase):
    """Builder of struct Finish (0xd37d2eb2c2f80e63)."""

    __slots__ = ('questionId', 'releaseResultCaps', 'requireEarlyCancellationWorkaround')
    _DW = 1
    _PC = 0
    _HI = 0x100000000
    _ZERO = bytes(8)
    questionId: int
    releaseResultCaps: bool
    requireEarlyCancellationWorkaround: bool

    def __init__(self) -> None:
        self.questionId = 0
        self.releaseResultCaps = True
        self.requireEarlyCancellationWorkaround = True

    @staticmethod
    def _new_list(n: int) -> List[Finish_Builder]:
        out: List[Finish_Builder] = []
        new = Finish_Builder.__new__
        for _ in range(n):
            self = new(Finish_Builder)
            self.questionId = 0
            self.releaseResultCaps = True
            self.requireEarlyCancellationWorkaround = True
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S19.pack_into(
                buf, at,
                self.questionId,
                (0 if (bit32 := self.releaseResultCaps) is True else 1 if bit32 is False else _rt.bool_bit(bit32, 1, 'Finish.releaseResultCaps', True)) | (0 if (bit33 := self.requireEarlyCancellationWorkaround) is True else 2 if bit33 is False else _rt.bool_bit(bit33, 2, 'Finish.requireEarlyCancellationWorkaround', True)),
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Finish", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Finish_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S19.pack_into(
                    buf, at,
                    v.questionId,
                    (0 if (bit32 := v.releaseResultCaps) is True else 1 if bit32 is False else _rt.bool_bit(bit32, 1, 'Finish.releaseResultCaps', True)) | (0 if (bit33 := v.requireEarlyCancellationWorkaround) is True else 2 if bit33 is False else _rt.bool_bit(bit33, 2, 'Finish.requireEarlyCancellationWorkaround', True)),
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Finish", exc) from None
            at += 8

    def to_bytes(self) -> bytes:
        try:
            return _S20.pack(
                0, 2, 0x100000000,
                self.questionId,
                (0 if (bit32 := self.releaseResultCaps) is True else 1 if bit32 is False else _rt.bool_bit(bit32, 1, 'Finish.releaseResultCaps', True)) | (0 if (bit33 := self.requireEarlyCancellationWorkaround) is True else 2 if bit33 is False else _rt.bool_bit(bit33, 2, 'Finish.requireEarlyCancellationWorkaround', True)),
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Finish", exc) from None

    def to_flat_bytes(self) -> bytes:
        try:
            return _S21.pack(
                0x100000000,
                self.questionId,
                (0 if (bit32 := self.releaseResultCaps) is True else 1 if bit32 is False else _rt.bool_bit(bit32, 1, 'Finish.releaseResultCaps', True)) | (0 if (bit33 := self.requireEarlyCancellationWorkaround) is True else 2 if bit33 is False else _rt.bool_bit(bit33, 2, 'Finish.requireEarlyCancellationWorkaround', True)),
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Finish", exc) from None

    def as_reader(self) -> Finish_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Finish_Reader.from_flat_bytes(self.to_flat_bytes())


class Resolve_Builder(_rt.BuilderBase):
    """Builder of struct Resolve (0xbbc29655fa89086e)."""

    __slots__ = ('_which', 'promiseId', '_f_cap', '_f_exception')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    promiseId: int

    def __init__(self) -> None:
        self._which: int = 0
        self.promiseId = 0
        self._f_cap: Optional[CapDescriptor_Builder] = None
        self._f_exception: Optional[Exception_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[Resolve_Builder]:
        out: List[Resolve_Builder] = []
        new = Resolve_Builder.__new__
        for _ in range(n):
            self = new(Resolve_Builder)
            self._which = 0
            self.promiseId = 0
            self._f_cap = None
            self._f_exception = None
            out.append(self)
        return out

    def which(self) -> Resolve_Which:
        v = self._which
        return _M_Resolve_Which[v] if v < 2 else Resolve_Which(v)

    @property
    def cap(self) -> CapDescriptor_Builder:
        if self._which != 0:
            raise _rt.inactive_member('cap', self.which())
        v = self._f_cap
        if v is None:
            v = self._f_cap = CapDescriptor_Builder()
        return v

    @cap.setter
    def cap(self, value: CapDescriptor_Builder) -> None:
        self._f_cap = value
        self._which = 0

    def init_cap(self) -> CapDescriptor_Builder:
        v = self._f_cap = CapDescriptor_Builder()
        self._which = 0
        return v

    @property
    def exception(self) -> Exception_Builder:
        if self._which != 1:
            raise _rt.inactive_member('exception', self.which())
        v = self._f_exception
        if v is None:
            v = self._f_exception = Exception_Builder()
        return v

    @exception.setter
    def exception(self, value: Exception_Builder) -> None:
        self._f_exception = value
        self._which = 1

    def init_exception(self) -> Exception_Builder:
        v = self._f_exception = Exception_Builder()
        self._which = 1
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S22.pack_into(
                buf, at,
                self.promiseId,
                self._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Resolve", exc) from None
        p0 = self._f_cap
        if self._which == 0 and p0 is not None:
            _rt.write_struct_of(buf, at + 8, p0, CapDescriptor_Builder, 'Resolve.cap')
        p1 = self._f_exception
        if self._which == 1 and p1 is not None:
            _rt.write_struct_of(buf, at + 8, p1, Exception_Builder, 'Resolve.exception')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Resolve_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S22.pack_into(
                    buf, at,
                    v.promiseId,
                    v._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Resolve", exc) from None
            p0 = v._f_cap
            if v._which == 0 and p0 is not None:
                _rt.write_struct_of(buf, at + 8, p0, CapDescriptor_Builder, 'Resolve.cap')
            p1 = v._f_exception
            if v._which == 1 and p1 is not None:
                _rt.write_struct_of(buf, at + 8, p1, Exception_Builder, 'Resolve.exception')
            at += 16

    def as_reader(self) -> Resolve_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Resolve_Reader.from_flat_bytes(self.to_flat_bytes())


class Release_Builder(_rt.BuilderBase):
    """Builder of struct Release (0xad1a6c0d7dd07497)."""

    __slots__ = ('id', 'referenceCount')
    _DW = 1
    _PC = 0
    _HI = 0x100000000
    _ZERO = bytes(8)
    id: int
    referenceCount: int

    def __init__(self) -> None:
        self.id = 0
        self.referenceCount = 0

    @staticmethod
    def _new_list(n: int) -> List[Release_Builder]:
        out: List[Release_Builder] = []
        new = Release_Builder.__new__
        for _ in range(n):
            self = new(Release_Builder)
            self.id = 0
            self.referenceCount = 0
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S23.pack_into(
                buf, at,
                self.id,
                self.referenceCount,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Release", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Release_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S23.pack_into(
                    buf, at,
                    v.id,
                    v.referenceCount,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Release", exc) from None
            at += 8

    def to_bytes(self) -> bytes:
        try:
            return _S24.pack(
                0, 2, 0x100000000,
                self.id,
                self.referenceCount,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Release", exc) from None

    def to_flat_bytes(self) -> bytes:
        try:
            return _S25.pack(
                0x100000000,
                self.id,
                self.referenceCount,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Release", exc) from None

    def as_reader(self) -> Release_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Release_Reader.from_flat_bytes(self.to_flat_bytes())


class Disembargo_Builder(_rt.BuilderBase):
    """Builder of struct Disembargo (0xf964368b0fbd3711)."""

    __slots__ = ('_f_target', 'context')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    context: Disembargo_context_Builder

    def __init__(self) -> None:
        self._f_target: Optional[MessageTarget_Builder] = None
        self.context = Disembargo_context_Builder()

    @staticmethod
    def _new_list(n: int) -> List[Disembargo_Builder]:
        out: List[Disembargo_Builder] = []
        new = Disembargo_Builder.__new__
        for _ in range(n):
            self = new(Disembargo_Builder)
            self._f_target = None
            self.context = Disembargo_context_Builder()
            out.append(self)
        return out

    @property
    def target(self) -> MessageTarget_Builder:
        v = self._f_target
        if v is None:
            v = self._f_target = MessageTarget_Builder()
        return v

    @target.setter
    def target(self, value: MessageTarget_Builder) -> None:
        self._f_target = value

    def init_target(self) -> MessageTarget_Builder:
        v = self._f_target = MessageTarget_Builder()
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S26.pack_into(
                buf, at,
                self.context._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Disembargo", exc) from None
        try:
            if self.context._which == 0:
                _S16.pack_into(buf, at + 0, self.context._f_senderLoopback)
            if self.context._which == 1:
                _S16.pack_into(buf, at + 0, self.context._f_receiverLoopback)
            if self.context._which == 3:
                _S16.pack_into(buf, at + 0, self.context._f_provide)
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Disembargo", exc) from None
        p0 = self._f_target
        if p0 is not None:
            _rt.write_struct_of(buf, at + 8, p0, MessageTarget_Builder, 'Disembargo.target')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Disembargo_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S26.pack_into(
                    buf, at,
                    v.context._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Disembargo", exc) from None
            try:
                if v.context._which == 0:
                    _S16.pack_into(buf, at + 0, v.context._f_senderLoopback)
                if v.context._which == 1:
                    _S16.pack_into(buf, at + 0, v.context._f_receiverLoopback)
                if v.context._which == 3:
                    _S16.pack_into(buf, at + 0, v.context._f_provide)
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Disembargo", exc) from None
            p0 = v._f_target
            if p0 is not None:
                _rt.write_struct_of(buf, at + 8, p0, MessageTarget_Builder, 'Disembargo.target')
            at += 16

    def as_reader(self) -> Disembargo_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Disembargo_Reader.from_flat_bytes(self.to_flat_bytes())


class Disembargo_context_Builder(_rt.BuilderBase):
    """Builder of group context (0xd562b4df655bdd4d)."""

    __slots__ = ('_which', '_f_senderLoopback', '_f_receiverLoopback', '_f_provide')

    def __init__(self) -> None:
        self._which: int = 0
        self._f_senderLoopback: int = 0
        self._f_receiverLoopback: int = 0
        self._f_provide: int = 0

    def which(self) -> Disembargo_context_Which:
        v = self._which
        return _M_Disembargo_context_Which[v] if v < 4 else Disembargo_context_Which(v)

    @property
    def senderLoopback(self) -> int:
        return self._f_senderLoopback

    @senderLoopback.setter
    def senderLoopback(self, value: int) -> None:
        self._f_senderLoopback = value
        self._which = 0

    @property
    def receiverLoopback(self) -> int:
        return self._f_receiverLoopback

    @receiverLoopback.setter
    def receiverLoopback(self, value: int) -> None:
        self._f_receiverLoopback = value
        self._which = 1

    @property
    def accept(self) -> None:
        return None

    @accept.setter
    def accept(self, value: None) -> None:
        self._which = 2

    @property
    def provide(self) -> int:
        return self._f_provide

    @provide.setter
    def provide(self, value: int) -> None:
        self._f_provide = value
        self._which = 3


class Provide_Builder(_rt.BuilderBase):
    """Builder of struct Provide (0x9c6a046bfbc1ac5a)."""

    __slots__ = ('questionId', '_f_target', '_f_recipient')
    _DW = 1
    _PC = 2
    _HI = 0x2000100000000
    _ZERO = bytes(24)
    questionId: int

    def __init__(self) -> None:
        self.questionId = 0
        self._f_target: Optional[MessageTarget_Builder] = None
        self._f_recipient: Optional[_rt.PointerValue] = None

    @staticmethod
    def _new_list(n: int) -> List[Provide_Builder]:
        out: List[Provide_Builder] = []
        new = Provide_Builder.__new__
        for _ in range(n):
            self = new(Provide_Builder)
            self.questionId = 0
            self._f_target = None
            self._f_recipient = None
            out.append(self)
        return out

    @property
    def target(self) -> MessageTarget_Builder:
        v = self._f_target
        if v is None:
            v = self._f_target = MessageTarget_Builder()
        return v

    @target.setter
    def target(self, value: MessageTarget_Builder) -> None:
        self._f_target = value

    def init_target(self) -> MessageTarget_Builder:
        v = self._f_target = MessageTarget_Builder()
        return v

    @property
    def recipient(self) -> Optional[_rt.PointerValue]:
        return self._f_recipient

    @recipient.setter
    def recipient(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_recipient = value

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S16.pack_into(
                buf, at,
                self.questionId,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Provide", exc) from None
        p0 = self._f_target
        if p0 is not None:
            _rt.write_struct_of(buf, at + 8, p0, MessageTarget_Builder, 'Provide.target')
        p1 = self._f_recipient
        if p1 is not None:
            _rt.write_pointer(buf, at + 16, p1)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Provide_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S16.pack_into(
                    buf, at,
                    v.questionId,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Provide", exc) from None
            p0 = v._f_target
            if p0 is not None:
                _rt.write_struct_of(buf, at + 8, p0, MessageTarget_Builder, 'Provide.target')
            p1 = v._f_recipient
            if p1 is not None:
                _rt.write_pointer(buf, at + 16, p1)
            at += 24

    def as_reader(self) -> Provide_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Provide_Reader.from_flat_bytes(self.to_flat_bytes())


class Accept_Builder(_rt.BuilderBase):
    """Builder of struct Accept (0xd4c9b56290554016)."""

    __slots__ = ('questionId', '_f_provision', 'embargo')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    questionId: int
    embargo: bool

    def __init__(self) -> None:
        self.questionId = 0
        self._f_provision: Optional[_rt.PointerValue] = None
        self.embargo = False

    @staticmethod
    def _new_list(n: int) -> List[Accept_Builder]:
        out: List[Accept_Builder] = []
        new = Accept_Builder.__new__
        for _ in range(n):
            self = new(Accept_Builder)
            self.questionId = 0
            self._f_provision = None
            self.embargo = False
            out.append(self)
        return out

    @property
    def provision(self) -> Optional[_rt.PointerValue]:
        return self._f_provision

    @provision.setter
    def provision(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_provision = value

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S19.pack_into(
                buf, at,
                self.questionId,
                (1 if (bit32 := self.embargo) is True else 0 if bit32 is False else _rt.bool_bit(bit32, 1, 'Accept.embargo')),
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Accept", exc) from None
        p0 = self._f_provision
        if p0 is not None:
            _rt.write_pointer(buf, at + 8, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Accept_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S19.pack_into(
                    buf, at,
                    v.questionId,
                    (1 if (bit32 := v.embargo) is True else 0 if bit32 is False else _rt.bool_bit(bit32, 1, 'Accept.embargo')),
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Accept", exc) from None
            p0 = v._f_provision
            if p0 is not None:
                _rt.write_pointer(buf, at + 8, p0)
            at += 16

    def as_reader(self) -> Accept_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Accept_Reader.from_flat_bytes(self.to_flat_bytes())


class Join_Builder(_rt.BuilderBase):
    """Builder of struct Join (0xfbe1980490e001af)."""

    __slots__ = ('questionId', '_f_target', '_f_keyPart')
    _DW = 1
    _PC = 2
    _HI = 0x2000100000000
    _ZERO = bytes(24)
    questionId: int

    def __init__(self) -> None:
        self.questionId = 0
        self._f_target: Optional[MessageTarget_Builder] = None
        self._f_keyPart: Optional[_rt.PointerValue] = None

    @staticmethod
    def _new_list(n: int) -> List[Join_Builder]:
        out: List[Join_Builder] = []
        new = Join_Builder.__new__
        for _ in range(n):
            self = new(Join_Builder)
            self.questionId = 0
            self._f_target = None
            self._f_keyPart = None
            out.append(self)
        return out

    @property
    def target(self) -> MessageTarget_Builder:
        v = self._f_target
        if v is None:
            v = self._f_target = MessageTarget_Builder()
        return v

    @target.setter
    def target(self, value: MessageTarget_Builder) -> None:
        self._f_target = value

    def init_target(self) -> MessageTarget_Builder:
        v = self._f_target = MessageTarget_Builder()
        return v

    @property
    def keyPart(self) -> Optional[_rt.PointerValue]:
        return self._f_keyPart

    @keyPart.setter
    def keyPart(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_keyPart = value

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S16.pack_into(
                buf, at,
                self.questionId,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Join", exc) from None
        p0 = self._f_target
        if p0 is not None:
            _rt.write_struct_of(buf, at + 8, p0, MessageTarget_Builder, 'Join.target')
        p1 = self._f_keyPart
        if p1 is not None:
            _rt.write_pointer(buf, at + 16, p1)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Join_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S16.pack_into(
                    buf, at,
                    v.questionId,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Join", exc) from None
            p0 = v._f_target
            if p0 is not None:
                _rt.write_struct_of(buf, at + 8, p0, MessageTarget_Builder, 'Join.target')
            p1 = v._f_keyPart
            if p1 is not None:
                _rt.write_pointer(buf, at + 16, p1)
            at += 24

    def as_reader(self) -> Join_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Join_Reader.from_flat_bytes(self.to_flat_bytes())


class MessageTarget_Builder(_rt.BuilderBase):
    """Builder of struct MessageTarget (0x95bc14545813fbc1)."""

    __slots__ = ('_which', '_f_importedCap', '_f_promisedAnswer')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)

    def __init__(self) -> None:
        self._which: int = 0
        self._f_importedCap: int = 0
        self._f_promisedAnswer: Optional[PromisedAnswer_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[MessageTarget_Builder]:
        out: List[MessageTarget_Builder] = []
        new = MessageTarget_Builder.__new__
        for _ in range(n):
            self = new(MessageTarget_Builder)
            self._which = 0
            self._f_importedCap = 0
            self._f_promisedAnswer = None
            out.append(self)
        return out

    def which(self) -> MessageTarget_Which:
        v = self._which
        return _M_MessageTarget_Which[v] if v < 2 else MessageTarget_Which(v)

    @property
    def importedCap(self) -> int:
        return self._f_importedCap

    @importedCap.setter
    def importedCap(self, value: int) -> None:
        self._f_importedCap = value
        self._which = 0

    @property
    def promisedAnswer(self) -> PromisedAnswer_Builder:
        if self._which != 1:
            raise _rt.inactive_member('promisedAnswer', self.which())
        v = self._f_promisedAnswer
        if v is None:
            v = self._f_promisedAnswer = PromisedAnswer_Builder()
        return v

    @promisedAnswer.setter
    def promisedAnswer(self, value: PromisedAnswer_Builder) -> None:
        self._f_promisedAnswer = value
        self._which = 1

    def init_promisedAnswer(self) -> PromisedAnswer_Builder:
        v = self._f_promisedAnswer = PromisedAnswer_Builder()
        self._which = 1
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S26.pack_into(
                buf, at,
                self._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("MessageTarget", exc) from None
        try:
            if self._which == 0:
                _S16.pack_into(buf, at + 0, self._f_importedCap)
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("MessageTarget", exc) from None
        p0 = self._f_promisedAnswer
        if self._which == 1 and p0 is not None:
            _rt.write_struct_of(buf, at + 8, p0, PromisedAnswer_Builder, 'MessageTarget.promisedAnswer')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not MessageTarget_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S26.pack_into(
                    buf, at,
                    v._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("MessageTarget", exc) from None
            try:
                if v._which == 0:
                    _S16.pack_into(buf, at + 0, v._f_importedCap)
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("MessageTarget", exc) from None
            p0 = v._f_promisedAnswer
            if v._which == 1 and p0 is not None:
                _rt.write_struct_of(buf, at + 8, p0, PromisedAnswer_Builder, 'MessageTarget.promisedAnswer')
            at += 16

    def as_reader(self) -> MessageTarget_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return MessageTarget_Reader.from_flat_bytes(self.to_flat_bytes())


class Payload_Builder(_rt.BuilderBase):
    """Builder of struct Payload (0x9a0e61223d96743b)."""

    __slots__ = ('_f_content', '_f_capTable')
    _DW = 0
    _PC = 2
    _HI = 0x2000000000000
    _ZERO = bytes(16)

    def __init__(self) -> None:
        self._f_content: Optional[_rt.PointerValue] = None
        self._f_capTable: Optional[List[CapDescriptor_Builder]] = None

    @staticmethod
    def _new_list(n: int) -> List[Payload_Builder]:
        out: List[Payload_Builder] = []
        new = Payload_Builder.__new__
        for _ in range(n):
            self = new(Payload_Builder)
            self._f_content = None
            self._f_capTable = None
            out.append(self)
        return out

    @property
    def content(self) -> Optional[_rt.PointerValue]:
        return self._f_content

    @content.setter
    def content(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_content = value

    @property
    def capTable(self) -> List[CapDescriptor_Builder]:
        v = self._f_capTable
        if v is None:
            v = self._f_capTable = _rt.UnsetList()
        return v

    @capTable.setter
    def capTable(self, value: List[CapDescriptor_Builder]) -> None:
        self._f_capTable = value

    def init_capTable(self, n: int) -> List[CapDescriptor_Builder]:
        v: List[CapDescriptor_Builder] = CapDescriptor_Builder._new_list(n)
        self._f_capTable = v
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_content
        if p0 is not None:
            _rt.write_pointer(buf, at + 0, p0)
        p1 = self._f_capTable
        if p1 is not None:
            _WS27.write(buf, at + 8, p1)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Payload_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_content
            if p0 is not None:
                _rt.write_pointer(buf, at + 0, p0)
            p1 = v._f_capTable
            if p1 is not None:
                _WS27.write(buf, at + 8, p1)
            at += 16

    def as_reader(self) -> Payload_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Payload_Reader.from_flat_bytes(self.to_flat_bytes())


class CapDescriptor_Builder(_rt.BuilderBase):
    """Builder of struct CapDescriptor (0x8523ddc40b86b8b0)."""

    __slots__ = ('_which', '_f_senderHosted', '_f_senderPromise', '_f_receiverHosted', '_f_receiverAnswer', '_f_thirdPartyHosted', 'attachedFd')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    attachedFd: int

    def __init__(self) -> None:
        self._which: int = 0
        self._f_senderHosted: int = 0
        self._f_senderPromise: int = 0
        self._f_receiverHosted: int = 0
        self._f_receiverAnswer: Optional[PromisedAnswer_Builder] = None
        self._f_thirdPartyHosted: Optional[ThirdPartyCapDescriptor_Builder] = None
        self.attachedFd = 255

    @staticmethod
    def _new_list(n: int) -> List[CapDescriptor_Builder]:
        out: List[CapDescriptor_Builder] = []
        new = CapDescriptor_Builder.__new__
        for _ in range(n):
            self = new(CapDescriptor_Builder)
            self._which = 0
            self._f_senderHosted = 0
            self._f_senderPromise = 0
            self._f_receiverHosted = 0
            self._f_receiverAnswer = None
            self._f_thirdPartyHosted = None
            self.attachedFd = 255
            out.append(self)
        return out

    def which(self) -> CapDescriptor_Which:
        v = self._which
        return _M_CapDescriptor_Which[v] if v < 6 else CapDescriptor_Which(v)

    @property
    def none(self) -> None:
        return None

    @none.setter
    def none(self, value: None) -> None:
        self._which = 0

    @property
    def senderHosted(self) -> int:
        return self._f_senderHosted

    @senderHosted.setter
    def senderHosted(self, value: int) -> None:
        self._f_senderHosted = value
        self._which = 1

    @property
    def senderPromise(self) -> int:
        return self._f_senderPromise

    @senderPromise.setter
    def senderPromise(self, value: int) -> None:
        self._f_senderPromise = value
        self._which = 2

    @property
    def receiverHosted(self) -> int:
        return self._f_receiverHosted

    @receiverHosted.setter
    def receiverHosted(self, value: int) -> None:
        self._f_receiverHosted = value
        self._which = 3

    @property
    def receiverAnswer(self) -> PromisedAnswer_Builder:
        if self._which != 4:
            raise _rt.inactive_member('receiverAnswer', self.which())
        v = self._f_receiverAnswer
        if v is None:
            v = self._f_receiverAnswer = PromisedAnswer_Builder()
        return v

    @receiverAnswer.setter
    def receiverAnswer(self, value: PromisedAnswer_Builder) -> None:
        self._f_receiverAnswer = value
        self._which = 4

    def init_receiverAnswer(self) -> PromisedAnswer_Builder:
        v = self._f_receiverAnswer = PromisedAnswer_Builder()
        self._which = 4
        return v

    @property
    def thirdPartyHosted(self) -> ThirdPartyCapDescriptor_Builder:
        if self._which != 5:
            raise _rt.inactive_member('thirdPartyHosted', self.which())
        v = self._f_thirdPartyHosted
        if v is None:
            v = self._f_thirdPartyHosted = ThirdPartyCapDescriptor_Builder()
        return v

    @thirdPartyHosted.setter
    def thirdPartyHosted(self, value: ThirdPartyCapDescriptor_Builder) -> None:
        self._f_thirdPartyHosted = value
        self._which = 5

    def init_thirdPartyHosted(self) -> ThirdPartyCapDescriptor_Builder:
        v = self._f_thirdPartyHosted = ThirdPartyCapDescriptor_Builder()
        self._which = 5
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S28.pack_into(
                buf, at,
                self._which,
                self.attachedFd ^ 255,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("CapDescriptor", exc) from None
        try:
            if self._which == 1:
                _S16.pack_into(buf, at + 4, self._f_senderHosted)
            if self._which == 2:
                _S16.pack_into(buf, at + 4, self._f_senderPromise)
            if self._which == 3:
                _S16.pack_into(buf, at + 4, self._f_receiverHosted)
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("CapDescriptor", exc) from None
        p0 = self._f_receiverAnswer
        if self._which == 4 and p0 is not None:
            _rt.write_struct_of(buf, at + 8, p0, PromisedAnswer_Builder, 'CapDescriptor.receiverAnswer')
        p1 = self._f_thirdPartyHosted
        if self._which == 5 and p1 is not None:
            _rt.write_struct_of(buf, at + 8, p1, ThirdPartyCapDescriptor_Builder, 'CapDescriptor.thirdPartyHosted')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not CapDescriptor_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S28.pack_into(
                    buf, at,
                    v._which,
                    v.attachedFd ^ 255,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("CapDescriptor", exc) from None
            try:
                if v._which == 1:
                    _S16.pack_into(buf, at + 4, v._f_senderHosted)
                if v._which == 2:
                    _S16.pack_into(buf, at + 4, v._f_senderPromise)
                if v._which == 3:
                    _S16.pack_into(buf, at + 4, v._f_receiverHosted)
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("CapDescriptor", exc) from None
            p0 = v._f_receiverAnswer
            if v._which == 4 and p0 is not None:
                _rt.write_struct_of(buf, at + 8, p0, PromisedAnswer_Builder, 'CapDescriptor.receiverAnswer')
            p1 = v._f_thirdPartyHosted
            if v._which == 5 and p1 is not None:
                _rt.write_struct_of(buf, at + 8, p1, ThirdPartyCapDescriptor_Builder, 'CapDescriptor.thirdPartyHosted')
            at += 16

    def as_reader(self) -> CapDescriptor_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return CapDescriptor_Reader.from_flat_bytes(self.to_flat_bytes())


class PromisedAnswer_Builder(_rt.BuilderBase):
    """Builder of struct PromisedAnswer (0xd800b1d6cd6f1ca0)."""

    __slots__ = ('questionId', '_f_transform')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    questionId: int

    def __init__(self) -> None:
        self.questionId = 0
        self._f_transform: Optional[List[PromisedAnswer_Op_Builder]] = None

    @staticmethod
    def _new_list(n: int) -> List[PromisedAnswer_Builder]:
        out: List[PromisedAnswer_Builder] = []
        new = PromisedAnswer_Builder.__new__
        for _ in range(n):
            self = new(PromisedAnswer_Builder)
            self.questionId = 0
            self._f_transform = None
            out.append(self)
        return out

    @property
    def transform(self) -> List[PromisedAnswer_Op_Builder]:
        v = self._f_transform
        if v is None:
            v = self._f_transform = _rt.UnsetList()
        return v

    @transform.setter
    def transform(self, value: List[PromisedAnswer_Op_Builder]) -> None:
        self._f_transform = value

    def init_transform(self, n: int) -> List[PromisedAnswer_Op_Builder]:
        v: List[PromisedAnswer_Op_Builder] = PromisedAnswer_Op_Builder._new_list(n)
        self._f_transform = v
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S16.pack_into(
                buf, at,
                self.questionId,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("PromisedAnswer", exc) from None
        p0 = self._f_transform
        if p0 is not None:
            _WS29.write(buf, at + 8, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not PromisedAnswer_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S16.pack_into(
                    buf, at,
                    v.questionId,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("PromisedAnswer", exc) from None
            p0 = v._f_transform
            if p0 is not None:
                _WS29.write(buf, at + 8, p0)
            at += 16

    def as_reader(self) -> PromisedAnswer_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return PromisedAnswer_Reader.from_flat_bytes(self.to_flat_bytes())


class PromisedAnswer_Op_Builder(_rt.BuilderBase):
    """Builder of struct Op (0xf316944415569081)."""

    __slots__ = ('_which', '_f_getPointerField')
    _DW = 1
    _PC = 0
    _HI = 0x100000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._which: int = 0
        self._f_getPointerField: int = 0

    @staticmethod
    def _new_list(n: int) -> List[PromisedAnswer_Op_Builder]:
        out: List[PromisedAnswer_Op_Builder] = []
        new = PromisedAnswer_Op_Builder.__new__
        for _ in range(n):
            self = new(PromisedAnswer_Op_Builder)
            self._which = 0
            self._f_getPointerField = 0
            out.append(self)
        return out

    def which(self) -> PromisedAnswer_Op_Which:
        v = self._which
        return _M_PromisedAnswer_Op_Which[v] if v < 2 else PromisedAnswer_Op_Which(v)

    @property
    def noop(self) -> None:
        return None

    @noop.setter
    def noop(self, value: None) -> None:
        self._which = 0

    @property
    def getPointerField(self) -> int:
        return self._f_getPointerField

    @getPointerField.setter
    def getPointerField(self, value: int) -> None:
        self._f_getPointerField = value
        self._which = 1

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S15.pack_into(
                buf, at,
                self._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("PromisedAnswer_Op", exc) from None
        try:
            if self._which == 1:
                _S15.pack_into(buf, at + 2, self._f_getPointerField)
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("PromisedAnswer_Op", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not PromisedAnswer_Op_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S15.pack_into(
                    buf, at,
                    v._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("PromisedAnswer_Op", exc) from None
            try:
                if v._which == 1:
                    _S15.pack_into(buf, at + 2, v._f_getPointerField)
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("PromisedAnswer_Op", exc) from None
            at += 8

    def as_reader(self) -> PromisedAnswer_Op_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return PromisedAnswer_Op_Reader.from_flat_bytes(self.to_flat_bytes())


class ThirdPartyCapDescriptor_Builder(_rt.BuilderBase):
    """Builder of struct ThirdPartyCapDescriptor (0xd37007fde1f0027d)."""

    __slots__ = ('_f_id', 'vineId')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    vineId: int

    def __init__(self) -> None:
        self._f_id: Optional[_rt.PointerValue] = None
        self.vineId = 0

    @staticmethod
    def _new_list(n: int) -> List[ThirdPartyCapDescriptor_Builder]:
        out: List[ThirdPartyCapDescriptor_Builder] = []
        new = ThirdPartyCapDescriptor_Builder.__new__
        for _ in range(n):
            self = new(ThirdPartyCapDescriptor_Builder)
            self._f_id = None
            self.vineId = 0
            out.append(self)
        return out

    @property
    def id(self) -> Optional[_rt.PointerValue]:
        return self._f_id

    @id.setter
    def id(self, value: Optional[_rt.PointerValue]) -> None:
        self._f_id = value

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S16.pack_into(
                buf, at,
                self.vineId,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("ThirdPartyCapDescriptor", exc) from None
        p0 = self._f_id
        if p0 is not None:
            _rt.write_pointer(buf, at + 8, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not ThirdPartyCapDescriptor_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S16.pack_into(
                    buf, at,
                    v.vineId,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("ThirdPartyCapDescriptor", exc) from None
            p0 = v._f_id
            if p0 is not None:
                _rt.write_pointer(buf, at + 8, p0)
            at += 16

    def as_reader(self) -> ThirdPartyCapDescriptor_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ThirdPartyCapDescriptor_Reader.from_flat_bytes(self.to_flat_bytes())


class Exception_Builder(_rt.BuilderBase):
    """Builder of struct Exception (0xd625b7063acf691a)."""

    __slots__ = ('_f_reason', 'obsoleteIsCallersFault', 'obsoleteDurability', 'type', '_f_trace', '_f_details')
    _DW = 1
    _PC = 3
    _HI = 0x3000100000000
    _ZERO = bytes(32)
    obsoleteIsCallersFault: bool
    obsoleteDurability: int
    type: Exception_Type

    def __init__(self) -> None:
        self._f_reason: Optional[str] = None
        self.obsoleteIsCallersFault = False
        self.obsoleteDurability = 0
        self.type = Exception_Type.failed
        self._f_trace: Optional[str] = None
        self._f_details: Optional[List[Exception_Detail_Builder]] = None

    @staticmethod
    def _new_list(n: int) -> List[Exception_Builder]:
        out: List[Exception_Builder] = []
        new = Exception_Builder.__new__
        d3 = Exception_Type.failed
        for _ in range(n):
            self = new(Exception_Builder)
            self._f_reason = None
            self.obsoleteIsCallersFault = False
            self.obsoleteDurability = 0
            self.type = d3
            self._f_trace = None
            self._f_details = None
            out.append(self)
        return out

    @property
    def reason(self) -> str:
        v = self._f_reason
        return "" if v is None else v

    @reason.setter
    def reason(self, value: str) -> None:
        self._f_reason = value

    @property
    def trace(self) -> str:
        v = self._f_trace
        return "" if v is None else v

    @trace.setter
    def trace(self, value: str) -> None:
        self._f_trace = value

    @property
    def details(self) -> List[Exception_Detail_Builder]:
        v = self._f_details
        if v is None:
            v = self._f_details = _rt.UnsetList()
        return v

    @details.setter
    def details(self, value: List[Exception_Detail_Builder]) -> None:
        self._f_details = value

    def init_details(self, n: int) -> List[Exception_Detail_Builder]:
        v: List[Exception_Detail_Builder] = Exception_Detail_Builder._new_list(n)
        self._f_details = v
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S31.pack_into(
                buf, at,
                (1 if (bit0 := self.obsoleteIsCallersFault) is True else 0 if bit0 is False else _rt.bool_bit(bit0, 1, 'Exception.obsoleteIsCallersFault')),
                self.obsoleteDurability,
                self.type,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Exception", exc) from None
        p0 = self._f_reason
        if p0 is not None:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'Exception.reason') from None
            s0 = len(buf)
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            _rt.U64.pack_into(buf, at + 8, ((s0 - at - 16) >> 1) | 0x200000001 | ((k0 + 1) << 35))
        p1 = self._f_trace
        if p1 is not None:
            try:
                r1 = p1.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p1, 'Exception.trace') from None
            s1 = len(buf)
            k1 = len(r1)
            buf += r1
            buf += _rt.NUL_PADS[k1 & 7]
            _rt.U64.pack_into(buf, at + 16, ((s1 - at - 24) >> 1) | 0x200000001 | ((k1 + 1) << 35))
        p2 = self._f_details
        if p2 is not None:
            _WS30.write(buf, at + 24, p2)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not Exception_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S31.pack_into(
                    buf, at,
                    (1 if (bit0 := v.obsoleteIsCallersFault) is True else 0 if bit0 is False else _rt.bool_bit(bit0, 1, 'Exception.obsoleteIsCallersFault')),
                    v.obsoleteDurability,
                    v.type,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Exception", exc) from None
            p0 = v._f_reason
            if p0 is not None:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'Exception.reason') from None
                s0 = len(buf)
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                _rt.U64.pack_into(buf, at + 8, ((s0 - at - 16) >> 1) | 0x200000001 | ((k0 + 1) << 35))
            p1 = v._f_trace
            if p1 is not None:
                try:
                    r1 = p1.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p1, 'Exception.trace') from None
                s1 = len(buf)
                k1 = len(r1)
                buf += r1
                buf += _nul_pads[k1 & 7]
                _rt.U64.pack_into(buf, at + 16, ((s1 - at - 24) >> 1) | 0x200000001 | ((k1 + 1) << 35))
            p2 = v._f_details
            if p2 is not None:
                _WS30.write(buf, at + 24, p2)
            at += 32

    def as_reader(self) -> Exception_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Exception_Reader.from_flat_bytes(self.to_flat_bytes())


class Exception_Detail_Builder(_rt.BuilderBase):
    """Builder of struct Detail (0xd6c14f121d44f8dd)."""

    __slots__ = ('detailId', '_f_data')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    detailId: int

    def __init__(self) -> None:
        self.detailId = 0
        self._f_data: Optional[bytes] = None

    @staticmethod
    def _new_list(n: int) -> List[Exception_Detail_Builder]:
        out: List[Exception_Detail_Builder] = []
        new = Exception_Detail_Builder.__new__
        for _ in range(n):
            self = new(Exception_Detail_Builder)
            self.detailId = 0
            self._f_data = None
            out.append(self)
        return out

    @property
    def data(self) -> bytes:
        v = self._f_data
        return b"" if v is None else v

    @data.setter
    def data(self, value: bytes) -> None:
        self._f_data = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_data
        if p0 is None:
            a0 = b0 = 0
        else:
            a0 = ((len(buf) - at - 16) >> 1) | 1
            b0 = (_rt.append_data(buf, p0) << 3) | 2
        try:
            _S25.pack_into(
                buf, at,
                self.detailId,
                a0,
                b0,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("Exception_Detail", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not Exception_Detail_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_data
            if p0 is None:
                a0 = b0 = 0
            else:
                a0 = ((len(buf) - at - 16) >> 1) | 1
                b0 = (_rt.append_data(buf, p0) << 3) | 2
            try:
                _S25.pack_into(
                    buf, at,
                    v.detailId,
                    a0,
                    b0,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("Exception_Detail", exc) from None
            at += 16

    def as_reader(self) -> Exception_Detail_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return Exception_Detail_Reader.from_flat_bytes(self.to_flat_bytes())


class Message:
    """Struct Message: constructors and readers."""

    TYPE_ID: Final = 0x91b79f1f808db032

    @staticmethod
    def new_message() -> Message_Builder:
        return Message_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Message_Reader:
        return Message_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Message_Reader:
        return Message_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Message_Reader:
        return Message_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Bootstrap:
    """Struct Bootstrap: constructors and readers."""

    TYPE_ID: Final = 0xe94ccf8031176ec4

    @staticmethod
    def new_message() -> Bootstrap_Builder:
        return Bootstrap_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Bootstrap_Reader:
        return Bootstrap_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Bootstrap_Reader:
        return Bootstrap_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Bootstrap_Reader:
        return Bootstrap_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Call:
    """Struct Call: constructors and readers."""

    TYPE_ID: Final = 0x836a53ce789d4cd4

    @staticmethod
    def new_message() -> Call_Builder:
        return Call_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Call_Reader:
        return Call_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Call_Reader:
        return Call_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Call_Reader:
        return Call_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Return:
    """Struct Return: constructors and readers."""

    TYPE_ID: Final = 0x9e19b28d3db3573a

    @staticmethod
    def new_message() -> Return_Builder:
        return Return_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Return_Reader:
        return Return_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Return_Reader:
        return Return_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Return_Reader:
        return Return_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Finish:
    """Struct Finish: constructors and readers."""

    TYPE_ID: Final = 0xd37d2eb2c2f80e63

    @staticmethod
    def new_message() -> Finish_Builder:
        return Finish_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Finish_Reader:
        return Finish_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Finish_Reader:
        return Finish_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Finish_Reader:
        return Finish_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Resolve:
    """Struct Resolve: constructors and readers."""

    TYPE_ID: Final = 0xbbc29655fa89086e

    @staticmethod
    def new_message() -> Resolve_Builder:
        return Resolve_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Resolve_Reader:
        return Resolve_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Resolve_Reader:
        return Resolve_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Resolve_Reader:
        return Resolve_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Release:
    """Struct Release: constructors and readers."""

    TYPE_ID: Final = 0xad1a6c0d7dd07497

    @staticmethod
    def new_message() -> Release_Builder:
        return Release_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Release_Reader:
        return Release_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Release_Reader:
        return Release_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Release_Reader:
        return Release_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Disembargo:
    """Struct Disembargo: constructors and readers."""

    TYPE_ID: Final = 0xf964368b0fbd3711

    @staticmethod
    def new_message() -> Disembargo_Builder:
        return Disembargo_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Disembargo_Reader:
        return Disembargo_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Disembargo_Reader:
        return Disembargo_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Disembargo_Reader:
        return Disembargo_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Provide:
    """Struct Provide: constructors and readers."""

    TYPE_ID: Final = 0x9c6a046bfbc1ac5a

    @staticmethod
    def new_message() -> Provide_Builder:
        return Provide_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Provide_Reader:
        return Provide_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Provide_Reader:
        return Provide_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Provide_Reader:
        return Provide_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Accept:
    """Struct Accept: constructors and readers."""

    TYPE_ID: Final = 0xd4c9b56290554016

    @staticmethod
    def new_message() -> Accept_Builder:
        return Accept_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Accept_Reader:
        return Accept_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Accept_Reader:
        return Accept_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Accept_Reader:
        return Accept_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Join:
    """Struct Join: constructors and readers."""

    TYPE_ID: Final = 0xfbe1980490e001af

    @staticmethod
    def new_message() -> Join_Builder:
        return Join_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Join_Reader:
        return Join_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Join_Reader:
        return Join_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Join_Reader:
        return Join_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class MessageTarget:
    """Struct MessageTarget: constructors and readers."""

    TYPE_ID: Final = 0x95bc14545813fbc1

    @staticmethod
    def new_message() -> MessageTarget_Builder:
        return MessageTarget_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> MessageTarget_Reader:
        return MessageTarget_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> MessageTarget_Reader:
        return MessageTarget_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> MessageTarget_Reader:
        return MessageTarget_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Payload:
    """Struct Payload: constructors and readers."""

    TYPE_ID: Final = 0x9a0e61223d96743b

    @staticmethod
    def new_message() -> Payload_Builder:
        return Payload_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Payload_Reader:
        return Payload_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Payload_Reader:
        return Payload_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Payload_Reader:
        return Payload_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class CapDescriptor:
    """Struct CapDescriptor: constructors and readers."""

    TYPE_ID: Final = 0x8523ddc40b86b8b0

    @staticmethod
    def new_message() -> CapDescriptor_Builder:
        return CapDescriptor_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CapDescriptor_Reader:
        return CapDescriptor_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CapDescriptor_Reader:
        return CapDescriptor_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> CapDescriptor_Reader:
        return CapDescriptor_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class PromisedAnswer:
    """Struct PromisedAnswer: constructors and readers."""

    TYPE_ID: Final = 0xd800b1d6cd6f1ca0

    @staticmethod
    def new_message() -> PromisedAnswer_Builder:
        return PromisedAnswer_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> PromisedAnswer_Reader:
        return PromisedAnswer_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> PromisedAnswer_Reader:
        return PromisedAnswer_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> PromisedAnswer_Reader:
        return PromisedAnswer_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class PromisedAnswer_Op:
    """Struct Op: constructors and readers."""

    TYPE_ID: Final = 0xf316944415569081

    @staticmethod
    def new_message() -> PromisedAnswer_Op_Builder:
        return PromisedAnswer_Op_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> PromisedAnswer_Op_Reader:
        return PromisedAnswer_Op_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> PromisedAnswer_Op_Reader:
        return PromisedAnswer_Op_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> PromisedAnswer_Op_Reader:
        return PromisedAnswer_Op_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class ThirdPartyCapDescriptor:
    """Struct ThirdPartyCapDescriptor: constructors and readers."""

    TYPE_ID: Final = 0xd37007fde1f0027d

    @staticmethod
    def new_message() -> ThirdPartyCapDescriptor_Builder:
        return ThirdPartyCapDescriptor_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> ThirdPartyCapDescriptor_Reader:
        return ThirdPartyCapDescriptor_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> ThirdPartyCapDescriptor_Reader:
        return ThirdPartyCapDescriptor_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> ThirdPartyCapDescriptor_Reader:
        return ThirdPartyCapDescriptor_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Exception:
    """Struct Exception: constructors and readers."""

    TYPE_ID: Final = 0xd625b7063acf691a

    @staticmethod
    def new_message() -> Exception_Builder:
        return Exception_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Exception_Reader:
        return Exception_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Exception_Reader:
        return Exception_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Exception_Reader:
        return Exception_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class Exception_Detail:
    """Struct Detail: constructors and readers."""

    TYPE_ID: Final = 0xd6c14f121d44f8dd

    @staticmethod
    def new_message() -> Exception_Detail_Builder:
        return Exception_Detail_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Exception_Detail_Reader:
        return Exception_Detail_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Exception_Detail_Reader:
        return Exception_Detail_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> Exception_Detail_Reader:
        return Exception_Detail_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

# List specs and embedded defaults, used by the classes above.
_SC0: Final = _rt.Scalars("H", (2,))
_SC1: Final = _rt.Scalars("I", (4,))
_SC2: Final = _rt.Scalars("IH2xQB", (4, 6, 16, 17))
_SC3: Final = _rt.Scalars("6xH", (8,))
_SC4: Final = _rt.Scalars("IB1xH", (4, 5, 8))
_SC5: Final = _rt.Scalars("IB", (4, 5))
_SC6: Final = _rt.Scalars("IH", (4, 6))
_SC7: Final = _rt.Scalars("II", (4, 8))
_SC8: Final = _rt.Scalars("4xH", (6,))
_RS9: Final = _rt.StructRead(CapDescriptor_Reader)
_SC10: Final = _rt.Scalars("HB", (2, 3))
_RS11: Final = _rt.StructRead(PromisedAnswer_Op_Reader)
_SC12: Final = _rt.Scalars("B1xHH", (1, 4, 6))
_RS13: Final = _rt.StructRead(Exception_Detail_Reader)
_SC14: Final = _rt.Scalars("Q", (8,))
_S15: Final = struct.Struct("<H")
_S16: Final = struct.Struct("<I")
_S17: Final = struct.Struct("<IHHQB")
_S18: Final = struct.Struct("<IB1xH")
_S19: Final = struct.Struct("<IB")
_S20: Final = struct.Struct("<IIQIB3x")
_S21: Final = struct.Struct("<QIB3x")
_S22: Final = struct.Struct("<IH")
_S23: Final = struct.Struct("<II")
_S24: Final = struct.Struct("<IIQII")
_S25: Final = struct.Struct("<QII")
_S26: Final = struct.Struct("<4xH")
_WS27: Final = _rt.StructWrite(CapDescriptor_Builder)
_S28: Final = struct.Struct("<HB")
_WS29: Final = _rt.StructWrite(PromisedAnswer_Op_Builder)
_WS30: Final = _rt.StructWrite(Exception_Detail_Builder)
_S31: Final = struct.Struct("<B1xHH")
Message_Reader._SC = _SC0
Bootstrap_Reader._SC = _SC1
Call_Reader._SC = _SC2
Call_sendResultsTo_Reader._SC = _SC3
Return_Reader._SC = _SC4
Finish_Reader._SC = _SC5
Resolve_Reader._SC = _SC6
Release_Reader._SC = _SC7
Disembargo_context_Reader._SC = _SC8
Provide_Reader._SC = _SC1
Accept_Reader._SC = _SC5
Join_Reader._SC = _SC1
MessageTarget_Reader._SC = _SC8
CapDescriptor_Reader._SC = _SC10
PromisedAnswer_Reader._SC = _SC1
PromisedAnswer_Op_Reader._SC = _SC0
ThirdPartyCapDescriptor_Reader._SC = _SC1
Exception_Reader._SC = _SC12
Exception_Detail_Reader._SC = _SC14
CapDescriptor_Reader._LOAD = (_CapDescriptor_load, 3, 0)
Exception_Detail_Reader._LOAD = (_Exception_Detail_load, 8, 1)
