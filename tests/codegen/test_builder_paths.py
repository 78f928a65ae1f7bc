"""Both builder serialization paths (the CPython one and the PyPy one) give the same bytes.

The generated builders pick their text-list and number-list code by
interpreter; here the choice is forced each way so both run on either
interpreter, and each result is read back by the reference reader (pycapnp)
when it is installed, or by our own reader otherwise.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any, Iterator, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.codegen import generate, runtime
from capnp_lite.errors import EncodeError
from capnp_lite.schema import compile_source

SCHEMA = """
@0xe1b2c3d4e5f60718;

struct Item {
  name @0 :Text;
  tags @1 :List(Text);
  scores @2 :List(Int32);
  bytes8 @3 :List(UInt8);
  wide @4 :List(Int64);
  halves @5 :List(Float32);
  id @6 :UInt64;
}

struct Catalog {
  items @0 :List(Item);
}
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    tmp: Path = tmp_path_factory.mktemp("builder_paths")
    sources = generate(compile_source(SCHEMA, "paths.capnp"), relative_imports=False)
    for name, text in sources.items():
        (tmp / f"{name}.py").write_text(text, encoding="utf-8")
    sys.path.insert(0, str(tmp))
    try:
        yield importlib.import_module("paths_capnp")
    finally:
        sys.path.remove(str(tmp))


def build(mod: Any, items: List[dict]) -> Any:
    c = mod.Catalog_Builder()
    lst = c.init_items(len(items))
    for b, v in zip(lst, items):
        for key, value in v.items():
            setattr(b, key, value)
    return c


def both(mod: Any, items: List[dict], monkeypatch: pytest.MonkeyPatch) -> bytes:
    out = []
    for flag in (False, True):
        monkeypatch.setattr(runtime, "PYPY", flag)
        monkeypatch.setattr(runtime, "_PYPY", flag)
        out.append(build(mod, items).to_bytes())
        # The single-struct path (not the list loop) too.
        single = mod.Item_Builder()
        for key, value in (items[0] if items else {}).items():
            setattr(single, key, value)
        out.append(single.to_bytes())
    assert out[0] == out[2], "the two paths disagree on a struct list"
    assert out[1] == out[3], "the two paths disagree on a single struct"
    return out[0]


def check_read(mod: Any, data: bytes, items: List[dict]) -> None:
    r = mod.Catalog_Reader.from_bytes(data)
    assert len(r.items) == len(items)
    for got, want in zip(r.items, items):
        assert got.name == want.get("name", "")
        assert list(got.tags) == list(want.get("tags", []))
        assert list(got.scores) == list(want.get("scores", []))
        assert list(got.bytes8) == list(want.get("bytes8", []))
        assert list(got.wide) == list(want.get("wide", []))
        assert len(got.halves) == len(want.get("halves", []))
        assert got.id == want.get("id", 0)


@pytest.fixture(scope="module")
def ref(tmp_path_factory: pytest.TempPathFactory) -> Any:
    # Loaded once: pycapnp aborts if one schema comes from two files in a process.
    capnp = pytest.importorskip("capnp")
    path = tmp_path_factory.mktemp("builder_paths_ref") / "paths.capnp"
    path.write_text(SCHEMA, encoding="utf-8")
    return capnp.load(str(path))


def check_reference(ref: Any, data: bytes, items: List[dict]) -> None:
    with ref.Catalog.from_bytes(data) as r:
        for got, want in zip(r.items, items):
            assert got.name == want.get("name", "")
            assert list(got.tags) == list(want.get("tags", []))
            assert list(got.scores) == list(want.get("scores", []))
            assert list(got.wide) == list(want.get("wide", []))


CASES = [
    [],
    [{"name": "a", "tags": ["alpha", "beta", "t1"], "scores": [1, -2, 3, 2**31 - 1], "id": 7}],
    [{"tags": [], "scores": [], "bytes8": [255], "wide": [-(2**63)], "halves": [0.5]}],
    [{"name": "x" * k, "tags": ["y" * j for j in range(k)], "scores": list(range(k)),
      "bytes8": list(range(k)), "wide": list(range(k)), "halves": [1.0] * k}
     for k in range(20)],
    [{"name": "héllo", "tags": ["naïve", "", "日本語", "a" * 7, "b" * 8], "id": 2**64 - 1}],
]


@pytest.mark.parametrize("items", CASES)
def test_paths_agree(mod: Any, items: List[dict], monkeypatch: pytest.MonkeyPatch) -> None:
    data = both(mod, items, monkeypatch)
    check_read(mod, data, items)


@pytest.mark.parametrize("items", [c for c in CASES if c])
def test_reference_reads(mod: Any, ref: Any, items: List[dict],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    check_reference(ref, both(mod, items, monkeypatch), items)


@pytest.mark.parametrize("flag", [False, True])
def test_bad_values_raise_encode_error(mod: Any, flag: bool,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "PYPY", flag)
    monkeypatch.setattr(runtime, "_PYPY", flag)
    for bad in ({"tags": ["ok", 3]}, {"tags": [b"raw"]}, {"tags": ["\ud800"]}, {"tags": "abc"},
                {"scores": [2**31]},
                {"scores": ["1"]}, {"bytes8": [256]}, {"bytes8": [-1] * 20}):
        with pytest.raises(EncodeError):
            build(mod, [bad]).to_bytes()
        single = mod.Item_Builder()
        for key, value in bad.items():
            setattr(single, key, value)
        with pytest.raises(EncodeError):
            single.to_bytes()


texts = st.lists(st.text(max_size=12), max_size=6)
ints = st.lists(st.integers(-(2**31), 2**31 - 1), max_size=20)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.fixed_dictionaries({"name": st.text(max_size=10), "tags": texts,
                                       "scores": ints}), max_size=4))
def test_paths_agree_random(mod: Any, items: List[dict]) -> None:
    # monkeypatch is function-scoped, so flip the flag by hand here.
    saved = runtime.PYPY, runtime._PYPY
    try:
        out = []
        for flag in (False, True):
            runtime.PYPY = runtime._PYPY = flag
            out.append(build(mod, items).to_bytes())
    finally:
        runtime.PYPY, runtime._PYPY = saved
    assert out[0] == out[1]
    check_read(mod, out[0], items)
