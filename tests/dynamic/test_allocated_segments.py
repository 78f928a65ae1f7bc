"""Messages built in segments the caller allocates (pycapnp's ``_PyCustomMessageBuilder``
and the ``allocate_seg_callable`` of ``new_message``, ``copy`` and ``as_builder``).

The point of such a builder is where the message lies: in the buffers the allocator gave
(shared memory, a pool), not in a copy.  So each case checks that the segments written out
are exactly the first words of those buffers, and that the message reads back as the same
statements give on an ordinary builder (and, where pycapnp is installed, on pycapnp's own
``_PyCustomMessageBuilder``).
"""

from __future__ import annotations

import array
import io
from typing import Any, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import capnp_lite as capnp
import capnp_lite.dynamic as dyn
from capnp_lite.errors import EncodeError
from capnp_lite.wire.framing import decode_message
from capnp_lite.wire.layout import AllocatedMessageBuilder, MessageBuilder, MessageReader

from ..reference import pycapnp_module, schema_file

SCHEMA = """
@0xc0ffee1234567801;

enum Color { red @0; green @1; blue @2; }

struct Item {
  name @0 :Text;
  color @1 :Color;
  price @2 :Float64;
  tags @3 :List(Text);
  scores @4 :List(Int32);
  blob @5 :Data;
}

struct Catalog {
  title @0 :Text;
  items @1 :List(Item);
  first @2 :Item;
}
"""


class Recorder:
    """An allocator giving exactly what is asked (``extra`` words more), keeping each buffer
    and each request; its buffers come dirty unless told, for the builder to zero."""

    def __init__(self, extra: int = 0, kind: str = "bytearray", dirty: bool = True) -> None:
        self.asked: List[int] = []
        self.buffers: List[Any] = []
        self.extra = extra
        self.kind = kind
        self.fill = 0xAA if dirty else 0  # (pycapnp needs zeroed buffers; we zero them)

    def __call__(self, words: int) -> Any:
        self.asked.append(words)
        size = words + self.extra
        if self.kind == "array":
            buf: Any = array.array("Q", [self.fill * 0x0101010101010101]) * size
        else:
            raw = bytearray(bytes([self.fill]) * (size * 8))
            buf = memoryview(raw) if self.kind == "memoryview" else raw
        self.buffers.append(buf)
        return buf


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return schema_file(tmp_path_factory, "allocated.capnp", SCHEMA)


@pytest.fixture(scope="module")
def mod(path: Any) -> Any:
    return dyn.load(str(path))


def fill(c: Any, n: int) -> Any:
    c.title = "catalog " * 5
    items = c.init("items", n)
    for k, it in enumerate(items):
        it.name = f"item {k}"
        it.color = ["red", "green", "blue"][k % 3]
        it.price = k * 1.5
        it.tags = ["a" * (k % 5), "b", f"t{k}"]
        it.scores = list(range(k % 7))
        it.blob = bytes([k % 256]) * (k % 11)
    c.first.name = "the first"
    c.first.tags = ["x"]
    return c


def assert_in_buffers(segments: List[bytes], buffers: List[Any]) -> None:
    """Each segment is the start of the buffer it was allocated in, in order."""
    assert len(segments) == len(buffers)
    for seg, buf in zip(segments, buffers):
        raw = memoryview(buf).cast("B")
        assert bytes(raw[:len(seg)]) == seg
        assert not any(raw[len(seg):])  # the rest stays zero


@pytest.mark.parametrize("kind", ["bytearray", "memoryview", "array"])
@pytest.mark.parametrize("first, n", [(1024, 40), (8, 40), (2, 3), (64, 200)])
def test_the_message_is_written_in_the_allocated_buffers(mod: Any, kind: str, first: int,
                                                         n: int) -> None:
    alloc = Recorder(kind=kind)
    mb = capnp._PyCustomMessageBuilder(alloc, first)
    assert alloc.asked == []  # nothing is allocated before a root is made (as in pycapnp)
    root = fill(mb.init_root(mod.Catalog), n)
    assert alloc.asked[0] == first
    segments = mb.get_segments_for_output()
    assert_in_buffers(segments, alloc.buffers)
    want = fill(mod.Catalog.new_message(), n)
    got = mod.Catalog.from_segments(segments, traversal_limit_in_words=1 << 24)
    assert got.to_dict() == want.to_dict() == root.to_dict()
    # written out, it is the same message in the same segments
    out = io.BytesIO()
    capnp._write_message_to_fd(out, mb)
    # (an allocator that gives only what is asked makes a segment of nearly every object
    # once the first is full, as with pycapnp: more segments than a reader takes by default)
    assert [bytes(s) for s in decode_message(out.getvalue(), max_segments=1 << 16)] == segments


