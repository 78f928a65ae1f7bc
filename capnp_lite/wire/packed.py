"""Packed encoding: Cap'n Proto's zero-byte compression of words.

Each word becomes a tag byte whose bit ``k`` says whether byte ``k`` is
non-zero, followed by the non-zero bytes::

    word  08 00 00 00 03 00 02 00   ->   tag 0x51, bytes 08 03 02

Two tags carry a run length byte:

* ``0x00`` (a zero word) is followed by the count (0..255) of further zero
  words;
* ``0xff`` (no zero byte) is followed by its 8 bytes and then the count
  (0..255) of words copied verbatim after it. The encoder, like the
  reference, extends such a run over the following words that hold at most
  one zero byte.

The reference writes a framed message as separate pieces (the segment table,
then each segment), so runs never cross those boundaries:
:func:`pack_message` does the same and matches its bytes exactly.

Speed: each direction has two implementations, picked at import. On CPython
the encoder classifies all words at once with C-level bytes and int
operations and then handles whole runs per step; the decoder expands zero and
literal runs with one slice each and runs of mixed words with cached struct
formats. On PyPy both walk the input a word (or record) at a time into a
buffer sized up front, a loop its JIT compiles to machine code.
"""

from __future__ import annotations

import re
import struct
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from ..errors import DecodeError, EncodeError, LimitError
from .segments import PYPY
from .framing import (
    DEFAULT_MAX_MESSAGE_WORDS,
    MAX_SEGMENTS,
    Buffer,
    MessageDecoder,
    decode_message,
    encode_segment_table,
)

__all__ = [
    "DEFAULT_MAX_WORDS",
    "pack",
    "unpack",
    "pack_message",
    "unpack_message",
    "Unpacker",
    "PackedMessageDecoder",
]

#: Default bound on unpacked output: a message at the default traversal limit
#: (8 Mi words) plus the largest segment table.
DEFAULT_MAX_WORDS = 8 * 1024 * 1024 + MAX_SEGMENTS // 2 + 1

# translate() tables mapping every non-zero byte to one bit of the tag.
_BIT_TABLES = [bytes(0 if b == 0 else 1 << k for b in range(256)) for k in range(8)]
# Tags of words that may continue a literal run: at most one zero byte.
_LITERAL_TAGS = bytes(t for t in range(256) if bin(t).count("1") >= 7)
# One step of the encoder: a zero run (the word plus up to 255 more), a
# literal run (a full word plus up to 255 words with at most one zero byte),
# or any number of words that are encoded one by one.
_RUN = re.compile(
    b"(\\x00{1,256})|(\\xff["
    + b"".join(b"\\x%02x" % t for t in _LITERAL_TAGS)
    + b"]{0,255})|[\\x01-\\xfe]+",
    re.DOTALL,
)
# Expanding a run of mixed words: per-tag struct format fragments. Reading
# the run with "x" (skip the tag) + one "<n>s" per block of adjacent non-zero
# bytes, then writing those blocks back with "<n>x" (zero bytes) between them,
# expands the whole run in two C calls; about 1.5x faster than one pack() call
# per word, and whole blocks are fewer items than single bytes.


def _blocks(tag: int) -> List[Tuple[bool, int]]:
    """The word's bytes as (non-zero?, length) blocks, lowest byte first."""
    blocks: List[Tuple[bool, int]] = []
    for k in range(8):
        bit = bool(tag >> k & 1)
        if blocks and blocks[-1][0] == bit:
            blocks[-1] = (bit, blocks[-1][1] + 1)
        else:
            blocks.append((bit, 1))
    return blocks


_READ_FRAGMENTS = [
    "x" + "".join(f"{n}s" for bit, n in _blocks(t) if bit) for t in range(256)
]
_WRITE_FRAGMENTS = [
    "".join(f"{n}s" if bit else f"{n}x" for bit, n in _blocks(t)) for t in range(256)
]
# Longer runs are split so that format strings stay small (a word is at most 8 bytes).
_MAX_MIXED_RUN_BYTES = 512 * 8
_POPCOUNT = bytes(bin(t).count("1") for t in range(256))
_ZERO_WORDS = bytes(8 * 256)
_ZERO_WORD = _ZERO_WORDS[:8]


