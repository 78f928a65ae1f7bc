"""Envelope fields that share a 64-bit data word, checked field by field against pycapnp.

The codec writes and reads the Call, Return, Finish and MessageTarget data
sections a word at a time; these messages set every field of those words to
values that would show a wrong shift, mask or default in any one of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from capnp_lite.errors import EncodeError
from capnp_lite.rpc.codec import decode, encode
from capnp_lite.rpc.ids import AnswerId, ExportId, ImportId, QuestionId
from capnp_lite.rpc.messages import (
    Call,
    CapSenderHosted,
    Finish,
    ImportedCapTarget,
    Payload,
    PromisedAnswer,
    PromisedAnswerOp,
    PromisedAnswerTarget,
    Return,
    ReturnCanceled,
    ReturnResults,
    ReturnTakeFromOtherQuestion,
    SendResultsTo,
)

TOP32 = 0xFFFFFFFF


@pytest.fixture(scope="module")
def rpc_schema() -> Any:
    capnp = pytest.importorskip("capnp")
    schemas = Path(__file__).resolve().parents[2] / "schemas"
    return capnp.load(str(schemas / "capnp" / "rpc.capnp"), imports=[str(schemas)])


def _theirs(rpc_schema: Any, message: Any) -> Any:
    return rpc_schema.Message.from_segments([bytes(s) for s in encode(message)])


@pytest.mark.interop
@pytest.mark.parametrize("flags", [(False, False, False), (True, False, True), (False, True, False),
                                   (True, True, True)])
def test_call_word_fields(rpc_schema: Any, flags: Any) -> None:
    tail, no_pipe, only_pipe = flags
    msg = Call(QuestionId(TOP32), ImportedCapTarget(ImportId(TOP32 - 1)), 0x8000000000000001, 0xFFFF,
               Payload(None, ()), SendResultsTo.YOURSELF, allow_third_party_tail_call=tail,
               no_promise_pipelining=no_pipe, only_promise_pipeline=only_pipe)
    call = _theirs(rpc_schema, msg).call
    assert call.questionId == TOP32 and call.methodId == 0xFFFF
    assert call.interfaceId == 0x8000000000000001
    assert call.target.which() == "importedCap" and call.target.importedCap == TOP32 - 1
    assert call.sendResultsTo.which() == "yourself"
    assert (call.allowThirdPartyTailCall, call.noPromisePipelining, call.onlyPromisePipeline) == flags
    assert decode(encode(msg)) == msg


@pytest.mark.interop
def test_promised_target_word(rpc_schema: Any) -> None:
    msg = Call(QuestionId(1), PromisedAnswerTarget(PromisedAnswer(QuestionId(TOP32), ())), 2, 3)
    call = _theirs(rpc_schema, msg).call
    assert call.target.which() == "promisedAnswer"
    assert call.target.promisedAnswer.questionId == TOP32
    assert call.sendResultsTo.which() == "caller"
    assert decode(encode(msg)) == msg


@pytest.mark.interop
@pytest.mark.parametrize("release, no_finish", [(True, False), (False, True), (False, False), (True, True)])
def test_return_word_fields(rpc_schema: Any, release: bool, no_finish: bool) -> None:
    for body, which in ((ReturnResults(Payload(None, ())), "results"), (ReturnCanceled(), "canceled"),
                        (ReturnTakeFromOtherQuestion(QuestionId(TOP32 - 2)), "takeFromOtherQuestion")):
        msg = Return(AnswerId(TOP32), body, release_param_caps=release, no_finish_needed=no_finish)
        ret = _theirs(rpc_schema, msg).__getattr__("return")
        assert ret.answerId == TOP32 and ret.which() == which
        assert ret.releaseParamCaps is release and ret.noFinishNeeded is no_finish
        if which == "takeFromOtherQuestion":
            assert ret.takeFromOtherQuestion == TOP32 - 2
        assert decode(encode(msg)) == msg


@pytest.mark.interop
@pytest.mark.parametrize("release, early", [(True, True), (False, True), (True, False), (False, False)])
def test_finish_word_fields(rpc_schema: Any, release: bool, early: bool) -> None:
    msg = Finish(QuestionId(TOP32 - 3), release_result_caps=release,
                 require_early_cancellation_workaround=early)
    fin = _theirs(rpc_schema, msg).finish
    assert fin.questionId == TOP32 - 3
    assert fin.releaseResultCaps is release and fin.requireEarlyCancellationWorkaround is early
    assert decode(encode(msg)) == msg


@pytest.mark.interop
def test_we_read_pycapnp_words(rpc_schema: Any) -> None:
    theirs = rpc_schema.Message.new_message()
    call = theirs.init("call")
    call.questionId = TOP32
    call.interfaceId = 5
    call.methodId = 0xFFFE
    call.target.importedCap = 7
    call.sendResultsTo.yourself = None
    call.onlyPromisePipeline = True
    got = decode(theirs.to_segments())
    assert isinstance(got, Call)
    assert (got.question_id, got.method_id, got.interface_id) == (TOP32, 0xFFFE, 5)
    assert got.target == ImportedCapTarget(ImportId(7))
    assert got.send_results_to is SendResultsTo.YOURSELF
    assert got.only_promise_pipeline and not got.no_promise_pipelining
    assert not got.allow_third_party_tail_call


@pytest.mark.parametrize("method_id", [-1, 0x10000])
def test_method_id_out_of_range(method_id: int) -> None:
    with pytest.raises(EncodeError):
        encode(Call(QuestionId(1), ImportedCapTarget(ImportId(1)), 2, method_id))


@pytest.mark.parametrize("message", [
    Call(QuestionId(1), ImportedCapTarget(ImportId(0)), -1, 0),  # interface ID
    Call(QuestionId(1), ImportedCapTarget(ImportId(0)), 1 << 64, 0),
    Return(AnswerId(1), ReturnResults(Payload(None, (CapSenderHosted(ExportId(1), attached_fd=300),)))),
    Call(QuestionId(1), PromisedAnswerTarget(PromisedAnswer(QuestionId(0), (PromisedAnswerOp(70000),))), 1, 0),
], ids=["negative interface id", "interface id past 64 bits", "attached fd past UInt8",
        "pointer index past UInt16"])
def test_fields_that_do_not_fit_are_refused(message: Any) -> None:
    with pytest.raises(EncodeError):
        encode(message)
