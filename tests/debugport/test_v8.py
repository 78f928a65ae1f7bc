"""Tests of the V8 serialization codec, against node's own ``v8`` module.

One node process per test session runs every JS expression of the case table
(``v8_node_helper.js``) and deserializes every byte string Python produced.
Without node the interop tests fail, unless CAPNP_LITE_NO_NODE=1 says to skip
them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple, Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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

HELPER = Path(__file__).with_name("v8_node_helper.js")
UTC = dt.timezone.utc


# -- a canonical description of Python values, mirroring describe() in the helper --


def _double_hex(value: float) -> str:
    return struct.pack("<d", value).hex()


def _js_key_order(keys: List[str]) -> List[str]:
    def index(key: str) -> Optional[int]:
        if key.isascii() and key.isdigit() and (key == "0" or key[0] != "0") and len(key) <= 10:
            n = int(key)
            return n if n <= 2**32 - 2 else None
        return None

    indexed = sorted((k for k in keys if index(k) is not None), key=lambda k: int(k))
    return indexed + [k for k in keys if index(k) is None]


def _date_ms(value: dt.datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    micros = (value - dt.datetime(1970, 1, 1, tzinfo=UTC)) // dt.timedelta(microseconds=1)
    return float(micros // 1000)  # JS counts the millisecond an instant falls in


def describe(root: Any) -> Any:
    """What the JS describer would print for the value ``root`` maps to."""
    seen: Dict[int, int] = {}
    keep: List[Any] = []
    counter = [0]

    def d(v: Any) -> Any:
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
        # dumps() does not take shared tuples, frozensets and plain bytes for one object.
        track = not isinstance(v, (tuple, frozenset)) and type(v) is not bytes
        if track and id(v) in seen:
            return ["ref", seen[id(v)]]
        vid = counter[0]
        counter[0] += 1
        if track:
            seen[id(v)] = vid
            keep.append(v)
        if isinstance(v, (list, tuple)):
            return ["array", vid, len(v), [[str(i), d(x)] for i, x in enumerate(v) if x is not HOLE]]
        if isinstance(v, SparseArray):
            props = [[str(i), d(v.elements[i])] for i in sorted(v.elements)]
            props += [[k, d(x)] for k, x in v.properties.items()]
            return ["array", vid, v.length, props]
        if isinstance(v, dict):
            return ["object", vid, [[k, d(v[k])] for k in _js_key_order(list(v))]]
        if isinstance(v, JSMap):
            return ["map", vid, [[d(k), d(x)] for k, x in v.pairs]]
        if isinstance(v, (set, frozenset, JSSet)):
            return ["set", vid, [d(x) for x in v]]
        if isinstance(v, dt.datetime):
            return ["date", vid, _double_hex(_date_ms(v))]
        if isinstance(v, JSDate):
            return ["date", vid, _double_hex(v.ms)]
        if isinstance(v, JSRegExp):
            return ["regexp", vid, v.source, v.flags]
        if isinstance(v, JSError):
            known = v.name in ("EvalError", "RangeError", "ReferenceError", "SyntaxError",
                               "TypeError", "URIError")
            cause = ["nocause"] if v.cause is NO_CAUSE else d(v.cause)
            return ["error", vid, v.name if known else "Error", v.message, v.stack, cause]
        if isinstance(v, (bytes, bytearray)):
            return ["arraybuffer", vid, bytes(v).hex(), None]
        if isinstance(v, ResizableArrayBuffer):
            return ["arraybuffer", vid, v.data.hex(), v.max_byte_length]
        if isinstance(v, TypedArray):
            length = len(v.data)
            return ["view", vid, v.kind, v.byte_offset, length, d(v.buffer)]
        if isinstance(v, Boxed):
            inner = v.value
            if isinstance(inner, int) and not isinstance(inner, (bool, BigInt)):
                inner = float(inner)
            return ["boxed", vid, d(inner)]
        raise TypeError(f"cannot describe {type(v).__name__}")

    return d(root)


# -- the shared case table ------------------------------------------------------


class Case(NamedTuple):
    name: str
    js: str  # a JS expression
    py: Callable[[], Any]  # builds the equivalent Python value
    exact: bool = True  # our dumps() must equal V8's bytes
    same_desc: bool = True  # the JS value survives a round trip unchanged


def _self_dict() -> Any:
    o: Dict[str, Any] = {}
    o["self"] = o
    return o


def _self_list() -> Any:
    a: List[Any] = []
    a.append(a)
    return a


def _shared() -> Any:
    o = {"x": 1}
    return [o, o]


def _self_map() -> Any:
    m = JSMap()
    m.pairs.append(("me", m))
    return m


def _shared_buffer_views() -> Any:
    b = v8.ArrayBuffer(bytes(4))
    return [TypedArray("Uint8Array", b), TypedArray("Uint16Array", b, 2, 2), b]


def _error_cycle() -> Any:
    e = {"n": 1}
    return JSError("Error", "m", "s", cause=[e, e])


STACK = "TypeError: bad\\n    at x (y.js:1:2)"

CASES = [
    Case("null", "null", lambda: None),
    Case("undefined", "undefined", lambda: UNDEFINED),
    Case("true", "true", lambda: True),
    Case("false", "false", lambda: False),
    Case("zero", "0", lambda: 0),
    Case("one", "1", lambda: 1),
    Case("minus_one", "-1", lambda: -1),
    Case("int_2_30", "2**30", lambda: 2**30),
    Case("int32_max", "2147483647", lambda: 2**31 - 1),
    Case("int32_min", "-2147483648", lambda: -(2**31)),
    Case("int_2_31", "2**31", lambda: 2**31),
    Case("int_2_53", "2**53", lambda: 2**53),
    Case("int_neg_2_53", "-(2**53)", lambda: -(2**53)),
    Case("double", "1.5", lambda: 1.5),
    Case("tenth", "0.1", lambda: 0.1),
    Case("neg_zero", "-0", lambda: -0.0),
    Case("nan", "NaN", lambda: math.nan),
    Case("inf", "Infinity", lambda: math.inf),
    Case("neg_inf", "-Infinity", lambda: -math.inf),
    Case("bigint_zero", "0n", lambda: BigInt(0)),
    Case("bigint_one", "1n", lambda: BigInt(1)),
    Case("bigint_neg", "-1n", lambda: BigInt(-1)),
    Case("bigint_2_64", "2n**64n", lambda: BigInt(2**64)),
    Case("bigint_neg_2_63", "-(2n**63n)", lambda: BigInt(-(2**63))),
    Case("bigint_from_int", "2n**53n + 1n", lambda: 2**53 + 1),
    Case("bigint_huge", "-(3n**200n)", lambda: -(3**200)),
    Case("empty_string", "''", lambda: ""),
    Case("ascii", "'abc'", lambda: "abc"),
    Case("latin1", "'caf\\u00e9'", lambda: "caf\u00e9"),
    Case("two_byte", "'\\u0100'", lambda: "\u0100"),
    Case("astral", "'\\u{1F600}x'", lambda: "\U0001F600x"),
    Case("lone_surrogate", "'a\\ud800'", lambda: "a\ud800"),
    Case("padded_two_byte", "['a', '\\u0100']", lambda: ["a", "\u0100"]),
    Case("padded_key", "({ab: '\\u0100\\u0101'})", lambda: {"ab": "\u0100\u0101"}),
    Case("long_string", "'x'.repeat(300)", lambda: "x" * 300),
    Case("long_two_byte", "'\\u0394'.repeat(100)", lambda: "\u0394" * 100),
    Case("empty_object", "({})", lambda: {}),
    Case("object", "({a: 1, b: 'x', c: null})", lambda: {"a": 1, "b": "x", "c": None}),
    Case("object_order", "({b: 1, a: 2})", lambda: {"b": 1, "a": 2}),
    Case("index_keys", "({1: 'x', a: 2, 0: 3})", lambda: {"a": 2, "1": "x", "0": 3}),
    Case(
        "big_index_keys",
        "({4294967294: 1, 2147483648: 2, 4294967295: 3, 2147483647: 4})",
        lambda: {"4294967295": 3, "4294967294": 1, "2147483648": 2, "2147483647": 4},
    ),
    Case("not_index_keys", "({'-1': 1, '01': 2, '1.5': 3})", lambda: {"-1": 1, "01": 2, "1.5": 3}),
    Case("nested", "({a: {b: [1, 2, {c: null}]}})", lambda: {"a": {"b": [1, 2, {"c": None}]}}),
    Case("empty_array", "[]", lambda: []),
    Case("smi_array", "[1, 2, 3]", lambda: [1, 2, 3]),
    Case("mixed_array", "[1, 'a', null, undefined]", lambda: [1, "a", None, UNDEFINED]),
    Case("double_array", "[1, 2.5]", lambda: [1.0, 2.5]),
    Case("holey_array", "[1, , 3]", lambda: SparseArray(3, {0: 1, 2: 3})),
    Case("sparse_array", "(() => { const a = []; a[5] = 'x'; return a; })()",
         lambda: SparseArray(6, {5: "x"})),
    Case("sparse_props", "(() => { const a = [, 1]; a.k = 2; return a; })()",
         lambda: SparseArray(2, {1: 1}, {"k": 2})),
    Case("array_props", "Object.assign([1, 2], {x: 1})",
         lambda: SparseArray(2, {0: 1, 1: 2}, {"x": 1}), exact=False),
    Case("map", "new Map([[1, 'a'], ['k', {}], [{}, []]])",
         lambda: JSMap([(1, "a"), ("k", {}), ({}, [])])),
    Case("empty_map", "new Map()", lambda: JSMap()),
    Case("set", "new Set([1, 'a', null])", lambda: JSSet([1, "a", None])),
    Case("py_set", "new Set(['only'])", lambda: {"only"}),
    Case("date_epoch", "new Date(0)", lambda: dt.datetime(1970, 1, 1, tzinfo=UTC)),
    Case("date", "new Date(1700000000123)",
         lambda: dt.datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC)),
    Case("date_before_epoch", "new Date(-1)",
         lambda: dt.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)),
    Case("date_invalid", "new Date(NaN)", lambda: JSDate(math.nan)),
    Case("date_far", "new Date(8.64e15)", lambda: JSDate(8.64e15)),
    Case("boxed_number", "new Number(1.5)", lambda: Boxed(1.5)),
    Case("boxed_string", "new String('s\\u0100')", lambda: Boxed("s\u0100")),
    Case("boxed_true", "new Boolean(true)", lambda: Boxed(True)),
    Case("boxed_false", "new Boolean(false)", lambda: Boxed(False)),
    Case("boxed_bigint", "Object(5n)", lambda: Boxed(BigInt(5))),
    Case("regexp", "/ab+c/gi", lambda: JSRegExp("ab+c", "gi")),
    Case("regexp_flags", "/x/dgimsuy", lambda: JSRegExp("x", "dgimsuy")),
    Case("regexp_v", "/[a]/v", lambda: JSRegExp("[a]", "v")),
    Case("array_buffer", "new Uint8Array([1, 2, 3]).buffer", lambda: b"\x01\x02\x03"),
    Case("empty_buffer", "new ArrayBuffer(0)", lambda: b""),
    Case("resizable", "new ArrayBuffer(2, {maxByteLength: 8})",
         lambda: ResizableArrayBuffer(b"\0\0", 8)),
    Case("uint8array", "new Uint8Array([1, 2, 3])",
         lambda: TypedArray("Uint8Array", b"\x01\x02\x03")),
    Case("int16array", "new Int16Array([-2, 3])", lambda: TypedArray.of("Int16Array", [-2, 3])),
    Case("float64array", "new Float64Array([1.5, -0])",
         lambda: TypedArray.of("Float64Array", [1.5, -0.0])),
    Case("bigint64array", "new BigInt64Array([-1n])",
         lambda: TypedArray.of("BigInt64Array", [-1])),
    Case("clamped", "new Uint8ClampedArray([255])", lambda: TypedArray("Uint8ClampedArray", b"\xff")),
    Case("dataview", "new DataView(new ArrayBuffer(4), 1, 2)",
         lambda: TypedArray("DataView", bytes(4), 1, 2)),
    Case("subarray", "new Uint16Array(new ArrayBuffer(8), 2, 2)",
         lambda: TypedArray("Uint16Array", bytes(8), 2, 4)),
    Case("length_tracking", "new Uint8Array(new ArrayBuffer(2, {maxByteLength: 8}))",
         lambda: TypedArray("Uint8Array", ResizableArrayBuffer(b"\0\0", 8), 0, 0,
                            length_tracking=True)),
    Case("shared_buffer",
         "(() => { const b = new ArrayBuffer(4); "
         "return [new Uint8Array(b), new Uint16Array(b, 2, 1), b]; })()",
         _shared_buffer_views),
    Case("error", f"(() => {{ const e = new TypeError('bad'); e.stack = '{STACK}'; return e; }})()",
         lambda: JSError("TypeError", "bad", STACK.replace("\\n", "\n"))),
    Case("error_no_stack", "(() => { const e = new RangeError('r'); e.stack = undefined; return e; })()",
         lambda: JSError("RangeError", "r")),
    Case("error_plain", "(() => { const e = new Error(); e.stack = 'S'; return e; })()",
         lambda: JSError("Error", None, "S")),
    Case("error_kinds",
         "['EvalError', 'ReferenceError', 'SyntaxError', 'URIError'].map((n) => {"
         " const e = new globalThis[n]('m'); e.stack = n; return e; })",
         lambda: [JSError(n, "m", n) for n in ("EvalError", "ReferenceError", "SyntaxError",
                                               "URIError")]),
    # Errors with a cause and a stack: node writes the cause first, workerd's V8 the stack
    # first (and refuses the other order); we write workerd's order, which node reads too.
    Case("error_cause",
         "(() => { const e = new Error('m', {cause: {why: 5}}); e.stack = 's'; return e; })()",
         lambda: JSError("Error", "m", "s", cause={"why": 5}), exact=False),
    Case("error_shared_cause",
         "(() => { const o = {n: 1}; const e = new Error('m', {cause: [o, o]}); e.stack = 's';"
         " return e; })()",
         _error_cycle, exact=False),
    Case("error_custom_name",
         "(() => { const e = new Error('m'); e.name = 'MyError'; e.stack = 's'; return e; })()",
         lambda: JSError("MyError", "m", "s"), same_desc=False),
    Case("shared_object", "(() => { const o = {x: 1}; return [o, o]; })()", _shared),
    Case("cyclic_object", "(() => { const o = {}; o.self = o; return o; })()", _self_dict),
    Case("cyclic_array", "(() => { const a = []; a.push(a); return a; })()", _self_list),
    Case("cyclic_map", "(() => { const m = new Map(); m.set('me', m); return m; })()", _self_map),
]
CASE_IDS = [c.name for c in CASES]

# Malformed inputs: V8 must refuse them too (checked against node below).
BAD_INPUTS = {
    "empty": "",
    "header_only": "ff0f",
    "no_header": "49 02",
    "future_version": "ff11 49 02",
    "truncated_varint": "ff0f 49 80",
    "long_varint": "ff0f 49 ffffffffff7f",
    "unknown_tag": "ff0f 01",
    "hole_outside_array": "ff0f 2d",
    "string_too_long": "ff0f 22 05 6162",
    "odd_two_byte": "ff0f 63 03 000100",
    "double_truncated": "ff0f 4e 000000",
    "bad_reference": "ff0f 6f 2201 61 5e 05 7b 01",
    "object_count_mismatch": "ff0f 6f 2201 61 49 02 7b 02",
    "object_unclosed": "ff0f 6f 2201 61 49 02",
    "duplicate_key": "ff0f 6f 2201 61 49 02 2201 61 49 04 7b 02",
    "bad_key": "ff0f 6f 54 49 02 7b 01",
    "dense_length_huge": "ff0f 41 ffffffff0f",
    "dense_end_mismatch": "ff0f 41 01 49 02 24 00 02",
    "map_odd": "ff0f 3b 49 02 3a 01",
    "buffer_too_long": "ff0f 42 ffffffff0f 00",
    "view_out_of_range": "ff0f 42 02 0000 56 42 01 02 00",
    "view_misaligned": "ff0f 42 04 00000000 56 77 01 02 00",
    "view_unknown_type": "ff0f 42 02 0000 56 7a 00 02 00",
    "error_bad_field": "ff0f 72 7a 2e",
    "error_truncated": "ff0f 72 6d",
    "regexp_bad_flags": "ff0f 52 2201 61 80 08",
    "host_object": "ff0f 5c 00",
    "transfer": "ff0f 74 00",
    "trailing": "ff0f 30 30",
    "bigint_negative_zero": "ff0f 5a 01",
}

# Inputs V8 accepts that we refuse on purpose: V8 ignores trailing bytes, reads
# data without a header as a legacy version, cuts varints after five bytes and
# treats the rest as the next token; node also has a host-object reader.
STRICTER_THAN_V8 = {"trailing", "empty", "no_header", "long_varint", "host_object"}


# -- one node process for the whole module --------------------------------------


def _node_cases() -> Dict[str, Any]:
    decode: Dict[str, str] = {}
    for case in CASES:
        try:
            decode[case.name] = dumps(case.py()).hex()
        except Exception:  # reported by the per-case tests
            pass
    decode.update({f"bad:{k}": v.replace(" ", "") for k, v in BAD_INPUTS.items()})
    return {"exprs": {c.name: c.js for c in CASES}, "decode": decode}


@pytest.fixture(scope="module")
def node() -> Dict[str, Any]:
    exe = shutil.which("node")
    if exe is None:
        if os.environ.get("CAPNP_LITE_NO_NODE") == "1":
            pytest.skip("node not installed and CAPNP_LITE_NO_NODE=1")
        pytest.fail("node is needed for the V8 interop tests (set CAPNP_LITE_NO_NODE=1 to skip)")
    request = json.dumps(_node_cases())
    proc = subprocess.run(
        [exe, str(HELPER)], input=request.encode(), capture_output=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    reply: Dict[str, Any] = json.loads(proc.stdout)
    return reply


def _expr(node: Dict[str, Any], name: str) -> Dict[str, Any]:
    result: Dict[str, Any] = node["exprs"][name]
    assert "error" not in result, result.get("error")
    return result


# -- interop tests against node -------------------------------------------------


@pytest.mark.interop
def test_node_writes_version_15(node: Dict[str, Any]) -> None:
    assert _expr(node, "null")["plain"] == "ff0f30"
    assert _expr(node, "null")["node"] == "ff0f30"


@pytest.mark.interop
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_loads_node_bytes(node: Dict[str, Any], case: Case) -> None:
    result = _expr(node, case.name)
    value = loads(bytes.fromhex(result["plain"]))
    assert describe(value) == describe(case.py())
    if case.same_desc:
        assert describe(value) == result["desc"]


@pytest.mark.interop
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_node_reads_dumps(node: Dict[str, Any], case: Case) -> None:
    value = case.py()
    decoded = node["decode"][case.name]
    assert "error" not in decoded, decoded.get("error")
    assert decoded["desc"] == describe(value)
    if case.same_desc:
        assert decoded["desc"] == _expr(node, case.name)["desc"]


@pytest.mark.interop
@pytest.mark.parametrize("case", [c for c in CASES if c.exact], ids=[c.name for c in CASES if c.exact])
def test_dumps_matches_v8_bytes(node: Dict[str, Any], case: Case) -> None:
    assert dumps(case.py()).hex() == _expr(node, case.name)["plain"]


@pytest.mark.interop
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_loads_node_default_serializer(node: Dict[str, Any], case: Case) -> None:
    """node's v8.serialize turns views into host objects; node_host_reader reads them."""
    result = _expr(node, case.name)
    value = loads(bytes.fromhex(result["node"]), host_reader=node_host_reader)
    if result["node"] == result["plain"]:
        assert describe(value) == describe(loads(bytes.fromhex(result["plain"])))
    else:
        # node copies each view's bytes into a buffer of its own.
        assert _view_contents(value) == _view_contents(case.py())
        with pytest.raises(DecodeError, match="host_reader"):
            loads(bytes.fromhex(result["node"]))


