// f32 arguments and result: iterates the logistic map in single precision.
// Every step rounds to f32, so a resumed run matches only if the f32 bits
// are restored exactly (not widened to f64 and back in between).

/** Iterates x = r * x * (1 - x) `n` times from `x0`; returns x plus a running sum scaled down. */
export function logistic32(r: f32, x0: f32, n: i32): f32 {
  let x = x0;
  let sum: f32 = 0;
  for (let i = 0; i < n; i++) {
    x = r * x * (<f32>1 - x);
    sum += x;
  }
  return x + sum / <f32>(n + 1);
}
