"""Regression tests for places where ``debugport.v8`` and ``Frankenvalue`` read or wrote
differently from node 20's ``v8`` module and ``JSON.parse``.

Each node-backed test asks node (through ``v8_node_helper.js``) what a JS value is, or what our
bytes are to node, and compares canonical descriptions (``describe`` in ``test_v8``), which record
sharing and cycles as references.  Fixed expectations beside them keep the point without node.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
import shutil
import struct
import subprocess
from typing import Any, Dict, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import capnp_lite
from capnp_lite.errors import DecodeError, EncodeError
from capnp_lite.resources import schema_dir
from debugport import v8
from debugport.frankenvalue import Frankenvalue
from debugport.v8 import (
    ArrayBuffer,
    JSDate,
    JSError,
    JSMap,
    JSSet,
    ResizableArrayBuffer,
    SparseArray,
    TypedArray,
    dumps,
    loads,
)

from .test_v8 import HELPER, describe

UTC = dt.timezone.utc


def _run_node(exprs: Dict[str, str], decode: Dict[str, str]) -> Dict[str, Any]:
    exe = shutil.which("node")
    if exe is None:
        if os.environ.get("CAPNP_LITE_NO_NODE") == "1":
            pytest.skip("node not installed and CAPNP_LITE_NO_NODE=1")
        pytest.fail("node is needed for the V8 interop tests (set CAPNP_LITE_NO_NODE=1 to skip)")
    request = json.dumps({"exprs": exprs, "decode": decode}).encode()
    proc = subprocess.run([exe, str(HELPER)], input=request, capture_output=True, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    reply: Dict[str, Any] = json.loads(proc.stdout)
    return reply


class Node:
    """One node process per question batch: JS expressions in, descriptions and bytes out."""

    def expr(self, js: str) -> Dict[str, Any]:
        result: Dict[str, Any] = _run_node({"x": js}, {})["exprs"]["x"]
        assert "error" not in result, result
        return result

    def exprs(self, named: Dict[str, str]) -> Dict[str, Dict[str, Any]]:
        results: Dict[str, Dict[str, Any]] = _run_node(named, {})["exprs"]
        for name, result in results.items():
            assert "error" not in result, (name, result)
        return results

    def decode(self, named: Dict[str, bytes]) -> Dict[str, Dict[str, Any]]:
        """node's reading of each byte string: {"desc": ...} or {"error": ...}."""
        results: Dict[str, Dict[str, Any]] = _run_node(
            {}, {k: v.hex() for k, v in named.items()}
        )["decode"]
        return results


@pytest.fixture(scope="module")
def node() -> Node:
    _run_node({}, {})  # fails or skips here when node is missing
    return Node()


# -- dense arrays with named properties keep their identity -------------------------------

# JS values whose dense array gets named properties after something inside it referred back
# to it; each holder kind (list, dict, sparse array, Map, Set, Error) once.
ARRAY_CYCLES = {
    "property_to_self": "(() => { const a = [1]; a.x = a; return a; })()",
    "element_to_self": "(() => { const a = []; a.push(a); a.x = 1; return a; })()",
    "error_cause": "(() => { const e = new Error('m'); e.stack = 's'; const a = [e]; a.p = 1;"
                   " e.cause = a; return a; })()",
    "in_object": "(() => { const a = [{}]; a[0].back = a; a.p = 1; return a; })()",
    "in_list": "(() => { const a = [[]]; a[0].push(a); a.p = 1; return a; })()",
    "in_sparse": "(() => { const s = [, 1]; const a = [s]; s[5] = a; s.q = a; a.p = 1;"
                 " return a; })()",
    "in_map": "(() => { const m = new Map(); const a = [m]; m.set(a, a); a.p = 1; return a; })()",
    "in_set": "(() => { const s = new Set(); const a = [s]; s.add(a); a.p = 1; return a; })()",
    "nested_both": "(() => { const b = []; const a = [b]; b.push(a, b); b.q = 2; a.p = 1;"
                   " return [a, b]; })()",
    "shared_twice": "(() => { const a = [1]; const o = {a}; a.push(o, o); a.p = a; return o; })()",
}


