"""Reads where the reference (C++, through pycapnp) has a rule of its own, checked by hand-made
messages: each struct-list element costs a nesting level, a wider list read as List(Bool)
gives its first bits, landing pads are charged to the traversal limit, and a far pointer into
an empty segment points to an unknown segment.  Every case is checked against fixed
expectations (written from those rules) and, where pycapnp is installed, against it."""

from __future__ import annotations

import struct
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Optional

import pytest

import capnp_lite
from capnp_lite.errors import DecodeError, LimitError
from capnp_lite.wire.framing import decode_message, encode_message
from capnp_lite.wire.layout import MessageReader

from tests import reference
from tests.codegen.cg_helpers import far_copy, generated_module

SCHEMA = """
@0xd1a2b3c4d5e6f702;
struct Bytes { x @0 :List(UInt8); }
struct Bools { x @0 :List(Bool); }
struct S { a @0 :UInt8; b @1 :Text; }
struct D { x @0 :List(S); }
struct W { u @0 :UInt64; v @1 :UInt64; t @2 :Text; }
struct Ws { items @0 :List(W); }
"""

REFUSED = "refused"


def words(*values: int) -> bytes:
    return struct.pack("<%dQ" % len(values), *values)


@pytest.fixture(scope="module")
def schema_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference.schema_file(tmp_path_factory, "refreads.capnp", SCHEMA)


@pytest.fixture(scope="module")
def dyn(schema_path: Path) -> Any:
    return capnp_lite.load(str(schema_path))


