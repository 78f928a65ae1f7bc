"""Typed RPC clients and servers for generated modules.

For every interface ``I`` the code generator emits ``I_Client`` (a
:class:`TypedClient`) and ``I_Server`` (a :class:`TypedServer`); this module
is what they run on.  Params and results are the generated builder and
reader classes, so mypy checks every field a call reads or writes::

    calc = Calculator_Client(session.bootstrap())
    req = calc.evaluate_request()
    req.params.expression.literal = 123.0
    value = calc.evaluate(req.params).client(Calculator_Value_Client, 0)   # pipelined
    print((await value.read()).results.value)

    class MyCalculator(Calculator_Server):
        async def evaluate(self, context: TypedCallContext[...]) -> None:
            context.results.value = context.add_cap(MyValue(...))

Capabilities travel as cap-table indexes, as in the generated classes:
``request.add_cap(obj)`` / ``context.add_cap(obj)`` put a client or server
object in the outgoing table and return the index to store in an interface
field; ``response.cap(index)`` / ``context.params_cap(index)`` (or
``client(cls, index)``) turn a received index into a client.  Ownership is
the dynamic API's: a response or the params own the capabilities in their
message until read out (the first read takes that reference) or closed.

Calls go through the same ``Session`` as the dynamic API: a typed client can
call a dynamic server and the other way round, and a typed server object is
accepted wherever a capability is (bootstrap, ``add_cap`` of either API).
Pipelining names a capability by its pointer path: the pointer-section
indexes from the results struct down to the interface field, as in the
protocol's ``PromisedAnswer`` transform.  Generated promises spell the paths
as properties: an interface field gives its client, a struct or group field
holding capabilities a :class:`TypedPipeline` whose properties go on down.
"""

from __future__ import annotations

import inspect
from typing import (
    Any,
    Callable,
    ClassVar,
    Dict,
    Generator,
    Generic,
    List,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
)

from ..codegen import runtime as _rt
from ..errors import DecodeError, RpcError
from ..schema.model import Node
from ..wire.layout import MessageReader, StructReader
from ..wire.segments import read_segment
from ._schema import InterfaceInfo, MethodInfo, StructSchema, StructView
from .session import (
    CallContext,
    Capability,
    InvokedMethod,
    Promise,
    _Promised,
    _Results,
    _server_interface,
)

__all__ = [
    "TypedClient",
    "TypedServer",
    "TypedRequest",
    "TypedPromise",
    "TypedResponse",
    "TypedPipeline",
    "TypedCallContext",
    "StreamRequest",
    "StreamPromise",
    "interface",
    "unimplemented",
]

P = TypeVar("P")  # params: a generated builder (client side) or reader (server side)
R = TypeVar("R")  # results: a generated reader (client side) or builder (server side)
C = TypeVar("C", bound="TypedClient")
TP = TypeVar("TP", bound="TypedPromise[Any]")
TR = TypeVar("TR", bound="_RequestBase[Any]")


# --- Interfaces and methods -------------------------------------------------------------------------


def _struct_schema(name: str, builder: Type[_rt.BuilderBase]) -> StructSchema:
    """The session's view of a generated struct: only its size (typed code reads the fields)."""
    node = Node(0, name, "struct")
    node.data_word_count = builder._DW
    node.pointer_count = builder._PC
    return StructSchema(node)


class _Invoker:
    """Runs one method of a typed server with a typed context (the session's ``invoke`` hook)."""

    __slots__ = ("attr", "method")

    def __init__(self, attr: str, method: _rt.MethodInfo) -> None:
        self.attr = attr  # the Python name of the server method
        self.method = method  # the generated method table entry

    def __call__(self, obj: object, ctx: CallContext) -> Any:
        impl = getattr(obj, self.attr, None)
        if impl is None:
            raise unimplemented(self.method.name)
        m = self.method
        typed: TypedCallContext[Any, Any] = TypedCallContext(ctx, m.params(ctx.params.reader), m.results_builder())
        return _run(impl, typed)


async def _run(impl: Callable[[Any], Any], context: "TypedCallContext[Any, Any]") -> None:
    """Await the server method, then hand its results builder to the session."""
    value = impl(context)
    if inspect.isawaitable(value):
        value = await value
    if value is not None:
        raise TypeError(f"{context._ctx.method.name} must return None; set context.results instead")
    context._ctx._results = context._payload()


