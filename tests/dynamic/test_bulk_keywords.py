"""``new_message(**fields)`` with only plain scalars: one ``pack_into`` for the whole root.

The shortcut must be invisible: for any keywords, in any order, the message (or the
error) is the one setting each field as an attribute, in the same order, gives.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import pytest
from hypothesis import given, settings, strategies as st

import capnp_lite.dynamic as dyn
from capnp_lite.schema import compile_source

SCHEMA = """
@0xe3c4b5a697887724;

enum Color { red @0; green @1; blue @2; }

struct Small {
  a @0 :Int32;
  b @1 :UInt32;
  c @2 :Int64;
  d @3 :UInt64;
  e @4 :Float32;
  f @5 :Float64;
  g @6 :Bool;
  h @7 :Int16;
  i @8 :UInt8;
  j @9 :Int8;
  k @10 :Bool;
  l @11 :UInt16;
  m @12 :Bool;
  color @13 :Color;
}

struct Mixed {
  a @0 :Int32;
  b @1 :Bool = true;
  c @2 :Int8 = -3;
  d @3 :Float64 = 1.5;
  e @4 :Float32;
  text @5 :Text;
  union {
    none @6 :Void;
    num @7 :Int64;
    flag @8 :Bool;
  }
  color @9 :Color = green;
}
"""

FIELDS = {
    "Small": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "color"],
    "Mixed": ["a", "b", "c", "d", "e", "text", "none", "num", "flag", "color"],
}

# Values of every kind a caller might pass: right and wrong types, in and out of range.
VALUES = st.one_of(
    st.integers(min_value=-(2**65), max_value=2**65),
    st.integers(min_value=-200, max_value=300),
    st.floats(allow_nan=False, width=64),
    st.sampled_from([0.0, -0.0, 1e39, -1e39, float("inf")]),
    st.booleans(),
    st.sampled_from(["red", "blue", "purple", "x", "", None, b"raw"]),
)


@pytest.fixture(scope="module")
def mod() -> Any:
    return dyn.load_request(compile_source(SCHEMA, "bulk.capnp"))


@pytest.fixture(scope="module")
def ref_mod(tmp_path_factory: Any) -> Any:
    capnp = pytest.importorskip("capnp")
    path = tmp_path_factory.mktemp("bulk") / "bulk.capnp"
    path.write_text(SCHEMA)
    return capnp.load(str(path))


def _outcome(make: Any) -> Tuple[str, Any]:
    try:
        return "ok", make().to_bytes()
    except Exception as exc:  # noqa: BLE001 - the error itself is what is compared
        return type(exc).__name__, str(exc)


def _by_attributes(struct: Any, fields: Dict[str, Any]) -> Any:
    b = struct.new_message()
    for name, value in fields.items():
        setattr(b, name, value)
    return b


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_keywords_match_attribute_writes(mod: Any, data: Any) -> None:
    name = data.draw(st.sampled_from(sorted(FIELDS)))
    names = data.draw(st.lists(st.sampled_from(FIELDS[name]), unique=True))
    fields = {n: data.draw(VALUES) for n in names}
    struct = getattr(mod, name)
    assert _outcome(lambda: struct.new_message(**fields)) == \
        _outcome(lambda: _by_attributes(struct, fields))


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_plain_scalars_take_the_shortcut(mod: Any, data: Any) -> None:
    """Values of the fields' own types, in range: packed at once, as the setters would."""
    ranges: Dict[str, Any] = {
        "a": st.integers(-(2**31), 2**31 - 1), "b": st.integers(0, 2**32 - 1),
        "c": st.integers(-(2**63), 2**63 - 1), "d": st.integers(0, 2**64 - 1),
        "e": st.floats(width=32, allow_nan=False), "f": st.floats(allow_nan=False),
        "g": st.booleans(), "h": st.integers(-(2**15), 2**15 - 1), "i": st.integers(0, 255),
        "j": st.integers(-128, 127), "k": st.booleans(), "l": st.integers(0, 2**16 - 1),
        "m": st.booleans(), "color": st.integers(0, 2**16 - 1),
    }
    names = data.draw(st.lists(st.sampled_from(sorted(ranges)), unique=True, min_size=1))
    fields = {n: data.draw(ranges[n]) for n in names}
    fresh = mod.Small.new_message()
    bulk = type(fresh).__dict__["_bulk"]
    assert bulk(fresh, fields)  # taken, not handed to the setters
    assert fresh.to_bytes() == _by_attributes(mod.Small, fields).to_bytes()


def test_what_the_shortcut_leaves_to_the_setters(mod: Any) -> None:
    fresh = mod.Small.new_message
    bulk = type(fresh()).__dict__["_bulk"]
    refused: List[Dict[str, Any]] = [
        {"a": True},  # a bool for a number
        {"e": 1},  # an int for a float
        {"color": "blue"},  # an enumerant's name
        {"a": 2**31},  # out of range
        {"e": 1e39},  # too large for Float32: the setter stores infinity
        {"zz": 1},  # no such field
    ]
    for fields in refused:
        assert not bulk(fresh(), fields), fields
    assert fresh(e=1e39).e == float("inf")
    assert fresh(color="blue").color == "blue"
    # Mixed: defaults, unions and pointers are never packed at once.
    mixed = type(mod.Mixed.new_message()).__dict__["_bulk"]
    for fields in ({"b": False}, {"c": 1}, {"d": 2.0}, {"num": 1}, {"text": "x"}, {"color": 0}):
        assert not mixed(mod.Mixed.new_message(), fields), fields
    assert mixed(mod.Mixed.new_message(), {"a": 5, "e": 0.5})
    m = mod.Mixed.new_message(a=5, e=0.5, text="t", num=3)
    assert (m.a, m.e, m.text, m.num, m.b, m.c, m.d, m.color) == (5, 0.5, "t", 3, True, -3, 1.5, "green")


def test_keywords_match_pycapnp(mod: Any, ref_mod: Any) -> None:
    fields = dict(a=-5, b=7, c=-123456789012, d=123456789012345, e=1.5, f=2.25, g=True,
                  h=-300, i=200, j=-100, k=False, l=65535, m=True, color=2)
    assert mod.Small.new_message(**fields).to_bytes() == ref_mod.Small.new_message(**fields).to_bytes()
    some = dict(m=True, a=1, g=True)
    assert mod.Small.new_message(**some).to_bytes() == ref_mod.Small.new_message(**some).to_bytes()
