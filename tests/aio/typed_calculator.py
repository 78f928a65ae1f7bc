"""The calculator sample on the typed, generated-code API: a server, and client checks.

The same checks as ``calculator_pycapnp_client.py`` (which uses the dynamic
API), written against ``capnp_lite.generated.calculator_capnp``.
"""

from __future__ import annotations

import asyncio
from typing import Callable, Dict, List, Optional, Sequence

from capnp_lite.aio import Capability
from capnp_lite.aio.typed import TypedCallContext
from capnp_lite.errors import RpcError
from capnp_lite.generated import calculator_capnp as c

Expr = c.Calculator_Expression_Reader
ExprB = c.Calculator_Expression_Builder
Which = c.Calculator_Expression_Which
Op = c.Calculator_Operator


# --- server ---------------------------------------------------------------------------------------


class ValueImpl(c.Calculator_Value_Server):
    def __init__(self, value: float) -> None:
        self.value = value

    async def read(self, context: TypedCallContext[c.Calculator_Value_read_Params_Reader,
                                                   c.Calculator_Value_read_Results_Builder]) -> None:
        context.results.value = self.value


def keep_caps(expr: Expr, read: Callable[[Optional[int]], Optional[Capability]],
              out: Dict[int, Capability]) -> None:
    """Read every capability an expression refers to (to keep them beyond the call)."""
    which = expr.which()
    index: Optional[int] = None
    if which == Which.previousResult:
        index = expr.previousResult
    elif which == Which.call:
        index = expr.call.function
        for p in expr.call.params:
            keep_caps(p, read, out)
    if index is not None and index not in out:
        cap = read(index)
        if cap is None:
            raise RpcError("null capability in expression")
        out[index] = cap


async def evaluate(expr: Expr, caps: Dict[int, Capability], params: Sequence[float] = ()) -> float:
    which = expr.which()
    if which == Which.literal:
        return expr.literal
    if which == Which.previousResult:
        index = expr.previousResult
        assert index is not None
        response = await c.Calculator_Value_Client(caps[index]).read()
        return response.results.value
    if which == Which.parameter:
        if expr.parameter >= len(params):
            raise ValueError("parameter index out of range")
        return params[expr.parameter]
    call = expr.call
    values = await asyncio.gather(*[evaluate(p, caps, params) for p in call.params])
    assert call.function is not None
    fn = c.Calculator_Function_Client(caps[call.function])
    request = fn.call_request()
    request.params.params = list(values)
    return (await request.send()).results.value


class FunctionImpl(c.Calculator_Function_Server):
    def __init__(self, param_count: int, body: Expr, caps: Dict[int, Capability]) -> None:
        self.param_count = param_count
        self.body = body  # a reader over the defFunction call's message, which stays in memory
        self.caps = caps  # the body's capabilities, read out of the call's params

    async def call(self, context: TypedCallContext[c.Calculator_Function_call_Params_Reader,
                                                   c.Calculator_Function_call_Results_Builder]) -> None:
        params = list(context.params.params)
        if len(params) != self.param_count:
            raise ValueError("wrong number of parameters")
        context.results.value = await evaluate(self.body, self.caps, params)


class OperatorImpl(c.Calculator_Function_Server):
    def __init__(self, op: Op) -> None:
        self.op = op

    async def call(self, context: TypedCallContext[c.Calculator_Function_call_Params_Reader,
                                                   c.Calculator_Function_call_Results_Builder]) -> None:
        params = context.params.params
        if len(params) != 2:
            raise ValueError("operators take two parameters")
        a, b = params[0], params[1]
        if self.op == Op.add:
            context.results.value = a + b
        elif self.op == Op.subtract:
            context.results.value = a - b
        elif self.op == Op.multiply:
            context.results.value = a * b
        else:
            context.results.value = a / b


class CalculatorImpl(c.Calculator_Server):
    async def evaluate(self, context: TypedCallContext[c.Calculator_evaluate_Params_Reader,
                                                       c.Calculator_evaluate_Results_Builder]) -> None:
        caps: Dict[int, Capability] = {}
        expr = context.params.expression
        keep_caps(expr, context.params_cap, caps)
        try:
            value = await evaluate(expr, caps)
        finally:
            for cap in caps.values():
                cap.close()
        context.results.value = context.add_cap(ValueImpl(value))

    async def defFunction(self, context: TypedCallContext[c.Calculator_defFunction_Params_Reader,
                                                          c.Calculator_defFunction_Results_Builder]) -> None:
        caps: Dict[int, Capability] = {}
        body = context.params.body
        keep_caps(body, context.params_cap, caps)
        context.results.func = context.add_cap(FunctionImpl(context.params.paramCount, body, caps))

    async def getOperator(self, context: TypedCallContext[c.Calculator_getOperator_Params_Reader,
                                                          c.Calculator_getOperator_Results_Builder]) -> None:
        context.results.func = context.add_cap(OperatorImpl(context.params.op))


# --- client checks --------------------------------------------------------------------------------


def literal(value: float) -> ExprB:
    e = ExprB()
    e.literal = value
    return e


def parameter(index: int) -> ExprB:
    e = ExprB()
    e.parameter = index
    return e


