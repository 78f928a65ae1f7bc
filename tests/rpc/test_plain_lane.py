"""Calls and results received without message objects: ``codec.decode_plain`` with
``RpcConnection.receive_call`` / ``receive_results`` against ``decode`` with ``receive``.

Twin connections are brought into the same state; the last message reaches one as a
message and the other as fields.  Events, tables, queued messages and protocol errors must
be the same.
"""

from __future__ import annotations

import struct
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.errors import DecodeError, LimitError, ProtocolError
from capnp_lite.rpc import RpcConnection
from capnp_lite.rpc import codec
from capnp_lite.rpc.caps import RemoteCap
from capnp_lite.rpc.ids import AnswerId, ExportId, ImportId, QuestionId
from capnp_lite.rpc.messages import (
    Bootstrap,
    Call,
    CapNone,
    CapPointer,
    CapReceiverAnswer,
    CapReceiverHosted,
    CapSenderHosted,
    CapSenderPromise,
    Finish,
    ImportedCapTarget,
    Message,
    Payload,
    PromisedAnswer,
    PromisedAnswerOp,
    PromisedAnswerTarget,
    Release,
    Return,
    ReturnException,
    ReturnResults,
    RpcException,
    SendResultsTo,
)
from capnp_lite.wire.layout import AnyPointerReader, MessageBuilder, MessageReader, StructReader

from .helpers import tuple_extractor

Q, A, E, I = QuestionId, AnswerId, ExportId, ImportId


def _snapshot(conn: RpcConnection) -> Dict[str, Any]:
    """Every table entry's fields, and the state, as plain data."""
    def entries(table: Any) -> Dict[Any, Tuple[Any, ...]]:
        out = {}
        for key, entry in table._entries.items():
            out[key] = tuple(
                (name, getattr(entry, name)) for name in type(entry).__slots__ if name != "as_target")
        return out

    return {"state": conn.state, "questions": entries(conn.questions), "answers": entries(conn.answers),
            "exports": entries(conn.exports), "imports": entries(conn.imports),
            "embargoes": entries(conn.embargoes), "no_finish": set(conn._no_finish),
            "resolves": list(conn._pending_resolves), "outbox": list(conn.outbox)}


def _outcome(receive: Callable[[], List[Any]]) -> Tuple[str, Any]:
    try:
        return "events", receive()
    except ProtocolError as exc:
        return "error", str(exc)


def _server() -> RpcConnection:
    conn = RpcConnection(bootstrap="root", extract_cap=tuple_extractor)
    conn.receive(Bootstrap(Q(0)))  # export 0: "root"
    conn.receive(Call(Q(1), ImportedCapTarget(I(0)), 7, 1, Payload((0,), ())))  # answer 1, pending
    return conn


CONTENT = (0, None)
PA = PromisedAnswer(Q(1), (PromisedAnswerOp(0),))

CALLS: List[Call] = [
    Call(Q(2), ImportedCapTarget(I(0)), 0xABCDEF, 3, Payload(CONTENT, ())),
    Call(Q(2), ImportedCapTarget(I(0)), 1, 2, Payload(CONTENT, (
        CapSenderHosted(E(5)), CapSenderPromise(E(6)), CapNone(), CapReceiverHosted(I(0)), CapReceiverAnswer(PA)))),
    Call(Q(3), PromisedAnswerTarget(PA), 1, 0, Payload(CONTENT, ()), SendResultsTo.YOURSELF),
    Call(Q(4), ImportedCapTarget(I(0)), 1, 0, Payload(None, ()), SendResultsTo.CALLER, None, True, True, True),
    # protocol violations
    Call(Q(1), ImportedCapTarget(I(0)), 1, 0, Payload(CONTENT, ())),  # question 1 is in use
    Call(Q(5), ImportedCapTarget(I(9)), 1, 0, Payload(CONTENT, ())),  # no export 9
    Call(Q(6), PromisedAnswerTarget(PromisedAnswer(Q(8))), 1, 0, Payload(CONTENT, ())),  # no answer 8
    Call(Q(7), ImportedCapTarget(I(0)), 1, 0, Payload(CONTENT, (CapReceiverHosted(I(4)),))),  # no export 4
]


