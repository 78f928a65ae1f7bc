"""The text printer reads Text, struct and list fields through the reader's own properties
(their one-pass fast paths), and through the layout readers when those refuse a value.

Whichever way a field is read, the text, the error and the traversal budget spent must be
those of the layout readers alone: each test prints with the properties and with them
turned off (``printer.PROPERTY_READS``) and compares.
"""

from __future__ import annotations

from typing import Any, Callable, List, Tuple

import pytest
from hypothesis import given, settings, strategies as st

import capnp_lite.dynamic as dyn
from capnp_lite.errors import DecodeError
from capnp_lite.schema import compile_source
from capnp_lite.text import printer

SCHEMA = """
@0xe3c4b5a697887725;

enum Color { red @0; green @1; blue @2; }

struct Inner {
  label @0 :Text;
  values @1 :List(Float64);
}

struct Item {
  name @0 :Text;
  tags @1 :List(Text);
  scores @2 :List(Int32);
  flags @3 :List(Bool);
  colors @4 :List(Color);
  inner @5 :Inner;
  children @6 :List(Inner);
  blob @7 :Data;
  nested @8 :List(List(Text));
  id @9 :UInt64;
}
"""


@pytest.fixture(scope="module")
def mod() -> Any:
    return dyn.load_request(compile_source(SCHEMA, "printer_paths.capnp"))


def _outcome(read: Callable[[], Any]) -> Tuple[str, str, int]:
    """(what printed or the error's type, its text, the budget left)."""
    try:
        r = read()
    except Exception as exc:  # noqa: BLE001 - the error is what is compared
        return type(exc).__name__, str(exc), -1
    try:
        text = str(r)
        return "ok", text, r._ctx.budget
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__, str(exc), r._ctx.budget


def _count_layout_reads(monkeypatch: Any) -> List[int]:
    """A list that grows by one at each pointer the printer reads through the layout readers."""
    reads: List[int] = []
    real = printer.read_pointer

    def counting(*args: Any) -> Any:
        reads.append(1)
        return real(*args)

    monkeypatch.setattr(printer, "read_pointer", counting)
    return reads


def _both(mod: Any, read: Callable[[], Any]) -> Tuple[Tuple[str, str, int], Tuple[str, str, int]]:
    fast = _outcome(read)
    printer.PROPERTY_READS = False
    try:
        slow = _outcome(read)
    finally:
        printer.PROPERTY_READS = True
    return fast, slow


TEXTS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


def _build(mod: Any, data: Any) -> bytes:
    it = mod.Item.new_message()
    if data.draw(st.booleans()):
        it.name = data.draw(TEXTS)
    if data.draw(st.booleans()):
        it.tags = data.draw(st.lists(TEXTS, max_size=6))
    if data.draw(st.booleans()):
        it.scores = data.draw(st.lists(st.integers(-(2**31), 2**31 - 1), max_size=20))
    if data.draw(st.booleans()):
        it.flags = data.draw(st.lists(st.booleans(), max_size=70))
    if data.draw(st.booleans()):
        it.colors = data.draw(st.lists(st.sampled_from(["red", "green", "blue"]), max_size=4))
    if data.draw(st.booleans()):
        it.inner = {"label": data.draw(TEXTS), "values": data.draw(st.lists(st.floats(), max_size=3))}
    if data.draw(st.booleans()):
        n = data.draw(st.integers(0, 3))
        children = it.init("children", n)
        for i in range(n):
            children[i].label = data.draw(TEXTS)
    if data.draw(st.booleans()):
        it.blob = data.draw(st.binary(max_size=10))
    if data.draw(st.booleans()):
        it.nested = data.draw(st.lists(st.lists(TEXTS, max_size=2), max_size=2))
    it.id = data.draw(st.integers(0, 2**64 - 1))
    return it.to_bytes()  # type: ignore[no-any-return]


