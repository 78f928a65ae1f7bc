"""Every server method runs in a task, from its first statement on.

Code that needs the current task (``asyncio.timeout``, ``wait_for`` on 3.12+,
``TaskGroup``) works anywhere in a method, whatever the transport and for local
calls too, and what it cancels is that call alone: never the session's reader,
the caller's task or another call running at the same time.  Before Python 3.12
the task is the session's parked one (see ``capnp_lite.aio``): the tests here
also check how it is handed on, retired and dropped.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import sys
from typing import Any, Awaitable, Callable, List, Optional, Tuple

import pytest

import capnp_lite.aio as capnp
from capnp_lite.errors import RpcError
from capnp_lite.aio.transport import memory_pair
from tests.aio.support import run

HERE = os.path.dirname(os.path.abspath(__file__))
calc_capnp = capnp.load(os.path.join(HERE, "..", "..", "schemas", "calculator.capnp"))

SEEN: List[Optional["asyncio.Task[Any]"]] = []


class Value(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    """Reads under a timeout taken before anything else, and records its task."""

    async def read(self, **kwargs: Any) -> float:
        SEEN.append(asyncio.current_task())
        return await asyncio.wait_for(self._slow(), 5)

    async def _slow(self) -> float:
        await asyncio.sleep(0)
        return 4.5


class TimedValue(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    async def read(self, **kwargs: Any) -> float:
        async with asyncio.timeout(5):  # type: ignore[attr-defined, unused-ignore]
            return 1.5


class Calc(calc_capnp.Calculator.Server):  # type: ignore[misc, name-defined]
    def __init__(self, value: Any) -> None:
        self.value = value

    async def evaluate(self, expression: Any, _context: Any, **kwargs: Any) -> Any:
        return self.value


async def _tcp_pair(bootstrap: Any) -> Any:
    served: List[Any] = []

    async def on_client(stream: Any) -> None:
        server = capnp.TwoPartyServer(stream, bootstrap=bootstrap)
        served.append(server)
        await server.on_disconnect()

    listener: Any = await capnp.AsyncIoStream.create_server(on_client, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    client = capnp.TwoPartyClient(await capnp.AsyncIoStream.create_connection(host="127.0.0.1", port=port))
    return listener, client


@pytest.mark.parametrize("over", ["tcp", "memory"])
def test_wait_for_as_the_first_statement(over: str) -> None:
    async def main() -> None:
        SEEN.clear()
        if over == "tcp":
            listener, client = await _tcp_pair(Calc(Value()))
        else:
            a, b = memory_pair()
            server = capnp.TwoPartyServer(capnp.AsyncIoStream(b), bootstrap=Calc(Value()))
            client = capnp.TwoPartyClient(capnp.AsyncIoStream(a))
        calc = client.bootstrap().cast_as(calc_capnp.Calculator)
        value = calc.evaluate({"literal": 0.0}).value
        results = await asyncio.gather(*[value.read() for _ in range(20)])
        assert {r.value for r in results} == {4.5}
        assert len(SEEN) == 20 and all(t is not None for t in SEEN)
        await client.close()
        if over == "tcp":
            listener.close()
            await listener.wait_closed()
        else:
            await server.close()

    run(main)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.timeout is new in Python 3.11")
def test_asyncio_timeout_as_the_first_statement() -> None:
    async def main() -> None:
        listener, client = await _tcp_pair(Calc(TimedValue()))
        calc = client.bootstrap().cast_as(calc_capnp.Calculator)
        assert (await calc.evaluate({"literal": 0.0}).value.read()).value == 1.5
        await client.close()
        listener.close()
        await listener.wait_closed()

    run(main)


class ExpiringValue(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    """Its first statement opens a timeout that expires: the method answers -1."""

    async def read(self, **kwargs: Any) -> float:
        try:
            async with asyncio.timeout(0.02):  # type: ignore[attr-defined, unused-ignore]
                await asyncio.sleep(5)
        except TimeoutError:
            return -1.0
        return 1.0


class ExpiringWaitFor(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    async def read(self, **kwargs: Any) -> float:
        try:
            await asyncio.wait_for(asyncio.sleep(5), 0.02)
        except asyncio.TimeoutError:
            return -2.0
        return 2.0


class Grouped(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    async def read(self, **kwargs: Any) -> float:
        async with asyncio.TaskGroup() as group:  # type: ignore[attr-defined, unused-ignore]
            part = group.create_task(self._part())
        return float(part.result())

    async def _part(self) -> float:
        await asyncio.sleep(0)
        return 3.0


TASKS: List[Tuple[Any, Any]] = []


class Recorded(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    """Records the current task before and after its first await."""

    async def read(self, **kwargs: Any) -> float:
        before = asyncio.current_task()
        await asyncio.sleep(0)
        TASKS.append((before, asyncio.current_task()))
        return 0.0


async def _connect(over: str, bootstrap: Any) -> Tuple[Any, Callable[[], Awaitable[None]]]:
    """A client over ``over`` to a server of ``bootstrap``, and what closes both."""
    if over == "tcp":
        listener, client = await _tcp_pair(bootstrap)

        async def close_tcp() -> None:
            await client.close()
            listener.close()
            await listener.wait_closed()
        return client, close_tcp
    a, b = memory_pair(push=over == "memory-push")
    server = capnp.TwoPartyServer(capnp.AsyncIoStream(b), bootstrap=bootstrap)
    client = capnp.TwoPartyClient(capnp.AsyncIoStream(a))

    async def close_memory() -> None:
        await client.close()
        await server.close()
    return client, close_memory


OVER = ["tcp", "memory", "memory-push"]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.timeout is new in Python 3.11")
@pytest.mark.parametrize("over", OVER)
def test_a_timeout_that_expires_cancels_its_call_alone(over: str) -> None:
    async def main() -> None:
        client, close = await _connect(over, Calc(ExpiringValue()))
        value = client.bootstrap().cast_as(calc_capnp.Calculator).evaluate({"literal": 0.0}).value
        results = await asyncio.gather(*[value.read() for _ in range(5)])
        assert [r.value for r in results] == [-1.0] * 5
        assert (await value.read()).value == -1.0  # the connection lives on
        await close()

    run(main)


@pytest.mark.parametrize("over", OVER)
def test_a_wait_for_that_expires_on_the_first_statement(over: str) -> None:
    async def main() -> None:
        client, close = await _connect(over, Calc(ExpiringWaitFor()))
        value = client.bootstrap().cast_as(calc_capnp.Calculator).evaluate({"literal": 0.0}).value
        assert [r.value for r in await asyncio.gather(value.read(), value.read())] == [-2.0, -2.0]
        await close()

    run(main)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.TaskGroup is new in Python 3.11")
@pytest.mark.parametrize("over", OVER)
def test_a_task_group_on_the_first_statement(over: str) -> None:
    async def main() -> None:
        client, close = await _connect(over, Calc(Grouped()))
        value = client.bootstrap().cast_as(calc_capnp.Calculator).evaluate({"literal": 0.0}).value
        assert (await value.read()).value == 3.0
        await close()

    run(main)


@pytest.mark.parametrize("over", OVER)
def test_each_call_runs_in_one_task_of_its_own(over: str) -> None:
    async def main() -> None:
        TASKS.clear()
        client, close = await _connect(over, Calc(Recorded()))
        value = client.bootstrap().cast_as(calc_capnp.Calculator).evaluate({"literal": 0.0}).value
        await asyncio.gather(*[value.read() for _ in range(10)])
        assert len(TASKS) == 10
        assert all(before is not None and before is after for before, after in TASKS)
        assert len({id(before) for before, _ in TASKS}) == 10
        assert asyncio.current_task() not in {before for before, _ in TASKS}
        await close()

    run(main)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.timeout is new in Python 3.11")
def test_a_local_call_whose_timeout_expires_leaves_its_caller_alone() -> None:
    async def main() -> None:
        session = capnp.Session(memory_pair()[0])  # any session: the target is local
        value = session._make_cap(ExpiringValue(), calc_capnp.Calculator.Value.schema)
        caller = asyncio.current_task()
        assert (await value.read()).value == -1.0
        assert caller is not None and not caller.cancelling()  # type: ignore[attr-defined, unused-ignore]
        await asyncio.sleep(0.05)  # had the caller's task been cancelled, this would raise
        await session.close()

    run(main)


VAR: "contextvars.ContextVar[str]" = contextvars.ContextVar("VAR", default="unset")


class Setter(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    async def read(self, **kwargs: Any) -> float:
        seen = VAR.get()
        VAR.set("set by a call")
        return 1.0 if seen == "unset" else 0.0


@pytest.mark.parametrize("over", ["local"] + OVER)
def test_context_variables_set_by_a_method_stay_in_its_call(over: str) -> None:
    async def main() -> None:
        value, close = await _value_of(over, Setter())
        assert [(await value.read()).value for _ in range(3)] == [1.0, 1.0, 1.0]
        assert VAR.get() == "unset"
        await close()

    run(main)


class Keeper(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    """Sets a context variable, then reads it back after an await."""

    async def read(self, **kwargs: Any) -> float:
        VAR.set("kept")
        await asyncio.sleep(0)
        return 1.0 if VAR.get() == "kept" else 0.0


@pytest.mark.parametrize("over", ["local"] + OVER)
def test_a_context_variable_set_by_a_method_lasts_through_its_awaits(over: str) -> None:
    async def main() -> None:
        value, close = await _value_of(over, Keeper())
        assert [(await value.read()).value for _ in range(3)] == [1.0, 1.0, 1.0]
        assert VAR.get() == "unset"
        await close()

    run(main)


async def _value_of(over: str, server: Any) -> Tuple[Any, Callable[[], Awaitable[None]]]:
    """A client of ``server`` (a Value): local, or through a connection."""
    if over == "local":
        session = capnp.Session(memory_pair()[0])  # any session: the target is local
        return session._make_cap(server, calc_capnp.Calculator.Value.schema), session.close
    client, close = await _connect(over, Calc(server))
    return client.bootstrap().cast_as(calc_capnp.Calculator).evaluate({"literal": 0.0}).value, close


class Reader(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    async def read(self, **kwargs: Any) -> float:
        return 1.0 if VAR.get() == "unset" else 0.0


class SettingCalc(calc_capnp.Calculator.Server):  # type: ignore[misc, name-defined]
    async def evaluate(self, expression: Any, _context: Any, **kwargs: Any) -> Any:
        VAR.set("set by evaluate")
        await asyncio.sleep(0)
        return Reader()


@pytest.mark.parametrize("over", OVER)
def test_a_call_pipelined_on_an_answer_does_not_inherit_its_context(over: str) -> None:
    """The call on evaluate's result starts right behind its Return, inside evaluate's last
    step; it still gets a context of its own."""

    async def main() -> None:
        client, close = await _connect(over, SettingCalc())
        calc = client.bootstrap().cast_as(calc_capnp.Calculator)
        assert (await calc.evaluate({"literal": 0.0}).value.read()).value == 1.0
        await close()

    run(main)


CHILDREN: List["asyncio.Task[None]"] = []


async def _child() -> None:
    await asyncio.sleep(0.05)


class Gathering(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    async def read(self, **kwargs: Any) -> float:
        child = asyncio.ensure_future(_child())
        CHILDREN.append(child)
        await asyncio.gather(child)
        return 1.0


def test_a_call_cancelled_before_its_task_runs_cancels_what_it_waits_for(monkeypatch: Any) -> None:
    """A Finish in the same batch as its Call cancels the call's task before the task's own
    first step: the future the method waits for (here a gather) is cancelled too."""
    from capnp_lite.aio import session as session_module

    start = session_module.Session._start

    def start_then_cancel(self: Any, ans: Any, *args: Any) -> None:
        start(self, ans, *args)
        if ans.task is not None:
            ans.task.cancel()

    monkeypatch.setattr(session_module.Session, "_start", start_then_cancel)

    async def main() -> None:
        CHILDREN.clear()
        session = capnp.Session(memory_pair()[0])
        value = session._make_cap(Gathering(), calc_capnp.Calculator.Value.schema)
        with pytest.raises(RpcError, match="cancelled"):
            await value.read()
        await asyncio.sleep(0.1)
        assert len(CHILDREN) == 1 and CHILDREN[0].cancelled()
        await session.close()

    run(main)


class Interrupting(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    async def read(self, **kwargs: Any) -> float:
        raise KeyboardInterrupt


def test_an_interrupt_in_a_method_is_answered_and_let_through() -> None:
    async def main() -> None:
        session = capnp.Session(memory_pair()[0])
        value = session._make_cap(Interrupting(), calc_capnp.Calculator.Value.schema)
        promise = value.read()
        with pytest.raises(KeyboardInterrupt):
            await promise
        with pytest.raises(RpcError):  # the call was answered, with a failure
            await promise
        await session.close()

    run(main)


def test_an_interrupt_in_a_pushed_batch_ends_that_session() -> None:
    sessions: List[Any] = []

    async def main() -> None:
        a, b = memory_pair(push=True)
        server = capnp.TwoPartyServer(capnp.AsyncIoStream(b), bootstrap=Calc(Interrupting()))
        sessions.append(server)
        client = capnp.TwoPartyClient(capnp.AsyncIoStream(a))
        value = client.bootstrap().cast_as(calc_capnp.Calculator).evaluate({"literal": 0.0}).value
        await value.read()

    with pytest.raises(KeyboardInterrupt):
        asyncio.run(main())
    assert not sessions[0].session.is_open
    assert "session interrupted" in str(sessions[0].session._error)


def test_a_task_cancelled_after_its_method_ended_in_the_first_step_ends_quietly() -> None:
    """Before 3.12 such a task still has its own first step to run; cancelling it then (as
    ``asyncio.run`` does to every task at its end) must neither fail nor be reported."""

    async def main() -> None:
        reported: List[Any] = []
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: reported.append(context))
        session = capnp.Session(memory_pair()[0])
        value = session._make_cap(Reader(), calc_capnp.Calculator.Value.schema)
        before = asyncio.all_tasks()
        assert (await value.read()).value == 1.0
        for task in asyncio.all_tasks() - before:
            task.cancel()
        for _ in range(5):
            await asyncio.sleep(0)
        assert reported == []
        await session.close()

    run(main)


class WhichCaller(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    async def read(self, **kwargs: Any) -> float:
        await asyncio.sleep(0)
        return {"A": 2.0, "unset": 1.0}[VAR.get()]


def test_local_calls_start_in_a_copy_of_their_own_caller_s_context() -> None:
    """Two tasks call the same local capability; both starts run together (on the next turn,
    or when one of them awaits), each in a copy of the context of the task that made it."""

    async def main() -> None:
        session = capnp.Session(memory_pair()[0])
        value = session._make_cap(WhichCaller(), calc_capnp.Calculator.Value.schema)
        seen = {}

        async def a() -> None:
            VAR.set("A")
            promise = value.read()
            await asyncio.sleep(0.01)
            seen["a"] = (await promise).value

        async def b() -> None:
            seen["b"] = (await value.read()).value  # awaits first: starts A's call too

        await asyncio.gather(a(), b())
        assert seen == {"a": 2.0, "b": 1.0}
        await session.close()

    run(main)


class Ending(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    """Ends its own session in its first step, then waits."""

    ended: List[str] = []

    async def read(self, _context: Any, **kwargs: Any) -> float:
        _context._session._shut_down(RpcError("ended by a method"))
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            Ending.ended.append("cancelled")
            raise
        return 1.0


def test_a_session_that_ends_during_a_method_s_first_step_cancels_it() -> None:
    async def main() -> None:
        Ending.ended.clear()
        client, close = await _connect("memory", Calc(Ending()))
        value = client.bootstrap().cast_as(calc_capnp.Calculator).evaluate({"literal": 0.0}).value
        pending = asyncio.ensure_future(value.read())
        for _ in range(50):
            await asyncio.sleep(0)
        assert Ending.ended == ["cancelled"]
        pending.cancel()
        await close()

    run(main)


class Watching(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    """Asks to hear when its own task ends, and ends at once."""

    heard: List[str] = []

    async def read(self, **kwargs: Any) -> float:
        task = asyncio.current_task()
        assert task is not None
        task.add_done_callback(lambda _: Watching.heard.append("ended"))
        return 1.0


def test_a_done_callback_on_a_method_s_own_task_runs_when_it_ends() -> None:
    async def main() -> None:
        Watching.heard.clear()
        value, close = await _value_of("memory", Watching())
        assert [(await value.read()).value for _ in range(3)] == [1.0] * 3
        for _ in range(5):
            await asyncio.sleep(0)
        assert Watching.heard == ["ended"] * 3
        await close()

    run(main)


class SelfCancelling(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    """Call number ``cancel_on`` cancels its own task and ends anyway; the calls before it end
    at once, those after it suspend once."""

    def __init__(self, cancel_on: int) -> None:
        self.cancel_on = cancel_on
        self.calls = 0

    async def read(self, **kwargs: Any) -> float:
        self.calls += 1
        if self.calls <= self.cancel_on:
            if self.calls == self.cancel_on:
                task = asyncio.current_task()
                assert task is not None
                task.cancel()
            return 1.0
        await asyncio.sleep(0)
        return 2.0


@pytest.mark.parametrize("cancel_on", [1, 2])
def test_a_task_a_method_cancelled_is_not_the_next_call_s(cancel_on: int) -> None:
    """With ``cancel_on=2`` the task the call runs as may have waited between calls first."""

    async def main() -> None:
        value, close = await _value_of("memory", SelfCancelling(cancel_on))
        for _ in range(cancel_on):
            assert (await value.read()).value == 1.0
            for _ in range(5):
                await asyncio.sleep(0)
        assert [(await asyncio.wait_for(value.read(), 5)).value for _ in range(3)] == [2.0] * 3
        await close()

    run(main)


class Inner(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    async def read(self, **kwargs: Any) -> float:
        TASKS.append((asyncio.current_task(), None))
        return 1.0


class Outer(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    """Awaits a local call from its first step (which starts that call inline)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def read(self, **kwargs: Any) -> float:
        mine = asyncio.current_task()
        value = (await self.inner.read()).value
        assert asyncio.current_task() is mine
        TASKS.append((mine, None))
        return float(value) + 1.0


