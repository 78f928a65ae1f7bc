"""The dynamic, pycapnp-style API: schemas loaded at run time, fields by name.

    addressbook = capnp_lite.load("addressbook.capnp")
    msg = addressbook.Person.new_message(name="Alice", id=1)
    phones = msg.init("phones", 1)
    data = msg.to_bytes()
    with addressbook.Person.from_bytes(data) as person:
        print(person.name, person.to_dict())

Layering: readers are views over the layout core
(:mod:`capnp_lite.wire.layout`) and builders write into a layout
``MessageBuilder``; ``to_bytes()`` deep-copies the root into a fresh builder,
so the bytes follow the reference pre-order layout of ``capnp encode``
whatever order the fields were set in.  No pointer or offset arithmetic lives
in this package.

Hooks for the RPC layer:

* ``StructSchema.new_message(**fields) -> _DynamicStructBuilder``.
* ``StructSchema.wrap_reader(reader: StructReader, caps=None)`` -- a dynamic
  reader over a struct inside any message (an RPC payload's content).
  Capability fields resolve through ``caps`` (the payload's cap table) by the
  pointer's index; without ``caps`` they raise DecodeError.
* ``StructSchema.write_into(builder: StructBuilder, value, caps: list)`` --
  copies a dynamic builder (or reader) into a layout struct of another
  message, at least the schema's size.  Capabilities ``value`` refers to are
  appended to ``caps`` (once per object) and written with their new index.
* Interface-typed fields accept any object when building: it goes into the
  message's capability table (``builder.caps``) and the field reads back as
  that object.  AnyPointer fields (``Capability`` included) accept one too;
  they read back as an opaque object whose ``as_interface()`` gives it.
* ``module.SomeInterface.schema`` is an :class:`InterfaceSchema`: ``id``,
  ``name``, ``methods`` (own methods by name: :class:`MethodSchema` with
  ``ordinal``, ``param_type`` and ``result_type`` StructSchemas),
  ``superclasses``, ``find_method(name)`` and ``all_methods()``.
* ``module.SomeInterface.Server`` is a base class for implementations; it
  carries the interface as ``_capnp_schema`` (an :class:`InterfaceSchema`).
* ``.layout`` on readers and builders gives the layout core's object.

Differences from pycapnp 2.x:

* Enum fields read as :class:`EnumValue`, a ``str`` subclass (one shared
  object per enumerant) equal to the name and to the number (``.raw``), or
  as ``int`` for a value the schema does not name; pycapnp returns
  ``_DynamicEnum`` objects, which compare the same way.
* ``which`` is a property giving :class:`UnionTag` (an ``EnumValue`` that is
  also callable, returning itself, so ``which()`` works); pycapnp's is not
  hashable and its ``which()`` returns a plain ``str``.
* Setting a pointer field again leaves the old object as unreachable words in
  the builder; ``to_bytes()`` drops them (pycapnp keeps them and warns).
* Elements of a list of lists or of AnyPointer read from a builder are
  read-only views; use ``init(i, size)`` or assign a whole value to change them.
* A message read from bytes has no capability table: a non-null capability
  pointer raises DecodeError when read (use ``wrap_reader`` with ``caps``).
* AnyPointer fields of readers give ``as_struct(Type)``, ``as_list(Type)``
  (lists of structs), ``as_text()``, ``as_data()`` and ``as_interface()``;
  of builders also ``set``, ``set_as_text``, ``init_as_struct`` and
  ``init_as_list``, unset ones included.  ``as_list`` and ``init_as_list``
  take the element type (a struct, ``capnp.types.Int32``, a :class:`TypeInfo`)
  or, as pycapnp's do, the list type (``_ListSchema(element)``).
* ``SchemaLoader`` makes schemas from ``Node`` readers as pycapnp's does, but
  every node a struct's fields name must be loaded before the struct is used
  (pycapnp stands in placeholders for missing nodes).  A view from a builder's
  ``get_data_as_view`` stops reaching the message once its segment grows to
  hold a later object.
* Orphans (``disown``/``adopt`` of fields and list elements,
  ``_MallocMessageBuilder.new_orphan``) are copies: adopting one copies it in,
  and what was disowned leaves unreachable words until ``to_bytes()`` drops them.
  ``init_resizable_list`` takes lists of structs only (pycapnp aborts on others) and its
  elements are messages of their own until ``finish()`` copies them into the field.
* Text that is not UTF-8 raises DecodeError on attribute access (the text
  printer still shows its bytes).
* ``from_bytes`` reads segments as views of the caller's buffer (no copy):
  do not modify the buffer while a reader of it is in use.
* Reading a union member that is not the active one gives its value as the
  words hold it (pycapnp raises); ``which()`` says which member is active.
  Assigning a dict to an inactive member starts that member afresh (pycapnp
  raises); to the active one, as to any struct field or group, it updates
  the struct as it stands, as in pycapnp.
* Bool fields also take integers (as truth values), and Data fields ``bytearray`` and
  ``memoryview``; integer fields take only ``int`` (pycapnp also takes a
  ``float`` holding an integer, which ``capnp encode`` refuses).
"""

