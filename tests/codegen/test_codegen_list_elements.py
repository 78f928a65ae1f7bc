"""Struct list elements read in advance: text lists, elements whose every field is a
slot, far pointers and the traversal budget.

Iterating a ``StructList`` reads each element's plain fields in one loop (see
``emit_loader`` in the generator).  A List(Text) is read by ``_rt.texts``, and an element
of a struct whose every field is read in advance keeps only its list and offset
(``_rt.ListElement``).  Every value here
is checked against the lazy path (indexing the list) and, where it can write or read the
message, against pycapnp.
"""

from __future__ import annotations

import struct
import sys
from types import ModuleType
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.codegen import runtime as rt
from capnp_lite.errors import DecodeError

from .cg_helpers import Words, far_copy, generated_module

CPYTHON = sys.implementation.name != "pypy"  # (PyPy iterates lazily: no loaders)

SCHEMA = """
@0xb1f0c2d3e4a59687;

enum Kind { a @0; b @1; c @2; }

struct Plain {
  name @0 :Text;
  tags @1 :List(Text);
  nums @2 :List(Int32);
  id @3 :UInt64;
  kind @4 :Kind;
  blob @5 :Data;
}

struct Tagged {
  id @0 :UInt64;
  tags @1 :List(Text);
}

struct Box {
  plains @0 :List(Plain);
  tagged @1 :List(Tagged);
}
"""

PLAIN = ("name", "tags", "nums", "id", "kind", "blob")


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_module(tmp_path_factory.mktemp("cgelems"), SCHEMA, "elems.capnp")


@pytest.fixture(scope="module")
def ref(tmp_path_factory: pytest.TempPathFactory) -> Any:
    capnp = pytest.importorskip("capnp")  # (the tests without it run everywhere)
    path = tmp_path_factory.mktemp("cgelems_ref") / "elems.capnp"
    path.write_text(SCHEMA)
    return capnp.load(str(path))


def value(get: Callable[[], Any]) -> Any:
    """A field's value as plain data, or the kind of error reading it raised."""
    try:
        v = get()
        if isinstance(v, (str, bytes, int, float)):
            return int(v) if type(v).__name__ == "Kind" else v
        return list(v)  # (a lazy list reads its elements here)
    except DecodeError:
        return DecodeError


def plain_values(e: Any) -> Dict[str, Any]:
    return {f: value(lambda f=f: getattr(e, f)) for f in PLAIN}  # type: ignore[misc]


def ref_values(e: Any) -> Dict[str, Any]:
    out = {f: getattr(e, f) for f in PLAIN}
    out["kind"] = out["kind"].raw
    out["tags"] = list(out["tags"])
    out["nums"] = list(out["nums"])
    return out


def fill_plain(e: Any, k: int) -> None:
    if k % 6:
        e.name = f"plain {k}" + "\u00fc" * (k % 2)
    e.tags = [("x" * j) + ("\u00e9" if k % 5 == 4 else "") for j in range(k % 7)]
    e.nums = [k - j for j in range(k % 5)]
    e.id = k << 33
    e.kind = ["a", "b", "c"][k % 3]
    if k % 3:
        e.blob = bytes(range(k % 13))


def box_bytes(ref: Any, n: int) -> bytes:
    b = ref.Box.new_message()
    plains = b.init("plains", n)
    for k in range(n):
        fill_plain(plains[k], k)
    data: bytes = b.to_bytes()
    return data


def check_plains(mod: ModuleType, ref: Any, data: Any) -> List[Any]:
    r = mod.Box_Reader.from_bytes(data)
    lst = r.plains
    loaded = list(lst)
    with ref.Box.from_bytes(bytes(data)) as rr:
        want = [ref_values(e) for e in rr.plains]
    assert [plain_values(e) for e in loaded] == want
    assert [plain_values(lst[k]) for k in range(len(lst))] == want
    return loaded


