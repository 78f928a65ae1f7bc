"""Random messages of random schemas (``tests/random_schemas.py``) against ``capnp decode`` and
``capnp encode``.

A message is built with the dynamic API from random values (extreme numbers, NaN and
infinities, texts with escapes and non-ASCII, nested lists, groups and unions, enum values
the schema does not know); then the reference's text of our bytes must be ours (one line and
indented), and the reference's encoding of that text (plain, packed and flat) must be ours,
byte for byte, and those bytes must read the same in both.  Where the
reference cannot read its own text back (it prints an unknown enum value as ``(5)``, which
it then refuses) ours must refuse it too.  The same messages with a few bytes changed must
fail in both or print alike.  Seeds are fixed; ``CAPNP_LITE_RANDOM_SEEDS=N`` runs N of them.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, List, Optional, Tuple

import pytest

from capnp_lite.cli_text import decode_main, encode_main

from ..random_schemas import random_message

CAPNP = shutil.which("capnp")
SEEDS = int(os.environ.get("CAPNP_LITE_RANDOM_SEEDS", "80"))

pytestmark = [pytest.mark.interop,
              pytest.mark.skipif(CAPNP is None, reason="the capnp tool is needed")]


def _ours(main: Any, argv: List[str], data: bytes) -> Tuple[int, bytes]:
    code, out, _ = _ours_with_error(main, argv, data)
    return code, out


def _ours_with_error(main: Any, argv: List[str], data: bytes) -> Tuple[int, bytes, str]:
    stdout = io.BytesIO()
    err = io.StringIO()
    old, sys.stderr = sys.stderr, err
    try:
        code = main(argv, io.BytesIO(data), stdout)
    finally:
        sys.stderr = old
    return code, stdout.getvalue(), err.getvalue()


def _reference(argv: List[str], data: bytes, cwd: Path) -> "subprocess.CompletedProcess[bytes]":
    assert CAPNP is not None
    return subprocess.run([CAPNP] + argv, input=data, cwd=str(cwd), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=dict(os.environ, PWD=str(cwd)))


def _random_message(seed: int, tmp_path: Path) -> Optional[Tuple[Path, str, bytes, random.Random]]:
    """A random schema's file, a struct of it and a random message of that struct (with the
    generator's random source, to go on with); None when the schema is refused."""
    made = random_message(seed, tmp_path, "m")
    if made is None:
        # a schema both compilers must refuse (tests/schema/test_random_schemas.py compares how)
        path = tmp_path / ("m%d.capnp" % seed)
        assert _reference(["compile", "-o-", str(path)], b"", tmp_path).returncode != 0
        return None
    return made.path, made.root, made.builder.to_bytes(), made.rng


@pytest.mark.parametrize("seed", range(SEEDS))
def test_random_message_reads_and_writes_as_the_reference_does(seed: int, tmp_path: Path) -> None:
    made = _random_message(seed, tmp_path)
    if made is None:
        return
    path, root, data, _ = made
    where = f"{root} of\n{path.read_text()}"

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


_OUT_OF_BOUNDS = re.compile(r"out-of-bounds .*\(segment 0, word (\d+)\)")


def _zero_sized(pointer: int) -> bool:
    """A struct pointer to no words, or a list pointer to no elements or to Void ones."""
    if pointer & 3 == 0:
        return pointer >> 32 == 0
    return pointer & 3 == 1 and (pointer >> 35 == 0 or (pointer >> 32) & 7 == 0)


@pytest.mark.parametrize("seed", range(SEEDS))
def test_damaged_random_message_decodes_as_the_reference_does(seed: int, tmp_path: Path) -> None:
    """Random messages with a few bytes changed: both refuse, or both print the same text.
    The one difference allowed is ours, documented: a zero-sized struct or list whose pointer
    lies outside its segment is refused (the reference reads it as empty)."""
    made = _random_message(seed, tmp_path)
    if made is None:
        return
    path, root, data, rng = made
    for _ in range(5):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            damaged[rng.randrange(8, len(damaged))] = rng.randrange(256)
        ref = _reference(["decode", "--short", str(path), root], bytes(damaged), tmp_path)
        ref_ok = ref.returncode == 0 and b"*** ERROR" not in ref.stdout
        code, text, err = _ours_with_error(decode_main, ["--short", str(path), root], bytes(damaged))
        if code == 0:
            assert ref_ok, f"we print what the reference refuses: {bytes(damaged).hex()}"
            assert text == ref.stdout, bytes(damaged).hex()
        elif ref_ok:
            found = _OUT_OF_BOUNDS.search(err)
            assert found is not None, f"we refuse what the reference prints: {err}"
            at = 8 + 8 * int(found.group(1))
            assert _zero_sized(int.from_bytes(damaged[at:at + 8], "little")), err


_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:e-?\d+)?|[A-Za-z_][A-Za-z0-9_]*|\S')


def _rewritten(text: bytes, rng: random.Random) -> bytes:
    """The same value written differently: blanks, newlines and comments between tokens,
    integers in hex or octal, text bytes as hex or octal escapes."""
    out: List[bytes] = []
    for token in _TOKEN.findall(text.strip()):
        if re.fullmatch(rb"-?\d+", token) and rng.random() < 0.4:
            value = int(token)
            digits = rng.choice([b"0x%x" % abs(value), b"0%o" % abs(value) if value else b"0",
                                 b"%d" % abs(value)])
            token = (b"-" if value < 0 else b"") + digits
        elif token.startswith(b'"') and rng.random() < 0.5:
            body, i, new = token[1:-1], 0, bytearray()
            while i < len(body):
                if body[i:i + 1] == b"\\":
                    new += body[i:i + 2]
                    i += 2
                    continue
                if body[i:i + 1].isalnum() and rng.random() < 0.3:
                    new += rng.choice([b"\\x%02x" % body[i], b"\\%03o" % body[i]])
                else:
                    new += body[i:i + 1]
                i += 1
            token = b'"' + bytes(new) + b'"'
        out.append(token)
        out.append(rng.choice([b"", b" ", b"  ", b"\n", b"\t", b" # a comment\n"]))
    return b"".join(out) + b"\n"


@pytest.mark.parametrize("seed", range(SEEDS))
def test_rewritten_text_encodes_as_the_reference_does(seed: int, tmp_path: Path) -> None:
    """The reference's text of a random message, written differently (some of it wrongly:
    an operator glued to '=', which its lexer reads as one token): ``capnp encode`` and ours
    give the same bytes or both refuse."""
    made = _random_message(seed, tmp_path)
    if made is None:
        return
    path, root, data, rng = made
    text = _reference(["decode", "--short", str(path), root], data, tmp_path).stdout
    for _ in range(4):
        rewritten = _rewritten(text, rng)
        ref = _reference(["encode", str(path), root], rewritten, tmp_path)
        code, binary = _ours(encode_main, [str(path), root], rewritten)
        assert (code == 0) == (ref.returncode == 0), rewritten
        if code == 0:  # (on an error the reference has written the messages before it)
            assert binary == ref.stdout, rewritten