from __future__ import annotations

import copy
import enum
import os
import struct
from typing import IO, Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from ..errors import SchemaError
from ..schema.compiler import short_name_start
from ..schema.model import CodeGeneratorRequest, Node
from ..wire.framing import decode_message, few_segments
from ..wire.layout import ROOT_POINTER_CHARGE, MessageBuilder, MessageReader
from ..wire.packed import PackedMessageDecoder, packed_messages_in, unpack_frame_at
from ..wire.segments import (
    DEFAULT_NESTING_LIMIT,
    DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
    read_segment,
)
from .builder import (
    _DynamicListBuilder,
    _DynamicStructBuilder,
    allocated,
    new_builder,
    set_new,
    write_value,
)
from .reader import (
    UnionTag,
    _element_reader,
    make_reader,
    reader_class,
    _DynamicListReader,
    _DynamicObjectReader,
    _DynamicStructReader,
    reader_for_struct_value,
)
from .schema import EnumSchema, InterfaceSchema, MethodSchema, ParsedSchema, SchemaLoader, StructSchema
from .streams import byte_source, framed_messages_in, message_limit, read_framed, require
from .values import EnumValue

__all__ = [
    "load",
    "load_request",
    "SchemaModule",
    "StructModule",
    "EnumModule",
    "InterfaceModule",
    "_DynamicStructReader",
    "_DynamicStructBuilder",
    "_DynamicListReader",
    "_DynamicListBuilder",
    "_DynamicObjectReader",
    "read_segments",
    "StructSchema",
    "InterfaceSchema",
    "MethodSchema",
    "EnumSchema",
    "UnionTag",
    "EnumValue",
    "StructModuleWhich",
    "read_multiple_bytes_packed",
    "SchemaParser",
    "module_by_id",
    "declared_ids",
]

Buffer = Union[bytes, bytearray, memoryview]

# A frame's segment count - 1, segment 0's size in words, and (one segment) its first word,
# the root pointer, as two halves.
_FRAME_HEAD = struct.Struct("<IIII")
_COPY_LIMIT = 1 << 20  # framed messages up to this size are read from a copy


def _unpack_frame(buf: Buffer, traversal_limit_in_words: Optional[int]) -> bytes:
    """The unpacked bytes of the packed framed message at the start of ``buf``.

    Like the reference's reader, a message larger than the traversal limit is
    refused from its segment table, before it is unpacked.
    """
    frame, _ = unpack_frame_at(buf, max_message_words=message_limit(traversal_limit_in_words))
    return frame


def read_segments(
    segments: Sequence[Buffer],
    schema: StructSchema,
    traversal_limit_in_words: Optional[int] = None,
    nesting_limit: Optional[int] = None,
) -> _DynamicStructReader:
    """A reader of the root struct of a message given as segments."""
    msg = MessageReader(
        segments,
        traversal_limit_in_words=(
            DEFAULT_TRAVERSAL_LIMIT_IN_WORDS
            if traversal_limit_in_words is None
            else traversal_limit_in_words
        ),
        nesting_limit=DEFAULT_NESTING_LIMIT if nesting_limit is None else nesting_limit,
    )
    return _DynamicStructReader(schema, msg.root())


class _Scope:
    """Attribute access to the nested declarations of a node."""

    def __init__(self, loader: SchemaLoader, node: Node) -> None:
        self._loader = loader
        self._node = node
        self._children: Dict[str, Any] = {}
        for nested in node.nested_nodes:
            child = loader.nodes.get(nested.id)
            if child is not None:
                self._children[nested.name] = child

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        child = self._children.get(name)
        if child is None:
            raise AttributeError(f"{self._node.display_name} has no member {name!r}")
        # (a type's module is its loader's one, which modules_by_id gives too, as in pycapnp)
        value = _module_in(self._loader, child.id)
        if value is None:  # a constant, an annotation or a nested scope
            value = _wrap_node(self._loader, child)
        setattr(self, name, value)  # cache: the next lookup skips __getattr__
        return value

    def __dir__(self) -> List[str]:
        return sorted(self._children)


