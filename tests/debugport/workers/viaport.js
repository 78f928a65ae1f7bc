// The `viaport` test worker: drives a debug port from inside workerd.
//
// POST / with a JSON plan:
//   { "address": "127.0.0.1:PORT",
//     "target": { "kind": "entrypoint", "service": "main", "entrypoint": "Rpc", "props": {...} }
//             | { "kind": "actor", "service": "main", "entrypoint": "Counter", "actorId": "..." },
//     "steps": [ { "kind": "fetch", "url": "...", "method": "POST", "headers": [[k, v]], "body": "..." }
//              | { "kind": "rpc", "method": "add", "args": [1, 2] }
//              | { "kind": "websocket", "url": "...", "messages": ["a", "b"] } ] }
// and answers { "results": [ {"ok": true, "value": ...} | {"ok": false, "error": {...}} ] }.
// The paths /forward, /drive and /drive-ws (below) stream bodies and WebSockets instead.
// All steps use one connection and one stub, in order, so state carried between calls shows.
//
// Values that JSON cannot carry are tagged: {"$map": [[k, v]]}, {"$set": [...]}, {"$date": iso},
// {"$bytes": [..]} (any typed array or ArrayBuffer, with "$type"), {"$bigint": "digits"},
// {"$undefined": true}, {"$error": {name, message}}, {"$regexp": [source, flags]},
// {"$stub": true} for an RPC stub. In arguments, {"$fn": "double"} becomes a function.

function toJson(value, depth = 0) {
  if (depth > 32) return { $tooDeep: true };
  if (value === undefined) return { $undefined: true };
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : { $number: String(value) };
  if (typeof value === "bigint") return { $bigint: value.toString() };
  if (typeof value === "function") return { $stub: true };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof RegExp) return { $regexp: [value.source, value.flags] };
  if (value instanceof Error) return { $error: { name: value.name, message: value.message } };
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [toJson(k, depth + 1), toJson(v, depth + 1)]) };
  if (value instanceof Set) return { $set: [...value].map((v) => toJson(v, depth + 1)) };
  if (value instanceof ArrayBuffer) return { $bytes: [...new Uint8Array(value)], $type: "ArrayBuffer" };
  if (ArrayBuffer.isView(value)) {
    return { $bytes: [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)], $type: value.constructor.name };
  }
  if (Array.isArray(value)) {
    const out = [];
    for (let i = 0; i < value.length; i++) out.push(i in value ? toJson(value[i], depth + 1) : { $hole: true });
    return out;
  }
  if (typeof value === "object") {
    // RPC stubs are proxies whose every property looks present; recognise them before walking.
    if (typeof value.dup === "function" && typeof value[Symbol.dispose] === "function") return { $stub: true };
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v, depth + 1);
    return out;
  }
  return { $unknown: typeof value };
}

const CALLBACKS = {
  double: (x) => x * 2,
  upper: (s) => String(s).toUpperCase(),
};

function fromJson(value) {
  if (Array.isArray(value)) return value.map(fromJson);
  if (value !== null && typeof value === "object") {
    if (typeof value.$fn === "string") {
      const fn = CALLBACKS[value.$fn];
      if (fn === undefined) throw new Error(`unknown callback ${value.$fn}`);
      return fn;
    }
    if (typeof value.$bigint === "string") return BigInt(value.$bigint);
    if (typeof value.$date === "string") return new Date(value.$date);
    if (Array.isArray(value.$bytes)) return new Uint8Array(value.$bytes);
    if (value.$undefined === true) return undefined;
    if (Array.isArray(value.$map)) return new Map(value.$map.map(([k, v]) => [fromJson(k), fromJson(v)]));
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromJson(v);
    return out;
  }
  return value;
}

function describeError(e) {
  if (e instanceof Error) {
    return { name: e.name, message: e.message, remote: e.remote === true };
  }
  return { name: typeof e, message: String(e) };
}

