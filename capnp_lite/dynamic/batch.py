"""Elements of a new struct list whose fields are laid out together.

pycapnp code fills a list of structs as ``for item in msg.init("items", n):
item.name = ...``.  Written eagerly, each pointer field costs a layout step of its
own: a pointer word, an allocation at the segment's end, the allocation-order
check.  A list ``init`` has just made holds nothing, so its elements can wait
instead: each is a *waiting* builder whose setters check and encode a value
exactly as the ordinary setters do (the same errors, at the same moment) and
keep it in the element (``_buf``: one entry per field, see :class:`_Plan`).

The first thing that needs the message's words lays every waiting element of
the message out in one pass (:func:`settle`): an element's data and pointer
sections are packed by one ``Struct``, and its pointers' objects are appended in
slot order, where eager writes made in that order would have put them.  Each
element then becomes an ordinary builder of its schema (its class is switched,
as a pending root's is in ``builder.py``).  An object that does not fit the
list's segment goes behind a landing pad in the last one, or opens a new segment,
as ``_place`` would; the rare cases it cannot follow (a text list written text by
text) go through the ordinary setters.  Either way the message's words are those
eager writes in slot order would make, which the tests hold it to.

What needs the words: every getter and method of a waiting element (its class
wraps them all), and every method of any builder of the message but the plain
setters (``builder.py`` settles there).  A reader or layout view taken of the
message (``as_reader``, ``layout``) stops later lists from waiting at all, since
such a view would read the words while elements still hold their values.
"""

from __future__ import annotations

import inspect
import math
import struct
import types
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Set, Tuple

from ..codegen.runtime import f32
from ..wire.layout import (
    _ASCII_TEXTS,
    _MAX_COUNT,
    _NUL_PAD_BYTES,
    _PACK_ERRORS,
    _SHORT_LISTS,
    _ZERO_PADS,
    primitive_list_body,
)
from ..wire.segments import grow_segment
from .reader import BULK_FORMATS
from .schema import FieldInfo, StructSchema

if TYPE_CHECKING:  # pragma: no cover
    from .builder import _DynamicListBuilder, _Message

__all__ = ["element_plan_of", "start_batch", "settle", "settled"]

_MAX_TEXT = _MAX_COUNT - 1  # bytes a Text can hold (its NUL counts in the list's length)


class _Plan:
    """How the waiting elements of one schema keep and lay out their fields.

    ``_buf`` of an element holds the packed data fields' values (in offset order),
    then one entry per kept pointer field in slot order (None when unset, else ``(the
    pointer's high half, the words to append, the value as given)``), then the kept
    Bool fields.
    """

    __slots__ = ("base", "cls", "template", "write", "replay", "pointers")

    def __init__(self) -> None:
        self.base: type = object  # the schema's ordinary builder class
        self.cls: type = object  # its waiting subclass
        self.template: List[Any] = []  # a new element's _buf
        # Lays out elements[i:] (see _make_writer): (index reached, ends near and far,
        # bytes the object that stopped it needs far, else 0).
        self.write: Callable[..., Tuple[int, int, int, int]] = _no_write
        # (index in _buf, the ordinary setter, a pointer?) for what the writer leaves.
        self.replay: List[Tuple[int, Callable[[Any, Any], None], bool]] = []
        self.pointers: List[Tuple[int, int]] = []  # (index in _buf, slot) of kept pointers


def _no_write(*args: Any) -> Tuple[int, int, int, int]:  # pragma: no cover - replaced at once
    raise AssertionError("plan not made")


def element_plan_of(schema: StructSchema) -> Optional[_Plan]:
    """The plan of ``schema``'s waiting elements (made once), or None when its elements are
    written eagerly (nothing to keep, or fields named like a builder method)."""
    plan = schema.element_plan
    if plan is None:
        plan = _make_plan(schema) or False
        schema.element_plan = plan
    return plan or None


