"""Encode and decode the RPC message model (``messages.py``) to and from the wire.

The struct layouts below restate ``rpc.capnp`` (file ID 0xb312981b2552a250)
as the schema compiler lays it out: data offsets are in units of the field's
width (bools in bits), pointer offsets are pointer-section indices.  Fields
newer than capnp 0.9 (``noPromisePipelining``, ``onlyPromisePipeline``,
``noFinishNeeded``, ``requireEarlyCancellationWorkaround``,
``Exception.details``) take the next free slots, as the compiler assigns
them; older peers read them as defaults.

Opaque ``AnyPointer`` values (payload content, level-3 IDs) decode to an
``AnyPointerReader`` (or ``None`` when null, or ``CapPointer`` for a bare
capability pointer) and encode from any of those or a ``StructReader``.
"""

from __future__ import annotations

import struct as _struct
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ..errors import DecodeError, EncodeError
from ..wire.layout import (
    AnyPointerReader,
    ListReader,
    MessageBuilder,
    MessageReader,
    PointerKind,
    StructBuilder,
    StructReader,
    builder_from_words,
)
from ..wire.framing import encode_message
from ..wire.pointers import ELEM_COMPOSITE
from ..wire.segments import DEFAULT_TRAVERSAL_LIMIT_IN_WORDS, Segment, read_segment
from .ids import AnswerId, ExportId, ImportId, QuestionId
from .messages import (
    Abort,
    Accept,
    Bootstrap,
    Call,
    CapDescriptor,
    CapNone,
    CapPointer,
    CapReceiverAnswer,
    CapReceiverHosted,
    CapSenderHosted,
    CapSenderPromise,
    CapThirdPartyHosted,
    Disembargo,
    DisembargoContext,
    ExceptionDetail,
    ExceptionType,
    Finish,
    ImportedCapTarget,
    Join,
    Message,
    MessageTarget,
    ObsoleteDelete,
    ObsoleteSave,
    Payload,
    PromisedAnswer,
    PromisedAnswerOp,
    PromisedAnswerTarget,
    Provide,
    Release,
    Resolve,
    ResolveCap,
    ResolveException,
    Return,
    ReturnAcceptFromThirdParty,
    ReturnBody,
    ReturnCanceled,
    ReturnException,
    ReturnResults,
    ReturnResultsSentElsewhere,
    ReturnTakeFromOtherQuestion,
    RpcException,
    SendResultsTo,
    Unimplemented,
    UnknownMessage,
)

__all__ = [
    "encode",
    "decode",
    "encode_segments",
    "encode_framed",
    "decode_reader",
    "decode_plain",
    "PlainFields",
    "TAG_CALL",
    "TAG_RETURN",
    "OutgoingContent",
    "MAX_CAP_TABLE",
    "MAX_TRANSFORM",
    "MAX_DETAILS",
]

# Struct sizes: (data words, pointer count).
_MESSAGE = (1, 1)
_BOOTSTRAP = (1, 1)
_CALL = (3, 3)
_RETURN = (2, 1)
_FINISH = (1, 0)
_RESOLVE = (1, 1)
_RELEASE = (1, 0)
_DISEMBARGO = (1, 1)
_PROVIDE = (1, 2)
_ACCEPT = (1, 1)
_JOIN = (1, 2)
_TARGET = (1, 1)
_PAYLOAD = (0, 2)
_CAPDESC = (1, 1)
_PROMISED = (1, 1)
_OP = (1, 0)
_THIRD = (1, 1)
_EXCEPTION = (1, 3)
_DETAIL = (1, 1)

# Message union tags (discriminant at uint16 offset 0).
_TAG_UNIMPLEMENTED, _TAG_ABORT, _TAG_CALL, _TAG_RETURN, _TAG_FINISH = 0, 1, 2, 3, 4
_TAG_RESOLVE, _TAG_RELEASE, _TAG_SAVE, _TAG_BOOTSTRAP, _TAG_DELETE = 5, 6, 7, 8, 9
_TAG_PROVIDE, _TAG_ACCEPT, _TAG_JOIN, _TAG_DISEMBARGO = 10, 11, 12, 13

_MAX_NESTED_UNIMPLEMENTED = 4  # Unimplemented(Unimplemented(...)) depth we bother to decode

_SEND_TO_TAGS = {SendResultsTo.CALLER: 0, SendResultsTo.YOURSELF: 1, SendResultsTo.THIRD_PARTY: 2}


def _send_to_tag(send_to: SendResultsTo) -> int:
    # By identity: hashing an Enum member for the dict runs Python code, once per call sent.
    return 0 if send_to is SendResultsTo.CALLER else _SEND_TO_TAGS[send_to]


_CONTEXT_TAGS = {
    DisembargoContext.SENDER_LOOPBACK: 0,
    DisembargoContext.RECEIVER_LOOPBACK: 1,
    DisembargoContext.ACCEPT: 2,
    DisembargoContext.PROVIDE: 3,
}


# --- Decoding ----------------------------------------------------------------------------------


# The envelope of a message is small and read once, so its traversal budget is proportional to
# the message: a peer cannot make a few bytes cost a list of millions of zero-size elements.
_ENVELOPE_WORDS_FACTOR = 4
_ENVELOPE_WORDS_EXTRA = 64

# Peer-supplied list lengths, checked before one object per element is built.
MAX_CAP_TABLE = 1 << 14  # capabilities in one payload
MAX_TRANSFORM = 64  # ops of a PromisedAnswer transform (pointer nesting is at most 64 deep)
MAX_DETAILS = 64  # Exception.details entries


