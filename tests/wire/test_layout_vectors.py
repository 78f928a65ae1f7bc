"""Every conformance vector, read without a schema: walked, deep-copied, refused when hostile."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any, Dict, List

import pytest

from capnp_lite.errors import DecodeError, LimitError
from capnp_lite.wire.framing import decode_message
from capnp_lite.wire import (
    ELEM_BYTE,
    ELEM_COMPOSITE,
    ELEM_POINTER,
    AnyPointerReader,
    ListReader,
    MessageBuilder,
    MessageReader,
    PointerKind,
    StructReader,
)

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors"


def _cases() -> List[Dict[str, Any]]:
    import os

    root = Path(os.environ.get("CAPNP_LITE_VECTORS", VECTORS))
    manifest = root / "manifest.json"
    if not manifest.is_file():
        return []
    cases: List[Dict[str, Any]] = json.loads(manifest.read_text())["cases"]
    return cases


CASES = _cases()
FRAMED = [c for c in CASES if c["category"] != "hostile" and "binary" in c["files"]]
HOSTILE = [c for c in CASES if c["category"] == "hostile" and "binary" in c["files"]]


def frame(data: bytes) -> List[bytes]:
    """A minimal segment-table parser, independent of the framing module."""
    count = struct.unpack_from("<I", data, 0)[0] + 1
    sizes = struct.unpack_from(f"<{count}I", data, 4)
    pos = 4 + 4 * count
    pos += pos % 8
    segments = []
    for size in sizes:
        segments.append(data[pos:pos + size * 8])
        pos += size * 8
    assert pos <= len(data)
    return segments


def walk_pointer(ptr: AnyPointerReader) -> int:
    """Visit everything reachable from ``ptr``; return how many objects were seen."""
    kind = ptr.kind
    if kind == PointerKind.NULL:
        return 0
    if kind == PointerKind.CAPABILITY:
        assert ptr.get_capability() is not None
        return 1
    if kind == PointerKind.STRUCT:
        return walk_struct(ptr.get_struct())
    return walk_list(ptr.get_list())


def walk_struct(s: StructReader) -> int:
    s.data_bytes()
    return 1 + sum(walk_pointer(s.get_pointer(i)) for i in range(s.ptr_count))


def walk_list(lst: ListReader) -> int:
    seen = 1
    if lst.element_size == ELEM_COMPOSITE:
        for i in range(len(lst)):
            seen += walk_struct(lst.get_struct(i))
    elif lst.element_size == ELEM_POINTER:
        for i in range(len(lst)):
            seen += walk_pointer(lst.get_pointer(i))
    elif lst.element_size == ELEM_BYTE:
        lst.to_list("B")
    elif lst.data_bits_per_element:
        lst.to_list()
    return seen


def copy_root(segments: List[bytes], builder: MessageBuilder) -> List[bytes]:
    builder.set_root_pointer(MessageReader(segments).root_pointer())
    return builder.segments()


def by_reference_encoder(case: Dict[str, Any]) -> bool:
    """True when message.bin came from `capnp encode` (not a hand-built graph)."""
    made_by = case.get("made_by")
    return made_by is None or "capnp 0.9.2 encode" in made_by


@pytest.mark.parametrize("case", FRAMED, ids=[c["id"] for c in FRAMED])
def test_walk_and_copy(case: Dict[str, Any], vectors: Path) -> None:
    segments = frame((vectors / case["files"]["binary"]).read_bytes())
    if "segments" in case:
        assert [len(s) // 8 for s in segments] == case["segments"]
    root = MessageReader(segments).root_pointer()
    assert walk_pointer(root) >= (0 if root.is_null() else 1)

    copy = copy_root(segments, MessageBuilder())
    flat = copy_root(segments, MessageBuilder(1 << 16))
    single = copy_root(segments, MessageBuilder(8, growth="single"))
    assert len(flat) == 1 and single == flat
    # Whatever the layout, the copy holds the same content: compare canonical forms.
    from capnp_lite.wire import canonicalize

    want = canonicalize(MessageReader(segments).root())
    assert canonicalize(MessageReader(copy).root()) == want
    assert canonicalize(MessageReader(flat).root()) == want

    if not by_reference_encoder(case):
        return
    made_by = case.get("made_by") or ""
    size = re.search(r"segment-size=(\d+)", made_by)
    if size:
        # `capnp encode --segment-size=N` uses fixed-size segments of N words.
        fixed = copy_root(segments, MessageBuilder(int(size.group(1)), growth="fixed"))
        assert fixed == segments
    else:
        assert copy == segments
    if "flat" in case["files"]:
        assert flat == [(vectors / case["files"]["flat"]).read_bytes()]


SCHEMA_LEVEL = {
    "hostile/capability_without_context",
    "hostile/text_invalid_utf8",
    "hostile/text_not_nul_terminated",
    "hostile/struct_field_is_list",
    "hostile/int32_list_is_bit_list",
}


@pytest.mark.parametrize("case", HOSTILE, ids=[c["id"] for c in HOSTILE])
def test_hostile(case: Dict[str, Any], vectors: Path) -> None:
    data = (vectors / case["files"]["binary"]).read_bytes()
    try:
        segments = frame(data)
    except (struct.error, AssertionError):
        # Bad framing (the oracle above cannot split it): the stream decoder must refuse it.
        with pytest.raises(DecodeError):
            decode_message(data)
        return
    try:
        msg = MessageReader(segments)
        walk_pointer(msg.root_pointer())
        copy_root(segments, MessageBuilder())
    except DecodeError as exc:
        if "nesting" in case["id"] or "cycle" in case["id"] or "amplification" in case["id"]:
            assert isinstance(exc, LimitError)
        return
    # The rest are errors only against a schema (checked by the tests below).
    assert case["id"] in SCHEMA_LEVEL


def test_hostile_text_errors(vectors: Path) -> None:
    def text_of(name: str) -> str:
        segments = frame((vectors / "hostile" / name / "input.bin").read_bytes())
        root = MessageReader(segments).root()
        for i in range(root.ptr_count):
            p = root.get_pointer(i)
            if p.kind == PointerKind.LIST and p.get_list().element_size == ELEM_BYTE:
                return root.get_text(i)
        raise AssertionError("no text field")

    with pytest.raises(DecodeError, match="UTF-8"):
        text_of("text_invalid_utf8")
    with pytest.raises(DecodeError, match="NUL"):
        text_of("text_not_nul_terminated")
    with pytest.raises(DecodeError, match="out-of-bounds"):
        text_of("text_out_of_bounds")


def test_hostile_bit_list_as_int32(vectors: Path) -> None:
    segments = frame((vectors / "hostile/int32_list_is_bit_list/input.bin").read_bytes())
    root = MessageReader(segments).root()
    hits = 0
    for i in range(root.ptr_count):
        p = root.get_pointer(i)
        if p.kind == PointerKind.LIST and p.get_list().element_size == 1:
            hits += 1
            with pytest.raises(DecodeError, match="bit list"):
                root.get_list(i, 4)
    assert hits == 1


def test_hostile_struct_field_is_list(vectors: Path) -> None:
    segments = frame((vectors / "hostile/struct_field_is_list/input.bin").read_bytes())
    root = MessageReader(segments).root()
    lists = [i for i in range(root.ptr_count) if root.get_pointer(i).kind == PointerKind.LIST]
    assert lists
    with pytest.raises(DecodeError, match="expected a struct pointer"):
        root.get_struct(lists[0])
