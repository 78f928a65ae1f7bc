"""Pointer reading and message writing used by the dynamic layer.

Reading: :class:`MessageReader` follows pointers over a list of segments and
checks every peer-supplied value (bounds, far pointers, element sizes) while
charging the traversal limit once per dereference and the nesting limit once
per struct or list level, as the C++ reader does.

Writing: builders are kept as a small tree (:class:`SStruct`, :class:`SList`,
:class:`SBlob`, :class:`SCap`) and serialised in pre-order by
:func:`write_message` with the allocation rule of the reference
``MallocMessageBuilder`` (first segment 1024 words, then the most recent
segment, then a new one of ``max(needed + 1, next_size)`` words reached through
a far pointer), so the bytes match ``capnp encode``.

Pointer word layout (little-endian 64 bits)::

    bits 0-1   kind: 0 struct, 1 list, 2 far, 3 other (capability)
    bits 2-31  signed offset in words from the end of the pointer (far: pad offset,
               bit 2 = double-far)
    bits 32-63 struct: data words (16) | pointer count (16)
               list:   element size (3) | count or word count (29)
               far:    segment id
"""

from __future__ import annotations

import struct
from typing import Any, List, Optional, Sequence, Tuple, Union

from ..errors import DecodeError, EncodeError, LimitError

__all__ = [
    "MessageReader",
    "StructRef",
    "ListRef",
    "SStruct",
    "SList",
    "SBlob",
    "SCap",
    "write_message",
    "DEFAULT_TRAVERSAL_LIMIT",
    "DEFAULT_NESTING_LIMIT",
    "ELEMENT_BITS",
]

DEFAULT_TRAVERSAL_LIMIT = 8 * 1024 * 1024
DEFAULT_NESTING_LIMIT = 64

_U64 = struct.Struct("<Q")
_U32 = struct.Struct("<I")

# bits per element for list element-size codes 0..6 (7 = inline composite)
ELEMENT_BITS = (0, 1, 8, 16, 32, 64, 64)
_KIND_NAMES = ("struct", "list", "far", "capability")


class StructRef:
    """Location of a struct: data section (bytes) and pointer section (words)."""

    __slots__ = ("msg", "seg", "data_start", "data_bytes", "ptr_start", "ptr_count", "nesting")

    def __init__(
        self,
        msg: "MessageReader",
        seg: int,
        data_start: int,
        data_bytes: int,
        ptr_start: int,
        ptr_count: int,
        nesting: int,
    ) -> None:
        self.msg = msg
        self.seg = seg  # segment index
        self.data_start = data_start  # byte offset of the data section in the segment
        self.data_bytes = data_bytes  # data section size in bytes (may be < 8 for list elements)
        self.ptr_start = ptr_start  # word index of the first pointer
        self.ptr_count = ptr_count
        self.nesting = nesting  # levels left for pointers followed from here

    def read_bits(self, bit_offset: int, bits: int) -> int:
        """Unsigned value of ``bits`` bits at ``bit_offset``; 0 past the data section."""
        if bits == 1:
            byte = bit_offset >> 3
            if byte >= self.data_bytes:
                return 0
            return (self.msg.segments[self.seg][self.data_start + byte] >> (bit_offset & 7)) & 1
        nbytes = bits >> 3
        byte = bit_offset >> 3
        if byte + nbytes > self.data_bytes:
            return 0
        start = self.data_start + byte
        return int.from_bytes(self.msg.segments[self.seg][start : start + nbytes], "little")

    def data_copy(self) -> bytes:
        return bytes(self.msg.segments[self.seg][self.data_start : self.data_start + self.data_bytes])


