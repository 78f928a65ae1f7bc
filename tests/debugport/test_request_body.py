"""The request body our HTTP server hands its handler: every chunk, in the order written.

workerd (and our client) keep many ``ByteStream.write`` calls in flight; the body must queue
each one as its call starts, hold writers back only after queuing, and end after the last.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any, AsyncIterator, Dict, List, Optional

import pytest

from capnp_lite.errors import RpcError
from debugport.client import connect
from debugport.http_server import RequestBody
from debugport.server import DebugPortServer, Request, Response

from .conftest import run


def pattern(size: int) -> bytes:
    return bytes(i % 251 for i in range(size))


def digest(data: bytes) -> Dict[str, Any]:
    return {"len": len(data), "sha": hashlib.sha256(data).hexdigest()}


# -- RequestBody on its own ------------------------------------------------------------------------


async def _collect(body: RequestBody) -> List[bytes]:
    return [chunk async for chunk in body.chunks()]


def test_writes_in_flight_keep_their_order_and_the_end_follows_them() -> None:
    async def scenario() -> List[bytes]:
        body = RequestBody(limit=10)
        # Far more writes than the buffer holds, all started before anything is read.
        writes = [asyncio.ensure_future(body.put(bytes([i]) * 7)) for i in range(50)]
        await asyncio.sleep(0)
        body.finish()  # end() arrives while most writes still wait for room
        chunks = await _collect(body)
        await asyncio.gather(*writes)
        return chunks

    assert run(scenario()) == [bytes([i]) * 7 for i in range(50)]


def test_a_writer_waits_for_room_after_queuing() -> None:
    async def scenario() -> None:
        body = RequestBody(limit=4)
        first = asyncio.ensure_future(body.put(b"abc"))
        await asyncio.sleep(0)
        assert first.done()  # under the limit: no wait
        second = asyncio.ensure_future(body.put(b"defg"))
        await asyncio.sleep(0.01)
        assert not second.done()  # queued, but over the limit
        reader = body.chunks().__aiter__()
        assert await reader.__anext__() == b"abc"
        await asyncio.sleep(0)
        assert second.done()  # back under the limit
        assert await reader.__anext__() == b"defg"

    run(scenario())


def test_discard_lets_waiting_writers_go_and_drops_later_writes() -> None:
    async def scenario() -> List[bytes]:
        body = RequestBody(limit=1)
        waiting = asyncio.ensure_future(body.put(b"xy"))
        await asyncio.sleep(0)
        assert not waiting.done()
        body.discard()
        await asyncio.wait_for(waiting, 1)
        await body.put(b"dropped")
        return await _collect(body)

    assert run(scenario()) == []


def test_a_body_dropped_before_its_end_fails_after_what_arrived() -> None:
    async def scenario() -> List[bytes]:
        body = RequestBody()
        await body.put(b"part")
        body.fail(RpcError("gone", "disconnected"))
        got: List[bytes] = []
        with pytest.raises(RpcError, match="gone"):
            async for chunk in body.chunks():
                got.append(chunk)
        return got

    assert run(scenario()) == [b"part"]


def test_write_after_end_is_refused() -> None:
    async def scenario() -> None:
        body = RequestBody()
        body.finish()
        with pytest.raises(RpcError):
            await body.put(b"late")
        assert await _collect(body) == []
        assert await _collect(body) == []  # a second reader sees the end too

    run(scenario())


# -- our client to our server ----------------------------------------------------------------------


def counting_server() -> DebugPortServer:
    server = DebugPortServer()
    svc = server.service("py")

    @svc.fetch
    async def handle(request: Request) -> Response:
        sha = hashlib.sha256()
        size = 0
        async for chunk in request.stream():
            sha.update(chunk)
            size += len(chunk)
        return Response.json({"len": size, "sha": sha.hexdigest()})

    return server


async def _upload(body: bytes, chunk: int, size: Optional[int]) -> Dict[str, Any]:
    server = counting_server()
    await server.listen()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), chunk):
            yield body[start:start + chunk]

    client = await connect(server.address)
    try:
        response = await client.get_entrypoint("py").fetch(
            "http://x/count", method="POST", body=chunks(), body_size=size)
        result: Dict[str, Any] = await response.json()
        return result
    finally:
        await client.close()
        await server.close()


@pytest.mark.parametrize("total, chunk", [
    (80 * 9999, 9999),  # more writes in flight than the old 16-chunk queue held
    (70001, 7),  # thousands of tiny odd-sized writes
    (100003, 65537),  # chunks split at our 64 KiB write size
    (3 << 20, 100003),
])
@pytest.mark.parametrize("sized", [False, True])
def test_streamed_uploads_arrive_whole_and_in_order(total: int, chunk: int, sized: bool) -> None:
    body = pattern(total)
    if chunk == 9999:
        body = b"".join(bytes([i]) * 9999 for i in range(80))  # each chunk tells its position
    assert run(_upload(body, chunk, total if sized else None), timeout=120) == digest(body)
