"""A generated builder refuses to fill a union member's group that is not the active member.

Filling it would be lost when the struct is serialized (only the active member
is written), so the group is reached through ``init_<name>()``, which selects
it, as the reference implementation requires.
"""

from __future__ import annotations

import pytest

from capnp_lite.errors import EncodeError
from capnp_lite.generated import calculator_capnp as c


def test_inactive_group_is_refused_and_init_selects_it() -> None:
    e = c.Calculator_Expression_Builder()
    assert e.which() == c.Calculator_Expression_Which.literal
    with pytest.raises(EncodeError, match="init_call"):
        e.call.function = 3
    group = e.init_call()
    group.function = 3
    assert e.call is group and e.which() == c.Calculator_Expression_Which.call
    read = c.Calculator_Expression_Reader.from_bytes(e.to_bytes())
    assert read.which() == c.Calculator_Expression_Which.call and read.call.function == 3
    e.literal = 1.5  # another member: the group is inactive again
    with pytest.raises(EncodeError):
        e.call
    assert c.Calculator_Expression_Reader.from_bytes(e.to_bytes()).literal == 1.5


def test_inactive_struct_member_is_refused_and_init_selects_it() -> None:
    from capnp_lite.generated import rpc_capnp as rpc

    m = rpc.Message_Builder()
    with pytest.raises(EncodeError, match="init_call"):
        m.call.questionId = 5  # would have been written as the default member, losing it
    m.init_call().questionId = 5
    assert m.call.questionId == 5
    read = rpc.Message_Reader.from_bytes(m.to_bytes())
    assert read.which() == rpc.Message_Which.call and read.call.questionId == 5
    finish = rpc.Finish_Builder()
    finish.questionId = 9
    m.finish = finish  # assigning a member selects it too
    with pytest.raises(EncodeError):
        m.call
    assert rpc.Message_Reader.from_bytes(m.to_bytes()).finish.questionId == 9
