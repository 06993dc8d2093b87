// @ts-nocheck (AssemblyScript, not TypeScript: a kept regression of the weave program generator)
// weave program generator: seed 246, heap profile, runtime stub
export function e0(a0: u32, a1: f64, a2: i32): i64 {
  return (<i64>(a0));
}