class ListRef:
    """Location of a list and the size of its elements."""

    __slots__ = (
        "msg",
        "seg",
        "start",
        "count",
        "size_code",
        "step_bits",
        "data_bytes",
        "ptr_count",
        "nesting",
    )

    def __init__(
        self,
        msg: "MessageReader",
        seg: int,
        start: int,
        count: int,
        size_code: int,
        step_bits: int,
        data_bytes: int,
        ptr_count: int,
        nesting: int,
    ) -> None:
        self.msg = msg
        self.seg = seg
        self.start = start  # byte offset of element 0
        self.count = count
        self.size_code = size_code  # wire element size code (7 = inline composite)
        self.step_bits = step_bits  # bits from one element to the next
        self.data_bytes = data_bytes  # data bytes per element (struct view)
        self.ptr_count = ptr_count  # pointers per element (struct view)
        self.nesting = nesting

    def element_struct(self, index: int) -> StructRef:
        start = self.start + (index * self.step_bits >> 3)
        return StructRef(
            self.msg,
            self.seg,
            start,
            self.data_bytes,
            (start + self.data_bytes) >> 3,
            self.ptr_count,
            self.nesting,
        )

    def element_bits(self, index: int, bits: int) -> int:
        """Unsigned element value (low ``bits`` bits of a data element)."""
        if self.size_code == 7:
            return self.element_struct(index).read_bits(0, bits)
        seg = self.msg.segments[self.seg]
        if bits == 1:
            bit = index * self.step_bits
            return (seg[self.start + (bit >> 3)] >> (bit & 7)) & 1
        if bits == 0:
            return 0
        pos = self.start + (index * self.step_bits >> 3)
        return int.from_bytes(seg[pos : pos + (bits >> 3)], "little")

    def element_pointer(self, index: int) -> Tuple[int, int]:
        """(segment, word) of the element's pointer (first pointer of a struct element)."""
        if self.size_code == 7:
            ref = self.element_struct(index)
            return ref.seg, ref.ptr_start
        return self.seg, (self.start >> 3) + index


