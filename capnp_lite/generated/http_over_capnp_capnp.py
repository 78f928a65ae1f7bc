"""Generated from capnp/compat/http-over-capnp.capnp by capnp_lite codegen: do not edit.

File ID 0xb665280aaff2e632.
"""

from __future__ import annotations

import struct
from typing import Any, Final, List, Optional, Sequence, Tuple

from capnp_lite.codegen import runtime as _rt
from capnp_lite.aio import typed as _typed
from . import byte_stream_capnp as _byte_stream_capnp
from . import stream_capnp as _stream_capnp

FILE_ID: Final = 0xb665280aaff2e632


class HttpMethod(_rt.CapnpEnum):
    """Enum HttpMethod (0x8dbd3c007383731e)."""

    get = 0
    head = 1
    post = 2
    put = 3
    delete = 4
    patch = 5
    purge = 6
    options = 7
    trace = 8
    copy = 9
    lock = 10
    mkcol = 11
    move = 12
    propfind = 13
    proppatch = 14
    search = 15
    unlock = 16
    acl = 17
    report = 18
    mkactivity = 19
    checkout = 20
    merge = 21
    msearch = 22
    notify = 23
    subscribe = 24
    unsubscribe = 25


_M_HttpMethod: Final[Tuple[HttpMethod, ...]] = tuple(HttpMethod)


class CommonHeaderName(_rt.CapnpEnum):
    """Enum CommonHeaderName (0xee4db03aab7fb4be)."""

    invalid = 0
    acceptCharset = 1
    acceptEncoding = 2
    acceptLanguage = 3
    acceptRanges = 4
    accept = 5
    accessControlAllowOrigin = 6
    age = 7
    allow = 8
    authorization = 9
    cacheControl = 10
    contentDisposition = 11
    contentEncoding = 12
    contentLanguage = 13
    contentLength = 14
    contentLocation = 15
    contentRange = 16
    contentType = 17
    cookie = 18
    date = 19
    etag = 20
    expect = 21
    expires = 22
    from_ = 23
    host = 24
    ifMatch = 25
    ifModifiedSince = 26
    ifNoneMatch = 27
    ifRange = 28
    ifUnmodifiedSince = 29
    lastModified = 30
    link = 31
    location = 32
    maxForwards = 33
    proxyAuthenticate = 34
    proxyAuthorization = 35
    range = 36
    referer = 37
    refresh = 38
    retryAfter = 39
    server = 40
    setCookie = 41
    strictTransportSecurity = 42
    transferEncoding = 43
    userAgent = 44
    vary = 45
    via = 46
    wwwAuthenticate = 47


_M_CommonHeaderName: Final[Tuple[CommonHeaderName, ...]] = tuple(CommonHeaderName)


class CommonHeaderValue(_rt.CapnpEnum):
    """Enum CommonHeaderValue (0x83e5f307c4d3785f)."""

    invalid = 0
    gzipDeflate = 1


_M_CommonHeaderValue: Final[Tuple[CommonHeaderValue, ...]] = tuple(CommonHeaderValue)


class HttpRequest_bodySize_Which(_rt.CapnpEnum):
    """Union tags of bodySize."""

    unknown = 0
    fixed = 1


_M_HttpRequest_bodySize_Which: Final[Tuple[HttpRequest_bodySize_Which, ...]] = tuple(HttpRequest_bodySize_Which)


class HttpResponse_bodySize_Which(_rt.CapnpEnum):
    """Union tags of bodySize."""

    unknown = 0
    fixed = 1


_M_HttpResponse_bodySize_Which: Final[Tuple[HttpResponse_bodySize_Which, ...]] = tuple(HttpResponse_bodySize_Which)


class HttpHeader_Which(_rt.CapnpEnum):
    """Union tags of HttpHeader."""

    common = 0
    uncommon = 1


_M_HttpHeader_Which: Final[Tuple[HttpHeader_Which, ...]] = tuple(HttpHeader_Which)


class HttpHeader_common_Which(_rt.CapnpEnum):
    """Union tags of common."""

    commonValue = 0
    value_ = 1


_M_HttpHeader_common_Which: Final[Tuple[HttpHeader_common_Which, ...]] = tuple(HttpHeader_common_Which)


class HttpService_ClientRequestContext_startResponse_Params_Reader(_rt.StructView):
    """Reader of struct startResponse$Params (0x81e666258a901e30): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def response(self) -> HttpResponse_Reader:
        return _rt.struct_field(self, 0, HttpResponse_Reader)


class HttpService_ClientRequestContext_startResponse_Results_Reader(_rt.StructView):
    """Reader of struct startResponse$Results (0x955c85d7a557d8e9): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def body(self) -> Optional[int]:
        return self._r.get_capability(0)


class HttpService_ClientRequestContext_startWebSocket_Params_Reader(_rt.StructView):
    """Reader of struct startWebSocket$Params (0xf6850b405e21d2c1): 0 data words, 2 pointers."""

    __slots__ = ()

    @property
    def headers(self) -> _rt.StructList[HttpHeader_Reader]:
        return _rt.struct_list(self, 0, HttpHeader_Reader)

    @property
    def upSocket(self) -> Optional[int]:
        return self._r.get_capability(1)


class HttpService_ClientRequestContext_startWebSocket_Results_Reader(_rt.StructView):
    """Reader of struct startWebSocket$Results (0xbd146efdadd86c3d): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def downSocket(self) -> Optional[int]:
        return self._r.get_capability(0)


class HttpService_ConnectClientRequestContext_startConnect_Params_Reader(_rt.StructView):
    """Reader of struct startConnect$Params (0xd0eab1ea093a6673): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def response(self) -> HttpResponse_Reader:
        return _rt.struct_field(self, 0, HttpResponse_Reader)


class HttpService_ConnectClientRequestContext_startConnect_Results_Reader(_rt.StructView):
    """Reader of struct startConnect$Results (0xfa73959a9a2b477d): 0 data words, 0 pointers."""

    __slots__ = ()


class HttpService_ConnectClientRequestContext_startError_Params_Reader(_rt.StructView):
    """Reader of struct startError$Params (0xfe0ea4cde5df8164): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def response(self) -> HttpResponse_Reader:
        return _rt.struct_field(self, 0, HttpResponse_Reader)


class HttpService_ConnectClientRequestContext_startError_Results_Reader(_rt.StructView):
    """Reader of struct startError$Results (0xb92efa728643f0ed): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def body(self) -> Optional[int]:
        return self._r.get_capability(0)


class HttpService_startRequest_Params_Reader(_rt.StructView):
    """Reader of struct startRequest$Params (0xccefbf23794af7b3): 0 data words, 2 pointers."""

    __slots__ = ()

    @property
    def request(self) -> HttpRequest_Reader:
        return _rt.struct_field(self, 0, HttpRequest_Reader)

    @property
    def context(self) -> Optional[int]:
        return self._r.get_capability(1)


class HttpService_startRequest_Results_Reader(_rt.StructView):
    """Reader of struct startRequest$Results (0xa9da072c30fec5de): 0 data words, 2 pointers."""

    __slots__ = ()

    @property
    def requestBody(self) -> Optional[int]:
        return self._r.get_capability(0)

    @property
    def context(self) -> Optional[int]:
        return self._r.get_capability(1)


class HttpService_request_Params_Reader(_rt.StructView):
    """Reader of struct request$Params (0xccc73319af8d2a1b): 0 data words, 2 pointers."""

    __slots__ = ()

    @property
    def request(self) -> HttpRequest_Reader:
        return _rt.struct_field(self, 0, HttpRequest_Reader)

    @property
    def context(self) -> Optional[int]:
        return self._r.get_capability(1)


class HttpService_request_Results_Reader(_rt.StructView):
    """Reader of struct request$Results (0xfd030bd777152c43): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def requestBody(self) -> Optional[int]:
        return self._r.get_capability(0)


class HttpService_connect_Params_Reader(_rt.StructView):
    """Reader of struct connect$Params (0xa8d63d909cead201): 0 data words, 5 pointers."""

    __slots__ = ()

    @property
    def host(self) -> str:
        return _rt.text(self, 0)

    @property
    def headers(self) -> _rt.StructList[HttpHeader_Reader]:
        return _rt.struct_list(self, 1, HttpHeader_Reader)

    @property
    def down(self) -> Optional[int]:
        return self._r.get_capability(2)

    @property
    def context(self) -> Optional[int]:
        return self._r.get_capability(3)

    @property
    def settings(self) -> ConnectSettings_Reader:
        return _rt.struct_field(self, 4, ConnectSettings_Reader)


class HttpService_connect_Results_Reader(_rt.StructView):
    """Reader of struct connect$Results (0xbf2721059c3d9248): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def up(self) -> Optional[int]:
        return self._r.get_capability(0)


class ConnectSettings_Reader(_rt.StructView):
    """Reader of struct ConnectSettings (0xf981e8428b86f885): 1 data words, 0 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 1:
            v: Tuple[Any, ...] = _SC1.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC1.read(self)
        self._v = v
        return v

    @property
    def useTls(self) -> bool:
        r: bool = (self._v or self._load())[0] & 1 != 0
        return r


class WebSocket_sendText_Params_Reader(_rt.StructView):
    """Reader of struct sendText$Params (0xdcf946892e5778c3): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def text(self) -> str:
        return _rt.text(self, 0)


class WebSocket_sendData_Params_Reader(_rt.StructView):
    """Reader of struct sendData$Params (0xa9b84fb6432f030f): 0 data words, 1 pointers."""

    __slots__ = ()

    @property
    def data(self) -> bytes:
        return _rt.data(self, 0)


class WebSocket_close_Params_Reader(_rt.StructView):
    """Reader of struct close$Params (0xba1fca454f465e9a): 1 data words, 1 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 2:
            v: Tuple[Any, ...] = _SC2.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC2.read(self)
        self._v = v
        return v

    @property
    def code(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def reason(self) -> str:
        return _rt.text(self, 0)


class WebSocket_close_Results_Reader(_rt.StructView):
    """Reader of struct close$Results (0x913fe85057da9522): 0 data words, 0 pointers."""

    __slots__ = ()


class HttpRequest_Reader(_rt.StructView):
    """Reader of struct HttpRequest (0xdeb08db1052a4866): 2 data words, 2 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 2:
            v: Tuple[Any, ...] = _SC2.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC2.read(self)
        self._v = v
        return v

    @property
    def method(self) -> HttpMethod:
        v = (self._v or self._load())
        r: HttpMethod = _M_HttpMethod[v[0]] if v[0] < 26 else HttpMethod(v[0])
        return r

    @property
    def url(self) -> str:
        return _rt.text(self, 0)

    @property
    def headers(self) -> _rt.StructList[HttpHeader_Reader]:
        return _rt.struct_list(self, 1, HttpHeader_Reader)

    @property
    def bodySize(self) -> HttpRequest_bodySize_Reader:
        return _rt.group(self, HttpRequest_bodySize_Reader)


