"""Generated builders' writers: the fused form (targets first, then one pack of the
scalars and pointer words), the inlined struct-list loop, and the text and number
list paths they use.

Expected values come from the layout core (``capnp_lite.wire``), which reads
independently of the generated code, and, where pycapnp is installed, from the
reference encoder's bytes for the same values set in pointer-slot order.
"""

from __future__ import annotations

import importlib
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, List, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.codegen import generate, runtime
from capnp_lite.errors import EncodeError
from capnp_lite.schema import compile_source
from capnp_lite.wire.layout import MessageReader, StructReader

try:
    import capnp  # type: ignore[import-untyped, import-not-found, unused-ignore]
except ImportError:  # PyPy: the reference comparisons are skipped
    capnp = None

# Rec's pointers are all fusable kinds; Mixed has a struct, a union and a struct
# list, so it takes the general writer.
SCHEMA = """
@0xc4a1f00dfa570031;

struct Rec {
  id @0 :UInt32;
  name @1 :Text;
  blob @2 :Data;
  tags @3 :List(Text);
  nums @4 :List(Int32);
  flag @5 :Bool;
  ratio @6 :Float64 = 1.5;
  wide @7 :List(UInt64);
  small @8 :List(Int8);
}

struct Mixed {
  rec @0 :Rec;
  union {
    t @1 :Text;
    d @2 :Data;
  }
  recs @3 :List(Rec);
  note @4 :Text;
}

struct Holder { recs @0 :List(Rec); }
"""

POINTERS = ("name", "blob", "tags", "nums", "wide", "small")  # Rec's, in slot order


def _load(tmp: Path) -> ModuleType:
    pkg = "cgwrite_" + uuid.uuid4().hex[:8]
    (tmp / pkg).mkdir()
    (tmp / pkg / "__init__.py").write_text("")
    for mod, text in generate(compile_source(SCHEMA, "writers.capnp")).items():
        (tmp / pkg / f"{mod}.py").write_text(text)
    sys.path.insert(0, str(tmp))
    return importlib.import_module(f"{pkg}.writers_capnp")


@pytest.fixture(scope="module")
def mods(tmp_path_factory: pytest.TempPathFactory) -> Tuple[ModuleType, Any]:
    tmp = tmp_path_factory.mktemp("cgwrite")
    ref = None
    if capnp is not None:
        path = tmp / "writers.capnp"
        path.write_text(SCHEMA)
        ref = capnp.load(str(path))
    return _load(tmp), ref


texts = st.text(max_size=20)
ascii_texts = st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=20)
rec_values = st.fixed_dictionaries({
    "id": st.integers(0, 0xFFFFFFFF),
    "flag": st.booleans(),
    "ratio": st.floats(allow_nan=False),
}, optional={
    "name": texts,
    "blob": st.binary(max_size=20),
    # Lists past the 16-element short-list paths, ASCII and not.
    "tags": st.one_of(st.lists(ascii_texts, max_size=20), st.lists(texts, max_size=20)),
    "nums": st.lists(st.integers(-(1 << 31), (1 << 31) - 1), max_size=20),
    "wide": st.lists(st.integers(0, (1 << 64) - 1), max_size=20),
    "small": st.lists(st.integers(-128, 127), max_size=20),
})


def _fill(b: Any, values: Dict[str, Any]) -> Any:
    for key in ("id", "flag", "ratio") + POINTERS:
        if key in values:
            setattr(b, key, values[key])
    return b


def _core_rec(r: StructReader) -> Dict[str, Any]:
    """Rec's fields as the layout core reads them (unset pointers left out)."""
    out: Dict[str, Any] = {"id": r.get_uint32(0), "flag": r.get_bool(32),
                           "ratio": r.get_float64(1, 1.5)}
    if not r.is_null(0):
        out["name"] = r.get_text(0)
    if not r.is_null(1):
        out["blob"] = r.get_data(1)
    if not r.is_null(2):
        lst = r.get_list(2, 6)
        out["tags"] = [lst.get_text(i) for i in range(len(lst))]
    for i, key, es, fmt in ((3, "nums", 4, "i"), (4, "wide", 5, "Q"), (5, "small", 2, "b")):
        if not r.is_null(i):
            out[key] = r.get_list(i, es).to_list(fmt)
    return out


def _expected(values: Dict[str, Any]) -> Dict[str, Any]:
    out = dict(values)
    out["ratio"] = float(out["ratio"])
    return out


def _ref_bytes(ref: Any, values: Dict[str, Any]) -> bytes:
    b = ref.Rec.new_message()
    for key in ("id", "flag", "ratio") + POINTERS:  # pointers in slot order
        if key in values:
            setattr(b, key, values[key])
    data: bytes = b.to_bytes()
    return data


