// The ONNX Runtime peer of `attnviz bench` (make bench-peer): one head of
// causal self-attention as ONNX Runtime runs it on the CPU, Q/K/V projections
// as MatMul and the attention as its fused GroupQueryAttention kernel
// (causal, one head). The model is written here as ONNX protobuf bytes (a
// few message types, no protobuf library needed).
//
//   node peer_ort.js check DIR N D     compare with attnviz bench --dump DIR
//   node peer_ort.js time --n LIST --dim D --threads LIST --reps R   -> CSV
//
// ORT_MODULE names the onnxruntime-node directory (bench/peer.sh installs it
// with npm, scripts disabled). A benchmark only: attnviz never needs it.
'use strict';
const fs = require('fs');
const ort = require(process.env.ORT_MODULE || 'onnxruntime-node');

// ---- protobuf encoding (varint, length-delimited, fixed32) ----------------
function varint(v) {
  const out = [];
  let n = BigInt(v);
  while (n > 127n) {
    out.push(Number(n & 127n) | 128);
    n >>= 7n;
  }
  out.push(Number(n));
  return Buffer.from(out);
}
const tag = (field, wire) => varint((field << 3) | wire);
const int = (field, v) => Buffer.concat([tag(field, 0), varint(v)]);
const bytes = (field, buf) => Buffer.concat([tag(field, 2), varint(buf.length), buf]);
const str = (field, s) => bytes(field, Buffer.from(s, 'utf8'));
function f32(field, v) {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return Buffer.concat([tag(field, 5), b]);
}
const msg = (...parts) => Buffer.concat(parts);

const FLOAT = 1, INT32 = 6;
// TensorProto: dims 1, data_type 2, name 8, raw_data 9
function tensor(name, dims, type, raw) {
  return msg(...dims.map((d) => int(1, d)), int(2, type), str(8, name), bytes(9, raw));
}
// ValueInfoProto: name 1, type 2 { tensor_type 1 { elem_type 1, shape 2 { dim 1 { dim_value 1 | dim_param 2 } } } }
function valueInfo(name, type, dims) {
  const shape = msg(...dims.map((d) => bytes(1, typeof d === 'string' ? str(2, d) : int(1, d))));
  return msg(str(1, name), bytes(2, bytes(1, msg(int(1, type), bytes(2, shape)))));
}
// AttributeProto: name 1, f 2, i 3, type 20 (FLOAT 1, INT 2)
const attrInt = (name, v) => msg(str(1, name), int(3, v), int(20, 2));
const attrFloat = (name, v) => msg(str(1, name), f32(2, v), int(20, 1));
// NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, domain 7
function node(op, inputs, outputs, attrs = [], domain = '') {
  return msg(...inputs.map((i) => str(1, i)), ...outputs.map((o) => str(2, o)), str(3, op + '_' + outputs[0]),
    str(4, op), ...attrs.map((a) => bytes(5, a)), ...(domain ? [str(7, domain)] : []));
}

// X (1, n, d) -> Z (1, n, d); W_q, W_k, W_v (d, d) as initializers.
function attentionModel(d, Wq, Wk, Wv) {
  const raw = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const graph = msg(
    bytes(1, node('MatMul', ['X', 'W_q'], ['Q'])),
    bytes(1, node('MatMul', ['X', 'W_k'], ['K'])),
    bytes(1, node('MatMul', ['X', 'W_v'], ['V'])),
    bytes(1, node('GroupQueryAttention', ['Q', 'K', 'V', '', '', 'seqlens_k', 'total_len'],
      ['Z', 'present_k', 'present_v'],
      [attrInt('num_heads', 1), attrInt('kv_num_heads', 1), attrFloat('scale', 1 / Math.sqrt(d))],
      'com.microsoft')),
    str(2, 'attnviz_peer'),
    bytes(5, tensor('W_q', [d, d], FLOAT, raw(Wq))),
    bytes(5, tensor('W_k', [d, d], FLOAT, raw(Wk))),
    bytes(5, tensor('W_v', [d, d], FLOAT, raw(Wv))),
    bytes(11, valueInfo('X', FLOAT, [1, 'n', d])),
    bytes(11, valueInfo('seqlens_k', INT32, [1])),
    bytes(11, valueInfo('total_len', INT32, [])),
    bytes(12, valueInfo('Z', FLOAT, [1, 'n', d])));
  // ModelProto: ir_version 1, opset_import 8 { domain 1, version 2 }, graph 7
  return msg(int(1, 8), bytes(8, msg(str(1, ''), int(2, 17))),
    bytes(8, msg(str(1, 'com.microsoft'), int(2, 1))), bytes(7, graph));
}

