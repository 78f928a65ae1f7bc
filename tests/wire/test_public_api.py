"""The wire layer's API for code that reads fields itself, its views and its limits."""

from __future__ import annotations

import random
import struct
from pathlib import Path
from typing import Any, Callable

import pytest

from capnp_lite.errors import DecodeError, LimitError
from capnp_lite.wire import (
    ELEM_COMPOSITE,
    ELEM_FOUR_BYTES,
    MessageBuilder,
    MessageReader,
    PointerKind,
    StructReader,
)
from capnp_lite.wire import segments as S
from capnp_lite.wire.layout import ROOT_POINTER_CHARGE, AnyPointerReader, MessageContext


def build() -> bytes:
    mb = MessageBuilder()
    root = mb.init_root(1, 3)
    root.set_uint64(0, 0x1122334455667788)
    root.set_text(0, "hello")
    root.init_primitive_list(1, "i", [1, -2, 3])
    items = root.init_struct_list(2, 3, 1, 1)
    for i in range(3):
        items.get_struct(i).set_uint32(0, i * 7)
        items.get_struct(i).set_text(0, f"item{i}")
    [seg] = mb.segments()
    return seg


def test_from_segment_reads_like_the_general_constructor() -> None:
    data = build()
    fast = MessageReader.from_segment(S.read_segment(0, data), 100, 10).root()
    slow = MessageReader([data], traversal_limit_in_words=100, nesting_limit=10).root()
    assert fast.get_uint64(0) == slow.get_uint64(0) == 0x1122334455667788
    assert fast.get_text(0) == slow.get_text(0) == "hello"
    assert fast.nesting_left == slow.nesting_left == 9
    assert fast.context.budget == slow.context.budget


@pytest.mark.parametrize("data", [
    memoryview(bytes(32))[::2],  # not contiguous
    bytes(12),  # not whole words
])
def test_read_segment_rejects_what_segment_rejects(data: Any) -> None:
    with pytest.raises(DecodeError):
        S.read_segment(0, data)
    with pytest.raises(DecodeError):
        MessageReader([data]).root()


