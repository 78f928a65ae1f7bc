"""JSON dump of a :class:`CodeGeneratorRequest` and text rendering of values.

The JSON shape is the one of the conformance vectors' ``*.nodes.json``;
struct and list values are shown in Cap'n Proto text form (as
``capnp decode --short`` prints them).
"""

from __future__ import annotations

import math
import struct
from typing import Any, Dict, List, Optional

from .model import (
    Annotation, Brand, CodeGeneratorRequest, Field, Node, StructValue, Type, Value, bind_type,
)

__all__ = ["request_to_json", "format_value", "format_float"]

_GENERATOR = "pycapnp 2.2.4 reading `capnp compile -o-` output (capnp 0.9.2)"

_OFFSET_UNITS = {
    "void": "none", "bool": "bits", "int8": "bytes", "uint8": "bytes",
    "int16": "16-bit", "uint16": "16-bit", "enum": "16-bit",
    "int32": "32-bit", "uint32": "32-bit", "float32": "32-bit",
    "int64": "64-bit", "uint64": "64-bit", "float64": "64-bit",
}

_NodeTable = Dict[int, Node]


def _hex(i: int) -> str:
    return "0x%016x" % i


def _name_of(table: _NodeTable, id: int) -> str:
    n = table.get(id)
    return n.display_name if n is not None else ""


# -- text form ---------------------------------------------------------------

def _trim_exponent(text: str) -> str:
    if "e" not in text:
        return text
    mant, exp = text.split("e")
    sign = "-" if exp.startswith("-") else ""
    digits = exp.lstrip("+-").lstrip("0") or "0"
    return f"{mant}e{sign}{digits}"


def format_float(x: float, is32: bool) -> str:
    """Float text the way the reference prints it (shortest of two precisions)."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    if is32:
        short = "%.6g" % x
        if struct.unpack("<f", struct.pack("<f", float(short)))[0] != x:
            short = "%.8g" % x
    else:
        short = "%.15g" % x
        if float(short) != x:
            short = "%.17g" % x
    return _trim_exponent(short)


_TEXT_ESCAPES = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v",
                 39: "\\'", 34: '\\"', 92: "\\\\"}


def _quote(data: bytes, is_text: bool) -> str:
    out: List[str] = []
    for b in data:
        esc = _TEXT_ESCAPES.get(b)
        if esc is not None:
            out.append(esc)
        elif b < 0x20 or b == 0x7F or (b >= 0x80 and not is_text):
            out.append("\\%03o" % b)
        else:
            out.append(chr(b))
    text = "".join(out)
    if is_text:
        # Raw UTF-8 passes through: re-decode the byte-per-char string.
        text = text.encode("latin-1").decode("utf-8", "replace")
    return '"' + text + '"'


def format_value(value: Any, type: Type, table: _NodeTable) -> str:
    """Render a Python value of the given schema type in Cap'n Proto text form."""
    k = type.which
    if k == "void":
        return "void"
    if k == "bool":
        return "true" if value else "false"
    if k in ("float32", "float64"):
        return format_float(float(value), k == "float32")
    if k == "enum":
        node = table.get(type.type_id)
        if node is not None and 0 <= value < len(node.enumerants):
            return str(node.enumerants[value].name)
        return f"({value})"
    if k in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"):
        return str(value)
    if k == "text":
        return _quote(value.encode("utf-8"), True)
    if k == "data":
        return _quote(bytes(value), False)
    if k == "list":
        assert type.element_type is not None
        return "[" + ", ".join(format_value(v, type.element_type, table) for v in value) + "]"
    if k == "struct":
        node = table.get(type.type_id)
        if node is None:
            return "<unknown struct>"
        return _format_struct(value if value is not None else StructValue(), node, table,
                              type.brand)
    if k == "interface":
        return "<external capability>"
    return "<opaque pointer>"


def _active_union_member(sv: StructValue, node: Node) -> Optional[Field]:
    members = [f for f in node.fields if f.discriminant_value != 0xFFFF]
    if not members:
        return None
    chosen: Optional[Field] = None
    for name in sv.fields:
        for f in members:
            if f.name == name:
                chosen = f
    if chosen is not None:
        return chosen
    for f in members:
        if f.discriminant_value == 0:
            return f
    return None