def _view_contents(value: Any) -> Any:
    if isinstance(value, TypedArray):
        return (value.kind, value.data)
    if isinstance(value, list):
        return [_view_contents(x) for x in value]
    return describe(value)


@pytest.mark.interop
@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_refused_like_v8(node: Dict[str, Any], name: str) -> None:
    data = bytes.fromhex(BAD_INPUTS[name].replace(" ", ""))
    with pytest.raises(DecodeError):
        loads(data)
    if name in STRICTER_THAN_V8:
        return
    assert "error" in node["decode"][f"bad:{name}"], node["decode"][f"bad:{name}"]


def test_node_buffer_host_object() -> None:
    # node 20's v8.serialize(Buffer.from('ab')): a Buffer is node's host type
    # 10 and reads back as a Uint8Array.  (The plain form of a Buffer drags in
    # node's whole 8 KiB allocation pool, so it is not in the case table.)
    value = loads(bytes.fromhex("ff0f5c0a026162"), host_reader=node_host_reader)
    assert value == TypedArray("Uint8Array", b"ab")


# -- unit tests without node ----------------------------------------------------


def test_version_13_writes_views_without_flags() -> None:
    data = dumps(TypedArray("Uint8Array", b"\x01"), version=13)
    assert data.hex() == "ff0d" + "420101" + "5642" + "0001"
    assert loads(data) == TypedArray("Uint8Array", b"\x01")


