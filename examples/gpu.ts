// A two-layer perceptron forward pass on the GPU where the hub has one (gpu.matmul,
// gpu.map); elsewhere the same calls run on the CPU. Returns the sum of the outputs.
//   weave build examples/gpu.ts && weave run build/gpu.wasm 64 128 32
// `weave build --require gpu` would keep the job off hubs without a GPU.
import { gpu } from "weave";

function init(len: i32, seed: i32): Float32Array {
  const a = new Float32Array(len);
  let s = seed;
  for (let i = 0; i < len; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    a[i] = <f32>(s % 2001 - 1000) / 1000.0;
  }
  return a;
}

export function mlp(batch: i32, hidden: i32, features: i32): f64 {
  const x = init(batch * features, 1);
  const w1 = init(features * hidden, 2);
  const w2 = init(hidden * features, 3);
  const h = new Float32Array(batch * hidden);
  const y = new Float32Array(batch * features);
  gpu.matmul(x, w1, h, batch, hidden, features);
  gpu.map(gpu.RELU, h, h, h);
  gpu.matmul(h, w2, y, batch, features, hidden);
  let sum: f64 = 0;
  for (let i = 0; i < y.length; i++) sum += <f64>y[i];
  return sum;
}
