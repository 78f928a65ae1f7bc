"""Results that hold no capability go out with ``noFinishNeeded``: the answer is gone at once,
a Finish the peer sends anyway is ignored, a call pipelined on those results fails like a call
on results without capabilities, and the ID is the peer's to reuse."""

from __future__ import annotations

import pytest

from capnp_lite.errors import ProtocolError
from capnp_lite.rpc import (AnswerId, BootstrapRequested, CallReceived, Cancelled, ConnectionState, ImportId,
                            LocalCap, QuestionId, RpcConnection)
from capnp_lite.rpc import connection as connection_module
from capnp_lite.rpc.messages import (
    Bootstrap,
    Call,
    CapReceiverAnswer,
    Finish,
    ImportedCapTarget,
    Payload,
    PromisedAnswer,
    PromisedAnswerTarget,
    Return,
    ReturnException,
    RpcException,
    get_pointer_field,
)

from .helpers import served

Q = QuestionId
A = AnswerId
I = ImportId
IFACE = 0x1234_5678_9ABC_DEF0


def call(qid: int) -> Call:
    return Call(Q(qid), ImportedCapTarget(I(0)), IFACE, 0, Payload(()))


def test_results_without_capabilities_need_no_finish() -> None:
    conn = served()
    conn.receive(call(1))
    conn.return_results(A(1), ("plain",))
    [ret] = conn.messages_to_send()
    assert isinstance(ret, Return) and ret.no_finish_needed
    assert conn.answers.get(A(1)) is None
    assert conn.receive(Finish(Q(1))) == []  # sent anyway (an older peer): ignored
    assert conn.state is ConnectionState.OPEN
    with pytest.raises(ProtocolError):  # but only once
        conn.receive(Finish(Q(1)))


def test_results_with_a_capability_wait_for_their_finish() -> None:
    conn = served()
    conn.receive(call(1))
    conn.return_results(A(1), (0,), [LocalCap("child")])
    [ret] = conn.messages_to_send()
    assert isinstance(ret, Return) and not ret.no_finish_needed
    assert conn.answers.get(A(1)) is not None
    conn.receive(Finish(Q(1)))
    assert conn.answers.get(A(1)) is None


def test_an_exception_waits_for_its_finish() -> None:
    conn = served()
    conn.receive(call(1))
    conn.return_exception(A(1), RpcException("no"))
    [ret] = conn.messages_to_send()
    assert isinstance(ret, Return) and not ret.no_finish_needed
    assert conn.answers.get(A(1)) is not None


def test_a_call_pipelined_on_such_results_fails_without_aborting() -> None:
    conn = served()
    conn.receive(call(1))
    conn.return_results(A(1), ("plain",))
    conn.messages_to_send()
    # sent before the peer saw the Return
    target = PromisedAnswerTarget(PromisedAnswer(Q(1), (get_pointer_field(0),)))
    assert conn.receive(Call(Q(2), target, IFACE, 1, Payload(()))) == []
    [ret] = conn.messages_to_send()
    assert isinstance(ret, Return) and ret.answer_id == A(2) and isinstance(ret.body, ReturnException)
    assert conn.state is ConnectionState.OPEN


def test_the_peer_reuses_the_id_without_a_finish() -> None:
    conn = served()
    conn.receive(call(1))
    conn.return_results(A(1), ("plain",))
    conn.messages_to_send()
    events = conn.receive(call(1))  # a new call with the same ID
    assert events == [CallReceived(A(1), LocalCap("root"), IFACE, 0, (), ())]
    assert conn.receive(Finish(Q(1))) == [Cancelled(A(1))]  # this Finish is the new call's


def test_beyond_the_limit_answers_wait_for_their_finish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection_module, "_NO_FINISH_LIMIT", 2)
    conn = served()
    for qid in (1, 2, 3):
        conn.receive(call(qid))
        conn.return_results(A(qid), ("plain",))
    flags = [m.no_finish_needed for m in conn.messages_to_send() if isinstance(m, Return)]
    assert flags == [True, True, False]
    assert conn.answers.get(A(3)) is not None
    conn.receive(Finish(Q(1)))  # frees a place
    conn.receive(call(4))
    conn.return_results(A(4), ("plain",))
    [ret] = conn.messages_to_send()
    assert isinstance(ret, Return) and ret.no_finish_needed


def test_a_bootstrap_answer_is_never_dropped_early() -> None:
    conn = RpcConnection()  # answers Bootstrap by event: the application could pass no cap
    assert conn.receive(Bootstrap(Q(0))) == [BootstrapRequested(A(0))]
    conn.return_results(A(0), None, ())
    [ret] = conn.messages_to_send()
    assert isinstance(ret, Return) and not ret.no_finish_needed
    assert conn.answers.get(A(0)) is not None


def test_a_capability_param_naming_such_results_is_null() -> None:
    """The peer passes a capability pipelined on the results (receiverAnswer) before their
    Return reached it: the results held none, so the parameter is a null capability."""
    conn = served()
    conn.receive(call(1))
    conn.return_results(A(1), ("plain",))
    conn.messages_to_send()
    param = CapReceiverAnswer(PromisedAnswer(Q(1), (get_pointer_field(0),)))
    events = conn.receive(Call(Q(2), ImportedCapTarget(I(0)), IFACE, 1, Payload((0,), (param,))))
    assert events == [CallReceived(A(2), LocalCap("root"), IFACE, 1, (0,), (None,))]
    assert conn.state is ConnectionState.OPEN
