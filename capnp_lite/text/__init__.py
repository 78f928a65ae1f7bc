"""The Cap'n Proto text format: printing (``capnp decode``) and parsing (``capnp encode``)."""

from __future__ import annotations

from .format import escape_data, escape_text, format_float32, format_float64
from .parser import parse_message, parse_messages
from .printer import to_text

__all__ = [
    "escape_data",
    "escape_text",
    "format_float32",
    "format_float64",
    "parse_message",
    "parse_messages",
    "to_text",
]
