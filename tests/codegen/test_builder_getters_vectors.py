"""Every pointer field of every struct in the conformance schemas, read on a new builder
and not set: the message written is the one pycapnp writes (struct fields allocated with
their defaults, defaulted lists copied in, other lists left null)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from capnp_lite.codegen import py_name
from capnp_lite.schema.model import NO_DISCRIMINANT, Node

from .cg_helpers import Generated


@pytest.fixture(scope="module")
def gen(vectors: Path, tmp_path_factory: pytest.TempPathFactory) -> Generated:
    schemas = sorted((vectors / "schemas").glob("*.capnp"))
    return Generated(schemas, vectors / "schemas", tmp_path_factory.mktemp("cggetters"))


@pytest.fixture(scope="module")
def ref_schemas(vectors: Path) -> Dict[str, Any]:
    capnp = pytest.importorskip("capnp")  # the reference builder; absent under PyPy
    return {path.name: capnp.load(str(path), imports=[str(vectors / "schemas")])
            for path in sorted((vectors / "schemas").glob("*.capnp"))}


def _ref_type(schemas: Dict[str, Any], node: Node) -> Any:
    file, path = node.display_name.split(":", 1)
    obj = schemas[file.split("/")[-1]]
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _fields(gen: Generated) -> List[Tuple[Node, str]]:
    """(struct, field name) of every list or struct field outside unions and groups."""
    out: List[Tuple[Node, str]] = []
    for node in gen.request.nodes:
        if node.which != "struct" or node.is_group or node.is_generic or node.scope_id == 0:
            continue
        if node.id not in gen.names:
            continue
        for f in node.fields:
            if f.which == "group" or f.discriminant_value != NO_DISCRIMINANT:
                continue
            assert f.type is not None
            if f.type.which in ("struct", "list"):
                out.append((node, f.name))
    return out


def test_reading_each_unset_pointer_field_writes_what_pycapnp_writes(
        gen: Generated, ref_schemas: Dict[str, Any]) -> None:
    checked = defaults = 0
    for node, name in _fields(gen):
        ours = gen.cls(node.id, "_Builder")()
        getattr(ours, py_name(name))
        ref_type = _ref_type(ref_schemas, node)
        theirs = ref_type.new_message()
        getattr(theirs, name)
        with ref_type.from_bytes(theirs.to_bytes()) as reader:
            expected = reader.as_builder().to_bytes()  # pre-order, as ours are laid out
        assert ours.to_bytes() == expected, f"{node.display_name}.{name}"
        checked += 1
        f = next(f for f in node.fields if f.name == name)
        defaults += f.default_value is not None and f.default_value.value is not None
    assert checked >= 20 and defaults >= 5
