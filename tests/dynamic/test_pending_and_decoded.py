"""Pending roots (a new message whose root has only had scalars set) and lists
read in one pass (List(Text) and lists of numbers).

A pending root must behave exactly like a builder of a real message: same
bytes as pycapnp and as the deep copy, same errors, and everything written
before it becomes a real message must still be there afterwards.
"""

from __future__ import annotations

from typing import Any, Dict

import pytest
from hypothesis import given, settings, strategies as st

import capnp_lite.dynamic as dyn
from capnp_lite.errors import DecodeError, EncodeError, LimitError
from capnp_lite.schema import compile_source
from capnp_lite.wire.framing import encode_message

SCHEMA = """
@0xd3c4b5a697887723;

enum Color { red @0; green @1; blue @2; }

struct Scalars {
  a @0 :Int32;
  b @1 :UInt64;
  c @2 :Float32;
  d @3 :Float64;
  e @4 :Bool;
  f @5 :Int8 = -3;
  g @6 :UInt16 = 500;
  h @7 :Bool = true;
  i @8 :Float64 = 1.5;
  color @9 :Color = green;
  text @10 :Text;
  union {
    none @11 :Void;
    num @12 :Int64;
    flag @13 :Bool;
    ratio @14 :Float32;
  }
}

struct Item {
  name @0 :Text;
  tags @1 :List(Text);
  scores @2 :List(Int32);
  ratios @3 :List(Float64);
  id @4 :UInt64;
  color @5 :Color;
}

struct Catalog {
  title @0 :Text;
  items @1 :List(Item);
}
"""

VALUES: Dict[str, Any] = dict(a=-7, b=2**64 - 1, c=0.5, d=-2.25, e=True, f=9, g=0, h=False,
                              color="blue")


@pytest.fixture(scope="module")
def mod() -> Any:
    return dyn.load_request(compile_source(SCHEMA, "pending.capnp"))


@pytest.fixture(scope="module")
def ref_mod(tmp_path_factory: Any) -> Any:
    capnp = pytest.importorskip("capnp")
    path = tmp_path_factory.mktemp("pending") / "pending.capnp"
    path.write_text(SCHEMA)
    return capnp.load(str(path))


def _copy_bytes(b: Any) -> bytes:
    """The deep copy's bytes (the reference layout), which also makes the message real."""
    return encode_message(b._copy_out("heuristic"))


def _is_pending(b: Any) -> bool:
    return b._msg.mb is None


def test_new_root_starts_pending_and_matches_pycapnp(mod: Any, ref_mod: Any) -> None:
    b = mod.Scalars.new_message()
    r = ref_mod.Scalars.new_message()
    for name, value in VALUES.items():
        setattr(b, name, value)
        setattr(r, name, value)
    assert _is_pending(b)
    data = b.to_bytes()
    assert data == r.to_bytes()
    assert b.to_segments() == [data[8:]]
    assert b.to_flat_bytes() == data[8:]
    assert _is_pending(b)  # serialising does not need a real message
    assert data == _copy_bytes(b)


def test_float_with_default_leaves_the_pending_path(mod: Any, ref_mod: Any) -> None:
    # Its XOR mask is a bit pattern: the ordinary setter does it on a real message.
    b = mod.Scalars.new_message()
    r = ref_mod.Scalars.new_message()
    b.a = 1
    r.a = 1
    b.i = -0.0
    r.i = -0.0
    assert not _is_pending(b)
    assert b.to_bytes() == r.to_bytes()


def test_union_member_set_on_pending_root(mod: Any, ref_mod: Any) -> None:
    for member, value in (("num", -(2**63)), ("flag", True), ("ratio", 3.0), ("none", None)):
        b = mod.Scalars.new_message()
        r = ref_mod.Scalars.new_message()
        b.num = 5  # another member first: the discriminant must follow the last write
        r.num = 5
        setattr(b, member, value)
        setattr(r, member, value)
        assert b.to_bytes() == r.to_bytes(), member
        assert b.which() == member


