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
:func:`pack_message` does the same and matches its bytes exactly. It reads
one back in pieces too (the table's first word, the rest of the table, the
segments) and refuses a run that crosses the end of one, reading nothing
after the message: :func:`unpack_frame_at` does the same for every reader of
packed framed messages here.

Speed: each direction has two implementations, picked at import. On CPython
the encoder classifies all words at once with C-level bytes and int
operations, takes one step per zero run and per literal run longer than its
full word, and writes all the words between two such runs in two C calls (a
handful of words, a segment table say, take the word loop below, which costs
less there). The decoder expands zero and literal runs with one slice each
and runs of mixed words with cached struct formats; once a call has missed
that cache a few times (a message of varied content), the rest of its input
goes in whole stretches, one pair of formats each. On PyPy both walk the input
a word (or record) at a time into a buffer sized up front, a loop its JIT
compiles to machine code.
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
    check_message_words,
    check_segment_count,
    encode_segment_table,
    table_size,
)

__all__ = [
    "DEFAULT_MAX_WORDS",
    "pack",
    "unpack",
    "pack_message",
    "unpack_frame_at",
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
# The encoder's runs that need a step of their own: zero runs (a zero word and up
# to 255 more) and literal runs that go on past their full word (up to 255 words
# with at most one zero byte).  Every other word is a mixed word or a full word
# whose run ends at once, which the encoder writes many at a time (see
# _pack_plain).  Two patterns, each starting with a literal byte, which the
# regular expression engine finds by a fast search (one pattern with both
# alternatives is scanned position by position, about ten times slower); zero
# and non-zero tags never mix, so their matches interleave without overlapping.
_ZERO_RUN = re.compile(b"\\x00\\x00{0,255}")
_LITERAL_RUN = re.compile(
    b"\\xff[" + b"".join(b"\\x%02x" % t for t in _LITERAL_TAGS) + b"]{1,255}", re.DOTALL)
# Bytes tried, in turn, as the stand-in for the count byte of full words in
# _pack_plain; any byte found in neither the words nor their tags will do.
_MARK_CANDIDATES = bytes((0xB7, 0x9D, 0xD3, 0xA9, 0x8B, 0xE5, 0xC9, 0x97, 0xF1, 0xAD))
# translate() tables, by mark: tag 0xff to the mark and every other tag to 0; and
# the mark back to 0, every other byte to itself.
_MARK_TABLES = {m: bytes(255) + bytes((m,)) for m in _MARK_CANDIDATES}
_UNMARK_TABLES = {m: bytes.maketrans(bytes((m,)), b"\x00") for m in _MARK_CANDIDATES}


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


def pack(data: Buffer) -> bytes:
    """Pack word-aligned ``data`` exactly as the reference encoder does."""
    raw = _as_bytes(data)
    if len(raw) % 8:
        raise EncodeError(f"cannot pack {len(raw)} bytes: not a whole number of words")
    nwords = len(raw) // 8
    if nwords == 0:
        return b""
    if _WORD_LOOP or nwords <= _FEW_WORDS:
        return _pack_words(raw)
    return _pack_runs(raw, nwords)


def _pack_runs(raw: bytes, nwords: int) -> bytes:
    """CPython: classify every word with C-level operations, then emit whole runs."""
    columns = [raw[k::8] for k in range(8)]  # byte k of every word
    total = 0
    for k in range(8):
        # Byte k of every word mapped to 0 or 1 << k; OR-ing the columns (as big
        # integers, one byte per word) gives each word's tag.
        total |= int.from_bytes(columns[k].translate(_BIT_TABLES[k]), "little")
    tags = total.to_bytes(nwords, "little")
    # Each word as its tag and its 8 bytes, and with a mark (see _pack_plain) one
    # more byte: a mixed word is its record with the zero bytes removed.
    mark = next((m for m in _MARK_CANDIDATES if m not in raw and m not in tags), -1)
    width = 9 if mark < 0 else 10
    interleaved = bytearray(width * nwords)
    interleaved[0::width] = tags
    for k in range(8):
        interleaved[k + 1 :: width] = columns[k]
    if mark >= 0:
        interleaved[9::10] = tags.translate(_MARK_TABLES[mark])
    records = bytes(interleaved)
    special = [(m.start(), m.end(), True) for m in _ZERO_RUN.finditer(tags)]
    special += [(m.start(), m.end(), False) for m in _LITERAL_RUN.finditer(tags)]
    special.sort()
    out: List[bytes] = []
    done = 0  # words written
    for start, stop, zero in special:
        if start > done:
            _pack_plain(out, records, mark, tags, done, start)
        if zero:
            out.append(_ZERO_RUNS[stop - start - 1])
        else:
            at = 8 * start
            out += (b"\xff", raw[at : at + 8], _COUNTS[stop - start - 1], raw[at + 8 : 8 * stop])
        done = stop
    if done < nwords:
        _pack_plain(out, records, mark, tags, done, nwords)
    return b"".join(out)


def _pack_plain(out: List[bytes], records: bytes, mark: int, tags: bytes,
                start: int, stop: int) -> None:
    """Words ``start`` to ``stop``, none of them zero: mixed words, and full words whose
    literal run ends at once, each followed by the count byte 0.

    With a mark (a byte in neither the words nor their tags), each record ends with
    the mark for a full word and 0 for any other: deleting the zero bytes and then
    turning marks into 0 writes the whole stretch in two C calls.  Without one, the
    stretch is cut after each full word and the count bytes joined in.  ``translate``
    deletes zero bytes several times faster than ``replace`` where they are dense.
    """
    if mark >= 0:
        plain = records[10 * start : 10 * stop].translate(None, b"\x00")
        out.append(plain.translate(_UNMARK_TABLES[mark]))
        return
    full = tags.find(b"\xff", start, stop)
    pieces: List[bytes] = []
    while full >= 0:
        full += 1
        pieces.append(records[9 * start : 9 * full].translate(None, b"\x00"))
        start = full
        full = tags.find(b"\xff", start, stop)
    pieces.append(records[9 * start : 9 * stop].translate(None, b"\x00"))
    out.append(b"\x00".join(pieces))


# A count byte, and a run of zero words (its tag and count), by count.
_COUNTS = tuple(bytes((k,)) for k in range(256))
_ZERO_RUNS = tuple(bytes((0, k)) for k in range(256))


# PyPy compiles a plain loop over the words to machine code, where the bulk
# operations above (strided slices, big ints, regular expressions) stay slow.
_WORD_LOOP = PYPY
# On CPython too, up to this many words (a segment table, a small struct): the bulk
# path's fixed steps cost more than walking a few words (3 words: 3.6 us against 10).
_FEW_WORDS = 8
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
    the tags, and the run ends where this one ended, or the output bound cuts
    it there); when it matches, no Python loop walks its words.

    When the run was followed by a 0xff record, that record (its tag, count
    byte and literal words) is part of the cached run too: struct lists often
    alternate a mixed run with one full word, and one step then covers both.
    """

    __slots__ = ("size", "nbytes", "tags_at", "tags", "unpack_from", "pack", "closed")

    def __init__(self, tags: bytes, literal: Optional[int] = None) -> None:
        offsets: List[int] = []
        expected = list(tags)
        at = 0
        for t in tags:
            offsets.append(at)
            at += 1 + _POPCOUNT[t]
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
        # Unpacked bytes: the mixed words, then the 0xff record's words.
        self.nbytes = 8 * len(tags) + (8 + 8 * literal if literal is not None else 0)
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


# The output bound that means "none" for the decoding loops: more than any
# input can expand to.
_UNBOUNDED = 1 << 62


def _decode(raw: bytes, pos: int, left: int) -> Tuple[int, List[bytes], int]:
    """Whole records from ``raw[pos:]`` while their output fits in ``left`` bytes.

    Returns the position after the last record decoded, the output pieces and
    what is left of the bound. Stops at the end of the input, before an
    incomplete record, or before a record whose output would not fit (which
    :func:`_overflows` tells apart); never raises.
    """
    if _WORD_UNPACK:
        stop, words, left = _decode_words(raw, pos, left)
        return stop, ([words] if words else []), left
    return _decode_runs(raw, pos, left)


def _overflows(raw: bytes, pos: int, left: int) -> bool:
    """Whether the record at ``raw[pos]`` is known to need more than ``left`` bytes.

    A zero or literal run is known once its count byte is present (its words
    need not be), a mixed word once it is complete.
    """
    tag = raw[pos]
    rest = len(raw) - pos
    if tag == 0:
        return rest >= 2 and 8 * (raw[pos + 1] + 1) > left
    if tag == 0xFF:
        return rest >= 10 and 8 * (raw[pos + 9] + 1) > left
    return rest > _POPCOUNT[tag] and left < 8


def _limit_error(max_bytes: Optional[int], pos: int) -> LimitError:
    return LimitError(
        f"unpacked output exceeds the limit of {max_bytes} bytes at packed byte {pos}"
    )


def _unpack_records(
    raw: bytes, base: int, max_bytes: Optional[int], produced: int
) -> Tuple[int, List[bytes]]:
    """Decode whole records from ``raw``; returns (bytes consumed, pieces).

    ``base`` is the stream offset of ``raw[0]`` (for error messages);
    ``produced`` counts output already charged against ``max_bytes``.
    """
    left = _UNBOUNDED if max_bytes is None else max(0, max_bytes - produced)
    pos, pieces, left = _decode(raw, 0, left)
    if pos < len(raw) and _overflows(raw, pos, left):
        raise _limit_error(max_bytes, base + pos)
    return pos, pieces


# Like packing, unpacking on PyPy is a plain loop over the records, which
# its JIT compiles; CPython keeps the run cache below, which leaves the
# per-word work to C.
_WORD_UNPACK = PYPY
# Appended to the input of the word loop: it reads a byte for every output
# byte (multiplied by 0 for a zero byte) and a 0xff record's count byte before
# knowing the record is complete, so it may read up to 9 bytes past the end.
_READ_PAD = bytes(16)


def _decode_words(raw: bytes, start: int, left: int) -> Tuple[int, bytes, int]:
    """:func:`_decode` one record at a time into one buffer.

    The buffer starts zeroed at about twice the input (zero runs then cost
    nothing to write) and grows when a record does not fit; its capacity
    never exceeds the bound, so one comparison per record checks both the
    room left and the bound.
    """
    stop = len(raw)
    if left < _UNBOUNDED:
        # Records that fit take at most 10 packed bytes per output word (a
        # literal run's first word): copy no more of a long input than that.
        stop = min(stop, start + 10 * (left >> 3))
    src = (raw if start == 0 and stop == len(raw) else raw[start:stop]) + _READ_PAD
    end = stop - start
    cap = 2 * end + 64
    if left < cap:
        cap = left
    out = bytearray(cap)
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
                if o + grow > left:
                    break
                cap = _grow(out, o + grow, left)
            o += grow  # the buffer is already zero there
            pos += 2
        elif tag == 0xFF:
            n = src[pos + 9] << 3  # bytes of literal words after the first
            if pos + 10 + n > end:
                break
            if o + 8 + n > cap:
                if o + 8 + n > left:
                    break
                cap = _grow(out, o + 8 + n, left)
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
                if o + 8 > left:
                    break
                cap = _grow(out, o + 8, left)
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
    return start + pos, bytes(out), left - o


def _grow(out: bytearray, need: int, left: int) -> int:
    """Extend ``out`` (with zeros) to hold ``need`` bytes (at most ``left``); its new size."""
    size = max(need, 2 * len(out))
    if size > left:
        size = left
    out.extend(bytes(size - len(out)))
    return size


def _counted_record(raw: bytes, pos: int, left: int) -> Tuple[int, int]:
    """The zero run or literal run at ``raw[pos]`` (tag 0 or 0xff): its packed size and
    its output's, or (0, 0) when it is not complete or its output would not fit in
    ``left`` bytes (the decoders stop before it)."""
    end = len(raw)
    if raw[pos] == 0:
        if pos + 2 > end:
            return 0, 0
        nbytes = 8 * (raw[pos + 1] + 1)
        return (2, nbytes) if nbytes <= left else (0, 0)
    if pos + 10 > end:
        return 0, 0
    count = 8 * raw[pos + 9]
    if pos + 10 + count > end or 8 + count > left:
        return 0, 0
    return 10 + count, 8 + count


def _decode_runs(raw: bytes, pos: int, left: int) -> Tuple[int, List[bytes], int]:
    """:func:`_decode`, expanding runs of mixed words with cached struct formats."""
    out: List[bytes] = []
    append = out.append
    runs_for = _RUNS.get
    end = len(raw)
    misses = 0  # runs not found in the cache
    while pos < end and left:  # (no record fits in 0 bytes)
        tag = raw[pos]
        if tag == 0 or tag == 0xFF:
            size, nbytes = _counted_record(raw, pos, left)
            if not size:
                break
            if tag == 0:
                append(_ZERO_WORDS[:nbytes])
            elif size == 10:
                append(raw[pos + 1 : pos + 9])  # the common lone full word
            else:
                append(raw[pos + 1 : pos + 9] + raw[pos + 10 : pos + size])
            pos += size
        else:
            # A run of mixed words, up to the next special tag or partial record:
            # the loop only finds the tags; expanding is two C calls.
            for run in runs_for(tag, _NO_RUNS):
                # A cached run fits if it lies within the input and the bound,
                # the input's run ends where it ends (or the bound does), and
                # its tag bytes are equal.
                stop = pos + run.size
                nbytes = run.nbytes
                if (
                    stop <= end
                    and nbytes <= left
                    and (run.closed or stop == end or not 0 < raw[stop] < 0xFF
                         or nbytes == left)
                    and run.tags_at(raw, pos) == run.tags
                ):
                    break
            else:
                misses += 1
                if misses > _WHOLE_AFTER_MISSES:
                    # Runs of this input are seldom seen before: the rest goes in whole
                    # stretches (no run is made or looked up from here on).
                    while True:
                        at, piece, left = _decode_whole(raw, pos, left)
                        if piece is None:
                            return pos, out, left
                        append(piece)
                        pos = at
                found = _new_run(raw, pos, left)
                if found is None:
                    break
                run = found
                nbytes = run.nbytes
            append(run.pack(*run.unpack_from(raw, pos)))
            pos += run.size
        left -= nbytes
    return pos, out, left


# Making a run costs a walk of its tags and three struct compiles, worth it for runs
# that come back (a message read again, lists of one shape); a message of varied
# content brings a new run every few words (a 10 KB catalog of random prices, ids
# and list lengths: over a hundred).  After this many misses in one call, the rest
# of its input is expanded by _decode_whole instead: such a message reads twice as
# fast or more, and one read before still comes from the cache (each read caches
# up to this many runs more; the benchmark's catalog has eight).
_WHOLE_AFTER_MISSES = 8
# Packed bytes one whole stretch covers at most (its formats grow with it).
_WHOLE_MAX_BYTES = 1 << 16


# By tag, for mixed words: the read and write format fragments and the record's size.
_MIXED_STEPS: Tuple[Optional[Tuple[str, str, int]], ...] = tuple(
    None if t in (0, 0xFF) else (_READ_FRAGMENTS[t], _WRITE_FRAGMENTS[t], 1 + _POPCOUNT[t])
    for t in range(256))


def _decode_whole(raw: bytes, pos: int, left: int) -> Tuple[int, Optional[bytes], int]:
    """Whole records from ``raw[pos:]`` while their output fits in ``left`` bytes, as
    ``_decode_runs`` reads them, expanded together: one walk over the tags builds a
    read and a write format for all of them (zero runs, literal runs and mixed words
    alike), then one ``unpack_from`` and one ``pack`` do the work.

    Returns the position after the last record, their output (None when not even one
    record is complete and fits) and what is left of the bound.
    """
    end = len(raw)
    start = pos
    limit = min(end, pos + _WHOLE_MAX_BYTES)
    reads: List[str] = []
    writes: List[str] = []
    read = reads.append
    write = writes.append
    steps = _MIXED_STEPS
    while pos < limit and left:
        tag = raw[pos]
        step = steps[tag]
        if step is not None:  # a mixed word, the usual record
            r, w, size = step
            if pos + size > end or left < 8:
                break
            read(r)
            write(w)
            pos += size
            left -= 8
            continue
        size, nbytes = _counted_record(raw, pos, left)
        if not size:
            break
        if tag == 0:
            read("2x")
            write(f"{nbytes}x")
        elif size == 10:
            read("x8sx")
            write("8s")
        else:
            read(f"x8sx{size - 10}s")
            write(f"8s{size - 10}s")
        pos += size
        left -= nbytes
    if pos == start:
        return start, None, left
    fields = struct.Struct("<" + "".join(reads)).unpack_from(raw, start)
    return pos, struct.Struct("<" + "".join(writes)).pack(*fields), left


def _new_run(raw: bytes, first: int, left: int) -> Optional[_Run]:
    """The run of mixed words at ``raw[first]`` that fits in ``left`` bytes, cached.

    None if not even its first word is complete and fits.
    """
    end = len(raw)
    popcount = _POPCOUNT
    room = left >> 3  # whole words that fit
    stop = first
    tags = bytearray()
    add = tags.append
    limit = first + _MAX_MIXED_RUN_BYTES
    while stop < end and room:
        tag = raw[stop]
        if tag == 0 or tag == 0xFF or stop >= limit:
            break
        after = stop + 1 + popcount[tag]
        if after > end:
            break
        add(tag)
        stop = after
        room -= 1
    if stop == first:
        return None
    literal: Optional[int] = None
    if (
        stop + 10 <= end
        and raw[stop] == 0xFF
        and stop + 10 + 8 * raw[stop + 9] <= end
        and 8 * (raw[stop + 9] + 1) <= 8 * room
    ):
        literal = raw[stop + 9]  # a complete 0xff record follows and fits: take it too
    run = _Run(bytes(tags), literal)
    if run.closed or stop == end or not 0 < raw[stop] < 0xFF or run.nbytes == left:
        # Only runs with a known end can be matched: a closed run, one followed
        # by a special tag or the end, or one cut by the bound (matched only
        # where the bound cuts it again).
        # A new tuple, never mutated: concurrent readers stay safe.
        # Runs with their 0xff record go first: a plain run with the same
        # tags would also match, one step short.
        cached = _RUNS.get(tags[0], _NO_RUNS)
        kept = cached[: _RUNS_PER_TAG - 1]
        _RUNS[tags[0]] = (run,) + kept if run.closed else kept + (run,)
    return run


def unpack(data: Buffer, *, max_words: Optional[int] = DEFAULT_MAX_WORDS) -> bytes:
    """Unpack a complete packed buffer; truncated input raises DecodeError.

    This is for packed words without a frame (or a whole stream read as one
    piece of words); :func:`unpack_frame_at` reads one framed message as the
    reference does.
    """
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


# Reading a framed message. The reference reads a packed message as a stream
# of unpacked bytes in pieces: the table's first word (8 bytes), then the
# rest of the table, then the segments; a zero or literal run whose words go
# past the end of the piece being read is refused ("did not end cleanly on a
# segment boundary"), and nothing after the message is read. Runs may cross
# between segments (those are read as one piece). The spans below are those
# pieces.
_FIRST_WORD = 0
_TABLE_REST = 1
_SEGMENTS = 2
_DONE = 3
_SPAN_NAMES = ("the segment table's first word", "the segment table", "the message")
_COUNT = struct.Struct("<I")  # a table's first field: the segment count - 1


class _Frame:
    """Progress through one packed message: the span being unpacked and its output."""

    __slots__ = ("span", "left", "pieces")

    def __init__(self) -> None:
        self.span = _FIRST_WORD  # the span being unpacked (_DONE once complete)
        self.left = 8  # unpacked bytes this span still needs
        self.pieces: List[bytes] = []  # unpacked so far: the table, then the segments

    @property
    def started(self) -> bool:
        """Whether any record of the message has been unpacked."""
        return self.span != _FIRST_WORD or self.left != 8

    def unpacked(self) -> bytes:
        """The message's unpacked bytes: its segment table, then its segments."""
        pieces = self.pieces
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def _segments(unpacked: bytes) -> List[memoryview]:
    """The segments of a complete unpacked message, as views.

    Its table was checked against the limits and the unpacked bytes as it
    was read: here it is only read again for the sizes.
    """
    view = memoryview(unpacked)
    count = _COUNT.unpack_from(unpacked)[0] + 1
    if count == 1:
        return [view[8:]]
    pos = table_size(count)
    segments: List[memoryview] = []
    for size in struct.unpack_from(f"<{count}I", unpacked, 4):
        segments.append(view[pos : pos + 8 * size])
        pos += 8 * size
    return segments


