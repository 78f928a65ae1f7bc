"""Calculator client for interop tests, written against pycapnp's asyncio API.

Run with ``--lib pycapnp`` or ``--lib lite`` against a calculator server on
``--port``; exits 0 and prints ``ALL OK`` when every check passed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from calculator_pycapnp_server import SCHEMA, call_request, import_lib  # noqa: E402


async def check_all(capnp: Any, calc: Any, calculator: Any) -> None:
    # 1. a literal, pipelined read: one round trip
    response = await calc.evaluate({"literal": 123}).value.read()
    assert response.value == 123, response.value
    print("literal ok", flush=True)

    # 2. getOperator + call expression built with a request builder
    add = calc.getOperator(op="add").func
    subtract = calc.getOperator(op="subtract").func
    multiply = calc.getOperator(op="multiply").func
    response = await call_request(calc, subtract, 123, 45).send().value.read()
    assert response.value == 78, response.value
    print("operator ok", flush=True)

    # 3. previousResult: the Value capability of one evaluation inside another
    request = calc.evaluate_request()
    mul_call = request.expression.init("call")
    mul_call.function = multiply
    params = mul_call.init("params", 2)
    params[0].literal = 4
    params[1].literal = 6
    first = request.send().value
    request = calc.evaluate_request()
    add_call = request.expression.init("call")
    add_call.function = add
    params = add_call.init("params", 2)
    params[0].previousResult = first
    params[1].literal = 3
    response = await request.send().value.read()
    assert response.value == 27, response.value
    print("previousResult ok", flush=True)

    # 4. defFunction: f(x, y) = x * 100 + y, g(x) = f(x, x + 1) * 2
    request = calc.defFunction_request()
    request.paramCount = 2
    add_call = request.body.init("call")
    add_call.function = add
    params = add_call.init("params", 2)
    params[1].parameter = 1
    mul_call = params[0].init("call")
    mul_call.function = multiply
    mparams = mul_call.init("params", 2)
    mparams[0].parameter = 0
    mparams[1].literal = 100
    f = request.send().func

    request = calc.defFunction_request()
    request.paramCount = 1
    mul_call = request.body.init("call")
    mul_call.function = multiply
    params = mul_call.init("params", 2)
    params[1].literal = 2
    f_call = params[0].init("call")
    f_call.function = f
    fparams = f_call.init("params", 2)
    fparams[0].parameter = 0
    add_call = fparams[1].init("call")
    add_call.function = add
    aparams = add_call.init("params", 2)
    aparams[0].parameter = 0
    aparams[1].literal = 1
    g = request.send().func

    request = calc.evaluate_request()
    g_eval = request.expression.init("call")
    g_eval.function = g
    gparams = g_eval.init("params", 1)
    gparams[0].literal = 12
    response = await request.send().value.read()
    assert response.value == (12 * 100 + 13) * 2, response.value
    print("defFunction ok", flush=True)

    # 5. a function implemented here that the server calls back
    class PowerFunction(calculator.Calculator.Function.Server):
        async def call(self, params: Any, _context: Any, **kwargs: Any) -> float:
            return float(pow(params[0], params[1]))

    request = calc.evaluate_request()
    pow_call = request.expression.init("call")
    pow_call.function = PowerFunction()
    params = pow_call.init("params", 2)
    params[0].literal = 2
    add_call = params[1].init("call")
    add_call.function = add
    aparams = add_call.init("params", 2)
    aparams[0].literal = 4
    aparams[1].literal = 5
    response = await request.send().value.read()
    assert response.value == 512, response.value
    print("callback ok", flush=True)

    # 6. errors travel back as exceptions
    request = calc.evaluate_request()
    bad = request.expression.init("call")
    bad.function = add
    bparams = bad.init("params", 1)
    bparams[0].literal = 1
    try:
        await request.send().value.read()
    except capnp.KjException as exc:  # capnp_lite's RpcError is one
        assert "two parameters" in str(exc), str(exc)
        assert exc.type == "FAILED", exc.type  # pycapnp's spelling of the exception type
    else:
        raise AssertionError("an operator called with one parameter should fail")
    print("errors ok", flush=True)

    # 7. many concurrent pipelined evaluations
    reads = []
    for i in range(200):
        reads.append(call_request(calc, add, i, 0.5).send().value.read())
    results = await asyncio.gather(*reads)
    assert [r.value for r in results] == [i + 0.5 for i in range(200)]
    print("concurrent ok", flush=True)


async def run_client(capnp: Any, host: str, port: int) -> None:
    calculator = capnp.load(SCHEMA)
    stream = await capnp.AsyncIoStream.create_connection(host=host, port=port)
    client = capnp.TwoPartyClient(stream)
    calc = client.bootstrap().cast_as(calculator.Calculator)
    await check_all(capnp, calc, calculator)
    print("ALL OK", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib", default="pycapnp", choices=["pycapnp", "lite"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    capnp = import_lib(args.lib)
    asyncio.run(capnp.run(run_client(capnp, args.host, args.port)))


if __name__ == "__main__":
    main()
