"""Code written for pycapnp 2.x running on ``import capnp_lite as capnp``.

Each case states pycapnp's behaviour as a fixed expectation and, where
pycapnp is installed, runs the same statements on it too: ``which`` as a
property, enum values equal to their numbers, the import hook, reading and
writing text-mode files and sockets, ``read_multiple*``, ``KjException``
catching every error, AnyPointer builders, base64 Data in dicts, ``str`` and
``repr`` forms, and the smaller helpers.
"""

from __future__ import annotations

import base64
import io
import os
import socket
import sys
from collections import OrderedDict
from pathlib import Path
from typing import Any, Iterator, List

import pytest

import capnp_lite
from capnp_lite.errors import (
    CapnpError,
    DecodeError,
    EncodeError,
    EndOfStream,
    LimitError,
    RpcError,
    UsageError,
)

from .. import reference

SCHEMA = """
@0xb3d1c5e7a9f20417;

enum Fruit { apple @0; banana @1; cherry @2; }

struct Phone {
  number @0 :Text;
  fruit @1 :Fruit;
}

struct Person {
  id @0 :UInt32;
  name @1 :Text;
  fruit @2 :Fruit;
  fruits @3 :List(Fruit);
  phones @4 :List(Phone);
  blob @5 :Data;
  employment :union {
    unemployed @6 :Void;
    school @7 :Text;
    employer @8 :Text;
  }
  any @9 :AnyPointer;
  inner @10 :Phone;
  extra :group { note @11 :Text; }
}

struct Shape {
  union {
    circle @0 :Float64;
    square @1 :Float64;
  }
}

struct Plain { a @0 :Int32; }
"""


@pytest.fixture(scope="module")
def schema_path(tmp_path_factory: Any) -> Path:
    return reference.schema_file(tmp_path_factory, "facade.capnp", SCHEMA)


@pytest.fixture(scope="module")
def ours(schema_path: Path) -> Any:
    return capnp_lite.load(str(schema_path))


@pytest.fixture(scope="module")
def ref(schema_path: Path) -> Any:
    """pycapnp's module of the same file, or None where pycapnp is not installed."""
    return reference.pycapnp_module(schema_path)


def libs(ours: Any, ref: Any) -> List[Any]:
    return [ours] if ref is None else [ours, ref]


def parse(struct_type: Any, builder: Any) -> Any:
    """A reader of ``builder``'s message read back from bytes (pycapnp's ``from_bytes`` is a
    context manager; its packed reader is not)."""
    return struct_type.from_bytes_packed(builder.to_bytes_packed())


def kj_exception(mod: Any) -> Any:
    """The ``KjException`` of the library ``mod`` was loaded with."""
    if mod.__class__.__module__.startswith("capnp_lite"):
        return capnp_lite.KjException
    import capnp

    return capnp.KjException


# -- which is a property that can still be called ------------------------


def test_which_is_a_property_equal_to_name_and_discriminant(ours: Any, ref: Any) -> None:
    for mod in libs(ours, ref):
        m = mod.Person.new_message(employment={"school": "MIT"})
        for obj in (m.employment, parse(mod.Person, m).employment):
            assert obj.which == "school"
            assert obj.which == 1 and obj.which != 2
            assert obj.which.raw == 1
            assert obj.which() == "school"
            assert str(obj.which) == "school"
            assert obj._which_str() == "school" and type(obj._which_str()) is str
            assert obj._which() == "school"
        assert repr(m.employment.which) == "<school which-enum>"
        m.employment.employer = "ACME"
        assert m.employment.which == "employer"


def test_which_tag_hashes_as_its_name(ours: Any) -> None:
    tag = ours.Person.new_message(employment={"school": "x"}).employment.which
    assert hash(tag) == hash("school")
    assert {"school": 1}[tag] == 1 and tag in {"school"}
    assert tag is ours.Person.new_message(employment={"school": "y"}).employment.which