def test_headerless() -> None:
    assert dumps([1], header=False).hex() == "4101490224" + "0001"
    assert loads(dumps([1], header=False), header=False) == [1]


def test_references_keep_identity() -> None:
    shared = {"k": [1]}
    value = loads(dumps({"a": shared, "b": shared, "c": [shared]}))
    assert value["a"] is value["b"] is value["c"][0]
    cyclic = loads(dumps(_self_dict()))
    assert cyclic["self"] is cyclic
    views = loads(dumps(_shared_buffer_views()))
    assert views[0].buffer is views[1].buffer is views[2]


def test_tuples_are_not_shared() -> None:
    t = (1,)
    value = loads(dumps([t, t]))
    assert value == [[1], [1]] and value[0] is not value[1]


def test_bigint_mapping() -> None:
    assert loads(dumps(5)) == 5 and type(loads(dumps(5))) is int
    assert type(loads(dumps(BigInt(5)))) is BigInt
    assert loads(dumps(2**64)) == 2**64 and isinstance(loads(dumps(2**64)), BigInt)
    assert type(loads(dumps(2**40))) is float


def test_naive_datetime_is_utc() -> None:
    assert loads(dumps(dt.datetime(2000, 1, 2, 3, 4, 5))) == dt.datetime(
        2000, 1, 2, 3, 4, 5, tzinfo=UTC
    )


