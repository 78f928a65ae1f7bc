"""Transports at their edges: what is written after a close, how each kind of close reaches the
socket (a gentle close falls back to a plain one when the socket cannot shut its write side),
flow-control bounds, attach and read used the wrong way, what a session is (not) called with
after the end of the stream, and the push defaults of each way to make a transport."""

from __future__ import annotations

import asyncio
import gc
import os
import socket
import tempfile
import weakref
from typing import List, Optional, Type

import pytest

from capnp_lite.aio.transport import (MAX_UNSENT, MemoryTransport, ProtocolTransport, StreamTransport, Transport,
                                      connect_tcp, connect_unix, memory_pair)
from tests.aio import support
from tests.aio.support import run


class FakeSocket(support.FakeSocket):
    """The recording socket, with a write side to shut.  ``close()`` is only counted here, and
    ``is_closing()`` keeps reporting ``closed`` as the test sets it, so each transport's own
    bookkeeping is what is tested."""

    def __init__(self, *, can_eof: bool = True, eof_error: Optional[Type[BaseException]] = None,
                 reading: bool = True) -> None:
        super().__init__()
        self.reading = reading
        self.closes = 0
        self.can_eof = can_eof
        self.eof_error = eof_error
        self.eofs = 0
        self.resumes = 0

    def close(self) -> None:
        self.closes += 1

    def can_write_eof(self) -> bool:
        return self.can_eof

    def write_eof(self) -> None:
        if self.eof_error is not None:
            raise self.eof_error()
        self.eofs += 1

    def is_reading(self) -> bool:
        return self.reading

    def resume_reading(self) -> None:
        super().resume_reading()
        self.resumes += 1


class FakeWriter:
    """The parts of an ``asyncio.StreamWriter`` a ``StreamTransport`` uses, recorded."""

    def __init__(self, transport: Optional[FakeSocket] = None) -> None:
        self.transport = transport if transport is not None else FakeSocket()
        self.written: List[bytes] = []
        self.closing = False
        self.closes = 0
        self.drains = 0
        self.waits = 0

    def is_closing(self) -> bool:
        return self.closing

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def close(self) -> None:
        self.closes += 1

    async def drain(self) -> None:
        self.drains += 1

    async def wait_closed(self) -> None:
        self.waits += 1


def stream(writer: FakeWriter, data: bytes = b"") -> StreamTransport:
    reader = asyncio.StreamReader()
    if data:
        reader.feed_data(data)
    return StreamTransport(reader, writer)  # type: ignore[arg-type]


def made(sock: Optional[FakeSocket] = None, push: bool = True) -> ProtocolTransport:
    proto = ProtocolTransport(push=push)
    proto.connection_made(sock if sock is not None else FakeSocket())
    return proto


class Sink:
    """A session's callbacks: what was pushed, ``None`` for the end of the stream."""

    def __init__(self) -> None:
        self.events: List[Optional[bytes]] = []

    def on_data(self, data: bytes) -> None:
        self.events.append(data)

    def on_eof(self) -> None:
        self.events.append(None)


def test_the_base_transport_leaves_write_and_close_to_subclasses() -> None:
    with pytest.raises(NotImplementedError):
        Transport().write(b"")
    with pytest.raises(NotImplementedError):
        Transport().close()


# StreamTransport


def test_a_stream_transport_reads_on_with_exactly_max_unsent_bytes_unsent() -> None:
    async def main() -> None:
        writer = FakeWriter()
        writer.transport.unsent = MAX_UNSENT  # at the bound, not past it
        assert await stream(writer, b"calls").read() == b"calls"
        assert writer.drains == 0

    run(main)


def test_a_stream_transport_writes_nothing_once_closed_or_closing() -> None:
    async def main() -> None:
        writer = FakeWriter()
        transport = stream(writer)
        transport.write(b"a")
        transport.close()
        transport.write(b"b")  # closed by us, though the writer does not say it is closing yet
        assert writer.written == [b"a"]

        writer = FakeWriter()
        transport = stream(writer)
        writer.closing = True  # closing under us (the peer went)
        transport.write(b"c")
        assert writer.written == []

    run(main)


def test_a_stream_transport_closes_its_writer_unless_it_is_closing_already() -> None:
    async def main() -> None:
        writer = FakeWriter()
        stream(writer).close()
        assert writer.closes == 1

        writer = FakeWriter()
        writer.closing = True
        stream(writer).close()
        assert writer.closes == 0

    run(main)


def test_a_stream_transport_drain_and_wait_closed_wait_on_the_writer() -> None:
    async def main() -> None:
        writer = FakeWriter()
        transport = stream(writer)
        await transport.drain()
        assert writer.drains == 1
        await transport.wait_closed()
        assert writer.waits == 1

    run(main)


