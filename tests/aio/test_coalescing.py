"""What goes out in which write: calls and Returns made outside a received batch are written at
once (a few per loop turn); Finish and Release ride along with later writes while calls are in
flight; Returns produced together share a write; awaited local calls start without a loop turn."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, List, Tuple

import pytest

import capnp_lite
import capnp_lite.aio as aio
from capnp_lite.aio import session as session_module
from capnp_lite.aio._schema import interface_info
from capnp_lite.rpc.messages import Finish, Release, Return, ReturnResults

from .tap import Tap, tapped_both
from tests.aio.support import run

SCHEMA = """
@0xd3a1c0ffee15ca1e;
interface Calc {
  getOp @0 () -> (fn :Fn);
  evaluate @1 (fn :Fn, a :Float64, b :Float64) -> (value :Value);
  block @2 () -> ();
}
interface Fn {
  call @0 (a :Float64, b :Float64) -> (r :Float64);
}
interface Value {
  read @0 () -> (v :Float64);
}
"""


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("schema") / "coalesce.capnp"
    path.write_text(SCHEMA)
    return capnp_lite.load(str(path))


def kinds(batch: List[Any]) -> List[str]:
    return [type(m).__name__ for m in batch]


def make_root(schema: Any, gate: "asyncio.Event") -> Any:
    class Adder(schema.Fn.Server):  # type: ignore[misc, name-defined]
        async def call(self, a: float, b: float, _context: Any) -> float:
            return a + b

    class Val(schema.Value.Server):  # type: ignore[misc, name-defined]
        def __init__(self, v: float) -> None:
            self.v = v

        async def read(self, _context: Any) -> float:
            return self.v

    class Root(schema.Calc.Server):  # type: ignore[misc, name-defined]
        async def getOp(self, _context: Any) -> Any:
            return Adder()

        async def evaluate(self, fn: Any, a: float, b: float, _context: Any) -> Any:
            await asyncio.sleep(0)  # suspends: the rest runs in a task
            return Val((await fn.call(a, b)).r)

        async def block(self, _context: Any) -> None:
            await gate.wait()

    return Root()


async def sessions(schema: Any, gate: "asyncio.Event") -> Tuple[aio.Session, aio.Session, Tap, Tap, Any]:
    client_end, server_end = tapped_both()
    server = aio.Session(server_end, make_root(schema, gate))
    client = aio.Session(client_end)
    calc = client.bootstrap(schema.Calc)
    (await calc.getOp()).fn.close()  # bootstrap done
    for _ in range(10):
        await asyncio.sleep(0)
    return client, server, client_end, server_end, calc


def chain(calc: Any) -> Any:
    """getOp -> evaluate(on the promised fn) -> read, all sent before any reply."""
    return calc.evaluate(calc.getOp().fn, 1.0, 2.0).value.read()


def test_a_pipelined_chain_is_written_call_by_call_and_answered_return_by_return(
        schema: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_module, "_LAZY_DELAY", 30.0)  # a slow run must not flush by time

    async def main() -> None:
        client, server, client_end, server_end, calc = await sessions(schema, asyncio.Event())
        assert (await chain(calc)).v == 3.0
        for _ in range(10):
            await asyncio.sleep(0)
        c0, s0 = len(client_end.writes), len(server_end.writes)
        assert (await chain(calc)).v == 3.0
        during = client_end.writes[c0:c0 + 3]
        # Each call is written as soon as it is made (the peer starts on getOp while evaluate
        # is being built); the previous chain's Finish and Release messages went when it ended.
        assert [kinds(b) for b in during] == [["Call"], ["Call"], ["Call"]]
        # The server: each Return as soon as it is made, evaluate's before the read
        # pipelined on it runs, so the client reads one while the server makes the next.
        returns = [[m for m in batch if isinstance(m, Return)] for batch in server_end.writes[s0:]]
        assert [len(r) for r in returns] == [1, 1, 1]
        # With no call left in flight, the Finishes go on the next turn, together.
        for _ in range(5):
            await asyncio.sleep(0)
        sent = [kinds(b) for b in client_end.writes[c0 + 3:]]
        assert sent and sent[0].count("Finish") == 2  # getOp's and evaluate's; read's needs none
        assert len(server._conn.answers) == 0
        await client.close()
        await server.close()

    run(main)


def test_a_burst_of_calls_is_written_in_few_writes(schema: Any) -> None:
    async def main() -> None:
        client, server, client_end, server_end, calc = await sessions(schema, asyncio.Event())
        c0 = len(client_end.writes)
        promises = [calc.getOp() for _ in range(100)]  # one loop turn
        for p in promises:
            (await p).fn.close()
        calls = [kinds(b).count("Call") for b in client_end.writes[c0:]]
        early = session_module._EARLY_WRITES
        assert calls[:early] == [1] * early  # the first ones at once...
        # ...the rest of the turn's calls in pieces of at most _FLUSH_BATCH (plus the one the
        # piece's flush was triggered by), not one write each.
        rest = [n for n in calls[early:] if n]
        assert sum(rest) == 100 - early and len(rest) <= 4, calls
        await client.close()
        await server.close()

    run(main)


def test_a_held_finish_goes_out_on_its_own_when_nothing_else_is_written(schema: Any,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_module, "_LAZY_DELAY", 0.2)

    async def main() -> None:
        gate = asyncio.Event()
        client, server, client_end, server_end, calc = await sessions(schema, gate)
        blocked = calc.block()  # stays in flight
        for _ in range(5):
            await asyncio.sleep(0)
        c0 = len(client_end.writes)
        fn = (await calc.getOp()).fn
        fn.close()
        for _ in range(5):
            await asyncio.sleep(0)
        # Held while the blocked call is in flight...
        assert not any(isinstance(m, (Finish, Release)) for b in client_end.writes[c0:] for m in b)
        assert len(server._conn.answers) == 2
        # ...but not for long.
        await asyncio.sleep(0.4)
        sent = [m for b in client_end.writes[c0:] for m in b]
        assert any(isinstance(m, Finish) for m in sent) and any(isinstance(m, Release) for m in sent)
        assert len(server._conn.answers) == 1 and len(server._conn.exports) == 1
        gate.set()
        await blocked
        for _ in range(5):
            await asyncio.sleep(0)
        assert len(server._conn.answers) == 0
        await client.close()
        await server.close()

    run(main)


def test_many_held_finishes_are_flushed_in_pieces(schema: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_module, "_LAZY_DELAY", 30.0)  # only their number may send them

    async def main() -> None:
        gate = asyncio.Event()
        client, server, client_end, server_end, calc = await sessions(schema, gate)
        blocked = calc.block()  # in flight throughout: Finishes are held for a later write
        for _ in range(5):
            await asyncio.sleep(0)
        results = await asyncio.gather(*[calc.getOp() for _ in range(100)])
        for _ in range(5):
            await asyncio.sleep(0)
        # Nothing else is written after the calls, yet the Finishes of their Returns went out:
        # held only up to a bound.
        finishes = [m for b in client_end.writes for m in b if isinstance(m, Finish)]
        limit = session_module._FLUSH_BATCH
        assert len(finishes) >= 100 - limit
        assert len(server._conn.answers) <= 1 + limit
        for r in results:
            r.fn.close()
        gate.set()
        await blocked
        await client.close()
        await server.close()

    run(main)


def test_finish_and_release_go_at_once_when_no_call_is_in_flight(schema: Any) -> None:
    async def main() -> None:
        client, server, client_end, server_end, calc = await sessions(schema, asyncio.Event())
        fn = (await calc.getOp()).fn
        for _ in range(3):
            await asyncio.sleep(0)
        assert any(isinstance(m, Finish) for m in client_end.writes[-1])
        c0 = len(client_end.writes)
        fn.close()
        for _ in range(3):
            await asyncio.sleep(0)
        assert [kinds(b) for b in client_end.writes[c0:]] == [["Release"]]
        await client.close()
        await server.close()

    run(main)


def test_awaited_local_calls_start_in_order_and_never_inside_send(schema: Any) -> None:
    seen: List[str] = []

    class Fn(schema.Fn.Server):  # type: ignore[misc, name-defined]
        async def call(self, a: float, b: float, _context: Any) -> float:
            seen.append(f"call {a}")
            return a + b

    async def main() -> None:
        a, b = aio.memory_pair()
        session = aio.Session(a)
        peer = aio.Session(b)
        local = aio.Capability(session, Fn(), interface_info(schema.Fn))
        first, second = local.call(1.0, 0.0), local.call(2.0, 0.0)
        assert seen == []  # not inside send()
        turned: List[int] = []
        asyncio.get_running_loop().call_soon(turned.append, 1)
        assert (await second).r == 2.0  # starts both, in the order they were made...
        assert seen == ["call 1.0", "call 2.0"]
        assert turned == []  # ...without waiting for a loop turn
        assert first._question.future.done()
        assert (await first).r == 1.0
        await session.close()
        await peer.close()

    run(main)


def test_a_method_that_suspends_writes_its_return_before_its_pipelined_calls_run(schema: Any) -> None:
    async def main() -> None:
        client, server, client_end, server_end, calc = await sessions(schema, asyncio.Event())
        fn = (await calc.getOp()).fn
        for _ in range(5):
            await asyncio.sleep(0)
        s0 = len(server_end.writes)
        promise = calc.evaluate(fn, 2.0, 5.0)
        reads = [promise.value.read() for _ in range(3)]
        assert [(await r).v for r in reads] == [7.0, 7.0, 7.0]
        batches = [[m for m in b if isinstance(m, Return)] for b in server_end.writes[s0:]]
        # evaluate's Return at once (the caller reads it while the reads run), then the three
        # reads' Returns, made together, in one write
        assert [len(b) for b in batches if b] == [1, 3]
        assert all(isinstance(m.body, ReturnResults) for m in batches[-1])
        fn.close()
        await client.close()
        await server.close()

    run(main)


def test_a_release_made_while_a_batch_is_handled_is_not_held_forever(schema: Any) -> None:
    gates: List[asyncio.Event] = []  # made on the loop (Python 3.9 binds an Event to a loop)

    class Adder(schema.Fn.Server):
        async def call(self, a: float, b: float, _context: Any) -> float:
            return a + b

    class Root(schema.Calc.Server):
        async def evaluate(self, fn: Any, a: float, b: float, _context: Any) -> None:
            fn.close()  # the first step runs inside the received batch
            await gates[0].wait()  # then suspends: no Return, no other write to ride along with

    async def main() -> None:
        gates.append(asyncio.Event())
        client_end, server_end = tapped_both()
        server = aio.Session(server_end, Root())
        client = aio.Session(client_end)
        calc = client.bootstrap(schema.Calc)
        for _ in range(10):  # the bootstrap resolves: the server then has no question in flight
            await asyncio.sleep(0)
        fn = aio.Capability(client, Adder(), interface_info(schema.Fn))
        promise = calc.evaluate(fn, 1.0, 2.0)
        fn.close()
        await asyncio.sleep(0.1)  # well past the hold delay
        assert any(isinstance(m, Release) for batch in server_end.writes for m in batch)
        gates[0].set()
        await promise
        await client.close()
        await server.close()

    run(main)


def test_a_local_call_made_by_a_local_call_starts_after_the_earlier_ones(schema: Any) -> None:
    seen: List[float] = []
    holder: List[Any] = []

    class Fn(schema.Fn.Server):
        async def call(self, a: float, b: float, _context: Any) -> float:
            seen.append(a)
            if a == 1.0:  # made after the caller's second call, on the same reference
                await holder[0].call(3.0, 0.0)
            return a + b

    async def main() -> None:
        a, b = aio.memory_pair()
        session, peer = aio.Session(a), aio.Session(b)
        local = aio.Capability(session, Fn(), interface_info(schema.Fn))
        holder.append(local)
        first, second = local.call(1.0, 0.0), local.call(2.0, 0.0)
        await first
        await second
        assert seen == [1.0, 2.0, 3.0]  # E-order on one reference
        await session.close()
        await peer.close()

    run(main)


def test_the_last_running_call_returns_from_the_step_that_ends_it(schema: Any) -> None:
    """A method that suspended ends in a later step of its task: with no other call running,
    its Return is written there and then, not on the next loop turn; with another call still
    running, on the next turn (so that call's Return may share the write)."""

    async def main() -> None:
        gate = asyncio.Event()
        client, server, client_end, server_end, calc = await sessions(schema, gate)
        fn = (await calc.getOp()).fn
        for _ in range(5):
            await asyncio.sleep(0)
        seen: List[int] = []
        original = server._finished

        def finished(*args: Any) -> None:
            s0 = len(server_end.writes)
            original(*args)
            seen.append(len(server_end.writes) - s0)  # writes made inside this last step

        server._finished = finished  # type: ignore[method-assign, assignment]
        assert (await calc.evaluate(fn, 2.0, 5.0)).value is not None
        assert seen[-1] == 1  # nothing else running: written at once
        blocked = calc.block()
        for _ in range(5):
            await asyncio.sleep(0)
        assert (await calc.evaluate(fn, 1.0, 1.0)).value is not None
        assert seen[-1] == 0  # ``block`` still runs: the write waits for the turn's end
        gate.set()
        await blocked
        del server._finished
        fn.close()
        await client.close()
        await server.close()

    run(main)


@pytest.mark.parametrize("where", ["making the Return", "writing it early"])
def test_calls_pipelined_on_an_answer_run_even_if_returning_it_fails(schema: Any, where: str) -> None:
    """Sending evaluate's Return fails (a bug of ours, or the transport's write; reported to the
    loop): the reads queued on its answer still run and are answered."""

    async def main() -> None:
        reported: List[Any] = []
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: reported.append(context))
        client, server, client_end, server_end, calc = await sessions(schema, asyncio.Event())
        fn = (await calc.getOp()).fn
        send_return = server._send_return
        write = server_end.write
        failed: List[int] = []

        def failing_once(ans: Any, ctx: Any, exc: Any) -> None:
            if not failed and ctx.method.name == "evaluate":
                failed.append(1)
                raise RuntimeError("lost")
            send_return(ans, ctx, exc)

        def write_failing_once(data: bytes) -> None:
            # evaluate suspends, so its Return is the first write after the calls arrived,
            # made early from the method's last step, before the reads run
            if not failed and len(server._waitq) == 1:
                failed.append(1)
                raise OSError("write failed")
            write(data)

        if where == "making the Return":
            server._send_return = failing_once  # type: ignore[method-assign, assignment]
        else:
            server_end.write = write_failing_once  # type: ignore[method-assign]
        promise = calc.evaluate(fn, 2.0, 5.0)
        reads = [promise.value.read() for _ in range(2)]
        assert [(await asyncio.wait_for(r, 5)).v for r in reads] == [7.0, 7.0]
        assert failed == [1] and len(reported) == 1
        fn.close()
        await client.close()
        await server.close()

    run(main)
