"""Tokenizer for the ``.capnp`` schema language.

Tokens carry the 1-based line and column where they start so that every
later stage can report ``file:line:col``.
"""

from __future__ import annotations

import string
from typing import List, Optional, Union

from ..errors import SchemaError

# The schema language is ASCII: str.isdigit and str.isalpha would also take other scripts'
# letters and digits (and superscripts, which int() then refuses), which the reference rejects.
_DIGITS = frozenset(string.digits)
_IDENT_START = frozenset(string.ascii_letters + "_")
_IDENT_CHARS = _IDENT_START | _DIGITS

__all__ = ["Token", "tokenize", "MAX_NESTING", "OPERATOR_CHARS"]

# Brackets of all kinds, nested deeper than this, are rejected: every later
# stage recurses once per level, and real schemas stay far below it.
MAX_NESTING = 64

_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {")", "]", "}"}

# Token kinds.
IDENT = "ident"
INT = "int"
FLOAT = "float"
STRING = "string"
BINARY = "binary"
PUNCT = "punct"
EOF = "eof"

_BRACKET_CHARS = "(){}[],;"
# As in the reference lexer, a run of these is one operator token: ``:.`` or ``=-`` is no
# ``:`` followed by ``.``, and the parser refuses it (``->`` is the one two-character
# operator the grammar uses).
OPERATOR_CHARS = frozenset("!$%&*+-./:<=>?@^|~")


class Token:
    """One lexical token; ``value`` is text, int, float or bytes by kind."""

    __slots__ = ("kind", "value", "line", "col", "offset", "end")

    def __init__(
        self, kind: str, value: Union[str, int, float, bytes], line: int, col: int, offset: int
    ) -> None:
        self.kind = kind
        self.value = value
        self.line = line
        self.col = col
        self.offset = offset
        self.end = offset  # offset just past the token, set once it is scanned

    @property
    def end_col(self) -> int:
        """The column just past the token (tokens do not span lines)."""
        return self.col + self.end - self.offset

    def is_punct(self, text: str) -> bool:
        return self.kind == PUNCT and self.value == text

    def is_ident(self, text: Optional[str] = None) -> bool:
        return self.kind == IDENT and (text is None or self.value == text)

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.value!r}, {self.line}:{self.col})"


class _Cursor:
    """Tracks position, line and column while scanning."""

    def __init__(self, src: str, filename: str) -> None:
        self.src = src
        self.filename = filename
        self.pos = 0
        self.line = 1
        self.line_start = 0

    def col(self) -> int:
        return self.pos - self.line_start + 1

    def error(self, message: str, line: int = 0, col: int = 0) -> SchemaError:
        return SchemaError(message, file=self.filename, line=line or self.line, col=col or self.col())


_ESCAPES = {
    "a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11,
    "'": 39, '"': 34, "\\": 92, "?": 63,
}


def _scan_string(cur: _Cursor) -> bytes:
    """Scan a double-quoted literal (cursor on the opening quote); return its UTF-8 bytes."""
    src = cur.src
    start_line, start_col = cur.line, cur.col()
    cur.pos += 1
    out = bytearray()
    while True:
        if cur.pos >= len(src) or src[cur.pos] == "\n":
            raise cur.error("Unterminated string literal.", start_line, start_col)
        ch = src[cur.pos]
        if ch == '"':
            cur.pos += 1
            return bytes(out)
        if ch != "\\":
            out += ch.encode("utf-8")
            cur.pos += 1
            continue
        cur.pos += 1
        if cur.pos >= len(src):
            raise cur.error("Unterminated string literal.", start_line, start_col)
        esc = src[cur.pos]
        if esc in _ESCAPES:
            out.append(_ESCAPES[esc])
            cur.pos += 1
        elif esc == "x":
            # Exactly two hex digits, as the reference reads them.
            cur.pos += 1
            for _ in range(2):
                if cur.pos >= len(src) or src[cur.pos] not in "0123456789abcdefABCDEF":
                    raise cur.error("Parse error.")
                cur.pos += 1
            out.append(int(src[cur.pos - 2:cur.pos], 16))
        elif esc in "01234567":
            digits = ""
            while len(digits) < 3 and cur.pos < len(src) and src[cur.pos] in "01234567":
                digits += src[cur.pos]
                cur.pos += 1
            out.append(int(digits, 8) & 0xFF)
        else:
            raise cur.error("Parse error.")  # the reference knows no other escape


