"""HTTP edges against a real workerd: what our client gets is what workerd's own
``workerdDebugPort`` binding (driven by the ``viaport`` worker) or plain HTTP gets.

Each test puts the same request through the reference and through our client, and compares.
"""

from __future__ import annotations

import asyncio
import http.client
import json
from typing import Any, AsyncIterator, Dict, Iterator, List, Optional, Tuple

import pytest

from capnp_lite.errors import EncodeError
from debugport.client import DebugPortClient, RemoteError, connect
from debugport.server import DebugPortServer, JsError, Request, Response

from .conftest import run
from .test_server import Background, via_port
from .workerd_fixture import WORKERS, Workerd

pytestmark = pytest.mark.interop

CONFIG = WORKERS / "config.capnp"
# Restated from main.js (a worker module may export only handlers).
BODY_FAIL_MESSAGE = "response body failed on purpose"
MAIN = {"kind": "entrypoint", "service": "main"}


@pytest.fixture(scope="module")
def workerd() -> Iterator[Workerd]:
    with Workerd(CONFIG, sockets=("http", "viaport")) as wd:
        yield wd


async def with_client(wd: Workerd, body: Any) -> Any:
    client = await connect(wd.debug_address)
    try:
        return await body(client)
    finally:
        await client.close()


def binding_error(result: Dict[str, Any]) -> Tuple[str, str]:
    assert not result["ok"], result
    return result["error"]["name"], result["error"]["message"]


async def read_failure(client: DebugPortClient, url: str) -> Tuple[int, int, RemoteError]:
    response = await client.get_entrypoint("main").fetch(url)
    received = 0
    try:
        async for chunk in response:
            received += len(chunk)
    except RemoteError as exc:
        return response.status, received, exc
    raise AssertionError(f"the body of {url} ended cleanly after {received} bytes")


# -- a body that fails after the response started ---------------------------------------------------


@pytest.mark.parametrize("how", ["error", "hang"])
def test_a_body_failing_part_way_raises_the_bindings_error(workerd: Workerd, how: str) -> None:
    url = f"http://x/fail-body?after=5000&how={how}"
    [reference] = via_port(workerd, workerd.debug_address, MAIN, [{"kind": "fetch", "url": url}])
    name, message = binding_error(reference)

    status, received, error = run(with_client(workerd, lambda c: read_failure(c, url)))
    assert status == 200 and received == 5000
    assert (error.js_name, error.message) == (name, message)
    if how == "error":
        assert message == BODY_FAIL_MESSAGE


