"""A closed client passed as a capability (params, results, a promise's resolution) is an
``RpcError`` for that call only; the connection and every other capability go on."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Tuple

import pytest

import capnp_lite
import capnp_lite.aio as aio
from capnp_lite.errors import RpcError
from tests.aio.support import run

SCHEMA = """
@0xd1b2c3d4e5f6071d;
interface Echo { echo @0 (s :Text) -> (s :Text); }
interface Test {
  getEcho @0 () -> (echo :Echo);
  takeCap @1 (cap :Echo) -> (s :Text);
  closedOne @2 (cap :Echo) -> (echo :Echo);
}
"""


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("schema") / "closed.capnp"
    path.write_text(SCHEMA)
    return capnp_lite.load(str(path))


def make_classes(schema: Any) -> Tuple[Any, Any]:
    class EchoImpl(schema.Echo.Server):
        def echo(self, s: str, **kwargs: Any) -> str:
            return s

    class TestImpl(schema.Test.Server):
        def getEcho(self, **kwargs: Any) -> Any:
            return EchoImpl()

        async def takeCap(self, cap: Any, **kwargs: Any) -> str:
            return str((await cap.echo(s="took")).s)

        def closedOne(self, cap: Any, **kwargs: Any) -> Any:
            cap.close()
            return cap  # a closed client in the results

    return EchoImpl, TestImpl


async def connect(schema: Any, server: Any) -> Tuple[aio.Session, aio.Session, Any]:
    a, b = aio.memory_pair()
    srv = aio.Session(b, server)
    cli = aio.Session(a)
    return cli, srv, cli.bootstrap().cast_as(schema.Test)


def test_a_closed_client_in_params_is_an_rpc_error(schema: Any) -> None:
    _, TestImpl = make_classes(schema)

    async def main() -> None:
        cli, srv, test = await connect(schema, TestImpl())
        echo = (await test.getEcho()).echo
        keep = echo.cast_as(schema.Echo)  # another client of the same import: it stays held
        echo.close()
        for send in (lambda: test.takeCap(cap=echo), lambda: test.takeCap_request(cap=echo).send()):
            with pytest.raises(RpcError, match="capability client was closed"):
                send()
        assert cli.is_open and srv.is_open
        assert (await test.takeCap(cap=keep)).s == "took"  # the connection and the import go on
        keep.close()
        with pytest.raises(RpcError, match="capability client was closed"):
            test.takeCap(cap=keep)  # its import released now
        assert (await test.takeCap(cap=(await test.getEcho()).echo)).s == "took"
        await cli.close()

    run(main)


def test_a_closed_client_in_results_fails_that_call_only(schema: Any) -> None:
    EchoImpl, TestImpl = make_classes(schema)

    async def main() -> None:
        cli, srv, test = await connect(schema, TestImpl())
        with pytest.raises(RpcError, match="capability client was closed") as info:
            await test.closedOne(cap=EchoImpl())
        assert info.value.type == "FAILED"
        assert cli.is_open and srv.is_open
        assert (await test.takeCap(cap=EchoImpl())).s == "took"
        await cli.close()

    run(main)


def test_local_calls_and_promises_refuse_a_closed_client_too(schema: Any) -> None:
    EchoImpl, TestImpl = make_classes(schema)

    async def main() -> None:
        cli, srv, test = await connect(schema, TestImpl())
        echo = (await test.getEcho()).echo
        echo.close()
        local = schema.Test._new_client(TestImpl())
        with pytest.raises(RpcError, match="capability client was closed"):
            local.takeCap(cap=echo)
        with pytest.raises(RpcError, match="capability client was closed"):
            await local.closedOne(cap=EchoImpl())
        promise, resolver = cli.export_promise(schema.Echo)
        with pytest.raises(RpcError, match="capability client was closed"):
            resolver.resolve(echo)
        assert not resolver.settled
        assert (await local.takeCap(cap=EchoImpl())).s == "took"
        assert (await test.takeCap(cap=EchoImpl())).s == "took"
        await cli.close()

    run(main)