def _scan_number(cur: _Cursor) -> Token:
    src = cur.src
    start = cur.pos
    line, col = cur.line, cur.col()
    if src.startswith("0x", start):  # lower case only, as the reference reads it
        end = start + 2
        while end < len(src) and src[end] in "0123456789abcdefABCDEF":
            end += 1
        if end == start + 2:
            cur.pos = end  # (the reference reports the character after "0x")
            raise cur.error("Parse error.")
        _refuse_glued_name(cur, end)
        cur.pos = end
        return Token(INT, int(src[start + 2:end], 16), line, col, start)
    end = start
    while end < len(src) and src[end] in _DIGITS:
        end += 1
    is_float = False
    if end < len(src) and src[end] == ".":  # digits after the point are optional ("5." is 5.0)
        is_float = True
        end += 1
        while end < len(src) and src[end] in _DIGITS:
            end += 1
    if end < len(src) and src[end] in "eE":
        probe = end + 1
        if probe < len(src) and src[probe] in "+-":
            probe += 1
        if probe < len(src) and src[probe] in _DIGITS:
            is_float = True
            end = probe
            while end < len(src) and src[end] in _DIGITS:
                end += 1
    text = src[start:end]
    _refuse_glued_name(cur, end)
    cur.pos = end
    if is_float:
        if octal_clash(text):
            raise cur.error("Parse error.")  # 09.5, 08e1: refused by the reference
        return Token(FLOAT, float(text), line, col, start)
    if len(text) > 1 and text[0] == "0":
        if any(c not in "01234567" for c in text):
            raise cur.error("Parse error.")  # after the digits, as the reference reports 08
        return Token(INT, int(text, 8), line, col, start)
    return Token(INT, int(text), line, col, start)


def octal_clash(text: str) -> bool:
    """Whether a float literal's whole part has a leading 0 and then an 8 or a 9.

    The reference reads a whole part with a leading 0 as octal digits, then the rest as a
    decimal float: ``01.5`` is 1.5 and ``012e1`` is 120, while ``09.5`` does not parse."""
    whole = text.split(".", 1)[0].split("e", 1)[0].split("E", 1)[0]
    return len(whole) > 1 and whole[0] == "0" and ("8" in whole or "9" in whole)


def _refuse_glued_name(cur: _Cursor, end: int) -> None:
    """A number must not run into a name (``1b``, ``0X1F``): the reference stops at the letter."""
    if end < len(cur.src) and cur.src[end] in _IDENT_START:
        raise cur.error("Parse error.", cur.line, end - cur.line_start + 1)


def _scan_binary(cur: _Cursor) -> bytes:
    """Scan ``0x"..."`` (cursor on the ``0``): pairs of hex digits, blanks allowed between
    pairs."""
    src = cur.src
    line, col = cur.line, cur.col()
    cur.pos += 3
    digits: List[str] = []
    while True:
        if cur.pos >= len(src) or src[cur.pos] == "\n":
            raise cur.error("Unterminated binary literal.", line, col)
        ch = src[cur.pos]
        cur.pos += 1
        if ch == '"':
            break
        if ch in " \t":
            if len(digits) % 2:  # blanks go between bytes, not inside one
                raise cur.error("Parse error.", cur.line, cur.col() - 1)
            continue
        if ch not in "0123456789abcdefABCDEF":
            raise cur.error("Invalid character in binary literal.", cur.line, cur.col() - 1)
        digits.append(ch)
    if len(digits) % 2:
        raise cur.error("Binary literal must have an even number of hex digits.", line, col)
    if not digits:  # the reference wants at least one byte
        raise cur.error("Parse error.", cur.line, cur.col() - 1)
    return bytes.fromhex("".join(digits))


def tokenize(src: str, filename: str = "<input>") -> List[Token]:
    """Split schema source into tokens; the list ends with an EOF token."""
    cur = _Cursor(src, filename)
    out: List[Token] = []
    n = len(src)
    depth = 0  # open brackets; mismatches are the parser's to report
    while cur.pos < n:
        ch = src[cur.pos]
        if out and out[-1].end == out[-1].offset:
            out[-1].end = cur.pos  # the last token ended where this step starts
        if ch == "\n":
            cur.pos += 1
            cur.line += 1
            cur.line_start = cur.pos
        elif ch in " \t\r\f\v":
            cur.pos += 1
        elif ch == "#":
            nl = src.find("\n", cur.pos)
            cur.pos = n if nl < 0 else nl
        elif ch in _IDENT_START:
            start = cur.pos
            end = start + 1
            while end < n and src[end] in _IDENT_CHARS:
                end += 1
            out.append(Token(IDENT, src[start:end], cur.line, cur.col(), start))
            cur.pos = end
        elif ch in _DIGITS:
            if src.startswith('0x"', cur.pos):
                line, col, start = cur.line, cur.col(), cur.pos
                out.append(Token(BINARY, _scan_binary(cur), line, col, start))
            else:
                out.append(_scan_number(cur))
        elif ch == '"':
            line, col, start = cur.line, cur.col(), cur.pos
            out.append(Token(STRING, _scan_string(cur), line, col, start))
        elif ch in OPERATOR_CHARS:
            start = cur.pos
            end = start + 1
            while end < n and src[end] in OPERATOR_CHARS:
                end += 1
            out.append(Token(PUNCT, src[start:end], cur.line, cur.col(), start))
            cur.pos = end
        elif ch in _BRACKET_CHARS:
            if ch in _OPENERS:
                depth += 1
                if depth > MAX_NESTING:
                    raise cur.error(f"nesting too deep (more than {MAX_NESTING} levels of "
                                    "brackets).")
            elif ch in _CLOSERS and depth > 0:
                depth -= 1
            out.append(Token(PUNCT, ch, cur.line, cur.col(), cur.pos))
            cur.pos += 1
        else:
            raise cur.error("Parse error.")
    if out and out[-1].end == out[-1].offset:
        out[-1].end = cur.pos
    out.append(Token(EOF, "", cur.line, cur.col(), cur.pos))
    return out

