"""pycapnp's ``capnp.version``: the package's version, as ``version`` and ``short_version``.

``LIBCAPNP_VERSION`` (and its three parts) name the C++ library inside pycapnp 2.2.4, whose
behaviour this package follows; code that checks it for a feature sees what pycapnp 2.2.4
would tell it.
"""

from __future__ import annotations

from . import __version__

version = __version__
short_version = __version__

LIBCAPNP_VERSION_MAJOR = 1
LIBCAPNP_VERSION_MINOR = 4
LIBCAPNP_VERSION_MICRO = 0
LIBCAPNP_VERSION = LIBCAPNP_VERSION_MAJOR * 1000000 + LIBCAPNP_VERSION_MINOR * 1000 + LIBCAPNP_VERSION_MICRO

__all__ = ["version", "short_version", "LIBCAPNP_VERSION", "LIBCAPNP_VERSION_MAJOR",
           "LIBCAPNP_VERSION_MINOR", "LIBCAPNP_VERSION_MICRO"]
