"""Helpers for tests that run the same statements on capnp_lite and on pycapnp, the reference.

pycapnp cannot be installed on PyPy: there these helpers give None for pycapnp's side and
the tests run our half alone, against the values pycapnp gave on CPython.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import pytest


def schema_file(factory: pytest.TempPathFactory, name: str, text: str) -> Path:
    """``text`` written as the schema file ``name`` in a new temporary directory."""
    path = factory.mktemp(name.partition(".")[0]) / name
    path.write_text(text)
    return path


def pycapnp_module(path: Path) -> Optional[Any]:
    """pycapnp's module of the schema at ``path``, or None where pycapnp is not installed."""
    try:
        import capnp  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return None
    return capnp.load(str(path))
