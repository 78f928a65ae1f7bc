"""Clients of server objects of this process with no connection (pycapnp's
``Interface._new_client``): calls, pipelining, ``upcast``/``schema``, and such a client sent
over a real connection."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

import capnp_lite
import capnp_lite.aio as aio
from capnp_lite.aio.transport import memory_pair

from .test_tail_calls import SCHEMA, servers
from tests.aio.support import run


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("local") / "local.capnp"
    path.write_text(SCHEMA)
    return capnp_lite.load(str(path))


def test_calls_on_a_local_client(schema: Any) -> None:
    Caller, Callee = servers(schema)

    async def main() -> None:
        callee = schema.Callee._new_client(Callee())
        assert callee.schema.name == "Callee"
        assert callee.upcast(schema.Callee).schema.name == "Callee"
        r = await callee.foo(i=1)
        assert r.i == 2
        assert (await r.c.next()).n == 1
        # Pipelined on a local call's results (also by pycapnp's _get).
        assert (await callee.foo(i=5).c.next()).n == 1
        assert (await callee.foo(i=5)._get("c").next()).n == 1
        with pytest.raises(AttributeError):
            callee.foo(i=5)._get("i")  # a number: nothing to pipeline on
        # A local client as the param of another local call (a tail call between them).
        caller = schema.Caller._new_client(Caller())
        assert (await caller.foo(i=10, callee=callee)).i == 11

    run(main)


def test_a_local_client_sent_over_a_connection(schema: Any) -> None:
    Caller, Callee = servers(schema)

    async def main() -> None:
        a, b = memory_pair()
        server = aio.Session(b, Caller())
        client = aio.Session(a)
        caller = client.bootstrap(schema.Caller)
        r = await caller.foo(i=20, callee=schema.Callee._new_client(Callee()))
        assert r.i == 21
        assert (await r.c.next()).n == 1
        await client.close()
        await server.wait_closed()

    run(main)


def test_a_local_client_needs_a_server() -> None:
    async def main() -> None:
        with pytest.raises(TypeError):
            aio.session.local_client(object())

    run(main)


def test_calls_made_before_a_local_promise_settled_go_first(schema: Any) -> None:
    """E-order across a local call's settlement: a call pipelined on the promise reaches the
    capability before calls made on the same capability read from the awaited results,
    also when the results came from a tail call."""
    Caller, Callee = servers(schema)

    async def main() -> None:
        callee = schema.Callee._new_client(Callee())
        caller = schema.Caller._new_client(Caller())
        for promise in (callee.foo(i=1), caller.foo(i=1, callee=callee)):
            first = promise.c.next()
            r = await promise
            second, third = r.c.next(), r.c.next()
            assert [(await first).n, (await second).n, (await third).n] == [1, 2, 3]

    run(main)


def test_cancel_upcast_and_bool_params_as_pycapnp(schema: Any) -> None:
    Caller, Callee = servers(schema)

    async def main() -> None:
        callee = schema.Callee._new_client(Callee())
        promise = callee.foo(i=1)
        promise.cancel()
        with pytest.raises(capnp_lite.KjException, match="cancelled"):
            await promise
        assert (await callee.foo(i=2)).i == 3  # the client goes on
        with pytest.raises(TypeError, match="does not extend"):
            callee.upcast(schema.Caller)

    run(main)


def test_a_bool_param_takes_only_a_bool(tmp_path: Path) -> None:
    path = tmp_path / "flag.capnp"
    path.write_text("@0xc0a7a11ca11ed100;\ninterface Flag { set @0 (on :Bool) -> (on :Bool); }\n")
    m: Any = capnp_lite.load(str(path))

    class Flag(m.Flag.Server):  # type: ignore[misc]
        async def set(self, on: bool, _context: Any) -> bool:
            return on

    async def main() -> None:
        flag = m.Flag._new_client(Flag())
        assert (await flag.set(True)).on is True
        with pytest.raises(capnp_lite.errors.EncodeError, match="Bool"):
            flag.set(10)

    run(main)


def test_a_kj_exception_raised_by_a_server_keeps_its_type(schema: Any) -> None:
    class Busy(schema.Counter.Server):  # type: ignore[misc, name-defined]
        async def next(self, _context: Any) -> int:
            raise capnp_lite.KjException("try later", type="overloaded")

    async def main() -> None:
        a, b = memory_pair()
        server = aio.Session(b, Busy())
        client = aio.Session(a)
        with pytest.raises(capnp_lite.KjException) as info:
            await client.bootstrap(schema.Counter).next()
        assert info.value.type == "OVERLOADED"
        assert info.value.description == "try later"
        await client.close()
        await server.wait_closed()

    run(main)


def test_cancel_reaches_a_local_method(schema: Any) -> None:
    events: "list[str]" = []

    class Slow(schema.Counter.Server):  # type: ignore[misc, name-defined]
        async def next(self, _context: Any) -> int:
            events.append("started")
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                events.append("cancelled")
                raise
            return 1

    async def main() -> None:
        counter = schema.Counter._new_client(Slow())
        running = counter.next()
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert events == ["started"]
        running.cancel()
        await asyncio.sleep(0)
        assert events == ["started", "cancelled"]
        never = counter.next()
        never.cancel()  # before it started: it never does
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert events == ["started", "cancelled"]

    run(main)


def test_local_sessions_go_with_their_loop(schema: Any) -> None:
    import gc

    from capnp_lite.aio import session as session_module

    Caller, Callee = servers(schema)

    async def main() -> None:
        assert (await schema.Callee._new_client(Callee()).foo(i=1)).i == 2

    for _ in range(3):
        run(main)
    for _ in range(5):  # PyPy frees in steps
        gc.collect()
    assert len(session_module._LOCAL_SESSIONS) == 0
