"""Passing a capability of one connection to another: local forwarding.

A process connected to X and to Y may hand Y a capability it got from X.
There is no three-party handoff: the session towards Y exports a
``Forwarder``, a local object holding its own client of X's capability, and
every call Y makes on it is passed on to X as a raw call (same interface and
method IDs, the params content copied as is, their capabilities sent on the
connection to X the same way).  The results travel back the same way.

This module holds the small records the session keeps for that; the session
(``Session._forward_call`` and friends) does the work, since it owns the tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, List, Optional

from ..wire.layout import AnyPointerReader, MessageBuilder, StructReader
from ._schema import MethodInfo

if TYPE_CHECKING:  # only for annotations: the session module imports this one
    from .session import Capability, Session, _Question

__all__ = ["Forwarder", "RawPayload", "RawResults", "ForwardedCall", "raw_method"]


class Forwarder:
    """Export handle for a capability of another session: calls on it go to ``cap``.

    Hashable by identity (it is its own key in the export table).  It owns the
    reference ``cap`` holds and gives it back in ``close()``.
    """

    __slots__ = ("cap", "persistent", "closed", "_on_close")

    def __init__(self, cap: "Capability", persistent: bool,
                 on_close: Optional[Callable[["Forwarder"], None]]) -> None:
        self.cap = cap  # a client of the other session, made for this forwarder alone
        # Kept when the peer releases the export (a bootstrap object, or what a promise of
        # ours resolved to, which may be sent again); closed only with the session.
        self.persistent = persistent
        self.closed = False
        self._on_close = on_close  # the owning session forgets it

    def on_release(self) -> None:
        """The peer released the export (the session calls this, as for server objects)."""
        if not self.persistent:
            self.close()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.cap.close()
        hook, self._on_close = self._on_close, None
        if hook is not None:
            hook(self)

    def __repr__(self) -> str:
        return f"<forwarder to {self.cap!r}{' closed' if self.closed else ''}>"


_EMPTY_MB = MessageBuilder(4)
_EMPTY_MB.init_root(0, 0)


class RawPayload:
    """Params passed on untouched: the received content and a cap table of clients."""

    __slots__ = ("content", "objects")

    def __init__(self, content: object, objects: List[Any]) -> None:
        self.content = content  # as received: an AnyPointerReader, or None for null params
        self.objects = objects  # one entry per received cap-table entry, in the same order

    def reader(self) -> StructReader:
        content = self.content
        if isinstance(content, AnyPointerReader):
            return content.get_struct()
        return _EMPTY_MB.root_reader()

    def size(self) -> int:
        return 0  # forwarded calls are not flow-controlled here: the caller's side does it


class RawResults:
    """The results of a forwarded call as this connection returned them (for pipelined calls
    that waited on the answer): the content, and the local targets of its cap table."""

    __slots__ = ("_reader", "objects")

    def __init__(self, reader: StructReader, objects: List[Any]) -> None:
        self._reader = reader
        self.objects = objects

    def reader(self) -> StructReader:
        return self._reader


class ForwardedCall:
    """A call the peer made on a forwarder, now running as ``question`` on the other session."""

    __slots__ = ("session", "question", "owned")

    def __init__(self, session: "Session", question: "_Question", owned: List["Capability"]) -> None:
        self.session = session  # the session the call was passed on to
        self.question = question  # that session's question carrying the call
        # Clients this call owns (its params' capabilities, a pipelining client), closed
        # once it is over.
        self.owned = owned


def raw_method(interface_id: int, method_id: int) -> MethodInfo:
    """A method known only by its IDs: params and results are passed on, never read by field."""
    schema: Any = None
    return MethodInfo("<forwarded>", interface_id, method_id, schema, schema, False)
