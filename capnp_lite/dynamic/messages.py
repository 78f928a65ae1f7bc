"""pycapnp's message-level names: ``_MallocMessageBuilder``, ``_PyCustomMessageBuilder``,
``_StreamFdMessageReader``, ``_PackedFdMessageReader``, ``_write_message_to_fd`` and
``_write_packed_message_to_fd``.

Older pycapnp code builds and reads messages through these rather than through
``new_message``/``from_bytes``; they are thin layers over the dynamic API, so such code runs
unchanged with ``import capnp_lite as capnp``.  A schema is given as the struct's module
(``addressbook.Person``) or its ``schema``, as pycapnp takes either.  The readers take a
file, a socket or a descriptor (pycapnp only objects with ``fileno()``).
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional

from ..errors import EncodeError
from . import _PACKED_CHUNK, _packed_messages, any_root, read_segments
from ..wire.framing import encode_message
from ..wire.layout import MessageBuilder
from ..wire.packed import pack_message
from .batch import settle
from .builder import (
    _AnyBuilder,
    _DynamicStructBuilder,
    _Message,
    _Orphan,
    _unordered,
    allocated,
    builder_from_reader,
    make_builder,
    new_builder,
    new_orphan,
)
from .reader import _DynamicObjectReader, _DynamicStructReader
from .schema import StructSchema
from .streams import byte_source, read_framed, require, write_bytes

__all__ = ["_MallocMessageBuilder", "_PyCustomMessageBuilder", "_StreamFdMessageReader",
           "_PackedFdMessageReader", "_write_message_to_fd", "_write_packed_message_to_fd"]


def _struct_schema(schema: Any) -> StructSchema:
    found = getattr(schema, "schema", schema)
    if not isinstance(found, StructSchema):
        raise TypeError(f"expected a struct type or its schema, got {type(schema).__name__}")
    return found


class _MallocMessageBuilder:
    """A message being built, its root set by ``init_root``, ``set_root`` or ``get_root``."""

    def __init__(self, size: Optional[int] = None) -> None:
        # ``size`` (the first segment's words) is accepted for pycapnp's signature.
        self._root: Optional[_DynamicStructBuilder] = None
        # The root pointer as AnyPointer, once get_root_as_any was asked (_root is then None).
        self._any: Optional[_AnyBuilder] = None

    def _fresh(self) -> Optional[MessageBuilder]:
        """Where a new root is laid out: None lets the dynamic API choose (subclasses
        allocate otherwise)."""
        return None

    def init_root(self, schema: Any) -> _DynamicStructBuilder:
        """A new, empty root of the struct type ``schema`` (any root before it is dropped)."""
        self._any = None
        self._root = new_builder(_struct_schema(schema), None, self._fresh())
        return self._root

    def get_root_as_any(self) -> _AnyBuilder:
        """The root pointer as AnyPointer (pycapnp's ``_DynamicObjectBuilder``): make it a
        struct, a list or a text of any type (``init_as_struct``, ``init_as_list``,
        ``set_as_text``...), or read what it holds (``as_struct``, ``as_list``, ``as_reader``)."""
        if self._any is None:
            if self._root is not None:
                root = self._root
                root._sb  # laid out now: the root pointer is written in the message's first word
                msg = root._msg
                if msg.pending is not None:
                    settle(msg)  # list elements still waiting to be laid out
                _unordered(msg)
                mb = msg.mb
                assert mb is not None
            else:
                mb = self._fresh()
                if mb is None:
                    mb = MessageBuilder()
                msg = _Message(mb)  # (in no known order: written out as it lies)
            self._any = _AnyBuilder(mb.root_holder(), 0, msg)
            self._root = None
        return self._any

    def _any_segments(self) -> List[bytes]:
        assert self._any is not None
        return _as_they_lie(self._any._msg)

    def get_root(self, schema: Any) -> _DynamicStructBuilder:
        """The root as the struct type ``schema``: a new empty one if there is none yet, and
        the root's own words seen through ``schema`` if it was made as another type."""
        wanted = _struct_schema(schema)
        if self._any is not None:
            return self._any.as_struct(wanted)
        root = self._root
        if root is None:
            return self.init_root(wanted)
        if root.schema is wanted:
            return root
        return make_builder(wanted, root._sb, root._msg)

    def set_root(self, value: Any) -> _DynamicStructBuilder:
        """Make a copy of the struct ``value`` (a reader or a builder) the root; returns the
        root's builder (as pycapnp's ``set_root`` does)."""
        if isinstance(value, _DynamicStructBuilder):
            value = value.as_reader()  # (with any list elements still waiting laid out first)
        if isinstance(value, _DynamicStructReader):
            sr, caps = value._sr, value._caps
        else:
            raise TypeError(f"set_root takes a struct reader or builder, not {type(value).__name__}")
        self._any = None
        self._root = builder_from_reader(value.schema, sr, caps, self._fresh())
        return self._root

    def new_orphan(self, schema: Any) -> _Orphan:
        """A new struct of type ``schema`` outside the message: ``get()`` gives its builder;
        ``adopt`` it into a field or a list element (which copies it)."""
        return new_orphan(_struct_schema(schema))

    def get_segments_for_output(self) -> List[bytes]:
        """The message's segments (none before a root is made)."""
        if self._any is not None:
            return self._any_segments()
        if self._root is None:
            return []
        return self._root.to_segments()

    def _to_bytes(self, packed: bool = False) -> bytes:
        if self._any is not None:
            segments = self._any_segments()
            return pack_message(segments) if packed else encode_message(segments)
        if self._root is None:
            raise EncodeError("the message has no root to write: init_root, set_root or get_root first")
        return self._root.to_bytes_packed() if packed else self._root.to_bytes()


class _PyCustomMessageBuilder(_MallocMessageBuilder):
    """A message built in segments from ``allocate_seg_callable`` (pycapnp's name): it is
    called with the fewest words a new segment must hold (the first time at least ``size``,
    default 1024) and returns a writable buffer (``bytearray``, ``memoryview``, an array,
    shared memory) of at least that many words, which becomes the segment: the message is
    written into it where it lies.  The buffers are kept while the builder lives.  Each root
    made (``init_root``, ``set_root``, ``get_root_as_any``) starts in a segment of its own.
    A buffer that is read-only, not contiguous or too small raises, as in pycapnp; a buffer
    is zeroed when taken."""

    def __init__(self, allocate_seg_callable: Callable[[int], Any], size: Optional[int] = None) -> None:
        if not callable(allocate_seg_callable):
            raise TypeError("allocate_seg_callable must be callable")
        super().__init__(size)
        self._allocate = allocate_seg_callable
        self._size = size

    def _fresh(self) -> Optional[MessageBuilder]:
        return allocated(self._allocate, self._size)

    def get_segments_for_output(self) -> List[bytes]:
        """The message's segments as they lie in the allocated buffers (each trimmed to the
        words used; none before a root is made)."""
        root = self._any if self._any is not None else self._root
        return [] if root is None else _as_they_lie(root._msg)

    def _to_bytes(self, packed: bool = False) -> bytes:
        if self._any is None and self._root is None:
            raise EncodeError("the message has no root to write: init_root, set_root or get_root first")
        segments = self.get_segments_for_output()
        return pack_message(segments) if packed else encode_message(segments)


def _as_they_lie(msg: _Message) -> List[bytes]:
    """The segments of ``msg`` as they lie (not copied into the reference layout), once the
    list elements still waiting are laid out."""
    if msg.pending is not None:
        settle(msg)
    assert msg.mb is not None
    return msg.mb.segments()


def _message_bytes(message: Any, packed: bool) -> bytes:
    if isinstance(message, _MallocMessageBuilder):
        return message._to_bytes(packed)
    if isinstance(message, _DynamicStructBuilder):
        return message.to_bytes_packed() if packed else message.to_bytes()
    raise TypeError(f"expected a _MallocMessageBuilder, got {type(message).__name__}")


def _write_message_to_fd(fd: Any, message: Any) -> None:
    """Write ``message`` (a ``_MallocMessageBuilder`` or a root builder) to a descriptor,
    file or socket."""
    write_bytes(fd, _message_bytes(message, False))


def _write_packed_message_to_fd(fd: Any, message: Any) -> None:
    """``_write_message_to_fd``, packed."""
    write_bytes(fd, _message_bytes(message, True))


class _FdMessageReader:
    """One message read from a stream; its root read as any struct type."""

    def __init__(self, segments: List[memoryview], traversal_limit_in_words: Optional[int],
                 nesting_limit: Optional[int]) -> None:
        self._segments = segments
        self._traversal_limit = traversal_limit_in_words
        self._nesting_limit = nesting_limit

    def get_root(self, schema: Any) -> _DynamicStructReader:
        return read_segments(self._segments, _struct_schema(schema),
                             self._traversal_limit, self._nesting_limit)

    def get_root_as_any(self) -> _DynamicObjectReader:
        return any_root(self._segments, self._traversal_limit, self._nesting_limit)


class _StreamFdMessageReader(_FdMessageReader):
    """The next message of a file, socket or descriptor (exactly its bytes are read, so the
    next reader starts at the message after it).  At the end of the stream it raises
    :class:`EndOfStream`."""

    def __init__(self, file: Any, traversal_limit_in_words: Optional[int] = None,
                 nesting_limit: Optional[int] = None) -> None:
        segments = require(read_framed(byte_source(file), traversal_limit_in_words))
        super().__init__(segments, traversal_limit_in_words, nesting_limit)


class _PackedFdMessageReader(_FdMessageReader):
    """The next packed message of a file, socket or descriptor.  Packed bytes carry no
    length, so bytes read past the message are not left for a next reader (as in pycapnp,
    whose reader buffers the descriptor)."""

    def __init__(self, file: Any, traversal_limit_in_words: Optional[int] = None,
                 nesting_limit: Optional[int] = None) -> None:
        source = byte_source(file)
        chunks = iter(lambda: source.read_some(_PACKED_CHUNK), b"")
        segments = require(next(_packed_messages(chunks, traversal_limit_in_words), None))
        super().__init__(segments, traversal_limit_in_words, nesting_limit)
