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
