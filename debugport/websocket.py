"""WebSocket over Cap'n Proto (http-over-capnp's ``WebSocket`` interface), both directions.

An upgraded HTTP request becomes two ``WebSocket`` capabilities, one per direction:

* the HTTP *server* calls ``ClientRequestContext.startWebSocket(headers, upSocket)``; it hosts
  ``upSocket``, on which the client sends its messages ("up" to the server);
* the HTTP *client* answers with ``downSocket``, which it hosts and on which the server sends
  its messages ("down" to the client).

So each side hosts an :class:`Inbox` (a ``WebSocket`` server receiving the peer's messages)
and calls the peer's socket to send.  Messages are ``sendText``/``sendData`` (streaming calls,
flow controlled) and the close frame is ``close(code, reason)``.  Dropping a socket
capability without ``close`` is an abnormal closure (code 1006): that is how the peer learns
that the other side went away.

The same :class:`WebSocket` object serves ``Target.websocket`` (client) and
``Request.accept_websocket`` / ``Response.websocket`` (server).
"""

from __future__ import annotations

import asyncio
import collections
import enum
from typing import Any, AsyncIterator, Deque, Optional, Union

from capnp_lite.errors import CapnpError, RpcError

from .schemas import schemas

__all__ = [
    "WebSocket",
    "WebSocketClosed",
    "WebSocketRefused",
    "Inbox",
    "Message",
    "NORMAL_CLOSURE",
    "NO_STATUS",
    "ABNORMAL_CLOSURE",
    "MESSAGE_TOO_BIG",
    "INTERNAL_ERROR",
    "check_close",
    "reply_code",
]

Message = Union[str, bytes]

# Close codes of RFC 6455 section 7.4.1 that this module produces itself.
NORMAL_CLOSURE = 1000
NO_STATUS = 1005  # a close frame without a code
ABNORMAL_CLOSURE = 1006  # no close frame at all: the peer dropped its socket
MESSAGE_TOO_BIG = 1009
INTERNAL_ERROR = 1011

# Received message bytes buffered before the peer's sends are held back (flow control).
READ_BUFFER = 1 << 20
# Largest message accepted from the peer; workerd itself refuses bigger ones by default.
MAX_MESSAGE = 32 << 20
# A close reason is at most 123 bytes: a control frame carries 125, two go to the code.
MAX_REASON = 123
# How long close() waits for the peer's close frame by default.
CLOSE_TIMEOUT = 10.0


class WebSocketClosed(CapnpError):
    """The WebSocket is closed: raised by ``receive`` at the end and by ``send`` after close.

    ``code`` and ``reason`` are the peer's close frame (``clean`` true), or 1006 and a
    description when the peer went away without one (``clean`` false).
    """

    def __init__(self, code: int, reason: str, clean: bool) -> None:
        super().__init__(f"WebSocket closed with code {code}" + (f": {reason}" if reason else ""))
        self.code = code
        self.reason = reason
        self.clean = clean


class WebSocketRefused(CapnpError):
    """The worker answered a WebSocket request with an ordinary response.

    ``status`` is its status code and ``response`` the response itself (its body can still
    be read).
    """

    def __init__(self, status: int, response: Any) -> None:
        super().__init__(f"the server did not accept the WebSocket (status {status})")
        self.status = status
        self.response = response


def check_close(code: int, reason: str) -> None:
    """Refuse a close code or reason that must not be sent in a close frame (RFC 6455 7.4)."""
    if not (code == NORMAL_CLOSURE or 1001 <= code <= 1003 or 1007 <= code <= 1014
            or 3000 <= code <= 4999):
        raise ValueError(f"WebSocket close code {code} cannot be sent")
    if len(reason.encode("utf-8")) > MAX_REASON:
        raise ValueError(f"WebSocket close reason is longer than {MAX_REASON} bytes")


def reply_code(code: int) -> int:
    """The code that answers a close frame carrying ``code``.

    A code that may be sent is echoed.  Anything else (no code, which arrives as 1005, or a
    reserved code such as 1006 or 1015) is answered without a code, which over Cap'n Proto
    is ``close(1005, "")``: that is how workerd itself sends a ``close()`` without a code,
    and how it reaches the peer's JavaScript (code 1005, clean).
    """
    try:
        check_close(code, "")
    except ValueError:
        return NO_STATUS
    return code


class _State(enum.Enum):
    """Where the receiving direction stands."""

    OPEN = "open"  # messages may arrive
    CLOSED = "closed"  # the peer's close frame arrived; buffered messages may still be read
    ABORTED = "aborted"  # the peer went away without a close frame, or broke a limit


