"""Calculator server for interop tests and benchmarks, written against pycapnp's asyncio API.

Run with ``--lib pycapnp`` (the reference) or ``--lib lite`` (capnp_lite.aio,
the same code unchanged).  Prints ``PORT <n>`` once listening.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "..", "schemas", "calculator.capnp")


def make_impl(capnp: Any, calculator: Any) -> Any:
    class ValueImpl(calculator.Calculator.Value.Server):
        def __init__(self, value: float) -> None:
            self.value = value

        async def read(self, **kwargs: Any) -> float:
            return self.value

    async def evaluate_impl(expression: Any, params: Any = None) -> float:
        which = expression.which()
        if which == "literal":
            return float(expression.literal)
        if which == "previousResult":
            return float((await expression.previousResult.read()).value)
        if which == "parameter":
            if params is None or expression.parameter >= len(params):
                raise ValueError("parameter index out of range")
            return float(params[expression.parameter])
        if which == "call":
            call = expression.call
            values = await asyncio.gather(*[evaluate_impl(p, params) for p in call.params])
            result = await call.function.call(params=list(values))
            return float(result.value)
        raise ValueError(f"unknown expression {which}")

    class FunctionImpl(calculator.Calculator.Function.Server):
        def __init__(self, param_count: int, body: Any) -> None:
            self.param_count = param_count
            self.body = body.as_builder()

        async def call(self, params: Any, _context: Any, **kwargs: Any) -> float:
            if len(params) != self.param_count:
                raise ValueError("wrong number of parameters")
            return await evaluate_impl(self.body, params)

    class OperatorImpl(calculator.Calculator.Function.Server):
        def __init__(self, op: Any) -> None:
            self.op = str(op)

        async def call(self, params: Any, _context: Any, **kwargs: Any) -> float:
            if len(params) != 2:
                raise ValueError("operators take two parameters")
            a, b = params[0], params[1]
            if self.op == "add":
                return a + b
            if self.op == "subtract":
                return a - b
            if self.op == "multiply":
                return a * b
            if self.op == "divide":
                return a / b
            raise ValueError(f"unknown operator {self.op}")

    class CalculatorImpl(calculator.Calculator.Server):
        async def evaluate(self, expression: Any, _context: Any, **kwargs: Any) -> Any:
            return ValueImpl(await evaluate_impl(expression))

        async def defFunction(self, paramCount: int, body: Any, _context: Any, **kwargs: Any) -> Any:
            return FunctionImpl(paramCount, body)

        async def getOperator(self, op: Any, _context: Any, **kwargs: Any) -> Any:
            return OperatorImpl(op)

    return CalculatorImpl


def call_request(calc: Any, function: Any, *literals: float) -> Any:
    """An ``evaluate`` request whose expression calls ``function`` on literal params."""
    request = calc.evaluate_request()
    call = request.expression.init("call")
    call.function = function
    params = call.init("params", len(literals))
    for i, value in enumerate(literals):
        params[i].literal = value
    return request


def import_lib(name: str) -> Any:
    if name == "pycapnp":
        import capnp

        return capnp
    sys.path.insert(0, os.path.join(HERE, "..", ".."))
    import capnp_lite as capnp_lite_top

    return capnp_lite_top


async def serve(capnp: Any, host: str, port: int) -> None:
    calculator = capnp.load(SCHEMA)
    impl = make_impl(capnp, calculator)

    async def new_connection(stream: Any) -> None:
        await capnp.TwoPartyServer(stream, bootstrap=impl()).on_disconnect()

    server = await capnp.AsyncIoStream.create_server(new_connection, host, port)
    sock_port = server.sockets[0].getsockname()[1]
    print(f"PORT {sock_port}", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib", default="pycapnp", choices=["pycapnp", "lite"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    capnp = import_lib(args.lib)
    asyncio.run(capnp.run(serve(capnp, args.host, args.port)))


if __name__ == "__main__":
    main()