@settings(max_examples=80, deadline=None)
@given(rec_values)
def test_fused_struct_round_trips_through_the_core(mods: Tuple[ModuleType, Any],
                                                   values: Dict[str, Any]) -> None:
    mod, ref = mods
    data = _fill(mod.Rec.new_message(), values).to_bytes()
    root = MessageReader([data[8:]]).root()
    assert _core_rec(root) == _expected(values)
    if ref is not None:
        assert data == _ref_bytes(ref, values)


@settings(max_examples=40, deadline=None)
@given(st.lists(rec_values, max_size=6))
def test_struct_list_loop_matches_single_writes(mods: Tuple[ModuleType, Any],
                                                rows: List[Dict[str, Any]]) -> None:
    mod, ref = mods
    h = mod.Holder.new_message()
    h.recs = [_fill(mod.Rec.new_message(), v) for v in rows]
    data = h.to_bytes()
    lst = MessageReader([data[8:]]).root().get_list(0, 7)
    assert [_core_rec(lst.get_struct(i)) for i in range(len(lst))] == [
        _expected(v) for v in rows]
    # The generic loop (one _write call per element) lays out the same bytes.
    recs = h.recs
    step = (mod.Rec_Builder._DW + mod.Rec_Builder._PC) * 8
    inlined = bytearray(step * len(recs))
    mod.Rec_Builder._write_list(inlined, 0, recs)
    generic = bytearray(step * len(recs))
    super(mod.Rec_Builder, mod.Rec_Builder)._write_list(generic, 0, recs)
    assert inlined == generic
    if ref is not None:
        r = ref.Holder.new_message()
        out = r.init("recs", len(rows))
        for elem, v in zip(out, rows):
            for key in ("id", "flag", "ratio") + POINTERS:
                if key in v:
                    setattr(elem, key, v[key])
        assert data == r.to_bytes()


def test_general_writer_still_handles_unions_and_structs(mods: Tuple[ModuleType, Any]) -> None:
    mod, ref = mods
    m = mod.Mixed.new_message()
    m.rec = _fill(mod.Rec.new_message(), {"id": 7, "name": "in", "tags": ["a", "é"]})
    m.d = b"\x00\x01"
    m.recs = [_fill(mod.Rec.new_message(), {"id": 1, "nums": [1, 2, 3]})]
    m.note = "last"
    r = mod.Mixed.from_bytes(m.to_bytes())
    assert r.rec.id == 7 and r.rec.name == "in" and list(r.rec.tags) == ["a", "é"]
    assert r.d == b"\x00\x01" and r.note == "last"
    assert [list(x.nums) for x in r.recs] == [[1, 2, 3]]
    if ref is not None:
        x = ref.Mixed.new_message()
        rec = x.init("rec")
        rec.id = 7
        rec.name = "in"
        rec.tags = ["a", "é"]
        x.d = b"\x00\x01"
        recs = x.init("recs", 1)
        recs[0].id = 1
        recs[0].nums = [1, 2, 3]
        x.note = "last"
        assert m.to_bytes() == x.to_bytes()


@pytest.mark.parametrize("key, bad", [
    ("name", b"bytes"),
    ("name", 5),
    ("blob", "text"),
    ("tags", ["ok", None]),
    ("tags", ["ok", b"bytes"]),
    ("tags", [1]),
    ("tags", ["x"] * 17 + [None]),
    ("nums", [1 << 40]),
    ("nums", ["1"]),
    ("nums", [0] * 17 + [1 << 40]),
    ("small", [200]),
])
def test_bad_values_raise_encode_error(mods: Tuple[ModuleType, Any], key: str,
                                       bad: object) -> None:
    mod, _ = mods
    b = mod.Rec.new_message()
    setattr(b, key, bad)
    with pytest.raises(EncodeError):
        b.to_bytes()
    h = mod.Holder.new_message()
    h.recs = [mod.Rec.new_message(), b]
    with pytest.raises(EncodeError):
        h.to_bytes()


def test_struct_list_rejects_other_element_types(mods: Tuple[ModuleType, Any]) -> None:
    mod, _ = mods
    h = mod.Holder.new_message()
    h.recs = [mod.Rec.new_message(), mod.Mixed.new_message()]
    with pytest.raises(EncodeError):
        h.to_bytes()


@pytest.mark.parametrize("values", [[], ["a"], ["", "", ""], ["abcdefg", "abcdefgh", "x" * 9],
                                    ["ü", "ascii"], ["y"] * 40])
def test_text_lists_read_back_through_the_core(values: List[str]) -> None:
    buf = bytearray(8)
    runtime.TextWrite().write(buf, 0, values)
    # A root struct of one pointer whose word is buf's first: the list follows it.
    root = (1 << 48).to_bytes(8, "little") + bytes(buf)
    got = MessageReader([root]).root().get_list(0, 6)
    assert [got.get_text(i) for i in range(len(got))] == values
    # Each text word-aligned right after the previous one, nothing else.
    size = 8 + 8 * len(values) + sum((len(v.encode()) + 8) & -8 for v in values)
    assert len(buf) == size
