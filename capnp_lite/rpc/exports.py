"""The export table: our objects the peer holds references to."""

from __future__ import annotations

from typing import Dict, Hashable, Iterator, Optional, Union

from .caps import LocalCap, OutCap
from .ids import ExportId, IdAllocator
from .messages import RpcException

__all__ = ["Export", "ExportTable"]


class Export:
    """One entry; removed when the peer's reference count reaches zero."""

    __slots__ = ("id", "obj", "refcount", "promise", "resolved", "resolution", "as_target")

    def __init__(self, eid: ExportId, obj: Hashable, promise: bool) -> None:
        self.id = eid  # our ID; the peer's ImportId
        self.obj = obj  # the application's handle for the object
        # References the peer holds: +1 per descriptor sent, -n per Release.
        self.refcount = 0
        self.promise = promise  # sent as senderPromise: we owe one Resolve
        self.resolved = False  # the Resolve went out
        # What the promise settled to: a capability (calls to it are forwarded
        # there from now on) or an exception.
        self.resolution: Union[OutCap, RpcException] = None
        # ``LocalCap(obj, promise)`` for calls that arrive while unresolved, made once: the
        # reference is immutable and every call to this export would build the same one.
        self.as_target: Optional[LocalCap] = None


class ExportTable:
    __slots__ = ("_entries", "_by_obj", "_ids")

    def __init__(self) -> None:
        self._entries: Dict[ExportId, Export] = {}  # live exports by ID
        self._by_obj: Dict[Hashable, ExportId] = {}  # so one object keeps one ID
        self._ids = IdAllocator()  # lowest-free allocation of export IDs

    def find(self, obj: Hashable) -> Optional[Export]:
        eid = self._by_obj.get(obj)
        return None if eid is None else self._entries[eid]

    def new(self, obj: Hashable, *, promise: bool, shared: bool = True) -> Export:
        """Add an entry; ``shared=False`` keeps it out of the by-object index."""
        eid = ExportId(self._ids.allocate())
        entry = Export(eid, obj, promise)
        self._entries[eid] = entry
        if shared:
            self._by_obj[obj] = eid
        return entry

    def get(self, eid: ExportId) -> Optional[Export]:
        return self._entries.get(eid)

    def remove(self, eid: ExportId) -> None:
        entry = self._entries.pop(eid)
        if self._by_obj.get(entry.obj) == eid:
            del self._by_obj[entry.obj]
        self._ids.free(eid)

    def clear(self) -> None:
        self._entries.clear()
        self._by_obj.clear()
        self._ids = IdAllocator()

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Export]:
        return iter(list(self._entries.values()))
