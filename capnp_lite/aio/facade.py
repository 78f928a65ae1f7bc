"""pycapnp-compatible names over the session: streams, two-party client/server, Server classes.

The calculator sample's asyncio client and server run unchanged with these
(``capnp.load``, ``AsyncIoStream.create_connection`` / ``create_server``,
``TwoPartyClient(...).bootstrap().cast_as(...)``, ``TwoPartyServer(stream,
bootstrap=...)``, ``Interface.Server`` subclasses, ``capnp.run``).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import os
import weakref
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List, Optional, Sequence, TypeVar

from ..errors import DecodeError, KjException  # KjException: the base of all our errors
from ..wire.framing import MessageDecoder
from ..schema.model import Node
from ._schema import InterfaceInfo, SchemaLoader, interface_info, loader_for
from .session import MIN_PEER_MESSAGE_WORDS, Capability, Session, local_client
from .transport import ProtocolTransport, Transport, connect_tcp, connect_unix

__all__ = [
    "AsyncIoStream",
    "TwoPartyClient",
    "TwoPartyServer",
    "KjException",
    "run",
    "kj_loop",
    "load",
    "server_base",
    "InterfaceType",
]

T = TypeVar("T")


_SERVER_BASES: Dict[int, type] = {}


def server_base(iface: Any) -> type:
    """The ``Server`` base class of an interface: subclass it and define the methods."""
    info = interface_info(iface)
    key = id(info)
    base = _SERVER_BASES.get(key)
    if base is None:
        base = type("Server", (), {"_capnp_interface": info, "__doc__": f"Server base of {info.name}."})
        _SERVER_BASES[key] = base
    return base


class InterfaceType:
    """A loaded interface: its ``Server`` base class, schema and nested declarations."""

    def __init__(self, info: InterfaceInfo, scope: "_Scope") -> None:
        self._capnp_interface = info
        self.schema = info
        self._scope = scope
        self.Server = server_base(info)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._scope, name)

    def _new_client(self, server: object) -> Any:
        """A client of ``server`` (an object of this process) with no connection, as
        pycapnp's ``Interface._new_client``; see ``session.local_client``."""
        return local_client(server, self)

    def __repr__(self) -> str:
        return f"<interface {self._capnp_interface.name}>"


class _Scope:
    """Nested declarations of a node by name (interfaces, enums; structs as their node)."""

    def __init__(self, loader: SchemaLoader, node: Node) -> None:
        self._loader = loader
        self._node = node
        self._children = {n.name: n.id for n in node.nested_nodes}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        node_id = self._children.get(name)
        if node_id is None:
            raise AttributeError(f"{self._node.display_name} has no member {name!r}")
        node = self._loader.node(node_id)
        scope = _Scope(self._loader, node)
        value: Any = scope
        if node.which == "interface":
            value = InterfaceType(interface_info_of(self._loader, node), scope)
        elif node.which == "enum":
            for i, e in enumerate(node.enumerants):
                setattr(scope, e.name, i)
        elif node.which == "struct":
            scope.schema = self._loader.struct_schema(node.id)  # type: ignore[attr-defined]
        setattr(self, name, value)
        return value


def interface_info_of(loader: SchemaLoader, node: Node) -> InterfaceInfo:
    class _Shim:
        pass

    shim = _Shim()
    shim._node = node  # type: ignore[attr-defined]
    shim._loader = loader  # type: ignore[attr-defined]
    return interface_info(shim)


def load(path: str, imports: Sequence[str] = ()) -> Any:
    """Compile a schema file for RPC use: interfaces carry ``Server``; enums their ordinals."""
    from ..schema import compile_files

    request = compile_files([path], list(imports))
    nodes = {n.id: n for n in request.nodes}
    loader = loader_for(nodes)
    module = _Scope(loader, loader.node(request.requested_files[0].id))
    module.__name__ = os.path.splitext(os.path.basename(path))[0]  # type: ignore[attr-defined]
    return module


