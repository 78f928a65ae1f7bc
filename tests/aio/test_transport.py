"""Transports: the asyncio-protocol transport's buffering, pushing, partial reads and back-pressure,
and sessions over it (byte-at-a-time delivery, real TCP)."""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any, Callable, List

import capnp_lite.aio as capnp
from capnp_lite.aio.transport import READ_SIZE, MemoryTransport, ProtocolTransport, memory_pair

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from calculator_pycapnp_server import SCHEMA, make_impl  # noqa: E402
from tests.aio.support import FakeSocket, run  # noqa: E402

calc_capnp = capnp.load(SCHEMA)
CalculatorImpl = make_impl(capnp, calc_capnp)


def made(push: bool = True) -> "tuple[ProtocolTransport, FakeSocket]":
    proto, sock = ProtocolTransport(push=push), FakeSocket()
    proto.connection_made(sock)
    return proto, sock


def test_read_joins_what_arrived_and_pauses_a_full_buffer() -> None:
    async def main() -> None:
        proto, sock = made()
        proto.data_received(b"ab")
        proto.data_received(b"c")
        assert await proto.read() == b"abc"
        pending = asyncio.ensure_future(proto.read())
        await asyncio.sleep(0)
        assert not pending.done()
        proto.data_received(b"d")
        assert await pending == b"d"
        # Nobody reading: past READ_SIZE buffered bytes the socket stops reading until read().
        proto.data_received(b"x" * READ_SIZE)
        assert sock.reading
        proto.data_received(b"y")
        assert not sock.reading
        data = await proto.read()
        assert data == b"x" * READ_SIZE + b"y" and sock.reading
        proto.data_received(b"z")
        proto.eof_received()
        assert await proto.read() == b"z"
        assert await proto.read() == b""
        assert await proto.read() == b""

    run(main)


def test_attach_delivers_buffered_bytes_on_the_next_turn_then_pushes_in_order() -> None:
    async def main() -> None:
        proto, sock = made()
        got: List[bytes] = []
        ends: List[int] = []
        proto.data_received(b"x" * (READ_SIZE + 1))  # paused: nobody reads
        assert not sock.reading
        assert proto.attach(got.append, lambda: ends.append(len(got)))
        assert sock.reading
        assert got == []  # never inside attach()
        proto.data_received(b"1")  # before the buffered bytes went: stays behind them
        await asyncio.sleep(0)
        assert got == [b"x" * (READ_SIZE + 1) + b"1"]
        proto.data_received(b"2")
        assert got[-1] == b"2"  # pushed at once
        proto.data_received(b"3")
        proto.eof_received()
        proto.connection_lost(None)
        assert got[-1] == b"3" and ends == [3]  # the end comes once, after the bytes

    run(main)


def test_end_before_attach_is_delivered_after_the_bytes() -> None:
    async def main() -> None:
        proto, _ = made()
        events: List[Any] = []
        proto.data_received(b"last")
        proto.connection_lost(ConnectionResetError())
        proto.attach(events.append, lambda: events.append(None))
        await asyncio.sleep(0)
        assert events == [b"last", None]

    run(main)


def test_drain_waits_while_writing_is_paused() -> None:
    async def main() -> None:
        proto, sock = made()
        await proto.drain()  # not paused: at once
        proto.pause_writing()
        waiting = asyncio.ensure_future(proto.drain())
        await asyncio.sleep(0)
        assert not waiting.done()
        proto.resume_writing()
        await asyncio.sleep(0)
        assert waiting.done()
        proto.pause_writing()
        waiting = asyncio.ensure_future(proto.drain())
        await asyncio.sleep(0)
        assert not waiting.done()
        proto.connection_lost(None)  # a lost connection releases writers too
        await asyncio.sleep(0)
        assert waiting.done()
        proto.write(b"q")
        assert sock.written == [b"q"]
        proto.close()
        proto.write(b"r")  # dropped once closing
        assert sock.written == [b"q"] and sock.closed

    run(main)


def byte_at_a_time(dst: ProtocolTransport) -> Callable[[bytes], None]:
    """Deliver each written chunk to ``dst`` one byte per loop turn."""
    loop = asyncio.get_running_loop()
    queue: List[int] = []

    def step() -> None:
        dst.data_received(bytes([queue.pop(0)]))
        if queue:
            loop.call_soon(step)

    def write(data: bytes) -> None:
        idle = not queue
        queue.extend(data)
        if idle and queue:
            loop.call_soon(step)

    return write


def test_sessions_over_protocol_transports_fed_one_byte_at_a_time() -> None:
    async def main() -> None:
        a, sa = made()
        b, sb = made()
        sa.on_write = byte_at_a_time(b)
        sb.on_write = byte_at_a_time(a)
        srv = capnp.Session(b, CalculatorImpl())
        cli = capnp.Session(a)
        calc = cli.bootstrap().cast_as(calc_capnp.Calculator)
        value = calc.evaluate({"literal": 3.5}).value
        assert (await value.read()).value == 3.5
        reads = await asyncio.gather(*[value.read() for _ in range(5)])
        assert [r.value for r in reads] == [3.5] * 5
        await cli.close()
        await srv.wait_closed()
        assert sa.closed

    run(main)