def _advance(
    frame: _Frame,
    raw: bytes,
    pos: int,
    base: int,
    max_segments: int,
    max_message_words: Optional[int],
) -> int:
    """Unpack the message of ``frame`` from ``raw[pos:]`` as far as the input goes.

    The one reader of packed framed messages, used whole (one buffer) or in
    steps (a stream). Returns the position after the last record used; the
    message is complete when ``frame.span`` is ``_DONE``, else the input ran
    out (maybe inside a record). A run crossing the end of a span raises
    DecodeError; a table over the limits raises LimitError. ``base`` is the
    stream offset of ``raw[0]``, for error messages.
    """
    if frame.span == _FIRST_WORD and frame.left == 8 and pos < len(raw):
        size = _one_segment_size(raw, pos)
        if size >= 0:
            # The usual first word holds the whole table and no run can cross
            # its end: it is unpacked with the segments, in one step.
            _enter_segments(frame, size, max_message_words,
                            base + pos + 1 + _POPCOUNT[raw[pos]])  # (where the table ends)
            frame.left += 8
    while frame.span != _DONE:
        left = frame.left
        if left and frame.span != _SEGMENTS:
            # Table words are mixed words as a rule: decoded one at a time,
            # each costs a third of a _decode step (measured).
            word = _mixed_word(raw, pos)
            if word is not None:
                frame.pieces.append(word)
                pos += 1 + _POPCOUNT[raw[pos]]
                frame.left = left = left - 8
        if left:
            pos, pieces, left = _decode(raw, pos, left)
            frame.pieces += pieces
            frame.left = left
            if left:
                if pos < len(raw) and _overflows(raw, pos, left):
                    raise _crossing(raw, pos, base, frame)
                return pos
        _next_span(frame, max_segments, max_message_words, base + pos)
    return pos


