# HTTP carried over Cap'n Proto RPC (the protocol workerd speaks for fetch
# events). Restated for wire compatibility from upstream capnproto
# c++/src/capnp/compat/http-over-capnp.capnp, at the revision workerd uses.

@0xb665280aaff2e632;

using import "/capnp/compat/byte-stream.capnp".ByteStream;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("capnp");
$Cxx.allowCancellation;

interface HttpService {
  request @1 (request :HttpRequest, context :ClientRequestContext)
          -> (requestBody :ByteStream);
  # Preferred form: returns only when the whole exchange is over, so the
  # request body is sent by pipelining on `requestBody`.

  startRequest @0 (request :HttpRequest, context :ClientRequestContext)
               -> (requestBody :ByteStream, context :ServerRequestContext);
  # Older form kept for compatibility with older peers.

  connect @2 (host :Text, headers :List(HttpHeader), down :ByteStream,
              context :ConnectClientRequestContext, settings :ConnectSettings)
          -> (up :ByteStream);
  # HTTP CONNECT tunnel.

  interface ClientRequestContext {
    startResponse @0 (response :HttpResponse) -> (body :ByteStream);
    startWebSocket @1 (headers :List(HttpHeader), upSocket :WebSocket)
                   -> (downSocket :WebSocket);
  }

  interface ConnectClientRequestContext {
    startConnect @0 (response :HttpResponse);
    startError @1 (response :HttpResponse) -> (body :ByteStream);
  }

  interface ServerRequestContext {
    # No methods: the (promise) capability resolves when the server is done.
  }
}

struct ConnectSettings {
  useTls @0 :Bool;
}

interface WebSocket {
  sendText @0 (text :Text) -> stream;
  sendData @1 (data :Data) -> stream;
  close @2 (code :UInt16, reason :Text);
}

struct HttpRequest {
  method @0 :HttpMethod;
  url @1 :Text;
  headers @2 :List(HttpHeader);
  bodySize :union {
    unknown @3 :Void;
    fixed @4 :UInt64;
  }
}

struct HttpResponse {
  statusCode @0 :UInt16;
  statusText @1 :Text;
  headers @2 :List(HttpHeader);
  bodySize :union {
    unknown @3 :Void;
    fixed @4 :UInt64;
  }
}

enum HttpMethod {
  # Same numbering as kj::HttpMethod.
  get @0;
  head @1;
  post @2;
  put @3;
  delete @4;
  patch @5;
  purge @6;
  options @7;
  trace @8;
  copy @9;
  lock @10;
  mkcol @11;
  move @12;
  propfind @13;
  proppatch @14;
  search @15;
  unlock @16;
  acl @17;
  report @18;
  mkactivity @19;
  checkout @20;
  merge @21;
  msearch @22;
  notify @23;
  subscribe @24;
  unsubscribe @25;
}

annotation commonText @0x857745131db6fc83 (enumerant) :Text;
# The canonical spelling of a common header name or value.

enum CommonHeaderName {
  invalid @0;
  acceptCharset @1 $commonText("Accept-Charset");
  acceptEncoding @2 $commonText("Accept-Encoding");
  acceptLanguage @3 $commonText("Accept-Language");
  acceptRanges @4 $commonText("Accept-Ranges");
  accept @5 $commonText("Accept");
  accessControlAllowOrigin @6 $commonText("Access-Control-Allow-Origin");
  age @7 $commonText("Age");
  allow @8 $commonText("Allow");
  authorization @9 $commonText("Authorization");
  cacheControl @10 $commonText("Cache-Control");
  contentDisposition @11 $commonText("Content-Disposition");
  contentEncoding @12 $commonText("Content-Encoding");
  contentLanguage @13 $commonText("Content-Language");
  contentLength @14 $commonText("Content-Length");
  contentLocation @15 $commonText("Content-Location");
  contentRange @16 $commonText("Content-Range");
  contentType @17 $commonText("Content-Type");
  cookie @18 $commonText("Cookie");
  date @19 $commonText("Date");
  etag @20 $commonText("ETag");
  expect @21 $commonText("Expect");
  expires @22 $commonText("Expires");
  from @23 $commonText("From");
  host @24 $commonText("Host");
  ifMatch @25 $commonText("If-Match");
  ifModifiedSince @26 $commonText("If-Modified-Since");
  ifNoneMatch @27 $commonText("If-None-Match");
  ifRange @28 $commonText("If-Range");
  ifUnmodifiedSince @29 $commonText("If-Unmodified-Since");
  lastModified @30 $commonText("Last-Modified");
  link @31 $commonText("Link");
  location @32 $commonText("Location");
  maxForwards @33 $commonText("Max-Forwards");
  proxyAuthenticate @34 $commonText("Proxy-Authenticate");
  proxyAuthorization @35 $commonText("Proxy-Authorization");
  range @36 $commonText("Range");
  referer @37 $commonText("Referer");
  refresh @38 $commonText("Refresh");
  retryAfter @39 $commonText("Retry-After");
  server @40 $commonText("Server");
  setCookie @41 $commonText("Set-Cookie");
  strictTransportSecurity @42 $commonText("Strict-Transport-Security");
  transferEncoding @43 $commonText("Transfer-Encoding");
  userAgent @44 $commonText("User-Agent");
  vary @45 $commonText("Vary");
  via @46 $commonText("Via");
  wwwAuthenticate @47 $commonText("WWW-Authenticate");
}

enum CommonHeaderValue {
  invalid @0;
  gzipDeflate @1 $commonText("gzip, deflate");
}

struct HttpHeader {
  union {
    common :group {
      name @0 :CommonHeaderName;
      union {
        commonValue @1 :CommonHeaderValue;
        value @2 :Text;
      }
    }
    uncommon @3 :NameValue;
  }

  struct NameValue {
    name @0 :Text;
    value @1 :Text;
  }
}
