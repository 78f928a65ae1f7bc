"""pycapnp names that ported code relies on: pickling of structs, ``Person.Reader`` /
``Person.Builder`` type checks, ``SchemaParser``, ``_MallocMessageBuilder`` with the
descriptor readers and writers, and ``init_resizable_list``.  The same statements run on
our dynamic API and, where pycapnp is installed, on pycapnp, which decides what is right.

A pickled struct reader or builder is its type id and its bytes; unpickling finds the type
among the schemas loaded at that time and gives a reader.
"""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import capnp_lite
import capnp_lite.dynamic as dyn
from capnp_lite.errors import EncodeError, SchemaError

from .. import reference

SCHEMA = """
@0xd1c3a2b4e5f6071a;

struct Person {
  name @0 :Text;
  age @1 :UInt16;
  emails @2 :List(Text);
  union {
    none @3 :Void;
    phone @4 :Text;
    addr :group { street @5 :Text; zip @6 :UInt32; }
  }
  kind @7 :Kind;
  best @8 :Person;
  peer @9 :Peer;
  enum Kind { a @0; b @1; }
}

struct Other { x @0 :UInt8; }

struct HasReader {
  struct Reader { y @0 :Int8; }
  r @0 :Reader;
}

interface Peer { ping @0 () -> (); }
"""

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference.schema_file(tmp_path_factory, "people.capnp", SCHEMA)


@pytest.fixture(scope="module")
def ours(schema_file: Path) -> Any:
    return capnp_lite.load(str(schema_file))


@pytest.fixture(scope="module")
def ref(schema_file: Path) -> Any:
    pytest.importorskip("capnp", reason="pycapnp is the reference here; install the dev extra")
    return reference.pycapnp_module(schema_file)


@pytest.fixture(scope="module")
def libs(ours: Any, schema_file: Path) -> List[Any]:
    """Ours, then pycapnp's module where pycapnp is installed (not on PyPy: the expected
    values below are pycapnp's, so our half still runs there)."""
    ref = reference.pycapnp_module(schema_file)
    return [ours] if ref is None else [ours, ref]


def person(m: Any) -> Any:
    p = m.Person.new_message(name="ann", age=5, emails=["a@b", "c@d"], kind="b")
    p.init("addr").street = "high st"
    p.addr.zip = 1234
    p.init("best").name = "bob"
    return p


def summary(r: Any) -> Tuple[Any, ...]:
    return (type(r).__name__.endswith("Reader") or isinstance(r, dyn._DynamicStructReader),
            r.to_dict(), r.which())


def test_a_pickled_builder_comes_back_as_a_reader_of_the_same_message(ours: Any, libs: List[Any]) -> None:
    got = [summary(pickle.loads(pickle.dumps(person(m), protocol))) for m in libs
           for protocol in range(pickle.HIGHEST_PROTOCOL + 1)]
    assert all(g == got[0] for g in got), got
    assert got[0][1]["addr"] == {"street": "high st", "zip": 1234}
    back = pickle.loads(pickle.dumps(person(ours)))
    assert isinstance(back, dyn._DynamicStructReader)
    assert back.to_bytes() == person(ours).to_bytes()


def test_a_pickled_reader_comes_back_equal(ours: Any, ref: Any) -> None:
    data = person(ours).to_bytes()
    ours_back = pickle.loads(pickle.dumps(ours.Person.from_bytes(data)))
    with ref.Person.from_bytes(data) as r:
        ref_back = pickle.loads(pickle.dumps(r))
    assert summary(ours_back) == summary(ref_back)
    assert ours_back.to_bytes() == data


def test_a_nested_struct_pickles_as_a_message_of_its_own(ours: Any) -> None:
    # pycapnp refuses a nested builder (its to_bytes() is for roots only); ours copies it out.
    for nested in (person(ours).best, person(ours).as_reader().best):
        back = pickle.loads(pickle.dumps(nested))
        assert back.to_bytes() == ours.Person.new_message(name="bob").to_bytes()


def test_copy_and_deepcopy_of_a_builder_give_readers(libs: List[Any]) -> None:
    for m in libs:
        p = person(m)
        for c in (copy.copy(p), copy.deepcopy(p)):
            assert not isinstance(c, m.Person.Builder) and isinstance(c, m.Person.Reader)
            assert c.to_dict() == p.to_dict()


def test_a_message_holding_a_capability_is_not_pickled(ours: Any) -> None:
    class PeerImpl(ours.Peer.Server):  # type: ignore[misc, name-defined]
        async def ping(self, **kwargs: Any) -> None:
            return None

    p = ours.Person.new_message(peer=PeerImpl())
    with pytest.raises(TypeError, match="capabilities"):
        pickle.dumps(p)


