"""In-memory model of ``schema.capnp``: the nodes a compiled schema is made of.

The classes mirror ``schema.capnp`` field for field (in snake_case).  Values
of pointer type (struct, list) are kept structurally: a :class:`StructValue`
maps field names to Python values, a list is a Python ``list``; the type
that gives them meaning is always known from the context (the slot type,
the constant type or the annotation type).

Python forms of values: Void -> ``None``; Bool -> ``bool``; integers and
enums -> ``int``; floats -> ``float``; Text -> ``str``; Data -> ``bytes``;
List -> ``list``; struct or group -> :class:`StructValue`; a null pointer
-> ``None``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

__all__ = [
    "StructValue", "Value", "Type", "Brand", "BrandScope", "BrandBinding", "Annotation",
    "Field", "Enumerant", "Method", "Superclass", "Node", "NestedNode", "RequestedFile",
    "CodeGeneratorRequest", "NO_DISCRIMINANT", "PRIMITIVE_KINDS", "POINTER_KINDS", "bind_type",
]

NO_DISCRIMINANT = 0xFFFF

PRIMITIVE_KINDS = (
    "void", "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
    "uint64", "float32", "float64", "enum",
)
POINTER_KINDS = ("text", "data", "list", "struct", "interface", "anyPointer")


class StructValue:
    """A struct (or group) value: the fields that were set, by name, in set order."""

    __slots__ = ("fields",)

    def __init__(self, fields: Optional[Dict[str, Any]] = None) -> None:
        self.fields: Dict[str, Any] = fields if fields is not None else {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StructValue) and other.fields == self.fields

    def __repr__(self) -> str:
        return f"StructValue({self.fields!r})"


class Value:
    """``schema.Value``: ``which`` is the type kind, ``value`` its Python form."""

    __slots__ = ("which", "value")

    def __init__(self, which: str, value: Any = None) -> None:
        self.which = which
        self.value = value

    def __repr__(self) -> str:
        return f"Value({self.which}, {self.value!r})"


class BrandBinding:
    """``Brand.Binding``: a bound type, or ``None`` for unbound."""

    __slots__ = ("type",)

    def __init__(self, type: Optional["Type"]) -> None:
        self.type = type


class BrandScope:
    """``Brand.Scope``: explicit bindings for one generic scope, or inherit."""

    __slots__ = ("scope_id", "bind", "inherit")

    def __init__(self, scope_id: int, bind: Optional[List[BrandBinding]] = None,
                 inherit: bool = False) -> None:
        self.scope_id = scope_id
        self.bind = bind
        self.inherit = inherit


class Brand:
    __slots__ = ("scopes",)

    def __init__(self, scopes: Optional[List[BrandScope]] = None) -> None:
        self.scopes: List[BrandScope] = scopes if scopes is not None else []


class Type:
    """``schema.Type``.

    ``which`` is the kind.  ``element_type`` for lists; ``type_id`` and
    ``brand`` for enum/struct/interface.  For anyPointer, ``any_kind`` is
    ``unconstrained``, ``parameter`` or ``implicitMethodParameter``;
    ``constraint`` is ``anyKind``, ``struct``, ``list`` or ``capability``;
    ``scope_id`` and ``parameter_index`` locate a parameter.
    """

    __slots__ = ("which", "element_type", "type_id", "brand", "any_kind", "constraint",
                 "scope_id", "parameter_index")

    def __init__(self, which: str) -> None:
        self.which = which
        self.element_type: Optional[Type] = None
        self.type_id = 0
        self.brand = Brand()
        self.any_kind = "unconstrained"
        self.constraint = "anyKind"
        self.scope_id = 0
        self.parameter_index = 0

    @staticmethod
    def list_of(element: "Type") -> "Type":
        t = Type("list")
        t.element_type = element
        return t

    @staticmethod
    def named(which: str, type_id: int, brand: Optional[Brand] = None) -> "Type":
        t = Type(which)
        t.type_id = type_id
        if brand is not None:
            t.brand = brand
        return t


def bind_type(t: Type, brand: Brand) -> Type:
    """``t`` as seen through ``brand``: type parameters the brand binds are replaced.

    ``t`` is a field type of a generic struct and ``brand`` the brand of the
    struct type that holds it (``P(Text, Data)``).  A parameter of a scope the
    brand binds becomes the bound type (AnyPointer where the binding is
    unbound); one it inherits or does not mention stays a parameter.  Brands
    inside ``t`` that inherit a scope take the brand's binding of it, so a
    nested generic (``inner :N(K)``) is bound all the way down.
    """
    if not brand.scopes:
        return t
    k = t.which
    if k == "anyPointer" and t.any_kind == "parameter":
        for s in brand.scopes:
            if s.scope_id == t.scope_id and not s.inherit:
                bind = s.bind or []
                bound = bind[t.parameter_index].type if t.parameter_index < len(bind) else None
                return bound if bound is not None else Type("anyPointer")
        return t
    if k == "list":
        assert t.element_type is not None
        element = bind_type(t.element_type, brand)
        return t if element is t.element_type else Type.list_of(element)
    if k in ("struct", "enum", "interface") and t.brand.scopes:
        return Type.named(k, t.type_id, _bind_brand(t.brand, brand))
    return t


def _bind_brand(inner: Brand, outer: Brand) -> Brand:
    scopes: List[BrandScope] = []
    for s in inner.scopes:
        if s.inherit:
            given = next((o for o in outer.scopes if o.scope_id == s.scope_id), None)
            scopes.append(given if given is not None else s)
        else:
            scopes.append(BrandScope(s.scope_id, [
                BrandBinding(bind_type(b.type, outer) if b.type is not None else None)
                for b in (s.bind or [])]))
    return Brand(scopes)


class Annotation:
    __slots__ = ("id", "brand", "value")

    def __init__(self, id: int, value: Value, brand: Optional[Brand] = None) -> None:
        self.id = id
        self.value = value
        self.brand = brand if brand is not None else Brand()


class Field:
    """``schema.Field``; ``which`` is ``slot`` or ``group``."""

    __slots__ = ("name", "code_order", "annotations", "discriminant_value", "which",
                 "offset", "type", "default_value", "had_explicit_default", "group_type_id",
                 "ordinal")

    def __init__(self, name: str, code_order: int) -> None:
        self.name = name
        self.code_order = code_order
        self.annotations: List[Annotation] = []
        self.discriminant_value = NO_DISCRIMINANT
        self.which = "slot"
        self.offset = 0
        self.type: Optional[Type] = None
        self.default_value: Optional[Value] = None
        self.had_explicit_default = False
        self.group_type_id = 0
        self.ordinal: Optional[int] = None  # None = implicit


class Enumerant:
    __slots__ = ("name", "code_order", "annotations")

    def __init__(self, name: str, code_order: int, annotations: List[Annotation]) -> None:
        self.name = name
        self.code_order = code_order
        self.annotations = annotations


class Superclass:
    __slots__ = ("id", "brand")

    def __init__(self, id: int, brand: Brand) -> None:
        self.id = id
        self.brand = brand


class Method:
    __slots__ = ("name", "code_order", "implicit_parameters", "param_struct_type",
                 "param_brand", "result_struct_type", "result_brand", "annotations")

    def __init__(self, name: str, code_order: int) -> None:
        self.name = name
        self.code_order = code_order
        self.implicit_parameters: List[str] = []
        self.param_struct_type = 0
        self.param_brand = Brand()
        self.result_struct_type = 0
        self.result_brand = Brand()
        self.annotations: List[Annotation] = []


class NestedNode:
    __slots__ = ("name", "id")

    def __init__(self, name: str, id: int) -> None:
        self.name = name
        self.id = id


class Node:
    """``schema.Node``.  ``which`` is file, struct, enum, interface, const or annotation.

    Only the members of the active ``which`` are meaningful.
    """

    __slots__ = (
        "id", "display_name", "display_name_prefix_length", "scope_id", "nested_nodes",
        "annotations", "parameters", "is_generic", "which",
        # struct
        "data_word_count", "pointer_count", "preferred_list_encoding", "is_group",
        "discriminant_count", "discriminant_offset", "fields",
        # enum
        "enumerants",
        # interface
        "methods", "superclasses",
        # const / annotation
        "type", "value", "targets",
    )

    def __init__(self, id: int, display_name: str, which: str) -> None:
        self.id = id
        self.display_name = display_name
        self.display_name_prefix_length = 0
        self.scope_id = 0
        self.nested_nodes: List[NestedNode] = []
        self.annotations: List[Annotation] = []
        self.parameters: List[str] = []
        self.is_generic = False
        self.which = which
        self.data_word_count = 0
        self.pointer_count = 0
        self.preferred_list_encoding = "inlineComposite"
        self.is_group = False
        self.discriminant_count = 0
        self.discriminant_offset = 0
        self.fields: List[Field] = []
        self.enumerants: List[Enumerant] = []
        self.methods: List[Method] = []
        self.superclasses: List[Superclass] = []
        self.type: Optional[Type] = None
        self.value: Optional[Value] = None
        self.targets: List[str] = []  # annotation targets, in schema.capnp order

    @property
    def short_name(self) -> str:
        return self.display_name[self.display_name_prefix_length:]


class RequestedFile:
    """A file named on the command line.

    ``aliases`` is ours, not ``schema.capnp``'s (so it is not serialised): the
    file's ``using`` declarations that name a node, by dotted name from the file
    scope (``Common``, ``Outer.Alias``) -> node ID, so that a name such as
    ``Common.Meta`` can be looked up with the nodes' nested-node lists.  As in
    the reference, a node only an alias names is not itself in the request.
    """

    __slots__ = ("id", "filename", "imports", "aliases")

    def __init__(self, id: int, filename: str, imports: List[Tuple[int, str]],
                 aliases: Optional[Dict[str, int]] = None) -> None:
        self.id = id
        self.filename = filename
        self.imports = imports
        self.aliases: Dict[str, int] = aliases if aliases is not None else {}


class CodeGeneratorRequest:
    """What ``capnp compile -o-`` hands to a plugin: nodes and requested files."""

    __slots__ = ("nodes", "requested_files", "capnp_version")

    def __init__(self, nodes: List[Node], requested_files: List[RequestedFile],
                 capnp_version: Tuple[int, int, int] = (0, 9, 2)) -> None:
        self.nodes = nodes
        self.requested_files = requested_files
        self.capnp_version = capnp_version

    def node(self, id: int) -> Node:
        """The node with this id (KeyError if absent)."""
        for n in self.nodes:
            if n.id == id:
                return n
        raise KeyError(id)

    def find(self, display_name: str) -> Node:
        for n in self.nodes:
            if n.display_name == display_name:
                return n
        raise KeyError(display_name)

    def to_json(self) -> Dict[str, Any]:
        """The readable layout dump used by the conformance vectors."""
        from .dump import request_to_json

        return request_to_json(self)