def _kept(field: FieldInfo) -> Optional[str]:
    """How a waiting element keeps ``field``: "data", "bool", "text", "bytes", "texts",
    "numbers"; None when setting it settles the message first (unions, groups, defaults
    that are not zero, pointers to structs, lists of other things, capabilities)."""
    from .builder import _EXACT_TYPE

    if field.group is not None or field.in_union or field.type is None:
        return None
    kind = field.kind
    t = field.type
    default = field.wire_default
    if field.is_pointer:
        if kind == "text":
            return "text"
        if kind == "data":
            return "bytes"
        if kind == "list" and t.element is not None:
            element = t.element.kind
            if element == "text":
                return "texts"
            if element in _EXACT_TYPE:
                return "numbers"
        return None
    if kind == "bool":
        return "bool" if not default else None
    if kind in ("float32", "float64"):
        return "data" if default == 0.0 and math.copysign(1.0, default) > 0 else None
    if kind in BULK_FORMATS:
        return "data" if default == 0 else None
    return None  # void


def _make_plan(schema: StructSchema) -> Optional[_Plan]:
    from .builder import _DynamicStructBuilder, builder_class

    base = schema.builder_cls or builder_class(schema)
    if not getattr(base, "_direct", False):
        return None
    dsize = schema.data_words << 3
    pc = schema.pointer_count
    data: List[Tuple[int, str, FieldInfo]] = []  # (byte offset, letter, field)
    pointers: Dict[int, Tuple[FieldInfo, str]] = {}
    bools: List[FieldInfo] = []
    for field in schema.fields_list:
        how = _kept(field)
        if how == "data":
            letter = BULK_FORMATS[field.kind]
            data.append((field.offset * struct.calcsize(letter), letter, field))
        elif how == "bool":
            bools.append(field)
        elif how is not None:
            pointers[field.offset] = (field, how)
    if not (data or pointers or bools):
        return None
    data.sort(key=lambda item: item[0])
    plan = _Plan()
    plan.base = base
    # _buf's layout: data values, pointer entries (slot order), bools.
    index: Dict[str, int] = {}
    template: List[Any] = []
    fmt = "<"
    at = 0
    for offset, letter, field in data:
        fmt += "x" * (offset - at) + letter
        at = offset + struct.calcsize(letter)
        index[field.name] = len(template)
        template.append(0.0 if letter in "fd" else 0)
    fmt += "x" * (dsize - at) + "II" * pc
    slots = sorted(pointers)
    for slot in slots:
        index[pointers[slot][0].name] = len(template)
        plan.pointers.append((len(template), slot))
        template.append(None)
    for field in bools:
        index[field.name] = len(template)
        template.append(False)
    plan.template = template

    plan.write = _make_writer(schema, fmt, [(index[f.name], f) for _, _, f in data],
                              {j: (index[f.name], how) for j, (f, how) in pointers.items()},
                              [(index[f.name], f) for f in bools], base)

    # The waiting class: kept fields' setters keep; everything else settles first.
    ns: Dict[str, Any] = {"__slots__": ()}
    names: Set[str] = set()
    for klass in base.__mro__:
        if klass is object:
            continue
        names.update(vars(klass))
    fields = schema.fields
    for name in names:
        if name in _UNTOUCHED or name in fields:
            continue
        attr = inspect.getattr_static(base, name)
        if isinstance(attr, property):
            ns[name] = property(
                settled(attr.fget) if attr.fget else None,
                settled(attr.fset) if attr.fset else None,
            )
        elif isinstance(attr, types.FunctionType):
            ns[name] = settled(attr)
    for field in schema.fields_list:
        prop = vars(base).get(field.name)
        if not isinstance(prop, property) or prop.fset is None:
            continue
        ordinary = prop.fset
        how = _kept(field)
        if how is None:
            setter = settled(ordinary)
        else:
            k = index[field.name]
            setter = _KEEPERS[how](schema, field, k, ordinary)
            plan.replay.append((k, ordinary, field.is_pointer))
        ns[field.name] = property(settled(prop.fget) if prop.fget else None, setter)
    plan.replay.sort(key=lambda item: item[0])
    plan.cls = type(schema.name, (base,), ns)
    assert issubclass(plan.cls, _DynamicStructBuilder)
    return plan