# One-word runs by tag, for the table's words.
_WORD_RUNS: Dict[int, _Run] = {}


def _mixed_word(raw: bytes, pos: int) -> Optional[bytes]:
    """The word of a complete mixed-word record at ``raw[pos]``, else None."""
    if pos >= len(raw):
        return None
    tag = raw[pos]
    if tag == 0 or tag == 0xFF or pos + 1 + _POPCOUNT[tag] > len(raw):
        return None
    run = _WORD_RUNS.get(tag)
    if run is None:
        run = _WORD_RUNS[tag] = _Run(bytes((tag,)))
    return run.pack(*run.unpack_from(raw, pos))


def _next_span(
    frame: _Frame, max_segments: int, max_message_words: Optional[int], at: int
) -> None:
    """Move ``frame`` past its completed span; ``at`` is the stream offset reached."""
    span = frame.span
    if span == _SEGMENTS:
        frame.span = _DONE
        return
    table = frame.unpacked()
    frame.pieces = [table]
    count = _COUNT.unpack_from(table)[0] + 1
    if count >= max_segments:  # (the error's text is built only when needed)
        check_segment_count(count, max_segments, _table_end(at))
    if span == _FIRST_WORD and count > 1:
        frame.span = _TABLE_REST
        frame.left = table_size(count) - 8
        return
    total = sum(struct.unpack_from(f"<{count}I", table, 4))
    _enter_segments(frame, total, max_message_words, at)


