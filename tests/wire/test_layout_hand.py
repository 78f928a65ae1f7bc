"""Hand-assembled messages, one word per line, read and built by the layout core."""

from __future__ import annotations

import math
import struct
from typing import List

import pytest

from capnp_lite.errors import DecodeError, EncodeError, LimitError
from capnp_lite.wire import (
    ELEM_BIT,
    ELEM_BYTE,
    ELEM_COMPOSITE,
    ELEM_EIGHT_BYTES,
    ELEM_FOUR_BYTES,
    ELEM_POINTER,
    ELEM_TWO_BYTES,
    ELEM_VOID,
    MessageBuilder,
    MessageReader,
    PointerKind,
    ReadLimits,
)
from capnp_lite.wire import pointers as P


# Pointer words written out with the spec's bit positions, independently of pointers.py.
def sp(offset: int, data: int, ptrs: int) -> int:
    return ((offset & 0x3FFFFFFF) << 2) | (data << 32) | (ptrs << 48)


def lp(offset: int, size: int, count: int) -> int:
    return ((offset & 0x3FFFFFFF) << 2) | 1 | (size << 32) | (count << 35)


def fp(pad: int, segment: int, double: bool = False) -> int:
    return 2 | (4 if double else 0) | (pad << 3) | (segment << 32)


def seg(*words: int) -> bytes:
    return struct.pack(f"<{len(words)}Q", *words)


def f64bits(x: float) -> int:
    v: int = struct.unpack("<Q", struct.pack("<d", x))[0]
    return v


SCALARS = seg(
    sp(0, 2, 2),  # 0: root -> struct at 1, 2 data words, 2 pointers
    0x0000_1234_FFFF_FFFB,  # 1: int32 -5 at [0], uint16 0x1234 at [2]
    f64bits(1.5),  # 2: float64 1.5
    lp(1, ELEM_BYTE, 3),  # 3: text "hi" at word 5
    lp(1, ELEM_BYTE, 2),  # 4: data b"\x01\x02" at word 6
    0x0000_0000_0000_6968,  # 5: "hi\0"
    0x0000_0000_0000_0201,  # 6: 01 02
)


def test_scalars_text_data() -> None:
    root = MessageReader([SCALARS]).root()
    assert (root.data_words, root.ptr_count) == (2, 2)
    assert root.get_int32(0) == -5
    assert root.get_uint32(0) == 0xFFFFFFFB
    assert root.get_uint16(2) == 0x1234
    assert root.get_int8(0) == -5 and root.get_uint8(1) == 0xFF
    assert root.get_float64(1) == 1.5
    assert root.get_uint64(1) == f64bits(1.5)
    assert root.get_bool(0) is True and root.get_bool(2) is False
    assert root.get_text(0) == "hi"
    assert root.get_data(1) == b"\x01\x02"
    # Defaults are XORed in.
    assert root.get_int32(0, default=3) == -5 ^ 3
    assert root.get_bool(2, default=True) is True
    assert root.get_float64(1, default=1.5) == 0.0
    high_half = struct.unpack("<f", struct.pack("<I", f64bits(1.5) >> 32))[0]
    assert root.get_float32(3, default=-0.0) == -high_half


def test_short_struct_reads_defaults() -> None:
    msg = MessageReader([SCALARS])
    root = msg.root()
    assert root.get_int64(2, default=-7) == -7  # beyond the 2-word data section
    assert root.get_uint16(8, default=9) == 9
    assert root.get_bool(200, default=True) is True
    assert math.isnan(root.get_float32(4, default=math.nan))
    assert root.get_text(5, default="dflt") == "dflt"  # beyond the pointer section
    assert root.get_data(5) == b""
    empty = root.get_struct(2)
    assert (empty.data_words, empty.ptr_count) == (0, 0)
    assert empty.get_uint64(0, default=4) == 4
    assert root.get_pointer(9).kind == PointerKind.NULL
    assert len(root.get_list(3, ELEM_FOUR_BYTES)) == 0


