"""``python -m capnp_lite codegen [-I DIR] [-o OUTDIR] FILE.capnp...``."""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional, Sequence

from ..errors import CapnpError
from ..schema import compile_files
from .generator import generate

__all__ = ["main"]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m capnp_lite codegen",
        description="Generate typed Python modules from Cap'n Proto schemas.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE.capnp")
    parser.add_argument("-I", "--import-path", action="append", default=[], metavar="DIR",
                        help="directory searched for absolute imports (repeatable)")
    parser.add_argument("-o", "--output", default=".", metavar="OUTDIR",
                        help="directory the modules are written to (default: .)")
    parser.add_argument("--no-standard-import", action="store_true",
                        help="do not search /usr/include and /usr/local/include")
    parser.add_argument("--absolute-imports", action="store_true",
                        help="import sibling modules as top-level modules, not relatively")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        request = compile_files(args.files, import_paths=args.import_path,
                                standard_import=not args.no_standard_import)
        modules = generate(request, relative_imports=not args.absolute_imports)
    except CapnpError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    os.makedirs(args.output, exist_ok=True)
    written: List[str] = []
    for name in sorted(modules):
        path = os.path.join(args.output, name + ".py")
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(modules[name])
        written.append(path)
    for path in written:
        sys.stdout.write(path + "\n")
    return 0
