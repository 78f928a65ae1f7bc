"""How fast can eager writes build bench_struct's nested message in CPython, at best?

    python tools/bench/bench_eager_floor.py

A reference point, not a library: the catalog of 100 items is built by one builder
object per item whose fields are properties that write straight into one growing
bytearray (one segment, whatever its size), with no checks of any kind (types, ranges,
segment limits, far pointers, allocation order) and text lists unrolled for three texts.
An eager builder does all of that and more per field; this is the time no such design
can go below (the dynamic API's list elements now keep their values and are laid out
together instead, see README's Design).  It is printed beside pycapnp's for the same
statements (bench_struct's case) and the dynamic API's, after the message it builds is read
back and compared with theirs.
"""

from __future__ import annotations

import os
import struct
import sys
from typing import Any, List

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench_struct as B  # noqa: E402

_Q = struct.Struct("<Q").pack_into
_D = struct.Struct("<d").pack_into
_F = struct.Struct("<f").pack_into
_H = struct.Struct("<H").pack_into
_POINTERS3 = struct.Struct("<6I").pack
_SCORES4 = struct.Struct("<4i").pack
_PADS = tuple("\0" * (8 - k) for k in range(8))
_COLORS = {"red": 0, "green": 1, "blue": 2}
_STRIDE = 48  # Item: 3 data words, 3 pointers


class _Message:
    __slots__ = ("buf",)
    buf: bytearray


class _Item:
    """Item's fields as write-only properties (offsets fixed by the schema's layout)."""

    __slots__ = ("m", "d", "p")
    m: _Message
    d: int  # data section, byte offset
    p: int  # pointer section, byte offset

    def _name(self, value: str) -> None:
        raw = value.encode()
        buf = self.m.buf
        n = len(raw)
        w = self.p
        _Q(buf, w, ((len(buf) - w - 8) >> 1) | 0x200000001 | ((n + 1) << 35))
        buf += raw
        buf += b"\0" * (8 - (n & 7))

    def _color(self, value: str) -> None:
        _H(self.m.buf, self.d, _COLORS[value])

    def _price(self, value: float) -> None:
        _D(self.m.buf, self.d + 8, value)

    def _weight(self, value: float) -> None:
        _F(self.m.buf, self.d + 4, value)

    def _id(self, value: int) -> None:
        _Q(self.m.buf, self.d + 16, value)

    def _tags(self, value: List[str]) -> None:  # three texts, as every item has
        buf = self.m.buf
        w = self.p + 8
        s0, s1, s2 = value
        k0, k1, k2 = len(s0), len(s1), len(s2)
        _Q(buf, w, ((len(buf) - w - 8) >> 1) | 0x600000001 | (3 << 35))
        lo1 = 9 + ((k0 >> 1) & -4)
        buf += _POINTERS3(9, (k0 << 3) + 10, lo1, (k1 << 3) + 10, lo1 + ((k1 >> 1) & -4),
                          (k2 << 3) + 10)
        buf += "".join((s0, _PADS[k0 & 7], s1, _PADS[k1 & 7], s2, _PADS[k2 & 7])).encode()

    def _scores(self, value: List[int]) -> None:  # four numbers, as every item has
        buf = self.m.buf
        w = self.p + 16
        _Q(buf, w, ((len(buf) - w - 8) >> 1) | 0x400000001 | (len(value) << 35))
        buf += _SCORES4(*value)

    name = property(None, _name)
    color = property(None, _color)
    price = property(None, _price)
    weight = property(None, _weight)
    id = property(None, _id)
    tags = property(None, _tags)
    scores = property(None, _scores)


def _prefix() -> bytes:
    """Frame header, root pointer, Catalog (no data, two pointers), its title and the items'
    list tag: everything before the first item (48 bytes)."""
    words = _STRIDE * B.N_ITEMS // 8
    return struct.pack(
        "<IIQQQ8sQ", 0, 0,
        2 << 48,  # root: the struct right after it, no data words, two pointers
        (1 << 2) | 1 | (2 << 32) | (8 << 35),  # title: a byte list of 8 one word on
        (1 << 2) | 1 | (7 << 32) | (words << 35),  # items: a composite list one word on
        b"catalog",
        (B.N_ITEMS << 2) | (3 << 32) | (3 << 48))  # the tag: 100 elements of 3 + 3 words


_PREFIX = _prefix()
_FIRST = len(_PREFIX)


def eager_floor() -> bytes:
    m = _Message()
    m.buf = bytearray(_PREFIX) + bytes(_STRIDE * B.N_ITEMS)
    items: List[Any] = []
    for i in range(B.N_ITEMS):
        it = _Item.__new__(_Item)
        it.m = m
        it.d = _FIRST + _STRIDE * i
        it.p = it.d + 24
        items.append(it)
    names = ["red", "green", "blue"]
    for it, v in zip(items, B.ITEMS):  # bench_struct's statements
        it.name = v["name"]
        it.color = names[v["color"]]
        it.price = v["price"]
        it.weight = v["weight"]
        it.tags = v["tags"]
        it.scores = v["scores"]
        it.id = v["id"]
    buf = m.buf
    struct.pack_into("<I", buf, 4, (len(buf) - 8) >> 3)  # the segment's size
    return bytes(buf)


def main() -> None:
    number = 200
    rows: List[Any] = [("eager writes, no checks (the floor)", eager_floor)]
    ref = B.load_pycapnp()
    if ref is not None:
        rows.append(("pycapnp", B.ref_cases(ref)["nested build+serialize"]))
    dyn = B.load_dynamic()
    if dyn is not None:
        built = B.dynamic_cases(dyn)["nested build+serialize"]
        # The floor's message must hold what the others build (it is read back here).
        same = dyn.Catalog.from_bytes(eager_floor()).to_dict() == dyn.Catalog.from_bytes(built()).to_dict()
        if not same:
            raise SystemExit("the eager floor's message differs from the dynamic API's")
        rows.append(("capnp-lite dynamic API", built))
    times = [(label, B.best(fn, number)) for label, fn in rows]
    base = dict(times).get("pycapnp")
    print("nested build+serialize (100 items); microseconds per message")
    for label, t in times:
        ratio = f"{t / base:6.2f}x pycapnp" if base else ""
        print(f"{label:40} {t:9.1f}  {ratio}")


if __name__ == "__main__":
    main()
