"""Input generators for fuzzing: valid messages built at random, mutations, seed files.

Everything here takes a ``random.Random``, so the Hypothesis tests (through
``st.randoms()``) and the coverage-guided harness share one generator.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Dict, List, Optional

from capnp_lite.errors import TextFormatError
from capnp_lite.wire import pointers as P
from capnp_lite.wire.framing import encode_message
from capnp_lite.wire.layout import ListBuilder, MessageBuilder, StructBuilder
from capnp_lite.wire.packed import pack, pack_message

REPO = Path(__file__).resolve().parents[2]
VECTORS = Path(os.environ.get("CAPNP_LITE_VECTORS", REPO.parent / "shared" / "vectors"))
CORPUS = Path(__file__).resolve().parent / "corpus"

_FORMATS = "?bBhHiIqQfd"
_TEXTS = ("", "a", "hello", "h\u00e9llo \u2603", "x" * 40, "\x00inside")


# --------------------------------------------------------------------------
# Valid messages, built with the wire builder
# --------------------------------------------------------------------------


def _values(rng: random.Random, fmt: str, n: int) -> List[float]:
    if fmt == "?":
        return [rng.random() < 0.5 for _ in range(n)]
    if fmt in "fd":
        return [rng.choice((0.0, -0.0, 1.5, -2.25, 1e30)) for _ in range(n)]
    bits = {"b": 8, "B": 8, "h": 16, "H": 16, "i": 32, "I": 32, "q": 64, "Q": 64}[fmt]
    if fmt.islower():
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    else:
        lo, hi = 0, (1 << bits) - 1
    return [rng.choice((lo, hi, 0, 1, rng.randint(lo, hi))) for _ in range(n)]


def _fill_struct(rng: random.Random, s: StructBuilder, dw: int, pc: int, depth: int) -> None:
    for w in range(dw):
        if rng.random() < 0.7:
            s.set_uint64(w, rng.getrandbits(64) if rng.random() < 0.5 else rng.randrange(256))
    for i in range(pc):
        _fill_pointer_of_struct(rng, s, i, depth)


def _fill_pointer_of_struct(rng: random.Random, s: StructBuilder, i: int, depth: int) -> None:
    choice = rng.randrange(11 if depth > 0 else 6)
    if choice == 0:
        return  # null
    if choice == 1:
        s.set_text(i, rng.choice(_TEXTS))
    elif choice == 2:
        s.set_data(i, bytes(rng.randrange(256) for _ in range(rng.randrange(20))))
    elif choice == 3:
        fmt = rng.choice(_FORMATS)
        s.init_primitive_list(i, fmt, _values(rng, fmt, rng.randrange(12)))
    elif choice == 4:
        s.set_capability(i, rng.randrange(4))
    elif choice == 5:
        s.init_list(i, P.ELEM_VOID, rng.randrange(6))
    elif choice in (6, 7):
        dw, pc = rng.randrange(3), rng.randrange(3)
        _fill_struct(rng, s.init_struct(i, dw, pc), dw, pc, depth - 1)
    elif choice == 8:
        dw, pc, n = rng.randrange(3), rng.randrange(3), rng.randrange(4)
        lst = s.init_struct_list(i, n, dw, pc)
        for j in range(n):
            _fill_struct(rng, lst.get_struct(j), dw, pc, depth - 1)
    else:
        n = rng.randrange(4)
        _fill_pointer_list(rng, s.init_list(i, P.ELEM_POINTER, n), n, depth - 1)


def _fill_pointer_list(rng: random.Random, lst: ListBuilder, n: int, depth: int) -> None:
    for j in range(n):
        choice = rng.randrange(5 if depth > 0 else 3)
        if choice == 0:
            continue
        if choice == 1:
            lst.set_text(j, rng.choice(_TEXTS))
        elif choice == 2:
            lst.set_data(j, bytes(rng.randrange(4)))
        elif choice == 3:
            dw, pc = rng.randrange(2), rng.randrange(3)
            _fill_struct(rng, lst.init_struct(j, dw, pc), dw, pc, depth - 1)
        else:
            fmt = rng.choice(_FORMATS)
            lst.init_primitive_list(j, fmt, _values(rng, fmt, rng.randrange(5)))


def build_segments(rng: random.Random, depth: int = 3) -> List[bytes]:
    """A random valid message; small first segments force far pointers."""
    mb = MessageBuilder(rng.choice((1, 2, 5, 16, 1024)))
    dw, pc = rng.randrange(4), rng.randrange(5)
    _fill_struct(rng, mb.init_root(dw, pc), dw, pc, depth)
    return mb.segments()


def build_message(rng: random.Random, depth: int = 3) -> bytes:
    """A random valid framed message."""
    return encode_message(build_segments(rng, depth))


# --------------------------------------------------------------------------
# Mutations
# --------------------------------------------------------------------------


def random_pointer(rng: random.Random) -> int:
    """A pointer word aimed at the edges: small and extreme offsets, sizes, segments."""
    off = rng.choice((-3, -2, -1, 0, 1, 2, 5, (1 << 29) - 1, -(1 << 29)))
    kind = rng.randrange(6)
    if kind == 0:
        return P.make_struct(off, rng.choice((0, 1, 2, 0xFFFF)), rng.choice((0, 1, 2, 0xFFFF)))
    if kind == 1:
        count = rng.choice((0, 1, 2, 3, 9, 1 << 20, (1 << 29) - 1))
        return P.make_list(off, rng.randrange(8), count)
    if kind == 2:
        return P.make_far(rng.random() < 0.5, rng.choice((0, 1, 2, 3, (1 << 29) - 1)),
                          rng.choice((0, 1, 2, 7, 0xFFFFFFFF)))
    if kind == 3:
        return P.make_capability(rng.choice((0, 1, 0xFFFFFFFF)))
    if kind == 4:
        # Inline-composite tag word: element count in the offset field.
        return P.make_struct(rng.choice((0, 1, 2, (1 << 29) - 1)), rng.randrange(3), rng.randrange(3))
    return rng.choice((0, P.ZERO_SIZED_STRUCT, 0xFFFFFFFFFFFFFFFF, 3, 7, rng.getrandbits(64)))


def interesting_words(rng: random.Random) -> List[int]:
    """A few candidate words for the mutators (pointers and segment-table words)."""
    table = rng.choice((0, 1, 2, 511, 512, 0xFFFFFFFF)) | rng.choice((0, 1, 2, 1000, 0xFFFFFFFF)) << 32
    return [random_pointer(rng), random_pointer(rng), table]


def mutate_message(rng: random.Random, data: bytes) -> bytes:
    """Structure-aware damage to a framed message: flips, cuts, pointer swaps, table edits."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(6)
        nwords = len(buf) // 8
        if op == 0 and buf:
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1 and buf:
            del buf[rng.randrange(len(buf)):]
        elif op in (2, 3) and nwords:
            i = rng.randrange(nwords) * 8
            buf[i:i + 8] = random_pointer(rng).to_bytes(8, "little")
        elif op == 4 and nwords:
            # The segment table: count and sizes live in the leading words.
            i = rng.randrange(min(nwords, 3)) * 8
            buf[i:i + 8] = interesting_words(rng)[2].to_bytes(8, "little")
        elif op == 5 and nwords >= 2:
            # Copy one word over another: aliases, loops, and landing pads.
            i, j = rng.randrange(nwords) * 8, rng.randrange(nwords) * 8
            buf[j:j + 8] = buf[i:i + 8]
    return bytes(buf)


