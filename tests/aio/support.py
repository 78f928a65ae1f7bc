"""What the asyncio test modules share: running one test's coroutine under a deadline, and a
socket transport that records what a protocol does to it."""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, List, Optional


def run(coro_fn: Callable[[], Awaitable[None]], timeout: float = 20.0) -> None:
    """Run ``coro_fn()`` in a fresh event loop; a test that hangs fails after ``timeout`` s."""

    async def bounded() -> None:
        await asyncio.wait_for(coro_fn(), timeout)

    asyncio.run(bounded())


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
