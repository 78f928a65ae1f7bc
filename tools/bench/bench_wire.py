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
    ELEM_POINTER,
    MessageBuilder,
    MessageReader,
    StructReader,
)
from capnp_lite.wire.packed import pack_message, unpack_message  # noqa: E402

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
enum Color { red @0; green @1; blue @2; }
struct Product {
  name @0 :Text;
  color @1 :Color;
  price @2 :Float64;
  weight @3 :Float32;
  tags @4 :List(Text);
  scores @5 :List(Int32);
  id @6 :UInt64;
}
struct Catalog {
  title @0 :Text;
  items @1 :List(Product);
}
"""

# Product's layout as the schema compiler assigns it: data words and pointer slots.
PRODUCT_DATA_WORDS = 3
PRODUCT_PTRS = 3
N_PRODUCTS = 100


ITEMS = 18_700  # about 1 MiB of structs and texts


def best(fn: Callable[[], Any], repeat: int) -> float:
    """Best time per call; fast cases run many times per measurement."""
    once = min(timeit.repeat(fn, repeat=1, number=1))
    number = max(1, int(0.02 / max(once, 1e-7)))
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


def product_values(k: int) -> Tuple[str, int, float, float, List[str], List[int], int]:
    return (f"item number {k}", k % 3, k * 1.25, k * 0.5, ["alpha", "beta", f"t{k}"],
            [k, k + 1, k + 2, k + 3], k * 1000)


def build_catalog() -> List[bytes]:
    """The realistic nested message: a list of 100 structs with text, enums, floats, lists."""
    mb = MessageBuilder()
    root = mb.init_root(0, 2)
    root.set_text(0, "catalog")
    items = root.init_struct_list(1, N_PRODUCTS, PRODUCT_DATA_WORDS, PRODUCT_PTRS)
    for k in range(N_PRODUCTS):
        name, color, price, weight, tags, scores, id_ = product_values(k)
        it = items.get_struct(k)
        it.set_text(0, name)
        it.set_uint16(0, color)  # color: 16 bits at bit 0
        it.set_float64(1, price)  # price: word 1
        it.set_float32(1, weight)  # weight: 32 bits at bit 32
        tl = it.init_list(1, ELEM_POINTER, len(tags))
        for j, t in enumerate(tags):
            tl.set_text(j, t)
        it.init_primitive_list(2, "i", scores)
        it.set_uint64(2, id_)  # id: word 2
    return mb.segments()


def read_catalog(root: StructReader) -> float:
    """Read every field of the nested message, as an application would."""
    total = float(len(root.get_text(0)))
    items = root.get_list(1, ELEM_COMPOSITE)
    for k in range(len(items)):
        it = items.get_struct(k)
        total += len(it.get_text(0)) + it.get_uint16(0) + it.get_float64(1) + it.get_float32(1)
        total += it.get_uint64(2)
        tags = it.get_list(1, ELEM_POINTER)
        for j in range(len(tags)):
            total += len(tags.get_text(j))
        total += sum(it.get_list(2, ELEM_FOUR_BYTES).to_list("i"))
    return total


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

    catalog_segments = build_catalog()
    catalog_packed = pack_message(catalog_segments)
    catalog_total = read_catalog(MessageReader(catalog_segments).root())

    def ours_pack_unpack() -> None:
        MessageReader(unpack_message(pack_message(catalog_segments))).root()

    def ours_parse_packed() -> None:
        read_catalog(MessageReader(unpack_message(catalog_packed)).root())

    def ours_unpack_only() -> None:
        unpack_message(catalog_packed)

    # The same packed bytes through readers generated for the message's schema (bench_struct's,
    # which lays the fields out as build_catalog does): what pycapnp's schema-based reading
    # compares with.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_struct import load_generated

    gen = load_generated()

    def read_generated(c: Any) -> float:
        total = float(len(c.title))
        for it in c.items:
            total += len(it.name) + it.color + it.price + it.weight + it.id
            for tag in it.tags:
                total += len(tag)
            total += sum(it.scores)
        return total

    assert read_generated(gen.Catalog_Reader.from_bytes_packed(catalog_packed)) == catalog_total

    def ours_parse_packed_generated() -> None:
        read_generated(gen.Catalog_Reader.from_bytes_packed(catalog_packed))

    def ours_parse_small() -> None:
        r = MessageReader(small_segments).root()
        r.get_uint64(0)
        r.get_text(0)

    small_builder = MessageBuilder(8)
    small_root = small_builder.init_root(1, 1)
    small_root.set_uint64(0, 42)
    small_root.set_text(0, "hello")
    small_segments = small_builder.segments()

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

        Catalog = mod.Catalog
        pc_catalog = Catalog.from_segments(catalog_segments)
        pc_catalog_builder = pc_catalog.as_builder()
        pc_packed = pc_catalog_builder.to_bytes_packed()

        def pc_read_catalog(c: Any) -> float:
            total = float(len(c.title))
            for it in c.items:
                total += len(it.name) + it.color.raw + it.price + it.weight + it.id
                for t in it.tags:
                    total += len(t)
                total += sum(it.scores)
            return total

        # The bench is only meaningful if both sides read the same message.
        assert pc_packed == catalog_packed, "pycapnp packs the catalog differently"
        assert pc_read_catalog(pc_catalog) == catalog_total

        def pc_pack_unpack() -> None:
            # Serializing a builder again is intended here: silence pycapnp's warning.
            pc_catalog_builder.clear_write_flag()
            Catalog.from_bytes_packed(pc_catalog_builder.to_bytes_packed())

        def pc_parse_packed() -> None:
            pc_read_catalog(Catalog.from_bytes_packed(pc_packed))

        def pc_parse_small() -> None:
            r = Item.from_segments(small_segments)
            r.id
            r.name

        Item = mod.Item
        theirs = {"pack": pc_pack_unpack, "parse_packed": pc_parse_packed,
                  "small": pc_parse_small,
                  "items": pc_parse_items, "u32": pc_u32, "f64": pc_f64,
                  "bu32": pc_build_u32, "bf64": pc_build_f64}

    rows = [
        ("nested 100 structs: pack + unpack", ours_pack_unpack, theirs.get("pack")),
        ("nested 100 structs: parse packed + read all", ours_parse_packed,
         theirs.get("parse_packed")),
        ("nested 100 structs: parse packed + read all, generated readers",
         ours_parse_packed_generated, theirs.get("parse_packed")),
        ("nested 100 structs: unpack only", ours_unpack_only, None),
        ("small message: parse + read 2 fields", ours_parse_small, theirs.get("small")),
        (f"parse {item_words * 8 / 1048576:.2f} MiB, {len(item_segments)} segments, "
         f"{ITEMS} structs+texts", ours_parse_items, theirs.get("items")),
        ("List(UInt32) 1e6: parse + to_list", ours_u32, theirs.get("u32")),
        ("List(Float64) 1e6: parse + to_list", ours_f64, theirs.get("f64")),
        ("List(UInt32) 1e6: build", ours_build_u32, theirs.get("bu32")),
        ("List(Float64) 1e6: build", ours_build_f64, theirs.get("bf64")),
    ]
    print(f"{sys.implementation.name} {sys.version.split()[0]}")
    print(f"{'case':<58} {'ours us':>9} {'pycapnp us':>11} {'ratio':>7}")
    for name, ours, other in rows:
        t_ours = best(ours, repeat) * 1e6
        if other is not None:
            t_other = best(other, repeat) * 1e6
            print(f"{name:<58} {t_ours:>9.1f} {t_other:>11.1f} {t_ours / t_other:>7.2f}")
        else:
            print(f"{name:<58} {t_ours:>9.1f} {'-':>11} {'-':>7}")


if __name__ == "__main__":
    main()
