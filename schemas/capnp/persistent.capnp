# Level-2 persistence interface (SturdyRef save). Restated from upstream
# capnproto c++/src/capnp/persistent.capnp (1.x).

@0xb8630836983feed7;

$import "/capnp/c++.capnp".namespace("capnp");

interface Persistent @0xc8cb212fcd9f5691(SturdyRef, Owner) {
  save @0 SaveParams -> SaveResults;
  struct SaveParams {
    sealFor @0 :Owner;
  }
  struct SaveResults {
    sturdyRef @0 :SturdyRef;
  }
}

annotation persistent(interface, field) :Void;
