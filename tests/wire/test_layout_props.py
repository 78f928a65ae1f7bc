"""Property tests: random structures round-trip; random and mutated bytes fail cleanly."""

from __future__ import annotations

import shutil
import struct
import subprocess
from typing import Any, List, Tuple, Union

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capnp_lite.errors import DecodeError
from capnp_lite.wire import (
    ELEM_COMPOSITE,
    FORMAT_ELEMENT_SIZE,
    MessageBuilder,
    MessageReader,
    StructBuilder,
    StructReader,
    canonicalize,
    is_canonical,
)

from .test_layout_vectors import walk_pointer

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

Node = Tuple[Any, ...]

INT_RANGES = {
    "b": (-(1 << 7), (1 << 7) - 1), "B": (0, 255), "h": (-(1 << 15), (1 << 15) - 1),
    "H": (0, 65535), "i": (-(1 << 31), (1 << 31) - 1), "I": (0, (1 << 32) - 1),
    "q": (-(1 << 63), (1 << 63) - 1), "Q": (0, (1 << 64) - 1),
}


def prim_lists() -> st.SearchStrategy[Node]:
    ints = [st.tuples(st.just(f), st.lists(st.integers(lo, hi), max_size=12))
            for f, (lo, hi) in INT_RANGES.items()]
    others = [
        st.tuples(st.just("?"), st.lists(st.booleans(), max_size=40)),
        st.tuples(st.just("d"), st.lists(st.floats(allow_nan=False), max_size=6)),
        st.tuples(st.just("f"), st.lists(st.floats(width=32, allow_nan=False), max_size=6)),
    ]
    return st.one_of(*ints, *others).map(lambda t: ("list", t[0], t[1]))


words = st.lists(st.integers(0, (1 << 64) - 1), max_size=3)
leaves: st.SearchStrategy[Node] = st.one_of(
    st.just(("null",)),
    st.text(max_size=12).map(lambda s: ("text", s)),
    st.binary(max_size=12).map(lambda b: ("data", b)),
    st.integers(0, 1000).map(lambda n: ("cap", n)),
    prim_lists(),
)


def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    struct_node = st.tuples(words, st.lists(children, max_size=3)).map(
        lambda t: ("struct", t[0], t[1]))
    slist = st.tuples(
        st.integers(0, 2), st.integers(0, 2),
        st.lists(st.tuples(words, st.lists(children, max_size=2)), max_size=3),
    ).map(lambda t: ("slist", t[0], t[1], t[2]))
    return st.one_of(struct_node, slist)


nodes = st.recursive(leaves, extend, max_leaves=12)
roots = st.tuples(words, st.lists(nodes, max_size=4)).map(lambda t: ("struct", t[0], t[1]))


def fill(sb: StructBuilder, data: List[int], ptrs: List[Node]) -> None:
    for i, w in enumerate(data):
        if i < sb.data_words:
            sb.set_uint64(i, w)
    for j, node in enumerate(ptrs):
        if j < sb.ptr_count:
            put(sb, j, node)


def put(sb: StructBuilder, j: int, node: Node) -> None:
    tag = node[0]
    if tag == "struct":
        fill(sb.init_struct(j, len(node[1]), len(node[2])), node[1], node[2])
    elif tag == "slist":
        _, dw, pc, elems = node
        lst = sb.init_struct_list(j, len(elems), dw, pc)
        for i, (data, ptrs) in enumerate(elems):
            fill(lst.get_struct(i), data, ptrs)
    elif tag == "list":
        sb.init_primitive_list(j, node[1], node[2])
    elif tag == "text":
        sb.set_text(j, node[1])
    elif tag == "data":
        sb.set_data(j, node[1])
    elif tag == "cap":
        sb.set_capability(j, node[1])


def check(sr: StructReader, data: List[int], ptrs: List[Node], dw: int, pc: int) -> None:
    for i in range(dw):
        assert sr.get_uint64(i) == (data[i] if i < len(data) else 0)
    for j in range(pc):
        node = ptrs[j] if j < len(ptrs) else ("null",)
        tag = node[0]
        if tag == "null":
            assert sr.is_null(j)
        elif tag == "struct":
            child = sr.get_struct(j)
            check(child, node[1], node[2], len(node[1]), len(node[2]))
        elif tag == "slist":
            _, edw, epc, elems = node
            lst = sr.get_list(j, ELEM_COMPOSITE)
            assert len(lst) == len(elems)
            for i, (d, p) in enumerate(elems):
                check(lst.get_struct(i), d, p, edw, epc)
        elif tag == "list":
            got = sr.get_list(j, FORMAT_ELEMENT_SIZE[node[1]]).to_list(node[1])
            if node[1] == "f":
                want = [struct.unpack("<f", struct.pack("<f", v))[0] for v in node[2]]
            else:
                want = list(node[2])
            assert got == want
        elif tag == "text":
            assert sr.get_text(j) == node[1]
        elif tag == "data":
            assert sr.get_data(j) == node[1]
        elif tag == "cap":
            assert sr.get_capability(j) == node[1]


def build(root: Node, builder: MessageBuilder) -> List[bytes]:
    fill(builder.init_root(len(root[1]), len(root[2])), root[1], root[2])
    return builder.segments()


