"""Damaged traffic from a real client, fed to a server session: the session either carries on
or aborts the connection for a malformed message or a protocol violation, never for an error of
its own ("session failed"), and never hangs."""

from __future__ import annotations

import asyncio
import random
from typing import Any, List

from hypothesis import given, settings
from hypothesis import strategies as st

import capnp_lite.aio as capnp
from capnp_lite.aio.transport import memory_pair
from tests.aio.calculator_pycapnp_server import SCHEMA, call_request, make_impl
from tests.aio.tap import tapped_pair
from tests.fuzz import seeds

calculator = capnp.load(SCHEMA)
CalculatorImpl = make_impl(capnp, calculator)


async def _client_traffic() -> List[bytes]:
    tap, far = tapped_pair()
    server = capnp.Session(far, CalculatorImpl())
    client = capnp.Session(tap)
    calc = client.bootstrap().cast_as(calculator.Calculator)

    class Square(calculator.Calculator.Function.Server):
        async def call(self, params: Any, _context: Any, **kwargs: Any) -> float:
            return float(params[0]) ** 2

    await calc.evaluate(expression={"literal": 2.0}).value.read()
    await call_request(calc, calc.getOperator(op="add").func, 1, 2).send().value.read()
    await call_request(calc, Square(), 3).send().value.read()
    await asyncio.gather(*[calc.evaluate(expression={"literal": float(i)}).value.read() for i in range(5)])
    await client.close()
    await server.close()
    return tap.raw


_TRAFFIC: List[List[bytes]] = []


def traffic() -> List[bytes]:
    if not _TRAFFIC:
        _TRAFFIC.append(asyncio.run(_client_traffic()))
    return _TRAFFIC[0]


async def _feed(chunks: List[bytes]) -> Any:
    """Feed ``chunks`` to a server session: what ended it (None if nothing did).  A failure the
    session could only report to the loop (completing a call went wrong) is a bug here."""
    reports: List[Any] = []
    asyncio.get_running_loop().set_exception_handler(lambda loop, context: reports.append(context))
    ours, theirs = memory_pair()
    server = capnp.Session(theirs, CalculatorImpl())
    for chunk in chunks:
        ours.write(chunk)
        for _ in range(3):
            await asyncio.sleep(0)
    for _ in range(20):
        await asyncio.sleep(0)
    error = server.closed.result() if server.closed.done() else None
    await asyncio.wait_for(server.close(), 5)
    assert reports == [], reports
    return error


@settings(max_examples=60, deadline=None)
@given(rng=st.randoms(use_true_random=False))
def test_damaged_client_traffic_never_breaks_the_session(rng: random.Random) -> None:
    chunks = list(traffic())
    for _ in range(rng.randint(1, 3)):
        k = rng.randrange(len(chunks))
        chunk = chunks[k]
        if len(chunk) > 8:
            chunks[k] = seeds.mutate_message(rng, chunk)
    error = asyncio.run(_feed(chunks))
    assert error is None or "session failed" not in str(error), error


def _provide_with_a_broken_recipient() -> bytes:
    """A Provide (which a level-1 peer answers with Unimplemented, echoing it) whose recipient
    pointer points past the end of its segment."""
    from capnp_lite.rpc import codec
    from capnp_lite.rpc.ids import ImportId, QuestionId
    from capnp_lite.rpc.messages import ImportedCapTarget, Provide
    from capnp_lite.wire.framing import decode_message, encode_message
    from capnp_lite.wire.layout import MessageBuilder, MessageReader

    recipient = MessageBuilder()
    recipient.init_root(1, 0).set_uint64(0, 7)
    message = Provide(QuestionId(5), ImportedCapTarget(ImportId(0)), recipient.root_pointer_reader())
    segment = bytearray(decode_message(codec.encode_framed(message))[0])
    provide = MessageReader([bytes(segment)]).root().get_struct(0)
    word = provide.pointer_offset + 1  # the recipient's pointer
    segment[8 * word:8 * word + 8] = ((1000 << 2) | (1 << 32)).to_bytes(8, "little")
    return encode_message([bytes(segment)])


def test_an_unimplemented_echo_of_a_malformed_message_aborts_cleanly() -> None:
    from capnp_lite.rpc import codec
    from capnp_lite.rpc.ids import ImportId
    from capnp_lite.rpc.messages import Release

    violation = codec.encode_framed(Release(ImportId(77), 1))  # a release of nothing we export
    for chunks in ([_provide_with_a_broken_recipient()],
                   # The echo is encoded while the connection aborts for the next message.
                   [_provide_with_a_broken_recipient() + violation]):
        error = asyncio.run(_feed([traffic()[0]] + chunks))
        assert error is not None and "session failed" not in str(error), error


