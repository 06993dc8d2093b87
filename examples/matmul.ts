// Dense matrix multiply: C = A * B over n x n Float64Arrays, repeated `reps`
// times. Between repetitions A is nudged by a value read back from C, so no
// repetition can be skipped or hoisted. Returns a weighted checksum of C.
//
//   npx weave build examples/matmul.ts -o build/matmul.wasm
//   npx weave run build/matmul.wasm matmul 16 4      # small
//   npx weave run build/matmul.wasm matmul 200 40    # large (benchmark)

function fill(m: Float64Array, n: i32, seed: i32): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // Small integers scaled down: exact in f64, different per cell and seed.
      const v = ((i * 31 + j * 17 + seed * 7) % 23) - 11;
      m[i * n + j] = <f64>v / 8.0;
    }
  }
}

// i-k-j loop order keeps the inner loop walking B and C row-wise.
function multiply(a: Float64Array, b: Float64Array, c: Float64Array, n: i32): void {
  c.fill(0);
  for (let i = 0; i < n; i++) {
    const rowA = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[rowA + k];
      const rowB = k * n;
      for (let j = 0; j < n; j++) {
        c[rowA + j] += aik * b[rowB + j];
      }
    }
  }
}

function checksum(c: Float64Array, n: i32): f64 {
  let sum: f64 = 0;
  for (let i = 0; i < n * n; i++) {
    sum += c[i] * <f64>((i % 13) + 1);
  }
  return sum;
}

/** Multiplies two deterministic n x n matrices `reps` times; returns a checksum. */
export function matmul(n: i32, reps: i32): f64 {
  const a = new Float64Array(n * n);
  const b = new Float64Array(n * n);
  const c = new Float64Array(n * n);
  fill(a, n, 1);
  fill(b, n, 2);
  let total: f64 = 0;
  for (let r = 0; r < reps; r++) {
    multiply(a, b, c, n);
    const sum = checksum(c, n);
    total += sum;
    // Feed the result back so each repetition depends on the previous one.
    const idx = r % (n * n);
    a[idx] = a[idx] + sum * 1e-6;
  }
  return total;
}
