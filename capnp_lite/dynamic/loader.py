"""pycapnp's ``SchemaLoader``: schemas made from ``schema.capnp`` ``Node`` readers.

    loader = capnp.SchemaLoader()
    for node in request.nodes:              # e.g. a CodeGeneratorRequest read as a message
        loader.load_dynamic(node)
    person = loader.get(PERSON_ID).as_struct()
    msg = capnp._StructModule(person, "Person").new_message(name="Alice")

Nodes are kept as the segments of one-node messages and turned into the
compiler's model all together, when a schema is first used after a ``load``: a
default value or annotation of struct type is read with the node of that
struct, which may be loaded after the node that uses it.  Every node a
struct's fields name (their structs, enums, interfaces) must be loaded before
the struct is used; pycapnp stands in placeholders for missing ones.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..errors import SchemaError
from ..generated.schema_capnp import CodeGeneratorRequest_Builder, Node, Node_Builder
from ..schema.binary import request_from_bytes
from ..wire.framing import decode_message, encode_message
from ..wire.layout import MessageBuilder, MessageReader
from .builder import _copy_struct_body
from .schema import EnumSchema, InterfaceSchema, StructSchema
from .schema import SchemaLoader as _Tables

__all__ = ["SchemaLoader", "LoadedSchema"]


def _node_message(node: Any) -> List[bytes]:
    """The segments of a message whose root is the ``Node`` given as pycapnp gives one: a
    ``NodeReader`` (``get_proto()``), a dynamic reader or builder of ``schema.capnp``'s
    ``Node``, a generated ``Node`` reader, or such a message's bytes."""
    if isinstance(node, (bytes, bytearray, memoryview)):
        return [bytes(segment) for segment in decode_message(bytes(node))]
    inner = getattr(node, "node", None)  # NodeReader: the dynamic reader it wraps
    if inner is not None and hasattr(inner, "to_bytes"):
        node = inner
    to_bytes = None if isinstance(node, (int, str)) else getattr(node, "to_bytes", None)
    schema = getattr(node, "schema", None)
    type_id = getattr(getattr(schema, "model", None), "id", Node.TYPE_ID)
    if to_bytes is None or type_id != Node.TYPE_ID:
        what = getattr(schema, "name", None) or type(node).__name__
        raise TypeError(f"expected a schema.capnp Node reader, got {what}")
    return [bytes(segment) for segment in decode_message(to_bytes())]


class LoadedSchema:
    """pycapnp's ``_Schema``: one loaded node, seen as the kind of schema it is.

    The loader's tables are made when one is first used, from every node loaded by then, so
    loading a request's nodes one by one costs one translation, not one per node.
    """

    __slots__ = ("_loader", "_id")

    def __init__(self, loader: "SchemaLoader", node_id: int) -> None:
        self._loader = loader
        self._id = node_id

    @property
    def _tables(self) -> _Tables:
        return self._loader._made()

    @property
    def node(self) -> Any:
        """The node as a dynamic reader of ``schema.capnp``'s ``Node`` (camelCase names)."""
        return self._tables.proto(self._id).node

    def get_proto(self) -> Any:
        return self._tables.proto(self._id)

    def as_struct(self) -> StructSchema:
        return self._tables.struct_schema(self._id)

    def as_enum(self) -> EnumSchema:
        return self._tables.enum_schema(self._id)

    def as_interface(self) -> InterfaceSchema:
        return self._tables.interface_schema(self._id)

    def as_const_value(self) -> Any:
        """A constant's value, as a loaded module gives it."""
        from . import _const_value

        node = self._tables.node(self._id)
        if node.which != "const":
            raise SchemaError(f"{node.display_name} is not a constant")
        return _const_value(self._tables, node)

    def __repr__(self) -> str:
        return f"<capnp_lite schema {self._tables.node(self._id).display_name}>"


class SchemaLoader:
    """Schemas from ``Node`` readers, as pycapnp's ``SchemaLoader`` makes them.

    ``load(node)`` and ``load_dynamic(node)`` (the same here: either takes any
    form :func:`_node_message` accepts) add a node, or replace the node of the
    same id, and return its schema; ``get(id)`` finds a loaded one.  Malformed
    nodes raise :class:`~capnp_lite.errors.DecodeError` when the schemas are
    made, at the next ``get``.
    """

    def __init__(self) -> None:
        self._nodes: Dict[int, List[bytes]] = {}  # id -> the segments of a one-node message
        self._tables: Optional[_Tables] = None

    def load(self, node: Any) -> LoadedSchema:
        segments = _node_message(node)
        node_id = MessageReader(segments).root().get_uint64(0)  # Node.id: data word 0
        self._nodes[node_id] = segments
        self._tables = None
        return self.get(node_id)

    load_dynamic = load

    def get(self, node_id: int) -> LoadedSchema:
        if node_id not in self._nodes:
            raise SchemaError(f"no schema node loaded for id 0x{node_id:016x}")
        return LoadedSchema(self, node_id)

    def _made(self) -> _Tables:
        """The loaded nodes as the dynamic API's tables (made again after each load)."""
        tables = self._tables
        if tables is None:
            # A CodeGeneratorRequest of the loaded nodes (each copied at the size
            # schema.capnp gives a Node), read as a request is.
            mb = MessageBuilder()
            request = mb.init_root(CodeGeneratorRequest_Builder._DW, CodeGeneratorRequest_Builder._PC)
            nodes = request.init_struct_list(0, len(self._nodes), Node_Builder._DW, Node_Builder._PC)
            for i, segments in enumerate(self._nodes.values()):
                _copy_struct_body(nodes.get_struct(i), MessageReader(segments).root(), None)
            model = request_from_bytes(encode_message(mb.segments()))
            tables = self._tables = _Tables(list(model.nodes))
        return tables

    def __repr__(self) -> str:
        return f"<capnp_lite SchemaLoader of {len(self._nodes)} nodes>"
