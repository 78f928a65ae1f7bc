"""Sessions over an in-memory pair: calls, pipelining, caps both ways, errors, cancellation, release."""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any, List, Tuple

import pytest

import capnp_lite.aio as capnp
from capnp_lite.errors import RpcError
from capnp_lite.rpc.messages import Call

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from calculator_pycapnp_server import SCHEMA, call_request, make_impl  # noqa: E402
from tap import Tap, tapped_pair  # noqa: E402
from tests.aio.support import run  # noqa: E402

calc_capnp = capnp.load(SCHEMA)
CalculatorImpl = make_impl(capnp, calc_capnp)


async def connect(server: Any) -> Tuple[capnp.Session, capnp.Session, Any, Tap]:
    a, b = tapped_pair()
    srv = capnp.Session(b, server)
    cli = capnp.Session(a)
    return cli, srv, cli.bootstrap().cast_as(calc_capnp.Calculator), a


def test_pipelined_read_is_one_round_trip() -> None:
    async def main() -> None:
        cli, srv, calc, tap = await connect(CalculatorImpl())
        response = await calc.evaluate({"literal": 7.5}).value.read()
        assert response.value == 7.5
        calls = [m for m in tap.sent if isinstance(m, Call)]
        assert len(calls) == 2  # evaluate and read went out before any answer came back
        await cli.close()
        await srv.wait_closed()

    run(main)


def test_request_builder_and_capabilities_both_ways() -> None:
    class Square(calc_capnp.Calculator.Function.Server):  # type: ignore[name-defined]
        def __init__(self) -> None:
            self.calls = 0

        async def call(self, params: Any, _context: Any, **kw: Any) -> float:
            self.calls += 1
            return params[0] * params[0]

    async def main() -> None:
        cli, srv, calc, _ = await connect(CalculatorImpl())
        mine = Square()
        req = calc.evaluate_request()
        c = req.expression.init("call")
        c.function = mine
        ps = c.init("params", 1)
        add = ps[0].init("call")
        add.function = calc.getOperator(op="add").func
        aps = add.init("params", 2)
        aps[0].literal = 2
        aps[1].literal = 1
        value = await req.send().value.read()
        assert value.value == 9 and mine.calls == 1
        # a returned capability is usable after the call that produced it
        func = (await calc.getOperator(op="multiply")).func
        assert (await func.call(params=[3, 4])).value == 12
        func.close()
        await cli.close()

    run(main)


def test_server_errors_arrive_as_rpc_error() -> None:
    async def main() -> None:
        cli, srv, calc, _ = await connect(CalculatorImpl())
        func = calc.getOperator(op="divide").func
        with pytest.raises(RpcError) as info:
            await func.call(params=[1.0])
        assert info.value.type == "FAILED" and "two parameters" in str(info.value)
        assert (await func.call(params=[1.0, 4.0])).value == 0.25  # the connection carries on
        await cli.close()

    run(main)


def test_unimplemented_method() -> None:
    class Half(calc_capnp.Calculator.Server):  # type: ignore[name-defined]
        pass

    async def main() -> None:
        cli, srv, calc, _ = await connect(Half())
        with pytest.raises(RpcError) as info:
            await calc.getOperator(op="add")
        assert info.value.type == "UNIMPLEMENTED"
        await cli.close()

    run(main)


def test_cancellation_reaches_the_server() -> None:
    started = asyncio.Event if False else None
    seen: List[str] = []

    class Slow(calc_capnp.Calculator.Server):  # type: ignore[name-defined]
        async def getOperator(self, op: Any, _context: Any, **kw: Any) -> Any:
            seen.append("started")
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                seen.append("cancelled")
                raise
            return None

    async def main() -> None:
        cli, srv, calc, _ = await connect(Slow())
        promise = calc.getOperator(op="add")
        for _ in range(50):
            await asyncio.sleep(0)
            if seen:
                break
        promise.cancel()
        with pytest.raises(RpcError):
            await promise
        for _ in range(50):
            await asyncio.sleep(0)
            if "cancelled" in seen:
                break
        assert seen == ["started", "cancelled"]
        await cli.close()

    del started
    run(main)


