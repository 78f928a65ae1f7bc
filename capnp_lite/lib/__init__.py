"""``capnp.lib`` as pycapnp lays it out: ported code that names ``capnp.lib.capnp.X`` keeps
working with ``import capnp_lite as capnp``.  See :mod:`capnp_lite.lib.capnp`."""

from . import capnp

__all__ = ["capnp"]