def _wrap_node(loader: SchemaLoader, node: Node) -> Any:
    if node.which == "struct":
        return StructModule(loader, node)
    if node.which == "enum":
        return EnumModule(loader, node)
    if node.which == "interface":
        return InterfaceModule(loader, node)
    if node.which == "const":
        return _const_value(loader, node)
    return _Scope(loader, node)


def _const_value(loader: SchemaLoader, node: Node) -> Any:
    assert node.type is not None and node.value is not None
    t = loader.resolve(node.type, {})
    value = node.value.value
    if t.kind == "struct":
        return reader_for_struct_value(t.struct, value)
    if t.kind == "list":
        holder = MessageBuilder(growth="single").init_root(0, 1)
        write_value(holder, 0, t, value, None)
        assert t.element is not None
        return _DynamicListReader(t.element, holder.as_reader().get_list(0))
    if t.kind == "enum":
        return t.enum.value_of(value)
    return value


class SchemaModule(_Scope):
    """A loaded ``.capnp`` file: its top-level declarations as attributes.

    ``__name__`` is the file's base name (``addressbook.capnp``), or the name
    given to :func:`load` (the module name when imported through the hook).
    """

    def __init__(
        self, loader: SchemaLoader, node: Node, request: CodeGeneratorRequest,
        name: Optional[str] = None,
    ) -> None:
        super().__init__(loader, node)
        self.schema_request = request
        self.__name__ = name or os.path.basename(node.display_name)

    def __getattr__(self, name: str) -> Any:
        # pycapnp's ``module.schema``: the file's own schema (a declaration of that name wins)
        if name == "schema" and name not in self._children:
            value = ParsedSchema(self._node, self._loader)
            self.schema = value
            return value
        return super().__getattr__(name)

    def __repr__(self) -> str:
        return f"<capnp_lite schema module {self._node.display_name}>"


def _module_of(source: Any, node: Any, kind: type) -> Tuple[SchemaLoader, Node, Any]:
    """The loader and node of a type module made as we make them, ``(loader, node)``, or as
    pycapnp's ``_StructModule(schema, name)`` is (any name: the schema's own is kept); with
    the schema given then, else None."""
    if isinstance(source, SchemaLoader) and isinstance(node, Node):
        return source, node, None
    loader = getattr(source, "loader", None) if isinstance(source, kind) else None
    if isinstance(loader, SchemaLoader):
        return loader, source.model, source
    raise TypeError(f"expected a {kind.__name__} (and a name), got {type(source).__name__}")


