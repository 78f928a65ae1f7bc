"""Byte transports for RPC sessions: asyncio streams (TCP, Unix sockets) and an in-memory pair.

A transport only moves bytes.  Framing, batching and the protocol live in the
session; a transport needs ``read`` (``b""`` at end of stream), ``write``
(never blocks; bytes are queued) and ``close``.

A transport may also deliver what it receives itself: ``attach(on_data,
on_eof)`` hands it the session's callbacks, and returns False when it only
supports ``read``.  Pushing saves the reader task's wake-up and a loop turn per
batch of messages; both kinds of transport work with every session.  Socket
transports push by default; ``push=False`` keeps a reader task.
"""

from __future__ import annotations

import asyncio
import collections
import socket
from typing import Any, Callable, Coroutine, Deque, List, Optional, Tuple

__all__ = ["Transport", "StreamTransport", "ProtocolTransport", "MemoryTransport", "memory_pair", "connect_tcp",
           "connect_unix", "DataCallback", "EofCallback"]

READ_SIZE = 1 << 16
# Seconds a closed socket transport waits for the peer to close its side (see _close_gently).
LINGER = 1.0
# Bytes a socket transport may hold unsent before it stops reading what the peer sends (a peer
# that sends calls but never reads our Returns must not grow our memory without bound).  Far
# above what flow control leaves in flight, so that two peers sending at once do not both stop.
MAX_UNSENT = 64 << 20

DataCallback = Callable[[bytes], None]
EofCallback = Callable[[], None]


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

    async def wait_closed(self) -> None:
        """Wait until the connection is closed (``close`` was called or the peer went).
        Here, for transports that cannot tell: at once."""

    def close_gently(self) -> None:
        """Close after an Abort: what is queued still reaches the peer even if it keeps sending.

        Socket transports shut their write side and close once the peer closes its side, or
        ``LINGER`` seconds later; closing at once with the peer's bytes unread would make the
        kernel reset the connection and drop the Abort.  Other transports just close."""
        self.close()

    def attach(self, on_data: DataCallback, on_eof: EofCallback) -> bool:
        """Deliver received bytes to ``on_data`` (and the end of the stream to ``on_eof``) from now
        on, instead of through ``read``.  False: this transport only supports ``read``.

        Transports made with ``push=True`` accept.  A session then handles each batch of bytes
        in the protocol callback that received it, which saves a loop turn and a task wake-up
        per batch.  ``async def`` server methods run in tasks of their own either way."""
        return False


def _wake(waiters: List["asyncio.Future[None]"]) -> None:
    """Settle the futures of callers waiting on a transport (drain, wait_closed)."""
    for w in waiters:
        if not w.done():
            w.set_result(None)


def _close_gently(transport: asyncio.WriteTransport) -> bool:
    """End our side of a socket with a FIN after what is queued (False: not a socket that can).

    Closing a TCP socket while bytes from the peer are unread makes the kernel reset the
    connection and throw away what it had not sent yet: a peer aborted for flooding us would
    lose the Abort that says why.  So the write side is shut first, and the socket is closed
    when the peer closes its side, or ``LINGER`` seconds later (see ``Transport.close_gently``).
    """
    try:
        loop = asyncio.get_running_loop()  # none (closing from outside the loop): close at once
        if not transport.can_write_eof():
            return False
        transport.write_eof()
    except (NotImplementedError, OSError, RuntimeError):
        return False
    if isinstance(transport, asyncio.ReadTransport) and not transport.is_reading():
        try:
            transport.resume_reading()  # to see the peer's end of stream
        except RuntimeError:
            pass
    loop.call_later(LINGER, _close_now, transport)
    return True


def _close_now(transport: asyncio.BaseTransport) -> None:
    if not transport.is_closing():
        transport.close()


