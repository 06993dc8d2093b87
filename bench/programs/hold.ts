// Bench program: a fragment that holds `kib` KiB of live state and rewrites all of it
// `steps` times, so every pause has the whole buffer dirty (a diff is as big as the state).
// With `touch` = 0 each step changes one word in the first 4 KiB: diffs at work.
export function hold(kib: i32, steps: i32, touch: i32): f64 {
  const n = (kib << 10) >> 2;
  const buf = new Int32Array(n);
  let sum: f64 = 0;
  for (let s = 0; s < steps; s++) {
    if (touch) {
      for (let i = 0; i < n; i++) buf[i] = buf[i] * 3 + i + s;
    } else {
      buf[s & 1023] += s;
    }
    sum += <f64>buf[s % n];
  }
  return sum;
}
