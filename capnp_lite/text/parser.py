"""Parser for the Cap'n Proto text format (what ``capnp encode`` reads).

The grammar is the value-expression part of the schema language::

    message  := struct
    value    := struct | list | string+ | data | number | '-' number | ident
    struct   := '(' [ field { ',' field } [','] ] ')'
    field    := ident '=' value
    list     := '[' [ value { ',' value } [','] ] ']'
    string   := '"' { char | escape } '"'        (adjacent strings concatenate)
    data     := '0x"' { hex hex | space } '"'
    number   := decimal | '0x' hex | '0' octal | float

Comments run from ``#`` to the end of the line.  The parser builds a small
tree of :class:`TextValue` nodes that each remember their line and column;
applying the tree to a schema is the job of :mod:`capnp_lite.text.encode`.

Written as small ``parse_x(src, pos) -> (pos, value)`` functions over the
source bytes, so an error can always say ``line:col``.
"""

from __future__ import annotations

from typing import List, Tuple, Union

from ..errors import TextFormatError
from ..schema.lexer import OPERATOR_CHARS, octal_clash

__all__ = [
    "TextStruct",
    "TextList",
    "TextString",
    "TextData",
    "TextInt",
    "TextFloat",
    "TextIdent",
    "TextValue",
    "parse_message",
    "parse_messages",
    "parse_value",
    "position_of",
]

# Nesting deeper than this is refused instead of overflowing Python's stack.
MAX_DEPTH = 200


class _Node:
    """Base of the text value tree: remembers where in the source it started."""

    __slots__ = ("offset",)

    def __init__(self, offset: int) -> None:
        self.offset = offset  # byte offset of the value's first character


class TextStruct(_Node):
    __slots__ = ("fields",)

    def __init__(self, offset: int, fields: List[Tuple[str, int, "TextValue"]]) -> None:
        super().__init__(offset)
        self.fields = fields  # (name, offset of the name, value), in source order


class TextList(_Node):
    __slots__ = ("items",)

    def __init__(self, offset: int, items: List["TextValue"]) -> None:
        super().__init__(offset)
        self.items = items


class TextString(_Node):
    __slots__ = ("value",)

    def __init__(self, offset: int, value: bytes) -> None:
        super().__init__(offset)
        self.value = value  # the decoded bytes (escapes resolved)


class TextData(_Node):
    __slots__ = ("value",)

    def __init__(self, offset: int, value: bytes) -> None:
        super().__init__(offset)
        self.value = value


class TextInt(_Node):
    __slots__ = ("value",)

    def __init__(self, offset: int, value: int) -> None:
        super().__init__(offset)
        self.value = value


class TextFloat(_Node):
    __slots__ = ("value",)

    def __init__(self, offset: int, value: float) -> None:
        super().__init__(offset)
        self.value = value


class TextIdent(_Node):
    """A bare name: ``void``, ``true``, ``false``, ``inf``, ``nan`` or an enumerant."""

    __slots__ = ("name", "negative")

    def __init__(self, offset: int, name: str, negative: bool = False) -> None:
        super().__init__(offset)
        self.name = name
        self.negative = negative  # written as ``-name`` (only meaningful for ``inf``)


TextValue = Union[TextStruct, TextList, TextString, TextData, TextInt, TextFloat, TextIdent]

_IDENT_START = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_IDENT_CHARS = _IDENT_START | frozenset(b"0123456789")
_DIGITS = frozenset(b"0123456789")
# The reference reads text with its schema lexer, where a run of operator characters is one
# token: '=-1' is '=-' then '1'.
_OPERATOR_CHARS = frozenset(ord(c) for c in OPERATOR_CHARS)
_HEX = frozenset(b"0123456789abcdefABCDEF")
_SIMPLE_ESCAPES = {
    ord("a"): 0x07,
    ord("b"): 0x08,
    ord("f"): 0x0C,
    ord("n"): 0x0A,
    ord("r"): 0x0D,
    ord("t"): 0x09,
    ord("v"): 0x0B,
    ord("'"): 0x27,
    ord('"'): 0x22,
    ord("\\"): 0x5C,
    ord("?"): 0x3F,
}


def position_of(src: bytes, offset: int) -> Tuple[int, int]:
    """1-based (line, column) of a byte offset."""
    offset = max(0, min(offset, len(src)))
    line = src.count(b"\n", 0, offset) + 1
    start = src.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def _error(src: bytes, offset: int, message: str) -> TextFormatError:
    line, col = position_of(src, offset)
    return TextFormatError(f"{line}:{col}: {message}")


def _skip_space(src: bytes, pos: int) -> int:
    n = len(src)
    while pos < n:
        c = src[pos]
        if c in (0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C):
            pos += 1
        elif c == 0x23:  # '#': comment to end of line
            end = src.find(b"\n", pos)
            pos = n if end < 0 else end + 1
        else:
            break
    return pos


