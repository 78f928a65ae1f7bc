"""The one-step pointer setters (Text, List(Text), lists of numbers) and the allocation-order
tracking they keep, across segment boundaries.

Each test here checks the bytes of the setters against the general path (``_set_field``, which
goes through layout objects) and, where pycapnp is installed, against pycapnp, for the same
sequence of sets: near placements, far ones behind landing pads, lists whose texts do not fit
where the list goes, union switches and overwrites.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import pytest
from hypothesis import given, settings, strategies as st

import capnp_lite.dynamic as dyn
from capnp_lite.errors import EncodeError
from capnp_lite.schema import compile_source
from capnp_lite.wire.framing import encode_message
from capnp_lite.wire.segments import grow_segment

SCHEMA = """
@0xd3c4b5a697887744;

enum Color { red @0; green @1; blue @2; }

struct Item {
  name @0 :Text;
  color @1 :Color;
  price @2 :Float64;
  tags @3 :List(Text);
  scores @4 :List(Int32);
  id @5 :UInt64;
  union {
    none @6 :Void;
    label @7 :Text;
    words @8 :List(Text);
    nums @9 :List(UInt16);
  }
}

struct Catalog {
  title @0 :Text;
  items @1 :List(Item);
}
"""



@pytest.fixture(scope="module")
def mod() -> Any:
    return dyn.load_request(compile_source(SCHEMA, "inline.capnp"))


@pytest.fixture(scope="module")
def ref_mod(tmp_path_factory: Any) -> Any:
    """pycapnp's module of the schema, or None where pycapnp is not installed (the
    comparisons with the general path still run)."""
    try:
        import capnp  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return None
    path = tmp_path_factory.mktemp("inline") / "inline.capnp"
    path.write_text(SCHEMA)
    return capnp.load(str(path))


def _same_as_pycapnp(ref_mod: Any, data: bytes, title: str, items: List[Sets]) -> bool:
    return ref_mod is None or data == _catalog(ref_mod, title, items).to_bytes()


Sets = List[Tuple[str, Any]]


def _set(it: Any, name: str, value: Any, general: bool) -> None:
    if general:
        it._set_field(it._field(name), value)  # through layout objects
    else:
        setattr(it, name, value)


def _catalog(m: Any, title: str, items: List[Sets], general: bool = False) -> Any:
    c = m.Catalog.new_message()
    c.title = title
    out = c.init("items", len(items))
    for it, sets in zip(out, items):
        for name, value in sets:
            _set(it, name, value, general)
    return c


def _ref_copy(ref_mod: Any, data: bytes) -> bytes:
    """pycapnp's message copied as pycapnp copies (pre-order, overwritten values dropped)."""
    with ref_mod.Catalog.from_bytes(data) as r:
        out: bytes = r.as_builder().to_bytes()
    return out


def _bench_item(k: int) -> Sets:
    return [("name", f"item number {k}"), ("color", ["red", "green", "blue"][k % 3]),
            ("price", k * 1.25), ("tags", ["alpha", "beta", f"t{k}"]),
            ("scores", [k, k + 1, k + 2, -k]), ("id", k * 1000)]


# -- a segment boundary crossed mid-list ------------------------------------------


@pytest.mark.parametrize("filler", range(0, 17 * 8, 8))
def test_every_spill_point_matches_pycapnp(mod: Any, ref_mod: Any, filler: int) -> None:
    # Each item takes 17 words; the title's length moves the end of the first
    # segment over each of them, so the first far object is each kind in turn.
    items = [_bench_item(k) for k in range(250)]
    title = "t" * filler
    fast = _catalog(mod, title, items)
    data = fast.to_bytes()  # (lays out the elements still waiting)
    assert len(fast._msg.mb._segments) >= 3
    assert data == _catalog(mod, title, items, general=True).to_bytes()
    assert _same_as_pycapnp(ref_mod, data, title, items)


