"""A typed Python model of the messages of ``rpc.capnp``.

The RPC state machine works on these values, never on bytes; ``codec.py``
translates them to and from the wire.  Every class is a frozen dataclass, so
values compare by content (the scripted-peer tests rely on that) and can be
used as dict keys where they are hashable.  The classes made once or more per
call write their own ``__init__``, filling the instance dict in one step: the
generated one of a frozen dataclass pays an ``object.__setattr__`` per field.

Unions are modelled as a ``Union`` of small classes, one per member, so that
a ``Message`` is exactly one of ``Unimplemented``, ``Abort``, ``Bootstrap``,
``Call``, ... and a ``Return`` carries exactly one ``ReturnBody``.

IDs carry the type of the *sender's* point of view, as in the schema: a
``Call`` we send holds our ``QuestionId``; a ``Call`` we receive holds the
peer's ``QuestionId``, which we turn into an ``AnswerId`` on arrival.

``Payload.content`` is opaque here: the layer above (or the codec) supplies
it.  ``CapPointer(index)`` is the one content value this package builds
itself: the results of ``Bootstrap`` are a bare capability pointer.

Fields that are ``AnyPointer`` in the schema and only matter at level 3 or
for obsolete messages (``RecipientId``, ``ThirdPartyCapId``, ...) are kept as
opaque ``object`` values so that a message can be echoed in
``Unimplemented`` unchanged.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Optional, Tuple, Union

from .ids import AnswerId, EmbargoId, ExportId, ImportId, QuestionId

__all__ = [
    "ExceptionType",
    "ExceptionDetail",
    "RpcException",
    "PromisedAnswerOp",
    "NOOP",
    "get_pointer_field",
    "Transform",
    "PromisedAnswer",
    "ImportedCapTarget",
    "PromisedAnswerTarget",
    "MessageTarget",
    "CapNone",
    "CapSenderHosted",
    "CapSenderPromise",
    "CapReceiverHosted",
    "CapReceiverAnswer",
    "CapThirdPartyHosted",
    "CapDescriptor",
    "CapPointer",
    "Payload",
    "SendResultsTo",
    "Bootstrap",
    "Call",
    "ReturnResults",
    "ReturnException",
    "ReturnCanceled",
    "ReturnResultsSentElsewhere",
    "ReturnTakeFromOtherQuestion",
    "ReturnAcceptFromThirdParty",
    "ReturnBody",
    "Return",
    "Finish",
    "ResolveCap",
    "ResolveException",
    "Resolve",
    "Release",
    "DisembargoContext",
    "Disembargo",
    "Provide",
    "Accept",
    "Join",
    "ObsoleteSave",
    "ObsoleteDelete",
    "UnknownMessage",
    "Abort",
    "Unimplemented",
    "Message",
]


# --- Exception ---------------------------------------------------------------------------------


class ExceptionType(enum.IntEnum):
    """``Exception.Type``: how the caller may react, not what went wrong."""

    FAILED = 0
    OVERLOADED = 1
    DISCONNECTED = 2
    UNIMPLEMENTED = 3

    @property
    def wire_name(self) -> str:
        """The enumerant's name in ``rpc.capnp`` (``RpcError.type`` is ``name``, upper case, as
        pycapnp spells it)."""
        return self.name.lower()


@dataclass(frozen=True)
class ExceptionDetail:
    """``Exception.Detail`` of newer ``rpc.capnp``: a machine-readable attachment."""

    id: int  # UInt64 naming the kind of detail
    data: bytes  # its payload, meaning fixed by whoever defined ``id``


@dataclass(frozen=True)
class RpcException:
    """``rpc.capnp``'s ``Exception`` struct (named so to leave the builtin alone)."""

    reason: str
    type: ExceptionType = ExceptionType.FAILED
    trace: str = ""
    details: Tuple[ExceptionDetail, ...] = ()


# --- Targets and promised answers --------------------------------------------------------------


@dataclass(frozen=True)
class PromisedAnswerOp:
    """``PromisedAnswer.Op``: ``getPointerField`` when ``pointer_field`` is set, else ``noop``."""

    pointer_field: Optional[int] = None  # UInt16 pointer-section index, or None for noop

    @property
    def is_noop(self) -> bool:
        return self.pointer_field is None


NOOP = PromisedAnswerOp()


def get_pointer_field(index: int) -> PromisedAnswerOp:
    """The op that follows pointer ``index`` of a struct (a pointer-section index, not an ordinal)."""
    return PromisedAnswerOp(index)


Transform = Tuple[PromisedAnswerOp, ...]
"""The path from an answer's result struct to one capability in it."""


@dataclass(frozen=True, init=False)
class PromisedAnswer:
    """A capability expected in the results of a question that has not been answered yet."""

    question_id: QuestionId
    transform: Transform = ()

    def __init__(self, question_id: QuestionId, transform: Transform = ()) -> None:
        self.__dict__.update(question_id=question_id, transform=transform)


