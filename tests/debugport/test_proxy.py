"""The debug-port proxy: one stable address routed to workerd's own debug port or to ours.

The ``viaport`` worker connects its ``workerdDebugPort`` binding to the proxy, which forwards
everything to the debug port routed for the service; re-routing takes effect for the next
connection without restarting anything.

The tests at the end put the proxy in front of a scripted Python upstream instead, to pin down
message order and streaming deterministically.
"""

from __future__ import annotations

import asyncio
from typing import Any, Iterator, List, Optional, Tuple

import pytest

from capnp_lite.aio import PromiseResolver, Session, StreamTransport, Transport, connect_tcp
from capnp_lite.errors import RpcError
from capnp_lite.rpc import codec
from capnp_lite.rpc.messages import Message, Resolve, ResolveException, Return, ReturnException
from capnp_lite.wire.framing import MessageDecoder
from debugport.schemas import schemas
from debugport.proxy import DebugPortProxy
from debugport.server import DebugPortServer, Request, Response

from .conftest import run
from .test_server import Background, ok, via_port
from .workerd_fixture import WORKERS, Workerd

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


@pytest.mark.interop
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


@pytest.mark.interop
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


@pytest.mark.interop
def test_actor_through_the_proxy(workerd: Workerd, running: Any) -> None:
    _, proxy, _ = running
    proxy.route("main", workerd.debug_address)
    target = {"kind": "actor", "service": "main", "entrypoint": "EphemeralCounter", "actorId": "proxied"}
    results = via_port(workerd, proxy.address, target, [
        {"kind": "rpc", "method": "increment", "args": [2]},
        {"kind": "rpc", "method": "increment", "args": [3]},
    ])
    assert [ok(r) for r in results] == [2, 5]


@pytest.mark.interop
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


# -- a scripted upstream: exact message order, no workerd ------------------------------------------