UNPICKLE = """
import pickle, sys
sys.path.insert(0, sys.argv[1])
import capnp_lite
if len(sys.argv) > 2:
    capnp_lite.load(sys.argv[2])
try:
    print(pickle.loads(sys.stdin.buffer.read()).to_dict())
except capnp_lite.errors.SchemaError as exc:
    print("SchemaError", exc)
"""


def test_unpickling_in_another_process_needs_the_schema_loaded_there(ours: Any, schema_file: Path) -> None:
    data = pickle.dumps(person(ours))

    def unpickle(*load: str) -> str:
        out = subprocess.run([sys.executable, "-c", UNPICKLE, str(REPO), *load], input=data,
                             capture_output=True, timeout=60, check=True)
        return out.stdout.decode().strip()

    assert unpickle().startswith("SchemaError no loaded schema declares a type with id ")
    assert unpickle(str(schema_file)) == str(person(ours).to_dict())


def test_unpickling_finds_the_latest_load_until_the_schemas_are_forgotten(schema_file: Path) -> None:
    data = pickle.dumps(capnp_lite.load(str(schema_file)).Other.new_message(x=7))
    assert pickle.loads(data).x == 7  # the module was not kept: its file was remembered
    latest = capnp_lite.load(str(schema_file))
    assert pickle.loads(data).schema is latest.Other.schema
    with pytest.raises(SchemaError, match="is not a struct"):
        dyn._struct_reducer(latest.Person.Kind.schema.node.id, b"")
    capnp_lite.cleanup_global_schema_parser()
    try:
        with pytest.raises(SchemaError, match="no loaded schema declares"):
            pickle.loads(data)
    finally:
        capnp_lite.load(str(schema_file))  # for the tests after this one


def checks(m: Any, other_load: Any) -> List[bool]:
    p = m.Person.new_message()
    o = m.Other.new_message()
    return [
        isinstance(p, m.Person.Builder), isinstance(p.as_reader(), m.Person.Reader),
        isinstance(p, m.Person.Reader), isinstance(p.as_reader(), m.Person.Builder),
        isinstance(o, m.Person.Builder), isinstance(o.as_reader(), m.Person.Reader),
        isinstance(p, other_load.Person.Builder), isinstance(p.init("best"), m.Person.Builder),
        isinstance(p.init("addr"), m.Person.Builder), isinstance("x", m.Person.Reader),
    ]


def test_reader_and_builder_classes_check_the_struct_type(libs: List[Any], schema_file: Path) -> None:
    want = [True, True, False, False, False, False, True, True, False, False]
    assert checks(libs[0], capnp_lite.load(str(schema_file))) == want
    if len(libs) > 1:
        import capnp

        assert checks(libs[1], capnp.load(str(schema_file))) == want
    for m in libs:
        for cls in (m.Person.Reader, m.Person.Builder):
            with pytest.raises(TypeError):
                cls()


def test_a_nested_declaration_named_reader_wins(libs: List[Any]) -> None:
    for m in libs:
        assert m.HasReader.Reader.new_message(y=3).y == 3
        assert isinstance(m.HasReader.new_message(), m.HasReader.Builder)


def test_schema_parser_records_every_type_by_id(schema_file: Path, ref: Any) -> None:
    import capnp

    def ids(parser: Any) -> Dict[int, str]:
        module = parser.load(str(schema_file))
        assert module.Person.new_message(age=3).age == 3
        return {k: type(v).__name__ for k, v in parser.modules_by_id.items()}

    ours_ids = ids(capnp_lite.SchemaParser())
    ref_ids = ids(capnp.SchemaParser())
    assert sorted(ours_ids) == sorted(ref_ids)
    kinds = {"_StructModule": "StructModule", "_EnumModule": "EnumModule",
             "_InterfaceModule": "InterfaceModule", "module": "SchemaModule"}
    assert {k: kinds.get(v, v) for k, v in ref_ids.items()} == ours_ids


def test_lazy_names_are_listed_by_dir() -> None:
    names = dir(capnp_lite)
    for name in ("load", "SchemaParser", "TwoPartyClient", "_DynamicStructReader"):
        assert name in names and getattr(capnp_lite, name) is not None


# -- pycapnp's message-level names: _MallocMessageBuilder and the descriptor readers/writers --


