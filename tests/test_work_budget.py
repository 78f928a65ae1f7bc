"""The line budget that hostile-input tests use instead of timings (tests/work.py)."""

from __future__ import annotations

import sys

import pytest

from .work import line_budget


def _loop(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def test_counts_lines_in_proportion_to_the_work() -> None:
    with line_budget(10_000) as small:
        _loop(100)
    with line_budget(10_000) as large:
        _loop(1000)
    assert 200 <= small.lines < 300
    assert 2000 <= large.lines < 2100


def test_a_block_over_its_budget_fails_at_once() -> None:
    with pytest.raises(AssertionError, match="more than 500 lines"):
        with line_budget(500) as work:
            _loop(10**9)  # stopped after 500 lines, not after a billion iterations
    assert work.lines == 501


def test_code_that_catches_every_exception_does_not_hide_the_overrun() -> None:
    def stubborn() -> None:
        for _ in range(10**9):
            try:
                _loop(10)
            except Exception:
                pass

    with pytest.raises(AssertionError):
        with line_budget(1000):
            stubborn()


def test_the_previous_tracer_is_put_back() -> None:
    before = sys.gettrace()
    with line_budget(100):
        pass
    assert sys.gettrace() is before