def _as_bytes(data: Buffer) -> bytes:
    return data if isinstance(data, bytes) else bytes(data)


def _tags(data: bytes, nwords: int) -> bytes:
    """The tag byte of every word, computed without a per-word Python loop."""
    total = 0
    for k in range(8):
        # Byte k of every word, mapped to 0 or 1 << k; OR-ing the columns
        # (as big integers, one byte per word) gives each word's tag.
        column = data[k::8].translate(_BIT_TABLES[k])
        total |= int.from_bytes(column, "little")
    return total.to_bytes(nwords, "little")


def pack(data: Buffer) -> bytes:
    """Pack word-aligned ``data`` exactly as the reference encoder does."""
    raw = _as_bytes(data)
    if len(raw) % 8:
        raise EncodeError(f"cannot pack {len(raw)} bytes: not a whole number of words")
    nwords = len(raw) // 8
    if nwords == 0:
        return b""
    if _WORD_LOOP:
        return _pack_words(raw)
    return _pack_runs(raw, nwords)


def _pack_runs(raw: bytes, nwords: int) -> bytes:
    """CPython: classify every word with C-level operations, then emit whole runs."""
    tags = _tags(raw, nwords)
    # Each word as its tag followed by its 8 bytes; a run of mixed words is
    # then this interleaving with the zero bytes removed (tags are non-zero).
    interleaved = bytearray(9 * nwords)
    interleaved[0::9] = tags
    for k in range(8):
        interleaved[k + 1 :: 9] = raw[k::8]
    records = bytes(interleaved)
    out: List[bytes] = []
    append = out.append
    for match in _RUN.finditer(tags):
        start, stop = match.span()
        if match.lastindex == 1:
            append(bytes((0, stop - start - 1)))
        elif match.lastindex == 2:
            append(b"\xff")
            append(raw[8 * start : 8 * start + 8])
            append(bytes((stop - start - 1,)))
            append(raw[8 * start + 8 : 8 * stop])
        else:
            append(records[9 * start : 9 * stop].replace(b"\x00", b""))
    return b"".join(out)


# PyPy compiles a plain loop over the words to machine code, where the bulk
# operations above (strided slices, big ints, regular expressions) stay slow.
_WORD_LOOP = PYPY
# 1 for a non-zero byte: tag bits and output steps without branches.
_NONZERO = bytes([0]) + bytes([1]) * 255


def _pack_words(raw: bytes) -> bytes:
    """Pack ``raw`` (whole words, at least one) one word at a time."""
    n = len(raw)
    nz = _NONZERO
    # At most 10 output bytes per word: a literal run's first word (tag,
    # 8 bytes, count) followed by a word packed as tag and 8 bytes.
    out = bytearray((n >> 3) * 10)
    o = 0
    i = 0
    while i < n:
        b0 = raw[i]
        b1 = raw[i + 1]
        b2 = raw[i + 2]
        b3 = raw[i + 3]
        b4 = raw[i + 4]
        b5 = raw[i + 5]
        b6 = raw[i + 6]
        b7 = raw[i + 7]
        tag = (nz[b0] | nz[b1] << 1 | nz[b2] << 2 | nz[b3] << 3
               | nz[b4] << 4 | nz[b5] << 5 | nz[b6] << 6 | nz[b7] << 7)
        i += 8
        if tag == 0:
            # A zero word and the count of up to 255 more after it.
            start = i
            stop = min(n, i + 2040)
            while i < stop and raw[i : i + 8] == _ZERO_WORD:
                i += 8
            out[o] = 0
            out[o + 1] = (i - start) >> 3
            o += 2
        elif tag == 0xFF:
            # A full word, then verbatim words holding at most one zero byte.
            start = i
            stop = min(n, i + 2040)
            while i < stop and raw[i : i + 8].count(0) <= 1:
                i += 8
            out[o] = 0xFF
            out[o + 1 : o + 9] = raw[start - 8 : start]
            out[o + 9] = (i - start) >> 3
            o += 10
            if i > start:
                out[o : o + i - start] = raw[start:i]
                o += i - start
        else:
            # The tag, then the non-zero bytes: each written, kept if non-zero.
            out[o] = tag
            o += 1
            out[o] = b0
            o += nz[b0]
            out[o] = b1
            o += nz[b1]
            out[o] = b2
            o += nz[b2]
            out[o] = b3
            o += nz[b3]
            out[o] = b4
            o += nz[b4]
            out[o] = b5
            o += nz[b5]
            out[o] = b6
            o += nz[b6]
            out[o] = b7
            o += nz[b7]
    return bytes(memoryview(out)[:o])


