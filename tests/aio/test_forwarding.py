"""Capabilities passed from one connection to another: X <-> P <-> Y, P forwarding.

X hosts a calculator; P bootstraps it and serves it as its own bootstrap to Y
(or hands it out from a method of its own); Y calls through P.  After every
scenario all RPC tables on X, P and Y must be empty again.
"""

from __future__ import annotations

import asyncio
import gc
import os
import platform
import subprocess
import sys
from functools import partial
from typing import Any, Dict, List, Optional, Tuple

import pytest

import capnp_lite.aio as capnp
from capnp_lite.aio.transport import memory_pair
from capnp_lite.errors import RpcError

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from calculator_pycapnp_server import SCHEMA, call_request, make_impl  # noqa: E402
from tests.aio.support import run as run_bounded  # noqa: E402

calc_capnp = capnp.load(SCHEMA)
CalculatorImpl = make_impl(capnp, calc_capnp)

run = partial(run_bounded, timeout=30.0)  # generous: three sessions relay every call


async def settle() -> None:
    """Let messages in flight (and the turns they cause) go through."""
    for _ in range(3):
        # Clients dropped without close() release when collected; PyPy collects late, and
        # a finalizer's referents only go in a later collection.
        gc.collect()
        for _ in range(30):
            await asyncio.sleep(0)
        await asyncio.sleep(0.005)


def tables(session: capnp.Session) -> Dict[str, int]:
    conn = session._conn
    return {
        "questions": len(conn.questions),
        "answers": len(conn.answers),
        "exports": len(conn.exports),
        "imports": len(conn.imports),
        "embargoes": len(conn.embargoes),
        "session_questions": len(session._questions),
        "session_answers": len(session._answers),
        "import_refs": len(session._import_refs),
        "forwarders": len(session._forwarders),
        "forwarding": len(session._forwarding),
    }


def assert_empty(session: capnp.Session, **allowed: int) -> None:
    got = tables(session)
    want = {k: allowed.get(k, 0) for k in got}
    assert got == want


class Net:
    """X hosts ``server``; P bootstraps X and serves that capability to Y as its bootstrap."""

    def __init__(self, x: capnp.Session, px: capnp.Session, py: capnp.Session, y: capnp.Session,
                 xcap: capnp.Capability, calc: capnp.Capability) -> None:
        self.x, self.px, self.py, self.y = x, px, py, y
        self.xcap = xcap  # P's client of X's bootstrap
        self.calc = calc  # Y's client of P's bootstrap
        self.clients: List[Any] = [calc]

    async def check_clean_and_close(self) -> None:
        """Release everything Y holds, check the tables, then close Y's side and check again."""
        for c in self.clients:
            c.close()
        self.xcap.close()
        await settle()
        assert_empty(self.y)
        # P keeps its bootstrap forwarder (and the one reference to X's bootstrap it holds)
        # until its connection to Y closes.
        assert_empty(self.py, forwarders=1)
        assert_empty(self.px, imports=1, import_refs=1)
        assert_empty(self.x, exports=1)
        await self.y.close()
        await self.py.wait_closed()
        await settle()
        assert_empty(self.px)
        assert_empty(self.x)
        await self.px.close()
        await self.x.wait_closed()


async def three_party(server: Any) -> Net:
    x_end, px_end = memory_pair()
    py_end, y_end = memory_pair()
    x = capnp.Session(x_end, server)
    px = capnp.Session(px_end)
    xcap = px.bootstrap()
    py = capnp.Session(py_end, xcap)
    y = capnp.Session(y_end)
    calc = y.bootstrap().cast_as(calc_capnp.Calculator)
    return Net(x, px, py, y, xcap, calc)


