"""Envelopes written word by word into in-place payloads, and the framed Release, against the
codec's general writer and reader.

A Call or Return whose content was built in place (``OutgoingContent``) gets its envelope
fields stored as whole words at the offsets the envelope was laid out with; a Release is
framed from its words.  Whatever takes a short cut must decode to the same message as the
general writer's output, and refuse the same bad values.
"""

from __future__ import annotations

from typing import Any, List, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.errors import EncodeError
from capnp_lite.rpc import codec
from capnp_lite.rpc.codec import decode, decode_reader
from capnp_lite.rpc.ids import AnswerId, ExportId, ImportId, QuestionId
from capnp_lite.rpc.messages import (
    Call,
    CapDescriptor,
    CapNone,
    CapReceiverAnswer,
    CapReceiverHosted,
    CapSenderHosted,
    CapSenderPromise,
    ImportedCapTarget,
    MessageTarget,
    Payload,
    PromisedAnswer,
    PromisedAnswerOp,
    PromisedAnswerTarget,
    Release,
    Return,
    ReturnResults,
    SendResultsTo,
)
from capnp_lite.wire.framing import decode_message
from capnp_lite.wire.layout import MessageReader, StructReader

Q, A, E, I = QuestionId, AnswerId, ExportId, ImportId

PA = PromisedAnswer(Q(7), (PromisedAnswerOp(), PromisedAnswerOp(3), PromisedAnswerOp(0xFFFF)))

TARGETS: List[MessageTarget] = [
    ImportedCapTarget(I(0)),
    ImportedCapTarget(I(0xFFFFFFFF)),
    PromisedAnswerTarget(PromisedAnswer(Q(2))),
    PromisedAnswerTarget(PA),
]

CAP_TABLES: List[Tuple[CapDescriptor, ...]] = [
    (),
    (CapSenderHosted(E(1)),),
    (CapNone(), CapSenderPromise(E(0xFFFFFFFF)), CapReceiverHosted(I(4)), CapReceiverAnswer(PA)),
    # attached file descriptors share the descriptor's data word
    (CapNone(0), CapSenderHosted(E(2), 3), CapSenderPromise(E(5), 254), CapReceiverHosted(I(6), 0),
     CapReceiverAnswer(PA, 7)),
]


def _content(for_call: bool, value: int) -> codec.OutgoingContent:
    out = codec.OutgoingContent.for_call(2, 1) if for_call else codec.OutgoingContent.for_return(2, 1)
    out.struct.set_uint64(0, value)
    out.struct.set_uint32(2, 0xCAFE)
    out.struct.set_text(0, "in place")
    return out


def _fields(reader: StructReader) -> Tuple[int, int, str]:
    return reader.get_uint64(0), reader.get_uint32(2), reader.get_text(0)


def _general(segments: List[bytes]) -> object:
    """The general reader's message, never the direct one."""
    return decode_reader(MessageReader(segments))


def _same_call(a: object, b: Call) -> None:
    assert isinstance(a, Call)
    assert (a.question_id, a.target, a.interface_id, a.method_id, a.send_results_to) == (
        b.question_id, b.target, b.interface_id, b.method_id, b.send_results_to)
    assert (a.allow_third_party_tail_call, a.no_promise_pipelining, a.only_promise_pipeline) == (
        b.allow_third_party_tail_call, b.no_promise_pipelining, b.only_promise_pipeline)
    assert a.params.cap_table == b.params.cap_table


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("caps", CAP_TABLES)
@pytest.mark.parametrize("send_to, flags", [
    (SendResultsTo.CALLER, (False, False, False)),
    (SendResultsTo.YOURSELF, (True, True, True)),
    (SendResultsTo.CALLER, (False, True, False)),
])
def test_in_place_call_decodes_like_the_general_writer(
        target: MessageTarget, caps: Tuple[CapDescriptor, ...], send_to: SendResultsTo,
        flags: Tuple[bool, bool, bool]) -> None:
    in_place = _content(True, 0x0123456789ABCDEF)
    call = Call(Q(0xFFFFFFFF), target, 0xFEDCBA9876543210, 0xFFFF, Payload(in_place, caps), send_to, None,
                *flags)
    fast = codec.encode_segments(call)
    assert in_place.used  # the envelope was written around the content
    # The same call with its content copied by the general writer.
    copied = Call(call.question_id, target, call.interface_id, call.method_id,
                  Payload(_content(True, 0x0123456789ABCDEF).reader(), caps), send_to, None, *flags)
    slow = codec.encode_segments(copied)
    for segments in (fast, slow):
        for message in (decode(segments), _general(segments)):
            _same_call(message, call)
            assert isinstance(message, Call)
            content: Any = message.params.content
            assert _fields(content.get_struct()) == (0x0123456789ABCDEF, 0xCAFE, "in place")


