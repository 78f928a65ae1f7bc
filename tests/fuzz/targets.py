"""Fuzz targets: one function per decoder, bytes in, only the documented error out.

Shared by the Hypothesis tests, the corpus replay test and the coverage-guided
harness (``tools/fuzz/run.py``).  A target returns normally or raises one of
the errors listed for it in :data:`TARGETS`; anything else (another
exception, an assertion of a cross-check, a time-out) is a finding.

Targets also cross-check decoders against each other where two of them must
agree: the stream decoders against the one-shot ones, a deep copy against its
source, a canonical copy against ``is_canonical``.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Type

from capnp_lite.errors import DecodeError, LimitError, ProtocolError, SchemaError, TextFormatError
from capnp_lite.wire import pointers as P
from capnp_lite.wire.canonical import canonicalize_message, is_canonical
from capnp_lite.wire import layout as L
from capnp_lite.wire.framing import MessageDecoder, decode_message, decode_message_at, few_segments
from capnp_lite.wire.layout import (
    AnyPointerReader,
    ListReader,
    MessageBuilder,
    MessageReader,
    PointerKind,
    StructReader,
)
from capnp_lite.wire.packed import PackedMessageDecoder, Unpacker, pack, unpack, unpack_message
from capnp_lite.wire.segments import ReadLimits

# Small limits keep every input cheap; the amplification tests check the defaults.
MAX_WORDS = 1 << 14
NESTING = 24


class Timeout(BaseException):
    """An input ran past its time budget (a BaseException so no ``except Exception`` hides it)."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`Timeout` inside the block after ``seconds`` (POSIX main thread only).

    Elsewhere the block runs unbounded; callers also measure elapsed time.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise Timeout(f"input took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    if previous is None:  # a handler installed outside Python (libFuzzer's): keep ours off it
        previous = signal.SIG_DFL
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------
# Chunking: how a stream target splits its input
# --------------------------------------------------------------------------


def chunks(data: bytes, seed: int) -> List[bytes]:
    """Split ``data`` into pieces of 1..16 bytes chosen by a tiny LCG seeded with ``seed``."""
    out: List[bytes] = []
    state = seed or 1
    pos = 0
    while pos < len(data):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        size = 1 + (state >> 16) % 16
        out.append(data[pos:pos + size])
        pos += size
    return out


def _as_bytes(segments: Sequence[Any]) -> List[bytes]:
    return [bytes(s) for s in segments]


# --------------------------------------------------------------------------
# Framing and packing
# --------------------------------------------------------------------------


def framing(data: bytes) -> None:
    """One-shot framing: every message in the buffer, then the strict variant; the shortcut
    for a few segments (``few_segments``) reads what the general decoder reads, or declines."""
    few = few_segments(data, MAX_WORDS * 8)
    if few is not None:
        assert few == _as_bytes(decode_message(data)), "few_segments disagrees with decode_message"
    one_shot = _all_messages(data)
    strict_ok = True
    try:
        decode_message(data, max_message_words=MAX_WORDS, allow_trailing=False)
    except DecodeError:
        strict_ok = False
    if strict_ok:
        assert len(one_shot) == 1, "allow_trailing=False accepted a buffer holding several messages"


def _all_messages(data: bytes) -> List[List[bytes]]:
    """Every complete message of ``data`` by repeated ``decode_message_at`` (stops at an error)."""
    out: List[List[bytes]] = []
    view = memoryview(data)
    pos = 0
    while pos < len(data):
        try:
            segs, end = decode_message_at(view, pos, max_message_words=MAX_WORDS)
        except DecodeError:
            break
        assert end > pos, f"decode_message_at made no progress at byte {pos}"
        out.append(_as_bytes(segs))
        pos = end
    return out


def framing_stream(data: bytes) -> None:
    """``MessageDecoder`` fed in random chunks must agree with the one-shot decoder."""
    if not data:
        return
    seed, body = data[0], data[1:]
    expected = _all_messages(body)
    dec = MessageDecoder(max_message_words=MAX_WORDS)
    got: List[List[bytes]] = []
    error: Optional[DecodeError] = None
    try:
        for piece in chunks(body, seed):
            dec.feed(piece)
            while True:
                msg = dec.next_message()
                if msg is None:
                    break
                got.append(_as_bytes(msg))
        dec.close()
    except DecodeError as exc:
        error = exc
    assert got == expected[:len(got)], "stream decoder disagrees with decode_message_at"
    if error is None:
        assert got == expected, "stream decoder accepted input the one-shot decoder refuses"


def packed(data: bytes) -> None:
    """``unpack`` and ``unpack_message``, cross-checked with their stream forms and ``pack``."""
    seed = data[0] if data else 0
    flat: Optional[bytes] = None
    try:
        flat = unpack(data, max_words=MAX_WORDS)
    except DecodeError:
        pass
    if flat is not None:
        assert len(flat) % 8 == 0, "unpack returned a partial word"
        assert unpack(pack(flat)) == flat, "pack(unpack(x)) does not unpack to the same words"
    # The incremental unpacker must produce the same words, or fail where unpack fails.
    up = Unpacker(max_words=MAX_WORDS)
    out = bytearray()
    try:
        for piece in chunks(data, seed):
            up.feed(piece)
            out += up.take()
        up.close()
        out += up.take()
        streamed: Optional[bytes] = bytes(out)
    except DecodeError:
        streamed = None
    if flat is not None:
        assert streamed == flat, "Unpacker disagrees with unpack"
    try:
        msg: Optional[List[bytes]] = _as_bytes(unpack_message(data, max_words=MAX_WORDS))
    except DecodeError:
        msg = None
    dec = PackedMessageDecoder(max_message_words=MAX_WORDS)
    first: Optional[List[bytes]] = None
    try:
        for piece in chunks(data, seed):
            dec.feed(piece)
            while True:
                m = dec.next_message()
                if m is None:
                    break
                if first is None:
                    first = _as_bytes(m)
        dec.close()
    except DecodeError:
        pass
    if msg is not None and first is not None:
        assert first == msg, "PackedMessageDecoder's first message differs from unpack_message"


# --------------------------------------------------------------------------
# Layout: generic walks over arbitrary segments
# --------------------------------------------------------------------------

Repr = Any  # a nested tuple describing a pointer's target, see strict_pointer


def strict_pointer(p: AnyPointerReader) -> Repr:
    """The content behind ``p`` as a comparable value, following every pointer.

    Structs drop trailing zero data bytes and trailing null pointers, so a
    canonical copy and its source describe the same way.
    """
    kind = p.kind
    if kind == PointerKind.NULL:
        return None
    if kind == PointerKind.CAPABILITY:
        return ("cap", p.get_capability())
    if kind == PointerKind.STRUCT:
        return strict_struct(p.get_struct())
    return strict_list(p.get_list())


def strict_struct(s: StructReader) -> Repr:
    ptrs = [strict_pointer(s.get_pointer(i)) for i in range(s.ptr_count)]
    while ptrs and ptrs[-1] is None:
        ptrs.pop()
    return ("struct", s.data_bytes().rstrip(b"\0"), tuple(ptrs))


def strict_list(lst: ListReader) -> Repr:
    es = lst.element_size
    n = len(lst)
    if es == P.ELEM_COMPOSITE:
        return ("structs", tuple(strict_struct(lst.get_struct(i)) for i in range(n)))
    if es == P.ELEM_POINTER:
        return ("pointers", tuple(strict_pointer(lst.get_pointer(i)) for i in range(n)))
    if es == P.ELEM_VOID:
        return ("void", n)
    return ("data", es, tuple(lst.to_list()))


def _try(fn: Callable[[], Any]) -> Any:
    """Run one read; a DecodeError only ends that read, so the walk goes on elsewhere."""
    try:
        return fn()
    except LimitError:
        raise
    except DecodeError:
        return None


def lenient_pointer(p: AnyPointerReader) -> None:
    """Read ``p`` every way the API allows, then walk what it holds.

    Each read is charged to the traversal limit, so the walk is bounded by the
    reader's limits whatever the message holds.
    """
    kind = _try(lambda: p.kind)
    _try(p.get_text)
    _try(p.get_data)
    _try(p.get_capability)
    if kind == PointerKind.STRUCT:
        s = _try(p.get_struct)
        if s is not None:
            lenient_struct(s)
    elif kind == PointerKind.LIST:
        for es in range(8):
            _try(lambda: p.get_list(es))
        lst = _try(p.get_list)
        if lst is not None:
            lenient_list(lst)


def lenient_struct(s: StructReader) -> None:
    words = s.data_words
    for off in (0, 1, words * 8 - 1, words * 8, 1 << 20):
        s.get_bool(off, True)
        s.get_int8(off)
        s.get_uint16(off, 7)
        s.get_int32(off, -1)
        s.get_uint64(off)
        s.get_float32(off, 1.5)
        s.get_float64(off)
    for i in range(s.ptr_count + 1):
        _try(lambda: s.get_text(i))
        _try(lambda: s.get_data(i))
        _try(lambda: s.get_capability(i))
        _try(lambda: s.get_struct(i))
        _try(lambda: s.get_list(i, P.ELEM_COMPOSITE))
        _try(lambda: s.is_null(i))
        lenient_pointer(s.get_pointer(i))


def lenient_list(lst: ListReader) -> None:
    n = len(lst)
    if n == 0:
        return
    bits = lst.data_bits_per_element
    for fmt in "?bBhHiIqQfd":
        try:
            lst.to_list(fmt)
        except TypeError:
            pass  # the format is wider than the elements: the API's contract, not input
    for i in (0, n - 1):
        if bits >= 1:
            lst.get_bool(i)
        if bits >= 8 and bits % 8 == 0:
            lst.get_uint8(i)
            lst.get_struct(i).data_bytes()
        if bits >= 64:
            lst.get_float64(i)
    if lst.ptrs_per_element:
        for i in range(n):
            if lst.element_size == P.ELEM_COMPOSITE:
                lenient_struct(lst.get_struct(i))
            else:
                _try(lambda: lst.get_struct_at(i))
                _try(lambda: lst.get_text(i))
                lenient_pointer(lst.get_pointer(i))
    elif lst.element_size == P.ELEM_COMPOSITE:
        for i in range(n):
            lenient_struct(lst.get_struct(i))


def reader_for(segments: Sequence[Any], limit: Optional[int] = None) -> MessageReader:
    total = sum(len(s) for s in segments) // 8
    budget = limit if limit is not None else 4 * total + 64
    return MessageReader(segments, traversal_limit_in_words=budget, nesting_limit=NESTING)


def walk_segments(segments: Sequence[Any]) -> None:
    """Lenient walk of every reachable pointer of a message."""
    msg = reader_for(segments)
    root = msg.root_pointer()
    try:
        lenient_pointer(root)
    except LimitError:
        pass
    _try(lambda: lenient_struct(reader_for(segments).root()))


def layout(data: bytes) -> None:
    """Frame the input, then walk every pointer generically with small limits."""
    walk_segments(decode_message(data, max_message_words=MAX_WORDS))


def layout_flat(data: bytes) -> None:
    """The input as one segment (no table): the walker sees every word as message data."""
    body = data[:len(data) - len(data) % 8]
    walk_segments([body] if body else [bytes(8)])


def copy(data: bytes) -> None:
    """Deep copy (plain, canonical) of a framed message; the copies must read the same."""
    segments = decode_message(data, max_message_words=MAX_WORDS)
    check_copies(segments)


def copy_flat(data: bytes) -> None:
    body = data[:len(data) - len(data) % 8]
    check_copies([body] if body else [bytes(8)])


def check_copies(segments: Sequence[Any]) -> None:
    """Copy the root pointer into small-segment builders and compare with the source."""
    try:
        before: Optional[Repr] = strict_pointer(reader_for(segments).root_pointer())
    except DecodeError:
        before = None
    total = sum(len(s) for s in segments) // 8
    budget = 4 * total + 64
    for first in (1, 3, 1024):
        mb = MessageBuilder(first)
        try:
            mb.set_root_pointer(reader_for(segments).root_pointer())
        except DecodeError:
            # The copy refused the input: the strict read must refuse it too.
            assert before is None, "set_root_pointer refused a message that reads cleanly"
            continue
        if before is None:
            continue
        out = mb.segments()
        after = strict_pointer(reader_for(out, 2 * budget).root_pointer())
        assert after == before, f"deep copy (first segment {first} words) changed the content"
    try:
        root = reader_for(segments).root()
    except DecodeError:
        return
    # The root copied by set_root (one block when the source allows) and object by object:
    # the same segments and traversal budget left, or the same error.
    for first in (2, 1024):
        outcomes = []
        for block in (True, False):
            src = reader_for(segments).root()
            mb = MessageBuilder(first)
            try:
                if block:
                    mb.set_root(src)
                else:
                    L._drain(mb, L._copy_struct_obj(mb, mb._segments[0], 0, src, False), False)
                outcomes.append((mb.segments(), src._ctx.budget))
            except DecodeError as e:
                outcomes.append((type(e).__name__, str(e), src._ctx.budget))
        assert outcomes[0] == outcomes[1], f"block copy differs (first segment {first} words)"
    mb = MessageBuilder(8, growth="single")
    try:
        mb.set_root(root, canonical=True)
    except DecodeError:
        assert before is None, "canonical set_root refused a message that reads cleanly"
        return
    canon_segments = mb.segments()
    assert len(canon_segments) == 1, "a canonical copy must be one segment"
    assert is_canonical(canon_segments), "a canonical copy is not canonical"
    if before is not None:
        after = strict_pointer(reader_for(canon_segments, 2 * budget).root_pointer())
        assert after == before, "canonical copy changed the content"
    flat = canonicalize_message(segments, limits=ReadLimits(budget, NESTING))
    assert flat == canon_segments[0], "canonicalize_message differs from set_root(canonical=True)"


def canonical(data: bytes) -> None:
    """``is_canonical`` and ``canonicalize_message`` on framed input."""
    segments = decode_message(data, max_message_words=MAX_WORDS)
    verdict = is_canonical(segments)
    flat = canonicalize_message(segments)
    assert is_canonical([flat]), "canonicalize_message output is not canonical"
    if verdict:
        assert flat == bytes(segments[0]), "a canonical message does not canonicalize to itself"


# --------------------------------------------------------------------------
# Schema compiler, text format, schema-driven reading, V8
# --------------------------------------------------------------------------

# Written for these tests: every kind of field, so schema-driven readers and the
# text format touch every accessor.
FUZZ_SCHEMA = """
@0xd5a8f9a2c4b6e813;

enum Colour { red @0; green @1; blue @2; }

struct Inner {
  a @0 :UInt8;
  b @1 :Text;
  self @2 :Inner;
}

struct Root {
  b @0 :Bool;
  i8 @1 :Int8;
  u16 @2 :UInt16 = 513;
  i32 @3 :Int32 = -7;
  u64 @4 :UInt64;
  f32 @5 :Float32 = 1.5;
  f64 @6 :Float64;
  t @7 :Text = "dflt";
  d @8 :Data;
  e @9 :Colour = blue;
  inner @10 :Inner;
  bools @11 :List(Bool);
  ints @12 :List(Int64);
  bytes @13 :List(UInt8);
  texts @14 :List(Text);
  datas @15 :List(Data);
  structs @16 :List(Inner);
  nested @17 :List(List(Int32));
  enums @18 :List(Colour);
  voids @19 :List(Void);
  any @20 :AnyPointer;
  union {
    none @21 :Void;
    num @22 :Float32;
    str @23 :Text;
    sub @24 :Inner;
  }
  grp :group {
    x @25 :Int16;
    y @26 :List(Float64);
  }
}
"""

_SCHEMA_CACHE: Dict[str, Any] = {}


def fuzz_schema() -> Any:
    """The StructSchema of ``Root`` in :data:`FUZZ_SCHEMA` (compiled once)."""
    cached = _SCHEMA_CACHE.get("Root")
    if cached is None:
        from capnp_lite.dynamic.schema import SchemaLoader
        from capnp_lite.schema import compile_source

        request = compile_source(FUZZ_SCHEMA, "fuzz.capnp")
        loader = SchemaLoader.from_request(request)
        file_node = loader.node(request.requested_files[0].id)
        root_id = next(n.id for n in file_node.nested_nodes if n.name == "Root")
        cached = loader.struct_schema(root_id)
        _SCHEMA_CACHE["Root"] = cached
    return cached


def dynamic(data: bytes) -> None:
    """Schema-driven reading and printing of a framed message (what ``decode`` does).

    The printer reads pointer fields through the readers' properties where it can; printed
    again with the layout readers only, the text, the error and the budget left must be
    the same."""
    from capnp_lite.dynamic import read_segments
    from capnp_lite.text import printer

    segments = decode_message(data, max_message_words=MAX_WORDS)
    total = sum(len(s) for s in segments) // 8

    def printed() -> Tuple[Tuple[Any, ...], Optional[DecodeError]]:
        reader = read_segments(segments, fuzz_schema(), 4 * total + 64, NESTING)
        try:
            return (printer.to_text(reader), printer.to_text(reader, pretty=True),
                    reader._ctx.budget), None
        except DecodeError as exc:
            return (type(exc), str(exc), reader._ctx.budget), exc

    fast, error = printed()
    printer.PROPERTY_READS = False
    try:
        slow, _ = printed()
    finally:
        printer.PROPERTY_READS = True
    if fast != slow:
        raise AssertionError(f"the printer's two ways of reading differ: {fast!r} != {slow!r}")
    if error is not None:
        raise error
    reader = read_segments(segments, fuzz_schema(), 4 * total + 64, NESTING)
    reader.to_dict()


def _generated_module() -> Any:
    """The typed module generated from :data:`FUZZ_SCHEMA` (generated and executed once)."""
    mod = _SCHEMA_CACHE.get("generated")
    if mod is None:
        import types

        from capnp_lite.codegen import generate
        from capnp_lite.schema import compile_source

        request = compile_source(FUZZ_SCHEMA, "fuzzgen.capnp")
        fields = {n.short_name: [f.name for f in n.fields] for n in request.nodes if n.which == "struct"}
        (name, source), = generate(request, relative_imports=False).items()
        mod = types.ModuleType(name)
        exec(compile(source, name, "exec"), mod.__dict__)
        mod.FIELDS = fields
        _SCHEMA_CACHE["generated"] = mod
    return mod


_LIMIT = "limit"  # a read ran out of budget: the two ways of reading may differ there
_BAD = "bad"  # a read raised DecodeError


def _walk(value: Any, fields: Dict[str, List[str]], depth: int, iterate: bool) -> Any:
    """A generated reader's value as plain data, reading every field (struct lists element by
    element: by iterating, which reads ahead, or by indexing, which does not)."""
    from capnp_lite.codegen.runtime import StructList, StructView

    if depth > 6:
        return "deep"
    if isinstance(value, StructView):
        name = type(value).__name__
        name = name[1:-len("_Loaded")] if name.endswith("_Loaded") else name[:-len("_Reader")]
        out = {}
        for f in fields.get(name.split("_")[-1], []):
            try:
                out[f] = _walk(getattr(value, f), fields, depth + 1, iterate)
            except LimitError:
                out[f] = _LIMIT
            except DecodeError:
                out[f] = _BAD
        return out
    if isinstance(value, StructList):
        elems = list(value) if iterate else [value[k] for k in range(len(value))]
        return [_walk(e, fields, depth + 1, iterate) for e in elems]
    if isinstance(value, float) and value != value:
        return "nan"  # (NaN is not equal to itself)
    if isinstance(value, (str, bytes, bytearray, int, float, bool)) or value is None:
        return value
    try:
        return [_walk(v, fields, depth + 1, iterate) for v in value]
    except TypeError:  # AnyPointer readers and the like: not compared
        return type(value).__name__


def _has_limit(value: Any) -> bool:
    if value == _LIMIT:
        return True
    if isinstance(value, dict):
        return any(_has_limit(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_limit(v) for v in value)
    return False


def generated(data: bytes) -> None:
    """Typed (generated) readers over a framed message: every field read, struct lists both by
    iterating (the list loaders read ahead) and by indexing; the two must agree."""
    mod = _generated_module()
    segments = decode_message(data, max_message_words=MAX_WORDS)
    total = sum(len(s) for s in segments) // 8
    limit = 16 * total + 256
    readers = [mod.Root_Reader.from_segments([bytes(s) for s in segments], traversal_limit_in_words=limit,
                                             nesting_limit=NESTING) for _ in range(2)]
    by_iter = _walk(readers[0], mod.FIELDS, 0, True)
    by_index = _walk(readers[1], mod.FIELDS, 0, False)
    if not (_has_limit(by_iter) or _has_limit(by_index)):
        assert by_iter == by_index, "iterating and indexing a struct list read different values"


def text(data: bytes) -> None:
    """The text format parser, then applying the text to :data:`FUZZ_SCHEMA`'s ``Root``."""
    from capnp_lite.text.encode import text_to_builders
    from capnp_lite.text.parser import parse_messages

    parse_messages(data)
    for builder in text_to_builders(fuzz_schema(), data):
        builder.to_bytes()


def _schema_imports() -> Dict[str, str]:
    """The repository's schema files, by the names an import resolves to."""
    cached: Optional[Dict[str, str]] = _SCHEMA_CACHE.get("imports")
    if cached is None:
        root = Path(__file__).resolve().parents[2] / "schemas"
        cached = {}
        for p in sorted(root.rglob("*.capnp")):
            rel = p.relative_to(root).as_posix()
            text = p.read_text("utf-8")
            cached[rel] = text
            cached["/" + rel] = text
        cached["inner.capnp"] = FUZZ_SCHEMA
        _SCHEMA_CACHE["imports"] = cached
    return cached


def schema(data: bytes) -> None:
    """Compile the input (UTF-8, undecodable bytes replaced) as a schema file."""
    from capnp_lite.schema import compile_source

    source = data.decode("utf-8", "replace")
    compile_source(source, "fuzz.capnp", imports=_schema_imports())


def v8(data: bytes) -> None:
    """V8 value deserialization, with and without the version header."""
    from debugport.v8 import loads

    first: Optional[DecodeError] = None
    try:
        loads(data)
    except DecodeError as exc:
        first = exc
    loads(data[1:], header=False, max_depth=32)
    if first is not None:
        raise first


def rpc(data: bytes) -> None:
    """Every framed message of the input decoded as an RPC message and fed to a connection."""
    from capnp_lite.rpc.codec import decode
    from capnp_lite.rpc.connection import RpcConnection

    conn = RpcConnection(bootstrap="root", max_questions=16, max_answers=16, max_imports=16)
    view = memoryview(data)
    pos = 0
    while pos < len(data):
        segments, pos = decode_message_at(view, pos, max_message_words=MAX_WORDS)
        message = decode(segments)
        conn.receive(message)
        conn.messages_to_send()


# --------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------

Target = Callable[[bytes], None]

# name -> (target, the error classes it may raise)
TARGETS: Dict[str, Tuple[Target, Tuple[Type[BaseException], ...]]] = {
    "framing": (framing, (DecodeError,)),
    "framing_stream": (framing_stream, (DecodeError,)),
    "packed": (packed, (DecodeError,)),
    "layout": (layout, (DecodeError,)),
    "layout_flat": (layout_flat, (DecodeError,)),
    "copy": (copy, (DecodeError,)),
    "copy_flat": (copy_flat, (DecodeError,)),
    "canonical": (canonical, (DecodeError,)),
    "dynamic": (dynamic, (DecodeError,)),
    "generated": (generated, (DecodeError,)),
    "text": (text, (TextFormatError,)),
    "schema": (schema, (SchemaError,)),
    "v8": (v8, (DecodeError,)),
    "rpc": (rpc, (DecodeError, ProtocolError)),
}

# Seconds one input may take before it counts as a hang.
TIME_LIMIT = 10.0


def run_target(name: str, data: bytes, seconds: float = TIME_LIMIT) -> Optional[BaseException]:
    """Run target ``name`` on ``data``; return the documented error it raised, if any.

    Any other exception (including :class:`Timeout` and assertion failures of
    the cross-checks) propagates: that is a finding.
    """
    fn, allowed = TARGETS[name]
    with deadline(seconds):
        try:
            fn(data)
        except allowed as exc:
            return exc
    return None
