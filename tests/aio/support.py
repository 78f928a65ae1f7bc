"""What the asyncio test modules share: running one test's coroutine under a deadline, and a
socket transport that records what a protocol does to it."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, AsyncIterator, Awaitable, Callable, List, Optional

from capnp_lite.aio import Session, memory_pair


def run(coro_fn: Callable[[], Awaitable[None]], timeout: float = 20.0) -> None:
    """Run ``coro_fn()`` in a fresh event loop; a test that hangs fails after ``timeout`` s."""

    async def bounded() -> None:
        await asyncio.wait_for(coro_fn(), timeout)

    asyncio.run(bounded())


@contextlib.asynccontextmanager
async def bootstrapped(server: Any, interface: Any) -> AsyncIterator[Any]:
    """A client of ``server`` (cast to ``interface``) over an in-memory pair; the client and
    both sessions are closed on the way out."""
    a, b = memory_pair()
    served = Session(b, bootstrap=server)
    client = Session(a)
    cap = client.bootstrap().cast_as(interface)
    try:
        yield cap
    finally:
        cap.close()
        await client.close()
        await served.close()


class FakeSocket(asyncio.Transport):
    """Stands in for the socket transport under a protocol: records writes and flow control."""

    def __init__(self) -> None:
        super().__init__()
        self.written: List[bytes] = []
        self.reading = True
        self.closed = False
        self.unsent = 0  # what get_write_buffer_size reports
        self.on_write: Optional[Callable[[bytes], None]] = None

    def write(self, data: Any) -> None:
        self.written.append(bytes(data))
        if self.on_write is not None:
            self.on_write(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True

    def get_write_buffer_size(self) -> int:
        return self.unsent

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default
