"""The soak of tests/soak/soak.py: 100 connections with 100 calls in flight each, over loopback."""

from __future__ import annotations

import asyncio

from tests.soak.soak import run_soak


def test_soak_leaves_no_table_entries_and_returns_memory() -> None:
    figures = asyncio.run(run_soak(connections=100, calls_per_connection=100))
    print({k: v for k, v in figures.items() if k != "leftover_tables"})
    assert figures["server_sessions"] == 100
    assert figures["calls"] == 100 * 85  # every call that was not cancelled came back right
    assert figures["leftover_tables"] == [], figures["leftover_tables"][:3]
    if "retained_mib" in figures:  # CPython: traced memory comes back within a small margin
        assert figures["retained_mib"] < 8, figures
