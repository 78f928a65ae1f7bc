"""The two-party Cap'n Proto RPC protocol as a sans-I/O state machine.

``RpcConnection`` takes decoded messages in (``receive``), returns events for
the application, and queues messages to send (``messages_to_send``).  It does
no I/O, never blocks and never calls application code, so its tables are
always consistent when control leaves it.

Invariants
==========

Tables.  Four tables, as in CapTP, plus embargoes, each in its own module:

* questions (ours; the peer's answers).  An entry lives from the Call or
  Bootstrap we send until *both* the peer's Return arrived and our Finish
  went out (or turned out unnecessary: ``noFinishNeeded``, or the peer echoed
  the question as Unimplemented).  Only then is the ID free again; IDs are
  allocated lowest-free-first.
* answers (the peer's questions).  An entry lives from the Call or Bootstrap
  we receive until both our Return went out and the peer's Finish came in.
  A Finish that arrives first is a cancellation: the application gets
  ``Cancelled`` and must still return, and we then send ``canceled``.
  Results that hold no capability go out with ``noFinishNeeded`` and the
  entry goes with them (nothing is left to release or to pipeline on); the
  ID is remembered until the peer reuses it or sends the Finish it may send
  anyway (ignored), and a call pipelined on it fails as a call on results
  without capabilities would.  At most ``_NO_FINISH_LIMIT`` IDs are kept so:
  beyond, answers wait for their Finish as before.
* exports.  One entry per object (found by the object's hashable handle),
  with the number of references the peer holds: +1 for every descriptor we
  send, minus every Release, every param cap of a Return with
  ``releaseParamCaps`` and every result cap of a Finish with
  ``releaseResultCaps``.  At zero the entry goes and ``ExportReleased`` tells
  the application.
* imports.  One entry per ID the peer exported to us, with the number of
  descriptors we received for it.  ``release(import_id)`` returns them all
  in one Release.  The peer may reuse the ID only after that Release.
* embargoes.  One entry per senderLoopback Disembargo we sent, until the
  peer echoes it as receiverLoopback.

Reference counting choices.  We always send ``releaseParamCaps=false`` and,
unless the application asks otherwise, ``releaseResultCaps=false``: imports
are released explicitly, which keeps one rule for every import.  We honour
both flags when the peer sets them.  A Finish sent before the Return always
says ``releaseResultCaps=false``, since the results it would refer to do not
exist yet; caps that arrive in such a late Return are released at once.

Direction of IDs.  Every ID in a message is typed from the sender's point of
view (``ids.py``).  A received ID is converted exactly once, at the top of the
handler for its message, e.g. ``AnswerId(call.question_id)``.

E-order.  When a promise we called through (an import, or a pipelined
transform of one of our questions) settles to one of our own objects, the
calls we sent are still travelling through the peer and back.  We then send
a senderLoopback Disembargo along the same path and report the embargo in the
``Resolved`` / ``ReturnReceived`` event; the application queues new calls to
that object until ``EmbargoLifted``.  As the receiver of a senderLoopback, the
target must be a promise of ours already resolved to a capability of the
peer; we echo it towards that capability.  The layer above must forward every
call it queued on a promise as soon as it calls ``resolve`` (before feeding
the next message to ``receive``), so echoes come after forwarded calls.

Protocol violations.  Anything the peer sends that breaks the protocol
(unknown or duplicate IDs, releasing more references than it holds, a Resolve
for a non-promise, a Disembargo for a bad target, a pointer index out of
range in a transform, an Unimplemented we cannot recover from, exceeding our
limits) queues an ``Abort`` with the reason (a transform that merely leads to
no capability fails the call that uses it, as in C++), marks the connection closed and raises
``ProtocolError`` from ``receive``; the application should flush
``messages_to_send`` and close the transport.  An ``Abort`` from the peer is
not an error of ours: ``receive`` returns ``ConnectionAborted``.  Once closed,
``receive`` ignores input and every sending method raises ``Disconnected``.
A sending method given a reference we no longer hold (an import released, a
question finished) raises ``RpcError`` and changes no table.

Level.  Levels 0 and 1 of the protocol in full.  Level 3 and 4 messages
(Provide, Accept, Join, the obsolete Save/Delete, unknown kinds, calls whose
results go to a third party, Disembargo for accept/provide) are answered with
``Unimplemented``; a third-party capability is used through its vine.
"""

from __future__ import annotations

import enum
from typing import Callable, Dict, Hashable, List, NoReturn, Optional, Sequence, Set, Tuple, Union

from ..errors import DecodeError, Disconnected, ProtocolError, RpcError
from .answers import Answer, AnswerState, AnswerTable
from .caps import InCap, LocalCap, LocalPipeline, OutCap, RemoteCap, RemotePromise
from .embargoes import EmbargoTable
from .events import (
    BootstrapRequested,
    CallReceived,
    CallTarget,
    Cancelled,
    ConnectionAborted,
    EmbargoLifted,
    Event,
    ExportReleased,
    Resolved,
    ReturnKind,
    ReturnReceived,
)
from .exports import ExportTable
from .ids import MAX_ID, AnswerId, EmbargoId, ExportId, ImportId, QuestionId
from .imports import Import, ImportTable
from .messages import (
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
    ExceptionType,
    Finish,
    ImportedCapTarget,
    Join,
    Message,
    MessageTarget,
    ObsoleteDelete,
    ObsoleteSave,
    Payload,
    PromisedAnswer,
    PromisedAnswerTarget,
    Provide,
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
    Transform,
    Unimplemented,
    UnknownMessage,
)
from .questions import Question, QuestionState, QuestionTable

__all__ = ["CapExtractor", "default_extractor", "ConnectionState", "RpcConnection"]

CapExtractor = Callable[[object, Transform], Optional[int]]
"""Follows a transform through payload content to a capability pointer.

Returns the pointer's index into the payload's cap table, ``None`` for a null
pointer, and raises ``DecodeError`` (or ``ValueError``) when the transform
does not fit the content.  Only the layer above understands content, so it
supplies this function.
"""