def _expect(src: bytes, pos: int, char: int, what: str) -> int:
    pos = _skip_space(src, pos)
    if pos >= len(src) or src[pos] != char:
        found = "end of input" if pos >= len(src) else repr(chr(src[pos]))
        raise _error(src, pos, f"expected {what}, found {found}")
    return pos + 1


def parse_ident(src: bytes, pos: int) -> Tuple[int, str]:
    start = pos
    n = len(src)
    if pos >= n or src[pos] not in _IDENT_START:
        raise _error(src, pos, "expected a name")
    pos += 1
    while pos < n and src[pos] in _IDENT_CHARS:
        pos += 1
    return pos, src[start:pos].decode("ascii")


def parse_string(src: bytes, pos: int) -> Tuple[int, bytes]:
    """Parse one double-quoted string starting at ``pos`` (which holds ``"``)."""
    start = pos
    pos += 1
    out = bytearray()
    n = len(src)
    while True:
        if pos >= n:
            raise _error(src, start, "unterminated string")
        c = src[pos]
        if c == 0x22:
            return pos + 1, bytes(out)
        if c == 0x0A:
            raise _error(src, pos, "newline in string")
        if c != 0x5C:
            out.append(c)
            pos += 1
            continue
        pos += 1
        if pos >= n:
            raise _error(src, start, "unterminated string")
        c = src[pos]
        simple = _SIMPLE_ESCAPES.get(c)
        if simple is not None:
            out.append(simple)
            pos += 1
        elif c == ord("x"):
            digits = src[pos + 1 : pos + 3]
            if len(digits) != 2 or not all(d in _HEX for d in digits):
                raise _error(src, pos - 1, "\\x needs two hex digits")
            out.append(int(digits, 16))
            pos += 3
        elif 0x30 <= c <= 0x37:
            end = pos
            while end < n and end < pos + 3 and 0x30 <= src[end] <= 0x37:
                end += 1
            out.append(int(src[pos:end], 8) & 0xFF)  # \400 and up wrap to a byte, as in capnp
            pos = end
        else:
            raise _error(src, pos - 1, f"unknown escape \\{chr(c)}")


def parse_data(src: bytes, pos: int) -> Tuple[int, bytes]:
    """Parse ``0x"..."`` starting at ``pos`` (which holds ``0``)."""
    start = pos
    pos += 3
    n = len(src)
    end = src.find(b'"', pos)
    if end < 0:
        raise _error(src, start, "unterminated data literal")
    hexchars = bytearray()
    for i in range(pos, end):
        c = src[i]
        if c in _HEX:
            hexchars.append(c)
        elif c not in (0x20, 0x09, 0x0A, 0x0D):
            raise _error(src, i, "bad character in data literal")
        elif len(hexchars) % 2:  # blanks go between bytes, as capnp reads them
            raise _error(src, i, "blank inside a byte of a data literal")
    if len(hexchars) % 2:
        raise _error(src, start, "data literal needs an even number of hex digits")
    if not hexchars:  # as capnp: a data literal holds at least one byte
        raise _error(src, start, "empty data literal")
    del n
    return end + 1, bytes.fromhex(hexchars.decode("ascii"))


def parse_number(src: bytes, pos: int) -> Tuple[int, Union[int, float]]:
    start = pos
    n = len(src)
    if src[pos : pos + 2] == b"0x":  # lower case only, as capnp reads it
        pos += 2
        while pos < n and src[pos] in _HEX:
            pos += 1
        if pos == start + 2:
            raise _error(src, start, "bad hex number")
        if pos < n and src[pos] in _IDENT_CHARS:
            raise _error(src, pos, "bad character in number")
        return pos, int(src[start + 2 : pos], 16)
    while pos < n and src[pos] in _DIGITS:
        pos += 1
    is_float = False
    if pos < n and src[pos] == 0x2E:  # '.'
        is_float = True
        pos += 1
        while pos < n and src[pos] in _DIGITS:  # none is fine: "1." is 1.0, as in capnp
            pos += 1
    if pos < n and src[pos] in (0x65, 0x45):  # 'e' / 'E'
        is_float = True
        pos += 1
        if pos < n and src[pos] in (0x2B, 0x2D):
            pos += 1
        digits = pos
        while pos < n and src[pos] in _DIGITS:
            pos += 1
        if pos == digits:
            raise _error(src, pos, "expected exponent digits")
    if pos < n and src[pos] in _IDENT_CHARS:
        raise _error(src, pos, "bad character in number")
    text = src[start:pos].decode("ascii")
    if is_float:
        if octal_clash(text):  # 01.5 is 1.5, but capnp refuses 09.5
            raise _error(src, start, "bad number: a leading 0 makes its whole part octal")
        return pos, float(text)
    if len(text) > 1 and text[0] == "0":
        if not all(c in "01234567" for c in text):
            raise _error(src, start, "bad octal number")
        return pos, int(text, 8)
    try:
        return pos, int(text)
    except ValueError:  # past Python's limit on decimal digits: far beyond any field
        raise _error(src, start, f"integer literal of {len(text)} digits is too long") from None


