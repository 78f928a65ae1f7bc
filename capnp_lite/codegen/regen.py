"""Regenerate the checked-in modules of ``capnp_lite/generated/``.

    python -m capnp_lite.codegen.regen          # rewrite the modules
    python -m capnp_lite.codegen.regen --check  # exit 1 if any module is stale

The schemas are compiled from the repository's ``schemas/`` directory only
(no system include directories), so the output depends on nothing else.
"""

from __future__ import annotations

import os
import sys
from typing import Dict, List, Optional, Sequence

from ..schema import compile_files
from .generator import generate

__all__ = ["SCHEMAS", "render", "main"]

#: Schemas with checked-in modules, relative to the ``schemas/`` directory.
SCHEMAS = (
    "capnp/schema.capnp",
    "capnp/rpc.capnp",
    "capnp/rpc-twoparty.capnp",
    "capnp/stream.capnp",
    "capnp/c++.capnp",
    "capnp/compat/byte-stream.capnp",
    "capnp/compat/http-over-capnp.capnp",
    "calculator.capnp",
)

_HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(_HERE))
OUTPUT = os.path.join(REPO, "capnp_lite", "generated")


def render(schemas_dir: Optional[str] = None) -> Dict[str, str]:
    """Module name -> source for every schema in :data:`SCHEMAS`."""
    base = schemas_dir or os.path.join(REPO, "schemas")
    paths = [os.path.join(base, *name.split("/")) for name in SCHEMAS]
    request = compile_files(paths, import_paths=[base], standard_import=False)
    return generate(request)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args: List[str] = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    stale: List[str] = []
    for name, text in sorted(render().items()):
        path = os.path.join(OUTPUT, name + ".py")
        try:
            with open(path, "r", encoding="utf-8") as fh:
                current: Optional[str] = fh.read()
        except OSError:
            current = None
        if current == text:
            continue
        stale.append(path)
        if not check:
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
    for path in stale:
        sys.stdout.write(("stale: " if check else "wrote: ") + path + "\n")
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
