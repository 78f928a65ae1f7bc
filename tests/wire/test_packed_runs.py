"""Runs of mixed words expanded from the cache of runs seen before.

The unpacker remembers, per first tag, the last few runs of mixed words it
expanded and reuses one when a new run has the same tags at the same offsets
and ends the same way.  These tests compare it with a plain word-by-word
decoder written here from the encoding rules.
"""

from __future__ import annotations

import random
from typing import List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.errors import DecodeError
from capnp_lite.wire.packed import Unpacker, pack, unpack


def reference_unpack(data: bytes) -> bytes:
    """Word by word, straight from the rules; raises ValueError on truncation."""
    out = bytearray()
    pos = 0
    while pos < len(data):
        tag = data[pos]
        pos += 1
        word = bytearray(8)
        for k in range(8):
            if tag >> k & 1:
                if pos >= len(data):
                    raise ValueError("truncated")
                word[k] = data[pos]
                pos += 1
        out += word
        if tag == 0:
            if pos >= len(data):
                raise ValueError("truncated")
            out += bytes(8 * data[pos])
            pos += 1
        elif tag == 0xFF:
            if pos >= len(data):
                raise ValueError("truncated")
            n = 8 * data[pos]
            pos += 1
            if pos + n > len(data):
                raise ValueError("truncated")
            out += data[pos:pos + n]
            pos += n
    return bytes(out)


def mixed_word(rng: random.Random, tag: int) -> bytes:
    return bytes(rng.randrange(1, 256) if tag >> k & 1 else 0 for k in range(8))


def test_same_tags_different_end_are_not_confused() -> None:
    rng = random.Random(7)
    tags = [0x0F, 0x31, 0x03, 0x7E]
    base = b"".join(mixed_word(rng, t) for t in tags)
    # First seen ended by a zero word; then the same tags continued by another
    # mixed word, ended by the input's end, and ended by a literal word.
    inputs = [
        base + bytes(8),
        base + mixed_word(rng, 0x05) + bytes(8),
        base,
        base + b"\xff" * 8,
        base[:8] + mixed_word(rng, 0x0F) + base[16:] + bytes(8),
    ]
    for raw in inputs:
        packed = pack(raw)
        assert unpack(packed) == raw
        assert reference_unpack(packed) == raw


def test_same_first_tag_different_later_tags() -> None:
    rng = random.Random(3)
    for _ in range(200):
        n = rng.randrange(1, 6)
        tags = [0x11] + [rng.choice([0x01, 0x11, 0x80, 0x7F]) for _ in range(n)]
        raw = b"".join(mixed_word(rng, t) for t in tags) + bytes(8)
        assert unpack(pack(raw)) == raw


def test_truncated_repeat_of_a_cached_run() -> None:
    rng = random.Random(5)
    raw = b"".join(mixed_word(rng, t) for t in (0x3F, 0x07, 0x70)) + bytes(8)
    packed = pack(raw)
    assert unpack(packed) == raw  # now cached
    for cut in range(1, len(packed)):
        try:
            expected = reference_unpack(packed[:cut])
        except ValueError:
            with pytest.raises(DecodeError):
                unpack(packed[:cut])
        else:
            # Cut between words: a shorter valid stream.
            assert unpack(packed[:cut]) == expected
    # Fed in pieces, the cached run must wait for its last byte like any other.
    u = Unpacker()
    for i in range(len(packed)):
        u.feed(packed[i:i + 1])
    u.close()
    assert u.take() == raw


mixed_tags = st.integers(min_value=0, max_value=255)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(mixed_tags, min_size=1, max_size=12), min_size=1, max_size=6),
       st.integers(min_value=0, max_value=2**32))
def test_repeated_runs_match_the_reference(shapes: List[List[int]], seed: int) -> None:
    rng = random.Random(seed)
    # Each shape twice, with different bytes: the second hits the cache.
    raw = b"".join(
        b"".join(mixed_word(rng, t) for t in shape)
        for shape in shapes for _ in range(2)
    )
    packed = pack(raw)
    assert unpack(packed) == raw
    assert reference_unpack(packed) == raw


def test_alternating_shapes_with_one_first_tag() -> None:
    # List elements often alternate between shapes that share the first tag;
    # more shapes than the cache keeps per tag must still expand correctly.
    rng = random.Random(11)
    shapes = [[0x1F, 0x11, 0x0F] + [0x03] * k + [0x10 + k] for k in range(12)]
    words: List[bytes] = []
    for i in range(60):
        shape = shapes[i % 2] if i < 30 else shapes[rng.randrange(len(shapes))]
        words.extend(mixed_word(rng, t) for t in shape)
        words.append(b"\xff" * 8)  # a literal word between elements
    raw = b"".join(words)
    packed = pack(raw)
    assert reference_unpack(packed) == raw
    assert unpack(packed) == raw
    assert unpack(packed) == raw  # again, now every shape was seen


def test_every_tag_as_a_mixed_word() -> None:
    # Each tag's blocks of adjacent non-zero bytes, next to every other tag.
    rng = random.Random(13)
    tags = list(range(1, 255))
    for _ in range(2):
        rng.shuffle(tags)
        raw = b"".join(mixed_word(rng, t) for t in tags) + bytes(8)
        packed = pack(raw)
        assert reference_unpack(packed) == raw
        assert unpack(packed) == raw
