"""Two real connections back to back: capabilities both ways, tail calls, embargoes."""

from __future__ import annotations

from typing import Dict, List, Tuple

from capnp_lite.rpc import (
    AnswerId,
    CallReceived,
    EmbargoLifted,
    ExportReleased,
    LocalCap,
    LocalPipeline,
    RemoteCap,
    RemotePromise,
    Resolved,
    ReturnKind,
    ReturnReceived,
    RpcConnection,
)
from capnp_lite.rpc.messages import (
    Call,
    Disembargo,
    DisembargoContext,
    Finish,
    ImportedCapTarget,
    PromisedAnswer,
    PromisedAnswerTarget,
    Resolve,
    Return,
    ReturnResultsSentElsewhere,
    ReturnTakeFromOtherQuestion,
    SendResultsTo,
    get_pointer_field,
)

from .helpers import Pair, tuple_extractor

IFACE = 0xABCD


def make_pair() -> Pair:
    return Pair(RpcConnection(extract_cap=tuple_extractor), RpcConnection(bootstrap="root", extract_cap=tuple_extractor))


def boot(pair: Pair) -> RemoteCap:
    q = pair.a.bootstrap()
    pair.to_b()
    [ret] = pair.to_a()
    assert isinstance(ret, ReturnReceived) and ret.question_id == q
    pair.a.finish(q)
    pair.to_b()
    cap = ret.caps[0]
    assert isinstance(cap, RemoteCap)
    return cap


def test_call_and_return() -> None:
    pair = make_pair()
    root = boot(pair)
    q = pair.a.call(root, IFACE, 3, ("hello",))
    [call] = pair.to_b()
    assert isinstance(call, CallReceived) and call.target == LocalCap("root") and call.content == ("hello",)
    pair.b.return_results(call.answer_id, ("world",))
    [ret] = pair.to_a()
    assert ret == ReturnReceived(q, ReturnKind.RESULTS, ("world",), ())
    pair.a.finish(q)
    pair.to_b()
    assert len(pair.a.questions) == 0 and len(pair.b.answers) == 0


def test_capability_in_params_called_back_and_released() -> None:
    pair = make_pair()
    root = boot(pair)
    # 1. a passes its callback object in the params
    q = pair.a.call(root, IFACE, 0, (0,), [LocalCap("callback")])
    [call] = pair.to_b()
    assert isinstance(call, CallReceived)
    [cb] = call.caps
    assert isinstance(cb, RemoteCap)
    # 2. b calls the callback before returning
    q_cb = pair.b.call(cb, IFACE, 7, ("ping",))
    [back] = pair.to_a()
    assert isinstance(back, CallReceived) and back.target == LocalCap("callback") and back.content == ("ping",)
    pair.a.return_results(back.answer_id, ("pong",))
    [ret] = pair.to_b()
    assert isinstance(ret, ReturnReceived) and ret.question_id == q_cb and ret.content == ("pong",)
    pair.b.finish(q_cb)
    # 3. b returns, then drops the callback: a learns that nobody holds it any more
    pair.b.return_results(call.answer_id, ())
    pair.b.release(cb.import_id)
    events = pair.to_a()
    assert [type(e) for e in events] == [ReturnReceived, ExportReleased]
    assert events[1] == ExportReleased("callback")
    pair.a.finish(q)
    pair.to_b()
    assert len(pair.a.exports) == 0 and len(pair.b.imports) == 0
    assert len(pair.a.imports) == 1  # root


def test_pipelining_through_two_connections() -> None:
    pair = make_pair()
    q_boot = pair.a.bootstrap()
    q_make = pair.a.call(RemotePromise(q_boot), IFACE, 0, ())
    t = (get_pointer_field(0),)
    q_use = pair.a.call(RemotePromise(q_make, t), IFACE, 1, ("use",))
    events = pair.to_b()
    make, use = events
    assert isinstance(make, CallReceived) and make.target == LocalCap("root")
    assert isinstance(use, CallReceived) and use.target == LocalPipeline(make.answer_id, t)
    # b's application resolves the pipeline once make() returns
    pair.b.return_results(make.answer_id, (0,), [LocalCap("thing")])
    pair.b.return_results(use.answer_id, ("used",))
    events = pair.to_a()
    kinds = {e.question_id: e for e in events if isinstance(e, ReturnReceived)}
    assert set(kinds) == {q_boot, q_make, q_use}
    assert kinds[q_use].content == ("used",)
    assert kinds[q_make].embargoes == ()  # the thing lives in b: no embargo needed


