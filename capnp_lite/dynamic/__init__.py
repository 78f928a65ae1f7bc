"""The dynamic, pycapnp-style API: schemas loaded at run time, fields by name.

    addressbook = capnp_lite.load("addressbook.capnp")
    msg = addressbook.Person.new_message(name="Alice", id=1)
    phones = msg.init("phones", 1)
    data = msg.to_bytes()
    with addressbook.Person.from_bytes(data) as person:
        print(person.name, person.to_dict())

Deliberate differences from pycapnp 2.x:

* Enum fields read as ``str`` (the enumerant name), or ``int`` for a value
  the schema does not name; pycapnp returns ``_DynamicEnum`` objects.
* ``which()`` returns a plain ``str``.
* A builder is a tree of Python objects; bytes are laid out on
  ``to_bytes()`` in pre-order (as ``capnp encode`` lays out a copied
  message), so a build whose objects were created out of pre-order gives
  different (equally valid) bytes than pycapnp.
* Interface (capability) fields cannot be read or set: a plain message has
  no capability table, so a non-null capability pointer raises DecodeError.
* AnyPointer fields read as an opaque object with ``as_struct(Type)``,
  ``as_text()`` and ``as_data()``; ``as_list`` is not provided.
* ``init_resizable_list`` and orphans beyond ``disown``/``adopt`` of a field
  are not provided.
* Text that is not UTF-8 raises DecodeError on attribute access (the text
  printer still shows its bytes).
* ``from_bytes`` does not keep a reference to the caller's buffer: the bytes
  are copied once per segment.
"""

from __future__ import annotations

import os
from typing import IO, Any, Dict, List, Optional, Sequence, Union

from ..errors import SchemaError
from ..schema.model import CodeGeneratorRequest, Node
from ._wire import DEFAULT_NESTING_LIMIT, DEFAULT_TRAVERSAL_LIMIT, MessageReader, SStruct
from .builder import _DynamicListBuilder, _DynamicStructBuilder, build_value
from .reader import (
    _DynamicListReader,
    _DynamicObjectReader,
    _DynamicStructReader,
    reader_for_struct_value,
)
from .schema import EnumSchema, SchemaLoader, StructSchema

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
]

Buffer = Union[bytes, bytearray, memoryview]


def read_segments(
    segments: Sequence[Buffer],
    schema: StructSchema,
    traversal_limit_in_words: Optional[int] = None,
    nesting_limit: Optional[int] = None,
) -> _DynamicStructReader:
    """A reader of the root struct of a message given as segments."""
    msg = MessageReader(
        segments,
        DEFAULT_TRAVERSAL_LIMIT if traversal_limit_in_words is None else traversal_limit_in_words,
        DEFAULT_NESTING_LIMIT if nesting_limit is None else nesting_limit,
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
        tree = build_value(t, value)
        msg = MessageReader(_segments_of(tree), None)
        ref = msg.read_list(0, 0, DEFAULT_NESTING_LIMIT)
        assert t.element is not None
        return _DynamicListReader(t.element, ref) if ref is not None else []
    if t.kind == "enum":
        names = t.enum.names
        return names[value] if 0 <= value < len(names) else value
    return value


def _segments_of(tree: Any) -> List[bytes]:
    from ._wire import write_message

    return write_message(tree, None)


class SchemaModule(_Scope):
    """A loaded ``.capnp`` file: its top-level declarations as attributes."""

    def __init__(self, loader: SchemaLoader, node: Node, request: CodeGeneratorRequest) -> None:
        super().__init__(loader, node)
        self.schema_request = request
        self.__name__ = os.path.splitext(os.path.basename(node.display_name))[0]

    def __repr__(self) -> str:
        return f"<capnp_lite schema module {self._node.display_name}>"


class StructModule(_Scope):
    """A struct type: ``new_message``, ``from_bytes``, ``read`` and nested types."""

    def __init__(self, loader: SchemaLoader, node: Node) -> None:
        super().__init__(loader, node)
        self.schema: StructSchema = loader.struct_schema(node.id)

    def new_message(self, **fields: Any) -> _DynamicStructBuilder:
        schema = self.schema
        builder = _DynamicStructBuilder(schema, SStruct(schema.data_words, schema.pointer_count))
        if fields:
            builder._set_fields(fields)
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
        from ..wire.framing import decode_message

        reader = self.from_segments(decode_message(buf), traversal_limit_in_words, nesting_limit)
        return reader.as_builder() if builder else reader

    def from_bytes_packed(
        self,
        buf: Buffer,
        traversal_limit_in_words: Optional[int] = None,
        nesting_limit: Optional[int] = None,
    ) -> _DynamicStructReader:
        from ..wire.packed import unpack

        return self.from_bytes(unpack(buf), traversal_limit_in_words, nesting_limit)  # type: ignore[no-any-return]

    def from_flat_bytes(self, buf: Buffer, **limits: Any) -> _DynamicStructReader:
        return self.from_segments([bytes(buf)], **limits)

    def read(
        self,
        file: IO[bytes],
        traversal_limit_in_words: Optional[int] = None,
        nesting_limit: Optional[int] = None,
    ) -> _DynamicStructReader:
        from ..wire.framing import read_message

        segments = read_message(file)  # type: ignore[arg-type]
        if segments is None:
            raise EOFError("no message to read")
        return self.from_segments(segments, traversal_limit_in_words, nesting_limit)

    def read_packed(
        self,
        file: IO[bytes],
        traversal_limit_in_words: Optional[int] = None,
        nesting_limit: Optional[int] = None,
    ) -> _DynamicStructReader:
        from ..wire.packed import unpack

        return self.from_bytes(unpack(file.read()), traversal_limit_in_words, nesting_limit)  # type: ignore[no-any-return]

    def __call__(self, **fields: Any) -> _DynamicStructBuilder:
        return self.new_message(**fields)

    def __repr__(self) -> str:
        return f"<capnp_lite struct {self._node.display_name}>"


class EnumModule(_Scope):
    """An enum type: each enumerant's ordinal as an attribute."""

    def __init__(self, loader: SchemaLoader, node: Node) -> None:
        super().__init__(loader, node)
        self.schema: EnumSchema = loader.enum_schema(node.id)
        for name, value in self.schema.by_name.items():
            setattr(self, name, value)

    def __repr__(self) -> str:
        return f"<capnp_lite enum {self._node.display_name}>"


class InterfaceModule(_Scope):
    """An interface type: only its schema and nested declarations (no RPC here)."""

    def __init__(self, loader: SchemaLoader, node: Node) -> None:
        super().__init__(loader, node)
        self.schema = node

    def __repr__(self) -> str:
        return f"<capnp_lite interface {self._node.display_name}>"


def load_request(request: CodeGeneratorRequest, file_id: Optional[int] = None) -> SchemaModule:
    """The module of one requested file of a compiled request (the first by default)."""
    if file_id is None:
        if not request.requested_files:
            raise SchemaError("compiled request has no files")
        file_id = request.requested_files[0].id
    loader = SchemaLoader.from_request(request)
    return SchemaModule(loader, loader.node(file_id), request)


def load(path: str, imports: Sequence[str] = ()) -> SchemaModule:
    """Compile a ``.capnp`` file and return its declarations as a module object."""
    from ..schema import compile_files

    return load_request(compile_files([path], list(imports)))

