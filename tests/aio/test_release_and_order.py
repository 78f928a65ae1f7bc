"""Result capabilities are released when nothing can reach them; calls on a promise keep E-order."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from typing import Any, Dict, List, Tuple

import capnp_lite.aio as capnp
from capnp_lite.errors import RpcError
from capnp_lite.rpc.connection import RpcConnection

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from calculator_pycapnp_server import SCHEMA, make_impl  # noqa: E402
from tests.aio.support import run  # noqa: E402

calc_capnp = capnp.load(SCHEMA)
CalculatorImpl = make_impl(capnp, calc_capnp)


def tables(session: capnp.Session) -> Dict[str, int]:
    conn = session._conn
    assert isinstance(conn, RpcConnection)
    return {"questions": len(conn.questions), "answers": len(conn.answers),
            "exports": len(conn.exports), "imports": len(conn.imports)}


async def settle() -> None:
    """Let Finish / Release messages and scheduled releases go through."""
    for _ in range(20):
        await asyncio.sleep(0)


async def collect() -> None:
    """Collect dropped objects (needed where collection is not immediate: PyPy finalizes in rounds)."""
    for _ in range(3):
        gc.collect()
        await settle()


async def pair(server: Any) -> Tuple[capnp.Session, capnp.Session, Any]:
    a, b = capnp.memory_pair()
    srv = capnp.Session(b, server)
    cli = capnp.Session(a)
    return cli, srv, cli.bootstrap().cast_as(calc_capnp.Calculator)


# --- E-order ---------------------------------------------------------------------------------------


class RecordingOperator(calc_capnp.Calculator.Function.Server):  # type: ignore[misc,name-defined]
    def __init__(self, seen: List[int]) -> None:
        self.seen = seen

    async def call(self, params: Any, _context: Any, **kwargs: Any) -> float:
        self.seen.append(int(params[0]))
        return float(params[0])


class GatedCalculator(calc_capnp.Calculator.Server):  # type: ignore[misc,name-defined]
    """getOperator returns only once ``gate`` is set; its Function records the calls' order."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.seen: List[int] = []

    async def getOperator(self, op: Any, _context: Any, **kwargs: Any) -> Any:
        await self.gate.wait()
        return RecordingOperator(self.seen)


def test_calls_pipelined_on_an_answer_run_in_arrival_order() -> None:
    async def main() -> None:
        server = GatedCalculator()
        cli, srv, calc = await pair(server)
        func = calc.getOperator(op="add").func
        promises = []
        for i in range(60):
            promises.append(func.call(params=[float(i), 0.0]))
            if i == 20:
                server.gate.set()  # the answer settles while calls are queued on it...
            if i >= 20 and i % 3 == 0:
                await asyncio.sleep(0)  # ...and more keep arriving, before and after its Return
        results = await asyncio.gather(*promises)
        assert [r.value for r in results] == [float(i) for i in range(60)]
        assert server.seen == list(range(60))
        func.close()
        calc.close()
        await cli.close()
        await srv.close()

    run(main)


def test_calls_on_a_local_promise_keep_their_order() -> None:
    """The client side: calls on a pipeline of a local call are sent in the order they were made."""

    async def main() -> None:
        server = GatedCalculator()
        local = capnp.Session(capnp.memory_pair()[0])  # any session: the target is local
        calc = local._make_cap(server, calc_capnp.Calculator.schema)
        func = calc.getOperator(op="add").func
        promises = []
        for i in range(30):
            promises.append(func.call(params=[float(i), 0.0]))
            if i == 10:
                server.gate.set()
            if i >= 10:
                await asyncio.sleep(0)
        await asyncio.gather(*promises)
        assert server.seen == list(range(30))
        await local.close()

    run(main)


# --- Release of result capabilities ---------------------------------------------------------------