def test_every_request_is_met_and_each_buffer_is_used_whole(mod: Any) -> None:
    alloc = Recorder(extra=5)
    mb = capnp._PyCustomMessageBuilder(alloc, 16)
    fill(mb.init_root(mod.Catalog), 30)
    segments = mb.get_segments_for_output()
    assert_in_buffers(segments, alloc.buffers)
    # a new segment is asked for only when an object fits in none of those before: the
    # requests after the first are for objects (with their landing pad) that did not fit
    assert alloc.asked[0] == 16 and len(alloc.asked) == len(segments) > 1
    sizes = [len(memoryview(b).cast("B")) >> 3 for b in alloc.buffers]
    assert all(len(s) >> 3 <= size for s, size in zip(segments, sizes))


def test_new_message_copy_and_as_builder_take_an_allocator(mod: Any) -> None:
    alloc = Recorder()
    built = mod.Catalog.new_message(num_first_segment_words=32, allocate_seg_callable=alloc,
                                    title="kw")
    assert alloc.asked[0] == 32
    fill(built, 10)
    want = fill(mod.Catalog.new_message(), 10).to_dict()
    assert built.to_dict() == want
    seg0 = memoryview(alloc.buffers[0]).cast("B")
    assert MessageReader([seg0[:8]]).root_pointer().kind is not None
    for make in (lambda cb: built.copy(allocate_seg_callable=cb),
                 lambda cb: built.as_reader().as_builder(allocate_seg_callable=cb),
                 lambda cb: mod.Catalog.from_bytes(built.to_bytes()).as_builder(
                     num_first_segment_words=4, allocate_seg_callable=cb)):
        other = Recorder()
        copy = make(other)
        assert other.asked and copy.to_dict() == want
        copy.first.name = "changed"  # written where the copy lies, not in the original
        assert built.first.name == "the first"
        # the copy's root struct is in the first buffer the allocator gave
        holder = MessageReader([memoryview(other.buffers[0]).cast("B")[:8]])
        assert holder.root_pointer().kind is not None


def test_set_root_copies_into_the_allocated_buffers_and_returns_the_root(mod: Any) -> None:
    src = fill(mod.Catalog.new_message(), 12)  # its list elements still wait to be laid out
    alloc = Recorder()
    mb = capnp._PyCustomMessageBuilder(alloc)
    root = mb.set_root(src)
    assert alloc.asked[0] == 1024  # pycapnp's default first segment
    assert root.to_dict() == src.to_dict()
    assert_in_buffers(mb.get_segments_for_output(), alloc.buffers)
    reader_root = capnp._PyCustomMessageBuilder(Recorder()).set_root(src.as_reader())
    assert reader_root.to_dict() == src.to_dict()


def test_get_root_as_any_uses_the_allocator(mod: Any) -> None:
    alloc = Recorder()
    mb = capnp._PyCustomMessageBuilder(alloc, 4)
    any_root = mb.get_root_as_any()
    lst = any_root.init_as_list(capnp._ListSchema(capnp.types.Int64), 20)
    for i in range(20):
        lst[i] = i * i
    segments = mb.get_segments_for_output()
    assert_in_buffers(segments, alloc.buffers)
    assert len(segments) == 2  # 20 words do not fit a first segment of 4
    values = MessageReader(segments).root_pointer().get_list().to_list("q")
    assert values == [i * i for i in range(20)]


@pytest.mark.parametrize("bad, error", [
    (lambda words: bytes(words * 8), TypeError),  # read-only
    (lambda words: bytearray(words * 8 - 8), ValueError),  # a word too few
    (lambda words: "not a buffer", TypeError),
    (lambda words: memoryview(bytearray(words * 16))[::2], TypeError),  # not contiguous
    # of two dimensions, not ending on a word
    (lambda words: memoryview(bytearray(words * 8 + 6)).cast("B", (words * 4 + 3, 2)), TypeError),
])
def test_a_bad_buffer_is_refused(mod: Any, bad: Any, error: type) -> None:
    mb = capnp._PyCustomMessageBuilder(bad, 8)
    with pytest.raises(error):
        mb.init_root(mod.Catalog)


def test_nothing_is_written_before_a_root_is_made() -> None:
    alloc = Recorder()
    mb = capnp._PyCustomMessageBuilder(alloc)
    assert mb.get_segments_for_output() == [] and alloc.asked == []
    with pytest.raises(EncodeError, match="no root"):
        capnp._write_message_to_fd(io.BytesIO(), mb)


