"""Tail calls whose results hold a capability: awaited, and pipelined on before they return,
when the callee lives with the caller (the tail call comes back over the same connection)
and when it lives on a third connection (the caller's side forwards it there)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Tuple

import pytest

import capnp_lite
import capnp_lite.aio as aio
from capnp_lite.aio.transport import memory_pair
from capnp_lite.rpc.messages import Call, PromisedAnswerTarget

from .tap import Tap, tapped_both
from tests.aio.support import run

SCHEMA = """
@0xc0a7a11ca11ed0ff;
interface Counter {
  next @0 () -> (n :UInt32);
}
interface Callee {
  foo @0 (i :Int32) -> (i :Int32, c :Counter);
}
interface Caller {
  foo @0 (i :Int32, callee :Callee) -> (i :Int32, c :Counter);
}
"""


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("tail") / "tail.capnp"
    path.write_text(SCHEMA)
    return capnp_lite.load(str(path))


def servers(schema: Any) -> Tuple[Any, Any]:
    class Counter(schema.Counter.Server):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            self.n = 0

        async def next(self, _context: Any) -> int:
            self.n += 1
            return self.n

    class Callee(schema.Callee.Server):  # type: ignore[misc, name-defined]
        async def foo(self, i: int, _context: Any) -> Any:
            results = _context.results
            results.i = i + 1
            results.c = Counter()

    class Caller(schema.Caller.Server):  # type: ignore[misc, name-defined]
        async def foo(self, i: int, callee: Any, _context: Any) -> None:
            await _context.tail_call(callee.foo_request(i=i))

    return Caller, Callee


async def check(caller: Any, callee: Any) -> None:
    # Pipelined before anything returned: the call on the results' capability reaches it.
    assert (await caller.foo(i=1, callee=callee).c.next()).n == 1
    # Awaited, then used: the capability is still there, and more than once.
    r = await caller.foo(i=41, callee=callee)
    assert r.i == 42
    assert (await r.c.next()).n == 1
    assert (await r.c.next()).n == 2


def test_tail_call_back_to_the_caller(schema: Any) -> None:
    Caller, Callee = servers(schema)

    async def main() -> None:
        a, b = tapped_both()
        server = aio.Session(b, Caller())
        client = aio.Session(a)
        await check(client.bootstrap(schema.Caller), Callee())
        # The server turned the pipelined call into a call on its own tail question.
        tap: Tap = b  # type: ignore[assignment]
        pipelined: List[Call] = [m for m in tap.sent if isinstance(m, Call)
                                 and isinstance(m.target, PromisedAnswerTarget)]
        assert pipelined, "no pipelined call followed the tail call"
        await client.close()
        await server.wait_closed()

    run(main)


def test_tail_call_to_a_third_connection(schema: Any) -> None:
    Caller, Callee = servers(schema)

    async def main() -> None:
        x, px = memory_pair()
        y, py = memory_pair()
        caller_server = aio.Session(px, Caller())
        callee_server = aio.Session(py, Callee())
        to_caller = aio.Session(x)
        to_callee = aio.Session(y)
        await check(to_caller.bootstrap(schema.Caller), to_callee.bootstrap(schema.Callee))
        for s in (to_caller, to_callee):
            await s.close()
        await caller_server.wait_closed()
        await callee_server.wait_closed()

    run(main)
