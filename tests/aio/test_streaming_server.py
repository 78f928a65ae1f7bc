"""The server side of streaming methods (``-> stream``), as the C++ implementation runs them.

Once a call to a streaming method reaches a server object, later calls to that object (any
method, from any caller) wait until it returns, so streaming calls run one at a time and in
order; once one fails, every later call to the object fails with the same exception.
"""

from __future__ import annotations

import asyncio
import gc
import importlib.util
import os
import platform
import sys
from pathlib import Path
from typing import Any, List

import pytest

import capnp_lite
import capnp_lite.aio as aio
from capnp_lite.aio import session as session_module
from capnp_lite.errors import RpcError
from tests.aio.support import run

HERE = os.path.dirname(os.path.abspath(__file__))

SINK = """
@0xc1d2e3f405162740;
interface Sink {
  write @0 (ms :UInt32, tag :UInt32) -> stream;
  log @1 () -> (log :List(Text));
}
interface Hub {
  sink @0 () -> (sink :Sink);
}
"""


@pytest.fixture(scope="module")
def schema_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("schema") / "sink.capnp"
    path.write_text(SINK)
    return str(path)


@pytest.fixture(scope="module")
def sink_capnp(schema_path: str) -> Any:
    return capnp_lite.load(schema_path)


def make_classes(sink_capnp: Any) -> Any:
    class SinkImpl(sink_capnp.Sink.Server):
        """``write`` logs its start and end around a sleep of ``ms``; tag 13 fails."""

        def __init__(self) -> None:
            self.events: List[str] = []

        async def write(self, ms: int, tag: int, **kwargs: Any) -> None:
            self.events.append(f"start{tag}")
            await asyncio.sleep(ms / 1000)
            self.events.append(f"end{tag}")
            if tag == 13:
                raise ValueError("write 13 failed")

        def log(self, **kwargs: Any) -> List[str]:
            self.events.append("log")
            return list(self.events)

    class HubImpl(sink_capnp.Hub.Server):
        def __init__(self) -> None:
            self.sinks: List[Any] = []

        def sink(self, **kwargs: Any) -> Any:
            self.sinks.append(SinkImpl())
            return self.sinks[-1]

    return SinkImpl, HubImpl


async def connect(bootstrap: Any) -> Any:
    a, b = aio.memory_pair()
    server = aio.Session(b, bootstrap)
    client = aio.Session(a)
    return client, server


def test_streaming_calls_run_one_at_a_time_and_nothing_overtakes_them(sink_capnp: Any) -> None:
    SinkImpl, _ = make_classes(sink_capnp)

    async def main() -> None:
        impl = SinkImpl()
        client, server = await connect(impl)
        sink = client.bootstrap().cast_as(sink_capnp.Sink)
        for tag in range(3):
            await sink.write(ms=20, tag=tag)  # the flow-control window lets them overlap
        log = list((await sink.log()).log)  # sent while write 2 runs: it waits for it
        assert log == ["start0", "end0", "start1", "end1", "start2", "end2", "log"]
        assert id(impl) not in _gates_now()  # none left for an object whose calls succeeded
        await client.close()

    run(main)


def _gates_now() -> "set[int]":
    """The keys of the gates alive once garbage is collected (PyPy frees objects only when
    it collects, so other tests' broken objects may linger until then)."""
    gc.collect()
    return set(session_module._GATES)


