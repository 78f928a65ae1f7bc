"""The one error hierarchy of capnp-lite.

Every failure the library reports on purpose is a :class:`CapnpError`.  The
branches say whose fault it was:

* :class:`DecodeError` -- bytes from a file or a peer are malformed or break a
  limit.  It is also a :class:`ValueError`, so code written against the
  standard library's conventions catches it.
* :class:`EncodeError` -- a value given to a builder does not fit its slot.
* :class:`SchemaError` -- a ``.capnp`` file is wrong; carries ``file:line:col``.
* :class:`TextFormatError` -- the Cap'n Proto text format could not be parsed.
* :class:`RpcError` -- an RPC call failed; carries the Cap'n Proto exception
  type (``FAILED``, ``OVERLOADED``, ``DISCONNECTED``, ``UNIMPLEMENTED``).
* :class:`ProtocolError` -- the RPC peer broke the protocol; the connection is
  aborted.
* :class:`UsageError` -- an operation the schema does not allow, such as
  ``which`` of a struct without an unnamed union.  Also a ``TypeError``.
* :class:`NoSuchFieldError` -- a field name the struct does not have.  Also an
  ``AttributeError``.

:class:`CapnpError` is also exported as ``capnp_lite.KjException``: pycapnp
raises ``KjException`` for all of these, so ``except capnp.KjException``
catches them alike.  Like pycapnp's, every error has ``type`` (``"FAILED"``
unless it says otherwise: pycapnp's spelling, upper case) and ``description`` (the message
without location).
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "CapnpError",
    "DecodeError",
    "LimitError",
    "EncodeError",
    "SchemaError",
    "TextFormatError",
    "RpcError",
    "ProtocolError",
    "Disconnected",
    "UsageError",
    "NoSuchFieldError",
    "EndOfStream",
    "KjException",
]


class CapnpError(Exception):
    """Base class of every error raised by capnp-lite on purpose.

    ``type`` is the Cap'n Proto exception type as pycapnp spells it: ``"FAILED"`` (the
    default), ``"OVERLOADED"``, ``"DISCONNECTED"`` or ``"UNIMPLEMENTED"`` (given in any
    case, it is kept in upper case); ``description`` the message itself, without where it
    happened.  Constructed as pycapnp's ``KjException`` is: ``CapnpError(message, type=...)``.
    """

    type: str = "FAILED"

    def __init__(self, *args: object, type: Optional[str] = None) -> None:
        super().__init__(*args)
        if type is not None:
            self.type = type.upper()

    @property
    def description(self) -> str:
        reason = getattr(self, "reason", None)
        if isinstance(reason, str):
            return reason
        return str(self.args[0]) if self.args else ""


class DecodeError(CapnpError, ValueError):
    """Malformed input: what was wrong and, when known, where.

    ``segment`` and ``offset`` (in words) locate the offending word when the
    error comes from the pointer layer; both are ``None`` for framing errors
    that happen before any segment exists.
    """

    def __init__(
        self, message: str, *, segment: Optional[int] = None, offset: Optional[int] = None
    ) -> None:
        self.reason = message
        self.segment = segment
        self.offset = offset
        if segment is not None and offset is not None:
            message = f"{message} (segment {segment}, word {offset})"
        elif segment is not None:
            message = f"{message} (segment {segment})"
        super().__init__(message)


class LimitError(DecodeError):
    """A read limit (traversal, nesting, segment count, message size) was exceeded."""


class EndOfStream(DecodeError, EOFError):
    """A stream ended where a message should start (pycapnp: "Premature EOF")."""


class EncodeError(CapnpError, ValueError):
    """A value cannot be stored: wrong type, out of range, or too large."""


class SchemaError(CapnpError):
    """An error in a schema file, located as ``file:line:col``."""

    def __init__(
        self, message: str, *, file: str = "", line: int = 0, col: int = 0
    ) -> None:
        self.reason = message
        self.file = file
        self.line = line
        self.col = col
        if file:
            message = f"{file}:{line}:{col}: {message}"
        super().__init__(message)


class TextFormatError(CapnpError, ValueError):
    """The text format could not be parsed or does not match the schema."""


class RpcError(CapnpError):
    """A remote call failed.

    ``type`` is one of ``"FAILED"``, ``"OVERLOADED"``, ``"DISCONNECTED"`` or
    ``"UNIMPLEMENTED"``: ``rpc.capnp``'s ``Exception.Type`` as pycapnp spells it (given in
    any case, as the wire's lower-case names are, it is kept in upper case).
    """

    def __init__(self, message: str, type: str = "FAILED", *, trace: str = "") -> None:
        self.reason = message
        self.type = type.upper()
        self.trace = trace
        super().__init__(message)


class Disconnected(RpcError):
    """The connection is gone; calls on its capabilities fail with this."""

    def __init__(self, message: str = "connection closed", *, trace: str = "") -> None:
        super().__init__(message, "disconnected", trace=trace)


class ProtocolError(CapnpError):
    """The peer broke the RPC protocol; the connection aborts with this reason."""


class NoSuchFieldError(CapnpError, AttributeError):
    """A struct has no field of that name (in ``new_message``, ``init``, ``from_dict``...).

    pycapnp raises ``KjException`` there and ``AttributeError`` for an unknown attribute;
    this is both, so either ``except`` catches it.
    """


class UsageError(CapnpError, TypeError):
    """An operation the schema does not allow on this value (``which`` without a union...)."""


KjException = CapnpError  # pycapnp's name for the base of every error it raises