def _spoil_utf8(data: bytes, at: int) -> bytes:
    """``data`` with one byte of ASCII letters made 0xFF (a Text that is not UTF-8)."""
    spots = [i for i, b in enumerate(data) if 0x61 <= b <= 0x7A]
    if not spots:
        return data
    out = bytearray(data)
    out[spots[at % len(spots)]] = 0xFF
    return bytes(out)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_same_text_either_way(mod: Any, data: Any) -> None:
    raw = _build(mod, data)
    if data.draw(st.booleans()):
        raw = _spoil_utf8(raw, data.draw(st.integers(0, 1000)))
    fast, slow = _both(mod, lambda: mod.Item.from_bytes(raw))
    assert fast == slow


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_same_budget_and_limit_errors(mod: Any, data: Any) -> None:
    raw = _build(mod, data)
    if data.draw(st.booleans()):
        raw = _spoil_utf8(raw, data.draw(st.integers(0, 1000)))
    words = len(raw) // 8
    for limit in sorted({max(1, words - k) for k in range(0, words, max(1, words // 12))} | {words + 8}):
        fast, slow = _both(mod, lambda: mod.Item.from_bytes(raw, traversal_limit_in_words=limit))
        assert fast == slow, limit


def test_text_that_is_not_utf8_prints_its_bytes(mod: Any) -> None:
    it = mod.Item.new_message(name="abc", tags=["ok", "xy"])
    it.inner.label = "lab"
    raw = it.to_bytes()
    for word in (b"abc", b"xy", b"lab"):
        spoilt = bytearray(raw)
        spoilt[raw.index(word)] = 0xFF
        r = mod.Item.from_bytes(bytes(spoilt))
        text = str(r)
        assert "\udcff" in text  # the raw byte, kept by surrogateescape as the printer does
        fast, slow = _both(mod, lambda: mod.Item.from_bytes(bytes(spoilt)))
        assert fast == slow
    with pytest.raises(DecodeError):
        mod.Item.from_bytes(bytes(spoilt)).inner.label  # noqa: B018 - the property refuses it


def test_the_switch_reads_through_the_layout_readers(mod: Any, monkeypatch: Any) -> None:
    """``PROPERTY_READS = False`` really takes the other way (else the comparisons above
    would compare one way with itself)."""
    raw = mod.Item.new_message(name="n", tags=["t"], scores=[1], inner={"label": "l"}).to_bytes()
    reads = _count_layout_reads(monkeypatch)
    str(mod.Item.from_bytes(raw))
    assert reads == []
    fast, slow = _both(mod, lambda: mod.Item.from_bytes(raw))
    assert fast == slow and len(reads) == 5  # name, tags, scores, inner and its label


def test_the_properties_are_used(mod: Any) -> None:
    r = mod.Item.from_bytes(mod.Item.new_message(name="n", tags=["t"]).to_bytes())
    str(r)
    plan = type(r).__dict__["_print_plan"]  # (field, prefix, getter, formatter) each
    getters = [field.name for field, _, get, fmt in plan if field.is_pointer and get is not None]
    assert sorted(getters) == ["children", "flags", "inner", "name", "scores", "tags"]


def test_a_failure_deep_down_is_not_retried_at_every_level(mod: Any, monkeypatch: Any) -> None:
    """Only a field's own read is retried through the layout readers: an error further down
    a value it returned propagates once, however deep."""
    it = mod.Item.new_message()
    children = it.init("children", 2)
    children[1].label = "deep"
    raw = bytearray(it.to_bytes())
    # Break the second child's label pointer: a struct pointer where a list pointer belongs.
    r = mod.Item.from_bytes(bytes(raw))
    child = r.children[1]
    at = (child._seg.id, child._p)
    assert at[0] == 0
    raw[8 + at[1] * 8] = (raw[8 + at[1] * 8] & ~3) & 0xFF  # kind 0: a struct pointer
    reads = _count_layout_reads(monkeypatch)
    with pytest.raises(DecodeError):
        str(mod.Item.from_bytes(bytes(raw)))
    assert len(reads) <= 1  # the label's own retry, nothing above it
