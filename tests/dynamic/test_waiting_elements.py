"""Elements of a new struct list that keep their values until the message's words are needed
(``capnp_lite/dynamic/batch.py``).

Each test builds the same content twice: through waiting elements, and eagerly (the message
viewed first, which stops lists from waiting), and checks the two give the same bytes, the
same errors at the same moment, and the same values read back at any point in between.
"""

from __future__ import annotations

import math
from typing import Any, Callable, List, Tuple

import pytest
from hypothesis import given, settings, strategies as st

import capnp_lite.dynamic as dyn
from capnp_lite.dynamic.batch import element_plan_of
from capnp_lite.errors import EncodeError, NoSuchFieldError
from capnp_lite.schema import compile_source

SCHEMA = """
@0xd3c4b5a697887755;

enum Kind { zero @0; one @1; two @2; }

struct Inner { x @0 :Int32; }

struct Row {
  text @0 :Text;
  blob @1 :Data;
  flag @2 :Bool;
  tiny @3 :Int8;
  word @4 :UInt16;
  kind @5 :Kind;
  big @6 :UInt64;
  half @7 :Float32;
  real @8 :Float64;
  names @9 :List(Text);
  ints @10 :List(Int64);
  reals @11 :List(Float64);
  shorts @12 :List(UInt8);
  inner @13 :Inner;
  deflt @14 :Int32 = 7;
  on @15 :Bool = true;
  union {
    empty @16 :Void;
    label @17 :Text;
    count @18 :UInt32;
  }
  grp :group {
    a @19 :Int16;
    b @20 :Text;
  }
}

struct Table {
  title @0 :Text;
  rows @1 :List(Row);
  more @2 :List(Row);
}
"""


@pytest.fixture(scope="module")
def mod() -> Any:
    return dyn.load_request(compile_source(SCHEMA, "waiting.capnp"))


def _table(mod: Any, eager: bool) -> Any:
    t = mod.Table.new_message()
    if eager:
        t.as_reader()  # a view of the words: no list waits in this message
    t.title = "t"
    return t


def _is_waiting(el: Any) -> bool:
    return type(el) is not el.schema.builder_cls


Edit = Tuple[str, Any]


def _apply(it: Any, edits: List[Edit]) -> List[Any]:
    """Apply ``edits`` to ``it``; each one's outcome (None, or the error's type and text)."""
    out: List[Any] = []
    for name, value in edits:
        try:
            if name.startswith("read:"):
                out.append(("read", _plain(getattr(it, name[5:]))))
                continue
            setattr(it, name, value)
            out.append(None)
        except (EncodeError, TypeError, ValueError) as exc:
            out.append((type(exc), str(exc)))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, (str, bytes, int, float)):
        return value
    return [_plain(v) for v in value]


def _both(mod: Any, rows: List[List[Edit]]) -> Tuple[bytes, bytes, List[Any], List[Any]]:
    results = []
    for eager in (False, True):
        t = _table(mod, eager)
        outcomes = []
        for it, edits in zip(t.init("rows", len(rows)), rows):
            if not outcomes:  # (later ones may have been laid out by an edit that reads)
                assert _is_waiting(it) != eager
            outcomes.append(_apply(it, edits))
        results.append((t.to_bytes(), outcomes))
    (lazy_bytes, lazy_out), (eager_bytes, eager_out) = results
    return lazy_bytes, eager_bytes, lazy_out, eager_out


def test_a_plain_build_is_the_eager_one(mod: Any) -> None:
    rows = [[("text", f"row {k}"), ("blob", bytes(range(k))), ("flag", k % 2 == 1), ("tiny", -k),
             ("word", 1000 + k), ("kind", ["zero", "one", "two"][k % 3]), ("big", k << 40),
             ("half", k / 3), ("real", -k / 7), ("names", ["a" * k, "b", "ccc"]),
             ("ints", [k, -k, 1 << 50]), ("reals", [0.5, -0.0, k]), ("shorts", [k, 255])]
            for k in range(12)]
    lazy, eager, lazy_out, eager_out = _both(mod, rows)
    assert lazy == eager
    assert lazy_out == eager_out
    r = mod.Table.from_bytes(lazy)
    assert [row.text for row in r.rows] == [f"row {k}" for k in range(12)]
    assert r.rows[11].kind == "two" and r.rows[5].flag and r.rows[3].tiny == -3


