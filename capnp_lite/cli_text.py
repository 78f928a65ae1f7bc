"""``decode`` and ``encode`` subcommands: binary message <-> text format.

    python -m capnp_lite decode [--short|--pretty] [--packed] [--flat] [-I DIR] SCHEMA STRUCT < msg
    python -m capnp_lite encode [--packed] [--flat] [-I DIR] SCHEMA STRUCT < text

``decode`` prints every message on stdin, one per line (``--pretty`` gives
the indented form of ``capnp decode`` without ``--short``).  ``encode`` writes one message per top-level
``( ... )``.  Errors print one line on stderr and exit with status 1.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import BinaryIO, List, Optional, Sequence

from .errors import CapnpError
from .dynamic import read_segments
from .dynamic.schema import SchemaLoader, StructSchema

__all__ = ["main", "decode_main", "encode_main", "run_decode", "run_encode", "find_struct"]


def find_struct(schema_path: str, name: str, import_paths: Sequence[str]) -> StructSchema:
    """Compile ``schema_path`` and find the struct ``name`` in it, as ``capnp encode`` reads its
    root type: a dotted name in the file's scope (nested names, ``using`` aliases, names
    through an imported file's alias, ``.Name``)."""
    from .errors import SchemaError
    from .schema import compile_root

    # The compiler resolves relative imports of a file named by an absolute path
    # poorly, so name the schema relative to the working directory.
    try:
        path = os.path.relpath(schema_path)
    except ValueError:  # another drive on Windows
        path = schema_path
    request, node_id = compile_root(path, name, list(import_paths))
    loader = SchemaLoader.from_request(request)
    if loader.node(node_id).which != "struct":
        raise SchemaError(f"{schema_path}: {name!r} is not a struct")
    return loader.struct_schema(node_id)


def _parser(command: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"python -m capnp_lite {command}")
    if command == "decode":
        # The conformance harness runs plain ``decode`` and expects the one-line form,
        # so one line is the default here (unlike the reference tool); --pretty indents.
        p.add_argument("--short", action="store_true", help="one line per message (the default)")
        p.add_argument("--pretty", action="store_true", help="the indented multi-line form")
    p.add_argument("--packed", action="store_true", help="packed encoding")
    p.add_argument("--flat", action="store_true", help="a single segment without a segment table")
    p.add_argument("-I", "--import-path", action="append", default=[], dest="imports")
    p.add_argument("--quiet", action="store_true", help="accepted for compatibility")
    p.add_argument("schema")
    p.add_argument("struct")
    return p


def run_decode(
    schema: StructSchema, data: bytes, short: bool, packed: bool, flat: bool
) -> bytes:
    """Text of every message in ``data``."""
    from .text.printer import print_struct
    from .wire.framing import decode_message_at
    from .wire.packed import packed_messages_in, unpack, unpack_message

    out: List[bytes] = []
    messages: List[List[bytes]]
    if packed and not flat:
        # Each message unpacked within its own frame, as the reference reads
        # a packed stream: a run may not cross into the next message.
        messages = [[bytes(s) for s in found] for found in packed_messages_in(data)]
        if not messages:
            unpack_message(data)  # raises: empty input holds no message
    elif flat:
        if packed:
            data = unpack(data)
        messages = [[data[: len(data) - len(data) % 8]]]
    else:
        messages = []
        pos = 0
        view = memoryview(data)
        while pos < len(data) or not messages:
            found, end = decode_message_at(view, pos)
            messages.append([bytes(s) for s in found])
            if end <= pos:
                break
            pos = end
    for message in messages:
        reader = read_segments(message, schema)
        out.append(print_struct(reader, 0 if short else 1, 0) + b"\n")
    return b"".join(out)


def run_encode(schema: StructSchema, text: bytes, packed: bool, flat: bool) -> bytes:
    """Binary form of every message in ``text``."""
    from .text.encode import text_to_builders
    from .wire.framing import encode_message
    from .wire.packed import pack, pack_message

    out: List[bytes] = []
    for builder in text_to_builders(schema, text):
        if flat:
            raw = builder.to_flat_bytes()
            out.append(pack(raw) if packed else raw)
        else:
            segments = builder.to_segments()
            out.append(pack_message(segments) if packed else encode_message(segments))
    return b"".join(out)


def _run(command: str, argv: Sequence[str], stdin: BinaryIO, stdout: BinaryIO) -> int:
    args = _parser(command).parse_args(list(argv))
    # The collector is paused while one command runs: the objects it makes are
    # short-lived and acyclic, and on a large text its passes cost a fifth of the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        schema = find_struct(args.schema, args.struct, args.imports)
        data = stdin.read()
        if command == "decode":
            result = run_decode(schema, data, not args.pretty, args.packed, args.flat)
        else:
            result = run_encode(schema, data, args.packed, args.flat)
    except (CapnpError, ValueError, OSError, RecursionError) as exc:
        message = str(exc).replace("\n", " ") or type(exc).__name__
        sys.stderr.write(f"capnp_lite {command}: {message}\n")
        return 1
    finally:
        if collecting:
            gc.enable()
    stdout.write(result)
    stdout.flush()
    return 0


def decode_main(argv: Sequence[str], stdin: Optional[BinaryIO] = None, stdout: Optional[BinaryIO] = None) -> int:
    return _run("decode", argv, stdin or sys.stdin.buffer, stdout or sys.stdout.buffer)


def encode_main(argv: Sequence[str], stdin: Optional[BinaryIO] = None, stdout: Optional[BinaryIO] = None) -> int:
    return _run("encode", argv, stdin or sys.stdin.buffer, stdout or sys.stdout.buffer)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``decode ...`` or ``encode ...``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("decode", "encode"):
        sys.stderr.write("usage: decode|encode [options] SCHEMA STRUCT\n")
        return 2
    if args[0] == "decode":
        return decode_main(args[1:])
    return encode_main(args[1:])


if __name__ == "__main__":
    sys.exit(main())