LISTS = seg(
    sp(0, 0, 8),  # 0: root -> struct at 1, 8 pointers
    lp(0, ELEM_VOID, 5),  # 1: 5 voids (no words)
    lp(6, ELEM_BIT, 9),  # 2: 9 bits at word 9
    lp(6, ELEM_BYTE, 3),  # 3: 3 bytes at word 10
    lp(6, ELEM_TWO_BYTES, 2),  # 4: 2 int16 at word 11
    lp(6, ELEM_FOUR_BYTES, 3),  # 5: 3 uint32 at words 12-13
    lp(7, ELEM_EIGHT_BYTES, 1),  # 6: 1 int64 at word 14
    lp(7, ELEM_POINTER, 2),  # 7: 2 pointers at words 15-16
    lp(9, ELEM_COMPOSITE, 4),  # 8: composite list, tag at word 18, 4 words of elements
    0b1_0000_1101,  # 9: bits 1,0,1,1,0,0,0,0,1
    0x0000_0000_00FF_0201,  # 10: bytes 01 02 ff
    0x0000_0000_0002_FFFF,  # 11: int16 -1, 2
    0x0000_0008_0000_0007,  # 12: uint32 7, 8
    0x0000_0000_0000_0009,  # 13: uint32 9
    0xFFFF_FFFF_FFFF_FFFE,  # 14: int64 -2
    lp(1, ELEM_BYTE, 2),  # 15: -> text "a" at word 17
    0,  # 16: null
    0x61,  # 17: "a\0"
    sp(2, 1, 1),  # 18: tag: 2 elements of 1 data word + 1 pointer
    100,  # 19: element 0 data
    0xFFFF_FFFC,  # 20: element 0 pointer: zero-sized struct
    200,  # 21: element 1 data
    3 | (5 << 32),  # 22: element 1 pointer: capability 5
)


def test_every_list_size() -> None:
    root = MessageReader([LISTS]).root()
    voids = root.get_list(0, ELEM_VOID)
    assert len(voids) == 5 and voids.element_size == ELEM_VOID
    bits = root.get_list(1, ELEM_BIT)
    assert bits.to_list() == [True, False, True, True, False, False, False, False, True]
    assert [bits.get_bool(i) for i in range(9)] == bits.to_list()
    assert root.get_list(2, ELEM_BYTE).to_list("B") == [1, 2, 255]
    assert root.get_list(2, ELEM_BYTE).to_list("b") == [1, 2, -1]
    assert root.get_list(3, ELEM_TWO_BYTES).to_list("h") == [-1, 2]
    u32 = root.get_list(4, ELEM_FOUR_BYTES)
    assert u32.to_list() == [7, 8, 9] and u32.get_uint32(-1) == 9
    assert root.get_list(5, ELEM_EIGHT_BYTES).to_list("q") == [-2]
    ptrs = root.get_list(6, ELEM_POINTER)
    assert ptrs.get_text(0) == "a" and ptrs.is_null(1) and ptrs.get_text(1, "x") == "x"
    structs = root.get_list(7, ELEM_COMPOSITE)
    assert len(structs) == 2
    assert structs.get_struct(0).get_uint64(0) == 100
    assert structs.get_struct(1).get_uint64(0) == 200
    e0 = structs.get_struct(0).get_struct(0)
    assert (e0.data_words, e0.ptr_count) == (0, 0)
    assert structs.get_struct(1).get_capability(0) == 5
    with pytest.raises(IndexError):
        structs.get_struct(2)


