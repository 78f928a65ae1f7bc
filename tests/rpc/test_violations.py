"""Every protocol violation aborts: an Abort is queued and receive() raises ProtocolError."""

from __future__ import annotations

from typing import Callable, List

import pytest

from capnp_lite.errors import Disconnected, ProtocolError
from capnp_lite.rpc import (
    AnswerId,
    ConnectionAborted,
    ConnectionState,
    ExportId,
    ImportId,
    LocalCap,
    QuestionId,
    ReturnKind,
    ReturnReceived,
    RpcConnection,
)
from capnp_lite.rpc.messages import (
    Abort,
    Accept,
    Bootstrap,
    Call,
    CapPointer,
    CapReceiverAnswer,
    CapReceiverHosted,
    CapSenderHosted,
    CapSenderPromise,
    Disembargo,
    DisembargoContext,
    Finish,
    ImportedCapTarget,
    Join,
    Message,
    ObsoleteSave,
    Payload,
    PromisedAnswer,
    PromisedAnswerTarget,
    Provide,
    Release,
    Resolve,
    ResolveCap,
    Return,
    ReturnAcceptFromThirdParty,
    ReturnException,
    ReturnResults,
    ReturnResultsSentElsewhere,
    ReturnTakeFromOtherQuestion,
    RpcException,
    SendResultsTo,
    Unimplemented,
    UnknownMessage,
    get_pointer_field,
)

from .helpers import served

Q, A, E, I = QuestionId, AnswerId, ExportId, ImportId
ROOT = ImportedCapTarget(I(0))
server = served  # export 0 = root, answer 0 returned


def client_with_promise() -> RpcConnection:
    """A connection holding import 1 (a promise) and import 2 (settled)."""
    conn = RpcConnection()
    q = conn.bootstrap()
    conn.receive(Return(A(q), ReturnResults(Payload((0, 1), (CapSenderPromise(E(1)), CapSenderHosted(E(2)))))))
    conn.messages_to_send()
    return conn


CASES: List[tuple[str, Callable[[], RpcConnection], Message]] = [
    ("duplicate question id", server, Bootstrap(Q(0))),
    ("call to unknown export", server, Call(Q(1), ImportedCapTarget(I(9)), 1, 0)),
    ("call on unknown answer", server, Call(Q(1), PromisedAnswerTarget(PromisedAnswer(Q(5))), 1, 0)),
    ("receiverHosted unknown", server, Call(Q(1), ROOT, 1, 0, Payload(None, (CapReceiverHosted(I(4)),)))),
    ("receiverAnswer unknown", server, Call(Q(1), ROOT, 1, 0, Payload(None, (CapReceiverAnswer(PromisedAnswer(Q(8))),)))),
    ("return for unknown question", server, Return(A(0), ReturnResults(Payload()))),
    ("finish for unknown answer", server, Finish(Q(7))),
    ("release of unknown export", server, Release(I(3), 1)),
    ("release of too many refs", server, Release(I(0), 2)),
    ("resolve for a non-promise", client_with_promise, Resolve(E(2), ResolveCap(CapSenderHosted(E(5))))),
    ("disembargo for a non-promise", server, Disembargo(ROOT, DisembargoContext.SENDER_LOOPBACK, 0)),
    ("disembargo for an unknown export", server, Disembargo(ImportedCapTarget(I(6)), DisembargoContext.SENDER_LOOPBACK, 0)),
    ("disembargo not pointing back", server, Disembargo(PromisedAnswerTarget(PromisedAnswer(Q(0))), DisembargoContext.SENDER_LOOPBACK, 0)),
    ("echo of unknown embargo", server, Disembargo(ROOT, DisembargoContext.RECEIVER_LOOPBACK, 4)),
    ("unimplemented Finish", server, Unimplemented(Finish(Q(0)))),
    ("unimplemented Return", server, Unimplemented(Return(A(0), ReturnResults(Payload())))),
    ("unimplemented unknown call", server, Unimplemented(Call(Q(3), ROOT, 1, 0))),
]


@pytest.mark.parametrize("name,make,message", CASES, ids=[c[0] for c in CASES])
def test_violation_aborts(name: str, make: Callable[[], RpcConnection], message: Message) -> None:
    conn = make()
    with pytest.raises(ProtocolError):
        conn.receive(message)
    out = conn.messages_to_send()
    assert len(out) >= 1 and isinstance(out[-1], Abort)
    assert conn.state is ConnectionState.CLOSED
    assert len(conn.questions) == len(conn.answers) == len(conn.exports) == len(conn.imports) == 0
    # closed: input is ignored, sending refuses
    assert conn.receive(Bootstrap(Q(9))) == []
    with pytest.raises(Disconnected):
        conn.bootstrap()