@pytest.mark.parametrize("first_kind", ["name", "tags", "scores"])
@pytest.mark.parametrize("room", range(0, 12))
def test_each_kind_at_each_room_left(mod: Any, ref_mod: Any, first_kind: str, room: int) -> None:
    """The segment filled to ``room`` words from its end, then one value of each size."""
    values: Dict[str, List[Any]] = {
        "name": ["", "x" * 7, "x" * 8, "y" * 15, "z" * 40],
        "tags": [[], ["a"], ["abcdefg", "abcdefgh"], ["q"] * 5, ["w" * 20, "", "v" * 9]],
        "scores": [[], [1], [1, 2, 3], list(range(8)), list(range(12))],
    }
    n_items = 4
    probe = _catalog(mod, "", [[]] * n_items)
    head = probe._msg.mb._segments[0].used - 1  # all but the empty title's word
    for value in values[first_kind]:
        # The title fills the first segment (1024 words) but ``room`` words.
        title = "t" * ((1024 - head - room) * 8 - 1)
        items: List[Sets] = [[(first_kind, value)], _bench_item(1), _bench_item(2), []]
        assert len(items) == n_items
        fast = _catalog(mod, title, items)
        data = fast.to_bytes()
        assert data == _catalog(mod, title, items, general=True).to_bytes(), (value, room)
        assert _same_as_pycapnp(ref_mod, data, title, items), (value, room)


ascii_st = st.text(st.characters(min_codepoint=1, max_codepoint=127), max_size=20)
text_st = st.one_of(ascii_st, st.text(max_size=6).filter(lambda s: "\0" not in s),
                    st.just("L" * 1100))
value_st: Dict[str, Any] = {
    "name": text_st,
    "tags": st.one_of(st.lists(ascii_st, max_size=6), st.lists(text_st, max_size=4),
                      st.lists(st.just("r"), min_size=30, max_size=36)),
    "scores": st.lists(st.integers(-(1 << 31), (1 << 31) - 1), max_size=12),
    "label": ascii_st,
    "words": st.lists(ascii_st, max_size=4),
    "nums": st.lists(st.integers(0, 0xFFFF), max_size=10),
}


@st.composite
def item_st(draw: Any) -> Sets:
    """Some of the plain pointer fields and at most one union member, in slot order (each
    slot written once, in order: the message stays in pre-order, as pycapnp lays it out)."""
    names = [n for n in ("name", "tags", "scores") if draw(st.booleans())]
    member = draw(st.sampled_from([None, "label", "words", "nums"]))
    if member is not None:
        names.append(member)
    return [(n, draw(value_st[n])) for n in names]


@settings(max_examples=30, deadline=None)
@given(items=st.lists(item_st(), min_size=1, max_size=6), copies=st.integers(1, 50))
def test_random_items_match_the_general_path_and_pycapnp(mod: Any, ref_mod: Any,
                                                         items: List[Sets], copies: int) -> None:
    items = items * copies  # enough to run past the first segment
    data = _catalog(mod, "t", items).to_bytes()
    assert data == _catalog(mod, "t", items, general=True).to_bytes()
    assert _same_as_pycapnp(ref_mod, data, "t", items)


# -- the pending root, unions, overwrites -----------------------------------------


@pytest.mark.parametrize("sets", [
    [("name", "root")],
    [("tags", ["a", "bb", "ccc"])],
    [("scores", [5, -6])],
    [("color", "blue"), ("name", "n"), ("tags", []), ("scores", []), ("id", 3)],
    [("label", "in the union")],
    [("price", 2.5), ("words", ["w"])],
    [("nums", [1, 2, 65535])],
])
def test_first_pointer_on_a_pending_root(mod: Any, ref_mod: Any, sets: Sets) -> None:
    ours = mod.Item.new_message()
    general = mod.Item.new_message()
    for name, value in sets:
        setattr(ours, name, value)
        _set(general, name, value, True)
    assert ours.to_bytes() == general.to_bytes()
    if ref_mod is not None:
        ref = ref_mod.Item.new_message()
        for name, value in sets:
            setattr(ref, name, value)
        assert ours.to_bytes() == ref.to_bytes()
    if sets[-1][0] in ("label", "words", "nums"):
        assert ours.which() == sets[-1][0]


def test_union_members_switch_and_overwrite(mod: Any, ref_mod: Any) -> None:
    sequence: Sets = [("label", "first"), ("words", ["x", "y"]), ("nums", [7, 8]),
                      ("label", "second"), ("nums", [9])]
    items = [list(sequence), _bench_item(3), [("words", ["p"]), ("label", "q")]]
    ours = _catalog(mod, "u", items)
    assert [it.which() for it in ours.items] == ["nums", "none", "label"]
    data = ours.to_bytes()
    assert data == encode_message(ours._copy_out("heuristic"))
    assert data == _catalog(mod, "u", items, general=True).to_bytes()
    if ref_mod is not None:
        assert data == _ref_copy(ref_mod, _catalog(ref_mod, "u", items).to_bytes())


