"""A real connection against a scripted peer: exact messages in, exact messages and events out.

Each test numbers its steps; "peer ->" is a message the script sends, "-> peer"
what the connection must send back.
"""

from __future__ import annotations

from capnp_lite.rpc import (
    AnswerId,
    BootstrapRequested,
    CallReceived,
    ConnectionState,
    Cancelled,
    ExportId,
    ExportReleased,
    ImportId,
    LocalCap,
    LocalPipeline,
    QuestionId,
    RemoteCap,
    RemotePromise,
    ReturnKind,
    ReturnReceived,
    RpcConnection,
)
from capnp_lite.rpc.messages import (
    Abort,
    Bootstrap,
    Call,
    CapNone,
    CapPointer,
    CapReceiverHosted,
    CapSenderHosted,
    CapSenderPromise,
    ExceptionType,
    Finish,
    ImportedCapTarget,
    Payload,
    PromisedAnswer,
    PromisedAnswerTarget,
    Release,
    Return,
    ReturnCanceled,
    ReturnException,
    ReturnResults,
    RpcException,
    get_pointer_field,
)

from .helpers import tuple_extractor

Q = QuestionId
A = AnswerId
I = ImportId
E = ExportId
IFACE = 0x1234_5678_9ABC_DEF0


def test_bootstrap_as_client() -> None:
    conn = RpcConnection()
    # 1. we ask for the bootstrap capability
    q = conn.bootstrap()
    assert q == Q(0)
    assert conn.messages_to_send() == [Bootstrap(Q(0))]
    # 2. peer -> Return with one senderHosted cap
    events = conn.receive(Return(A(0), ReturnResults(Payload(CapPointer(0), (CapSenderHosted(E(7)),)))))
    assert events == [ReturnReceived(Q(0), ReturnKind.RESULTS, CapPointer(0), (RemoteCap(I(7)),))]
    # 3. we finish; nothing to release via Finish (we release imports explicitly)
    conn.finish(Q(0))
    assert conn.messages_to_send() == [Finish(Q(0), release_result_caps=False, require_early_cancellation_workaround=False)]
    assert len(conn.questions) == 0
    # 4. we release the bootstrap cap: one Release with the one reference we got
    conn.release(I(7))
    assert conn.messages_to_send() == [Release(I(7), 1)]
    assert len(conn.imports) == 0


def test_bootstrap_as_server_automatic() -> None:
    conn = RpcConnection(bootstrap="root")
    # 1. peer -> Bootstrap; -> peer the Return, no event needed
    assert conn.receive(Bootstrap(Q(3))) == []
    assert conn.messages_to_send() == [
        Return(A(3), ReturnResults(Payload(CapPointer(0), (CapSenderHosted(E(0)),))), release_param_caps=False)
    ]
    # 2. peer -> Finish with releaseResultCaps (the default): the export goes away
    assert conn.receive(Finish(Q(3))) == [ExportReleased("root")]
    assert len(conn.exports) == 0 and len(conn.answers) == 0


def test_bootstrap_as_server_by_event() -> None:
    conn = RpcConnection()
    # 1. peer -> Bootstrap
    assert conn.receive(Bootstrap(Q(0))) == [BootstrapRequested(A(0))]
    # 2. the application answers
    conn.return_bootstrap(A(0), LocalCap("root"))
    assert conn.messages_to_send() == [
        Return(A(0), ReturnResults(Payload(CapPointer(0), (CapSenderHosted(E(0)),))), release_param_caps=False)
    ]
    # 3. peer -> Finish without releasing: the peer now holds the reference, releases later
    assert conn.receive(Finish(Q(0), release_result_caps=False)) == []
    assert conn.exports.get(E(0)) is not None
    assert conn.receive(Release(I(0), 1)) == [ExportReleased("root")]


