"""Random messages of random schemas (``tests/random_schemas.py``) against ``capnp decode`` and
``capnp encode``.

A message is built with the dynamic API from random values (extreme numbers, NaN and
infinities, texts with escapes and non-ASCII, nested lists, groups and unions, enum values
the schema does not know); then the reference's text of our bytes must be ours (one line and
indented), and the reference's encoding of that text (plain, packed and flat) must be ours,
byte for byte, and those bytes must read the same in both.  Where the
reference cannot read its own text back (it prints an unknown enum value as ``(5)``, which
it then refuses) ours must refuse it too.  Seeds are fixed; ``CAPNP_LITE_RANDOM_SEEDS=N``
runs N of them.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, List, Tuple

import pytest

import capnp_lite as capnp
from capnp_lite.cli_text import decode_main, encode_main

from ..random_schemas import fill, random_schema

CAPNP = shutil.which("capnp")
SEEDS = int(os.environ.get("CAPNP_LITE_RANDOM_SEEDS", "80"))

pytestmark = [pytest.mark.interop,
              pytest.mark.skipif(CAPNP is None, reason="the capnp tool is needed")]


def _ours(main: Any, argv: List[str], data: bytes) -> Tuple[int, bytes]:
    stdout = io.BytesIO()
    old, sys.stderr = sys.stderr, io.StringIO()
    try:
        code = main(argv, io.BytesIO(data), stdout)
    finally:
        sys.stderr = old
    return code, stdout.getvalue()


def _reference(argv: List[str], data: bytes, cwd: Path) -> "subprocess.CompletedProcess[bytes]":
    assert CAPNP is not None
    return subprocess.run([CAPNP] + argv, input=data, cwd=str(cwd), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=dict(os.environ, PWD=str(cwd)))


def _root_type(module: Any, qualified: str) -> Any:
    found = module
    for part in qualified.split("."):
        found = getattr(found, part)
    return found


@pytest.mark.parametrize("seed", range(SEEDS))
def test_random_message_reads_and_writes_as_the_reference_does(seed: int, tmp_path: Path) -> None:
    schema = random_schema(seed)
    path = tmp_path / ("m%d.capnp" % seed)
    path.write_text(schema.text)
    try:
        module = capnp.load(str(path))
    except capnp.KjException:
        # a schema both compilers must refuse (tests/schema/test_random_schemas.py compares how)
        assert _reference(["compile", "-o-", str(path)], b"", tmp_path).returncode != 0
        return
    rng = schema.rng
    root = rng.choice(schema.structs)
    builder = _root_type(module, root).new_message()
    fill(builder, rng)
    data = builder.to_bytes()
    where = f"{root} of\n{schema.text}"

    for flags in (["--short"], []):
        ref = _reference(["decode", "--quiet"] + flags + [str(path), root], data, tmp_path)
        assert ref.returncode == 0, ref.stderr
        code, text = _ours(decode_main, (flags or ["--pretty"]) + [str(path), root], data)
        assert code == 0
        assert text == ref.stdout, where
    text = _reference(["decode", "--quiet", "--short", str(path), root], data, tmp_path).stdout

    for flags in ([], ["--packed"], ["--flat"]):
        ref = _reference(["encode"] + flags + [str(path), root], text, tmp_path)
        code, binary = _ours(encode_main, flags + [str(path), root], text)
        if ref.returncode != 0:
            assert b"Type mismatch" in ref.stderr and b"(" in text, ref.stderr
            assert code != 0 and not binary, f"we encode what the reference refuses: {text!r}"
            return
        assert code == 0, text
        assert binary == ref.stdout, f"{flags} {text!r}: {where}"
        # the reference's bytes read the same in both (not always as the text they came from:
        # the reference prints -0.0 as "-0", which it then reads as the integer 0)
        want = _reference(["decode", "--quiet", "--short"] + flags + [str(path), root], ref.stdout,
                          tmp_path).stdout
        assert _ours(decode_main, ["--short"] + flags + [str(path), root], ref.stdout) == (0, want)
