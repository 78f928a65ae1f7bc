"""The compiler's output against the reference dumps of the conformance vectors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List, Optional

import pytest

from capnp_lite.schema import compile_files
from capnp_lite.schema.dump import format_value

SCHEMAS = [
    "common", "envelope", "evolution_v1", "evolution_v2", "generics", "layout", "lists",
    "primitives", "unions",
]


def first_difference(got: Any, want: Any, path: str = "") -> Optional[str]:
    """A JSON path to the first place the two structures differ, or None."""
    if type(got) is not type(want):
        return f"{path or '/'}: {got!r} != {want!r}"
    if isinstance(got, dict):
        if list(got) != list(want):
            return f"{path or '/'}: keys {list(got)} != {list(want)}"
        for key in got:
            d = first_difference(got[key], want[key], f"{path}/{key}")
            if d:
                return d
        return None
    if isinstance(got, list):
        if len(got) != len(want):
            return f"{path or '/'}: length {len(got)} != {len(want)}"
        for i, (x, y) in enumerate(zip(got, want)):
            d = first_difference(x, y, f"{path}/{i}")
            if d:
                return d
        return None
    return None if got == want else f"{path or '/'}: {got!r} != {want!r}"


def test_first_difference_reports_path() -> None:
    assert first_difference({"a": [1, {"b": 2}]}, {"a": [1, {"b": 3}]}) == "/a/1/b: 2 != 3"
    assert first_difference([1], [1]) is None


@pytest.mark.parametrize("name", SCHEMAS)
def test_nodes_match_reference(vectors: Path, name: str) -> None:
    schemas = vectors / "schemas"
    got = compile_files([str(schemas / f"{name}.capnp")], [str(schemas)]).to_json()
    want = json.loads((schemas / f"{name}.capnp.nodes.json").read_text())
    diff = first_difference(got, want)
    assert diff is None, diff


@pytest.mark.parametrize("name", SCHEMAS)
def test_constants_match_capnp_eval(vectors: Path, name: str) -> None:
    schemas = vectors / "schemas"
    req = compile_files([str(schemas / f"{name}.capnp")], [str(schemas)])
    table = {n.id: n for n in req.nodes}
    consts = json.loads((schemas / f"{name}.capnp.consts.json").read_text())
    checked: List[str] = []
    for short, info in consts.items():
        node = table[int(info["id"], 16)]
        assert node.which == "const"
        assert node.short_name == short.split(".")[-1]
        assert node.type is not None and node.value is not None
        assert format_value(node.value.value, node.type, table) == info["eval_short"], short
        checked.append(short)
    assert len(checked) == len(consts)


def test_nodes_sorted_and_unique(vectors: Path) -> None:
    schemas = vectors / "schemas"
    req = compile_files([str(schemas / "envelope.capnp")], [str(schemas)])
    names = [n.display_name for n in req.nodes]
    assert names == sorted(names)
    assert len({n.id for n in req.nodes}) == len(req.nodes)
