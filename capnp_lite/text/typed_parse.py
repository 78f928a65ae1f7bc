"""Text format -> message in one schema-directed pass, for well-formed text.

:mod:`capnp_lite.text.parser` builds a tree of located nodes and
:mod:`capnp_lite.text.encode` checks it against the schema; that pair is the
reference and says exactly what is wrong and where.  This module reads the
same language knowing, at every position, which type the schema expects
there: each value is matched by one precompiled regular expression and turned
straight into the Python value its field's setter takes, so no node objects
are made and nothing is checked twice.

It never reports errors.  At the first thing it does not accept (a syntax
error, a type mismatch, an unknown name, a value out of range) it gives up
and :func:`read_messages` returns ``None``: the caller then runs the
reference path, which fails with its own message and position.  So this path
only needs to accept a subset of what the reference accepts and build the
same message from it; it in fact covers the whole language.

A struct's fields are gathered as a flat list ``[apply, value, apply, value,
...]`` and applied once the struct is complete: a list of structs must be
allocated, with its length, before its elements, so elements cannot be
written while they are read.  Applying the fields in source order through the
dynamic builder's setters gives the bytes the reference path gives.

The source is decoded with ``surrogateescape``, so the expressions work on
``str`` and a Text value's slice is already the ``str`` its setter encodes;
bytes that are not UTF-8 come back unchanged when it is encoded.
"""

from __future__ import annotations

import re
import struct
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..dynamic.builder import _DynamicListBuilder, _DynamicStructBuilder, builder_class, new_builder
from ..dynamic.builder import _RANGES as _INT_RANGES  # (the builder's own range checks)
from ..dynamic.builder import struct_list_builders
from ..dynamic.schema import FieldInfo, StructSchema, TypeInfo
from ..errors import EncodeError, TextFormatError
from ..schema.lexer import OPERATOR_CHARS, octal_clash
from .parser import MAX_DEPTH

__all__ = ["read_messages"]


class _GiveUp(Exception):
    """The text is not one this path builds; the reference path takes over."""


# What reading and applying may raise on a text the reference refuses: _GiveUp
# from the reader, and from the conversions and the builder what the reference
# raises too (an integer beyond float or the digit limit, a value out of range).
# RecursionError: a caller already deep in the stack.
_DECLINED = (_GiveUp, EncodeError, TextFormatError, ValueError, OverflowError, struct.error,
             RecursionError)

# -- tokens -------------------------------------------------------------------
#
# Space is the reference parser's six ASCII blanks; a comment runs from '#' to
# the end of the line.  The comment must end at a newline (or the end of the
# text) so that a failed match backtracks over a comment in one step.
_BLANKS = r"[ \t\n\r\x0b\x0c]*"
_WS = _BLANKS + r"(?:#[^\n]*(?:\n|\Z)" + _BLANKS + ")*"
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_IDENT_CHAR = r"[A-Za-z0-9_]"
# '=' not run into an operator: the reference reads '=-1' as the operator '=-' (the reader
# below then declines, and the tree parser reports it).
_EQUALS = "=(?![" + re.escape("".join(sorted(OPERATOR_CHARS))) + "])"

# '(' then either ')' or the first "name =".
_STRUCT_OPEN = re.compile(_WS + r"\((?:" + _WS + r"(\))|" + _WS + "(" + _NAME + ")" + _WS + _EQUALS + _WS + ")")
# What follows a field's value: ')' (possibly after a ','), or ',' and the next
# "name =" (group 4).  Groups 2 to 4; group 1 is the value in the quick forms.
_STRUCT_SEP = _WS + r"(?:(\))|," + _WS + r"(?:(\))|(" + _NAME + ")" + _WS + _EQUALS + _WS + "))"
_STRUCT_NEXT = re.compile("()" + _STRUCT_SEP)
# '[' then either ']' or the start of the first item.
_LIST_OPEN = re.compile(_WS + r"\[" + _WS + r"(\])?")
# What follows an item: ']' (possibly after a ','), or ',' and the next item.
# Groups 2 and 3, as above.
_LIST_SEP = _WS + r"(?:(\])|," + _WS + r"(\])?)"
_LIST_NEXT = re.compile("()" + _LIST_SEP)
# Nothing but space and comments left.
_END = re.compile(_WS + r"\Z")

