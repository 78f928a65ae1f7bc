"""Deep or long-chained input fails with a located SchemaError, never RecursionError."""

from __future__ import annotations

import pytest

from capnp_lite.errors import SchemaError
from capnp_lite.schema import compile_source
from capnp_lite.schema.lexer import MAX_NESTING

HEAD = "@0xd5a8f9a2c4b6e813;\n"
DEEP = 3000  # far past both the limit and Python's default recursion limit

CASES = {
    "list_type": HEAD + "struct S { f @0 :" + "List(" * DEEP + "Text" + ")" * DEEP + "; }\n",
    "nested_structs": HEAD + "struct S { " * DEEP + "}" * DEEP + "\n",
    "parentheses": HEAD + "const c :Text = " + "(" * DEEP + '"x"' + ")" * DEEP + ";\n",
    "brackets": HEAD + "const c :List(Text) = " + "[" * DEEP + "]" * DEEP + ";\n",
    "unclosed": HEAD + "const c :Text = " + "(" * DEEP,
    "member_chain": HEAD + "struct S { f @0 :" + ".".join(["S"] * DEEP) + "; }\n",
    "generic_applications": HEAD + "struct S(T) { f @0 :S" + "(Text)" * DEEP + "; }\n",
    "alias_chain": HEAD + "".join(f"using A{i} = A{i + 1};\n" for i in range(DEEP))
    + f"struct A{DEEP} {{}}\nstruct S {{ f @0 :A0; }}\n",
    "const_chain": HEAD + "".join(f"const c{i} :UInt8 = .c{i + 1};\n" for i in range(DEEP))
    + f"const c{DEEP} :UInt8 = 1;\n",
    "struct_value_chain": HEAD + "struct S { f @0 :S; x @1 :UInt8; }\n"
    + "".join(f"const c{i} :S = (f = (f = (f = .c{i + 1})));\n" for i in range(200))
    + "const c200 :S = (x = 1);\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_too_deep_is_a_schema_error(name: str) -> None:
    with pytest.raises(SchemaError) as info:
        compile_source(CASES[name])
    assert "nesting too deep" in str(info.value)
    assert info.value.file == "schema.capnp" and info.value.line >= 2 and info.value.col >= 1


def test_nesting_error_points_at_the_bracket_past_the_limit() -> None:
    src = HEAD + "const c :Text = " + "(" * (MAX_NESTING + 1) + '"x"' + ")" * (MAX_NESTING + 1)
    with pytest.raises(SchemaError) as info:
        compile_source(src + ";\n")
    # The const's type contributes no bracket; the 65th "(" is the culprit.
    assert (info.value.line, info.value.col) == (2, len("const c :Text = ") + MAX_NESTING + 1)


def test_reasonable_depth_still_compiles() -> None:
    depth = 20
    src = HEAD + "const c :" + "List(" * depth + "UInt8" + ")" * depth + " = " \
        + "[" * depth + "1" + "]" * depth + ";\n"
    req = compile_source(src)
    value = req.find("schema.capnp:c").value
    assert value is not None
    v = value.value
    for _ in range(depth - 1):
        v = v[0]
    assert v == [1]


def test_long_chain_of_struct_references_compiles() -> None:
    # Not nesting: the traversal that collects nodes must not recurse per link.
    n = 3000
    src = HEAD + "".join(f"struct S{i} {{ f @0 :S{i + 1}; }}\n" for i in range(n)) \
        + f"struct S{n} {{}}\n"
    assert len(compile_source(src).nodes) == n + 2


def test_generics_after_the_id() -> None:
    # persistent.capnp's form: ``interface Name @0x... (Params)``.
    src = HEAD + "interface P @0xc8cb212fcd9f5691 (A, B) { save @0 (x :A) -> (y :B); }\n"
    node = compile_source(src).find("schema.capnp:P")
    assert node.parameters == ["A", "B"] and node.id == 0xc8cb212fcd9f5691
    with pytest.raises(SchemaError, match="Parse error"):
        compile_source(HEAD + "struct S(T) @0xd5a8f9a2c4b6e814 { a @0 :T; }\n")
