"""The dynamic setters that reach the layout core's one-step writers.

A struct list built through the one-step setters must give the bytes of the
same values written through the general path (``_set_field``: values given as
a sequence type the setters do not special-case), the bytes of the deep copy,
and where pycapnp is installed, pycapnp's bytes.  Large item counts push the
lists past the first segment, so far pointers are covered too.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Sequence

import pytest
from hypothesis import given, settings, strategies as st

import capnp_lite.dynamic as dyn
from capnp_lite.errors import EncodeError
from capnp_lite.schema import compile_source
from capnp_lite.wire.framing import encode_message

SCHEMA = """
@0xd3c4b5a697887733;

enum Color { red @0; green @1; blue @2; }

struct Item {
  name @0 :Text;
  color @1 :Color;
  price @2 :Float64;
  tags @3 :List(Text);
  scores @4 :List(Int32);
  id @5 :UInt64;
  small @6 :List(Int8);
  union {
    none @7 :Void;
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
    return dyn.load_request(compile_source(SCHEMA, "onestep.capnp"))


@pytest.fixture(scope="module")
def ref_mod(tmp_path_factory: Any) -> Any:
    capnp = pytest.importorskip("capnp")
    path = tmp_path_factory.mktemp("onestep") / "onestep.capnp"
    path.write_text(SCHEMA)
    return capnp.load(str(path))


class _Seq(Sequence[Any]):
    """A plain sequence: the setters' fast paths take only list and tuple."""

    def __init__(self, items: List[Any]) -> None:
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i: Any) -> Any:
        return self._items[i]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)


ascii_st = st.text(st.characters(min_codepoint=1, max_codepoint=127), max_size=12)
text_st = st.one_of(ascii_st, st.text(st.characters(blacklist_categories=("Cs",)), max_size=6))
item_st = st.fixed_dictionaries(
    {},
    optional={
        "name": text_st,
        "color": st.sampled_from(["red", "green", "blue"]),
        "price": st.floats(allow_nan=False),
        "tags": st.one_of(st.lists(ascii_st, max_size=5), st.lists(text_st, max_size=5)),
        "scores": st.lists(st.integers(-(1 << 31), (1 << 31) - 1), max_size=12),
        "id": st.integers(0, (1 << 64) - 1),
        "small": st.lists(st.integers(-128, 127), max_size=10),
        "words": st.lists(ascii_st, max_size=4),  # one union member: no slot written twice
    },
)
# Field order as the schema's slots: what keeps a build in pre-order.
ORDER = ["name", "color", "price", "tags", "scores", "id", "small", "words"]


def _build(m: Any, title: str, items: List[Dict[str, Any]], general: bool) -> Any:
    c = m.Catalog.new_message()
    c.title = title
    out = c.init("items", len(items))
    for it, values in zip(out, items):
        for name in ORDER:
            if name in values:
                v = values[name]
                if general and isinstance(v, list):
                    v = _Seq(v)
                setattr(it, name, v)
    return c


@settings(max_examples=40, deadline=None)
@given(items=st.lists(item_st, max_size=6), copies=st.integers(1, 40), title=ascii_st)
def test_one_step_setters_write_what_the_general_path_writes(
    mod: Any, items: List[Dict[str, Any]], copies: int, title: str
) -> None:
    items = items * copies  # enough items to run past the first segment
    fast = _build(mod, title, items, general=False)
    slow = _build(mod, title, items, general=True)
    data = fast.to_bytes()
    assert data == slow.to_bytes()
    assert data == encode_message(fast._copy_out("heuristic"))
    # get after set, on the builder itself
    for it, values in zip(fast.items, items):
        for name, v in values.items():
            got = getattr(it, name)
            assert (list(got) if isinstance(v, list) else got) == v


