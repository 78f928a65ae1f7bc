"""The debug port's schema modules, compiled once per process for the client, server and proxy."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, List

from capnp_lite import aio
from capnp_lite.resources import schema_dir

__all__ = ["Schemas", "schema_root", "schemas"]


def schema_root() -> Path:
    """Where the ``.capnp`` files are: ``DEBUGPORT_SCHEMAS`` if set, else the ones capnp_lite ships."""
    override = os.environ.get("DEBUGPORT_SCHEMAS")
    return Path(override) if override else schema_dir()


class Schemas:
    """``worker`` (worker-interface), ``http`` (http-over-capnp) and ``stream`` (byte-stream),
    plus the interfaces the client names directly."""

    def __init__(self, root: Path) -> None:
        imports = [str(root)]
        self.worker = aio.load(str(root / "workerd" / "worker-interface.capnp"), imports=imports)
        self.http = aio.load(str(root / "capnp" / "compat" / "http-over-capnp.capnp"), imports=imports)
        self.stream = aio.load(str(root / "capnp" / "compat" / "byte-stream.capnp"), imports=imports)
        self.WorkerdDebugPort: Any = self.worker.WorkerdDebugPort
        self.WorkerdBootstrap: Any = self.worker.WorkerdBootstrap
        self.EventDispatcher: Any = self.worker.EventDispatcher
        self.JsRpcTarget: Any = self.worker.JsRpcTarget
        self.ExternalPusher: Any = self.worker.JsValue.ExternalPusher
        self.HttpService: Any = self.http.HttpService
        self.ClientRequestContext: Any = self.http.HttpService.ClientRequestContext
        self.WebSocket: Any = self.http.WebSocket
        self.ByteStream: Any = self.stream.ByteStream


_LOADED: List[Schemas] = []


def schemas() -> Schemas:
    """The schema modules, loaded on first use."""
    if not _LOADED:
        _LOADED.append(Schemas(schema_root()))
    return _LOADED[0]