def test_all_slot_elements(mod: ModuleType, ref: Any) -> None:
    data = box_bytes(ref, 40)
    check_plains(mod, ref, data)
    lst = mod.Box_Reader.from_bytes(data).plains
    loaded = list(lst)
    for k, e in enumerate(loaded):
        assert isinstance(e, mod.Plain_Reader)
        if CPYTHON:
            assert isinstance(e, rt.ListElement)
        # The coordinates slow paths use come from the list, and match the lazy reader's.
        lazy = lst[k]
        for a in ("_d", "_n", "_p", "_c", "_k"):
            assert getattr(e, a) == getattr(lazy, a), (k, a)
        assert e._seg is lazy._seg
        sr = e.struct_reader
        assert sr.get_uint64(0) == k << 33
    assert not hasattr(loaded[0], "no_such_field")


def test_all_slot_elements_from_other_buffers(mod: ModuleType, ref: Any) -> None:
    data = box_bytes(ref, 12)
    check_plains(mod, ref, bytearray(data))
    check_plains(mod, ref, memoryview(data))


def test_all_slot_elements_packed_and_chunks(mod: ModuleType, ref: Any) -> None:
    data = box_bytes(ref, 300)  # more than one loader chunk
    check_plains(mod, ref, data)
    with ref.Box.from_bytes(data) as rr:
        packed = rr.as_builder().to_bytes_packed()
        want = [ref_values(e) for e in rr.plains]
    r = mod.Box_Reader.from_bytes_packed(packed)
    assert [plain_values(e) for e in r.plains] == want


@pytest.mark.parametrize("segment_words", [3, 8, 40, 200])
def test_far_pointers(mod: ModuleType, ref: Any, segment_words: int) -> None:
    data = box_bytes(ref, 30)
    want = [plain_values(e) for e in mod.Box_Reader.from_bytes(data).plains]
    segs = far_copy(data, segment_words)
    assert len(segs) > 2
    assert [plain_values(e) for e in mod.Box_Reader.from_segments(segs).plains] == want
    rr = ref.Box.from_segments(segs)
    assert [ref_values(e) for e in rr.plains] == want


def test_budget_charged_as_the_properties_charge(mod: ModuleType, ref: Any) -> None:
    data = box_bytes(ref, 50)
    for segs in ([data], far_copy(data, 40)):
        loaded = (mod.Box_Reader.from_bytes(data) if len(segs) == 1
                  else mod.Box_Reader.from_segments(segs))
        lazy = (mod.Box_Reader.from_bytes(data) if len(segs) == 1
                else mod.Box_Reader.from_segments(segs))
        for e in loaded.plains:
            plain_values(e)
        lst = lazy.plains
        for k in range(len(lst)):
            plain_values(lst[k])
        assert loaded._ctx.budget == lazy._ctx.budget