def test_results_as_tuple_dict_and_context() -> None:
    class Ops(calc_capnp.Calculator.Function.Server):  # type: ignore[name-defined]
        def __init__(self, style: str) -> None:
            self.style = style

        async def call(self, params: Any, _context: Any, **kw: Any) -> Any:
            total = sum(params)
            if self.style == "dict":
                return {"value": total}
            if self.style == "context":
                _context.results.value = total
                return None
            assert _context.params.params == params
            return total

    class Calc(calc_capnp.Calculator.Server):  # type: ignore[name-defined]
        async def getOperator(self, op: str, _context: Any, **kw: Any) -> Any:
            return Ops(op)

    async def main() -> None:
        cli, srv, calc, _ = await connect(Calc())
        # enum names are sent as ordinals; the server sees the name back
        for op in ("add", "subtract", "multiply"):
            f = calc.getOperator(op=op).func
            assert (await f.call(params=[1, 2, 3])).value == 6
        await cli.close()

    class OpsByName(Ops):
        pass

    run(main)


def test_tail_call() -> None:
    class Delegate(calc_capnp.Calculator.Function.Server):  # type: ignore[name-defined]
        def __init__(self, target: Any) -> None:
            self.target = target

        async def call(self, params: Any, _context: Any, **kw: Any) -> Any:
            return await _context.tail_call(self.target.call_request(params=params))

    class Calc(calc_capnp.Calculator.Server):  # type: ignore[name-defined]
        async def defFunction(self, paramCount: int, body: Any, _context: Any, **kw: Any) -> Any:
            return Delegate(body.call.function)

    class Triple(calc_capnp.Calculator.Function.Server):  # type: ignore[name-defined]
        async def call(self, params: Any, _context: Any, **kw: Any) -> float:
            return 3 * params[0]

    async def main() -> None:
        cli, srv, calc, tap = await connect(Calc())
        req = calc.defFunction_request()
        req.paramCount = 1
        req.body.init("call").function = Triple()
        f = req.send().func
        assert (await f.call(params=[5])).value == 15
        from capnp_lite.rpc.messages import Return, ReturnResultsSentElsewhere
        # The server forwarded the call as a protocol tail call: the client's own Function
        # answered it with resultsSentElsewhere and kept the results for the client's question.
        assert any(isinstance(m, Return) and isinstance(m.body, ReturnResultsSentElsewhere)
                   for m in tap.sent)
        await cli.close()

    run(main)


def test_release_on_close_and_on_disconnect() -> None:
    released: List[str] = []

    class Tracked(calc_capnp.Calculator.Function.Server):  # type: ignore[name-defined]
        def __init__(self, name: str) -> None:
            self.name = name

        def on_release(self) -> None:
            released.append(self.name)

        async def call(self, params: Any, _context: Any, **kw: Any) -> float:
            return 0.0

    class Calc(calc_capnp.Calculator.Server):  # type: ignore[name-defined]
        async def getOperator(self, op: str, _context: Any, **kw: Any) -> Any:
            return Tracked(op)

    async def main() -> None:
        cli, srv, calc, _ = await connect(Calc())
        with (await calc.getOperator(op="add")).func as f:
            await f.call(params=[])
        for _ in range(20):
            await asyncio.sleep(0)
        assert released == ["add"]
        g = (await calc.getOperator(op="multiply")).func
        other = g.cast_as(calc_capnp.Calculator.Function)
        g.close()
        for _ in range(20):
            await asyncio.sleep(0)
        assert released == ["add"]  # still held by the second client
        other.close()
        for _ in range(20):
            await asyncio.sleep(0)
        assert released == ["add", "multiply"]
        await cli.close()
        with pytest.raises(RpcError):
            await calc.getOperator(op="add")

    run(main)


