"""Generated readers' fast paths: same values as pycapnp, old writers, malformed input.

The readers follow near pointers and unpack scalars themselves and hand
everything else to the layout core; these tests pin down that both routes
agree with the reference and that broken input only ever raises DecodeError.
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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capnp_lite.codegen import generate, runtime
from capnp_lite.errors import DecodeError, EncodeError, LimitError
from capnp_lite.schema import compile_source
from capnp_lite.wire.framing import FEW_SEGMENTS, encode_message
from capnp_lite.wire.layout import MessageBuilder, MessageReader

try:
    import capnp  # type: ignore[import-untyped, import-not-found, unused-ignore]
except ImportError:  # PyPy: the checks that need the reference are skipped
    capnp = None

SCHEMA = """
@0xc4a1f00dfa570001;

enum Color { red @0; green @1; blue @2; }

struct Item {
  name @0 :Text;
  color @1 :Color;
  price @2 :Float64;
  weight @3 :Float32;
  tags @4 :List(Text);
  scores @5 :List(Int32);
  id @6 :UInt64;
  blob @7 :Data;
  on @8 :Bool;
  off @9 :Bool = true;
  bias @10 :Int16 = -3;
  sub @11 :Item;
  union {
    none @12 :Void;
    count @13 :UInt32;
    label @14 :Text;
  }
  shades @15 :List(Color);
}

struct Catalog {
  title @0 :Text;
  items @1 :List(Item);
}

struct Wide { x @0 :Int64; y @1 :UInt32; }
struct Holder { wides @0 :List(Wide); }
"""

# An older version of the same structs: fewer fields, smaller sections.
OLD_SCHEMA = """
@0xc4a1f00dfa570002;

enum Color { red @0; green @1; blue @2; }

struct Item {
  name @0 :Text;
  color @1 :Color;
}

