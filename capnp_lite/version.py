"""pycapnp's ``capnp.version``: the package's version, as ``version`` and ``short_version``."""

from __future__ import annotations

from . import __version__

version = __version__
short_version = __version__

__all__ = ["version", "short_version"]
