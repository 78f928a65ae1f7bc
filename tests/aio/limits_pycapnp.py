"""pycapnp's side of test_message_limits.py, each with a receive limit of ``limit`` words.

``serve <schema> <limit>`` serves ``Blob`` and prints ``PORT <n>``;
``client <port> <schema> <limit> <size>...`` asks for results of each size in bytes and
prints one line per call (``ok <bytes>`` or ``failed: <description>``), then whether a
plain call still works on the same connection.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any


async def serve(schema_path: str, limit: int) -> None:
    import capnp

    schema: Any = capnp.load(schema_path)

    class BlobImpl(schema.Blob.Server):
        async def get(self, size: int, **kwargs: Any) -> bytes:
            return b"r" * size

        async def put(self, data: bytes, **kwargs: Any) -> int:
            return len(data)

    async def connection(stream: Any) -> None:
        await capnp.TwoPartyServer(stream, bootstrap=BlobImpl(), traversal_limit_in_words=limit).on_disconnect()

    server = await capnp.AsyncIoStream.create_server(connection, "127.0.0.1", 0)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


async def client(port: int, schema_path: str, limit: int, sizes: "list[int]") -> None:
    import capnp

    schema: Any = capnp.load(schema_path)
    stream = await capnp.AsyncIoStream.create_connection(host="127.0.0.1", port=port)
    blob = capnp.TwoPartyClient(stream, traversal_limit_in_words=limit).bootstrap().cast_as(schema.Blob)
    for size in sizes:
        try:
            print("ok", len((await blob.get(size=size)).data), flush=True)
        except Exception as exc:
            print(f"failed: {getattr(exc, 'description', exc)}", flush=True)
    print("then", (await blob.put(data=b"x")).n, flush=True)


def main() -> None:
    import capnp

    if sys.argv[1] == "serve":
        asyncio.run(capnp.run(serve(sys.argv[2], int(sys.argv[3]))))
    else:
        sizes = [int(a) for a in sys.argv[5:]]
        asyncio.run(capnp.run(client(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sizes)))


if __name__ == "__main__":
    main()
