"""Typed identifiers of the RPC tables, and the allocator that hands them out.

``rpc.capnp`` names every ID from the *sender's* point of view: a ``QuestionId``
we send arrives at the peer as its ``AnswerId``, an ``ExportId`` we send is the
peer's ``ImportId``.  Each is a distinct ``NewType`` so that mypy rejects using
an ID received from the peer as if we had allocated it.  Flipping the point of
view is always an explicit conversion at the one place a message is received,
e.g. ``AnswerId(call.question_id)``.
"""

from __future__ import annotations

import heapq
from typing import List, NewType

__all__ = [
    "QuestionId",
    "AnswerId",
    "ExportId",
    "ImportId",
    "EmbargoId",
    "MAX_ID",
    "IdAllocator",
]

QuestionId = NewType("QuestionId", int)
"""A question we asked (our question table; the peer's answer table)."""

AnswerId = NewType("AnswerId", int)
"""A question the peer asked us (our answer table)."""

ExportId = NewType("ExportId", int)
"""A capability we host and the peer may call (our export table)."""

ImportId = NewType("ImportId", int)
"""A capability the peer hosts and we may call (our import table)."""

EmbargoId = NewType("EmbargoId", int)
"""A Disembargo loopback we started and wait to see echoed."""

MAX_ID = 0xFFFFFFFF
"""Every ID is a UInt32 on the wire."""


class IdAllocator:
    """Hands out the lowest free ID, like Unix file descriptors.

    Low IDs pack better and the spec recommends this strategy.  Freed IDs go
    to a min-heap; ``_next`` is one past the highest ID ever handed out.
    """

    __slots__ = ("_free", "_next")

    def __init__(self) -> None:
        self._free: List[int] = []  # freed IDs below _next, as a min-heap
        self._next = 0  # the smallest ID never handed out yet

    def allocate(self) -> int:
        if self._free:
            return heapq.heappop(self._free)
        if self._next > MAX_ID:
            raise OverflowError("RPC ID space exhausted")
        value = self._next
        self._next += 1
        return value

    def free(self, value: int) -> None:
        heapq.heappush(self._free, value)

    def __len__(self) -> int:
        """How many IDs are currently handed out."""
        return self._next - len(self._free)