def _truncated(what: str, pos: int) -> DecodeError:
    return DecodeError(f"packed input truncated: {what} at byte {pos}")


class Unpacker:
    """Incremental unpacker: :meth:`feed` packed bytes, :meth:`take` words.

    Incomplete records stay buffered (at most 2 + 8 + 255 * 8 bytes) until
    the rest arrives. ``max_words`` bounds the total output, so a stream of
    zero runs (256 words per 2 input bytes) cannot grow memory without bound.
    """

    __slots__ = ("_pending", "_out", "_max_bytes", "_produced", "_consumed")

    def __init__(self, *, max_words: Optional[int] = DEFAULT_MAX_WORDS) -> None:
        self._pending = b""  # packed bytes not yet decoded (an incomplete record)
        self._out: List[bytes] = []  # decoded pieces not yet taken
        self._max_bytes = None if max_words is None else max_words * 8
        self._produced = 0  # total unpacked bytes so far, for the limit
        self._consumed = 0  # packed stream offset of _pending[0], for errors

    def feed(self, data: Buffer) -> None:
        """Decode as many whole records of ``data`` as possible."""
        raw = self._pending + _as_bytes(data) if self._pending else _as_bytes(data)
        pos, pieces = _unpack_records(raw, self._consumed, self._max_bytes, self._produced)
        self._produced += sum(len(p) for p in pieces)
        self._out.extend(pieces)
        self._pending = raw[pos:]
        self._consumed += pos

    @property
    def available(self) -> int:
        """Unpacked bytes ready to :meth:`take`."""
        return sum(len(p) for p in self._out)

    def take(self) -> bytes:
        """All unpacked bytes produced so far (and not taken before)."""
        out = b"".join(self._out)
        self._out = []
        return out

    def close(self) -> None:
        """Declare the end of input; raises if a record is incomplete."""
        if self._pending:
            raise _truncated(_describe_partial(self._pending), self._consumed)


def _describe_partial(rest: bytes) -> str:
    tag = rest[0]
    if tag == 0:
        return "zero-run tag without its count byte"
    if tag == 0xFF:
        if len(rest) < 10:
            return f"0xff tag with {len(rest) - 1} of 8 bytes and its count"
        return f"literal run of {rest[9]} words with {len(rest) - 10} bytes present"
    return f"tag 0x{tag:02x} with {len(rest) - 1} of {_POPCOUNT[tag]} bytes"


class _Run:
    """A run of mixed words seen before: where its tags sit and how to expand it.

    Messages of one schema repeat the same runs.  A run starting with the same
    tag is checked against the cached ones in C (the bytes at the tag offsets equal
    the tags, and the run ends where this one ended); when it matches, no
    Python loop walks its words.

    When the run was followed by a 0xff record, that record (its tag, count
    byte and literal words) is part of the cached run too: struct lists often
    alternate a mixed run with one full word, and one step then covers both.
    """

    __slots__ = ("size", "tags_at", "tags", "unpack_from", "pack", "closed", "records")

    def __init__(self, tags: bytes, literal: Optional[int] = None) -> None:
        offsets: List[int] = []
        expected = list(tags)
        at = 0
        for t in tags:
            offsets.append(at)
            at += 1 + _POPCOUNT[t]
        # Where each record starts: the mixed words, then the 0xff record.
        self.records = tuple(offsets) + ((at,) if literal is not None else ())
        read = "".join([_READ_FRAGMENTS[t] for t in tags])
        write = "".join([_WRITE_FRAGMENTS[t] for t in tags])
        if literal is not None:
            # The 0xff tag, its 8 bytes, the count byte, then that many words.
            offsets += [at, at + 9]
            expected += [0xFF, literal]
            at += 10 + 8 * literal
            read += "x8sx" + (f"{8 * literal}s" if literal else "")
            write += "8s" + (f"{8 * literal}s" if literal else "")
        self.size = at  # packed bytes of the run
        # Reads the tag bytes of a candidate run in place (no slice, about
        # twice as fast as an itemgetter over one); what it returns for this run.
        gaps = [off - prev - 1 for prev, off in zip([-1] + offsets, offsets)]
        self.tags_at = struct.Struct(
            "<" + "".join(f"{gap}xB" if gap else "B" for gap in gaps)
        ).unpack_from
        self.tags = tuple(expected)
        self.unpack_from = struct.Struct("<" + read).unpack_from  # the non-zero bytes
        self.pack = struct.Struct("<" + write).pack  # the words, zero bytes filled in
        # A run with its 0xff record has a known end; a plain one must also be
        # followed by a special tag (or the end), as it was when cached.
        self.closed = literal is not None


