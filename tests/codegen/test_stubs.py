"""Typed RPC stubs for awkward schemas: keywords, reserved names, diamonds, pipeline properties.

The schema below is compiled and generated into a fresh package; the module
must import, pass ``mypy --strict``, and its stubs must work over an
in-memory connection (a pipelined property reaching a capability in the
results before they arrive).
"""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from capnp_lite.codegen import generate
from capnp_lite.schema import compile_source

SCHEMA = """
@0xe5a1c0de5eb0b001;

interface Base {
  close @0 () -> (n :UInt32);
}

interface Left extends(Base) {
  class @0 () -> (cap :Leaf, client :Leaf, other :Leaf);
}

interface Right extends(Base) {
  get @0 () -> (leaf :Leaf);
}

interface Both extends(Left, Right) {
  make @0 (n :UInt32) -> (leaf :Leaf, text :Text);
}

interface Leaf {
  value @0 () -> (v :UInt32);
}
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    tmp = tmp_path_factory.mktemp("stubs")
    pkg = "stubs_" + uuid.uuid4().hex[:8]
    (tmp / pkg).mkdir()
    (tmp / pkg / "__init__.py").write_text("")
    for name, text in generate(compile_source(SCHEMA, "awkward.capnp")).items():
        (tmp / pkg / f"{name}.py").write_text(text)
    sys.path.insert(0, str(tmp))
    return importlib.import_module(f"{pkg}.awkward_capnp")


def test_names_avoid_keywords_members_and_inherited_methods(mod: ModuleType) -> None:
    assert hasattr(mod.Base_Client, "close_") and hasattr(mod.Base_Client, "close__request")
    assert mod.Base_Client.close is not mod.Base_Client.close_  # TypedClient.close stays
    assert hasattr(mod.Left_Client, "class_")
    promise = mod.Left_class_Promise
    assert {"cap_", "client_", "other"} <= set(vars(promise))  # TypedPromise.cap/client stay
    assert "text" not in vars(mod.Both_make_Promise)  # only interface fields get a property
    # the diamond resolves: Both's stubs see every inherited method once
    mro = [k.__name__ for k in mod.Both_Client.__mro__]
    assert mro.index("Left_Client") < mro.index("Base_Client")
    assert mro.index("Right_Client") < mro.index("Base_Client")
    for attr in ("close_", "class_", "get", "make"):
        assert callable(getattr(mod.Both_Client, attr)) and callable(getattr(mod.Both_Server, attr))


def test_generated_stubs_pass_mypy_strict(mod: ModuleType) -> None:
    pytest.importorskip("mypy", reason="mypy is in the dev extra only; the CPython run checks this")
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
                          str(Path(mod.__file__))], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_pipeline_properties_work_through_a_diamond(mod: ModuleType) -> None:
    from capnp_lite.aio import Session, memory_pair

    class Leaf(mod.Leaf_Server):  # type: ignore[misc, name-defined]
        def __init__(self, v: int) -> None:
            self.v = v

        async def value(self, context: Any) -> None:
            context.results.v = self.v

    class Impl(mod.Both_Server):  # type: ignore[misc, name-defined]
        async def make(self, context: Any) -> None:
            await asyncio.sleep(0)  # the results arrive after the pipelined call was sent
            context.results.leaf = context.add_cap(Leaf(context.params.n * 2))
            context.results.text = "made"

        async def class_(self, context: Any) -> None:
            context.results.cap = context.add_cap(Leaf(1))
            context.results.client = context.add_cap(Leaf(2))

        async def close_(self, context: Any) -> None:
            context.results.n = 9

    async def main() -> None:
        a, b = memory_pair()
        server = Session(b, Impl())
        client = Session(a)
        both = mod.Both_Client(client.bootstrap())
        params = mod.Both_make_Params_Builder()
        params.n = 21
        with both.make(params).leaf as leaf:
            assert (await leaf.value()).results.v == 42
        promise = both.class_()
        with promise.cap_ as one, promise.client_ as two:
            assert [(await one.value()).results.v, (await two.value()).results.v] == [1, 2]
        assert (await both.close_()).results.n == 9
        both.close()
        await client.close()
        await server.close()

    asyncio.run(asyncio.wait_for(main(), 20))
