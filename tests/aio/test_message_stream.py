"""Messages sent as they are over an AsyncIoStream, with no RPC session: pycapnp's
``Struct.read_async(stream)`` and ``message.write_async(stream)``.  Between our two ends over
an in-memory pair, and over loopback TCP with pycapnp at either end (the peer script runs the
same code on both libraries)."""

from __future__ import annotations

import asyncio
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any, List

import pytest

import capnp_lite
from capnp_lite.aio import AsyncIoStream
from capnp_lite.aio.transport import memory_pair
from capnp_lite.errors import DecodeError, UsageError

from .. import reference

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.path.join(HERE, "message_stream_peer.py")

try:
    import capnp  # noqa: F401

    HAVE_PYCAPNP = platform.python_implementation() == "CPython"
except ImportError:
    HAVE_PYCAPNP = False

SCHEMA = """
@0x9c4d14f23b0b4438;
struct Note { text @0 :Text; hops @1 :UInt32; inner @2 :Note; }
"""


@pytest.fixture(scope="module")
def m(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return capnp_lite.load(str(reference.schema_file(tmp_path_factory, "note.capnp", SCHEMA)))


def test_messages_in_any_pieces_then_none_at_the_end(m: Any) -> None:
    async def main() -> List[Any]:
        a, b = memory_pair()
        notes = [m.Note.new_message(text="x" * k, hops=k) for k in (0, 5, 3000)]
        data = b"".join(n.to_bytes() for n in notes)
        # Two messages and a part of the third in one write, the rest a byte at a time.
        a.write(data[:100])
        for i in range(100, len(data)):
            a.write(data[i:i + 1])
        a.close()
        stream = AsyncIoStream(b)
        out = []
        while True:
            note = await m.Note.read_async(stream)
            if note is None:
                return out
            out.append((note.text, note.hops))

    assert asyncio.run(main()) == [("", 0), ("x" * 5, 5), ("x" * 3000, 3000)]


def test_write_async_then_read_async_between_our_ends(m: Any) -> None:
    async def main() -> Any:
        a, b = memory_pair()
        note = m.Note.new_message(text="hi", hops=2)
        note.init("inner").text = "deep"
        await note.write_async(AsyncIoStream(a))
        got = await m.Note.read_async(AsyncIoStream(b), traversal_limit_in_words=100)
        return got.to_dict()

    assert asyncio.run(main()) == {"text": "hi", "hops": 2, "inner": {"text": "deep", "hops": 0}}


def test_a_message_cut_short_raises_and_limits_apply(m: Any) -> None:
    async def cut() -> None:
        a, b = memory_pair()
        a.write(m.Note.new_message(text="whole").to_bytes()[:-3])
        a.close()
        await m.Note.read_async(AsyncIoStream(b))

    with pytest.raises(DecodeError, match="stream ended inside a message"):
        asyncio.run(cut())

    async def limited() -> None:
        a, b = memory_pair()
        note = m.Note.new_message(text="y" * 400)
        await note.write_async(AsyncIoStream(a))
        got = await m.Note.read_async(AsyncIoStream(b), traversal_limit_in_words=10)
        got.text  # the read limit is the reader's, as for from_bytes

    with pytest.raises(capnp_lite.LimitError):
        asyncio.run(limited())


def test_write_async_is_for_a_root(m: Any) -> None:
    async def main() -> None:
        a, _ = memory_pair()
        note = m.Note.new_message()
        await note.init("inner").write_async(AsyncIoStream(a))

    with pytest.raises(UsageError, match="root"):
        asyncio.run(main())


def _peer(lib: str, directory: Path, *args: str) -> "subprocess.Popen[str]":
    return subprocess.Popen([sys.executable, PEER, "--lib", lib, "--dir", str(directory), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("server_lib, client_lib",
                         [("lite", "lite"), ("pycapnp", "lite"), ("lite", "pycapnp")])
def test_message_streams_over_tcp(server_lib: str, client_lib: str, tmp_path: Path) -> None:
    if "pycapnp" in (server_lib, client_lib) and not HAVE_PYCAPNP:
        pytest.skip("INTEROP NOT TESTED: pycapnp is not installed on this interpreter "
                    "(it has no PyPy build): message streams ran between our own ends only")
    server = _peer(server_lib, tmp_path, "server")
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("PORT "), line + (server.stderr.read() if server.stderr else "")
        client = _peer(client_lib, tmp_path, "client", line.split()[1])
        out, err = client.communicate(timeout=120)
        assert client.returncode == 0 and "ALL OK" in out, out + err
    finally:
        server.kill()
        server.wait()
