"""Calls started without a loop turn are nested only so deep (the rest start on a later turn, in
order), and the timer of held Finish/Release messages waits for the newest of them."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, List

import pytest

import capnp_lite
import capnp_lite.aio as aio
from capnp_lite.aio import session as session_module
from capnp_lite.aio._schema import interface_info
from capnp_lite.rpc.messages import Finish

from .tap import Tap, tapped_both
from .test_coalescing import run

SCHEMA = """
@0xc0ffee15deadbe01;
interface Link {
  down @0 (n :Int32) -> (n :Int32);
  next @1 (n :Int32) -> (link :Link);
  value @2 () -> (n :Int32);
  block @3 () -> ();
}
"""

DEPTH = 12  # more than the session's bound on nested inline starts


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("schema") / "link.capnp"
    path.write_text(SCHEMA)
    return capnp_lite.load(str(path))


def test_the_bound_is_below_the_depth_used_here() -> None:
    assert session_module._MAX_INLINE_DEPTH < DEPTH


def test_nested_awaited_local_calls_past_the_bound_complete_in_order(schema: Any) -> None:
    started: List[int] = []
    ended: List[int] = []
    depths: List[int] = []
    holder: List[Any] = []

    class Link(schema.Link.Server):  # type: ignore[misc, name-defined]
        async def down(self, n: int, _context: Any) -> int:
            started.append(n)
            depths.append(holder[1]._inline_depth)
            total = n
            if n > 0:
                total += (await holder[0].down(n - 1)).n  # awaited at once: starts inline
            ended.append(n)
            return total

    async def main() -> None:
        a, b = aio.memory_pair()
        session, peer = aio.Session(a), aio.Session(b)
        holder.extend([aio.Capability(session, Link(), interface_info(schema.Link)), session])
        result = await holder[0].down(DEPTH)
        assert result.n == DEPTH * (DEPTH + 1) // 2
        assert started == list(range(DEPTH, -1, -1))
        assert ended == list(range(DEPTH + 1))
        # Nested inline as deep as allowed, never deeper (the rest wait in tasks).
        assert max(depths) == session_module._MAX_INLINE_DEPTH
        assert session._inline_depth == 0 and not session._local_starts
        await session.close()
        await peer.close()

    run(main)


@pytest.mark.parametrize("early_writes", [0, 4])
def test_a_pipelined_chain_past_the_bound_is_delivered_in_order(schema: Any, monkeypatch: pytest.MonkeyPatch,
                                                              early_writes: int) -> None:
    # With no early writes the whole chain is queued at the server before its first call
    # returns (one write); with them, its first calls arrive on their own.  Order holds either way.
    monkeypatch.setattr(session_module, "_EARLY_WRITES", early_writes)
    started: List[int] = []
    depths: List[int] = []
    holder: List[aio.Session] = []

    class Link(schema.Link.Server):  # type: ignore[misc, name-defined]
        def __init__(self, n: int) -> None:
            self.n = n

        async def next(self, n: int, _context: Any) -> Any:
            started.append(n)
            depths.append(holder[0]._inline_depth)
            if n == 1:
                # Suspends: the calls pipelined on it all wait, then go when it returns.
                await asyncio.sleep(0)
            return Link(n)

        async def value(self, _context: Any) -> int:
            started.append(-self.n)
            return self.n

    async def main() -> None:
        a, b = aio.memory_pair()
        server = aio.Session(b, Link(0))
        holder.append(server)
        client = aio.Session(a)
        root = client.bootstrap(schema.Link)
        await root.value()
        started.clear()
        link = root
        for n in range(1, DEPTH + 1):  # each call pipelined on the one before: all sent at once
            link = link.next(n).link
        assert (await link.value()).n == DEPTH
        assert started == list(range(1, DEPTH + 1)) + [-DEPTH]
        if not early_writes:
            # Each answer's pipelined call ran right behind it, up to the bound; then on a
            # later turn.
            assert max(depths) == session_module._MAX_INLINE_DEPTH
            assert depths[0] == 0 and 0 in depths[2:]
        assert server._inline_depth == 0
        await client.close()
        await server.close()

    run(main)


def test_the_hold_timer_rearms_for_messages_held_after_it_was_armed(
        schema: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    delay = 0.5
    monkeypatch.setattr(session_module, "_LAZY_DELAY", delay)
    gates: List[asyncio.Event] = []  # made on the loop (Python 3.9 binds an Event to a loop)

    class Link(schema.Link.Server):  # type: ignore[misc, name-defined]
        async def next(self, n: int, _context: Any) -> Any:
            return Link()  # results holding a capability: their Finish is needed

        async def block(self, _context: Any) -> None:
            await gates[0].wait()

    async def call(root: Any) -> None:
        (await root.next(1)).link.close()

    def finishes(end: Tap, since: int) -> int:
        return sum(isinstance(m, Finish) for batch in end.writes[since:] for m in batch)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        gates.append(asyncio.Event())
        client_end, server_end = tapped_both()
        server = aio.Session(server_end, Link())
        client = aio.Session(client_end)
        root = client.bootstrap(schema.Link)
        await call(root)
        blocked = root.block()  # in flight throughout: Finishes are held
        for _ in range(5):
            await asyncio.sleep(0)
        t0 = loop.time()
        await call(root)  # its Finish is held and the timer armed
        assert client._lazy_timer is not None
        armed = client._lazy_timer.when()
        await asyncio.sleep(delay / 2)
        start = len(client_end.writes)
        await call(root)  # its call takes the held Finish along; its own Finish is held
        assert finishes(client_end, start) == 1
        t1 = loop.time()
        assert client._lazy_timer is not None and client._lazy_timer.when() == armed  # not re-armed yet
        await asyncio.sleep(max(0.0, t0 + delay - loop.time()) + 0.05)  # the first timer fired
        if loop.time() < t1 + delay:  # a slow machine may have passed both deadlines
            assert finishes(client_end, start) == 1  # not flushed early...
            assert client._lazy_timer is not None  # ...but waiting for the newest one
            assert client._lazy_timer.when() > armed
        await asyncio.sleep(max(0.0, t1 + delay - loop.time()) + 0.1)
        assert finishes(client_end, start) == 2  # held no longer than the delay
        assert client._lazy == 0
        gates[0].set()
        await blocked
        await client.close()
        await server.close()

    run(main)


def test_the_hold_timer_flushes_when_due_and_stops_when_nothing_is_held(schema: Any) -> None:
    async def main() -> None:
        a, b = aio.memory_pair()
        session, peer = aio.Session(a), aio.Session(b)
        loop = asyncio.get_running_loop()
        # Nothing held: the timer neither flushes nor re-arms.
        session._lazy = 0
        session._lazy_due()
        assert session._lazy_timer is None
        # Held for half the delay: re-armed for the rest, not flushed.
        session._lazy = 1
        session._lazy_since = loop.time() - session_module._LAZY_DELAY / 2
        session._lazy_due()
        timer = session._lazy_timer
        assert timer is not None and session._lazy == 1
        assert timer.when() == pytest.approx(session._lazy_since + session_module._LAZY_DELAY, abs=1e-3)
        timer.cancel()
        # Held for the whole delay: flushed at once.
        session._lazy_timer = None
        session._lazy_since = loop.time() - session_module._LAZY_DELAY
        session._lazy_due()
        assert session._lazy_timer is None and session._lazy == 0 and session._lazy_since < 0
        await session.close()
        await peer.close()

    run(main)


def _pending(loop: asyncio.AbstractEventLoop, callback: Any) -> int:
    """Handles queued on ``loop`` that would run ``callback`` (asyncio keeps them in ``_ready``)."""
    ready = getattr(loop, "_ready")
    return sum(1 for h in ready if not h.cancelled() and getattr(h, "_callback", None) == callback)


def test_starts_made_by_an_await_leave_no_run_behind(schema: Any) -> None:
    class Link(schema.Link.Server):  # type: ignore[misc, name-defined]
        async def value(self, _context: Any) -> int:
            return 5

    async def main() -> None:
        loop = asyncio.get_running_loop()
        a, b = aio.memory_pair()
        session, peer = aio.Session(a), aio.Session(b)
        local = aio.Capability(session, Link(), interface_info(schema.Link))
        promise = local.value()
        assert _pending(loop, session._run_local_starts) == 1  # started on the next turn...
        assert (await promise).n == 5  # ...or now, by the await: that run is called off
        assert _pending(loop, session._run_local_starts) == 0
        unawaited = local.value()  # not awaited: the loop starts it
        await asyncio.sleep(0)
        assert unawaited._question.future.done()
        assert (await unawaited).n == 5
        await session.close()
        await peer.close()

    run(main)


def test_calls_drained_behind_their_answer_leave_no_drain_behind(schema: Any) -> None:
    holder: List[aio.Session] = []
    seen: List[int] = []

    class Link(schema.Link.Server):  # type: ignore[misc, name-defined]
        def __init__(self, n: int) -> None:
            self.n = n

        async def next(self, n: int, _context: Any) -> Any:
            await asyncio.sleep(0)  # suspends: the pipelined call waits for the Return
            link = Link(n)
            return link

        async def value(self, _context: Any) -> int:
            # Runs inline right behind next's Return, inside next's task step.
            seen.append(_pending(asyncio.get_running_loop(), holder[0]._drain_waitq))
            return self.n

    async def main() -> None:
        a, b = aio.memory_pair()
        server = aio.Session(b, Link(0))
        holder.append(server)
        client = aio.Session(a)
        root = client.bootstrap(schema.Link)
        await root.value()
        seen.clear()
        assert (await root.next(4).link.value()).n == 4
        assert seen == [0]  # the future's own drain was taken off: nothing left for it
        await client.close()
        await server.close()

    run(main)