def decode(
    segments: Sequence[Union[bytes, bytearray, memoryview]],
    content_traversal_limit_in_words: int = DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
) -> Message:
    """Decode one RPC message from its segments (framing already removed).

    The envelope is read under a traversal limit of a few times the message's
    size; afterwards the budget is reset to ``content_traversal_limit_in_words``
    for the application reading the payload content (which shares the message).
    """
    segs = list(segments)
    if len(segs) == 1:
        if len(segs[0]) == 32:
            small = _plain_finish_or_release(segs[0])
            if small is not None:
                return small
        seg = read_segment(0, segs[0])
        quick = _plain_call_or_return(seg, content_traversal_limit_in_words)
        if quick is not None:
            return quick
        # The general reader over the segment already made.
        reader = MessageReader.from_segment(
            seg, _ENVELOPE_WORDS_FACTOR * seg.words + _ENVELOPE_WORDS_EXTRA)
    else:
        words = sum(len(s) for s in segs) // 8
        reader = MessageReader(segs, traversal_limit_in_words=_ENVELOPE_WORDS_FACTOR * words + _ENVELOPE_WORDS_EXTRA)
    message = decode_reader(reader)
    reader.budget = content_traversal_limit_in_words
    return message


# A Finish as every encoder lays it out: the root pointer (offset 0, one data word, one pointer),
# the Message's tag word, a pointer to the Finish struct right behind it (offset 0, one data
# word), then the Finish's data word.  One Finish arrives per call, so such messages skip the
# reader; any other layout of a Finish takes the general path.
_FINISH_WORDS = _struct.Struct("<4Q")
_FINISH_ROOT = 0x0001000100000000
_FINISH_PTR = 0x0000000100000000
_FINISHES: Dict[int, Finish] = {}


def _plain_finish_or_release(seg: Union[bytes, bytearray, memoryview]) -> Optional[Union[Finish, Release]]:
    root, tag, ptr, w = _FINISH_WORDS.unpack_from(seg, 0)
    if root != _FINISH_ROOT or ptr != _FINISH_PTR:
        return None
    if tag != _TAG_FINISH:
        # A Release has the same layout (its data word: the ID, then the count); both come
        # once per capability a chain of calls passes around.
        if tag == _TAG_RELEASE:
            return Release(ImportId(w & _MASK32), w >> 32)
        return None
    finish = _FINISHES.get(w)
    if finish is None:
        finish = Finish(QuestionId(w & _MASK32), not (w >> 32) & 1, not (w >> 33) & 1)
        if w < 1 << 34 and len(_FINISHES) < 4096:  # Finish is immutable, so one per word serves all
            _FINISHES[w] = finish
    return finish


_NOT_NEAR_STRUCT = 0x80000003  # a pointer's kind bits and the sign bit of its offset


def _near_struct(u64: Any, words: int, idx: int) -> Tuple[int, int, int]:
    """Start, data words and pointers of the struct that a plain near pointer at ``idx`` reaches.

    Start is -1 for anything else (null, far, negative offset, out of bounds): the caller
    then leaves the message to the general reader, which explains what is wrong.
    """
    p = u64[idx]
    if p & _NOT_NEAR_STRUCT or not p:
        return -1, 0, 0
    start = idx + 1 + ((p >> 2) & 0x1FFFFFFF)
    dw = (p >> 32) & 0xFFFF
    pc = p >> 48
    if start + dw + pc > words:
        return -1, 0, 0
    return start, dw, pc


# Near struct pointers with offset 0 as encoders lay out the envelope: (data words, pointers).
_ROOT_PTR = 0x0001000100000000  # the Message: (1, 1)
_CALL_PTR = 0x0003000300000000  # Call: (3, 3)
_RETURN_PTR = 0x0001000200000000  # Return: (2, 1)


def _plain_call_or_return(seg: Segment, content_limit: int) -> Optional[Message]:
    """The common Call and Return (results) as messages; None for anything else (see
    ``_plain_fields``)."""
    fields = _plain_fields(seg, content_limit)
    if fields is None:
        return None
    if fields[0] == _TAG_CALL:
        _, qid, target, interface_id, method_id, content, caps, yourself, third, np, op = fields
        return Call(qid, target, interface_id, method_id, Payload(content, caps),
                    SendResultsTo.YOURSELF if yourself else SendResultsTo.CALLER, None,
                    allow_third_party_tail_call=third, no_promise_pipelining=np, only_promise_pipeline=op)
    _, aid, content, caps, release_param_caps, no_finish_needed = fields
    return Return(aid, ReturnResults(Payload(content, caps)), release_param_caps, no_finish_needed)


PlainFields = Tuple[Any, ...]
"""What ``decode_plain`` reads from the common messages, with the tag of their kind first:

* ``(_TAG_CALL, question_id, target, interface_id, method_id, content, cap_table,
  results_to_yourself, allow_third_party_tail_call, no_promise_pipelining,
  only_promise_pipeline)``: a Call whose results go to the caller or stay with the callee;
* ``(_TAG_RETURN, answer_id, content, cap_table, release_param_caps, no_finish_needed)``:
  a Return with results.
"""

TAG_CALL = _TAG_CALL
TAG_RETURN = _TAG_RETURN


def decode_plain(segment: Union[bytes, memoryview],
                 content_traversal_limit_in_words: int = DEFAULT_TRAVERSAL_LIMIT_IN_WORDS
                 ) -> Optional[PlainFields]:
    """The fields of a one-segment Call or results Return as ``decode`` would give them in a
    message (see ``PlainFields``), without building the message; None for anything else,
    which ``decode`` then reads (and explains, when it is malformed)."""
    return _plain_fields(read_segment(0, segment), content_traversal_limit_in_words)


