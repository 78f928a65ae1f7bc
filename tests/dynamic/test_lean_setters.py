"""The dynamic builder's one-step setters (Text, List(Text), lists of numbers)
and the struct-list iteration that makes every element builder at once.

Each fast setter must write what the general path writes: the same bytes as
the deep copy and as pycapnp, and the same errors.
"""

from __future__ import annotations

from typing import Any, List

import pytest
from hypothesis import given, settings, strategies as st

import capnp_lite.dynamic as dyn
from capnp_lite.errors import EncodeError
from capnp_lite.schema import compile_source

SCHEMA = """
@0xd3c4b5a697887722;

struct Item {
  name @0 :Text;
  tags @1 :List(Text);
  scores @2 :List(Int32);
  big @3 :List(UInt64);
  ratios @4 :List(Float64);
  pick :union {
    none @5 :Void;
    label @6 :Text;
    words @7 :List(Text);
    nums @8 :List(Int16);
  }
}

struct Box {
  items @0 :List(Item);
}
"""


@pytest.fixture(scope="module")
def mod() -> Any:
    return dyn.load_request(compile_source(SCHEMA, "lean.capnp"))


@pytest.fixture(scope="module")
def ref_mod(tmp_path_factory: Any) -> Any:
    capnp = pytest.importorskip("capnp")
    path = tmp_path_factory.mktemp("lean") / "lean.capnp"
    path.write_text(SCHEMA)
    return capnp.load(str(path))


def _copy_bytes(b: Any) -> bytes:
    """What to_bytes() gives through the deep copy (the reference layout)."""
    from capnp_lite.wire.framing import encode_message

    return encode_message(b._copy_out("heuristic"))


item_st = st.fixed_dictionaries({
    "name": st.text(max_size=12),
    "tags": st.lists(st.text(max_size=8), max_size=4),
    "scores": st.lists(st.integers(-(1 << 31), (1 << 31) - 1), max_size=5),
    "big": st.lists(st.integers(0, (1 << 64) - 1), max_size=3),
    "ratios": st.lists(st.floats(allow_nan=False), max_size=3),
})


@settings(max_examples=25, deadline=None)
@given(items=st.lists(item_st, max_size=40))
def test_fast_setters_match_copy_and_pycapnp(mod: Any, ref_mod: Any, items: List[Any]) -> None:
    box = mod.Box.new_message()
    ref = ref_mod.Box.new_message()
    for it, rit, v in zip(box.init("items", len(items)), ref.init("items", len(items)), items):
        for k in ("name", "tags", "scores", "big", "ratios"):
            setattr(it, k, v[k])
            setattr(rit, k, v[k])
    data = box.to_bytes()
    assert data == _copy_bytes(box)
    assert data == ref.to_bytes()
    back = mod.Box.from_bytes(data)
    for r, v in zip(back.items, items):
        assert r.name == v["name"]
        assert list(r.tags) == v["tags"]
        assert list(r.scores) == v["scores"]
        assert list(r.big) == v["big"]
        assert list(r.ratios) == v["ratios"]


def test_tuples_and_unusual_elements(mod: Any) -> None:
    b = mod.Item.new_message()
    b.tags = ("a", "b")
    assert list(b.tags) == ["a", "b"]
    b.tags = ["x", None, b"raw"]  # None and bytes take the general path
    assert list(b.tags) == ["x", "", "raw"]
    b.tags = ["\udcff"]  # a lone surrogate, as the text printer may hand back
    assert b.as_reader().tags.layout.get_data(0) == b"\xff\x00"
    b.scores = (1, 2)
    assert list(b.scores) == [1, 2]
    with pytest.raises(EncodeError):
        b.scores = [True]  # bools are not integers here
    with pytest.raises(EncodeError):
        b.scores = [1.5]
    with pytest.raises(EncodeError):
        b.tags = "not a list"
    assert b.to_bytes() == _copy_bytes(b)


def test_out_of_range_list_leaves_the_field(mod: Any) -> None:
    b = mod.Item.new_message()
    b.scores = [7]
    with pytest.raises(EncodeError):
        b.scores = [1, 1 << 31]
    assert list(b.scores) == [7]
    with pytest.raises(EncodeError):
        b.big = [-1]
    assert list(b.big) == []


def test_union_members_set_the_discriminant(mod: Any) -> None:
    b = mod.Item.new_message()
    p = b.pick
    p.label = "hi"
    assert p.which() == "label" and p.label == "hi"
    p.words = ["p", "q"]
    assert p.which() == "words" and list(p.words) == ["p", "q"]
    p.nums = [1, -2]
    assert p.which() == "nums" and list(p.nums) == [1, -2]
    r = mod.Item.from_bytes(b.to_bytes()).pick
    assert r.which() == "nums" and list(r.nums) == [1, -2]


def test_elements_of_a_shorter_struct_list_refuse_pointer_writes(mod: Any) -> None:
    # A list copied from a reader keeps the writer's (smaller) element size.  The older
    # version of the schema keeps the file ID, so its types have the same IDs.
    small = dyn.load_request(compile_source(
        "@0xd3c4b5a697887722;\nstruct Item { name @0 :Text; }\nstruct Box { items @0 :List(Item); }\n",
        "small.capnp"))
    old = small.Box.new_message()
    for it, name in zip(old.init("items", 2), ["a", "b"]):
        it.name = name
    box = mod.Box.new_message()
    box.items = old.as_reader().items
    elements = list(box.items)
    assert [e.name for e in elements] == ["a", "b"]
    elements[1].name = "c"  # slot 0 exists
    assert [e.name for e in mod.Box.from_bytes(box.to_bytes()).items] == ["a", "c"]
    for setter in ("tags", "scores"):
        with pytest.raises(EncodeError):
            setattr(elements[0], setter, ["x"] if setter == "tags" else [1])


def test_iterated_builders_write_their_own_element(mod: Any) -> None:
    box = mod.Box.new_message()
    items = box.init("items", 3)
    for k, it in enumerate(items):
        it.name = f"n{k}"
        it.scores = [k]
    assert [it.name for it in items] == ["n0", "n1", "n2"]
    assert [list(it.scores) for it in box.items] == [[0], [1], [2]]
    # an element's layout builder is made on demand and agrees with the fast fields
    it = list(items)[2]
    assert it.layout.get_text(0) == "n2"
    assert it.to_dict()["name"] == "n2"
