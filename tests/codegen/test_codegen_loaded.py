"""Struct list iteration reads each element's plain fields in advance.

Iterating a ``StructList`` hands out readers whose scalars, texts, data,
List(Text) and short number lists were decoded in one loop (see
``emit_loader`` in the generator).  These tests check that every such value
equals what pycapnp reads from the same bytes and what the lazy path (indexing
the list) reads, across schema defaults, unknown enumerants, older and newer
struct sizes, far pointers, malformed values and the reader limits.
"""

from __future__ import annotations

import struct
import sys
from types import ModuleType
from typing import Any, Dict, List, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.errors import DecodeError, LimitError
from capnp_lite.schema import compile_source
from capnp_lite.wire.layout import MessageBuilder, MessageReader

from .cg_helpers import far_copy, generated_module

capnp = pytest.importorskip("capnp")

SCHEMA = """
@0xc7e1d2a39b4f5061;

enum Kind { a @0; b @1; c @2; }

struct Elem {
  i8 @0 :Int8 = -3;
  u16 @1 :UInt16;
  flag @2 :Bool = true;
  other @3 :Bool;
  f32 @4 :Float32 = 1.5;
  f64 @5 :Float64;
  kind @6 :Kind = b;
  big @7 :UInt64 = 12345;
  name @8 :Text = "dflt";
  blob @9 :Data;
  tags @10 :List(Text);
  nums @11 :List(Int32);
  vals @12 :List(Float64);
  octets @13 :List(UInt8);
  child @14 :Elem;
  kinds @15 :List(Kind);
  union {
    none @16 :Void;
    count @17 :UInt32;
    label @18 :Text;
  }
  grp :group {
    x @19 :Int32;
    y @20 :Text;
  }
}

struct ElemV0 {
  i8 @0 :Int8 = -3;
  u16 @1 :UInt16;
}

struct Holder {
  elems @0 :List(Elem);
}

struct HolderV0 {
  elems @0 :List(ElemV0);
}
"""

# The fields the loader fills, as the typed readers return them.
PLAIN = ("i8", "u16", "flag", "other", "f32", "f64", "kind", "big", "name", "blob", "tags",
         "nums", "vals", "octets")


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_module(tmp_path_factory.mktemp("cgloaded"), SCHEMA, "loaded.capnp")


@pytest.fixture(scope="module")
def ref(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("cgloaded_ref") / "loaded.capnp"
    path.write_text(SCHEMA)
    return capnp.load(str(path))


def ours(e: Any) -> Dict[str, Any]:
    """Every field of a generated reader, as plain values."""
    out = {f: getattr(e, f) for f in PLAIN}
    out["kind"] = int(out["kind"])
    for f in ("tags", "nums", "vals", "octets"):
        out[f] = list(out[f])
    out["kinds"] = [int(k) for k in e.kinds]
    out["which"] = int(e.which())
    out["count"] = e.count if out["which"] == 1 else None
    out["label"] = e.label if out["which"] == 2 else None
    out["grp"] = (e.grp.x, e.grp.y)
    out["child"] = e.child.i8
    return out


def theirs(e: Any) -> Dict[str, Any]:
    """The same from a pycapnp reader."""
    out = {f: getattr(e, f) for f in PLAIN}
    out["kind"] = out["kind"].raw
    for f in ("tags", "nums", "vals", "octets"):
        out[f] = list(out[f])
    out["kinds"] = [k.raw for k in e.kinds]
    which = e.which()
    out["which"] = {"none": 0, "count": 1, "label": 2}[str(which)]
    out["count"] = e.count if out["which"] == 1 else None
    out["label"] = e.label if out["which"] == 2 else None
    out["grp"] = (e.grp.x, e.grp.y)
    out["child"] = e.child.i8
    return out


def fill(e: Any, k: int) -> None:
    """Element ``k`` of a test list, through pycapnp; some fields keep their defaults."""
    if k % 5:
        e.i8 = -(k % 100)
        e.flag = bool(k % 2)
        e.f32 = k * 0.25
        e.kind = ["a", "b", "c"][k % 3]
        e.big = k << 40
        e.name = f"element {k}" + ("\u00e9" * (k % 3))
    e.u16 = k * 3
    e.other = k % 3 == 0
    e.f64 = -k / 3
    if k % 4:
        e.blob = bytes(range(k % 11))
        e.tags = [f"t{j}" * j for j in range(k % 6)]
        e.nums = [k * j - 7 for j in range(k % 19)]  # past 16 elements now and then
        e.vals = [k / (j + 1) for j in range(k % 4)]
        e.octets = list(range(k % 9))
        e.kinds = ["c", "a"][: k % 3]
    if k % 3 == 1:
        e.count = k
    elif k % 3 == 2:
        e.label = f"label {k}"
    e.grp.x = k
    e.grp.y = "y" * (k % 4)
    if k % 7 == 0:
        e.child.i8 = 5


def holder_bytes(ref: Any, n: int) -> bytes:
    h = ref.Holder.new_message()
    elems = h.init("elems", n)
    for k in range(n):
        fill(elems[k], k)
    data: bytes = h.to_bytes()
    return data


def check_against_ref(mod: ModuleType, ref: Any, data: bytes) -> List[Any]:
    """Iterated (loaded) elements equal the indexed (lazy) ones and pycapnp's."""
    r = mod.Holder_Reader.from_bytes(data)
    lst = r.elems
    loaded = list(lst)
    with ref.Holder.from_bytes(data) as rr:
        expected = [theirs(e) for e in rr.elems]
    assert len(loaded) == len(expected)
    for k, (e, want) in enumerate(zip(loaded, expected)):
        assert isinstance(e, mod.Elem_Reader)
        assert ours(e) == want, k
        assert ours(lst[k]) == want, k
    return loaded


def test_iteration_matches_pycapnp(mod: ModuleType, ref: Any) -> None:
    loaded = check_against_ref(mod, ref, holder_bytes(ref, 40))
    if sys.implementation.name != "pypy":  # (PyPy iterates lazily)
        # The loader really ran: its readers hold their fields as slots.
        assert type(loaded[1]) is not mod.Elem_Reader
    assert not hasattr(loaded[1], "no_such_field")


def test_chunks_and_early_stop(mod: ModuleType, ref: Any) -> None:
    data = holder_bytes(ref, 150)  # more than one loader chunk
    check_against_ref(mod, ref, data)
    for k, e in enumerate(mod.Holder_Reader.from_bytes(data).elems):
        if k == 3:
            assert e.u16 == 9
            break


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=12), st.lists(st.text(max_size=6), max_size=20),
                          st.lists(st.integers(-2**31, 2**31 - 1), max_size=20)),
                max_size=6))