def build_and_write(m: Any, capnp: Any, path: Path) -> List[Any]:
    """Build three messages through _MallocMessageBuilder, write them to a descriptor, read
    them back through the descriptor readers; returns what was seen along the way."""
    seen: List[Any] = []
    seen.append(capnp._MallocMessageBuilder().get_root(m.Person).to_dict())  # made on first use
    # (on a message whose root was made before, pycapnp's init_root leaves the old one as
    # unused words, which we drop, as for any pointer set again)
    mb = capnp._MallocMessageBuilder()
    root = mb.init_root(m.Person)
    root.name = "x"
    root.age = 300
    seen.append(mb.get_root(m.Person.schema).to_dict())
    seen.append(mb.get_root(m.Other).x)  # the same words seen as another struct: age's low byte
    seen.append(b"".join(mb.get_segments_for_output())[:16])
    mb2 = capnp._MallocMessageBuilder()
    mb2.set_root(m.Person.new_message(name="y", emails=["e"]).as_reader())
    empty = capnp._MallocMessageBuilder()
    seen.append(empty.get_segments_for_output())
    with open(path, "wb") as fh:
        capnp._write_message_to_fd(fh.fileno(), mb)
        capnp._write_packed_message_to_fd(fh.fileno(), mb2)
        with pytest.raises(Exception, match="uninitialized message|no root"):
            capnp._write_message_to_fd(fh.fileno(), empty)
    seen.append(path.read_bytes())
    with open(path, "rb") as fh:
        first = capnp._StreamFdMessageReader(fh)
        seen.append(first.get_root(m.Person).to_dict())
        seen.append(first.get_root_as_any().as_struct(m.Person).name)
        seen.append(capnp._PackedFdMessageReader(fh).get_root(m.Person).to_dict())
    return seen


def test_malloc_message_builder_and_descriptor_readers_match_pycapnp(
        libs: List[Any], tmp_path: Path) -> None:
    got = build_and_write(libs[0], capnp_lite, tmp_path / "ours.bin")
    assert got[0] == {"age": 0, "kind": "a", "none": None}
    assert got[1]["name"] == "x" and got[2] == 300 & 0xFF and got[6]["age"] == 300
    assert got[4] == [] and got[7] == "x" and got[8] == {"name": "y", "emails": ["e"], "age": 0, "kind": "a", "none": None}
    if len(libs) > 1:
        import capnp

        assert build_and_write(libs[1], capnp, tmp_path / "ref.bin") == got


def test_message_builder_and_readers_refuse_what_they_cannot_take(ours: Any, tmp_path: Path) -> None:
    mb = capnp_lite._MallocMessageBuilder()
    with pytest.raises(TypeError):
        mb.init_root(ours.Person.Kind)
    with pytest.raises(TypeError):
        mb.set_root("not a struct")
    with pytest.raises(TypeError):
        capnp_lite._write_message_to_fd(1, object())
    with pytest.raises(EncodeError, match="no root"):
        capnp_lite._write_packed_message_to_fd(1, mb)
    path = tmp_path / "empty.bin"
    path.write_bytes(b"")
    with open(path, "rb") as fh, pytest.raises(capnp_lite.errors.EndOfStream):
        capnp_lite._StreamFdMessageReader(fh)


# -- init_resizable_list --

BAG = """
@0xd1c3a2b4e5f6071b;
struct Item { n @0 :UInt32; t @1 :Text; sub @2 :List(UInt8); }
struct Bag { items @0 :List(Item); nums @1 :List(UInt32); name @2 :Text; texts @3 :List(Text); }
"""


def grow_a_bag(capnp: Any, path: Path) -> Tuple[Any, ...]:
    m = capnp.load(str(path))
    b = m.Bag.new_message()
    rl = b.init_resizable_list("items")
    first = rl.add()
    first.n = 1
    first.t = "a"
    first.sub = [1, 2]
    b.name = "bag"  # other fields may be set while the list grows
    rl.add().n = 2
    before = (len(rl), rl[0].t, list(b.items))
    rl.finish()
    b.texts = ["z"]
    with m.Bag.from_bytes(b.to_bytes()) as r:
        return before, b.to_dict(), r.as_builder().to_bytes()  # pycapnp's copy is in pre-order


def test_a_resizable_list_gives_what_pycapnp_gives(tmp_path: Path) -> None:
    path = tmp_path / "bag.capnp"
    path.write_text(BAG)
    got = grow_a_bag(capnp_lite, path)
    assert got[0] == (2, "a", [])
    assert got[1] == {"items": [{"n": 1, "t": "a", "sub": [1, 2]}, {"n": 2}], "name": "bag", "texts": ["z"]}
    assert capnp_lite.load(str(path)).Bag.from_bytes(got[2]).to_dict() == got[1]
    try:
        import capnp
    except ImportError:
        return  # (PyPy: pycapnp cannot be installed; the values above are pycapnp's)
    assert grow_a_bag(capnp, path) == got


