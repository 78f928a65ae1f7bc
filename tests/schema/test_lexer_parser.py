"""Lexer and parser units, and compile_source with in-memory imports."""

from __future__ import annotations

import math

import pytest

from capnp_lite.errors import SchemaError
from capnp_lite.schema import compile_source
from capnp_lite.schema.lexer import tokenize
from capnp_lite.schema.parser import parse


def test_tokens_and_positions() -> None:
    toks = tokenize('foo @0x10 0777 1.5e3 "a\\n\\x41" 0x"de ad" -> # comment\n  bar')
    kinds = [(t.kind, t.value) for t in toks]
    assert kinds == [
        ("ident", "foo"), ("punct", "@"), ("int", 16), ("int", 511), ("float", 1500.0),
        ("string", b"a\nA"), ("binary", b"\xde\xad"), ("punct", "->"), ("ident", "bar"),
        ("eof", ""),
    ]
    assert (toks[-2].line, toks[-2].col) == (2, 3)


@pytest.mark.parametrize("src", ['"open', '0x"abc"', "089", "`"])
def test_bad_tokens(src: str) -> None:
    with pytest.raises(SchemaError):
        tokenize(src, "t.capnp")


def test_parse_declarations() -> None:
    f = parse(
        "@0xf1b7c4e1a2b3c4d5;\n"
        "struct Box(T) $a(1) { v @0 :T = 5; u :union { x @1 :Void; y @2 :Int8; } }\n"
        "interface I extends(J) { m @0 [U] (a :U) -> stream; }\n"
        'annotation a(*) :Int32;\nconst c :List(Int8) = [-1, 2];\nusing import "x.capnp".Y;\n',
        "t.capnp")
    root = f.root
    assert root.uid == 0xF1B7C4E1A2B3C4D5
    kinds = [d.kind for d in root.nested]
    assert kinds == ["struct", "interface", "annotation", "const", "using"]
    box = root.nested[0]
    assert box.generic_params[0][0] == "T"
    assert [m.kind for m in box.nested] == ["field", "union"]
    method = root.nested[1].nested[0]
    assert method.generic_params[0][0] == "U"
    assert method.method_results is not None and method.method_results.is_stream
    assert len(root.nested[2].targets) == 12
    assert root.nested[4].name == "Y"


def test_parse_error_position() -> None:
    with pytest.raises(SchemaError) as info:
        parse("@0xf1b7c4e1a2b3c4d5;\nstruct Foo {\n  a @0 :UInt8\n}\n", "t.capnp")
    assert (info.value.line, info.value.col) == (4, 1)


def test_compile_source_with_import_mapping_and_values() -> None:
    lib = "@0xe1b7c4e1a2b3c4d5;\nstruct P { x @0 :Float32; y @1 :Float32 = inf; }\nconst k :Float64 = -0.0;\n"
    src = ('@0xf1b7c4e1a2b3c4d5;\nusing L = import "lib/l.capnp";\n'
           "struct S { p @0 :L.P = (x = 1); f @1 :Float64 = .L.k; n @2 :Float32 = nan; }\n")
    req = compile_source(src, "s.capnp", {"lib/l.capnp": lib})
    s = req.find("s.capnp:S")
    assert [f.name for f in s.fields] == ["p", "f", "n"]
    assert s.fields[0].default_value is not None
    assert s.fields[0].default_value.value.fields == {"x": 1.0}
    f = s.fields[1].default_value
    assert f is not None and f.value == 0.0 and math.copysign(1, f.value) < 0
    n = s.fields[2].default_value
    assert n is not None and math.isnan(n.value)
    assert req.requested_files[0].imports == [(0xE1B7C4E1A2B3C4D5, "lib/l.capnp")]
    assert req.to_json()["nodes"][0]["displayName"] == "lib/l.capnp"


def test_compiles_a_large_schema() -> None:
    # (How long it takes is tools/bench/bench_compile.py's to say.)
    lines = ["@0xf1b7c4e1a2b3c4d5;"]
    for i in range(150):
        lines.append(f"struct S{i} {{")
        for j in range(12):
            lines.append(f"  f{j} @{j} :{['UInt8', 'Text', 'Float64', 'Bool'][j % 4]};")
        lines.append(f"  u :union {{ a @12 :Void; b @13 :S{max(i - 1, 0)}; }}")
        lines.append("}")
    req = compile_source("\n".join(lines), "big.capnp")
    assert len(req.nodes) == 1 + 150 * 2
    # Every struct is laid out alike: bytes and bits fill the holes the first words leave.
    structs = [n for n in req.nodes if n.display_name.startswith("big.capnp:S") and not n.is_group]
    assert len(structs) == 150
    for n in structs:
        assert (n.data_word_count, n.pointer_count) == (4, 4)
        assert [f.offset for f in n.fields] == [0, 0, 1, 8, 2, 1, 2, 9, 3, 2, 3, 10, 0]
