"""Hand-built hostile inputs: amplification, deep nesting, cycles, framing and packing bombs.

Each test builds one input word by word, runs it with the default limits and
checks both the error class and that the message says what went wrong.  Where
the danger is time or memory, the test also bounds that.
"""

from __future__ import annotations

import struct
from typing import List

import pytest

from capnp_lite.errors import DecodeError, LimitError
from capnp_lite.wire import pointers as P
from capnp_lite.wire.canonical import canonicalize
from capnp_lite.wire.framing import MessageDecoder, decode_message, encode_message
from capnp_lite.wire.layout import MessageBuilder, MessageReader, StructReader
from capnp_lite.wire.packed import PackedMessageDecoder, Unpacker, unpack, unpack_message

from ..work import line_budget
from .checks import CPYTHON
from .targets import strict_pointer

MAX_COUNT = (1 << 29) - 1


def words(*ws: int) -> bytes:
    return b"".join(struct.pack("<Q", w) for w in ws)


def root_with(pointer: int, *rest: int) -> bytes:
    """A segment whose root is a struct with one pointer (``pointer``), then ``rest``."""
    return words(P.make_struct(0, 0, 1), pointer, *rest)


def peak_of(fn: "object") -> int:
    """Peak Python allocation while ``fn()`` runs (CPython only)."""
    import tracemalloc  # PyPy has no _tracemalloc

    tracemalloc.start()
    try:
        fn()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --------------------------------------------------------------------------
# Zero-sized elements
# --------------------------------------------------------------------------


def test_void_list_of_2_29_elements_hits_the_traversal_limit() -> None:
    seg = root_with(P.make_list(0, P.ELEM_VOID, MAX_COUNT))
    with pytest.raises(LimitError, match="traversal limit"):
        MessageReader([seg]).root().get_list(0)


def test_zero_size_struct_list_of_2_29_elements_hits_the_traversal_limit() -> None:
    # Composite list of zero words whose tag announces 2^29 - 1 empty structs.
    seg = root_with(P.make_list(0, P.ELEM_COMPOSITE, 0), P.make_struct(MAX_COUNT, 0, 0))
    with pytest.raises(LimitError, match="traversal limit"):
        MessageReader([seg]).root().get_list(0)
    with pytest.raises(LimitError, match="traversal limit"):
        MessageBuilder().set_root(MessageReader([seg]).root())


def test_aliased_zero_size_lists_are_charged_each_time() -> None:
    # 64 pointers to one composite list of 2^17 empty structs: 8 Mi elements in all.
    n = 64
    seg = words(P.make_struct(0, 0, n),
                *[P.make_list(n - 1 - i, P.ELEM_COMPOSITE, 0) for i in range(n)],
                P.make_struct(1 << 17, 0, 0))
    root = MessageReader([seg]).root()
    with pytest.raises(LimitError, match="traversal limit"):
        for i in range(n):
            root.get_list(i)


@pytest.mark.skipif(not CPYTHON, reason="tracemalloc is CPython's")
def test_deep_copy_of_zero_size_struct_list_uses_bounded_memory() -> None:
    # A 3-word message holding 2^18 empty structs: copying it writes 3 words.
    seg = root_with(P.make_list(0, P.ELEM_COMPOSITE, 0), P.make_struct(1 << 18, 0, 0))
    mb = MessageBuilder()
    peak = peak_of(lambda: mb.set_root(MessageReader([seg]).root()))
    assert mb.segment_sizes() == [3]
    assert peak < 4 << 20, f"copying 3 words of input allocated {peak} bytes"


@pytest.mark.skipif(not CPYTHON, reason="tracemalloc is CPython's")
def test_canonicalize_zero_size_struct_list_uses_bounded_memory() -> None:
    seg = root_with(P.make_list(0, P.ELEM_COMPOSITE, 0), P.make_struct(1 << 18, 0, 0))
    peak = peak_of(lambda: canonicalize(MessageReader([seg]).root()))
    assert peak < 4 << 20, f"canonicalizing 3 words of input allocated {peak} bytes"