def test_a_resizable_list_refuses_other_fields_and_growth_after_finish(tmp_path: Path) -> None:
    path = tmp_path / "bag.capnp"
    path.write_text(BAG)
    m = capnp_lite.load(str(path))
    b = m.Bag.new_message()
    for name in ("nums", "name", "texts"):  # pycapnp aborts the process on these
        with pytest.raises(TypeError, match="list of structs"):
            b.init_resizable_list(name)
    rl = b.init_resizable_list("items")
    rl.add().n = 7
    rl.finish()
    rl.finish()  # once only
    assert [i.n for i in b.items] == [7]
    with pytest.raises(EncodeError, match="finished"):
        rl.add()
    with pytest.raises(EncodeError, match="finished"):
        rl[0]
    empty = m.Bag.new_message()
    empty.init_resizable_list("items").finish()
    assert empty._has("items") and len(empty.items) == 0


def test_field_name_tuples_are_pycapnp_s(libs: List[Any]) -> None:
    def names(m: Any) -> List[Any]:
        s = m.Person.schema
        addr = m.Person.new_message().init("addr").schema
        return [s.union_fields, s.non_union_fields, tuple(s.fieldnames), sorted(s.fields),
                [f.proto.name for f in s.fields_list], addr.non_union_fields, addr.union_fields]

    got = names(libs[0])
    assert got[0] == ("none", "phone", "addr") and got[1] == ("name", "age", "emails", "kind", "best", "peer")
    for m in libs[1:]:
        assert names(m) == got


def test_get_proto_reads_the_node_as_pycapnp_does(libs: List[Any]) -> None:
    def proto(m: Any) -> List[Any]:
        p = m.Person.schema.get_proto()
        n = p.node  # pycapnp's schema.node
        return [p.displayName.rpartition(":")[2], p.id, [x.name for x in p.nestedNodes],
                (p.isStruct, p.isEnum, p.isInterface, p.isConst), n.which(), n.id,
                [(f.name, f.which(), f.codeOrder, f.discriminantValue) for f in n.struct.fields],
                (n.struct.dataWordCount, n.struct.pointerCount, n.struct.discriminantCount,
                 n.struct.discriminantOffset)]

    got = proto(libs[0])
    assert got[0] == "Person" and got[3] == (True, False, False, False) and got[4] == "struct"
    assert got[6][5] == ("addr", "group", 5, 2)
    for m in libs[1:]:
        assert proto(m) == got
    # pycapnp has get_proto on structs only; ours on enums and interfaces too.
    kind = libs[0].Person.Kind.schema.get_proto()
    assert kind.isEnum and [e.name for e in kind.node.enum.enumerants] == ["a", "b"]
    peer = libs[0].Peer.schema.get_proto()
    assert peer.isInterface and [x.name for x in peer.node.interface.methods] == ["ping"]


def test_error_types_are_spelled_as_pycapnp_spells_them(libs: List[Any]) -> None:
    # pycapnp's KjException.type is upper case ("FAILED", "DISCONNECTED"...); ours too,
    # whatever case it is given in.
    def kinds(m: Any, kj: Any) -> List[Any]:
        got = []
        try:
            m.Person.new_message(age=70000)
        except kj as exc:
            got.append(exc.type)
        return got

    assert kinds(libs[0], capnp_lite.KjException) == ["FAILED"]
    if len(libs) > 1:
        import capnp

        assert kinds(libs[1], capnp.KjException) == ["FAILED"]
    assert capnp_lite.KjException("busy", type="overloaded").type == "OVERLOADED"
    assert capnp_lite.errors.RpcError("gone", "disconnected").type == "DISCONNECTED"
    assert capnp_lite.errors.Disconnected().type == "DISCONNECTED"


def test_an_unknown_field_name_is_caught_as_pycapnp_code_catches_it(libs: List[Any]) -> None:
    # pycapnp: KjException from new_message/init/from_dict, AttributeError from attributes.
    for m in libs:
        kj = capnp_lite.KjException if m is libs[0] else __import__("capnp").KjException
        for make in (lambda: m.Person.new_message(nosuch=1), lambda: m.Person.new_message().init("nosuch")):
            with pytest.raises(kj, match="no such member|has no field"):
                make()
        with pytest.raises(AttributeError):
            m.Person.new_message().nosuch
        with pytest.raises(AttributeError):
            m.Person.new_message().as_reader().nosuch
    # Ours is both, so code written for either convention catches it.
    with pytest.raises(AttributeError):
        libs[0].Person.new_message(nosuch=1)
    assert hasattr(libs[0].Person.new_message(), "nosuch") is False


