"""What the debug-port server and proxy share: a TCP listener whose connections are RPC sessions."""

from __future__ import annotations

import asyncio
from typing import Any, List, Optional, Tuple, TypeVar

from capnp_lite.aio import Session
from capnp_lite.aio.transport import ProtocolTransport

from .address import LOOPBACK

__all__ = ["Listener"]

L = TypeVar("L", bound="Listener")


class Listener:
    """Subclasses say how one connection is served (``accept``); this class listens and closes.

    ``close_reason`` is the reason sessions are closed with when the listener closes.
    """

    close_reason = "shutting down"

    def __init__(self) -> None:
        self._server: Optional[asyncio.AbstractServer] = None
        self._sessions: List[Session] = []
        self.host = ""
        self.port = 0

    def accept(self, transport: Any) -> Session:
        """Serve one connection over any ``capnp_lite.aio`` transport."""
        raise NotImplementedError

    def _track(self, session: Session) -> Session:
        """Remember ``session`` until it closes, so :meth:`close` can end it."""
        self._sessions.append(session)
        session.closed.add_done_callback(lambda _: self._forget(session))
        return session

    def _forget(self, session: Session) -> None:
        if session in self._sessions:
            self._sessions.remove(session)

    @property
    def address(self) -> str:
        """``host:port`` of the listener (IPv6 hosts in brackets), as clients take it."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    async def listen(self, host: str = LOOPBACK, port: int = 0) -> Tuple[str, int]:
        """Start accepting connections; returns the bound (host, port).

        A debug port gives full access to every service with any props: keep it on loopback
        unless the network is trusted.
        """
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: ProtocolTransport(self.accept), host, port)
        sockname = self._server.sockets[0].getsockname()
        self.host, self.port = str(sockname[0]), int(sockname[1])
        return self.host, self.port

    async def serve_forever(self) -> None:
        if self._server is None:
            raise RuntimeError("call listen() first")
        await self._server.serve_forever()

    async def close(self) -> None:
        """Stop listening and end every connection."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for session in list(self._sessions):
            await session.close(self.close_reason)
        await self._close_more()
        if server is not None:
            await server.wait_closed()

    async def _close_more(self) -> None:
        """Anything else a subclass must close with the listener."""

    async def __aenter__(self: L) -> L:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