def test_errors_come_when_the_value_is_set(mod: Any) -> None:
    bad = [("tiny", 200), ("word", -1), ("kind", "three"), ("kind", 1 << 20), ("big", -1),
           ("flag", "yes"), ("real", "1.5"), ("text", 5), ("text", "lone \ud800 surrogate"),
           ("blob", 5), ("names", ["ok", 3]), ("ints", [1, True]), ("ints", [1 << 64]),
           ("shorts", list(range(250, 260))), ("reals", [1.0, "x"]), ("names", "not a list")]
    # Each bad value between good ones: the good ones stay, the error is the eager one.
    rows = [[("text", "before"), edit, ("read:text", None), ("tiny", 1), edit]
            for edit in bad]
    lazy, eager, lazy_out, eager_out = _both(mod, rows)
    assert lazy_out == eager_out
    assert all(out[1] is not None and out[4] is not None for out in lazy_out), lazy_out
    assert lazy == eager


def test_values_read_back_at_any_point(mod: Any) -> None:
    rows = [[("text", "x"), ("read:text", None), ("names", ["p", "q"]), ("read:names", None),
             ("ints", [3, 4]), ("read:ints", None), ("half", 1e39), ("read:half", None),
             ("real", 2), ("read:real", None), ("kind", 2), ("read:kind", None),
             ("flag", True), ("read:flag", None), ("read:deflt", None), ("read:on", None)]]
    lazy, eager, lazy_out, eager_out = _both(mod, rows)
    assert lazy_out == eager_out
    assert lazy == eager
    assert ("read", math.inf) in lazy_out[0]  # a Float32 too large is infinity, as eagerly


def test_fields_kept_eagerly_settle_first(mod: Any) -> None:
    # Unions, groups, struct fields and non-zero defaults are written by the ordinary setters
    # once the message is laid out; what was kept before stays.
    rows = [[("text", "a"), ("label", "in the union"), ("names", ["n"])],
            [("deflt", 9), ("text", "b")],
            [("on", False), ("big", 5)],
            [("count", 3), ("grp", {"a": 4, "b": "g"})],
            [("inner", {"x": 11}), ("tiny", 2)],
            [("text", "plain")]]
    lazy, eager, lazy_out, eager_out = _both(mod, rows)
    assert lazy_out == eager_out
    assert lazy == eager
    r = mod.Table.from_bytes(lazy)
    assert r.rows[0].which() == "label" and r.rows[0].label == "in the union"
    assert r.rows[1].deflt == 9 and not r.rows[2].on and r.rows[4].inner.x == 11
    assert r.rows[3].grp.b == "g" and r.rows[3].count == 3


def test_indexing_gives_the_same_waiting_element(mod: Any) -> None:
    t = _table(mod, eager=False)
    rows = t.init("rows", 3)
    first = rows[0]
    assert _is_waiting(first) and rows[0] is first and rows[-3] is first
    assert [r for r in rows] == list(rows[0:3])
    rows[2].text = "two"
    first.text = "zero"
    assert len(rows) == 3
    assert t.to_bytes() == _eager_copy(mod, t)
    assert not _is_waiting(first)
    assert [r.text for r in t.rows] == ["zero", "", "two"]


def test_indexes_waiting_lists_take_as_eager_ones_do(mod: Any) -> None:
    """Every index and slice gives the element (or the error) the eager list gives."""
    waiting = _table(mod, eager=False).init("rows", 4)
    eager = _table(mod, eager=True).init("rows", 4)
    assert _is_waiting(waiting[0]) and not _is_waiting(eager[0])
    for i, row in enumerate(eager):
        row.word = i
    for i in range(4):
        waiting[i].word = i
    keys: List[Any] = [*range(-6, 6), slice(None), slice(1, 3), slice(-1, None, -2),
                       slice(9, 12), True, "1", 1.0, None]
    for key in keys:
        outcomes = []
        for rows in (waiting, eager):
            try:
                got = rows[key]
                outcomes.append([r.word for r in got] if isinstance(got, list) else got.word)
            except (IndexError, TypeError) as e:
                outcomes.append(type(e).__name__)
        assert outcomes[0] == outcomes[1], key


