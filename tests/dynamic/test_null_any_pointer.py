"""A null AnyPointer field of a dynamic reader reads as pycapnp reads it: an object whose
``as_text()`` is empty, ``as_struct()`` a struct of defaults and ``as_list()`` empty."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Tuple

import pytest

import capnp_lite

SCHEMA = """@0xc1d27e3f4a5b6c71;

struct Inner { x @0 :Int32 = 5; }

struct Holder {
  any @0 :AnyPointer;
  anyStruct @1 :AnyStruct;
  anyList @2 :AnyList;
  cap @3 :Capability;
  union {
    none @4 :Void;
    inUnion @5 :AnyPointer;
  }
}
"""

FIELDS = ["any", "anyStruct", "anyList", "cap"]


@pytest.fixture(scope="module")
def mods(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Any, Optional[Any]]:
    """(dynamic module, pycapnp module or None where it is not installed) of SCHEMA."""
    path: Path = tmp_path_factory.mktemp("nullany") / "nullany.capnp"
    path.write_text(SCHEMA)
    try:
        import capnp  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return capnp_lite.load(str(path)), None
    return capnp_lite.load(str(path)), capnp.load(str(path))


@pytest.mark.parametrize("name", FIELDS)
def test_null_any_pointer_reads_as_pycapnp(mods: Tuple[Any, Optional[Any]], name: str) -> None:
    dyn, ref = mods
    data = dyn.Holder.new_message().to_bytes()
    ours = getattr(dyn.Holder.from_bytes(data), name)
    assert ours is not None
    # (what pycapnp 2.2.4 gives, checked against it below where it is installed)
    assert ours.as_text() == "" and ours.as_data() == b""
    assert ours.as_struct(dyn.Inner).x == 5 and list(ours.as_list(dyn.Inner)) == []
    if ref is None:
        return
    with ref.Holder.from_bytes(data) as reader:
        theirs = getattr(reader, name)
        assert theirs is not None and theirs.as_text() == ""
        assert theirs.as_struct(ref.Inner).x == 5


def test_null_union_member_and_what_stays_the_same(mods: Tuple[Any, Optional[Any]]) -> None:
    dyn, ref = mods
    b = dyn.Holder.new_message()
    b.inUnion.set_as_text("set")
    r = dyn.Holder.from_bytes(b.to_bytes())
    assert r.inUnion.as_text() == "set" and r.any.as_text() == ""
    assert r.any.as_data() == b""
    # Still absent from has-checks and dicts, and copied as null.
    assert not r._has("any") and "any" not in r.to_dict()
    copy = dyn.Holder.new_message()
    copy.any = r.any
    assert not dyn.Holder.from_bytes(copy.to_bytes())._has("any")
    if ref is None:
        return
    with ref.Holder.from_bytes(copy.to_bytes()) as reader:
        assert not reader._has("any")


def test_a_lone_surrogate_that_stands_for_no_byte_is_an_encode_error() -> None:
    from capnp_lite import dynamic
    from capnp_lite.errors import EncodeError
    from capnp_lite.schema import compile_source

    m = dynamic.load_request(compile_source(
        "@0xd3c4b5a697887745;\nstruct T { t @0 :Text; l @1 :List(Text); }\n", "sur.capnp"))
    for field, value in (("t", "\ud800"), ("l", ["ok", "\ud800"])):
        b = m.T.new_message()
        with pytest.raises(EncodeError, match="cannot be encoded as UTF-8"):
            setattr(b, field, value)
    b = m.T.new_message()
    b.t = "a\udc80"  # stands for the byte 0x80, as the text printer writes it
    assert b"a\x80\x00" in b.to_bytes()