def test_which_on_a_struct_without_a_union_raises_kj_exception(ours: Any, ref: Any) -> None:
    for mod in libs(ours, ref):
        kj = kj_exception(mod)
        b = mod.Plain.new_message(a=1)
        with pytest.raises(kj, match="non-union"):
            b.which
        with pytest.raises(kj, match="non-union"):
            parse(mod.Plain, b).which
    with pytest.raises(UsageError):
        ours.Plain.new_message().which()


def test_union_enums_on_the_struct_type(ours: Any, ref: Any) -> None:
    for mod in libs(ours, ref):
        assert mod.Person.Employment.school == 1
        assert mod.Person.Employment.school == "school"
        assert mod.Person.Employment.employer.value == 2
        assert mod.Shape.Union.Circle == 0 and mod.Shape.Union.Square == 1
        # A group without a union is a struct type of its own.
        assert list(mod.Person.Extra.schema.fieldnames) == ["note"]
    m = ours.Person.new_message()
    m.employment.init(ours.Person.Employment.employer, 3)  # a member in place of its name
    assert m.employment.which == "employer"


# -- enum fields equal their int constants ---------------------------------


def test_enum_field_equals_int_constant_and_name(ours: Any, ref: Any) -> None:
    for mod in libs(ours, ref):
        m = mod.Person.new_message(fruit="banana")
        r = parse(mod.Person, m)
        for value in (m.fruit, r.fruit):
            assert value == mod.Fruit.banana == 1
            assert value == "banana" and value != "apple" and value != 0
            assert value.raw == 1
            assert str(value) == "banana"
            assert repr(value) == "<banana enum>"
            assert hash(value) == hash("banana")


def test_enum_reads_share_one_object_per_enumerant(ours: Any) -> None:
    m = ours.Person.new_message(fruit="cherry", fruits=["cherry", "apple"])
    r = ours.Person.from_bytes(m.to_bytes())
    assert m.fruit is r.fruit is r.fruits[0] is list(r.fruits)[0] is m.fruits[0]
    assert isinstance(r.fruit, str)


def test_enum_lists_and_setting_from_each_form(ours: Any, ref: Any) -> None:
    for mod in libs(ours, ref):
        m = mod.Person.new_message(fruits=["apple", "cherry"])
        r = parse(mod.Person, m)
        assert list(r.fruits) == ["apple", "cherry"]
        assert list(r.fruits) == [0, 2]
        assert list(m.fruits) == [mod.Fruit.apple, mod.Fruit.cherry]
        m.fruit = 2
        assert m.fruit == "cherry"
        m.fruit = "apple"
        assert m.fruit == 0
        m.fruit = r.fruits[1]  # a value read from another message
        assert m.fruit == "cherry"
        m.fruits[0] = "banana"
        assert m.fruits[0] == 1
        d = m.to_dict()
        assert d["fruit"] == "cherry" and type(d["fruit"]) is str
        assert [type(v) for v in d["fruits"]] == [str, str]


# -- the import hook -------------------------------------------------------


@pytest.fixture
def hook_dir(tmp_path: Path) -> Iterator[Path]:
    """A sys.path entry, with the import system put back as it was afterwards."""
    saved_path = list(sys.path)
    saved_meta = list(sys.meta_path)
    saved_modules = set(sys.modules)
    saved_importer = capnp_lite._importer
    # pycapnp's own hook, if it is installed here, would take the same names first.
    sys.meta_path[:] = [f for f in sys.meta_path if not type(f).__module__.startswith("capnp.")]
    sys.path.insert(0, str(tmp_path))
    try:
        yield tmp_path
    finally:
        sys.path[:] = saved_path
        sys.meta_path[:] = saved_meta
        capnp_lite._importer = saved_importer
        for name in set(sys.modules) - saved_modules:
            del sys.modules[name]


def _schema_file(path: Path, file_id: str) -> None:
    path.write_text(f"@0x{file_id};\nstruct Thing {{ n @0 :Int32; }}\n")


