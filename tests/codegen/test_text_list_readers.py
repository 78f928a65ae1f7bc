"""The List(Text) readers by count (``runtime.TEXT_LISTS``) that struct list loaders use.

Lists of 1 to 4 texts are read without a loop when every element is a non-empty text
pointing forwards; anything else goes to the general reader.  Each case here is laid out
word by word and the result is checked against the texts the layout was made from (and,
through a generated module, against the lazy reader of the same bytes): texts back to back
or apart, empty, holding NULs or non-ASCII characters, null elements, texts placed before
their pointers, pointers of other kinds, missing NULs, bad UTF-8 and buffers cut short.
"""

from __future__ import annotations

import struct
from types import ModuleType
from typing import Any, Callable, List, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.codegen import runtime as rt
from capnp_lite.errors import DecodeError

from .cg_helpers import Words, far_copy, generated_module

SCHEMA = """
@0xe2a4c6b8d0f21357;

struct Tagged {
  id @0 :UInt64;
  tags @1 :List(Text);
}

struct Box {
  tagged @0 :List(Tagged);
}
"""

DEC = bytes.decode
BIG = 1 << 40  # a traversal budget that never runs out
# What an element of a hand-made list is: a text (as UTF-8), None for a null pointer, or
# one of the broken pointers below.
STRUCT_PTR = "struct pointer"  # a struct pointer where a text should be
WORD_LIST = "word list"  # a list of 64-bit words where a text should be
UNTERMINATED = "unterminated"  # a text whose last byte is not NUL
EMPTY_BYTES = "empty bytes"  # a byte list of no bytes (not even the NUL)
Item = Any


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_module(tmp_path_factory.mktemp("cgtextlists"), SCHEMA, "textlists.capnp")


def expected(items: List[Item]) -> Any:
    """What reading a list of ``items`` gives: the texts, or DecodeError."""
    out = []
    for it in items:
        if it is None:
            out.append("")
        elif isinstance(it, bytes):
            try:
                out.append(it.decode())
            except UnicodeDecodeError:
                return DecodeError
        else:
            return DecodeError
    return out


def place_items(w: Words, ptrs: int, items: List[Item], gap: int) -> None:
    """Targets for the pointers at word ``ptrs``, after them (texts ``gap`` words apart)."""
    for j, it in enumerate(items):
        if it is None:
            continue
        if it == STRUCT_PTR:
            w.put(ptrs + j, 0, 1)  # a struct of one data word, right after the pointer
            continue
        if it == WORD_LIST:
            at = w.alloc(1)
            w.list_ptr(ptrs + j, at, 5, 1)
            continue
        if it == EMPTY_BYTES:
            at = w.alloc(1)
            w.list_ptr(ptrs + j, at, 2, 0)
            continue
        if gap and j:
            w.alloc(gap)
        raw = b"abc" if it == UNTERMINATED else it
        at, n = w.text(raw, terminate=it != UNTERMINATED)
        w.list_ptr(ptrs + j, at, 2, n)


def text_list(items: List[Item], gap: int = 0, before: bool = False) -> Tuple[bytes, int]:
    """A List(Text)'s words in a buffer and the byte offset of its first pointer."""
    w = Words(root=False)
    w.alloc(1)  # something before the list
    if before:
        # The texts first, then the pointers, which point backwards to them.
        spots = []
        for it in items:
            spots.append(w.text(it) if isinstance(it, bytes) else None)
        ptrs = w.alloc(len(items))
        for j, spot in enumerate(spots):
            if spot is not None:
                w.list_ptr(ptrs + j, spot[0], 2, spot[1])
    else:
        ptrs = w.alloc(len(items))
        place_items(w, ptrs, items, gap)
    w.alloc(1)  # and something after it
    return bytes(w.buf), 8 * ptrs


def decoder(b: Any) -> Callable[[Any], str]:
    """The text decoder the loaders pair with a buffer of this type."""
    return DEC if isinstance(b, bytes) else lambda raw: str(raw, "utf-8")


def read(b: bytes, first: int, count: int) -> Any:
    """The count's reader on ``b``, the way the loaders use it: None when it gives up,
    DecodeError for what it cannot read, else the texts (checking the words charged)."""
    try:
        got = rt.TEXT_LISTS[count](b, decoder(b), first, BIG)
    except (IndexError, UnicodeDecodeError, struct.error):
        return DecodeError
    return got


