"""Shared fixtures for the debug-port tests: one real workerd for the whole session.

workerd must be installed (``npm install``): a missing binary fails these tests, it never
skips them.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Iterator, TypeVar

import pytest

from .workerd_fixture import WORKERS, Workerd

T = TypeVar("T")

CONFIG = WORKERS / "config.capnp"


@pytest.fixture(scope="session")
def shared_workerd() -> Iterator[Workerd]:
    """A workerd serving tests/debugport/workers/config.capnp with its debug port open."""
    with Workerd(CONFIG, sockets=("http",)) as wd:
        yield wd


def run(coro: Awaitable[T], timeout: float = 60.0) -> T:
    """Run one coroutine to completion on a fresh event loop, bounded in time."""

    async def bounded() -> Any:
        return await asyncio.wait_for(coro, timeout)

    result: T = asyncio.run(bounded())
    return result
