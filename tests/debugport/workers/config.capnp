# workerd config for the debug-port tests (see workerd_fixture.py).
#
#   workerd serve --experimental --debug-port 127.0.0.1:0 config.capnp
#
# Socket addresses here are placeholders: the fixture overrides each one with an ephemeral
# loopback port (--socket-addr) and learns the bound ports from --control-fd.

using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .mainWorker),
    (name = "viaport", worker = .viaportWorker),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:0", http = (), service = "main"),
    (name = "viaport", address = "127.0.0.1:0", http = (), service = "viaport"),
  ],
);

const mainWorker :Workerd.Worker = (
  modules = [(name = "main.js", esModule = embed "main.js")],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["nodejs_compat"],
  durableObjectNamespaces = [
    (className = "Counter", uniqueKey = "capnp-lite-tests-counter"),
    (className = "EphemeralCounter", ephemeralLocal = void),
  ],
  durableObjectStorage = (inMemory = void),
  bindings = [
    (name = "COUNTER", durableObjectNamespace = "Counter"),
    (name = "EPHEMERAL", durableObjectNamespace = "EphemeralCounter"),
  ],
);

const viaportWorker :Workerd.Worker = (
  modules = [(name = "viaport.js", esModule = embed "viaport.js")],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [(name = "DEBUG_PORT", workerdDebugPort = void)],
);
