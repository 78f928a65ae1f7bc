"""Typed RPC stubs for awkward schemas: keywords, reserved names, diamonds, pipeline properties.

The schema below is compiled and generated into a fresh package; the module
must import, pass ``mypy --strict``, and its stubs must work over an
in-memory connection (a pipelined property reaching a capability in the
results before they arrive, directly or through structs and groups).
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

struct Deeper { note @0 :Text; leaf @1 :Leaf; union { none @2 :Void; alt @3 :Leaf; } }
struct Inner { leaf @0 :Leaf; deeper @1 :Deeper; plain @2 :Plain; g :group { leaf @3 :Leaf; } }
struct S { struct Pipeline { l @0 :Leaf; } p @0 :Pipeline; }
struct Plain { x @0 :UInt32; text @1 :Text; }
struct Tree { next @0 :Tree; leaf @1 :Leaf; }
struct Bare { next @0 :Bare; x @1 :UInt32; }

struct NestResults {
  inner @0 :Inner;
  grp :group { n @1 :UInt32; leaf @2 :Leaf; }
  tree @3 :Tree;
  plain @4 :Plain;
  bare @5 :Bare;
  s @6 :S;
}

interface Nest {
  nest @0 () -> NestResults;
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


def test_pipeline_properties_only_where_capabilities_are(mod: ModuleType) -> None:
    def props(cls: type) -> set:  # type: ignore[type-arg]
        return {k for k, v in vars(cls).items() if isinstance(v, property)}

    assert props(mod.Nest_nest_Promise) == {"inner", "grp", "tree", "s"}  # plain, bare: no capability
    assert props(mod.Inner_Pipeline) == {"leaf", "deeper", "g"}
    assert props(mod.Deeper_Pipeline) == {"leaf", "alt"}
    assert props(mod.Tree_Pipeline) == {"next", "leaf"}
    assert not hasattr(mod, "Plain_Pipeline") and not hasattr(mod, "Bare_Pipeline")
    # the struct S.Pipeline is itself named S_Pipeline: S's pipeline class steps aside
    assert props(mod.S_Pipeline_) == {"p"} and props(mod.S_Pipeline_Pipeline) == {"l"}
    # a method's implicit results struct has none (its promise serves); a named one is a struct
    assert not hasattr(mod, "Both_make_Results_Pipeline") and hasattr(mod, "NestResults_Pipeline")


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


def test_pipelines_through_structs_and_groups(mod: ModuleType) -> None:
    """Each property's client is pipelined on the pointer path down to its field: the calls
    go out before the results exist, and reach the capabilities they name."""
    from capnp_lite.aio import Session
    from capnp_lite.rpc.messages import Call, PromisedAnswerTarget

    from tests.aio.tap import tapped_pair

    class Leaf(mod.Leaf_Server):  # type: ignore[misc, name-defined]
        def __init__(self, v: int) -> None:
            self.v = v

        async def value(self, context: Any) -> None:
            context.results.v = self.v

    class Impl(mod.Nest_Server):  # type: ignore[misc, name-defined]
        def __init__(self, release: asyncio.Event) -> None:
            self.release = release

        async def nest(self, context: Any) -> None:
            await self.release.wait()  # until every pipelined call has been sent
            r = context.results
            inner = r.init_inner()
            inner.leaf = context.add_cap(Leaf(1))
            deeper = inner.init_deeper()
            deeper.leaf = context.add_cap(Leaf(2))
            deeper.alt = context.add_cap(Leaf(3))
            inner.g.leaf = context.add_cap(Leaf(4))
            r.grp.leaf = context.add_cap(Leaf(5))
            tree = r.init_tree()
            tree.leaf = context.add_cap(Leaf(6))
            tree.init_next().init_next().leaf = context.add_cap(Leaf(7))
            r.init_s().init_p().l = context.add_cap(Leaf(8))

    async def main() -> None:
        release = asyncio.Event()
        a, b = tapped_pair()
        server = Session(b, Impl(release))
        client = Session(a)
        nest = mod.Nest_Client(client.bootstrap())
        p = nest.nest()
        with pytest.raises(ValueError):
            p.grp.cap()  # a group at the results' root names no pointer by itself
        leaves = [p.inner.leaf, p.inner.deeper.leaf, p.inner.deeper.alt, p.inner.g.leaf, p.grp.leaf,
                  p.tree.leaf, p.tree.next.next.leaf, p.s.p.l]
        pending = [leaf.value() for leaf in leaves]
        while len([m for m in a.sent if isinstance(m, Call)]) < 1 + len(leaves):
            await asyncio.sleep(0)
        first, *calls = [m for m in a.sent if isinstance(m, Call)]  # nest(), then the pipelined
        assert all(isinstance(m.target, PromisedAnswerTarget)
                   and m.target.promised_answer.question_id == first.question_id for m in calls)
        paths = [tuple(op.pointer_field for op in m.target.promised_answer.transform) for m in calls]
        assert paths == [(0, 0), (0, 1, 1), (0, 1, 2), (0, 3), (1,), (2, 1), (2, 0, 0, 1), (5, 0, 0)]
        release.set()
        assert [(await v).results.v for v in pending] == [1, 2, 3, 4, 5, 6, 7, 8]
        for leaf in leaves:
            leaf.close()
        nest.close()
        await client.close()
        await server.close()

    asyncio.run(asyncio.wait_for(main(), 20))


@pytest.fixture(scope="module")
def xfile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Modules of two files, where a result struct of one holds a struct of the other."""
    other = """@0xe5a1c0de5eb0b0f1;
using L = import "leaf.capnp";
struct Holder { leaf @0 :L.Leaf; }
"""
    leaf = """@0xe5a1c0de5eb0b0f3;
interface Leaf { value @0 () -> (v :UInt32); }
"""
    main = """@0xe5a1c0de5eb0b0f2;
using O = import "other.capnp";
struct Holder { h @0 :O.Holder; }
interface I { get @0 () -> (h :O.Holder, mine :Holder); }
"""
    request = compile_source(main, "main.capnp", imports={"other.capnp": other, "leaf.capnp": leaf})
    pkg = tmp_path_factory.mktemp("xfile") / ("xfile_" + uuid.uuid4().hex[:8])
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    files = [n.id for n in request.nodes if n.which == "file"]
    for name, text in generate(request, files=files).items():
        (pkg / f"{name}.py").write_text(text)
    return pkg


