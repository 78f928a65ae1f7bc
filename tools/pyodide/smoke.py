"""End-to-end checks of capnp-lite inside Pyodide (WebAssembly), run by tools/pyodide/run.mjs.

Each check prints one line; the last line is the summary 'pyodide: N passed, N failed'.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import sys
import tempfile
import traceback
from typing import Any, Callable, List, Tuple

CHECKS: List[Tuple[str, Callable[[], Any]]] = []


def check(fn: Callable[[], Any]) -> Callable[[], Any]:
    CHECKS.append((fn.__name__, fn))
    return fn


SCHEMA = """
@0xc1c1c1c1c1c1c1c1;
struct Point { x @0 :Float64; y @1 :Float64; label @2 :Text; }
struct Shape {
  points @0 :List(Point);
  tags @1 :List(Text);
  union { circle @2 :Float64; polygon @3 :Void; }
}
"""


def _module():  # type: ignore[no-untyped-def]
    from capnp_lite.dynamic import load_request
    from capnp_lite.schema import compile_source

    return load_request(compile_source(SCHEMA, "shape.capnp"))


@check
def compile_schema_from_text() -> None:
    from capnp_lite.schema import compile_source

    request = compile_source(SCHEMA, "shape.capnp")
    names = sorted(n.display_name for n in request.nodes)
    assert names == ["shape.capnp", "shape.capnp:Point", "shape.capnp:Shape"], names


@check
def build_serialize_parse() -> None:
    mod = _module()
    msg = mod.Shape.new_message()
    pts = msg.init("points", 3)
    for i in range(3):
        pts[i].x = i * 1.5
        pts[i].y = -i
        pts[i].label = f"p{i}"
    msg.tags = ["a", "bb", "ccc"]
    msg.circle = 2.5
    data = msg.to_bytes()
    with mod.Shape.from_bytes(data) as r:
        assert [p.label for p in r.points] == ["p0", "p1", "p2"]
        assert r.points[2].x == 3.0 and r.which() == "circle" and r.circle == 2.5
        assert list(r.tags) == ["a", "bb", "ccc"]


@check
def packed_round_trip() -> None:
    from capnp_lite.wire.packed import pack, unpack

    mod = _module()
    msg = mod.Shape.new_message(tags=["x"] * 50)
    packed = msg.to_bytes_packed()
    assert len(packed) < len(msg.to_bytes())
    assert unpack(pack(msg.to_bytes())) == msg.to_bytes()
    with mod.Shape.from_bytes_packed(packed) as r:
        assert len(r.tags) == 50


@check
def text_format() -> None:
    mod = _module()
    msg = mod.Point.new_message(x=1.0, y=2.0, label="hi")
    from capnp_lite.text import to_text

    assert to_text(msg.as_reader()) == '(x = 1, y = 2, label = "hi")', to_text(msg.as_reader())


@check
def hostile_input_is_refused() -> None:
    from capnp_lite.errors import DecodeError
    from capnp_lite.wire.framing import decode_message

    try:
        decode_message(b"\xff\xff\xff\xff" + b"\x00" * 12)
    except DecodeError:
        return
    raise AssertionError("a segment count of 2^32 was accepted")


RPC_SCHEMA = """
@0xc2c2c2c2c2c2c2c2;
interface Adder {
  add @0 (a :Int32, b :Int32) -> (sum :Int32);
  makeCounter @1 (start :UInt32) -> (counter :Counter);
  apply @2 (fn :Callback, x :Int32) -> (y :Int32);
}
interface Counter { next @0 () -> (value :UInt32); }
interface Callback { call @0 (x :Int32) -> (y :Int32); }
"""


@check
async def rpc_conversation() -> None:
    import capnp_lite.aio as capnp

    path = os.path.join(tempfile.mkdtemp(), "adder.capnp")
    with open(path, "w") as f:
        f.write(RPC_SCHEMA)
    mod = capnp.load(path)

    class CounterImpl(mod.Counter.Server):  # type: ignore[misc,name-defined]
        def __init__(self, start: int) -> None:
            self.value = start

        async def next(self, _context: Any, **kwargs: Any) -> int:
            self.value += 1
            return self.value

    class AdderImpl(mod.Adder.Server):  # type: ignore[misc,name-defined]
        async def add(self, a: int, b: int, _context: Any, **kwargs: Any) -> int:
            return a + b

        async def makeCounter(self, start: int, _context: Any, **kwargs: Any) -> Any:
            return CounterImpl(start)

        async def apply(self, fn: Any, x: int, _context: Any, **kwargs: Any) -> int:
            result = await fn.call(x=x)
            return int(result.y) + 1

    class Doubler(mod.Callback.Server):  # type: ignore[misc,name-defined]
        async def call(self, x: int, _context: Any, **kwargs: Any) -> int:
            return 2 * x

    a, b = capnp.memory_pair()
    server = capnp.Session(b, AdderImpl())
    client = capnp.Session(a)
    adder = client.bootstrap().cast_as(mod.Adder)
    assert (await adder.add(a=2, b=40)).sum == 42
    # Pipelined: next() is sent on the counter before makeCounter has returned.
    assert (await adder.makeCounter(start=10).counter.next()).value == 11
    # A capability passed to the server, which calls it back.
    assert (await adder.apply(fn=Doubler(), x=5)).y == 11
    await client.close("done")
    await server.close("done")


async def amain() -> int:
    passed = failed = 0
    for name, fn in CHECKS:
        try:
            result = fn()
            if inspect.isawaitable(result):
                await asyncio.wait_for(result, 30)
        except Exception:  # noqa: BLE001 - every failure is reported, then counted
            failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()
        else:
            passed += 1
            print(f"ok   {name}")
    print(f"pyodide: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(amain()))
