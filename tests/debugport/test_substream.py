"""``ByteStream.getSubstream`` as our byte streams serve it (see debugport.substream), driven
through in-process clients: limits, hand-over to the callback's next stream, end, ordering."""

from __future__ import annotations

import asyncio
from typing import Any, List, Tuple

import pytest

from capnp_lite.errors import RpcError
from debugport.schemas import schemas
from debugport.substream import substream

from .conftest import run


def byte_stream() -> Any:
    return schemas().ByteStream


class Collector:
    """A destination: what it was written, and whether it was ended."""

    def __init__(self, delay: bool = False) -> None:
        self.data: List[bytes] = []
        self.ended = False
        self.delay = delay

    async def write(self, data: bytes) -> None:
        self.data.append(data)
        if self.delay:
            await asyncio.sleep(0)  # let later writes start meanwhile

    def joined(self) -> bytes:
        return b"".join(self.data)


def collector_server(collector: Collector) -> Any:
    class Sink(byte_stream().Server):  # type: ignore[misc]
        async def write(self, bytes: bytes, _context: Any) -> None:  # noqa: A002
            await collector.write(bytes)

        async def end(self, _context: Any) -> None:
            collector.ended = True

    return Sink()


class Events:
    def __init__(self) -> None:
        self.log: List[Tuple[str, Any]] = []
        self.next = Collector()


def callback_server(events: Events) -> Any:
    class Callback(byte_stream().SubstreamCallback.Server):  # type: ignore[misc]
        async def ended(self, byteCount: int, _context: Any) -> None:  # noqa: N803
            events.log.append(("ended", byteCount))

        async def reachedLimit(self, _context: Any) -> Any:  # noqa: N802
            events.log.append(("reachedLimit", None))
            return byte_stream()._new_client(collector_server(events.next))

    return Callback()


def open_substream(dest: Collector, events: Events, limit: int) -> Any:
    callback = byte_stream().SubstreamCallback._new_client(callback_server(events))
    return byte_stream()._new_client(substream(dest.write, callback, limit))


def test_end_reports_the_count_and_leaves_the_destination_open() -> None:
    async def body() -> Tuple[bytes, List[Any], bool]:
        dest, events = Collector(), Events()
        sub = open_substream(dest, events, 1 << 64 - 1)
        await sub.write(bytes=b"abc")
        await sub.write(bytes=b"defg")
        await sub.end()
        return dest.joined(), events.log, dest.ended

    assert run(body()) == (b"abcdefg", [("ended", 7)], False)


def test_the_write_past_the_limit_hands_its_rest_to_the_next_stream() -> None:
    async def body() -> Tuple[bytes, bytes, List[Any], bool]:
        dest, events = Collector(), Events()
        sub = open_substream(dest, events, 5)
        await sub.write(bytes=b"abc")
        await sub.write(bytes=b"defgh")  # two bytes past the limit
        await sub.write(bytes=b"ij")
        await sub.end()
        await asyncio.sleep(0)
        return dest.joined(), events.next.joined(), events.log, events.next.ended

    assert run(body()) == (b"abcde", b"fghij", [("reachedLimit", None)], True)


def test_reaching_the_limit_exactly_asks_for_the_next_stream_at_once() -> None:
    async def body() -> Tuple[bytes, List[Any], bytes]:
        dest, events = Collector(), Events()
        sub = open_substream(dest, events, 4)
        await sub.write(bytes=b"wxyz")
        await asyncio.sleep(0)
        log = list(events.log)
        await sub.write(bytes=b"more")
        return dest.joined(), log, events.next.joined()

    assert run(body()) == (b"wxyz", [("reachedLimit", None)], b"more")


def test_writes_sent_together_keep_their_order_across_the_limit() -> None:
    async def body() -> Tuple[bytes, bytes]:
        dest, events = Collector(delay=True), Events()
        sub = open_substream(dest, events, 10)
        pieces = [bytes([65 + i]) * 3 for i in range(8)]  # 24 bytes, not awaited one by one
        await asyncio.gather(*[sub.write(bytes=p) for p in pieces])
        await sub.end()
        return dest.joined(), events.next.joined()

    first, rest = run(body())
    assert first + rest == b"".join(bytes([65 + i]) * 3 for i in range(8))
    assert len(first) == 10


def test_a_nested_substream_counts_toward_its_parent() -> None:
    async def body() -> Tuple[bytes, List[Any], List[Any]]:
        dest, outer_events, inner_events = Collector(), Events(), Events()
        outer = open_substream(dest, outer_events, 100)
        inner_cb = byte_stream().SubstreamCallback._new_client(callback_server(inner_events))
        inner = (await outer.getSubstream(callback=inner_cb, limit=1000)).substream
        await inner.write(bytes=b"12345")
        await inner.end()
        await outer.write(bytes=b"678")
        await outer.end()
        return dest.joined(), inner_events.log, outer_events.log

    assert run(body()) == (b"12345678", [("ended", 5)], [("ended", 8)])


def test_misuse_is_an_error_not_a_hang() -> None:
    async def body() -> None:
        dest, events = Collector(), Events()
        sub = open_substream(dest, events, 100)
        await sub.end()
        with pytest.raises(RpcError, match="twice"):
            await sub.end()
        sub = open_substream(dest, events, 100)
        await sub.end()
        with pytest.raises(RpcError, match="after end"):
            await sub.write(bytes=b"x")
            await sub.end()  # a streaming write's failure may surface on the next call
        # Once a streaming write failed, every later call on the substream fails with its
        # exception, as in C++.
        with pytest.raises(RpcError, match="after end"):
            await sub.end()

    run(body())


def test_the_request_body_stream_of_our_http_server_serves_substreams() -> None:
    from debugport.http_server import RequestBody, _byte_stream_server

    async def body() -> Tuple[List[bytes], List[Any]]:
        request_body = RequestBody()
        sink = byte_stream()._new_client(_byte_stream_server(request_body))
        events = Events()
        callback = byte_stream().SubstreamCallback._new_client(callback_server(events))
        sub = (await sink.getSubstream(callback=callback, limit=1 << 40)).substream
        await sub.write(bytes=b"through ")
        await sub.write(bytes=b"a substream")
        await sub.end()
        await sink.end()
        return [chunk async for chunk in request_body.chunks()], events.log

    assert run(body()) == ([b"through ", b"a substream"], [("ended", 19)])


class FailingDestination(Collector):
    async def write(self, data: bytes) -> None:
        raise RpcError("the destination is gone", "disconnected")


def test_a_failed_write_at_the_limit_fails_later_calls_instead_of_hanging() -> None:
    async def body() -> None:
        dest, events = FailingDestination(), Events()
        sub = open_substream(dest, events, 4)
        with pytest.raises(RpcError, match="destination is gone"):
            await sub.write(bytes=b"abcd")  # reaches the limit, and fails
            await sub.end()  # a streaming write's failure may surface on the next call
        with pytest.raises(RpcError, match="destination is gone"):
            await asyncio.wait_for(sub.getSubstream(callback=None, limit=1), 5)
        assert events.log == []  # nothing was handed on

    run(body())


def test_get_substream_after_end_is_an_error() -> None:
    async def body() -> None:
        dest, events = Collector(), Events()
        sub = open_substream(dest, events, 100)
        await sub.end()
        cb = byte_stream().SubstreamCallback._new_client(callback_server(Events()))
        with pytest.raises(RpcError, match="after end"):
            await sub.getSubstream(callback=cb, limit=5)

    run(body())