class StructModule(_Scope):
    """A struct type: ``new_message``, ``from_bytes``, ``read`` and nested types.

    Made by ``load`` from a loader and a node, or as pycapnp's ``_StructModule(schema,
    name)`` from a :class:`StructSchema` (a :class:`SchemaLoader` schema's ``as_struct()``).
    """

    def __init__(self, loader: Any, node: Any) -> None:
        loader, node, given = _module_of(loader, node, StructSchema)
        super().__init__(loader, node)
        self.schema: StructSchema = given or loader.struct_schema(node.id)
        self._add_union_types()

    def __getattr__(self, name: str) -> Any:
        # pycapnp's type-check classes, made on first use (nested declarations of these
        # names win: _Scope finds them first).
        if name in _CHECK_BASES and name not in self._children:
            value = _struct_check_class(name, _CHECK_BASES[name], self.schema)
            setattr(self, name, value)
            return value
        return super().__getattr__(name)

    def _add_union_types(self) -> None:
        """As pycapnp: a group with a union gives an enum of its members, named after the
        group (``Person.Employment.school``), another group a struct type; a struct made
        only of a union gives ``Union`` (``Shape.Union.Circle``).  Nested declarations win."""
        schema = self.schema
        for field in schema.fields_list:
            group = field.group
            name = _capitalized(field.name)
            if group is None or name in self._children:
                continue
            if group.union_infos:
                value: Any = _which_enum([(f.name, f.discriminant) for f in group.union_infos])
                if value is None:
                    continue
                value.schema = group
            else:
                value = StructModule(self._loader, group.model)
            setattr(self, name, value)
        if schema.union_infos and not schema.non_union_infos and "Union" not in self._children:
            union = _which_enum([(_capitalized(f.name), f.discriminant) for f in schema.union_infos])
            if union is not None:
                union.schema = schema
                self.Union = union

    def new_message(
        self,
        num_first_segment_words: Optional[int] = None,
        allocate_seg_callable: Any = None,
        **fields: Any,
    ) -> _DynamicStructBuilder:
        """A new message whose root is this struct, its fields set from ``fields``.

        With ``allocate_seg_callable`` the message is built in segments it provides (see
        ``_PyCustomMessageBuilder``), the first of at least ``num_first_segment_words``
        words (default 1024); without it ``num_first_segment_words`` is accepted for
        pycapnp's signature and the builder sizes its segments itself.
        """
        builder = new_builder(self.schema, None,
                              allocated(allocate_seg_callable, num_first_segment_words))
        if fields:
            set_new(builder, fields)  # (a new message: nothing waits to be laid out)
        return builder

    def from_dict(self, value: Dict[str, Any]) -> _DynamicStructBuilder:
        return self.new_message(**value)

    def from_segments(
        self,
        segments: Sequence[Buffer],
        traversal_limit_in_words: Optional[int] = None,
        nesting_limit: Optional[int] = None,
    ) -> _DynamicStructReader:
        return read_segments(segments, self.schema, traversal_limit_in_words, nesting_limit)

    def from_bytes(
        self,
        buf: Buffer,
        traversal_limit_in_words: Optional[int] = None,
        nesting_limit: Optional[int] = None,
        builder: bool = False,
    ) -> Any:
        if not builder and type(buf) is bytes and len(buf) >= 16:
            traversal = (DEFAULT_TRAVERSAL_LIMIT_IN_WORDS
                         if traversal_limit_in_words is None else traversal_limit_in_words)
            nesting = DEFAULT_NESTING_LIMIT if nesting_limit is None else nesting_limit
            # One-segment frame (the common case): no general frame decoder, and the root
            # pointer comes with the table, as two 32-bit halves.
            count, size, lo, hi = _FRAME_HEAD.unpack_from(buf, 0)
            end = 8 + (size << 3)
            if count == 0 and end <= len(buf):
                # A bytes copy of a message up to _COPY_LIMIT costs about what a
                # view does, and Text then decodes from bytes slices, faster.
                body = buf[8:end] if end <= _COPY_LIMIT else memoryview(buf)[8:end]
                seg = read_segment(0, body)
                msg = MessageReader.from_segment(seg, traversal, nesting)
                # A struct pointer (kind 0, offset not negative) that is not null, to a
                # struct inside the segment, within the limits: its reader at once, with no
                # layout reader (MessageReader.root() reads the same and charges the same).
                # The generated readers' from_bytes (codegen/runtime.py) has the same checks
                # inline, for the same reason: a change to one is a change to both.
                if lo & 0x80000003 == 0 and (lo or hi) and nesting > 0:
                    start = 1 + (lo >> 2)
                    dw = hi & 0xFFFF
                    pc = hi >> 16
                    charge = dw + pc + ROOT_POINTER_CHARGE
                    if start + dw + pc <= size and charge <= traversal:
                        msg.budget = traversal - charge
                        schema = self.schema
                        return _element_reader(schema.reader_cls or reader_class(schema),
                                               schema, None, msg, seg, start << 3, dw << 3,
                                               pc, nesting - 1, None)
                return make_reader(self.schema, msg.root())  # (reports what is wrong)
            # A few segments (a large message from the reference builder): copies too.
            pieces = few_segments(buf, _COPY_LIMIT)
            if pieces is not None:
                msg = MessageReader(pieces, traversal_limit_in_words=traversal,
                                    nesting_limit=nesting)
                return make_reader(self.schema, msg.root())
        segments: Sequence[Buffer] = decode_message(buf)
        if not builder and len(buf) <= _COPY_LIMIT:
            # Bytes copies, for the same reason as above.
            segments = [bytes(s) for s in segments]
        reader = self.from_segments(segments, traversal_limit_in_words, nesting_limit)
        return reader.as_builder() if builder else reader

    def from_bytes_packed(
        self,
        buf: Buffer,
        traversal_limit_in_words: Optional[int] = None,
        nesting_limit: Optional[int] = None,
    ) -> _DynamicStructReader:
        """Read one packed framed message; bytes after it are not read."""
        return self.from_bytes(  # type: ignore[no-any-return]
            _unpack_frame(buf, traversal_limit_in_words), traversal_limit_in_words, nesting_limit
        )

    def from_flat_bytes(self, buf: Buffer, **limits: Any) -> _DynamicStructReader:
        return self.from_segments([bytes(buf)], **limits)

    def read(
        self,
        file: Any,
        traversal_limit_in_words: Optional[int] = None,
        nesting_limit: Optional[int] = None,
    ) -> _DynamicStructReader:
        """The next message of ``file``: a binary or text-mode file, a socket or a descriptor.

        Reads exactly one message's bytes.  At the end of the stream it raises
        :class:`EndOfStream` (a DecodeError and an EOFError).
        """
        segments = require(read_framed(byte_source(file), traversal_limit_in_words))
        return self.from_segments(segments, traversal_limit_in_words, nesting_limit)

    async def read_async(
        self, stream: Any, traversal_limit_in_words: Optional[int] = None,
        nesting_limit: Optional[int] = None,
    ) -> Optional[_DynamicStructReader]:
        """The next message on ``stream`` (an ``AsyncIoStream``) read as this struct, or None
        when the stream has ended (as pycapnp's); a message cut short raises DecodeError."""
        segments = await stream.read_message()
        if segments is None:
            return None
        return read_segments(segments, self.schema, traversal_limit_in_words, nesting_limit)

    def read_multiple(
        self,
        file: Any,
        traversal_limit_in_words: Optional[int] = None,
        nesting_limit: Optional[int] = None,
        skip_copy: bool = False,
    ) -> Iterator[_DynamicStructReader]:
        """Each message of ``file`` in turn, until its end (a message cut short raises)."""
        source = byte_source(file)
        while True:
            segments = read_framed(source, traversal_limit_in_words)
            if segments is None:
                return
            yield self.from_segments(segments, traversal_limit_in_words, nesting_limit)

    def read_multiple_bytes(
        self,
        buf: Buffer,
        traversal_limit_in_words: Optional[int] = None,
        nesting_limit: Optional[int] = None,
    ) -> Iterator[_DynamicStructReader]:
        """Each framed message of ``buf`` in turn (views of ``buf``: do not modify it meanwhile)."""
        for segments in framed_messages_in(buf):
            yield self.from_segments(segments, traversal_limit_in_words, nesting_limit)

    def read_multiple_packed(
        self,
        file: Any,
        traversal_limit_in_words: Optional[int] = None,
        nesting_limit: Optional[int] = None,
        skip_copy: bool = False,
    ) -> Iterator[_DynamicStructReader]:
        """Each packed message of ``file`` in turn, until its end."""
        source = byte_source(file)
        chunks = iter(lambda: source.read_some(_PACKED_CHUNK), b"")
        for segments in _packed_messages(chunks, traversal_limit_in_words):
            yield self.from_segments(segments, traversal_limit_in_words, nesting_limit)

    def read_multiple_bytes_packed(
        self,
        buf: Buffer,
        traversal_limit_in_words: Optional[int] = None,
        nesting_limit: Optional[int] = None,
    ) -> Iterator[_DynamicStructReader]:
        """Each packed message of ``buf`` in turn."""
        for segments in _packed_in(buf, traversal_limit_in_words):
            yield self.from_segments(segments, traversal_limit_in_words, nesting_limit)

    def read_packed(
        self,
        file: IO[bytes],
        traversal_limit_in_words: Optional[int] = None,
        nesting_limit: Optional[int] = None,
    ) -> _DynamicStructReader:
        """Read one packed framed message from ``file`` (a binary or text-mode file, a
        socket or a descriptor), as ``read`` does.  Packed bytes carry no length, so what
        is read past the message in the last chunk is not left for a next read: use
        ``read_multiple_packed`` for a stream of messages."""
        source = byte_source(file)
        chunks = iter(lambda: source.read_some(_PACKED_CHUNK), b"")
        segments = next(_packed_messages(chunks, traversal_limit_in_words), None)
        return self.from_segments(require(segments), traversal_limit_in_words, nesting_limit)

    def __call__(self, num_first_segment_words: Optional[int] = None, **fields: Any) -> _DynamicStructBuilder:
        return self.new_message(num_first_segment_words, **fields)

    def __repr__(self) -> str:
        return f"<capnp_lite struct {self._node.display_name}>"


