"""End-to-end checks of capnp-lite inside Pyodide (WebAssembly), run by tools/pyodide/run.mjs.

Each check prints one line; the last line is the summary 'pyodide: N passed, N failed'.
"""

from __future__ import annotations

import sys
import traceback
from typing import Callable, List, Tuple

CHECKS: List[Tuple[str, Callable[[], None]]] = []


def check(fn: Callable[[], None]) -> Callable[[], None]:
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


def main() -> int:
    passed = failed = 0
    for name, fn in CHECKS:
        try:
            fn()
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
    sys.exit(main())