def test_call_and_return_as_callee() -> None:
    conn = RpcConnection(bootstrap="root")
    conn.receive(Bootstrap(Q(0)))
    conn.messages_to_send()
    # 1. peer -> Call on the bootstrap export, passing one of its own caps
    call = Call(Q(1), ImportedCapTarget(I(0)), IFACE, 4, Payload(("x",), (CapSenderHosted(E(9)),)))
    events = conn.receive(call)
    assert events == [CallReceived(A(1), LocalCap("root"), IFACE, 4, ("x",), (RemoteCap(I(9)),))]
    # 2. we return plain results: no capability in them, so no Finish is needed and the
    #    answer is gone at once
    conn.return_results(A(1), ("result",))
    assert conn.messages_to_send() == [Return(A(1), ReturnResults(Payload(("result",))), release_param_caps=False,
                                              no_finish_needed=True)]
    assert len(conn.answers) == 1  # only the bootstrap answer
    # 3. peer -> Finish all the same: ignored; the param cap stays imported until we release it
    assert conn.receive(Finish(Q(1))) == []
    assert conn.state is ConnectionState.OPEN
    assert conn.imports.get(I(9)) is not None


def test_pipelined_call_on_promised_answer_as_caller() -> None:
    conn = RpcConnection(extract_cap=tuple_extractor)
    # 1. bootstrap and, without waiting, call it through the promised answer
    q0 = conn.bootstrap()
    q1 = conn.call(RemotePromise(q0), IFACE, 0, ())
    # 2. then pipeline on pointer 0 of q1's results
    q2 = conn.call(RemotePromise(q1, (get_pointer_field(0),)), IFACE, 1, ())
    assert (q0, q1, q2) == (Q(0), Q(1), Q(2))
    assert conn.messages_to_send() == [
        Bootstrap(Q(0)),
        Call(Q(1), PromisedAnswerTarget(PromisedAnswer(Q(0))), IFACE, 0, Payload(())),
        Call(Q(2), PromisedAnswerTarget(PromisedAnswer(Q(1), (get_pointer_field(0),))), IFACE, 1, Payload(())),
    ]


def test_pipelined_call_as_callee_before_and_after_return() -> None:
    conn = RpcConnection(bootstrap="root", extract_cap=tuple_extractor)
    conn.receive(Bootstrap(Q(0)))
    # 1. peer -> Call 1 on the bootstrap, through the promised answer (pipelined)
    events = conn.receive(Call(Q(1), PromisedAnswerTarget(PromisedAnswer(Q(0))), IFACE, 0, Payload(())))
    assert events == [CallReceived(A(1), LocalCap("root"), IFACE, 0, (), ())]
    # 2. peer -> Call 2 pipelined on pointer 0 of answer 1, which has not returned
    t = (get_pointer_field(0),)
    events = conn.receive(Call(Q(2), PromisedAnswerTarget(PromisedAnswer(Q(1), t)), IFACE, 1, Payload(())))
    assert events == [CallReceived(A(2), LocalPipeline(A(1), t), IFACE, 1, (), ())]
    # 3. answer 1 returns a struct whose pointer 0 is a new object
    conn.return_results(A(1), (0,), [LocalCap("child")])
    conn.messages_to_send()
    # 4. peer -> Call 3 pipelined on the same transform now goes straight to the object
    events = conn.receive(Call(Q(3), PromisedAnswerTarget(PromisedAnswer(Q(1), t)), IFACE, 2, Payload(())))
    assert events == [CallReceived(A(3), LocalCap("child"), IFACE, 2, (), ())]
    # 5. peer -> Call 4 on a null pointer of the results: answered by the connection itself
    t1 = (get_pointer_field(1),)
    assert conn.receive(Call(Q(4), PromisedAnswerTarget(PromisedAnswer(Q(1), t1)), IFACE, 2, Payload(()))) == []
    [ret] = conn.messages_to_send()
    assert isinstance(ret, Return) and ret.answer_id == A(4) and isinstance(ret.body, ReturnException)


