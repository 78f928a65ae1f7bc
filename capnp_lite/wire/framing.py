"""Stream framing: the segment table that precedes a message on a stream.

A framed message is::

    +-------------------+-------------------+-----+-----------+
    | count - 1 (u32le) | size 0 (u32le)    | ... | [padding] |   segment table
    +-------------------+-------------------+-----+-----------+
    | segment 0 (size 0 words) | segment 1 | ...               |   segments
    +---------------------------------------------------------+

Sizes are in 8-byte words; the table is padded with four zero bytes when the
count is even, so the segments start on a word boundary.

Decoding checks every peer-supplied number before using it: the segment count
(fewer than ``max_segments``, so a first word of ``0xffffffff`` fails at once),
the total size against ``max_message_words`` and against the bytes present.
Decoded segments are zero-copy ``memoryview`` slices of the input.

Like the C++ reader, :func:`decode_message` reads one message and ignores what
follows it; :func:`decode_message_at` also returns where the message ended so
a caller can read the next one, and ``allow_trailing=False`` refuses extra
bytes.
"""

from __future__ import annotations

import struct
from typing import BinaryIO, List, Optional, Sequence, Tuple

from ..errors import DecodeError, EncodeError, LimitError
from .segments import Buffer

__all__ = [
    "MAX_SEGMENTS",
    "DEFAULT_MAX_MESSAGE_WORDS",
    "Buffer",
    "table_size",
    "encode_segment_table",
    "encode_message",
    "decode_message",
    "decode_message_at",
    "few_segments",
    "decode_flat",
    "read_message",
    "write_message",
    "MessageDecoder",
]

#: C++ refuses messages with this many segments or more.
MAX_SEGMENTS = 512
#: Default size limit for messages read from a stream: the C++ default
#: traversal limit (8 Mi words, 64 MiB), which its stream reader also applies.
DEFAULT_MAX_MESSAGE_WORDS = 8 * 1024 * 1024

_U32 = struct.Struct("<I")
# A one-segment message's table: the segment count - 1 (0) and the size.
_TWO_U32 = struct.Struct("<II")
# Reading a file in bounded chunks keeps memory proportional to the bytes that
# really arrive, whatever size a hostile table announces.
_READ_CHUNK = 1 << 20


