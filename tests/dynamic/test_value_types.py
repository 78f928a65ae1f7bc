"""Values of the wrong type for a field: what the dynamic builders take and refuse.

A struct or list copied in must have the field's own type (its words would
otherwise be read through another schema); pycapnp is the reference for
what is refused and for the values left behind.
"""

from __future__ import annotations

from typing import Any, Callable, List

import pytest

import capnp_lite.dynamic as dyn
from capnp_lite.errors import EncodeError
from capnp_lite.schema import compile_source

SCHEMA = """
@0xd1a2b3c4d5e6f721;

struct A { x @0 :Int32; t @1 :Text; }
struct B { y @0 :Int64; name @1 :Text; }
enum E { e0 @0; e1 @1; }
enum F { f0 @0; f1 @1; }

struct S {
  a @0 :A;
  la @1 :List(A);
  li @2 :List(Int32);
  lla @3 :List(List(A));
  le @4 :List(E);
  lf @5 :List(F);
  g :group { z @6 :Int8; s @7 :Text; }
  lt @8 :List(Text);
  lli @9 :List(List(Int32));
  h :group { union { hn @10 :Int32; ht @11 :Text; hv @13 :Void; } hl @12 :List(Int32); }
  v @14 :Void;
  lv @15 :List(Void);
  te @16 :Text = "";
  de @17 :Data = "";
}
"""


@pytest.fixture(scope="module")
def ours() -> Any:
    return dyn.load_request(compile_source(SCHEMA, "value_types.capnp"))


@pytest.fixture(scope="module")
def ref(tmp_path_factory: Any) -> Any:
    capnp = pytest.importorskip("capnp", reason="pycapnp is the reference here; install the dev extra")
    path = tmp_path_factory.mktemp("value_types") / "value_types.capnp"
    path.write_text(SCHEMA)
    return capnp.load(str(path))


def _outcome(mod: Any, steps: Callable[[Any, Any], None]) -> List[Any]:
    """Run ``steps`` on a new S holding some values: the error's name, then what S holds."""
    m = mod.S.new_message(a={"x": 1, "t": "keep"}, la=[{"x": 2}], li=[3], le=["e1"])
    try:
        steps(mod, m)
        error = None
    except Exception as exc:
        error = type(exc).__name__
    return [error, str(m)]


OTHER_TYPES = {
    "struct builder": lambda mod, m: setattr(m, "a", mod.B.new_message(y=5, name="bob")),
    "struct reader": lambda mod, m: setattr(m, "a", mod.B.new_message(y=5).as_reader()),
    "group": lambda mod, m: setattr(m, "a", mod.S.new_message(g={"z": 1}).g),
    "struct in a list": lambda mod, m: setattr(m, "la", [mod.B.new_message(y=5)]),
    "list element": lambda mod, m: m.la.__setitem__(0, mod.B.new_message(y=3)),
    "struct list for numbers": lambda mod, m: setattr(m, "li", mod.S.new_message(la=[{"x": 7}]).la),
    "number list for structs": lambda mod, m: setattr(m, "la", mod.S.new_message(li=[1, 2]).li),
    "list of lists": lambda mod, m: setattr(m, "lla", [mod.S.new_message(li=[1]).li]),
    "enum list": lambda mod, m: setattr(m, "le", mod.S.new_message(lf=["f1"]).lf),
}


# pycapnp writes these lists element by element and stops at the bad one, leaving the field a
# half-written new list; we put the field's old pointer back, so it keeps its old value.
UNTOUCHED_HERE = {"struct in a list", "list of lists"}


@pytest.mark.parametrize("case", sorted(OTHER_TYPES))
def test_a_struct_or_list_of_another_type_is_refused(ours: Any, ref: Any, case: str) -> None:
    got = _outcome(ours, OTHER_TYPES[case])
    want = _outcome(ref, OTHER_TYPES[case])
    assert want[0] == "KjException"
    if case in UNTOUCHED_HERE:
        before = _outcome(ours, lambda mod, m: None)[1]
        assert got == ["EncodeError", before] and want[1] != before
    else:
        assert got == ["EncodeError", want[1]]


SAME_TYPES = {
    "struct builder": lambda mod, m: setattr(m, "a", mod.A.new_message(x=5, t="new")),
    "struct reader": lambda mod, m: setattr(m, "a", mod.A.new_message(x=5).as_reader()),
    "list element": lambda mod, m: m.la.__setitem__(0, mod.A.new_message(x=3)),
    "struct list": lambda mod, m: setattr(m, "la", mod.S.new_message(la=[{"x": 7}]).la),
    "list of lists": lambda mod, m: setattr(m, "lla", [mod.S.new_message(la=[{"x": 4}]).la]),
    "enum list": lambda mod, m: setattr(m, "le", mod.S.new_message(le=["e0", "e1"]).le),
    # lists of numbers and of Text a reader reads in one pass
    "number list": lambda mod, m: setattr(m, "li", _read(mod, li=[1, 2]).li),
    "text list": lambda mod, m: setattr(m, "lt", _read(mod, lt=["p", "q"]).lt),
    "number list in a list": lambda mod, m: setattr(m, "lli", [_read(mod, li=[4]).li]),
}