def test_list_upgrades_and_mismatches() -> None:
    root = MessageReader([LISTS]).root()
    # A struct list read as a primitive list reads each element's first field.
    assert root.get_list(7, ELEM_EIGHT_BYTES).to_list() == [100, 200]
    assert root.get_list(7, ELEM_FOUR_BYTES).to_list("I") == [100, 200]
    # ... and as a pointer list, each element's first pointer.
    as_ptrs = root.get_list(7, ELEM_POINTER)
    assert as_ptrs.get_capability(1) == 5
    # A primitive list read as a struct list: one data field per element.
    as_structs = root.get_list(4, ELEM_COMPOSITE)
    assert [as_structs.get_struct(i).get_uint32(0) for i in range(3)] == [7, 8, 9]
    assert as_structs.get_struct(0).get_uint64(0, default=1) == 1
    # A pointer list read as a struct list: one pointer field per element.
    assert root.get_list(6, ELEM_COMPOSITE).get_struct(0).get_text(0) == "a"
    # Narrower primitive reads of wider lists are allowed.
    assert root.get_list(4, ELEM_TWO_BYTES).to_list("H") == [7, 8, 9]
    # A bit list is never anything else.
    for size in (ELEM_BYTE, ELEM_FOUR_BYTES, ELEM_COMPOSITE, ELEM_POINTER):
        with pytest.raises(DecodeError, match="bit list"):
            root.get_list(1, size)
    with pytest.raises(DecodeError, match="incompatible"):
        root.get_list(2, ELEM_FOUR_BYTES)
    with pytest.raises(DecodeError, match="incompatible"):
        root.get_list(4, ELEM_POINTER)
    with pytest.raises(DecodeError, match="bit list was expected"):
        root.get_list(7, ELEM_BIT)
    with pytest.raises(DecodeError, match="expected a struct pointer"):
        root.get_struct(1)
    with pytest.raises(DecodeError, match="expected a list pointer"):
        MessageReader([SCALARS]).root_pointer().get_list()
    with pytest.raises(DecodeError, match="byte list"):
        root.get_text(4)


def test_text_mismatch_errors() -> None:
    root = MessageReader([LISTS]).root()
    with pytest.raises(DecodeError, match="byte list"):
        root.get_text(3)
    with pytest.raises(DecodeError, match="NUL"):
        root.get_text(2)  # 01 02 ff: last byte not NUL
    with pytest.raises(DecodeError, match="list"):
        root.get_data(7 - 7)  # a void list is not a byte list


def test_any_pointer_kinds() -> None:
    root = MessageReader([LISTS]).root()
    elem = root.get_list(7, ELEM_COMPOSITE).get_struct(1)
    assert elem.get_pointer(0).kind == PointerKind.CAPABILITY
    assert root.get_pointer(0).kind == PointerKind.LIST
    top = MessageReader([LISTS]).root_pointer()
    assert top.kind == PointerKind.STRUCT
    assert top.get_struct().ptr_count == 8


FAR = [
    seg(fp(0, 1)),  # seg 0, word 0: root -> far, pad at seg 1 word 0
    seg(
        sp(0, 1, 1),  # seg 1, word 0: landing pad: struct right after it
        42,  # seg 1, word 1: data
        fp(0, 2, double=True),  # seg 1, word 2: pointer -> double far, pad at seg 2 word 0
    ),
    seg(
        fp(0, 3),  # seg 2, word 0: double-far pad, part 1: object starts at seg 3 word 0
        sp(0, 1, 0),  # seg 2, word 1: double-far pad, part 2: tag, 1 data word
    ),
    seg(7),  # seg 3, word 0: the child's data
]


def test_far_and_double_far() -> None:
    root = MessageReader(FAR).root()
    assert root.get_uint64(0) == 42
    assert root.get_struct(0).get_uint64(0) == 7
    assert root.get_pointer(0).kind == PointerKind.STRUCT
    # Deep copy resolves every far pointer into one segment.
    mb = MessageBuilder()
    mb.set_root(root)
    assert mb.segments() == [seg(sp(0, 1, 1), 42, sp(0, 1, 0), 7)]