async function openStub(env, plan) {
  const client = await env.DEBUG_PORT.connect(plan.address);
  const t = plan.target;
  if (t.kind === "entrypoint") {
    return await client.getEntrypoint(t.service, t.entrypoint ?? undefined, t.props ?? undefined);
  }
  if (t.kind === "actor") {
    return await client.getActor(t.service, t.entrypoint, t.actorId);
  }
  throw new Error(`unknown target kind ${t.kind}`);
}

async function runFetch(stub, step) {
  const init = { method: step.method ?? "GET", headers: step.headers ?? [] };
  if (step.body !== undefined && step.body !== null) init.body = step.body;
  if (step.cf !== undefined) init.cf = step.cf;
  const response = await stub.fetch(step.url ?? "http://target/", init);
  const headers = [];
  for (const [name, value] of response.headers) headers.push([name, value]);
  const text = await response.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers, body };
}

async function runRpc(stub, step) {
  let target = stub;
  for (const name of step.path ?? []) target = target[name];
  const result = await target[step.method](...fromJson(step.args ?? []));
  if (step.then !== undefined) {
    // A follow-up call on the returned stub (e.g. a Tally), to see capabilities in results.
    const followUps = [];
    for (const call of step.then) followUps.push(toJson(await result[call.method](...fromJson(call.args ?? []))));
    return { value: toJson(result), then: followUps };
  }
  return toJson(result);
}

async function runWebSocket(stub, step) {
  const response = await stub.fetch(step.url ?? "http://target/ws", { headers: { upgrade: "websocket" } });
  const ws = response.webSocket;
  if (ws === null) return { status: response.status, received: null };
  ws.accept();
  const received = [];
  const done = new Promise((resolve) => {
    ws.addEventListener("message", (event) => {
      received.push(event.data);
      if (received.length === step.messages.length) resolve();
    });
    ws.addEventListener("close", () => resolve());
  });
  for (const message of step.messages) ws.send(message);
  await done;
  ws.close(1000, "done");
  return { status: response.status, received };
}


// -- paths that drive the binding with streamed bodies and WebSockets (besides POST / plans) --

// Byte i of a generated body is i % 251, in chunks of `chunk` bytes.
function generated(total, chunk) {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk, total - sent);
      const part = new Uint8Array(n);
      for (let i = 0; i < n; i++) part[i] = (sent + i) % 251;
      sent += n;
      controller.enqueue(part);
    },
  });
}

// Length and SHA-256 of a body (null for a null body), read to its end.
async function digest(stream) {
  if (stream === null) return null;
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return { len: bytes.length, sha: [...hash].map((b) => b.toString(16).padStart(2, "0")).join("") };
}

async function connectTo(env, address, service) {
  const client = await env.DEBUG_PORT.connect(address);
  return await client.getEntrypoint(service);
}

// GET/POST /forward?address=..&service=..&path=..: fetch(path, request) on the service, the
// incoming request (and its body) passed on as it is, and its response returned as it is.
async function forward(request, env, url) {
  const q = url.searchParams;
  const stub = await connectTo(env, q.get("address"), q.get("service"));
  return await stub.fetch("http://target" + q.get("path"), request);
}

// POST /drive with {address, service, url, method?, bodyKind?: "gen"|"fixed", bytes?, chunk?,
// read?: "all"|"text"|"partial", readBytes?}: one fetch through the binding; answers the status
// and the body's digest, its text, or (partial) the bytes read before the reader cancelled.
async function drive(plan, env) {
  const out = {};
  try {
    const stub = await connectTo(env, plan.address, plan.service);
    const init = { method: plan.method ?? "GET" };
    const chunk = plan.chunk ?? 65536;
    if (plan.bodyKind === "gen") init.body = generated(plan.bytes, chunk);
    if (plan.bodyKind === "fixed") {
      const fixed = new FixedLengthStream(plan.bytes);
      generated(plan.bytes, chunk).pipeTo(fixed.writable);
      init.body = fixed.readable;
    }
    const response = await stub.fetch(plan.url, init);
    out.status = response.status;
    if (plan.read === "partial") {
      const reader = response.body.getReader();
      let got = 0;
      while (got < plan.readBytes) {
        const { done, value } = await reader.read();
        if (done) break;
        got += value.length;
      }
      await reader.cancel("enough");
      out.got = got;
    } else if (plan.read === "text") {
      out.text = await response.text();
    } else {
      out.body = await digest(response.body);
    }
  } catch (e) {
    out.error = describeError(e);
  }
  return out;
}