@pytest.mark.interop
def test_array_with_properties_keeps_cycles(node: Node) -> None:
    results = node.exprs(ARRAY_CYCLES)
    ours = {}
    for name, result in results.items():
        value = loads(bytes.fromhex(result["plain"]))
        assert describe(value) == result["desc"], name
        ours[name] = dumps(value)
    # node reads our bytes back as the same shape.
    for name, decoded in node.decode(ours).items():
        assert decoded.get("desc") == results[name]["desc"], (name, decoded)


def test_array_with_properties_is_one_object() -> None:
    # a = [1]; a.x = a -- as V8 writes it.
    a = loads(bytes.fromhex("ff0f410149022201785e00240101"))
    assert isinstance(a, SparseArray) and a.properties["x"] is a
    # e = new Error('m'); e.stack = 's'; a = [e]; a.p = 1; e.cause = a
    a = loads(bytes.fromhex("ff0f4101726d22016d635e00732201732e2201704902240101"))
    assert isinstance(a, SparseArray) and a.elements[0].cause is a
    assert a.properties == {"p": 1}
    # Re-encoded, the Error's cause is a reference to the array (id 0), not a new array.
    # (the Error's stack before its cause, as workerd writes them)
    assert dumps(a).hex() == "ff0f61014900726d22016d73220173635e002e2201704902400201"


def test_array_reference_from_map_and_set() -> None:
    m = JSMap()
    s = JSSet()
    a = SparseArray(2, {0: m, 1: s}, {"p": 1})
    m.pairs.append((a, a))
    s.items.append(a)
    # [Map{a => a}, Set{a}] with a.p = 1, written as V8 writes a dense array with properties.
    back = loads(bytes.fromhex("ff0f4102" "3b" "5e00" "5e00" "3a02" "27" "5e00" "2c01"
                               "2201704902" "240102"))
    assert isinstance(back, SparseArray)
    key, value = back.elements[0].pairs[0]
    assert key is back and value is back
    assert back.elements[1].items[0] is back
    assert describe(back) == describe(a)


def test_host_object_referring_to_enclosing_array_is_refused() -> None:
    def host(reader: v8.HostReader) -> Any:
        return ("host", reader.read_value())

    # [<host: ref 0>] plus a property: the host result would keep a stale list.
    with pytest.raises(DecodeError, match="host object"):
        loads(bytes.fromhex("ff0f4101" "5c5e00" "2201704902" "240101"), host_reader=host)
    # An array inside the host body may refer to itself.
    # (The host object takes id 0, the array id 1.)
    inner = loads(bytes.fromhex("ff0f5c" "41015e01" "2201704902" "240101"), host_reader=host)
    assert inner[0] == "host" and inner[1].elements[0] is inner[1]
    # Without named properties the array stays a list, so the reference is fine.
    plain = loads(bytes.fromhex("ff0f4101" "5c5e00" "240001"), host_reader=host)
    assert plain[0] == ("host", plain)


# -- separate ArrayBuffers stay separate ----------------------------------------------------

BUFFERS = {
    "empty_pair": "[new ArrayBuffer(0), new ArrayBuffer(0)]",
    "one_byte_pair": "[new ArrayBuffer(1), new ArrayBuffer(1)]",
    "empty_views": "[new Uint8Array(0), new Uint8Array(0), new DataView(new ArrayBuffer(0))]",
    "one_byte_views": "[new Uint8Array(1), new Int8Array(1)]",
    "shared_empty": "(() => { const b = new ArrayBuffer(0); return [b, new Uint8Array(b), b]; })()",
}


@pytest.mark.interop
def test_separate_small_buffers_stay_separate(node: Node) -> None:
    results = node.exprs(BUFFERS)
    ours = {}
    for name, result in results.items():
        value = loads(bytes.fromhex(result["plain"]))
        assert describe(value) == result["desc"], name
        ours[name] = dumps(value)
        assert ours[name].hex() == result["plain"], name
    for name, decoded in node.decode(ours).items():
        assert decoded.get("desc") == results[name]["desc"], (name, decoded)


