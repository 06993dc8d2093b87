// A byte sieve over a GC-managed typed array: a tight loop of loads and stores.
export function sieve(n: i32, reps: i32): i32 {
  let count = 0;
  for (let r = 0; r < reps; r++) {
    const composite = new Uint8Array(n + 1);
    count = 0;
    for (let i = 2; i <= n; i++) {
      if (composite[i]) continue;
      count++;
      if (i > n / i) continue;
      for (let j = i * i; j <= n; j += i) composite[j] = 1;
    }
  }
  return count;
}