def test_typed_array_values() -> None:
    assert TypedArray.of("Int32Array", [-1, 7]).tolist() == [-1, 7]
    with pytest.raises(EncodeError):
        TypedArray.of("Uint8Array", [256])
    with pytest.raises(EncodeError):
        TypedArray("Uint16Array", b"\0\0\0", 1, 2)


class _Point(HostObject):
    def __init__(self, x: int, label: Any) -> None:
        self.x = x
        self.label = label

    def write_host(self, writer: HostWriter) -> None:
        writer.write_uint32(7)
        writer.write_uint64(self.x)
        writer.write_double(0.5)
        writer.write_raw_bytes(b"zz")
        writer.write_value(self.label)


def _read_point(reader: HostReader) -> Any:
    if reader.read_uint32() != 7:
        raise DecodeError("not a point")
    x = reader.read_uint64()
    assert reader.read_double() == 0.5
    assert reader.read_raw_bytes(2) == b"zz"
    return ("point", x, reader.read_value())


def test_host_objects_round_trip() -> None:
    p = _Point(2**40, {"n": [1]})
    data = dumps([p, p])
    value = loads(data, host_reader=_read_point)
    assert value[0] == ("point", 2**40, {"n": [1]})
    assert value[1] is value[0]
    with pytest.raises(DecodeError):
        loads(data)


