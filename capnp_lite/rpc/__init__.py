"""Two-party Cap'n Proto RPC: the message model and a sans-I/O protocol state machine.

``messages`` models ``rpc.capnp``; ``connection.RpcConnection`` runs the
protocol on those values (``receive`` -> events, ``messages_to_send``);
``codec`` (when the wire layer is available) turns messages into bytes.
"""

from __future__ import annotations

from .caps import InCap, LocalCap, LocalPipeline, OutCap, RemoteCap, RemotePromise
from .connection import CapExtractor, ConnectionState, RpcConnection, default_extractor
from .events import (
    BootstrapRequested,
    CallReceived,
    CallTarget,
    Cancelled,
    ConnectionAborted,
    EmbargoLifted,
    Event,
    ExportReleased,
    Resolved,
    ReturnKind,
    ReturnReceived,
)
from .ids import AnswerId, EmbargoId, ExportId, ImportId, QuestionId

__all__ = [
    "AnswerId",
    "BootstrapRequested",
    "CallReceived",
    "CallTarget",
    "Cancelled",
    "CapExtractor",
    "ConnectionAborted",
    "ConnectionState",
    "EmbargoId",
    "EmbargoLifted",
    "Event",
    "ExportId",
    "ExportReleased",
    "ImportId",
    "InCap",
    "LocalCap",
    "LocalPipeline",
    "OutCap",
    "QuestionId",
    "RemoteCap",
    "RemotePromise",
    "Resolved",
    "ReturnKind",
    "ReturnReceived",
    "RpcConnection",
    "default_extractor",
]
