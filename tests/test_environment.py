"""The reference tools the interop tests need are really here.

Interop tests elsewhere skip when a reference tool cannot be imported, since pycapnp cannot be
installed on PyPy. On CPython that skip would hide a broken install step, so these checks turn a
missing tool into a failure.
"""

from __future__ import annotations

import platform
import shutil

import pytest

CPYTHON = platform.python_implementation() == "CPython"


def test_capnp_tool_is_installed() -> None:
    assert shutil.which("capnp"), "Debian's capnp tool is missing: apt-get install capnproto"


def test_node_is_installed() -> None:
    assert shutil.which("node"), "node is missing: apt-get install nodejs"


@pytest.mark.skipif(not CPYTHON, reason="pycapnp cannot be installed on PyPy: its interop tests run on CPython only")
def test_pycapnp_is_installed_on_cpython() -> None:
    try:
        import capnp  # noqa: F401
    except ImportError as exc:  # pragma: no cover - the failure is the point
        pytest.fail(f"pycapnp is missing on CPython (pip install -e '.[dev]'): {exc}")


def test_construct_is_installed() -> None:
    # the x-ray tool's optional dependency, which its tests use as an oracle
    import construct  # noqa: F401