def _plain_fields(seg: Segment, content_limit: int) -> Optional[PlainFields]:
    """The common Call and Return (results) read straight from the words.

    Every struct on the way must be reached by a near pointer inside the segment and have at
    least the size current encoders write; anything else returns None and takes the general
    path.  The envelope is a handful of fixed structs read once, so it is not charged to the
    traversal budget, which the payload's reader gets whole (as in ``decode``).
    """
    u64 = seg.u64
    words = seg.words
    if not words:
        return None
    if u64[0] == _ROOT_PTR and words >= 3:
        # The root as every encoder writes it: right behind its pointer, one word and one pointer.
        ms = mdw = 1
    else:
        ms, mdw, mpc = _near_struct(u64, words, 0)
        if ms < 0 or not mdw or not mpc:
            return None
    tag = u64[ms] & _MASK16
    if tag == _TAG_CALL:
        if u64[ms + mdw] == _CALL_PTR and ms + mdw + 7 <= words:
            cs, cdw = ms + mdw + 1, 3  # the Call right behind the root, at its current size
        else:
            cs, cdw, cpc = _near_struct(u64, words, ms + mdw)
            if cs < 0 or cdw < 3 or cpc < 2:
                return None
        w = u64[cs]
        send_to = w >> 48
        if send_to > 1:
            return None
        ts, tdw, tpc = _near_struct(u64, words, cs + cdw)
        if ts < 0 or not tdw:
            return None
        t = u64[ts]
        which = (t >> 32) & _MASK16
        target: MessageTarget
        if which == 0:
            target = ImportedCapTarget(ImportId(t & _MASK32))
        elif which == 1:
            promised = _plain_promised(u64, words, ts + tdw) if tpc else None
            if promised is None:
                return None
            target = PromisedAnswerTarget(promised)
        else:
            return None
        payload = _plain_payload(seg, u64, words, cs + cdw + 1, content_limit)
        if payload is None:
            return None
        flags = u64[cs + 2]
        return (_TAG_CALL, QuestionId(w & _MASK32), target, u64[cs + 1], (w >> 32) & _MASK16,
                payload[0], payload[1], send_to == 1, bool(flags & 1), bool(flags & 2), bool(flags & 4))
    if tag == _TAG_RETURN:
        if u64[ms + mdw] == _RETURN_PTR and ms + mdw + 4 <= words:
            rs, rdw = ms + mdw + 1, 2  # the Return right behind the root, at its current size
        else:
            rs, rdw, rpc = _near_struct(u64, words, ms + mdw)
            if rs < 0 or rdw < 2 or not rpc:
                return None
        w = u64[rs]
        if w >> 48:  # not results
            return None
        payload = _plain_payload(seg, u64, words, rs + rdw, content_limit)
        if payload is None:
            return None
        return (_TAG_RETURN, AnswerId(w & _MASK32), payload[0], payload[1], not (w >> 32) & 1,
                bool((w >> 33) & 1))
    return None


def _plain_payload(seg: Segment, u64: Any, words: int, idx: int, content_limit: int
                   ) -> Optional[Tuple[object, Tuple[CapDescriptor, ...]]]:
    """The content and cap table of a plain Payload (see ``_plain_fields``)."""
    ps, pdw, ppc = _near_struct(u64, words, idx)
    if ps < 0 or ppc < 2:
        return None
    caps: Tuple[CapDescriptor, ...] = ()
    if u64[ps + pdw + 1]:
        table = _plain_cap_table(u64, words, ps + pdw + 1)
        if table is None:
            return None
        caps = table
    reader = MessageReader.from_segment(seg, content_limit)
    # The content sits three structs below the root (Message, Call or Return, Payload).
    content = AnyPointerReader(reader, seg, ps + pdw, reader.nesting_limit - 3)
    p = u64[ps + pdw]
    if p & 3 or not p:  # not a near struct pointer: null, a capability, a list or far
        return _opaque(content), caps
    return content, caps  # what _opaque gives for a struct


def _plain_struct_list(u64: Any, words: int, idx: int, limit: int
                       ) -> Optional[Tuple[int, int, int, int]]:
    """First element, element count, words per element and data words per element of a near
    struct list at ``idx`` whose elements have a data word, or None (for the general path)."""
    p = u64[idx]
    if p & 0x700000003 != 0x700000001 or p & 0x80000000:
        return None
    start = idx + 1 + ((p >> 2) & 0x1FFFFFFF)
    total = p >> 35
    if start + 1 + total > words:
        return None
    tag = u64[start]
    count = (tag >> 2) & 0x3FFFFFFF
    dw = (tag >> 32) & 0xFFFF
    step = dw + (tag >> 48)
    if tag & 3 or not dw or count * step > total or count > limit:
        return None
    return start + 1, count, step, dw


def _plain_promised(u64: Any, words: int, idx: int) -> Optional[PromisedAnswer]:
    """A PromisedAnswer whose transform ops are all plain (noop or getPointerField)."""
    qs, qdw, qpc = _near_struct(u64, words, idx)
    if qs < 0 or not qdw or not qpc:
        return None
    ops: List[PromisedAnswerOp] = []
    if u64[qs + qdw]:
        found = _plain_struct_list(u64, words, qs + qdw, MAX_TRANSFORM)
        if found is None:
            return None
        first, count, step, _ = found
        for at in range(first, first + count * step, step):
            op = u64[at]
            which = op & _MASK16
            if which == 0:
                ops.append(_NOOP)
            elif which == 1:
                index = (op >> 16) & _MASK16
                ops.append(_POINTER_OPS[index] if index < 64 else PromisedAnswerOp(index))
            else:
                return None
    return PromisedAnswer(QuestionId(u64[qs] & _MASK32), tuple(ops))


_NOOP = PromisedAnswerOp()
_POINTER_OPS = [PromisedAnswerOp(i) for i in range(64)]  # immutable: shared by every transform


def _plain_cap_table(u64: Any, words: int, idx: int) -> Optional[Tuple[CapDescriptor, ...]]:
    """A cap table of none, senderHosted, senderPromise, receiverHosted and receiverAnswer
    entries (anything else goes to the general path)."""
    found = _plain_struct_list(u64, words, idx, MAX_CAP_TABLE)
    if found is None:
        return None
    first, count, step, dw = found
    out: List[CapDescriptor] = []
    for at in range(first, first + count * step, step):
        w = u64[at]
        which = w & _MASK16
        raw_fd = ((w >> 16) & 0xFF) ^ 0xFF
        fd = None if raw_fd == 0xFF else raw_fd
        if which == 0:
            out.append(CapNone(fd))
        elif which == 1:
            out.append(CapSenderHosted(ExportId(w >> 32), fd))
        elif which == 2:
            out.append(CapSenderPromise(ExportId(w >> 32), fd))
        elif which == 3:
            out.append(CapReceiverHosted(ImportId(w >> 32), fd))
        elif which == 4 and step > dw:
            promised = _plain_promised(u64, words, at + dw)
            if promised is None:
                return None
            out.append(CapReceiverAnswer(promised, fd))
        else:
            return None
    return tuple(out)


