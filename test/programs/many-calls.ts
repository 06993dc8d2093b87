// Work spread over a million short calls: each call's loop runs 10 times, so a fuel
// counter reset on every call would never reach a yield point.
function tenSteps(x: i32): i32 {
  for (let i = 0; i < 10; i++) x = x * 31 + i;
  return x;
}

export function manyCalls(n: i32): i32 {
  let h = 7;
  for (let i = 0; i < n; i++) h ^= tenSteps(i);
  return h;
}

function depth(n: i32): i32 {
  return n <= 0 ? 1 : depth(n - 1) + (n & 3);
}

// Recursion without loops spends fuel too (one unit per call).
export function recurse(n: i32, times: i32): i32 {
  let s = 0;
  for (let i = 0; i < times; i++) s += depth(n);
  return s;
}

export function deep(n: i32): i32 {
  return depth(n);
}
