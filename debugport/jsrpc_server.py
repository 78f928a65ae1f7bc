"""JS RPC, server side: serve ``EventDispatcher.jsRpcSession`` with Python objects.

A session has a top-level ``JsRpcTarget`` that takes exactly one ``call``; arguments and results
are V8-serialized (``debugport.v8``), and RPC stubs travel as host objects (tag ``jsRpcStub``)
whose capabilities sit in ``JsValue.externals`` in order.  Python objects deriving from
``RpcTarget``, and plain functions, go out as stubs; stubs from the caller come in as ``Stub``.

The ``session`` capability is exported as a *promise* and resolved once the top-level target and
every stub handed out through it have been released: workerd waits for that resolution to end
the call, and treats an already-settled capability as a session that ended at once.
"""

from __future__ import annotations

import inspect
import weakref
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from capnp_lite.aio import Capability, PromiseResolver, Session, is_null_capability
from capnp_lite.errors import DecodeError, EncodeError, RpcError

from . import v8
from .http_server import has_field, js_error_reason
from .schemas import schemas
from .jsrpc import MAX_VALUE_BYTES, unsupported_host_object

__all__ = [
    "DebugSession",
    "RpcTarget",
    "Stub",
    "RemoteStub",
    "SessionKeeper",
    "RESERVED_NAMES",
    "RpcSessionState",
    "make_js_rpc_session",
    "find_method",
]

# SerializationTag.jsRpcStub in worker-interface.capnp.
JS_RPC_STUB_TAG = 1

# Names an entrypoint never serves over RPC (workerd's EntrypointJsRpcTarget::isReservedName).
RESERVED_NAMES = frozenset({"fetch", "connect", "alarm", "webSocketMessage", "webSocketClose",
                            "webSocketError", "dup", "constructor"})


# Sessions used to need a subclass to export promises; ``Session.export_promise`` does it now.
DebugSession = Session


class RpcTarget:
    """Base class of Python objects passed to JS by reference (as RPC stubs).

    JS calls the public methods defined on the class; instance attributes are not reachable.
    """


class Stub:
    """A JS stub (a function or ``RpcTarget``) received from the caller.

    ``await stub(args...)`` calls it as a function, ``await stub.method(args...)`` calls a
    method.  It is released when the call that received it returns, unless ``dup()`` was used.
    """

    def __init__(self, cap: Capability, session: Session) -> None:
        self._cap = cap
        self._session = session

    def __call__(self, *args: Any) -> Any:
        return self._call([], args)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        def method(*args: Any) -> Any:
            return self._call([name], args)

        return method

    def _call(self, path: List[str], args: Sequence[Any]) -> Any:
        """Call the stub (``path`` empty) or its method; the results' stubs are ``_made``."""
        return call_stub(self._cap, self._session, path, args, self._made)

    def _made(self, cap: Capability, session: Session) -> "Stub":
        return Stub(cap, session)

    def dup(self) -> "Stub":
        """A second reference that outlives the call; ``close()`` it when done."""
        return self._made(self._cap.cast_as(schemas().worker.JsRpcTarget), self._session)

    def close(self) -> None:
        self._cap.close()

    def __repr__(self) -> str:
        return "<Stub>"


class SessionKeeper:
    """What keeps a JS RPC session we opened as a client open while stubs received through it
    live (``live`` of them): ``release`` runs once the last is closed (or collected)."""

    def __init__(self, release: Callable[[], None]) -> None:
        self.release: Optional[Callable[[], None]] = release
        self.live = 0

    def drop(self) -> None:
        self.live -= 1
        if self.live <= 0 and self.release is not None:
            release, self.release = self.release, None
            release()