def test_display_names_follow_pycapnp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The loaded file is named by its base name (or display_name); the files it imports by
    # their paths: relative to the import directory that holds them, else absolute without
    # the leading slash.
    (tmp_path / "inc" / "lib").mkdir(parents=True)
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "inc" / "lib" / "ext.capnp").write_text("@0xd1c3a2b4e5f60720;\nstruct Ext { e @0 :Int8; }\n")
    (tmp_path / "a" / "up.capnp").write_text("@0xd1c3a2b4e5f60721;\nstruct Up { u @0 :Int8; }\n")
    (tmp_path / "a" / "b" / "main.capnp").write_text(
        "@0xd1c3a2b4e5f60722;\nusing import \"../up.capnp\".Up;\nusing import \"/lib/ext.capnp\".Ext;\n"
        "struct Top { u @0 :Up; e @1 :Ext; struct In {} }\n")
    monkeypatch.chdir(tmp_path)

    def names(capnp: Any, path: str, *display: str) -> List[Any]:
        m = capnp.load(path, *display, imports=[str(tmp_path / "inc")])
        top = m.Top.schema
        structs = [top.fields[f].schema for f in ("u", "e")]
        return [(p.displayName, p.node.displayNamePrefixLength)
                for p in [top.get_proto(), m.Top.In.schema.get_proto()] + [s.get_proto() for s in structs]]

    up = str(tmp_path / "a" / "up.capnp").lstrip("/") + ":Up"
    want = [("main.capnp:Top", 11), ("main.capnp:Top.In", 15), (up, len(up) - 2), ("lib/ext.capnp:Ext", 14)]
    for path in (str(tmp_path / "a" / "b" / "main.capnp"), "a/b/main.capnp"):
        assert names(capnp_lite, path) == want
        renamed = names(capnp_lite, path, "x/y.capnp")
        assert renamed[:2] == [("x/y.capnp:Top", 10), ("x/y.capnp:Top.In", 14)]
    try:
        import capnp
    except ImportError:
        return  # (PyPy: the expected names are pycapnp's)
    # pycapnp once only, by the absolute path: it aborts the process when one file is loaded
    # by two paths, resolves relative paths against the directory it started in, and keeps
    # the name a file's first load gave it (so display_name was checked by hand, in a fresh
    # pycapnp process: "x/y.capnp:Top" there too).
    assert names(capnp, str(tmp_path / "a" / "b" / "main.capnp")) == want


def test_capnp_lib_capnp_names_reach_the_same_objects(libs: List[Any]) -> None:
    # Ported code that names capnp.lib.capnp.X (type hints, the global parser's modules_by_id).
    for m in libs:
        capnp = capnp_lite if m is libs[0] else __import__("capnp")
        lib = capnp.lib.capnp
        builder = m.Person.new_message(name="x")
        assert isinstance(builder, lib._DynamicStructBuilder)
        assert isinstance(builder.as_reader(), lib._DynamicStructReader)
        assert isinstance(m.Person, lib._StructModule) and isinstance(m.Person.Kind, lib._EnumModule)
        assert isinstance(m.Peer, lib._InterfaceModule)
        found = lib._global_schema_parser.modules_by_id[m.Person.schema.node.id]
        assert found.new_message(name="y").name == "y"
        assert m.Person.Kind.schema.node.id in lib._global_schema_parser.modules_by_id
        assert issubclass(lib.KjException, Exception)
    with pytest.raises(KeyError):
        capnp_lite.lib.capnp._global_schema_parser.modules_by_id[0x1234]
    # The file's own module is there too (its latest load), as in pycapnp.
    latest = capnp_lite.load(libs[0].__file__)
    ours_by_id = capnp_lite.lib.capnp._global_schema_parser.modules_by_id
    assert ours_by_id[latest._node.id] is latest and latest._node.id in set(ours_by_id)
    from capnp_lite.lib.capnp import _DynamicStructBuilder  # the import form works too

    assert _DynamicStructBuilder is capnp_lite._DynamicStructBuilder


def test_a_field_s_schema_is_its_type_s(libs: List[Any]) -> None:
    for m in libs:
        kj = capnp_lite.KjException if m is libs[0] else __import__("capnp").KjException
        fields = m.Person.schema.fields
        assert fields["best"].schema.node.id == m.Person.schema.node.id
        assert fields["kind"].schema.enumerants == {"a": 0, "b": 1}
        assert fields["addr"].schema.node.id == m.Person.new_message().init("addr").schema.node.id
        assert fields["emails"].schema is not None
        for name in ("name", "age"):
            with pytest.raises(kj):
                fields[name].schema
    peer = libs[0].Person.schema.fields["peer"].schema
    assert peer.node.id == libs[0].Peer.schema.node.id and "ping" in peer.methods
    assert libs[0].Person.schema.fields["emails"].schema.element.kind == "text"


