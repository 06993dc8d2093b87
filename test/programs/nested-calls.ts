// Loops on the stack at several depths: outer's loop calls middle, whose
// loop calls inner, whose loop does the arithmetic. A checkpoint in inner's
// loop has to capture three frames, each paused at its own loop header.
// The @inline(never) decorators keep the optimizer from flattening the calls.

@inline(never)
function inner(a: i32, b: i32, n: i32): i32 {
  let h = a * 31 + b;
  for (let k = 0; k < n; k++) {
    h = (h ^ k) * 16777619 + (h >>> 15);
  }
  return h;
}

@inline(never)
function middle(a: i32, n: i32): i32 {
  let acc = a;
  for (let j = 0; j < n; j++) {
    acc += inner(a, j, n) ^ acc;
  }
  return acc;
}

/** Runs an n*n*n computation spread over three nested function calls, each with a loop. */
export function nestedCalls(n: i32): i32 {
  let total = 0;
  for (let i = 0; i < n; i++) {
    total = total * 7 + middle(i, n);
  }
  return total;
}
