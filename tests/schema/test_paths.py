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


def test_capnp_files_not_installed_come_from_the_package(tmp_path: Path) -> None:
    # With no import directory at all (no system headers, as on Pyodide), /capnp/... imports
    # still compile, from the package's copies; an import directory that has the file wins.
    from capnp_lite.schema import compile_source

    main = tmp_path / "main.capnp"
    main.write_text('@0xd5c3a7a1a0d7a2c0;\nusing Cxx = import "/capnp/c++.capnp";\n'
                    'using Rpc = import "/capnp/rpc.capnp";\n$Cxx.namespace("x");\n'
                    'struct S { m @0 :Rpc.Message; }\n')
    req = compile_files([str(main)], [], standard_import=False)
    names = {n.display_name for n in req.nodes}
    assert "capnp/c++.capnp" in names and "capnp/rpc.capnp:Message" in names
    cxx = next(n for n in req.nodes if n.display_name == "capnp/c++.capnp")
    assert cxx.id == 0xBDF87D7BB8304E81  # upstream's id, which annotations name
    assert compile_source(main.read_text(), "main.capnp").nodes
    # An import directory's own copy is used when there is one.
    (tmp_path / "inc" / "capnp").mkdir(parents=True)
    (tmp_path / "inc" / "capnp" / "rpc.capnp").write_text(
        '@0xb312981b2552a250;\nstruct Message { own @0 :Bool; }\n')
    req = compile_files([str(main)], [str(tmp_path / "inc")], standard_import=False)
    message = next(n for n in req.nodes if n.display_name == "capnp/rpc.capnp:Message")
    assert [f.name for f in message.fields] == ["own"]
