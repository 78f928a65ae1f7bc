"""The dynamic API's fast paths: per-field properties and to_bytes() without a copy.

Every fast path is checked against a slower reference: the generic field
accessors (``_get``), the deep copy ``to_bytes()`` falls back to, and pycapnp.
"""

from __future__ import annotations

import math
import os
from typing import Any, Dict, List

import pytest
from hypothesis import given, settings, strategies as st

import capnp_lite.dynamic as dyn
from capnp_lite.errors import EncodeError
from capnp_lite.schema import compile_source
from capnp_lite.wire.framing import encode_message

SCHEMA = """
@0xd3c4b5a697887711;

enum Color { red @0; green @1; blue @2; }

struct Item {
  name @0 :Text;
  color @1 :Color;
  price @2 :Float64;
  weight @3 :Float32;
  tags @4 :List(Text);
  scores @5 :List(Int32);
  id @6 :UInt64;
  flag @7 :Bool;
  small @8 :Int8;
}

struct Catalog {
  title @0 :Text;
  items @1 :List(Item);
  best @2 :Item;
  nested @3 :List(List(Text));
  choice :union {
    none @4 :Void;
    note @5 :Text;
    count @6 :UInt16;
  }
}

struct Named {
  which @0 :UInt8;
  init @1 :Text;
  plain @2 :Int32;
}
"""


@pytest.fixture(scope="module")
def mod() -> Any:
    return dyn.load_request(compile_source(SCHEMA, "fast.capnp"))


def copied_bytes(builder: Any) -> bytes:
    """What to_bytes() gives through the deep copy (the reference layout)."""
    return encode_message(builder._copy_out("heuristic"))


def item_values(k: int) -> Dict[str, Any]:
    return dict(name=f"item number {k}", color=k % 3, price=k * 1.25, weight=k * 0.5,
                tags=["alpha", "beta", f"t{k}"], scores=[k, k + 1, -k], id=k * 1000)


def build_in_order(mod: Any, n: int) -> Any:
    c = mod.Catalog.new_message()
    c.title = "catalog"
    items = c.init("items", n)
    for it, v in zip(items, [item_values(k) for k in range(n)]):
        for name, value in v.items():
            setattr(it, name, value)
    return c


@pytest.mark.parametrize("n", [0, 1, 3, 150])  # 150 items overflow the first segment
def test_in_order_build_skips_the_copy_and_matches_it(mod: Any, n: int) -> None:
    c = build_in_order(mod, n)
    assert c._in_preorder()
    assert c.to_bytes() == copied_bytes(c)
    assert c.to_segments() == c._copy_out("heuristic")
    if n < 150:
        assert len(c.to_segments()) == 1
        assert c.to_flat_bytes() == c._copy_out("single")[0]
    else:
        assert len(c.to_segments()) > 1


@pytest.fixture(scope="module")
def ref_mod(tmp_path_factory: Any) -> Any:
    capnp = pytest.importorskip("capnp")
    path = os.path.join(str(tmp_path_factory.mktemp("fast")), "fast.capnp")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(SCHEMA)
    return capnp.load(path)  # once: pycapnp aborts on a second load of one file ID


@pytest.mark.parametrize("n", [2, 150])
def test_in_order_build_matches_pycapnp(mod: Any, n: int, ref_mod: Any) -> None:
    ref = ref_mod.Catalog.new_message()
    ref.title = "catalog"
    items = ref.init("items", n)
    for it, v in zip(items, [item_values(k) for k in range(n)]):
        for name, value in v.items():
            setattr(it, name, ["red", "green", "blue"][value] if name == "color" else value)
    ours = build_in_order(mod, n)
    assert ours._in_preorder()
    assert ours.to_bytes() == ref.to_bytes()


# Each edit breaks pre-order (or leaves garbage); to_bytes() must then still
# equal the copy, and the message must know it is out of order.
def _title_after_items(c: Any) -> None:
    c.init("items", 2)[0].name = "x"
    c.title = "late"


def _overwrite_text(c: Any) -> None:
    c.title = "first"
    c.title = "second"


