"""pycapnp's ``SchemaLoader`` (schemas from ``schema.capnp`` Node readers), the
``_StructModule(schema, name)`` and ``_InterfaceModule`` constructors, ``capnp.types`` with
``_ListSchema`` for AnyPointer lists, and ``capnp.version``.  The same statements run on
ours and, where it is installed, on pycapnp, whose results are the expected ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Tuple

import pytest

import capnp_lite
from capnp_lite.dynamic.loader import LoadedSchema
from capnp_lite.errors import KjException, SchemaError
from capnp_lite.schema import compile_files
from capnp_lite.schema.binary import request_to_bytes

from .. import reference

SCHEMA = """
@0xe1c3a2b4e5f6071b;

struct Person {
  name @0 :Text;
  age @1 :UInt16 = 7;
  tags @2 :List(Text);
  mood @3 :Mood = happy;
  best @4 :Person;
  home :group { street @5 :Text; zip @6 :UInt32; }
  union {
    none @7 :Void;
    phone @8 :Text;
  }
  any @9 :AnyPointer;
  enum Mood { sad @0; happy @1; }
}

interface Greeter { greet @0 (who :Person) -> (text :Text); }

const answer :UInt32 = 42;
"""

REPO = Path(__file__).resolve().parents[2]
SCHEMA_CAPNP = REPO / "schemas" / "capnp" / "schema.capnp"


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference.schema_file(tmp_path_factory, "loaded.capnp", SCHEMA)


@pytest.fixture(scope="module")
def request_bytes(schema_file: Path) -> bytes:
    """The schema compiled as ``capnp compile -o-`` would write it."""
    return request_to_bytes(compile_files([str(schema_file)], []))


@pytest.fixture(scope="module")
def ours(schema_file: Path) -> Any:
    return capnp_lite.load(str(schema_file))


def loaded(lib: Any, request_bytes: bytes) -> Any:
    """A SchemaLoader of ``lib`` holding every node of the request, read with ``lib``."""
    schema_capnp = lib.load(str(SCHEMA_CAPNP), imports=[str(REPO / "schemas")])
    loader = lib.SchemaLoader()
    request = schema_capnp.CodeGeneratorRequest.from_bytes(request_bytes)
    if hasattr(request, "__enter__"):  # pycapnp's reader must stay inside its context
        request = request.__enter__()
    for node in request.nodes:
        loader.load_dynamic(node)
    return loader


def libs(request_bytes: bytes) -> List[Tuple[Any, Any]]:
    out = [(capnp_lite, loaded(capnp_lite, request_bytes))]
    try:
        import capnp  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return out  # PyPy: our half alone, against the values pycapnp gave on CPython
    return out + [(capnp, loaded(capnp, request_bytes))]


def build(lib: Any, loader: Any, ours: Any) -> bytes:
    person = lib._StructModule(loader.get(ours.Person.schema.node.id).as_struct(), "Person")
    # Set in slot order: pycapnp lays objects out as they are allocated, ours in pre-order.
    p = person.new_message(name="ann", tags=["x", "yz"], mood="sad")
    p.init("best").name = "bob"
    p.home.zip = 1234
    p.phone = "555"
    data: bytes = p.to_bytes()
    return data


def test_structs_from_loaded_nodes_build_what_pycapnp_builds(request_bytes: bytes, ours: Any) -> None:
    got = [build(lib, loader, ours) for lib, loader in libs(request_bytes)]
    assert all(g == got[0] for g in got)
    back = ours.Person.from_bytes(got[0])
    assert (back.name, back.age, list(back.tags), back.mood, back.best.name, back.home.zip,
            back.which) == ("ann", 7, ["x", "yz"], "sad", "bob", 1234, "phone")


def test_loaded_schemas_describe_the_nodes_as_pycapnp_does(request_bytes: bytes, ours: Any) -> None:
    def describe(loader: Any) -> Tuple[Any, ...]:
        person = loader.get(ours.Person.schema.node.id)
        mood = loader.get(ours.Person.Mood.schema.node.id).as_enum()
        greeter = loader.get(ours.Greeter.schema.node.id).as_interface()
        return (tuple(person.as_struct().fieldnames), tuple(person.as_struct().union_fields),
                person.node.displayName.rpartition(":")[2], person.node.id,
                person.get_proto().isStruct, dict(mood.enumerants), sorted(greeter.methods))

    got = [describe(loader) for _, loader in libs(request_bytes)]
    assert all(g == got[0] for g in got), got
    assert got[0][0] == ("name", "age", "tags", "mood", "best", "home", "none", "phone", "any")
    assert got[0][5] == {"sad": 0, "happy": 1} and got[0][6] == ["greet"]


def test_wrong_kinds_and_unknown_ids_fail_in_both(request_bytes: bytes, ours: Any) -> None:
    for lib, loader in libs(request_bytes):
        with pytest.raises(lib.KjException):
            loader.get(0x1234)
        enum = loader.get(ours.Person.Mood.schema.node.id)
        with pytest.raises(lib.KjException):
            enum.as_struct()
        with pytest.raises(lib.KjException):
            loader.get(ours.Person.schema.node.id).as_enum()


def test_any_form_of_a_node_loads(request_bytes: bytes, ours: Any) -> None:
    full = loaded(capnp_lite, request_bytes)
    ids = [ours.Person.schema.node.id, ours.Person.Mood.schema.node.id,
           ours.Person.schema.fields["home"].group.node.id]
    for form in ("proto", "reader", "builder", "bytes"):
        loader = capnp_lite.SchemaLoader()
        for node_id in ids:
            proto = full.get(node_id).get_proto()
            node = {"proto": proto, "reader": proto.node, "builder": proto.node.as_builder(),
                    "bytes": proto.node.to_bytes()}[form]
            assert isinstance(loader.load(node), LoadedSchema)
        assert loader.get(ids[0]).as_struct().fieldnames == ours.Person.schema.fieldnames
    alone = capnp_lite.SchemaLoader()
    alone.load(ours.Person.schema.get_proto())
    with pytest.raises(SchemaError, match="unknown schema node"):  # its group's node is missing
        alone.get(ids[0]).as_struct()


def test_loading_a_node_again_replaces_it(request_bytes: bytes, ours: Any) -> None:
    loader = loaded(capnp_lite, request_bytes)
    first = loader.get(ours.Person.schema.node.id).as_struct()
    loader.load(ours.Person.schema.get_proto())
    again = loader.get(ours.Person.schema.node.id).as_struct()
    assert again is not first and again.fieldnames == first.fieldnames


def test_what_is_not_a_node_is_refused(ours: Any) -> None:
    with pytest.raises(TypeError, match="Node reader"):
        capnp_lite.SchemaLoader().load(42)
    with pytest.raises(TypeError, match="Node reader, got Person"):  # a struct of another type
        capnp_lite.SchemaLoader().load(ours.Person.new_message(name="x"))
    with pytest.raises(KjException):
        capnp_lite.SchemaLoader().load(b"\x00\x00")


def test_a_constant_and_an_interface_module_from_a_loader(request_bytes: bytes, ours: Any) -> None:
    loader = loaded(capnp_lite, request_bytes)
    file_node = ours._node
    answer = next(n.id for n in file_node.nested_nodes if n.name == "answer")
    assert loader.get(answer).as_const_value() == 42
    with pytest.raises(SchemaError, match="not a constant"):
        loader.get(ours.Person.schema.node.id).as_const_value()
    greeter = capnp_lite._InterfaceModule(loader.get(ours.Greeter.schema.node.id).as_interface(),
                                          "Greeter")
    assert greeter.schema.methods["greet"].param_type.fieldnames == ("who",)
    with pytest.raises(TypeError, match="expected a StructSchema"):
        capnp_lite._StructModule(greeter.schema, "Greeter")


# --- capnp.types and _ListSchema --------------------------------------------------------------


def lists_in_any_pointer(lib: Any, m: Any) -> List[Any]:
    types = lib.types
    p = m.Person.new_message()
    out: List[Any] = []
    for element, values in ((types.Int32, [1, -2, 3]), (types.Text, ["a", "bc"]),
                            (types.Float64, [0.5]), (types.Bool, [True, False, True])):
        lst = p.any.init_as_list(lib._ListSchema(element), len(values))
        for i, v in enumerate(values):
            lst[i] = v
        r = p.as_reader().any.as_list(lib._ListSchema(element))
        out.append([r[i] for i in range(len(r))])
    people = p.any.init_as_list(lib._ListSchema(m.Person), 2)
    people[1].name = "zed"
    out.append([q.name for q in p.as_reader().any.as_list(lib._ListSchema(m.Person))])
    moods = p.any.init_as_list(lib._ListSchema(m.Person.Mood), 2)
    moods[0] = "happy"
    out.append([str(x) for x in p.as_reader().any.as_list(lib._ListSchema(m.Person.Mood))])
    nested = p.any.init_as_list(lib._ListSchema(lib._ListSchema(types.UInt8)), 2)
    inner = nested.init(1, 3)
    inner[2] = 9
    out.append([list(x) for x in p.as_reader().any.as_list(
        lib._ListSchema(lib._ListSchema(types.UInt8)))])
    # (to_bytes() would differ: pycapnp keeps each list the next one replaced)
    return out


def test_lists_in_an_any_pointer_by_list_schema(ours: Any, schema_file: Path) -> None:
    got = lists_in_any_pointer(capnp_lite, ours)
    assert got == [[1, -2, 3], ["a", "bc"], [0.5], [True, False, True], ["", "zed"],
                        ["happy", "sad"], [[], [0, 0, 9]]]
    ref = reference.pycapnp_module(schema_file)
    if ref is not None:
        import capnp

        assert lists_in_any_pointer(capnp, ref) == got


def test_element_types_of_list_schemas(ours: Any, schema_file: Path) -> None:
    t = capnp_lite.types
    assert capnp_lite._ListSchema(ours.Person).elementType.node.id == ours.Person.schema.node.id
    assert capnp_lite._ListSchema(ours.Person.Mood).elementType.names == ["sad", "happy"]
    nested = capnp_lite._ListSchema(capnp_lite._ListSchema(t.Int32))
    assert nested.elementType == capnp_lite._ListSchema(t.Int32)
    assert capnp_lite._ListSchema(t.Text).elementType is t.Text
    assert capnp_lite._ListSchema(ours.Greeter).elementType.methods.keys() == {"greet"}
    with pytest.raises(TypeError):
        capnp_lite._ListSchema()
    with pytest.raises(TypeError, match="expected a type"):
        capnp_lite._ListSchema("Int32")
    ref = reference.pycapnp_module(schema_file)
    if ref is not None:
        import capnp

        assert capnp._ListSchema(ref.Person).elementType.node.id == ours.Person.schema.node.id
        assert isinstance(capnp._ListSchema(capnp._ListSchema(capnp.types.Int32)).elementType,
                          capnp._ListSchema)


def test_version() -> None:
    assert capnp_lite.version.version == capnp_lite.__version__
    assert capnp_lite.version.short_version == capnp_lite.__version__
    assert {"types", "version", "lib", "SchemaLoader", "_ListSchema"} <= set(dir(capnp_lite))
    assert capnp_lite.lib.capnp._Schema is LoadedSchema


# --- get_data_as_view and the field-object accessors -------------------------------------------

VIEW_SCHEMA = """
@0xe1c3a2b4e5f6071c;
struct Blob {
  data @0 :Data;
  text @1 :Text;
  n @2 :Int32;
  inner @3 :Blob;
  fixed @4 :Data = 0x"0102";
}
"""


@pytest.fixture(scope="module")
def view_libs(tmp_path_factory: pytest.TempPathFactory) -> List[Tuple[Any, Any]]:
    path = reference.schema_file(tmp_path_factory, "blob.capnp", VIEW_SCHEMA)
    out: List[Tuple[Any, Any]] = [(capnp_lite, capnp_lite.load(str(path)))]
    ref = reference.pycapnp_module(path)
    if ref is not None:
        import capnp

        out.append((capnp, ref))
    return out


def views(m: Any) -> List[Any]:
    b = m.Blob.new_message(data=b"ABCDE", text="t", n=3)
    v = b.get_data_as_view("data")
    out: List[Any] = [type(v).__name__, v.readonly, v.tobytes()]
    v[0] = ord("Z")
    out.append(b.data)
    inner = b.init("inner")
    inner.data = b"nested"
    iv = b.inner.get_data_as_view("data")
    iv[0] = ord("N")
    out += [b.inner.data, len(b.inner.get_data_as_view("fixed"))]
    r = b.as_reader()
    rv = r.get_data_as_view("data")
    out += [rv.readonly, rv.tobytes(), r.get_data_as_view("fixed").tobytes(),
            r.inner.get_data_as_view("data").tobytes()]
    for name in ("n", "text"):
        for obj in (b, r):
            with pytest.raises(TypeError, match="not a DATA field"):
                obj.get_data_as_view(name)
    for obj in (b, r):
        with pytest.raises(AttributeError, match="missing"):
            obj.get_data_as_view("missing")
    return out


def test_data_views_write_through_builders_and_not_readers(view_libs: List[Tuple[Any, Any]]) -> None:
    got = [views(m) for _, m in view_libs]
    assert all(g == got[0] for g in got), got
    assert got[0] == ["memoryview", False, b"ABCDE", b"ZBCDE", b"Nested", 2,
                      True, b"ZBCDE", b"\x01\x02", b"Nested"]


def by_field(m: Any) -> List[Any]:
    fields = m.Blob.schema.fields
    b = m.Blob.new_message()
    b._set_by_field(fields["n"], 7)
    b._set("text", "hi")
    r = b.as_reader()
    return [b._get_by_field(fields["n"]), r._get_by_field(fields["text"]),
            b._has_by_field(fields["text"]), r._has_by_field(fields["data"]),
            b._has("inner")]


def test_field_object_accessors(view_libs: List[Tuple[Any, Any]]) -> None:
    got = [by_field(m) for _, m in view_libs]
    assert all(g == got[0] for g in got), got
    assert got[0] == [7, "hi", True, False, False]
    m = view_libs[0][1]
    with pytest.raises(KjException, match="no field"):
        m.Blob.new_message()._get_by_field(object())
    with pytest.raises(KjException, match="no field"):  # a field of another struct
        m.Blob.new_message().as_reader()._has_by_field(
            capnp_lite.load(str(SCHEMA_CAPNP)).Node.schema.fields["id"])


# --- schema objects' pycapnp names and capnp.lib.capnp's classes -----------------------------

INHERIT_SCHEMA = """
@0xe1c3a2b4e5f6071e;
interface Base { a @0 () -> (); b @1 (x :Int32) -> (y :Int32); }
interface Derived extends(Base) { c @0 () -> (); b2 @1 () -> (); }
struct S { f @0 :Int8; }
enum E { one @0; }
"""


def inherited(m: Any) -> Tuple[Any, ...]:
    s = m.Derived.schema
    return (tuple(s.method_names), sorted(s.method_names_inherited), sorted(s.methods_inherited),
            sorted(s.methods_inherited["b"].param_type.fieldnames),
            type(m.S.schema.as_struct()).__name__, m.S.schema.as_struct().fieldnames)


def test_interface_and_schema_names_as_pycapnp(tmp_path_factory: pytest.TempPathFactory) -> None:
    path = reference.schema_file(tmp_path_factory, "inherit.capnp", INHERIT_SCHEMA)
    ours = capnp_lite.load(str(path))
    got = inherited(ours)
    assert got == (("c", "b2"), ["a", "b", "b2", "c"], ["a", "b", "b2", "c"], ["x"],
                   "StructSchema", ("f",))
    ref = reference.pycapnp_module(path)
    if ref is not None:
        assert inherited(ref)[:4] == got[:4]  # (pycapnp's class is _StructSchema)
    assert ours.E.schema.as_enum() is ours.E.schema
    assert ours.Derived.schema.as_interface() is ours.Derived.schema
    for schema, wrong in ((ours.S.schema, "as_enum"), (ours.E.schema, "as_struct"),
                          (ours.Derived.schema, "as_const_value")):
        with pytest.raises(KjException, match="is not"):
            getattr(schema, wrong)()


def test_pycapnp_classes_in_lib_capnp(tmp_path_factory: pytest.TempPathFactory) -> None:
    import asyncio

    lib = capnp_lite.lib.capnp
    path = reference.schema_file(tmp_path_factory, "inherit2.capnp", INHERIT_SCHEMA)
    m = capnp_lite.load(str(path))
    assert isinstance(m.schema, lib._ParsedSchema)  # a file module's own schema, as in pycapnp
    assert isinstance(m.S.schema.fields["f"], lib._StructSchemaField)
    assert isinstance(m.Derived.schema.methods["c"], lib._InterfaceMethod)
    assert isinstance(m.S.schema, lib._StructSchema) and isinstance(m.E.schema, lib._EnumSchema)

    class Impl(m.Derived.Server):  # type: ignore[misc, name-defined]
        async def b(self, x: int, **kwargs: Any) -> int:
            assert isinstance(kwargs["_context"], lib._CallContext)
            return x + 1

    async def main() -> int:
        client = m.Derived._new_client(Impl())
        assert isinstance(client, lib._DynamicCapabilityClient)
        request = client.b_request(x=4)
        assert isinstance(request, lib._Request)
        promise = request.send()
        assert isinstance(promise, lib._RemotePromise)
        response = await promise
        assert isinstance(response, lib._Response)
        y: int = response.y
        return y

    assert asyncio.run(main()) == 5
    assert {"_Request", "_Response", "_CallContext"} <= set(dir(lib))


def test_loading_node_by_node_translates_once(request_bytes: bytes, ours: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from capnp_lite.dynamic import loader as loader_module

    calls: List[int] = []
    real = loader_module.request_from_bytes

    def counting(data: bytes) -> Any:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(loader_module, "request_from_bytes", counting)
    loader = loaded(capnp_lite, request_bytes)  # every node, one load() each
    assert calls == []
    person = loader.get(ours.Person.schema.node.id)
    assert person.as_struct().fieldnames[0] == "name" and len(calls) == 1
    loader.get(ours.Greeter.schema.node.id).as_interface()
    assert len(calls) == 1  # (until the next load)