def test_import_hook_loads_a_schema_on_sys_path(hook_dir: Path) -> None:
    _schema_file(hook_dir / "facadehook.capnp", "c1a2b3c4d5e6f701")
    _schema_file(hook_dir / "facade-dashed.capnp", "c1a2b3c4d5e6f702")
    _schema_file(hook_dir / "facade spaced.capnp", "c1a2b3c4d5e6f703")
    import facadehook_capnp  # type: ignore[import-not-found]

    assert facadehook_capnp.Thing.new_message(n=4).n == 4
    assert facadehook_capnp.__name__ == "facadehook_capnp"
    assert sys.modules["facadehook_capnp"] is facadehook_capnp
    import facade_dashed_capnp  # type: ignore[import-not-found]
    import facade_spaced_capnp  # type: ignore[import-not-found]

    assert facade_dashed_capnp.Thing.new_message(n=1).n == 1
    assert facade_spaced_capnp.Thing.new_message(n=2).n == 2


def test_import_hook_yields_to_python_modules(hook_dir: Path) -> None:
    _schema_file(hook_dir / "facadegen.capnp", "c1a2b3c4d5e6f704")
    (hook_dir / "facadegen_capnp.py").write_text("GENERATED = True\n")
    import facadegen_capnp  # type: ignore[import-not-found]

    assert facadegen_capnp.GENERATED is True


def test_import_hook_in_a_package_and_removed(hook_dir: Path) -> None:
    package = hook_dir / "facadepkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    _schema_file(package / "inner.capnp", "c1a2b3c4d5e6f705")
    _schema_file(hook_dir / "facadegone.capnp", "c1a2b3c4d5e6f706")
    from facadepkg import inner_capnp  # type: ignore[import-not-found]

    assert inner_capnp.Thing.new_message(n=5).n == 5
    capnp_lite.remove_import_hook()
    assert capnp_lite._importer is None
    with pytest.raises(ImportError):
        import facadegone_capnp  # type: ignore[import-not-found]  # noqa: F401
    capnp_lite.add_import_hook()
    capnp_lite.add_import_hook()  # twice: still one finder
    assert sum(type(f).__name__ == "_CapnpImporter" for f in sys.meta_path) == 1
    capnp_lite.cleanup_global_schema_parser()
    import facadegone_capnp  # type: ignore[import-not-found]  # noqa: F401,F811


def test_load_takes_pycapnp_arguments(schema_path: Path, ours: Any, ref: Any) -> None:
    assert ours.__name__ == "facade.capnp"
    if ref is not None:
        assert ref.__name__ == ours.__name__
    named = capnp_lite.load(str(schema_path), "custom_name", [str(schema_path.parent)])
    assert named.__name__ == "custom_name"
    old_style = capnp_lite.load(str(schema_path), [str(schema_path.parent)])
    assert old_style.Plain.new_message(a=1).a == 1


# -- files, text-mode files, sockets ---------------------------------------


def test_write_to_text_mode_file_and_read_back(ours: Any, ref: Any, tmp_path: Path) -> None:
    written = []
    for mod in libs(ours, ref):
        path = tmp_path / f"msg_{len(written)}.bin"
        with open(path, "w") as f:
            mod.Person.new_message(name="a\r\nb", id=7).write(f)
            mod.Person.new_message(name="second", id=8).write(f)
        written.append(path.read_bytes())
        for opener in (lambda p: open(p), lambda p: open(p, "rb")):
            with opener(path) as f:
                first = mod.Person.read(f)
                second = mod.Person.read(f)
                assert (first.name, first.id) == ("a\r\nb", 7)
                assert (second.name, second.id) == ("second", 8)
    assert len(set(written)) == 1  # both libraries wrote the same bytes


def test_read_and_write_on_sockets_and_descriptors(ours: Any, ref: Any) -> None:
    for mod in libs(ours, ref):
        a, b = socket.socketpair()
        try:
            mod.Person.new_message(name="s").write(a)
            assert mod.Person.read(b).name == "s"
            a.sendall(mod.Person.new_message(name="t").to_bytes())
            assert mod.Person.read(b).name == "t"
        finally:
            a.close()
            b.close()
    a, b = socket.socketpair()
    try:
        ours.Person.new_message(name="fd").write(a.fileno())
        assert ours.Person.read(b.fileno()).name == "fd"
    finally:
        a.close()
        b.close()