# The last runs seen starting with each tag, newest first.  Several per tag,
# because list elements often alternate between a few shapes (a field whose
# value is sometimes one byte shorter) and one slot would thrash.
_RUNS: Dict[int, Tuple[_Run, ...]] = {}
_RUNS_PER_TAG = 8
_NO_RUNS: Tuple[_Run, ...] = ()


def _unpack_records(
    raw: bytes, base: int, max_bytes: Optional[int], produced: int
) -> Tuple[int, List[bytes]]:
    """Decode whole records from ``raw``; returns (bytes consumed, pieces).

    ``base`` is the stream offset of ``raw[0]`` (for error messages);
    ``produced`` counts output already charged against ``max_bytes``.
    """
    if _WORD_UNPACK:
        pos, words = _unpack_words(raw, base, max_bytes, produced)
        return pos, [words] if words else []
    return _unpack_runs(raw, base, max_bytes, produced)


def _limit_error(max_bytes: Optional[int], pos: int) -> LimitError:
    return LimitError(
        f"unpacked output exceeds the limit of {max_bytes} bytes at packed byte {pos}"
    )


# Like packing, unpacking on PyPy is a plain loop over the records, which
# its JIT compiles; CPython keeps the run cache below, which leaves the
# per-word work to C.
_WORD_UNPACK = PYPY
# Appended to the input of the word loop: it reads a byte for every output
# byte (multiplied by 0 for a zero byte) and a 0xff record's count byte before
# knowing the record is complete, so it may read up to 9 bytes past the end.
_READ_PAD = bytes(16)


def _unpack_words(
    raw: bytes, base: int, max_bytes: Optional[int], produced: int
) -> Tuple[int, bytes]:
    """Decode whole records from ``raw`` one word at a time into one buffer.

    The buffer starts zeroed at about twice the input (zero runs then cost
    nothing to write) and doubles when a record does not fit; its capacity
    never exceeds the output budget, so one comparison per record checks
    both the room left and the limit.
    """
    end = len(raw)
    budget = -1 if max_bytes is None else max_bytes - produced
    cap = 2 * end + 64
    if 0 <= budget < cap:
        cap = budget
    out = bytearray(cap)
    src = raw + _READ_PAD
    popcount = _POPCOUNT
    pos = 0
    o = 0
    while pos < end:
        tag = src[pos]
        if tag == 0:
            if pos + 2 > end:
                break
            grow = (src[pos + 1] + 1) << 3
            if o + grow > cap:
                cap = _grow(out, o + grow, budget, max_bytes, base + pos)
            o += grow  # the buffer is already zero there
            pos += 2
        elif tag == 0xFF:
            n = src[pos + 9] << 3  # bytes of literal words after the first
            if pos + 10 + n > end:
                break
            if o + 8 + n > cap:
                cap = _grow(out, o + 8 + n, budget, max_bytes, base + pos)
            out[o : o + 8] = src[pos + 1 : pos + 9]
            o += 8
            pos += 10
            if n:
                out[o : o + n] = src[pos : pos + n]
                o += n
                pos += n
        else:
            if pos + 1 + popcount[tag] > end:
                break
            if o + 8 > cap:
                cap = _grow(out, o + 8, budget, max_bytes, base + pos)
            # Byte k is the next input byte if bit k is set, else zero:
            # without branches, so every tag runs the same machine code.
            p = pos + 1
            bit = tag & 1
            out[o] = src[p] * bit
            p += bit
            bit = tag >> 1 & 1
            out[o + 1] = src[p] * bit
            p += bit
            bit = tag >> 2 & 1
            out[o + 2] = src[p] * bit
            p += bit
            bit = tag >> 3 & 1
            out[o + 3] = src[p] * bit
            p += bit
            bit = tag >> 4 & 1
            out[o + 4] = src[p] * bit
            p += bit
            bit = tag >> 5 & 1
            out[o + 5] = src[p] * bit
            p += bit
            bit = tag >> 6 & 1
            out[o + 6] = src[p] * bit
            p += bit
            bit = tag >> 7
            out[o + 7] = src[p] * bit
            pos = p + bit
            o += 8
    del out[o:]
    return pos, bytes(out)