def test_cancel_before_return_as_callee() -> None:
    conn = RpcConnection(bootstrap="root")
    conn.receive(Bootstrap(Q(0)))
    conn.messages_to_send()
    # 1. peer -> Call
    conn.receive(Call(Q(1), ImportedCapTarget(I(0)), IFACE, 0, Payload(())))
    # 2. peer -> Finish before we returned: cancel
    assert conn.receive(Finish(Q(1))) == [Cancelled(A(1))]
    # 3. we return anyway: the peer gets `canceled` and none of our caps
    conn.return_results(A(1), (0,), [LocalCap("never-exported")])
    assert conn.messages_to_send() == [Return(A(1), ReturnCanceled(), release_param_caps=False)]
    assert conn.answers.get(A(1)) is None
    assert conn.exports.find("never-exported") is None
    # 4. the peer may reuse question 1 now
    assert conn.receive(Call(Q(1), ImportedCapTarget(I(0)), IFACE, 0, Payload(()))) != []


def test_cancel_before_return_as_caller_releases_late_caps() -> None:
    conn = RpcConnection()
    q0 = conn.bootstrap()
    conn.messages_to_send()
    # 1. we give up before the answer comes: Finish must not claim result caps
    conn.finish(q0, release_result_caps=True)
    assert conn.messages_to_send() == [Finish(Q(0), release_result_caps=False, require_early_cancellation_workaround=False)]
    # 2. the question ID is not free yet
    assert conn.bootstrap() == Q(1)
    conn.messages_to_send()
    # 3. peer -> the late Return with a cap: no event, the cap is released at once
    assert conn.receive(Return(A(0), ReturnResults(Payload(CapPointer(0), (CapSenderHosted(E(4)),))))) == []
    assert conn.messages_to_send() == [Release(I(4), 1)]
    assert len(conn.imports) == 0
    # 4. now question 0 is free again: lowest first
    assert conn.bootstrap() == Q(0)


def test_question_ids_reused_only_after_return_and_finish() -> None:
    conn = RpcConnection()
    q0, q1, q2 = conn.bootstrap(), conn.bootstrap(), conn.bootstrap()
    assert (q0, q1, q2) == (Q(0), Q(1), Q(2))
    # 1. Return for q1 but no Finish yet: still taken
    conn.receive(Return(A(1), ReturnException(RpcException("no"))))
    assert conn.bootstrap() == Q(3)
    # 2. Finish q1: free, and the lowest
    conn.finish(q1)
    assert conn.bootstrap() == Q(1)


def test_release_param_caps_and_release_counts() -> None:
    conn = RpcConnection()
    boot = conn.bootstrap()
    # 1. pass the same object three times in two calls
    conn.call(RemotePromise(boot), IFACE, 0, (), [LocalCap("cb"), LocalCap("cb")])
    conn.call(RemotePromise(boot), IFACE, 0, (), [LocalCap("cb")])
    msgs = conn.messages_to_send()
    assert [m.params.cap_table for m in msgs if isinstance(m, Call)] == [
        (CapSenderHosted(E(0)), CapSenderHosted(E(0))),
        (CapSenderHosted(E(0)),),
    ]
    export = conn.exports.get(E(0))
    assert export is not None and export.refcount == 3
    # 2. peer -> Return for the first call with releaseParamCaps: two references go
    assert conn.receive(Return(A(1), ReturnResults(Payload(())), release_param_caps=True)) != []
    assert export.refcount == 1
    # 3. peer -> Return for the second keeps its param caps; then a Release of the last one
    conn.receive(Return(A(2), ReturnResults(Payload(())), release_param_caps=False))
    assert export.refcount == 1
    assert conn.receive(Release(I(0), 1)) == [ExportReleased("cb")]
    # 4. the next export of the object gets the lowest free ID again
    conn.call(RemotePromise(boot), IFACE, 0, (), [LocalCap("other")])
    [call] = conn.messages_to_send()
    assert isinstance(call, Call) and call.params.cap_table == (CapSenderHosted(E(0)),)