def test_read_raises_too_and_the_connection_stays_usable(workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        target = client.get_entrypoint("main")
        response = await target.fetch("http://x/fail-body?after=3000")
        with pytest.raises(RemoteError, match=BODY_FAIL_MESSAGE):
            await response.read()
        clean = await target.fetch("http://x/generate?bytes=70000")
        return len(await clean.read())

    assert run(with_client(workerd, body)) == 70000


# -- empty bodies ----------------------------------------------------------------------------------


def worker_view(echoed: Dict[str, Any]) -> Dict[str, Any]:
    headers = [h for h in echoed["headers"] if h[0] != "content-type"]  # a string body adds one
    return {"method": echoed["method"], "headers": headers, "body": echoed["body"]}


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_an_empty_body_reaches_the_worker_as_the_bindings_does(workerd: Workerd, method: str) -> None:
    steps = [{"kind": "fetch", "url": "http://x/", "method": method, "body": ""},
             {"kind": "fetch", "url": "http://x/", "method": method}]
    empty_ref, none_ref = (worker_view(r["value"]["body"])
                           for r in via_port(workerd, workerd.debug_address, MAIN, steps))
    assert empty_ref["body"] == "" and none_ref["body"] is None  # the reference tells them apart

    async def body(client: DebugPortClient) -> List[Dict[str, Any]]:
        target = client.get_entrypoint("main")
        views = []
        for kwargs in ({"body": b""}, {}, {"headers": {"content-length": "0"}}):
            response = await target.fetch("http://x/", method=method, **kwargs)
            views.append(worker_view(await response.json()))
        return views

    empty, none, declared = run(with_client(workerd, body))
    assert empty == empty_ref and declared == empty_ref
    assert none == none_ref


# -- error names -----------------------------------------------------------------------------------


def test_rpc_errors_read_as_the_js_caller_sees_them(workerd: Workerd) -> None:
    rpc = {"kind": "entrypoint", "service": "main", "entrypoint": "Rpc"}
    steps = [{"kind": "rpc", "method": m} for m in ("failDom", "dup", "fail")]
    references = [binding_error(r) for r in via_port(workerd, workerd.debug_address, rpc, steps)]

    async def body(client: DebugPortClient) -> List[Tuple[Optional[str], str, Optional[str]]]:
        target = client.get_entrypoint("main", "Rpc")
        seen = []
        for method in ("failDom", "dup", "fail"):
            with pytest.raises(RemoteError) as caught:
                await target.call(method)
            seen.append((caught.value.js_name, caught.value.message, caught.value.js_class))
        return seen

    ours = run(with_client(workerd, body))
    assert [(name, message) for name, message, _ in ours] == references
    assert references[0] == ("AbortError", "aborted on purpose")
    assert ours[0][2] == "DOMException" and ours[1][2] == "TypeError"


# -- our server's errors, as workerd's binding shows them to JavaScript -------------------------------


def build_server() -> DebugPortServer:
    server = DebugPortServer()
    svc = server.service("py")

    @svc.fetch
    async def handle(request: Request) -> Response:
        if request.url.endswith("/custom"):
            raise JsError("cm", "CustomName")
        if request.url.endswith("/body-raises"):
            async def chunks() -> AsyncIterator[bytes]:
                yield b"x" * 1000
                raise ValueError("python body abort")
            return Response(chunks())
        return Response(b"ok")

    @svc.method
    def fail(name: str) -> None:
        raise JsError("message", name)

    return server


@pytest.fixture(scope="module")
def py_port() -> Iterator[str]:
    bg = Background()
    server = build_server()

    async def start() -> str:
        await server.listen()
        return server.address

    address: str = bg.run(start())
    try:
        yield address
    finally:
        bg.run(server.close())
        bg.stop()


def test_our_errors_reach_js_as_workerds_own_do(workerd: Workerd, py_port: str) -> None:
    py = {"kind": "entrypoint", "service": "py"}
    names = ["CustomName", "EvalError", "URIError", "AggregateError", "DOMException",
             "DOMException(AbortError)", "SyntaxError"]
    results = via_port(workerd, py_port, py, [
        {"kind": "fetch", "url": "http://x/custom"},
        {"kind": "fetch", "url": "http://x/body-raises"},
    ] + [{"kind": "rpc", "method": "fail", "args": [name]} for name in names])
    custom, body_raises, *named = results
    # workerd's own JavaScript: `e.name = "CustomName"` arrives as Error "CustomName: cm".
    assert binding_error(custom) == ("Error", "CustomName: cm")
    assert body_raises["error"] == {"name": "Error", "message": "python body abort", "remote": True}
    assert [binding_error(r) for r in named] == [
        ("Error", "CustomName: message"), ("EvalError", "message"), ("URIError", "message"),
        ("AggregateError", "message"), ("Error", "message"), ("AbortError", "message"),
        ("SyntaxError", "message")]


# -- request shaping, against plain HTTP -----------------------------------------------------------


def plain_http(wd: Workerd, method: str, path: str, headers: List[Tuple[str, str]]) -> Tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", wd.port("http"), timeout=20)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", "x")
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        data = response.read()
        return response.status, json.loads(data) if response.status == 200 else data
    finally:
        connection.close()


@pytest.mark.parametrize("method", ["get", "M-SEARCH", "FOO"])
def test_methods_plain_http_refuses_are_refused(workerd: Workerd, method: str) -> None:
    status, _ = plain_http(workerd, method, "/p", [])
    assert status == 501  # workerd's HTTP does not guess

    async def body(client: DebugPortClient) -> None:
        with pytest.raises(EncodeError, match="cannot be sent"):
            await client.get_entrypoint("main").fetch("http://x/p", method=method)

    run(with_client(workerd, body))


