"""Bounded fuzzing of the source-text inputs: the schema compiler and the text format.

Mutated schema files (the repository's schemas and a schema written for these
tests) must compile or raise ``SchemaError``; mutated and random text-format
messages must apply to a schema or raise ``TextFormatError``.  Every input
runs under a per-input deadline, so a hang fails the test instead of stalling it.
"""

from __future__ import annotations

import random
from typing import List

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capnp_lite.errors import SchemaError, TextFormatError

from . import seeds
from .checks import FUZZ, check
from .targets import FUZZ_SCHEMA

SCHEMAS: List[str] = sorted(seeds.repo_schemas().values(), key=len)[:6] + [FUZZ_SCHEMA]
TEXTS: List[str] = [t.decode("utf-8") for t in seeds.sample_texts()]


@FUZZ
@given(rng=st.randoms(use_true_random=False), which=st.integers(0, len(SCHEMAS) - 1))
def test_mutated_schemas(rng: random.Random, which: int) -> None:
    source = seeds.mutate_text(rng, SCHEMAS[which], seeds.TOKENS)
    check("schema", source.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.lists(st.sampled_from(seeds.TOKENS + ["a", "b", " ", "Text", "UInt8", "0"]), max_size=40))
def test_token_soup_schemas(tokens: List[str]) -> None:
    check("schema", ("@0xd5a8f9a2c4b6e813;\n" + " ".join(tokens)).encode("utf-8"))


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_schema(data: bytes) -> None:
    check("schema", data)


@FUZZ
@given(rng=st.randoms(use_true_random=False), which=st.integers(0, len(TEXTS) - 1))
def test_mutated_texts(rng: random.Random, which: int) -> None:
    check("text", seeds.mutate_text(rng, TEXTS[which], seeds.TOKENS).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_text(data: bytes) -> None:
    check("text", data)


@pytest.mark.parametrize("depth", [100, 3000, 100_000])
def test_deeply_nested_text_is_refused_cleanly(depth: int) -> None:
    for src in (b"(inner = " * depth, b"(nested = [" + b"[" * depth, b"(any = " + b"[" * depth):
        err = check("text", src)
        assert isinstance(err, TextFormatError)


# Deeper inputs (1000 levels) live in corpus/schema/deep_*.bin, replayed by test_corpus.py.
@pytest.mark.parametrize("depth", [50, 200])
def test_nested_schema_compiles_or_is_refused_cleanly(depth: int) -> None:
    head = "@0xd5a8f9a2c4b6e813;\n"
    sources = [
        head + "struct S { f @0 :" + "List(" * depth + "Text" + ")" * depth + "; }",
        head + "struct S " + "{ struct T " * depth + "{}" + "}" * depth,
        head + "const c :Text = " + "(" * depth + '"x"' + ")" * depth + ";",
    ]
    for src in sources:
        err = check("schema", src.encode())
        assert err is None or isinstance(err, SchemaError)
