"""The x-ray tool: construct descriptions, the walk, the CLI on every vector."""

from __future__ import annotations

import importlib.util
import json
import os
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from capnp_lite.__main__ import main as cli_main
from capnp_lite.errors import DecodeError, LimitError

REPO = Path(__file__).resolve().parent.parent
_VECTORS = Path(os.environ.get("CAPNP_LITE_VECTORS", REPO.parent / "shared" / "vectors"))

from capnp_lite import inspect as xray

HAVE_CONSTRUCT = importlib.util.find_spec("construct") is not None
# Tests that must also pass where the optional dependency is missing.
WITHOUT_CONSTRUCT = {"test_cli_without_construct", "test_dispatcher"}


@pytest.fixture(autouse=True)
def _needs_construct(request: pytest.FixtureRequest) -> None:
    if not HAVE_CONSTRUCT and request.node.originalname not in WITHOUT_CONSTRUCT:
        pytest.skip("construct is not installed (pip install 'capnp-lite[inspect]')")


def _manifest_cases() -> List[Dict[str, Any]]:
    path = _VECTORS / "manifest.json"
    if not path.is_file():
        return []
    cases: List[Dict[str, Any]] = json.loads(path.read_text())["cases"]
    return cases


CASES = _manifest_cases()
VALID = [c for c in CASES if c["category"] != "hostile" and "binary" in c["files"]]
HOSTILE = [c for c in CASES if c["category"] == "hostile" and "text" not in c["files"]]
# The tool has no schema, so hostile inputs whose fault is only visible with
# one (a wrong pointer kind for a field, text rules, capabilities) are shown
# without error. For the others: the text the error must contain.
HOSTILE_ERRORS = {
    "segment_table_truncated": "segment table",
    "segment_count_huge": "4294967296 segments",
    "segment_size_beyond_input": "segment 0",
    "root_pointer_out_of_bounds": "out-of-bounds struct pointer",
    "text_out_of_bounds": "out-of-bounds list pointer",
    "far_pointer_missing_segment": "unknown segment 7",
    "landing_pad_out_of_bounds": "landing pad",
    "double_far_pad_not_far": "must start with a far pointer",
    "zero_size_struct_list_amplification": "traversal limit",
    "nesting_65_levels": "too deeply nested",
    "struct_self_cycle": "too deeply nested",
    "inline_composite_overrun": "overrun",
    "packed_truncated_zero_run": "truncated",
    "packed_truncated_ff_run": "truncated",
}
HOSTILE_SHOWN = {
    "capability_without_context": "capability index=0",
    "text_invalid_utf8": "list of",
    "text_not_nul_terminated": "list of 3 x byte  616263",
    "struct_field_is_list": "list offset=",
    "int32_list_is_bit_list": "size=bit",
}


def u64(*words: int) -> bytes:
    return struct.pack(f"<{len(words)}Q", *words)


def struct_ptr(offset: int, data: int, ptrs: int) -> int:
    return (ptrs << 48) | (data << 32) | ((offset & 0x3FFFFFFF) << 2)


def list_ptr(offset: int, size: int, count: int) -> int:
    return (count << 35) | (size << 32) | ((offset & 0x3FFFFFFF) << 2) | 1


def far_ptr(segment: int, pad: int, double: bool = False) -> int:
    return (segment << 32) | (pad << 3) | (int(double) << 2) | 2


# --- the construct descriptions ----------------------------------------------