def test_in_place_call_to_a_third_party_keeps_its_recipient() -> None:
    # Results sent to a third party (level 3) name their recipient in an opaque pointer,
    # which the in-place envelope writes as the general writer does.
    recipient = _content(True, 99).reader()
    for content in (_content(True, 7), _content(True, 7).reader()):
        call = Call(Q(3), ImportedCapTarget(I(1)), 0x1234, 5, Payload(content, ()),
                    SendResultsTo.THIRD_PARTY, recipient)
        segments = codec.encode_segments(call)
        for message in (decode(segments), _general(segments)):
            _same_call(message, call)
            assert isinstance(message, Call)
            third: Any = message.third_party
            assert _fields(third.get_struct()) == (99, 0xCAFE, "in place")
            params: Any = message.params.content
            assert _fields(params.get_struct()) == (7, 0xCAFE, "in place")


@pytest.mark.parametrize("caps", CAP_TABLES)
@pytest.mark.parametrize("release, no_finish", [(True, False), (False, True), (False, False)])
def test_in_place_return_decodes_like_the_general_writer(
        caps: Tuple[CapDescriptor, ...], release: bool, no_finish: bool) -> None:
    in_place = _content(False, 42)
    ret = Return(A(0xFFFFFFFF), ReturnResults(Payload(in_place, caps)), release, no_finish)
    fast = codec.encode_segments(ret)
    assert in_place.used
    for message in (decode(fast), _general(fast)):
        assert isinstance(message, Return) and isinstance(message.body, ReturnResults)
        assert (message.answer_id, message.release_param_caps, message.no_finish_needed) == (
            ret.answer_id, release, no_finish)
        assert message.body.payload.cap_table == caps
        content: Any = message.body.payload.content
        assert _fields(content.get_struct()) == (42, 0xCAFE, "in place")


@pytest.mark.parametrize("bad", [
    dict(question_id=Q(1 << 32)),
    dict(question_id=Q(-1)),
    dict(method_id=0x10000),
    dict(interface_id=1 << 64),
    dict(interface_id=-1),
    dict(target=ImportedCapTarget(I(1 << 32))),
])
def test_in_place_call_refuses_what_the_general_writer_refuses(bad: dict) -> None:  # type: ignore[type-arg]
    fields = dict(question_id=Q(1), target=ImportedCapTarget(I(2)), interface_id=3, method_id=4)
    fields.update(bad)

    def call(content: object) -> Call:
        return Call(fields["question_id"], fields["target"], fields["interface_id"],  # type: ignore[arg-type]
                    fields["method_id"], Payload(content, ()))  # type: ignore[arg-type]

    with pytest.raises(EncodeError):
        codec.encode_segments(call(_content(True, 1)))
    with pytest.raises(EncodeError):
        codec.encode_segments(call(_content(True, 1).reader()))


def test_attached_fd_out_of_range_is_refused() -> None:
    with pytest.raises(EncodeError):
        codec.encode_segments(Call(Q(1), ImportedCapTarget(I(2)), 3, 4, Payload(None, (CapSenderHosted(E(1), 256),))))


def test_a_call_of_another_shape_still_takes_its_own_envelope() -> None:
    # Content sizes are cached per shape: two shapes in turn must not mix their offsets.
    for n in range(3):
        for dw, pc in ((0, 0), (3, 2), (1, 0)):
            out = codec.OutgoingContent.for_call(dw, pc)
            if dw:
                out.struct.set_uint64(dw - 1, n + 100)
            call = Call(Q(n), ImportedCapTarget(I(n + 1)), 9, 1, Payload(out, ()))
            message = decode(codec.encode_segments(call))
            _same_call(message, call)
            assert isinstance(message, Call)
            params: Any = message.params.content
            s = params.get_struct()
            assert (s.data_size_bytes, s.ptr_count) == (8 * dw, pc)
            if dw:
                assert s.get_uint64(dw - 1) == n + 100


def _release_the_general_way(message: Release) -> bytes:
    return codec._framed(codec._build(message))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 0xFFFFFFFF), st.integers(0, 0xFFFFFFFF))
def test_framed_release_matches_the_general_writer(import_id: int, count: int) -> None:
    message = Release(I(import_id), count)
    framed = codec.encode_framed(message)
    assert framed == _release_the_general_way(message)
    segments = decode_message(framed)
    assert decode(segments) == message == _general([bytes(s) for s in segments])


@pytest.mark.parametrize("import_id, count", [(1 << 32, 1), (-1, 1), (1, 1 << 32), (1, -1)])
def test_framed_release_refuses_what_does_not_fit(import_id: int, count: int) -> None:
    with pytest.raises(EncodeError):
        codec.encode_framed(Release(I(import_id), count))


def test_a_release_laid_out_otherwise_takes_the_general_path() -> None:
    # The same four words, but the Release struct claims a pointer it does not have room for.
    framed = bytearray(codec.encode_framed(Release(I(3), 2)))
    framed[8 + 16 + 6] = 1  # pointer count of the Release struct: 1, past the segment's end
    from capnp_lite.errors import DecodeError

    with pytest.raises(DecodeError):
        decode(decode_message(bytes(framed)))