class RemoteStub(Stub):
    """A JS function or ``RpcTarget`` that a call we made returned (``debugport.jsrpc``):
    ``await stub(args...)`` calls it as a function, ``await stub.method(args...)`` calls a
    method, and stubs those calls return belong to the same session.  Close it when done (or
    use ``async with``): the worker's request stays open while any stub of its call lives."""

    def __init__(self, cap: Capability, session: Session, keeper: SessionKeeper) -> None:
        super().__init__(cap, session)
        self._keeper = keeper
        keeper.live += 1
        self._done = weakref.finalize(self, keeper.drop)  # drops this stub from it, once

    def _made(self, cap: Capability, session: Session) -> "RemoteStub":
        return RemoteStub(cap, session, self._keeper)  # the results' stubs: same session

    async def _call(self, path: List[str], args: Sequence[Any]) -> Any:
        from .client import remote_error
        from .jsrpc import densify

        if not self._done.alive:
            raise RpcError("the stub was closed")
        try:
            return densify(await super()._call(path, args))
        except RpcError as exc:
            raise remote_error(exc) from None

    def close(self) -> None:
        self._cap.close()
        self._done()  # (once: later calls do nothing)

    async def __aenter__(self) -> "RemoteStub":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<RemoteStub>" if self._done.alive else "<RemoteStub (closed)>"


class _StubRef(v8.HostObject):
    """A stub inside a serialized value: the tag; the stub goes to the value's externals as it
    is written, so their order is the order the serializer meets them in."""

    def __init__(self, target: Any, externals: List[Any]) -> None:
        self.tag = JS_RPC_STUB_TAG
        self.target = target
        self.externals = externals

    def write_host(self, writer: v8.HostWriter) -> None:
        self.externals.append(self.target)
        writer.write_uint32(self.tag)


def _is_stub_value(value: Any) -> bool:
    if isinstance(value, (RpcTarget, Stub)):
        return True
    return inspect.isfunction(value) or inspect.ismethod(value) or inspect.isbuiltin(value)


def _embed(value: Any, externals: List[Any]) -> Any:
    """``value`` with its stubs (inside dicts, lists, tuples) replaced by host-object markers.

    Copied without recursion, any depth: each dict and list once, so shared and cyclic ones
    keep their shape (the serializer bounds the depth); tuples become lists."""
    copies: Dict[int, Any] = {}
    pending: List[Tuple[Any, Any]] = []  # (container, its copy still to fill)

    def copy_of(item: Any) -> Any:
        if _is_stub_value(item):
            return _StubRef(item, externals)
        if isinstance(item, (dict, list)):
            copy = copies.get(id(item))
            if copy is None:
                copy = copies[id(item)] = {} if isinstance(item, dict) else []
                pending.append((item, copy))
            return copy
        if isinstance(item, tuple):
            # Written in full each time, as v8.dumps writes tuples (Python shares equal
            # constant tuples freely); any cycle passes through a list or dict.
            copy = []
            pending.append((item, copy))
            return copy
        return item

    root = copy_of(value)
    while pending:
        original, copy = pending.pop()
        if isinstance(original, dict):
            for k, item in original.items():
                copy[k] = copy_of(item)
        else:
            copy.extend([copy_of(item) for item in original])
    return root


def encode_value(value: Any, wrap: Callable[[Any], Any]) -> Dict[str, Any]:
    """A ``JsValue`` struct (as a dict) for ``value``; ``wrap`` makes each stub's capability."""
    externals: List[Any] = []
    data = v8.dumps(_embed(value, externals))
    if len(data) > MAX_VALUE_BYTES:
        raise EncodeError(f"serialized value of {len(data)} bytes is over the {MAX_VALUE_BYTES}-byte limit")
    out: Dict[str, Any] = {"v8Serialized": data}
    if externals:
        out["externals"] = [{"rpcTarget": {"cap": wrap(e)}} for e in externals]
    return out


StubFactory = Callable[[Capability, Session], Stub]


