"""Bounded fuzzing of the wire layer: framing, packing, the layout core, deep copy, canonical form.

Random bytes and structure-aware inputs (valid messages built with the wire
builder, then damaged) go through the targets of ``targets.py``; only
``DecodeError`` may escape, within time and memory bounds (see ``checks.py``).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capnp_lite.wire.framing import decode_message, encode_message
from capnp_lite.wire.packed import pack, pack_message, unpack, unpack_message

from . import seeds
from .checks import FUZZ, check
from .targets import check_copies, framing_stream, packed, strict_pointer, reader_for

BINARY_TARGETS = ["framing", "framing_stream", "packed", "layout", "layout_flat", "copy_flat",
                  "canonical", "dynamic"]


@pytest.mark.parametrize("target", BINARY_TARGETS)
@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes(target: str, data: bytes) -> None:
    check(target, data)


@pytest.mark.parametrize("target", ["layout_flat", "copy_flat"])
@FUZZ
@given(rng=st.randoms(use_true_random=False), n=st.integers(1, 24))
def test_random_pointer_words(target: str, rng: random.Random, n: int) -> None:
    """A segment made only of edge-case pointer words: offsets, sizes, far and tag words."""
    body = b"".join(seeds.random_pointer(rng).to_bytes(8, "little") for _ in range(n))
    check(target, body)


@pytest.mark.parametrize("target", ["layout", "copy", "canonical", "dynamic"])
@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_mutated_messages(target: str, rng: random.Random) -> None:
    data = seeds.mutate_message(rng, seeds.build_message(rng))
    check(target, data)


@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_mutated_stream(rng: random.Random) -> None:
    """Two framed messages, damaged, fed to the stream decoder in random chunks."""
    data = seeds.build_message(rng, 2) + seeds.build_message(rng, 1)
    check("framing_stream", bytes([rng.randrange(256)]) + seeds.mutate_message(rng, data))


@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_mutated_packed(rng: random.Random) -> None:
    raw = pack_message(seeds.build_segments(rng))
    check("packed", seeds.mutate_message(rng, raw))


@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_valid_messages_survive_every_target(rng: random.Random) -> None:
    """Undamaged messages: no error at all, copies equal, stream and packed forms agree."""
    segments = seeds.build_segments(rng)
    framed = encode_message(segments)
    assert [bytes(s) for s in decode_message(framed)] == segments
    before = strict_pointer(reader_for(segments).root_pointer())
    assert before is not None
    check_copies(segments)
    framing_stream(bytes([rng.randrange(256)]) + framed + framed)
    packed_bytes = pack_message(segments)
    assert [bytes(s) for s in unpack_message(packed_bytes)] == segments
    assert unpack(pack(framed)) == framed
    packed(packed_bytes)


@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_mutated_schema_messages(rng: random.Random) -> None:
    """Messages written for the fuzz schema's ``Root``, damaged, read through that schema."""
    messages = seeds.dynamic_messages()
    assert messages, "the sample texts no longer encode"
    check("dynamic", seeds.mutate_message(rng, rng.choice(messages)))


@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_mutated_generated_messages(rng: random.Random) -> None:
    """Lists of structs read by the generated readers, iterating and indexing, then damaged."""
    data = seeds.generated_message(rng)
    check("generated", data)
    check("generated", seeds.mutate_message(rng, data))