# A number, as the reference reads it: an optional '-' (space may follow it),
# then a plain decimal integer (group 2, the common case), or a hex integer, an
# octal integer or a float (group 3, classified by _number).  No letter, digit
# or '_' may follow.
_NUMBER = re.compile(
    _WS + "(?:(-)" + _WS + ")?(?:([1-9][0-9]*|0)(?![A-Za-z0-9_.])"
    r"|(0x[0-9a-fA-F]+|[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)(?!" + _IDENT_CHAR + "))"
)
# A bare name, possibly after '-' (only "-inf" means anything).
_IDENT = re.compile(_WS + "(-" + _WS + ")?(" + _NAME + ")")
# One string literal without escapes (group 1), or with them (group 2).
_STRING = re.compile(_WS + r'"(?:([^"\\\n]*)"|((?:[^"\\\n]|\\[^\n])*)")')
# Whether another literal follows (adjacent strings are concatenated).
_MORE_STRING = re.compile(_WS + '(?=")')
# A Data literal: hex digits and the reference's four blanks.
_DATA = re.compile(_WS + r'0x"([0-9a-fA-F \t\n\r]*)"')
_DATA_BLANKS = re.compile(r"[ \t\n\r]")
# Whole bytes with blanks between them (capnp refuses a blank inside a byte).
_DATA_BYTES = re.compile(r"(?:[ \t\n\r]*[0-9a-fA-F]{2})+[ \t\n\r]*")

_ESCAPE = re.compile(r"\\(?:([abfnrtv'\"\\?])|x([0-9a-fA-F]{2})|([0-7]{1,3})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {
    "a": "\x07", "b": "\x08", "f": "\x0c", "n": "\n", "r": "\r", "t": "\t", "v": "\x0b",
    "'": "'", '"': '"', "\\": "\\", "?": "?",
}

# The quick forms: the common spellings of a value, each matched by one
# expression together with what follows it, without a capture group of their
# own.  Anything else (escapes, adjacent strings, hex, octal, '-' before a
# space or a name, comments in a list) takes the general readers.
_Q_STRING = r'"[^"\\\n]*"'  # no escapes (and, standing alone, no literal after it)
_Q_INT = r"-?(?:[1-9][0-9]*|0)(?![A-Za-z0-9_.])"
_Q_FLOAT = r"-?(?:[1-9][0-9]*|0)(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?(?![A-Za-z0-9_.])"
_Q_NAME = _NAME
_NOT_BEFORE_STRING = "(?!" + _WS + '")'
_STRING_BODIES = re.compile(r'"([^"]*)"')


def _byte_char(value: int) -> str:
    """The character that encodes back to byte ``value`` under ``surrogateescape``."""
    return chr(value) if value < 0x80 else chr(0xDC00 + value)


def _unescape_one(m: "re.Match[str]") -> str:
    simple, hexa, octal, unknown = m.groups()
    if simple is not None:
        return _SIMPLE_ESCAPES[simple]
    if hexa is not None:
        return _byte_char(int(hexa, 16))
    if octal is not None:
        return _byte_char(int(octal, 8) & 0xFF)  # \400 and up wrap to a byte, as in capnp
    raise _GiveUp(unknown)


def _number(text: str) -> Any:
    """The int or float that a hex, octal or float literal (no sign) stands for."""
    if text.startswith("0x"):
        return int(text[2:], 16)
    if "." in text or "e" in text or "E" in text:
        if octal_clash(text):
            raise _GiveUp("a leading 0 makes the whole part octal")
        return float(text)
    if text.strip("01234567"):  # "0" then digits: octal, which has no 8 or 9
        raise _GiveUp("bad octal number")
    return int(text, 8)


# -- the reader ----------------------------------------------------------------

# Reads one value of a known type at a position: (end, value).
Read = Callable[["_Reader", int, int], Tuple[int, Any]]
# Writes one value into a struct builder.
Apply = Callable[[_DynamicStructBuilder, Any], None]


class _Type:
    """How to read values of one type."""

    __slots__ = ("read", "convert", "field_quick", "item_quick", "list_quick", "split")

    def __init__(self, read: Read, quick: str = "", convert: Optional[Callable[[str], Any]] = None,
                 split: Optional[Callable[[str], List[Any]]] = None, alone: str = "") -> None:
        self.read = read  # reads any spelling of a value (the general path)
        # Turns the text of a quick form into the value (raises _GiveUp if it does not fit).
        self.convert: Callable[[str], Any] = convert or str
        # A quick form (followed by ``alone`` when it stands alone) then what follows
        # a field, or what follows a list item.
        self.field_quick = re.compile("(" + quick + ")" + alone + _STRUCT_SEP) if quick else None
        self.item_quick = re.compile("(" + quick + ")" + alone + _LIST_SEP) if quick else None
        # A whole list of quick forms separated by blanks and commas, no comments
        # (group 1: its items), and how to turn that text into the items.
        self.list_quick = None
        self.split = split
        if quick and split is not None:
            self.list_quick = re.compile(
                r"\[" + _BLANKS + "(?:(" + quick + "(?:" + _BLANKS + "," + _BLANKS + quick + ")*)"
                # (one way to split blanks around an optional last ',': no backtracking)
                + _BLANKS + "(?:," + _BLANKS + r")?)?\]")


