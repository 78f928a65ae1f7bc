"""One RPC connection driven by asyncio: the glue between a transport and ``RpcConnection``.

The session feeds decoded messages into the sans-I/O connection, turns its
events into settled futures and server tasks, and writes what the connection
queues once per event-loop turn.  It owns every table the application sees:

* questions: our calls in flight, each with a future and its result schema;
* answers: the peer's calls we run, each with its task and context;
* import references: how many client objects hold each import; the import is
  released (one Release) when the last of them is closed or collected;
* embargoes: futures that hold back calls to our own objects until the
  matching Disembargo comes back;
* wait queues: work held back until a future settles, run in arrival order so
  calls on a promise keep E-order across its settlement.

Writes: what the connection queues goes out once per loop turn, all in one
write.  A Finish (for a question that returned) or a Release wakes nobody up at
the peer, so while calls of ours are in flight it waits for the next write
(their Returns make one), for at most ``_LAZY_DELAY`` seconds and
``_FLUSH_BATCH`` messages.  Returns queued in one turn share a write: calls
pipelined on an answer run right behind its Return.

Reference ownership (see the package docstring): each ``Capability`` holds at
most one import reference; params and results views own the clients of their
cap table until read out or closed; a question's results live as long as the
question object (promises, views); a collected client schedules its Release.
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import functools
import gc
import inspect
import sys
import types
import weakref
from typing import Any, Awaitable, Callable, Coroutine, Deque, Dict, Generator, List, Optional, Sequence, Tuple, Union

from ..errors import CapnpError, DecodeError, Disconnected, ProtocolError, RpcError
from ..rpc import codec
from ..rpc.codec import OutgoingContent
from ..rpc.caps import InCap, LocalCap, LocalPipeline, OutCap, RemoteCap, RemotePromise
from ..rpc.connection import ConnectionState, RpcConnection
from ..rpc.events import (
    BootstrapRequested,
    CallReceived,
    Cancelled,
    ConnectionAborted,
    EmbargoLifted,
    Event,
    ExportReleased,
    Resolved,
    ReturnKind,
    ReturnReceived,
)
from ..rpc.ids import AnswerId, EmbargoId, ImportId, QuestionId
from ..rpc.messages import ExceptionType, Message, PromisedAnswerOp, RpcException, Transform
from ..wire.framing import MessageDecoder, whole_messages
from ..wire.segments import DEFAULT_TRAVERSAL_LIMIT_IN_WORDS
from ..wire.layout import AnyPointerReader, MessageBuilder, StructReader, pack_data_field
from ._schema import (
    RELEASED,
    InterfaceInfo,
    MethodInfo,
    StructBuild,
    StructView,
    declared_interface,
    dynamic_struct_id,
    follow_transform,
    interface_info,
    interface_of_type,
    server_interface,
    store_field,
    store_fields,
)
from .forward import ForwardedCall, Forwarder, RawPayload, RawResults, raw_method
from .transport import Transport, memory_pair

__all__ = ["Session", "Capability", "Promise", "PromiseResolver", "CallContext", "Request", "server_methods",
           "DEFAULT_STREAM_WINDOW", "InvokedMethod"]

DEFAULT_STREAM_WINDOW = 1 << 16  # bytes of streaming calls in flight per capability before senders wait

_TYPES = {t.name: t for t in ExceptionType}  # by RpcError.type (pycapnp's upper case)


# Messages queued in one burst before they are written without waiting for
# the end of the burst.
_FLUSH_BATCH = 32

# Writes a session makes at once, outside a received batch, rather than at the end of the loop
# turn (see _write_early): a call, or a Return that pipelined calls wait behind.  The peer
# starts on the first messages of a turn while the rest are being made; a longer burst is
# still written in few pieces.
_EARLY_WRITES = 4

# How long a lazy Finish or Release may wait for a write to ride along with.
_LAZY_DELAY = 0.002


def _to_rpc_exception(exc: BaseException) -> RpcException:
    if isinstance(exc, RpcError):
        return RpcException(exc.reason, _TYPES.get(exc.type, ExceptionType.FAILED))
    if isinstance(exc, NotImplementedError):
        return RpcException(str(exc) or "method not implemented", ExceptionType.UNIMPLEMENTED)
    if isinstance(exc, CapnpError):
        # Any of our errors keeps its type; pycapnp's KjException(message, type=...) (our
        # CapnpError itself) its bare message, as a typed remote exception.
        reason = str(exc) if type(exc) is CapnpError else f"{type(exc).__name__}: {exc}"
        return RpcException(reason, _TYPES.get(exc.type, ExceptionType.FAILED))
    return RpcException(f"{type(exc).__name__}: {exc}", ExceptionType.FAILED)


def _to_error(exc: RpcException) -> RpcError:
    if exc.type is ExceptionType.DISCONNECTED:
        return Disconnected(exc.reason, trace=exc.trace)
    return RpcError(exc.reason, exc.type.name, trace=exc.trace)


def _transform(ops: Tuple[int, ...]) -> Transform:
    # Pipelined calls name the same few paths over and over; transforms are immutable.
    transform = _TRANSFORMS.get(ops)
    if transform is None:
        transform = tuple([PromisedAnswerOp(i) for i in ops])
        if len(_TRANSFORMS) < 1024:
            _TRANSFORMS[ops] = transform
    return transform


_TRANSFORMS: Dict[Tuple[int, ...], Transform] = {}


# --- Server side ----------------------------------------------------------------------------------

# What a class serves is computed once and kept on the class itself, so it lives exactly as long
# as the class: programs that make server classes on the fly (one per connection or per event)
# do not accumulate them in a module-level table.
_METHODS_ATTR = "_capnp_lite_server_methods"
_SERVER_ATTR = "_capnp_lite_server_interface"


def _remember(cls: type, attr: str, value: object) -> None:
    try:
        setattr(cls, attr, value)
    except (AttributeError, TypeError):  # a built-in type: computed again next time
        pass


def server_methods(cls: type) -> Dict[Tuple[int, int], MethodInfo]:
    """Every method a server class implements, by (interface id, ordinal), from all its interfaces."""
    cached: Optional[Dict[Tuple[int, int], MethodInfo]] = cls.__dict__.get(_METHODS_ATTR)
    if cached is None:
        cached = {}
        for base in reversed(cls.__mro__):
            info = declared_interface(base)
            if info is not None:
                cached.update(info.by_key)
        _remember(cls, _METHODS_ATTR, cached)
    return cached


def _server_interface(obj: object) -> Optional[InterfaceInfo]:
    cls = type(obj)
    info = cls.__dict__.get(_SERVER_ATTR, _UNKNOWN)
    if info is _UNKNOWN:
        info = server_interface(cls)
        _remember(cls, _SERVER_ATTR, info)
    return info  # type: ignore[no-any-return]


_UNKNOWN = object()


def _append_cap(objects: List[Any], value: Any) -> int:
    """Append a client or server object (or None) to a cap table; its index there."""
    if value is not None and not isinstance(value, Capability) and _server_interface(value) is None:
        raise TypeError(f"{type(value).__name__} is neither a capability nor a Server")
    objects.append(value)
    return len(objects) - 1


class _Results:
    """A results (or params) struct being built, with its outgoing cap table."""

    __slots__ = ("schema", "content", "_build", "objects")

    def __init__(self, schema: Any, for_call: bool) -> None:
        self.schema = schema
        # Built straight inside the Call or Return that will carry it: no copy when sent.
        self.content = OutgoingContent(codec.TAG_CALL if for_call else codec.TAG_RETURN, schema.data_words,
                                       schema.pointer_count)
        self.objects: List[Any] = []  # cap table: client or server objects
        self._build: Optional[StructBuild] = None  # made on first use: many payloads never need it

    @property
    def build(self) -> StructBuild:
        build = self._build
        if build is None:
            # The builder appends through a partial of the table: a bound method of ours would
            # make a reference cycle per call, left to the cyclic collector (its cost grows with
            # live objects).
            build = self._build = StructBuild(self.schema, self.content.struct,
                                              functools.partial(_append_cap, self.objects))
        return build

    def add_cap(self, value: Any) -> int:
        """Append a client or server object to the cap table; for stores made without the
        builder object, which keep no reference to this method."""
        return _append_cap(self.objects, value)

    def size(self) -> int:
        """Bytes of the message holding the payload (for stream flow control)."""
        return sum(self.content.message.segment_sizes()) * 8

    def reader(self) -> StructReader:
        return self.content.struct.as_reader()

    def fill(self, value: Any, method: MethodInfo) -> None:
        """Store a method's return value: None, tuple, dict, struct, or the single field's value."""
        if value is None or value is self._build:
            return
        schema = self.schema
        fields = schema.non_union_fields
        kind = type(value)
        if (kind is float or kind is int) and len(fields) == 1:
            # A number, the usual single result: written at once, no builder object needed.
            f = fields[0]
            packer = f.packer
            if packer is not None:
                pack_data_field(self.content.struct, packer, f.offset * packer.size, value)
                return
        if isinstance(value, (dict, StructView, StructBuild)) and not _for_single_struct(
                schema, fields, value):
            self.build.update(value)
            return
        dynamic_id = dynamic_struct_id(value)
        if dynamic_id is not None and dynamic_id == schema.model.id:
            self.build.update(value)  # a whole results struct made with the dynamic API
            return
        if isinstance(value, tuple) and (len(fields) != 1 or len(value) == 1):
            if len(value) != len(fields):
                raise TypeError(f"{method.name} returned {len(value)} values for {len(fields)} result fields")
            for f, v in zip(fields, value):
                self.build.set(f, v)
            return
        if len(fields) != 1:
            raise TypeError(f"{method.name} must return a tuple, dict or struct for its results")
        f = fields[0]
        packer = f.packer
        if packer is not None:  # a number, the usual single result: no builder object needed
            pack_data_field(self.content.struct, packer, f.offset * packer.size, value)
        else:
            self.build.set(f, value)


# Capabilities a message may carry before its cap table is measured against the peer's limit.
_FEW_CAPS = 8
# The smallest peer limit taken: a message built in one first segment of a few capabilities
# (which goes unmeasured) is far below it.
MIN_PEER_MESSAGE_WORDS = 1024
# The envelope of a Call or Return around content copied in at encoding (a bound, in words).
_ENVELOPE_WORDS = 16


def _message_words(content: object) -> int:
    """Words of the message carrying ``content``: the message built around it, or for content
    read elsewhere (copied into the message when sent) a bound: its own message and an envelope."""
    if type(content) is OutgoingContent:
        return sum([seg.used for seg in content.message._segments])
    ctx = getattr(content, "_ctx", None)
    if ctx is None:
        return _ENVELOPE_WORDS
    words: int = sum([seg.used for seg in ctx._segments])
    return _ENVELOPE_WORDS + words


def _cap_table_words(caps: Sequence[OutCap]) -> int:
    """A bound on the words a cap table adds: the list's tag, two words per descriptor, a
    promised answer with its transform for each pipelined capability, and landing pads."""
    words = 3 + 2 * len(caps)
    for cap in caps:
        if isinstance(cap, RemotePromise):
            words += 5 + len(cap.transform)
    return words


def _kept_caps(objects: Sequence[Any]) -> List[OutCap]:
    """The cap table of results kept here for the peer's tail call (sendResultsTo.yourself):
    nothing is exported, so calls the peer pipelines on them later go to these very objects
    (servers, or clients, which pass the calls on)."""
    return [None if o is None else LocalCap(o) for o in objects]


def _for_single_struct(schema: Any, fields: List[Any], value: Any) -> bool:
    """Whether a dict or struct returned by a method is the value of its single struct
    result (as pycapnp sets a returned value into the first result field), not the results
    themselves: the results have one field, of struct type, and ``value`` is not shaped as
    the results (a dict naming only result fields, or a struct of the results' type)."""
    if len(fields) != 1 or fields[0].kind != "struct":
        return False
    if isinstance(value, dict):
        return not all(name in schema.fields for name in value)
    return value.schema.model.id != schema.model.id  # type: ignore[no-any-return]


class _StreamGate:
    """How calls reach a server object that received a call to a streaming (``-> stream``)
    method, from any session or local client.

    While a streaming call runs on the object, every call delivered to it waits in
    ``queue``; when that call returns they start in arrival order, until one of them is
    streaming and holds the rest back again.  So streaming calls run one at a time, in
    order, and no call overtakes them.  Once a streaming call failed, every call delivered
    to the object afterwards fails with the same exception (its caller seldom waits for
    that call's own result).  Objects that never received a streaming call have no gate.
    """

    __slots__ = ("key", "obj", "ref", "running", "queue", "error", "draining", "admitting")

    def __init__(self, obj: object) -> None:
        self.key = id(obj)  # its key in _GATES
        self.obj: Optional[object] = obj  # held while calls run or wait; weakly once broken
        self.ref: Optional["weakref.ref[Any]"] = None
        self.running = False  # a streaming call runs
        self.queue: Deque[Tuple["Session", _Answer, object, MethodInfo, StructView,
                                Optional[contextvars.Context]]] = collections.deque()
        self.error: Optional[RpcException] = None  # what a streaming call failed with
        self.draining = False
        self.admitting: Optional[_Answer] = None  # the queued call being started now

    def holds(self, obj: object) -> bool:
        held = self.obj
        if held is None and self.ref is not None:
            held = self.ref()
        return held is obj

    def drain(self) -> None:
        """Start the calls held back, in order, while no streaming call runs.  A call that
        ends inside (most do) releases the gate into this same loop, not a nested one."""
        if self.draining:
            return
        self.draining = True
        queue = self.queue
        try:
            while queue and not self.running:
                session, ans, obj, method, params, context = queue.popleft()
                if ans.finished or session._error is not None:
                    # Cancelled while it waited, or its session ended: it never runs.
                    if params._caps:
                        session._loop.call_soon(params.close)
                    continue
                self.admitting = ans
                session._start(ans, obj, method, params, context)
        except BaseException:
            if queue and not self.running:  # interrupted: the rest start on the next turn
                session._loop.call_soon(self.drain)
            raise
        finally:
            self.admitting = None
            self.draining = False
        if not self.running and not queue:
            self._idle()

    def _idle(self) -> None:
        """Nothing runs or waits: a gate that never broke goes; a broken one stays as long as
        its object does, which it no longer keeps alive (unless it cannot be weakly held)."""
        obj = self.obj
        if self.error is None:
            if _GATES.get(self.key) is self:
                del _GATES[self.key]
            self.obj = None
        elif obj is not None:
            try:
                self.ref = weakref.ref(obj)
                weakref.finalize(obj, _forget_gate, self)
            except TypeError:
                return  # no weak references to it: the gate keeps it
            self.obj = None


# id(server object) -> its gate (see _StreamGate); empty while no object has one.
_GATES: Dict[int, _StreamGate] = {}


def _gate_of(obj: object) -> Optional[_StreamGate]:
    gate = _GATES.get(id(obj))
    if gate is not None and not gate.holds(obj):
        return None  # the gate of a collected object whose id came back
    return gate


def _forget_gate(gate: _StreamGate) -> None:
    if _GATES.get(gate.key) is gate:
        del _GATES[gate.key]


class InvokedMethod(MethodInfo):
    """A method whose server side runs through ``invoke(obj, ctx)`` instead of the dynamic
    path's keyword params and return value (typed servers of generated code, ``aio.typed``).

    ``invoke`` must leave the results in ``ctx._results`` by the time the call completes.
    """

    __slots__ = ("invoke",)

    def __init__(self, name: str, interface_id: int, ordinal: int, params: Any, results: Any,
                 streaming: bool, invoke: Callable[[object, "CallContext"], Any]) -> None:
        super().__init__(name, interface_id, ordinal, params, results, streaming)
        self.invoke = invoke


_RAN: List[Callable[[], None]] = []  # CallContext._on_returned once the callbacks ran


class CallContext:
    """What a server method gets as ``_context``: params, results, tail calls, pipelining."""

    __slots__ = ("_session", "method", "params", "_results", "cancelled", "_tail_request", "_answer_id",
                 "_early", "_answer", "_on_returned", "_tail_response")

    def __init__(self, session: "Session", method: MethodInfo, params: StructView) -> None:
        self._session = session
        self.method = method
        self.params = params
        self._results: Optional[_Results] = None
        self.cancelled = False  # set when the caller cancelled; the task is cancelled as well
        self._tail_request: Optional["Request"] = None
        self._tail_response: Any = None  # the results of a tail call made here, copied in
        self._answer_id: Optional[AnswerId] = None
        self._early: Optional[_Results] = None
        self._answer: Optional["_Answer"] = None
        # Callbacks to run once the call is over and its Return (if any) was queued:
        # None while there are none, _RAN once they ran.
        self._on_returned: Optional[List[Callable[[], None]]] = None

    @property
    def results(self) -> StructBuild:
        if self._results is None:
            self._results = _Results(self.method.results, False)
        return self._results.build

    def set_pipeline(self, value: Any = None) -> None:
        """Publish (part of) the results early so pipelined calls can reach their targets now."""
        early = _Results(self.method.results, False)
        early.fill(self.results if value is None else value, self.method)
        self._early = early
        if self._answer is not None:
            self._answer.set_ready()

    def release_params(self) -> None:
        """Let the params go before the call ends (pycapnp's name): the capabilities in them
        are released now rather than when the call returns; reading them afterwards fails."""
        self.params.close()

    def on_returned(self, callback: Callable[[], None]) -> None:
        """Run ``callback()`` once this call is over and its ``Return`` has been queued.

        Callbacks run in the order they were added, right after the Return is
        queued and before anything else happens on the session, so a message
        queued by a callback goes out after that Return (in the same write when
        the loop has not flushed yet).  A call that ends without a Return (the
        session closed) still runs them.  Added after the call returned, the
        callback runs at once.
        """
        pending = self._on_returned
        if pending is _RAN:
            callback()
        elif pending is None:
            self._on_returned = [callback]
        else:
            pending.append(callback)

    def _returned(self) -> None:
        pending, self._on_returned = self._on_returned, _RAN
        if pending:
            for callback in pending:
                self._session._call_hook(callback)

    def tail_call(self, request: "Request", *, copy_results: bool = True) -> Awaitable[Any]:
        """Answer this call with another call's results (``return await _context.tail_call(req)``).

        When the target is the peer's, the call is forwarded with the protocol's
        tail call (the results never come back through us); otherwise it is
        made here and its results copied.
        """
        cap: Capability = request._cap
        target = cap._resolved_target() if cap._session is self._session else None
        if isinstance(target, (RemoteCap, RemotePromise)) and self._answer_id is not None:
            self._tail_request = request
            done: "asyncio.Future[Any]" = asyncio.get_running_loop().create_future()
            done.set_result(None)
            return done
        if not copy_results:
            return request.send()
        return self._tail_here(request.send())

    async def _tail_here(self, promise: "Promise") -> Any:
        """A tail call made here: its results become this call's (the method need not
        return them, as with a protocol tail call); returned too, for ``return await``."""
        response = await promise
        if response is not None:
            self.results.update(response)
            self._tail_response = response  # returning it copies nothing more
        return response


class _Answer:
    """One incoming call we are running (or a local call)."""

    __slots__ = ("aid", "task", "ctx", "waiters", "finished", "ready", "results", "exception", "keep", "gate")

    def __init__(self, aid: Optional[AnswerId]) -> None:
        self.aid = aid
        self.task: Optional["asyncio.Task[Any]"] = None
        self.gate: Optional[_StreamGate] = None  # a streaming call's: released when it returns
        self.ctx: Optional[CallContext] = None
        self.waiters: Optional[List[Callable[[], None]]] = None  # when_finished callbacks
        self.finished = False
        # Settled once pipelined calls can be delivered: results, early results or an error.
        self.ready: Optional["asyncio.Future[None]"] = None
        self.results: Optional[_Results] = None
        self.exception: Optional[RpcException] = None
        self.keep = False  # results stay here for a takeFromOtherQuestion

    def ready_future(self) -> "asyncio.Future[None]":
        if self.ready is None:
            self.ready = asyncio.get_running_loop().create_future()
        return self.ready

    def set_ready(self) -> None:
        ready = self.ready
        if ready is not None and not ready.done():
            ready.set_result(None)

    def when_finished(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the call finished (at once if it has)."""
        if self.finished:
            callback()
        elif self.waiters is None:
            self.waiters = [callback]
        else:
            self.waiters.append(callback)

    def finish(self) -> None:
        self.finished = True
        waiters, self.waiters = self.waiters, None
        if waiters:
            for callback in waiters:
                callback()
        self.set_ready()


# --- Client side ----------------------------------------------------------------------------------


class _Question:
    """A call we made: remote (``qid`` set) or local; its response once settled."""

    __slots__ = ("qid", "method", "future", "response", "embargoes", "stream_bytes", "cap", "pipelines",
                 "local_start", "local", "__weakref__")

    def __init__(self, qid: Optional[QuestionId], method: Optional[MethodInfo],
                 loop: Optional[asyncio.AbstractEventLoop] = None) -> None:
        self.qid = qid
        self.method = method
        loop = loop or asyncio.get_running_loop()
        # The loop's own future type; asyncio's loops make a plain Future (made here without
        # the call through the loop's method, once per call).
        self.future: "asyncio.Future[Any]" = (
            asyncio.Future(loop=loop) if type(loop).create_future is _PLAIN_CREATE_FUTURE else loop.create_future())
        # The results; they own the references to their capabilities, so the imports go when the
        # question does (no promise, pipeline client or awaited view left) or the view is closed.
        self.response: Optional[StructView] = None
        self.embargoes: Optional[Dict[Transform, "asyncio.Future[None]"]] = None  # made when needed
        self.stream_bytes = 0
        self.cap: Optional["Capability"] = None  # bootstrap: the capability; streaming: the caller
        self.pipelines: Optional[List["weakref.ref[Capability]"]] = None  # clients on our results
        self.local_start = False  # a local call whose method may not have started yet
        self.local: Optional[_Answer] = None  # a local call's answer, to cancel it


_PLAIN_CREATE_FUTURE = asyncio.BaseEventLoop.create_future


class _Promised:
    """A capability in the results of a question that may not have returned yet."""

    __slots__ = ("question", "ops")

    def __init__(self, question: _Question, ops: Tuple[int, ...]) -> None:
        self.question = question
        self.ops = ops


Target = Union[RemoteCap, _Promised, object]  # object: a local server


class _Embargoed:
    """A target to call only once ``future`` settles (the embargo on a promise that came home)."""

    __slots__ = ("target", "future")

    def __init__(self, target: object, future: "asyncio.Future[None]") -> None:
        self.target = target
        self.future = future


def _foreign_client(session: "Session", target: object) -> Optional[Capability]:
    """Another connection's client that ``target`` is (or is embargoed on), if any."""
    if type(target) is _Embargoed:
        target = target.target
    if isinstance(target, Capability) and target._session is not session:
        return target
    return None


class _Wait:
    """Call later: the target is known once ``future`` settles."""

    __slots__ = ("future",)

    def __init__(self, future: "asyncio.Future[Any]") -> None:
        self.future = future


_Watcher = Callable[[Union["Capability", RpcError]], None]  # Session.on_resolved callbacks


class _LocalPromise:
    """A promise capability of ours (``Session.export_promise``): calls on it wait until it settles.

    Exported as ``senderPromise``; its ``Resolve`` goes out when it settles.
    Hashable by identity: it is its own handle in the export table.
    """

    __slots__ = ("future", "target", "held", "release_hook")

    def __init__(self, future: "asyncio.Future[None]", on_release: Optional[Callable[[], None]]) -> None:
        self.future = future  # settled when the promise is; calls wait on it (E-order)
        self.target: Target = None  # the resolution: a server object, a peer's capability, _Broken...
        self.held: Optional["Capability"] = None  # the client whose reference the resolution keeps
        self.release_hook = on_release

    def on_release(self) -> None:
        """The peer released the promise (the session calls this, as for server objects)."""
        hook = self.release_hook
        if hook is not None:
            hook()

    def __repr__(self) -> str:
        return f"<local promise {'settled' if self.future.done() else 'pending'}>"


class PromiseResolver:
    """Settles the promise capability made by ``Session.export_promise``."""

    __slots__ = ("_session", "_promise")

    def __init__(self, session: "Session", promise: _LocalPromise) -> None:
        self._session = session
        self._promise = promise

    @property
    def settled(self) -> bool:
        return self._promise.future.done()

    def resolve(self, value: Any) -> bool:
        """Settle the promise to ``value``: a server object, a capability of this connection, or an
        exception (the promise breaks with it).  Calls that waited on it are delivered in order,
        and the peer gets its ``Resolve``.  Returns False when it had settled already.
        """
        return self._session._settle_promise(self._promise, value)

    def reject(self, error: BaseException) -> bool:
        """Break the promise with ``error`` (an ``RpcError`` keeps its type)."""
        return self._session._settle_promise(self._promise, error)


class Capability:
    """A client for a capability: call methods by name, pipeline, pass it in messages."""

    # State most clients never change reads from these class defaults until set on the
    # client (one is made per capability received and per pipelined field).
    _closed = False
    _ref: Optional[ImportId] = None  # the import this client holds one reference to
    _in_table = False  # owned by a params or results view until first read from it
    _stream_in_flight = 0  # bytes of streaming calls in flight
    _stream_waiters: Optional[List["asyncio.Future[None]"]] = None  # stream_ready waiters, once any
    _stream_error: Optional[RpcError] = None
    # Read by __getattr__, which must not recurse on a client not yet (or never) initialised
    # (copy.copy probes a new instance for __setstate__).
    _iface: Optional[InterfaceInfo] = None

    def __init__(self, session: "Session", target: Target, iface: Optional[InterfaceInfo]) -> None:
        self._session = session
        self._iface = iface
        self._bind(target)

    def _bind(self, target: Target) -> None:
        """Point at ``target``, taking a reference when it is an import; another connection's
        client is copied (calls go through the copy, closed with this client)."""
        self._target: Target = target
        kind = type(target)
        if kind is _Promised:  # a pipelined field: the usual case, no reference taken yet
            self._session._follow(self, target)  # type: ignore[arg-type]
            return
        if kind is RemoteCap:
            self._ref = iid = target.import_id  # type: ignore[union-attr]
            self._session._add_import_ref(iid)
            return
        foreign = _foreign_client(self._session, target)
        if foreign is not None:
            own = Capability(foreign._session, foreign._target, foreign._iface)
            self._target = _Embargoed(own, target.future) if type(target) is _Embargoed else own

    def __del__(self) -> None:
        # Fallback only: a client dropped without close() gives its reference back on the loop.
        ref = self._ref
        if ref is not None and not self._closed:
            self._closed = True
            self._session._release_later(ref)

    # pycapnp names
    def cast_as(self, iface: Any) -> "Capability":
        """The same capability seen as ``iface``; the new client must be closed on its own."""
        self._check_open()
        return Capability(self._session, self._target, interface_info(iface))

    def upcast(self, iface: Any) -> "Capability":
        """The same capability seen as ``iface``, which its interface must extend (or be)."""
        info = interface_info(iface)
        if self._iface is not None and not self._iface.is_a(info):
            raise TypeError(f"{self._iface.name} does not extend {info.name}")
        return self.cast_as(iface)

    @property
    def schema(self) -> Optional[InterfaceInfo]:
        """The interface this client calls (None until cast)."""
        return self._iface

    def close(self) -> None:
        """Drop this reference; the import is released when no client holds it any more."""
        if self._closed:
            return
        self._closed = True
        ref, self._ref = self._ref, None
        if ref is not None:
            self._session._drop_import_ref(ref)
        else:
            foreign = _foreign_client(self._session, self._target)
            if foreign is not None:
                foreign.close()  # its own client of another connection (see _bind)

    release = close

    def _release_from_table(self) -> None:
        """The params or results view holding this entry was closed (unless it was read out)."""
        if self._in_table:
            self.close()

    def __enter__(self) -> "Capability":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> "Capability":
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RpcError("capability client was closed", "failed")

    def __dir__(self) -> List[str]:
        """The client's own attributes, and the methods of its interface with their
        ``<name>_request`` forms (as pycapnp lists them)."""
        names = set(super().__dir__())
        if self._iface is not None:
            names.update(self._iface.callers)
        return sorted(names)

    def _method(self, name: str) -> MethodInfo:
        if self._iface is None:
            raise AttributeError(f"cast the capability to an interface before calling {name!r} (cast_as)")
        method = self._iface.methods.get(name)
        if method is None:
            raise AttributeError(f"{self._iface.name} has no method {name!r}")
        return method

    def __getattr__(self, name: str) -> Any:
        iface = self._iface
        if iface is not None:
            # A bound partial, not a closure: calling it runs one Python frame, not two.
            found = iface.callers.get(name)
            if found is not None:
                method, request = found
                if request:
                    return functools.partial(self._request_of, method)
                return functools.partial(self._call, method)
        if name.startswith("__"):
            raise AttributeError(name)
        if name.endswith("_request"):
            method = self._method(name[: -len("_request")])
            return functools.partial(self._request_of, method)
        method = self._method(name)
        return functools.partial(self._call, method)

    # Positional-only: a method's params may be named ``self`` or ``method``.
    def _request_of(self, method: MethodInfo, /, **kwargs: Any) -> "Request":
        req = Request(self, method)
        if kwargs:
            payload = req._payload
            store_fields(payload.schema, payload.content.struct, payload.add_cap, kwargs)
        return req

    def _call(self, method: MethodInfo, /, *args: Any, **kwargs: Any) -> "Promise":
        # What ``Request`` then ``send()`` do, without the Request object.
        payload = _Results(method.params, True)
        if args:
            schema = method.params
            fields = schema.non_union_fields
            if len(args) > len(fields):
                raise TypeError(f"{method.name} takes {len(fields)} positional params, got {len(args)}")
            b = payload.content.struct
            add_cap = payload.add_cap
            for f, v in zip(fields, args):
                store_field(schema, b, add_cap, f, v)
        if kwargs:
            store_fields(payload.schema, payload.content.struct, payload.add_cap, kwargs)
        if self._closed:
            self._check_open()
        return self._session._send_call(self, method, payload)

    def _request(self, name: str, **kwargs: Any) -> "Request":
        return self._request_of(self._method(name), **kwargs)

    def _send(self, name: str, *args: Any, **kwargs: Any) -> "Promise":
        return self._call(self._method(name), *args, **kwargs)

    def _resolved_target(self) -> Union[RemoteCap, RemotePromise, _Wait, object]:
        return self._session._resolve_target(self._target)

    def __repr__(self) -> str:
        name = self._iface.name if self._iface is not None else "?"
        return f"<capability {name} {self._target!r}>"


class Request:
    """A call being prepared: fill ``params`` (also by attribute), then ``send()``."""

    __slots__ = ("_cap", "_method", "_payload")

    def __init__(self, cap: Capability, method: MethodInfo) -> None:
        # Straight through the slots: ``__setattr__`` sets params.
        _SET_REQUEST_CAP(self, cap)
        _SET_REQUEST_METHOD(self, method)
        _SET_REQUEST_PAYLOAD(self, _Results(method.params, True))

    @property
    def params(self) -> StructBuild:
        return self._payload.build  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        build = self._payload.build
        if name in _BUILD_ATTRIBUTES:
            return getattr(build, name)
        # A field: straight to the builder's field lookup, which a plain getattr reaches
        # only after failing to find it on the class.
        return build.__getattr__(name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._payload.build, name, value)

    def init(self, name: str, size: Optional[int] = None) -> Any:
        return self._payload.build.init(name, size)

    def __str__(self) -> str:
        """The params so far in the text format, as pycapnp prints a request."""
        return str(self._payload.build)

    def send(self) -> "Promise":
        cap: Capability = self._cap
        if cap._closed:
            cap._check_open()
        return cap._session._send_call(cap, self._method, self._payload)


_BUILD_ATTRIBUTES = frozenset(dir(StructBuild))  # what a request's attribute means before its fields
_SET_REQUEST_CAP: Callable[[Any, Any], None] = getattr(Request, "_cap").__set__
_SET_REQUEST_METHOD: Callable[[Any, Any], None] = getattr(Request, "_method").__set__
_SET_REQUEST_PAYLOAD: Callable[[Any, Any], None] = getattr(Request, "_payload").__set__


class Promise:
    """An un-awaited call: await it for the results; use its fields to pipeline."""

    __slots__ = ("_session", "_question", "_schema", "_ops", "_names")

    def __init__(self, session: "Session", question: _Question, schema: Any, ops: Tuple[int, ...] = (),
                 names: Tuple[str, ...] = ()) -> None:
        self._session = session
        self._question = question
        self._schema = schema
        self._ops = ops  # pointer indexes from the results to this struct (pipelining)
        self._names = names  # the same path as field names (awaiting)

    def __await__(self) -> Generator[Any, None, Any]:
        q = self._question
        if q.stream_bytes and q.cap is not None:
            # A streaming call (``-> stream``) is awaited for flow control, as in C++: it is done
            # once the capability's calls in flight fit the window, not when this one returns.
            # A failure of any of them is raised here or by the next streaming call's await.
            yield from self._session.stream_ready(q.cap).__await__()
            return None
        if q.local_start:
            q.local_start = False
            if not q.future.done():
                self._session._start_local_now()
        try:
            response = yield from q.future.__await__()
        except asyncio.CancelledError:
            # The awaiting task was cancelled (a server method whose own call was cancelled,
            # a timeout): asyncio cancelled the future, so nobody will read the results.
            self._session._cancel_question(q, awaited=True)
            raise
        for name in self._names:
            response = getattr(response, name)
        return response

    def a_wait(self) -> Awaitable[Any]:
        """pycapnp's name for awaiting a promise: the call's own future (which ``debugport``
        tracks), so a cancelled wait on it cancels the future and leaves the call alone."""
        if self._question.stream_bytes:
            return self._wait()
        return self._question.future

    async def _wait(self) -> Any:
        return await self

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or self._schema is None:
            raise AttributeError(name)
        f = self._schema.fields.get(name)
        if f is None:
            raise AttributeError(f"results have no field {name!r}")
        if f.kind == "interface":
            assert f.type is not None
            return Capability(self._session, _Promised(self._question, self._ops + (f.offset,)),
                              interface_of_type(f.type))
        if f.kind == "struct":
            return Promise(self._session, self._question, f.type.struct, self._ops + (f.offset,),
                           self._names + (name,))
        raise AttributeError(f"cannot pipeline on {f.kind} field {name!r}; await the call")

    def _get(self, name: str) -> Any:
        """The results' field ``name`` to pipeline on (pycapnp's name for ``promise.name``)."""
        return self.__getattr__(name)

    def cancel(self) -> None:
        """Tell the callee we no longer want the results."""
        self._session._cancel_question(self._question)


# id(loop) -> the session carrying that loop's local clients, while any client holds it.
_LOCAL_SESSIONS: "weakref.WeakValueDictionary[int, Session]" = weakref.WeakValueDictionary()


def local_client(server: object, iface: Any = None) -> "Capability":
    """A client of a server object of this process, with no connection (pycapnp's
    ``Interface._new_client(server)``): calls run here, as calls on a capability of ours
    that came back to us do.  Needs a running event loop; one session per loop carries
    such clients (it has a transport with no peer, and never writes)."""
    if _server_interface(server) is None:
        raise TypeError(f"{type(server).__name__} is not a Server")
    loop = asyncio.get_running_loop()
    session = _LOCAL_SESSIONS.get(id(loop))
    if session is None or session._loop is not loop or session._error is not None:
        end, _ = memory_pair(push=True)
        session = Session(end)
        _LOCAL_SESSIONS[id(loop)] = session
    iface_info = interface_info(iface) if iface is not None else _server_interface(server)
    return Capability(session, server, iface_info)


# --- The session ----------------------------------------------------------------------------------


def _collect_mark(max_imports: int, held: int) -> int:
    """How many imports a session may hold before it runs the collector (see
    ``Session._collect_dropped``): three quarters of the limit, or an eighth more than it
    held after the last collection."""
    return max(max_imports * 3 // 4, held + max_imports // 8)


class Session:
    """Drives one ``RpcConnection`` over one transport.

    Limits on the peer: at most ``max_calls_in_flight`` of its calls run at once (more are
    answered ``overloaded``); at most ``max_unfinished_calls`` of its calls are not finished,
    running or answered (beyond, the connection is aborted, as overloaded); a message is at
    most ``max_message_words`` words; it may make us hold at most ``max_imports`` distinct
    capabilities (beyond, the connection is aborted).  Clients dropped without ``close()``
    release theirs when collected: once three quarters of that limit are held, the session
    runs the garbage collector itself before it reads more (on PyPy, which collects late,
    a client making many calls would otherwise reach the limit with references nobody holds).

    The peer is assumed to accept messages of at most ``peer_max_message_words`` words (by
    default the same limit as ours, and C++'s).  A larger call is refused before it is sent
    (``RpcError``), and larger results are answered with an exception instead, so the peer
    never aborts the connection for one oversized message.

    Reading the content of one received message (a call's params, a Return's results) may
    visit at most ``traversal_limit_in_words`` words (pycapnp's option of the same name); a
    read beyond raises ``LimitError`` where the content is read.
    """

    def __init__(
        self,
        transport: Transport,
        bootstrap: Optional[object] = None,
        *,
        max_calls_in_flight: int = 1024,
        max_unfinished_calls: int = 1 << 16,
        max_message_words: int = 8 << 20,
        peer_max_message_words: int = 8 << 20,
        stream_window: int = DEFAULT_STREAM_WINDOW,
        max_imports: int = 4096,
        traversal_limit_in_words: int = DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
    ) -> None:
        if peer_max_message_words < MIN_PEER_MESSAGE_WORDS:
            raise ValueError(f"peer_max_message_words must be at least {MIN_PEER_MESSAGE_WORDS}")
        self.peer_max_message_words = peer_max_message_words
        # The words reading the content of one received message (params, results) may visit.
        self._content_words = traversal_limit_in_words
        self._transport = transport
        # Forwarders this connection exports for capabilities of other connections (an ordered set),
        # those made for a message but maybe never exported (checked once the turn is over),
        # and the peer's calls forwarded through them, by answer.
        self._forwarders: Dict[Forwarder, None] = {}
        self._fresh: List[Forwarder] = []
        self._forwarding: Dict[AnswerId, ForwardedCall] = {}
        if isinstance(bootstrap, Capability):
            bootstrap = self._bootstrap_forwarder(bootstrap)
        self._conn = RpcConnection(bootstrap=bootstrap, extract_cap=self._extract,
                                   max_answers=max_calls_in_flight, max_unfinished=max_unfinished_calls,
                                   max_questions=1 << 16, max_imports=max_imports)
        self._collect_at = _collect_mark(max_imports, 0)  # imports held before collecting
        self._outbox = self._conn.outbox  # its length is how many messages are queued
        self._decoder = MessageDecoder(max_message_words=max_message_words)
        self._questions: Dict[QuestionId, _Question] = {}
        self._answers: Dict[AnswerId, _Answer] = {}
        self._kept: Dict[AnswerId, _Answer] = {}  # results held for takeFromOtherQuestion
        self._import_refs: Dict[ImportId, int] = {}
        self._resolutions: Dict[ImportId, Capability] = {}
        # on_resolved callbacks of promise imports, run when their Resolve arrives
        self._resolve_watchers: Dict[ImportId, List[Tuple[_Watcher, Optional[InterfaceInfo]]]] = {}
        self._import_embargo: Dict[ImportId, "asyncio.Future[None]"] = {}
        self._embargoes: Dict[EmbargoId, "asyncio.Future[None]"] = {}
        self._flush_scheduled = False
        self._early = _EARLY_WRITES  # early writes left until the next refill (see _write_early)
        self._woke_callers = False  # a Return of ours arrived in the bytes being processed
        self._in_batch = False  # received messages are being processed (see _receive)
        # Queued Finish (after the Return) and Release messages: nobody waits for them, so they
        # may wait for the next write (see _hold_or_flush).  Counted since the last flush.
        self._lazy = 0
        self._lazy_timer: Optional[asyncio.TimerHandle] = None
        self._lazy_since = -1.0  # loop time the oldest held lazy message was held at; -1: none
        # Work held back until a future settles, in arrival order (E-order): one list per future,
        # drained by one callback; while a list exists, later calls on the same target join it.
        self._waitq: Dict["asyncio.Future[Any]", List[Callable[[], None]]] = {}
        self._pending_release: List[ImportId] = []  # references of collected clients
        # How deep calls started without a loop turn are nested (pipelined calls drained when
        # their answer completes, local calls started by an await); bounded to keep the stack.
        self._inline_depth = 0
        # Local calls not started yet: (answer, server object, method, params), oldest first.
        self._local_starts: Deque[Tuple[_Answer, object, MethodInfo, StructView, contextvars.Context]] = \
            collections.deque()
        # The loop's pending run of those starts; cancelled when an await starts them first.
        self._local_handle: Optional[asyncio.Handle] = None
        self.stream_window = stream_window
        self._loop = asyncio.get_running_loop()
        # The context the peer's calls start from (each in a copy of its own), whatever code
        # happens to run when they arrive.
        self._peer_context = contextvars.copy_context()
        # Before Python 3.12: the parked task a method's first step runs as (see _start_task).
        self._host: Any = None
        self.closed: "asyncio.Future[Optional[BaseException]]" = self._loop.create_future()
        self._error: Optional[RpcError] = None
        # A transport that pushes its bytes feeds the session from its own callbacks (no task);
        # any other is read by a task.
        self._reader_task: Optional["asyncio.Task[None]"] = None
        attach = getattr(transport, "attach", None)
        if attach is None or not attach(self._on_bytes, self._on_eof):
            self._reader_task = self._loop.create_task(self._read_loop())

    # --- lifecycle

    @property
    def is_open(self) -> bool:
        return self._error is None

    def bootstrap(self, iface: Any = None) -> Capability:
        """The peer's bootstrap capability (cast it with ``cast_as`` or pass ``iface``)."""
        self._check_open()
        qid = self._conn.bootstrap()
        q = _Question(qid, None)
        self._questions[qid] = q
        self._schedule_flush()
        return Capability(self, _Promised(q, ()), None if iface is None else interface_info(iface))

    # --- promises

    def export_promise(self, iface: Any = None, *, on_release: Optional[Callable[[], None]] = None
                       ) -> Tuple[Capability, PromiseResolver]:
        """A new promise capability of ours, and the resolver that settles it later.

        Put the capability in params or results like any other: it goes out as
        a promise (``senderPromise``), and the peer gets a ``Resolve`` once
        ``resolver.resolve(...)`` or ``resolver.reject(...)`` is called.  Calls
        made on it (here or by the peer) wait and are delivered in order to the
        resolution.  ``on_release()`` runs when the peer releases the promise.
        A promise that settled before it was ever sent goes out as its
        resolution.
        """
        self._check_open()
        promise = _LocalPromise(self._loop.create_future(), on_release)
        cap = Capability(self, promise, None if iface is None else interface_info(iface))
        return cap, PromiseResolver(self, promise)

    def on_resolved(self, cap: Capability, callback: _Watcher) -> bool:
        """Call ``callback(resolution)`` when the peer resolves the promise ``cap`` refers to.

        ``resolution`` is a new client, seen as ``cap``'s interface (close it
        when done), or the ``RpcError``
        the promise broke with (also the session's error, when it ends first).
        Like ``on_release`` hooks of server objects, it runs on the loop soon
        after the message is processed (so calls received before it have
        started), and such hooks run in the order of the messages that caused
        them; soon as well when the promise had resolved already.  Returns
        False, and never calls back, when ``cap`` is not (yet) known as a
        promise of the peer.
        """
        if cap._session is not self:
            raise RpcError("the capability belongs to another session", "failed")
        target = cap._target
        if not isinstance(target, RemoteCap) or not target.promise or self._error is not None:
            return False
        iid = target.import_id
        if iid not in self._import_refs:
            return False  # released
        resolution = self._resolutions.get(iid)
        if resolution is not None:
            self._loop.call_soon(self._call_hook, callback, self._resolution_for_watcher(resolution, cap._iface))
        else:
            self._resolve_watchers.setdefault(iid, []).append((callback, cap._iface))
        return True

    def _resolution_for_watcher(self, resolution: Capability, iface: Optional[InterfaceInfo]
                                ) -> Union[Capability, RpcError]:
        target = resolution._target
        if isinstance(target, _Broken):
            return target.error
        return Capability(self, target, resolution._iface or iface)

    def _settle_promise(self, promise: _LocalPromise, value: Any) -> bool:
        if promise.future.done():
            return False
        held: Optional[Capability] = None
        target: Target
        if isinstance(value, BaseException):
            target = _Broken(_to_error(_to_rpc_exception(value)))
        elif value is None:
            target = _Broken(RpcError("promise resolved to a null capability"))
        elif isinstance(value, Capability):
            if value._closed:
                raise RpcError("capability client was closed", "failed")
            if value._session is not self:
                # Another connection's capability: the promise settles to a forwarder of it,
                # which lives as long as this connection (the promise may be sent again).
                target = self._new_forwarder(value, persistent=True)
            elif value._target is promise:
                raise ValueError("a promise cannot resolve to itself")
            else:
                held = Capability(self, value._target, value._iface)
                target = held._target
        elif _server_interface(value) is not None:
            target = value
        else:
            raise TypeError(f"{type(value).__name__} is neither a capability nor a Server")
        promise.target = target
        promise.held = held
        if self._error is None and self._conn.exports.find(promise) is not None:
            self._conn.resolve(promise, self._resolution_out(target, held))
            self._schedule_flush()
        promise.future.set_result(None)
        # The calls that waited go now, before anything else arrives (E-order, and the
        # connection wants calls queued on a promise forwarded right after its Resolve).
        for work in self._waitq.pop(promise.future, ()):
            work()
        return True

    def _resolution_out(self, target: Target, held: Optional[Capability]) -> Union[OutCap, RpcException]:
        if isinstance(target, _Broken):
            return _to_rpc_exception(target.error)
        try:
            return self._out_cap(held if held is not None else target)
        except (RpcError, TypeError) as exc:
            return _to_rpc_exception(exc)

    def _abort(self, reason: str) -> None:
        """The peer broke the protocol outside a received batch: abort the connection."""
        if self._error is None:
            if self._conn.state is ConnectionState.OPEN:
                self._conn.close(reason)
            self._flush()
            self._shut_down(Disconnected(f"connection aborted: {reason}"))
            self._close_transport_gently()

    def _close_transport_gently(self) -> None:
        """After an Abort of ours (see ``Transport.close_gently``; a transport of the
        application's own making may only have ``close``)."""
        gently = getattr(self._transport, "close_gently", None)
        if gently is not None:
            gently()
        else:
            self._transport.close()

    async def close(self, reason: str = "connection closed") -> None:
        """Abort the connection politely, release everything, close the transport."""
        if self._error is None:
            self._conn.close(reason)
            self._flush()
            self._shut_down(Disconnected(reason))
        self._transport.close()
        if self._reader_task is not None:
            await asyncio.gather(self._reader_task, return_exceptions=True)
        else:
            await asyncio.sleep(0)  # as the reader task's end would: close() always yields once

    async def __aenter__(self) -> "Session":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def wait_closed(self) -> None:
        await asyncio.shield(self.closed)

    def _check_open(self) -> None:
        if self._error is not None:
            raise self._error

    # --- byte I/O

    def _schedule_flush(self, force: bool = False) -> None:
        """Flush on the next turn.  Inside a received batch that is left to ``_receive``,
        unless ``force``: then the flush is scheduled now, so what is queued so far goes
        out before whatever runs after this turn."""
        if force:
            if not self._flush_scheduled:
                self._flush_scheduled = True
                self._loop.call_soon(self._flush_on_loop)
            return
        if self._flush_scheduled or self._in_batch:
            # Already due; or received messages are being processed, and _receive flushes
            # (or schedules a flush) for whatever they queued once they all were.
            if len(self._outbox) >= _FLUSH_BATCH:
                # A long burst goes out in pieces, so the peer starts on the first
                # messages while later ones are still being built.
                self._flush()
            return
        self._flush_scheduled = True
        self._loop.call_soon(self._flush_on_loop)

    def _write_early(self) -> None:
        """Write what is queued now rather than at the end of the turn, a few times a turn.

        Outside a received batch (whose end writes anyway), a call or a Return goes out at
        once, so the peer works on it while this side makes the next message: over a socket
        the two run side by side.  After ``_EARLY_WRITES`` such writes, the rest waits for a
        flush on the loop as usual, so a burst costs few writes.  The allowance comes back
        with each received batch and each flush the loop runs (about once a turn, with no
        callback of its own).
        """
        if self._in_batch or not self._early:
            self._schedule_flush()
            return
        self._early -= 1
        self._flush()

    def _flush_on_loop(self) -> None:
        """A flush scheduled on the loop (see _schedule_flush); an early write may have sent
        everything already, and then it finds nothing."""
        self._early = _EARLY_WRITES
        self._flush()

    def _hold_or_flush(self) -> None:
        """Lazy messages were queued: send them soon, or hold them for the next write.

        While calls of ours are in flight their Returns will make us write anyway, so a
        Finish or Release rides along then instead of waking the peer for a write of its
        own; a timer sends what is held if nothing else is written for a while.  Anything
        else queued, no call in flight, or many held: flushed soon as usual.
        """
        if self._flush_scheduled:
            return
        queued = len(self._outbox)
        if queued > self._lazy or (queued and (not self._questions or self._lazy >= _FLUSH_BATCH)):
            self._schedule_flush()
        elif queued:
            if self._lazy_since < 0:
                self._lazy_since = self._loop.time()
            if self._lazy_timer is None:
                self._lazy_timer = self._loop.call_later(_LAZY_DELAY, self._lazy_due)

    def _lazy_due(self) -> None:
        """The timer of held messages: flush them once they waited long enough."""
        self._lazy_timer = None
        if not self._lazy or self._flush_scheduled or self._error is not None:
            return
        # The timer may have been armed for messages that went out since: wait the rest.
        left = self._lazy_since + _LAZY_DELAY - self._loop.time()
        if left > 0:
            self._lazy_timer = self._loop.call_later(left, self._lazy_due)
        else:
            self._flush()

    def _flush(self) -> None:
        self._flush_scheduled = False
        self._lazy = 0
        self._lazy_since = -1.0
        messages = self._conn.messages_to_send()
        if not messages:
            return
        encode = codec.encode_framed
        try:
            data = encode(messages[0]) if len(messages) == 1 else b"".join([encode(m) for m in messages])
        except DecodeError:
            data = self._encode_or_abort(messages)
        self._transport.write(data)

    def _encode_or_abort(self, messages: List[Message]) -> bytes:
        """Encode what can be: a message that copies the peer's malformed content (an
        Unimplemented echoing what it received) is dropped and the connection aborted for it."""
        out: List[bytes] = []
        reason = ""
        for m in messages:
            try:
                out.append(codec.encode_framed(m))
            except DecodeError as exc:
                reason = reason or f"malformed message: {exc}"
        if reason and self._conn.state is ConnectionState.OPEN:
            self._conn.close(reason)
            out.extend(codec.encode_framed(m) for m in self._conn.messages_to_send())
            self._loop.call_soon(self._close_transport_gently)
        return b"".join(out)

    async def _read_loop(self) -> None:
        error: Optional[RpcError] = None
        aborted = False  # we ended the connection for what the peer sent
        try:
            while True:
                data = await self._transport.read()
                if not data:
                    error = Disconnected("peer closed the connection")
                    break
                error = self._receive(data)
                if error is not None or (self._conn.state is ConnectionState.CLOSED and self._error is not None):
                    aborted = True
                    break
        except asyncio.CancelledError:
            error = Disconnected("session cancelled")
        except Exception as exc:  # the transport's read failed
            error = Disconnected(f"session failed: {type(exc).__name__}: {exc}")
            if self._conn.state is ConnectionState.OPEN:
                self._conn.close("internal error")
            self._flush()
        finally:
            self._shut_down(error or Disconnected("connection closed"))
            if aborted:
                self._close_transport_gently()
            else:
                self._transport.close()

    def _on_bytes(self, data: bytes) -> None:
        """Bytes pushed by the transport (see ``Transport.attach``)."""
        if self._error is not None and self._conn.state is ConnectionState.CLOSED:
            return  # over: what still arrives is dropped, as the reader task would stop reading
        try:
            error = self._receive(data)
        except BaseException:  # KeyboardInterrupt, SystemExit from a method: the batch is cut short
            self._shut_down(Disconnected("session interrupted"))
            self._transport.close()
            raise
        if error is not None:
            self._shut_down(error)
            self._close_transport_gently()
        elif self._conn.state is ConnectionState.CLOSED and self._error is not None:
            self._close_transport_gently()

    def _on_eof(self) -> None:
        self._shut_down(Disconnected("peer closed the connection"))
        self._transport.close()

    def _receive(self, data: bytes) -> Optional[RpcError]:
        """Process received bytes: every complete message, then flush what they queued (at once,
        or on the next turn when Returns woke callers).  Returns the error that ends the session,
        if the bytes ended it."""
        if len(self._conn.imports) >= self._collect_at:
            self._collect_dropped()
        try:
            decoder = self._decoder
            self._early = _EARLY_WRITES  # see _write_early
            # Whole one-segment messages (the usual read) are decoded where they lie.
            whole = whole_messages(decoder, data)
            if whole is None:
                decoder.feed(data)
            conn = self._conn
            handle = self._handle
            self._woke_callers = False
            self._in_batch = True
            try:
                if whole is not None:
                    decode_plain = codec.decode_plain
                    limit = self._content_words
                    for segment in whole:
                        # Calls and results are read into the connection without message objects.
                        plain = decode_plain(segment, limit) if len(segment) != 32 else None  # 32: Finish
                        if plain is None:
                            events = conn.receive(codec.decode((segment,), limit))
                        elif plain[0] == codec.TAG_CALL:
                            events = conn.receive_call(*plain[1:])
                        else:
                            events = conn.receive_results(*plain[1:])
                        for event in events:
                            handle(event)
                else:
                    while True:
                        segments = decoder.next_message()
                        if segments is None:
                            break
                        for event in conn.receive(codec.decode(segments, self._content_words)):
                            handle(event)
            finally:
                self._in_batch = False
            if self._woke_callers:
                # Soon rather than now: the callers woken by these Returns get to make their
                # next calls first, and a held Finish or Release rides along with them (see
                # _hold_or_flush and _write_early).
                self._hold_or_flush()
            elif len(self._outbox) > self._lazy:
                # Only calls arrived (a server's usual batch): their Returns go now,
                # a loop turn earlier.
                self._flush()
            elif self._lazy:
                # Only held messages (a Release made while the batch ran): the usual rules.
                self._hold_or_flush()
        except (DecodeError, ProtocolError) as exc:
            if self._conn.state is ConnectionState.OPEN:
                self._conn.close(f"malformed message: {exc}")
            self._flush()
            return Disconnected(f"connection aborted: {exc}")
        except Exception as exc:  # a bug of ours must not leave callers hanging
            if self._conn.state is ConnectionState.OPEN:
                self._conn.close("internal error")
            self._flush()
            return Disconnected(f"session failed: {type(exc).__name__}: {exc}")
        return None

    def _shut_down(self, error: RpcError) -> None:
        if self._error is not None:
            return
        self._error = error
        host, self._host = self._host, None
        if host is not None:
            host.retire()
        for q in self._questions.values():
            if not q.future.done():
                q.future.set_exception(error)
                q.future.exception()  # mark retrieved: nobody may be waiting
        self._questions.clear()
        for ans in list(self._answers.values()):
            if ans.task is not None and not ans.task.done():
                ans.task.cancel()
        self._answers.clear()
        self._kept.clear()
        for fut in list(self._embargoes.values()) + list(self._import_embargo.values()):
            if not fut.done():
                fut.set_exception(error)
                fut.exception()
        self._embargoes.clear()
        self._import_embargo.clear()
        self._import_refs.clear()
        self._resolutions.clear()
        watchers, self._resolve_watchers = self._resolve_watchers, {}
        for callbacks in watchers.values():
            for callback, _ in callbacks:
                self._loop.call_soon(self._call_hook, callback, error)
        self._pending_release.clear()
        if self._lazy_timer is not None:
            self._lazy_timer.cancel()
            self._lazy_timer = None
        self._close_forwarding()
        if not self.closed.done():
            self.closed.set_result(error)

    # --- events

    def _handle(self, event: Event) -> None:
        if isinstance(event, CallReceived):
            self._on_call(event)
        elif isinstance(event, ReturnReceived):
            self._on_return(event)
        elif isinstance(event, Cancelled):
            ans = self._answers.get(event.answer_id)
            if ans is not None:
                forwarded = self._forwarding.get(event.answer_id) if ans.ctx is None else None
                if forwarded is not None:
                    self._cancel_forwarded(forwarded)
                elif ans.ctx is not None:
                    ans.ctx.cancelled = True
                if ans.task is not None:
                    ans.task.cancel()
                elif ans.ctx is None:  # still queued on a promise: it never runs
                    self._return_error(ans, RpcException("call cancelled"))
        elif isinstance(event, EmbargoLifted):
            fut = self._embargoes.pop(event.embargo_id, None)
            if fut is not None and not fut.done():
                fut.set_result(None)
        elif isinstance(event, Resolved):
            self._on_resolved(event)
        elif isinstance(event, BootstrapRequested):
            self._conn.return_exception(event.answer_id, RpcException("no bootstrap capability here"))
        elif isinstance(event, ConnectionAborted):
            self._shut_down(_to_error(event.exception))
        elif isinstance(event, ExportReleased):
            # Soon, not now: calls that arrived before the Release get to start first.
            hook = getattr(event.obj, "on_release", None)
            if callable(hook):
                self._loop.call_soon(self._call_hook, hook)

    def _call_hook(self, hook: Callable[..., None], *args: Any) -> None:
        """Run application code from inside the session; its failure must not end the session."""
        try:
            hook(*args)
        except Exception as exc:
            self._loop.call_exception_handler({"message": f"RPC session hook {hook!r} failed",
                                               "exception": exc})

    # --- imports

    def _add_import_ref(self, iid: ImportId) -> None:
        self._import_refs[iid] = self._import_refs.get(iid, 0) + 1

    def _drop_import_ref(self, iid: ImportId) -> None:
        count = self._import_refs.get(iid)
        if count is None:
            return  # the session ended; everything was released with it
        if count > 1:
            self._import_refs[iid] = count - 1
            return
        del self._import_refs[iid]
        self._resolve_watchers.pop(iid, None)
        resolution = self._resolutions.pop(iid, None)
        if resolution is not None:
            resolution.close()
        conn = self._conn
        if self._error is None and conn.imports.get(iid) is not None:
            before = len(self._outbox)
            conn.release(iid)
            self._lazy += len(self._outbox) - before
            if not self._in_batch:
                self._hold_or_flush()

    def _release_later(self, iid: ImportId) -> None:
        """Drop a reference of a collected client on the loop (collection may run anywhere)."""
        if self._error is not None:
            return
        pending = self._pending_release
        pending.append(iid)
        if len(pending) == 1:
            loop = self._loop
            try:
                if asyncio._get_running_loop() is loop:
                    # Collected on the loop itself (the usual case): no wake-up through the
                    # loop's self-pipe needed.
                    loop.call_soon(self._drain_releases)
                else:
                    loop.call_soon_threadsafe(self._drain_releases)
            except RuntimeError:  # the loop is closed: nothing left to tell the peer
                pending.clear()

    def _collect_dropped(self) -> None:
        """Most of the imports the peer may make us hold are held: clients dropped without
        ``close()`` and not yet collected may hold many of them (PyPy collects late; cycles
        wait for the collector anywhere).  Collect them and release their references now;
        collect again only once another eighth of the limit is held."""
        gc.collect()
        self._drain_releases()
        self._collect_at = _collect_mark(self._conn.max_imports, len(self._conn.imports))

    def _drain_releases(self) -> None:
        pending, self._pending_release = self._pending_release, []
        for iid in pending:
            self._drop_import_ref(iid)

    def _client(self, cap: InCap, iface: Optional[InterfaceInfo]) -> Optional[Capability]:
        """A client object for a received cap-table entry (owning one reference)."""
        if cap is None:
            return None
        if isinstance(cap, LocalCap):
            return self._table_entry(cap.obj, iface)
        if isinstance(cap, RemoteCap):
            return self._table_entry(cap, iface)
        if isinstance(cap, LocalPipeline):
            ans = self._answers.get(cap.answer_id)
            if ans is None:
                raise ProtocolError(f"pipelined reference to unknown answer {cap.answer_id}")
            return self._table_entry(_LocalPipelineTarget(ans, cap.transform), iface)
        raise TypeError(f"unexpected capability {cap!r}")

    def _make_cap(self, entry: Any, iface: Optional[InterfaceInfo]) -> Any:
        """Cap-table entry -> a new client of the field's interface, with its own reference.

        The table keeps its own reference, released when the view is closed or
        collected; the client read from it lives until it is closed or collected.
        """
        if entry is RELEASED:
            raise RpcError("the results or params holding this capability were closed", "failed")
        if isinstance(entry, Capability):
            if entry._closed:
                raise RpcError("this capability was read from these results and closed", "failed")
            own = entry._iface
            home: Session = entry._session  # this one, or another for a local call's params
            if iface is None:  # a copy for another view's table
                return home._table_entry(entry._target, own)
            if own is None or not own.is_a(iface):
                own = iface
            if entry._in_table:
                # The first read takes the view's reference: closing that client releases it,
                # without waiting for the view to be closed or collected.
                entry._in_table = False
                entry._iface = own
                return entry
            return Capability(home, entry._target, own)
        if entry is not None and (_server_interface(entry) is not None or type(entry) is Forwarder):
            return Capability(self, entry, iface)
        return entry

    def _copy_table(self, objects: Sequence[Any]) -> List[Any]:
        """A cap table owning its references: clients copied, server objects as they are.
        A closed client cannot be passed on (``RpcError``), as when sent to the peer."""
        table = []
        for o in objects:
            if isinstance(o, Capability):
                if o._closed:
                    raise RpcError("capability client was closed", "failed")
                o = self._table_entry(o._target, o._iface) if o._session is self else self._adopt(o)
            table.append(o)
        return table

    def _table_entry(self, target: Target, iface: Optional[InterfaceInfo]) -> Capability:
        cap = Capability(self, target, iface)
        cap._in_table = True
        return cap

    def _follow(self, cap: Capability, target: "_Promised") -> None:
        """A client on a question's results: bound to its capability now, or when they arrive."""
        q = target.question
        if q.response is not None:
            cap._bind(self._settled_target(q, target.ops))
        elif not q.future.done():
            if q.pipelines is None:
                q.pipelines = []
            q.pipelines.append(weakref.ref(cap))

    def _settled_target(self, q: _Question, ops: Tuple[int, ...]) -> Target:
        """What a pipeline client on ``q``'s results becomes once they arrived."""
        try:
            entry = q.cap if q.method is None else _cap_at(q.response, ops)  # type: ignore[arg-type]
        except (RpcError, DecodeError) as exc:
            return _Broken(exc if isinstance(exc, RpcError) else RpcError(str(exc)))
        if entry is None:
            return _Broken(RpcError("call on a null capability"))
        if entry is RELEASED:
            return _Broken(RpcError("the results holding this capability were closed"))
        if isinstance(entry, Capability):
            if entry._closed:
                return _Broken(RpcError("the results holding this capability were closed"))
            # Another connection's client (in a local call's results) is the target itself: the
            # pipeline client takes its own client of that connection (see Capability._bind).
            target: Target = entry._target if entry._session is self else entry
        else:
            target = entry
        embargo = q.embargoes.get(_transform(ops)) if ops and q.embargoes is not None else None
        if embargo is not None and not embargo.done():
            return _Embargoed(target, embargo)
        if q.future in self._waitq:  # calls queued on the promise go before any made from now on
            return _Embargoed(target, q.future)
        return target

    def _settle(self, q: _Question, response: StructView) -> None:
        """Results arrived: pipeline clients still open take their own reference, then waiters run."""
        q.response = response
        pipelines, q.pipelines = q.pipelines, None
        if pipelines:
            for ref in pipelines:
                cap = ref()
                if cap is not None and not cap._closed:
                    target = cap._target
                    if isinstance(target, _Promised) and target.question is q:
                        cap._bind(self._settled_target(q, target.ops))
        if not q.future.done():
            q.future.set_result(response)
            # Calls made on the promise before it settled go first, now: whoever awaits it
            # may go on at once (a local call that ended inline) and call the capability its
            # results hold, and those calls must come after these (E-order).
            self._drain_now(q.future)

    # --- E-order

    def _enqueue(self, fut: "asyncio.Future[Any]", work: Callable[[], None]) -> None:
        queue = self._waitq.get(fut)
        if queue is None:
            queue = self._waitq[fut] = []
            fut.add_done_callback(self._drain_waitq)
        queue.append(work)

    def _drain_waitq(self, fut: "asyncio.Future[Any]") -> None:
        for work in self._waitq.pop(fut, ()):
            work()

    def _drain_now(self, fut: "asyncio.Future[Any]") -> None:
        """Run the work queued on ``fut`` (just settled) now rather than on the loop, unless
        the stack is already deep (the future's own callback runs it then).  If a piece
        raises, the rest goes back in the queue, drained on the loop."""
        queue = self._waitq.get(fut)
        if queue is None or self._inline_depth >= _MAX_INLINE_DEPTH:
            return
        del self._waitq[fut]
        self._inline_depth += 1
        try:
            for done, work in enumerate(queue, 1):
                try:
                    work()
                except BaseException:
                    rest = queue[done:]
                    if rest:
                        self._waitq.setdefault(fut, []).extend(rest)
                        self._loop.call_soon(self._drain_waitq, fut)
                    raise
        finally:
            self._inline_depth -= 1

    def _waiting(self, fut: "asyncio.Future[Any]") -> bool:
        """Whether work on ``fut`` must wait: unsettled, or earlier work is still queued on it."""
        return not fut.done() or fut in self._waitq

    def _on_resolved(self, event: Resolved) -> None:
        if event.import_id not in self._import_refs:
            # Released here (an answer of ours still names it): nobody will use the resolution.
            if event.cap is not None:
                client = self._client(event.cap, None)
                if client is not None:
                    client.close()
            return
        if event.exception is not None:
            self._resolutions[event.import_id] = Capability(self, _Broken(_to_error(event.exception)), None)
        else:
            client = self._client(event.cap, None)
            if client is not None:
                self._resolutions[event.import_id] = client
        if event.embargo is not None:
            fut = self._loop.create_future()
            self._embargoes[event.embargo] = fut
            self._import_embargo[event.import_id] = fut
        watchers = self._resolve_watchers.pop(event.import_id, None)
        if watchers:
            resolution = self._resolutions.get(event.import_id)
            for callback, iface in watchers:
                result = (RpcError("promise resolved to a null capability") if resolution is None
                          else self._resolution_for_watcher(resolution, iface))
                self._loop.call_soon(self._call_hook, callback, result)

    # --- targets

    def _resolve_target(self, target: Target) -> Union[RemoteCap, RemotePromise, _Wait, object]:
        """Where a call on ``target`` goes right now (following settled promises)."""
        for _ in range(64):
            if isinstance(target, RemoteCap):
                resolution = self._resolutions.get(target.import_id)
                if resolution is None:
                    return target
                fut = self._import_embargo.get(target.import_id)
                if fut is not None and self._waiting(fut):
                    return _Wait(fut)
                target = resolution._target
                continue
            if isinstance(target, _Embargoed):
                if self._waiting(target.future):
                    return _Wait(target.future)
                target = target.target
                continue
            if isinstance(target, _Promised):
                q = target.question
                if q.response is None:
                    if q.future.done() and q.future not in self._waitq:  # failed or cancelled
                        if q.future.cancelled():
                            if q.qid is not None and self._questions.get(q.qid) is q:
                                # Only an awaiting task was cancelled: the call goes on.
                                return RemotePromise(q.qid, _transform(target.ops))
                            return _Broken(RpcError("call cancelled by the caller", "failed"))
                        exc = q.future.exception()
                        return _Broken(exc if isinstance(exc, RpcError) else RpcError(str(exc)))
                    if q.qid is not None:
                        return RemotePromise(q.qid, _transform(target.ops))
                    return _Wait(q.future)
                if q.future in self._waitq:
                    return _Wait(q.future)
                target = self._settled_target(q, target.ops)
                continue
            if isinstance(target, _LocalPromise):
                fut = target.future
                if self._waiting(fut):
                    return _Wait(fut)
                target = target.target
                continue
            if isinstance(target, _LocalPipelineTarget):
                ans = target.answer
                if ans.ready is not None and ans.ready in self._waitq:
                    return _Wait(ans.ready)  # earlier calls on this answer go first
                results = ans.results
                if results is None and ans.ctx is not None and ans.ctx._early is not None:
                    results = ans.ctx._early
                if results is None:
                    if ans.exception is not None:
                        return _Broken(_to_error(ans.exception))
                    return _Wait(ans.ready_future())
                try:
                    index = follow_transform(results.reader(), [op.pointer_field for op in target.transform])
                except DecodeError as exc:  # the peer's path does not lead to a capability
                    # Only the call fails, as the connection treats it for a returned answer.
                    return _Broken(RpcError(f"invalid pipeline transform for question {ans.aid}: {exc}"))
                if index is None or index >= len(results.objects):
                    return _Broken(RpcError("call on a null capability"))
                obj = results.objects[index]
                if isinstance(obj, Capability):
                    # A client of another session stays itself: calls on it are forwarded.
                    target = obj._target if obj._session is self else obj
                else:
                    target = obj
                continue
            return target
        return _Broken(RpcError("capability resolves through too many promises"))

    def _out_cap(self, obj: Any) -> OutCap:
        if obj is None:
            return None
        if isinstance(obj, Capability):
            if obj._session is not self:
                return self._foreign_out(obj)
            if obj._closed:
                raise RpcError("capability client was closed", "failed")
            target = self._resolve_target(obj._target)
            if isinstance(target, (RemoteCap, RemotePromise)):
                return target
            if isinstance(target, _Wait):
                # still local and unsettled: a promise we cannot export yet; hand out the pipeline
                pending = obj._target
                if isinstance(pending, _LocalPromise) and not pending.future.done():
                    return LocalCap(pending, promise=True)
                if isinstance(pending, _Embargoed):
                    inner = self._resolve_target(pending.target)
                    if isinstance(inner, Capability):  # another session's client (see _bind)
                        return self._foreign_out(inner)
                    if not isinstance(inner, (RemoteCap, RemotePromise, _Wait, _Broken)):
                        return LocalCap(inner)  # our own object: the embargo only orders our calls
                if isinstance(pending, _Promised) and pending.question.qid is not None:
                    return RemotePromise(pending.question.qid, _transform(pending.ops))
                raise RpcError("cannot pass a capability that has not settled yet", "unimplemented")
            if isinstance(target, _Broken):
                raise target.error
            if isinstance(target, Capability):  # another session's, in our own results
                return self._foreign_out(target)
            return LocalCap(target)
        if _server_interface(obj) is not None or type(obj) is Forwarder:
            return LocalCap(obj)
        raise TypeError(f"{type(obj).__name__} is neither a capability nor a Server")

    def _check_size(self, content: object, caps: Sequence[OutCap], what: str) -> None:
        """Refuse to send a Call or Return that the peer would take for a protocol violation
        (it ends the whole connection for a message over its limit)."""
        words = _message_words(content) + _cap_table_words(caps)
        limit = self.peer_max_message_words
        if words > limit:
            raise RpcError(f"{what} too large to send: a message of about {words} words, over the "
                           f"peer's limit of {limit} words (peer_max_message_words)", "failed")

    # --- client calls

    def _send_call(self, cap: Capability, method: MethodInfo, payload: _Results) -> Promise:
        if self._error is not None:
            raise self._error
        target = cap._target
        kind = type(target)
        if kind is _Promised:
            q = target.question  # type: ignore[union-attr]
            if q.response is None and q.qid is not None and not q.future.done():
                # A field of results still on their way (pipelining): what _resolve_target
                # gives for it, without its walk.
                target = RemotePromise(q.qid, _transform(target.ops))  # type: ignore[union-attr]
            else:
                target = self._resolve_target(target)
        elif kind is not RemoteCap or target.import_id in self._resolutions:  # type: ignore[union-attr]
            # Anything but a settled import of the peer (the usual target) may lead elsewhere.
            target = self._resolve_target(target)
        if isinstance(target, (RemoteCap, RemotePromise)):
            objects = payload.objects
            caps = [self._out_cap(o) for o in objects] if objects else ()
            content = payload.content
            # Params built here within the message's first segment (its newest is segment 0),
            # with few capabilities (the usual call), are far below any limit; anything else
            # is measured.
            try:
                spilled = content.message._last.id
            except AttributeError:  # content read elsewhere (a forwarded call's)
                spilled = True
            if spilled or (caps and len(caps) > _FEW_CAPS):
                self._check_size(content, caps, "params")
            qid = self._conn.call(target, method.interface_id, method.ordinal, content, caps)
            q = _Question(qid, method, self._loop)
            self._questions[qid] = q
            if method.streaming:
                self._stream_account(cap, q, payload)
            self._write_early()  # last: only the write itself can fail once the call is recorded
            return Promise(self, q, method.results)
        q = _Question(None, method)
        if isinstance(target, _Broken):
            self._fail(q, target.error)
        elif isinstance(target, _Wait):
            # Queued behind earlier calls on the same target, sent (or run) in that order.
            self._enqueue(target.future, lambda: self._deferred_call(cap, method, payload, q))
        else:
            self._call_local(target, method, payload, q)
        return Promise(self, q, method.results)

    def _deferred_call(self, cap: Capability, method: MethodInfo, payload: _Results, q: _Question) -> None:
        if q.future.done():
            return  # cancelled while it waited for its target
        self._settle_by(q, lambda: self._send_call(cap, method, payload))

    def _settle_by(self, q: _Question, send: Callable[[], "Promise"]) -> None:
        """Settle ``q`` with the call ``send()`` makes (or fail it with what ``send`` raises)."""
        try:
            inner = send()._question
        except Exception as exc:
            self._fail(q, exc if isinstance(exc, RpcError) else RpcError(str(exc)))
            return
        if inner.future.done():
            self._adopt_inner(q, inner)
        else:
            inner.future.add_done_callback(lambda _: self._adopt_inner(q, inner))

    def _adopt_inner(self, q: _Question, inner: _Question) -> None:
        """Settle a held-back call with the call it turned into."""
        if inner.response is not None:
            self._settle(q, inner.response)
            return
        exc = inner.future.exception() if inner.future.done() and not inner.future.cancelled() else None
        self._fail(q, exc if isinstance(exc, RpcError) else RpcError(str(exc or "call was cancelled")))

    def _stream_account(self, cap: Capability, q: _Question, payload: _Results) -> None:
        size = max(payload.size(), 1)
        q.stream_bytes = size
        cap._stream_in_flight += size
        q.cap = cap

        def done(fut: "asyncio.Future[Any]") -> None:
            cap._stream_in_flight -= size
            if fut.exception() is not None and cap._stream_error is None:
                exc = fut.exception()
                cap._stream_error = exc if isinstance(exc, RpcError) else RpcError(str(exc))
            waiters, cap._stream_waiters = cap._stream_waiters, None
            for w in waiters or ():
                if not w.done():
                    w.set_result(None)

        q.future.add_done_callback(done)

    async def stream_ready(self, cap: Capability) -> None:
        """Wait until the capability's streaming calls in flight fit the window."""
        while cap._stream_in_flight > self.stream_window:
            if cap._stream_error is not None:
                raise cap._stream_error
            w = self._loop.create_future()
            if cap._stream_waiters is None:
                cap._stream_waiters = []
            cap._stream_waiters.append(w)
            await w
        if cap._stream_error is not None:
            raise cap._stream_error

    def _cancel_question(self, q: _Question, *, awaited: bool = False) -> None:
        """Finish a question before its Return: the peer cancels the call, and no table keeps it.

        By ``Promise.cancel()``, whose future then fails; or (``awaited``) because a task
        awaiting it was cancelled, which cancelled the future: then only while no client
        pipelines on the results, since those still want the call to go on.
        """
        qid = q.qid
        if qid is None and not awaited and not q.future.done():
            # A local call (or one waiting for its target): it fails, and the method is
            # cancelled as the peer would cancel it (or never starts).
            q.pipelines = None
            q.future.set_exception(RpcError("call cancelled by the caller", "failed"))
            q.future.exception()
            ans = q.local
            if ans is not None:
                q.local = None
                self._cancel_local(ans)
            return
        if qid is None or q.response is not None or self._error is not None or self._questions.get(qid) is not q:
            return
        if awaited:
            if not q.future.cancelled() or any(ref() is not None for ref in q.pipelines or ()):
                return
        elif q.future.done():
            return
        self._conn.finish(qid)
        del self._questions[qid]
        if not awaited:
            q.future.set_exception(RpcError("call cancelled by the caller", "failed"))
            q.future.exception()
        self._schedule_flush()

    def _on_return(self, event: ReturnReceived) -> None:
        self._woke_callers = True
        if len(self._outbox) > self._lazy:
            # Messages this batch queued before (Returns of ours) go out ahead of the callers
            # woken from here on, as they would had the batch scheduled their flush at once.
            self._schedule_flush(force=True)
        q = self._questions.pop(event.question_id, None)
        if event.kind is ReturnKind.RESULTS:
            # Imports (the usual entries) become table entries here, the rest through _client.
            clients = [self._table_entry(c, None) if type(c) is RemoteCap else self._client(c, None)
                       for c in event.caps] if event.caps else []
            if q is None:
                for c in clients:
                    if c is not None:
                        c.close()
                self._finish_returned(event.question_id)
                return
            for transform, eid in event.embargoes:
                fut = self._loop.create_future()
                self._embargoes[eid] = fut
                if q.embargoes is None:
                    q.embargoes = {}
                q.embargoes[transform] = fut
            if q.method is None:  # bootstrap: the single capability
                q.cap = clients[0] if clients else None
                if q.cap is None:
                    self._fail(q, RpcError("peer has no bootstrap capability"))
                else:
                    self._settle(q, _BOOT)
            else:
                try:
                    reader = _payload_struct(event.content)
                except DecodeError as exc:
                    for c in clients:
                        if c is not None:
                            c.close()
                    self._fail(q, RpcError(f"bad results: {exc}"))
                else:
                    self._settle(q, StructView(q.method.results, reader, clients, self._make_cap))
            self._finish_returned(event.question_id)
            return
        if event.kind is ReturnKind.TAKE_FROM_OTHER_QUESTION and event.take_from_answer is not None:
            kept = self._kept.pop(event.take_from_answer, None)
            qid = event.question_id
            if q is not None and kept is not None and q.method is not None:
                # The results are still being made by our own answer, for the peer's tail
                # call.  Our Finish would let the peer finish that call, which cancels it:
                # it waits until the results are taken.
                def take(q: _Question = q, kept: _Answer = kept) -> None:
                    self._take_results(q, kept)
                    if self._error is None and self._conn.questions.get(qid) is not None:
                        self._finish_returned(qid)
                        self._hold_or_flush()
                kept.when_finished(take)
                return
            if q is not None:
                self._fail(q, RpcError("tail call results are missing"))
            self._finish_returned(qid)
            return
        if q is not None:
            if event.kind is ReturnKind.EXCEPTION and event.exception is not None:
                self._fail(q, _to_error(event.exception))
            elif event.kind is ReturnKind.CANCELED:
                self._fail(q, RpcError("call was cancelled", "failed"))
            else:
                self._fail(q, RpcError(f"unexpected return: {event.kind.value}", "failed"))
        if self._conn.questions.get(event.question_id) is not None:
            try:
                self._finish_returned(event.question_id)
            except ValueError:
                pass

    def _finish_returned(self, qid: QuestionId) -> None:
        """Queue the Finish of a question that returned: a lazy message (see ``_hold_or_flush``)."""
        conn = self._conn
        before = len(self._outbox)
        conn.finish(qid)
        self._lazy += len(self._outbox) - before

    def _take_results(self, q: _Question, kept: _Answer) -> None:
        """Settle a question whose results our own answer holds (a tail call came back to us)."""
        if kept.results is None or q.method is None:
            self._fail(q, _to_error(kept.exception or RpcException("tail call results are missing")))
            return
        try:
            table = self._copy_table(kept.results.objects)
        except RpcError as exc:  # the method returned a closed client
            self._fail(q, exc)
            return
        self._settle(q, StructView(q.method.results, kept.results.reader(), table, self._make_cap))

    @staticmethod
    def _fail(q: _Question, error: RpcError) -> None:
        q.pipelines = None
        if not q.future.done():
            q.future.set_exception(error)
            q.future.exception()  # an unawaited promise whose pipeline failed is no bug

    # --- server side

    def _extract(self, content: object, transform: Transform) -> Optional[int]:
        return follow_transform(content, [op.pointer_field for op in transform])

    def _on_call(self, event: CallReceived) -> None:
        target = event.target
        ans = _Answer(event.answer_id)
        ans.keep = event.results_to_yourself
        self._answers[event.answer_id] = ans
        if ans.keep:
            self._kept[event.answer_id] = ans
        if isinstance(target, LocalCap):
            obj = target.obj
            if isinstance(obj, _LocalPromise):
                self._deliver(ans, obj, event)
            else:
                self._dispatch(ans, obj, event)
            return
        if isinstance(target, LocalPipeline):
            forwarded = self._forwarding.get(target.answer_id)
            if forwarded is not None:
                self._forward_pipelined(ans, forwarded, target.transform, event)
                return
            owner = self._answers.get(target.answer_id) or self._kept.get(target.answer_id)
            if owner is None:
                self._return_error(ans, RpcException("pipelined call on an unknown answer"))
                return
            self._deliver(ans, _LocalPipelineTarget(owner, target.transform), event)
            return
        # A promise of ours that resolved to the peer's capability: forward.
        self._forward(ans, target, event)

    def _forward(self, ans: _Answer, target: Union[RemoteCap, RemotePromise], event: CallReceived) -> None:
        try:
            caps = [c if not isinstance(c, LocalPipeline) else None for c in event.caps]
            content = _own_content(event.content)
            self._check_size(content, caps, "params")
            self._conn.tail_call(event.answer_id, target, event.interface_id, event.method_id, content, caps)
        except (RpcError, ValueError) as exc:
            self._return_error(ans, _to_rpc_exception(exc))
            return
        self._answers.pop(event.answer_id, None)
        self._schedule_flush()

    def _deliver(self, ans: _Answer, target: Target, event: CallReceived) -> None:
        """Deliver a call on a promise of ours (an answer's results, an exported promise) now,
        or queue it behind earlier ones until the promise settles."""
        if self._error is not None or ans.aid not in self._answers:
            return  # the session ended, or the caller cancelled while it waited
        resolved = self._resolve_target(target)
        if isinstance(resolved, _Wait):
            self._enqueue(resolved.future, lambda: self._deliver(ans, target, event))
        elif isinstance(resolved, _Broken):
            self._return_error(ans, _to_rpc_exception(resolved.error))
        elif isinstance(resolved, (RemoteCap, RemotePromise)):
            self._forward(ans, resolved, event)
        else:
            self._dispatch(ans, resolved, event)

    def _dispatch(self, ans: _Answer, obj: object, event: CallReceived) -> None:
        cls = type(obj)
        methods = cls.__dict__.get(_METHODS_ATTR)  # server_methods(cls), without the call once cached
        if methods is None:
            methods = server_methods(cls)
        method = methods.get((event.interface_id, event.method_id))
        if method is None:
            if type(obj) is Forwarder:
                self._forward_call(ans, obj.cap, event, None)
                return
            if isinstance(obj, Capability):
                self._forward_call(ans, obj, event, None)
                return
            self._return_error(ans, RpcException(
                f"method {event.method_id} of interface {event.interface_id:#x} is not implemented here",
                ExceptionType.UNIMPLEMENTED))
            return
        clients: List[Optional[Capability]] = []
        try:
            for cap in event.caps:
                clients.append(self._client(cap, None))
            params = StructView(method.params, _payload_struct(event.content), clients, self._make_cap)
        except (DecodeError, ProtocolError) as exc:
            for c in clients:
                if c is not None:
                    c.close()  # the imports the params brought go back at once
            self._return_error(ans, RpcException(f"bad params: {exc}"))
            return
        self._start(ans, obj, method, params)

    def _start(self, ans: _Answer, obj: object, method: MethodInfo, params: StructView,
               context: Optional[contextvars.Context] = None) -> None:
        """Run a server method in a task of its own, whose first step runs here, at once: most
        methods finish in it, with no loop turn in between.  ``asyncio.current_task()`` is the
        call's task from the first statement on, so ``asyncio.timeout``, ``wait_for`` and
        ``TaskGroup`` work anywhere in a method and cancel only it.  The task is made directly,
        not through the loop's task factory.  It runs in ``context`` (a local call's: a copy of
        its caller's) or, for the peer's calls, in a copy of the session's own.

        A call to an object that a streaming call holds (see ``_StreamGate``) waits for it
        instead, or fails at once when a streaming call on the object failed."""
        if method.streaming or _GATES:  # an object that never had a streaming call: no gate
            if self._held_by_gate(ans, obj, method, params, context):
                return
        ctx = CallContext(self, method, params)
        ctx._answer_id = ans.aid
        ctx._answer = ans
        ans.ctx = ctx
        if context is None:
            context = self._peer_context.copy()
        try:
            # In the call's context: a plain ``def`` method runs here, all of it.
            result = context.run(self._invoke, obj, method, params, ctx)
        except asyncio.CancelledError:
            self._complete(ans, None, None, True)
            return
        except Exception as exc:
            self._complete(ans, None, exc, False)
            return
        if type(result) is _COROUTINE:
            self._run_task(ans, result, context)
        elif result is None or type(result) in _PLAIN_VALUES:
            self._complete(ans, result, None, False)  # no awaitable check (an ABC check is slow)
        elif isinstance(result, Promise) or inspect.isawaitable(result):
            self._run_task(ans, _await_value(result), context)  # awaited for the results
        else:
            self._complete(ans, result, None, False)

    def _held_by_gate(self, ans: _Answer, obj: object, method: MethodInfo, params: StructView,
                      context: Optional[contextvars.Context]) -> bool:
        """The rules of streaming methods for a call about to start on ``obj``: True when it
        must not start now (queued behind a streaming call, or failed with the exception a
        streaming call on ``obj`` failed with); a streaming call that starts takes the gate."""
        gate = _gate_of(obj)
        if gate is not None:
            if gate.running or (gate.queue and gate.admitting is not ans):
                gate.queue.append((self, ans, obj, method, params, context))
                return True
            if gate.error is not None:
                if params._caps:
                    self._loop.call_soon(params.close)  # as for a call that ran (see _complete)
                self._return_error(ans, gate.error)
                return True
        if method.streaming:
            if gate is None:
                gate = _GATES[id(obj)] = _StreamGate(obj)
            gate.running = True
            ans.gate = gate
        return False

    def _run_task(self, ans: _Answer, coro: Coroutine[Any, Any, Any], context: contextvars.Context) -> None:
        task = ans.task = _start_task(self._loop, self, ans, coro, context)
        if task is not None and ans.aid is not None and self._error is not None:
            task.cancel()  # the session ended during the first step (as _shut_down would)

    @staticmethod
    def _invoke(obj: object, method: MethodInfo, params: StructView, ctx: CallContext) -> Any:
        """Call the method; its result may be the results or an awaitable of them."""
        if type(method) is InvokedMethod:  # a typed server: it gets its own context, no kwargs
            return method.invoke(obj, ctx)
        impl = getattr(obj, method.name, None)
        if impl is None:
            impl = getattr(obj, method.name + "_context", None)
            if impl is None:
                raise RpcError(f"method {method.name} not implemented", "unimplemented")
            return impl(ctx)
        schema = method.params
        if not schema.non_union_fields and not schema.has_union:
            return impl(_context=ctx)  # no params (as for a getter): no kwargs to collect
        get = params._get_field
        kwargs = {f.name: get(f) for f in schema.non_union_fields}
        if schema.has_union:  # the active member too (what params._active_fields() adds)
            for f in params._active_fields():
                if f.in_union:
                    kwargs[f.name] = get(f)
        kwargs["_context"] = ctx
        return impl(**kwargs)

    def _finished(self, ans: _Answer, value: Any, error: Optional[BaseException], cancelled: bool) -> None:
        """The task running a method is ending: complete the call from inside it."""
        try:
            self._complete(ans, value, error, cancelled)
        except Exception as exc:  # a bug of ours: reported; the task ends all the same
            self._loop.call_exception_handler({"message": "completing an RPC call failed", "exception": exc})
        if self._flush_scheduled and not self._answers and not self._in_batch:
            # The last call running here is over: its Return goes now, not a loop turn later
            # (no other call of ours could still add its own to that write).
            self._flush()

    def _complete(self, ans: _Answer, value: Any, error: Optional[BaseException], cancelled: bool) -> None:
        """A server method finished: record its results or error, return them to the caller."""
        gate = ans.gate
        if gate is not None:
            # A streaming call: once it has returned, a failure breaks the object for every
            # later call, and the calls it held back start.
            ans.gate = None
            try:
                self._complete(ans, value, error, cancelled)
            finally:
                if not cancelled and ans.exception is not None and gate.error is None:
                    gate.error = ans.exception
                gate.running = False
                gate.drain()
            return
        ctx = ans.ctx
        assert ctx is not None
        exc: Optional[RpcException] = None
        if cancelled:
            exc = RpcException("call cancelled")
        elif error is not None:
            exc = _to_rpc_exception(error)
        if exc is None:
            try:
                results = ctx._results
                if results is None:
                    results = ctx._results = _Results(ctx.method.results, False)
                if ctx._tail_request is None and value is not ctx._tail_response:
                    results.fill(value, ctx.method)
                ans.results = results
            except Exception as error2:  # a bad return value is the method's failure
                exc = _to_rpc_exception(error2)
        if exc is not None:
            ans.exception = exc
        ready = ans.ready
        if ans.waiters is None and ready is None:
            ans.finished = True  # what finish() does when nobody waits
        elif (ready is not None and not ready.done() and self._inline_depth < _MAX_INLINE_DEPTH
              and ready in self._waitq):
            # Drained below, inline: the future's callback would find the queue gone.  Should
            # anything in between raise, the queue is drained all the same.
            ready.remove_done_callback(self._drain_waitq)
            try:
                ans.finish()
            except BaseException:
                self._loop.call_soon(self._drain_waitq, ready)
                raise
        else:
            ans.finish()
        try:
            params = ctx.params
            if params._caps:
                # The call is over: its params' capabilities go, on the next turn, once the rest
                # of what arrived with the call was processed (a method that finished inline
                # must not release them between two messages of one batch).
                self._loop.call_soon(params.close)
            if ans.aid is not None:
                self._answers.pop(ans.aid, None)
                if self._error is None:
                    self._send_return(ans, ctx, exc)
                    ready = ans.ready
                    if ready is not None and ready in self._waitq and not self._in_batch:
                        # Calls pipelined on this answer run next: outside a received batch
                        # the Return is written first, so the caller reads it while they run.
                        self._write_early()
            # Over: no pipeline to publish, nothing to cancel.  Dropping the links back to the
            # answer leaves no cycle, so the call's objects go as soon as nothing uses them.
            ctx._answer = None
            ans.task = None
            if ctx._on_returned is None:
                ctx._on_returned = _RAN  # what _returned() does when no callback was added
            else:
                ctx._returned()
        except BaseException:
            # Calls pipelined on the answer still go (their queue's own callback may be gone).
            ready = ans.ready
            if ready is not None and ready in self._waitq:
                self._loop.call_soon(self._drain_waitq, ready)
            raise
        ready = ans.ready
        if ready is not None:
            # Calls pipelined on this answer go now, right behind its Return (inside a received
            # batch their Returns then share its write), not on a later turn through the
            # future's callback (which then finds nothing).
            self._drain_now(ready)

    def _send_return(self, ans: _Answer, ctx: CallContext, exc: Optional[RpcException]) -> None:
        assert ans.aid is not None
        if exc is None and ctx._tail_request is not None:
            self._tail(ans, ctx._tail_request)
        elif exc is not None:
            self._conn.return_exception(ans.aid, exc)
        else:
            assert ans.results is not None
            try:
                objects = ans.results.objects
                content = ans.results.content
                if ans.keep:  # the results stay here: the Return carries none of them
                    caps: Sequence[OutCap] = _kept_caps(objects)
                else:
                    caps = [self._out_cap(o) for o in objects] if objects else ()
                    if content.message._last.id or (caps and len(caps) > _FEW_CAPS):  # as for a call
                        self._check_size(content, caps, "results")
                self._conn.return_results(ans.aid, content, caps)
            except (RpcError, TypeError, ValueError) as error3:
                # The call fails instead, for calls pipelined on it here as well.
                ans.results = None
                ans.exception = _to_rpc_exception(error3)
                self._conn.return_exception(ans.aid, ans.exception)
        self._schedule_flush()

    def _tail(self, ans: _Answer, request: "Request") -> None:
        assert ans.aid is not None
        method: MethodInfo = request._method
        payload: _Results = request._payload
        try:
            target = request._cap._resolved_target()
            if not isinstance(target, (RemoteCap, RemotePromise)):
                raise RpcError("tail call target is no longer the peer's", "failed")
            caps = [self._out_cap(o) for o in payload.objects]
            self._check_size(payload.content, caps, "params")
            self._conn.tail_call(ans.aid, target, method.interface_id, method.ordinal, payload.content, caps)
        except (RpcError, TypeError, ValueError) as error:
            if self._conn.answers.get(ans.aid) is not None:
                self._conn.return_exception(ans.aid, _to_rpc_exception(error))

    def _return_error(self, ans: _Answer, exc: RpcException) -> None:
        ans.exception = exc
        ans.finish()
        if ans.aid is not None:
            self._answers.pop(ans.aid, None)
            if self._error is None:
                self._conn.return_exception(ans.aid, exc)
                self._schedule_flush()

    # --- forwarding: capabilities of other connections (see forward.py)

    def _bootstrap_forwarder(self, cap: Capability) -> Forwarder:
        """Our bootstrap object when it is another session's capability: kept until we close."""
        return self._new_forwarder(cap, persistent=True)

    def _new_forwarder(self, cap: Capability, persistent: bool) -> Forwarder:
        fwd = Forwarder(Capability(cap._session, cap._target, cap._iface), persistent, self._forget_forwarder)
        self._forwarders[fwd] = None
        return fwd

    def _forget_forwarder(self, fwd: Forwarder) -> None:
        self._forwarders.pop(fwd, None)

    def _foreign_out(self, cap: Capability) -> OutCap:
        """Send another session's capability: ours coming home is sent as ours, a server object
        as itself, anything else as a new forwarder that the export keeps alive."""
        if cap._closed:
            raise RpcError("capability client was closed", "failed")
        home: Session = cap._session
        target = home._resolve_target(cap._target)
        if isinstance(target, Capability):  # a client of yet another session's (see _bind)
            return self._out_cap(target)
        if isinstance(target, _Broken):
            raise target.error
        if type(target) is Forwarder and target.cap._session is self and not target.closed:
            return self._out_cap(target.cap)
        if _server_interface(target) is not None:
            return LocalCap(target)
        home._check_open()
        fwd = self._new_forwarder(cap, persistent=False)
        fresh = self._fresh
        fresh.append(fwd)
        if len(fresh) == 1:
            self._loop.call_soon(self._sweep_forwarders)
        return LocalCap(fwd)

    def _sweep_forwarders(self) -> None:
        """Close forwarders made for a message that did not export them (a call that could not
        go out, a return the caller had cancelled): nothing else refers to them."""
        fresh, self._fresh = self._fresh, []
        exports = self._conn.exports
        for fwd in fresh:
            if self._error is not None or exports.find(fwd) is None:
                fwd.close()

    def _adopt(self, cap: Capability) -> Capability:
        """A cap-table entry of ours for another session's client (the params of a local call)."""
        target = cap._session._resolve_target(cap._target)
        if isinstance(target, Capability):  # a client of yet another session's (see _bind)
            if target._session is self:
                return self._table_entry(target._target, target._iface)
            cap = target
            target = cap._session._resolve_target(cap._target)
        if type(target) is Forwarder and target.cap._session is self and not target.closed:
            return self._table_entry(target.cap._target, target.cap._iface)
        if _server_interface(target) is not None or isinstance(target, _Broken):
            return self._table_entry(target, cap._iface)
        # Another connection's capability: the table owns a client of that connection, released
        # with the table unless read out (then its reader owns it).
        home: Session = cap._session
        return home._table_entry(cap._target, cap._iface)

    def _forward_call(self, ans: _Answer, cap: Capability, event: CallReceived,
                      pipe: Optional[Capability]) -> None:
        """Pass the peer's call on to another session's capability; the Return comes back here.

        The params' capabilities become our clients, which the other session sends on
        (forwarded in turn); they and ``pipe`` belong to the call and go when it is over.
        """
        owned: List[Capability] = [] if pipe is None else [pipe]
        home: Session = cap._session
        try:
            clients = [self._client(c, None) for c in event.caps]
        except (ProtocolError, TypeError) as exc:
            for c in owned:
                c.close()
            self._return_error(ans, RpcException(f"bad params: {exc}"))
            return
        owned.extend([c for c in clients if c is not None])
        try:
            if cap._closed:
                raise RpcError("the forwarded capability was released", "failed")
            payload: Any = RawPayload(_own_content(event.content), clients)
            inner = home._send_call(cap, raw_method(event.interface_id, event.method_id), payload)._question
        except Exception as exc:
            for c in owned:
                c.close()
            self._return_error(ans, _to_rpc_exception(exc))
            return
        assert ans.aid is not None
        forwarded = ForwardedCall(home, inner, owned)
        self._forwarding[ans.aid] = forwarded
        inner.future.add_done_callback(lambda _: self._forward_returned(ans, forwarded))

    def _forward_pipelined(self, ans: _Answer, forwarded: ForwardedCall, transform: Transform,
                           event: CallReceived) -> None:
        """A call pipelined on a forwarded call: pipelined on the other session's question too."""
        ops = tuple([op.pointer_field for op in transform if op.pointer_field is not None])
        pipe = Capability(forwarded.session, _Promised(forwarded.question, ops), None)
        self._forward_call(ans, pipe, event, pipe)

    def _forward_returned(self, ans: _Answer, forwarded: ForwardedCall) -> None:
        """The forwarded call is over: copy its results (or error) into our Return."""
        aid = ans.aid
        assert aid is not None
        if self._forwarding.get(aid) is forwarded:
            del self._forwarding[aid]
        owned, forwarded.owned = forwarded.owned, []
        q = forwarded.question
        response = q.response
        try:
            if self._error is not None or aid not in self._answers:
                return
            if response is None:
                exc = q.future.exception() if q.future.done() and not q.future.cancelled() else None
                self._return_error(ans, _to_rpc_exception(exc) if exc is not None
                                   else RpcException("forwarded call was cancelled"))
                return
            self._answers.pop(aid, None)
            if ans.keep:
                # Results a tail call keeps here (sendResultsTo.yourself): nothing is
                # exported, so they keep clients of their own, for the question that takes
                # them (see _take_results).
                kept_reader = _own_content(response.reader)
                kept_objects = self._copy_table(response._caps)
                kept_results: Any = RawResults(kept_reader, kept_objects)  # as a _Results
                ans.results = kept_results
                ans.finish()
                self._conn.return_results(aid, kept_reader, _kept_caps(kept_objects))
                self._schedule_flush()
                return
            try:
                caps = [self._out_cap(c) for c in response._caps]
                reader = _own_content(response.reader)
                self._check_size(reader, caps, "results")
            except (RpcError, TypeError, ValueError) as exc2:
                ans.exception = _to_rpc_exception(exc2)
                ans.finish()
                self._conn.return_exception(aid, ans.exception)
            else:
                # Calls that waited on this answer reach the same forwarders the Return exports.
                objects = [c.obj if isinstance(c, LocalCap) else c for c in caps]
                results: Any = RawResults(reader, objects)
                ans.results = results
                ans.finish()
                self._conn.return_results(aid, reader, caps)
            self._schedule_flush()
        finally:
            if response is not None:
                response.close()  # the forwarders made above hold their own references
            for c in owned:
                c.close()

    def _cancel_forwarded(self, forwarded: ForwardedCall) -> None:
        """The peer finished a forwarded call early: cancel it on the other session."""
        forwarded.session._cancel_question(forwarded.question)

    def _call_through(self, obj: object, method: MethodInfo, payload: _Results, q: _Question) -> None:
        """A call of ours on a forwarder or another session's client: made there, settled here."""
        cap: Capability = obj.cap if isinstance(obj, Forwarder) else obj  # type: ignore[assignment]

        def send() -> Promise:
            if cap._closed:
                raise RpcError("the forwarded capability was released", "failed")
            return cap._session._send_call(cap, method, payload)

        self._settle_by(q, send)

    def _close_forwarding(self) -> None:
        """The session ended: cancel the calls forwarded for the peer, close every forwarder."""
        forwarding, self._forwarding = self._forwarding, {}
        for forwarded in forwarding.values():
            forwarded.session._cancel_question(forwarded.question)
            owned, forwarded.owned = forwarded.owned, []
            for c in owned:
                c.close()
        self._fresh = []
        for fwd in list(self._forwarders):
            fwd.close()

    # --- local calls (a client whose target is one of our own servers)

    def _run_local_starts(self) -> None:
        """Start the local calls made so far, in the order they were made (E-order)."""
        # One shared queue: a start nested in another (a method awaiting a local call it just
        # made) runs the earlier calls first, so E-order holds.
        starts = self._local_starts
        handle, self._local_handle = self._local_handle, None
        if handle is not None:
            handle.cancel()  # run now (or from it): nothing left for it to do
        try:
            while starts:
                self._start(*starts.popleft())
        finally:
            if starts and self._local_handle is None:  # interrupted: the rest go on the next turn
                self._local_handle = self._loop.call_soon(self._run_local_starts)

    def _cancel_local(self, ans: _Answer) -> None:
        """The caller cancelled a local call: drop it if it has not started, else cancel its
        method as a Finish from the peer would."""
        for entry in self._local_starts:
            if entry[0] is ans:
                self._local_starts.remove(entry)
                entry[3].close()  # its params' capabilities
                return
        if ans.ctx is None and not ans.finished:  # held back by a streaming call: never runs
            self._return_error(ans, RpcException("call cancelled"))
            return
        if ans.ctx is not None:
            ans.ctx.cancelled = True
        if ans.task is not None:
            ans.task.cancel()

    def _start_local_now(self) -> None:
        """A caller awaits a local call not started yet: start the pending ones now, saving
        the loop turn to start them and the one to wake the caller (most finish inline)."""
        if self._inline_depth < _MAX_INLINE_DEPTH:
            self._inline_depth += 1
            try:
                self._run_local_starts()
            finally:
                self._inline_depth -= 1

    def _call_local(self, obj: object, method: MethodInfo, payload: _Results, q: _Question) -> None:
        if type(obj) is Forwarder or isinstance(obj, Capability):
            self._call_through(obj, method, payload, q)
            return
        # The server's own entry for the method, as for a call from the peer: the caller may be
        # typed and the server dynamic, or the other way round.
        own = server_methods(type(obj)).get((method.interface_id, method.ordinal), method)
        params = StructView(own.params, payload.reader(), self._copy_table(payload.objects), self._make_cap)
        ans = _Answer(None)
        # On the next turn, or when the caller awaits it, whichever comes first; never inside
        # the caller's send().  The method's task starts eagerly (see _start).
        starts = self._local_starts
        starts.append((ans, obj, own, params, contextvars.copy_context()))
        if self._local_handle is None:
            self._local_handle = self._loop.call_soon(self._run_local_starts)
        q.local_start = True
        q.local = ans

        def done() -> None:
            q.local = None
            if ans.exception is not None:
                self._fail(q, _to_error(ans.exception))
            elif ans.results is not None:
                try:
                    table = self._copy_table(ans.results.objects)
                except RpcError as exc:  # the method returned a closed client
                    self._fail(q, exc)
                    return
                self._settle(q, StructView(method.results, ans.results.reader(), table, self._make_cap))

        ans.when_finished(done)


_NOTHING = object()
_DONE = object()

if sys.version_info >= (3, 12):
    def _start_task(loop: asyncio.AbstractEventLoop, session: "Session", ans: _Answer,
                    coro: Coroutine[Any, Any, Any], context: contextvars.Context) -> Optional["asyncio.Task[Any]"]:
        """A task running a method in ``context``, its first step run at once (eagerly); None
        when the method ended there."""
        task: "asyncio.Task[Any]" = asyncio.Task(  # type: ignore[call-arg, unused-ignore]
            _Resumed(session, ans, coro), loop=loop, context=context, eager_start=True)
        return None if task.done() else task
else:
    from asyncio.tasks import _enter_task, _leave_task

    def _start_task(loop: asyncio.AbstractEventLoop, session: "Session", ans: _Answer,
                    coro: Coroutine[Any, Any, Any], context: contextvars.Context) -> Optional["asyncio.Task[Any]"]:
        """What 3.12's eager tasks do, by hand: the first step runs at once, in ``context``,
        with a task current; None when the method ended there.

        That task is the session's parked host (see _Host): most methods end in their first
        step, and then no task was made for them.  A method that suspends keeps the host,
        which goes on running it, and the session parks a new one for the next call."""
        resumed = _ResumedInContext(session, ans, coro, context)
        host: Optional[_Host] = session._host
        if host is not None and (host.wake.done() or host.task._must_cancel):  # type: ignore[attr-defined]
            session._host = host = None  # retired, or cancelled from outside while parked
        if host is None:
            if session._error is not None:  # ended: nothing would retire a host parked now
                return _plain_task(loop, resumed)
            host = session._host = _Host(loop)
        elif host.busy:  # a first step nested in another's
            return _plain_task(loop, resumed)
        task = host.task
        host.busy = True
        try:
            ended = _first_step(loop, task, resumed)
        finally:
            host.busy = False
            if task._callbacks:
                # The method asked to hear of its task's end: it ends now, and the next call
                # gets another.  (One that cancelled its task is dropped when the next comes.)
                if session._host is host:
                    session._host = None
                host.retire()
        if ended:
            return None
        if session._host is host:
            session._host = None
        host.carry(resumed)
        return task

    def _plain_task(loop: asyncio.AbstractEventLoop, resumed: "_Resumed") -> Optional["asyncio.Task[Any]"]:
        task: "asyncio.Task[Any]" = asyncio.Task(resumed, loop=loop)
        return None if _first_step(loop, task, resumed) else task

    def _first_step(loop: asyncio.AbstractEventLoop, task: "asyncio.Task[Any]", coro: "_Resumed") -> bool:
        current = asyncio.current_task(loop)
        if current is not None:
            _leave_task(loop, current)
        _enter_task(loop, task)
        try:
            return coro.run_first()
        finally:
            _leave_task(loop, task)
            if current is not None:
                _enter_task(loop, current)

    class _Host(Coroutine[Any, Any, Any]):
        """The coroutine of a session's parked task, before Python 3.12: it waits on ``wake``
        until a method that suspended in its first step (run as this task) is handed over,
        then runs that method to its end; or ends when retired or cancelled while parked."""

        __slots__ = ("task", "wake", "method", "busy")

        def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
            self.wake: "asyncio.Future[None]" = loop.create_future()
            self.method: Optional[_Resumed] = None
            self.busy = False  # a first step runs as this task now
            self.task: "asyncio.Task[Any]" = asyncio.Task(self, loop=loop)

        @property
        def __name__(self) -> str:  # what asyncio shows for the task
            return "parked RPC method task" if self.method is None else self.method.__name__

        def carry(self, method: "_Resumed") -> None:
            self.method = method
            self.retire()

        def retire(self) -> None:
            if not self.wake.done():
                self.wake.set_result(None)

        def send(self, value: Any) -> Any:
            method = self.method
            if method is not None:
                try:
                    return method.send(value)
                except BaseException:
                    self._end()
                    raise
            wake = self.wake
            if wake.done():
                self._end()
                raise StopIteration  # retired
            wake._asyncio_future_blocking = True  # what ``await wake`` would set
            return wake

        def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
            method = self.method
            if method is not None:
                try:
                    return method.throw(typ, val, tb)
                except BaseException:
                    self._end()
                    raise
            self.wake.cancel()  # cancelled while parked: it ends, and is seen to have ended
            self._end()
            raise typ if val is None else val

        def _end(self) -> None:
            """The task ends with this step: drop the links that made a cycle with it."""
            self.task = None  # type: ignore[assignment]
            self.method = None

        def close(self) -> None:
            if self.method is not None:
                self.method.close()

        def __await__(self) -> Generator[Any, None, Any]:
            return self

        def __iter__(self) -> "_Host":
            return self

        def __next__(self) -> Any:
            return self.send(None)


# Return values that are results as they are, never awaitables.
_PLAIN_VALUES = frozenset([int, float, bool, str, bytes, tuple, dict, list, StructView, StructBuild])
_MAX_INLINE_DEPTH = 8
_COROUTINE = types.CoroutineType  # what ``async def`` methods return


async def _await_value(value: Any) -> Any:
    """Await what a method returned (an awaitable, a Promise, or one giving a Promise)."""
    if inspect.isawaitable(value):
        value = await value
    if isinstance(value, Promise):
        value = await value
    return value


def _own_content(content: Any) -> Any:
    """Received content copied into a message of our own, for passing it on: reading it all
    now makes malformed content fail the call at hand (DecodeError, a ValueError), not a
    later write of this or another connection."""
    if isinstance(content, AnyPointerReader):
        copy = MessageBuilder()
        copy.set_root_pointer(content)
        return copy.root_pointer_reader()
    if isinstance(content, StructReader):
        copy = MessageBuilder()
        copy.set_root(content)
        return copy.root_pointer_reader().get_struct()
    return content


class _Resumed(Coroutine[Any, Any, Any]):
    """A server method's coroutine run by a task, which completes the call when the coroutine
    ends, inside the task's last step (a done callback would cost another loop turn).

    Where tasks cannot start eagerly (before Python 3.12), ``run_first`` runs the first step
    at once, with the task made current; the task's own first step then gets the object that
    step yielded (the future it waits for), as if the task had run it, or ends at once when
    the method already finished.  Everything after goes straight to the coroutine.
    """

    __slots__ = ("_session", "_ans", "_coro", "_first", "_unmarked")

    def __init__(self, session: "Session", ans: _Answer, coro: Coroutine[Any, Any, Any]) -> None:
        self._session = session
        self._ans = ans
        self._coro = coro
        # What the first step yielded; _DONE when the method ended in it; _NOTHING when it has
        # not run or was handed over.
        self._first: Any = _NOTHING
        self._unmarked = False  # run_first cleared the awaited mark of the future in _first

    @property
    def __name__(self) -> str:  # what asyncio shows for the task: the method's own name
        return getattr(self._coro, "__qualname__", "RPC method")

    def run_first(self) -> bool:
        """Run the method's first step; True when it ended there (the call is then complete)."""
        try:
            first = self._step(self._coro.send, None)
            if getattr(first, "_asyncio_future_blocking", False):
                # Until the task takes it, the future must not look awaited: another method's
                # first step may await it meanwhile, which asyncio refuses for a future still
                # marked.  The mark is set again when the task takes it (``send``).
                first._asyncio_future_blocking = False
                self._unmarked = True
            self._first = first
            return False
        except (StopIteration, asyncio.CancelledError):
            self._first = _DONE
            return True
        except BaseException:
            self._first = _DONE
            raise

    def send(self, value: Any) -> Any:
        first = self._first
        if first is not _NOTHING:
            self._first = _NOTHING
            if first is _DONE:
                raise StopIteration
            return self._marked(first)
        return self._step(self._coro.send, value)

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        first, self._first = self._first, _NOTHING
        if first is _DONE:  # cancelled after the method ended in its first step
            raise StopIteration
        message = val.args[0] if isinstance(val, BaseException) and val.args else None
        if first is not _NOTHING and asyncio.isfuture(first) and first.cancel(message):
            # Cancelled before the task's own first step: what the method waits for is
            # cancelled, as Task.cancel() does once a task waits; the task then waits on it and
            # the method gets the CancelledError where it waits.
            return self._marked(first)
        # Otherwise the coroutine sees it where it waits.
        if val is None and tb is None:
            return self._step(self._coro.throw, typ)
        return self._step(self._coro.throw, typ, val, tb)  # the older three-argument form

    def _marked(self, first: Any) -> Any:
        """The first step's future, handed to the task marked again as ``await`` marked it."""
        if self._unmarked:
            self._unmarked = False
            first._asyncio_future_blocking = True
        return first

    def _step(self, step: Callable[..., Any], *args: Any) -> Any:
        """One step of the method; when it is the last, the call is completed here."""
        try:
            return step(*args)
        except StopIteration as stop:
            self._session._finished(self._ans, stop.value, None, False)
            raise StopIteration from None
        except asyncio.CancelledError:
            self._session._finished(self._ans, None, None, True)
            raise
        except Exception as exc:
            self._session._finished(self._ans, None, exc, False)
            raise StopIteration from None
        except BaseException as exc:  # KeyboardInterrupt, SystemExit: answered, then let through
            self._session._finished(self._ans, None, exc, False)
            raise

    def close(self) -> None:
        self._coro.close()

    def __await__(self) -> Generator[Any, None, Any]:
        return self

    def __iter__(self) -> "_Resumed":
        return self

    def __next__(self) -> Any:
        return self.send(None)


class _ResumedInContext(_Resumed):
    """Before Python 3.12, where the task running a method is shared or takes no context:
    every step of the method runs in the call's own."""

    __slots__ = ("_context",)

    def __init__(self, session: "Session", ans: _Answer, coro: Coroutine[Any, Any, Any],
                 context: contextvars.Context) -> None:
        super().__init__(session, ans, coro)
        self._context = context

    def _step(self, step: Callable[..., Any], *args: Any) -> Any:
        return super()._step(self._context.run, step, *args)

    def close(self) -> None:
        self._context.run(self._coro.close)


class _Broken:
    __slots__ = ("error",)

    def __init__(self, error: RpcError) -> None:
        self.error = error


class _LocalPipelineTarget:
    """A capability in the results of one of our answers (sent back by the peer, or pipelined)."""

    __slots__ = ("answer", "transform")

    def __init__(self, answer: _Answer, transform: Transform) -> None:
        self.answer = answer
        self.transform = transform


def _cap_at(response: StructView, ops: Tuple[int, ...]) -> Any:
    """The cap-table entry (client, server object or None) at ``ops`` in some results."""
    index = follow_transform(response.reader, list(ops))
    if index is None:
        return None
    caps = response._caps
    if not 0 <= index < len(caps):
        raise RpcError("pipelined capability index outside the results' cap table")
    return caps[index]


_EMPTY_MB = MessageBuilder(4)
_EMPTY_MB.init_root(0, 0)


def _payload_struct(content: object) -> StructReader:
    """The struct a payload's content points at; a null pointer reads as an empty struct.

    A list, or a bare capability, where params or results belong is malformed."""
    if isinstance(content, AnyPointerReader):
        reader = content.get_struct()  # DecodeError for a list
        return _empty_reader() if reader is None else reader
    if content is None:
        return _empty_reader()
    raise DecodeError("expected a struct pointer, found a capability")


def _empty_reader() -> StructReader:
    return _EMPTY_MB.root_reader()


_EMPTY = None
_BOOT = StructView.__new__(StructView)
