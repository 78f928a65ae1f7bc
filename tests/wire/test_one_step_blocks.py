"""The one-step writers' block paths: a List(Text) written as one block, short
primitive lists packed at once, texts placed far in one call.

Every case runs the same allocation sequence twice, once through the writer
under test and once through the general path (``init_list`` plus element
setters, whose allocation goes through ``_place`` one object at a time), and
the segments must be identical.  A random prefix of other objects first fills
segments to random points, so lists land near, far in the last segment, in a
new segment, or split between segments (where the block path must give way to
the stepwise one).
"""

from __future__ import annotations

from typing import Any, Callable, List, Sequence, Tuple

import pytest
from hypothesis import given, settings, strategies as st

from capnp_lite.errors import EncodeError
from capnp_lite.wire import layout
from capnp_lite.wire.layout import (
    ListBuilder,
    MessageBuilder,
    StructBuilder,
    put_primitive_list,
    put_str_list,
    put_text,
    put_text_list,
)
from capnp_lite.wire.pointers import ELEM_BYTE, ELEM_POINTER

growth_st = st.sampled_from(["heuristic", "fixed", "single"])
# Filler objects: sizes in bytes of Data written before the list under test.
prefix_st = st.lists(st.integers(0, 90), max_size=5)
ascii_st = st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=20)
any_text_st = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
# All-ASCII lists take the joined-str path, others the per-text encoding.
texts_st = st.one_of(st.lists(ascii_st, max_size=9),
                     st.lists(st.one_of(ascii_st, any_text_st), max_size=9))

SLOTS = 8


def _build(first: int, growth: str, prefix: Sequence[int],
           write: Callable[[MessageBuilder, StructBuilder, int], None]) -> List[bytes]:
    """Fill with ``prefix`` Data objects, write the object under test in the next slot."""
    mb = MessageBuilder(first, growth=growth)
    sb = mb.init_root(0, SLOTS)
    for i, size in enumerate(prefix):
        sb.set_data(i, bytes(range(size % 256))[:size] or b"")
    write(mb, sb, len(prefix))
    return mb.segments()


def _general_texts(raws: Sequence[bytes]) -> Callable[[MessageBuilder, StructBuilder, int], None]:
    def write(mb: MessageBuilder, sb: StructBuilder, i: int) -> None:
        lst = sb.init_list(i, ELEM_POINTER, len(raws))
        for k, raw in enumerate(raws):
            lst.set_text_bytes(k, raw)
    return write


def _read_texts(segments: List[bytes], i: int) -> List[str]:
    r = layout.MessageReader(segments).root()
    got = r.get_list(i)
    return [got.get_text(k) for k in range(len(got))]


@settings(max_examples=120, deadline=None)
@given(texts=texts_st, first=st.integers(1, 40), growth=growth_st, prefix=prefix_st)
def test_str_list_matches_general_path(texts: List[str], first: int, growth: str,
                                       prefix: List[int]) -> None:
    raws = [t.encode("utf-8") for t in texts]

    def fast(mb: MessageBuilder, sb: StructBuilder, i: int) -> None:
        assert put_str_list(mb, sb.segment, sb.pointer_offset + i, texts)

    got = _build(first, growth, prefix, fast)
    assert got == _build(first, growth, prefix, _general_texts(raws))
    assert _read_texts(got, len(prefix)) == texts


@settings(max_examples=80, deadline=None)
@given(texts=texts_st, first=st.integers(1, 40), growth=growth_st, prefix=prefix_st)
def test_text_list_matches_stepwise_writer(texts: List[str], first: int, growth: str,
                                           prefix: List[int]) -> None:
    raws = [t.encode("utf-8") for t in texts]

    def fast(mb: MessageBuilder, sb: StructBuilder, i: int) -> None:
        put_text_list(mb, sb.segment, sb.pointer_offset + i, raws)

    def stepwise(mb: MessageBuilder, sb: StructBuilder, i: int) -> None:
        layout._put_text_list_stepwise(mb, sb.segment, sb.pointer_offset + i, raws)

    got = _build(first, growth, prefix, fast)
    assert got == _build(first, growth, prefix, stepwise)
    assert got == _build(first, growth, prefix, _general_texts(raws))


@settings(max_examples=80, deadline=None)
@given(text=st.one_of(ascii_st, any_text_st), first=st.integers(1, 30), growth=growth_st,
       prefix=prefix_st)
