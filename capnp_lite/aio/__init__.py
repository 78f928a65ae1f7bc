"""Cap'n Proto RPC over asyncio, with pycapnp-compatible names.

    calc_capnp = capnp_lite.aio.load("calculator.capnp")
    stream = await AsyncIoStream.create_connection(host="localhost", port=60000)
    calc = TwoPartyClient(stream).bootstrap().cast_as(calc_capnp.Calculator)
    value = (await calc.evaluate({"literal": 123}).value.read()).value   # one round trip

A ``Session`` drives one sans-I/O ``rpc.RpcConnection`` over a transport (TCP,
Unix socket, any asyncio stream pair, or ``memory_pair()``).  Servers subclass
``Interface.Server`` and define ``async def method(self, <params>, _context)``;
they return results as a value (single result field), a tuple, a dict, or
fill ``_context.results``.

Differences from pycapnp 2.x:

* ``run(coro)`` just awaits ``coro`` and ``kj_loop()`` does nothing: there is
  no second event loop.  ``KjException`` is ``errors.RpcError``; its ``type``
  is the lower-case name (``"failed"``, ``"overloaded"``...), not an enum.
* Who releases a capability (as in C++, where a response owns its caps):

  - A client holds one reference.  ``close()`` (or ``with``) releases it at
    once; so does the end of the connection.  These are the deterministic ways.
  - Results and params views own the capabilities in their message.  The
    first read of a capability field takes over the view's reference (close
    that client to release it); later reads return new clients with their own
    references.  ``close()`` on the view (or ``with``) releases what was not
    read out; the params of a server call are closed when the call ends
    (``as_builder()`` returns a copy with its own references, to keep).
  - A promise's results live as long as the promise, the view it gave when
    awaited, or a client pipelined on it: a promise only pipelined on
    (``calc.evaluate(...).value.read()``) releases its results' capabilities
    once it is dropped.  Pipelined clients take their own reference when the
    results arrive, so they outlive the promise.
  - Fallback: a client or view dropped without ``close()`` releases its
    references when Python collects it (a Release is scheduled on the loop).
    CPython does that at once; PyPy only at its next collection, so close
    what you are done with when the peer's memory matters.
* Results and params are read-only views: primitive lists read as Python
  lists and enums as their enumerant name (``str``).
* Calls made on a promise (pipelined) are delivered in the order they were
  made, also across its settlement (E-order), on both sides.
* A capability of one connection cannot be passed over another (no proxying
  or three-party handoff); doing so raises ``RpcError("unimplemented")``.
* Streaming methods (``-> stream``): awaiting the call's promise waits for
  flow control, as C++ does: it returns (``None``) once the capability's
  streaming calls in flight fit the session's ``stream_window`` (bytes),
  not when this call returns; a failure of an earlier streaming call is
  raised by a later await.  ``session.stream_ready(cap)`` waits the same way.
* ``_context.set_pipeline(value)`` publishes results early, as C++'s
  ``setPipeline``; pipelined calls on them run before the method returns.
"""

from __future__ import annotations

from .facade import (
    AsyncIoStream,
    InterfaceType,
    KjException,
    TwoPartyClient,
    TwoPartyServer,
    kj_loop,
    load,
    run,
    server_base,
)
from .session import CallContext, Capability, Promise, Request, Session
from .transport import MemoryTransport, StreamTransport, Transport, connect_tcp, connect_unix, memory_pair

__all__ = [
    "AsyncIoStream",
    "CallContext",
    "Capability",
    "InterfaceType",
    "KjException",
    "MemoryTransport",
    "Promise",
    "Request",
    "Session",
    "StreamTransport",
    "Transport",
    "TwoPartyClient",
    "TwoPartyServer",
    "connect_tcp",
    "connect_unix",
    "kj_loop",
    "load",
    "memory_pair",
    "run",
    "server_base",
]
