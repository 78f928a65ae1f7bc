"""Random structs (``tests/random_schemas.py``) sent through RPC and echoed back.

For each seed, an interface ``Echo { echo (v :Root) -> (v :Root) }`` is added to a random
schema; its server copies the params it received into its results (``_context.results.v =
v``, as a pycapnp server would).  The client sends ``v`` two ways: filled field by field
through the request builder (``req.init("v")``, setters, ``init`` of groups, lists and
structs) and as a whole dynamic message.  What comes back must read, through the dynamic
API, as the message built with the same statements by the dynamic API: null pointers stay
null, a generic's bound list reads with its bound type, and so on; and the results'
``to_dict()`` must be the dynamic message's, plain and verbose.  ``CAPNP_LITE_RANDOM_SEEDS=N``
runs N seeds.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any, List

import pytest

import capnp_lite
from capnp_lite.dynamic.reader import make_reader
from capnp_lite.lib.capnp import _global_schema_parser

from ..random_schemas import comparable, fill, random_schema
from .support import bootstrapped, run

SEEDS = int(os.environ.get("CAPNP_LITE_RANDOM_SEEDS", "200"))
ROOT = Path(__file__).resolve().parents[2]


def _dynamic_schema(type_id: int) -> Any:
    return _global_schema_parser.modules_by_id[type_id].schema


def _plain(value: Any) -> Any:
    """``to_dict`` output made comparable, objects (AnyPointer contents, capability clients)
    and None as one token: a null capability or AnyPointer reads as None in the dynamic API,
    as an object in RPC views (which pycapnp's are)."""
    return comparable(value, lambda other: "<object or None>")


def _read_all(schema: Any, reader: Any) -> Any:
    """Every field of ``reader`` (an RPC view or a dynamic reader of ``schema``) read by
    attribute, as plain values: what a server's or client's code sees."""
    out = []
    active = reader.which() if schema.union_fields else None
    if active is not None:
        out.append(("@which", str(active)))
    for field in schema.fields_list:
        proto = field.proto
        if proto.discriminantValue != 0xFFFF and proto.name != active:
            continue
        value = getattr(reader, proto.name)
        if proto.which() == "group":
            out.append((proto.name, _read_all(_dynamic_schema(proto.group.typeId), value)))
        else:
            out.append((proto.name, _read_value(proto.slot.type, value)))
    return out


def _read_value(t: Any, value: Any) -> Any:
    kind = t.which()
    if kind in ("anyPointer", "interface"):
        return "<object>"
    if kind == "struct":
        if len(t.struct.brand.scopes):
            return "<bound generic>"  # (its parameters' types are not in the unbound schema)
        return _read_all(_dynamic_schema(t.struct.typeId), value)
    if kind == "list":
        return [_read_value(t.list.elementType, item) for item in value]
    if kind == "enum":
        return str(value)
    if kind in ("float32", "float64"):
        return repr(value)
    return value


def _request_fields(builder: Any) -> List[Any]:
    """The fields (with protos) of a request's struct builder, from the dynamic schema."""
    return list(_dynamic_schema(builder.schema.model.id).fields_list)


@pytest.mark.parametrize("seed", range(SEEDS))
def test_random_struct_echoed_through_rpc(seed: int, tmp_path: Path) -> None:
    schema = random_schema(seed)
    rng = random.Random(seed)
    root = rng.choice(schema.structs)
    path = tmp_path / ("echo%d.capnp" % seed)
    path.write_text(schema.text + "interface Echo { echo @0 (v :%s) -> (v :%s); }\n" % (root, root))
    try:
        module = capnp_lite.load(str(path))
    except capnp_lite.KjException:
        return  # a schema both compilers refuse (tests/schema/test_random_schemas.py)
    root_type = module
    for part in root.split("."):
        root_type = getattr(root_type, part)
    state = rng.getstate()
    want = root_type.new_message()
    fill(want, rng, enum_names=True)
    expected = str(want.as_reader())
    dynamic_schema = _dynamic_schema(root_type.schema.node.id)

    class EchoImpl(module.Echo.Server):  # type: ignore[name-defined, misc]
        async def echo(self, v: Any, _context: Any, **kwargs: Any) -> None:
            _context.results.v = v

    async def main() -> None:
        async with bootstrapped(EchoImpl(), module.Echo) as echo:
            request = echo.echo_request()
            rng.setstate(state)
            fill(request.init("v"), rng, enum_names=True, fields_of=_request_fields)
            by_fields = await request.send()
            assert str(make_reader(dynamic_schema, by_fields.v.reader, ())) == expected
            # results' to_dict as pycapnp's (and the dynamic API's): union member first, nulls out
            for verbose in (False, True):
                assert _plain(by_fields.v.to_dict(verbose)) == _plain(want.to_dict(verbose))
            # and every field read by attribute, as a client's code reads results
            assert _read_all(dynamic_schema, by_fields.v) == _read_all(dynamic_schema, want.as_reader())
            whole = await echo.echo(v=want)
            assert str(make_reader(dynamic_schema, whole.v.reader, ())) == expected

    run(main)


@pytest.mark.interop
def test_random_structs_echoed_between_us_and_pycapnp() -> None:
    """The same echo over TCP with pycapnp at the other end, both ways (in a process of its
    own: see ``random_echo_pycapnp.py``)."""
    pytest.importorskip("capnp", reason="pycapnp is the reference here (CPython only)")
    count = max(SEEDS // 4, 1)
    out = subprocess.run([sys.executable, "-m", "tests.aio.random_echo_pycapnp", "0", str(count)],
                         cwd=str(ROOT), capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    assert len(lines) == count, out.stdout[-3000:] + out.stderr[-3000:]
    bad = [line for line in lines if not line.endswith((" ok", " refused"))]
    assert not bad, "\n".join(bad)
    assert sum(line.endswith(" ok") for line in lines) > count // 2  # most seeds compared
