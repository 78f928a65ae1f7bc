"""Generic interfaces over RPC: a client run unchanged with pycapnp (``--lib pycapnp``) or
capnp_lite (``--lib lite``) against a capnp_lite server in the same process (pycapnp cannot
serve a generic interface from Python); prints one line per step, which
``test_generic_rpc.py`` compares between the two."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))

SCHEMA = """
@0xc7d2e3f4a5b60719;
struct P { x @0 :Int32; }
interface Box(T) {
  get @0 () -> (value :T);
  put @1 (value :T) -> (kind :Text);
  gen @2 [U] (u :U) -> (u :U, t :T);
}
interface TextBox extends(Box(Text)) {
  size @0 () -> (n :UInt32);
}
struct Holder(T) { box @0 :Box(T); items @1 :List(Box(T)); }
interface Factory {
  textBox @0 () -> (box :Box(Text));
  structBox @1 () -> (box :Box(P));
  anyBox @2 () -> (box :Box);
  derived @3 () -> (box :TextBox);
  holder @4 () -> (h :Holder(Data));
  listBox @5 () -> (boxes :List(Box(Text)));
}
"""


def serve(lite: Any, m: Any) -> Any:
    """The bootstrap object of the capnp_lite server."""

    class BoxImpl(m.Box.Server):  # type: ignore[misc]
        def __init__(self, value: Any) -> None:
            self.value = value

        async def get(self, _context: Any, **kw: Any) -> Any:
            return self.value

        async def put(self, value: Any, _context: Any, **kw: Any) -> str:
            return type(value).__name__

        async def gen(self, u: Any, _context: Any, **kw: Any) -> Any:
            return {"u": u, "t": "tee"}

    class TextBoxImpl(m.TextBox.Server):  # type: ignore[misc]
        async def get(self, _context: Any, **kw: Any) -> str:
            return "derived"

        async def size(self, _context: Any, **kw: Any) -> int:
            return 7

    class FactoryImpl(m.Factory.Server):  # type: ignore[misc]
        async def textBox(self, _context: Any, **kw: Any) -> Any:
            return BoxImpl("hello")

        async def structBox(self, _context: Any, **kw: Any) -> Any:
            return BoxImpl(m.P.new_message(x=5))

        async def anyBox(self, _context: Any, **kw: Any) -> Any:
            return BoxImpl("any")

        async def derived(self, _context: Any, **kw: Any) -> Any:
            return TextBoxImpl()

        async def holder(self, _context: Any, **kw: Any) -> Any:
            return {"box": BoxImpl(b"dd"), "items": [BoxImpl(b"e")]}

        async def listBox(self, _context: Any, **kw: Any) -> Any:
            return [BoxImpl("l0")]

    return FactoryImpl()


def shown(value: Any) -> str:
    """A value as both libraries can print it: its Python kind and content."""
    if isinstance(value, (str, bytes, int)):
        return f"{type(value).__name__} {value!r}"
    if hasattr(value, "x"):
        return f"struct x={value.x}"
    if hasattr(value, "as_text") or hasattr(value, "get_struct"):
        return "anypointer"
    return type(value).__name__


async def scenario(capnp: Any, m: Any, lite: Any, lm: Any) -> None:
    a, b = socket.socketpair()
    server = lite.TwoPartyServer(await lite.AsyncIoStream.create_connection(sock=b), bootstrap=serve(lite, lm))
    client = capnp.TwoPartyClient(await capnp.AsyncIoStream.create_connection(sock=a))
    f = client.bootstrap().cast_as(m.Factory)
    print("Box(Text).get", shown((await f.textBox().box.get()).value))
    print("Box(P).get", shown((await f.structBox().box.get()).value))
    print("Box.get", shown((await f.anyBox().box.get()).value))
    print("TextBox.get", shown((await f.derived().box.get()).value))
    print("Holder(Data).box.get", shown((await f.holder().h.box.get()).value))
    holder = await f.holder()
    print("Holder(Data).items[0].get", shown((await holder.h.items[0].get()).value))
    boxes = await f.listBox()
    print("List(Box(Text))[0].get", shown((await boxes.boxes[0].get()).value))
    gen = await f.textBox().box.gen(u="uu")
    print("gen.u", shown(gen.u), "gen.t", shown(gen.t))
    print("put", (await f.textBox().box.put(value="pp")).kind)
    # A capability cast to the branded interface a field names (pycapnp: the field's
    # ``schema``; capnp_lite's dynamic API: the field's ``type``).
    field = m.Factory.schema.methods["textBox"].result_type.fields["box"]
    branded = getattr(field, "schema", None) or field.type
    cast = f.anyBox().box.cast_as(branded)
    print("cast Box(Text).get", shown((await cast.get()).value))
    del f, cast, holder, boxes, gen
    await asyncio.sleep(0)
    if hasattr(server, "close"):
        await server.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib", choices=["pycapnp", "lite"], required=True)
    parser.add_argument("--schema", required=True)
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(HERE, "..", ".."))
    import capnp_lite as lite

    lm = lite.load(args.schema)
    if args.lib == "pycapnp":
        import capnp

        asyncio.run(capnp.run(scenario(capnp, capnp.load(args.schema), lite, lm)))
    else:
        asyncio.run(lite.run(scenario(lite, lm, lite, lm)))


if __name__ == "__main__":
    main()