# --------------------------------------------------------------------------
# Deep nesting and cycles
# --------------------------------------------------------------------------


def struct_chain(depth: int) -> bytes:
    """``depth`` structs, each holding one pointer to the next, the last one null."""
    ws: List[int] = [P.make_struct(0, 0, 1)]  # root pointer -> word 1
    for i in range(depth):
        ws.append(P.make_struct(0, 0, 1) if i < depth - 1 else 0)
    return words(*ws)


def follow(root: StructReader, depth: int) -> None:
    s = root
    for _ in range(depth):
        s = s.get_struct(0)


def test_struct_chain_of_64_reads() -> None:
    follow(MessageReader([struct_chain(64)]).root(), 63)


def test_struct_chain_beyond_64_is_refused() -> None:
    seg = struct_chain(70)
    with pytest.raises(LimitError, match="too deeply nested"):
        follow(MessageReader([seg]).root(), 69)
    with pytest.raises(LimitError, match="too deeply nested"):
        strict_pointer(MessageReader([seg]).root_pointer())
    with pytest.raises(LimitError, match="too deeply nested"):
        MessageBuilder().set_root(MessageReader([seg]).root())


def test_list_chain_beyond_64_is_refused() -> None:
    # Root pointer -> a one-element pointer list -> a one-element pointer list -> ...
    depth = 70
    ws = [P.make_list(0, P.ELEM_POINTER, 1)]
    for i in range(depth):
        ws.append(P.make_list(0, P.ELEM_POINTER, 1) if i < depth - 1 else 0)
    seg = words(*ws)
    with pytest.raises(LimitError, match="too deeply nested"):
        lst = MessageReader([seg]).root_pointer().get_list()
        for _ in range(depth):
            lst = lst.get_list(0)
    with pytest.raises(LimitError, match="too deeply nested"):
        MessageBuilder().set_root_pointer(MessageReader([seg]).root_pointer())


def self_cycle() -> bytes:
    # Word 1 is a struct with one pointer, which points back at word 1 (offset -1).
    return words(P.make_struct(0, 0, 1), P.make_struct(-1, 0, 1))


def two_struct_loop() -> bytes:
    # Word 1: struct A (one pointer at word 2 -> B at word 3); B's pointer -> A.
    return words(P.make_struct(0, 0, 2), P.make_struct(1, 0, 1), 0,
                 P.make_struct(-3, 0, 1))


@pytest.mark.parametrize("seg", [self_cycle(), two_struct_loop()], ids=["self", "two"])
def test_struct_cycles_end_in_a_limit(seg: bytes) -> None:
    with pytest.raises(LimitError, match="nested or contains cycles"):
        follow(MessageReader([seg]).root(), 200)
    with pytest.raises(LimitError):
        strict_pointer(MessageReader([seg]).root_pointer())
    with pytest.raises(LimitError):
        MessageBuilder().set_root(MessageReader([seg]).root())
    with pytest.raises(LimitError):
        canonicalize(MessageReader([seg]).root())


def test_list_cycle_ends_in_a_limit() -> None:
    # A pointer list whose only element points back at the list itself.
    seg = words(P.make_list(0, P.ELEM_POINTER, 1), P.make_list(-1, P.ELEM_POINTER, 1))
    with pytest.raises(LimitError):
        strict_pointer(MessageReader([seg]).root_pointer())


def test_cycle_with_a_huge_nesting_limit_ends_in_the_traversal_limit() -> None:
    # With nesting out of the way only the traversal budget stops the loop:
    # readers must not turn that into RecursionError or a hang.
    seg = self_cycle()
    reader = MessageReader([seg], nesting_limit=1 << 30, traversal_limit_in_words=5000)
    s = reader.root()
    with pytest.raises(LimitError, match="traversal limit"):
        for _ in range(10000):
            s = s.get_struct(0)