@pytest.mark.parametrize(
    "segments, match",
    [
        ([seg(fp(0, 7))], "unknown segment"),
        ([seg(fp(50, 0))], "out-of-bounds far"),
        ([seg(fp(0, 1)), seg(fp(0, 1))], "landing pad is not"),
        ([seg(fp(0, 1, True)), seg(sp(0, 0, 0), sp(0, 0, 0))], "double-far"),
        ([seg(fp(0, 1, True)), seg(fp(0, 0))], "out-of-bounds double-far"),
        ([seg(fp(0, 1, True)), seg(fp(0, 5), sp(0, 1, 0))], "unknown segment"),
        ([seg(fp(0, 1, True)), seg(fp(0, 0), fp(0, 0))], "tag"),
        ([seg(sp(100, 1, 0), 0)], "out-of-bounds struct"),
        ([seg(sp(-3, 1, 0), 0)], "out-of-bounds struct"),
        ([seg(lp(0, ELEM_COMPOSITE, 4), sp(10, 2, 0), 0, 0, 0, 0)], "overrun"),
        ([seg(lp(0, ELEM_COMPOSITE, 1), lp(0, 2, 0), 0)], "tag is not a struct"),
        ([seg(lp(0, ELEM_EIGHT_BYTES, 2), 0)], "out-of-bounds list"),
        ([seg(3 | (1 << 2))], "unknown pointer kind"),
        ([b""], "no root pointer"),
        ([], "no segments"),
    ],
)
def test_malformed_pointers(segments: List[bytes], match: str) -> None:
    with pytest.raises(DecodeError, match=match):
        msg = MessageReader(segments)
        ptr = msg.root_pointer()
        if ptr.kind == PointerKind.STRUCT:
            ptr.get_struct()
        else:
            ptr.get_list()


def test_segment_not_whole_words() -> None:
    with pytest.raises(DecodeError, match="whole number of words"):
        MessageReader([b"\0" * 12])


def test_limits() -> None:
    # 2^29 - 1 voids in zero words: each element is charged one word.
    amplified = [seg(lp(-1, ELEM_VOID, (1 << 29) - 1))]
    with pytest.raises(LimitError):
        MessageReader(amplified).root_pointer().get_list()
    assert len(MessageReader(amplified, traversal_limit_in_words=1 << 30)
               .root_pointer().get_list()) == (1 << 29) - 1
    # Zero-sized composite elements likewise.
    empties = [seg(lp(0, ELEM_COMPOSITE, 0), sp((1 << 29) - 1, 0, 0))]
    with pytest.raises(LimitError, match="traversal"):
        MessageReader(empties).root_pointer().get_list()
    # A struct whose pointer points at itself: the nesting limit stops the loop.
    cycle = [seg(sp(0, 0, 1), sp(-1, 0, 1))]
    s = MessageReader(cycle).root()
    with pytest.raises(LimitError, match="nested"):
        for _ in range(100):
            s = s.get_struct(0)
    # The same words read again and again are charged each time.
    # Each root read costs the struct's 4 words plus 2 for the root pointer.
    msg = MessageReader([SCALARS], traversal_limit_in_words=12)
    msg.root()
    msg.root()
    with pytest.raises(LimitError):
        msg.root()
    limited = MessageReader([LISTS], limits=ReadLimits(nesting_limit=1))
    with pytest.raises(LimitError):
        limited.root().get_list(2, ELEM_BYTE)


def test_zero_sized_root() -> None:
    root = MessageReader([seg(0xFFFFFFFC)]).root()
    assert (root.data_words, root.ptr_count) == (0, 0)
    assert root.get_uint32(0, default=5) == 5


# ---------------------------------------------------------------------------
# Builders: the bytes the reference encoder would write
# ---------------------------------------------------------------------------


def test_builder_layout_rules() -> None:
    mb = MessageBuilder()
    root = mb.init_root(1, 4)
    root.set_uint32(0, 5)
    root.set_bool(63, True)
    root.init_list(0, ELEM_BYTE, 0)  # zero-length: points at the segment's end
    root.init_struct(1, 0, 0)  # zero-sized struct: no allocation
    root.set_text(2, "")  # one NUL byte
    root.set_capability(3, 9)
    assert mb.segments() == [seg(
        sp(0, 1, 4),  # 0: root
        0x8000_0000_0000_0005,  # 1: uint32 5, bit 63 set
        lp(3, ELEM_BYTE, 0),  # 2: empty list -> word 6 (end of the segment then)
        0xFFFF_FFFC,  # 3: zero-sized struct
        lp(1, ELEM_BYTE, 1),  # 4: text "" at word 6
        3 | (9 << 32),  # 5: capability 9
        0,  # 6: "\0"
    )]
    r = mb.root_reader()
    assert r.get_bool(63) and r.get_text(2) == "" and r.get_capability(3) == 9


