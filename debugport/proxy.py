"""A stable debug port that routes each service to whichever workerd currently hosts it.

    proxy = DebugPortProxy()
    proxy.route("main", "127.0.0.1:41933")      # may change at any time, no restart
    await proxy.listen("127.0.0.1", 9229)

``getEntrypoint``/``getActor`` are sent to the debug port routed for their ``service`` (or the
``"*"`` route); everything the upstream returns is forwarded capability by capability: calls on
a forwarded capability are re-sent to the side it came from, with the capabilities inside their
params and results forwarded the same way in the opposite direction.  Results that later calls
pipeline on (``startEvent``'s dispatcher, ``request``'s body stream, ``jsRpcSession``'s target)
are published before the upstream answers, so pipelined calls pass straight through.  Promise
capabilities (``jsRpcSession``'s ``session``) stay promises and are resolved when the upstream
resolves them; releases are passed on, so sessions end when the caller is done.

What one peer sends is relayed in the order it was sent: a ``Resolve`` or ``Release`` that
follows a ``Return`` is passed on only after that ``Return`` has been relayed.  workerd depends
on it: after a JS RPC call fails it returns the exception, then resolves the session's promise
to an error; a caller that saw the resolution first would fail the call with that error.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Dict, List, Optional, Tuple

from capnp_lite.aio import Capability, Request, StreamTransport, connect_tcp
from capnp_lite.aio._schema import StructBuild
from capnp_lite.errors import RpcError
from capnp_lite.rpc.caps import RemoteCap
from capnp_lite.rpc.events import ExportReleased

from .http_server import schemas
from .jsrpc_server import DebugSession
from .server import LOOPBACK, parse_address

__all__ = ["DebugPortProxy", "ANY_SERVICE"]

ANY_SERVICE = "*"


class _Relay:
    """A call forwarded to this session's peer, until its answer has been relayed to the caller.

    ``answered`` settles when the peer's ``Return`` is received; ``task`` serves the caller's
    call and sends the caller our ``Return`` when it is done.
    """

    __slots__ = ("answered", "task")

    def __init__(self, answered: "asyncio.Future[Any]", task: "asyncio.Task[Any]") -> None:
        self.answered = answered
        self.task = task


class _ProxySession(DebugSession):
    """A session whose promise imports can be watched, so forwarded promises resolve too.

    It also keeps the peer's order when relaying: calls forwarded to the peer are tracked, and
    what the peer sends after their ``Return`` (a ``Resolve``, a ``Release``) is passed on only
    once those ``Return`` messages have been relayed (``in_order``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.watchers: Dict[int, List["_Forwarder"]] = {}
        self._relays: List[_Relay] = []

    def track_relay(self, answered: Any) -> None:
        """Note a call just forwarded to the peer on behalf of the current (serving) task."""
        task = asyncio.current_task()
        if task is None or not isinstance(answered, asyncio.Future):
            return
        relay = _Relay(answered, task)
        self._relays.append(relay)
        # Added after the session's own completion callback, so this runs once the caller's
        # Return has been queued: from then on the relay no longer holds anything back.
        task.add_done_callback(lambda _: self._relays.remove(relay))

    def in_order(self, action: Callable[[], None]) -> None:
        """Run ``action`` once every answer already received from the peer has been relayed."""
        waiting = [r.task for r in self._relays if r.answered.done()]
        if not waiting:
            action()
            return
        left = [len(waiting)]

        def one_done(_: object) -> None:
            left[0] -= 1
            if left[0] == 0:
                action()

        for task in waiting:
            # Done callbacks run in the order they were added: after the one that sends the
            # caller's Return (a task already done schedules it behind that one as well).
            task.add_done_callback(one_done)

    def _handle(self, event: Any) -> None:
        # A Release of one of our forwarders is queued here, as it arrives, so it keeps its
        # place relative to the Resolves around it (the session's own hook runs a turn later).
        if isinstance(event, ExportReleased) and isinstance(event.obj, _Forwarder):
            self.in_order(event.obj.close_upstream)
            return
        super()._handle(event)

    def _on_resolved(self, event: Any) -> None:
        super()._on_resolved(event)
        iid = int(event.import_id)
        resolution = self._resolutions.get(event.import_id)
        for fwd in self.watchers.pop(iid, []):
            self.in_order(_resolve_later(fwd, resolution, event.exception))


def _resolve_later(fwd: "_Forwarder", resolution: Optional[Capability], exception: Any) -> Callable[[], None]:
    return lambda: fwd.upstream_resolved(resolution, exception)


def _interface_bases() -> Tuple[type, ...]:
    s = schemas()
    w, h, b = s.worker, s.http, s.stream
    ifaces = [w.WorkerdDebugPort, w.WorkerdBootstrap, w.EventDispatcher, w.JsRpcTarget, w.JsRpcSession,
              w.JsValue.ExternalPusher, w.JsValue.ExternalPusher.InputStream,
              w.JsValue.ExternalPusher.AbortSignal, w.JsValue.ExternalPusher.DelayedChannelToken,
              w.AbortTrigger, w.TailStreamTarget, w.Handle, h.HttpService,
              h.HttpService.ClientRequestContext, h.HttpService.ConnectClientRequestContext,
              h.WebSocket, b.ByteStream, b.ByteStream.SubstreamCallback]
    return tuple(i.Server for i in ifaces)


def wrap_for(session: Any, value: Any) -> Any:
    """``value`` as something ``session`` can send: capabilities of other sessions get a forwarder."""
    if isinstance(value, Capability) and value._session is not session:
        return make_forwarder(value, session)
    return value


def _copying_build(build: StructBuild, session: Any) -> StructBuild:
    """A build over the same struct whose capabilities are wrapped for ``session``."""
    add = build._add_cap
    return StructBuild(build.schema, build.builder, lambda v: add(wrap_for(session, v)))


_POINTER_KINDS = frozenset({"text", "data", "struct", "list", "interface", "anyPointer"})


def copy_struct(dst: StructBuild, src: Any) -> None:
    """Copy a received struct into a build, keeping null pointers null (absent stays absent)."""
    for field in src._active_fields():
        kind = field.kind
        if kind in _POINTER_KINDS and src.reader.is_null(field.offset):
            if field.in_union:
                dst._select(field)
            continue
        if kind == "group":
            copy_struct(dst.init(field.name), src._get(field))
        elif kind == "struct":
            copy_struct(dst.init(field.name), src._get(field))
        elif kind == "list" and field.type.element.kind == "struct":
            items = src._get(field)
            built = dst.init(field.name, len(items))
            for i, item in enumerate(items):
                copy_struct(built[i], item)
        else:
            dst.set(field, src._get(field))


class _Forwarder:
    """Serves a capability of one session on another by re-sending every call to it."""

    def __init__(self, cap: Capability, served_by: DebugSession) -> None:
        self.cap = cap
        self.served_by = served_by
        self.closed = False

    # -- lifetime

    def adopt(self, cap: Optional[Capability]) -> None:
        """Switch from a pipelined reference to the settled one (which this forwarder owns)."""
        if cap is not None:
            self.cap = cap

    def on_release(self) -> None:
        """The peer of ``served_by`` released us: pass the release on, after earlier Returns."""
        if isinstance(self.served_by, _ProxySession):
            self.served_by.in_order(self.close_upstream)
        else:
            self.close_upstream()

    def close_upstream(self) -> None:
        """Drop our reference to the capability we forward to (once)."""
        if not self.closed:
            self.closed = True
            self.cap.close()

    @property
    def export_as_promise(self) -> bool:
        """Export as a promise while the upstream capability is an unresolved promise."""
        session = self.cap._session
        target = self.cap._target
        if not isinstance(session, _ProxySession) or not isinstance(target, RemoteCap) or not target.promise:
            return False
        iid = int(target.import_id)
        resolution = session._resolutions.get(target.import_id)
        if resolution is not None:
            # Settled before we pass it on: still a promise for our peer (a settled capability
            # where a promise is expected means "already over"), resolved once the message
            # exporting it has been sent and the peer's earlier Returns have been relayed.
            later = _resolve_later(self, resolution, None)
            asyncio.get_running_loop().call_soon(session.in_order, later)
            return True
        watchers = session.watchers.setdefault(iid, [])
        if self not in watchers:
            watchers.append(self)
        return True

    def upstream_resolved(self, resolution: Optional[Capability], exception: Any) -> None:
        """The promise we forward settled upstream (to ``resolution`` or ``exception``)."""
        if exception is not None:
            self.served_by.resolve_export(self, RpcError(exception.reason))
            return
        broken = getattr(getattr(resolution, "_target", None), "error", None)
        if resolution is None or isinstance(broken, RpcError):
            reason = broken.reason if isinstance(broken, RpcError) else "promise resolved to a null capability"
            self.served_by.resolve_export(self, RpcError(reason))
            return
        self.served_by.resolve_export(self, make_forwarder(resolution, self.served_by))

    # -- calls

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        async def forward(_context: Any, **_fields: Any) -> Any:
            return await self._forward(_context)

        return forward

    async def _forward(self, context: Any) -> Any:
        method = context.method
        request = Request(self.cap, method)
        copy_struct(_copying_build(request.params, self.cap._session), context.params)
        promise = request.send()
        if method.streaming:
            # ``-> stream``: awaiting is flow control (a failure surfaces here or on a later
            # write); there are no results to copy.
            await promise
            return None
        upstream = self.cap._session
        if isinstance(upstream, _ProxySession):
            upstream.track_relay(promise.a_wait())
        early: Dict[str, _Forwarder] = {}
        for name, field in method.results.fields.items():
            if field.kind == "interface" and not field.in_union:
                early[name] = make_forwarder(getattr(promise, name), self.served_by)
        if early:
            context.set_pipeline(dict(early))
        response = await promise
        out = _copying_build(context.results, self.served_by)
        copy_struct(out, _Without(response, set(early)))
        for name, forwarder in early.items():
            forwarder.adopt(getattr(response, name))
            out.set(out.schema.fields[name], forwarder)
        return None  # the results are already in place


class _Without:
    """A received struct seen without some fields (set separately)."""

    def __init__(self, view: Any, skip: Any) -> None:
        self.view = view
        self.skip = skip
        self.reader = view.reader

    def _active_fields(self) -> Any:
        return [f for f in self.view._active_fields() if f.name not in self.skip]

    def _get(self, field: Any) -> Any:
        return self.view._get(field)


_FORWARDER_CLASS: List[type] = []


def make_forwarder(cap: Capability, served_by: DebugSession) -> Any:
    """A server object that ``served_by`` exports for ``cap`` (any interface we know)."""
    if not _FORWARDER_CLASS:
        _FORWARDER_CLASS.append(type("Forwarder", (_Forwarder,) + _interface_bases(), {}))
    return _FORWARDER_CLASS[0](cap, served_by)


class DebugPortProxy:
    """One debug port for clients; ``route(service, address)`` says where each service lives."""

    def __init__(self, routes: Optional[Dict[str, str]] = None) -> None:
        self.routes: Dict[str, str] = dict(routes or {})
        self._upstreams: Dict[str, Tuple[_ProxySession, Capability]] = {}
        self._connecting: Dict[str, "asyncio.Future[Tuple[_ProxySession, Capability]]"] = {}
        self._server: Optional[asyncio.AbstractServer] = None
        self._sessions: List[DebugSession] = []
        self.host = ""
        self.port = 0

    # -- the registry

    def route(self, service: str, address: str) -> None:
        """Send ``service`` (or every unrouted service, for ``"*"``) to ``address`` from now on."""
        parse_address(address)
        self.routes[service] = address

    def unroute(self, service: str) -> None:
        self.routes.pop(service, None)

    def target_of(self, service: str) -> str:
        address = self.routes.get(service) or self.routes.get(ANY_SERVICE)
        if address is None:
            raise RpcError(f'jsg.Error: Worker "{service}" not found')
        return address

    # -- upstream connections (one per address, reopened when it drops)

    async def _upstream(self, address: str) -> Capability:
        cached = self._upstreams.get(address)
        if cached is not None and cached[0].is_open:
            return cached[1]
        pending = self._connecting.get(address)
        if pending is None:
            pending = asyncio.get_running_loop().create_future()
            self._connecting[address] = pending
            try:
                host, port = parse_address(address)
                transport = await connect_tcp(host, port)
                session = _ProxySession(transport)
                boot = session.bootstrap(schemas().worker.WorkerdDebugPort)
                self._upstreams[address] = (session, boot)
                pending.set_result((session, boot))
            except OSError as exc:
                pending.set_exception(RpcError(f"cannot reach debug port {address}: {exc}", "disconnected"))
                pending.exception()
            finally:
                del self._connecting[address]
        return (await pending)[1]

    async def _forward(self, context: Any, downstream: DebugSession) -> Any:
        address = self.target_of(context.params.service)
        boot = await self._upstream(address)
        return await make_forwarder(boot, downstream)._forward(context)

    # -- the listener

    def accept(self, transport: Any) -> DebugSession:
        box: List[DebugSession] = []
        proxy = self
        base = schemas().worker.WorkerdDebugPort.Server

        class _Port(base):  # type: ignore[misc, valid-type]
            async def getEntrypoint(self, _context: Any, **_: Any) -> Any:
                return await proxy._forward(_context, box[0])

            async def getActor(self, _context: Any, **_: Any) -> Any:
                return await proxy._forward(_context, box[0])

        session = _ProxySession(transport, _Port())
        box.append(session)
        self._sessions.append(session)
        session.closed.add_done_callback(lambda _: self._sessions.remove(session))
        return session

    async def _on_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = self.accept(StreamTransport(reader, writer))
        await session.wait_closed()

    async def listen(self, host: str = LOOPBACK, port: int = 0) -> Tuple[str, int]:
        """Start accepting clients; returns the bound (host, port).  Keep it on loopback."""
        self._server = await asyncio.start_server(self._on_client, host, port)
        sockname = self._server.sockets[0].getsockname()
        self.host, self.port = str(sockname[0]), int(sockname[1])
        return self.host, self.port

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    async def serve_forever(self) -> None:
        if self._server is None:
            raise RuntimeError("call listen() first")
        await self._server.serve_forever()

    async def close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for session in list(self._sessions):
            await session.close("proxy shutting down")
        for session, _ in list(self._upstreams.values()):
            await session.close("proxy shutting down")
        self._upstreams.clear()
        if server is not None:
            await server.wait_closed()
