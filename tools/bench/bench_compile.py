"""Schema compiling: capnp_lite's compiler against pycapnp's (the C++ one), in one run.

    python tools/bench/bench_compile.py [--repeat 5]

Cases:

* every ``.capnp`` file in ``schemas/`` loaded through a fresh ``SchemaParser`` (each file
  as ``load(path, imports=["schemas"])``), both libraries;
* the same files compiled in one call of our compiler (``compile_files``: the nodes of
  ``capnp compile -o-``, no module objects);
* a generated schema of 150 structs of 13 fields and a union each, loaded from a file.

Prints the best time of ``--repeat`` runs of each, in milliseconds, and ours / pycapnp.
Where pycapnp cannot be imported (PyPy) only our times are printed.  The schema issue's
figure: all of ``schemas/`` in under one second.
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
import tempfile
import time
from typing import Any, Callable, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, REPO)

import capnp_lite  # noqa: E402
from capnp_lite.schema import compile_files  # noqa: E402

SCHEMAS = os.path.join(REPO, "schemas")


def large_schema(structs: int = 150) -> str:
    lines = ["@0xf1b7c4e1a2b3c4d5;"]
    kinds = ["UInt8", "Text", "Float64", "Bool"]
    for i in range(structs):
        lines.append(f"struct S{i} {{")
        lines.extend(f"  f{j} @{j} :{kinds[j % 4]};" for j in range(12))
        lines.append(f"  u :union {{ a @12 :Void; b @13 :S{max(i - 1, 0)}; }}")
        lines.append("}")
    return "\n".join(lines) + "\n"


def best_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1e3


def load_all(lib: Any, files: List[str]) -> Callable[[], object]:
    def run() -> object:
        parser = lib.SchemaParser()
        return [parser.load(f, imports=[SCHEMAS]) for f in files]
    return run


def load_one(lib: Any, path: str) -> Callable[[], object]:
    def run() -> object:
        return lib.SchemaParser().load(path, imports=[SCHEMAS])
    return run


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    try:
        import capnp as pycapnp  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        pycapnp = None
    files = sorted(glob.glob(os.path.join(SCHEMAS, "**", "*.capnp"), recursive=True))
    with tempfile.TemporaryDirectory() as tmp:
        big = os.path.join(tmp, "big.capnp")
        with open(big, "w", encoding="utf-8") as fh:
            fh.write(large_schema())
        cases: List[Tuple[str, Callable[[], object], Optional[Callable[[], object]]]] = [
            (f"load all of schemas/ ({len(files)} files)", load_all(capnp_lite, files),
             load_all(pycapnp, files) if pycapnp else None),
            ("compile_files(schemas/), nodes only", lambda: compile_files(files, [SCHEMAS]), None),
            ("load a 150-struct schema", load_one(capnp_lite, big),
             load_one(pycapnp, big) if pycapnp else None),
        ]
        impl = f"{sys.implementation.name} {sys.version.split()[0]}"
        print(f"schema compiling, capnp_lite ({impl}) vs pycapnp; best of {args.repeat}, milliseconds")
        print(f"{'case':42} {'ours':>9} {'pycapnp':>9} {'ratio':>7}")
        for name, ours, ref in cases:
            ours()  # first run: imports, caches
            a = best_ms(ours, args.repeat)
            if ref is None:
                print(f"{name:42} {a:9.1f} {'-':>9} {'-':>7}")
                continue
            ref()
            b = best_ms(ref, args.repeat)
            print(f"{name:42} {a:9.1f} {b:9.1f} {a / b:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