def _enter_segments(
    frame: _Frame, total: int, max_message_words: Optional[int], at: int
) -> None:
    """Start the segments' span of ``frame``, once the table gave their ``total`` words."""
    if max_message_words is not None and total > max_message_words:
        check_message_words(total, max_message_words, _table_end(at))
    frame.span = _SEGMENTS
    frame.left = 8 * total


def _table_end(at: int) -> str:
    """Where a limit error says the table is: ``at`` is the packed offset where it ends."""
    return f"packed segment table ending at byte {at}"


# For each high nibble of a first word's tag: the shifts of its size bytes.
_SIZE_SHIFTS = [tuple(8 * k for k in range(4) if nibble >> k & 1) for nibble in range(16)]


def _one_segment_size(raw: bytes, pos: int) -> int:
    """The size in words announced by the usual first word at ``raw[pos]``, else -1.

    The usual first word (one segment, of fewer than 2**32 words) is a mixed
    word: tag bits 0-3 clear (the segment count - 1 is zero), some of bits 4-7
    set. It holds no run, so it crosses nothing and is read at once.
    """
    tag = raw[pos]
    shifts = _SIZE_SHIFTS[tag >> 4]
    if tag & 0x0F or not shifts or pos + 1 + len(shifts) > len(raw):
        return -1
    size = 0
    for shift in shifts:
        pos += 1
        size |= raw[pos] << shift
    return size