@pytest.fixture(scope="module")
def gen(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_module(tmp_path_factory.mktemp("refreads_gen"), SCHEMA, "refreads.capnp")


@pytest.fixture(scope="module")
def ref(schema_path: Path) -> Optional[Any]:
    module = reference.pycapnp_module(schema_path)
    if module is None:  # pragma: no cover - CI installs pycapnp
        print("\n*** pycapnp is not installed: reference comparisons in "
              "test_reference_reads.py are NOT run ***")
    return module


def outcome(read: Callable[[], Any]) -> Any:
    try:
        return read()
    except Exception as exc:  # the reference raises its own exception type
        if not isinstance(exc, (DecodeError, LimitError)) and type(exc).__module__.startswith(
                "capnp_lite"):
            raise
        return REFUSED


def ref_outcome(ref: Any, struct_name: str, data: bytes, read: Callable[[Any], Any],
                **limits: int) -> Any:
    def go() -> Any:
        with getattr(ref, struct_name).from_bytes(data, **limits) as r:
            return read(r)
    return outcome(go)


# -- a struct list's elements are one level below the list -------------------------------


def d_message() -> bytes:
    """D with one S element (a = 7, b null)."""
    root = words(0 | (0 << 32) | (1 << 48))  # struct: no data, one pointer
    lst = words(1 | (7 << 32) | (2 << 35))  # composite list of 2 words (after its tag)
    tag = words((1 << 2) | (1 << 32) | (1 << 48))  # 1 element of 1 data word, 1 pointer
    return encode_message([root + lst + tag + words(7, 0)])


def test_struct_list_elements_cost_a_nesting_level(dyn: Any, gen: ModuleType,
                                                   ref: Optional[Any]) -> None:
    data = d_message()

    def a_values(r: Any) -> Any:
        return [e.a for e in r.x]

    expected = {1: REFUSED, 2: REFUSED, 3: [7], 4: [7]}
    for limit, want in expected.items():
        assert outcome(lambda: a_values(dyn.D.from_bytes(data, nesting_limit=limit))) == want
        assert outcome(lambda: a_values(gen.D_Reader.from_bytes(data, nesting_limit=limit))) \
            == want
        assert outcome(lambda: [dyn.D.from_bytes(data, nesting_limit=limit).x[0].a]) == want
        assert outcome(lambda: [gen.D_Reader.from_bytes(data, nesting_limit=limit).x[0].a]) \
            == want
        if ref is not None:
            assert ref_outcome(ref, "D", data, a_values, nesting_limit=limit) == want
    # The list itself (its length) is still readable where its elements are not.
    assert len(dyn.D.from_bytes(data, nesting_limit=2).x) == 1
    assert len(gen.D_Reader.from_bytes(data, nesting_limit=2).x) == 1
    with pytest.raises(LimitError):
        MessageReader([data[8:]], nesting_limit=2).root().get_list(0).get_struct(0)


def test_a_deep_chain_of_struct_lists_is_refused_where_the_reference_refuses_it(
        dyn: Any, ref: Optional[Any]) -> None:
    # D's elements hold texts only, so the depth here is root + list + element; a chain
    # of lists of structs is refused after half as many links as a chain of structs.
    data = d_message()
    assert outcome(lambda: dyn.D.from_bytes(data, nesting_limit=2).to_dict()) == REFUSED
    assert outcome(lambda: dyn.D.from_bytes(data, nesting_limit=3).to_dict()) \
        == {"x": [{"a": 7}]}
    if ref is not None:
        assert ref_outcome(ref, "D", data, lambda r: r.to_dict(), nesting_limit=2) == REFUSED


# -- List(Bool) over a wider list ----------------------------------------------------------


def test_a_byte_list_read_as_bools_gives_its_first_bits(dyn: Any, gen: ModuleType,
                                                        ref: Optional[Any]) -> None:
    data = encode_message([words(1 << 48, 1 | (2 << 32) | (3 << 35))
                           + bytes([0x3B, 0xE5, 0x4B]) + bytes(5)])
    want = [True, True, False]  # bits 0..2 of 0x3b, not bit 0 of each byte
    assert list(dyn.Bools.from_bytes(data).x) == want
    assert [dyn.Bools.from_bytes(data).x[i] for i in range(3)] == want
    assert list(gen.Bools_Reader.from_bytes(data).x) == want
    lst = MessageReader([data[8:]]).root().get_list(0)
    assert lst.to_list("?") == want
    assert [lst.get_bool(i) for i in range(3)] == want
    if ref is not None:
        assert ref_outcome(ref, "Bools", data, lambda r: list(r.x)) == want


# -- landing pads are charged ----------------------------------------------------------------

W_TAG = 0 | (2 << 32)  # a struct of two data words, no pointers (W's t is then null)


def near_root() -> bytes:
    return encode_message([words(W_TAG, 5, 0)])


def single_far_root() -> bytes:
    return encode_message([words(2 | (0 << 3) | (1 << 32)), words(W_TAG, 5, 0)])


def double_far_root() -> bytes:
    return encode_message([words(2 | 4 | (1 << 3), 2 | (0 << 3) | (1 << 32), W_TAG),
                           words(5, 0)])


def smallest_limit(read: Callable[[int], Any]) -> int:
    """The smallest traversal limit ``read`` succeeds with (a larger one always does)."""
    low, high = 0, 1 << 16  # refused at low, accepted at high
    if outcome(lambda: read(high)) == REFUSED:
        raise AssertionError("never accepted")
    while high - low > 1:
        mid = (low + high) // 2
        if outcome(lambda: read(mid)) == REFUSED:
            low = mid
        else:
            high = mid
    return high


@pytest.mark.parametrize("make, pad", [(near_root, 0), (single_far_root, 1),
                                       (double_far_root, 2)])
def test_landing_pads_are_charged_to_the_traversal_limit(
        make: Callable[[], bytes], pad: int, dyn: Any, gen: ModuleType,
        ref: Optional[Any]) -> None:
    data = make()
    # The root pointer's word (with its segment table's), the struct's two words, the pad.
    want = 4 + pad
    assert smallest_limit(lambda n: dyn.W.from_bytes(
        data, traversal_limit_in_words=n).to_dict()) == want
    assert smallest_limit(lambda n: gen.W_Reader.from_bytes(
        data, traversal_limit_in_words=n).u) == want
    if ref is not None:
        assert smallest_limit(lambda n: ref_outcome(
            ref, "W", data, lambda r: r.to_dict(), traversal_limit_in_words=n)) == want


def text_message(far: bool) -> bytes:
    """W whose text is reached through a near pointer, or a single far pointer into
    segment 1 (the same words otherwise)."""
    text = words(1 | (2 << 32) | (3 << 35)) + b"hi" + bytes(6)
    if far:
        root = words(0 | (2 << 32) | (1 << 48), 1, 2, 2 | (0 << 3) | (1 << 32))
        return encode_message([root, text])
    return encode_message([words(0 | (2 << 32) | (1 << 48), 1, 2, 1 | (2 << 32) | (3 << 35))
                           + b"hi" + bytes(6)])


def test_a_far_text_charges_its_pad_on_every_path(dyn: Any, gen: ModuleType,
                                                  ref: Optional[Any]) -> None:
    near, far = text_message(False), text_message(True)
    readers = [
        lambda data, n: dyn.W.from_bytes(data, traversal_limit_in_words=n).t,
        lambda data, n: gen.W_Reader.from_bytes(data, traversal_limit_in_words=n).t,
        lambda data, n: MessageReader([bytes(s) for s in decode_message(data)],
                                      traversal_limit_in_words=n).root().get_text(0),
    ]
    if ref is not None:
        readers.append(lambda data, n: ref_outcome(ref, "W", data, lambda r: r.t,
                                                   traversal_limit_in_words=n))
    for read in readers:
        assert read(far, 1000) == read(near, 1000) == "hi"
        # The same words, plus the landing pad's.
        assert smallest_limit(lambda n: read(far, n)) == smallest_limit(lambda n: read(near, n)) + 1
    if ref is not None:
        assert smallest_limit(lambda n: readers[0](far, n)) \
            == smallest_limit(lambda n: readers[-1](far, n))


# -- an empty segment is an unknown segment ------------------------------------------------


def test_a_double_far_pointer_into_an_empty_segment_is_refused(dyn: Any, gen: ModuleType,
                                                               ref: Optional[Any]) -> None:
    seg0 = words(2 | 4 | (1 << 3), 2 | (0 << 3) | (2 << 32), 0)  # pad -> segment 2, empty
    data = encode_message([seg0, b"", b""])
    with pytest.raises(DecodeError, match="unknown segment 2"):
        dyn.W.from_bytes(data).to_dict()
    with pytest.raises(DecodeError, match="unknown segment 2"):
        gen.W_Reader.from_bytes(data).u
    if ref is not None:
        assert ref_outcome(ref, "W", data, lambda r: r.to_dict()) == REFUSED


def test_a_far_pointer_into_an_empty_segment_is_refused(dyn: Any) -> None:
    data = encode_message([words(2 | (0 << 3) | (1 << 32)), b""])
    with pytest.raises(DecodeError, match="unknown segment 1"):
        dyn.W.from_bytes(data).to_dict()


def test_bools_written_over_a_wider_list_land_where_they_are_read() -> None:
    from capnp_lite.wire.layout import MessageBuilder
    from capnp_lite.wire.pointers import ELEM_BIT, ELEM_BYTE

    mb = MessageBuilder()
    root = mb.init_root(0, 1)
    root.init_list(0, ELEM_BYTE, 3)
    bools = root.get_list(0, ELEM_BIT)
    bools.set_bool(1, True)
    assert [bools.get_bool(i) for i in range(3)] == [False, True, False]
    assert root.as_reader().get_list(0).to_list("B") == [2, 0, 0]  # bit 1 of the first byte


def test_the_inspector_charges_pads_and_knows_no_empty_segment() -> None:
    from capnp_lite.inspect import walk_message

    def smallest(data: bytes) -> int:
        segments = [bytes(s) for s in decode_message(data)]
        return smallest_limit(lambda n: walk_message(segments, traversal_limit=n))

    assert smallest(single_far_root()) == smallest(near_root()) + 1
    assert smallest(double_far_root()) == smallest(near_root()) + 2
    seg0 = words(2 | 4 | (1 << 3), 2 | (0 << 3) | (2 << 32), 0)
    with pytest.raises(DecodeError, match="unknown segment 2"):
        walk_message([bytes(s) for s in decode_message(encode_message([seg0, b"", b""]))])


def test_list_elements_read_ahead_charge_their_far_pads_as_the_core_does(
        dyn: Any, gen: ModuleType, ref: Optional[Any]) -> None:
    """Elements whose texts sit behind far pointers: the generated readers' read-ahead, the
    dynamic API and the reference need the same traversal limit."""
    source = dyn.Ws.new_message()
    items = source.init("items", 12)
    for k, item in enumerate(items):
        item.u = k
        item.t = f"text number {k}"
    data = encode_message(far_copy(source.to_bytes(), 8))

    def gen_names(n: int) -> Any:
        return [w.t for w in gen.Ws_Reader.from_bytes(data, traversal_limit_in_words=n).items]

    def dyn_names(n: int) -> Any:
        return [w.t for w in dyn.Ws.from_bytes(data, traversal_limit_in_words=n).items]

    assert gen_names(10_000) == dyn_names(10_000) == [f"text number {k}" for k in range(12)]
    # With room to read ahead, iterating reads every element at once (the loaders); indexing
    # reads each field when asked: both charge the same words, pads included.
    ahead = gen.Ws_Reader.from_bytes(data, traversal_limit_in_words=10_000)
    assert [w.t for w in ahead.items][-1] == "text number 11"
    by_index = gen.Ws_Reader.from_bytes(data, traversal_limit_in_words=10_000)
    items = by_index.items
    assert [items[k].t for k in range(12)][-1] == "text number 11"
    assert ahead._ctx.budget == by_index._ctx.budget
    want = smallest_limit(dyn_names)
    assert smallest_limit(gen_names) == want
    if ref is not None:
        assert smallest_limit(lambda n: ref_outcome(
            ref, "Ws", data, lambda r: [w.t for w in r.items], traversal_limit_in_words=n)) == want
