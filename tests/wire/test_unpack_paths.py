"""Both unpacking paths (a word loop for PyPy, cached runs for CPython) on either interpreter.

unpack() picks one path at import; these tests switch the choice to force
the record decoder and the public API through each, so a break in the path the current interpreter
does not use still fails here. Expected bytes come from the vectors (packed
by the reference) and the hand-worked table of test_packed; on hostile and
random input, the two paths must agree on output, bytes consumed and the
exact error.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.errors import DecodeError, LimitError
from capnp_lite.wire import packed
from capnp_lite.wire.framing import decode_message

from .test_packed import TABLE, TRUNCATED


# The paths: the word loop; the run cache alone (however many runs it misses); whole
# stretches from the first run on (an empty cache, and no miss allowed before them).
PATHS = ["words", "runs", "whole"]


@contextmanager
def _through(path: str) -> Iterator[None]:
    """Every packed reader through one path (see PATHS)."""
    saved = packed._WORD_UNPACK, packed._WHOLE_AFTER_MISSES, packed._RUNS
    packed._WORD_UNPACK = path == "words"
    packed._WHOLE_AFTER_MISSES = -1 if path == "whole" else 1 << 30
    if path == "whole":
        packed._RUNS = {}
    try:
        yield
    finally:
        packed._WORD_UNPACK, packed._WHOLE_AFTER_MISSES, packed._RUNS = saved


CORPUS = Path(__file__).resolve().parents[1] / "fuzz" / "corpus"

# An outcome: ("ok", bytes consumed, output) or (error class, message).
Outcome = Tuple[Any, ...]


def _outcome(path: str, raw: bytes, max_bytes: Optional[int] = None, produced: int = 0,
             base: int = 0) -> Outcome:
    try:
        with _through(path):
            pos, pieces = packed._unpack_records(raw, base, max_bytes, produced)
    except DecodeError as exc:
        return (type(exc).__name__, str(exc))
    return ("ok", pos, b"".join(pieces))


def _public(raw: bytes, max_words: Optional[int], words: bool) -> Outcome:
    """unpack() through the word loop or the run cache."""
    try:
        with _through("words" if words else "runs"):
            return ("ok", packed.unpack(raw, max_words=max_words))
    except DecodeError as exc:
        return (type(exc).__name__, str(exc))


def _agree(raw: bytes, max_bytes: Optional[int] = None, produced: int = 0, base: int = 0) -> Outcome:
    words = _outcome("words", raw, max_bytes, produced, base)
    for other in PATHS[1:]:
        got = _outcome(other, raw, max_bytes, produced, base)
        assert got == words, (other, raw[:64].hex(), max_bytes, produced)
    return words


@pytest.fixture(params=PATHS)
def path(request: Any) -> Iterator[str]:
    """Forces unpack() and everything built on it through one path."""
    name: str = request.param
    with _through(name):
        yield name


def _vector_pairs(vectors: Path) -> List[Tuple[str, bytes, bytes]]:
    cases = json.loads((vectors / "manifest.json").read_text())["cases"]
    return [
        (c["id"], (vectors / c["files"]["packed"]).read_bytes(),
         (vectors / c["files"]["binary"]).read_bytes())
        for c in cases
        if c["category"] != "hostile" and "packed" in c["files"] and "binary" in c["files"]
    ]


def _corpus() -> List[bytes]:
    return [p.read_bytes() for p in sorted(CORPUS.rglob("*.bin"))]


# --- known answers -----------------------------------------------------------


@pytest.mark.parametrize("name, raw, data", TABLE, ids=[c[0] for c in TABLE])
def test_hand_table(path: str, name: str, raw: bytes, data: bytes) -> None:
    assert _outcome(path, data) == ("ok", len(data), raw)
    assert packed.unpack(data) == raw


@pytest.mark.parametrize("name, data", TRUNCATED, ids=[c[0] for c in TRUNCATED])
def test_truncated_table(path: str, name: str, data: bytes) -> None:
    with pytest.raises(DecodeError, match="truncated"):
        packed.unpack(data)


def test_vectors(vectors: Path, path: str) -> None:
    pairs = _vector_pairs(vectors)
    assert pairs
    for case_id, data, binary in pairs:
        assert packed.unpack(data) == binary, case_id
        assert [bytes(s) for s in packed.unpack_message(data)] == [
            bytes(s) for s in decode_message(binary)
        ], case_id


def test_vectors_through_the_stream_decoder(vectors: Path, path: str) -> None:
    pairs = _vector_pairs(vectors)
    stream = b"".join(data for _, data, _ in pairs)
    decoder = packed.PackedMessageDecoder()
    # Uneven feeds split records and messages anywhere.
    for i in range(0, len(stream), 777):
        decoder.feed(stream[i : i + 777])
    for case_id, _, binary in pairs:
        message = decoder.next_message()
        assert message is not None, case_id
        assert [bytes(s) for s in message] == [bytes(s) for s in decode_message(binary)], case_id
    assert decoder.next_message() is None
    decoder.close()


def test_error_wording(path: str) -> None:
    with pytest.raises(DecodeError, match=r"^packed input truncated: tag 0x51 with 2 of 3 "
                       r"bytes at byte 2$"):
        packed.unpack(b"\x00\x00\x51\x08\x03")
    with pytest.raises(DecodeError, match=r"0xff tag with 3 of 8 bytes and its count at byte 0$"):
        packed.unpack(b"\xff\x01\x02\x03")
    with pytest.raises(DecodeError, match=r"literal run of 2 words with 9 bytes present at byte 2$"):
        packed.unpack(b"\x00\x00" + b"\xff" + bytes(range(1, 9)) + b"\x02" + bytes(9))
    with pytest.raises(LimitError, match=r"^unpacked output exceeds the limit of 16 bytes at "
                       r"packed byte 4$"):
        packed.unpack(b"\x01\x05\x01\x06\x01\x07", max_words=2)


# --- limits and the word loop's buffer ----------------------------------------


def test_zero_runs_far_beyond_the_first_buffer(path: str) -> None:
    # 2 input bytes become up to 2 KiB: the word loop's buffer has to grow.
    data = b"\x00\xff" * 40 + b"\x01\x07" + b"\x00\xff" * 40
    expected = bytes(8 * 256 * 40) + b"\x07" + bytes(7) + bytes(8 * 256 * 40)
    assert packed.unpack(data, max_words=None) == expected
    assert packed.unpack(data, max_words=len(expected) // 8) == expected
    with pytest.raises(LimitError, match=f"at packed byte {len(data) - 2}$"):
        packed.unpack(data, max_words=len(expected) // 8 - 1)


@pytest.mark.parametrize("max_words", [0, 1, 2, 255, 256, 257, 300, 511, 512, 513])
def test_limit_at_every_record_kind(path: str, max_words: int) -> None:
    full = bytes(range(1, 9))
    data = b"\x00\xff" + b"\xff" + full + b"\x03" + full * 3 + b"\x11\x01\x02" + b"\x00\xfe"
    expected = bytes(2048) + full * 4 + b"\x01" + bytes(3) + b"\x02" + bytes(3) + bytes(8 * 255)
    assert len(expected) == 8 * 516
    if max_words >= 516:
        assert packed.unpack(data, max_words=max_words) == expected
        return
    # The first record whose output does not fit is named: (words after it, its offset).
    ends = [(256, 0), (260, 2), (261, 36), (516, 39)]
    at = next(pos for words, pos in ends if words > max_words)
    with pytest.raises(LimitError, match=f"limit of {8 * max_words} bytes at packed byte {at}$"):
        packed.unpack(data, max_words=max_words)


def test_vector_limits_agree(vectors: Path) -> None:
    for case_id, data, binary in _vector_pairs(vectors)[:40]:
        words = len(binary) // 8
        for limit in sorted({0, 1, words // 2, words - 1, words, words + 1}):
            got = _agree(data, 8 * max(limit, 0))
            if limit >= words:
                assert got == ("ok", len(data), binary), case_id
            else:
                assert got[0] == "LimitError", case_id


def test_unpacker_total_limit(path: str) -> None:
    unpacker = packed.Unpacker(max_words=300)
    unpacker.feed(b"\x00\xff")
    unpacker.feed(b"\x00\x2b")  # 44 more words: exactly 300
    assert unpacker.take() == bytes(8 * 300)
    with pytest.raises(LimitError, match="at packed byte 4$"):
        unpacker.feed(b"\x01\x01")


# --- hostile and random input: the paths agree --------------------------------


def _streams(vectors: Path) -> List[bytes]:
    return [data for _, data, _ in _vector_pairs(vectors)[:25]] + _corpus() + [
        data for _, _, data in TABLE
    ]


def test_every_prefix_agrees(vectors: Path) -> None:
    streams = _streams(vectors)
    assert len(streams) > 30
    for whole in streams:
        # Every cut of short streams; about 100 spread over longer ones (the
        # long fuzz inputs are whole in test_corpus_agrees_under_limits).
        data = whole[:2048]
        step = 1 if len(data) <= 400 else len(data) // 100
        for cut in sorted(set(range(0, len(data) + 1, step)) | {len(data)}):
            got = _agree(data[:cut])
            assert got[0] == "ok"
            # Both stop at the same record boundary; unpack() reports the rest.
            public = _public(data[:cut], None, True)
            assert public == _public(data[:cut], None, False)
            if got[1] != cut:
                assert public[0] == "DecodeError" and "truncated" in public[1]


def test_corpus_agrees_under_limits() -> None:
    corpus = _corpus()
    assert corpus
    for data in corpus:
        for max_bytes in (None, 0, 8, 64, 4096, 8 * len(data)):
            _agree(data, max_bytes)
            _agree(data, max_bytes, base=1000)


_RECORD = st.one_of(
    st.tuples(st.just(0), st.integers(0, 255)).map(bytes),
    st.tuples(st.binary(min_size=8, max_size=8), st.integers(0, 3)).flatmap(
        lambda t: st.binary(min_size=8 * t[1], max_size=8 * t[1]).map(
            lambda lit: b"\xff" + t[0] + bytes([t[1]]) + lit)),
    st.integers(1, 254).flatmap(
        lambda tag: st.binary(min_size=packed._POPCOUNT[tag], max_size=packed._POPCOUNT[tag])
        .map(lambda body: bytes([tag]) + body)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_RECORD, max_size=40).map(b"".join), st.integers(0, 8), st.data())
def test_record_streams_agree(data: bytes, chop: int, draw: Any) -> None:
    data = data[: max(0, len(data) - chop)]
    max_bytes = draw.draw(st.one_of(st.none(), st.integers(0, 8 * 600)))
    produced = 0 if max_bytes is None else draw.draw(st.integers(0, max_bytes))
    _agree(data, max_bytes, produced, draw.draw(st.integers(0, 1 << 20)))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.one_of(st.none(), st.integers(0, 4096)))
def test_random_bytes_agree(data: bytes, max_bytes: Optional[int]) -> None:
    _agree(data, max_bytes)


@settings(max_examples=60, deadline=None)
@given(st.lists(_RECORD, max_size=30).map(b"".join),
       st.lists(st.integers(1, 40), min_size=1, max_size=20))
def test_incremental_matches_one_shot(data: bytes, chunks: List[int]) -> None:
    one_shot = _public(data, None, True)
    assert one_shot == _public(data, None, False)
    for choice in PATHS:
        with _through(choice):
            unpacker = packed.Unpacker()
            out = b""
            pos = 0
            i = 0
            while pos < len(data):
                size = chunks[i % len(chunks)]
                unpacker.feed(data[pos : pos + size])
                out += unpacker.take()
                pos += size
                i += 1
            unpacker.close()
        assert ("ok", out) == one_shot, choice


@pytest.mark.parametrize("max_bytes", [0, 4, 8, 12, 15, 16, 20, 24, 31])
def test_bounds_that_end_inside_a_word(max_bytes: int) -> None:
    # A bound that is not a whole number of words stops every path before the word it
    # cuts, mixed, zero or full.
    data = b"\x01\x05" * 3 + b"\x00\x00" + b"\xff" + bytes(range(1, 9)) + b"\x00" + b"\x01\x05"
    assert _agree(data, max_bytes)[0] in ("ok", "LimitError")
    assert _agree(data[:4], max_bytes)[0] in ("ok", "LimitError")


def test_whole_stretches_longer_than_one_format() -> None:
    # More packed bytes than one whole stretch covers: the stretches follow one another.
    mixed = bytes((0x55, 1, 2, 3, 4, 0x03, 9, 9))
    data = mixed * (packed._WHOLE_MAX_BYTES // len(mixed) + 100) + b"\x00\x02" + b"\x01\x07"
    assert _agree(data)[0] == "ok"
