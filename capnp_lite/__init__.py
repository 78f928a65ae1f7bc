"""capnp-lite: Cap'n Proto in pure Python."""

from __future__ import annotations

from .errors import (
    CapnpError,
    DecodeError,
    EncodeError,
    LimitError,
    ProtocolError,
    RpcError,
    SchemaError,
    TextFormatError,
)

__version__ = "0.1.0"

__all__ = [
    "CapnpError",
    "DecodeError",
    "EncodeError",
    "LimitError",
    "ProtocolError",
    "RpcError",
    "SchemaError",
    "TextFormatError",
    "__version__",
]