@SETTINGS
@given(roots, st.sampled_from([1024, 4, 7]), st.sampled_from(["heuristic", "fixed", "single"]))
def test_round_trip(root: Node, first: int, growth: str) -> None:
    segments = build(root, MessageBuilder(first, growth=growth))
    reader = MessageReader(segments)
    check(reader.root(), root[1], root[2], len(root[1]), len(root[2]))
    walk_pointer(MessageReader(segments).root_pointer())
    # A deep copy, in any segment policy, has the same canonical form.
    canon = canonicalize(MessageReader(segments).root())
    copy = MessageBuilder(5)
    copy.set_root(MessageReader(segments).root())
    assert canonicalize(MessageReader(copy.segments()).root()) == canon
    assert is_canonical([canon])
    assert canonicalize(MessageReader([canon]).root()) == canon
    check(MessageReader([canon]).root(), root[1], root[2], len(root[1]), len(root[2]))


def read_everything(segments: List[Union[bytes, bytearray]]) -> None:
    try:
        msg = MessageReader(segments, traversal_limit_in_words=1 << 14)
        walk_pointer(msg.root_pointer())
        copy = MessageBuilder()
        copy.set_root_pointer(MessageReader(segments, traversal_limit_in_words=1 << 14)
                              .root_pointer())
        canonicalize(MessageReader(copy.segments()).root()) if (
            MessageReader(copy.segments()).root_pointer().kind == 1) else None
    except DecodeError:
        pass


@SETTINGS
@given(st.lists(st.binary(max_size=64).map(lambda b: b[: len(b) // 8 * 8]), min_size=1,
                max_size=3))
def test_random_bytes_fail_cleanly(segments: List[bytes]) -> None:
    read_everything(list(segments))


@SETTINGS
@given(roots, st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), min_size=1,
                       max_size=6), st.sampled_from([1024, 4]))
def test_mutated_messages_fail_cleanly(
    root: Node, flips: List[Tuple[int, int]], first: int
) -> None:
    segments = [bytearray(s) for s in build(root, MessageBuilder(first, growth="fixed"))]
    total = sum(len(s) for s in segments)
    for pos, value in flips:
        pos %= total
        for s in segments:
            if pos < len(s):
                s[pos] = value
                break
            pos -= len(s)
    read_everything(list(segments))


# ---------------------------------------------------------------------------
# Cross-check against pycapnp (the C++ implementation)
# ---------------------------------------------------------------------------

SCHEMA = """@0xd0a5b3c1e2f40011;
struct T {
  a @0 :UInt32;
  b @1 :Float64;
  t @2 :Text;
  l @3 :List(Int32);
  c @4 :T;
  s @5 :List(T);
  f @6 :Bool;
}
"""


@pytest.fixture(scope="module")
def T(tmp_path_factory: pytest.TempPathFactory) -> Any:
    # Loaded once: the C++ library aborts when one schema ID is loaded twice.
    capnp = pytest.importorskip("capnp")
    path = tmp_path_factory.mktemp("schema") / "t.capnp"
    path.write_text(SCHEMA)
    return capnp.load(str(path)).T


def reference_canonical(segments: List[bytes]) -> bytes:
    """`capnp convert binary:canonical` of a framed message."""
    framed = struct.pack(f"<I{len(segments)}I", len(segments) - 1, *(len(s) // 8 for s in segments))
    framed += b"\0" * (len(framed) % 8) + b"".join(segments)
    done = subprocess.run(["capnp", "convert", "--quiet", "binary:canonical"], input=framed,
                          capture_output=True, check=True, timeout=60)
    return done.stdout


def test_pycapnp_reads_our_output(T: Any) -> None:
    mb = MessageBuilder(4)
    root = mb.init_root(2, 4)
    root.set_uint32(0, 77)
    root.set_float64(1, -2.5)
    root.set_bool(32, True)
    root.set_text(0, "héllo")
    root.init_primitive_list(1, "i", [-1, 0, 1 << 30])
    child = root.init_struct(2, 2, 4)
    child.set_uint32(0, 5)
    items = child.init_struct_list(3, 2, 2, 4)  # c.s
    items.get_struct(1).set_text(0, "x")
    segments = mb.segments()
    assert len(segments) > 1  # far pointers exercised
    msg = T.from_segments(segments)
    assert (msg.a, msg.b, msg.t, list(msg.l), msg.f) == (77, -2.5, "héllo", [-1, 0, 1 << 30], True)
    assert msg.c.a == 5 and msg.c.s[1].t == "x" and len(msg.c.s) == 2
    if shutil.which("capnp"):
        assert canonicalize(MessageReader(segments).root()) == reference_canonical(segments)


def test_we_read_pycapnp_output(T: Any) -> None:
    msg = T.new_message(a=9, b=0.25, t="txt", l=[3, -4], f=True)
    msg.c = {"a": 1, "t": "inner"}
    s = msg.init("s", 3)
    s[2].a = 33
    segments = msg.to_segments()
    root = MessageReader(segments).root()
    assert root.get_uint32(0) == 9 and root.get_float64(1) == 0.25 and root.get_bool(32)
    assert root.get_text(0) == "txt"
    assert root.get_list(1, 4).to_list("i") == [3, -4]
    assert root.get_struct(2).get_text(0) == "inner"
    assert root.get_list(3, ELEM_COMPOSITE).get_struct(2).get_uint32(0) == 33
    if shutil.which("capnp"):
        assert canonicalize(root) == reference_canonical(segments)