class _TypedInterface(InterfaceInfo):
    """An interface described by a generated module's method tables instead of schema nodes."""

    def __init__(self, namespace: Any, supers: Sequence[InterfaceInfo], attrs: Sequence[str],
                 streaming: Sequence[int]) -> None:
        # No schema node here: the parent's constructor would read one.
        self.id = int(namespace.INTERFACE_ID)
        self.name = namespace.__name__
        self.methods: Dict[str, MethodInfo] = {}
        self.by_key: Dict[Tuple[int, int], MethodInfo] = {}
        self.ancestors: List[int] = [self.id]
        table: Sequence[_rt.MethodInfo] = namespace.METHODS
        if len(attrs) != len(table):
            raise TypeError(f"{self.name}: {len(attrs)} method names for {len(table)} methods")
        for rt, attr in zip(table, attrs):
            info = InvokedMethod(
                rt.name, rt.interface_id, rt.method_id,
                _struct_schema(rt.name + "$Params", rt.params_builder),
                _struct_schema(rt.name + "$Results", rt.results_builder),
                rt.method_id in streaming, _Invoker(attr, rt))
            self.methods[rt.name] = info
            self.by_key[(rt.interface_id, rt.method_id)] = info
        for sup in supers:
            for name, m in sup.methods.items():
                self.methods.setdefault(name, m)  # the most derived name wins
            for key, m in sup.by_key.items():
                self.by_key.setdefault(key, m)
            for aid in sup.ancestors:
                if aid not in self.ancestors:  # diamonds: each ancestor once
                    self.ancestors.append(aid)

    def is_a(self, other: InterfaceInfo) -> bool:
        # Only towards other typed descriptions: a capability read by the dynamic API must take
        # the dynamic interface, whose methods carry the schemas that API builds params from.
        return isinstance(other, _TypedInterface) and other.id in self.ancestors

    def method(self, rt: _rt.MethodInfo) -> MethodInfo:
        found = self.by_key.get((rt.interface_id, rt.method_id))
        if found is None:
            raise RpcError(f"{self.name} has no method {rt.name}", "failed")
        return found


def interface(namespace: Any, supers: Sequence[InterfaceInfo] = (), attrs: Sequence[str] = (),
              streaming: Sequence[int] = ()) -> InterfaceInfo:
    """The session's description of a generated interface (used by the generated stubs).

    ``namespace`` is the generated interface class (``INTERFACE_ID``, ``METHODS``),
    ``supers`` the interfaces it extends, ``attrs`` the Python name of each
    method in ``METHODS`` order, ``streaming`` the ordinals of ``-> stream`` methods.
    """
    return _TypedInterface(namespace, supers, attrs or [m.name for m in namespace.METHODS], streaming)


def unimplemented(name: str) -> RpcError:
    """The error a generated server method raises when it is not overridden."""
    return RpcError(f"method {name} not implemented", "unimplemented")


# An interface nothing is known about, for clients read without a class.
_ANY = InterfaceInfo.__new__(InterfaceInfo)
_ANY.id = 0
_ANY.name = "capability"
_ANY.methods = {}
_ANY.by_key = {}
_ANY.ancestors = [0]


# --- Payloads ---------------------------------------------------------------------------------------


def _flat_reader(builder: _rt.BuilderBase) -> StructReader:
    """A generated builder laid out as a one-segment message, read back as a layout struct."""
    # The serialized bytearray is ours alone: read it in place, no copy.
    seg = read_segment(0, _rt.serialize(builder, False))
    return MessageReader.from_segment(seg).root()


def _copied_payload(schema: StructSchema, src: StructReader, for_call: bool) -> _Results:
    """The session's payload holding a copy of ``src`` (cap pointers keep their indexes)."""
    out = _Results(schema, for_call)
    dst = out.content.struct
    dst.copy_data_from(src)
    for i in range(min(src.ptr_count, dst._pcount)):
        if not src.is_null(i):
            dst.set_pointer(i, src.get_pointer(i))
    return out


def _payload(schema: StructSchema, builder: _rt.BuilderBase, objects: Sequence[Any], for_call: bool) -> _Results:
    """The session's payload for a generated builder: built inside the outgoing message."""
    out = _copied_payload(schema, _flat_reader(builder), for_call)
    out.objects.extend(objects)
    return out


