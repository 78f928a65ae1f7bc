"""Random schemas and random messages for differential tests against the reference tools.

``random_schema(seed)`` writes the text of a schema file that uses most of the language:
structs with fields of every kind, nested declarations, groups, named and unnamed unions
(with groups inside them), ordinals in a random order, default values, enums, constants
(some naming others), annotations of several targets, generic structs and their brands,
interfaces with ``extends``, streaming methods, named parameter structs and generic methods.
Some of them are wrong on purpose (an annotation applied where its targets forbid it, a type
the language refuses): both compilers must then refuse them with the same first error.

``fill(builder, rng)`` sets random values (extreme integers and floats, texts with escapes
and non-ASCII, nested lists and structs, one member of each union) into a dynamic builder of
such a schema, reading the field protos as pycapnp code would.
"""

from __future__ import annotations

import random
import struct
from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

import capnp_lite

PRIMITIVES = ["Void", "Bool", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32",
              "UInt64", "Float32", "Float64", "Text", "Data"]
OPAQUE = ["AnyPointer", "AnyStruct", "AnyList", "Capability"]


def literal(t: str, rng: random.Random) -> Optional[str]:
    """A value literal of type ``t`` in schema syntax, or None for types it does not cover."""
    if t == "Void":
        return "void"
    if t == "Bool":
        return rng.choice(["true", "false"])
    if t.startswith("Int"):
        bits = int(t[3:])
        return str(rng.choice([-(1 << (bits - 1)), (1 << (bits - 1)) - 1, rng.randint(-9, 9)]))
    if t.startswith("UInt"):
        return str(rng.choice([0, (1 << int(t[4:])) - 1, rng.randint(0, 99)]))
    if t.startswith("Float"):
        return rng.choice(["1.5", "-0.0", "inf", "-inf", "nan", "-2e10", "3", "1e-40", "0.3", "-7.7"])
    if t == "Text":
        return rng.choice(['"t%d"' % rng.randint(0, 99), '"a\\nb\\"c"', '""', '"\\x01\\101\u00e9\\t"'])
    if t == "Data":
        return '0x"%02x%02x"' % (rng.randint(0, 255), rng.randint(0, 255))
    if t.startswith("List(") and t[5:-1] in PRIMITIVES[1:]:
        return "[%s]" % ", ".join(literal(t[5:-1], rng) or "" for _ in range(rng.randint(0, 3)))
    return None


class _Scope:
    """A struct being written: the ordinal placeholders of its fields, groups and unions."""

    def __init__(self) -> None:
        self.placeholders: List[str] = []


