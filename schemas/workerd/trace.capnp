# Tracing helper types imported by worker-interface.capnp. Restated for wire
# compatibility from upstream cloudflare/workerd src/workerd/io/trace.capnp.
#
# UserSpanData is only referenced by an obsolete Trace field (ordinal 26), so
# only its ID (derived from this file's ID and its name) matters to us. Its
# fields are reconstructed from how workerd fills it and are not verified
# against the schema text.

@0xc40f73be329a38d9;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("workerd::rpc");

struct TagValue {
  union {
    string @0 :Text;
    bool @1 :Bool;
    int64 @2 :Int64;
    float64 @3 :Float64;
  }
}

struct Tag {
  key @0 :Text;
  value @1 :TagValue;
}

struct UserSpanData {
  operationName @0 :Text;
  startTimeNs @1 :Int64;
  endTimeNs @2 :Int64;
  tags @3 :List(Tag);
  spanId @4 :UInt64;
  parentSpanId @5 :UInt64;
}
