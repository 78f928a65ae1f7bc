"""The codec against pycapnp reading and writing rpc.capnp (the project's copy), plus round trips."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from typing import Any, List

import pytest

from capnp_lite.rpc.codec import decode, encode
from capnp_lite.rpc.ids import AnswerId, ExportId, ImportId, QuestionId
from capnp_lite.rpc.messages import (
    Abort,
    Bootstrap,
    Call,
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
    Message,
    Payload,
    PromisedAnswer,
    PromisedAnswerOp,
    PromisedAnswerTarget,
    Release,
    Resolve,
    ResolveCap,
    ResolveException,
    Return,
    ReturnCanceled,
    ReturnException,
    ReturnResults,
    ReturnResultsSentElsewhere,
    ReturnTakeFromOtherQuestion,
    RpcException,
    SendResultsTo,
    Unimplemented,
    get_pointer_field,
)
from capnp_lite.wire.layout import MessageBuilder

Q, A, E, I = QuestionId, AnswerId, ExportId, ImportId
PA = PromisedAnswer(Q(3), (PromisedAnswerOp(), get_pointer_field(2)))

# Messages using only fields the 0.9.2 schema knows, so pycapnp can check them.
COMMON: List[Message] = [
    Bootstrap(Q(0)),
    Call(Q(1), ImportedCapTarget(I(5)), 0xDEADBEEF12345678, 7, Payload(None, (CapSenderHosted(E(2)), CapNone()))),
    Call(Q(2), PromisedAnswerTarget(PA), 1, 2, Payload(CapPointer(0), (CapReceiverAnswer(PA),)),
         send_results_to=SendResultsTo.YOURSELF, allow_third_party_tail_call=True),
    Return(A(4), ReturnResults(Payload(CapPointer(1), (CapSenderPromise(E(9)), CapReceiverHosted(I(1))))),
           release_param_caps=False),
    Return(A(4), ReturnException(RpcException("bad", ExceptionType.OVERLOADED, "trace here"))),
    Return(A(5), ReturnCanceled()),
    Return(A(6), ReturnResultsSentElsewhere()),
    Return(A(7), ReturnTakeFromOtherQuestion(Q(12))),
    Finish(Q(8), release_result_caps=False),
    Finish(Q(8)),
    Resolve(E(3), ResolveCap(CapSenderHosted(E(4), attached_fd=2))),
    Resolve(E(3), ResolveException(RpcException("broken"))),
    Release(I(6), 3),
    Disembargo(ImportedCapTarget(I(1)), DisembargoContext.SENDER_LOOPBACK, 11),
    Disembargo(PromisedAnswerTarget(PA), DisembargoContext.RECEIVER_LOOPBACK, 12),
    Abort(RpcException("going away", ExceptionType.DISCONNECTED)),
    Unimplemented(Release(I(1), 1)),
]

NEWER: List[Message] = [
    Call(Q(1), ImportedCapTarget(I(5)), 3, 4, no_promise_pipelining=True, only_promise_pipeline=True),
    Return(A(1), ReturnCanceled(), no_finish_needed=True),
    Finish(Q(1), require_early_cancellation_workaround=False),
    Abort(RpcException("x", details=(ExceptionDetail(99, b"\x01\x02"),))),
]


@pytest.mark.parametrize("message", COMMON + NEWER, ids=lambda m: type(m).__name__)
def test_round_trip(message: Message) -> None:
    assert decode(encode(message)) == message


def test_a_third_party_capability_keeps_its_id_and_vine() -> None:
    # Level 3's descriptor, which a two-party peer meets only as a vine to call instead.
    mb = MessageBuilder()
    cap_id = mb.init_root(1, 0)
    cap_id.set_uint64(0, 0xFEED)
    call = Call(Q(1), ImportedCapTarget(I(2)), 3, 4,
                Payload(None, (CapThirdPartyHosted(cap_id.as_reader(), E(6)),)))
    got = decode(encode(call))
    assert isinstance(got, Call)
    (descriptor,) = got.params.cap_table
    assert isinstance(descriptor, CapThirdPartyHosted) and descriptor.vine_id == 6
    opaque: Any = descriptor.third_party_cap_id
    assert opaque.get_struct().get_uint64(0) == 0xFEED


def test_unimplemented_nests_four_deep_and_no_deeper() -> None:
    # An Unimplemented echoes what it did not understand, which may itself be an Unimplemented:
    # four are read (the connection answers none of them), a fifth is refused.
    message: Message = Finish(Q(8))
    for _ in range(4):
        message = Unimplemented(message)
    assert decode(encode(message)) == message
    with pytest.raises(DecodeError, match="nested too deep"):
        decode(encode(Unimplemented(message)))


@pytest.fixture(scope="module")
def rpc_schema() -> Any:
    capnp = pytest.importorskip("capnp")
    # The project's rpc.capnp, as every other pycapnp test loads it: pycapnp aborts the whole
    # process when one ID is loaded from two different files.
    schemas = Path(__file__).resolve().parents[2] / "schemas"
    return capnp.load(str(schemas / "capnp" / "rpc.capnp"), imports=[str(schemas)])


def _to_pycapnp(rpc_schema: Any, message: Message) -> Any:
    segments = encode(message)
    return rpc_schema.Message.from_segments([bytes(s) for s in segments])


@pytest.mark.interop
@pytest.mark.parametrize("message", COMMON, ids=lambda m: type(m).__name__)
def test_pycapnp_reads_ours_and_we_read_theirs(rpc_schema: Any, message: Message) -> None:
    theirs = _to_pycapnp(rpc_schema, message)
    # pycapnp rebuilds the message from its own reading of our bytes; we decode its bytes back
    fields = theirs.to_dict()
    carries_results = isinstance(message, Call) or (
        isinstance(message, Return) and isinstance(message.body, ReturnResults))
    if carries_results and isinstance(_payload(message).content, CapPointer):
        # A dict cannot carry a capability pointer back into pycapnp: check that pycapnp sees
        # a pointer there, then compare the rest with the content left out.
        payload = theirs.call.params if isinstance(message, Call) else getattr(theirs, "return").results
        assert payload._has("content")
        inner = fields["call"]["params"] if isinstance(message, Call) else fields["return"]["results"]
        del inner["content"]
        message = _without_content(message)
    data = rpc_schema.Message.new_message(**fields).to_segments()
    assert decode(data) == message


def _payload(message: Any) -> Payload:
    if isinstance(message, Call):
        return message.params
    assert isinstance(message.body, ReturnResults)
    return message.body.payload


def _without_content(message: Any) -> Message:
    payload = dataclasses.replace(_payload(message), content=None)
    if isinstance(message, Call):
        call: Call = dataclasses.replace(message, params=payload)
        return call
    ret: Return = dataclasses.replace(message, body=ReturnResults(payload))
    return ret


@pytest.mark.interop
def test_pycapnp_fields(rpc_schema: Any) -> None:
    call = _to_pycapnp(rpc_schema, COMMON[2]).call
    assert call.questionId == 2 and call.methodId == 2 and call.interfaceId == 1
    assert call.target.which() == "promisedAnswer"
    assert call.target.promisedAnswer.questionId == 3
    ops = call.target.promisedAnswer.transform
    assert [op.which() for op in ops] == ["noop", "getPointerField"] and ops[1].getPointerField == 2
    assert call.sendResultsTo.which() == "yourself" and call.allowThirdPartyTailCall
    assert call.params.capTable[0].which() == "receiverAnswer"
    ret = _to_pycapnp(rpc_schema, COMMON[4])
    assert ret.which() == "return"
    assert ret.__getattr__("return").exception.reason == "bad"
    assert str(ret.__getattr__("return").exception.type) == "overloaded"
    fin = _to_pycapnp(rpc_schema, COMMON[8]).finish
    assert fin.questionId == 8 and fin.releaseResultCaps is False
    res = _to_pycapnp(rpc_schema, COMMON[10]).resolve
    assert res.cap.senderHosted == 4 and res.cap.attachedFd == 2


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from capnp_lite.errors import DecodeError  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=8, max_size=200).map(lambda b: b[: len(b) - len(b) % 8]))
def test_random_segment_raises_only_decode_error(data: bytes) -> None:
    try:
        decode([data])
    except DecodeError:
        pass
