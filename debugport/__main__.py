"""Command line: ``python -m debugport {fetch,call,ws,serve,proxy,demo} ...``.

    python -m debugport fetch ADDR SERVICE URL [--entrypoint NAME] [--props JSON] [--actor ID]
                              [-X METHOD] [-H 'Name: value']... [-d BODY | --data-file F] [-i]
    python -m debugport call ADDR SERVICE METHOD [JSON_ARG...] [--entrypoint NAME]
                             [--props JSON] [--actor ID]

    python -m debugport ws ADDR SERVICE URL [--entrypoint NAME] [--props JSON] [--actor ID]
                           [-H 'Name: value']... [--protocol P]...

``ws`` opens a WebSocket, sends each line of stdin as a text message and prints each message
received on its own line (binary ones as ``base64:...``); at the end of stdin it closes the
socket and waits for the peer's close.

``fetch`` writes the response body to stdout as it arrives (``-i`` first prints the status
line and headers, as curl does); ``call`` prints the result as JSON (``a.b`` calls method
``b`` of property ``a``).  With ``--actor ID`` the target is a Durable Object and
``--entrypoint`` names its class.  Failures print one line on stderr and exit with status 1
(2 for bad usage); ``serve``, ``proxy`` and ``demo`` are the server side's commands.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime
import json
import math
import sys
import threading
from typing import Any, BinaryIO, List, Optional, Sequence, TextIO, Tuple

from capnp_lite.errors import CapnpError

from . import v8
from .client import DebugPortClient, RemoteError, Target, connect

__all__ = ["main", "to_json"]

USAGE_ERROR = 2
FAILURE = 1


class UsageError(Exception):
    """Bad command-line input, reported with exit status 2."""


class CommandFailed(Exception):
    """A failure to report in one line with exit status 1."""


async def _connect(address: str) -> DebugPortClient:
    try:
        return await connect(address)
    except OSError as exc:
        raise CommandFailed(f"cannot connect to {address}: {exc.strerror or exc}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m debugport",
                                     description="Talk to workerd's debug port.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def target_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("address", metavar="ADDR", help="debug port address, host:port")
        p.add_argument("service", metavar="SERVICE", help="service name in workerd's config")
        p.add_argument("--entrypoint", metavar="NAME",
                       help="named entrypoint (with --actor: the Durable Object class)")
        p.add_argument("--props", metavar="JSON", help="ctx.props, as JSON")
        p.add_argument("--actor", metavar="ID",
                       help="Durable Object ID (64 hex digits, or any string if ephemeral)")
        p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                       help="give up after this long (default 60)")

    fetch = sub.add_parser("fetch", help="send an HTTP request and print the body")
    target_options(fetch)
    fetch.add_argument("url", metavar="URL", help="absolute URL the worker sees")
    fetch.add_argument("-X", "--request", dest="method", default=None, metavar="METHOD")
    fetch.add_argument("-H", "--header", dest="headers", action="append", default=[],
                       metavar="'Name: value'")
    data = fetch.add_mutually_exclusive_group()
    data.add_argument("-d", "--data", metavar="BODY", help="request body (implies POST)")
    data.add_argument("--data-file", metavar="FILE", help="request body from a file ('-': stdin)")
    fetch.add_argument("-i", "--include", action="store_true", help="print status and headers")
    fetch.add_argument("--cf", metavar="JSON", help="request.cf, as JSON")

    call = sub.add_parser("call", help="call a JS RPC method and print the result as JSON")
    target_options(call)
    call.add_argument("method", metavar="METHOD", help="method name; a.b.c calls through properties")
    call.add_argument("args", nargs="*", metavar="JSON_ARG", help="arguments, each as JSON")

    ws = sub.add_parser("ws", help="open a WebSocket: stdin lines out, messages printed")
    target_options(ws)
    ws.add_argument("url", metavar="URL", help="absolute URL the worker sees")
    ws.add_argument("-H", "--header", dest="headers", action="append", default=[],
                    metavar="'Name: value'")
    ws.add_argument("--protocol", dest="protocols", action="append", default=[], metavar="P",
                    help="offer a subprotocol (repeatable)")
    ws.set_defaults(timeout=None)  # an interactive session has no deadline unless asked

    for name in ("serve", "proxy", "demo"):
        p = sub.add_parser(name, help=f"server side: see `python -m debugport {name} --help`",
                           add_help=False)
        p.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def _json_arg(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{what} is not valid JSON: {exc}") from None


class _TargetSpec:
    """Which target the command line names, checked before connecting."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.service: str = args.service
        self.entrypoint: Optional[str] = args.entrypoint
        self.actor: Optional[str] = args.actor
        self.props = _json_arg(args.props, "--props") if args.props is not None else None
        if self.actor is not None:
            if not self.entrypoint:
                raise UsageError("--actor needs --entrypoint CLASS (the Durable Object class name)")
            if self.props is not None:
                raise UsageError("--props cannot be given to a Durable Object")

    def open(self, client: DebugPortClient) -> Target:
        if self.actor is not None:
            assert self.entrypoint is not None
            return client.get_actor(self.service, self.entrypoint, self.actor)
        return client.get_entrypoint(self.service, self.entrypoint, self.props)


