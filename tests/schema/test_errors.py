"""Broken schemas are rejected with the reference compiler's message and location.

Each expectation was checked against ``capnp compile -o-`` (capnp 0.9.2):
the message, line and column it reports first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict

import pytest

from capnp_lite.errors import SchemaError
from capnp_lite.schema import compile_files, compile_source

ID = "@0xf1b7c4e1a2b3c4d5;\n"

# name: (source, line, col or None when the reference gives only a line, message prefix)
CASES = {
    "missing_file_id": ("struct Foo {\n  a @0 :UInt8;\n}\n", 1, 1,
                        "File does not declare an ID."),
    "bad_file_id": ("@0x1234;\n", 1, 2, "Invalid ID.  Please generate a new one"),
    "duplicate_ordinal": (ID + "struct Foo {\n  a @0 :UInt8;\n  b @0 :UInt8;\n}\n", 4, 6,
                          "Duplicate ordinal number."),
    "skipped_ordinal": (ID + "struct Foo {\n  a @0 :UInt8;\n  b @2 :UInt8;\n}\n", 4, 6,
                        "Skipped ordinal @1.  Ordinals must be sequential with no holes."),
    "duplicate_enumerant_ordinal": (ID + "enum E {\n  a @0;\n  b @0;\n}\n", 4, 6,
                                    "Duplicate ordinal number."),
    "unknown_type": (ID + "struct Foo {\n  a @0 :Blah;\n}\n", 3, 9, "Not defined: Blah"),
    "int_out_of_range": (ID + "struct Foo {\n  a @0 :UInt8 = 300;\n}\n", 3, 17,
                         "Integer value out of range."),
    "negative_unsigned": (ID + "struct Foo {\n  a @0 :UInt8 = -1;\n}\n", 3, 18,
                          "Integer value out of range."),
    "type_mismatch": (ID + 'struct Foo {\n  a @0 :UInt8 = "x";\n}\n', 3, 17,
                      "Type mismatch; expected UInt8."),
    "name_clash": (ID + "struct Foo {\n  a @0 :UInt8;\n  a @1 :UInt16;\n}\n", 4, 3,
                   "'a' is already defined in this scope."),
    "union_one_member": (ID + "struct Foo {\n  union {\n    a @0 :UInt8;\n  }\n}\n", 3, None,
                         "Union must have at least two members."),
    "empty_group": (ID + "struct Foo {\n  g :group {\n  }\n}\n", 3, None,
                    "Group must have at least one member."),
    "lower_case_type": (ID + "struct foo {\n  a @0 :UInt8;\n}\n", 2, 8,
                        "Type names must begin with a capital letter."),
    "upper_case_field": (ID + "struct Foo {\n  Abc @0 :UInt8;\n}\n", 3, 3,
                         "Non-type names must begin with a lower-case letter."),
    "underscore": (ID + "struct Foo {\n  a_b @0 :UInt8;\n}\n", 3, 3,
                   "Cap'n Proto declaration names should use camelCase"),
    "import_failed": (ID + 'using X = import "nope.capnp";\nstruct Foo { a @0 :X.Y; }\n', 2, 18,
                      "Import failed: nope.capnp"),
    "not_a_constant": (ID + "struct Foo {\n  a @0 :UInt8 = .Foo;\n}\n", 3, 17,
                       "'.Foo' does not refer to a constant."),
    "unqualified_constant": (ID + "const x :UInt8 = 3;\nstruct Foo {\n  a @0 :UInt8 = x;\n}\n", 4, 17,
                             "Constant names must be qualified to avoid confusion.  Please "
                             "replace 'x' with '.x', if that's what you intended."),
    "not_an_annotation": (ID + "struct Foo $Foo {\n  a @0 :UInt8;\n}\n", 2, 13,
                          "'Foo' is not an annotation."),
    "annotation_target": (ID + "annotation onlyField(field) :Void;\nstruct Foo $onlyField {\n"
                          "  a @0 :UInt8;\n}\n", 3, 13,
                          "'onlyField' cannot be applied to this kind of declaration."),
    "no_such_field": (ID + "struct Foo {\n  a @0 :UInt8;\n}\nconst c :Foo = (b = 1);\n", 5, 17,
                      "Struct has no field named 'b'."),
    "list_of_any_pointer": (ID + "struct Foo {\n  a @0 :List(AnyPointer);\n}\n", 3, 9,
                            "'List(AnyPointer)' is not supported."),
    "too_many_parameters": (ID + "struct Foo {\n  a @0 :List(Text, Text);\n}\n", 3, 9,
                            "Too many generic parameters."),
    "duplicate_id": (ID + "struct Foo @0xf1b7c4e1a2b3c4d5 {\n  a @0 :UInt8;\n}\n", 2, 8,
                     "Duplicate ID @0xf1b7c4e1a2b3c4d5."),
    "primitive_generic_param": (ID + "struct Box(T) {\n  a @0 :T;\n}\nstruct Foo {\n"
                                "  b @0 :Box(UInt8);\n}\n", 6, 13,
                                "Sorry, only pointer types can be used as generic parameters."),
    "const_is_not_a_type": (ID + "const c :UInt8 = 1;\nstruct Foo {\n  a @0 :c;\n}\n", 4, 9,
                            "'c' is not a type."),
    "no_member": (ID + "struct Foo {\n  a @0 :Foo.Bar;\n}\n", 3, 13,
                  "'Foo' has no member named 'Bar'"),
    # The language is ASCII: other scripts' digits and letters, and superscripts, are no
    # digits or letters to it.
    "superscript_digit": (ID + "const a :UInt32 = \u00b9;\n", 2, 19, "Parse error."),
    "arabic_indic_digit": (ID + "const a :UInt32 = 1\u0663;\n", 2, 20, "Parse error."),
    "non_ascii_letter": (ID + "struct \u00e9 {}\n", 2, 8, "Parse error."),
    "non_ascii_in_name": (ID + "struct F\u00e9 {}\n", 2, 9, "Parse error."),
    "unnamed_union_ordinal": (ID + "struct S { union @0 { a @1 :Int8; b @2 :Int8; } }\n", 2, 20, "Parse error."),
    "unnamed_union_annotation": (ID + "annotation ann(*) :Void;\nstruct S { union $ann { a @0 :Int8; b @1 :Int8; } }\n",
                                 3, 19, "Parse error."),
    "empty_data_literal": (ID + 'const k :Data = 0x"";\n', 2, 20, "Parse error."),
    "one_digit_hex_escape": (ID + 'const k :Text = "\\x4";\n', 2, 21, "Parse error."),
    # A literal of no digits after "0x", or an octal one with an 8 or 9: reported after it.
    "hex_literal_without_digits": (ID + "const k :Int32 = 0x;\n", 2, 20, "Parse error."),
    "octal_literal_with_8": (ID + "const k :Int32 = 0189;\n", 2, 22, "Parse error."),
    "list_of_any_struct": (ID + "struct S { a @0 :List(AnyStruct); }\n", 2, 18, "'List(AnyStruct)' is not supported."),
    "list_of_type_parameter": (ID + "struct B(T) { a @0 :List(T); }\n", 2, 21, "'List(AnyPointer)' is not supported."),
    "union_ordinal_without_bang": (ID + "struct S { a @0 :Int32; u @2 :union { a2 @1 :Int8; c @3 :Text; } }\n",
                                   2, 28, "As of Cap'n Proto v0.3, it is no longer necessary"),
    "bang_on_a_field": (ID + "struct S { a @0! :Int32; b @1 :Int8; }\n", 2, 24, "Parse error."),
    "bang_on_a_group": (ID + "struct S { a @0 :Int32; g @1! :group { x @2 :Int8; } }\n", 2, 37, "Parse error."),
    "upper_case_hex_prefix": (ID + "const k :Int32 = 0X1F;\n", 2, 19, "Parse error."),
    "float_after_leading_zero": (ID + "const k :Float64 = 09.5;\n", 2, 24, "Parse error."),
    # Every alias must name something, even one nothing uses; its name's case follows what it
    # names (a type or file: upper case; a constant or annotation: lower case).
    "using_not_defined": (ID + "using X = Nope;\n", 2, 11, "Not defined: Nope"),
    "nested_using_not_defined": (ID + "struct A {\n  using X = Nope;\n}\n", 3, 13,
                                 "Not defined: Nope"),
    "interface_using_not_defined": (ID + "interface I { using X = Nope; }\n", 2, 25,
                                    "Not defined: Nope"),
    "using_no_member": (ID + "struct B {}\nusing X = B.Nope;\n", 3, 13,
                        "'B' has no member named 'Nope'"),
    "using_member_without_name": (ID + "struct A { struct B {} }\nusing A.Nope;\n", 3, 9,
                                  "'A' has no member named 'Nope'"),
    "using_not_a_name": (ID + "using Foo = 5;\n", 2, 13, "Expected name."),
    "using_constant_upper_case": (ID + "const c :Int8 = 1;\nusing X = c;\n", 3, 7,
                                  "Non-type names must begin with a lower-case letter."),
    "using_annotation_upper_case": (ID + "annotation a(*) :Void;\nstruct S { using B = .a; }\n",
                                    3, 18, "Non-type names must begin with a lower-case letter."),
    "using_type_lower_case": (ID + "struct S {}\nusing s = S;\n", 3, 7,
                              "Type names must begin with a capital letter."),
    "using_builtin_lower_case": (ID + "using t = Text;\n", 2, 7,
                                 "Type names must begin with a capital letter."),
    "using_parameter_lower_case": (ID + "struct G(T) { using t = T; }\n", 2, 21,
                                   "Type names must begin with a capital letter."),
    "using_file_lower_case": (ID + 'using cxx = import "/capnp/stream.capnp";\n', 2, 7,
                              "Type names must begin with a capital letter."),
    "using_unknown_lower_case": (ID + "using x = Nope;\n", 2, 7,
                                 "Type names must begin with a capital letter."),
    "using_plain_name": (ID + "using Nope;\n", 2, 7,
                         "'using' declaration without '=' must specify a named declaration "
                         "from a different scope."),
    "using_import_without_name": (ID + 'using import "/capnp/stream.capnp";\n', 2, 7,
                                  "'using' declaration without '=' must specify a named "
                                  "declaration from a different scope."),
    # Parameters become one struct's fields: their names must differ.  (The reference refuses
    # these with an internal error at the method's name.)
    "duplicate_parameter": (ID + "interface I { a @0 (x :Int8, x :Int8) -> (); }\n", 2, 30,
                            "'x' is already defined in this scope."),
    "duplicate_result": (ID + "interface I { a @0 () -> (x :Int8, x :Text); }\n", 2, 36,
                         "'x' is already defined in this scope."),
    # Annotations: errors are placed at the start of the whole name; a generic scope's
    # annotation may be branded (``$G(Text).a``) and then needs a value of the bound type.
    "annotation_member_target": (ID + "struct N { annotation c(field) :Text; }\n"
                                 'struct W $N.c("x") {}\n', 3, 11,
                                 "'N.c' cannot be applied to this kind of declaration."),
    "annotation_member_not_annotation": (ID + "struct N { struct Q {} }\nstruct V $N.Q {}\n",
                                         3, 11, "'N.Q' is not an annotation."),
    "branded_annotation_needs_value": (ID + "struct G(T) { annotation a(*) :T; }\n"
                                       "struct U $G(Text).a {}\n", 3, 11,
                                       "'G(Text).a' requires a value."),
    "branded_annotation_type": (ID + "struct G(T) { annotation a(*) :T; }\n"
                                "struct U $G(Text).a(0x\"ab\") {}\n", 3, 21,
                                "Type mismatch; expected Text."),
    # A generic struct's literal: parameters the brand binds take the bound type; one left
    # unbound is AnyPointer, which no literal can fill.
    "bound_generic_default_type": (ID + "struct P(K) { k @0 :K; }\n"
                                   "struct U { h @0 :P(Text) = (k = 0x\"ab\"); }\n", 3, 33,
                                   "Type mismatch; expected Text."),
    "unbound_generic_default": (ID + "struct P(K) { k @0 :K; }\n"
                                'struct U { h @0 :P = (k = "x"); }\n', 3, 27,
                                "Type mismatch; expected AnyPointer."),
    # A run of operator characters is one token (":." is no ":" then "."); where the parser
    # wanted an operator or keyword, the reference reports the place after the token it took,
    # or just past the statement's last token.
    "colon_dot_run": (ID + "struct T { y @0 :.T; }\n", 2, 19, "Parse error."),
    "equals_minus_run": (ID + "struct T { y @0 :Int8 =-1; }\n", 2, 25, "Parse error."),
    "dollar_dot_run": (ID + "annotation a(*) :Void;\nstruct T $.a {}\n", 3, 12, "Parse error."),
    "at_minus_run": (ID + "struct T { y @-1 :Int8; }\n", 2, 16, "Parse error."),
    "minus_dot_run": (ID + "struct T { y @0 :Float64 = -.5; }\n", 2, 30, "Parse error."),
    "negative_nan": (ID + "struct T { y @0 :Float32 = -nan; }\n", 2, 32, "Parse error."),
    "split_arrow": (ID + "interface I { m @0 () - > (); }\n", 2, 25, "Parse error."),
    "field_without_ordinal": (ID + "struct T { a :Int8; }\n", 2, 19, "Parse error."),
    "field_without_ordinal_generic": (ID + "struct T { a :List(Int8); }\n", 2, 19, "Parse error."),
    "field_without_colon": (ID + "struct T { a @0 Int8; }\n", 2, 21, "Parse error."),
    "const_without_colon": (ID + "const a Int8 = 1;\n", 2, 14, "Parse error."),
    "const_without_equals": (ID + "const a :Int8 1;\n", 2, 16, "Parse error."),
    "enumerant_bad_ordinal": (ID + "enum E { a @x; }\n", 2, 14, "Parse error."),
    "leftover_token": (ID + "struct T { a @0 :Int8 b; }\n", 2, 24, "Parse error."),
    "missing_value": (ID + "struct T { a @0 :Int8 = ; }\n", 2, 24, "Parse error."),
    "number_runs_into_name": (ID + "const a :Int8 = 1b;\n", 2, 18, "Parse error."),
    "group_with_ordinal": (ID + "struct T { g @0 :group { x @1 :Int8; } }\n", 2, 12,
                           "This statement should end with a semicolon, not a block."),
    "group_without_block": (ID + "struct T { a : group; }\n", 2, 12,
                            "This statement should end with a block, not a semicolon."),
    "ordinal_too_big": (ID + "struct T { a @65536 :Int8; }\n", 2, 15,
                        "Ordinals cannot be greater than 65535."),
    "largest_ordinal_parses": (ID + "enum E { a @65535; }\n", 2, 13,
                               "Skipped ordinal @0.  Ordinals must be sequential with no holes."),
    "unknown_escape": (ID + 'const a :Text = "\\q";\n', 2, 19, "Parse error."),
    "stream_before_arrow": (ID + "interface I { a @0 stream -> (); }\n", 2, 20,
                            "'stream' can only appear after '->', not before."),
    "unknown_annotation_target": (ID + "annotation a(foo) :Void;\n", 2, 14,
                                  "Not a valid annotation target."),
    # Layouts Cap'n Proto 0.5 got wrong: the reference stops (with no place in the file; ours
    # names the field whose growth it is).
    "issue_344_grown_union_in_group": (
        ID + "struct S { union { a @0 :Int8;\n  g :group { u :union { b @1 :Bool; c @2 :Int16; } } } }\n",
        3, None, "Bad news: Cap'n Proto 0.5.x and previous contained a bug"),
    "issue_344_with_a_later_field": (
        ID + "struct S { union { a @0 :Int8;\n  g :group { u :union { b @1 :Bool; c @2 :Int16; }  d @3 :Bool; } } }\n",
        3, None, "Bad news: Cap'n Proto 0.5.x and previous contained a bug"),
    # (no file beside the schema, in memory or in the reference's directory)
    "embed_missing_file": (ID + "const m :Data = embed \"missing.bin\";\n", 2, 23,
                           "Couldn't read file for embed: missing.bin"),
    "embed_missing_file_of_a_wrong_type": (ID + "const u :UInt32 = embed \"missing.bin\";\n", 2, 25,
                                           "Couldn't read file for embed: missing.bin"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_schema(name: str) -> None:
    source, line, col, message = CASES[name]
    with pytest.raises(SchemaError) as info:
        compile_source(source, "bad.capnp")
    err = info.value
    assert err.reason.startswith(message), err.reason
    assert err.file == "bad.capnp"
    assert err.line == line, str(err)
    if col is not None:
        assert err.col == col, str(err)
    assert str(err).startswith(f"bad.capnp:{line}:")


def test_syntax_error_is_schema_error() -> None:
    with pytest.raises(SchemaError) as info:
        compile_source(ID + "struct Foo {\n  a @0 UInt8;\n}\n", "bad.capnp")
    assert info.value.line == 3
    assert info.value.reason == "Parse error."


def test_cyclic_imports_are_allowed_like_the_reference() -> None:
    files: Dict[str, str] = {
        "b.capnp": '@0xe1b7c4e1a2b3c4d5;\nusing import "a.capnp".Foo;\nstruct Bar {\n  a @0 :Foo;\n}\n',
    }
    src = '@0xf1b7c4e1a2b3c4d5;\nusing import "b.capnp".Bar;\nstruct Foo {\n  a @0 :Bar;\n}\n'
    files["a.capnp"] = src
    req = compile_source(src, "a.capnp", files)
    names = sorted(n.display_name for n in req.nodes)
    assert names == ["a.capnp", "a.capnp:Foo", "b.capnp", "b.capnp:Bar"]


def test_recursive_constant_is_rejected() -> None:
    src = ID + "const a :UInt8 = .b;\nconst b :UInt8 = .a;\n"
    with pytest.raises(SchemaError) as info:
        compile_source(src, "bad.capnp")
    assert "recursively depends on itself" in info.value.reason




@pytest.mark.parametrize("statement, message", [
    ('using import "/capnp/c\\x00++.capnp".Foo;', "Import failed: /capnp/c\x00++.capnp"),
    ('using import "near\\x00.capnp".Foo;', "Import failed: near\x00.capnp"),
    ('const m :Data = embed "near\\x00.bin";', "Couldn't read file for embed: near\x00.bin"),
    ('const m :Data = embed "/abs\\x00.bin";', "Couldn't read file for embed: /abs\x00.bin"),
])
def test_a_file_name_with_a_nul_is_a_file_not_found(statement: str, message: str,
                                                   tmp_path: Path) -> None:
    # A NUL makes open() raise ValueError: it must read as a missing file, in memory and on disk.
    source = ID + statement + "\n"
    with pytest.raises(SchemaError) as in_memory:
        compile_source(source, "bad.capnp")
    path = tmp_path / "bad.capnp"
    path.write_text(source)
    with pytest.raises(SchemaError) as on_disk:
        compile_files([str(path)], [str(tmp_path)])
    for err in (in_memory.value, on_disk.value):
        assert err.reason.startswith(message) and err.line == 2, str(err)
