// Calls every function of the `weave` AssemblyScript library, so test/host.test.ts can
// check the library's imports against wit/weave-host.wit, and run them end to end.
import { simd, gpu, data, io, control } from "weave";

function fill32(n: i32, seed: i32): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = <f32>((i * seed) % 97) / 7.0 - 5.0;
  return a;
}

function fill64(n: i32, seed: i32): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = <f64>((i * seed) % 101) / 3.0 - 11.0;
  return a;
}

// Mixes every call's result into one f64, step by step, so a wrong bit anywhere shows.
export function everything(n: i32, rounds: i32): f64 {
  let acc: f64 = 0;
  const x = fill32(n, 3);
  const y = fill32(n, 5);
  const x64 = fill64(n, 7);
  const y64 = fill64(n, 11);
  const m = 5, k = 7;
  const a = fill32(m * k, 13);
  const b = fill32(k * n, 17);
  const c = new Float32Array(m * n);
  const a64 = fill64(m * k, 19);
  const b64 = fill64(k * n, 23);
  const c64 = new Float64Array(m * n);
  const out = new Float32Array(n);
  const inLen = <i32>io.inputLength();
  const input = new Uint8Array(inLen);
  io.read(0, input);
  for (let i = 0; i < inLen; i++) acc += <f64>input[i];
  for (let r = 0; r < rounds; r++) {
    acc = acc * 0.5 + <f64>simd.dot(x, y);
    acc = acc * 0.5 + simd.dot64(x64, y64);
    acc = acc * 0.5 + <f64>simd.sum(x);
    acc = acc * 0.5 + simd.sum64(y64);
    simd.axpy(<f32>0.25, x, y);
    simd.axpy64(-0.5, x64, y64);
    simd.matmul(a, b, c, m, n, k);
    simd.matmul64(a64, b64, c64, m, n, k);
    acc = acc * 0.5 + <f64>simd.sum(c) + simd.sum64(c64);
    gpu.map(gpu.MUL, x, y, out);
    gpu.map(gpu.RELU, out, out, out);
    gpu.matmul(a, b, c, m, n, k);
    acc = acc * 0.5 + <f64>simd.sum(out) + <f64>simd.sum(c);
    control.progress(<f64>(r + 1), <f64>rounds);
  }
  control.log("everything: done", 1);
  io.writeString("acc=" + acc.toString() + "\n");
  const len = data.length("bytes");
  if (len > 0) {
    const buf = new Uint8Array(<i32>len);
    const got = data.read("bytes", 0, buf);
    for (let i = 0; i < <i32>got; i++) acc += <f64>buf[i] * <f64>(i + 1);
  }
  return acc;
}