@pytest.mark.parametrize(
    "value",
    [{1: 2}, object(), HOLE, lambda: 1, Boxed(None), {"a": {3.5}}],  # type: ignore[arg-type]
    ids=["int_key", "object", "hole", "function", "boxed_none", "float_in_set"],
)
def test_unencodable(value: Any) -> None:
    if isinstance(value, dict) and "a" in value:
        assert loads(dumps(value)) == {"a": JSSet([3.5])}  # floats in sets are fine
        return
    with pytest.raises(EncodeError):
        dumps(value)


def test_depth_limits() -> None:
    # max_depth counts containers inside containers: 101 nested arrays need 101.
    deep: Any = []
    for _ in range(100):
        deep = [deep]
    data = dumps(deep)
    assert loads(data, max_depth=101) == deep
    with pytest.raises(LimitError):
        loads(data, max_depth=100)
    assert dumps(deep, max_depth=101) == data
    with pytest.raises(EncodeError):
        dumps(deep, max_depth=100)
    with pytest.raises(EncodeError):
        dumps(deep, max_depth=50)
    # No closing tags are needed to hit the limit: it is checked as each level opens.
    nested = b"\xff\x0f" + b"A\x01" * 5000
    with pytest.raises(LimitError):
        loads(nested, max_depth=4999)
    with pytest.raises(DecodeError, match="exceeds the input"):  # the limit is not hit
        loads(nested)


