# Identity of a deployed script version. Restated for wire compatibility from
# upstream cloudflare/workerd src/workerd/io/script-version.capnp.

@0xd3b6bb739ff1b77a;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("workerd");

struct ScriptVersion {
  id @0 :Text;
  tag @1 :Text;
  message @2 :Text;
}