@pytest.mark.interop
def test_plain_bytes_are_never_shared(node: Node) -> None:
    empty = b""
    data = dumps([empty, bytes(0), b"\x07", b"\x07"])
    assert data == bytes.fromhex(node.expr(
        "[new ArrayBuffer(0), new ArrayBuffer(0), new Uint8Array([7]).buffer,"
        " new Uint8Array([7]).buffer]")["plain"])
    # Views over one plain bytes object get a buffer each; an ArrayBuffer is shared.
    plain = bytes(2)
    shared = ArrayBuffer(bytes(2))
    views = {
        "plain": dumps([TypedArray("Uint8Array", plain), TypedArray("Uint8Array", plain)]),
        "shared": dumps([TypedArray("Uint8Array", shared), TypedArray("Uint8Array", shared)]),
    }
    expected = node.exprs({
        "plain": "[new Uint8Array(2), new Uint8Array(2)]",
        "shared": "(() => { const b = new ArrayBuffer(2); return [new Uint8Array(b),"
                  " new Uint8Array(b)]; })()",
    })
    for name, data in views.items():
        assert data.hex() == expected[name]["plain"], name


def test_decoded_buffers_are_distinct_objects() -> None:
    value = loads(bytes.fromhex("ff0f410242004200240002"))
    assert value == [b"", b""] and value[0] is not value[1]
    assert type(value[0]) is ArrayBuffer
    assert dumps(value).hex() == "ff0f410242004200240002"
    shared = loads(bytes.fromhex("ff0f410242005e01240002"))
    assert shared[0] is shared[1]
    assert dumps(shared).hex() == "ff0f410242005e01240002"


# -- Frankenvalue JSON in both directions -------------------------------------------


@functools.lru_cache(maxsize=None)
def _frankenvalue_struct() -> Any:
    root = schema_dir()
    module = capnp_lite.load(str(root / "workerd" / "frankenvalue.capnp"), imports=[str(root)])
    return module.Frankenvalue


def _through_capnp(fv: Frankenvalue) -> Frankenvalue:
    struct_type = _frankenvalue_struct()
    message = struct_type.new_message(**fv.to_capnp())
    return Frankenvalue.from_capnp(struct_type.from_bytes(message.to_bytes()))


@pytest.mark.parametrize(
    "value",
    ["a\ud800", {"k\udc00": 1}, ["x", {"y": "\udfff"}]],
    ids=["string", "key", "nested"],
)
def test_frankenvalue_lone_surrogates_go_as_v8(value: Any) -> None:
    fv = Frankenvalue.from_python(value)
    assert fv.kind == "v8Serialized"
    assert describe(_through_capnp(fv).to_python()) == describe(value)


def test_frankenvalue_surrogate_pair_is_one_js_string() -> None:
    # Two UTF-16 code units in a Python str are, to JS, the astral character they spell.
    fv = Frankenvalue.from_python("\ud83d\ude00")
    assert fv.kind == "v8Serialized"
    assert _through_capnp(fv).to_python() == "\U0001F600"


_json_like = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**64), max_value=2**64),
        st.floats(),
        st.text(max_size=6),  # lone surrogates included
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=100, deadline=None)
@given(_json_like)
def test_frankenvalue_from_python_survives_capnp(value: Any) -> None:
    # Whichever form from_python picks, the struct can be built and reads back the same value.
    back = _through_capnp(Frankenvalue.from_python(value)).to_python()
    assert describe(back) == describe(_as_js_strings(value))


def _as_js_strings(value: Any) -> Any:
    """``value`` with each str as JS holds it: UTF-16 code units, so a surrogate pair is
    the one character it spells."""
    if isinstance(value, str):
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    if isinstance(value, list):
        return [_as_js_strings(item) for item in value]
    if isinstance(value, dict):
        return {_as_js_strings(k): _as_js_strings(v) for k, v in value.items()}
    return value


