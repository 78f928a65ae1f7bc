"""capnp-lite: Cap'n Proto in pure Python.

``import capnp_lite as capnp`` gives the names pycapnp users touch: ``load``
(the dynamic loader: structs, enums, interfaces with a ``Server`` base class),
``TwoPartyClient``, ``TwoPartyServer``, ``AsyncIoStream``, ``KjException``,
``run`` and ``kj_loop`` (from :mod:`capnp_lite.aio`), and the dynamic reader
and builder classes.  They are imported on first use, so ``import
capnp_lite`` stays cheap for code that only needs the wire format.

``KjException`` is :class:`CapnpError`, the base of every error we raise, so
``except capnp.KjException`` catches decode, limit and encode errors as well
as failed calls, as with pycapnp.

As pycapnp does, importing the package installs an import hook:
``import addressbook_capnp`` loads ``addressbook.capnp`` (or
``addressbook-capnp``'s dashed and spaced spellings) from the first
``sys.path`` directory that holds it.  The hook comes after every other
finder, so an ordinary module of the same name (a generated
``addressbook_capnp.py``) always wins.  ``remove_import_hook()`` takes it
away, ``add_import_hook()`` puts it back.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import os
import sys
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

from .errors import (
    CapnpError,
    DecodeError,
    EncodeError,
    KjException,
    LimitError,
    ProtocolError,
    RpcError,
    SchemaError,
    TextFormatError,
)

__version__ = "0.1.0"


if TYPE_CHECKING:  # type checkers see the real names; at run time they load lazily
    from .aio import AsyncIoStream, TwoPartyClient, TwoPartyServer, kj_loop, run
    from .dynamic import (
        _DynamicListBuilder,
        _DynamicListReader,
        _DynamicObjectReader,
        _DynamicStructBuilder,
        _DynamicStructReader,
        load,
        read_multiple_bytes_packed,
    )

# name -> (module, attribute): resolved lazily by ``__getattr__``.
_LAZY: Dict[str, Tuple[str, str]] = {
    "load": ("capnp_lite.dynamic", "load"),
    "read_multiple_bytes_packed": ("capnp_lite.dynamic", "read_multiple_bytes_packed"),
    "SchemaParser": ("capnp_lite.dynamic", "SchemaParser"),
    "SchemaLoader": ("capnp_lite.dynamic.loader", "SchemaLoader"),
    "_StructModule": ("capnp_lite.dynamic", "StructModule"),
    "_InterfaceModule": ("capnp_lite.dynamic", "InterfaceModule"),
    "_ListSchema": ("capnp_lite.dynamic.types", "_ListSchema"),
    "_DynamicResizableListBuilder": ("capnp_lite.dynamic.builder", "_DynamicResizableListBuilder"),
    "_DynamicOrphan": ("capnp_lite.dynamic.builder", "_Orphan"),
    "_MallocMessageBuilder": ("capnp_lite.dynamic.messages", "_MallocMessageBuilder"),
    "_PyCustomMessageBuilder": ("capnp_lite.dynamic.messages", "_PyCustomMessageBuilder"),
    "_StreamFdMessageReader": ("capnp_lite.dynamic.messages", "_StreamFdMessageReader"),
    "_PackedFdMessageReader": ("capnp_lite.dynamic.messages", "_PackedFdMessageReader"),
    "_write_message_to_fd": ("capnp_lite.dynamic.messages", "_write_message_to_fd"),
    "_write_packed_message_to_fd": ("capnp_lite.dynamic.messages", "_write_packed_message_to_fd"),
    "_DynamicStructReader": ("capnp_lite.dynamic", "_DynamicStructReader"),
    "_DynamicStructBuilder": ("capnp_lite.dynamic", "_DynamicStructBuilder"),
    "_DynamicListReader": ("capnp_lite.dynamic", "_DynamicListReader"),
    "_DynamicListBuilder": ("capnp_lite.dynamic", "_DynamicListBuilder"),
    "_DynamicObjectReader": ("capnp_lite.dynamic", "_DynamicObjectReader"),
    "AsyncIoStream": ("capnp_lite.aio", "AsyncIoStream"),
    "TwoPartyClient": ("capnp_lite.aio", "TwoPartyClient"),
    "TwoPartyServer": ("capnp_lite.aio", "TwoPartyServer"),
    "run": ("capnp_lite.aio", "run"),
    "kj_loop": ("capnp_lite.aio", "kj_loop"),
}


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class _CapnpImporter:
    """The import hook's finder: ``foo_capnp`` is ``foo.capnp`` found on the search path.

    A dotted name (``pkg.foo_capnp``) is searched in its package's directories,
    a plain one in ``sys.path`` (an empty entry meaning the working directory).
    ``foo_bar_capnp`` also finds ``foo-bar.capnp`` and ``foo bar.capnp``.
    """

    def find_spec(
        self, fullname: str, path: Optional[Sequence[str]], target: Any = None
    ) -> Optional[importlib.machinery.ModuleSpec]:
        if fullname in sys.modules:
            return None
        base = fullname.rpartition(".")[2]
        if not base.endswith("_capnp"):
            return None
        stem = base[: -len("_capnp")]
        names = [stem + ".capnp"]
        if "_" in stem:
            names += [stem.replace("_", "-") + ".capnp", stem.replace("_", " ") + ".capnp"]
        directories = list(path) if path else list(sys.path)
        if path and _PACKAGE_DIR in map(os.path.abspath, path):
            # ``from capnp_lite import stream_capnp``: the schemas bundled with the package
            # (``capnp/*.capnp``), as pycapnp bundles them.
            from .resources import schema_dir

            directories.append(str(schema_dir() / "capnp"))
        for directory in directories:
            directory = os.path.abspath(directory) if directory else os.getcwd()
            for name in names:
                candidate = os.path.join(directory, name)
                if os.path.isfile(candidate):
                    return importlib.machinery.ModuleSpec(fullname, _CapnpLoader(candidate))
        return None


class _CapnpLoader(importlib.abc.Loader):
    """Loads a found schema as the module (imports resolve through ``sys.path`` too)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Any:
        from .dynamic import load

        imports = [entry or "." for entry in sys.path if os.path.isdir(entry or ".")]
        return load(self.path, spec.name, imports)

    def exec_module(self, module: Any) -> None:
        return None  # create_module made it whole