def _payload_of_view(schema: StructSchema, view: StructView) -> _Results:
    """The session's payload holding a copy of received results, their capabilities included."""
    out = _copied_payload(schema, view.reader, False)
    out.objects.extend(_read_cap(view, i, None) for i in range(len(view._caps)))
    return out


def _check_cap(obj: object) -> object:
    """What goes in an outgoing cap table for ``obj`` (a client or a server object)."""
    if isinstance(obj, TypedClient):
        return obj.capability
    if obj is None or isinstance(obj, Capability) or _server_interface(obj) is not None:
        return obj
    raise TypeError(f"{type(obj).__name__} is neither a capability, a typed client nor a server")


def _own_interface(entry: object) -> InterfaceInfo:
    if isinstance(entry, Capability) and entry._iface is not None:
        return entry._iface
    found = _server_interface(entry)
    return found if found is not None else _ANY


def _read_cap(view: StructView, index: Optional[int], iface: Optional[InterfaceInfo]) -> Optional[Capability]:
    """The client for entry ``index`` of a received cap table (None for a null pointer)."""
    if index is None:
        return None
    caps = view._caps
    if not 0 <= index < len(caps):
        raise DecodeError(f"capability index {index} outside the message's cap table")
    make = view._mk
    if make is None:
        raise RpcError("this message has no capabilities to read", "failed")
    entry = caps[index]
    cap = make(entry, iface if iface is not None else _own_interface(entry))
    if cap is None:
        return None
    if not isinstance(cap, Capability):
        raise RpcError("cap-table entry is not a capability", "failed")
    return cap


def _client_of(cls: Type[C], cap: Optional[Capability]) -> Optional[C]:
    return None if cap is None else cls(cap)


# --- Client side ------------------------------------------------------------------------------------


class TypedClient:
    """Base of generated ``I_Client`` classes: a typed view of one ``Capability``.

    ``I_Client(cap)`` takes over ``cap``: ``close()`` (or ``with``) releases it.
    """

    __slots__ = ("capability",)

    _typed_interface: ClassVar[InterfaceInfo] = _ANY

    def __init__(self, capability: Capability) -> None:
        if not isinstance(capability, Capability):
            raise TypeError(f"{type(self).__name__} wraps a Capability, not {type(capability).__name__}")
        self.capability = capability

    def close(self) -> None:
        self.capability.close()

    def __enter__(self: C) -> C:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self: C) -> C:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.capability!r}>"

    def _method(self, method: _rt.MethodInfo) -> MethodInfo:
        iface = self._typed_interface
        if isinstance(iface, _TypedInterface):
            return iface.method(method)
        raise RpcError(f"{type(self).__name__} is not a generated client", "failed")

    def _request(self, method: _rt.MethodInfo) -> TypedRequest[Any, Any]:
        return TypedRequest(self.capability, self._method(method), method, method.params_builder())

    def _request_as(self, cls: Type[TR], method: _rt.MethodInfo) -> TR:
        """A request of the generated class ``cls`` (its ``send()`` gives a typed promise class)."""
        return cls(self.capability, self._method(method), method, method.params_builder())

    def _call(self, method: _rt.MethodInfo, params: Optional[_rt.BuilderBase]) -> TypedPromise[Any]:
        req = self._request(method)
        if params is not None:
            req.params = params
        return req.send()

    def _stream_request(self, method: _rt.MethodInfo) -> StreamRequest[Any]:
        return StreamRequest(self.capability, self._method(method), method, method.params_builder())

    def _stream(self, method: _rt.MethodInfo, params: Optional[_rt.BuilderBase]) -> StreamPromise:
        req = self._stream_request(method)
        if params is not None:
            req.params = params
        return req.send()


class _RequestBase(Generic[P]):
    __slots__ = ("_cap", "_method", "_rt", "params", "_objects")

    def __init__(self, cap: Capability, method: MethodInfo, rt: _rt.MethodInfo, params: P) -> None:
        self._cap = cap
        self._method = method  # the session's entry (IDs, sizes, streaming)
        self._rt = rt  # the generated entry (typed classes)
        self.params = params  # a fresh generated builder; may be replaced by another of its class
        self._objects: List[Any] = []  # the outgoing cap table

    def add_cap(self, obj: object) -> int:
        """Put a client, typed client or server object in the cap table; returns its index."""
        self._objects.append(_check_cap(obj))
        return len(self._objects) - 1

    def _checked_payload(self) -> _Results:
        """The params, checked to be the method's builder class, as the session's payload."""
        params: Any = self.params
        if type(params) is not self._rt.params_builder:
            raise TypeError(f"{self._rt.name} params must be {self._rt.params_builder.__name__}, "
                            f"not {type(params).__name__}")
        return _payload(self._method.params, params, self._objects, True)

    def _send(self) -> Promise:
        cap = self._cap
        cap._check_open()
        return cap._session._send_call(cap, self._method, self._checked_payload())


