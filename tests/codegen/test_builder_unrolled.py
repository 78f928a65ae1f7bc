"""Builders on PyPy write the first elements of short number lists without a loop.

Each list length around that boundary, and a bad element at every position
(inside the written-out part and in the loop after it), must give the same
bytes or an EncodeError on both interpreter paths, forced either way; text
lists (filled one text at a time on PyPy) are checked the same way.
Values are checked by reading them back, not against bytes from this code.
"""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from capnp_lite.codegen import runtime
from capnp_lite.errors import EncodeError

from .cg_helpers import generated_module

SCHEMA = """
@0xa7c1d2e3f4051627;

struct Row {
  labels @0 :List(Text);
  small @1 :List(UInt8);
  mid @2 :List(Int16);
  ints @3 :List(Int32);
  wide @4 :List(UInt64);
  reals @5 :List(Float64);
}

struct Table {
  rows @0 :List(Row);
  head @1 :Row;
}
"""

LENGTHS = list(range(11)) + [16, 17, 40]


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return generated_module(tmp_path_factory.mktemp("builder_unrolled"), SCHEMA, "unrolled.capnp")


def _row_values(n: int) -> Dict[str, List[Any]]:
    return {
        "labels": [("é" if k % 3 == 2 else "") + "l" * k for k in range(n)],
        "small": [(7 * k + 1) & 0xFF for k in range(n)],
        "mid": [(k * 999) % 30000 - 15000 for k in range(n)],
        "ints": [(k * 0x1234567) % (2**31) - (k & 1) * 2**30 for k in range(n)],
        "wide": [2**64 - 1 - k for k in range(n)],
        "reals": [k / 3 for k in range(n)],
    }


def _build(mod: Any, rows: List[Dict[str, List[Any]]], pypy: bool) -> bytes:
    saved = runtime.PYPY, runtime._PYPY
    runtime.PYPY = runtime._PYPY = pypy
    try:
        table = mod.Table_Builder()
        for builder, values in zip(table.init_rows(len(rows)), rows):
            for key, value in values.items():
                setattr(builder, key, value)
        head = mod.Row_Builder()
        for key, value in (rows[-1] if rows else {}).items():
            setattr(head, key, value)
        table.head = head
        data: bytes = table.to_bytes()
        return data
    finally:
        runtime.PYPY, runtime._PYPY = saved


def _check(mod: Any, data: bytes, rows: List[Dict[str, List[Any]]]) -> None:
    table = mod.Table_Reader.from_bytes(data)
    got = list(table.rows) + ([table.head] if rows else [])
    for reader, want in zip(got, rows + rows[-1:]):
        for key, value in want.items():
            assert list(getattr(reader, key)) == value, key


def test_every_length_both_paths(mod: Any) -> None:
    rows = [_row_values(n) for n in LENGTHS]
    cpython = _build(mod, rows, False)
    assert _build(mod, rows, True) == cpython
    _check(mod, cpython, rows)


@pytest.mark.parametrize("n", LENGTHS)
def test_one_length_both_paths(mod: Any, n: int) -> None:
    # Alone, so that a slip at one length is not hidden among others.
    rows = [_row_values(n)]
    data = _build(mod, rows, True)
    assert data == _build(mod, rows, False)
    _check(mod, data, rows)


BAD = {"labels": b"bytes", "small": 256, "mid": -(2**15) - 1, "ints": "1", "wide": -1,
       "reals": "x"}


@pytest.mark.parametrize("pypy", [False, True])
@pytest.mark.parametrize("field", sorted(BAD))
def test_bad_element_anywhere(mod: Any, field: str, pypy: bool) -> None:
    for n in (1, 3, 4, 5, 9):
        for at in range(n):
            values = _row_values(n)
            values[field][at] = BAD[field]
            with pytest.raises(EncodeError):
                _build(mod, [values], pypy)


@pytest.mark.parametrize("n", [0, 3, 17])
def test_other_iterables_write_as_their_list_does(mod: Any, n: int) -> None:
    # Dict keys keep their order: each field given as keys, the same bytes as the list on both
    # paths (the interpreter's own path indexes, so it makes a list of anything else first).
    rows = [_row_values(n)]
    want = _build(mod, rows, False)
    as_keys = [{key: dict.fromkeys(value).keys() for key, value in rows[0].items()}]
    assert len(as_keys[0]["labels"]) == n  # (the labels are distinct)
    for pypy in (False, True):
        assert _build(mod, as_keys, pypy) == want  # type: ignore[arg-type]