def _read(mod: Any, **fields: Any) -> Any:
    """A reader of a new S holding ``fields``."""
    return mod.S.new_message(**fields).as_reader()


@pytest.mark.parametrize("case", sorted(SAME_TYPES))
def test_a_struct_or_list_of_the_same_type_is_copied(ours: Any, ref: Any, case: str) -> None:
    got = _outcome(ours, SAME_TYPES[case])
    assert got == _outcome(ref, SAME_TYPES[case])
    assert got[0] is None


@pytest.mark.parametrize("as_reader", [False, True])
def test_a_group_copied_in_leaves_the_other_fields(ours: Any, ref: Any, as_reader: bool) -> None:
    # A group's words are its parent's: only the group's own fields are copied.
    def steps(mod: Any, m: Any) -> None:
        other = mod.S.new_message(a={"x": 9}, li=[9], g={"z": 6, "s": "gs"}, h={"ht": "u", "hl": [5]})
        m.h.hn = 4
        m.g = other.g.as_reader() if as_reader else other.g
        m.h = other.h.as_reader() if as_reader else other.h

    got = _outcome(ours, steps)
    assert got == _outcome(ref, steps)
    assert got[0] is None
    assert "a = (x = 1" in got[1] and 'g = (z = 6, s = "gs")' in got[1]


def test_the_same_struct_from_another_load_of_the_schema_is_copied(ours: Any) -> None:
    # Types are told apart by node ID: another load of the same file gives the same IDs.
    again = dyn.load_request(compile_source(SCHEMA, "value_types.capnp"))
    m = ours.S.new_message()
    m.a = again.A.new_message(x=9)
    m.la = again.S.new_message(la=[{"x": 8}]).la
    assert (m.a.x, m.la[0].x) == (9, 8)


def test_the_error_names_both_types(ours: Any) -> None:
    m = ours.S.new_message()
    with pytest.raises(EncodeError, match="expected a value_types.capnp:A, got a value_types.capnp:B"):
        m.a = ours.B.new_message()
    with pytest.raises(EncodeError, match=r"expected a List\(int32\), got a List\(value_types.capnp:A\)"):
        m.li = ours.S.new_message(la=[{}]).la


VOIDS = {
    "an int": lambda mod, m: setattr(m, "v", 5),
    "a str": lambda mod, m: setattr(m, "v", "oops"),
    "a list": lambda mod, m: setattr(m, "v", [1]),
    "a union member": lambda mod, m: setattr(m.h, "hv", 7),
    "a list element": lambda mod, m: m.lv.__setitem__(0, 42),
    "list elements": lambda mod, m: setattr(m, "lv", [None, "x"]),
}


@pytest.mark.parametrize("case", sorted(VOIDS))
def test_void_takes_only_none(ours: Any, ref: Any, case: str) -> None:
    def steps(mod: Any, m: Any) -> None:
        m.h.hn = 4
        m.lv = [None, None]
        VOIDS[case](mod, m)

    got = _outcome(ours, steps)
    assert got[0] == "EncodeError"
    want = _outcome(ref, steps)
    assert want[0] == "KjException"
    # pycapnp moves the union to ``hv`` before it refuses the value; both replace a list
    # before they look at its elements.
    if case not in ("a union member", "list elements"):
        assert got[1] == want[1]
    assert "h = (hn = 4" in got[1]


def test_void_takes_none(ours: Any, ref: Any) -> None:
    def steps(mod: Any, m: Any) -> None:
        m.h.hn = 4
        m.v = None
        m.lv = [None, None]
        m.lv[1] = None
        m.h.hv = None

    got = _outcome(ours, steps)
    assert got == _outcome(ref, steps)
    assert got[0] is None and "h = (hv = void" in got[1]


def test_reading_an_empty_text_or_data_default_leaves_the_field_unset(ours: Any, ref: Any) -> None:
    # Only a default with content is copied into the message when a builder reads it.
    def steps(mod: Any, m: Any) -> None:
        assert (m.te, m.de) == ("", b"")
        m.li = [7]  # a later object: placed as in the reference

    got = _outcome(ours, steps)
    assert got == _outcome(ref, steps)
    assert "te =" not in got[1]
    m = ours.S.new_message()
    _ = m.te, m.de
    assert not m._has("te") and not m._has("de")
    assert m.to_bytes() == ours.S.new_message().to_bytes()


