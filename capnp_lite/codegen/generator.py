"""Turn compiled schema nodes into typed Python modules (one per ``.capnp`` file).

Naming: every node gets a flat module-level name built from its scope,
``Outer.Inner`` -> ``Outer_Inner`` (Cap'n Proto names contain no
underscores, so flat names cannot collide).  A struct ``S`` becomes
``S_Reader``, ``S_Builder`` and a namespace class ``S`` with
``new_message()`` and ``from_bytes()``; a union adds the ``S_Which`` enum;
an interface ``I`` becomes a namespace class with its IDs and one
:class:`~capnp_lite.codegen.runtime.MethodInfo` per method, plus the typed
RPC stubs ``I_Client`` and ``I_Server`` (see :mod:`.stubs`).  Field names
that are Python keywords get a trailing underscore.  In a builder, a group,
struct or list that is a member of a union is reached through a property
that refuses it while another member is set (what it held would not be
written); ``init_<name>()`` (or assigning the member) selects it.

Builder getters of fields not set yet behave as the reference's: a struct
field gives a builder holding the field's schema default (the struct type's
defaults when it has none; ``init_<name>()`` always gives those), kept and
written; a list field with a default gives a copy of it, kept and written; a
list field without one gives an empty list that is written as a null pointer
for as long as it stays empty (``runtime.UnsetList``), while assigning ``[]``
writes an empty list.  Reading never changes what is written otherwise.

Values are checked when the message is serialized (setting a field is a plain
store), and a wrong one raises ``EncodeError``.  As in the dynamic API,
``None`` in a pointer field or as an element of a list of lists, Data,
AnyPointer or capabilities is a null pointer (not in a List(Text) or a list of
structs: refused there), and Bool fields and List(Bool) elements take ``bool`` or ``int`` (by
its truth value) and nothing else.  Text takes ``str`` only (pycapnp and the
dynamic API also take ``bytes``) and text that UTF-8 cannot encode (lone
surrogates) is refused, naming the field; Data takes bytes-like values only
(they also take a ``str``, as UTF-8); a ``str`` is refused where a list
goes (its characters are not taken as elements); a struct field takes only
builders of its own struct type.  One difference from the dynamic API and
pycapnp is kept for speed: integer and float fields (and number lists) take
``bool`` as 0 and 1 (Python's ``bool`` is an ``int``, to mypy as well), since
a type test per scalar would slow every serialization.

Readers unpack a struct's unconditional scalars (and its union tag) with one
precompiled ``struct.Struct`` on first access and bake value indexes,
default masks and pointer indexes into the property bodies; builders collect
all unconditional scalars of a struct (including those of its non-union
groups) into one precompiled ``struct.Struct``, and a struct of plain scalars
serializes with a single ``pack``.
"""

from __future__ import annotations

import keyword
import math
import re
import struct
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Set, Tuple

from ..errors import SchemaError
from ..schema.model import NO_DISCRIMINANT, CodeGeneratorRequest, Field, Node, StructValue, Type
from .stubs import cap_holders, interface_stubs, pipeline_classes
from .values import ELEMENT_SIZE, LIST_FORMAT, encode_pointer_value

__all__ = ["generate", "module_name", "class_names", "py_name"]

_INT_KINDS = {
    # kind: (struct letter, byte width, view name)
    "int8": ("b", 1, "i8"), "uint8": ("B", 1, "u8"), "int16": ("h", 2, "i16"),
    "uint16": ("H", 2, "u16"), "int32": ("i", 4, "i32"), "uint32": ("I", 4, "u32"),
    "int64": ("q", 8, "i64"), "uint64": ("Q", 8, "u64"), "enum": ("H", 2, "u16"),
}
_SHIFT = {1: 0, 2: 1, 4: 2, 8: 3}
_RESERVED = {"which"}  # generated method names a field must not shadow
# Elements of a short number list that builders on PyPy write without a loop.
_UNROLLED = 4
_ENUM_RESERVED = {"name", "value", "mro", "real", "imag", "numerator", "denominator"}


