"""Details of the connection that the scripted tests left unpinned: the default content model,
the exception an answer the connection failed by itself passes on to calls pipelined on it,
the order of embargoes when several pipelined transforms come home at once, and messages
whose parts are of no known kind (a codec's mistake, an Abort like any violation)."""

from __future__ import annotations

import pytest

from capnp_lite.errors import DecodeError, ProtocolError
from capnp_lite.rpc import (
    AnswerId,
    ConnectionState,
    ExportId,
    ImportId,
    LocalCap,
    QuestionId,
    RemotePromise,
    ReturnReceived,
    RpcConnection,
    default_extractor,
)
from capnp_lite.rpc.messages import (
    Abort,
    Call,
    CapPointer,
    CapReceiverHosted,
    CapSenderHosted,
    Disembargo,
    DisembargoContext,
    ImportedCapTarget,
    Payload,
    PromisedAnswer,
    PromisedAnswerTarget,
    Return,
    ReturnException,
    ReturnResults,
    RpcException,
    get_pointer_field,
)

from .helpers import served, tuple_extractor

Q = QuestionId
A = AnswerId
I = ImportId
E = ExportId
IFACE = 0x1234_5678_9ABC_DEF0
ROOT = ImportedCapTarget(I(0))


# -- the default content model (bootstrap results only) ----------------------------------------


def test_default_extractor_reads_a_bare_capability_and_nothing_else() -> None:
    assert default_extractor(CapPointer(3), ()) == 3
    assert default_extractor(None, ()) is None
    with pytest.raises(DecodeError, match="not a capability pointer"):
        default_extractor((0, 1), ())
    with pytest.raises(DecodeError, match="getPointerField"):
        default_extractor(CapPointer(0), (get_pointer_field(0),))


def test_a_call_pipelined_on_a_field_of_opaque_content_fails_alone() -> None:
    # With the default model, a transform into results it cannot read fails that call
    # (the connection answers it) and the connection goes on.
    conn = served()
    conn.receive(Call(Q(1), ROOT, IFACE, 0))
    conn.return_results(A(1), (0,), [LocalCap("child")])
    conn.messages_to_send()
    t = (get_pointer_field(0),)
    assert conn.receive(Call(Q(2), PromisedAnswerTarget(PromisedAnswer(Q(1), t)), IFACE, 1)) == []
    [ret] = conn.messages_to_send()
    assert isinstance(ret, Return) and isinstance(ret.body, ReturnException)
    assert "invalid pipeline transform" in ret.body.exception.reason
    assert conn.state is ConnectionState.OPEN


# -- answers the connection fails by itself --------------------------------------------------


def test_calls_pipelined_on_an_answer_failed_by_the_connection_get_its_exception() -> None:
    conn = served()
    # 1. peer -> Call 1 on the root, which fails
    conn.receive(Call(Q(1), ROOT, IFACE, 0))
    conn.return_exception(A(1), RpcException("boom"))
    conn.messages_to_send()
    # 2. peer -> Call 2 pipelined on answer 1: the connection answers it with the same error
    assert conn.receive(Call(Q(2), PromisedAnswerTarget(PromisedAnswer(Q(1))), IFACE, 1)) == []
    [ret2] = conn.messages_to_send()
    assert isinstance(ret2, Return) and ret2.answer_id == A(2)
    assert isinstance(ret2.body, ReturnException) and ret2.body.exception.reason == "boom"
    # 3. peer -> Call 3 pipelined on answer 2 (before its Finish): the error passes on again
    assert conn.receive(Call(Q(3), PromisedAnswerTarget(PromisedAnswer(Q(2))), IFACE, 2)) == []
    [ret3] = conn.messages_to_send()
    assert isinstance(ret3, Return) and ret3.answer_id == A(3)
    assert isinstance(ret3.body, ReturnException) and ret3.body.exception.reason == "boom"


# -- embargoes -----------------------------------------------------------------------------------


def test_transforms_that_come_home_together_are_embargoed_in_pointer_order() -> None:
    conn = RpcConnection(extract_cap=tuple_extractor)
    boot = conn.bootstrap()
    # 1. we pass two of our objects, then pipeline on pointer 1 before pointer 0 of the results
    q = conn.call(RemotePromise(boot), IFACE, 0, (), [LocalCap("x"), LocalCap("y")])
    t0 = (get_pointer_field(0),)
    t1 = (get_pointer_field(1),)
    conn.call(RemotePromise(q, t1), IFACE, 1, ())
    conn.call(RemotePromise(q, t0), IFACE, 1, ())
    sent = conn.messages_to_send()
    [call] = [m for m in sent if isinstance(m, Call) and m.question_id == q]
    assert call.params.cap_table == (CapSenderHosted(E(0)), CapSenderHosted(E(1)))
    # 2. peer -> Return whose pointers 0 and 1 are our own y and x (keeping the params' caps,
    # as every implementation's Return does)
    results = Payload((0, 1), (CapReceiverHosted(I(1)), CapReceiverHosted(I(0))))
    [event] = conn.receive(Return(A(q), ReturnResults(results), release_param_caps=False))
    assert isinstance(event, ReturnReceived)
    assert event.caps == (LocalCap("y"), LocalCap("x"))
    # 3. both transforms are embargoed, pointer 0 first, whatever order the calls went in
    assert [transform for transform, _ in event.embargoes] == [t0, t1]
    disembargoes = conn.messages_to_send()
    assert disembargoes == [
        Disembargo(PromisedAnswerTarget(PromisedAnswer(q, transform)),
                   DisembargoContext.SENDER_LOOPBACK, embargo)
        for transform, embargo in event.embargoes
    ]


# -- parts of no known kind (a codec's mistake) ----------------------------------------------------


class _Stranger:
    """Neither a message target nor a capability descriptor."""


@pytest.mark.parametrize("message", [
    Call(Q(1), _Stranger(), IFACE, 0),  # type: ignore[arg-type]
    Call(Q(1), ROOT, IFACE, 0, Payload(None, (_Stranger(),))),  # type: ignore[arg-type]
], ids=["target", "descriptor"])
def test_a_message_part_of_no_known_kind_aborts(message: Call) -> None:
    conn = served()
    with pytest.raises(ProtocolError, match="bad (message target|capability descriptor)"):
        conn.receive(message)
    out = conn.messages_to_send()
    assert isinstance(out[-1], Abort)
    assert conn.state is ConnectionState.CLOSED
