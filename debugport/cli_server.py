"""Command-line entry points: ``python -m debugport serve|proxy|demo``.

    serve MODULE:OBJECT [--listen ADDR]    host a DebugPortServer (or a function returning one)
    proxy --listen ADDR --route SERVICE=ADDR ...   a stable debug port routing to workerds
    demo [--listen ADDR]                   sample Python services, and how to reach them
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from typing import Any, Optional, Sequence

from .proxy import DebugPortProxy
from .server import LOOPBACK, Actor, DebugPortServer, Entrypoint, Request, Response, parse_address

__all__ = ["serve_main", "proxy_main", "demo_main", "load_object", "demo_server"]

DEFAULT_LISTEN = f"{LOOPBACK}:0"


def load_object(spec: str) -> DebugPortServer:
    """``module:attr`` -> the DebugPortServer it names (calling it first if it is a factory)."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"expected MODULE:OBJECT, got {spec!r}")
    obj: Any = importlib.import_module(module_name)
    for part in attr.split("."):
        obj = getattr(obj, part)
    if not isinstance(obj, DebugPortServer) and callable(obj):
        obj = obj()
    if not isinstance(obj, DebugPortServer):
        raise TypeError(f"{spec} is a {type(obj).__name__}, not a DebugPortServer")
    return obj


async def _serve(server: Any, listen: str, banner: str) -> None:
    host, port = parse_address(listen)
    await server.listen(host, port)
    print(banner.format(address=server.address), flush=True)
    try:
        await server.serve_forever()
    finally:
        await server.close()


def _run(coro: Any) -> int:
    try:
        asyncio.run(coro)
    except KeyboardInterrupt:
        pass
    return 0


def serve_main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m debugport serve",
                                     description="Serve Python services as a workerd debug port.")
    parser.add_argument("target", help="MODULE:OBJECT naming a DebugPortServer or a factory")
    parser.add_argument("--listen", default=DEFAULT_LISTEN, help="HOST:PORT (default %(default)s)")
    args = parser.parse_args(argv)
    try:
        server = load_object(args.target)
    except (ImportError, AttributeError, ValueError, TypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _run(_serve(server, args.listen, "debug port listening on {address}"))


def proxy_main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m debugport proxy",
                                     description="One debug port routing services to workerd debug ports.")
    parser.add_argument("--listen", default=DEFAULT_LISTEN, help="HOST:PORT (default %(default)s)")
    parser.add_argument("--route", action="append", default=[], metavar="SERVICE=ADDR",
                        help="route SERVICE (or * for any) to the debug port at ADDR; repeatable")
    args = parser.parse_args(argv)
    proxy = DebugPortProxy()
    try:
        for item in args.route:
            service, sep, address = item.partition("=")
            if not sep or not service:
                raise ValueError(f"expected SERVICE=ADDR, got {item!r}")
            proxy.route(service, address)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _run(_serve(proxy, args.listen, "debug-port proxy listening on {address}"))


def demo_server() -> DebugPortServer:
    """Sample services: ``demo`` with a default fetch, a ``Greeter`` entrypoint and a ``Counter``."""
    server = DebugPortServer()
    svc = server.service("demo")

    @svc.fetch
    async def hello(request: Request) -> Response:
        body = await request.text()
        return Response.json({"hello": "from Python", "method": request.method, "url": request.url,
                              "body": body, "props": request.props, "cf": request.cf})

    @svc.method
    def add(a: Any, b: Any) -> Any:
        return a + b

    @svc.entrypoint("Greeter")
    class Greeter(Entrypoint):
        def greet(self, name: str) -> str:
            return f"Hello, {name}! (props: {self.ctx.props})"

    @svc.actor("Counter", durable=False)
    class Counter(Actor):
        def __init__(self, ctx: Any) -> None:
            super().__init__(ctx)
            self.count = 0

        def increment(self, n: int = 1) -> int:
            self.count += n
            return self.count

    return server


DEMO_BANNER = """debug port listening on {address}
From a worker with a `workerdDebugPort` binding (workerd --experimental):
  const port = await env.DEBUG_PORT.connect("{address}");
  await (await port.getEntrypoint("demo")).fetch("http://demo/");
  await (await port.getEntrypoint("demo")).add(1, 2);
  await (await port.getEntrypoint("demo", "Greeter", {{user: "me"}})).greet("you");
  await (await port.getActor("demo", "Counter", "any-id")).increment(5);"""


def demo_main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m debugport demo",
                                     description="Run sample Python services behind a debug port.")
    parser.add_argument("--listen", default=DEFAULT_LISTEN, help="HOST:PORT (default %(default)s)")
    args = parser.parse_args(argv)
    return _run(_serve(demo_server(), args.listen, DEMO_BANNER))