def test_methods_headers_and_fragments_match_plain_http(workerd: Workerd) -> None:
    spaced = [("X-Spaced", " \t value \t ")]
    status, over_http = plain_http(workerd, "MSEARCH", "/p?q=1", spaced)
    assert status == 200

    async def body(client: DebugPortClient) -> Dict[str, Any]:
        target = client.get_entrypoint("main")
        response = await target.fetch("http://x/p?q=1#fragment", method="MSEARCH", headers=spaced)
        assert response.url == "http://x/p?q=1"
        echoed: Dict[str, Any] = await response.json()
        return echoed

    ours = run(with_client(workerd, body))
    assert ours["method"] == over_http["method"] == "MSEARCH"
    assert ours["url"] == over_http["url"] == "http://x/p?q=1"
    assert ["x-spaced", "value"] in ours["headers"] and ["x-spaced", "value"] in over_http["headers"]


# -- a request body that fails after the response started ------------------------------------------


class BodySourceFailed(Exception):
    pass


def failing_body(started: "asyncio.Event") -> AsyncIterator[bytes]:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"a" * 1000
        await started.wait()  # the response is under way
        yield b"b" * 1000
        raise BodySourceFailed("the body's source broke")
    return chunks()


def test_a_request_body_failing_after_the_response_started_fails_the_response_body(
        workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        started = asyncio.Event()
        target = client.get_entrypoint("main")
        response = await target.fetch("http://x/echo-stream", method="POST",
                                      body=failing_body(started))
        assert response.status == 200
        started.set()
        received = 0
        with pytest.raises(BodySourceFailed, match="the body's source broke"):
            async for chunk in response:
                received += len(chunk)
        # What had been sent came back first; the connection stays usable.
        assert received <= 2000
        clean = await target.fetch("http://x/echo-stream", method="POST", body=b"z" * 5000)
        return await clean.read()

    assert run(with_client(workerd, body)) == b"z" * 5000


def test_a_response_that_completed_is_not_failed_by_its_request_body(workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        started = asyncio.Event()
        response = await client.get_entrypoint("main").fetch(
            "http://x/ignore-body?bytes=3000", method="POST", body=failing_body(started))
        data = await response.read()
        started.set()
        await asyncio.sleep(0.05)
        return response.status, data

    assert run(with_client(workerd, body)) == (200, b"y" * 3000)


# -- a worker that answers with its own request body -------------------------------------------------
# workerd pumps the uploaded body straight into the response body's stream, asking that stream
# for a substream (ByteStream.getSubstream) and redirecting the upload's writes to it.


def test_a_request_body_echoed_back_arrives_as_the_bindings_does(workerd: Workerd) -> None:
    text = "echo " * 1000
    steps = [{"kind": "fetch", "url": "http://x/echo-stream", "method": "POST", "body": text}]
    [reference] = via_port(workerd, workerd.debug_address, MAIN, steps)
    assert reference["ok"] and reference["value"]["body"] == text

    async def body(client: DebugPortClient) -> bytes:
        response = await client.get_entrypoint("main").fetch(
            "http://x/echo-stream", method="POST", body=text)
        assert response.status == reference["value"]["status"]
        return await response.read()

    assert run(with_client(workerd, body)).decode() == text


@pytest.mark.parametrize("sized", [True, False])
def test_a_large_streamed_body_echoed_back_arrives_whole(workerd: Workerd, sized: bool) -> None:
    total = 3 * 1024 * 1024 + 17

    async def chunks() -> AsyncIterator[bytes]:
        sent = 0
        while sent < total:
            n = min(100_003, total - sent)
            yield bytes((sent + i) % 251 for i in range(n))
            sent += n

    async def body(client: DebugPortClient) -> Tuple[int, bool]:
        response = await client.get_entrypoint("main").fetch(
            "http://x/echo-stream", method="POST", body=chunks(),
            body_size=total if sized else None)
        data = await response.read()
        expected = bytes(i % 251 for i in range(total))
        return len(data), data == expected

    assert run(with_client(workerd, body), timeout=120) == (total, True)