def test_a_failed_streaming_call_fails_every_later_call_on_the_object(sink_capnp: Any) -> None:
    SinkImpl, HubImpl = make_classes(sink_capnp)

    async def main() -> None:
        hub_impl = HubImpl()
        client, server = await connect(hub_impl)
        hub = client.bootstrap().cast_as(sink_capnp.Hub)
        sink = (await hub.sink()).sink
        await sink.write(ms=0, tag=1)
        bad = sink.write(ms=0, tag=13)  # not awaited: its failure would be lost otherwise
        later = sink.write_request(ms=0, tag=14).send()
        log = sink.log()
        with pytest.raises(RpcError) as info:
            await log
        assert info.value.reason == "ValueError: write 13 failed"
        assert info.value.type == "FAILED"
        # Awaiting a streaming call is flow control; its own result is the call's future.
        for promise in (bad, later):
            failure = promise._question.future.exception()
            assert isinstance(failure, RpcError) and failure.reason == "ValueError: write 13 failed"
        with pytest.raises(RpcError, match="write 13 failed"):
            await sink.log()
        assert hub_impl.sinks[0].events == ["start1", "end1", "start13", "end13"]  # nothing ran after
        # Only that object: the connection and its other capabilities go on.
        other = (await hub.sink()).sink
        await other.write(ms=0, tag=2)
        assert list((await other.log()).log) == ["start2", "end2", "log"]
        assert client.is_open and server.is_open
        # The broken object's gate lives as long as the object, no longer.
        broken = id(hub_impl.sinks[0])
        assert broken in _gates_now() and id(hub_impl.sinks[1]) not in _gates_now()
        sink.close()
        other.close()
        await asyncio.sleep(0.01)
        hub_impl.sinks.clear()
        assert broken not in _gates_now()
        await client.close()

    run(main)


def test_calls_from_other_connections_and_local_clients_wait_too(sink_capnp: Any) -> None:
    SinkImpl, _ = make_classes(sink_capnp)

    async def main() -> None:
        impl = SinkImpl()
        client1, _ = await connect(impl)
        client2, _ = await connect(impl)  # the same object served on a second connection
        local = sink_capnp.Sink._new_client(impl)
        sink1 = client1.bootstrap().cast_as(sink_capnp.Sink)
        sink2 = client2.bootstrap().cast_as(sink_capnp.Sink)
        writing = sink1.write_request(ms=30, tag=0).send()
        await asyncio.sleep(0.005)
        assert impl.events == ["start0"]
        from_local = local.log()
        from_other = sink2.log()
        local_write = local.write(ms=0, tag=1)
        await asyncio.sleep(0.005)
        assert impl.events == ["start0"]  # all three wait for the streaming call
        assert list((await from_local).log)[:3] == ["start0", "end0", "log"]
        assert list((await from_other).log)[:2] == ["start0", "end0"]
        await local_write
        await writing.a_wait()
        events = impl.events
        assert events[:2] == ["start0", "end0"] and events.count("log") == 2
        assert events.index("end1") == events.index("start1") + 1
        await client1.close()
        await client2.close()

    run(main)


def test_a_call_cancelled_while_it_waits_never_runs(sink_capnp: Any) -> None:
    SinkImpl, _ = make_classes(sink_capnp)

    async def main() -> None:
        impl = SinkImpl()
        client, server = await connect(impl)
        sink = client.bootstrap().cast_as(sink_capnp.Sink)
        local = sink_capnp.Sink._new_client(impl)
        writing = sink.write_request(ms=30, tag=0).send()
        await asyncio.sleep(0.005)
        remote_log = sink.log()
        local_log = local.log()
        await asyncio.sleep(0.005)
        remote_log.cancel()
        local_log.cancel()
        await writing.a_wait()
        assert list((await sink.log()).log) == ["start0", "end0", "log"]
        await client.close()

    run(main)


HAVE_PYCAPNP = platform.python_implementation() == "CPython" and importlib.util.find_spec("capnp") is not None


@pytest.mark.skipif(not HAVE_PYCAPNP, reason="INTEROP NOT TESTED: pycapnp is not installed on this interpreter")
def test_pycapnp_client_sees_the_streaming_rules_of_our_server(sink_capnp: Any, schema_path: str) -> None:
    SinkImpl, _ = make_classes(sink_capnp)

    async def main() -> None:
        async def serve(stream: Any) -> None:
            await capnp_lite.TwoPartyServer(stream, bootstrap=SinkImpl()).on_disconnect()

        listener = await capnp_lite.AsyncIoStream.create_server(serve, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        try:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, os.path.join(HERE, "streaming_pycapnp_client.py"), str(port), schema_path,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            out, err = await proc.communicate()
        finally:
            listener.close()
        assert proc.returncode == 0, out.decode() + err.decode()
        lines = out.decode().splitlines()
        assert lines == [
            "log start0,end0,start1,end1,start2,end2,log",
            "write13 failed: remote exception: ValueError: write 13 failed",
            "write14 failed: remote exception: ValueError: write 13 failed",
            "log failed: remote exception: ValueError: write 13 failed",
        ]

    run(main, timeout=60)