def test_deep_copy_of_cycle_with_a_huge_nesting_limit_raises_limit_error() -> None:
    # Only the traversal budget stops the copy, and the work done before it does grows with
    # that budget and no faster (about 84 lines of Python a word on CPython 3.11).
    lines = []
    for limit in (1000, 2000):
        reader = MessageReader([self_cycle()], nesting_limit=1 << 30, traversal_limit_in_words=limit)
        with line_budget(200 * limit) as work, pytest.raises(LimitError, match="traversal limit"):
            MessageBuilder().set_root(reader.root())
        lines.append(work.lines)
    assert lines[1] <= 2.2 * lines[0]


def test_far_pointer_loop_is_refused() -> None:
    # Segment 0's root is a far pointer to segment 1 word 0, itself a far pointer back.
    seg0 = words(P.make_far(False, 0, 1))
    seg1 = words(P.make_far(False, 0, 0))
    with pytest.raises(DecodeError, match="landing pad is not a struct or list pointer"):
        MessageReader([seg0, seg1]).root()


def test_double_far_loop_is_refused() -> None:
    # A double-far landing pad whose first word is itself a double far pointer.
    seg0 = words(P.make_far(True, 0, 1))
    seg1 = words(P.make_far(True, 0, 1), P.make_struct(0, 0, 0))
    with pytest.raises(DecodeError, match="double-far landing pad must be a single far pointer"):
        MessageReader([seg0, seg1]).root()


def test_far_pointer_to_a_missing_segment() -> None:
    with pytest.raises(DecodeError, match="unknown segment 7"):
        MessageReader([words(P.make_far(False, 0, 7))]).root()


# --------------------------------------------------------------------------
# Framing
# --------------------------------------------------------------------------


def test_first_word_all_ones() -> None:
    with pytest.raises(LimitError, match="4294967296 segments"):
        decode_message(b"\xff\xff\xff\xff" + bytes(12))


@pytest.mark.parametrize("count", [512, 1000, 1 << 20])
def test_huge_segment_counts(count: int) -> None:
    data = struct.pack("<I", count - 1) + bytes(16)
    with pytest.raises(LimitError, match=f"{count} segments"):
        decode_message(data)
    dec = MessageDecoder()
    with pytest.raises(LimitError, match=f"{count} segments"):
        dec.feed(data)
        dec.next_message()


def test_segment_sizes_beyond_the_input() -> None:
    data = struct.pack("<II", 0, 1000) + words(0, 0)
    with pytest.raises(DecodeError, match="segment 0: it needs 1000 words"):
        decode_message(data)


def test_segment_sizes_beyond_the_message_limit() -> None:
    data = struct.pack("<III", 1, 0xFFFFFFFF, 0xFFFFFFFF) + bytes(4)
    with pytest.raises(LimitError, match="exceeds the limit"):
        decode_message(data, max_message_words=1 << 20)


def test_stream_decoder_refuses_an_oversized_message_from_its_table() -> None:
    # Only the 8-byte table arrives; the decoder must refuse at once, not buffer 16 GiB.
    dec = MessageDecoder(max_message_words=1000)
    with pytest.raises(LimitError, match="exceeds the limit of 1000"):
        dec.feed(struct.pack("<II", 0, 0x7FFFFFFF))
        dec.next_message()


def test_stream_decoder_buffers_only_what_it_was_given() -> None:
    dec = MessageDecoder(max_message_words=1 << 20)
    dec.feed(struct.pack("<II", 0, 1 << 20))
    for _ in range(16):
        dec.feed(bytes(1024))
        assert dec.next_message() is None
    assert dec.buffered <= 8 + 16 * 1024


def test_many_messages_in_one_stream() -> None:
    one = encode_message([words(0)])
    dec = MessageDecoder()
    dec.feed(one * 1000)
    got = 0
    while dec.next_message() is not None:
        got += 1
    assert got == 1000


# --------------------------------------------------------------------------
# Packing
# --------------------------------------------------------------------------


