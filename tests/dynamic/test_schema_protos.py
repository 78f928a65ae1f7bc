"""Schemas seen as pycapnp shows them: ``schema.node`` and ``get_proto().node`` are dynamic
readers of ``schema.capnp``'s ``Node``, a field's ``proto`` one of its ``Field``, and a file
module has ``schema`` (its file node).  Each must read as the reference compiler wrote the
node: the vectors hold ``capnp compile -o-``'s request for every vector schema, read here with
the same dynamic API and compared in the text format (which prints NaN defaults alike).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import pytest

import capnp_lite as capnp
from capnp_lite.lib.capnp import _DynamicObjectReader, _global_schema_parser
from capnp_lite.resources import schema_dir
from capnp_lite.schema.model import Node

from ..reference import pycapnp_module, schema_file


@pytest.fixture(scope="module")
def schema_capnp() -> Any:
    return capnp.load(str(schema_dir() / "capnp" / "schema.capnp"))


def vector_schemas(vectors: Path) -> List[Path]:
    return sorted((vectors / "schemas").glob("*.capnp"))


def reference_nodes(schema_capnp: Any, path: Path) -> Dict[int, Any]:
    request = schema_capnp.CodeGeneratorRequest.from_bytes(
        path.with_name(path.name + ".cgr.bin").read_bytes())
    nodes = {n.id: n for n in request.nodes}
    nodes[0] = nodes[request.requestedFiles[0].id]  # (the file asked for, under 0)
    return nodes


def declared(nodes: Dict[int, Any]) -> List[Any]:
    """The file's nodes, the file first, then what it declares at any depth."""
    out: List[Any] = []
    todo = [nodes[0].id]
    while todo:
        node = nodes[todo.pop()]
        out.append(node)
        todo.extend(n.id for n in node.nestedNodes)
    return out


def test_every_node_reads_as_the_reference_compiler_wrote_it(vectors: Path,
                                                             schema_capnp: Any) -> None:
    seen = {"file": 0, "struct": 0, "enum": 0, "interface": 0, "field": 0, "group": 0}
    for path in vector_schemas(vectors):
        module = capnp.load(str(path), imports=[str(path.parent)])
        nodes = reference_nodes(schema_capnp, path)
        assert str(module.schema.node) == str(nodes[0])
        assert str(module.schema.get_proto().node) == str(nodes[0])
        seen["file"] += 1
        for node in declared(nodes)[1:]:
            kind = node.which()
            if kind not in ("struct", "enum", "interface"):
                continue
            schema = _global_schema_parser.modules_by_id[node.id].schema
            assert str(schema.node) == str(node), node.displayName
            assert schema.get_proto().isStruct == (kind == "struct")
            seen[kind] += 1
            if kind != "struct":
                continue
            # each field's proto is the node's own Field, in the node's order
            assert [str(f.proto) for f in schema.fields_list] == [str(f) for f in node.struct.fields]
            for f in schema.fields_list:
                seen["field"] += 1
                if f.proto.which() == "group":
                    seen["group"] += 1
                    group = nodes[f.proto.group.typeId]
                    assert str(f.schema.node) == str(group)  # a group's schema has its node too
    # the vectors reach every kind of node (a guard against comparing nothing)
    assert all(seen[k] for k in seen), seen


def test_a_fields_proto_and_the_compilers_model(tmp_path: Path) -> None:
    path = tmp_path / "protos.capnp"
    path.write_text("""
@0xd5c3a1f0e2b4c6a8;
annotation tag(field) :Text;
struct Inner { x @0 :Int32; }
struct Outer {
  a @0 :Int16 = 5 $tag("first");
  inner @1 :Inner;
  union { u @2 :Text; v @3 :Void; }
  g :group { h @4 :List(Inner); }
}
""")
    module = capnp.load(str(path))
    fields = module.Outer.schema.fields
    a = fields["a"].proto
    assert a.name == "a" and a.codeOrder == 0 and a.slot.type.which() == "int16"
    assert a.slot.defaultValue.int16 == 5 and a.annotations[0].value.text == "first"
    assert fields["inner"].proto.slot.type.which == "struct"
    assert fields["inner"].proto.slot.type.struct.typeId == module.Inner.schema.node.id
    assert fields["u"].proto.discriminantValue == 0 and fields["v"].proto.discriminantValue == 1
    assert fields["a"].proto.discriminantValue == 0xFFFF  # not in the union
    assert fields["g"].proto.which() == "group"
    # what the library reads internally stays the compiler's model (snake_case names)
    assert isinstance(module.Outer.schema.model, Node)
    assert module.Outer.schema.model.display_name == module.Outer.schema.node.displayName
    assert fields["a"].model.name == "a"


def test_protos_read_without_end(tmp_path: Path) -> None:
    """Schema protos are read from one message for as long as their schemas live: no
    traversal limit may run out on them (8 Mi words, the default, did after some 4,000
    reads of this 2,500-word default; a program walking protos per element of its data
    got there on its own)."""
    path = tmp_path / "long_default.capnp"
    path.write_text('@0xd5c3a1f0e2b4c6a9;\nstruct S { t @0 :Text = "%s"; }\n' % ("x" * 20000))
    module = capnp.load(str(path))
    field = module.S.schema.fields["t"]
    for _ in range(5000):
        assert len(field.proto.slot.defaultValue.text) == 20000
    assert len(module.S.schema.node.struct.fields[0].slot.defaultValue.text) == 20000


