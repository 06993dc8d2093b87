// @ts-nocheck (AssemblyScript, not TypeScript: a kept regression of the weave program generator)
// weave program generator: seed 410113438, heap profile, runtime minimal
const gm6 = new Map<i32, i64>();
export function e4(a0: u8): f64 {
  for (let i55: i32 = 0; i55 < 2; i55++) {
  }
  return (<f64>(gm6.size)) + reinterpret<f64>(<i64>0x7ff4000000000121);
}