def _field_text(f: Field, sv: StructValue, table: _NodeTable, brand: Brand) -> Optional[str]:
    """``name = value`` for a field, or None when the reference would omit it.

    ``brand`` binds the parameters of a generic struct's fields.
    """
    if f.which == "group":
        sub = sv.fields.get(f.name)
        group = table.get(f.group_type_id)
        if group is None:
            return None
        inner = sub if isinstance(sub, StructValue) else StructValue()
        return f"{f.name} = {_format_struct(inner, group, table, brand)}"
    assert f.type is not None
    ftype = bind_type(f.type, brand)
    if ftype.which in ("text", "data", "list", "struct", "interface", "anyPointer"):
        if f.name not in sv.fields or sv.fields[f.name] is None:
            return None
        return f"{f.name} = {format_value(sv.fields[f.name], ftype, table)}"
    if f.name in sv.fields:
        v = sv.fields[f.name]
    else:
        v = f.default_value.value if f.default_value is not None else None
        if v is None and ftype.which != "void":
            v = 0
    return f"{f.name} = {format_value(v, ftype, table)}"


def _format_struct(sv: StructValue, node: Node, table: _NodeTable, brand: Brand) -> str:
    active = _active_union_member(sv, node)
    parts: List[str] = []
    if active is not None and active.discriminant_value == 0 and \
            _field_text(active, sv, table, brand) is None:
        active = None
    for index, f in enumerate(node.fields):
        if f.discriminant_value != 0xFFFF:
            continue
        if active is not None and node.fields.index(active) < index:
            t = _field_text(active, sv, table, brand)
            if t is not None:
                parts.append(t)
            active = None
        t = _field_text(f, sv, table, brand)
        if t is not None:
            parts.append(t)
    if active is not None:
        t = _field_text(active, sv, table, brand)
        if t is not None:
            parts.append(t)
    return "(" + ", ".join(parts) + ")"


# -- JSON --------------------------------------------------------------------

def _value_json(v: Optional[Value], type: Optional[Type], table: _NodeTable) -> Dict[str, Any]:
    if v is None or type is None:
        return {"void": None}
    k = v.which
    x = v.value
    if k == "void":
        return {"void": None}
    if k == "float32":
        f = struct.unpack("<f", struct.pack("<f", float(x)))[0]
        return {"float32": repr(f), "bits": "0x%08x" % struct.unpack("<I", struct.pack("<f", f))[0]}
    if k == "float64":
        return {"float64": repr(float(x)),
                "bits": "0x%016x" % struct.unpack("<Q", struct.pack("<d", float(x)))[0]}
    if k == "text":
        return {"text": x}
    if k == "data":
        return {"data_hex": bytes(x).hex() if x is not None else ""}
    if k == "enum":
        out: Dict[str, Any] = {"enum": x}
        node = table.get(type.type_id) if type.which == "enum" else None
        if node is not None and 0 <= x < len(node.enumerants):
            out["enumerant"] = node.enumerants[x].name
        return out
    if k in ("list", "struct"):
        if x is None:
            return {k: None}
        return {k: format_value(x, type, table)}
    if k == "interface":
        return {"interface": None}
    if k == "anyPointer":
        return {"anyPointer": None if x is None else "<opaque pointer>"}
    return {k: x}


def _brand_json(brand: Brand, table: _NodeTable) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    for s in brand.scopes:
        entry: Dict[str, Any] = {"scopeId": _hex(s.scope_id), "scopeName": _name_of(table, s.scope_id)}
        if s.inherit:
            entry["inherit"] = True
        else:
            entry["bind"] = [
                _type_json(b.type, table) if b.type is not None else {"unbound": None}
                for b in (s.bind or [])
            ]
        out.append(entry)
    return out


def _type_json(t: Type, table: _NodeTable) -> Dict[str, Any]:
    out: Dict[str, Any] = {"kind": t.which}
    if t.which == "list":
        assert t.element_type is not None
        out["elementType"] = _type_json(t.element_type, table)
    elif t.which in ("enum", "struct", "interface"):
        out["typeId"] = _hex(t.type_id)
        out["typeName"] = _name_of(table, t.type_id)
        if t.brand.scopes:
            out["brand"] = _brand_json(t.brand, table)
    elif t.which == "anyPointer":
        if t.any_kind == "parameter":
            scope = table.get(t.scope_id)
            name = ""
            if scope is not None and t.parameter_index < len(scope.parameters):
                name = scope.parameters[t.parameter_index]
            out["parameter"] = {"scopeId": _hex(t.scope_id), "scopeName": _name_of(table, t.scope_id),
                                "index": t.parameter_index, "name": name}
        elif t.any_kind == "implicitMethodParameter":
            out["implicitMethodParameter"] = {"index": t.parameter_index}
        else:
            out["constraint"] = t.constraint
    return out


