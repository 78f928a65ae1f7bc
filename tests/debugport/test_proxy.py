"""The debug-port proxy: one stable address routed to workerd's own debug port or to ours.

The ``viaport`` worker connects its ``workerdDebugPort`` binding to the proxy, which forwards
everything to the debug port routed for the service; re-routing takes effect for the next
connection without restarting anything.
"""

from __future__ import annotations

from typing import Any, Iterator, Tuple

import pytest

from debugport.proxy import DebugPortProxy
from debugport.server import DebugPortServer, Request, Response

from .test_server import Background, ok, via_port
from .workerd_fixture import WORKERS, Workerd

pytestmark = pytest.mark.interop

CONFIG = WORKERS / "config.capnp"


@pytest.fixture(scope="module")
def workerd() -> Iterator[Workerd]:
    with Workerd(CONFIG, sockets=("http", "viaport")) as wd:
        yield wd


def python_main() -> DebugPortServer:
    server = DebugPortServer()
    svc = server.service("main")

    @svc.fetch
    async def handle(request: Request) -> Response:
        return Response.json({"entrypoint": "python", "body": await request.text()})

    @svc.method
    def add(a: int, b: int) -> int:
        return 1000 + a + b

    return server


@pytest.fixture(scope="module")
def running(workerd: Workerd) -> Iterator[Tuple[Background, DebugPortProxy, DebugPortServer]]:
    bg = Background()
    proxy = DebugPortProxy()
    server = python_main()

    async def start() -> None:
        await proxy.listen()
        await server.listen()

    bg.run(start())
    try:
        yield bg, proxy, server
    finally:
        bg.run(proxy.close())
        bg.run(server.close())
        bg.stop()


def test_routes_to_workerds_debug_port(workerd: Workerd, running: Any) -> None:
    _, proxy, _ = running
    proxy.route("main", workerd.debug_address)
    target = {"kind": "entrypoint", "service": "main", "entrypoint": "Rpc", "props": {"p": 1}}
    fetched, added, doubled, tally, props = via_port(workerd, proxy.address, target, [
        {"kind": "fetch", "url": "http://x/echo", "method": "POST", "body": "through the proxy",
         "cf": {"colo": "PRX"}},
        {"kind": "rpc", "method": "add", "args": [2, 40]},
        {"kind": "rpc", "method": "callWith", "args": [{"$fn": "double"}, 21]},
        {"kind": "rpc", "method": "tally", "args": [10], "then": [{"method": "add", "args": [5]}]},
        {"kind": "rpc", "method": "props"},
    ])
    echoed = ok(fetched)["body"]
    assert echoed["entrypoint"] == "Rpc" and echoed["body"] == "through the proxy"
    assert echoed["cf"] == {"colo": "PRX"} and echoed["props"] == {"p": 1}
    assert ok(added) == 42
    assert ok(doubled) == 42
    assert ok(tally) == {"value": {"$stub": True}, "then": [15]}
    assert ok(props) == {"p": 1}


def test_errors_pass_through(workerd: Workerd, running: Any) -> None:
    _, proxy, _ = running
    proxy.route("main", workerd.debug_address)
    failed, missing = via_port(workerd, proxy.address, {"kind": "entrypoint", "service": "main", "entrypoint": "Rpc"}, [
        {"kind": "rpc", "method": "fail"},
        {"kind": "rpc", "method": "nonexistent"},
    ])
    assert failed["error"]["message"] == "expected failure from the test worker"
    assert not missing["ok"]
    [unknown] = via_port(workerd, proxy.address, {"kind": "entrypoint", "service": "unrouted"},
                         [{"kind": "fetch"}])
    assert unknown["error"]["message"] == 'Worker "unrouted" not found'


def test_actor_through_the_proxy(workerd: Workerd, running: Any) -> None:
    _, proxy, _ = running
    proxy.route("main", workerd.debug_address)
    target = {"kind": "actor", "service": "main", "entrypoint": "EphemeralCounter", "actorId": "proxied"}
    results = via_port(workerd, proxy.address, target, [
        {"kind": "rpc", "method": "increment", "args": [2]},
        {"kind": "rpc", "method": "increment", "args": [3]},
    ])
    assert [ok(r) for r in results] == [2, 5]


def test_switches_targets_at_runtime(workerd: Workerd, running: Any) -> None:
    _, proxy, server = running
    target = {"kind": "entrypoint", "service": "main"}
    steps = [{"kind": "fetch", "url": "http://x/", "method": "POST", "body": "hi"},
             {"kind": "rpc", "method": "add", "args": [1, 2]}]
    proxy.route("main", workerd.debug_address)
    fetched, added = via_port(workerd, proxy.address, target, steps)
    assert ok(fetched)["body"]["entrypoint"] == "default" and ok(added) == 3
    proxy.route("main", server.address)
    fetched, added = via_port(workerd, proxy.address, target, steps)
    assert ok(fetched)["body"] == {"entrypoint": "python", "body": "hi"} and ok(added) == 1003
    proxy.route("main", workerd.debug_address)
    [fetched] = via_port(workerd, proxy.address, target, steps[:1])
    assert ok(fetched)["body"]["entrypoint"] == "default"