def test_frankenvalue_array_buffer_reads_as_array_buffer() -> None:
    value = Frankenvalue.from_array_buffer(b"\x01").to_python()
    assert type(value) is ArrayBuffer and value == b"\x01"


def test_frankenvalue_ordinary_text_stays_json() -> None:
    fv = Frankenvalue.from_python({"s": "caf\u00e9 \U0001F600"})
    assert fv.kind == "json"
    assert fv.to_python() == {"s": "caf\u00e9 \U0001F600"}


JSON_TEXTS = {
    "neg_zero": "-0",
    "neg_zero_in_list": "[-0, 0, -0.0, -0e5]",
    "safe_edge": "[9007199254740992, -9007199254740992, 9007199254740991]",
    "beyond_safe": "[9007199254740993, -9007199254740995, 123456789012345678901234567890]",
    "huge": "[1" + "0" * 400 + ", 1e400, -1e400]",
    "object": '{"b": 1, "1": [2.5, true, null], "a": {"c": "\\ud800"}}',
}


@pytest.mark.interop
def test_frankenvalue_json_reads_like_json_parse(node: Node) -> None:
    results = node.exprs({k: f"JSON.parse({json.dumps(t)})" for k, t in JSON_TEXTS.items()})
    for name, text in JSON_TEXTS.items():
        assert describe(Frankenvalue.from_json(text).to_python()) == results[name]["desc"], name


def test_frankenvalue_json_numbers() -> None:
    assert math.copysign(1.0, Frankenvalue.from_json("-0").to_python()) == -1.0
    big = Frankenvalue.from_json("[9007199254740993, 9007199254740992]").to_python()
    assert big == [2.0**53, 2**53] and type(big[0]) is float and type(big[1]) is int
    assert Frankenvalue.from_json("1" + "0" * 5000).to_python() == math.inf


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}'])
def test_frankenvalue_json_refuses_non_json_numbers(text: str) -> None:
    with pytest.raises(DecodeError, match="not valid JSON"):
        Frankenvalue.from_json(text).to_python()


# -- version 13 cannot carry a view of a resizable buffer ----------------------------------


def test_version_13_refuses_views_of_resizable_buffers() -> None:
    view = TypedArray("Uint8Array", ResizableArrayBuffer(b"\0\0", 8), 0, 2)
    with pytest.raises(EncodeError, match="version 14"):
        dumps(view, version=13)
    assert loads(dumps(view, version=14)) == view
    # A resizable buffer alone has its own tag and is fine.
    assert loads(dumps(ResizableArrayBuffer(b"\1", 4), version=13)) == ResizableArrayBuffer(b"\1", 4)


# -- dates before the epoch ---------------------------------------------------------------

DATES = {
    "just_before_epoch": (dt.datetime(1969, 12, 31, 23, 59, 59, 999500, tzinfo=UTC),
                          "new Date(-1)"),
    "early": (dt.datetime(1818, 3, 17, 18, 4, 49, 721882),
              "new Date(Date.UTC(1818, 2, 17, 18, 4, 49, 721))"),
    "whole_ms_before": (dt.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=UTC),
                        "new Date(-1)"),
    "after_epoch": (dt.datetime(2001, 2, 3, 4, 5, 6, 789999, tzinfo=UTC),
                    "new Date(Date.UTC(2001, 1, 3, 4, 5, 6, 789))"),
}


@pytest.mark.interop
def test_dates_floor_to_the_millisecond(node: Node) -> None:
    results = node.exprs({name: js for name, (_, js) in DATES.items()})
    for name, (value, _) in DATES.items():
        assert dumps(value).hex() == results[name]["plain"], name
        assert describe(value) == results[name]["desc"], name


def test_dates_floor_fixed() -> None:
    def ms(value: dt.datetime) -> float:
        data = dumps(value)
        assert data[2:3] == b"D"
        result: float = struct.unpack("<d", data[3:])[0]
        return result

    assert ms(DATES["just_before_epoch"][0]) == -1.0
    # Date.UTC(1818, 2, 17, 18, 4, 49, 721): 721 ms into the second, not 722.
    assert ms(DATES["early"][0]) == -4790123710279.0


