"""The debug-port client against a real workerd (tests/debugport/workers), and its codecs.

Expected values come from the test worker's source (main.js) and workerd's documented error
wording (PROTOCOL.md), never from this client's own output.
"""

from __future__ import annotations

import asyncio
import datetime
import gc
import json
import urllib.request
from typing import Any, AsyncIterator, Dict, List, Optional

import pytest

from capnp_lite.errors import DecodeError, EncodeError, RpcError
from debugport import v8
from debugport.client import DebugPortClient, RemoteError, connect, parse_address, remote_error
from debugport.frankenvalue import Frankenvalue
from debugport.http import Headers, decode_headers, encode_headers
from debugport.jsrpc import RemoteStub, UnsupportedValue

from .conftest import run
from .workerd_fixture import Workerd

# Restated from main.js (a worker module may export only handlers).
FAIL_MESSAGE = "expected failure from the test worker"


def headers_of(pairs: List[List[str]]) -> Dict[str, str]:
    return {name: value for name, value in pairs}


async def with_client(wd: Workerd, body: Any) -> Any:
    client = await connect(wd.debug_address)
    try:
        return await body(client)
    finally:
        await client.close()


def http_json(wd: Workerd, path: str) -> Any:
    with urllib.request.urlopen(wd.url(path), timeout=20) as response:
        return json.loads(response.read())


# -- codecs (no workerd) ------------------------------------------------------------------------


def test_v8_reads_version_16_props_captured_from_workerd() -> None:
    # The bytes workerd's binding sent as props {u: 1} (PROTOCOL.md section 4).
    assert v8.loads(bytes.fromhex("ff106f220175 49027b01".replace(" ", ""))) == {"u": 1}


def test_v8_version_16_widens_buffer_lengths() -> None:
    big = v8.ResizableArrayBuffer(b"ab", 2**33)
    data = v8.dumps(big, version=16)
    assert data[:2] == b"\xff\x10"
    assert v8.loads(data) == big
    # The same bytes labelled version 15 carry a length too wide for it.
    with pytest.raises(DecodeError, match="32 bits"):
        v8.loads(b"\xff\x0f" + data[2:])
    with pytest.raises(EncodeError, match="version 16"):
        v8.dumps(big, version=15)
    with pytest.raises(DecodeError, match="unsupported format version 17"):
        v8.loads(b"\xff\x11\x30")


def test_v8_version_16_reads_views_like_15() -> None:
    view = v8.TypedArray("Uint16Array", b"\x01\x00\x02\x00", 0, 4)
    v15 = v8.dumps(view)
    v16 = v8.dumps(view, version=16)
    assert v16[2:] == v15[2:]  # small sizes encode identically
    assert v8.loads(v16) == v8.loads(v15) == view


def test_frankenvalue_forms() -> None:
    assert Frankenvalue.from_python({}).to_capnp() == {"emptyObject": None}
    fv = Frankenvalue.from_python({"user": "alice", "n": [1, 2.5, None]})
    assert fv.kind == "json" and json.loads(fv.payload) == {"user": "alice", "n": [1, 2.5, None]}
    binary = Frankenvalue.from_python({"blob": b"\x00\x01"})
    assert binary.kind == "v8Serialized" and binary.to_python() == {"blob": b"\x00\x01"}
    assert Frankenvalue.from_python({"big": v8.BigInt(5)}).kind == "v8Serialized"
    with_prop = Frankenvalue.empty().with_property("a", 1).with_property("b", {"c": True})
    assert with_prop.to_python() == {"a": 1, "b": {"c": True}}
    assert with_prop.to_capnp() == {"emptyObject": None, "properties": [
        {"json": "1", "name": "a"}, {"json": '{"c": true}', "name": "b"}]}
    with pytest.raises(DecodeError):
        Frankenvalue.from_json("{not json").to_python()
    with pytest.raises(DecodeError, match="properties"):
        Frankenvalue.from_json("3").with_property("x", 1).to_python()