def test_random_texts_and_lists(mod: ModuleType, ref: Any,
                                items: List[Tuple[str, List[str], List[int]]]) -> None:
    h = ref.Holder.new_message()
    elems = h.init("elems", len(items))
    for e, (name, tags, nums) in zip(elems, items):
        e.name = name
        e.tags = tags
        e.nums = nums
    got = [(e.name, list(e.tags), list(e.nums))
           for e in mod.Holder_Reader.from_bytes(h.to_bytes()).elems]
    assert got == [(n, t, u) for n, t, u in items]


def test_unknown_enumerant(mod: ModuleType, ref: Any) -> None:
    data = bytearray(holder_bytes(ref, 3))
    # Element 1's kind becomes 9, which the schema lacks.
    node = compile_source(SCHEMA, "loaded.capnp").find("loaded.capnp:Elem")
    offset = next(f.offset for f in node.fields if f.name == "kind")  # in 16-bit units
    d, _ = element_coordinates(bytes(data), 1)
    at = d + 2 * offset
    struct.pack_into("<H", data, at, 9 ^ 1)  # stored XORed with the default (b = 1)
    e = list(mod.Holder_Reader.from_bytes(bytes(data)).elems)[1]
    assert e.kind == 9 and e.kind.name == "UNKNOWN_9"
    with ref.Holder.from_bytes(bytes(data)) as rr:
        assert rr.elems[1].kind.raw == 9


def test_older_writer_short_data_section(mod: ModuleType, ref: Any) -> None:
    h = ref.HolderV0.new_message()
    elems = h.init("elems", 3)
    for k, e in enumerate(elems):
        e.i8 = k - 1
        e.u16 = 100 + k
    check_against_ref(mod, ref, h.to_bytes())
    got = [(e.i8, e.u16, e.name, list(e.tags), e.f32, e.flag)
           for e in mod.Holder_Reader.from_bytes(h.to_bytes()).elems]
    assert got == [(k - 1, 100 + k, "dflt", [], 1.5, True) for k in range(3)]


