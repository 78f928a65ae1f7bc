"""Params and results read their schema's defaults where a pointer is null, as the dynamic API
and pycapnp read them: Text, Data, lists and structs with defaults (they read as empty
values before), and ``to_dict`` follows pycapnp's rules (null pointers left out unless
``verbose``, the union member first, enumerants as names)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List

import capnp_lite

from .support import bootstrapped, run

SCHEMA = """
@0xe5b7a9c1d3f50001;
enum Color { red @0; green @1; }
struct Inner { n @0 :Int32 = 7; s @1 :Text = "inner"; }
struct Holder {
  t @0 :Text = "hello";
  d @1 :Data = 0x"0102";
  l @2 :List(Int16) = [3, 4];
  ls @3 :List(Text) = ["a", "b"];
  s @4 :Inner = (n = 9);
  plain @5 :Text;
  c @6 :Color = green;
  union {
    u @7 :Void;
    v @8 :List(Inner) = [(n = 1)];
  }
}
interface Probe { look @0 (h :Holder) -> (h :Holder, seen :List(Text)); }
"""


def test_null_pointers_read_as_their_defaults(tmp_path: Path) -> None:
    path = tmp_path / "defaults.capnp"
    path.write_text(SCHEMA)
    module = capnp_lite.load(str(path))
    seen: List[Any] = []

    class ProbeImpl(module.Probe.Server):  # type: ignore[name-defined, misc]
        async def look(self, h: Any, _context: Any, **kwargs: Any) -> None:
            seen.append((h.t, h.d, list(h.l), list(h.ls), h.s.n, h.s.s, h.plain, h.c))
            seen.append(h.to_dict())
            seen.append(h.to_dict(verbose=True))
            _context.results.h = h

    async def main() -> None:
        async with bootstrapped(ProbeImpl(), module.Probe) as probe:
            request = probe.look_request()
            request.init("h")  # nothing set: every pointer null
            result = await request.send()
            h = result.h
            assert (h.t, h.d, list(h.l), list(h.ls), h.s.n, h.s.s, h.plain, h.c) == seen[0]
            want = module.Holder.new_message().as_reader()  # the dynamic API's reading
            assert seen[0] == (want.t, want.d, list(want.l), list(want.ls), want.s.n, want.s.s,
                               want.plain, want.c)
            assert seen[0] == ("hello", b"\x01\x02", [3, 4], ["a", "b"], 9, "inner", "", "green")
            # the union's active member shows though null; other null pointers only when verbose
            assert seen[1] == want.to_dict() == {"u": None, "c": "green"}
            assert list(seen[1]) == ["u", "c"] and type(seen[1]["c"]) is str
            assert seen[2] == want.to_dict(verbose=True)
            assert seen[2]["s"] == {"n": 9, "s": "inner"} and seen[2]["l"] == [3, 4]

    run(main)


HOLDER = """
@0xe5b7a9c1d3f50002;
interface Thing { name @0 () -> (n :Text); }
struct Box { t @0 :Text; l @1 :List(Int32); thing @2 :Thing; inner @3 :Box; }
interface Mirror { back @0 (b :Box) -> (b :Box); }
"""


def test_a_received_struct_with_a_capability_copied_into_results(tmp_path: Path) -> None:
    """Copied field by field (its capability goes into the results' own table), a received
    struct keeps its null pointers null, as the plain copy of one without capabilities does."""
    path = tmp_path / "mirror.capnp"
    path.write_text(HOLDER)
    module = capnp_lite.load(str(path))

    class ThingImpl(module.Thing.Server):  # type: ignore[name-defined, misc]
        async def name(self, _context: Any, **kwargs: Any) -> str:
            return "thing"

    class MirrorImpl(module.Mirror.Server):  # type: ignore[name-defined, misc]
        async def back(self, b: Any, _context: Any, **kwargs: Any) -> None:
            _context.results.b = b

    async def main() -> None:
        async with bootstrapped(MirrorImpl(), module.Mirror) as mirror:
            request = mirror.back_request()
            box = request.init("b")
            box.thing = ThingImpl()
            box.init("inner").t = "in"
            result = await request.send()
            got = result.b
            assert not got._has("t") and not got._has("l")  # null, not empty
            assert got.inner.t == "in" and not got.inner._has("l")
            assert (await got.thing.name()).n == "thing"
            assert got.to_dict().keys() == {"thing", "inner"}

    run(main)
