// @ts-nocheck (AssemblyScript, not TypeScript: a kept regression of the weave program generator)
// weave program generator: seed 46, numeric profile, runtime incremental
let g0: f64 = <f64>(-1e+0);
const buf1 = memory.data(64);
function h4(p5: i32): f32 {
  return min<f32>((<f32>(3.75e+0) * (<f32>(-9.75e+0) - <f32>(-1.22823621448528e+22))), (((<f32>(g0)) + (<f32>(g0))) * ((<f32>(p5)) + (<f32>(p5)))));
}
export function e0(a0: u8): f64 {
  let v3: f32 = h4((<i32>(((<u64>(g0)) / (((<u64>(a0)) & <u64>0x7f) + <u64>1)))));
  for (let i9: i32 = 0; i9 < 2; i9++) {
  }
  return (<f64>(v3)) + (<f64>(load<i64>(buf1))) + min<f64>(reinterpret<f64>(<i64>0x7ff00000000000e9), (-g0));
}
g0 += reinterpret<f64>(<i64>0x7ff4000000000a15);