POINTERS: List[Tuple[int, str, Dict[str, Any]]] = [
    (0, "null", {}),
    (struct_ptr(2, 3, 1), "struct", {"offset": 2, "data_words": 3, "pointer_count": 1}),
    (0xFFFFFFFC, "struct", {"offset": -1, "data_words": 0, "pointer_count": 0}),
    (struct_ptr(-5, 0xFFFF, 0xFFFF), "struct",
     {"offset": -5, "data_words": 0xFFFF, "pointer_count": 0xFFFF}),
    (list_ptr(5, 2, 13), "list", {"offset": 5, "element_size": 2, "count": 13}),
    (list_ptr(-1, 7, (1 << 29) - 1), "list",
     {"offset": -1, "element_size": 7, "count": (1 << 29) - 1}),
    (far_ptr(7, 50, True), "far", {"segment": 7, "pad_offset": 50, "double": True}),
    (far_ptr(0xFFFFFFFF, (1 << 29) - 1), "far",
     {"segment": 0xFFFFFFFF, "pad_offset": (1 << 29) - 1, "double": False}),
    ((4 << 32) | 3, "capability", {"index": 4}),
    ((4 << 32) | 7, "other", {"index": 4, "reserved": 1}),
]


@pytest.mark.parametrize("raw, kind, fields", POINTERS, ids=[hex(p[0]) for p in POINTERS])
def test_pointer_description(raw: int, kind: str, fields: Dict[str, Any]) -> None:
    got_kind, got = xray.decode_pointer(u64(raw))
    assert got_kind == kind
    for name, value in fields.items():
        assert got[name] == value
    parsed = xray.POINTER.parse(u64(raw))
    assert parsed.raw == raw and parsed.kind == raw & 3


def test_tag_word_description() -> None:
    tag = xray.TAG_WORD.parse(u64(struct_ptr(0, 2, 1) | (1000 << 2)))
    assert (tag.element_count, tag.data_words, tag.pointer_count) == (1000, 2, 1)


def test_segment_table_description() -> None:
    table = xray.SEGMENT_TABLE.parse(struct.pack("<4I", 1, 5, 6, 0))
    assert table.count == 2 and list(table.sizes) == [5, 6]
    table = xray.SEGMENT_TABLE.parse(struct.pack("<4I", 2, 1, 0, 9))
    assert table.count == 3 and list(table.sizes) == [1, 0, 9]
    with pytest.raises(xray._descriptions()["construct"].CheckError):
        xray.SEGMENT_TABLE.parse(struct.pack("<I", 0xFFFFFFFF) + bytes(64))
    with pytest.raises(LimitError):
        xray.parse_segment_table(struct.pack("<I", 511) + bytes(2048))
    with pytest.raises(DecodeError):
        xray.parse_segment_table(struct.pack("<2I", 2, 1))


# --- the walk ------------------------------------------------------------------


def test_walk_small_message() -> None:
    # root -> struct (1 data word, 2 pointers): text "hi", composite list of
    # two 1-word structs.
    seg = u64(
        struct_ptr(0, 1, 2),  # 0: root
        0x1122334455667788,  # 1: data
        list_ptr(1, 2, 3),  # 2: ptr[0] -> word 4
        list_ptr(1, 7, 2),  # 3: ptr[1] -> word 5 (tag)
        int.from_bytes(b"hi\x00" + bytes(5), "little"),  # 4: text
        struct_ptr(0, 1, 0) | (2 << 2),  # 5: tag: 2 elements of 1 data word
        7,  # 6: element 0
        9,  # 7: element 1
    )
    items = xray.walk_message([seg])
    kinds = [(type(i).__name__, i.label, i.segment, i.word) for i in items]
    assert kinds == [
        ("PointerItem", "root", 0, 0),
        ("StructItem", "struct", 0, 1),
        ("PointerItem", "ptr[0]", 0, 2),
        ("ListItem", "list", 0, 4),
        ("PointerItem", "ptr[1]", 0, 3),
        ("PointerItem", "tag", 0, 5),
        ("ListItem", "list", 0, 6),
        ("StructItem", "[0]", 0, 6),
        ("StructItem", "[1]", 0, 7),
    ]
    assert items[1].data == (0x1122334455667788,)  # type: ignore[union-attr]
    assert items[3].text == "hi"  # type: ignore[union-attr]
    assert items[7].data == (7,) and items[8].data == (9,)  # type: ignore[union-attr]
    text = xray.format_items(items)
    assert "struct offset=0 data=1 ptrs=2 -> @0:1" in text
    assert "text 'hi'" in text
    assert "tag elements=2 data=1 ptrs=0" in text
    assert "1122334455667788" in text


