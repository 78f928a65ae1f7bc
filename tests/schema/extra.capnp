# Extra coverage: streaming, generic methods, named param structs, unions with
# explicit ordinals, constants referring to constants, defaults of every shape.
@0xc3a4e5f60718293a;

using Stream = import "/capnp/stream.capnp";

struct Req(T) {
  key @0 :Text;
  value @1 :T;
  choice :union {
    none @2 :Void;
    count @3 :UInt32 = 7;
  }
  tags @4 :List(Text) = ["a", "b"];
  nested :group {
    x @5 :Float32 = -0.0;
    y @6 :Bool = true;
  }
}

interface Sink(T) {
  write @0 (chunk :Data) -> stream;
  done @1 () -> ();
  map @2 [U] (req :Req(U)) -> (out :Req(T));
  raw @3 Req(Text) -> Req(T);
}

interface Sub extends(Sink(Text)) {
  extra @0 (n :Int8 = -5) -> (ok :Bool);
}

const base :Int32 = -0x10;
const derived :Int32 = .base;
const req :Req(Text) = (key = "k", choice = (count = 9), nested = (x = 1.5));

struct ListsOfAny {
  lists @0 :List(AnyList);
  caps @1 :List(Capability);
}

const pointFive :Float32 = 5.;
const pointExp :Float64 = 5.e3;

# Unions in groups in unions whose fields grow without the layout old compilers got wrong.
struct GrownInGroups {
  union {
    a @0 :Int64;
    g :group { x @1 :Int32; u :union { b @2 :Int32; c @3 :Int64; } }
    h :group { v :union { d @5 :Int32; e @6 :Int64; } y @4 :Int32; }
  }
}

# Retroactive unions ("@N!"): a field that became a union member keeps its place.
struct Retro {
  x @0 :Text;
  u @2! :union {
    a @1 :Text;
    b @3 :Bool;
    g :group { c @4 :Float64; d @5 :Text; }
  }
  tail @6 :Int16;
}