@settings(max_examples=25, deadline=None)
@given(items=st.lists(item_st, max_size=5), copies=st.integers(1, 60), title=ascii_st)
def test_one_step_setters_match_pycapnp(
    mod: Any, ref_mod: Any, items: List[Dict[str, Any]], copies: int, title: str
) -> None:
    items = items * copies
    ours = _build(mod, title, items, general=False).to_bytes()
    ref = _build(ref_mod, title, items, general=False).to_bytes()
    assert ours == ref


def test_the_bench_catalog_matches_pycapnp(mod: Any, ref_mod: Any) -> None:
    items = [dict(name=f"item number {k}", color=["red", "green", "blue"][k % 3],
                  price=k * 1.25, tags=["alpha", "beta", f"t{k}"],
                  scores=[k, k + 1, k + 2, k + 3], id=k * 1000) for k in range(300)]
    assert _build(mod, "catalog", items, False).to_bytes() == \
        _build(ref_mod, "catalog", items, False).to_bytes()


class _LongStr(str):
    def __len__(self) -> int:
        return 99


def test_str_subclass_in_a_text_list_is_written_as_its_text(mod: Any) -> None:
    c = mod.Item.new_message()
    c.tags = ["ok", _LongStr("abc"), "end"]
    assert list(c.tags) == ["ok", "abc", "end"]
    plain = mod.Item.new_message()
    plain.tags = ["ok", "abc", "end"]
    assert c.to_bytes() == plain.to_bytes()


@pytest.mark.parametrize(
    "values",
    [["a", None, "b"], ["a", b"raw", "b"], ["lone \udc80", "x"], ("t", "u"), ["é", "日本"]],
)
def test_text_list_values_the_block_path_refuses_or_reencodes(mod: Any, values: Any) -> None:
    c = mod.Item.new_message()
    c.tags = values
    slow = mod.Item.new_message()
    slow.tags = _Seq(list(values))
    assert c.to_bytes() == slow.to_bytes()
    assert len(c.tags) == len(values)


def test_refused_numbers_leave_the_message_unchanged(mod: Any) -> None:
    c = mod.Catalog.new_message()
    items = c.init("items", 2)
    items[0].scores = [1, 2]
    before = c.to_bytes()
    # Out of range: refused by the packer before anything is allocated.
    with pytest.raises(EncodeError):
        items[1].scores = [1, 1 << 40]
    with pytest.raises(EncodeError):
        items[1].small = (1, 300)
    with pytest.raises(EncodeError):
        items[1].scores = [-(1 << 31) - 1]
    assert c.to_bytes() == before
    assert list(items[0].scores) == [1, 2]
    # Values of other types take the general path, which checks each value.
    for bad in ([True, 2], [1.5], ["x"], [None]):
        with pytest.raises(EncodeError):
            items[1].scores = bad
    assert list(items[0].scores) == [1, 2]


def test_union_list_members_set_the_discriminant(mod: Any) -> None:
    c = mod.Item.new_message()
    c.words = ["a", "bb"]
    assert c.which() == "words"
    assert list(c.words) == ["a", "bb"]
    c.nums = [1, 2, 3]
    assert c.which() == "nums"
    assert list(c.nums) == [1, 2, 3]
    c.words = ["ab" * 9]
    assert c.which() == "words"
    assert mod.Item.from_bytes(c.to_bytes()).which() == "words"
    # A refused value leaves the union as it was.
    with pytest.raises(EncodeError):
        c.nums = [1, 1 << 20]
    assert c.which() == "words"
    assert list(c.words) == ["ab" * 9]


def test_out_of_order_writes_still_serialize_in_preorder(mod: Any) -> None:
    c = mod.Catalog.new_message()
    items = c.init("items", 3)
    items[1].tags = ["late"]
    items[0].scores = [7]
    items[0].tags = ["early", "x"]
    items[2].name = "n"
    items[2].name = "replaced"
    data = c.to_bytes()
    assert data == encode_message(c._copy_out("heuristic"))
    r = mod.Catalog.from_bytes(data)
    assert [list(i.tags) for i in r.items] == [["early", "x"], ["late"], []]
    assert r.items[2].name == "replaced"
