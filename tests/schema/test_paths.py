"""Files named by absolute paths still resolve their relative imports beside them."""

from __future__ import annotations

from pathlib import Path

from capnp_lite.schema import compile_files


def test_relative_import_from_absolute_path(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.capnp").write_text("@0xd5c3a7a1a0d7a2b1;\nstruct B { x @0 :UInt8; }\n")
    (tmp_path / "sub" / "c.capnp").write_text("@0xd5c3a7a1a0d7a2b2;\nstruct C { y @0 :Text; }\n")
    (tmp_path / "a.capnp").write_text(
        '@0xd5c3a7a1a0d7a2b3;\nusing B = import "b.capnp";\nusing C = import "sub/c.capnp";\n'
        "struct A { b @0 :B.B; c @1 :C.C; }\n"
    )
    request = compile_files([str(tmp_path / "a.capnp")])
    names = {node.display_name.rsplit("/", 1)[-1] for node in request.nodes}
    assert {"a.capnp:A", "b.capnp:B", "c.capnp:C"} <= names