def test_pipelined_calls_and_previous_result() -> None:
    async def main() -> None:
        net = await three_party(CalculatorImpl())
        calc = net.calc
        # read() pipelined on evaluate, which is itself forwarded
        assert (await calc.evaluate({"literal": 7.5}).value.read()).value == 7.5
        first = calc.evaluate({"literal": 3}).value  # never awaited: a pipeline client
        second = calc.evaluate({"previousResult": first}).value
        assert (await second.read()).value == 3
        net.clients += [first, second]
        await net.check_clean_and_close()

    run(main)


def test_returned_capability_and_def_function() -> None:
    async def main() -> None:
        net = await three_party(CalculatorImpl())
        calc = net.calc
        add = (await calc.getOperator(op="add")).func  # a capability forwarded in results
        assert (await add.call(params=[2, 3])).value == 5
        # pipelined on a forwarded call's result, before it returned
        product = await calc.getOperator(op="multiply").func.call(params=[3, 4])
        assert product.value == 12
        # an X capability passed back to X through P comes home as X's own object
        value = (await call_request(calc, add, 40, 2).send()).value
        assert (await value.read()).value == 42
        second = (await calc.defFunction(paramCount=2, body={"parameter": 1})).func
        assert (await second.call(params=[7, 9])).value == 9
        net.clients += [add, value, second]
        await net.check_clean_and_close()

    run(main)


def test_callback_to_y_through_p() -> None:
    class Square(calc_capnp.Calculator.Function.Server):  # type: ignore[name-defined]
        def __init__(self) -> None:
            self.calls = 0

        async def call(self, params: Any, _context: Any, **kw: Any) -> float:
            self.calls += 1
            return float(params[0] * params[0])

    async def main() -> None:
        net = await three_party(CalculatorImpl())
        mine = Square()
        request = net.calc.evaluate_request()
        call = request.expression.init("call")
        call.function = mine  # X calls back: through P, into Y
        ps = call.init("params", 1)
        inner = ps[0].init("call")
        add = net.calc.getOperator(op="add").func
        inner.function = add
        ips = inner.init("params", 2)
        ips[0].literal = 2
        ips[1].literal = 1
        assert (await request.send().value.read()).value == 9
        assert mine.calls == 1
        net.clients.append(add)
        await net.check_clean_and_close()

    run(main)


def test_errors_keep_type_and_reason() -> None:
    class Busy(CalculatorImpl):  # type: ignore[misc,valid-type]
        async def getOperator(self, op: Any, _context: Any, **kw: Any) -> Any:
            raise RpcError("too busy for " + str(op), "overloaded")

    async def main() -> None:
        net = await three_party(Busy())
        with pytest.raises(RpcError) as info:
            await net.calc.getOperator(op="add")
        assert info.value.type == "OVERLOADED" and info.value.reason == "too busy for add"
        with pytest.raises(RpcError) as info2:
            await net.calc.evaluate({"parameter": 5}).value.read()
        assert info2.value.type == "FAILED" and "parameter index out of range" in info2.value.reason
        await net.check_clean_and_close()

    run(main)


def test_cancellation_reaches_x() -> None:
    seen: List[str] = []
    contexts: List[Any] = []

    class Slow(CalculatorImpl):  # type: ignore[misc,valid-type]
        async def getOperator(self, op: Any, _context: Any, **kw: Any) -> Any:
            seen.append("started")
            contexts.append(_context)
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                seen.append("cancelled")
                raise
            return None

    async def main() -> None:
        net = await three_party(Slow())
        promise = net.calc.getOperator(op="add")
        for _ in range(200):
            await asyncio.sleep(0)
            if seen:
                break
        assert seen == ["started"]
        promise.cancel()
        with pytest.raises(RpcError):
            await promise
        for _ in range(200):
            await asyncio.sleep(0)
            if "cancelled" in seen:
                break
        assert seen == ["started", "cancelled"]
        assert contexts[0].cancelled
        await net.check_clean_and_close()

    run(main)


