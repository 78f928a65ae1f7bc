"""``tools/mutate.py``: the mutants it makes of a module, and which of them it reports as
surviving a test file, on a tiny repository made here (a test that pins only part of the
module lets exactly the other mutants through)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "mutate.py"
sys.path.insert(0, str(ROOT / "tools"))

import mutate  # noqa: E402

MODULE = '''\
"""A module to mutate."""

LIMIT = 3


def clamp(x):
    """Docstrings are never removed."""
    if x > LIMIT and not x == 7:
        return LIMIT
    return x
'''

# Pins clamp's first branch only at 4 (not at the limit itself, not at 7).
TESTS = '''\
from mod import clamp


def test_clamp():
    assert clamp(4) == 3
    assert clamp(2) == 2
'''


def test_the_mutants_of_a_module(tmp_path: Path) -> None:
    path = tmp_path / "mod.py"
    path.write_text(MODULE)
    found = {(m.line, m.change) for m in mutate.mutants(str(path))}
    assert found == {
        (3, "3 -> 4"),
        (3, "assign removed"),
        (8, "Gt -> GtE"),
        (8, "and <-> or"),
        (8, "not dropped"),
        (8, "Eq -> NotEq"),
        (8, "7 -> 8"),
        (9, "return removed"),
        (10, "return removed"),
    }
    # each mutant is the module with that one change
    by_change = {m.change: m.source for m in mutate.mutants(str(path), {8})}
    assert "if x >= LIMIT and (not x == 7):" in by_change["Gt -> GtE"]
    assert "if x > LIMIT and x == 7:" in by_change["not dropped"]
    assert "if x > LIMIT or not x == 7:" in by_change["and <-> or"]
    assert {m.line for m in mutate.mutants(str(path), {9, 10})} == {9, 10}


def test_line_selections() -> None:
    assert mutate._parse_lines("3,8-10,12-12") == {3, 8, 9, 10, 12}


def test_survivors_are_the_mutants_the_tests_miss(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "mod.py").write_text(MODULE)
    (repo / "test_mod.py").write_text(TESTS)
    out = subprocess.run([sys.executable, str(TOOL), "mod.py", "test_mod.py", "--root", str(repo)],
                         capture_output=True, text=True, timeout=300)
    survivors = sorted(line.split(": ", 2)[2] for line in out.stdout.splitlines()
                       if line.startswith("survived: "))
    # Neither the limit's own bound (> or >=) nor the value set apart (7 or 8) changes
    # clamp(4) or clamp(2); every other mutant does.
    assert survivors == ["7 -> 8", "Gt -> GtE"], out.stdout
    assert out.stdout.splitlines()[-1] == "2 of 9 mutants survived"
    assert out.returncode == 1
    assert (repo / "mod.py").read_text() == MODULE  # the repository itself is never touched