def test_walk_far_and_double_far() -> None:
    seg0 = u64(far_ptr(1, 0), far_ptr(2, 0, True))
    seg1 = u64(struct_ptr(0, 1, 0), 42)
    seg2 = u64(far_ptr(1, 1), struct_ptr(0, 1, 0))
    items = xray.walk_message([seg0, seg1, seg2])
    assert [(i.label, i.segment, i.word) for i in items] == [
        ("root", 0, 0), ("pad", 1, 0), ("struct", 1, 1),
    ]
    # Root through a double far: pad (far to segment 1 word 1) + tag.
    items = xray.walk_message([u64(far_ptr(2, 0, True)), seg1, seg2])
    assert [(i.label, i.segment, i.word) for i in items] == [
        ("root", 0, 0), ("pad", 2, 0), ("tag", 2, 1), ("struct", 1, 1),
    ]
    assert items[-1].data == (42,)  # type: ignore[union-attr]


def test_walk_limits() -> None:
    # A chain of three structs, each with one pointer to the next.
    chain = u64(struct_ptr(0, 0, 1), struct_ptr(0, 0, 1), struct_ptr(0, 0, 1), 0)
    assert len(xray.walk_message([chain], nesting_limit=3)) == 7
    with pytest.raises(LimitError, match="too deeply nested"):
        xray.walk_message([chain], nesting_limit=2)
    with pytest.raises(LimitError, match="traversal limit"):
        xray.walk_message([chain], traversal_limit=2)
    cycle = u64(struct_ptr(0, 0, 1), struct_ptr(-1, 0, 1))
    with pytest.raises(LimitError):
        xray.walk_message([cycle])
    with pytest.raises(DecodeError, match="no root pointer"):
        xray.walk_message([b""])


@pytest.mark.parametrize("case", VALID, ids=[c["id"] for c in VALID])
def test_walk_agrees_across_encodings(vectors: Path, case: Dict[str, Any]) -> None:
    from capnp_lite.wire.packed import unpack

    binary = (vectors / case["files"]["binary"]).read_bytes()
    sizes, segments = xray.split_segments(binary)
    if "segments" in case:
        assert sizes == case["segments"]
    items = xray.walk_message(segments)
    if "packed" in case["files"]:
        packed = (vectors / case["files"]["packed"]).read_bytes()
        assert xray.walk_message(xray.split_segments(unpack(packed))[1]) == items
    if "flat" in case["files"] and len(segments) == 1:
        flat = (vectors / case["files"]["flat"]).read_bytes()
        assert xray.walk_message([flat]) == items


@pytest.mark.interop
def test_walk_word_count_matches_pycapnp_total_size(vectors: Path) -> None:
    # pycapnp's total_size counts the words of every object reachable from
    # the root: the same objects the walk must find, counted independently.
    capnp = pytest.importorskip("capnp")
    scalars = capnp.load(str(vectors / "schemas" / "primitives.capnp")).Scalars
    for case in VALID:
        binary = (vectors / case["files"]["binary"]).read_bytes()
        with scalars.from_bytes(binary) as reader:
            expected = reader.total_size.word_count
        words = 0
        for item in xray.walk_message(xray.split_segments(binary)[1]):
            if isinstance(item, xray.StructItem) and not item.label.startswith("["):
                words += len(item.data) + item.pointer_count
            elif isinstance(item, xray.ListItem):
                words += item.words + (1 if item.element_size == "composite" else 0)
        assert words == expected, case["id"]


# --- the command line ------------------------------------------------------------

VECTOR_FILES: List[Tuple[str, str]] = []
for _case in VALID:
    for _kind, _flag in (("binary", ""), ("packed", "--packed"), ("flat", "--flat"),
                         ("canonical", "--flat")):
        if _kind in _case["files"]:
            VECTOR_FILES.append((_case["files"][_kind], _flag))


