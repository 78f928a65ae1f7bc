"""Deep copy and canonicalization: order, limits, depth and memory.

The reference here is the C++ implementation's canonical form
(`capnp convert binary:canonical`), so random messages are checked against
an independent encoder, plus hand-built hostile shapes.
"""

from __future__ import annotations

import shutil
import struct
import sys
from typing import Callable, List

import pytest
from hypothesis import HealthCheck, assume, given, settings

from capnp_lite.errors import LimitError
from capnp_lite.wire import (
    ELEM_COMPOSITE,
    MessageBuilder,
    MessageReader,
    canonicalize,
    is_canonical,
)
from capnp_lite.wire import layout as L
from capnp_lite.wire import pointers as P

from .test_layout_hand import fp, lp, seg, sp
from .test_layout_props import Node, build, reference_canonical, roots

HAVE_CAPNP = shutil.which("capnp") is not None


def words(*ws: int) -> bytes:
    return b"".join(struct.pack("<Q", w) for w in ws)


@pytest.mark.skipif(not HAVE_CAPNP, reason="needs the capnp tool")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roots)
def test_canonical_form_matches_the_reference(root: Node) -> None:
    assume("'cap'" not in repr(root))  # the tool cannot convert capability pointers
    segments = build(root, MessageBuilder(7))
    want = reference_canonical(segments)
    assert canonicalize(MessageReader(segments).root()) == want
    # A plain (non-canonical) deep copy into one big segment is laid out the same
    # way before truncation, so its canonical form is the reference's too.
    copy = MessageBuilder()
    copy.set_root(MessageReader(segments).root())
    assert canonicalize(MessageReader(copy.segments()).root()) == want


def test_struct_list_elements_are_truncated_to_the_widest() -> None:
    # Two elements of 2 data words and 3 pointers; only element 1 uses pointer 1,
    # only element 0 uses data word 0, nobody uses pointer 2 or data word 1.
    msg = [seg(
        sp(0, 0, 1),  # 0: root
        lp(0, ELEM_COMPOSITE, 10),  # 1: -> tag at 2
        sp(2, 2, 3),  # 2: tag
        7, 0, lp(7, 2, 2), 0, 0,  # 3..7: element 0: data 7, pointer 0 -> "a" at 13
        0, 0, lp(3, 2, 1), lp(3, 2, 1), 0,  # 8..12: element 1 -> b"b" at 14, b"c" at 15
        0x0061,  # 13: "a\0"
        0x62,  # 14: b"b"
        0x63,  # 15: b"c"
    )]
    canon = canonicalize(MessageReader(msg).root())
    assert canon == seg(
        sp(0, 0, 1),
        lp(0, ELEM_COMPOSITE, 6),  # 2 elements of 1 data word + 2 pointers
        sp(2, 1, 2),
        7, lp(4, 2, 2), 0,  # element 0 -> "a" at word 9
        0, lp(2, 2, 1), lp(2, 2, 1),  # element 1 -> b"b" at 10, b"c" at 11
        0x0061,
        0x62,
        0x63,
    )
    assert is_canonical([canon])


def test_zero_size_struct_list_copies_to_its_tag() -> None:
    count = 1 << 20
    msg = [words(sp(0, 0, 1), lp(0, ELEM_COMPOSITE, 0), sp(count, 0, 0))]
    mb = MessageBuilder()
    mb.set_root(MessageReader(msg).root())
    assert mb.segments() == msg
    assert canonicalize(MessageReader(msg).root()) == msg[0]
    # Each empty element is still charged one word of the traversal limit.
    with pytest.raises(LimitError, match="traversal limit"):
        MessageBuilder().set_root(
            MessageReader(msg, traversal_limit_in_words=count - 1).root())


def chain(depth: int) -> bytes:
    """A root and ``depth`` structs of one data word and one pointer, each -> the next.

    The last pointer is a capability, so canonicalization truncates nothing.
    """
    ws: List[int] = [sp(0, 1, 1)]
    for i in range(depth + 1):
        ws += [i + 1, sp(0, 1, 1) if i < depth else P.make_capability(0)]
    return words(*ws)


