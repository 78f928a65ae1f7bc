"""The client's short cuts for making a call, against the general ways to make the same call.

Params given as keywords or positions are stored field by field without a builder
object; a method's attribute is looked up once per interface; a call on a pipelined
field names its target without walking ``_resolve_target``.  Every way of making one
call must put the same bytes on the wire and fail with the same errors.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any, Callable, List

import pytest

import capnp_lite.aio as capnp
from capnp_lite.aio.session import Capability, Request
from capnp_lite.errors import EncodeError, RpcError
from capnp_lite.rpc.caps import RemotePromise
from capnp_lite.rpc.codec import decode
from capnp_lite.rpc.messages import Call, PromisedAnswerTarget
from capnp_lite.wire.framing import MessageDecoder

sys.path.insert(0, os.path.dirname(__file__))
from calculator_pycapnp_server import SCHEMA, call_request, make_impl  # noqa: E402

ODD = """
@0xd4c1f1e2a3b4c5d6;
interface Odd {
  named @0 (method :Text, self :UInt32, kwargs :Int16) -> (echo :Text);
  plain @1 () -> ();
  lists @2 (items :List(Item)) -> (count :UInt32);
}
struct Item { x @0 :Int32; flag @1 :Bool; }
"""


@pytest.fixture(scope="module")
def calculator() -> Any:
    return capnp.load(SCHEMA)


@pytest.fixture(scope="module")
def odd(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("schema") / "odd.capnp"
    path.write_text(ODD)
    return capnp.load(str(path))


def _calls(chunks: List[bytes]) -> List[bytes]:
    """The framed Call messages among what a transport wrote, as bytes."""
    decoder = MessageDecoder()
    decoder.feed(b"".join(chunks))
    out = []
    while True:
        segments = decoder.next_message()
        if segments is None:
            return out
        if isinstance(decode(segments), Call):
            out.append(b"".join(bytes(s) for s in segments))


async def _recorded(calculator: Any, make: Callable[[Any], Any]) -> List[bytes]:
    """The Calls one ``make(calc)`` sends, each awaited before the next (so question IDs repeat)."""
    a, b = capnp.memory_pair()
    server = capnp.Session(b, make_impl(capnp, calculator)())
    client = capnp.Session(a)
    calc = client.bootstrap().cast_as(calculator.Calculator)
    await calc.evaluate(expression={"literal": 0.5})  # settles the bootstrap
    written: List[bytes] = []
    write = a.write

    def record(data: bytes) -> None:
        written.append(bytes(data))
        write(data)

    a.write = record  # type: ignore[method-assign]
    result = await make(calc)
    await client.close()
    await server.close()
    assert result is not None
    return _calls(written)


WAYS_OF_GET_OPERATOR: List[Callable[[Any], Any]] = [
    lambda calc: calc.getOperator(op="subtract"),
    lambda calc: calc.getOperator("subtract"),
    lambda calc: calc.getOperator(op=calc.schema.loader.enum_info(
        calc.schema.methods["getOperator"].params.fields["op"].type.node_id).names[1]),
    lambda calc: calc.getOperator(op=1),
    lambda calc: calc.getOperator_request(op="subtract").send(),
    lambda calc: _by_attribute(calc.getOperator_request()).send(),
    lambda calc: _by_update(calc.getOperator_request()).send(),
    lambda calc: calc._send("getOperator", op="subtract"),
    lambda calc: calc._request("getOperator", op="subtract").send(),
]


def _by_attribute(request: Request) -> Request:
    request.op = "subtract"
    return request


def _by_update(request: Request) -> Request:
    request.params.update({"op": "subtract"})
    return request


def test_every_way_of_making_a_call_sends_the_same_bytes(calculator: Any) -> None:
    async def main() -> None:
        sent = [await _recorded(calculator, make) for make in WAYS_OF_GET_OPERATOR]
        assert all(len(calls) == 1 for calls in sent)
        assert all(calls == sent[0] for calls in sent)
        # The chain of the benchmark: a call whose params hold a pipelined capability, and
        # calls on pipelined fields, made with keywords, with a request, and with its builder.
        chains = [
            await _recorded(calculator, lambda calc: call_request(calc, calc.getOperator(op="add").func, 1, 2)
                            .send().value.read()),
            await _recorded(calculator, lambda calc: _chain_by_update(calc).send().value.read()),
        ]
        assert len(chains[0]) == 3 and chains[0] == chains[1]
        targets = [decode([c]).target for c in chains[0]]
        assert isinstance(targets[2], PromisedAnswerTarget)

    asyncio.run(asyncio.wait_for(main(), 20))


def _chain_by_update(calc: Any) -> Request:
    func = calc.getOperator_request()
    func.params.update({"op": "add"})
    request = calc.evaluate_request()
    request.params.update({"expression": {"call": {"function": func.send().func,
                                                   "params": [{"literal": 1.0}, {"literal": 2.0}]}}})
    return request


def test_bad_params_fail_alike_on_every_path(calculator: Any) -> None:
    async def main() -> None:
        a, b = capnp.memory_pair()
        server = capnp.Session(b, make_impl(capnp, calculator)())
        client = capnp.Session(a)
        calc = client.bootstrap().cast_as(calculator.Calculator)

        def error(make: Callable[[], Any]) -> Any:
            with pytest.raises(Exception) as info:
                make()
            return type(info.value), str(info.value)

        unknown = [error(lambda: calc.getOperator(nope=1)),
                   error(lambda: calc.getOperator_request(nope=1)),
                   error(lambda: setattr(calc.getOperator_request(), "nope", 1)),
                   error(lambda: calc.getOperator_request().params.update({"nope": 1}))]
        assert len(set(unknown)) == 1 and issubclass(unknown[0][0], AttributeError)
        enum = [error(lambda: calc.getOperator(op="modulo")),
                error(lambda: calc.getOperator("modulo")),
                error(lambda: setattr(calc.getOperator_request(), "op", "modulo"))]
        assert len(set(enum)) == 1 and enum[0][0] is EncodeError
        assert error(lambda: calc.getOperator("add", "more"))[0] is TypeError
        assert error(lambda: calc.noSuchMethod)[0] is AttributeError
        assert error(lambda: calc.noSuchMethod_request)[0] is AttributeError
        closed = calc.cast_as(calculator.Calculator)
        closed.close()
        assert error(lambda: closed.getOperator(op="add")) == error(
            lambda: closed.getOperator_request(op="add").send())
        assert error(lambda: closed.getOperator(op="add"))[0] is RpcError
        await client.close()
        await server.close()

    asyncio.run(asyncio.wait_for(main(), 20))


def test_params_named_like_the_call_arguments_and_request_names(odd: Any) -> None:
    seen: List[Any] = []

    class Odd(odd.Odd.Server):  # type: ignore[misc, unused-ignore]
        async def named(this, **kw: Any) -> str:  # noqa: N805 (a param is named ``self``)
            seen.append((kw["method"], kw["self"], kw["kwargs"]))
            return "ok"

        async def plain(self, **kw: Any) -> None:
            seen.append("plain")

        async def lists(self, items: Any, **kw: Any) -> int:
            return sum(item.x for item in items if item.flag)

    async def main() -> None:
        a, b = capnp.memory_pair()
        server = capnp.Session(b, Odd())
        client = capnp.Session(a)
        cap = client.bootstrap().cast_as(odd.Odd)
        assert (await cap.named(method="m", self=7, kwargs=-3)).echo == "ok"
        assert (await cap.named("m2", 8, 9)).echo == "ok"
        assert (await cap.named_request(method="m3", self=1, kwargs=2).send()).echo == "ok"
        assert seen == [("m", 7, -3), ("m2", 8, 9), ("m3", 1, 2)]
        # ``x_request`` is the request of ``x``; without a method ``x`` it is no attribute.
        assert isinstance(cap.plain_request(), Request)
        await cap.plain_request().send()
        assert seen[-1] == "plain"
        with pytest.raises(AttributeError, match="no method 'lonely'"):
            cap.lonely_request
        # A list of structs through a request: items by index, negative ones too.
        request = cap.lists_request()
        items = request.init("items", 3)
        for i in range(3):
            items[i].x = i + 1
            items[-1 - i].flag = i != 1
        assert items[-3].x == 1
        with pytest.raises(IndexError, match="list index out of range"):
            items[3]
        with pytest.raises(IndexError, match="list index out of range"):
            items[-4]
        with pytest.raises(IndexError, match="assignment index out of range"):
            items[3] = {"x": 1}
        items[-2] = {"x": 10, "flag": True}
        assert (await request.send()).count == 1 + 10 + 3
        await client.close()
        await server.close()

    asyncio.run(asyncio.wait_for(main(), 20))


def test_a_pipelined_call_goes_where_the_general_walk_says(calculator: Any) -> None:
    async def main() -> None:
        a, b = capnp.memory_pair()
        server = capnp.Session(b, make_impl(capnp, calculator)())
        client = capnp.Session(a)
        calc = client.bootstrap().cast_as(calculator.Calculator)
        promise = calc.getOperator(op="multiply")
        func: Capability = promise.func
        walked = client._resolve_target(func._target)
        assert isinstance(walked, RemotePromise)
        before = list(client._conn.outbox)
        value = func.call(params=[3.0, 4.0])
        sent = [m for m in client._conn.outbox if m not in before]
        assert len(sent) <= 1  # written at once, or queued
        assert (await value).value == 12.0
        # Once the results are in, the same client goes to the returned capability.
        assert (await func.call(params=[2.0, 5.0])).value == 10.0
        # A failed promise: its pipelined calls fail with its error, as before.
        bad = calc.evaluate(expression={"parameter": 3})
        read = bad.value.read()
        with pytest.raises(RpcError):
            await bad
        with pytest.raises(RpcError):
            await read
        with pytest.raises(RpcError):
            await bad.value.read()
        await client.close()
        await server.close()

    asyncio.run(asyncio.wait_for(main(), 20))


def test_attribute_probes_of_uninitialised_clients_and_builds_do_not_recurse() -> None:
    from capnp_lite.aio._schema import StructBuild
    from capnp_lite.aio.session import Capability

    for cls in (Capability, StructBuild):
        bare = cls.__new__(cls)
        assert not hasattr(bare, "__setstate__x")
        assert not hasattr(bare, "anything")
