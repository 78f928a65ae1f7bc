// The `main` test worker: the target that debug-port tests reach, directly over HTTP, through
// workerd's own debug port, or (later) through a Python-hosted one.
//
// Every response is JSON so that tests compare values, never formatted text.
import { DurableObject, RpcTarget, WorkerEntrypoint } from "cloudflare:workers";

// The message of the error `fail()` throws; tests look for it verbatim (only handlers may be
// exported from a worker module, so the tests restate it).
const FAIL_MESSAGE = "expected failure from the test worker";
// The error a response body stream fails with part-way (/fail-body).
const BODY_FAIL_MESSAGE = "response body failed on purpose";

async function describeRequest(request, props, entrypoint) {
  const headers = [];
  for (const [name, value] of request.headers) headers.push([name, value]);
  return {
    entrypoint,
    method: request.method,
    url: request.url,
    headers,
    body: request.body === null ? null : await request.text(),
    cf: request.cf === undefined ? null : request.cf,
    props: props === undefined ? null : props,
  };
}

function json(value, status = 200) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json" },
  });
}

// What each /endless body did, by tag: { state: "streaming" | "cancelled", sent }.
const ENDLESS = new Map();

// A WebSocket that sends every message straight back, and says goodbye on close.
function webSocketEcho() {
  const [client, server] = Object.values(new WebSocketPair());
  server.accept();
  server.addEventListener("message", (event) => server.send(event.data));
  server.addEventListener("close", (event) => server.close(event.code, "echo closing"));
  return new Response(null, { status: 101, webSocket: client });
}

// A stateful object handed out by RPC, so that tests see stubs (capabilities) in results.
class Tally extends RpcTarget {
  constructor(start) {
    super();
    this.total = start;
  }
  add(n) {
    this.total += n;
    return this.total;
  }
  // A second object from the first: stubs that calls on a stub return.
  spawn() {
    return new Tally(this.total);
  }
}

// Methods shared by the default and the named entrypoint.
class Common extends WorkerEntrypoint {
  add(a, b) {
    return a + b;
  }
  echo(value) {
    return value;
  }
  fail() {
    throw new Error(FAIL_MESSAGE);
  }
  failType() {
    throw new TypeError("wrong type on purpose");
  }
  failDom() {
    throw new DOMException("aborted on purpose", "AbortError");
  }
  props() {
    return this.ctx.props === undefined ? null : this.ctx.props;
  }
  // One value of each kind V8 serialization carries that JSON does not.
  types() {
    return {
      string: "héllo ✓",
      int: 42,
      negative: -7,
      float: 1.5,
      bigint: 12345678901234567890n,
      yes: true,
      nothing: null,
      missing: undefined,
      array: [1, "two", [3]],
      sparse: [1, , 3],
      map: new Map([["a", 1], [2, "b"]]),
      set: new Set([1, 2, 3]),
      date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)),
      bytes: new Uint8Array([0, 1, 2, 255]),
      buffer: new Uint8Array([9, 8, 7]).buffer,
      floats: new Float64Array([0.5, -2]),
      regexp: /ab+c/gi,
      error: new RangeError("an error as a value"),
      nested: { deeper: { deepest: [{}] } },
    };
  }
  // Calls back into a function the caller passed: exercises capabilities in arguments.
  async callWith(fn, value) {
    return await fn(value);
  }
  tally(start) {
    return new Tally(start);
  }
  // A JS function as the result, and stubs inside a structure.
  adder(n) {
    return (x) => x + n;
  }
  // A stream as the result: a host object the Python client does not take.
  stream() {
    return new ReadableStream({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2]));
        controller.close();
      },
    });
  }
  // A result with a disposer (runs when the caller lets the result go) and a stub in it.
  disposable(start) {
    return {
      tally: new Tally(start),
      [Symbol.dispose]() {
        globalThis.disposals = (globalThis.disposals || 0) + 1;
      },
    };
  }
  disposals() {
    return globalThis.disposals || 0;
  }
  // A stub, then a host object the Python client does not take, in one result.
  stubThenStream() {
    return [new Tally(1), new ReadableStream()];
  }
  pair(start) {
    return { tally: new Tally(start), label: "pair", more: [new Tally(start * 10)] };
  }
  async sleep(ms) {
    await scheduler.wait(ms);
    return ms;
  }
}

export class Rpc extends Common {
  async fetch(request) {
    return json(await describeRequest(request, this.ctx.props, "Rpc"));
  }
}

