"""The codec's direct reads of plain Call, Return and Finish messages against its general reader.

``decode`` reads the common messages (a Call on an imported capability, results
without capabilities, a Finish) straight from the words; everything else, and
any layout it does not expect, goes through the general reader.  Both must give
the same message, and hostile layouts must still fail the general way.
"""

from __future__ import annotations

import dataclasses
from typing import Any, List, Optional, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.errors import DecodeError
from capnp_lite.rpc import codec
from capnp_lite.rpc.codec import decode, decode_reader, encode
from capnp_lite.rpc.ids import AnswerId, ImportId, QuestionId
from capnp_lite.rpc.ids import ExportId
from capnp_lite.rpc.messages import (
    Call,
    CapNone,
    CapPointer,
    CapReceiverAnswer,
    CapReceiverHosted,
    CapSenderHosted,
    CapSenderPromise,
    Finish,
    ImportedCapTarget,
    PromisedAnswer,
    PromisedAnswerOp,
    PromisedAnswerTarget,
    Message,
    Payload,
    Return,
    ReturnResults,
    SendResultsTo,
)
from capnp_lite.wire.layout import AnyPointerReader, MessageBuilder, MessageReader, StructReader
from capnp_lite.wire.segments import read_segment


def _content(words: Sequence[int], texts: Sequence[str]) -> AnyPointerReader:
    """A struct in a message of its own, as payload content to encode."""
    mb = MessageBuilder()
    root = mb.init_root(len(words), len(texts))
    for i, w in enumerate(words):
        root.set_uint64(i, w)
    for i, t in enumerate(texts):
        root.set_text(i, t)
    return MessageReader(mb.segments()).root_pointer()


def _general(segments: List[bytes]) -> Message:
    return decode_reader(MessageReader(segments))


def _summary(value: object) -> Any:
    """A message (or any part of one) as plain values: opaque pointers become their content."""
    if isinstance(value, AnyPointerReader):
        try:
            s = value.get_struct()
            return ("struct", [s.get_uint64(i) for i in range(s.data_size_bytes // 8)],
                    [s.get_text(i) for i in range(s.ptr_count)])
        except DecodeError as exc:
            return ("unreadable", str(exc))
    if isinstance(value, StructReader):
        return ("reader", value.data_size_bytes, value.ptr_count)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,
                [_summary(getattr(value, f.name)) for f in dataclasses.fields(value)])
    if isinstance(value, tuple):
        return tuple(_summary(v) for v in value)
    return value


def _same(a: Message, b: Message) -> None:
    assert _summary(a) == _summary(b)


u32 = st.integers(0, 0xFFFFFFFF)
u64 = st.integers(0, 0xFFFFFFFFFFFFFFFF)
contents = st.one_of(
    st.none(),
    st.builds(CapPointer, st.integers(0, 10)),
    st.builds(_content, st.lists(u64, max_size=3), st.lists(st.text(max_size=8), max_size=2)),
)


@settings(max_examples=150, deadline=None)
@given(u32, u32, u64, st.integers(0, 0xFFFF), contents, st.sampled_from([SendResultsTo.CALLER, SendResultsTo.YOURSELF]),
       st.booleans(), st.booleans(), st.booleans())
def test_plain_calls_read_like_the_general_reader(qid: int, iid: int, interface: int, method: int,
                                                 content: object, send_to: SendResultsTo,
                                                 tail: bool, no_pipe: bool, only_pipe: bool) -> None:
    msg = Call(QuestionId(qid), ImportedCapTarget(ImportId(iid)), interface, method, Payload(content, ()),
               send_to, allow_third_party_tail_call=tail, no_promise_pipelining=no_pipe,
               only_promise_pipeline=only_pipe)
    segments = [bytes(s) for s in encode(msg)]
    assert codec._plain_call_or_return(read_segment(0, segments[0]), 1000) is not None
    _same(decode(segments), _general(segments))
    _same(decode(segments), msg)


@settings(max_examples=100, deadline=None)
@given(u32, contents, st.booleans(), st.booleans())
def test_plain_returns_read_like_the_general_reader(aid: int, content: object, release: bool,
                                                   no_finish: bool) -> None:
    msg = Return(AnswerId(aid), ReturnResults(Payload(content, ())), release, no_finish)
    segments = [bytes(s) for s in encode(msg)]
    assert codec._plain_call_or_return(read_segment(0, segments[0]), 1000) is not None
    _same(decode(segments), _general(segments))
    _same(decode(segments), msg)


@settings(max_examples=100, deadline=None)
@given(u32, st.booleans(), st.booleans())
def test_finish_reads_like_the_general_reader(qid: int, release: bool, early: bool) -> None:
    msg = Finish(QuestionId(qid), release, early)
    segments = [bytes(s) for s in encode(msg)]
    assert codec._plain_finish_or_release(segments[0]) == msg
    assert decode(segments) == _general(segments) == msg


def _words(segment: bytes) -> List[int]:
    return [int.from_bytes(segment[i:i + 8], "little") for i in range(0, len(segment), 8)]


def _bytes(words: List[int]) -> bytes:
    return b"".join(w.to_bytes(8, "little") for w in words)


def _plain_call_words() -> List[int]:
    return _words(bytes(encode(Call(QuestionId(1), ImportedCapTarget(ImportId(2)), 3, 4,
                                    Payload(_content([5], ["x"]), ())))[0]))


def test_the_plain_call_layout_is_the_one_expected() -> None:
    w = _plain_call_words()
    assert w[0] == 0x0001000100000000  # root: Message, one data word, one pointer, right behind
    assert w[1] & 0xFFFF == 2  # Message.call
    assert (w[2] >> 32) & 0xFFFF == 3 and w[2] >> 48 == 3  # Call: three data words, three pointers


@pytest.mark.parametrize("segment", [b"", b"\0" * 8, b"\0" * 32])
def test_empty_and_null_messages_fail_like_the_general_reader(segment: bytes) -> None:
    with pytest.raises(DecodeError):
        _general([segment])
    with pytest.raises(DecodeError):
        decode([segment])


@pytest.mark.parametrize("index, value", [
    (0, 0),  # null root
    (0, 0x0001000100000002),  # root is a far pointer into a missing segment
    (2, 0xFFFF_FFFF_0000_0000),  # Call struct larger than the segment
    (2, 0x0003000300000000 | (0x3FFFFFFF << 2)),  # negative offset
    (2, 0x0000000100000001),  # Call pointer is a list pointer
])
def test_odd_layouts_take_the_general_path_and_fail_or_agree(index: int, value: int) -> None:
    w = _plain_call_words()
    w[index] = value
    segments = [_bytes(w)]
    general: Optional[Message]
    try:
        general = _general(segments)
    except DecodeError:
        general = None
    if general is None:
        with pytest.raises(DecodeError):
            decode(segments)
    else:
        _same(decode(segments), general)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_plain_calls_raise_only_decode_error_and_agree(data: Any) -> None:
    w = _plain_call_words()
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(w) - 1))
        w[i] ^= 1 << data.draw(st.integers(0, 63))
    segments = [_bytes(w)]
    try:
        expected: Optional[Message] = _general(segments)
    except DecodeError:
        expected = None
    try:
        got: Optional[Message] = decode(segments)
    except DecodeError:
        got = None
    assert (got is None) == (expected is None)
    if got is not None and expected is not None:
        _same(got, expected)