class _NoOffset(dt.tzinfo):
    def utcoffset(self, value: Optional[dt.datetime]) -> Optional[dt.timedelta]:
        return None

    def dst(self, value: Optional[dt.datetime]) -> Optional[dt.timedelta]:
        return None

    def tzname(self, value: Optional[dt.datetime]) -> Optional[str]:
        return None


class _BrokenOffset(_NoOffset):
    def utcoffset(self, value: Optional[dt.datetime]) -> Optional[dt.timedelta]:
        return "soon"  # type: ignore[return-value]


def test_datetime_without_offset_is_naive() -> None:
    # Python calls a datetime whose tzinfo gives no offset naive; naive means UTC here.
    value = dt.datetime(2000, 1, 2, 3, 4, 5, tzinfo=_NoOffset())
    assert dumps(value) == dumps(dt.datetime(2000, 1, 2, 3, 4, 5))
    with pytest.raises(EncodeError, match="UTC offset"):
        dumps(dt.datetime(2000, 1, 2, tzinfo=_BrokenOffset()))


# -- BigInt -0n ---------------------------------------------------------------------------


@pytest.mark.interop
def test_bigint_negative_zero_refused_like_v8(node: Node) -> None:
    refused = bytes.fromhex("ff0f5a01")
    with pytest.raises(DecodeError, match="BigInt"):
        loads(refused)
    # A sign with zero-valued digits is still zero, to V8 as to us.
    zero_digits = bytes.fromhex("ff0f5a11" + "00" * 8)
    assert loads(zero_digits) == 0
    results = node.decode({"refused": refused, "zero_digits": zero_digits})
    assert "error" in results["refused"]
    assert results["zero_digits"]["desc"] == ["bigint", "0"]


# -- typed errors for Python values that have no JS form ------------------------------------


@pytest.mark.parametrize(
    "value, match",
    [
        (SparseArray(3, {"1": 5}), "index"),  # type: ignore[dict-item]
        (SparseArray(3, {1: 5, "2": 6}), "index"),  # type: ignore[dict-item]
        (SparseArray("3", {}), "length"),  # type: ignore[arg-type]
        (JSError("Error", 5), "message"),  # type: ignore[arg-type]
        (JSError("Error", "m", b"stack"), "stack"),  # type: ignore[arg-type]
        (JSError(None), "name"),  # type: ignore[arg-type]
        (v8.JSRegExp(b"x"), "source"),  # type: ignore[arg-type]
    ],
    ids=["str_index", "mixed_index", "str_length", "int_message", "bytes_stack", "no_name",
         "bytes_source"],
)
def test_bad_python_values_raise_encode_error(value: Any, match: str) -> None:
    with pytest.raises(EncodeError, match=match):
        dumps(value)


def _self_caused_error() -> JSError:
    error = JSError("Error", "m", "s")
    error.cause = [error]
    return error


@pytest.mark.interop
def test_error_caused_by_itself_is_refused(node: Node) -> None:
    with pytest.raises(EncodeError, match="cause"):
        dumps(_self_caused_error())
    outer = JSError("Error", "outer")
    outer.cause = JSError("TypeError", "inner", cause={"back": outer})
    with pytest.raises(EncodeError, match="cause"):
        dumps(outer)
    # Why: V8 writes that shape itself, then cannot read it.
    written = node.expr("(() => { const e = new Error('m'); e.stack = 's'; e.cause = [e];"
                        " return e; })()")["plain"]
    assert "error" in node.decode({"e": bytes.fromhex(written)})["e"]
    with pytest.raises(DecodeError):
        loads(bytes.fromhex(written))
    # An Error met again after it is complete is an ordinary reference.
    done = JSError("Error", "m", "s")
    again = loads(dumps([done, {"e": done}]))
    assert again[1]["e"] is again[0]


def test_js_date_unchanged() -> None:
    assert loads(dumps(JSDate(-1.0))) == dt.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)