# A struct's fields by name: the field's type and how to apply its value.
Plan = Dict[str, Tuple[_Type, Apply]]


class _Reader:
    """The source text and the plans of the structs met so far."""

    __slots__ = ("src", "plans")

    def __init__(self, src: str) -> None:
        self.src = src  # the text, decoded with surrogateescape
        self.plans: Dict[int, Plan] = {}  # by id() of a StructSchema used while reading

    def plan(self, schema: StructSchema) -> Plan:
        plan = self.plans.get(id(schema))
        if plan is None:
            plan = _make_plan(schema)
            self.plans[id(schema)] = plan
        return plan

    def struct(self, schema: StructSchema, pos: int, depth: int) -> Tuple[int, List[Any]]:
        """Read ``( ... )`` as ``schema``: its end and the fields as ``[apply, value, ...]``."""
        if depth >= MAX_DEPTH:  # its values would lie past the reference's limit
            raise _GiveUp("nested too deeply")
        src = self.src
        m = _STRUCT_OPEN.match(src, pos)
        if m is None:
            raise _GiveUp("expected '('")
        plan = self.plan(schema)
        ops: List[Any] = []
        append = ops.append
        name = m.group(2)
        depth += 1
        while name is not None:
            entry = plan.get(name)
            if entry is None:
                raise _GiveUp("unknown field")
            kind, apply = entry
            append(apply)
            pos = m.end()
            quick = kind.field_quick
            if quick is not None:
                q = quick.match(src, pos)
                if q is not None:
                    append(kind.convert(q.group(1)))
                    m = q
                    name = q.group(4)
                    continue
            pos, value = kind.read(self, pos, depth)
            append(value)
            m = _STRUCT_NEXT.match(src, pos)
            if m is None:
                raise _GiveUp("expected ',' or ')'")
            name = m.group(4)
        return m.end(), ops

    def items(self, kind: _Type, pos: int, depth: int) -> Tuple[int, List[Any]]:
        """Read ``[ ... ]`` of items of type ``kind``."""
        if depth >= MAX_DEPTH:  # its values would lie past the reference's limit
            raise _GiveUp("nested too deeply")
        src = self.src
        whole = kind.list_quick
        if whole is not None:
            q = whole.match(src, pos)
            if q is not None:
                assert kind.split is not None
                body = q.group(1)
                return q.end(), [] if body is None else kind.split(body)
        m = _LIST_OPEN.match(src, pos)
        if m is None:
            raise _GiveUp("expected '['")
        out: List[Any] = []
        if m.group(1) is not None:
            return m.end(), out
        append = out.append
        quick = kind.item_quick
        convert = kind.convert
        read = kind.read
        depth += 1
        while True:
            pos = m.end()
            if quick is not None:
                q = quick.match(src, pos)
                if q is not None:
                    append(convert(q.group(1)))
                    if q.group(2) is not None or q.group(3) is not None:
                        return q.end(), out
                    m = q
                    continue
            pos, value = read(self, pos, depth)
            append(value)
            m = _LIST_NEXT.match(src, pos)
            if m is None:
                raise _GiveUp("expected ',' or ']'")
            if m.group(2) is not None or m.group(3) is not None:
                return m.end(), out

    def string(self, pos: int) -> Tuple[int, str]:
        """One or more adjacent string literals, concatenated."""
        src = self.src
        m = _STRING.match(src, pos)
        if m is None:
            raise _GiveUp("expected a string")
        pieces: List[str] = []
        while True:
            plain = m.group(1)
            if plain is None:
                plain = _ESCAPE.sub(_unescape_one, m.group(2))
            pieces.append(plain)
            pos = m.end()
            more = _MORE_STRING.match(src, pos)
            if more is None:
                break
            m = _STRING.match(src, more.end())
            if m is None:
                raise _GiveUp("bad string")
        return pos, pieces[0] if len(pieces) == 1 else "".join(pieces)