@pytest.mark.parametrize("call", CALLS)
def test_a_call_received_as_fields_does_what_the_message_does(call: Call) -> None:
    by_message, by_fields = _server(), _server()
    a = _outcome(lambda: by_message.receive(call))
    b = _outcome(lambda: by_fields.receive_call(
        call.question_id, call.target, call.interface_id, call.method_id, call.params.content,
        call.params.cap_table, call.send_results_to is SendResultsTo.YOURSELF,
        call.allow_third_party_tail_call, call.no_promise_pipelining, call.only_promise_pipeline))
    assert a == b
    assert _snapshot(by_message) == _snapshot(by_fields)


def _client(pipelined: bool) -> Tuple[RpcConnection, QuestionId]:
    conn = RpcConnection(extract_cap=tuple_extractor)
    boot = conn.bootstrap()
    conn.receive(Return(A(boot), ReturnResults(Payload(CapPointer(0), (CapSenderHosted(E(0)),)))))
    conn.finish(boot)
    qid = conn.call(RemoteCap(I(0)), 1, 0, None, [RemoteCap(I(0))])
    if pipelined:
        conn.call(_promise(qid), 1, 0)
    conn.messages_to_send()
    return conn, qid


def _promise(qid: QuestionId) -> Any:
    from capnp_lite.rpc.caps import RemotePromise

    return RemotePromise(qid, (PromisedAnswerOp(0),))


RESULTS: List[Tuple[bool, Callable[[QuestionId], Return]]] = [
    (False, lambda q: Return(A(q), ReturnResults(Payload(CONTENT, ())))),
    (False, lambda q: Return(A(q), ReturnResults(Payload(CONTENT, ())), False, True)),
    (False, lambda q: Return(A(q), ReturnResults(Payload((1, 0), (CapSenderHosted(E(3)), CapSenderPromise(E(4))))))),
    # a pipelined call whose target comes back to us: an embargo
    (True, lambda q: Return(A(q), ReturnResults(Payload((0,), (CapReceiverHosted(I(0)),))))),
    (True, lambda q: Return(A(q), ReturnResults(Payload((0,), (CapSenderHosted(E(2)),))), True, False)),
    # protocol violations
    (False, lambda q: Return(A(q + 5), ReturnResults(Payload(CONTENT, ())))),  # unknown question
    (False, lambda q: Return(A(q), ReturnResults(Payload(CONTENT, (CapReceiverHosted(I(7)),))))),  # no export 7
]


@pytest.mark.parametrize("pipelined, make", RESULTS)
def test_results_received_as_fields_do_what_the_message_does(
        pipelined: bool, make: Callable[[QuestionId], Return]) -> None:
    by_message, qid = _client(pipelined)
    by_fields, qid2 = _client(pipelined)
    assert qid == qid2
    message = make(qid)
    body = message.body
    assert isinstance(body, ReturnResults)
    a = _outcome(lambda: by_message.receive(message))
    b = _outcome(lambda: by_fields.receive_results(message.answer_id, body.payload.content,
                                                   body.payload.cap_table, message.release_param_caps,
                                                   message.no_finish_needed))
    assert a == b
    assert _snapshot(by_message) == _snapshot(by_fields)


def test_a_closed_connection_ignores_fields_as_it_ignores_messages() -> None:
    conn = _server()
    conn.close()
    assert conn.receive_call(Q(2), ImportedCapTarget(I(0)), 1, 0, None, (), False) == []
    assert conn.receive_results(A(0), None, ()) == []


def _struct_content(value: int) -> Any:
    mb = MessageBuilder()
    root = mb.init_root(1, 1)
    root.set_uint64(0, value)
    root.set_text(0, "x")
    return root.as_reader()


ENCODED: List[Message] = [
    Call(Q(1), ImportedCapTarget(I(2)), 0xFFFFFFFFFFFFFFFF, 0xFFFF, Payload(_struct_content(5), ())),
    Call(Q(1), PromisedAnswerTarget(PA), 3, 4, Payload(None, (CapSenderHosted(E(1), 2), CapReceiverAnswer(PA))),
         SendResultsTo.YOURSELF, None, True, False, True),
    Call(Q(9), ImportedCapTarget(I(2)), 3, 4, Payload(CapPointer(1), (CapNone(), CapNone()))),
    Return(A(3), ReturnResults(Payload(_struct_content(6), (CapSenderPromise(E(8)),))), False, True),
    Return(A(3), ReturnResults(Payload(None, ()))),
]

NOT_PLAIN: List[Message] = [
    Finish(Q(1), False, False),
    Release(I(1), 2),
    Bootstrap(Q(0)),
    Return(A(3), ReturnException(RpcException("no"))),
    Call(Q(1), ImportedCapTarget(I(2)), 3, 4, Payload(None, ()), SendResultsTo.THIRD_PARTY),
]