def test_text_matches_general_path(text: str, first: int, growth: str, prefix: List[int]
                                   ) -> None:
    raw = text.encode("utf-8")

    def fast(mb: MessageBuilder, sb: StructBuilder, i: int) -> None:
        put_text(mb, sb.segment, sb.pointer_offset + i, raw)

    def general(mb: MessageBuilder, sb: StructBuilder, i: int) -> None:
        lst = sb.init_list(i, ELEM_BYTE, len(raw) + 1)
        lst.set_all(list(raw) + [0], "B")

    got = _build(first, growth, prefix, fast)
    assert got == _build(first, growth, prefix, general)
    assert layout.MessageReader(got).root().get_text(len(prefix)) == text


FORMATS = {
    "b": st.integers(-128, 127),
    "B": st.integers(0, 255),
    "h": st.integers(-(1 << 15), (1 << 15) - 1),
    "H": st.integers(0, 0xFFFF),
    "i": st.integers(-(1 << 31), (1 << 31) - 1),
    "I": st.integers(0, (1 << 32) - 1),
    "q": st.integers(-(1 << 63), (1 << 63) - 1),
    "Q": st.integers(0, (1 << 64) - 1),
    "d": st.floats(allow_nan=False),
    "f": st.floats(width=32, allow_nan=False),
    "?": st.booleans(),
}


@settings(max_examples=120, deadline=None)
@given(data=st.data(), first=st.integers(1, 30), growth=growth_st, prefix=prefix_st)
def test_short_and_long_number_lists_match_general_path(
    data: st.DataObject, first: int, growth: str, prefix: List[int]
) -> None:
    fmt = data.draw(st.sampled_from(sorted(FORMATS)))
    values = data.draw(st.lists(FORMATS[fmt], max_size=14))

    def fast(mb: MessageBuilder, sb: StructBuilder, i: int) -> None:
        put_primitive_list(mb, sb.segment, sb.pointer_offset + i, fmt, values)

    def general(mb: MessageBuilder, sb: StructBuilder, i: int) -> None:
        lst: ListBuilder = sb.init_list(i, layout.FORMAT_ELEMENT_SIZE[fmt], len(values))
        lst.set_all(values, fmt)

    got = _build(first, growth, prefix, fast)
    assert got == _build(first, growth, prefix, general)
    assert layout.MessageReader(got).root().get_list(len(prefix)).to_list(fmt) == values


def test_tuples_and_lists_pack_alike() -> None:
    a = _build(4, "heuristic", [], lambda mb, sb, i: put_primitive_list(
        mb, sb.segment, sb.pointer_offset + i, "h", (1, -2, 3)))
    b = _build(4, "heuristic", [], lambda mb, sb, i: put_primitive_list(
        mb, sb.segment, sb.pointer_offset + i, "h", [1, -2, 3]))
    assert a == b


class _LongStr(str):
    """A str whose len() lies: a writer that trusts it would misplace the texts."""

    def __len__(self) -> int:
        return 99


class _Shouting(str):
    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        return str.upper(self).encode(encoding, errors)


@pytest.mark.parametrize(
    "values",
    [
        ["ok", _LongStr("abc")],
        [_Shouting("abc")],
        ["ok", b"bytes"],
        ["ok", None],
        ["lone \udc80 surrogate"],
    ],
)
def test_str_list_refuses_what_it_cannot_write_and_writes_nothing(values: List[Any]) -> None:
    mb = MessageBuilder(8)
    sb = mb.init_root(0, 1)
    before = mb.segments()
    assert put_str_list(mb, sb.segment, sb.pointer_offset, values) is False
    assert mb.segments() == before
    assert sb.is_null(0)


def test_str_list_non_ascii_and_nul_texts() -> None:
    texts = ["", "a\0b", "é", "日本語", "x" * 8, "y" * 7, "z" * 9]
    got = _build(64, "heuristic", [], lambda mb, sb, i: put_str_list(
        mb, sb.segment, sb.pointer_offset + i, texts))
    assert got == _build(64, "heuristic", [], _general_texts([t.encode() for t in texts]))
    assert _read_texts(got, 0) == texts