def test_header_encoding_uses_common_names() -> None:
    encoded = encode_headers([("Content-Type", "text/plain"), ("X-Thing", "1"), ("ETag", "e")])
    assert encoded == [
        {"common": {"name": "contentType", "value": "text/plain"}},
        {"uncommon": {"name": "X-Thing", "value": "1"}},
        {"common": {"name": "etag", "value": "e"}},
    ]
    with pytest.raises(EncodeError):
        encode_headers([("Bad\r\nName", "x")])
    headers = Headers([("Set-Cookie", "a=1"), ("set-cookie", "b=2"), ("Vary", "x"), ("vary", "y")])
    assert headers.get("SET-COOKIE") == "a=1" and headers.get_all("set-cookie") == ["a=1", "b=2"]
    assert headers["vary"] == "x, y" and "VARY" in headers and "nope" not in headers


def test_parse_address() -> None:
    assert parse_address("127.0.0.1:9229") == ("127.0.0.1", 9229)
    assert parse_address("[::1]:80") == ("::1", 80)
    assert parse_address(":81") == ("127.0.0.1", 81)
    for bad in ("nohost", "h:0", "h:x", "[::1]80", "h:\u0663", "h:8\u00b9"):
        with pytest.raises(ValueError, match="bad address"):
            parse_address(bad)


def test_remote_error_strips_routing_prefixes() -> None:
    err = remote_error(RpcError("remote.jsg.TypeError: boom: really"))
    assert isinstance(err, RemoteError) and err.js_name == "TypeError" and str(err) == "boom: really"
    internal = remote_error(RpcError("expected x == y; Invalid Durable Object ID"))
    assert isinstance(internal, RemoteError) and internal.js_name is None
    assert str(internal) == "expected x == y; Invalid Durable Object ID"


# -- HTTP against workerd ---------------------------------------------------------------------------


