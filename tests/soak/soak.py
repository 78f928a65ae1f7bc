"""A bounded soak of the RPC stack over loopback TCP: many connections, many calls in flight.

``run_soak`` opens ``connections`` TCP connections to one calculator server in this process and
keeps ``calls_per_connection`` calls in flight on each at once: plain calls, pipelined calls on
unanswered results, functions defined on the server and called (capabilities passed back), client
functions the server calls back, and calls cancelled before they return. When everything has
settled and every capability is released, no table on either side may hold an entry, and (on
CPython) traced memory must come back near where it started.

Run ``python -m tests.soak.soak`` for the figures; ``tests/soak/test_soak.py`` checks them.
"""

from __future__ import annotations

import asyncio
import gc
import platform
import sys
import time
from typing import Any, Dict, List

import capnp_lite.aio as capnp
from capnp_lite.rpc.connection import RpcConnection

from tests.aio.calculator_pycapnp_server import SCHEMA, make_impl

calculator = capnp.load(SCHEMA)
CalculatorImpl = make_impl(capnp, calculator)


class Doubler(calculator.Calculator.Function.Server):  # type: ignore[misc,name-defined]
    """A client-side function the server calls back."""

    async def call(self, params: Any, _context: Any, **kwargs: Any) -> float:
        return 2.0 * float(params[0])


def table_sizes(conn: RpcConnection) -> Dict[str, int]:
    return {
        "questions": len(conn.questions),
        "answers": len(conn.answers),
        "exports": len(conn.exports),
        "imports": len(conn.imports),
        "embargoes": len(conn.embargoes),
    }


def _conn_of(session: capnp.Session) -> RpcConnection:
    conn = session._conn  # the sans-I/O core the session drives
    assert isinstance(conn, RpcConnection)
    return conn


async def _one_connection(port: int, calls: int, report: Dict[str, int]) -> capnp.Session:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    session = capnp.Session(capnp.StreamTransport(reader, writer))
    calc = session.bootstrap().cast_as(calculator.Calculator)
    add = calc.getOperator(op="add").func  # pipelined: used before getOperator returns
    square = (await calc.defFunction(
        paramCount=1,
        body={"call": {"function": calc.getOperator(op="multiply").func,
                       "params": [{"parameter": 0}, {"parameter": 0}]}},
    )).func
    doubler = Doubler()
    work: List[Any] = []
    cancelled = []
    for i in range(calls):
        kind = i % 5
        if kind == 0:  # pipelined read on an unanswered evaluate
            work.append(calc.evaluate(expression={"literal": float(i)}).value.read())
        elif kind == 1:  # a capability obtained by pipelining, called through the server
            work.append(calc.evaluate(expression={"call": {
                "function": add, "params": [{"literal": 1.0}, {"literal": float(i)}]}}).value.read())
        elif kind == 2:  # a server-defined function (a capability returned earlier)
            work.append(square.call(params=[float(i)]))
        elif kind == 3:  # a client function the server calls back
            work.append(calc.evaluate(expression={"call": {
                "function": doubler, "params": [{"literal": float(i)}]}}).value.read())
        else:  # cancelled before its answer arrives
            promise = calc.evaluate(expression={"literal": float(i)})
            promise.cancel()
            cancelled.append(promise)
    results = await asyncio.gather(*work)
    expected = []
    for i in range(calls):
        kind = i % 5
        if kind == 0:
            expected.append(float(i))
        elif kind == 1:
            expected.append(1.0 + i)
        elif kind == 2:
            expected.append(float(i) * i)
        elif kind == 3:
            expected.append(2.0 * i)
    got = [float(getattr(r, "value")) for r in results]
    if got != expected:
        raise AssertionError("wrong results on a soak connection")
    report["calls"] += len(work) + 5  # getOperator x2, defFunction, and the calls above
    report["cancelled"] += len(cancelled)
    for cap in (square, add, calc):
        cap.close()
    return session


async def run_soak(connections: int = 100, calls_per_connection: int = 100) -> Dict[str, Any]:
    """Run the soak; returns figures and the table sizes seen on both sides at the end."""
    server_sessions: List[capnp.Session] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server_sessions.append(capnp.Session(capnp.StreamTransport(reader, writer), CalculatorImpl()))

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    tracing = platform.python_implementation() == "CPython"
    if tracing:
        import tracemalloc  # CPython only

        gc.collect()
        tracemalloc.start()
        baseline = tracemalloc.get_traced_memory()[0]
    report = {"calls": 0, "cancelled": 0}
    started = time.perf_counter()
    clients = await asyncio.wait_for(asyncio.gather(*[
        _one_connection(port, calls_per_connection, report) for _ in range(connections)]), 300)
    elapsed = time.perf_counter() - started
    # Let the last Finish and Release messages arrive before looking at the tables.
    rounds = 0
    for _ in range(50):
        rounds += 1
        await asyncio.sleep(0.02)
        if not tracing:
            # Without reference counting (PyPy), promises and clients dropped without close()
            # give their references back when collected: collection is the fallback there.
            gc.collect()
        sizes = [table_sizes(_conn_of(s)) for s in clients + server_sessions]
        if all(not any(t.values()) for t in sizes):
            break
    leftovers = [t for t in sizes if any(t.values())]
    for s in clients + server_sessions:
        await s.close("soak done")
    server.close()
    await server.wait_closed()
    figures: Dict[str, Any] = {
        "connections": connections,
        "calls": report["calls"],
        "cancelled": report["cancelled"],
        "seconds": elapsed,
        "calls_per_second": report["calls"] / elapsed,
        "leftover_tables": leftovers,
        "server_sessions": len(server_sessions),
    }
    if tracing:
        del clients, server_sessions
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures["peak_mib"] = (peak - baseline) / 2**20
        figures["retained_mib"] = (current - baseline) / 2**20
    figures["release_rounds"] = rounds
    return figures


def main() -> int:
    figures = asyncio.run(run_soak())
    for key, value in figures.items():
        if key == "leftover_tables":
            value = f"{len(value)} sessions; first: {value[:1]}"
        print(f"{key:>18}: {value:.2f}" if isinstance(value, float) else f"{key:>18}: {value}")
    return 0 if not figures["leftover_tables"] else 1


if __name__ == "__main__":
    sys.exit(main())