def decode_value(js_value: Any, session: Session, received: List[Stub],
                 make_stub: StubFactory = Stub) -> Any:
    """The Python value of a received ``JsValue``; its stubs (made by ``make_stub``) are
    appended to ``received``."""
    data = js_value.v8Serialized
    if len(data) > MAX_VALUE_BYTES:
        raise DecodeError(f"serialized value of {len(data)} bytes is over the {MAX_VALUE_BYTES}-byte limit")
    externals = list(js_value.externals)
    used = [0]

    def host(reader: v8.HostReader) -> Any:
        tag = reader.read_uint32()
        if tag != JS_RPC_STUB_TAG:
            raise unsupported_host_object(tag, reader.position)
        index = used[0]
        if index >= len(externals):
            raise DecodeError(f"stub {index} has no entry in the value's externals")
        used[0] = index + 1
        ext = externals[index]
        if ext.which() != "rpcTarget":
            raise DecodeError(f"external {index} is a {ext.which()}, not an RPC stub")
        cap = ext.rpcTarget.cap  # (read once: each read is a reference of its own)
        if is_null_capability(cap):
            raise DecodeError(f"external {index} is a null capability, not an RPC stub")
        stub = make_stub(cap, session)
        received.append(stub)
        return stub

    return v8.loads(data, host_reader=host)


async def call_stub(cap: Capability, session: Session, path: Sequence[str], args: Sequence[Any],
                    make_stub: StubFactory = Stub) -> Any:
    """Call a JS stub; results' own stubs come back as ``make_stub`` makes them (``Stub``
    objects by default: close them when done)."""
    params: Dict[str, Any] = {"methodPath": list(path)} if len(path) != 1 else {"methodName": path[0]}
    params["operation"] = {"callWithArgs": encode_value(list(args), lambda obj: stub_target(session, obj))}
    params["resultsStreamHandler"] = {"externalPusher": _NoPusher()}
    results = await cap.call(**params)
    pipeline = results.callPipeline
    if not is_null_capability(pipeline):
        pipeline.close()
    if not has_field(results, "result"):
        return v8.UNDEFINED
    return decode_value(results.result, session, [], make_stub)


def stub_target(session: Session, obj: Any) -> Any:
    """The capability a Python object (a function, an ``RpcTarget``) or a received ``Stub``
    (handed back: its own capability) goes to JS as, outside any tracked session."""
    if isinstance(obj, Stub):
        return obj.dup()._cap
    return make_target(None, obj, session, top_level=False)


def _no_pusher_base() -> Any:
    return schemas().worker.JsValue.ExternalPusher.Server


class _NoPusher(_no_pusher_base()):  # type: ignore[misc]
    """The ExternalPusher we hand to JS: we never receive streams, so every push fails."""


# -- finding what a call names ---------------------------------------------------------------------


def _class_attribute(obj: Any, name: str) -> Any:
    for klass in type(obj).__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def _property(obj: Any, name: str) -> Any:
    """A property read through RPC: dict keys, or public class-level attributes."""
    if isinstance(obj, dict):
        if name in obj:
            return obj[name]
        raise RpcError(f'remote.jsg.TypeError: The RPC receiver does not implement the method "{name}".')
    if name.startswith("_") or name in RESERVED_NAMES or _class_attribute(obj, name) is None:
        raise RpcError(f'remote.jsg.TypeError: The RPC receiver does not implement the method "{name}".')
    return getattr(obj, name)


def find_method(obj: Any, name: str) -> Callable[..., Any]:
    """The bound method ``name`` of ``obj`` that JS may call, or the error workerd gives."""
    if isinstance(obj, dict):
        value = obj.get(name)
    elif name.startswith("_") or name in RESERVED_NAMES:
        value = None
    else:
        attr = _class_attribute(obj, name)
        value = getattr(obj, name) if callable(attr) or isinstance(attr, (staticmethod, classmethod)) else None
    if value is None or not callable(value):
        raise RpcError(f'remote.jsg.TypeError: The RPC receiver does not implement the method "{name}".')
    return value  # type: ignore[no-any-return]


# -- sessions and targets --------------------------------------------------------------------------


class RpcSessionState:
    """One JS RPC session: counts live targets and resolves ``session`` when none are left."""

    def __init__(self, session: Session, resolver: PromiseResolver) -> None:
        self.session = session
        self.resolver = resolver
        self.live = 0
        self.ended = False

    def hold(self) -> None:
        self.live += 1

    def drop(self) -> None:
        self.live -= 1
        if self.live <= 0 and not self.ended:
            self.ended = True
            self.resolver.resolve(_ended_session())


