"""A bounded queue of byte chunks between ``ByteStream`` writes and one reader.

Both body directions use it: the client's response body (:mod:`debugport.http`) and the
server's request body (:mod:`debugport.http_server`).  The queue holds the chunks and the
flow control; each body adds its own rules for how it ends and fails (``_done``).
"""

from __future__ import annotations

import asyncio
import collections
from typing import Deque


class ChunkQueue:
    """Chunks in write order.  A write is queued at once (so chunks keep the order of the
    calls even when many are in flight) and only then waits while more than ``limit`` bytes
    are buffered, which holds the peer's later writes back."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._chunks: Deque[bytes] = collections.deque()
        self._size = 0  # bytes buffered in _chunks
        self._readable = asyncio.Event()
        self._writable = asyncio.Event()
        self._writable.set()

    @property
    def _done(self) -> bool:
        """No more chunks will be queued; writers waiting for room stop waiting."""
        raise NotImplementedError

    async def _queue(self, data: bytes) -> None:
        """Append ``data``, then wait while the buffer is over its limit and still open."""
        self._chunks.append(data)
        self._size += len(data)
        self._readable.set()
        while self._size > self._limit and not self._done:
            self._writable.clear()
            await self._writable.wait()

    def _take(self) -> bytes:
        """The oldest chunk (there is one); its room goes back to the writers."""
        data = self._chunks.popleft()
        self._size -= len(data)
        if self._size <= self._limit:
            self._writable.set()
        return data

    async def _wait_readable(self) -> None:
        """Wait for a chunk or a change of state (see ``_wake``)."""
        self._readable.clear()
        await self._readable.wait()

    def _drop_all(self) -> None:
        self._chunks.clear()
        self._size = 0
        self._wake()

    def _wake(self) -> None:
        """The state changed: the reader and waiting writers look again."""
        self._readable.set()
        self._writable.set()