@dataclass(frozen=True, init=False)
class ImportedCapTarget:
    """``MessageTarget.importedCap``: a capability the sender imported (the receiver exports)."""

    import_id: ImportId

    def __init__(self, import_id: ImportId) -> None:
        self.__dict__["import_id"] = import_id


@dataclass(frozen=True, init=False)
class PromisedAnswerTarget:
    """``MessageTarget.promisedAnswer``: a capability in a pending answer."""

    promised_answer: PromisedAnswer

    def __init__(self, promised_answer: PromisedAnswer) -> None:
        self.__dict__["promised_answer"] = promised_answer


MessageTarget = Union[ImportedCapTarget, PromisedAnswerTarget]


# --- Capability descriptors --------------------------------------------------------------------


@dataclass(frozen=True)
class CapNone:
    """``CapDescriptor.none``: a null capability (a tombstone)."""

    attached_fd: Optional[int] = None  # index of an attached file descriptor, if any


@dataclass(frozen=True)
class CapSenderHosted:
    """A capability the sender exports (adds one reference to ``export_id``)."""

    export_id: ExportId
    attached_fd: Optional[int] = None


@dataclass(frozen=True)
class CapSenderPromise:
    """A promise the sender exports and will settle with exactly one ``Resolve``."""

    export_id: ExportId
    attached_fd: Optional[int] = None


@dataclass(frozen=True)
class CapReceiverHosted:
    """A capability the receiver exports, passed back to it (no reference count change)."""

    import_id: ImportId
    attached_fd: Optional[int] = None


@dataclass(frozen=True)
class CapReceiverAnswer:
    """A capability in the results of one of the sender's outstanding questions."""

    promised_answer: PromisedAnswer
    attached_fd: Optional[int] = None


@dataclass(frozen=True)
class CapThirdPartyHosted:
    """A capability in a third vat (level 3); two-party peers call ``vine_id`` instead."""

    third_party_cap_id: object  # opaque ThirdPartyCapId
    vine_id: ExportId
    attached_fd: Optional[int] = None


CapDescriptor = Union[
    CapNone,
    CapSenderHosted,
    CapSenderPromise,
    CapReceiverHosted,
    CapReceiverAnswer,
    CapThirdPartyHosted,
]


@dataclass(frozen=True)
class CapPointer:
    """Payload content that is nothing but a capability pointer (the results of ``Bootstrap``)."""

    index: int  # index into the payload's cap table


@dataclass(frozen=True, init=False)
class Payload:
    """A payload: opaque content and the capability table its cap pointers index."""

    content: object = None
    cap_table: Tuple[CapDescriptor, ...] = ()

    def __init__(self, content: object = None, cap_table: Tuple[CapDescriptor, ...] = ()) -> None:
        self.__dict__.update(content=content, cap_table=cap_table)


_NO_PAYLOAD = Payload()


# --- Level 0 messages --------------------------------------------------------------------------


class SendResultsTo(enum.Enum):
    """``Call.sendResultsTo``: who receives the results."""

    CALLER = "caller"  # the usual: a Return with the results
    YOURSELF = "yourself"  # keep them for a later ``takeFromOtherQuestion`` (tail calls)
    THIRD_PARTY = "thirdParty"  # level 3: to the vat named by ``Call.third_party``


@dataclass(frozen=True)
class Bootstrap:
    """Asks for the peer's bootstrap capability; answered like a call."""

    question_id: QuestionId
    deprecated_object_id: object = None  # obsolete; must be null for the default bootstrap


@dataclass(frozen=True, init=False)
class Call:
    """Starts a method call on ``target``."""

    question_id: QuestionId
    target: MessageTarget
    interface_id: int  # UInt64
    method_id: int  # UInt16
    params: Payload = _NO_PAYLOAD
    send_results_to: SendResultsTo = SendResultsTo.CALLER
    third_party: object = None  # RecipientId when send_results_to is THIRD_PARTY
    allow_third_party_tail_call: bool = False
    no_promise_pipelining: bool = False
    only_promise_pipeline: bool = False

    def __init__(self, question_id: QuestionId, target: MessageTarget, interface_id: int, method_id: int,
                 params: Payload = _NO_PAYLOAD, send_results_to: SendResultsTo = SendResultsTo.CALLER,
                 third_party: object = None, allow_third_party_tail_call: bool = False,
                 no_promise_pipelining: bool = False, only_promise_pipeline: bool = False) -> None:
        self.__dict__.update(
            question_id=question_id, target=target, interface_id=interface_id, method_id=method_id,
            params=params, send_results_to=send_results_to, third_party=third_party,
            allow_third_party_tail_call=allow_third_party_tail_call,
            no_promise_pipelining=no_promise_pipelining, only_promise_pipeline=only_promise_pipeline)