def test_a_stream_transport_closed_gently_shuts_its_write_side_and_writes_no_more() -> None:
    async def main() -> None:
        writer = FakeWriter()
        transport = stream(writer)
        transport.close_gently()
        assert writer.transport.eofs == 1 and writer.closes == 0  # not closed yet: it lingers
        transport.write(b"late")
        assert writer.written == []
        transport.close_gently()  # once is enough
        assert writer.transport.eofs == 1 and writer.closes == 0

    run(main)


def test_a_stream_transport_closed_gently_after_close_does_nothing_more() -> None:
    async def main() -> None:
        writer = FakeWriter()
        transport = stream(writer)
        transport.close()
        transport.close_gently()
        assert writer.closes == 1 and writer.transport.eofs == 0

    run(main)


def test_a_stream_transport_closes_at_once_when_its_socket_cannot_shut_its_write_side() -> None:
    async def main() -> None:
        writer = FakeWriter(FakeSocket(can_eof=False))
        stream(writer).close_gently()
        assert writer.closes == 1 and writer.transport.eofs == 0

    run(main)


def test_a_stream_transport_closed_gently_while_closing_leaves_it_be() -> None:
    async def main() -> None:
        writer = FakeWriter()
        writer.closing = True
        stream(writer).close_gently()
        assert writer.closes == 0 and writer.transport.eofs == 0

    run(main)


# Gentle closes of a protocol transport (the socket's side of them)


def test_a_protocol_transport_closed_gently_shuts_its_write_side_and_lingers() -> None:
    async def main() -> None:
        sock = FakeSocket()
        proto = made(sock)
        proto.close_gently()
        assert sock.eofs == 1 and sock.closes == 0
        assert sock.resumes == 0  # reading already: left as it is
        proto.write(b"late")
        assert sock.written == []

    run(main)


def test_a_gentle_close_resumes_a_paused_socket_to_see_the_peer_end() -> None:
    async def main() -> None:
        sock = FakeSocket(reading=False)
        made(sock).close_gently()
        assert sock.eofs == 1 and sock.reading and sock.resumes == 1

    run(main)


def test_a_gentle_close_falls_back_to_close_when_the_socket_cannot_shut_its_write_side() -> None:
    async def main() -> None:
        sock = FakeSocket(can_eof=False)
        made(sock).close_gently()
        assert sock.closes == 1 and sock.eofs == 0

        for error in (OSError, NotImplementedError, RuntimeError):
            sock = FakeSocket(eof_error=error)
            made(sock).close_gently()
            assert sock.closes == 1, error

    run(main)


def test_a_gentle_close_outside_the_event_loop_closes_at_once() -> None:
    sock = FakeSocket()
    made(sock).close_gently()
    assert sock.closes == 1 and sock.eofs == 0


def test_a_second_gentle_close_closes_at_once() -> None:
    async def main() -> None:
        sock = FakeSocket()
        proto = made(sock)
        proto.close_gently()
        assert sock.closes == 0
        proto.close_gently()
        assert sock.closes == 1 and sock.eofs == 1

    run(main)


def test_a_protocol_transport_writes_nothing_after_close() -> None:
    sock = FakeSocket()
    proto = made(sock)
    proto.close()
    proto.write(b"late")  # the socket does not say it is closing yet
    assert sock.closes == 1 and sock.written == []


# Flow control of a protocol transport


def test_drain_returns_at_once_after_writing_resumed() -> None:
    async def main() -> None:
        proto = made()
        proto.pause_writing()
        proto.resume_writing()
        draining = asyncio.ensure_future(proto.drain())
        await asyncio.sleep(0)
        done = draining.done()
        draining.cancel()
        assert done

    run(main)


def test_reading_resumes_when_the_unsent_bytes_drain() -> None:
    sock = FakeSocket()
    proto = made(sock)
    proto.pause_writing()
    sock.unsent = MAX_UNSENT + 1
    proto.write(b"x")
    assert not sock.reading
    sock.unsent = 0
    proto.resume_writing()
    assert sock.reading


def test_exactly_max_unsent_bytes_unsent_do_not_stop_reading() -> None:
    sock = FakeSocket()
    proto = made(sock)
    proto.pause_writing()
    sock.unsent = MAX_UNSENT  # at the bound, not past it
    proto.write(b"x")
    assert sock.reading


# attach and read


def test_a_protocol_transport_without_push_refuses_attach_and_still_reads() -> None:
    async def main() -> None:
        proto = made(push=False)
        assert proto.attach(Sink().on_data, Sink().on_eof) is False
        proto.data_received(b"read")
        assert await proto.read() == b"read"

    run(main)