class _StructCheckMeta(type):
    """The metaclass of ``Person.Reader`` and ``Person.Builder``: ``isinstance`` is true for
    readers (builders) of that struct, whichever load of its file made them, as in pycapnp."""

    _capnp_base: type
    _capnp_id: int

    def __instancecheck__(cls, obj: object) -> bool:
        if not isinstance(obj, cls._capnp_base):
            return False
        schema = getattr(obj, "schema", None)
        return schema is not None and schema.model.id == cls._capnp_id

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{cls.__qualname__} is for type checks; "
                        "use new_message() or from_bytes() to make one")


_CHECK_BASES = {"Reader": _DynamicStructReader, "Builder": _DynamicStructBuilder}


def _struct_check_class(name: str, base: type, schema: StructSchema) -> type:
    """``Person.Reader`` / ``Person.Builder``: a class for ``isinstance`` checks only."""
    return _StructCheckMeta(name, (), {
        "_capnp_base": base,
        "_capnp_id": schema.model.id,
        "__qualname__": f"{schema.model.display_name.rpartition(':')[2]}.{name}",
        "__doc__": f"isinstance() check: a {name.lower()} of struct {schema.model.display_name}.",
    })


# Packed bytes read from a file per step of read_multiple_packed.
_PACKED_CHUNK = 1 << 16


