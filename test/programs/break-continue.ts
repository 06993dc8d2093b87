// `break` and `continue` in nested loops. AssemblyScript 0.28 does not parse
// labeled statements (`outer: for ...` is a TS1109 error), so the "break out
// of the outer loop" case is written with a flag, the way AS users write it.

/** Sums i ^ j over a triangle of (i, j) pairs with skips and early exits; `n` sets the size. */
export function breakContinue(n: i32, stop: i32): i32 {
  let sum = 0;
  let done = false;
  for (let i = 0; i < n; i++) {
    if (i % 5 == 3) continue;           // skip whole rows
    for (let j = 0; j < n; j++) {
      if (j > i) break;                 // inner break: triangle only
      if ((i + j) % 7 == 0) continue;   // inner continue
      sum += (i ^ j) + (sum >>> 29);
      if (sum == stop) {                // rare: leave both loops
        done = true;
        break;
      }
    }
    if (done) break;
  }
  return sum;
}
