"""builder_from_words: a MessageBuilder whose first segment starts as a copy of earlier words.

The oracle is the constructor: the builder must be in the state ``MessageBuilder(n)`` reaches
by building the same words, so whatever is built next lands on the same bytes.
"""

from __future__ import annotations

from typing import Iterator, List, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capnp_lite.wire.layout import MessageBuilder, StructBuilder, builder_from_words
from capnp_lite.wire.pointers import ELEM_EIGHT_BYTES

SIZES = [1, 2, 5, 63, 64, 65, 200, 1024]


def _template(mb: MessageBuilder) -> StructBuilder:
    """The words both builders start from: a root of one data word and four pointers."""
    root = mb.init_root(1, 4)
    root.set_uint64(0, 0x1122334455667788)
    return root


def _first_words(mb: MessageBuilder) -> Tuple[bytes, int]:
    seg = mb.segments()[0]
    return seg, len(seg) // 8


# What is built on top: (operation, size) pairs applied to root pointers in turn.
Op = Tuple[str, int]


def _apply(mb: MessageBuilder, ops: List[Op]) -> None:
    root = mb.get_root(1, 4)
    for k, (kind, size) in enumerate(ops):
        slot = k % 4
        if kind == "struct":
            child = root.init_struct(slot, size, 1)
            child.set_text(0, "t" * size)
        elif kind == "text":
            root.set_text(slot, "x" * size)
        elif kind == "list":
            root.init_primitive_list(slot, "Q", list(range(size)))
        else:
            orphan = mb.new_orphan_struct(size, 0)
            root.adopt(slot, orphan)


def _pairs(n: int) -> Iterator[Tuple[MessageBuilder, MessageBuilder]]:
    built = MessageBuilder(n)
    _template(built)
    if len(built.segments()) == 1:
        words, used = _first_words(built)
        yield built, builder_from_words(words, used, n)
    # The bare root pointer, which every size holds.
    yield MessageBuilder(n), builder_from_words(bytes(8), 1, n)


@pytest.mark.parametrize("n", SIZES)
def test_the_builder_has_the_constructors_state(n: int) -> None:
    for built, copied in _pairs(n):
        assert copied.segments() == built.segments()
        assert copied.segment_sizes() == built.segment_sizes()
        assert copied.budget == built.budget
        # Every field of a builder is set (a field added to one path only shows up here).
        for cls in type(built).__mro__:
            for name in getattr(cls, "__slots__", ()):
                getattr(copied, name)
        assert copied._segments[-1] is copied._last


ops = st.lists(
    st.tuples(st.sampled_from(["struct", "text", "list", "orphan"]),
              st.integers(min_value=0, max_value=90)),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SIZES), ops)
def test_what_is_built_next_lands_alike(n: int, steps: List[Op]) -> None:
    """Growth, far pointers and new segments follow the same policy as the constructor's."""
    for built, copied in _pairs(n):
        _apply(built, steps)
        _apply(copied, steps)
        assert copied.segments() == built.segments()


def test_the_copy_is_independent_of_the_words() -> None:
    built = MessageBuilder(64)
    _template(built)
    words, used = _first_words(built)
    a = builder_from_words(words, used, 64)
    b = builder_from_words(words, used, 64)
    a.get_root(1, 4).set_uint64(0, 7)
    assert b.get_root(1, 4).get_uint64(0) == 0x1122334455667788
    assert builder_from_words(words, used, 64).segments() == built.segments()


@pytest.mark.parametrize("words, used, n", [
    (bytes(16), 2, 1),  # more words than the first segment holds
    (bytes(8 * 65), 65, 1024),  # more than the 64 words a first segment's buffer starts with
    (bytes(8), 2, 64),  # fewer bytes than the words announced
    (bytes(9), 1, 64),  # not whole words
])
def test_words_that_do_not_fit_are_refused(words: bytes, used: int, n: int) -> None:
    with pytest.raises(ValueError, match="do not fit"):
        builder_from_words(words, used, n)


def test_builder_is_usable_as_a_message() -> None:
    built = MessageBuilder(64)
    root = _template(built)
    root.set_text(1, "hello")
    words, used = _first_words(built)
    copied = builder_from_words(words, used, 64)
    reader = copied.root_reader()
    assert reader.get_uint64(0) == 0x1122334455667788
    assert reader.get_text(1) == "hello"
    copied.get_root(1, 4).init_list(2, ELEM_EIGHT_BYTES, 3).set_all([1, 2, 3])
    assert copied.root_reader().get_list(2).to_list() == [1, 2, 3]