struct Holder { wides @0 :List(UInt32); }
"""


def _load(tmp: Path, source: str, name: str) -> ModuleType:
    request = compile_source(source, f"{name}.capnp")
    pkg = "cgfast_" + uuid.uuid4().hex[:8]
    (tmp / pkg).mkdir()
    (tmp / pkg / "__init__.py").write_text("")
    for mod, text in generate(request).items():
        (tmp / pkg / f"{mod}.py").write_text(text)
    sys.path.insert(0, str(tmp))
    return importlib.import_module(f"{pkg}.{name}_capnp")


@pytest.fixture(scope="module")
def mods(tmp_path_factory: pytest.TempPathFactory) -> Tuple[ModuleType, ModuleType, Any]:
    tmp = tmp_path_factory.mktemp("cgfast")
    new = _load(tmp, SCHEMA, "fast")
    old = _load(tmp, OLD_SCHEMA, "fastold")
    ref = None
    if capnp is not None:
        path = tmp / "fastref.capnp"
        path.write_text(SCHEMA)
        ref = capnp.load(str(path))
    return new, old, ref


def _fill_ref(item: Any, k: int, empty_lists: bool = True) -> None:
    item.name = f"item {k} \u00e9"
    item.color = ["red", "green", "blue"][k % 3]
    item.price = k * 1.25
    item.weight = k * 0.5
    item.tags = ["alpha", "", f"t{k}" * (k % 5)]
    item.scores = [k, -k, k * 1000]
    item.id = k * 1000003
    item.blob = bytes(range(k % 11 if empty_lists else 1 + k % 10))
    item.on = bool(k & 1)
    item.off = bool(k & 2)
    item.bias = -k
    item.shades = ["blue", "red"][: k % 3 if empty_lists else 1 + k % 2]
    if k % 3 == 1:
        item.count = k
    elif k % 3 == 2:
        item.label = f"L{k}"
    if k % 4 == 0:
        item.sub.name = "child"
        item.sub.id = 7


def _fill_ours(new: ModuleType, item: Any, k: int, empty_lists: bool) -> None:
    """``_fill_ref`` with our own builders (for interpreters without pycapnp)."""
    item.name = f"item {k} \u00e9"
    item.color = new.Color(k % 3)
    item.price = k * 1.25
    item.weight = k * 0.5
    item.tags = ["alpha", "", f"t{k}" * (k % 5)]
    item.scores = [k, -k, k * 1000]
    item.id = k * 1000003
    item.blob = bytes(range(k % 11 if empty_lists else 1 + k % 10))
    item.on = bool(k & 1)
    item.off = bool(k & 2)
    item.bias = -k
    item.shades = [new.Color.blue, new.Color.red][: k % 3 if empty_lists else 1 + k % 2]
    if k % 3 == 1:
        item.count = k
    elif k % 3 == 2:
        item.label = f"L{k}"
    if k % 4 == 0:
        item.sub.name = "child"
        item.sub.id = 7


def _catalog_bytes(mods: Tuple[Any, Any, Any], n: int, empty_lists: bool = True) -> bytes:
    new, _, ref = mods
    if ref is not None:
        data: bytes = _reference_catalog(ref, n, empty_lists).to_bytes()
        return data
    cat = new.Catalog.new_message()
    cat.title = "catalog"
    for k, item in enumerate(cat.init_items(n)):
        _fill_ours(new, item, k, empty_lists)
    out: bytes = cat.to_bytes()
    return out


def _reference_catalog(ref: Any, n: int, empty_lists: bool = True) -> Any:
    cat = ref.Catalog.new_message()
    cat.title = "catalog"
    items = cat.init("items", n)
    for k in range(n):
        _fill_ref(items[k], k, empty_lists)
    return cat


def _read_item(it: Any) -> List[Any]:
    out = [it.name, int(it.color), it.price, it.weight, list(it.tags), list(it.scores), it.id,
           it.blob, it.on, it.off, it.bias, [int(s) for s in it.shades],
           it.which().name]
    which = it.which().name
    if which == "count":
        out.append(it.count)
    elif which == "label":
        out.append(it.label)
    out.append((it.sub.name, it.sub.id))
    return out


def _read_ref_item(it: Any) -> List[Any]:
    out = [it.name, it.color.raw, it.price, it.weight, list(it.tags), list(it.scores), it.id,
           bytes(it.blob), it.on, it.off, it.bias, [s.raw for s in it.shades], it.which()]
    if it.which() == "count":
        out.append(it.count)
    elif it.which() == "label":
        out.append(it.label)
    out.append((it.sub.name, it.sub.id))
    return out


def test_values_match_pycapnp_through_every_entry_point(mods: Tuple[Any, Any, Any]) -> None:
    new, _, ref = mods
    if ref is None:
        pytest.skip("needs pycapnp")
    cat = _reference_catalog(ref, 12)
    data = cat.to_bytes()
    want = [_read_ref_item(it) for it in cat.as_reader().items]
    flat = data[8:]
    cat.clear_write_flag()
    packed = cat.to_bytes_packed()
    readers = [
        new.Catalog.from_bytes(data),
        new.Catalog.from_bytes(bytearray(data)),
        new.Catalog.from_bytes(memoryview(data)),
        new.Catalog.from_flat_bytes(flat),
        new.Catalog.from_bytes_packed(packed),
        new.Catalog_Reader.from_segments([flat]),
    ]
    for r in readers:
        assert r.title == "catalog"
        assert [_read_item(it) for it in r.items] == want
        assert [_read_item(r.items[i]) for i in range(-12, 0)] == want
        assert [_read_item(it) for it in r.items[3:7]] == want[3:7]
        with pytest.raises(IndexError):
            r.items[12]


def test_multi_segment_messages_take_the_core_path(mods: Tuple[Any, Any, Any]) -> None:
    new = mods[0]
    data = _catalog_bytes(mods, 6)
    want = [_read_item(it) for it in new.Catalog.from_bytes(data).items]
    # Spread the message over many small segments: most pointers become far pointers.
    src = MessageReader([data[8:]]).root()
    mb = MessageBuilder(2, growth="fixed")
    mb.set_root(src)
    segments = mb.segments()
    assert len(segments) > 10
    r = new.Catalog_Reader.from_segments(segments)
    assert [_read_item(it) for it in r.items] == want
    assert [_read_item(r.items[i]) for i in range(6)] == want
    # Framed: bytes of a few segments are split without the general decoder (as bytes
    # copies); more segments, and other buffers, take the decoder.  All read alike.
    few = MessageBuilder(100, growth="fixed")
    few.set_root(src)
    assert 1 < len(few.segments()) <= FEW_SEGMENTS < len(segments)
    for segs in (few.segments(), segments):
        framed = encode_message(segs)
        for buf in (framed, bytearray(framed), memoryview(framed)):
            r = new.Catalog.from_bytes(buf)
            assert [_read_item(it) for it in r.items] == want
        for cut in (1, 8, len(framed) - 9):
            with pytest.raises(DecodeError):
                new.Catalog.from_bytes(framed[:-cut])


def test_older_writer_reads_defaults(mods: Tuple[Any, Any, Any]) -> None:
    new, old, _ = mods
    b = old.Item.new_message()
    b.name = "old"
    b.color = old.Color.blue
    r = new.Item.from_bytes(b.to_bytes())
    assert r.name == "old" and r.color == new.Color.blue
    assert (r.price, r.weight, r.id, r.on, r.off, r.bias) == (0.0, 0.0, 0, False, True, -3)
    assert list(r.tags) == [] and list(r.scores) == [] and r.blob == b""
    assert r.which() == new.Item_Which.none
    assert r.sub.name == "" and r.sub.bias == -3


def test_primitive_list_upgrade_reads_only_covered_fields(mods: Tuple[Any, Any, Any]) -> None:
    new, old, _ = mods
    h = old.Holder.new_message()
    h.wides = [5, 0xFFFFFFFF]
    r = new.Holder.from_bytes(h.to_bytes())
    # Each element's data section is one 32-bit word: x (64 bits) and y lie
    # beyond it, so both read as their defaults, as the reference does.
    assert [(w.x, w.y) for w in r.wides] == [(0, 0), (0, 0)]


def _item_message(new: ModuleType, name: str = "hello", tags: Tuple[str, ...] = ("a", "bc")
                  ) -> bytearray:
    b = new.Item.new_message()
    b.name = name
    b.tags = list(tags)
    b.scores = [1, 2, 3]
    return bytearray(b.to_bytes())


def _text_pointer_offset(data: bytearray) -> int:
    """Byte offset (in the framed message) of Item.name's pointer word."""
    root: int = struct.unpack_from("<Q", data, 8)[0]
    start = 1 + ((root >> 2) & 0x3FFFFFFF)
    dw = (root >> 32) & 0xFFFF
    return 8 + (start + dw) * 8


