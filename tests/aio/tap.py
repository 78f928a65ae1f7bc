"""A memory transport that records what its end writes (for tests of the wire traffic)."""

from __future__ import annotations

from typing import Any, List, Tuple

import capnp_lite.aio as capnp
from capnp_lite.rpc import codec
from capnp_lite.wire.framing import MessageDecoder


class Tap(capnp.MemoryTransport):
    """Records every write this end makes: its bytes (``raw``) and its RPC messages, one list
    per write (``writes``); ``sent`` is all the messages in order."""

    def __init__(self) -> None:
        super().__init__()
        self.raw: List[bytes] = []
        self.writes: List[List[Any]] = []
        self._dec = MessageDecoder()

    @property
    def sent(self) -> List[Any]:
        return [m for batch in self.writes for m in batch]

    def numbered(self) -> List[Tuple[int, Any]]:
        """Each message with the number of the write it went in (from 1)."""
        return [(w, m) for w, batch in enumerate(self.writes, 1) for m in batch]

    def write(self, data: bytes) -> None:
        self.raw.append(bytes(data))
        self._dec.feed(data)
        batch = []
        while True:
            segs = self._dec.next_message()
            if segs is None:
                break
            batch.append(codec.decode(segs))
        self.writes.append(batch)
        super().write(data)


def tapped_pair() -> Tuple[Tap, capnp.MemoryTransport]:
    """A connected pair whose first end is tapped."""
    a, b = Tap(), capnp.MemoryTransport()
    a.peer, b.peer = b, a
    return a, b


def tapped_both() -> Tuple[Tap, Tap]:
    """A connected pair with both ends tapped."""
    a, b = Tap(), Tap()
    a.peer, b.peer = b, a
    return a, b
