"""``python -m capnp_lite compile -o- [-I DIR] [--src-prefix=DIR] [--no-standard-import] FILE...``.

Like ``capnp compile -o-``: compiles the files and writes the binary
``CodeGeneratorRequest`` to stdout, for a code generator plugin to read.
Only the ``-`` output (stdout) is supported; plugins are not run.  Files are
named as the reference names them: relative to the deepest ``--src-prefix``
that holds them, else to the current directory, else by absolute path.
"""

from __future__ import annotations

import os
import sys
from typing import List, Optional, Sequence

from .errors import SchemaError

USAGE = ("usage: python -m capnp_lite compile -o- [-I DIR]... [--src-prefix=DIR]... "
         "[--no-standard-import] FILE...\n")


class _Args:
    __slots__ = ("files", "import_paths", "src_prefixes", "standard_import")

    def __init__(self) -> None:
        self.files: List[str] = []
        self.import_paths: List[str] = []
        self.src_prefixes: List[str] = []  # stripped from the files' display names
        self.standard_import = True


def _parse(argv: Sequence[str]) -> Optional[_Args]:
    """The options, or None when they are wrong (the caller prints the usage)."""
    args = _Args()
    output = False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-o-", "--output=-"):
            output = True
        elif a in ("-o", "--output") and i + 1 < len(argv) and argv[i + 1] == "-":
            output = True
            i += 1
        elif a in ("-I", "--import-path") and i + 1 < len(argv):
            args.import_paths.append(argv[i + 1])
            i += 1
        elif a.startswith("-I") and len(a) > 2:
            args.import_paths.append(a[2:])
        elif a.startswith("--import-path="):
            args.import_paths.append(a.split("=", 1)[1])
        elif a.startswith("--src-prefix="):
            args.src_prefixes.append(a.split("=", 1)[1])
        elif a == "--src-prefix" and i + 1 < len(argv):
            args.src_prefixes.append(argv[i + 1])
            i += 1
        elif a == "--no-standard-import":
            args.standard_import = False
        elif a.startswith("-") and a != "-":
            return None
        else:
            args.files.append(a)
        i += 1
    if not output or not args.files:
        return None
    return args


def main(argv: Sequence[str]) -> int:
    args = _parse(argv)
    if args is None:
        sys.stderr.write(USAGE)
        return 2
    from .schema import compile_files
    from .schema.binary import request_to_bytes

    for prefix in args.src_prefixes:
        if not os.path.isdir(prefix):
            sys.stderr.write(f"--src-prefix={prefix}: no such directory\n")
            return 1
    try:
        request = compile_files(args.files, args.import_paths, args.standard_import,
                                src_prefixes=args.src_prefixes)
    except SchemaError as e:
        sys.stderr.write(f"{e}\n")
        return 1
    out = sys.stdout.buffer
    out.write(request_to_bytes(request))
    out.flush()
    return 0
