"""The checked-in generated modules: no drift, mypy --strict, and real use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import pytest

from capnp_lite.codegen import regen
from capnp_lite.generated import rpc_capnp, schema_capnp

from .cg_helpers import Generated, compare_struct, ref_to_dict

REPO = Path(__file__).resolve().parents[2]


def test_checked_in_modules_match_the_generator() -> None:
    rendered = regen.render()
    assert set(rendered) >= {"schema_capnp", "rpc_capnp"}
    for name, text in rendered.items():
        path = REPO / "capnp_lite" / "generated" / f"{name}.py"
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run regen"


def test_generation_is_deterministic() -> None:
    assert regen.render() == regen.render()


def _mypy(target: Path, cwd: Path, extra_path: str) -> "subprocess.CompletedProcess[str]":
    env = dict(os.environ, MYPYPATH=extra_path)
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
         "--cache-dir", str(cwd / ".mypy_cache"), str(target)],
        cwd=str(cwd), env=env, capture_output=True, text=True, timeout=300,
    )


def test_generated_vector_modules_pass_mypy_strict(vectors: Path, tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    if sys.implementation.name != "cpython":
        pytest.skip("mypy runs on CPython")
    gen = Generated(sorted((vectors / "schemas").glob("*.capnp")), vectors / "schemas", tmp_path)
    result = _mypy(tmp_path / gen.package, tmp_path, str(REPO))
    assert result.returncode == 0, result.stdout + result.stderr


def test_read_a_reference_code_generator_request(vectors: Path, tmp_path: Path) -> None:
    """``capnp compile -o-`` output read with schema_capnp, checked against pycapnp."""
    capnp = pytest.importorskip("capnp")
    schemas = REPO / "schemas"
    gen = Generated([schemas / "capnp" / "schema.capnp"], schemas, tmp_path)
    ref_mod = capnp.load(str(schemas / "capnp" / "schema.capnp"), imports=[str(schemas)])
    node = gen.find("capnp/schema.capnp", "CodeGeneratorRequest")
    for cgr in sorted((vectors / "schemas").glob("*.cgr.bin")):
        data = cgr.read_bytes()
        ours = schema_capnp.CodeGeneratorRequest.from_bytes(data)
        with ref_mod.CodeGeneratorRequest.from_bytes(data) as ref:
            expected: Dict[str, Any] = ref_to_dict(gen, node, ref)
        assert compare_struct(gen, node, ours, expected, cgr.name) > 100
        # A few typed reads, spelled out as user code would write them.
        names = [n.displayName for n in ours.nodes]
        assert any(name.endswith(cgr.name[: -len(".cgr.bin")]) for name in names)
        for n in ours.nodes:
            if n.which() == schema_capnp.Node_Which.struct:
                assert n.struct.dataWordCount >= 0
                for f in n.struct.fields:
                    assert isinstance(f.name, str)
                    assert f.which() in (schema_capnp.Field_Which.slot,
                                         schema_capnp.Field_Which.group)


def test_rpc_message_round_trip() -> None:
    msg = rpc_capnp.Message.new_message()
    call = msg.init_call()
    call.questionId = 7
    call.interfaceId = 0x9E2F_84C8_8A5B_F2DD
    call.methodId = 3
    target = call.init_target()
    target.importedCap = 5
    call.params.content = None
    caps = call.params.init_capTable(1)
    caps[0].senderHosted = 2
    data = msg.to_bytes()
    back = rpc_capnp.Message.from_bytes(data)
    assert back.which() == rpc_capnp.Message_Which.call
    assert back.call.questionId == 7
    assert back.call.interfaceId == 0x9E2F_84C8_8A5B_F2DD
    assert back.call.methodId == 3
    assert back.call.target.which() == rpc_capnp.MessageTarget_Which.importedCap
    assert back.call.target.importedCap == 5
    table = back.call.params.capTable
    assert len(table) == 1
    assert table[0].which() == rpc_capnp.CapDescriptor_Which.senderHosted
    assert table[0].senderHosted == 2
    # The default of sendResultsTo is `caller` (discriminant 0).
    assert back.call.sendResultsTo.which() == rpc_capnp.Call_sendResultsTo_Which.caller


def test_rpc_bytes_match_pycapnp() -> None:
    capnp = pytest.importorskip("capnp")
    schemas = REPO / "schemas"
    ref = capnp.load(str(schemas / "capnp" / "rpc.capnp"), imports=[str(schemas)])
    msg = rpc_capnp.Message.new_message()
    ret = msg.init_return()
    ret.answerId = 12
    ret.releaseParamCaps = False
    exc = ret.init_exception()
    exc.reason = "boom"
    exc.type = rpc_capnp.Exception_Type.overloaded
    with ref.Message.from_bytes(msg.to_bytes()) as r:
        assert r.which() == "return"
        assert r.__getattr__("return").answerId == 12
        assert r.__getattr__("return").releaseParamCaps is False
        assert r.__getattr__("return").exception.reason == "boom"
        assert r.__getattr__("return").exception.type == "overloaded"