def decode_reader(reader: MessageReader) -> Message:
    return _read_message(reader.root(), 0)


def _check_length(n: int, limit: int, what: str) -> int:
    if n > limit:
        raise DecodeError(f"{what} has {n} entries, more than the limit of {limit}")
    return n


def _opaque(p: AnyPointerReader) -> object:
    kind = p.kind
    if kind is PointerKind.NULL:
        return None
    if kind is PointerKind.CAPABILITY:
        index = p.get_capability()
        return None if index is None else CapPointer(index)
    return p


# The structs of the per-call path (the Message root, Call, Return, Finish, MessageTarget,
# PromisedAnswer) are read and written a 64-bit data word at a time: a segment makes each
# narrower view on first use (a cast each), which a small RPC message would otherwise pay
# for just to read a tag or a question ID.  These structs are always reached through struct
# pointers, so their data sections are whole words and a missing word reads as zero, exactly
# as each narrower field of it would.
_MASK16 = 0xFFFF
_MASK32 = 0xFFFFFFFF


def _read_message(s: StructReader, depth: int) -> Message:
    tag = s.get_uint64(0) & _MASK16
    if tag == _TAG_UNIMPLEMENTED:
        if depth >= _MAX_NESTED_UNIMPLEMENTED:
            raise DecodeError("Unimplemented messages nested too deep")
        return Unimplemented(_read_message(s.get_struct(0), depth + 1))
    if tag == _TAG_ABORT:
        return Abort(_read_exception(s.get_struct(0)))
    if tag == _TAG_CALL:
        return _read_call(s.get_struct(0))
    if tag == _TAG_RETURN:
        return _read_return(s.get_struct(0))
    if tag == _TAG_FINISH:
        w = s.get_struct(0).get_uint64(0)
        return Finish(QuestionId(w & _MASK32), not (w >> 32) & 1, not (w >> 33) & 1)
    if tag == _TAG_RESOLVE:
        return _read_resolve(s.get_struct(0))
    if tag == _TAG_RELEASE:
        r = s.get_struct(0)
        return Release(ImportId(r.get_uint32(0)), r.get_uint32(1))
    if tag == _TAG_SAVE:
        return ObsoleteSave(_opaque(s.get_pointer(0)))
    if tag == _TAG_BOOTSTRAP:
        b = s.get_struct(0)
        return Bootstrap(QuestionId(b.get_uint32(0)), _opaque(b.get_pointer(0)))
    if tag == _TAG_DELETE:
        return ObsoleteDelete(_opaque(s.get_pointer(0)))
    if tag == _TAG_PROVIDE:
        p = s.get_struct(0)
        return Provide(QuestionId(p.get_uint32(0)), _read_target(p.get_struct(0)), _opaque(p.get_pointer(1)))
    if tag == _TAG_ACCEPT:
        a = s.get_struct(0)
        return Accept(QuestionId(a.get_uint32(0)), _opaque(a.get_pointer(0)), a.get_bool(32))
    if tag == _TAG_JOIN:
        j = s.get_struct(0)
        return Join(QuestionId(j.get_uint32(0)), _read_target(j.get_struct(0)), _opaque(j.get_pointer(1)))
    if tag == _TAG_DISEMBARGO:
        return _read_disembargo(s.get_struct(0))
    return UnknownMessage(tag, s)


def _read_exception(s: StructReader) -> RpcException:
    kind = s.get_uint16(2)
    try:
        exc_type = ExceptionType(kind)
    except ValueError:
        exc_type = ExceptionType.FAILED  # a newer type: treat as a plain failure
    details: List[ExceptionDetail] = []
    if not s.is_null(2):
        items = s.get_list(2, ELEM_COMPOSITE)
        for i in range(_check_length(len(items), MAX_DETAILS, "Exception.details")):
            d = items.get_struct(i)
            details.append(ExceptionDetail(d.get_uint64(0), d.get_data(0)))
    return RpcException(s.get_text(0), exc_type, s.get_text(1), tuple(details))


def _read_promised(s: StructReader) -> PromisedAnswer:
    ops: List[PromisedAnswerOp] = []
    if not s.is_null(0):
        items = s.get_list(0, ELEM_COMPOSITE)
        for i in range(_check_length(len(items), MAX_TRANSFORM, "PromisedAnswer.transform")):
            op = items.get_struct(i)
            which = op.get_uint16(0)
            if which == 0:
                ops.append(PromisedAnswerOp())
            elif which == 1:
                ops.append(PromisedAnswerOp(op.get_uint16(1)))
            else:
                raise DecodeError(f"unknown PromisedAnswer.Op {which} at transform index {i}")
    return PromisedAnswer(QuestionId(s.get_uint64(0) & _MASK32), tuple(ops))


def _read_target(s: StructReader) -> MessageTarget:
    w = s.get_uint64(0)
    which = (w >> 32) & _MASK16
    if which == 0:
        return ImportedCapTarget(ImportId(w & _MASK32))
    if which == 1:
        return PromisedAnswerTarget(_read_promised(s.get_struct(0)))
    raise DecodeError(f"unknown MessageTarget variant {which}")


def _read_cap(s: StructReader) -> CapDescriptor:
    which = s.get_uint16(0)
    fd_raw = s.get_uint8(2, 0xFF)
    fd = None if fd_raw == 0xFF else fd_raw
    if which == 0:
        return CapNone(fd)
    if which == 1:
        return CapSenderHosted(ExportId(s.get_uint32(1)), fd)
    if which == 2:
        return CapSenderPromise(ExportId(s.get_uint32(1)), fd)
    if which == 3:
        return CapReceiverHosted(ImportId(s.get_uint32(1)), fd)
    if which == 4:
        return CapReceiverAnswer(_read_promised(s.get_struct(0)), fd)
    if which == 5:
        t = s.get_struct(0)
        return CapThirdPartyHosted(_opaque(t.get_pointer(0)), ExportId(t.get_uint32(0)), fd)
    raise DecodeError(f"unknown CapDescriptor variant {which}")


