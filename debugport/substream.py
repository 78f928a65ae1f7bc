"""``ByteStream.getSubstream`` for the byte streams this package serves.

workerd shortens pumps: when it pumps a stream that arrives over Cap'n Proto (a request body
we upload) into a ``ByteStream`` we serve (the response body), it asks our stream for a
substream with ``getSubstream(callback, limit)`` and redirects the incoming writes to it.  A
worker that answers with its own request body (``new Response(request.body)``) does exactly
that, and fails the request if the method is missing.

A substream writes into the same destination as the stream that made it.  It runs until it
has taken ``limit`` bytes or its ``end()`` is called:

- ``end()`` does not end the destination; it reports ``callback.ended(byteCount)``.
- Reaching the limit calls ``callback.reachedLimit()``, whose ``next`` stream then takes every
  later call, starting with the bytes of the write that went past the limit, if any.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict, Optional

from capnp_lite.errors import RpcError

from .schemas import schemas

__all__ = ["substream"]

Write = Callable[[bytes], Awaitable[None]]

_CLASS: Optional[type] = None


def substream(write: Write, callback: Any, limit: int) -> Any:
    """A ``ByteStream`` server whose bytes go to ``write`` (the destination's own write), as
    ``getSubstream(callback, limit)`` returns it."""
    global _CLASS
    if _CLASS is None:
        _CLASS = _substream_class()
    return _CLASS(write, callback, limit)


def _substream_class() -> type:
    class Substream(schemas().ByteStream.Server):  # type: ignore[misc]
        def __init__(self, write: Write, callback: Any, limit: int) -> None:
            self._write = write
            self._callback = callback
            self._left = limit  # bytes this substream may still take
            self._count = 0  # bytes taken
            self._ended = False
            # Set once the limit is reached: the callback's next stream, when it is known.
            # Calls that arrive meanwhile wait for it, in their order.
            self._next: "Optional[asyncio.Future[Any]]" = None

        async def write(self, bytes: bytes, _context: Any) -> None:  # noqa: A002 (schema name)
            await self._take(bytes)

        async def _take(self, data: bytes) -> None:
            if self._next is not None:
                await (await self._next).write(bytes=data)
                return
            if self._ended:
                raise RpcError("write() after end() on a substream")
            head, rest = data[: self._left], data[self._left:]
            # Counted before the first await: writes run side by side, each queued in order.
            self._count += len(head)
            self._left -= len(head)
            next_future: "Optional[asyncio.Future[Any]]" = None
            if self._left == 0:
                next_future = self._next = asyncio.get_running_loop().create_future()
            if head:
                try:
                    await self._write(head)
                except BaseException as exc:
                    if next_future is not None:  # nothing will hand on: calls waiting fail
                        self._fail(next_future, exc)
                    raise
            if next_future is not None:
                await self._hand_on(next_future, rest)

        def _fail(self, next_future: "asyncio.Future[Any]", exc: BaseException) -> None:
            next_future.set_exception(exc)
            next_future.exception()  # seen: the waiting calls raise it
            self._drop_callback()

        def _drop_callback(self) -> None:
            # workerd's pump completes once the callback is dropped: drop it at once, not when
            # the collector gets to it.
            callback, self._callback = self._callback, None
            if callback is not None:
                callback.close()

        async def _hand_on(self, next_future: "asyncio.Future[Any]", rest: bytes) -> None:
            """The limit is reached: ask the callback where the rest goes."""
            try:
                target = (await self._callback.reachedLimit()).next
            except BaseException as exc:
                self._fail(next_future, exc)
                raise
            self._drop_callback()
            # The rest of the write that reached the limit goes first, before waiting calls.
            pending = target.write(bytes=rest) if rest else None
            next_future.set_result(target)
            if pending is not None:
                await pending

        async def end(self, _context: Any) -> None:
            if self._next is not None:
                target = await self._next
                try:
                    await target.end()
                finally:
                    target.close()
                return
            if self._ended:
                raise RpcError("end() called twice on a substream")
            self._ended = True
            try:
                await self._callback.ended(byteCount=self._count)
            finally:
                self._drop_callback()

        async def getSubstream(self, callback: Any, limit: int, _context: Any) -> Dict[str, Any]:
            if self._next is not None:
                results = await (await self._next).getSubstream(callback=callback, limit=limit)
                return {"substream": results.substream}
            if self._ended:
                raise RpcError("getSubstream() after end() on a substream")
            return {"substream": substream(self._take, callback, limit)}

        def on_release(self) -> None:
            # Dropped without end() or its limit: the callback goes too (workerd sees the pump
            # fail), and so does the stream it handed on, if any.
            self._drop_callback()
            next_future = self._next
            if (next_future is not None and next_future.done() and not next_future.cancelled()
                    and next_future.exception() is None):
                next_future.result().close()

    return Substream
