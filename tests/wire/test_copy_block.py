"""Deep copies of a struct laid out in the source as the copy lays it out go as one block.

``_copy_struct_to`` first checks (``_preorder_end``) whether the struct and everything
behind it sit in the source exactly where the object-by-object copy would put them
(depth first, near pointers, nothing shared, zero padding, within the limits) and fit the
destination segment; then it moves their words at once.  Whatever the source, the result
must be the object-by-object copy's to the bit: the same segments, the same traversal
budget left, the same error.
"""

from __future__ import annotations

import struct
from typing import Any, Callable, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from capnp_lite.errors import CapnpError
from capnp_lite.wire import ELEM_BYTE, ELEM_COMPOSITE, ELEM_POINTER, MessageBuilder, MessageReader
from capnp_lite.wire import layout as L

from .test_layout_hand import fp, lp, seg, sp
from .test_layout_props import Node, build, roots

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _root(segments: List[bytes], traversal: int, nesting: int) -> L.StructReader:
    return MessageReader(segments, traversal_limit_in_words=traversal,
                         nesting_limit=nesting).root()


def by_objects(mb: MessageBuilder, src: L.StructReader) -> None:
    """The object-by-object copy, which the block must match."""
    L._drain(mb, L._copy_struct_obj(mb, mb._segments[0], 0, src, False), False)


def by_set_root(mb: MessageBuilder, src: L.StructReader) -> None:
    mb.set_root(src)


def outcome(copy: Callable[[MessageBuilder, L.StructReader], None], segments: List[bytes],
            first: int = 1024, traversal: int = 1 << 23, nesting: int = 64) -> Tuple[Any, ...]:
    try:
        src = _root(segments, traversal, nesting)
    except CapnpError as e:
        return ("root", type(e).__name__, str(e))
    mb = MessageBuilder(first)
    try:
        copy(mb, src)
    except CapnpError as e:
        return ("copy", type(e).__name__, str(e), src._ctx.budget)
    return ("ok", mb.segments(), src._ctx.budget)


