"""capnp-lite: Cap'n Proto in pure Python.

``import capnp_lite as capnp`` gives the names pycapnp users touch: ``load``
(the dynamic loader: structs, enums, interfaces with a ``Server`` base class),
``TwoPartyClient``, ``TwoPartyServer``, ``AsyncIoStream``, ``KjException``,
``run`` and ``kj_loop`` (from :mod:`capnp_lite.aio`), and the dynamic reader
and builder classes.  They are imported on first use, so ``import
capnp_lite`` stays cheap for code that only needs the wire format.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Dict, Tuple

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

if TYPE_CHECKING:  # type checkers see the real names; at run time they load lazily
    from .aio import AsyncIoStream, KjException, TwoPartyClient, TwoPartyServer, kj_loop, run
    from .dynamic import (
        _DynamicListBuilder,
        _DynamicListReader,
        _DynamicObjectReader,
        _DynamicStructBuilder,
        _DynamicStructReader,
        load,
    )

# name -> (module, attribute): resolved lazily by ``__getattr__``.
_LAZY: Dict[str, Tuple[str, str]] = {
    "load": ("capnp_lite.dynamic", "load"),
    "_DynamicStructReader": ("capnp_lite.dynamic", "_DynamicStructReader"),
    "_DynamicStructBuilder": ("capnp_lite.dynamic", "_DynamicStructBuilder"),
    "_DynamicListReader": ("capnp_lite.dynamic", "_DynamicListReader"),
    "_DynamicListBuilder": ("capnp_lite.dynamic", "_DynamicListBuilder"),
    "_DynamicObjectReader": ("capnp_lite.dynamic", "_DynamicObjectReader"),
    "AsyncIoStream": ("capnp_lite.aio", "AsyncIoStream"),
    "TwoPartyClient": ("capnp_lite.aio", "TwoPartyClient"),
    "TwoPartyServer": ("capnp_lite.aio", "TwoPartyServer"),
    "KjException": ("capnp_lite.aio", "KjException"),
    "run": ("capnp_lite.aio", "run"),
    "kj_loop": ("capnp_lite.aio", "kj_loop"),
}


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'capnp_lite' has no attribute {name!r}")
    value = getattr(importlib.import_module(target[0]), target[1])
    globals()[name] = value  # later lookups skip this function
    return value


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
    "AsyncIoStream",
    "KjException",
    "TwoPartyClient",
    "TwoPartyServer",
    "kj_loop",
    "load",
    "run",
    "_DynamicListBuilder",
    "_DynamicListReader",
    "_DynamicObjectReader",
    "_DynamicStructBuilder",
    "_DynamicStructReader",
]