def test_the_allocator_must_be_callable() -> None:
    with pytest.raises(TypeError):
        capnp._PyCustomMessageBuilder(42)
    with pytest.raises(TypeError):
        AllocatedMessageBuilder(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        AllocatedMessageBuilder(bytearray, 0)
    one = AllocatedMessageBuilder(lambda words: bytearray(words * 8), 1)  # the root pointer only
    one.init_root(1, 0).set_uint64(0, 5)
    assert [len(s) for s in one.segments()] == [8, 16]


def test_a_buffer_of_part_of_a_word_is_used_to_its_last_whole_word() -> None:
    bufs: List[bytearray] = []

    def alloc(words: int) -> bytearray:
        bufs.append(bytearray(words * 8 + 7))
        return bufs[-1]

    mb = AllocatedMessageBuilder(alloc, 3)
    sb = mb.init_root(2, 0)
    sb.set_uint64(0, 0x0102030405060708)
    sb.set_uint64(1, 99)
    assert mb.segments()[0] == bytes(bufs[0][:24])
    assert len(bufs) == 1
    # the next object does not fit three words: a segment of its own, from the allocator
    mb2 = AllocatedMessageBuilder(alloc, 3)
    sb2 = mb2.init_root(0, 1)
    sb2.set_text(0, "x" * 40)
    assert len(mb2.segments()) == 2 and bufs[-1] is not bufs[-2]
    assert MessageReader(mb2.segments()).root().get_text(0) == "x" * 40


def test_pycapnp_reads_the_same_values(mod: Any, path: Any) -> None:
    ref = pycapnp_module(path)
    if ref is None:
        pytest.skip("pycapnp is not installed here (PyPy): our half ran in the tests above")
    import capnp as pycapnp  # type: ignore[import-untyped, import-not-found, unused-ignore]

    ours_alloc, theirs_alloc = Recorder(), Recorder(dirty=False)
    ours = capnp._PyCustomMessageBuilder(ours_alloc, 64)
    theirs = pycapnp._PyCustomMessageBuilder(theirs_alloc, 64)
    fill(ours.init_root(mod.Catalog), 25)
    fill(theirs.init_root(ref.Catalog), 25)
    assert ours_alloc.asked[0] == theirs_alloc.asked[0] == 64
    ours_segments = ours.get_segments_for_output()
    theirs_segments = [bytes(s) for s in theirs.get_segments_for_output()]
    # each library's message lies in its own allocator's buffers ...
    assert_in_buffers(ours_segments, ours_alloc.buffers)
    assert_in_buffers(theirs_segments, theirs_alloc.buffers)
    # ... and reads the same in either library
    want = mod.Catalog.from_segments(theirs_segments).to_dict()
    assert mod.Catalog.from_segments(ours_segments).to_dict() == want
    assert ref.Catalog.from_segments(ours_segments).to_dict() == ref.Catalog.from_segments(
        theirs_segments).to_dict()


def test_a_buffer_given_twice_is_refused() -> None:
    shared = bytearray(1024)  # 128 words
    mb = AllocatedMessageBuilder(lambda words: shared, 128)
    sb = mb.init_root(0, 2)
    sb.set_text(0, "a" * 800)  # 101 words: the first segment has room
    with pytest.raises(ValueError, match="given before"):
        sb.set_text(1, "b" * 800)  # a second segment: the same buffer again


def test_a_segment_uses_no_more_words_than_pointers_reach(monkeypatch: pytest.MonkeyPatch) -> None:
    import capnp_lite.wire.layout as layout

    monkeypatch.setattr(layout, "_MAX_SEGMENT_WORDS", 4)
    for make in (lambda words: bytearray(80), lambda words: memoryview(bytearray(80)),
                 lambda words: array.array("Q", bytes(80))):
        bufs: List[Any] = []

        def alloc(words: int, make: Any = make) -> Any:
            bufs.append(make(words))
            return bufs[-1]

        mb = AllocatedMessageBuilder(alloc, 2)
        sb = mb.init_root(1, 1)
        sb.set_uint64(0, 7)
        sb.set_text(0, "far enough")  # 3 words: not in the first segment's 4
        assert len(memoryview(bufs[0]).cast("B")) == 80  # the buffer keeps its size
        assert [len(s) >> 3 for s in mb.segments()] == [3, 3]
        assert MessageReader(mb.segments()).root().get_text(0) == "far enough"


@pytest.mark.parametrize("make", [
    lambda words: array.array("I", bytes(words * 8 + 4)),  # 4-byte items, half a word over
    lambda words: array.array("b", bytes(words * 8)),  # bytes of another format
    lambda words: memoryview(bytearray(words * 8)).cast("B", (words, 8)),  # two dimensions
    lambda words: bytearray(words * 8 + 5),
    lambda words: memoryview(bytearray(words * 8 + 3)),
], ids=["uint32-array-half-word-over", "int8-array", "2d-view", "bytearray-over", "view-over"])
def test_buffers_of_every_shape_hold_whole_words(make: Any) -> None:
    bufs: List[Any] = []

    def alloc(words: int) -> Any:
        bufs.append(make(words))
        return bufs[-1]

    mb = AllocatedMessageBuilder(alloc, 3)
    sb = mb.init_root(1, 1)
    sb.set_uint64(0, 0x1122334455667788)
    sb.set_text(0, "just past the first segment")
    segments = mb.segments()
    assert [len(s) >> 3 for s in segments] == [3, 5]  # the text behind a landing pad
    assert_in_buffers(segments, bufs)
    assert MessageReader(segments).root().get_text(0) == "just past the first segment"
    assert MessageReader(segments).root().get_uint64(0) == 0x1122334455667788


def test_objects_go_to_the_newest_segment_while_it_has_room() -> None:
    alloc = Recorder()
    mb = AllocatedMessageBuilder(alloc, 5)  # the root pointer and a root of four pointers
    alloc.extra = 1000  # and every later segment has room to spare
    sb = mb.init_root(0, 4)
    for i in range(4):
        sb.set_text(i, f"text {i} " * 10)
    # the first text opened a second segment, and the others followed it there
    assert len(alloc.asked) == 2 and alloc.asked[0] == 5
    assert [MessageReader(mb.segments()).root().get_text(i) for i in range(4)] == [
        f"text {i} " * 10 for i in range(4)]
    assert AllocatedMessageBuilder(Recorder()).buffers[0].__len__() == 1024 * 8  # the default


def test_a_copy_of_a_message_of_several_segments_is_written_in_the_allocated_buffers(
        mod: Any) -> None:
    # A message of several segments laid out as a copy would lay it out: an ordinary copy
    # takes such segments as they are, which here must not move the copy out of the buffers.
    layout_mb = MessageBuilder(16)
    layout_mb.set_root(fill(mod.Catalog.new_message(), 30).as_reader()._sr)
    segments = layout_mb.segments()
    assert len(segments) >= 3
    reader = mod.Catalog.from_segments(segments)
    want = reader.to_dict()
    for first in (16, 64, 1024):
        alloc = Recorder()
        copy = reader.as_builder(num_first_segment_words=first, allocate_seg_callable=alloc)
        assert copy.to_dict() == want
        assert_in_buffers(copy._msg.mb.segments(), alloc.buffers)
        alloc = Recorder()
        mb = capnp._PyCustomMessageBuilder(alloc, first)
        assert mb.set_root(reader).to_dict() == want
        assert_in_buffers(mb.get_segments_for_output(), alloc.buffers)


# -- random messages into random allocators ------------------------------------------------

items = st.lists(st.tuples(st.text(max_size=40), st.sampled_from(["red", "green", "blue"]),
                           st.floats(allow_nan=False), st.lists(st.text(max_size=12), max_size=5),
                           st.lists(st.integers(-2**31, 2**31 - 1), max_size=9),
                           st.binary(max_size=30)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(items=items, first=st.integers(1, 80), extras=st.lists(st.integers(0, 40), max_size=8),
       kind=st.sampled_from(["bytearray", "memoryview", "array"]), title=st.text(max_size=50))
def test_random_messages_lie_in_the_buffers_of_random_allocators(
        mod: Any, items: List[Any], first: int, extras: List[int], kind: str, title: str) -> None:
    sizes = iter(extras)
    alloc = Recorder(kind=kind)

    def allocate(words: int) -> Any:
        alloc.extra = next(sizes, 0)  # each buffer with its own room to spare
        return alloc(words)

    def build(c: Any) -> Any:
        c.title = title
        lst = c.init("items", len(items))
        for it, (name, color, price, tags, scores, blob) in zip(lst, items):
            it.name = name
            it.color = color
            it.price = price
            it.tags = tags
            it.scores = scores
            it.blob = blob
        return c

    mb = capnp._PyCustomMessageBuilder(allocate, first)
    got = build(mb.init_root(mod.Catalog))
    segments = mb.get_segments_for_output()
    assert_in_buffers(segments, alloc.buffers)
    want = build(mod.Catalog.new_message()).to_dict()
    assert got.to_dict() == want
    assert mod.Catalog.from_segments(segments, traversal_limit_in_words=1 << 24).to_dict() == want