fds = st.one_of(st.none(), st.integers(0, 254))
transforms = st.lists(st.one_of(st.just(PromisedAnswerOp()), st.builds(PromisedAnswerOp, st.integers(0, 0xFFFF))),
                      max_size=5).map(tuple)
promised = st.builds(PromisedAnswer, u32.map(QuestionId), transforms)
cap_descriptors = st.one_of(
    st.builds(CapNone, fds),
    st.builds(CapSenderHosted, u32.map(ExportId), fds),
    st.builds(CapSenderPromise, u32.map(ExportId), fds),
    st.builds(CapReceiverHosted, u32.map(ImportId), fds),
    st.builds(CapReceiverAnswer, promised, fds),
)


@settings(max_examples=150, deadline=None)
@given(u32, promised, contents, st.lists(cap_descriptors, max_size=4).map(tuple), st.booleans())
def test_pipelined_calls_with_cap_tables_read_like_the_general_reader(
        qid: int, target: PromisedAnswer, content: object, caps: Any, as_return: bool) -> None:
    msg: Message
    if as_return:
        msg = Return(AnswerId(qid), ReturnResults(Payload(content, caps)))
    else:
        msg = Call(QuestionId(qid), PromisedAnswerTarget(target), 1, 2, Payload(content, caps))
    segments = [bytes(s) for s in encode(msg)]
    if len(segments) == 1:  # the plain reader takes one-segment messages (the usual size)
        assert codec._plain_call_or_return(read_segment(0, segments[0]), 1000) is not None
    _same(decode(segments), _general(segments))
    _same(decode(segments), msg)


def _pipelined_words() -> List[int]:
    caps: Any = (CapSenderHosted(ExportId(3)), CapReceiverAnswer(PromisedAnswer(QuestionId(4), (
        PromisedAnswerOp(), PromisedAnswerOp(1)))), CapNone(2))
    return _words(bytes(encode(Call(
        QuestionId(1), PromisedAnswerTarget(PromisedAnswer(QuestionId(9), (PromisedAnswerOp(2),))), 3, 4,
        Payload(CapPointer(0), caps)))[0]))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_pipelined_calls_agree_with_the_general_reader(data: Any) -> None:
    w = _pipelined_words()
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(w) - 1))
        w[i] ^= 1 << data.draw(st.integers(0, 63))
    segments = [_bytes(w)]
    try:
        expected: Optional[Message] = _general(segments)
    except DecodeError:
        expected = None
    try:
        got: Optional[Message] = decode(segments)
    except DecodeError:
        got = None
    assert (got is None) == (expected is None)
    if got is not None and expected is not None:
        _same(got, expected)


@pytest.mark.parametrize("fd", [None, 0, 7, 254])
def test_every_cap_descriptor_kind_keeps_its_attached_fd(fd: Optional[int]) -> None:
    from capnp_lite.rpc.messages import (CapNone, CapReceiverAnswer, CapReceiverHosted, CapSenderHosted,
                                         CapSenderPromise, CapThirdPartyHosted, PromisedAnswerOp,
                                         Return, ReturnResults)
    from capnp_lite.wire.framing import decode_message

    table = (CapNone(fd), CapSenderHosted(ExportId(2), fd), CapSenderPromise(ExportId(3), fd),
             CapReceiverHosted(ImportId(4), fd),
             CapReceiverAnswer(PromisedAnswer(QuestionId(5), (PromisedAnswerOp(1),)), fd),
             CapThirdPartyHosted(None, ExportId(6), fd))
    message = Return(AnswerId(1), ReturnResults(Payload(None, table)))
    segments = decode_message(codec.encode_framed(message))
    for back in (decode(segments), decode_reader(MessageReader(segments))):
        assert back == message
