"""Host Python services behind a ``WorkerdDebugPort``, for workerd's ``workerdDebugPort`` binding.

    server = DebugPortServer()
    svc = server.service("py")

    @svc.fetch
    async def handle(request: Request) -> Response:
        return Response.json({"url": request.url, "props": request.props})

    @svc.entrypoint("Named")
    class Named(Entrypoint):
        async def greet(self, name):            # callable from JS: stub.greet("x")
            return f"hello {name} from {self.ctx.props}"

    @svc.actor("Counter")                      # durable: IDs are 64 hex characters
    class Counter(Actor):
        def __init__(self, ctx):
            super().__init__(ctx)
            self.count = 0
        def increment(self, n):
            self.count += n
            return self.count

    host, port = await server.listen("127.0.0.1", 0)

A worker then reaches it with ``env.DEBUG_PORT.connect("127.0.0.1:PORT")`` and
``getEntrypoint("py", "Named", props)`` / ``getActor("py", "Counter", id)``.  Each
``WorkerdBootstrap.startEvent`` yields a dispatcher that serves exactly one event: an HTTP
request (``getHttpService``) or a JS RPC session (``jsRpcSession``).

A ``fetch`` handler accepts a WebSocket upgrade with ``return Response.websocket(handler)``
(``await handler(ws)`` runs on the socket) or ``ws = await request.accept_websocket()``; the
socket closes when the handler returns.

Entrypoint classes are instantiated per event with an ``EntrypointContext``; actor classes
once per ID with an ``ActorContext``.  Their ``fetch(request)`` serves HTTP and their public
methods serve RPC.  Errors a handler raises reach the JS caller with their message.
"""

from __future__ import annotations

import inspect
import json
import re
from typing import Any, Callable, Dict, List, Optional, Tuple, Type, TypeVar

from capnp_lite.errors import RpcError

from .address import LOOPBACK
from .address import parse_address as _parse_address
from .frankenvalue import Frankenvalue
from .http_server import HttpHandler, Request, Response, has_field, make_http_service
from .listener import Listener
from .schemas import schemas
from .jsrpc_server import DebugSession, RpcTarget, Stub, make_js_rpc_session
from .websocket import WebSocket, WebSocketClosed

__all__ = [
    "DebugPortServer",
    "Service",
    "Entrypoint",
    "Actor",
    "EntrypointContext",
    "ActorContext",
    "Request",
    "Response",
    "WebSocket",
    "WebSocketClosed",
    "RpcTarget",
    "Stub",
    "JsError",
    "decode_frankenvalue",
    "parse_address",
    "LOOPBACK",
]

_DURABLE_ID = re.compile(r"[0-9a-fA-F]{64}")
_UNSUPPORTED_EVENT = "jsg.Error: RPC connections don't yet support this event type."

T = TypeVar("T")


class JsError(Exception):
    """An error that reaches JS with a chosen ``name`` (``Error``, ``TypeError``, ``RangeError``...)."""

    def __init__(self, message: str, name: str = "Error") -> None:
        super().__init__(message)
        self.js_name = name


class EntrypointContext:
    """What an entrypoint instance knows about its event: service, entrypoint name, props."""

    def __init__(self, service: str, entrypoint: Optional[str], props: Any) -> None:
        self.service = service
        self.entrypoint = entrypoint
        self.props = props


class ActorContext:
    """What an actor instance knows: service, class name and its ID (``id`` is a string)."""

    def __init__(self, service: str, class_name: str, actor_id: str, durable: bool) -> None:
        self.service = service
        self.class_name = class_name
        self.id = actor_id
        self.durable = durable


class Entrypoint:
    """Optional base of entrypoint classes: keeps ``ctx`` (an ``EntrypointContext``)."""

    def __init__(self, ctx: EntrypointContext) -> None:
        self.ctx = ctx


class Actor:
    """Optional base of actor classes: keeps ``ctx`` (an ``ActorContext``)."""

    def __init__(self, ctx: ActorContext) -> None:
        self.ctx = ctx


# -- props -----------------------------------------------------------------------------------------


def decode_frankenvalue(view: Any) -> Any:
    """A received ``Frankenvalue`` as a Python value (``json``, ``v8Serialized``, ...)."""
    return Frankenvalue.from_capnp(view).to_python()


# -- services --------------------------------------------------------------------------------------


class _FunctionEntrypoint:
    """The default entrypoint built from ``@svc.fetch`` and ``@svc.method`` functions."""

    def __init__(self) -> None:
        self.fetch_fn: Optional[Callable[..., Any]] = None
        self.methods: Dict[str, Callable[..., Any]] = {}


