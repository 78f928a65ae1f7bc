"""Random peer messages never raise anything but ProtocolError and never grow the tables unboundedly."""

from __future__ import annotations

from typing import List

from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.errors import ProtocolError
from capnp_lite.rpc import ExportId, ImportId, QuestionId, RemoteCap, RemotePromise, RpcConnection, AnswerId
from capnp_lite.rpc.messages import (
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
    Finish,
    ImportedCapTarget,
    Message,
    MessageTarget,
    Payload,
    PromisedAnswer,
    PromisedAnswerOp,
    PromisedAnswerTarget,
    Release,
    Resolve,
    ResolveCap,
    ResolveException,
    Return,
    ReturnAcceptFromThirdParty,
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

from .helpers import tuple_extractor

ids = st.integers(0, 5)
exc = st.just(RpcException("x"))
ops = st.lists(st.one_of(st.just(PromisedAnswerOp()), st.builds(PromisedAnswerOp, st.integers(0, 3))), max_size=2)
promised = st.builds(lambda q, t: PromisedAnswer(QuestionId(q), tuple(t)), ids, ops)
targets: st.SearchStrategy[MessageTarget] = st.one_of(
    st.builds(lambda i: ImportedCapTarget(ImportId(i)), ids), st.builds(PromisedAnswerTarget, promised)
)
descs: st.SearchStrategy[CapDescriptor] = st.one_of(
    st.just(CapNone()),
    st.builds(lambda i: CapSenderHosted(ExportId(i)), ids),
    st.builds(lambda i: CapSenderPromise(ExportId(i)), ids),
    st.builds(lambda i: CapReceiverHosted(ImportId(i)), ids),
    st.builds(CapReceiverAnswer, promised),
    st.builds(lambda i: CapThirdPartyHosted(None, ExportId(i)), ids),
)
content = st.one_of(st.none(), st.builds(CapPointer, st.integers(0, 2)), st.tuples(st.one_of(st.none(), st.integers(0, 2))))
payloads = st.builds(lambda c, t: Payload(c, tuple(t)), content, st.lists(descs, max_size=3))
bodies = st.one_of(
    st.builds(ReturnResults, payloads),
    st.builds(ReturnException, exc),
    st.just(ReturnCanceled()),
    st.just(ReturnResultsSentElsewhere()),
    st.builds(lambda q: ReturnTakeFromOtherQuestion(QuestionId(q)), ids),
    st.just(ReturnAcceptFromThirdParty(None)),
)
base_messages: st.SearchStrategy[Message] = st.one_of(
    st.builds(lambda q: Bootstrap(QuestionId(q)), ids),
    st.builds(
        lambda q, t, p, s: Call(QuestionId(q), t, 1, 0, p, send_results_to=s),
        ids, targets, payloads, st.sampled_from(list(SendResultsTo)),
    ),
    st.builds(lambda a, b, r, n: Return(AnswerId(a), b, r, n), ids, bodies, st.booleans(), st.booleans()),
    st.builds(lambda q, r: Finish(QuestionId(q), r), ids, st.booleans()),
    st.builds(
        lambda e, r: Resolve(ExportId(e), r), ids, st.one_of(st.builds(ResolveCap, descs), st.builds(ResolveException, exc))
    ),
    st.builds(lambda i, n: Release(ImportId(i), n), ids, st.integers(0, 3)),
    st.builds(Disembargo, targets, st.sampled_from(list(DisembargoContext)), st.integers(0, 3)),
    st.builds(lambda q: Accept(QuestionId(q)), ids),
    st.builds(UnknownMessage, st.integers(14, 20)),
    st.builds(Abort, exc),
)
messages = st.one_of(base_messages, st.builds(Unimplemented, base_messages))


def primed() -> RpcConnection:
    """A connection with some state of its own: a bootstrap export, questions, pipelined calls."""
    conn = RpcConnection(bootstrap="root", extract_cap=tuple_extractor, max_answers=4, max_imports=8)
    boot = conn.bootstrap()
    conn.call(RemotePromise(boot), 1, 0, (0,), [])
    conn.call(RemotePromise(QuestionId(1), (PromisedAnswerOp(0),)), 1, 0, (0,), [])
    conn.messages_to_send()
    return conn


@settings(max_examples=300, deadline=None)
@given(st.lists(messages, max_size=25), st.randoms(use_true_random=False))
def test_random_peer_messages(batch: List[Message], rnd: object) -> None:
    conn = primed()
    for message in batch:
        try:
            events = conn.receive(message)
        except ProtocolError:
            break
        # The application answers calls and releases imports now and then, to exercise more states.
        for event in events:
            name = type(event).__name__
            if name == "CallReceived" or name == "BootstrapRequested":
                conn.return_results(event.answer_id, (0,), [])  # type: ignore[union-attr]
            elif name == "Resolved" and conn.imports.get(event.import_id) is not None:  # type: ignore[union-attr]
                conn.release(event.import_id)  # type: ignore[union-attr]
        assert len(conn.answers) <= 8
        assert len(conn.imports) <= 8
        assert len(conn.questions) <= 3
        assert len(conn.exports) <= 1
        assert len(conn.embargoes) <= 8
        out = conn.messages_to_send()
        assert len(out) <= 10
    assert rnd is not None


def test_calls_on_remote_cap_after_random_prefix() -> None:
    conn = primed()
    conn.receive(Return(AnswerId(0), ReturnResults(Payload(CapPointer(0), (CapSenderHosted(ExportId(3)),)))))
    q = conn.call(RemoteCap(ImportId(3)), 1, 2)
    assert q == QuestionId(3)