def _ended_session() -> Any:
    base = schemas().worker.JsRpcSession.Server
    return type("EndedSession", (base,), {"__doc__": "What a finished session resolves to."})()


def _operation(params: Any) -> Tuple[List[str], Optional[Any]]:
    """The property path a call names and its JsValue arguments (None: a property read)."""
    if params.which() == "methodName":
        path = [params.methodName]
    else:
        path = list(params.methodPath)
    op = params.operation
    if op.which() == "getProperty":
        return path, None
    return path, op


def make_target(state: Optional[RpcSessionState], obj: Any, session: Session, *, top_level: bool) -> Any:
    """A ``JsRpcTarget`` server for ``obj``; the top-level one takes a single call."""
    base = schemas().worker.JsRpcTarget.Server

    class _Target(base):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            self.calls = 0
            if state is not None:
                state.hold()

        def on_release(self) -> None:
            if state is not None:
                state.drop()

        async def call(self, _context: Any, **_fields: Any) -> Any:
            if top_level and self.calls:
                raise RpcError("Only one RPC method call is allowed on this object.")
            self.calls += 1
            if state is not None:
                state.hold()  # a running call keeps the session open
            received: List[Stub] = []
            try:
                value = await _run_call(obj, _context.params, session, received)
                made: Dict[int, Any] = {}

                def wrap(o: Any) -> Any:
                    if isinstance(o, Stub):
                        return o.dup()._cap  # handed back: the caller's own capability
                    if id(o) not in made:
                        made[id(o)] = make_target(state, o, session, top_level=False)
                    return made[id(o)]

                result = encode_value(value, wrap)
                pipeline = made.get(id(value))
                if pipeline is None:
                    pipeline = make_target(state, value, session, top_level=False)
                return {"result": result, "callPipeline": pipeline, "hasDisposer": False}
            finally:
                _release_params(_context.params, received)
                if state is not None:
                    state.drop()

    return _Target()


async def _run_call(obj: Any, params: Any, session: Session, received: List[Stub]) -> Any:
    path, op = _operation(params)
    args: List[Any] = []
    if op is not None and has_field(op, "callWithArgs"):
        decoded = decode_value(op.callWithArgs, session, received)
        if not isinstance(decoded, list):
            raise RpcError("remote.jsg.TypeError: RPC arguments are not an array")
        args = [None if a is v8.HOLE else a for a in decoded]
    target = obj
    for name in path[:-1]:
        target = _property(target, name)
    try:
        if op is None:
            value = _property(target, path[-1]) if path else target
        else:
            fn = find_method(target, path[-1]) if path else target
            if not callable(fn) or isinstance(fn, (RpcTarget, dict)):
                raise RpcError("remote.jsg.TypeError: The RPC receiver is not a function.")
            value = fn(*args)
        if inspect.isawaitable(value):
            value = await value
    except RpcError:
        raise
    except Exception as exc:  # the method's failure reaches the JS caller with its message
        raise RpcError(js_error_reason(exc)) from exc
    return value


def _release_params(params: Any, received: List[Stub]) -> None:
    """Stubs and the pusher in the params are released when the method returns (as workerd)."""
    for stub in received:
        stub.close()
    params.close()  # what was not read out: the pusher, externals of other kinds


def make_js_rpc_session(session: Session, root: Any) -> Dict[str, Any]:
    """The results of ``jsRpcSession``: a one-call top-level target and the session promise.

    workerd ends the call once ``session`` resolves, and treats a capability that is not a
    promise as a session that is over already: it goes out as a promise, resolved when the
    top-level target and every stub handed out through it have been released.
    """
    promise, resolver = session.export_promise(schemas().worker.JsRpcSession)
    state = RpcSessionState(session, resolver)
    top = make_target(state, root, session, top_level=True)
    return {"topLevel": top, "session": promise}
