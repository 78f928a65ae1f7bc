"""Hostile RPC peers over real loopback TCP: each one is aborted, every other connection carries on.

A raw client speaks crafted ``rpc.capnp`` messages to a calculator server built on
``capnp_lite.aio``. For each kind of abuse the server must answer with an ``Abort`` that says what
was wrong and close that connection, within a bounded number of messages (so its tables stay
bounded), while a well-behaved client on another connection keeps getting correct answers.
"""

from __future__ import annotations

import asyncio
from typing import Callable, List, Tuple

import pytest

import capnp_lite.aio as capnp
from capnp_lite.rpc import codec
from capnp_lite.rpc.ids import ExportId, ImportId, QuestionId
from capnp_lite.rpc.messages import (
    Abort,
    Bootstrap,
    Call,
    CapSenderPromise,
    Disembargo,
    DisembargoContext,
    ImportedCapTarget,
    Message,
    Payload,
    Release,
    Resolve,
    ResolveCap,
    CapSenderHosted,
)
from capnp_lite.wire.framing import MessageDecoder

from tests.aio.calculator_pycapnp_server import SCHEMA, make_impl

calculator = capnp.load(SCHEMA)
CalculatorImpl = make_impl(capnp, calculator)
CALCULATOR_ID = 0x97983392DF35CC36
Q, E, I = QuestionId, ExportId, ImportId
ROOT = ImportedCapTarget(I(0))


async def _serve() -> Tuple[asyncio.AbstractServer, int, List[capnp.Session]]:
    sessions: List[capnp.Session] = []

    async def on_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sessions.append(capnp.Session(capnp.StreamTransport(reader, writer), CalculatorImpl(),
                                      max_calls_in_flight=256, max_unfinished_calls=2048))

    server = await asyncio.start_server(on_client, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1], sessions


async def _raw_exchange(port: int, chunks: List[bytes]) -> Tuple[List[Message], bool]:
    """Send the chunks; read until the server closes. Returns what it sent and whether it closed."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    received: List[Message] = []
    decoder = MessageDecoder()

    async def read_all() -> None:
        while True:
            try:
                data = await reader.read(65536)
            except ConnectionResetError:
                # The server closed with our unread flood in its buffer, so the kernel reset the
                # connection; whatever arrived before that has been decoded already.
                return
            if not data:
                return
            decoder.feed(data)
            while True:
                segments = decoder.next_message()
                if segments is None:
                    break
                received.append(codec.decode(segments))

    reading = asyncio.ensure_future(read_all())
    try:
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, OSError):
        pass  # the server may close while we are still sending: that is the point
    try:
        await asyncio.wait_for(asyncio.shield(reading), 10)
        closed = True
    except asyncio.TimeoutError:
        closed = False
    reading.cancel()
    writer.close()
    return received, closed


async def _good_client_works(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    session = capnp.Session(capnp.StreamTransport(reader, writer))
    calc = session.bootstrap().cast_as(calculator.Calculator)
    values = await asyncio.gather(*[
        calc.evaluate(expression={"literal": float(i)}).value.read() for i in range(20)])
    assert [v.value for v in values] == [float(i) for i in range(20)]
    await session.close("done")


def _frames(*messages: Message) -> List[bytes]:
    return [codec.encode_framed(m) for m in messages]


def _bootstrap() -> List[bytes]:
    return _frames(Bootstrap(Q(0)))


CALLER_ID_EVALUATE = (CALCULATOR_ID, 0)


def _flood_of_unfinished_calls() -> List[bytes]:
    # Calls whose answers are never finished: the answer table must not grow without bound.
    return _bootstrap() + [b"".join(_frames(*[
        Call(Q(1 + i), ROOT, CALLER_ID_EVALUATE[0], CALLER_ID_EVALUATE[1]) for i in range(start, start + 500)]))
        for start in range(0, 5000, 500)]


# name, the bytes the hostile peer sends, what the Abort must say
CASES: List[Tuple[str, Callable[[], List[bytes]], str]] = [
    ("garbage bytes", lambda: [b"\x00\x00\x00\x00\x02\x00\x00\x00" + b"\xff" * 16], "malformed message"),
    ("segment table announcing 2^32 segments", lambda: [b"\xff\xff\xff\xff" + b"\x00" * 60], "segments"),
    ("oversized message", lambda: [b"\x00\x00\x00\x00" + (64 << 20).to_bytes(4, "little")], "exceeds the limit"),
    ("release of an unknown import", lambda: _bootstrap() + _frames(Release(I(77), 1)), "release of 1 references to export 77"),
    ("release of more references than held", lambda: _bootstrap() + _frames(Release(I(0), 5)), "release of 5 references"),
    ("disembargo for a nonexistent target",
     lambda: _bootstrap() + _frames(Disembargo(ImportedCapTarget(I(99)), DisembargoContext.SENDER_LOOPBACK, 0)),
     "Disembargo for export 99"),
    ("resolving a promise twice", lambda: _bootstrap() + _frames(
        Call(Q(1), ROOT, CALCULATOR_ID, 0, Payload(None, (CapSenderPromise(E(5)),))),
        Resolve(E(5), ResolveCap(CapSenderHosted(E(6)))),
        Resolve(E(5), ResolveCap(CapSenderHosted(E(7)))),
    ), "second Resolve"),
    ("duplicate question id", lambda: _bootstrap() + _frames(Bootstrap(Q(0))), "already in use"),
    ("unbounded questions, never finished", _flood_of_unfinished_calls, "calls not finished"),
]


@pytest.mark.parametrize("name,make,reason", CASES, ids=[c[0] for c in CASES])
def test_hostile_peer_is_aborted_and_others_carry_on(
    name: str, make: Callable[[], List[bytes]], reason: str
) -> None:
    async def scenario() -> None:
        server, port, sessions = await _serve()
        try:
            received, closed = await _raw_exchange(port, make())
            assert closed, f"{name}: the server kept the connection open"
            aborts = [m for m in received if isinstance(m, Abort)]
            assert aborts, f"{name}: no Abort was sent before closing (got {received[-3:]})"
            assert reason in aborts[-1].exception.reason, aborts[-1].exception.reason
            # The server is still there for everybody else.
            await _good_client_works(port)
            hostile = sessions[0]
            conn = hostile._conn
            assert len(conn.answers) <= 256 + 1 and len(conn.imports) <= 8, (
                f"{name}: tables grew: {len(conn.answers)} answers, {len(conn.imports)} imports")
        finally:
            for s in sessions:
                await s.close("test over")
            server.close()
            await server.wait_closed()

    asyncio.run(asyncio.wait_for(scenario(), 60))