def _crossing(raw: bytes, pos: int, base: int, frame: _Frame) -> DecodeError:
    zero = raw[pos] == 0
    words = raw[pos + (1 if zero else 9)] + 1
    room = frame.left >> 3
    return DecodeError(
        "packed input did not end cleanly on a segment boundary: "
        f"{'zero' if zero else 'literal'} run of {words} words at byte {base + pos} "
        f"crosses the end of {_SPAN_NAMES[frame.span]} "
        f"({room} word{'' if room == 1 else 's'} left)"
    )


def _ended(raw: bytes, pos: int, base: int, frame: _Frame) -> DecodeError:
    """The error for input that ends before the message of ``frame`` does."""
    if pos < len(raw):
        return _truncated(_describe_partial(raw[pos:]), base + pos)
    return _truncated(
        f"{_SPAN_NAMES[frame.span]} needs {frame.left} more unpacked bytes", base + pos
    )


def unpack_frame_at(
    buf: Buffer,
    offset: int = 0,
    *,
    max_segments: int = MAX_SEGMENTS,
    max_message_words: Optional[int] = DEFAULT_MAX_MESSAGE_WORDS,
) -> Tuple[bytes, int]:
    """Unpack the framed message that starts at packed byte ``offset`` of ``buf``.

    Returns its unpacked bytes (segment table, then segments) and the packed
    offset just past it, where a following message starts; bytes after it
    are not read. As in the reference, a run crossing the end of the table's
    first word, of the table or of the message raises DecodeError, as does
    input that ends first. ``max_message_words`` bounds the segments' total
    size (checked from the table, before they are unpacked).
    """
    raw = _as_bytes(buf)
    if not 0 <= offset < len(raw):
        if offset == len(raw):
            raise _ended(raw, offset, 0, _Frame())
        raise ValueError(f"offset {offset} outside a buffer of {len(raw)} bytes")
    size = _one_segment_size(raw, offset)
    if size >= 0 and (max_message_words is None or size <= max_message_words):
        # The usual message as _advance reads it, without its bookkeeping: a
        # third of the time of a small message. Any error is left to the
        # general reader below to report.
        pos, pieces, left = _decode(raw, offset, 8 + 8 * size)
        if not left:
            return (pieces[0] if len(pieces) == 1 else b"".join(pieces)), pos
    frame = _Frame()
    pos = _advance(frame, raw, offset, 0, max_segments, max_message_words)
    if frame.span != _DONE:
        raise _ended(raw, pos, 0, frame)
    return frame.unpacked(), pos