@pytest.mark.parametrize("name", ["a", "g", "h"])
def test_init_with_a_size_is_refused_for_a_struct_or_group(ours: Any, ref: Any, name: str) -> None:
    def steps(mod: Any, m: Any) -> None:
        m.h.ht = "keep"
        m.init(name, 3)

    got = _outcome(ours, steps)
    want = _outcome(ref, steps)
    assert (got[0], want[0]) == ("UsageError", "KjException")
    assert got[1] == want[1]
    m = ours.S.new_message()
    with pytest.raises(TypeError, match="only valid for list, text, or data fields"):
        m.init(name, 3)


def test_init_of_a_scalar_union_member_leaves_the_union(ours: Any) -> None:
    m = ours.S.new_message()
    m.h.ht = "keep"
    with pytest.raises(TypeError):
        m.h.init("hn")
    assert (m.h.which(), m.h.ht) == ("ht", "keep")


@pytest.mark.parametrize("name, size", [("te", 3), ("de", 2), ("te", 0), ("de", 0)])
def test_init_of_text_or_data_returns_the_new_value(ours: Any, ref: Any, name: str, size: int) -> None:
    got = []
    for mod in (ours, ref):
        m = mod.S.new_message()
        got.append((m.init(name, size), getattr(m, name), m.to_bytes()))
    assert got[0] == got[1]
    assert got[0][0] == ("\0" * size if name == "te" else bytes(size))


REFUSED_LISTS = {
    "text list holding a number": ("lt", ["a", 5]),
    "number list holding text": ("li", [3, "x"]),
    "number out of range": ("li", [3, 1 << 40]),
    "struct list with a bad value": ("la", [{"x": 1}, {"x": "bad"}]),
    "struct list with an unknown field": ("la", [{"x": 1}, {"nope": 1}]),
    "list of lists with a bad element": ("lli", [[1], ["x"]]),
}


@pytest.mark.parametrize("case", sorted(REFUSED_LISTS))
def test_a_refused_list_leaves_the_field_as_it_was(ours: Any, case: str) -> None:
    field, value = REFUSED_LISTS[case]
    m = ours.S.new_message(la=[{"x": 2}], li=[3], lt=["keep"], lli=[[7]])
    before = m.to_bytes()
    with pytest.raises((EncodeError, AttributeError)):
        setattr(m, field, value)
    assert m.to_bytes() == before
    m.lt = ["after", "wards"]  # and the message goes on being usable
    assert list(m.lt) == ["after", "wards"] and list(m.li) == [3]


UNION_SCHEMA = """
@0xd1c3a2b4e5f607a0;
struct In { a @0 :Int32; t @1 :Text; }
struct U { union { n @0 :Int32; s @1 :In; } }
"""


def test_a_refused_dict_leaves_an_inactive_union_member_as_it_was() -> None:
    m = dyn.load_request(compile_source(UNION_SCHEMA, "union_dict.capnp"))
    u = m.U.new_message(n=5)
    before = u.to_bytes()
    for bad in ({"a": "x"}, {"t": "ok", "nope": 1}):
        with pytest.raises((EncodeError, AttributeError)):
            u.s = bad  # s is not active: the dict would start it afresh
        assert u.to_bytes() == before and u.which == "n"
    u.s = {"a": 1, "t": "fine"}
    assert u.which == "s" and (u.s.a, u.s.t) == (1, "fine")


CAPS_SCHEMA = """
@0xd1c3a2b4e5f607a1;
interface Peer { ping @0 () -> (); }
struct W { c @0 :Peer; n @1 :Int8; }
struct Box { ws @0 :List(W); name @1 :Text; }
"""


def test_a_refused_value_takes_its_capabilities_back_out() -> None:
    import pickle

    m = dyn.load_request(compile_source(CAPS_SCHEMA, "refused_caps.capnp"))

    class PeerImpl(m.Peer.Server):  # type: ignore[misc, name-defined]
        pass

    box = m.Box.new_message(name="kept")
    with pytest.raises(EncodeError):
        box.ws = [{"c": PeerImpl()}, {"n": "bad"}]  # the first element's capability went in
    # The cap table is as it was: the message still pickles (a capability would forbid it).
    assert pickle.loads(pickle.dumps(box)).name == "kept" and len(box.ws) == 0
    box.ws = [{"c": PeerImpl(), "n": 1}]
    with pytest.raises(TypeError, match="capabilities"):
        pickle.dumps(box)
