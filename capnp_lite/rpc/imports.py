"""The import table: capabilities the peer hosts that we hold references to."""

from __future__ import annotations

from typing import Dict, Iterator, Optional

from .ids import ImportId
from .messages import ImportedCapTarget

__all__ = ["Import", "ImportTable"]


class Import:
    """One entry; removed when we send a Release for every reference we got."""

    __slots__ = ("id", "wire_refs", "promise", "resolved", "calls_sent", "as_target", "pins",
                 "released")

    def __init__(self, iid: ImportId, promise: bool) -> None:
        self.id = iid  # the peer's ExportId
        # References received (+1 per descriptor naming it); a Release must
        # return exactly this many.
        self.wire_refs = 0
        self.promise = promise  # the peer sent it as senderPromise
        self.resolved = False  # the peer's Resolve arrived
        # Calls we sent to it: if the promise resolves back to us, they are
        # still on their way and an embargo keeps later calls behind them.
        self.calls_sent = 0
        # ``ImportedCapTarget(id)`` for the calls we send to it, made once (it is immutable).
        self.as_target: Optional[ImportedCapTarget] = None
        # Answers we returned naming it, not finished yet: the peer may still pipeline on them
        # (or send a Disembargo through them), so while any is left the entry stays, and a
        # release by the application (``released``) waits for the last one.
        self.pins = 0
        self.released = False


class ImportTable:
    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: Dict[ImportId, Import] = {}  # live imports by the peer's export ID

    def get(self, iid: ImportId) -> Optional[Import]:
        return self._entries.get(iid)

    def new(self, iid: ImportId, promise: bool) -> Import:
        entry = Import(iid, promise)
        self._entries[iid] = entry
        return entry

    def remove(self, iid: ImportId) -> None:
        del self._entries[iid]

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Import]:
        return iter(list(self._entries.values()))
