"""Binary CodeGeneratorRequests: our compiler and ``compile -o-`` against the real ``capnp``.

* Every file under ``schemas/`` and every vector schema compiles to the same
  nodes as the reference compiler (read from its binary output).
* The vectors' stored reference requests (``*.cgr.bin``) read back into the
  same JSON as the stored reference dumps (``*.nodes.json``): this checks
  the reader independently of our compiler.
* Our binary output, decoded by the real ``capnp decode``, equals the real
  compiler's output decoded the same way, except that the reference also
  fills ``sourceInfo`` (doc comments) and may order nodes differently.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from capnp_lite.errors import DecodeError
from capnp_lite.schema import compile_files, compile_source
from capnp_lite.schema.binary import request_from_bytes, request_to_bytes

from .test_vectors import SCHEMAS as VECTOR_SCHEMAS
from .test_vectors import first_difference

REPO = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO / "schemas"
SCHEMA_FILES = sorted(p.relative_to(SCHEMA_DIR).as_posix() for p in SCHEMA_DIR.rglob("*.capnp"))
CAPNP = shutil.which("capnp")
needs_capnp = pytest.mark.skipif(CAPNP is None, reason="the capnp tool is needed")


def _reference_request(rel: str, root: Path) -> bytes:
    """``capnp compile -o-`` of ``rel``, run inside ``root`` so display names match ours."""
    assert CAPNP is not None
    return subprocess.run(
        [CAPNP, "compile", "-o-", "--no-standard-import", "-I", ".", rel],
        cwd=str(root), check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env=dict(os.environ, PWD=str(root)),
    ).stdout


def _ours(rel: str, root: Path) -> Dict[str, object]:
    return compile_files([str(root / rel)], [str(root)], standard_import=False).to_json()


@pytest.mark.interop
@needs_capnp
@pytest.mark.parametrize("rel", SCHEMA_FILES)
def test_schema_files_match_the_reference_compiler(rel: str) -> None:
    want = request_from_bytes(_reference_request(rel, SCHEMA_DIR)).to_json()
    diff = first_difference(_ours(rel, SCHEMA_DIR), want)
    assert diff is None, diff


def test_type_layout_of_schema_capnp() -> None:
    """Unions in groups in unions: the values ``capnp compile -o-`` gives for ``Type``."""
    req = compile_files([str(SCHEMA_DIR / "capnp/schema.capnp")], [str(SCHEMA_DIR)],
                        standard_import=False)
    t = req.find("capnp/schema.capnp:Type")
    assert (t.data_word_count, t.pointer_count, t.discriminant_offset) == (3, 1, 0)
    assert req.find("capnp/schema.capnp:Type.anyPointer").discriminant_offset == 4
    assert req.find("capnp/schema.capnp:Type.anyPointer.unconstrained").discriminant_offset == 5
    param = req.find("capnp/schema.capnp:Type.anyPointer.parameter")
    assert [(f.name, f.offset) for f in param.fields] == [("scopeId", 2), ("parameterIndex", 5)]
    implicit = req.find("capnp/schema.capnp:Type.anyPointer.implicitMethodParameter")
    assert [(f.name, f.offset) for f in implicit.fields] == [("parameterIndex", 5)]


@pytest.mark.interop
@needs_capnp
@pytest.mark.parametrize("name", VECTOR_SCHEMAS)
def test_vector_schemas_match_the_reference_compiler(vectors: Path, name: str) -> None:
    root = vectors / "schemas"
    want = request_from_bytes(_reference_request(f"{name}.capnp", root)).to_json()
    diff = first_difference(_ours(f"{name}.capnp", root), want)
    assert diff is None, diff


@pytest.mark.parametrize("name", VECTOR_SCHEMAS)
def test_reader_matches_the_stored_reference_dump(vectors: Path, name: str) -> None:
    root = vectors / "schemas"
    got = request_from_bytes((root / f"{name}.capnp.cgr.bin").read_bytes()).to_json()
    want = json.loads((root / f"{name}.capnp.nodes.json").read_text())
    diff = first_difference(got, want)
    assert diff is None, diff


@pytest.mark.parametrize("name", VECTOR_SCHEMAS)
def test_round_trip_through_bytes(vectors: Path, name: str) -> None:
    root = vectors / "schemas"
    req = compile_files([str(root / f"{name}.capnp")], [str(root)], standard_import=False)
    back = request_from_bytes(request_to_bytes(req))
    diff = first_difference(back.to_json(), req.to_json())
    assert diff is None, diff


# -- the real ``capnp decode`` on our bytes ---------------------------------------

def _split_top(text: str) -> List[str]:
    """Split the inside of ``(...)`` or ``[...]`` at top-level commas (quotes respected)."""
    body = text[1:-1]
    parts: List[str] = []
    depth = 0
    start = 0
    quoted = escaped = False
    for i, ch in enumerate(body):
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i].strip())
            start = i + 1
    if body.strip():
        parts.append(body[start:].strip())
    return parts


def _decoded(message: bytes) -> Dict[str, object]:
    assert CAPNP is not None
    text = subprocess.run(
        [CAPNP, "decode", "--short", "--no-standard-import", "-I", str(SCHEMA_DIR),
         str(SCHEMA_DIR / "capnp/schema.capnp"), "CodeGeneratorRequest"],
        input=message, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    ).stdout.decode("utf-8").strip()
    fields = dict(p.split(" = ", 1) for p in _split_top(text))
    return {
        # The reference's node order is its own; compare the nodes as a set.
        "nodes": sorted(_split_top(fields["nodes"])),
        "requestedFiles": fields["requestedFiles"],
    }


def _our_bytes(rel: str, root: Path) -> bytes:
    """Our CLI's output, run as a separate process like the real tool (and where it runs)."""
    return subprocess.run(
        [sys.executable, "-m", "capnp_lite", "compile", "-o-", "--no-standard-import",
         "-I", ".", rel],
        check=True, stdout=subprocess.PIPE, cwd=str(root),
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    ).stdout


