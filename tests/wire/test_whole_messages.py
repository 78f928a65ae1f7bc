"""MessageDecoder.whole_messages: the in-place read of whole one-segment messages.

The incremental path (feed, then next_message) is the oracle: whenever whole_messages takes
a read, it must return what feeding that read would have returned and leave the decoder as
feeding would; whenever it declines, it must leave the decoder untouched.
"""

from __future__ import annotations

import re
import struct
from typing import Any, List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.errors import DecodeError
from capnp_lite.wire import framing
from capnp_lite.wire.framing import MessageDecoder, encode_message

LIMIT = 16


def _frame(*sizes: int) -> bytes:
    """A framed message with segments of ``sizes`` words, each word holding its own index."""
    segments = [b"".join(struct.pack("<Q", k + 1) for k in range(n)) for n in sizes]
    return encode_message(segments)


def _drain(decoder: MessageDecoder) -> List[List[bytes]]:
    out: List[List[bytes]] = []
    while True:
        message = decoder.next_message()
        if message is None:
            return out
        out.append([bytes(segment) for segment in message])


def _error_offset(decoder: MessageDecoder) -> Optional[int]:
    """The stream offset the decoder names when it next meets a message over its limit."""
    decoder.feed(_frame(LIMIT + 1))
    with pytest.raises(DecodeError) as info:
        _drain(decoder)
    found = re.search(r"stream byte (\d+)", str(info.value))
    return int(found.group(1)) if found else None


def _twins(prefix: bytes) -> Tuple[MessageDecoder, MessageDecoder]:
    """Two decoders in the same state: ``prefix`` fed and every complete message taken."""
    pair = (MessageDecoder(max_message_words=LIMIT), MessageDecoder(max_message_words=LIMIT))
    for decoder in pair:
        decoder.feed(prefix)
        _drain(decoder)
    return pair


def _check_against_feed(prefix: bytes, data: Any) -> Optional[List[bytes]]:
    """Run whole_messages on one twin and feed on the other; both must end alike."""
    fast, oracle = _twins(prefix)
    got = fast.whole_messages(data)
    oracle.feed(data)
    try:
        expected = _drain(oracle)
    except DecodeError:
        assert got is None  # a read the decoder refuses is never taken in place
        return None
    if got is None:
        # Declined: the decoder was left as it was, so feeding it now gives what the twin gave.
        fast.feed(data)
        assert _drain(fast) == expected
    else:
        assert [[bytes(m)] for m in got] == expected
        assert all(m.readonly for m in got)
        assert fast.buffered == 0 and _drain(fast) == []
    assert fast.buffered == oracle.buffered
    if fast.buffered == 0:
        assert _error_offset(fast) == _error_offset(oracle)
    return None if got is None else [bytes(m) for m in got]


def test_whole_one_segment_messages_are_taken_in_place() -> None:
    data = _frame(2) + _frame(0) + _frame(LIMIT)
    got = _check_against_feed(b"", data)
    assert got == [_frame(2)[8:], b"", _frame(LIMIT)[8:]]


def test_the_views_share_the_input() -> None:
    data = _frame(3) + _frame(1)
    views = MessageDecoder().whole_messages(data)
    assert views is not None
    assert views[0].obj is data and views[1].obj is data


@pytest.mark.parametrize("prefix, data", [
    (b"", _frame(2)[:-1]),  # cut short
    (b"", _frame(1) + _frame(1)[:6]),  # then part of a segment table
    (b"", _frame(1) + _frame(1)[:12]),  # then part of a segment
    (b"", _frame(LIMIT + 1)),  # over the limit
    (b"", _frame(1, 1)),  # two segments
    (b"", _frame(1) + _frame(2, 0, 1)),  # a one-segment message, then three segments
    (b"", bytearray(_frame(1))),  # a buffer its owner may change
    (b"", memoryview(_frame(1))),  # a view of one
    (_frame(1)[:5], _frame(1)[5:] + _frame(1)),  # the decoder holds part of a message
    (_frame(1, 1)[:4], _frame(1, 1)[4:]),  # ... part of a segment table
    (b"\x01\x00\x00\x00\x01\x00\x00\x00", bytes(16)),  # ... whose rest looks like frames
])
def test_anything_else_is_declined_and_changes_nothing(prefix: bytes, data: Any) -> None:
    assert _check_against_feed(prefix, data) is None


def test_empty_data_is_zero_messages() -> None:
    assert _check_against_feed(b"", b"") == []
    assert _check_against_feed(_frame(2), b"") == []


def test_a_broken_decoder_declines() -> None:
    decoder = MessageDecoder(max_message_words=LIMIT)
    decoder.feed(_frame(LIMIT + 1))
    with pytest.raises(DecodeError):
        decoder.next_message()
    assert decoder.whole_messages(_frame(1)) is None
    with pytest.raises(DecodeError):
        decoder.feed(b"")


def test_the_function_form_is_the_method() -> None:
    data = _frame(4) + _frame(2)
    a, b = MessageDecoder(), MessageDecoder()
    got_a = framing.whole_messages(a, data)
    got_b = b.whole_messages(data)
    assert got_a is not None and got_b is not None
    assert [bytes(m) for m in got_a] == [bytes(m) for m in got_b]


def _frames(largest: int) -> Any:
    return st.lists(
        st.lists(st.integers(min_value=0, max_value=largest), min_size=1, max_size=3),
        max_size=5,
    ).map(lambda messages: b"".join(_frame(*sizes) for sizes in messages))


@settings(max_examples=150, deadline=None)
@given(_frames(LIMIT // 3), _frames(LIMIT + 2), st.data())  # what is held fits the limit
def test_whole_messages_agrees_with_feeding(before: bytes, stream: bytes, data: Any) -> None:
    """Whatever the decoder already holds and wherever the read starts and ends."""
    cut = data.draw(st.integers(min_value=0, max_value=len(before)))
    end = data.draw(st.integers(min_value=0, max_value=len(stream)))
    _check_against_feed(before[:cut], before[cut:] + stream[:end])
