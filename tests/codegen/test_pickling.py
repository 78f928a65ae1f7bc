"""Generated readers and builders pickle: a builder as the Python objects it holds, a reader
(a list element read in advance too) as its struct copied into a message of its own,
unpickled by the same generated class.  Unpickling runs in another process as well."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .cg_helpers import generated_module

SCHEMA = """
@0xd1c3a2b4e5f60780;
struct Item { n @0 :UInt32; t @1 :Text; tags @2 :List(Text); }
struct Bag { name @0 :Text; items @1 :List(Item); best @2 :Item; }
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_module(tmp_path_factory.mktemp("pickling"), SCHEMA, "pickling.capnp")


def bag(mod: Any) -> Any:
    b = mod.Bag_Builder()
    b.name = "bag"
    items = b.init_items(3)
    for k, it in enumerate(items):
        it.n = k
        it.t = f"item {k}"
        it.tags = ["a", str(k)]
    b.init_best().t = "best"
    return b


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_readers_builders_and_elements_pickle(mod: Any, protocol: int) -> None:
    b = bag(mod)
    data = b.to_bytes()
    assert pickle.loads(pickle.dumps(b, protocol)).to_bytes() == data
    r = mod.Bag_Reader.from_bytes(data)
    back = pickle.loads(pickle.dumps(r, protocol))
    assert type(back) is mod.Bag_Reader
    assert [(i.n, i.t, list(i.tags)) for i in back.items] == [(k, f"item {k}", ["a", str(k)]) for k in range(3)]
    elements = list(r.items)  # read in advance: a private subclass
    again = pickle.loads(pickle.dumps(elements[2], protocol))
    assert type(again) is mod.Item_Reader and (again.n, again.t) == (2, "item 2")
    assert pickle.loads(pickle.dumps(r.best, protocol)).t == "best"


def test_a_reader_unpickles_in_another_process(mod: Any, tmp_path: Path) -> None:
    data = pickle.dumps(mod.Bag_Reader.from_bytes(bag(mod).to_bytes()))
    package = Path(mod.__file__).parent
    script = ("import pickle, sys\nsys.path.insert(0, sys.argv[1])\n"
              "r = pickle.loads(sys.stdin.buffer.read())\n"
              "print(type(r).__name__, r.name, [i.t for i in r.items])\n")
    out = subprocess.run([sys.executable, "-c", script, str(package.parent)], input=data,
                         capture_output=True, timeout=60, check=True)
    assert out.stdout.decode().strip() == "Bag_Reader bag ['item 0', 'item 1', 'item 2']"