def test_traversal_limit(mod: ModuleType, ref: Any) -> None:
    data = box_bytes(ref, 60)
    words = (len(data) - 8) // 8
    listed = 1 + 1 + 60 * 6  # the root, the list's tag and its elements
    for limit in (listed + 5, (listed + words) // 2, words - 40):
        r = mod.Box_Reader.from_bytes(data, traversal_limit_in_words=limit)
        elems = list(r.plains)  # iterating never raises
        got = [plain_values(e) for e in elems]
        assert DecodeError in [v for g in got for v in g.values()]
        # Whatever was read before the budget ran out is right.
        full = [plain_values(e) for e in mod.Box_Reader.from_bytes(data).plains]
        for g, w in zip(got, full):
            for f in PLAIN:
                assert g[f] in (w[f], DecodeError)


# -- text lists laid out by hand ---------------------------------------------------


Element = List[Optional[bytes]]  # texts (None: a null pointer)


def tagged_message(elements: List[Element], *, unterminated: Tuple[int, int] = (-1, -1),
                   shared: bool = False, gap: int = 0, truncate: int = 0) -> bytes:
    """A Box whose ``tagged`` list holds one Tagged per entry of ``elements``."""
    w = Words()
    root = w.alloc(2)
    w.struct_ptr(0, root, 0, 2)
    tag = w.alloc(1 + 2 * len(elements))
    w.list_ptr(root + 1, tag, 7, 2 * len(elements))
    w.put(tag, len(elements) << 2, 1 | (1 << 16))
    for k, texts in enumerate(elements):
        body = tag + 1 + 2 * k
        struct.pack_into("<Q", w.buf, 8 * body, k)
        ptrs = w.alloc(len(texts))
        w.list_ptr(body + 1, ptrs, 6, len(texts))
        first: Optional[Tuple[int, int]] = None
        for j, t in enumerate(texts):
            if t is None:
                continue
            if shared and first is not None:
                at, n = first
            else:
                if gap and j:
                    w.alloc(gap)
                at, n = w.text(t, terminate=(k, j) != unterminated)
                first = first or (at, n)
            w.list_ptr(ptrs + j, at, 2, n)
    data = w.message()
    if truncate:
        # The segment ends before the last texts: the segment table says so too.
        words = len(data) // 8 - 1 - truncate
        data = struct.pack("<II", 0, words) + data[8:8 + 8 * words]
    return data


def tagged_values(mod: ModuleType, data: bytes) -> Tuple[List[Any], List[Any]]:
    """(iterated, indexed) values of every element's ``tags``."""
    r = mod.Box_Reader.from_bytes(data)
    loaded = [value(lambda e=e: e.tags) for e in r.tagged]  # type: ignore[misc]
    lst = mod.Box_Reader.from_bytes(data).tagged
    lazy = [value(lambda k=k: lst[k].tags) for k in range(len(lst))]  # type: ignore[misc]
    return loaded, lazy


def test_nulls_shared_and_scattered_texts(mod: ModuleType, ref: Any) -> None:
    elements: List[Element] = [[b"ab", None, b"cde"], [None, b"x"], [None, None],
                               [b""], [b"", b"q"], [], [b"one"]]
    want = [[("" if t is None else t.decode()) for t in e] for e in elements]
    for kw in ({}, {"gap": 3}, {"gap": 200}):
        data = tagged_message(elements, **kw)  # type: ignore[arg-type]
        loaded, lazy = tagged_values(mod, data)
        assert loaded == lazy == want, kw
        with ref.Box.from_bytes(data) as rr:
            assert [list(e.tags) for e in rr.tagged] == want
    shared = tagged_message([[b"same", b"ignored", b"also"]], shared=True)
    loaded, lazy = tagged_values(mod, shared)
    assert loaded == lazy == [["same", "same", "same"]]


def test_same_layout_other_texts(mod: ModuleType) -> None:
    # Lists with identical pointer words (texts of the same lengths) still read their own texts.
    a = tagged_message([[b"abc", b"de"], [b"fgh", b"ij"]])
    b = tagged_message([[b"klm", b"no"], [b"p\xc3\xa9", b"\xe2\x82\xac"]])
    assert tagged_values(mod, a)[0] == [["abc", "de"], ["fgh", "ij"]]
    assert tagged_values(mod, b)[0] == [["klm", "no"], ["p\u00e9", "\u20ac"]]
    assert tagged_values(mod, a)[0] == [["abc", "de"], ["fgh", "ij"]]


def test_unterminated_and_truncated(mod: ModuleType) -> None:
    elements: List[Element] = [[b"ab", b"cd"], [b"ef", b"gh"], [b"ij", b"kl"]]
    data = tagged_message(elements, unterminated=(1, 1))
    loaded, lazy = tagged_values(mod, data)
    assert loaded == lazy == [["ab", "cd"], DecodeError, ["ij", "kl"]]
    cut = tagged_message(elements, truncate=1)
    loaded, lazy = tagged_values(mod, cut)
    assert loaded == lazy
    assert loaded[:2] == [["ab", "cd"], ["ef", "gh"]] and loaded[2] is DecodeError


def test_bad_utf8_and_long_lists(mod: ModuleType) -> None:
    elements: List[Element] = [[b"ok", b"\xff\xfe"], [b"t%d" % j for j in range(12)],
                               [b"x" * 5000], [b"\xc3\xa9" * 3, b"plain"]]
    loaded, lazy = tagged_values(mod, tagged_message(elements))
    assert loaded == lazy
    assert loaded[0] is DecodeError
    assert loaded[1] == ["t%d" % j for j in range(12)]
    assert loaded[2] == ["x" * 5000]
    assert loaded[3] == ["\u00e9" * 3, "plain"]


BIG = 1 << 40  # a traversal budget that never runs out


def test_text_lists_read_in_place() -> None:
    # The pointer words of ["ab", "cde"] written right after the pointers.
    w = Words()
    ptrs = w.alloc(2)
    a, na = w.text(b"ab")
    c, nc = w.text(b"cde")
    w.list_ptr(ptrs, a, 2, na)
    w.list_ptr(ptrs + 1, c, 2, nc)
    raw = bytes(w.buf)
    first = 8 * ptrs
    assert rt.texts(raw, bytes.decode, first, BIG, 2) == (["ab", "cde"], 4)
    # Cut short: reading gives up (None) rather than reads elsewhere.
    assert rt.texts(raw[:first + 8], bytes.decode, first, BIG, 2) is None
    assert rt.texts(raw[:first + 12], bytes.decode, first, BIG, 2) is None


def test_texts_far_apart() -> None:
    w = Words()
    ptrs = w.alloc(2)
    a, na = w.text(b"ab")
    w.alloc(300)
    c, nc = w.text(b"cde")
    w.list_ptr(ptrs, a, 2, na)
    w.list_ptr(ptrs + 1, c, 2, nc)
    raw = bytes(w.buf)
    assert rt.texts(raw, bytes.decode, 8 * ptrs, BIG, 2) == (["ab", "cde"], 4)


def test_texts_among_the_pointers() -> None:
    # Two pointers: the first to an empty text that is the second (null) pointer's word.
    raw = struct.pack("<IIII", 1, (1 << 3) | 2, 0, 0)
    assert rt.texts(raw, bytes.decode, 0, BIG, 2) == (["", ""], 3)
    # A three-element list cut short after those two words must not read as two texts.
    assert rt.texts(raw, bytes.decode, 0, BIG, 3) is None


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=9)), max_size=10), max_size=6),
       st.sampled_from([0, 1, 40]))