// POST /drive-ws with {address, service, url, messages, expect, close?: [code, reason] | [],
// wait?}: sends the messages, waits for `expect` replies (or the close), then closes with
// `close` (an empty list: close() without arguments) and reports what the socket saw.
async function driveWebSocket(plan, env) {
  const stub = await connectTo(env, plan.address, plan.service);
  const response = await stub.fetch(plan.url, { headers: { upgrade: "websocket" } });
  const ws = response.webSocket;
  if (ws === null) return { status: response.status };
  ws.accept();
  const received = [];
  const errors = [];
  let closeEvent = null;
  let closed;
  const closedPromise = new Promise((resolve) => { closed = resolve; });
  let enough;
  const enoughPromise = new Promise((resolve) => { enough = resolve; });
  ws.addEventListener("message", (event) => {
    received.push(typeof event.data === "string" ? event.data : "bytes:" + event.data.byteLength);
    if (received.length >= (plan.expect ?? 0)) enough();
  });
  ws.addEventListener("close", (event) => {
    closeEvent = { code: event.code, reason: event.reason, wasClean: event.wasClean };
    enough();
    closed();
  });
  ws.addEventListener("error", (event) => errors.push(String(event.message ?? event.error ?? "error")));
  for (const message of plan.messages ?? []) {
    ws.send(typeof message === "object" ? new Uint8Array(message.bytes).fill(7) : message);
  }
  if ((plan.expect ?? 0) === 0) enough();
  const timeout = (ms) => new Promise((resolve) => setTimeout(() => resolve("timeout"), ms));
  const waited = await Promise.race([enoughPromise, timeout(plan.wait ?? 5000)]);
  if (plan.close !== undefined && closeEvent === null) {
    if (plan.close.length === 0) ws.close();
    else ws.close(...plan.close);
    await Promise.race([closedPromise, timeout(plan.wait ?? 5000)]);
  }
  // Errors reported after the close (a lost connection) show up here too.
  await timeout(plan.settle ?? 300);
  const shown = received.length > 20 ? received.slice(0, 3).concat(["...", received.length]) : received;
  return { status: response.status, received: shown, count: received.length, closeEvent, errors,
           timedOut: waited === "timeout" };
}

const RUNNERS = { fetch: runFetch, rpc: runRpc, websocket: runWebSocket };

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/forward") return await forward(request, env, url);
    if (url.pathname === "/drive") return Response.json(await drive(await request.json(), env));
    if (url.pathname === "/drive-ws") return Response.json(await driveWebSocket(await request.json(), env));
    if (request.method !== "POST") return new Response("POST a JSON plan", { status: 405 });
    const plan = await request.json();
    const results = [];
    let stub;
    try {
      stub = await openStub(env, plan);
    } catch (e) {
      return Response.json({ results: [{ ok: false, stage: "connect", error: describeError(e) }] });
    }
    for (const step of plan.steps ?? []) {
      const run = RUNNERS[step.kind];
      if (run === undefined) {
        results.push({ ok: false, error: { name: "PlanError", message: `unknown step kind ${step.kind}` } });
        continue;
      }
      try {
        results.push({ ok: true, value: await run(stub, step) });
      } catch (e) {
        results.push({ ok: false, error: describeError(e) });
      }
    }
    return Response.json({ results });
  },
};
