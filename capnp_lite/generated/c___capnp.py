"""Generated from capnp/c++.capnp by capnp_lite codegen: do not edit.

File ID 0xbdf87d7bb8304e81.
"""

from __future__ import annotations

import struct
from typing import Any, Final, List, Optional, Sequence, Tuple

from capnp_lite.codegen import runtime as _rt

FILE_ID: Final = 0xbdf87d7bb8304e81
