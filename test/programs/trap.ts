// A program that traps. With a negative argument it does half of its work
// and then throws `new Error("bad input")` from inside the loop; AssemblyScript
// lowers the throw to a call of the `env.abort` import (message, file, line,
// column), which the host turns into a trap. Non-negative arguments never trap.

/** Returns a hash of 0..|n|-1; throws "bad input" halfway through when n is negative. */
export function checked(n: i32): i32 {
  const count = n < 0 ? -n : n;
  let h = 0;
  for (let i = 0; i < count; i++) {
    h = (h ^ i) * 16777619 + (h >>> 13);
    if (n < 0 && i == count / 2) {
      throw new Error("bad input");
    }
  }
  return h;
}
