"""Bulk paths of generated code: struct lists unpacked in one pass, short number lists
packed with cached formats, text decoded from a bytes copy of the message.

Expected values come from the layout core (``capnp_lite.wire``), which reads and writes
independently of the generated fast paths.
"""

from __future__ import annotations

import importlib
import struct
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any, List, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.codegen import generate
from capnp_lite.errors import DecodeError, EncodeError
from capnp_lite.schema import compile_source
from capnp_lite.wire.layout import MessageReader

# The same structs, as an older writer (V1) and a newer one (V2) know them.
V1 = """
@0xc4a1f00dfa570011;
struct Item { id @0 :UInt32; name @1 :Text; flag @2 :Bool; }
struct Box { items @0 :List(Item); nums @1 :List(Int16); wide @2 :List(UInt64); }
"""
V2 = """
@0xc4a1f00dfa570012;
struct Item {
  id @0 :UInt32; name @1 :Text; flag @2 :Bool;
  extra @3 :Float64; note @4 :Text; more @5 :Int64;
}
struct Box { items @0 :List(Item); nums @1 :List(Int16); wide @2 :List(UInt64); }
"""


def _load(tmp: Path, source: str, name: str) -> ModuleType:
    pkg = "cgbulk_" + uuid.uuid4().hex[:8]
    (tmp / pkg).mkdir()
    (tmp / pkg / "__init__.py").write_text("")
    for mod, text in generate(compile_source(source, f"{name}.capnp")).items():
        (tmp / pkg / f"{mod}.py").write_text(text)
    sys.path.insert(0, str(tmp))
    return importlib.import_module(f"{pkg}.{name}_capnp")


@pytest.fixture(scope="module")
def mods(tmp_path_factory: pytest.TempPathFactory) -> Tuple[ModuleType, ModuleType]:
    tmp = tmp_path_factory.mktemp("cgbulk")
    return _load(tmp, V1, "bulkone"), _load(tmp, V2, "bulktwo")


def _core_items(data: bytes) -> List[Tuple[int, str, bool]]:
    """(id, name, flag) of every Box.items element, read by the layout core."""
    root = MessageReader([data[8:]]).root()
    lst = root.get_list(0, 7)
    out = []
    for i in range(len(lst)):
        s = lst.get_struct(i)
        out.append((s.get_uint32(0), s.get_text(0), s.get_bool(32)))
    return out


def test_struct_list_rows_match_the_core_for_every_writer(mods: Tuple[Any, Any]) -> None:
    one, two = mods
    for writer in (one, two):
        box = writer.Box.new_message()
        items = box.init_items(7)
        for k, it in enumerate(items):
            it.id = 1000 + k
            it.name = f"n{k}" * k
            it.flag = bool(k % 2)
            if writer is two:
                it.extra = k / 3
                it.note = "x"
                it.more = -k
        data = box.to_bytes()
        want = _core_items(data)
        for reader in (one, two):
            for src in (data, bytearray(data), memoryview(data)):
                r = reader.Box.from_bytes(src)
                # Iteration takes the bulk path; indexing reads element by element.
                got = [(it.id, it.name, it.flag) for it in r.items]
                assert got == want
                assert [(r.items[i].id, r.items[i].name, r.items[i].flag)
                        for i in range(7)] == want
        if writer is two:
            # A newer writer's wider elements: the older reader skips the rest of each.
            r2 = two.Box.from_bytes(data)
            assert [(it.extra, it.note, it.more) for it in r2.items] == [
                (k / 3, "x", -k) for k in range(7)]
        else:
            # An older writer's narrower elements: the newer reader's new fields read zero.
            r2 = two.Box.from_bytes(data)
            assert [(it.extra, it.note, it.more) for it in r2.items] == [(0.0, "", 0)] * 7


def test_text_past_the_frame_is_an_error_even_with_trailing_bytes(mods: Tuple[Any, Any]) -> None:
    one = mods[0]
    it = one.Item.new_message()
    it.name = "abc"
    data = bytearray(it.to_bytes())
    # Item: root pointer, 1 data word, 1 pointer (name), then the text's word.
    at = 8 + 16
    p = struct.unpack_from("<Q", data, at)[0]
    # Claim 12 bytes: 4 of them lie after the message, where the trailer has a NUL.
    struct.pack_into("<Q", data, at, (p & ((1 << 35) - 1)) | (12 << 35))
    framed = bytes(data) + b"defg\x00\x00\x00\x00"
    with pytest.raises(DecodeError):
        one.Item.from_bytes(framed).name


def test_number_lists_short_and_long_round_trip(mods: Tuple[Any, Any]) -> None:
    one = mods[0]
    for n in (0, 1, 3, 16, 17, 40):
        box = one.Box.new_message()
        box.nums = [(-1) ** k * k * 700 for k in range(n)]
        box.wide = [(1 << 64) - 1 - k for k in range(n)]
        data = box.to_bytes()
        root = MessageReader([data[8:]]).root()
        assert root.get_list(1, 3).to_list("h") == box.nums
        assert root.get_list(2, 5).to_list("Q") == box.wide
        r = one.Box.from_bytes(data)
        assert list(r.nums) == box.nums and list(r.wide) == box.wide


@pytest.mark.parametrize("bad", [[40000], [1, 2, -40000], ["x"], [1.5], [None] * 20,
                                 [0] * 16 + [1 << 20]])
def test_number_lists_reject_out_of_range_values(mods: Tuple[Any, Any], bad: List[Any]) -> None:
    box = mods[0].Box.new_message()
    box.nums = bad
    with pytest.raises(EncodeError):
        box.to_bytes()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 0xFFFFFFFF), st.text(max_size=12), st.booleans()),
                max_size=12))
def test_struct_list_round_trip(mods: Tuple[Any, Any], rows: List[Tuple[int, str, bool]]
                                ) -> None:
    one = mods[0]
    box = one.Box.new_message()
    for it, (i, name, flag) in zip(box.init_items(len(rows)), rows):
        it.id = i
        it.name = name
        it.flag = flag
    data = box.to_bytes()
    assert _core_items(data) == rows
    assert [(it.id, it.name, it.flag) for it in one.Box.from_bytes(data).items] == rows