def test_tail_call_through_a_resolved_promise() -> None:
    """b forwards a's call back to a's object with sendResultsTo.yourself; results never cross twice."""
    pair = make_pair()
    root = boot(pair)
    # 1. a hands b its object `carol`; b answers with a promise P
    q_p = pair.a.call(root, IFACE, 0, (0,), [LocalCap("carol")])
    [setup] = pair.to_b()
    assert isinstance(setup, CallReceived)
    carol_at_b = setup.caps[0]
    assert isinstance(carol_at_b, RemoteCap)
    pair.b.return_results(setup.answer_id, (0,), [LocalCap("P", promise=True)])
    [ret] = pair.to_a()
    assert isinstance(ret, ReturnReceived)
    p = ret.caps[0]
    assert isinstance(p, RemoteCap) and p.promise
    # 2. b resolves P to carol before a calls it (no embargo: no call went through P)
    pair.b.resolve("P", carol_at_b)
    [resolved] = pair.to_a()
    assert resolved == Resolved(p.import_id, LocalCap("carol"), embargo=None)
    # 3. a (whose application still holds P) calls P anyway: b forwards it as a tail call
    q_call = pair.a.call(p, IFACE, 5, ("hi",))
    [at_b] = pair.to_b()
    assert isinstance(at_b, CallReceived) and at_b.target == carol_at_b
    q_fwd = pair.b.tail_call(at_b.answer_id, carol_at_b, IFACE, 5, at_b.content)
    msgs = pair.b.messages_to_send()
    assert msgs == [
        Call(q_fwd, ImportedCapTarget(carol_at_b.import_id), IFACE, 5, msgs[0].params,  # type: ignore[union-attr]
             send_results_to=SendResultsTo.YOURSELF),
        Return(at_b.answer_id, ReturnTakeFromOtherQuestion(q_fwd), release_param_caps=False),
    ]
    pair.b_to_a.extend(msgs)
    # 4. a receives the forwarded call for carol, then the Return naming it
    fwd, taken = pair.to_a()
    assert isinstance(fwd, CallReceived) and fwd.target == LocalCap("carol") and fwd.results_to_yourself
    assert taken == ReturnReceived(q_call, ReturnKind.TAKE_FROM_OTHER_QUESTION, take_from_answer=fwd.answer_id)
    # 5. carol answers; the results stay in a, b only hears resultsSentElsewhere
    pair.a.return_results(fwd.answer_id, ("from carol",))
    sent = pair.a.messages_to_send()
    assert sent == [Return(fwd.answer_id, ReturnResultsSentElsewhere(), release_param_caps=False)]
    pair.a_to_b.extend(sent)
    assert pair.to_b() == []  # the tail question is the connection's business
    # 6. a finishes its call: b finishes the forwarded question; a then drops both
    pair.a.finish(q_call)
    pair.to_b()
    assert pair.b.messages_to_send() == [Finish(q_fwd, release_result_caps=False, require_early_cancellation_workaround=False)]
    pair.b_to_a.append(Finish(q_fwd, release_result_caps=False, require_early_cancellation_workaround=False))
    pair.to_a()
    assert pair.a.answers.get(fwd.answer_id) is None
    assert pair.b.questions.get(q_fwd) is None and pair.b.answers.get(at_b.answer_id) is None
    assert q_p is not None


class PromiseApp:
    """b's application: a promise object that queues calls until it resolves, then forwards them."""

    def __init__(self, conn: RpcConnection) -> None:
        self.conn = conn
        self.queued: List[CallReceived] = []

    def on_call(self, event: CallReceived) -> None:
        if isinstance(event.target, (LocalCap, LocalPipeline)) and event.target != LocalCap("root"):
            self.queued.append(event)
        elif isinstance(event.target, (RemoteCap, RemotePromise)):
            self.conn.tail_call(event.answer_id, event.target, event.interface_id, event.method_id, event.content)

    def forward_all(self, to: RemoteCap) -> None:
        for event in self.queued:
            self.conn.tail_call(event.answer_id, to, event.interface_id, event.method_id, event.content)
        self.queued = []


class CarolApp:
    """a's application: carol logs the calls she runs; calls to an embargoed reference wait."""

    def __init__(self, conn: RpcConnection) -> None:
        self.conn = conn
        self.log: List[int] = []
        self.waiting: Dict[int, List[int]] = {}  # embargo id -> call numbers held back

    def on_event(self, event: object) -> None:
        if isinstance(event, CallReceived) and event.target == LocalCap("carol"):
            assert isinstance(event.content, tuple)
            self.log.append(event.content[0])
            self.conn.return_results(event.answer_id, ())
        elif isinstance(event, EmbargoLifted):
            self.log.extend(self.waiting.pop(event.embargo_id))
        elif isinstance(event, ReturnReceived):
            self.conn.finish(event.question_id)


