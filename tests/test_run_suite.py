"""``tools/run-suite``: a folder whose interpreter dies of a signal runs again, a bounded number
of times; a failing test never does.  Checked with a stand-in interpreter that crashes,
fails or passes as told, and counts how often it was started."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import List, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "run-suite"

# Behaviours, one word per start (the last one repeats): "segv" kills itself with SIGSEGV,
# "fail" exits 1 as pytest does for a failing test, "pass" exits 0.
STAND_IN = """#!/usr/bin/env bash
echo "$*" >> "$LOG"
n=$(wc -l < "$LOG")
set -- $PLAN
while [ "$n" -gt 1 ] && [ $# -gt 1 ]; do shift; n=$((n - 1)); done
case "$1" in
  segv) kill -SEGV $$ ;;
  fail) exit 1 ;;
  *) exit 0 ;;
esac
"""


def _run(tmp_path: Path, plan: str, retries: int) -> Tuple[int, List[str], str]:
    py = tmp_path / "python"
    py.write_text(STAND_IN)
    py.chmod(0o755)
    log = tmp_path / "starts.log"
    env = dict(os.environ, LOG=str(log), PLAN=plan)
    out = subprocess.run([str(SCRIPT), str(py), str(retries), "tests/some_folder"],
                         capture_output=True, text=True, env=env, timeout=60)
    starts = log.read_text().splitlines() if log.exists() else []
    return out.returncode, starts, out.stderr


@pytest.mark.parametrize("plan, retries, rc, starts", [
    ("pass", 2, 0, 1),
    ("fail", 2, 1, 1),  # a failing test is never run again
    ("segv pass", 2, 0, 2),  # a crash, then the run that passes
    ("segv segv pass", 2, 0, 3),
    ("segv segv segv pass", 2, 1, 3),  # two runs again at most
    ("segv fail", 2, 1, 2),
    ("segv pass", 0, 1, 1),  # CPython's folders: no second run
])
def test_runs_again_only_after_a_crash(tmp_path: Path, plan: str, retries: int, rc: int,
                                       starts: int) -> None:
    code, lines, err = _run(tmp_path, plan, retries)
    assert (code, len(lines)) == (rc, starts)
    assert all(line == "-m pytest -q -p no:cacheprovider tests/some_folder" for line in lines)
    again = [line for line in err.splitlines() if "running the folder again" in line]
    assert len(again) == starts - 1
    if again:
        assert "died of signal 11" in again[0] and f"(1 of {retries})" in again[0]