def packed_messages_in(
    buf: Buffer,
    *,
    max_segments: int = MAX_SEGMENTS,
    max_message_words: Optional[int] = DEFAULT_MAX_MESSAGE_WORDS,
) -> Iterator[List[memoryview]]:
    """The segments of each packed framed message in ``buf``, one after another (each read
    as :func:`unpack_frame_at` reads it); a message cut short at the end raises."""
    raw = _as_bytes(buf)  # once: each step below reads the same bytes
    at = 0
    while at < len(raw):
        unpacked, at = unpack_frame_at(raw, at, max_segments=max_segments,
                                       max_message_words=max_message_words)
        yield _segments(unpacked)


def unpack_message(
    buf: Buffer,
    *,
    max_segments: int = MAX_SEGMENTS,
    max_words: Optional[int] = DEFAULT_MAX_MESSAGE_WORDS,
) -> List[memoryview]:
    """Unpack and decode one framed message (bytes after it are not read).

    ``max_words`` bounds the message's segments, in words.
    """
    unpacked, _ = unpack_frame_at(buf, max_segments=max_segments, max_message_words=max_words)
    return _segments(unpacked)


# Packed bytes moved per step into PackedMessageDecoder's window; more than
# the longest record (2 + 8 + 255 * 8 bytes), so every step makes progress.
_PACKED_STEP = 4096


