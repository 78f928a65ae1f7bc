"""Generated readers and builders against the conformance vectors and pycapnp.

Every valid vector message is read with the generated classes and compared,
field by field, with what pycapnp reads from the same bytes.  The same values
are then built with the generated builders, and the bytes compared with the
reference encoder's output where the layout is expected to agree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

from capnp_lite.wire.framing import decode_message

from .cg_helpers import Generated, build_struct, compare_struct, ref_to_dict, schema_root

READ_CATEGORIES = ("valid", "decode_only", "multisegment")


def _cases(vectors: Path) -> List[Dict[str, Any]]:
    manifest = json.loads((vectors / "manifest.json").read_text())
    return [c for c in manifest["cases"] if c["category"] in READ_CATEGORIES]


@pytest.fixture(scope="module")
def gen(vectors: Path, tmp_path_factory: pytest.TempPathFactory) -> Generated:
    schemas = sorted((vectors / "schemas").glob("*.capnp"))
    return Generated(schemas, vectors / "schemas", tmp_path_factory.mktemp("cgvec"))


@pytest.fixture(scope="module")
def ref_schemas(vectors: Path) -> Dict[str, Any]:
    capnp = pytest.importorskip("capnp")  # the reference reader; absent under PyPy
    loaded: Dict[str, Any] = {}
    for path in sorted((vectors / "schemas").glob("*.capnp")):
        loaded[path.name] = capnp.load(str(path), imports=[str(vectors / "schemas")])
    return loaded


def _ref_type(schemas: Dict[str, Any], node: Any) -> Any:
    """pycapnp's type for a node, found through the file that declares it."""
    file, path = node.display_name.split(":", 1)
    obj = schemas[file.split("/")[-1]]
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _message(vectors: Path, case: Dict[str, Any]) -> bytes:
    files = case["files"]
    return (vectors / files["binary"]).read_bytes()


def test_every_valid_message_reads_like_pycapnp(
    gen: Generated, ref_schemas: Dict[str, Any], vectors: Path
) -> None:
    cases = _cases(vectors)
    assert len(cases) >= 100
    checked = 0
    for case in cases:
        schema_file, root = schema_root(case)
        node = gen.find(schema_file, root)
        data = _message(vectors, case)
        reader = gen.cls(node.id, "_Reader").from_bytes(data)
        with _ref_type(ref_schemas, node).from_bytes(data) as ref:
            expected = ref_to_dict(gen, node, ref)
        checked += compare_struct(gen, node, reader, expected, case["id"])
        # The flat and packed forms read the same.
        files = case["files"]
        if "flat" in files:
            flat = gen.cls(node.id, "_Reader").from_flat_bytes((vectors / files["flat"]).read_bytes())
            compare_struct(gen, node, flat, expected, case["id"] + " (flat)")
        if "packed" in files:
            packed = gen.cls(node.id, "_Reader").from_bytes_packed(
                (vectors / files["packed"]).read_bytes())
            compare_struct(gen, node, packed, expected, case["id"] + " (packed)")
    assert checked > 1000


def test_builders_reproduce_the_reference_bytes(gen: Generated, vectors: Path) -> None:
    agreed = 0
    for case in _cases(vectors):
        if "encode_flat" not in case["checks"]:
            continue
        if case["id"].endswith("last_assignment_wins"):
            continue  # the reference keeps the stale bits of an overwritten member
        schema_file, root = schema_root(case)
        node = gen.find(schema_file, root)
        data = _message(vectors, case)
        reader = gen.cls(node.id, "_Reader").from_bytes(data)
        builder = build_struct(gen, node.id, reader)
        flat = (vectors / case["files"]["flat"]).read_bytes()
        assert builder.to_flat_bytes() == flat, case["id"]
        if len(decode_message(data)) == 1:
            assert builder.to_bytes() == data, case["id"]
        if "packed" in case["files"]:
            # Packing is the wire layer's; a single-segment message packs the same.
            if len(decode_message(data)) == 1:
                packed = (vectors / case["files"]["packed"]).read_bytes()
                assert builder.to_bytes_packed() == packed, case["id"]
        agreed += 1
    assert agreed >= 100


def test_round_trip_through_builder_and_reader(gen: Generated, vectors: Path,
                                                ref_schemas: Dict[str, Any]) -> None:
    """What the builders write, pycapnp reads back as the original values."""
    for case in _cases(vectors):
        schema_file, root = schema_root(case)
        node = gen.find(schema_file, root)
        data = _message(vectors, case)
        reader = gen.cls(node.id, "_Reader").from_bytes(data)
        built = build_struct(gen, node.id, reader).to_bytes()
        ref_type = _ref_type(ref_schemas, node)
        with ref_type.from_bytes(data) as a, ref_type.from_bytes(built) as b:
            before = _nan_safe(ref_to_dict(gen, node, a))
            after = _nan_safe(ref_to_dict(gen, node, b))
            assert before == after, case["id"]


def _nan_safe(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, dict):
        return {k: _nan_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nan_safe(v) for v in value]
    return value