def module_name(filename: str) -> str:
    """``dir/rpc-twoparty.capnp`` -> ``rpc_twoparty_capnp``."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    if base.endswith(".capnp"):
        base = base[: -len(".capnp")]
    name = re.sub(r"[^0-9A-Za-z_]", "_", base) + "_capnp"
    return "_" + name if name[0].isdigit() else name


def py_name(name: str) -> str:
    """A schema identifier as a Python attribute name."""
    if keyword.iskeyword(name) or name in _RESERVED:
        return name + "_"
    return name


def _enumerant_name(name: str) -> str:
    if keyword.iskeyword(name) or name in _ENUM_RESERVED:
        return name + "_"
    return name


def _float_literal(v: float) -> str:
    if math.isnan(v):
        return 'float("nan")'
    if math.isinf(v):
        return 'float("inf")' if v > 0 else 'float("-inf")'
    return repr(float(v))


def _is_zero_bits(v: float) -> bool:
    return v == 0.0 and math.copysign(1.0, v) > 0


class _Scalar:
    """One data-section value a builder writes."""

    __slots__ = ("offset", "fmt", "expr", "bit", "cond")

    def __init__(self, offset: int, fmt: str, expr: str, bit: int, cond: Tuple[str, ...]) -> None:
        self.offset = offset  # byte offset in the data section
        self.fmt = fmt  # struct letter; "" for a bool
        self.expr = expr  # Python expression of the stored (XORed) value, or a bool's bit value
        self.bit = bit  # bit within the byte, for bools
        self.cond = cond  # conditions (union discriminants) under which it is written


class _Pointer:
    __slots__ = ("index", "expr", "writer", "cond", "kind", "es", "where", "cls")

    def __init__(self, index: int, expr: str, writer: str, cond: Tuple[str, ...],
                 kind: str = "", es: int = 0, where: str = "", cls: str = "") -> None:
        self.index = index  # pointer slot
        self.expr = expr  # Python expression of the stored value (None = null)
        self.writer = writer  # function writing it: writer(buf, ptr_byte, value)
        self.cond = cond
        # How a fused writer appends the target: "text", "data", "prim" (numbers,
        # via the spec's ``append``), "texts" (List(Text)), or "" (not fusable).
        self.kind = kind
        self.es = es  # list element size code, for "prim"
        self.where = where  # "Struct.field", for error messages
        self.cls = cls  # a struct field's builder class (values of any other are refused)


def _list_element_structs(nodes: List[Node]) -> Set[int]:
    """IDs of the structs that are elements of a list type somewhere in ``nodes``."""
    found: Set[int] = set()
    for node in nodes:
        for f in node.fields or ():
            t = f.type
            while t is not None and t.which == "list":
                t = t.element_type
                if t is not None and t.which == "struct":
                    found.add(t.type_id)
    return found


def _f32_exprs(scalars: Sequence[_Scalar]) -> Set[str]:
    """The expressions of Float32 values packed as floats (zero default) among ``scalars``."""
    return {s.expr for s in scalars if s.fmt == "f"}


def _guarded(statement: Callable[[List[str]], List[str]], args: List[str], f32: Set[str],
             name: str) -> List[str]:
    """``statement(args)`` in a try whose failure is an EncodeError naming the struct.  With
    Float32 values among the arguments it is tried once more with each of them through
    ``_rt.f32`` (a value beyond the type's range stored as an infinity, as the layout core
    does) before failing: nothing is added to the usual path."""
    out = ["try:"] + ["    " + line for line in statement(args)]
    # (PyPy's struct raises ValueError where CPython's raises struct.error: a negative UInt64)
    out.append("except (struct.error, TypeError, ValueError, OverflowError) as exc:")
    if not f32:
        return out + [f'    raise _rt.encode_error("{name}", exc) from None']
    fitted = [f"_rt.f32({a})" if a in f32 else a for a in args]
    out += ["    try:"] + ["        " + line for line in statement(fitted)]
    return out + ["    except (struct.error, TypeError, ValueError, OverflowError) as exc2:",
                  f'        raise _rt.encode_error("{name}", exc2) from None']


class _NearRead(NamedTuple):
    """See ``_FileGen.near_read``."""

    size_test: str
    words: str
    bounds: List[str]
    ok: Optional[str]
    value: str


class _FileGen:
    def __init__(self, req: CodeGeneratorRequest, file_id: int, modules: Dict[int, str],
                 relative_imports: bool) -> None:
        self.req = req
        self.file_id = file_id
        self.modules = modules  # file id -> module name
        self.relative = relative_imports
        self.by_id: Dict[int, Node] = {n.id: n for n in req.nodes}
        # Structs that some List(...) holds: only their readers get list loaders.
        self.list_elements: Set[int] = _list_element_structs(req.nodes)
        # Interfaces, and structs holding an interface field at some depth (pipeline classes).
        self.cap_holders: Set[int] = cap_holders(self.by_id)
        self.names: Dict[int, str] = {}
        self.file_of: Dict[int, int] = {}
        self._index_names()
        self.imports: Set[int] = set()
        self.specs: Dict[str, str] = {}  # expression -> module-level name
        self.defaults: List[Tuple[str, str]] = []  # (name, expression)
        self.structs: List[Node] = []  # structs and groups of this file, in output order
        self.enums: List[Node] = []
        self.interfaces: List[Node] = []
        self.consts: List[Node] = []
        self.top_structs: List[Node] = []  # structs that get a namespace class
        self.scalar_specs: List[Tuple[str, str]] = []  # (reader class, its Scalars spec)
        self.loaders: List[str] = []  # statements attaching list loaders to reader classes
        # Functions building a pointer field's schema default as builder values (_DB<n>).
        self.factories: List[str] = []

    # -- names -----------------------------------------------------------------

    def _index_names(self) -> None:
        for node in self.req.nodes:
            if node.which == "file":
                self._name_scope(node, node.id, "")

    def _name_scope(self, node: Node, file_id: int, prefix: str) -> None:
        for nested in node.nested_nodes:
            child = self.by_id.get(nested.id)
            if child is None:
                continue
            name = prefix + nested.name
            self._claim(child.id, name, file_id)
            self._name_scope(child, file_id, name + "_")
            if child.which == "struct":
                self._name_groups(child, file_id, name + "_")
            if child.which == "interface":
                for m in child.methods:
                    for sid, suffix in ((m.param_struct_type, "Params"),
                                        (m.result_struct_type, "Results")):
                        pnode = self.by_id.get(sid)
                        if pnode is not None and pnode.scope_id == 0 and sid not in self.names:
                            pname = f"{name}_{m.name}_{suffix}"
                            self.names[sid] = pname
                            self.file_of[sid] = file_id
                            self._name_groups(pnode, file_id, pname + "_")
                            self._name_scope(pnode, file_id, pname + "_")

    def _name_groups(self, node: Node, file_id: int, prefix: str) -> None:
        for f in node.fields:
            if f.which == "group":
                g = self.by_id[f.group_type_id]
                name = prefix + f.name
                self._claim(g.id, name, file_id)
                self._name_groups(g, file_id, name + "_")

    def _claim(self, node_id: int, name: str, file_id: int) -> None:
        """Name a node; a node reached twice (nested or grouped twice, or in a cycle) is a
        malformed request, refused before it can recurse for ever."""
        if node_id in self.names:
            raise SchemaError(f"node {node_id:#x} ({name}) is nested or grouped more than once")
        self.names[node_id] = name
        self.file_of[node_id] = file_id

    def ref(self, node_id: int, suffix: str = "") -> str:
        """The Python name of a node's class (qualified when in another module)."""
        name = self.names.get(node_id)
        if name is None:
            raise SchemaError(f"node {node_id:#x} has no name")
        fid = self.file_of[node_id]
        if fid != self.file_id:
            self.imports.add(fid)
            return f"_{self.modules[fid]}.{name}{suffix}"
        return name + suffix

    # -- collecting ------------------------------------------------------------

    def collect(self) -> None:
        file_node = self.by_id[self.file_id]
        self._collect_scope(file_node)

    def _collect_scope(self, node: Node) -> None:
        for nested in node.nested_nodes:
            child = self.by_id.get(nested.id)
            if child is None:
                continue
            if child.which == "struct":
                if child.is_generic:
                    pass  # generic parameters read as AnyPointer; one class serves every brand
                self.top_structs.append(child)
                self._collect_struct(child)
                self._collect_scope(child)
            elif child.which == "enum":
                self.enums.append(child)
            elif child.which == "interface":
                self.interfaces.append(child)
                self._collect_scope(child)
                for m in child.methods:
                    for sid in (m.param_struct_type, m.result_struct_type):
                        pnode = self.by_id.get(sid)
                        if (pnode is not None and pnode.scope_id == 0
                                and self.file_of.get(sid) == self.file_id
                                and pnode not in self.structs):
                            self._collect_struct(pnode)
                            self._collect_scope(pnode)
            elif child.which == "const":
                self.consts.append(child)

    def _collect_struct(self, node: Node) -> None:
        self.structs.append(node)
        for f in node.fields:
            if f.which == "group":
                self._collect_struct(self.by_id[f.group_type_id])

    # -- module-level helpers -------------------------------------------------

    def spec(self, expr: str, prefix: str) -> str:
        name = self.specs.get(expr)
        if name is None:
            name = f"_{prefix}{len(self.specs)}"
            self.specs[expr] = name
        return name

    def default(self, expr: str) -> str:
        name = f"_D{len(self.defaults)}"
        self.defaults.append((name, expr))
        return name

    def enum_ref(self, node_id: int) -> str:
        return self.ref(node_id)

    def enum_members(self, node_id: int) -> str:
        name = self.names[node_id]
        fid = self.file_of[node_id]
        if fid != self.file_id:
            self.imports.add(fid)
            return f"_{self.modules[fid]}._M_{name}"
        return f"_M_{name}"

    # -- types -----------------------------------------------------------------

    def reader_type(self, t: Type) -> str:
        k = t.which
        if k == "void":
            return "None"
        if k == "bool":
            return "bool"
        if k in ("float32", "float64"):
            return "float"
        if k == "enum":
            return self.enum_ref(t.type_id)
        if k in _INT_KINDS:
            return "int"
        if k == "text":
            return "str"
        if k == "data":
            return "bytes"
        if k == "struct":
            return self.ref(t.type_id, "_Reader")
        if k == "interface":
            return "Optional[int]"
        if k == "anyPointer":
            return "_rt.AnyPointerReader"
        assert t.element_type is not None
        e = t.element_type
        if e.which == "struct":
            return f"_rt.StructList[{self.ref(e.type_id, '_Reader')}]"
        return f"Sequence[{self.reader_type(e)}]"

    def builder_type(self, t: Type) -> str:
        k = t.which
        if k == "struct":
            return self.ref(t.type_id, "_Builder")
        if k == "anyPointer":
            return "Optional[_rt.PointerValue]"
        if k == "list":
            assert t.element_type is not None
            return f"List[{self.builder_type(t.element_type)}]"
        return self.reader_type(t)

    def read_spec(self, e: Type) -> str:
        """Module-level reader spec of a list whose elements have type ``e``."""
        k = e.which
        if k == "bool":
            expr = '_rt.PrimRead[bool]("?", 1)'
        elif k == "enum":
            expr = f"_rt.EnumRead({self.enum_members(e.type_id)}, {self.enum_ref(e.type_id)})"
        elif k in _INT_KINDS:
            expr = f'_rt.PrimRead[int]("{LIST_FORMAT[k]}", {ELEMENT_SIZE[k]})'
        elif k in ("float32", "float64"):
            expr = f'_rt.PrimRead[float]("{LIST_FORMAT[k]}", {ELEMENT_SIZE[k]})'
        elif k == "void":
            expr = "_rt.VoidRead()"
        elif k == "text":
            expr = "_rt.TextRead()"
        elif k == "data":
            expr = "_rt.DataRead()"
        elif k == "struct":
            expr = f"_rt.StructRead({self.ref(e.type_id, '_Reader')})"
        elif k == "interface":
            expr = "_rt.CapRead()"
        elif k == "anyPointer":
            expr = "_rt.PointerRead()"
        else:
            assert e.element_type is not None
            expr = f"_rt.ListRead({self.read_spec(e.element_type)})"
        return self.spec(expr, "RS")

    def write_spec(self, e: Type) -> str:
        k = e.which
        if k == "bool":
            expr = "_rt.BoolWrite()"
        elif k == "enum":
            expr = f'_rt.PrimWrite[{self.enum_ref(e.type_id)}]("H", 3)'
        elif k in _INT_KINDS:
            expr = f'_rt.PrimWrite[int]("{LIST_FORMAT[k]}", {ELEMENT_SIZE[k]})'
        elif k in ("float32", "float64"):
            expr = f'_rt.PrimWrite[float]("{LIST_FORMAT[k]}", {ELEMENT_SIZE[k]})'
        elif k == "void":
            expr = "_rt.VoidWrite()"
        elif k == "text":
            expr = "_rt.TextWrite()"
        elif k == "data":
            expr = "_rt.DataWrite()"
        elif k == "struct":
            expr = f"_rt.StructWrite({self.ref(e.type_id, '_Builder')})"
        elif k == "interface":
            expr = "_rt.CapWrite()"
        elif k == "anyPointer":
            expr = "_rt.PointerWrite()"
        else:
            assert e.element_type is not None
            expr = f"_rt.ListWrite({self.write_spec(e.element_type)})"
        return self.spec(expr, "WS")

    def literal(self, t: Type, v: object) -> Optional[str]:
        """A Python literal for a value, or None when it has no simple literal form."""
        k = t.which
        if v is None:
            return None
        if k == "bool":
            return "True" if v else "False"
        if k in ("float32", "float64"):
            assert isinstance(v, float) or isinstance(v, int)
            return _float_literal(float(v))
        if k == "enum":
            assert isinstance(v, int)
            node = self.by_id[t.type_id]
            if v < len(node.enumerants):
                return f"{self.enum_ref(t.type_id)}.{_enumerant_name(node.enumerants[v].name)}"
            return f"{self.enum_ref(t.type_id)}({v})"
        if k in _INT_KINDS:
            return repr(int(v))  # type: ignore[call-overload]
        if k in ("text", "data"):
            return repr(v)
        if k == "list":
            assert t.element_type is not None and isinstance(v, list)
            parts = [self.literal(t.element_type, x) for x in v]
            if any(p is None for p in parts) and t.element_type.which != "void":
                return None
            if t.element_type.which == "void":
                return f"[None] * {len(v)}"
            return "[" + ", ".join(p for p in parts if p is not None) + "]"
        return None

    # -- schema defaults as builder values ----------------------------------------

    def default_factory(self, t: Type, v: object) -> str:
        """A module-level function returning a fresh builder-side copy of default ``v`` (a
        struct or list value of type ``t``): what a builder's getter starts from."""
        name = f"_DB{len(self.factories)}"
        body: List[str] = []
        expr = self.value_expr(t, v, body, [0])
        lines = ["", "", f"def {name}() -> {self.builder_type(t)}:"]
        lines += ["    " + ln for ln in body] + [f"    return {expr}"]
        self.factories.append("\n".join(lines))
        return name

    def value_expr(self, t: Type, v: object, body: List[str], counter: List[int]) -> str:
        """An expression for value ``v`` of type ``t`` as a builder holds it; statements it
        needs first (structs are built in local variables) are appended to ``body``."""
        k = t.which
        if k == "struct":
            node = self.by_id[t.type_id]
            var = f"v{counter[0]}"
            counter[0] += 1
            body.append(f"{var} = {self.ref(t.type_id, '_Builder')}()")
            assert isinstance(v, StructValue)
            self.fill_struct(node, var, v, body, counter)
            return var
        if k == "list":
            assert t.element_type is not None and isinstance(v, list)
            e = t.element_type
            if e.which == "void":
                return f"[None] * {len(v)}"
            return "[" + ", ".join(self.value_expr(e, x, body, counter) for x in v) + "]"
        if k in ("anyPointer", "interface") or v is None:
            return "None"  # (the schema language gives these no value but null)
        lit = self.literal(t, v)
        if lit is None:
            raise SchemaError(f"no builder value for a default of type {k}")
        return lit

    def fill_struct(self, node: Node, var: str, sv: StructValue, body: List[str],
                    counter: List[int]) -> None:
        """Statements setting the fields ``sv`` names on builder ``var`` of struct ``node``."""
        by_name = {f.name: f for f in node.fields}
        for fname, value in sv.fields.items():
            f = by_name.get(fname)
            if f is None:
                raise SchemaError(f"{node.display_name} has no field {fname!r}")
            pname = py_name(f.name)
            in_union = f.discriminant_value != NO_DISCRIMINANT
            if f.which == "group":
                gvar = f"v{counter[0]}"
                counter[0] += 1
                body.append(f"{gvar} = {var}.init_{f.name}()" if in_union else f"{gvar} = {var}.{pname}")
                assert isinstance(value, StructValue)
                self.fill_struct(self.by_id[f.group_type_id], gvar, value, body, counter)
                continue
            t = f.type
            assert t is not None
            if t.which == "void" or value is None:
                if in_union:
                    body.append(f"{var}.{pname} = None")  # selects the member
                continue
            body.append(f"{var}.{pname} = {self.value_expr(t, value, body, counter)}")

    # -- emission ----------------------------------------------------------------

    def emit(self) -> str:
        self.collect()
        body: List[str] = []
        for e in self.enums:
            body.extend(self.emit_enum(e))
        for s in self.structs:
            body.extend(self.emit_which(s))
        for s in self.structs:
            body.extend(self.emit_reader(s))
        for s in self.structs:
            body.extend(self.emit_builder(s))
        for s in self.top_structs:
            body.extend(self.emit_namespace(s))
        for i in self.interfaces:
            body.extend(self.emit_interface(i))
        pipelines = pipeline_classes(self)
        body.extend(pipelines)
        consts: List[str] = []
        for c in self.consts:
            consts.extend(self.emit_const(c))
        tail: List[str] = []
        for expr, name in self.specs.items():
            tail.append(f"{name}: Final = {expr}")
        for name, expr in self.defaults:
            tail.append(f"{name}: Final = {expr}")
        for cls, sname in self.scalar_specs:
            tail.append(f"{cls}._SC = {sname}")
        tail += self.loaders
        tail += self.factories
        file_node = self.by_id[self.file_id]
        head = [
            f'"""Generated from {file_node.display_name} by capnp_lite codegen: do not edit.',
            "",
            f"File ID {self.file_id:#x}.",
            '"""',
            "",
            "from __future__ import annotations",
            "",
            "import struct",
            "from typing import Any, Final, List, Optional, Sequence, Tuple",
            "",
            "from capnp_lite.codegen import runtime as _rt",
        ]
        if self.interfaces or pipelines:
            head.append("from capnp_lite.aio import typed as _typed")
        for fid in sorted(self.imports, key=lambda i: self.modules[i]):
            mod = self.modules[fid]
            if self.relative:
                head.append(f"from . import {mod} as _{mod}")
            else:
                head.append(f"import {mod} as _{mod}")
        head += ["", f"FILE_ID: Final = {self.file_id:#x}", ""]
        out = head + body
        if tail:
            out += ["", "# List specs and embedded defaults, used by the classes above."] + tail
        if consts:
            out += ["", "# Constants."] + consts
        text = "\n".join(out).rstrip() + "\n"
        text = re.sub(r"\n{4,}", "\n\n\n", text)
        return text

    def emit_enum(self, node: Node) -> List[str]:
        name = self.names[node.id]
        lines = ["", "", f"class {name}(_rt.CapnpEnum):",
                 f'    """Enum {node.short_name} ({node.id:#x})."""', ""]
        for i, e in enumerate(node.enumerants):
            lines.append(f"    {_enumerant_name(e.name)} = {i}")
        lines += ["", "", f"_M_{name}: Final[Tuple[{name}, ...]] = tuple({name})"]
        return lines

    def emit_which(self, node: Node) -> List[str]:
        if not node.discriminant_count:
            return []
        name = self.names[node.id] + "_Which"
        lines = ["", "", f"class {name}(_rt.CapnpEnum):",
                 f'    """Union tags of {node.short_name}."""', ""]
        members = sorted((f.discriminant_value, f.name) for f in node.fields
                         if f.discriminant_value != NO_DISCRIMINANT)
        for value, fname in members:
            lines.append(f"    {_enumerant_name(fname)} = {value}")
        lines += ["", "", f"_M_{name}: Final[Tuple[{name}, ...]] = tuple({name})"]
        return lines

    # -- readers ---------------------------------------------------------------

    def emit_reader(self, node: Node) -> List[str]:
        name = self.names[node.id]
        kind = "group" if node.is_group else "struct"
        lines = ["", "", f"class {name}_Reader(_rt.StructView):",
                 f'    """Reader of {kind} {node.short_name} ({node.id:#x}): '
                 f'{node.data_word_count} data words, {node.pointer_count} pointers."""',
                 "", "    __slots__ = ()"]
        packed = self._reader_scalars(node)
        if node.discriminant_count:
            wname = name + "_Which"
            assert packed is not None
            lines += ["", f"    def which(self) -> {wname}:",
                      "        v = self._v",
                      "        if v is None:",
                      "            v = self._load()",
                      f"        e: int = v[{packed[2][-1]}]",
                      f"        return _M_{wname}[e] if e < {node.discriminant_count} "
                      f"else {wname}(e)"]
        if packed:
            fmt, ends, _ = packed
            ends_lit = ", ".join(str(e) for e in ends) + ("," if len(ends) == 1 else "")
            sname = self.spec(f'_rt.Scalars("{fmt}", ({ends_lit}))', "SC")
            self.scalar_specs.append((f"{name}_Reader", sname))
            size = struct.calcsize("<" + fmt)
            lines += ["", "    def _load(self) -> Tuple[Any, ...]:",
                      f"        if self._n >= {size}:",
                      f"            v: Tuple[Any, ...] = {sname}.st.unpack_from(self._seg.b, self._d)",
                      "        else:",
                      f"            v = {sname}.read(self)",
                      "        self._v = v",
                      "        return v"]
        index = packed[2] if packed else {}
        for f in node.fields:
            lines += [""] + self.reader_property(f, index)
        if not node.is_group and node.id in self.list_elements:
            lines += self.emit_loader(node, packed)
        return lines

    # -- list elements read in advance -------------------------------------------

    def _eager_pointer(self, f: Field) -> str:
        """How a struct list's loader reads pointer field ``f``: "text", "data", "texts",
        a struct letter (a list of numbers), or "" (left to the property)."""
        t = f.type
        assert t is not None
        k = t.which
        if k in ("text", "data"):
            return k
        if k != "list" or f.default_value is not None and f.default_value.value is not None:
            return ""
        e = t.element_type
        assert e is not None
        if e.which == "text":
            return "texts"
        if e.which in ("float32", "float64") or e.which in _INT_KINDS and e.which != "enum":
            return LIST_FORMAT[e.which]
        return ""

    def emit_loader(self, node: Node, packed: Optional[Tuple[str, List[int], Dict[int, int]]]
                    ) -> List[str]:
        """A subclass of the reader whose plain fields are slots, and the function that fills
        them for a run of list elements (see ``StructList.__iter__`` in the runtime).

        Scalars come from one row unpack per element; text, data, List(Text) and short
        lists of numbers are decoded in the same loop (near pointers inline, single far
        pointers through the runtime); a field the fast paths do not take is read by its
        property, and an element with a field that cannot be read (malformed, or over the
        traversal limit) is given as a plain reader instead, which reports the error when
        that field is used.  When every field is a slot, the element keeps only its list
        and its offset: the other coordinates, which only slow paths use, come from the
        list (``_rt.ListElement``).
        """
        name = self.names[node.id]
        index = packed[2] if packed else {}
        scalars: List[Tuple[str, str]] = []  # (slot, expression over the row values)
        pointers: List[Tuple[Field, str]] = []
        for f in node.fields:
            if f.which == "group" or f.discriminant_value != NO_DISCRIMINANT:
                continue
            t = f.type
            assert t is not None
            if f.code_order in index:
                scalars.append((py_name(f.name), self.row_expr(f, t, index[f.code_order])))
            elif t.which in ("text", "data", "list"):
                how = self._eager_pointer(f)
                if how:
                    pointers.append((f, how))
        if not scalars and not pointers:
            return []
        every = len(scalars) + len(pointers) == len(node.fields)
        nvals = len(packed[1]) if packed else 0
        nptrs = max((f.offset + 1 for f, _ in pointers), default=0)
        fmt = packed[0] if packed else ""
        size = struct.calcsize("<" + fmt)
        slots = [s for s, _ in scalars] + [py_name(f.name) for f, _ in pointers]
        slots_lit = ", ".join(repr(s) for s in slots) + ("," if len(slots) == 1 else "")
        row = [f"s{i}" for i in range(nvals)]
        for i in range(nptrs):
            row += [f"l{i}", f"h{i}"]
        row_lit = ", ".join(row) + ("," if len(row) == 1 else "")
        lname = f"_{name}_Loaded"
        bases = f"{name}_Reader, _rt.ListElement" if every else f"{name}_Reader"
        lines = ["", "", f"class {lname}({bases}):",
                 f'    """{name}_Reader with its plain fields read in advance, as slots."""', "",
                 f"    __slots__ = ({slots_lit})", "", "",
                 f"def _{name}_load(lst: _rt.StructList[Any], start: int, stop: int) -> List[Any]:",
                 f'    """Elements ``start`` to ``stop`` of a list of {node.short_name}."""',
                 f"    b, dec, d, rows = lst.rows(start, stop, {fmt!r}, {nptrs})",
                 "    ctx = lst._ctx",
                 "    n = lst._dsize",
                 "    stride = lst._stride",
                 "    budget = ctx.budget",
                 f"    cls = {lname}"]
        if not every:
            lines += ["    seg = lst._seg", "    pc = lst._pc", "    k = lst._k", "    new = _rt.new_view"]
        if any(how == "texts" for _, how in pointers):
            lines.append("    texts_by_count = _rt.TEXT_LISTS")
        lines += ["    out: List[Any] = []",
                  "    append = out.append"]
        if every:
            lines += ["    q = d + n  # byte offset of the pointer section",
                      f"    for {row_lit} in rows:",
                      "        v: Any = cls()",
                      "        v._l = lst",
                      "        v._q = q"]
        else:
            lines += ["    for r in rows:",
                      f"        {row_lit} = r",
                      "        v: Any = new(cls)",
                      "        v._ctx = ctx",
                      "        v._seg = seg",
                      "        v._d = d",
                      "        v._n = n",
                      "        q = d + n  # byte offset of the pointer section",
                      "        v._p = q >> 3",
                      "        v._c = pc",
                      "        v._k = k",
                      "        v._v = r  # (its first values are the struct's scalars)"]
        for slot, expr in scalars:
            lines.append(f"        v.{slot} = {expr}")
        if pointers:
            # An element that cannot be read ahead becomes a plain reader, which reads (and
            # charges) its fields when used, and so do the ones after it (see plain_rest):
            # what was charged for it here is given back.
            lines += ["        b0 = budget", "        try:"]
            advance = ["append(v)", "q += stride" if every else "d += stride", "continue"]
            if len(pointers) > 1 or pointers[0][1] == "texts":
                # (one other field gains nothing: the field by field lines are the same reads)
                lines += ["            " + ln for ln in self.load_at_once(pointers, advance)]
            for f, how in pointers:
                lines += ["            " + ln for ln in self.load_pointer(name, f, how)]
            lines += ["        except (_rt.DecodeError, IndexError, UnicodeDecodeError, struct.error):",
                      "            ctx.budget = b0",
                      "            return _rt.plain_rest(lst, out, start + len(out), stop)"]
        lines += ["        append(v)", "        q += stride" if every else "        d += stride",
                  "    ctx.budget = budget", "    return out"]
        self.loaders.append(f"{name}_Reader._LOAD = (_{name}_load, {max(size, 0)}, {nptrs})")
        return lines

    def load_at_once(self, pointers: List[Tuple[Field, str]], advance: List[str]) -> List[str]:
        """Loader lines that read every pointer field of an element at once when each is a
        near list pointing forwards of the kind and size the inline reads take (what builders
        write): one combined test of the pointers, one budget test and one bounds test,
        List(Text) fields of 1 to 4 texts unrolled.  Whatever they do not take (null
        pointers, far pointers, anything odd, not enough budget) falls through to the field
        by field lines, which read it as before; what these lines raise on is what those
        would raise on too (the element then becomes a plain reader)."""
        lows = [f"(l{f.offset} ^ 1)" for f, _ in pointers]
        # low halves: kind 1 (list) and a non-negative offset, all at once
        conds = [f"not ({' | '.join(lows)}) & 0x80000003" if len(lows) > 1
                 else f"not {lows[0]} & 0x80000003"]
        charges: List[str] = []  # words taken by text, data and number list fields
        starts: List[str] = []  # their bounds
        checks: List[str] = []  # and their bounds tests (the NULs of texts)
        stores: List[str] = []
        text_lists: List[Field] = []
        for f, how in pointers:
            if how == "texts":
                text_lists.append(f)  # (its upper half is tested in load_texts)
                continue
            i = f.offset
            read = self.near_read(f, how, f"ts{i}", f"te{i}")  # (names no other line uses)
            conds.append(read.size_test)
            charges.append(f"({read.words})")
            starts += read.bounds
            if read.ok is not None:
                checks.append(read.ok)
            stores.append(f"v.{py_name(f.name)} = {read.value}")
        lines = [f"if ({conds[0]}"] + [f"        and {c}" for c in conds[1:]]
        lines[-1] += "):"
        done = stores + [f"v.{py_name(f.name)} = t{f.offset}" for f in text_lists]
        done += ["budget = w"] + advance
        # Each List(Text) field in turn, the next only once this one is read.
        inner = done
        for f in reversed(text_lists):
            inner = self.load_texts(f.offset) + [f"if t{f.offset} is not None:"] + [
                "    " + ln for ln in inner]
        body = [f"w = budget - {' - '.join(charges)}" if charges else "w = budget"] + starts
        if charges:
            test = " and ".join(["w >= 0"] + checks)
            inner = [f"if {test}:"] + ["    " + ln for ln in inner]
        return lines + ["    " + ln for ln in body + inner]

    def near_read(self, f: Field, how: str, s: str, e: str) -> "_NearRead":
        """How a loader reads text, data or number-list field ``f`` through a near list
        pointer forwards (``l<i>``/``h<i>``, low bits already tested): the test of its upper
        half, the words it takes, lines setting its bounds ``s``/``e``, the test that they
        hold (None: unpack_from checks them) and its value.  Shared by the field by field
        lines and the at-once lines."""
        i = f.offset
        lo, hi = f"l{i}", f"h{i}"
        at = f"q + {8 * i + 6} + ({lo} << 1)"  # the target's byte offset (offset bits * 2)
        if how == "text":
            # byte elements (size code 2), 4 KiB at most, at least the NUL (b[e] is it and
            # checks bounds)
            return _NearRead(f"({hi} - 10) & -0x7FF9 == 0", f"({hi} + 56) >> 6",
                             [f"{s} = {at}", f"{e} = {s} + ({hi} >> 3) - 1"], f"not b[{e}]",
                             f"dec(b[{s}:{e}])")
        if how == "data":
            return _NearRead(f"({hi} - 2) & -0x7FF9 == 0", f"({hi} + 56) >> 6",
                             [f"{s} = {at}", f"{e} = {s} + ({hi} >> 3)"], f"{e} <= len(b)",
                             f"bytes(b[{s}:{e}])")
        t = f.type
        assert t is not None and t.element_type is not None
        es = ELEMENT_SIZE[t.element_type.which]
        shift = {2: 0, 3: 1, 4: 2, 5: 3}[es]
        sname = self.spec(f"_rt.short_reads({how!r})", "SR")
        # 15 elements at most; the words taken, (count << shift + 7) >> 3, from the upper
        # half (8 * count + es)
        return _NearRead(f"({hi} - {es}) & -0x79 == 0", f"({hi} + {(56 >> shift) - es}) >> {6 - shift}",
                         [], None, f"[*{sname}[{hi} >> 3].unpack_from(b, {at})]")

    def load_texts(self, i: int) -> List[str]:
        """Lines that set ``t<i>`` to the texts of the List(Text) at pointer ``i`` (known to be
        a near list forwards) and take their words from ``w``, or leave it None (anything but
        a list of up to 16 pointers, or texts the lines do not take).  Lists of 1 to 4 texts,
        each a near text forwards, are read inline (as the runtime's ``_texts1`` to ``_texts4``
        read them); other lengths through the runtime."""
        hi = f"h{i}"
        out = [f"t{i}: Optional[List[str]] = None",
               f"f = q + {8 * i + 6} + (l{i} << 1)  # its first pointer"]
        for count in range(1, 5):
            r = range(count)
            halves = ", ".join(f"lo{j}, hi{j}" for j in r)
            body = [f"{halves} = {self.spec(f'_rt.HALVES[{count}]', 'Ptrs')}.unpack_from(b, f)"]
            body += [f"x{j} = hi{j} - 10" for j in r]
            xlos = " | ".join(f"(lo{j} ^ 1)" for j in r)
            xs = " | ".join(f"x{j}" for j in r)
            if count > 1:
                xlos, xs = f"({xlos})", f"({xs})"
            # each a list forwards of bytes, at least the NUL (see the runtime's readers)
            body += [f"if not ({xlos} & 0x80000003", f"        or {xs} & -0xFFFFFFF9):"]
            words = " + ".join([str(2 * count)] + [f"(x{j} >> 6)" for j in r])
            inner = [f"u = w - ({words})"]
            for j in r:
                inner += [f"a{j} = f + {8 * j + 6} + (lo{j} << 1)", f"e{j} = a{j} + (x{j} >> 3)"]
            nuls = " or ".join(f"b[e{j}]" for j in r)
            inner.append(f"if u >= 0 and not {nuls}:" if count == 1
                         else f"if u >= 0 and not ({nuls}):")
            inner += [f"    t{i} = [{', '.join(f'dec(b[a{j}:e{j}])' for j in r)}]", "    w = u"]
            body += ["    " + ln for ln in inner]
            out.append(f"{'if' if count == 1 else 'elif'} {hi} == {8 * count + 6}:  # {count} text"
                       + ("s" if count > 1 else ""))
            out += ["    " + ln for ln in body]
        out += [f"elif {hi} & 7 == 6 and {hi} < 0x88:  # pointers, 16 at most",
                f"    got = texts_by_count[{hi} >> 3](b, dec, f, w)",
                "    if got is not None:",
                f"        t{i} = got[0]",
                "        w -= got[1]"]
        return out

    def row_expr(self, f: Field, t: Type, i: int) -> str:
        """The value of scalar field ``f`` from row value ``s<i>`` (as its property reads it)."""
        return self.scalar_expr(f, t, f"s{i}")

    def scalar_expr(self, f: Field, t: Type, v: str) -> str:
        """The value of scalar field ``f`` from ``v``, its stored bits as unpacked: defaults
        XORed back, bools tested, enums looked up.  Properties and list loaders share it."""
        k = t.which
        o = f.offset
        dv: Any = f.default_value.value if f.default_value is not None else None
        if k == "bool":
            return f"{v} & {1 << (o & 7)} {'==' if dv else '!='} 0"
        if k in ("float32", "float64"):
            fv = float(dv) if dv is not None else 0.0
            if _is_zero_bits(fv):
                return v
            w = 4 if k == "float32" else 8
            bits = struct.unpack("<I" if w == 4 else "<Q",
                                 struct.pack("<f" if w == 4 else "<d", fv))[0]
            return f"_rt.{'f32' if w == 4 else 'f64'}_from_bits({v} ^ {bits:#x})"
        di = int(dv) if dv is not None else 0
        raw = f"({v} ^ {di})" if di else v
        if k == "enum":
            n = len(self.by_id[t.type_id].enumerants)
            return (f"{self.enum_members(t.type_id)}[{raw}] if {raw} < {n} "
                    f"else {self.enum_ref(t.type_id)}({raw})")
        return raw

    def load_pointer(self, name: str, f: Field, how: str) -> List[str]:
        """Loader lines for pointer field ``f``: a near pointer the fast way, null as its
        default, anything else through the property."""
        i = f.offset
        slot = py_name(f.name)
        lo, hi = f"l{i}", f"h{i}"
        slow = [f"budget = _rt.eager(v, {name}_Reader, {slot!r}, budget)"]
        other = [f"budget = _rt.fill(v, ctx, {name}_Reader, {slot!r}, {lo}, {hi}, {how!r}, budget)"]
        dv: Any = f.default_value.value if f.default_value is not None else None
        # A list pointer with a non-negative offset.  (The masks here stay below 2**30 in
        # magnitude, where CPython's int operations take their one-digit fast paths.)
        near = f"{lo} & 3 == 1 and {lo} < 0x80000000"
        if how == "texts":
            default = "[]"
            # pointer elements (size code 6), 16 at most
            cond = f"{near} and {hi} & 7 == 6 and {hi} < 0x88"
            body = [f"t = texts_by_count[{hi} >> 3](b, dec, q + {8 * i + 6} + ({lo} << 1), budget)",
                    "if t is not None:",
                    f"    v.{slot} = t[0]",
                    "    budget -= t[1]",
                    "else:"] + ["    " + ln for ln in slow]
        else:
            default = repr(dv if dv is not None else ("" if how == "text" else b"")) \
                if how in ("text", "data") else "[]"
            read = self.near_read(f, how, "s", "e")
            cond = f"{near} and {read.size_test}"
            fits = "budget >= w" if read.ok is None else f"budget >= w and {read.ok}"
            if how == "text":
                fits += ":  # NUL-terminated (b[e] checks bounds)"
            else:
                fits += ":"
            body = read.bounds + [f"w = {read.words}", f"if {fits}", f"    v.{slot} = {read.value}",
                                  "    budget -= w", "else:"] + ["    " + ln for ln in slow]
        return ([f"if {cond}:"] + ["    " + ln for ln in body]
                + [f"elif not ({lo} or {hi}):", f"    v.{slot} = {default}",
                   "else:"] + ["    " + ln for ln in other])

    def _reader_scalars(self, node: Node
                        ) -> Optional[Tuple[str, List[int], Dict[int, int]]]:
        """Format, value ends and (field ordinal -> value index) of a reader's packed scalars.

        Covers the scalars outside any union; bools sharing a byte share a value.
        """
        items: Dict[int, Tuple[str, int]] = {}  # byte offset -> (letter, width)
        where: Dict[int, int] = {}  # field code order -> byte offset
        for f in node.fields:
            if f.which == "group" or f.discriminant_value != NO_DISCRIMINANT:
                continue
            t = f.type
            assert t is not None
            k = t.which
            o = f.offset
            if k == "bool":
                items[o >> 3] = ("B", 1)
                where[f.code_order] = o >> 3
            elif k in ("float32", "float64"):
                dv = f.default_value.value if f.default_value is not None else None
                fv = float(dv) if dv is not None else 0.0
                w = 4 if k == "float32" else 8
                if _is_zero_bits(fv):
                    letter = "f" if w == 4 else "d"
                else:
                    letter = "I" if w == 4 else "Q"
                items[o * w] = (letter, w)
                where[f.code_order] = o * w
            elif k in _INT_KINDS:
                letter, w, _ = _INT_KINDS[k]
                items[o * w] = (letter, w)
                where[f.code_order] = o * w
        if node.discriminant_count:
            # The union tag, under a key no field ordinal uses.
            items[node.discriminant_offset * 2] = ("H", 2)
            where[-1] = node.discriminant_offset * 2
        if not items:
            return None
        fmt = ""
        pos = 0
        ends: List[int] = []
        slot: Dict[int, int] = {}
        for off in sorted(items):
            letter, w = items[off]
            if off < pos:
                raise SchemaError(f"overlapping fields at byte {off}")
            if off > pos:
                fmt += f"{off - pos}x"
            fmt += letter
            pos = off + w
            slot[off] = len(ends)
            ends.append(pos)
        return fmt, ends, {order: slot[off] for order, off in where.items()}

    def reader_property(self, f: Field, index: Optional[Dict[int, int]] = None) -> List[str]:
        pname = py_name(f.name)
        if f.which == "group":
            gname = self.names[f.group_type_id]
            return ["    @property", f"    def {pname}(self) -> {gname}_Reader:",
                    f"        return _rt.group(self, {gname}_Reader)"]
        t = f.type
        assert t is not None
        rtype = self.reader_type(t)
        head = ["    @property", f"    def {pname}(self) -> {rtype}:"]
        if index and f.code_order in index:
            body = self.packed_body(f, t, rtype, index[f.code_order])
        else:
            body = self.reader_body(f, t)
        return head + ["        " + ln for ln in body]

    def packed_body(self, f: Field, t: Type, rtype: str, i: int) -> List[str]:
        """A scalar read from the struct's unpacked values (value ``i``)."""
        # The values tuple is never empty, so ``or`` stands in for an ``is None`` test.
        values = "(self._v or self._load())"
        mark = "\0V\0"  # stands for the values until we know how often they are used
        expr = self.scalar_expr(f, t, f"{mark}[{i}]")
        if expr.count(mark) == 1:
            return [f"r: {rtype} = {expr.replace(mark, values)}", "return r"]
        return [f"v = {values}", f"r: {rtype} = {expr.replace(mark, 'v')}", "return r"]

    def reader_body(self, f: Field, t: Type) -> List[str]:
        k = t.which
        o = f.offset
        dv: Any = f.default_value.value if f.default_value is not None else None
        if k == "void":
            return ["return None"]
        if k == "bool":
            byte, bit = o >> 3, o & 7
            d = bool(dv)
            test = "0" if d else "1"
            return [f"if self._n > {byte}:",
                    f"    return (self._seg.u8[self._d + {byte}] >> {bit}) & 1 == {test}",
                    f"return {d}"]
        if k in ("float32", "float64"):
            w = 4 if k == "float32" else 8
            fv = float(dv) if dv is not None else 0.0
            idx = f"(self._d >> {_SHIFT[w]}) + {o}"
            end = (o + 1) * w
            if _is_zero_bits(fv):
                return [f"if self._n >= {end}:",
                        f"    return self._seg.{'f32' if w == 4 else 'f64'}[{idx}]",
                        "return 0.0"]
            fn = "f32" if w == 4 else "f64"
            bits = struct.unpack("<I" if w == 4 else "<Q",
                                 struct.pack("<f" if w == 4 else "<d", fv))[0]
            view = "u32" if w == 4 else "u64"
            return [f"if self._n >= {end}:",
                    f"    return _rt.{fn}_from_bits(self._seg.{view}[{idx}] ^ {bits:#x})",
                    f"return _rt.{fn}_from_bits({bits:#x})"]
        if k in _INT_KINDS:
            _, w, view = _INT_KINDS[k]
            di = int(dv) if dv is not None else 0
            idx = f"self._d + {o}" if w == 1 else f"(self._d >> {_SHIFT[w]}) + {o}"
            raw = f"self._seg.{view}[{idx}]" + (f" ^ {di}" if di else "")
            end = (o + 1) * w
            if k == "enum":
                ename = self.enum_ref(t.type_id)
                members = self.enum_members(t.type_id)
                n = len(self.by_id[t.type_id].enumerants)
                dlit = f"{members}[{di}]" if di < n else f"{ename}({di})"
                return [f"if self._n >= {end}:",
                        f"    v = {raw}",
                        f"    return {members}[v] if v < {n} else {ename}(v)",
                        f"return {dlit}"]
            return [f"if self._n >= {end}:", f"    return {raw}", f"return {di}"]
        if k == "text":
            return [f"return _rt.text(self, {o}, {dv!r})" if dv else f"return _rt.text(self, {o})"]
        if k == "data":
            return [f"return _rt.data(self, {o}, {dv!r})" if dv else f"return _rt.data(self, {o})"]
        if k == "struct":
            cls = self.ref(t.type_id, "_Reader")
            if dv is not None:
                data = encode_pointer_value(self.req, t, dv)
                dname = self.default(f"_rt.default_struct({data!r})")
                return [f"return {cls}(self._r.get_struct({o}, {dname}))"]
            return [f"return _rt.struct_field(self, {o}, {cls})"]
        if k == "list":
            assert t.element_type is not None
            e = t.element_type
            ek = e.which
            spec = self.read_spec(e)
            es = ELEMENT_SIZE[ek]
            dname = ""
            if dv is not None:
                data = encode_pointer_value(self.req, t, dv)
                dname = self.default(f"_rt.default_list({data!r}, {es})")
            if ek in _INT_KINDS or ek in ("float32", "float64"):
                fmt = LIST_FORMAT[ek]
                call = f"_rt.prim_list(self, {o}, {es}, {fmt!r}{', ' + dname if dname else ''})"
                if ek == "enum":
                    return [f"return {spec}.convert({call})"]
                return [f"return {call}"]
            if not dname and ek == "text":
                return [f"return _rt.text_list(self, {o})"]
            if not dname and ek == "struct":
                return [f"return _rt.struct_list(self, {o}, {self.ref(e.type_id, '_Reader')})"]
            if dname:
                return [f"return {spec}.read(self._r.get_list({o}, {es}, {dname}))"]
            return [f"return {spec}.read(self._r.get_list({o}, {es}))"]
        if k == "interface":
            return [f"return self._r.get_capability({o})"]
        if k == "anyPointer":
            return [f"return self._r.get_pointer({o})"]
        raise SchemaError(f"unsupported field type {k}")

    # -- builders --------------------------------------------------------------

    def builder_slots(self, node: Node) -> List[Tuple[str, str, str]]:
        """(slot name, annotation, initial value) of a builder's slots."""
        slots: List[Tuple[str, str, str]] = []
        if node.discriminant_count:
            slots.append(("_which", "int", "0"))
        for f in node.fields:
            pname = py_name(f.name)
            if f.which == "group":
                gname = self.names[f.group_type_id]
                # A group in a union is reached through a property that checks it is the
                # active member (see builder_members); others are plain attributes.
                slot = ("_g_" + pname) if f.discriminant_value != NO_DISCRIMINANT else pname
                slots.append((slot, f"{gname}_Builder", f"{gname}_Builder()"))
                continue
            t = f.type
            assert t is not None
            k = t.which
            if k == "void":
                continue
            dv = f.default_value.value if f.default_value is not None else None
            in_union = f.discriminant_value != NO_DISCRIMINANT
            if k in ("text", "data", "struct", "list", "anyPointer", "interface"):
                btype = self.builder_type(t)
                if k not in ("anyPointer", "interface"):
                    btype = f"Optional[{btype}]"
                slots.append(("_f_" + pname, btype, "None"))
                continue
            lit = self.literal(t, dv)
            if lit is None:
                lit = {"bool": "False", "float32": "0.0", "float64": "0.0"}.get(k, "0")
                if k == "enum":
                    lit = self.literal(t, 0) or "0"
            slot = ("_f_" + pname) if in_union else pname
            slots.append((slot, self.builder_type(t), lit))
        return slots

    def emit_builder(self, node: Node) -> List[str]:
        name = self.names[node.id]
        kind = "group" if node.is_group else "struct"
        slots = self.builder_slots(node)
        lines = ["", "", f"class {name}_Builder(_rt.BuilderBase):",
                 f'    """Builder of {kind} {node.short_name} ({node.id:#x})."""', ""]
        slot_names = ", ".join(repr(s[0]) for s in slots)
        lines.append(f"    __slots__ = ({slot_names}{',' if len(slots) == 1 else ''})")
        if not node.is_group:
            dw, pc = node.data_word_count, node.pointer_count
            lines += [f"    _DW = {dw}", f"    _PC = {pc}",
                      f"    _HI = {(dw << 32) | (pc << 48):#x}",
                      f"    _ZERO = bytes({(dw + pc) * 8})"]
        for sname, ann, _ in slots:
            if not sname.startswith("_"):
                lines.append(f"    {sname}: {ann}")
        lines += ["", "    def __init__(self) -> None:"]
        if not slots:
            lines.append("        pass")
        for sname, ann, init in slots:
            if sname.startswith("_"):
                lines.append(f"        self.{sname}: {ann} = {init}")
            else:
                lines.append(f"        self.{sname} = {init}")
        if not node.is_group:
            # __init__ inlined over n objects: struct lists are made this way.
            lines += ["", "    @staticmethod",
                      f"    def _new_list(n: int) -> List[{name}_Builder]:",
                      f"        out: List[{name}_Builder] = []",
                      f"        new = {name}_Builder.__new__"]
            # Named defaults (enumerants) looked up once, not once per element.
            inits: List[str] = []
            for j, (sname, _, init) in enumerate(slots):
                if re.fullmatch(r"[A-Za-z_][\w.]*", init) and init not in ("None", "True", "False"):
                    lines.append(f"        d{j} = {init}")
                    init = f"d{j}"
                inits.append(f"            self.{sname} = {init}")
            lines += ["        for _ in range(n):", f"            self = new({name}_Builder)"]
            lines += inits + ["            out.append(self)", "        return out"]
        if node.discriminant_count:
            wname = name + "_Which"
            lines += ["", f"    def which(self) -> {wname}:",
                      "        v = self._which",
                      f"        return _M_{wname}[v] if v < {node.discriminant_count} "
                      f"else {wname}(v)"]
        for f in node.fields:
            lines += self.builder_members(node, f)
        if not node.is_group:
            lines += [""] + self.emit_write(node)
            lines += self.emit_direct_bytes(node)
            lines += ["", f"    def as_reader(self) -> {name}_Reader:",
                      '        """Serialize and read back (a snapshot, not a live view)."""',
                      f"        return {name}_Reader.from_flat_bytes(self.to_flat_bytes())"]
        return lines

    def builder_members(self, node: Node, f: Field) -> List[str]:
        pname = py_name(f.name)
        in_union = f.discriminant_value != NO_DISCRIMINANT
        mark = [f"        self._which = {f.discriminant_value}"] if in_union else []
        if f.which == "group":
            if not in_union:
                return []
            gname = self.names[f.group_type_id]
            # Filling an inactive member's group would be lost at serialization: refuse it,
            # as the reference does, and point at init_<name>().
            return ["", "    @property", f"    def {pname}(self) -> {gname}_Builder:",
                    f"        if self._which != {f.discriminant_value}:",
                    f"            raise _rt.inactive_member({f.name!r}, self.which())",
                    f"        return self._g_{pname}",
                    "", f"    def init_{f.name}(self) -> {gname}_Builder:",
                    f"        v = self._g_{pname} = {gname}_Builder()"] + mark + ["        return v"]
        t = f.type
        assert t is not None
        k = t.which
        dv = f.default_value.value if f.default_value is not None else None
        if k == "void":
            return ["", "    @property", f"    def {pname}(self) -> None:", "        return None",
                    "", f"    @{pname}.setter", f"    def {pname}(self, value: None) -> None:"] + (
                        mark or ["        pass"])
        btype = self.builder_type(t)
        if k in ("text", "data"):
            default = repr(dv) if dv is not None else ('""' if k == "text" else 'b""')
            return ["", "    @property", f"    def {pname}(self) -> {btype}:",
                    f"        v = self._f_{pname}",
                    f"        return {default} if v is None else v",
                    "", f"    @{pname}.setter", f"    def {pname}(self, value: {btype}) -> None:",
                    f"        self._f_{pname} = value"] + mark
        if k in ("anyPointer", "interface"):
            return ["", "    @property", f"    def {pname}(self) -> {btype}:",
                    f"        return self._f_{pname}",
                    "", f"    @{pname}.setter", f"    def {pname}(self, value: {btype}) -> None:",
                    f"        self._f_{pname} = value"] + mark
        # A struct or list of a union member is handed out to be filled in place: refuse it
        # while another member is set, as for groups (what it held would not be written).
        guard = [f"        if self._which != {f.discriminant_value}:",
                 f"            raise _rt.inactive_member({f.name!r}, self.which())"] if in_union else []
        if k == "struct":
            # Read before it is set, the field starts from its own default (the struct's
            # defaults otherwise), kept to be filled: the reference writes it then too.
            start = f"{self.default_factory(t, dv)}()" if dv is not None else f"{btype}()"
            return ["", "    @property", f"    def {pname}(self) -> {btype}:"] + guard + [
                    f"        v = self._f_{pname}",
                    "        if v is None:",
                    f"            v = self._f_{pname} = {start}",
                    "        return v",
                    "", f"    @{pname}.setter", f"    def {pname}(self, value: {btype}) -> None:",
                    f"        self._f_{pname} = value"] + mark + [
                    "", f"    def init_{f.name}(self) -> {btype}:",
                    f"        v = self._f_{pname} = {btype}()"] + mark + ["        return v"]
        if k == "list":
            assert t.element_type is not None
            # Read before it is set, a list with a default starts as a copy of it (written, as
            # the reference copies it into the message); one without starts empty and is
            # written as a null pointer while it stays empty (see _rt.UnsetList).
            if dv is None:
                start = "_rt.UnsetList()"
            else:
                start = self.literal(t, dv) or f"{self.default_factory(t, dv)}()"
            e = t.element_type
            ek = e.which
            if ek == "struct":
                fill = f"{self.ref(e.type_id, '_Builder')}._new_list(n)"
            elif ek == "list":
                fill = "[[] for _ in range(n)]"
            elif ek == "text":
                fill = '[""] * n'
            elif ek == "data":
                fill = '[b""] * n'
            elif ek in ("anyPointer", "interface", "void"):
                fill = "[None] * n"
            elif ek == "enum":
                fill = f"[{self.literal(e, 0) or '0'}] * n"
            elif ek == "bool":
                fill = "[False] * n"
            elif ek in ("float32", "float64"):
                fill = "[0.0] * n"
            else:
                fill = "[0] * n"
            return ["", "    @property", f"    def {pname}(self) -> {btype}:"] + guard + [
                    f"        v = self._f_{pname}",
                    "        if v is None:",
                    f"            v = self._f_{pname} = {start}",
                    "        return v",
                    "", f"    @{pname}.setter", f"    def {pname}(self, value: {btype}) -> None:",
                    f"        self._f_{pname} = value"] + mark + [
                    "", f"    def init_{f.name}(self, n: int) -> {btype}:",
                    f"        v: {btype} = {fill}",
                    f"        self._f_{pname} = v"] + mark + ["        return v"]
        if in_union:
            return ["", "    @property", f"    def {pname}(self) -> {btype}:",
                    f"        return self._f_{pname}",
                    "", f"    @{pname}.setter", f"    def {pname}(self, value: {btype}) -> None:",
                    f"        self._f_{pname} = value"] + mark
        return []

    # -- serialization -----------------------------------------------------------

    def _collect_values(self, node: Node, path: str, cond: Tuple[str, ...],
                        scalars: List[_Scalar], pointers: List[_Pointer]) -> None:
        sname = node.display_name.split(":", 1)[-1]
        if node.discriminant_count:
            scalars.append(_Scalar(node.discriminant_offset * 2, "H", f"{path}._which", 0, cond))
        for f in node.fields:
            pname = py_name(f.name)
            fcond = cond
            in_union = f.discriminant_value != NO_DISCRIMINANT
            if in_union:
                fcond = cond + (f"{path}._which == {f.discriminant_value}",)
            if f.which == "group":
                gpath = f"{path}._g_{pname}" if in_union else f"{path}.{pname}"
                self._collect_values(self.by_id[f.group_type_id], gpath, fcond, scalars, pointers)
                continue
            t = f.type
            assert t is not None
            k = t.which
            o = f.offset
            dv = f.default_value.value if f.default_value is not None else None
            if k == "void":
                continue
            if k in ("text", "data", "struct", "list", "anyPointer", "interface"):
                expr = f"{path}._f_{pname}"
                kind = k if k in ("text", "data") else ""
                es = 0
                if k == "list":
                    assert t.element_type is not None
                    writer = f"{self.write_spec(t.element_type)}.write"
                    ek = t.element_type.which
                    if ek in _INT_KINDS or ek == "float64":
                        kind, es = "prim", ELEMENT_SIZE[ek]
                    elif ek == "text":
                        kind = "texts"
                else:
                    writer = {"text": "_rt.write_text", "data": "_rt.write_data",
                              "struct": "_rt.write_struct", "anyPointer": "_rt.write_pointer",
                              "interface": "_rt.write_cap"}[k]
                cls = self.ref(t.type_id, "_Builder") if k == "struct" else ""
                pointers.append(_Pointer(o, expr, writer, fcond, kind, es, f"{sname}.{f.name}", cls))
                continue
            value = f"{path}._f_{pname}" if in_union else f"{path}.{pname}"
            if k == "bool":
                # The bit's value; True and False tested by identity, so that anything else
                # (None, a str...) is not taken for its truth value: _rt.bool_bit decides.
                # (The value is loaded once, into a local named after its bit offset.)
                m = 1 << (o & 7)
                on, off = (0, m) if dv else (m, 0)
                where = f"{sname}.{f.name}"
                x = f"bit{o}"
                slow = f"_rt.bool_bit({x}, {m}, {where!r}{', True' if dv else ''})"
                bit = f"({on} if ({x} := {value}) is True else {off} if {x} is False else {slow})"
                scalars.append(_Scalar(o >> 3, "", bit, o & 7, fcond))
            elif k in ("float32", "float64"):
                fv = float(dv) if dv is not None else 0.0
                w = 4 if k == "float32" else 8
                if _is_zero_bits(fv):
                    scalars.append(_Scalar(o * w, "f" if w == 4 else "d", value, 0, fcond))
                else:
                    fn = "f32_bits" if w == 4 else "f64_bits"
                    bits = struct.unpack("<I" if w == 4 else "<Q",
                                         struct.pack("<f" if w == 4 else "<d", fv))[0]
                    scalars.append(_Scalar(o * w, "I" if w == 4 else "Q",
                                           f"_rt.{fn}({value}) ^ {bits:#x}", 0, fcond))
            else:
                letter, w, _ = _INT_KINDS[k]
                d = int(dv) if dv is not None else 0
                expr = f"{value} ^ {d}" if d else value
                scalars.append(_Scalar(o * w, letter, expr, 0, fcond))

    def emit_write(self, node: Node) -> List[str]:
        """``_write`` (one struct at ``at``) and ``_write_list`` (a run of them)."""
        name = self.names[node.id]
        step = (node.data_word_count + node.pointer_count) * 8
        lines = ["    def _write(self, buf: bytearray, at: int) -> None:"]
        body = self.write_body(node, "self")
        lines += ["        " + b for b in body] or ["        pass"]
        lines += ["", "    @classmethod",
                  "    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:",
                  "        # The element body inlined: a call per element costs as much as its scalars."]
        loop = self.write_body(node, "v")
        # Padding and packer tables the body uses, as locals for the loop.
        for table, use in (("NUL_PADS", "["), ("NUL_STRS", "["), ("HALVES", "["),
                           ("put_text", "(")):
            if any(f"_rt.{table}{use}" in b for b in loop):
                local = "_" + table.lower()
                lines.append(f"        {local} = _rt.{table}")
                loop = [b.replace(f"_rt.{table}{use}", f"{local}{use}") for b in loop]
        lines += ["        for v in values:",
                  f"            if type(v) is not {name}_Builder:",
                  "                raise _rt.element_type_error(cls, v)"]
        lines += ["            " + b for b in loop]
        lines.append(f"            at += {step}")
        return lines

    def write_body(self, node: Node, path: str) -> List[str]:
        """Statements filling the body at byte ``at`` and appending its pointer targets.

        When every pointer is a text, data, number list or text list outside
        any union, the targets are appended first and the scalars and pointer
        words then go out in one ``pack_into`` (the fused form); otherwise the
        scalars are packed first and each pointer is written by its writer.
        """
        scalars: List[_Scalar] = []
        pointers: List[_Pointer] = []
        self._collect_values(node, path, (), scalars, pointers)
        name = self.names[node.id]
        pointers.sort(key=lambda p: p.index)
        ptr_base = node.data_word_count * 8
        fused = bool(pointers) and all(p.kind and not p.cond for p in pointers)
        out: List[str] = []
        fixed = [s for s in scalars if not s.cond]
        if fused:
            for i, p in enumerate(pointers):
                out += self._append_target(p, i, ptr_base + p.index * 8)
                # The pointer word as two 32-bit halves: small ints are cheaper to compute.
                fixed.append(_Scalar(ptr_base + p.index * 8, "I", f"a{i}", 0, ()))
                fixed.append(_Scalar(ptr_base + p.index * 8 + 4, "I", f"b{i}", 0, ()))
        if fixed:
            fmt, args = self._pack_format(fixed)
            sname = self.spec(f'struct.Struct("<{fmt}")', "S")
            out += _guarded(lambda a: [f"{sname}.pack_into(", "    buf, at,"] + [f"    {x}," for x in a] + [")"],
                            args, _f32_exprs(fixed), name)
        groups: Dict[Tuple[str, ...], List[_Scalar]] = {}
        for s in scalars:
            if s.cond:
                groups.setdefault(s.cond, []).append(s)
        if groups:
            def cond_lines(exprs: List[str]) -> List[str]:
                lines: List[str] = []
                k = 0
                for cond, items in groups.items():
                    lines.append(f"if {' and '.join(cond)}:")
                    for s in items:
                        if s.fmt:
                            sname = self.spec(f'struct.Struct("<{s.fmt}")', "S")
                            lines.append(f"    {sname}.pack_into(buf, at + {s.offset}, {exprs[k]})")
                        else:
                            lines.append(f"    buf[at + {s.offset}] |= {exprs[k]}")
                        k += 1
                return lines

            conds = [s for items in groups.values() for s in items]
            out += _guarded(cond_lines, [s.expr for s in conds], _f32_exprs(conds), name)
        if fused:
            return out
        for i, p in enumerate(pointers):
            ptr_at = ptr_base + p.index * 8
            test = " and ".join(p.cond + (f"p{i} is not None",))
            out.append(f"p{i} = {p.expr}")
            out.append(f"if {test}:")
            if p.writer == "_rt.write_text":
                # Inlined: text fields are common and a call costs as much as the write.
                out += [
                    "    try:",
                    f"        r{i} = p{i}.encode()",
                    "    except (AttributeError, UnicodeEncodeError):",
                    f"        raise _rt.text_error(p{i}, {p.where!r}) from None",
                    f"    s{i} = len(buf)",
                    f"    k{i} = len(r{i})",
                    f"    buf += r{i}",
                    f"    buf += _rt.NUL_PADS[k{i} & 7]",
                    f"    _rt.U64.pack_into(buf, at + {ptr_at}, ((s{i} - at - {ptr_at + 8}) >> 1)"
                    f" | 0x200000001 | ((k{i} + 1) << 35))",
                ]
                continue
            if p.cls:
                # Another struct's builder would be written as if it were this one.
                out.append(f"    _rt.write_struct_of(buf, at + {ptr_at}, p{i}, {p.cls}, {p.where!r})")
                continue
            out.append(f"    {p.writer}(buf, at + {ptr_at}, p{i})")
        return out

    def _append_target(self, p: _Pointer, i: int, ptr_at: int) -> List[str]:
        """Append pointer ``i``'s target and set ``a{i}``/``b{i}``, its pointer word halves."""
        # Low half, taken before the target is appended: the word offset from the
        # end of the pointer to the target, times 4, plus list kind 1.
        lo = f"    a{i} = ((len(buf) - at - {ptr_at + 8}) >> 1) | 1"
        out = [f"p{i} = {p.expr}"]
        if p.kind == "texts":
            # Anything but a plain list is looked at first: a str (its characters would be
            # taken for the texts) is refused, an empty list a getter gave is left null.
            out += [f"if p{i} is not None and type(p{i}) is not list:",
                    f"    p{i} = _rt.text_list_value(p{i}, {p.where!r})"]
        out += [f"if p{i} is None:", f"    a{i} = b{i} = 0", "else:"]
        if p.kind == "text":
            out += ["    try:",
                    f"        r{i} = p{i}.encode()",
                    "    except (AttributeError, UnicodeEncodeError):",
                    f"        raise _rt.text_error(p{i}, {p.where!r}) from None",
                    lo,
                    f"    k{i} = len(r{i})",
                    f"    buf += r{i}",
                    f"    buf += _rt.NUL_PADS[k{i} & 7]",
                    # High half: byte elements (size code 2), the text's bytes plus its NUL.
                    f"    b{i} = (k{i} << 3) + 10"]
        elif p.kind == "data":
            out += [lo, f"    b{i} = (_rt.append_data(buf, p{i}) << 3) | 2"]
        elif p.kind == "prim":
            # Short lists inlined: one precompiled pack, padding included, no call.
            # PyPy spreads a list into call arguments slowly, so there each element
            # is packed on its own into zeros (the same bytes); the first few
            # written out, as a loop inside a struct list's loop costs its JIT a
            # loop entry per list.
            spec = p.writer[:-len(".write")]
            width = 1 << (p.es - 2)
            out += [lo,
                    f"    n{i} = len(p{i})",
                    f"    if n{i} <= _rt.SHORT_LIST:",
                    "        try:",
                    "            if _rt.PYPY:",
                    # Indexed below: any other iterable is made a list first.
                    f"                if type(p{i}) not in (list, tuple, _rt.UnsetList):",
                    f"                    p{i} = list(p{i})",
                    f"                s{i} = len(buf)",
                    f"                buf += {spec}.zeros[n{i}]",
                    f"                w{i} = {spec}.one"]
            for k in range(_UNROLLED):
                at = f"s{i} + {k * width}" if k else f"s{i}"
                out += [f"                if n{i} > {k}:",
                        f"                    w{i}.pack_into(buf, {at}, p{i}[{k}])"]
            out += [f"                i{i} = {_UNROLLED}",
                    f"                while i{i} < n{i}:",
                    f"                    w{i}.pack_into(buf, s{i} + {width} * i{i}, p{i}[i{i}])",
                    f"                    i{i} += 1",
                    "            else:",
                    f"                buf += {spec}.padded[n{i}].pack(*p{i})",
                    "        except (struct.error, TypeError, ValueError, OverflowError) as exc:",
                    f"            raise {spec}.element_error(exc) from None",
                    "    else:",
                    f"        {spec}.append(buf, p{i})",
                    f"    b{i} = (n{i} << 3) | {p.es}",
                    # An empty list a getter gave and nobody filled: null.
                    f"    if not n{i} and type(p{i}) is _rt.UnsetList:",
                    f"        a{i} = b{i} = 0"]
        else:
            assert p.kind == "texts"
            # CPython: append_texts (all-ASCII lists, the common case, in one block from
            # the layout core). PyPy joins slowly, so there each text is appended in turn
            # and its pointer word filled in (a loop: written out, the struct list's loop
            # grows too long to trace well when the message is then packed).
            out += [lo,
                    f"    n{i} = len(p{i})",
                    "    if _rt.PYPY:",
                    # The end of the first element's pointer word.
                    f"        e{i} = len(buf) + 8",
                    f"        buf += bytes(n{i} << 3)",
                    f"        for x{i} in p{i}:",
                    f"            _rt.put_text(buf, e{i}, x{i})",
                    f"            e{i} += 8",
                    "    else:",
                    f"        _rt.append_texts(buf, p{i})",
                    f"    b{i} = (n{i} << 3) | 6"]
        return out

    def emit_direct_bytes(self, node: Node) -> List[str]:
        """``to_bytes``/``to_flat_bytes`` as one ``pack`` for a struct of plain scalars.

        A struct without pointers or unions serializes to a fixed-size
        message, so the frame, root pointer and body pack in one call.
        """
        if node.pointer_count or node.data_word_count == 0:
            return []
        scalars: List[_Scalar] = []
        pointers: List[_Pointer] = []
        self._collect_values(node, "self", (), scalars, pointers)
        if pointers or any(x.cond for x in scalars) or not scalars:
            return []
        fmt, args = self._pack_format(scalars)
        body = struct.calcsize("<" + fmt)
        tail = node.data_word_count * 8 - body
        if tail:
            fmt += f"{tail}x"
        root = node.data_word_count << 32
        name = self.names[node.id]
        framed = self.spec(f'struct.Struct("<IIQ{fmt}")', "S")
        flat = self.spec(f'struct.Struct("<Q{fmt}")', "S")
        out: List[str] = []
        for meth, sname, head in (("to_bytes", framed, f"0, {node.data_word_count + 1}, "),
                                  ("to_flat_bytes", flat, "")):
            def pack(a: List[str], sname: str = sname, head: str = head) -> List[str]:
                return [f"return {sname}.pack(", f"    {head}{root:#x},"] + [f"    {x}," for x in a] + [")"]

            out += ["", f"    def {meth}(self) -> bytes:"]
            out += ["        " + line for line in _guarded(pack, args, _f32_exprs(scalars), name)]
        return out

    def _pack_format(self, items: Sequence[_Scalar]) -> Tuple[str, List[str]]:
        bools: Dict[int, List[_Scalar]] = {}
        fields: List[Tuple[int, str, str]] = []
        for s in items:
            if s.fmt:
                fields.append((s.offset, s.fmt, s.expr))
            else:
                bools.setdefault(s.offset, []).append(s)
        for off, bs in bools.items():
            expr = " | ".join(b.expr for b in sorted(bs, key=lambda b: b.bit))
            fields.append((off, "B", expr))
        fields.sort()
        fmt = ""
        pos = 0
        args: List[str] = []
        for off, letter, expr in fields:
            if off < pos:
                raise SchemaError(f"overlapping fields at byte {off}")
            if off > pos:
                fmt += f"{off - pos}x"
            fmt += letter
            pos = off + struct.calcsize("<" + letter)
            args.append(expr)
        return fmt, args

    # -- namespaces, interfaces, constants -------------------------------------

    def emit_namespace(self, node: Node) -> List[str]:
        name = self.names[node.id]
        return [
            "", "", f"class {name}:",
            f'    """Struct {node.short_name}: constructors and readers."""', "",
            f"    TYPE_ID: Final = {node.id:#x}", "",
            "    @staticmethod",
            f"    def new_message() -> {name}_Builder:",
            f"        return {name}_Builder()", "",
            "    @staticmethod",
            "    def from_bytes(",
            "        data: _rt.Buffer, *,",
            "        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,",
            "        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,",
            f"    ) -> {name}_Reader:",
            f"        return {name}_Reader.from_bytes(",
            "            data, traversal_limit_in_words=traversal_limit_in_words,",
            "            nesting_limit=nesting_limit)", "",
            "    @staticmethod",
            "    def from_flat_bytes(",
            "        data: _rt.Buffer, *,",
            "        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,",
            "        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,",
            f"    ) -> {name}_Reader:",
            f"        return {name}_Reader.from_flat_bytes(",
            "            data, traversal_limit_in_words=traversal_limit_in_words,",
            "            nesting_limit=nesting_limit)", "",
            "    @staticmethod",
            "    def from_bytes_packed(",
            "        data: _rt.Buffer, *,",
            "        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,",
            "        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,",
            f"    ) -> {name}_Reader:",
            f"        return {name}_Reader.from_bytes_packed(",
            "            data, traversal_limit_in_words=traversal_limit_in_words,",
            "            nesting_limit=nesting_limit)",
        ]

    def emit_interface(self, node: Node) -> List[str]:
        name = self.names[node.id]
        supers = ", ".join(f"{s.id:#x}" for s in node.superclasses)
        if len(node.superclasses) == 1:
            supers += ","
        lines = [
            "", "", f"class {name}:",
            f'    """Interface {node.short_name}: IDs and method table.',
            "",
            "    Typed clients and servers are built from ``METHODS`` by the RPC layer.",
            '    """', "",
            f"    INTERFACE_ID: Final = {node.id:#x}",
            f"    SUPERCLASS_IDS: Final[Tuple[int, ...]] = ({supers})",
        ]
        entries: List[str] = []
        for i, m in enumerate(node.methods):
            p = self.ref(m.param_struct_type)
            r = self.ref(m.result_struct_type)
            mname = py_name(m.name)
            if mname in ("INTERFACE_ID", "SUPERCLASS_IDS", "METHODS"):
                mname += "_"
            lines.append(f"    {mname}: Final = _rt.MethodInfo(")
            lines.append(f"        {node.id:#x}, {i}, {m.name!r},")
            lines.append(f"        {p}_Reader, {p}_Builder, {r}_Reader, {r}_Builder)")
            entries.append(mname)
        tup = ", ".join(entries) + ("," if len(entries) == 1 else "")
        lines.append(f"    METHODS: Final[Tuple[_rt.MethodInfo, ...]] = ({tup})")
        lines += interface_stubs(self, node)  # typed RPC stubs, after the file's last interface
        return lines

    def emit_const(self, node: Node) -> List[str]:
        name = self.names[node.id]
        t = node.type
        assert t is not None and node.value is not None
        v = node.value.value
        k = t.which
        if k == "void":
            return [f"{name}: Final = None"]
        if k == "struct":
            data = encode_pointer_value(self.req, t, v)
            cls = self.ref(t.type_id, "_Reader")
            return [f"{name}: Final = {cls}(_rt.default_struct({data!r}))"]
        if k == "list":
            assert t.element_type is not None
            data = encode_pointer_value(self.req, t, v)
            spec = self.read_spec(t.element_type)
            es = ELEMENT_SIZE[t.element_type.which]
            return [f"{name}: Final = {spec}.read(_rt.default_list({data!r}, {es}))"]
        if k in ("anyPointer", "interface"):
            return []
        lit = self.literal(t, v)
        if lit is None:
            return []
        ann = self.reader_type(t)
        return [f"{name}: Final[{ann}] = {lit}"]


