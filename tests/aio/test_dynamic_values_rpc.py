"""Struct values of the dynamic API (``new_message()``, readers, dicts) in RPC params and
results, over a socket made with ``create_connection(sock=...)``: the same program prints the
same lines with pycapnp and with capnp_lite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .values_scenario import SCHEMA

HERE = Path(__file__).parent

EXPECTED = [
    "positional builder h:3",
    "keyword reader h:4",
    "request field r:5",
    "message 5 7 '( bar = (\\n    foo = <external capability>,\\n    n = 5 ) )'",
    "dict 6 8 '( bar = (\\n    foo = <external capability>,\\n    n = 6 ) )'",
    "context 8 10 '( bar = (\\n    foo = <external capability>,\\n    n = 8 ) )'",
    "tuple 1 x '(a = 1, b = \"x\")'",
    "request text '( i = (host = \"q\", port = 0) )'",
    "enum and union blue/2/True/True/square/square/True",
]


def run_scenario(lib: str, schema: Path) -> "list[str]":
    out = subprocess.run([sys.executable, str(HERE / "values_scenario.py"), "--lib", lib,
                          "--schema", str(schema)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("values") / "values.capnp"
    path.write_text(SCHEMA)
    return path


def test_capnp_lite_prints_the_expected_lines(schema: Path) -> None:
    assert run_scenario("lite", schema) == EXPECTED


def test_pycapnp_prints_the_same_lines(schema: Path) -> None:
    pytest.importorskip("capnp", reason="pycapnp (the reference) is not installed")
    assert run_scenario("pycapnp", schema) == EXPECTED


def test_results_given_whole_still_work(schema: Path) -> None:
    """Beyond pycapnp: a dict naming only result fields is the whole results, even when
    there is a single struct result."""
    import asyncio
    import socket

    import capnp_lite as capnp

    m = capnp.load(str(schema))

    class FooImpl(m.Foo.Server):  # type: ignore[misc, name-defined]
        async def get(self, _context: object) -> int:
            return 3

    class Svc(m.Svc.Server):  # type: ignore[misc, name-defined]
        async def bar(self, how: str, _context: object) -> object:
            if how == "results dict":
                return {"bar": {"foo": FooImpl(), "n": 1}}
            return {"n": 2}  # not the results' shape: the single result field's value

    async def main() -> None:
        a, b = socket.socketpair()
        server = capnp.TwoPartyServer(await capnp.AsyncIoStream.create_connection(sock=b),
                                      bootstrap=Svc())
        client = capnp.TwoPartyClient(await capnp.AsyncIoStream.create_connection(sock=a))
        svc = client.bootstrap().cast_as(m.Svc)
        r = await svc.bar("results dict")
        assert r.bar.n == 1 and (await r.bar.foo.get()).v == 3
        assert (await svc.bar("other")).bar.n == 2
        a.close()
        b.close()
        del server

    asyncio.run(main())
