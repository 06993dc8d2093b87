// Hostile: runaway recursion (for the sandbox's stack limit). Each level runs a short loop
// (so it holds a yield point and Asyncify must save every level when the run pauses) and
// then recurses; the addition after the call keeps it from becoming a loop.

function down(n: i32): i32 {
  let s = 0;
  for (let i = 0; i < 3; i++) s += i ^ n;
  return n == 0 ? s : down(n - 1) + s;
}

/** Recursion `depth` levels deep; a large depth overflows any stack. */
export function recurse(depth: i32): i32 {
  return down(depth);
}
