"""The assertion every fuzz test makes: documented error only, bounded time and memory."""

from __future__ import annotations

import platform
import time
from typing import Optional

from hypothesis import HealthCheck, settings

from .targets import TARGETS, run_target

CPYTHON = platform.python_implementation() == "CPython"

# Memory a target may use beyond a fixed allowance, per input byte.  Packed
# input legitimately expands (two bytes can stand for 256 zero words), so the
# targets run with small output limits and the fixed allowance covers that.
BASE_BYTES = 8 << 20
PER_INPUT_BYTE = {name: 512 for name in TARGETS}
# A V8 value can open a container per input byte, and the reader holds a job for each open one:
# about 440 bytes on CPython 3.11 to 3.13, 760 on 3.9, whose generator frames are larger.
PER_INPUT_BYTE["v8"] = 800
# A generous wall-clock budget per input: the point is to catch hangs, not to benchmark.
SECONDS_PER_INPUT = 10.0

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)


def check(target: str, data: bytes, seconds: float = SECONDS_PER_INPUT) -> Optional[BaseException]:
    """Run ``target`` on ``data``: only its documented error may escape, in bounded time and memory.

    Returns the documented error (or None) so tests can say more about it.
    """
    limit = BASE_BYTES + PER_INPUT_BYTE[target] * len(data)
    started = time.perf_counter()
    if CPYTHON:
        import tracemalloc  # CPython only: PyPy has no _tracemalloc

        # tracemalloc counts Python allocations only and slows the run; PyPy has none of it.
        tracemalloc.start()
        try:
            err = run_target(target, data, seconds)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak <= limit, (
            f"{target}: {len(data)}-byte input used {peak} bytes of memory (limit {limit}): "
            f"{data[:128].hex()}"
        )
    else:
        err = run_target(target, data, seconds)
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"{target}: input took {elapsed:.1f} s: {data[:128].hex()}"
    if err is not None:
        assert str(err), f"{target}: {type(err).__name__} without a message"
    return err
