"""Lists of structs with no data and no pointers: built, iterated and serialised as
pycapnp does (every element sits at the list's start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import capnp_lite

SCHEMA = "@0xd3c4b5a697887761;\nstruct E {}\nstruct W { es @0 :List(E); }\n"
# W with a List(E) of two elements, as pycapnp 2.2.4 writes it.
TWO = bytes.fromhex("0000000003000000000000000000010001000000070000000800000000000000")


@pytest.fixture(scope="module")
def schema_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("zero") / "zero.capnp"
    path.write_text(SCHEMA)
    return path


def test_iterating_a_list_of_empty_structs(schema_path: Path) -> None:
    m: Any = capnp_lite.load(str(schema_path))
    w = m.W.new_message()
    lst = w.init("es", 3)
    assert [e.to_dict() for e in lst] == [{}, {}, {}]
    assert w.to_dict() == {"es": [{}, {}, {}]}
    assert m.W.new_message(es=[{}, {}]).to_bytes() == TWO
    assert [e.to_dict() for e in m.W.from_bytes(TWO).es] == [{}, {}]


def test_pycapnp_writes_the_same_bytes(schema_path: Path) -> None:
    capnp = pytest.importorskip("capnp", reason="pycapnp (the reference) is not installed")
    ref = capnp.load(str(schema_path))
    assert ref.W.new_message(es=[{}, {}]).to_bytes() == TWO
