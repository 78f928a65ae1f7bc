"""WebSocket over the debug port: the client against workerd's echo worker, the server driven by
workerd's ``viaport`` worker, and the Python client against the Python server.

Expected values come from the workers' source (main.js echoes every message and answers a close
with "echo closing"; viaport.js reports what its socket received) and RFC 6455, never from this
code's own output.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Tuple

import pytest

from debugport.client import DebugPortClient, RemoteError, connect
from debugport.server import DebugPortServer, Request, Response
from debugport.websocket import (
    Inbox,
    WebSocket,
    WebSocketClosed,
    WebSocketRefused,
    check_close,
)

from .conftest import run
from .test_server import Background, ok, via_port
from .workerd_fixture import REPO, WORKERS, Workerd

ECHO_CLOSE_REASON = "echo closing"  # restated from main.js


async def with_echo(wd: Workerd, body: Callable[[WebSocket], Awaitable[Any]]) -> Any:
    client = await connect(wd.debug_address)
    try:
        ws = await client.get_entrypoint("main").websocket("http://x/ws")
        return await body(ws)
    finally:
        await client.close()


# -- the receiving buffer, alone ------------------------------------------------------------------


def test_inbox_keeps_order_and_ends_after_buffered_messages() -> None:
    async def body() -> Tuple[List[Any], WebSocketClosed]:
        inbox = Inbox()
        await inbox.put("a")
        await inbox.put(b"b")
        inbox.peer_closed(1001, "going away")
        got = [await inbox.get(), await inbox.get()]
        with pytest.raises(WebSocketClosed) as closed:
            await inbox.get()
        with pytest.raises(Exception):
            await inbox.put("late")  # nothing may follow the close frame
        return got, closed.value

    got, closed = run(body())
    assert got == ["a", b"b"]
    assert (closed.code, closed.reason, closed.clean) == (1001, "going away", True)


def test_inbox_holds_writers_back_until_read() -> None:
    async def body() -> List[str]:
        inbox = Inbox(limit=4)
        events: List[str] = []

        async def writer() -> None:
            await inbox.put("12345")  # over the limit: waits for the reader
            events.append("put returned")

        task = asyncio.ensure_future(writer())
        await asyncio.sleep(0.01)
        events.append("before read")
        events.append(str(await inbox.get()))
        await task
        return events

    assert run(body()) == ["before read", "12345", "put returned"]


def test_inbox_abort_and_oversized_message() -> None:
    async def body() -> Tuple[WebSocketClosed, WebSocketClosed]:
        dropped = Inbox()
        dropped.abort()
        with pytest.raises(WebSocketClosed) as first:
            await dropped.get()
        big = Inbox(max_message=3)
        with pytest.raises(Exception):
            await big.put(b"four")
        with pytest.raises(WebSocketClosed) as second:
            await big.get()
        return first.value, second.value

    aborted, too_big = run(body())
    assert aborted.code == 1006 and not aborted.clean
    assert too_big.code == 1009 and not too_big.clean


@pytest.mark.parametrize("code", [1000, 1001, 1003, 1007, 1011, 3000, 4999])
def test_close_codes_that_may_be_sent(code: int) -> None:
    check_close(code, "")


@pytest.mark.parametrize("code", [0, 999, 1004, 1005, 1006, 1015, 2000, 5000])
def test_close_codes_that_must_not_be_sent(code: int) -> None:
    with pytest.raises(ValueError):
        check_close(code, "")


def test_close_reason_fits_a_control_frame() -> None:
    check_close(1000, "é" * 61)  # 122 bytes
    with pytest.raises(ValueError):
        check_close(1000, "x" * 124)


# -- the client against workerd's echo worker -----------------------------------------------------


def test_text_and_binary_echo(shared_workerd: Workerd) -> None:
    async def body(ws: WebSocket) -> List[Any]:
        got = []
        for message in ["hello", "héllo ✓", b"\x00\x01\xfe\xff", b""]:
            await ws.send(message)
            got.append(await ws.receive())
        await ws.close()
        return got

    assert run(with_echo(shared_workerd, body)) == ["hello", "héllo ✓", b"\x00\x01\xfe\xff", b""]


def test_large_messages_echo(shared_workerd: Workerd) -> None:
    text = "0123456789abcdef" * 40000  # 640 000 characters
    data = bytes(range(256)) * 4096  # 1 MiB

    async def body(ws: WebSocket) -> Tuple[Any, Any]:
        await ws.send(text)
        await ws.send(data)
        first, second = await ws.receive(), await ws.receive()
        await ws.close()
        return first, second

    first, second = run(with_echo(shared_workerd, body))
    assert first == text
    assert second == data


def test_client_close_handshake(shared_workerd: Workerd) -> None:
    async def body(ws: WebSocket) -> Dict[str, Any]:
        for word in ("one", "two", "three"):
            await ws.send(word)
        await ws.close(4000, "client done")
        # Messages that arrived before the peer's close frame are still there to read.
        after = [message async for message in ws]
        with pytest.raises(WebSocketClosed) as late_receive:
            await ws.receive()
        with pytest.raises(WebSocketClosed) as late_send:
            await ws.send("too late")
        return {"code": ws.close_code, "reason": ws.close_reason, "closed": ws.closed,
                "after": after, "receive": late_receive.value, "send": late_send.value}

    out = run(with_echo(shared_workerd, body))
    # main.js answers a close with the code it received and its own reason.
    assert (out["code"], out["reason"], out["closed"]) == (4000, ECHO_CLOSE_REASON, True)
    assert out["after"] == ["one", "two", "three"]
    assert (out["receive"].code, out["receive"].reason, out["receive"].clean) == \
        (4000, ECHO_CLOSE_REASON, True)
    assert out["send"].code == 4000


def test_close_rejects_reserved_codes_before_sending(shared_workerd: Workerd) -> None:
    async def body(ws: WebSocket) -> Any:
        with pytest.raises(ValueError):
            await ws.close(1006)
        await ws.send("still open")  # nothing was sent: the socket is usable
        echoed = await ws.receive()
        await ws.close()
        return echoed

    assert run(with_echo(shared_workerd, body)) == "still open"


def test_several_sockets_on_one_connection(shared_workerd: Workerd) -> None:
    async def body() -> List[Any]:
        client = await connect(shared_workerd.debug_address)
        try:
            target = client.get_entrypoint("main")
            sockets = [await target.websocket("http://x/ws") for _ in range(3)]
            for i, ws in enumerate(sockets):
                await ws.send(f"socket {i}")
            got = [await ws.receive() for ws in reversed(sockets)]
            for ws in sockets:
                await ws.close()
            return got
        finally:
            await client.close()

    assert run(body()) == ["socket 2", "socket 1", "socket 0"]


def test_refused_upgrade_carries_the_response(shared_workerd: Workerd) -> None:
    async def body() -> Tuple[int, Any]:
        client = await connect(shared_workerd.debug_address)
        try:
            with pytest.raises(WebSocketRefused) as refused:
                await client.get_entrypoint("main").websocket("http://x/status?code=404")
            return refused.value.status, await refused.value.response.json()
        finally:
            await client.close()

    status, payload = run(body())
    assert status == 404 and payload == {"status": 404}


def test_unknown_service_is_a_remote_error(shared_workerd: Workerd) -> None:
    async def body() -> None:
        client = await connect(shared_workerd.debug_address)
        try:
            await client.get_entrypoint("nope").websocket("http://x/ws")
        finally:
            await client.close()

    with pytest.raises(RemoteError, match='Worker "nope" not found'):
        run(body())


# -- the Python server, driven by workerd ---------------------------------------------------------


def build_server(seen: List[Any]) -> DebugPortServer:
    server = DebugPortServer()
    svc = server.service("py")

    async def echo_upper(ws: WebSocket) -> None:
        seen.append(("headers", dict((k.lower(), v) for k, v in ws.headers)))
        async for message in ws:
            seen.append(("got", message))
            if message == "close":
                await ws.close(4001, "python closing")
                return
            await ws.send(message.upper() if isinstance(message, str) else message[::-1])
        seen.append(("peer closed", ws.close_code, ws.close_reason))

    @svc.fetch
    async def handle(request: Request) -> Any:
        if request.url.endswith("/greet"):
            ws = await request.accept_websocket(protocol="greeting")
            await ws.send("welcome")
            await ws.send(b"\x01\x02")
            async for message in ws:
                await ws.send(f"you said {message}")
            return None
        if request.url.endswith("/broken"):
            async def broken(ws: WebSocket) -> None:
                await ws.receive()
                raise ValueError("handler broke")
            return Response.websocket(broken)
        if not request.wants_websocket:
            return Response("not a websocket request", status=400)
        return Response.websocket(echo_upper, headers={"x-handled-by": "python"})

    return server


@pytest.fixture(scope="module")
def workerd() -> Iterator[Workerd]:
    with Workerd(WORKERS / "config.capnp", sockets=("viaport",)) as wd:
        yield wd


@pytest.fixture(scope="module")
def py_server() -> Iterator[Tuple[str, List[Any], Background]]:
    bg = Background()
    seen: List[Any] = []
    server = build_server(seen)

    async def start() -> str:
        await server.listen()
        return server.address

    address = bg.run(start())
    try:
        yield address, seen, bg
    finally:
        bg.run(server.close())
        bg.stop()


def wait_for_event(bg: Background, seen: List[Any], predicate: Callable[[Any], bool]) -> Any:
    async def poll() -> Any:
        for _ in range(500):
            for event in seen:
                if predicate(event):
                    return event
            await asyncio.sleep(0.01)
        raise AssertionError(f"no such event in {seen}")

    return bg.run(poll())


def test_workerd_talks_to_a_python_websocket(workerd: Workerd,
                                             py_server: Tuple[str, List[Any], Background]) -> None:
    address, seen, bg = py_server
    big = "w" * 200000
    [result] = via_port(workerd, address, {"kind": "entrypoint", "service": "py"}, [
        {"kind": "websocket", "url": "http://x/ws", "messages": ["hi", "héllo ✓", big]},
    ])
    value = ok(result)
    assert value == {"status": 101, "received": ["HI", "HÉLLO ✓", big.upper()]}
    # viaport.js closes with (1000, "done") once every echo is in.
    assert wait_for_event(bg, seen, lambda e: e[0] == "peer closed") == ("peer closed", 1000, "done")
    headers = next(e[1] for e in seen if e[0] == "headers")
    assert headers["upgrade"] == "websocket"


def test_python_closes_first(workerd: Workerd, py_server: Tuple[str, List[Any], Background]) -> None:
    address, _, _ = py_server
    [result] = via_port(workerd, address, {"kind": "entrypoint", "service": "py"}, [
        {"kind": "websocket", "url": "http://x/ws", "messages": ["a", "close", "never sent back"]},
    ])
    # viaport stops waiting on its socket's close event: only the first echo came back.
    assert ok(result) == {"status": 101, "received": ["A"]}


def test_python_refuses_a_plain_request_and_workerd_sees_the_status(
        workerd: Workerd, py_server: Tuple[str, List[Any], Background]) -> None:
    address, _, _ = py_server
    fetched, upgraded_elsewhere = via_port(workerd, address, {"kind": "entrypoint", "service": "py"}, [
        {"kind": "fetch", "url": "http://x/ws"},
        {"kind": "websocket", "url": "http://x/greet", "messages": ["x", "y"]},
    ])
    assert ok(fetched)["status"] == 400 and ok(fetched)["body"] == "not a websocket request"
    # accept_websocket() style: a greeting first, then one answer per message; binary
    # messages reach JS as ArrayBuffers, which JSON shows as {}.
    assert ok(upgraded_elsewhere) == {"status": 101, "received": ["welcome", {}]}


# -- the Python client against the Python server --------------------------------------------------


async def with_py(seen: List[Any], body: Callable[[DebugPortClient], Awaitable[Any]]) -> Any:
    server = build_server(seen)
    await server.listen()
    try:
        client = await connect(server.address)
        try:
            return await body(client)
        finally:
            await client.close()
    finally:
        await server.close()


def test_python_to_python_server_closes_first() -> None:
    seen: List[Any] = []

    async def body(client: DebugPortClient) -> Dict[str, Any]:
        ws = await client.get_entrypoint("py").websocket("http://x/ws")
        await ws.send("abc")
        await ws.send(b"\x01\x02\x03")
        await ws.send("close")
        got = [message async for message in ws]
        await ws.wait_closed()
        return {"got": got, "code": ws.close_code, "reason": ws.close_reason,
                "headers": dict(ws.headers)}

    out = run(with_py(seen, body))
    assert out["got"] == ["ABC", b"\x03\x02\x01"]
    assert (out["code"], out["reason"]) == (4001, "python closing")
    assert out["headers"]["x-handled-by"] == "python"


def test_python_to_python_subprotocol_and_client_close() -> None:
    seen: List[Any] = []

    async def body(client: DebugPortClient) -> Dict[str, Any]:
        ws = await client.get_entrypoint("py").websocket("http://x/greet",
                                                         protocols=["greeting", "other"])
        got = [await ws.receive(), await ws.receive()]
        await ws.send("hi")
        got.append(await ws.receive())
        await ws.close(1000, "bye")
        return {"got": got, "protocol": ws.protocol, "code": ws.close_code}

    out = run(with_py(seen, body))
    assert out["got"] == ["welcome", b"\x01\x02", "you said hi"]
    assert out["protocol"] == "greeting"
    assert out["code"] == 1000  # the server echoes the client's code (RFC 6455 5.5.1)


def test_python_handler_failure_closes_with_1011() -> None:
    seen: List[Any] = []

    async def body(client: DebugPortClient) -> WebSocketClosed:
        ws = await client.get_entrypoint("py").websocket("http://x/broken")
        await ws.send("trigger")
        with pytest.raises(WebSocketClosed) as closed:
            await ws.receive()
        return closed.value

    closed = run(with_py(seen, body))
    assert closed.code == 1011 and closed.clean
    assert "handler broke" in closed.reason


def test_python_server_refusal_reaches_the_client() -> None:
    seen: List[Any] = []

    async def body(client: DebugPortClient) -> Tuple[int, bytes]:
        with pytest.raises(WebSocketRefused) as refused:
            await client.get_entrypoint("py").websocket("http://x/ws", headers={"Upgrade": "nope"})
        return refused.value.status, await refused.value.response.read()

    assert run(with_py(seen, body)) == (400, b"not a websocket request")


def test_dropped_socket_is_an_abnormal_closure() -> None:
    seen: List[Any] = []

    async def body(client: DebugPortClient) -> WebSocketClosed:
        ws = await client.get_entrypoint("py").websocket("http://x/ws")
        await ws.send("x")
        assert await ws.receive() == "X"
        await client.session.close()  # the connection goes: no close frame ever comes
        with pytest.raises(WebSocketClosed) as closed:
            await ws.receive()
        with pytest.raises(WebSocketClosed):
            await ws.send("nobody listens")
        await ws.close()  # nothing to say to anyone: returns quietly
        return closed.value

    closed = run(with_py(seen, body))
    assert closed.code == 1006 and not closed.clean


# -- python -m debugport ws -----------------------------------------------------------------------


def debugport_ws(*args: str, stdin: bytes) -> "subprocess.CompletedProcess[bytes]":
    return subprocess.run([sys.executable, "-m", "debugport", "ws", *args], input=stdin,
                          capture_output=True, cwd=str(REPO), timeout=60)


def test_cli_ws_echoes_stdin_lines(shared_workerd: Workerd) -> None:
    proc = debugport_ws(shared_workerd.debug_address, "main", "http://x/ws",
                        stdin="hello\nwörld ✓\n\nlast".encode())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == "hello\nwörld ✓\n\nlast\n"
    assert proc.stderr.decode().strip() == f"debugport: closed 1000 {ECHO_CLOSE_REASON}"


def test_cli_ws_refused_is_one_line_and_status_1(shared_workerd: Workerd) -> None:
    proc = debugport_ws(shared_workerd.debug_address, "main", "http://x/status?code=403",
                        stdin=b"x\n")
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert proc.stderr.decode().strip() == \
        "debugport: the server did not accept the WebSocket (status 403)"


@pytest.mark.parametrize("received, answered", [
    (1000, 1000), (1001, 1001), (4000, 4000), (3000, 3000),
    (1005, 1005),  # no code: answered without one (close(1005) is how that goes over capnp)
    (1006, 1005), (1015, 1005), (1004, 1005), (999, 1005), (5000, 1005),  # never echoed
])
def test_the_reply_to_a_close_frame_never_carries_a_reserved_code(received: int, answered: int) -> None:
    from debugport.websocket import reply_code
    assert reply_code(received) == answered
