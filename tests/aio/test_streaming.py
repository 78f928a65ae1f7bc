"""Streaming methods (``-> stream``): the client honours the flow-control window by itself."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, List

import pytest

import capnp_lite
import capnp_lite.aio as aio
from capnp_lite.errors import CapnpError, RpcError
from tests.aio.support import run

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schemas")

SINK = """
@0xd3a1c5e2b4f60718;
using Stream = import "/capnp/stream.capnp";
interface Sink {
  write @0 (chunk :Data) -> stream;
  done @1 () -> (total :UInt64);
}
"""


@pytest.fixture(scope="module")
def sink_capnp(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("schema") / "sink.capnp"
    path.write_text(SINK)
    return capnp_lite.load(str(path), [SCHEMAS])


def make_sink(sink_capnp: Any, gate: asyncio.Event, fail_at: int = -1) -> Any:
    class Sink(sink_capnp.Sink.Server):
        def __init__(self) -> None:
            self.total = 0
            self.calls = 0

        async def write(self, chunk: bytes, **kwargs: Any) -> None:
            await gate.wait()
            self.calls += 1
            if self.calls == fail_at:
                raise ValueError("disk full")
            self.total += len(chunk)

        async def done(self, **kwargs: Any) -> int:
            return self.total

    return Sink()


def test_await_blocks_while_the_window_is_full_then_resumes(sink_capnp: Any) -> None:
    async def main() -> None:
        gate = asyncio.Event()
        a, b = aio.memory_pair()
        srv = aio.Session(b, make_sink(sink_capnp, gate))
        cli = aio.Session(a, stream_window=2000)
        sink = cli.bootstrap().cast_as(sink_capnp.Sink)
        chunk = b"x" * 400
        completed: List[int] = []

        async def producer() -> None:
            for i in range(20):
                await sink.write(chunk)
                completed.append(i)

        task = asyncio.ensure_future(producer())
        for _ in range(50):
            await asyncio.sleep(0)
        # The server has not run any write yet: the producer must be stuck once the
        # bytes in flight exceed the window (each call carries 400+ bytes).
        assert not task.done()
        assert 2 <= len(completed) <= 5, completed
        assert sink._stream_in_flight > 2000
        gate.set()
        await task
        assert completed == list(range(20))
        assert (await sink.done()).total == 20 * 400
        await cli.close()
        await srv.wait_closed()

    run(main)


def test_a_failed_streaming_call_is_raised_by_a_later_await(sink_capnp: Any) -> None:
    async def main() -> None:
        gate = asyncio.Event()
        gate.set()
        a, b = aio.memory_pair()
        srv = aio.Session(b, make_sink(sink_capnp, gate, fail_at=3))
        cli = aio.Session(a, stream_window=1 << 16)
        sink = cli.bootstrap().cast_as(sink_capnp.Sink)
        with pytest.raises(RpcError, match="disk full"):
            for _ in range(200):
                await sink.write(b"y" * 100)
                await asyncio.sleep(0)
        await cli.close()
        await srv.wait_closed()

    run(main)


def test_top_level_names_match_pycapnp() -> None:
    import capnp_lite as capnp

    for name in ("load", "TwoPartyClient", "TwoPartyServer", "AsyncIoStream", "KjException", "run",
                 "kj_loop", "_DynamicStructReader", "_DynamicStructBuilder"):
        assert getattr(capnp, name) is not None, name
    assert capnp.KjException is CapnpError
    assert issubclass(RpcError, capnp.KjException)
    with pytest.raises(AttributeError):
        getattr(capnp, "no_such_name")


def test_dynamic_interface_server_base(sink_capnp: Any) -> None:
    server = sink_capnp.Sink.Server
    assert server is sink_capnp.Sink.Server  # one base class per interface
    assert server._capnp_schema is sink_capnp.Sink.schema
