// Power iteration with the host's vector kernels: the dominant eigenvalue of an n x n
// matrix. simd.matmul and simd.dot run natively (AVX2) on hubs that have it and give the
// same bits everywhere, so the job may move between any hubs mid-loop.
//   weave build examples/simd.ts && weave run build/simd.wasm 256 40 --migrate-every 2
import { simd, control } from "weave";

export function power(n: i32, iters: i32): f64 {
  const a = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dist: i32 = i > j ? i - j : j - i;
      const d = <f32>(dist + 1);
      a[i * n + j] = <f32>((i * 7 + j * 13) % 17) / <f32>17 + <f32>1 / d;
    }
  }
  const v = new Float32Array(n);
  v.fill(1);
  const w = new Float32Array(n);
  let lambda: f32 = 0;
  for (let it = 0; it < iters; it++) {
    simd.matmul(a, v, w, n, 1, n); // w = A v
    lambda = simd.dot(w, v) / simd.dot(v, v);
    const norm = Mathf.sqrt(simd.dot(w, w));
    for (let i = 0; i < n; i++) v[i] = w[i] / norm;
    control.progress(<f64>(it + 1), <f64>iters);
  }
  return <f64>lambda;
}
