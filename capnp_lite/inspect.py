"""X-ray of a Cap'n Proto message: the segment table and every reachable pointer.

``python -m capnp_lite inspect [--packed | --flat] FILE`` prints the framing
and walks the message from the root pointer without a schema, showing each
struct's data words and each pointer word with its decoded meaning.

The framing and the pointer words are described DECLARATIVELY with the
``construct`` package (the optional extra ``capnp-lite[inspect]``), and the
walk does its own bounds checks. Nothing here uses the hand-written pointer
layer in ``capnp_lite.wire``: this module is an independent oracle that tests
of that layer can compare against, through :func:`walk_message` and the
descriptions ``SEGMENT_TABLE``, ``POINTER``, ``STRUCT_POINTER``,
``LIST_POINTER``, ``FAR_POINTER``, ``OTHER_POINTER`` and ``TAG_WORD``
(attributes of this module, built on first use).

Pointer words, as 64-bit little-endian integers (bit 0 on the right)::

    struct  [ptr count:16][data words:16][offset:30 signed][0 0]
    list    [count:29][elem size:3]      [offset:30 signed][0 1]
    far     [segment id:32]              [pad offset:29][dbl][1 0]
    other   [capability index:32]        [0:30]              [1 1]

Offsets count words from the end of the pointer word. A struct-shaped "tag"
word starts an inline-composite list; its offset field is the element count.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from .errors import DecodeError, LimitError

__all__ = [
    "DEFAULT_TRAVERSAL_LIMIT",
    "DEFAULT_NESTING_LIMIT",
    "ELEMENT_SIZES",
    "MissingConstruct",
    "PointerItem",
    "StructItem",
    "ListItem",
    "Item",
    "parse_segment_table",
    "split_segments",
    "decode_pointer",
    "walk_message",
    "format_items",
    "main",
]

DEFAULT_TRAVERSAL_LIMIT = 8 * 1024 * 1024  # words, as C++'s ReaderOptions
DEFAULT_NESTING_LIMIT = 64
MAX_SEGMENTS = 512  # C++ refuses this many segments or more

#: List element size codes (bits 32-34 of a list pointer).
ELEMENT_SIZES = ("void", "bit", "byte", "2 bytes", "4 bytes", "8 bytes", "pointer", "composite")
# Data bits per element for the non-pointer, non-composite sizes.
_ELEMENT_BITS = (0, 1, 8, 16, 32, 64)
_KINDS = ("struct", "list", "far", "other")
_CONSTRUCT_NAMES = (
    "SEGMENT_TABLE",
    "POINTER",
    "STRUCT_POINTER",
    "LIST_POINTER",
    "FAR_POINTER",
    "OTHER_POINTER",
    "TAG_WORD",
)
# How many bytes of a primitive list the printout shows.
_SHOW_BYTES = 64


class MissingConstruct(ImportError):
    """The optional ``construct`` package is not installed."""


# --- the declarative descriptions ------------------------------------------

_DESCRIPTIONS: Dict[str, Any] = {}


def _build_descriptions() -> Dict[str, Any]:
    try:
        import construct as cs  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError as exc:
        raise MissingConstruct(
            "the inspect tool needs the 'construct' package: "
            "pip install 'capnp-lite[inspect]'"
        ) from exc
    this = cs.this

    # Segment table: (count - 1), then count sizes in words, padded to a word.
    # The Check runs before the sizes are read, so a count of 2**32 fails at
    # once instead of reading (or allocating) billions of entries.
    segment_table = cs.Struct(
        "count_minus_one" / cs.Int32ul,
        "count" / cs.Computed(this.count_minus_one + 1),
        cs.Check(this.count < MAX_SEGMENTS),
        "sizes" / cs.Array(this.count, cs.Int32ul),
        "padding" / cs.If(this.count % 2 == 0, cs.Bytes(4)),
    )

    # Each pointer form as a BitStruct over the byte-swapped (big-endian)
    # word, so fields are listed from bit 63 down to bit 0.
    def word(*fields: Any) -> Any:
        return cs.ByteSwapped(cs.BitStruct(*fields))

    struct_pointer = word(
        "pointer_count" / cs.BitsInteger(16),
        "data_words" / cs.BitsInteger(16),
        "offset" / cs.BitsInteger(30, signed=True),
        "kind" / cs.BitsInteger(2),
    )
    list_pointer = word(
        "count" / cs.BitsInteger(29),
        "element_size" / cs.BitsInteger(3),
        "offset" / cs.BitsInteger(30, signed=True),
        "kind" / cs.BitsInteger(2),
    )
    far_pointer = word(
        "segment" / cs.BitsInteger(32),
        "pad_offset" / cs.BitsInteger(29),
        "double" / cs.Flag,
        "kind" / cs.BitsInteger(2),
    )
    other_pointer = word(
        "index" / cs.BitsInteger(32),
        "reserved" / cs.BitsInteger(30),
        "kind" / cs.BitsInteger(2),
    )
    tag_word = word(
        "pointer_count" / cs.BitsInteger(16),
        "data_words" / cs.BitsInteger(16),
        "element_count" / cs.BitsInteger(30),
        "kind" / cs.BitsInteger(2),
    )
    pointer = cs.Struct(
        "raw" / cs.Peek(cs.Int64ul),
        "kind" / cs.Computed(this.raw & 3),
        "fields" / cs.Switch(
            this.kind, {0: struct_pointer, 1: list_pointer, 2: far_pointer, 3: other_pointer}
        ),
    )
    return {
        "construct": cs,
        "SEGMENT_TABLE": segment_table,
        "POINTER": pointer,
        "STRUCT_POINTER": struct_pointer,
        "LIST_POINTER": list_pointer,
        "FAR_POINTER": far_pointer,
        "OTHER_POINTER": other_pointer,
        "TAG_WORD": tag_word,
    }


def _descriptions() -> Dict[str, Any]:
    if not _DESCRIPTIONS:
        _DESCRIPTIONS.update(_build_descriptions())
    return _DESCRIPTIONS


def __getattr__(name: str) -> Any:
    # The construct descriptions are module attributes built on first access,
    # so importing this module works without the optional dependency.
    if name in _CONSTRUCT_NAMES:
        return _descriptions()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _plain(container: Any) -> Dict[str, Any]:
    """A construct Container as a plain dict, without its private keys."""
    return {k: v for k, v in container.items() if not k.startswith("_")}


# --- framing ----------------------------------------------------------------


def parse_segment_table(buf: bytes) -> Tuple[List[int], int]:
    """Segment sizes (in words) and the table's length in bytes."""
    d = _descriptions()
    cs = d["construct"]
    if len(buf) >= 4:
        count = int.from_bytes(buf[:4], "little") + 1
        if count >= MAX_SEGMENTS:
            raise LimitError(
                f"segment table announces {count} segments; the limit is fewer than "
                f"{MAX_SEGMENTS} (segment table at byte 0)"
            )
    try:
        table = d["SEGMENT_TABLE"].parse(buf)
    except cs.ConstructError as exc:
        raise DecodeError(
            f"message ends prematurely in segment table ({len(buf)} bytes): "
            f"{str(exc).splitlines()[-1]}"
        ) from None
    sizes = [int(s) for s in table.sizes]
    return sizes, 4 + 4 * len(sizes) + (4 if len(sizes) % 2 == 0 else 0)


