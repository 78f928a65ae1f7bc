"""The client against our own debug-port server over an in-memory connection (no workerd)."""

from __future__ import annotations

import asyncio
import gc
import weakref
from typing import List, Tuple

import pytest

from capnp_lite.aio import Session
from capnp_lite.aio.transport import memory_pair
from capnp_lite.errors import EncodeError, RpcError
from debugport.client import STREAM_WINDOW, DebugPortClient, Target
from debugport.frankenvalue import MAX_PROPERTY_DEPTH, Frankenvalue
from debugport.jsrpc import MAX_VALUE_BYTES
from debugport.server import DebugPortServer


def make_server() -> DebugPortServer:
    server = DebugPortServer()
    svc = server.service("py")

    @svc.method
    def add(a: int, b: int) -> int:
        return a + b

    @svc.method
    def blob(n: int) -> str:
        return "x" * n

    @svc.method
    def echo(value: object) -> object:
        return value

    return server


async def connected() -> Tuple[DebugPortServer, DebugPortClient]:
    server = make_server()
    ours, theirs = memory_pair()
    server.accept(theirs)
    return server, DebugPortClient(Session(ours, stream_window=STREAM_WINDOW))


def test_closed_targets_are_not_kept_by_the_client() -> None:
    async def main() -> None:
        server, client = await connected()
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


def test_js_values_over_workerds_limit_fail_that_call_only() -> None:
    async def main() -> None:
        server, client = await connected()
        target = client.get_entrypoint("py")
        with pytest.raises(EncodeError, match="limit"):  # refused before anything is sent
            await target.call("echo", "y" * MAX_VALUE_BYTES)
        assert await target.call("echo", "y" * 1000) == "y" * 1000
        with pytest.raises(RpcError, match="limit"):  # the server refuses to send it
            await target.call("blob", MAX_VALUE_BYTES + 1)
        assert await target.call("add", 1, 2) == 3  # the connection goes on
        await client.close()
        await server.close()

    asyncio.run(main())


def test_props_nested_too_deeply_fail_that_target_only() -> None:
    async def main() -> None:
        server, client = await connected()
        props = Frankenvalue.from_python({})
        for _ in range(MAX_PROPERTY_DEPTH + 1):
            props = Frankenvalue.from_python({}).with_property("p", props)
        deep = client.get_entrypoint("py", props=props)
        with pytest.raises(RpcError, match="deeper"):
            await deep.call("add", 1, 2)
        assert await client.get_entrypoint("py").call("add", 2, 3) == 5
        await client.close()
        await server.close()

    asyncio.run(main())


def test_json_props_nested_too_deeply_for_the_parser_fail_that_target_only() -> None:
    async def main() -> None:
        server, client = await connected()
        deep = client.get_entrypoint("py", props=Frankenvalue.from_json("[" * 100000))
        with pytest.raises(RpcError, match="not valid JSON"):
            await deep.call("add", 1, 2)
        assert await client.get_entrypoint("py").call("add", 2, 3) == 5
        await client.close()
        await server.close()

    asyncio.run(main())
