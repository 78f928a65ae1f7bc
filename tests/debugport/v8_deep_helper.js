// Test helper for deeply nested values: node's own V8 serializer as the reference.
//
// Like v8_node_helper.js, but every walk is iterative, so values thousands of
// levels deep can be described (run node with a larger --stack-size so that V8
// itself can serialize and deserialize them).
//
// Reads one JSON request on stdin and writes one JSON reply on stdout:
//   request: {"exprs": {name: jsExpression}, "decode": {name: hex}, "describe": bool}
//   reply:   {"exprs": {name: {"node": hex, "desc": flat} | {"error": msg}},
//             "decode": {name: {"desc": flat} | {"error": msg}}}
// "node" is v8.serialize of the value.  "flat" is a flat list of tokens, one
// per value in pre-order (see describeFlat); it is null when "describe" is false.
'use strict';
const v8 = require('v8');

function doubleHex(n) {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(n);
  return b.toString('hex');
}

// A property key in the list of values still to visit.
class Key {
  constructor(name) { this.name = name; }
}

// Tokens, in pre-order: each container's token gives its child count, then its
// children follow (object and array properties as ["key", name] then the value).
// Objects get ids in first-visit order; later visits give ["ref", id].
function describeFlat(root) {
  const out = [];
  const seen = new Map();
  let next = 0;
  const todo = [root];
  const own = (v) => Object.keys(v).flatMap((k) => [new Key(k), v[k]]);
  while (todo.length) {
    const v = todo.pop();
    if (v instanceof Key) { out.push(['key', v.name]); continue; }
    if (v === undefined) { out.push(['undefined']); continue; }
    if (v === null) { out.push(['null']); continue; }
    switch (typeof v) {
      case 'boolean': out.push(['bool', v]); continue;
      case 'number': out.push(['number', doubleHex(v)]); continue;
      case 'bigint': out.push(['bigint', v.toString()]); continue;
      case 'string': out.push(['string', v]); continue;
      case 'object': break;
      default: out.push(['unsupported', typeof v]); continue;
    }
    if (seen.has(v)) { out.push(['ref', seen.get(v)]); continue; }
    const id = next++;
    seen.set(v, id);
    let children = [];
    if (Array.isArray(v)) {
      children = own(v);
      out.push(['array', id, v.length, children.length / 2]);
    } else if (v instanceof Map) {
      for (const [k, x] of v) children.push(k, x);
      out.push(['map', id, v.size]);
    } else if (v instanceof Set) {
      children = [...v];
      out.push(['set', id, v.size]);
    } else if (v instanceof Date) {
      out.push(['date', id, doubleHex(v.getTime())]);
    } else if (v instanceof RegExp) {
      out.push(['regexp', id, v.source, v.flags]);
    } else if (v instanceof Error) {
      const message = Object.prototype.hasOwnProperty.call(v, 'message') ? v.message : null;
      const stack = typeof v.stack === 'string' ? v.stack : null;
      const hasCause = Object.prototype.hasOwnProperty.call(v, 'cause');
      if (hasCause) children = [v.cause];
      out.push(['error', id, v.name, message, stack, hasCause]);
    } else if (v instanceof ArrayBuffer) {
      const max = v.resizable ? v.maxByteLength : null;
      out.push(['arraybuffer', id, Buffer.from(v).toString('hex'), max]);
    } else if (ArrayBuffer.isView(v)) {
      const kind = Object.prototype.toString.call(v).slice(8, -1);
      children = [v.buffer];
      out.push(['view', id, kind, v.byteOffset, v.byteLength]);
    } else if (v instanceof Number || v instanceof String || v instanceof Boolean ||
               v instanceof BigInt) {
      children = [v.valueOf()];
      out.push(['boxed', id]);
    } else {
      children = own(v);
      out.push(['object', id, children.length / 2]);
    }
    for (let i = children.length - 1; i >= 0; i--) todo.push(children[i]);
  }
  return out;
}

function main() {
  const request = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const wanted = request.describe !== false;
  const reply = { exprs: {}, decode: {} };
  for (const [name, expr] of Object.entries(request.exprs || {})) {
    try {
      const value = (0, eval)(`(${expr})`);
      reply.exprs[name] = {
        node: v8.serialize(value).toString('hex'),
        desc: wanted ? describeFlat(value) : null,
      };
    } catch (err) {
      reply.exprs[name] = { error: String(err && err.message) };
    }
  }
  for (const [name, hex] of Object.entries(request.decode || {})) {
    try {
      const value = v8.deserialize(Buffer.from(hex, 'hex'));
      reply.decode[name] = { desc: wanted ? describeFlat(value) : null };
    } catch (err) {
      reply.decode[name] = { error: String(err && err.message) };
    }
  }
  process.stdout.write(JSON.stringify(reply));
}

main();
