// @ts-nocheck (AssemblyScript, not TypeScript: a kept regression of the weave program generator)
// weave program generator: seed 5402948, heap profile, runtime incremental
let g0: f64 = <f64>(-3.75e+0);
let g1: u8 = <u8>243;
let g2: f64 = <f64>(2.841019935440272e-296);
function ping14(n16: i32, v17: f64): f64 {
  if (n16 <= 0) return v17;
  let v18: f64 = ((<f64>(n16)) * reinterpret<f64>(<i64>0x7ff400000000084e));
  return pong15(n16 - 1, ((g0 - g0) + (v18 + v17)));
}
function pong15(n19: i32, v20: f64): f64 {
  if (n19 <= 0) return v20;
  return ping14(n19 - 1, ((<f64>(1.6417979821562766e-18) * g0) + (<f64>(<i16>12333))));
}
export function e0(): f32 {
  return (<f32>(g0));
}
export function e8(a0: i32, a1: bool): u8 {
  g1 &= (<u8>(min<i32>(<i32>(<u8>(ping14((a0) & 3, (<f64>(a0))))), <i32>(<u8>(((<u32>(g1)) * <u32>4294967295))))));
  return (<u8>(a0));
}
export function e9(a0: f64, a1: u32): f32 {
  if ((isFinite<f32>((<f32>(g1))))) {
    a0 = ((<f64>((<u8>(a1)))) * (<f64>(<u64>(reinterpret<i64>(a0)))));
  } else if (((g0) != ceil<f64>((<f64>(g1))))) {
    if ((isNaN<f64>(a0))) return (<f32>(3.444894775748253e-2) / (<f32>(g2)));
    a0 = ((((a1) != a1) ? (a0 * g0) : a0) / (a0 * (<f64>(g1))));
  }
  if (((a0) > (<f64>(g1)))) {
    for (let i127: i32 = 2; i127 > 0; i127--) {
    }
  } else if (((g1) >= <u8>29)) {
  }
  return (<f32>(a0));
}
