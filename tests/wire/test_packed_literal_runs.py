"""Cached runs of mixed words that take the following 0xff record with them.

A run of mixed words followed by a complete 0xff record (its word, count byte
and literal words) is cached as one unit, so that struct lists, which often
alternate a mixed run with a full word, expand in one step per element.  The
cached unit must only match when the tags, the 0xff tag and the count byte are
all the same; everything else (another count, a zero tag where the 0xff was,
input ending inside the record) must fall back and decode as the rules say.
The expected bytes come from the word-by-word decoder in test_packed_runs.
"""

from __future__ import annotations

import random
from typing import List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.errors import DecodeError
from capnp_lite.wire.packed import Unpacker, pack, unpack

from .test_packed_runs import mixed_word, reference_unpack

FULL = b"\xff" * 8


def _literal(rng: random.Random, count: int) -> bytes:
    """A full word and ``count`` words the encoder copies verbatim after it."""
    return bytes(rng.randrange(1, 256) for _ in range(8)) + b"".join(
        bytes([rng.randrange(1, 256)] * 7 + [0]) for _ in range(count))


def _check(raw: bytes) -> None:
    packed = pack(raw)
    assert reference_unpack(packed) == raw
    assert unpack(packed) == raw
    assert unpack(packed) == raw  # again, with every run cached


def test_elements_alternating_a_run_and_a_full_word() -> None:
    rng = random.Random(21)
    shape = [0x1F, 0x11, 0x0F, 0x03]
    _check(b"".join(b"".join(mixed_word(rng, t) for t in shape) + _literal(rng, 0)
                    for _ in range(30)))


def test_same_run_with_other_literal_counts() -> None:
    rng = random.Random(22)
    shape = [0x3F, 0x01]
    parts: List[bytes] = []
    for count in [0, 0, 2, 0, 5, 2, 1, 0]:
        parts.append(b"".join(mixed_word(rng, t) for t in shape))
        parts.append(_literal(rng, count))
    # The same run, then a zero word or nothing where the full word was.
    parts.append(b"".join(mixed_word(rng, t) for t in shape) + bytes(8))
    parts.append(b"".join(mixed_word(rng, t) for t in shape))
    _check(b"".join(parts))


def test_truncated_inside_the_cached_literal() -> None:
    rng = random.Random(23)
    shape = [0x0F, 0x70]
    unit = b"".join(mixed_word(rng, t) for t in shape) + _literal(rng, 3)
    one = pack(unit)
    packed = pack(unit + unit)
    assert packed == one + one and unpack(packed) == unit + unit
    # Cuts inside the second unit's 0xff record (after its two mixed words);
    # a cut between records would be a valid, shorter stream.
    record = len(one) + 2 + 4 + 3
    assert packed[record] == 0xFF
    for cut in range(record + 1, len(packed)):
        with pytest.raises(DecodeError):
            unpack(packed[:cut])
        u = Unpacker()
        for i in range(cut):
            u.feed(packed[i:i + 1])
        with pytest.raises(DecodeError):
            u.close()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(st.integers(1, 254), min_size=1, max_size=6),
                          st.sampled_from([None, 0, 0, 1, 3])), min_size=1, max_size=8),
       st.integers(min_value=0, max_value=2**32))
def test_random_elements_match_the_reference(elements: List[tuple], seed: int) -> None:
    rng = random.Random(seed)
    parts: List[bytes] = []
    for _ in range(2):  # each element shape twice: the second hits the cache
        for shape, count in elements:
            parts.append(b"".join(mixed_word(rng, t) for t in shape))
            if count is not None:
                parts.append(_literal(rng, count))
    _check(b"".join(parts))
