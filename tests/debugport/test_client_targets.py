"""The client against our own debug-port server over an in-memory connection (no workerd)."""

from __future__ import annotations

import asyncio
import gc
import weakref
from typing import List

import pytest

from capnp_lite.aio import Session
from capnp_lite.aio.transport import memory_pair
from capnp_lite.errors import RpcError
from debugport.client import STREAM_WINDOW, DebugPortClient, Target
from debugport.server import DebugPortServer


def make_server() -> DebugPortServer:
    server = DebugPortServer()
    svc = server.service("py")

    @svc.method
    def add(a: int, b: int) -> int:
        return a + b

    return server


def test_closed_targets_are_not_kept_by_the_client() -> None:
    async def main() -> None:
        server = make_server()
        ours, theirs = memory_pair()
        server.accept(theirs)
        client = DebugPortClient(Session(ours, stream_window=STREAM_WINDOW))
        refs: List["weakref.ref[Target]"] = []
        for k in range(20):
            target = client.get_entrypoint("py")
            assert await target.call("add", k, 1) == k + 1
            target.close()
            refs.append(weakref.ref(target))
            del target
        kept = client.get_entrypoint("py")
        assert await kept.call("add", 2, 2) == 4
        for _ in range(5):  # let the release tasks finish
            await asyncio.sleep(0)
        gc.collect()
        assert [r for r in refs if r() is not None] == []
        await client.close()
        with pytest.raises(RpcError, match="was closed"):  # close() reached the open target
            kept.start_event()
        await server.close()

    asyncio.run(main())