class Inbox:
    """Messages from the peer, in order, with bounded buffering (the receiving direction)."""

    def __init__(self, limit: int = READ_BUFFER, max_message: int = MAX_MESSAGE) -> None:
        self._limit = limit  # buffered bytes before the peer's sends wait
        self._max_message = max_message  # larger messages abort the socket
        self._messages: Deque[Message] = collections.deque()
        self._size = 0  # bytes (or characters) buffered in _messages
        self.state = _State.OPEN
        self.close_code: Optional[int] = None  # the peer's close code, once closed or aborted
        self.close_reason = ""
        self._readable = asyncio.Event()  # set when a message or the end can be read
        self._writable = asyncio.Event()  # set when the buffer has room
        self._writable.set()
        self.ended = asyncio.get_running_loop().create_future()  # set at close or abort
        # Called once when the peer's close frame arrives (the owner replies with its own).
        self.on_peer_close: Optional[Any] = None

    @property
    def done(self) -> bool:
        return self.state is not _State.OPEN

    async def put(self, message: Message) -> None:
        """Queue one message from the peer, then wait while the buffer is over its limit."""
        if self.state is _State.CLOSED:
            raise RpcError("WebSocket message received after its close frame")
        if self.state is _State.ABORTED:
            raise RpcError("WebSocket was aborted", "disconnected")
        if len(message) > self._max_message:
            self.abort(MESSAGE_TOO_BIG, f"message of {len(message)} bytes is over the limit")
            raise RpcError(f"WebSocket message of {len(message)} bytes is larger than "
                           f"{self._max_message}")
        self._messages.append(message)
        self._size += len(message)
        self._readable.set()
        while self._size > self._limit and self.state is _State.OPEN:
            self._writable.clear()
            await self._writable.wait()

    def peer_closed(self, code: int, reason: str) -> None:
        """The peer's close frame: nothing follows it."""
        if self.state is not _State.OPEN:
            raise RpcError("WebSocket close frame received twice")
        self._end(_State.CLOSED, code, reason)
        callback, self.on_peer_close = self.on_peer_close, None
        if callback is not None:
            callback(code, reason)

    def abort(self, code: int = ABNORMAL_CLOSURE, reason: str = "WebSocket was aborted") -> None:
        """The peer went away (or broke a limit) without a close frame."""
        if self.state is _State.OPEN:
            self._end(_State.ABORTED, code, reason)

    def _end(self, state: _State, code: int, reason: str) -> None:
        self.state = state
        self.close_code = code
        self.close_reason = reason
        self._readable.set()
        self._writable.set()
        if not self.ended.done():
            self.ended.set_result(None)

    def closed_error(self) -> WebSocketClosed:
        assert self.close_code is not None
        return WebSocketClosed(self.close_code, self.close_reason, self.state is _State.CLOSED)

    async def get(self) -> Message:
        """The next message; raises :class:`WebSocketClosed` once none is left after the end."""
        while not self._messages:
            if self.state is not _State.OPEN:
                raise self.closed_error()
            self._readable.clear()
            await self._readable.wait()
        message = self._messages.popleft()
        self._size -= len(message)
        if self._size <= self._limit:
            self._writable.set()
        return message


def _inbox_server_class() -> type:
    """A ``WebSocket`` server feeding an :class:`Inbox`."""

    class InboxSocket(schemas().WebSocket.Server):  # type: ignore[misc]
        def __init__(self, inbox: Inbox) -> None:
            self.inbox = inbox

        async def sendText(self, text: str, _context: Any) -> None:
            await self.inbox.put(str(text))

        async def sendData(self, data: bytes, _context: Any) -> None:
            await self.inbox.put(bytes(data))

        async def close(self, code: int, reason: str, _context: Any) -> None:
            # Taken once this call's Return is queued, so that a reply goes after it.
            inbox, code, reason = self.inbox, int(code), str(reason)
            _context.on_returned(lambda: inbox.peer_closed(code, reason))

        def on_release(self) -> None:
            # The peer dropped our socket: no close frame will come any more.
            self.inbox.abort()

    return InboxSocket


_INBOX_CLASS: Optional[type] = None


def inbox_server(inbox: Inbox) -> Any:
    """The capability object to hand to the peer for ``inbox`` (a ``WebSocket`` server)."""
    global _INBOX_CLASS
    if _INBOX_CLASS is None:
        _INBOX_CLASS = _inbox_server_class()
    return _INBOX_CLASS(inbox)


