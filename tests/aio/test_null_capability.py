"""A null capability (a null pointer, or a cap-table entry that is empty) in params or results
reads as a client whose calls fail with ``RpcError("called null capability")``, as pycapnp's
fail with its KjException; storing such a client writes a null pointer again."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any, List, Tuple

import pytest

import capnp_lite
from capnp_lite import aio
from capnp_lite.errors import KjException, RpcError

from .null_cap_scenario import SCHEMA
from .support import run

HERE = Path(__file__).parent

EXPECTED = [
    "result is a client: True",
    "call on the null result: capnp error, null capability: True",
    "server calls the null client sent back: capnp error, null capability: True",
]

LITE_SCHEMA = """
@0xe9f2a3b4c5d6071b;
interface Echo { echo @0 (s :Text) -> (s :Text); }
struct Holder { echo @0 :Echo; echos @1 :List(Echo); }
interface Test {
  nullCap @0 () -> (echo :Echo);
  take @1 (echo :Echo) -> (seen :Text);
  holder @2 () -> (h :Holder);
  emptyEntry @3 () -> (echo :Echo);
}
"""


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nullcap") / "nullcap.capnp"
    path.write_text(SCHEMA)
    return path


def run_scenario(server: str, client: str, schema: Path) -> "list[str]":
    out = subprocess.run([sys.executable, str(HERE / "null_cap_scenario.py"), "--server", server,
                          "--client", client, "--schema", str(schema)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_capnp_lite_reads_a_null_capability_as_a_failing_client(schema: Path) -> None:
    assert run_scenario("lite", "lite", schema) == EXPECTED


@pytest.mark.parametrize("server, client", [("pycapnp", "pycapnp"), ("pycapnp", "lite"),
                                            ("lite", "pycapnp")])
def test_the_same_against_and_with_pycapnp(schema: Path, server: str, client: str) -> None:
    pytest.importorskip("capnp", reason="pycapnp (the reference) is not installed")
    assert run_scenario(server, client, schema) == EXPECTED


async def _pair(m: Any, impl: Any) -> Tuple[Any, Any, Any]:
    a, b = socket.socketpair()
    server = capnp_lite.TwoPartyServer(await capnp_lite.AsyncIoStream.create_connection(sock=b),
                                       bootstrap=impl)
    client = capnp_lite.TwoPartyClient(await capnp_lite.AsyncIoStream.create_connection(sock=a))
    return server, client, client.bootstrap().cast_as(m.Test)


async def _fails_as_null(cap: Any, match: str = "called null capability") -> None:
    with pytest.raises(RpcError, match=match) as info:
        await cap.echo(s="x")
    assert isinstance(info.value, KjException) and info.value.type == "FAILED"


def test_null_fields_list_elements_params_and_empty_entries(tmp_path: Path) -> None:
    path = tmp_path / "lite.capnp"
    path.write_text(LITE_SCHEMA)
    m = capnp_lite.load(str(path))
    seen: List[Any] = []

    class EchoImpl(m.Echo.Server):  # type: ignore[misc, name-defined]
        async def echo(self, s: str, _context: Any, **kw: Any) -> str:
            return s

    class TestImpl(m.Test.Server):  # type: ignore[misc, name-defined]
        async def nullCap(self, _context: Any, **kw: Any) -> None:
            return None

        async def take(self, echo: Any, _context: Any, **kw: Any) -> str:
            seen.append((echo, _context.params._has("echo")))
            try:
                await echo.echo(s="x")
            except RpcError as exc:
                return exc.reason
            return "called"

        async def holder(self, _context: Any, **kw: Any) -> Any:
            return {"echos": [EchoImpl(), None]}

        async def emptyEntry(self, _context: Any, **kw: Any) -> None:
            # A pointer to an entry of the cap table that is empty: sent as a ``none`` descriptor.
            results = _context.results
            results.builder.set_capability(0, _context._results.add_cap(None))

    async def main() -> None:
        server, client, t = await _pair(m, TestImpl())
        r = await t.nullCap()
        assert not r._has("echo") and aio.is_null_capability(r.echo)
        assert isinstance(r.echo, aio.Capability) and r.echo is not r.echo  # a client per read
        await _fails_as_null(r.echo)
        await _fails_as_null(r.echo.cast_as(m.Echo))

        # Sent back, or sent as None, a null client arrives as a null pointer.
        assert (await t.take(echo=None)).seen == "called null capability"
        assert (await t.take(echo=r.echo)).seen == "called null capability"
        assert (await t.take(r.echo)).seen == "called null capability"
        assert [has for _, has in seen] == [False, False, False]
        assert all(aio.is_null_capability(cap) for cap, _ in seen)
        assert (await t.take(echo=EchoImpl())).seen == "called" and seen[-1][1]

        h = (await t.holder()).h
        assert not h._has("echo") and h._has("echos")
        await _fails_as_null(h.echo)
        echos = h.echos
        assert (await echos[0].echo(s="y")).s == "y"
        assert not aio.is_null_capability(echos[0]) and aio.is_null_capability(echos[1])
        await _fails_as_null(echos[1])

        e = await t.emptyEntry()
        assert e._has("echo") and aio.is_null_capability(e.echo)  # the pointer is set
        await _fails_as_null(e.echo)
        # Pipelined: the session's own broken target (worded "call on a null capability").
        await _fails_as_null(t.emptyEntry().echo, "null capability")
        for cap in echos:
            cap.close()
        await client.close()
        await server.close()

    run(main)


def test_copy_struct_keeps_a_null_capability_null(tmp_path: Path) -> None:
    path = tmp_path / "lite.capnp"
    path.write_text(LITE_SCHEMA)
    m = capnp_lite.load(str(path))
    mapped: List[Any] = []

    class TestImpl(m.Test.Server):  # type: ignore[misc, name-defined]
        async def emptyEntry(self, _context: Any, **kw: Any) -> None:
            _context.results.builder.set_capability(0, _context._results.add_cap(None))

        async def holder(self, _context: Any, **kw: Any) -> Any:
            source = await self.peer.emptyEntry()  # a null capability behind a set pointer
            out = _context.results.init("h")
            view = source.as_reader()
            aio.copy_struct(out, view, mapped.append)  # the results of another method: same field
            return None

    async def main() -> None:
        impl = TestImpl()
        server, client, t = await _pair(m, impl)
        impl.peer = t
        h = (await t.holder()).h
        assert mapped == [] and not h._has("echo")
        await client.close()
        await server.close()

    run(main)


def test_the_dynamic_api_reads_a_null_capability_field_as_none(tmp_path: Path) -> None:
    """Outside RPC there is no client to give (pycapnp refuses to read a capability there)."""
    path = tmp_path / "lite.capnp"
    path.write_text(LITE_SCHEMA)
    m = capnp_lite.load(str(path))
    holder = m.Holder.new_message()
    assert holder.echo is None and holder.as_reader().echo is None
    assert aio.is_null_capability(holder.echo)
