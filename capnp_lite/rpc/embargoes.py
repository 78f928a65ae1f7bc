"""The embargo table: Disembargo loopbacks we sent and wait to see echoed."""

from __future__ import annotations

from typing import Dict, Iterator, Optional

from .ids import EmbargoId, IdAllocator
from .messages import MessageTarget

__all__ = ["Embargo", "EmbargoTable"]


class Embargo:
    """One entry; removed when the peer echoes it with receiverLoopback."""

    __slots__ = ("id", "target")

    def __init__(self, eid: EmbargoId, target: MessageTarget) -> None:
        self.id = eid  # chosen by us, echoed back by the peer
        self.target = target  # the promise the senderLoopback Disembargo went to


class EmbargoTable:
    __slots__ = ("_entries", "_ids")

    def __init__(self) -> None:
        self._entries: Dict[EmbargoId, Embargo] = {}  # live embargoes by ID
        self._ids = IdAllocator()  # lowest-free allocation of embargo IDs

    def new(self, target: MessageTarget) -> Embargo:
        eid = EmbargoId(self._ids.allocate())
        entry = Embargo(eid, target)
        self._entries[eid] = entry
        return entry

    def get(self, eid: EmbargoId) -> Optional[Embargo]:
        return self._entries.get(eid)

    def remove(self, eid: EmbargoId) -> None:
        del self._entries[eid]
        self._ids.free(eid)

    def clear(self) -> None:
        self._entries.clear()
        self._ids = IdAllocator()

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Embargo]:
        return iter(list(self._entries.values()))
