"""A client for workerd's debug port (``workerd serve --debug-port ADDR``).

The debug port is one two-party Cap'n Proto RPC connection whose bootstrap is
``WorkerdDebugPort``.  From it the client opens targets and runs events on them::

    async with await connect("127.0.0.1:9229") as port:
        main = port.get_entrypoint("main")
        resp = await main.fetch("http://example.test/", method="POST", body=b"hi")
        print(resp.status, await resp.text())
        rpc = port.get_entrypoint("main", "Rpc", props={"user": "alice"})
        print(await rpc.call("add", 1, 2))
        counter = port.get_actor("main", "Counter", "ab" * 32)
        print(await counter.call("increment", 1))
        ws = await main.websocket("http://example.test/ws")
        await ws.send("hello")
        print(await ws.receive())
        await ws.close()

Every call is pipelined: opening a target costs no round trip, and each event
(``fetch``, ``call``, ``websocket``) is ``startEvent`` plus the event call, sent at once.

Errors from workerd arrive as :class:`RemoteError` (an ``RpcError``) whose
message is workerd's own wording with the ``remote.``/``jsg.`` prefixes taken
off (``Worker "x" not found``); ``js_name`` keeps the JavaScript error name.
"""

from __future__ import annotations

import asyncio
import json
from types import TracebackType
from typing import TYPE_CHECKING, Any, Dict, Iterable, Optional, Sequence, Set, Tuple, Type, Union

from capnp_lite import aio
from capnp_lite.errors import Disconnected, RpcError

from .address import parse_address
from .frankenvalue import Frankenvalue
from .jserrors import parse_reason
from .schemas import schemas

if TYPE_CHECKING:
    from .http import Body, HeadersLike, Response
    from .websocket import WebSocket

__all__ = [
    "connect",
    "DebugPortClient",
    "Target",
    "RemoteError",
    "remote_error",
    "parse_reason",
    "parse_address",
    "schemas",
]


# Byte-stream calls in flight per stream before writers wait: big enough to keep a loopback
# connection busy, small enough that a large body is never held whole.
STREAM_WINDOW = 1 << 20



# -- errors ---------------------------------------------------------------------------------------


class RemoteError(RpcError):
    """workerd (or the worker's JavaScript) failed a call.

    ``str(err)`` and ``message`` are the message a JavaScript caller would see (without
    workerd's routing prefixes), or workerd's whole wording for an internal error;
    ``js_name`` is the JavaScript error's ``name`` (``Error``, ``TypeError``, ``AbortError``
    for a DOMException...) when the reason carried one jsg rebuilds (``jsg.<Name>: ...``),
    else ``None``; ``js_class`` is its constructor (``DOMException`` for DOMExceptions, else
    ``js_name``); ``remote_reason`` is the reason as sent; ``type`` is the Cap'n Proto
    exception type.
    """

    def __init__(self, message: str, type: str = "FAILED", *, js_name: Optional[str] = None,
                 remote_reason: str = "", trace: str = "", js_class: Optional[str] = None) -> None:
        super().__init__(message, type, trace=trace)
        self.message = message
        self.js_name = js_name
        self.js_class = js_class if js_class is not None else js_name
        self.remote_reason = remote_reason or message


def remote_error(exc: BaseException) -> BaseException:
    """Turn an ``RpcError`` from workerd into a :class:`RemoteError`; other errors pass through.

    See :func:`parse_reason` for how the reason is read.
    """
    if isinstance(exc, RemoteError) or not isinstance(exc, RpcError):
        return exc
    if isinstance(exc, Disconnected):
        return exc
    reason = exc.reason
    parts = parse_reason(reason)
    return RemoteError(parts.message, exc.type, js_name=parts.js_name, js_class=parts.js_class,
                       remote_reason=reason, trace=exc.trace)


# -- the client -----------------------------------------------------------------------------------


async def connect(address: Union[str, Tuple[str, int]], *, timeout: Optional[float] = 10.0) -> "DebugPortClient":
    """Connect to a debug port at ``address`` (``"host:port"``) and bootstrap it.

    Raises ``OSError`` (e.g. ``ConnectionRefusedError``) when nothing listens there and
    ``asyncio.TimeoutError`` when connecting takes longer than ``timeout`` seconds.
    """
    host, port = parse_address(address)
    transport = await asyncio.wait_for(aio.connect_tcp(host, port), timeout)
    session = aio.Session(transport, stream_window=STREAM_WINDOW)
    return DebugPortClient(session)