def _comparable(message: Message) -> Any:
    """A message with its content reduced to what can be compared."""
    def content(c: object) -> object:
        s: Any = c.get_struct() if isinstance(c, AnyPointerReader) else c
        if isinstance(s, StructReader):
            return ("struct", s.get_uint64(0), s.get_text(0))
        return c

    if isinstance(message, Call):
        return (message.question_id, message.target, message.interface_id, message.method_id,
                content(message.params.content), message.params.cap_table, message.send_results_to,
                message.allow_third_party_tail_call, message.no_promise_pipelining, message.only_promise_pipeline)
    assert isinstance(message, Return) and isinstance(message.body, ReturnResults)
    return (message.answer_id, content(message.body.payload.content), message.body.payload.cap_table,
            message.release_param_caps, message.no_finish_needed)


def _general(segment: bytes) -> Message:
    """The general reader's message, which the plain path must agree with."""
    return codec.decode_reader(MessageReader([segment]))


def _from_fields(fields: Tuple[Any, ...]) -> Message:
    if fields[0] == codec.TAG_CALL:
        _, qid, target, iface, mid, content, caps, yourself, third, np, op = fields
        return Call(qid, target, iface, mid, Payload(content, caps),
                    SendResultsTo.YOURSELF if yourself else SendResultsTo.CALLER, None, third, np, op)
    assert fields[0] == codec.TAG_RETURN
    _, aid, content, caps, release, no_finish = fields
    return Return(aid, ReturnResults(Payload(content, caps)), release, no_finish)


@pytest.mark.parametrize("message", ENCODED)
def test_decode_plain_reads_what_decode_reads(message: Message) -> None:
    (segment,) = codec.encode_segments(message)
    fields = codec.decode_plain(segment)
    assert fields is not None
    assert _comparable(_from_fields(fields)) == _comparable(_general(segment)) == _comparable(message)


@pytest.mark.parametrize("message", NOT_PLAIN)
def test_decode_plain_leaves_everything_else_to_decode(message: Message) -> None:
    segments = codec.encode_segments(message)
    assert codec.decode_plain(segments[0]) is None
    decoded: Optional[Message] = codec.decode(segments)
    assert type(decoded) is type(message)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_decode_plain_on_damaged_messages_agrees_with_decode(data: st.DataObject) -> None:
    """Bytes of a real call or return with some words changed: decode_plain either refuses
    them (None, for decode to explain) or reads what the general reader reads; it raises
    only DecodeError.  (``decode`` itself takes the plain path first, so it is no witness.)"""
    message = data.draw(st.sampled_from(ENCODED))
    (segment,) = codec.encode_segments(message)
    raw = bytearray(segment)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    damaged = bytes(raw)
    try:
        fields = codec.decode_plain(damaged)
    except DecodeError:
        return
    if fields is None:
        return
    whole = _general(damaged)  # accepted by the plain path: the general reader must accept it too
    try:
        mine = _comparable(_from_fields(fields))
    except DecodeError:
        mine = DecodeError
    try:
        theirs = _comparable(whole)
    except DecodeError:  # the content is what is damaged: both must fail on it
        theirs = DecodeError
    assert mine == theirs


def _wider(kind: str) -> bytes:
    """A Call or a Return as a newer writer lays it out: every struct of the envelope with a
    data word and a pointer more than this side knows, all of them zero."""
    mb = MessageBuilder()
    root = mb.init_root(2, 2)  # Message: (1, 1) here
    if kind == "call":
        root.set_uint16(0, 2)
        body = root.init_struct(0, 4, 4)  # Call: (3, 3)
        body.set_uint32(0, 7)  # questionId
        body.set_uint16(2, 9)  # methodId
        body.set_uint64(1, 0x1234)  # interfaceId
        target = body.init_struct(0, 2, 2)  # MessageTarget: (1, 1)
        target.set_uint32(0, 5)  # importedCap
        payload = body.init_struct(1, 1, 3)  # Payload: (0, 2)
    else:
        root.set_uint16(0, 3)
        body = root.init_struct(0, 3, 2)  # Return: (2, 1)
        body.set_uint64(0, 8 | 1 << 32)  # answerId 8; releaseParamCaps (stored inverted) false
        payload = body.init_struct(0, 1, 3)
    payload.set_uint64(0, 0xDEAD)  # a field this side does not know
    content = payload.init_struct(0, 1, 1)
    content.set_uint64(0, 6)
    content.set_text(0, "x")
    table = payload.init_struct_list(1, 1, 2, 2)  # CapDescriptor: (1, 1)
    descriptor = table.get_struct(0)
    descriptor.set_uint16(0, 1)  # senderHosted
    descriptor.set_uint32(1, 4)
    (segment,) = mb.segments()
    return bytes(segment)


