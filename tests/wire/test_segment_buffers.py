"""What a segment accepts as its bytes: any contiguous buffer of whole words, whatever its item
format or shape, read as unsigned bytes; anything else is a DecodeError naming the segment.
Also the reader limits' defaults, which are the reference's."""

from __future__ import annotations

import struct
from array import array
from typing import Any, List

import pytest

from capnp_lite.errors import DecodeError
from capnp_lite.wire.segments import (
    DEFAULT_NESTING_LIMIT,
    DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
    ReadLimits,
    Segment,
    read_segment,
)

WORDS = struct.pack("<QQ", 0x8070605040302010, 0xFFFEFDFCFBFAF9F8)


def _views() -> List[Any]:
    signed = array("b")
    signed.frombytes(WORDS)
    return [WORDS, bytearray(WORDS), memoryview(WORDS), memoryview(WORDS).cast("b"),
            memoryview(WORDS).cast("Q"), memoryview(WORDS).cast("B", (2, 8)), signed]


@pytest.mark.parametrize("make", [Segment, read_segment], ids=["Segment", "read_segment"])
def test_any_contiguous_buffer_of_whole_words_is_read_as_unsigned_bytes(make: Any) -> None:
    for data in _views():
        seg = make(3, data)
        assert seg.id == 3 and seg.words == 2 and seg.used == 2
        assert [seg.u64[0], seg.u64[1]] == [0x8070605040302010, 0xFFFEFDFCFBFAF9F8]
        assert bytes(seg.b) == WORDS and seg.b[15] == 0xFF  # unsigned, whatever the item format
        assert seg.u8[8] == 0xF8 and seg.i8[8] == -8 and seg.u16[7] == 0xFFFE


@pytest.mark.parametrize("make", [Segment, read_segment], ids=["Segment", "read_segment"])
def test_other_buffers_are_refused_with_the_segment_named(make: Any) -> None:
    with pytest.raises(DecodeError, match="segment 5 is not a contiguous buffer"):
        make(5, memoryview(WORDS * 2)[::2])  # every other byte: 16 bytes, not contiguous
    with pytest.raises(DecodeError, match="segment 5 is not a contiguous buffer"):
        make(5, "sixteen chars!!!")
    with pytest.raises(DecodeError, match="segment 5 is 12 bytes, not a whole number of words"):
        make(5, WORDS[:12])


def test_a_builder_may_count_none_of_its_words_as_used() -> None:
    seg = Segment(0, bytearray(16), used=0)
    assert seg.words == 2 and seg.used == 0 and seg.limit == 2
    assert repr(seg) == "Segment(id=0, words=2, used=0)"


def test_reader_limits_default_to_the_reference_s() -> None:
    assert DEFAULT_TRAVERSAL_LIMIT_IN_WORDS == 8 * 1024 * 1024
    assert DEFAULT_NESTING_LIMIT == 64
    limits = ReadLimits()
    assert (limits.traversal_limit_in_words, limits.nesting_limit) == (8 * 1024 * 1024, 64)
    assert repr(ReadLimits(10, 2)) == "ReadLimits(traversal_limit_in_words=10, nesting_limit=2)"