def test_builder_far_pointer_and_segments() -> None:
    mb = MessageBuilder(4)
    root = mb.init_root(1, 1)
    root.set_int64(0, -1)
    root.set_text(0, "0123456789abcdefghi")  # 20 bytes: 3 words, only 1 left in seg 0
    root.init_struct_list(0, 0, 2, 0)  # overwrite the slot: the tag word goes in seg 0
    assert mb.segments() == [
        seg(sp(0, 1, 1), 0xFFFF_FFFF_FFFF_FFFF, lp(0, ELEM_COMPOSITE, 0), sp(0, 2, 0)),
        # New segment of max(3 + 1, 4) words: landing pad, then the text.
        seg(lp(0, ELEM_BYTE, 20), *struct.unpack("<3Q", b"0123456789abcdefghi\0\0\0\0\0")),
    ]


def test_builder_segment_growth() -> None:
    mb = MessageBuilder(4)
    root = mb.init_root(0, 3)  # fills seg 0
    root.init_list(0, ELEM_EIGHT_BYTES, 5)  # seg 1: max(5 + 1, 4) = 6 words; next 4 + 6
    root.init_list(1, ELEM_EIGHT_BYTES, 1)  # seg 1 full: seg 2 of max(2, 10) words
    root.init_list(2, ELEM_EIGHT_BYTES, 2)  # fits the most recent segment (seg 2)
    assert mb.segment_sizes() == [4, 6, 5]
    assert [len(s) for s in mb.segments()] == [32, 48, 40]
    fixed = MessageBuilder(4, growth="fixed")
    froot = fixed.init_root(0, 3)
    for i, n in enumerate((5, 1, 2)):
        froot.init_list(i, ELEM_EIGHT_BYTES, n)
    assert fixed.segment_sizes() == [4, 6, 2, 3]
    single = MessageBuilder(2, growth="single")
    sroot = single.init_root(0, 3)
    for i, n in enumerate((5, 1, 2)):
        sroot.init_primitive_list(i, "q", list(range(n)))
    assert single.segment_sizes() == [12]
    reader = single.root_reader()
    assert [reader.get_list(i, ELEM_EIGHT_BYTES).to_list("q") for i in range(3)] == [
        [0, 1, 2, 3, 4], [0], [0, 1]]


def test_builder_scalars_and_defaults() -> None:
    mb = MessageBuilder()
    s = mb.init_root(3, 0)
    s.set_int16(0, -2, default=5)
    s.set_float32(1, 2.5, default=1.0)
    s.set_float64(1, -0.0)
    s.set_uint8(2, 200)
    s.set_float64(2, 3.0, default=-0.0)
    raw = s.data_bytes()
    assert struct.unpack_from("<h", raw, 0)[0] == -2 ^ 5
    assert struct.unpack_from("<I", raw, 4)[0] == (
        struct.unpack("<I", struct.pack("<f", 2.5))[0] ^ struct.unpack("<I", struct.pack("<f", 1.0))[0])
    assert struct.unpack_from("<Q", raw, 16)[0] == f64bits(3.0) ^ (1 << 63)
    r = s.as_reader()
    assert r.get_int16(0, default=5) == -2
    assert r.get_float32(1, default=1.0) == 2.5
    assert math.copysign(1.0, r.get_float64(1)) == -1.0
    assert r.get_float64(2, default=-0.0) == 3.0
    assert s.get_uint8(2) == 200
    with pytest.raises(EncodeError):
        s.set_int8(0, 128)
    with pytest.raises(EncodeError):
        s.set_uint32(0, -1)
    with pytest.raises(EncodeError):
        s.set_uint64(3, 1)  # outside the data section
    with pytest.raises(EncodeError):
        s.set_text(0, "x")  # no pointer section


