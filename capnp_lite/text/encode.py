"""Text format -> message: apply parsed text to a dynamic builder.

Values are checked against the schema as they are applied; a mismatch raises
:class:`TextFormatError` with the ``line:col`` of the offending value.  As in
the reference tool, assigning a second member of a union switches the
discriminant without clearing the first member's data bits.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import EncodeError, TextFormatError
from ..dynamic.builder import _DynamicListBuilder, _DynamicStructBuilder, coerce_data, new_builder
from ..dynamic.schema import DATA_KINDS, FieldInfo, StructSchema, TypeInfo
from .parser import (
    TextData,
    TextFloat,
    TextIdent,
    TextInt,
    TextList,
    TextString,
    TextStruct,
    TextValue,
    parse_messages,
    position_of,
)
from .typed_parse import read_messages

__all__ = ["apply_struct", "text_to_builders", "tree_to_builders"]


class _Context:
    """The source, to turn byte offsets into ``line:col`` in errors."""

    __slots__ = ("src",)

    def __init__(self, src: bytes) -> None:
        self.src = src

    def error(self, node_offset: int, message: str) -> TextFormatError:
        line, col = position_of(self.src, node_offset)
        return TextFormatError(f"{line}:{col}: {message}")


def _scalar(ctx: _Context, t: TypeInfo, node: TextValue) -> Any:
    """Python value of a data-typed text value, checked against ``t``."""
    kind = t.kind
    if kind == "void":
        if isinstance(node, TextIdent) and node.name == "void" and not node.negative:
            return None
        raise ctx.error(node.offset, "type mismatch; expected Void")
    if kind == "bool":
        if isinstance(node, TextIdent) and node.name in ("true", "false") and not node.negative:
            return node.name == "true"
        raise ctx.error(node.offset, "type mismatch; expected Bool")
    if kind in ("float32", "float64"):
        if isinstance(node, TextInt):
            # An integer literal is a 64-bit integer first, as capnp reads it.
            if node.value < -(1 << 63):
                raise ctx.error(node.offset, "integer is too big to be negative")
            if node.value >= 1 << 64:
                raise ctx.error(node.offset, "integer is too large (64 bits at most)")
            return float(node.value)
        if isinstance(node, TextFloat):
            return node.value
        if isinstance(node, TextIdent) and node.name == "inf":
            return -math.inf if node.negative else math.inf
        if isinstance(node, TextIdent) and node.name == "nan" and not node.negative:
            return math.nan
        raise ctx.error(node.offset, f"type mismatch; expected {kind.capitalize()}")
    if kind == "enum":
        if isinstance(node, TextIdent) and not node.negative:
            if node.name not in t.enum.by_name:
                raise ctx.error(node.offset, f"enum has no enumerant named {node.name!r}")
            return node.name
        raise ctx.error(node.offset, "type mismatch; expected an enumerant")
    if isinstance(node, TextInt):
        return node.value
    raise ctx.error(node.offset, f"type mismatch; expected {kind}")


def _set(ctx: _Context, builder: _DynamicStructBuilder, field: FieldInfo, node: TextValue) -> None:
    if field.group is not None:
        if not isinstance(node, TextStruct):
            raise ctx.error(node.offset, "type mismatch; expected a group ( ... )")
        apply_struct(ctx, builder._init_group(field), node)
        return
    t = field.type
    assert t is not None
    if not field.is_pointer:
        value = _scalar(ctx, t, node)
        try:
            builder._set_field(field, value)
        except EncodeError as exc:
            raise ctx.error(node.offset, str(exc)) from None
        return
    if t.kind == "struct":
        if not isinstance(node, TextStruct):
            raise ctx.error(node.offset, "type mismatch; expected a struct ( ... )")
        apply_struct(ctx, builder._init_field(field), node)
        return
    if t.kind == "list":
        if not isinstance(node, TextList):
            raise ctx.error(node.offset, "type mismatch; expected a list [ ... ]")
        target = builder._init_field(field, len(node.items))
        _fill_list(ctx, target, node)
        return
    builder._set_raw_pointer(field, _pointer(ctx, t, node))


def _pointer(ctx: _Context, t: TypeInfo, node: TextValue) -> bytes:
    """The bytes of a Text (without its NUL) or Data value."""
    if t.kind == "text":
        if isinstance(node, TextString):
            return node.value
        raise ctx.error(node.offset, "type mismatch; expected Text")
    if t.kind == "data":
        if isinstance(node, (TextString, TextData)):
            return node.value
        raise ctx.error(node.offset, "type mismatch; expected Data")
    raise ctx.error(node.offset, f"cannot write a {t.kind} value in text")


def _fill_list(ctx: _Context, target: _DynamicListBuilder, node: TextList) -> None:
    element = target._element_type
    for i, item in enumerate(node.items):
        if element.kind in DATA_KINDS:
            value = _scalar(ctx, element, item)
            try:
                coerce_data(element, value)
            except EncodeError as exc:
                raise ctx.error(item.offset, str(exc)) from None
            target[i] = value
        elif element.kind == "struct":
            if not isinstance(item, TextStruct):
                raise ctx.error(item.offset, "type mismatch; expected a struct ( ... )")
            apply_struct(ctx, target[i], item)
        elif element.kind == "list":
            if not isinstance(item, TextList):
                raise ctx.error(item.offset, "type mismatch; expected a list [ ... ]")
            _fill_list(ctx, target.init(i, len(item.items)), item)
        else:
            target[i] = _pointer(ctx, element, item)


def apply_struct(ctx: _Context, builder: _DynamicStructBuilder, node: TextStruct) -> None:
    fields = builder.schema.fields
    for name, offset, value in node.fields:
        field = fields.get(name)
        if field is None:
            raise ctx.error(offset, f"struct has no field named {name!r}")
        _set(ctx, builder, field, value)


def text_to_builders(schema: StructSchema, src: bytes) -> "list[_DynamicStructBuilder]":
    """Parse text and build one message per top-level ``( ... )``.

    Well-formed text takes the one-pass reader of :mod:`.typed_parse`; any
    text it declines goes through :func:`tree_to_builders`, which either
    builds the same messages or raises the error with its ``line:col``.
    """
    built = read_messages(schema, src)
    if built is not None:
        return built
    return tree_to_builders(schema, src)


def tree_to_builders(schema: StructSchema, src: bytes) -> "list[_DynamicStructBuilder]":
    """The reference path: parse all of ``src`` into a tree, then apply each message."""
    ctx = _Context(src)
    out = []
    for node in parse_messages(src):
        builder = new_builder(schema)
        apply_struct(ctx, builder, node)
        out.append(builder)
    return out
