"""``to_dict`` reads fields through the per-schema properties (their fast paths); it must
give what the generic accessor (``_get``) gives, for every valid vector message and in every
mode (verbose, ordered, base64)."""

from __future__ import annotations

import base64
import json
import os
from collections import OrderedDict
from pathlib import Path
from typing import Any, Dict, List

import pytest

import capnp_lite.dynamic as dyn
from capnp_lite.cli_text import find_struct
from capnp_lite.wire.framing import decode_message
from capnp_lite.dynamic.reader import _DynamicListReader, _DynamicObjectReader, _DynamicStructReader
from capnp_lite.dynamic.values import EnumValue

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors"


def _reference(value: Any, verbose: bool, ordered: bool, b64: bool, chain: Any = frozenset()) -> Any:
    """to_dict written with the generic accessor only (and the rule for unset struct fields
    of types that hold themselves, in verbose mode)."""
    if isinstance(value, _DynamicStructReader):
        schema = value.schema
        out: Dict[str, Any] = OrderedDict() if ordered else {}
        fields = list(schema.non_union_infos)
        active = value._which_field() if schema.union_infos else None
        if active is not None:
            fields.insert(0, active)
        for field in fields:
            # (the layout core's own answer, not the reader's shortcut)
            unset = field.is_pointer and value._sr.is_null(field.offset)
            if unset and not verbose and field is not active:
                continue
            item = value._get_field(field)
            if unset and verbose and isinstance(item, _DynamicStructReader):
                key = id(item.schema)
                if key in chain:
                    out[field.name] = _reference(item, False, ordered, b64)
                else:
                    out[field.name] = _reference(item, True, ordered, b64, chain | {key})
                continue
            out[field.name] = _reference(item, verbose, ordered, b64, chain)
        return out
    if isinstance(value, _DynamicListReader):
        return [_reference(v, verbose, ordered, b64, chain) for v in value]
    if isinstance(value, _DynamicObjectReader):
        return None
    if isinstance(value, EnumValue):
        return str.__str__(value)
    if b64 and isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _cases() -> List[Any]:
    manifest = VECTORS / "manifest.json"
    if not manifest.is_file():
        return []
    return [pytest.param(case, id=case["id"]) for case in json.loads(manifest.read_text())["cases"]
            if case["category"] == "valid" and "binary" in case["files"]]


_MODULES: Dict[str, Any] = {}


def _module(schema: str) -> Any:
    if schema not in _MODULES:
        here = os.getcwd()
        os.chdir(VECTORS / os.path.dirname(schema))
        try:
            _MODULES[schema] = dyn.load(os.path.basename(schema))
        finally:
            os.chdir(here)
    return _MODULES[schema]


@pytest.mark.parametrize("case", _cases())
def test_to_dict_matches_the_generic_accessor(case: Any) -> None:
    here = os.getcwd()
    os.chdir(VECTORS)  # (as capnp decode reads the root's name: aliases, imports, nesting)
    try:
        schema = find_struct(case["schema"], case["root"], [str(VECTORS / "schemas")])
    finally:
        os.chdir(here)
    data = (VECTORS / case["files"]["binary"]).read_bytes()
    r = dyn.read_segments(decode_message(data), schema)
    b = r.as_builder()
    for verbose in (False, True):
        for ordered in (False, True):
            for b64 in (False, True):
                want = repr(_reference(r, verbose, ordered, b64))  # (repr: NaN equals NaN)
                assert repr(r.to_dict(verbose, ordered, b64)) == want
                assert repr(b.to_dict(verbose, ordered, b64)) == want


def test_verbose_stops_where_a_type_holds_itself() -> None:
    scalars = _module("schemas/primitives.capnp").Scalars
    d = scalars.new_message(i8=1).to_dict(verbose=True)
    assert d["i8"] == 1 and d["txt"] == "" and d["where"] == {"x": 0, "y": 0}
    child = d["child"]  # unset: its default, verbosely, once
    assert child["txt"] == "" and "child" in child
    assert "txt" not in child["child"] and child["child"]["i8"] == 0  # then as if not verbose


