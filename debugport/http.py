"""HTTP over Cap'n Proto, client side: ``fetch`` on a debug-port target.

One request is a pipelined chain sent at once: ``startEvent`` -> ``getHttpService`` ->
``HttpService.request(request, context)``, where ``context`` is a ``ClientRequestContext``
served here.  workerd answers by calling ``context.startResponse(response)``; the
``ByteStream`` returned to it receives the response body, which this module hands to the
caller as it arrives (bounded buffering: a slow reader slows workerd down, so bodies of any
size stream through).  The request body goes the other way as ``ByteStream.write`` calls on
``request``'s ``requestBody``, flow controlled, then ``end()``.

The body's length travels as the ``bodySize`` union (``fixed`` when the length is known,
``unknown`` for a streamed body of unknown length), not as a ``Content-Length`` header, with one
exception that workerd's own ``workerdDebugPort`` binding makes too: an explicitly empty body
(``body=b""``) is ``fixed`` 0 *and* a ``Content-Length: 0`` header, which tells the worker it
has an empty body rather than none.  A response body is complete only when workerd's
``request`` call returns: if it fails (the worker's body stream errored or hung), reading the
body raises that error, even after the stream's ``end()``.
"""

from __future__ import annotations

import asyncio
import codecs
import json as _json
from typing import (
    Any,
    AsyncIterable,
    AsyncIterator,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from capnp_lite.aio import is_null_capability
from capnp_lite.errors import Disconnected, EncodeError, RpcError

from .client import Target, release_later, remote_error
from .chunks import ChunkQueue
from .headers import COMMON_HEADER_NAMES, encode_headers, read_header
from .schemas import schemas
from .substream import substream
from .websocket import MAX_MESSAGE, Inbox, WebSocket, WebSocketRefused, inbox_server

__all__ = [
    "fetch",
    "websocket",
    "Response",
    "Headers",
    "Body",
    "HeadersLike",
    "COMMON_HEADER_NAMES",
    "HTTP_METHODS",
    "HTTP_METHOD_NAMES",
    "encode_headers",
    "decode_headers",
]

Body = Union[None, bytes, bytearray, memoryview, str, Iterable[bytes], AsyncIterable[bytes]]
HeadersLike = Union[None, Mapping[str, str], Sequence[Tuple[str, str]], "Headers"]

# Largest single ByteStream.write: a Cap'n Proto message stays small, many may be in flight.
WRITE_CHUNK = 64 * 1024
# Response body bytes buffered before workerd's writes are held back.
READ_BUFFER = 1 << 20

# HttpMethod enumerants in ordinal order (restated from http-over-capnp.capnp).
HTTP_METHODS = (
    "get", "head", "post", "put", "delete", "patch", "purge", "options", "trace", "copy", "lock",
    "mkcol", "move", "propfind", "proppatch", "search", "unlock", "acl", "report", "mkactivity",
    "checkout", "merge", "msearch", "notify", "subscribe", "unsubscribe",
)
# The request-line spelling of each enumerant, in the same order: upper case, and ``MSEARCH``
# as workerd's HTTP parser spells it (it answers ``M-SEARCH`` with 501).
HTTP_METHOD_NAMES = tuple(name.upper() for name in HTTP_METHODS)
_ENUMERANT_OF_METHOD = dict(zip(HTTP_METHOD_NAMES, HTTP_METHODS))


class Headers:
    """HTTP headers: ordered ``(name, value)`` pairs, looked up without regard to case."""

    def __init__(self, items: Iterable[Tuple[str, str]] = ()) -> None:
        self.items: List[Tuple[str, str]] = [(str(k), str(v)) for k, v in items]

    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The values of ``name`` joined with ``", "`` (``set-cookie``: the first), or ``default``."""
        values = self.get_all(name)
        if not values:
            return default
        return values[0] if name.lower() == "set-cookie" else ", ".join(values)

    def get_all(self, name: str) -> List[str]:
        key = name.lower()
        return [v for k, v in self.items if k.lower() == key]

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self.get_all(name))

    def __iter__(self) -> Iterator[Tuple[str, str]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Headers) and self.items == other.items

    def __repr__(self) -> str:
        return f"Headers({self.items!r})"


def _header_pairs(headers: HeadersLike) -> List[Tuple[str, str]]:
    if headers is None:
        return []
    if isinstance(headers, Headers):
        return list(headers.items)
    if isinstance(headers, Mapping):
        return [(str(k), str(v)) for k, v in headers.items()]
    pairs = []
    for item in headers:
        name, value = item
        pairs.append((str(name), str(value)))
    return pairs


def decode_headers(views: Iterable[Any]) -> Headers:
    """``HttpHeader`` reader views -> :class:`Headers` (common names in lower case)."""
    return Headers(read_header(view) for view in views)


def _method_enumerant(method: str) -> str:
    """The ``HttpMethod`` enumerant of ``method``, spelled as workerd's HTTP parser accepts it.

    Like an HTTP server, this does not guess: a method in the wrong case or one the enum does
    not have is refused (plain HTTP to workerd answers 501 Not Implemented).
    """
    enumerant = _ENUMERANT_OF_METHOD.get(method)
    if enumerant is None:
        raise EncodeError(f"HTTP method {method!r} cannot be sent over Cap'n Proto (it takes "
                          f"one of {', '.join(HTTP_METHOD_NAMES)})")
    return enumerant


# HTTP whitespace, which fetch() and HTTP parsers strip from both ends of a header value.
_HTTP_WHITESPACE = "\t\n\r "


def _split_content_length(
        pairs: Sequence[Tuple[str, str]]) -> Tuple[Optional[int], List[Tuple[str, str]]]:
    """The declared ``Content-Length`` (it becomes ``bodySize``) and the other headers, trimmed."""
    declared: Optional[int] = None
    kept: List[Tuple[str, str]] = []
    for name, value in pairs:
        value = value.strip(_HTTP_WHITESPACE)
        if name.lower() == "content-length":
            if not (value.isascii() and value.isdigit()):  # not other scripts' digits
                raise EncodeError(f"invalid Content-Length {value!r}")
            declared = int(value)
        else:
            kept.append((name, value))
    return declared, kept


def _without_fragment(url: str) -> str:
    """``url`` without its ``#fragment``, which HTTP never sends to the server."""
    return url.split("#", 1)[0]


# -- bodies -----------------------------------------------------------------------------------------


class _Pipe(ChunkQueue):
    """Bounded byte chunks from a writer task to one reader.

    The body ends cleanly only once the stream was ended (``finish()``) *and* the request call
    returned (``settle()``): when a worker's body fails part-way, workerd ends the stream and
    then fails the call, so an end alone is not a complete body.  Any failure (``fail()``, or
    ``finish``/``settle`` with an error) is raised to the reader after the buffered chunks,
    unless the body was already complete.  A stream dropped without an end (``drop()``) fails
    the body once the call has returned, so that the call's own error, which follows the
    drop, is the one reported.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self._ended = False  # the writer ended the stream: no more chunks
        self._settled = False  # the request call returned: no failure can follow
        self._error: Optional[BaseException] = None  # the first failure
        self._discarded = False  # the reader gave up
        self._dropped: Optional[BaseException] = None  # the stream went away without an end
        self.received = 0

    @property
    def _done(self) -> bool:
        """No more chunks will be queued (ended, dropped, failed or discarded)."""
        return (self._ended or self._dropped is not None or self._error is not None
                or self._discarded)

    @property
    def complete(self) -> bool:
        """The body ended and the request call returned: nothing can fail it any more."""
        return self._ended and self._settled and self._error is None

    async def put(self, data: bytes) -> None:
        """Queue ``data`` at once (writes keep their call order), then wait for room."""
        if self._discarded:
            raise _cancelled()
        if self._done:
            raise RpcError("the response body was already ended")
        self.received += len(data)
        await self._queue(data)
        if self._discarded:
            raise _cancelled()  # the reader went away while this write waited for room

    def finish(self, error: Optional[BaseException] = None) -> None:
        """The writer ended the stream (cleanly, or with ``error``); later ends are ignored."""
        if self._ended:
            return  # e.g. the stream released after its end()
        if error is not None:
            self.fail(error)
            return
        self._ended = True
        self._wake()

    def settle(self, error: Optional[BaseException] = None) -> None:
        """The request call returned (``error`` is ``None``) or failed with ``error``."""
        if error is not None:
            self.fail(error)
            return
        self._settled = True
        if self._dropped is not None and not self._ended:
            self.fail(self._dropped)
        self._wake()

    def drop(self, error: BaseException) -> None:
        """The writer released the stream without ending it: ``error`` unless the call fails."""
        if self._ended or self._dropped is not None:
            return
        self._dropped = error
        if self._settled:
            self.fail(error)

    def fail(self, error: BaseException) -> None:
        """End the body with ``error``, unless it is complete, failed or discarded."""
        if self.complete or self._error is not None or self._discarded:
            return
        self._error = error
        self._wake()

    def discard(self) -> None:
        """The reader gives up: drop buffered data; waiting and later writes fail, which makes
        workerd cancel the body's source, as ``reader.cancel()`` on its binding does."""
        self._discarded = True
        self._drop_all()

    async def get(self) -> Optional[bytes]:
        """The next chunk, ``None`` at a clean end; raises the error the body failed with."""
        while not self._chunks:
            if self._error is not None:
                raise self._error
            if self.complete or self._discarded:
                return None
            await self._wait_readable()
        return self._take()


def _cancelled() -> RpcError:
    return RpcError("the response body was cancelled by its reader", "disconnected")


def _body_sink_class() -> type:
    """A ``ByteStream`` server feeding a :class:`_Pipe` (the response body)."""

    class BodySink(schemas().ByteStream.Server):  # type: ignore[misc]
        def __init__(self, pipe: _Pipe, expected: Optional[int]) -> None:
            self.pipe = pipe
            self.expected = expected

        async def write(self, _context: Any, **params: Any) -> None:
            await self._put(bytes(params.get("bytes") or b""))

        async def _put(self, data: bytes) -> None:
            if self.expected is not None and self.pipe.received + len(data) > self.expected:
                error = RpcError(f"response body longer than its declared {self.expected} bytes")
                self.pipe.fail(error)
                raise error
            await self.pipe.put(data)

        async def getSubstream(self, callback: Any, limit: int, _context: Any) -> Dict[str, Any]:
            return {"substream": substream(self._put, callback, limit)}

        async def end(self, _context: Any, **params: Any) -> None:
            if self.expected is not None and self.pipe.received != self.expected:
                error = RpcError(f"response body ended after {self.pipe.received} of "
                                 f"{self.expected} bytes")
                self.pipe.fail(error)
                raise error
            self.pipe.finish()

        def on_release(self) -> None:
            # Dropping the stream without end() means the body was cut short (the request
            # call's failure, if it fails, says why).
            if self.expected is not None and self.pipe.received == self.expected:
                self.pipe.finish()
            else:
                self.pipe.drop(RpcError("response body aborted by the server", "disconnected"))

    return BodySink


_SINK_CLASS: Optional[type] = None


def _sink(pipe: _Pipe, expected: Optional[int]) -> Any:
    global _SINK_CLASS
    if _SINK_CLASS is None:
        _SINK_CLASS = _body_sink_class()
    return _SINK_CLASS(pipe, expected)


async def _chunks_of(body: Body) -> AsyncIterator[bytes]:
    """Any accepted body as chunks of at most ``WRITE_CHUNK`` bytes."""
    if body is None:
        return
    if isinstance(body, str):
        body = body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        view = memoryview(body).cast("B")
        for start in range(0, len(view), WRITE_CHUNK):
            yield bytes(view[start:start + WRITE_CHUNK])
        return
    if hasattr(body, "__aiter__"):
        async for chunk in body:
            for piece in _split(chunk):
                yield piece
        return
    read = getattr(body, "read", None)
    if callable(read):
        while True:
            chunk = read(WRITE_CHUNK)
            if not chunk:
                return
            for piece in _split(chunk):
                yield piece
    for chunk in body:
        for piece in _split(chunk):
            yield piece


def _split(chunk: Any) -> Iterator[bytes]:
    if isinstance(chunk, str):
        chunk = chunk.encode("utf-8")
    if not isinstance(chunk, (bytes, bytearray, memoryview)):
        raise TypeError(f"a request body chunk must be bytes, not {type(chunk).__name__}")
    view = memoryview(chunk).cast("B")
    for start in range(0, len(view), WRITE_CHUNK):
        yield bytes(view[start:start + WRITE_CHUNK])


def _known_size(body: Body) -> Optional[int]:
    """The length of a bytes or text body; ``None`` for a streamed body or no body at all."""
    if isinstance(body, str):
        return len(body.encode("utf-8"))
    if isinstance(body, (bytes, bytearray)):
        return len(body)
    if isinstance(body, memoryview):
        return body.nbytes
    return None


class _Upload:
    """How a request body's upload went wrong on our side, if it did: its source raised, or
    gave more or fewer bytes than declared (``source_error``).  Failures of the writes
    themselves are workerd's to report, through the request call."""

    __slots__ = ("source_error",)

    def __init__(self) -> None:
        self.source_error: Optional[Exception] = None


async def _upload(target: Target, stream: Any, body: Body, size: Optional[int],
                  outcome: _Upload) -> None:
    """Write ``body`` to the request's ``ByteStream`` with flow control, then ``end()``; the
    stream's (pipelined) reference is dropped when done, however it ends."""
    try:
        session = target.session
        sent = 0
        chunks = _chunks_of(body).__aiter__()
        while True:
            try:
                chunk = await chunks.__anext__()
            except StopAsyncIteration:
                break
            except Exception as exc:
                outcome.source_error = exc
                raise
            sent += len(chunk)
            if size is not None and sent > size:
                outcome.source_error = EncodeError(f"request body is longer than the declared {size} bytes")
                raise outcome.source_error
            stream.write(bytes=chunk)
            await session.stream_ready(stream)
        if size is not None and sent != size:
            outcome.source_error = EncodeError(f"request body has {sent} bytes, {size} were declared")
            raise outcome.source_error
        await stream.end()
    finally:
        stream.close()


# -- the response ---------------------------------------------------------------------------------


class Response:
    """An HTTP response whose body streams in: ``async for chunk in resp``, or ``await resp.read()``."""

    def __init__(self, status: int, status_text: str, headers: Headers, body_size: Optional[int],
                 pipe: _Pipe, upload: Optional["asyncio.Task[None]"], url: str) -> None:
        self.status = status
        self.status_text = status_text
        self.headers = headers
        self.body_size = body_size  # None when workerd did not know the length
        self.url = url
        self._pipe = pipe
        self._upload = upload
        self._consumed = False

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    async def iter_chunks(self) -> AsyncIterator[bytes]:
        """The body's chunks as they arrive (once)."""
        if self._consumed:
            raise RuntimeError("the response body was already read")
        self._consumed = True
        while True:
            try:
                chunk = await self._pipe.get()
            except RpcError as exc:
                raise remote_error(exc) from None
            if chunk is None:
                return
            yield chunk

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self.iter_chunks()

    async def read(self) -> bytes:
        """The whole body."""
        parts = [chunk async for chunk in self.iter_chunks()]
        return b"".join(parts)

    async def text(self, encoding: Optional[str] = None) -> str:
        """The body decoded with ``encoding``, the ``charset`` of Content-Type, or UTF-8."""
        charset = encoding or _charset(self.headers.get("content-type")) or "utf-8"
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = "utf-8"
        return (await self.read()).decode(charset, "replace")

    async def json(self) -> Any:
        return _json.loads(await self.text())

    def close(self) -> None:
        """Stop reading: drop buffered data and cancel the body (workerd's later writes fail,
        so the worker's stream is cancelled, as ``reader.cancel()`` does in a worker)."""
        self._pipe.discard()
        if self._upload is not None and not self._upload.done():
            self._upload.cancel()

    async def __aenter__(self) -> "Response":
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Response {self.status} {self.status_text!r} {self.url}>"


def _charset(content_type: Optional[str]) -> Optional[str]:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "charset" and value:
            return value.strip().strip('"')
    return None


class _Upgraded:
    """What ``startWebSocket`` delivered: the server's headers, its socket, and our inbox."""

    def __init__(self, headers: Headers, up: Any, inbox: Inbox) -> None:
        self.headers = headers  # the server's response headers
        self.up = up  # the server's WebSocket capability: our messages go there
        self.inbox = inbox  # fed by the downSocket we returned


def _context_class() -> type:
    """A ``ClientRequestContext`` server: receives the response (or a WebSocket upgrade)."""

    class RequestContext(schemas().ClientRequestContext.Server):  # type: ignore[misc]
        def __init__(self, started: "asyncio.Future[Any]", max_message: Optional[int]) -> None:
            self.started = started
            self.max_message = max_message  # None: this request did not ask for a WebSocket

        async def startResponse(self, _context: Any, **params: Any) -> Any:
            if self.started.done():
                raise RpcError("the response was already started")
            response = params["response"]
            status = int(response.statusCode)
            headers = decode_headers(response.headers or ())
            size_kind = response.bodySize.which()
            expected = int(response.bodySize.fixed) if size_kind == "fixed" else None
            pipe = _Pipe(READ_BUFFER)
            if expected == 0:
                pipe.finish()
            head = (status, str(response.statusText), headers, expected)
            self.started.set_result((head, pipe))
            sink = _sink(pipe, expected)
            # Publish the sink before this method's first await: body writes pipelined on our
            # answer then go to it at once, in the order they were sent.
            _context.set_pipeline({"body": sink})
            return sink

        async def startWebSocket(self, _context: Any, **params: Any) -> Any:
            up: Any = params.get("upSocket")
            if self.started.done() or self.max_message is None:
                if not is_null_capability(up):
                    up.close()
                if self.started.done():
                    raise RpcError("the response was already started")
                raise RpcError("this request did not ask for a WebSocket", "unimplemented")
            if is_null_capability(up):
                raise RpcError("startWebSocket without an upSocket")
            headers = decode_headers(params.get("headers") or ())
            inbox = Inbox(max_message=self.max_message)
            down = inbox_server(inbox)
            self.started.set_result(_Upgraded(headers, up, inbox))
            # The server may pipeline messages on our answer before it arrives.
            _context.set_pipeline({"downSocket": down})
            return down

    return RequestContext


_CONTEXT_CLASS: Optional[type] = None


def _request_context(started: "asyncio.Future[Any]", max_message: Optional[int] = None) -> Any:
    global _CONTEXT_CLASS
    if _CONTEXT_CLASS is None:
        _CONTEXT_CLASS = _context_class()
    return _CONTEXT_CLASS(started, max_message)


# -- fetch ------------------------------------------------------------------------------------------


async def fetch(target: Target, url: str, *, method: str = "GET", headers: HeadersLike = None,
                body: Body = None, body_size: Optional[int] = None, cf: Any = None) -> Response:
    """Send one HTTP request to ``target`` and return once the response has started.

    ``url`` must be absolute (``http://host/path``: the worker sees it as ``request.url``; a
    ``#fragment`` is not sent, as over HTTP).  ``method`` is spelled as in a request line
    (``GET``, ``MSEARCH``); one the ``HttpMethod`` enum lacks, or in another case, raises
    ``EncodeError``.  Header values are trimmed of surrounding whitespace, as HTTP and
    ``fetch()`` do.
    ``body`` is bytes, text (UTF-8), a file object, or a (sync or async) iterable of bytes;
    bytes and text have a known length, other bodies are sent with an unknown length unless
    ``body_size`` (or a ``Content-Length`` header) gives it.  ``cf`` becomes ``request.cf``.

    Raises :class:`debugport.client.RemoteError` when workerd refuses the request (unknown
    service or entrypoint, a worker that throws before responding); reading the body raises
    it when the worker fails after responding.
    """
    url = _without_fragment(url)
    started, upload = await _start_request(target, url, method, _header_pairs(headers), body,
                                           body_size, cf, None)
    return _response(target, started, upload, url)


async def websocket(target: Target, url: str, *, headers: HeadersLike = None,
                    protocols: Optional[Sequence[str]] = None, cf: Any = None,
                    max_message: int = MAX_MESSAGE) -> WebSocket:
    """Open a WebSocket to ``target``: a GET with ``Upgrade: websocket`` the worker accepts.

    ``protocols`` are offered as ``Sec-WebSocket-Protocol``; the one the worker picked is
    ``ws.protocol``.  Messages larger than ``max_message`` bytes abort the socket.

    Raises :class:`debugport.websocket.WebSocketRefused` (with the response) when the worker
    answers with an ordinary response, and :class:`debugport.client.RemoteError` when workerd
    refuses the request.
    """
    url = _without_fragment(url)
    pairs = _header_pairs(headers)
    if not any(name.lower() == "upgrade" for name, _ in pairs):
        pairs.append(("Upgrade", "websocket"))
    if protocols:
        pairs.append(("Sec-WebSocket-Protocol", ", ".join(protocols)))
    started, upload = await _start_request(target, url, "GET", pairs, None, 0, cf, max_message)
    if isinstance(started, _Upgraded):
        protocol = started.headers.get("sec-websocket-protocol")
        return WebSocket(target.session, started.up, started.inbox, headers=started.headers,
                         protocol=protocol)
    response = _response(target, started, upload, url)
    raise WebSocketRefused(response.status, response)


def _response(target: Target, started: Any, upload: Optional["asyncio.Task[None]"],
              url: str) -> Response:
    head, pipe = started
    status, status_text, response_headers, expected = head
    target.session.closed.add_done_callback(
        lambda _: pipe.fail(Disconnected("connection closed before the response body ended")))
    return Response(status, status_text, response_headers, expected, pipe, upload, url)


async def _start_request(target: Target, url: str, method: str, pairs: List[Tuple[str, str]],
                         body: Body, body_size: Optional[int], cf: Any,
                         max_message: Optional[int]) -> Tuple[Any, Optional["asyncio.Task[None]"]]:
    """Send the request; return what the server started (a response or, when ``max_message``
    is given, possibly a WebSocket) and the request body's upload task."""
    session = target.session
    declared, kept = _split_content_length(pairs)
    size: Optional[int]
    if body_size is not None:
        size = body_size
    elif body is None:
        size = 0  # no body: nothing is sent, and no Content-Length either
    else:
        size = _known_size(body)
    if size is None:
        size = declared
    elif declared is not None and declared != size:
        raise EncodeError(f"Content-Length {declared} does not match the body's {size} bytes")
    if size == 0 and (body is not None or declared == 0):
        # An explicitly empty body: workerd's own binding sends this header (and the worker sees
        # an empty, non-null body), where a request without a body gets neither.
        kept.append(("Content-Length", "0"))
    request: Dict[str, Any] = {
        "method": _method_enumerant(method),
        "url": url,
        "headers": encode_headers(kept),
        "bodySize": {"unknown": None} if size is None else {"fixed": size},
    }
    started: "asyncio.Future[Any]" = asyncio.get_running_loop().create_future()
    context = _request_context(started, max_message)

    dispatcher = target.start_event(cf)
    http_promise = dispatcher.getHttpService()
    release_later(http_promise, "http")
    http = http_promise.http
    request_promise = http.request(request=request, context=context)
    # The calls are sent: the pipelined references go now.  (workerd ends the event once every
    # reference is dropped; PyPy would keep these until it collects them.)
    dispatcher.close()
    http.close()
    request_task = asyncio.ensure_future(_await(request_promise))

    upload: Optional["asyncio.Task[None]"] = None
    outcome = _Upload()
    if size == 0:
        release_later(request_promise, "requestBody")
    else:
        stream = request_promise.requestBody
        upload = asyncio.ensure_future(_upload(target, stream, body, size, outcome))
        upload.add_done_callback(lambda _: release_later(request_promise, "requestBody"))

    closed = asyncio.ensure_future(asyncio.shield(session.closed))
    try:
        waiting = {started, request_task, closed} | ({upload} if upload is not None else set())
        while not started.done():
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            if started.done():
                break
            if request_task in done:
                waiting.discard(request_task)
                error = request_task.exception()
                if error is not None:
                    raise remote_error(error) from None
            if upload is not None and upload in done:
                waiting.discard(upload)
                error = upload.exception()
                if error is not None:
                    raise remote_error(error) from None
            if closed in done:
                raise Disconnected("the debug port closed the connection before a response")
    except BaseException:
        if upload is not None:
            upload.cancel()
        request_task.cancel()
        raise
    finally:
        closed.cancel()

    result = started.result()
    if isinstance(result, tuple):
        # The body is complete only once the call returns: workerd fails the call (after
        # ending the body stream) when the worker's body errors part-way or hangs.
        pipe: _Pipe = result[1]
        request_task.add_done_callback(lambda task: pipe.settle(_call_error(task)))
        if upload is not None:
            # A body whose own source fails once the response is under way: the reader of the
            # response gets that failure (workerd sees the body dropped without its end, and
            # would report only an internal error), unless the response was already complete.
            upload.add_done_callback(lambda _: _fail_on_source_error(pipe, outcome))
    request_task.add_done_callback(_ignore_result)
    if upload is not None:
        upload.add_done_callback(_ignore_result)
    return result, upload


def _fail_on_source_error(pipe: _Pipe, outcome: _Upload) -> None:
    if outcome.source_error is not None:
        pipe.fail(outcome.source_error)


def _call_error(task: "asyncio.Future[Any]") -> Optional[BaseException]:
    """How the request call ended: ``None`` when it returned, else the error to report."""
    if task.cancelled():
        return Disconnected("the request was cancelled before the response body ended")
    error = task.exception()
    return None if error is None else remote_error(error)


async def _await(promise: Any) -> Any:
    return await promise


def _ignore_result(task: "asyncio.Future[Any]") -> None:
    """Mark a background task's failure as seen (the response already carries the outcome)."""
    if not task.cancelled():
        task.exception()