def _headers(raw: Sequence[str]) -> List[Tuple[str, str]]:
    pairs = []
    for item in raw:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise UsageError(f"bad header {item!r}: expected 'Name: value'")
        pairs.append((name.strip(), value.strip()))
    return pairs


def to_json(value: Any, _depth: int = 0) -> Any:
    """A JSON-able form of a decoded JS value (Maps and Sets as lists, bytes as base64...)."""
    if _depth > 200:
        raise ValueError("value nests too deeply to print")
    d = _depth + 1
    if value is v8.UNDEFINED or value is v8.HOLE:
        return None
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {str(k): to_json(v, d) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v, d) for v in value]
    if isinstance(value, v8.JSMap):
        return [[to_json(k, d), to_json(v, d)] for k, v in value.pairs]
    if isinstance(value, (v8.JSSet, set, frozenset)):
        return [to_json(v, d) for v in value]
    if isinstance(value, v8.SparseArray):
        return [to_json(value.elements.get(i, None), d) for i in range(min(value.length, 1 << 20))]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, v8.JSError):
        return {"name": value.name, "message": value.message}
    if isinstance(value, v8.TypedArray):
        return base64.b64encode(bytes(value.data)).decode("ascii")
    return repr(value)


async def _run_fetch(args: argparse.Namespace, out: BinaryIO) -> int:
    headers = _headers(args.headers)
    body: Any = None
    if args.data is not None:
        body = args.data.encode("utf-8")
    method = args.method or ("POST" if args.data is not None or args.data_file else "GET")
    cf = _json_arg(args.cf, "--cf") if args.cf is not None else None
    spec = _TargetSpec(args)
    client = await _connect(args.address)
    try:
        target = spec.open(client)
        if args.data_file is not None:
            body, size = _open_body(args.data_file)
            with body:
                response = await target.fetch(args.url, method=method, headers=headers,
                                              body=body, body_size=size, cf=cf)
                return await _print_response(response, args.include, out)
        response = await target.fetch(args.url, method=method, headers=headers, body=body, cf=cf)
        return await _print_response(response, args.include, out)
    finally:
        await client.close()


def _open_body(path: str) -> Tuple[BinaryIO, Optional[int]]:
    if path == "-":
        return sys.stdin.buffer, None
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise UsageError(f"cannot read --data-file {path!r}: {exc.strerror}") from None
    import os

    return handle, os.fstat(handle.fileno()).st_size


async def _print_response(response: Any, include: bool, out: BinaryIO) -> int:
    if include:
        head = [f"HTTP/1.1 {response.status} {response.status_text}".rstrip()]
        head += [f"{name}: {value}" for name, value in response.headers]
        if response.body_size is not None:
            head.append(f"content-length: {response.body_size}")
        out.write(("\r\n".join(head) + "\r\n\r\n").encode("utf-8"))
    async for chunk in response:
        out.write(chunk)
    out.flush()
    return 0