def mutate_text(rng: random.Random, text: str, pieces: List[str]) -> str:
    """Damage to source text: deletions, duplications, inserted tokens, cuts."""
    s = text
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(5)
        i = rng.randrange(len(s) + 1)
        if op == 0:
            s = s[:i] + s[i + rng.randint(1, 20):]
        elif op == 1:
            j = min(len(s), i + rng.randint(1, 40))
            s = s[:j] + s[i:j] + s[j:]
        elif op == 2:
            s = s[:i] + rng.choice(pieces) + s[i:]
        elif op == 3:
            s = s[:i]
        elif s:
            k = rng.randrange(len(s))
            s = s[:k] + chr(rng.choice((0, 9, 10, 34, 35, 40, 41, 64, 123, 125, 0x2603, 0x7F))) + s[k + 1:]
    return s


# Tokens the text mutators insert: syntax of both the schema language and the text format.
TOKENS = [
    "(", ")", "[", "]", "{", "}", ";", ",", "=", ":", "@", "@0", "@99999999999", "$", ".",
    "struct S {}", "List(", "List(List(List(", "union {", "group", " :Text", " :AnyPointer",
    "0x", "0x\"", '"', "\\", "-", "1e400", "nan", "inf", "-0", "0777", "99999999999999999999999",
    "using import", 'import "x.capnp"', "const c :", "annotation a(*) :", "interface I {",
    "enum E {", "generic", "(T)", "# comment\n", "\n", "\u00e9", "\x00",
]