def _read_payload(s: StructReader) -> Payload:
    caps: List[CapDescriptor] = []
    if not s.is_null(1):
        items: ListReader = s.get_list(1, ELEM_COMPOSITE)
        for i in range(_check_length(len(items), MAX_CAP_TABLE, "Payload.capTable")):
            caps.append(_read_cap(items.get_struct(i)))
    return Payload(_opaque(s.get_pointer(0)), tuple(caps))


def _read_call(s: StructReader) -> Call:
    w = s.get_uint64(0)
    which = w >> 48
    if which == 0:
        send_to = SendResultsTo.CALLER
    elif which == 1:
        send_to = SendResultsTo.YOURSELF
    elif which == 2:
        send_to = SendResultsTo.THIRD_PARTY
    else:
        raise DecodeError(f"unknown Call.sendResultsTo variant {which}")
    flags = s.get_uint64(2)
    return Call(
        QuestionId(w & _MASK32),
        _read_target(s.get_struct(0)),
        s.get_uint64(1),
        (w >> 32) & _MASK16,
        _read_payload(s.get_struct(1)),
        send_to,
        _opaque(s.get_pointer(2)) if send_to is SendResultsTo.THIRD_PARTY else None,
        allow_third_party_tail_call=bool(flags & 1),
        no_promise_pipelining=bool(flags & 2),
        only_promise_pipeline=bool(flags & 4),
    )


def _read_return(s: StructReader) -> Return:
    w = s.get_uint64(0)
    which = w >> 48
    body: ReturnBody
    if which == 0:
        body = ReturnResults(_read_payload(s.get_struct(0)))
    elif which == 1:
        body = ReturnException(_read_exception(s.get_struct(0)))
    elif which == 2:
        body = ReturnCanceled()
    elif which == 3:
        body = ReturnResultsSentElsewhere()
    elif which == 4:
        body = ReturnTakeFromOtherQuestion(QuestionId(s.get_uint64(1) & _MASK32))
    elif which == 5:
        body = ReturnAcceptFromThirdParty(_opaque(s.get_pointer(0)))
    else:
        raise DecodeError(f"unknown Return variant {which}")
    return Return(AnswerId(w & _MASK32), body, not (w >> 32) & 1, bool((w >> 33) & 1))


def _read_resolve(s: StructReader) -> Resolve:
    which = s.get_uint16(2)
    if which == 0:
        return Resolve(ExportId(s.get_uint32(0)), ResolveCap(_read_cap(s.get_struct(0))))
    if which == 1:
        return Resolve(ExportId(s.get_uint32(0)), ResolveException(_read_exception(s.get_struct(0))))
    raise DecodeError(f"unknown Resolve variant {which}")


def _read_disembargo(s: StructReader) -> Disembargo:
    which = s.get_uint16(2)
    for context, tag in _CONTEXT_TAGS.items():
        if tag == which:
            value = 0 if context is DisembargoContext.ACCEPT else s.get_uint32(0)
            return Disembargo(_read_target(s.get_struct(0)), context, value)
    raise DecodeError(f"unknown Disembargo.context variant {which}")


# --- Encoding ----------------------------------------------------------------------------------


class OutgoingContent:
    """Payload content built in place, inside the Call or Return message that will carry it.

    ``for_call`` / ``for_return`` allocate the message with its envelope and
    the content struct (``struct``), which the application fills.  Encoding a
    ``Call`` or ``Return`` whose payload content is this object writes the
    envelope's remaining fields into the same message instead of deep-copying
    the content into a new one.  That works once: encoding it again (or in
    another kind of message) copies ``reader()`` like any other content.
    """

    __slots__ = ("message", "tag", "struct", "used", "_body", "_target", "_payload")

    def __init__(self, tag: int, data_words: int, pointer_count: int) -> None:
        self.tag = tag  # _TAG_CALL or _TAG_RETURN
        self.used = False  # True once encoded in place
        key = (tag, data_words, pointer_count)
        template = _ENVELOPES.get(key)
        if template is not None:
            # The same envelope as last time: copy its words instead of allocating each struct.
            words, used, body, target, payload, content = template
            self.message = mb = builder_from_words(words, used, _FIRST_SEGMENT_WORDS)
            seg = mb._segments[0]
            # Where the Call or Return, its MessageTarget (calls) and its Payload sit, all in
            # the first segment: the envelope is written there word by word when sent.
            self._body = body
            self._target = target
            self._payload = payload
            self.struct = StructBuilder(mb, seg, *content)  # the content
            return
        self.message = mb = MessageBuilder(_FIRST_SEGMENT_WORDS)  # the whole outgoing message
        root = mb.init_root(*_MESSAGE)
        root.set_uint64(0, tag)  # the union tag is the word's only field
        target_struct: Optional[StructBuilder] = None
        if tag == _TAG_CALL:
            body_struct = root.init_struct(0, *_CALL)
            # The target is allocated up front too, so a templated call only fills in words.
            target_struct = body_struct.init_struct(0, *_TARGET)
            payload_struct = body_struct.init_struct(1, *_PAYLOAD)
        else:
            body_struct = root.init_struct(0, *_RETURN)
            payload_struct = body_struct.init_struct(0, *_PAYLOAD)
        self._body = _where(body_struct)
        self._target = None if target_struct is None else _where(target_struct)
        self._payload = _where(payload_struct)
        self.struct = payload_struct.init_struct(0, data_words, pointer_count)
        seg = mb._segments[0]
        if (len(mb._segments) == 1 and seg.used <= _FIRST_SEGMENT_WORDS
                and len(_ENVELOPES) < _MAX_ENVELOPES):
            _ENVELOPES[key] = (bytes(seg.b[: seg.used << 3]), seg.used, self._body, self._target,
                               self._payload, _where(self.struct))

    @property
    def body(self) -> StructBuilder:
        """The Call or Return struct."""
        return StructBuilder(self.message, self.message._segments[0], *self._body)

    @property
    def payload(self) -> StructBuilder:
        """The Payload struct holding the content."""
        return StructBuilder(self.message, self.message._segments[0], *self._payload)

    @classmethod
    def for_call(cls, data_words: int, pointer_count: int) -> "OutgoingContent":
        return cls(_TAG_CALL, data_words, pointer_count)

    @classmethod
    def for_return(cls, data_words: int, pointer_count: int) -> "OutgoingContent":
        return cls(_TAG_RETURN, data_words, pointer_count)

    def reader(self) -> StructReader:
        return self.struct.as_reader()


