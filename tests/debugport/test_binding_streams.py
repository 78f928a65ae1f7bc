"""Bodies and WebSockets as workerd's ``workerdDebugPort`` binding sends them, against our server,
our proxy and our client.

The ``viaport`` worker drives the binding: ``/forward`` passes its own request (and body) on to a
service, ``/drive`` fetches with a generated body and digests the response, ``/drive-ws`` runs a
WebSocket and reports what the JavaScript side saw (see workers/viaport.js).
"""

from __future__ import annotations

import asyncio
import hashlib
import http.client
import json
import urllib.request
from typing import Any, AsyncIterator, Dict, Iterator, Tuple
from urllib.parse import urlparse

import pytest

from debugport.client import connect
from debugport.proxy import DebugPortProxy
from debugport.server import DebugPortServer, Request, Response
from debugport.websocket import NO_STATUS, WebSocket

from .test_server import Background
from .workerd_fixture import WORKERS, Workerd

pytestmark = pytest.mark.interop

CONFIG = WORKERS / "config.capnp"
MIB3 = 3 << 20


def pattern(size: int) -> bytes:
    return bytes(i % 251 for i in range(size))


def digest(data: bytes) -> Dict[str, Any]:
    return {"len": len(data), "sha": hashlib.sha256(data).hexdigest()}


def python_service() -> DebugPortServer:
    server = DebugPortServer()
    svc = server.service("py")

    @svc.fetch
    async def handle(request: Request) -> Response:
        path = urlparse(request.url).path
        if path == "/count":
            sha = hashlib.sha256()
            size = 0
            async for chunk in request.stream():
                sha.update(chunk)
                size += len(chunk)
            return Response.json({"len": size, "sha": sha.hexdigest()})
        if path == "/gen":
            return Response(_generated(MIB3, 9999))
        if path == "/ws":
            async def echo(ws: WebSocket) -> None:
                async for message in ws:
                    await ws.send(message)
            return Response.websocket(echo)
        return Response(b"not found", status=404)

    return server


async def _generated(total: int, chunk: int) -> AsyncIterator[bytes]:
    data = pattern(total)
    for start in range(0, total, chunk):
        yield data[start:start + chunk]


@pytest.fixture(scope="module")
def setup() -> Iterator[Tuple[Workerd, Background, str, str]]:
    """workerd, a loop running our server and our proxy, the server's and the proxy's address."""
    with Workerd(CONFIG, sockets=("http", "viaport")) as wd:
        bg = Background()
        server = python_service()
        proxy = DebugPortProxy()

        async def start() -> Tuple[str, str]:
            await server.listen()
            await proxy.listen()
            proxy.route("main", wd.debug_address)
            proxy.route("py", server.address)
            return server.address, proxy.address

        server_address, proxy_address = bg.run(start())
        try:
            yield wd, bg, server_address, proxy_address
        finally:
            bg.run(proxy.close())
            bg.run(server.close())
            bg.stop()