def _eager_copy(mod: Any, t: Any) -> bytes:
    """``t``'s content built again through dicts (the general path)."""
    copy = mod.Table.new_message()
    copy.as_reader()
    copy.from_dict(t.to_dict())
    data: bytes = copy.to_bytes()
    return data


Step = Callable[[Any, Any], Any]

# Whatever reads the words of the message lays the waiting elements out first.
SETTLERS: List[Tuple[str, Step]] = [
    ("to_dict", lambda t, rows: t.to_dict()),
    ("str", lambda t, rows: str(t)),
    ("getter", lambda t, rows: t.rows[0].text),
    ("list str", lambda t, rows: str(rows)),
    ("list equality", lambda t, rows: rows == rows),
    ("copy", lambda t, rows: t.copy().to_bytes()),
    ("packed", lambda t, rows: t.to_bytes_packed()),
    ("segments", lambda t, rows: t.to_segments()),
    ("copied into another message", lambda t, rows: _other(t).rows[0].text),
    ("list copied into another message", lambda t, rows: _other_list(t, rows)),
    ("element disowned", lambda t, rows: rows.disown(1).get().text),
    ("element replaced", lambda t, rows: rows.__setitem__(1, {"text": "set"})),
    ("list disowned", lambda t, rows: t.disown("rows").get()[0].text),
    ("total size", lambda t, rows: t.total_size),
    ("which", lambda t, rows: rows[1].which()),
    ("has", lambda t, rows: rows[1]._has("names")),
]


def _other(t: Any) -> Any:
    other = t.copy()
    other.init("more", 1)
    other.more[0] = t.rows[0]
    return other


def _other_list(t: Any, rows: Any) -> Any:
    other = t.copy()
    other.more = rows
    return other


@pytest.mark.parametrize("name,step", SETTLERS, ids=[name for name, _ in SETTLERS])
def test_what_reads_the_words_sees_every_value(mod: Any, name: str, step: Step) -> None:
    outcomes = []
    for eager in (False, True):
        t = _table(mod, eager)
        rows = t.init("rows", 3)
        for k, it in enumerate(rows):
            it.text = f"r{k}"
            it.names = ["x"] * k
            it.big = k
        result = step(t, rows)
        for k, it in enumerate(rows):
            it.tiny = k  # after the layout: ordinary setters
        outcomes.append((str(result), t.to_bytes(), t.to_dict()))
    assert outcomes[0] == outcomes[1]


def test_a_view_taken_before_stops_waiting(mod: Any) -> None:
    t = mod.Table.new_message()
    view = t.as_reader()
    rows = t.init("rows", 2)
    assert not _is_waiting(rows[0])
    rows[0].text = "seen"
    assert view.rows[0].text == "seen"
    # A view taken while elements wait: they are laid out first, and later lists are eager.
    t2 = mod.Table.new_message()
    rows2 = t2.init("rows", 2)
    rows2[1].text = "kept"
    assert _is_waiting(rows2[0])
    r2 = t2.as_reader()
    assert r2.rows[1].text == "kept" and not _is_waiting(rows2[0])
    more = t2.init("more", 1)
    more[0].text = "later"
    assert r2.more[0].text == "later"


def test_lists_touched_before_iteration_are_written_eagerly(mod: Any) -> None:
    t = _table(mod, eager=False)
    rows = t.init("rows", 2)
    rows[0] = {"text": "set whole"}  # written into the list: its elements cannot wait now
    assert all(not _is_waiting(r) for r in rows)
    assert t.rows[0].text == "set whole"


def test_schemas_whose_elements_cannot_wait(mod: Any) -> None:
    loaded = dyn.load_request(compile_source("""
@0xd3c4b5a697887756;
struct OnlyStruct { inner @0 :OnlyStruct; }
struct Clash { init @0 :Text; }
struct Holder { a @0 :List(OnlyStruct); b @1 :List(Clash); }
""", "nowait.capnp"))
    assert element_plan_of(loaded.OnlyStruct.schema) is None  # nothing a waiting element keeps
    assert element_plan_of(loaded.Clash.schema) is None  # a field named like a method
    h = loaded.Holder.new_message()
    a = h.init("a", 2)
    a[0].init("inner")
    b = h.init("b", 1)
    b[0]._set("init", "x")
    data = h.to_bytes()
    r = loaded.Holder.from_bytes(data)
    assert r.a[0]._has("inner") and not r.a[1]._has("inner")
    assert r.b[0]._get_by_field(loaded.Clash.schema.fields["init"]) == "x"