_Where = Tuple[int, int, int, int]

# Fresh envelopes by (tag, content data words, content pointers): the words of the message up
# to the empty content struct, and where its three structs sit.
_ENVELOPES: Dict[Tuple[int, int, int], Tuple[bytes, int, _Where, Optional[_Where], _Where, _Where]] = {}
_MAX_ENVELOPES = 256


def _where(s: StructBuilder) -> _Where:
    """Data byte offset, data bytes, pointer word index and pointer count of ``s``."""
    return s._data, s._dsize, s._ptrs, s._pcount


# Small messages (Finish, Release, most calls) fit in one segment of this size; larger ones grow.
_FIRST_SEGMENT_WORDS = 64


def _in_place(message: Message) -> Optional[OutgoingContent]:
    """The unused in-place content of a Call or results Return, if it was built for that kind."""
    if isinstance(message, Call):
        content = message.params.content
        tag = _TAG_CALL
    elif isinstance(message, Return) and isinstance(message.body, ReturnResults):
        content = message.body.payload.content
        tag = _TAG_RETURN
    else:
        return None
    if isinstance(content, OutgoingContent) and not content.used and content.tag == tag:
        return content
    return None


def encode_segments(message: Message) -> List[bytes]:
    """Encode one RPC message; returns its segments (frame them with ``wire.framing``)."""
    return _build(message).segments()


def _build(message: Message) -> MessageBuilder:
    prebuilt = _in_place(message)
    if prebuilt is not None:
        prebuilt.used = True
        if isinstance(message, Call):
            _fill_call(prebuilt, message)
        else:
            assert isinstance(message, Return)
            _fill_return(prebuilt, message)
        return prebuilt.message
    mb = MessageBuilder(_FIRST_SEGMENT_WORDS)
    root = mb.init_root(*_MESSAGE)
    _write_message(root, message)
    return mb


def _store_word(u64: Any, index: int, value: int, what: str) -> None:
    try:
        u64[index] = value
    except (ValueError, TypeError, OverflowError, _struct.error) as exc:
        raise EncodeError(f"cannot store {value!r} as {what}: {exc}") from None


def _call_word(c: Call) -> int:
    """A Call's data word 0: questionId (bits 0-31), methodId (32-47), sendResultsTo's tag (48-63)."""
    return (_u32(c.question_id, "question id")
            | _u16(c.method_id, "method id") << 32
            | _send_to_tag(c.send_results_to) << 48)


def _call_flags(c: Call) -> int:
    """A Call's data word 2: its three flags (bits 0-2)."""
    return (bool(c.allow_third_party_tail_call) | bool(c.no_promise_pipelining) << 1
            | bool(c.only_promise_pipeline) << 2)


def _return_word(r: Return, tag: int) -> int:
    """A Return's data word 0: answerId (bits 0-31), releaseParamCaps (32, default true),
    noFinishNeeded (33), the union tag (48-63)."""
    return (_u32(r.answer_id, "answer id") | (not r.release_param_caps) << 32
            | bool(r.no_finish_needed) << 33 | tag << 48)


def _fill_call(oc: OutgoingContent, c: Call) -> None:
    """Write the envelope of a call whose params were built in place: the same fields as
    ``_write_call``, stored as whole words at the offsets the envelope was laid out with."""
    mb = oc.message
    seg = mb._segments[0]
    u64 = seg.u64
    at = oc._body[0] >> 3
    qid = c.question_id
    method_id = c.method_id
    if c.send_results_to is SendResultsTo.CALLER and 0 <= qid <= _MASK32 and 0 <= method_id <= _MASK16:
        u64[at] = qid | method_id << 32  # sendResultsTo's tag is 0: the usual call, checked inline
    else:
        u64[at] = _call_word(c)
    try:
        u64[at + 1] = c.interface_id
    except (ValueError, TypeError, OverflowError, _struct.error):
        _store_word(u64, at + 1, c.interface_id, "interface id")  # raises, saying what
    if c.allow_third_party_tail_call or c.no_promise_pipelining or c.only_promise_pipeline:
        u64[at + 2] = _call_flags(c)
    target = c.target
    where = oc._target
    assert where is not None  # calls always lay out their target
    if type(target) is ImportedCapTarget:
        iid = target.import_id
        u64[where[0] >> 3] = iid if 0 <= iid <= _MASK32 else _u32(iid, "import id")
    else:
        _write_target(StructBuilder(mb, seg, *where), target)
    table = c.params.cap_table
    if table:
        _write_cap_table(oc.payload, table)
    if c.send_results_to is SendResultsTo.THIRD_PARTY:
        _set_opaque(oc.body, 2, c.third_party)


def _fill_return(oc: OutgoingContent, r: Return) -> None:
    """Write the envelope of a results Return built in place (see ``_write_return``)."""
    payload = r.body.payload  # type: ignore[union-attr]  # _in_place checked: ReturnResults
    if payload.cap_table:
        _write_cap_table(oc.payload, payload.cap_table)
    oc.message._segments[0].u64[oc._body[0] >> 3] = _return_word(r, 0)


_ONE_SEGMENT_TABLE = _struct.Struct("<II")


def _framed(mb: MessageBuilder) -> bytes:
    segments = mb._segments
    if len(segments) == 1:
        # The usual single segment: its table is one word, and the bytes are copied once.
        seg = segments[0]
        return _ONE_SEGMENT_TABLE.pack(0, seg.used) + seg.b[: seg.used << 3]
    return encode_message(mb.segments())


# Framed Finish messages by (question id, flags): question IDs are reused lowest-free-first, so
# a few hundred entries serve nearly every Finish without building a message.
_FINISH_CACHE: Dict[Tuple[int, bool, bool], bytes] = {}
_FINISH_CACHE_IDS = 1024


