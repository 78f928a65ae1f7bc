"""Client and server for workerd's debug port, and the codecs they need.

The client (``connect``, ``DebugPortClient``, ``Target``) opens workerd entrypoints and
Durable Objects over the debug port and runs HTTP requests (``Target.fetch``) and JS RPC
calls (``Target.call``) on them; ``python -m debugport`` is its command line.  ``v8`` and
``frankenvalue`` are the value codecs shared with the server side.
"""

from __future__ import annotations

from .client import DebugPortClient, RemoteError, Target, connect, parse_address
from .frankenvalue import Frankenvalue

__all__ = [
    "connect",
    "DebugPortClient",
    "Target",
    "RemoteError",
    "Frankenvalue",
    "parse_address",
]