def _grow(out: bytearray, need: int, budget: int, max_bytes: Optional[int], at: int) -> int:
    """Extend ``out`` (with zeros) to hold ``need`` bytes; returns its new size.

    Raises LimitError when ``need`` exceeds a non-negative ``budget``.
    """
    if 0 <= budget < need:
        raise _limit_error(max_bytes, at)
    size = max(need, 2 * len(out))
    if 0 <= budget < size:
        size = budget
    out.extend(bytes(size - len(out)))
    return size


def _unpack_runs(
    raw: bytes, base: int, max_bytes: Optional[int], produced: int
) -> Tuple[int, List[bytes]]:
    """Decode whole records, expanding runs of mixed words with cached struct formats."""
    out: List[bytes] = []
    append = out.append
    popcount = _POPCOUNT
    runs_for = _RUNS.get
    end = len(raw)
    pos = 0
    budget = -1 if max_bytes is None else max_bytes - produced
    while pos < end:
        tag = raw[pos]
        if tag == 0:
            if pos + 2 > end:
                break
            nbytes = 8 * (raw[pos + 1] + 1)
            piece = _ZERO_WORDS[:nbytes]
            step = 2
        elif tag == 0xFF:
            if pos + 10 > end:
                break
            stop = pos + 10 + 8 * raw[pos + 9]
            if stop > end:
                break
            if stop == pos + 10:
                piece = raw[pos + 1 : pos + 9]  # the common lone full word
            else:
                piece = raw[pos + 1 : pos + 9] + raw[pos + 10 : stop]
            nbytes = len(piece)
            step = stop - pos
        else:
            # A run of mixed words, up to the next special tag or partial record:
            # the loop only finds the tags; expanding is two C calls.
            first = pos
            cached = runs_for(tag, _NO_RUNS)
            for run in cached:
                # A cached run fits if it lies within the input, the input's
                # run ends where it ends, and its tag bytes are equal.
                stop = first + run.size
                if (
                    stop <= end
                    and (run.closed or stop == end or not 0 < raw[stop] < 0xFF)
                    and run.tags_at(raw, first) == run.tags
                ):
                    break
            else:
                stop = first
                tags = bytearray()
                add = tags.append
                limit = first + _MAX_MIXED_RUN_BYTES
                while stop < end:
                    tag = raw[stop]
                    if tag == 0 or tag == 0xFF or stop >= limit:
                        break
                    after = stop + 1 + popcount[tag]
                    if after > end:
                        break
                    add(tag)
                    stop = after
                if stop == first:
                    break
                literal: Optional[int] = None
                if stop + 10 <= end and raw[stop] == 0xFF and (
                    stop + 10 + 8 * raw[stop + 9] <= end
                ):
                    literal = raw[stop + 9]  # a complete 0xff record follows: take it too
                run = _Run(bytes(tags), literal)
                stop = first + run.size
                if run.closed or stop == end or not 0 < raw[stop] < 0xFF:
                    # Only runs with a known end can be matched.
                    # A new tuple, never mutated: concurrent readers stay safe.
                    # Runs with their 0xff record go first: a plain run with the
                    # same tags would also match, one step short.
                    kept = cached[: _RUNS_PER_TAG - 1]
                    _RUNS[tags[0]] = (run,) + kept if run.closed else kept + (run,)
            piece = run.pack(*run.unpack_from(raw, first))
            nbytes = len(piece)
            step = run.size
            if 0 <= budget < nbytes:
                # Name the record that does not fit, as a word at a time would:
                # every mixed word is 8 bytes, and the 0xff record comes last.
                records = run.records
                record = records[min(budget >> 3, len(records) - 1)]
                raise _limit_error(max_bytes, base + pos + record)
        if budget >= 0:
            if nbytes > budget:
                raise _limit_error(max_bytes, base + pos)
            budget -= nbytes
        append(piece)
        pos += step
    return pos, out