def split_segments(buf: bytes) -> Tuple[List[int], List[bytes]]:
    """Parse a framed message: segment sizes and the segments' bytes."""
    sizes, pos = parse_segment_table(buf)
    segments: List[bytes] = []
    for index, size in enumerate(sizes):
        stop = pos + 8 * size
        if stop > len(buf):
            raise DecodeError(
                f"message ends prematurely in segment {index}: it needs {size} words at "
                f"byte {pos}, only {(len(buf) - pos) // 8} whole words present"
            )
        segments.append(buf[pos:stop])
        pos = stop
    return sizes, segments


# --- the walk ---------------------------------------------------------------


@dataclass(frozen=True)
class PointerItem:
    """A pointer word (or a far pointer's landing pad / tag word)."""

    label: str  # "root", "ptr[i]", "[i]" (list element), "pad", "tag"
    depth: int  # indentation level in the printout
    segment: int  # where the pointer word lives
    word: int
    raw: int  # the word as a little-endian u64
    kind: str  # "null", "struct", "list", "far", "capability", "other"
    fields: Dict[str, Any]  # decoded bit fields from the construct description
    target: Optional[Tuple[int, int]]  # (segment, word) the pointer refers to, if any


@dataclass(frozen=True)
class StructItem:
    """A struct's body: its data words and how many pointers follow them."""

    label: str
    depth: int
    segment: int
    word: int  # first word of the data section
    data: Tuple[int, ...]  # data words as little-endian u64s
    pointer_count: int