def test_many_rows_spill_into_far_segments_as_eager_writes_do(mod: Any) -> None:
    rows = [[("text", "t" * (k % 30)), ("names", ["n"] * (k % 5)), ("ints", list(range(k % 9))),
             ("blob", b"b" * (k % 17))] for k in range(400)]
    lazy, eager, _, _ = _both(mod, rows)
    assert lazy == eager
    assert len(mod.Table.from_bytes(lazy).rows) == 400


edit_st = st.one_of(
    st.tuples(st.just("text"), st.one_of(st.text(max_size=12), st.integers())),
    st.tuples(st.just("blob"), st.one_of(st.binary(max_size=20), st.text(max_size=3))),
    st.tuples(st.just("grp"), st.fixed_dictionaries({"a": st.integers(-9, 9)})),
    st.tuples(st.just("inner"), st.fixed_dictionaries({"x": st.integers(-9, 9)})),
    st.tuples(st.just("flag"), st.booleans()),
    st.tuples(st.just("tiny"), st.integers(-200, 200)),
    st.tuples(st.just("kind"), st.sampled_from(["zero", "one", "two", "nine", 0, 2, 70000])),
    st.tuples(st.just("half"), st.floats(allow_nan=False)),
    st.tuples(st.just("real"), st.one_of(st.floats(allow_nan=False), st.integers(-5, 5))),
    st.tuples(st.just("names"), st.lists(st.text(max_size=5), max_size=6)),
    st.tuples(st.just("ints"), st.lists(st.integers(-(1 << 64), 1 << 64), max_size=10)),
    st.tuples(st.just("reals"), st.lists(st.floats(allow_nan=False), max_size=4)),
    st.tuples(st.just("shorts"), st.lists(st.integers(0, 300), max_size=12)),
    st.tuples(st.just("label"), st.text(max_size=4)),
    st.tuples(st.just("deflt"), st.integers(-5, 5)),
    st.tuples(st.sampled_from(["read:text", "read:names", "read:tiny", "read:kind"]),
              st.none()),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(edit_st, max_size=8), min_size=1, max_size=6), st.integers(0, 200))
def test_random_edits_match_the_eager_build(rows: List[List[Edit]], pad: int) -> None:
    mod = _MOD
    results = []
    for eager in (False, True):
        t = mod.Table.new_message()
        if eager:
            t.as_reader()
        t.title = "p" * (pad * 40)  # moves where the segment's limit falls
        outcomes = [_apply(it, edits) for it, edits in zip(t.init("rows", len(rows)), rows)]
        results.append((outcomes, t.to_bytes()))
    assert results[0] == results[1]


_MOD = dyn.load_request(compile_source(SCHEMA, "waiting.capnp"))


# -- lists of structs given as dicts (new_message(**fields), from_dict, attribute sets) -------


def _dict_rows(k: int) -> Any:
    row = {"text": f"d{k}", "blob": "aGk=", "flag": bool(k & 1), "kind": "two", "half": k * 0.5,
           "names": ["x", "y" * k], "ints": [k, -k]}
    if k > 290:  # fields a waiting element does not keep: the rest is written eagerly
        row.update({"inner": {"x": k}, "grp": {"a": k}, "count": k})
    return row


def test_dict_rows_match_the_eager_build(mod: Any) -> None:
    rows = [_dict_rows(k) for k in range(300)]  # enough to spill into a second segment
    built = []
    for eager in (False, True):
        t = _table(mod, eager)
        t.rows = rows
        built.append(t.to_bytes())
    assert built[0] == built[1]
    assert built[0] == mod.Table.new_message(title="t", rows=rows).to_bytes()
    r = mod.Table.from_bytes(built[0]).rows
    assert (r[7].text, r[7].blob, r[7].kind, list(r[7].ints)) == ("d7", b"hi", "two", [7, -7])
    assert (r[295].inner.x, r[295].grp.a, r[295].count) == (295, 295, 295)


