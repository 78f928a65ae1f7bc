"""Builder behaviours where pycapnp's semantics decide the values or the bytes.

Each case runs the same statements on our dynamic API and, where pycapnp is
installed, on pycapnp, and compares the values read back and the bytes of
messages built in order (whose layout both must give alike).
"""

from __future__ import annotations

from typing import Any, Callable, List

import pytest

import capnp_lite.dynamic as dyn
from capnp_lite.errors import EncodeError
from capnp_lite.schema import compile_source

SCHEMA = """
@0xd1a2b3c4d5e6f711;

struct Inner { a @0 :Int32 = 7; t @1 :Text; }

struct Root {
  inner @0 :Inner;
  innerd @1 :Inner = (a = 3, t = "x");
  union { ua @2 :Inner; ub @3 :Inner; none @4 :Void; }
  g :group { x @5 :Int32; s @6 :Text; }
  td @7 :Text = "dflt";
  dd @8 :Data = 0x"0102";
  named :union { na @9 :UInt16; nl @10 :List(Text); }
  lint @11 :List(Int32);
  f64 @12 :Float64;
}
"""


@pytest.fixture(scope="module")
def ours() -> Any:
    return dyn.load_request(compile_source(SCHEMA, "semantics.capnp"))


@pytest.fixture(scope="module")
def ref(tmp_path_factory: Any) -> Any:
    capnp = pytest.importorskip("capnp", reason="pycapnp is the reference here; install the dev extra")
    path = tmp_path_factory.mktemp("semantics") / "semantics.capnp"
    path.write_text(SCHEMA)
    return capnp.load(str(path))


def both(ours: Any, ref: Any, steps: Callable[[Any], List[Any]]) -> List[Any]:
    """Run ``steps`` on a new Root of each library; the values (and bytes) must agree."""
    got = steps(ours.Root.new_message())
    want = steps(ref.Root.new_message())
    assert got == want
    return got


def test_a_dict_updates_a_struct_field_instead_of_replacing_it(ours: Any, ref: Any) -> None:
    def steps(m: Any) -> List[Any]:
        m.inner = {"a": 1, "t": "keep"}
        m.inner = {"t": "x"}
        m.innerd = {}  # null: starts from the field's default, not the type's
        return [m.inner.a, m.inner.t, m.innerd.a, m.innerd.t]

    assert both(ours, ref, steps) == [1, "x", 3, "x"]


def test_a_dict_updates_the_active_union_member_and_a_group(ours: Any, ref: Any) -> None:
    def steps(m: Any) -> List[Any]:
        m.ua = {"a": 1, "t": "k"}
        m.ua = {"t": "z"}
        m.g = {"x": 1, "s": "k"}
        m.g = {"s": "z"}
        return [m.which(), m.ua.a, m.ua.t, m.g.x, m.g.s]

    assert both(ours, ref, steps) == ["ua", 1, "z", 1, "z"]


def test_a_dict_for_an_inactive_union_member_starts_it_afresh(ours: Any) -> None:
    # pycapnp refuses this (it cannot read the member it would update); a fresh member is
    # what a dict for a member not yet set means.
    m = ours.Root.new_message()
    m.ua = {"a": 1}
    m.ub = {"t": "q"}
    assert (m.which(), m.ub.a, m.ub.t) == ("ub", 7, "q")


def test_new_message_keyword_dicts_start_from_field_defaults(ours: Any, ref: Any) -> None:
    got = [ours.Root.new_message(innerd={"t": "y"}), ref.Root.new_message(innerd={"t": "y"})]
    assert [(m.innerd.a, m.innerd.t) for m in got] == [(3, "y"), (3, "y")]


def test_reading_a_defaulted_text_or_data_copies_the_default_in(ours: Any, ref: Any) -> None:
    def steps(m: Any) -> List[Any]:
        values = [m.td, m.dd]
        m.lint = [1, 2]  # a later slot: lands behind the copied defaults, as in the reference
        return values + [m.to_bytes()]

    got = both(ours, ref, steps)
    assert got[:2] == ["dflt", b"\x01\x02"]


def test_init_of_a_named_union_clears_only_its_first_member(ours: Any, ref: Any) -> None:
    def steps(m: Any) -> List[Any]:
        m.named.nl = ["dcf"]
        m.init("named")
        return [m.named.which(), m.named.na, m.to_bytes()]

    assert both(ours, ref, steps)[:2] == ["na", 0]


@pytest.mark.parametrize("field, value", [("lint", 5), ("lint", [[1], 5]), ("f64", 10 ** 400)])
def test_unusable_values_raise_encode_error(ours: Any, field: str, value: Any) -> None:
    m = ours.Root.new_message()
    with pytest.raises(EncodeError):
        setattr(m, field, value)


@pytest.mark.parametrize(
    "field, value", [("inner", 5), ("inner", "oops"), ("inner", True), ("inner", [1]), ("g", 5),
                     ("g", "oops"), ("g", [1]), ("ua", 5)],
)
def test_a_refused_struct_or_group_value_leaves_the_old_content(
    ours: Any, ref: Any, field: str, value: Any
) -> None:
    errors: List[str] = []

    def steps(m: Any) -> List[Any]:
        m.inner = {"a": 1, "t": "keep"}
        m.ua = {"a": 2, "t": "keep"}
        m.g = {"x": 3, "s": "keep"}
        try:
            setattr(m, field, value)
        except Exception as exc:
            errors.append(type(exc).__name__)
        return [m.inner.a, m.inner.t, m.which(), m.ua.a, m.ua.t, m.g.x, m.g.s, m.to_bytes()]

    assert both(ours, ref, steps)[:7] == [1, "keep", "ua", 2, "keep", 3, "keep"]
    assert errors == ["EncodeError", "KjException"]


def test_a_refused_struct_value_leaves_the_union_member(ours: Any) -> None:
    # pycapnp switches the union to ``ub`` before it refuses the value; nothing changes here.
    m = ours.Root.new_message()
    m.ua = {"a": 2, "t": "keep"}
    with pytest.raises(EncodeError):
        m.ub = 5
    assert (m.which(), m.ua.a, m.ua.t) == ("ua", 2, "keep")


def test_new_message_refuses_a_struct_value_that_is_not_a_dict(ours: Any, ref: Any) -> None:
    with pytest.raises(EncodeError):
        ours.Root.new_message(inner=5)
    with pytest.raises(Exception):
        ref.Root.new_message(inner=5)
