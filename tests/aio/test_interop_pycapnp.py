"""Interop with pycapnp over loopback TCP, both directions, on the calculator sample."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from typing import Iterator, List

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))

try:
    import capnp  # noqa: F401

    HAVE_PYCAPNP = platform.python_implementation() == "CPython"
except ImportError:
    HAVE_PYCAPNP = False

pytestmark = pytest.mark.skipif(
    not HAVE_PYCAPNP,
    reason="INTEROP NOT TESTED: pycapnp is not installed on this interpreter (it has no PyPy build)",
)


def _start_server(lib: str) -> "tuple[subprocess.Popen[str], int]":
    proc = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "calculator_pycapnp_server.py"), "--lib", lib],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("PORT "):
        proc.kill()
        raise AssertionError(f"server did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}")
    return proc, int(line.split()[1])


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[int]:
    proc, port = _start_server(request.param)
    try:
        yield port
    finally:
        proc.kill()
        proc.wait()


def _run_client(lib: str, port: int) -> List[str]:
    out = subprocess.run(
        [sys.executable, os.path.join(HERE, "calculator_pycapnp_client.py"), "--lib", lib, "--port", str(port)],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout.split("\n")


@pytest.mark.parametrize("server", ["pycapnp"], indirect=True)
def test_our_client_against_pycapnp_server(server: int) -> None:
    lines = _run_client("lite", server)
    for check in ("literal", "operator", "previousResult", "defFunction", "callback", "errors", "concurrent"):
        assert f"{check} ok" in lines
    assert "ALL OK" in lines


@pytest.mark.parametrize("server", ["lite"], indirect=True)
def test_pycapnp_client_against_our_server(server: int) -> None:
    lines = _run_client("pycapnp", server)
    assert "ALL OK" in lines