class MessageReader:
    """Bounds-checked pointer reading over a message's segments."""

    def __init__(
        self,
        segments: Sequence[Union[bytes, bytearray, memoryview]],
        traversal_limit_in_words: Optional[int] = DEFAULT_TRAVERSAL_LIMIT,
        nesting_limit: int = DEFAULT_NESTING_LIMIT,
    ) -> None:
        self.segments: List[bytes] = [bytes(s) for s in segments]
        for i, s in enumerate(self.segments):
            if len(s) % 8:
                raise DecodeError("segment size is not a whole number of words", segment=i)
        self.words = [len(s) >> 3 for s in self.segments]
        self.traversal_left = (
            traversal_limit_in_words if traversal_limit_in_words is not None else 1 << 62
        )
        self.nesting_limit = nesting_limit

    def _charge(self, words: int) -> None:
        self.traversal_left -= words
        if self.traversal_left < 0:
            raise LimitError("message exceeds the traversal limit")

    def word(self, seg: int, index: int) -> int:
        value: int = _U64.unpack_from(self.segments[seg], index << 3)[0]
        return value

    def _resolve(self, seg: int, index: int) -> Tuple[int, int, int]:
        """Follow far pointers: (segment, target word, pointer tag word)."""
        ptr = self.word(seg, index)
        if ptr & 3 != 2:
            offset = _signed30(ptr)
            return seg, index + 1 + offset, ptr
        target_seg = ptr >> 32
        pad = (ptr & 0xFFFFFFFF) >> 3
        double = (ptr >> 2) & 1
        if target_seg >= len(self.segments):
            raise DecodeError("far pointer to an unknown segment", segment=seg, offset=index)
        pad_words = 2 if double else 1
        if pad + pad_words > self.words[target_seg]:
            raise DecodeError("far pointer out of bounds", segment=seg, offset=index)
        landing = self.word(target_seg, pad)
        if not double:
            if landing & 3 == 2:
                raise DecodeError("far pointer lands on another far pointer", segment=target_seg, offset=pad)
            return target_seg, pad + 1 + _signed30(landing), landing
        if landing & 7 != 2:
            raise DecodeError(
                "double-far landing pad does not start with a far pointer",
                segment=target_seg,
                offset=pad,
            )
        final_seg = landing >> 32
        if final_seg >= len(self.segments):
            raise DecodeError("far pointer to an unknown segment", segment=target_seg, offset=pad)
        tag = self.word(target_seg, pad + 1)
        return final_seg, (landing & 0xFFFFFFFF) >> 3, tag

    def pointer_kind(self, seg: int, index: int) -> Optional[str]:
        """``None`` for a null pointer, else struct/list/far/capability."""
        ptr = self.word(seg, index)
        if ptr == 0:
            return None
        if ptr & 3 == 2:
            _, _, tag = self._resolve(seg, index)
            return _KIND_NAMES[tag & 3]
        return _KIND_NAMES[ptr & 3]

    def root(self) -> StructRef:
        if not self.segments or self.words[0] < 1:
            raise DecodeError("message has no root pointer")
        ref = self.read_struct(0, 0, self.nesting_limit)
        if ref is None:
            return StructRef(self, 0, 0, 0, 0, 0, self.nesting_limit - 1)
        return ref

    def read_struct(self, seg: int, index: int, nesting: int) -> Optional[StructRef]:
        if self.word(seg, index) == 0:
            return None
        if nesting <= 0:
            raise LimitError("message is too deeply nested (or has a cycle)", segment=seg, offset=index)
        tseg, target, tag = self._resolve(seg, index)
        if tag & 3 != 0:
            raise DecodeError(
                f"expected a struct pointer, found a {_KIND_NAMES[tag & 3]} pointer",
                segment=seg,
                offset=index,
            )
        data_words = (tag >> 32) & 0xFFFF
        ptr_count = tag >> 48
        size = data_words + ptr_count
        if target < 0 or target + size > self.words[tseg]:
            raise DecodeError("struct pointer out of bounds", segment=seg, offset=index)
        self._charge(size)
        return StructRef(
            self, tseg, target << 3, data_words << 3, target + data_words, ptr_count, nesting - 1
        )

    def read_list(self, seg: int, index: int, nesting: int) -> Optional[ListRef]:
        if self.word(seg, index) == 0:
            return None
        if nesting <= 0:
            raise LimitError("message is too deeply nested (or has a cycle)", segment=seg, offset=index)
        tseg, target, tag = self._resolve(seg, index)
        if tag & 3 != 1:
            raise DecodeError(
                f"expected a list pointer, found a {_KIND_NAMES[tag & 3]} pointer",
                segment=seg,
                offset=index,
            )
        size_code = (tag >> 32) & 7
        count = tag >> 35
        if target < 0:
            raise DecodeError("list pointer out of bounds", segment=seg, offset=index)
        if size_code == 7:
            word_count = count
            if target + 1 + word_count > self.words[tseg]:
                raise DecodeError("list pointer out of bounds", segment=seg, offset=index)
            elem_tag = self.word(tseg, target)
            if elem_tag & 3 != 0:
                raise DecodeError("inline-composite list tag is not a struct", segment=tseg, offset=target)
            n = (elem_tag & 0xFFFFFFFF) >> 2
            data_words = (elem_tag >> 32) & 0xFFFF
            ptr_count = elem_tag >> 48
            per = data_words + ptr_count
            if n * per > word_count:
                raise DecodeError(
                    "inline-composite list elements overrun its word count", segment=tseg, offset=target
                )
            # zero-sized elements still cost a word each, against amplification
            self._charge(max(word_count, n) if per == 0 else word_count)
            return ListRef(
                self, tseg, (target + 1) << 3, n, 7, per * 64, data_words << 3, ptr_count, nesting - 1
            )
        step = ELEMENT_BITS[size_code]
        words = (count * step + 63) >> 6
        if target + words > self.words[tseg]:
            raise DecodeError("list pointer out of bounds", segment=seg, offset=index)
        self._charge(count if size_code == 0 else words)
        data_bytes = 0 if size_code in (0, 1, 6) else step >> 3
        ptr_count = 1 if size_code == 6 else 0
        return ListRef(self, tseg, target << 3, count, size_code, step, data_bytes, ptr_count, nesting - 1)

    def read_blob(self, seg: int, index: int, nesting: int, text: bool) -> Optional[bytes]:
        """Text (without its NUL) or Data bytes; ``None`` when null."""
        if self.word(seg, index) == 0:
            return None
        tseg, target, tag = self._resolve(seg, index)
        what = "text" if text else "data"
        if tag & 3 != 1 or (tag >> 32) & 7 != 2:
            raise DecodeError(f"{what} pointer is not a byte list", segment=seg, offset=index)
        count = tag >> 35
        words = (count + 7) >> 3
        if target < 0 or target + words > self.words[tseg]:
            raise DecodeError(f"{what} pointer out of bounds", segment=seg, offset=index)
        self._charge(words)
        start = target << 3
        raw = self.segments[tseg][start : start + count]
        if text:
            if count == 0 or raw[-1] != 0:
                raise DecodeError("text is not NUL-terminated", segment=seg, offset=index)
            return raw[:-1]
        return raw

    def read_capability(self, seg: int, index: int) -> Optional[int]:
        ptr = self.word(seg, index)
        if ptr == 0:
            return None
        if ptr & 3 != 3 or ptr & 0xFFFFFFFC:
            raise DecodeError("expected a capability pointer", segment=seg, offset=index)
        return ptr >> 32

    # -- schema-less copying (AnyPointer content, copy(), as_builder()) --

    def copy_pointer(self, seg: int, index: int, nesting: int) -> Any:
        """The pointed-to object as a builder tree, without a schema."""
        kind = self.pointer_kind(seg, index)
        if kind is None:
            return None
        if kind == "capability":
            return SCap(self.word(seg, index) >> 32)
        if kind == "struct":
            ref = self.read_struct(seg, index, nesting)
            assert ref is not None
            return self.copy_struct(ref)
        lst = self.read_list(seg, index, nesting)
        assert lst is not None
        return self.copy_list(lst)

    def copy_struct(self, ref: StructRef) -> "SStruct":
        data_words = (ref.data_bytes + 7) >> 3
        s = SStruct(data_words, ref.ptr_count)
        s.data[: ref.data_bytes] = ref.data_copy()
        for i in range(ref.ptr_count):
            s.ptrs[i] = self.copy_pointer(ref.seg, ref.ptr_start + i, ref.nesting)
        return s

    def copy_list(self, lst: ListRef) -> "SList":
        if lst.size_code == 7:
            data_words = lst.data_bytes >> 3
            out = SList.composite(data_words, lst.ptr_count, lst.count)
            out.items = [self.copy_struct(lst.element_struct(i)) for i in range(lst.count)]
            return out
        if lst.size_code == 6:
            out = SList(6, lst.count)
            out.items = [
                self.copy_pointer(lst.seg, (lst.start >> 3) + i, lst.nesting) for i in range(lst.count)
            ]
            return out
        out = SList(lst.size_code, lst.count)
        nbytes = (lst.count * lst.step_bits + 7) >> 3
        out.data[:] = self.segments[lst.seg][lst.start : lst.start + nbytes]
        return out