class Recording(Transport):
    """A transport that also decodes what it reads and writes, to check message order."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.received: List[Message] = []
        self.sent: List[Message] = []
        self._in = MessageDecoder()
        self._out = MessageDecoder()

    @staticmethod
    def _decode(decoder: MessageDecoder, data: bytes, into: List[Message]) -> None:
        decoder.feed(data)
        while True:
            segments = decoder.next_message()
            if segments is None:
                return
            into.append(codec.decode(segments))

    async def read(self) -> bytes:
        data = await self.inner.read()
        self._decode(self._in, data, self.received)
        return data

    def write(self, data: bytes) -> None:
        self._decode(self._out, data, self.sent)
        self.inner.write(data)

    async def drain(self) -> None:
        await self.inner.drain()

    def close(self) -> None:
        self.inner.close()


def failure_then_resolution(messages: List[Message], reason: str) -> Tuple[int, int]:
    """Positions of the Return failing with ``reason`` and of the first Resolve to an exception."""
    failed = [i for i, m in enumerate(messages) if isinstance(m, Return)
              and isinstance(m.body, ReturnException) and m.body.exception.reason == reason]
    resolved = [i for i, m in enumerate(messages) if isinstance(m, Resolve)
                and isinstance(m.resolution, ResolveException)]
    assert failed and resolved, messages
    return failed[0], resolved[0]


class ScriptedUpstream:
    """A debug port whose one JS RPC method fails, then ends its session with an error.

    As workerd does after a failing call: the exception Return, then (same write) a Resolve of
    the session promise to an error.  The call fails only once ``go`` is set, so the test
    decides whether the proxy has already passed the session promise on.  Request bodies
    written to it are kept in ``written``.
    """

    FAILURE = "remote.jsg.Error: expected failure"

    def __init__(self) -> None:
        self.go = asyncio.Event()
        self.written: List[bytes] = []
        self.ended = False
        self.callback_released = asyncio.Event()  # the substream callback we pass was released
        self.transport: Optional[Recording] = None
        self.session: Optional[Session] = None
        self._server: Optional[asyncio.AbstractServer] = None

    async def listen(self) -> str:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return f"127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.transport = Recording(StreamTransport(reader, writer))
        self.session = Session(self.transport, self._port())
        await self.session.wait_closed()

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def _port(self) -> Any:
        w, h, b = schemas().worker, schemas().http, schemas().stream
        upstream = self

        class Top(w.JsRpcTarget.Server):  # type: ignore[misc, name-defined]
            def __init__(self, resolver: PromiseResolver) -> None:
                self.resolver = resolver

            async def call(self, _context: Any, **_: Any) -> Any:
                await upstream.go.wait()
                resolver = self.resolver
                # Runs once the session has queued this call's Return: both go in one write.
                _context.on_returned(lambda: resolver.reject(RpcError("jsg.Error: hung")))
                raise RpcError(ScriptedUpstream.FAILURE)

        class Body(b.ByteStream.Server):  # type: ignore[misc, name-defined]
            async def write(self, bytes: bytes, _context: Any) -> None:
                upstream.written.append(bytes)

            async def end(self, _context: Any) -> None:
                upstream.ended = True

        class Callback(b.ByteStream.SubstreamCallback.Server):  # type: ignore[misc, name-defined]
            def on_release(self) -> None:
                upstream.callback_released.set()

        class Http(h.HttpService.Server):  # type: ignore[misc, name-defined]
            async def request(self, request: Any, context: Any, _context: Any) -> Any:
                if request.url.endswith("/substream"):
                    # As workerd shortens a pump into the caller's response body: a
                    # substream, with a callback of ours, from the stream we are given.
                    body = context.startResponse(response={"statusCode": 200, "statusText": "OK"}).body
                    await body.getSubstream(callback=Callback(), limit=10)
                return Body()

        class Dispatcher(w.EventDispatcher.Server):  # type: ignore[misc, name-defined]
            async def jsRpcSession(self, _context: Any) -> Any:
                assert upstream.session is not None
                session_promise, resolver = upstream.session.export_promise(w.JsRpcSession)
                return Top(resolver), session_promise

            async def getHttpService(self, _context: Any) -> Any:
                return Http()

        class Boot(w.WorkerdBootstrap.Server):  # type: ignore[misc, name-defined]
            async def startEvent(self, _context: Any, **_: Any) -> Any:
                return Dispatcher()

        class Port(w.WorkerdDebugPort.Server):  # type: ignore[misc, name-defined]
            async def getEntrypoint(self, _context: Any, **_: Any) -> Any:
                return Boot()

        return Port()


async def _through_proxy(scenario: Any) -> Any:
    upstream = ScriptedUpstream()
    proxy = DebugPortProxy({"main": await upstream.listen()})
    host, port = await proxy.listen()
    transport = Recording(await connect_tcp(host, port))
    client = Session(transport)
    try:
        return await scenario(upstream, client, transport)
    finally:
        await client.close()
        await proxy.close()
        await upstream.close()


async def _eventually(check: Any) -> None:
    for _ in range(200):
        if check():
            return
        await asyncio.sleep(0.01)


def test_a_failed_call_returns_before_its_session_ends() -> None:
    """The session's Resolve must not overtake the failing call's Return (workerd's client fails
    every pending call with the session's error once the session resolves)."""

    async def scenario(upstream: ScriptedUpstream, client: Session, transport: Recording) -> None:
        port = client.bootstrap(schemas().worker.WorkerdDebugPort)
        dispatcher = port.getEntrypoint(service="main").entrypoint.startEvent().dispatcher
        opened = dispatcher.jsRpcSession()
        call = opened.topLevel.call(methodName="fail")
        results = await opened  # the proxy has passed the session promise on: a forwarder
        upstream.go.set()
        with pytest.raises(RpcError) as failed:
            await call
        assert failed.value.reason == ScriptedUpstream.FAILURE
        await _eventually(lambda: any(isinstance(m, Resolve) for m in transport.received))
        assert upstream.transport is not None
        up_return, up_resolve = failure_then_resolution(upstream.transport.sent, ScriptedUpstream.FAILURE)
        assert up_return < up_resolve  # what the upstream sent: the order to keep
        down_return, down_resolve = failure_then_resolution(transport.received, ScriptedUpstream.FAILURE)
        assert down_return < down_resolve
        results.session.close()
        results.topLevel.close()

    for _ in range(3):  # the order used to depend on scheduling; try a few connections
        run(_through_proxy(scenario), timeout=20)


def test_request_body_writes_pass_through() -> None:
    """``ByteStream.write`` is a streaming method: forwarded, it must succeed (no results)."""

    async def scenario(upstream: ScriptedUpstream, client: Session, transport: Recording) -> None:
        port = client.bootstrap(schemas().worker.WorkerdDebugPort)
        dispatcher = port.getEntrypoint(service="main").entrypoint.startEvent().dispatcher
        request = dispatcher.getHttpService().http.request(
            request={"method": "post", "url": "http://x/", "headers": [], "bodySize": {"fixed": 5}})
        body = request.requestBody
        await body.write(b"ab")
        await body.write(b"cde")
        await body.end()
        await client.stream_ready(body)  # raises if any write failed
        assert upstream.written == [b"ab", b"cde"] and upstream.ended
        failures = [m for m in transport.received if isinstance(m, Return) and isinstance(m.body, ReturnException)]
        assert failures == []

    run(_through_proxy(scenario), timeout=20)


def test_a_capability_released_downstream_is_released_upstream_while_its_call_runs() -> None:
    """A capability the upstream passes in a call's params (a substream's callback) is released
    upstream as soon as the caller downstream lets it go, not when the forwarded call ends (or
    when the collector finds it): workerd waits for that release before it ends a response."""

    async def scenario(upstream: ScriptedUpstream, client: Session, transport: Recording) -> None:
        w, h, b = schemas().worker, schemas().http, schemas().stream
        seen_upstream = asyncio.Event()

        class Body(b.ByteStream.Server):  # type: ignore[misc, name-defined]
            async def getSubstream(self, callback: Any, limit: int, _context: Any) -> Any:
                callback.close()
                # The call stays open until the upstream has seen the release (or 5 s).
                try:
                    await asyncio.wait_for(upstream.callback_released.wait(), 5)
                finally:
                    seen_upstream.set()
                return Body()

        class Context(h.HttpService.ClientRequestContext.Server):  # type: ignore[misc, name-defined]
            async def startResponse(self, _context: Any, **_: Any) -> Any:
                return Body()

        port = client.bootstrap(w.WorkerdDebugPort)
        dispatcher = port.getEntrypoint(service="main").entrypoint.startEvent().dispatcher
        request = dispatcher.getHttpService().http.request(
            request={"method": "get", "url": "http://x/substream", "headers": [], "bodySize": {"fixed": 0}},
            context=Context())
        await asyncio.wait_for(seen_upstream.wait(), 10)
        assert upstream.callback_released.is_set()
        (await request).requestBody.close()

    run(_through_proxy(scenario), timeout=20)