def test_bulk_lists() -> None:
    mb = MessageBuilder()
    s = mb.init_root(0, 6)
    s.init_primitive_list(0, "i", [-1, 2, -3])
    s.init_primitive_list(1, "?", [True, False] * 9)
    s.init_primitive_list(2, "d", [1.5, -2.25])
    s.init_primitive_list(3, "B", b"\x00\xff")
    lst = s.init_list(4, ELEM_TWO_BYTES, 3)
    lst.set_all([1, 2, 3], "H")
    lst.set_int16(1, -2)
    bools = s.init_list(5, ELEM_BIT, 3)
    bools.set_bool(2, True)
    r = mb.root_reader()
    assert r.get_list(0, ELEM_FOUR_BYTES).to_list("i") == [-1, 2, -3]
    assert r.get_list(1, ELEM_BIT).to_list() == [True, False] * 9
    assert r.get_list(2, ELEM_EIGHT_BYTES).to_list("d") == [1.5, -2.25]
    assert r.get_list(3, ELEM_BYTE).to_list() == [0, 255]
    assert r.get_list(4, ELEM_TWO_BYTES).to_list("h") == [1, -2, 3]
    assert r.get_list(5, ELEM_BIT).to_list() == [False, False, True]
    with pytest.raises(EncodeError):
        s.init_primitive_list(0, "B", [256])
    with pytest.raises(EncodeError):
        lst.set_all([1, 2], "H")


def test_struct_list_builder_and_get_struct() -> None:
    mb = MessageBuilder()
    s = mb.init_root(0, 2)
    lst = s.init_struct_list(0, 2, 1, 1)
    lst.get_struct(0).set_uint64(0, 11)
    lst.get_struct(1).set_text(0, "x")
    child = s.init_struct(1, 1, 0)
    child.set_uint64(0, 3)
    # get_struct with a larger size copies the old content into a bigger struct.
    bigger = s.get_struct(1, 2, 1)
    assert bigger.get_uint64(0) == 3 and bigger.ptr_count == 1
    bigger.set_text(0, "new")
    r = mb.root_reader()
    assert r.get_list(0, ELEM_COMPOSITE).get_struct(0).get_uint64(0) == 11
    assert r.get_list(0, ELEM_COMPOSITE).get_struct(1).get_text(0) == "x"
    assert r.get_struct(1).get_text(0) == "new"
    assert s.get_list(0).get_struct(1).get_text(0) == "x"


def test_pointers_module_round_trip() -> None:
    assert P.kind(sp(-1, 0, 0)) == P.KIND_STRUCT and P.offset(sp(-1, 0, 0)) == -1
    assert P.make_struct(-1, 0, 0) == P.ZERO_SIZED_STRUCT
    assert P.make_list(-5, 3, 77) == lp(-5, 3, 77)
    assert (P.list_element_size(lp(2, 6, 9)), P.list_count(lp(2, 6, 9))) == (6, 9)
    assert P.make_far(True, 12, 3) == fp(12, 3, True)
    assert P.far_is_double(fp(1, 1, True)) and P.far_pad_offset(fp(12, 3)) == 12
    assert P.far_segment(fp(12, 3)) == 3
    assert P.is_capability(P.make_capability(4)) and P.capability_index(P.make_capability(4)) == 4
    assert "struct" in P.describe(sp(1, 2, 3)) and P.describe(0) == "null"


def test_text_that_is_not_unicode_is_an_encode_error() -> None:
    mb = MessageBuilder()
    root = mb.init_root(0, 1)
    with pytest.raises(EncodeError):
        root.set_text(0, "lone \udcff surrogate")
    root.set_text_bytes(0, "lone \udcff surrogate".encode("utf-8", "surrogateescape"))
    assert root.as_reader().get_data(0) == b"lone \xff surrogate\x00"