def _signed30(ptr: int) -> int:
    offset = (ptr & 0xFFFFFFFF) >> 2
    return offset - (1 << 30) if offset & (1 << 29) else offset


# ---------------------------------------------------------------- builder tree


class SStruct:
    """A struct under construction: its data bytes and its pointer slots."""

    __slots__ = ("data", "ptrs")

    def __init__(self, data_words: int, ptr_count: int) -> None:
        self.data = bytearray(data_words * 8)
        self.ptrs: List[Any] = [None] * ptr_count  # None, SStruct, SList, SBlob or SCap

    def read_bits(self, bit_offset: int, bits: int) -> int:
        if bits == 1:
            byte = bit_offset >> 3
            if byte >= len(self.data):
                return 0
            return (self.data[byte] >> (bit_offset & 7)) & 1
        nbytes = bits >> 3
        byte = bit_offset >> 3
        if byte + nbytes > len(self.data):
            return 0
        return int.from_bytes(self.data[byte : byte + nbytes], "little")

    def write_bits(self, bit_offset: int, bits: int, value: int) -> None:
        if bits == 1:
            byte = bit_offset >> 3
            mask = 1 << (bit_offset & 7)
            if value:
                self.data[byte] |= mask
            else:
                self.data[byte] &= ~mask & 0xFF
            return
        if bits == 0:
            return
        nbytes = bits >> 3
        byte = bit_offset >> 3
        self.data[byte : byte + nbytes] = value.to_bytes(nbytes, "little")

    def ensure_size(self, data_words: int, ptr_count: int) -> None:
        """Grow an adopted (older, smaller) struct to the schema's size."""
        if len(self.data) < data_words * 8:
            self.data.extend(bytes(data_words * 8 - len(self.data)))
        if len(self.ptrs) < ptr_count:
            self.ptrs.extend([None] * (ptr_count - len(self.ptrs)))