class _ActorClass:
    def __init__(self, cls: type, durable: bool) -> None:
        self.cls = cls
        self.durable = durable
        self.instances: Dict[str, Any] = {}


class Service:
    """A named service: a default entrypoint, named entrypoints, and actor classes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._default = _FunctionEntrypoint()
        self._default_class: Optional[type] = None
        self._entrypoints: Dict[str, type] = {}
        self._actors: Dict[str, _ActorClass] = {}

    def fetch(self, fn: T) -> T:
        """Decorate the default entrypoint's HTTP handler: ``(request) -> Response``."""
        self._default.fetch_fn = fn  # type: ignore[assignment]
        return fn

    def method(self, fn: T) -> T:
        """Decorate a function callable over RPC on the default entrypoint (by its name)."""
        name = getattr(fn, "__name__", "")
        if not name or name.startswith("_"):
            raise ValueError("RPC methods need a public name")
        self._default.methods[name] = fn  # type: ignore[assignment]
        return fn

    def entrypoint(self, name: Optional[str] = None) -> Callable[[Type[T]], Type[T]]:
        """Decorate a class serving entrypoint ``name`` (None: the default entrypoint)."""

        def register(cls: Type[T]) -> Type[T]:
            if name is None:
                self._default_class = cls
            else:
                self._entrypoints[name] = cls
            return cls

        return register

    def actor(self, class_name: str, *, durable: bool = True) -> Callable[[Type[T]], Type[T]]:
        """Decorate an actor class; durable IDs are 64 hex characters, ephemeral ones any text."""

        def register(cls: Type[T]) -> Type[T]:
            self._actors[class_name] = _ActorClass(cls, durable)
            return cls

        return register

    def actor_instance(self, class_name: str, actor_id: str) -> Any:
        """The live instance of an actor (created on first use), as the debug port reaches it."""
        klass = self._actor_class(class_name)
        return self._instance(class_name, klass, _check_actor_id(klass, actor_id))

    # -- resolution, with workerd's error reasons

    def _entrypoint_object(self, entrypoint: Optional[str], props: Any) -> Any:
        ctx = EntrypointContext(self.name, entrypoint, props)
        if entrypoint is None:
            if self._default_class is not None:
                return self._default_class(ctx)
            return self._default
        cls = self._entrypoints.get(entrypoint)
        if cls is None:
            raise RpcError(f'jsg.Error: Worker does not export an entrypoint named "{entrypoint}"')
        return cls(ctx)

    def _check_entrypoint(self, entrypoint: Optional[str]) -> None:
        if entrypoint is not None and entrypoint not in self._entrypoints:
            raise RpcError(f'jsg.Error: Worker does not export an entrypoint named "{entrypoint}"')

    def _actor_class(self, class_name: str) -> _ActorClass:
        klass = self._actors.get(class_name)
        if klass is None:
            raise RpcError(f'jsg.Error: Worker does not export a Durable Object class named "{class_name}"')
        return klass

    def _instance(self, class_name: str, klass: _ActorClass, actor_id: str) -> Any:
        obj = klass.instances.get(actor_id)
        if obj is None:
            obj = klass.cls(ActorContext(self.name, class_name, actor_id, klass.durable))
            klass.instances[actor_id] = obj
        return obj


def _check_actor_id(klass: _ActorClass, actor_id: str) -> str:
    if not klass.durable:
        return actor_id
    if _DURABLE_ID.fullmatch(actor_id) is None:
        raise RpcError(f"Invalid Durable Object ID: expected 64 hex characters (32 bytes); "
                       f"got {len(actor_id)} characters")
    return actor_id.lower()


# -- event targets ---------------------------------------------------------------------------------


class _Target:
    """What a ``WorkerdBootstrap`` names: builds the object that serves one event."""

    def __init__(self, service: Service, entrypoint: Optional[str], props: Any,
                 actor: Optional[Tuple[str, _ActorClass, str]] = None) -> None:
        self.service = service
        self.entrypoint = entrypoint
        self.props = props
        self.actor = actor

    def instance(self) -> Any:
        if self.actor is not None:
            class_name, klass, actor_id = self.actor
            return self.service._instance(class_name, klass, actor_id)
        return self.service._entrypoint_object(self.entrypoint, self.props)

    def http_handler(self) -> HttpHandler:
        async def handle(request: Request) -> Response:
            obj = self.instance()
            if isinstance(obj, _FunctionEntrypoint):
                fn = obj.fetch_fn
            else:
                fn = getattr(obj, "fetch", None)
            if fn is None:
                raise JsError("Handler does not export a fetch() function.")
            result = fn(request)
            if inspect.isawaitable(result):
                result = await result
            return result  # type: ignore[no-any-return]

        return handle

    def rpc_root(self) -> Any:
        obj = self.instance()
        if isinstance(obj, _FunctionEntrypoint):
            return dict(obj.methods)
        return obj