def test_read_packed_from_text_mode_files_and_sockets(ours: Any, ref: Any, tmp_path: Path) -> None:
    for mod in libs(ours, ref):
        path = tmp_path / f"packed_{id(mod)}.bin"
        with open(path, "w") as f:
            mod.Person.new_message(name="p\r\nq", id=9).write_packed(f)
        for opener in (lambda p: open(p), lambda p: open(p, "rb")):
            with opener(path) as f:
                got = mod.Person.read_packed(f)
                assert (got.name, got.id) == ("p\r\nq", 9)
        a, b = socket.socketpair()
        try:
            mod.Person.new_message(name="s").write_packed(a)
            assert mod.Person.read_packed(b).name == "s"
        finally:
            a.close()
            b.close()
    with pytest.raises(EndOfStream):
        ours.Person.read_packed(io.BytesIO(b""))


def test_read_packed_from_a_pipe_does_not_wait_for_its_end(ours: Any) -> None:
    import threading

    r, w = os.pipe()
    got: List[Any] = []
    with os.fdopen(r, "rb") as reader, os.fdopen(w, "wb") as writer:
        ours.Person.new_message(name="piped").write_packed(writer)
        writer.flush()  # the writer stays open: no end of file yet
        thread = threading.Thread(target=lambda: got.append(ours.Person.read_packed(reader).name))
        thread.daemon = True
        thread.start()
        thread.join(10)
        assert got == ["piped"]


def test_reading_at_end_of_file_raises_kj_exception(ours: Any, ref: Any, tmp_path: Path) -> None:
    path = tmp_path / "empty.bin"
    path.write_bytes(b"")
    for mod in libs(ours, ref):
        with open(path, "rb") as f, pytest.raises(kj_exception(mod), match="(?i)premature"):
            mod.Person.read(f)
    with pytest.raises(EndOfStream):
        ours.Person.read(io.BytesIO(b""))
    with pytest.raises(EOFError):
        ours.Person.read(io.BytesIO(b""))
    with pytest.raises(DecodeError, match="premature"):  # cut inside a message
        ours.Person.read(io.BytesIO(ours.Person.new_message(name="x").to_bytes()[:-3]))


# -- read_multiple and friends ---------------------------------------------


def _people(mod: Any) -> List[Any]:
    return [mod.Person.new_message(name=n, id=i) for i, n in enumerate(["a", "bb", "ccc"])]


def test_read_multiple_variants(ours: Any, ref: Any, tmp_path: Path) -> None:
    for mod in libs(ours, ref):
        people = _people(mod)
        framed = b"".join(p.to_bytes() for p in people)
        packed = b"".join(p.to_bytes_packed() for p in people)
        (tmp_path / "framed").write_bytes(framed)
        (tmp_path / "packed").write_bytes(packed)
        with open(tmp_path / "framed", "rb") as f:
            assert [p.name for p in mod.Person.read_multiple(f)] == ["a", "bb", "ccc"]
        with open(tmp_path / "packed", "rb") as f:
            assert [p.id for p in mod.Person.read_multiple_packed(f)] == [0, 1, 2]
        assert [p.name for p in mod.Person.read_multiple_bytes(framed)] == ["a", "bb", "ccc"]
        got = [p.name for p in mod.Person.read_multiple_bytes_packed(packed)]
        assert got == ["a", "bb", "ccc"]
        assert list(mod.Person.read_multiple_bytes(b"")) == []
        assert list(mod.Person.read_multiple_bytes_packed(b"")) == []


def test_read_multiple_takes_the_limits(ours: Any) -> None:
    framed = b"".join(p.to_bytes() for p in _people(ours))
    packed = b"".join(p.to_bytes_packed() for p in _people(ours))
    with pytest.raises(LimitError):
        for p in ours.Person.read_multiple_bytes(framed, traversal_limit_in_words=3):
            p.name
    with pytest.raises(LimitError):
        for p in ours.Person.read_multiple_bytes_packed(packed, traversal_limit_in_words=2):
            p.name
    with pytest.raises(LimitError):
        list(ours.Person.read_multiple(io.BytesIO(framed), traversal_limit_in_words=2))
    names = [p.name for p in ours.Person.read_multiple_bytes(framed, 100, 10)]
    assert names == ["a", "bb", "ccc"]
    with pytest.raises(DecodeError):
        list(ours.Person.read_multiple_bytes(framed[:-1]))


