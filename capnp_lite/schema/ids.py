"""Type IDs derived the way the reference compiler derives them.

Each is the first 8 bytes of an MD5 digest, read big-endian, with the top
bit set.  The digest input starts with the parent ID as 8 little-endian
bytes.
"""

from __future__ import annotations

import hashlib
import struct

__all__ = ["child_id", "group_id", "method_params_id", "random_file_id"]

_TOP_BIT = 1 << 63


def _digest_id(data: bytes) -> int:
    return int.from_bytes(hashlib.md5(data).digest()[:8], "big") | _TOP_BIT


def child_id(parent_id: int, name: str) -> int:
    """ID of a named declaration nested in ``parent_id`` without an explicit ``@0x...``."""
    return _digest_id(struct.pack("<Q", parent_id) + name.encode("utf-8"))


def group_id(parent_id: int, index: int) -> int:
    """ID of a group or named union: ``index`` is its position in the parent's field list."""
    return _digest_id(struct.pack("<QH", parent_id, index))


def method_params_id(interface_id: int, ordinal: int, is_results: bool) -> int:
    """ID of a method's implicit ``$Params`` or ``$Results`` struct."""
    return _digest_id(struct.pack("<QHB", interface_id, ordinal, 1 if is_results else 0))


def random_file_id() -> int:
    """A fresh file ID, as suggested for files that lack one."""
    import secrets

    return secrets.randbits(64) | _TOP_BIT
