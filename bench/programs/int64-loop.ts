// An i64 integer loop: a linear congruential generator folded with xorshift mixing.
export function mix64(seed: i64, n: i32): i64 {
  let x = seed;
  let acc: i64 = 0;
  for (let i = 0; i < n; i++) {
    x = x * 6364136223846793005 + 1442695040888963407;
    let z = x ^ (x >>> 29);
    z *= 0xbf58476d1ce4e5b9;
    acc += z ^ (z >>> 32);
  }
  return acc;
}