def table_size(segment_count: int) -> int:
    """Bytes taken by the segment table of a message with ``segment_count`` segments."""
    # 4 bytes of count plus 4 per segment, rounded up to a whole word.
    return (segment_count // 2 + 1) * 8


def _as_view(buf: Buffer) -> memoryview:
    view = buf if isinstance(buf, memoryview) else memoryview(buf)
    if view.ndim != 1 or view.itemsize != 1:
        view = view.cast("B")
    return view


# The two limit checks on a segment table, shared with the packed reader so
# both word their errors alike; ``where`` names the table.
def check_segment_count(count: int, max_segments: int, where: str) -> None:
    if count >= max_segments:
        raise LimitError(
            f"segment table announces {count} segments; the limit is fewer than "
            f"{max_segments} ({where})"
        )


def check_message_words(total_words: int, max_message_words: Optional[int], where: str) -> None:
    if max_message_words is not None and total_words > max_message_words:
        raise LimitError(
            f"message of {total_words} words exceeds the limit of {max_message_words} "
            f"words ({where})"
        )


def encode_segment_table(sizes: Sequence[int]) -> bytes:
    """The segment table for segments of ``sizes`` words (padding included)."""
    count = len(sizes)
    if count == 0:
        raise EncodeError("a message needs at least one segment")
    if count > 0xFFFFFFFF:
        raise EncodeError(f"too many segments to frame: {count}")
    for index, size in enumerate(sizes):
        if not 0 <= size <= 0xFFFFFFFF:
            raise EncodeError(f"segment {index} size {size} words does not fit in 32 bits")
    words = [count - 1, *sizes]
    if count % 2 == 0:
        words.append(0)
    return struct.pack(f"<{len(words)}I", *words)


def encode_message(segments: Sequence[Buffer]) -> bytes:
    """Frame ``segments`` (each a whole number of words) as one stream message."""
    sizes: List[int] = []
    for index, segment in enumerate(segments):
        nbytes = _as_view(segment).nbytes
        if nbytes % 8:
            raise EncodeError(f"segment {index} is {nbytes} bytes, not a whole number of words")
        sizes.append(nbytes // 8)
    table = encode_segment_table(sizes)
    # One join: a single allocation for the whole message.
    return b"".join([table, *segments])


def decode_message_at(
    buf: Buffer,
    offset: int = 0,
    *,
    max_segments: int = MAX_SEGMENTS,
    max_message_words: Optional[int] = None,
) -> Tuple[List[memoryview], int]:
    """Decode the message that starts at byte ``offset`` of ``buf``.

    Returns the segments (views into ``buf``) and the byte offset just past
    the message, where a following message would start.
    """
    view = _as_view(buf)
    end = view.nbytes
    if offset < 0 or offset > end:
        raise ValueError(f"offset {offset} outside a buffer of {end} bytes")
    if end - offset < 4:
        raise DecodeError(
            f"message ends prematurely in segment table: {end - offset} bytes at byte "
            f"{offset}, need 4 for the segment count"
        )
    count = _U32.unpack_from(view, offset)[0] + 1
    check_segment_count(count, max_segments, f"segment table at byte {offset}")
    tsize = table_size(count)
    if end - offset < tsize:
        raise DecodeError(
            f"message ends prematurely in segment table: {count} segments need a "
            f"{tsize}-byte table at byte {offset}, only {end - offset} bytes present"
        )
    sizes = struct.unpack_from(f"<{count}I", view, offset + 4)
    total_words = sum(sizes)
    check_message_words(total_words, max_message_words, f"segment table at byte {offset}")
    pos = offset + tsize
    segments: List[memoryview] = []
    for index, size in enumerate(sizes):
        stop = pos + size * 8
        if stop > end:
            raise DecodeError(
                f"message ends prematurely in segment {index}: it needs {size} words at "
                f"byte {pos}, only {(end - pos) // 8} whole words present"
            )
        segments.append(view[pos:stop])
        pos = stop
    return segments, pos


def decode_message(
    buf: Buffer,
    *,
    max_segments: int = MAX_SEGMENTS,
    max_message_words: Optional[int] = None,
    allow_trailing: bool = True,
) -> List[memoryview]:
    """Decode one framed message from ``buf``; segments are views into ``buf``.

    Bytes after the message are ignored, as the C++ reader does, unless
    ``allow_trailing`` is false. ``max_message_words`` (default: no limit
    beyond the buffer itself) bounds the total segment size.
    """
    segments, end = decode_message_at(
        buf, 0, max_segments=max_segments, max_message_words=max_message_words
    )
    if not allow_trailing:
        total = _as_view(buf).nbytes
        if end != total:
            raise DecodeError(f"{total - end} trailing bytes after the message at byte {end}")
    return segments


#: Segment counts that :func:`few_segments` reads; a frame of more takes the general decoder.
FEW_SEGMENTS = 16
# The table of a frame of n segments after its count: n sizes (index n).
_SIZES = [struct.Struct(f"<{n}I") for n in range(FEW_SEGMENTS + 1)]


def few_segments(buf: bytes, limit: int) -> Optional[List[bytes]]:
    """The segments of the frame at the start of ``buf``, as ``bytes`` copies, when it is
    an intact frame of at most :data:`FEW_SEGMENTS` segments and ``limit`` bytes (its
    table included); else None: the caller then hands the buffer to
    :func:`decode_message`, which reads any frame and reports what is wrong with it.

    Messages over 1024 words from the reference builder come in several segments (its
    first segment holds 1024 words); this reads them without the general decoder's views,
    and its bytes copies decode Text from ``bytes`` slices, which is cheaper.
    """
    n = len(buf)
    if n < 16:
        return None
    count = _U32.unpack_from(buf, 0)[0] + 1
    if count > FEW_SEGMENTS:
        return None
    pos = table_size(count)
    if pos > n:
        return None
    sizes = _SIZES[count].unpack_from(buf, 4)
    end = pos + (sum(sizes) << 3)
    if end > n or end > limit:
        return None
    out: List[bytes] = []
    for size in sizes:
        start = pos
        pos += size << 3
        out.append(buf[start:pos])
    return out


def decode_flat(buf: Buffer) -> List[memoryview]:
    """An unframed ("flat") message: the whole buffer is segment 0."""
    view = _as_view(buf)
    if view.nbytes % 8:
        raise DecodeError(f"flat message of {view.nbytes} bytes is not a whole number of words")
    return [view]


def _read_exactly(
    file: BinaryIO, size: int, what: str, *, eof_ok: bool = False
) -> Optional[bytes]:
    """Read ``size`` bytes; DecodeError if cut short (None at once if ``eof_ok``)."""
    chunks: List[bytes] = []
    got = 0
    while got < size:
        chunk = file.read(min(size - got, _READ_CHUNK))
        if not chunk:
            if got == 0 and eof_ok:
                return None
            raise DecodeError(
                f"premature end of file in {what}: "
                f"{got} of {size} bytes read"
            )
        chunks.append(chunk)
        got += len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_message(
    file: BinaryIO,
    *,
    max_segments: int = MAX_SEGMENTS,
    max_message_words: Optional[int] = DEFAULT_MAX_MESSAGE_WORDS,
) -> Optional[List[memoryview]]:
    """Read one framed message from a binary file.

    Returns None at a clean end of file (no byte of a new message), so a loop
    can read several messages. The table is checked against the limits before
    the body is read, and the body is read in bounded chunks.
    """
    head = _read_exactly(file, 4, "segment table", eof_ok=True)
    if head is None:
        return None
    count = _U32.unpack(head)[0] + 1
    check_segment_count(count, max_segments, "segment table")
    rest = _read_exactly(file, table_size(count) - 4, "segment table")
    assert rest is not None
    sizes = struct.unpack_from(f"<{count}I", head + rest, 4)
    total_words = sum(sizes)
    check_message_words(total_words, max_message_words, "segment table")
    body = _read_exactly(file, total_words * 8, "message body") if total_words else b""
    assert body is not None
    view = memoryview(body)
    segments: List[memoryview] = []
    pos = 0
    for size in sizes:
        segments.append(view[pos : pos + size * 8])
        pos += size * 8
    return segments


def write_message(file: BinaryIO, segments: Sequence[Buffer]) -> None:
    """Write ``segments`` to a binary file as one framed message."""
    file.write(encode_message(segments))


class MessageDecoder:
    """Incremental (sans-I/O) decoder of framed messages.

    Feed it bytes in any pieces, down to one byte at a time, and take complete
    messages out with :meth:`next_message`, which returns None when more bytes
    are needed. Nothing is allocated from the announced sizes: the buffer only
    ever holds bytes that were fed. Limits are checked as soon as the segment
    count and the table are complete. After an error the decoder is broken and
    every further call raises the same error.
    """

    __slots__ = ("_buf", "_pos", "_max_segments", "_max_message_words", "_sizes", "_need",
                 "_error", "_consumed")

    def __init__(
        self,
        *,
        max_segments: int = MAX_SEGMENTS,
        max_message_words: Optional[int] = DEFAULT_MAX_MESSAGE_WORDS,
    ) -> None:
        # Bytes fed; those before _pos are already returned.  Consumed bytes are
        # dropped once per feed, not once per message, so a read holding many
        # small messages costs one move of its tail, not one per message.
        self._buf = bytearray()
        self._pos = 0
        self._max_segments = max_segments
        self._max_message_words = max_message_words
        self._sizes: Optional[Tuple[int, ...]] = None  # segment sizes once the table is read
        self._need = 4  # bytes the current message needs (from _pos) before the next step
        self._error: Optional[DecodeError] = None  # set once the stream is known bad
        self._consumed = 0  # stream offset of _buf[_pos], for error messages

    @property
    def buffered(self) -> int:
        """Bytes fed that are not yet part of a returned message."""
        return len(self._buf) - self._pos

    def feed(self, data: Buffer) -> None:
        """Append bytes from the stream."""
        if self._error is not None:
            raise self._error
        if self._pos:
            del self._buf[: self._pos]
            self._pos = 0
        self._buf += data

    def next_message(self) -> Optional[List[memoryview]]:
        """The next complete message, or None if more bytes are needed."""
        if self._error is not None:
            raise self._error
        try:
            return self._step()
        except DecodeError as exc:
            self._error = exc
            raise

    def _step(self) -> Optional[List[memoryview]]:
        buf = self._buf
        pos = self._pos
        have = len(buf) - pos
        if have < self._need:
            return None
        sizes = self._sizes
        if sizes is None:
            count = _U32.unpack_from(buf, pos)[0] + 1
            if count == 1 and have >= 8:
                # The common case: one segment, its size in the same word.
                size = _U32.unpack_from(buf, pos + 4)[0]
                if self._max_message_words is not None and size > self._max_message_words:
                    check_message_words(size, self._max_message_words,
                                 f"segment table at stream byte {self._consumed}")
                total = 8 + 8 * size
                if have < total:
                    self._sizes = (size,)
                    self._need = total
                    return None
                body = memoryview(buf[pos + 8 : pos + total]).toreadonly()
                self._pos = pos + total
                self._consumed += total
                return [body]
            where = f"segment table at stream byte {self._consumed}"
            check_segment_count(count, self._max_segments, where)
            tsize = table_size(count)
            if have < tsize:
                self._need = tsize
                return None
            sizes = struct.unpack_from(f"<{count}I", buf, pos + 4)
            check_message_words(sum(sizes), self._max_message_words, where)
            self._sizes = sizes
            self._need = tsize + 8 * sum(sizes)
            if have < self._need:
                return None
        total = self._need
        # One copy out of the buffer (a bytearray slice), so the returned views
        # stay valid while the buffer goes on receiving bytes.
        body = memoryview(buf[pos + table_size(len(sizes)) : pos + total]).toreadonly()
        self._pos = pos + total
        self._consumed += total
        self._sizes = None
        self._need = 4
        if len(sizes) == 1:
            return [body]
        segments: List[memoryview] = []
        at = 0
        for size in sizes:
            segments.append(body[at : at + size * 8])
            at += size * 8
        return segments

    def close(self) -> None:
        """Declare the end of the stream; raises if a message is incomplete."""
        if self._error is not None:
            raise self._error
        if self.buffered:
            state = "segment table" if self._sizes is None else "message body"
            raise DecodeError(
                f"stream ended inside a message ({state}): {self.buffered} of "
                f"{self._need} bytes at stream byte {self._consumed}"
            )

    def whole_messages(self, data: bytes) -> Optional[List[memoryview]]:
        """The messages of ``data`` read in place, when it holds nothing but whole one-segment
        messages (the usual read from a socket) and the decoder holds no part of one.

        Each message is returned as its segment, a read-only view of ``data`` (no copy), and
        the decoder counts the bytes as consumed, so its later errors still name the right
        stream offset.  Anything else (a partial or multi-segment message, a size over the
        decoder's limit, a broken decoder, ``data`` not exactly ``bytes``) returns None and
        changes nothing: :meth:`feed` ``data`` instead.
        """
        # Only immutable bytes: views of a bytearray would change when the caller reuses it.
        # A decoder holding no byte also holds no segment table (_sizes is None).
        if type(data) is not bytes or self._error is not None or self._pos != len(self._buf):
            return None
        end = len(data)
        limit = self._max_message_words
        view = memoryview(data)
        out: List[memoryview] = []
        pos = 0
        while pos < end:
            if pos + 8 > end:
                return None
            count, size = _TWO_U32.unpack_from(data, pos)
            stop = pos + 8 + 8 * size
            if count or stop > end or (limit is not None and size > limit):
                return None
            out.append(view[pos + 8 : stop])
            pos = stop
        self._consumed += end
        return out


# The function form, for callers holding a decoder: ``whole_messages(decoder, data)`` is
# ``decoder.whole_messages(data)`` (the same function, so no extra call).
whole_messages = MessageDecoder.whole_messages