def test_second_resolve_aborts() -> None:
    conn = client_with_promise()
    conn.receive(Resolve(E(1), ResolveCap(CapSenderHosted(E(5)))))
    with pytest.raises(ProtocolError):
        conn.receive(Resolve(E(1), ResolveCap(CapSenderHosted(E(5)))))


def test_return_kinds_that_do_not_fit_the_question_abort() -> None:
    for body in (
        ReturnResultsSentElsewhere(),
        ReturnTakeFromOtherQuestion(Q(0)),
        ReturnAcceptFromThirdParty(None),
    ):
        conn = RpcConnection()
        conn.bootstrap()
        with pytest.raises(ProtocolError):
            conn.receive(Return(A(0), body))


def test_finish_twice_aborts() -> None:
    conn = server()
    conn.receive(Finish(Q(0)))
    with pytest.raises(ProtocolError):
        conn.receive(Finish(Q(0)))


@pytest.mark.parametrize(
    "message",
    [
        Provide(Q(1), ROOT),
        Accept(Q(1)),
        Join(Q(1), ROOT),
        ObsoleteSave(None),
        UnknownMessage(99),
        Disembargo(ROOT, DisembargoContext.ACCEPT),
        Call(Q(1), ROOT, 1, 0, send_results_to=SendResultsTo.THIRD_PARTY),
    ],
)
def test_level3_messages_answered_unimplemented(message: Message) -> None:
    conn = server()
    assert conn.receive(message) == []
    assert conn.messages_to_send() == [Unimplemented(message)]
    assert conn.state is ConnectionState.OPEN


def test_peer_abort_is_an_event() -> None:
    conn = server()
    exc = RpcException("bye")
    assert conn.receive(Abort(exc)) == [ConnectionAborted(exc)]
    assert conn.state is ConnectionState.CLOSED
    assert conn.messages_to_send() == []


def test_unimplemented_call_fails_the_question_and_releases_params() -> None:
    conn = RpcConnection()
    boot = conn.bootstrap()
    conn.receive(Return(A(boot), ReturnResults(Payload(CapPointer(0), (CapSenderHosted(E(0)),)))))
    from capnp_lite.rpc import RemoteCap

    conn.messages_to_send()
    q = conn.call(RemoteCap(I(0)), 1, 0, None, [LocalCap("arg")])
    [call] = conn.messages_to_send()
    events = conn.receive(Unimplemented(call))
    assert len(events) == 2
    released, failed = events
    assert failed == ReturnReceived(q, ReturnKind.EXCEPTION, exception=failed.exception)  # type: ignore[union-attr]
    assert failed.exception is not None and failed.exception.type.wire_name == "unimplemented"  # type: ignore[union-attr]
    assert len(conn.exports) == 0 and conn.questions.get(q) is None
    assert released is not None


def test_unimplemented_resolve_releases_the_resolution() -> None:
    conn = server()
    conn.receive(Call(Q(1), ROOT, 1, 0))
    conn.return_results(A(1), (0,), [LocalCap("p", promise=True)])
    conn.resolve("p", LocalCap("target"))
    msgs = conn.messages_to_send()
    resolve = msgs[-1]
    assert isinstance(resolve, Resolve)
    target_export = conn.exports.find("target")
    assert target_export is not None and target_export.refcount == 1
    events = conn.receive(Unimplemented(resolve))
    assert [type(e).__name__ for e in events] == ["ExportReleased"]
    assert conn.exports.find("target") is None
    # an echoed Release needs nothing
    assert conn.receive(Unimplemented(Release(I(4), 1))) == []


def test_a_transform_that_leads_to_no_capability_fails_only_the_call() -> None:
    conn = server()
    assert conn.receive(Call(Q(1), PromisedAnswerTarget(PromisedAnswer(Q(0), (get_pointer_field(3),))), 1, 0)) == []
    [ret] = conn.messages_to_send()
    assert isinstance(ret, Return) and isinstance(ret.body, ReturnException)
    assert "invalid pipeline transform" in ret.body.exception.reason
    assert conn.state is ConnectionState.OPEN
