"""Peer-supplied list lengths and the envelope's traversal budget; in-place payloads; Finish frames."""

from __future__ import annotations

import struct
from typing import Any, List

import pytest

from capnp_lite.errors import DecodeError, EncodeError
from capnp_lite.rpc import codec
from capnp_lite.rpc.ids import AnswerId, ExportId, ImportId, QuestionId
from capnp_lite.rpc.messages import (
    Call,
    CapSenderHosted,
    Finish,
    ImportedCapTarget,
    Payload,
    Release,
    Return,
    ReturnResults,
    SendResultsTo,
    UnknownMessage,
)
from capnp_lite.wire.framing import decode_message
from capnp_lite.wire.layout import AnyPointerReader, MessageBuilder

from ..work import line_budget


def _abort_with_details(count: int) -> List[bytes]:
    """An Abort whose Exception.details is ``count`` zero-size structs (a few bytes each way)."""
    mb = MessageBuilder()
    root = mb.init_root(1, 1)
    root.set_uint16(0, 1)  # Message.abort
    exc = root.init_struct(0, 1, 3)
    exc.set_text(0, "bye")
    exc.init_struct_list(2, count, 0, 0)
    return mb.segments()


def test_amplified_detail_list_is_refused_quickly() -> None:
    segments = _abort_with_details(1 << 20)
    assert sum(len(s) for s in segments) < 200
    # Refused from the list's header: the work does not depend on the million elements
    # it announces (some 180 lines of Python, whatever the count).
    with line_budget(2000), pytest.raises(DecodeError):
        codec.decode(segments)


def test_detail_count_over_the_cap_is_refused_even_within_budget() -> None:
    mb = MessageBuilder()
    root = mb.init_root(1, 1)
    root.set_uint16(0, 1)
    exc = root.init_struct(0, 1, 3)
    exc.init_struct_list(2, codec.MAX_DETAILS + 1, 1, 1)  # real words: within the budget
    with pytest.raises(DecodeError, match="details"):
        codec.decode(mb.segments())


def test_a_few_details_decode() -> None:
    from capnp_lite.rpc.messages import Abort

    msg = codec.decode(_abort_with_details(3))
    assert isinstance(msg, Abort) and len(msg.exception.details) == 3


def test_content_reads_are_not_bound_by_the_envelope_budget() -> None:
    content = MessageBuilder()
    body = content.init_root(0, 1)
    body.set_data(0, b"z" * 8000)  # 1000 words
    call = Call(QuestionId(0), ImportedCapTarget(ImportId(1)), 0x1234, 0,
                Payload(body.as_reader(), ()), SendResultsTo.CALLER)
    decoded = codec.decode(codec.encode_segments(call))
    assert isinstance(decoded, Call)
    p = decoded.params.content
    assert isinstance(p, AnyPointerReader)
    for _ in range(20):  # 20 000 words read from a ~1 000-word message
        assert len(p.get_struct().get_data(0)) == 8000


def test_in_place_call_content_is_sent_without_a_copy_and_once() -> None:
    out = codec.OutgoingContent.for_call(1, 1)
    out.struct.set_uint32(0, 77)
    out.struct.set_text(0, "hello")
    call = Call(QuestionId(5), ImportedCapTarget(ImportId(2)), 0xABC, 3,
                Payload(out, (CapSenderHosted(ExportId(9)),)), SendResultsTo.CALLER)
    first = codec.encode_segments(call)
    second = codec.encode_segments(call)  # already used: copied like any content
    for segments in (first, second):
        decoded = codec.decode(segments)
        assert isinstance(decoded, Call)
        assert (decoded.question_id, decoded.interface_id, decoded.method_id) == (5, 0xABC, 3)
        assert decoded.params.cap_table == (CapSenderHosted(ExportId(9)),)
        s = decoded.params.content.get_struct()
        assert (s.get_uint32(0), s.get_text(0)) == (77, "hello")