class StreamTransport(Transport):
    """An asyncio ``StreamReader`` / ``StreamWriter`` pair."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self._closed = False

    async def read(self) -> bytes:
        try:
            if self.writer.transport.get_write_buffer_size() > MAX_UNSENT:
                await self.writer.drain()  # the peer reads nothing: take nothing more from it
            return await self.reader.read(READ_SIZE)
        except (ConnectionError, OSError):
            return b""

    def write(self, data: bytes) -> None:
        if not self._closed and not self.writer.is_closing():
            self.writer.write(data)

    async def drain(self) -> None:
        try:
            await self.writer.drain()
        except (ConnectionError, OSError):
            pass

    def close(self) -> None:
        self._closed = True
        if not self.writer.is_closing():
            self.writer.close()

    async def wait_closed(self) -> None:
        try:
            await self.writer.wait_closed()
        except (ConnectionError, OSError):
            pass

    def close_gently(self) -> None:
        if self._closed:
            return
        self._closed = True
        writer = self.writer
        if not writer.is_closing() and not _close_gently(writer.transport):
            writer.close()


class _Inbox:
    """Received bytes not yet taken, for a transport read with ``read`` or attached later.

    ``read`` waits on a future; ``attach`` switches to pushing: what is buffered is delivered
    on the next loop turn (never inside ``attach``), then every chunk as it arrives.
    """

    __slots__ = ("chunks", "size", "eof", "waiter", "on_data", "on_eof", "attaching")

    def __init__(self) -> None:
        self.chunks: Deque[bytes] = collections.deque()  # in arrival order
        self.size = 0  # bytes in ``chunks``
        self.eof = False  # the end of the stream was seen (delivered once ``chunks`` is empty)
        self.waiter: Optional["asyncio.Future[None]"] = None  # a ``read`` waiting for bytes
        self.on_data: Optional[DataCallback] = None  # set once attached
        self.on_eof: Optional[EofCallback] = None
        self.attaching = False  # attach() was called; buffered bytes go on the next turn

    def put(self, data: bytes) -> None:
        on_data = self.on_data
        if on_data is not None:
            on_data(data)
            return
        self.chunks.append(data)
        self.size += len(data)
        self._wake()

    def end(self) -> None:
        if self.eof:
            return
        self.eof = True
        on_eof = self.on_eof
        if on_eof is not None:
            self.on_eof = self.on_data = None
            on_eof()
        else:
            self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def read(self) -> bytes:
        if self.attaching:
            raise RuntimeError("the transport delivers to its attached session; read() is not available")
        while not self.chunks:
            if self.eof:
                return b""
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                await self.waiter
            finally:
                self.waiter = None
        return self.take()

    def take(self) -> bytes:
        chunks = self.chunks
        data = chunks.popleft() if len(chunks) == 1 else b"".join(chunks)
        chunks.clear()
        self.size = 0
        return data

    def attach(self, on_data: DataCallback, on_eof: EofCallback) -> bool:
        if self.attaching:
            raise RuntimeError("the transport is attached already")
        self.attaching = True
        asyncio.get_running_loop().call_soon(self._start_pushing, on_data, on_eof)
        return True

    def _start_pushing(self, on_data: DataCallback, on_eof: EofCallback) -> None:
        if self.chunks:
            on_data(self.take())
        if self.eof:
            on_eof()
            return
        self.on_data = on_data
        self.on_eof = on_eof


class ProtocolTransport(asyncio.BufferedProtocol, Transport):
    """An asyncio protocol on a socket: received bytes go straight to the attached session.

    Without a session attached it buffers and serves ``read``, pausing the socket while more
    than ``READ_SIZE`` bytes wait.  ``drain`` waits while the socket's write buffer is above
    its high-water mark (``pause_writing`` / ``resume_writing``).

    A buffered protocol: the socket is read into one buffer of ``READ_SIZE`` bytes, reused,
    and what arrived is copied out.  A plain protocol's reads make a new buffer of asyncio's
    256 KiB each time, which costs some 7 us a read on CPython and on PyPy (more than the
    copy of the few hundred bytes an RPC message has).
    """

    def __init__(self, on_made: Optional[Callable[["ProtocolTransport"], Any]] = None, *,
                 push: bool = True) -> None:
        self._on_made = on_made  # called once connected (a server starts its session there)
        self.push = push  # offer attach(): see Transport.attach for what that changes
        self._serving: Any = None  # what ``on_made`` returned (a server keeps its task here)
        self._transport: Optional[asyncio.Transport] = None
        self._inbox = _Inbox()
        self._paused_reading = False  # the inbox is full (nobody reads it)
        self._unsent_hold = False  # more than MAX_UNSENT bytes wait to be sent
        self._reading_off = False  # the socket is paused, for either reason
        self._write_paused = False
        self._drain_waiters: List["asyncio.Future[None]"] = []
        self._lost = False
        self._lost_waiters: List["asyncio.Future[None]"] = []  # wait_closed() callers
        self._closed = False  # close() was called: nothing more is written
        self._read_buffer = memoryview(bytearray(READ_SIZE))  # what the socket reads into

    # asyncio.BufferedProtocol

    def get_buffer(self, sizehint: int) -> memoryview:
        return self._read_buffer

    def buffer_updated(self, nbytes: int) -> None:
        self.data_received(self._read_buffer[:nbytes].tobytes())

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        _no_delay_socket(transport.get_extra_info("socket"))
        if self._on_made is not None:
            self._serving = self._on_made(self)

    def data_received(self, data: bytes) -> None:
        inbox = self._inbox
        inbox.put(data)
        # Nobody is reading: let TCP push back on the peer.  (Not while a session is being
        # attached: it takes what is buffered on its first turn, and no read() would resume.)
        if (inbox.size > READ_SIZE and not self._paused_reading and not inbox.attaching
                and self._transport is not None):
            self._paused_reading = True
            self._set_reading()

    def eof_received(self) -> Optional[bool]:
        self._inbox.end()
        return False  # close our side as well

    def connection_lost(self, exc: Optional[BaseException]) -> None:
        self._lost = True
        self._inbox.end()
        self._wake_drainers()
        waiters, self._lost_waiters = self._lost_waiters, []
        _wake(waiters)

    def pause_writing(self) -> None:
        self._write_paused = True

    def resume_writing(self) -> None:
        self._write_paused = False
        if self._unsent_hold:
            self._unsent_hold = False
            self._set_reading()
        self._wake_drainers()

    def _set_reading(self) -> None:
        """Pause the socket while either reason holds, resume it when none does."""
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        off = self._paused_reading or self._unsent_hold
        if off != self._reading_off:
            self._reading_off = off
            if off:
                transport.pause_reading()
            else:
                transport.resume_reading()

    def _wake_drainers(self) -> None:
        waiters, self._drain_waiters = self._drain_waiters, []
        _wake(waiters)

    # Transport

    async def read(self) -> bytes:
        data = await self._inbox.read()
        if self._paused_reading:
            self._paused_reading = False
            self._set_reading()
        return data

    def attach(self, on_data: DataCallback, on_eof: EofCallback) -> bool:
        if not self.push:
            return False
        self._inbox.attach(on_data, on_eof)
        if self._paused_reading:
            self._paused_reading = False
            self._set_reading()
        return True

    def write(self, data: bytes) -> None:
        transport = self._transport
        if transport is not None and not self._closed and not transport.is_closing():
            transport.write(data)
            # Past the high-water mark already (so resume_writing will come): past the bound?
            if self._write_paused and not self._unsent_hold and transport.get_write_buffer_size() > MAX_UNSENT:
                self._unsent_hold = True
                self._set_reading()

    async def drain(self) -> None:
        if self._write_paused and not self._lost:
            w = asyncio.get_running_loop().create_future()
            self._drain_waiters.append(w)
            await w

    def close(self) -> None:
        transport = self._transport
        if transport is not None:
            self._closed = True
            if not transport.is_closing():
                transport.close()

    async def wait_closed(self) -> None:
        if self._lost or self._transport is None:
            return
        w = asyncio.get_running_loop().create_future()
        self._lost_waiters.append(w)
        await w

    def close_gently(self) -> None:
        transport = self._transport
        if self._closed or transport is None:
            self.close()
            return
        self._closed = True
        if not transport.is_closing() and not _close_gently(transport):
            transport.close()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        """The socket transport's extra info (``peername``, ``socket``...)."""
        transport = self._transport
        return default if transport is None else transport.get_extra_info(name, default)


