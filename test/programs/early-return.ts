// Early return from inside a loop: scans a generated sequence for the first
// element divisible by `modulus` past a given count; the return leaves the
// loop mid-iteration. Falls through to -1 when nothing matches.

/** Returns the index of the first x_i (i >= limit / 2) with x_i % modulus == 0, or -1 below `limit`. */
export function findFirst(limit: i32, modulus: i32): i32 {
  let x: u32 = 12345;
  for (let i = 0; i < limit; i++) {
    x = x * 1103515245 + 12345;
    if (i >= limit / 2 && (x >>> 4) % <u32>modulus == 0) {
      return i;
    }
  }
  return -1;
}