def _filled(make: Any) -> codec.OutgoingContent:
    out: codec.OutgoingContent = make(1, 1)
    out.struct.set_uint32(0, 77)
    out.struct.set_text(0, "hello")
    return out


def test_content_made_for_another_kind_of_message_is_copied() -> None:
    # Content laid out inside a Return's envelope, sent in a Call (and the other way round):
    # each is copied into the message that carries it, through either encoder.
    in_return = _filled(codec.OutgoingContent.for_return)
    call = Call(QuestionId(5), ImportedCapTarget(ImportId(2)), 0xABC, 3, Payload(in_return, ()))
    in_call = _filled(codec.OutgoingContent.for_call)
    ret = Return(AnswerId(5), ReturnResults(Payload(in_call, ())))
    for segments_of in (lambda m: decode_message(codec.encode_framed(m)), codec.encode_segments):
        got_call = codec.decode(segments_of(call))
        assert isinstance(got_call, Call) and (got_call.question_id, got_call.interface_id) == (5, 0xABC)
        got_ret = codec.decode(segments_of(ret))
        assert isinstance(got_ret, Return) and isinstance(got_ret.body, ReturnResults)
        for content in (got_call.params.content, got_ret.body.payload.content):
            s = content.get_struct()
            assert (s.get_uint32(0), s.get_text(0)) == (77, "hello")
    assert not in_return.used and not in_call.used


def test_an_opaque_pointer_of_no_known_kind_is_an_encode_error() -> None:
    call = Call(QuestionId(1), ImportedCapTarget(ImportId(2)), 3, 4, Payload(None, ()),
                SendResultsTo.THIRD_PARTY, 12345)
    with pytest.raises(EncodeError, match="cannot encode int as an AnyPointer"):
        codec.encode_segments(call)


def test_in_place_return_content() -> None:
    out = codec.OutgoingContent.for_return(1, 0)
    out.struct.set_float64(0, 2.5)
    ret = Return(AnswerId(4), ReturnResults(Payload(out, ())), release_param_caps=False)
    decoded = codec.decode(codec.encode_segments(ret))
    assert isinstance(decoded, Return) and isinstance(decoded.body, ReturnResults)
    assert decoded.answer_id == 4
    assert decoded.body.payload.content.get_struct().get_float64(0) == 2.5


@pytest.mark.parametrize("qid", [0, 3, 1023, 1024, 70000])
def test_framed_finish_matches_the_plain_encoder(qid: int) -> None:
    for release in (False, True):
        m = Finish(QuestionId(qid), release, False)
        framed = codec.encode_framed(m)
        assert codec.encode_framed(m) == framed
        assert codec.decode(decode_message(framed)) == m


def _finish_shaped(tag: int, word: int) -> bytes:
    """A message laid out as every encoder lays out a Finish (root, tag word, pointer to a
    struct of one data word, that word), with any tag."""
    return struct.pack("<4Q", 0x0001000100000000, tag, 0x0000000100000000, word)


def test_a_finish_shaped_message_of_another_kind_is_not_taken_for_a_release() -> None:
    # Release shares the Finish's layout; a tag of neither (one this side does not know)
    # still decodes as an unknown message, which the connection answers as Unimplemented.
    assert codec.decode([_finish_shaped(6, 3 << 32 | 5)]) == Release(ImportId(5), 3)
    unknown = codec.decode([_finish_shaped(99, 5)])
    assert isinstance(unknown, UnknownMessage) and unknown.which == 99


def test_the_finish_cache_stays_bounded_whatever_the_peer_sends() -> None:
    # Decoded Finishes are shared by their data word, up to a bound: a peer sending
    # thousands of distinct ones does not grow the cache past it.
    for qid in range(6000):
        decoded = codec.decode([_finish_shaped(4, qid)])
        assert decoded == Finish(QuestionId(qid), True, True)
    assert len(codec._FINISHES) <= 4096