@dataclass(frozen=True)
class ListItem:
    """A list's body (for composite lists: the first word after the tag)."""

    label: str
    depth: int
    segment: int
    word: int
    element_size: str  # one of ELEMENT_SIZES
    count: int  # elements
    words: int  # words of content (tag excluded)
    data: bytes  # the content of non-pointer, non-composite lists
    text: Optional[str]  # byte lists that look like NUL-terminated UTF-8 text


Item = Union[PointerItem, StructItem, ListItem]


def decode_pointer(word: bytes) -> Tuple[str, Dict[str, Any]]:
    """Kind name and bit fields of one 8-byte pointer word."""
    parsed = _descriptions()["POINTER"].parse(word)
    fields = _plain(parsed.fields)
    if parsed.raw == 0:
        return "null", fields
    kind = _KINDS[parsed.kind]
    if kind == "other" and fields["reserved"] == 0:
        kind = "capability"
    return kind, fields


def _looks_like_text(data: bytes) -> Optional[str]:
    if not data or data[-1] != 0 or 0 in data[:-1]:
        return None
    try:
        text = data[:-1].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ch < " " and ch not in "\t\n\r" for ch in text):
        return None
    return text


class _Walker:
    """Depth-first walk with C++'s read limits: traversal words and nesting."""

    def __init__(self, segments: Sequence[bytes], traversal_limit: int) -> None:
        self.segments = [bytes(s) for s in segments]  # each a whole number of words
        self.budget = traversal_limit  # words that may still be read
        self.limit = traversal_limit

    def charge(self, words: int, segment: int, word: int) -> None:
        self.budget -= words
        if self.budget < 0:
            raise LimitError(
                f"traversal limit of {self.limit} words exceeded (aliased or amplified "
                f"data?)",
                segment=segment,
                offset=word,
            )

    def word_bytes(self, segment: int, word: int) -> bytes:
        return self.segments[segment][8 * word : 8 * word + 8]

    def seg_words(self, segment: int) -> int:
        return len(self.segments[segment]) // 8

    def pointer(
        self, label: str, depth: int, segment: int, word: int, nesting: int
    ) -> Iterator[Item]:
        """The pointer at (segment, word) and everything it reaches."""
        kind, fields = decode_pointer(self.word_bytes(segment, word))
        raw = int.from_bytes(self.word_bytes(segment, word), "little")
        if kind in ("null", "capability", "other"):
            yield PointerItem(label, depth, segment, word, raw, kind, fields, None)
            return
        if kind != "far":
            target = word + 1 + fields["offset"]
            yield PointerItem(label, depth, segment, word, raw, kind, fields, (segment, target))
            yield from self.object(kind, fields, depth + 1, segment, target, word, nesting)
            return
        pad_segment = fields["segment"]
        pad_word = fields["pad_offset"]
        yield PointerItem(label, depth, segment, word, raw, kind, fields, (pad_segment, pad_word))
        if pad_segment >= len(self.segments) or (pad_segment and not self.seg_words(pad_segment)):
            # (an empty segment is unknown to the reference too)
            raise DecodeError(
                f"far pointer to unknown segment {pad_segment} (message has "
                f"{len(self.segments)})",
                segment=segment,
                offset=word,
            )
        pad_words = 2 if fields["double"] else 1
        if pad_word + pad_words > self.seg_words(pad_segment):
            raise DecodeError(
                f"far pointer landing pad at word {pad_word} ({pad_words} words) is outside "
                f"segment {pad_segment} of {self.seg_words(pad_segment)} words",
                segment=segment,
                offset=word,
            )
        self.charge(pad_words, segment, word)  # the reference charges the pad's words
        if not fields["double"]:
            pad_kind, _ = decode_pointer(self.word_bytes(pad_segment, pad_word))
            if pad_kind == "far":
                raise DecodeError(
                    "far pointer landing pad is another far pointer",
                    segment=pad_segment,
                    offset=pad_word,
                )
            yield from self.pointer("pad", depth + 1, pad_segment, pad_word, nesting)
            return
        # Double far: the pad is a far pointer to the content, then a tag
        # word describing the object (its offset is unused).
        inner_kind, inner = decode_pointer(self.word_bytes(pad_segment, pad_word))
        inner_raw = int.from_bytes(self.word_bytes(pad_segment, pad_word), "little")
        if inner_kind != "far":
            raise DecodeError(
                f"double-far landing pad must start with a far pointer, found {inner_kind}",
                segment=pad_segment,
                offset=pad_word,
            )
        content_segment = inner["segment"]
        content_word = inner["pad_offset"]
        yield PointerItem(
            "pad", depth + 1, pad_segment, pad_word, inner_raw, "far", inner,
            (content_segment, content_word),
        )
        if content_segment >= len(self.segments) or (
                content_segment and not self.seg_words(content_segment)):
            raise DecodeError(
                f"double-far pointer to unknown segment {content_segment}",
                segment=pad_segment,
                offset=pad_word,
            )
        tag_kind, tag = decode_pointer(self.word_bytes(pad_segment, pad_word + 1))
        tag_raw = int.from_bytes(self.word_bytes(pad_segment, pad_word + 1), "little")
        yield PointerItem(
            "tag", depth + 1, pad_segment, pad_word + 1, tag_raw, tag_kind, tag,
            (content_segment, content_word),
        )
        if tag_kind not in ("struct", "list"):
            raise DecodeError(
                f"double-far tag word must be a struct or list pointer, found {tag_kind}",
                segment=pad_segment,
                offset=pad_word + 1,
            )
        yield from self.object(
            tag_kind, tag, depth + 2, content_segment, content_word, pad_word + 1, nesting
        )

    def object(
        self,
        kind: str,
        fields: Dict[str, Any],
        depth: int,
        segment: int,
        target: int,
        pointer_word: int,
        nesting: int,
    ) -> Iterator[Item]:
        """The struct or list at (segment, target) that a pointer describes."""
        if nesting <= 0:
            raise LimitError(
                "message is too deeply nested or contains cycles",
                segment=segment,
                offset=pointer_word,
            )
        if kind == "struct":
            yield from self.struct(
                "struct", depth, segment, target, fields["data_words"],
                fields["pointer_count"], pointer_word, nesting - 1, check=True,
            )
        else:
            yield from self.list(fields, depth, segment, target, pointer_word, nesting - 1)

    def bounds(self, what: str, segment: int, start: int, words: int, pointer_word: int) -> None:
        if start < 0 or start + words > self.seg_words(segment):
            raise DecodeError(
                f"out-of-bounds {what}: words {start}..{start + words} of a "
                f"{self.seg_words(segment)}-word segment",
                segment=segment,
                offset=pointer_word,
            )

    def struct(
        self,
        label: str,
        depth: int,
        segment: int,
        start: int,
        data_words: int,
        pointer_count: int,
        pointer_word: int,
        nesting: int,
        *,
        check: bool,
    ) -> Iterator[Item]:
        if check:
            self.bounds("struct pointer", segment, start, data_words + pointer_count, pointer_word)
            self.charge(data_words + pointer_count, segment, pointer_word)
        seg = self.segments[segment]
        data = tuple(
            int.from_bytes(seg[8 * (start + i) : 8 * (start + i) + 8], "little")
            for i in range(data_words)
        )
        yield StructItem(label, depth, segment, start, data, pointer_count)
        for i in range(pointer_count):
            yield from self.pointer(f"ptr[{i}]", depth + 1, segment, start + data_words + i, nesting)

    def list(
        self,
        fields: Dict[str, Any],
        depth: int,
        segment: int,
        target: int,
        pointer_word: int,
        nesting: int,
    ) -> Iterator[Item]:
        size_code = fields["element_size"]
        count = fields["count"]
        size = ELEMENT_SIZES[size_code]
        if size == "composite":
            yield from self.composite(depth, segment, target, count, pointer_word, nesting)
            return
        if size == "pointer":
            words = count
        else:
            words = (count * _ELEMENT_BITS[size_code] + 63) // 64
        self.bounds("list pointer", segment, target, words, pointer_word)
        # Zero-sized elements still cost a word each, so a huge void list
        # cannot be "read" for free.
        self.charge(max(words, count) if size == "void" else words, segment, pointer_word)
        seg = self.segments[segment]
        data = b"" if size == "pointer" else seg[8 * target : 8 * (target + words)]
        if size == "byte":
            data = data[:count]
        text = _looks_like_text(data) if size == "byte" else None
        yield ListItem("list", depth, segment, target, size, count, words, data, text)
        if size == "pointer":
            for i in range(count):
                yield from self.pointer(f"[{i}]", depth + 1, segment, target + i, nesting)

    def composite(
        self,
        depth: int,
        segment: int,
        target: int,
        word_count: int,
        pointer_word: int,
        nesting: int,
    ) -> Iterator[Item]:
        self.bounds("inline-composite list", segment, target, word_count + 1, pointer_word)
        tag_kind, tag = decode_pointer(self.word_bytes(segment, target))
        tag_raw = int.from_bytes(self.word_bytes(segment, target), "little")
        if tag_kind not in ("struct", "null"):
            raise DecodeError(
                f"inline-composite list tag is a {tag_kind} pointer, not a struct tag",
                segment=segment,
                offset=target,
            )
        tag = _plain(_descriptions()["TAG_WORD"].parse(self.word_bytes(segment, target)))
        yield PointerItem("tag", depth, segment, target, tag_raw, "tag", tag, None)
        count = tag["element_count"]
        per = tag["data_words"] + tag["pointer_count"]
        if count * per > word_count:
            raise DecodeError(
                f"inline-composite list elements overrun its word count: {count} elements "
                f"of {per} words in {word_count} words",
                segment=segment,
                offset=target,
            )
        self.charge(max(word_count + 1, count), segment, target)
        yield ListItem("list", depth, segment, target + 1, "composite", count, word_count, b"", None)
        if per == 0:
            return  # zero-sized structs: nothing to show per element
        if count and nesting <= 0:
            raise LimitError(
                "message is too deeply nested or contains cycles", segment=segment, offset=target
            )
        for i in range(count):
            yield from self.struct(
                f"[{i}]", depth + 1, segment, target + 1 + i * per, tag["data_words"],
                tag["pointer_count"], target, nesting - 1, check=False,
            )


