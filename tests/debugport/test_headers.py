"""HTTP headers as http-over-capnp carries them: the restated tables against the schema, and
round trips through real ``HttpHeader`` messages."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import pytest

import capnp_lite

from capnp_lite.errors import DecodeError, EncodeError
from capnp_lite.resources import schema_dir
from capnp_lite.schema import compile_files
from debugport.headers import COMMON_HEADER_NAMES, common_header_text, encode_headers, read_header
from debugport.http import decode_headers

COMMON_TEXT = 0x857745131DB6FC83  # the schema's $commonText annotation


def _annotated(enum_name: str) -> Dict[str, str]:
    root = schema_dir()
    request = compile_files([str(root / "capnp" / "compat" / "http-over-capnp.capnp")], [str(root)])
    node = next(n for n in request.nodes if n.display_name.endswith(":" + enum_name))
    out = {}
    for enumerant in node.enumerants:
        for ann in enumerant.annotations:
            if ann.id == COMMON_TEXT:
                out[enumerant.name] = ann.value.value
    return out


def _http() -> Any:
    root = schema_dir()
    return capnp_lite.load(str(root / "capnp" / "compat" / "http-over-capnp.capnp"), imports=[str(root)])


def test_common_names_match_the_schema_annotations() -> None:
    texts = _annotated("CommonHeaderName")
    assert sorted(COMMON_HEADER_NAMES.values()) == sorted(texts)
    for enumerant, text in texts.items():
        assert common_header_text(enumerant) == text
        assert COMMON_HEADER_NAMES[text.lower()] == enumerant


def _round_trip(pairs: List[Tuple[str, str]]) -> Any:
    request = _http().HttpRequest.new_message(url="/", headers=encode_headers(pairs))
    return _http().HttpRequest.from_bytes(request.to_bytes()).headers


def test_headers_round_trip_through_messages() -> None:
    pairs = [("Content-Type", "text/plain"), ("X-Custom", "1"), ("etag", "\"v\""), ("WWW-Authenticate", "x")]
    views = _round_trip(pairs)
    assert [read_header(v, canonical=True) for v in views] == [
        ("Content-Type", "text/plain"), ("X-Custom", "1"), ("ETag", "\"v\""), ("WWW-Authenticate", "x")]
    assert list(decode_headers(views)) == [
        ("content-type", "text/plain"), ("X-Custom", "1"), ("etag", "\"v\""), ("www-authenticate", "x")]


def test_common_values_and_bad_headers() -> None:
    request = _http().HttpRequest.new_message(
        url="/", headers=[{"common": {"name": "acceptEncoding", "commonValue": "gzipDeflate"}}])
    view = _http().HttpRequest.from_bytes(request.to_bytes()).headers[0]
    assert read_header(view, canonical=True) == ("Accept-Encoding", "gzip, deflate")
    assert set(_annotated("CommonHeaderValue").values()) == {"gzip, deflate"}
    for name, value in [("Bad\r\nName", "x"), ("", "x"), ("a:b", "x"), ("X", "v\n")]:
        with pytest.raises(EncodeError):
            encode_headers([(name, value)])
    invalid = _http().HttpRequest.new_message(url="/", headers=[{"common": {"name": "invalid", "value": "x"}}])
    with pytest.raises(DecodeError, match="unknown common header name"):
        read_header(_http().HttpRequest.from_bytes(invalid.to_bytes()).headers[0])
