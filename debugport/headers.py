"""HTTP headers as http-over-capnp carries them (``HttpHeader``), for the client and the server.

A header is ``common`` (a ``CommonHeaderName`` enumerant, with a text value or a
``CommonHeaderValue``) or ``uncommon`` (name and value as text).  Sending uses ``common``
whenever the name is one of the enumerants, as workerd does.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Tuple

from capnp_lite.errors import DecodeError, EncodeError

__all__ = ["COMMON_HEADER_NAMES", "common_header_text", "encode_headers", "read_header"]

# CommonHeaderName enumerants (ordinal 0 is ``invalid``), restated from http-over-capnp.capnp.
_COMMON_ENUMERANTS = (
    "acceptCharset", "acceptEncoding", "acceptLanguage", "acceptRanges", "accept",
    "accessControlAllowOrigin", "age", "allow", "authorization", "cacheControl",
    "contentDisposition", "contentEncoding", "contentLanguage", "contentLength",
    "contentLocation", "contentRange", "contentType", "cookie", "date", "etag", "expect",
    "expires", "from", "host", "ifMatch", "ifModifiedSince", "ifNoneMatch", "ifRange",
    "ifUnmodifiedSince", "lastModified", "link", "location", "maxForwards", "proxyAuthenticate",
    "proxyAuthorization", "range", "referer", "refresh", "retryAfter", "server", "setCookie",
    "strictTransportSecurity", "transferEncoding", "userAgent", "vary", "via", "wwwAuthenticate",
)

# CommonHeaderValue enumerants and the text each stands for.
_COMMON_VALUES = {"gzipDeflate": "gzip, deflate"}

# Names HTTP spells otherwise than capitalising each camel-case word.
_IRREGULAR = {"etag": "ETag", "wwwAuthenticate": "WWW-Authenticate"}


def _words(camel: str) -> List[str]:
    words: List[str] = []
    start = 0
    for i in range(1, len(camel)):
        if camel[i].isupper():
            words.append(camel[start:i])
            start = i
    words.append(camel[start:])
    return words


def common_header_text(enumerant: str) -> str:
    """The canonical spelling of a ``CommonHeaderName`` (``contentType`` -> ``Content-Type``)."""
    irregular = _IRREGULAR.get(enumerant)
    if irregular is not None:
        return irregular
    return "-".join(w[:1].upper() + w[1:] for w in _words(enumerant))


# lower-case header name -> enumerant, and back
COMMON_HEADER_NAMES: Dict[str, str] = {"-".join(_words(e)).lower(): e for e in _COMMON_ENUMERANTS}
_LOWER_BY_ENUMERANT: Dict[str, str] = {e: name for name, e in COMMON_HEADER_NAMES.items()}


def encode_headers(pairs: Iterable[Tuple[str, str]]) -> List[Dict[str, Any]]:
    """``HttpHeader`` structs (as builder dicts): ``common`` for known names, else ``uncommon``.

    A name or value that could not be one HTTP header line raises ``EncodeError``.
    """
    out: List[Dict[str, Any]] = []
    for name, value in pairs:
        name, value = str(name), str(value)
        if not name or any(c in name for c in "\r\n:\0") or any(c in value for c in "\r\n\0"):
            raise EncodeError(f"invalid HTTP header {name!r}: {value!r}")
        enumerant = COMMON_HEADER_NAMES.get(name.lower())
        if enumerant is not None:
            out.append({"common": {"name": enumerant, "value": value}})
        else:
            out.append({"uncommon": {"name": name, "value": value}})
    return out


def read_header(view: Any, *, canonical: bool = False) -> Tuple[str, str]:
    """One ``HttpHeader`` reader view as ``(name, value)``.

    A common name comes in lower case, or with ``canonical`` spelled as HTTP writes it
    (``Content-Type``); an unknown enumerant or common value raises ``DecodeError``.
    """
    if view.which() == "uncommon":
        return str(view.uncommon.name), str(view.uncommon.value)
    common = view.common
    enumerant = common.name
    lower = _LOWER_BY_ENUMERANT.get(enumerant) if isinstance(enumerant, str) else None
    if lower is None:
        raise DecodeError(f"unknown common header name {enumerant!r}")
    name = common_header_text(enumerant) if canonical else lower
    if common.which() == "commonValue":
        value = _COMMON_VALUES.get(common.commonValue) if isinstance(common.commonValue, str) else None
        if value is None:
            raise DecodeError(f"unknown common header value {common.commonValue!r}")
        return name, value
    return name, str(common.value)
