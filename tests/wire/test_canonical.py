"""Canonical form: against `capnp convert text:canonical` output and the spec's rules."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, Dict

import pytest

from capnp_lite.wire import (
    ELEM_BYTE,
    ELEM_COMPOSITE,
    MessageBuilder,
    MessageReader,
    canonicalize,
    canonicalize_message,
    is_canonical,
)

from .test_layout_hand import lp, seg, sp
from .test_layout_vectors import CASES, frame

WITH_CANONICAL = [c for c in CASES if "canonical" in c["files"] and "binary" in c["files"]]


@pytest.mark.parametrize("case", WITH_CANONICAL, ids=[c["id"] for c in WITH_CANONICAL])
def test_vectors(case: Dict[str, Any], vectors: Path) -> None:
    segments = frame((vectors / case["files"]["binary"]).read_bytes())
    want = (vectors / case["files"]["canonical"]).read_bytes()
    assert canonicalize_message(segments) == want
    assert is_canonical([want])
    flat = (vectors / case["files"]["flat"]).read_bytes()
    assert is_canonical([flat]) == case["canonical_equals_flat"]


def test_truncation_rules() -> None:
    msg = [seg(
        sp(0, 3, 3),  # 0: root: 3 data words, 3 pointers
        5,  # 1: data word 0
        0,  # 2: trailing zero data words are dropped
        0,  # 3
        lp(2, ELEM_COMPOSITE, 4),  # 4: struct list at word 7
        0,  # 5: null
        0,  # 6: trailing null pointer is dropped
        sp(2, 1, 1),  # 7: tag: 2 elements of 1 data + 1 pointer
        0,  # 8: element 0 data (zero)
        0,  # 9: element 0 pointer (null)
        0,  # 10: element 1 data (zero)
        0,  # 11: element 1 pointer (null)
    )]
    assert not is_canonical(msg)
    assert canonicalize_message(msg) == seg(
        sp(0, 1, 1),  # root: data and pointers truncated
        5,
        lp(0, ELEM_COMPOSITE, 0),  # elements truncated to nothing: the list is the tag only
        sp(2, 0, 0),  # tag: 2 zero-sized elements
    )


def test_empty_struct_and_lists() -> None:
    mb = MessageBuilder()
    root = mb.init_root(2, 3)
    root.init_struct(0, 4, 4)  # all zero: becomes a zero-sized struct
    root.init_list(1, ELEM_BYTE, 0)
    root.set_data(2, b"\x01")
    canon = canonicalize(mb.root_reader())
    assert canon == seg(
        sp(0, 0, 3),  # data section empty: all zero
        0xFFFFFFFC,  # zero-sized struct
        lp(1, ELEM_BYTE, 0),  # empty list: points at the end (word 5)
        lp(0, ELEM_BYTE, 1),  # data at word 5
        0x01,
    )
    assert is_canonical([canon])
    assert canonicalize(MessageReader([canon]).root()) == canon


def test_not_canonical() -> None:
    # Far pointers and several segments are never canonical.
    mb = MessageBuilder(1)
    root = mb.init_root(1, 0)
    root.set_uint64(0, 1)
    assert len(mb.segments()) == 2 and not is_canonical(mb.segments())
    # Objects out of pre-order are not canonical either.
    out_of_order = [seg(
        sp(0, 0, 2),  # 0: root
        lp(2, ELEM_BYTE, 1),  # 1: -> word 4
        lp(0, ELEM_BYTE, 1),  # 2: -> word 3
        0x02,  # 3: second list
        0x01,  # 4: first list
    )]
    assert not is_canonical(out_of_order)
    # Bit-list padding is cleared.
    padded = [seg(sp(0, 0, 1), lp(0, 1, 3), 0xFF)]
    assert canonicalize_message(padded) == seg(sp(0, 0, 1), lp(0, 1, 3), 0x07)
    # Trailing words after the message are not canonical.
    assert not is_canonical([seg(0xFFFFFFFC, 0)])
    assert struct.unpack("<Q", canonicalize_message([seg(0)]))[0] == 0xFFFFFFFC