async def _run_call(args: argparse.Namespace, out: TextIO) -> int:
    call_args = [_json_arg(a, f"argument {i + 1}") for i, a in enumerate(args.args)]
    method: Any = args.method.split(".") if "." in args.method else args.method
    spec = _TargetSpec(args)
    client = await _connect(args.address)
    try:
        result = await spec.open(client).call(method, *call_args)
    finally:
        await client.close()
    out.write(json.dumps(to_json(result), ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _stdin_lines(loop: asyncio.AbstractEventLoop, queue: "asyncio.Queue[Optional[str]]",
                 source: TextIO) -> None:
    """Feed stdin's lines into ``queue`` from a daemon thread (``None`` at the end)."""

    def pump() -> None:
        for line in source:
            loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\r\n"))
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="debugport-ws-stdin", daemon=True).start()


async def _run_ws(args: argparse.Namespace, source: TextIO, out: TextIO) -> int:
    from .websocket import WebSocket, WebSocketClosed

    headers = _headers(args.headers)
    spec = _TargetSpec(args)
    client = await _connect(args.address)
    try:
        ws: WebSocket = await spec.open(client).websocket(args.url, headers=headers,
                                                          protocols=args.protocols or None)
        lines: "asyncio.Queue[Optional[str]]" = asyncio.Queue()
        _stdin_lines(asyncio.get_running_loop(), lines, source)

        async def send_lines() -> None:
            while True:
                line = await lines.get()
                if line is None:
                    await ws.close()
                    return
                await ws.send(line)

        sender = asyncio.ensure_future(send_lines())
        try:
            async for message in ws:
                if isinstance(message, bytes):
                    message = "base64:" + base64.b64encode(message).decode("ascii")
                out.write(message + "\n")
                out.flush()
        except WebSocketClosed as exc:
            raise CommandFailed(f"WebSocket ended abnormally: {exc.reason}") from None
        finally:
            sender.cancel()
        print(f"debugport: closed {ws.close_code} {ws.close_reason}".rstrip(), file=sys.stderr)
        return 0
    finally:
        await client.close()


def _server_command(name: str, argv: List[str]) -> int:
    try:
        from . import cli_server
    except ImportError as exc:
        if getattr(exc, "name", None) not in ("debugport.cli_server", None):
            raise
        print(f"debugport: the '{name}' command needs debugport.cli_server, which is not "
              "installed", file=sys.stderr)
        return FAILURE
    entry = getattr(cli_server, f"{name}_main", None)
    if entry is None:
        print(f"debugport: debugport.cli_server has no {name}_main()", file=sys.stderr)
        return FAILURE
    status: int = entry(argv)
    return status


def main(argv: Optional[Sequence[str]] = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in ("serve", "proxy", "demo"):
        return _server_command(arguments[0], arguments[1:])
    args = _parser().parse_args(arguments)
    try:
        if args.command == "fetch":
            coro: Any = _run_fetch(args, sys.stdout.buffer)
        elif args.command == "ws":
            coro = _run_ws(args, sys.stdin, sys.stdout)
        else:
            coro = _run_call(args, sys.stdout)
        return int(asyncio.run(asyncio.wait_for(coro, args.timeout)))
    except UsageError as exc:
        print(f"debugport: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except RemoteError as exc:
        name = f"{exc.js_name}: " if exc.js_name and exc.js_name != "Error" else ""
        print(f"debugport: {name}{exc}", file=sys.stderr)
        return FAILURE
    except asyncio.TimeoutError:
        print(f"debugport: no answer within {args.timeout or 0:g} seconds", file=sys.stderr)
        return FAILURE
    except CommandFailed as exc:
        print(f"debugport: {exc}", file=sys.stderr)
        return FAILURE
    except (CapnpError, OSError, ValueError) as exc:
        print(f"debugport: {exc or type(exc).__name__}", file=sys.stderr)
        return FAILURE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