def test_import_counts_and_release() -> None:
    conn = RpcConnection()
    boot = conn.bootstrap()
    # 1. the same export arrives three times: one import, three references
    caps = (CapSenderHosted(E(5)), CapSenderHosted(E(5)), CapSenderHosted(E(5)))
    [event] = conn.receive(Return(A(boot), ReturnResults(Payload((0, 1, 2), caps))))
    assert isinstance(event, ReturnReceived) and event.caps == (RemoteCap(I(5)),) * 3
    conn.finish(boot)
    conn.messages_to_send()
    # 2. one Release returns all three
    conn.release(I(5))
    assert conn.messages_to_send() == [Release(I(5), 3)]


def test_finish_release_result_caps_drops_imports_without_release() -> None:
    conn = RpcConnection()
    boot = conn.bootstrap()
    conn.receive(Return(A(boot), ReturnResults(Payload(CapPointer(0), (CapSenderHosted(E(2)),)))))
    conn.messages_to_send()
    conn.finish(boot, release_result_caps=True)
    assert conn.messages_to_send() == [Finish(Q(0), release_result_caps=True, require_early_cancellation_workaround=False)]
    assert len(conn.imports) == 0


def test_no_finish_needed() -> None:
    conn = RpcConnection()
    boot = conn.bootstrap()
    conn.messages_to_send()
    conn.receive(Return(A(boot), ReturnException(RpcException("x")), no_finish_needed=True))
    conn.finish(boot)
    assert conn.messages_to_send() == []
    assert len(conn.questions) == 0


def test_receiver_hosted_and_null_caps_in_params() -> None:
    conn = RpcConnection(bootstrap="root")
    conn.receive(Bootstrap(Q(0)))
    conn.messages_to_send()
    events = conn.receive(
        Call(Q(1), ImportedCapTarget(I(0)), IFACE, 0, Payload((0, 1), (CapReceiverHosted(I(0)), CapNone())))
    )
    assert events == [CallReceived(A(1), LocalCap("root"), IFACE, 0, (0, 1), (LocalCap("root"), None))]


def test_promise_export_and_resolve() -> None:
    conn = RpcConnection(bootstrap="root")
    conn.receive(Bootstrap(Q(0)))
    conn.receive(Call(Q(1), ImportedCapTarget(I(0)), IFACE, 0, Payload(())))
    conn.messages_to_send()
    # 1. return a promise
    conn.return_results(A(1), (0,), [LocalCap("p", promise=True)])
    [ret] = conn.messages_to_send()
    assert isinstance(ret, Return) and ret.body == ReturnResults(Payload((0,), (CapSenderPromise(E(1)),)))
    # 2. resolve it to another local object: a Resolve that exports that object
    assert conn.resolve("p", LocalCap("real"))
    from capnp_lite.rpc.messages import Resolve, ResolveCap

    assert conn.messages_to_send() == [Resolve(E(1), ResolveCap(CapSenderHosted(E(2))))]
    # 3. a second resolve is a no-op
    assert not conn.resolve("p", LocalCap("other"))
    # 4. sending the promise again now sends what it resolved to
    conn.receive(Call(Q(2), ImportedCapTarget(I(0)), IFACE, 0, Payload(())))
    conn.return_results(A(2), (0,), [LocalCap("p", promise=True)])
    [ret] = conn.messages_to_send()
    assert isinstance(ret, Return) and ret.body == ReturnResults(Payload((0,), (CapSenderHosted(E(2)),)))
    # 5. calls to the resolved promise go to its resolution
    [event] = conn.receive(Call(Q(3), ImportedCapTarget(I(1)), IFACE, 0, Payload(())))
    assert isinstance(event, CallReceived) and event.target == LocalCap("real")


