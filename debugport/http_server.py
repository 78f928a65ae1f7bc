"""HTTP over Cap'n Proto, server side: serve ``HttpService.request`` with a Python handler.

workerd (as the client) calls ``request(request, context)`` and pipelines the request body
as ``ByteStream.write``/``end`` calls on ``requestBody`` before our answer exists, so the body
stream is published early with ``set_pipeline``.  The response goes back as a call to the
client's ``ClientRequestContext.startResponse``; we write the body to the stream it returns.
``request`` returns only once the response is complete: workerd's client treats that return
as "the server is done" and stops pumping the request body then.

This module also loads the schemas the server modules share.
"""

from __future__ import annotations

import json
from typing import (Any, AsyncIterator, Awaitable, Callable, Dict, Iterable, List, Optional, Tuple,
                    Union)

from capnp_lite.aio import is_null_capability
from capnp_lite.errors import RpcError

from .chunks import ChunkQueue
from .headers import common_header_text, encode_headers, read_header
from .jserrors import jsg_reason
from .schemas import schemas
from .substream import substream
from .websocket import INTERNAL_ERROR, MAX_REASON, Inbox, WebSocket, inbox_server

__all__ = [
    "Request",
    "Response",
    "HttpHandler",
    "RequestBody",
    "WebSocket",
    "WebSocketHandler",
    "make_http_service",
    "common_header_text",
    "js_error_reason",
    "has_field",
]

# Chunk size for response bodies written to the client's ByteStream.
WRITE_CHUNK = 1 << 16
# Request-body bytes buffered before ``write`` calls wait for the handler to read.
BODY_BUFFER = 1 << 20


def has_field(view: Any, name: str) -> bool:
    """Whether a pointer field of a received struct is set (null means absent, not empty)."""
    field = view.schema.fields[name]
    return not view.reader.is_null(field.offset)


def js_error_reason(exc: BaseException) -> str:
    """The exception reason workerd's JS layer turns back into an Error with this message.

    ``remote.`` marks the error as thrown by the callee, ``jsg.`` as JS-visible; the JS caller
    sees ``name`` and ``message`` (PROTOCOL.md, "Errors thrown by JS").  Names jsg does not
    rebuild become an ``Error`` whose message starts ``Name: ``, as workerd's own JavaScript
    sends them.
    """
    if isinstance(exc, RpcError):
        return exc.reason
    name = getattr(exc, "js_name", None)
    if not isinstance(name, str):
        name = "TypeError" if isinstance(exc, TypeError) else "Error"
    message = str(exc) or type(exc).__name__
    return "remote." + jsg_reason(name, message)


# -- request body --------------------------------------------------------------------------------


class RequestBody(ChunkQueue):
    """The request body as it arrives: ``write`` calls queue chunks, ``end`` closes it.

    Writes keep their call order, and a writer waits while more than ``limit`` bytes are
    buffered (see :class:`ChunkQueue`).  The end is queued by ``end()``, which workerd sends
    after its last write, so it follows every chunk.
    """

    def __init__(self, limit: int = BODY_BUFFER) -> None:
        super().__init__(limit)
        self._ended = False  # end() arrived: no chunk follows
        self._discarded = False  # the handler is done: arriving chunks are dropped
        self._error: Optional[BaseException] = None  # the stream went away without an end

    @property
    def _done(self) -> bool:
        return self._ended or self._discarded or self._error is not None

    async def put(self, data: bytes) -> None:
        if self._ended:
            raise RpcError("write() after end() on the request body")
        if self._discarded or self._error is not None or not data:
            return
        await self._queue(data)

    def finish(self) -> None:
        if not self._ended:
            self._ended = True
            self._wake()

    def fail(self, error: BaseException) -> None:
        """The stream went away before its end: readers get ``error`` after what arrived."""
        if not self._done:
            self._error = error
            self._wake()

    def discard(self) -> None:
        """The handler is done: drop anything still queued or arriving."""
        self._discarded = True
        self._drop_all()

    async def chunks(self) -> AsyncIterator[bytes]:
        while True:
            while not self._chunks:
                if self._ended or self._discarded:
                    return  # later readers see the end too
                if self._error is not None:
                    raise self._error
                await self._wait_readable()
            yield self._take()


def _byte_stream_server(body: RequestBody) -> Any:
    base = schemas().stream.ByteStream.Server

    class _Sink(base):  # type: ignore[misc, valid-type]
        async def write(self, bytes: bytes, _context: Any) -> None:  # noqa: A002 (schema name)
            await body.put(bytes)

        async def end(self, _context: Any) -> None:
            body.finish()

        async def getSubstream(self, callback: Any, limit: int, _context: Any) -> Dict[str, Any]:
            return {"substream": substream(body.put, callback, limit)}

        def on_release(self) -> None:
            # Dropped without end(): the client's body failed or the client went away.
            body.fail(RpcError("the request body was dropped before its end", "disconnected"))

    return _Sink()


