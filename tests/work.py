"""A bound on the work a block of code does, counted in Python lines run, not in seconds.

Tests of hostile input must show that the work done does not grow with what the input
announces (a list of a million elements in 200 bytes, a run of zeros that would expand
to 400 MB): ``line_budget(n)`` fails when the block runs more than ``n`` lines of Python.
The count is the same on every machine and every run (of one interpreter version), unlike
a timing, and a regression that loops over the announced size fails at once rather than
after a timeout.  Work done inside C functions is not counted: the tests that need it
bound memory as well.
"""

from __future__ import annotations

import sys
from types import FrameType, TracebackType
from typing import Any, Callable, Optional, Type

__all__ = ["line_budget"]

_Tracer = Callable[[FrameType, str, Any], Any]


class _OverBudget(BaseException):
    """Raised inside the traced code; a BaseException, so that no ``except Exception``
    on the way swallows it."""


class line_budget:
    """``with line_budget(10_000) as work: ...`` fails (AssertionError) if the block runs more
    than 10,000 lines of Python; ``work.lines`` is how many it ran."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lines = 0
        self._previous: Any = None  # the tracer before ours (a debugger's, say), put back after

    def _global(self, frame: FrameType, event: str, arg: Any) -> Optional[_Tracer]:
        return self._local

    def _local(self, frame: FrameType, event: str, arg: Any) -> Optional[_Tracer]:
        if event == "line":
            self.lines += 1
            if self.lines > self.limit:
                raise _OverBudget
        return self._local

    def __enter__(self) -> "line_budget":
        self.lines = 0
        self._previous = sys.gettrace()
        sys.settrace(self._global)
        return self

    def __exit__(self, kind: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        sys.settrace(self._previous)
        if kind is _OverBudget:
            raise AssertionError(f"the block ran more than {self.limit} lines of Python") from None
