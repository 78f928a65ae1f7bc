"""The JS RPC value helpers on either side of V8 serialization: ``densify`` (results read by our
client) and ``encode_value`` (values our server sends, with stubs as host objects), at depths
far beyond Python's recursion limit and with shared and cyclic containers."""

from __future__ import annotations

import sys
from typing import Any, List

from debugport import v8
from debugport.jsrpc import decode_result, densify
from debugport.jsrpc_server import encode_value

DEEP = 5_000  # well past the recursion limit


def nested_sparse(depth: int) -> Any:
    inner: Any = "bottom"
    for _ in range(depth):
        inner = v8.SparseArray(1, {0: inner})
    return inner


def test_densify_of_a_deep_value() -> None:
    dense = densify({"x": nested_sparse(DEEP)})
    item = dense["x"]
    for _ in range(DEEP):
        assert isinstance(item, list) and len(item) == 1
        item = item[0]
    assert item == "bottom"


def test_densify_keeps_sharing_and_cycles_through_every_kind() -> None:
    shared = v8.SparseArray(2, {0: 1, 1: 2})
    cyclic = v8.SparseArray(2)
    js_map = v8.JSMap([(shared, cyclic)])
    js_set = v8.JSSet([shared])
    cyclic.elements = {0: cyclic, 1: js_map}
    holey = v8.SparseArray(3, {0: shared, 2: js_set})
    out = densify({"a": shared, "b": shared, "c": cyclic, "h": holey})
    assert out["a"] == [1, 2] and out["a"] is out["b"]
    c = out["c"]
    assert isinstance(c, list) and c[0] is c and c[1] is js_map
    assert js_map.pairs == [(out["a"], c)] and js_map.pairs[0][0] is out["a"]
    assert out["h"] is holey and holey.elements[0] is out["a"] and holey.elements[2] is js_set
    assert js_set.items[0] is out["a"]


def test_a_deep_result_reads_without_recursion() -> None:
    value: Any = [1]
    for _ in range(DEEP):
        value = [value]
    data = v8.dumps(value)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # no part of reading may recurse per level
    try:
        out = decode_result(data)
    finally:
        sys.setrecursionlimit(limit)
    for _ in range(DEEP):
        out = out[0]
    assert out == [1]


class Target:
    def method(self) -> int:
        return 1


def test_encode_value_of_deep_shared_and_cyclic_values_with_stubs() -> None:
    stub_a, stub_b = Target().method, Target().method
    deep: Any = {"stub": stub_b}
    for _ in range(DEEP):
        deep = {"in": deep}
    shared = [stub_a, 5]
    cyclic: List[Any] = [shared]
    cyclic.append(cyclic)
    wrapped: List[Any] = []
    out = encode_value({"x": shared, "y": shared, "c": cyclic, "d": deep, "t": (stub_a,)},
                       lambda e: wrapped.append(e) or len(wrapped))
    # One external per stub the serializer meets, in its order; the shared list only once.
    assert wrapped == [stub_a, stub_b, stub_a]
    assert [e["rpcTarget"]["cap"] for e in out["externals"]] == [1, 2, 3]

    read: List[int] = []

    def host(reader: v8.HostReader) -> Any:
        reader.read_uint32()
        read.append(len(read))
        return ("stub", len(read) - 1)

    value = v8.loads(out["v8Serialized"], host_reader=host)
    assert value["x"] is value["y"] and value["x"][0] == ("stub", 0)
    assert value["x"][1] == 5
    c = value["c"]
    assert c[0] is value["x"] and c[1] is c
    d = value["d"]
    for _ in range(DEEP):
        d = d["in"]
    assert d == {"stub": ("stub", 1)} and value["t"] == [("stub", 2)]


def test_a_tuple_used_twice_is_written_twice_as_v8_dumps_writes_tuples() -> None:
    t = (1, [2])
    out = encode_value({"t1": t, "t2": t}, lambda e: e)
    value = v8.loads(out["v8Serialized"])
    assert value == {"t1": [1, [2]], "t2": [1, [2]]}
    assert value["t1"] is not value["t2"]
    assert value["t1"][1] is value["t2"][1]  # the list inside is one object, shared