# --------------------------------------------------------------------------
# Seed inputs per target (for the harness)
# --------------------------------------------------------------------------


def _files(pattern: str, limit: int) -> List[bytes]:
    if not VECTORS.is_dir():
        return []
    paths = sorted(VECTORS.glob(pattern))[:limit]
    return [p.read_bytes() for p in paths]


def repo_schemas() -> Dict[str, str]:
    """The schema files of the repository, by path relative to ``schemas/``."""
    out: Dict[str, str] = {}
    for p in sorted((REPO / "schemas").rglob("*.capnp")):
        out[str(p.relative_to(REPO / "schemas"))] = p.read_text("utf-8")
    return out


def sample_texts() -> List[bytes]:
    """Text-format messages for the fuzz schema's ``Root``."""
    return [
        b"()",
        b'(b = true, i8 = -128, u16 = 65535, i32 = -7, u64 = 18446744073709551615, f32 = inf, '
        b'f64 = -0.5e-300, t = "a\\n\\x00\\"", d = 0x"00 ff", e = green, inner = (a = 1, b = "x", '
        b'self = (a = 2)), bools = [true, false], ints = [-1, 0x7f], bytes = [0, 255], '
        b'texts = ["", "\xc3\xa9"], datas = [0x""], structs = [(a = 3), ()], '
        b"nested = [[1, 2], [], [-3]], enums = [red, blue], voids = [void, void], "
        b"num = nan, grp = (x = -1, y = [1.5, -inf]))",
        b'(str = "s" "t", sub = (self = (self = ())))  (none = void)',
        b"(e = (9), u16 = 0777, f32 = -nan)  # comment",
    ]


def seeds_for(target: str, count: int = 40, corpus: bool = True) -> List[bytes]:
    """Starting inputs for ``target``: built messages, vectors, and its saved corpus."""
    rng = random.Random(1234)
    built = [build_message(rng) for _ in range(count)]
    vec = _files("messages/*/*/*/message.bin", 60) + _files("multiseg/*/*/*/message.bin", 20) \
        + _files("hostile/*/input.bin", 30)
    out: List[bytes] = []
    if target in ("framing", "layout", "copy", "canonical"):
        out = built + vec
    elif target == "framing_stream":
        out = [bytes([i]) + m for i, m in enumerate(built + vec)]
    elif target in ("layout_flat", "copy_flat"):
        out = [b"".join(build_segments(rng)) for _ in range(count)] \
            + _files("messages/*/*/*/message.flat.bin", 40)
    elif target == "packed":
        out = [pack_message(build_segments(rng)) for _ in range(count)] \
            + [pack(m) for m in built[:10]] + _files("messages/*/*/*/message.packed.bin", 40) \
            + _files("hostile/*/input.packed.bin", 10)
    elif target == "dynamic":
        out = built + dynamic_messages()
    elif target == "text":
        out = sample_texts() + _files("messages/*/*/*/input.txt", 40) + _files("hostile/*/input.txt", 10)
    elif target == "schema":
        from .targets import FUZZ_SCHEMA

        out = [s.encode() for s in repo_schemas().values()] + _files("schemas/*.capnp", 20) \
            + [FUZZ_SCHEMA.encode()]
    elif target == "v8":
        out = _v8_values()
    elif target == "rpc":
        out = _rpc_messages()
    folder = CORPUS / target
    if corpus and folder.is_dir():
        out += [p.read_bytes() for p in sorted(folder.glob("*.bin"))]
    return out


