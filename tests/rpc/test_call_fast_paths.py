"""The short cuts of making a call, against the general paths they skip.

``RpcConnection.call`` checks and names an import or a pipelined answer in one look-up;
a reference of any other type takes the general checks (``_check_out_caps``, then
``_outgoing_target``).  A subclass of ``RemoteCap`` or ``RemotePromise`` is such a type,
so each case runs both ways and must leave the same messages, tables and errors.

``encode_framed`` writes a call built in place word by word (its target, transform and
cap table); the reference here lays out the same envelope with the layout core's typed
setters, in the same order, and the bytes must be equal.  Values that do not fit must
fail as the general encoder fails.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

import pytest

from capnp_lite.errors import Disconnected, EncodeError, RpcError
from capnp_lite.rpc import RpcConnection
from capnp_lite.rpc import codec
from capnp_lite.rpc.caps import LocalCap, RemoteCap, RemotePromise
from capnp_lite.rpc.codec import OutgoingContent
from capnp_lite.rpc.ids import ExportId, ImportId, QuestionId
from capnp_lite.rpc.messages import (
    Call,
    CapDescriptor,
    CapNone,
    CapReceiverAnswer,
    CapReceiverHosted,
    CapSenderHosted,
    CapSenderPromise,
    ImportedCapTarget,
    Payload,
    PromisedAnswer,
    PromisedAnswerOp,
    PromisedAnswerTarget,
    Return,
    ReturnResults,
    SendResultsTo,
)
from capnp_lite.wire.layout import StructBuilder

from .helpers import tuple_extractor


class _SubCap(RemoteCap):
    """Not exactly a RemoteCap: the connection takes its general path for it."""


class _SubPromise(RemotePromise):
    """Not exactly a RemotePromise: the general path."""


def _general(target: Any) -> Any:
    if type(target) is RemoteCap:
        return _SubCap(target.import_id, target.promise)
    if type(target) is RemotePromise:
        return _SubPromise(target.question_id, target.transform)
    return target


def _connection_with_imports() -> Tuple[RpcConnection, QuestionId]:
    """A connection holding imports 7 and 9 (from the results of question 0), with a
    second question (1) in flight to pipeline on."""
    conn = RpcConnection(extract_cap=tuple_extractor)
    boot = conn.bootstrap()
    conn.receive(Return(boot, ReturnResults(Payload((0, 1), (CapSenderHosted(ExportId(7)),
                                                               CapSenderHosted(ExportId(9)))))))
    conn.finish(boot)
    pending = conn.call(RemoteCap(ImportId(7)), 0x1234, 2)
    conn.messages_to_send()
    return conn, pending


def _state(conn: RpcConnection) -> List[Any]:
    """What a call leaves behind: the queued messages and the table entries it touched."""
    sent = conn.messages_to_send()
    questions = sorted((q.id, q.state, q.pipelined and sorted(q.pipelined, key=repr), tuple(q.param_exports))
                       for q in conn.questions)
    imports = sorted((i.id, i.calls_sent, i.wire_refs) for i in conn.imports)
    exports = sorted((e.id, e.refcount) for e in conn.exports)
    return [sent, questions, imports, exports]


def _outcome(target: Any, caps: Tuple[Any, ...], *, prepare: Optional[Any] = None) -> List[Any]:
    conn, pending = _connection_with_imports()
    if prepare is not None:
        prepare(conn, pending)
    if isinstance(target, RemotePromise) and target.question_id == QuestionId(99):
        target = type(target)(pending, target.transform)
    try:
        qid = conn.call(target, 0xABCDEF, 3, None, caps)
    except Exception as exc:  # the error itself is part of the outcome
        return [type(exc), str(exc), _state(conn)]
    return [qid, _state(conn)]


OBJ = object()
TRANSFORM = (PromisedAnswerOp(0), PromisedAnswerOp(), PromisedAnswerOp(3))

CASES = [
    ("import", RemoteCap(ImportId(7)), ()),
    ("import with caps", RemoteCap(ImportId(9)), (RemoteCap(ImportId(7)), LocalCap(OBJ), None)),
    ("released import", RemoteCap(ImportId(8)), ()),
    ("import, bad cap", RemoteCap(ImportId(7)), (RemoteCap(ImportId(5)),)),
    ("import, not a cap", RemoteCap(ImportId(7)), ("nonsense",)),
    ("pipelined", RemotePromise(QuestionId(99), TRANSFORM), ()),
    ("pipelined with caps", RemotePromise(QuestionId(99), ()), (RemotePromise(QuestionId(99), TRANSFORM),)),
    ("unknown question", RemotePromise(QuestionId(42), TRANSFORM), ()),
    ("pipelined, bad cap", RemotePromise(QuestionId(99), ()), (RemoteCap(ImportId(5)),)),
]


@pytest.mark.parametrize("name,target,caps", CASES, ids=[c[0] for c in CASES])
def test_a_call_leaves_what_the_general_path_leaves(name: str, target: Any, caps: Tuple[Any, ...]) -> None:
    fast = _outcome(target, caps)
    general = _outcome(_general(target), caps)
    assert fast == general
    if name in ("import", "pipelined", "import with caps"):
        assert isinstance(fast[0], int)  # the case is really a call that was made
    if name.startswith("released") or name.startswith("unknown") or "bad" in name or "not a" in name:
        assert isinstance(fast[0], type) and issubclass(fast[0], Exception)


def test_a_finished_question_and_a_closed_connection_fail_the_same_way() -> None:
    def finish_pending(conn: RpcConnection, pending: QuestionId) -> None:
        conn.finish(pending)

    def close(conn: RpcConnection, pending: QuestionId) -> None:
        conn.close("gone")

    for prepare in (finish_pending, close):
        for target in (RemoteCap(ImportId(7)), RemotePromise(QuestionId(99), TRANSFORM)):
            fast = _outcome(target, (), prepare=prepare)
            general = _outcome(_general(target), (), prepare=prepare)
            assert fast == general
    finished = _outcome(RemotePromise(QuestionId(99), TRANSFORM), (), prepare=finish_pending)
    assert finished[0] is RpcError
    closed = _outcome(RemoteCap(ImportId(7)), (), prepare=close)
    assert closed[0] is Disconnected


def test_too_many_calls_fail_before_any_table_changes() -> None:
    for target in (RemoteCap(ImportId(7)), RemotePromise(QuestionId(99), TRANSFORM)):
        outcomes = []
        for t in (target, _general(target)):
            conn, pending = _connection_with_imports()
            conn._max_questions = len(conn.questions)
            if isinstance(t, RemotePromise):
                t = type(t)(pending, t.transform)
            with pytest.raises(RpcError) as info:
                conn.call(t, 1, 1)
            outcomes.append((str(info.value), _state(conn)))
        assert outcomes[0] == outcomes[1]


# --- encoding ---------------------------------------------------------------------------------


def _reference_fill(oc: OutgoingContent, c: Call) -> None:
    """The envelope of ``c`` written with the layout core's setters, allocating in the order
    the encoder allocates (the target's PromisedAnswer, its transform, the cap table)."""
    mb = oc.message
    seg = mb._segments[0]
    body = StructBuilder(mb, seg, *oc._body)
    body.set_uint64(0, c.question_id | c.method_id << 32 | (1 if c.send_results_to is SendResultsTo.YOURSELF else 0) << 48)
    body.set_uint64(1, c.interface_id)
    flags = c.allow_third_party_tail_call | c.no_promise_pipelining << 1 | c.only_promise_pipeline << 2
    if flags:
        body.set_uint64(2, flags)
    assert oc._target is not None
    target = StructBuilder(mb, seg, *oc._target)
    if isinstance(c.target, ImportedCapTarget):
        target.set_uint32(0, c.target.import_id)
    else:
        target.set_uint16(2, 1)
        _reference_promised(target.init_struct(0, 1, 1), c.target.promised_answer)
    table = c.params.cap_table
    if table:
        payload = StructBuilder(mb, seg, *oc._payload)
        items = payload.init_struct_list(1, len(table), 1, 1)
        for i, cap in enumerate(table):
            d = items.get_struct(i)
            if cap.attached_fd is not None:
                d.set_uint8(2, cap.attached_fd, 0xFF)
            if isinstance(cap, CapNone):
                continue
            if isinstance(cap, CapSenderHosted):
                d.set_uint16(0, 1)
                d.set_uint32(1, cap.export_id)
            elif isinstance(cap, CapSenderPromise):
                d.set_uint16(0, 2)
                d.set_uint32(1, cap.export_id)
            elif isinstance(cap, CapReceiverHosted):
                d.set_uint16(0, 3)
                d.set_uint32(1, cap.import_id)
            else:
                assert isinstance(cap, CapReceiverAnswer)
                d.set_uint16(0, 4)
                _reference_promised(d.init_struct(0, 1, 1), cap.promised_answer)


def _reference_promised(s: StructBuilder, pa: PromisedAnswer) -> None:
    s.set_uint32(0, pa.question_id)
    if pa.transform:
        ops = s.init_struct_list(0, len(pa.transform), 1, 0)
        for i, op in enumerate(pa.transform):
            if op.pointer_field is not None:
                one = ops.get_struct(i)
                one.set_uint16(0, 1)
                one.set_uint16(1, op.pointer_field)


def _in_place_call(target: Any, table: Tuple[CapDescriptor, ...], **flags: Any) -> Tuple[Call, OutgoingContent]:
    oc = OutgoingContent.for_call(1, 2)
    oc.struct.set_float64(0, 2.5)
    oc.struct.set_text(0, "params")
    call = Call(QuestionId(5), target, 0xFEDCBA9876543210, 7, Payload(oc, table), **flags)
    return call, oc


def _framed_reference(target: Any, table: Tuple[CapDescriptor, ...], **flags: Any) -> bytes:
    call, oc = _in_place_call(target, table, **flags)
    _reference_fill(oc, call)
    return codec._framed(oc.message)


LONG_TRANSFORM = tuple(PromisedAnswerOp(i % 5 if i % 3 else None) for i in range(40))

TARGETS = [
    ImportedCapTarget(ImportId(11)),
    PromisedAnswerTarget(PromisedAnswer(QuestionId(3), ())),
    PromisedAnswerTarget(PromisedAnswer(QuestionId(3), TRANSFORM)),
    PromisedAnswerTarget(PromisedAnswer(QuestionId(0xFFFFFFFF), LONG_TRANSFORM)),
]

TABLES: List[Tuple[CapDescriptor, ...]] = [
    (),
    (CapReceiverHosted(ImportId(4)),),
    (CapSenderHosted(ExportId(1)), CapSenderPromise(ExportId(2)), CapNone(), CapReceiverHosted(ImportId(0xFFFFFFFF))),
    (CapSenderHosted(ExportId(1), 3), CapNone(0), CapReceiverAnswer(PromisedAnswer(QuestionId(8), TRANSFORM), 7),
     CapReceiverHosted(ImportId(6))),
    tuple(CapReceiverAnswer(PromisedAnswer(QuestionId(i), LONG_TRANSFORM)) for i in range(12)),
]


@pytest.mark.parametrize("target", TARGETS, ids=["import", "promise", "transform", "long"])
@pytest.mark.parametrize("table", TABLES, ids=["none", "one", "ids", "fds", "many"])
@pytest.mark.parametrize("flags", [{}, {"send_results_to": SendResultsTo.YOURSELF, "no_promise_pipelining": True},
                                   {"allow_third_party_tail_call": True, "only_promise_pipeline": True}],
                         ids=["plain", "yourself", "flags"])
def test_a_call_built_in_place_has_the_bytes_of_the_setters(target: Any, table: Any, flags: Any) -> None:
    call, _ = _in_place_call(target, table, **flags)
    framed = codec.encode_framed(call)
    assert framed == _framed_reference(target, table, **flags)
    # And it reads back as the message it was made from.
    decoded = codec.decode(codec.encode_segments(_in_place_call(target, table, **flags)[0]))
    assert isinstance(decoded, Call)
    assert (decoded.question_id, decoded.target, decoded.interface_id, decoded.method_id, decoded.params.cap_table,
            decoded.send_results_to) == (call.question_id, call.target, call.interface_id, call.method_id, table,
                                         call.send_results_to)


BAD = [
    ("question id", lambda: Call(QuestionId(1 << 32), ImportedCapTarget(ImportId(1)), 1, 1)),
    ("method id", lambda: Call(QuestionId(1), ImportedCapTarget(ImportId(1)), 1, 1 << 16)),
    ("interface id", lambda: Call(QuestionId(1), ImportedCapTarget(ImportId(1)), 1 << 64, 1)),
    ("negative interface id", lambda: Call(QuestionId(1), ImportedCapTarget(ImportId(1)), -1, 1)),
    ("import id", lambda: Call(QuestionId(1), ImportedCapTarget(ImportId(1 << 32)), 1, 1)),
    ("promised question", lambda: Call(QuestionId(1), PromisedAnswerTarget(PromisedAnswer(QuestionId(-1))), 1, 1)),
    ("pointer index", lambda: Call(QuestionId(1), PromisedAnswerTarget(
        PromisedAnswer(QuestionId(1), (PromisedAnswerOp(1 << 16),))), 1, 1)),
    ("export id", lambda: Call(QuestionId(1), ImportedCapTarget(ImportId(1)), 1, 1, Payload(None, (
        CapSenderHosted(ExportId(1 << 32)),)))),
    ("cap import id", lambda: Call(QuestionId(1), ImportedCapTarget(ImportId(1)), 1, 1, Payload(None, (
        CapReceiverHosted(ImportId(-2)),)))),
    ("attached fd", lambda: Call(QuestionId(1), ImportedCapTarget(ImportId(1)), 1, 1, Payload(None, (
        CapSenderPromise(ExportId(1), 256),)))),
]


def _with_in_place_content(call: Call) -> Call:
    oc = OutgoingContent.for_call(1, 0)
    return Call(call.question_id, call.target, call.interface_id, call.method_id,
                Payload(oc, call.params.cap_table), call.send_results_to)


@pytest.mark.parametrize("name,make", BAD, ids=[b[0] for b in BAD])
def test_values_that_do_not_fit_fail_as_in_the_general_encoder(name: str, make: Any) -> None:
    with pytest.raises(EncodeError) as general:
        codec.encode_framed(make())  # no in-place content: the general encoder
    with pytest.raises(EncodeError) as fast:
        codec.encode_framed(_with_in_place_content(make()))
    if "interface id" in name:
        # Stored as a whole word in place, the error names the field rather than its width.
        assert str(fast.value).startswith(str(general.value).split(" in a u64 field")[0] + " as interface id")
    else:
        assert str(fast.value) == str(general.value)


@pytest.mark.parametrize("target", [LocalCap(OBJ), None, "nonsense"])
def test_a_target_that_is_not_the_peers_leaves_no_question(target: Any) -> None:
    conn, _pending = _connection_with_imports()
    before = _state(conn)
    with pytest.raises(TypeError, match="cannot call"):
        conn.call(target, 1, 1)
    assert _state(conn) == before


def test_a_reference_no_longer_held_is_an_rpc_error_and_changes_no_table() -> None:
    conn, pending = _connection_with_imports()
    conn.release(ImportId(9))
    conn.finish(pending)
    conn.messages_to_send()
    released = RemoteCap(ImportId(9))
    finished = RemotePromise(pending, TRANSFORM)
    attempts = [
        ("released or never existed", lambda: conn.call(released, 0x1234, 2)),
        ("released or never existed", lambda: conn.call(RemoteCap(ImportId(7)), 0x1234, 2, None, [released])),
        ("released or never existed", lambda: conn.release(ImportId(9))),
        ("is finished", lambda: conn.call(finished, 0x1234, 2)),
        ("is finished", lambda: conn.call(RemoteCap(ImportId(7)), 0x1234, 2, None, [finished])),
    ]
    before = _state(conn)
    for reason, attempt in attempts:
        with pytest.raises(RpcError, match=reason) as info:
            attempt()
        assert info.value.type == "FAILED"
        assert _state(conn) == before