class TypedRequest(_RequestBase[P], Generic[P, R]):
    """A call being prepared: fill ``params`` (a generated builder), then ``send()``."""

    __slots__ = ()

    def send(self) -> TypedPromise[R]:
        results: Any = self._rt.results
        return TypedPromise(self._send(), results)


class StreamRequest(_RequestBase[P]):
    """A call to a streaming method (``-> stream``) being prepared."""

    __slots__ = ()

    def send(self) -> StreamPromise:
        return StreamPromise(self._send())


class StreamPromise:
    """A streaming call sent: awaiting it waits for flow control, as the dynamic API does.

    It is done once the capability's streaming calls in flight fit the session's
    window, not when this call returns; a failure of an earlier streaming call
    on the capability is raised here.
    """

    __slots__ = ("_promise",)

    def __init__(self, promise: Promise) -> None:
        self._promise = promise

    def __await__(self) -> Generator[Any, None, None]:
        yield from self._promise.__await__()

    def cancel(self) -> None:
        self._promise.cancel()


class TypedPromise(Generic[R]):
    """A call in flight: await it for a ``TypedResponse``; pipeline on its capabilities."""

    __slots__ = ("_promise", "_results")

    def __init__(self, promise: Promise, results: Callable[[StructReader], R]) -> None:
        self._promise = promise
        self._results = results  # the generated reader class of the results

    @classmethod
    def _of(cls: Type[TP], promise: "TypedPromise[Any]") -> TP:
        """The same call seen through ``cls`` (a generated promise class with pipeline fields)."""
        typed = cls.__new__(cls)
        typed._promise = promise._promise
        typed._results = promise._results
        return typed

    def __await__(self) -> Generator[Any, None, TypedResponse[R]]:
        view = yield from self._promise.__await__()
        if not isinstance(view, StructView):
            raise RpcError("call has no results to read", "failed")
        return TypedResponse(self._results(view.reader), view)

    def cancel(self) -> None:
        """Tell the callee we no longer want the results."""
        self._promise.cancel()

    def cap(self, *pointer_path: int) -> Capability:
        """A client for the capability the results will hold at ``pointer_path`` (pipelined).

        ``pointer_path`` is the pointer-section index of each struct field from
        the results down, ending with the interface field's.  The client is
        usable at once; close it when done.
        """
        return self._pipelined(pointer_path, None)

    def client(self, cls: Type[C], *pointer_path: int) -> C:
        """``cap(*pointer_path)`` wrapped in the typed client class ``cls``."""
        return cls(self._pipelined(pointer_path, cls._typed_interface))

    def _pipelined(self, path: Tuple[int, ...], iface: Optional[InterfaceInfo]) -> Capability:
        if not path:
            raise ValueError("a pointer path needs at least one pointer index")
        p = self._promise
        return Capability(p._session, _Promised(p._question, p._ops + tuple(path)), iface)


class TypedPipeline:
    """A struct inside results in flight (a field of the results, or deeper): pipeline on the
    capabilities it holds.

    The generated ``S_Pipeline`` class of a struct ``S`` gives one property per
    interface field (the typed client, pipelined) and per struct or group field
    that holds capabilities (that struct's pipeline).  ``path`` is the pointer
    path from the results down to this struct; a group adds nothing to it.
    """

    __slots__ = ("_promise", "_path")

    def __init__(self, promise: TypedPromise[Any], path: Tuple[int, ...]) -> None:
        self._promise = promise
        self._path = path

    def cap(self, *pointer_path: int) -> Capability:
        """``TypedPromise.cap`` with the path continued from this struct."""
        return self._promise.cap(*self._path, *pointer_path)

    def client(self, cls: Type[C], *pointer_path: int) -> C:
        """``TypedPromise.client`` with the path continued from this struct."""
        return self._promise.client(cls, *self._path, *pointer_path)


