"""Framing at its edges: buffers that are not plain bytes, bounds exactly at a limit, a
stream decoder that carries state from one message to the next, and the few-segment
reader's exact range."""

from __future__ import annotations

import struct
from array import array
from typing import List

import pytest

from capnp_lite.errors import DecodeError, EncodeError, LimitError
from capnp_lite.wire.framing import (
    DEFAULT_MAX_MESSAGE_WORDS,
    FEW_SEGMENTS,
    MessageDecoder,
    decode_message,
    decode_message_at,
    encode_message,
    encode_segment_table,
    few_segments,
    read_message,
)


def _segments(sizes: List[int]) -> List[bytes]:
    """Segments of ``sizes`` words, each word telling its segment and place apart."""
    return [b"".join(struct.pack("<HHI", k, i, 0xABCD) for i in range(size))
            for k, size in enumerate(sizes)]


def test_a_buffer_of_wider_items_is_read_as_bytes() -> None:
    segments = _segments([2, 3])
    frame = encode_message(segments)
    words = array("Q")
    words.frombytes(frame)
    for buf in (words, memoryview(words), memoryview(frame).cast("Q"), memoryview(frame).cast("H")):
        got, end = decode_message_at(buf)
        assert [bytes(s) for s in got] == segments
        assert end == len(frame)
    # and written from such views, the frame is the same
    assert encode_message([memoryview(s).cast("Q") for s in segments]) == frame


def test_segment_sizes_must_fit_the_table() -> None:
    assert encode_segment_table([0xFFFFFFFF]) == struct.pack("<II", 0, 0xFFFFFFFF)
    for size in (1 << 32, -1):
        with pytest.raises(EncodeError, match="does not fit in 32 bits"):
            encode_segment_table([size])
    with pytest.raises(EncodeError, match="at least one segment"):
        encode_segment_table([])


def test_offsets_outside_the_buffer_are_a_usage_error() -> None:
    frame = encode_message(_segments([1]))
    assert decode_message_at(frame)[1] == len(frame)  # offset 0 by default
    for offset in (-1, len(frame) + 1):
        with pytest.raises(ValueError, match="outside a buffer"):
            decode_message_at(frame, offset)
    with pytest.raises(DecodeError, match="prematurely"):
        decode_message_at(frame, len(frame))  # at the very end: no message there


def test_the_stream_default_limit_is_the_references_traversal_limit() -> None:
    assert DEFAULT_MAX_MESSAGE_WORDS == 8 * 1024 * 1024
    at_limit = MessageDecoder()
    at_limit.feed(struct.pack("<II", 0, DEFAULT_MAX_MESSAGE_WORDS))
    assert at_limit.next_message() is None  # waits for its words; nothing allocated
    assert at_limit.buffered == 8
    over = MessageDecoder()
    over.feed(struct.pack("<II", 0, DEFAULT_MAX_MESSAGE_WORDS + 1))
    with pytest.raises(LimitError, match="exceeds the limit"):
        over.next_message()
    two = MessageDecoder()  # the same bound on the sum of several segments
    two.feed(struct.pack("<IIII", 1, DEFAULT_MAX_MESSAGE_WORDS, 1, 0))
    with pytest.raises(LimitError, match="exceeds the limit"):
        two.next_message()


def test_a_stream_decoder_forgets_each_message_s_table() -> None:
    first = encode_message(_segments([2, 1]))  # its table is read before its words arrive
    second = encode_message(_segments([3]))
    third = encode_message(_segments([1, 2, 1]))
    stream = first + second + third
    decoder = MessageDecoder()
    got: List[List[bytes]] = []
    for i in range(len(stream)):
        decoder.feed(stream[i:i + 1])
        while True:
            message = decoder.next_message()
            if message is None:
                break
            got.append([bytes(s) for s in message])
    assert got == [_segments([2, 1]), _segments([3]), _segments([1, 2, 1])]
    assert decoder.buffered == 0
    # an error names its place in the whole stream, past every message returned
    decoder.feed(struct.pack("<I", 600))
    with pytest.raises(LimitError, match=f"at stream byte {len(stream)}\\b"):
        decoder.next_message()


def test_few_segments_reads_exactly_its_range() -> None:
    limit = 1 << 20
    most = encode_message(_segments([1] * FEW_SEGMENTS))
    assert few_segments(most, limit) == _segments([1] * FEW_SEGMENTS)
    more = encode_message(_segments([1] * (FEW_SEGMENTS + 1)))
    assert few_segments(more, limit) is None
    assert [bytes(s) for s in decode_message(more)] == _segments([1] * (FEW_SEGMENTS + 1))
    # two empty segments: a table of two words and nothing after it
    empty = encode_message([b"", b""])
    assert len(empty) == 16
    assert few_segments(empty, limit) == [b"", b""]
    # a frame one byte short of its table, or over the limit, goes to the full decoder
    three = encode_message(_segments([0, 0, 1]))
    assert few_segments(three[:15], limit) is None
    assert few_segments(three, len(three) - 1) is None
    assert few_segments(three, len(three)) == _segments([0, 0, 1])


def test_a_two_dimensional_view_is_read_as_its_bytes() -> None:
    segments = _segments([1, 2])
    frame = encode_message(segments)
    grid = memoryview(frame).cast("B", (len(frame) // 8, 8))
    got, end = decode_message_at(grid)
    assert [bytes(s) for s in got] == segments and end == len(frame)


def test_a_table_cut_short_after_an_earlier_message() -> None:
    first = encode_message(_segments([1]))
    second = encode_message(_segments([1, 1, 1]))  # a 16-byte table
    buf = first + second[:12]
    with pytest.raises(DecodeError, match="prematurely in segment table"):
        decode_message_at(buf, len(first))


class _Trickle:
    """A binary file that hands out at most ``step`` bytes a read, as pipes and sockets may."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data = data
        self.step = step

    def read(self, n: int) -> bytes:
        chunk, self.data = self.data[:min(n, self.step)], self.data[min(n, self.step):]
        return chunk


def test_read_message_assembles_short_reads() -> None:
    messages = [_segments([2, 1]), _segments([3])]
    data = b"".join(encode_message(m) for m in messages)
    for step in (1, 3, 7):
        stream = _Trickle(data, step)
        for expected in messages:
            got = read_message(stream)  # type: ignore[arg-type]
            assert got is not None and [bytes(s) for s in got] == expected
        assert read_message(stream) is None  # type: ignore[arg-type]


def test_a_broken_stream_decoder_keeps_raising_its_error() -> None:
    decoder = MessageDecoder(max_message_words=4)
    decoder.feed(struct.pack("<II", 0, 5))
    with pytest.raises(LimitError) as first:
        decoder.next_message()
    for step in (lambda: decoder.feed(b"\0" * 8), decoder.next_message, decoder.close):
        with pytest.raises(LimitError) as again:
            step()
        assert again.value is first.value


def test_closing_mid_message_says_where_it_stopped() -> None:
    frame = encode_message(_segments([1, 2]))  # a 16-byte table, then 24 bytes of words
    for cut, state in ((6, "segment table"), (12, "segment table"), (20, "message body")):
        decoder = MessageDecoder()
        decoder.feed(frame[:cut])
        assert decoder.next_message() is None
        with pytest.raises(DecodeError, match=f"stream ended inside a message \\({state}\\): {cut} of"):
            decoder.close()