GENERIC = """
@0xd1c3a2b4e5f60790;
struct G(T) { v @0 :T; }
struct H { gt @0 :G(Text); gd @1 :G(Data); ga @2 :G; lt @3 :List(G(Text)); }
"""


def test_a_struct_of_another_brand_is_refused_as_pycapnp_refuses_it(tmp_path_factory: pytest.TempPathFactory) -> None:
    # A G(Text) stored where a G(Data) goes would have its text read as data (NUL and all).
    path = reference.schema_file(tmp_path_factory, "brands.capnp", GENERIC)

    def outcomes(capnp: Any, kj: Any) -> List[str]:
        m = capnp.load(str(path))
        src = m.H.new_message()
        src.init("gt").v = "text"
        src.init("gd").v = b"d"
        src.init("ga")
        h = m.H.new_message()
        got = []
        for target, value in (("gt", src.gt), ("gd", src.gt), ("gt", src.gd), ("ga", src.gt),
                              ("ga", src.ga), ("gt", src.ga), ("ga", m.G.new_message()),
                              ("gt", m.G.new_message()), ("gd", src.as_reader().gd),
                              ("gd", src.as_reader().gt)):
            try:
                setattr(h, target, value)
                got.append("ok")
            except kj:
                got.append("refused")
        return got

    want = ["ok", "refused", "refused", "refused", "ok", "refused", "ok", "refused", "ok", "refused"]
    assert outcomes(capnp_lite, capnp_lite.KjException) == want
    ref = reference.pycapnp_module(path)
    if ref is not None:
        import capnp

        assert outcomes(capnp, capnp.KjException) == want
    m = capnp_lite.load(str(path))
    with pytest.raises(EncodeError, match=r"G\(data\), got a .*G\(text\)"):
        m.H.new_message().gd = m.H.new_message(gt={"v": "x"}).gt


# --- orphans in lists and new_orphan --------------------------------------------------------

ORPHAN_SCHEMA = """
@0xc508505f14ba1eeb;
struct P { name @0 :Text; n @1 :Int32; }
struct Book { people @0 :List(P); names @1 :List(Text); nested @2 :List(List(Int32)); }
"""


def orphan_moves(capnp_lib: Any, m: Any) -> List[Any]:
    mb = capnp_lib._MallocMessageBuilder()
    book = mb.init_root(m.Book)
    orphans = []
    for i in range(3):
        o = mb.new_orphan(m.P)
        p = o.get()
        p.name = "p%d" % i
        p.n = i * 10
        orphans.append(o)
    people = book.init("people", 3)
    for i, o in enumerate(orphans):
        people.adopt(i, o)
    out: List[Any] = [[(q.name, q.n) for q in book.people]]
    names = book.init("names", 3)
    for i in range(3):
        names[i] = "n%d" % i
    text = names.disown(1)
    out.append(list(book.names))
    names.adopt(2, text)
    out.append(list(book.names))
    moved = people.disown(0)
    out.append([(q.name, q.n) for q in book.people])
    people.adopt(2, moved)
    out.append([(q.name, q.n) for q in book.people])
    nested = book.init("nested", 2)
    nested.init(0, 2)[1] = 7
    nested.adopt(1, nested.disown(0))
    out.append([list(x) for x in book.nested])
    out.append(book.to_dict())
    return out


def test_orphans_move_list_elements_as_pycapnp_does(tmp_path_factory: pytest.TempPathFactory) -> None:
    path = reference.schema_file(tmp_path_factory, "orphans.capnp", ORPHAN_SCHEMA)
    got = orphan_moves(capnp_lite, capnp_lite.load(str(path)))
    assert got == [
        [("p0", 0), ("p1", 10), ("p2", 20)],
        ["n0", "", "n2"], ["n0", "", "n1"],
        [("", 0), ("p1", 10), ("p2", 20)], [("", 0), ("p1", 10), ("p0", 0)],
        [[], [0, 7]],
        {"people": [{"n": 0}, {"name": "p1", "n": 10}, {"name": "p0", "n": 0}],
         "names": ["n0", "", "n1"], "nested": [[], [0, 7]]},
    ]
    ref = reference.pycapnp_module(path)
    if ref is not None:
        import capnp

        assert orphan_moves(capnp, ref) == got
    m = capnp_lite.load(str(path))
    numbers = m.Book.new_message().init("nested", 1).init(0, 1)
    with pytest.raises(TypeError, match="holds no objects"):
        numbers.disown(0)
    with pytest.raises(TypeError, match="holds no objects"):
        numbers.adopt(0, m.Book.new_message().init("names", 1).disown(0))