def test_a_chain_deeper_than_the_python_stack_copies() -> None:
    depth = max(5000, sys.getrecursionlimit() * 3)
    msg = [chain(depth)]
    reader = MessageReader(msg, nesting_limit=depth + 2)
    mb = MessageBuilder(len(msg[0]) // 8)
    mb.set_root(reader.root())
    # Pre-order over a chain reproduces the input word for word.
    assert mb.segments() == msg
    assert canonicalize(MessageReader(msg, nesting_limit=depth + 2).root()) == msg[0]
    with pytest.raises(LimitError, match="too deeply nested"):
        MessageBuilder().set_root(MessageReader(msg, nesting_limit=depth).root())


def test_a_cycle_through_the_first_of_two_pointers_hits_the_stack_bound() -> None:
    # Word 1: a struct whose pointer 0 points back at itself; pointer 1 is null,
    # so every level leaves its frame on the copy stack.
    msg = [words(sp(0, 0, 2), sp(-1, 0, 2), 0)]
    reader = MessageReader(msg, nesting_limit=1 << 30, traversal_limit_in_words=1 << 24)
    with pytest.raises(LimitError, match="unfinished objects"):
        MessageBuilder().set_root(reader.root())
    # With the default traversal limit the cycle ends before the bound.
    small = MessageReader(msg, nesting_limit=1 << 30, traversal_limit_in_words=1000)
    with pytest.raises(LimitError, match="traversal limit"):
        MessageBuilder().set_root(small.root())


def test_copy_stack_bound_is_far_above_the_default_nesting_limit() -> None:
    assert L.MAX_COPY_STACK > 64 * 16


def test_pointer_list_of_structs_keeps_pre_order() -> None:
    # A pointer list whose elements are listed in reverse memory order: the copy
    # must place them in element order, each followed by its own target.
    msg = [seg(
        sp(0, 0, 1),  # 0: root
        lp(0, P.ELEM_POINTER, 2),  # 1: -> list at 2
        sp(3, 1, 1),  # 2: element 0 -> struct at 6
        sp(0, 1, 1),  # 3: element 1 -> struct at 4
        2, 0,  # 4, 5: struct B (data 2, null pointer)
        1, lp(0, 2, 1),  # 6, 7: struct A (data 1) -> byte list at 8
        0x41,  # 8
    )]
    mb = MessageBuilder()
    mb.set_root(MessageReader(msg).root())
    assert mb.segments() == [seg(
        sp(0, 0, 1),
        lp(0, P.ELEM_POINTER, 2),
        sp(1, 1, 1),  # element 0 -> A at 4
        sp(3, 1, 1),  # element 1 -> B at 7
        1, lp(0, 2, 1),  # A -> byte list at 6
        0x41,
        2, 0,  # B
    )]


# -- the flat-list lane of a copy: hostile pointers to lists of numbers, bytes and pointers ------
# A copy reads a list that is not of structs without layout objects; on anything wrong it
# hands the pointer to the general reader, which names the fault.  Each message below has a
# root struct of one pointer, pointing (near or far) at a list.


def _copies(segments: List[bytes]) -> List[object]:
    """What copying the root does, three ways: a deep copy, canonicalization, is_canonical
    (each an exception or its result)."""
    out: List[object] = []
    steps = (lambda: MessageBuilder().set_root(MessageReader(segments).root()),
             lambda: canonicalize(MessageReader(segments).root()),
             lambda: is_canonical(segments))
    for step in steps:
        try:
            out.append(step())
        except Exception as exc:  # the exception's type is the result
            out.append(type(exc))
    return out



@pytest.mark.parametrize("segments", [
    # a far pointer into a segment that does not exist
    [seg(sp(0, 0, 1), fp(0, 3))],
    # a far pointer whose landing pad lies past its segment's end
    [seg(sp(0, 0, 1), fp(5, 1)), seg(lp(0, 4, 2))],
    # a landing pad that is not a list pointer (a far pointer again)
    [seg(sp(0, 0, 1), fp(0, 1)), seg(fp(0, 1))],
    # a list (near) running past its segment's end
    [seg(sp(0, 0, 1), lp(0, 4, 20), 0)],
    # a list (far) whose elements run past the end of the pad's segment
    [seg(sp(0, 0, 1), fp(0, 1)), seg(lp(0, 5, 9), 0)],
    # a list of pointers starting before its segment
    [seg(sp(0, 0, 1), lp(-5, 6, 1))],
], ids=["no-segment", "pad-past-end", "pad-not-list", "near-past-end", "far-past-end", "before-start"])
def test_a_hostile_list_pointer_fails_every_copy_with_a_decode_error(segments: List[bytes]) -> None:
    from capnp_lite.errors import DecodeError

    copy, canonical, checked = _copies(segments)
    for outcome in (copy, canonical) if len(segments) > 1 else (copy, canonical, checked):
        assert isinstance(outcome, type) and issubclass(outcome, DecodeError), outcome
    if len(segments) > 1:
        assert checked is False  # a message of two segments is never canonical: not read at all


def test_a_far_list_is_copied_and_charged_its_landing_pad() -> None:
    # root -> far pointer -> landing pad in segment 1 -> three UInt16 elements behind it
    segments = [seg(sp(0, 0, 1), fp(0, 1)), seg(lp(0, 3, 3), 0x0000_0003_0002_0001)]
    mb = MessageBuilder()
    mb.set_root(MessageReader(segments).root())
    assert MessageReader(mb.segments()).root().get_list(0, 3).to_list("H") == [1, 2, 3]
    # The copy takes exactly the budget a reader takes (the landing pad included): below it,
    # the flat lane refuses and leaves the budget to the general reader, which names the limit.
    def outcome(step: str, limit: int) -> object:
        reader = MessageReader(segments, traversal_limit_in_words=limit)
        try:
            if step == "copy":
                MessageBuilder().set_root(reader.root())
            else:
                reader.root().get_list(0, 3).to_list("H")
        except LimitError:
            return LimitError
        return "ok"

    outcomes = [outcome("copy", limit) for limit in range(1, 8)]
    assert outcomes == [outcome("read", limit) for limit in range(1, 8)]
    assert outcomes.count("ok") == 3


@pytest.mark.skipif(not HAVE_CAPNP, reason="needs the capnp tool")
def test_unused_bits_of_a_bit_list_s_last_byte_are_cleared_as_the_reference_clears_them() -> None:
    # three Bools (true, false, true) whose last byte also has its five unused bits set
    segments = [seg(sp(0, 0, 1), lp(0, 1, 3), 0xFD)]
    want = reference_canonical(segments)
    assert canonicalize(MessageReader(segments).root()) == want
    assert want[-8] == 0x05
    copy = MessageBuilder()
    copy.set_root(MessageReader(segments).root())
    copied = b"".join(copy.segments())
    assert copied[-8:] == struct.pack("<Q", 0x05)
    assert MessageReader(copy.segments()).root().get_list(0, 1).to_list("?") == [True, False, True]


# -- copies that move words as they lie: a whole message's segments, or one block -----------


def _two_segment_message(first_words: int, second_words: int) -> List[bytes]:
    """A root struct with two UInt64 lists, the first filling most of a default builder's
    first segment (1,024 words), the second in a segment of its own, behind a far pointer,
    and a capability (index 2) in its third pointer."""
    mb = MessageBuilder()
    root = mb.init_root(0, 3)
    root.init_primitive_list(0, "Q", list(range(first_words)))
    root.init_primitive_list(1, "Q", [7] * second_words)
    root.set_capability(2, 2)
    segments = mb.segments()
    assert len(segments) == 2 and len(segments[0]) > 512 * 8
    return segments


def _least_budget(copy: Callable[[MessageReader], object], segments: List[bytes]) -> int:
    """The smallest traversal limit under which ``copy`` of the message succeeds."""
    low, high = 1, 1 << 16
    while low < high:
        mid = (low + high) // 2
        try:
            copy(MessageReader(segments, traversal_limit_in_words=mid))
            high = mid
        except LimitError:
            low = mid + 1
    return low


@pytest.mark.parametrize("second", [10, 1500])
def test_a_message_laid_out_as_the_copy_lays_it_out_is_copied_segment_by_segment(second: int) -> None:
    segments = _two_segment_message(1014, second)
    mb = MessageBuilder()
    mb.set_root(MessageReader(segments).root())
    assert mb.segments() == segments  # the same words, segment for segment
    copied = MessageReader(mb.segments()).root()
    assert copied.get_list(0, 5).to_list("Q")[-1] == 1013 and copied.get_list(1, 5).to_list("Q") == [7] * second
    more = mb.init_root(0, 1)  # the copy's segments are a builder's: they take more objects
    more.init_primitive_list(0, "Q", [1] * 2000)
    assert MessageReader(mb.segments()).root().get_list(0, 5).to_list("Q") == [1] * 2000


def test_a_segment_by_segment_copy_takes_the_budget_an_object_by_object_copy_takes() -> None:
    segments = _two_segment_message(1014, 10)
    mirror = _least_budget(lambda r: MessageBuilder().set_root(r.root()), segments)
    objects = _least_budget(lambda r: canonicalize(r.root()), segments)
    assert mirror == objects


def test_a_block_too_big_for_the_destination_s_segment_is_copied_object_by_object() -> None:
    # One segment holding a struct list of 40 elements with a text each (about 120 words):
    # into a builder of 64-word segments it cannot go as one block.
    mb = MessageBuilder(1 << 12)
    root = mb.init_root(0, 1)
    items = root.init_struct_list(0, 40, 1, 1)
    for i in range(40):
        items.get_struct(i).set_uint64(0, i)
        items.get_struct(i).set_text(0, f"item {i}")
    source = MessageReader(mb.segments())
    small = MessageBuilder(64)
    holder = small.init_root(0, 1)
    holder.set_list(0, source.root().get_list(0))
    segments = small.segments()
    assert len(segments) > 1 and all(len(s) <= 64 * 8 or i > 0 for i, s in enumerate(segments))
    copied = MessageReader(segments).root().get_list(0)
    assert [copied.get_struct(i).get_text(0) for i in range(40)] == [f"item {i}" for i in range(40)]
    assert [copied.get_struct(i).get_uint64(0) for i in range(40)] == list(range(40))


def _tampered(segments: List[bytes], segment: int, word: int, value: int) -> List[bytes]:
    out = [bytearray(s) for s in segments]
    struct.pack_into("<Q", out[segment], word * 8, value)
    return [bytes(s) for s in out]


@pytest.mark.parametrize("change", ["capability-high-bits", "nesting-limit", "struct-list-tag"])
def test_a_message_laid_out_as_the_copy_would_but_wrong_is_not_copied_as_it_lies(change: str) -> None:
    """The segment-by-segment copy takes only what the object-by-object copy would have
    written: a fault in such a message is still found and named."""
    from capnp_lite.errors import DecodeError

    segments = _two_segment_message(1014, 10)
    nesting = 64
    if change == "capability-high-bits":
        segments = _tampered(segments, 0, 3, 3 | (5 << 2) | (2 << 32))  # the capability's pointer
    elif change == "nesting-limit":
        nesting = 1  # the lists are one level too deep
    else:
        segments = _tampered(segments, 0, 1, 1 | (7 << 32) | (1014 << 35))  # a struct-list pointer over numbers
    with pytest.raises(DecodeError) as copying:
        MessageBuilder().set_root(MessageReader(segments, nesting_limit=nesting).root())
    with pytest.raises(DecodeError) as reading:
        canonicalize(MessageReader(segments, nesting_limit=nesting).root())
    assert type(copying.value) is type(reading.value)
