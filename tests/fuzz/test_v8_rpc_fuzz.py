"""Bounded fuzzing of the V8 value decoder and of RPC messages off the wire.

V8: mutated ``dumps`` output and random bytes must decode or raise
``DecodeError``.  RPC: mutated encodings of RPC messages go through framing,
the ``rpc.capnp`` codec and a connection's ``receive``; only ``DecodeError``
(bad bytes) and ``ProtocolError`` (a well-formed message breaking the
protocol) may escape.
"""

from __future__ import annotations

import random
from typing import List

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capnp_lite.errors import DecodeError

from . import seeds
from .checks import FUZZ, check

V8_SEEDS: List[bytes] = seeds.seeds_for("v8", corpus=False)
RPC_SEEDS: List[bytes] = seeds.seeds_for("rpc", corpus=False)


def _damage(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(4)
        if op == 0 and buf:
            buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
        elif op == 1 and buf:
            buf[rng.randrange(len(buf))] = rng.choice((0x00, 0x7F, 0x80, 0xFF, rng.randrange(256)))
        elif op == 2 and buf:
            del buf[rng.randrange(len(buf)):]
        else:
            i = rng.randrange(len(buf) + 1)
            buf[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
    return bytes(buf)


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_v8(data: bytes) -> None:
    check("v8", data)


@FUZZ
@given(rng=st.randoms(use_true_random=False), which=st.integers(0, max(0, len(V8_SEEDS) - 1)))
def test_mutated_v8(rng: random.Random, which: int) -> None:
    if not V8_SEEDS:
        pytest.skip("no V8 seeds")
    check("v8", _damage(rng, V8_SEEDS[which]))


@pytest.mark.parametrize("tag", [b"A", b"o", b";", b"a"])
def test_v8_deep_nesting_is_a_limit(tag: bytes) -> None:
    # 100k nested arrays / objects / maps: a limit, never RecursionError.
    body = tag + (b"\x00" if tag in (b"A", b"a") else b"")
    data = b"\xff\x0f" + body * 100_000
    err = check("v8", data)
    assert isinstance(err, DecodeError)


def test_v8_huge_declared_lengths() -> None:
    # A string, an array and an ArrayBuffer announcing 2^32 - 1 elements of nothing.
    for tag in (b'"', b"A", b"B", b"c"):
        err = check("v8", b"\xff\x0f" + tag + b"\xff\xff\xff\xff\x0f")
        assert isinstance(err, DecodeError), tag


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes_rpc(data: bytes) -> None:
    check("rpc", data)


@FUZZ
@given(rng=st.randoms(use_true_random=False), which=st.integers(0, max(0, len(RPC_SEEDS) - 1)))
def test_mutated_rpc(rng: random.Random, which: int) -> None:
    if not RPC_SEEDS:
        pytest.skip("no RPC seeds")
    check("rpc", seeds.mutate_message(rng, RPC_SEEDS[which]))


def test_rpc_seeds_are_accepted() -> None:
    # The undamaged seeds are valid traffic: none may fail to decode.
    assert RPC_SEEDS
    for data in RPC_SEEDS:
        err = check("rpc", data)
        assert not isinstance(err, DecodeError), err