class WebSocket:
    """One WebSocket: ``send``, ``receive`` (or ``async for``), ``close``.

    ``headers`` are the headers that came with the upgrade (the server's response headers on
    the client, the request's on the server); ``protocol`` is the agreed subprotocol, if any.
    """

    def __init__(self, session: Any, peer: Any, inbox: Inbox, *, headers: Any = None,
                 protocol: Optional[str] = None) -> None:
        self._session = session
        self._peer = peer  # the peer's WebSocket capability (where our messages go)
        self.inbox = inbox
        self.headers = headers
        self.protocol = protocol
        self._close_sent = False
        self._close_call: Optional["asyncio.Future[Any]"] = None
        self._released = False
        inbox.on_peer_close = self._reply_to_close
        inbox.ended.add_done_callback(lambda _: self._release_if_done())
        session.closed.add_done_callback(
            lambda _: inbox.abort(ABNORMAL_CLOSURE, "the connection closed"))

    # -- state

    @property
    def closed(self) -> bool:
        """True once the peer's close frame arrived (or the peer went away)."""
        return self.inbox.done

    @property
    def close_code(self) -> Optional[int]:
        """The peer's close code (1006 when it went away without one), or None while open."""
        return self.inbox.close_code

    @property
    def close_reason(self) -> str:
        return self.inbox.close_reason

    # -- sending

    async def send(self, message: Union[str, bytes, bytearray, memoryview]) -> None:
        """Send a text (``str``) or binary message; waits while too much is in flight."""
        if self._close_sent or self._released:
            raise self._send_closed_error()
        if not isinstance(message, (str, bytes, bytearray, memoryview)):
            raise TypeError(f"a WebSocket message is str or bytes, not {type(message).__name__}")
        try:
            if isinstance(message, str):
                self._peer.sendText(text=message)
            else:
                self._peer.sendData(data=bytes(message))
            await self._session.stream_ready(self._peer)
        except RpcError as exc:
            if self.inbox.done:
                raise self.inbox.closed_error() from None
            raise WebSocketClosed(ABNORMAL_CLOSURE, exc.reason, False) from None

    def _send_closed_error(self) -> WebSocketClosed:
        if self.inbox.done:
            return self.inbox.closed_error()
        return WebSocketClosed(NORMAL_CLOSURE, "close() was called", True)

    # -- receiving

    async def receive(self) -> Message:
        """The next message (``str`` or ``bytes``); raises :class:`WebSocketClosed` at the end."""
        return await self.inbox.get()

    async def iter_messages(self) -> AsyncIterator[Message]:
        """Messages until the peer's close frame; an abnormal end raises :class:`WebSocketClosed`."""
        while True:
            try:
                message = await self.inbox.get()
            except WebSocketClosed as exc:
                if exc.clean:
                    return
                raise
            yield message

    def __aiter__(self) -> AsyncIterator[Message]:
        return self.iter_messages()

    # -- closing

    def _send_close(self, code: int, reason: str) -> None:
        self._close_sent = True
        try:
            # ``close`` on a client releases it; the WebSocket method goes through a request.
            promise = self._peer.close_request(code=code, reason=reason).send()
        except RpcError:
            self.abort("the connection closed")  # nobody is left to tell
            return
        self._close_call = asyncio.ensure_future(_await(promise))
        self._close_call.add_done_callback(_ignore_result)
        self._close_call.add_done_callback(lambda _: self._release_if_done())

    def _reply_to_close(self, code: int, _reason: str) -> None:
        """The peer closed first: answer with the same code, as RFC 6455 asks, or without a
        code when the peer's frame had none or a code that must not be sent."""
        if not self._close_sent and not self._released:
            self._send_close(reply_code(code), "")

    async def close(self, code: int = NORMAL_CLOSURE, reason: str = "", *,
                    timeout: Optional[float] = CLOSE_TIMEOUT) -> None:
        """Send a close frame (unless one was sent) and wait for the peer's.

        Messages that arrived before the peer's close frame can still be received afterwards.
        When the peer does not answer within ``timeout`` seconds the socket is dropped (the
        peer sees an abnormal closure).
        """
        if not self._close_sent and not self._released:
            check_close(code, reason)
            self._send_close(code, reason)
        try:
            await asyncio.wait_for(asyncio.shield(self.inbox.ended), timeout)
        except asyncio.TimeoutError:
            self.abort("the peer did not answer the close frame")
            return
        if self._close_call is not None:
            await asyncio.wait([self._close_call], timeout=timeout)
        self._release()

    def abort(self, reason: str = "WebSocket was aborted") -> None:
        """Drop the socket without a close handshake (the peer sees code 1006)."""
        self.inbox.abort(ABNORMAL_CLOSURE, reason)
        self._release()

    def _release_if_done(self) -> None:
        """Both close frames went: give the peer's socket back so it can finish the request."""
        call = self._close_call
        if self.inbox.done and call is not None and call.done():
            self._release()

    def _release(self) -> None:
        if not self._released:
            self._released = True
            self._peer.close()

    async def wait_closed(self) -> None:
        """Wait until the peer's close frame arrived (or the peer went away)."""
        await asyncio.shield(self.inbox.ended)

    async def __aenter__(self) -> "WebSocket":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def __repr__(self) -> str:
        state = "open" if not self.closed else f"closed {self.close_code}"
        return f"<WebSocket {state}>"


async def _await(promise: Any) -> Any:
    return await promise


def _ignore_result(task: "asyncio.Future[Any]") -> None:
    """A close call's own result does not matter once the peer's close frame is in."""
    if not task.cancelled():
        task.exception()
