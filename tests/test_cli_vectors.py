"""Every case of the conformance vectors through the decode/encode CLI (in-process)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from capnp_lite.cli_text import decode_main, encode_main

REPO = Path(__file__).resolve().parent.parent
_VECTORS = Path(os.environ.get("CAPNP_LITE_VECTORS", REPO.parent / "shared" / "vectors"))

# check -> (command, flags, input file key, expected file key)
CHECKS: Dict[str, Tuple[str, List[str], str, str]] = {
    "decode": ("decode", [], "binary", "expected"),
    "decode_packed": ("decode", ["--packed"], "packed", "expected"),
    "decode_flat": ("decode", ["--flat"], "flat", "expected"),
    "encode": ("encode", [], "text", "binary"),
    "encode_packed": ("encode", ["--packed"], "text", "packed"),
    "encode_flat": ("encode", ["--flat"], "text", "flat"),
}


def _cases() -> List[Any]:
    manifest = _VECTORS / "manifest.json"
    if not manifest.is_file():
        return []
    out = []
    for case in json.loads(manifest.read_text())["cases"]:
        for check in case["checks"]:
            out.append(pytest.param(case, check, id=f"{case['id']}:{check}"))
    return out


class _Bytes(io.BytesIO):
    pass


def run_cli(command: str, argv: List[str], data: bytes) -> Tuple[int, bytes, str]:
    stdin = _Bytes(data)
    stdout = _Bytes()
    err = io.StringIO()
    old = sys.stderr
    sys.stderr = err
    try:
        main = decode_main if command == "decode" else encode_main
        code = main(argv, stdin, stdout)
    finally:
        sys.stderr = old
    return code, stdout.getvalue(), err.getvalue()


@pytest.mark.parametrize("case,check", _cases())
def test_vector(vectors: Path, case: Dict[str, Any], check: str) -> None:
    command, flags, input_key, expected_key = CHECKS[check]
    schema = str(vectors / case["schema"])
    data = (vectors / case["files"][input_key]).read_bytes()
    code, out, err = run_cli(command, flags + [schema, case["root"]], data)
    outcome = case["outcome"]
    if outcome == "error" or (outcome == "text_or_error" and code != 0):
        assert code != 0, f"expected an error, got output {out[:200]!r}"
        assert "Traceback" not in err
        assert err.strip() and "\n" not in err.strip()
        return
    assert code == 0, err
    expected = (vectors / case["files"][expected_key]).read_bytes()
    assert out == expected


def _env() -> Dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.parametrize(
    "command,case_dir,flags,input_name,expected_name",
    [
        ("decode", "messages/primitives/Scalars/small", [], "message.bin", "expected.txt"),
        ("encode", "messages/unions/Shape/last_assignment_wins", ["--packed"], "input.txt", "message.packed.bin"),
    ],
)
def test_subprocess_round(
    vectors: Path, command: str, case_dir: str, flags: List[str], input_name: str, expected_name: str
) -> None:
    schema = "primitives.capnp" if "primitives" in case_dir else "unions.capnp"
    root = case_dir.split("/")[2]
    proc = subprocess.run(
        [sys.executable, "-m", "capnp_lite.cli_text", command, *flags,
         str(vectors / "schemas" / schema), root],
        input=(vectors / case_dir / input_name).read_bytes(),
        capture_output=True,
        env=_env(),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (vectors / case_dir / expected_name).read_bytes()


@pytest.mark.parametrize(
    "command,input_rel",
    [("decode", "hostile/struct_self_cycle/input.bin"), ("encode", "hostile/text_unknown_field/input.txt")],
)
def test_subprocess_error_has_no_traceback(vectors: Path, command: str, input_rel: str) -> None:
    schema, root = ("lists.capnp", "Tree") if "cycle" in input_rel else ("primitives.capnp", "Scalars")
    proc = subprocess.run(
        [sys.executable, "-m", "capnp_lite.cli_text", command, str(vectors / "schemas" / schema), root],
        input=(vectors / input_rel).read_bytes(),
        capture_output=True,
        env=_env(),
        timeout=120,
    )
    assert proc.returncode == 1
    assert b"Traceback" not in proc.stderr
    assert proc.stderr.count(b"\n") == 1
