"""Generated list loaders read an element's pointer fields at once when every one of them is
a near list pointing forwards that the inline reads take (``load_at_once`` in the generator):
one combined test of the pointers, one budget test, List(Text) fields of 1 to 4 texts
unrolled.  Anything else falls through to the field by field reads.

These tests hold iteration (the loaders) to indexing (the lazy properties) and to pycapnp on
the same bytes: random contents, the same bytes with bytes overwritten, a sweep of traversal
limits (charged the same either way), and the List(Text) readers' promise not to decode
texts the traversal budget cannot pay for.
"""

from __future__ import annotations

import struct
import sys
from types import ModuleType
from typing import Any, Callable, List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.codegen import runtime as rt
from capnp_lite.errors import DecodeError

from .cg_helpers import Words, generated_module

SCHEMA = """
@0xb3d1c5e7f9a20468;

struct Rec {
  name @0 :Text;
  blob @1 :Data;
  tags @2 :List(Text);
  nums @3 :List(Int32);
  more @4 :List(Text);
  vals @5 :List(Float64);
  id @6 :UInt64;
}

struct Box {
  recs @0 :List(Rec);
}
"""

FIELDS = ("name", "blob", "tags", "nums", "more", "vals", "id")
PYPY = sys.implementation.name == "pypy"


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_module(tmp_path_factory.mktemp("cgatonce"), SCHEMA, "atonce.capnp")


@pytest.fixture(scope="module")
def ref(tmp_path_factory: pytest.TempPathFactory) -> Any:
    capnp = pytest.importorskip("capnp")
    path = tmp_path_factory.mktemp("cgatonce_ref") / "atonce.capnp"
    path.write_text(SCHEMA)
    return capnp.load(str(path))


Rec = Tuple[Optional[str], Optional[bytes], Optional[List[str]], Optional[List[int]],
            Optional[List[str]], Optional[List[float]], int]

TEXT = st.text(max_size=20)
RECS = st.lists(st.tuples(
    st.none() | TEXT, st.none() | st.binary(max_size=20),
    st.none() | st.lists(st.text(max_size=10), max_size=6),
    st.none() | st.lists(st.integers(-2**31, 2**31 - 1), max_size=18),
    st.none() | st.lists(TEXT, max_size=5),
    st.none() | st.lists(st.floats(allow_nan=False), max_size=3),
    st.integers(0, 2**64 - 1)), max_size=6)


def build(mod: ModuleType, recs: List[Rec]) -> bytes:
    box = mod.Box_Builder()
    items = box.init_recs(len(recs))
    for it, rec in zip(items, recs):
        for f, v in zip(FIELDS, rec):
            if v is not None:  # (unset pointers stay null)
                setattr(it, f, v)
    data: bytes = box.to_bytes()
    return data


def value(get: Callable[[], Any]) -> Any:
    """A field's value as plain data, or DecodeError."""
    try:
        v = get()
        if isinstance(v, (list, tuple, rt.LazyList)):
            # (a lazy list reads its elements here) floats as their bits: a NaN equals itself
            return [struct.pack("<d", x) if isinstance(x, float) else x for x in v]
        return v
    except DecodeError:
        return DecodeError


def loaded_and_indexed(mod: ModuleType, data: bytes, limit: int = 8 << 20
                       ) -> Tuple[List[Any], List[Any]]:
    """Every field of every element, read through iteration and through indexing, from two
    readers of ``data``; both must have charged the traversal budget the same."""
    try:
        r = mod.Box_Reader.from_bytes(data, traversal_limit_in_words=limit)
        lazy = mod.Box_Reader.from_bytes(data, traversal_limit_in_words=limit)
        elems = list(r.recs)
        lst = lazy.recs
    except DecodeError:
        return [DecodeError], [DecodeError]
    loaded = [[value(lambda f=f, e=e: getattr(e, f)) for f in FIELDS]  # type: ignore[misc]
              for e in elems]
    indexed = [[value(lambda f=f, k=k: getattr(lst[k], f)) for f in FIELDS]  # type: ignore[misc]
               for k in range(len(lst))]
    assert r._ctx.budget == lazy._ctx.budget
    return loaded, indexed


