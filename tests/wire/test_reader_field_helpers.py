"""The coordinate-based reader helpers agree with StructReader's getters.

``read_text_field``, ``read_struct_field``, ``read_list_field`` and
``ListReader.texts`` must decode, follow far pointers, charge the traversal
budget and report errors exactly as the StructReader and ListReader getters.
"""

from __future__ import annotations

from typing import List, Tuple

import pytest
from hypothesis import given, settings, strategies as st

from capnp_lite.errors import DecodeError
from capnp_lite.wire.layout import (
    MessageBuilder,
    MessageContext,
    MessageReader,
    StructReader,
    read_list_field,
    read_struct_field,
    read_text_field,
)
from capnp_lite.wire.pointers import ELEM_POINTER
from capnp_lite.wire.segments import Segment


def _build(texts: List[str], first_words: int) -> List[bytes]:
    """A root of pointers: texts, then a List(Text) of the same texts, then a struct."""
    mb = MessageBuilder(first_words, growth="fixed")
    n = len(texts)
    root = mb.init_root(1, n + 2)
    for i, t in enumerate(texts):
        root.set_text(i, t)
    lst = root.init_list(n, ELEM_POINTER, n)
    for i, t in enumerate(texts):
        lst.set_text(i, t)
    child = root.init_struct(n + 1, 1, 0)
    child.set_int64(0, -42)
    return mb.segments()


def _coords(r: StructReader) -> Tuple[MessageContext, Segment, int, int]:
    return r.context, r.segment, r.pointer_offset, r.ptr_count


texts_st = st.lists(st.text(max_size=12), min_size=1, max_size=5)


@settings(max_examples=40, deadline=None)
@given(texts=texts_st, first_words=st.sampled_from([2, 3, 5, 1024]))
def test_helpers_match_getters(texts: List[str], first_words: int) -> None:
    segments = _build(texts, first_words)
    a = MessageReader(segments).root()
    b = MessageReader(segments).root()
    n = len(texts)
    assert read_text_field(*_coords(a), n + 2, "dflt") == "dflt"  # past the pointers
    for i in range(n):
        assert read_text_field(*_coords(b), i) == b.get_text(i) == texts[i]
    assert read_text_field(*_coords(b), n + 5, "x") == b.get_text(n + 5, "x") == "x"
    la = read_list_field(*_coords(b), n, b.nesting_left, ELEM_POINTER)
    lb = b.get_list(n, ELEM_POINTER)
    assert la.texts() == [lb.get_text(i) for i in range(len(lb))] == texts
    sa = read_struct_field(*_coords(b), n + 1, b.nesting_left)
    assert sa.get_int64(0) == b.get_struct(n + 1).get_int64(0) == -42
    # The same reads charge the same words.
    c = MessageReader(segments).root()
    d = MessageReader(segments).root()
    for i in range(n):
        read_text_field(*_coords(c), i)
        d.get_text(i)
    read_list_field(*_coords(c), n, c.nesting_left, ELEM_POINTER).texts()
    lst = d.get_list(n, ELEM_POINTER)
    [lst.get_text(i) for i in range(len(lst))]
    assert c.context.budget == d.context.budget


def test_far_text_with_a_bad_landing_pad_is_reported() -> None:
    segments = _build(["hello"], 2)
    assert len(segments) > 1
    r = MessageReader(segments).root()
    word = r.segment.u64[r.pointer_offset]
    assert word & 7 == 2  # the text was placed behind a far pointer
    # Point the far pointer past the end of its target segment.
    sid = r.segment.id
    bad = bytearray(segments[sid])
    off = r.pointer_offset * 8
    bad[off:off + 8] = ((word & ~(0x1FFFFFFF << 3)) | (0x1FFFFFF << 3)).to_bytes(8, "little")
    broken_segments = list(segments)
    broken_segments[sid] = bytes(bad)
    broken = MessageReader(broken_segments).root()
    with pytest.raises(DecodeError):
        read_text_field(*_coords(broken), 0)
    with pytest.raises(DecodeError):
        broken.get_text(0)


def test_text_list_rejects_a_data_list() -> None:
    mb = MessageBuilder()
    root = mb.init_root(0, 1)
    root.init_primitive_list(0, "i", [1, 2])
    r = MessageReader(mb.segments()).root()
    with pytest.raises((DecodeError, TypeError)):
        r.get_list(0).texts()


def test_text_list_limits_charge_like_get_text() -> None:
    segments = _build(["a" * 40] * 4, 1024)
    limit = 1 << 20
    probe = MessageReader(segments, traversal_limit_in_words=limit).root()
    lst = probe.get_list(4, ELEM_POINTER)
    before_texts = limit - probe.context.budget
    probe.context.budget = limit
    lst.get_text(0)
    one_text = limit - probe.context.budget
    # Enough for the root, the list and all texts but the last.
    r = MessageReader(segments, traversal_limit_in_words=before_texts + 3 * one_text).root()
    with pytest.raises(DecodeError):
        r.get_list(4, ELEM_POINTER).texts()
    r = MessageReader(segments, traversal_limit_in_words=before_texts + 4 * one_text).root()
    assert r.get_list(4, ELEM_POINTER).texts() == ["a" * 40] * 4