def call_expr(add_cap: Callable[[object], int], fn: object, params: List[ExprB]) -> ExprB:
    e = ExprB()
    group = e.init_call()
    group.function = add_cap(fn)
    group.params = params
    return e


def operator(calc: c.Calculator_Client, op: Op) -> c.Calculator_Function_Client:
    request = calc.getOperator_request()
    request.params.op = op
    return request.send().client(c.Calculator_Function_Client, 0)


class PowerFunction(c.Calculator_Function_Server):
    """A function of the client, called back by the server."""

    def __init__(self) -> None:
        self.calls = 0

    async def call(self, context: TypedCallContext[c.Calculator_Function_call_Params_Reader,
                                                   c.Calculator_Function_call_Results_Builder]) -> None:
        self.calls += 1
        context.results.value = float(pow(context.params.params[0], context.params.params[1]))


async def check_all(calc: c.Calculator_Client, log: Optional[List[str]] = None) -> None:
    done = log if log is not None else []

    # 1. a literal, read pipelined on the unawaited evaluate
    request = calc.evaluate_request()
    request.params.expression = literal(123.0)
    with request.send().client(c.Calculator_Value_Client, 0) as value:
        assert (await value.read()).results.value == 123.0
    # the same through the generated promise's pipeline property
    params = c.Calculator_evaluate_Params_Builder()
    params.expression = literal(7.5)
    with calc.evaluate(params).value as value:
        assert (await value.read()).results.value == 7.5
    done.append("literal")

    # 2. getOperator returns a capability, then called directly and inside an expression
    add = operator(calc, Op.add)
    subtract = operator(calc, Op.subtract)
    multiply = operator(calc, Op.multiply)
    fcall = add.call_request()
    fcall.params.params = [2.0, 3.5]
    assert (await fcall.send()).results.value == 5.5
    request = calc.evaluate_request()
    request.params.expression = call_expr(request.add_cap, subtract, [literal(123), literal(45)])
    evaluated = await request.send()
    with evaluated:
        value_client = evaluated.client(c.Calculator_Value_Client, evaluated.results.value)
        assert value_client is not None
        with value_client:
            assert (await value_client.read()).results.value == 78
    done.append("operator")

    # 3. previousResult: the Value of an evaluation not awaited yet, inside another one
    request = calc.evaluate_request()
    request.params.expression = call_expr(request.add_cap, multiply, [literal(4), literal(6)])
    first = request.send().cap(0)
    request = calc.evaluate_request()
    prev = ExprB()
    prev.previousResult = request.add_cap(first)
    request.params.expression = call_expr(request.add_cap, add, [prev, literal(3)])
    with request.send().client(c.Calculator_Value_Client, 0) as value:
        assert (await value.read()).results.value == 27
    first.close()
    done.append("previousResult")

    # 4. defFunction: f(x, y) = x * 100 + y, g(x) = f(x, x + 1) * 2
    define = calc.defFunction_request()
    define.params.paramCount = 2
    define.params.body = call_expr(define.add_cap, add, [
        call_expr(define.add_cap, multiply, [parameter(0), literal(100)]), parameter(1)])
    f = define.send().client(c.Calculator_Function_Client, 0)
    define = calc.defFunction_request()
    define.params.paramCount = 1
    define.params.body = call_expr(define.add_cap, multiply, [
        call_expr(define.add_cap, f, [parameter(0), call_expr(define.add_cap, add, [parameter(0), literal(1)])]),
        literal(2)])
    g = define.send().client(c.Calculator_Function_Client, 0)
    request = calc.evaluate_request()
    request.params.expression = call_expr(request.add_cap, g, [literal(12)])
    with request.send().client(c.Calculator_Value_Client, 0) as value:
        assert (await value.read()).results.value == (12 * 100 + 13) * 2
    done.append("defFunction")

    # 5. a typed server object of the client, passed to the server and called back
    power = PowerFunction()
    request = calc.evaluate_request()
    request.params.expression = call_expr(request.add_cap, power, [
        literal(2), call_expr(request.add_cap, add, [literal(4), literal(5)])])
    with request.send().client(c.Calculator_Value_Client, 0) as value:
        assert (await value.read()).results.value == 512
    assert power.calls == 1
    done.append("callback")

    # 6. a server error arrives as RpcError with its message
    request = calc.evaluate_request()
    request.params.expression = call_expr(request.add_cap, add, [literal(1)])
    try:
        with request.send().client(c.Calculator_Value_Client, 0) as value:
            await value.read()
    except RpcError as exc:
        assert "two parameters" in str(exc), str(exc)
    else:
        raise AssertionError("an operator called with one parameter should fail")
    done.append("errors")

    # 7. many concurrent pipelined evaluations
    values = []
    for i in range(50):
        request = calc.evaluate_request()
        request.params.expression = call_expr(request.add_cap, add, [literal(i), literal(0.5)])
        values.append(request.send().client(c.Calculator_Value_Client, 0))
    results = await asyncio.gather(*[v.read() for v in values])
    assert [r.results.value for r in results] == [i + 0.5 for i in range(50)]
    for v in values:
        v.close()
    done.append("concurrent")

    for client in (add, subtract, multiply, f, g):
        client.close()
