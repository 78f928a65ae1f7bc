"""Replay every saved input of ``corpus/TARGET/*.bin`` through its target.

The corpus holds inputs that once broke a target (saved by
``tools/fuzz/run.py``) and hand-picked edge cases.  Each must now end in
success or the target's documented error, in bounded time and memory.  Inputs
whose bug is still open are listed in ``OPEN`` with the reason, and run as
strict expected failures, so fixing the bug makes the listing fail until the
entry is removed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import pytest

from .checks import CPYTHON, check
from .targets import TARGETS

CORPUS = Path(__file__).resolve().parent / "corpus"

# "target/file.bin" -> what is still wrong with it (a strict xfail until fixed). Every
# finding so far is fixed; the inputs stay as regression tests.
OPEN: Dict[str, str] = {
}


def _inputs() -> List[object]:
    out: List[object] = []
    if not CORPUS.is_dir():
        return out
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.bin")):
            key = f"{folder.name}/{path.name}"
            marks = []
            if key in OPEN:
                marks.append(pytest.mark.xfail(strict=True, reason=OPEN[key]))
                if key in MEMORY_ONLY and not CPYTHON:
                    marks.append(pytest.mark.skip(reason="the bound broken is memory, "
                                                  "measured with CPython's tracemalloc"))
            out.append(pytest.param(folder.name, path, id=key, marks=marks))
    return out


def test_every_corpus_folder_is_a_target() -> None:
    if CORPUS.is_dir():
        unknown = [p.name for p in CORPUS.iterdir() if p.is_dir() and p.name not in TARGETS]
        assert not unknown, f"corpus folders without a target: {unknown}"


def test_open_entries_exist() -> None:
    missing = [key for key in OPEN if not (CORPUS / key).is_file()]
    assert not missing, f"OPEN lists inputs that are not in the corpus: {missing}"


# Open entries whose failure is the memory bound alone (no tracemalloc on PyPy).
MEMORY_ONLY = {"rpc/eccc4e4af6c58cd4.bin"}

# Open resource bombs are cut short: enough to show they still fail, cheap for CI.
OPEN_SECONDS = 2.0


@pytest.mark.parametrize("target,path", _inputs())
def test_replay(target: str, path: Path) -> None:
    key = f"{target}/{path.name}"
    check(target, path.read_bytes(), OPEN_SECONDS if key in OPEN else 10.0)