class TypedResponse(Generic[R]):
    """A call's results: ``results`` is the generated reader over the Return's content (no copy).

    The response owns the capabilities in its message: the first ``cap()`` of
    an entry takes that reference over (close the client to release it);
    ``close()`` releases what was not read out.
    """

    __slots__ = ("results", "_view")

    def __init__(self, results: R, view: StructView) -> None:
        self.results = results
        self._view = view

    def cap(self, index: Optional[int]) -> Optional[Capability]:
        """The client for a cap-table index read from ``results`` (None for a null field)."""
        return _read_cap(self._view, index, None)

    def client(self, cls: Type[C], index: Optional[int]) -> Optional[C]:
        """``cap(index)`` wrapped in the typed client class ``cls``."""
        return _client_of(cls, _read_cap(self._view, index, cls._typed_interface))

    def close(self) -> None:
        self._view.close()

    def __enter__(self) -> TypedResponse[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- Server side ------------------------------------------------------------------------------------


class TypedServer:
    """Base of generated ``I_Server`` classes: override the methods to implement.

    Each method is ``async def m(self, context: TypedCallContext[Params_Reader,
    Results_Builder]) -> None``; one left alone answers ``unimplemented``.  An
    instance can be passed wherever a capability is expected.
    """

    __slots__ = ()  # subclasses without __slots__ get a __dict__ as usual


class TypedCallContext(Generic[P, R]):
    """What a typed server method gets: typed params and results, cap tables, cancellation."""

    __slots__ = ("_ctx", "params", "results", "_objects", "_tail_results")

    def __init__(self, ctx: CallContext, params: P, results: R) -> None:
        self._ctx = ctx  # the session's context of this call
        self.params = params  # generated reader over the Call's content (valid during the call)
        self.results = results  # generated builder, copied into the Return when the method ends
        self._objects: List[Any] = []  # the results' cap table
        self._tail_results: Optional[StructView] = None  # a local tail call's results, if any

    @property
    def cancelled(self) -> bool:
        """True once the caller cancelled the call (the method's task is cancelled too)."""
        return self._ctx.cancelled

    def params_cap(self, index: Optional[int]) -> Optional[Capability]:
        """The client for a cap-table index read from ``params`` (None for a null field).

        The first read takes over the params' reference; the others are
        released when the call ends, so keep a client read from them.
        """
        return _read_cap(self._ctx.params, index, None)

    def params_client(self, cls: Type[C], index: Optional[int]) -> Optional[C]:
        """``params_cap(index)`` wrapped in the typed client class ``cls``."""
        return _client_of(cls, _read_cap(self._ctx.params, index, cls._typed_interface))

    def add_cap(self, obj: object) -> int:
        """Put a client, typed client or server object in the results' cap table; returns its index."""
        self._objects.append(_check_cap(obj))
        return len(self._objects) - 1

    def set_pipeline(self) -> None:
        """Publish the results as they are now, so pipelined calls reach their targets early."""
        ctx = self._ctx
        ctx._early = self._payload()
        if ctx._answer is not None:
            ctx._answer.set_ready()

    def on_returned(self, callback: Callable[[], None]) -> None:
        """Run ``callback()`` once the call is over and its Return was queued."""
        self._ctx.on_returned(callback)

    async def tail_call(self, request: "TypedRequest[Any, Any]") -> None:
        """Answer this call with ``request``'s results (``await context.tail_call(req)``, then
        return).  The request must be for a method with the same results type.

        When its target is the peer's, the call goes out as the protocol's tail call and its
        results never pass through here; otherwise it is made here and its results (and their
        capabilities) become this call's, replacing anything set on ``results``.
        """
        made = await self._ctx.tail_call(_TailRequest(request),  # type: ignore[arg-type]
                                         copy_results=False)
        if isinstance(made, StructView):
            self._tail_results = made

    def _payload(self) -> _Results:
        tail = self._tail_results
        if tail is not None:
            return _payload_of_view(self._ctx.method.results, tail)
        results: Any = self.results
        return _payload(self._ctx.method.results, results, self._objects, False)


class _TailRequest:
    """A typed request in the shape the session's tail call takes (``_cap``, ``_method``,
    ``_payload``, ``send()``)."""

    __slots__ = ("_cap", "_method", "_payload")

    def __init__(self, request: "TypedRequest[Any, Any]") -> None:
        self._cap = request._cap
        self._method = request._method
        self._payload = request._checked_payload()

    def send(self) -> Promise:
        cap = self._cap
        cap._check_open()
        return cap._session._send_call(cap, self._method, self._payload)