def iter_message(
    segments: Sequence[bytes],
    *,
    traversal_limit: int = DEFAULT_TRAVERSAL_LIMIT,
    nesting_limit: int = DEFAULT_NESTING_LIMIT,
) -> Iterator[Item]:
    """Items of :func:`walk_message` one at a time (a printout can stream them)."""
    walker = _Walker(segments, traversal_limit)
    if not walker.segments or walker.seg_words(0) == 0:
        raise DecodeError("message has no root pointer: segment 0 is empty")
    yield from walker.pointer("root", 0, 0, 0, nesting_limit)


def walk_message(
    segments: Sequence[bytes],
    *,
    traversal_limit: int = DEFAULT_TRAVERSAL_LIMIT,
    nesting_limit: int = DEFAULT_NESTING_LIMIT,
) -> List[Item]:
    """Every pointer and object reachable from the root, in pre-order.

    Raises DecodeError (LimitError for the limits) saying what and where.
    """
    return list(
        iter_message(segments, traversal_limit=traversal_limit, nesting_limit=nesting_limit)
    )


# --- printing ---------------------------------------------------------------


def _at(segment: int, word: int) -> str:
    return f"@{segment}:{word}"


def _describe_pointer(item: PointerItem) -> str:
    f = item.fields
    target = "" if item.target is None else f" -> {_at(*item.target)}"
    if item.kind == "null":
        return "null"
    if item.kind == "struct":
        return (
            f"struct offset={f['offset']} data={f['data_words']} "
            f"ptrs={f['pointer_count']}{target}"
        )
    if item.kind == "list":
        size = ELEMENT_SIZES[f["element_size"]]
        unit = "words" if size == "composite" else "elements"
        return f"list offset={f['offset']} size={size} {unit}={f['count']}{target}"
    if item.kind == "far":
        kind = "double-far" if f["double"] else "far"
        return f"{kind} segment={f['segment']} pad={f['pad_offset']}{target}"
    if item.kind == "capability":
        return f"capability index={f['index']}"
    if item.kind == "tag":
        return (
            f"tag elements={f['element_count']} data={f['data_words']} "
            f"ptrs={f['pointer_count']}"
        )
    return f"other pointer (reserved bits 0x{f['reserved']:x})"


