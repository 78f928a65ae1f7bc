"""Random structs echoed between capnp_lite and pycapnp over TCP, in both directions (run by
``test_random_echo.py`` in a process of its own: pycapnp keeps every schema it loaded).

    python -m tests.aio.random_echo_pycapnp FIRST_SEED COUNT

For each seed, ``Echo { echo (v :Root) -> (v :Root) }`` is added to a random schema
(``tests/random_schemas.py``).  Our client fills a request field by field and sends it to a
pycapnp server, which stores the params it got in its results; then sends a whole dynamic
message the same way.  A pycapnp client fills its request with the same statements and sends
it to our server, which does the same.  Each result must read as the message the dynamic API
builds with those statements.  Prints one line per seed: ``<seed> ok``, ``<seed> refused``
(a schema both compilers refuse) or ``<seed> differs: ...``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import sys
import tempfile
from typing import Any, AsyncIterator, List

import capnp  # type: ignore[import-untyped, import-not-found, unused-ignore]

import capnp_lite
from capnp_lite.dynamic.reader import make_reader
from capnp_lite.lib.capnp import _global_schema_parser

from ..random_schemas import fill, random_schema


def _dynamic_schema(type_id: int) -> Any:
    return _global_schema_parser.modules_by_id[type_id].schema


def _request_fields(builder: Any) -> List[Any]:
    return list(_dynamic_schema(builder.schema.model.id).fields_list)


def _type(module: Any, qualified: str) -> Any:
    for part in qualified.split("."):
        module = getattr(module, part)
    return module


@contextlib.asynccontextmanager
async def _echo_client(server_lib: Any, server_module: Any, client_lib: Any,
                       client_module: Any) -> AsyncIterator[Any]:
    """A client of ``client_lib`` (capnp_lite or pycapnp) of an echo server of ``server_lib``
    over TCP; the server stores the params it got in its results."""

    class Echo(server_module.Echo.Server):  # type: ignore[misc]
        async def echo(self, v: Any, _context: Any, **kwargs: Any) -> None:
            _context.results.v = v

    async def connection(stream: Any) -> None:
        await server_lib.TwoPartyServer(stream, bootstrap=Echo()).on_disconnect()

    server = await server_lib.AsyncIoStream.create_server(connection, "127.0.0.1", 0)
    try:
        port = server.sockets[0].getsockname()[1]
        stream = await client_lib.AsyncIoStream.create_connection(host="127.0.0.1", port=port)
        yield client_lib.TwoPartyClient(stream).bootstrap().cast_as(client_module.Echo)
    finally:
        server.close()


async def _one(seed: int, directory: str) -> str:
    schema = random_schema(seed)
    rng = random.Random(seed)
    root = rng.choice(schema.structs)
    # a file id of its own: pycapnp aborts when one id comes from two paths in a process
    text = re.sub(r"^@0x[0-9a-f]{16};", "@0x%016x;" % (0xD000000000000000 | seed), schema.text,
                  count=1)
    text += "interface Echo { echo @0 (v :%s) -> (v :%s); }\n" % (root, root)
    path = os.path.join(directory, "echo%d.capnp" % seed)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    try:
        ours = capnp_lite.load(path)
    except capnp_lite.KjException:
        return "refused"
    ref = capnp.load(path, imports=["/usr/include"])
    state = rng.getstate()
    want = _type(ours, root).new_message()
    fill(want, rng, enum_names=True)
    expected = str(want.as_reader())
    dynamic_schema = _dynamic_schema(_type(ours, root).schema.node.id)

    def ours_read(view: Any) -> str:
        return str(make_reader(dynamic_schema, view.reader, ()))

    problems: List[str] = []
    async with _echo_client(capnp, ref, capnp_lite, ours) as echo:
        request = echo.echo_request()
        rng.setstate(state)
        fill(request.init("v"), rng, enum_names=True, fields_of=_request_fields)
        got = ours_read((await request.send()).v)
        if got != expected:
            problems.append("ours to pycapnp, field by field: %s" % got)
        got = ours_read((await echo.echo(v=want)).v)
        if got != expected:
            problems.append("ours to pycapnp, whole: %s" % got)
    async with _echo_client(capnp_lite, ours, capnp, ref) as echo:
        request = echo.echo_request()
        rng.setstate(state)
        fill(request.init("v"), rng, enum_names=True)
        result = await request.send()
        got = str(_type(ours, root).from_bytes(result.v.as_builder().to_bytes()))
        if got != expected:
            problems.append("pycapnp to ours: %s" % got)
    if problems:
        return "differs: want %s; %s" % (expected, "; ".join(problems))
    return "ok"


async def _main(first: int, count: int) -> None:
    directory = tempfile.mkdtemp(prefix="capnp_lite_echo_")
    for seed in range(first, first + count):
        print(seed, await _one(seed, directory), flush=True)


if __name__ == "__main__":
    asyncio.run(capnp.run(_main(int(sys.argv[1]), int(sys.argv[2]))))