def unpack(data: Buffer, *, max_words: Optional[int] = DEFAULT_MAX_WORDS) -> bytes:
    """Unpack a complete packed buffer; truncated input raises DecodeError."""
    raw = _as_bytes(data)
    pos, pieces = _unpack_records(raw, 0, None if max_words is None else max_words * 8, 0)
    if pos != len(raw):
        raise _truncated(_describe_partial(raw[pos:]), pos)
    return b"".join(pieces)


def _pieces(segments: Sequence[Buffer]) -> Iterator[Buffer]:
    sizes: List[int] = []
    for index, segment in enumerate(segments):
        nbytes = memoryview(segment).nbytes
        if nbytes % 8:
            raise EncodeError(f"segment {index} is {nbytes} bytes, not a whole number of words")
        sizes.append(nbytes // 8)
    yield encode_segment_table(sizes)
    yield from segments


def pack_message(segments: Sequence[Buffer]) -> bytes:
    """Frame and pack ``segments``: the table and each segment packed separately."""
    return b"".join([pack(piece) for piece in _pieces(segments)])


def unpack_message(
    buf: Buffer,
    *,
    max_segments: int = MAX_SEGMENTS,
    max_words: Optional[int] = DEFAULT_MAX_WORDS,
) -> List[memoryview]:
    """Unpack and decode one framed message (bytes after it are ignored)."""
    return decode_message(unpack(buf, max_words=max_words), max_segments=max_segments)


# Packed bytes unpacked per step of PackedMessageDecoder: at most 1024 x
# expansion, so one step adds at most 4 MiB beyond the current message.
_PACKED_STEP = 4096


class PackedMessageDecoder:
    """Incremental decoder of a stream of packed, framed messages.

    :meth:`feed` only stores packed bytes; :meth:`next_message` unpacks them
    in small steps until a message is complete, so memory stays bounded by the
    message size limit plus one step however much is fed at once.
    """

    __slots__ = ("_packed", "_unpacker", "_frames")

    def __init__(
        self,
        *,
        max_segments: int = MAX_SEGMENTS,
        max_message_words: Optional[int] = DEFAULT_MAX_MESSAGE_WORDS,
    ) -> None:
        self._packed = bytearray()  # packed bytes fed and not yet unpacked
        # The per-message limit lives in the frame decoder; a long-lived
        # stream must not hit a total output limit.
        self._unpacker = Unpacker(max_words=None)
        self._frames = MessageDecoder(
            max_segments=max_segments, max_message_words=max_message_words
        )

    def feed(self, data: Buffer) -> None:
        """Append packed bytes from the stream."""
        self._packed += data

    def next_message(self) -> Optional[List[memoryview]]:
        """The next complete message, or None if more bytes are needed."""
        while True:
            message = self._frames.next_message()
            if message is not None or not self._packed:
                return message
            step = bytes(self._packed[:_PACKED_STEP])
            del self._packed[:_PACKED_STEP]
            self._unpacker.feed(step)
            self._frames.feed(self._unpacker.take())

    def close(self) -> None:
        """Declare the end of the stream; raises if a message is incomplete."""
        if self._packed:
            raise DecodeError(f"stream ended with {len(self._packed)} packed bytes unread")
        self._unpacker.close()
        self._frames.close()