_importer: Optional[_CapnpImporter] = None


def add_import_hook() -> None:
    """Make ``import foo_capnp`` load ``foo.capnp`` (done when the package is imported)."""
    global _importer
    if _importer is not None:
        remove_import_hook()
    _importer = _CapnpImporter()
    sys.meta_path.append(_importer)  # last: ordinary modules of the same name win


def remove_import_hook() -> None:
    """Take the import hook away: ``import foo_capnp`` finds only Python modules again."""
    global _importer
    if _importer is not None and _importer in sys.meta_path:
        sys.meta_path.remove(_importer)
    _importer = None


def cleanup_global_schema_parser() -> None:
    """As pycapnp's: forget the schemas loaded so far.  ``load`` keeps no cache of modules,
    but remembers the latest load of each file for unpickling; that is dropped here."""
    dynamic = sys.modules.get("capnp_lite.dynamic")
    if dynamic is not None:
        dynamic.forget_loaded()


add_import_hook()


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(_LAZY) | {"lib", "types", "version"})


def __getattr__(name: str) -> Any:
    if name == "lib":  # pycapnp's capnp.lib.capnp, for ported code
        return importlib.import_module("capnp_lite.lib")
    if name == "types":  # pycapnp's capnp.types: Int32, Text... (for _ListSchema)
        return importlib.import_module("capnp_lite.dynamic.types")
    if name == "version":  # pycapnp's capnp.version: version, short_version
        return importlib.import_module("capnp_lite.version")
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'capnp_lite' has no attribute {name!r}")
    value = getattr(importlib.import_module(target[0]), target[1])
    globals()[name] = value  # later lookups skip this function
    return value


__all__ = [
    "CapnpError",
    "DecodeError",
    "EncodeError",
    "LimitError",
    "ProtocolError",
    "RpcError",
    "SchemaError",
    "TextFormatError",
    "__version__",
    "add_import_hook",
    "remove_import_hook",
    "cleanup_global_schema_parser",
    "read_multiple_bytes_packed",
    "AsyncIoStream",
    "KjException",
    "TwoPartyClient",
    "TwoPartyServer",
    "kj_loop",
    "load",
    "run",
    "_DynamicListBuilder",
    "_DynamicListReader",
    "_DynamicObjectReader",
    "_DynamicStructBuilder",
    "_DynamicStructReader",
]
