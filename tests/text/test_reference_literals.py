"""Literals and root names read as ``capnp`` 0.9.2 reads them, in schemas and in the text format.

Each expectation below was checked against the reference tool; where it is installed, the
same inputs also go through it here, so a change of either side shows.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any, List, Optional

import pytest

import capnp_lite
from capnp_lite.cli_text import find_struct, run_decode, run_encode
from capnp_lite.errors import CapnpError, SchemaError
from capnp_lite.schema import compile_source
from capnp_lite.text.encode import text_to_builders, tree_to_builders

CAPNP = shutil.which("capnp")
FILE_ID = "@0xd1a2b3c4d5e6f709;\n"


def _reference_accepts(tmp_path: Path, source: str) -> Optional[bool]:
    if CAPNP is None:
        return None
    path = tmp_path / "ref.capnp"
    path.write_text(source)
    return subprocess.run([CAPNP, "compile", "-o-", path.name], cwd=str(tmp_path),
                          capture_output=True).returncode == 0


def _const(tmp_path: Path, source: str) -> Any:
    path = tmp_path / "s.capnp"
    path.write_text(FILE_ID + source)
    return capnp_lite.load(str(path)).a


@pytest.mark.parametrize("source, want", [
    ('const a :Text = "ab" "cd";', "abcd"),  # adjacent literals are one text
    ('const a :Text = "a"\n"b" "c";', "abc"),
    ('const a :List(Int32) = [1, 2,];', [1, 2]),  # one trailing comma
    ('const a :Float64 = 01.5;', 1.5),  # a leading 0 and octal digits: still decimal
    ('const a :Float64 = 00.25;', 0.25),
    ('const a :Float64 = 012e1;', 120.0),
    ('const a :Data = 0x" 41 42 ";', b"AB"),
])
def test_schema_values_the_reference_accepts(tmp_path: Path, source: str, want: Any) -> None:
    assert _reference_accepts(tmp_path, FILE_ID + source) in (True, None)
    got = _const(tmp_path, source)
    assert (list(got) if isinstance(want, list) else got) == want


@pytest.mark.parametrize("source", [
    'struct S { x @0 :Int32; } const a :S = (x = 5,);',
    'interface I { m @0 (a :Int32,) -> (b :Int32,); }',
    'annotation an(struct, field,) :Int32;',
    'annotation an(struct) :Int32; struct S $an(5,) {}',
    'struct G(T,) { x @0 :T; } const a :List(Int32,) = [1];',
    'interface A {} interface B extends(A,) {}',
    'struct S { x @0 :Text = "p" "q"; y @1 :List(Int32) = [1,]; }',
])
def test_trailing_commas_close_any_bracketed_list(tmp_path: Path, source: str) -> None:
    assert _reference_accepts(tmp_path, FILE_ID + source) in (True, None)
    compile_source(FILE_ID + source, "s.capnp")


@pytest.mark.parametrize("source, line, col, message", [
    ('const a :List(Int32) = [,];', 2, 24, "Parse error: Empty list item."),
    ('const a :List(Int32) = [1,,2];', 2, 24, "Parse error: Empty list item."),
    ('const a :List(Int32) = [1,2,,];', 2, 24, "Parse error: Empty list item."),
    ('interface I { m @0 (,) -> (); }', 2, 20, "Parse error: Empty list item."),
    ('interface A {} interface B extends(,) {}', 2, 35, "Parse error: Empty list item."),
    ('const a :Float64 = 09.5;', 2, 24, "Parse error."),
    ('const a :Float64 = 08e1;', 2, 24, "Parse error."),
    ('const a :Data = 0x"4 1";', 2, 21, "Parse error."),  # a blank inside a byte
    ('const a :Data = 0x"4\t1";', 2, 21, "Parse error."),
])
def test_schema_values_the_reference_refuses(tmp_path: Path, source: str, line: int, col: int,
                                             message: str) -> None:
    assert _reference_accepts(tmp_path, FILE_ID + source) in (False, None)
    with pytest.raises(SchemaError) as info:
        compile_source(FILE_ID + source, "s.capnp")
    assert (info.value.line, info.value.col) == (line, col)
    assert str(info.value).endswith(message)


TEXT_SCHEMA = FILE_ID + """
struct T {
  f @0 :Float64;
  d @1 :Data;
  l @2 :List(Float64);
}
"""


@pytest.fixture(scope="module")
def text_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("lit") / "t.capnp"
    path.write_text(TEXT_SCHEMA)
    return find_struct(str(path), "T", [])


@pytest.mark.parametrize("text, field, want", [
    (b"(f = 01.5)", "f", 1.5),
    (b"(f = 00.25)", "f", 0.25),
    (b"(f = 012e1)", "f", 120.0),
    (b"(f = -9223372036854775808)", "f", -9223372036854775808.0),
    (b"(f = 18446744073709551615)", "f", 18446744073709551615.0),
    (b'(d = 0x"41 42")', "d", b"AB"),
    (b'(d = 0x"41\n42")', "d", b"AB"),
])
def test_text_literals_the_reference_accepts(text_schema: Any, text: bytes, field: str,
                                             want: Any) -> None:
    # Both readers: the one-pass reader (with its fallback) and the tree the errors come from.
    for read in (text_to_builders, tree_to_builders):
        got = getattr(read(text_schema, text)[0], field)
        assert got == want, read


@pytest.mark.parametrize("text, message", [
    (b"(f = 09.5)", "leading 0"),
    (b'(d = 0x"4 1")', "blank inside a byte"),
    (b'(d = 0x"414 2")', "blank inside a byte"),
    (b'(d = 0x"4\n1")', "blank inside a byte"),
    (b"(f = -9223372036854775809)", "too big to be negative"),
    (b"(l = [1.5, -18446744073709551615])", "too big to be negative"),
    # The reference wraps these modulo 2^64; like integer fields, we refuse them.
    (b"(f = 18446744073709551617)", "64 bits at most"),
    # Its lexer reads a run of operator characters as one token: '=-' is not '=' then '-'.
    (b"(f =-1.5)", "found '=-'"),
    (b'(d = 0x"41", f=-1)', "found '=-'"),
    (b"(f=+1)", "found '=\+'"),
])
def test_text_literals_refused(text_schema: Any, text: bytes, message: str) -> None:
    for read in (text_to_builders, tree_to_builders):
        with pytest.raises(CapnpError, match=message):
            read(text_schema, text)


ROOTS_COMMON = FILE_ID.replace("09", "0a") + """
struct Meta { author @0 :Text; }
const version :UInt32 = 3;
"""
ROOTS_MAIN = FILE_ID + """
using Common = import "common.capnp";
using Alias = Outer;
using In = Outer.Inner;
struct Outer {
  a @0 :Int32;
  struct Inner { t @0 :Text; }
}
const v :UInt32 = Common.version;
"""


@pytest.mark.parametrize("root, text", [
    ("Outer", b"(a = 1)"),
    (".Outer", b"(a = 1)"),
    ("Alias", b"(a = 1)"),
    ("In", b'(t = "x")'),
    ("Outer.Inner", b'(t = "x")'),
    ("Common.Meta", b'(author = "x")'),  # through an import used for a constant only
])
def test_root_names_as_type_expressions(tmp_path: Path, root: str, text: bytes) -> None:
    (tmp_path / "common.capnp").write_text(ROOTS_COMMON)
    main = tmp_path / "main.capnp"
    main.write_text(ROOTS_MAIN)
    schema = find_struct(str(main), root, [])
    encoded = run_encode(schema, text, False, False)
    assert run_decode(schema, encoded, True, False, False) == text + b"\n"
    if CAPNP is not None:
        ref = subprocess.run([CAPNP, "encode", main.name, root], cwd=str(tmp_path), input=text,
                             capture_output=True)
        assert ref.returncode == 0 and ref.stdout == encoded


@pytest.mark.parametrize("root", ["Nope", "Outer.Nope", ".In.t", "Common.Nope", "Outer."])
def test_root_names_that_name_nothing(tmp_path: Path, root: str) -> None:
    (tmp_path / "common.capnp").write_text(ROOTS_COMMON)
    main = tmp_path / "main.capnp"
    main.write_text(ROOTS_MAIN)
    with pytest.raises(SchemaError, match="no declaration named"):
        find_struct(str(main), root, [])


def _any_pointer_message(pointer: int, extra_words: List[int]) -> bytes:
    """A one-segment message of ``struct A { x :Int32; p :AnyPointer; }`` with x = 5 and
    ``pointer`` in p."""
    words = [0x0001000100000000, 5, pointer] + extra_words
    body = b"".join(w.to_bytes(8, "little") for w in words)
    return (0).to_bytes(4, "little") + len(words).to_bytes(4, "little") + body


@pytest.mark.parametrize("pointer, message", [
    (2 | (0 << 3) | (7 << 32), "unknown segment"),  # far pointer to segment 7
    (2 | (50 << 3), "far pointer"),  # landing pad beyond the segment
    (3 | (1 << 2), "unknown pointer kind"),  # "other" but not a capability
])
def test_decode_follows_pointers_it_does_not_print(tmp_path: Path, pointer: int,
                                                   message: str) -> None:
    path = tmp_path / "a.capnp"
    path.write_text(FILE_ID + "struct A { x @0 :Int32; p @1 :AnyPointer; }\n")
    schema = find_struct(str(path), "A", [])
    data = _any_pointer_message(pointer, [])
    with pytest.raises(CapnpError, match=message):
        run_decode(schema, data, True, False, False)
    if CAPNP is not None:
        ref = subprocess.run([CAPNP, "decode", "--short", path.name, "A"], cwd=str(tmp_path),
                             input=data, capture_output=True)
        assert ref.returncode != 0
    # A well-formed target still prints as the reference prints it.
    ok = _any_pointer_message(1 | (1 << 32) | (2 << 35), [0x4241])  # a List(UInt8) "AB"
    assert run_decode(schema, ok, True, False, False) == b"(x = 5, p = <opaque pointer>)\n"



@pytest.mark.parametrize("pointer", [
    0 | (40 << 2) | (1 << 32),  # a struct of one word, 40 words past the segment's end
    1 | (40 << 2) | (2 << 32) | (5 << 35),  # a list of 5 bytes there
    0 | (0x1FFFFFFF << 2) | (1 << 32),  # a struct at the largest offset forward
])
def test_decode_leaves_an_opaque_near_target_alone(tmp_path: Path, pointer: int) -> None:
    """Only the kind of an AnyPointer it prints as opaque is looked at, as the reference looks:
    a near pointer's target, in bounds or not, is not followed."""
    path = tmp_path / "a.capnp"
    path.write_text(FILE_ID + "struct A { x @0 :Int32; p @1 :AnyPointer; }\n")
    schema = find_struct(str(path), "A", [])
    data = _any_pointer_message(pointer, [])
    assert run_decode(schema, data, True, False, False) == b"(x = 5, p = <opaque pointer>)\n"
    if CAPNP is not None:
        ref = subprocess.run([CAPNP, "decode", "--short", path.name, "A"], cwd=str(tmp_path),
                             input=data, capture_output=True)
        assert (ref.returncode, ref.stdout) == (0, b"(x = 5, p = <opaque pointer>)\n")