def _clear_pointer(c: Any) -> None:
    c.title = "gone"
    c.title = None


def _union_switch(c: Any) -> None:
    c.choice.note = "a note"
    c.choice.count = 7


def _back_to_earlier_item(c: Any) -> None:
    c.as_reader()  # a view of the words: new lists are written eagerly from now on
    items = c.init("items", 2)
    items[1].name = "one"
    items[0].name = "zero"


def test_dict_elements_are_laid_out_in_slot_order(mod: Any) -> None:
    c = mod.Catalog.new_message()
    c.items = [{"tags": ["a"], "name": "n"}, {"scores": [1], "name": "m"}]
    assert c._in_preorder()
    assert c.to_bytes() == copied_bytes(c)
    assert c.to_dict()["items"][1] == {
        "name": "m", "color": "red", "price": 0.0, "weight": 0.0, "scores": [1],
        "id": 0, "flag": False, "small": 0}


def test_waiting_elements_are_laid_out_in_slot_order(mod: Any) -> None:
    # Without a view of the message, a new list's elements keep their values until
    # something reads the words, and are laid out in slot order then.
    c = mod.Catalog.new_message()
    items = c.init("items", 2)
    items[1].name = "one"
    items[0].name = "zero"
    items[1].tags = ["b"]
    assert c._in_preorder()
    assert c.to_bytes() == copied_bytes(c)
    assert [(i.name, list(i.tags)) for i in c.items] == [("zero", []), ("one", ["b"])]


def _dict_elements_out_of_slot_order(c: Any) -> None:
    c.as_reader()  # (else the elements wait, and are laid out in slot order: see below)
    c.items = [{"tags": ["a"], "name": "n"}]


def _list_element_after_fill(c: Any) -> None:
    c.nested = [["a"], ["b"]]
    c.nested.init(0, 1)


def _reader_copied_into_struct(c: Any) -> None:
    c.best.name = "b"
    src = c.best.as_reader()
    c.init("items", 1)[0] = src


BREAKERS = [_title_after_items, _overwrite_text, _clear_pointer,
            _back_to_earlier_item, _dict_elements_out_of_slot_order, _list_element_after_fill,
            _reader_copied_into_struct]


@pytest.mark.parametrize("edit", BREAKERS)
def test_out_of_order_builds_fall_back_to_the_copy(mod: Any, edit: Any) -> None:
    c = mod.Catalog.new_message()
    edit(c)
    assert not c._in_preorder()
    data = c.to_bytes()
    assert data == copied_bytes(c)
    # The copy drops what the builder left behind.
    assert len(data) <= len(encode_message(c._msg.mb.segments()))


def test_union_switch_keeps_the_old_pointer_like_the_copy(mod: Any) -> None:
    c = mod.Catalog.new_message()
    _union_switch(c)  # the note's pointer stays, in the copy too
    assert c._in_preorder()
    assert c.to_bytes() == copied_bytes(c)


def test_orders_that_stay_in_preorder(mod: Any) -> None:
    c = mod.Catalog.new_message()
    c.title = "t"
    c.choice.note = "n"  # skipping slots (items, best, nested) keeps the order
    assert c._in_preorder()
    assert c.to_bytes() == copied_bytes(c)
    c2 = mod.Catalog.new_message()
    c2.title = "t"
    c2.best.name = "b"
    c2.best.tags = ["x", "y"]
    c2.best.scores = [1]
    c2.nested = [["a", "b"], [], ["c"]]
    c2.choice.note = "n"
    assert c2._in_preorder()
    assert c2.to_bytes() == copied_bytes(c2)
    # a non-root builder's to_bytes() copies its own subtree
    assert c2.best.to_bytes() == copied_bytes(c2.best)


def test_builder_from_reader_copies(mod: Any) -> None:
    c = build_in_order(mod, 2)
    b = mod.Catalog.from_bytes(c.to_bytes(), builder=True)
    assert not b._in_preorder()
    assert b.to_bytes() == c.to_bytes()