def post_json(wd: Workerd, path: str, plan: Dict[str, Any], timeout: float = 30) -> Any:
    request = urllib.request.Request(wd.url(path, socket="viaport"), data=json.dumps(plan).encode(),
                                     method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def post_chunked(wd: Workerd, path: str, body: bytes, part: int = 7777) -> Tuple[int, bytes]:
    """POST ``body`` with chunked transfer encoding (a body of unknown length for the worker)."""
    conn = http.client.HTTPConnection("127.0.0.1", wd.port("viaport"), timeout=60)
    try:
        conn.putrequest("POST", path)
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        for start in range(0, len(body), part):
            piece = body[start:start + part]
            conn.send(b"%x\r\n" % len(piece) + piece + b"\r\n")
        conn.send(b"0\r\n\r\n")
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# -- 1. request bodies a worker sends to our server ------------------------------------------------


@pytest.mark.parametrize("size", [65536, MIB3])
def test_a_worker_passing_its_request_on_delivers_the_whole_body(setup: Any, size: int) -> None:
    wd, _, address, _ = setup
    body = pattern(size)
    status, answer = post_chunked(wd, f"/forward?address={address}&service=py&path=/count", body)
    assert status == 200 and json.loads(answer) == digest(body)


@pytest.mark.parametrize("kind", ["gen", "fixed"])
def test_a_generated_upload_through_the_binding_arrives_whole(setup: Any, kind: str) -> None:
    wd, _, address, _ = setup
    result = post_json(wd, "/drive", {"address": address, "service": "py", "url": "http://y/count",
                                      "method": "POST", "bodyKind": kind, "bytes": MIB3,
                                      "chunk": 9999, "read": "text"}, timeout=60)
    assert result["status"] == 200 and json.loads(result["text"]) == digest(pattern(MIB3))


# -- 2. the binding through the proxy --------------------------------------------------------------


@pytest.mark.parametrize("url, size", [
    ("/gen?bytes=131072&chunk=9999", 131072),
    ("/fixed?bytes=131072&chunk=9999", 131072),
    ("/gen?bytes=3145728&chunk=65536", MIB3),
    ("/fixed?bytes=3145728&chunk=65536", MIB3),
])
def test_response_bodies_through_the_proxy_arrive_whole(setup: Any, url: str, size: int) -> None:
    wd, _, _, proxy = setup
    result = post_json(wd, "/drive", {"address": proxy, "service": "main", "url": "http://x" + url},
                       timeout=30)
    assert result == {"status": 200, "body": digest(pattern(size))}


def test_a_request_body_echoed_back_through_the_proxy_arrives_whole(setup: Any) -> None:
    wd, _, _, proxy = setup
    result = post_json(wd, "/drive", {"address": proxy, "service": "main", "url": "http://x/echo-stream",
                                      "method": "POST", "bodyKind": "gen", "bytes": MIB3,
                                      "chunk": 9999}, timeout=30)
    assert result == {"status": 200, "body": digest(pattern(MIB3))}


def test_a_python_response_body_through_the_proxy_arrives_whole(setup: Any) -> None:
    wd, _, _, proxy = setup
    result = post_json(wd, "/drive", {"address": proxy, "service": "py", "url": "http://y/gen"}, timeout=30)
    assert result == {"status": 200, "body": digest(pattern(MIB3))}


@pytest.mark.parametrize("service", ["main", "py"])
def test_the_bindings_websocket_through_the_proxy(setup: Any, service: str) -> None:
    wd, _, _, proxy = setup
    result = post_json(wd, "/drive-ws", {"address": proxy, "service": service, "url": "http://x/ws",
                                         "messages": ["a", "b", {"bytes": MIB3}], "expect": 3,
                                         "close": [4000, "bye"], "wait": 8000, "settle": 0})
    assert result["received"] == ["a", "b", f"bytes:{MIB3}"]
    assert result["closeEvent"]["code"] == 4000 and result["closeEvent"]["wasClean"]


@pytest.mark.parametrize("service", ["main", "py"])
def test_our_websocket_through_the_proxy(setup: Any, service: str) -> None:
    _, bg, _, proxy = setup

    async def scenario() -> Tuple[Any, int, int]:
        client = await connect(proxy)
        try:
            ws = await client.get_entrypoint(service).websocket("http://x/ws")
            await ws.send("hello")
            first = await asyncio.wait_for(ws.receive(), 10)
            await ws.send(b"\x01" * MIB3)
            big = await asyncio.wait_for(ws.receive(), 20)
            await ws.close(4123, "bye")
            assert ws.close_code is not None
            return first, len(big), ws.close_code
        finally:
            await client.close()

    assert bg.run(scenario(), timeout=40) == ("hello", MIB3, 4123)


# -- 3. Response.close() cancels the worker's body ------------------------------------------------


def test_closing_a_response_cancels_the_workers_body(setup: Any) -> None:
    wd, bg, _, _ = setup

    def state(tag: str) -> Any:
        with urllib.request.urlopen(wd.url(f"/endless-state?tag={tag}"), timeout=10) as response:
            return json.loads(response.read())

    async def scenario() -> Tuple[str, int]:
        loop = asyncio.get_running_loop()
        client = await connect(wd.debug_address)
        try:
            response = await client.get_entrypoint("main").fetch("http://x/endless?tag=closed")
            got = 0
            async for chunk in response:
                got += len(chunk)
                if got >= 5000:
                    break
            response.close()
            seen = "streaming"
            for _ in range(40):  # the worker is told at its next write
                await asyncio.sleep(0.05)
                seen = (await loop.run_in_executor(None, state, "closed"))["state"]
                if seen == "cancelled":
                    break
            again = await client.get_entrypoint("main").fetch("http://x/gen?bytes=10")
            return seen, len(await again.read())  # the connection is still fine
        finally:
            await client.close()  # (closing the connection would cancel the body too)

    assert bg.run(scenario(), timeout=30) == ("cancelled", 10)
    # The binding's reader.cancel() does the same.
    post_json(wd, "/drive", {"address": wd.debug_address, "service": "main",
                             "url": "http://x/endless?tag=binding", "read": "partial", "readBytes": 5000})
    assert state("binding")["state"] == "cancelled"


# -- 4. closing without a code ---------------------------------------------------------------------


def test_a_close_without_a_code_is_answered_as_workerd_answers_it(setup: Any) -> None:
    """workerd's own server answering ``close()`` without a code: the worker sees 1005, clean."""
    wd, _, address, _ = setup
    plan = {"messages": ["a"], "expect": 1, "close": [], "wait": 3000, "settle": 0}
    theirs = post_json(wd, "/drive-ws", dict(plan, address=wd.debug_address, service="main", url="http://x/ws-bare"))
    ours = post_json(wd, "/drive-ws", dict(plan, address=address, service="py", url="http://y/ws"))
    assert theirs["closeEvent"] == {"code": NO_STATUS, "reason": "", "wasClean": True}
    assert ours["closeEvent"] == theirs["closeEvent"]


# -- 5. the end of a WebSocket request -------------------------------------------------------------


def test_no_error_event_after_a_clean_close(setup: Any) -> None:
    wd, _, address, _ = setup
    plan = {"messages": ["a"], "expect": 1, "close": [1000, "bye"], "wait": 3000, "settle": 500}
    theirs = post_json(wd, "/drive-ws", dict(plan, address=wd.debug_address, service="main", url="http://x/ws"))
    ours = post_json(wd, "/drive-ws", dict(plan, address=address, service="py", url="http://y/ws"))
    assert theirs["errors"] == []
    assert ours["errors"] == []


@pytest.mark.parametrize("service", ["main", "py"])
def test_no_error_event_after_a_clean_close_through_the_proxy(setup: Any, service: str) -> None:
    """The proxy keeps a peer's calls behind the Returns it sent before them: the server's close
    reply must not overtake the Return of the client's close (workerd then reports a lost
    connection)."""
    wd, _, _, proxy = setup
    plan = {"messages": ["a"], "expect": 1, "close": [1000, "bye"], "wait": 3000, "settle": 500}
    result = post_json(wd, "/drive-ws", dict(plan, address=proxy, service=service, url="http://x/ws"))
    assert result["closeEvent"]["code"] == 1000 and result["closeEvent"]["wasClean"]
    assert result["errors"] == []
