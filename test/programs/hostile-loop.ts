// Hostile: an infinite loop (for the sandbox's deadline). The loop has a yield point, as
// every loop of user code does, so the hub stops it there once the deadline has passed.

/** Never returns for n >= 0: the exit needs a negative n and a hash that never occurs. */
export function spin(n: i32): i32 {
  let x = n;
  while (true) {
    x = x * 1103515245 + 12345;
    if (n < 0 && x == n) break;
  }
  return x;
}