def test_a_file_module_has_its_schema_and_a_declaration_of_that_name_wins(tmp_path: Path) -> None:
    path = tmp_path / "files.capnp"
    path.write_text('@0xe1d2c3b4a5968778;\nannotation note(file) :Text;\n$note("a file");\n'
                    'struct S { x @0 :UInt8; }\n')
    module = capnp.load(str(path))
    node = module.schema.node
    assert node.which() == "file" and node.displayName == "files.capnp"
    assert node.displayNamePrefixLength == len("files.")  # as the reference compiler has it
    assert node.annotations[0].value.text == "a file"
    assert [n.name for n in node.nestedNodes] == ["note", "S"]
    assert repr(module.schema).startswith("<file schema")
    with pytest.raises(Exception, match="not a struct"):
        module.schema.as_struct()
    # pycapnp's get_nested: a struct's schema, or the ParsedSchema of a constant
    assert module.schema.get_nested("S") is module.S.schema
    assert module.schema.get_nested("S").as_struct() is module.S.schema
    assert module.schema.get_nested("note").node.which() == "annotation"
    with pytest.raises(capnp.KjException, match="no nested declaration"):
        module.schema.get_nested("T")
    shadow = tmp_path / "shadow.capnp"
    shadow.write_text("@0xe1d2c3b4a5968779;\nconst schema :Text = \"mine\";\n")
    assert capnp.load(str(shadow)).schema == "mine"
    consts = tmp_path / "consts.capnp"
    consts.write_text("@0xe1d2c3b4a596877a;\nconst answer :UInt32 = 42;\nenum E { a @0; }\n")
    parsed = capnp.load(str(consts)).schema
    assert parsed.get_nested("answer").as_const_value() == 42
    assert parsed.get_nested("E").enumerants == {"a": 0}
    with pytest.raises(capnp.KjException, match="not a constant"):
        parsed.as_const_value()


def test_anypointer_params_are_dynamic_object_readers_for_isinstance() -> None:
    from capnp_lite.aio._schema import AnyView
    from capnp_lite.dynamic.reader import _DynamicObjectReader as concrete

    assert issubclass(AnyView, _DynamicObjectReader)
    assert concrete is _DynamicObjectReader


REF_SCHEMA = """
@0xf0e1d2c3b4a59687;
annotation doc(*) :Text;
$doc("the file");
enum Kind { plain @0; fancy @1 $doc("!"); }
struct Shape $doc("a shape") {
  name @0 :Text = "unnamed";
  kind @1 :Kind = fancy;
  union {
    circle :group { radius @2 :Float64 = 1.5; }
    square @3 :Float32;
    none @4 :Void;
  }
  tags @5 :List(Text);
  nested @6 :List(Shape);
  struct Corner { x @0 :Int32; y @1 :Int32 = -1; }
}
interface Drawer {
  draw @0 (shape :Shape, times :UInt16 = 1) -> (ok :Bool);
  clear @1 ();
}
"""


def test_pycapnp_shows_the_same_nodes_and_field_protos(tmp_path_factory: pytest.TempPathFactory,
                                                        schema_capnp: Any) -> None:
    # (a file of its own: pycapnp aborts the process when one file id comes from two paths)
    path = schema_file(tmp_path_factory, "protos_ref.capnp", REF_SCHEMA)
    ref = pycapnp_module(path)
    if ref is None:
        pytest.skip("pycapnp is not installed here (PyPy): the reference compiler's nodes "
                    "were compared above")
    ours = capnp.load(str(path))

    def text(reader: Any) -> str:
        # Read back with one schema.capnp: pycapnp's own Node type may be an older one (its
        # fields a subset of ours), so each side's bytes are printed through ours.  The
        # node's source range is left out: pycapnp's newer compiler records it, capnp 0.9.2
        # (whose output ours matches) leaves it zero.
        node = schema_capnp.Node.from_bytes(reader.as_builder().to_bytes()).as_builder()
        node.startByte = node.endByte = 0
        return str(node)

    compared = 0
    for name in dir(ref):
        schema = getattr(getattr(ref, name), "schema", None)
        if schema is None or not hasattr(schema, "node"):
            continue
        mine = getattr(ours, name).schema
        assert text(mine.node) == text(schema.node), name
        if hasattr(schema, "get_proto"):  # (pycapnp's interface schemas have none)
            assert text(mine.get_proto().node) == text(schema.get_proto().node), name
        if hasattr(schema, "fields_list"):
            assert [f.proto.name for f in mine.fields_list] == [f.proto.name for f in schema.fields_list]
            assert [f.proto.slot.type.which() if f.proto.which() == "slot" else "group"
                    for f in mine.fields_list] == [
                        str(f.proto.slot.type.which) if f.proto.which == "slot" else "group"
                        for f in schema.fields_list]
        compared += 1
    assert compared == 3  # Kind, Shape and Drawer
    assert text(ours.schema.node) == text(ref.schema.node)
