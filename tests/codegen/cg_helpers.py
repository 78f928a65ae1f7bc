"""Shared helpers for the codegen tests: generate vector modules, walk them by schema, lay out
messages word by word."""

from __future__ import annotations

import importlib
import math
import struct
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, List, Tuple

from capnp_lite.codegen import class_names, generate, py_name
from capnp_lite.codegen.runtime import RawPointer
from capnp_lite.schema import compile_files, compile_source
from capnp_lite.schema.model import NO_DISCRIMINANT, CodeGeneratorRequest, Node, Type

POINTER_KINDS = ("text", "data", "struct", "list", "anyPointer", "interface")


class Generated:
    """Generated modules for a set of schemas, imported from a fresh package."""

    def __init__(self, schemas: List[Path], import_dir: Path, out: Path) -> None:
        self.request: CodeGeneratorRequest = compile_files(
            [str(p) for p in schemas], import_paths=[str(import_dir)], standard_import=False
        )
        self.sources = generate(self.request)
        pkg = "cgtest_" + uuid.uuid4().hex[:8]
        root = out / pkg
        root.mkdir(parents=True)
        (root / "__init__.py").write_text("")
        for name, text in self.sources.items():
            (root / f"{name}.py").write_text(text)
        sys.path.insert(0, str(out))
        self.package = pkg
        self.out = out
        self.names = class_names(self.request)
        self.modules: Dict[str, ModuleType] = {}
        for name in self.sources:
            self.modules[name] = importlib.import_module(f"{pkg}.{name}")

    def node(self, node_id: int) -> Node:
        return self.request.node(node_id)

    def find(self, schema_file: str, root: str) -> Node:
        try:
            return self.request.find(f"{schema_file}:{root}")
        except KeyError:
            # "Alias.Name": a type reached through `using Alias = import "...";`
            rest = root.split(".", 1)[1]
            found = [n for n in self.request.nodes if n.display_name.endswith(":" + rest)]
            assert len(found) == 1, root
            return found[0]

    def cls(self, node_id: int, suffix: str) -> Any:
        module, name = self.names[node_id]
        return getattr(self.modules[module], name + suffix)