# The writer of a plan is made as source for its layout (as namedtuple makes its
# classes): a loop over the elements with every index and offset a constant.  Each
# pointer's object goes where ``_place`` would put it: after the list's segment's last
# object while that segment's limit allows, else behind a landing pad in the message's
# last segment (``flimit`` 0: no room there).  An element one of whose objects fits
# neither is left waiting, and the writer returns with that object's size and its landing
# pad's: the caller opens the new segment for it (or has the ordinary setters write the
# element) and calls the writer again for the rest.
_WRITER_HEAD = """\
def write(elements, i, buf, e, limit, chunks, f, flimit, fid, fchunks):
    add = chunks.append
    fadd = fchunks.append
    for i in range(i, len(elements)):
        el = elements[i]
        d = el._d
        end = e  # where this element's objects start: what an undo goes back to
        fend = f
"""
_WRITER_UNDO = """\
                while e > end:
                    e -= len(chunks.pop())
                while f > fend:
                    f -= len(fchunks.pop())
                return i, end, fend, {need}
"""


def _make_writer(schema: StructSchema, fmt: str, data: List[Tuple[int, FieldInfo]],
                 pointers: Dict[int, Tuple[int, str]], bools: List[Tuple[int, FieldInfo]],
                 base: type) -> Callable[..., Tuple[int, int, int, int]]:
    import struct

    dsize = schema.data_words << 3
    size = len(data) + len(pointers) + len(bools)
    lines = [_WRITER_HEAD, f"        ({''.join(f'w{k}, ' for k in range(size))}) = el._buf\n"]
    args = [f"w{k}" for k, _ in data]
    for j in range(schema.pointer_count):
        if j not in pointers:
            args += ["0", "0"]
            continue
        k, how = pointers[j]
        # A List(Text) too large for the near room goes far as one block only when its
        # pointers alone do not fit there either; else its texts are placed one by one
        # (near or far each), which the ordinary setter does.
        far_test = f"e + ((b{j} >> 3) << 3) > limit and " if how == "texts" else ""
        # A List(Text) that fits nowhere as a block is written text by text (the ordinary
        # setter does), never opening a segment for the block: 0, no object to open one for.
        need = "0" if how == "texts" else "8 + m"
        # b{j}: the pointer's high half (near), or the landing pad's segment (far).
        lines.append(f"""\
        if w{k} is None:
            a{j} = b{j} = 0
        else:
            b{j}, c, _ = w{k}
            m = len(c)
            if e + m <= limit:
                a{j} = ((e - d - {dsize + 8 * j + 8}) >> 1) | 1
                add(c)
                e += m
            elif {far_test}f + 8 + m <= flimit:
                a{j} = f | 2
                fadd(landing(1, b{j}))
                fadd(c)
                b{j} = fid
                f += 8 + m
            else:
""" + _WRITER_UNDO.format(need=need))
        args += [f"a{j}", f"b{j}"]
    if args:
        call = f"pack(buf, d, {', '.join(args)})"
        if any(f.kind == "float32" for _, f in data):
            # A Float32 too large for 32 bits is infinity, as the ordinary setter stores it.
            fix = "".join(f"            w{k} = f32(w{k})\n" for k, f in data if f.kind == "float32")
            lines.append(f"""\
        try:
            {call}
        except OverflowError:
{fix}            {call}
""")
        else:
            lines.append(f"        {call}\n")
    for k, field in bools:
        lines.append(f"""\
        if w{k}:
            buf[d + {field.offset >> 3}] |= {1 << (field.offset & 7)}
""")
    lines.append("""\
    return len(elements), e, f, 0
""")
    namespace: Dict[str, Any] = {
        "pack": struct.Struct(fmt).pack_into, "landing": struct.Struct("<II").pack,
        "base": base, "f32": f32,
    }
    exec("".join(lines), namespace)  # noqa: S102 - source made above from the schema
    writer: Callable[..., Tuple[int, int, int, int]] = namespace["write"]
    return writer


