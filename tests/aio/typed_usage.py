"""A small typed RPC program, checked by ``mypy --strict`` in test_typed_rpc.py."""

from __future__ import annotations

from typing import Optional

from capnp_lite.aio import Session, memory_pair
from capnp_lite.aio.typed import TypedCallContext
from capnp_lite.generated import calculator_capnp as c


class Constant(c.Calculator_Value_Server):
    def __init__(self, value: float) -> None:
        self.value = value

    async def read(self, context: TypedCallContext[c.Calculator_Value_read_Params_Reader,
                                                   c.Calculator_Value_read_Results_Builder]) -> None:
        context.results.value = self.value


class Literals(c.Calculator_Server):
    async def evaluate(self, context: TypedCallContext[c.Calculator_evaluate_Params_Reader,
                                                       c.Calculator_evaluate_Results_Builder]) -> None:
        expression: c.Calculator_Expression_Reader = context.params.expression
        context.results.value = context.add_cap(Constant(expression.literal))


async def main() -> float:
    a, b = memory_pair()
    server = Session(b, Literals())
    client = Session(a)
    calc = c.Calculator_Client(client.bootstrap())
    request = calc.evaluate_request()
    request.params.expression.literal = 2.5
    value_client: c.Calculator_Value_Client = request.send().client(c.Calculator_Value_Client, 0)
    response = await value_client.read()
    value: float = response.results.value
    maybe: Optional[int] = (await calc.evaluate(request.params)).results.value
    assert maybe is not None
    piped: c.Calculator_Value_Client = calc.evaluate(request.params).value  # pipelined, typed
    assert (await piped.read()).results.value == 2.5
    piped.close()
    again = calc.evaluate_request()
    again.params.expression.literal = 1.0
    also: c.Calculator_Value_Client = again.send().value  # the request's send() is typed too
    assert (await also.read()).results.value == 1.0
    also.close()
    value_client.close()
    calc.close()
    await client.close()
    await server.close()
    return value