class MemoryTransport(Transport):
    """One end of an in-memory pipe; see ``memory_pair``."""

    def __init__(self, *, push: bool = False) -> None:
        self._inbox = _Inbox()
        self.push = push  # offer attach(): see Transport.attach for what that changes
        self.peer: Optional[MemoryTransport] = None
        self._scheduled = False  # a delivery of what was written to us is due on the loop
        self._ended = False  # closed, by us or by the peer
        self._end_waiters: List["asyncio.Future[None]"] = []

    def _ends(self) -> None:
        self._ended = True
        waiters, self._end_waiters = self._end_waiters, []
        _wake(waiters)

    def _deliver(self, data: bytes) -> None:
        if not data:
            self._ends()
        inbox = self._inbox
        if inbox.eof:
            return
        if inbox.on_data is None:
            if data:
                inbox.put(data)
            else:
                inbox.end()
            return
        # Attached: delivered on a later loop turn, never inside the writer's call.
        if data:
            inbox.chunks.append(data)
            inbox.size += len(data)
        else:
            inbox.eof = True
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._push)

    def _push(self) -> None:
        self._scheduled = False
        inbox = self._inbox
        on_data, on_eof = inbox.on_data, inbox.on_eof
        if on_data is None or on_eof is None:
            return
        if inbox.chunks:
            on_data(inbox.take())
        if inbox.eof and inbox.on_eof is not None:
            inbox.on_data = inbox.on_eof = None
            on_eof()

    def read(self) -> Coroutine[Any, Any, bytes]:
        return self._inbox.read()  # its coroutine itself, one frame less per read

    def attach(self, on_data: DataCallback, on_eof: EofCallback) -> bool:
        if not self.push:
            return False
        return self._inbox.attach(on_data, on_eof)

    def write(self, data: bytes) -> None:
        if self.peer is not None and data:
            self.peer._deliver(bytes(data))

    def close(self) -> None:
        peer, self.peer = self.peer, None
        if peer is not None:
            peer._deliver(b"")
        self._deliver(b"")

    async def wait_closed(self) -> None:
        if not self._ended:
            w = asyncio.get_running_loop().create_future()
            self._end_waiters.append(w)
            await w