def encode_framed(message: Message) -> bytes:
    """Encode and frame one RPC message for a byte stream."""
    if type(message) is Call:
        # The usual call, its params built in place (what _build does, without its dispatch).
        content = message.params.content
        if type(content) is OutgoingContent and not content.used and content.tag == _TAG_CALL:
            content.used = True
            _fill_call(content, message)
            return _framed(content.message)
    if isinstance(message, Finish) and message.question_id < _FINISH_CACHE_IDS:
        key = (int(message.question_id), message.release_result_caps,
               message.require_early_cancellation_workaround)
        framed = _FINISH_CACHE.get(key)
        if framed is None:
            framed = _FINISH_CACHE[key] = _framed(_build(message))
        return framed
    if type(message) is Release:
        # The layout _plain_finish_or_release reads: root pointer, tag word, pointer to the one-word struct.
        iid = message.id
        count = message.reference_count
        if not (0 <= iid <= _MASK32 and 0 <= count <= _MASK32):
            _u32(iid, "import id")
            _u32(count, "reference count")  # one of them raises, saying which
        return _RELEASE_FRAMED.pack(0, 4, _FINISH_ROOT, _TAG_RELEASE, _FINISH_PTR, iid | count << 32)
    return _framed(_build(message))


_RELEASE_FRAMED = _struct.Struct("<II4Q")  # segment table (one segment of four words), then the words


def encode(message: Message) -> List[bytes]:
    """Alias of ``encode_segments``."""
    return encode_segments(message)


def _set_opaque(s: StructBuilder, index: int, value: object) -> None:
    if value is None:
        return
    if isinstance(value, CapPointer):
        s.set_capability(index, value.index)
    elif isinstance(value, AnyPointerReader):
        s.set_pointer(index, value)
    elif isinstance(value, StructReader):
        s.set_struct(index, value)
    elif isinstance(value, OutgoingContent):
        s.set_struct(index, value.reader())
    else:
        raise EncodeError(f"cannot encode {type(value).__name__} as an AnyPointer")


def _u8(value: int, what: str) -> int:
    if not 0 <= value <= 0xFF:
        raise EncodeError(f"{what} {value} does not fit in UInt8")
    return value


def _u16(value: int, what: str) -> int:
    if not 0 <= value <= 0xFFFF:
        raise EncodeError(f"{what} {value} does not fit in UInt16")
    return value


def _u32(value: int, what: str) -> int:
    if not 0 <= value <= 0xFFFFFFFF:
        raise EncodeError(f"{what} {value} does not fit in UInt32")
    return value


def _write_message(root: StructBuilder, m: Message) -> None:
    if isinstance(m, Unimplemented):
        root.set_uint16(0, _TAG_UNIMPLEMENTED)
        inner = m.message
        if isinstance(inner, UnknownMessage) and isinstance(inner.raw, StructReader):
            root.set_struct(0, inner.raw)
        else:
            _write_message(root.init_struct(0, *_MESSAGE), inner)
    elif isinstance(m, Abort):
        root.set_uint16(0, _TAG_ABORT)
        _write_exception(root.init_struct(0, *_EXCEPTION), m.exception)
    elif isinstance(m, Call):
        root.set_uint64(0, _TAG_CALL)
        _write_call(root.init_struct(0, *_CALL), m)
    elif isinstance(m, Return):
        root.set_uint64(0, _TAG_RETURN)
        _write_return(root.init_struct(0, *_RETURN), m)
    elif isinstance(m, Finish):
        root.set_uint64(0, _TAG_FINISH)
        f = root.init_struct(0, *_FINISH)
        f.set_uint64(0, _u32(m.question_id, "question id")
                     | (not m.release_result_caps) << 32
                     | (not m.require_early_cancellation_workaround) << 33)
    elif isinstance(m, Resolve):
        root.set_uint16(0, _TAG_RESOLVE)
        r = root.init_struct(0, *_RESOLVE)
        r.set_uint32(0, _u32(m.promise_id, "promise id"))
        if isinstance(m.resolution, ResolveCap):
            r.set_uint16(2, 0)
            _write_cap(r.init_struct(0, *_CAPDESC), m.resolution.cap)
        else:
            r.set_uint16(2, 1)
            _write_exception(r.init_struct(0, *_EXCEPTION), m.resolution.exception)
    elif isinstance(m, Release):
        root.set_uint16(0, _TAG_RELEASE)
        r = root.init_struct(0, *_RELEASE)
        r.set_uint32(0, _u32(m.id, "import id"))
        r.set_uint32(1, _u32(m.reference_count, "reference count"))
    elif isinstance(m, Bootstrap):
        root.set_uint16(0, _TAG_BOOTSTRAP)
        b = root.init_struct(0, *_BOOTSTRAP)
        b.set_uint32(0, _u32(m.question_id, "question id"))
        _set_opaque(b, 0, m.deprecated_object_id)
    elif isinstance(m, Disembargo):
        root.set_uint16(0, _TAG_DISEMBARGO)
        d = root.init_struct(0, *_DISEMBARGO)
        _write_target(d.init_struct(0, *_TARGET), m.target)
        d.set_uint16(2, _CONTEXT_TAGS[m.context])
        if m.context is not DisembargoContext.ACCEPT:
            d.set_uint32(0, _u32(m.value, "embargo id"))
    elif isinstance(m, ObsoleteSave):
        root.set_uint16(0, _TAG_SAVE)
        _set_opaque(root, 0, m.value)
    elif isinstance(m, ObsoleteDelete):
        root.set_uint16(0, _TAG_DELETE)
        _set_opaque(root, 0, m.value)
    elif isinstance(m, Provide):
        root.set_uint16(0, _TAG_PROVIDE)
        p = root.init_struct(0, *_PROVIDE)
        p.set_uint32(0, _u32(m.question_id, "question id"))
        _write_target(p.init_struct(0, *_TARGET), m.target)
        _set_opaque(p, 1, m.recipient)
    elif isinstance(m, Accept):
        root.set_uint16(0, _TAG_ACCEPT)
        a = root.init_struct(0, *_ACCEPT)
        a.set_uint32(0, _u32(m.question_id, "question id"))
        _set_opaque(a, 0, m.provision)
        a.set_bool(32, m.embargo)
    elif isinstance(m, Join):
        root.set_uint16(0, _TAG_JOIN)
        j = root.init_struct(0, *_JOIN)
        j.set_uint32(0, _u32(m.question_id, "question id"))
        _write_target(j.init_struct(0, *_TARGET), m.target)
        _set_opaque(j, 1, m.key_part)
    elif isinstance(m, UnknownMessage):
        raise EncodeError("an unknown message can only be echoed inside Unimplemented")
    else:
        raise EncodeError(f"not an RPC message: {type(m).__name__}")