def test_malformed_text_raises_decode_error(mods: Tuple[Any, Any, Any]) -> None:
    new = mods[0]
    base = _item_message(new)
    at = _text_pointer_offset(base)
    p = struct.unpack_from("<Q", base, at)[0]
    cases = []
    long = bytearray(base)  # length runs past the segment
    struct.pack_into("<Q", long, at, (p & ((1 << 35) - 1)) | (4000 << 35))
    cases.append(long)
    empty = bytearray(base)  # zero-length byte list: no NUL
    struct.pack_into("<Q", empty, at, p & ((1 << 35) - 1))
    cases.append(empty)
    target = at + 8 + ((p >> 2) & 0x3FFFFFFF) * 8
    no_nul = bytearray(base)
    no_nul[target + 5] = ord("!")
    cases.append(no_nul)
    bad_utf8 = bytearray(base)
    bad_utf8[target] = 0xFF
    cases.append(bad_utf8)
    for data in cases:
        with pytest.raises(DecodeError):
            new.Item.from_bytes(bytes(data)).name
    # The same corruption inside a List(Text) element.
    b = new.Item.new_message()
    b.tags = ["one", "two"]
    data = bytearray(b.to_bytes())
    pos = data.find(b"two\x00")
    data[pos] = 0xFF
    with pytest.raises(DecodeError):
        list(new.Item.from_bytes(bytes(data)).tags)