def test_random_text_lists(mod: ModuleType, texts: List[List[Optional[str]]], gap: int) -> None:
    elements: List[Element] = [[None if t is None else t.encode() for t in e] for e in texts]
    loaded, lazy = tagged_values(mod, tagged_message(elements, gap=gap))
    want = [[t or "" for t in e] for e in texts]
    # Texts may hold NUL characters: they read back whole (the length says where they end).
    assert loaded == lazy == want


def test_reading_ahead_never_spends_what_a_lazy_read_would_still_have(mod: ModuleType,
                                                                      ref: Any) -> None:
    # Read only the ids, then every field: under any limit, iterating for the ids must leave
    # as much readable as indexing for them does (reading ahead backs off when it is tight).
    data = box_bytes(ref, 60)
    words = (len(data) - 8) // 8

    def ids_then_all(limit: int, iterate: bool) -> Any:
        r = mod.Box_Reader.from_bytes(data, traversal_limit_in_words=limit)
        try:
            lst = r.plains
            for e in (lst if iterate else (lst[k] for k in range(len(lst)))):
                e.id
            lst = r.plains
        except DecodeError:
            return DecodeError
        return [plain_values(lst[k]) for k in range(len(lst))]

    for limit in (words // 2, words, words + 400, 2 * words - 10, 2 * words + 10, 4 * words):
        assert ids_then_all(limit, True) == ids_then_all(limit, False), limit
