"""Text that reaches Python's own numeric limits is refused by ``encode`` with one line
naming the position, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = "@0xd3c4b5a697887760;\nstruct F { f @0 :Float64; i @1 :Int64; }\n"


@pytest.mark.parametrize("text, message", [
    ("(f = 1" + "0" * 400 + ")", "1:6: integer is too large (64 bits at most)"),
    ("(i = 1" + "0" * 5000 + ")", "1:6: integer literal of 5001 digits is too long"),
    ("(f = 1" + "0" * 5000 + ")", "1:6: integer literal of 5001 digits is too long"),
])
def test_numbers_beyond_python_limits_fail_in_one_line(tmp_path: Path, text: str,
                                                      message: str) -> None:
    schema = tmp_path / "f.capnp"
    schema.write_text(SCHEMA)
    out = subprocess.run([sys.executable, "-m", "capnp_lite", "encode", str(schema), "F"],
                         input=text.encode(), capture_output=True, cwd=ROOT, timeout=60)
    assert out.returncode == 1
    assert out.stdout == b""
    lines = out.stderr.decode().splitlines()
    assert lines == [f"capnp_lite encode: {message}"]
