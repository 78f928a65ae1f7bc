"""The message classes that write their own ``__init__`` (a frozen dataclass's generated one
pays an ``object.__setattr__`` per field) must take exactly their fields, in order, with the
same defaults, and set every one."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any, List

import pytest

from capnp_lite.rpc import caps, events, messages


def _hand_written() -> List[Any]:
    found = []
    for module in (messages, events, caps):
        for obj in vars(module).values():
            if (inspect.isclass(obj) and dataclasses.is_dataclass(obj) and obj.__module__ == module.__name__
                    and not obj.__dataclass_params__.init):  # type: ignore[attr-defined]
                found.append(obj)
    return found


HAND_WRITTEN = _hand_written()


def test_there_are_some() -> None:
    assert {c.__name__ for c in HAND_WRITTEN} >= {"Call", "Return", "Finish", "Payload"}


@pytest.mark.parametrize("cls", HAND_WRITTEN, ids=lambda c: c.__name__)
def test_init_matches_fields(cls: Any) -> None:
    fields = [f for f in dataclasses.fields(cls) if f.init]
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields):
        if f.default is not dataclasses.MISSING:
            assert p.default == f.default, f.name
        elif f.default_factory is not dataclasses.MISSING:
            assert p.default == f.default_factory(), f.name
        else:
            assert p.default is inspect.Parameter.empty, f.name
    # Every field set, to the value given.
    args = {p.name: object() for p in params}
    made = cls(**args)
    for name, value in args.items():
        assert getattr(made, name) is value
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, params[0].name, None)
