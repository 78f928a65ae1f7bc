"""A CodeGeneratorRequest is input: one that names nodes it does not contain is refused with a
SchemaError saying which, never a KeyError from inside the generator."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from capnp_lite.codegen import generate
from capnp_lite.errors import CapnpError, DecodeError, SchemaError
from capnp_lite.schema import compile_source
from capnp_lite.schema.model import CodeGeneratorRequest
from capnp_lite.schema.binary import request_from_bytes, request_to_bytes

SCHEMA = """
@0xc5b1e0a2d3f40617;
struct Inner { x @0 :UInt8; }
enum Color { red @0; green @1; }
struct Outer {
  inner @0 :Inner;
  items @1 :List(List(Inner));
  color @2 :Color;
  g :group { a @3 :Text; }
}
interface Svc { get @0 (k :Text) -> (v :Inner); }
const origin :Inner = (x = 1);
"""


def _without(short_name: str) -> CodeGeneratorRequest:
    request = compile_source(SCHEMA, "bad.capnp")
    request.nodes = [n for n in request.nodes if n.short_name != short_name]
    return request


@pytest.mark.parametrize("missing, mentioned", [
    ("Inner", "field inner"), ("Color", "field color"), ("g", "group g"), ("get$Params", "method get"),
])
def test_missing_nodes_are_named(missing: str, mentioned: str) -> None:
    request = _without(missing)
    with pytest.raises(SchemaError, match=mentioned):
        generate(request)


def test_the_whole_request_still_generates() -> None:
    assert "bad_capnp" in generate(compile_source(SCHEMA, "bad.capnp"))


def test_mutated_requests_raise_only_typed_errors(vectors: Path) -> None:
    rng = random.Random(7)
    sources = [p.read_bytes() for p in sorted((vectors / "schemas").glob("*.cgr.bin"))]
    sources.append(request_to_bytes(compile_source(SCHEMA, "bad.capnp")))
    for _ in range(150):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(8, len(data))] ^= 1 << rng.randrange(8)
        try:
            request = request_from_bytes(bytes(data))
        except DecodeError:
            continue
        try:
            generate(request)
        except CapnpError:
            pass


def test_nesting_and_group_cycles_are_refused() -> None:
    request = compile_source(SCHEMA, "bad.capnp")
    by_name = {n.short_name: n for n in request.nodes}
    group = by_name["g"]
    group.fields[0].which = "group"  # the group's field now names the group itself
    group.fields[0].group_type_id = group.id
    with pytest.raises(SchemaError, match="more than once"):
        generate(request)
    request = compile_source(SCHEMA, "bad.capnp")
    by_name = {n.short_name: n for n in request.nodes}
    by_name["Inner"].nested_nodes = list(by_name["Inner"].nested_nodes) + [
        n for n in request.nodes if n.which == "file"][0].nested_nodes[:1]  # Inner nests itself
    with pytest.raises(SchemaError, match="more than once"):
        generate(request)
