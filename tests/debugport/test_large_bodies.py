"""Tens of megabytes through the debug port, streamed both ways without being held whole."""

from __future__ import annotations

import importlib
import platform
from typing import Any, AsyncIterator, Tuple

from debugport.client import DebugPortClient, connect

from .conftest import run
from .workerd_fixture import Workerd

SIZE = 32 * 1024 * 1024
CHUNK = 256 * 1024
TRACING = platform.python_implementation() == "CPython"
# tracemalloc exists on CPython only; on PyPy the tests check the bytes, not the memory.
tracemalloc: Any = importlib.import_module("tracemalloc") if TRACING else None


def _pattern(offset: int, n: int) -> bytes:
    return bytes((offset + i) % 251 for i in range(n)) if n < 251 else (
        bytes(range(251)) * (n // 251 + 2))[offset % 251:offset % 251 + n]


async def _upload(client: DebugPortClient) -> Any:
    async def body() -> AsyncIterator[bytes]:
        for offset in range(0, SIZE, CHUNK):
            yield _pattern(offset, CHUNK)

    resp = await client.get_entrypoint("main").fetch(
        "http://x/count", method="POST", body=body(), body_size=SIZE)
    return await resp.json()


async def _download(client: DebugPortClient) -> Tuple[int, bool]:
    resp = await client.get_entrypoint("main").fetch(f"http://x/generate?bytes={SIZE}")
    seen = 0
    intact = True
    async for chunk in resp:
        if chunk[:64] != _pattern(seen, min(64, len(chunk))):
            intact = False
        seen += len(chunk)
    return seen, intact


async def _measured(shared: Workerd, job: Any) -> Tuple[Any, float]:
    async with await connect(shared.debug_address) as client:
        if TRACING:
            tracemalloc.start()
        try:
            result = await job(client)
            peak = tracemalloc.get_traced_memory()[1] / 2**20 if TRACING else 0.0
        finally:
            if TRACING:
                tracemalloc.stop()
    return result, peak


def test_upload_of_32_mib_is_streamed(shared_workerd: Workerd) -> None:
    counted, peak = run(_measured(shared_workerd, _upload), timeout=240)
    assert counted["bytes"] == SIZE
    assert peak < 24, f"peak traced memory {peak:.1f} MiB: the upload was held whole"


def test_download_of_32_mib_is_streamed(shared_workerd: Workerd) -> None:
    (seen, intact), peak = run(_measured(shared_workerd, _download), timeout=240)
    assert seen == SIZE and intact
    assert peak < 24, f"peak traced memory {peak:.1f} MiB: the download was held whole"