def test_struct_list_overrun_raises_decode_error(mods: Tuple[Any, Any, Any]) -> None:
    new = mods[0]
    data = bytearray(_catalog_bytes(mods, 2))
    root = struct.unpack_from("<Q", data, 8)[0]
    ptrs = 8 + (1 + ((root >> 2) & 0x3FFFFFFF)) * 8
    lp = struct.unpack_from("<Q", data, ptrs + 8)[0]
    tag_at = ptrs + 16 + ((lp >> 2) & 0x3FFFFFFF) * 8
    tag = struct.unpack_from("<Q", data, tag_at)[0]
    struct.pack_into("<Q", data, tag_at, (tag & ~(0x3FFFFFFF << 2)) | (1000 << 2))
    with pytest.raises(DecodeError):
        new.Catalog.from_bytes(bytes(data)).items


def _read_all(cat: Any) -> int:
    total = len(cat.title)
    for it in cat.items:
        total += len(_read_item(it))
    return total


def _threshold(read: Any, data: bytes) -> int:
    """The smallest traversal limit at which ``read(data, limit)`` succeeds."""
    lo, hi = 1, 1 << 16
    while lo < hi:
        mid = (lo + hi) // 2
        try:
            read(data, mid)
            hi = mid
        except Exception:
            lo = mid + 1
    return lo


def test_fast_paths_charge_what_the_core_charges(mods: Tuple[Any, Any, Any],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    new = mods[0]
    data = _catalog_bytes(mods, 5)

    def ours(d: bytes, limit: int) -> None:
        _read_all(new.Catalog.from_bytes(d, traversal_limit_in_words=limit))

    fast = _threshold(ours, data)
    with pytest.raises(LimitError):
        ours(data, fast - 1)
    # Masks no pointer word can match: every pointer goes through the layout core.
    monkeypatch.setattr(runtime, "_KIND_SIZE_MASK", (1 << 64) - 1)
    monkeypatch.setattr(runtime, "_KIND_MASK", (1 << 64) - 1)
    assert _threshold(ours, data) == fast


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=0, max_size=200), st.integers(0, 190))
def test_random_bytes_raise_only_decode_error(mods: Tuple[Any, Any, Any], noise: bytes,
                                              at: int) -> None:
    new = mods[0]
    base = bytearray(_catalog_bytes(mods, 2))
    for data in (bytes(noise), bytes(base[:at] + noise + base[at + len(noise):])):
        try:
            _read_all(new.Catalog.from_bytes(data, traversal_limit_in_words=4096))
        except DecodeError:
            pass


def test_plain_scalar_structs_pack_in_one_call(mods: Tuple[Any, Any, Any]) -> None:
    new, _, ref = mods
    b = new.Wide.new_message()
    b.x = -(1 << 62)
    b.y = 0xFFFFFFFE
    # The one-call form must equal the general serializer, framed and flat.
    assert b.to_bytes() == bytes(runtime.serialize(b, True))
    assert b.to_flat_bytes() == bytes(runtime.serialize(b, False))
    r = new.Wide.from_bytes(b.to_bytes())
    assert (r.x, r.y) == (-(1 << 62), 0xFFFFFFFE)
    if ref is not None:
        w = ref.Wide.new_message()
        w.x = -(1 << 62)
        w.y = 0xFFFFFFFE
        assert b.to_bytes() == w.to_bytes()
    b.y = -1
    with pytest.raises(EncodeError):
        b.to_bytes()
