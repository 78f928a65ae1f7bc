"""A ``SchemaParser`` keeps what it compiled (as pycapnp's does): a file loaded again, or
imported by a file loaded before, is not compiled again.  What it gives must not depend on
that: every module a parser loads is compared with the same file loaded on its own, node by
node (display names included), whatever was loaded through the parser before it.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, Dict, List

import pytest

import capnp_lite
from capnp_lite.errors import SchemaError

FILES = {
    "b.capnp": """@0xa1b2c3d4e5f60718;
struct B { x @0 :Int32; inner @1 :Inner; struct Inner { t @0 :Text; } }
enum Tone { low @0; high @1; }
""",
    "sub/c.capnp": """@0xa1b2c3d4e5f60719;
using import "/b.capnp".B;
struct C { b @0 :B; n @1 :UInt8 = 7; }
""",
    "a.capnp": """@0xa1b2c3d4e5f6071a;
using B = import "b.capnp";
using import "sub/c.capnp".C;
struct A { b @0 :B.B; c @1 :C; tone @2 :B.Tone = high; }
""",
}


def nodes(module: Any) -> Dict[int, str]:
    """Every node of the module's request, by id, as text (display names included)."""
    loader = module._loader
    return {node_id: str(loader.proto(node_id).node) for node_id in loader.nodes}


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def alone(tree: Path, name: str) -> Dict[int, str]:
    return nodes(capnp_lite.load(str(tree / name), imports=[str(tree)]))


@pytest.mark.parametrize("order", list(itertools.permutations(["a.capnp", "b.capnp", "sub/c.capnp"])))
def test_a_parser_gives_what_a_load_of_each_file_alone_gives(tree: Path, order: List[str]) -> None:
    want = {name: alone(tree, name) for name in order}
    parser = capnp_lite.SchemaParser()
    for name in list(order) + list(order):  # each file twice, after the others
        module = parser.load(str(tree / name), imports=[str(tree)])
        assert nodes(module) == want[name], name
        assert module.__name__ == Path(name).name
    # every declaration of the three files, found by id
    a = parser.load(str(tree / "a.capnp"), imports=[str(tree)])
    assert parser.modules_by_id[a.A.schema.node.id].schema.node.displayName == "a.capnp:A"
    assert a.A.new_message(b={"x": 1}).b.x == 1 and a.A.new_message().tone == "high"


def test_the_files_are_compiled_once(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import capnp_lite.schema.compiler as compiler

    parsed: List[str] = []
    real = compiler.parse

    def counting(source: str, display_name: str) -> Any:
        parsed.append(display_name)
        return real(source, display_name)

    monkeypatch.setattr(compiler, "parse", counting)
    parser = capnp_lite.SchemaParser()
    for name in ("a.capnp", "b.capnp", "sub/c.capnp", "a.capnp"):
        parser.load(str(tree / name), imports=[str(tree)])
    assert sorted(parsed) == sorted(["a.capnp", "b.capnp", "sub/c.capnp"])
    parsed.clear()
    capnp_lite.SchemaParser().load(str(tree / "a.capnp"), imports=[str(tree)])
    assert len(parsed) == 3  # a new parser starts afresh
    parsed.clear()
    # other import paths: another compiler
    parser.load(str(tree / "a.capnp"), imports=[str(tree), str(tree / "sub")])
    assert len(parsed) == 3


def test_a_parser_recovers_from_a_broken_file(tree: Path) -> None:
    (tree / "broken.capnp").write_text('@0xa1b2c3d4e5f6071b;\nusing import "b.capnp".Nope;\n')
    parser = capnp_lite.SchemaParser()
    parser.load(str(tree / "b.capnp"), imports=[str(tree)])
    with pytest.raises(SchemaError):
        parser.load(str(tree / "broken.capnp"), imports=[str(tree)])
    module = parser.load(str(tree / "a.capnp"), imports=[str(tree)])
    assert nodes(module) == alone(tree, "a.capnp")


def test_modules_by_id_are_made_when_first_asked_for(tree: Path) -> None:
    parser = capnp_lite.SchemaParser()
    a = parser.load(str(tree / "a.capnp"), imports=[str(tree)])
    loader = a._loader
    a_id = a.schema.node.id
    struct_id = loader.node(a_id).nested_nodes[0].id  # A, declared in a.capnp
    assert a_id in parser.modules_by_id and struct_id in parser.modules_by_id
    assert struct_id not in loader.modules  # no module made for it yet
    first = parser.modules_by_id[struct_id]
    assert first is parser.modules_by_id[struct_id] is a.A  # made once, the file's own
    assert parser.modules_by_id[a_id] is a
    assert set(parser.modules_by_id) == {a_id, struct_id}
    assert len(parser.modules_by_id) == 2 and parser.modules_by_id.get(12345) is None
    # a later load of the same file: its modules win, as a dict's later assignments would
    again = parser.load(str(tree / "a.capnp"), imports=[str(tree)])
    assert parser.modules_by_id[struct_id] is again.A is not a.A
