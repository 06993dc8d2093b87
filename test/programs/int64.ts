// i64 arguments and result: a 64-bit mixing loop (splitmix64 steps) that
// folds `n` outputs together. The i64 values cross the host boundary as
// BigInts, so a checkpoint must keep all 64 bits of each local.

/** Runs `n` splitmix64 steps from `seed`, adding `offset` each time; returns the folded state. */
export function mix64(seed: i64, offset: i64, n: i32): i64 {
  let state = seed;
  let acc: i64 = 0;
  for (let i = 0; i < n; i++) {
    state += 0x9e3779b97f4a7c15;
    let z = state;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111eb;
    z ^= z >>> 31;
    acc = rotl<i64>(acc, 7) ^ (z + offset);
  }
  return acc;
}