def _packed_in(buf: Buffer, traversal_limit_in_words: Optional[int]) -> Iterator[List[memoryview]]:
    """The segments of each packed message in ``buf``; a partial one raises."""
    return packed_messages_in(buf, max_message_words=message_limit(traversal_limit_in_words))


def _packed_messages(
    chunks: Iterator[Buffer], traversal_limit_in_words: Optional[int]
) -> Iterator[List[memoryview]]:
    """The segments of each packed message in the stream of ``chunks``; a partial one raises."""
    decoder = PackedMessageDecoder(max_message_words=message_limit(traversal_limit_in_words))
    for chunk in chunks:
        decoder.feed(chunk)
        while True:
            segments = decoder.next_message()
            if segments is None:
                break
            yield segments
    decoder.close()


class StructModuleWhich(enum.Enum):
    """The members of a union as an enum (pycapnp's ``Person.Employment`` or ``Struct.Union``).

    A member equals its discriminant (an int) and its name; ``init`` accepts it
    in place of the field name.
    """

    def __eq__(self, other: object) -> bool:
        if isinstance(other, int):
            result: bool = self.value == other
            return result
        return self.name == other

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = enum.Enum.__hash__


def _which_enum(names: Sequence[Tuple[str, int]]) -> Any:
    try:
        return StructModuleWhich("StructModuleWhich", list(names))  # type: ignore[call-arg]
    except (TypeError, ValueError):  # a member name the enum module reserves
        return None


def _capitalized(name: str) -> str:
    return name[:1].upper() + name[1:]


class EnumModule(_Scope):
    """An enum type: each enumerant's ordinal as an attribute."""

    def __init__(self, loader: Any, node: Any) -> None:
        loader, node, given = _module_of(loader, node, EnumSchema)
        super().__init__(loader, node)
        self.schema: EnumSchema = given or loader.enum_schema(node.id)
        for name, value in self.schema.by_name.items():
            setattr(self, name, value)

    def __repr__(self) -> str:
        return f"<capnp_lite enum {self._node.display_name}>"


class InterfaceModule(_Scope):
    """An interface type: its :class:`InterfaceSchema`, ``Server`` base class and nested declarations."""

    def __init__(self, loader: Any, node: Any) -> None:
        loader, node, given = _module_of(loader, node, InterfaceSchema)
        super().__init__(loader, node)
        self.schema: InterfaceSchema = given or loader.interface_schema(node.id)
        self._server: Optional[type] = None

    @property
    def Server(self) -> type:
        """The base class of implementations (pycapnp's ``Interface.Server``).

        Subclass it and define the methods; the RPC layer (``capnp_lite.aio``)
        finds the interface through the class attribute ``_capnp_schema``.
        """
        if self._server is None:
            self._server = type("Server", (), {
                "_capnp_schema": self.schema,
                "__doc__": f"Server base of {self.schema.name}.",
            })
        return self._server

    def _new_client(self, server: object) -> Any:
        """A client of ``server`` (an object of this process) with no connection, as
        pycapnp's ``Interface._new_client``: calls run in this process's event loop."""
        from ..aio.session import local_client  # the RPC layer only loads when used

        return local_client(server, self)

    def __repr__(self) -> str:
        return f"<capnp_lite interface {self._node.display_name}>"


