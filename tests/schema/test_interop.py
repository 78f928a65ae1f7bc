"""Our compiler against the real ``capnp compile -o-`` on extra schemas (skipped without it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict

import pytest

from capnp_lite.schema import compile_files

HERE = Path(__file__).resolve().parent
CAPNP = shutil.which("capnp")
SCHEMA_CAPNP = Path("/usr/include/capnp/schema.capnp")

pytestmark = pytest.mark.skipif(
    CAPNP is None or not SCHEMA_CAPNP.exists(), reason="capnp tool and schema.capnp needed")


def _reference(path: Path) -> Dict[int, Any]:
    capnp = pytest.importorskip("capnp")
    out = subprocess.run([str(CAPNP), "compile", "-o-", path.name], cwd=str(path.parent),
                         check=True, stdout=subprocess.PIPE).stdout
    schema = capnp.load(str(SCHEMA_CAPNP), imports=["/usr/include"])
    with schema.CodeGeneratorRequest.from_bytes(out) as req:
        return {n.id: n.as_builder() for n in req.nodes}


def test_extra_schema_matches_capnp() -> None:
    path = HERE / "extra.capnp"
    ref = _reference(path)
    ours = {n.id: n for n in compile_files([str(path)], [str(HERE)]).nodes}
    assert set(ours) == set(ref)
    for id, r in ref.items():
        n = ours[id]
        assert n.display_name == r.displayName
        assert n.display_name_prefix_length == r.displayNamePrefixLength
        assert n.scope_id == r.scopeId
        assert n.is_generic == r.isGeneric
        assert [p.name for p in r.parameters] == n.parameters
        assert [(x.name, x.id) for x in r.nestedNodes] == [(x.name, x.id) for x in n.nested_nodes]
        which = r.which()
        assert n.which == which
        if which == "struct":
            s = r.struct
            assert (n.data_word_count, n.pointer_count, n.discriminant_count,
                    n.discriminant_offset, n.is_group) == (
                s.dataWordCount, s.pointerCount, s.discriminantCount, s.discriminantOffset,
                s.isGroup)
            for f, rf in zip(n.fields, s.fields):
                assert (f.name, f.code_order, f.discriminant_value) == (
                    rf.name, rf.codeOrder, rf.discriminantValue)
                assert f.which == rf.which()
                if f.which == "slot":
                    assert f.offset == rf.slot.offset
                    assert f.type is not None and f.type.which == rf.slot.type.which()
                    assert f.had_explicit_default == rf.slot.hadExplicitDefault
                else:
                    assert f.group_type_id == rf.group.typeId
            assert len(n.fields) == len(s.fields)
        elif which == "interface":
            i = r.interface
            assert [(m.name, m.param_struct_type, m.result_struct_type, m.implicit_parameters)
                    for m in n.methods] == [
                (m.name, m.paramStructType, m.resultStructType,
                 [p.name for p in m.implicitParameters]) for m in i.methods]
            assert [(s.id, len(s.brand.scopes)) for s in n.superclasses] == [
                (s.id, len(s.brand.scopes)) for s in i.superclasses]
            for m, rm in zip(n.methods, i.methods):
                assert [(s.scope_id, s.inherit) for s in m.param_brand.scopes] == [
                    (s.scopeId, s.which() == "inherit") for s in rm.paramBrand.scopes]
        elif which == "const":
            assert n.type is not None and n.type.which == r.const.type.which()