class RandomSchema:
    """One random schema file (see the module's docstring); ``text`` is the file."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.count = 0
        self.enums: List[str] = []
        self.structs: List[str] = []  # qualified names, in the order declared
        self.generics: List[Tuple[str, int]] = []
        self.annotations: List[Tuple[str, str, str]] = []  # (name, type, targets)
        self.consts: List[Tuple[str, str]] = []
        self.interfaces: List[str] = []
        self.ordinals: Dict[str, int] = {}
        self._scopes: List[_Scope] = []
        body = self._file()
        for placeholder, ordinal in self.ordinals.items():
            body = body.replace(placeholder, "@%d" % ordinal)
        file_id = 0x8000000000000000 | random.Random(seed).getrandbits(63)
        self.text = "@0x%016x;\n%s" % (file_id, body)

    # -- names, types, ordinals

    def _name(self, prefix: str) -> str:
        self.count += 1
        return "%s%d" % (prefix, self.count)

    def _ordinal(self) -> str:
        placeholder = "@<%d>" % len(self.ordinals)
        self.ordinals[placeholder] = -1
        self._scopes[-1].placeholders.append(placeholder)
        return placeholder

    def _open_struct(self) -> None:
        self._scopes.append(_Scope())

    def _close_struct(self) -> None:
        # Ordinals are the struct's own, whatever group or union a field sits in; half the
        # structs number them out of the order of the text.
        placeholders = self._scopes.pop().placeholders
        numbers = list(range(len(placeholders)))
        if self.rng.random() < 0.5:
            self.rng.shuffle(numbers)
        for placeholder, number in zip(placeholders, numbers):
            self.ordinals[placeholder] = number

    def _type(self, depth: int = 0) -> str:
        rng = self.rng
        k = rng.random()
        if k < 0.55:
            return rng.choice(PRIMITIVES)
        if k < 0.65 and self.enums:
            return rng.choice(self.enums)
        if k < 0.75 and self.structs:
            return rng.choice(self.structs)
        if k < 0.78:
            return rng.choice(OPAQUE)
        if k < 0.82 and self.generics:
            name, arity = rng.choice(self.generics)
            bound = [rng.choice(["Text", "Data", "List(Int8)", "AnyPointer"]) for _ in range(arity)]
            return "%s(%s)" % (name, ", ".join(bound))
        if depth < 2:
            element = self._type(depth + 1)
            if element in OPAQUE and rng.random() < 0.8:  # lists of these are refused: now and then
                element = "Int32"
            return "List(%s)" % element
        return "Int32"

    def _annotate(self, target: str) -> str:
        """An annotation of ``target`` (a kind of declaration), or nothing; now and then
        one that does not target it (both compilers must refuse that alike)."""
        rng = self.rng
        fitting = [a for a in self.annotations if a[2] == "*" or target in a[2].split(", ")]
        if rng.random() < 0.015:
            fitting = self.annotations
        if not fitting or rng.random() < 0.6:
            return ""
        name, t, _ = rng.choice(fitting)
        if t == "Void":
            return " $%s" % name
        return " $%s(%s)" % (name, literal(t, rng))

    # -- declarations

    def _file(self) -> str:
        rng = self.rng
        parts: List[str] = []
        parts += [self._annotation() for _ in range(rng.randint(0, 2))]
        parts += [self._const() for _ in range(rng.randint(0, 3))]
        parts += [self._generic() for _ in range(rng.randint(0, 1))]
        parts += [self._enum("", "") for _ in range(rng.randint(0, 2))]
        parts += [self._struct("", 0, "") for _ in range(rng.randint(1, 4))]
        parts += [self._interface() for _ in range(rng.randint(0, 2))]
        return "".join(parts)

    def _annotation(self) -> str:
        rng = self.rng
        name = self._name("a")
        t = rng.choice(["Int32", "Text", "Void", "Bool", "Float64", "List(UInt8)", "Data"])
        targets = rng.choice(["*", "struct, field", "field", "enum, enumerant, struct, field, "
                              "union, group, file, const, interface, method, param, annotation"])
        self.annotations.append((name, t, targets))
        return "annotation %s(%s) :%s;\n" % (name, targets, t)

    def _const(self) -> str:
        rng = self.rng
        name = self._name("c")
        t = rng.choice(PRIMITIVES[1:] + ["List(Int16)", "List(Text)", "List(Float32)", "List(Bool)"])
        value = literal(t, rng)
        if self.consts and rng.random() < 0.3:
            t, other = rng.choice(self.consts)
            value = "." + other
        self.consts.append((t, name))
        return "const %s :%s = %s%s;\n" % (name, t, value, self._annotate("const"))

    def _generic(self) -> str:
        name = self._name("G")
        params = ["T%d" % i for i in range(self.rng.randint(1, 2))]
        self._open_struct()
        body = "".join("  p%d %s :%s;\n" % (i, self._ordinal(), p) for i, p in enumerate(params))
        body += "  x %s :%s;\n" % (self._ordinal(), self._type())
        self._close_struct()
        self.generics.append((name, len(params)))
        return "struct %s(%s) {\n%s}\n" % (name, ", ".join(params), body)

    def _enum(self, indent: str, prefix: str) -> str:
        name = self._name("E")
        self.enums.append(prefix + name)
        members = "".join("%s  e%d @%d%s;\n" % (indent, i, i, self._annotate("enumerant"))
                          for i in range(self.rng.randint(1, 5)))
        return "%senum %s%s {\n%s%s}\n" % (indent, name, self._annotate("enum"), members, indent)

    def _struct(self, indent: str, depth: int, prefix: str) -> str:
        rng = self.rng
        name = self._name("S")
        self._open_struct()
        body = ""
        if depth < 2 and rng.random() < 0.3:
            body += self._enum(indent + "  ", prefix + name + ".")
        if depth < 1 and rng.random() < 0.3:
            body += self._struct(indent + "  ", depth + 1, prefix + name + ".")
        body += self._members(rng.randint(0, 8), indent + "  ", 0)
        if rng.random() < 0.35:
            body += "%s  union {\n%s%s  }\n" % (indent, self._union_members(indent + "    ", 1), indent)
        self._close_struct()
        self.structs.append(prefix + name)
        return "%sstruct %s%s {\n%s%s}\n" % (indent, name, self._annotate("struct"), body, indent)

    def _members(self, count: int, indent: str, depth: int) -> str:
        rng = self.rng
        out: List[str] = []
        for _ in range(count):
            k = rng.random()
            if k < 0.12 and depth < 3:
                name = self._name("g")
                inner = self._members(rng.randint(1, 4), indent + "  ", depth + 1)
                if rng.random() < 0.3:
                    inner += "%sunion {\n%s%s}\n" % (indent + "  ",
                                                    self._union_members(indent + "    ", depth + 2),
                                                    indent + "  ")
                out.append("%s%s :group%s {\n%s%s}\n" % (indent, name, self._annotate("group"), inner, indent))
            elif k < 0.22 and depth < 3:
                name = self._name("u")
                out.append("%s%s :union%s {\n%s%s}\n" % (
                    indent, name, self._annotate("union"), self._union_members(indent + "  ", depth + 1), indent))
            else:
                t = self._type()
                default = ""
                if rng.random() < 0.3:
                    value = literal(t, rng)
                    if value is not None:
                        default = " = " + value
                out.append("%s%s %s :%s%s%s;\n" % (indent, self._name("f"), self._ordinal(), t,
                                                   default, self._annotate("field")))
        return "".join(out)

    def _union_members(self, indent: str, depth: int) -> str:
        rng = self.rng
        out: List[str] = []
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.15 and depth < 3:
                name = self._name("g")
                inner = self._members(rng.randint(1, 3), indent + "  ", depth + 1)
                if not inner:
                    inner = "%s  %s %s :Void;\n" % (indent, self._name("v"), self._ordinal())
                out.append("%s%s :group {\n%s%s}\n" % (indent, name, inner, indent))
            else:
                out.append("%s%s %s :%s;\n" % (indent, self._name("m"), self._ordinal(), self._type()))
        return "".join(out)

    def _interface(self) -> str:
        rng = self.rng
        name = self._name("I")
        methods: List[str] = []
        for i in range(rng.randint(0, 3)):
            params = ", ".join("p%d :%s%s" % (j, self._type(), self._annotate("param"))
                               for j in range(rng.randint(0, 3)))
            results = ", ".join("r%d :%s" % (j, self._type()) for j in range(rng.randint(0, 2)))
            k = rng.random()
            if k < 0.2:
                methods.append("  m%d @%d (%s) -> stream;\n" % (i, i, params))
            elif k < 0.35 and self.structs:
                methods.append("  m%d @%d %s -> %s%s;\n" % (
                    i, i, rng.choice(self.structs), rng.choice(self.structs), self._annotate("method")))
            elif k < 0.45:
                methods.append("  m%d @%d [X] (x :X, %s) -> (y :X);\n" % (i, i, params or "q :Int8"))
            else:
                methods.append("  m%d @%d (%s) -> (%s);\n" % (i, i, params, results))
        extends = ""
        if self.interfaces and rng.random() < 0.5:
            chosen = rng.sample(self.interfaces, rng.randint(1, len(self.interfaces)))
            extends = " extends(%s)" % ", ".join(chosen)
        self.interfaces.append(name)
        nested = self._struct("  ", 1, name + ".") if rng.random() < 0.3 else ""
        return "interface %s%s%s {\n%s%s}\n" % (name, extends, self._annotate("interface"), nested, "".join(methods))


def random_schema(seed: int) -> RandomSchema:
    return RandomSchema(seed)


# -- random values ----------------------------------------------------------------------

_INT_RANGES = {"int8": 8, "int16": 16, "int32": 32, "int64": 64}
_UINT_RANGES = {"uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64}
_FLOATS = [0.0, -0.0, 1.5, -2.25, 1e300, -1e-300, 5e-324, float("inf"), float("-inf"),
           float("nan"), 3.4028234663852886e38, 1.17549435e-38, 0.1, 123456789.123, 1e16, 1e15,
           12345678901234567890.0, 2.5e-5, 1e-40, 1.4e-45, 2.2250738585072014e-308]
_TEXT_PIECES = ["a", "Z", " ", "\n", "\t", "\"", "'", "\\", "\x00", "\x01", "\x7f", "\u00e9",
                "\u2713", "\U0001f600", "\r", "?", "{", "\u2028"]


class _Filler:
    def __init__(self, rng: random.Random, enum_names: bool,
                 fields_of: Optional[Callable[[Any], List[Any]]]) -> None:
        self.rng = rng
        self.enum_names = enum_names
        self.fields_of = fields_of
        self.budget = 300  # fields set at most: keeps a message small

    def scalar(self, kind: str) -> Any:
        rng = self.rng
        if kind in _INT_RANGES:
            bits = _INT_RANGES[kind]
            lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
            return rng.choice([lo, hi, 0, -1, rng.randint(lo, hi)])
        if kind in _UINT_RANGES:
            hi = (1 << _UINT_RANGES[kind]) - 1
            return rng.choice([0, hi, 1, rng.randint(0, hi)])
        if kind == "float64":
            return rng.choice(_FLOATS + [rng.uniform(-1e6, 1e6)])
        if kind == "float32":
            x = rng.choice(_FLOATS + [rng.uniform(-1e6, 1e6)])
            try:
                return struct.unpack("<f", struct.pack("<f", x))[0]
            except OverflowError:
                return float("inf")
        if kind == "bool":
            return rng.random() < 0.5
        if kind == "text":
            return "".join(rng.choice(_TEXT_PIECES) for _ in range(rng.randint(0, 8)))
        if kind == "data":
            return bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 8)))
        if kind == "enum":
            return rng.randint(0, 2)  # the enums have 1 to 5 members: some values are unknown
        assert kind == "void", kind
        return None

    def fill(self, builder: Any, depth: int) -> None:
        rng = self.rng
        fields = builder.schema.fields_list if self.fields_of is None else self.fields_of(builder)
        members = [f for f in fields if f.proto.discriminantValue != 0xFFFF]
        chosen = [f for f in fields if f.proto.discriminantValue == 0xFFFF and rng.random() < 0.7]
        if members:
            chosen.append(rng.choice(members))
        for f in chosen:
            self.budget -= 1
            if self.budget < 0:
                return
            self.field(builder, f.proto, depth)

    def field(self, builder: Any, proto: Any, depth: int) -> None:
        name = proto.name
        if proto.which() == "group":
            self.fill(builder.init(name), depth + 1)
            return
        t = proto.slot.type
        kind = t.which()
        if kind in ("anyPointer", "interface"):
            return
        if kind == "struct":
            if depth <= 3:
                self.fill(builder.init(name), depth + 1)
        elif kind == "list":
            self.list_field(builder, name, t.list.elementType, depth)
        else:
            setattr(builder, name, self.scalar(kind))

    def values(self, element: Any, n: int) -> List[Any]:
        if self.enum_names and element.which() == "enum":
            return ["e0"] * n  # every generated enum has it
        return [self.scalar(element.which()) for _ in range(n)]

    def list_field(self, builder: Any, name: str, element: Any, depth: int) -> None:
        self.list_at(builder, name, element, depth, 4 if depth <= 3 else 0)

    def list_at(self, owner: Any, key: Any, element: Any, depth: int, most: int) -> None:
        """A list of up to ``most`` random elements in field ``key`` of a struct builder (a
        name) or at index ``key`` of a list of lists."""
        kind = element.which()
        if kind in ("anyPointer", "interface"):
            return
        n = self.rng.randint(0, most) if most else 0
        if kind == "struct":
            items = owner.init(key, n)
            for i in range(n):
                self.fill(items[i], depth + 1)
        elif kind == "list":
            items = owner.init(key, n)
            for i in range(n):
                self.list_at(items, i, element.list.elementType, depth + 1,
                             3 if depth + 1 <= 4 else 0)
        elif isinstance(key, str):
            setattr(owner, key, self.values(element, n))
        else:
            owner[key] = self.values(element, n)


def fill(builder: Any, rng: random.Random, enum_names: bool = False,
         fields_of: Optional[Callable[[Any], List[Any]]] = None) -> None:
    """Random values in ``builder`` (a dynamic struct builder, ours or pycapnp's) and what it
    reaches.  With ``enum_names`` the elements of enum lists are given by name (pycapnp takes
    only names there), else as numbers (some of them unknown to the enum).  ``fields_of``
    gives a builder's fields (objects with a ``proto``) where its ``schema`` has no
    ``fields_list`` (an RPC request's params)."""
    _Filler(rng, enum_names, fields_of).fill(builder, 0)


class RandomMessage(NamedTuple):
    """A random schema's file, the struct chosen as root, its module (the dynamic API's), a
    message of it with random values, and the random source to go on with."""

    schema: RandomSchema
    path: Path
    root: str
    module: Any
    builder: Any
    rng: random.Random


def struct_type(module: Any, qualified: str) -> Any:
    """The type ``qualified`` ("S3" or "S3.S5") of a module."""
    for part in qualified.split("."):
        module = getattr(module, part)
    return module


def random_message(seed: int, directory: Path, prefix: str = "r") -> Optional[RandomMessage]:
    """Seed ``seed``'s schema written to ``directory`` and loaded, and a random message of a
    struct of it; None when the schema is refused (the tests of tests/schema compare how)."""
    schema = random_schema(seed)
    path = directory / ("%s%d.capnp" % (prefix, seed))
    path.write_text(schema.text)
    try:
        module = capnp_lite.load(str(path))
    except capnp_lite.KjException:
        return None
    rng = schema.rng
    root = rng.choice(schema.structs)
    builder = struct_type(module, root).new_message()
    fill(builder, rng)
    return RandomMessage(schema, path, root, module, builder, rng)


def comparable(value: Any, other: Callable[[Any], Any]) -> Any:
    """``to_dict`` output made comparable across libraries: key order kept, floats by their
    text (NaN, -0.0), and whatever is not a plain value (None included) through ``other``."""
    if isinstance(value, dict):
        return [(k, comparable(v, other)) for k, v in value.items()]
    if isinstance(value, list):
        return [comparable(v, other) for v in value]
    if isinstance(value, float):
        return repr(value)
    if type(value) in (str, bytes, int, bool):
        return value
    return other(value)
