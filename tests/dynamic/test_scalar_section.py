"""Readers unpack a struct's scalars together on first use and keep them.

Checked against pycapnp (the reference) for every scalar kind, non-zero
defaults, union members sharing bytes, and older (shorter) structs; and a
reader of a message still being built must see later writes.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any, Dict

import pytest
from hypothesis import given, settings, strategies as st

import capnp_lite.dynamic as dyn
from capnp_lite.schema import compile_source

capnp = pytest.importorskip("capnp")

SCHEMA = """
@0x9e5c3a77120bd4f1;

enum Shade { dark @0; light @1; pale @2; }

struct Scalars {
  i8 @0 :Int8 = -3;
  u8 @1 :UInt8;
  i16 @2 :Int16 = 1234;
  u16 @3 :UInt16;
  i32 @4 :Int32 = -7;
  u32 @5 :UInt32 = 99;
  i64 @6 :Int64;
  u64 @7 :UInt64 = 12345678901234;
  f32 @8 :Float32;
  f64 @9 :Float64;
  fd @10 :Float64 = 2.5;
  b0 @11 :Bool;
  b1 @12 :Bool = true;
  b2 @13 :Bool;
  shade @14 :Shade = light;
  pick :union {
    small @15 :UInt16;
    wide @16 :Int32;
    flag @17 :Bool;
  }
}

struct Old {
  i8 @0 :Int8 = -3;  # the same field as Scalars.i8, from an older version
}
"""

FIELDS = ["i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "f32", "f64", "fd",
          "b0", "b1", "b2"]


@pytest.fixture(scope="module")
def mods() -> Any:
    ours = dyn.load_request(compile_source(SCHEMA, "scalars.capnp"))
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "scalars.capnp")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(SCHEMA)
    return ours, capnp.load(path)


values = st.fixed_dictionaries({
    "i8": st.integers(-128, 127),
    "u8": st.integers(0, 255),
    "i16": st.integers(-(1 << 15), (1 << 15) - 1),
    "u16": st.integers(0, (1 << 16) - 1),
    "i32": st.integers(-(1 << 31), (1 << 31) - 1),
    "u32": st.integers(0, (1 << 32) - 1),
    "i64": st.integers(-(1 << 63), (1 << 63) - 1),
    "u64": st.integers(0, (1 << 64) - 1),
    "f32": st.sampled_from([0.0, -1.5, 3.25, 2.0 ** 100]),
    "f64": st.floats(allow_nan=False),
    "fd": st.floats(allow_nan=False),
    "b0": st.booleans(),
    "b1": st.booleans(),
    "b2": st.booleans(),
    "shade": st.sampled_from(["dark", "light", "pale"]),
})


@settings(max_examples=40, deadline=None)
@given(v=values, member=st.sampled_from(["small", "wide", "flag"]))
def test_scalars_match_pycapnp(mods: Any, v: Dict[str, Any], member: str) -> None:
    ours, ref = mods
    m = ref.Scalars.new_message()
    for k, x in v.items():
        setattr(m, k, x)
    setattr(m.pick, member, {"small": 700, "wide": -70000, "flag": True}[member])
    r = ours.Scalars.from_bytes(m.to_bytes())
    for k in FIELDS:
        assert getattr(r, k) == v[k], k
    assert r.shade == v["shade"]
    assert r.pick.which() == member
    assert getattr(r.pick, member) == getattr(m.pick, member)
    # A second read comes from the cache and agrees.
    assert [getattr(r, k) for k in FIELDS] == [v[k] for k in FIELDS]


def test_defaults_of_an_empty_struct(mods: Any) -> None:
    ours, ref = mods
    r = ours.Scalars.from_bytes(ref.Scalars.new_message().to_bytes())
    d = ref.Scalars.new_message()
    for k in FIELDS:
        assert getattr(r, k) == getattr(d, k), k
    assert r.shade == "light"


def test_older_shorter_struct_reads_defaults(mods: Any) -> None:
    ours, ref = mods
    old = ref.Old.new_message(i8=-100)
    r = ours.Scalars.from_bytes(old.to_bytes())
    assert r.i8 == -100
    assert r.i16 == 1234 and r.u64 == 12345678901234 and r.b1 is True and r.fd == 2.5
    assert r.shade == "light" and r.u8 == 0 and r.f64 == 0.0


def test_reader_of_a_builder_sees_later_writes(mods: Any) -> None:
    ours, _ = mods
    b = ours.Scalars.new_message()
    r = b.as_reader()
    assert r.i32 == -7 and r.b0 is False
    b.i32 = 41
    b.b0 = True
    b.shade = "pale"
    assert r.i32 == 41 and r.b0 is True and r.shade == "pale"


def test_a_field_cut_off_by_a_short_data_section_reads_as_its_default() -> None:
    """Elements of a List(UInt8) or List(UInt32) read as a list of structs have a data section
    of one or four bytes: a field wholly inside it reads its bytes, a field only partly inside
    reads as its default (as the reference reads it), never as the bytes that are there."""
    from capnp_lite.dynamic import load_request
    from capnp_lite.schema import compile_source
    from capnp_lite.wire import MessageBuilder
    from capnp_lite.wire.framing import encode_message

    mod = load_request(compile_source("""@0xd1a2b3c4d5e6f723;
struct Narrow { a @0 :UInt16 = 9; b @1 :UInt16; }
struct Wide { id @0 :UInt32 = 9; big @1 :Int64 = 5; f @2 :Float32; }
struct Root { narrow @0 :List(Narrow); wide @1 :List(Wide); }""", "short_section.capnp"))
    mb = MessageBuilder()
    root = mb.init_root(0, 2)
    root.init_list(0, 2, 2).set_all([0x7A, 1], "B")  # List(UInt8): one byte each
    root.init_list(1, 4, 1).set_all([0x0403027A], "I")  # List(UInt32): four bytes
    got = mod.Root.from_bytes(encode_message(mb.segments()))
    assert [(e.a, e.b) for e in got.narrow] == [(9, 0), (9, 0)]  # a: bytes 0-2 of 1
    assert [(e.id, e.big, e.f) for e in got.wide] == [(0x0403027A ^ 9, 5, 0.0)]  # id inside
