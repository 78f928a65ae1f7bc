"""The hooks the RPC layer builds on: caps tables, wrap_reader, write_into, interface schemas."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

import capnp_lite.dynamic as dyn
from capnp_lite.errors import DecodeError
from capnp_lite.wire.layout import MessageBuilder, MessageReader

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def calc() -> Any:
    here = os.getcwd()
    os.chdir(ROOT / "schemas")
    try:
        return dyn.load("calculator.capnp")
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def generics(vectors: Path) -> Any:
    here = os.getcwd()
    os.chdir(vectors / "schemas")
    try:
        return dyn.load("generics.capnp")
    finally:
        os.chdir(here)


class Cap:
    """Stands in for an RPC client object."""

    def __init__(self, name: str) -> None:
        self.name = name


def _word(segment: bytes, index: int) -> int:
    return int.from_bytes(segment[index * 8:index * 8 + 8], "little")


def test_interface_schema(calc: Any, generics: Any) -> None:
    iface = calc.Calculator.schema
    assert isinstance(iface, dyn.InterfaceSchema)
    assert iface.id == 0x97983392DF35CC36  # upstream calculator sample's interface id
    methods = iface.methods
    assert list(methods) == ["evaluate", "defFunction", "getOperator"]
    assert [m.ordinal for m in methods.values()] == [0, 1, 2]
    ev = methods["evaluate"]
    assert ev.param_type.fieldnames == ("expression",)
    assert ev.result_type.fieldnames == ("value",)
    params = ev.param_type.new_message()
    params.init("expression").literal = 2.5
    assert params.expression.literal == 2.5
    adv = generics.AdvancedCounter.schema
    assert [s.name for s in adv.superclasses] == ["Counter"]
    assert adv.find_method("increment") is generics.Counter.schema.methods["increment"]
    assert set(adv.all_methods()) == {"increment", "reset", "snapshot", "watch"}
    # A generic interface: the brand reaches the parameter structs.
    reg = generics.Registry.schema.methods["put"]
    assert reg.param_type.fields["item"].kind == "anyPointer"


def test_builder_caps_table(calc: Any) -> None:
    a, b = Cap("a"), Cap("b")
    expr = calc.Calculator.Expression.new_message()
    expr.previousResult = a
    assert expr.which() == "previousResult"
    assert expr.previousResult is a
    assert expr.caps == [a]
    call = calc.Calculator.Expression.new_message()
    group = call.init("call")
    group.function = b
    params = group.init("params", 2)
    params[0].previousResult = a
    params[1].literal = 1.0
    assert call.caps == [b, a]
    params[1].previousResult = a  # the same object again reuses its entry
    assert call.caps == [b, a]
    params[1].literal = 1.0
    assert call.call.params[0].previousResult is a
    reader = call.as_reader()
    assert reader.call.function is b and reader.call.params[0].previousResult is a
    # The bytes hold capability pointers with the table's indexes.
    seg = call.to_segments()[0]
    root = MessageReader([seg]).root()
    assert root.get_capability(0) == 0
    assert root.get_list(1).get_struct(0).get_capability(0) == 1
    # Without a table, reading a capability raises.
    plain = calc.Calculator.Expression.from_bytes(call.to_bytes())
    with pytest.raises(DecodeError):
        plain.call.function


def test_wrap_reader_resolves_caps(calc: Any) -> None:
    schema = calc.Calculator.Expression.schema
    mb = MessageBuilder()
    payload = mb.init_root(0, 2)
    content = payload.init_struct(0, schema.data_words, schema.pointer_count)
    content.set_uint16(4, 1)  # discriminant: previousResult
    content.set_capability(0, 1)
    caps = [Cap("x"), Cap("y")]
    r = schema.wrap_reader(mb.root_reader().get_struct(0), caps)
    assert r.which() == "previousResult"
    assert r.previousResult is caps[1]
    assert schema.wrap_reader(mb.root_reader().get_struct(0)).which() == "previousResult"
    with pytest.raises(DecodeError):
        schema.wrap_reader(mb.root_reader().get_struct(0)).previousResult
    with pytest.raises(DecodeError):
        schema.wrap_reader(mb.root_reader().get_struct(0), caps[:1]).previousResult


def test_write_into_appends_and_renumbers_caps(calc: Any) -> None:
    a, b = Cap("a"), Cap("b")
    expr = calc.Calculator.Expression.new_message()
    group = expr.init("call")
    group.function = a
    params = group.init("params", 3)
    params[0].previousResult = b
    params[1].previousResult = a
    params[2].parameter = 7
    schema = calc.Calculator.Expression.schema
    mb = MessageBuilder()
    root = mb.init_root(0, 1)
    target = root.init_struct(0, schema.data_words, schema.pointer_count)
    table: list = [Cap("already there")]
    schema.write_into(target, expr, table)
    # Only referenced caps, appended once each, after the existing entry.
    assert table[1:] == [a, b]
    back = schema.wrap_reader(MessageReader(mb.segments()).root().get_struct(0), table)
    assert back.call.function is a
    assert [p.which() for p in back.call.params] == ["previousResult", "previousResult", "parameter"]
    assert back.call.params[0].previousResult is b
    assert back.call.params[1].previousResult is a
    assert back.call.params[2].parameter == 7
    # A message without caps copies byte for byte through the layout core.
    lit = calc.Calculator.Expression.new_message(literal=4.0)
    mb2 = MessageBuilder()
    t2 = mb2.init_root(schema.data_words, schema.pointer_count)
    empty: list = []
    schema.write_into(t2, lit, empty)
    assert empty == [] and mb2.segments() == lit.to_segments()


def test_copying_builders_moves_caps(calc: Any) -> None:
    a = Cap("a")
    src = calc.Calculator.Expression.new_message()
    src.previousResult = a
    dst = calc.Calculator.Expression.new_message()
    dst.init("call").init("params", 1)[0] = src
    assert dst.caps == [a] and dst.call.params[0].previousResult is a
    copy = src.copy()
    assert copy.previousResult is a
    orphan = src.disown("previousResult")
    assert not src._has("previousResult")
    src.adopt("previousResult", orphan)
    assert src.previousResult is a


def test_union_tag_compares_as_str(calc: Any) -> None:
    m = calc.Calculator.Expression.new_message(parameter=3)
    tag = m.which()
    assert tag == "parameter" and isinstance(tag, str) and tag.raw == 2
    assert m.as_reader().which() == "parameter"


def test_no_offset_math_in_dynamic() -> None:
    # The layout core is the only place that decodes pointers.
    for path in (ROOT / "capnp_lite" / "dynamic").glob("*.py"):
        text = path.read_text()
        assert "0xFFFFFFFC" not in text and "<< 35" not in text and ">> 35" not in text, path


def test_capability_in_anypointer_field(generics: Any) -> None:
    c = Cap("c")
    h = generics.Holder.new_message()
    h.cap = c
    assert h.caps == [c]
    assert h.as_reader().cap.as_interface() is c
    assert str(h.as_reader()) == "(cap = <opaque pointer>)"


def test_builder_views_and_defaults(vectors: Path) -> None:
    here = os.getcwd()
    os.chdir(vectors / "schemas")
    try:
        prim = dyn.load("primitives.capnp")
        lists = dyn.load("lists.capnp")
    finally:
        os.chdir(here)
    d = prim.Defaulted.new_message()
    # Reading a defaulted struct from a builder copies the default in, then edits it.
    d.dStruct.y = 43
    assert d.as_reader().dStruct.y == 43
    assert list(d.dInt16List) == [1, -2, 3, -32768, 32767]
    t = lists.Tree.new_message()
    t.name = "x\udcff"  # a lone surrogate from the text printer survives
    assert t.name == "x\udcff"
    assert t.as_reader()._get_raw(t.schema.fields["name"]) == b"x\xff"


@settings(max_examples=80, deadline=None)
@given(st.binary(min_size=8, max_size=160).map(lambda b: b[: len(b) - len(b) % 8]))
def test_random_segments_raise_only_decode_error(calc: Any, data: bytes) -> None:
    schema = calc.Calculator.Expression.schema
    try:
        r = dyn.read_segments([data], schema, traversal_limit_in_words=1000)
        str(r)
        r.to_dict()
        schema.wrap_reader(r.layout, [Cap("c")]).to_dict()
    except DecodeError:
        pass