# --- names found missing by running pycapnp's own tests (tools/pycapnp_suite.py) ------------

NESTED_SCHEMA = """
@0xc508505f14ba1eec;
struct Q { name @0 :Text; tags @1 :List(Text); }
struct Lists { ints @0 :List(List(Int32)); qs @1 :List(List(Q)); texts @2 :List(List(Text)); }
struct Book { qs @0 :List(Q); }
"""


@pytest.fixture(scope="module")
def nested(tmp_path_factory: pytest.TempPathFactory) -> List[Any]:
    """Ours, then pycapnp's module where pycapnp is installed."""
    path = reference.schema_file(tmp_path_factory, "nested_lists.capnp", NESTED_SCHEMA)
    ref = reference.pycapnp_module(path)
    return [capnp_lite.load(str(path))] + ([] if ref is None else [ref])


def test_an_inner_list_of_a_list_builder_is_written_through(nested: List[Any]) -> None:
    want = {"ints": [[1], [2, 3], []], "qs": [[{"tags": ["t"]}, {"name": "second"}]],
            "texts": [["", "b"]]}
    for m in nested:
        lists = m.Lists.new_message()
        ints = lists.init("ints", 3)
        ints.init(0, 1)
        ints.init(1, 2)
        lists.ints[0][0] = 1  # through the outer list read again from the struct
        lists.ints[1][0] = 2
        ints[1][1] = 3
        qs = lists.init("qs", 1)
        qs.init(0, 2)
        qs[0][1].name = "second"
        lists.qs[0][0].tags = ["t"]
        texts = lists.init("texts", 1)
        texts.init(0, 2)
        texts[0][1] = "b"
        assert lists.to_dict() == want
        assert [list(x) for x in lists.ints] == [[1], [2, 3], []]
        with m.Lists.from_bytes(lists.to_bytes()) as read:
            assert read.to_dict() == want
        with pytest.raises(IndexError):
            lists.ints[2][0] = 5  # a null inner list is an empty one


def test_fields_are_initialised_by_field_object(libs: List[Any]) -> None:
    for m in libs:
        fields = m.Person.schema.fields
        p = m.Person.new_message()
        emails = p._init_by_field(fields["emails"], 2)
        emails[1] = "x@y"
        p._init_by_field(fields["best"]).name = "bob"
        assert list(p.emails) == ["", "x@y"] and p.best.name == "bob"
        with m.Person.from_bytes(p.to_bytes()) as read:
            assert read.best.name == "bob" and list(read.emails) == ["", "x@y"]


def test_get_and_set_by_name_and_index(libs: List[Any]) -> None:
    """pycapnp's ``_get``/``_set`` forms: a struct's field by name, a list's element by index."""
    for m in libs:
        p = m.Person.new_message(emails=["a@b", "c@d"])
        p._set("name", "ann")
        assert p._get("name") == "ann"
        emails = p._get("emails")
        emails._set(1, "e@f")
        assert emails._get(1) == "e@f"
        with m.Person.from_bytes(p.to_bytes()) as read:
            assert read._get("name") == "ann" and read.emails._get(0) == "a@b"
            assert read._get("emails")._get(1) == "e@f"
            # (past the end: pycapnp's _get raises KjException, ours IndexError as [] does)
            with pytest.raises((IndexError, capnp_lite.KjException) if m is libs[0] else Exception):
                read.emails._get(2)


def test_a_list_field_s_schema_names_its_element_type(nested: List[Any]) -> None:
    for m in nested:
        fields = m.Book.schema.fields
        assert fields["qs"].schema.elementType.node.id == m.Q.schema.node.id
        inner = m.Lists.schema.fields["qs"].schema.elementType  # List(Q)
        assert inner.elementType.node.id == m.Q.schema.node.id
    with pytest.raises(capnp_lite.KjException):
        nested[0].Q.schema.fields["name"].schema.elementType  # Text has no schema at all


def test_bundled_schemas_import_from_the_package() -> None:
    # pycapnp bundles capnp/*.capnp: ``from capnp import stream_capnp`` (with its import hook).
    from capnp_lite import rpc_twoparty_capnp, stream_capnp

    assert stream_capnp.StreamResult.schema.node.id == 0x995F9A3377C0B16E
    assert rpc_twoparty_capnp.VatId.new_message(side="client").side == "client"


def test_the_library_version_is_pycapnp_s() -> None:
    capnp = pytest.importorskip("capnp", reason="pycapnp (the reference) is not installed")
    ours, theirs = capnp_lite.version, capnp.version
    for name in ("LIBCAPNP_VERSION", "LIBCAPNP_VERSION_MAJOR", "LIBCAPNP_VERSION_MINOR", "LIBCAPNP_VERSION_MICRO"):
        assert getattr(ours, name) == getattr(theirs, name), name