def general(b: bytes, first: int, count: int) -> Any:
    """What the general reader gives on the same bytes, in the same terms as ``read``."""
    try:
        return rt.texts(b, decoder(b), first, BIG, count)
    except (IndexError, UnicodeDecodeError, struct.error):
        return DecodeError


def agrees(b: bytes, first: int, count: int) -> bool:
    """The unrolled reader gives what the general one gives; where the pointer words run past
    the end, the general one gives up and the unrolled one fails (both mean: not read here)."""
    got, want = read(b, first, count), general(b, first, count)
    if first + 8 * count > len(b):
        return got in (None, DecodeError) and want in (None, DecodeError)
    return bool(got == want)


def words_of(items: List[Item]) -> int:
    return len(items) + sum((len(it) + 8) // 8 for it in items if isinstance(it, bytes))


TEXTS = [b"", b"a", b"alpha", b"seven77", b"eight888", b"a\x00b", b"\x00", b"\x00\x00\x00",
         "p\u00e9\u20ac".encode(), "\U0001f600".encode(), b"x" * 40]


@pytest.mark.parametrize("count", list(range(0, 17)))
@pytest.mark.parametrize("gap", [0, 1, 5])
def test_texts_read_whole(count: int, gap: int) -> None:
    items: List[Item] = [TEXTS[(count + j) % len(TEXTS)] for j in range(count)]
    b, first = text_list(items, gap)
    got = read(b, first, count)
    assert got == (expected(items), words_of(items))
    # The same through the general reader (the one lists of other lengths use).
    assert rt.texts(b, DEC, first, BIG, count) == got


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5])
def test_readers_from_bytearray_and_views(count: int) -> None:
    items: List[Item] = [b"t%d" % j + "\u00fc".encode() * j for j in range(count)]
    b, first = text_list(items)
    want = (expected(items), words_of(items))
    assert read(b, first, count) == want
    view = memoryview(bytearray(b))
    got = rt.TEXT_LISTS[count](view, lambda raw: str(raw, "utf-8"), first, BIG)
    assert got == want


@pytest.mark.parametrize("count", [1, 2, 3, 4, 6])
@pytest.mark.parametrize("odd", [None, STRUCT_PTR, WORD_LIST, EMPTY_BYTES, UNTERMINATED])
def test_one_odd_element(count: int, odd: Item) -> None:
    for at in range(count):
        items: List[Item] = [b"w%d" % j for j in range(count)]
        items[at] = odd
        b, first = text_list(items)
        got = read(b, first, count)
        if odd is None:
            assert got == (expected(items), words_of(items))
        else:
            # Not a text list the readers take: they give up (the property then reads it
            # and reports what is wrong), or fail on what they cannot read.
            assert got is None or got is DecodeError, (at, got)
        assert agrees(b, first, count), (at, got)


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_texts_before_their_pointers(count: int) -> None:
    items: List[Item] = [b"back%d" % j for j in range(count)]
    b, first = text_list(items, before=True)
    assert read(b, first, count) is None  # (read by the property instead)


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_cut_short(count: int) -> None:
    items: List[Item] = [b"abcdefghij"[:j + 2] for j in range(count)]
    b, first = text_list(items)
    nul = len(b) - 16 + len(items[-1])  # the last text's NUL (in the last word but one)
    assert b[nul - len(items[-1]):nul] == items[-1] and b[nul] == 0
    for cut in (first + 4, first + 8 * count - 1, first + 8 * count, nul):
        assert read(b[:cut], first, count) in (None, DecodeError), cut
        assert agrees(b[:cut], first, count), cut
    # Its padding is not read.
    assert read(b[:nul + 1], first, count) == (expected(items), words_of(items))


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_bad_utf8(count: int) -> None:
    items: List[Item] = [b"ok"] * count
    items[count - 1] = b"\xff\xfe"
    b, first = text_list(items)
    assert read(b, first, count) is DecodeError


def test_texts_among_the_pointers() -> None:
    # Two pointers: the first to an empty text that is the second (null) pointer's word.
    raw = struct.pack("<IIII", 1, (1 << 3) | 2, 0, 0)
    assert read(raw, 0, 2) == (["", ""], 3)
    # A text of nine bytes whose eighth is a NUL: the length, not the NUL, ends it.
    raw = struct.pack("<II", 1, (9 << 3) | 2) + b"abcdefg\x00" + bytes(8)
    assert read(raw, 0, 1) == (["abcdefg\x00"], 3)