@pytest.mark.parametrize(
    "name, value",
    [("a", 2**31), ("a", "x"), ("a", True), ("b", -1), ("f", 128), ("g", 1 << 16),
     ("color", "purple"), ("color", 1 << 16), ("c", "1"), ("e", "yes"), ("num", 2**63)],
)
def test_pending_setters_refuse_like_real_ones(mod: Any, name: str, value: Any) -> None:
    pending = mod.Scalars.new_message()
    real = mod.Scalars.new_message()
    real.text = "x"  # a pointer write: a real message from here on
    assert not _is_pending(real)
    for b in (pending, real):
        before = _copy_bytes(b) if b is real else b.to_bytes()
        with pytest.raises(EncodeError):
            setattr(b, name, value)
        after = _copy_bytes(b) if b is real else b.to_bytes()
        assert after == before  # a refused value writes nothing


@pytest.mark.parametrize("real", [False, True])
@pytest.mark.parametrize(
    "name, good, bad",
    [("a", 5, 2**31), ("a", -5, -(2**31) - 1), ("b", 7, -1), ("b", 7, 2**64), ("f", 5, 128),
     ("f", 5, -129), ("g", 7, 1 << 16), ("color", "blue", 1 << 16), ("num", -3, 2**63)],
)
def test_a_refused_integer_keeps_the_old_value(
    mod: Any, ref_mod: Any, real: bool, name: str, good: Any, bad: int
) -> None:
    # struct.pack_into clears its target before it checks the range: the check comes first.
    got = []
    for lib in (mod, ref_mod):
        b = lib.Scalars.new_message()
        if real:
            b.text = "x"
        setattr(b, name, good)
        with pytest.raises(Exception) as info:
            setattr(b, name, bad)
        if lib is mod:
            assert info.type is EncodeError
            assert _is_pending(b) is not real
        got.append((getattr(b, name), b.which(), b.to_bytes()))
    assert got[0] == got[1]
    assert got[0][0] == good


def test_float32_overflow_rounds_to_infinity_when_pending(mod: Any, ref_mod: Any) -> None:
    b = mod.Scalars.new_message()
    b.c = 1e300
    b.ratio = -1e300
    assert b.c == float("inf")
    assert b.ratio == float("-inf")


def test_everything_written_while_pending_survives(mod: Any, ref_mod: Any) -> None:
    b = mod.Scalars.new_message()
    r = ref_mod.Scalars.new_message()
    for name, value in VALUES.items():
        setattr(b, name, value)
        setattr(r, name, value)
    b.text = "now a real message"
    r.text = "now a real message"
    assert not _is_pending(b)
    b.num = 42
    r.num = 42
    assert b.to_bytes() == r.to_bytes()
    assert b.to_bytes() == _copy_bytes(b)


@pytest.mark.parametrize("action", ["get", "reader", "str", "dict", "which", "layout", "copy"])
def test_any_other_use_makes_a_real_message(mod: Any, action: str) -> None:
    b = mod.Scalars.new_message()
    b.a = 11
    b.color = "red"
    b.flag = True
    if action == "get":
        assert b.a == 11 and b.color == "red" and b.f == -3 and b.h is True
    elif action == "reader":
        r = b.as_reader()
        assert (r.a, r.color, r.flag, r.i) == (11, "red", True, 1.5)
    elif action == "str":
        assert "a = 11" in str(b)
    elif action == "dict":
        assert b.to_dict()["a"] == 11
    elif action == "which":
        assert b.which() == "flag"
    elif action == "layout":
        assert b.layout.get_int32(0) == 11
    else:
        assert b.copy().to_dict() == b.to_dict()
    assert not _is_pending(b)
    b.a = 12  # and it keeps working as a real one
    assert mod.Scalars.from_bytes(b.to_bytes()).a == 12


def test_pending_roots_do_not_share_state(mod: Any) -> None:
    one = mod.Scalars.new_message()
    two = mod.Scalars.new_message()
    one.a = 1
    two.a = 2
    one.text = "one"  # one becomes real, two stays pending
    assert mod.Scalars.from_bytes(two.to_bytes()).a == 2
    assert mod.Scalars.from_bytes(one.to_bytes()).a == 1


def test_new_message_with_fields_and_caps(mod: Any) -> None:
    b = mod.Scalars.new_message(a=3, text="t")
    assert b.a == 3 and b.text == "t"
    assert mod.Scalars.schema.new_message(a=4).a == 4
    assert mod.Scalars.new_message().caps == []


