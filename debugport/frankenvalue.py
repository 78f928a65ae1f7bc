"""``Frankenvalue``: how workerd passes ``ctx.props`` (and other JS values) over Cap'n Proto.

A Frankenvalue is a base value plus optional named properties laid over it::

    Frankenvalue { union { emptyObject; json :Text; v8Serialized :Data; arrayBuffer :Data;
                           capability (capIndex, tag) }
                   properties :List(Frankenvalue)   # each with its ``name``
                   name :Text; capTableSize; capTable }

This module keeps it as a small immutable Python object, independent of any RPC session, so that
both the debug-port client and server can use it:

* ``Frankenvalue.from_python(value)`` -- props from a Python value: ``{}`` becomes
  ``emptyObject``, values that JSON text carries exactly become ``json``, anything else (bytes,
  ``BigInt``, ``UNDEFINED``, dates, -0.0, NaN, integers beyond 2**53, strings with lone
  surrogates, which UTF-8 text cannot hold...) is V8-serialized (``debugport.v8``).
* ``Frankenvalue.empty()``, ``.from_json(text)``, ``.from_v8(data)``, ``.from_array_buffer(data)``
  and ``with_property(name, value)`` build each form explicitly.
* ``to_capnp()`` gives a dict for a ``Frankenvalue`` struct builder; ``from_capnp(view)`` reads
  one back from any object with the struct's field names and ``which()``.
* ``to_python()`` decodes the value as JavaScript would see it (``JSON.parse``, V8 decoding,
  then the named properties set on the result).  JSON is read as ``JSON.parse`` reads it:
  ``NaN`` and ``Infinity`` are refused, ``-0`` gives ``-0.0``, an integer within +-2**53 gives
  an ``int`` (a double holds it exactly), and any other number the nearest ``float``, the value
  a JS number holds.

Capabilities (the ``capability`` variant and ``capTable``) are not supported: the debug port
gives them no meaning, so ``from_capnp`` rejects them with ``DecodeError``.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Callable, NoReturn, Optional, Tuple

from capnp_lite.errors import DecodeError, EncodeError

from . import v8

__all__ = ["Frankenvalue", "KINDS"]

# The variants of the value union this module handles, by their schema names.
KINDS = ("emptyObject", "json", "v8Serialized", "arrayBuffer")

# A props tree deeper than this is refused rather than walked (it comes from a peer).
# Each level costs three of a message's nesting levels (the struct, its property list and
# the list's element), so with the default nesting limit of 64 the reader's own limit
# stops a tree of about twenty levels; this one says what went wrong before that.
MAX_PROPERTY_DEPTH = 16

# Lone surrogates: a str may hold them, UTF-8 text (a Cap'n Proto Text) cannot.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_MAX_SAFE = v8.EXACT_INT_BOUND


class Frankenvalue:
    """One immutable Frankenvalue: ``kind`` (one of ``KINDS``), its ``payload`` and properties.

    ``payload`` is ``None`` for ``emptyObject``, a ``str`` for ``json`` and ``bytes`` for
    ``v8Serialized`` and ``arrayBuffer``.  ``properties`` is a tuple of ``(name, Frankenvalue)``.
    """

    __slots__ = ("kind", "payload", "properties")

    def __init__(self, kind: str, payload: Any = None,
                 properties: Tuple[Tuple[str, "Frankenvalue"], ...] = ()) -> None:
        if kind not in KINDS:
            raise EncodeError(f"unknown Frankenvalue kind {kind!r}")
        if kind == "emptyObject" and payload is not None:
            raise EncodeError("an emptyObject Frankenvalue has no payload")
        if kind == "json" and not isinstance(payload, str):
            raise EncodeError("a json Frankenvalue needs text")
        if kind in ("v8Serialized", "arrayBuffer") and not isinstance(payload, (bytes, bytearray)):
            raise EncodeError(f"a {kind} Frankenvalue needs bytes")
        self.kind = kind
        self.payload: Any = bytes(payload) if isinstance(payload, bytearray) else payload
        self.properties = tuple(properties)

    # -- building --------------------------------------------------------------------------

    @classmethod
    def empty(cls) -> "Frankenvalue":
        """``{}``: what workerd substitutes when no props are given."""
        return cls("emptyObject")

    @classmethod
    def from_json(cls, text: str) -> "Frankenvalue":
        return cls("json", text)

    @classmethod
    def from_v8(cls, data: bytes) -> "Frankenvalue":
        """Bytes of a V8 serialization, including its ``FF <version>`` header."""
        return cls("v8Serialized", bytes(data))

    @classmethod
    def from_array_buffer(cls, data: bytes) -> "Frankenvalue":
        return cls("arrayBuffer", bytes(data))

    @classmethod
    def from_python(cls, value: Any) -> "Frankenvalue":
        """The natural Frankenvalue for ``value`` (see the module docstring)."""
        if isinstance(value, Frankenvalue):
            return value
        if isinstance(value, dict) and not value:
            return cls.empty()
        if _is_json_value(value, 0):
            text = json.dumps(value, ensure_ascii=False, allow_nan=False)
            # A lone surrogate stays one in the text, which a Text field cannot carry.
            if _SURROGATE.search(text) is None:
                return cls.from_json(text)
        return cls.from_v8(v8.dumps(value))

    def with_property(self, name: str, value: Any) -> "Frankenvalue":
        """A copy with one more named property (a Frankenvalue, or a Python value to convert)."""
        return Frankenvalue(self.kind, self.payload,
                            self.properties + ((name, Frankenvalue.from_python(value)),))

    # -- Cap'n Proto ---------------------------------------------------------------------------

    def to_capnp(self) -> "dict[str, Any]":
        """Fields for a ``Frankenvalue`` struct builder (``builder.update(fv.to_capnp())``)."""
        out: "dict[str, Any]" = {self.kind: self.payload}
        if self.properties:
            items = []
            for name, prop in self.properties:
                item = prop.to_capnp()
                item["name"] = name
                items.append(item)
            out["properties"] = items
        return out

    @classmethod
    def from_capnp(cls, view: Any, _depth: int = 0) -> "Frankenvalue":
        """Read a ``Frankenvalue`` struct (a reader view with ``which()`` and field attributes)."""
        if _depth > MAX_PROPERTY_DEPTH:
            raise DecodeError(f"Frankenvalue properties nest deeper than {MAX_PROPERTY_DEPTH}")
        which = view.which()
        if which not in KINDS:
            raise DecodeError(f"Frankenvalue variant {which!r} is not supported here")
        if int(getattr(view, "capTableSize", 0) or 0):
            raise DecodeError("Frankenvalue carries capabilities, which are not supported here")
        payload: Any = None
        if which == "json":
            payload = str(view.json)
        elif which != "emptyObject":
            payload = bytes(getattr(view, which) or b"")
        props = []
        for item in view.properties or ():
            props.append((str(item.name), cls.from_capnp(item, _depth + 1)))
        return cls(which, payload, tuple(props))

    # -- decoding --------------------------------------------------------------------------------

    def to_python(self, *, host_reader: Optional[Callable[[v8.HostReader], Any]] = None) -> Any:
        """The value as JavaScript sees it, with the named properties set on it.

        Properties need an object to land on: a base that decodes to something other than a
        ``dict`` (e.g. a number) with properties raises ``DecodeError``.
        """
        if self.kind == "emptyObject":
            value: Any = {}
        elif self.kind == "json":
            value = _parse_json(self.payload)
        elif self.kind == "v8Serialized":
            value = v8.loads(self.payload, host_reader=host_reader)
        else:
            value = v8.ArrayBuffer(self.payload)  # as v8.loads gives an ArrayBuffer
        if self.properties:
            if not isinstance(value, dict):
                raise DecodeError(f"Frankenvalue properties on a {type(value).__name__} base")
            for name, prop in self.properties:
                value[name] = prop.to_python(host_reader=host_reader)
        return value

    # -- comparison ------------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Frankenvalue):
            return NotImplemented
        return (self.kind, self.payload, self.properties) == (other.kind, other.payload, other.properties)

    def __hash__(self) -> int:
        return hash((self.kind, self.payload, self.properties))

    def __repr__(self) -> str:
        extra = f", properties={list(self.properties)!r}" if self.properties else ""
        return f"Frankenvalue({self.kind!r}, {self.payload!r}{extra})"


def _parse_json(text: str) -> Any:
    """``text`` read as JS ``JSON.parse`` reads it (see the module docstring)."""
    try:
        return json.loads(text, parse_int=_json_number, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:  # (nesting too deep for the parser)
        raise DecodeError(f"Frankenvalue json is not valid JSON: {exc}") from None


def _json_number(text: str) -> Any:
    """A JSON integer literal as a JS number: ``-0`` keeps its sign, big ones round."""
    if text == "-0":
        return -0.0
    # 16 digits or fewer parse cheaply and exactly; more are at least 10**16 > 2**53.
    if len(text.lstrip("-")) <= 16:
        value = int(text)
        if abs(value) <= _MAX_SAFE:
            return value
    return float(text)  # the nearest double, as JS rounds a decimal literal


def _refuse_constant(text: str) -> NoReturn:
    raise ValueError(f"{text} is not a JSON value")


def _is_json_value(value: Any, depth: int) -> bool:
    """Whether ``json.dumps`` round-trips ``value`` exactly as JS ``JSON.parse`` would read it."""
    if depth > 64:
        return False
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, str):
        return True
    if isinstance(value, v8.BigInt):
        return False  # a BigInt must stay a BigInt, JSON would make it a Number
    if isinstance(value, int):
        return abs(value) <= _MAX_SAFE
    if isinstance(value, float):
        return math.isfinite(value) and not (value == 0.0 and math.copysign(1.0, value) < 0)
    if isinstance(value, list):
        return all(_is_json_value(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json_value(v, depth + 1)
                   for k, v in value.items())
    return False
