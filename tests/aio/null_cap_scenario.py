"""Null capabilities in results and params: a server and a client, each run with pycapnp or
capnp_lite (``--server`` / ``--client``), talking over a socket pair in one process; prints
one line per step, which ``test_null_capability.py`` compares between the pairings."""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import socket
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))

SCHEMA = """
@0xd8e2f3a4b5c6071a;
interface Echo { echo @0 (s :Text) -> (s :Text); }
interface Test {
  nullCap @0 () -> (echo :Echo);
  take @1 (echo :Echo) -> (seen :Text);
}
"""


def failure(exc: BaseException, capnp: Any) -> str:
    """How a call failed, in terms both libraries share."""
    kind = "capnp error" if isinstance(exc, capnp.KjException) else type(exc).__name__
    return f"{kind}, null capability: {'null capability' in str(exc).lower()}"


def make_server(capnp: Any, m: Any) -> Any:
    class TestImpl(m.Test.Server):  # type: ignore[misc]
        async def nullCap(self, _context: Any, **kw: Any) -> Any:
            return None

        async def take(self, echo: Any, _context: Any, **kw: Any) -> str:
            try:
                await echo.echo(s="x")
            except Exception as exc:  # noqa: BLE001 - the failure is what is reported
                return failure(exc, capnp)
            return "called"

    return TestImpl()


async def scenario(server_lib: Any, sm: Any, capnp: Any, m: Any) -> None:
    a, b = socket.socketpair()
    server = server_lib.TwoPartyServer(await server_lib.AsyncIoStream.create_connection(sock=b),
                                       bootstrap=make_server(server_lib, sm))
    client = capnp.TwoPartyClient(await capnp.AsyncIoStream.create_connection(sock=a))
    t = client.bootstrap().cast_as(m.Test)
    r = await t.nullCap()
    print("result is a client:", r.echo is not None)
    try:
        await r.echo.echo(s="x")
        print("call on the null result: succeeded")
    except Exception as exc:  # noqa: BLE001
        print("call on the null result:", failure(exc, capnp))
    print("server calls the null client sent back:", (await t.take(echo=r.echo)).seen)
    del t, r
    await asyncio.sleep(0)
    closed = server.close() if hasattr(server, "close") else None
    if inspect.isawaitable(closed):
        await closed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", choices=["pycapnp", "lite"], required=True)
    parser.add_argument("--client", choices=["pycapnp", "lite"], required=True)
    parser.add_argument("--schema", required=True)
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(HERE, "..", ".."))
    import capnp_lite as lite

    libs = {"lite": lite}
    if "pycapnp" in (args.server, args.client):
        import capnp

        libs["pycapnp"] = capnp
    mods = {name: lib.load(args.schema) for name, lib in libs.items()}
    runner = libs["pycapnp"].run if "pycapnp" in libs else lite.run
    asyncio.run(runner(scenario(libs[args.server], mods[args.server], libs[args.client], mods[args.client])))


if __name__ == "__main__":
    main()
