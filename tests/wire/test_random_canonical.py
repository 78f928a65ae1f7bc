"""Random messages of random schemas (``tests/random_schemas.py``) in canonical form: ours must be
``capnp convert binary:canonical``'s, byte for byte, and read as canonical.

(The reference tool recovers from a damaged pointer by reading it as its default, where we
refuse the message; damaged messages are compared through ``capnp decode`` instead, in
``tests/text/test_random_messages.py``.)  ``CAPNP_LITE_RANDOM_SEEDS=N`` runs N seeds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from capnp_lite.wire.canonical import canonicalize_message, is_canonical
from capnp_lite.wire.framing import decode_message

from ..random_schemas import random_message

CAPNP = shutil.which("capnp")
SEEDS = int(os.environ.get("CAPNP_LITE_RANDOM_SEEDS", "100"))

pytestmark = [pytest.mark.interop,
              pytest.mark.skipif(CAPNP is None, reason="the capnp tool is needed")]


@pytest.mark.parametrize("seed", range(SEEDS))
def test_random_message_canonicalises_as_the_reference_does(seed: int, tmp_path: Path) -> None:
    made = random_message(seed, tmp_path, "k")
    if made is None:
        return  # refused alike by the reference (tests/schema/test_random_schemas.py)
    data = made.builder.to_bytes()
    assert CAPNP is not None
    ref = subprocess.run([CAPNP, "convert", "--quiet", "binary:canonical"], input=data,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    ours = canonicalize_message(decode_message(data))
    assert ours == ref.stdout
    assert is_canonical([ours])
