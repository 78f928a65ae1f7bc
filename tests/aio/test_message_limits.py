"""Messages over the peer's size limit are not sent: the call fails (an oversized Call raises,
oversized results go back as an exception), and the connection goes on, as in C++."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import platform
import sys
from pathlib import Path
from typing import Any, List, Tuple

import pytest

import capnp_lite
import capnp_lite.aio as aio
from capnp_lite.errors import RpcError
from tests.aio.support import run

HERE = os.path.dirname(os.path.abspath(__file__))

SCHEMA = """
@0xe1b2c3d4e5f6071e;
interface Blob {
  get @0 (size :UInt32) -> (data :Data);
  put @1 (data :Data) -> (n :UInt32);
  holder @2 (size :UInt32) -> (data :Data, blob :Blob);
}
"""

LIMIT = 4096  # words, on both sides: the receiver's limit and what the sender assumes of it
OVER = LIMIT * 8  # bytes of Data: over the limit with any envelope
UNDER = (LIMIT - 64) * 8  # bytes of Data: within it, envelope and all


@pytest.fixture(scope="module")
def schema_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("schema") / "blob.capnp"
    path.write_text(SCHEMA)
    return str(path)


@pytest.fixture(scope="module")
def schema(schema_path: str) -> Any:
    return capnp_lite.load(schema_path)


def make_blob(schema: Any) -> Any:
    class BlobImpl(schema.Blob.Server):
        def get(self, size: int, **kwargs: Any) -> bytes:
            return b"r" * size

        def put(self, data: bytes, **kwargs: Any) -> int:
            return len(data)

        def holder(self, size: int, **kwargs: Any) -> Tuple[bytes, Any]:
            return b"r" * size, BlobImpl()

    return BlobImpl()


async def connect(schema: Any, limit: int = LIMIT) -> Tuple[aio.Session, aio.Session, Any]:
    a, b = aio.memory_pair()
    srv = aio.Session(b, make_blob(schema), max_message_words=limit, peer_max_message_words=limit)
    cli = aio.Session(a, max_message_words=limit, peer_max_message_words=limit)
    return cli, srv, cli.bootstrap().cast_as(schema.Blob)


def test_the_default_limit_is_the_receive_limit_of_both_sides() -> None:
    async def main() -> None:
        a, b = aio.memory_pair()
        session = aio.Session(a)
        assert session.peer_max_message_words == 8 << 20
        assert session._decoder._max_message_words == 8 << 20
        with pytest.raises(ValueError):
            aio.Session(b, peer_max_message_words=100)
        await session.close()

    run(main)


def test_results_over_the_peers_limit_fail_that_call_only(schema: Any) -> None:
    async def main() -> None:
        cli, srv, blob = await connect(schema)
        assert len((await blob.get(size=UNDER)).data) == UNDER
        with pytest.raises(RpcError, match="results too large to send") as info:
            await blob.get(size=OVER)
        assert info.value.type == "FAILED"
        # Calls pipelined on those results fail with them; the connection goes on.
        promise = blob.holder(size=OVER)
        with pytest.raises(RpcError, match="results too large to send"):
            await promise.blob.put(data=b"x")
        with pytest.raises(RpcError, match="results too large to send"):
            await promise
        assert cli.is_open and srv.is_open
        assert (await blob.put(data=b"abc")).n == 3
        await cli.close()

    run(main)


def test_params_over_the_peers_limit_fail_that_call_only(schema: Any) -> None:
    async def main() -> None:
        cli, srv, blob = await connect(schema)
        assert (await blob.put(data=b"p" * UNDER)).n == UNDER
        with pytest.raises(RpcError, match="params too large to send") as info:
            blob.put(data=b"p" * OVER)
        assert info.value.type == "FAILED"
        request = blob.put_request()
        request.data = b"p" * OVER
        with pytest.raises(RpcError, match="params too large to send"):
            request.send()
        assert cli.is_open and srv.is_open
        assert (await blob.put(data=b"abc")).n == 3
        await cli.close()

    run(main)


def test_the_default_limit_holds_at_its_full_size(schema: Any) -> None:
    async def main() -> None:
        a, b = aio.memory_pair()
        srv = aio.Session(b, make_blob(schema))
        cli = aio.Session(a)
        blob = cli.bootstrap().cast_as(schema.Blob)
        over = (8 << 20) * 8  # a Data of the whole limit: over it with the envelope
        with pytest.raises(RpcError, match="results too large to send"):
            await blob.get(size=over)
        with pytest.raises(RpcError, match="params too large to send"):
            blob.put(data=bytes(over))
        assert (await blob.put(data=b"abc")).n == 3
        assert cli.is_open and srv.is_open
        await cli.close()

    run(main, timeout=60)


HAVE_PYCAPNP = platform.python_implementation() == "CPython" and importlib.util.find_spec("capnp") is not None
needs_pycapnp = pytest.mark.skipif(not HAVE_PYCAPNP, reason="INTEROP NOT TESTED: pycapnp is not installed here")


@needs_pycapnp
def test_pycapnp_client_gets_an_exception_for_results_over_its_limit(schema_path: str) -> None:
    async def main() -> None:
        schema = capnp_lite.load(schema_path)

        async def serve(stream: Any) -> None:
            server = capnp_lite.TwoPartyServer(stream, bootstrap=make_blob(schema), peer_max_message_words=LIMIT)
            await server.on_disconnect()

        listener = await capnp_lite.AsyncIoStream.create_server(serve, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        try:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, os.path.join(HERE, "limits_pycapnp.py"), "client", str(port), schema_path,
                str(LIMIT), str(UNDER), str(OVER),
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            out, err = await proc.communicate()
        finally:
            listener.close()
        assert proc.returncode == 0, out.decode() + err.decode()
        lines: List[str] = out.decode().splitlines()
        assert lines[0] == f"ok {UNDER}"
        assert lines[1].startswith("failed: remote exception: results too large to send"), lines
        assert lines[2] == "then 1"

    run(main, timeout=60)


@needs_pycapnp
def test_params_over_a_pycapnp_servers_limit_are_not_sent(schema: Any, schema_path: str) -> None:
    async def main() -> None:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, os.path.join(HERE, "limits_pycapnp.py"), "serve", schema_path, str(LIMIT),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            assert proc.stdout is not None
            line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
            assert line.startswith("PORT "), line
            stream = await capnp_lite.AsyncIoStream.create_connection(host="127.0.0.1", port=int(line.split()[1]))
            client = capnp_lite.TwoPartyClient(stream, peer_max_message_words=LIMIT)
            blob = client.bootstrap().cast_as(schema.Blob)
            assert (await blob.put(data=b"p" * UNDER)).n == UNDER
            with pytest.raises(RpcError, match="params too large to send"):
                blob.put(data=b"p" * OVER)
            assert (await blob.put(data=b"abc")).n == 3
            await client.session.close()
        finally:
            proc.kill()
            await proc.wait()

    run(main, timeout=60)
