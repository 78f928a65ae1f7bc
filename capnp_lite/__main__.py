"""``python -m capnp_lite SUBCOMMAND ...``: a small dispatcher.

Each subcommand lives in its own module with ``main(argv) -> int`` and is
imported only when it runs, so one command's optional dependencies (such as
``construct`` for ``inspect``) never slow down or break another. To add a
command, add a row to ``COMMANDS``.
"""

from __future__ import annotations

import importlib
import sys
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, cast


class Command(NamedTuple):
    module: str  # imported lazily, relative to this package
    function: str  # ``function(argv: list[str]) -> int``, the exit status
    summary: str  # one line for the help text


COMMANDS: Dict[str, Command] = {
    "codegen": Command(
        "capnp_lite.codegen.cli", "main", "generate typed Python modules from .capnp files"
    ),
    "inspect": Command(
        "capnp_lite.inspect", "main", "x-ray a message: segment table and every pointer"
    ),
    "compile": Command(
        "capnp_lite.cli_compile", "main", "schema files -> binary CodeGeneratorRequest (-o-)"
    ),
    "tour": Command("capnp_lite.tour", "main", "a short walk through the library"),
    "decode": Command(
        "capnp_lite.cli_text", "decode_main", "binary message -> text format, like capnp decode"
    ),
    "encode": Command(
        "capnp_lite.cli_text", "encode_main", "text format -> binary message, like capnp encode"
    ),
}


def usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = ["usage: python -m capnp_lite COMMAND [ARGS...]", "", "commands:"]
    for name in sorted(COMMANDS):
        lines.append(f"  {name.ljust(width)}  {COMMANDS[name].summary}")
    return "\n".join(lines) + "\n"


def main(argv: Optional[Sequence[str]] = None) -> int:
    args: List[str] = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        sys.stdout.write(usage())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    command = COMMANDS.get(name)
    if command is None:
        sys.stderr.write(f"unknown command {name!r}\n\n{usage()}")
        return 2
    module = importlib.import_module(command.module)
    run = cast(Callable[[List[str]], int], getattr(module, command.function))
    return run(rest)


if __name__ == "__main__":
    sys.exit(main())