async function session(model, threads) {
  return ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}

function feeds(X, n, d) {
  return {
    X: new ort.Tensor('float32', X, [1, n, d]),
    seqlens_k: new ort.Tensor('int32', Int32Array.from([n - 1]), [1]),
    total_len: new ort.Tensor('int32', Int32Array.from([n]), []),
  };
}

function readF32(dir, name) {
  const b = fs.readFileSync(`${dir}/${name}.f32`);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

async function check(dir, n, d) {
  const [X, Wq, Wk, Wv, Z] = ['X', 'W_q', 'W_k', 'W_v', 'Z'].map((k) => readF32(dir, k));
  const s = await session(attentionModel(d, Wq, Wk, Wv), 1);
  const got = (await s.run(feeds(X, n, d))).Z.data;
  let scale = 0, worst = 0;
  for (let i = 0; i < Z.length; i++) scale = Math.max(scale, Math.abs(Z[i]));
  for (let i = 0; i < Z.length; i++) worst = Math.max(worst, Math.abs(got[i] - Z[i]) / scale);
  if (!(worst <= 1e-4)) {
    console.error(`peer_ort.js: ONNX Runtime's attention differs from attnviz's: ${worst.toExponential(2)} relative`);
    process.exit(1);
  }
  console.error(`ONNX Runtime ${ort.env.versions.common} attention matches attnviz (n = ${n}: ${worst.toExponential(1)} relative)`);
}

const MIN_SAMPLE_S = 0.002;
const now = () => Number(process.hrtime.bigint()) * 1e-9;

// Median seconds per pass, as attnviz bench: a warm-up, then reps samples of
// enough passes to last MIN_SAMPLE_S.
async function medianTime(fn, reps) {
  let t0 = now();
  await fn();
  const once = now() - t0;
  const inner = once > 0 ? Math.max(1, Math.min(100000, Math.ceil(MIN_SAMPLE_S / once))) : 1000;
  const samples = [];
  for (let r = 0; r < reps; r++) {
    t0 = now();
    for (let k = 0; k < inner; k++) await fn();
    samples.push((now() - t0) / inner);
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  return samples.length % 2 ? samples[mid] : 0.5 * (samples[mid - 1] + samples[mid]);
}

async function time(args) {
  const ns = args.n.split(',').map(Number), threads = args.threads.split(',').map(Number);
  const d = Number(args.dim), reps = Number(args.reps);
  let seed = 685;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const g = Math.sqrt(6 / (2 * d));
  const W = () => Float32Array.from({ length: d * d }, () => rand() * g);
  const model = attentionModel(d, W(), W(), W());
  console.log('model,n,d,threads,median_ms,gflops');
  for (const t of threads) {
    const s = await session(model, t);
    for (const n of ns) {
      const f = feeds(Float32Array.from({ length: n * d }, rand), n, d);
      const sec = await medianTime(() => s.run(f), reps);
      const flops = 6 * n * d * d + 2 * d * n * (n + 1);
      console.log(`attention,${n},${d},${t},${(sec * 1e3).toFixed(6)},${(flops / sec * 1e-9).toFixed(3)}`);
    }
  }
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd === 'check') return check(rest[0], Number(rest[1]), Number(rest[2]));
  if (cmd === 'time') {
    const args = {};
    for (let i = 0; i + 1 < rest.length; i += 2) args[rest[i].replace(/^--/, '')] = rest[i + 1];
    return time(args);
  }
  console.error('usage: peer_ort.js check DIR N D | time --n LIST --dim D --threads LIST --reps R');
  process.exit(2);
}
main().catch((e) => {
  console.error(`peer_ort.js: ${e.message.split('\n')[0]}`);
  process.exit(1);
});
