"""The wheel carries the .capnp schemas the package loads at run time.

Builds a wheel from this checkout, installs it into a fresh virtual
environment (no network: the wheel has no dependencies) and, from a directory
outside the checkout, loads the debug port's schemas and runs the calculator
schema through the compiler, so a missing file shows up as a failure here
rather than on a user's machine.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

CHECK = """
import sys
from pathlib import Path
import capnp_lite, debugport.client as client
from capnp_lite.resources import schema_dir
root = schema_dir()
assert Path(capnp_lite.__file__).resolve().parent in root.parents, root
assert not str(root).startswith(sys.argv[1]), root
s = client.schemas()
assert s.WorkerdDebugPort is not None
calc = capnp_lite.load(str(root / "calculator.capnp"))
assert calc.Calculator.Expression.new_message(literal=2.5).literal == 2.5
print("ok", root)
"""


def test_installed_wheel_loads_its_schemas(tmp_path: Path) -> None:
    if sys.implementation.name != "cpython":
        pytest.skip("the wheel is checked once, on CPython")
    wheels = tmp_path / "wheels"
    # Build with the installed setuptools and wheel (the test extra has both), so no network.
    isolation = [] if importlib.util.find_spec("wheel") is None else ["--no-build-isolation"]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-q",
                    "-w", str(wheels), str(REPO)], check=True, cwd=tmp_path, timeout=300)
    (wheel,) = wheels.glob("capnp_lite-*.whl")
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
                   check=True, cwd=tmp_path, timeout=300)
    out = subprocess.run([str(python), "-c", CHECK, str(REPO)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok ") and "_schemas" in out.stdout
