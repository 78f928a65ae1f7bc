"""Byte transports for RPC sessions: asyncio streams (TCP, Unix sockets) and an in-memory pair.

A transport only moves bytes.  Framing, batching and the protocol live in the
session; a transport needs ``read`` (``b""`` at end of stream), ``write``
(never blocks; bytes are queued) and ``close``.
"""

from __future__ import annotations

import asyncio
import collections
from typing import Deque, Optional, Tuple

__all__ = ["Transport", "StreamTransport", "MemoryTransport", "memory_pair", "connect_tcp", "connect_unix"]

READ_SIZE = 1 << 16


class Transport:
    """The interface a session drives; subclasses move the bytes."""

    async def read(self) -> bytes:
        raise NotImplementedError

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    async def drain(self) -> None:
        """Wait until the queued bytes are below the transport's high-water mark."""

    def close(self) -> None:
        raise NotImplementedError


class StreamTransport(Transport):
    """An asyncio ``StreamReader`` / ``StreamWriter`` pair."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def read(self) -> bytes:
        try:
            return await self.reader.read(READ_SIZE)
        except (ConnectionError, OSError):
            return b""

    def write(self, data: bytes) -> None:
        if not self.writer.is_closing():
            self.writer.write(data)

    async def drain(self) -> None:
        try:
            await self.writer.drain()
        except (ConnectionError, OSError):
            pass

    def close(self) -> None:
        if not self.writer.is_closing():
            self.writer.close()


class MemoryTransport(Transport):
    """One end of an in-memory pipe; see ``memory_pair``."""

    def __init__(self) -> None:
        self._inbox: Deque[bytes] = collections.deque()
        self._waiter: Optional[asyncio.Future[None]] = None
        self._eof = False
        self.peer: Optional[MemoryTransport] = None

    def _deliver(self, data: bytes) -> None:
        if self._eof:
            return
        if data:
            self._inbox.append(data)
        else:
            self._eof = True
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def read(self) -> bytes:
        while not self._inbox:
            if self._eof:
                return b""
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
            self._waiter = None
        if len(self._inbox) == 1:
            return self._inbox.popleft()
        data = b"".join(self._inbox)
        self._inbox.clear()
        return data

    def write(self, data: bytes) -> None:
        if self.peer is not None and data:
            self.peer._deliver(bytes(data))

    def close(self) -> None:
        peer, self.peer = self.peer, None
        if peer is not None:
            peer._deliver(b"")
        self._deliver(b"")


def memory_pair() -> Tuple[MemoryTransport, MemoryTransport]:
    """Two connected in-memory transports (for tests and embedding)."""
    a, b = MemoryTransport(), MemoryTransport()
    a.peer, b.peer = b, a
    return a, b


async def connect_tcp(host: str, port: int) -> StreamTransport:
    reader, writer = await asyncio.open_connection(host, port)
    _no_delay(writer)
    return StreamTransport(reader, writer)


async def connect_unix(path: str) -> StreamTransport:
    reader, writer = await asyncio.open_unix_connection(path)
    return StreamTransport(reader, writer)


def _no_delay(writer: asyncio.StreamWriter) -> None:
    import socket

    sock = writer.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