def test_pointers_past_an_older_writers_struct_are_unset() -> None:
    """A struct with fewer pointers than its schema (an older writer): the missing ones are
    unset, whatever words follow the struct (here its first field's text)."""
    from capnp_lite.schema import compile_source

    mod = dyn.load_request(compile_source(
        "@0xd3c4b5a697887733;\nstruct Two { a @0 :Text; b @1 :Text; }\n", "two.capnp"))
    words = [
        0x0001000000000000,  # root: no data, one pointer
        (3 << 35) | (2 << 32) | 1,  # a: a text of 3 bytes right after
        int.from_bytes(b"hi\0\0\0\0\0\xff", "little"),  # "hi", then a byte of what follows
    ]
    r = mod.Two.from_segments([b"".join(w.to_bytes(8, "little") for w in words)])
    fields = {f.name: f for f in r.schema.fields_list}
    assert r._has_field(fields["a"]) and not r._has_field(fields["b"])
    assert r.to_dict() == {"a": "hi"} == _reference(r, False, False, False)
    assert r.to_dict(verbose=True) == {"a": "hi", "b": ""}


_CATALOG = """
@0xd3c4b5a697887734;
interface Thing { ping @0 () -> (); }
struct Item { name @0 :Text; tags @1 :List(Text); scores @2 :List(Int32); id @3 :UInt64;
              blob @4 :Data; thing @5 :Thing; kids @6 :List(Item); }
struct Catalog { title @0 :Text; items @1 :List(Item); union { none @2 :Void; count @3 :UInt32; } }
"""


class _Held:
    def __init__(self, name: str) -> None:
        self.name = name


def test_a_root_builder_converts_from_a_copy_of_its_words(monkeypatch: Any) -> None:
    """The root builder's to_dict reads a copy of the message's words; whatever the message
    (several segments and far pointers, capabilities, a pending root, waiting elements, words
    changed after an earlier conversion), it gives what the builder's own view gives, in every
    mode.  A struct inside the message converts through its own view."""
    from capnp_lite.dynamic import builder as builder_module
    from capnp_lite.schema import compile_source

    mod = dyn.load_request(compile_source(_CATALOG, "catalog_copy.capnp"))
    copies: List[Any] = []
    real = builder_module._frozen

    def counting(view: Any, mb: Any) -> Any:
        copies.append(view)
        return real(view, mb)

    monkeypatch.setattr(builder_module, "_frozen", counting)

    def check(b: Any) -> None:
        for verbose in (False, True):
            for ordered in (False, True):
                for b64 in (False, True):
                    before = len(copies)
                    got = b.to_dict(verbose, ordered, b64)
                    assert len(copies) == before + 1
                    assert repr(got) == repr(b._view().to_dict(verbose, ordered, b64))

    pending = mod.Catalog.new_message(count=7)
    check(pending)
    c = mod.Catalog.new_message(title="t" * 50)
    items = c.init("items", 300)  # waiting elements, several segments
    for i, it in enumerate(items):
        it.name = f"item {i}" * (i % 7)
        it.tags = ["a", "b" * i, ""][: i % 4]
        it.scores = list(range(i % 9))
        it.id = i * 1000
        it.blob = bytes(range(i % 5))
    check(c)
    assert len(c.to_segments()) > 1
    c.items[5].thing = _Held("a capability")  # any object: the message's cap table holds it
    kids = c.items[7].init("kids", 2)
    kids[1].name = "kid"
    check(c)
    assert isinstance(c.to_dict()["items"][5]["thing"], _Held)
    c.items[7].kids[1].name = "changed"  # the next conversion copies the words again
    assert c.to_dict()["items"][7]["kids"][1]["name"] == "changed"
    before = len(copies)
    inner = c.items[7].to_dict()  # not the root: its own view
    assert len(copies) == before
    assert inner["kids"][1]["name"] == "changed"