class SList:
    """A list under construction."""

    __slots__ = ("size_code", "count", "data", "items", "data_words", "ptr_count")

    def __init__(self, size_code: int, count: int) -> None:
        self.size_code = size_code  # wire element size code
        self.count = count
        self.data = bytearray((count * ELEMENT_BITS[size_code] + 7) >> 3) if size_code < 6 else bytearray()
        self.items: List[Any] = [None] * count if size_code >= 6 else []
        self.data_words = 0  # inline composite element layout
        self.ptr_count = 0

    @classmethod
    def composite(cls, data_words: int, ptr_count: int, count: int) -> "SList":
        out = cls(7, count)
        out.data_words = data_words
        out.ptr_count = ptr_count
        out.items = [SStruct(data_words, ptr_count) for _ in range(count)]
        return out


class SBlob:
    """Text (stored with its NUL) or Data."""

    __slots__ = ("raw",)

    def __init__(self, raw: bytes) -> None:
        self.raw = raw


class SCap:
    """A capability pointer (index into the message's capability table)."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


# ---------------------------------------------------------------- writer

FIRST_SEGMENT_WORDS = 1024


class _Writer:
    """Pre-order serialiser with the reference builder's segment allocation."""

    def __init__(self, first_segment_words: Optional[int]) -> None:
        self.flat = first_segment_words is None
        first = 1 if self.flat else max(1, first_segment_words or 1)
        self.segments: List[bytearray] = []
        self.capacity: List[int] = []
        self.used: List[int] = []
        self.next_size = FIRST_SEGMENT_WORDS
        self._new_segment(first)
        self.used[0] = 1  # the root pointer

    def _new_segment(self, words: int) -> int:
        self.segments.append(bytearray())
        self.capacity.append(words)
        self.used.append(0)
        return len(self.segments) - 1

    def _fits(self, seg: int, words: int) -> bool:
        return self.flat or self.used[seg] + words <= self.capacity[seg]

    def _take(self, seg: int, words: int) -> int:
        pos = self.used[seg]
        self.used[seg] = pos + words
        need = (pos + words) * 8
        buf = self.segments[seg]
        if len(buf) < need:
            buf.extend(bytes(need - len(buf)))
        return pos

    def put_word(self, seg: int, index: int, value: int) -> None:
        _U64.pack_into(self.segments[seg], index * 8, value)

    def allocate(self, seg: int, ptr_index: int, words: int, tag: int) -> Tuple[int, int]:
        """Reserve ``words`` for an object whose pointer is at (seg, ptr_index).

        Writes the pointer (``tag`` holds kind and the upper 32 bits; the offset
        is filled in here) and returns (segment, first word) of the object.
        """
        if self._fits(seg, words):
            pos = self._take(seg, words)
            self.put_word(seg, ptr_index, _with_offset(tag, pos - ptr_index - 1))
            return seg, pos
        last = len(self.segments) - 1
        if not self._fits(last, words + 1):
            size = max(words + 1, self.next_size)
            last = self._new_segment(size)
            self.next_size += size
        pad = self._take(last, words + 1)
        self.put_word(last, pad, _with_offset(tag, 0))
        self.put_word(seg, ptr_index, 2 | (pad << 3) | (last << 32))
        return last, pad + 1

    def write_pointer(self, seg: int, index: int, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, SStruct):
            self._write_struct_pointer(seg, index, value)
        elif isinstance(value, SBlob):
            raw = value.raw
            words = (len(raw) + 7) >> 3
            tag = 1 | (2 << 32) | (len(raw) << 35)
            tseg, pos = self.allocate(seg, index, words, tag)
            self.segments[tseg][pos * 8 : pos * 8 + len(raw)] = raw
        elif isinstance(value, SList):
            self._write_list_pointer(seg, index, value)
        elif isinstance(value, SCap):
            self.put_word(seg, index, 3 | (value.index << 32))
        else:
            raise EncodeError(f"cannot write {type(value).__name__} as a pointer")

    def _write_struct_pointer(self, seg: int, index: int, value: SStruct) -> None:
        data_words = len(value.data) >> 3
        ptr_count = len(value.ptrs)
        if data_words == 0 and ptr_count == 0:
            # a zero-sized struct needs no room: offset -1 points just at the pointer itself
            self.put_word(seg, index, 0xFFFFFFFC)
            return
        tag = (data_words << 32) | (ptr_count << 48)
        tseg, pos = self.allocate(seg, index, data_words + ptr_count, tag)
        self._fill_struct(tseg, pos, value)

    def _fill_struct(self, seg: int, pos: int, value: SStruct) -> None:
        data = value.data
        buf = self.segments[seg]
        buf[pos * 8 : pos * 8 + len(data)] = data
        first_ptr = pos + (len(data) >> 3)
        for i, child in enumerate(value.ptrs):
            if child is not None:
                self.write_pointer(seg, first_ptr + i, child)

    def _write_list_pointer(self, seg: int, index: int, value: SList) -> None:
        code = value.size_code
        if code == 7:
            per = value.data_words + value.ptr_count
            words = per * value.count
            tag = 1 | (7 << 32) | (words << 35)
            tseg, pos = self.allocate(seg, index, words + 1, tag)
            self.put_word(
                tseg, pos, (value.count << 2) | (value.data_words << 32) | (value.ptr_count << 48)
            )
            for i, element in enumerate(value.items):
                start = pos + 1 + i * per
                data = element.data[: value.data_words * 8]
                self.segments[tseg][start * 8 : start * 8 + len(data)] = data
            for i, element in enumerate(value.items):
                first_ptr = pos + 1 + i * per + value.data_words
                for j in range(value.ptr_count):
                    child = element.ptrs[j] if j < len(element.ptrs) else None
                    if child is not None:
                        self.write_pointer(tseg, first_ptr + j, child)
            return
        tag = 1 | (code << 32) | (value.count << 35)
        if code == 6:
            tseg, pos = self.allocate(seg, index, value.count, tag)
            for i, child in enumerate(value.items):
                if child is not None:
                    self.write_pointer(tseg, pos + i, child)
            return
        words = (value.count * ELEMENT_BITS[code] + 63) >> 6
        tseg, pos = self.allocate(seg, index, words, tag)
        data = value.data
        self.segments[tseg][pos * 8 : pos * 8 + len(data)] = data

    def finish(self) -> List[bytes]:
        return [bytes(s[: used * 8]) for s, used in zip(self.segments, self.used)]


def _with_offset(tag: int, offset: int) -> int:
    return (tag & ~0xFFFFFFFC & 0xFFFFFFFFFFFFFFFF) | ((offset & 0x3FFFFFFF) << 2)


def write_message(root: Any, first_segment_words: Optional[int] = FIRST_SEGMENT_WORDS) -> List[bytes]:
    """Serialise a builder tree; ``first_segment_words=None`` gives one unbounded segment."""
    writer = _Writer(first_segment_words)
    writer.write_pointer(0, 0, root)
    return writer.finish()
