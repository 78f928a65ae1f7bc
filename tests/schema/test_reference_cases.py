"""Cases where our compiler once differed from ``capnp compile -o-`` (capnp 0.9.2), each run
against the reference where it is installed.

* The broken-schema table of :mod:`.test_errors` gives the reference's first error (place and
  message), except where a difference is known and written down here.
* Generic structs' literals and branded annotations compile to the values the reference gives.
* File display names follow the reference's rules (current directory, ``--src-prefix``,
  absolute paths), through our ``compile`` command.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from capnp_lite.schema import compile_files, compile_source, source_location
from capnp_lite.schema.binary import request_from_bytes, request_to_bytes
from capnp_lite.schema.model import CodeGeneratorRequest, Node, StructValue, Value

from .test_errors import CASES

REPO = Path(__file__).resolve().parents[2]
CAPNP = shutil.which("capnp")
needs_capnp = pytest.mark.skipif(CAPNP is None, reason="the capnp tool is needed")

# Broken schemas whose first error we report differently, on purpose: name -> what the
# reference says instead (None: it reports no location at all).
REFERENCE_DIFFERS: Dict[str, Optional[str]] = {
    "issue_344_grown_union_in_group": None,
    "issue_344_with_a_later_field": None,
    # The reference fails validating its own output; we name the repeated parameter.
    "duplicate_parameter": "2:11: Internal compiler bug",
    "duplicate_result": "2:11: Internal compiler bug",
    # The reference prints the brand's parameters as '( Text )'.
    "branded_annotation_needs_value": "3:11: 'G(( Text )).a' requires a value.",
}

_ERROR_LINE = re.compile(r"bad\.capnp:(\d+):(?:(\d+)(?:-\d+)?:)? error: (.*)")


def _run_reference(cwd: Path, args: List[str]) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    assert CAPNP is not None
    # kj warns, and names files oddly, when PWD is not the directory it runs in.
    return subprocess.run([CAPNP, "compile", "-o-"] + args, cwd=str(cwd),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=dict(os.environ, PWD=str(cwd)))


def _run_ours(cwd: Path, args: List[str]) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "-m", "capnp_lite", "compile", "-o-"] + args,
                          cwd=str(cwd), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))


def _first_error(stderr: bytes) -> Tuple[int, Optional[int], str]:
    for line in stderr.decode("utf-8", "replace").splitlines():
        m = _ERROR_LINE.match(line)
        if m:
            return int(m.group(1)), int(m.group(2)) if m.group(2) else None, m.group(3)
    raise AssertionError(f"no located error in: {stderr!r}")


@pytest.mark.interop
@needs_capnp
@pytest.mark.parametrize("name", sorted(CASES))
def test_error_table_matches_the_reference(name: str, tmp_path: Path) -> None:
    source, line, col, message = CASES[name]
    (tmp_path / "bad.capnp").write_text(source, encoding="utf-8")
    result = _run_reference(tmp_path, ["bad.capnp"])
    assert result.returncode != 0
    if name in REFERENCE_DIFFERS:
        known = REFERENCE_DIFFERS[name]
        if known is not None:
            got_line, got_col, got_message = _first_error(result.stderr)
            assert f"{got_line}:{got_col}: {got_message}".startswith(known)
        return
    got_line, got_col, got_message = _first_error(result.stderr)
    assert (got_line, got_message[:len(message)]) == (line, message)
    if col is not None:
        assert got_col == col


# -- values of generic structs and branded annotations ---------------------------------

GENERIC_VALUES = """@0xf1b7c4e1a2b3c4d5;
struct P(K, V) {
  k @0 :K;
  v @1 :V;
  inner @2 :N(Text);
  g :group { gk @3 :K; }
  m @4 :M;
  n2 @5 :N(V);
  struct N(X) { x @0 :X; }
  struct M { mk @0 :K; }
}
struct U {
  h @0 :P(Text, Data) = (k = "key", inner = (x = "q"), g = (gk = "gg"), m = (mk = "mm"),
                         n2 = (x = 0x"cd"));
  l @1 :List(P(Data, Text)) = [(k = 0x"01", v = "t")];
}
const c :P(Text, Data) = (v = 0x"ab");
struct G(T) {
  annotation a(*) :T;
  annotation b(*) :Void;
}
struct S { x @0 :Text; }
struct A $G(Text).a("x") $G(S).a((x = "y")) $G(Text).b {
  f @0 :Int8 $G(Data).a(0x"ab");
}
"""


def _by_name(req: CodeGeneratorRequest) -> Dict[str, Node]:
    return {n.display_name.split(":", 1)[1]: n for n in req.nodes if ":" in n.display_name}


def _plain(x: object) -> object:
    """A value without the empty groups a struct read back from bytes always holds."""
    if isinstance(x, StructValue):
        return StructValue({k: _plain(v) for k, v in x.fields.items()
                            if not (isinstance(v, StructValue) and not v.fields)})
    if isinstance(x, list):
        return [_plain(v) for v in x]
    return x


def _values(req: CodeGeneratorRequest) -> Dict[str, object]:
    """Every value the schema above sets, by where it is set."""
    nodes = _by_name(req)

    def value(v: Optional[Value]) -> object:
        assert v is not None
        return _plain(v.value)

    out: Dict[str, object] = {
        "U.h": value(nodes["U"].fields[0].default_value),
        "U.l": value(nodes["U"].fields[1].default_value),
        "c": value(nodes["c"].value),
        "A.f": [value(a.value) for a in nodes["A"].fields[0].annotations],
    }
    out["A"] = [value(a.value) for a in nodes["A"].annotations]
    return out


EXPECTED_VALUES = {
    "U.h": StructValue({"k": "key", "inner": StructValue({"x": "q"}),
                        "g": StructValue({"gk": "gg"}), "m": StructValue({"mk": "mm"}),
                        "n2": StructValue({"x": b"\xcd"})}),
    "c": StructValue({"v": b"\xab"}),
    "A.f": [b"\xab"],
    "A": ["x", StructValue({"x": "y"}), None],
}


def test_generic_struct_literals_take_the_bound_types() -> None:
    req = compile_source(GENERIC_VALUES, "gen.capnp")
    got = _values(req)
    for key, want in EXPECTED_VALUES.items():
        assert got[key] == want, key
    # A list element's brand binds it the other way round.
    [element] = got["U.l"]  # type: ignore[misc]
    assert isinstance(element, StructValue)
    assert (element.fields["k"], element.fields["v"]) == (b"\x01", "t")


def test_generic_struct_literals_survive_our_binary_form() -> None:
    req = compile_source(GENERIC_VALUES, "gen.capnp")
    data = request_to_bytes(req)
    again = request_from_bytes(data)
    assert _values(again) == _values(req)
    assert request_to_bytes(again) == data


@pytest.mark.interop
@needs_capnp
def test_generic_struct_literals_match_the_reference(tmp_path: Path) -> None:
    (tmp_path / "gen.capnp").write_text(GENERIC_VALUES)
    ref = _run_reference(tmp_path, ["gen.capnp"])
    assert ref.returncode == 0, ref.stderr
    ours = _run_ours(tmp_path, ["gen.capnp"])
    assert ours.returncode == 0, ours.stderr
    assert _values(request_from_bytes(ours.stdout)) == _values(request_from_bytes(ref.stdout))
    ref_nodes = _by_name(request_from_bytes(ref.stdout))
    for key, want in EXPECTED_VALUES.items():
        assert _values(request_from_bytes(ref.stdout))[key] == want, key
    # The annotations carry the brand that binds their type, as the reference's do.
    ours_nodes = _by_name(request_from_bytes(ours.stdout))
    for a, r in zip(ours_nodes["A"].annotations, ref_nodes["A"].annotations):
        assert [(s.scope_id, [b.type.which if b.type else None for b in s.bind or []])
                for s in a.brand.scopes] == [
            (s.scope_id, [b.type.which if b.type else None for b in s.bind or []])
            for s in r.brand.scopes]


# -- display names ------------------------------------------------------------------------

def _tree(root: Path) -> None:
    """proj/t/{x,y,z,w}.capnp and proj/t/imp/main.capnp, with relative and absolute imports."""
    t = root / "proj" / "t"
    (t / "imp").mkdir(parents=True)
    (t / "x.capnp").write_text('@0xf1b7c4e1a2b3c4d5;\nusing Y = import "y.capnp";\n'
                               'using Z = import "/z.capnp";\nstruct X { y @0 :Y.Y; z @1 :Z.Z; }\n')
    (t / "y.capnp").write_text("@0xe1b7c4e1a2b3c4d5;\nstruct Y {}\n")
    (t / "z.capnp").write_text("@0xd1b7c4e1a2b3c4d5;\nstruct Z {}\n")
    (t / "w.capnp").write_text("@0xb1b7c4e1a2b3c4d5;\nstruct W {}\n")
    (t / "imp" / "main.capnp").write_text('@0xc1b7c4e1a2b3c4d5;\nusing W = import "../w.capnp";\n'
                                          "struct M { w @0 :W.W; }\n")


def _names(req: CodeGeneratorRequest) -> List[object]:
    return [sorted((n.display_name, n.display_name_prefix_length) for n in req.nodes),
            [(f.filename, f.imports) for f in req.requested_files]]


# Arguments, given inside proj/ ({root} is the temporary directory): the file names the
# reference gives (checked by hand against capnp 0.9.2, and by the test below where it runs).
NAME_CASES: List[Tuple[str, List[str], str]] = [
    ("t/x.capnp", [], "t/x.capnp"),
    ("./t/x.capnp", [], "t/x.capnp"),
    ("t//x.capnp", [], "t/x.capnp"),
    ("{root}/proj/t/x.capnp", [], "t/x.capnp"),
    ("../proj/t/x.capnp", [], "t/x.capnp"),
    ("t/imp/main.capnp", [], "t/imp/main.capnp"),  # -I t is no prefix
    ("t/x.capnp", ["--src-prefix=t"], "x.capnp"),
    ("t/x.capnp", ["--src-prefix=./t/"], "x.capnp"),
    ("{root}/proj/t/x.capnp", ["--src-prefix={root}/proj/t"], "x.capnp"),
    ("t/imp/main.capnp", ["--src-prefix=t"], "imp/main.capnp"),
    ("{root}/proj/t/x.capnp", ["--src-prefix={root}/proj"], "t/x.capnp"),
]


@pytest.mark.parametrize("path,extra,want", NAME_CASES)
def test_display_names(path: str, extra: List[str], want: str, tmp_path: Path) -> None:
    _tree(tmp_path)
    proj = tmp_path / "proj"
    args = [a.format(root=tmp_path) for a in extra] + ["-I", "t", path.format(root=tmp_path)]
    ours = _run_ours(proj, args)
    assert ours.returncode == 0, ours.stderr
    req = request_from_bytes(ours.stdout)
    assert [f.filename for f in req.requested_files] == [want]
    files = {n.display_name for n in req.nodes if n.which == "file"}
    # A relative import is named beside its importer; an absolute one by its import name.
    if want.endswith("x.capnp"):
        assert files == {want, want[:-len("x.capnp")] + "y.capnp", "z.capnp"}
    else:
        assert files == {want, want[:-len("imp/main.capnp")] + "w.capnp"}


def test_display_name_outside_the_current_directory(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    target = tmp_path / "proj" / "t" / "x.capnp"
    base, display = source_location(str(target), [])
    assert (base, display) == ("/", str(target).lstrip("/"))
    req = compile_files([str(target)], [str(tmp_path / "proj" / "t")], src_prefixes=[])
    y = str(tmp_path / "proj" / "t" / "y.capnp").lstrip("/")
    assert {n.display_name for n in req.nodes if n.which == "file"} == {display, y, "z.capnp"}
    assert [f.filename for f in req.requested_files] == [display]


def test_import_leaving_its_source_prefix_fails(tmp_path: Path) -> None:
    _tree(tmp_path)
    proj = tmp_path / "proj"
    ours = _run_ours(proj, ["--src-prefix=t/imp", "-I", "t", "t/imp/main.capnp"])
    assert ours.returncode == 1
    assert b"main.capnp:2:18: Import failed: ../w.capnp" in ours.stderr


def test_src_prefix_must_be_a_directory(tmp_path: Path) -> None:
    _tree(tmp_path)
    ours = _run_ours(tmp_path / "proj", ["--src-prefix=nomatch", "t/x.capnp"])
    assert ours.returncode == 1
    assert b"--src-prefix=nomatch: no such directory" in ours.stderr


@pytest.mark.interop
@needs_capnp
@pytest.mark.parametrize("path,extra,want", NAME_CASES + [
    ("{root}/proj/t/x.capnp", ["--src-prefix={root}"], "proj/t/x.capnp"),
    ("t/imp/main.capnp", ["--src-prefix=t", "-I", "t/imp"], "imp/main.capnp"),
])
def test_display_names_match_the_reference(path: str, extra: List[str], want: str,
                                           tmp_path: Path) -> None:
    _tree(tmp_path)
    proj = tmp_path / "proj"
    args = [a.format(root=tmp_path) for a in extra] + ["-I", "t", path.format(root=tmp_path)]
    ref = _run_reference(proj, args)
    assert ref.returncode == 0, ref.stderr
    ours = _run_ours(proj, args)
    assert ours.returncode == 0, ours.stderr
    ref_req = request_from_bytes(ref.stdout)
    assert [f.filename for f in ref_req.requested_files] == [want]
    assert _names(request_from_bytes(ours.stdout)) == _names(ref_req)


@pytest.mark.interop
@needs_capnp
def test_display_names_outside_the_current_directory_match_the_reference(
        tmp_path: Path) -> None:
    _tree(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for path in (str(tmp_path / "proj" / "t" / "x.capnp"), "../proj/t/x.capnp"):
        args = ["-I", "../proj/t", path]
        ref = _run_reference(elsewhere, args)
        assert ref.returncode == 0, ref.stderr
        ours = _run_ours(elsewhere, args)
        assert ours.returncode == 0, ours.stderr
        assert _names(request_from_bytes(ours.stdout)) == _names(request_from_bytes(ref.stdout))


# -- embed: files as Data, Text and struct values --------------------------------------------

EMBED = """@0xd1c3a2b4e5f60750;
struct P { a @0 :Int32; t @1 :Text; l @2 :List(Text); }
const blob :Data = embed "data.bin";
const txt :Text = embed "t.txt";
const raw :Text = embed "data.bin";
const p :P = embed "p.bin";
const sub :Data = embed "sub/x.bin";
const abs :Data = embed "/inc/y.bin";
struct S { d @0 :Data = embed "data.bin"; q @1 :P = embed "p.bin"; }
"""

BROKEN_EMBEDS = {
    # name -> (declaration, line 2's error column, message)
    "a list": ('const l :List(UInt8) = embed "data.bin";', 24,
               "Embeds can only be used when Text, Data, or a struct is expected."),
    "a number": ('const u :UInt32 = embed "data.bin";', 19,
                 "Embeds can only be used when Text, Data, or a struct is expected."),
    "not a message": ('struct P { a @0 :Int32; }\nconst p :P = embed "data.bin";', 14,
                      "Embedded file is not a valid Cap'n Proto message."),
}


def _embed_tree(tmp_path: Path) -> None:
    import capnp_lite

    (tmp_path / "sub").mkdir()
    (tmp_path / "inc" / "inc").mkdir(parents=True)
    (tmp_path / "data.bin").write_bytes(b"hello\x00\x01\xffbin")
    (tmp_path / "t.txt").write_text("some text\n")
    (tmp_path / "sub" / "x.bin").write_bytes(b"XY")
    (tmp_path / "inc" / "inc" / "y.bin").write_bytes(b"from the import path")
    (tmp_path / "main.capnp").write_text(EMBED)
    # The embedded message, made by our own builder from P alone (the file embeds it).
    (tmp_path / "ponly.capnp").write_text(EMBED.split("const blob")[0])
    P = capnp_lite.load(str(tmp_path / "ponly.capnp")).P
    (tmp_path / "p.bin").write_bytes(P.new_message(a=5, t="hi", l=["x", ""]).to_bytes())


def _embedded_values(req: CodeGeneratorRequest) -> Dict[str, object]:
    nodes = _by_name(req)
    out: Dict[str, object] = {}
    for name in ("blob", "txt", "raw", "p", "sub", "abs"):
        v = nodes[name].value
        assert v is not None
        out[name] = _plain(v.value)
    for f in nodes["S"].fields:
        assert f.default_value is not None
        out["S." + f.name] = _plain(f.default_value.value)
    return out


EMBEDDED = {
    "blob": b"hello\x00\x01\xffbin", "txt": "some text\n",
    "raw": b"hello\x00\x01\xffbin".decode("utf-8", "surrogateescape"),
    "p": StructValue({"a": 5, "t": "hi", "l": ["x", ""]}), "sub": b"XY",
    "abs": b"from the import path", "S.d": b"hello\x00\x01\xffbin",
    "S.q": StructValue({"a": 5, "t": "hi", "l": ["x", ""]}),
}


def test_embeds_read_files_as_values(tmp_path: Path) -> None:
    _embed_tree(tmp_path)
    req = compile_files([str(tmp_path / "main.capnp")], [str(tmp_path / "inc")])
    assert _embedded_values(req) == EMBEDDED
    again = request_from_bytes(request_to_bytes(req))  # and through the binary form
    assert _embedded_values(again) == EMBEDDED


@pytest.mark.interop
@needs_capnp
def test_embeds_match_the_reference(tmp_path: Path) -> None:
    _embed_tree(tmp_path)
    ref = _run_reference(tmp_path, ["-I", "inc", "main.capnp"])
    assert ref.returncode == 0, ref.stderr
    ours = _run_ours(tmp_path, ["-I", "inc", "main.capnp"])
    assert ours.returncode == 0, ours.stderr
    assert _embedded_values(request_from_bytes(ref.stdout)) == EMBEDDED
    assert _embedded_values(request_from_bytes(ours.stdout)) == EMBEDDED


@pytest.mark.parametrize("name", sorted(BROKEN_EMBEDS))
def test_broken_embeds_are_reported_where_the_reference_reports_them(name: str, tmp_path: Path) -> None:
    decl, col, message = BROKEN_EMBEDS[name]
    _embed_tree(tmp_path)
    (tmp_path / "bad.capnp").write_text("@0xd1c3a2b4e5f60751;\n" + decl + "\n")
    line = 2 + decl.count("\n")
    ours = _run_ours(tmp_path, ["bad.capnp"])
    assert ours.returncode != 0
    assert f"bad.capnp:{line}:{col}: {message}" in ours.stderr.decode(), ours.stderr
    if CAPNP is not None:
        ref = _run_reference(tmp_path, ["bad.capnp"])
        assert _first_error(ref.stderr) == (line, col, message)


def test_embeds_in_memory_and_their_edges() -> None:
    from capnp_lite.errors import SchemaError
    from capnp_lite.wire.framing import encode_message

    empty_root = encode_message([bytes(8)])  # a message whose root pointer is null
    anyp = encode_message([bytes.fromhex("0000000000000100" "0100000012000000" "6869000000000000")])
    files = {"dir/d.bin": b"\x00\x01", "dir/t.txt": "text given as str", "dir/null.bin": empty_root,
             "dir/any.bin": anyp}
    source = ('@0xd1c3a2b4e5f60752;\nstruct Q { a @0 :Int8 = 3; }\nstruct A { p @0 :AnyPointer; }\n'
              'const d :Data = embed "d.bin";\nconst t :Text = embed "t.txt";\n'
              'const q :Q = embed "null.bin";\n')
    req = compile_source(source, "dir/mem.capnp", imports=files)
    values = {n.display_name.split(":")[1]: n.value.value for n in req.nodes
              if n.which == "const" and n.value is not None}
    assert values == {"d": b"\x00\x01", "t": "text given as str", "q": StructValue({})}
    with pytest.raises(SchemaError, match="7:14: An embedded message may not set AnyPointer"):
        compile_source(source + 'const a :A = embed "any.bin";\n', "dir/mem.capnp", imports=files)
    with pytest.raises(SchemaError, match="Couldn't read file for embed: gone.bin"):
        compile_source(source + 'const g :Data = embed "gone.bin";\n', "dir/mem.capnp", imports=files)