@pytest.mark.parametrize("bad,error", [
    ({"nope": 1}, "no field"),
    ({"tiny": 1000}, "out of range"),
    ({"names": ["ok", 5]}, "expected text"),
    ({"blob": "not base64!"}, "base64"),
])
def test_a_bad_dict_row_leaves_the_field_as_it_was(mod: Any, bad: Any, error: str) -> None:
    outcomes = []
    for eager in (False, True):
        t = _table(mod, eager)
        t.rows = [{"text": "before"}]
        with pytest.raises(Exception, match=error) as info:
            t.rows = [{"text": "a"}, bad, {"text": "c"}]
        assert t._msg.pending is None  # the given-up list's elements are not laid out later
        outcomes.append((type(info.value), t.to_bytes()))
        assert [r.text for r in t.rows] == ["before"]
    assert outcomes[0] == outcomes[1]


def test_rows_that_are_not_all_dicts_are_written_eagerly(mod: Any) -> None:
    src = _table(mod, eager=True)
    src.rows = [{"text": "from a builder"}]
    t = _table(mod, eager=False)
    t.rows = [{"text": "a"}, src.rows[0]]
    assert [r.text for r in t.rows] == ["a", "from a builder"]


@pytest.mark.parametrize("room", range(0, 6))
def test_objects_larger_than_a_segment_at_every_room_left(mod: Any, room: int) -> None:
    # Larger than the next segment the builder would open: where such an object lands (and
    # the size of the segment opened for it) shows whether it was placed as eager writes do.
    big = "x" * 10000
    rows = [[("names", [big, "y"])], [("text", big), ("ints", [1, 2, 3])], [("blob", b"z" * 9000)],
            [("names", ["a", "b", big])]]
    head = _table(mod, False)
    head.init("rows", len(rows))
    used = head.to_bytes() and head._msg.mb._segments[0].used
    title = "t" * ((1024 - used - room) * 8 + 7)  # the title's NUL lands in the last word
    layouts = []
    for eager in (False, True):
        t = mod.Table.new_message()
        if eager:
            t.as_reader()
        t.title = title
        for it, edits in zip(t.init("rows", len(rows)), rows):
            _apply(it, edits)
        data = t.to_bytes()
        layouts.append((data, [(s.used, s.limit) for s in t._msg.mb._segments]))
    assert layouts[0] == layouts[1]
    assert len(layouts[0][1]) >= 3


# -- keywords and dicts on a struct: each field through its property's setter --------------


KEYWORD_CASES = [
    {"text": "t", "tiny": -3, "half": 1.5, "flag": True, "blob": "aGk=", "names": ["a"]},
    {"tiny": 1, "text": "materialised by this pointer", "big": 9, "kind": "one"},  # then scalars
    {"label": "in the union", "deflt": 4, "on": False, "grp": {"a": 2, "b": "g"}},
    {"inner": {"x": 3}, "count": 5, "reals": [0.5], "shorts": [1, 2]},
]


@pytest.mark.parametrize("fields", KEYWORD_CASES)
def test_keywords_set_what_attributes_set(mod: Any, fields: Any) -> None:
    by_keywords = mod.Row.new_message(**fields)
    by_attributes = mod.Row.new_message()
    for name, value in fields.items():
        if name == "blob":
            value = b"hi"  # (a str for Data is base64 in a dict or keyword only, as in pycapnp)
        if isinstance(value, dict):
            by_attributes.init(name)
            for k, v in value.items():
                setattr(getattr(by_attributes, name), k, v)
        else:
            setattr(by_attributes, name, value)
    assert by_keywords.to_bytes() == by_attributes.to_bytes()
    again = mod.Row.new_message()
    again.from_dict(fields)
    assert again.to_bytes() == by_keywords.to_bytes()


