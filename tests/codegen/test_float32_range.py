"""A finite value beyond Float32's range is stored as an infinity of its sign by the generated
builders, as by the layout core, the dynamic API and the reference: in a plain field, one with
a default, one in a union, one in a group, a struct list's elements and lists of any length."""

from __future__ import annotations

import math
import struct
from pathlib import Path
from typing import Any, Tuple

import pytest

import capnp_lite
from capnp_lite.errors import EncodeError

from .cg_helpers import generated_module

SCHEMA = """
@0xe1b2c3d4e5f60a19;

struct Floats {
  plain @0 :Float32;
  withDefault @1 :Float32 = 1.5;
  choice :union {
    none @2 :Void;
    value @3 :Float32;
  }
  grp :group {
    inner @4 :Float32;
  }
  many @5 :List(Float32);
  wide @6 :Float64;
}

struct Box {
  floats @0 :List(Floats);
}
"""

VALUES = [1e300, -1e300, 3.5e38, -3.5e38, 3.4028235e38, math.inf, -math.inf, 0.5]


@pytest.fixture(scope="module")
def mods(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Any, Any]:
    """The generated module and the dynamic one of the schema."""
    tmp: Path = tmp_path_factory.mktemp("f32range")
    (tmp / "f32range.capnp").write_text(SCHEMA)
    return generated_module(tmp, SCHEMA, "f32range.capnp"), capnp_lite.load(str(tmp / "f32range.capnp"))


def fill(b: Any, x: float, count: int) -> None:
    b.plain = x
    b.withDefault = x
    b.grp.inner = x
    b.many = [x] * count
    b.wide = x


def stored(x: float) -> float:
    """What a Float32 slot holds after ``x`` (an infinity beyond the range)."""
    try:
        return float(struct.unpack("<f", struct.pack("<f", x))[0])
    except OverflowError:
        return math.copysign(math.inf, x)


@pytest.mark.parametrize("x", VALUES)
@pytest.mark.parametrize("count", [1, 3, 20])
def test_generated_and_dynamic_builders_store_the_same(mods: Any, x: float, count: int) -> None:
    gen, dyn = mods
    g = gen.Floats_Builder()
    fill(g, x, count)
    g.choice.value = x
    d = dyn.Floats.new_message()
    fill(d, x, count)
    d.choice.value = x
    assert g.to_bytes() == d.to_bytes()
    r = gen.Floats_Reader.from_bytes(g.to_bytes())
    want = stored(x)
    assert (r.plain, r.withDefault, r.choice.value, r.grp.inner) == (want,) * 4
    assert list(r.many) == [want] * count
    assert r.wide == x  # Float64 keeps it


@pytest.mark.parametrize("x", [1e300, -3.5e38])
def test_struct_list_elements_too(mods: Any, x: float) -> None:
    gen, dyn = mods
    g = gen.Box_Builder()
    for e in g.init_floats(3):
        fill(e, x, 2)
    d = dyn.Box.new_message()
    for e in d.init("floats", 3):
        fill(e, x, 2)
    assert g.to_bytes() == d.to_bytes()


def test_what_no_float_fits_is_still_refused(mods: Any) -> None:
    gen, _ = mods
    g = gen.Floats_Builder()
    g.plain = "not a number"  # type: ignore[assignment]
    with pytest.raises(EncodeError):
        g.to_bytes()
    g = gen.Floats_Builder()
    g.many = [1.0, "x"]  # type: ignore[list-item]
    with pytest.raises(EncodeError):
        g.to_bytes()


@pytest.mark.parametrize("value", [10**39, -(10**39)])
def test_integers_beyond_float32_are_infinities_on_every_runtime(mods: Tuple[Any, Any],
                                                                  value: int) -> None:
    """An int is made a float first, as every runtime's struct does not: CPython's refused
    10**39 for a field with a default and for short lists, PyPy's took it."""
    gen, dyn = mods
    b = gen.Floats_Builder()
    b.plain = value
    b.withDefault = value
    b.many = [value]
    r = dyn.Floats.from_bytes(b.to_bytes())
    want = math.copysign(math.inf, value)
    assert (r.plain, r.withDefault, list(r.many)) == (want, want, [want])


def test_integers_beyond_any_float_are_encode_errors(mods: Tuple[Any, Any]) -> None:
    gen, _ = mods
    for setup in (lambda b: setattr(b, "plain", 10**400), lambda b: setattr(b, "many", [10**400]),
                  lambda b: setattr(b, "many", [10**400] * 20)):
        b = gen.Floats_Builder()
        setup(b)
        with pytest.raises(EncodeError):
            b.to_bytes()