def test_default_depth_is_far_above_the_old_limit() -> None:
    # The default used to be 128 levels (a recursive reader and writer).
    assert v8.DEFAULT_MAX_DEPTH >= 50_000


def test_verify_count_and_padding_are_skipped() -> None:
    assert loads(bytes.fromhex("ff0f" + "3f05" * 10000 + "0000" + "4902")) == 1


def test_size_limit() -> None:
    data = dumps("x" * 100)
    with pytest.raises(LimitError):
        loads(data, max_size=50)


def test_every_truncation_is_refused() -> None:
    value = [_shared(), JSMap([(1, {"x": "\u0100"})]), JSError("Error", "m", "s", cause=[1]),
             TypedArray("Uint16Array", bytes(8), 2, 4), BigInt(-(2**70)), JSRegExp("a", "g")]
    data = dumps(value)
    for cut in range(len(data)):
        with pytest.raises(DecodeError):
            loads(data[:cut])


# -- property-based -------------------------------------------------------------

_scalars = st.one_of(
    st.none(),
    st.just(UNDEFINED),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12),
    st.binary(max_size=8),
    st.integers(min_value=-(2**80), max_value=2**80).map(BigInt),
    st.datetimes(
        min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31), timezones=st.just(UTC)
    ).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)),
    st.builds(JSRegExp, st.text(max_size=5), st.sampled_from(["", "g", "gi", "dmsy"])),
    st.builds(Boxed, st.one_of(st.booleans(), st.floats(allow_nan=False), st.text(max_size=4))),
    st.builds(
        lambda kind, n: TypedArray(kind, bytes(range(n * v8._VIEW_KINDS[kind][1]))),
        st.sampled_from(sorted(v8._VIEW_KINDS)),
        st.integers(0, 4),
    ),
)

