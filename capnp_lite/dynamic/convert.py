"""``to_dict``: a struct reader as plain Python values (pycapnp's shape)."""

from __future__ import annotations

from typing import Any, Dict

from .reader import _DynamicListReader, _DynamicObjectReader, _DynamicStructReader

__all__ = ["struct_to_dict", "value_to_python"]


def value_to_python(value: Any, verbose: bool) -> Any:
    if isinstance(value, _DynamicStructReader):
        return struct_to_dict(value, verbose)
    if isinstance(value, _DynamicListReader):
        return [value_to_python(v, verbose) for v in value]
    if isinstance(value, _DynamicObjectReader):
        return None
    return value


def struct_to_dict(reader: _DynamicStructReader, verbose: bool = False) -> Dict[str, Any]:
    """Non-union fields (pointers only when set, unless ``verbose``) and the active union member."""
    schema = reader.schema
    out: Dict[str, Any] = {}
    for field in schema.non_union_fields:
        if verbose or reader._has_field(field):
            out[field.name] = value_to_python(reader._get(field), verbose)
    if schema.union_fields:
        active = reader._which_field()
        if active is not None:
            out[active.name] = value_to_python(reader._get(active), verbose)
    return out