def memory_pair(*, push: bool = False) -> Tuple[MemoryTransport, MemoryTransport]:
    """Two connected in-memory transports (for tests and embedding)."""
    a, b = MemoryTransport(push=push), MemoryTransport(push=push)
    a.peer, b.peer = b, a
    return a, b


async def connect_tcp(host: Optional[str], port: Optional[int], *, push: bool = True,
                      **kwargs: Any) -> ProtocolTransport:
    """A TCP connection (``TCP_NODELAY`` set); ``push`` as for ``ProtocolTransport``.  With
    ``sock=`` (a connected stream socket of any family), ``host`` and ``port`` are None."""
    loop = asyncio.get_running_loop()
    if port is None:
        if kwargs.get("sock") is None:
            raise TypeError("a TCP connection needs a port (or sock=)")
        _, protocol = await loop.create_connection(lambda: ProtocolTransport(push=push), **kwargs)
    else:
        _, protocol = await loop.create_connection(
            lambda: ProtocolTransport(push=push), host or "localhost", port, **kwargs)
    return protocol


async def connect_unix(path: str, *, push: bool = True, **kwargs: Any) -> ProtocolTransport:
    _, protocol = await asyncio.get_running_loop().create_unix_connection(
        lambda: ProtocolTransport(push=push), path, **kwargs)
    return protocol


def _no_delay_socket(sock: Any) -> None:
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
