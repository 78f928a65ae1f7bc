"""Events: what ``RpcConnection.receive`` tells the application to do.

Each event is a fact the connection has already recorded in its tables; the
application acts on it (run a method, settle a future, drop an object) and
answers through the connection's methods.  No event ever expects a return
value.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Hashable, Optional, Tuple, Union

from .caps import InCap, LocalCap, LocalPipeline, RemoteCap, RemotePromise
from .ids import AnswerId, EmbargoId, ImportId, QuestionId
from .messages import RpcException, Transform

__all__ = [
    "CallTarget",
    "CallReceived",
    "BootstrapRequested",
    "ReturnKind",
    "ReturnReceived",
    "Cancelled",
    "Resolved",
    "EmbargoLifted",
    "ExportReleased",
    "ConnectionAborted",
    "Event",
]

CallTarget = Union[LocalCap, LocalPipeline, RemoteCap, RemotePromise]
"""Where an incoming call goes.

``LocalCap``: run the method on that object.  ``LocalPipeline``: the answer
has not returned yet; queue the call until it does.  ``RemoteCap`` /
``RemotePromise``: the target was a promise of ours that we resolved to a
capability of the peer; forward the call with ``RpcConnection.tail_call``.
"""


@dataclass(frozen=True, init=False)
class CallReceived:
    """Run a method and answer with ``return_results`` / ``return_exception``."""

    answer_id: AnswerId
    target: CallTarget
    interface_id: int
    method_id: int
    content: object  # the params struct, opaque to the connection
    caps: Tuple[InCap, ...]  # the params cap table, already imported
    results_to_yourself: bool = False  # a tail call: the results stay here (for takeFromOtherQuestion)
    no_promise_pipelining: bool = False
    only_promise_pipeline: bool = False

    # One per incoming call: the instance dict filled in one step (see ``messages``).
    def __init__(self, answer_id: AnswerId, target: CallTarget, interface_id: int, method_id: int,
                 content: object, caps: Tuple[InCap, ...], results_to_yourself: bool = False,
                 no_promise_pipelining: bool = False, only_promise_pipeline: bool = False) -> None:
        self.__dict__.update(
            answer_id=answer_id, target=target, interface_id=interface_id, method_id=method_id,
            content=content, caps=caps, results_to_yourself=results_to_yourself,
            no_promise_pipelining=no_promise_pipelining, only_promise_pipeline=only_promise_pipeline)


@dataclass(frozen=True)
class BootstrapRequested:
    """The peer wants our bootstrap capability: answer with ``return_bootstrap``."""

    answer_id: AnswerId


class ReturnKind(enum.Enum):
    RESULTS = "results"
    EXCEPTION = "exception"
    CANCELED = "canceled"
    RESULTS_SENT_ELSEWHERE = "resultsSentElsewhere"
    TAKE_FROM_OTHER_QUESTION = "takeFromOtherQuestion"


@dataclass(frozen=True, init=False)
class ReturnReceived:
    """One of our questions was answered.

    Send ``finish(question_id)`` when done with the results (pipelined calls
    on the question stay possible until then).  ``embargoes`` lists, for each
    transform on which we already sent pipelined calls and that now points at
    one of our own objects, the embargo to wait for (``EmbargoLifted``) before
    calling that object directly: it keeps those calls in order.
    """

    question_id: QuestionId
    kind: ReturnKind
    content: object = None  # RESULTS: the result struct, opaque
    caps: Tuple[InCap, ...] = ()  # RESULTS: the cap table, imported
    exception: Optional[RpcException] = None  # EXCEPTION
    take_from_answer: Optional[AnswerId] = None  # TAKE_FROM_OTHER_QUESTION: our answer holding the results
    embargoes: Tuple[Tuple[Transform, EmbargoId], ...] = ()

    def __init__(self, question_id: QuestionId, kind: ReturnKind, content: object = None,
                 caps: Tuple[InCap, ...] = (), exception: Optional[RpcException] = None,
                 take_from_answer: Optional[AnswerId] = None,
                 embargoes: Tuple[Tuple[Transform, EmbargoId], ...] = ()) -> None:
        self.__dict__.update(question_id=question_id, kind=kind, content=content, caps=caps,
                             exception=exception, take_from_answer=take_from_answer, embargoes=embargoes)


@dataclass(frozen=True)
class Cancelled:
    """The caller sent Finish before we returned: cancel the call (still return, anyhow)."""

    answer_id: AnswerId


@dataclass(frozen=True)
class Resolved:
    """A promise we imported settled to ``cap`` or broke with ``exception``.

    When ``embargo`` is set, calls already sent to the promise are still on
    their way back to ``cap`` (one of ours): queue new calls to ``cap`` until
    ``EmbargoLifted(embargo)``.
    """

    import_id: ImportId
    cap: InCap = None
    exception: Optional[RpcException] = None
    embargo: Optional[EmbargoId] = None


@dataclass(frozen=True)
class EmbargoLifted:
    """Every call sent before the embargo has arrived: deliver the queued ones now."""

    embargo_id: EmbargoId


@dataclass(frozen=True)
class ExportReleased:
    """The peer holds no reference to ``obj`` any more."""

    obj: Hashable


@dataclass(frozen=True)
class ConnectionAborted:
    """The peer aborted the connection: every question fails, every import breaks."""

    exception: RpcException


Event = Union[
    CallReceived,
    BootstrapRequested,
    ReturnReceived,
    Cancelled,
    Resolved,
    EmbargoLifted,
    ExportReleased,
    ConnectionAborted,
]
