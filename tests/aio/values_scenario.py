"""Struct values of the dynamic API in RPC params and results, run unchanged with pycapnp
(``--lib pycapnp``) or capnp_lite (``--lib lite``); prints one line per step, which
``test_dynamic_values_rpc.py`` compares between the two."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))

SCHEMA = """
@0xb1e2c3d4e5f60718;
struct HostId { host @0 :Text; port @1 :UInt16; }
struct Bar { foo @0 :Foo; n @1 :Int32; }
interface Foo { get @0 () -> (v :Int32); }
enum Color { red @0; green @1; blue @2; }
struct Shape { union { circle @0 :Float64; square @1 :Float64; } }
interface Svc {
  buz @0 (i :HostId) -> (x :Text);
  bar @1 (how :Text) -> (bar :Bar);
  two @2 () -> (a :Int32, b :Text);
  kind @3 (c :Color, s :Shape) -> (x :Text);
}
"""


async def scenario(capnp: Any, m: Any) -> None:
    class FooImpl(m.Foo.Server):  # type: ignore[misc]
        def __init__(self, v: int) -> None:
            self.v = v

        async def get(self, _context: Any, **kw: Any) -> int:
            return self.v

    class Svc(m.Svc.Server):  # type: ignore[misc]
        async def buz(self, i: Any, _context: Any, **kw: Any) -> str:
            return f"{i.host}:{i.port}"

        async def bar(self, how: str, _context: Any, **kw: Any) -> Any:
            if how == "message":  # a whole struct made with new_message
                return m.Bar.new_message(foo=FooImpl(7), n=5)
            if how == "dict":  # a dict for the single struct result
                return {"foo": FooImpl(8), "n": 6}
            _context.results.bar = m.Bar.new_message(foo=FooImpl(10), n=8)
            return None

        async def two(self, _context: Any, **kw: Any) -> Any:
            return (1, "x")

        async def kind(self, c: Any, s: Any, _context: Any, **kw: Any) -> str:
            # An enum param equals its name and the module's constant; which is a property
            # that can also be called.
            return "/".join(str(x) for x in (c, c.raw, c == "blue", c == m.Color.blue,
                                              s.which, s.which(), s.which == "square"))

    a, b = socket.socketpair()
    server_stream = await capnp.AsyncIoStream.create_connection(sock=b)
    serving = asyncio.ensure_future(capnp.TwoPartyServer(server_stream, bootstrap=Svc()).on_disconnect())
    client_stream = await capnp.AsyncIoStream.create_connection(sock=a)
    client = capnp.TwoPartyClient(client_stream).bootstrap().cast_as(m.Svc)
    print("positional builder", (await client.buz(m.HostId.new_message(host="h", port=3))).x)
    print("keyword reader", (await client.buz(i=m.HostId.new_message(host="h", port=4).as_reader())).x)
    req = client.buz_request()
    req.i = m.HostId.new_message(host="r", port=5)
    print("request field", (await req.send()).x)
    for how in ("message", "dict", "context"):
        r = await client.bar(how)
        print(how, r.bar.n, (await r.bar.foo.get()).v, repr(str(r)))
    r = await client.two()
    print("tuple", r.a, r.b, repr(str(r)))
    req = client.buz_request()
    req.i.host = "q"
    print("request text", repr(str(req)))
    print("enum and union", (await client.kind("blue", {"square": 2.0})).x)
    serving.cancel()
    a.close()
    b.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib", choices=["pycapnp", "lite"], required=True)
    parser.add_argument("--schema", required=True)
    args = parser.parse_args()
    if args.lib == "pycapnp":
        import capnp  # type: ignore[import-untyped, import-not-found, unused-ignore]
    else:
        sys.path.insert(0, os.path.join(HERE, "..", ".."))
        import capnp_lite as capnp
    m = capnp.load(args.schema)
    asyncio.run(capnp.run(scenario(capnp, m)))


if __name__ == "__main__":
    main()
