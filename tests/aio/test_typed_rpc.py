"""Typed clients and servers of generated code: against each other, the dynamic API and pycapnp."""

from __future__ import annotations

import asyncio
import os
import platform
import subprocess
import sys
from functools import partial
from typing import Any, List, Tuple

import pytest

import capnp_lite.aio as aio
from capnp_lite.aio.typed import TypedCallContext
from capnp_lite.errors import RpcError
from capnp_lite.generated import byte_stream_capnp as bs
from capnp_lite.generated import calculator_capnp as c

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from calculator_pycapnp_client import check_all as dynamic_check_all  # noqa: E402
from calculator_pycapnp_server import SCHEMA, make_impl  # noqa: E402
from tap import tapped_pair  # noqa: E402
from typed_calculator import CalculatorImpl, check_all, literal  # noqa: E402
from tests.aio.support import run as run_bounded  # noqa: E402

calc_schema = aio.load(SCHEMA)
DynamicCalculator = make_impl(aio, calc_schema)

try:
    import capnp  # noqa: F401

    HAVE_PYCAPNP = platform.python_implementation() == "CPython"
except ImportError:
    HAVE_PYCAPNP = False

needs_pycapnp = pytest.mark.skipif(not HAVE_PYCAPNP, reason="INTEROP NOT TESTED: pycapnp is not installed here")

run = partial(run_bounded, timeout=60.0)  # generous: these run the whole calculator check list
ALL_CHECKS = ["literal", "operator", "previousResult", "defFunction", "callback", "errors", "concurrent"]


async def memory_sessions(server: object) -> Tuple[aio.Session, aio.Session]:
    a, b = aio.memory_pair()
    return aio.Session(a), aio.Session(b, server)


async def close_all(*sessions: aio.Session) -> None:
    for s in sessions:
        await s.close()


# --- in memory -----------------------------------------------------------------------------------


@pytest.mark.parametrize("server", ["typed", "dynamic"])
def test_typed_client_in_memory(server: str) -> None:
    async def main() -> None:
        impl = CalculatorImpl() if server == "typed" else DynamicCalculator()
        cli, srv = await memory_sessions(impl)
        log: List[str] = []
        with c.Calculator_Client(cli.bootstrap()) as calc:
            await check_all(calc, log)
        assert log == ALL_CHECKS
        await close_all(cli, srv)

    run(main)


def test_dynamic_client_against_typed_server_in_memory() -> None:
    async def main() -> None:
        cli, srv = await memory_sessions(CalculatorImpl())
        calc = cli.bootstrap().cast_as(calc_schema.Calculator)
        await dynamic_check_all(aio, calc, calc_schema)
        await close_all(cli, srv)

    run(main)


def test_local_calls_between_typed_and_dynamic_objects() -> None:
    """Calls on our own server objects go through the server's own method table."""
    async def main() -> None:
        cli, srv = await memory_sessions(DynamicCalculator())
        # a typed client of a local dynamic server, and a dynamic client of a local typed one
        typed_of_dynamic = c.Calculator_Client(aio.Capability(cli, DynamicCalculator(), None))
        await check_all(typed_of_dynamic)
        dynamic_of_typed = aio.Capability(cli, CalculatorImpl(), None).cast_as(calc_schema.Calculator)
        await dynamic_check_all(aio, dynamic_of_typed, calc_schema)
        await close_all(cli, srv)

    run(main)


def test_results_and_params_are_the_generated_classes() -> None:
    async def main() -> None:
        cli, srv = await memory_sessions(CalculatorImpl())
        calc = c.Calculator_Client(cli.bootstrap())
        request = calc.getOperator_request()
        assert type(request.params) is c.Calculator_getOperator_Params_Builder
        request.params.op = c.Calculator_Operator.multiply
        response = await request.send()
        assert type(response.results) is c.Calculator_getOperator_Results_Reader
        index = response.results.func
        assert index is not None
        fn = response.client(c.Calculator_Function_Client, index)
        assert fn is not None
        params = c.Calculator_Function_call_Params_Builder()
        params.params = [6.0, 7.0]
        assert (await fn.call(params)).results.value == 42.0
        wrong = calc.evaluate_request()
        wrong.params = params  # type: ignore[assignment]
        with pytest.raises(TypeError, match="params must be"):
            wrong.send()
        fn.close()
        response.close()
        calc.close()
        await close_all(cli, srv)

    run(main)


def test_unimplemented_method_and_wrong_return() -> None:
    class Partial(c.Calculator_Server):
        async def getOperator(self, context: Any) -> None:
            return 5  # type: ignore[return-value]

    async def main() -> None:
        cli, srv = await memory_sessions(Partial())
        calc = c.Calculator_Client(cli.bootstrap())
        request = calc.evaluate_request()
        request.params.expression = literal(1)
        with pytest.raises(RpcError) as info:
            await request.send()
        assert info.value.type == "UNIMPLEMENTED"
        assert "Calculator.evaluate" in str(info.value)
        with pytest.raises(RpcError) as info2:
            await calc.getOperator()
        assert "must return None" in str(info2.value)
        calc.close()
        await close_all(cli, srv)

    run(main)


