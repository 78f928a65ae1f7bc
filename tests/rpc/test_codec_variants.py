"""Every kind of message and every union variant of ``rpc.capnp`` through the codec: the ones a
two-party connection only answers (levels 3 and 4, obsolete ones) round-trip with all their
fields, and a variant this side does not know is a DecodeError that names it (or, for an
exception's type, a plain failure), never a wrong message."""

from __future__ import annotations

from typing import Callable, List

import pytest

from capnp_lite.errors import DecodeError
from capnp_lite.rpc.codec import decode, encode
from capnp_lite.rpc.ids import AnswerId, ExportId, ImportId, QuestionId
from capnp_lite.rpc.messages import (
    Abort,
    Accept,
    Bootstrap,
    CapPointer,
    Disembargo,
    DisembargoContext,
    ExceptionType,
    ImportedCapTarget,
    Join,
    Message,
    ObsoleteDelete,
    ObsoleteSave,
    PromisedAnswer,
    PromisedAnswerOp,
    PromisedAnswerTarget,
    Provide,
    Return,
    ReturnAcceptFromThirdParty,
)
from capnp_lite.wire.layout import MessageBuilder, StructBuilder

Q, A, E, I = QuestionId, AnswerId, ExportId, ImportId
PA = PromisedAnswer(Q(7), (PromisedAnswerOp(), PromisedAnswerOp(3)))

OTHER_LEVELS: List[Message] = [
    Bootstrap(Q(9)),
    Bootstrap(Q(10), CapPointer(2)),  # the obsolete object id
    Provide(Q(11), ImportedCapTarget(I(3)), CapPointer(1)),
    Provide(Q(12), PromisedAnswerTarget(PA)),
    Accept(Q(13), CapPointer(4), True),
    Accept(Q(14)),
    Join(Q(15), PromisedAnswerTarget(PA), CapPointer(5)),
    ObsoleteSave(CapPointer(6)),
    ObsoleteDelete(CapPointer(7)),
    Return(A(16), ReturnAcceptFromThirdParty(CapPointer(8))),
    Disembargo(ImportedCapTarget(I(1)), DisembargoContext.ACCEPT),
    Disembargo(PromisedAnswerTarget(PA), DisembargoContext.PROVIDE, 17),
]


@pytest.mark.parametrize("message", OTHER_LEVELS, ids=lambda m: type(m).__name__)
def test_messages_of_other_levels_round_trip(message: Message) -> None:
    assert decode(encode(message)) == message


def _message(tag: int, fill: Callable[[StructBuilder], None]) -> List[bytes]:
    """A Message whose union is ``tag`` and whose body ``fill`` writes."""
    mb = MessageBuilder()
    root = mb.init_root(1, 1)
    root.set_uint16(0, tag)
    fill(root)
    return [bytes(s) for s in mb.segments()]


def _call_to(target: Callable[[StructBuilder], None]) -> Callable[[StructBuilder], None]:
    def fill(root: StructBuilder) -> None:
        call = root.init_struct(0, 3, 3)
        target(call.init_struct(0, 1, 1))
        call.init_struct(1, 0, 2)
    return fill


def _transform_op(which: int) -> Callable[[StructBuilder], None]:
    def target(t: StructBuilder) -> None:
        t.set_uint16(2, 1)  # promisedAnswer
        answer = t.init_struct(0, 1, 1)
        ops = answer.init_struct_list(0, 2, 1, 0)
        ops.get_struct(1).set_uint16(0, which)
    return target


def _cap_descriptor(which: int) -> Callable[[StructBuilder], None]:
    def fill(root: StructBuilder) -> None:
        call = root.init_struct(0, 3, 3)
        call.init_struct(0, 1, 1)
        table = call.init_struct(1, 0, 2).init_struct_list(1, 1, 1, 1)
        table.get_struct(0).set_uint16(0, which)
    return fill


def _return(which: int) -> Callable[[StructBuilder], None]:
    return lambda root: root.init_struct(0, 2, 1).set_uint16(3, which)


def _resolve(which: int) -> Callable[[StructBuilder], None]:
    return lambda root: root.init_struct(0, 1, 1).set_uint16(2, which)


def _disembargo(which: int) -> Callable[[StructBuilder], None]:
    def fill(root: StructBuilder) -> None:
        d = root.init_struct(0, 1, 1)
        d.init_struct(0, 1, 1)  # target: importedCap 0
        d.set_uint16(2, which)
    return fill


@pytest.mark.parametrize("segments, error", [
    (_message(2, _call_to(lambda t: t.set_uint16(2, 2))), "unknown MessageTarget variant 2"),
    (_message(2, _call_to(_transform_op(2))), "unknown PromisedAnswer.Op 2 at transform index 1"),
    (_message(2, _cap_descriptor(6)), "unknown CapDescriptor variant 6"),
    (_message(3, _return(6)), "unknown Return variant 6"),
    (_message(5, _resolve(2)), "unknown Resolve variant 2"),
    (_message(13, _disembargo(4)), "unknown Disembargo.context variant 4"),
], ids=["target", "transform", "cap", "return", "resolve", "disembargo"])
def test_a_variant_of_no_known_kind_is_refused_by_name(segments: List[bytes], error: str) -> None:
    with pytest.raises(DecodeError, match=error):
        decode(segments)


def test_an_exception_of_a_newer_type_is_a_plain_failure() -> None:
    def abort(root: StructBuilder) -> None:
        exc = root.init_struct(0, 1, 3)
        exc.set_text(0, "from a newer peer")
        exc.set_uint16(2, 9)  # no such Exception.Type here
    message = decode(_message(1, abort))
    assert isinstance(message, Abort)
    assert (message.exception.reason, message.exception.type) == ("from a newer peer", ExceptionType.FAILED)
