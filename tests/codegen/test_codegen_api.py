"""The generated API as users see it: defaults, constants, unions, interfaces, errors."""

from __future__ import annotations

import importlib
import math
import sys
import uuid
from types import ModuleType

import pytest

from capnp_lite.codegen import generate
from capnp_lite.errors import DecodeError, EncodeError, LimitError
from capnp_lite.schema import compile_source

SCHEMA = """
@0xe1c2d3e4f5061728;

enum Mood { calm @0; angry @1; import @2; }

struct Node {
  value @0 :Int32 = -7;
  ratio @1 :Float64 = 1.5;
  on @2 :Bool = true;
  mood @3 :Mood = angry;
  label @4 :Text = "none";
  next @5 :Node;
  kids @6 :List(Node);
  nums @7 :List(Int16) = [1, 2, 3];
  from @8 :UInt8;
  union {
    empty @9 :Void;
    count @10 :UInt32;
    name @11 :Text;
  }
  origin @12 :Point = (x = 3, y = -4);
}

struct Point { x @0 :Int32; y @1 :Int32; }

const answer :UInt32 = 42;
const home :Point = (x = 1, y = 2);
const primes :List(UInt8) = [2, 3, 5, 7];
const greeting :Text = "hi";

interface Greeter {
  greet @0 (who :Text) -> (reply :Text);
}
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    out = tmp_path_factory.mktemp("cgapi")
    request = compile_source(SCHEMA, "api.capnp")
    pkg = "cgapi_" + uuid.uuid4().hex[:8]
    (out / pkg).mkdir()
    (out / pkg / "__init__.py").write_text("")
    for name, text in generate(request).items():
        (out / pkg / f"{name}.py").write_text(text)
    sys.path.insert(0, str(out))
    return importlib.import_module(f"{pkg}.api_capnp")


def test_defaults_read_from_an_empty_struct(mod: ModuleType) -> None:
    r = mod.Node_Reader.from_bytes(mod.Node.new_message().to_bytes())
    assert r.value == -7 and r.ratio == 1.5 and r.on is True
    assert r.mood is mod.Mood.angry
    assert r.label == "none"
    assert list(r.nums) == [1, 2, 3]
    assert (r.origin.x, r.origin.y) == (3, -4)
    assert r.which() is mod.Node_Which.empty
    assert r.from_ == 0
    assert len(r.kids) == 0


def test_builder_values_round_trip(mod: ModuleType) -> None:
    b = mod.Node.new_message()
    b.value = 0
    b.ratio = -0.0
    b.on = False
    b.mood = mod.Mood.import_
    b.label = "x"
    b.from_ = 255
    b.name = "named"
    b.next.value = 11
    kids = b.init_kids(2)
    kids[1].count = 9
    b.init_nums(2)[1] = -300
    r = mod.Node.from_bytes(b.to_bytes())
    assert r.value == 0 and math.copysign(1.0, r.ratio) == -1.0 and r.on is False
    assert r.mood is mod.Mood.import_
    assert r.from_ == 255
    assert r.which() is mod.Node_Which.name_ and r.name == "named"
    assert r.next.value == 11 and r.next.label == "none"
    assert [k.which() for k in r.kids] == [mod.Node_Which.empty, mod.Node_Which.count]
    assert r.kids[1].count == 9
    assert list(r.nums) == [0, -300]
    # Packed and flat forms carry the same message.
    assert mod.Node.from_bytes_packed(b.to_bytes_packed()).name == "named"
    assert mod.Node.from_flat_bytes(b.to_flat_bytes()).next.value == 11
    assert b.as_reader().kids[1].count == 9


def test_unknown_enum_value_reads(mod: ModuleType) -> None:
    b = mod.Node.new_message()
    b.mood = 9
    r = mod.Node.from_bytes(b.to_bytes())
    assert r.mood == 9 and isinstance(r.mood, mod.Mood)


def test_constants(mod: ModuleType) -> None:
    assert mod.answer == 42
    assert (mod.home.x, mod.home.y) == (1, 2)
    assert list(mod.primes) == [2, 3, 5, 7]
    assert mod.greeting == "hi"


def test_interface_table(mod: ModuleType) -> None:
    g = mod.Greeter
    assert g.METHODS == (g.greet,)
    assert g.greet.interface_id == g.INTERFACE_ID and g.greet.method_id == 0
    params = g.greet.params_builder()
    params.who = "bob"
    assert g.greet.params.from_bytes(params.to_bytes()).who == "bob"


def test_out_of_range_values_raise_encode_error(mod: ModuleType) -> None:
    b = mod.Point.new_message()
    b.x = 1 << 40
    with pytest.raises(EncodeError):
        b.to_bytes()
    n = mod.Node.new_message()
    n.label = b"bytes"  # type: ignore[assignment]
    with pytest.raises(EncodeError):
        n.to_bytes()


def test_malformed_input_raises_decode_error(mod: ModuleType) -> None:
    with pytest.raises(DecodeError):
        mod.Node.from_bytes(b"\x00\x00\x00\x00\x05\x00\x00\x00")
    with pytest.raises(DecodeError):
        mod.Node.from_bytes(b"\xff\xff\xff\xff")
    # A deep chain trips the nesting limit given as a keyword.
    b = mod.Node.new_message()
    cur = b
    for _ in range(10):
        cur = cur.next
    data = b.to_bytes()
    r = mod.Node.from_bytes(data, nesting_limit=4)
    with pytest.raises(LimitError):
        r.next.next.next.next.next.value