class HttpRequest_bodySize_Reader(_rt.StructView):
    """Reader of group bodySize (0xbe541ecc63c9b2ba): 2 data words, 2 pointers."""

    __slots__ = ()

    def which(self) -> HttpRequest_bodySize_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_HttpRequest_bodySize_Which[e] if e < 2 else HttpRequest_bodySize_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 4:
            v: Tuple[Any, ...] = _SC3.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC3.read(self)
        self._v = v
        return v

    @property
    def unknown(self) -> None:
        return None

    @property
    def fixed(self) -> int:
        if self._n >= 16:
            return self._seg.u64[(self._d >> 3) + 1]
        return 0


class HttpResponse_Reader(_rt.StructView):
    """Reader of struct HttpResponse (0xf235351cf1531299): 2 data words, 2 pointers."""

    __slots__ = ()

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 2:
            v: Tuple[Any, ...] = _SC2.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC2.read(self)
        self._v = v
        return v

    @property
    def statusCode(self) -> int:
        r: int = (self._v or self._load())[0]
        return r

    @property
    def statusText(self) -> str:
        return _rt.text(self, 0)

    @property
    def headers(self) -> _rt.StructList[HttpHeader_Reader]:
        return _rt.struct_list(self, 1, HttpHeader_Reader)

    @property
    def bodySize(self) -> HttpResponse_bodySize_Reader:
        return _rt.group(self, HttpResponse_bodySize_Reader)


class HttpResponse_bodySize_Reader(_rt.StructView):
    """Reader of group bodySize (0xca02437e5f995e08): 2 data words, 2 pointers."""

    __slots__ = ()

    def which(self) -> HttpResponse_bodySize_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_HttpResponse_bodySize_Which[e] if e < 2 else HttpResponse_bodySize_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 4:
            v: Tuple[Any, ...] = _SC3.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC3.read(self)
        self._v = v
        return v

    @property
    def unknown(self) -> None:
        return None

    @property
    def fixed(self) -> int:
        if self._n >= 16:
            return self._seg.u64[(self._d >> 3) + 1]
        return 0


class HttpHeader_Reader(_rt.StructView):
    """Reader of struct HttpHeader (0xb39047580b6fd228): 2 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> HttpHeader_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[0]
        return _M_HttpHeader_Which[e] if e < 2 else HttpHeader_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 10:
            v: Tuple[Any, ...] = _SC4.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC4.read(self)
        self._v = v
        return v

    @property
    def common(self) -> HttpHeader_common_Reader:
        return _rt.group(self, HttpHeader_common_Reader)

    @property
    def uncommon(self) -> HttpHeader_NameValue_Reader:
        return _rt.struct_field(self, 0, HttpHeader_NameValue_Reader)


class HttpHeader_common_Reader(_rt.StructView):
    """Reader of group common (0xe971001e4ade4a2a): 2 data words, 1 pointers."""

    __slots__ = ()

    def which(self) -> HttpHeader_common_Which:
        v = self._v
        if v is None:
            v = self._load()
        e: int = v[1]
        return _M_HttpHeader_common_Which[e] if e < 2 else HttpHeader_common_Which(e)

    def _load(self) -> Tuple[Any, ...]:
        if self._n >= 6:
            v: Tuple[Any, ...] = _SC5.st.unpack_from(self._seg.b, self._d)
        else:
            v = _SC5.read(self)
        self._v = v
        return v

    @property
    def name(self) -> CommonHeaderName:
        v = (self._v or self._load())
        r: CommonHeaderName = _M_CommonHeaderName[v[0]] if v[0] < 48 else CommonHeaderName(v[0])
        return r

    @property
    def commonValue(self) -> CommonHeaderValue:
        if self._n >= 4:
            v = self._seg.u16[(self._d >> 1) + 1]
            return _M_CommonHeaderValue[v] if v < 2 else CommonHeaderValue(v)
        return _M_CommonHeaderValue[0]

    @property
    def value(self) -> str:
        return _rt.text(self, 0)


class HttpHeader_NameValue_Reader(_rt.StructView):
    """Reader of struct NameValue (0xed5334c41abc0375): 0 data words, 2 pointers."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return _rt.text(self, 0)

    @property
    def value(self) -> str:
        return _rt.text(self, 1)


