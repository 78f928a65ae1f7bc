"""Wire-layer benchmark: capnp-lite against pycapnp (C++), side by side.

Run from the repository root: ``python tools/bench/bench_wire.py [--quick]``.
Each figure is the best of several runs (timeit style).  pycapnp is optional;
without it only our times are printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import timeit
from typing import Any, Callable, Dict, List, Optional, Tuple

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from capnp_lite.wire import (  # noqa: E402
    ELEM_COMPOSITE,
    ELEM_EIGHT_BYTES,
    ELEM_FOUR_BYTES,
    MessageBuilder,
    MessageReader,
)

SCHEMA = """@0xe3b0c44298fc1c14;
struct Bench {
  u32 @0 :List(UInt32);
  f64 @1 :List(Float64);
  items @2 :List(Item);
}
struct Item {
  id @0 :UInt64;
  name @1 :Text;
}
"""


ITEMS = 18_700  # about 1 MiB of structs and texts


def best(fn: Callable[[], Any], repeat: int, number: int = 1) -> float:
    return min(timeit.repeat(fn, repeat=repeat, number=number)) / number


def load_pycapnp() -> Optional[Any]:
    try:
        import capnp  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        return None
    d = tempfile.mkdtemp()
    path = os.path.join(d, "bench.capnp")
    with open(path, "w") as f:
        f.write(SCHEMA)
    return capnp.load(path)


def build_items(n: int) -> List[bytes]:
    """About 1 MiB: n items of one word + a short text, in 1024-word segments."""
    mb = MessageBuilder()
    root = mb.init_root(0, 3)
    items = root.init_struct_list(2, n, 1, 1)
    for i in range(n):
        item = items.get_struct(i)
        item.set_uint64(0, i)
        item.set_text(0, "item-%06d-padding-text" % i)
    return mb.segments()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    n = 1_000_000
    u32 = [(i * 2654435761) & 0xFFFFFFFF for i in range(n)]
    f64 = [i * 0.5 for i in range(n)]

    mb = MessageBuilder()
    root = mb.init_root(0, 3)
    root.init_primitive_list(0, "I", u32)
    root.init_primitive_list(1, "d", f64)
    list_segments = mb.segments()
    item_segments = build_items(ITEMS)
    item_words = sum(len(s) for s in item_segments) // 8

    def ours_parse_items() -> None:
        r = MessageReader(item_segments).root()
        items = r.get_list(2, ELEM_COMPOSITE)
        for i in range(len(items)):
            s = items.get_struct(i)
            s.get_uint64(0)
            s.get_text(0)

    def ours_u32() -> None:
        MessageReader(list_segments).root().get_list(0, ELEM_FOUR_BYTES).to_list("I")

    def ours_f64() -> None:
        MessageReader(list_segments).root().get_list(1, ELEM_EIGHT_BYTES).to_list("d")

    def ours_build_u32() -> None:
        b = MessageBuilder()
        b.init_root(0, 3).init_primitive_list(0, "I", u32)
        b.segments()

    def ours_build_f64() -> None:
        b = MessageBuilder()
        b.init_root(0, 3).init_primitive_list(1, "d", f64)
        b.segments()

    rows: List[Tuple[str, Callable[[], None], Optional[Callable[[], None]]]] = []
    mod = load_pycapnp()
    theirs: Dict[str, Callable[[], None]] = {}
    if mod is not None:
        Bench = mod.Bench
        opts = {"traversal_limit_in_words": 1 << 26}

        def pc_parse_items() -> None:
            r = Bench.from_segments(item_segments, **opts)
            for it in r.items:
                it.id
                it.name

        def pc_u32() -> None:
            list(Bench.from_segments(list_segments, **opts).u32)

        def pc_f64() -> None:
            list(Bench.from_segments(list_segments, **opts).f64)

        def pc_build_u32() -> None:
            m = Bench.new_message()
            m.u32 = u32
            m.to_segments()

        def pc_build_f64() -> None:
            m = Bench.new_message()
            m.f64 = f64
            m.to_segments()

        theirs = {"items": pc_parse_items, "u32": pc_u32, "f64": pc_f64,
                  "bu32": pc_build_u32, "bf64": pc_build_f64}

    rows = [
        (f"parse {item_words * 8 / 1048576:.2f} MiB, {len(item_segments)} segments, "
         f"{ITEMS} structs+texts", ours_parse_items, theirs.get("items")),
        ("List(UInt32) 1e6: parse + to_list", ours_u32, theirs.get("u32")),
        ("List(Float64) 1e6: parse + to_list", ours_f64, theirs.get("f64")),
        ("List(UInt32) 1e6: build", ours_build_u32, theirs.get("bu32")),
        ("List(Float64) 1e6: build", ours_build_f64, theirs.get("bf64")),
    ]
    print(f"{sys.implementation.name} {sys.version.split()[0]}")
    print(f"{'case':<58} {'ours ms':>9} {'pycapnp ms':>11} {'ratio':>7}")
    for name, ours, other in rows:
        t_ours = best(ours, repeat) * 1e3
        if other is not None:
            t_other = best(other, repeat) * 1e3
            print(f"{name:<58} {t_ours:>9.2f} {t_other:>11.2f} {t_ours / t_other:>7.2f}")
        else:
            print(f"{name:<58} {t_ours:>9.2f} {'-':>11} {'-':>7}")


if __name__ == "__main__":
    main()
