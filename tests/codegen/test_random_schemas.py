"""Generated modules of random schemas (``tests/random_schemas.py``) against the dynamic API.

For each seed the schema's module is generated and imported, a random message is built
with the dynamic API, and then:

* the generated reader of its root reads every field as the dynamic reader does (union
  tags, groups, enums the schema does not name, NaN bits, nested lists and structs);
* the generated builder, filled field by field from the dynamic reader (setters, ``init_``
  of groups, union members and structs, lists of builders), writes a message that the
  dynamic API reads as the same text;
* the same message with a few bytes changed reads alike through both, or fails in both.

The dynamic API's own reading is checked against ``capnp decode`` in
``tests/text/test_random_messages.py``; together they hold the generated code to the
reference.  ``CAPNP_LITE_RANDOM_SEEDS=N`` runs N seeds.
"""

from __future__ import annotations

import importlib
import math
import os
import struct
import sys
from pathlib import Path
from typing import Any, Dict, Tuple

import pytest

from capnp_lite.codegen import generate
from capnp_lite.errors import CapnpError
from capnp_lite.lib.capnp import _global_schema_parser
from capnp_lite.schema import compile_files

from ..random_schemas import random_message, struct_type

SEEDS = int(os.environ.get("CAPNP_LITE_RANDOM_SEEDS", "100"))
_NO_DISCRIMINANT = 0xFFFF


def _generated(path: Path, seed: int) -> Any:
    """The generated module of ``path``, imported, with the modules of what it imports
    (``stream.capnp`` for streaming methods) beside it."""
    request = compile_files([str(path)], [str(path.parent)])
    files = [n.id for n in request.nodes if n.which == "file"]
    sources = generate(request, relative_imports=False, files=files)
    for name, text in sources.items():
        (path.parent / (name + ".py")).write_text(text)
    main = path.stem + "_capnp"
    assert main in sources
    before = set(sys.modules)
    sys.path.insert(0, str(path.parent))
    try:
        return importlib.import_module(main)
    finally:
        sys.path.remove(str(path.parent))
        for name in set(sys.modules) - before:
            del sys.modules[name]  # each seed's modules are its own


def _builders(module: Any) -> Dict[int, Any]:
    """Generated builder classes by struct type id."""
    out: Dict[int, Any] = {}
    for name, value in vars(module).items():
        type_id = getattr(value, "TYPE_ID", None)
        builder = getattr(module, name + "_Builder", None)
        if isinstance(type_id, int) and builder is not None:
            out[type_id] = builder
    return out


def _same_float(a: float, b: float, bits: str) -> bool:
    return struct.pack(bits, a) == struct.pack(bits, b) or (math.isnan(a) and math.isnan(b))


def _raw_enum(value: Any) -> int:
    return int(value.raw) if hasattr(value, "raw") else int(value)


def _check_value(t: Any, dyn: Any, gen: Any, where: str) -> None:
    kind = t.which()
    if kind in ("void", "anyPointer", "interface"):
        return
    if kind == "struct":
        _check_struct(dyn, gen, where)
    elif kind == "list":
        element = t.list.elementType
        assert len(gen) == len(dyn), where
        for i, (d, g) in enumerate(zip(dyn, gen)):
            _check_value(element, d, g, "%s[%d]" % (where, i))
    elif kind == "enum":
        assert int(gen) == _raw_enum(dyn), where
    elif kind in ("float32", "float64"):
        assert _same_float(dyn, gen, "<f" if kind == "float32" else "<d"), (where, dyn, gen)
    else:
        assert gen == dyn and type(gen) is type(dyn), (where, dyn, gen)


def _check_struct(dyn: Any, gen: Any, where: str) -> None:
    active = dyn.which() if dyn.schema.union_fields else None
    if active is not None:
        assert gen.which().name == active, where
    for field in dyn.schema.fields_list:
        proto = field.proto
        if proto.discriminantValue != _NO_DISCRIMINANT and proto.name != active:
            continue
        name = proto.name
        if proto.which() == "group":
            _check_struct(getattr(dyn, name), getattr(gen, name), where + "." + name)
        else:
            _check_value(proto.slot.type, getattr(dyn, name), getattr(gen, name), where + "." + name)


class _Copier:
    """Fills generated builders from a dynamic reader, the way an application would."""

    def __init__(self, builders: Dict[int, Any]) -> None:
        self.builders = builders

    def value(self, t: Any, dyn: Any) -> Any:
        kind = t.which()
        if kind == "struct":
            out = self.builders[t.struct.typeId]()
            self.struct(dyn, out)
            return out
        if kind == "list":
            element = t.list.elementType
            return [self.value(element, d) for d in dyn]
        if kind == "enum":
            return _raw_enum(dyn)
        return dyn

    def struct(self, dyn: Any, gen: Any) -> None:
        active = dyn.which() if dyn.schema.union_fields else None
        for field in dyn.schema.fields_list:
            proto = field.proto
            in_union = proto.discriminantValue != _NO_DISCRIMINANT
            if in_union and proto.name != active:
                continue
            name = proto.name
            if proto.which() == "group":
                target = getattr(gen, "init_" + name)() if in_union else getattr(gen, name)
                self.struct(getattr(dyn, name), target)
                continue
            t = proto.slot.type
            kind = t.which()
            if kind in ("anyPointer", "interface"):
                continue  # left unset in the random messages
            if kind in ("text", "data", "list", "struct") and not dyn._has(name):
                continue  # a null pointer stays null (an empty value would be written)
            if kind == "void":
                if in_union:
                    setattr(gen, name, None)
                continue
            setattr(gen, name, self.value(t, getattr(dyn, name)))


