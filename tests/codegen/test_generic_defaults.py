"""Defaults and constants of bound generic struct types in generated modules: encoded through
the brand (a field of parameter type K in P(Text, Data) is a Text), as the reference does."""

from __future__ import annotations

import importlib
import sys
import uuid
from pathlib import Path
from types import ModuleType

import pytest

from capnp_lite.codegen import generate
from capnp_lite.schema import compile_source

SCHEMA = """@0xbf5147cbbecf40c5;
struct P(K, V) {
  k @0 :K;
  v @1 :V;
  inner @2 :N(Text);
  items @3 :List(N(V));
  struct N(X) { x @0 :X; }
}
struct U { h @0 :P(Text, Data) = (k = "key", v = 0x"ab", inner = (x = "q"), items = [(x = 0x"cd")]); }
const c :P(Text, Data) = (v = 0x"ef");
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    out = tmp_path_factory.mktemp("cggeneric")
    name = "gen_" + uuid.uuid4().hex[:8]
    for module, text in generate(compile_source(SCHEMA, name + ".capnp"),
                                 relative_imports=False).items():
        (out / (module + ".py")).write_text(text)
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module(name + "_capnp")
    finally:
        sys.path.remove(str(out))


def test_a_generic_field_default_reads_through_its_brand(mod: ModuleType) -> None:
    h = mod.U_Reader.from_bytes(mod.U_Builder().to_bytes()).h
    assert h.k.get_text() == "key"
    assert bytes(h.v.get_data()) == b"\xab"
    assert h.inner.x.get_text() == "q"
    assert [bytes(n.x.get_data()) for n in h.items] == [b"\xcd"]


def test_a_generic_constant(mod: ModuleType) -> None:
    assert bytes(mod.c.v.get_data()) == b"\xef"
    assert mod.c.k.is_null()


def test_the_same_default_as_the_reference(tmp_path: Path, mod: ModuleType) -> None:
    capnp = pytest.importorskip("capnp", reason="pycapnp (the reference) is not installed here")
    path = tmp_path / "generic_ref.capnp"
    path.write_text(SCHEMA)
    ref = capnp.load(str(path)).U.new_message().h
    h = mod.U_Reader.from_bytes(mod.U_Builder().to_bytes()).h
    # pycapnp reads a bound parameter as its bound type: a str, bytes.
    assert ref.k == h.k.get_text()
    assert bytes(ref.v) == bytes(h.v.get_data())
    assert ref.inner.x == h.inner.x.get_text()
    assert [bytes(n.x) for n in ref.items] == [bytes(n.x.get_data()) for n in h.items]