def test_limits_on_answers_and_questions() -> None:
    import pytest

    from capnp_lite.errors import ProtocolError, RpcError

    conn = RpcConnection(bootstrap="root", max_answers=2, max_unfinished=4, max_questions=2)
    conn.receive(Bootstrap(Q(0)))  # answered at once: waits for its Finish, runs nothing
    conn.receive(Call(Q(1), ImportedCapTarget(I(0)), IFACE, 0, Payload(())))
    conn.receive(Call(Q(2), ImportedCapTarget(I(0)), IFACE, 0, Payload(())))
    conn.messages_to_send()
    # 1. a third call while two run is refused as overloaded, without the application
    assert conn.receive(Call(Q(3), ImportedCapTarget(I(0)), IFACE, 0, Payload(()))) == []
    [ret] = conn.messages_to_send()
    assert isinstance(ret, Return) and isinstance(ret.body, ReturnException)
    assert ret.body.exception.type is ExceptionType.OVERLOADED
    # 2. once one returns, the next call runs (answers waiting for a Finish do not count)
    conn.return_results(A(1), ())
    [event] = conn.receive(Call(Q(4), ImportedCapTarget(I(0)), IFACE, 0, Payload(())))
    assert isinstance(event, CallReceived) and event.answer_id == A(4)
    # 3. a peer that never finishes is cut off once that many answers are not finished
    #    (overloaded, not a protocol violation: the spec sets no such limit)
    conn.messages_to_send()
    with pytest.raises(ProtocolError):
        conn.receive(Call(Q(5), ImportedCapTarget(I(0)), IFACE, 0, Payload(())))
    [abort] = conn.messages_to_send()
    assert isinstance(abort, Abort) and abort.exception.type is ExceptionType.OVERLOADED
    # 4. our own side
    mine = RpcConnection(max_questions=2)
    mine.bootstrap()
    mine.bootstrap()
    with pytest.raises(RpcError) as info:
        mine.bootstrap()
    assert info.value.type == "OVERLOADED"


def test_an_answer_returning_an_import_keeps_it_until_the_finish() -> None:
    conn = RpcConnection(bootstrap="root", extract_cap=tuple_extractor)
    conn.receive(Bootstrap(Q(0)))
    # 1. peer -> Call passing its own cap 9; we answer with that same cap
    conn.receive(Call(Q(1), ImportedCapTarget(I(0)), IFACE, 4, Payload((0,), (CapSenderHosted(E(9)),))))
    conn.return_results(A(1), (0,), [RemoteCap(I(9))])
    [ret] = [m for m in conn.messages_to_send() if isinstance(m, Return) and m.answer_id == A(1)]
    assert ret.body == ReturnResults(Payload((0,), (CapReceiverHosted(I(9)),)))
    # 2. the application lets go of the import: the answer still names it, so no Release yet
    conn.release(I(9))
    assert conn.messages_to_send() == []
    # 3. peer -> a call pipelined on the answer reaches the import
    [event] = conn.receive(Call(Q(2), PromisedAnswerTarget(PromisedAnswer(Q(1), (get_pointer_field(0),))),
                                IFACE, 1, Payload(())))
    assert isinstance(event, CallReceived) and event.target == RemoteCap(I(9))
    # 4. peer -> Finish: now the Release goes, for the one reference the peer gave
    conn.receive(Finish(Q(1)))
    assert conn.messages_to_send() == [Release(I(9), 1)]
    assert conn.imports.get(I(9)) is None


def test_an_import_held_again_while_pinned_is_not_released_at_the_finish() -> None:
    conn = RpcConnection(bootstrap="root", extract_cap=tuple_extractor)
    conn.receive(Bootstrap(Q(0)))
    conn.receive(Call(Q(1), ImportedCapTarget(I(0)), IFACE, 4, Payload((0,), (CapSenderHosted(E(9)),))))
    conn.return_results(A(1), (0,), [RemoteCap(I(9))])
    conn.release(I(9))
    # the peer sends the same cap again before finishing: the application holds it anew
    conn.receive(Call(Q(2), ImportedCapTarget(I(0)), IFACE, 4, Payload((0,), (CapSenderHosted(E(9)),))))
    conn.messages_to_send()
    conn.receive(Finish(Q(1)))
    assert conn.messages_to_send() == []
    assert conn.imports.get(I(9)) is not None
    conn.release(I(9))
    assert conn.messages_to_send() == [Release(I(9), 2)]