def expected(recs: List[Rec]) -> List[Any]:
    return [[name or "", blob or b"", tags or [], nums or [], more or [],
             [struct.pack("<d", x) for x in vals or []], id_]
            for name, blob, tags, nums, more, vals, id_ in recs]


@settings(max_examples=40, deadline=None)
@given(RECS)
def test_random_contents(mod: ModuleType, recs: List[Rec]) -> None:
    data = build(mod, recs)
    loaded, indexed = loaded_and_indexed(mod, data)
    assert loaded == indexed == expected(recs)


def test_matches_pycapnp(mod: ModuleType, ref: Any) -> None:
    recs: List[Rec] = []
    for k in range(60):
        recs.append((f"n{k}" * (k % 5) if k % 7 else None, bytes(range(k % 13)),
                     [f"t{j}" * (k % 9) + "\u00e9" * (j % 2) for j in range(k % 7)],
                     [k * j for j in range(k % 17)], ["x" * (k % 70)] * (k % 4) if k % 3 else None,
                     [k / 4] * (k % 3), k << 30))
    data = build(mod, recs)
    loaded, indexed = loaded_and_indexed(mod, data)
    with ref.Box.from_bytes(data) as rr:
        theirs = [[e.name, e.blob, list(e.tags), list(e.nums), list(e.more), list(e.vals), e.id]
                  for e in rr.recs]
    assert loaded == indexed == expected(recs)
    for row, want in zip(loaded, theirs):
        assert row[:5] + row[6:] == want[:5] + want[6:]
        assert row[5] == [struct.pack("<d", x) for x in want[5]]
    if not PYPY:  # (PyPy iterates lazily)
        e = next(iter(mod.Box_Reader.from_bytes(data).recs))
        assert type(e) is not mod.Rec_Reader  # read ahead, as slots


@settings(max_examples=60, deadline=None)
@given(RECS, st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1,
                      max_size=6))
def test_overwritten_bytes(mod: ModuleType, recs: List[Rec],
                           writes: List[Tuple[int, int]]) -> None:
    """Malformed input: iterating never raises, and each field reads (or fails) as the lazy
    property reads it, with the same charge."""
    data = bytearray(build(mod, recs))
    body = len(data) - 8
    for at, byte in writes:
        data[8 + at % body] = byte  # (the frame header stays)
    loaded, indexed = loaded_and_indexed(mod, bytes(data))
    assert loaded == indexed


def test_an_element_that_cannot_be_read_ahead_stops_the_read_ahead(mod: ModuleType) -> None:
    """Element 0's List(Text) pointer made a Void list of 2^23 elements: reading it costs the
    whole traversal budget.  Indexing reads it first and then has nothing left for the other
    elements; iteration must not have read (and charged) them before it."""
    recs: List[Rec] = [(None, None, ["", "x"], [0] * 7, None, None, 0),
                       (None, None, None, None, ["", "y"], None, 0),
                       ("z" * 7, None, None, None, ["", ""], None, 0)]
    data = bytearray(build(mod, recs))
    box = 16 + 8 * (struct.unpack_from("<I", data, 8)[0] >> 2)  # Box: no data, one pointer
    tag = box + 8 + 8 * (struct.unpack_from("<I", data, box)[0] >> 2)  # the list's tag word
    more = tag + 8 + 8 + 8 * 4  # element 0 (one data word)'s pointer 4, `more`: null here
    assert data[more:more + 8] == bytes(8)
    struct.pack_into("<II", data, more, 1, 1 << 26)  # near list, Void elements, 2^23 of them
    loaded, indexed = loaded_and_indexed(mod, bytes(data))
    assert loaded == indexed
    assert loaded[0][4] is DecodeError  # (a Void list is no List(Text))
    assert loaded[1][4] is DecodeError  # the budget is gone


