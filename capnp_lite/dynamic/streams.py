"""Reading and writing messages on the file-like objects pycapnp accepts.

pycapnp reads and writes through ``fileno()``, so besides binary files it
takes text-mode files (the bytes go past the text layer) and sockets.  We
take the same objects, and binary streams without a descriptor (``BytesIO``)
too:

* a text-mode file: its binary ``buffer``, after flushing the text layer;
* an object with ``read``/``write``: those;
* a socket (``recv``/``sendall``): those;
* an ``int``: a file descriptor, read and written with ``os.read``/``os.write``.

Reads take exactly the bytes of one message, so messages written one after
another are read back one at a time.
"""

from __future__ import annotations

import io
import os
from typing import Any, Iterator, List, Optional, Sequence

from ..errors import EndOfStream
from ..wire.framing import DEFAULT_MAX_MESSAGE_WORDS, decode_message_at, read_message
from ..wire.segments import Buffer

__all__ = ["ByteSource", "byte_source", "write_bytes", "read_framed", "framed_messages_in",
           "message_limit"]


class ByteSource:
    """``read(n)``: at most ``n`` bytes from a file, socket or descriptor (b"" at the end);
    ``read_some(n)``: the same, but what is there now rather than waiting for all ``n``
    (a buffered file's ``read1``; sockets and descriptors do that anyway)."""

    __slots__ = ("_read", "_read_some")

    def __init__(self, target: Any) -> None:
        if isinstance(target, io.TextIOBase):
            target = _binary_buffer(target)
        if hasattr(target, "read"):
            self._read = target.read
            self._read_some = getattr(target, "read1", target.read)
        elif hasattr(target, "recv"):
            self._read = self._read_some = target.recv
        elif isinstance(target, int) and not isinstance(target, bool):
            fd = target
            self._read = self._read_some = lambda n: os.read(fd, n)
        else:
            raise TypeError(f"cannot read a message from {type(target).__name__}")

    def read(self, n: int) -> bytes:
        return _as_bytes(self._read(n))

    def read_some(self, n: int) -> bytes:
        return _as_bytes(self._read_some(n))


def _binary_buffer(text: io.TextIOBase) -> Any:
    """The binary stream under a text-mode file (pycapnp reads and writes its descriptor)."""
    buffer = getattr(text, "buffer", None)
    if buffer is None:
        raise TypeError("a text stream without a binary buffer cannot hold a message")
    return buffer


def _as_bytes(data: Any) -> bytes:
    if isinstance(data, str):
        raise TypeError("the stream gives text, not bytes")
    return bytes(data)


def byte_source(target: Any) -> ByteSource:
    return target if isinstance(target, ByteSource) else ByteSource(target)


def write_bytes(target: Any, data: bytes) -> None:
    """Write ``data`` in full to a file, text-mode file, socket or descriptor.

    A file's buffer is flushed after the message, so the bytes reach its descriptor at once,
    as pycapnp's (which writes to the descriptor) do: a reader that opens the file again sees
    them even while this file object is still open, on PyPy too (where an object dropped
    without ``close()`` is flushed only when the collector gets to it)."""
    if isinstance(target, io.TextIOBase):
        buffer = _binary_buffer(target)
        target.flush()  # text written before the message goes first
        buffer.write(data)
        buffer.flush()
    elif hasattr(target, "write"):
        target.write(data)
        flush = getattr(target, "flush", None)
        if flush is not None:
            flush()
    elif hasattr(target, "sendall"):
        target.sendall(data)
    elif isinstance(target, int) and not isinstance(target, bool):
        view = memoryview(data)
        while view:
            view = view[os.write(target, view):]
    else:
        raise TypeError(f"cannot write a message to {type(target).__name__}")


def message_limit(traversal_limit_in_words: Optional[int]) -> int:
    """The largest message read, in words: the traversal limit, as in the reference's readers
    (the default when None)."""
    return DEFAULT_MAX_MESSAGE_WORDS if traversal_limit_in_words is None else traversal_limit_in_words


def read_framed(source: ByteSource, max_message_words: Optional[int]) -> Optional[List[memoryview]]:
    """The segments of the next framed message, or None at a clean end of the stream."""
    return read_message(source, max_message_words=message_limit(max_message_words))  # type: ignore[arg-type]


def require(segments: Optional[List[memoryview]]) -> List[memoryview]:
    """``segments``, or the error pycapnp's "Premature EOF" stands for when there are none."""
    if segments is None:
        raise EndOfStream("premature end of file: no message to read")
    return segments


def framed_messages_in(buf: Buffer) -> Iterator[Sequence[memoryview]]:
    """The segments of each framed message of ``buf``, one after another."""
    view = memoryview(buf).cast("B")
    end = view.nbytes
    at = 0
    while at < end:
        segments, at = decode_message_at(view, at)
        yield segments