def test_cancellation_reaches_a_typed_server() -> None:
    state: List[str] = []

    class SlowValue(c.Calculator_Value_Server):
        def __init__(self, gate: "asyncio.Event") -> None:
            self.gate = gate

        async def read(self, context: TypedCallContext[c.Calculator_Value_read_Params_Reader,
                                                       c.Calculator_Value_read_Results_Builder]) -> None:
            self.gate.set()
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                state.append(f"cancelled={context.cancelled}")
                raise
            context.results.value = 1.0

    async def main() -> None:
        gate = asyncio.Event()
        cli, srv = await memory_sessions(SlowValue(gate))
        value = c.Calculator_Value_Client(cli.bootstrap())
        promise = value.read()
        await gate.wait()
        promise.cancel()
        with pytest.raises(RpcError):
            await promise
        for _ in range(20):
            if state:
                break
            await asyncio.sleep(0.01)
        assert state == ["cancelled=True"]
        value.close()
        await close_all(cli, srv)

    run(main)


def test_set_pipeline_publishes_results_early() -> None:
    class EarlyCalculator(c.Calculator_Server):
        def __init__(self, gate: "asyncio.Event") -> None:
            self.gate = gate

        async def evaluate(self, context: TypedCallContext[c.Calculator_evaluate_Params_Reader,
                                                           c.Calculator_evaluate_Results_Builder]) -> None:
            from typed_calculator import ValueImpl

            context.results.value = context.add_cap(ValueImpl(context.params.expression.literal))
            context.set_pipeline()
            await self.gate.wait()  # the pipelined read must not wait for this

    async def main() -> None:
        gate = asyncio.Event()
        cli, srv = await memory_sessions(EarlyCalculator(gate))
        calc = c.Calculator_Client(cli.bootstrap())
        request = calc.evaluate_request()
        request.params.expression = literal(9.5)
        promise = request.send()
        value = promise.client(c.Calculator_Value_Client, 0)
        assert (await asyncio.wait_for(value.read(), 5)).results.value == 9.5
        gate.set()
        (await promise).close()
        value.close()
        calc.close()
        await close_all(cli, srv)

    run(main)


def test_streaming_method_applies_flow_control() -> None:
    received: List[bytes] = []

    class Sink(bs.ByteStream_Server):
        def __init__(self, gate: "asyncio.Event") -> None:
            self.gate = gate

        async def write(self, context: TypedCallContext[bs.ByteStream_write_Params_Reader, Any]) -> None:
            await self.gate.wait()
            received.append(bytes(context.params.bytes))

        async def end(self, context: Any) -> None:
            pass

    async def main() -> None:
        gate = asyncio.Event()
        a, b = aio.memory_pair()
        cli, srv = aio.Session(a, stream_window=3000), aio.Session(b, Sink(gate))
        stream = bs.ByteStream_Client(cli.bootstrap())
        chunk = b"x" * 1000
        params = bs.ByteStream_write_Params_Builder()
        params.bytes = chunk
        for _ in range(2):
            await asyncio.wait_for(stream.write(params), 5)  # fits the window: no wait
        blocked = asyncio.ensure_future(_write_all(stream, chunk, 4))
        await asyncio.sleep(0.05)
        assert not blocked.done()  # the window is full while the server holds the calls
        gate.set()
        await asyncio.wait_for(blocked, 5)
        await stream.end()
        assert received == [chunk] * 6
        stream.close()
        await close_all(cli, srv)

    run(main)


async def _write_all(stream: bs.ByteStream_Client, chunk: bytes, n: int) -> None:
    for _ in range(n):
        request = stream.write_request()
        request.params.bytes = chunk
        await request.send()


# --- TCP ------------------------------------------------------------------------------------------


async def _serve_typed() -> Tuple[asyncio.AbstractServer, int, List[aio.TwoPartyServer]]:
    servers: List[aio.TwoPartyServer] = []

    async def on_connection(stream: aio.AsyncIoStream) -> None:
        server = aio.TwoPartyServer(stream, bootstrap=CalculatorImpl())
        servers.append(server)
        await server.on_disconnect()

    listener = await aio.AsyncIoStream.create_server(on_connection, "127.0.0.1", 0)
    return listener, listener.sockets[0].getsockname()[1], servers


def test_typed_client_and_server_over_tcp() -> None:
    async def main() -> None:
        listener, port, servers = await _serve_typed()
        stream = await aio.AsyncIoStream.create_connection("127.0.0.1", port)
        client = aio.TwoPartyClient(stream)
        log: List[str] = []
        with c.Calculator_Client(client.bootstrap()) as calc:
            await check_all(calc, log)
        assert log == ALL_CHECKS
        await client.close()
        for s in servers:
            await s.close()
        listener.close()
        await listener.wait_closed()

    run(main)


