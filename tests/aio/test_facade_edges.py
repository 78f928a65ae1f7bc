"""Edges of the pycapnp-style facade: what a connection needs, what goes into AnyPointer
fields, which of a struct without a union, and structs of the wrong type."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

import capnp_lite
from capnp_lite.errors import EncodeError, UsageError

from tests.aio.support import run

SCHEMA = """
@0xc0a7a11ca11ed200;
struct Point { x @0 :Int32; y @1 :Int32; }
struct Other { z @0 :Int32; }
interface Store {
  put @0 (p :AnyPointer) -> (kind :Text, text :Text, x :Int32);
  point @1 (p :Point) -> (sum :Int32);
  view @2 (p :AnyPointer, how :Text) -> (shown :Text);
}
"""


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("edges") / "edges.capnp"
    path.write_text(SCHEMA)
    return capnp_lite.load(str(path))


def make_store(schema: Any) -> Any:
    class Store(schema.Store.Server):  # type: ignore[misc, name-defined]
        async def put(self, p: Any, _context: Any) -> Any:
            kind = p.kind.name.lower()
            if kind == "list":
                return kind, p.get_text(), 0
            return kind, "", p.get_struct().get_int32(0)

        async def point(self, p: Any, _context: Any) -> int:
            with pytest.raises(UsageError):
                p.which  # no union: pycapnp raises too
            return int(p.x + p.y)

        async def view(self, p: Any, how: str, _context: Any) -> str:
            # pycapnp's _DynamicObjectReader methods on an AnyPointer param
            if how == "struct":
                point = p.as_struct(schema.Point)
                return f"{point.x},{point.y}"
            if how == "points":
                return ";".join(f"{q.x},{q.y}" for q in p.as_list(capnp_lite._ListSchema(schema.Point)))
            if how == "ints":
                return repr(p.as_list(capnp_lite.types.Int32))
            if how == "text":
                return str(p.as_text())
            if how == "data":
                return repr(p.as_data())
            sum_of = await p.as_interface(schema.Store).point(p={"x": 2, "y": 3})
            return f"cap {sum_of.sum}"

    return Store()


def test_anypointer_params_take_text_bytes_and_structs(schema: Any) -> None:
    async def main() -> None:
        store = schema.Store._new_client(make_store(schema))
        assert (await store.put(p="hello")).text == "hello"
        assert (await store.put(p=b"raw\x00")).kind == "list"
        r = await store.put(p=schema.Point.new_message(x=4, y=5))
        assert (r.kind, r.x) == ("struct", 4)
        with pytest.raises(EncodeError, match="AnyPointer"):
            store.put(p=object())

    run(main)


def test_a_struct_param_takes_only_its_own_type(schema: Any) -> None:
    async def main() -> None:
        store = schema.Store._new_client(make_store(schema))
        assert (await store.point(p=schema.Point.new_message(x=1, y=2))).sum == 3
        with pytest.raises(EncodeError, match="cannot store a .*Other in struct Point"):
            store.point(p=schema.Other.new_message(z=1))

    run(main)


def test_a_tcp_connection_needs_a_port_or_a_socket() -> None:
    async def main() -> None:
        with pytest.raises(TypeError, match="port"):
            await capnp_lite.AsyncIoStream.create_connection(host="127.0.0.1")

    asyncio.run(main())


def _close_scenario(capnp: Any) -> list:
    """pycapnp-style code: a client closes its stream and waits for it; the server's
    ``on_disconnect`` then returns.  (pycapnp 2.2.4's ``wait_closed`` fails with an
    AttributeError on either side, so only ours waits; see also the test below.)"""
    from tests.aio.calculator_pycapnp_server import SCHEMA as CALC, make_impl

    seen: list = []

    async def main() -> None:
        calculator = capnp.load(CALC)
        impl = make_impl(capnp, calculator)
        ended = asyncio.get_running_loop().create_future()

        async def serve(stream: Any) -> None:
            await capnp.TwoPartyServer(stream, bootstrap=impl()).on_disconnect()
            if capnp is capnp_lite:
                await asyncio.wait_for(stream.wait_closed(), 10)
            ended.set_result("server saw the end")

        server = await capnp.AsyncIoStream.create_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            stream = await capnp.AsyncIoStream.create_connection(host="127.0.0.1", port=port)
            calc = capnp.TwoPartyClient(stream).bootstrap().cast_as(calculator.Calculator)
            seen.append((await calc.evaluate({"literal": 2.5}).value.read()).value)
            stream.close()
            if capnp is capnp_lite:
                await asyncio.wait_for(stream.wait_closed(), 10)
            seen.append("client closed")
            seen.append(await asyncio.wait_for(ended, 10))

    asyncio.run(capnp.run(main()))
    return seen


def test_a_stream_closes_and_waits_as_pycapnp_s_does() -> None:
    want = [2.5, "client closed", "server saw the end"]
    assert _close_scenario(capnp_lite) == want
    try:
        import capnp
    except ImportError:
        return  # (PyPy: no pycapnp; the expected run is pycapnp's)
    assert _close_scenario(capnp) == want


def test_wait_closed_returns_once_either_end_closes() -> None:
    from capnp_lite.aio.transport import memory_pair

    async def main() -> None:
        a, b = memory_pair()
        waiting = asyncio.ensure_future(b.wait_closed())
        await asyncio.sleep(0)
        assert not waiting.done()
        a.close()
        await asyncio.wait_for(waiting, 5)
        await asyncio.wait_for(a.wait_closed(), 5)  # closed already: at once

    asyncio.run(main())


def test_a_client_lists_its_interface_s_methods(schema: Any) -> None:
    async def main() -> None:
        store = schema.Store._new_client(make_store(schema))
        names = dir(store)
        assert {"put", "point", "put_request", "point_request", "cast_as"} <= set(names)
        assert names == sorted(names)

    asyncio.run(main())


def test_traversal_limit_in_words_bounds_each_message_as_in_pycapnp(schema: Any) -> None:
    """pycapnp's ``traversal_limit_in_words`` (C++'s reader option) is the largest message a
    connection takes, and what reading one may visit: results above it fail the call."""
    import socket

    async def call(limit: int, size: int) -> Any:
        a, b = socket.socketpair()
        client_end = await capnp_lite.AsyncIoStream.create_connection(sock=a)
        server_end = await capnp_lite.AsyncIoStream.create_connection(sock=b)
        server = capnp_lite.TwoPartyServer(server_end, bootstrap=make_store(schema))
        client = capnp_lite.TwoPartyClient(client_end, traversal_limit_in_words=limit)
        assert client.session.peer_max_message_words == max(limit, 1024)
        store = client.bootstrap().cast_as(schema.Store)
        try:
            return (await store.put(p="x" * size)).text
        finally:
            await client.close()
            await server.close()

    async def main() -> None:
        assert await call(200, 1000) == "x" * 1000  # about 140 words each way
        with pytest.raises(capnp_lite.KjException, match="exceeds the limit of 200 words"):
            await call(200, 4000)  # the Return is about 515 words
        assert await call(1 << 24, 4000) == "x" * 4000

    asyncio.run(main())


def test_a_session_s_traversal_limit_bounds_reading_received_content(schema: Any) -> None:
    """Session's own ``traversal_limit_in_words`` is the content's read budget alone: the
    message is taken, and reading its results past the budget raises LimitError."""
    from capnp_lite import aio
    from capnp_lite.errors import LimitError

    async def main() -> None:
        for limit, fails in ((8, True), (4096, False)):
            a, b = aio.memory_pair()
            server = aio.Session(b, make_store(schema))
            client = aio.Session(a, traversal_limit_in_words=limit)
            store = client.bootstrap(schema.Store)
            if fails:
                results = await store.put(p="x" * 1000)
                with pytest.raises(LimitError):
                    results.text  # 126 words
            else:
                assert (await store.put(p="x" * 1000)).text == "x" * 1000
            await client.close()
            await server.close()

    asyncio.run(main())


def test_an_anypointer_param_reads_as_pycapnp_s_object_reader(schema: Any) -> None:
    """The server reads an AnyPointer param with as_struct, as_list, as_text, as_data and
    as_interface; the client sends dynamic values of every kind, the root of a
    ``_MallocMessageBuilder`` as AnyPointer included."""
    async def main() -> None:
        store = schema.Store._new_client(make_store(schema))

        async def view(p: Any, how: str) -> str:
            return str((await store.view(p=p, how=how)).shown)

        assert await view(schema.Point.new_message(x=1, y=2), "struct") == "1,2"
        root = capnp_lite._MallocMessageBuilder().get_root_as_any()
        listed = root.init_as_list(capnp_lite._ListSchema(schema.Point), 2)
        listed[1].x = 7
        assert await view(root, "points") == "0,0;7,0"
        assert await view(listed, "points") == "0,0;7,0"
        text_root = capnp_lite._MallocMessageBuilder().get_root_as_any()
        text_root.set_as_text("anypointer")
        assert await view(text_root, "text") == "anypointer"
        assert await view(text_root.as_reader(), "text") == "anypointer"
        assert await view(b"\x01\x02", "data") == repr(b"\x01\x02")
        ints = capnp_lite._MallocMessageBuilder().get_root_as_any()
        ints.init_as_list(capnp_lite.types.Int32, 3)[2] = -4
        assert await view(ints, "ints") == "[0, 0, -4]"
        assert await view(store, "cap") == "cap 5"

    asyncio.run(main())


def test_the_end_of_kj_loop_closes_the_connections_made_inside_it(schema: Any) -> None:
    """As pycapnp's: a stream made inside ``kj_loop()`` (or ``run()``) is closed when it ends,
    so a call still waiting on it fails instead of waiting forever; one made outside is not."""
    import socket

    async def main() -> None:
        quiet, silent_peer = socket.socketpair()  # a peer that never answers
        async with capnp_lite.kj_loop():
            inside = await capnp_lite.AsyncIoStream.create_connection(sock=quiet)
            store = capnp_lite.TwoPartyClient(inside).bootstrap().cast_as(schema.Store)
            waiting = asyncio.ensure_future(store.point(p={"x": 1, "y": 2}))
            await asyncio.sleep(0)
            assert not waiting.done()
        with pytest.raises(capnp_lite.KjException, match="closed"):
            await asyncio.wait_for(waiting, 10)
        a, b = socket.socketpair()
        outside = await capnp_lite.AsyncIoStream.create_connection(sock=a)
        async with capnp_lite.kj_loop():
            pass
        outside.transport.write(b"x")  # still open
        assert b.recv(1) == b"x"
        b.close()
        silent_peer.close()

    asyncio.run(main())

    async def made_in_run() -> Any:
        a, peer = socket.socketpair()
        stream = await capnp_lite.AsyncIoStream.create_connection(sock=a)
        return stream, peer

    async def through_run() -> None:
        stream, other = await capnp_lite.run(made_in_run())
        await asyncio.wait_for(stream.wait_closed(), 10)  # run() ended: closed
        other.close()

    asyncio.run(through_run())
