// Recursion on the wasm stack: naive doubly-recursive Fibonacci.
// Every call frame is live at once down to depth n, so a checkpoint taken
// deep in the recursion has to capture many frames.

function fibRec(n: i32): i32 {
  if (n < 2) return n;
  return fibRec(n - 1) + fibRec(n - 2);
}

/** Returns the n-th Fibonacci number (wraps past fib(46)). */
export function fib(n: i32): i32 {
  return fibRec(n);
}
