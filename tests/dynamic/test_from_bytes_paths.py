"""``from_bytes`` of ``bytes`` takes shortcuts (a one-segment frame's root read from its table,
a frame of a few segments split without the general decoder); any other buffer takes the
general path.  Both must give the same reader, charge the same traversal budget and raise the
same errors, on intact and on hostile frames."""

from __future__ import annotations

import struct
from typing import Any, Tuple

import pytest
from hypothesis import given, settings, strategies as st

import capnp_lite.dynamic as dyn
from capnp_lite.errors import CapnpError
from capnp_lite.schema import compile_source
from capnp_lite.wire.framing import decode_message, encode_message

from .test_fast_paths import SCHEMA, build_in_order


@pytest.fixture(scope="module")
def mod() -> Any:
    return dyn.load_request(compile_source(SCHEMA, "fast.capnp"))


def outcome(mod: Any, buf: Any, **limits: Any) -> Tuple[str, Any, int]:
    """What reading ``buf`` as a Catalog gives: the error, or the reader's contents and the
    budget left after reading them all."""
    try:
        r = mod.Catalog.from_bytes(buf, **limits)
        text = str(r)
        return "read", text, r._ctx.budget
    except CapnpError as e:
        return type(e).__name__, str(e), 0


def test_several_segments_read_as_the_general_path_reads_them(mod: Any) -> None:
    data = build_in_order(mod, 150).to_bytes()
    assert len(decode_message(data)) > 1  # the first segment overflowed
    fast = outcome(mod, data)
    assert fast[0] == "read" and "item number 149" in fast[1]
    assert fast == outcome(mod, memoryview(data))
    assert fast == outcome(mod, bytearray(data))
    r = mod.Catalog.from_bytes(data)
    assert [type(s.buf) for s in r._ctx.segments] == [bytes] * len(decode_message(data))


def test_one_segment_root_read_from_the_table(mod: Any) -> None:
    data = build_in_order(mod, 3).to_bytes()
    assert len(decode_message(data)) == 1
    fast = outcome(mod, data)
    assert fast[0] == "read" and "item number 2" in fast[1]
    assert fast == outcome(mod, memoryview(data))
    # The root alone is charged as MessageReader.root() charges it.
    r = mod.Catalog.from_bytes(data, traversal_limit_in_words=100)
    g = mod.Catalog.from_bytes(memoryview(data), traversal_limit_in_words=100)
    assert r._ctx.budget == g._ctx.budget < 100


ROOTS = st.one_of(
    st.integers(0, (1 << 64) - 1),  # anything
    # struct pointers: small offsets (negative ones too), small sizes
    st.builds(lambda o, dw, pc: ((o & 0x3FFFFFFF) << 2) | (dw << 32) | (pc << 48),
              st.integers(-3, 12), st.integers(0, 6), st.integers(0, 6)),
    # far pointers into segment 0 or 1
    st.builds(lambda pad, dbl, seg: 2 | (dbl << 2) | (pad << 3) | (seg << 32),
              st.integers(0, 12), st.integers(0, 1), st.integers(0, 2)),
)


@settings(max_examples=400, deadline=None)
@given(root=ROOTS, words=st.lists(st.integers(0, (1 << 64) - 1) | st.just(0), max_size=12),
       second=st.none() | st.lists(st.integers(0, (1 << 64) - 1), max_size=4),
       traversal=st.none() | st.integers(0, 40), nesting=st.none() | st.integers(0, 3),
       cut=st.integers(0, 16))
def test_hand_made_frames_read_alike(mod: Any, root: int, words: Any, second: Any,
                                     traversal: Any, nesting: Any, cut: int) -> None:
    segments = [struct.pack(f"<{1 + len(words)}Q", root, *words)]
    if second is not None:
        segments.append(struct.pack(f"<{len(second)}Q", *second))
    data = encode_message(segments)
    data = data[:len(data) - cut] if cut < 8 else data + bytes(cut)
    limits = {}
    if traversal is not None:
        limits["traversal_limit_in_words"] = traversal
    if nesting is not None:
        limits["nesting_limit"] = nesting
    assert outcome(mod, data, **limits) == outcome(mod, memoryview(data), **limits)


@pytest.mark.parametrize("n", [3, 150])
def test_nesting_limits_read_alike(mod: Any, n: int) -> None:
    """The root's nesting levels: each limit stops the read at the same depth either way."""
    data = build_in_order(mod, n).to_bytes()
    seen = set()
    for nesting in range(0, 6):
        fast = outcome(mod, data, nesting_limit=nesting)
        assert fast == outcome(mod, memoryview(data), nesting_limit=nesting)
        seen.add(fast[0])
    assert seen == {"read", "LimitError"}  # some limits stop it, the larger ones do not