def test_pipelined_only_results_are_released() -> None:
    async def main() -> None:
        cli, srv, calc = await pair(CalculatorImpl())
        values = await asyncio.gather(*[calc.evaluate(expression={"literal": float(i)}).value.read()
                                        for i in range(10)])
        assert [v.value for v in values] == [float(i) for i in range(10)]
        await collect()  # the promises were dropped: only needed where collection is not immediate
        assert tables(cli)["imports"] == 1  # the bootstrap capability, still held by ``calc``
        assert tables(srv)["exports"] == 1
        calc.close()
        await settle()
        assert tables(cli) == {"questions": 0, "answers": 0, "exports": 0, "imports": 0}
        assert tables(srv) == {"questions": 0, "answers": 0, "exports": 0, "imports": 0}
        await cli.close()
        await srv.close()

    run(main)


def test_closing_results_releases_their_caps_and_read_caps_stay_valid() -> None:
    async def main() -> None:
        cli, srv, calc = await pair(CalculatorImpl())
        response = await calc.evaluate(expression={"literal": 5.0})
        kept = response.value  # a client of its own
        with response:
            assert (await response.value.read()).value == 5.0
        try:
            response.value
        except RpcError:
            pass
        else:
            raise AssertionError("reading a capability from closed results must fail")
        await collect()  # the second read above was a client of its own, dropped at once
        assert tables(cli)["imports"] == 2  # bootstrap and the one ``kept`` holds
        assert (await kept.read()).value == 5.0
        kept.close()
        await settle()
        assert tables(cli)["imports"] == 1
        assert tables(srv)["exports"] == 1
        calc.close()
        await cli.close()
        await srv.close()

    run(main)


def test_pipeline_client_survives_its_promise_and_close_releases() -> None:
    async def main() -> None:
        cli, srv, calc = await pair(CalculatorImpl())
        add = calc.getOperator(op="add").func  # the promise itself is dropped at once
        first = await add.call(params=[1.0, 2.0])
        await collect()
        assert first.value == 3.0
        assert (await add.call(params=[2.0, 2.0])).value == 4.0  # still valid after settlement
        assert tables(cli)["imports"] == 2
        add.close()
        await settle()
        assert tables(cli)["imports"] == 1
        try:
            add.call(params=[1.0, 1.0])
        except RpcError:
            pass
        else:
            raise AssertionError("a closed client must refuse calls")
        calc.close()
        await settle()
        assert tables(srv)["exports"] == 0
        await cli.close()
        await srv.close()

    run(main)


def test_dropped_client_is_released_by_collection() -> None:
    async def main() -> None:
        cli, srv, calc = await pair(CalculatorImpl())
        response = await calc.evaluate(expression={"literal": 1.0})
        value = response.value
        response.close()
        await settle()
        assert tables(cli)["imports"] == 2
        del value, response
        await collect()  # the fallback: a client nobody closed goes when collected
        assert tables(cli)["imports"] == 1
        assert tables(srv)["exports"] == 1
        calc.close()
        await cli.close()
        await srv.close()

    run(main)


class KeepingCalculator(calc_capnp.Calculator.Server):  # type: ignore[misc,name-defined]
    """Stores one Function from params (must stay valid) and drops the others."""

    def __init__(self) -> None:
        self.kept: Any = None

    async def evaluate(self, expression: Any, _context: Any, **kwargs: Any) -> Any:
        call = expression.call
        if self.kept is None:
            self.kept = call.function
        result = await call.function.call(params=[1.0])
        return make_value(float(result.value))


class ConstValue(calc_capnp.Calculator.Value.Server):  # type: ignore[misc,name-defined]
    def __init__(self, value: float) -> None:
        self.value = value

    async def read(self, **kwargs: Any) -> float:
        return self.value


def make_value(v: float) -> Any:
    return ConstValue(v)


class Twice(calc_capnp.Calculator.Function.Server):  # type: ignore[misc,name-defined]
    async def call(self, params: Any, _context: Any, **kwargs: Any) -> float:
        return 2.0 * float(params[0])


