"""Messages sent as they are over an AsyncIoStream (no RPC): ``Struct.read_async(stream)`` and
``message.write_async(stream)``, written against pycapnp's API.

    python message_stream_peer.py --lib pycapnp|lite server      # prints PORT <n>, echoes
    python message_stream_peer.py --lib pycapnp|lite client PORT # prints ALL OK

The server answers each message with a copy whose ``hops`` is one more, until the stream
ends; the client sends a few (one of several MiB, which arrives in many reads), checks each
echo and closes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))

SCHEMA = """
@0x9b4d14f23b0b4437;
struct Note {
  text @0 :Text;
  blob @1 :Data;
  hops @2 :UInt32;
  tags @3 :List(Text);
}
"""


def import_lib(name: str) -> Any:
    if name == "pycapnp":
        import capnp

        return capnp
    sys.path.insert(0, os.path.join(HERE, "..", ".."))
    import capnp_lite

    return capnp_lite


def load(capnp: Any, directory: str) -> Any:
    path = os.path.join(directory, "stream_note.capnp")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(SCHEMA)
    return capnp.load(path)


async def serve(capnp: Any, schema: Any) -> None:
    done = asyncio.get_running_loop().create_future()

    async def echo(stream: Any) -> None:
        while True:
            note = await schema.Note.read_async(stream, traversal_limit_in_words=1 << 26)
            if note is None:
                break
            reply = note.as_builder()
            reply.hops = note.hops + 1
            await reply.write_async(stream)
        if not done.done():
            done.set_result(None)

    server = await capnp.AsyncIoStream.create_server(echo, "127.0.0.1", 0)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await done


async def client(capnp: Any, schema: Any, port: int) -> None:
    stream = await capnp.AsyncIoStream.create_connection(host="127.0.0.1", port=port)
    sent = [
        dict(text="hello", hops=0, tags=["a", "bc"]),
        dict(text="big", blob=bytes(range(256)) * (3 << 12), hops=10),  # 3 MiB
        dict(text="", hops=41, tags=[]),
    ]
    for values in sent:
        await schema.Note.new_message(**values).write_async(stream)
    for values in sent:
        echo = await schema.Note.read_async(stream, traversal_limit_in_words=1 << 26)
        assert echo is not None, "the stream ended early"
        assert echo.text == values["text"] and echo.hops == values["hops"] + 1, echo.text
        assert echo.blob == values.get("blob", b"") and list(echo.tags) == values.get("tags", [])
    stream.close()
    print("ALL OK", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib", default="pycapnp", choices=["pycapnp", "lite"])
    parser.add_argument("--dir", default=HERE)
    parser.add_argument("role", choices=["server", "client"])
    parser.add_argument("port", nargs="?", type=int)
    args = parser.parse_args()
    capnp = import_lib(args.lib)
    schema = load(capnp, args.dir)
    job = serve(capnp, schema) if args.role == "server" else client(capnp, schema, args.port)
    asyncio.run(capnp.run(job))


if __name__ == "__main__":
    main()
