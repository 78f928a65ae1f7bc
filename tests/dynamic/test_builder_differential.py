"""Random sequences of builder operations, run on our dynamic API and on pycapnp side by side.

Each example sets fields of every kind (scalars with and without defaults, texts, data,
lists, nested structs by dict and by ``init``, struct lists, lists of lists, union members,
groups) in a random order, often setting a field again, and then compares the two messages:
their ``to_dict()``, and their bytes once laid out in pre-order (ours as ``to_bytes()``
gives them, pycapnp's through a copy, which it lays out that way).  Each side also reads the
other's bytes.  The fast setters take many special paths (pending roots, the pre-order
tracking that lets ``to_bytes()`` skip its copy, one-step list writers); this is where a
wrong word would show.  The generated API's builders (which serialise a tree of Python
objects at the end) go through the same operations.  pycapnp cannot be installed on PyPy,
so this runs on CPython only.
"""

from __future__ import annotations

import string
from typing import Any, Callable, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import capnp_lite

from .. import reference

capnp = pytest.importorskip("capnp", reason="pycapnp is the reference here (CPython only)")

SCHEMA = """
@0xd1c3a2b4e5f6071c;

enum Color { red @0; green @1; blue @2; }

struct Inner { a @0 :Int32; t @1 :Text; }

struct Root {
  i8 @0 :Int8;
  u16 @1 :UInt16 = 7;
  i64 @2 :Int64;
  f32 @3 :Float32;
  f64 @4 :Float64 = 1.5;
  b @5 :Bool;
  bt @6 :Bool = true;
  t @7 :Text;
  d @8 :Data;
  e @9 :Color = green;
  li @10 :List(Int32);
  lt @11 :List(Text);
  lb @12 :List(Bool);
  lf @13 :List(Float64);
  inner @14 :Inner;
  items @15 :List(Inner);
  ll @16 :List(List(Int16));
  union {
    ua @17 :Int16;
    ub @18 :Text;
    uc @19 :Inner;
    un @20 :Void;
  }
  g :group { x @21 :UInt8; y @22 :Text; }
  td @23 :Text = "dflt";
}
"""

Op = Tuple[str, Any]

# Mostly ASCII (the setters' fastest paths), sometimes any UTF-8.
texts = st.one_of(st.text(string.ascii_letters + string.digits, max_size=20),
                  st.text(st.characters(codec="utf-8", exclude_characters="\0"), max_size=20))
inner = st.fixed_dictionaries({}, optional={"a": st.integers(-2**31, 2**31 - 1), "t": texts})
ops: st.SearchStrategy[Op] = st.one_of(
    st.tuples(st.just("i8"), st.integers(-128, 127)),
    st.tuples(st.just("u16"), st.integers(0, 65535)),
    st.tuples(st.just("i64"), st.integers(-2**63, 2**63 - 1)),
    st.tuples(st.just("f32"), st.floats(width=32, allow_nan=False)),
    st.tuples(st.just("f64"), st.floats(allow_nan=False)),
    st.tuples(st.sampled_from(["b", "bt"]), st.booleans()),
    st.tuples(st.sampled_from(["t", "td", "ub"]), texts),
    st.tuples(st.just("d"), st.binary(max_size=20)),
    st.tuples(st.just("e"), st.sampled_from(["red", "green", "blue"])),
    st.tuples(st.just("li"), st.lists(st.integers(-2**31, 2**31 - 1), max_size=12)),
    st.tuples(st.just("lt"), st.lists(texts, max_size=6)),
    st.tuples(st.just("lb"), st.lists(st.booleans(), max_size=70)),
    st.tuples(st.just("lf"), st.lists(st.floats(allow_nan=False), max_size=5)),
    # (a dict assigned to an inactive union member: pycapnp raises, we start it afresh)
    st.tuples(st.just("inner"), inner),
    st.tuples(st.sampled_from(["init inner", "init uc"]), inner),
    st.tuples(st.just("items"), st.lists(inner, max_size=4)),
    st.tuples(st.just("init items"), st.lists(inner, max_size=4)),
    st.tuples(st.just("ll"), st.lists(st.lists(st.integers(-2**15, 2**15 - 1), max_size=4), max_size=3)),
    st.tuples(st.just("ua"), st.integers(-2**15, 2**15 - 1)),
    st.tuples(st.just("un"), st.none()),
    st.tuples(st.just("g.x"), st.integers(0, 255)),
    st.tuples(st.just("g.y"), texts),
)


def apply(root: Any, op: Op) -> None:
    name, value = op
    if name in ("init inner", "init uc"):
        sub = root.init(name[5:])
        for k, v in value.items():
            setattr(sub, k, v)
    elif name == "init items":
        items = root.init("items", len(value))
        for element, fields in zip(items, value):
            for k, v in fields.items():
                setattr(element, k, v)
    elif name.startswith("g."):
        setattr(root.g, name[2:], value)
    else:
        setattr(root, name, value)


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Any, Any]:
    path = reference.schema_file(tmp_path_factory, "differential.capnp", SCHEMA)
    ref = reference.pycapnp_module(path)
    assert ref is not None
    return capnp_lite.load(str(path)), ref