@pytest.mark.interop
@needs_capnp
@pytest.mark.parametrize("rel", ["capnp/schema.capnp", "capnp/rpc.capnp",
                                 "capnp/compat/http-over-capnp.capnp",
                                 "workerd/worker-interface.capnp"])
def test_capnp_decode_reads_our_bytes_like_its_own(rel: str) -> None:
    assert _decoded(_our_bytes(rel, SCHEMA_DIR)) == _decoded(
        _reference_request(rel, SCHEMA_DIR))


@pytest.mark.interop
@needs_capnp
@pytest.mark.parametrize("name", VECTOR_SCHEMAS)
def test_capnp_decode_reads_our_vector_bytes_like_its_own(vectors: Path, name: str) -> None:
    root = vectors / "schemas"
    req = compile_files([str(root / f"{name}.capnp")], [str(root)], standard_import=False)
    ours = _decoded(request_to_bytes(req))
    assert ours == _decoded(_reference_request(f"{name}.capnp", root))


def test_pointer_defaults_keep_their_types() -> None:
    src = """@0xd5a8f9a2c4b6e813;
struct P { x @0 :Int32 = 7; name @1 :Text; inner @2 :P; tags @3 :List(Text); }
struct S {
  p @0 :P = (x = 7, name = "a", inner = (x = 1), tags = ["t", "u"]);
  ps @1 :List(P) = [(x = 2), (name = "b")];
  nums @2 :List(List(UInt16)) = [[1, 2], [], [3]];
  bits @3 :List(Bool) = [true, false, true];
  d @4 :Data = 0x"01 02";
}
const c :P = (x = -5, tags = []);
"""
    req = compile_source(src)
    back = request_from_bytes(request_to_bytes(req))
    assert back.to_json() == req.to_json()
    s = back.find("schema.capnp:S")
    defaults = {f.name: f.default_value.value for f in s.fields if f.default_value is not None}
    assert defaults["nums"] == [[1, 2], [], [3]]
    assert defaults["bits"] == [True, False, True]
    assert defaults["d"] == b"\x01\x02"
    assert defaults["p"].fields["inner"].fields["x"] == 1
    assert defaults["p"].fields["tags"] == ["t", "u"]
    assert [p.fields["x"] for p in defaults["ps"]] == [2, 7]


@pytest.mark.parametrize("data", [b"", b"\x00" * 7, b"\x00\x00\x00\x00\x01\x00\x00\x00" + b"\xff" * 8,
                                  bytes(range(64))])
def test_malformed_requests_raise_decode_error(data: bytes) -> None:
    with pytest.raises(DecodeError):
        request_from_bytes(data)


def test_cli_usage_errors() -> None:
    from capnp_lite.cli_compile import main

    assert main([]) == 2
    assert main(["x.capnp"]) == 2  # no -o-
    assert main(["-o-", "--bogus", "x.capnp"]) == 2


def test_cli_reports_schema_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from capnp_lite.cli_compile import main

    bad = tmp_path / "bad.capnp"
    bad.write_text("@0xd5a8f9a2c4b6e813;\nstruct S { f @0 :Nope; }\n")
    assert main(["-o-", str(bad)]) == 1
    assert "2:18: Not defined: Nope" in capsys.readouterr().err


def test_alias_table_finds_dotted_roots() -> None:
    common = "@0xd5a8f9a2c4b6e811;\nstruct Meta { x @0 :UInt8; }\n"
    src = """@0xd5a8f9a2c4b6e813;
using Common = import "common.capnp";
using M = Common.Meta;
using T = Text;
struct Outer { using Inner = Common.Meta; m @0 :Inner; }
"""
    req = compile_source(src, imports={"common.capnp": common})
    aliases = req.requested_files[0].aliases
    meta = next(n for n in req.nodes if n.display_name == "common.capnp:Meta")
    assert aliases == {"Common": 0xd5a8f9a2c4b6e811, "M": meta.id, "Outer.Inner": meta.id}
    # ``Common.Meta`` from the table and the nested-node lists:
    file_node = req.node(aliases["Common"])
    assert [x.id for x in file_node.nested_nodes if x.name == "Meta"] == [meta.id]


@pytest.mark.interop
@needs_capnp
def test_text_values_that_are_not_utf8_read_and_write_back(tmp_path: Path) -> None:
    """Escapes can put any bytes in a Text value: a request the reference wrote with them is
    read (the bytes kept as surrogates), equals ours, and is written back with the same bytes."""
    (tmp_path / "bytes.capnp").write_text(
        '@0xd3e6ad8a6c5e1f05;\nconst k :Text = "\\xff\\777ok";\nstruct S { t @0 :Text = "a\\xfeb"; }\n')
    ref = request_from_bytes(_reference_request("bytes.capnp", tmp_path))
    const = next(n for n in ref.nodes if n.which == "const")
    assert const.value is not None and const.value.value == b"\xff\xffok".decode("utf-8", "surrogateescape")
    ours = compile_files([str(tmp_path / "bytes.capnp")], [str(tmp_path)], standard_import=False).to_json()
    assert first_difference(ours, ref.to_json()) is None
    again = request_from_bytes(request_to_bytes(ref))
    assert first_difference(again.to_json(), ref.to_json()) is None