class DebugPortClient:
    """One connection to a debug port; open targets with :meth:`get_entrypoint` and :meth:`get_actor`."""

    def __init__(self, session: aio.Session) -> None:
        self.session = session
        self._port = session.bootstrap(schemas().WorkerdDebugPort)
        # Open targets only: a target drops out when closed, so a long-lived client opening
        # many short-lived targets holds none of the closed ones.
        self._targets: "Set[Target]" = set()

    def get_entrypoint(self, service: str, entrypoint: Optional[str] = None,
                       props: Any = None) -> "Target":
        """A worker's entrypoint: the default export when ``entrypoint`` is ``None``.

        ``props`` (any Python value, or a ``Frankenvalue``) becomes ``ctx.props``; ``None``
        sends none, which the worker sees as ``{}``.
        """
        params: Dict[str, Any] = {"service": service}
        if entrypoint is not None:
            params["entrypoint"] = entrypoint
        if props is not None:
            params["props"] = Frankenvalue.from_python(props).to_capnp()
        promise = self._port.getEntrypoint(**params)
        return self._target(promise, "entrypoint", f"{service}:{entrypoint or 'default'}")

    def get_actor(self, service: str, class_name: str, actor_id: str,
                  actor_name: Optional[str] = None) -> "Target":
        """A Durable Object of class ``class_name`` in ``service``.

        ``actor_id`` is the 64-hex-digit ID of a durable namespace's object, or any string for
        an ephemeral (``ephemeralLocal``) namespace; workerd decides which applies.
        """
        params: Dict[str, Any] = {"service": service, "entrypoint": class_name, "actorId": actor_id}
        if actor_name is not None:
            params["actorName"] = actor_name
        promise = self._port.getActor(**params)
        return self._target(promise, "actor", f"{service}:{class_name}:{actor_id}")

    def _target(self, promise: Any, field: str, label: str) -> "Target":
        target = Target(self, promise, getattr(promise, field), field, label)
        self._targets.add(target)
        return target

    def _forget(self, target: "Target") -> None:
        self._targets.discard(target)

    async def close(self) -> None:
        """Release every target and close the connection."""
        for target in list(self._targets):
            target.close()
        self._port.close()
        await self.session.close()

    async def __aenter__(self) -> "DebugPortClient":
        return self

    async def __aexit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                        tb: Optional[TracebackType]) -> None:
        await self.close()


class Target:
    """A ``WorkerdBootstrap``: an entrypoint or actor that events (fetch, RPC calls) run on.

    Each event is its own ``startEvent``; the target may be used for any number of them.
    """

    def __init__(self, client: DebugPortClient, promise: Any, cap: Any, field: str, label: str) -> None:
        self.client = client
        self.label = label
        self._promise = promise
        self._cap = cap
        self._field = field
        self._closed = False

    @property
    def session(self) -> aio.Session:
        return self.client.session

    def start_event(self, cf: Any = None) -> Any:
        """Pipeline ``startEvent`` and return the (promised) ``EventDispatcher`` capability.

        ``cf`` is the JSON-able ``request.cf`` object of an HTTP event (or JSON text).
        """
        if self._closed:
            raise RpcError(f"target {self.label} was closed")
        params: Dict[str, Any] = {"fromPersistentStub": False}
        if cf is not None:
            params["cfBlobJson"] = cf if isinstance(cf, str) else json.dumps(cf)
        promise = self._cap.startEvent(**params)
        release_later(promise, "dispatcher")
        return promise.dispatcher

    async def resolve(self) -> None:
        """Wait until workerd has resolved the target; raises :class:`RemoteError` if it cannot."""
        try:
            await self._promise
        except RpcError as exc:
            raise remote_error(exc) from None

    async def fetch(self, url: str, *, method: str = "GET", headers: "HeadersLike" = None,
                    body: "Body" = None, body_size: Optional[int] = None, cf: Any = None) -> "Response":
        """An HTTP request to the target; see :func:`debugport.http.fetch`."""
        from .http import fetch

        return await fetch(self, url, method=method, headers=headers, body=body,
                           body_size=body_size, cf=cf)

    async def websocket(self, url: str, *, headers: "HeadersLike" = None,
                        protocols: Optional[Sequence[str]] = None, cf: Any = None) -> "WebSocket":
        """Open a WebSocket on the target; see :func:`debugport.http.websocket`."""
        from .http import websocket

        return await websocket(self, url, headers=headers, protocols=protocols, cf=cf)

    async def call(self, method: Union[str, Sequence[str]], *args: Any) -> Any:
        """Call a JS RPC method (a name, or a property path); see :func:`debugport.jsrpc.call`."""
        from .jsrpc import call

        return await call(self, method, *args)

    async def get(self, path: Union[str, Sequence[str]]) -> Any:
        """Read a property over JS RPC; see :func:`debugport.jsrpc.get_property`."""
        from .jsrpc import get_property

        return await get_property(self, path)

    def close(self) -> None:
        """Release the target (events already started keep running)."""
        if self._closed:
            return
        self._closed = True
        self.client._forget(self)
        release_later(self._promise, self._field)


def release_later(promise: Any, *fields: str, everything: bool = False) -> None:
    """Release the named capabilities of a call's results once it returns (errors ignored);
    with ``everything``, every capability the results hold that was not read out of them,
    at once rather than when the results are collected (late, on PyPy).

    Pipelined calls already sent on them are unaffected; the point is that workerd sees every
    import dropped, which is how it learns an event is over.
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # a stub collected after its loop ended: its connection went with it
        return
    task = loop.create_task(_release(promise, fields, everything))
    # The loop holds tasks weakly: keep each one until it is done.
    _RELEASING.add(task)
    task.add_done_callback(_RELEASING.discard)


_RELEASING: "Set[asyncio.Task[None]]" = set()


async def _release(promise: Any, fields: Iterable[str], everything: bool = False) -> None:
    try:
        results = await promise
    except BaseException:  # the call failed: nothing to release
        return
    for name in fields:
        try:
            cap = getattr(results, name)
        except Exception:
            continue
        if cap is not None and hasattr(cap, "close"):
            cap.close()
    if everything and hasattr(results, "close"):
        results.close()

