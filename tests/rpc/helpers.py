"""Shared pieces of the RPC tests: a back-to-back pair and a content model for pipelining."""

from __future__ import annotations

from typing import List, Optional

from capnp_lite.errors import DecodeError
from capnp_lite.rpc import Event, QuestionId, RpcConnection
from capnp_lite.rpc.messages import Bootstrap, CapPointer, Message, Transform


def served() -> RpcConnection:
    """A connection serving "root" that has answered the peer's bootstrap (question 0): its
    export 0 is the root, and answer 0 waits for the peer's Finish."""
    conn = RpcConnection(bootstrap="root")
    conn.receive(Bootstrap(QuestionId(0)))
    conn.messages_to_send()
    return conn


def tuple_extractor(content: object, transform: Transform) -> Optional[int]:
    """Test content model: a tuple of cap-table indices, one per pointer field.

    ``(2, None)`` is a struct whose pointer 0 is cap 2 and pointer 1 is null.
    ``CapPointer(i)`` is a bare capability, as in bootstrap results.
    """
    ops = [op for op in transform if not op.is_noop]
    if isinstance(content, CapPointer) and not ops:
        return content.index
    if isinstance(content, tuple) and len(ops) == 1:
        index = ops[0].pointer_field
        assert index is not None
        if index >= len(content):
            return None
        value = content[index]
        return value if isinstance(value, int) else None
    raise DecodeError("transform does not fit the content")


class Pair:
    """Two connections wired back to back; messages move only when a test says so."""

    def __init__(self, a: RpcConnection, b: RpcConnection) -> None:
        self.a = a
        self.b = b
        self.a_to_b: List[Message] = []  # in flight from a to b
        self.b_to_a: List[Message] = []

    def _collect(self) -> None:
        self.a_to_b.extend(self.a.messages_to_send())
        self.b_to_a.extend(self.b.messages_to_send())

    def to_b(self, count: Optional[int] = None) -> List[Event]:
        """Deliver the first ``count`` messages (default: all) in flight from a to b."""
        self._collect()
        n = len(self.a_to_b) if count is None else count
        batch, self.a_to_b = self.a_to_b[:n], self.a_to_b[n:]
        events: List[Event] = []
        for message in batch:
            events.extend(self.b.receive(message))
        return events

    def to_a(self, count: Optional[int] = None) -> List[Event]:
        self._collect()
        n = len(self.b_to_a) if count is None else count
        batch, self.b_to_a = self.b_to_a[:n], self.b_to_a[n:]
        events: List[Event] = []
        for message in batch:
            events.extend(self.a.receive(message))
        return events

    def in_flight(self) -> int:
        self._collect()
        return len(self.a_to_b) + len(self.b_to_a)