@pytest.mark.parametrize("seed", range(SEEDS))
def test_generated_code_of_a_random_schema_reads_and_writes_as_the_dynamic_api(
        seed: int, tmp_path: Path) -> None:
    made = random_message(seed, tmp_path, "g")
    if made is None:
        return  # refused alike by the reference (tests/schema/test_random_schemas.py)
    module = _generated(made.path, seed)
    root = made.root
    builder = struct_type(made.module, root)
    data = made.builder.to_bytes()
    dyn = made.builder.as_reader()
    where = "%s of\n%s" % (root, made.schema.text)

    constructor = getattr(module, root.replace(".", "_"))
    _check_struct(dyn, constructor.from_bytes(data), where)

    builders = _builders(module)
    gen = builders[constructor.TYPE_ID]()
    _Copier(builders).struct(dyn, gen)
    again = builder.from_bytes(gen.to_bytes())
    assert str(again) == str(dyn), where


# -- damaged messages ---------------------------------------------------------------------


class _UnknownTag(Exception):
    """A generated reader's union tag the schema does not name (``UNKNOWN_n``), where the
    dynamic API raises DecodeError (a documented difference)."""


def _schema_of(type_id: int) -> Any:
    return _global_schema_parser.modules_by_id[type_id].schema


def _bound_generic(t: Any) -> bool:
    """A generic struct with its parameters bound, or a list of them (at any depth)."""
    while t.which() == "list":
        t = t.list.elementType
    return t.which() == "struct" and len(t.struct.brand.scopes) > 0


def _read_value(t: Any, value: Any, generated: bool) -> Any:
    kind = t.which()
    if kind in ("void", "anyPointer", "interface"):
        return None
    if kind == "struct":
        return _read_struct(_schema_of(t.struct.typeId), value, generated)
    if kind == "list":
        return [_read_value(t.list.elementType, item, generated) for item in value]
    if kind == "enum":
        return int(value) if generated else _raw_enum(value)
    if kind in ("float32", "float64"):
        return struct.pack("<d", value)
    return value


def _read_struct(schema: Any, reader: Any, generated: bool) -> Dict[str, Any]:
    """Every field of ``reader`` (a generated or a dynamic reader of ``schema``) read."""
    out: Dict[str, Any] = {}
    active = None
    if schema.union_fields:
        active = reader.which().name if generated else reader.which()
        if active.startswith("UNKNOWN_"):
            raise _UnknownTag(active)
    out["@which"] = active
    for field in schema.fields_list:
        proto = field.proto
        if proto.discriminantValue != _NO_DISCRIMINANT and proto.name != active:
            continue
        if proto.which() == "group":
            out[proto.name] = _read_struct(_schema_of(proto.group.typeId),
                                           getattr(reader, proto.name), generated)
            continue
        t = proto.slot.type
        if _bound_generic(t):
            # A generic struct bound to types: the dynamic reader reads its parameters as the
            # bound types, a generated one as opaque pointers.
            continue
        out[proto.name] = _read_value(t, getattr(reader, proto.name), generated)
    return out


def _outcome(read: Any) -> Tuple[str, Any]:
    try:
        return "read", read()
    except (CapnpError, _UnknownTag):
        return "refused", None


@pytest.mark.parametrize("seed", range(SEEDS))
def test_generated_readers_take_damaged_messages_as_the_dynamic_api(seed: int,
                                                                      tmp_path: Path) -> None:
    """Random messages with a few bytes changed: the generated reader (its loaders' own
    checks on lists of structs and texts) reads every field as the dynamic reader does, or
    refuses the message where the dynamic reader does."""
    made = random_message(seed, tmp_path, "d")
    if made is None:
        return
    module = _generated(made.path, seed)
    root, rng = made.root, made.rng
    builder = struct_type(made.module, root)
    data = made.builder.to_bytes()
    constructor = getattr(module, root.replace(".", "_"))
    root_schema = _schema_of(constructor.TYPE_ID)
    for _ in range(8):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            damaged[rng.randrange(8, len(damaged))] = rng.randrange(256)
        raw = bytes(damaged)
        want = _outcome(lambda: _read_struct(root_schema, builder.from_bytes(raw), False))
        got = _outcome(lambda: _read_struct(root_schema, constructor.from_bytes(raw), True))
        assert got == want, raw.hex()
