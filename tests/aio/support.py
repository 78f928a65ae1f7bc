"""What the asyncio test modules share: running one test's coroutine under a deadline."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable


def run(coro_fn: Callable[[], Awaitable[None]], timeout: float = 20.0) -> None:
    """Run ``coro_fn()`` in a fresh event loop; a test that hangs fails after ``timeout`` s."""

    async def bounded() -> None:
        await asyncio.wait_for(coro_fn(), timeout)

    asyncio.run(bounded())