def test_many_concurrent_calls() -> None:
    async def main() -> None:
        net = await three_party(CalculatorImpl())
        reads = [net.calc.evaluate({"literal": float(i)}).value.read() for i in range(200)]
        values = [r.value for r in await asyncio.gather(*reads)]
        assert values == [float(i) for i in range(200)]
        await net.check_clean_and_close()

    run(main)


def test_capability_returned_from_a_method_of_p() -> None:
    """P's own server hands out X's capability in its results; Y uses it."""

    async def main() -> None:
        x_end, px_end = memory_pair()
        py_end, y_end = memory_pair()
        x = capnp.Session(x_end, CalculatorImpl())
        px = capnp.Session(px_end)
        xcalc = px.bootstrap().cast_as(calc_capnp.Calculator)

        class Broker(calc_capnp.Calculator.Server):  # type: ignore[name-defined]
            async def getOperator(self, op: Any, _context: Any, **kw: Any) -> Any:
                return (await xcalc.getOperator(op=op)).func  # X's capability, sent on P-Y

        py = capnp.Session(py_end, Broker())
        y = capnp.Session(y_end)
        calc = y.bootstrap().cast_as(calc_capnp.Calculator)
        sub = (await calc.getOperator(op="subtract")).func
        assert (await sub.call(params=[10, 4])).value == 6
        sub.close()
        calc.close()
        xcalc.close()
        await settle()
        for s in (x, px, py, y):
            assert_empty(s)
        await y.close()
        await px.close()

    run(main)


def test_calls_fail_cleanly_when_x_goes_away() -> None:
    async def main() -> None:
        net = await three_party(CalculatorImpl())
        add = (await net.calc.getOperator(op="add")).func
        await net.x.close()
        await settle()
        with pytest.raises(RpcError) as info:
            await add.call(params=[1, 2])
        assert info.value.type == "DISCONNECTED"
        add.close()
        net.calc.close()
        await settle()
        assert_empty(net.y)
        await net.y.close()
        await net.py.wait_closed()
        await settle()
        assert_empty(net.py)

    run(main)


# --- interop: pycapnp on both sides of our forwarding process -----------------------------------

try:
    import capnp as _pycapnp  # noqa: F401

    HAVE_PYCAPNP = platform.python_implementation() == "CPython"
except ImportError:
    HAVE_PYCAPNP = False

interop = pytest.mark.skipif(
    not HAVE_PYCAPNP,
    reason="INTEROP NOT TESTED: pycapnp is not installed on this interpreter (it has no PyPy build)",
)


def _start_pycapnp_server() -> "tuple[subprocess.Popen[str], int]":
    proc = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "calculator_pycapnp_server.py"), "--lib", "pycapnp"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("PORT "):
        proc.kill()
        raise AssertionError(f"server did not start: {line!r}")
    return proc, int(line.split()[1])


