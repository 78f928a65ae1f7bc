"""A pycapnp client of the ``Sink`` in test_streaming_server.py: ``<port> <schema path>``.

Sends three streaming writes and a ``log()`` at once, then a failing write and two
more calls, and prints what came back, one line each.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any


async def main(port: int, schema_path: str) -> None:
    import capnp

    # stream.capnp lies next to the package's own directory
    schema: Any = capnp.load(schema_path, imports=[os.path.dirname(os.path.dirname(capnp.__file__))])
    stream = await capnp.AsyncIoStream.create_connection(host="127.0.0.1", port=port)
    sink = capnp.TwoPartyClient(stream).bootstrap().cast_as(schema.Sink)
    writes = [sink.write(ms=20, tag=tag) for tag in range(3)]
    log = sink.log()
    await asyncio.gather(*writes)
    print("log", ",".join((await log).log), flush=True)
    calls = [("write13", sink.write(ms=0, tag=13)), ("write14", sink.write(ms=0, tag=14)), ("log", sink.log())]
    for name, promise in calls:
        try:
            await promise
            print(name, "ok", flush=True)
        except Exception as exc:
            print(f"{name} failed: {getattr(exc, 'description', exc)}", flush=True)


if __name__ == "__main__":
    import capnp

    asyncio.run(capnp.run(main(int(sys.argv[1]), sys.argv[2])))
