"""Canonical form of a message (the encoding spec's "Canonicalization").

A canonical message is one segment with no far pointers; objects appear in
pre-order (a struct, then its pointers' targets in slot order, depth first);
struct data sections lose trailing zero words and pointer sections trailing
null pointers; a struct that ends up empty is the zero-sized pointer
``0xfffffffc``; inline-composite list elements are all truncated to the
largest truncated element.  The deep copy in :mod:`.layout` does the work with
its ``canonical`` flag, into a single growing segment.

API: ``canonicalize(root) -> bytes`` (the flat single segment, no segment
table) and ``is_canonical(segments) -> bool``.
"""

from __future__ import annotations

from typing import Optional, Sequence

from .layout import MessageBuilder, MessageReader, StructReader
from .segments import Buffer, ReadLimits

__all__ = ["canonicalize", "canonicalize_message", "is_canonical"]


def canonicalize(root: StructReader) -> bytes:
    """The canonical encoding of ``root`` and everything it reaches, as one segment."""
    builder = MessageBuilder(64, growth="single")
    builder.set_root(root, canonical=True)
    segments = builder.segments()
    assert len(segments) == 1
    return segments[0]


def canonicalize_message(
    segments: Sequence[Buffer], *, limits: Optional[ReadLimits] = None
) -> bytes:
    """Canonicalize the root struct of a message given as segments."""
    reader = MessageReader(segments, limits=limits)
    return canonicalize(reader.root())


def is_canonical(segments: Sequence[Buffer], *, limits: Optional[ReadLimits] = None) -> bool:
    """True when the message is exactly its own canonical form.

    Malformed messages raise :class:`~capnp_lite.errors.DecodeError`.
    """
    if len(segments) != 1:
        return False
    return canonicalize_message(segments, limits=limits) == bytes(segments[0])