def _annotations_json(anns: List[Annotation], table: _NodeTable) -> List[Dict[str, Any]]:
    out = []
    for a in anns:
        decl = table.get(a.id)
        atype = decl.type if decl is not None else None
        if atype is not None:
            atype = bind_type(atype, a.brand)  # $G(Text).a: the value is Text
        out.append({"id": _hex(a.id), "name": _name_of(table, a.id),
                    "value": _value_json(a.value, atype, table)})
    return out


def _field_json(f: Field, table: _NodeTable) -> Dict[str, Any]:
    out: Dict[str, Any] = {"name": f.name, "codeOrder": f.code_order}
    if f.discriminant_value != 0xFFFF:
        out["discriminantValue"] = f.discriminant_value
    out["ordinal"] = f.ordinal
    if f.which == "group":
        out["group"] = {"typeId": _hex(f.group_type_id)}
    else:
        assert f.type is not None
        slot: Dict[str, Any] = {"offset": f.offset, "type": _type_json(f.type, table),
                                "hadExplicitDefault": f.had_explicit_default}
        if f.had_explicit_default:
            slot["defaultValue"] = _value_json(f.default_value, f.type, table)
        slot["offsetUnit"] = _OFFSET_UNITS.get(f.type.which, "pointer")
        out["slot"] = slot
    if f.annotations:
        out["annotations"] = _annotations_json(f.annotations, table)
    return out


def _node_json(n: Node, table: _NodeTable) -> Dict[str, Any]:
    out: Dict[str, Any] = {
        "id": _hex(n.id), "displayName": n.display_name,
        "displayNamePrefixLength": n.display_name_prefix_length,
        "scopeId": _hex(n.scope_id), "kind": n.which,
    }
    if n.is_generic:
        out["isGeneric"] = True
        out["parameters"] = list(n.parameters)
    if n.nested_nodes:
        out["nestedNodes"] = [{"name": x.name, "id": _hex(x.id)} for x in n.nested_nodes]
    if n.annotations:
        out["annotations"] = _annotations_json(n.annotations, table)
    if n.which == "struct":
        out.update({
            "dataWordCount": n.data_word_count, "pointerCount": n.pointer_count,
            "preferredListEncoding": n.preferred_list_encoding, "isGroup": n.is_group,
            "discriminantCount": n.discriminant_count,
            "discriminantOffset": n.discriminant_offset,
            "fields": [_field_json(f, table) for f in n.fields],
        })
    elif n.which == "enum":
        ens = []
        for e in n.enumerants:
            d: Dict[str, Any] = {"name": e.name, "codeOrder": e.code_order}
            if e.annotations:
                d["annotations"] = _annotations_json(e.annotations, table)
            ens.append(d)
        out["enumerants"] = ens
    elif n.which == "interface":
        methods = []
        for m in n.methods:
            d = {"name": m.name, "codeOrder": m.code_order,
                 "paramStructType": _hex(m.param_struct_type),
                 "paramStructName": _name_of(table, m.param_struct_type),
                 "resultStructType": _hex(m.result_struct_type),
                 "resultStructName": _name_of(table, m.result_struct_type)}
            if m.implicit_parameters:
                d["implicitParameters"] = list(m.implicit_parameters)
            if m.param_brand.scopes:
                d["paramBrand"] = _brand_json(m.param_brand, table)
            if m.result_brand.scopes:
                d["resultBrand"] = _brand_json(m.result_brand, table)
            if m.annotations:
                d["annotations"] = _annotations_json(m.annotations, table)
            methods.append(d)
        out["methods"] = methods
        out["superclasses"] = [
            {"id": _hex(s.id), "name": _name_of(table, s.id), "brand": _brand_json(s.brand, table)}
            for s in n.superclasses
        ]
    elif n.which == "const":
        assert n.type is not None
        out["type"] = _type_json(n.type, table)
        out["value"] = _value_json(n.value, n.type, table)
    elif n.which == "annotation":
        assert n.type is not None
        out["type"] = _type_json(n.type, table)
        out["targets"] = list(n.targets)
    return out


def request_to_json(req: CodeGeneratorRequest) -> Dict[str, Any]:
    table = {n.id: n for n in req.nodes}
    major, minor, micro = req.capnp_version
    return {
        "generator": _GENERATOR,
        "capnpVersion": {"major": major, "minor": minor, "micro": micro},
        "requestedFiles": [
            {"id": _hex(f.id), "filename": f.filename,
             "imports": [{"id": _hex(i), "name": name} for i, name in f.imports]}
            for f in req.requested_files
        ],
        "nodes": [_node_json(n, table) for n in sorted(req.nodes, key=lambda n: n.display_name)],
    }
