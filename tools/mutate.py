"""Mutation testing without dependencies: can the tests tell a module from a slightly wrong one?

    python tools/mutate.py MODULE TESTS... [--lines 10-80,95] [--workers 2]

MODULE is a path in the repository (``capnp_lite/wire/framing.py``); TESTS are pytest
arguments (files or folders).  Each mutant is MODULE with one small change:

* a comparison turned into its neighbour (``<`` and ``<=``, ``==`` and ``!=``, ``is`` and
  ``is not``, ``in`` and ``not in``),
* ``and`` and ``or`` swapped, a ``not`` dropped, ``+`` and ``-`` swapped,
* an integer constant plus one, ``True`` and ``False`` swapped,
* a statement (an expression, an assignment, a ``return``, a ``raise``) replaced by ``pass``.

Every mutant runs TESTS (stopping at the first failure) in a scratch copy of the repository,
one copy per worker, so the checkout is never touched.  A mutant the tests do not fail
*survives*: the tool prints its line and change.  A survivor is either a gap in the tests or
a change that makes no difference (a cache size, a message's wording); read each one.

The vectors are found as the tests find them (``$CAPNP_LITE_VECTORS``, else beside the
checkout), and the copies are given that path.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import copy
import os
import queue
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Iterator, List, Optional, Set, Tuple

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

_NEIGHBOURS = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE,
    ast.GtE: ast.Gt, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In,
}
_STATEMENTS = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Raise)


@dataclass
class Mutant:
    line: int
    change: str
    source: str


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(
        node.value.value, str)


def _edits(tree: ast.Module) -> Iterator[Tuple[int, str, int, Tuple[object, ...]]]:
    """(line, change, index of the node in ast.walk order, how) for every mutant of ``tree``."""
    for index, node in enumerate(ast.walk(tree)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            for k, op in enumerate(node.ops):
                other = _NEIGHBOURS.get(type(op))
                if other is not None:
                    yield line, f"{type(op).__name__} -> {other.__name__}", index, ("compare", k, other)
        elif isinstance(node, ast.BoolOp):
            yield line, "and <-> or", index, ("boolop",)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield line, "not dropped", index, ("not",)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            yield line, "+ <-> -", index, ("binop",)
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            yield line, f"{node.value} -> {node.value + 1}", index, ("int",)
        elif isinstance(node, ast.Constant) and type(node.value) is bool:
            yield line, f"{node.value} -> {not node.value}", index, ("bool",)
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if not isinstance(body, list):
                continue
            for k, statement in enumerate(body):
                if isinstance(statement, _STATEMENTS) and not _is_docstring(statement):
                    yield (statement.lineno, f"{type(statement).__name__.lower()} removed", index,
                           ("pass", field, k))


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list):
                for k, item in enumerate(value):
                    if item is old:
                        value[k] = new
                        return


def _apply(tree: ast.Module, index: int, how: Tuple[object, ...]) -> ast.Module:
    tree = copy.deepcopy(tree)
    node = list(ast.walk(tree))[index]
    kind = how[0]
    if kind == "compare":
        assert isinstance(node, ast.Compare) and isinstance(how[1], int) and isinstance(how[2], type)
        node.ops[how[1]] = how[2]()
    elif kind == "boolop":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "not":
        assert isinstance(node, ast.UnaryOp)
        _replace(tree, node, node.operand)
    elif kind == "binop":
        assert isinstance(node, ast.BinOp)
        node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
    elif kind == "int":
        assert isinstance(node, ast.Constant) and type(node.value) is int
        node.value = node.value + 1
    elif kind == "bool":
        assert isinstance(node, ast.Constant)
        node.value = not node.value
    elif kind == "pass":
        body = getattr(node, str(how[1]))
        assert isinstance(how[2], int)
        body[how[2]] = ast.copy_location(ast.Pass(), body[how[2]])
    return tree


def mutants(path: str, lines: Optional[Set[int]] = None) -> List[Mutant]:
    with open(path, encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    out: List[Mutant] = []
    for line, change, index, how in _edits(tree):
        if lines is not None and line not in lines:
            continue
        out.append(Mutant(line, change, ast.unparse(_apply(tree, index, how))))
    return out


def _parse_lines(spec: str) -> Set[int]:
    lines: Set[int] = set()
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        lines.update(range(int(lo), int(hi or lo) + 1))
    return lines


def _copy_repository(root: str, into: str) -> str:
    target = os.path.join(into, "repo")
    ignore = shutil.ignore_patterns(".git", ".venv*", "node_modules", "build", "__pycache__", "*.egg-info",
                                    ".mypy_cache", ".hypothesis", ".pytest_cache")
    shutil.copytree(root, target, ignore=ignore)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module")
    parser.add_argument("tests", nargs="+")
    parser.add_argument("--lines", help="only mutants on these lines (10-80,95)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a mutant's run may take")
    parser.add_argument("--root", default=ROOT, help="the repository to copy (default: this one)")
    args = parser.parse_args()

    todo = mutants(os.path.join(args.root, args.module), _parse_lines(args.lines) if args.lines else None)
    print(f"{len(todo)} mutants of {args.module}", flush=True)
    env = dict(os.environ)
    env.setdefault("CAPNP_LITE_VECTORS", os.path.join(os.path.dirname(args.root), "shared", "vectors"))
    # No bytecode caches: two mutants of the same size written in the same second would
    # otherwise share one (its key is the source's size and whole-second mtime).
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    scratch = tempfile.mkdtemp(prefix="capnp_lite_mutate_")
    copies: "queue.Queue[str]" = queue.Queue()
    for k in range(args.workers):
        copies.put(_copy_repository(args.root, os.path.join(scratch, str(k))))

    def run(mutant: Mutant) -> bool:
        """Whether the tests fail (kill) ``mutant``."""
        repo = copies.get()
        try:
            with open(os.path.join(repo, args.module), "w", encoding="utf-8") as fh:
                fh.write(mutant.source)
            try:
                done = subprocess.run(
                    [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *args.tests],
                    cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    timeout=args.timeout)
            except subprocess.TimeoutExpired:
                return True  # a hang is caught too: the suite would time out
            return done.returncode != 0
        finally:
            copies.put(repo)

    survivors = 0
    try:
        with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
            for mutant, killed in zip(todo, pool.map(run, todo)):
                if not killed:
                    survivors += 1
                    print(f"survived: {args.module}:{mutant.line}: {mutant.change}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{survivors} of {len(todo)} mutants survived")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