def _without_object_copy(name: str, run: Callable[[], Any]) -> bool:
    """Whether ``run`` did without the object-by-object copy ``L.<name>`` (errors it raises
    are the object copy's to report, and ignored here)."""
    calls = []
    real = getattr(L, name)

    def spy(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    setattr(L, name, spy)
    try:
        run()
    except CapnpError:
        pass
    finally:
        setattr(L, name, real)
    return not calls


def blocks_taken(segments: List[bytes], first: int = 1024) -> bool:
    """Whether set_root moved the struct as one block (no object-by-object step)."""
    return _without_object_copy(
        "_copy_struct_obj", lambda: MessageBuilder(first).set_root(_root(segments, 1 << 23, 64)))


@SETTINGS
@given(roots, st.sampled_from([1024, 3, 9]), st.sampled_from([1024, 7]))
def test_block_copy_matches_the_object_copy(root: Node, made: int, first: int) -> None:
    segments = build(root, MessageBuilder(made))
    got = outcome(by_set_root, segments, first)
    assert got == outcome(by_objects, segments, first)
    if made == 1024 and len(segments) == 1 and len(segments[0]) <= 7 * 8 and (root[1] or root[2]) \
            and "'slist', 0, 0" not in repr(root):
        # Written in order into one segment, small enough for any destination: one block
        # (but for a root of no size, a pointer alone, and lists of elements of no size).
        assert blocks_taken(segments, first)


@SETTINGS
@given(roots, st.data())
def test_limits_and_damage_give_the_same_outcome(root: Node, data: Any) -> None:
    segments = build(root, MessageBuilder(1024))
    raw = bytearray(segments[0])
    for _ in range(data.draw(st.integers(0, 3))):
        i = data.draw(st.integers(0, len(raw) // 8 - 1)) * 8
        word = data.draw(st.integers(0, (1 << 64) - 1) | st.integers(0, 64))
        raw[i:i + 8] = struct.pack("<Q", word ^ struct.unpack_from("<Q", raw, i)[0]
                                   if data.draw(st.booleans()) else word)
    traversal = data.draw(st.integers(0, 80) | st.just(1 << 23))
    nesting = data.draw(st.integers(0, 5) | st.just(64))
    first = data.draw(st.sampled_from([1024, 2, 5]))
    hurt = [bytes(raw)]
    assert outcome(by_set_root, hurt, first, traversal, nesting) == \
        outcome(by_objects, hurt, first, traversal, nesting)


def text(s: bytes) -> Tuple[int, List[int]]:
    """A Text's list pointer tag parts and its padded words."""
    body = s + b"\0"
    body += bytes(-len(body) & 7)
    return len(s) + 1, list(struct.unpack(f"<{len(body) // 8}Q", body))


# A root of one data word and two pointers: a List(Text) of two texts, then a last object
# (a Text unless a case puts another there).  TAIL: the last pointer's offset to it.
W1 = text(b"alpha")
W2 = text(b"a longer text here")
TAIL = 2 + len(W1[1]) + len(W2[1])


def texts_message(last: int = -1, tail: Any = None) -> List[int]:
    n3, w3 = text(b"tail")
    return [
        sp(0, 1, 2),  # 0: root -> 1
        0x1122334455667788,  # 1: data
        lp(1, ELEM_POINTER, 2),  # 2: -> 4 (pointer list)
        lp(TAIL, ELEM_BYTE, n3) if last < 0 else last,  # 3: -> the last object
        lp(1, ELEM_BYTE, W1[0]),  # 4: -> 6
        lp(len(W1[1]), ELEM_BYTE, W2[0]),  # 5: -> 6 + len(w1)
        *W1[1], *W2[1], *(w3 if tail is None else tail),
    ]


def test_a_list_of_texts_in_order_is_one_block() -> None:
    segments = [seg(*texts_message())]
    assert blocks_taken(segments)
    got = outcome(by_set_root, segments)
    assert got == outcome(by_objects, segments)
    assert got[1] == segments  # the layout was already the copy's


DAMAGE = {
    "shared": texts_message(lp(2, ELEM_BYTE, W1[0])),  # the last pointer aims at text 1
    "garbage after a text": texts_message(),
    "far": texts_message(2 | (0 << 3) | (1 << 32)),  # a landing pad in a second segment
    "cap": texts_message(3 | (7 << 32)),
    "bad cap": texts_message(3 | (1 << 8)),
    "void list": texts_message(lp(TAIL, 0, 1000), []),
    "no-size elements": texts_message(lp(TAIL, ELEM_COMPOSITE, 0), [sp(5, 0, 0)]),
    "loose list": texts_message(lp(TAIL, ELEM_COMPOSITE, 3), [sp(1, 1, 0), 7, 0, 0]),
    "gap": texts_message(lp(TAIL + 1, ELEM_BYTE, 5), [0, 0x6C696174]),
    "backwards": texts_message(),
    "bits past a bit list": texts_message(lp(TAIL, 1, 3), [0b1000]),
    "deep": texts_message(),  # (refused by the nesting limit below)
    "no-size struct at the cursor": texts_message(sp(TAIL, 0, 0), []),  # (the copy: offset -1)
    "no-size struct": texts_message(L.ZERO_SIZED_STRUCT, []),  # as the copy writes it
}
DAMAGE["garbage after a text"][6] |= 0xAB << 56  # "alpha\0" and 2 padding bytes: the last
DAMAGE["backwards"][4] = lp(-4, ELEM_BYTE, 8)  # text 1's pointer aims back at the data word


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_shapes_the_block_refuses_still_copy_alike(damage: str) -> None:
    segments = [seg(*DAMAGE[damage])]
    if damage == "far":
        segments.append(seg(lp(0, ELEM_BYTE, 4), 0x6C6C6F))
    nestings = (1,) if damage == "deep" else (64, 2, 1)
    if damage in ("cap", "no-size struct"):
        assert blocks_taken(segments)
    elif damage != "deep":
        assert not blocks_taken(segments)
    for first in (1024, 4):
        for traversal in (1 << 23, 12):
            for nesting in nestings:
                want = outcome(by_objects, segments, first, traversal, nesting)
                assert outcome(by_set_root, segments, first, traversal, nesting) == want


def test_bits_of_a_bit_list_within_its_last_word_are_copied() -> None:
    segments = [seg(*texts_message(lp(TAIL, 1, 4), [0b1010]))]
    assert blocks_taken(segments)
    assert outcome(by_set_root, segments) == outcome(by_objects, segments)


def struct_list_message(second: bool) -> List[int]:
    """A root whose one pointer is a list of two elements of one data word and one Text
    pointer; element 1's Text is null unless ``second``."""
    n1, w1 = text(b"one")
    n2, w2 = text(b"two!")
    return [
        sp(0, 0, 1),  # 0: root -> 1
        lp(0, ELEM_COMPOSITE, 4),  # 1: -> 2
        sp(2, 1, 1),  # 2: tag
        5, lp(2, ELEM_BYTE, n1),  # 3, 4: element 0 -> 7
        6, lp(len(w1), ELEM_BYTE, n2) if second else 0,  # 5, 6: element 1 -> 7 + len(w1)
        *w1, *(w2 if second else []),
    ]


def test_a_struct_list_in_order_is_one_block() -> None:
    segments = [seg(*struct_list_message(True))]
    assert blocks_taken(segments)
    assert outcome(by_set_root, segments) == outcome(by_objects, segments)
    for nesting in range(0, 4):  # the list and its elements' texts each take a level
        assert outcome(by_set_root, segments, nesting=nesting) == \
            outcome(by_objects, segments, nesting=nesting)


def test_a_struct_of_no_size_still_takes_a_nesting_level() -> None:
    segments = [seg(sp(0, 0, 1), L.ZERO_SIZED_STRUCT)]
    assert blocks_taken(segments)
    for nesting in (1, 2):  # at 1 the root's pointers have no level left: too deep
        got = outcome(by_set_root, segments, nesting=nesting)
        assert got == outcome(by_objects, segments, nesting=nesting)
        assert got[0] == ("copy" if nesting == 1 else "ok")


# -- lists copied on their own (a list field set from a reader) ------------------------------


def list_outcome(block: bool, segments: List[bytes], j: int, first: int = 1024,
                 traversal: int = 1 << 23, nesting: int = 64) -> Tuple[Any, ...]:
    """Copy pointer ``j`` of the root, a list, to a new message's root pointer."""
    try:
        root = _root(segments, traversal, nesting)
        if j >= root._pcount:
            return ("no such pointer",)
        src = L._read_list_at(root._ctx, root._seg, root._ptrs + j, root._nest, None, None)
    except CapnpError as e:
        return ("read", type(e).__name__, str(e))
    mb = MessageBuilder(first)
    try:
        if block:
            L._copy_list_to(mb, mb._segments[0], 0, src, False)
        else:
            L._drain(mb, L._copy_list_obj(mb, mb._segments[0], 0, src, False), False)
    except CapnpError as e:
        return ("copy", type(e).__name__, str(e), src._ctx.budget)
    return ("ok", mb.segments(), src._ctx.budget)


def list_blocks_taken(segments: List[bytes], j: int) -> bool:
    return _without_object_copy("_copy_list_obj", lambda: list_outcome(True, segments, j))


@SETTINGS
@given(roots, st.sampled_from([1024, 3]), st.data())
def test_list_block_copy_matches_the_object_copy(root: Node, first: int, data: Any) -> None:
    segments = build(root, MessageBuilder(1024))
    raw = bytearray(segments[0])
    if data.draw(st.booleans()):  # damage a word
        i = data.draw(st.integers(0, len(raw) // 8 - 1)) * 8
        raw[i:i + 8] = struct.pack("<Q", data.draw(st.integers(0, (1 << 64) - 1)))
    traversal = data.draw(st.integers(0, 60) | st.just(1 << 23))
    nesting = data.draw(st.integers(1, 4) | st.just(64))
    hurt = [bytes(raw)]
    for j, node in enumerate(root[2]):
        if node[0] in ("list", "slist", "text", "data"):
            assert list_outcome(True, hurt, j, first, traversal, nesting) == \
                list_outcome(False, hurt, j, first, traversal, nesting)


def test_lists_in_order_are_one_block() -> None:
    ws = texts_message()
    segments = [seg(*ws)]
    for j in (0, 1):  # the List(Text), the Text
        assert list_blocks_taken(segments, j)
        got = list_outcome(True, segments, j)
        assert got == list_outcome(False, segments, j) and got[0] == "ok"
    slist = struct_list_message(False)
    assert list_blocks_taken([seg(*slist)], 0)
    no_size = [sp(0, 0, 1), lp(0, ELEM_COMPOSITE, 0), sp(3, 0, 0)]  # three elements of no size
    assert not list_blocks_taken([seg(*no_size)], 0)
    assert list_outcome(True, [seg(*no_size)], 0) == list_outcome(False, [seg(*no_size)], 0)
    assert list_outcome(True, [seg(*slist)], 0) == list_outcome(False, [seg(*slist)], 0)
    for j, damage in ((0, "garbage after a text"), (1, "bits past a bit list")):
        assert not list_blocks_taken([seg(*DAMAGE[damage])], j)


# -- messages of several segments, laid out as the copy lays them out ------------------------


def mirror_taken(segments: List[bytes], first: int, growth: str = "heuristic") -> bool:
    """Whether set_root copied the segments as they are (no object-by-object step)."""
    return _without_object_copy(
        "_copy_struct_obj",
        lambda: MessageBuilder(first, growth=growth).set_root(_root(segments, 1 << 23, 64)))


def grown_outcome(block: bool, segments: List[bytes], first: int, growth: str,
                  traversal: int = 1 << 23, nesting: int = 64) -> Tuple[Any, ...]:
    """outcome() into a builder of ``first`` words and ``growth``, with the builder's next
    segment size too (what a later allocation would use)."""
    try:
        src = _root(segments, traversal, nesting)
    except CapnpError as e:
        return ("root", type(e).__name__, str(e))
    mb = MessageBuilder(first, growth=growth)
    try:
        if block:
            mb.set_root(src)
        else:
            by_objects(mb, src)
    except CapnpError as e:
        return ("copy", type(e).__name__, str(e), src._ctx.budget)
    limits = [s.limit for s in mb._segments]
    return ("ok", mb.segments(), src._ctx.budget, limits, mb._next)


@SETTINGS
@given(roots, st.sampled_from([3, 5, 9]), st.sampled_from([None, 5, 1024]),
       st.sampled_from(["heuristic", "fixed"]))
def test_segments_laid_out_as_the_copy_lays_them_out_are_copied_as_they_are(
        root: Node, made: int, into: Any, growth: str) -> None:
    segments = build(root, MessageBuilder(made, growth=growth))
    first = made if into is None else into
    got = grown_outcome(True, segments, first, growth)
    assert got == grown_outcome(False, segments, first, growth)
    root_fits = 1 + len(root[1]) + len(root[2]) <= made  # (a root behind a pad: object copy)
    if into is None and len(segments) > 1 and root_fits and "'slist', 0, 0" not in repr(root):
        assert mirror_taken(segments, first, growth)  # the same builder: the same layout


@SETTINGS
@given(roots, st.data())
def test_damaged_segments_copy_alike(root: Node, data: Any) -> None:
    made = data.draw(st.sampled_from([3, 5]))
    segments = [bytearray(s) for s in build(root, MessageBuilder(made))]
    for _ in range(data.draw(st.integers(1, 3))):
        k = data.draw(st.integers(0, len(segments) - 1))
        if not segments[k]:
            continue
        i = data.draw(st.integers(0, len(segments[k]) // 8 - 1)) * 8
        word = data.draw(st.integers(0, (1 << 64) - 1) | st.integers(0, 64))
        old = struct.unpack_from("<Q", segments[k], i)[0]
        segments[k][i:i + 8] = struct.pack("<Q", word ^ old if data.draw(st.booleans()) else word)
    if data.draw(st.booleans()) and len(segments) > 1:
        segments[-1] += bytes(8)  # a word no object accounts for
    hurt = [bytes(s) for s in segments]
    traversal = data.draw(st.integers(0, 80) | st.just(1 << 23))
    nesting = data.draw(st.integers(0, 5) | st.just(64))
    assert grown_outcome(True, hurt, made, "heuristic", traversal, nesting) == \
        grown_outcome(False, hurt, made, "heuristic", traversal, nesting)


def two_segments(damage: str = "") -> List[bytes]:
    """A root of three Text pointers written into a builder of 6-word segments: two texts
    near, the third behind a landing pad in a second segment (with ``damage``)."""
    one, two = text(b"one")[1][0], text(b"two")[1][0]
    n3, w3 = text(b"world")
    first = [sp(0, 0, 3), lp(2, ELEM_BYTE, 4), lp(2, ELEM_BYTE, 4), fp(0, 1), one, two]
    second = [lp(0, ELEM_BYTE, n3), *w3]
    if damage == "swapped":  # the same words, the two near texts in each other's place
        first[1:3] = [lp(3, ELEM_BYTE, 4), lp(1, ELEM_BYTE, 4)]
        first[4:6] = [two, one]
    elif damage == "garbage after a text":
        second[1] |= 0xAB << 56
    elif damage == "extra word":
        second.append(0)
    elif damage == "pad moved":
        first[3] = fp(1, 1)
        second.insert(0, 0)
    elif damage == "double far":
        first[3] = fp(0, 1, double=True)
        second = [fp(1, 1), lp(0, ELEM_BYTE, n3), *w3]
    return [seg(*first), seg(*second)]


def test_two_segments_as_the_copy_writes_them_are_copied_as_they_are() -> None:
    segments = two_segments()
    assert mirror_taken(segments, 6)
    got = grown_outcome(True, segments, 6, "heuristic")
    assert got == grown_outcome(False, segments, 6, "heuristic")
    assert got[1] == segments and got[3:] == ([6, 6], 12)
    for first in (5, 7, 1024):  # other segment sizes: the copy lays it out otherwise
        assert not mirror_taken(segments, first)
        assert grown_outcome(True, segments, first, "heuristic") == \
            grown_outcome(False, segments, first, "heuristic")


@pytest.mark.parametrize("damage", ["swapped", "garbage after a text", "extra word",
                                    "pad moved", "double far"])
def test_two_segments_the_copy_would_not_write_take_the_object_copy(damage: str) -> None:
    segments = two_segments(damage)
    assert not mirror_taken(segments, 6)
    for nesting in (64, 1):
        for traversal in (1 << 23, 8):
            assert grown_outcome(True, segments, 6, "heuristic", traversal, nesting) == \
                grown_outcome(False, segments, 6, "heuristic", traversal, nesting)


def test_two_segments_within_the_limits_only() -> None:
    segments = two_segments()
    for nesting in (1, 2):  # at 1 the root's pointers have no level left
        got = grown_outcome(True, segments, 6, "heuristic", nesting=nesting)
        assert got == grown_outcome(False, segments, 6, "heuristic", nesting=nesting)
        assert got[0] == ("copy" if nesting == 1 else "ok")
    for traversal in (8, 9, 10):  # root (2 with its pointer) + 3 + 2 texts and a pad: 9 - 1
        got = grown_outcome(True, segments, 6, "heuristic", traversal=traversal)
        assert got == grown_outcome(False, segments, 6, "heuristic", traversal=traversal)


def test_landing_pads_where_the_copy_would_not_put_them() -> None:
    """Two texts behind pads in a second segment (4-word segments): as the copy writes them,
    copied as they are; with the pads' places swapped (the same words elsewhere), not."""
    n1, w1 = text(b"one")
    n2, w2 = text(b"two")
    in_order = [seg(sp(0, 0, 3), fp(0, 1), fp(2, 1), 0),
                seg(lp(0, ELEM_BYTE, n1), *w1, lp(0, ELEM_BYTE, n2), *w2)]
    swapped = [seg(sp(0, 0, 3), fp(2, 1), fp(0, 1), 0),
               seg(lp(0, ELEM_BYTE, n2), *w2, lp(0, ELEM_BYTE, n1), *w1)]
    assert mirror_taken(in_order, 4)
    assert not mirror_taken(swapped, 4)
    for segments in (in_order, swapped):
        assert grown_outcome(True, segments, 4, "heuristic") == \
            grown_outcome(False, segments, 4, "heuristic")