def test_overwritten_values_are_left_out(mod: Any, ref_mod: Any) -> None:
    items = [_bench_item(k) + [("name", "again"), ("tags", ["new"]), ("scores", [1])]
             for k in range(150)]  # enough to go far, where the old values stay behind
    ours = _catalog(mod, "o", items)
    data = ours.to_bytes()
    # Elements of a new list keep their values until laid out, so only the last one of
    # each field is ever written: the message stays in pre-order.
    assert ours._in_preorder()
    eager = _catalog(mod, "o", items, general=True)
    assert eager._msg.order is None  # a slot written twice: the output is a copy
    assert data == eager.to_bytes()
    if ref_mod is not None:
        assert data == _ref_copy(ref_mod, _catalog(ref_mod, "o", items).to_bytes())
    r = mod.Catalog.from_bytes(data)
    assert {(i.name, tuple(i.tags), tuple(i.scores)) for i in r.items} == {("again", ("new",), (1,))}


# -- values refused or re-encoded -------------------------------------------------


def _state(c: Any) -> Tuple[bytes, List[int]]:
    return c.to_bytes(), [s.used for s in c._msg.mb._segments]


@pytest.mark.parametrize("far", [False, True])
def test_out_of_range_numbers_change_nothing(mod: Any, far: bool) -> None:
    c = _catalog(mod, "r", [_bench_item(k) for k in range(150 if far else 4)] + [[]])
    last = c.items[len(c.items) - 1]
    before = _state(c)
    bads: List[Tuple[str, Any]] = [
        ("scores", [1, 1 << 31]), ("scores", (-(1 << 31) - 1,)),
        ("scores", list(range(20)) + [1 << 40]), ("nums", [1, 1 << 16]), ("nums", [-1])]
    for name, bad in bads:
        with pytest.raises(EncodeError):
            setattr(last, name, bad)
        assert _state(c) == before, (name, bad)
    for bad in ([True], [1.0], ["1"]):  # the general path's checks (which may allocate first)
        with pytest.raises(EncodeError):
            last.scores = bad
    assert last.which() == "none"
    last.nums = [65535]  # and the struct still takes a good value
    assert last.which() == "nums" and list(last.nums) == [65535]


def test_out_of_range_on_a_pending_root(mod: Any) -> None:
    ours = mod.Item.new_message()
    ours.id = 4
    with pytest.raises(EncodeError):
        ours.scores = [0, 1 << 33]
    plain = mod.Item.new_message()
    plain.id = 4
    assert ours.to_bytes() == plain.to_bytes()


def test_surrogates_are_written_as_the_bytes_they_stand_for(mod: Any) -> None:
    fast = _catalog(mod, "s", [[("name", "a\udc80b"), ("tags", ["ok", "c\udcffd"])]])
    raw = _catalog(mod, "s", [[("name", b"a\x80b"), ("tags", [b"ok", b"c\xffd"])]], general=True)
    assert fast.to_bytes() == raw.to_bytes()


@pytest.mark.parametrize("tags", [["a", None], ["a", b"b"], ["\u00e9", "x"], ("t",), []])
def test_text_lists_the_one_step_writer_passes_on(mod: Any, ref_mod: Any, tags: Any) -> None:
    items = [_bench_item(k) for k in range(120)] + [[("tags", tags)]]
    fast = _catalog(mod, "p", items)
    assert fast.to_bytes() == _catalog(mod, "p", items, general=True).to_bytes()
    if all(type(t) is str for t in tags):
        assert _same_as_pycapnp(ref_mod, fast.to_bytes(), "p", items)


def test_long_values_in_one_segment_and_across(mod: Any, ref_mod: Any) -> None:
    items: List[Sets] = [[("name", "n" * 1024), ("tags", ["e"] * 33), ("scores", list(range(9)))],
                         [("tags", ["short", "x" * 256])]] * 3
    fast = _catalog(mod, "l", items)
    assert fast.to_bytes() == _catalog(mod, "l", items, general=True).to_bytes()
    assert _same_as_pycapnp(ref_mod, fast.to_bytes(), "l", items)
    fast = mod.Catalog.new_message()
    fast.title = "l"
    seg = fast._msg.mb._segments[0]
    grow_segment(seg, seg.limit)  # room for everything: no write needs the buffer grown
    out = fast.init("items", len(items))
    for it, sets in zip(out, items):
        for name, value in sets:
            setattr(it, name, value)
    assert _same_as_pycapnp(ref_mod, fast.to_bytes(), "l", items)
