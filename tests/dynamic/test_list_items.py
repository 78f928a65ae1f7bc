"""Setting one element of a list of numbers or enums (``lst[i] = v``): the values stored and
the values refused are those of a struct field of the same type (``coerce_data``)."""

from __future__ import annotations

import math
import struct
from typing import Any, List

import pytest

import capnp_lite.dynamic as dyn
from capnp_lite.dynamic.builder import coerce_data
from capnp_lite.errors import EncodeError
from capnp_lite.schema import compile_source

SCHEMA = """
@0xd3c4b5a697887758;
enum E { a @0; b @1; c @2; }
struct Lists {
  i8 @0 :List(Int8); u8 @1 :List(UInt8); i16 @2 :List(Int16); u16 @3 :List(UInt16);
  i32 @4 :List(Int32); u32 @5 :List(UInt32); i64 @6 :List(Int64); u64 @7 :List(UInt64);
  f32 @8 :List(Float32); f64 @9 :List(Float64); e @10 :List(E); b @11 :List(Bool);
}
"""

LETTERS = {"i8": "b", "u8": "B", "i16": "h", "u16": "H", "i32": "i", "u32": "I", "i64": "q",
           "u64": "Q", "f32": "f", "f64": "d", "e": "H"}

CANDIDATES: List[Any] = [0, 1, -1, 127, 128, -129, 255, 256, 65535, 65536, -(1 << 31),
                         (1 << 31), (1 << 32), -(1 << 63), (1 << 64) - 1, 1 << 64, True, 1.5,
                         -0.0, math.inf, math.nan, 3.5e38, 1e308, "b", "z", None, "1", 10 ** 400]


@pytest.fixture(scope="module")
def mod() -> Any:
    return dyn.load_request(compile_source(SCHEMA, "items.capnp"))


@pytest.mark.parametrize("name", sorted(LETTERS))
def test_each_value_is_stored_or_refused_as_a_field_would_be(mod: Any, name: str) -> None:
    field = mod.Lists.schema.fields[name]
    element = field.type.element
    for value in CANDIDATES:
        msg = mod.Lists.new_message()
        lst = msg.init(name, 3)
        lst[0] = 1 if name != "e" else "b"
        try:
            expected = coerce_data(element, value)
        except (EncodeError, TypeError, ValueError, OverflowError) as exc:
            with pytest.raises(type(exc)):
                lst[1] = value
            assert lst[1] in (0, "a", 0.0)  # nothing written
            continue
        lst[1] = value
        got = lst[1]
        if name == "e":
            assert got == element.enum.value_of(expected)
            continue
        # What the element holds is what the field's type packs (Float32 rounds).
        letter = LETTERS[name]
        want = struct.unpack("<" + letter, struct.pack("<" + letter, expected))[0]
        if isinstance(want, float) and math.isnan(want):
            assert math.isnan(got)
        else:
            assert got == want and str(got) == str(want), (value, got, want)
        assert list(lst)[0] in (1, 1.0)


def test_bool_lists_and_negative_indexes(mod: Any) -> None:
    msg = mod.Lists.new_message()
    b = msg.init("b", 3)
    b[-1] = True
    assert list(b) == [False, False, True]
    lst = msg.init("i32", 2)
    lst[-2] = 7
    with pytest.raises(IndexError):
        lst[2] = 1
    assert list(lst) == [7, 0]


@pytest.mark.parametrize("field", ["i32", "b"])
def test_indexes_are_a_python_lists(mod: Any, field: str) -> None:
    """Each index writes the element a Python list of that length would, or fails as it does."""
    msg = mod.Lists.new_message()
    lst = msg.init(field, 3)
    model: List[Any] = list(lst)
    for k, key in enumerate([-4, -3, -1, 0, 2, 3, True, "1", 1.5, None]):
        value = (k % 2 == 0) if field == "b" else k
        outcomes = []
        for target in (lst, model):
            try:
                target[key] = value
                outcomes.append("stored")
            except (IndexError, TypeError) as e:
                outcomes.append(type(e).__name__)
        assert outcomes[0] == outcomes[1], key
        assert list(lst) == model