def test_newer_writer_longer_elements(mod: ModuleType, ref: Any) -> None:
    # Elements with a data word and a pointer more than the schema knows, written by the
    # layout core: the loader reads what it knows and skips the rest.
    mb = MessageBuilder()
    root = mb.init_root(0, 1)
    lst = root.init_struct_list(0, 4, 5, 9)
    for k in range(4):
        e = lst.get_struct(k)
        e.set_uint16(1, 40 + k)  # u16: 16 bits at bit 16
        e.set_text(0, f"n{k}")
        e.set_text(8, "unknown to the schema")
        e.set_uint64(4, 99)
    segs = mb.segments()
    data = b"".join([struct.pack("<II", 0, len(segs[0]) // 8), segs[0]])
    got = [(e.u16, e.name, e.i8) for e in mod.Holder_Reader.from_bytes(data).elems]
    assert got == [(40 + k, f"n{k}", -3) for k in range(4)]
    check_against_ref(mod, ref, data)


@pytest.mark.parametrize("segment_words", [3, 8, 40])
def test_far_pointers(mod: ModuleType, ref: Any, segment_words: int) -> None:
    data = holder_bytes(ref, 24)
    segs = far_copy(data, segment_words)
    assert len(segs) > 2
    want = [ours(e) for e in mod.Holder_Reader.from_bytes(data).elems]
    r = mod.Holder_Reader.from_segments(segs)
    assert [ours(e) for e in r.elems] == want
    rr = ref.Holder.from_segments(segs)
    assert [theirs(e) for e in rr.elems] == want


def element_coordinates(data: bytes, k: int) -> Tuple[int, int]:
    """Byte offsets (in ``data``) of element ``k``'s data and pointer sections."""
    lst = MessageReader([data[8:]]).root().get_list(0, 7)
    d = 8 + lst.data_offset + k * (lst.step_bits // 8)
    return d, d + lst.data_bits_per_element // 8


def test_malformed_values_fail_when_read(mod: ModuleType, ref: Any) -> None:
    data = bytearray(holder_bytes(ref, 6))
    _, p = element_coordinates(bytes(data), 1)
    lo, hi = struct.unpack_from("<II", data, p)  # element 1's name
    target = p + 8 + ((lo >> 2) << 3)
    n = hi >> 3
    data[target + n - 1] = ord("x")  # no NUL at the end
    _, p3 = element_coordinates(bytes(data), 3)
    lo, hi = struct.unpack_from("<II", data, p3)  # element 3's name
    data[p3 + 8 + ((lo >> 2) << 3)] = 0xFF  # not UTF-8
    r = mod.Holder_Reader.from_bytes(bytes(data))
    elems = list(r.elems)  # iterating never raises
    for k in (1, 3):
        with pytest.raises(DecodeError):
            elems[k].name
        with pytest.raises(DecodeError):
            r.elems[k].name
    # The other fields, and the other elements, still read.
    assert [e.u16 for e in elems] == [3 * k for k in range(6)]
    assert elems[2].name == "element 2\u00e9\u00e9"


def test_traversal_limit(mod: ModuleType, ref: Any) -> None:
    data = holder_bytes(ref, 30)
    words = (len(data) - 8) // 8
    # Plenty: the whole message once.
    total = sum(len(e.name) for e in mod.Holder_Reader.from_bytes(
        data, traversal_limit_in_words=words + 10).elems)
    assert total > 0
    # Too little for every element's fields: some read fails with a DecodeError, never
    # an IndexError or a wrong value.
    r = mod.Holder_Reader.from_bytes(data, traversal_limit_in_words=words // 3)
    with pytest.raises(DecodeError):
        for e in r.elems:
            for f in PLAIN:
                getattr(e, f)
    with ref.Holder.from_bytes(data, traversal_limit_in_words=words // 3) as rr:
        with pytest.raises(Exception):
            for e in rr.elems:
                for f in PLAIN:
                    getattr(e, f)


def test_nesting_limit(mod: ModuleType, ref: Any) -> None:
    """The root, the list and each element cost a level, as in the reference: at each
    limit, the same reads succeed or fail in both."""
    data = holder_bytes(ref, 5)

    def outcome(read: Any) -> Any:
        try:
            return read()
        except Exception:  # the reference raises its own exception type
            return "refused"

    def u16s(r: Any) -> Any:
        return [e.u16 for e in r.elems]

    def nums(r: Any) -> Any:
        return [list(e.nums) for e in r.elems]

    for limit in range(1, 6):
        for read in (u16s, nums):
            ours = outcome(lambda: read(mod.Holder_Reader.from_bytes(data, nesting_limit=limit)))
            with ref.Holder.from_bytes(data, nesting_limit=limit) as rr:
                theirs = outcome(lambda: read(rr))
            assert ours == theirs, (limit, read.__name__)
    # The limit where elements first become readable: their own lists are one more level.
    assert outcome(lambda: u16s(mod.Holder_Reader.from_bytes(data, nesting_limit=2))) == "refused"
    assert outcome(lambda: nums(mod.Holder_Reader.from_bytes(data, nesting_limit=3))) == "refused"
    assert outcome(lambda: nums(mod.Holder_Reader.from_bytes(data, nesting_limit=4))) != "refused"
    with pytest.raises(LimitError):
        u16s(mod.Holder_Reader.from_bytes(data, nesting_limit=2))