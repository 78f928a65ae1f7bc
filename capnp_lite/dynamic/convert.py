"""``to_dict``: a struct reader as plain Python values (pycapnp's shape)."""

from __future__ import annotations

import base64
from collections import OrderedDict
from typing import Any, Dict

from .reader import _DynamicListReader, _DynamicObjectReader, _DynamicStructReader
from .values import EnumValue

__all__ = ["struct_to_dict", "value_to_python"]


def value_to_python(
    value: Any, verbose: bool, ordered: bool = False, base64_data: bool = False
) -> Any:
    if isinstance(value, _DynamicStructReader):
        return struct_to_dict(value, verbose, ordered, base64_data)
    if isinstance(value, _DynamicListReader):
        return [value_to_python(v, verbose, ordered, base64_data) for v in value]
    if isinstance(value, _DynamicObjectReader):
        return None
    if isinstance(value, EnumValue):
        return str.__str__(value)  # a plain str, as pycapnp gives
    if base64_data and isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def struct_to_dict(
    reader: _DynamicStructReader, verbose: bool = False, ordered: bool = False,
    base64_data: bool = False,
) -> Dict[str, Any]:
    """The active union member first, then the non-union fields (pointers only when set,
    unless ``verbose``), as pycapnp orders them."""
    schema = reader.schema
    out: Dict[str, Any] = OrderedDict() if ordered else {}
    if schema.union_infos:
        active = reader._which_field()
        if active is not None:
            out[active.name] = value_to_python(reader._get(active), verbose, ordered, base64_data)
    for field in schema.non_union_infos:
        if verbose or reader._has_field(field):
            out[field.name] = value_to_python(reader._get(field), verbose, ordered, base64_data)
    return out
