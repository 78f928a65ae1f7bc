"""A double beyond Float32's range is stored as an infinity of its sign (as a C++ cast stores
it), whatever the field's default and on every interpreter; what is no number is refused."""

from __future__ import annotations

import math
import struct

import pytest

from capnp_lite.errors import EncodeError
from capnp_lite.wire.layout import MessageBuilder, pack_data_field


@pytest.mark.parametrize("default", [0.0, 1.5, -0.0])
@pytest.mark.parametrize("value", [1e300, -1e300, 3.5e38])
def test_out_of_range_becomes_infinity(default: float, value: float) -> None:
    b = MessageBuilder().init_root(1, 0)
    b.set_float32(0, value, default)
    got = b.as_reader().get_float32(0, default)
    assert math.isinf(got) and math.copysign(1.0, got) == math.copysign(1.0, value)


@pytest.mark.parametrize("default", [0.0, 1.5])
def test_in_range_and_refused_values(default: float) -> None:
    b = MessageBuilder().init_root(1, 0)
    b.set_float32(0, 3.0e38, default)
    assert b.as_reader().get_float32(0, default) == pytest.approx(3.0e38, rel=1e-6)
    for bad in (10 ** 400, "1.5", None):
        with pytest.raises(EncodeError):
            b.set_float32(0, bad, default)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [1e300, -3.5e38, 2.5])
def test_the_one_step_packer_stores_what_the_setter_stores(value: float) -> None:
    ours, theirs = MessageBuilder().init_root(1, 0), MessageBuilder().init_root(1, 0)
    pack_data_field(ours, struct.Struct("<f"), 4, value)
    theirs.set_float32(1, value)
    assert ours.as_reader().get_float32(1) == theirs.as_reader().get_float32(1)
    for bad, at in ((10 ** 400, 4), ("1.5", 4), (1.0, 6), (1.0, -1)):  # no float, or off the data
        with pytest.raises(EncodeError):
            pack_data_field(ours, struct.Struct("<f"), at, bad)