# Attributes a waiting element keeps as they are: construction, the class's own
# machinery, and what neither reads nor writes the message.
_UNTOUCHED = frozenset((
    "__new__", "__init__", "__setattr__", "__slots__", "__dict__", "__weakref__", "__module__",
    "__doc__", "__qualname__", "__annotations__", "__hash__", "__class__", "__init_subclass__",
    "__subclasshook__", "_direct", "__enter__", "__exit__", "__dir__", "clear_write_flag",
    "caps", "_field",
))


def settled(fn: Callable[..., Any], fresh: bool = False) -> Callable[..., Any]:
    """``fn`` run once the message of its builder (``self._msg``) has nothing waiting (a
    waiting element is then an ordinary builder); with ``fresh``, ``fn`` is a list builder's
    and also marks the list touched (its elements cannot wait once written another way)."""
    if fresh:
        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            self._fresh = False
            if self._msg.pending is not None:
                settle(self._msg)
            return fn(self, *args, **kwargs)
    else:
        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            if self._msg.pending is not None:
                settle(self._msg)
            return fn(self, *args, **kwargs)
    run.__name__ = getattr(fn, "__name__", "run")
    run.__qualname__ = getattr(fn, "__qualname__", run.__name__)
    run.__doc__ = fn.__doc__
    return run


# -- setters that keep a value -------------------------------------------------------

Setter = Callable[[Any, Any], None]


def _keep_data(schema: StructSchema, field: FieldInfo, k: int, ordinary: Setter) -> Setter:
    from .builder import _RANGES, coerce_data

    t = field.type
    assert t is not None
    kind = field.kind
    if kind == "float64" or kind == "float32":
        # (a Float32 too large for 32 bits becomes infinity when packed: see _make_writer)
        def keep_float(self: Any, value: Any) -> None:
            if type(value) is not float:
                value = coerce_data(t, value)
            self._buf[k] = value
        return keep_float
    low, high = _RANGES[kind]
    if kind == "enum":
        by_name = t.enum.by_name

        def keep_enum(self: Any, value: Any) -> None:
            if type(value) is not int or not low <= value <= high:
                value = by_name[value] if type(value) is str and value in by_name else coerce_data(t, value)
            self._buf[k] = value
        return keep_enum

    def keep_int(self: Any, value: Any) -> None:
        if type(value) is not int or not low <= value <= high:
            value = coerce_data(t, value)  # raises EncodeError for an int out of range
        self._buf[k] = value
    return keep_int


def _keep_bool(schema: StructSchema, field: FieldInfo, k: int, ordinary: Setter) -> Setter:
    from .builder import coerce_data

    t = field.type
    assert t is not None

    def keep_bool(self: Any, value: Any) -> None:
        if type(value) is not bool:
            value = coerce_data(t, value)
        self._buf[k] = bool(value)
    return keep_bool


def _keep_text(schema: StructSchema, field: FieldInfo, k: int, ordinary: Setter) -> Setter:
    from .builder import _escaped_utf8

    def keep_text(self: Any, value: Any) -> None:
        if type(value) is not str:
            settle(self._msg)
            ordinary(self, value)  # checks the value fully
            return
        try:
            raw = value.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates from the text printer
            raw = _escaped_utf8(value)
        n = len(raw)
        if n > _MAX_TEXT:
            settle(self._msg)
            ordinary(self, value)  # raises: too long for a list
            return
        self._buf[k] = ((n << 3) + 10, raw + _NUL_PAD_BYTES[n & 7], value)
    return keep_text


