"""Server classes made on the fly are not kept alive by the session's per-class lookups."""

from __future__ import annotations

import asyncio
import gc
import os
import weakref
from typing import Any, List

import capnp_lite.aio as capnp

HERE = os.path.dirname(os.path.abspath(__file__))
calc = capnp.load(os.path.join(HERE, "..", "..", "schemas", "calculator.capnp"))


def test_classes_made_per_call_are_collected() -> None:
    refs: List["weakref.ref[type]"] = []

    class Calc(calc.Calculator.Server):  # type: ignore[misc, name-defined]
        async def evaluate(self, expression: Any, _context: Any, **kwargs: Any) -> Any:
            # A fresh class per call, as servers that close over per-event state do.
            class Value(calc.Calculator.Value.Server):  # type: ignore[misc, name-defined]
                async def read(self, **kw: Any) -> float:
                    return float(expression.literal)

            refs.append(weakref.ref(Value))
            return Value()

    async def main() -> None:
        a, b = capnp.memory_pair()
        server = capnp.Session(b, Calc())
        client = capnp.Session(a)
        c = client.bootstrap().cast_as(calc.Calculator)
        for k in range(20):
            value = c.evaluate({"literal": float(k)}).value
            assert (await value.read()).value == k
            value.close()
        c.close()
        await client.close()
        await server.close()

    asyncio.run(asyncio.wait_for(main(), 20))
    gc.collect()
    assert len(refs) == 20
    alive = [r for r in refs if r() is not None]
    assert len(alive) <= 1, f"{len(alive)} server classes still alive"
