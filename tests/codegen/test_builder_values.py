"""Generated builders against pycapnp: what a getter of an unset field starts from and
whether reading it changes the message, text that cannot be encoded, and values of the
wrong type (refused as the dynamic API refuses them).

Where pycapnp is not installed (PyPy), the dynamic API, held to pycapnp by its own
tests, stands in for it as the reference for message bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

from capnp_lite.codegen import generate, runtime
from capnp_lite.dynamic import SchemaModule
from capnp_lite.errors import EncodeError

from capnp_lite.schema import compile_source

from .cg_helpers import generated_module

REPO = Path(__file__).resolve().parents[2]

SCHEMA = """@0xb7c5e1f2a3d49e61;

enum Color { red @0; green @1; blue @2; }

struct Inner {
  x @0 :Int32 = 5;
  name @1 :Text;
}

struct Rich {
  a @0 :Int16 = 3;
  c @1 :Color;
  g :group { t @2 :Text; l @3 :List(Int8); }
  union {
    none @4 :Void;
    inner @5 :Inner;
    n @6 :UInt8;
    grp :group { f @7 :Bool = true; s @8 :Text; }
  }
}

# Only texts, data and lists of numbers or texts: written by the fused path.
struct Flat {
  t @0 :Text;
  nums @1 :List(Int32);
  texts @2 :List(Text);
  d @3 :Data;
  b @4 :Bool;
}

struct T {
  st @0 :Inner = (x = 9, name = "nine");
  ls @1 :List(Inner) = [(x = 1), (x = 2, name = "two")];
  rich @2 :Rich = (a = 7, c = blue, g = (t = "gt", l = [1, -2]), grp = (f = false, s = "u"));
  rich2 @3 :Rich = (inner = (x = 11));
  nested @4 :List(List(Inner)) = [[(x = 3)], []];
  plain @5 :Inner;
  nums @6 :List(Int32);
  texts @7 :List(Text);
  structs @8 :List(Inner);
  bools @9 :List(Bool);
  deep @10 :List(List(Text));
  datas @11 :List(Data);
  voids @12 :List(Void);
  numsD @13 :List(Int32) = [4, 5];
  flag @14 :Bool;
  flagT @15 :Bool = true;
  word @16 :UInt16;
  t @17 :Text;
  flats @18 :List(Flat);
  union {
    ua @19 :Text;
    ub @20 :List(Int32);
    uc @21 :Inner = (x = 12);
    ud @22 :Bool;
  }
}
"""


Mods = Tuple[ModuleType, Any, Any]


@pytest.fixture(scope="module")
def mods(tmp_path_factory: pytest.TempPathFactory) -> Mods:
    """(generated module, reference module, dynamic module) of SCHEMA: the reference is
    pycapnp's module, or the dynamic one without pycapnp."""
    import capnp_lite

    tmp = tmp_path_factory.mktemp("cgvalues")
    mod = generated_module(tmp, SCHEMA, "values.capnp")
    path = tmp / "values.capnp"
    path.write_text(SCHEMA)
    dyn = capnp_lite.load(str(path))
    capnp = _pycapnp()
    return mod, (capnp.load(str(path)) if capnp is not None else dyn), dyn


def _pycapnp() -> Optional[Any]:
    try:
        import capnp  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return None
    return capnp


def is_pycapnp(ref: Any) -> bool:
    return not isinstance(ref, SchemaModule)


def ref_bytes(ref: Any, act: Callable[[Any], object]) -> bytes:
    """The reference's message after ``act``, laid out as our builders lay messages out: in
    pre-order, without the words of objects that were replaced (pycapnp's is copied so;
    the dynamic API's ``to_bytes`` already copies)."""
    msg = ref.T.new_message()
    act(msg)
    data: bytes = msg.to_bytes()
    if is_pycapnp(ref):
        with ref.T.from_bytes(data) as reader:
            data = reader.as_builder().to_bytes()
    return data


