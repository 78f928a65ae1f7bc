"""capnp-lite inside Pyodide (CPython on WebAssembly, from npm) under Node.

Needs `npm install` at the repository root (tools/test does it). Without node or the pyodide
package this test fails, naming the missing step: it is not skipped.
"""

from __future__ import annotations

import shutil
import subprocess

from tests.conftest import REPO


def test_smoke_script_passes_in_pyodide() -> None:
    node = shutil.which("node")
    assert node is not None, "node is not installed: apt-get install nodejs"
    assert (REPO / "node_modules" / "pyodide" / "package.json").is_file(), (
        "the pyodide npm package is missing: run `npm install` at the repository root"
    )
    proc = subprocess.run(
        [node, str(REPO / "tools" / "pyodide" / "run.mjs"), str(REPO / "tools" / "pyodide" / "smoke.py")],
        cwd=str(REPO), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300,
    )
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    lines = out.strip().splitlines()
    assert proc.returncode == 0 and lines and lines[-1].startswith("pyodide: ") and lines[-1].endswith(
        " 0 failed"), f"Pyodide run failed (exit {proc.returncode}):\n{out}\n{err[-4000:]}"