def default_extractor(content: object, transform: Transform) -> Optional[int]:
    """Understands only ``CapPointer`` content (bootstrap results) and no-op transforms."""
    if any(not op.is_noop for op in transform):
        raise DecodeError("cannot follow a getPointerField transform through opaque content")
    if isinstance(content, CapPointer):
        return content.index
    if content is None:
        return None
    raise DecodeError("payload content is not a capability pointer")


# Finish messages (without releaseResultCaps) by question ID: one per call, immutable, and IDs
# are reused lowest-free-first, so a few hundred serve every connection.
_FINISHES: Dict[QuestionId, Finish] = {}
_FINISH_CACHE_IDS = 1024
# Answer IDs remembered after a Return with noFinishNeeded (see the top), at most.
_NO_FINISH_LIMIT = 1024


class ConnectionState(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"  # aborted by either side; nothing more is sent or received


class _Violation(Exception):
    """Internal: the peer broke the protocol; ``receive`` turns this into an Abort."""


class _Overrun(_Violation):
    """Internal: the peer went past a resource limit the protocol does not set (an Abort too,
    of type ``overloaded``: the peer did nothing wrong by the spec, only too much of it)."""


def _transform_order(transform: Transform) -> List[int]:
    """Pipelined transforms embargoed in a stable order: by their pointer indexes."""
    return [-1 if op.pointer_field is None else op.pointer_field for op in transform]


def _broken(reason: str, kind: ExceptionType = ExceptionType.FAILED) -> RpcException:
    return RpcException(reason, kind)


class RpcConnection:
    """One end of a two-party RPC connection (see the module docstring for the rules)."""

    def __init__(
        self,
        *,
        bootstrap: Optional[Hashable] = None,
        extract_cap: CapExtractor = default_extractor,
        max_questions: int = 1024,
        max_answers: int = 1024,
        max_unfinished: int = 1 << 16,
        max_imports: int = 4096,
    ) -> None:
        self.questions = QuestionTable()
        self.answers = AnswerTable()
        # Answers returned with noFinishNeeded, whose Finish may still come (see the top).
        self._no_finish: Set[AnswerId] = set()
        self.exports = ExportTable()
        self.imports = ImportTable()
        self.embargoes = EmbargoTable()
        self.state = ConnectionState.OPEN
        # When set, Bootstrap requests are answered with this object at once.
        self._bootstrap = bootstrap
        self._extract_cap = extract_cap
        self._max_questions = max_questions  # our calls in flight
        self._max_answers = max_answers  # the peer's calls in flight; beyond: overloaded
        # Answers kept for the peer's Finish, at most (a peer that never finishes must not grow
        # the table without bound; one that finishes late, as after a burst, must not hit it).
        self._max_unfinished = max(max_unfinished, max_answers)
        self._running = 0  # answers whose method has not returned (see _new_answer)
        self.max_imports = max_imports  # distinct capabilities the peer may make us hold
        # Messages queued for the transport, in order.  The list object stays the same for the
        # connection's life, so the layer above may keep it to read its length (``queued``)
        # without a call; only the connection changes it.
        self.outbox: List[Message] = []
        # Resolves for broken promises exported afresh; they must follow the
        # message that carries the promise, so _send flushes them after it.
        self._pending_resolves: List[Resolve] = []
        self._events: List[Event] = []  # events gathered during one receive()

    # --- Output -------------------------------------------------------------------------------

    def messages_to_send(self) -> List[Message]:
        """Take every queued outgoing message, oldest first."""
        outbox = self.outbox
        out = outbox[:]
        outbox.clear()
        return out

    @property
    def queued(self) -> int:
        """How many outgoing messages wait for ``messages_to_send``."""
        return len(self.outbox)

    def _send(self, message: Message) -> None:
        self.outbox.append(message)
        if self._pending_resolves:
            self.outbox.extend(self._pending_resolves)
            self._pending_resolves = []

    # --- Input --------------------------------------------------------------------------------

    def receive(self, message: Message) -> List[Event]:
        """Process one message from the peer; return what the application must do.

        Raises ``ProtocolError`` (after queuing an ``Abort``) when the peer
        broke the protocol.
        """
        return self._receiving(self._dispatch, message)

    def receive_call(self, question_id: QuestionId, target: MessageTarget, interface_id: int, method_id: int,
                     content: object, cap_table: Tuple[CapDescriptor, ...], results_to_yourself: bool,
                     allow_third_party_tail_call: bool = False, no_promise_pipelining: bool = False,
                     only_promise_pipeline: bool = False) -> List[Event]:
        """``receive`` of the Call with these fields (its results to the caller, or to stay
        here), for a decoder that read them without making the message (``codec.decode_plain``).
        The tables and events are exactly those of ``receive``; ``allow_third_party_tail_call``
        is taken (it is one of the decoded fields) and ignored, as for a Call message."""
        return self._receiving(self._call_arrived, AnswerId(question_id), target, interface_id, method_id,
                               content, cap_table, results_to_yourself, no_promise_pipelining,
                               only_promise_pipeline)

    def receive_results(self, answer_id: AnswerId, content: object, cap_table: Tuple[CapDescriptor, ...],
                        release_param_caps: bool = True, no_finish_needed: bool = False) -> List[Event]:
        """``receive`` of the results Return with these fields (see ``receive_call``)."""
        return self._receiving(self._plain_results, answer_id, content, cap_table, release_param_caps,
                               no_finish_needed)

    def _plain_results(self, answer_id: AnswerId, content: object, cap_table: Tuple[CapDescriptor, ...],
                       release_param_caps: bool, no_finish_needed: bool) -> None:
        question = self._returned_question(QuestionId(answer_id), release_param_caps, no_finish_needed)
        self._results_arrived(question, content, cap_table)

    def _receiving(self, step: Callable[..., None], *args: object) -> List[Event]:
        """Run ``step`` on something received: the events it made, or the violation raised."""
        if self.state is ConnectionState.CLOSED:
            return []
        self._events = []
        try:
            step(*args)
        except _Violation as violation:
            self._violated(violation)
        events, self._events = self._events, []
        return events

    def _violated(self, violation: _Violation) -> NoReturn:
        reason = str(violation)
        self._shut_down()
        if isinstance(violation, _Overrun):
            self._send(Abort(_broken(f"resource limit: {reason}", ExceptionType.OVERLOADED)))
        else:
            self._send(Abort(_broken(f"protocol violation: {reason}")))
        raise ProtocolError(reason) from None

    def _dispatch(self, message: Message) -> None:
        if isinstance(message, Call):
            self._on_call(message)
        elif isinstance(message, Return):
            self._on_return(message)
        elif isinstance(message, Finish):
            self._on_finish(message)
        elif isinstance(message, Bootstrap):
            self._on_bootstrap(message)
        elif isinstance(message, Release):
            self._on_release(message)
        elif isinstance(message, Resolve):
            self._on_resolve(message)
        elif isinstance(message, Disembargo):
            self._on_disembargo(message)
        elif isinstance(message, Abort):
            self._shut_down()
            self._events.append(ConnectionAborted(message.exception))
        elif isinstance(message, Unimplemented):
            self._on_unimplemented(message.message)
        elif isinstance(message, (Provide, Accept, Join, ObsoleteSave, ObsoleteDelete, UnknownMessage)):
            self._send(Unimplemented(message))
        else:
            raise _Violation(f"not an RPC message: {type(message).__name__}")

    # --- Incoming calls -----------------------------------------------------------------------

    def _new_answer(self, aid: AnswerId, *, is_bootstrap: bool = False) -> Optional[Answer]:
        """Make an answer entry; None when over the limit (answered ``overloaded`` already)."""
        answers = self.answers
        if answers.get(aid) is not None:
            raise _Violation(f"question {aid} is already in use")
        self._no_finish.discard(aid)  # reused: any Finish for its earlier use came before
        if len(answers) >= self._max_unfinished:
            raise _Overrun(f"more than {self._max_unfinished} calls not finished")
        entry = answers.new(aid, is_bootstrap=is_bootstrap)
        if self._running >= self._max_answers:
            # Calls whose method still runs are what the limit counts; answers only waiting for
            # their Finish cost a table entry, bounded above.
            entry.state = AnswerState.RETURNED
            self._send(Return(aid, ReturnException(_broken("too many calls in flight", ExceptionType.OVERLOADED))))
            return None
        self._running += 1  # until its return: every path there passes _owed_answer, once
        return entry

    def _on_bootstrap(self, message: Bootstrap) -> None:
        aid = AnswerId(message.question_id)
        entry = self._new_answer(aid, is_bootstrap=True)
        if entry is None:
            return
        if self._bootstrap is not None:
            self.return_bootstrap(aid, LocalCap(self._bootstrap))
        else:
            self._events.append(BootstrapRequested(aid))

    def _on_call(self, call: Call) -> None:
        aid = AnswerId(call.question_id)
        if call.send_results_to is SendResultsTo.THIRD_PARTY:
            if aid in self.answers:
                raise _Violation(f"question {aid} is already in use")
            self._send(Unimplemented(call))  # level 3; the caller fails the question
            return
        params = call.params
        self._call_arrived(aid, call.target, call.interface_id, call.method_id, params.content, params.cap_table,
                           call.send_results_to is SendResultsTo.YOURSELF, call.no_promise_pipelining,
                           call.only_promise_pipeline)

    def _call_arrived(self, aid: AnswerId, wire_target: MessageTarget, interface_id: int, method_id: int,
                      content: object, table: Tuple[CapDescriptor, ...], results_to_yourself: bool,
                      no_promise_pipelining: bool, only_promise_pipeline: bool) -> None:
        """A Call whose results go to the caller or stay here (sendResultsTo.yourself)."""
        target = self._incoming_target(wire_target)
        entry = self._new_answer(aid)
        if entry is None:
            return  # answered overloaded; the params were never imported (releaseParamCaps)
        entry.results_to_yourself = results_to_yourself
        if isinstance(target, RpcException):
            self._finish_answer_with_exception(entry, target)
            return
        caps = self._import_payload_caps(table, []) if table else ()
        if caps:
            self._held_again(caps)
        self._events.append(
            CallReceived(
                aid,
                target,
                interface_id,
                method_id,
                content,
                caps,
                results_to_yourself=results_to_yourself,
                no_promise_pipelining=no_promise_pipelining,
                only_promise_pipeline=only_promise_pipeline,
            )
        )

    def _finish_answer_with_exception(self, entry: Answer, exc: RpcException) -> None:
        """Answer a call the connection can fail by itself (broken or null target)."""
        self._running -= 1
        entry.state = AnswerState.RETURNED
        entry.result_exception = exc
        body: Union[ReturnException, ReturnResultsSentElsewhere] = ReturnException(exc)
        if entry.results_to_yourself:
            body = ReturnResultsSentElsewhere()
        # The params were not imported, so the peer may release them itself.
        self._send(Return(entry.id, body, release_param_caps=True))

    def _incoming_target(self, target: MessageTarget) -> Union[CallTarget, RpcException]:
        """Where a call or pipelined reference from the peer goes, or why it fails."""
        if isinstance(target, ImportedCapTarget):
            export = self.exports.get(ExportId(target.import_id))
            if export is None:
                raise _Violation(f"call to unknown export {target.import_id}")
            if not export.resolved:
                local = export.as_target
                if local is None:
                    local = export.as_target = LocalCap(export.obj, export.promise)
                return local
            resolution = export.resolution
            if isinstance(resolution, RpcException):
                return resolution
            if resolution is None:
                return _broken("promise resolved to a null capability")
            return resolution
        if isinstance(target, PromisedAnswerTarget):
            pa = target.promised_answer
            answer = self._pipelined_answer(AnswerId(pa.question_id))
            if answer is None:
                self._check_transform(pa.transform)
                return _broken("pipelined call on results that hold no capability")
            if answer.state is AnswerState.PENDING:
                self._check_transform(pa.transform)
                return LocalPipeline(answer.id, pa.transform)
            if answer.tail_question is not None:
                # A tail call's results stay with the peer (our question there has
                # sendResultsTo.yourself): calls pipelined on our answer follow them, as
                # calls pipelined on that question.
                self._check_transform(pa.transform)
                return RemotePromise(answer.tail_question, pa.transform)
            cap = self._answer_cap(answer, pa.transform)
            if isinstance(cap, RpcException):
                return cap
            if cap is None:
                return _broken("call on a null capability")
            return cap
        raise _Violation(f"bad message target {type(target).__name__}")

    def _pipelined_answer(self, aid: AnswerId) -> Optional[Answer]:
        """The answer a pipelined call or a receiverAnswer names; None when it was returned
        with noFinishNeeded (its results held no capability: the peer may still have named it
        before that Return reached it)."""
        if aid in self._no_finish:
            return None
        return self._live_answer(aid)

    def _live_answer(self, aid: AnswerId) -> Answer:
        answer = self.answers.get(aid)
        if answer is None:
            raise _Violation(f"promised answer names unknown question {aid}")
        if answer.state is AnswerState.CANCELLED:
            raise _Violation(f"promised answer names question {aid} after its Finish")
        return answer

    @staticmethod
    def _check_transform(transform: Transform) -> None:
        for op in transform:
            if op.pointer_field is not None and not 0 <= op.pointer_field <= 0xFFFF:
                raise _Violation(f"bad pointer index {op.pointer_field} in transform")

    def _answer_cap(self, answer: Answer, transform: Transform) -> Union[OutCap, RpcException]:
        """The capability a transform selects from a returned answer."""
        self._check_transform(transform)
        if answer.result_exception is not None:
            return answer.result_exception
        if answer.is_bootstrap and not any(not op.is_noop for op in transform):
            return answer.result_caps[0] if answer.result_caps else None
        try:
            index = self._extract_cap(answer.result_content, transform)
        except (DecodeError, ValueError) as exc:
            # A path that leads to no capability fails what uses it (a call, a Disembargo),
            # as in C++; the connection goes on.
            return _broken(f"invalid pipeline transform for question {answer.id}: {exc}")
        if index is None or not 0 <= index < len(answer.result_caps):
            return None
        return answer.result_caps[index]

    # --- Capability tables in payloads --------------------------------------------------------

    def _import_payload_caps(
        self, table: Sequence[CapDescriptor], imported: List[ImportId]
    ) -> Tuple[InCap, ...]:
        if not table:
            return ()
        return tuple([self._import_cap(desc, imported) for desc in table])

    def _import_cap(self, desc: CapDescriptor, imported: List[ImportId]) -> InCap:
        """Turn a received descriptor into a reference, counting the imports it adds."""
        if isinstance(desc, CapNone):
            return None
        if isinstance(desc, (CapSenderHosted, CapSenderPromise, CapThirdPartyHosted)):
            # A third-party capability is used through its vine, as level 1 allows.
            eid = desc.vine_id if isinstance(desc, CapThirdPartyHosted) else desc.export_id
            promise = isinstance(desc, CapSenderPromise)
            iid = ImportId(eid)
            entry = self.imports.get(iid)
            if entry is None:
                if len(self.imports) >= self.max_imports:
                    raise _Violation("too many imported capabilities")
                entry = self.imports.new(iid, promise)
            elif entry.promise != promise:
                raise _Violation(f"export {eid} changed between promise and settled capability")
            entry.wire_refs += 1
            imported.append(iid)
            return RemoteCap(iid, promise)
        if isinstance(desc, CapReceiverHosted):
            export = self.exports.get(ExportId(desc.import_id))
            if export is None:
                raise _Violation(f"receiverHosted names unknown export {desc.import_id}")
            return LocalCap(export.obj, export.promise)
        if isinstance(desc, CapReceiverAnswer):
            pa = desc.promised_answer
            answer = self._pipelined_answer(AnswerId(pa.question_id))
            self._check_transform(pa.transform)
            if answer is None:
                return None  # results without capabilities: a null one
            if answer.state is AnswerState.RETURNED:
                cap = self._answer_cap(answer, pa.transform)
                # No capability there (a null field, or the call failed): a null one.
                return cap if isinstance(cap, (LocalCap, RemoteCap)) else None
            return LocalPipeline(answer.id, pa.transform)
        raise _Violation(f"bad capability descriptor {type(desc).__name__}")

    def _export_payload_caps(
        self, caps: Sequence[OutCap], exported: List[ExportId]
    ) -> Tuple[CapDescriptor, ...]:
        if not caps:
            return ()
        return tuple([self._export_cap(cap, exported) for cap in caps])

    def _check_out_caps(self, caps: Sequence[OutCap]) -> None:
        """Refuse a bad reference from the application before any table changes."""
        for cap in caps:
            if cap is None or isinstance(cap, LocalCap):
                continue
            if isinstance(cap, RemoteCap):
                if self.imports.get(cap.import_id) is None:
                    raise RpcError(f"import {cap.import_id} was released or never existed", "failed")
            elif isinstance(cap, RemotePromise):
                question = self.questions.get(cap.question_id)
                if question is None or question.state is QuestionState.FINISHED:
                    raise RpcError(f"question {cap.question_id} is finished", "failed")
            else:
                raise TypeError(f"not a capability reference: {cap!r}")

    def _export_cap(self, cap: OutCap, exported: List[ExportId]) -> CapDescriptor:
        """Describe a reference we send, counting the export references it adds."""
        if cap is None:
            return CapNone()
        if isinstance(cap, LocalCap):
            entry = self.exports.find(cap.obj)
            if entry is not None and entry.resolved:
                resolution = entry.resolution
                if not isinstance(resolution, RpcException):
                    # A settled promise is never sent again under its old ID.
                    return self._export_cap(resolution, exported)
                # Broken: a fresh promise, broken again right after this message.
                entry = self.exports.new(cap.obj, promise=True, shared=False)
                entry.resolved = True
                entry.resolution = resolution
                self._pending_resolves.append(Resolve(entry.id, ResolveException(resolution)))
            elif entry is None:
                entry = self.exports.new(cap.obj, promise=cap.promise)
            entry.refcount += 1
            exported.append(entry.id)
            if entry.promise:
                return CapSenderPromise(entry.id)
            return CapSenderHosted(entry.id)
        if isinstance(cap, RemoteCap):
            if self.imports.get(cap.import_id) is None:
                raise RpcError(f"import {cap.import_id} was released or never existed", "failed")
            return CapReceiverHosted(cap.import_id)
        if isinstance(cap, RemotePromise):
            question = self.questions.get(cap.question_id)
            if question is None or question.state is QuestionState.FINISHED:
                raise RpcError(f"question {cap.question_id} is finished", "failed")
            return CapReceiverAnswer(PromisedAnswer(cap.question_id, cap.transform))
        raise TypeError(f"not a capability reference: {cap!r}")

    def _release_exports(self, export_ids: Sequence[ExportId]) -> None:
        """Implicit releases (releaseParamCaps, releaseResultCaps): never more than held."""
        for eid in export_ids:
            self._drop_export_refs(eid, 1, strict=False)

    def _drop_export_refs(self, eid: ExportId, count: int, *, strict: bool) -> None:
        entry = self.exports.get(eid)
        if entry is None or count > entry.refcount:
            if strict:
                raise _Violation(f"release of {count} references to export {eid}, which has "
                                 f"{0 if entry is None else entry.refcount}")
            if entry is None:
                return
            count = entry.refcount
        entry.refcount -= count
        if entry.refcount == 0:
            self.exports.remove(eid)
            self._events.append(ExportReleased(entry.obj))

    def _drop_import_refs(self, import_ids: Sequence[ImportId], *, send_release: bool) -> None:
        """Give back references counted in a payload (without or with a Release)."""
        counts: dict[ImportId, int] = {}
        for iid in import_ids:
            counts[iid] = counts.get(iid, 0) + 1
        for iid, count in counts.items():
            entry = self.imports.get(iid)
            if entry is None:
                continue
            count = min(count, entry.wire_refs)
            entry.wire_refs -= count
            if send_release and count:
                self._send(Release(iid, count))
            if entry.wire_refs == 0 and not entry.pins:  # a pinned entry goes at its unpinning
                self.imports.remove(iid)

    # --- Returns ------------------------------------------------------------------------------

    def _returned_question(self, qid: QuestionId, release_param_caps: bool, no_finish_needed: bool) -> Question:
        """The question a Return answers, with what every Return does to it done."""
        question = self.questions.get(qid)
        if question is None or question.state is QuestionState.RETURNED:
            raise _Violation(f"Return for unknown question {qid}")
        if release_param_caps and question.param_exports:
            self._release_exports(question.param_exports)
        question.param_exports = ()
        if no_finish_needed:
            question.finish_needed = False
        return question

    def _on_return(self, message: Return) -> None:
        qid = QuestionId(message.answer_id)
        question = self._returned_question(qid, message.release_param_caps, message.no_finish_needed)
        body = message.body
        imported: List[ImportId] = []
        event: Optional[ReturnReceived] = None
        if isinstance(body, ReturnResults):
            self._results_arrived(question, body.payload.content, body.payload.cap_table)
            return
        if isinstance(body, ReturnException):
            event = ReturnReceived(qid, ReturnKind.EXCEPTION, exception=body.exception)
        elif isinstance(body, ReturnCanceled):
            event = ReturnReceived(qid, ReturnKind.CANCELED)
        elif isinstance(body, ReturnResultsSentElsewhere):
            if not question.results_to_yourself:
                raise _Violation(f"resultsSentElsewhere for question {qid}, which asked for its results")
            event = ReturnReceived(qid, ReturnKind.RESULTS_SENT_ELSEWHERE)
        elif isinstance(body, ReturnTakeFromOtherQuestion):
            aid = AnswerId(body.question_id)
            answer = self.answers.get(aid)
            if answer is None or not answer.results_to_yourself or answer.taken:
                raise _Violation(f"takeFromOtherQuestion names question {aid}, which holds no results for it")
            answer.taken = True
            event = ReturnReceived(qid, ReturnKind.TAKE_FROM_OTHER_QUESTION, take_from_answer=aid)
        elif isinstance(body, ReturnAcceptFromThirdParty):
            raise _Violation("acceptFromThirdParty, although we never allow third-party tail calls")
        else:
            raise _Violation(f"bad Return body {type(body).__name__}")
        self._deliver_return(question, imported, event)

    def _results_arrived(self, question: Question, content: object, table: Tuple[CapDescriptor, ...]) -> None:
        qid = question.id
        if question.results_to_yourself:
            raise _Violation(f"results for question {qid}, whose results were to stay with the peer")
        imported: List[ImportId] = []
        caps = self._import_payload_caps(table, imported) if table else ()
        embargoes = self._embargoes_for_results(question, Payload(content, table)) if question.pipelined else ()
        self._deliver_return(question, imported, ReturnReceived(qid, ReturnKind.RESULTS, content, caps,
                                                                embargoes=embargoes))

    def _deliver_return(self, question: Question, imported: List[ImportId], event: ReturnReceived) -> None:
        qid = question.id
        question.result_imports = imported
        if question.state is QuestionState.FINISHED or question.tail_of is not None:
            # Nobody waits for these results: give back what they carried.
            self._drop_import_refs(imported, send_release=True)
            question.result_imports = ()
            if question.state is QuestionState.FINISHED:
                self.questions.remove(qid)
                return
            question.state = QuestionState.RETURNED
            return
        question.state = QuestionState.RETURNED
        if event.caps:
            self._held_again(event.caps)
        self._events.append(event)

    def _embargoes_for_results(self, question: Question, payload: Payload) -> Tuple[Tuple[Transform, EmbargoId], ...]:
        """Disembargo every pipelined transform whose capability turned out to be ours."""
        out: List[Tuple[Transform, EmbargoId]] = []
        pipelined = question.pipelined
        if not pipelined or not any(isinstance(c, (CapReceiverHosted, CapReceiverAnswer)) for c in payload.cap_table):
            return ()  # no capability of ours came back: nothing to embargo
        if len(pipelined) > 1:
            pipelined = sorted(pipelined, key=_transform_order)  # type: ignore[assignment]
        for transform in pipelined:
            try:
                if question.is_bootstrap and all(op.is_noop for op in transform):
                    index: Optional[int] = 0
                else:
                    index = self._extract_cap(payload.content, transform)
            except (DecodeError, ValueError):
                continue  # the pipelined calls fail at the peer; nothing to keep in order
            if index is None or not 0 <= index < len(payload.cap_table):
                continue
            if isinstance(payload.cap_table[index], (CapReceiverHosted, CapReceiverAnswer)):
                target = PromisedAnswerTarget(PromisedAnswer(question.id, transform))
                out.append((transform, self._start_embargo(target)))
        return tuple(out)

    def _start_embargo(self, target: MessageTarget) -> EmbargoId:
        embargo = self.embargoes.new(target)
        self._send(Disembargo(target, DisembargoContext.SENDER_LOOPBACK, embargo.id))
        return embargo.id

    # --- Finish, Release ----------------------------------------------------------------------

    def _on_finish(self, message: Finish) -> None:
        aid = AnswerId(message.question_id)
        answer = self.answers.get(aid)
        if answer is None and aid in self._no_finish:
            self._no_finish.discard(aid)  # not needed, and harmless
            return
        if answer is None or answer.state is AnswerState.CANCELLED:
            raise _Violation(f"Finish for unknown question {aid}")
        if answer.state is AnswerState.PENDING:
            answer.state = AnswerState.CANCELLED
            self._events.append(Cancelled(aid))
            return
        if message.release_result_caps:
            self._release_exports(answer.result_exports)
        answer.result_exports = []
        self.answers.remove(aid)
        self._unpin_imports(answer.result_caps)
        if answer.tail_question is not None:
            self._finish_question(answer.tail_question, release_result_caps=False)

    def _on_release(self, message: Release) -> None:
        if message.reference_count == 0:
            if self.exports.get(ExportId(message.id)) is None:
                raise _Violation(f"Release of unknown export {message.id}")
            return
        self._drop_export_refs(ExportId(message.id), message.reference_count, strict=True)

    # --- Resolve, Disembargo ------------------------------------------------------------------

    def _on_resolve(self, message: Resolve) -> None:
        iid = ImportId(message.promise_id)
        entry = self.imports.get(iid)
        resolution = message.resolution
        if entry is None:
            # We released the promise before the Resolve arrived: release the
            # capability it resolved to as well.
            if isinstance(resolution, ResolveCap):
                imported: List[ImportId] = []
                self._import_cap(resolution.cap, imported)
                self._drop_import_refs(imported, send_release=True)
            return
        if not entry.promise:
            raise _Violation(f"Resolve for import {iid}, which is not a promise")
        if entry.resolved:
            raise _Violation(f"second Resolve for import {iid}")
        entry.resolved = True
        if isinstance(resolution, ResolveException):
            self._events.append(Resolved(iid, exception=resolution.exception))
            return
        if not isinstance(resolution, ResolveCap):
            raise _Violation("bad Resolve body")
        cap = self._import_cap(resolution.cap, [])
        embargo: Optional[EmbargoId] = None
        if entry.calls_sent and isinstance(resolution.cap, (CapReceiverHosted, CapReceiverAnswer)):
            embargo = self._start_embargo(ImportedCapTarget(iid))
        self._held_again((cap,))
        self._events.append(Resolved(iid, cap, embargo=embargo))

    def _on_disembargo(self, message: Disembargo) -> None:
        if message.context is DisembargoContext.RECEIVER_LOOPBACK:
            embargo = self.embargoes.get(message.embargo_id)
            if embargo is None:
                raise _Violation(f"Disembargo echoes unknown embargo {message.value}")
            self.embargoes.remove(embargo.id)
            self._events.append(EmbargoLifted(embargo.id))
            return
        if message.context is not DisembargoContext.SENDER_LOOPBACK:
            self._send(Unimplemented(message))  # accept / provide: level 3
            return
        if not 0 <= message.value <= MAX_ID:
            raise _Violation("embargo ID out of range")
        resolved = self._disembargo_target(message.target)
        if isinstance(resolved, RemoteCap):
            back: MessageTarget = ImportedCapTarget(resolved.import_id)
        else:
            back = PromisedAnswerTarget(PromisedAnswer(resolved.question_id, resolved.transform))
        self._send(Disembargo(back, DisembargoContext.RECEIVER_LOOPBACK, message.value))

    def _disembargo_target(self, target: MessageTarget) -> Union[RemoteCap, RemotePromise]:
        """A senderLoopback target must be a settled promise of ours pointing back at the peer."""
        resolved: Union[OutCap, RpcException]
        if isinstance(target, ImportedCapTarget):
            export = self.exports.get(ExportId(target.import_id))
            if export is None or not export.promise or not export.resolved:
                raise _Violation(f"Disembargo for export {target.import_id}, which is no settled promise")
            resolved = export.resolution
        elif isinstance(target, PromisedAnswerTarget):
            pa = target.promised_answer
            answer = self._live_answer(AnswerId(pa.question_id))
            if answer.state is not AnswerState.RETURNED or answer.results_to_yourself:
                raise _Violation(f"Disembargo for question {answer.id}, which has not returned")
            resolved = self._answer_cap(answer, pa.transform)
        else:
            raise _Violation(f"bad message target {type(target).__name__}")
        if isinstance(resolved, RemoteCap):
            if self.imports.get(resolved.import_id) is None:
                raise _Violation("Disembargo target resolves to a released capability")
            return resolved
        if isinstance(resolved, RemotePromise):
            return resolved
        raise _Violation("Disembargo target does not resolve back to the sender")

    # --- Unimplemented ------------------------------------------------------------------------

    def _on_unimplemented(self, original: Message) -> None:
        """The peer echoed one of our messages: undo what it would have done, or give up."""
        if isinstance(original, Resolve):
            cap = original.resolution.cap if isinstance(original.resolution, ResolveCap) else None
            if isinstance(cap, (CapSenderHosted, CapSenderPromise)):
                self._drop_export_refs(cap.export_id, 1, strict=False)
            return
        if isinstance(original, Release):
            return  # the peer cannot release anything anyway
        if isinstance(original, (Call, Bootstrap)):
            qid = original.question_id
            question = self.questions.get(qid)
            if question is None or question.state is QuestionState.RETURNED:
                raise _Violation(f"Unimplemented echoes unknown question {qid}")
            # The peer never imported our params nor made an answer entry.
            self._release_exports(question.param_exports)
            question.param_exports = ()
            question.finish_needed = False
            was_finished = question.state is QuestionState.FINISHED
            self.questions.remove(qid)
            if not was_finished and question.tail_of is None:
                self._events.append(
                    ReturnReceived(
                        qid,
                        ReturnKind.EXCEPTION,
                        exception=_broken("peer does not implement this request", ExceptionType.UNIMPLEMENTED),
                    )
                )
            return
        raise _Violation(f"peer does not implement {type(original).__name__}")

    # --- Shutdown -----------------------------------------------------------------------------

    def _shut_down(self) -> None:
        self.state = ConnectionState.CLOSED
        self.questions.clear()
        self.answers.clear()
        self._running = 0
        self._no_finish.clear()
        self.exports.clear()
        self.imports.clear()
        self.embargoes.clear()

    def close(self, reason: str = "connection closed") -> None:
        """Abort the connection from our side; queue the Abort for the peer."""
        if self.state is ConnectionState.CLOSED:
            return
        self._shut_down()
        self._send(Abort(_broken(reason, ExceptionType.DISCONNECTED)))

    def _check_open(self) -> None:
        if self.state is ConnectionState.CLOSED:
            raise Disconnected("the RPC connection is closed")

    # --- Questions we ask ---------------------------------------------------------------------

    def _new_question(self, *, is_bootstrap: bool = False) -> Question:
        if len(self.questions) >= self._max_questions:
            raise RpcError("too many calls in flight", "overloaded")
        return self.questions.new(is_bootstrap=is_bootstrap)

    def bootstrap(self) -> QuestionId:
        """Ask for the peer's bootstrap capability: ``RemotePromise(question_id)`` until it returns."""
        self._check_open()
        question = self._new_question(is_bootstrap=True)
        self._send(Bootstrap(question.id))
        return question.id

    def _called(self, target: Union[RemoteCap, RemotePromise]) -> Union[Import, Question]:
        """The import or question a call's target names, checked; nothing is recorded yet, so
        a refused call leaves every table as it was."""
        if type(target) is RemoteCap or isinstance(target, RemoteCap):
            entry = self.imports.get(target.import_id)
            if entry is None:
                raise RpcError(f"import {target.import_id} was released or never existed", "failed")
            return entry
        if isinstance(target, RemotePromise):
            asked = self.questions.get(target.question_id)
            if asked is None or asked.state is QuestionState.FINISHED:
                raise RpcError(f"question {target.question_id} is finished", "failed")
            return asked
        raise TypeError(f"cannot call {target!r} through the connection")

    @staticmethod
    def _record_call_on(target: Union[RemoteCap, RemotePromise], found: Union[Import, Question]
                        ) -> MessageTarget:
        """Count a call made on ``found`` (see _called) and name its target on the wire."""
        if isinstance(found, Question):
            transform = target.transform  # type: ignore[union-attr]
            if found.pipelined is None:
                found.pipelined = set()
            found.pipelined.add(transform)
            return PromisedAnswerTarget(PromisedAnswer(found.id, transform))
        found.calls_sent += 1
        wire = found.as_target
        if wire is None:
            wire = found.as_target = ImportedCapTarget(found.id)
        return wire

    def call(
        self,
        target: Union[RemoteCap, RemotePromise],
        interface_id: int,
        method_id: int,
        content: object = None,
        caps: Sequence[OutCap] = (),
        *,
        results_to_yourself: bool = False,
        no_promise_pipelining: bool = False,
        only_promise_pipeline: bool = False,
    ) -> QuestionId:
        """Call a method on a capability of the peer; returns the new question's ID.

        ``only_promise_pipeline`` is passed on as a hint; the question still
        waits for its Return like any other.
        """
        if self.state is ConnectionState.CLOSED:
            raise Disconnected("the RPC connection is closed")
        found = self._called(target)
        if caps:
            self._check_out_caps(caps)
        question = self._new_question()
        wire_target = self._record_call_on(target, found)
        exported: List[ExportId] = []
        table = self._export_payload_caps(caps, exported) if caps else ()
        if exported:
            question.param_exports = exported
        question.results_to_yourself = results_to_yourself
        self._send(
            Call(
                question.id,
                wire_target,
                interface_id,
                method_id,
                Payload(content, table),
                SendResultsTo.YOURSELF if results_to_yourself else SendResultsTo.CALLER,
                no_promise_pipelining=no_promise_pipelining,
                only_promise_pipeline=only_promise_pipeline,
            )
        )
        return question.id

    def finish(self, question_id: QuestionId, *, release_result_caps: bool = False) -> None:
        """We are done with a question: no more pipelining on it; cancel it if it is running.

        With ``release_result_caps`` (only meaningful once it returned) the
        references received in the results are given back by the Finish
        itself instead of by ``release``.
        """
        if self.state is ConnectionState.CLOSED:
            raise Disconnected("the RPC connection is closed")
        question = self.questions.get(question_id)
        if question is None or question.state is QuestionState.FINISHED:
            raise ValueError(f"question {question_id} is not outstanding")
        if question.tail_of is not None:
            raise ValueError(f"question {question_id} is a tail call the connection finishes")
        self._finish_question(question_id, release_result_caps=release_result_caps, question=question)

    def _finish_question(self, question_id: QuestionId, *, release_result_caps: bool,
                         question: Optional[Question] = None) -> None:
        if question is None:
            question = self.questions.get(question_id)
        if question is None or question.state is QuestionState.FINISHED:
            return
        returned = question.state is QuestionState.RETURNED
        release = release_result_caps and returned
        if release:
            self._drop_import_refs(question.result_imports, send_release=False)
        question.result_imports = ()
        if question.finish_needed:
            finish = _FINISHES.get(question_id) if not release else None
            if finish is None:
                finish = Finish(question_id, release_result_caps=release,
                                require_early_cancellation_workaround=False)
                if not release and question_id < _FINISH_CACHE_IDS:
                    _FINISHES[question_id] = finish
            self._send(finish)
        if returned or not question.finish_needed:
            self.questions.remove(question_id)
        else:
            question.state = QuestionState.FINISHED

    def release(self, import_id: ImportId) -> None:
        """Drop every reference we hold to an import (one Release for all of them).

        While an answer we returned still names the import (see ``Import.pins``), the
        Release waits for that answer's Finish.
        """
        self._check_open()
        entry = self.imports.get(import_id)
        if entry is None:
            raise RpcError(f"import {import_id} was released or never existed", "failed")
        if entry.pins:
            entry.released = True
            return
        self._remove_import(entry)

    def _remove_import(self, entry: Import) -> None:
        self.imports.remove(entry.id)
        if entry.wire_refs:
            self._send(Release(entry.id, entry.wire_refs))

    def _held_again(self, caps: Sequence[InCap]) -> None:
        """Imports among ``caps`` reach the application (again): a release it made while an
        answer pinned them no longer stands."""
        for cap in caps:
            if isinstance(cap, RemoteCap):
                entry = self.imports.get(cap.import_id)
                if entry is not None:
                    entry.released = False

    def _pin_imports(self, caps: Sequence[OutCap]) -> None:
        for cap in caps:
            if isinstance(cap, RemoteCap):
                entry = self.imports.get(cap.import_id)
                if entry is not None:
                    entry.pins += 1

    def _unpin_imports(self, caps: Sequence[OutCap]) -> None:
        for cap in caps:
            if isinstance(cap, RemoteCap):
                entry = self.imports.get(cap.import_id)
                if entry is not None and entry.pins:
                    entry.pins -= 1
                    # Let go by the application, or given back to the peer already: gone now.
                    if not entry.pins and (entry.released or not entry.wire_refs):
                        self._remove_import(entry)

    # --- Answering ----------------------------------------------------------------------------

    def _owed_answer(self, answer_id: AnswerId) -> Answer:
        self._check_open()
        answer = self.answers.get(answer_id)
        if answer is None or answer.state is AnswerState.RETURNED:
            raise ValueError(f"answer {answer_id} is not awaiting a return")
        return answer

    def _return_cancelled(self, answer: Answer) -> None:
        # The caller finished first: nobody will look at results, so export none.
        self._running -= 1
        self.answers.remove(answer.id)
        self._send(Return(answer.id, ReturnCanceled(), release_param_caps=False))

    def return_results(self, answer_id: AnswerId, content: object, caps: Sequence[OutCap] = ()) -> None:
        """Complete a call (or bootstrap) with results."""
        answer = self._owed_answer(answer_id)
        if caps:
            self._check_out_caps(caps)
        if answer.state is AnswerState.CANCELLED:
            self._return_cancelled(answer)
            return
        self._running -= 1
        answer.result_content = content
        answer.result_caps = tuple(caps)
        answer.state = AnswerState.RETURNED
        if caps:
            self._pin_imports(caps)  # until the Finish: the peer may pipeline on them
        if answer.results_to_yourself:
            self._send(Return(answer_id, ReturnResultsSentElsewhere(), release_param_caps=False))
            return
        if not caps and not answer.is_bootstrap and len(self._no_finish) < _NO_FINISH_LIMIT:
            # Nothing to release or pipeline on: no Finish needed, and the entry goes now.
            self.answers.remove(answer_id)
            self._no_finish.add(answer_id)
            self._send(Return(answer_id, ReturnResults(Payload(content, ())), release_param_caps=False,
                              no_finish_needed=True))
            return
        exported: List[ExportId] = []
        table = self._export_payload_caps(caps, exported) if caps else ()
        answer.result_exports = exported
        self._send(Return(answer_id, ReturnResults(Payload(content, table)), release_param_caps=False))

    def return_bootstrap(self, answer_id: AnswerId, cap: OutCap) -> None:
        """Answer a ``BootstrapRequested`` with our bootstrap capability."""
        self.return_results(answer_id, CapPointer(0), [cap])

    def return_exception(self, answer_id: AnswerId, exception: RpcException) -> None:
        """Complete a call with an exception."""
        answer = self._owed_answer(answer_id)
        if answer.state is AnswerState.CANCELLED:
            self._return_cancelled(answer)
            return
        self._running -= 1
        answer.result_exception = exception
        answer.state = AnswerState.RETURNED
        body: Union[ReturnException, ReturnResultsSentElsewhere] = ReturnException(exception)
        if answer.results_to_yourself:
            body = ReturnResultsSentElsewhere()
        self._send(Return(answer_id, body, release_param_caps=False))

    def tail_call(
        self,
        answer_id: AnswerId,
        target: Union[RemoteCap, RemotePromise],
        interface_id: int,
        method_id: int,
        content: object = None,
        caps: Sequence[OutCap] = (),
    ) -> QuestionId:
        """Answer a call by forwarding it to a capability of the peer.

        The forwarded call keeps its results at the peer (``sendResultsTo.yourself``)
        and our Return says ``takeFromOtherQuestion``, so the results never
        travel through us.  The forwarded question is finished when the peer
        finishes the answer.
        """
        answer = self._owed_answer(answer_id)
        self._check_out_caps([target])
        self._check_out_caps(caps)
        if answer.state is AnswerState.CANCELLED:
            self._return_cancelled(answer)
            raise RpcError("the call was cancelled before the tail call", "failed")
        qid = self.call(target, interface_id, method_id, content, caps, results_to_yourself=True)
        question = self.questions.get(qid)
        assert question is not None
        question.tail_of = answer_id
        answer.tail_question = qid
        self._running -= 1
        answer.state = AnswerState.RETURNED
        self._send(Return(answer_id, ReturnTakeFromOtherQuestion(qid), release_param_caps=False))
        return qid

    # --- Promises we export -------------------------------------------------------------------

    def resolve(self, obj: Hashable, resolution: Union[OutCap, RpcException]) -> bool:
        """Settle a promise we exported as ``LocalCap(obj, promise=True)``.

        Returns False when the peer holds no reference to it (nothing to send).
        Forward every call queued on the promise right after this.
        """
        self._check_open()
        entry = self.exports.find(obj)
        if entry is None or not entry.promise or entry.resolved:
            return False
        entry.resolved = True
        entry.resolution = resolution
        if isinstance(resolution, RpcException):
            self._send(Resolve(entry.id, ResolveException(resolution)))
            return True
        if isinstance(resolution, LocalCap) and resolution.obj == obj:
            raise ValueError("a promise cannot resolve to itself")
        self._check_out_caps([resolution])
        self._send(Resolve(entry.id, ResolveCap(self._export_cap(resolution, []))))
        return True