@interop
def test_pycapnp_client_through_our_proxy_to_pycapnp_server() -> None:
    proc, x_port = _start_pycapnp_server()
    proxies: List[capnp.Session] = []
    upstream: List[capnp.Session] = []

    async def main() -> None:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            # One connection to X per client, so each client's tables can be checked alone.
            px = capnp.Session(await capnp.connect_tcp("127.0.0.1", x_port))
            upstream.append(px)
            xcap = px.bootstrap()
            py = capnp.Session(capnp.StreamTransport(reader, writer), xcap)
            xcap.close()  # the bootstrap forwarder holds its own reference
            proxies.append(py)

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = await asyncio.create_subprocess_exec(
            sys.executable, os.path.join(HERE, "calculator_pycapnp_client.py"), "--lib", "pycapnp",
            "--port", str(port), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(client.communicate(), 60)
        assert client.returncode == 0, out.decode() + err.decode()
        assert "ALL OK" in out.decode().split("\n")
        for py in proxies:
            await py.wait_closed()
        await settle()
        for px in upstream:
            assert_empty(px)
            await px.close()
        server.close()
        await server.wait_closed()

    try:
        asyncio.run(asyncio.wait_for(main(), 90))
    finally:
        proc.kill()
        proc.wait()


@interop
def test_our_client_through_our_proxy_to_pycapnp_server() -> None:
    proc, x_port = _start_pycapnp_server()

    class Square(calc_capnp.Calculator.Function.Server):  # type: ignore[name-defined]
        async def call(self, params: Any, _context: Any, **kw: Any) -> float:
            return float(params[0] * params[0])

    async def main() -> None:
        px = capnp.Session(await capnp.connect_tcp("127.0.0.1", x_port))
        xcap = px.bootstrap()
        py_end, y_end = memory_pair()
        py = capnp.Session(py_end, xcap)
        y = capnp.Session(y_end)
        net = Net(_Absent(), px, py, y, xcap, y.bootstrap().cast_as(calc_capnp.Calculator))
        calc = net.calc
        assert (await calc.evaluate({"literal": 5}).value.read()).value == 5
        request = calc.evaluate_request()
        call = request.expression.init("call")
        call.function = Square()
        ps = call.init("params", 1)
        inner = ps[0].init("call")
        add = calc.getOperator(op="add").func
        net.clients.append(add)
        inner.function = add
        ips = inner.init("params", 2)
        ips[0].literal = 3
        ips[1].literal = 1
        assert (await request.send().value.read()).value == 16
        with pytest.raises(RpcError) as info:
            await calc.evaluate({"parameter": 3}).value.read()
        assert "parameter index out of range" in info.value.reason
        for c in net.clients:
            c.close()
        xcap.close()
        await settle()
        assert_empty(y)
        assert_empty(py, forwarders=1)
        assert_empty(px, imports=1, import_refs=1)
        await y.close()
        await py.wait_closed()
        await settle()
        assert_empty(px)
        await px.close()

    try:
        asyncio.run(asyncio.wait_for(main(), 60))
    finally:
        proc.kill()
        proc.wait()


class _Absent:
    """Stands for X when X is another process."""

    _conn: Optional[Any] = None


def test_promise_resolved_to_a_capability_of_another_connection() -> None:
    """P hands Y a promise of its own, then settles it to X's capability."""

    async def main() -> None:
        x_end, px_end = memory_pair()
        py_end, y_end = memory_pair()
        x = capnp.Session(x_end, CalculatorImpl())
        px = capnp.Session(px_end)
        xcalc = px.bootstrap().cast_as(calc_capnp.Calculator)
        resolvers: List[Any] = []
        sessions: List[capnp.Session] = []

        class Broker(calc_capnp.Calculator.Server):  # type: ignore[name-defined]
            async def getOperator(self, op: Any, _context: Any, **kw: Any) -> Any:
                promise, resolver = sessions[0].export_promise(calc_capnp.Calculator.Function)
                resolvers.append(resolver)
                return promise

        py = capnp.Session(py_end, Broker())
        sessions.append(py)
        y = capnp.Session(y_end)
        calc = y.bootstrap().cast_as(calc_capnp.Calculator)
        func = (await calc.getOperator(op="add")).func
        early = func.call(params=[1, 2])  # waits on the promise
        await settle()
        real = (await xcalc.getOperator(op="multiply")).func
        assert resolvers[0].resolve(real)
        real.close()
        assert (await early).value == 2
        assert (await func.call(params=[5, 6])).value == 30
        func.close()
        calc.close()
        xcalc.close()
        await settle()
        assert_empty(y)
        assert_empty(py, forwarders=1)  # settled promises keep their forwarder until P-Y closes
        await y.close()
        await py.wait_closed()
        await settle()
        assert_empty(px)
        assert_empty(x)
        await px.close()

    run(main)


def test_malformed_params_fail_the_forwarded_call_not_the_next_connection() -> None:
    from capnp_lite.rpc import codec
    from capnp_lite.rpc.ids import QuestionId
    from capnp_lite.rpc.messages import (Bootstrap, Call, Payload, PromisedAnswer, PromisedAnswerTarget,
                                         Return, ReturnException)
    from capnp_lite.wire.framing import MessageDecoder, decode_message, encode_message
    from capnp_lite.wire.layout import MessageBuilder, MessageReader

    content = MessageBuilder()
    content.init_root(1, 1)
    call = Call(QuestionId(1), PromisedAnswerTarget(PromisedAnswer(QuestionId(0))), 0x97983392DF35CC36, 0,
                Payload(content.root_pointer_reader()))
    segment = bytearray(decode_message(codec.encode_framed(call))[0])
    payload = MessageReader([bytes(segment)]).root().get_struct(0).get_struct(1)
    word = payload.pointer_offset  # the params pointer: now far past the segment's end
    segment[8 * word:8 * word + 8] = ((1000 << 2) | (1 << 32)).to_bytes(8, "little")

    async def main() -> None:
        x_end, px_end = memory_pair()
        py_end, y_end = memory_pair()
        x = capnp.Session(x_end, CalculatorImpl())
        px = capnp.Session(px_end)
        xcap = px.bootstrap()
        py = capnp.Session(py_end, xcap)
        y_end.write(codec.encode_framed(Bootstrap(QuestionId(0))) + encode_message([bytes(segment)]))
        decoder = MessageDecoder()
        returned: Dict[int, Any] = {}
        while 1 not in returned:
            data = await y_end.read()
            assert data, "P closed its connection to Y"
            decoder.feed(data)
            while True:
                segments = decoder.next_message()
                if segments is None:
                    break
                m = codec.decode(segments)
                if isinstance(m, Return):
                    returned[int(m.answer_id)] = m.body
        assert isinstance(returned[1], ReturnException)
        await settle()
        assert px.is_open and x.is_open  # P's connection to X was not the one at fault
        assert (await xcap.cast_as(calc_capnp.Calculator).evaluate({"literal": 2.0}).value.read()).value == 2.0
        for s in (py, px, x):
            await s.close()

    run(main)


async def x_and_local(server: Any) -> Tuple[capnp.Session, capnp.Session, Any, capnp.Session, Any]:
    """X hosts a calculator that P bootstraps (``remote``); ``server`` is a local object of
    another session (any: the target is local), called through ``local``."""
    x_end, px_end = memory_pair()
    x = capnp.Session(x_end, CalculatorImpl())
    px = capnp.Session(px_end)
    remote = px.bootstrap().cast_as(calc_capnp.Calculator)
    local_session = capnp.Session(memory_pair()[0])
    return x, px, remote, local_session, local_session._make_cap(server, calc_capnp.Calculator.schema)


def test_a_local_call_passing_another_connection_s_capability_keeps_nothing() -> None:
    """A server object of ours called locally with X's capability in its params: the params own
    a client of X's connection, released with them; nothing stays behind after the call."""

    async def main() -> None:
        x, px, remote, local_session, local = await x_and_local(CalculatorImpl())
        add = (await remote.getOperator(op="add")).func
        for k in range(5):
            value = (await call_request(local, add, k, 1).send()).value
            assert (await value.read()).value == k + 1
            value.close()
        await settle()
        assert_empty(local_session)
        assert_empty(px, imports=2, import_refs=2)  # the bootstrap and ``add``, held here
        add.close()
        remote.close()
        await settle()
        assert_empty(px)
        assert_empty(x)
        await local_session.close()
        await px.close()
        await x.wait_closed()

    run(main)


class Echo(calc_capnp.Calculator.Server):  # type: ignore[misc, name-defined]
    """Returns the capability it was given (another connection's, in a local call)."""

    async def evaluate(self, expression: Any, _context: Any, **kwargs: Any) -> Any:
        return expression.previousResult


def test_calls_pipelined_on_a_local_call_s_results_reach_another_connection() -> None:
    async def main() -> None:
        x, px, remote, local_session, local = await x_and_local(Echo())
        five = (await remote.evaluate({"literal": 5.0})).value
        pipelined = local.evaluate({"previousResult": five}).value
        assert (await pipelined.read()).value == 5.0  # before the local call returned
        awaited = (await local.evaluate({"previousResult": five})).value
        assert (await awaited.read()).value == 5.0
        refs = sum(px._import_refs.values())
        pipelined.close()  # gives back its own client of px at once
        assert sum(px._import_refs.values()) == refs - 1
        for c in (awaited, five, remote):
            c.close()
        del pipelined  # and with it the local call's results it kept
        await settle()
        assert_empty(local_session)
        assert_empty(px)
        await local_session.close()
        await px.close()
        await x.wait_closed()

    run(main)


class SlowEcho(calc_capnp.Calculator.Server):  # type: ignore[misc, name-defined]
    async def evaluate(self, expression: Any, _context: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0)
        return expression.previousResult


class Zero(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    async def read(self, **kwargs: Any) -> float:
        return 0.0


class Keeper(calc_capnp.Calculator.Server):  # type: ignore[misc, name-defined]
    """Keeps the capability it is given and answers with a constant."""

    kept: List[Any] = []

    async def evaluate(self, expression: Any, _context: Any, **kwargs: Any) -> Any:
        Keeper.kept.append(expression.previousResult)
        return Zero()


def test_a_pipeline_client_on_a_local_call_sent_on_before_its_queue_drains() -> None:
    """The client still waits behind calls queued on the local call's promise when it is sent
    to another peer: that peer gets a forwarder of its own, which outlives the client."""

    async def main() -> None:
        Keeper.kept.clear()
        x_end, px_end = memory_pair()
        x = capnp.Session(x_end, CalculatorImpl())
        px = capnp.Session(px_end)
        remote = px.bootstrap().cast_as(calc_capnp.Calculator)
        five = (await remote.evaluate({"literal": 5.0})).value
        l_end, y_end = memory_pair()
        y = capnp.Session(y_end, Keeper())
        lsession = capnp.Session(l_end)
        keeper = lsession.bootstrap().cast_as(calc_capnp.Calculator)
        local = lsession._make_cap(SlowEcho(), calc_capnp.Calculator.schema)
        promise = local.evaluate({"previousResult": five})
        value = promise.value
        sent: List[Any] = []

        async def send_when_settled() -> None:
            await promise  # woken before the read queued below has run
            sent.append(keeper.evaluate({"previousResult": value}))

        task = asyncio.ensure_future(send_when_settled())
        await asyncio.sleep(0)
        read = value.read()  # queued on the local call's promise
        await task
        await sent[0]
        assert (await read).value == 5.0
        value.close()
        await settle()
        assert (await Keeper.kept[0].read()).value == 5.0  # still works: not the closed client's copy
        for c in Keeper.kept + [keeper, five, remote]:
            c.close()
        await lsession.close()
        await y.wait_closed()
        await px.close()
        await x.wait_closed()

    run(main)


def test_a_pipeline_client_on_a_local_call_comes_home_as_itself() -> None:
    async def main() -> None:
        x, px, remote, lsession, local = await x_and_local(Echo())
        five = (await remote.evaluate({"literal": 5.0})).value
        value = local.evaluate({"previousResult": five}).value
        await settle()
        made: List[Any] = []
        new_forwarder = px._new_forwarder
        px._new_forwarder = lambda cap, persistent: made.append(cap) or new_forwarder(cap, persistent)  # type: ignore[method-assign, func-returns-value]
        answer = (await remote.evaluate({"previousResult": value})).value  # back to X through P
        assert (await answer.read()).value == 5.0
        assert made == []  # X got its own capability back, not one forwarded by P
        for c in (answer, value, five, remote):
            c.close()
        await lsession.close()
        await px.close()
        await x.wait_closed()

    run(main)
