// Test helper: node's own V8 serializer as the reference for debugport/v8.py.
//
// Reads one JSON request on stdin and writes one JSON reply on stdout:
//   request: {"exprs": {name: jsExpression}, "decode": {name: hex}}
//   reply:   {"exprs": {name: {"node": hex, "plain": hex, "desc": desc} | {"error": msg}},
//             "decode": {name: {"desc": desc} | {"error": msg}}}
// "node" is v8.serialize (node's serializer: Buffers and typed arrays become
// host objects); "plain" is a bare v8.Serializer with a header, V8's own form.
// "desc" is a canonical JSON description of a value (see describe()).
'use strict';
const v8 = require('v8');

function plainSerialize(value) {
  const ser = new v8.Serializer();
  ser.writeHeader();
  ser.writeValue(value);
  return ser.releaseBuffer().toString('hex');
}

function doubleHex(n) {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(n);
  return b.toString('hex');
}

// A canonical, JSON-able description.  Objects get ids in first-visit order;
// later visits give ["ref", id], so sharing and cycles are part of it.
function describe(root) {
  const seen = new Map();
  let next = 0;
  const props = (v) => Object.keys(v).map((k) => [k, d(v[k])]);
  function d(v) {
    if (v === undefined) return ['undefined'];
    if (v === null) return ['null'];
    switch (typeof v) {
      case 'boolean': return ['bool', v];
      case 'number': return ['number', doubleHex(v)];
      case 'bigint': return ['bigint', v.toString()];
      case 'string': return ['string', v];
      case 'object': break;
      default: return ['unsupported', typeof v];
    }
    if (seen.has(v)) return ['ref', seen.get(v)];
    const id = next++;
    seen.set(v, id);
    if (Array.isArray(v)) return ['array', id, v.length, props(v)];
    if (v instanceof Map) return ['map', id, [...v].map(([k, x]) => [d(k), d(x)])];
    if (v instanceof Set) return ['set', id, [...v].map(d)];
    if (v instanceof Date) return ['date', id, doubleHex(v.getTime())];
    if (v instanceof RegExp) return ['regexp', id, v.source, v.flags];
    if (v instanceof Error) {
      const message = Object.prototype.hasOwnProperty.call(v, 'message') ? v.message : null;
      const stack = typeof v.stack === 'string' ? v.stack : null;
      const cause = Object.prototype.hasOwnProperty.call(v, 'cause') ? d(v.cause) : ['nocause'];
      return ['error', id, v.name, message, stack, cause];
    }
    if (v instanceof ArrayBuffer) {
      const max = v.resizable ? v.maxByteLength : null;
      return ['arraybuffer', id, Buffer.from(v).toString('hex'), max];
    }
    if (ArrayBuffer.isView(v)) {
      const kind = Object.prototype.toString.call(v).slice(8, -1);
      return ['view', id, kind, v.byteOffset, v.byteLength, d(v.buffer)];
    }
    if (v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt) {
      return ['boxed', id, d(v.valueOf())];
    }
    return ['object', id, props(v)];
  }
  return d(root);
}

function main() {
  const request = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const reply = { exprs: {}, decode: {}, versions: process.versions };
  for (const [name, expr] of Object.entries(request.exprs || {})) {
    try {
      const value = (0, eval)(`(${expr})`);
      reply.exprs[name] = {
        node: v8.serialize(value).toString('hex'),
        plain: plainSerialize(value),
        desc: describe(value),
      };
    } catch (err) {
      reply.exprs[name] = { error: String(err && err.message) };
    }
  }
  for (const [name, hex] of Object.entries(request.decode || {})) {
    try {
      reply.decode[name] = { desc: describe(v8.deserialize(Buffer.from(hex, 'hex'))) };
    } catch (err) {
      reply.decode[name] = { error: String(err && err.message) };
    }
  }
  process.stdout.write(JSON.stringify(reply));
}

main();