def floats_equal(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def active_field(node: Node, reader: Any) -> int:
    return int(reader.which()) if node.discriminant_count else NO_DISCRIMINANT


def compare_struct(gen: Generated, node: Node, ours: Any, ref: Dict[str, Any], path: str) -> int:
    """Compare a generated reader with pycapnp's ``to_dict()``; returns fields checked."""
    checked = 0
    union_keys = [f for f in node.fields if f.discriminant_value != NO_DISCRIMINANT
                  and f.name in ref]
    if node.discriminant_count and union_keys:
        assert int(ours.which()) == union_keys[0].discriminant_value, f"{path}: which()"
        checked += 1
    for f in node.fields:
        if f.name not in ref:
            continue
        value = getattr(ours, py_name(f.name))
        where = f"{path}.{f.name}"
        if f.which == "group":
            checked += compare_struct(gen, gen.node(f.group_type_id), value, ref[f.name], where)
            continue
        assert f.type is not None
        checked += compare_value(gen, f.type, value, ref[f.name], where)
    return checked


def compare_value(gen: Generated, t: Type, ours: Any, ref: Any, path: str) -> int:
    k = t.which
    if k in ("anyPointer", "interface"):
        return 0  # pycapnp's dict does not show these; covered by the byte comparison
    if k == "struct":
        return compare_struct(gen, gen.node(t.type_id), ours, ref, path)
    if k == "list":
        assert t.element_type is not None
        assert len(ours) == len(ref), f"{path}: length {len(ours)} != {len(ref)}"
        return sum(compare_value(gen, t.element_type, o, r, f"{path}[{i}]")
                   for i, (o, r) in enumerate(zip(ours, ref))) + 1
    if k == "enum":
        if isinstance(ref, str):
            assert ours.name == ref, f"{path}: {ours!r} != {ref!r}"
        else:
            assert int(ours) == int(ref), f"{path}: {ours!r} != {ref!r}"
        return 1
    if k in ("float32", "float64"):
        assert floats_equal(ours, ref), f"{path}: {ours!r} != {ref!r}"
        return 1
    if k == "void":
        assert ours is None
        return 1
    assert type(ours) is type(ref) and ours == ref, f"{path}: {ours!r} != {ref!r}"
    return 1


# -- building the same values with the generated builders ------------------------


def copy_struct(gen: Generated, node: Node, src: Any, dst: Any) -> None:
    """Set every field of builder ``dst`` from reader ``src`` (null pointers stay null)."""
    raw = src.struct_reader
    active = active_field(node, src)
    if node.discriminant_count and active >= node.discriminant_count:
        dst._which = active  # a tag this schema does not know: carried over as is
    for f in node.fields:
        in_union = f.discriminant_value != NO_DISCRIMINANT
        if in_union and f.discriminant_value != active:
            continue
        name = py_name(f.name)
        if f.which == "group":
            group = getattr(dst, "init_" + f.name)() if in_union else getattr(dst, name)
            copy_struct(gen, gen.node(f.group_type_id), getattr(src, name), group)
            continue
        t = f.type
        assert t is not None
        k = t.which
        if k in POINTER_KINDS:
            if raw.is_null(f.offset):
                if in_union:
                    setattr(dst, name, None)  # selects the member, leaves the pointer null
                continue
            if k == "struct":
                setattr(dst, name, build_struct(gen, t.type_id, getattr(src, name)))
            elif k == "list":
                assert t.element_type is not None
                setattr(dst, name, copy_list(gen, t.element_type, getattr(src, name)))
            elif k == "anyPointer":
                setattr(dst, name, RawPointer.copy_of(getattr(src, name)))
            else:
                setattr(dst, name, getattr(src, name))
        else:
            setattr(dst, name, getattr(src, name))


def build_struct(gen: Generated, type_id: int, src: Any) -> Any:
    dst = gen.cls(type_id, "_Builder")()
    copy_struct(gen, gen.node(type_id), src, dst)
    return dst


def copy_list(gen: Generated, elem: Type, src: Any) -> List[Any]:
    k = elem.which
    if k == "struct":
        return [build_struct(gen, elem.type_id, e) for e in src]
    if k == "list":
        assert elem.element_type is not None
        inner = elem.element_type
        return [copy_list(gen, inner, e) for e in src]
    if k == "anyPointer":
        return [RawPointer.copy_of(e) for e in src]
    return list(src)


def schema_root(case: Dict[str, Any]) -> Tuple[str, str]:
    return case["schema"].split("/")[-1], case["root"]


_SKIP = object()


def ref_to_dict(gen: Generated, node: Node, ref: Any) -> Dict[str, Any]:
    """pycapnp's view of a struct as a dict (enums as ints, null pointers left out).

    Written against the schema model rather than ``to_dict()``, which fails on
    enum values the schema does not name.
    """
    out: Dict[str, Any] = {}
    active = None
    if node.discriminant_count:
        try:
            active = ref.which()
        except Exception:  # an unknown discriminant: no member is active
            active = None
        active = str(active) if active is not None else None
    for f in node.fields:
        if f.discriminant_value != NO_DISCRIMINANT and f.name != active:
            continue
        if f.which == "group":
            out[f.name] = ref_to_dict(gen, gen.node(f.group_type_id), getattr(ref, f.name))
            continue
        assert f.type is not None
        if f.type.which in POINTER_KINDS and not ref._has(f.name):
            continue
        if f.type.which in ("anyPointer", "interface"):
            continue
        out[f.name] = _ref_value(gen, f.type, getattr(ref, f.name))
    return out


def _ref_value(gen: Generated, t: Type, value: Any) -> Any:
    k = t.which
    if k == "struct":
        return ref_to_dict(gen, gen.node(t.type_id), value)
    if k == "list":
        assert t.element_type is not None
        return [_ref_value(gen, t.element_type, v) for v in value]
    if k == "enum":
        return int(value.raw)
    if k == "data":
        return bytes(value)
    return value


def far_copy(data: bytes, segment_words: int) -> List[bytes]:
    """A framed one-segment message laid out again in fixed tiny segments: nearly every
    pointer far."""
    from capnp_lite.wire.layout import MessageBuilder, MessageReader

    src = MessageReader([data[8:]]).root_pointer()
    mb = MessageBuilder(segment_words, growth="fixed")
    mb.set_root_pointer(src)
    return mb.segments()


class Words:
    """A single-segment message assembled word by word."""

    def __init__(self, root: bool = True) -> None:
        self.buf = bytearray(8 if root else 0)  # word 0: the root pointer

    def alloc(self, words: int) -> int:
        at = len(self.buf) // 8
        self.buf += bytes(8 * words)
        return at

    def put(self, word: int, lo: int, hi: int) -> None:
        struct.pack_into("<II", self.buf, 8 * word, lo & 0xFFFFFFFF, hi)

    def struct_ptr(self, at: int, target: int, data: int, ptrs: int) -> None:
        self.put(at, ((target - at - 1) << 2), data | (ptrs << 16))

    def list_ptr(self, at: int, target: int, size: int, count: int) -> None:
        self.put(at, ((target - at - 1) << 2) | 1, size | (count << 3))

    def text(self, raw: bytes, terminate: bool = True) -> Tuple[int, int]:
        """Place ``raw`` (and its NUL): its word and its byte count with the NUL."""
        n = len(raw) + 1
        at = self.alloc((n + 7) // 8)
        self.buf[8 * at:8 * at + len(raw)] = raw
        if not terminate:
            self.buf[8 * at + len(raw)] = ord("z")
        return at, n

    def message(self) -> bytes:
        return struct.pack("<II", 0, len(self.buf) // 8) + bytes(self.buf)


def generated_module(tmp: Path, schema: str, file_name: str) -> ModuleType:
    """The module generated from ``schema`` (the text of ``file_name``), written as a package
    of its own under ``tmp`` and imported."""
    pkg = f"{tmp.name}_{uuid.uuid4().hex[:8]}"
    (tmp / pkg).mkdir()
    (tmp / pkg / "__init__.py").write_text("")
    for name, text in generate(compile_source(schema, file_name)).items():
        (tmp / pkg / f"{name}.py").write_text(text, encoding="utf-8")
    sys.path.insert(0, str(tmp))
    return importlib.import_module(f"{pkg}.{file_name[:-len('.capnp')]}_capnp")
