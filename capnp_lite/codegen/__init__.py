"""Typed code generation: compiled schemas -> Python modules of typed classes.

    from capnp_lite.schema import compile_files
    from capnp_lite.codegen import generate

    request = compile_files(["schemas/calculator.capnp"], import_paths=["schemas"],
                            standard_import=False)
    for module, source in generate(request).items():
        ...  # write f"{module}.py"

From the command line: ``python -m capnp_lite codegen [-I DIR] [-o OUTDIR]
FILE.capnp...``.  Generated modules import :mod:`capnp_lite.codegen.runtime`
and nothing else from the library.
"""

from __future__ import annotations

from .generator import class_names, generate, module_name, py_name

__all__ = ["generate", "module_name", "class_names", "py_name"]
