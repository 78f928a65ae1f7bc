# A JavaScript value assembled outside a JS context (used for `ctx.props`).
# Restated for wire compatibility from upstream cloudflare/workerd
# src/workerd/io/frankenvalue.capnp.

@0xcc3b225cb3101aba;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("workerd::rpc");
$Cxx.allowCancellation;

struct Frankenvalue {
  union {
    emptyObject @0 :Void;
    json @1 :Text;
    v8Serialized @2 :Data;
    arrayBuffer @9 :Data;
    capability :group {
      capIndex @7 :UInt32;
      # Index into the base cap table (must be below capTableSize).
      tag @8 :UInt16;
      # A SerializationTag value saying how to turn the cap into a JS value.
    }
  }

  properties @3 :List(Frankenvalue);
  # Extra properties set on the (object) base value; each one has a `name`.

  name @4 :Text;
  capTableSize @5 :UInt32 = 0;
  capTable @6 :AnyPointer;
  # Format of the cap table depends on the transport; callers handle it.
}