def preorder_bytes(ref: Any, data: bytes) -> Tuple[bytes, bytes]:
    """pycapnp's message copied, so laid out in pre-order: framed, and packed."""
    with ref.Root.from_bytes(data) as r:
        copied = r.as_builder()
        return copied.to_bytes(), copied.to_bytes_packed()


def outcome(step: Callable[[], Any]) -> Any:
    try:
        return step()
    except Exception as exc:  # both must refuse alike: compared by kind, not message
        return ("error", type(exc).__name__ in ("EncodeError", "KjException", "ValueError",
                                                 "TypeError", "OverflowError"))


@pytest.mark.filterwarnings("ignore:This message has already been written once")
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ops, max_size=14))
def test_random_builds_match_pycapnp(modules: Tuple[Any, Any], steps: List[Op]) -> None:
    ours_mod, ref_mod = modules
    ours = ours_mod.Root.new_message()
    ref = ref_mod.Root.new_message()
    for op in steps:
        assert outcome(lambda: apply(ours, op)) == outcome(lambda: apply(ref, op)), op
    assert ours.to_dict() == ref.to_dict()
    assert str(ours) == str(ref)
    ours_bytes = ours.to_bytes()
    ref_bytes = ref.to_bytes()
    assert (ours_bytes, ours.to_bytes_packed()) == preorder_bytes(ref_mod, ref_bytes)
    # Each reads the other's bytes alike (pycapnp's as written, unused words and all).
    assert ours_mod.Root.from_bytes(ref_bytes).to_dict() == ref.to_dict()
    with ref_mod.Root.from_bytes(ours_bytes) as back:
        assert back.to_dict() == ours.to_dict()


def test_the_operations_reach_every_field(modules: Tuple[Any, Any]) -> None:
    # The strategy names every field of Root (so a field added to the schema is not forgotten).
    names = {"i8", "u16", "i64", "f32", "f64", "b", "bt", "t", "td", "ub", "d", "e", "li", "lt",
             "lb", "lf", "inner", "uc", "items", "ll", "ua", "un", "g"}
    assert names == set(modules[0].Root.schema.fieldnames)


def test_a_known_sequence(modules: Tuple[Any, Any]) -> None:
    # One fixed sequence through the same comparison (set again, union switched, group).
    steps: List[Op] = [("t", "x"), ("items", [{"a": 1}, {"t": "y"}]), ("t", "again"),
                       ("init uc", {"a": 5}), ("ub", "u"), ("g.y", "gy"), ("init items", [{"a": 2}]),
                       ("lt", ["a", "", "ccc"]), ("ll", [[1], [], [2, 3]]), ("e", "blue")]
    test_random_builds_match_pycapnp.hypothesis.inner_test(modules, steps)  # type: ignore[attr-defined]


# -- the generated API's builders, through the same operations --------------------------


def apply_generated(m: Any, root: Any, op: Op) -> None:
    """``apply`` in the generated API's terms (no dict assignment: a struct is initialised
    and filled; enums are the generated IntEnum)."""
    name, value = op
    if name in ("inner", "init inner", "init uc"):
        # (a dict assigned to a struct field updates it, as pycapnp does: the getter's builder)
        sub = root.init_uc() if name == "init uc" else root.init_inner() if name == "init inner" \
            else root.inner
        for k, v in value.items():
            setattr(sub, k, v)
    elif name in ("items", "init items"):
        for element, fields in zip(root.init_items(len(value)), value):
            for k, v in fields.items():
                setattr(element, k, v)
    elif name.startswith("g."):
        setattr(root.g, name[2:], value)
    elif name == "e":
        root.e = m.Color[value]
    else:
        setattr(root, name, value)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from ..codegen.cg_helpers import generated_module

    return generated_module(tmp_path_factory.mktemp("differential_gen"), SCHEMA, "differential.capnp")


@pytest.mark.filterwarnings("ignore:This message has already been written once")
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ops, max_size=14))
def test_random_generated_builds_match_pycapnp(modules: Tuple[Any, Any], generated: Any,
                                               steps: List[Op]) -> None:
    ref_mod = modules[1]
    ours = generated.Root_Builder()
    ref = ref_mod.Root.new_message()
    members = set()
    for op in steps:
        if op[0] == "uc":
            continue  # (a dict assignment: not in the generated API)
        assert outcome(lambda: apply_generated(generated, ours, op)) == outcome(lambda: apply(ref, op)), op
        if op[0] in ("ua", "ub", "init uc", "un"):
            members.add(op[0])
    ours_bytes = ours.to_bytes()
    with ref_mod.Root.from_bytes(ours_bytes) as back:
        assert back.to_dict() == ref.to_dict()
    if len(members) <= 1:
        # The same bytes, except where the union switched members: pycapnp leaves the old
        # member's data bits in place (as C++ does), the generated builder writes only the
        # active member's.
        assert (ours_bytes, ours.to_bytes_packed()) == preorder_bytes(ref_mod, ref.to_bytes())
