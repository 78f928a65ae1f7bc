"""The per-call short cuts of the session and its schema views, against the general paths.

Number fields with a zero default are packed and unpacked straight from the segment bytes,
a method's plain return value skips the awaitable check, and a session that is processing
received messages flushes what they queued once, at the end of the batch.  Each must give
what the general path gives.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

import capnp_lite.aio as capnp
from capnp_lite.aio import session as session_module
from capnp_lite.aio._schema import StructBuild, StructView
from capnp_lite.errors import DecodeError, EncodeError
from capnp_lite.wire.framing import MessageDecoder, encode_message, whole_messages
from capnp_lite.wire.layout import MessageBuilder

sys.path.insert(0, os.path.dirname(__file__))
from calculator_pycapnp_server import SCHEMA, make_impl  # noqa: E402

NUMBERS = """
@0xb5b6b1a8e4f0c2d1;
struct Numbers {
  i8 @0 :Int8;
  u8 @1 :UInt8;
  i16 @2 :Int16;
  u16 @3 :UInt16;
  i32 @4 :Int32;
  u32 @5 :UInt32;
  i64 @6 :Int64;
  u64 @7 :UInt64;
  f32 @8 :Float32;
  f64 @9 :Float64;
  color @10 :Color;
  flag @11 :Bool;
  withDefault @12 :Int32 = 7;
  floatDefault @13 :Float64 = 1.5;
  negZero @14 :Float64 = -0.0;
  colorDefault @15 :Color = blue;
  union {
    none @16 :Void;
    count @17 :UInt16;
    ratio @18 :Float32;
  }
}
enum Color { red @0; green @1; blue @2; }
interface Echo {
  numbers @0 (n :Numbers) -> (n :Numbers);
  one @1 () -> (value :Float64);
}
"""

VALUES: Dict[str, Any] = {
    "i8": -128, "u8": 255, "i16": -32768, "u16": 65535, "i32": -(1 << 31), "u32": (1 << 32) - 1,
    "i64": -(1 << 63), "u64": (1 << 64) - 1, "f32": 0.5, "f64": -2.25, "color": "green", "flag": True,
    "withDefault": 0, "floatDefault": 0.0, "negZero": 0.0, "colorDefault": "red",
}

# The layout core's typed setter for each kind, as the general path stores a field.
SETTERS = {"int8": "set_int8", "uint8": "set_uint8", "int16": "set_int16", "uint16": "set_uint16",
           "int32": "set_int32", "uint32": "set_uint32", "int64": "set_int64", "uint64": "set_uint64",
           "float32": "set_float32", "float64": "set_float64"}


@pytest.fixture(scope="module")
def numbers(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("schema") / "numbers.capnp"
    path.write_text(NUMBERS)
    return capnp.load(str(path))


def _fresh(schema: Any) -> Any:
    mb = MessageBuilder()
    return mb.init_root(schema.data_words, schema.pointer_count)


def test_number_fields_store_the_bytes_the_layout_core_stores(numbers: Any) -> None:
    schema = numbers.Numbers.schema
    ours = _fresh(schema)
    build = StructBuild(schema, ours, lambda cap: 0)
    build.update(VALUES)
    build.ratio = 0.25  # a union member: sets the discriminant as well
    core = _fresh(schema)
    for name, value in VALUES.items():
        f = schema.fields[name]
        if f.kind in SETTERS:
            default = f.default if f.default is not None else (0.0 if f.kind.startswith("float") else 0)
            getattr(core, SETTERS[f.kind])(f.offset, value, default)
        elif f.kind == "enum":
            ordinal = f.type.enum.by_name[value]
            core.set_uint16(f.offset, ordinal, int(f.default or 0))
        elif f.kind == "bool":
            core.set_bool(f.offset, value)
    core.set_uint16(schema.discriminant_offset, schema.fields["ratio"].discriminant)
    core.set_float32(schema.fields["ratio"].offset, 0.25)
    assert bytes(ours.as_reader().segment.b[: 8 * schema.data_words + 8]) == bytes(
        core.as_reader().segment.b[: 8 * schema.data_words + 8])
    view = StructView(schema, ours.as_reader(), [])
    for name, value in VALUES.items():
        got = getattr(view, name)
        # (an enum reads as the name that also equals its number, a str subclass)
        assert got == value and isinstance(got, type(value)), name
    assert view.which() == "ratio" and view.ratio == 0.25


def test_fields_beyond_an_older_struct_read_as_their_defaults(numbers: Any) -> None:
    schema = numbers.Numbers.schema
    old = MessageBuilder().init_root(0, 0)  # written before any field existed
    view = StructView(schema, old.as_reader(), [])
    assert view.i32 == 0 and view.u64 == 0
    assert view.f64 == 0.0 and type(view.f64) is float and type(view.f32) is float
    assert view.withDefault == 7 and view.floatDefault == 1.5
    # A -0.0 default is not all-zero bits: such a field keeps the general path.
    assert schema.fields["negZero"].packer is None and schema.fields["f64"].packer is not None
    assert view.color == "red" and view.colorDefault == "blue"
    assert view.which() == "none"


@pytest.mark.parametrize("name, value", [("u8", 256), ("i8", -129), ("u32", -1), ("u64", 1 << 64),
                                         ("i32", 1.5), ("f64", "x"), ("withDefault", 1 << 40)])
def test_values_that_do_not_fit_are_refused(numbers: Any, name: str, value: Any) -> None:
    schema = numbers.Numbers.schema
    build = StructBuild(schema, _fresh(schema), lambda cap: 0)
    with pytest.raises(EncodeError):
        setattr(build, name, value)


def test_numbers_travel_through_a_call(numbers: Any) -> None:
    class Echo(numbers.Echo.Server):  # type: ignore[misc, unused-ignore]
        async def numbers(self, n: Any, **kw: Any) -> Any:
            return {"n": n}

        async def one(self, **kw: Any) -> float:
            return 0.75

    async def main() -> None:
        a, b = capnp.memory_pair()
        server = capnp.Session(b, Echo())
        client = capnp.Session(a)
        echo = client.bootstrap().cast_as(numbers.Echo)
        back = (await echo.numbers(n=VALUES)).n
        assert {name: getattr(back, name) for name in VALUES} == VALUES
        assert (await echo.one()).value == 0.75
        await client.close()
        await server.close()

    asyncio.run(asyncio.wait_for(main(), 20))


class _Later:
    """An awaitable that is no coroutine (its result after one loop turn)."""

    def __init__(self, value: float) -> None:
        self.value = value

    def __await__(self) -> Any:
        yield from asyncio.sleep(0).__await__()
        return self.value


class _Float(float):
    """A float subclass: not one of the plain value types, so it takes the general check."""


def test_every_kind_of_return_value_is_awaited_or_stored(tmp_path: Path) -> None:
    calc_capnp = capnp.load(SCHEMA)
    returned: List[Any] = []

    class Value(calc_capnp.Calculator.Value.Server):  # type: ignore[misc, unused-ignore]
        def read(self, **kw: Any) -> Any:  # not async: whatever it returns is the result
            return returned.pop(0)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        done.set_result(4.0)

        async def coro() -> float:
            await asyncio.sleep(0)
            return 5.0

        a, b = capnp.memory_pair()
        server = capnp.Session(b, Value())
        client = capnp.Session(a)
        value = client.bootstrap().cast_as(calc_capnp.Calculator.Value)
        cases = [(1.0, 1.0), (2, 2.0), (_Float(3.0), 3.0), (done, 4.0), (coro(), 5.0), (_Later(6.0), 6.0),
                 ((7.0,), 7.0), ({"value": 8.0}, 8.0), (None, 0.0)]
        for given, expected in cases:
            returned.append(given)
            assert (await value.read()).value == expected, given
        await client.close()
        await server.close()

    asyncio.run(asyncio.wait_for(main(), 20))


def test_a_batch_of_calls_is_flushed_once_without_an_empty_turn() -> None:
    """The server answers calls that finish inline with one write per batch, and schedules no
    flush that would find nothing left to send."""
    calc_capnp = capnp.load(SCHEMA)
    impl = make_impl(capnp, calc_capnp)
    flushes: List[int] = []
    writes: List[int] = []
    original = session_module.Session._flush

    def counting_flush(self: Any) -> None:
        if self is server_box[0]:
            flushes.append(len(self._conn.outbox))
        original(self)

    server_box: List[Any] = []

    async def main() -> None:
        a, b = capnp.memory_pair()
        real_write = b.write

        def write(data: bytes) -> None:
            writes.append(len(data))
            real_write(data)

        b.write = write  # type: ignore[method-assign]
        server = capnp.Session(b, impl())
        server_box.append(server)
        client = capnp.Session(a)
        calc = client.bootstrap().cast_as(calc_capnp.Calculator)
        value = (await calc.evaluate({"literal": 2.0})).value
        await value.read()
        await asyncio.sleep(0.01)  # lazy messages out
        flushes.clear()
        writes.clear()
        for _ in range(20):
            assert (await value.read()).value == 2.0
        assert len(writes) == 20  # one Return per serial call, each in a write of its own
        await asyncio.gather(*[value.read() for _ in range(10)])
        # Ten calls made in one turn reach the server in two batches (the client writes the
        # first few at once, the rest at the end of its turn): one write of Returns for each.
        assert len(writes) == 22
        assert flushes and all(flushes), flushes  # never a flush with nothing queued
        await client.close()
        await server.close()

    session_module.Session._flush = counting_flush  # type: ignore[method-assign]
    try:
        asyncio.run(asyncio.wait_for(main(), 20))
    finally:
        session_module.Session._flush = original  # type: ignore[method-assign]


def _frame(words: int, fill: int) -> bytes:
    return encode_message([bytes([fill]) * (8 * words)])


def test_whole_messages_are_read_in_place_and_counted() -> None:
    decoder = MessageDecoder(max_message_words=16)
    data = _frame(2, 1) + _frame(0, 0) + _frame(16, 3)
    got = whole_messages(decoder, data)
    assert got is not None and [bytes(m) for m in got] == [b"\x01" * 16, b"", b"\x03" * 128]
    assert all(m.readonly for m in got)
    # The decoder counted those bytes: an error after them names the right stream offset.
    decoder.feed(_frame(17, 0))
    with pytest.raises(DecodeError, match=f"stream byte {len(data)}"):
        decoder.next_message()


@pytest.mark.parametrize("data", [
    _frame(2, 1)[:-1],  # a message cut short
    _frame(1, 1) + _frame(1, 2)[:6],  # a whole one, then part of a segment table
    _frame(17, 1),  # over the decoder's limit
    encode_message([b"\x00" * 8, b"\x00" * 8]),  # two segments
    bytearray(_frame(1, 1)),  # a buffer that may change under the views
])
def test_anything_else_is_left_to_the_decoder(data: Any) -> None:
    decoder = MessageDecoder(max_message_words=16)
    assert whole_messages(decoder, data) is None
    assert decoder.buffered == 0  # nothing taken


def test_a_decoder_holding_part_of_a_message_gets_the_rest() -> None:
    decoder = MessageDecoder(max_message_words=16)
    first = _frame(1, 7)
    decoder.feed(first[:5])
    assert decoder.next_message() is None
    assert whole_messages(decoder, first[5:] + _frame(1, 8)) is None  # must go through feed


def test_a_session_reads_a_stream_cut_anywhere() -> None:
    """A message split across reads takes the decoder, which then gets the rest as well."""
    calc_capnp = capnp.load(SCHEMA)
    impl = make_impl(capnp, calc_capnp)

    async def main() -> None:
        a, b = capnp.memory_pair()
        real = a.write
        chunks: List[bytes] = []

        pending: List[bytes] = []  # what is still to be delivered, in order

        def deliver_rest() -> None:
            real(b"".join(pending))
            pending.clear()

        def write(data: bytes) -> None:  # a write reaches the server in two reads, later ones behind it
            chunks.append(bytes(data))
            if pending:  # the rest of an earlier write is still due: the stream keeps its order
                pending.append(bytes(data))
                return
            cut = len(data) // 2 + 3
            real(data[:cut])
            pending.append(bytes(data[cut:]))
            asyncio.get_running_loop().call_soon(deliver_rest)

        a.write = write  # type: ignore[method-assign]
        server = capnp.Session(b, impl())
        client = capnp.Session(a)
        calc = client.bootstrap().cast_as(calc_capnp.Calculator)
        value = (await calc.evaluate({"literal": 3.0})).value
        assert (await value.read()).value == 3.0
        assert len(chunks) >= 2
        await client.close()
        await server.close()

    asyncio.run(asyncio.wait_for(main(), 20))


def test_bytes_that_end_a_pending_segment_table_are_never_read_as_messages() -> None:
    decoder = MessageDecoder(max_message_words=16)
    decoder.feed(b"\x01\x00\x00\x00" + b"\x01\x00\x00\x00")  # two segments, the first of one word
    assert decoder.next_message() is None  # the table is not complete yet
    rest = bytes(16)  # the second size (0), the padding, the first segment: as frames, two empty messages
    assert whole_messages(decoder, rest) is None
    decoder.feed(rest)
    segments = decoder.next_message()
    assert segments is not None and [len(s) for s in segments] == [8, 0]


def test_a_float32_beyond_its_range_is_stored_as_infinity(numbers: Any) -> None:
    # As the layout core's typed setter and pycapnp store it, not refused.
    schema = numbers.Numbers.schema
    ours = _fresh(schema)
    build = StructBuild(schema, ours, lambda cap: 0)
    build.f32 = 1e300
    build.f64 = 1e300
    view = StructView(schema, ours.as_reader(), [])
    assert view.f32 == float("inf") and view.f64 == 1e300