def test_garbage_aborts_one_connection_only() -> None:
    async def main() -> None:
        good_cli, good_srv, good_calc, _ = await connect(CalculatorImpl())
        a, b = capnp.memory_pair()
        bad_srv = capnp.Session(b, CalculatorImpl())
        a.write(b"\x00\x00\x00\x00\x02\x00\x00\x00" + b"\xff" * 16)  # root pointer of a wrong kind
        err = await asyncio.wait_for(bad_srv.wait_closed(), 5)
        del err
        assert not bad_srv.is_open
        reply = await a.read()
        assert reply  # an Abort went out before closing
        assert (await good_calc.evaluate({"literal": 1}).value.read()).value == 1
        await good_cli.close()

    run(main)


def test_early_pipeline() -> None:
    gate: List[Any] = []

    class Early(calc_capnp.Calculator.Server):  # type: ignore[name-defined]
        async def getOperator(self, op: Any, _context: Any, **kw: Any) -> Any:
            func = make_impl(capnp, calc_capnp)().getOperator
            inner = await func(op=op, _context=_context)
            _context.set_pipeline((inner,))
            fut = asyncio.get_running_loop().create_future()
            gate.append(fut)
            await fut  # the pipelined call must complete while we are still here
            return inner

    async def main() -> None:
        cli, srv, calc, _ = await connect(Early())
        promise = calc.getOperator(op="add")
        value = await promise.func.call(params=[1, 2])
        assert value.value == 3
        assert gate and not gate[0].done()
        gate[0].set_result(None)
        await promise
        await cli.close()

    run(main)


def test_many_concurrent_calls() -> None:
    async def main() -> None:
        cli, srv, calc, _ = await connect(CalculatorImpl())
        reads = [calc.evaluate({"literal": i}).value.read() for i in range(300)]
        values = [r.value for r in await asyncio.gather(*reads)]
        assert values == list(range(300))
        await cli.close()

    run(main)


def test_calls_in_flight_limit() -> None:
    class Slow(calc_capnp.Calculator.Server):  # type: ignore[name-defined]
        async def evaluate(self, expression: Any, _context: Any, **kw: Any) -> Any:
            await asyncio.sleep(0.05)
            return None

    async def main() -> None:
        a, b = capnp.memory_pair()
        srv = capnp.Session(b, Slow(), max_calls_in_flight=4)
        cli = capnp.Session(a)
        calc = cli.bootstrap().cast_as(calc_capnp.Calculator)
        outcomes = await asyncio.gather(*[calc.evaluate({"literal": 1}) for _ in range(10)],
                                        return_exceptions=True)
        overloaded = [o for o in outcomes if isinstance(o, RpcError) and o.type == "OVERLOADED"]
        assert 0 < len(overloaded) < 10  # the core answers calls beyond the limit at once
        await cli.close()
        del srv

    run(main)


class NoOperator(calc_capnp.Calculator.Server):  # type: ignore[misc, name-defined]
    """getOperator's results hold no capability (a null func): no Finish is needed for them."""

    async def getOperator(self, op: Any, _context: Any, **kwargs: Any) -> Any:
        return None

    async def evaluate(self, expression: Any, _context: Any, **kwargs: Any) -> Any:
        if expression.which() == "call" and capnp.is_null_capability(expression.call.function):
            raise ValueError("no function")
        return Val(expression.literal)


class Val(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    def __init__(self, v: float) -> None:
        self.v = v

    async def read(self, **kwargs: Any) -> float:
        return self.v


def test_a_capability_pipelined_on_results_without_any_arrives_null() -> None:
    """The call passing ``func`` goes out before getOperator's Return comes back: the server
    has already forgotten getOperator's answer (noFinishNeeded) and reads the param as null,
    failing only that call."""

    async def main() -> None:
        a, b = capnp.memory_pair()
        server = capnp.TwoPartyServer(capnp.AsyncIoStream(b), bootstrap=NoOperator())
        client = capnp.TwoPartyClient(capnp.AsyncIoStream(a))
        calc = client.bootstrap().cast_as(calc_capnp.Calculator)
        await calc.evaluate({"literal": 0.0})  # bootstrap done
        with pytest.raises(RpcError, match="no function"):
            await call_request(calc, calc.getOperator(op="add").func, 1, 2).send()
        assert (await calc.evaluate({"literal": 4.0}).value.read()).value == 4.0  # still connected
        await client.close()
        await server.close()

    asyncio.run(asyncio.wait_for(main(), 20))
