# Outcome of a Worker event. Restated for wire compatibility from upstream
# cloudflare/workerd src/workerd/io/outcome.capnp.

@0xe27bb9203d5e02a8;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("workerd");
$Cxx.allowCancellation;

enum EventOutcome {
  unknown @0;
  ok @1;
  exception @2;
  exceededCpu @3;
  killSwitch @4;
  daemonDown @5;
  scriptNotFound @6;
  canceled @7;
  exceededMemory @8;
  loadShed @9;
  responseStreamDisconnected @10;
}