# -- through generated readers: iterating (read ahead) against indexing (lazy) -----------


def box_message(lists: List[List[Item]], gap: int) -> bytes:
    w = Words(root=False)
    w.alloc(1)  # the root pointer
    root = w.alloc(1)
    w.put(0, (root - 1) << 2, 1 << 16)  # a struct of no data and one pointer
    tag = w.alloc(1 + 2 * len(lists))
    w.list_ptr(root, tag, 7, 2 * len(lists))
    w.put(tag, len(lists) << 2, 1 | (1 << 16))
    for k, items in enumerate(lists):
        body = tag + 1 + 2 * k
        struct.pack_into("<Q", w.buf, 8 * body, k)
        ptrs = w.alloc(len(items))
        w.list_ptr(body + 1, ptrs, 6, len(items))
        place_items(w, ptrs, items, gap)
    return struct.pack("<II", 0, len(w.buf) // 8) + bytes(w.buf)


def tags_of(get: Callable[[], Any]) -> Any:
    try:
        return list(get())
    except DecodeError:
        return DecodeError


def iterated_and_indexed(mod: ModuleType, segments: List[bytes], limit: int = 8 << 20) -> Tuple[Any, Any]:
    def box() -> Any:
        if len(segments) == 1:
            return mod.Box_Reader.from_bytes(segments[0], traversal_limit_in_words=limit)
        return mod.Box_Reader.from_segments(segments, traversal_limit_in_words=limit)

    r, lazy = box(), box()
    loaded = [tags_of(lambda e=e: e.tags) for e in r.tagged]  # type: ignore[misc]
    lst = lazy.tagged
    indexed = [tags_of(lambda k=k: lst[k].tags) for k in range(len(lst))]  # type: ignore[misc]
    assert r._ctx.budget == lazy._ctx.budget  # charged the same
    return loaded, indexed


ITEM = st.one_of(st.sampled_from(TEXTS), st.none(), st.binary(max_size=12),
                 st.sampled_from([STRUCT_PTR, WORD_LIST, EMPTY_BYTES, UNTERMINATED]))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(ITEM, max_size=6), max_size=5), st.sampled_from([0, 1, 3]))
def test_loaded_matches_lazy(mod: ModuleType, lists: List[List[Item]], gap: int) -> None:
    data = box_message(lists, gap)
    loaded, indexed = iterated_and_indexed(mod, [data])
    assert loaded == indexed == [expected(items) for items in lists]


@pytest.mark.parametrize("segment_words", [3, 7, 40])
def test_loaded_matches_lazy_across_segments(mod: ModuleType, segment_words: int) -> None:
    lists: List[List[Item]] = [[TEXTS[(k + j) % len(TEXTS)] for j in range(k % 6)]
                               for k in range(24)]
    data = box_message(lists, 0)
    segs = far_copy(data, segment_words)
    assert len(segs) > 2
    loaded, indexed = iterated_and_indexed(mod, segs)
    assert loaded == indexed == [expected(items) for items in lists]


def test_traversal_limit_charged_the_same(mod: ModuleType) -> None:
    lists: List[List[Item]] = [[b"abc", b"defghijkl", b""] for _ in range(30)]
    data = box_message(lists, 0)
    words = (len(data) - 8) // 8
    for limit in (words // 3, words // 2, words - 10, words + 10):
        loaded, indexed = iterated_and_indexed(mod, [data], limit)  # charged the same, too
        assert loaded == indexed
        assert (DecodeError in loaded) == (limit < words), limit
        for g in loaded:
            assert g in (["abc", "defghijkl", ""], DecodeError)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 0xFFFFFFFF), min_size=2, max_size=8), st.binary(max_size=48),
       st.integers(1, 4))
def test_unrolled_readers_agree_with_the_general_one(halves: List[int], tail: bytes, count: int) -> None:
    """Random pointer words (made likelier to look like texts) and bytes after them."""
    halves = halves + [0] * (2 * count - len(halves)) if len(halves) < 2 * count else halves
    words = b"".join(struct.pack("<II", lo & ~2 if lo & 1 else lo, (hi & ~7) | 2 if hi & 1 else hi)
                     for lo, hi in zip(halves[0::2], halves[1::2]))
    b = words + tail
    for view in (b, memoryview(b)):
        assert agrees(view, 0, count)  # type: ignore[arg-type]
