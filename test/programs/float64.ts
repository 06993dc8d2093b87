// f64 arguments and result: numerically integrates sin(k*x) * exp(-x) over
// [0, upper] with the midpoint rule. Uses the AssemblyScript Math (pure wasm),
// so the result is bit-identical on every engine.

/** Integrates sin(k*x) * exp(-x) over [0, upper] with `n` midpoint samples. */
export function integrate(k: f64, upper: f64, n: i32): f64 {
  const h = upper / <f64>n;
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    const x = (<f64>i + 0.5) * h;
    sum += Math.sin(k * x) * Math.exp(-x);
  }
  return sum * h;
}
