"""Fetch round trips through workerd's debug port vs plain HTTP to workerd's own socket.

Starts a real workerd (from ``npm install``) on the test workers, then times, in one run:

* ``debugport``: ``Target.fetch`` through ``--debug-port`` with capnp-lite's client, one
  request at a time and with many in flight;
* ``plain HTTP``: the same GET to workerd's HTTP socket over one keep-alive connection (one at
  a time) and over several connections at once.

    python tools/bench/bench_debugport.py [--requests N] [--concurrency C]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from typing import Awaitable, Callable, List, Tuple

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from debugport.client import connect  # noqa: E402
from tests.debugport.workerd_fixture import WORKERS, Workerd  # noqa: E402


async def _http_get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> bytes:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return await reader.readexactly(length)


async def plain_http(port: int, n: int, concurrency: int) -> float:
    conns = [await asyncio.open_connection("127.0.0.1", port) for _ in range(concurrency)]
    per = n // concurrency
    start = time.perf_counter()

    async def worker(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        for _ in range(per):
            await _http_get(r, w, "/bench")

    await asyncio.gather(*[worker(r, w) for r, w in conns])
    elapsed = time.perf_counter() - start
    for _, w in conns:
        w.close()
    return per * concurrency / elapsed


async def through_debug_port(address: str, n: int, concurrency: int) -> float:
    client = await connect(address)
    target = client.get_entrypoint("main")
    await (await target.fetch("http://bench/warmup")).read()
    per = n // concurrency
    start = time.perf_counter()

    async def worker() -> None:
        for _ in range(per):
            response = await target.fetch("http://bench/bench")
            await response.read()

    await asyncio.gather(*[worker() for _ in range(concurrency)])
    elapsed = time.perf_counter() - start
    await client.close()
    return per * concurrency / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    rows: List[Tuple[str, float, float]] = []
    with Workerd(WORKERS / "config.capnp", sockets=("http",)) as wd:
        cases: List[Tuple[str, int, Callable[[int], Awaitable[float]]]] = [
            ("one at a time", 1, lambda c: plain_http(wd.http_port, args.requests // 4, c)),
            (f"{args.concurrency} in flight", args.concurrency,
             lambda c: plain_http(wd.http_port, args.requests, c)),
        ]
        for name, conc, plain in cases:
            n = args.requests // 4 if conc == 1 else args.requests
            http_rate = asyncio.run(plain(conc))
            port_rate = asyncio.run(through_debug_port(wd.debug_address, n, conc))
            rows.append((name, port_rate, http_rate))
    print(f"{'fetch round trips/s':<22}{'debug port':>12}{'plain HTTP':>12}{'ratio':>8}")
    for name, port_rate, http_rate in rows:
        print(f"{name:<22}{port_rate:>12.0f}{http_rate:>12.0f}{port_rate / http_rate:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
