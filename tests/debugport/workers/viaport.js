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

const RUNNERS = { fetch: runFetch, rpc: runRpc, websocket: runWebSocket };

export default {
  async fetch(request, env) {
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
