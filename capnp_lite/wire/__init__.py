"""The Cap'n Proto wire format, without schemas.

Modules:

* :mod:`.pointers` -- pointers as plain ints (``kind``, ``offset``,
  ``make_struct`` ... and the ``ELEM_*`` element size codes).
* :mod:`.segments` -- :class:`Segment` (typed views) and :class:`ReadLimits`.
* :mod:`.layout` -- the layout core: :class:`MessageReader`,
  :class:`StructReader`, :class:`ListReader`, :class:`AnyPointerReader`,
  :class:`MessageBuilder`, :class:`StructBuilder`, :class:`ListBuilder`,
  deep copy (``set_root``/``set_struct``/``set_list``/``set_pointer``),
  orphans (:class:`Orphan`: ``disown``/``adopt``, ``new_orphan_*``).
* :mod:`.canonical` -- ``canonicalize(root)``, ``is_canonical(segments)``.
* :mod:`.framing` and :mod:`.packed` -- stream framing and packing.

Reading::

    msg = MessageReader(segments)            # segments: bytes/bytearray/memoryview
    root = msg.root()                        # StructReader
    root.get_uint32(0)                       # offset in units of the field width
    root.get_float64(1, default=1.5)         # defaults are XORed in
    root.get_text(0); root.get_data(1)
    root.get_list(2, ELEM_FOUR_BYTES).to_list("i")
    root.get_list(3, ELEM_COMPOSITE).get_struct(0)

Building::

    mb = MessageBuilder()                    # reference segment policy
    s = mb.init_root(2, 1)
    s.set_int32(0, -5); s.set_text(0, "hi")
    s.init_primitive_list(0, "I", range(10))
    mb.segments()                            # list of bytes

Moving an object (orphans)::

    orphan = s.disown(0)                     # the pointer becomes null; the object stays
    other.adopt(1, orphan)                   # near, far or double-far, as placement needs
"""

from __future__ import annotations

from .canonical import canonicalize, canonicalize_message, is_canonical
from .layout import (
    FORMAT_ELEMENT_SIZE,
    AnyPointerReader,
    ListBuilder,
    ListReader,
    MessageBuilder,
    MessageContext,
    MessageReader,
    Orphan,
    PointerKind,
    StructBuilder,
    StructReader,
)
from .pointers import (
    ELEM_BIT,
    ELEM_BYTE,
    ELEM_COMPOSITE,
    ELEM_EIGHT_BYTES,
    ELEM_FOUR_BYTES,
    ELEM_POINTER,
    ELEM_TWO_BYTES,
    ELEM_VOID,
)
from .segments import ReadLimits, Segment, read_segment

__all__ = [
    "AnyPointerReader",
    "ELEM_BIT",
    "ELEM_BYTE",
    "ELEM_COMPOSITE",
    "ELEM_EIGHT_BYTES",
    "ELEM_FOUR_BYTES",
    "ELEM_POINTER",
    "ELEM_TWO_BYTES",
    "ELEM_VOID",
    "FORMAT_ELEMENT_SIZE",
    "ListBuilder",
    "ListReader",
    "MessageBuilder",
    "MessageContext",
    "MessageReader",
    "Orphan",
    "PointerKind",
    "ReadLimits",
    "Segment",
    "StructBuilder",
    "StructReader",
    "canonicalize",
    "canonicalize_message",
    "is_canonical",
    "read_segment",
]