# -- the public request / response values ----------------------------------------------------------


class Request:
    """An HTTP request from workerd: method, absolute URL, headers, streamed body, props, cf."""

    def __init__(self, method: str, url: str, headers: List[Tuple[str, str]], body: RequestBody, *,
                 props: Any = None, cf: Any = None, service: str = "", entrypoint: Optional[str] = None,
                 body_size: Optional[int] = None,
                 accept: Optional["_Accept"] = None) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.props = props
        self.cf = cf
        self.service = service
        self.entrypoint = entrypoint
        self.body_size = body_size
        self._body = body
        self._accept = accept  # starts the WebSocket on the client's context
        self.websocket: Optional[WebSocket] = None  # set by accept_websocket()

    def header(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The first header called ``name`` (case-insensitive)."""
        lower = name.lower()
        for key, value in self.headers:
            if key.lower() == lower:
                return value
        return default

    @property
    def wants_websocket(self) -> bool:
        """Whether the client asked for a WebSocket (``Upgrade: websocket``)."""
        return (self.header("upgrade") or "").strip().lower() == "websocket"

    async def accept_websocket(self, *, protocol: Optional[str] = None,
                               headers: HeadersArg = None) -> WebSocket:
        """Accept the upgrade and return the WebSocket (status 101 is implied).

        The socket closes normally when the handler returns (after the peer's close frame,
        or a timeout), so keep using it inside the handler; what the handler returns then is
        ignored.
        """
        if self._accept is None or not self.wants_websocket:
            raise RuntimeError("this request did not ask for a WebSocket")
        if self.websocket is not None:
            raise RuntimeError("the WebSocket was already accepted")
        self.websocket = await self._accept(self, protocol, headers)
        return self.websocket

    def stream(self) -> AsyncIterator[bytes]:
        """The body, chunk by chunk, as the client writes it."""
        return self._body.chunks()

    async def body(self) -> bytes:
        parts = [chunk async for chunk in self._body.chunks()]
        return b"".join(parts)

    async def text(self) -> str:
        return (await self.body()).decode("utf-8")

    async def json(self) -> Any:
        return json.loads(await self.body())

    def __repr__(self) -> str:
        return f"<Request {self.method} {self.url}>"


BodyType = Union[bytes, str, AsyncIterator[bytes], None]
HeadersArg = Union[Dict[str, str], Iterable[Tuple[str, str]], None]
WebSocketHandler = Callable[[WebSocket], Awaitable[Any]]
_Accept = Callable[[Request, Optional[str], HeadersArg], Awaitable[WebSocket]]


class Response:
    """An HTTP response: ``body`` is bytes, text, an async iterator of bytes, or None."""

    def __init__(self, body: BodyType = None, *, status: int = 200, status_text: str = "",
                 headers: Union[Dict[str, str], Iterable[Tuple[str, str]], None] = None) -> None:
        self.status = status
        self.status_text = status_text or _REASONS.get(status, "")
        pairs = list(headers.items()) if isinstance(headers, dict) else list(headers or ())
        self.headers: List[Tuple[str, str]] = [(str(k), str(v)) for k, v in pairs]
        self.body: BodyType = body.encode("utf-8") if isinstance(body, str) else body
        self.websocket_handler: Optional[WebSocketHandler] = None  # see websocket()
        self.websocket_protocol: Optional[str] = None

    @classmethod
    def websocket(cls, handler: WebSocketHandler, *, protocol: Optional[str] = None,
                  headers: HeadersArg = None) -> "Response":
        """Accept a WebSocket upgrade and run ``await handler(ws)`` on it.

        The socket closes normally when ``handler`` returns; if it raises, the socket closes
        with code 1011 and the error goes back to the client as the request's failure.
        """
        response = cls(status=101, status_text="Switching Protocols", headers=headers)
        response.websocket_handler = handler
        response.websocket_protocol = protocol
        return response

    @classmethod
    def json(cls, value: Any, *, status: int = 200, headers: Optional[Dict[str, str]] = None) -> "Response":
        merged = {"content-type": "application/json"}
        merged.update(headers or {})
        return cls(json.dumps(value), status=status, headers=merged)

    def __repr__(self) -> str:
        return f"<Response {self.status}>"


_REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found",
            304: "Not Modified", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
            404: "Not Found", 405: "Method Not Allowed", 418: "I'm a teapot",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}

HttpHandler = Callable[[Request], Awaitable[Response]]


# -- the service -----------------------------------------------------------------------------------


def _body_size(view: Any) -> Optional[int]:
    size = view.bodySize
    return int(size.fixed) if size.which() == "fixed" else None


def _response_struct(response: Response, size: Optional[int]) -> Dict[str, Any]:
    headers = encode_headers((k, v) for k, v in response.headers if k.lower() != "content-length")
    body_size: Dict[str, Any] = {"fixed": size} if size is not None else {"unknown": None}
    return {"statusCode": response.status, "statusText": response.status_text,
            "headers": headers, "bodySize": body_size}


async def _chunks_of(body: BodyType) -> AsyncIterator[bytes]:
    if body is None:
        return
    if isinstance(body, (bytes, bytearray, memoryview)):
        data = bytes(body)
        for i in range(0, len(data), WRITE_CHUNK):
            yield data[i:i + WRITE_CHUNK]
        return
    if isinstance(body, str):
        yield body.encode("utf-8")
        return
    async for chunk in body:
        if chunk:
            yield bytes(chunk)


async def send_response(session: Any, context: Any, response: Response) -> None:
    """Start the response on the client's context and stream its body out."""
    body = response.body
    size: Optional[int] = None
    if body is None:
        size = 0
    elif isinstance(body, (bytes, bytearray, memoryview)):
        size = len(body)
    started = context.startResponse(response=_response_struct(response, size))
    if size == 0:
        _close_body(await started)  # a zero-length body gets no stream (the client sends null)
        return
    sink = started.body
    try:
        async for chunk in _chunks_of(body):
            sink.write(chunk)
            await session.stream_ready(sink)
        await sink.end()
        _close_body(await started)
    finally:
        sink.close()


def _close_body(results: Any) -> None:
    """Release the body stream the client returned (our import of it)."""
    stream = results.body
    if not is_null_capability(stream):
        stream.close()


def _websocket_acceptor(session: Any, context: Any) -> _Accept:
    """``startWebSocket`` on the client's context, hosting the socket the client sends to."""

    async def accept(request: Request, protocol: Optional[str], headers: HeadersArg) -> WebSocket:
        pairs = list(headers.items()) if isinstance(headers, dict) else list(headers or ())
        if protocol is not None:
            pairs.append(("Sec-WebSocket-Protocol", protocol))
        inbox = Inbox()
        up = inbox_server(inbox)
        results = await context.startWebSocket(
            headers=encode_headers(pairs),
            upSocket=up)
        down = results.downSocket
        if is_null_capability(down):
            raise RpcError("the client accepted the WebSocket without a downSocket")
        return WebSocket(session, down, inbox, headers=request.headers, protocol=protocol)

    return accept


async def _serve_websocket(request: Request, response: Optional[Response]) -> None:
    """Run a ``Response.websocket`` handler (or finish an accepted socket), then close it."""
    ws = request.websocket
    if ws is None:
        assert response is not None and response.websocket_handler is not None
        ws = await request.accept_websocket(protocol=response.websocket_protocol,
                                            headers=response.headers)
        try:
            await response.websocket_handler(ws)
        except Exception as exc:
            reason = str(exc).encode("utf-8")[:MAX_REASON].decode("utf-8", "ignore")
            await ws.close(INTERNAL_ERROR, reason)
            raise
    await ws.close()


def make_http_service(session: Any, handler: HttpHandler, describe: Callable[[Request], None]) -> Any:
    """An ``HttpService`` server running ``handler`` for its single request.

    ``describe`` fills in what the dispatcher knows (props, cf, names) before the handler runs.
    """
    base = schemas().http.HttpService.Server

    class _HttpService(base):  # type: ignore[misc, valid-type]
        async def request(self, request: Any, context: Any, _context: Any) -> Any:
            body = RequestBody()
            size = _body_size(request)
            # As workerd's own servers do: a request without a body gets no body stream (the
            # results' requestBody is null), and the client's context is released only after
            # our Return.  A WebSocket client whose context goes first, or that is handed a
            # stream to release, reports "Network connection lost" after a clean close.
            sink: Any = None
            if size == 0:
                body.finish()
            else:
                sink = _byte_stream_server(body)
                _context.set_pipeline({"requestBody": sink})
            _context.on_returned(context.close)
            method = request.method
            req = Request(method.upper() if isinstance(method, str) else str(method), request.url,
                          [read_header(h, canonical=True) for h in request.headers], body, body_size=size,
                          accept=_websocket_acceptor(session, context))
            describe(req)
            try:
                try:
                    response = await handler(req)
                    if req.websocket is not None:
                        await _serve_websocket(req, None)
                        return {"requestBody": sink}
                    if isinstance(response, Response) and response.websocket_handler is not None:
                        await _serve_websocket(req, response)
                        return {"requestBody": sink}
                    if not isinstance(response, Response):
                        raise RpcError(f"remote.jsg.TypeError: fetch handler returned "
                                       f"{type(response).__name__}, not a Response")
                    # A body that fails part-way fails this call: workerd hands the error to
                    # whoever reads the response body.
                    await send_response(session, context, response)
                except RpcError:
                    raise
                except Exception as exc:  # the handler's failure reaches the JS caller
                    raise RpcError(js_error_reason(exc)) from exc
            finally:
                body.discard()
                if req.websocket is not None:
                    # No-op after a clean close; when workerd cancels the request (its worker
                    # finished), the socket is dropped so the peer sees the end.
                    req.websocket.abort("the request ended")
            return {"requestBody": sink}

    return _HttpService()
