# Result type of `-> stream` methods. The ID is fixed by upstream
# (capnproto c++/src/capnp/stream.capnp) and is what the compiler uses.

@0x86c366a91393f3f8;

$import "/capnp/c++.capnp".namespace("capnp");

struct StreamResult @0x995f9a3377c0b16e {
}
