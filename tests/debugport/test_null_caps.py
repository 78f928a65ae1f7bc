"""A null capability read from a reply is a client whose calls fail: the debug port's own code
tests for it with ``is_null_capability``, so a null stays null where it used to be None."""

from __future__ import annotations

import socket
from typing import Any

import capnp_lite
from capnp_lite import aio
from debugport import proxy
from debugport.http_server import _close_body

from .conftest import run

SCHEMA = """
@0xf1a2b3c4d5e6071c;
interface Echo { echo @0 (s :Text) -> (s :Text); }
interface Test { nullCap @0 () -> (echo :Echo); }
"""


def test_a_null_capability_is_passed_on_as_null_and_not_closed(tmp_path: Any) -> None:
    path = tmp_path / "nulls.capnp"
    path.write_text(SCHEMA)
    m = capnp_lite.load(str(path))

    class TestImpl(m.Test.Server):  # type: ignore[misc, name-defined]
        async def nullCap(self, _context: Any, **kw: Any) -> None:
            return None

    async def main() -> None:
        a, b = socket.socketpair()
        server = capnp_lite.TwoPartyServer(await capnp_lite.AsyncIoStream.create_connection(sock=b),
                                           bootstrap=TestImpl())
        client = capnp_lite.TwoPartyClient(await capnp_lite.AsyncIoStream.create_connection(sock=a))
        results = await client.bootstrap().cast_as(m.Test).nullCap()
        assert aio.is_null_capability(results.echo)
        # The proxy sends a null for it (no forwarder), whichever sessions it is between.
        assert proxy.export_for(results.echo, client.session, server.session) is None

        class Body:
            body = results.echo

        _close_body(Body())  # nothing to release
        await client.close()
        await server.close()

    run(main())