def test_params_caps_go_when_the_call_ends_unless_kept() -> None:
    async def main() -> None:
        server = KeepingCalculator()
        cli, srv, calc = await pair(server)
        fn = Twice()
        for _ in range(3):
            r = await calc.evaluate(expression={"call": {"function": fn, "params": []}}).value.read()
            assert r.value == 2.0
        await collect()
        assert tables(srv)["imports"] == 1  # only the one the server kept
        assert (await server.kept.call(params=[4.0])).value == 8.0
        server.kept.close()
        await settle()
        assert tables(srv)["imports"] == 0
        assert tables(cli)["exports"] == 0  # the client exported only ``fn``
        assert tables(srv)["exports"] == 1  # the bootstrap
        calc.close()
        await cli.close()
        await srv.close()

    run(main)


def test_an_answer_keeps_the_callers_capability_it_returned_until_its_finish() -> None:
    """A method that returns the caller's own capability: the import stays while the answer
    can be pipelined on (later pipelined calls, and the caller's Disembargo through it, reach
    it), and its Release goes out with the answer's Finish, not before."""

    class Slow(capnp.MemoryTransport):  # each write arrives 20 ms later: the Release races
        def write(self, data: bytes) -> None:
            asyncio.get_running_loop().call_later(0.02, capnp.MemoryTransport.write, self, bytes(data))

    class Echo(calc_capnp.Calculator.Server):  # type: ignore[misc, name-defined]
        async def evaluate(self, expression: Any, _context: Any, **kwargs: Any) -> Any:
            return expression.previousResult

    class MyValue(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
        async def read(self, **kwargs: Any) -> float:
            return 42.0

    async def main() -> None:
        a, b = Slow(), Slow()
        a.peer, b.peer = b, a
        server, client = capnp.Session(b, Echo()), capnp.Session(a)
        calc = client.bootstrap().cast_as(calc_capnp.Calculator)
        promise = calc.evaluate(expression={"previousResult": MyValue()})
        value = promise.value
        assert (await value.read()).value == 42.0
        await asyncio.sleep(0.2)  # the server's method ended long ago; the answer is not finished
        assert (await value.read()).value == 42.0
        assert not server.closed.done()
        value.close()
        del promise
        await collect()
        await asyncio.sleep(0.2)
        calc.close()
        await asyncio.sleep(0.2)
        assert tables(server) == {"questions": 0, "answers": 0, "exports": 0, "imports": 0}
        assert tables(client) == {"questions": 0, "answers": 0, "exports": 0, "imports": 0}
        await client.close()
        await server.close()

    run(main)


def test_a_cancelled_method_finishes_the_calls_it_was_awaiting() -> None:
    """The caller cancels a call whose method waits on a call back to the caller: the method's
    task is cancelled, and its own call is finished (the callee's method is cancelled too, and
    no table keeps either call)."""

    async def main() -> None:
        started = asyncio.Event()
        cancelled = asyncio.Event()

        class Stuck(calc_capnp.Calculator.Function.Server):  # type: ignore[misc, name-defined]
            async def call(self, params: Any, _context: Any, **kwargs: Any) -> float:
                started.set()
                try:
                    await asyncio.Event().wait()
                except asyncio.CancelledError:
                    cancelled.set()
                    raise
                return 0.0

        a, b = capnp.memory_pair()
        server, client = capnp.Session(b, CalculatorImpl()), capnp.Session(a)
        calc = client.bootstrap().cast_as(calc_capnp.Calculator)
        promise = calc.evaluate(expression={"call": {"function": Stuck(), "params": [{"literal": 1.0}]}})
        await asyncio.wait_for(started.wait(), 5)
        promise.cancel()
        await asyncio.wait_for(cancelled.wait(), 5)  # the server's Finish reached the stuck method
        await collect()  # the cancelled method's frames held the function's client
        for _ in range(5):
            await settle()
        assert tables(server)["questions"] == tables(server)["imports"] == 0
        assert server._questions == {}
        assert server._conn._running == client._conn._running == 0  # no call counted as running
        calc.close()
        await client.close()
        await server.close()

    run(main)


def test_a_timeout_on_a_promise_leaves_its_pipelines_working() -> None:
    """``wait_for`` on a call that times out cancels the awaiting, not the call, while a client
    pipelines on its results; without one, the call is finished (and the callee cancelled)."""

    class SlowValue(calc_capnp.Calculator.Server):  # type: ignore[misc, name-defined]
        async def evaluate(self, expression: Any, _context: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(0.1)

            class V(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
                async def read(self, **kw: Any) -> float:
                    return 42.0
            return V()

    async def main() -> None:
        a, b = capnp.memory_pair()
        server, client = capnp.Session(b, SlowValue()), capnp.Session(a)
        calc = client.bootstrap().cast_as(calc_capnp.Calculator)
        promise = calc.evaluate(expression={"literal": 1.0})
        value = promise.value
        try:
            await asyncio.wait_for(promise, 0.01)
        except asyncio.TimeoutError:
            pass
        assert (await value.read()).value == 42.0  # the call went on for its pipeline
        value.close()
        alone = calc.evaluate(expression={"literal": 1.0})
        try:
            await asyncio.wait_for(alone, 0.01)
        except asyncio.TimeoutError:
            pass
        await settle()
        assert tables(client)["questions"] == 0  # finished at once: nothing pipelines on it
        del promise, alone
        calc.close()
        await client.close()
        await server.close()

    run(main)


def test_release_params_lets_a_params_capability_go_while_the_call_runs() -> None:
    class Holding(calc_capnp.Calculator.Server):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            self.gate = asyncio.Event()
            self.released = asyncio.Event()

        async def evaluate(self, _context: Any, **kwargs: Any) -> Any:
            _context.release_params()
            self.released.set()
            await self.gate.wait()
            with_params = _context.params.expression.call
            try:
                with_params.function
            except RpcError:
                return RecordingOperator([])  # the function's entry was released
            raise AssertionError("the params' capability is still readable")

    async def main() -> None:
        server = Holding()
        cli, srv, calc = await pair(server)
        req = calc.evaluate_request()
        call = req.expression.init("call")
        call.function = RecordingOperator([])  # exported by the client
        call.init("params", 0)
        pending = req.send()
        await asyncio.wait_for(server.released.wait(), 5)
        await settle()
        assert tables(cli)["exports"] == 0  # released while the call still runs
        server.gate.set()
        await pending
        await cli.close()
        await srv.close()

    run(main)


# --- the import limit and clients nobody collected yet --------------------------------------------


def test_uncollected_clients_do_not_run_the_import_limit_out() -> None:
    """Clients dropped without close() inside reference cycles, with the collector off (as on
    PyPy, which collects late): far more of them than the import limit allows in all.  The
    session collects them itself when the limit comes near, and the connection goes on."""

    async def main() -> None:
        a, b = capnp.memory_pair()
        srv = capnp.Session(b, CalculatorImpl())
        cli = capnp.Session(a, max_imports=64)
        calc = cli.bootstrap().cast_as(calc_capnp.Calculator)
        gc.disable()
        try:
            for i in range(300):  # each call imports one new capability
                func = (await calc.getOperator(op="add")).func
                cycle: List[Any] = [func]
                cycle.append(cycle)  # only the collector can free it now
                del func, cycle
            held = tables(cli)["imports"]
            result = await calc.evaluate({"literal": 7.0})
            value = (await result.value.read()).value
        finally:
            gc.enable()
        assert value == 7.0
        assert held <= 64  # (the bootstrap, and what came since the last collection)
        await cli.close()
        await srv.close()

    run(main)


def test_without_collection_the_import_limit_aborts() -> None:
    """The limit itself is kept: capabilities the application holds count against it."""

    async def main() -> None:
        a, b = capnp.memory_pair()
        srv = capnp.Session(b, CalculatorImpl())
        cli = capnp.Session(a, max_imports=64)
        calc = cli.bootstrap().cast_as(calc_capnp.Calculator)
        kept = []
        try:
            for _ in range(100):
                kept.append((await calc.getOperator(op="add")).func)
        except RpcError as exc:
            assert "too many imported capabilities" in str(exc)
            assert len(kept) >= 60  # (the limit, less the bootstrap and what is in flight)
        else:
            raise AssertionError("100 held capabilities passed a limit of 64")
        finally:
            await cli.close()
            await srv.close()

    run(main)