def _write_exception(s: StructBuilder, e: RpcException) -> None:
    s.set_text(0, e.reason)
    s.set_uint16(2, int(e.type))
    if e.trace:
        s.set_text(1, e.trace)
    if e.details:
        items = s.init_struct_list(2, len(e.details), *_DETAIL)
        for i, detail in enumerate(e.details):
            d = items.get_struct(i)
            d.set_uint64(0, detail.id)
            d.set_data(0, detail.data)


def _write_promised(s: StructBuilder, pa: PromisedAnswer) -> None:
    """Write a PromisedAnswer into ``s``, a new struct of its size (``_PROMISED``)."""
    qid = _u32(pa.question_id, "question id")
    transform = pa.transform
    if transform:
        items = s.init_struct_list(0, len(transform), *_OP)
        # Each op is one data word: the union tag (1: getPointerField), then the index; a
        # noop stays zero.  Written straight into the list's words, after its allocation.
        u64 = items._seg.u64
        at = items._base >> 3
        for op in transform:
            index = op.pointer_field
            if index is not None:
                u64[at] = 1 | _u16(index, "pointer index") << 16
            at += 1
    s._seg.u64[s._data >> 3] = qid  # the only data field


def _write_target(s: StructBuilder, t: MessageTarget) -> None:
    # One data word: importedCap (UInt32, bits 0-31) and the union tag (bits 32-47).
    if isinstance(t, ImportedCapTarget):
        s.set_uint64(0, _u32(t.import_id, "import id"))
    else:
        s.set_uint64(0, 1 << 32)
        _write_promised(s.init_struct(0, *_PROMISED), t.promised_answer)


def _write_cap(s: StructBuilder, c: CapDescriptor) -> None:
    # The descriptor's data word: the union tag (bits 0-15), attachedFd XOR its default 0xFF
    # (bits 16-23), the export or import ID (bits 32-63); written whole for the usual kinds.
    fd = 0 if c.attached_fd is None else (_u8(c.attached_fd, "attached fd") ^ 0xFF) << 16
    if isinstance(c, CapNone):
        if fd:
            s.set_uint64(0, fd)
        return
    if isinstance(c, CapSenderHosted):
        s.set_uint64(0, 1 | fd | _u32(c.export_id, "export id") << 32)
    elif isinstance(c, CapSenderPromise):
        s.set_uint64(0, 2 | fd | _u32(c.export_id, "export id") << 32)
    elif isinstance(c, CapReceiverHosted):
        s.set_uint64(0, 3 | fd | _u32(c.import_id, "import id") << 32)
    elif isinstance(c, CapReceiverAnswer):
        s.set_uint64(0, 4 | fd)
        _write_promised(s.init_struct(0, *_PROMISED), c.promised_answer)
    else:
        s.set_uint64(0, 5 | fd)
        t = s.init_struct(0, *_THIRD)
        t.set_uint32(0, _u32(c.vine_id, "vine id"))
        _set_opaque(t, 0, c.third_party_cap_id)


def _write_payload(s: StructBuilder, p: Payload) -> None:
    _set_opaque(s, 0, p.content)
    if p.cap_table:
        _write_cap_table(s, p.cap_table)


# Descriptor tags of the kinds whose whole encoding is the data word (the ID in bits 32-63).
_ID_CAP_TAGS: Dict[type, int] = {CapSenderHosted: 1, CapSenderPromise: 2, CapReceiverHosted: 3}


def _write_cap_table(s: StructBuilder, table: Tuple[CapDescriptor, ...]) -> None:
    """The cap table into pointer 1 of the Payload ``s``: the usual descriptors (no attached
    fd, an export or import ID) as their one word each; the others through ``_write_cap``."""
    items = s.init_struct_list(1, len(table), *_CAPDESC)
    u64 = items._seg.u64
    at = items._base >> 3
    for i, cap in enumerate(table):
        tag = _ID_CAP_TAGS.get(type(cap), 0)
        if tag and cap.attached_fd is None:
            ident = cap.import_id if tag == 3 else cap.export_id  # type: ignore[union-attr]
            u64[at + 2 * i] = tag | _u32(ident, "import id" if tag == 3 else "export id") << 32
        else:
            _write_cap(items.get_struct(i), cap)
            u64 = items._seg.u64  # allocating may have moved the segment's words


def _write_call(s: StructBuilder, c: Call) -> None:
    """Write ``c`` into ``s``."""
    s.set_uint64(0, _call_word(c))
    _write_target(s.init_struct(0, *_TARGET), c.target)
    s.set_uint64(1, c.interface_id)
    _write_payload(s.init_struct(1, *_PAYLOAD), c.params)
    if c.send_results_to is SendResultsTo.THIRD_PARTY:
        _set_opaque(s, 2, c.third_party)
    flags = _call_flags(c)
    if flags:
        s.set_uint64(2, flags)


def _write_return(s: StructBuilder, r: Return) -> None:
    """Write ``r`` into ``s``."""
    body = r.body
    tag = 0
    if isinstance(body, ReturnResults):
        _write_payload(s.init_struct(0, *_PAYLOAD), body.payload)
    elif isinstance(body, ReturnException):
        tag = 1
        _write_exception(s.init_struct(0, *_EXCEPTION), body.exception)
    elif isinstance(body, ReturnCanceled):
        tag = 2
    elif isinstance(body, ReturnResultsSentElsewhere):
        tag = 3
    elif isinstance(body, ReturnTakeFromOtherQuestion):
        tag = 4
        s.set_uint64(1, _u32(body.question_id, "question id"))  # the word's only field
    else:
        tag = 5
        _set_opaque(s, 0, body.third_party_cap_id)
    s.set_uint64(0, _return_word(r, tag))