def test_session_over_tcp_with_pycapnp_names() -> None:
    async def main() -> None:
        served: List[capnp.TwoPartyServer] = []

        async def on_client(stream: capnp.AsyncIoStream) -> None:
            server = capnp.TwoPartyServer(stream, bootstrap=CalculatorImpl())
            served.append(server)
            await server.on_disconnect()

        listener = await capnp.AsyncIoStream.create_server(on_client, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        stream = await capnp.AsyncIoStream.create_connection(host="127.0.0.1", port=port)
        client = capnp.TwoPartyClient(stream)
        calc = client.bootstrap().cast_as(calc_capnp.Calculator)
        value = calc.evaluate({"literal": 2.0}).value
        big = await asyncio.gather(*[value.read() for _ in range(300)])
        assert {r.value for r in big} == {2.0}
        await client.close()
        await asyncio.wait_for(served[0].on_disconnect(), 5)
        listener.close()
        await listener.wait_closed()

    run(main)


def test_a_peer_closing_mid_message_ends_the_session() -> None:
    async def main() -> None:
        proto, sock = made()
        session = capnp.Session(proto)
        cap = session.bootstrap().cast_as(calc_capnp.Calculator)
        promise = cap.evaluate({"literal": 1.0})
        await asyncio.sleep(0)
        proto.data_received(b"\x00\x00\x00\x00\x05")  # half a frame header
        proto.eof_received()
        try:
            await promise
        except capnp.KjException as exc:
            assert "closed" in str(exc)
        else:
            raise AssertionError("the call must fail")
        assert not session.is_open and sock.closed

    run(main)


def test_memory_transport_still_serves_read_when_not_attached() -> None:
    async def main() -> None:
        a, b = memory_pair()
        a.write(b"one")
        a.write(b"two")
        assert await b.read() == b"onetwo"
        a.close()
        assert await b.read() == b""
        assert isinstance(a, MemoryTransport)

    run(main)


def test_a_full_buffer_arriving_while_attaching_does_not_pause_the_socket() -> None:
    async def main() -> None:
        proto, sock = made(push=True)
        got: List[int] = []
        proto.attach(lambda data: got.append(len(data)), lambda: None)
        proto.data_received(b"\0" * (READ_SIZE + 1))  # before the switch to pushing takes effect
        for _ in range(2):
            await asyncio.sleep(0)
        assert got == [READ_SIZE + 1]
        assert sock.reading  # nothing would ever call read() to resume it

    run(main)


def test_close_gently_delivers_the_last_bytes_then_the_end_and_closes_after_the_peer() -> None:
    """After an Abort the socket's write side is shut (the peer reads all we sent, then the end
    of the stream) while the peer's own bytes are still taken in; the socket closes when the
    peer closes, or after LINGER seconds when it does not."""
    from capnp_lite.aio import transport as transport_module

    async def main() -> None:
        loop = asyncio.get_running_loop()
        accepted: "asyncio.Future[ProtocolTransport]" = loop.create_future()
        server = await loop.create_server(lambda: ProtocolTransport(accepted.set_result), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        for peer_closes in (True, False):
            accepted = loop.create_future()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            ours = await accepted
            writer.write(b"x" * (4 << 20))  # more than we will ever read
            ours.write(b"last words")
            ours.close_gently()
            ours.write(b"never sent")  # closed for writing now
            assert await asyncio.wait_for(reader.read(), 5) == b"last words"  # then the end
            assert ours._transport is not None and not ours._transport.is_closing()
            if peer_closes:
                writer.close()
                for _ in range(100):
                    if ours._lost:
                        break
                    await asyncio.sleep(0.01)
                assert ours._lost
            else:
                await asyncio.sleep(transport_module.LINGER + 0.2)
                assert ours._transport.is_closing()
                writer.close()
        server.close()
        await server.wait_closed()

    linger = transport_module.LINGER
    transport_module.LINGER = 0.3
    try:
        run(main)
    finally:
        transport_module.LINGER = linger


def test_reading_stops_while_too_much_waits_to_be_sent() -> None:
    """A peer that sends but never reads what we answer: past MAX_UNSENT unsent bytes the
    socket stops reading, and reads again once the buffer drains (each reason for a pause,
    this one and a full inbox, is lifted on its own)."""
    from capnp_lite.aio import transport as transport_module

    proto, sock = made(push=False)
    proto.write(b"x")
    assert sock.reading  # below the high-water mark: not even looked at
    proto.pause_writing()
    sock.unsent = transport_module.MAX_UNSENT + 1
    proto.write(b"y")
    assert not sock.reading
    proto.data_received(b"z" * (READ_SIZE + 1))  # the inbox fills up too
    proto.resume_writing()
    assert not sock.reading  # still paused: the inbox is full

    async def main() -> None:
        assert await proto.read()
        assert sock.reading  # both reasons gone

    run(main)


def test_a_stream_transport_reads_nothing_while_too_much_waits_to_be_sent() -> None:
    from capnp_lite.aio import transport as transport_module

    class Writer:  # the parts of a StreamWriter the transport uses
        def __init__(self) -> None:
            self.transport = FakeSocket()
            self.drained = asyncio.Event()

        async def drain(self) -> None:
            await self.drained.wait()
            self.transport.unsent = 0

    async def main() -> None:
        reader = asyncio.StreamReader()
        reader.feed_data(b"calls")
        writer = Writer()
        stream = capnp.StreamTransport(reader, writer)  # type: ignore[arg-type]
        writer.transport.unsent = transport_module.MAX_UNSENT + 1
        reading = asyncio.ensure_future(stream.read())
        for _ in range(5):
            await asyncio.sleep(0)
        assert not reading.done()  # held back until our answers drain
        writer.drained.set()
        assert await asyncio.wait_for(reading, 5) == b"calls"

    run(main)