def _check_references(request: CodeGeneratorRequest) -> None:
    """Every node a group field, a type or a method names must be in the request: a request
    from elsewhere (a plugin's stdin) is input, and a missing node is its mistake."""
    known = {n.id for n in request.nodes}

    def need(node: Node, what: str, node_id: int) -> None:
        if node_id not in known:
            raise SchemaError(f"{node.display_name}: {what} refers to node {node_id:#x}, "
                              "which the request does not contain")

    def type_refs(node: Node, what: str, t: Optional[Type]) -> None:
        while t is not None and t.which == "list":
            t = t.element_type
        if t is not None and t.which in ("struct", "enum", "interface"):
            need(node, what, t.type_id)

    for node in request.nodes:
        for f in node.fields or ():
            if f.which == "group":
                need(node, f"group {f.name}", f.group_type_id)
            else:
                type_refs(node, f"field {f.name}", f.type)
        for m in node.methods or ():
            need(node, f"method {m.name}", m.param_struct_type)
            need(node, f"method {m.name}", m.result_struct_type)
        if node.which in ("const", "annotation"):
            type_refs(node, node.which, node.type)


def generate(request: CodeGeneratorRequest, *, relative_imports: bool = True,
             files: Optional[Sequence[int]] = None) -> Dict[str, str]:
    """Generate one module per requested file: module name -> source text.

    ``files`` restricts the output to these file IDs (default: every
    requested file).  With ``relative_imports`` a module imports the modules
    of the schemas it uses as siblings in its package (``from . import x``);
    otherwise as top-level modules (``import x``).
    """
    _check_references(request)
    modules: Dict[int, str] = {}
    for node in request.nodes:
        if node.which == "file":
            modules[node.id] = module_name(node.display_name)
    wanted = list(files) if files is not None else [f.id for f in request.requested_files]
    out: Dict[str, str] = {}
    for fid in wanted:
        if fid not in modules:
            raise SchemaError(f"no file node with id {fid:#x}")
        gen = _FileGen(request, fid, modules, relative_imports)
        out[modules[fid]] = gen.emit()
    return out


def class_names(request: CodeGeneratorRequest) -> Dict[int, Tuple[str, str]]:
    """Node ID -> (module name, flat Python name) for every named node.

    Add ``_Reader`` or ``_Builder`` to a struct's flat name for its classes.
    """
    modules: Dict[int, str] = {}
    for node in request.nodes:
        if node.which == "file":
            modules[node.id] = module_name(node.display_name)
    first = next(iter(modules), None)
    if first is None:
        return {}
    gen = _FileGen(request, first, modules, True)
    return {nid: (modules[gen.file_of[nid]], name) for nid, name in gen.names.items()}
