// Recursion that builds and compares strings: allocation-heavy, call-heavy code.
function build(depth: i32, salt: i32): string {
  if (depth == 0) return String.fromCharCode(97 + (salt % 26));
  const left = build(depth - 1, salt * 31 + 7);
  const right = build(depth - 1, salt * 17 + 3);
  return left < right ? left + right.slice(0, 3) : right + left.slice(0, 3);
}

export function strings(depth: i32, reps: i32): i32 {
  let h = 0;
  for (let r = 0; r < reps; r++) {
    const s = build(depth, r);
    for (let i = 0; i < s.length; i++) h = h * 31 + s.charCodeAt(i);
  }
  return h;
}