def test_read_segment_flattens_a_contiguous_view() -> None:
    data = build()
    flat = S.read_segment(0, memoryview(data).cast("B", (len(data) // 8, 8)))
    assert flat.words == len(data) // 8 and flat.b.tobytes() == data


def test_struct_reader_at_coordinates() -> None:
    r = MessageReader([build()]).root()
    copy = StructReader(r.context, r.segment, r.data_offset, r.data_size, r.pointer_offset,
                        r.ptr_count, r.nesting_left)
    assert copy.get_uint64(0) == 0x1122334455667788
    assert copy.get_text(0) == "hello"
    assert copy.get_list(1, ELEM_FOUR_BYTES).to_list("i") == [1, -2, 3]


def test_list_coordinates() -> None:
    r = MessageReader([build()]).root()
    lst = r.get_list(2, ELEM_COMPOSITE)
    assert lst.context is r.context and lst.nesting_left == r.nesting_left - 1
    assert lst.step_bits == 128 and lst.data_bits_per_element == 64
    for i in range(len(lst)):
        at = lst.data_offset + i * lst.step_bits // 8
        assert lst.segment.u32[at >> 2] == i * 7 == lst.get_struct(i).get_uint32(0)


def test_charge_and_budget() -> None:
    msg = MessageReader([build()], traversal_limit_in_words=50)
    assert isinstance(msg, MessageContext)
    msg.charge(10)
    assert msg.budget == 40
    with pytest.raises(LimitError, match="traversal"):
        msg.charge(41, msg.segment(0), 3)
    with pytest.raises(DecodeError):
        msg.segment(1)
    assert msg.segment_count == 1


def test_root_pointer_is_charged_each_time() -> None:
    data = build()
    words = 1 + 3  # the root struct: 1 data word, 3 pointers
    msg = MessageReader([data], traversal_limit_in_words=1000)
    msg.root()
    assert msg.budget == 1000 - ROOT_POINTER_CHARGE - words
    msg.root_pointer()
    assert msg.budget == 1000 - 2 * ROOT_POINTER_CHARGE - words
    with pytest.raises(LimitError):
        MessageReader([data], traversal_limit_in_words=ROOT_POINTER_CHARGE - 1).root_pointer()


# --------------------------------------------------------------------------
# The struct-based views (PyPy, big-endian) agree with memoryview casts
# --------------------------------------------------------------------------

FORMATS = ["b", "B", "h", "H", "i", "I", "q", "Q", "f", "d"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_struct_views_read_and_write_like_casts(fmt: str) -> None:
    if not S.LITTLE_ENDIAN:
        pytest.skip("casts are native-endian")
    rng = random.Random(fmt)
    raw = bytearray(rng.randrange(256) for _ in range(256))
    raw[8:16] = b"\xff" * 8  # a word with bit 63 set
    mv = memoryview(raw)
    cast: Any = mv.cast(fmt)
    if fmt in "fd":
        view: Any = S._LEFloats(raw, fmt)
    elif fmt == "Q":
        view = S._LEWords(raw)
    else:
        view = S._LEInts(raw, fmt)
    same: Callable[[Any, Any], bool] = (
        (lambda a, b: a == b or (a != a and b != b)) if fmt in "fd" else (lambda a, b: a == b)
    )
    for i in range(len(cast)):
        assert same(view[i], cast[i]), i
    width = struct.calcsize(fmt)
    value = 1.5 if fmt in "fd" else (1 << (8 * width - 1)) - 3
    view[3] = value
    assert cast[3] == value
    if fmt == "Q":
        view[5] = (1 << 64) - 1
        assert cast[5] == (1 << 64) - 1 and view[5] == (1 << 64) - 1


def test_view_kind_is_chosen_for_this_interpreter() -> None:
    seg = S.Segment(0, bytearray(16))
    if S.VIEW_KIND == "cast":
        assert isinstance(seg.u64, memoryview)
        assert not S.PYPY
    else:
        assert isinstance(seg.u64, S._LEWords)
    seg.u64[1] = 0xFFFF_FFFF_FFFF_FFFE
    assert seg.u64[1] == 0xFFFF_FFFF_FFFF_FFFE and seg.i64[1] == -2 and seg.u8[15] == 0xFF


# --------------------------------------------------------------------------
# Traversal charges match the reference reader exactly
# --------------------------------------------------------------------------

SCHEMA = """
@0xb1c2d3e4f5a69788;
struct Empty {}
struct Inner { x @0 :UInt32; }
struct T {
  ints @0 :List(Int32);
  txt @1 :Text;
  dat @2 :Data;
  structs @3 :List(Inner);
  voids @4 :List(Void);
  empty @5 :Empty;
  bools @6 :List(Bool);
  emptys @7 :List(Empty);
  inner @8 :Inner;
  texts @9 :List(Text);
}
"""


def _walk_pointer(p: AnyPointerReader) -> None:
    kind = p.kind
    if kind == PointerKind.STRUCT:
        _walk_struct(p.get_struct())
    elif kind == PointerKind.LIST:
        lst = p.get_list()
        if lst.element_size == ELEM_COMPOSITE:
            for i in range(len(lst)):
                _walk_struct(lst.get_struct(i))
        elif lst.ptrs_per_element:
            for i in range(len(lst)):
                _walk_pointer(lst.get_pointer(i))


def _walk_struct(s: StructReader) -> None:
    for i in range(s.ptr_count):
        _walk_pointer(s.get_pointer(i))


def _minimal(read: Callable[[int], None]) -> int:
    lo, hi = 0, 4096
    while lo < hi:
        mid = (lo + hi) // 2
        try:
            read(mid)
            hi = mid
        except Exception:
            lo = mid + 1
    return lo


@pytest.mark.interop
def test_minimal_traversal_limit_matches_pycapnp(tmp_path: Path) -> None:
    capnp = pytest.importorskip("capnp")
    path = tmp_path / "t.capnp"
    path.write_text(SCHEMA)
    mod = capnp.load(str(path))

    def message(**fields: Any) -> Any:
        m = mod.T.new_message()
        for name, value in fields.items():
            if value == "struct":
                m.init(name)
            elif isinstance(value, int):
                m.init(name, value)
            else:
                setattr(m, name, value)
        return m

    cases = [
        message(),
        message(ints=0), message(txt=""), message(dat=b""), message(structs=0),
        message(voids=0), message(voids=5), message(empty="struct"), message(bools=0),
        message(emptys=0), message(emptys=3), message(inner="struct"),
        message(ints=[1, 2, 3], txt="abc", dat=b"xyz" * 5, texts=["", "a", "bcdefghij"]),
        message(structs=4, bools=[True] * 70),
    ]
    for m in cases:
        segments = [bytes(s) for s in m.to_segments()]

        def theirs(limit: int) -> None:
            mod.T.from_segments(segments, traversal_limit_in_words=limit).to_dict()

        def ours(limit: int) -> None:
            _walk_struct(MessageReader(segments, traversal_limit_in_words=limit).root())

        assert _minimal(ours) == _minimal(theirs), m
