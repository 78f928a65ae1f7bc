"""Cap'n Proto RPC over asyncio, with pycapnp-compatible names.

    calc_capnp = capnp_lite.aio.load("calculator.capnp")
    stream = await AsyncIoStream.create_connection(host="localhost", port=60000)
    calc = TwoPartyClient(stream).bootstrap().cast_as(calc_capnp.Calculator)
    value = (await calc.evaluate({"literal": 123}).value.read()).value   # one round trip

A ``Session`` drives one sans-I/O ``rpc.RpcConnection`` over a transport (TCP,
Unix socket, any asyncio stream pair, or ``memory_pair()``).  Servers subclass
``Interface.Server`` and define ``async def method(self, <params>, _context)``;
they return results as a value (single result field), a tuple, a dict, or
fill ``_context.results``.  Generated modules add typed ``I_Client`` and
``I_Server`` classes over the same sessions (see ``capnp_lite.aio.typed``).

Differences from pycapnp 2.x:

* ``run(coro)`` just awaits ``coro`` and ``kj_loop()`` does nothing: there is
  no second event loop.  ``KjException`` is ``errors.CapnpError``, the base of
  every error (a remote one is its subclass ``RpcError``); its ``type`` is the
  lower-case name (``"failed"``, ``"overloaded"``...), not an enum.
* Who releases a capability (as in C++, where a response owns its caps):

  - A client holds one reference.  ``close()`` (or ``with``) releases it at
    once; so does the end of the connection.  These are the deterministic ways.
    (The Release message, like a Finish, travels with the connection's next
    write while calls are in flight, and at the latest 2 ms later.)
  - Results and params views own the capabilities in their message.  The
    first read of a capability field takes over the view's reference (close
    that client to release it); later reads return new clients with their own
    references.  ``close()`` on the view (or ``with``) releases what was not
    read out; the params of a server call are closed when the call ends
    (``as_builder()`` returns a copy with its own references, to keep).  A
    method taking keyword arguments has read every capability among them: one
    it does not keep goes by the fallback below, unless it closes it.
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
  lists; enums, as in the dynamic API, as their enumerant name (a ``str`` that
  also equals its number and has it as ``.raw``); ``which`` is a property whose
  value can also be called, as in pycapnp 2.x.
* Calls made on a promise (pipelined) are delivered in the order they were
  made, also across its settlement (E-order), on both sides.
* A capability of one connection sent over another is forwarded by this
  process: the receiving side gets an export whose calls (and their results,
  capabilities included) pass through here, as C++ does.  There is no
  three-party handoff.
* Streaming methods (``-> stream``): awaiting the call's promise waits for
  flow control, as C++ does: it returns (``None``) once the capability's
  streaming calls in flight fit the session's ``stream_window`` (bytes),
  not when this call returns; a failure of an earlier streaming call is
  raised by a later await.  ``session.stream_ready(cap)`` waits the same way.
* ``_context.set_pipeline(value)`` publishes results early, as C++'s
  ``setPipeline``; pipelined calls on them run before the method returns.
  This holds also for calls queued behind a call that was itself waiting for
  its own target: they are delivered as soon as that call publishes its
  pipeline, never held until it returns.
* Every ``async def`` server method runs in a task, from its first statement
  on: ``asyncio.current_task()`` is the call's task, so ``asyncio.timeout``,
  ``wait_for`` and ``TaskGroup`` work anywhere in a method and cancel only
  that call (before 3.12, see below for a task kept past its call).  The first
  step runs as soon as the call arrives (a local call: when its caller awaits
  it or on the next turn, whichever comes first), with no loop turn in
  between: as an eager task from Python 3.12, the same way by hand before.
  These tasks are made directly, not by the loop's task factory.  A plain
  ``def`` method is called at once, with no task of its own.
  Before 3.12, making a task costs more than a call, so a session keeps one
  parked task that first steps run as: a method that suspends keeps it (and
  the session parks another), so the tasks of calls that run side by side are
  distinct; calls that end in their first step may see the same task object
  one after another (one that adds a done callback to it retires it, and the
  callback runs; one that cancels it gets it dropped).  So a task kept past a
  call that ended in its first step may be running a later call: cancelling
  it then cancels that call.  ``asyncio.all_tasks()`` lists the parked task;
  close a session before closing its loop, or asyncio reports it pending.
* Each call, plain ``def`` methods included, runs in a ``contextvars``
  context of its own: a call from the peer in a copy of the context the
  session was created in, a local call in a copy of its caller's (as
  ``create_task`` would).  What a method sets stays in its call, on every
  Python version.

Hooks, for servers and proxies that need more than methods:

* ``cap, resolver = session.export_promise(iface, on_release=...)`` makes a
  promise capability of ours: it goes out as a promise, calls on it wait, and
  ``resolver.resolve(server_or_capability_or_exception)`` /
  ``resolver.reject(error)`` settles it (the peer gets a ``Resolve``).
* ``session.on_resolved(cap, callback)`` tells when the peer resolves one of
  its promises: ``callback`` gets a new client for the resolution (close it)
  or the ``RpcError`` it broke with.
* A server object's ``on_release()`` runs when the peer releases it.  These
  hooks and ``on_resolved`` callbacks run on the loop soon after the message
  that caused them, in message order, once the calls received before it have
  started.
* ``_context.on_returned(callback)`` runs ``callback()`` right after the
  call's ``Return`` is queued: what it sends goes out after that Return.
* ``copy_struct(dst_build, src_view, map_cap, skip)`` copies a received
  struct into one being built (params or results, possibly of another
  session), keeping null pointers null and passing each capability through
  ``map_cap``.

Performance: Python's cyclic garbage collector scans every live object, and a
session with thousands of calls in flight holds tens of objects per call.  An
application that keeps many calls in flight can call ``gc.freeze()`` once it
has loaded its schemas and started up, so that long-lived objects are left out
of later collections (``gc.set_threshold`` with a larger first threshold has a
similar effect).  The library itself never changes collector settings.
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
from ._schema import StructBuild, StructView, copy_struct, is_null_capability
from .session import CallContext, Capability, Promise, PromiseResolver, Request, Session
from .typed import (
    TypedCallContext,
    TypedClient,
    TypedPromise,
    TypedRequest,
    TypedResponse,
    TypedServer,
)
from .transport import (
    MemoryTransport,
    ProtocolTransport,
    StreamTransport,
    Transport,
    connect_tcp,
    connect_unix,
    memory_pair,
)

__all__ = [
    "AsyncIoStream",
    "CallContext",
    "Capability",
    "InterfaceType",
    "KjException",
    "MemoryTransport",
    "Promise",
    "PromiseResolver",
    "Request",
    "Session",
    "StreamTransport",
    "ProtocolTransport",
    "StructBuild",
    "StructView",
    "Transport",
    "TwoPartyClient",
    "TwoPartyServer",
    "TypedCallContext",
    "TypedClient",
    "TypedPromise",
    "TypedRequest",
    "TypedResponse",
    "TypedServer",
    "connect_tcp",
    "connect_unix",
    "copy_struct",
    "is_null_capability",
    "kj_loop",
    "load",
    "memory_pair",
    "run",
    "server_base",
]