@needs_pycapnp
def test_typed_client_against_pycapnp_server() -> None:
    proc = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "calculator_pycapnp_server.py"), "--lib", "pycapnp"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("PORT "), line
        port = int(line.split()[1])

        async def main() -> None:
            stream = await aio.AsyncIoStream.create_connection("127.0.0.1", port)
            client = aio.TwoPartyClient(stream)
            log: List[str] = []
            with c.Calculator_Client(client.bootstrap()) as calc:
                await check_all(calc, log)
            assert log == ALL_CHECKS
            await client.close()

        run(main)
    finally:
        proc.kill()
        proc.wait()


@needs_pycapnp
def test_pycapnp_client_against_typed_server() -> None:
    async def main() -> None:
        listener, port, servers = await _serve_typed()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, os.path.join(HERE, "calculator_pycapnp_client.py"), "--lib", "pycapnp",
            "--port", str(port), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), 50)
        text = out.decode() + err.decode()
        assert proc.returncode == 0, text
        assert "ALL OK" in out.decode().split("\n"), text
        for s in servers:
            await s.close()
        listener.close()
        await listener.wait_closed()

    run(main)


# --- static typing --------------------------------------------------------------------------------


def _mypy(path: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary", path],
                          capture_output=True, text=True, timeout=300,
                          cwd=os.path.dirname(os.path.dirname(HERE)))


def _have_mypy() -> bool:
    try:
        import mypy  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _have_mypy(), reason="mypy is in the dev extra only: the CPython run checks the "
                    "typing, which does not depend on the interpreter")
def test_typed_usage_passes_mypy_and_a_wrong_use_is_reported(tmp_path: Any) -> None:
    usage = os.path.join(HERE, "typed_usage.py")
    ok = _mypy(usage)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    with open(usage, encoding="utf-8") as fh:
        source = fh.read()
    marker = "    value: float = response.results.value\n"
    assert marker in source
    bad = tmp_path / "typed_usage_bad.py"
    bad.write_text(source.replace(marker, "    value: str = response.results.value\n"), encoding="utf-8")
    wrong = _mypy(str(bad))
    assert wrong.returncode != 0
    assert "Incompatible types in assignment" in wrong.stdout and "str" in wrong.stdout, wrong.stdout


# --- tail calls ----------------------------------------------------------------------------------


class Triple(c.Calculator_Function_Server):
    async def call(self, context: TypedCallContext[c.Calculator_Function_call_Params_Reader,
                                                   c.Calculator_Function_call_Results_Builder]) -> None:
        context.results.value = 3 * context.params.params[0]


class Delegate(c.Calculator_Function_Server):
    """Answers every call with a tail call to ``target``."""

    def __init__(self, target: c.Calculator_Function_Client) -> None:
        self.target = target

    async def call(self, context: TypedCallContext[c.Calculator_Function_call_Params_Reader,
                                                   c.Calculator_Function_call_Results_Builder]) -> None:
        context.results.value = -1.0  # replaced by the tail call's results
        req = self.target.call_request()
        req.params.params = list(context.params.params)
        await context.tail_call(req)


class DelegatingCalculator(c.Calculator_Server):
    """defFunction returns a Delegate to the body's function (the caller's) or to a local Triple."""

    def __init__(self, local: bool) -> None:
        self.local = local
        self.session: Any = None  # the serving session, for a client of a local object

    async def defFunction(self, context: TypedCallContext[c.Calculator_defFunction_Params_Reader,
                                                          c.Calculator_defFunction_Results_Builder]) -> None:
        if self.local:
            target = c.Calculator_Function_Client(aio.Capability(self.session, Triple(), None))
        else:
            found = context.params_client(c.Calculator_Function_Client, context.params.body.call.function)
            assert found is not None
            target = found
        context.results.func = context.add_cap(Delegate(target))


@pytest.mark.parametrize("local", [False, True])
def test_typed_tail_call(local: bool) -> None:
    async def main() -> None:
        from capnp_lite.rpc.messages import Return, ReturnResultsSentElsewhere

        tap, other = tapped_pair()
        impl = DelegatingCalculator(local)
        client, server = aio.Session(tap), aio.Session(other, impl)
        impl.session = server
        calc = c.Calculator_Client(client.bootstrap())
        req = calc.defFunction_request()
        req.params.paramCount = 1
        req.params.body.init_call().function = req.add_cap(Triple())
        with req.send().func as func:
            call = func.call_request()
            call.params.params = [5.0]
            assert (await call.send()).results.value == 15.0
        forwarded = any(isinstance(m, Return) and isinstance(m.body, ReturnResultsSentElsewhere)
                        for m in tap.sent)
        # A target of the peer's: the protocol's tail call (our Triple answered the server's
        # forwarded call and kept the results).  A local target: made and copied on the server.
        assert forwarded is not local
        calc.close()
        await close_all(client, server)

    run(main)


def test_typed_usage_runs() -> None:
    from typed_usage import main

    async def go() -> None:
        assert await main() == 2.5

    run(go)