def test_a_message_root_can_be_any_pointer(nested: List[Any], tmp_path: Path) -> None:
    """``_MallocMessageBuilder().get_root_as_any()``: a root that is a list, a text or a
    struct; pycapnp reads what ours writes, and the reverse."""
    ours = nested[0]
    written = []
    for m in nested:
        lib = capnp_lite if m is ours else __import__("capnp")
        listed = lib._MallocMessageBuilder()
        qs = listed.get_root_as_any().init_as_list(lib._ListSchema(m.Q), 2)
        qs[1].name = "second"
        assert [q.name for q in listed.get_root_as_any().as_list(lib._ListSchema(m.Q))] == ["", "second"]
        text = lib._MallocMessageBuilder()
        text.get_root_as_any().set_as_text("root text")
        assert text.get_root_as_any().as_reader().as_text() == "root text"
        struct_root = lib._MallocMessageBuilder()
        q = struct_root.get_root_as_any().as_struct(m.Q)  # a null root becomes a struct
        q.name = "q"
        assert struct_root.get_root(m.Q).name == "q"
        for builder in (listed, text, struct_root):
            path = tmp_path / f"{len(written)}.bin"
            with open(path, "wb") as fh:
                lib._write_message_to_fd(fh.fileno(), builder)
            written.append(path)
    for path in written:
        for m in nested:
            lib = capnp_lite if m is ours else __import__("capnp")
            with open(path, "rb") as fh:
                root = lib._StreamFdMessageReader(fh).get_root_as_any()
            kind = ("list", "text", "struct")[written.index(path) % 3]
            if kind == "list":
                assert [q.name for q in root.as_list(lib._ListSchema(m.Q))] == ["", "second"]
            elif kind == "text":
                assert root.as_text() == "root text"
            else:
                assert root.as_struct(m.Q).name == "q"
    # packed, written by ours, read by each
    listed = capnp_lite._MallocMessageBuilder()
    listed.get_root_as_any().init_as_list(capnp_lite._ListSchema(ours.Q), 2)[0].name = "packed"
    path = tmp_path / "packed.bin"
    with open(path, "wb") as fh:
        capnp_lite._write_packed_message_to_fd(fh.fileno(), listed)
    for m in nested:
        lib = capnp_lite if m is ours else __import__("capnp")
        with open(path, "rb") as fh:
            root = lib._PackedFdMessageReader(fh).get_root_as_any()
            assert [q.name for q in root.as_list(lib._ListSchema(m.Q))] == ["packed", ""]


def test_a_struct_root_is_kept_when_seen_as_any_pointer(nested: List[Any]) -> None:
    builder = capnp_lite._MallocMessageBuilder()
    builder.init_root(nested[0].Q).name = "kept"
    assert builder.get_root_as_any().as_struct(nested[0].Q).name == "kept"
    # elements of a new list wait to be laid out (see dynamic/batch.py): none is lost
    book = capnp_lite._MallocMessageBuilder()
    qs = book.init_root(nested[0].Book).init("qs", 2)
    qs[1].name = "waiting"
    qs[0].tags = ["t"]
    book.get_root_as_any()
    written = nested[0].Book.from_segments(book.get_segments_for_output())
    assert written.to_dict() == {"qs": [{"tags": ["t"]}, {"name": "waiting"}]}
    assert nested[0].Q.from_segments(builder.get_segments_for_output()).name == "kept"
    builder.init_root(nested[0].Q)  # a new struct root replaces the AnyPointer view
    assert builder.get_root(nested[0].Q).name == ""


def test_a_message_written_to_a_file_reaches_it_before_the_file_is_closed(libs: List[Any], tmp_path: Path) -> None:
    """pycapnp writes to the descriptor, so a file written and not closed (as pycapnp's own
    tests and examples do, counting on CPython to close it when dropped) can be opened again
    and read at once; ours flushes the file's buffer after each message, to the same effect
    (on PyPy a dropped file is flushed only when the collector reaches it)."""
    for m in libs:
        for mode, packed in (("w", False), ("wb", False), ("wb", True)):
            path = tmp_path / f"{mode}{packed}.bin"
            fh = open(path, mode)
            message = person(m)
            if packed:
                message.write_packed(fh)
            else:
                message.write(fh)
            with open(path, "rb") as again:
                read = m.Person.read_packed(again) if packed else m.Person.read(again)
                assert read.name == "ann" and read.best.name == "bob"
            fh.close()
