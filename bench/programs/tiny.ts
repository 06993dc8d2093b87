// Bench program: a tiny job of one short loop, for dispatch throughput through the mesh.
export function tiny(n: i32): i32 {
  let s = 0;
  for (let i = 0; i < n; i++) s += i ^ (s >>> 3);
  return s;
}