export default class Main extends Common {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/ws") {
      if (request.headers.get("upgrade") !== "websocket") return json({ error: "expected a WebSocket upgrade" }, 426);
      return webSocketEcho();
    }
    if (url.pathname === "/ws-bare") {
      // An echo that answers any close frame with close() and no code.
      const [client, server] = Object.values(new WebSocketPair());
      server.accept();
      server.addEventListener("message", (event) => server.send(event.data));
      server.addEventListener("close", () => server.close());
      return new Response(null, { status: 101, webSocket: client });
    }
    if (url.pathname === "/do/id") {
      // Durable Object IDs are derived from the namespace's unique key; tests ask for them here.
      const id = this.env.COUNTER.idFromName(url.searchParams.get("name") ?? "");
      return json({ id: id.toString() });
    }
    if (url.pathname === "/do/increment") {
      const stub = this.env.COUNTER.getByName(url.searchParams.get("name") ?? "");
      return json({ count: await stub.increment(1) });
    }
    if (url.pathname === "/count") {
      // Reads the request body as a stream and reports its size and a checksum, holding no copy.
      let bytes = 0;
      let sum = 0;
      for await (const chunk of request.body ?? []) {
        bytes += chunk.length;
        for (let i = 0; i < chunk.length; i += 4096) sum = (sum + chunk[i]) % 1000000007;
      }
      return json({ bytes, sum });
    }
    if (url.pathname === "/generate") {
      // Streams N bytes (byte i is i % 251) without building them in memory.
      const total = Number(url.searchParams.get("bytes") ?? "0");
      const size = 65536;
      let sent = 0;
      const body = new ReadableStream({
        pull(controller) {
          if (sent >= total) return controller.close();
          const n = Math.min(size, total - sent);
          const chunk = new Uint8Array(n);
          for (let i = 0; i < n; i++) chunk[i] = (sent + i) % 251;
          sent += n;
          controller.enqueue(chunk);
        },
      });
      return new Response(body, { headers: { "content-type": "application/octet-stream" } });
    }
    if (url.pathname === "/gen" || url.pathname === "/fixed") {
      // `bytes` bytes (byte i is i % 251) in chunks of `chunk`: of unknown length (/gen), or
      // through a FixedLengthStream (/fixed), whose length workerd sends ahead.
      const total = Number(url.searchParams.get("bytes") ?? "0");
      const chunk = Number(url.searchParams.get("chunk") ?? "65536");
      let sent = 0;
      const body = new ReadableStream({
        pull(controller) {
          if (sent >= total) return controller.close();
          const n = Math.min(chunk, total - sent);
          const part = new Uint8Array(n);
          for (let i = 0; i < n; i++) part[i] = (sent + i) % 251;
          sent += n;
          controller.enqueue(part);
        },
      });
      if (url.pathname === "/gen") return new Response(body);
      const fixed = new FixedLengthStream(total);
      body.pipeTo(fixed.writable);
      return new Response(fixed.readable);
    }
    if (url.pathname === "/endless") {
      // A body that never ends; /endless-state?tag= tells whether its reader cancelled it.
      const tag = url.searchParams.get("tag") ?? "";
      ENDLESS.set(tag, { state: "streaming", sent: 0 });
      const body = new ReadableStream({
        async pull(controller) {
          await scheduler.wait(5);
          controller.enqueue(new Uint8Array(1000).fill(1));
          ENDLESS.get(tag).sent += 1000;
        },
        cancel(reason) {
          ENDLESS.get(tag).state = "cancelled";
        },
      });
      return new Response(body);
    }
    if (url.pathname === "/endless-state") {
      return json(ENDLESS.get(url.searchParams.get("tag") ?? "") ?? null);
    }
    if (url.pathname === "/fail-body") {
      // Sends `after` bytes of body, then errors the stream (how=error) or never ends it
      // (how=hang, which workerd's hang detection cancels).
      const after = Number(url.searchParams.get("after") ?? "0");
      const how = url.searchParams.get("how") ?? "error";
      let sent = 0;
      const body = new ReadableStream({
        async pull(controller) {
          if (sent >= after) {
            if (how === "hang") await new Promise(() => {});
            controller.error(new Error(BODY_FAIL_MESSAGE));
            return;
          }
          const n = Math.min(1000, after - sent);
          controller.enqueue(new Uint8Array(n).fill(120));
          sent += n;
        },
      });
      return new Response(body, { headers: { "content-type": "application/octet-stream" } });
    }
    if (url.pathname === "/echo-stream") {
      // Streams the request body back as it arrives: the response starts before the body ends.
      return new Response(request.body, { headers: { "content-type": "application/octet-stream" } });
    }
    if (url.pathname === "/ignore-body") {
      // Answers at once with a body of `bytes` bytes and never reads the request body.
      const total = Number(url.searchParams.get("bytes") ?? "0");
      return new Response(new Uint8Array(total).fill(121));
    }
    if (url.pathname === "/status") {
      return json({ status: Number(url.searchParams.get("code") ?? "200") }, Number(url.searchParams.get("code") ?? "200"));
    }
    return json(await describeRequest(request, this.ctx.props, "default"));
  }
}

// A Durable Object whose count lives in (in-memory) storage, so it survives across calls.
export class Counter extends DurableObject {
  async increment(by = 1) {
    const count = ((await this.ctx.storage.get("count")) ?? 0) + by;
    await this.ctx.storage.put("count", count);
    return count;
  }
  async get() {
    return (await this.ctx.storage.get("count")) ?? 0;
  }
  id() {
    return { id: this.ctx.id.toString(), name: this.ctx.id.name ?? null };
  }
  fail() {
    throw new Error(FAIL_MESSAGE);
  }
  async fetch(request) {
    const count = await this.increment(1);
    return json({ count, id: this.ctx.id.toString(), request: await describeRequest(request, undefined, "Counter") });
  }
}

// An ephemeral actor: no storage, any string is an ID, state lives in the instance.
export class EphemeralCounter extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.count = 0;
  }
  increment(by = 1) {
    this.count += by;
    return this.count;
  }
  async fetch(request) {
    return json({ count: this.increment(1), id: this.ctx.id.toString() });
  }
}