def parse_value(src: bytes, pos: int, depth: int = 0) -> Tuple[int, TextValue]:
    """Parse one value; ``pos`` may point at leading space."""
    if depth > MAX_DEPTH:
        raise _error(src, pos, "text nested too deeply")
    pos = _skip_space(src, pos)
    if pos >= len(src):
        raise _error(src, pos, "expected a value, found end of input")
    c = src[pos]
    start = pos
    if c == 0x28:  # '('
        return parse_struct(src, pos, depth)
    if c == 0x5B:  # '['
        return parse_list(src, pos, depth)
    if c == 0x22:  # '"'
        chunks: List[bytes] = []
        while pos < len(src) and src[pos] == 0x22:
            pos, chunk = parse_string(src, pos)
            chunks.append(chunk)
            after = _skip_space(src, pos)
            if after < len(src) and src[after] == 0x22:
                pos = after
        return pos, TextString(start, b"".join(chunks))
    if src[pos : pos + 3] == b'0x"':
        pos, data = parse_data(src, pos)
        return pos, TextData(start, data)
    if c == 0x2D:  # '-'
        pos = _skip_space(src, pos + 1)
        if pos < len(src) and src[pos] in _DIGITS:
            pos, number = parse_number(src, pos)
            if isinstance(number, float):
                return pos, TextFloat(start, -number)
            return pos, TextInt(start, -number)
        if pos < len(src) and src[pos] in _IDENT_START:
            pos, name = parse_ident(src, pos)
            return pos, TextIdent(start, name, negative=True)
        raise _error(src, pos, "expected a number after '-'")
    if c in _DIGITS:
        pos, number = parse_number(src, pos)
        if isinstance(number, float):
            return pos, TextFloat(start, number)
        return pos, TextInt(start, number)
    if c in _IDENT_START:
        pos, name = parse_ident(src, pos)
        return pos, TextIdent(start, name)
    raise _error(src, pos, f"unexpected {chr(c)!r}")


def parse_struct(src: bytes, pos: int, depth: int = 0) -> Tuple[int, TextStruct]:
    start = pos
    pos = _expect(src, pos, 0x28, "'('")
    fields: List[Tuple[str, int, TextValue]] = []
    while True:
        pos = _skip_space(src, pos)
        if pos < len(src) and src[pos] == 0x29:
            return pos + 1, TextStruct(start, fields)
        if pos < len(src) and src[pos] not in _IDENT_START:
            raise _error(src, pos, "missing field name")
        name_at = pos
        pos, name = parse_ident(src, pos)
        pos = _expect(src, pos, 0x3D, "'='")
        if pos < len(src) and src[pos] in _OPERATOR_CHARS:
            raise _error(src, pos - 1, f"expected '=', found {src[pos - 1:pos + 1].decode('latin-1')!r} "
                                       "(an operator right after '=' is part of it: leave a space)")
        pos, value = parse_value(src, pos, depth + 1)
        fields.append((name, name_at, value))
        pos = _skip_space(src, pos)
        if pos < len(src) and src[pos] == 0x2C:
            pos += 1
            continue
        pos = _expect(src, pos, 0x29, "',' or ')'")
        return pos, TextStruct(start, fields)


def parse_list(src: bytes, pos: int, depth: int = 0) -> Tuple[int, TextList]:
    start = pos
    pos = _expect(src, pos, 0x5B, "'['")
    items: List[TextValue] = []
    while True:
        pos = _skip_space(src, pos)
        if pos < len(src) and src[pos] == 0x5D:
            return pos + 1, TextList(start, items)
        pos, value = parse_value(src, pos, depth + 1)
        items.append(value)
        pos = _skip_space(src, pos)
        if pos < len(src) and src[pos] == 0x2C:
            pos += 1
            continue
        pos = _expect(src, pos, 0x5D, "',' or ']'")
        return pos, TextList(start, items)


def parse_messages(src: bytes) -> List[TextStruct]:
    """Parse every top-level struct literal in ``src`` (``capnp encode`` writes one message each)."""
    messages: List[TextStruct] = []
    pos = _skip_space(src, 0)
    while pos < len(src):
        pos, message = parse_struct(src, pos)
        messages.append(message)
        pos = _skip_space(src, pos)
    if not messages:
        raise _error(src, pos, "expected '(', found end of input")
    return messages


def parse_message(src: bytes) -> TextStruct:
    """Parse exactly one top-level struct literal."""
    pos, message = parse_struct(src, _skip_space(src, 0))
    pos = _skip_space(src, pos)
    if pos < len(src):
        raise _error(src, pos, "unexpected text after the message")
    return message
