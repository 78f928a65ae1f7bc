"""``to_dict``: a struct reader as plain Python values (pycapnp's shape)."""

from __future__ import annotations

import base64
from collections import OrderedDict
from typing import Any, Callable, Dict, FrozenSet, Optional

from .reader import (
    _NUMBER_FORMATS,
    _READER_RESERVED,
    _DynamicListReader,
    _DynamicObjectReader,
    _DynamicStructReader,
)
from .values import EnumValue

__all__ = ["struct_to_dict", "value_to_python"]


# Values that are already what to_dict gives (an enumerant is a str subclass: not these).
_PLAIN = frozenset((int, float, str, bool, type(None)))
# Lists whose elements are such values as read (numbers, bools, texts): copied as they are.
_PLAIN_ELEMENTS = frozenset(_NUMBER_FORMATS) | {"bool", "text"}


def value_to_python(
    value: Any, verbose: bool, ordered: bool = False, base64_data: bool = False,
    _chain: FrozenSet[int] = frozenset(),
) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, _DynamicStructReader):
        return struct_to_dict(value, verbose, ordered, base64_data, _chain)
    if isinstance(value, _DynamicListReader):
        kind = value._element_type.kind
        if kind in _PLAIN_ELEMENTS or (kind == "data" and not base64_data):
            return list(value)
        return [value_to_python(v, verbose, ordered, base64_data, _chain) for v in value]
    if type(value) is _DynamicObjectReader:
        return None
    if isinstance(value, EnumValue):
        return str.__str__(value)  # a plain str, as pycapnp gives
    if base64_data and isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def struct_to_dict(
    reader: _DynamicStructReader, verbose: bool = False, ordered: bool = False,
    base64_data: bool = False, _chain: FrozenSet[int] = frozenset(),
) -> Dict[str, Any]:
    """The active union member first, then the non-union fields (pointers only when set,
    unless ``verbose``), as pycapnp orders them.

    With ``verbose``, an unset struct field shows its default, whose own unset fields show
    theirs, and so on, until a struct type comes round again on that path of defaults (a
    type that holds itself): that one shows only what the non-verbose form shows.  ``_chain``
    holds the types of the path (pycapnp recurses there until the process crashes).
    """
    schema = reader.schema
    cls = type(reader)
    getters = cls.__dict__.get("_getters") or _getters_of(cls, schema)
    out: Dict[str, Any] = OrderedDict() if ordered else {}
    fields = schema.non_union_infos
    if schema.union_infos:
        active = reader._which_field()
        if active is not None:
            fields = [active] + fields
    for field in fields:
        unset = field.is_pointer and not reader._has_field(field)
        if unset and not verbose and not field.in_union:  # (the active member always shows)
            continue
        get = getters[field.name]
        value = reader._get_field(field) if get is None else get(reader)
        if type(value) in _PLAIN:
            out[field.name] = value
            continue
        if unset and verbose and isinstance(value, _DynamicStructReader):
            key = id(value.schema)
            if key in _chain:
                out[field.name] = struct_to_dict(value, False, ordered, base64_data)
                continue
            out[field.name] = struct_to_dict(value, True, ordered, base64_data, _chain | {key})
            continue
        out[field.name] = value_to_python(value, verbose, ordered, base64_data, _chain)
    return out


def _getters_of(cls: type, schema: Any) -> Dict[str, Optional[Callable[[Any], Any]]]:
    """Each field's property getter in the reader class ``cls`` (the fast paths ``reader.name``
    takes), None where a field has none (its name is a method's); kept on the class."""
    getters: Dict[str, Optional[Callable[[Any], Any]]] = {}
    for field in schema.fields_list:
        prop = getattr(cls, field.name, None)
        reserved = field.name in _READER_RESERVED
        getters[field.name] = prop.fget if isinstance(prop, property) and not reserved else None
    type.__setattr__(cls, "_getters", getters)
    return getters