def ours_bytes(mod: ModuleType, act: Callable[[Any], object]) -> bytes:
    b = mod.T_Builder()
    act(b)
    data: bytes = b.to_bytes()
    return data


# -- getters of unset fields -----------------------------------------------------------

# Pointer fields read (and not set) on a new message: a struct is allocated (with the
# field's default, if any), a list with a default is copied in, a list without stays null.
TOUCHED = ["st", "ls", "rich", "rich2", "nested", "plain", "nums", "texts", "structs",
           "bools", "deep", "datas", "voids", "numsD", "t", "flats"]


@pytest.mark.parametrize("name", TOUCHED)
def test_reading_an_unset_field_writes_what_pycapnp_writes(
        mods: Mods, name: str) -> None:
    mod, ref, _ = mods
    assert ours_bytes(mod, lambda b: getattr(b, name)) == ref_bytes(ref, lambda m: getattr(m, name))


def test_struct_getter_starts_from_the_field_default(mods: Mods) -> None:
    mod, ref, _ = mods
    ours, theirs = mod.T_Builder(), ref.T.new_message()
    assert (ours.st.x, ours.st.name) == (theirs.st.x, theirs.st.name)
    r, rr = ours.rich, theirs.rich
    assert (r.a, int(r.c), r.g.t, list(r.g.l)) == (rr.a, rr.c.raw, rr.g.t, list(rr.g.l))
    assert r.which().name == rr.which() and (r.grp.f, r.grp.s) == (rr.grp.f, rr.grp.s)
    assert ours.rich2.which().name == theirs.rich2.which() == "inner"
    assert ours.rich2.inner.x == theirs.rich2.inner.x
    assert [e.x for e in ours.ls] == [e.x for e in theirs.ls]
    assert [e.name for e in ours.ls] == [e.name for e in theirs.ls]
    assert [[e.x for e in inner] for inner in ours.nested] == [
        [e.x for e in inner] for inner in theirs.nested]
    # Each builder gets its own copy: changing one leaves the next default as it was.
    ours.st.x = 100
    ours.ls[0].x = 100
    fresh = mod.T_Builder()
    assert fresh.st.x == theirs.st.x and fresh.ls[0].x == theirs.ls[0].x


def test_defaults_changed_through_the_getter_are_written(
        mods: Mods) -> None:
    mod, ref, _ = mods

    def act(m: Any) -> None:
        m.st.name = "changed"
        m.ls[1].x = 20
        m.rich.g.l[0] = 9

    assert ours_bytes(mod, act) == ref_bytes(ref, act)
    read = mod.T_Reader.from_bytes(ours_bytes(mod, act))
    assert (read.st.x, read.st.name, [e.x for e in read.ls]) == (9, "changed", [1, 20])


def test_init_gives_the_type_defaults_not_the_field_default(
        mods: Mods) -> None:
    mod, ref, _ = mods
    assert mod.T_Builder().init_st().x == ref.T.new_message().init("st").x
    assert ours_bytes(mod, lambda b: b.init_st()) == ref_bytes(ref, lambda m: m.init("st"))


