# Flow-controlled byte stream over RPC, as used by http-over-capnp and by
# workerd for request/response bodies. Restated for wire compatibility from
# upstream capnproto c++/src/capnp/compat/byte-stream.capnp (the revision
# workerd builds against, which has startTls).

@0x8f5d14e1c273738d;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("capnp");
$Cxx.allowCancellation;

interface ByteStream {
  write @0 (bytes :Data) -> stream;
  end @1 ();
  # Clean end of stream; dropping the capability without it means abort.

  getSubstream @2 (callback :SubstreamCallback,
                   limit :UInt64 = 0xffffffffffffffff) -> (substream :ByteStream);
  # Hands out a child stream for at most `limit` bytes (pump shortening).

  startTls @3 (expectedServerHostname :Text) -> stream;

  interface SubstreamCallback {
    ended @0 (byteCount :UInt64);
    reachedLimit @1 () -> (next :ByteStream);
  }
}