class PackedMessageDecoder:
    """Incremental decoder of a stream of packed, framed messages.

    :meth:`feed` only stores packed bytes; :meth:`next_message` unpacks them
    through a window of a few KiB, each message within its own spans (as
    :func:`unpack_frame_at` reads one), so a run may not cross into the next
    message and memory stays bounded by the message size limit however much
    is fed at once. After an error every further call raises the same error.
    """

    __slots__ = ("_packed", "_window", "_at", "_consumed", "_frame", "_max_segments",
                 "_max_message_words", "_error")

    def __init__(
        self,
        *,
        max_segments: int = MAX_SEGMENTS,
        max_message_words: Optional[int] = DEFAULT_MAX_MESSAGE_WORDS,
    ) -> None:
        self._packed = bytearray()  # packed bytes fed and not yet in the window
        self._window = b""  # packed bytes being unpacked, from _at on
        self._at = 0  # position in _window of the next record
        self._consumed = 0  # stream offset of _window[0], for errors
        self._frame = _Frame()  # the message being unpacked
        self._max_segments = max_segments
        self._max_message_words = max_message_words
        self._error: Optional[DecodeError] = None  # set once the stream is known bad

    def feed(self, data: Buffer) -> None:
        """Append packed bytes from the stream."""
        if self._error is not None:
            raise self._error
        self._packed += data

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
        frame = self._frame
        packed = self._packed
        while True:
            window = self._window
            at = self._at
            if len(window) - at < _PACKED_STEP and packed:
                # Refill: the unread tail (at most one partial record when the
                # last step stopped short) and the next step of fed bytes.
                window = window[at:] + bytes(packed[:_PACKED_STEP])
                del packed[:_PACKED_STEP]
                self._consumed += at
                self._window = window
                at = 0
            self._at = _advance(
                frame, window, at, self._consumed, self._max_segments, self._max_message_words
            )
            if frame.span == _DONE:
                self._frame = _Frame()
                return _segments(frame.unpacked())
            if not packed:
                return None  # all that was fed is used, or ends inside a record

    def close(self) -> None:
        """Declare the end of the stream; raises if a message is incomplete.

        Complete messages not taken yet are no error: ``next_message`` still gives them.
        """
        if self._error is not None:
            raise self._error
        rest = self._window[self._at :] + bytes(self._packed)
        if not rest and not self._frame.started:
            return
        if not self._frame.started:
            try:
                at = 0
                while at < len(rest):
                    _, at = unpack_frame_at(rest, at, max_segments=self._max_segments,
                                            max_message_words=self._max_message_words)
                return
            except DecodeError:
                pass  # the error below says where the stream stops short
        raise _ended(rest, 0, self._consumed + self._at, self._frame)
