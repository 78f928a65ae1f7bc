"""A memory transport that records every RPC message its end sends (for tests of the wire traffic)."""

from __future__ import annotations

from typing import Any, List, Tuple

import capnp_lite.aio as capnp
from capnp_lite.rpc import codec
from capnp_lite.wire.framing import MessageDecoder


class Tap(capnp.MemoryTransport):
    """Records every RPC message this end sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: List[Any] = []
        self._dec = MessageDecoder()

    def write(self, data: bytes) -> None:
        self._dec.feed(data)
        while True:
            segs = self._dec.next_message()
            if segs is None:
                break
            self.sent.append(codec.decode(segs))
        super().write(data)


def tapped_pair() -> Tuple[Tap, capnp.MemoryTransport]:
    """A connected pair whose first end is tapped."""
    a, b = Tap(), capnp.MemoryTransport()
    a.peer, b.peer = b, a
    return a, b
