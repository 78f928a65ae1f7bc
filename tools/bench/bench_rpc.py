"""RPC benchmark over loopback TCP: capnp_lite.aio against pycapnp, each server in its own process.

    python tools/bench/bench_rpc.py [--calls 10000] [--latency-calls 2000] [--runs 3] [--ref-python PY]

Measures the latency of one trivial call (``Value.read`` on a held
capability), the throughput of many calls with up to ``--window`` in flight,
and a chain of three dependent calls (getOperator -> evaluate -> read),
pipelined in one round trip and awaited step by step.  Each library runs
``--runs`` times, alternating with the other (a fresh server and client each
time), and each figure is the median of its runs: on a shared machine single
runs of a few hundred round trips vary by 10-30%.  Run under PyPy, ours runs there and
pycapnp's side in a CPython that has it (``--ref-python``, default ``.venv/bin/python``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any, Dict, List

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PEERS = os.path.join(ROOT, "tests", "aio")
sys.path.insert(0, PEERS)


async def measure(capnp: Any, port: int, calls: int, latency_calls: int, window: int) -> Dict[str, float]:
    from calculator_pycapnp_server import SCHEMA, call_request

    calculator = capnp.load(SCHEMA)
    stream = await capnp.AsyncIoStream.create_connection(host="127.0.0.1", port=port)
    calc = capnp.TwoPartyClient(stream).bootstrap().cast_as(calculator.Calculator)
    value = (await calc.evaluate({"literal": 1.0})).value
    # PyPy's JIT (in both processes) needs thousands of rounds of each pattern before it is
    # compiled: a steady state is what is compared, so there each one is run first, unmeasured.
    warm = 100 if sys.implementation.name == "pypy" else 0

    async def one_by_one(n: int) -> None:
        for _ in range(n):
            await value.read()

    async def many(n: int) -> None:
        done = 0
        while done < n:
            k = min(window, n - done)
            await asyncio.gather(*[value.read() for _ in range(k)])
            done += k

    async def pipelined_chains(n: int) -> None:
        for _ in range(n):
            await call_request(calc, calc.getOperator(op="add").func, 1, 2).send().value.read()

    async def awaited_chains(n: int) -> None:
        for _ in range(n):
            func = (await calc.getOperator(op="add")).func
            v = (await call_request(calc, func, 1, 2).send()).value
            await v.read()

    async def timed(run: Any, n: int) -> float:
        await run(max(200, n // 10) if not warm else n * warm // 10)  # warm up
        t0 = time.perf_counter()
        await run(n)
        return time.perf_counter() - t0

    rounds = max(50, latency_calls // 4)
    latency = await timed(one_by_one, latency_calls) / latency_calls
    throughput = calls / await timed(many, calls)
    pipelined = await timed(pipelined_chains, rounds) / rounds
    awaited = await timed(awaited_chains, rounds) / rounds
    return {"latency_us": latency * 1e6, "throughput_cps": throughput,
            "chain_pipelined_us": pipelined * 1e6, "chain_awaited_us": awaited * 1e6}


def client_main(args: argparse.Namespace) -> None:
    from calculator_pycapnp_server import import_lib

    capnp = import_lib(args.client)
    result = asyncio.run(capnp.run(measure(capnp, args.port, args.calls, args.latency_calls, args.window)))
    print(json.dumps(result))


def ref_python(args: argparse.Namespace) -> str:
    """The interpreter pycapnp's side runs in: ``--ref-python``, else this one when it has
    pycapnp, else the repository's ``.venv`` (so a run on PyPy compares with pycapnp on
    CPython, side by side)."""
    if args.ref_python:
        return str(args.ref_python)
    try:
        import capnp  # type: ignore[import-untyped, import-not-found, unused-ignore]  # noqa: F401
        return sys.executable
    except ImportError:
        venv = os.path.join(ROOT, ".venv", "bin", "python")
        return venv if os.path.exists(venv) else sys.executable


def run_lib(lib: str, args: argparse.Namespace) -> Dict[str, float]:
    python = ref_python(args) if lib == "pycapnp" else sys.executable
    server = subprocess.Popen([python, os.path.join(PEERS, "calculator_pycapnp_server.py"), "--lib", lib],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline().split()[1])
        out = subprocess.run([python, __file__, "--client", lib, "--port", str(port),
                              "--calls", str(args.calls), "--latency-calls", str(args.latency_calls),
                              "--window", str(args.window)], capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"the {lib} client failed:\n{out.stdout}{out.stderr}")
        return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
    finally:
        server.kill()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--client", choices=["lite", "pycapnp"])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--calls", type=int, default=10000)
    parser.add_argument("--latency-calls", type=int, default=2000)
    parser.add_argument("--window", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ref-python", default=None,
                        help="interpreter for pycapnp's side (default: this one if it has pycapnp, "
                             "else .venv/bin/python)")
    args = parser.parse_args()
    if args.client:
        client_main(args)
        return
    runs: Dict[str, List[Dict[str, float]]] = {"lite": [], "pycapnp": []}
    for _ in range(args.runs):
        for lib in runs:
            runs[lib].append(run_lib(lib, args))
    impl = f"{sys.implementation.name} {sys.version.split()[0]}"
    print(f"capnp_lite on {impl}; pycapnp through {ref_python(args)}")
    print(f"{'metric':22} {'capnp_lite':>12} {'pycapnp':>12} {'ratio':>8}   ratio of each run")
    for key in ("latency_us", "throughput_cps", "chain_pipelined_us", "chain_awaited_us"):
        a = statistics.median(r[key] for r in runs["lite"])
        b = statistics.median(r[key] for r in runs["pycapnp"])
        each = " ".join(f"{x[key] / y[key]:.2f}" for x, y in zip(runs["lite"], runs["pycapnp"]))
        print(f"{key:22} {a:12.1f} {b:12.1f} {a / b:8.2f}   {each}")


if __name__ == "__main__":
    main()
