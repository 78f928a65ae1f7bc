"""The Python debug-port server, reached by a real workerd through its ``workerdDebugPort``.

The ``viaport`` worker (tests/debugport/workers/viaport.js) connects its binding to our
listener's address, opens an entrypoint or actor of a Python service and runs fetch/RPC steps;
its JSON answer shows what the JS side saw.
"""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.request
from typing import Any, Dict, Iterator, List

import pytest

from debugport.server import (
    Actor,
    DebugPortServer,
    Entrypoint,
    JsError,
    Request,
    Response,
    RpcTarget,
    parse_address,
)
from debugport.http_server import common_header_text

from .workerd_fixture import WORKERS, Workerd

pytestmark = pytest.mark.interop

CONFIG = WORKERS / "config.capnp"
ACTOR_ID = "ab" * 32


class Tally(RpcTarget):
    def __init__(self, start: int) -> None:
        self.total = start

    def add(self, n: int) -> int:
        self.total += n
        return self.total


def build_server() -> DebugPortServer:
    server = DebugPortServer()
    svc = server.service("py")

    @svc.fetch
    async def handle(request: Request) -> Response:
        body = await request.body()
        return Response.json({
            "entrypoint": "default", "method": request.method, "url": request.url,
            "headers": request.headers, "body": body.decode(), "props": request.props, "cf": request.cf,
        }, headers={"x-served-by": "python"})

    @svc.method
    def add(a: int, b: int) -> int:
        return a + b

    @svc.entrypoint("Named")
    class Named(Entrypoint):
        async def fetch(self, request: Request) -> Response:
            if request.url.endswith("/fail"):
                raise ValueError("fetch failed on purpose")
            chunks = [c async for c in request.stream()]
            return Response(b"".join(chunks).upper(), status=201, headers={"content-type": "text/plain"})

        def props(self) -> Any:
            return self.ctx.props

        async def echo(self, value: Any) -> Any:
            await asyncio.sleep(0)
            return value

        def fail(self) -> None:
            raise JsError("python says no", "RangeError")

        def failPlain(self) -> None:
            raise ValueError("plain python failure")

        async def callWith(self, fn: Any, value: Any) -> Any:
            return await fn(value)

        def tally(self, start: int) -> Tally:
            return Tally(start)

        def _hidden(self) -> str:
            return "never"

    @svc.actor("Counter")
    class Counter(Actor):
        def __init__(self, ctx: Any) -> None:
            super().__init__(ctx)
            self.count = 0

        def increment(self, n: int) -> int:
            self.count += n
            return self.count

        def id(self) -> str:
            return str(self.ctx.id)

        async def fetch(self, request: Request) -> Response:
            self.count += 1
            return Response.json({"count": self.count, "id": self.ctx.id})

    @svc.actor("Ephemeral", durable=False)
    class Ephemeral(Counter):
        pass

    return server


