"""Pointers as plain ints: decoding and encoding functions.

A pointer is one little-endian 64-bit word.  The two low bits give its kind.
Keeping pointers as ``int`` (never objects) is what makes the layout core
cheap: these functions are a few shifts and masks each.  The layout core
inlines the same expressions on its hottest paths.

Struct pointer (kind 0)::

    lsb                      msb
    +--+------------------------------+----------------+----------------+
    |00| B: offset (30 bits, signed)  | C: data words  | D: ptr count   |
    +--+------------------------------+----------------+----------------+
     0  2                             32               48              64

  B counts words from the end of the pointer to the start of the struct.
  A pointer with B = -1 and C = D = 0 (``0xfffffffc``) is a zero-sized struct;
  the all-zero word is the null pointer.

List pointer (kind 1)::

    +--+------------------------------+---+-----------------------------+
    |01| B: offset (30 bits, signed)  | C | D: element count (29 bits)  |
    +--+------------------------------+---+-----------------------------+
     0  2                             32  35                            64

  C is the element size code (``ELEM_*``).  For ``ELEM_COMPOSITE`` D is the
  number of words after the tag word, and the tag word (a struct pointer whose
  offset field holds the element count) precedes the elements.

Far pointer (kind 2)::

    +--+-+----------------------------+---------------------------------+
    |10|A| B: pad offset (29 bits)    | C: segment id (32 bits)         |
    +--+-+----------------------------+---------------------------------+
     0  2 3                           32                                64

  A = 0: the landing pad at word B of segment C is an ordinary struct or list
  pointer.  A = 1 (double far): the pad is two words, a far pointer (A = 0) to
  the object's start and a tag word (a struct or list pointer whose offset is
  ignored) describing it.

Other pointer (kind 3), capability::

    +--+------------------------------+---------------------------------+
    |11| B: zero (30 bits)            | C: capability table index       |
    +--+------------------------------+---------------------------------+
"""

from __future__ import annotations

__all__ = [
    "KIND_STRUCT",
    "KIND_LIST",
    "KIND_FAR",
    "KIND_OTHER",
    "ELEM_VOID",
    "ELEM_BIT",
    "ELEM_BYTE",
    "ELEM_TWO_BYTES",
    "ELEM_FOUR_BYTES",
    "ELEM_EIGHT_BYTES",
    "ELEM_POINTER",
    "ELEM_COMPOSITE",
    "ELEMENT_BITS",
    "ZERO_SIZED_STRUCT",
    "NULL",
    "kind",
    "offset",
    "struct_data_words",
    "struct_ptr_count",
    "list_element_size",
    "list_count",
    "far_is_double",
    "far_pad_offset",
    "far_segment",
    "is_capability",
    "capability_index",
    "make_struct",
    "make_list",
    "make_far",
    "make_capability",
    "describe",
]

KIND_STRUCT = 0
KIND_LIST = 1
KIND_FAR = 2
KIND_OTHER = 3

ELEM_VOID = 0
ELEM_BIT = 1
ELEM_BYTE = 2
ELEM_TWO_BYTES = 3
ELEM_FOUR_BYTES = 4
ELEM_EIGHT_BYTES = 5
ELEM_POINTER = 6
ELEM_COMPOSITE = 7

#: Data bits per element for each element size code (pointers count 64 here;
#: composite elements have no fixed size, hence 0).
ELEMENT_BITS = (0, 1, 8, 16, 32, 64, 64, 0)

NULL = 0
ZERO_SIZED_STRUCT = 0xFFFFFFFC

_MASK30 = 0x3FFFFFFF
_SIGN30 = 1 << 29
_SPAN30 = 1 << 30


def kind(p: int) -> int:
    """The pointer kind: ``KIND_STRUCT``, ``KIND_LIST``, ``KIND_FAR`` or ``KIND_OTHER``."""
    return p & 3


def offset(p: int) -> int:
    """Signed word offset of a struct or list pointer (field B)."""
    o = (p >> 2) & _MASK30
    return o - _SPAN30 if o >= _SIGN30 else o


def struct_data_words(p: int) -> int:
    return (p >> 32) & 0xFFFF


def struct_ptr_count(p: int) -> int:
    return p >> 48


def list_element_size(p: int) -> int:
    return (p >> 32) & 7


def list_count(p: int) -> int:
    """Element count, or for composite lists the word count after the tag."""
    return p >> 35


def far_is_double(p: int) -> bool:
    return bool(p & 4)


def far_pad_offset(p: int) -> int:
    return (p >> 3) & 0x1FFFFFFF


def far_segment(p: int) -> int:
    return p >> 32


def is_capability(p: int) -> bool:
    return (p & 0xFFFFFFFF) == 3


def capability_index(p: int) -> int:
    return p >> 32


def make_struct(off: int, data_words: int, ptr_count: int) -> int:
    return ((off & _MASK30) << 2) | (data_words << 32) | (ptr_count << 48)


def make_list(off: int, element_size: int, count: int) -> int:
    return ((off & _MASK30) << 2) | 1 | (element_size << 32) | (count << 35)


def make_far(double: bool, pad_offset: int, segment: int) -> int:
    return 2 | (4 if double else 0) | (pad_offset << 3) | (segment << 32)


def make_capability(index: int) -> int:
    return 3 | (index << 32)


def describe(p: int) -> str:
    """A readable rendering of a pointer word, for error messages and debugging."""
    if p == 0:
        return "null"
    k = p & 3
    if k == KIND_STRUCT:
        return f"struct(offset={offset(p)}, data={struct_data_words(p)}, ptrs={struct_ptr_count(p)})"
    if k == KIND_LIST:
        return f"list(offset={offset(p)}, size={list_element_size(p)}, count={list_count(p)})"
    if k == KIND_FAR:
        return (
            f"far(double={far_is_double(p)}, pad={far_pad_offset(p)}, segment={far_segment(p)})"
        )
    if is_capability(p):
        return f"capability({capability_index(p)})"
    return f"other(0x{p:016x})"
