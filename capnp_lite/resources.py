"""Files the package ships besides its code.

``schema_dir()`` is the directory of the ``.capnp`` schemas the package and
``debugport`` load at run time (``capnp/rpc.capnp``, ``workerd/...``,
``calculator.capnp``): ``schemas/`` beside the package in a source checkout,
``capnp_lite/_schemas`` in an installed wheel (the build copies it there).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["schema_dir"]

_HERE = Path(__file__).resolve().parent


def schema_dir() -> Path:
    """The directory holding the bundled ``.capnp`` files."""
    installed = _HERE / "_schemas"
    if (installed / "capnp").is_dir():
        return installed
    return _HERE.parent / "schemas"
