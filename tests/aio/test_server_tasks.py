"""A server method's first step runs inside a task with the default transports.

Code that needs the current task (``asyncio.timeout``, ``wait_for`` on 3.12+,
``TaskGroup``) works as a method's very first statement over the transports
the pycapnp-style API makes and the in-memory pair (push transports, an opt-in,
document that it does not; see ``Transport.attach``).
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any, Awaitable, Callable, List, Optional

import pytest

import capnp_lite.aio as capnp
from capnp_lite.aio.transport import memory_pair

HERE = os.path.dirname(os.path.abspath(__file__))
calc_capnp = capnp.load(os.path.join(HERE, "..", "..", "schemas", "calculator.capnp"))

SEEN: List[Optional["asyncio.Task[Any]"]] = []


class Value(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    """Reads under a timeout taken before anything else, and records its task."""

    async def read(self, **kwargs: Any) -> float:
        SEEN.append(asyncio.current_task())
        return await asyncio.wait_for(self._slow(), 5)

    async def _slow(self) -> float:
        await asyncio.sleep(0)
        return 4.5


class TimedValue(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    async def read(self, **kwargs: Any) -> float:
        async with asyncio.timeout(5):  # type: ignore[attr-defined, unused-ignore]
            return 1.5


class Calc(calc_capnp.Calculator.Server):  # type: ignore[misc, name-defined]
    def __init__(self, value: Any) -> None:
        self.value = value

    async def evaluate(self, expression: Any, _context: Any, **kwargs: Any) -> Any:
        return self.value


def run(coro_fn: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(coro_fn(), 20))


async def _tcp_pair(bootstrap: Any) -> Any:
    served: List[Any] = []

    async def on_client(stream: Any) -> None:
        server = capnp.TwoPartyServer(stream, bootstrap=bootstrap)
        served.append(server)
        await server.on_disconnect()

    listener: Any = await capnp.AsyncIoStream.create_server(on_client, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    client = capnp.TwoPartyClient(await capnp.AsyncIoStream.create_connection(host="127.0.0.1", port=port))
    return listener, client


@pytest.mark.parametrize("over", ["tcp", "memory"])
def test_wait_for_as_the_first_statement(over: str) -> None:
    async def main() -> None:
        SEEN.clear()
        if over == "tcp":
            listener, client = await _tcp_pair(Calc(Value()))
        else:
            a, b = memory_pair()
            server = capnp.TwoPartyServer(capnp.AsyncIoStream(b), bootstrap=Calc(Value()))
            client = capnp.TwoPartyClient(capnp.AsyncIoStream(a))
        calc = client.bootstrap().cast_as(calc_capnp.Calculator)
        value = calc.evaluate({"literal": 0.0}).value
        results = await asyncio.gather(*[value.read() for _ in range(20)])
        assert {r.value for r in results} == {4.5}
        assert len(SEEN) == 20 and all(t is not None for t in SEEN)
        await client.close()
        if over == "tcp":
            listener.close()
            await listener.wait_closed()
        else:
            await server.close()

    run(main)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.timeout is new in Python 3.11")
def test_asyncio_timeout_as_the_first_statement() -> None:
    async def main() -> None:
        listener, client = await _tcp_pair(Calc(TimedValue()))
        calc = client.bootstrap().cast_as(calc_capnp.Calculator)
        assert (await calc.evaluate({"literal": 0.0}).value.read()).value == 1.5
        await client.close()
        listener.close()
        await listener.wait_closed()

    run(main)
