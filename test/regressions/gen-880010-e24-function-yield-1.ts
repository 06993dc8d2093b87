// @ts-nocheck (AssemblyScript, not TypeScript: a kept regression of the weave program generator)
// weave program generator: seed 880010, numeric profile, runtime incremental
let g0: f64 = <f64>(0e+0);
let g1: i64 = <i64>0xd5d89546726e03b2;
let gfn24: (x: i64) => i64 = fn18;
function fn4(x5: f64): f64 {
  g0 *= (<f64>(g1));
  return abs<f64>(x5);
}
function fn6(x7: f64): f64 {
  let v8: f64 = g0;
  return x7;
}
function h13(p14: i32, p15: i32, p16: f64): f64 {
  if (p15 == <i32>0) unreachable();
  let v17: u8 = ((<u8>(g1)) & ((<u8>(min<i32>(<i32>(<u8>(p16)), <i32>(<u8>(p14))))) | (<u8>(p16))));
  return (<f64>(g1));
}
function fn18(x19: i64): i64 {
  let v20: i32 = ((<i32>(x19)) * (<i32>12 ^ (<i32>(<u64>0x21))));
  let v21: f32 = (<f32>(v20));
  v20 *= v20;
  return <i64>0xfffffffffffffff5;
}
function fn22(x23: i64): i64 {
  g1 <<= g1;
  x23 |= (rotr<i64>((x23 * (<i64>(g0))), (x23 + (<i64>(g0)))) ^ <i64>0xfffffffffffffffb);
  return (<i64>(g0));
}
function fn9(x10: f64): f64 {
  g0 *= (<f64>(g1));
  for (let i11: i32 = 6; i11 > 0; i11--) {
    let v12: i32 = (((~i11) > abs<i32>(i11)) ? popcnt<i32>(i11) : i11);
    if ((((<i64>0x25) >= g1) && (((i11) == i11) || ((<i64>(v12)) > <i64>0x3f)))) {
      x10 += (-(-h13((<i32>18 - <i32>31), (i11 >> v12), (g0 * (<f64>(v12))))));
      g1 |= ((gfn24(g1) + (i64.MAX_VALUE - (<i64>(<u8>233)))) & ((g1 << g1) * (i64.MAX_VALUE - g1)));
    }
  }
  return ((((<u64>(x10)) < <u64>0x10) ? (x10 + x10) : g0) * <f64>(4.625e+0));
}
function act28(p29: i64): void {
  if (((p29) >= (g1 - g1))) {
    g1 <<= g1;
  } else if ((!((<f64>(1e+0)) < g0))) {
    g1 *= clz<i64>(gfn24(g1));
  } else if ((((p29) >= (<i64>(g0))) || ((<i64>0x15) < g1))) {
    for (let i30: i32 = 0; i30 < 4; i30++) {
      let v31: f32 = copysign<f32>(((<f32>(3.715967102050781e+2) + <f32>(-7.10632576e+8)) * (<f32>(i30))), (((<i64>0x12) == p29) ? (((p29) > g1) ? (<f32>(p29)) : <f32>(3.844529927644355e+19)) : (<f32>(<f64>(-1e+0)))));
      if (((g1) >= g1)) break;
      g1 |= g1;
    }
    switch (((((g0) == (<f64>(p29))) ? <i32>(-1642563664) : (<i32>(g0))) & 7)) {
      case 1: {
        gfn24 = fn22;
        let v32: i16 = ((<i16>(p29)) | (-(<i16>(g1))));
      }
      break;
      case 2: {
        if ((((p29) != <i64>0xe) && ((g0) <= g0))) return;
      }
      break;
      case 3: {
        let pg33: i32 = <i32>memory.grow(1);
        if (pg33 > 0) store<i32>(<usize>pg33 << 16, min<i32>(pg33, (<i32>(g0))));
        let v34: u64 = (<u64>((<f32>(g1))));
      }
      break;
      case 6: {
        let v35: u64 = (((<u64>(g0)) + (<u64>(g1))) >>> ((((<i64>0x1) <= (<i64>(g0))) ? (<u64>(g1)) : (<u64>(g1))) + (u64.MAX_VALUE - ((<u64>(p29)) % ((<u64>0x7fffffffffffffff & <u64>0x7f) + <u64>1)))));
      }
      break;
      default: {
        g0 += g0;
      }
    }
    assert(g0 != <f64>(1e-1), "gen: g0 hit an edge");
  }
  let v36: i32 = (((h13((<i32>(g0)), <i32>2147483647, g0)) == (<f64>(p29))) ? (<i32>(p29)) : ((-(<i32>(g0))) + (i32.MAX_VALUE - (<i32>0 * (i32.MAX_VALUE - (<i32>(g0)))))));
}
function h26(): i32 {
  let d27: i32 = 0;
  do {
    d27++;
    if ((((<i32>(-2147483647)) >= d27) && ((d27) < d27))) continue;
    g1 |= <i64>0xffffffffffffffee;
  } while (d27 < 1 && ((g1) < g1));
  act28(((<i64>0xec9d061429c79724 - (<i64>(g0))) + (((<f64>(g1)) == g0) ? g1 : g1)));
  return (<i32>(-2147483647) * reinterpret<i32>(<f32>(-0.0)));
}
function rec39(n40: i32, acc41: u32): u32 {
  if (n40 <= 0) return acc41;
  if ((((g1) == <i64>0xfffffffffffffff9) && ((g0) < <f64>(6.25e-1)))) return (~(((<u8>255) < <u8>34) ? acc41 : acc41));
  return rec39(n40 - 1, acc41);
}
function act46(): void {
  let v47: i32 = <i32>(-2140196906);
}
function h44(p45: f32): u8 {
  act46();
  return (<u8>(g1));
}
function h52(p53: f64, p54: i32): u8 {
  g1 <<= g1;
  let w55: i32 = 0;
  while (w55 < 5) {
    w55++;
    p53 += g0;
  }
  if (p54 == <i32>7) unreachable();
  return ((<u8>((<u32>(p53)))) + (<u8>(min<i32>(<i32>((<u8>(g1)) | <u8>255), <i32>(<u8>(g0))))));
}
function h60(p61: bool): f64 {
  let pg62: i32 = <i32>memory.grow(0);
  if (pg62 > 0) store<i32>(<usize>pg62 << 16, load<i32>(<usize>1344));
  return g0;
}
function h56(p57: f32, p58: bool, p59: i32): f64 {
  p58 = ((p59) == load<i32>(<usize>528));
  return h13(<i32>0, (min<i32>(<i32>(-427825682), <i32>256) - p59), (h60(p58) + ((<f64>(p57)) * <f64>(-1.9706778158433733e+71))));
}
export function e0(): i64 {
  let w2: i32 = 0;
  while (w2 < 2) {
    w2++;
    let v3: f64 = (<f64>(<i16>27237));
    v3 /= ((((g0) != (<f64>(g1))) ? fn4 : fn6)((<f64>(<i16>1))) + v3);
  }
  g1 -= (((g1 | g1) * (-(<i64>(g0)))) & (-(g1 ^ g1)));
  let v25: i32 = ((-max<i32>((<i32>(g0)), (<i32>(g1)))) - ctz<i32>(h26()));
  return (<i64>(v25)) ^ (<i64>(g0)) ^ g1 ^ g1;
}
export function e1(a0: u32): u8 {
  let v37: i16 = (<i16>(max<i32>(<i32>(<i16>(((<i32>(a0)) ^ (<i32>(a0))))), <i32>(<i16>13 * (<i16>(max<i32>(<i32>(<i16>(a0)), <i32>(<i16>(a0)))))))));
  let v38: i64 = (<i64>(rec39(((<i32>(g1))) & 1, (<u32>0 / ((a0 & <u32>0x7f) + <u32>1)))));
  return (<u8>(a0)) ^ (<u8>(v37)) ^ (<u8>(v38)) ^ (<u8>(g0)) ^ (<u8>(g1)) ^ (<u8>(v38));
}
export function e2(a0: i64): u32 {
  gfn24 = fn18;
  let v42: i64 = g1;
  a0 &= (g1 + (i64.MAX_VALUE - <i64>0xffffffff));
  let v43: i64 = ((v42 >> (v42 << v42)) & min<i64>((g1 & v42), (-g1)));
  return (<u32>(a0)) ^ (<u32>(v42)) ^ (<u32>(v43)) ^ (<u32>(g0)) ^ (<u32>(g1)) ^ (((<u32>(v42)) + (<u32>(a0))) + <u32>3882450432);
}
export function e3(a0: bool, a1: i64): u8 {
  a0 = (isFinite<f32>((<f32>(g1))));
  g1 ^= (g1 + g1);
  g1 ^= (-(rotl<i64>(a1, g1) / g1));
  return (<u8>(a1)) + (<u8>(g0)) + (<u8>(g1)) + h44(<f32>(-2.333206787109375e+3));
}
export function e4(a0: u8, a1: bool, a2: bool): i64 {
  a1 = (!(!((g0) < g0)));
  if (((<u32>2024477354) == <u32>3)) {
    a2 = ((a0 * a0) <= (a0 * <u8>237));
  } else if (((g0) > trunc<f64>(g0))) {
    act28(((<i64>(<u8>255)) - (i64.MAX_VALUE + (g1 * g1))));
    let v48: i64 = (<i64>((isFinite<f32>((<f32>(3.25e+0) * <f32>(-4.5e+0))))));
    let w49: i32 = 0;
    while (w49 < 2) {
      w49++;
      let v50: f64 = (<f64>(v48));
      let v51: i64 = (~(gfn24((<i64>(a0))) - gfn24(<i64>0xfffffffffffffffd)));
    }
  } else if (((g0) < g0)) {
    g0 /= <f64>(1.527043436653912e+200);
    act46();
    act46();
  }
  a0 ^= ((<u8>(max<i32>(<i32>a0, <i32>(<u8>(max<i32>(<i32>(<u8>(g0)), <i32>a0)))))) + h52(h56((<f32>(g0)), ((g1) == g1), (<i32>(g0))), ((<i32>(g1)) % ((<i32>31 & <i32>0x7f) + <i32>1))));
  return (<i64>(a0)) ^ (abs<i64>(g1) - ((<i64>(g0)) >>> g1));
}
export function e5(a0: i64, a1: i32): u32 {
  let v63: i16 = (<i16>(((g0 + g0) - (<f64>(2.7978546638041733e-155) * g0))));
  g0 /= (max<f64>(g0, (g0 - g0)) * ((<f64>(1.8271853472106162e-21) + (<f64>(a1))) * (((a0) > g1) ? g0 : g0)));
  act28((<i64>((a1 - (i32.MAX_VALUE + a1)))));
  let v64: f64 = g0;
  let v65: f32 = (<f32>(g1));
  return (<u32>(a1)) + (<u32>(v63)) + (<u32>(v64)) + (<u32>(v65)) + (<u32>4294967286 + (<u32>(a0)));
}
export function e6(a0: i64): u32 {
  act46();
  return (<u32>(a0)) ^ ((<u32>(a0)) >> (<u32>(g1)));
}
export function e7(a0: f64, a1: f32): f32 {
  let v66: i32 = abs<i32>((reinterpret<i32>(a1) % (((<i32>(g1)) & <i32>0x7f) + <i32>1)));
  return (<f32>(a0)) + a1 + (<f32>(v66)) + (a1 % a1);
}
export function e8(a0: i32, a1: bool): f32 {
  assert((<i32>(g1)) != <i32>2147483647, "gen: i32g1 hit an edge");
  let v67: u8 = h52(load<f64>(<usize>696), rotr<i32>((<i32>(<f32>(-2.147483648e+9))), (-<i32>(-1610341793))));
  return (<f32>(a0)) + (<f32>(v67)) + (<f32>(g0)) + (<f32>(g1)) + (<f32>(g1));
}
export function e9(): bool {
  switch (((~(<i32>(g0))) & 7)) {
    case 0: {
      let v68: u8 = (((f64.POSITIVE_INFINITY) > (g0 + g0)) ? (((<f32>(g0)) > (<f32>(g1))) ? (<u8>(g0)) : load<u8>(<usize>(<u32>(<i32>(-1))))) : ((<u8>(g1)) - (<u8>(g0))));
    }
    case 2: {
      g1 *= (g1 & gfn24((g1 >>> g1)));
    }
    case 3: {
      g1 |= (g1 + g1);
      let v69: u32 = rotl<u32>(<u32>7, <u32>4294967295);
    }
    break;
    case 6: {
      let w70: i32 = 0;
      while (w70 < 1) {
        w70++;
        if ((((g0) <= (<f64>(g1))) || (!((<i64>0x2f7cf0e68df77af8) >= g1)))) {
          if (((g0) >= g0)) return ((<i16>((<u8>(w70)))) < (<i16>(g0)));
          let v71: i32 = (~w70);
        } else if (((w70 + w70) < reinterpret<i32>(<f32>(-3e+0)))) {
          g1 &= g1;
        } else if (((<i64>((<u8>(w70)))) >= (<i64>(w70)))) {
          let v72: i32 = h26();
          let v73: u32 = popcnt<u32>((<u32>(h13(w70, v72, g0))));
          let v74: f64 = ((ceil<f64>(g0) % (((g0) > g0) ? (<f64>(v72)) : g0)) / reinterpret<f64>(<i64>0x7ff4000000000d77));
        } else {
          let v75: i64 = max<i64>((-gfn24(g1)), (min<i64>((<i64>(w70)), g1) & g1));
        }
        if (((g0) < g0)) break;
      }
      assert((<u32>(g1)) != <u32>2147483649, "gen: u32g1 hit an edge");
    }
    break;
    default: {
      switch ((<i32>32 & 7)) {
        case 0: {
          let v76: f32 = trunc<f32>((-(<f32>(-3.35334525e+6) + (<f32>(g1)))));
        }
        break;
        case 1: {
          g0 += (g0 * (reinterpret<f64>(<i64>0xfff4000000000483) * (g0 + g0)));
          if (((load<f64>(<usize>(<u32>(<i32>13)))) != reinterpret<f64>(<i64>0x7ff4000000000e25))) {
            act28((<i64>(g0)));
            g0 = (((<f64>(g1)) % reinterpret<f64>(<i64>0xfff4000000000c88)) * (<f64>((<i64>0xbe10ef7f87dc7a0a << g1))));
            let v77: bool = (((<f64>(4.3572384840808816e-24)) < (<f64>(g1))) && ((g0) < (Math.random())));
          } else if (((<f64>(g1)) < g0)) {
            let pg78: i32 = <i32>memory.grow(0);
            if (pg78 > 0) store<i32>(<usize>pg78 << 16, <i32>2);
            let v79: i64 = ((<i64>((<f64>(<i16>0)))) % ((((g1 + g1) * (<i64>(g0))) & <i64>0x7f) + <i64>1));
          } else if (((!((<u64>(g0)) < <u64>0xffffffffffffffff)) && (((<i64>0xed78d4741e03f10f) >= g1) || ((<f32>(-1.5026699257685329e+22)) == <f32>(-2.590168139965871e+19))))) {
            let v80: i32 = (<i32>65535 * (i32.MAX_VALUE - (<i32>32 | (<i32>(g0)))));
          } else {
            assert((<i32>(g0)) != <i32>31, "gen: i32g0 hit an edge");
            g1 += reinterpret<i64>((h60(((g1) <= g1)) / <f64>(1.9769496261142194e+86)));
          }
        }
        break;
        case 2: {
          let v81: f64 = ((max<f64>(<f64>(2.147483648e+9), (<f64>(g1))) / (g0 + g0)) * g0);
        }
        break;
        case 3: {
          g0 /= ((-(-(((g0) >= g0) ? fn4 : fn6)(g0))) / g0);
          g1 += (g1 * (i64.MAX_VALUE - g1));
        }
        break;
      }
      act28(g1);
    }
  }
  return ((<bool>(g0)) != 0) != ((<bool>(g1)) != 0) != ((g1) >= g1);
}
export function e10(a0: i64): u8 {
  let v82: f64 = ((<f64>((~<i32>255))) * (((<f32>(-4.717896445072256e-5)) <= <f32>(-7.5e+0)) ? (-(-f64.POSITIVE_INFINITY)) : reinterpret<f64>(<i64>0x7ff0000000000bb1)));
  let v83: i64 = (<i64>(v82));
  return (<u8>(a0)) + (<u8>(v82)) + (<u8>(v83)) + (<u8>(g0)) + (<u8>(g1)) + (<u8>(max<i32>(<i32>(<u8>(a0)), <i32>((<u8>(g0)) % (((<u8>(v82)) & <u8>0x7f) + <u8>1)))));
}
export function e11(a0: f32, a1: i32): u32 {
  let v84: i64 = g1;
  switch ((min<i32>(a1, a1) & 7)) {
    case 3: {
      let v85: u64 = (<u64>(a0));
      let v86: u8 = (<u8>(v84));
    }
    case 4: {
      g1 = g1;
    }
    break;
    case 7: {
      switch ((a1 & 7)) {
        case 3: {
          g0 -= (((a1 - (i32.MAX_VALUE + a1)) < (a1 & <i32>256)) ? g0 : (-g0));
        }
        break;
      }
    }
    break;
  }
  v84 -= (v84 | gfn24((v84 * (i64.MAX_VALUE - v84))));
  g0 -= g0;
  return (<u32>(a0)) ^ (<u32>(a1)) ^ (<u32>(v84)) ^ (((<u32>(a0)) ^ (<u32>(a1))) - ((<u32>(v84)) * (<u32>(g1))));
}
export function e12(): bool {
  let v87: u64 = <u64>0x3f;
  let v88: u8 = load<u8>(<usize>192);
  act46();
  v87 *= v87;
  v88 &= ((~v88) * v88);
  return ((<bool>(v87)) != 0) != ((<bool>(v88)) != 0) != ((<bool>(g0)) != 0) != ((<bool>(g1)) != 0) != ((v87 - (<u64>(v88))) > ((<u64>(g0)) << <u64>0xffffffffffffffef));
}
export function e13(): bool {
  g1 |= g1;
  let stop89: bool = false;
  for (let i90: i32 = 0; i90 < 3; i90++) {
    for (let i91: i32 = 0; i91 < 4; i91++) {
      for (let i92: i32 = (i91 & 3); i92 > 0; i92--) {
        let v93: i64 = <i64>0x1;
        g0 += g0;
      }
      if (((<u32>37) > (<u32>(i90)))) {
        stop89 = true;
        break;
      }
    }
    if (stop89) break;
    switch ((clz<i32>(i90) & 7)) {
      case 0: {
        g0 = load<f64>(<usize>(<u32>((i90 * i90))));
        if ((!((g0) <= g0))) continue;
      }
      break;
      case 2: {
        if (((~(<i32>(g0))) == (<i32>2 >> i90))) {
          g0 /= g0;
          g0 -= reinterpret<f64>(<i64>0x7ff40000000003e0);
          g1 += g1;
        } else {
          gfn24 = fn18;
          let v94: u32 = (((<u32>(i90)) * (~<u32>33)) | (~((<u32>(g0)) + <u32>0)));
          g1 = (g1 - (i64.MAX_VALUE + (((i90) >= i90) ? (g1 << <i64>0x22) : (<i64>0xfffffffffffffffb + (i64.MAX_VALUE - <i64>0xffffffff00000000)))));
        }
        if (((g1 - g1) < g1)) {
          g1 &= ((<i64>(((i90) != i90))) - gfn24((-g1)));
          assert(i90 != <i32>2, "gen: i90 hit an edge");
          g1 <<= gfn24(((<i64>0xfffffffffffffff5 & (<i64>(g0))) + g1));
        } else if ((((i90) < i90) && ((i90) < i90))) {
          if (((i90) != i90)) continue;
        } else if ((isFinite<f32>(((<f32>(g0)) * (<f32>(i90)))))) {
          g0 = (g0 % h60(((g0) > g0)));
          g0 = (h13((<i32>(g1)), (<i32>((<u8>(g0)))), abs<f64>(<f64>(-2.875e+0))) + h13((<i32>(g0)), (<i32>(g1)), ((<f64>(i90)) / g0)));
          g1 <<= ((<i64>((i90 & i90))) - gfn24((-g1)));
        }
      }
      break;
    }
    g1 = clz<i64>(g1);
  }
  return ((<bool>(g0)) != 0) != ((<bool>(g1)) != 0) != ((((g0) >= <f64>(-1e+0)) && ((g0) > f64.NaN)) || (((g0) > <f64>(4.085308127105236e+18)) || ((g0) != <f64>(-1e+0))));
}
export function e14(a0: u8): bool {
  let w95: i32 = 0;
  while (w95 < 1) {
    w95++;
    for (let i96: i32 = 0; i96 < 1; i96++) {
      let v97: i32 = i96;
      g1 ^= (((g1 + g1) >>> clz<i64>(g1)) >>> (<i64>(a0)));
    }
  }
  return ((<bool>(a0)) != 0) != ((<bool>(g0)) != 0) != ((<bool>(g1)) != 0) != ((a0) == a0);
}
export function e15(a0: u8, a1: f64): f64 {
  let stop98: bool = false;
  let w99: i32 = 0;
  while (w99 < 1) {
    w99++;
    g1 *= (((w99 | <i32>65535) != w99) ? (popcnt<i64>(g1) * (((a1) != a1) ? g1 : g1)) : gfn24(gfn24(g1)));
    gfn24 = fn22;
    let w100: i32 = 0;
    while (w100 < (w99 & 7)) {
      w100++;
      if ((((a0) == (<u8>(w99))) || ((w100) > w100))) break;
      if (((a1) < <f64>(-1.875e+0))) {
        stop98 = true;
        break;
      }
    }
    if (stop98) break;
    let v101: i64 = (<i64>(((<f32>(a0)) + ceil<f32>((<f32>(a0))))));
  }
  for (let i103: i32 = 0; i103 < 2; i103++) {
    let skip102: bool = false;
    let w104: i32 = 0;
    while (w104 < (i103 & 7)) {
      w104++;
      if ((((a0) >= a0) || ((g1) == g1))) break;
      if (((g0) <= a1)) {
        skip102 = true;
        break;
      }
    }
    if (skip102) continue;
  }
  return (<f64>(a0)) + a1 + g0 + (<f64>(g1)) + g0;
}
export function e16(): u32 {
  g0 = reinterpret<f64>(<i64>0x7ff00000000007b6);
  return (<u32>(g0)) + (<u32>(g1)) + rec39(((<i32>((<i16>(g0))))) & 1, ((<u32>(g1)) % ((<u32>65535 & <u32>0x7f) + <u32>1)));
}
export function e17(): i32 {
  let pg105: i32 = <i32>memory.grow(0);
  if (pg105 > 0) store<i64>(<usize>pg105 << 16, reinterpret<i64>(g0));
  for (let i106: i32 = 0; i106 < 3; i106++) {
    g1 *= (-((g1 + g1) << (g1 | g1)));
    if ((((<f64>(1.125e+0)) == (<f64>(i106))) || ((g0) >= g0))) return pg105;
  }
  let v107: f64 = g0;
  let v108: u64 = (rotl<u64>((<u64>0x2 * (<u64>(pg105))), ((<u64>(v107)) - (<u64>(v107)))) << popcnt<u64>((<u64>(<i64>0x7fffffffffffffff))));
  return pg105 + (<i32>(v107)) + (<i32>(v108)) + (<i32>(g0)) + (<i32>(g1)) + pg105;
}
export function e18(): u32 {
  g0 -= g0;
  switch ((<i32>65535 & 7)) {
    case 1: {
      let v109: i64 = (gfn24(reinterpret<i64>(g0)) & (g1 - (g1 << g1)));
    }
    break;
    case 2: {
      if (((((g1) == g1) ? (<f64>(g1)) : g0) > <f64>(1.7976931348623157e+308))) {
        g0 += <f64>(4.75e+0);
        g1 += (g1 * (((g0) < <f64>(2.625e+0)) ? (<i64>0x5bd9699aa5b81ea5 + (i64.MAX_VALUE - g1)) : gfn24((<i64>(g0)))));
      } else if (((gfn24(g1)) <= g1)) {
        for (let i110: i32 = 3; i110 > 0; i110--) {
          g1 <<= (<i64>((g0 * (-(-(<f64>(g1)))))));
          let v111: f64 = g0;
          v111 -= (<f64>(g1));
        }
        let v112: f64 = ((-(-g0)) % g0);
        g1 &= (<i64>(rotr<u64>(clz<u64>(<u64>0x7fffffffffffffff), (<u64>0x0 - (<u64>(g0))))));
      } else if (((g1 - (i64.MAX_VALUE + <i64>0x10)) < (g1 * g1))) {
        g0 /= <f64>(1.5e+0);
        act46();
        g1 <<= reinterpret<i64>((g0 + h60(((g0) == <f64>(-1.5538529795594514e-151)))));
      } else {
        if (((g0 * (<f64>(g1))) <= g0)) {
          g0 /= g0;
        } else if (((g1) != rotr<i64>(g1, g1))) {
          let v113: i32 = <i32>(-1465784393);
        } else if (((((g1) != g1) ? (<f32>(g0)) : (<f32>(g0))) >= ((<f32>(g1)) * (<f32>(g0))))) {
          let v114: i32 = (<i32>8 + <i32>15);
        } else {
          act28((((<i64>(g0)) ^ (<i64>(g0))) & (<i64>(g0))));
        }
        g0 += g0;
        g1 |= popcnt<i64>(gfn24((g1 ^ g1)));
      }
      act28((-(<i64>(<f32>(-2.686302494047935e+26)))));
    }
    case 4: {
      assert((<i32>(g1)) != <i32>0, "gen: i32g1 hit an edge");
    }
    break;
    case 7: {
      assert(<i32>(-210956308) != <i32>256, "gen: i32210956308 hit an edge");
      let v115: bool = (isNaN<f64>(((((g0) > (<f64>(g1))) || ((g0) != g0)) ? (((<f32>(g1)) != <f32>(-2.147483648e+9)) ? g0 : (<f64>(g1))) : (-g0))));
    }
    break;
  }
  assert(<i32>(-1) != <i32>2147483647, "gen: i321 hit an edge");
  let w116: i32 = 0;
  while (w116 < 4) {
    w116++;
    g1 -= gfn24(gfn24((g1 + g1)));
  }
  let v117: i32 = ctz<i32>(h26());
  return (<u32>(v117)) + (<u32>(g0)) + (<u32>(g1)) + (<u32>4294901760 % ((rec39((v117) & 1, (<u32>(g0))) & <u32>0x7f) + <u32>1));
}
export function e19(): f32 {
  if (((<f64>(g1)) >= h13(<i32>26, (<i32>(g0)), f64.NEGATIVE_INFINITY))) {
    for (let i119: i32 = 0; i119 < 1; i119++) {
      let skip118: bool = false;
      for (let i120: i32 = 0; i120 < (i119 & 7); i120++) {
        let v121: f64 = ((g0 * ceil<f64>(f64.NEGATIVE_INFINITY)) * (((<i32>(g1)) <= <i32>7) ? fn4 : fn9)((<f64>(-3.75e+0) * g0)));
        if (((g1) <= g1)) {
          skip118 = true;
          break;
        }
        g1 *= g1;
        if (((g0) < v121)) continue;
      }
      if (skip118) continue;
    }
  } else if (((g1 + (<i64>(g0))) > abs<i64>(g1))) {
    if (((max<f64>(g0, (<f64>(g1)))) <= (g0 - <f64>(9.007199254740992e+15)))) {
      g1 -= (g1 * (i64.MAX_VALUE - (<i64>(g0))));
    } else if (((((<u64>0x712c1bd92fb44a6b) < <u64>0x7fffffffffffffff) ? g0 : g0) < (g0 + g0))) {
      switch (((<i32>(g1)) & 7)) {
        case 0: {
          g1 += g1;
        }
        break;
        case 1: {
          g1 += g1;
        }
        break;
        case 2: {
          g1 -= ctz<i64>(g1);
        }
        break;
        case 3: {
          g0 -= reinterpret<f64>(<i64>0xfff0000000000d83);
          act46();
        }
        break;
      }
      for (let i122: i32 = 0; i122 < 6; i122++) {
        act28((-(<i64>(i122))));
        let v123: u64 = <u64>0xba6c5a8a5efe4b80;
        v123 = v123;
      }
    }
  } else if ((((g0) < g0) && ((g1) != g1))) {
    g0 /= load<f64>(<usize>1744);
    g0 += ((g0 + (g0 - g0)) + abs<f64>((((g1) > g1) ? g0 : g0)));
    let v124: f32 = (<f32>(g0));
  } else {
    if (((rotl<i64>((<i64>(g0)), <i64>0xffffffff00000000)) >= g1)) {
      g0 = load<f64>(<usize>(<u32>(((<i32>(g1)) + (<i32>(g0))))));
    } else if (((load<f64>(<usize>1496)) == (((g0) == f64.NEGATIVE_INFINITY) ? g0 : g0))) {
      let w125: i32 = 0;
      while (w125 < 5) {
        w125++;
        let v126: i32 = <i32>527291955;
      }
      let stop127: bool = false;
      let w128: i32 = 0;
      while (w128 < 5) {
        w128++;
        let v129: u8 = (<u8>(gfn24(g1)));
        for (let i130: i32 = 0; i130 < 1; i130++) {
          g0 *= (h13((<i32>(v129)), w128, reinterpret<f64>(<i64>0xfff800000000032d)) + (<f64>(v129)));
          if ((isFinite<f64>(g0))) {
            stop127 = true;
            break;
          }
        }
        if (stop127) break;
      }
    } else {
      g1 &= (g1 + rotl<i64>((g1 * (i64.MAX_VALUE - (<i64>(g0)))), (g1 * (i64.MAX_VALUE - g1))));
      g1 = (reinterpret<i64>((g0 + g0)) ^ rotl<i64>((((g1) <= g1) ? g1 : g1), g1));
    }
    if ((((<f64>(g1)) - (<f64>(g1))) != g0)) {
      switch ((h26() & 7)) {
        case 0: {
          g0 /= copysign<f64>(((<f64>(-2e+0) - <f64>(-3.375e+0)) * ((<f64>(g1)) % (<f64>(g1)))), (h60(((g0) <= g0)) + g0));
        }
        case 1: {
          act46();
        }
        case 2: {
          g0 /= (((<u32>4294967279) <= (<u32>(g0))) ? g0 : (-g0));
          act46();
        }
        break;
        case 3: {
          let v131: i32 = (ctz<i32>(<i32>1528590784) * (<i32>(g0)));
          act28(gfn24((((v131) >= v131) ? g1 : g1)));
        }
        break;
      }
      if (((g1) == (<i64>(((<i64>0xffffffff) != <i64>0xe))))) {
        let v132: f32 = (<f32>(g1));
        let v133: f64 = reinterpret<f64>(<i64>0x7ff8000000000353);
      } else {
        assert(g1 != <i64>0xffffffff, "gen: g1 hit an edge");
      }
    } else {
      g1 ^= g1;
      let d134: i32 = 0;
      do {
        d134++;
        let v135: f64 = (((((g1) <= g1) ? (<f64>(d134)) : g0) + (<f64>(5e-324) % g0)) + min<f64>(g0, ((<f64>(d134)) * g0)));
        g1 = ((((<i16>(g1)) != (<i16>(g0))) ? (<i64>(((g0) == (<f64>(g1))))) : (g1 | g1)) + (((<i32>7) > d134) ? (g1 - g1) : g1));
      } while (d134 < 4);
    }
    let w136: i32 = 0;
    while (w136 < 3) {
      w136++;
      g1 |= (-(<i64>(g0)));
      act28((<i64>(g0)));
      let v137: i32 = (((w136 + (i32.MAX_VALUE - w136)) + (i32.MAX_VALUE - (w136 >>> w136))) * ((w136 | w136) - (-w136)));
    }
  }
  let v138: i16 = (((<i16>(f32.NEGATIVE_INFINITY)) + <i16>(-7)) >> ((<i16>0 & (<i16>(g1))) + (<i16>255 + <i16>0)));
  act46();
  gfn24 = fn22;
  return (<f32>(v138)) + (<f32>(g0)) + (<f32>(g1)) + (<f32>(v138));
}
export function e20(a0: u8, a1: i32): u8 {
  let v139: u8 = a0;
  let v140: f64 = (((g0 + f64.NaN) + trunc<f64>(<f64>(-1.370730623602867e-242))) * (<f64>(((<i16>(a1)) - <i16>(-1)))));
  a1 <<= h26();
  let v141: i16 = <i16>24680;
  let v142: i64 = load<i64>(<usize>(<u32>(a1)));
  return v139 + (<u8>(v140)) + (<u8>(v141)) + (<u8>(v142)) + (<u8>(g0)) + (<u8>(g1)) + ((v139 >>> (<u8>(v140))) * (<u8>(((<f32>(5.833192e+6)) != (<f32>(g0))))));
}
export function e21(a0: u8): f32 {
  let v143: bool = ((copysign<f64>(h60(((g0) < g0)), reinterpret<f64>(<i64>0x7ff4000000000987))) != (reinterpret<f64>(<i64>0xfff8000000000e24) % <f64>(-3.0369991436600686e-266)));
  v143 = ((a0) == (((<i64>(a0)) != (<i64>(g0))) ? a0 : a0));
  a0 -= (<u8>(g0));
  g0 = ((isFinite<f64>((<f64>(a0)))) ? <f64>(7.50934595707804e+141) : g0);
  return (<f32>(a0)) + (reinterpret<f32>(<i32>0xffc00080) % <f32>(-7.860447281676288e+16));
}
export function e22(a0: bool, a1: u8): f64 {
  switch ((((<i32>(g0)) + <i32>256) & 7)) {
    case 1: {
      let v144: i64 = (<i64>(g0));
    }
    break;
    case 4: {
      let v145: i16 = (((<i16>(a1)) | (<i16>((<f32>(a1))))) >> (((a1) >= a1) ? (<i16>(g0)) : <i16>(-1)));
    }
    break;
    case 5: {
      g0 *= (-(-reinterpret<f64>(<i64>0xfff400000000017b)));
    }
    break;
    default: {
      a0 = ((!((g1) <= <i64>0xffffffffffffffff)) && a0);
      assert(g0 != <f64>(0e+0), "gen: g0 hit an edge");
    }
  }
  act28((((g0) == g0) ? (-g1) : g1));
  let d146: i32 = 0;
  do {
    d146++;
    if (((a1) <= <u8>40)) return load<f64>(<usize>912);
    let v147: i64 = reinterpret<i64>((<f64>(d146)));
  } while (d146 < 2);
  g1 = ((((g1) <= g1) || ((a1) > (<u8>(g0)))) ? <i64>0x7fffffffffffffff : (<i64>((-(<i16>(a1))))));
  return (<f64>(a1)) + g0 + (<f64>(g1)) + (<f64>(<f32>(3.8401103307053466e+20)));
}
export function e23(a0: bool): u8 {
  let pg148: i32 = <i32>memory.grow(1);
  if (pg148 > 0) store<i64>(<usize>pg148 << 16, (<i64>((<u32>(g1)))));
  if (((((<i32>475002416) != pg148) ? g0 : g0) > g0)) {
    switch (((<i32>(g1)) & 7)) {
      case 0: {
        if (((<f64>(<f32>(3.4028234663852886e+38))) == (-(-<f64>(5e-324))))) {
          let v149: i32 = reinterpret<i32>(<f32>(8.5e+0));
          let v150: u32 = (~rec39((pg148) & 1, (((pg148) >= pg148) ? (<u32>(g0)) : <u32>2091758168)));
          let v151: bool = a0;
        } else if (((<i64>(pg148)) < (<i64>0x100000000 * g1))) {
          g1 ^= (<i64>(g0));
          act28((((pg148) >= pg148) ? g1 : (g1 << <i64>0x915e5f8826b81c5c)));
        } else {
          let v152: u32 = (((<u32>(g0)) & (<u32>25 % ((<u32>2260301583 & <u32>0x7f) + <u32>1))) / (((<u32>(load<f64>(<usize>(<u32>(pg148))))) & <u32>0x7f) + <u32>1));
          let v153: u8 = h44((-<f32>(-2.147483648e+9)));
        }
        for (let i154: i32 = 0; i154 < 7; i154++) {
          gfn24 = fn18;
          act46();
          if (((<i32>(-8)) < pg148)) continue;
        }
      }
      break;
      case 2: {
        let v155: u64 = (<u64>0x7fffffffffffffff & (~((<u64>(pg148)) + <u64>0x100000000)));
      }
      case 3: {
        if (((a0 && ((pg148) < pg148)) && ((g1) <= g1))) {
          if ((a0 && a0)) return (<u8>(g0));
        } else if (((((g0) < g0) ? pg148 : <i32>1729691132) == (<i32>1 >> pg148))) {
          let v156: i64 = ((((<i16>(pg148)) >= <i16>9) && ((<i32>(g1)) > pg148)) ? ((isNaN<f64>(g0)) ? clz<i64>(g1) : abs<i64>(<i64>0x47f6575cf58825bb)) : ((a0 || ((g1) == <i64>0x7)) ? <i64>0x1f : min<i64>(g1, g1)));
          gfn24 = fn22;
        }
      }
      break;
      case 5: {
        g0 = (g0 - Math.exp((((pg148) >= pg148) ? g0 : g0)));
      }
      break;
    }
    switch ((reinterpret<i32>(<f32>(-2.147483648e+9)) & 7)) {
      case 1: {
        a0 = (((<i32>(g0)) * (i32.MAX_VALUE - pg148)) != (pg148 * <i32>2));
      }
      break;
      case 2: {
        let v157: i64 = g1;
        a0 = ((<i64>((<u8>(g0)))) >= (<i64>(pg148)));
      }
      break;
      case 6: {
        if ((((<i64>(g0)) + (i64.MAX_VALUE - g1)) == gfn24(g1))) {
          g0 = g0;
          g0 = g0;
          let v158: i32 = pg148;
        } else if (((((g0) != g0) && a0) && ((<i32>7) != pg148))) {
          g0 /= ((isFinite<f64>((Math.random()))) ? (load<f64>(<usize>1368) / (<f64>(g1))) : g0);
        } else if (a0) {
          let v159: u64 = ((isFinite<f64>((((pg148) < pg148) ? (<f64>(g1)) : (<f64>(g1))))) ? (<u64>(g1)) : ((<u64>0x28 + (<u64>(g1))) | (<u64>(<i16>1))));
          let v160: i64 = g1;
          g0 += (<f64>((isNaN<f64>((-(-f64.NaN))))));
        }
        for (let i161: i32 = 0; i161 < (pg148 & 7); i161++) {
          let v162: f64 = ((<f64>(((<u8>(g0)) - (<u8>(g1))))) - ceil<f64>(max<f64>((<f64>(pg148)), (<f64>(g1)))));
        }
      }
      break;
      default: {
        switch (((pg148 >>> <i32>2) & 7)) {
          case 6: {
            g0 -= g0;
          }
          break;
          case 7: {
            g1 = rotr<i64>(((g1 + g1) << <i64>0x2c0285f1d58d0871), g1);
          }
          break;
          default: {
            g0 /= g0;
          }
        }
        let v163: i64 = (<i64>((((<f32>(pg148)) * <f32>(-1.5e+0)) - f32.NaN)));
      }
    }
  } else if (((<f32>(<i16>256)) >= ((<f32>(g0)) % <f32>(-2.5e+0)))) {
    let v164: i64 = min<i64>((<i64>(nearest<f32>((<f32>(g1))))), (g1 + (i64.MAX_VALUE - g1)));
    for (let i165: i32 = 0; i165 < (pg148 & 7); i165++) {
      if ((!((g1) > v164))) continue;
      if ((!(((i165) > pg148) || ((pg148) <= i165)))) {
        let v166: f64 = (-(-g0));
        g0 -= (g0 % ((g0 + g0) - (v166 - (<f64>(g1)))));
        a0 = (!((g1) != (<i64>(v166))));
      } else if (((((<i64>0x1d) > (<i64>(g0))) && ((g1) > v164)) && ((<i64>(pg148)) != v164))) {
        assert(pg148 != <i32>255, "gen: pg148 hit an edge");
        let v167: u8 = (<u8>(((Math.random()) >= reinterpret<f64>(<i64>0x7ff0000000000372))));
      } else if ((((<f64>(pg148)) > g0) && ((<i16>(i165)) == (<i16>(pg148))))) {
        if (((g0) >= g0)) continue;
        let v168: f64 = g0;
        g0 += (((<i32>31) >= pg148) ? fn4 : fn9)((<f64>(pg148)));
      } else {
        let v169: u64 = (<u64>0xfffffffffffffff2 * (<u64>(load<i64>(<usize>1416))));
      }
      assert(g1 != <i64>0x8000000000000000, "gen: g1 hit an edge");
    }
  } else {
    g1 <<= max<i64>(ctz<i64>((a0 ? <i64>0x0 : g1)), g1);
    let v170: i64 = ((popcnt<i64>(g1) & max<i64>(g1, g1)) % g1);
    let v171: i32 = (<i32>((<u8>(v170))));
  }
  g1 |= g1;
  return (<u8>(pg148)) + (<u8>(g0)) + (<u8>(g1)) + ((a0 ? <u8>172 : (<u8>(g1))) - load<u8>(<usize>80));
}
export function e24(a0: f32, a1: f32): f32 {
  if ((<i32>(a0)) == <i32>(-1)) unreachable();
  return a0 + a1 + (<f32>(g0)) + (<f32>(g1)) + (-(-(((a0) > a1) ? <f32>(4.4545218839843e+28) : a1)));
}
export function e25(a0: bool, a1: f32): bool {
  a1 *= <f32>(-1.2502084522599704e+27);
  return ((<bool>(a1)) != 0) != ((~g1) != (~g1));
}
export function e26(a0: i64): bool {
  g1 |= ((<i64>((<u32>32 << <u32>65535))) - rotr<i64>(reinterpret<i64>(<f64>(1.25e+0)), (a0 | a0)));
  let v172: i32 = (<i32>(((gfn24(a0)) > (((a0) < a0) ? a0 : a0))));
  let v173: u64 = (((<u64>0x40 & <u64>0xa0ea5f0329bca251) - (u64.MAX_VALUE + (<u64>(g1)))) + (<u64>(reinterpret<i64>(<f64>(-1e+0)))));
  return ((<bool>(a0)) != 0) != ((<bool>(v172)) != 0) != ((<bool>(v173)) != 0) != ((<bool>(g0)) != 0) != ((<bool>(g1)) != 0) != ((isFinite<f32>(<f32>(-3.1541833034332e-10))) || (isFinite<f32>((<f32>(v172)))));
}
export function e27(a0: f32): f32 {
  g0 += sqrt<f64>(g0);
  g0 += (-(-g0));
  act28(gfn24(g1));
  for (let i174: i32 = 0; i174 < 5; i174++) {
    if (((g1) > g1)) break;
  }
  return a0 + a0;
}
export function e28(): f32 {
  for (let i175: i32 = 0; i175 < 6; i175++) {
    act28(min<i64>((<i64>(g0)), g1));
  }
  let w176: i32 = 0;
  while (w176 < 4) {
    w176++;
    if (((g1) > (<i64>(w176)))) return (reinterpret<f32>(<i32>0xffc0022a) * <f32>(1e+0));
    g1 <<= ((<i64>(copysign<f64>(g0, g0))) % g1);
    if (((g1) != g1)) return (((<f32>(g1)) * (<f32>(g1))) + (<f32>(g0)));
  }
  g1 *= g1;
  switch ((((<i32>(g1)) + (<i32>(g0))) & 7)) {
    case 2: {
      let d177: i32 = 0;
      do {
        d177++;
        act28(gfn24((<i64>(d177))));
        g0 = g0;
      } while (d177 < 4);
    }
    case 3: {
      switch ((max<i32>(<i32>7, i32.MIN_VALUE) & 7)) {
        case 3: {
          g1 -= <i64>0x22;
          let v178: i32 = load<i32>(<usize>(<u32>((<i32>(g0)))));
        }
        break;
        default: {
          g0 -= ((<f64>(rec39((<i32>(-1617635035)) & 1, (<u32>(g0))))) + (<f64>(<u64>0x2d62564411a80695)));
          let v179: f64 = g0;
        }
      }
    }
    break;
    case 5: {
      if ((((g0) <= g0) || ((<f64>(-0.0)) >= (<f64>(g1))))) {
        let v180: u8 = ((<u8>(g1)) - ((~(<u8>(g0))) & load<u8>(<usize>1024)));
      } else {
        let v181: i32 = ((((g1) < g1) ? (<i32>((<u8>(g1)))) : ((<i32>(g1)) + (<i32>(g0)))) - (i32.MAX_VALUE + <i32>255));
        switch (((v181 + (i32.MAX_VALUE - v181)) & 7)) {
          case 3: {
            let v182: i16 = <i16>13426;
            let v183: i32 = ((popcnt<i32>(v181) >>> (<i32>((<u64>(g0))))) * ((v181 * v181) << v181));
          }
          break;
          case 5: {
            assert(v181 != <i32>(-2147483647), "gen: v181 hit an edge");
            let v184: u64 = (<u64>0x3f << ((isFinite<f32>(f32.NEGATIVE_INFINITY)) ? <u64>0x7fffffffffffffff : (((g0) >= (<f64>(g1))) ? (<u64>(g0)) : <u64>0x40)));
          }
          case 7: {
            let v185: f64 = (<f64>(0e+0) % g0);
            assert(v185 != <f64>(1.7976931348623157e+308), "gen: v185 hit an edge");
          }
          break;
        }
        let d186: i32 = 0;
        do {
          d186++;
          let v187: u64 = (<u64>(g1));
          g0 -= (Math.random());
        } while (d186 < 2);
      }
    }
    break;
    case 6: {
      let v188: f64 = (reinterpret<f64>(<i64>0xfff8000000000d8c) + g0);
    }
    break;
    default: {
      for (let i189: i32 = 0; i189 < 1; i189++) {
        g0 -= g0;
      }
    }
  }
  return (<f32>(g0));
}
export function e29(a0: f64): i64 {
  act28((<i64>(a0)));
  return (<i64>(a0)) + (<i64>(g0)) + g1 + (g1 << (((a0) < a0) ? g1 : g1));
}
export function e30(a0: i32, a1: i32): u32 {
  g0 /= (<f64>(((<u8>((<u32>(g1)))) + h52(g0, a1))));
  let v190: f64 = ((((<f32>(1e+0)) > <f32>(0e+0)) ? fn4 : fn6)((g0 - g0)) * (load<f64>(<usize>72) - g0));
  let w191: i32 = 0;
  while (w191 < 5) {
    w191++;
    v190 /= (g0 * min<f64>((<f64>((<i16>(g1)))), (-(-v190))));
    a0 *= w191;
  }
  let v192: i32 = a0;
  return (<u32>(a0)) + (<u32>(a1)) + (<u32>(v190)) + (<u32>(v192)) + (<u32>(g0)) + (<u32>(g1)) + (<u32>(g1));
}
export function e31(a0: u32, a1: i32): f32 {
  let d193: i32 = 0;
  do {
    d193++;
    if (((a1 + (i32.MAX_VALUE - d193)) <= (d193 + (i32.MAX_VALUE - d193)))) {
      let v194: f32 = (((<f32>(a0)) * (<f32>(9.5e+0) * (<f32>(a1)))) % ((-(-<f32>(-4.604115605992243e+17))) % <f32>(-7.5e-1)));
    }
  } while (d193 < 4);
  for (let i195: i32 = 0; i195 < 6; i195++) {
    let v196: f32 = (((((g0) < g0) && ((i195) > <i32>255)) || ((a1) > i195)) ? (((<f32>(a1)) * <f32>(3.25e+0)) + <f32>(2.0019810136888443e+18)) : <f32>(-1e+0));
  }
  let v197: f32 = (<f32>((<i16>(min<i32>(<i32>(<i16>(max<i32>(<i32>(<i16>(a0)), <i32>(<i16>(a1))))), <i32>((<i16>(g1)) & (<i16>(a1))))))));
  if (((min<u64>((<u64>(v197)), <u64>0x11f09258cb40de90)) > (<u64>(load<i64>(<usize>616))))) {
    switch ((reinterpret<i32>(<f32>(1.401298464324817e-45)) & 7)) {
      case 1: {
        v197 -= (v197 * ((v197 % v197) - (v197 + v197)));
        let v198: i32 = (a1 + (i32.MAX_VALUE - (h26() * (<i32>(a0)))));
      }
      break;
      case 4: {
        act28(gfn24((g1 | g1)));
        g1 <<= g1;
      }
      break;
    }
    gfn24 = fn18;
    for (let i199: i32 = 0; i199 < 2; i199++) {
      let v200: u64 = (<u64>(((((v197) == v197) ? a1 : <i32>(-2147483647)) == (((a1) > i199) ? <i32>(-9) : <i32>1))));
    }
  }
  switch ((abs<i32>(a1) & 7)) {
    case 3: {
      let w201: i32 = 0;
      while (w201 < 7) {
        w201++;
        let v202: i32 = (<i32>memory.size());
        g0 /= ((g0 + (-(-g0))) % ceil<f64>((g0 * <f64>(4.7050582594238223e-194))));
      }
    }
    case 7: {
      let w204: i32 = 0;
      while (w204 < 3) {
        w204++;
        let skip203: bool = false;
        let v205: i16 = (<i16>(w204));
        let v206: i64 = g1;
        let w207: i32 = 0;
        while (w207 < 3) {
          w207++;
          if ((((v197) > v197) && ((g1) < v206))) break;
          if (((g0) < g0)) return ((<f32>(w207)) + v197);
          if ((((<i64>(w207)) == v206) || ((g0) >= g0))) {
            skip203 = true;
            break;
          }
        }
        if (skip203) continue;
      }
      if ((isNaN<f64>(g0))) return Mathf.atan2((<f32>(<i32>1)), nearest<f32>(v197));
    }
    break;
  }
  return (<f32>(a0)) + (<f32>(a1)) + v197 + (<f32>(g0)) + (<f32>(g1)) + v197;
}
export function e32(a0: i32): i32 {
  let v208: i16 = (-(<i16>(<u64>0x100000000)));
  if (((<i64>0xeb1116f383d510) == (<i64>(((<i16>26756) == v208))))) {
    if (((v208 % ((<i16>(-6) & <i16>0x7f) + <i16>1)) > (v208 >> v208))) {
      g1 += (<i64>(v208));
      if ((!((a0) > a0))) {
        g1 <<= load<i64>(<usize>1872);
        let v209: f32 = ((<f32>(g1)) + <f32>(-4.219018388539553e-3));
      } else if ((((<i32>(v208)) != a0) && ((g0) <= g0))) {
        g1 += reinterpret<i64>((<f64>(a0)));
      } else if (((g1) != (g1 * <i64>0xb3ee1212602635be))) {
        act46();
      }
    } else {
      if (((rotl<i32>((<i32>(g1)), a0)) == <i32>2147483647)) {
        let v210: i16 = (v208 * (v208 + (<i16>(a0))));
      } else if (((<i64>0xf) < (-g1))) {
        let v211: u8 = (((<u8>35 + <u8>254) << (<u8>(v208))) * (<u8>(max<i32>(<i32>(((a0) == <i32>6) ? (<u8>(a0)) : (<u8>(a0))), <i32>(((<i16>(g0)) < v208) ? (<u8>(g1)) : <u8>246)))));
        g1 ^= (g1 % ((g1 & <i64>0x7f) + <i64>1));
        g1 ^= g1;
      } else if (((a0) != a0)) {
        a0 = (<i32>((<i16>((~(<i32>(g0)))))));
      }
    }
  }
  for (let i212: i32 = 0; i212 < 7; i212++) {
    g0 += g0;
    let v213: bool = true;
  }
  assert(g1 != <i64>0x7fffffffffffffff, "gen: g1 hit an edge");
  a0 -= a0;
  return a0 ^ (<i32>(v208)) ^ (<i32>(g0)) ^ (<i32>(g1)) ^ load<i32>(<usize>1368);
}
export function e33(a0: f64, a1: u8, a2: u32): u32 {
  let d214: i32 = 0;
  do {
    d214++;
    a0 = g0;
  } while (d214 < 4);
  let v215: i16 = <i16>13;
  return (<u32>(a0)) + (<u32>(a1)) + a2 + (<u32>(v215)) + (<u32>(g0)) + (<u32>(g1)) + a2;
}
export function e34(a0: u8, a1: i32, a2: f64): bool {
  for (let i216: i32 = 1; i216 > 0; i216--) {
    assert(i216 != <i32>0, "gen: i216 hit an edge");
  }
  let stop217: bool = false;
  for (let i218: i32 = 0; i218 < 4; i218++) {
    for (let i219: i32 = 0; i219 < 1; i219++) {
      a0 ^= (~h44((f32.POSITIVE_INFINITY + (<f32>(g1)))));
      a0 |= h52(a2, (~(<i32>memory.size())));
      if ((((<f64>(9.007199254740992e+15)) > <f64>(-9.223372036854776e+18)) && ((a0) > (<u8>(i218))))) {
        stop217 = true;
        break;
      }
      if (((((g0) < a2) ? i218 : i219) >= (<i32>(a0)))) {
        a0 += (<u8>((~(~<u32>2))));
        a2 /= max<f64>((<f64>(((i219) < a1))), reinterpret<f64>(<i64>0xfff40000000006f2));
        a2 -= g0;
      } else if ((!(!((a2) == a2)))) {
        let v220: i32 = (h26() + (i32.MAX_VALUE - load<i32>(<usize>992)));
        if (((g0) >= a2)) continue;
        g0 /= h13(load<i32>(<usize>1392), a1, ((<f64>((<u64>(i218)))) * (<f64>(<i16>(-10)))));
      }
    }
    if (stop217) break;
    g1 = (((a1) < max<i32>((<i32>(g0)), (<i32>(a2)))) ? g1 : ((g1 + g1) ^ (g1 & g1)));
    let v221: f64 = a2;
  }
  a0 += ((<u8>(g0)) >> a0);
  let v222: u8 = ((((g0) == a2) ? (a0 - a0) : a0) << a0);
  return ((<bool>(a0)) != 0) != ((<bool>(a1)) != 0) != ((<bool>(a2)) != 0) != ((<bool>(v222)) != 0) != ((<bool>(g0)) != 0) != ((<bool>(g1)) != 0) != (((<u8>(a1)) ^ a0) < h52(<f64>(-1.75e+0), a1));
}
export function e35(a0: i32): f64 {
  let v223: i64 = (~g1);
  if ((((g1) == g1) || ((<i64>(g0)) <= v223))) {
    v223 += (v223 + load<i64>(<usize>(<u32>((((v223) != g1) ? <i32>(-1) : a0)))));
    g0 *= (((((g0) != (<f64>(g1))) || ((g0) != g0)) || (!((<i64>0x8000000000000000) == (<i64>(g0))))) ? ((<f64>(g1)) * (((g0) >= g0) ? g0 : g0)) : (<f64>(g1)));
  } else if (((((g0) < g0) && ((g1) > g1)) || ((a0) > (<i32>(g0))))) {
    v223 += (<i64>(<u32>2277721321));
  } else if (((<i64>(<i16>(-1))) <= v223)) {
    g0 /= (<f64>((~(v223 | v223))));
    if ((isNaN<f32>(((<f32>(g1)) * (<f32>(g1)))))) {
      for (let i224: i32 = 4; i224 > 0; i224--) {
        let v225: f64 = h13(h26(), (ctz<i32>(a0) * (i32.MAX_VALUE - (~i224))), (<f64>(3.375e+0) % (<f64>((<u32>(v223))))));
        gfn24 = fn18;
      }
      let v226: bool = ((g0) >= g0);
      act46();
    } else if (((h60(((g1) != g1))) == (((g1) > g1) ? g0 : g0))) {
      g1 &= (<i64>((load<i16>(<usize>1656) % ((<i16>31 & <i16>0x7f) + <i16>1))));
      let pg227: i32 = <i32>memory.grow(1);
      if (pg227 > 0) store<f64>(<usize>pg227 << 16, g0);
      for (let i228: i32 = 3; i228 > 0; i228--) {
        g1 *= rotl<i64>((popcnt<i64>(v223) % ((((<i64>(pg227)) % ((g1 & <i64>0x7f) + <i64>1)) & <i64>0x7f) + <i64>1)), (<i64>(i228)));
      }
    } else if ((((<i32>(g0)) + a0) <= a0)) {
      let v229: i32 = a0;
      let v230: i64 = popcnt<i64>((-(<i64>(<i16>17))));
      let stop231: bool = false;
      for (let i232: i32 = 6; i232 > 0; i232--) {
        v230 <<= v223;
        for (let i233: i32 = 0; i233 < (i232 & 7); i233++) {
          a0 *= ((<i32>((-(-(<f32>(a0)))))) & rotl<i32>(ctz<i32>(i232), i233));
          if (((i233) >= (<i32>(v230)))) {
            stop231 = true;
            break;
          }
          g1 |= clz<i64>((<i64>(load<i16>(<usize>896))));
          if ((!((a0) > i233))) return (<f64>((((<f32>(-1e+0)) < (<f32>(v223))) ? <f32>(1e+1) : <f32>(-1e+0))));
        }
        if (stop231) break;
        let v234: i64 = (~v223);
      }
    }
    if ((isNaN<f32>((<f32>(3.4028234663852886e+38) % <f32>(1e+0))))) {
      let stop235: bool = false;
      let d236: i32 = 0;
      do {
        d236++;
        let d237: i32 = 0;
        do {
          d237++;
          g0 = (g0 * g0);
          if (((<i32>2147483647) >= a0)) {
            stop235 = true;
            break;
          }
        } while (d237 < (d236 & 7) && ((<i32>(v223)) < <i32>35));
        if (stop235) break;
        g1 *= gfn24((gfn24(g1) >> (<i64>(g0))));
      } while (d236 < 1 && ((g1) == g1));
    } else if (((<f64>(-0.0)) < g0)) {
      for (let i238: i32 = 0; i238 < 6; i238++) {
        let v239: f64 = <f64>(3.875e+0);
        g0 = g0;
        if (((i238) < (<i32>(v223)))) return (ceil<f64>(v239) + (v239 * v239));
      }
      switch ((<i32>1525361744 & 7)) {
        case 2: {
          g0 /= h60(((<i16>16) < <i16>(-31592)));
        }
        case 3: {
          let v240: i64 = (((v223 - v223) + (v223 + g1)) + (i64.MAX_VALUE - v223));
          let v241: f64 = h13(abs<i32>(a0), a0, (Math.random()));
        }
        break;
        default: {
          v223 ^= (~(<i64>(g0)));
          g1 *= load<i64>(<usize>1288);
        }
      }
    } else if ((isNaN<f32>((<f32>(g0))))) {
      act28(g1);
      for (let i243: i32 = 0; i243 < (a0 & 1); i243++) {
        let skip242: bool = false;
        let w244: i32 = 0;
        while (w244 < 6) {
          w244++;
          if (((i243) < <i32>(-1406430820))) {
            skip242 = true;
            break;
          }
          if (((<f32>(1.45234378752e+11)) > (<f32>(v223)))) continue;
        }
        if (skip242) continue;
      }
    }
  }
  let v245: i64 = g1;
  return (<f64>(a0)) + (<f64>(v223)) + (<f64>(v245)) + (((v245) < v245) ? (g0 + g0) : (-(-g0)));
}
export function e36(a0: i64, a1: i32, a2: i32): u32 {
  a1 <<= a2;
  return (<u32>(a0)) + (<u32>(a1)) + (<u32>(a2)) + (rec39((<i32>256) & 1, <u32>35) * (<u32>32 - (<u32>(a0))));
}
export function e37(a0: f64, a1: bool): i32 {
  switch (((-(<i32>(a0))) & 7)) {
    case 2: {
      let v246: f64 = ((-(g0 % g0)) - g0);
      let v247: i32 = rotl<i32>((((<i32>(v246)) - (i32.MAX_VALUE + (<i32>(g0)))) & ((<i32>(v246)) + (i32.MAX_VALUE - (<i32>(v246))))), (((<i32>(v246)) + <i32>7) % (((<i32>((<f32>(g0)))) & <i32>0x7f) + <i32>1)));
    }
    break;
    case 4: {
      let v248: f64 = <f64>(5e-324);
    }
    break;
    case 6: {
      let v249: f32 = (<f32>(a0));
    }
    break;
  }
  for (let i250: i32 = 0; i250 < 5; i250++) {
    let v251: i64 = (<i64>(clz<u32>((~<u32>4294901760))));
    v251 += (ctz<i64>((v251 - v251)) ^ gfn24(load<i64>(<usize>304)));
  }
  a0 -= (((a1 ? fn4 : fn6)(a0) * (g0 * g0)) + (<f64>((<u64>(a0)))));
  a1 = ((g1 * (<i64>(a0))) > (<i64>((<u64>(g0)))));
  return (<i32>(a0)) + (<i32>(g0)) + (<i32>(g1)) + (-((<i32>(g1)) + (i32.MAX_VALUE - (<i32>(g0)))));
}
export function e38(a0: u8, a1: u32): f64 {
  act28((<i64>(g0)));
  g0 += <f64>(-4.595256850589067e+249);
  let v252: f32 = ((<f32>(g1)) + ((<f32>(g1)) + ((<f32>(a0)) - (<f32>(g1)))));
  let v253: u64 = (~((<u64>0x5cb66a0d4ac79764 % ((<u64>0xfffffffffffffff5 & <u64>0x7f) + <u64>1)) >> <u64>0xffffffff));
  return (<f64>(a0)) + (<f64>(a1)) + (<f64>(v252)) + (<f64>(v253)) + g0 + (<f64>(g1)) + ((((<f64>(g1)) > g0) ? (<f64>(a1)) : g0) + h56(<f32>(5e-1), ((g0) >= (<f64>(a0))), (<i32>(g0))));
}
export function e39(a0: i32, a1: u32): u8 {
  let v254: i64 = <i64>0xffffffff;
  g1 &= rotr<i64>(g1, gfn24((g1 >> g1)));
  let w255: i32 = 0;
  while (w255 < 1) {
    w255++;
    for (let i256: i32 = 3; i256 > 0; i256--) {
      let v257: i64 = load<i64>(<usize>1448);
    }
  }
  let v258: f64 = g0;
  return (<u8>(a0)) ^ (<u8>(a1)) ^ (<u8>(v254)) ^ (<u8>(v258)) ^ (<u8>(g0)) ^ (<u8>(g1)) ^ (<u8>(a0));
}
export function e40(a0: f32, a1: u32): i32 {
  for (let i259: i32 = 7; i259 > 0; i259--) {
    let d260: i32 = 0;
    do {
      d260++;
      if (((d260 >> d260) >= (i259 ^ d260))) {
        let v261: i64 = (<i64>(a1));
      } else if ((((<u32>2147483648) < a1) || ((d260) < d260))) {
        g0 *= (-(-(-(<f64>(((i259) == i259))))));
        act46();
      } else {
        act46();
      }
    } while (d260 < 7);
  }
  a1 ^= a1;
  g0 *= (<f64>(((g1) > g1)));
  return (<i32>(a0)) + (<i32>(a1)) + (<i32>(g0)) + (<i32>(g1)) + (popcnt<i32>((<i32>(g0))) % (((<i32>358722914 + (i32.MAX_VALUE - (<i32>(g1)))) & <i32>0x7f) + <i32>1));
}
export function e41(a0: f64, a1: i64): f64 {
  a1 += gfn24(((((a1) >= g1) ? <i64>0xfd86dd521870485a : <i64>0x0) ^ gfn24(a1)));
  return a0 + (<f64>(a1)) + g0 + (<f64>(g1)) + copysign<f64>((a0 * g0), h56((<f32>(a1)), ((<i16>(g0)) >= <i16>32572), <i32>(-1)));
}
export function e42(a0: f64): u32 {
  a0 *= ((!(((g1) != g1) || ((a0) >= g0))) ? g0 : (-a0));
  if (((<u64>(a0)) > <u64>0x77e8dafa58c58a9c)) {
    let v262: bool = true;
  } else {
    let w263: i32 = 0;
    while (w263 < 1) {
      w263++;
      let w264: i32 = 0;
      while (w264 < (w263 & 7)) {
        w264++;
        if (((w264) >= w263)) break;
      }
      for (let i265: i32 = (w263 & 7); i265 > 0; i265--) {
        act46();
        g0 *= (<f64>((<u8>((g1 % (<i64>(w263)))))));
        let v266: f64 = trunc<f64>((-a0));
      }
      let v267: i16 = <i16>24765;
    }
    if (((<i64>0x20486808b269b6a9) < (<i64>(g0)))) {
      assert((<u32>(g1)) != <u32>65535, "gen: u32g1 hit an edge");
      let v268: f32 = (-(reinterpret<f32>(<i32>0x7f800ebb) * (-(<f32>(a0)))));
      assert(g0 != <f64>(-0.0), "gen: g0 hit an edge");
    } else if ((((g1) <= (<i64>(a0))) || (((g0) <= a0) || ((g1) == (<i64>(g0)))))) {
      let v269: u8 = ((~(<u8>10 * (<u8>(g0)))) >>> ((<u8>(<i32>1371761825)) + (<u8>(a0))));
      v269 |= (((a0) >= a0) ? v269 : <u8>136);
      let w270: i32 = 0;
      while (w270 < 5) {
        w270++;
        a0 += g0;
        g1 -= (min<i64>((g1 | (<i64>(w270))), g1) | gfn24((<i64>((<u8>(a0))))));
        g1 = g1;
      }
    } else {
      let d271: i32 = 0;
      do {
        d271++;
        a0 += a0;
        g1 &= (-((g1 % ((g1 & <i64>0x7f) + <i64>1)) / (((g1 >>> g1) & <i64>0x7f) + <i64>1)));
        g1 += (<i64>(g0));
      } while (d271 < 4);
      switch (((<i32>(-681358623) + (i32.MAX_VALUE - (<i32>(g1)))) & 7)) {
        case 0: {
          a0 += min<f64>(((a0 / g0) % (<f64>(g1))), ((a0 - a0) / g0));
        }
        break;
        case 1: {
          a0 /= nearest<f64>(h60(((g1) >= g1)));
          a0 += <f64>(2.375e+0);
        }
        case 2: {
          act46();
          let v272: f32 = ((<f32>(g1)) + (<f32>(<u8>255)));
        }
        case 7: {
          let v273: u32 = ctz<u32>((<u32>(<i64>0x8000000000000000)));
        }
        break;
      }
      let v274: i32 = (<i32>(-4) + (~(<i32>(a0))));
    }
  }
  if ((((<f64>(g1)) + a0) != h13((<i32>(g1)), <i32>32, a0))) {
    switch (((<i32>(-65536) / (((<i32>(g0)) & <i32>0x7f) + <i32>1)) & 7)) {
      case 1: {
        g0 /= (sqrt<f64>(reinterpret<f64>(<i64>0x7ff0000000000498)) + (-(<f64>(-1e+0) - a0)));
        let v275: bool = (((((<u8>32) < <u8>252) && ((g1) <= g1)) ? h60(((g0) <= a0)) : (-a0)) > a0);
      }
      break;
      case 2: {
        switch ((abs<i32>((<i32>(g1))) & 7)) {
          case 1: {
            g1 |= g1;
          }
          case 3: {
            a0 /= g0;
          }
          case 6: {
            g1 &= g1;
            a0 /= (((!((a0) <= a0)) || (isNaN<f32>((<f32>(a0))))) ? fn4 : fn9)((((<i32>(g0)) <= (<i32>(g0))) ? fn4 : fn9)(g0));
          }
          break;
        }
        if (((g0) >= (<f64>(4.4168791314587e-121) + g0))) {
          g1 -= (gfn24((<i64>(<i16>0))) * g1);
        } else {
          let pg276: i32 = <i32>memory.grow(0);
          if (pg276 > 0) store<f64>(<usize>pg276 << 16, ((<f64>(pg276)) % min<f64>(a0, g0)));
        }
      }
      break;
      case 3: {
        g1 *= (g1 / ((min<i64>((<i64>(<i16>31)), (<i64>(a0))) & <i64>0x7f) + <i64>1));
      }
      break;
      case 4: {
        g0 *= <f64>(-3.25e+0);
        let v277: i32 = ((((<i32>(a0)) & (<i32>(g1))) - (i32.MAX_VALUE + ctz<i32>(<i32>0))) >> ((<i32>(g0)) | (<i32>(g0))));
      }
      break;
    }
    let d278: i32 = 0;
    do {
      d278++;
      a0 = (-<f64>(-2.625e+0));
      g1 += (((g1 >>> g1) + (g1 << g1)) >> g1);
      if (d278 == <i32>2) unreachable();
    } while (d278 < 2 && ((g1) >= (<i64>(a0))));
    let w279: i32 = 0;
    while (w279 < 5) {
      w279++;
      let stop280: bool = false;
      for (let i281: i32 = 0; i281 < 1; i281++) {
        if (((a0) != g0)) return (((<u32>(w279)) - (u32.MAX_VALUE + (<u32>(i281)))) - (<u32>256 | <u32>4294967295));
        for (let i282: i32 = 0; i282 < 1; i282++) {
          g1 *= ((<i64>(i282)) >>> g1);
          g1 += ctz<i64>((<i64>(<i16>(-786))));
          if (((g1) <= g1)) {
            stop280 = true;
            break;
          }
        }
        if (stop280) break;
      }
    }
  } else if ((!((<f64>(g1)) >= a0))) {
    if ((!(((<u8>86) < (<u8>(g0))) || ((g1) != g1)))) {
      let v283: i32 = (<i32>(<u8>247));
      act46();
      let v284: i32 = h26();
    } else if (((load<f64>(<usize>552)) <= reinterpret<f64>(<i64>0xfff40000000005b7))) {
      act46();
    } else if (((<i64>0xffffffffffffffff) <= g1)) {
      switch ((((<i32>(g0)) - (<i32>(g1))) & 7)) {
        case 1: {
          let v285: u64 = (<u64>(a0));
        }
        break;
        case 2: {
          let v286: i64 = g1;
        }
        case 3: {
          g0 += load<f64>(<usize>1968);
        }
        break;
        case 5: {
          let v287: u64 = min<u64>((~(~<u64>0xa)), (~<u64>0x3f));
          g0 *= (<f64>((<f32>(g0))));
        }
        break;
      }
      let w288: i32 = 0;
      while (w288 < 6) {
        w288++;
        g0 = reinterpret<f64>(<i64>0x7ff8000000000f1d);
      }
      let v289: u32 = (<u32>(g0));
    } else {
      a0 /= (((((g0) < <f64>(-1.375e+0)) || ((a0) >= (<f64>(g1)))) ? g0 : a0) * ((((g1) <= <i64>0xc5a89a8266faaba9) ? fn4 : fn9)(a0) / min<f64>((<f64>(g1)), a0)));
      let w290: i32 = 0;
      while (w290 < 5) {
        w290++;
        if (((w290) != w290)) break;
        g1 <<= g1;
        let v291: f64 = (<f64>((((<f64>(w290)) % a0) <= load<f64>(<usize>1784))));
      }
      a0 = copysign<f64>(nearest<f64>(a0), <f64>(3.125e+0));
    }
    if ((!((g1) < g1))) {
      a0 = g0;
      if ((((<i16>(a0)) + <i16>31) > (<i16>((<u32>(g0)))))) {
        let v292: i32 = (h26() + (-(<i32>(-65536) - (<i32>(g1)))));
        let v293: f64 = a0;
        a0 /= load<f64>(<usize>1504);
      } else if ((!((g1) != g1))) {
        assert(g0 != <f64>(-1e+0), "gen: g0 hit an edge");
        let v294: bool = (isFinite<f32>((<f32>((<u64>((<i16>(g1))))))));
      }
    } else if (((g0 / a0) != (<f64>(<u32>22)))) {
      g0 *= <f64>(2.25e+0);
      for (let i295: i32 = 0; i295 < 4; i295++) {
        assert(g0 != f64.NaN, "gen: g0 hit an edge");
      }
      gfn24 = fn18;
    } else {
      act28(((g1 & g1) + min<i64>(g1, g1)));
    }
    let v296: i64 = (<i64>(g0));
  } else if (((g0) != (g0 + g0))) {
    if ((isFinite<f32>(((<f32>(a0)) * (<f32>(g0)))))) {
      let v297: f64 = g0;
      switch (((<i32>((<i64>(g0)))) & 7)) {
        case 1: {
          let v298: u8 = (<u8>(((<f64>(<i64>0x1)) * (v297 + v297))));
        }
        break;
        case 2: {
          let v299: i32 = <i32>(-7);
        }
        break;
        case 4: {
          g0 -= (<f64>(((<i32>(a0)) & <i32>(-1223048973))));
        }
        case 6: {
          let v300: i32 = ((<i32>(g0)) >> (h26() >> ((<i32>(v297)) + <i32>745034352)));
        }
        break;
        default: {
          let v301: f32 = ceil<f32>((<f32>(v297)));
          v301 /= (<f32>(((<f64>(-9.223372036854776e+18)) >= a0)));
        }
      }
      let v302: f64 = trunc<f64>(ceil<f64>((-(-a0))));
    } else if ((((<u32>(g1)) >= (<u32>(g1))) || ((<f64>(g1)) > a0))) {
      if (((<i64>(a0)) >= load<i64>(<usize>208))) {
        a0 = floor<f64>(a0);
        g1 += g1;
        let v303: u8 = ((<u8>(<u32>2147483648)) ^ ((<u8>38 * (<u8>(g0))) ^ (<u8>(a0))));
      } else if (((g1 ^ g1) > g1)) {
        let v304: u8 = ((((<f64>(g1)) >= a0) || (!((g1) != g1))) ? (<u8>(<i32>33285818)) : ((((<i64>0xffffffffffffffff) < g1) ? (<u8>(g1)) : (<u8>(a0))) >> (<u8>7 >>> (<u8>(g0)))));
        assert(g0 != <f64>(-9.223372036854776e+18), "gen: g0 hit an edge");
        assert((<i32>(a0)) != <i32>1, "gen: i32a0 hit an edge");
      } else if (((isNaN<f64>(g0)) || ((g0) >= g0))) {
        let v305: u64 = <u64>0xceabdbda3bde0dae;
        let v306: f32 = <f32>(3.099887491927245e+18);
        a0 = (<f64>(max<i32>(h26(), abs<i32>((<i32>(v306))))));
      } else {
        g0 /= a0;
        assert((<i32>(g0)) != <i32>0, "gen: i32g0 hit an edge");
      }
    } else {
      if ((((a0) == <f64>(-3.75e-1)) && ((a0) < a0))) {
        act46();
      } else {
        let v307: i64 = gfn24(((((g0) < a0) ? (<i64>(a0)) : <i64>0x8) * (g1 * g1)));
        let v308: f64 = a0;
        let v309: f64 = (<f64>(<f32>(-1e+0)));
      }
    }
    g0 /= h60((((g0) == (<f64>(g1))) || (((a0) > a0) && ((a0) > a0))));
    g1 ^= (-(-ctz<i64>(g1)));
  } else {
    g1 *= load<i64>(<usize>896);
    if (((<u8>(<u32>1147829297)) <= (~(<u8>(a0))))) {
      if (((<f64>(2.722195270471275e+110)) > a0)) {
        g0 -= (((f64.NEGATIVE_INFINITY * a0) * g0) / h13((((g0) == g0) ? <i32>32 : <i32>256), <i32>0, ((<f64>(g1)) % a0)));
        a0 += (((g0) != (((a0) < g0) ? g0 : <f64>(4.75e+0))) ? fn4 : fn6)(h56(f32.NaN, (((g1) >= g1) && ((g1) > (<i64>(g0)))), (<i32>(g0))));
      }
    } else if ((((<f64>(g1)) == (<f64>(g1))) && (isFinite<f32>((<f32>(g1)))))) {
      a0 -= reinterpret<f64>(<i64>0xfff4000000000396);
      if (((g1) > <i64>0x4fc1e228be7e3235)) return (<u32>(a0));
      act28((<i64>((<u32>(g0)))));
    }
  }
  return (<u32>(a0)) ^ (<u32>(g0)) ^ (<u32>(g1)) ^ <u32>4294901760;
}
export function e43(): u8 {
  g1 = <i64>0x4fb88a2b0ba4551a;
  let w310: i32 = 0;
  while (w310 < 2) {
    w310++;
    for (let i311: i32 = 0; i311 < 6; i311++) {
      let v312: i64 = (<i64>(reinterpret<f32>(<i32>0x7fa001f7)));
    }
  }
  return (<u8>(g0)) + (<u8>(g1)) + (((<u8>(g1)) / (((<u8>(g0)) & <u8>0x7f) + <u8>1)) + (<u8>255 >> (<u8>(g1))));
}
export function e44(a0: bool, a1: u8, a2: u8): u8 {
  if ((((<f64>(a2)) != g0) || (isNaN<f32>((<f32>(g1)))))) {
    act28(<i64>0x7fffffffffffffff);
  } else if (((f64.POSITIVE_INFINITY / g0) <= (<f64>(g1)))) {
    for (let i313: i32 = 0; i313 < 2; i313++) {
      let v314: u64 = ((<u64>0xffffffffffffffff - (u64.MAX_VALUE + ((<u64>(g0)) - (u64.MAX_VALUE + <u64>0x375197905e1550e1)))) + (<u64>(a2)));
      let v315: f64 = <f64>(3.2299475045874717e+47);
      assert(v315 != <f64>(1.7976931348623157e+308), "gen: v315 hit an edge");
    }
    g0 -= Math.log((((a1) <= a1) ? (((<u64>(a1)) <= <u64>0xffffffffffffffff) ? fn4 : fn6)(g0) : Math.atan2((<f64>(a2)), g0)));
    assert(i32.MIN_VALUE != <i32>65535, "gen: i32MIN_VALUE hit an edge");
  } else if (((<u8>(<u32>256)) != a2)) {
    switch ((((<i32>(g0)) * (i32.MAX_VALUE - (<i32>(a1)))) & 7)) {
      case 0: {
        a0 = ((g1) <= g1);
      }
      case 2: {
        let v316: bool = a0;
        v316 = ((a2) > (a2 ^ a2));
      }
      break;
      default: {
        g1 += g1;
        let v317: i32 = (min<i32>(min<i32>((<i32>(g1)), (<i32>(g0))), (-(<i32>(a2)))) - (<i32>((g0 + g0))));
      }
    }
  } else {
    for (let i319: i32 = 6; i319 > 0; i319--) {
      let skip318: bool = false;
      let w320: i32 = 0;
      while (w320 < (i319 & 7)) {
        w320++;
        if ((a0 && ((i319) != w320))) {
          skip318 = true;
          break;
        }
      }
      if (skip318) continue;
      for (let i321: i32 = (i319 & 1); i321 > 0; i321--) {
        if (((i321) >= i319)) continue;
      }
    }
  }
  a0 = ((a2) == a1);
  assert((<u32>(g1)) != <u32>2147483647, "gen: u32g1 hit an edge");
  a2 |= a1;
  return a1 ^ a2 ^ (<u8>(g0)) ^ (<u8>(g1)) ^ (((a2) > a2) ? (<u8>(min<i32>(<i32>a1, <i32><u8>0))) : (<u8>((<i64>(a2)))));
}
export function e45(): u32 {
  if (((isFinite<f32>((<f32>(g1)))) || ((<u32>(g1)) >= (<u32>(g1))))) {
    if (((g1 - <i64>0xffffffff) < <i64>0xffffffffffffffff)) {
      gfn24 = fn22;
      let v322: bool = ((g0) != g0);
      for (let i323: i32 = 0; i323 < 7; i323++) {
        if ((isNaN<f32>((<f32>(g1))))) return <u32>3690882557;
      }
    } else if ((!((g0) > g0))) {
      let v324: u64 = ((~<u64>0x1a) ^ (~((<u64>(g0)) * (u64.MAX_VALUE - (<u64>(g1))))));
      g0 *= g0;
      let v325: u8 = (<u8>0 & (<u8>(max<i32>(<i32>((<u8>(v324)) << (<u8>(v324))), <i32>((<u8>(g0)) * <u8>255)))));
    } else {
      let v326: u64 = ((<u64>0x7fffffffffffffff << <u64>0xfffffffffffffff8) >> ((<u64>(load<i64>(<usize>560))) % (((~(<u64>(g0))) & <u64>0x7f) + <u64>1)));
      let v327: i64 = reinterpret<i64>(g0);
    }
  } else {
    for (let i328: i32 = 0; i328 < 3; i328++) {
      if ((((i328) == i328) || ((i328) > i328))) return (((i328) < i328) ? ((<u32>(i328)) - <u32>4294967285) : ((<u32>(g0)) + (<u32>(g1))));
      assert(i328 != <i32>(-2147483647), "gen: i328 hit an edge");
    }
  }
  let w329: i32 = 0;
  while (w329 < 3) {
    w329++;
    g0 = reinterpret<f64>(<i64>0x7ff000000000021b);
  }
  let v330: u8 = (<u8>(g1));
  let w332: i32 = 0;
  while (w332 < 7) {
    w332++;
    let skip331: bool = false;
    for (let i333: i32 = 1; i333 > 0; i333--) {
      for (let i334: i32 = 0; i334 < 5; i334++) {
        act46();
        assert(<i64>0xf1b28ce57d465574 != <i64>0x0, "gen: i640xf1b28ce57d465574 hit an edge");
        v330 += (<u8>(i333));
      }
      let v335: i32 = (((w332 / (((<i32>(g1)) & <i32>0x7f) + <i32>1)) & clz<i32>(i333)) & (<i32>memory.size()));
      if (((i333) <= i333)) {
        skip331 = true;
        break;
      }
    }
    if (skip331) continue;
    if ((((<u8>(g1)) > v330) || ((<i64>0x2a9f0fc8ef10c42b) <= g1))) return (~(<u32>255 | (<u32>(v330))));
    v330 |= (<u8>(((<u8>(<i16>(-1))) < (v330 % ((v330 & <u8>0x7f) + <u8>1)))));
  }
  act46();
  return (<u32>(v330)) + (<u32>(g0)) + (<u32>(g1)) + <u32>4294967295;
}
export function e46(a0: u8): f64 {
  a0 &= ((<u8>(g0)) + (<u8>(min<i32>(<i32>(~a0), <i32>((<u8>(g1)) ^ a0)))));
  if ((isFinite<f32>((f32.NaN / f32.POSITIVE_INFINITY)))) {
    for (let i336: i32 = 0; i336 < 3; i336++) {
      if ((isFinite<f32>(((<f32>(g0)) - (<f32>(i336)))))) {
        let v337: u8 = (<u8>((g1 + (<i64>((<u64>(i336)))))));
      } else if ((isFinite<f32>(((<f32>(g1)) * <f32>(4.9101746973923e-11))))) {
        if (((<f64>(a0)) >= g0)) break;
        let v338: u8 = (((~a0) << (~a0)) - a0);
        if ((((i336) != i336) && ((g1) >= g1))) break;
      }
    }
    switch (((<i32>(<i16>0)) & 7)) {
      case 0: {
        g1 = ((~g1) | g1);
        a0 -= h44(((-(-f32.POSITIVE_INFINITY)) * <f32>(-1.75e+0)));
      }
      case 1: {
        gfn24 = fn22;
        if (((g0 + <f64>(1.25e+0)) != h13((<i32>(a0)), (<i32>(g0)), g0))) {
          if ((<f64>(g1)) == <f64>(1.7976931348623157e+308)) unreachable();
          g0 = (g0 / (<f64>(a0)));
        } else if (((!((g0) > g0)) && ((<u8>120) != a0))) {
          a0 ^= a0;
        } else if ((((<i64>0x8a1e04a3fad0727a) <= g1) || ((g0) <= g0))) {
          g1 *= g1;
          g1 |= (load<i64>(<usize>1328) ^ g1);
          let v339: u32 = (<u32>(g0));
        }
      }
      break;
      case 2: {
        g0 /= reinterpret<f64>(<i64>0x7ff0000000000fa7);
      }
      break;
      case 3: {
        if (((g1) != (((a0) < a0) ? g1 : <i64>0xfffffffffffffffb))) {
          g1 = g1;
          g1 += (<i64>((<i16>(a0))));
        } else if (((((g0) <= g0) && ((g1) == g1)) || (isFinite<f32>(<f32>(4.9832248e+7))))) {
          act46();
          let v340: i32 = (<i32>(a0));
        } else {
          let v341: i64 = (<i64>(max<f32>(max<f32>((<f32>(g0)), (<f32>(a0))), (-<f32>(-4.8855426989715096e+19)))));
          act28((<i64>((<f32>(1e+0) - <f32>(-7.75e+0)))));
        }
      }
      break;
      default: {
        for (let i342: i32 = 0; i342 < 4; i342++) {
          g1 ^= ((<i64>((((i342) < i342) && ((g1) < g1)))) * ((((g1) >= g1) ? g1 : g1) >> clz<i64>(g1)));
          let v343: bool = (isNaN<f32>((((<u64>0x291de331bb8eddc7) > <u64>0x808f79a4fb24e375) ? (<f32>(3.25e+0) + <f32>(-2e+0)) : (<f32>(i342)))));
          g1 ^= gfn24(g1);
        }
        let w344: i32 = 0;
        while (w344 < 4) {
          w344++;
          if (((g1) >= g1)) continue;
        }
      }
    }
  } else if (((a0 - (<u8>(g0))) >= a0)) {
    let pg345: i32 = <i32>memory.grow(0);
    if (pg345 > 0) store<i64>(<usize>pg345 << 16, ((-g1) ^ (<i64>(<u64>0x74e05069f5b6840a))));
  } else if ((!((a0) != a0))) {
    for (let i347: i32 = 7; i347 > 0; i347--) {
      let skip346: bool = false;
      if (((i347) >= <i32>(-1367397339))) break;
      let v348: u64 = ((<u64>(load<i64>(<usize>2040))) ^ (((<u64>(i347)) << (<u64>(g1))) & rotl<u64>(<u64>0x14, <u64>0x3270d5bf69a89d11)));
      let w349: i32 = 0;
      while (w349 < (i347 & 7)) {
        w349++;
        let v350: bool = (!(isNaN<f64>((<f64>(v348)))));
        if (((<i16>(-10)) < <i16>33)) {
          skip346 = true;
          break;
        }
      }
      if (skip346) continue;
      let v351: bool = false;
      a0 |= h44((<f32>(v348)));
    }
    let v352: u32 = (((((g0) > g0) ? g1 : g1) >= (~g1)) ? <u32>2766792169 : (<u32>(g0)));
  } else {
    let v353: i64 = ((-g1) - (i64.MAX_VALUE + gfn24((g1 - g1))));
    if (((g0 * g0) <= (<f64>(g1)))) {
      switch ((<i32>2147483647 & 7)) {
        case 1: {
          let v354: i64 = rotr<i64>(v353, ((<i64>((<u8>(v353)))) | (g1 << <i64>0xbaf5868c38c60e53)));
        }
        break;
        case 3: {
          gfn24 = fn18;
        }
        case 4: {
          let v355: i32 = (<i32>(g1));
          assert(<f64>(1.7976931348623157e+308) != <f64>(-0.0), "gen: f6417976931348623157e308 hit an edge");
        }
        break;
        case 5: {
          v353 |= (g1 >> v353);
          v353 -= <i64>0xffffffff;
        }
        break;
      }
      for (let i356: i32 = 0; i356 < 2; i356++) {
        let v357: f32 = (<f32>(((i356 * <i32>(-5)) <= i356)));
        assert(g1 != <i64>0xffffffff00000000, "gen: g1 hit an edge");
      }
      a0 |= (<u8>(abs<i32>((<i32>652367553 - <i32>(-65536)))));
    } else {
      let d358: i32 = 0;
      do {
        d358++;
        g0 *= (<f64>(9.007199254740992e+15) / h56(((<f32>(d358)) + (<f32>(g1))), (((<f64>(-3.875e+0)) <= g0) || ((v353) <= v353)), <i32>255));
        if (((<f32>(-2.147483648e+9)) == <f32>(-5.760688166379324e+24))) break;
      } while (d358 < 4);
    }
  }
  g0 -= (ceil<f64>(g0) - g0);
  g0 = (((reinterpret<f64>(<i64>0xfff8000000000242)) > (g0 + g0)) ? g0 : g0);
  g1 *= (<i64>(a0));
  return (<f64>(a0)) + g0 + (<f64>(g1)) + h60(((g0) < g0));
}
g1 -= (g1 >> g1);
g0 += ((isNaN<f64>((<f64>(g1)))) ? g0 : (-(-<f64>(-1e+0))));
let w360: i32 = 0;
while (w360 < 2) {
  w360++;
  let skip359: bool = false;
  let d361: i32 = 0;
  do {
    d361++;
    g0 += trunc<f64>(max<f64>(g0, g0));
    if (((w360 | d361) <= (((g0) != g0) ? (<i32>(g1)) : d361))) {
      g0 *= (abs<f64>((g0 % g0)) * ((-(-g0)) / (<f64>(<i16>255))));
    } else if ((((g1) < (<i64>(g0))) || ((w360) == d361))) {
      let v362: i64 = (g1 + rotr<i64>((<i64>(w360)), g1));
    } else if ((((<f64>(2.0237090066075326e-45)) > g0) && (!((g0) >= <f64>(-3.609353131614625e-13))))) {
      g1 -= (<i64>0xfffffffffffffffa + (((g0) != g0) ? <i64>0xdbdbe6fe54b872a : g1));
      let v363: i64 = (rotr<i64>((<i64>(<u32>0)), (<i64>(<u64>0x3f))) + (-(g1 ^ g1)));
    } else {
      g1 = g1;
      g1 *= (g1 + (i64.MAX_VALUE - ctz<i64>((<i64>(g0)))));
      g1 |= (<i64>(w360));
    }
    let v364: f32 = (<f32>(d361));
  } while (d361 < 4);
  g1 &= (<i64>((<f32>(g0))));
  for (let i365: i32 = 0; i365 < (w360 & 1); i365++) {
    if ((((<i16>(-14)) > <i16>(-1)) || ((w360) >= w360))) {
      skip359 = true;
      break;
    }
  }
  if (skip359) continue;
}
