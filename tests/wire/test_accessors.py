"""Public coordinates of structs, builder accessors for pointer elements, lazy segment views."""

from __future__ import annotations

import struct

import pytest

from capnp_lite.errors import DecodeError
from capnp_lite.wire import (
    ELEM_BYTE,
    ELEM_FOUR_BYTES,
    ELEM_POINTER,
    MessageBuilder,
    MessageReader,
    PointerKind,
    Segment,
)

from .test_layout_hand import lp, seg, sp


def test_struct_coordinates_locate_fields() -> None:
    msg = [seg(sp(0, 2, 1), 0x1122334455667788, 7, lp(0, ELEM_BYTE, 3), 0x636261)]
    r = MessageReader(msg).root()
    assert (r.data_offset, r.data_size, r.pointer_offset, r.ptr_count) == (8, 16, 3, 1)
    assert r.segment.u32[(r.data_offset >> 2) + 1] == 0x11223344
    assert r.segment.u64[r.pointer_offset] == lp(0, ELEM_BYTE, 3)
    assert r.nesting_left == 63
    b = MessageBuilder().init_root(1, 2)
    assert (b.data_offset, b.data_size, b.pointer_offset, b.ptr_count) == (8, 8, 2, 2)


def test_list_builder_pointer_elements() -> None:
    mb = MessageBuilder()
    lst = mb.init_root(0, 1).init_list(0, ELEM_POINTER, 3)
    lst.init_primitive_list(0, "i", [1, -2, 3])
    inner = lst.get_list(0, ELEM_FOUR_BYTES)
    inner.set_int32(1, 20)
    s = lst.get_struct_at(1, 1, 1)  # null: initialised
    s.set_uint64(0, 99)
    assert lst.get_struct_at(1).get_uint64(0) == 99  # existing: same struct
    bigger = lst.get_struct_at(1, 2, 1)  # smaller than asked: copied and enlarged
    assert bigger.data_size == 16 and bigger.get_uint64(0) == 99
    lst.set_text(2, "x")
    assert lst.get_pointer(2).kind == PointerKind.LIST
    assert lst.get_pointer(1).get_struct().get_uint64(0) == 99
    assert len(lst.get_list(2)) == 2  # "x" and its NUL, as a byte list
    root = MessageReader(mb.segments()).root()
    out = root.get_list(0, ELEM_POINTER)
    assert out.get_list(0, ELEM_FOUR_BYTES).to_list("i") == [1, 20, 3]
    assert out.get_struct_at(1).get_uint64(0) == 99
    assert out.get_text(2) == "x"


def test_init_text_and_text_bytes() -> None:
    mb = MessageBuilder()
    root = mb.init_root(0, 2)
    view = root.init_text(0, 5)
    view[:] = "héll".encode()
    root.set_text_bytes(1, b"abc")
    lst = root.init_list(1, ELEM_POINTER, 1)
    lst.init_text(0, 2)[:] = b"ok"
    r = MessageReader(mb.segments()).root()
    assert r.get_text(0) == "héll"
    assert r.get_list(1, ELEM_POINTER).get_text(0) == "ok"
    root.set_text_bytes(1, "é".encode())
    assert MessageReader(mb.segments()).root().get_text(1) == "é"


def test_copy_data_from() -> None:
    src = MessageReader([seg(sp(0, 2, 0), 5, 6)]).root()
    mb = MessageBuilder()
    small = mb.init_root(0, 2).init_struct(0, 1, 0)
    small.copy_data_from(src)  # truncated to this struct's one word
    big = mb.init_root(0, 2).init_struct(1, 3, 0)
    big.set_uint64(2, 77)
    big.copy_data_from(src)  # the word src lacks becomes zero
    assert small.get_uint64(0) == 5
    assert [big.get_uint64(i) for i in range(3)] == [5, 6, 0]


def test_segment_views_are_made_on_first_use_and_follow_rebinds() -> None:
    data = bytearray(struct.pack("<Qd", 0x0102030405060708, 2.5))
    s = Segment(0, data)
    assert s.u64[0] == 0x0102030405060708
    assert s.u8[0] == 8 and s.i16[1] == 0x0506 and s.f64[1] == 2.5
    assert type(s) is not Segment  # three views made, six still pending
    assert "u8" not in type(s).__dict__ and "u16" in type(s).__dict__
    assert s.i8[0] == 8 and s.u16[1] == 0x0506 and s.i32[0] == 0x05060708
    assert s.u32[1] == 0x01020304 and s.i64[0] == 0x0102030405060708
    assert s.f32[0] == struct.unpack_from("<f", data, 0)[0]
    assert type(s) is Segment  # all views made: plain slots from now on
    bigger = bytearray(32)
    bigger[:16] = data
    s.bind(bigger)
    s.u32[4] = 0xDEADBEEF
    assert s.words == 4 and bigger[16:20] == b"\xef\xbe\xad\xde"
    assert isinstance(s, Segment) and repr(s).startswith("Segment(")
    with pytest.raises(AttributeError):
        getattr(s, "u128")


def test_text_fast_path_still_reports_errors() -> None:
    not_nul = [seg(sp(0, 0, 1), lp(0, ELEM_BYTE, 2), 0x6161)]
    with pytest.raises(DecodeError, match="NUL-terminated"):
        MessageReader(not_nul).root().get_text(0)
    bad_utf8 = [seg(sp(0, 0, 1), lp(0, ELEM_BYTE, 2), 0x00FF)]
    with pytest.raises(DecodeError, match="UTF-8"):
        MessageReader(bad_utf8).root().get_text(0)
    beyond = [seg(sp(0, 0, 1), lp(0, ELEM_BYTE, 9), 0)]
    with pytest.raises(DecodeError, match="out-of-bounds"):
        MessageReader(beyond).root().get_text(0)
    tight = [seg(sp(0, 0, 2), lp(1, ELEM_BYTE, 2), lp(0, ELEM_BYTE, 2), 0x61)]
    # Two words for the root pointer (as the reference charges), two for the
    # struct, one for the first text.
    r = MessageReader(tight, traversal_limit_in_words=5).root()
    assert r.get_text(0) == "a"
    with pytest.raises(DecodeError, match="traversal limit"):
        r.get_text(1)