def _checked_int(low: int, high: int) -> Callable[[str], Any]:
    def convert(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise _GiveUp("integer out of range")
        return value
    return convert


def _read_int(low: int, high: int) -> Read:
    def read(r: _Reader, pos: int, depth: int) -> Tuple[int, Any]:
        m = _NUMBER.match(r.src, pos)
        if m is None:
            raise _GiveUp("expected an integer")
        sign, plain, other = m.groups()
        value = int(plain) if plain is not None else _number(other)
        if type(value) is not int:
            raise _GiveUp("expected an integer")
        if sign is not None:
            value = -value
        if not low <= value <= high:
            raise _GiveUp("integer out of range")
        return m.end(), value
    return read


def _int_type(low: int, high: int) -> _Type:
    convert = _checked_int(low, high)

    def split(body: str) -> List[Any]:
        return [convert(item) for item in body.split(",")]  # int() ignores the blanks
    return _Type(_read_int(low, high), _Q_INT, convert, split)


def _float_of(text: str) -> float:
    """A quick-form number as a float: an integer is read as one first (so -0 is 0.0)."""
    if "." in text or "e" in text or "E" in text:
        return float(text)
    return _int_float(int(text))


def _int_float(value: int) -> float:
    """An integer literal given for a float: a 64-bit integer first, as capnp reads it
    (anything else is left to the general parser, which reports it)."""
    if not -(1 << 63) <= value < 1 << 64:
        raise _GiveUp("integer literal beyond 64 bits")
    return float(value)


def _float_items(body: str) -> List[Any]:
    return [_float_of(item.strip(" \t\n\r\x0b\x0c")) for item in body.split(",")]


_INFINITIES = {"inf": float("inf"), "nan": float("nan")}


def _read_float(r: _Reader, pos: int, depth: int) -> Tuple[int, Any]:
    src = r.src
    m = _NUMBER.match(src, pos)
    if m is not None:
        sign, plain, other = m.groups()
        value = int(plain) if plain is not None else _number(other)
        if sign is not None:
            value = -value  # an integer is negated before it becomes a float: -0 is 0.0
        return m.end(), _int_float(value) if type(value) is int else value
    m = _IDENT.match(src, pos)
    if m is None:
        raise _GiveUp("expected a number")
    sign, name = m.groups()
    if name == "inf":
        return m.end(), -_INFINITIES[name] if sign is not None else _INFINITIES[name]
    if name == "nan" and sign is None:
        return m.end(), _INFINITIES[name]
    raise _GiveUp("expected a number")


def _name_type(names: Dict[str, Any]) -> _Type:
    """Values written as a bare name (not after '-') that ``names`` maps to the value to store."""

    def convert(text: str) -> Any:
        value = names.get(text, names)  # the dict itself stands for "absent"
        if value is names:
            raise _GiveUp("unknown name")
        return value

    def read(r: _Reader, pos: int, depth: int) -> Tuple[int, Any]:
        m = _IDENT.match(r.src, pos)
        if m is None or m.group(1) is not None:
            raise _GiveUp("expected a name")
        return m.end(), convert(m.group(2))

    def split(body: str) -> List[Any]:
        return [convert(item.strip(" \t\n\r\x0b\x0c")) for item in body.split(",")]
    return _Type(read, _Q_NAME, convert, split)


def _read_text(r: _Reader, pos: int, depth: int) -> Tuple[int, Any]:
    return r.string(pos)


def _read_data(r: _Reader, pos: int, depth: int) -> Tuple[int, Any]:
    m = _DATA.match(r.src, pos)
    if m is None:
        end, text = r.string(pos)
        return end, text.encode("utf-8", "surrogateescape")
    body = m.group(1)
    if _DATA_BYTES.fullmatch(body) is None:
        raise _GiveUp("bad data literal")
    digits = _DATA_BLANKS.sub("", body)
    return m.end(), bytes.fromhex(digits)


def _data_of(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _unquote(literal: str) -> str:
    return literal[1:-1]


def _quoted_data(literal: str) -> bytes:
    return literal[1:-1].encode("utf-8", "surrogateescape")


def _give_up(r: _Reader, pos: int, depth: int) -> Tuple[int, Any]:
    raise _GiveUp("a type the text format cannot write")


def _struct_type(schema: StructSchema) -> _Type:
    def read(r: _Reader, pos: int, depth: int) -> Tuple[int, Any]:
        return r.struct(schema, pos, depth)
    return _Type(read)


def _list_type(element: _Type) -> _Type:
    def read(r: _Reader, pos: int, depth: int) -> Tuple[int, Any]:
        return r.items(element, pos, depth)
    return _Type(read)


_SHARED_TYPES: Dict[str, _Type] = {
    kind: _int_type(low, high) for kind, (low, high) in _INT_RANGES.items() if kind != "enum"}
_SHARED_TYPES["float32"] = _SHARED_TYPES["float64"] = _Type(_read_float, _Q_FLOAT, _float_of, _float_items)
_SHARED_TYPES["bool"] = _name_type({"true": True, "false": False})
_SHARED_TYPES["void"] = _name_type({"void": None})
_SHARED_TYPES["text"] = _Type(
    _read_text, _Q_STRING, _unquote, _STRING_BODIES.findall, _NOT_BEFORE_STRING)
_SHARED_TYPES["data"] = _Type(
    _read_data, _Q_STRING, _quoted_data,
    lambda body: [_data_of(text) for text in _STRING_BODIES.findall(body)], _NOT_BEFORE_STRING)
_GIVE_UP = _Type(_give_up)


def _type_of(t: TypeInfo) -> _Type:
    """How to read a value of type ``t`` (as the value its setter takes)."""
    kind = t.kind
    shared = _SHARED_TYPES.get(kind)
    if shared is not None:
        return shared
    if kind == "enum":
        return _name_type(dict(t.enum.by_name))
    if kind == "struct":
        return _struct_type(t.struct)
    if kind == "list":
        assert t.element is not None
        return _list_type(_type_of(t.element))
    return _GIVE_UP  # AnyPointer, interfaces


# -- applying ------------------------------------------------------------------


def _run(builder: _DynamicStructBuilder, ops: List[Any]) -> None:
    """Apply ``[apply, value, apply, value, ...]`` in order."""
    it = iter(ops)
    for apply in it:
        apply(builder, next(it))


def _fill(target: _DynamicListBuilder, element: TypeInfo, items: List[Any]) -> None:
    """Write read items into a list of ``element`` allocated with their count."""
    if element.kind == "struct":
        children = struct_list_builders(element.struct, target.layout, target._msg)
        for child, ops in zip(children, items):
            _run(child, ops)
    elif element.kind == "list":
        assert element.element is not None
        for i, sub in enumerate(items):
            _fill(target.init(i, len(sub)), element.element, sub)
    else:
        for i, value in enumerate(items):
            target[i] = value


def _applier(cls: type, field: FieldInfo) -> Apply:
    """How to write a read value of ``field`` into a builder of class ``cls``."""
    if field.group is not None:
        def apply_group(b: _DynamicStructBuilder, ops: Any) -> None:
            _run(b._init_group(field), ops)
        return apply_group
    t = field.type
    assert t is not None
    if t.kind == "struct":
        def apply_struct(b: _DynamicStructBuilder, ops: Any) -> None:
            _run(b._init_field(field), ops)
        return apply_struct
    element = t.element
    if element is not None and element.kind in ("struct", "list"):
        def apply_list(b: _DynamicStructBuilder, items: Any) -> None:
            _fill(b._init_field(field, len(items)), element, items)
        return apply_list
    # Scalars, Text, Data and lists of them: the builder class's own setter.
    prop = cls.__dict__.get(field.name)
    if isinstance(prop, property) and prop.fset is not None:
        setter: Apply = prop.fset
        return setter

    def apply_any(b: _DynamicStructBuilder, value: Any) -> None:
        b._set_field(field, value)  # a field named like a builder attribute
    return apply_any


def _make_plan(schema: StructSchema) -> Plan:
    cls = schema.builder_cls or builder_class(schema)
    plan: Plan = {}
    for field in schema.fields_list:
        if field.group is not None:
            kind = _struct_type(field.group)
        else:
            assert field.type is not None
            kind = _type_of(field.type)
        plan[field.name] = (kind, _applier(cls, field))
    return plan


def read_messages(schema: StructSchema, src: bytes) -> Optional[List[_DynamicStructBuilder]]:
    """One builder per top-level ``( ... )`` of ``src``, or None if the text needs the reference path.

    None means the text is malformed (or uses something this path leaves to
    the reference); it never means a different message.
    """
    try:
        return _read_all(schema, src)
    except _DECLINED:
        return None


def _read_all(schema: StructSchema, src: bytes) -> List[_DynamicStructBuilder]:
    r = _Reader(src.decode("utf-8", "surrogateescape"))
    text = r.src
    messages: List[List[Any]] = []
    pos = 0
    while _END.match(text, pos) is None:
        pos, ops = r.struct(schema, pos, 0)
        messages.append(ops)
    if not messages:
        raise _GiveUp("no message")
    out: List[_DynamicStructBuilder] = []
    for ops in messages:
        root = new_builder(schema)
        _ = root.layout  # a real message from the start: the plans hold the ordinary setters
        _run(root, ops)
        out.append(root)
    return out