class AsyncIoStream:
    """A byte stream for ``TwoPartyClient`` / ``TwoPartyServer``, or for messages sent as they
    are (``Struct.read_async(stream)``, ``message.write_async(stream)``)."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self._decoder: Optional[MessageDecoder] = None  # for read_message, made on first use
        made = _KJ_STREAMS.get()
        if made is not None:
            made.append(weakref.ref(self))  # closed when the kj_loop() it was made in ends

    async def read_message(self) -> Optional[List[memoryview]]:
        """The segments of the next framed message on the stream, or None when the stream
        ends before one begins; a message cut short by the end raises DecodeError.  Bytes
        after the message stay for the next call; the framing limits are the defaults of
        :class:`~capnp_lite.wire.framing.MessageDecoder`."""
        decoder = self._decoder
        if decoder is None:
            decoder = self._decoder = MessageDecoder()
        while True:
            segments = decoder.next_message()
            if segments is not None:
                return segments
            data = await self.transport.read()
            if not data:
                if decoder.buffered:
                    raise DecodeError(f"stream ended inside a message ({decoder.buffered} "
                                      "bytes of it read)")
                return None
            decoder.feed(data)

    async def write_message(self, data: bytes) -> None:
        """Write one message's bytes (framed) and wait until the stream takes more."""
        self.transport.write(data)
        await self.transport.drain()

    @staticmethod
    async def create_connection(host: Optional[str] = None, port: Any = None,
                                **kwargs: Any) -> "AsyncIoStream":
        """A TCP connection to ``host`` (default localhost) and ``port``, or a stream over a
        connected socket given as ``sock=`` (any stream socket, e.g. from ``socketpair()``)."""
        return AsyncIoStream(await connect_tcp(host, None if port is None else int(port), **kwargs))

    @staticmethod
    async def create_unix_connection(path: str, **kwargs: Any) -> "AsyncIoStream":
        return AsyncIoStream(await connect_unix(path, **kwargs))

    @staticmethod
    async def create_server(callback: Callable[["AsyncIoStream"], Awaitable[Any]], host: Any = None,
                            port: Any = None, **kwargs: Any) -> asyncio.AbstractServer:
        loop = asyncio.get_running_loop()
        return await loop.create_server(_serving(loop, callback), host, None if port is None else int(port),
                                        **kwargs)

    @staticmethod
    async def create_unix_server(callback: Callable[["AsyncIoStream"], Awaitable[Any]], path: str,
                                 **kwargs: Any) -> asyncio.AbstractServer:
        loop = asyncio.get_running_loop()
        return await loop.create_unix_server(_serving(loop, callback), path, **kwargs)

    def close(self) -> None:
        """Close the connection (the sessions on it see it end)."""
        self.transport.close()

    async def wait_closed(self) -> None:
        """Wait until the connection is closed, by ``close()`` or by the peer."""
        await self.transport.wait_closed()


def _serving(loop: asyncio.AbstractEventLoop, callback: Callable[["AsyncIoStream"], Awaitable[Any]]
             ) -> Callable[[], ProtocolTransport]:
    """A protocol factory whose connections each run ``callback(stream)`` in a task of their own."""

    def start(transport: ProtocolTransport) -> "asyncio.Task[Any]":
        return loop.create_task(_serve_one(callback, AsyncIoStream(transport)))

    return lambda: ProtocolTransport(start)


async def _serve_one(callback: Callable[["AsyncIoStream"], Awaitable[Any]], stream: "AsyncIoStream") -> Any:
    return await callback(stream)


def _transport_of(stream: Any) -> Transport:
    if isinstance(stream, AsyncIoStream):
        return stream.transport
    if isinstance(stream, Transport):
        return stream
    raise TypeError("pass an AsyncIoStream (see AsyncIoStream.create_connection)")


def _session_options(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """The Session's options for pycapnp's: ``traversal_limit_in_words`` is, as in C++, the
    largest message received or sent (in words) and the words reading one may visit."""
    limit = kwargs.get("traversal_limit_in_words")
    if limit is None:
        return kwargs
    out = dict(kwargs)
    out.setdefault("max_message_words", limit)
    out.setdefault("peer_max_message_words", max(limit, MIN_PEER_MESSAGE_WORDS))
    return out


class TwoPartyClient:
    """The client end of a connection: ``bootstrap()`` gives the server's main capability.

    Keyword arguments are Session's, and pycapnp's ``traversal_limit_in_words``."""

    def __init__(self, stream: Any = None, **kwargs: Any) -> None:
        self.session = Session(_transport_of(stream), **_session_options(kwargs))

    def bootstrap(self) -> Capability:
        return self.session.bootstrap()

    async def on_disconnect(self) -> None:
        await self.session.wait_closed()

    async def close(self) -> None:
        await self.session.close()


class TwoPartyServer:
    """The server end of one connection, serving ``bootstrap`` to the peer."""

    def __init__(self, stream: Any = None, bootstrap: Any = None, **kwargs: Any) -> None:
        self.session = Session(_transport_of(stream), bootstrap, **_session_options(kwargs))

    def bootstrap(self) -> Capability:
        return self.session.bootstrap()

    async def on_disconnect(self) -> None:
        await self.session.wait_closed()

    async def close(self) -> None:
        await self.session.close()


# The streams made inside the innermost kj_loop() of the running context, or None outside.
_KJ_STREAMS: "contextvars.ContextVar[Optional[List[weakref.ref[AsyncIoStream]]]]" = \
    contextvars.ContextVar("capnp_lite_kj_loop", default=None)


async def run(coro: Awaitable[T]) -> T:
    """pycapnp runs its own event loop inside asyncio's; ours is asyncio's: ``coro`` is
    awaited inside ``kj_loop()``, as pycapnp's ``run`` does."""
    async with kj_loop():
        return await coro


@contextlib.asynccontextmanager
async def kj_loop() -> AsyncIterator[None]:
    """pycapnp's loop context.  There is no loop of our own to run (asyncio's is the one),
    but as in pycapnp, the connections made inside it end with it: each ``AsyncIoStream``
    made while it is open (in this task, or in tasks started from it) is closed when it
    exits, so their sessions end and calls still waiting on them fail with Disconnected.
    Unlike pycapnp, capnp_lite also works outside it."""
    made: List["weakref.ref[AsyncIoStream]"] = []
    token = _KJ_STREAMS.set(made)
    try:
        yield
    finally:
        _KJ_STREAMS.reset(token)
        for ref in made:
            stream = ref()
            if stream is not None:
                stream.close()