def test_fetch_default_entrypoint(shared_workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        resp = await client.get_entrypoint("main").fetch("http://example.test/a/b?c=d")
        return resp.status, resp.headers, await resp.json()

    status, headers, echoed = run(with_client(shared_workerd, body))
    assert status == 200
    assert headers.get("content-type") == "application/json"
    assert echoed["entrypoint"] == "default"
    assert echoed["method"] == "GET"
    assert echoed["url"] == "http://example.test/a/b?c=d"
    assert echoed["body"] is None
    assert echoed["props"] == {}
    assert echoed["cf"] is None


def test_fetch_post_with_headers_and_cf(shared_workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        target = client.get_entrypoint("main")
        resp = await target.fetch(
            "https://ex.test/p?q=1", method="PUT", body="payload \u2713",
            headers=[("Content-Type", "text/plain; charset=utf-8"), ("Authorization", "Bearer t"),
                     ("X-Custom-Thing", "yes"), ("X-Custom-Thing", "again")],
            cf={"colo": "TST", "n": 1})
        return await resp.json()

    echoed = run(with_client(shared_workerd, body))
    assert echoed["method"] == "PUT"
    assert echoed["url"] == "https://ex.test/p?q=1"
    assert echoed["body"] == "payload \u2713"
    headers = headers_of(echoed["headers"])
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert headers["authorization"] == "Bearer t"
    assert headers["x-custom-thing"] == "yes, again"
    assert headers["content-length"] == str(len("payload \u2713".encode()))
    assert echoed["cf"] == {"colo": "TST", "n": 1}


def test_fetch_chunked_body_of_unknown_length(shared_workerd: Workerd) -> None:
    parts = [b"first,", b"", b"second,", b"third" * 1000]

    async def chunks() -> AsyncIterator[bytes]:
        for part in parts:
            await asyncio.sleep(0)
            yield part

    async def body(client: DebugPortClient) -> Any:
        resp = await client.get_entrypoint("main").fetch("http://x/", method="POST", body=chunks())
        return await resp.json()

    echoed = run(with_client(shared_workerd, body))
    assert echoed["body"] == b"".join(parts).decode()
    assert "content-length" not in headers_of(echoed["headers"])


def test_fetch_sync_iterable_with_declared_length(shared_workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        resp = await client.get_entrypoint("main").fetch(
            "http://x/", method="POST", body=iter([b"ab", b"cd"]), headers={"Content-Length": "4"})
        return await resp.json()

    echoed = run(with_client(shared_workerd, body))
    assert echoed["body"] == "abcd"
    assert headers_of(echoed["headers"])["content-length"] == "4"


@pytest.mark.parametrize("length", ["4x", "\u0664", "\u00b9"])
def test_fetch_refuses_a_content_length_that_is_no_number(shared_workerd: Workerd, length: str) -> None:
    async def body(client: DebugPortClient) -> Any:
        return await client.get_entrypoint("main").fetch(
            "http://x/", method="POST", body=b"abcd", headers={"Content-Length": length})

    with pytest.raises(EncodeError, match="invalid Content-Length"):
        run(with_client(shared_workerd, body))


def test_multi_megabyte_bodies_both_ways(shared_workerd: Workerd) -> None:
    size = 4 * 1024 * 1024
    payload = bytes(ord("a") + (i * 7919) % 26 for i in range(size))

    async def body(client: DebugPortClient) -> Any:
        resp = await client.get_entrypoint("main").fetch("http://x/big", method="POST", body=payload)
        chunks = [chunk async for chunk in resp]
        return resp.body_size, chunks

    declared, chunks = run(with_client(shared_workerd, body))
    raw = b"".join(chunks)
    assert len(chunks) > 1  # streamed, not delivered whole
    assert declared is None or declared == len(raw)
    assert json.loads(raw)["body"] == payload.decode()


def test_status_passthrough_and_named_entrypoint_props(shared_workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        teapot = await client.get_entrypoint("main").fetch("http://x/status?code=418")
        rpc = client.get_entrypoint("main", "Rpc", props={"user": "alice", "roles": ["a", "b"]})
        named = await rpc.fetch("http://x/")
        return teapot.status, await teapot.json(), await named.json()

    status, teapot, named = run(with_client(shared_workerd, body))
    assert status == 418 and teapot == {"status": 418}
    assert named["entrypoint"] == "Rpc"
    assert named["props"] == {"user": "alice", "roles": ["a", "b"]}


# -- JS RPC against workerd ---------------------------------------------------------------------------


def test_rpc_values(shared_workerd: Workerd) -> None:
    nested = {"k": [1, None, "s"], "deep": {"x": [True, False, 2.5]}, "big": v8.BigInt(-9)}

    async def body(client: DebugPortClient) -> Any:
        rpc = client.get_entrypoint("main", "Rpc")
        return await asyncio.gather(
            rpc.call("add", 2, 40), rpc.call("add", 0.5, 0.25), rpc.call("add", "con", "cat"),
            rpc.call("add", [1], [2]), rpc.call("echo", nested), rpc.call("echo", [1, "two", [3]]),
            rpc.call(["add"], 20, 1), rpc.call("sleep", 5))

    results = run(with_client(shared_workerd, body))
    assert results[0] == 42 and results[1] == 0.75 and results[2] == "concat"
    assert results[3] == "12"  # JS: [1] + [2]
    assert results[4] == nested and isinstance(results[4]["big"], v8.BigInt)
    assert results[5] == [1, "two", [3]]
    assert results[6] == 21 and results[7] == 5


def test_rpc_types_from_the_worker(shared_workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        return await client.get_entrypoint("main").call("types")

    value = run(with_client(shared_workerd, body))
    assert value["string"] == "h\u00e9llo \u2713"
    assert value["int"] == 42 and value["negative"] == -7 and value["float"] == 1.5
    assert value["bigint"] == 12345678901234567890 and isinstance(value["bigint"], v8.BigInt)
    assert value["missing"] is v8.UNDEFINED and value["nothing"] is None
    assert value["map"] == v8.JSMap([("a", 1), (2, "b")])
    assert value["set"] == v8.JSSet([1, 2, 3])
    assert value["date"] == datetime.datetime(2024, 1, 2, 3, 4, 5, 6000, tzinfo=datetime.timezone.utc)
    assert value["buffer"] == b"\x09\x08\x07"
    assert value["regexp"] == v8.JSRegExp("ab+c", "gi")
    assert value["error"].name == "RangeError" and value["error"].message == "an error as a value"
    assert value["nested"] == {"deeper": {"deepest": [{}]}}


def test_props_in_each_frankenvalue_form(shared_workerd: Workerd) -> None:
    v16 = Frankenvalue.from_v8(v8.dumps({"u": 1, "b": v8.BigInt(2)}, version=16))

    async def body(client: DebugPortClient) -> Any:
        return await asyncio.gather(
            client.get_entrypoint("main", "Rpc").call("props"),
            client.get_entrypoint("main", "Rpc", props={}).call("props"),
            client.get_entrypoint("main", "Rpc", props=v16).call("props"),
            client.get_entrypoint("main", "Rpc", props=Frankenvalue.from_json('{"a": 1}')
                                  .with_property("extra", [1, 2])).call("props"))

    absent, empty, from_v8, with_prop = run(with_client(shared_workerd, body))
    assert absent == {} and empty == {}
    assert from_v8 == {"u": 1, "b": 2}
    assert with_prop == {"a": 1, "extra": [1, 2]}


def test_rpc_errors_carry_workerd_wording(shared_workerd: Workerd) -> None:
    async def failure(coro: Any) -> RemoteError:
        try:
            await coro
        except RemoteError as exc:
            return exc
        raise AssertionError("the call did not fail")

    async def body(client: DebugPortClient) -> Any:
        rpc = client.get_entrypoint("main", "Rpc")
        errors = await asyncio.gather(
            failure(rpc.call("fail")), failure(rpc.call("failType")),
            failure(rpc.call("nonexistent")),
            failure(client.get_entrypoint("no-such-service").call("add", 1, 2)),
            failure(client.get_entrypoint("no-such-service").fetch("http://x/")),
            failure(client.get_entrypoint("main", "Nope").call("add", 1, 2)),
            failure(client.get_actor("main", "NoSuchClass", "0" * 64).call("get")),
            failure(client.get_actor("main", "Counter", "abc").call("get")))
        after = await rpc.call("add", 1, 1)  # the connection survives all of that
        return errors, after

    errors, after = run(with_client(shared_workerd, body))
    fail, type_error, missing, unknown_call, unknown_fetch, no_entry, no_class, bad_id = errors
    assert (fail.js_name, str(fail)) == ("Error", FAIL_MESSAGE)
    assert (type_error.js_name, str(type_error)) == ("TypeError", "wrong type on purpose")
    assert missing.js_name == "TypeError"
    assert str(missing) == 'The RPC receiver does not implement the method "nonexistent".'
    assert str(unknown_call) == str(unknown_fetch) == 'Worker "no-such-service" not found'
    assert str(no_entry) == 'Worker does not export an entrypoint named "Nope"'
    assert str(no_class) == 'Worker does not export a Durable Object class named "NoSuchClass"'
    assert "Invalid Durable Object ID" in str(bad_id) and bad_id.js_name is None
    assert after == 2


def test_an_rpc_target_in_a_result_is_a_stub_to_call(shared_workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        rpc = client.get_entrypoint("main", "Rpc")
        tally = await rpc.call("tally", 3)
        assert isinstance(tally, RemoteStub)
        seen = [await tally.add(4), await tally.add(1)]
        child = await tally.spawn()  # a stub from a stub: the same session
        tally.close()
        seen += [await child.add(2), await child.add(0)]
        with pytest.raises(RpcError, match="closed"):
            await tally.add(1)
        async with child:
            seen.append(await child.add(100))
        missing = await rpc.call("tally", 0)
        async with missing:
            with pytest.raises(RemoteError, match='does not implement the method "nope"'):
                await missing.nope()
        return seen, await rpc.call("add", 1, 2)

    assert run(with_client(shared_workerd, body)) == ([7, 8, 10, 10, 110], 3)


def test_the_session_is_released_with_its_last_stub(shared_workerd: Workerd) -> None:
    async def imports_after(client: DebugPortClient, step: Any) -> int:
        step()
        for _ in range(20):  # the releases go out from tasks of their own
            await asyncio.sleep(0.01)
        return len(client.session._conn.imports)

    async def body(client: DebugPortClient) -> Any:
        rpc = client.get_entrypoint("main", "Rpc")
        await rpc.call("add", 1, 1)
        base = await imports_after(client, lambda: None)
        tally = await rpc.call("tally", 1)
        child = await tally.spawn()
        held = await imports_after(client, lambda: None)
        one_left = await imports_after(client, tally.close)
        none_left = await imports_after(client, child.close)
        dropped = await rpc.call("tally", 1)
        await dropped.add(1)
        del dropped  # never closed: collected, and released then
        collected = await imports_after(client, gc.collect)
        return base, held, one_left, none_left, collected

    base, held, one_left, none_left, collected = run(with_client(shared_workerd, body))
    # topLevel and session, and each stub, while they are held; then nothing.
    assert (held, one_left, none_left, collected) == (base + 4, base + 3, base, base)


def test_a_result_with_a_disposer_is_disposed_with_its_last_stub(shared_workerd: Workerd) -> None:
    async def settled(rpc: Any) -> int:
        for _ in range(20):  # the releases go out from tasks of their own
            await asyncio.sleep(0.01)
        count: int = await rpc.call("disposals")
        return count

    async def body(client: DebugPortClient) -> Any:
        rpc = client.get_entrypoint("main", "Rpc")
        before = await settled(rpc)
        value = await rpc.call("disposable", 4)
        held = await settled(rpc)
        assert await value["tally"].add(1) == 5
        value["tally"].close()
        after = await settled(rpc)
        return held - before, after - before

    assert run(with_client(shared_workerd, body)) == (0, 1)


def test_a_js_function_and_stubs_inside_values(shared_workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        rpc = client.get_entrypoint("main", "Rpc")
        add10 = await rpc.call("adder", 10)
        sums = [await add10(5), await add10(-10)]
        add10.close()
        pair = await rpc.call("pair", 2)
        assert pair["label"] == "pair" and isinstance(pair["tally"], RemoteStub)
        got = [await pair["tally"].add(1), await pair["more"][0].add(1)]
        pair["tally"].close()
        pair["more"][0].close()
        return sums, got

    assert run(with_client(shared_workerd, body)) == ([15, 0], [3, 21])


def test_python_functions_go_to_js_as_stubs(shared_workerd: Workerd) -> None:
    calls: List[Any] = []

    def double(value: int) -> int:
        calls.append(value)
        return value * 2

    async def later(value: str) -> str:
        await asyncio.sleep(0.01)
        return value + "!"

    async def body(client: DebugPortClient) -> Any:
        rpc = client.get_entrypoint("main", "Rpc")
        got = [await rpc.call("callWith", double, 21), await rpc.call("callWith", later, "hi")]
        tally = await rpc.call("tally", 1)
        async with tally:
            # A stub received from workerd, handed back to it as an argument.
            got.append(await rpc.call("callWith", tally.add, 5))
        with pytest.raises(RemoteError, match="boom"):
            await rpc.call("callWith", _raises, 1)
        return got

    assert run(with_client(shared_workerd, body)) == [42, "hi!", 6]
    assert calls == [21]


def _raises(value: Any) -> Any:
    raise ValueError("boom")


def test_a_result_refused_after_its_stubs_gives_them_back(shared_workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        rpc = client.get_entrypoint("main", "Rpc")
        async def held() -> int:
            for _ in range(20):  # the releases go out from tasks of their own
                await asyncio.sleep(0.01)
            return len(client.session._conn.imports)

        await rpc.call("add", 1, 1)
        before = await held()
        with pytest.raises(UnsupportedValue, match="readableStream") as refused:
            await rpc.call("stubThenStream")
        after = await held()  # (the error, kept, keeps the failed call's frame alive)
        assert refused.traceback
        return before, after

    before, after = run(with_client(shared_workerd, body))
    assert after == before  # the stub decoded before the stream was closed, and the session


def test_a_result_holding_a_stream_is_still_refused(shared_workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        rpc = client.get_entrypoint("main", "Rpc")
        with pytest.raises(UnsupportedValue, match="readableStream"):
            await rpc.call("stream")
        return await rpc.call("add", 1, 2)

    assert run(with_client(shared_workerd, body)) == 3


# -- actors ---------------------------------------------------------------------------------------------


def test_durable_object_counter_keeps_state(shared_workerd: Workerd) -> None:
    actor_id = http_json(shared_workerd, "/do/id?name=python-client-counter")["id"]
    other_id = http_json(shared_workerd, "/do/id?name=python-client-other")["id"]

    async def first(client: DebugPortClient) -> Any:
        counter = client.get_actor("main", "Counter", actor_id)
        one = await counter.call("increment", 1)
        eleven = await counter.call("increment", 10)
        other = await client.get_actor("main", "Counter", other_id).call("increment", 5)
        ident = await counter.call("id")
        return one, eleven, other, ident

    one, eleven, other, ident = run(with_client(shared_workerd, first))
    assert (one, eleven, other) == (1, 11, 5)
    assert ident["id"] == actor_id

    async def second(client: DebugPortClient) -> Any:
        counter = client.get_actor("main", "Counter", actor_id)
        again = await counter.call("increment", 1)
        resp = await counter.fetch("http://do/x", method="POST", body=b"hi")
        return again, await resp.json()

    # A new connection reaches the same object, and so does the worker's own binding.
    again, fetched = run(with_client(shared_workerd, second))
    assert again == 12
    assert fetched["count"] == 13 and fetched["id"] == actor_id
    assert fetched["request"]["body"] == "hi"
    assert http_json(shared_workerd, "/do/increment?name=python-client-counter") == {"count": 14}


def test_ephemeral_actor_takes_any_string_id(shared_workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        actor = client.get_actor("main", "EphemeralCounter", "any string at all \u2713")
        two = await actor.call("increment", 2)
        five = await actor.call("increment", 3)
        resp = await actor.fetch("http://eph/")
        return two, five, await resp.json()

    two, five, fetched = run(with_client(shared_workerd, body))
    assert (two, five) == (2, 5)
    assert fetched == {"count": 6, "id": "any string at all \u2713"}


# -- connection ---------------------------------------------------------------------------------------


def test_refused_connection_fails_fast() -> None:
    async def body() -> None:
        await connect("127.0.0.1:1", timeout=10)

    with pytest.raises(OSError):
        run(body())


def test_target_resolve_reports_unknown_service(shared_workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Optional[str]:
        await client.get_entrypoint("main").resolve()
        try:
            await client.get_entrypoint("ghost").resolve()
        except RemoteError as exc:
            return str(exc)
        return None

    assert run(with_client(shared_workerd, body)) == 'Worker "ghost" not found'


def test_decode_headers_rejects_unknown_common_name() -> None:
    class Common:
        name = 200

        def which(self) -> str:
            return "value"

    class View:
        common = Common()

        def which(self) -> str:
            return "common"

    with pytest.raises(DecodeError):
        decode_headers([View()])


def test_stubs_after_the_connection_is_gone(shared_workerd: Workerd) -> None:
    async def main() -> Any:
        client = await connect(shared_workerd.debug_address)
        tally = await client.get_entrypoint("main", "Rpc").call("tally", 1)
        assert await tally.add(1) == 2
        await client.close()
        with pytest.raises(RpcError):
            await tally.add(1)
        tally.close()  # releasing on a closed connection is quiet
        tally.close()
        return repr(tally)

    assert run(main()) == "<RemoteStub (closed)>"


def test_events_give_back_every_reference_when_they_end(shared_workerd: Workerd) -> None:
    """workerd learns an event is over when every reference it handed out is released; none
    may wait for the garbage collector (PyPy runs it late), so no collection is done here."""

    async def body(client: DebugPortClient) -> Any:
        async def held() -> int:
            for _ in range(20):  # the releases go out from tasks of their own
                await asyncio.sleep(0.01)
            return len(client.session._conn.imports)

        main = client.get_entrypoint("main")
        rpc = client.get_entrypoint("main", "Rpc")
        await rpc.call("add", 1, 1)
        base = await held()
        counts = []
        for _ in range(5):
            await (await main.fetch("http://x/")).read()
        counts.append(await held())
        for _ in range(5):
            await (await main.fetch("http://x/echo", method="POST", body=b"x" * 5000)).read()
        counts.append(await held())
        ws = await main.websocket("http://x/ws")
        await ws.send("hi")
        await ws.receive()
        await ws.close()
        counts.append(await held())
        for _ in range(5):
            await rpc.call("add", 1, 2)
        counts.append(await held())
        return base, counts

    base, counts = run(with_client(shared_workerd, body))
    assert counts == [base, base, base, base]


def test_a_stub_closed_after_its_loop_ended_is_quiet(shared_workerd: Workerd) -> None:
    async def body(client: DebugPortClient) -> Any:
        return await client.get_entrypoint("main", "Rpc").call("tally", 1)

    tally = run(with_client(shared_workerd, body))
    tally.close()  # no loop runs now: nothing is left to tell workerd, and nothing raises
    assert repr(tally) == "<RemoteStub (closed)>"
