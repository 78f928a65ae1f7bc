"""Packed framed messages are unpacked within their frame, as the reference reads them.

The reference (C++ ``PackedMessageReader``, which pycapnp's ``from_bytes_packed``
and ``capnp decode --packed`` use) reads a packed message as unpacked pieces:
the segment table's first word, the rest of the table, then the segments.
A zero or literal run whose words go past the end of the piece being read is
refused ("did not end cleanly on a segment boundary"); runs may cross between
segments (read as one piece); nothing after the message is read, so stray
bytes after it are ignored.

Expected outcomes come from a hand-worked table (checked against pycapnp
2.2.4 and ``capnp decode --packed`` 0.9.2 when this was written) and from
``model_read`` below, a record-at-a-time model of that reader written apart
from the library's decoder. Where pycapnp is importable it is compared with
both; without it those comparisons are skipped with a reason.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any, List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite import dynamic
from capnp_lite.cli_text import find_struct, run_decode
from capnp_lite.errors import DecodeError, LimitError
from capnp_lite.wire import packed
from capnp_lite.wire.framing import encode_message
from capnp_lite.wire.packed import (
    PackedMessageDecoder,
    pack,
    pack_message,
    unpack_frame_at,
    unpack_message,
)

from ..codegen.cg_helpers import generated_module

# A file ID of its own: pycapnp refuses one schema loaded from two files.
SCHEMA = "@0xb7c1d2e3f4a59681;\nstruct S {\n  u @0 :UInt32;\n  v @1 :UInt32;\n}\n"

FIRST = "the segment table's first word"
TABLE = "the segment table"
MESSAGE = "the message"

# --- a model of the reference reader --------------------------------------------

Verdict = Tuple[Any, ...]


def model_read(data: bytes, start: int = 0) -> Verdict:
    """How the reference reads the packed message at ``data[start:]``.

    ("ok", unpacked frame, packed end), ("crosses", span), ("truncated",) or
    ("limit",). One record at a time: each record writes one word, then a
    zero or literal run its count of words, which must fit in the span. The
    limits: fewer than 512 segments, at most 8 Mi words (the default
    traversal limit, which the reference applies to the whole message).
    """
    out = bytearray()
    span, end_of_span = FIRST, 8
    pos = start
    while True:
        if len(out) == end_of_span:
            count = int.from_bytes(out[0:4], "little") + 1
            if span == FIRST and count >= 512:
                return ("limit",)
            if span == FIRST and count > 1:
                span, end_of_span = TABLE, (count // 2 + 1) * 8
                continue
            if span in (FIRST, TABLE):
                sizes = struct.unpack_from(f"<{count}I", out, 4)
                if sum(sizes) > 8 * 1024 * 1024:
                    return ("limit",)
                span, end_of_span = MESSAGE, len(out) + 8 * sum(sizes)
                continue
            return ("ok", bytes(out), pos)
        if pos >= len(data):
            return ("truncated",)
        tag = data[pos]
        pos += 1
        for bit in range(8):
            if tag >> bit & 1:
                if pos >= len(data):
                    return ("truncated",)
                out.append(data[pos])
                pos += 1
            else:
                out.append(0)
        if tag in (0x00, 0xFF):
            if pos >= len(data):
                return ("truncated",)
            more = data[pos]
            pos += 1
            if len(out) + 8 * more > end_of_span:
                return ("crosses", span)
            if tag == 0x00:
                out += bytes(8 * more)
            else:
                if pos + 8 * more > len(data):
                    return ("truncated",)
                out += data[pos : pos + 8 * more]
                pos += 8 * more


# --- ours, through each unpacking path -----------------------------------------


@pytest.fixture(params=["words", "runs"])
def path(request: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    """Forces every packed reader through the PyPy word loop or the CPython run cache."""
    name: str = request.param
    monkeypatch.setattr(packed, "_WORD_UNPACK", name == "words")
    return name


def ours(data: bytes, start: int = 0) -> Verdict:
    """unpack_frame_at's outcome in the model's terms."""
    try:
        frame, end = unpack_frame_at(data, start)
    except LimitError:
        return ("limit",)
    except DecodeError as exc:
        text = str(exc)
        if "did not end cleanly" in text:
            for span in (FIRST, TABLE, MESSAGE):
                if f"crosses the end of {span} (" in text:
                    return ("crosses", span)
        assert text.startswith("packed input truncated"), text
        return ("truncated",)
    return ("ok", frame, end)


def stream_first(data: bytes, chunk: int) -> Verdict:
    """The first message of PackedMessageDecoder fed ``data`` in pieces of ``chunk``."""
    decoder = PackedMessageDecoder()
    try:
        for i in range(0, len(data), chunk):
            decoder.feed(data[i : i + chunk])
            message = decoder.next_message()
            if message is not None:
                return ("ok", encode_message(message))
        decoder.close()
    except LimitError:
        return ("limit",)
    except DecodeError as exc:
        text = str(exc)
        for span in (FIRST, TABLE, MESSAGE):
            if f"crosses the end of {span} (" in text:
                return ("crosses", span)
        return ("truncated",)
    return ("truncated",)


# --- hand-worked cases -----------------------------------------------------------

ROOT = "1001"  # a struct pointer: offset 0, one data word, no pointers
FULL1 = "01" * 8
FULL2 = "02" * 8
# (name, packed hex, expected): ("ok", u, v, packed end) or ("crosses", span) or
# ("truncated",) or ("limit",).
CASES: List[Tuple[str, str, Verdict]] = [
    ("zero_run_past_the_message", "10010005", ("crosses", MESSAGE)),
    ("trailing_partial_tag_01", "100f50020c0105000c01", ("ok", 5, 0, 9)),
    ("trailing_partial_tag_00", "100f50020c0105000c00", ("ok", 5, 0, 9)),
    ("zero_run_ends_at_the_message_end", "1003" + ROOT + "01050000", ("ok", 5, 0, 8)),
    ("zero_run_one_word_past_the_end", "1003" + ROOT + "01050001", ("crosses", MESSAGE)),
    ("zero_run_is_the_whole_body_end", "1002" + ROOT + "0000", ("ok", 0, 0, 6)),
    ("literal_run_ends_at_the_message_end",
     "1003" + ROOT + "ff" + FULL1 + "01" + FULL2, ("ok", 0x01010101, 0x01010101, 22)),
    ("literal_run_past_the_message", "1002" + ROOT + "ff" + FULL1 + "01" + FULL2,
     ("crosses", MESSAGE)),
    # The count byte alone decides: the missing words are never waited for.
    ("literal_run_past_the_message_words_missing", "1002" + ROOT + "ff" + FULL1 + "0102",
     ("crosses", MESSAGE)),
    ("zero_run_past_the_first_word", "0001" + ROOT + "0105", ("crosses", FIRST)),
    ("literal_run_past_the_first_word", "ff" + FULL1 + "01" + FULL2, ("crosses", FIRST)),
    # Two segments: the table is 16 bytes; its second word is read on its own.
    ("zero_run_past_the_table", "110101" + "0001", ("crosses", TABLE)),
    ("table_then_body", "110102" + "0000" + ROOT + "110509", ("ok", 5, 9, 10)),
    # Three segments whose sizes have no zero byte: a literal table word.
    ("literal_run_past_the_table", "110201" + "ff" + FULL1 + "01" + FULL1, ("crosses", TABLE)),
    # Runs crossing between segments are one read for the reference: accepted.
    ("zero_run_across_segments", "110104010310011107090004", ("ok", 7, 9, 12)),
    ("literal_run_across_segments",
     "11010401031001110709ff" + "11" * 8 + "04" + "11" * 8 + "22" * 24, ("ok", 7, 9, 52)),
    ("first_word_missing_bytes", "10", ("truncated",)),
    ("empty_input", "", ("truncated",)),
    ("table_rest_missing", "110101", ("truncated",)),
    ("body_missing", "1002" + ROOT, ("truncated",)),
    ("body_ends_inside_a_word", "1002" + ROOT + "1105", ("truncated",)),
    ("too_many_segments", "0fffffffff00", ("limit",)),
]
CASE_IDS = [c[0] for c in CASES]


def _root_values(frame: bytes) -> Optional[Tuple[int, int]]:
    """The root struct's two fields, read by hand from an unpacked frame (None if empty)."""
    count = struct.unpack_from("<I", frame)[0] + 1
    body = (count // 2 + 1) * 8
    if len(frame) < body + 16:
        return None
    # The root pointer in these messages always points at the next word
    # (a struct pointer with offset 0), where the two fields are.
    assert struct.unpack_from("<I", frame, body)[0] == 0
    return struct.unpack_from("<II", frame, body + 8)


@pytest.mark.parametrize("name, data_hex, expected", CASES, ids=CASE_IDS)
def test_hand_cases(path: str, name: str, data_hex: str, expected: Verdict) -> None:
    data = bytes.fromhex(data_hex)
    got = ours(data)
    if expected[0] != "ok":
        assert got == expected
        assert stream_first(data, 1) == expected
        assert stream_first(data, len(data) + 1) == expected
        return
    assert got[0] == "ok" and got[2] == expected[3]
    frame = got[1]
    assert _root_values(frame) == expected[1:3]
    assert model_read(data) == got
    assert stream_first(data, 1) == ("ok", frame)


def test_hand_case_outcomes_are_what_they_say() -> None:
    # The table's expectations, restated without any reader.
    for name, data_hex, expected in CASES:
        model = model_read(bytes.fromhex(data_hex))
        if expected[0] == "ok":
            assert model[0] == "ok" and model[2] == expected[3], name
        else:
            assert model == expected, name


@pytest.mark.parametrize("junk", [
    "00", "01", "ff", "0000", "00ff", "ff01", "5108", "ff" + FULL1, "ff" + FULL1 + "05",
    "ff" + FULL1 + "0102", "10", "1001", "100500ff", "0f" * 7, "ff" * 20,
    "0102030405060708090a0b0c0d0e0f1011121314", "00" * 19 + "ff",
])
def test_trailing_bytes_are_not_read(path: str, junk: str) -> None:
    message = bytes.fromhex("1002" + ROOT + "110509")
    data = message + bytes.fromhex(junk)
    frame, end = unpack_frame_at(data)
    assert end == len(message)
    assert frame == struct.pack("<IIQII", 0, 2, 1 << 32, 5, 9)
    assert [bytes(s) for s in unpack_message(data)] == [frame[8:]]
    assert model_read(data) == ("ok", frame, end)


@pytest.mark.parametrize("cut", range(1, 21))
def test_every_length_of_junk(path: str, cut: int) -> None:
    message = pack_message([struct.pack("<QII", 1 << 32, 7, 8)])
    junk = bytes.fromhex("ff" + FULL1 + "ff0000000000000000")
    frame, end = unpack_frame_at(message + junk[:cut])
    assert end == len(message) and frame[8:] == struct.pack("<QII", 1 << 32, 7, 8)


def test_error_says_what_crosses_where(path: str) -> None:
    with pytest.raises(DecodeError, match=r"^packed input did not end cleanly on a segment "
                       r"boundary: zero run of 6 words at byte 2 crosses the end of the "
                       r"message \(1 word left\)$"):
        unpack_frame_at(bytes.fromhex("10010005"))
    with pytest.raises(DecodeError, match=r"literal run of 2 words at byte 0 crosses the end "
                       r"of the segment table's first word \(1 word left\)$"):
        unpack_frame_at(bytes.fromhex("ff" + FULL1 + "01" + FULL2))
    # Offsets count from the start of the buffer, also for a later message.
    first = bytes.fromhex("1002" + ROOT + "110509")
    with pytest.raises(DecodeError, match=r"zero run of 2 words at byte 11 crosses the end of "
                       r"the message \(1 word left\)$"):
        unpack_frame_at(first + bytes.fromhex("1002" + ROOT + "0001"), len(first))


def test_an_offset_at_the_end_is_a_truncated_message_and_past_it_a_bad_argument(path: str) -> None:
    # At the end, as a reader of consecutive messages gets after the last: no message there.
    first = bytes.fromhex("1002" + ROOT + "110509")
    for data, at in ((first, len(first)), (b"", 0)):
        with pytest.raises(DecodeError, match=rf"^packed input truncated: the segment table's "
                           rf"first word needs 8 more unpacked bytes at byte {at}$"):
            unpack_frame_at(data, at)
    with pytest.raises(ValueError, match=rf"offset {len(first) + 1} outside a buffer of {len(first)} bytes"):
        unpack_frame_at(first, len(first) + 1)
    with pytest.raises(ValueError):
        unpack_frame_at(first, -1)


def test_without_a_limit_any_table_is_read(path: str) -> None:
    # Two segments (the table spans two words), read with no bound on the message's size.
    message = pack_message([struct.pack("<Q", 1 << 32), struct.pack("<QQ", 5, 6)])
    frame, end = unpack_frame_at(message, max_message_words=None)
    assert end == len(message)
    assert frame[16:] == struct.pack("<QQQ", 1 << 32, 5, 6)
    # The bound is inclusive: three words of segments pass a bound of three.
    assert unpack_frame_at(message, max_message_words=3) == (frame, end)
    with pytest.raises(LimitError):
        unpack_frame_at(message, max_message_words=2)


def test_a_decoder_that_failed_refuses_more_input_with_the_same_error(path: str) -> None:
    decoder = PackedMessageDecoder(max_message_words=1000)
    decoder.feed(bytes.fromhex("f0ffffff7f"))  # a table announcing 2^31 words
    with pytest.raises(LimitError) as first:
        decoder.next_message()
    with pytest.raises(LimitError) as again:
        decoder.feed(pack_message([bytes(8)]))
    assert again.value is first.value
    with pytest.raises(LimitError):
        decoder.next_message()


def test_a_message_over_the_limit_is_refused_from_its_table(path: str) -> None:
    # 0x7fffffff words announced, then runs that would expand without end.
    data = bytes.fromhex("f0ffffff7f") + b"\x00\xff" * 1000
    with pytest.raises(LimitError, match="exceeds the limit of 1000 words"):
        unpack_frame_at(data, max_message_words=1000)
    with pytest.raises(LimitError):
        unpack_message(data)
    decoder = PackedMessageDecoder(max_message_words=1000)
    decoder.feed(data)
    with pytest.raises(LimitError):
        decoder.next_message()


# --- the readers built on it -----------------------------------------------------


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = tmp_path_factory.mktemp("packed_frames") / "frames.capnp"
    path.write_text(SCHEMA)
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return generated_module(tmp_path_factory.mktemp("packed_frames_gen"), SCHEMA, "frames.capnp")


# Cases where we used to read differently from the reference.
FORMERLY_APART = [(c[1], c[2]) for c in CASES if c[0] in (
    "zero_run_past_the_message", "trailing_partial_tag_01", "trailing_partial_tag_00",
    "literal_run_past_the_message", "zero_run_across_segments", "table_then_body")]


@pytest.mark.parametrize("data_hex, expected", FORMERLY_APART)
def test_dynamic_api(path: str, schema_file: Path, data_hex: str, expected: Verdict) -> None:
    S = dynamic.load(str(schema_file)).S
    data = bytes.fromhex(data_hex)
    if expected[0] == "ok":
        assert S.from_bytes_packed(data).to_dict() == {"u": expected[1], "v": expected[2]}
        reader = S.read_packed(io.BytesIO(data))
        assert (reader.u, reader.v) == expected[1:3]
    else:
        with pytest.raises(DecodeError, match="did not end cleanly"):
            S.from_bytes_packed(data)


@pytest.mark.parametrize("data_hex, expected", FORMERLY_APART)
def test_generated_runtime(path: str, generated: Any, data_hex: str, expected: Verdict) -> None:
    data = bytes.fromhex(data_hex)
    if expected[0] == "ok":
        reader = generated.S_Reader.from_bytes_packed(data)
        assert (reader.u, reader.v) == expected[1:3]
    else:
        with pytest.raises(DecodeError, match="did not end cleanly"):
            generated.S_Reader.from_bytes_packed(data)


def test_generated_runtime_limit_comes_from_the_table(generated: Any) -> None:
    data = bytes.fromhex("1003" + ROOT + "01050000")
    assert generated.S_Reader.from_bytes_packed(data, traversal_limit_in_words=3).u == 5
    with pytest.raises(LimitError, match="message of 3 words exceeds the limit of 2 words"):
        generated.S_Reader.from_bytes_packed(data, traversal_limit_in_words=2)


# --- streams of messages -----------------------------------------------------------

ONE = bytes.fromhex("1002" + ROOT + "110509")  # u = 5, v = 9
TWO = bytes.fromhex("1002" + ROOT + "110607")  # u = 6, v = 7
# A message ending in a zero word, followed by an empty message (its table a
# zero word), packed as one stream: one zero run covers both words.
CROSSING = bytes.fromhex("1003" + ROOT + "0105" + "0001")


def test_stream_of_two_messages(path: str) -> None:
    stream = ONE + TWO
    decoder = PackedMessageDecoder()
    messages = []
    for i in range(len(stream)):
        decoder.feed(stream[i : i + 1])
        message = decoder.next_message()
        if message is not None:
            messages.append([bytes(s) for s in message])
    decoder.close()
    assert messages == [[struct.pack("<QII", 1 << 32, 5, 9)], [struct.pack("<QII", 1 << 32, 6, 7)]]
    assert unpack_frame_at(stream)[1] == len(ONE)
    assert unpack_frame_at(stream, len(ONE)) == (struct.pack("<IIQII", 0, 2, 1 << 32, 6, 7),
                                                 len(stream))


def test_run_crossing_into_the_next_message(path: str) -> None:
    assert model_read(CROSSING) == ("crosses", MESSAGE)
    # Unpacked as one stream the bytes would read as two messages.
    assert packed.unpack(CROSSING) == struct.pack("<IIQIIQQ", 0, 3, 1 << 32, 5, 0, 0, 0)
    with pytest.raises(DecodeError, match="zero run of 2 words at byte 6 crosses the end of "
                       "the message"):
        unpack_frame_at(CROSSING)
    for chunk in (1, 3, len(CROSSING)):
        assert stream_first(ONE + CROSSING, chunk) == ("ok", struct.pack("<IIQII", 0, 2,
                                                                          1 << 32, 5, 9))
        decoder = PackedMessageDecoder()
        got = []
        with pytest.raises(DecodeError, match="crosses the end of the message"):
            for i in range(0, len(ONE + CROSSING), chunk):
                decoder.feed((ONE + CROSSING)[i : i + chunk])
                message = decoder.next_message()
                if message is not None:
                    got.append(message)
        assert len(got) == 1
        # The error stays.
        with pytest.raises(DecodeError, match="crosses the end of the message"):
            decoder.next_message()


def test_stream_close_names_an_unfinished_message(path: str) -> None:
    decoder = PackedMessageDecoder()
    decoder.feed(ONE + TWO[:4])
    assert decoder.next_message() is not None
    assert decoder.next_message() is None
    with pytest.raises(DecodeError, match="truncated: the message needs 8 more unpacked bytes "
                       "at byte 11$"):
        decoder.close()
    decoder = PackedMessageDecoder()
    decoder.feed(ONE + TWO[:5])
    assert decoder.next_message() is not None and decoder.next_message() is None
    with pytest.raises(DecodeError, match="tag 0x11 with 0 of 2 bytes at byte 11$"):
        decoder.close()


def test_cli_decodes_each_message_in_its_frame(path: str, schema_file: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(schema_file.parent)
    schema = find_struct(schema_file.name, "S", [])
    text = run_decode(schema, ONE + TWO, True, True, False)
    assert text == b"(u = 5, v = 9)\n(u = 6, v = 7)\n"
    # Trailing bytes after the last message are read as the next message.
    with pytest.raises(DecodeError, match="truncated"):
        run_decode(schema, ONE + TWO + b"\x10", True, True, False)
    with pytest.raises(DecodeError, match="crosses the end of the message"):
        run_decode(schema, ONE + CROSSING, True, True, False)


# --- random messages against the model ----------------------------------------------

_WORD = st.one_of(
    st.just(bytes(8)),
    st.just(b"\x11" * 8),
    st.binary(min_size=8, max_size=8),
    st.lists(st.sampled_from([0, 0, 0, 1, 0xFF]), min_size=8, max_size=8).map(bytes),
)
_WORDS = st.lists(_WORD, max_size=6).map(b"".join)


@st.composite
def _messages(draw: Any) -> Tuple[bytes, bytes]:
    """A framed message (root: one data word in segment 0), and what follows it."""
    if draw(st.integers(0, 9)) == 0:
        segments = [b""]  # an empty message: its table word is a zero word
    else:
        u, v = draw(st.integers(0, 2**32 - 1)), draw(st.integers(0, 2**32 - 1))
        segments = [struct.pack("<QII", 1 << 32, u, v) + draw(_WORDS)]
        segments += draw(st.lists(_WORDS, max_size=3))
    return encode_message(segments), draw(_WORDS)


def _packed_stream(framed: bytes, after: bytes, whole: bool, junk: bytes) -> bytes:
    # Packing the framed bytes and what follows as one buffer merges runs
    # across every boundary; packing the message on its own never does.
    if whole:
        return pack(framed + after) + junk
    return pack_message(_segments_of(framed)) + pack(after) + junk


def _segments_of(framed: bytes) -> List[bytes]:
    count = struct.unpack_from("<I", framed)[0] + 1
    sizes = struct.unpack_from(f"<{count}I", framed, 4)
    pos = (count // 2 + 1) * 8
    out = []
    for size in sizes:
        out.append(framed[pos : pos + 8 * size])
        pos += 8 * size
    return out


@settings(max_examples=150, deadline=None)
@given(_messages(), st.booleans(), st.binary(max_size=6), st.integers(1, 40))
def test_random_messages_match_the_model(message: Tuple[bytes, bytes], whole: bool,
                                         junk: bytes, chunk: int) -> None:
    framed, after = message
    data = _packed_stream(framed, after, whole, junk)
    expected = model_read(data)
    if expected[0] == "ok":
        assert expected[1] == framed
    for words in (True, False):
        saved = packed._WORD_UNPACK
        packed._WORD_UNPACK = words
        try:
            assert ours(data) == expected
            first = stream_first(data, chunk)
            assert first[:2] == expected[:2]
            # Read as the second message of a stream too.
            lead = pack_message([struct.pack("<QII", 1 << 32, 1, 2)])
            shifted = model_read(lead + data, len(lead))
            assert shifted[:2] == expected[:2]
            assert ours(lead + data, len(lead))[:2] == expected[:2]
        finally:
            packed._WORD_UNPACK = saved


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.integers(1, 30))
def test_random_bytes_match_the_model(data: bytes, chunk: int) -> None:
    expected = model_read(data)
    got = ours(data)
    if expected[0] == "limit":
        assert got == expected
        return
    assert got == expected
    first = stream_first(data, chunk)
    assert first[:2] == expected[:2]


# --- pycapnp ------------------------------------------------------------------------


def _pycapnp() -> Optional[Any]:
    try:
        import capnp  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return None
    return capnp


@pytest.fixture(scope="module")
def reference(schema_file: Path) -> Any:
    capnp = _pycapnp()
    if capnp is None:
        pytest.skip("pycapnp is not importable here: the comparison with the reference reader "
                    "is skipped (the fixed expectations above still ran)")
    return capnp.load(str(schema_file)).S


def reference_read(S: Any, data: bytes) -> Verdict:
    """pycapnp's from_bytes_packed in the model's terms (values for a readable root)."""
    try:
        reader = S.from_bytes_packed(data)
        return ("ok", reader.u, reader.v)
    except Exception as exc:  # pycapnp raises its own KjException
        text = str(exc)
    if "did not end cleanly on a segment boundary" in text:
        return ("crosses",)
    if "Premature EOF" in text or "Premature end of packed input" in text:
        return ("truncated",)
    if "too many segments" in text:
        return ("limit",)
    return ("ok-unreadable", text)


@pytest.mark.interop
@pytest.mark.parametrize("name, data_hex, expected", CASES, ids=CASE_IDS)
def test_hand_cases_against_pycapnp(reference: Any, name: str, data_hex: str,
                                    expected: Verdict) -> None:
    got = reference_read(reference, bytes.fromhex(data_hex))
    if expected[0] == "ok":
        assert got == expected[:3]
    else:
        assert got[0] == expected[0]


@pytest.mark.interop
@settings(max_examples=150, deadline=None)
@given(_messages(), st.booleans(), st.binary(max_size=6))
def test_random_messages_against_pycapnp(reference: Any, message: Tuple[bytes, bytes],
                                         whole: bool, junk: bytes) -> None:
    framed, after = message
    data = _packed_stream(framed, after, whole, junk)
    expected = model_read(data)
    several = struct.unpack_from("<I", framed)[0] > 0
    if several and expected[0] != "ok" and expected not in (("crosses", FIRST),
                                                            ("crosses", TABLE)):
        # With several segments pycapnp reads past segment 0 lazily and
        # refuses a bad rest from a destructor, which aborts the process:
        # test_multi_segment_refusals_in_a_subprocess covers that.
        return
    got = reference_read(reference, data)
    if expected[0] != "ok":
        assert got[0] == expected[0]
        return
    values = _root_values(framed)
    if values is None:
        assert got[0] == "ok-unreadable" and "root pointer" in got[1]
    else:
        assert got == ("ok",) + values


_SUBPROCESS = """
import sys, capnp
S = capnp.load(sys.argv[1]).S
try:
    S.from_bytes_packed(bytes.fromhex(sys.argv[2])).u
except Exception as exc:
    print(str(exc))
else:
    print("accepted")
"""


@pytest.mark.interop
def test_multi_segment_refusals_in_a_subprocess(reference: Any, schema_file: Path) -> None:
    # Two segments; a zero run crosses the end of the message. pycapnp may
    # raise or abort from a destructor: either way it refuses.
    data = bytes.fromhex("110104010310011107090005")
    assert model_read(data) == ("crosses", MESSAGE)
    assert ours(data) == ("crosses", MESSAGE)
    result = subprocess.run([sys.executable, "-c", _SUBPROCESS, str(schema_file), data.hex()],
                            capture_output=True, timeout=60)
    text = (result.stdout + result.stderr).decode(errors="replace")
    assert "accepted" not in text
    assert "did not end cleanly" in text


# --- capnp decode --packed ---------------------------------------------------------


def _capnp_decode(schema_file: Path, data: bytes) -> bytes:
    """The first 4 KiB of ``capnp decode --packed``'s output (it can loop on errors)."""
    proc = subprocess.Popen(["capnp", "decode", "--short", "--packed", schema_file.name, "S"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, cwd=str(schema_file.parent),
                            env=dict(os.environ, PWD=str(schema_file.parent)))
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(data)
        proc.stdin.close()
        out: bytes = proc.stdout.read(4096)
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    return out


@pytest.mark.interop
@pytest.mark.skipif(shutil.which("capnp") is None, reason="needs the capnp tool")
def test_streams_against_capnp_decode(schema_file: Path) -> None:
    assert _capnp_decode(schema_file, ONE + TWO) == b"(u = 5, v = 9)\n(u = 6, v = 7)\n"
    crossing = _capnp_decode(schema_file, ONE + CROSSING)
    assert crossing.startswith(b"(u = 5, v = 9)\n")
    assert b"did not end cleanly on a segment boundary" in crossing
    assert b"did not end cleanly" in _capnp_decode(schema_file, bytes.fromhex("10010005"))


def test_edges_of_the_stream_readers() -> None:
    """close() with complete messages not taken is no error; unpack_message's default limit is
    the other readers'; a one-segment table over the limit says where the table ends."""
    from capnp_lite.errors import LimitError
    from capnp_lite.wire.framing import DEFAULT_MAX_MESSAGE_WORDS, encode_message
    from capnp_lite.wire.packed import PackedMessageDecoder, pack, unpack_message

    one = pack(encode_message([bytes(8)]))
    decoder = PackedMessageDecoder()
    decoder.feed(one + one)
    decoder.close()  # two whole messages, still there to take
    assert decoder.next_message() is not None and decoder.next_message() is not None
    cut = PackedMessageDecoder()
    cut.feed(one + one[:-1])
    with pytest.raises(DecodeError, match="truncated"):
        cut.close()
    # A table announcing one segment just over the limit, refused from the table alone.
    table = struct.pack("<II", 0, DEFAULT_MAX_MESSAGE_WORDS + 1)
    with pytest.raises(LimitError):
        unpack_message(pack(table))
    with pytest.raises(LimitError, match="ending at byte 2"):  # its one record: tag and 1 byte
        unpack_message(pack(struct.pack("<II", 0, 100)), max_words=10)


def _long_stream() -> Tuple[bytes, bytes]:
    """One small packed message, and a stream of it longer than the decoder's window of
    packed bytes (4 KiB)."""
    good = pack_message([struct.pack("<QQ", 1 << 32, 0x1122334455667788)])
    return good, good * (5000 // len(good) + 1)


def test_a_stream_decoder_names_stream_offsets_far_into_the_stream(path: str) -> None:
    # Past the decoder's first window of packed bytes, an error still gives the offset in the
    # whole stream; close() and next_message() then repeat that same error.
    good, stream = _long_stream()
    decoder = PackedMessageDecoder()
    decoder.feed(stream + bytes.fromhex("10010005"))  # a zero run crossing its message's end
    taken = 0
    with pytest.raises(DecodeError, match=rf"zero run of 6 words at byte {len(stream) + 2} ") as first:
        while decoder.next_message() is not None:
            taken += 1
    assert taken * len(good) == len(stream)
    for again in (decoder.close, decoder.next_message):
        with pytest.raises(DecodeError) as repeated:
            again()
        assert repeated.value is first.value


def test_a_stream_cut_inside_a_record_far_into_the_stream_says_where(path: str) -> None:
    _, stream = _long_stream()
    decoder = PackedMessageDecoder()
    decoder.feed(stream + bytes.fromhex("1002ff"))  # a table word, then a literal run's tag alone
    while decoder.next_message() is not None:
        pass
    with pytest.raises(DecodeError, match=rf"0xff tag with 0 of 8 bytes and its count at byte {len(stream) + 2}$"):
        decoder.close()