def test_embargo_keeps_calls_in_order_when_a_promise_resolves_back_home() -> None:
    pair = make_pair()
    root = boot(pair)
    b_app = PromiseApp(pair.b)
    a_app = CarolApp(pair.a)
    # 1. a gives carol to b and gets promise P back
    q_p = pair.a.call(root, IFACE, 0, (0,), [LocalCap("carol")])
    [setup] = pair.to_b()
    assert isinstance(setup, CallReceived)
    carol_at_b = setup.caps[0]
    assert isinstance(carol_at_b, RemoteCap)
    pair.b.return_results(setup.answer_id, (0,), [LocalCap("P", promise=True)])
    [ret] = pair.to_a()
    assert isinstance(ret, ReturnReceived)
    p = ret.caps[0]
    assert isinstance(p, RemoteCap)
    pair.a.finish(q_p)
    # 2. a calls P with calls 0, 1, 2; b's promise is unresolved, so b queues them
    questions = [pair.a.call(p, IFACE, 1, (i,)) for i in range(3)]
    for event in pair.to_b():
        assert isinstance(event, CallReceived)
        b_app.on_call(event)
    assert len(b_app.queued) == 3
    # 3. b resolves P to carol and forwards the queued calls right away
    pair.b.resolve("P", carol_at_b)
    b_app.forward_all(carol_at_b)
    # 4. a receives only the Resolve first: an embargo, because calls went through P
    [resolved] = pair.to_a(1)
    assert isinstance(resolved, Resolved) and resolved.cap == LocalCap("carol") and resolved.embargo is not None
    embargo = resolved.embargo
    assert pair.a.messages_to_send() == [
        Disembargo(ImportedCapTarget(p.import_id), DisembargoContext.SENDER_LOOPBACK, embargo)
    ]
    pair.a_to_b.append(Disembargo(ImportedCapTarget(p.import_id), DisembargoContext.SENDER_LOOPBACK, embargo))
    # 5. a's application now makes calls 3, 4, 5 on carol: held back by the embargo
    a_app.waiting[embargo] = [3, 4, 5]
    # 6. everything else flows until quiet
    for _ in range(20):
        for event in pair.to_a():
            a_app.on_event(event)
        for event in pair.to_b():
            if isinstance(event, CallReceived):
                b_app.on_call(event)
        if pair.in_flight() == 0:
            break
    assert a_app.log == [0, 1, 2, 3, 4, 5]
    assert len(pair.a.embargoes) == 0
    assert len(questions) == 3


def test_embargo_on_a_pipelined_answer_that_resolves_back_home() -> None:
    pair = make_pair()
    root = boot(pair)
    b_app = PromiseApp(pair.b)
    a_app = CarolApp(pair.a)
    # 1. a calls root.echo(carol) and pipelines calls 0..2 on pointer 0 of the results
    q = pair.a.call(root, IFACE, 0, (0,), [LocalCap("carol")])
    t = (get_pointer_field(0),)
    for i in range(3):
        pair.a.call(RemotePromise(q, t), IFACE, 1, (i,))
    events = pair.to_b()
    echo = events[0]
    assert isinstance(echo, CallReceived)
    carol_at_b = echo.caps[0]
    assert isinstance(carol_at_b, RemoteCap)
    for event in events[1:]:
        assert isinstance(event, CallReceived) and event.target == LocalPipeline(echo.answer_id, t)
        b_app.on_call(event)
    # 2. b returns carol in pointer 0 and forwards the pipelined calls to her
    pair.b.return_results(echo.answer_id, (0,), [carol_at_b])
    b_app.forward_all(carol_at_b)
    # 3. a receives the Return alone: its results point home, so the transform is embargoed
    [ret] = pair.to_a(1)
    assert isinstance(ret, ReturnReceived) and ret.caps == (LocalCap("carol"),)
    [(transform, embargo)] = ret.embargoes
    assert transform == t
    [dis] = pair.a.messages_to_send()
    assert dis == Disembargo(PromisedAnswerTarget(PromisedAnswer(q, t)), DisembargoContext.SENDER_LOOPBACK, embargo)
    pair.a_to_b.append(dis)
    a_app.waiting[embargo] = [3, 4, 5]
    pair.a.finish(q)  # after the Disembargo, so b can still follow the transform
    for _ in range(20):
        for event in pair.to_a():
            a_app.on_event(event)
        pair.to_b()
        if pair.in_flight() == 0:
            break
    assert a_app.log == [0, 1, 2, 3, 4, 5]
    assert len(pair.a.embargoes) == 0 and len(pair.b.answers) == 0


def test_promise_broken_resolves_with_exception() -> None:
    from capnp_lite.rpc.messages import ResolveException, RpcException

    pair = make_pair()
    root = boot(pair)
    q = pair.a.call(root, IFACE, 0, ())
    [call] = pair.to_b()
    assert isinstance(call, CallReceived)
    pair.b.return_results(call.answer_id, (0,), [LocalCap("P", promise=True)])
    [ret] = pair.to_a()
    assert isinstance(ret, ReturnReceived)
    p = ret.caps[0]
    assert isinstance(p, RemoteCap)
    boom = RpcException("boom")
    pair.b.resolve("P", boom)
    assert pair.to_a() == [Resolved(p.import_id, exception=boom)]
    # sending the broken promise again exports a fresh promise, broken right after
    pair.a.finish(q)
    q2 = pair.a.call(root, IFACE, 0, ())
    [call2] = pair.to_b()
    assert isinstance(call2, CallReceived)
    pair.b.return_results(call2.answer_id, (0,), [LocalCap("P", promise=True)])
    msgs = pair.b.messages_to_send()
    assert isinstance(msgs[0], Return) and isinstance(msgs[1], Resolve)
    assert msgs[1].resolution == ResolveException(boom)
    assert q2 is not None
    _unused: Tuple[AnswerId, ...] = ()