def test_a_call_on_an_answers_results_struct_fails_only_that_call() -> None:
    from capnp_lite.rpc import codec
    from capnp_lite.rpc.ids import QuestionId
    from capnp_lite.rpc.messages import Call, PromisedAnswer, PromisedAnswerTarget, Return, ReturnException

    # An empty transform names evaluate's results struct itself, which is not a capability: that
    # call fails (as in C++), whether the answer is still running or has returned, and the
    # connection goes on.
    on_results = codec.encode_framed(Call(QuestionId(3), PromisedAnswerTarget(PromisedAnswer(QuestionId(1))),
                                          0x97983392DF35CC36, 0))
    first = traffic()[0]  # bootstrap, evaluate (1), read on its value (2)

    async def main(chunks: List[bytes]) -> None:
        ours, theirs = memory_pair()
        server = capnp.Session(theirs, CalculatorImpl())
        got: List[Any] = []
        for chunk in chunks:
            ours.write(chunk)
            got += await _read_messages(ours, 1)
        while not any(isinstance(m, Return) and m.answer_id == 3 for m in got):
            got += await _read_messages(ours, 1)
        [ret] = [m for m in got if isinstance(m, Return) and m.answer_id == 3]
        assert isinstance(ret.body, ReturnException), ret
        assert "invalid pipeline transform for question 1" in ret.body.exception.reason
        assert not server.closed.done()
        await server.close()

    for chunks in ([first + on_results], [first, on_results]):
        asyncio.run(asyncio.wait_for(main(chunks), 10))


async def _read_messages(end: Any, count: int) -> List[Any]:
    """Decode what the session at the other end of ``end`` writes, until ``count`` messages."""
    from capnp_lite.rpc import codec
    from capnp_lite.wire.framing import MessageDecoder

    decoder = MessageDecoder()
    out: List[Any] = []
    while len(out) < count:
        decoder.feed(await end.read())
        while True:
            segments = decoder.next_message()
            if segments is None:
                break
            out.append(codec.decode(segments))
    return out


def test_params_that_are_no_struct_fail_only_their_call() -> None:
    """A capability or a list where a call's params belong: that call fails, the connection
    carries on."""
    from capnp_lite.rpc import codec
    from capnp_lite.rpc.ids import ExportId, ImportId, QuestionId
    from capnp_lite.rpc.messages import (Bootstrap, Call, CapPointer, CapSenderHosted, ImportedCapTarget,
                                         Payload, Return, ReturnException)
    from capnp_lite.wire.layout import MessageBuilder

    mb = MessageBuilder()
    mb.init_root(0, 1).init_list(0, 2, 3)  # a List(UInt8)
    a_list = mb.root_reader().get_pointer(0)

    async def main() -> None:
        ours, theirs = memory_pair()
        server = capnp.Session(theirs, CalculatorImpl())
        root = ImportedCapTarget(ImportId(0))
        ours.write(b"".join(codec.encode_framed(m) for m in (
            Bootstrap(QuestionId(0)),
            Call(QuestionId(1), root, 0x97983392DF35CC36, 0, Payload(CapPointer(0), (CapSenderHosted(ExportId(3)),))),
            Call(QuestionId(2), root, 0x97983392DF35CC36, 0, Payload(a_list)),
        )))
        got = await _read_messages(ours, 3)
        failed = {m.answer_id: m.body.exception.reason for m in got
                  if isinstance(m, Return) and isinstance(m.body, ReturnException)}
        assert set(failed) == {1, 2} and all("bad params" in r for r in failed.values()), got
        assert not server.closed.done()
        await server.close()

    asyncio.run(asyncio.wait_for(main(), 10))


def test_results_that_are_no_struct_fail_only_their_call() -> None:
    from capnp_lite.errors import RpcError
    from capnp_lite.rpc import codec
    from capnp_lite.rpc.ids import AnswerId, ExportId
    from capnp_lite.rpc.messages import Bootstrap, Call, CapPointer, CapSenderHosted, Payload, Return, ReturnResults

    async def main() -> None:
        ours, theirs = memory_pair()
        client = capnp.Session(theirs)
        calc = client.bootstrap().cast_as(calculator.Calculator)
        call = calc.evaluate(expression={"literal": 1.0})
        boot, evaluate = await _read_messages(ours, 2)
        assert isinstance(boot, Bootstrap) and isinstance(evaluate, Call)
        ours.write(codec.encode_framed(Return(AnswerId(boot.question_id), ReturnResults(
            Payload(CapPointer(0), (CapSenderHosted(ExportId(0)),))))))
        ours.write(codec.encode_framed(Return(AnswerId(evaluate.question_id), ReturnResults(
            Payload(CapPointer(0), (CapSenderHosted(ExportId(5)),))))))
        try:
            await call
        except RpcError as exc:
            assert "bad results" in str(exc)
        else:
            raise AssertionError("a capability as results was accepted")
        assert not client.closed.done()
        calc.close()
        await client.close()

    asyncio.run(asyncio.wait_for(main(), 10))
