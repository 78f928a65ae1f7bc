"""The one-step list writers of the builder: ``put_text``, ``put_list_bytes``,
``put_text_list`` and ``put_primitive_list``.

Each is checked against the general path (``init_list`` plus element setters)
on the same allocation sequence, so the words written, near or far, must be
identical; and read back through the reader.
"""

from __future__ import annotations

from typing import Callable, List

import pytest
from hypothesis import given, settings, strategies as st

from capnp_lite.errors import EncodeError
from capnp_lite.wire.layout import (
    MessageBuilder,
    StructBuilder,
    put_list_bytes,
    put_primitive_list,
    put_text,
    put_text_list,
)
from capnp_lite.wire.pointers import ELEM_BYTE, ELEM_POINTER


def _pair(words: int, growth: str) -> List[MessageBuilder]:
    return [MessageBuilder(words, growth=growth) for _ in range(2)]


def _slot(sb: StructBuilder, i: int) -> int:
    return sb.pointer_offset + i


texts_st = st.lists(st.text(max_size=20), max_size=6)
growth_st = st.sampled_from(["heuristic", "fixed", "single"])


@settings(max_examples=40, deadline=None)
@given(texts=texts_st, first=st.integers(2, 12), growth=growth_st)
def test_text_list_matches_general_path(texts: List[str], first: int, growth: str) -> None:
    fast, slow = _pair(first, growth)
    a = fast.init_root(0, 2)
    b = slow.init_root(0, 2)
    put_text(fast, a.segment, _slot(a, 0), b"head")
    b.set_text(0, "head")
    put_text_list(fast, a.segment, _slot(a, 1), [t.encode() for t in texts])
    lst = b.init_list(1, ELEM_POINTER, len(texts))
    for k, t in enumerate(texts):
        lst.set_text(k, t)
    assert fast.segments() == slow.segments()
    r = fast.root_reader()
    assert r.get_text(0) == "head"
    got = r.get_list(1)
    assert [got.get_text(k) for k in range(len(got))] == texts


@settings(max_examples=40, deadline=None)
@given(payload=st.binary(max_size=40), first=st.integers(1, 8), growth=growth_st)
def test_byte_list_matches_general_path(payload: bytes, first: int, growth: str) -> None:
    fast, slow = _pair(first, growth)
    a = fast.init_root(0, 1)
    b = slow.init_root(0, 1)
    put_list_bytes(fast, a.segment, _slot(a, 0), ELEM_BYTE, len(payload), payload)
    b.set_data(0, payload)
    assert fast.segments() == slow.segments()
    assert fast.root_reader().get_data(0) == payload


FORMATS = {
    "b": st.integers(-128, 127),
    "H": st.integers(0, 0xFFFF),
    "i": st.integers(-(1 << 31), (1 << 31) - 1),
    "Q": st.integers(0, (1 << 64) - 1),
    "d": st.floats(allow_nan=False),
    "?": st.booleans(),
}


@settings(max_examples=60, deadline=None)
@given(data=st.data(), first=st.integers(1, 6), growth=growth_st)
def test_primitive_list_matches_general_path(data: st.DataObject, first: int, growth: str) -> None:
    fmt = data.draw(st.sampled_from(sorted(FORMATS)))
    values = data.draw(st.lists(FORMATS[fmt], max_size=20))
    fast, slow = _pair(first, growth)
    a = fast.init_root(1, 1)
    b = slow.init_root(1, 1)
    put_primitive_list(fast, a.segment, _slot(a, 0), fmt, values)
    b.init_primitive_list(0, fmt, values)
    assert fast.segments() == slow.segments()
    assert fast.root_reader().get_list(0).to_list(fmt) == values


@pytest.mark.parametrize(
    "write",
    [
        lambda mb, sb: put_primitive_list(mb, sb.segment, _slot(sb, 0), "i", [1, 1 << 40]),
        lambda mb, sb: put_primitive_list(mb, sb.segment, _slot(sb, 0), "B", [-1]),
        lambda mb, sb: put_primitive_list(mb, sb.segment, _slot(sb, 0), "z", [1]),
        lambda mb, sb: put_list_bytes(mb, sb.segment, _slot(sb, 0), 7, 1, b""),
        lambda mb, sb: put_list_bytes(mb, sb.segment, _slot(sb, 0), 2, 1 << 29, b""),
        lambda mb, sb: put_list_bytes(mb, sb.segment, _slot(sb, 0), 2, 2, b"abc"),
    ],
)
def test_refused_writes_change_nothing(write: Callable[[MessageBuilder, StructBuilder], None]
                                       ) -> None:
    mb = MessageBuilder(4)
    sb = mb.init_root(0, 1)
    before = mb.segments()
    with pytest.raises(EncodeError):
        write(mb, sb)
    assert mb.segments() == before


def test_empty_lists_and_texts() -> None:
    mb = MessageBuilder(2, growth="fixed")  # full after the root: every object goes far
    sb = mb.init_root(0, 3)
    put_text(mb, sb.segment, _slot(sb, 0), b"")
    put_text_list(mb, sb.segment, _slot(sb, 1), [])
    put_primitive_list(mb, sb.segment, _slot(sb, 2), "q", [])
    r = mb.root_reader()
    assert r.get_text(0) == "" and not r.is_null(0)
    assert len(r.get_list(1)) == 0 and len(r.get_list(2)) == 0
    assert len(mb.segments()) > 1
