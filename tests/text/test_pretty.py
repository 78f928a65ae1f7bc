"""The indented form matches ``capnp decode`` (without --short) on the vector messages."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Dict

import pytest

from capnp_lite.cli_text import find_struct, run_decode
from capnp_lite.dynamic.schema import StructSchema

CAPNP = shutil.which("capnp")
pytestmark = pytest.mark.interop


@pytest.mark.skipif(CAPNP is None, reason="capnp tool not installed")
def test_pretty_matches_capnp_tool(vectors: Path) -> None:
    manifest = json.loads((vectors / "manifest.json").read_text())
    schemas: Dict[str, StructSchema] = {}
    checked = 0
    for case in manifest["cases"]:
        if case["category"] != "valid" or "large" in case["id"]:
            continue
        key = case["schema"] + ":" + case["root"]
        if key not in schemas:
            schemas[key] = find_struct(str(vectors / case["schema"]), case["root"], [])
        data = (vectors / case["files"]["binary"]).read_bytes()
        assert CAPNP is not None
        ref = subprocess.run(
            [CAPNP, "decode", "--quiet", case["schema"], case["root"]],
            input=data,
            capture_output=True,
            cwd=vectors,
            timeout=60,
        )
        if ref.returncode != 0:
            continue
        ours = run_decode(schemas[key], data, short=False, packed=False, flat=False)
        assert ours == ref.stdout, case["id"]
        checked += 1
    assert checked > 50