def test_top_level_read_multiple_bytes_packed_gives_any_pointers(ours: Any, ref: Any) -> None:
    for mod, lib in zip(libs(ours, ref), [capnp_lite, sys.modules.get("capnp")]):
        packed = b"".join(p.to_bytes_packed() for p in _people(mod))
        roots = list(lib.read_multiple_bytes_packed(packed))
        assert [r.as_struct(mod.Person).name for r in roots] == ["a", "bb", "ccc"]


# -- KjException catches every error ---------------------------------------


def test_kj_exception_catches_decode_limit_encode_and_rpc_errors(ours: Any) -> None:
    kj = capnp_lite.KjException
    assert kj is CapnpError
    for error in (DecodeError("d"), LimitError("l"), EncodeError("e"), RpcError("r"),
                  UsageError("u"), EndOfStream("x")):
        assert isinstance(error, kj)
        assert error.type == "FAILED"
    with pytest.raises(kj):
        ours.Person.from_bytes(b"\x00\x00\x00\x00\x05\x00\x00\x00")
    with pytest.raises(kj):
        ours.Person.new_message(id=-1)
    with pytest.raises(kj):
        ours.Person.new_message(id="x")
    err = kj("went wrong", type="overloaded")
    assert (err.type, err.description, str(err)) == ("OVERLOADED", "went wrong", "went wrong")
    assert RpcError("busy", "overloaded").type == "OVERLOADED"
    assert DecodeError("bad", segment=0, offset=2).description == "bad"


# -- AnyPointer on builders ------------------------------------------------


def test_any_pointer_builder_methods(ours: Any, ref: Any) -> None:
    for mod in libs(ours, ref):
        m = mod.Person.new_message()
        m.any.set_as_text("hi")
        assert m.any.as_text() == "hi"
        assert parse(mod.Person, m).any.as_text() == "hi"
        m2 = mod.Person.new_message()
        m2.any = "assigned"
        assert m2.as_reader().any.as_text() == "assigned"
        m3 = mod.Person.new_message()
        m3.any.as_struct(mod.Phone).number = "555"  # a null pointer starts a struct
        assert m3.as_reader().any.as_struct(mod.Phone).number == "555"
        m4 = mod.Person.new_message()
        m4.any = mod.Phone.new_message(number="copied")
        assert m4.as_reader().any.as_struct(mod.Phone).number == "copied"
    m5 = ours.Person.new_message()
    m5.any.init_as_struct(ours.Phone).fruit = "cherry"
    assert m5.as_reader().any.as_struct(ours.Phone).fruit == "cherry"
    phones = ours.Person.new_message()
    lst = phones.any.init_as_list(ours.Phone, 2)
    lst[1].number = "2"
    assert [p.number for p in phones.as_reader().any.as_list(ours.Phone)] == ["", "2"]
    assert [p.number for p in phones.any.as_list(ours.Phone)] == ["", "2"]


# -- Data given as str in a dict is base64 ---------------------------------


def test_data_as_base64_in_dicts(ours: Any, ref: Any) -> None:
    for mod in libs(ours, ref):
        assert mod.Person.new_message(blob="aGVsbG8=").blob == b"hello"
        m = mod.Person.new_message()
        m.from_dict({"blob": base64.b64encode(b"xyz").decode(), "id": 3})
        assert (m.blob, m.id) == (b"xyz", 3)
        m.blob = "aGk="  # an attribute takes a str as UTF-8
        assert m.blob == b"aGk="
        d = mod.Person.new_message(blob=b"hello world").to_dict(encode_bytes_as_base64=True)
        assert d["blob"] == base64.b64encode(b"hello world").decode()
        assert mod.Person.new_message(blob=b"raw").to_dict()["blob"] == b"raw"
    with pytest.raises(EncodeError, match="base64"):
        ours.Person.new_message(blob="ab")


# -- str and repr ----------------------------------------------------------


