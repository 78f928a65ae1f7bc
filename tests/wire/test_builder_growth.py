"""Builder segments start small and grow to their reference size.

A segment's buffer grows in steps, but where objects go (near, far, which
segment) must depend only on the reference sizes, exactly as if every segment
had been allocated at full size up front.
"""

from __future__ import annotations

import struct
from typing import List, Tuple

import pytest
from hypothesis import given, settings, strategies as st

from capnp_lite.wire import layout
from capnp_lite.wire.layout import MessageBuilder, MessageReader
from capnp_lite.wire.pointers import ELEM_BYTE, ELEM_EIGHT_BYTES
from capnp_lite.wire.segments import Segment, builder_segment, grow_segment


def test_first_segment_fills_to_its_size_before_a_second_opens() -> None:
    mb = MessageBuilder(1024)
    assert mb.segment(0).words < 1024  # a fresh builder does not zero 8 KiB
    root = mb.init_root(1, 2)  # words 1..3
    big = root.init_list(0, ELEM_EIGHT_BYTES, 1000)  # words 4..1003: near, several growths
    for i in range(1000):
        big.set_uint64(i, i * 3)
    root.set_int64(0, -7)
    tail = root.init_list(1, ELEM_EIGHT_BYTES, 30)  # 1004 + 30 > 1024: far, new segment
    tail.set_uint64(29, 99)
    assert mb.segment_sizes() == [1004, 31]
    seg0, seg1 = mb.segments()
    ptr1 = struct.unpack_from("<Q", seg0, 3 * 8)[0]
    assert ptr1 == 2 | (0 << 3) | (1 << 32)  # single far pointer to segment 1, word 0
    assert struct.unpack_from("<Q", seg1, 30 * 8)[0] == 99
    reader = mb.root_reader()
    assert reader.get_int64(0) == -7
    assert reader.get_list(0, ELEM_EIGHT_BYTES).to_list("Q") == [i * 3 for i in range(1000)]
    assert reader.get_list(1, ELEM_EIGHT_BYTES).to_list("Q")[29] == 99


def test_builders_made_before_a_growth_write_into_the_grown_buffer() -> None:
    mb = MessageBuilder(512)
    root = mb.init_root(2, 1)
    root.set_int16(0, 5)  # makes the narrow views of the small buffer
    before = mb.segment(0).words
    root.init_list(0, ELEM_BYTE, 8 * 400)  # forces the segment to grow
    assert mb.segment(0).words > before
    root.set_int16(1, -6)
    root.set_float32(1, 2.5)
    root.set_bool(100, True)
    r = MessageReader(mb.segments()).root()  # the serialised bytes, not the builder's views
    assert (r.get_int16(0), r.get_int16(1), r.get_float32(1), r.get_bool(100)) == (5, -6, 2.5, True)
    assert mb.segment_sizes() == [1 + 3 + 400]


def test_single_growth_is_unbounded_and_near() -> None:
    mb = MessageBuilder(4, growth="single")
    root = mb.init_root(0, 2)
    root.init_list(0, ELEM_EIGHT_BYTES, 300)
    root.init_list(1, ELEM_EIGHT_BYTES, 2)
    assert mb.segment_sizes() == [1 + 2 + 300 + 2]


def test_grow_segment_keeps_used_words_and_zeroes_the_rest() -> None:
    seg = builder_segment(3, 2, 40)
    seg.used = 2
    seg.u64[0] = 0x1122334455667788
    seg.i32[2] = -1  # narrow views of the old buffer
    grow_segment(seg, 5)
    assert seg.words == 5 and seg.limit == 40 and seg.id == 3  # max(5, min(40, 2 * 2))
    assert seg.b.tobytes() == struct.pack("<Qi", 0x1122334455667788, -1) + bytes(8 * 5 - 12)
    seg.i32[4] = 7  # the views were remade on the new buffer
    assert seg.buf[16:20] == b"\x07\x00\x00\x00"
    grow_segment(seg, 6)
    assert seg.words == 10  # doubling, capped by the limit only


def test_plain_segment_limit_is_its_size() -> None:
    seg = Segment(0, bytearray(24))
    assert seg.limit == seg.words == 3


Op = Tuple[int, int, int]  # (pointer slot of the root, element size, count)
ops_st = st.lists(
    st.tuples(st.integers(0, 5), st.sampled_from([ELEM_BYTE, ELEM_EIGHT_BYTES]),
              st.integers(0, 90)),
    max_size=10,
)


def _build(first: int, growth: str, ops: List[Op]) -> List[bytes]:
    mb = MessageBuilder(first, growth=growth)
    root = mb.init_root(1, 6)
    root.set_uint64(0, 0xABCDEF)
    for n, (slot, es, count) in enumerate(ops):
        lst = root.init_list(slot, es, count)
        if count:
            if es == ELEM_BYTE:
                lst.set_all([(n + k) & 0xFF for k in range(count)], "B")
            else:
                lst.set_all([n * 1000 + k for k in range(count)], "Q")
    return mb.segments()


@settings(max_examples=60, deadline=None)
@given(ops=ops_st, first=st.integers(1, 200),
       growth=st.sampled_from(["heuristic", "fixed", "single"]))
def test_growing_segments_write_the_same_bytes_as_full_size_ones(
    ops: List[Op], first: int, growth: str
) -> None:
    grown = _build(first, growth, ops)
    # Buffers allocated at their full size at once: no growth ever happens.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(layout, "_INITIAL_WORDS", 1 << 16)
        full = _build(first, growth, ops)
    assert grown == full


@settings(max_examples=60, deadline=None)
@given(ops=ops_st, first=st.integers(1, 200),
       growth=st.sampled_from(["heuristic", "fixed", "single"]),
       orphans=st.lists(st.integers(0, 40), max_size=4))
def test_segments_never_hold_more_than_their_limit(
    ops: List[Op], first: int, growth: str, orphans: List[int]
) -> None:
    """Far pointers and orphans take the same allocator, which relies on a segment's buffer
    never outgrowing its reference size."""
    mb = MessageBuilder(first, growth=growth)
    root = mb.init_root(1, 6)
    for slot, es, count in ops:
        root.init_list(slot, es, count)
    for k, words in enumerate(orphans):
        root.adopt(k, mb.new_orphan_struct(words, 0))
    assert mb.segment_count == len(mb.segments())
    for i in range(mb.segment_count):
        seg = mb.segment(i)
        assert seg.used <= seg.words <= seg.limit
    if growth == "single":
        assert mb.segment_count == 1


def test_builder_segment_counts_the_words_given_as_used() -> None:
    seg = builder_segment(2, 4, 40, 3)
    assert (seg.id, seg.words, seg.limit, seg.used) == (2, 4, 40, 3)
    assert bytes(seg.b) == bytes(32)
    assert builder_segment(0, 4, 40).used == 0
