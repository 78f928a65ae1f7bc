"""Random schemas (``tests/random_schemas.py``) built by our dynamic API and by pycapnp with
the same statements: the two messages must be the same bytes.

pycapnp lays a message out in the order its fields were set, ours in pre-order (as ``capnp
encode`` does); pycapnp's is compared once copied (``as_builder()``), which lays it out in
pre-order too.  Each side then reads the other's bytes as the same text, and ``to_dict()``
(plain and verbose) gives the same values.  pycapnp cannot be
installed on PyPy, so this runs on CPython only.  ``CAPNP_LITE_RANDOM_SEEDS=N`` runs N seeds.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path
from typing import Any, Dict, Tuple

import pytest

import capnp_lite

from ..random_schemas import comparable, fill, random_schema

capnp = pytest.importorskip("capnp", reason="pycapnp is the reference here (CPython only)")

SEEDS = int(os.environ.get("CAPNP_LITE_RANDOM_SEEDS", "100"))

# pycapnp keeps every file it loaded for the life of the process and aborts the process when a
# file id comes again from another path: each seed's file is loaded once, under an id of its own.
_LOADED: Dict[int, Tuple[Any, Any, str]] = {}


def _modules(seed: int, directory: Path) -> Tuple[Any, Any, str]:
    if seed not in _LOADED:
        schema = random_schema(seed)
        text = re.sub(r"^@0x[0-9a-f]{16};", "@0x%016x;" % (0xC000000000000000 | seed),
                      schema.text, count=1)
        path = directory / ("pycapnp_random_%d.capnp" % seed)
        path.write_text(text)
        try:
            ours = capnp_lite.load(str(path))
        except capnp_lite.KjException:
            ours = None
        ref = capnp.load(str(path), imports=["/usr/include"]) if ours is not None else None
        _LOADED[seed] = (ours, ref, text)
    return _LOADED[seed]


def _type(module: Any, qualified: str) -> Any:
    for part in qualified.split("."):
        module = getattr(module, part)
    return module


@pytest.mark.interop
@pytest.mark.parametrize("seed", range(SEEDS))
def test_random_message_is_built_as_pycapnp_builds_it(seed: int,
                                                      tmp_path_factory: pytest.TempPathFactory
                                                      ) -> None:
    ours_module, ref_module, text = _modules(seed, tmp_path_factory.mktemp("random_pycapnp"))
    if ours_module is None:
        return  # a schema both compilers refuse (tests/schema/test_random_schemas.py)
    rng = random.Random(seed)
    root = rng.choice(random_schema(seed).structs)
    state = rng.getstate()
    ours = _type(ours_module, root).new_message()
    fill(ours, rng, enum_names=True)
    rng.setstate(state)
    ref = _type(ref_module, root).new_message()
    fill(ref, rng, enum_names=True)

    data = ours.to_bytes()
    with _type(ref_module, root).from_bytes(ref.to_bytes()) as reader:
        want = reader.as_builder().to_bytes()
    assert data == want, "%s of\n%s" % (root, text)
    with _type(ref_module, root).from_bytes(data) as theirs:
        assert str(theirs) == str(_type(ours_module, root).from_bytes(want))
        if "Capability" in text:
            # pycapnp's to_dict leaves out a union member it cannot read (a List(Capability)
            # of a message without a capability table) where ours gives its elements
            return
        for verbose in (False, True):
            try:
                expected = _plain(theirs.to_dict(verbose))
            except (RuntimeError, capnp.KjException):
                continue  # pycapnp cannot name an unknown enum value, nor read some lists here
            assert _plain(_type(ours_module, root).from_bytes(data).to_dict(verbose)) == expected


def _plain(value: Any) -> Any:
    """``to_dict`` output made comparable, an AnyPointer's reader (pycapnp's; ours gives None,
    see the README) as None."""
    return comparable(value, _none_for_any_pointer)


def _none_for_any_pointer(value: Any) -> None:
    assert value is None or type(value).__name__ == "_DynamicObjectReader", type(value)
    return None