class Background:
    """An asyncio loop in a thread, serving the Python debug port while tests block on HTTP."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Any, timeout: float = 20) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="module")
def workerd() -> Iterator[Workerd]:
    with Workerd(CONFIG, sockets=("viaport",)) as wd:
        yield wd


@pytest.fixture(scope="module")
def py_port() -> Iterator[str]:
    bg = Background()
    server = build_server()

    async def start() -> str:
        await server.listen()
        return server.address

    address = bg.run(start())
    try:
        yield address
    finally:
        bg.run(server.close())
        bg.stop()


def via_port(wd: Workerd, address: str, target: Dict[str, Any], steps: List[Dict[str, Any]]) -> List[Any]:
    plan = {"address": address, "target": target, "steps": steps}
    request = urllib.request.Request(wd.url("/", socket="viaport"), data=json.dumps(plan).encode(),
                                     method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        results: List[Any] = json.loads(response.read())["results"]
    return results


def ok(result: Dict[str, Any]) -> Any:
    assert result["ok"], result
    return result["value"]


def test_listener_binds_loopback(py_port: str) -> None:
    assert parse_address(py_port)[0] == "127.0.0.1"


def test_default_fetch_with_body_props_and_cf(workerd: Workerd, py_port: str) -> None:
    [fetched] = via_port(workerd, py_port, {"kind": "entrypoint", "service": "py", "props": {"user": "alice"}}, [
        {"kind": "fetch", "url": "https://ex.test/p?q=1", "method": "PUT", "body": "abcd",
         "headers": [["x-one", "1"], ["Content-Type", "text/plain"]], "cf": {"colo": "TST"}},
    ])
    response = ok(fetched)
    assert response["status"] == 200
    assert dict(response["headers"])["x-served-by"] == "python"
    echoed = response["body"]
    assert echoed["method"] == "PUT" and echoed["url"] == "https://ex.test/p?q=1"
    assert echoed["body"] == "abcd"
    headers = {k.lower(): v for k, v in echoed["headers"]}
    assert headers["x-one"] == "1" and headers["content-type"] == "text/plain"
    assert echoed["props"] == {"user": "alice"}
    assert echoed["cf"] == {"colo": "TST"}


def test_absent_props_are_an_empty_object_and_no_cf(workerd: Workerd, py_port: str) -> None:
    [fetched] = via_port(workerd, py_port, {"kind": "entrypoint", "service": "py"},
                         [{"kind": "fetch", "url": "http://x/"}])
    echoed = ok(fetched)["body"]
    assert echoed["props"] == {} and echoed["cf"] is None and echoed["method"] == "GET"
    assert echoed["body"] == ""


def test_named_entrypoint_streams_the_request_body(workerd: Workerd, py_port: str) -> None:
    body = "chunk " * 20000
    [fetched] = via_port(workerd, py_port, {"kind": "entrypoint", "service": "py", "entrypoint": "Named"},
                         [{"kind": "fetch", "url": "http://x/up", "method": "POST", "body": body}])
    response = ok(fetched)
    assert response["status"] == 201
    assert response["body"] == body.upper()


def test_rpc_calls_with_v8_values_stubs_and_callbacks(workerd: Workerd, py_port: str) -> None:
    target = {"kind": "entrypoint", "service": "py", "entrypoint": "Named", "props": {"k": [1, 2]}}
    props, echoed, doubled, tally = via_port(workerd, py_port, target, [
        {"kind": "rpc", "method": "props"},
        {"kind": "rpc", "method": "echo", "args": [{"k": [1, None, "s"], "big": {"$bigint": "-9"},
                                                     "m": {"$map": [["a", 1]]}}]},
        {"kind": "rpc", "method": "callWith", "args": [{"$fn": "double"}, 21]},
        {"kind": "rpc", "method": "tally", "args": [10], "then": [
            {"method": "add", "args": [5]}, {"method": "add", "args": [1]}]},
    ])
    assert ok(props) == {"k": [1, 2]}
    assert ok(echoed) == {"k": [1, None, "s"], "big": {"$bigint": "-9"}, "m": {"$map": [["a", 1]]}}
    assert ok(doubled) == 42
    assert ok(tally) == {"value": {"$stub": True}, "then": [15, 16]}


def test_default_entrypoint_function_methods(workerd: Workerd, py_port: str) -> None:
    added, again = via_port(workerd, py_port, {"kind": "entrypoint", "service": "py"}, [
        {"kind": "rpc", "method": "add", "args": [2, 40]},
        {"kind": "rpc", "method": "add", "args": [1, 1]},
    ])
    assert ok(added) == 42 and ok(again) == 2


def test_errors_reach_js_with_our_message(workerd: Workerd, py_port: str) -> None:
    target = {"kind": "entrypoint", "service": "py", "entrypoint": "Named"}
    failed, plain, missing, hidden, fetch_failed, after = via_port(workerd, py_port, target, [
        {"kind": "rpc", "method": "fail"},
        {"kind": "rpc", "method": "failPlain"},
        {"kind": "rpc", "method": "nonexistent"},
        {"kind": "rpc", "method": "_hidden"},
        {"kind": "fetch", "url": "http://x/fail"},
        {"kind": "rpc", "method": "echo", "args": [7]},
    ])
    assert failed["error"]["name"] == "RangeError" and failed["error"]["message"] == "python says no"
    assert failed["error"]["remote"] is True
    assert plain["error"]["name"] == "Error" and plain["error"]["message"] == "plain python failure"
    assert not missing["ok"]
    assert 'does not implement the method "nonexistent"' in missing["error"]["message"]
    assert not hidden["ok"]
    assert not fetch_failed["ok"] and "fetch failed on purpose" in fetch_failed["error"]["message"]
    assert ok(after) == 7


def test_durable_actor_keeps_state_across_connections(workerd: Workerd, py_port: str) -> None:
    target = {"kind": "actor", "service": "py", "entrypoint": "Counter", "actorId": ACTOR_ID}
    first = via_port(workerd, py_port, target, [
        {"kind": "rpc", "method": "increment", "args": [1]},
        {"kind": "rpc", "method": "increment", "args": [10]},
        {"kind": "rpc", "method": "id"},
    ])
    assert [ok(r) for r in first] == [1, 11, ACTOR_ID]
    [fetched] = via_port(workerd, py_port, target, [{"kind": "fetch", "url": "http://do/"}])
    assert ok(fetched)["body"] == {"count": 12, "id": ACTOR_ID}
    other = dict(target, actorId="cd" * 32)
    [fresh] = via_port(workerd, py_port, other, [{"kind": "rpc", "method": "increment", "args": [5]}])
    assert ok(fresh) == 5


def test_ephemeral_actor_takes_any_string(workerd: Workerd, py_port: str) -> None:
    target = {"kind": "actor", "service": "py", "entrypoint": "Ephemeral", "actorId": "any string at all"}
    results = via_port(workerd, py_port, target, [
        {"kind": "rpc", "method": "increment", "args": [2]},
        {"kind": "fetch", "url": "http://eph/"},
    ])
    assert ok(results[0]) == 2
    assert ok(results[1])["body"] == {"count": 3, "id": "any string at all"}


def test_malformed_durable_id_is_rejected(workerd: Workerd, py_port: str) -> None:
    target = {"kind": "actor", "service": "py", "entrypoint": "Counter", "actorId": "abc"}
    [result] = via_port(workerd, py_port, target, [{"kind": "rpc", "method": "increment", "args": [1]}])
    assert not result["ok"]


@pytest.mark.parametrize("target, message", [
    ({"kind": "entrypoint", "service": "nope"}, 'Worker "nope" not found'),
    ({"kind": "entrypoint", "service": "py", "entrypoint": "Nope"},
     'Worker does not export an entrypoint named "Nope"'),
    ({"kind": "actor", "service": "py", "entrypoint": "Nope", "actorId": ACTOR_ID},
     'Worker does not export a Durable Object class named "Nope"'),
])
def test_resolution_errors_use_workerds_wording(workerd: Workerd, py_port: str, target: Dict[str, Any],
                                                message: str) -> None:
    [result] = via_port(workerd, py_port, target, [{"kind": "rpc", "method": "add", "args": [1, 2]}])
    assert not result["ok"]
    assert result["error"]["message"] == message


def test_common_header_spelling() -> None:
    assert common_header_text("contentType") == "Content-Type"
    assert common_header_text("etag") == "ETag"
    assert common_header_text("wwwAuthenticate") == "WWW-Authenticate"
    assert common_header_text("ifModifiedSince") == "If-Modified-Since"


def test_parse_address() -> None:
    assert parse_address("127.0.0.1:80") == ("127.0.0.1", 80)
    assert parse_address(":9") == ("127.0.0.1", 9)
    assert parse_address("[::1]:9") == ("::1", 9)
    assert parse_address("localhost:0") == ("localhost", 0)  # listen on any free port
    for bad in ("nohost", "h:65536", "h:-1", "[::1]9"):
        with pytest.raises(ValueError):
            parse_address(bad)


def test_cli_load_object_and_demo_services(workerd: Workerd) -> None:
    from debugport.cli_server import demo_server, load_object

    with pytest.raises(ValueError):
        load_object("no-colon")
    assert isinstance(load_object("debugport.cli_server:demo_server"), DebugPortServer)
    bg = Background()
    server = demo_server()

    async def start() -> str:
        await server.listen()
        return server.address

    try:
        address = bg.run(start())
        [greeted] = via_port(workerd, address, {"kind": "entrypoint", "service": "demo", "entrypoint": "Greeter",
                                                "props": {"user": "me"}},
                             [{"kind": "rpc", "method": "greet", "args": ["you"]}])
        assert ok(greeted) == "Hello, you! (props: {'user': 'me'})"
    finally:
        bg.run(server.close())
        bg.stop()