_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
        st.lists(st.tuples(inner, inner), max_size=3).map(JSMap),
        st.lists(inner, max_size=3).map(JSSet),
        st.builds(
            lambda n, d: SparseArray(n + 3, {i % (n + 3): x for i, x in d.items()}),
            st.integers(0, 5),
            st.dictionaries(st.integers(0, 20), inner, max_size=3),
        ),
        st.builds(JSError, st.sampled_from(["Error", "TypeError", "URIError"]),
                  st.one_of(st.none(), st.text(max_size=5)), st.none(), inner),
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_values)
def test_round_trip(value: Any) -> None:
    data = dumps(value)
    decoded = loads(data)
    assert describe(decoded) == describe(value)
    assert dumps(decoded) == data  # the decoded form writes the same bytes


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40))
def test_random_bytes_raise_only_decode_error(data: bytes) -> None:
    for candidate in (data, b"\xff\x0f" + data):
        try:
            loads(candidate)
        except DecodeError:
            pass


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_values, st.data())
def test_mutated_bytes_raise_only_decode_error(value: Any, data: st.DataObject) -> None:
    raw = bytearray(dumps(value))
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["flip", "insert", "delete"]))
        if action == "flip":
            raw[pos] = data.draw(st.integers(0, 255))
        elif action == "insert":
            raw.insert(pos, data.draw(st.integers(0, 255)))
        elif len(raw) > 1:
            del raw[pos]
    try:
        loads(bytes(raw), host_reader=node_host_reader)
    except DecodeError:
        pass


def test_an_error_writes_its_stack_before_its_cause() -> None:
    # message, stack, cause: the order workerd's V8 writes and requires.
    assert dumps(JSError("Error", "m", "s", cause="c")).hex() == "ff0f726d22016d73220173632201632e"
    back = loads(bytes.fromhex("ff0f726d22016d73220173632201632e"))
    assert (back.message, back.stack, back.cause) == ("m", "s", "c")
