"""Both packing paths (bulk runs for CPython, a word loop for PyPy) on either interpreter.

pack() picks one path at import; these tests call each directly and force
pack() through each, so a break in the path the current interpreter does not
use still fails here. Expected bytes come from the reference (the vectors,
pycapnp) or from the packing rules worked out by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.wire import packed
from capnp_lite.wire.framing import decode_message

FULL = bytes(range(1, 9))
ONE_ZERO = b"\x01\x02\x03\x04\x05\x06\x07\x00"
TWO_ZERO = b"\x00\x02\x03\x04\x05\x06\x07\x00"
Z = bytes(8)

def _runs_without_mark(raw: bytes) -> bytes:
    """The bulk path as it goes when no byte can stand in for full words' counts (every
    candidate occurs in the words): the stretches between runs are cut after full words."""
    saved = packed._MARK_CANDIDATES
    packed._MARK_CANDIDATES = b""
    try:
        return packed._pack_runs(raw, len(raw) // 8)
    finally:
        packed._MARK_CANDIDATES = saved


PATHS: Dict[str, Callable[[bytes], bytes]] = {
    "words": packed._pack_words,
    "runs": lambda raw: packed._pack_runs(raw, len(raw) // 8),
    "runs without a mark": _runs_without_mark,
}

# (name, unpacked, packed), from the encoding rules.
HAND = [
    ("spec example", bytes.fromhex("0800000003000200" "19000000aa010000"),
     bytes.fromhex("51080302" "3119aa01")),
    ("one zero word", Z, b"\x00\x00"),
    ("256 zero words", Z * 256, b"\x00\xff"),
    ("257 zero words", Z * 257, b"\x00\xff\x00\x00"),
    ("zero run after a mixed word", b"\x05" + bytes(7) + Z * 3, b"\x01\x05\x00\x02"),
    ("one full word", FULL, b"\xff" + FULL + b"\x00"),
    ("literal run stops at two zeros", FULL + ONE_ZERO + ONE_ZERO + TWO_ZERO,
     b"\xff" + FULL + b"\x02" + ONE_ZERO * 2 + b"\x7e" + TWO_ZERO[1:7]),
    ("literal run stops at a zero word", FULL + ONE_ZERO + Z, b"\xff" + FULL + b"\x01" + ONE_ZERO
     + b"\x00\x00"),
    ("257 full words", FULL * 257, b"\xff" + FULL + b"\xff" + FULL * 255 + b"\xff" + FULL + b"\x00"),
    ("every mixed tag byte", b"\x00\x09\x00\x00\x07\x00\x00\x01", b"\x92\x09\x07\x01"),
    ("one-zero word alone", ONE_ZERO, b"\x7f" + ONE_ZERO[:7]),
    # Full words whose run ends at once, among mixed words: each takes its count byte 0
    # (the bulk path writes such stretches together, joining those bytes in).
    ("full words between mixed words", (b"\x05" + bytes(7) + FULL) * 2 + b"\x05" + bytes(7),
     (b"\x01\x05\xff" + FULL + b"\x00") * 2 + b"\x01\x05"),
    ("a full word last", b"\x05" + bytes(7) + FULL, b"\x01\x05\xff" + FULL + b"\x00"),
    ("full words around a zero run", FULL + Z * 2 + FULL,
     b"\xff" + FULL + b"\x00" + b"\x00\x01" + b"\xff" + FULL + b"\x00"),
]


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("name, raw, expected", HAND, ids=[c[0] for c in HAND])
def test_hand_cases(path: str, name: str, raw: bytes, expected: bytes) -> None:
    assert PATHS[path](raw) == expected


def _vector_cases(vectors: Path) -> List[Dict[str, Any]]:
    cases: List[Dict[str, Any]] = json.loads((vectors / "manifest.json").read_text())["cases"]
    return [c for c in cases if c["category"] != "hostile"
            and "packed" in c["files"] and "binary" in c["files"]]


@pytest.mark.parametrize("path", sorted(PATHS))
def test_vectors_segment_by_segment(vectors: Path, path: str, monkeypatch: Any) -> None:
    # The reference packs the table and each segment separately; force pack()
    # (and so pack_message) through one path and compare every vector.
    monkeypatch.setattr(packed, "_WORD_LOOP", path == "words")
    monkeypatch.setattr(packed, "_FEW_WORDS", 0)  # small pieces (tables) on the chosen path too
    cases = _vector_cases(vectors)
    assert cases
    for case in cases:
        binary = (vectors / case["files"]["binary"]).read_bytes()
        expected = (vectors / case["files"]["packed"]).read_bytes()
        segments = decode_message(binary)
        assert packed.pack_message(segments) == expected, case["id"]


def test_pycapnp_packs_the_same(monkeypatch: Any) -> None:
    capnp = pytest.importorskip("capnp")
    path = Path(__file__).resolve().parents[2] / "schemas" / "calculator.capnp"
    schema = capnp.load(str(path))
    msg = schema.Calculator.Expression.new_message()
    call = msg.init("call")
    params = call.init("params", 40)
    for i, p in enumerate(params):
        # Full words, sparse words and zero words.
        p.literal = [0.0, 1.5, -1234.0625e100, 3.141592653589793][i % 4]
    framed = msg.to_bytes()
    monkeypatch.setattr(packed, "_FEW_WORDS", 0)
    for choice in ("words", "runs"):
        monkeypatch.setattr(packed, "_WORD_LOOP", choice == "words")
        assert packed.pack_message(decode_message(framed)) == msg.to_bytes_packed(), choice


# Words drawn to hit every rule: zero words, full words, one-zero words,
# sparse words, and long stretches of each.
_WORD = st.one_of(
    st.just(Z), st.just(FULL), st.just(ONE_ZERO), st.just(TWO_ZERO),
    st.binary(min_size=8, max_size=8),
    st.lists(st.sampled_from([0, 0, 0, 1, 0x80, 0xFF]), min_size=8, max_size=8).map(bytes),
)
_WORDS = st.lists(st.tuples(_WORD, st.integers(1, 300)), min_size=1, max_size=6).map(
    lambda parts: b"".join(w * n for w, n in parts))


@settings(max_examples=150, deadline=None)
@given(_WORDS)
def test_paths_agree_and_round_trip(raw: bytes) -> None:
    words = packed._pack_words(raw)
    assert words == packed._pack_runs(raw, len(raw) // 8)
    assert words == _runs_without_mark(raw)
    assert packed.unpack(words) == raw


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORD, min_size=1, max_size=200).map(b"".join))
def test_paths_agree_word_by_word(raw: bytes) -> None:
    # Every kind of word next to every other, one at a time (the runs above come in stretches).
    words = packed._pack_words(raw)
    assert words == packed._pack_runs(raw, len(raw) // 8)
    assert words == _runs_without_mark(raw)
    assert packed.unpack(words) == raw


def test_words_holding_every_mark_candidate() -> None:
    # Words in which every candidate byte occurs take the path without a mark by
    # themselves; a candidate only in the tags must rule it out too.
    mixed = b"".join(bytes((c, 0, 0, 0, 0, 0, 0, 1)) for c in packed._MARK_CANDIDATES)
    raw = mixed + FULL + mixed + FULL + Z + FULL
    assert packed._pack_runs(raw, len(raw) // 8) == packed._pack_words(raw)
    tag = packed._MARK_CANDIDATES[0]  # a word whose tag is that byte, and a full word
    word = bytes(1 if tag >> k & 1 else 0 for k in range(8))
    raw = word + FULL + word
    assert tag not in raw
    assert packed._pack_runs(raw, len(raw) // 8) == packed._pack_words(raw)


def test_pack_takes_any_buffer_on_either_path(monkeypatch: Any) -> None:
    raw = FULL + Z * 3 + ONE_ZERO
    monkeypatch.setattr(packed, "_FEW_WORDS", 0)
    for path in ("words", "runs"):
        monkeypatch.setattr(packed, "_WORD_LOOP", path == "words")
        expected = PATHS[path](raw)
        assert packed.pack(bytearray(raw)) == expected
        assert packed.pack(memoryview(raw)) == expected
        assert packed.pack(b"") == b""


def test_few_words_take_the_word_loop(monkeypatch: Any) -> None:
    # pack() walks a handful of words even on CPython; both ways give the same bytes.
    calls: List[int] = []
    monkeypatch.setattr(packed, "_WORD_LOOP", False)
    monkeypatch.setattr(packed, "_pack_runs", lambda raw, n: calls.append(n) or b"")
    raw = FULL + Z + ONE_ZERO
    assert packed.pack(raw) == packed._pack_words(raw)
    assert calls == []
    packed.pack(raw * 3)  # nine words: the bulk path
    assert calls == [9]
