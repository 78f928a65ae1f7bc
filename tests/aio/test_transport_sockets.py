"""Socket transports over real loopback connections: Nagle's algorithm is off at both ends,
``wait_closed`` waits for the connection to end and no longer, a connection reset (no orderly
end of stream) still ends reading, and a memory transport closed gently ends its peer's reads."""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import Tuple

from capnp_lite.aio.transport import ProtocolTransport, connect_tcp, memory_pair
from tests.aio.support import run


async def _pair() -> Tuple[ProtocolTransport, ProtocolTransport, "asyncio.AbstractServer"]:
    """A client transport from ``connect_tcp`` and the server's transport for it."""
    loop = asyncio.get_running_loop()
    accepted: "asyncio.Future[ProtocolTransport]" = loop.create_future()
    server = await loop.create_server(lambda: ProtocolTransport(accepted.set_result), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = await connect_tcp("127.0.0.1", port)
    return client, await accepted, server


def _no_delay(transport: ProtocolTransport) -> int:
    sock = transport.get_extra_info("socket")
    value: int = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    return value


def test_both_ends_of_a_tcp_connection_send_at_once() -> None:
    # Without TCP_NODELAY, a small message after another waits for the peer's delayed
    # acknowledgement (tens of milliseconds a round trip).
    async def main() -> None:
        client, served, server = await _pair()
        assert _no_delay(client) and _no_delay(served)
        client.write(b"ping")
        assert await served.read() == b"ping"
        client.close()
        served.close()
        server.close()
        await server.wait_closed()

    run(main)


def test_wait_closed_waits_for_the_end_of_the_connection() -> None:
    async def main() -> None:
        client, served, server = await _pair()
        waiting = asyncio.ensure_future(served.wait_closed())
        await asyncio.sleep(0.05)
        assert not waiting.done()  # the peer is still there
        client.close()
        await asyncio.wait_for(waiting, 5)
        await asyncio.wait_for(served.wait_closed(), 5)  # and at once from then on
        assert await served.read() == b""
        server.close()
        await server.wait_closed()

    run(main)


def test_a_connection_reset_ends_reading() -> None:
    # A peer that resets the connection sends no end of stream: reading must end all the same.
    async def main() -> None:
        loop = asyncio.get_running_loop()
        accepted: "asyncio.Future[ProtocolTransport]" = loop.create_future()
        server = await loop.create_server(lambda: ProtocolTransport(accepted.set_result), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        raw = socket.create_connection(("127.0.0.1", port))
        served = await accepted
        raw.sendall(b"before")
        assert await served.read() == b"before"
        reading = asyncio.ensure_future(served.read())
        await asyncio.sleep(0.02)
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        raw.close()  # with a zero linger: a reset
        assert await asyncio.wait_for(reading, 5) == b""
        await asyncio.wait_for(served.wait_closed(), 5)
        server.close()
        await server.wait_closed()

    run(main)


def test_a_memory_transport_closed_gently_ends_its_peer() -> None:
    async def main() -> None:
        a, b = memory_pair()
        a.write(b"last")
        a.close_gently()
        got = b""
        while True:
            chunk = await asyncio.wait_for(b.read(), 5)
            if not chunk:
                break
            got += chunk
        assert got == b"last"

    run(main)



def test_an_attached_transport_keeps_nothing_and_never_pauses() -> None:
    # Bytes pushed to an attached session are not also kept in the transport: kept, they would
    # grow without bound and, past READ_SIZE, pause the socket for a reader that never comes.
    async def main() -> None:
        client, served, server = await _pair()
        got = bytearray()
        ended = asyncio.get_running_loop().create_future()
        assert served.attach(got.extend, lambda: ended.set_result(None))
        payload = bytes(range(256)) * 4096  # 1 MiB, many times READ_SIZE
        for k in range(0, len(payload), 50_000):
            client.write(payload[k:k + 50_000])
            await client.drain()
        client.close()
        await asyncio.wait_for(ended, 10)
        assert bytes(got) == payload
        assert served._inbox.size == 0 and not served._inbox.chunks
        server.close()
        await server.wait_closed()

    run(main)


def test_an_attached_memory_transport_sees_its_peer_close() -> None:
    async def main() -> None:
        a, b = memory_pair(push=True)
        got = bytearray()
        ended = asyncio.get_running_loop().create_future()
        assert b.attach(got.extend, lambda: ended.set_result(None))
        await asyncio.sleep(0)  # attached from the next turn on
        a.write(b"first")
        a.write(b" and last")
        a.close()
        await asyncio.wait_for(ended, 5)
        assert bytes(got) == b"first and last"

    run(main)