@pytest.mark.parametrize("path, flag", VECTOR_FILES, ids=[p for p, _ in VECTOR_FILES])
def test_cli_every_vector(
    vectors: Path, path: str, flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["inspect", *([flag] if flag else []), str(vectors / path)]
    assert cli_main(args) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines()[0].startswith(("segment table:", "packed:", "flat:"))
    assert any(line.startswith("root @0:0") for line in out.splitlines())


def _run_cli(*args: str) -> "subprocess.CompletedProcess[str]":
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "capnp_lite", *args],
        capture_output=True, text=True, timeout=120, env=env, cwd=str(REPO),
    )


def test_hostile_table_covers_the_vectors() -> None:
    names = {c["id"].split("/")[-1] for c in HOSTILE}
    assert names == set(HOSTILE_ERRORS) | set(HOSTILE_SHOWN)


@pytest.mark.parametrize("case", HOSTILE, ids=[c["id"] for c in HOSTILE])
def test_cli_hostile(vectors: Path, case: Dict[str, Any]) -> None:
    name = case["id"].split("/")[-1]
    if "packed" in case["files"]:
        result = _run_cli("inspect", "--packed", str(vectors / case["files"]["packed"]))
    else:
        result = _run_cli("inspect", str(vectors / case["files"]["binary"]))
    assert "Traceback" not in result.stderr
    if name in HOSTILE_ERRORS:
        assert result.returncode == 1, result.stdout[-2000:]
        assert result.stderr.startswith("inspect: error: ")
        assert HOSTILE_ERRORS[name] in result.stderr
        assert len(result.stderr.splitlines()) == 1
    else:
        assert result.returncode == 0, result.stderr
        assert HOSTILE_SHOWN[name] in result.stdout


def test_cli_stdin_and_bad_usage(vectors: Path) -> None:
    path = vectors / "messages/primitives/Scalars/empty/message.bin"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run(
        [sys.executable, "-m", "capnp_lite", "inspect", "-"],
        input=path.read_bytes(), capture_output=True, timeout=120, env=env,
    )
    assert result.returncode == 0 and b"root @0:0" in result.stdout
    assert _run_cli("inspect", "--packed", "--flat", str(path)).returncode == 2
    missing = _run_cli("inspect", str(REPO / "no-such-file.bin"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_cli_without_construct(vectors: Path) -> None:
    path = vectors / "messages/primitives/Scalars/empty/message.bin"
    code = (
        "import sys; sys.modules['construct'] = None\n"
        "from capnp_lite.__main__ import main\n"
        f"sys.exit(main(['inspect', {str(path)!r}]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 2
    assert "capnp-lite[inspect]" in result.stderr
    assert "Traceback" not in result.stderr


def test_dispatcher(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["--help"]) == 0
    assert "inspect" in capsys.readouterr().out
    assert cli_main([]) == 2
    assert cli_main(["no-such-command"]) == 2
    assert "unknown command 'no-such-command'" in capsys.readouterr().err


def test_cli_packed_reads_the_first_message_as_a_frame(
    vectors: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A packed file is read frame by frame, as the reference reads a stream: the first
    message is shown, what follows it is counted but not unpacked (here a second message and
    a record cut short, which unpacking the whole file would refuse)."""
    case = next(c for c in VALID if "packed" in c["files"] and "binary" in c["files"])
    packed = (vectors / case["files"]["packed"]).read_bytes()
    path = tmp_path / "two.packed"
    path.write_bytes(packed + packed + b"\x01")
    assert cli_main(["inspect", "--packed", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    unpacked = (vectors / case["files"]["binary"]).read_bytes()
    assert lines[0] == f"packed: {len(packed)} bytes unpacked to {len(unpacked)}"
    assert lines[1] == f"  {len(packed) + 1} packed bytes after the message (ignored)"
    assert cli_main(["inspect", str(vectors / case["files"]["binary"])]) == 0
    framed_out, _ = capsys.readouterr()
    assert lines[2:] == framed_out.splitlines()
