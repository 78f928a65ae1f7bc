"""The session's public hooks: promises we export, resolutions of the peer's promises,
``CallContext.on_returned``, early pipelines seen by calls queued behind them, ``copy_struct``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, List, Tuple

import pytest

import capnp_lite
import capnp_lite.aio as aio
from capnp_lite.errors import RpcError
from capnp_lite.rpc.messages import Resolve, ResolveCap, ResolveException, Return, ReturnException

from .tap import Tap, tapped_pair
from .support import run

NODE = """
@0xc1f7a2b3d4e5f601;
interface Node {
  child @0 (tag :UInt32) -> (node :Node);
  value @1 () -> (v :UInt32);
  promise @2 () -> (node :Node);
  echo @3 (item :Item) -> (item :Item);
}
struct Item {
  name @0 :Text;
  blob @1 :Data;
  inner @2 :Item;
  node @3 :Node;
  union {
    none @4 :Void;
    label @5 :Text;
    count @6 :UInt32;
  }
  tags @7 :List(Text);
  kids @8 :List(Item);
  grid @9 :List(List(Item));
  nodes @10 :List(Node);
  size @11 :UInt16 = 7;
}
"""


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("schema") / "node.capnp"
    path.write_text(NODE)
    return capnp_lite.load(str(path))


async def turns(n: int = 20) -> None:
    for _ in range(n):
        await asyncio.sleep(0)


def make_node(schema: Any, value: int, log: List[str]) -> Any:
    class Leaf(schema.Node.Server):  # type: ignore[misc, name-defined]
        async def value(self, _context: Any) -> int:
            log.append(f"value {value}")
            return value

    return Leaf()


async def sessions(root: Any) -> Tuple[aio.Session, aio.Session, Tap]:
    tap, other = tapped_pair()
    server = aio.Session(tap, root)
    client = aio.Session(other)
    return client, server, tap


# --- export_promise ---------------------------------------------------------------------------


def test_calls_on_an_exported_promise_wait_and_keep_their_order(schema: Any) -> None:
    log: List[str] = []
    box: List[aio.PromiseResolver] = []
    released: List[str] = []

    class Root(schema.Node.Server):  # type: ignore[misc, name-defined]
        async def promise(self, _context: Any) -> Any:
            cap, resolver = box_session[0].export_promise(schema.Node,
                                                          on_release=lambda: released.append("p"))
            box.append(resolver)
            return cap

    box_session: List[aio.Session] = []

    async def main() -> None:
        client, server, tap = await sessions(Root())
        box_session.append(server)
        root = client.bootstrap(schema.Node)
        node = (await root.promise()).node
        seen: List[Any] = []
        assert client.on_resolved(node, seen.append)
        first, second = node.value(), node.value()
        await turns()
        assert log == [] and not first._question.future.done()  # waiting on the promise
        resolver = box[0]
        assert resolver.resolve(make_node(schema, 7, log))
        assert not resolver.resolve(make_node(schema, 8, log))  # settled once only
        assert [(await first).v, (await second).v] == [7, 7]
        assert log == ["value 7", "value 7"]
        await turns()
        [resolution] = seen
        assert isinstance(resolution, aio.Capability)
        assert (await resolution.value()).v == 7
        resolution.close()
        resolves = [m for m in tap.sent if isinstance(m, Resolve)]
        assert len(resolves) == 1 and isinstance(resolves[0].resolution, ResolveCap)
        assert released == []
        node.close()
        await turns()
        assert released == ["p"]
        await client.close()

    run(main)


def test_a_rejected_promise_fails_its_calls_and_tells_the_peer(schema: Any) -> None:
    box: List[Any] = []

    class Root(schema.Node.Server):  # type: ignore[misc, name-defined]
        async def promise(self, _context: Any) -> Any:
            cap, resolver = box[0].export_promise()
            box.append(resolver)
            return cap

    async def main() -> None:
        client, server, tap = await sessions(Root())
        box.append(server)
        node = (await client.bootstrap(schema.Node).promise()).node
        seen: List[Any] = []
        assert client.on_resolved(node, seen.append)
        pending = node.value()
        box[1].reject(RpcError("gone for good", "disconnected"))
        with pytest.raises(RpcError) as failed:
            await pending
        assert failed.value.reason == "gone for good"
        await turns()
        assert [type(e).__name__ for e in seen] == ["Disconnected"] and seen[0].reason == "gone for good"
        [resolve] = [m for m in tap.sent if isinstance(m, Resolve)]
        assert isinstance(resolve.resolution, ResolveException)
        assert resolve.resolution.exception.type.wire_name == "disconnected"
        with pytest.raises(RpcError):
            await node.value()  # after the Resolve: straight to the broken promise
        await client.close()

    run(main)


def test_local_calls_on_an_exported_promise_and_settling_before_export(schema: Any) -> None:
    async def main() -> None:
        client, server, _ = await sessions(None)
        log: List[str] = []
        cap, resolver = server.export_promise(schema.Node)
        pending = cap.value()
        await turns()
        assert log == []
        resolver.resolve(make_node(schema, 3, log))
        assert (await pending).v == 3
        cap2, resolver2 = server.export_promise(schema.Node)
        resolver2.resolve(cap)  # a promise may resolve to another capability of the session
        assert (await cap2.value()).v == 3
        with pytest.raises(ValueError):
            cap3, resolver3 = server.export_promise(schema.Node)
            resolver3.resolve(cap3)
        await client.close()

    run(main)


def test_a_promise_settled_before_it_is_sent_goes_out_settled(schema: Any) -> None:
    log: List[str] = []

    class Root(schema.Node.Server):  # type: ignore[misc, name-defined]
        async def promise(self, _context: Any) -> Any:
            cap, resolver = holder[0].export_promise(schema.Node)
            resolver.resolve(make_node(schema, 5, log))
            return cap

    holder: List[aio.Session] = []

    async def main() -> None:
        client, server, tap = await sessions(Root())
        holder.append(server)
        node = (await client.bootstrap(schema.Node).promise()).node
        assert not client.on_resolved(node, lambda _: None)  # not a promise: nothing to wait for
        assert (await node.value()).v == 5
        assert not any(isinstance(m, Resolve) for m in tap.sent)
        await client.close()

    run(main)


# --- on_returned ------------------------------------------------------------------------------


def test_on_returned_runs_after_the_return_is_queued_in_order(schema: Any) -> None:
    order: List[str] = []
    box: List[Any] = []

    class Root(schema.Node.Server):  # type: ignore[misc, name-defined]
        async def promise(self, _context: Any) -> Any:
            cap, resolver = holder[0].export_promise(schema.Node)
            box.append(resolver)
            return cap

        async def value(self, _context: Any) -> int:
            await asyncio.sleep(0)
            resolver = box[0]
            _context.on_returned(lambda: order.append("first"))
            _context.on_returned(lambda: resolver.reject(RpcError("after the return")))
            _context.on_returned(lambda: order.append("second"))
            raise RpcError("the call failed")

    holder: List[aio.Session] = []

    async def main() -> None:
        client, server, tap = await sessions(Root())
        holder.append(server)
        root = client.bootstrap(schema.Node)
        node = (await root.promise()).node
        with pytest.raises(RpcError) as failed:
            await root.value()
        assert failed.value.reason == "the call failed"
        assert order == ["first", "second"]
        returns = [(w, i) for i, (w, m) in enumerate(tap.numbered())
                   if isinstance(m, Return) and isinstance(m.body, ReturnException)]
        resolves = [(w, i) for i, (w, m) in enumerate(tap.numbered()) if isinstance(m, Resolve)]
        assert len(returns) == 1 and len(resolves) == 1
        assert returns[0][1] < resolves[0][1]  # the Return first
        assert returns[0][0] == resolves[0][0]  # in the same write
        node.close()
        await client.close()

    run(main)


def test_on_returned_after_the_return_runs_at_once(schema: Any) -> None:
    contexts: List[Any] = []

    class Root(schema.Node.Server):  # type: ignore[misc, name-defined]
        async def value(self, _context: Any) -> int:
            contexts.append(_context)
            return 1

    async def main() -> None:
        client, _, _ = await sessions(Root())
        assert (await client.bootstrap(schema.Node).value()).v == 1
        ran: List[int] = []
        contexts[0].on_returned(lambda: ran.append(1))
        assert ran == [1]
        await client.close()

    run(main)


def test_on_returned_runs_when_the_session_ends_first(schema: Any) -> None:
    ran: List[str] = []
    started: List[asyncio.Event] = []

    class Root(schema.Node.Server):  # type: ignore[misc, name-defined]
        async def value(self, _context: Any) -> int:
            _context.on_returned(lambda: ran.append("over"))
            started[0].set()
            await asyncio.sleep(60)
            return 1

    async def main() -> None:
        started.append(asyncio.Event())
        client, server, _ = await sessions(Root())
        call = client.bootstrap(schema.Node).value()
        await started[0].wait()
        await server.close()
        with pytest.raises(RpcError):
            await call
        await turns()
        assert ran == ["over"]
        await client.close()

    run(main)


# --- early pipelines --------------------------------------------------------------------------


def test_a_call_queued_behind_a_queued_call_sees_its_early_pipeline(schema: Any) -> None:
    """X is pipelined on an answer that has not returned; Y is pipelined on X's results.  X
    publishes its results with set_pipeline and returns only once Y has run: Y must not wait
    for X to return (it would never return)."""
    log: List[str] = []
    gates: List[asyncio.Event] = []

    class Waiting(schema.Node.Server):  # type: ignore[misc, name-defined]
        async def child(self, tag: int, _context: Any) -> Any:
            if tag == 1:
                await gates[0].wait()
                return Waiting()
            y_ran = asyncio.Event()

            class Leaf(schema.Node.Server):  # type: ignore[misc, name-defined]
                async def value(self, _context: Any) -> int:
                    log.append("y")
                    y_ran.set()
                    return 42

            _context.set_pipeline({"node": Leaf()})
            await y_ran.wait()
            log.append("x returns")
            return Leaf()

    async def main() -> None:
        gates.append(asyncio.Event())
        client, _, _ = await sessions(Waiting())
        root = client.bootstrap(schema.Node)
        q1 = root.child(tag=1)
        x = q1.node.child(tag=2)
        y = x.node.value()
        await turns()
        assert log == []
        gates[0].set()
        assert (await y).v == 42
        await x
        assert log == ["y", "x returns"]
        await client.close()

    run(main)


# --- copy_struct ------------------------------------------------------------------------------


def _null(view: Any, name: str) -> bool:
    return bool(view.reader.is_null(view.schema.fields[name].offset))


def test_copy_struct_keeps_null_pointers_null_and_maps_caps(schema: Any) -> None:
    log: List[str] = []
    mapped: List[Any] = []
    replacement = make_node(schema, 2, log)

    class Echo(schema.Node.Server):  # type: ignore[misc, name-defined]
        async def echo(self, _context: Any, **_: Any) -> None:
            def map_cap(cap: Any) -> Any:
                mapped.append(cap)
                cap.close()
                return replacement

            aio.copy_struct(_context.results.init("item"), _context.params.item, map_cap)

    async def main() -> None:
        client, _, _ = await sessions(Echo())
        root = client.bootstrap(schema.Node)
        sent = {"name": "n", "inner": {"blob": b"x", "count": 3}, "label": "L",
                "kids": [{"name": "k"}, {}], "grid": [[{"tags": ["a"]}], []],
                "node": make_node(schema, 1, log), "nodes": [make_node(schema, 1, log), None], "size": 9}
        view = (await root.echo(item=sent)).item
        assert view.name == "n" and view.which() == "label" and view.label == "L" and view.size == 9
        assert _null(view, "blob") and _null(view, "tags")
        inner = view.inner
        assert inner.which() == "count" and inner.count == 3 and inner.blob == b"x"
        assert _null(inner, "name") and _null(inner, "inner") and _null(inner, "node")
        assert inner.size == 7  # a default stays the default
        kids = view.kids
        assert kids[0].name == "k" and _null(kids[1], "name") and _null(kids[1], "kids")
        assert [[k.tags for k in row] for row in view.grid] == [[["a"]], []]
        assert len(mapped) == 2 and all(isinstance(m, aio.Capability) for m in mapped)
        assert (await view.node.value()).v == 2
        nodes = view.nodes
        assert aio.is_null_capability(nodes[1]) and (await nodes[0].value()).v == 2
        await client.close()

    run(main)


def test_copy_struct_skips_named_fields(schema: Any) -> None:
    class Echo(schema.Node.Server):  # type: ignore[misc, name-defined]
        async def echo(self, _context: Any, **_: Any) -> None:
            aio.copy_struct(_context.results.init("item"), _context.params.item, skip={"name", "none"})

    async def main() -> None:
        client, _, _ = await sessions(Echo())
        root = client.bootstrap(schema.Node)
        view = (await root.echo(item={"name": "gone", "blob": b"kept", "count": 4})).item
        assert _null(view, "name") and view.blob == b"kept" and view.count == 4
        await client.close()

    run(main)