@pytest.mark.parametrize("pypy", [False, True])
def test_unset_lists_of_struct_list_elements_stay_null(
        mods: Mods, pypy: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fused writer (and its PyPy form) inside a struct list's loop."""
    mod, ref, _ = mods
    monkeypatch.setattr(runtime, "PYPY", pypy)
    monkeypatch.setattr(runtime, "_PYPY", pypy)

    def ours(b: Any) -> None:
        first, second = b.init_flats(2)
        first.nums, first.texts, second.d, second.t  # read, not filled
        second.nums.append(7)
        second.texts.append("x")

    def theirs(m: Any) -> None:
        first, second = m.init("flats", 2)
        first.nums, first.texts, second.d, second.t
        second.nums = [7]
        second.texts = ["x"]

    assert ours_bytes(mod, ours) == ref_bytes(ref, theirs)


def test_getter_lists_filled_in_place_are_written(mods: Mods) -> None:
    mod, ref, _ = mods

    def ours(b: Any) -> None:
        b.nums.append(3)
        b.texts.extend(["a", "b"])
        b.bools.append(True)
        b.deep.append(["x"])
        b.structs.append(mod.Inner_Builder())

    def theirs(m: Any) -> None:
        m.nums = [3]
        m.texts = ["a", "b"]
        m.bools = [True]
        m.deep = [["x"]]
        m.init("structs", 1)

    assert ours_bytes(mod, ours) == ref_bytes(ref, theirs)


@pytest.mark.parametrize("name", ["nums", "texts", "structs", "bools", "deep", "datas", "voids"])
def test_an_assigned_empty_list_is_written(mods: Mods, name: str) -> None:
    mod, ref, _ = mods
    data = ours_bytes(mod, lambda b: setattr(b, name, []))
    assert data == ref_bytes(ref, lambda m: setattr(m, name, []))
    with ref.T.from_bytes(data) as r:
        assert r._has(name)
    data = ours_bytes(mod, lambda b: getattr(b, "init_" + name)(0))
    assert data == ref_bytes(ref, lambda m: m.init(name, 0))


# -- text that cannot be encoded ---------------------------------------------------------

SURROGATES = ["\ud800", "ok\udcff"]


def _flat_of(b: Any) -> Any:
    """The first element of a new ``flats`` list, in either API."""
    return b.init_flats(1)[0] if hasattr(b, "init_flats") else b.init("flats", 1)[0]


TEXT_SETTERS: Dict[str, Tuple[Callable[[Any, str], None], str]] = {
    # case: (how to set it in either API, what the error names)
    "text field": (lambda b, v: setattr(b, "t", v), "T.t"),
    "union text": (lambda b, v: setattr(b, "ua", v), "T.ua"),
    "struct's text": (lambda b, v: setattr(b.st, "name", v), "Inner.name"),
    "fused text": (lambda b, v: setattr(_flat_of(b), "t", v), "Flat.t"),
    "text list": (lambda b, v: setattr(b, "texts", [v]), "List(Text)"),
    "fused text list": (lambda b, v: setattr(_flat_of(b), "texts", ["fine", v]), "List(Text)"),
    "nested text list": (lambda b, v: setattr(b, "deep", [["a"], [v]]), "List(Text)"),
}


@pytest.mark.parametrize("value", SURROGATES)
@pytest.mark.parametrize("case", sorted(TEXT_SETTERS))
@pytest.mark.parametrize("pypy", [False, True])
def test_lone_surrogates_raise_encode_error(
        mods: Mods, case: str, value: str, pypy: bool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    mod, ref, _ = mods
    monkeypatch.setattr(runtime, "PYPY", pypy)
    monkeypatch.setattr(runtime, "_PYPY", pypy)
    setter, where = TEXT_SETTERS[case]
    b = mod.T_Builder()
    setter(b, value)
    with pytest.raises(EncodeError, match="cannot be encoded as UTF-8") as info:
        b.to_bytes()
    assert where in str(info.value)
    if is_pycapnp(ref):
        with pytest.raises(UnicodeEncodeError):  # pycapnp refuses it too
            setter(ref.T.new_message(), value)
    # The same value without the surrogate is written as usual.
    b = mod.T_Builder()
    setter(b, value.replace("\ud800", "").replace("\udcff", ""))
    b.to_bytes()


def test_raw_pointer_text_with_a_surrogate() -> None:
    with pytest.raises(EncodeError):
        runtime.RawPointer.of_text("\ud800")


# -- values of the wrong type --------------------------------------------------------------

def _setter(where: str) -> Callable[[Any, object], None]:
    """Sets field ``where`` (``flat.x``: of a new ``flats`` element) in either API."""
    if where.startswith("flat."):
        return lambda b, value: setattr(_flat_of(b), where[5:], value)
    return lambda b, value: setattr(b, where, value)


# (where, value): refused by pycapnp, by the dynamic API and by the generated builders.
REFUSED: List[Tuple[str, object]] = [
    ("flag", None), ("flag", "x"), ("flag", 1.0), ("flag", []),
    ("flagT", None), ("ud", None), ("flat.b", None), ("flat.b", "yes"),
    ("bools", [None]), ("bools", ["x"]), ("bools", [1.0]), ("bools", "ab"),
    ("deep", "ab"), ("deep", ["ab"]), ("texts", "ab"), ("flat.texts", "ab"),
    ("t", 5), ("ua", 5), ("flat.t", 5),
    ("structs", "ab"), ("plain", 5), ("nums", 5), ("flat.nums", 5),
    ("word", None), ("word", -1), ("word", 1 << 16),
]
# Refused by the dynamic API and the generated builders; pycapnp takes a float holding an
# integer (the dynamic API's docstring lists this).
REFUSED_BUT_BY_PYCAPNP: List[Tuple[str, object]] = [("word", 1.0), ("nums", [1.0])]


def _refuses(api: Any, where: str, value: object) -> bool:
    try:
        msg = api.T.new_message()
        _setter(where)(msg, value)
        msg.to_bytes()
    except Exception:
        return True
    return False


@pytest.mark.parametrize("where, value", REFUSED + REFUSED_BUT_BY_PYCAPNP)
def test_wrong_values_are_refused(mods: Mods, where: str,
                                  value: object) -> None:
    mod, ref, dyn = mods
    b = mod.T_Builder()
    _setter(where)(b, value)
    with pytest.raises(EncodeError):
        b.to_bytes()
    assert _refuses(dyn, where, value)
    if is_pycapnp(ref):
        assert _refuses(ref, where, value) == ((where, value) in REFUSED)


def test_a_struct_field_refuses_another_structs_builder(
        mods: Mods) -> None:
    mod, _, _ = mods
    b = mod.T_Builder()
    b.plain = mod.Flat_Builder()
    with pytest.raises(EncodeError, match="T.plain"):
        b.to_bytes()
    b.plain = mod.Inner_Builder()
    b.to_bytes()


# (where, value): refused by pycapnp but taken by the dynamic API, and so by the generated
# builders, the same way: integers as truth values for Bool, None as a null pointer.
TAKEN_AS_DYNAMIC: List[Tuple[str, object]] = [
    ("flag", 1), ("flag", 0), ("flag", 2), ("flagT", 0), ("flagT", 5), ("ud", 3),
    ("flat.b", 2), ("bools", [2, 0, 1, True]), ("bools", [256]),
    ("t", None), ("ua", None), ("nums", None), ("structs", None), ("plain", None),
    ("deep", [None, ["a"]]), ("flat.texts", None),
]


@pytest.mark.parametrize("where, value", TAKEN_AS_DYNAMIC)
def test_values_taken_as_the_dynamic_api_takes_them(
        mods: Mods, where: str, value: object) -> None:
    mod, ref, dyn = mods
    b = mod.T_Builder()
    _setter(where)(b, value)
    msg = dyn.T.new_message()
    _setter(where)(msg, value)
    assert b.to_bytes() == msg.to_bytes()
    if is_pycapnp(ref):
        assert _refuses(ref, where, value)


def test_module_with_defaults_passes_mypy_strict(tmp_path: Path) -> None:
    """The functions building struct and list defaults (groups, unions, enums, nested
    lists) type-check with the builders they fill."""
    pytest.importorskip("mypy")
    if sys.implementation.name != "cpython":
        pytest.skip("mypy runs on CPython")
    for name, text in generate(compile_source(SCHEMA, "values.capnp")).items():
        (tmp_path / f"{name}.py").write_text(text, encoding="utf-8")
    assert "def _DB" in (tmp_path / "values_capnp.py").read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
         "--cache-dir", str(tmp_path / ".mypy_cache"), "values_capnp.py"],
        cwd=str(tmp_path), env=dict(os.environ, MYPYPATH=str(REPO)),
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
