"""Deeply nested V8 values, and the bounds on what one value may cost.

The reader and writer keep their own stack, so nesting is bounded by ``max_depth``
alone.  Deep values are compared through flat, iteratively built descriptions (a
recursive one, or ``==`` on nested lists, would overflow the interpreter's stack):
``describe_flat`` here and ``describeFlat`` in ``v8_deep_helper.js`` produce the same
tokens for the same JS value, so node (its own ``v8`` module) is the reference.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from capnp_lite.errors import DecodeError, EncodeError, LimitError
from debugport import v8
from debugport.v8 import (
    HOLE,
    NO_CAUSE,
    UNDEFINED,
    BigInt,
    Boxed,
    HostObject,
    HostReader,
    HostWriter,
    JSDate,
    JSError,
    JSMap,
    JSRegExp,
    JSSet,
    ResizableArrayBuffer,
    SparseArray,
    TypedArray,
    dumps,
    loads,
    node_host_reader,
)

from .test_v8 import _date_ms, _double_hex, _js_key_order

HELPER = Path(__file__).with_name("v8_deep_helper.js")
# node's V8 serializes and deserializes a few thousand levels with its default
# stack (about 1 MB); 4 MB lets it handle the depths below, and stays inside the
# usual 8 MB main-thread stack.
NODE_STACK_KB = 4000

_KNOWN_ERRORS = ("EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError",
                 "URIError")


class _Key:
    """A property key among the values still to describe."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def describe_flat(root: Any) -> List[Any]:
    """The tokens ``describeFlat`` in the helper gives for the JS value ``root`` maps to."""
    out: List[Any] = []
    seen: Dict[int, int] = {}
    keep: List[Any] = []  # keeps described objects alive so that their id() stays unique
    todo: List[Any] = [root]
    while todo:
        v = todo.pop()
        if isinstance(v, _Key):
            out.append(["key", v.name])
            continue
        token = _primitive_token(v)
        if token is not None:
            out.append(token)
            continue
        # dumps() does not take shared tuples, frozensets and plain bytes for one object.
        track = not isinstance(v, (tuple, frozenset)) and type(v) is not bytes
        if track and id(v) in seen:
            out.append(["ref", seen[id(v)]])
            continue
        vid = len(keep)
        keep.append(v)
        if track:
            seen[id(v)] = vid
        children: List[Any] = []
        if isinstance(v, (list, tuple)):
            for i, x in enumerate(v):
                if x is not HOLE:
                    children += [_Key(str(i)), x]
            out.append(["array", vid, len(v), len(children) // 2])
        elif isinstance(v, SparseArray):
            for i in sorted(v.elements):
                children += [_Key(str(i)), v.elements[i]]
            for k, x in v.properties.items():
                children += [_Key(k), x]
            out.append(["array", vid, v.length, len(children) // 2])
        elif isinstance(v, dict):
            for k in _js_key_order(list(v)):
                children += [_Key(k), v[k]]
            out.append(["object", vid, len(v)])
        elif isinstance(v, JSMap):
            for k, x in v.pairs:
                children += [k, x]
            out.append(["map", vid, len(v.pairs)])
        elif isinstance(v, (set, frozenset, JSSet)):
            children = list(v)
            out.append(["set", vid, len(children)])
        elif isinstance(v, dt.datetime):
            out.append(["date", vid, _double_hex(_date_ms(v))])
        elif isinstance(v, JSDate):
            out.append(["date", vid, _double_hex(v.ms)])
        elif isinstance(v, JSRegExp):
            out.append(["regexp", vid, v.source, v.flags])
        elif isinstance(v, JSError):
            if v.cause is not NO_CAUSE:
                children = [v.cause]
            name = v.name if v.name in _KNOWN_ERRORS else "Error"
            out.append(["error", vid, name, v.message, v.stack, v.cause is not NO_CAUSE])
        elif isinstance(v, (bytes, bytearray)):
            out.append(["arraybuffer", vid, bytes(v).hex(), None])
        elif isinstance(v, ResizableArrayBuffer):
            out.append(["arraybuffer", vid, v.data.hex(), v.max_byte_length])
        elif isinstance(v, TypedArray):
            children = [v.buffer]
            out.append(["view", vid, v.kind, v.byte_offset, len(v.data)])
        elif isinstance(v, Boxed):
            inner = v.value
            if isinstance(inner, int) and not isinstance(inner, (bool, BigInt)):
                inner = float(inner)
            children = [inner]
            out.append(["boxed", vid])
        else:
            raise TypeError(f"cannot describe {type(v).__name__}")
        todo.extend(reversed(children))
    return out


def _primitive_token(v: Any) -> Optional[List[Any]]:
    if v is UNDEFINED:
        return ["undefined"]
    if v is None:
        return ["null"]
    if isinstance(v, bool):
        return ["bool", v]
    if isinstance(v, BigInt):
        return ["bigint", str(int(v))]
    if isinstance(v, int):
        return ["number", _double_hex(float(v))] if abs(v) <= 2**53 else ["bigint", str(v)]
    if isinstance(v, float):
        return ["number", _double_hex(v)]
    if isinstance(v, str):
        return ["string", v]
    return None


def _nest(kind: str, depth: int, inner: Any = None) -> Any:
    """``inner`` wrapped in ``depth`` containers of ``kind``, built without recursion."""
    value = inner
    for i in range(depth):
        if kind == "array":
            value = [value]
        elif kind == "object":
            value = {"k": value}
        elif kind == "map":
            value = JSMap([(i, value)])
        elif kind == "set":
            value = JSSet([value])
        elif kind == "error":
            value = JSError("Error", f"m{i}", f"s{i}", cause=value)
        elif kind == "sparse":
            value = SparseArray(3, {1: value}, {"p": i})
        else:
            raise ValueError(kind)
    return value


def _depth_of(value: Any) -> int:
    """How many containers deep ``value`` is, following the first child of each."""
    depth = 0
    while True:
        if isinstance(value, list) and value:
            value = value[0]
        elif isinstance(value, dict) and value:
            value = next(iter(value.values()))
        elif isinstance(value, JSMap) and value.pairs:
            value = value.pairs[0][1]
        elif isinstance(value, JSSet) and value.items:
            value = value.items[0]
        elif isinstance(value, JSError) and value.cause is not NO_CAUSE:
            value = value.cause
        elif isinstance(value, SparseArray) and value.elements:
            value = value.elements[min(value.elements)]
        else:
            return depth + (isinstance(value, (list, dict, JSMap, JSSet, JSError, SparseArray)))
        depth += 1


KINDS = ["array", "object", "map", "set", "error", "sparse"]


# -- deep values without node ------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_deep_round_trip(kind: str) -> None:
    value = _nest(kind, 10_000, "bottom")
    data = dumps(value)
    back = loads(data)
    assert _depth_of(back) == 10_000
    assert describe_flat(back) == describe_flat(value)
    assert dumps(back) == data


def test_default_depth_both_ways() -> None:
    # The whole default depth works both ways, one more level is refused both ways,
    # all well past the interpreter's recursion limit.
    assert v8.DEFAULT_MAX_DEPTH > 20 * sys.getrecursionlimit()
    value = _nest("array", v8.DEFAULT_MAX_DEPTH - 1, [])  # the innermost [] is a level too
    data = dumps(value)
    assert _depth_of(loads(data)) == v8.DEFAULT_MAX_DEPTH
    with pytest.raises(EncodeError, match="deeper than"):
        dumps([value])
    deeper = b"\xff\x0fA\x01" + data[2:] + b"$\x00\x01"  # [value]
    with pytest.raises(LimitError, match="nesting deeper than"):
        loads(deeper)


_REFUSED_IN_A_SMALL_STACK = """
import sys, threading
from debugport import v8
value = []
for _ in range(v8.DEFAULT_MAX_DEPTH):
    value = [value]
seen = []
def run():
    try:
        v8.dumps(value)
    except Exception as exc:
        seen.append(type(exc).__name__)
threading.stack_size(256 * 1024)
t = threading.Thread(target=run)
t.start()
t.join()
print(seen)
"""


def test_a_value_refused_at_the_default_depth_is_let_go_in_a_small_stack() -> None:
    # The writer refuses it with 100,000 containers open; letting go of their jobs must not
    # nest a C call per level (CPython 3.13 frees a chain of suspended generators that way,
    # and crashed here).  In a child process: a crash must fail the test, not the run.
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run([sys.executable, "-c", _REFUSED_IN_A_SMALL_STACK], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "['EncodeError']"


def test_deep_shared_and_cyclic_values_keep_their_shape() -> None:
    # Each level refers to the root, to its parent and to one shared object; levels
    # alternate between lists and Maps; the innermost holds the root (a cycle).
    root: Dict[str, Any] = {}
    shared = {"s": 1}
    level = root
    for i in range(5_000):
        inner: Dict[str, Any] = {"up": level, "root": root, "shared": shared}
        level["next"] = JSMap([("n", i), ("in", inner)]) if i % 2 else [inner]
        level = inner
    level["next"] = root
    back = loads(dumps(root))
    assert describe_flat(back) == describe_flat(root)
    level, count = back, 0
    while level["next"] is not back:
        holder = level["next"]
        inner = holder.pairs[1][1] if isinstance(holder, JSMap) else holder[0]
        assert inner["root"] is back and inner["up"] is level
        assert inner["shared"] is back["next"][0]["shared"]
        level, count = inner, count + 1
    assert count == 5_000


def test_deep_dense_array_turning_sparse_keeps_references() -> None:
    # Dense arrays with named properties become SparseArrays once read; references
    # from deep inside their elements must end up pointing at the SparseArray.
    outer: List[Any] = []
    level: List[Any] = outer
    for _ in range(3_000):
        nxt: List[Any] = []
        level.append(nxt)
        level = nxt
    level.append(outer)  # the innermost array refers back to the outermost
    sparse = SparseArray(1, {0: outer[0]}, {"p": outer})
    data = dumps([sparse, outer])
    back = loads(data)
    assert describe_flat(back) == describe_flat([sparse, outer])
    inner = back[0].elements[0]
    for _ in range(2_999):
        inner = inner[0]
    assert inner[0] is back[1]


def test_deep_mixed_kinds() -> None:
    value: Any = {"leaf": [dt.datetime(2024, 1, 2, tzinfo=dt.timezone.utc), JSRegExp("a+", "g"),
                           Boxed("s"), b"\x01\x02", TypedArray.of("Uint16Array", [1, 2])]}
    for i in range(12_000):
        kind = KINDS[i % len(KINDS)]
        value = _nest(kind, 1, value)
    data = dumps(value)
    back = loads(data)
    assert describe_flat(back) == describe_flat(value)
    assert dumps(back) == data


def test_deep_values_are_not_limited_by_the_recursion_limit() -> None:
    # Neither direction recurses: a recursion limit just above what the test
    # machinery needs is enough for 30,000 levels.
    value = _nest("map", 30_000, _nest("error", 30_000))
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        data = dumps(value)
        back = loads(data)
    finally:
        sys.setrecursionlimit(old)
    assert describe_flat(back) == describe_flat(value)


def test_max_depth_counts_containers_of_every_kind() -> None:
    for kind in KINDS:
        value = _nest(kind, 300, 1)
        data = dumps(value, max_depth=300)
        assert describe_flat(loads(data, max_depth=300)) == describe_flat(value)
        with pytest.raises(LimitError):
            loads(data, max_depth=299)
        with pytest.raises(EncodeError):
            dumps(value, max_depth=299)


OPENERS = [b'o"\x01k', b";", b"'", b'a\x00"\x01k', b"r\x63", b"A\x01"]


@pytest.mark.parametrize("opener", OPENERS, ids=["object", "map", "set", "sparse", "error", "array"])
def test_unclosed_nesting_is_refused_at_the_limit(opener: bytes) -> None:
    # Opening tags only: the limit is checked as each level opens.
    with pytest.raises(LimitError, match="nesting deeper than 1000"):
        loads(b"\xff\x0f" + opener * 1_001, max_depth=1_000)
    with pytest.raises(DecodeError, match="truncated|exceeds"):
        loads(b"\xff\x0f" + opener * 1_000, max_depth=1_000)


def test_unclosed_nesting_is_refused_at_the_default_limit() -> None:
    with pytest.raises(LimitError, match="nesting deeper than"):
        loads(b"\xff\x0f" + b";" * (v8.DEFAULT_MAX_DEPTH + 1))


@pytest.mark.parametrize(
    "body",
    [
        b"r\x6d" + b"r\x6d" * 10_000,  # an Error whose message is an Error whose message...
        b"s" * 10_000,  # a String object whose value is a String object...
        b"R" * 10_000,  # a RegExp whose source is a RegExp...
        b"o" * 10_000,  # an object whose first key is an object...
        b";" + b"o" * 10_000,  # Map keys may be objects; ... whose keys may not
    ],
    ids=["error_message", "string_object", "regexp_source", "object_key", "map_then_key"],
)
def test_strings_and_keys_never_nest(body: bytes) -> None:
    # Where only a string (or a key) may stand, anything else is refused as it is
    # met, not read first: nothing nests there.
    with pytest.raises(DecodeError, match="not a string"):
        loads(b"\xff\x0f" + body, max_depth=5)


# -- host objects: each level of host bodies is a call, bounded on its own ---------------


class _Wrapper(HostObject):
    """A host object whose body is a whole value (which may hold more of them)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def write_host(self, writer: HostWriter) -> None:
        writer.write_value(self.inner)


def _read_wrapper(reader: HostReader) -> Any:
    return _Wrapper(reader.read_value())


def test_host_objects_nest_up_to_their_own_bound() -> None:
    value: Any = [1]
    for _ in range(v8.MAX_HOST_NESTING):
        value = _Wrapper(_nest("array", 500, value))
    data = dumps(value)
    back = loads(data, host_reader=_read_wrapper)
    depth = 0
    while isinstance(back, _Wrapper):
        back = back.inner
        for _ in range(500):
            back = back[0]
        depth += 1
    assert depth == v8.MAX_HOST_NESTING and back == [1]
    with pytest.raises(EncodeError, match="host objects nested"):
        dumps(_Wrapper(value))
    deeper = b"\xff\x0f" + b"\\" * (v8.MAX_HOST_NESTING + 1) + b"_"
    with pytest.raises(LimitError, match="host objects nested"):
        loads(deeper, host_reader=_read_wrapper)
    with pytest.raises(LimitError, match="host objects nested"):
        loads(b"\xff\x0f" + b"\\" * 100_000, host_reader=_read_wrapper)


def test_depth_counts_inside_host_bodies() -> None:
    value = _Wrapper(_nest("array", 100, 1))
    data = dumps(value)
    loads(data, host_reader=_read_wrapper, max_depth=100)
    with pytest.raises(LimitError):
        loads(data, host_reader=_read_wrapper, max_depth=99)
    with pytest.raises(EncodeError):
        dumps([value], max_depth=100)


# -- the bound on objects per value ------------------------------------------------------


def _array_of(count: int, element: bytes) -> bytes:
    """A dense array of ``count`` copies of ``element`` (one value's bytes)."""
    return b"\xff\x0f" + b"A" + _varint(count) + element * count + b"$\x00" + _varint(count)


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


# One value of each kind that V8 gives an object id (the view counts with its buffer).
OBJECT_KINDS: Dict[str, bytes] = {
    "object": b"o{\x00",
    "dense_array": b"A\x00$\x00\x00",
    "sparse_array": b"a\x00@\x00\x00",
    "map": b";:\x00",
    "set": b"',\x00",
    "date": b"D" + bytes(8),
    "boxed": b"y",
    "regexp": b'R"\x01a\x00',
    "error": b"r.",
    "array_buffer": b"B\x00",
    "resizable_buffer": b"~\x00\x04",
    "view": b"B\x02\x00\x00V?\x00\x02\x00",
}


@pytest.mark.parametrize("kind", sorted(OBJECT_KINDS))
def test_max_objects_counts_every_kind(kind: str) -> None:
    per = 2 if kind == "view" else 1
    data = _array_of(50, OBJECT_KINDS[kind])
    assert len(loads(data, max_objects=1 + 50 * per)) == 50  # the array is one too
    with pytest.raises(LimitError, match="max_objects"):
        loads(data, max_objects=50 * per)


def test_max_objects_counts_host_objects() -> None:
    data = dumps([_Wrapper(1), _Wrapper(2)])
    assert len(loads(data, host_reader=_read_wrapper, max_objects=3)) == 2
    with pytest.raises(LimitError, match="max_objects"):
        loads(data, host_reader=_read_wrapper, max_objects=2)


def test_references_do_not_count() -> None:
    shared: Dict[str, Any] = {}
    data = dumps([shared] * 1000)
    back = loads(data, max_objects=2)
    assert all(item is back[0] for item in back)
    with pytest.raises(LimitError):
        loads(data, max_objects=1)


def test_default_object_bound() -> None:
    # Every object takes at least one input byte, so a value within workerd's 1 MiB
    # limit on serialized values never reaches the default...
    assert v8.DEFAULT_MAX_OBJECTS >= 1 << 20
    # ... and more objects than the default are refused, naming the limit.
    data = _array_of(v8.DEFAULT_MAX_OBJECTS, b"y")  # the array and the Boolean objects
    with pytest.raises(LimitError, match=f"more than {v8.DEFAULT_MAX_OBJECTS} objects"):
        loads(data)


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="tracemalloc is CPython's")
def test_object_bound_caps_memory() -> None:
    import tracemalloc

    # 3 MB of empty Maps used to cost some 44 bytes per input byte (130 MB); the
    # bound stops the reader long before that.
    data = _array_of(1_000_000, b";:\x00")
    tracemalloc.start()
    try:
        with pytest.raises(LimitError):
            loads(data, max_objects=20_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * len(data) + 20_000 * 200


# -- against node ------------------------------------------------------------------------


def _run_node(exprs: Dict[str, str], decode: Dict[str, bytes], describe: bool = True,
              stack_kb: Optional[int] = NODE_STACK_KB) -> Dict[str, Any]:
    exe = shutil.which("node")
    if exe is None:
        if os.environ.get("CAPNP_LITE_NO_NODE") == "1":
            pytest.skip("node not installed and CAPNP_LITE_NO_NODE=1")
        pytest.fail("node is needed for the V8 interop tests (set CAPNP_LITE_NO_NODE=1 to skip)")
    request = json.dumps({"exprs": exprs, "decode": {k: v.hex() for k, v in decode.items()},
                          "describe": describe}).encode()
    args = [exe] + ([f"--stack-size={stack_kb}"] if stack_kb else []) + [str(HELPER)]
    proc = subprocess.run(args, input=request, capture_output=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    reply: Dict[str, Any] = json.loads(proc.stdout)
    return reply


def _js_nest(depth: int, wrap: str, inner: str = "null") -> str:
    """A JS expression: ``inner`` wrapped ``depth`` times by ``wrap`` (a function of v, i)."""
    return (f"(() => {{ let v = {inner}; const wrap = {wrap};"
            f" for (let i = 0; i < {depth}; i++) v = wrap(v, i); return v; }})()")


DEEP_JS = {
    "arrays": _js_nest(10_000, "(v) => [v]", "'bottom'"),
    "objects": _js_nest(6_000, "(v, i) => ({k: v, i})"),
    "maps": _js_nest(10_000, "(v, i) => new Map([[i, v], ['x', i]])"),
    "map_keys": _js_nest(6_000, "(v) => new Map([[v, 1]])"),
    "sets": _js_nest(10_000, "(v, i) => new Set([i, v])"),
    "errors": _js_nest(
        8_000, "(v, i) => { const e = new RangeError('m' + i, {cause: v}); e.stack = 's' + i;"
               " return e; }", "new Error('root')"),
    "sparse": _js_nest(6_000, "(v, i) => { const a = []; a[5] = v; a.p = i; return a; }"),
    "mixed": _js_nest(
        6_000,
        "(v, i) => [(x) => [x, i], (x) => ({x, d: new Date(i)}), (x) => new Map([['k', x]]),"
        " (x) => new Set([x]), (x) => new Error('e', {cause: x}),"
        " (x) => { const a = [x, 1]; a.named = 'n'; return a; }][i % 6](v)",
        "{buf: new Uint8Array([1, 2, 3]), re: /a+/g, big: 12345678901234567890n}"),
    "shared_and_cyclic": "(() => { const root = {}; const shared = [1]; let v = root;"
                         " for (let i = 0; i < 5000; i++) {"
                         " const next = {up: v, root, shared}; v.next = [next]; v = next; }"
                         " v.next = root; return root; })()",
}


@pytest.fixture(scope="module")
def node_deep() -> Dict[str, Any]:
    """node's bytes and descriptions of every DEEP_JS value (one node process)."""
    reply = _run_node(DEEP_JS, {})
    results: Dict[str, Any] = reply["exprs"]
    for name, result in results.items():
        assert "error" not in result, (name, result)
    return results


@pytest.mark.interop
def test_node_deep_values_both_ways(node_deep: Dict[str, Any]) -> None:
    # node serializes -> we read (same description) -> we write -> node reads it
    # back as the very value it started from.
    ours: Dict[str, bytes] = {}
    for name, result in node_deep.items():
        value = loads(bytes.fromhex(result["node"]), host_reader=node_host_reader)
        assert describe_flat(value) == result["desc"], name
        ours[name] = dumps(value)
    decoded = _run_node({}, ours)["decode"]
    for name, result in node_deep.items():
        assert decoded[name] == {"desc": result["desc"]}, name


@pytest.mark.interop
def test_node_reads_our_deep_values() -> None:
    # Values built in Python, written by dumps, read by node.
    values: Dict[str, Any] = {kind: _nest(kind, 5_000, "bottom") for kind in KINDS}
    data = {kind: dumps(value) for kind, value in values.items()}
    decoded = _run_node({}, data)["decode"]
    for kind, value in values.items():
        assert decoded[kind] == {"desc": describe_flat(value)}, kind


@pytest.mark.interop
def test_node_default_stack_depths_read() -> None:
    # What node writes with its default stack, at about the deepest it manages.
    exprs = {
        "arrays": _js_nest(2_500, "(v) => [v]"),
        "objects": _js_nest(2_000, "(v) => ({v})"),
        "errors": _js_nest(2_000, "(v) => new Error('m', {cause: v})"),
    }
    reply = _run_node(exprs, {}, stack_kb=None)["exprs"]
    for name, result in reply.items():
        assert "error" not in result, (name, result)
        assert describe_flat(loads(bytes.fromhex(result["node"]))) == result["desc"], name


REALISTIC_JS = {
    # About 1.3 MB: records as an API would return them.
    "records": "Array.from({length: 6000}, (_, i) => ({id: i, name: 'user' + i,"
               " email: 'u' + i + '@example.com', score: i * 1.5, active: i % 2 === 0,"
               " tags: ['a', 'b' + i], created: new Date(1700000000000 + i),"
               " address: {city: 'c' + (i % 50), zip: String(10000 + i)}}))",
    # About 1 MiB of the smallest objects node writes: workerd's whole value limit.
    "empty_objects": "Array.from({length: 349000}, () => ({}))",
    "booleans": "Array.from({length: 1048000}, () => new Boolean(true))",
    "maps": "new Map(Array.from({length: 5000}, (_, i) => ['k' + i, new Set([i, {i}])]))",
}


@pytest.mark.interop
def test_realistic_node_values_are_within_the_bounds() -> None:
    reply = _run_node(REALISTIC_JS, {}, describe=False)["exprs"]
    for name, result in reply.items():
        assert "error" not in result, (name, result)
        data = bytes.fromhex(result["node"])
        if name in ("empty_objects", "booleans"):
            assert len(data) <= 1 << 20, (name, len(data))
        value = loads(data)  # the default bounds
        assert len(value) in (6000, 349000, 1048000, 5000)
    # The records, compared in full.
    small = {"records": REALISTIC_JS["records"]}
    result = _run_node(small, {})["exprs"]["records"]
    assert describe_flat(loads(bytes.fromhex(result["node"]))) == result["desc"]