# The latest load of each file, by the file's id (pycapnp keeps every schema it loaded):
# unpickling finds a struct by its id in them, the newest load first.
_loaders: Dict[int, SchemaLoader] = {}


def _remember(file_id: int, loader: SchemaLoader) -> None:
    _loaders.pop(file_id, None)  # (re-inserted: the newest last)
    _loaders[file_id] = loader


def forget_loaded() -> None:
    """Forget the files loaded so far (``cleanup_global_schema_parser``): their modules keep
    working, but unpickling no longer finds their types."""
    _loaders.clear()


def _module_in(loader: SchemaLoader, type_id: int) -> Any:
    """The module of file, struct, enum or interface ``type_id`` in ``loader`` (made once),
    or None.  A file's module is there only when the file itself was loaded."""
    module = loader.modules.get(type_id)
    if module is None:
        node = loader.nodes.get(type_id)
        if node is not None and node.which in ("struct", "enum", "interface"):
            module = loader.modules[type_id] = _wrap_node(loader, node)
    return module


def declared_ids(loader: SchemaLoader, files: Sequence[Node]) -> Iterator[int]:
    """The ids pycapnp's ``modules_by_id`` holds for ``files`` of ``loader``: each file that
    was loaded itself, then the structs, enums and interfaces declared in them (nested ones
    too; not groups or parameter structs)."""
    for node in files:
        if node.id in loader.modules:
            yield node.id
    pending = list(files)
    while pending:
        for nested in pending.pop().nested_nodes:
            child = loader.nodes.get(nested.id)
            if child is not None:
                pending.append(child)
                if child.which in ("struct", "enum", "interface"):
                    yield child.id


def module_by_id(type_id: int) -> Any:
    """The struct, enum, interface or file module with id ``type_id`` from the files loaded so
    far (the newest load first); SchemaError if none has it."""
    for loader in reversed(list(_loaders.values())):
        module = _module_in(loader, type_id)
        if module is not None:
            return module
    raise SchemaError(f"no loaded schema declares a type with id {type_id:#x} "
                      "(load its file before unpickling a message of it)")


def _struct_reducer(type_id: int, data: bytes) -> _DynamicStructReader:
    """Unpickles a struct reader or builder: a reader of its bytes (as pycapnp does)."""
    module = module_by_id(type_id)
    if not isinstance(module, StructModule):
        raise SchemaError(f"type {type_id:#x} is not a struct")
    return module.from_bytes(data)  # type: ignore[no-any-return]


class _ModulesOfLoads(Mapping[int, Any]):
    """A parser's ``modules_by_id``: the ids of what its loads declared, each module made on
    first use (a file of many types loads without making a module per type) and kept; a
    later load's module of an id wins, as an assignment in a dict would."""

    def __init__(self) -> None:
        self._where: Dict[int, SchemaLoader] = {}  # id -> the loader of the newest load of it
        self._made: Dict[int, Any] = {}

    def _add(self, loader: SchemaLoader, type_ids: Iterator[int]) -> None:
        for type_id in type_ids:
            self._where[type_id] = loader
            self._made.pop(type_id, None)

    def __getitem__(self, type_id: int) -> Any:
        module = self._made.get(type_id)
        if module is None:
            module = self._made[type_id] = _module_in(self._where[type_id], type_id)
        return module

    def __contains__(self, type_id: object) -> bool:
        return type_id in self._where

    def __iter__(self) -> Iterator[int]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