@pytest.mark.parametrize("kind", ["call", "return"])
def test_decode_plain_reads_a_newer_writers_wider_structs(kind: str) -> None:
    segment = _wider(kind)
    fields = codec.decode_plain(segment)
    assert fields is not None  # wider structs are still plain
    mine = _comparable(_from_fields(fields))
    assert mine == _comparable(_general(segment))
    if kind == "call":
        assert mine == (Q(7), ImportedCapTarget(I(5)), 0x1234, 9, ("struct", 6, "x"),
                        (CapSenderHosted(E(4)),), SendResultsTo.CALLER, False, False, False)
    else:
        assert mine == (A(8), ("struct", 6, "x"), (CapSenderHosted(E(4)),), False, False)


def _deep_call(depth: int) -> bytes:
    """A Call whose content nests ``depth`` structs below its own (one pointer each), in
    one segment as the plain path reads it."""
    mb = MessageBuilder(4096)
    root = mb.init_root(1, 1)
    root.set_uint16(0, 2)
    body = root.init_struct(0, 3, 3)
    body.init_struct(0, 1, 1).set_uint32(0, 2)  # target: importedCap 2
    s = body.init_struct(1, 0, 2).init_struct(0, 0, 1)  # the payload's content
    for _ in range(depth):
        s = s.init_struct(0, 0, 1)
    (segment,) = mb.segments()
    return bytes(segment)


def _reachable(content: Any) -> int:
    """How many levels below the content's struct can be read before the nesting limit."""
    s = content.get_struct()
    depth = 0
    while True:
        try:
            s = s.get_struct(0)
        except LimitError:
            return depth
        depth += 1


def test_plain_content_has_the_nesting_budget_general_content_has() -> None:
    # The content sits three structs below the message root, on both paths alike.
    segment = _deep_call(80)
    fields = codec.decode_plain(segment)
    assert fields is not None
    general = _general(segment)
    assert isinstance(general, Call)
    assert _reachable(fields[5]) == _reachable(general.params.content) < 80


@pytest.mark.parametrize("extra", [1, 2, 3])
def test_a_transform_list_that_claims_words_past_the_end_is_refused(extra: int) -> None:
    # The ops of a promised answer as a struct list whose pointer claims more words than the
    # segment has left: the plain path leaves it to the general reader, which refuses it.
    call = Call(Q(1), PromisedAnswerTarget(PromisedAnswer(Q(7), (PromisedAnswerOp(), PromisedAnswerOp(3)))),
                3, 4, Payload(None, ()))
    (segment,) = codec.encode_segments(call)
    words = list(struct.unpack(f"<{len(segment) // 8}Q", segment))
    (at,) = [i for i, p in enumerate(words) if p & 0x7_0000_0003 == 0x7_0000_0001]
    start = at + 1 + (words[at] >> 2 & 0x1FFF_FFFF)
    total = len(words) - start - 1 + extra  # the list's words, past the segment's end
    words[at] = words[at] & 0x7_FFFF_FFFF | total << 35
    damaged = struct.pack(f"<{len(words)}Q", *words)
    assert codec.decode_plain(damaged) is None
    with pytest.raises(DecodeError):
        codec.decode([damaged])


@pytest.mark.parametrize("kind", ["call", "return"])
def test_an_envelope_cut_short_is_refused(kind: str) -> None:
    # The root and the pointer to a Call or Return as every encoder writes them, then fewer
    # words than that struct takes: nothing may be read past the segment's end.
    message: Message = (Call(Q(1), ImportedCapTarget(I(2)), 3, 4, Payload(None, ()))
                        if kind == "call" else Return(A(1), ReturnResults(Payload(None, ()))))
    (segment,) = codec.encode_segments(message)
    for words in range(3, len(segment) // 8):
        cut = segment[: 8 * words]
        assert codec.decode_plain(cut) is None
        with pytest.raises(DecodeError):
            codec.decode([cut])