def _format_item(item: Item) -> List[str]:
    pad = "  " * item.depth
    at = _at(item.segment, item.word)
    if isinstance(item, PointerItem):
        return [f"{pad}{item.label} {at}  {item.raw:016x}  {_describe_pointer(item)}"]
    if isinstance(item, StructItem):
        lines = [f"{pad}{item.label} {at}  struct: {len(item.data)} data words, "
                 f"{item.pointer_count} pointers"]
        for i, value in enumerate(item.data):
            lines.append(f"{pad}  data[{i}] {_at(item.segment, item.word + i)}  {value:016x}")
        return lines
    head = f"{pad}{item.label} {at}  list of {item.count} x {item.element_size}"
    if item.element_size == "composite":
        return [f"{head} ({item.words} words)"]
    if item.text is not None:
        return [f"{head}  text {item.text!r}"]
    if item.data:
        shown = item.data[:_SHOW_BYTES].hex()
        more = " ..." if len(item.data) > _SHOW_BYTES else ""
        return [f"{head}  {shown}{more}"]
    return [head]


def format_items(items: Sequence[Item]) -> str:
    """The printout of walked items, one or more lines each."""
    return "".join(line + "\n" for item in items for line in _format_item(item))


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as f:
        return f.read()


def _run(data: bytes, mode: str, traversal_limit: int, nesting_limit: int) -> None:
    out = sys.stdout
    if mode == "packed":
        from .wire.packed import unpack_frame_at

        # The first message only, as the framed mode reads it: bytes after it are not unpacked.
        packed_size = len(data)
        data, end = unpack_frame_at(data, 0) if data else (b"", 0)
        out.write(f"packed: {end} bytes unpacked to {len(data)}\n")
        if end != packed_size:
            out.write(f"  {packed_size - end} packed bytes after the message (ignored)\n")
    if mode == "flat":
        if len(data) % 8:
            raise DecodeError(f"flat message of {len(data)} bytes is not a whole number of words")
        segments = [data]
        out.write(f"flat: 1 segment of {len(data) // 8} words\n")
    else:
        sizes, segments = split_segments(data)
        table_bytes = 4 + 4 * len(sizes) + (4 if len(sizes) % 2 == 0 else 0)
        out.write(f"segment table: {len(sizes)} segments, {table_bytes} bytes\n")
        pos = table_bytes
        for index, size in enumerate(sizes):
            out.write(f"  segment {index}: {size} words at byte {pos}\n")
            pos += 8 * size
        if pos != len(data):
            out.write(f"  {len(data) - pos} bytes after the message (ignored)\n")
    for item in iter_message(
        segments, traversal_limit=traversal_limit, nesting_limit=nesting_limit
    ):
        out.write(format_items([item]))


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``inspect [--packed | --flat] FILE``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m capnp_lite inspect",
        description="Print the segment table and every pointer reachable from the root.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--packed", action="store_true", help="the input is packed")
    mode.add_argument("--flat", action="store_true", help="one segment, no segment table")
    parser.add_argument("--traversal-limit", type=int, default=DEFAULT_TRAVERSAL_LIMIT,
                        metavar="WORDS", help="words that may be read (default 8 Mi)")
    parser.add_argument("--nesting-limit", type=int, default=DEFAULT_NESTING_LIMIT,
                        metavar="N", help="pointer nesting depth (default 64)")
    parser.add_argument("file", help="message file, or - for standard input")
    args = parser.parse_args(argv)
    try:
        _descriptions()
    except MissingConstruct as exc:
        sys.stderr.write(f"inspect: {exc}\n")
        return 2
    try:
        data = _read_input(args.file)
    except OSError as exc:
        sys.stderr.write(f"inspect: cannot read {args.file}: {exc.strerror or exc}\n")
        return 1
    mode_name = "packed" if args.packed else "flat" if args.flat else "framed"
    try:
        _run(data, mode_name, args.traversal_limit, args.nesting_limit)
    except DecodeError as exc:
        sys.stdout.flush()
        sys.stderr.write(f"inspect: error: {exc}\n")
        return 1
    except BrokenPipeError:
        return 1
    return 0