def _far_layout(n_texts: int) -> Tuple[List[bytes], List[bytes]]:
    """A list too big for segment 0 whose texts fit the last segment only in part."""
    texts = ["t%03d" % k for k in range(n_texts)]
    raws = [t.encode() for t in texts]

    def fast(mb: MessageBuilder, sb: StructBuilder, i: int) -> None:
        assert put_str_list(mb, sb.segment, sb.pointer_offset + i, texts)

    return (_build(6, "fixed", [40, 40], fast),
            _build(6, "fixed", [40, 40], _general_texts(raws)))


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 8, 40])
def test_split_lists_take_the_stepwise_path(n: int) -> None:
    got, want = _far_layout(n)
    assert got == want
    if n >= 3:
        assert len(got) > 3  # the texts spilled over several fixed-size segments


@pytest.mark.parametrize("growth", ["heuristic", "fixed"])
@pytest.mark.parametrize("first", range(9, 22))
def test_every_boundary_of_the_first_segment(first: int, growth: str) -> None:
    """Lists ending just before, at and after the end of a segment, near and far."""
    texts = ["", "abcdefg", "abcdefgh", "a" * 17]
    raws = [t.encode() for t in texts]
    for filler in range(0, 8 * 16, 8):
        for n in range(len(texts) + 1):
            def fast(mb: MessageBuilder, sb: StructBuilder, i: int) -> None:
                assert put_str_list(mb, sb.segment, sb.pointer_offset + i, texts[:n])

            want = _build(first, growth, [filler], _general_texts(raws[:n]))
            assert _build(first, growth, [filler], fast) == want, (filler, n)


def test_refused_short_list_changes_nothing() -> None:
    mb = MessageBuilder(4)
    sb = mb.init_root(0, 1)
    before = mb.segments()
    for values in ([1, 1 << 40], [1.5], ["x"], [None]):
        with pytest.raises(EncodeError):
            put_primitive_list(mb, sb.segment, sb.pointer_offset, "i", values)
        assert mb.segments() == before


@pytest.mark.parametrize("limit", [0, 7, 16, 40])
def test_lists_over_the_block_limit_take_the_stepwise_path(
        monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    texts = ["alpha", "beta", "x" * 13, "", "d\u00e9j\u00e0"]
    raws = [t.encode("utf-8") for t in texts]
    want = _build(8, "heuristic", [3], _general_texts(raws))
    monkeypatch.setattr(layout, "_MAX_TEXT_BLOCK", limit)

    def by_str(mb: MessageBuilder, sb: StructBuilder, i: int) -> None:
        assert put_str_list(mb, sb.segment, sb.pointer_offset + i, texts[:3])

    def by_bytes(mb: MessageBuilder, sb: StructBuilder, i: int) -> None:
        put_text_list(mb, sb.segment, sb.pointer_offset + i, raws)

    assert _build(8, "heuristic", [3], by_bytes) == want
    assert _build(8, "heuristic", [3], by_str) == _build(8, "heuristic", [3], _general_texts(raws[:3]))


class _Huge(bytes):
    """A short bytes object that says it is over 512 MiB (the size no pointer half can hold)."""

    def __len__(self) -> int:
        return (1 << 29) - 1


def test_a_text_too_long_for_a_pointer_is_an_encode_error() -> None:
    mb = MessageBuilder(8)
    sb = mb.init_root(0, 1)
    with pytest.raises(EncodeError):
        put_text_list(mb, sb.segment, sb.pointer_offset, [b"ok", _Huge(b"x")])


# The unrolled block makers (one to four texts) against the general path, element by element.
short_texts_st = st.lists(st.one_of(ascii_st, any_text_st), min_size=1, max_size=5)


@settings(max_examples=150, deadline=None)
@given(texts=short_texts_st, as_tuple=st.booleans())
def test_ascii_text_block_is_the_body_the_general_path_lays_out(texts: List[str],
                                                               as_tuple: bool) -> None:
    values: Sequence[str] = tuple(texts) if as_tuple else texts
    block = layout.ascii_text_block(values)
    if not all(t.isascii() for t in texts):
        assert block is None
        return
    assert block is not None
    segments = _build(8, "single", [], _general_texts([t.encode() for t in texts]))
    # The root pointer, then the root struct's pointer slots; the list's body follows them.
    assert segments[0][(1 + SLOTS) * 8:] == block


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("bad", ["é", "\udc80", "\ud800", b"x", None, 7])
def test_ascii_text_block_refuses_any_element_it_cannot_take(count: int, bad: Any) -> None:
    for at in range(count):
        values: List[Any] = ["ok"] * count
        values[at] = bad
        assert layout.ascii_text_block(values) is None
