"""A stable debug port that routes each service to whichever workerd currently hosts it.

    proxy = DebugPortProxy()
    proxy.route("main", "127.0.0.1:41933")      # may change at any time, no restart
    await proxy.listen("127.0.0.1", 9229)

``getEntrypoint``/``getActor`` are sent to the debug port routed for their ``service`` (or the
``"*"`` route); everything the upstream returns is forwarded capability by capability: calls on
a forwarded capability are re-sent to the side it came from, with the capabilities inside their
params and results forwarded the same way in the opposite direction.  Results that later calls
pipeline on (``startEvent``'s dispatcher, ``request``'s body stream, ``jsRpcSession``'s target)
are published before the upstream answers, so pipelined calls pass straight through.  Calls on
a forwarded promise go on to it at once, as they do in workerd; only a promise without methods
(``jsRpcSession``'s ``session``) stays a promise, resolved when the upstream resolves it.
Releases are passed on, so sessions end when the caller is done.

What one peer sends is relayed in the order it was sent: a ``Call``, ``Resolve`` or ``Release``
that follows a ``Return`` is passed on only after that ``Return`` has been relayed.  workerd
depends on it: after a JS RPC call fails it returns the exception, then resolves the session's
promise to an error, and a caller that saw the resolution first would fail the call with that
error; a WebSocket server returns the client's ``close`` before it sends its own, and a client
that saw the reply first reports a lost connection.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any, Callable, Dict, List, Optional, Tuple

from capnp_lite.aio import (CallContext, Capability, PromiseResolver, Request, Session, connect_tcp,
                            copy_struct, is_null_capability)
from capnp_lite.errors import RpcError

from .schemas import schemas
from .address import parse_address
from .listener import Listener

__all__ = ["DebugPortProxy", "ANY_SERVICE"]

ANY_SERVICE = "*"


class _Relay:
    """A call forwarded to one session's peer, until its answer has been relayed to the caller.

    ``answered`` settles when the peer's ``Return`` is received; ``context`` is the caller's
    call, which queues our ``Return`` to the caller when it is done.
    """

    __slots__ = ("answered", "context")

    def __init__(self, answered: "asyncio.Future[Any]", context: CallContext) -> None:
        self.answered = answered
        self.context = context


class _Order:
    """Keeps one peer's order when relaying what it sends.

    Calls forwarded to the peer are tracked; what the peer sends after their ``Return`` (a
    ``Resolve``, a ``Release``: ``in_order``; a call: ``caught_up``) is passed on only once
    those ``Return`` messages have been relayed.  The session runs ``on_resolved`` and ``on_release`` hooks soon after
    the message that caused them, in message order; the answers seen as received by then may
    include a few that came later, which only delays the relay.
    """

    def __init__(self) -> None:
        self._relays: List[_Relay] = []
        self._held: "Optional[asyncio.Future[None]]" = None  # the last call held by ``caught_up``

    def track(self, answered: Any, context: CallContext) -> None:
        """Note a call just forwarded to the peer on behalf of ``context``."""
        if not isinstance(answered, asyncio.Future):
            return
        relay = _Relay(answered, context)
        self._relays.append(relay)
        # Registered before any in_order callback on the same context, so it runs first.
        context.on_returned(lambda: self._relays.remove(relay))

    def in_order(self, action: Callable[[], None]) -> None:
        """Run ``action`` once every answer already received from the peer has been relayed."""
        waiting = [r.context for r in self._relays if r.answered.done()]
        if not waiting:
            action()
            return
        left = [len(waiting)]

        def one_done() -> None:
            left[0] -= 1
            if left[0] == 0:
                action()

        for context in waiting:
            context.on_returned(one_done)

    async def caught_up(self) -> None:
        """Wait until a call the peer just made may be passed on: once every answer received
        from the peer before it has been relayed, and after the calls it made before."""
        previous = self._held
        if previous is None and not any(r.answered.done() for r in self._relays):
            return
        done: "asyncio.Future[None]" = asyncio.get_running_loop().create_future()
        self._held = done

        def release() -> None:
            if not done.done():
                done.set_result(None)

        try:
            if previous is not None:
                await previous
            self.in_order(release)
            await done
        finally:
            release()
            if self._held is done:
                self._held = None


_ORDERS: "weakref.WeakKeyDictionary[Session, _Order]" = weakref.WeakKeyDictionary()


def _order_of(session: Session) -> _Order:
    order = _ORDERS.get(session)
    if order is None:
        order = _ORDERS[session] = _Order()
    return order


def _in_order(session: Session, action: Callable[[], None]) -> None:
    _order_of(session).in_order(action)


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


def _wrapping(served_by: Session, source: Session) -> Callable[[Any], Any]:
    """``map_cap`` for copying a struct received on ``source`` into one ``served_by`` sends."""
    return lambda cap: export_for(cap, served_by, source)


def export_for(cap: Any, served_by: Session, source: Session, forwarder: Optional["_Forwarder"] = None) -> Any:
    """What ``served_by`` sends for ``cap``, a capability of ``source`` (None stays None).

    A forwarder (``forwarder`` when given, now owning ``cap``), whose calls go on to ``cap``
    at once, as calls on a promise go on to the promise.  Only a promise of an interface
    without methods (``JsRpcSession``) is sent as a promise of ours, settled when that one
    is: its resolution is all it carries (workerd tells a finished JS RPC session by its
    ``session`` promise resolving, and takes a capability that is not a promise as a session
    that is over already).  A promise with methods is never held back: workerd's binding
    passes the response body stream and the WebSocket it hosts as promises it never
    resolves, so calls that waited for the resolution would wait forever.  If such a
    promise does resolve, our session sends the forwarder's later calls to the resolution.
    """
    if is_null_capability(cap):
        if forwarder is not None:
            forwarder.close_upstream()
        return None
    if forwarder is None:
        forwarder = make_forwarder(cap, served_by, source)
    else:
        forwarder.adopt(cap)
    fwd = forwarder
    if _has_methods(cap):
        return fwd
    promise, resolver = served_by.export_promise(on_release=fwd.on_release)

    def resolved(resolution: Any) -> None:
        # Relayed only after the Returns the peer sent before this Resolve.
        _in_order(source, lambda: fwd.upstream_resolved(resolver, resolution))

    if source.on_resolved(cap, resolved):
        return promise
    return fwd


def _has_methods(cap: Capability) -> bool:
    """Whether calls can be made on ``cap`` (an unknown interface counts as having methods)."""
    iface = cap.schema
    return iface is None or bool(iface.methods)


class _Forwarder:
    """Serves a capability of one session (``source``) on another by re-sending every call to it."""

    def __init__(self, cap: Capability, served_by: Session, source: Session) -> None:
        self.cap = cap
        self.served_by = served_by
        self.source = source
        self.closed = False

    # -- lifetime

    def adopt(self, cap: Capability) -> None:
        """Switch from a pipelined reference to the settled one (which this forwarder owns)."""
        self.cap = cap

    def on_release(self) -> None:
        """The peer of ``served_by`` released us: pass the release on, after earlier Returns."""
        _in_order(self.served_by, self.close_upstream)

    def close_upstream(self) -> None:
        """Drop our reference to the capability we forward to (once)."""
        if not self.closed:
            self.closed = True
            self.cap.close()

    def upstream_resolved(self, resolver: PromiseResolver, resolution: Any) -> None:
        """The promise we forward settled upstream: settle ours the same way."""
        if isinstance(resolution, RpcError):
            resolver.reject(RpcError(resolution.reason))
        elif self.closed or not self.served_by.is_open:
            resolution.close()  # our peer let the promise go already
        else:
            resolver.resolve(make_forwarder(resolution, self.served_by, self.source))

    # -- calls

    def __getattr__(self, name: str) -> Any:
        # Every method is served as ``<name>_context(ctx)``: the session hands it the call's
        # context alone and reads no params into keyword arguments.  A capability read out
        # of the params belongs to whoever read it; held by a finished call's keywords, it
        # would be released only when the collector gets to them (on PyPy, maybe never
        # soon), and workerd waits for some releases (a substream's callback) before it
        # goes on.
        if name.startswith("_") or not name.endswith("_context"):
            raise AttributeError(name)
        return self._forward

    async def _forward(self, context: CallContext) -> Any:
        # The peer's calls keep their place after the Returns it sent before them (workerd's
        # WebSocket client reports a lost connection when the server's close reply overtakes
        # the Return of its own close).
        order = _ORDERS.get(self.served_by)
        if order is not None:
            await order.caught_up()
        method = context.method
        request = Request(self.cap, method)
        copy_struct(request.params, context.params, _wrapping(self.source, self.served_by))
        promise = request.send()
        if method.streaming:
            # ``-> stream``: awaiting is flow control (a failure surfaces here or on a later
            # write); there are no results to copy.
            await promise
            return None
        _order_of(self.source).track(promise.a_wait(), context)
        early: Dict[str, _Forwarder] = {}
        for name, field in method.results.fields.items():
            if field.kind == "interface" and not field.in_union:
                early[name] = make_forwarder(getattr(promise, name), self.served_by, self.source)
        if early:
            context.set_pipeline(dict(early))
        response = await promise
        out = context.results
        copy_struct(out, response, _wrapping(self.served_by, self.source), skip=early)
        for name, forwarder in early.items():
            value = export_for(getattr(response, name), self.served_by, self.source, forwarder)
            out.set(out.schema.fields[name], value)
        return None  # the results are already in place


_FORWARDER_CLASS: List[type] = []


def make_forwarder(cap: Capability, served_by: Session, source: Session) -> Any:
    """A server object that ``served_by`` exports for ``cap``, a capability of ``source``."""
    if not _FORWARDER_CLASS:
        _FORWARDER_CLASS.append(type("Forwarder", (_Forwarder,) + _interface_bases(), {}))
    return _FORWARDER_CLASS[0](cap, served_by, source)


class DebugPortProxy(Listener):
    """One debug port for clients; ``route(service, address)`` says where each service lives."""

    close_reason = "proxy shutting down"

    def __init__(self, routes: Optional[Dict[str, str]] = None) -> None:
        super().__init__()
        self.routes: Dict[str, str] = dict(routes or {})
        self._upstreams: Dict[str, Tuple[Session, Capability]] = {}
        self._connecting: Dict[str, "asyncio.Future[Tuple[Session, Capability]]"] = {}

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

    async def _upstream(self, address: str) -> Tuple[Session, Capability]:
        cached = self._upstreams.get(address)
        if cached is not None and cached[0].is_open:
            return cached
        pending = self._connecting.get(address)
        if pending is None:
            pending = asyncio.get_running_loop().create_future()
            self._connecting[address] = pending
            try:
                host, port = parse_address(address)
                transport = await connect_tcp(host, port)
                session = Session(transport)
                boot = session.bootstrap(schemas().worker.WorkerdDebugPort)
                self._upstreams[address] = (session, boot)
                pending.set_result((session, boot))
            except OSError as exc:
                pending.set_exception(RpcError(f"cannot reach debug port {address}: {exc}", "disconnected"))
                pending.exception()
            finally:
                del self._connecting[address]
        return await pending

    async def _forward(self, context: Any, downstream: Session) -> Any:
        address = self.target_of(context.params.service)
        upstream, boot = await self._upstream(address)
        return await make_forwarder(boot, downstream, upstream)._forward(context)

    # -- the listener

    def accept(self, transport: Any) -> Session:
        box: List[Session] = []
        proxy = self
        base = schemas().worker.WorkerdDebugPort.Server

        class _Port(base):  # type: ignore[misc, valid-type]
            async def getEntrypoint(self, _context: Any, **_: Any) -> Any:
                return await proxy._forward(_context, box[0])

            async def getActor(self, _context: Any, **_: Any) -> Any:
                return await proxy._forward(_context, box[0])

        session = Session(transport, _Port())
        box.append(session)
        return self._track(session)

    async def _close_more(self) -> None:
        for session, _ in list(self._upstreams.values()):
            await session.close(self.close_reason)
        self._upstreams.clear()
