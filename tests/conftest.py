"""Shared test fixtures: where the conformance vectors live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# The conformance vectors sit beside the checkout (../shared/vectors); CAPNP_LITE_VECTORS overrides.
VECTORS = Path(os.environ.get("CAPNP_LITE_VECTORS", REPO.parent / "shared" / "vectors"))


@pytest.fixture(scope="session")
def vectors() -> Path:
    if not (VECTORS / "manifest.json").is_file():
        raise RuntimeError(f"conformance vectors not found at {VECTORS}; set CAPNP_LITE_VECTORS")
    return VECTORS


def pytest_report_header() -> str:
    import platform

    if platform.python_implementation() != "CPython":
        return ("NOTE: pycapnp cannot be installed on " + platform.python_implementation()
                + ": interop tests against it are skipped in this run and run on CPython")
    return ""