@dataclass(frozen=True, init=False)
class ReturnResults:
    payload: Payload

    def __init__(self, payload: Payload) -> None:
        self.__dict__["payload"] = payload


@dataclass(frozen=True)
class ReturnException:
    exception: RpcException


@dataclass(frozen=True)
class ReturnCanceled:
    pass


@dataclass(frozen=True)
class ReturnResultsSentElsewhere:
    pass


@dataclass(frozen=True)
class ReturnTakeFromOtherQuestion:
    question_id: QuestionId  # a question the *sender* of the Return asked, with sendResultsTo.yourself


@dataclass(frozen=True)
class ReturnAcceptFromThirdParty:
    third_party_cap_id: object  # opaque ThirdPartyCapId


ReturnBody = Union[
    ReturnResults,
    ReturnException,
    ReturnCanceled,
    ReturnResultsSentElsewhere,
    ReturnTakeFromOtherQuestion,
    ReturnAcceptFromThirdParty,
]


@dataclass(frozen=True, init=False)
class Return:
    """Completes a call (or a bootstrap)."""

    answer_id: AnswerId
    body: ReturnBody
    release_param_caps: bool = True  # schema default
    no_finish_needed: bool = False

    def __init__(self, answer_id: AnswerId, body: ReturnBody, release_param_caps: bool = True,
                 no_finish_needed: bool = False) -> None:
        self.__dict__.update(answer_id=answer_id, body=body, release_param_caps=release_param_caps,
                             no_finish_needed=no_finish_needed)


@dataclass(frozen=True, init=False)
class Finish:
    """The caller is done with a question: no more pipelining; cancel if still running."""

    question_id: QuestionId
    release_result_caps: bool = True  # schema default
    require_early_cancellation_workaround: bool = True  # schema default

    def __init__(self, question_id: QuestionId, release_result_caps: bool = True,
                 require_early_cancellation_workaround: bool = True) -> None:
        self.__dict__.update(question_id=question_id, release_result_caps=release_result_caps,
                             require_early_cancellation_workaround=require_early_cancellation_workaround)


# --- Level 1 messages --------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolveCap:
    cap: CapDescriptor


@dataclass(frozen=True)
class ResolveException:
    exception: RpcException


@dataclass(frozen=True)
class Resolve:
    """Settles a promise the sender exported earlier (does not add a reference to it)."""

    promise_id: ExportId
    resolution: Union[ResolveCap, ResolveException]


@dataclass(frozen=True)
class Release:
    """Drops ``reference_count`` references to a capability the sender imported."""

    id: ImportId
    reference_count: int  # UInt32


class DisembargoContext(enum.Enum):
    """Which member of ``Disembargo.context`` is set."""

    SENDER_LOOPBACK = "senderLoopback"
    RECEIVER_LOOPBACK = "receiverLoopback"
    ACCEPT = "accept"
    PROVIDE = "provide"


@dataclass(frozen=True)
class Disembargo:
    """Lifts an embargo that keeps E-order while a promise resolves.

    ``value`` is the ``EmbargoId`` for the two loopback contexts, the
    ``QuestionId`` of a ``Provide`` for ``provide``, and 0 for ``accept``.
    """

    target: MessageTarget
    context: DisembargoContext
    value: int = 0

    @property
    def embargo_id(self) -> EmbargoId:
        return EmbargoId(self.value)


# --- Messages this implementation only recognises, to answer ``Unimplemented`` ----------------


@dataclass(frozen=True)
class Provide:
    question_id: QuestionId
    target: MessageTarget
    recipient: object = None


@dataclass(frozen=True)
class Accept:
    question_id: QuestionId
    provision: object = None
    embargo: bool = False


@dataclass(frozen=True)
class Join:
    question_id: QuestionId
    target: MessageTarget
    key_part: object = None


@dataclass(frozen=True)
class ObsoleteSave:
    value: object = None


@dataclass(frozen=True)
class ObsoleteDelete:
    value: object = None


@dataclass(frozen=True)
class UnknownMessage:
    """A ``Message`` whose union tag this model does not know (from a newer peer).

    ``raw`` is whatever the codec kept so that it can echo the message back.
    """

    which: int  # the union discriminant
    raw: object = None


# --- The envelope ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Abort:
    """The sender is closing the connection because of ``exception``."""

    exception: RpcException


@dataclass(frozen=True)
class Unimplemented:
    """The sender did not understand ``message`` (one we sent), echoed back whole."""

    message: "Message"


Message = Union[
    Unimplemented,
    Abort,
    Bootstrap,
    Call,
    Return,
    Finish,
    Resolve,
    Release,
    Disembargo,
    Provide,
    Accept,
    Join,
    ObsoleteSave,
    ObsoleteDelete,
    UnknownMessage,
]
