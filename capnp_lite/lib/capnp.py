"""pycapnp's ``capnp.lib.capnp`` module: the names ported code reaches through it.

Everything the top-level package offers is here too (``_DynamicStructReader``,
``KjException``, ``SchemaParser``...), with pycapnp's private module classes
(``_StructModule``, ``_EnumModule``, ``_InterfaceModule``), its schema classes
(``_Schema``, what ``SchemaLoader`` gives, ``_StructSchema``, ``_EnumSchema``,
``_InterfaceSchema``) and
``_global_schema_parser``, whose ``modules_by_id`` finds any struct, enum or
interface of the files loaded so far by its id (as pycapnp's global parser does).
"""

from __future__ import annotations

import importlib
from typing import Any, Iterator, List, Mapping

import capnp_lite

from ..dynamic import EnumModule as _EnumModule
from ..dynamic import InterfaceModule as _InterfaceModule
from ..dynamic import StructModule as _StructModule
from ..dynamic import _loaders, declared_ids, module_by_id
from ..dynamic.loader import LoadedSchema as _Schema
from ..dynamic.schema import EnumSchema as _EnumSchema
from ..dynamic.schema import InterfaceSchema as _InterfaceSchema
from ..dynamic.schema import StructSchema as _StructSchema
from ..errors import SchemaError

__all__ = ["_StructModule", "_EnumModule", "_InterfaceModule", "_global_schema_parser",
           "_Schema", "_StructSchema", "_EnumSchema", "_InterfaceSchema"]

# pycapnp's other classes, by the class of ours that plays each part (for isinstance checks
# and annotations in ported code); loaded on first use, as the top-level names are.
_CLASSES = {
    "_StructSchemaField": ("capnp_lite.dynamic.schema", "FieldInfo"),
    "_InterfaceMethod": ("capnp_lite.dynamic.schema", "MethodSchema"),
    "_ParsedSchema": ("capnp_lite.dynamic.schema", "ParsedSchema"),
    "_DynamicObjectBuilder": ("capnp_lite.dynamic.builder", "_AnyBuilder"),
    "_DynamicCapabilityClient": ("capnp_lite.aio.session", "Capability"),
    "_CapabilityClient": ("capnp_lite.aio.session", "Capability"),
    "_Request": ("capnp_lite.aio.session", "Request"),
    "_RemotePromise": ("capnp_lite.aio.session", "Promise"),
    "_Response": ("capnp_lite.aio._schema", "StructView"),
    "_CallContext": ("capnp_lite.aio.session", "CallContext"),
}


class _ModulesById(Mapping[int, Any]):
    """Type id -> the module of a file loaded so far, or of a struct, enum or interface it
    declares (as pycapnp's global parser holds them)."""

    def __getitem__(self, type_id: int) -> Any:
        try:
            return module_by_id(type_id)
        except SchemaError:
            raise KeyError(type_id) from None

    def __iter__(self) -> Iterator[int]:
        seen = set()
        for loader in list(_loaders.values()):
            files = [n for n in loader.nodes.values() if n.which == "file"]
            for type_id in declared_ids(loader, files):
                if type_id not in seen:
                    seen.add(type_id)
                    yield type_id

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _GlobalSchemaParser:
    """pycapnp's ``_global_schema_parser``: ``load`` and ``modules_by_id``."""

    def __init__(self) -> None:
        self.modules_by_id: Mapping[int, Any] = _ModulesById()

    def load(self, file_name: str, display_name: Any = None, imports: Any = ()) -> Any:
        return capnp_lite.load(file_name, display_name, imports)


_global_schema_parser = _GlobalSchemaParser()


def __getattr__(name: str) -> Any:
    target = _CLASSES.get(name)
    if target is not None:
        value = getattr(importlib.import_module(target[0]), target[1])
        globals()[name] = value
        return value
    return getattr(capnp_lite, name)


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(_CLASSES) | set(dir(capnp_lite)))