@settings(max_examples=40, deadline=None)
@given(
    a=st.integers(-(2**31), 2**31 - 1),
    b=st.integers(0, 2**64 - 1),
    d=st.floats(allow_nan=False),
    e=st.booleans(),
    f=st.integers(-128, 127),
    g=st.integers(0, 2**16 - 1),
    color=st.sampled_from(["red", "green", "blue"]),
)
def test_pending_bytes_equal_the_reference(mod: Any, ref_mod: Any, a: int, b: int, d: float,
                                           e: bool, f: int, g: int, color: str) -> None:
    values = dict(a=a, b=b, d=d, e=e, f=f, g=g, color=color)
    ours = mod.Scalars.new_message()
    ref = ref_mod.Scalars.new_message()
    for name, value in values.items():
        setattr(ours, name, value)
        setattr(ref, name, value)
    assert ours.to_bytes() == ref.to_bytes()


# -- lists read in one pass ---------------------------------------------------


def _catalog(mod: Any, n: int) -> Any:
    c = mod.Catalog.new_message()
    c.title = "catalog"
    items = c.init("items", n)
    for k, it in enumerate(items):
        it.name = f"item {k}"
        it.tags = ["alpha", "", f"t{k}", "ünï"]
        it.scores = [k, -k, 2**31 - 1]
        it.ratios = [k * 0.5]
        it.id = k * 1000
        it.color = ["red", "green", "blue"][k % 3]
    return c


@pytest.mark.parametrize("n", [3, 150])  # 150 items spill into a second segment
def test_read_in_one_pass_matches_pycapnp(mod: Any, ref_mod: Any, n: int) -> None:
    data = _catalog(mod, n).to_bytes()
    with ref_mod.Catalog.from_bytes(data) as ref:
        ref_items = [(r.name, list(r.tags), list(r.scores), list(r.ratios), r.id, str(r.color))
                     for r in ref.items]
    ours = mod.Catalog.from_bytes(data)
    for k, it in enumerate(ours.items):
        assert (it.name, list(it.tags), list(it.scores), list(it.ratios), it.id,
                it.color) == ref_items[k]
        assert len(it.tags) == 4
        assert it.tags[-1] == "ünï" and it.tags[1:3] == ["", f"t{k}"]
        with pytest.raises(IndexError):
            it.tags[4]
        assert it.scores[-1] == 2**31 - 1
        assert it.tags == ["alpha", "", f"t{k}", "ünï"]
    assert str(ours) == str(mod.Catalog.from_bytes(data).as_builder())


def test_decoded_lists_keep_the_layout_and_printer(mod: Any) -> None:
    r = mod.Catalog.from_bytes(_catalog(mod, 2).to_bytes())
    it = r.items[1]
    tags = it.tags
    assert tags.layout.get_text(2) == "t1"
    assert str(tags) == '["alpha", "", "t1", "ünï"]'
    assert str(it.scores) == "[1, -1, 2147483647]"
    assert it.to_dict()["tags"] == ["alpha", "", "t1", "ünï"]


def test_struct_list_scalars_read_in_one_pass(mod: Any) -> None:
    c = _catalog(mod, 5)
    data = c.to_bytes()
    read = [(it.id, it.color) for it in mod.Catalog.from_bytes(data).items]
    assert read == [(k * 1000, ["red", "green", "blue"][k % 3]) for k in range(5)]
    # Readers of a message being built never keep values the builder may change.
    view = c.as_reader()
    first = list(view.items)[0]
    assert first.id == 0
    c.items[0].id = 77
    assert first.id == 77


def test_bad_utf8_in_text_list_still_raises_decode_error(mod: Any) -> None:
    c = mod.Item.new_message()
    c.tags = ["ok", "xx"]
    data = bytearray(c.to_bytes())
    at = data.index(b"xx")
    data[at] = 0xFF
    r = mod.Item.from_bytes(bytes(data))
    with pytest.raises(DecodeError):
        list(r.tags)
    assert '"ok"' in str(r)  # the printer still shows the list


def test_traversal_limit_applies_to_one_pass_reads(mod: Any) -> None:
    c = mod.Item.new_message()
    c.tags = ["a" * 64] * 8  # 8 pointer words + 8 texts of 9 words
    data = c.to_bytes()
    root_words = 1 + 1 + 6  # root pointer charge and the struct
    needed = 8 + 8 * 9
    ok = mod.Item.from_bytes(data, traversal_limit_in_words=root_words + needed)
    assert len(list(ok.tags)) == 8
    tight = mod.Item.from_bytes(data, traversal_limit_in_words=root_words + needed - 1)
    with pytest.raises(LimitError):
        list(tight.tags)