@settings(max_examples=40, deadline=None)
@given(RECS, st.data())
def test_pointer_words_bent(mod: ModuleType, recs: List[Rec], data: st.DataObject) -> None:
    """Pointer halves changed the way that gets past one test and not the next: kind, size
    code, sign bit, counts near the limits."""
    raw = bytearray(build(mod, recs))
    words = (len(raw) - 8) // 8
    for _ in range(data.draw(st.integers(1, 4))):
        w = 8 + 8 * data.draw(st.integers(0, words - 1))
        lo, hi = struct.unpack_from("<II", raw, w)
        how = data.draw(st.sampled_from(["kind", "size", "sign", "count", "zero count"]))
        if how == "kind":
            lo = (lo & ~3) | data.draw(st.integers(0, 3))
        elif how == "size":
            hi = (hi & ~7) | data.draw(st.integers(0, 7))
        elif how == "sign":
            lo |= 0x80000000
        elif how == "count":
            hi = (hi & 7) | (data.draw(st.sampled_from([1, 4, 5, 15, 16, 17, 4095, 4096, 4097])) << 3)
        else:
            hi &= 7
        struct.pack_into("<II", raw, w, lo, hi)
    loaded, indexed = loaded_and_indexed(mod, bytes(raw))
    assert loaded == indexed


