"""Generic interfaces over RPC: a capability of a bound brand (``Box(Text)``) reads and writes
its methods' params and results with the parameters bound, as pycapnp does."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import capnp_lite
from capnp_lite import aio
from capnp_lite.aio._schema import interface_info

from .generics_scenario import SCHEMA
from .support import run

HERE = Path(__file__).parent

EXPECTED = [
    "Box(Text).get str 'hello'",
    "Box(P).get struct x=5",
    "Box.get anypointer",  # unbound: AnyPointer
    "TextBox.get str 'derived'",  # bound by the superclass's brand
    "Holder(Data).box.get bytes b'dd'",  # bound through a generic struct's parameter
    "Holder(Data).items[0].get bytes b'e'",
    "List(Box(Text))[0].get str 'l0'",
    "gen.u anypointer gen.t str 'tee'",  # a method's own parameter stays AnyPointer
    "put AnyView",  # the server's class is Box.Server: no brand known there (AnyPointer)
    "cast Box(Text).get str 'any'",
]


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generics") / "generics.capnp"
    path.write_text(SCHEMA)
    return path


def run_scenario(lib: str, schema: Path) -> "list[str]":
    out = subprocess.run([sys.executable, str(HERE / "generics_scenario.py"), "--lib", lib,
                          "--schema", str(schema)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_capnp_lite_binds_generic_interfaces(schema: Path) -> None:
    assert run_scenario("lite", schema) == EXPECTED


def test_pycapnp_binds_them_the_same(schema: Path) -> None:
    pytest.importorskip("capnp", reason="pycapnp (the reference) is not installed")
    assert run_scenario("pycapnp", schema) == EXPECTED


def test_a_server_made_for_a_branded_interface_reads_bound_params(schema: Path) -> None:
    """A server class based on the branded interface (``server_base`` of the field's type)
    gets its params bound; one based on ``Box.Server`` cannot know a brand (the same object
    may be sent through fields of different brands) and reads AnyPointer."""
    m = capnp_lite.load(str(schema))
    box_text = m.Factory.schema.methods["textBox"].result_type.fields["box"].type

    class TextBoxImpl(aio.server_base(box_text)):  # type: ignore[misc]
        async def put(self, value: Any, _context: Any, **kw: Any) -> str:
            return f"{type(value).__name__} {value}"

        async def get(self, _context: Any, **kw: Any) -> str:
            return "from a branded server"

    class Factory(m.Factory.Server):  # type: ignore[misc, name-defined]
        async def textBox(self, _context: Any, **kw: Any) -> Any:
            return TextBoxImpl()

    async def main() -> None:
        a, b = socket.socketpair()
        server = capnp_lite.TwoPartyServer(await capnp_lite.AsyncIoStream.create_connection(sock=b),
                                           bootstrap=Factory())
        client = capnp_lite.TwoPartyClient(await capnp_lite.AsyncIoStream.create_connection(sock=a))
        f = client.bootstrap().cast_as(m.Factory)
        box = (await f.textBox()).box
        assert (await box.put(value="pp")).kind == "str pp"
        assert (await box.get()).value == "from a branded server"
        local = m.Box._new_client(TextBoxImpl())  # seen as Box: the server's brand still binds
        assert (await local.put(value="q")).kind == "str q"
        box.close()
        local.close()
        await client.close()
        await server.close()

    run(main)


def test_brands_keep_interfaces_apart(schema: Path) -> None:
    m = capnp_lite.load(str(schema))
    fields = {name: m.Factory.schema.methods[name].result_type.fields
              for name in ("textBox", "structBox", "anyBox", "derived")}
    box_text = interface_info(fields["textBox"]["box"].type)
    box_p = interface_info(fields["structBox"]["box"].type)
    box = interface_info(m.Box)
    derived = interface_info(m.TextBox)
    assert interface_info(fields["anyBox"]["box"].type) is box  # unbound: the plain interface
    assert interface_info(fields["textBox"]["box"].type) is box_text  # made once per brand
    assert box_text is not box and box_text is not box_p
    assert box_text.methods["get"].results.fields["value"].kind == "text"
    assert box_p.methods["get"].results.fields["value"].kind == "struct"
    assert box.methods["get"].results.fields["value"].kind == "anyPointer"
    # A branded interface is the plain one; the plain one is no branded one.
    assert box_text.is_a(box) and not box.is_a(box_text) and not box_p.is_a(box_text)
    assert derived.is_a(box_text) and derived.is_a(box) and not derived.is_a(box_p)
    assert derived.methods["get"].results.fields["value"].kind == "text"
    # A schema that is not generic gets no brand at all.
    factory = interface_info(m.Factory)
    assert factory.bindings == {} and factory.methods["textBox"].results.bindings == {}