def test_keyword_errors(mod: Any) -> None:
    with pytest.raises(NoSuchFieldError, match="no field 'nope'"):
        mod.Row.new_message(text="x", nope=1)
    with pytest.raises(EncodeError, match="out of range"):
        mod.Row.new_message(text="x", tiny=500)
    with pytest.raises(EncodeError, match="base64"):
        mod.Row.new_message(blob="abc")  # (incorrect padding)
    # A class whose field is named like a builder method sets through the general path.
    loaded = dyn.load_request(compile_source("""
@0xd3c4b5a697887757;
struct Clash { init @0 :Text; which @1 :UInt8; plain @2 :Int32; }
""", "clash.capnp"))
    c = loaded.Clash.new_message(init="i", which=3, plain=4)
    r = loaded.Clash.from_bytes(c.to_bytes())
    assert r._get_by_field(loaded.Clash.schema.fields["init"]) == "i" and r.plain == 4


@pytest.mark.parametrize("fail_at", [1, 2, 3])  # the first, second or third block appended
def test_a_layout_that_fails_keeps_every_value_waiting(mod: Any, fail_at: int) -> None:
    """No memory for a segment's growth while the elements are laid out: the error comes out
    of the operation that needed the words, the elements not laid out yet keep waiting with
    their values, and the next operation lays them out: the bytes are the eager build's."""
    from capnp_lite.dynamic import batch

    rows = [[("text", "t" * (k % 30)), ("names", ["n"] * (k % 5)), ("ints", list(range(k % 9)))]
            for k in range(300)]  # spills into a second segment: several blocks
    _, eager, _, _ = _both(mod, rows)
    t = _table(mod, eager=False)
    elements = list(t.init("rows", len(rows)))
    for it, edits in zip(elements, rows):
        _apply(it, edits)
    real = batch._append
    calls = []

    def failing(*args: Any) -> None:
        calls.append(1)
        if len(calls) == fail_at:
            raise MemoryError("no room for the segment")
        real(*args)

    batch._append = failing
    try:
        with pytest.raises(MemoryError):
            t.to_bytes()
    finally:
        batch._append = real
    assert any(_is_waiting(el) for el in elements)
    assert elements[-1].text == "t" * (299 % 30)  # read back through the retried layout
    assert not any(_is_waiting(el) for el in elements)
    assert t.to_bytes() == eager


@pytest.mark.parametrize("fail_field", ["text", "names"])
def test_an_element_written_field_by_field_keeps_its_values_when_that_fails(
        mod: Any, fail_field: str) -> None:
    """An element whose List(Text) fits nowhere as one block is written through the ordinary
    setters; when one of those fails (no memory for a new segment), the element waits again
    with every value, and the next operation lays it out: the bytes are the eager build's."""
    from capnp_lite.dynamic import batch

    rows = [[("text", f"row {k}"), ("names", ["x" * 50] * 2000), ("ints", [k, k + 1])]
            for k in range(3)]
    _, eager, _, _ = _both(mod, rows)
    t = _table(mod, eager=False)
    elements = list(t.init("rows", len(rows)))
    for it, edits in zip(elements, rows):
        _apply(it, edits)
    plan = batch.element_plan_of(elements[0].schema)
    assert plan is not None
    # Each kept field's place in the element's values, found from its ordinary setter.
    index = {name: k for k, ordinary, _ in plan.replay for name in ("text", "names")
             if getattr(plan.base, name).fset is ordinary}
    assert sorted(index) == ["names", "text"]
    replays = []
    real_replay = batch._replay

    def counting(el: Any, p: Any) -> None:
        replays.append(el)
        real_replay(el, p)

    saved = list(plan.replay)
    failed = []

    def fail_once(ordinary: Any) -> Any:
        def setter(el: Any, value: Any) -> None:
            if not failed:
                failed.append(el)
                raise MemoryError("no room for a new segment")
            ordinary(el, value)
        return setter

    plan.replay[:] = [(k, fail_once(o) if k == index[fail_field] else o, p) for k, o, p in saved]
    batch._replay = counting
    try:
        with pytest.raises(MemoryError):
            t.to_bytes()
    finally:
        plan.replay[:] = saved
        batch._replay = real_replay
    assert replays and failed == [replays[0]]
    assert _is_waiting(replays[0])  # waiting again, with its values
    assert t.to_bytes() == eager
    assert [el.text for el in elements] == ["row 0", "row 1", "row 2"]
    assert [len(el.names) for el in elements] == [2000] * 3