def _keep_bytes(schema: StructSchema, field: FieldInfo, k: int, ordinary: Setter) -> Setter:
    def keep_bytes(self: Any, value: Any) -> None:
        n = len(value) if type(value) is bytes else -1
        if not 0 <= n <= _MAX_TEXT:
            settle(self._msg)
            ordinary(self, value)
            return
        self._buf[k] = ((n << 3) | 2, value + _ZERO_PADS[n & 7], value)
    return keep_bytes


def _keep_texts(schema: StructSchema, field: FieldInfo, k: int, ordinary: Setter) -> Setter:
    makers = _ASCII_TEXTS  # (ascii_text_block's own dispatch, one call fewer)
    many = makers[0]

    def keep_texts(self: Any, value: Any) -> None:
        tv = type(value)
        if tv is list or tv is tuple:
            n = len(value)
            block = makers[n](value) if n < 5 else many(value)
        else:
            block = None
        if block is None:  # not a list or tuple of ASCII str (None, bytes, other text)
            settle(self._msg)
            ordinary(self, value)
            return
        self._buf[k] = ((len(value) << 3) | 6, block, value)
    return keep_texts


def _keep_numbers(schema: StructSchema, field: FieldInfo, k: int, ordinary: Setter) -> Setter:
    from .builder import _EXACT_TYPE

    t = field.type
    assert t is not None and t.element is not None
    exact = _EXACT_TYPE[t.element.kind]
    fmt = BULK_FORMATS[t.element.kind]
    # Short lists: a packer per length that pads to whole words itself, and the high half.
    shorts = [(struct.Struct("<%d%s%dx" % (n, fmt, -struct.calcsize("<%d%s" % (n, fmt)) & 7)).pack,
               tag >> 32)
              for n, (_, _, tag) in enumerate(_SHORT_LISTS[fmt])]
    count = len(shorts)

    def keep_numbers(self: Any, value: Any) -> None:
        tv = type(value)
        if (tv is not list and tv is not tuple) or not exact.issuperset(map(type, value)):
            settle(self._msg)
            ordinary(self, value)
            return
        n = len(value)
        if n < count:
            packer, hi = shorts[n]
            try:
                self._buf[k] = (hi, packer(*value), value)
                return
            except _PACK_ERRORS:
                pass  # out of range: primitive_list_body raises the eager setter's error
        hi, words = primitive_list_body(fmt, value)
        self._buf[k] = (hi, words, value)
    return keep_numbers


_KEEPERS: Dict[str, Callable[[StructSchema, FieldInfo, int, Setter], Setter]] = {
    "data": _keep_data,
    "bool": _keep_bool,
    "text": _keep_text,
    "bytes": _keep_bytes,
    "texts": _keep_texts,
    "numbers": _keep_numbers,
}


# -- batches ---------------------------------------------------------------------------


def start_batch(lst: Optional["_DynamicListBuilder"], out: List[Any], plan: _Plan,
                msg: "_Message") -> List[Any]:
    """Register ``out``, waiting builders of every element of a new struct list of
    ``plan``'s schema, with their message, which settles them; ``lst`` is the list's
    builder when it keeps them.  Returns ``out``."""
    batch = (lst, out, plan)
    if msg.pending is None:
        msg.pending = [batch]
    else:
        msg.pending.append(batch)
    return out


def settle(msg: "_Message") -> None:
    """Lay out every waiting element of ``msg`` (nothing when none waits).

    When laying out fails (a MemoryError growing a segment), the elements not laid out yet
    wait again, their values kept, and the next operation that needs the words tries again:
    nothing set is ever dropped from the message."""
    batches = msg.pending
    if batches is None:
        return
    msg.pending = None
    for k, (lst, elements, plan) in enumerate(batches):
        if lst is not None:
            lst._pend = None
        try:
            _lay_out(msg, elements, plan)
        except BaseException:
            waiting = plan.cls
            rest = [el for el in elements if type(el) is waiting]
            if lst is not None:
                lst._pend = elements
            msg.pending = ([(lst, rest, plan)] if rest else []) + batches[k + 1:] or None
            raise