def test_str_and_repr_forms(ours: Any, ref: Any) -> None:
    forms = []
    for mod in libs(ours, ref):
        m = mod.Person.new_message(name="n", phones=[{"number": "1", "fruit": "cherry"}])
        r = parse(mod.Person, m)
        got = [str(m.phones), str(r.phones), repr(m.phones), repr(r.phones), repr(m),
               repr(r), repr(m.employment)]
        forms.append(got)
    assert forms[0][0] == '[ (number = "1", fruit = cherry) ]'
    assert forms[0][2] == '<capnp list builder [(number = "1", fruit = cherry)]>'
    assert forms[0][3] == '<capnp list reader [(number = "1", fruit = cherry)]>'
    assert forms[0][4].startswith('<facade.capnp:Person builder (id = 0, name = "n", ')
    assert forms[0][5].startswith("<facade.capnp:Person reader (")
    assert forms[0][6] == "<facade.capnp:Person.employment builder (unemployed = void)>"
    if len(forms) == 2:
        assert forms[0] == forms[1]


# -- smaller helpers -------------------------------------------------------


def test_total_size_is_root_and_positional_first_segment(ours: Any, ref: Any) -> None:
    for mod in libs(ours, ref):
        m = mod.Person.new_message(1)  # the first segment's size, positionally
        m.name = "abc"
        m.inner.number = "12345678"
        size = m.total_size.word_count
        assert size == parse(mod.Person, m).total_size.word_count
        assert m.total_size.cap_count == 0
        assert m.is_root and not m.inner.is_root
        assert m.as_reader().is_root and not m.inner.as_reader().is_root
        # A group shares its parent's position but is not the root.
        assert not m.employment.is_root and not m.as_reader().employment.is_root
        assert not parse(mod.Person, m).is_root  # as pycapnp: only a builder's root is
    # 7 data words and 7 pointers, 1 word of name, 2 of inner (and 2 of its number).
    sizes = [mod.Person.new_message(name="abc", inner={"number": "12345678"}).total_size.word_count
             for mod in libs(ours, ref)]
    assert sizes[0] == len(ours.Person.new_message(
        name="abc", inner={"number": "12345678"}).to_bytes()) // 8 - 2
    assert len(set(sizes)) == 1


def test_to_dict_ordered_puts_the_union_member_first(ours: Any, ref: Any) -> None:
    keys = []
    for mod in libs(ours, ref):
        s = mod.Shape.new_message(square=2.0)
        assert s.to_dict() == {"square": 2.0}
        m = mod.Person.new_message(id=1, name="x", employment={"employer": "e"}, extra={"note": "n"})
        d = m.to_dict(ordered=True)
        assert type(d) is OrderedDict and type(d["employment"]) is OrderedDict
        keys.append(list(d["employment"]) + list(d))
        assert d["employment"] == {"employer": "e"}
    assert keys[0] == ["employer", "id", "name", "fruit", "employment", "extra"]
    assert len({tuple(k) for k in keys}) == 1


def test_from_bytes_as_a_builder_in_a_with_statement(ours: Any, ref: Any) -> None:
    got = []
    for mod in libs(ours, ref):
        data = mod.Person.new_message(id=1, name="a").to_bytes()
        with mod.Person.from_bytes(data, builder=True) as m:
            m.id = 2
            got.append((m.id, m.name, m.to_bytes()))
    assert got[0][:2] == (2, "a")
    assert all(g == got[0] for g in got)
    m = ours.Person.from_bytes(got[0][2], builder=True)  # and without ``with`` (pycapnp needs it)
    m.name = "b"
    assert (m.id, m.name) == (2, "b")


def test_copies_take_pycapnp_first_segment_size(ours: Any, ref: Any) -> None:
    for mod in libs(ours, ref):
        m = mod.Person.new_message(id=3, name="c")
        data = m.to_bytes()
        with mod.Person.from_bytes(data) as r:
            b = r.as_builder(num_first_segment_words=16)
        assert (b.id, b.name) == (3, "c")
        c = m.copy(num_first_segment_words=16)
        assert (c.id, c.name) == (3, "c")
        assert b.to_bytes() == c.to_bytes() == data