class HttpService_ClientRequestContext_startResponse_Params_Builder(_rt.BuilderBase):
    """Builder of struct startResponse$Params (0x81e666258a901e30)."""

    __slots__ = ('_f_response',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_response: Optional[HttpResponse_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpService_ClientRequestContext_startResponse_Params_Builder]:
        out: List[HttpService_ClientRequestContext_startResponse_Params_Builder] = []
        new = HttpService_ClientRequestContext_startResponse_Params_Builder.__new__
        for _ in range(n):
            self = new(HttpService_ClientRequestContext_startResponse_Params_Builder)
            self._f_response = None
            out.append(self)
        return out

    @property
    def response(self) -> HttpResponse_Builder:
        v = self._f_response
        if v is None:
            v = self._f_response = HttpResponse_Builder()
        return v

    @response.setter
    def response(self, value: HttpResponse_Builder) -> None:
        self._f_response = value

    def init_response(self) -> HttpResponse_Builder:
        v = self._f_response = HttpResponse_Builder()
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_response
        if p0 is not None:
            _rt.write_struct_of(buf, at + 0, p0, HttpResponse_Builder, 'HttpService.ClientRequestContext.startResponse$Params.response')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not HttpService_ClientRequestContext_startResponse_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_response
            if p0 is not None:
                _rt.write_struct_of(buf, at + 0, p0, HttpResponse_Builder, 'HttpService.ClientRequestContext.startResponse$Params.response')
            at += 8

    def as_reader(self) -> HttpService_ClientRequestContext_startResponse_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_ClientRequestContext_startResponse_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpService_ClientRequestContext_startResponse_Results_Builder(_rt.BuilderBase):
    """Builder of struct startResponse$Results (0x955c85d7a557d8e9)."""

    __slots__ = ('_f_body',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_body: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpService_ClientRequestContext_startResponse_Results_Builder]:
        out: List[HttpService_ClientRequestContext_startResponse_Results_Builder] = []
        new = HttpService_ClientRequestContext_startResponse_Results_Builder.__new__
        for _ in range(n):
            self = new(HttpService_ClientRequestContext_startResponse_Results_Builder)
            self._f_body = None
            out.append(self)
        return out

    @property
    def body(self) -> Optional[int]:
        return self._f_body

    @body.setter
    def body(self, value: Optional[int]) -> None:
        self._f_body = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_body
        if p0 is not None:
            _rt.write_cap(buf, at + 0, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not HttpService_ClientRequestContext_startResponse_Results_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_body
            if p0 is not None:
                _rt.write_cap(buf, at + 0, p0)
            at += 8

    def as_reader(self) -> HttpService_ClientRequestContext_startResponse_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_ClientRequestContext_startResponse_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpService_ClientRequestContext_startWebSocket_Params_Builder(_rt.BuilderBase):
    """Builder of struct startWebSocket$Params (0xf6850b405e21d2c1)."""

    __slots__ = ('_f_headers', '_f_upSocket')
    _DW = 0
    _PC = 2
    _HI = 0x2000000000000
    _ZERO = bytes(16)

    def __init__(self) -> None:
        self._f_headers: Optional[List[HttpHeader_Builder]] = None
        self._f_upSocket: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpService_ClientRequestContext_startWebSocket_Params_Builder]:
        out: List[HttpService_ClientRequestContext_startWebSocket_Params_Builder] = []
        new = HttpService_ClientRequestContext_startWebSocket_Params_Builder.__new__
        for _ in range(n):
            self = new(HttpService_ClientRequestContext_startWebSocket_Params_Builder)
            self._f_headers = None
            self._f_upSocket = None
            out.append(self)
        return out

    @property
    def headers(self) -> List[HttpHeader_Builder]:
        v = self._f_headers
        if v is None:
            v = self._f_headers = _rt.UnsetList()
        return v

    @headers.setter
    def headers(self, value: List[HttpHeader_Builder]) -> None:
        self._f_headers = value

    def init_headers(self, n: int) -> List[HttpHeader_Builder]:
        v: List[HttpHeader_Builder] = HttpHeader_Builder._new_list(n)
        self._f_headers = v
        return v

    @property
    def upSocket(self) -> Optional[int]:
        return self._f_upSocket

    @upSocket.setter
    def upSocket(self, value: Optional[int]) -> None:
        self._f_upSocket = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_headers
        if p0 is not None:
            _WS6.write(buf, at + 0, p0)
        p1 = self._f_upSocket
        if p1 is not None:
            _rt.write_cap(buf, at + 8, p1)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not HttpService_ClientRequestContext_startWebSocket_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_headers
            if p0 is not None:
                _WS6.write(buf, at + 0, p0)
            p1 = v._f_upSocket
            if p1 is not None:
                _rt.write_cap(buf, at + 8, p1)
            at += 16

    def as_reader(self) -> HttpService_ClientRequestContext_startWebSocket_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_ClientRequestContext_startWebSocket_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpService_ClientRequestContext_startWebSocket_Results_Builder(_rt.BuilderBase):
    """Builder of struct startWebSocket$Results (0xbd146efdadd86c3d)."""

    __slots__ = ('_f_downSocket',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_downSocket: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpService_ClientRequestContext_startWebSocket_Results_Builder]:
        out: List[HttpService_ClientRequestContext_startWebSocket_Results_Builder] = []
        new = HttpService_ClientRequestContext_startWebSocket_Results_Builder.__new__
        for _ in range(n):
            self = new(HttpService_ClientRequestContext_startWebSocket_Results_Builder)
            self._f_downSocket = None
            out.append(self)
        return out

    @property
    def downSocket(self) -> Optional[int]:
        return self._f_downSocket

    @downSocket.setter
    def downSocket(self, value: Optional[int]) -> None:
        self._f_downSocket = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_downSocket
        if p0 is not None:
            _rt.write_cap(buf, at + 0, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not HttpService_ClientRequestContext_startWebSocket_Results_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_downSocket
            if p0 is not None:
                _rt.write_cap(buf, at + 0, p0)
            at += 8

    def as_reader(self) -> HttpService_ClientRequestContext_startWebSocket_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_ClientRequestContext_startWebSocket_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpService_ConnectClientRequestContext_startConnect_Params_Builder(_rt.BuilderBase):
    """Builder of struct startConnect$Params (0xd0eab1ea093a6673)."""

    __slots__ = ('_f_response',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_response: Optional[HttpResponse_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpService_ConnectClientRequestContext_startConnect_Params_Builder]:
        out: List[HttpService_ConnectClientRequestContext_startConnect_Params_Builder] = []
        new = HttpService_ConnectClientRequestContext_startConnect_Params_Builder.__new__
        for _ in range(n):
            self = new(HttpService_ConnectClientRequestContext_startConnect_Params_Builder)
            self._f_response = None
            out.append(self)
        return out

    @property
    def response(self) -> HttpResponse_Builder:
        v = self._f_response
        if v is None:
            v = self._f_response = HttpResponse_Builder()
        return v

    @response.setter
    def response(self, value: HttpResponse_Builder) -> None:
        self._f_response = value

    def init_response(self) -> HttpResponse_Builder:
        v = self._f_response = HttpResponse_Builder()
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_response
        if p0 is not None:
            _rt.write_struct_of(buf, at + 0, p0, HttpResponse_Builder, 'HttpService.ConnectClientRequestContext.startConnect$Params.response')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not HttpService_ConnectClientRequestContext_startConnect_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_response
            if p0 is not None:
                _rt.write_struct_of(buf, at + 0, p0, HttpResponse_Builder, 'HttpService.ConnectClientRequestContext.startConnect$Params.response')
            at += 8

    def as_reader(self) -> HttpService_ConnectClientRequestContext_startConnect_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_ConnectClientRequestContext_startConnect_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpService_ConnectClientRequestContext_startConnect_Results_Builder(_rt.BuilderBase):
    """Builder of struct startConnect$Results (0xfa73959a9a2b477d)."""

    __slots__ = ()
    _DW = 0
    _PC = 0
    _HI = 0x0
    _ZERO = bytes(0)

    def __init__(self) -> None:
        pass

    @staticmethod
    def _new_list(n: int) -> List[HttpService_ConnectClientRequestContext_startConnect_Results_Builder]:
        out: List[HttpService_ConnectClientRequestContext_startConnect_Results_Builder] = []
        new = HttpService_ConnectClientRequestContext_startConnect_Results_Builder.__new__
        for _ in range(n):
            self = new(HttpService_ConnectClientRequestContext_startConnect_Results_Builder)
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        pass

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not HttpService_ConnectClientRequestContext_startConnect_Results_Builder:
                raise _rt.element_type_error(cls, v)
            at += 0

    def as_reader(self) -> HttpService_ConnectClientRequestContext_startConnect_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_ConnectClientRequestContext_startConnect_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpService_ConnectClientRequestContext_startError_Params_Builder(_rt.BuilderBase):
    """Builder of struct startError$Params (0xfe0ea4cde5df8164)."""

    __slots__ = ('_f_response',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_response: Optional[HttpResponse_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpService_ConnectClientRequestContext_startError_Params_Builder]:
        out: List[HttpService_ConnectClientRequestContext_startError_Params_Builder] = []
        new = HttpService_ConnectClientRequestContext_startError_Params_Builder.__new__
        for _ in range(n):
            self = new(HttpService_ConnectClientRequestContext_startError_Params_Builder)
            self._f_response = None
            out.append(self)
        return out

    @property
    def response(self) -> HttpResponse_Builder:
        v = self._f_response
        if v is None:
            v = self._f_response = HttpResponse_Builder()
        return v

    @response.setter
    def response(self, value: HttpResponse_Builder) -> None:
        self._f_response = value

    def init_response(self) -> HttpResponse_Builder:
        v = self._f_response = HttpResponse_Builder()
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_response
        if p0 is not None:
            _rt.write_struct_of(buf, at + 0, p0, HttpResponse_Builder, 'HttpService.ConnectClientRequestContext.startError$Params.response')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not HttpService_ConnectClientRequestContext_startError_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_response
            if p0 is not None:
                _rt.write_struct_of(buf, at + 0, p0, HttpResponse_Builder, 'HttpService.ConnectClientRequestContext.startError$Params.response')
            at += 8

    def as_reader(self) -> HttpService_ConnectClientRequestContext_startError_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_ConnectClientRequestContext_startError_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpService_ConnectClientRequestContext_startError_Results_Builder(_rt.BuilderBase):
    """Builder of struct startError$Results (0xb92efa728643f0ed)."""

    __slots__ = ('_f_body',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_body: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpService_ConnectClientRequestContext_startError_Results_Builder]:
        out: List[HttpService_ConnectClientRequestContext_startError_Results_Builder] = []
        new = HttpService_ConnectClientRequestContext_startError_Results_Builder.__new__
        for _ in range(n):
            self = new(HttpService_ConnectClientRequestContext_startError_Results_Builder)
            self._f_body = None
            out.append(self)
        return out

    @property
    def body(self) -> Optional[int]:
        return self._f_body

    @body.setter
    def body(self, value: Optional[int]) -> None:
        self._f_body = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_body
        if p0 is not None:
            _rt.write_cap(buf, at + 0, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not HttpService_ConnectClientRequestContext_startError_Results_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_body
            if p0 is not None:
                _rt.write_cap(buf, at + 0, p0)
            at += 8

    def as_reader(self) -> HttpService_ConnectClientRequestContext_startError_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_ConnectClientRequestContext_startError_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpService_startRequest_Params_Builder(_rt.BuilderBase):
    """Builder of struct startRequest$Params (0xccefbf23794af7b3)."""

    __slots__ = ('_f_request', '_f_context')
    _DW = 0
    _PC = 2
    _HI = 0x2000000000000
    _ZERO = bytes(16)

    def __init__(self) -> None:
        self._f_request: Optional[HttpRequest_Builder] = None
        self._f_context: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpService_startRequest_Params_Builder]:
        out: List[HttpService_startRequest_Params_Builder] = []
        new = HttpService_startRequest_Params_Builder.__new__
        for _ in range(n):
            self = new(HttpService_startRequest_Params_Builder)
            self._f_request = None
            self._f_context = None
            out.append(self)
        return out

    @property
    def request(self) -> HttpRequest_Builder:
        v = self._f_request
        if v is None:
            v = self._f_request = HttpRequest_Builder()
        return v

    @request.setter
    def request(self, value: HttpRequest_Builder) -> None:
        self._f_request = value

    def init_request(self) -> HttpRequest_Builder:
        v = self._f_request = HttpRequest_Builder()
        return v

    @property
    def context(self) -> Optional[int]:
        return self._f_context

    @context.setter
    def context(self, value: Optional[int]) -> None:
        self._f_context = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_request
        if p0 is not None:
            _rt.write_struct_of(buf, at + 0, p0, HttpRequest_Builder, 'HttpService.startRequest$Params.request')
        p1 = self._f_context
        if p1 is not None:
            _rt.write_cap(buf, at + 8, p1)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not HttpService_startRequest_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_request
            if p0 is not None:
                _rt.write_struct_of(buf, at + 0, p0, HttpRequest_Builder, 'HttpService.startRequest$Params.request')
            p1 = v._f_context
            if p1 is not None:
                _rt.write_cap(buf, at + 8, p1)
            at += 16

    def as_reader(self) -> HttpService_startRequest_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_startRequest_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpService_startRequest_Results_Builder(_rt.BuilderBase):
    """Builder of struct startRequest$Results (0xa9da072c30fec5de)."""

    __slots__ = ('_f_requestBody', '_f_context')
    _DW = 0
    _PC = 2
    _HI = 0x2000000000000
    _ZERO = bytes(16)

    def __init__(self) -> None:
        self._f_requestBody: Optional[int] = None
        self._f_context: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpService_startRequest_Results_Builder]:
        out: List[HttpService_startRequest_Results_Builder] = []
        new = HttpService_startRequest_Results_Builder.__new__
        for _ in range(n):
            self = new(HttpService_startRequest_Results_Builder)
            self._f_requestBody = None
            self._f_context = None
            out.append(self)
        return out

    @property
    def requestBody(self) -> Optional[int]:
        return self._f_requestBody

    @requestBody.setter
    def requestBody(self, value: Optional[int]) -> None:
        self._f_requestBody = value

    @property
    def context(self) -> Optional[int]:
        return self._f_context

    @context.setter
    def context(self, value: Optional[int]) -> None:
        self._f_context = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_requestBody
        if p0 is not None:
            _rt.write_cap(buf, at + 0, p0)
        p1 = self._f_context
        if p1 is not None:
            _rt.write_cap(buf, at + 8, p1)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not HttpService_startRequest_Results_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_requestBody
            if p0 is not None:
                _rt.write_cap(buf, at + 0, p0)
            p1 = v._f_context
            if p1 is not None:
                _rt.write_cap(buf, at + 8, p1)
            at += 16

    def as_reader(self) -> HttpService_startRequest_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_startRequest_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpService_request_Params_Builder(_rt.BuilderBase):
    """Builder of struct request$Params (0xccc73319af8d2a1b)."""

    __slots__ = ('_f_request', '_f_context')
    _DW = 0
    _PC = 2
    _HI = 0x2000000000000
    _ZERO = bytes(16)

    def __init__(self) -> None:
        self._f_request: Optional[HttpRequest_Builder] = None
        self._f_context: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpService_request_Params_Builder]:
        out: List[HttpService_request_Params_Builder] = []
        new = HttpService_request_Params_Builder.__new__
        for _ in range(n):
            self = new(HttpService_request_Params_Builder)
            self._f_request = None
            self._f_context = None
            out.append(self)
        return out

    @property
    def request(self) -> HttpRequest_Builder:
        v = self._f_request
        if v is None:
            v = self._f_request = HttpRequest_Builder()
        return v

    @request.setter
    def request(self, value: HttpRequest_Builder) -> None:
        self._f_request = value

    def init_request(self) -> HttpRequest_Builder:
        v = self._f_request = HttpRequest_Builder()
        return v

    @property
    def context(self) -> Optional[int]:
        return self._f_context

    @context.setter
    def context(self, value: Optional[int]) -> None:
        self._f_context = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_request
        if p0 is not None:
            _rt.write_struct_of(buf, at + 0, p0, HttpRequest_Builder, 'HttpService.request$Params.request')
        p1 = self._f_context
        if p1 is not None:
            _rt.write_cap(buf, at + 8, p1)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not HttpService_request_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_request
            if p0 is not None:
                _rt.write_struct_of(buf, at + 0, p0, HttpRequest_Builder, 'HttpService.request$Params.request')
            p1 = v._f_context
            if p1 is not None:
                _rt.write_cap(buf, at + 8, p1)
            at += 16

    def as_reader(self) -> HttpService_request_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_request_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpService_request_Results_Builder(_rt.BuilderBase):
    """Builder of struct request$Results (0xfd030bd777152c43)."""

    __slots__ = ('_f_requestBody',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_requestBody: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpService_request_Results_Builder]:
        out: List[HttpService_request_Results_Builder] = []
        new = HttpService_request_Results_Builder.__new__
        for _ in range(n):
            self = new(HttpService_request_Results_Builder)
            self._f_requestBody = None
            out.append(self)
        return out

    @property
    def requestBody(self) -> Optional[int]:
        return self._f_requestBody

    @requestBody.setter
    def requestBody(self, value: Optional[int]) -> None:
        self._f_requestBody = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_requestBody
        if p0 is not None:
            _rt.write_cap(buf, at + 0, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not HttpService_request_Results_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_requestBody
            if p0 is not None:
                _rt.write_cap(buf, at + 0, p0)
            at += 8

    def as_reader(self) -> HttpService_request_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_request_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpService_connect_Params_Builder(_rt.BuilderBase):
    """Builder of struct connect$Params (0xa8d63d909cead201)."""

    __slots__ = ('_f_host', '_f_headers', '_f_down', '_f_context', '_f_settings')
    _DW = 0
    _PC = 5
    _HI = 0x5000000000000
    _ZERO = bytes(40)

    def __init__(self) -> None:
        self._f_host: Optional[str] = None
        self._f_headers: Optional[List[HttpHeader_Builder]] = None
        self._f_down: Optional[int] = None
        self._f_context: Optional[int] = None
        self._f_settings: Optional[ConnectSettings_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpService_connect_Params_Builder]:
        out: List[HttpService_connect_Params_Builder] = []
        new = HttpService_connect_Params_Builder.__new__
        for _ in range(n):
            self = new(HttpService_connect_Params_Builder)
            self._f_host = None
            self._f_headers = None
            self._f_down = None
            self._f_context = None
            self._f_settings = None
            out.append(self)
        return out

    @property
    def host(self) -> str:
        v = self._f_host
        return "" if v is None else v

    @host.setter
    def host(self, value: str) -> None:
        self._f_host = value

    @property
    def headers(self) -> List[HttpHeader_Builder]:
        v = self._f_headers
        if v is None:
            v = self._f_headers = _rt.UnsetList()
        return v

    @headers.setter
    def headers(self, value: List[HttpHeader_Builder]) -> None:
        self._f_headers = value

    def init_headers(self, n: int) -> List[HttpHeader_Builder]:
        v: List[HttpHeader_Builder] = HttpHeader_Builder._new_list(n)
        self._f_headers = v
        return v

    @property
    def down(self) -> Optional[int]:
        return self._f_down

    @down.setter
    def down(self, value: Optional[int]) -> None:
        self._f_down = value

    @property
    def context(self) -> Optional[int]:
        return self._f_context

    @context.setter
    def context(self, value: Optional[int]) -> None:
        self._f_context = value

    @property
    def settings(self) -> ConnectSettings_Builder:
        v = self._f_settings
        if v is None:
            v = self._f_settings = ConnectSettings_Builder()
        return v

    @settings.setter
    def settings(self, value: ConnectSettings_Builder) -> None:
        self._f_settings = value

    def init_settings(self) -> ConnectSettings_Builder:
        v = self._f_settings = ConnectSettings_Builder()
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_host
        if p0 is not None:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'HttpService.connect$Params.host') from None
            s0 = len(buf)
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            _rt.U64.pack_into(buf, at + 0, ((s0 - at - 8) >> 1) | 0x200000001 | ((k0 + 1) << 35))
        p1 = self._f_headers
        if p1 is not None:
            _WS6.write(buf, at + 8, p1)
        p2 = self._f_down
        if p2 is not None:
            _rt.write_cap(buf, at + 16, p2)
        p3 = self._f_context
        if p3 is not None:
            _rt.write_cap(buf, at + 24, p3)
        p4 = self._f_settings
        if p4 is not None:
            _rt.write_struct_of(buf, at + 32, p4, ConnectSettings_Builder, 'HttpService.connect$Params.settings')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not HttpService_connect_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_host
            if p0 is not None:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'HttpService.connect$Params.host') from None
                s0 = len(buf)
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                _rt.U64.pack_into(buf, at + 0, ((s0 - at - 8) >> 1) | 0x200000001 | ((k0 + 1) << 35))
            p1 = v._f_headers
            if p1 is not None:
                _WS6.write(buf, at + 8, p1)
            p2 = v._f_down
            if p2 is not None:
                _rt.write_cap(buf, at + 16, p2)
            p3 = v._f_context
            if p3 is not None:
                _rt.write_cap(buf, at + 24, p3)
            p4 = v._f_settings
            if p4 is not None:
                _rt.write_struct_of(buf, at + 32, p4, ConnectSettings_Builder, 'HttpService.connect$Params.settings')
            at += 40

    def as_reader(self) -> HttpService_connect_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_connect_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpService_connect_Results_Builder(_rt.BuilderBase):
    """Builder of struct connect$Results (0xbf2721059c3d9248)."""

    __slots__ = ('_f_up',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_up: Optional[int] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpService_connect_Results_Builder]:
        out: List[HttpService_connect_Results_Builder] = []
        new = HttpService_connect_Results_Builder.__new__
        for _ in range(n):
            self = new(HttpService_connect_Results_Builder)
            self._f_up = None
            out.append(self)
        return out

    @property
    def up(self) -> Optional[int]:
        return self._f_up

    @up.setter
    def up(self, value: Optional[int]) -> None:
        self._f_up = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_up
        if p0 is not None:
            _rt.write_cap(buf, at + 0, p0)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not HttpService_connect_Results_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_up
            if p0 is not None:
                _rt.write_cap(buf, at + 0, p0)
            at += 8

    def as_reader(self) -> HttpService_connect_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpService_connect_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class ConnectSettings_Builder(_rt.BuilderBase):
    """Builder of struct ConnectSettings (0xf981e8428b86f885)."""

    __slots__ = ('useTls',)
    _DW = 1
    _PC = 0
    _HI = 0x100000000
    _ZERO = bytes(8)
    useTls: bool

    def __init__(self) -> None:
        self.useTls = False

    @staticmethod
    def _new_list(n: int) -> List[ConnectSettings_Builder]:
        out: List[ConnectSettings_Builder] = []
        new = ConnectSettings_Builder.__new__
        for _ in range(n):
            self = new(ConnectSettings_Builder)
            self.useTls = False
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S7.pack_into(
                buf, at,
                (1 if (bit0 := self.useTls) is True else 0 if bit0 is False else _rt.bool_bit(bit0, 1, 'ConnectSettings.useTls')),
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("ConnectSettings", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not ConnectSettings_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S7.pack_into(
                    buf, at,
                    (1 if (bit0 := v.useTls) is True else 0 if bit0 is False else _rt.bool_bit(bit0, 1, 'ConnectSettings.useTls')),
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("ConnectSettings", exc) from None
            at += 8

    def to_bytes(self) -> bytes:
        try:
            return _S8.pack(
                0, 2, 0x100000000,
                (1 if (bit0 := self.useTls) is True else 0 if bit0 is False else _rt.bool_bit(bit0, 1, 'ConnectSettings.useTls')),
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("ConnectSettings", exc) from None

    def to_flat_bytes(self) -> bytes:
        try:
            return _S9.pack(
                0x100000000,
                (1 if (bit0 := self.useTls) is True else 0 if bit0 is False else _rt.bool_bit(bit0, 1, 'ConnectSettings.useTls')),
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("ConnectSettings", exc) from None

    def as_reader(self) -> ConnectSettings_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return ConnectSettings_Reader.from_flat_bytes(self.to_flat_bytes())


class WebSocket_sendText_Params_Builder(_rt.BuilderBase):
    """Builder of struct sendText$Params (0xdcf946892e5778c3)."""

    __slots__ = ('_f_text',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_text: Optional[str] = None

    @staticmethod
    def _new_list(n: int) -> List[WebSocket_sendText_Params_Builder]:
        out: List[WebSocket_sendText_Params_Builder] = []
        new = WebSocket_sendText_Params_Builder.__new__
        for _ in range(n):
            self = new(WebSocket_sendText_Params_Builder)
            self._f_text = None
            out.append(self)
        return out

    @property
    def text(self) -> str:
        v = self._f_text
        return "" if v is None else v

    @text.setter
    def text(self, value: str) -> None:
        self._f_text = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_text
        if p0 is None:
            a0 = b0 = 0
        else:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'WebSocket.sendText$Params.text') from None
            a0 = ((len(buf) - at - 8) >> 1) | 1
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            b0 = (k0 << 3) + 10
        try:
            _S10.pack_into(
                buf, at,
                a0,
                b0,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("WebSocket_sendText_Params", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not WebSocket_sendText_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_text
            if p0 is None:
                a0 = b0 = 0
            else:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'WebSocket.sendText$Params.text') from None
                a0 = ((len(buf) - at - 8) >> 1) | 1
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                b0 = (k0 << 3) + 10
            try:
                _S10.pack_into(
                    buf, at,
                    a0,
                    b0,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("WebSocket_sendText_Params", exc) from None
            at += 8

    def as_reader(self) -> WebSocket_sendText_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return WebSocket_sendText_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class WebSocket_sendData_Params_Builder(_rt.BuilderBase):
    """Builder of struct sendData$Params (0xa9b84fb6432f030f)."""

    __slots__ = ('_f_data',)
    _DW = 0
    _PC = 1
    _HI = 0x1000000000000
    _ZERO = bytes(8)

    def __init__(self) -> None:
        self._f_data: Optional[bytes] = None

    @staticmethod
    def _new_list(n: int) -> List[WebSocket_sendData_Params_Builder]:
        out: List[WebSocket_sendData_Params_Builder] = []
        new = WebSocket_sendData_Params_Builder.__new__
        for _ in range(n):
            self = new(WebSocket_sendData_Params_Builder)
            self._f_data = None
            out.append(self)
        return out

    @property
    def data(self) -> bytes:
        v = self._f_data
        return b"" if v is None else v

    @data.setter
    def data(self, value: bytes) -> None:
        self._f_data = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_data
        if p0 is None:
            a0 = b0 = 0
        else:
            a0 = ((len(buf) - at - 8) >> 1) | 1
            b0 = (_rt.append_data(buf, p0) << 3) | 2
        try:
            _S10.pack_into(
                buf, at,
                a0,
                b0,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("WebSocket_sendData_Params", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not WebSocket_sendData_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_data
            if p0 is None:
                a0 = b0 = 0
            else:
                a0 = ((len(buf) - at - 8) >> 1) | 1
                b0 = (_rt.append_data(buf, p0) << 3) | 2
            try:
                _S10.pack_into(
                    buf, at,
                    a0,
                    b0,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("WebSocket_sendData_Params", exc) from None
            at += 8

    def as_reader(self) -> WebSocket_sendData_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return WebSocket_sendData_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class WebSocket_close_Params_Builder(_rt.BuilderBase):
    """Builder of struct close$Params (0xba1fca454f465e9a)."""

    __slots__ = ('code', '_f_reason')
    _DW = 1
    _PC = 1
    _HI = 0x1000100000000
    _ZERO = bytes(16)
    code: int

    def __init__(self) -> None:
        self.code = 0
        self._f_reason: Optional[str] = None

    @staticmethod
    def _new_list(n: int) -> List[WebSocket_close_Params_Builder]:
        out: List[WebSocket_close_Params_Builder] = []
        new = WebSocket_close_Params_Builder.__new__
        for _ in range(n):
            self = new(WebSocket_close_Params_Builder)
            self.code = 0
            self._f_reason = None
            out.append(self)
        return out

    @property
    def reason(self) -> str:
        v = self._f_reason
        return "" if v is None else v

    @reason.setter
    def reason(self, value: str) -> None:
        self._f_reason = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_reason
        if p0 is None:
            a0 = b0 = 0
        else:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'WebSocket.close$Params.reason') from None
            a0 = ((len(buf) - at - 16) >> 1) | 1
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            b0 = (k0 << 3) + 10
        try:
            _S11.pack_into(
                buf, at,
                self.code,
                a0,
                b0,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("WebSocket_close_Params", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not WebSocket_close_Params_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_reason
            if p0 is None:
                a0 = b0 = 0
            else:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'WebSocket.close$Params.reason') from None
                a0 = ((len(buf) - at - 16) >> 1) | 1
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                b0 = (k0 << 3) + 10
            try:
                _S11.pack_into(
                    buf, at,
                    v.code,
                    a0,
                    b0,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("WebSocket_close_Params", exc) from None
            at += 16

    def as_reader(self) -> WebSocket_close_Params_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return WebSocket_close_Params_Reader.from_flat_bytes(self.to_flat_bytes())


class WebSocket_close_Results_Builder(_rt.BuilderBase):
    """Builder of struct close$Results (0x913fe85057da9522)."""

    __slots__ = ()
    _DW = 0
    _PC = 0
    _HI = 0x0
    _ZERO = bytes(0)

    def __init__(self) -> None:
        pass

    @staticmethod
    def _new_list(n: int) -> List[WebSocket_close_Results_Builder]:
        out: List[WebSocket_close_Results_Builder] = []
        new = WebSocket_close_Results_Builder.__new__
        for _ in range(n):
            self = new(WebSocket_close_Results_Builder)
            out.append(self)
        return out

    def _write(self, buf: bytearray, at: int) -> None:
        pass

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        for v in values:
            if type(v) is not WebSocket_close_Results_Builder:
                raise _rt.element_type_error(cls, v)
            at += 0

    def as_reader(self) -> WebSocket_close_Results_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return WebSocket_close_Results_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpRequest_Builder(_rt.BuilderBase):
    """Builder of struct HttpRequest (0xdeb08db1052a4866)."""

    __slots__ = ('method', '_f_url', '_f_headers', 'bodySize')
    _DW = 2
    _PC = 2
    _HI = 0x2000200000000
    _ZERO = bytes(32)
    method: HttpMethod
    bodySize: HttpRequest_bodySize_Builder

    def __init__(self) -> None:
        self.method = HttpMethod.get
        self._f_url: Optional[str] = None
        self._f_headers: Optional[List[HttpHeader_Builder]] = None
        self.bodySize = HttpRequest_bodySize_Builder()

    @staticmethod
    def _new_list(n: int) -> List[HttpRequest_Builder]:
        out: List[HttpRequest_Builder] = []
        new = HttpRequest_Builder.__new__
        d0 = HttpMethod.get
        for _ in range(n):
            self = new(HttpRequest_Builder)
            self.method = d0
            self._f_url = None
            self._f_headers = None
            self.bodySize = HttpRequest_bodySize_Builder()
            out.append(self)
        return out

    @property
    def url(self) -> str:
        v = self._f_url
        return "" if v is None else v

    @url.setter
    def url(self, value: str) -> None:
        self._f_url = value

    @property
    def headers(self) -> List[HttpHeader_Builder]:
        v = self._f_headers
        if v is None:
            v = self._f_headers = _rt.UnsetList()
        return v

    @headers.setter
    def headers(self, value: List[HttpHeader_Builder]) -> None:
        self._f_headers = value

    def init_headers(self, n: int) -> List[HttpHeader_Builder]:
        v: List[HttpHeader_Builder] = HttpHeader_Builder._new_list(n)
        self._f_headers = v
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S12.pack_into(
                buf, at,
                self.method,
                self.bodySize._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("HttpRequest", exc) from None
        try:
            if self.bodySize._which == 1:
                _S13.pack_into(buf, at + 8, self.bodySize._f_fixed)
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("HttpRequest", exc) from None
        p0 = self._f_url
        if p0 is not None:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'HttpRequest.url') from None
            s0 = len(buf)
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            _rt.U64.pack_into(buf, at + 16, ((s0 - at - 24) >> 1) | 0x200000001 | ((k0 + 1) << 35))
        p1 = self._f_headers
        if p1 is not None:
            _WS6.write(buf, at + 24, p1)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not HttpRequest_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S12.pack_into(
                    buf, at,
                    v.method,
                    v.bodySize._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("HttpRequest", exc) from None
            try:
                if v.bodySize._which == 1:
                    _S13.pack_into(buf, at + 8, v.bodySize._f_fixed)
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("HttpRequest", exc) from None
            p0 = v._f_url
            if p0 is not None:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'HttpRequest.url') from None
                s0 = len(buf)
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                _rt.U64.pack_into(buf, at + 16, ((s0 - at - 24) >> 1) | 0x200000001 | ((k0 + 1) << 35))
            p1 = v._f_headers
            if p1 is not None:
                _WS6.write(buf, at + 24, p1)
            at += 32

    def as_reader(self) -> HttpRequest_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpRequest_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpRequest_bodySize_Builder(_rt.BuilderBase):
    """Builder of group bodySize (0xbe541ecc63c9b2ba)."""

    __slots__ = ('_which', '_f_fixed')

    def __init__(self) -> None:
        self._which: int = 0
        self._f_fixed: int = 0

    def which(self) -> HttpRequest_bodySize_Which:
        v = self._which
        return _M_HttpRequest_bodySize_Which[v] if v < 2 else HttpRequest_bodySize_Which(v)

    @property
    def unknown(self) -> None:
        return None

    @unknown.setter
    def unknown(self, value: None) -> None:
        self._which = 0

    @property
    def fixed(self) -> int:
        return self._f_fixed

    @fixed.setter
    def fixed(self, value: int) -> None:
        self._f_fixed = value
        self._which = 1


class HttpResponse_Builder(_rt.BuilderBase):
    """Builder of struct HttpResponse (0xf235351cf1531299)."""

    __slots__ = ('statusCode', '_f_statusText', '_f_headers', 'bodySize')
    _DW = 2
    _PC = 2
    _HI = 0x2000200000000
    _ZERO = bytes(32)
    statusCode: int
    bodySize: HttpResponse_bodySize_Builder

    def __init__(self) -> None:
        self.statusCode = 0
        self._f_statusText: Optional[str] = None
        self._f_headers: Optional[List[HttpHeader_Builder]] = None
        self.bodySize = HttpResponse_bodySize_Builder()

    @staticmethod
    def _new_list(n: int) -> List[HttpResponse_Builder]:
        out: List[HttpResponse_Builder] = []
        new = HttpResponse_Builder.__new__
        for _ in range(n):
            self = new(HttpResponse_Builder)
            self.statusCode = 0
            self._f_statusText = None
            self._f_headers = None
            self.bodySize = HttpResponse_bodySize_Builder()
            out.append(self)
        return out

    @property
    def statusText(self) -> str:
        v = self._f_statusText
        return "" if v is None else v

    @statusText.setter
    def statusText(self, value: str) -> None:
        self._f_statusText = value

    @property
    def headers(self) -> List[HttpHeader_Builder]:
        v = self._f_headers
        if v is None:
            v = self._f_headers = _rt.UnsetList()
        return v

    @headers.setter
    def headers(self, value: List[HttpHeader_Builder]) -> None:
        self._f_headers = value

    def init_headers(self, n: int) -> List[HttpHeader_Builder]:
        v: List[HttpHeader_Builder] = HttpHeader_Builder._new_list(n)
        self._f_headers = v
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S12.pack_into(
                buf, at,
                self.statusCode,
                self.bodySize._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("HttpResponse", exc) from None
        try:
            if self.bodySize._which == 1:
                _S13.pack_into(buf, at + 8, self.bodySize._f_fixed)
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("HttpResponse", exc) from None
        p0 = self._f_statusText
        if p0 is not None:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'HttpResponse.statusText') from None
            s0 = len(buf)
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            _rt.U64.pack_into(buf, at + 16, ((s0 - at - 24) >> 1) | 0x200000001 | ((k0 + 1) << 35))
        p1 = self._f_headers
        if p1 is not None:
            _WS6.write(buf, at + 24, p1)

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not HttpResponse_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S12.pack_into(
                    buf, at,
                    v.statusCode,
                    v.bodySize._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("HttpResponse", exc) from None
            try:
                if v.bodySize._which == 1:
                    _S13.pack_into(buf, at + 8, v.bodySize._f_fixed)
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("HttpResponse", exc) from None
            p0 = v._f_statusText
            if p0 is not None:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'HttpResponse.statusText') from None
                s0 = len(buf)
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                _rt.U64.pack_into(buf, at + 16, ((s0 - at - 24) >> 1) | 0x200000001 | ((k0 + 1) << 35))
            p1 = v._f_headers
            if p1 is not None:
                _WS6.write(buf, at + 24, p1)
            at += 32

    def as_reader(self) -> HttpResponse_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpResponse_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpResponse_bodySize_Builder(_rt.BuilderBase):
    """Builder of group bodySize (0xca02437e5f995e08)."""

    __slots__ = ('_which', '_f_fixed')

    def __init__(self) -> None:
        self._which: int = 0
        self._f_fixed: int = 0

    def which(self) -> HttpResponse_bodySize_Which:
        v = self._which
        return _M_HttpResponse_bodySize_Which[v] if v < 2 else HttpResponse_bodySize_Which(v)

    @property
    def unknown(self) -> None:
        return None

    @unknown.setter
    def unknown(self, value: None) -> None:
        self._which = 0

    @property
    def fixed(self) -> int:
        return self._f_fixed

    @fixed.setter
    def fixed(self, value: int) -> None:
        self._f_fixed = value
        self._which = 1


class HttpHeader_Builder(_rt.BuilderBase):
    """Builder of struct HttpHeader (0xb39047580b6fd228)."""

    __slots__ = ('_which', '_g_common', '_f_uncommon')
    _DW = 2
    _PC = 1
    _HI = 0x1000200000000
    _ZERO = bytes(24)

    def __init__(self) -> None:
        self._which: int = 0
        self._g_common: HttpHeader_common_Builder = HttpHeader_common_Builder()
        self._f_uncommon: Optional[HttpHeader_NameValue_Builder] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpHeader_Builder]:
        out: List[HttpHeader_Builder] = []
        new = HttpHeader_Builder.__new__
        for _ in range(n):
            self = new(HttpHeader_Builder)
            self._which = 0
            self._g_common = HttpHeader_common_Builder()
            self._f_uncommon = None
            out.append(self)
        return out

    def which(self) -> HttpHeader_Which:
        v = self._which
        return _M_HttpHeader_Which[v] if v < 2 else HttpHeader_Which(v)

    @property
    def common(self) -> HttpHeader_common_Builder:
        if self._which != 0:
            raise _rt.inactive_member('common', self.which())
        return self._g_common

    def init_common(self) -> HttpHeader_common_Builder:
        v = self._g_common = HttpHeader_common_Builder()
        self._which = 0
        return v

    @property
    def uncommon(self) -> HttpHeader_NameValue_Builder:
        if self._which != 1:
            raise _rt.inactive_member('uncommon', self.which())
        v = self._f_uncommon
        if v is None:
            v = self._f_uncommon = HttpHeader_NameValue_Builder()
        return v

    @uncommon.setter
    def uncommon(self, value: HttpHeader_NameValue_Builder) -> None:
        self._f_uncommon = value
        self._which = 1

    def init_uncommon(self) -> HttpHeader_NameValue_Builder:
        v = self._f_uncommon = HttpHeader_NameValue_Builder()
        self._which = 1
        return v

    def _write(self, buf: bytearray, at: int) -> None:
        try:
            _S14.pack_into(
                buf, at,
                self._which,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("HttpHeader", exc) from None
        try:
            if self._which == 0:
                _S15.pack_into(buf, at + 4, self._g_common._which)
                _S15.pack_into(buf, at + 0, self._g_common.name)
            if self._which == 0 and self._g_common._which == 0:
                _S15.pack_into(buf, at + 2, self._g_common._f_commonValue)
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("HttpHeader", exc) from None
        p0 = self._g_common._f_value
        if self._which == 0 and self._g_common._which == 1 and p0 is not None:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'HttpHeader.common.value') from None
            s0 = len(buf)
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            _rt.U64.pack_into(buf, at + 16, ((s0 - at - 24) >> 1) | 0x200000001 | ((k0 + 1) << 35))
        p1 = self._f_uncommon
        if self._which == 1 and p1 is not None:
            _rt.write_struct_of(buf, at + 16, p1, HttpHeader_NameValue_Builder, 'HttpHeader.uncommon')

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not HttpHeader_Builder:
                raise _rt.element_type_error(cls, v)
            try:
                _S14.pack_into(
                    buf, at,
                    v._which,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("HttpHeader", exc) from None
            try:
                if v._which == 0:
                    _S15.pack_into(buf, at + 4, v._g_common._which)
                    _S15.pack_into(buf, at + 0, v._g_common.name)
                if v._which == 0 and v._g_common._which == 0:
                    _S15.pack_into(buf, at + 2, v._g_common._f_commonValue)
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("HttpHeader", exc) from None
            p0 = v._g_common._f_value
            if v._which == 0 and v._g_common._which == 1 and p0 is not None:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'HttpHeader.common.value') from None
                s0 = len(buf)
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                _rt.U64.pack_into(buf, at + 16, ((s0 - at - 24) >> 1) | 0x200000001 | ((k0 + 1) << 35))
            p1 = v._f_uncommon
            if v._which == 1 and p1 is not None:
                _rt.write_struct_of(buf, at + 16, p1, HttpHeader_NameValue_Builder, 'HttpHeader.uncommon')
            at += 24

    def as_reader(self) -> HttpHeader_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpHeader_Reader.from_flat_bytes(self.to_flat_bytes())


class HttpHeader_common_Builder(_rt.BuilderBase):
    """Builder of group common (0xe971001e4ade4a2a)."""

    __slots__ = ('_which', 'name', '_f_commonValue', '_f_value')
    name: CommonHeaderName

    def __init__(self) -> None:
        self._which: int = 0
        self.name = CommonHeaderName.invalid
        self._f_commonValue: CommonHeaderValue = CommonHeaderValue.invalid
        self._f_value: Optional[str] = None

    def which(self) -> HttpHeader_common_Which:
        v = self._which
        return _M_HttpHeader_common_Which[v] if v < 2 else HttpHeader_common_Which(v)

    @property
    def commonValue(self) -> CommonHeaderValue:
        return self._f_commonValue

    @commonValue.setter
    def commonValue(self, value: CommonHeaderValue) -> None:
        self._f_commonValue = value
        self._which = 0

    @property
    def value(self) -> str:
        v = self._f_value
        return "" if v is None else v

    @value.setter
    def value(self, value: str) -> None:
        self._f_value = value
        self._which = 1


class HttpHeader_NameValue_Builder(_rt.BuilderBase):
    """Builder of struct NameValue (0xed5334c41abc0375)."""

    __slots__ = ('_f_name', '_f_value')
    _DW = 0
    _PC = 2
    _HI = 0x2000000000000
    _ZERO = bytes(16)

    def __init__(self) -> None:
        self._f_name: Optional[str] = None
        self._f_value: Optional[str] = None

    @staticmethod
    def _new_list(n: int) -> List[HttpHeader_NameValue_Builder]:
        out: List[HttpHeader_NameValue_Builder] = []
        new = HttpHeader_NameValue_Builder.__new__
        for _ in range(n):
            self = new(HttpHeader_NameValue_Builder)
            self._f_name = None
            self._f_value = None
            out.append(self)
        return out

    @property
    def name(self) -> str:
        v = self._f_name
        return "" if v is None else v

    @name.setter
    def name(self, value: str) -> None:
        self._f_name = value

    @property
    def value(self) -> str:
        v = self._f_value
        return "" if v is None else v

    @value.setter
    def value(self, value: str) -> None:
        self._f_value = value

    def _write(self, buf: bytearray, at: int) -> None:
        p0 = self._f_name
        if p0 is None:
            a0 = b0 = 0
        else:
            try:
                r0 = p0.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p0, 'HttpHeader.NameValue.name') from None
            a0 = ((len(buf) - at - 8) >> 1) | 1
            k0 = len(r0)
            buf += r0
            buf += _rt.NUL_PADS[k0 & 7]
            b0 = (k0 << 3) + 10
        p1 = self._f_value
        if p1 is None:
            a1 = b1 = 0
        else:
            try:
                r1 = p1.encode()
            except (AttributeError, UnicodeEncodeError):
                raise _rt.text_error(p1, 'HttpHeader.NameValue.value') from None
            a1 = ((len(buf) - at - 16) >> 1) | 1
            k1 = len(r1)
            buf += r1
            buf += _rt.NUL_PADS[k1 & 7]
            b1 = (k1 << 3) + 10
        try:
            _S16.pack_into(
                buf, at,
                a0,
                b0,
                a1,
                b1,
            )
        except (struct.error, TypeError, ValueError, OverflowError) as exc:
            raise _rt.encode_error("HttpHeader_NameValue", exc) from None

    @classmethod
    def _write_list(cls, buf: bytearray, at: int, values: Sequence[Any]) -> None:
        # The element body inlined: a call per element costs as much as its scalars.
        _nul_pads = _rt.NUL_PADS
        for v in values:
            if type(v) is not HttpHeader_NameValue_Builder:
                raise _rt.element_type_error(cls, v)
            p0 = v._f_name
            if p0 is None:
                a0 = b0 = 0
            else:
                try:
                    r0 = p0.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p0, 'HttpHeader.NameValue.name') from None
                a0 = ((len(buf) - at - 8) >> 1) | 1
                k0 = len(r0)
                buf += r0
                buf += _nul_pads[k0 & 7]
                b0 = (k0 << 3) + 10
            p1 = v._f_value
            if p1 is None:
                a1 = b1 = 0
            else:
                try:
                    r1 = p1.encode()
                except (AttributeError, UnicodeEncodeError):
                    raise _rt.text_error(p1, 'HttpHeader.NameValue.value') from None
                a1 = ((len(buf) - at - 16) >> 1) | 1
                k1 = len(r1)
                buf += r1
                buf += _nul_pads[k1 & 7]
                b1 = (k1 << 3) + 10
            try:
                _S16.pack_into(
                    buf, at,
                    a0,
                    b0,
                    a1,
                    b1,
                )
            except (struct.error, TypeError, ValueError, OverflowError) as exc:
                raise _rt.encode_error("HttpHeader_NameValue", exc) from None
            at += 16

    def as_reader(self) -> HttpHeader_NameValue_Reader:
        """Serialize and read back (a snapshot, not a live view)."""
        return HttpHeader_NameValue_Reader.from_flat_bytes(self.to_flat_bytes())


class ConnectSettings:
    """Struct ConnectSettings: constructors and readers."""

    TYPE_ID: Final = 0xf981e8428b86f885

    @staticmethod
    def new_message() -> ConnectSettings_Builder:
        return ConnectSettings_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> ConnectSettings_Reader:
        return ConnectSettings_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> ConnectSettings_Reader:
        return ConnectSettings_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> ConnectSettings_Reader:
        return ConnectSettings_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class HttpRequest:
    """Struct HttpRequest: constructors and readers."""

    TYPE_ID: Final = 0xdeb08db1052a4866

    @staticmethod
    def new_message() -> HttpRequest_Builder:
        return HttpRequest_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> HttpRequest_Reader:
        return HttpRequest_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> HttpRequest_Reader:
        return HttpRequest_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> HttpRequest_Reader:
        return HttpRequest_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class HttpResponse:
    """Struct HttpResponse: constructors and readers."""

    TYPE_ID: Final = 0xf235351cf1531299

    @staticmethod
    def new_message() -> HttpResponse_Builder:
        return HttpResponse_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> HttpResponse_Reader:
        return HttpResponse_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> HttpResponse_Reader:
        return HttpResponse_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> HttpResponse_Reader:
        return HttpResponse_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class HttpHeader:
    """Struct HttpHeader: constructors and readers."""

    TYPE_ID: Final = 0xb39047580b6fd228

    @staticmethod
    def new_message() -> HttpHeader_Builder:
        return HttpHeader_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> HttpHeader_Reader:
        return HttpHeader_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> HttpHeader_Reader:
        return HttpHeader_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> HttpHeader_Reader:
        return HttpHeader_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class HttpHeader_NameValue:
    """Struct NameValue: constructors and readers."""

    TYPE_ID: Final = 0xed5334c41abc0375

    @staticmethod
    def new_message() -> HttpHeader_NameValue_Builder:
        return HttpHeader_NameValue_Builder()

    @staticmethod
    def from_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> HttpHeader_NameValue_Reader:
        return HttpHeader_NameValue_Reader.from_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_flat_bytes(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> HttpHeader_NameValue_Reader:
        return HttpHeader_NameValue_Reader.from_flat_bytes(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)

    @staticmethod
    def from_bytes_packed(
        data: _rt.Buffer, *,
        traversal_limit_in_words: int = _rt.DEFAULT_TRAVERSAL_LIMIT_IN_WORDS,
        nesting_limit: int = _rt.DEFAULT_NESTING_LIMIT,
    ) -> HttpHeader_NameValue_Reader:
        return HttpHeader_NameValue_Reader.from_bytes_packed(
            data, traversal_limit_in_words=traversal_limit_in_words,
            nesting_limit=nesting_limit)


class HttpService:
    """Interface HttpService: IDs and method table.

    Typed clients and servers are built from ``METHODS`` by the RPC layer.
    """

    INTERFACE_ID: Final = 0x92963bfdad2beb6a
    SUPERCLASS_IDS: Final[Tuple[int, ...]] = ()
    startRequest: Final = _rt.MethodInfo(
        0x92963bfdad2beb6a, 0, 'startRequest',
        HttpService_startRequest_Params_Reader, HttpService_startRequest_Params_Builder, HttpService_startRequest_Results_Reader, HttpService_startRequest_Results_Builder)
    request: Final = _rt.MethodInfo(
        0x92963bfdad2beb6a, 1, 'request',
        HttpService_request_Params_Reader, HttpService_request_Params_Builder, HttpService_request_Results_Reader, HttpService_request_Results_Builder)
    connect: Final = _rt.MethodInfo(
        0x92963bfdad2beb6a, 2, 'connect',
        HttpService_connect_Params_Reader, HttpService_connect_Params_Builder, HttpService_connect_Results_Reader, HttpService_connect_Results_Builder)
    METHODS: Final[Tuple[_rt.MethodInfo, ...]] = (startRequest, request, connect)


class HttpService_ClientRequestContext:
    """Interface ClientRequestContext: IDs and method table.

    Typed clients and servers are built from ``METHODS`` by the RPC layer.
    """

    INTERFACE_ID: Final = 0xea3256705c0b63ba
    SUPERCLASS_IDS: Final[Tuple[int, ...]] = ()
    startResponse: Final = _rt.MethodInfo(
        0xea3256705c0b63ba, 0, 'startResponse',
        HttpService_ClientRequestContext_startResponse_Params_Reader, HttpService_ClientRequestContext_startResponse_Params_Builder, HttpService_ClientRequestContext_startResponse_Results_Reader, HttpService_ClientRequestContext_startResponse_Results_Builder)
    startWebSocket: Final = _rt.MethodInfo(
        0xea3256705c0b63ba, 1, 'startWebSocket',
        HttpService_ClientRequestContext_startWebSocket_Params_Reader, HttpService_ClientRequestContext_startWebSocket_Params_Builder, HttpService_ClientRequestContext_startWebSocket_Results_Reader, HttpService_ClientRequestContext_startWebSocket_Results_Builder)
    METHODS: Final[Tuple[_rt.MethodInfo, ...]] = (startResponse, startWebSocket)


class HttpService_ConnectClientRequestContext:
    """Interface ConnectClientRequestContext: IDs and method table.

    Typed clients and servers are built from ``METHODS`` by the RPC layer.
    """

    INTERFACE_ID: Final = 0xda572939a4c3d728
    SUPERCLASS_IDS: Final[Tuple[int, ...]] = ()
    startConnect: Final = _rt.MethodInfo(
        0xda572939a4c3d728, 0, 'startConnect',
        HttpService_ConnectClientRequestContext_startConnect_Params_Reader, HttpService_ConnectClientRequestContext_startConnect_Params_Builder, HttpService_ConnectClientRequestContext_startConnect_Results_Reader, HttpService_ConnectClientRequestContext_startConnect_Results_Builder)
    startError: Final = _rt.MethodInfo(
        0xda572939a4c3d728, 1, 'startError',
        HttpService_ConnectClientRequestContext_startError_Params_Reader, HttpService_ConnectClientRequestContext_startError_Params_Builder, HttpService_ConnectClientRequestContext_startError_Results_Reader, HttpService_ConnectClientRequestContext_startError_Results_Builder)
    METHODS: Final[Tuple[_rt.MethodInfo, ...]] = (startConnect, startError)


class HttpService_ServerRequestContext:
    """Interface ServerRequestContext: IDs and method table.

    Typed clients and servers are built from ``METHODS`` by the RPC layer.
    """

    INTERFACE_ID: Final = 0x99ae26bfd34f3f3b
    SUPERCLASS_IDS: Final[Tuple[int, ...]] = ()
    METHODS: Final[Tuple[_rt.MethodInfo, ...]] = ()


class WebSocket:
    """Interface WebSocket: IDs and method table.

    Typed clients and servers are built from ``METHODS`` by the RPC layer.
    """

    INTERFACE_ID: Final = 0xb09c33a9f4caa823
    SUPERCLASS_IDS: Final[Tuple[int, ...]] = ()
    sendText: Final = _rt.MethodInfo(
        0xb09c33a9f4caa823, 0, 'sendText',
        WebSocket_sendText_Params_Reader, WebSocket_sendText_Params_Builder, _stream_capnp.StreamResult_Reader, _stream_capnp.StreamResult_Builder)
    sendData: Final = _rt.MethodInfo(
        0xb09c33a9f4caa823, 1, 'sendData',
        WebSocket_sendData_Params_Reader, WebSocket_sendData_Params_Builder, _stream_capnp.StreamResult_Reader, _stream_capnp.StreamResult_Builder)
    close: Final = _rt.MethodInfo(
        0xb09c33a9f4caa823, 2, 'close',
        WebSocket_close_Params_Reader, WebSocket_close_Params_Builder, WebSocket_close_Results_Reader, WebSocket_close_Results_Builder)
    METHODS: Final[Tuple[_rt.MethodInfo, ...]] = (sendText, sendData, close)


class HttpService_startRequest_Promise(_typed.TypedPromise[HttpService_startRequest_Results_Reader]):
    """Results of HttpService.startRequest in flight: its capabilities, pipelined."""

    __slots__ = ()

    @property
    def requestBody(self) -> _byte_stream_capnp.ByteStream_Client:
        """``requestBody`` of the results, usable before they arrive."""
        return self.client(_byte_stream_capnp.ByteStream_Client, 0)

    @property
    def context(self) -> HttpService_ServerRequestContext_Client:
        """``context`` of the results, usable before they arrive."""
        return self.client(HttpService_ServerRequestContext_Client, 1)


class HttpService_startRequest_Request(_typed.TypedRequest[HttpService_startRequest_Params_Builder, HttpService_startRequest_Results_Reader]):
    """A startRequest call being prepared; ``send()`` gives its pipelining promise."""

    __slots__ = ()

    def send(self) -> HttpService_startRequest_Promise:
        return HttpService_startRequest_Promise._of(super().send())


class HttpService_request_Promise(_typed.TypedPromise[HttpService_request_Results_Reader]):
    """Results of HttpService.request in flight: its capabilities, pipelined."""

    __slots__ = ()

    @property
    def requestBody(self) -> _byte_stream_capnp.ByteStream_Client:
        """``requestBody`` of the results, usable before they arrive."""
        return self.client(_byte_stream_capnp.ByteStream_Client, 0)


class HttpService_request_Request(_typed.TypedRequest[HttpService_request_Params_Builder, HttpService_request_Results_Reader]):
    """A request call being prepared; ``send()`` gives its pipelining promise."""

    __slots__ = ()

    def send(self) -> HttpService_request_Promise:
        return HttpService_request_Promise._of(super().send())


class HttpService_connect_Promise(_typed.TypedPromise[HttpService_connect_Results_Reader]):
    """Results of HttpService.connect in flight: its capabilities, pipelined."""

    __slots__ = ()

    @property
    def up(self) -> _byte_stream_capnp.ByteStream_Client:
        """``up`` of the results, usable before they arrive."""
        return self.client(_byte_stream_capnp.ByteStream_Client, 0)


class HttpService_connect_Request(_typed.TypedRequest[HttpService_connect_Params_Builder, HttpService_connect_Results_Reader]):
    """A connect call being prepared; ``send()`` gives its pipelining promise."""

    __slots__ = ()

    def send(self) -> HttpService_connect_Promise:
        return HttpService_connect_Promise._of(super().send())


class HttpService_Client(_typed.TypedClient):
    """Typed client of interface HttpService (0x92963bfdad2beb6a): wraps a capability."""

    __slots__ = ()
    _typed_interface = _typed.interface(HttpService, (), ('startRequest', 'request', 'connect'), ())

    def startRequest_request(self) -> HttpService_startRequest_Request:
        return self._request_as(HttpService_startRequest_Request, HttpService.METHODS[0])

    def startRequest(self, params: Optional[HttpService_startRequest_Params_Builder] = None) -> HttpService_startRequest_Promise:
        return HttpService_startRequest_Promise._of(self._call(HttpService.METHODS[0], params))

    def request_request(self) -> HttpService_request_Request:
        return self._request_as(HttpService_request_Request, HttpService.METHODS[1])

    def request(self, params: Optional[HttpService_request_Params_Builder] = None) -> HttpService_request_Promise:
        return HttpService_request_Promise._of(self._call(HttpService.METHODS[1], params))

    def connect_request(self) -> HttpService_connect_Request:
        return self._request_as(HttpService_connect_Request, HttpService.METHODS[2])

    def connect(self, params: Optional[HttpService_connect_Params_Builder] = None) -> HttpService_connect_Promise:
        return HttpService_connect_Promise._of(self._call(HttpService.METHODS[2], params))


class HttpService_Server(_typed.TypedServer):
    """Typed server of interface HttpService (0x92963bfdad2beb6a): override the methods it implements."""

    _capnp_interface = HttpService_Client._typed_interface

    async def startRequest(self, context: _typed.TypedCallContext[HttpService_startRequest_Params_Reader, HttpService_startRequest_Results_Builder]) -> None:
        raise _typed.unimplemented('HttpService.startRequest')

    async def request(self, context: _typed.TypedCallContext[HttpService_request_Params_Reader, HttpService_request_Results_Builder]) -> None:
        raise _typed.unimplemented('HttpService.request')

    async def connect(self, context: _typed.TypedCallContext[HttpService_connect_Params_Reader, HttpService_connect_Results_Builder]) -> None:
        raise _typed.unimplemented('HttpService.connect')


class HttpService_ClientRequestContext_startResponse_Promise(_typed.TypedPromise[HttpService_ClientRequestContext_startResponse_Results_Reader]):
    """Results of ClientRequestContext.startResponse in flight: its capabilities, pipelined."""

    __slots__ = ()

    @property
    def body(self) -> _byte_stream_capnp.ByteStream_Client:
        """``body`` of the results, usable before they arrive."""
        return self.client(_byte_stream_capnp.ByteStream_Client, 0)


class HttpService_ClientRequestContext_startResponse_Request(_typed.TypedRequest[HttpService_ClientRequestContext_startResponse_Params_Builder, HttpService_ClientRequestContext_startResponse_Results_Reader]):
    """A startResponse call being prepared; ``send()`` gives its pipelining promise."""

    __slots__ = ()

    def send(self) -> HttpService_ClientRequestContext_startResponse_Promise:
        return HttpService_ClientRequestContext_startResponse_Promise._of(super().send())


class HttpService_ClientRequestContext_startWebSocket_Promise(_typed.TypedPromise[HttpService_ClientRequestContext_startWebSocket_Results_Reader]):
    """Results of ClientRequestContext.startWebSocket in flight: its capabilities, pipelined."""

    __slots__ = ()

    @property
    def downSocket(self) -> WebSocket_Client:
        """``downSocket`` of the results, usable before they arrive."""
        return self.client(WebSocket_Client, 0)


class HttpService_ClientRequestContext_startWebSocket_Request(_typed.TypedRequest[HttpService_ClientRequestContext_startWebSocket_Params_Builder, HttpService_ClientRequestContext_startWebSocket_Results_Reader]):
    """A startWebSocket call being prepared; ``send()`` gives its pipelining promise."""

    __slots__ = ()

    def send(self) -> HttpService_ClientRequestContext_startWebSocket_Promise:
        return HttpService_ClientRequestContext_startWebSocket_Promise._of(super().send())


class HttpService_ClientRequestContext_Client(_typed.TypedClient):
    """Typed client of interface ClientRequestContext (0xea3256705c0b63ba): wraps a capability."""

    __slots__ = ()
    _typed_interface = _typed.interface(HttpService_ClientRequestContext, (), ('startResponse', 'startWebSocket'), ())

    def startResponse_request(self) -> HttpService_ClientRequestContext_startResponse_Request:
        return self._request_as(HttpService_ClientRequestContext_startResponse_Request, HttpService_ClientRequestContext.METHODS[0])

    def startResponse(self, params: Optional[HttpService_ClientRequestContext_startResponse_Params_Builder] = None) -> HttpService_ClientRequestContext_startResponse_Promise:
        return HttpService_ClientRequestContext_startResponse_Promise._of(self._call(HttpService_ClientRequestContext.METHODS[0], params))

    def startWebSocket_request(self) -> HttpService_ClientRequestContext_startWebSocket_Request:
        return self._request_as(HttpService_ClientRequestContext_startWebSocket_Request, HttpService_ClientRequestContext.METHODS[1])

    def startWebSocket(self, params: Optional[HttpService_ClientRequestContext_startWebSocket_Params_Builder] = None) -> HttpService_ClientRequestContext_startWebSocket_Promise:
        return HttpService_ClientRequestContext_startWebSocket_Promise._of(self._call(HttpService_ClientRequestContext.METHODS[1], params))


class HttpService_ClientRequestContext_Server(_typed.TypedServer):
    """Typed server of interface ClientRequestContext (0xea3256705c0b63ba): override the methods it implements."""

    _capnp_interface = HttpService_ClientRequestContext_Client._typed_interface

    async def startResponse(self, context: _typed.TypedCallContext[HttpService_ClientRequestContext_startResponse_Params_Reader, HttpService_ClientRequestContext_startResponse_Results_Builder]) -> None:
        raise _typed.unimplemented('ClientRequestContext.startResponse')

    async def startWebSocket(self, context: _typed.TypedCallContext[HttpService_ClientRequestContext_startWebSocket_Params_Reader, HttpService_ClientRequestContext_startWebSocket_Results_Builder]) -> None:
        raise _typed.unimplemented('ClientRequestContext.startWebSocket')


class HttpService_ConnectClientRequestContext_startError_Promise(_typed.TypedPromise[HttpService_ConnectClientRequestContext_startError_Results_Reader]):
    """Results of ConnectClientRequestContext.startError in flight: its capabilities, pipelined."""

    __slots__ = ()

    @property
    def body(self) -> _byte_stream_capnp.ByteStream_Client:
        """``body`` of the results, usable before they arrive."""
        return self.client(_byte_stream_capnp.ByteStream_Client, 0)


class HttpService_ConnectClientRequestContext_startError_Request(_typed.TypedRequest[HttpService_ConnectClientRequestContext_startError_Params_Builder, HttpService_ConnectClientRequestContext_startError_Results_Reader]):
    """A startError call being prepared; ``send()`` gives its pipelining promise."""

    __slots__ = ()

    def send(self) -> HttpService_ConnectClientRequestContext_startError_Promise:
        return HttpService_ConnectClientRequestContext_startError_Promise._of(super().send())


class HttpService_ConnectClientRequestContext_Client(_typed.TypedClient):
    """Typed client of interface ConnectClientRequestContext (0xda572939a4c3d728): wraps a capability."""

    __slots__ = ()
    _typed_interface = _typed.interface(HttpService_ConnectClientRequestContext, (), ('startConnect', 'startError'), ())

    def startConnect_request(self) -> _typed.TypedRequest[HttpService_ConnectClientRequestContext_startConnect_Params_Builder, HttpService_ConnectClientRequestContext_startConnect_Results_Reader]:
        return self._request(HttpService_ConnectClientRequestContext.METHODS[0])

    def startConnect(self, params: Optional[HttpService_ConnectClientRequestContext_startConnect_Params_Builder] = None) -> _typed.TypedPromise[HttpService_ConnectClientRequestContext_startConnect_Results_Reader]:
        return self._call(HttpService_ConnectClientRequestContext.METHODS[0], params)

    def startError_request(self) -> HttpService_ConnectClientRequestContext_startError_Request:
        return self._request_as(HttpService_ConnectClientRequestContext_startError_Request, HttpService_ConnectClientRequestContext.METHODS[1])

    def startError(self, params: Optional[HttpService_ConnectClientRequestContext_startError_Params_Builder] = None) -> HttpService_ConnectClientRequestContext_startError_Promise:
        return HttpService_ConnectClientRequestContext_startError_Promise._of(self._call(HttpService_ConnectClientRequestContext.METHODS[1], params))


class HttpService_ConnectClientRequestContext_Server(_typed.TypedServer):
    """Typed server of interface ConnectClientRequestContext (0xda572939a4c3d728): override the methods it implements."""

    _capnp_interface = HttpService_ConnectClientRequestContext_Client._typed_interface

    async def startConnect(self, context: _typed.TypedCallContext[HttpService_ConnectClientRequestContext_startConnect_Params_Reader, HttpService_ConnectClientRequestContext_startConnect_Results_Builder]) -> None:
        raise _typed.unimplemented('ConnectClientRequestContext.startConnect')

    async def startError(self, context: _typed.TypedCallContext[HttpService_ConnectClientRequestContext_startError_Params_Reader, HttpService_ConnectClientRequestContext_startError_Results_Builder]) -> None:
        raise _typed.unimplemented('ConnectClientRequestContext.startError')


class HttpService_ServerRequestContext_Client(_typed.TypedClient):
    """Typed client of interface ServerRequestContext (0x99ae26bfd34f3f3b): wraps a capability."""

    __slots__ = ()
    _typed_interface = _typed.interface(HttpService_ServerRequestContext, (), (), ())


class HttpService_ServerRequestContext_Server(_typed.TypedServer):
    """Typed server of interface ServerRequestContext (0x99ae26bfd34f3f3b): override the methods it implements."""

    _capnp_interface = HttpService_ServerRequestContext_Client._typed_interface


class WebSocket_Client(_typed.TypedClient):
    """Typed client of interface WebSocket (0xb09c33a9f4caa823): wraps a capability."""

    __slots__ = ()
    _typed_interface = _typed.interface(WebSocket, (), ('sendText', 'sendData', 'close_'), (0, 1))

    def sendText_request(self) -> _typed.StreamRequest[WebSocket_sendText_Params_Builder]:
        return self._stream_request(WebSocket.METHODS[0])

    def sendText(self, params: Optional[WebSocket_sendText_Params_Builder] = None) -> _typed.StreamPromise:
        return self._stream(WebSocket.METHODS[0], params)

    def sendData_request(self) -> _typed.StreamRequest[WebSocket_sendData_Params_Builder]:
        return self._stream_request(WebSocket.METHODS[1])

    def sendData(self, params: Optional[WebSocket_sendData_Params_Builder] = None) -> _typed.StreamPromise:
        return self._stream(WebSocket.METHODS[1], params)

    def close__request(self) -> _typed.TypedRequest[WebSocket_close_Params_Builder, WebSocket_close_Results_Reader]:
        return self._request(WebSocket.METHODS[2])

    def close_(self, params: Optional[WebSocket_close_Params_Builder] = None) -> _typed.TypedPromise[WebSocket_close_Results_Reader]:
        return self._call(WebSocket.METHODS[2], params)


class WebSocket_Server(_typed.TypedServer):
    """Typed server of interface WebSocket (0xb09c33a9f4caa823): override the methods it implements."""

    _capnp_interface = WebSocket_Client._typed_interface

    async def sendText(self, context: _typed.TypedCallContext[WebSocket_sendText_Params_Reader, _stream_capnp.StreamResult_Builder]) -> None:
        raise _typed.unimplemented('WebSocket.sendText')

    async def sendData(self, context: _typed.TypedCallContext[WebSocket_sendData_Params_Reader, _stream_capnp.StreamResult_Builder]) -> None:
        raise _typed.unimplemented('WebSocket.sendData')

    async def close_(self, context: _typed.TypedCallContext[WebSocket_close_Params_Reader, WebSocket_close_Results_Builder]) -> None:
        raise _typed.unimplemented('WebSocket.close')

# List specs and embedded defaults, used by the classes above.
_RS0: Final = _rt.StructRead(HttpHeader_Reader)
_SC1: Final = _rt.Scalars("B", (1,))
_SC2: Final = _rt.Scalars("H", (2,))
_SC3: Final = _rt.Scalars("2xH", (4,))
_SC4: Final = _rt.Scalars("8xH", (10,))
_SC5: Final = _rt.Scalars("H2xH", (2, 6))
_WS6: Final = _rt.StructWrite(HttpHeader_Builder)
_S7: Final = struct.Struct("<B")
_S8: Final = struct.Struct("<IIQB7x")
_S9: Final = struct.Struct("<QB7x")
_S10: Final = struct.Struct("<II")
_S11: Final = struct.Struct("<H6xII")
_S12: Final = struct.Struct("<HH")
_S13: Final = struct.Struct("<Q")
_S14: Final = struct.Struct("<8xH")
_S15: Final = struct.Struct("<H")
_S16: Final = struct.Struct("<IIII")
ConnectSettings_Reader._SC = _SC1
WebSocket_close_Params_Reader._SC = _SC2
HttpRequest_Reader._SC = _SC2
HttpRequest_bodySize_Reader._SC = _SC3
HttpResponse_Reader._SC = _SC2
HttpResponse_bodySize_Reader._SC = _SC3
HttpHeader_Reader._SC = _SC4
HttpHeader_common_Reader._SC = _SC5
