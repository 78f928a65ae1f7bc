"""Everyday pycapnp idioms: the dynamic API against pycapnp, side by side in one run.

    python tools/bench/bench_idioms.py [--quick]

bench_struct.py times the cases the issue floors name; this times the other things
pycapnp code does all the time (keywords, dicts, one list element at a time, to_dict,
as_builder, packing...), on bench_struct's schema and 100-item catalog, so that none of
them is left far behind unnoticed.  Each row prints both times in microseconds and the
ratio (ours / pycapnp).  Needs pycapnp (CPython).
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any, Callable, List, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench_struct as B  # noqa: E402

def cases(mod: Any, reader: Callable[[bytes], Any], packed_reader: Callable[[bytes], Any]
          ) -> List[Tuple[str, Callable[[], object], int]]:
    """(name, timed call, calls per timing) for one library."""
    built = B.pycapnp_style_catalog(mod)
    data = built.to_bytes()
    packed = built.to_bytes_packed()
    r = reader(data)
    # 30 items fit the reference builder's first segment (100 take two): a message laid out
    # as a copy lays it out, which ours then copies as one block.
    r30 = reader(B.pycapnp_style_catalog(mod, 30).to_bytes())

    def keywords() -> bytes:
        out: bytes = mod.Small.new_message(**B.SMALL_FIELDS).to_bytes()
        return out

    def dict_items() -> bytes:
        out: bytes = mod.Catalog.new_message(title="catalog", items=B.ITEM_DICTS).to_bytes()
        return out

    def indexed_elements() -> bytes:
        c = mod.Catalog.new_message()
        items = c.init("items", B.N_ITEMS)
        for i in range(B.N_ITEMS):
            items[i].name = "x"
            items[i].id = i
        out: bytes = c.to_bytes()
        return out

    def indexed_numbers() -> bytes:
        it = mod.Item.new_message()
        scores = it.init("scores", 1000)
        for i in range(1000):
            scores[i] = i
        out: bytes = it.to_bytes()
        return out

    def reader_indexing() -> List[str]:
        items = reader(data).items
        return [items[i].name for i in range(len(items))]

    return [
        ("small struct from keywords", keywords, 2000),
        ("catalog from a list of dicts", dict_items, 20),
        ("items[i].field = v, 100 items", indexed_elements, 20),
        ("list[i] = v, 1000 Int32", indexed_numbers, 10),
        ("reader items[i].name, 100 items", reader_indexing, 50),
        ("reader to_dict()", lambda: r.to_dict(), 20),
        ("builder to_dict()", lambda: built.to_dict(), 20),
        ("reader as_builder()", lambda: r.as_builder(), 20),
        ("reader as_builder(), 30 items", lambda: r30.as_builder(), 50),
        ("str(reader)", lambda: str(r), 10),
        ("to_bytes_packed()", lambda: built.to_bytes_packed(), 50),
        ("from_bytes_packed + len(items)", lambda: len(packed_reader(packed).items), 50),
        ("from_bytes + one field", lambda: reader(data).title, 2000),
    ]


def main(argv: List[str]) -> int:
    quick = "--quick" in argv
    # pycapnp warns each time a message is serialised twice, which these loops do on purpose.
    warnings.filterwarnings("ignore", category=UserWarning)
    ref_mod = B.load_pycapnp()
    ours_mod = B.load_dynamic()
    if ref_mod is None or ours_mod is None:
        print("bench_idioms needs pycapnp and the dynamic API (run it on CPython)")
        return 1

    def ref_reader(data: bytes) -> Any:
        return ref_mod.Catalog.from_bytes(data).__enter__()  # (pycapnp's context manager)

    ours = cases(ours_mod, ours_mod.Catalog.from_bytes, ours_mod.Catalog.from_bytes_packed)
    ref = cases(ref_mod, ref_reader, ref_mod.Catalog.from_bytes_packed)
    print(f"capnp-lite dynamic API vs pycapnp ({sys.implementation.name} "
          f"{sys.version.split()[0]}); microseconds per call")
    print(f"{'idiom':34} {'ours':>10} {'pycapnp':>10} {'ratio':>7}")
    for (name, mine, number), (_, theirs, _) in zip(ours, ref):
        number = max(1, number // (10 if quick else 1))
        a = B.best(mine, number)
        b = B.best(theirs, number)
        print(f"{name:34} {a:10.1f} {b:10.1f} {a / b:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
