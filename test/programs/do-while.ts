// A do-while loop (body runs before the test) nested in a for loop: counts
// Collatz steps for every start value in [1, n].

/** Returns the total number of Collatz steps for starts 1..n, plus the longest chain seen. */
export function collatz(n: i32): i64 {
  let total: i64 = 0;
  let longest: i64 = 0;
  for (let start = 1; start <= n; start++) {
    let x: u64 = <u64>start;
    let steps: i64 = 0;
    do {
      x = (x & 1) != 0 ? 3 * x + 1 : x >> 1;
      steps++;
    } while (x > 1);
    total += steps;
    if (steps > longest) longest = steps;
  }
  return total * 1000 + longest;
}