_field_values = st.fixed_dictionaries({}, optional={
    "name": st.text(max_size=8),
    "color": st.sampled_from(["red", "green", "blue", 0, 1, 2]),
    "price": st.floats(allow_nan=False),
    "weight": st.floats(width=32, allow_nan=False),
    "tags": st.lists(st.text(max_size=4), max_size=3),
    "scores": st.lists(st.integers(-(2**31), 2**31 - 1), max_size=4),
    "id": st.integers(0, 2**64 - 1),
    "flag": st.booleans(),
    "small": st.integers(-128, 127),
})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "item", "best", "note", "count"]),
                          _field_values), max_size=6))
def test_any_sequence_of_writes_serialises_like_the_copy(mod: Any, steps: List[Any]) -> None:
    c = mod.Catalog.new_message()
    items = None
    for what, values in steps:
        if what == "title":
            c.title = values.get("name", "")
        elif what == "item":
            if items is None:
                items = c.init("items", 2)
            for name, value in values.items():
                setattr(items[len(values) % 2], name, value)
        elif what == "best":
            for name, value in values.items():
                setattr(c.best, name, value)
        elif what == "note":
            c.choice.note = values.get("name", "")
        else:
            c.choice.count = len(values)
    assert c.to_bytes() == copied_bytes(c)
    back = mod.Catalog.from_bytes(c.to_bytes())
    assert back.to_dict() == c.to_dict()


def test_properties_agree_with_generic_accessors(mod: Any) -> None:
    c = build_in_order(mod, 3)
    c.best.flag = True
    c.best.small = -7
    c.choice.count = 9
    for view in (c, mod.Catalog.from_bytes(c.to_bytes())):
        for obj in [view, view.best] + list(view.items):
            for field in obj.schema.fields_list:
                if field.group is None and field.kind not in ("struct", "list"):
                    assert getattr(obj, field.name) == obj._get_field(field), field.name
    r = mod.Catalog.from_bytes(c.to_bytes())
    assert [it.color for it in r.items] == ["red", "green", "blue"]
    assert [list(it.tags) for it in r.items] == [item_values(k)["tags"] for k in range(3)]
    assert r.choice.count == 9 and r.choice.which() == "count" and r.best.small == -7


def test_short_structs_read_defaults_and_refuse_writes(mod: Any, vectors: Any) -> None:
    # An Item written with no data section at all: every scalar reads its default.
    c = mod.Catalog.new_message()
    c.best = mod.Item.schema.new_message(name="n").as_reader()
    r = mod.Catalog.from_bytes(c.to_bytes())
    assert r.best.name == "n"
    from capnp_lite.wire.layout import MessageBuilder

    mb = MessageBuilder()
    mb.init_root(0, 1).set_text(0, "short")
    short = dyn.read_segments(mb.segments(), mod.Item.schema)
    assert (short.name, short.price, short.id, short.flag, short.color) == ("short", 0.0, 0, False, "red")
    b = short.as_builder()  # grown to the schema's size on the way
    b.id = 5
    assert b.id == 5


def test_setter_checks(mod: Any) -> None:
    it = mod.Item.schema.new_message()
    for name, bad in [("small", 128), ("small", True), ("id", -1), ("color", "purple"),
                      ("price", "1.0"), ("flag", "yes"), ("scores", [2**31]), ("scores", [True])]:
        with pytest.raises(EncodeError):
            setattr(it, name, bad)
    it.weight = 1e300
    assert it.weight == math.inf
    it.price = 3  # ints are accepted for floats
    assert it.price == 3.0
    it.color = 2
    assert it.color == "blue"
    with pytest.raises(AttributeError):
        it.nosuch = 1
    r = it.as_reader()
    with pytest.raises(AttributeError):
        r.price = 1.0


def test_fields_named_like_methods(mod: Any) -> None:
    n = mod.Named.new_message()
    n.which = 3  # the field, written through __setattr__
    n.init = "text"
    n.plain = 4
    r = mod.Named.from_bytes(n.to_bytes())
    assert r.plain == 4 and r.get("which") == 3 and r.get("init") == "text"
    # ``which`` stays the base class's property (pycapnp's): Named has no union.
    with pytest.raises(TypeError, match="non-union"):
        r.which