def test_pipelines_through_a_struct_of_another_file(xfile: Path) -> None:
    """A struct from an imported file has its pipeline class in its own module (which has no
    interface of its own), and a promise of another module uses that class."""
    sys.path.insert(0, str(xfile.parent))
    try:
        mod = importlib.import_module(f"{xfile.name}.main_capnp")
        other_mod = importlib.import_module(f"{xfile.name}.other_capnp")
    finally:
        sys.path.remove(str(xfile.parent))
    assert {k for k, v in vars(mod.I_get_Promise).items() if isinstance(v, property)} == {"h", "mine"}
    assert {k for k, v in vars(mod.Holder_Pipeline).items() if isinstance(v, property)} == {"h"}
    # the other file's struct has its one pipeline class in its own module, used from here
    assert vars(mod.I_get_Promise)["h"].fget.__annotations__["return"] == "_other_capnp.Holder_Pipeline"
    assert vars(mod.Holder_Pipeline)["h"].fget.__annotations__["return"] == "_other_capnp.Holder_Pipeline"
    assert {k for k, v in vars(other_mod.Holder_Pipeline).items() if isinstance(v, property)} == {"leaf"}
    assert not any(name.endswith("_Holder_Pipeline") for name in vars(mod))


def test_pipelines_of_another_file_pass_mypy_strict(xfile: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is in the dev extra only; the CPython run checks this")
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
                          *(str(xfile / f"{m}_capnp.py") for m in ("main", "other", "leaf"))],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
