"""JS RPC over the debug port, client side: call a worker's methods with Python values.

One top-level call is one event: ``startEvent`` -> ``jsRpcSession`` -> ``JsRpcTarget.call`` on
the session's ``topLevel``, pipelined together.  Arguments travel as one V8-serialized JS array
(``debugport.v8``), the result as one V8-serialized value.  After the call, the call's
``callPipeline``, ``topLevel`` and ``session`` are released, which lets workerd finish the
worker's request.

Values are numbers, strings, ``None``, lists, dicts, bytes, ``BigInt``, dates, Maps, Sets and
the other types ``debugport.v8`` maps, and RPC stubs both ways:

* A Python function (or method, or ``RpcTarget`` object) among the arguments goes to JS as a
  stub the worker can call back until its method returns.
* A JS function or ``RpcTarget`` in a result comes back as a :class:`RemoteStub`: ``await
  stub(args...)`` calls a function, ``await stub.method(args...)`` a method; stubs its calls
  return belong to the same session.  The call's session stays open (and with it the worker's
  request) until every stub of it is closed (``close()``, ``async with``, or garbage
  collection as a fallback).

Streams and other host objects are not supported: a result holding one raises
:class:`UnsupportedValue`.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Union

from capnp_lite.errors import DecodeError, EncodeError, RpcError

from . import v8
from .client import Target, release_later, remote_error
from .schemas import schemas

# (``RemoteStub`` is here too, from ``jsrpc_server``, where it is defined beside ``Stub``.)
__all__ = ["call", "get_property", "UnsupportedValue", "MAX_VALUE_BYTES",
           "SERIALIZATION_TAGS", "encode_args", "decode_result", "densify"]

# workerd refuses serialized values above this size.
MAX_VALUE_BYTES = 1 << 20

# SerializationTag enumerants of worker-interface.capnp, by ordinal (host-object tags).
SERIALIZATION_TAGS = (
    "invalid", "jsRpcStub", "writableStream", "readableStream", "headers", "request", "response",
    "domException", "domExceptionV2", "abortSignal", "nativeError", "serviceStub", "actorClass",
    "r2Bucket", "kvNamespace", "blob", "socket", "wrappedBinding",
)


class UnsupportedValue(DecodeError):
    """A value holds a JS host object we cannot represent (a stream, a request...)."""


def unsupported_host_object(tag: int, at: int) -> UnsupportedValue:
    name = SERIALIZATION_TAGS[tag] if tag < len(SERIALIZATION_TAGS) else f"tag {tag}"
    return UnsupportedValue(f"the value holds a {name} host object (byte {at}), which is not "
                            "supported here")


def _host_reader(reader: v8.HostReader) -> Any:
    at = reader.position
    raise unsupported_host_object(reader.read_uint32(), at)


def encode_args(args: Sequence[Any]) -> bytes:
    """The V8 serialization of ``args`` as one JS array, as ``callWithArgs`` carries it."""
    data = v8.dumps(list(args))
    if len(data) > MAX_VALUE_BYTES:
        raise EncodeError(f"arguments serialize to {len(data)} bytes, over workerd's "
                          f"{MAX_VALUE_BYTES}-byte limit")
    return data


def decode_result(data: bytes) -> Any:
    """A ``CallResults.result.v8Serialized`` -> Python value.

    V8 often writes ordinary arrays in its sparse form (e.g. arrays it deserialized itself);
    those without holes or named properties come back as lists.
    """
    if not data:
        raise DecodeError("the call returned no serialized result")
    return densify(v8.loads(data, host_reader=_host_reader))


def densify(value: Any) -> Any:
    """``value`` with every hole-free, property-free ``SparseArray`` replaced by a list.

    Shared and cyclic structures keep their shape (each container is converted once), at any
    depth: containers are found with a stack of our own, then their items replaced.
    """
    replaced: Dict[int, Any] = {}  # id of each container found -> what stands for it
    found: List[Any] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in replaced:
            continue
        if isinstance(item, v8.SparseArray):
            dense = not item.properties and len(item.elements) == item.length and all(
                0 <= i < item.length for i in item.elements)
            replaced[id(item)] = [] if dense else item
            stack.extend(item.elements.values())
            stack.extend(item.properties.values())
        elif isinstance(item, list):
            replaced[id(item)] = item
            stack.extend(item)
        elif isinstance(item, dict):
            replaced[id(item)] = item
            stack.extend(item.values())
        elif isinstance(item, v8.JSMap):
            replaced[id(item)] = item
            for k, v in item.pairs:
                stack.append(k)
                stack.append(v)
        elif isinstance(item, v8.JSSet):
            replaced[id(item)] = item
            stack.extend(item.items)
        else:
            continue
        found.append(item)  # keeps it alive, so no other object can take its id

    def new(x: Any) -> Any:
        return replaced.get(id(x), x)

    for item in found:
        if isinstance(item, v8.SparseArray):
            target = replaced[id(item)]
            if target is item:
                for index, x in list(item.elements.items()):
                    item.elements[index] = new(x)
                for name, x in list(item.properties.items()):
                    item.properties[name] = new(x)
            else:
                target.extend([new(item.elements[i]) for i in range(item.length)])
        elif isinstance(item, list):
            item[:] = [new(x) for x in item]
        elif isinstance(item, dict):
            for name in list(item):
                item[name] = new(item[name])
        elif isinstance(item, v8.JSMap):
            item.pairs = [(new(k), new(v)) for k, v in item.pairs]
        else:
            item.items = [new(x) for x in item.items]
    return new(value)


_PUSHER_CLASS: Optional[type] = None


def _pusher() -> Any:
    """An ``ExternalPusher`` with no methods: every push is answered ``unimplemented``."""
    global _PUSHER_CLASS
    if _PUSHER_CLASS is None:
        _PUSHER_CLASS = type("NoPusher", (schemas().ExternalPusher.Server,), {})
    return _PUSHER_CLASS()



def _call_params(method: Union[str, Sequence[str]], operation: Dict[str, Any]) -> Dict[str, Any]:
    params: Dict[str, Any] = {"operation": operation,
                              "resultsStreamHandler": {"externalPusher": _pusher()}}
    if isinstance(method, str):
        params["methodName"] = method
    else:
        path: List[str] = [str(p) for p in method]
        params["methodPath"] = path
    return params


def __getattr__(name: str) -> Any:
    if name == "RemoteStub":  # (defined beside Stub, which it extends)
        from .jsrpc_server import RemoteStub

        return RemoteStub
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _encode_call_args(target: Target, args: Sequence[Any]) -> Dict[str, Any]:
    """``callWithArgs`` for ``args``: Python functions and ``RpcTarget``s among them go as stubs
    (exported on the target's connection), ``RemoteStub``s as the capabilities they hold."""
    from .jsrpc_server import encode_value, stub_target

    session = target.session
    return encode_value(list(args), lambda obj: stub_target(session, obj))


async def _invoke(target: Target, params: Dict[str, Any]) -> Any:
    from .jsrpc_server import RemoteStub, SessionKeeper, decode_value

    dispatcher = target.start_event()
    opened = dispatcher.jsRpcSession()
    top = opened.topLevel
    promise = top.call(**params)
    # A second reference to callPipeline when the result has a disposer (it runs once the
    # last reference goes): held, with the session, while stubs of the result live.
    held: List[Any] = []

    def release() -> None:
        for cap in held:  # first: the disposer runs while the callee's request is open
            cap.close()
        release_later(opened, everything=True)  # topLevel, session and whatever else

    keeper = SessionKeeper(release)  # (it must not hold the call's results: their caps)
    try:
        try:
            results = await promise
        except RpcError as exc:
            raise remote_error(exc) from None
        received: List[Any] = []
        try:
            value = decode_value(results.result, target.session, received,
                                 lambda cap, session: RemoteStub(cap, session, keeper))
            if received and results.hasDisposer:
                held.append(results.callPipeline)  # (read out: results.close() leaves it)
        except DecodeError:
            for stub in received:
                stub.close()
            raise
        finally:
            # callPipeline and whatever else was not read out go now, not when the results
            # are collected (which PyPy does late): the stubs hold references of their own.
            results.close()
    finally:
        # The pipelined references go now (the session's results hold their own): left to
        # the garbage collector, PyPy would keep them, and the worker's request, for long.
        top.close()
        dispatcher.close()
        if keeper.live == 0:
            keeper.drop()  # nothing received holds the session: release it now
    return densify(value)


async def call(target: Target, method: Union[str, Sequence[str]], *args: Any) -> Any:
    """Call ``method`` on ``target`` with ``args`` and return its (awaited) result.

    ``method`` is a name, or a property path (``["foo", "bar"]`` calls ``target.foo.bar()``;
    an empty path calls the target itself).  A JS exception raises
    :class:`debugport.client.RemoteError` with the JS error's name and message.  Python
    functions among ``args`` go to JS as stubs; stubs in the result come back as
    :class:`RemoteStub` objects (see the module's notes on closing them).
    """
    operation: Dict[str, Any] = {"callWithArgs": _encode_call_args(target, args) if args else None}
    return await _invoke(target, _call_params(method, operation))


async def get_property(target: Target, path: Union[str, Sequence[str]]) -> Any:
    """Read a property (or a path of properties) of ``target`` over JS RPC."""
    return await _invoke(target, _call_params(path, {"getProperty": None}))
