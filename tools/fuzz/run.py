"""Coverage-guided fuzzing of capnp-lite's decoders for a bounded time.

    python tools/fuzz/run.py TARGET [--seconds N] [--engine atheris|simple] [--max-len BYTES]
    python tools/fuzz/run.py all --seconds N        (N seconds per target)
    python tools/fuzz/run.py --list

Targets are those of ``tests/fuzz/targets.py`` (``framing``, ``packed``,
``layout``, ``copy``, ``schema``, ``text``, ``v8``, ``rpc`` ...).  An input
that makes a target raise anything but its documented error, fail one of its
cross-checks or run past the time limit is a finding: it is saved as
``tests/fuzz/corpus/TARGET/<sha1>.bin`` (replayed by ``tests/fuzz/test_corpus.py``),
its traceback is printed, and the run exits with status 1.

Engines: ``atheris`` (libFuzzer with Python coverage; ``pip install atheris``,
CPython only) is used when importable; ``simple`` is a plain mutation loop over
the seeds (no coverage feedback) that runs anywhere, PyPy included.

Seeds: the files already in the target's corpus folder, messages built here,
the conformance vectors when present (``CAPNP_LITE_VECTORS``, default
``../shared/vectors``), and the schema files of the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Callable, Dict, List, Optional, Set, Tuple

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.fuzz import seeds as seeds_mod  # noqa: E402
from tests.fuzz.targets import TARGETS, Timeout, run_target  # noqa: E402

CORPUS = REPO / "tests" / "fuzz" / "corpus"
# One input may take this long before it counts as a hang.
INPUT_SECONDS = 5.0
# Exit status of a child whose target cannot even be imported (not a finding).
UNAVAILABLE = 3


def available(target: str) -> bool:
    """False (with a note) when the modules behind ``target`` do not import."""
    try:
        run_target(target, b"", INPUT_SECONDS)
    except ImportError as exc:
        print(f"{target}: not available, its modules do not import: {exc}", file=sys.stderr)
        return False
    except Exception:  # noqa: BLE001 -- any other outcome is for the fuzzer to find
        pass
    return True


class Findings:
    """Inputs that broke a target, deduplicated by where the error was raised."""

    def __init__(self, target: str) -> None:
        self.target = target  # target name
        self.signatures: Set[Tuple[str, str]] = set()  # (exception type, raising frame)
        self.saved: List[Path] = []  # corpus files written in this run

    def check(self, data: bytes) -> None:
        """Run one input; record it when it is a finding."""
        try:
            run_target(self.target, data, INPUT_SECONDS)
        except (Exception, Timeout, RecursionError) as exc:
            self.record(data, exc)

    def record(self, data: bytes, exc: BaseException) -> None:
        tb = traceback.extract_tb(exc.__traceback__)
        where = f"{tb[-1].filename}:{tb[-1].lineno}" if tb else "?"
        sig = (type(exc).__name__, where)
        if sig in self.signatures:
            return
        self.signatures.add(sig)
        folder = CORPUS / self.target
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (hashlib.sha1(data).hexdigest()[:16] + ".bin")
        path.write_bytes(data)
        self.saved.append(path)
        print(f"\n=== finding in {self.target}: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"input ({len(data)} bytes): {data[:256].hex()}", file=sys.stderr)
        print("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
              file=sys.stderr)
        print(f"saved as {path.relative_to(REPO)}", file=sys.stderr)


# --------------------------------------------------------------------------
# Simple engine: random mutations of the seeds, no coverage feedback
# --------------------------------------------------------------------------


def mutate(rng: random.Random, data: bytes, pool: List[bytes], max_len: int) -> bytes:
    """One to four random edits: flips, byte sets, word sets, cuts, inserts, splices."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        if op == 0 and buf:
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1 and buf:
            buf[rng.randrange(len(buf))] = rng.choice((0, 1, 0x7F, 0x80, 0xFF, rng.randrange(256)))
        elif op == 2 and len(buf) >= 8:
            i = rng.randrange(len(buf) // 8) * 8
            word = rng.choice(seeds_mod.interesting_words(rng))
            buf[i:i + 8] = word.to_bytes(8, "little")
        elif op == 3 and buf:
            del buf[rng.randrange(len(buf)):]
        elif op == 4:
            i = rng.randrange(len(buf) + 1)
            buf[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == 5 and buf:
            i = rng.randrange(len(buf))
            j = rng.randrange(i, min(len(buf), i + 64) + 1)
            del buf[i:j]
        elif op == 6 and pool:
            other = rng.choice(pool)
            if other:
                i = rng.randrange(len(other))
                k = rng.randrange(len(buf) + 1)
                buf[k:k] = other[i:i + rng.randint(1, 64)]
    return bytes(buf[:max_len])


def run_simple(target: str, seconds: float, max_len: int, seed_inputs: List[bytes]) -> Findings:
    findings = Findings(target)
    rng = random.Random(int.from_bytes(os.urandom(8), "little"))
    pool = list(seed_inputs) or [b""]
    for s in pool:
        findings.check(s[:max_len])
    stop = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < stop:
        data = mutate(rng, rng.choice(pool), pool, max_len)
        findings.check(data)
        runs += 1
        if runs % 64 == 0 and len(pool) < 4096:
            pool.append(data)  # drift away from the seeds a little
    print(f"{target}: {runs} inputs in {seconds:.0f} s (simple engine)", file=sys.stderr)
    return findings


# --------------------------------------------------------------------------
# Atheris engine
# --------------------------------------------------------------------------


def run_atheris(target: str, seconds: float, max_len: int) -> List[Path]:
    """Run libFuzzer in a child process (it exits the process when done); return new findings."""
    import shutil
    import subprocess

    folder = CORPUS / target
    before = set(folder.glob("*.bin")) if folder.is_dir() else set()
    artifacts = Path(tempfile.mkdtemp(prefix=f"capnp-lite-fuzz-{target}-artifacts-"))
    cmd = [sys.executable, str(Path(__file__).resolve()), target, "--seconds", str(seconds),
           "--engine", "atheris-child", "--max-len", str(max_len),
           "--artifacts", str(artifacts)]
    rc = subprocess.call(cmd)
    if rc == UNAVAILABLE:
        return []
    # libFuzzer's own findings (out of memory, a crash of the interpreter) land in artifacts.
    for art in sorted(artifacts.iterdir()):
        folder.mkdir(parents=True, exist_ok=True)
        dest = folder / (art.name + ".bin")
        shutil.copyfile(art, dest)
        print(f"libFuzzer artifact {art.name} saved as {dest.relative_to(REPO)}", file=sys.stderr)
    shutil.rmtree(artifacts, ignore_errors=True)
    after = set(folder.glob("*.bin")) if folder.is_dir() else set()
    new = sorted(after - before)
    if rc != 0 and not new:
        print(f"{target}: the fuzzer exited with status {rc} without saving an input",
              file=sys.stderr)
        new = [folder]
    return new


def atheris_child(target: str, seconds: float, max_len: int, artifacts: str) -> None:
    import atheris  # type: ignore

    if not available(target):
        sys.exit(UNAVAILABLE)
    findings = Findings(target)
    seed_inputs = seeds_mod.seeds_for(target)
    # Import every module a target can reach before instrumenting, so the
    # coverage feedback covers them all.
    seeds_mod.import_everything()
    atheris.instrument_all()

    work = Path(tempfile.mkdtemp(prefix=f"capnp-lite-fuzz-{target}-"))
    for i, s in enumerate(seed_inputs):
        (work / f"seed{i:05d}").write_bytes(s[:max_len])
    argv = [
        sys.argv[0],
        str(work),
        f"-max_total_time={max(1, int(seconds))}",
        f"-max_len={max_len}",
        "-timeout=0",  # our own per-input deadline uses SIGALRM
        "-rss_limit_mb=2048",
        f"-artifact_prefix={artifacts}/",
        "-print_final_stats=1",
    ]
    atheris.Setup(argv, findings.check)
    atheris.Fuzz()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("target", nargs="?", help="a target name, or 'all'")
    parser.add_argument("--seconds", type=float, default=60.0, help="time per target")
    parser.add_argument("--engine", choices=("auto", "atheris", "simple", "atheris-child"),
                        default="auto", help="atheris-child is internal: one libFuzzer process")
    parser.add_argument("--artifacts", default="", help=argparse.SUPPRESS)
    parser.add_argument("--max-len", type=int, default=4096, help="largest input, in bytes")
    parser.add_argument("--list", action="store_true", help="list the targets")
    args = parser.parse_args(argv)
    if args.list or not args.target:
        print("\n".join(TARGETS))
        return 0
    names = list(TARGETS) if args.target == "all" else [args.target]
    for name in names:
        if name not in TARGETS:
            parser.error(f"unknown target {name!r}; choose from {', '.join(TARGETS)}")
    engine = args.engine
    if engine == "atheris-child":
        atheris_child(names[0], args.seconds, args.max_len, args.artifacts)
        return 0
    if engine == "auto":
        import importlib.util

        engine = "atheris" if importlib.util.find_spec("atheris") else "simple"
    found: List[str] = []
    for name in names:
        if engine == "atheris":
            found += [f"{name}: {p.relative_to(REPO)}" for p in run_atheris(name, args.seconds,
                                                                            args.max_len)]
        elif available(name):
            f = run_simple(name, args.seconds, args.max_len, seeds_mod.seeds_for(name))
            found += [f"{name}: {p.relative_to(REPO)}" for p in f.saved]
    for line in found:
        print(f"finding: {line}", file=sys.stderr)
    print(f"{len(found)} finding(s)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
