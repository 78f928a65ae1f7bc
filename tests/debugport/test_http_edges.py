"""HTTP edges of the debug-port client and server, without workerd: bodies that fail after the
response started, empty bodies, error names, and how requests are shaped.

The same cases run against a real workerd in test_http_edges_workerd.py, which is where the
expected behaviour comes from; here our client and our server talk over an in-memory pipe.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Awaitable, Callable, List, Optional, Tuple, TypeVar

import pytest

from capnp_lite.aio import Session
from capnp_lite.aio.transport import memory_pair
from capnp_lite.errors import Disconnected, EncodeError, RpcError
from debugport.client import STREAM_WINDOW, DebugPortClient, RemoteError, remote_error
from debugport.http import HTTP_METHOD_NAMES, HTTP_METHODS, _Pipe
from debugport.http_server import js_error_reason
from debugport.jserrors import JS_ERROR_NAMES, jsg_reason, parse_reason
from debugport.server import DebugPortServer, JsError, Request, Response

T = TypeVar("T")


def run(coro: Awaitable[T], timeout: float = 20.0) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(coro, timeout)

    return asyncio.run(bounded())


# -- the response body's end: the stream's end and the request call's outcome ----------------------


async def drain(pipe: _Pipe) -> List[bytes]:
    chunks: List[bytes] = []
    while True:
        chunk = await pipe.get()
        if chunk is None:
            return chunks
        chunks.append(chunk)


async def still_waiting(task: "asyncio.Task[Any]") -> bool:
    for _ in range(5):
        await asyncio.sleep(0)
    return not task.done()


def test_an_ended_body_whose_call_fails_raises_the_calls_error() -> None:
    async def main() -> None:
        pipe = _Pipe(1 << 20)
        await pipe.put(b"abc")
        pipe.finish()  # workerd ends the stream first...
        reader = asyncio.ensure_future(drain(pipe))
        assert await still_waiting(reader)  # ...so the end alone is not a complete body
        pipe.settle(RpcError("mid-body abort"))
        with pytest.raises(RpcError, match="mid-body abort"):
            await reader

    run(main())


def test_buffered_chunks_come_before_the_error() -> None:
    async def main() -> None:
        pipe = _Pipe(1 << 20)
        await pipe.put(b"abc")
        pipe.finish()
        pipe.settle(RpcError("late failure"))
        assert await pipe.get() == b"abc"
        with pytest.raises(RpcError, match="late failure"):
            await pipe.get()

    run(main())


@pytest.mark.parametrize("order", ["end first", "call first"])
def test_a_body_is_complete_once_ended_and_returned(order: str) -> None:
    async def main() -> None:
        pipe = _Pipe(1 << 20)
        await pipe.put(b"abc")
        first, second = (pipe.finish, pipe.settle) if order == "end first" else (pipe.settle, pipe.finish)
        reader = asyncio.ensure_future(drain(pipe))
        first()
        assert await still_waiting(reader)
        second()
        assert await reader == [b"abc"]
        pipe.fail(RpcError("too late"))  # nothing fails a complete body
        assert await pipe.get() is None

    run(main())


def test_a_dropped_stream_reports_the_calls_error_when_there_is_one() -> None:
    async def main() -> None:
        failed = _Pipe(1 << 20)
        failed.drop(RpcError("aborted by the server"))
        reader = asyncio.ensure_future(drain(failed))
        assert await still_waiting(reader)
        failed.settle(RpcError("the real reason"))
        with pytest.raises(RpcError, match="the real reason"):
            await reader

        returned = _Pipe(1 << 20)
        returned.drop(RpcError("aborted by the server"))
        returned.settle()
        with pytest.raises(RpcError, match="aborted by the server"):
            await drain(returned)

    run(main())


def test_writes_after_the_end_are_refused_and_discard_ends_reading() -> None:
    async def main() -> None:
        pipe = _Pipe(1 << 20)
        pipe.finish()
        with pytest.raises(RpcError, match="already ended"):
            await pipe.put(b"x")
        pipe.discard()
        pipe.settle(RpcError("the reader has gone"))  # nobody to tell
        assert await pipe.get() is None

    run(main())


# -- error reasons ---------------------------------------------------------------------------------


# (reason as workerd sends it, JS name, JS constructor, message): the JS side is what a JavaScript
# caller of the installed workerd sees for the same reason (measured).
REASONS = [
    ("remote.jsg.TypeError: boom: really", "TypeError", "TypeError", "boom: really"),
    ("remote.jsg.DOMException(AbortError): aborted!", "AbortError", "DOMException", "aborted!"),
    ("remote.expected !isReservedName(kjName); jsg.TypeError: 'dup' is a reserved method and "
     "cannot be called over RPC.", "TypeError", "TypeError",
     "'dup' is a reserved method and cannot be called over RPC."),
    ("remote.jsg.Error", "Error", "Error", ""),
    ("remote.jsg.Error: CustomError: cust", "Error", "Error", "CustomError: cust"),
    ("remote.jsg.RangeError:   spaced", "RangeError", "RangeError", "spaced"),
    ("remote.jsg.Errorx: y", "Error", "Error", ""),  # jsg matches the type as a prefix
    ("remote.remote.jsg.URIError: twice remote", "URIError", "URIError", "twice remote"),
    ("remote exception: remote.jsg.SyntaxError: s", "SyntaxError", "SyntaxError", "s"),
    ("broken.outputGateBroken; jsg.Error: storage failed", "Error", "Error", "storage failed"),
    ("jsg-internal.TypeError: hidden", "TypeError", "TypeError", "hidden"),
    ("remote.jsg.AggregateError: agg", "AggregateError", "AggregateError", "agg"),
]

# Reasons a JS caller sees as "internal error": no JS name, the reason kept (routing stripped).
INTERNAL = [
    ("remote.jsg.CustomName: cm", "jsg.CustomName: cm"),
    ("remote.jsg.DOMException: no name", "jsg.DOMException: no name"),
    ("expected x == y; Invalid Durable Object ID", "expected x == y; Invalid Durable Object ID"),
    ("remote.expected a; b; jsgx.Error: no", "expected a; b; jsgx.Error: no"),
    ("", ""),
]


@pytest.mark.parametrize("reason, name, cls, message", REASONS)
def test_remote_error_reads_reasons_as_jsg_does(reason: str, name: str, cls: str, message: str) -> None:
    err = remote_error(RpcError(reason))
    assert isinstance(err, RemoteError)
    assert (err.js_name, err.js_class, err.message, str(err)) == (name, cls, message, message)
    assert err.remote_reason == reason


@pytest.mark.parametrize("reason, message", INTERNAL)
def test_remote_error_keeps_internal_reasons_whole(reason: str, message: str) -> None:
    err = remote_error(RpcError(reason, "overloaded"))
    assert isinstance(err, RemoteError)
    assert (err.js_name, err.js_class, err.message, err.type) == (None, None, message, "OVERLOADED")


def test_parse_reason_never_fails_on_odd_text() -> None:
    for text in ["expected ", "broken.", "broken.x", "jsg.", "jsg.DOMException(", "remote." * 50,
                 "expected ; ; ; jsg.Error", "jsg.DOMException(A)B: c", "\x00jsg.Error: x"]:
        parts = parse_reason(text)
        assert isinstance(parts.message, str)
    assert parse_reason("jsg.DOMException(A)B: c").js_name == "A"
    assert parse_reason("expected ; ; ; jsg.Error").js_name == "Error"


# (the Python error, the reason we send): the JS side was checked against workerd in
# test_http_edges_workerd.py and matches what workerd's own JavaScript sends.
JS_ERRORS = [
    (JsError("python says no", "RangeError"), "remote.jsg.RangeError: python says no"),
    (JsError("cm", "CustomName"), "remote.jsg.Error: CustomName: cm"),
    (JsError("aborted", "DOMException(AbortError)"), "remote.jsg.DOMException(AbortError): aborted"),
    (JsError("plain dom", "DOMException"), "remote.jsg.DOMException(Error): plain dom"),
    (JsError("odd", "DOMException(A)B"), "remote.jsg.Error: DOMException(A)B: odd"),
    (JsError("no name", ""), "remote.jsg.Error: no name"),
    (JsError("e", "EvalError"), "remote.jsg.EvalError: e"),
    (ValueError("plain"), "remote.jsg.Error: plain"),
    (TypeError("typed"), "remote.jsg.TypeError: typed"),
    (RpcError("remote.jsg.Error: as is"), "remote.jsg.Error: as is"),
]


@pytest.mark.parametrize("exc, reason", JS_ERRORS)
def test_js_error_reason_uses_only_names_jsg_rebuilds(exc: BaseException, reason: str) -> None:
    assert js_error_reason(exc) == reason


def test_every_name_jsg_rebuilds_is_written_and_read_unchanged() -> None:
    for name in JS_ERROR_NAMES:
        parts = parse_reason("remote." + jsg_reason(name, "m: n"))
        assert (parts.js_name, parts.js_class, parts.message) == (name, name, "m: n")
    parts = parse_reason("remote." + jsg_reason("DOMException(AbortError)", "m: n"))
    assert (parts.js_name, parts.js_class, parts.message) == ("AbortError", "DOMException", "m: n")


# What a JavaScript caller sees for each of JS_ERRORS (name, message), as workerd rebuilds it.
SEEN_BY_JS = [("RangeError", "python says no"), ("Error", "CustomName: cm"), ("AbortError", "aborted"),
              ("Error", "plain dom"), ("Error", "DOMException(A)B: odd"), ("Error", "no name"),
              ("EvalError", "e"), ("Error", "plain"), ("TypeError", "typed"), ("Error", "as is")]


def test_our_reasons_read_back_as_the_js_caller_sees_them() -> None:
    seen = [parse_reason(js_error_reason(exc)) for exc, _ in JS_ERRORS]
    assert [(parts.js_name, parts.message) for parts in seen] == SEEN_BY_JS


# -- our client against our server ----------------------------------------------------------------


Seen = List[Request]


def make_server(seen: Seen) -> DebugPortServer:
    server = DebugPortServer()
    svc = server.service("py")

    @svc.fetch
    async def handle(request: Request) -> Response:
        await request.body()
        seen.append(request)
        path = request.url.rsplit("/", 1)[-1]
        if path == "body-raises":
            async def chunks() -> AsyncIterator[bytes]:
                yield b"x" * 1000
                raise ValueError("python body abort")
            return Response(chunks())
        if path == "custom-name":
            raise JsError("cm", "CustomName")
        return Response(b"ok")

    return server


async def with_local(body: Callable[[DebugPortClient, Seen], Awaitable[T]]) -> T:
    seen: Seen = []
    server = make_server(seen)
    ours, theirs = memory_pair()
    server.accept(theirs)
    client = DebugPortClient(Session(ours, stream_window=STREAM_WINDOW))
    try:
        return await body(client, seen)
    finally:
        await client.close()
        await server.close()


def test_a_body_that_raises_part_way_fails_the_reader_with_its_message() -> None:
    async def body(client: DebugPortClient, seen: Seen) -> Tuple[int, int, RemoteError]:
        response = await client.get_entrypoint("py").fetch("http://x/body-raises")
        received = 0
        try:
            async for chunk in response:
                received += len(chunk)
        except RemoteError as exc:
            return response.status, received, exc
        raise AssertionError("the body ended cleanly")

    status, received, error = run(with_local(body))
    assert status == 200 and received == 1000
    assert (error.js_name, error.message) == ("Error", "python body abort")


def test_a_custom_error_name_reaches_the_caller_inside_the_message() -> None:
    async def body(client: DebugPortClient, seen: Seen) -> RemoteError:
        with pytest.raises(RemoteError) as caught:
            await client.get_entrypoint("py").fetch("http://x/custom-name")
        return caught.value

    error = run(with_local(body))
    assert (error.js_name, error.message) == ("Error", "CustomName: cm")


def header(request: Request, name: str) -> Optional[str]:
    return request.header(name)


def test_empty_bodies_are_told_apart_from_no_body() -> None:
    async def body(client: DebugPortClient, seen: Seen) -> Seen:
        target = client.get_entrypoint("py")
        for kwargs in ({"body": b""}, {"body": ""}, {}, {"headers": {"Content-Length": "0"}},
                       {"body": b"a"}, {"body": b"", "headers": [("content-length", " 0 ")]}):
            response = await target.fetch("http://x/", method="POST", **kwargs)
            assert await response.read() == b"ok"
        return seen

    empty, empty_text, none, declared, one, both = run(with_local(body))
    for request in (empty, empty_text, declared, both):
        assert header(request, "content-length") == "0" and request.body_size == 0
    assert [name.lower() for name, _ in both.headers].count("content-length") == 1
    assert header(none, "content-length") is None and none.body_size == 0
    assert header(one, "content-length") is None and one.body_size == 1


def test_request_shaping_matches_http() -> None:
    async def body(client: DebugPortClient, seen: Seen) -> Seen:
        target = client.get_entrypoint("py")
        response = await target.fetch("http://x/path?q=1#frag", method="MSEARCH",
                                      headers=[("X-Spaced", " \tvalue with inner  space\t "),
                                               ("X-Empty", "   ")])
        await response.read()
        assert response.url == "http://x/path?q=1"
        return seen

    [request] = run(with_local(body))
    assert request.method == "MSEARCH"
    assert request.url == "http://x/path?q=1"
    assert header(request, "x-spaced") == "value with inner  space"
    assert header(request, "x-empty") == ""


# workerd's HTTP parser answers each of these with 501 (checked in test_http_edges_workerd.py).
@pytest.mark.parametrize("method", ["get", "Post", "M-SEARCH", "msearch", "FOO", " GET", "GET ", ""])
def test_methods_outside_the_enum_are_refused(method: str) -> None:
    async def body(client: DebugPortClient, seen: Seen) -> Seen:
        with pytest.raises(EncodeError, match="cannot be sent"):
            await client.get_entrypoint("py").fetch("http://x/", method=method)
        return seen

    assert run(with_local(body)) == []  # nothing was sent


def test_every_enumerant_has_its_request_line_spelling() -> None:
    assert len(HTTP_METHOD_NAMES) == len(HTTP_METHODS) == 26
    assert HTTP_METHOD_NAMES[:3] == ("GET", "HEAD", "POST")
    assert "MSEARCH" in HTTP_METHOD_NAMES and "M-SEARCH" not in HTTP_METHOD_NAMES

    async def body(client: DebugPortClient, seen: Seen) -> Seen:
        target = client.get_entrypoint("py")
        for method in HTTP_METHOD_NAMES:
            response = await target.fetch("http://x/", method=method)
            await response.read()
        return seen

    assert [request.method for request in run(with_local(body))] == list(HTTP_METHOD_NAMES)


def test_a_closed_connection_fails_an_unfinished_body() -> None:
    async def main() -> None:
        pipe = _Pipe(1 << 20)
        pipe.finish()
        pipe.fail(Disconnected("connection closed before the response body ended"))
        with pytest.raises(Disconnected):
            await pipe.get()

    run(main())