class SchemaParser:
    """pycapnp's ``SchemaParser``: ``load`` as :func:`load`, and ``modules_by_id`` (the file,
    and every struct, enum and interface it declares, by id) for the files it loaded."""

    def __init__(self) -> None:
        self.modules_by_id = _ModulesOfLoads()
        # What it has compiled, by import paths: a file loaded again, or imported by one
        # loaded before, is not compiled again (as the reference's parser keeps its files).
        self._compilers: Dict[Tuple[str, ...], Any] = {}

    def load(self, file_name: str, display_name: Any = None, imports: Sequence[str] = ()) -> "SchemaModule":
        from ..schema import DiskCompiler

        if isinstance(display_name, (list, tuple)):
            display_name, imports = None, display_name
        key = tuple(imports)
        compiler = self._compilers.get(key)
        if compiler is None:
            compiler = self._compilers[key] = DiskCompiler(key)
        try:
            module = _load_file(compiler.compile, file_name, display_name)
        except SchemaError:
            del self._compilers[key]  # (its state after an error is not known)
            raise
        loader = module._loader
        self.modules_by_id._add(loader, declared_ids(loader, [module._node]))
        return module


def load_request(
    request: CodeGeneratorRequest, file_id: Optional[int] = None, name: Optional[str] = None
) -> SchemaModule:
    """The module of one requested file of a compiled request (the first by default)."""
    if file_id is None:
        if not request.requested_files:
            raise SchemaError("compiled request has no files")
        file_id = request.requested_files[0].id
    loader = SchemaLoader.from_request(request)
    _remember(file_id, loader)
    module = SchemaModule(loader, loader.node(file_id), request, name)
    loader.modules[file_id] = module  # (module_by_id finds the file too, as pycapnp's parser)
    return module


def load(
    path: str, display_name: Any = None, imports: Sequence[str] = ()
) -> SchemaModule:
    """Compile a ``.capnp`` file and return its declarations as a module object.

    The signature is pycapnp's: ``display_name`` becomes the module's
    ``__name__`` (the file's base name by default); ``imports`` are the
    directories searched for absolute imports.  A list or tuple given in
    ``display_name``'s place is taken as ``imports`` (our earlier signature).
    """
    from ..schema import compile_files

    if isinstance(display_name, (list, tuple)):
        display_name, imports = None, display_name
    return _load_file(lambda paths: compile_files(paths, list(imports)), path, display_name)


def _load_file(compile: Callable[[List[str]], CodeGeneratorRequest], path: str,
               display_name: Any) -> SchemaModule:
    """:func:`load` with the compiling done by ``compile`` (of a list of paths)."""
    full = os.path.abspath(path)
    request = compile([full])
    # Named as pycapnp names it: the file by ``display_name`` (its base name by default),
    # the files it imports by their paths (relative to the import directory that holds them).
    _rename_file(request, display_name if isinstance(display_name, str) else os.path.basename(path))
    module = load_request(request, name=display_name)
    setattr(module, "__file__", full)
    return module


def _rename_file(request: CodeGeneratorRequest, name: str) -> None:
    """Give the request's (first) file the display name ``name``, and every node in it the
    display name that follows from it."""
    requested = request.requested_files[0]
    old = request.node(requested.id).display_name
    requested.filename = name
    for i, node in enumerate(request.nodes):
        if node.display_name == old:
            renamed, prefix = name, short_name_start(name)
        elif node.display_name.startswith(old + ":"):
            renamed = name + node.display_name[len(old):]
            prefix = node.display_name_prefix_length + len(name) - len(old)
        else:
            continue
        # (a copy: the compiler that made the request may keep its nodes for later ones)
        node = request.nodes[i] = copy.copy(node)
        node.display_name = renamed
        node.display_name_prefix_length = prefix


def read_multiple_bytes_packed(
    buf: Buffer,
    traversal_limit_in_words: Optional[int] = None,
    nesting_limit: Optional[int] = None,
) -> Iterator[_DynamicObjectReader]:
    """Each packed message of ``buf`` in turn, its root as an AnyPointer (``as_struct(Type)``)."""
    for segments in _packed_in(buf, traversal_limit_in_words):
        yield any_root(segments, traversal_limit_in_words, nesting_limit)


def any_root(
    segments: Sequence[Buffer],
    traversal_limit_in_words: Optional[int] = None,
    nesting_limit: Optional[int] = None,
) -> _DynamicObjectReader:
    """The root of a message as an AnyPointer (``as_struct(Type)``), under the given limits."""
    msg = MessageReader(
        segments,
        traversal_limit_in_words=DEFAULT_TRAVERSAL_LIMIT_IN_WORDS
        if traversal_limit_in_words is None else traversal_limit_in_words,
        nesting_limit=DEFAULT_NESTING_LIMIT if nesting_limit is None else nesting_limit,
    )
    return _DynamicObjectReader(msg.root_pointer(), None)