def _lay_out(msg: "_Message", elements: List[Any], plan: _Plan) -> None:
    seg = elements[0]._seg
    mb = msg.mb
    assert mb is not None
    n = len(elements)
    i = 0
    while i < n:
        first = _first_written(elements, i, plan.pointers) if msg.order is not None else -1
        start = seg.used << 3
        last = mb._last
        if last is seg:
            fstart = flimit = 0  # what does not fit the segment needs a new one
        else:
            fstart = last.used << 3
            flimit = last.limit << 3
        chunks: List[bytes] = []
        fchunks: List[bytes] = []
        reached, end, fend, need = plan.write(elements, i, seg.buf, start, seg.limit << 3,
                                              chunks, fstart, flimit, last.id, fchunks)
        _append(seg, start, end, chunks)
        _append(last, fstart, fend, fchunks)
        # Only now, with their objects in place, do the elements become ordinary builders: an
        # error above (no memory for a segment's growth) leaves them waiting, values and all.
        base = plan.base
        for el in elements[i:reached]:
            el._buf = None
            el.__class__ = base
        if first >= 0 and msg.order is not None:
            _advance_order(msg, seg, elements[i:reached], first, plan)
        if reached < n:
            if last is seg and need:
                # Nothing of the element went far: eager writes would open a segment for
                # this object (as _alloc_anywhere does) and put the rest there too.
                mb._new_segment(need >> 3)
            else:
                _replay(elements[reached], plan)  # (the ordinary setters place it)
                reached += 1
        i = reached


def _append(seg: Any, start: int, end: int, chunks: List[bytes]) -> None:
    """Put ``chunks`` at byte ``start`` of ``seg`` (its end), up to ``end``."""
    if end > start:
        words = end >> 3
        if words > seg.words:
            grow_segment(seg, words)
        seg.used = words
        seg.b[start:end] = b"".join(chunks)


def _first_written(elements: List[Any], i: int, pointers: List[Tuple[int, int]]) -> int:
    """The word of the first pointer the waiting ``elements[i:]`` hold a value for, or -1."""
    for el in elements[i:]:
        v = el._buf
        for k, slot in pointers:
            if v[k] is not None:
                return int(el._po) + slot
    return -1


def _advance_order(msg: "_Message", seg: Any, done: List[Any], first: int, plan: _Plan) -> None:
    """Record the pointer writes just made for the elements ``done``, in slot order (as
    ``_track`` would one by one): when their list is the object open at the top of the
    message's path, its next slot moves past the last one written; otherwise the order is
    lost.  (Elements the limit left over are tracked by their ordinary setters.)"""
    words = seg.u64
    slots = [slot for _, slot in plan.pointers]
    slots.reverse()
    last = -1
    for el in reversed(done):
        po = el._po
        for slot in slots:
            if words[po + slot]:  # a pointer written (never zero: its low bit is set)
                last = po + slot
                break
        if last >= 0:
            break
    if last < 0:
        return  # no pointer written
    if msg.okey is seg and msg.ofirst <= first and msg.onext <= first and last < msg.oend:
        msg.onext = last + 1
    else:
        msg.order = None


def _replay(el: Any, plan: _Plan) -> None:
    """Write the waiting element ``el`` through the ordinary setters (which place its
    objects as eager writes do).  When one of them fails (no memory for a new segment), the
    element waits again with all its values, as ``settle`` leaves the ones after it, and the
    next layout writes it whole (what was written before the failure is written over)."""
    v = el._buf
    el._buf = None
    el.__class__ = plan.base
    try:
        for k, ordinary, is_pointer in plan.replay:
            x = v[k]
            if not is_pointer:
                ordinary(el, x)
            elif x is not None:
                ordinary(el, x[2])  # the value as given
    except BaseException:
        el.__class__ = plan.cls
        el._buf = v
        raise