def test_traversal_limits(mod: ModuleType) -> None:
    recs: List[Rec] = [(f"name {k}", b"bb", ["a", "bc", "def"][: k % 4], [k] * (k % 5),
                        ["m" * 9] * (k % 3), [0.5], k) for k in range(40)]
    data = build(mod, recs)
    words = (len(data) - 8) // 8
    for limit in (words // 4, words // 2, words - 7, words - 1, words, words + 5, 3 * words):
        loaded, indexed = loaded_and_indexed(mod, data, limit)  # charged the same
        assert loaded == indexed, limit
        if limit > 2 * words:
            assert loaded == expected(recs), limit
        elif limit < words // 2:
            assert loaded == [DecodeError] or any(DecodeError in row for row in loaded), limit


# -- the List(Text) readers decode nothing the budget cannot pay for ----------------------


def counting_decoder() -> Tuple[Callable[[Any], str], List[int]]:
    seen: List[int] = []

    def dec(raw: Any) -> str:
        seen.append(len(raw))
        return bytes(raw).decode()

    return dec, seen


def text_list(texts: List[bytes]) -> Tuple[bytes, int]:
    w = Words(root=False)
    ptrs = w.alloc(len(texts))
    for j, t in enumerate(texts):
        at, n = w.text(t)
        w.list_ptr(ptrs + j, at, 2, n)
    w.alloc(1)
    return bytes(w.buf), 8 * ptrs


@pytest.mark.parametrize("count", list(range(0, 17)))
def test_readers_stay_within_budget(count: int) -> None:
    texts = [b"x" * (5 + 9 * j) for j in range(count)]
    b, first = text_list(texts)
    words = count + sum((len(t) + 8) // 8 for t in texts)
    dec, seen = counting_decoder()
    assert rt.TEXT_LISTS[count](b, dec, first, words) == ([t.decode() for t in texts], words)
    for budget in range(0, words):
        dec, seen = counting_decoder()
        assert rt.TEXT_LISTS[count](b, dec, first, budget) is None
        assert sum((n + 8) // 8 for n in seen) + count <= max(budget, count), budget


@pytest.mark.parametrize("count", [1, 2, 4, 5, 16])
def test_readers_check_the_budget_before_reading(count: int) -> None:
    # Null elements cost their pointer words.
    b = bytes(8 * count)
    assert rt.TEXT_LISTS[count](b, bytes.decode, 0, count - 1) is None
    assert rt.TEXT_LISTS[count](b, bytes.decode, 0, count) == ([""] * count, count)
    # Texts past the end of the buffer the budget cannot pay for: refused before they are
    # looked at (None, not IndexError), whichever reader the count takes.
    w = Words(root=False)
    ptrs = w.alloc(count)
    for j in range(count):
        w.list_ptr(ptrs + j, ptrs + count + 100 * (j + 1), 2, 80)
    assert rt.TEXT_LISTS[count](bytes(w.buf), bytes.decode, 8 * ptrs, count) is None


def shared_targets(n: int, text_bytes: int) -> bytes:
    """A Box of ``n`` Recs whose tags all point at the same three texts (and whose vals all
    point at the same two floats): reading them costs far more than the message's words."""
    w = Words(root=False)
    w.alloc(1)
    root = w.alloc(1)
    w.put(0, (root - 1) << 2, 1 << 16)
    tag = w.alloc(1 + 7 * n)
    w.list_ptr(root, tag, 7, 7 * n)
    w.put(tag, n << 2, 1 | (6 << 16))  # 1 data word, 6 pointers
    ptrs = w.alloc(3)
    for j in range(3):
        at, cnt = w.text(b"y" * text_bytes)
        w.list_ptr(ptrs + j, at, 2, cnt)
    vals = w.alloc(2)
    w.buf[8 * vals:8 * vals + 16] = struct.pack("<2d", 0.5, 1.5)
    for k in range(n):
        w.list_ptr(tag + 1 + 7 * k + 1 + 2, ptrs, 6, 3)  # element k's tags
        w.list_ptr(tag + 1 + 7 * k + 1 + 5, vals, 5, 2)  # and its vals
    return w.message()


def test_property_does_not_decode_past_the_budget(mod: ModuleType) -> None:
    # Many elements whose List(Text) all point at the same large texts: once the budget is
    # spent, reading them must not decode those texts again and again.
    n = 50
    data = shared_targets(n, 4000)
    limit = 4000
    box = mod.Box_Reader.from_bytes(data, traversal_limit_in_words=limit)
    decoded: List[int] = []
    real = rt.TEXT_LISTS[3]

    def spy(b: Any, dec: Callable[[Any], str], first: int, budget: int) -> Any:
        def counting(raw: Any) -> str:
            decoded.append(len(raw))
            return dec(raw)
        return real(b, counting, first, budget)

    lst = box.recs
    readers = list(rt.TEXT_LISTS)
    readers[3] = spy
    saved = rt.TEXT_LISTS
    rt.TEXT_LISTS = tuple(readers)
    try:
        results = [value(lambda k=k: lst[k].tags) for k in range(n)]  # type: ignore[misc]
    finally:
        rt.TEXT_LISTS = saved
    assert results[0] == ["y" * 4000] * 3
    assert DecodeError in results  # the budget ran out on the way
    assert sum(decoded) <= 8 * limit  # and nothing was decoded past it


@pytest.mark.parametrize("byte", [0x78, 0xFF, 0x00, 0x01])
def test_every_byte_overwritten(mod: ModuleType, byte: int) -> None:
    """Each byte of a small message overwritten in turn (NULs, UTF-8, pointer bits, counts):
    iteration and indexing agree on every field."""
    recs: List[Rec] = [("abc", b"xy", ["d", "ef", "ghi"], [1, 2], ["j"], [0.5], 7),
                       ("klmnopqrs", None, ["t", "u"], None, ["v", "w", "x", "y"], None, 8)]
    data = build(mod, recs)
    for at in range(8, len(data)):
        raw = bytearray(data)
        raw[at] = byte
        loaded, indexed = loaded_and_indexed(mod, bytes(raw))
        assert loaded == indexed, at


@pytest.mark.skipif(PYPY, reason="PyPy iterates lazily: no loader runs there")
def test_read_ahead_charges_as_indexing_when_the_budget_runs_out(mod: ModuleType) -> None:
    """Shared targets let a message of few words cost many: the loader reads ahead while the
    budget runs out on the way, and must charge exactly what indexing charges (an element
    whose texts it cannot pay for is left to be read when used)."""
    data = shared_targets(40, 40)
    words = (len(data) - 8) // 8
    ran: List[int] = []
    load, size, nptrs = mod.Rec_Reader._LOAD

    def counting(lst: Any, start: int, stop: int) -> Any:
        ran.append(stop - start)
        return load(lst, start, stop)

    mod.Rec_Reader._LOAD = (counting, size, nptrs)
    try:
        exhausted = 0
        for limit in range(2 * words + 2, 2 * words + 400, 7):
            loaded, indexed = loaded_and_indexed(mod, data, limit)  # asserts the same charge
            assert loaded == indexed, limit
            exhausted += any(DecodeError in row for row in loaded)
    finally:
        mod.Rec_Reader._LOAD = (load, size, nptrs)
    assert ran  # the loader did read ahead
    assert exhausted  # and the budget did run out on the way