def _event_dispatcher(session: DebugSession, target: _Target, cf: Any) -> Any:
    base = schemas().worker.EventDispatcher.Server

    class _Dispatcher(base):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            self.used = False

        def _take(self) -> None:
            if self.used:
                raise RpcError("EventDispatcher can only be used for one request")
            self.used = True

        async def getHttpService(self, _context: Any) -> Any:
            self._take()

            def describe(request: Request) -> None:
                request.props = target.props
                request.cf = cf
                request.service = target.service.name
                request.entrypoint = target.entrypoint

            return make_http_service(session, target.http_handler(), describe)

        async def jsRpcSession(self, _context: Any) -> Any:
            self._take()
            results = make_js_rpc_session(session, target.rpc_root())
            _context.set_pipeline(results)
            return results

        async def prewarm(self, _context: Any, **_: Any) -> Any:
            self._take()
            raise RpcError(_UNSUPPORTED_EVENT)

        runScheduled = runAlarm = queue = prewarm

    return _Dispatcher()


def _bootstrap(session: DebugSession, target: _Target) -> Any:
    base = schemas().worker.WorkerdBootstrap.Server

    class _Bootstrap(base):  # type: ignore[misc, valid-type]
        async def startEvent(self, cfBlobJson: str, fromPersistentStub: bool, _context: Any) -> Any:
            cf = None
            if has_field(_context.params, "cfBlobJson"):
                try:
                    cf = json.loads(cfBlobJson)
                except ValueError as exc:
                    raise RpcError(f"cfBlobJson is not JSON: {exc}") from exc
            return _event_dispatcher(session, target, cf)

    return _Bootstrap()


def _debug_port(server: "DebugPortServer", session_box: List[DebugSession]) -> Any:
    base = schemas().worker.WorkerdDebugPort.Server

    class _DebugPort(base):  # type: ignore[misc, valid-type]
        async def getEntrypoint(self, _context: Any, **_: Any) -> Any:
            params = _context.params
            service = server._lookup(params.service)
            entrypoint = params.entrypoint if has_field(params, "entrypoint") else None
            service._check_entrypoint(entrypoint)
            props = decode_frankenvalue(params.props) if has_field(params, "props") else {}
            return _bootstrap(session_box[0], _Target(service, entrypoint, props))

        async def getActor(self, _context: Any, **_: Any) -> Any:
            params = _context.params
            service = server._lookup(params.service)
            class_name = params.entrypoint
            klass = service._actor_class(class_name)
            actor_id = _check_actor_id(klass, params.actorId)
            return _bootstrap(session_box[0], _Target(service, class_name, {}, (class_name, klass, actor_id)))

    return _DebugPort()


# -- the server ------------------------------------------------------------------------------------


def parse_address(address: str, default_host: str = LOOPBACK) -> Tuple[str, int]:
    """An address to listen on: ``host:port``, ``[v6]:port`` or ``:port`` (port 0: any free one)."""
    return _parse_address(address, listening=True, default_host=default_host)


class DebugPortServer(Listener):
    """Python services reachable as a workerd debug port (two-party Cap'n Proto RPC over TCP)."""

    close_reason = "server shutting down"

    def __init__(self) -> None:
        super().__init__()
        self.services: Dict[str, Service] = {}

    def service(self, name: str) -> Service:
        """The service called ``name`` (created on first use)."""
        svc = self.services.get(name)
        if svc is None:
            svc = Service(name)
            self.services[name] = svc
        return svc

    def _lookup(self, name: str) -> Service:
        svc = self.services.get(name)
        if svc is None:
            raise RpcError(f'jsg.Error: Worker "{name}" not found')
        return svc

    def accept(self, transport: Any) -> DebugSession:
        """Serve one connection over any ``capnp_lite.aio`` transport."""
        box: List[DebugSession] = []
        session = DebugSession(transport, _debug_port(self, box))
        box.append(session)
        return self._track(session)

