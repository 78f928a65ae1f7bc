"""Machine instructions per call of bench_struct's cases, counted under callgrind.

    python tools/bench/bench_instructions.py [--case NAME ...] [--api generated|dynamic|pycapnp ...]
                                             [--scale K] [--rpc]

Timings on a shared machine move by 10-50% from one run to the next, far more
than most changes to a hot path.  Instruction counts do not: valgrind's
callgrind counts every machine instruction the interpreter retires, the same
for the same code and input whatever else the machine is doing (string hashing
is pinned with PYTHONHASHSEED=0).  Each figure is the difference between a run
of 2N calls and a run of N calls, divided by N, so start-up (interpreter,
imports, schema compiling, the first call's caches) cancels out.

Use it to compare two versions of our code on one case: fewer instructions is
faster, as surely as anything can be measured here.  The column for pycapnp
is for scale only: its C++ retires more instructions per cycle than the
interpreter's loop, so an instruction ratio is not a time ratio (the
benchmark's floors are time ratios, from bench_struct.py).

``--rpc`` adds two RPC cases, counted in one process over an in-memory pair (both
ends of each round trip, ours only): a trivial call and the calculator's pipelined
chain of three calls, the patterns of bench_rpc.py without the sockets.

Needs ``valgrind`` (Debian's package); each figure takes two runs of some
seconds to a minute.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from typing import Any, Callable, Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench_struct  # noqa: E402

APIS = ("generated", "dynamic", "pycapnp")

# Calls per measured run (the second run makes twice as many), per case: enough that
# the difference dwarfs any noise of start-up, few enough for a run of seconds under
# valgrind, which runs Python some fifty times slower.
CALLS = {
    "small build+serialize": 2000,
    "small parse+read all": 2000,
    "nested build+serialize": 20,
    "nested build+serialize packed": 20,
    "nested parse+read all": 20,
    "nested parse+read all packed": 20,
    "single field read": 20000,
    "nested build from dicts": 20,
    "small build from keywords": 2000,
}


# RPC round trips in one process (both sessions over an in-memory pair, the calculator
# of tests/aio): our code only (pycapnp has no in-memory pair), counted the same way.
RPC_CALLS = {
    "rpc trivial call, both ends": 200,
    "rpc pipelined chain of 3, both ends": 50,
}


def rpc_child(case: str, calls: int) -> int:
    """Run ``calls`` round trips of ``case`` after a warm-up (the process callgrind counts)."""
    import asyncio

    root = os.path.dirname(os.path.dirname(HERE))
    sys.path.insert(0, root)
    sys.path.insert(0, os.path.join(root, "tests", "aio"))
    import capnp_lite
    from calculator_pycapnp_server import SCHEMA, call_request, make_impl  # type: ignore[import-not-found]

    from capnp_lite.aio import Session, memory_pair

    async def main() -> None:
        calculator = capnp_lite.load(SCHEMA)
        a, b = memory_pair(push=True)
        Session(b, bootstrap=make_impl(capnp_lite, calculator)())
        calc = Session(a).bootstrap().cast_as(calculator.Calculator)
        value = (await calc.evaluate({"literal": 1.0})).value

        async def run(n: int) -> None:
            for _ in range(n):
                if case.startswith("rpc trivial"):
                    await value.read()
                else:
                    await call_request(calc, calc.getOperator(op="add").func, 1, 2).send().value.read()
        await run(50)  # caches, specialization, the session's parked task
        await run(calls)

    asyncio.run(main())
    return 0


def cases_of(api: str) -> Dict[str, Callable[[], object]]:
    """The case functions of ``api`` (empty when it is not available here)."""
    if api == "generated":
        return bench_struct.ours_cases(bench_struct.load_generated())
    if api == "dynamic":
        mod = bench_struct.load_dynamic()
        return bench_struct.dynamic_cases(mod) if mod is not None else {}
    mod = bench_struct.load_pycapnp()
    return bench_struct.ref_cases(mod) if mod is not None else {}


def child(api: str, case: str, calls: int) -> int:
    """Run ``case`` of ``api`` ``calls`` times (the process callgrind counts)."""
    if case in RPC_CALLS:
        return rpc_child(case, calls) if api == "lite" else 3
    fn = cases_of(api).get(case)
    if fn is None:
        return 3  # not available: no figure
    fn()  # caches, specialization: the same in both runs, so they cancel out
    for _ in range(calls):
        fn()
    return 0


_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def count(api: str, case: str, calls: int) -> Optional[int]:
    """Instructions of one run of ``calls`` calls, or None when the case is not available."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, os.path.abspath(__file__), "--child", api, case, str(calls)],
        capture_output=True, text=True, env=env)
    found = _COLLECTED.search(out.stderr)
    if out.returncode == 3 or found is None:
        return None
    if out.returncode != 0:
        raise SystemExit(f"{api} / {case} failed under valgrind:\n{out.stderr[-2000:]}")
    return int(found.group(1))


def per_call(api: str, case: str, scale: float) -> Optional[int]:
    calls = max(1, int({**CALLS, **RPC_CALLS}[case] * scale))
    once = count(api, case, calls)
    twice = count(api, case, 2 * calls) if once is not None else None
    if once is None or twice is None:
        return None
    return (twice - once) // calls


def main(argv: List[str]) -> int:
    if argv[:1] == ["--child"]:
        return child(argv[1], argv[2], int(argv[3]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", choices=sorted(CALLS),
                        help="a case of bench_struct (default: all); repeatable")
    parser.add_argument("--rpc", action="store_true",
                        help="also count RPC round trips in one process (ours only)")
    parser.add_argument("--api", action="append", choices=APIS,
                        help="generated, dynamic or pycapnp (default: all); repeatable")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply the calls per run (more: slower, the same figures)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    cases: List[str] = args.case or list(CALLS)
    apis: List[str] = args.api or list(APIS)
    impl = f"{sys.implementation.name} {sys.version.split()[0]}"
    print(f"machine instructions per call under callgrind ({impl}; PYTHONHASHSEED=0)")
    print(f"{'case':32}" + "".join(f"{api:>14}" for api in apis))
    for case in cases:
        row: List[Any] = [per_call(api, case, args.scale) for api in apis]
        print(f"{case:32}" + "".join(f"{'-' if v is None else f'{v:,}':>14}" for v in row),
              flush=True)
    if args.rpc:
        for case in RPC_CALLS:
            print(f"{case:40}{per_call('lite', case, args.scale):>14,}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