def test_read_while_attached_is_an_error() -> None:
    async def main() -> None:
        proto = made()
        proto.data_received(b"for the session")
        sink = Sink()
        assert proto.attach(sink.on_data, sink.on_eof)
        with pytest.raises(RuntimeError):
            await proto.read()
        await asyncio.sleep(0)
        assert sink.events == [b"for the session"]

    run(main)


def test_attaching_twice_is_an_error() -> None:
    async def main() -> None:
        proto = made()
        sink = Sink()
        assert proto.attach(sink.on_data, sink.on_eof)
        with pytest.raises(RuntimeError):
            proto.attach(sink.on_data, sink.on_eof)

    run(main)


def test_a_finished_or_cancelled_read_keeps_no_future() -> None:
    async def main() -> None:
        proto = made()
        reading = asyncio.ensure_future(proto.read())
        await asyncio.sleep(0)
        assert proto._inbox.waiter is not None
        proto.data_received(b"x")
        assert await reading == b"x"
        assert proto._inbox.waiter is None

        reading = asyncio.ensure_future(proto.read())
        await asyncio.sleep(0)
        reading.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reading
        assert proto._inbox.waiter is None

    run(main)


@pytest.mark.parametrize("ended_before_attach", [False, True])
def test_nothing_is_pushed_after_the_end_of_the_stream(ended_before_attach: bool) -> None:
    async def main() -> None:
        proto = made()
        sink = Sink()
        if ended_before_attach:  # buffered, then pushed on the attach's first turn
            proto.data_received(b"x")
            proto.eof_received()
        assert proto.attach(sink.on_data, sink.on_eof)
        await asyncio.sleep(0)  # pushing from here on
        if not ended_before_attach:
            proto.data_received(b"x")
            proto.eof_received()
        assert sink.events == [b"x", None]
        proto.data_received(b"late")
        proto.connection_lost(None)
        assert sink.events == [b"x", None]

    run(main)


# MemoryTransport


def test_memory_transports_do_not_push_unless_asked() -> None:
    async def main() -> None:
        sink = Sink()
        for transport in (MemoryTransport(), *memory_pair()):
            assert transport.push is False
            assert transport.attach(sink.on_data, sink.on_eof) is False
        assert MemoryTransport(push=False).attach(sink.on_data, sink.on_eof) is False
        a, b = memory_pair()
        a.write(b"read")
        assert await b.read() == b"read"  # still read, not attached

    run(main)


def test_a_closed_memory_transport_takes_nothing_more_from_its_peer() -> None:
    async def main() -> None:
        a, b = memory_pair()
        a.close()
        b.write(b"late")  # b still knows its peer
        assert await a.read() == b""

    run(main)


def test_what_is_written_in_one_turn_is_pushed_in_one_call_and_the_rest_on_a_later_turn() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        a, b = memory_pair(push=True)
        got: List[bytes] = []

        def on_data(data: bytes) -> None:
            got.append(data)
            if data == b"12":
                a.write(b"3")  # written during the push: goes on a later turn

        assert b.attach(on_data, lambda: None)
        await asyncio.sleep(0)
        seen: List[bytes] = []
        a.write(b"1")
        a.write(b"2")
        assert got == [] and b._inbox.size == 2  # waiting for the push, and counted
        loop.call_soon(lambda: seen.extend(got))  # runs right after the push
        for _ in range(3):
            await asyncio.sleep(0)
        assert seen == [b"12"]
        assert got == [b"12", b"3"]

    run(main)


def test_an_ended_memory_transport_lets_go_of_the_session_callbacks() -> None:
    async def main() -> None:
        a, b = memory_pair(push=True)
        sink = Sink()
        assert b.attach(sink.on_data, sink.on_eof)
        await asyncio.sleep(0)
        a.write(b"x")
        a.close()
        await asyncio.sleep(0)
        assert sink.events == [b"x", None]
        gone = weakref.ref(sink)
        del sink
        gc.collect()
        assert gone() is None
        assert b._inbox.on_data is None and b._inbox.on_eof is None

    run(main)


# What connect_tcp and connect_unix make


def test_connect_tcp_makes_a_pushing_transport() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(ProtocolTransport, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = await connect_tcp("127.0.0.1", port)
        assert client.push is True
        client.close()
        server.close()
        await server.wait_closed()

    run(main)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")
def test_connect_unix_makes_a_pushing_transport() -> None:
    async def main() -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "s")
            server = await asyncio.get_running_loop().create_unix_server(ProtocolTransport, path)
            client = await connect_unix(path)
            assert client.push is True
            client.close()
            server.close()
            await server.wait_closed()

    run(main)