def test_a_first_step_inside_another_runs_as_a_task_of_its_own() -> None:
    async def main() -> None:
        TASKS.clear()
        session = capnp.Session(memory_pair()[0])
        inner = session._make_cap(Inner(), calc_capnp.Calculator.Value.schema)
        outer = session._make_cap(Outer(inner), calc_capnp.Calculator.Value.schema)
        assert (await outer.read()).value == 2.0
        (inner_task, _), (outer_task, _) = TASKS
        assert inner_task is not None and outer_task is not None and inner_task is not outer_task
        await session.close()

    run(main)


def test_a_closed_session_leaves_no_task_behind() -> None:
    async def main() -> None:
        before = asyncio.all_tasks()
        value, close = await _value_of("memory", Reader())
        assert (await value.read()).value == 1.0
        await close()
        for _ in range(5):
            await asyncio.sleep(0)
        assert {t for t in asyncio.all_tasks() - before if not t.done()} == set()

    run(main)


class Watchdog(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    """The first call leaves a timer armed to cancel its own task and ends at once (on a task of
    its own, the timer then does nothing); the next calls suspend."""

    calls = 0

    async def read(self, **kwargs: Any) -> float:
        Watchdog.calls += 1
        if Watchdog.calls == 1:
            task = asyncio.current_task()
            assert task is not None
            asyncio.get_running_loop().call_later(0.01, task.cancel)
            return 1.0
        await asyncio.sleep(0)
        return 2.0


def test_a_task_cancelled_after_its_call_ended_is_not_used_again() -> None:
    async def main() -> None:
        Watchdog.calls = 0
        value, close = await _value_of("local", Watchdog())
        assert (await value.read()).value == 1.0
        await asyncio.sleep(0.03)  # the timer fires
        assert [(await asyncio.wait_for(value.read(), 5)).value for _ in range(3)] == [2.0] * 3
        await close()

    run(main)


class PlainSetter(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    """A plain ``def`` method: it runs at once, in the call's own context too."""

    def read(self, **kwargs: Any) -> float:
        seen = VAR.get()
        VAR.set("set by a plain call")
        return 1.0 if seen == "unset" else 0.0


@pytest.mark.parametrize("over", ["local"] + OVER)
def test_context_variables_set_by_a_plain_method_stay_in_its_call(over: str) -> None:
    async def main() -> None:
        value, close = await _value_of(over, PlainSetter())
        assert [(await value.read()).value for _ in range(3)] == [1.0, 1.0, 1.0]
        assert VAR.get() == "unset"
        await close()

    run(main)


class Gate:
    """One future that every call of a WaitingValue waits on."""

    def __init__(self) -> None:
        self.future: Optional["asyncio.Future[float]"] = None


class WaitingValue(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, name-defined]
    def __init__(self, gate: Gate) -> None:
        self.gate = gate

    async def read(self, **kwargs: Any) -> float:
        assert self.gate.future is not None
        return await self.gate.future  # the first statement: inside the method's first step


@pytest.mark.parametrize("over", ["tcp", "memory", "local"])
def test_calls_whose_first_steps_wait_on_one_future(over: str) -> None:
    """Several first steps that suspend on the same future before their tasks run (one batch
    of calls, or local calls started together) all wait for it, then all get its value."""
    async def main() -> None:
        gate = Gate()
        gate.future = asyncio.get_running_loop().create_future()
        if over == "local":
            value = calc_capnp.Calculator.Value._new_client(WaitingValue(gate))
        elif over == "tcp":
            listener, client = await _tcp_pair(Calc(WaitingValue(gate)))
            value = client.bootstrap().cast_as(calc_capnp.Calculator).evaluate({"literal": 0.0}).value
        else:
            a, b = memory_pair()
            server = capnp.TwoPartyServer(capnp.AsyncIoStream(b), bootstrap=Calc(WaitingValue(gate)))
            client = capnp.TwoPartyClient(capnp.AsyncIoStream(a))
            value = client.bootstrap().cast_as(calc_capnp.Calculator).evaluate({"literal": 0.0}).value
        reads = asyncio.gather(*[value.read() for _ in range(5)])
        await asyncio.sleep(0.05)
        assert not reads.done()
        gate.future.set_result(2.5)
        assert [r.value for r in await reads] == [2.5] * 5
        if over == "tcp":
            await client.close()
            listener.close()
            await listener.wait_closed()
        elif over == "memory":
            await client.close()
            await server.close()

    run(main)
