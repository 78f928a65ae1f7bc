"""Random schemas (``tests/random_schemas.py``) through our compiler and ``capnp compile -o-``.

Each schema either compiles in both to the same nodes (every node read with the same
schema.capnp reader and compared in the text format, so any field of any node counts), or
is refused by both with the same first error: line, column and message.  The same
schemas written differently (blanks, comments, number bases) must do the same.  The seeds are
fixed, so a failure is reproduced by its test id; ``CAPNP_LITE_RANDOM_SEEDS=N`` runs N
seeds instead of the default.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

import capnp_lite as capnp
from capnp_lite.errors import SchemaError
from capnp_lite.resources import schema_dir
from capnp_lite.schema import compile_files
from capnp_lite.schema.binary import request_to_bytes

from ..random_schemas import random_schema

CAPNP = shutil.which("capnp")
SEEDS = int(os.environ.get("CAPNP_LITE_RANDOM_SEEDS", "100"))

pytestmark = [pytest.mark.interop,
              pytest.mark.skipif(CAPNP is None, reason="the capnp tool is needed")]

_LOCATED = re.compile(r"[^:\s]+\.capnp:(\d+):(?:(\d+)(?:-\d+)?:)? (?:error: )?(.*)")


@pytest.fixture(scope="module")
def schema_capnp() -> Any:
    return capnp.load(str(schema_dir() / "capnp" / "schema.capnp"))


def _nodes(schema_capnp: Any, request: bytes) -> Dict[int, str]:
    with schema_capnp.CodeGeneratorRequest.from_bytes(request) as req:
        return {n.id: str(n) for n in req.nodes}


def _first_error(text: str) -> Optional[Tuple[str, Optional[str], str]]:
    for line in text.splitlines():
        m = _LOCATED.match(line)
        if m:
            return m.group(1), m.group(2), m.group(3)
    return None


def _compiles_as_the_reference_does(text: str, path: Path, schema_capnp: Any) -> None:
    """``text`` written to ``path`` compiles in both to the same nodes, or fails in both with
    the same first error."""
    path.write_text(text)
    directory = path.parent
    assert CAPNP is not None
    ref = subprocess.run([CAPNP, "compile", "-o-", "--src-prefix=%s" % directory, str(path)],
                         cwd=str(directory), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=dict(os.environ, PWD=str(directory)))
    try:
        ours = compile_files([str(path)], src_prefixes=[str(directory)])
    except SchemaError as exc:
        assert ref.returncode != 0, f"the reference compiles what we refuse: {exc}\n{text}"
        if "issues/344" in str(exc):
            return  # the reference reports an internal error here (see the README)
        got = _first_error(str(exc))
        want = _first_error(ref.stderr.decode("utf-8", "replace"))
        if got is not None and want is not None and want[1] is None:
            # An expression written over several lines: the reference gives its line alone.
            got = (got[0], None, got[2])
        assert got == want, f"ours: {exc}\nreference: {ref.stderr.decode('utf-8', 'replace')}\n{text}"
        return
    assert ref.returncode == 0, f"we compile what the reference refuses: {ref.stderr!r}\n{text}"
    want_nodes = _nodes(schema_capnp, ref.stdout)
    got_nodes = _nodes(schema_capnp, request_to_bytes(ours))
    assert sorted(got_nodes) == sorted(want_nodes)
    for node_id, node in want_nodes.items():
        assert got_nodes[node_id] == node, f"node {node_id:#x} of\n{text}"


@pytest.mark.parametrize("seed", range(SEEDS))
def test_random_schema_compiles_as_the_reference_does(seed: int, tmp_path: Path,
                                                      schema_capnp: Any) -> None:
    _compiles_as_the_reference_does(random_schema(seed).text, tmp_path / ("r%d.capnp" % seed),
                                    schema_capnp)


def test_the_random_schemas_reach_the_language() -> None:
    """A guard against comparing little: the seeds run cover what the generator can write."""
    text = "".join(random_schema(seed).text for seed in range(SEEDS))
    for piece in (":group", ":union", "union {", "annotation ", "const ", "extends(", "-> stream",
                  "[X]", "struct G", " = ", "interface ", "enum ", "List(List("):
        assert piece in text, piece


_TOKEN = re.compile(r'->|0x"[^"]*"|"(?:[^"\\]|\\.)*"|\d+(?:\.\d+)?(?:e-?\d+)?|[A-Za-z_]\w*|\S')
_WORDY = re.compile(r'[\w"]')


def _rewritten(text: str, rng: random.Random) -> str:
    """The same declarations written differently: blanks, newlines and comments between
    tokens (none at all where the tokens stay apart anyway, so an operator may run into
    '='), integers in hex or octal."""
    out: List[str] = []
    previous = ""
    for token in _TOKEN.findall(text):
        if re.fullmatch(r"\d+", token) and rng.random() < 0.4:
            value = int(token)
            token = rng.choice(["0x%x" % value, "0%o" % value if value else "0", "%d" % value])
        separators = [" ", "  ", "\n", "\t", " # a comment\n"]
        if not (previous and _WORDY.match(previous[-1]) and _WORDY.match(token[0])):
            separators.append("")
        out.append(rng.choice(separators))
        out.append(token)
        previous = token
    return "".join(out) + "\n"


@pytest.mark.parametrize("seed", range(SEEDS))
def test_rewritten_random_schema_compiles_as_the_reference_does(seed: int, tmp_path: Path,
                                                               schema_capnp: Any) -> None:
    head, body = random_schema(seed).text.split("\n", 1)
    _compiles_as_the_reference_does(head + "\n" + _rewritten(body, random.Random(seed)),
                                    tmp_path / ("w%d.capnp" % seed), schema_capnp)