def _pinned_and_released() -> RpcConnection:
    """A connection whose answer 1 returned the peer's cap 9, which the application released."""
    conn = RpcConnection(bootstrap="root", extract_cap=tuple_extractor)
    conn.receive(Bootstrap(Q(0)))
    conn.receive(Call(Q(1), ImportedCapTarget(I(0)), IFACE, 4, Payload((0,), (CapSenderHosted(E(9)),))))
    conn.return_results(A(1), (0,), [RemoteCap(I(9))])
    conn.release(I(9))
    conn.messages_to_send()
    return conn


def test_a_pinned_import_in_a_late_return_nobody_waits_for_is_still_released_at_the_finish() -> None:
    conn = _pinned_and_released()
    ours = conn.bootstrap()
    conn.finish(ours)  # before its Return: the results will find nobody
    conn.messages_to_send()
    conn.receive(Return(A(ours), ReturnResults(Payload(CapPointer(0), (CapSenderHosted(E(9)),)))))
    assert conn.messages_to_send() == [Release(I(9), 1)]  # the late reference, given back at once
    conn.receive(Finish(Q(1)))
    assert conn.messages_to_send() == [Release(I(9), 1)]  # the pinned one, at the answer's Finish
    assert conn.imports.get(I(9)) is None


def test_a_pinned_import_reached_through_the_answer_is_held_again() -> None:
    from capnp_lite.rpc.messages import CapReceiverAnswer

    conn = _pinned_and_released()
    # peer -> a call whose params name the cap through answer 1: the application holds it again
    [event] = conn.receive(Call(Q(2), ImportedCapTarget(I(0)), IFACE, 4, Payload((0,), (
        CapReceiverAnswer(PromisedAnswer(Q(1), (get_pointer_field(0),))),))))
    assert isinstance(event, CallReceived) and event.caps == (RemoteCap(I(9)),)
    conn.receive(Finish(Q(1)))
    assert conn.messages_to_send() == [] and conn.imports.get(I(9)) is not None  # still held
    conn.release(I(9))
    assert conn.messages_to_send() == [Release(I(9), 1)]


def test_a_pinned_import_given_back_by_release_result_caps_stays_until_the_finish() -> None:
    conn = RpcConnection(bootstrap="root", extract_cap=tuple_extractor)
    ours = conn.bootstrap()
    conn.receive(Return(A(ours), ReturnResults(Payload(CapPointer(0), (CapSenderHosted(E(9)),)))))
    conn.receive(Bootstrap(Q(0)))
    conn.receive(Call(Q(1), ImportedCapTarget(I(0)), IFACE, 4, Payload(())))
    conn.return_results(A(1), (0,), [RemoteCap(I(9))])
    conn.finish(ours, release_result_caps=True)  # the peer drops our reference itself
    conn.messages_to_send()
    assert conn.imports.get(I(9)) is not None  # kept while answer 1 names it
    # the answer still names the cap: a call pipelined on it still reaches it
    [event] = conn.receive(Call(Q(2), PromisedAnswerTarget(PromisedAnswer(Q(1), (get_pointer_field(0),))),
                                IFACE, 1, Payload(())))
    assert isinstance(event, CallReceived) and event.target == RemoteCap(I(9))
    conn.receive(Finish(Q(1)))
    assert conn.imports.get(I(9)) is None
    assert not [m for m in conn.messages_to_send() if isinstance(m, Release)]  # nothing left to give back
