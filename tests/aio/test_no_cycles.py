"""A call leaves no reference cycle behind: its objects (answer, context, params, results, the
received message and its task) go as soon as the call is over, not at the next collection of
the oldest generation, which in a busy server costs more than the calls themselves.

Calls that fail are left out: a raised exception's traceback holds the frames that awaited it,
and those hold its future, as everywhere in asyncio."""

from __future__ import annotations

import asyncio
import gc
import os
import platform
from typing import Any, Iterator, List

import pytest

import capnp_lite.aio as capnp
from capnp_lite.aio.transport import memory_pair

from .calculator_pycapnp_server import call_request
from tests.aio.support import run

HERE = os.path.dirname(os.path.abspath(__file__))
calc_capnp = capnp.load(os.path.join(HERE, "..", "..", "schemas", "calculator.capnp"))


class Value(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    def __init__(self, value: float, suspend: bool = False) -> None:
        self.value = value
        self.suspend = suspend

    async def read(self, **kwargs: Any) -> float:
        if self.suspend:
            await asyncio.sleep(0)
        return self.value


class Add(calc_capnp.Calculator.Function.Server):  # type: ignore[misc, name-defined]
    async def call(self, params: Any, _context: Any, **kwargs: Any) -> float:
        return float(params[0] + params[1])


class Calc(calc_capnp.Calculator.Server):  # type: ignore[misc, name-defined]
    async def evaluate(self, expression: Any, _context: Any, **kwargs: Any) -> Any:
        which = expression.which()
        if which == "literal":
            return Value(expression.literal, suspend=expression.literal < 0)
        call = expression.call
        result = await call.function.call(params=[p.literal for p in call.params])
        return Value(result.value)

    async def getOperator(self, op: Any, _context: Any, **kwargs: Any) -> Any:
        return Add()


@pytest.fixture
def no_collection() -> Iterator[List[Any]]:
    """Garbage the collector finds while the test runs, with automatic collection off."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield gc.garbage
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def _cyclic(garbage: List[Any]) -> List[str]:
    gc.collect()
    return sorted({type(o).__name__ for o in garbage if type(o).__module__.startswith("capnp_lite")})


@pytest.mark.skipif(platform.python_implementation() != "CPython",
                    reason="reference cycles only matter where memory is reference counted")
@pytest.mark.parametrize("push", [False, True])
def test_calls_of_every_kind_leave_no_cycle(push: bool, no_collection: List[Any]) -> None:
    async def main() -> None:
        a, b = memory_pair(push=push)
        server = capnp.TwoPartyServer(capnp.AsyncIoStream(b), bootstrap=Calc())
        client = capnp.TwoPartyClient(capnp.AsyncIoStream(a))
        calc = client.bootstrap().cast_as(calc_capnp.Calculator)

        async def chain() -> float:
            request = call_request(calc, calc.getOperator(op="add").func, 1, 2)
            return float((await request.send().value.read()).value)

        for _ in range(3):  # warm up: schemas, method tables, caches
            await chain()
        await asyncio.sleep(0.01)
        gc.collect()
        no_collection.clear()

        value = calc.evaluate({"literal": 1.0}).value
        slow = calc.evaluate({"literal": -1.0}).value
        for _ in range(5):
            assert (await value.read()).value == 1.0  # finishes in its first step
            assert (await slow.read()).value == -1.0  # suspends once
            assert await chain() == 3.0  # pipelined, with a local call on the server
        del value, slow
        await asyncio.sleep(0.01)  # held Finish and Release messages go out
        assert _cyclic(no_collection) == []
        await client.close()
        await server.close()

    run(main)