def dynamic_messages() -> List[bytes]:
    from capnp_lite.text.encode import text_to_builders

    from .targets import fuzz_schema

    out: List[bytes] = []
    for t in sample_texts():
        try:
            builders = text_to_builders(fuzz_schema(), t)
        except TextFormatError:
            continue  # some samples are deliberately not valid text
        out.extend(b.to_bytes() for b in builders)
    return out


def _v8_values() -> List[bytes]:
    from debugport.v8 import JSMap, dumps

    shared: List[object] = [1]
    values: List[object] = [
        None, True, 0, -1, 2 ** 31, 2 ** 70, 1.5, float("nan"), "", "abc", "\u2603\ud800",
        b"\x00\x01", [1, [2, [3]]], {"a": 1, "0": 2}, JSMap([(1, "x")]), {1, 2}, [shared, shared],
    ]
    out: List[bytes] = []
    for v in values:
        try:
            out.append(dumps(v))
        except Exception:  # a value this codec version does not write: skip the seed
            pass
    return out


def _rpc_messages() -> List[bytes]:
    from capnp_lite.rpc import messages as M
    from capnp_lite.rpc.codec import encode
    from capnp_lite.rpc.ids import AnswerId, ExportId, ImportId, QuestionId

    msgs: List[M.Message] = [
        M.Bootstrap(QuestionId(0)),
        M.Finish(QuestionId(0)),
        M.Release(ImportId(1), 1),
        M.Abort(M.RpcException("bye")),
        M.Call(QuestionId(1), M.ImportedCapTarget(ImportId(0)), 0x1234, 2,
               M.Payload(None, (M.CapSenderHosted(ExportId(3)),))),
        M.Return(AnswerId(0), M.ReturnException(M.RpcException("no"))),
    ]
    out: List[bytes] = []
    one: Optional[bytes] = None
    for m in msgs:
        try:
            framed = encode_message(encode(m))
        except Exception:  # a constructor this model spells differently: skip the seed
            continue
        out.append(framed)
        one = framed if one is None else one + framed
    if one is not None:
        out.append(one)
    return out


def import_everything() -> List[str]:
    """Import every module a target can reach (so coverage instrumentation sees them).

    Returns the modules that failed to import, each with its error.
    """
    import importlib

    failed: List[str] = []
    for name in ("capnp_lite.wire.canonical", "capnp_lite.wire.packed", "capnp_lite.schema",
                 "capnp_lite.dynamic", "capnp_lite.text.encode", "capnp_lite.text.printer",
                 "capnp_lite.rpc.codec", "capnp_lite.rpc.connection", "debugport.v8"):
        try:
            importlib.import_module(name)
        except ImportError as exc:
            failed.append(f"{name}: {exc}")
    return failed


def generated_message(rng: random.Random) -> bytes:
    """A message for the fuzz schema's ``Root`` with a list of structs (what the generated list
    loaders read ahead), built with the generated builders, one segment or re-laid out over
    small segments so that its objects are reached through far pointers."""
    from capnp_lite.wire.framing import encode_message
    from capnp_lite.wire.layout import MessageBuilder, MessageReader

    from .targets import _generated_module

    mod = _generated_module()
    root = mod.Root_Builder()
    root.t = "t" * rng.randrange(12)
    items = root.init_structs(rng.randrange(1, 40))
    for item in items:
        item.a = rng.randrange(256)
        if rng.random() < 0.8:
            item.b = "".join(rng.choice("ab\u00e9z") for _ in range(rng.randrange(20)))
    root.texts = ["x" * rng.randrange(10) for _ in range(rng.randrange(6))]
    data: bytes = root.to_bytes()
    if rng.random() < 0.5:
        reader = MessageReader(decode_message_segments(data))
        mb = MessageBuilder(rng.choice([1, 2, 3, 5, 8, 16]))
        mb.set_root_pointer(reader.root_pointer())
        data = encode_message(mb.segments())
    return data


def decode_message_segments(data: bytes) -> List[bytes]:
    from capnp_lite.wire.framing import decode_message

    return [bytes(s) for s in decode_message(data)]
