"""The generated readers' fast paths follow single far pointers themselves.

A message bigger than its first segment reaches many texts and lists through
far pointers.  The fast paths read those directly; these tests build messages
with tiny fixed-size segments (so nearly every pointer is far) and compare the
generated reader with the layout core, including hostile landing pads, which
must fail exactly as the core fails.
"""

from __future__ import annotations

import importlib
import sys
import uuid
from types import ModuleType
from typing import Any, Dict, List, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.codegen import generate, runtime
from capnp_lite.errors import DecodeError
from capnp_lite.schema import compile_source
from capnp_lite.wire.layout import MessageBuilder, MessageReader
from capnp_lite.wire.pointers import ELEM_FOUR_BYTES, ELEM_POINTER

SCHEMA = """
@0xd1f0a7c3b2e49911;

struct Far {
  name @0 :Text;
  tags @1 :List(Text);
  nums @2 :List(Int32);
  id @3 :UInt32;
}
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    tmp = tmp_path_factory.mktemp("cgfar")
    pkg = "cgfar_" + uuid.uuid4().hex[:8]
    (tmp / pkg).mkdir()
    (tmp / pkg / "__init__.py").write_text("")
    for name, text in generate(compile_source(SCHEMA, "far.capnp")).items():
        (tmp / pkg / f"{name}.py").write_text(text)
    sys.path.insert(0, str(tmp))
    return importlib.import_module(f"{pkg}.far_capnp")


def _segments(name: Optional[str], tags: Optional[List[str]], nums: Optional[List[int]],
              segment_words: int) -> List[bytes]:
    """A Far message built by the layout core with fixed segments of ``segment_words``."""
    mb = MessageBuilder(segment_words, growth="fixed")
    root = mb.init_root(1, 3)
    root.set_uint32(0, 7)
    if name is not None:
        root.set_text(0, name)
    if tags is not None:
        lst = root.init_list(1, ELEM_POINTER, len(tags))
        for i, t in enumerate(tags):
            lst.set_text(i, t)
    if nums is not None:
        root.init_primitive_list(2, "i", nums)
    return mb.segments()


def _far_pointers(segments: List[bytes]) -> int:
    words = [int.from_bytes(s[i:i + 8], "little") for s in segments for i in range(0, len(s), 8)]
    return sum(1 for w in words if w & 3 == 2)


def _via_core(segments: List[bytes]) -> Dict[str, Any]:
    r = MessageReader(segments).root()
    return {"name": r.get_text(0),
            "tags": [r.get_list(1, ELEM_POINTER).get_text(i) for i in range(len(r.get_list(1, ELEM_POINTER)))],
            "nums": r.get_list(2, ELEM_FOUR_BYTES).to_list("i"), "id": r.get_uint32(0)}


def _via_generated(mod: ModuleType, segments: List[bytes]) -> Dict[str, Any]:
    r = mod.Far_Reader.from_segments(segments)
    return {"name": r.name, "tags": list(r.tags), "nums": list(r.nums), "id": r.id}


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=30)),
       st.one_of(st.none(), st.lists(st.text(max_size=12), max_size=6)),
       st.one_of(st.none(), st.lists(st.integers(-(1 << 31), (1 << 31) - 1), max_size=20)),
       st.integers(2, 6))
def test_far_fields_read_like_the_core(mod: ModuleType, name: Optional[str], tags: Optional[List[str]],
                                       nums: Optional[List[int]], segment_words: int) -> None:
    segments = _segments(name, tags, nums, segment_words)
    assert _via_generated(mod, segments) == _via_core(segments)


def test_the_far_path_is_taken(mod: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    segments = _segments("a name long enough", ["x", "yy"], [1, 2, 3, 4, 5], 3)
    assert _far_pointers(segments) >= 3
    r = mod.Far_Reader.from_segments(segments)
    assert list(r.tags) == ["x", "yy"]  # its texts sit behind far pointers too: the core reads them
    # With the core's readers out of the way, only the fast paths can answer.
    monkeypatch.setattr(type(r), "_r", property(lambda self: pytest.fail("fell back to the core")))
    assert (r.name, list(r.nums)) == ("a name long enough", [1, 2, 3, 4, 5])


def _rewrite_pad(segments: List[bytes], new_pad: int) -> List[bytes]:
    """Replace the landing pad the root's text pointer reaches."""
    reader = MessageReader(segments)
    root = reader.root()
    seg0 = root.segment
    ptr_word = int.from_bytes(bytes(seg0.b[root.pointer_offset * 8:root.pointer_offset * 8 + 8]), "little")
    assert ptr_word & 3 == 2, "the text pointer must be far for this test"
    sid, pad = ptr_word >> 32, (ptr_word >> 3) & 0x1FFFFFFF
    out = [bytearray(s) for s in segments]
    out[sid][pad * 8:pad * 8 + 8] = new_pad.to_bytes(8, "little")
    return [bytes(s) for s in out]


@pytest.mark.parametrize("pad", [
    0,  # a null pad
    0x0000000100000000,  # a struct pointer where a text belongs
    (5 << 35) | (2 << 32) | 1 | (1 << 2),  # a byte list running past its segment
    0x2,  # a far pointer as pad
])
def test_bad_landing_pads_fail_like_the_core(mod: ModuleType, pad: int) -> None:
    segments = _rewrite_pad(_segments("hello", None, None, 2), pad)
    try:
        expected: Any = _via_core(segments)["name"]
    except DecodeError as exc:
        expected = type(exc)
    try:
        got: Any = mod.Far_Reader.from_segments(segments).name
    except DecodeError as exc:
        got = type(exc)
    assert got == expected


def test_helper_refuses_double_far_and_unknown_segments() -> None:
    segments = _segments("x", None, None, 2)
    reader = MessageReader(segments)
    assert runtime._far(reader, 2 | 4) is None  # double-far: left to the core
    assert runtime._far(reader, 2 | (99 << 32)) is None  # no such segment
    assert runtime._far(reader, 2 | (1 << 32) | (10 ** 6 << 3)) is None  # pad beyond its segment


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=30), st.lists(st.text(max_size=12), max_size=6),
       st.lists(st.integers(-(1 << 31), (1 << 31) - 1), max_size=20), st.integers(2, 4))
def test_framed_multi_segment_bytes_read_like_segments(mod: ModuleType, name: str, tags: List[str],
                                                       nums: List[int], segment_words: int) -> None:
    from capnp_lite.wire.framing import encode_message

    segments = _segments(name, tags, nums, segment_words)
    assert len(segments) > 1  # the root pointer and struct (5 words) overflow 2..4
    framed = encode_message(segments)
    assert _via_generated_bytes(mod, framed) == _via_core(segments)


def _via_generated_bytes(mod: ModuleType, framed: bytes) -> Dict[str, Any]:
    r = mod.Far_Reader.from_bytes(framed)
    return {"name": r.name, "tags": list(r.tags), "nums": list(r.nums), "id": r.id}