def test_packed_zero_run_bomb() -> None:
    # Each two bytes stand for 256 zero words: 200 kB would expand to 400 MB.
    bomb = b"\x00\xff" * 100_000
    with pytest.raises(LimitError, match="exceeds the limit"):
        unpack(bomb)
    # The work before the refusal grows with the limit (about 14 lines of Python per
    # record: the runs are walked, never expanded one word at a time) and no faster.
    lines = []
    for records in (100, 200):
        with line_budget(30 * records) as work, pytest.raises(LimitError, match="at packed byte"):
            unpack(bomb, max_words=256 * records)
        lines.append(work.lines)
    assert lines[1] <= 2.2 * lines[0]
    with pytest.raises(LimitError, match="exceeds the limit of 8000 bytes"):
        unpack(bomb, max_words=1000)
    # Read as a framed message, the first run already crosses the end of the
    # segment table's first word (as in the reference).
    with pytest.raises(DecodeError, match="did not end cleanly"):
        unpack_message(bomb)
    # A table announcing 65535 words, then the runs: refused from the table.
    with pytest.raises(LimitError, match="exceeds the limit of 1000 words"):
        unpack_message(b"\x30\xff\xff" + bomb, max_words=1000)


@pytest.mark.skipif(not CPYTHON, reason="tracemalloc is CPython's")
def test_packed_zero_run_bomb_memory_is_bounded_by_the_limit() -> None:
    bomb = b"\x00\xff" * 100_000
    def run() -> None:
        with pytest.raises(LimitError):
            unpack(bomb, max_words=1000)
    assert peak_of(run) < 4 << 20


def test_incremental_unpacker_zero_run_bomb() -> None:
    up = Unpacker(max_words=1000)
    with pytest.raises(LimitError):
        for _ in range(1000):
            up.feed(b"\x00\xff" * 10)
            up.take()


def test_packed_stream_decoder_zero_run_bomb() -> None:
    # A segment table announcing a huge segment, then zero runs.
    dec = PackedMessageDecoder(max_message_words=1000)
    table = struct.pack("<II", 0, 0x7FFFFFFF)
    packed_table = bytes([0xFF]) + table + b"\x00"  # one literal word, no more
    with pytest.raises(LimitError):
        dec.feed(packed_table)
        for _ in range(100):
            dec.feed(b"\x00\xff" * 10)
            dec.next_message()


def test_packed_truncations_say_what_is_missing() -> None:
    with pytest.raises(DecodeError, match="zero-run tag without its count byte"):
        unpack(b"\x00")
    with pytest.raises(DecodeError, match="0xff tag"):
        unpack(b"\xff\x01\x02")


# --------------------------------------------------------------------------
# Bounds of single objects
# --------------------------------------------------------------------------


@pytest.mark.parametrize("es", range(1, 8))
def test_huge_list_beyond_its_segment(es: int) -> None:
    seg = root_with(P.make_list(0, es, MAX_COUNT), 0)
    with pytest.raises(DecodeError, match="out-of-bounds"):
        MessageReader([seg]).root().get_list(0)


def test_struct_of_65535_words_beyond_its_segment() -> None:
    seg = root_with(P.make_struct(0, 0xFFFF, 0xFFFF))
    with pytest.raises(DecodeError, match="out-of-bounds struct pointer"):
        MessageReader([seg]).root().get_struct(0)


def test_inline_composite_tag_overrunning_its_words() -> None:
    seg = root_with(P.make_list(0, P.ELEM_COMPOSITE, 1), P.make_struct(1000, 1, 0), 0)
    with pytest.raises(DecodeError, match="overrun"):
        MessageReader([seg]).root().get_list(0)


def test_text_without_nul_and_text_out_of_bounds() -> None:
    seg = root_with(P.make_list(0, P.ELEM_BYTE, 3), int.from_bytes(b"abc", "little"))
    with pytest.raises(DecodeError, match="NUL"):
        MessageReader([seg]).root().get_text(0)
    seg = root_with(P.make_list(0, P.ELEM_BYTE, 100))
    with pytest.raises(DecodeError, match="out-of-bounds"):
        MessageReader([seg]).root().get_text(0)
