// @ts-nocheck (AssemblyScript, not TypeScript: a kept regression of the weave program generator)
// weave program generator: seed 880014, numeric profile, runtime incremental
let g0: f64 = <f64>(1.7976931348623157e+308);
const buf1 = memory.data(64);
function act2(p3: i32, p4: u32): void {
  let v5: f32 = (<f32>((((<u64>(g0)) * <u64>0xb289d3f87e9ce668) >> ((<u64>(p4)) ^ <u64>0x449d9064039c7998))));
}
function gen6<T>(c: bool, a: T, b: T): T {
  if (c) return a;
  return a + b;
}
function h12(): u8 {
  g0 = (g0 + (g0 * <f64>(2.5e-1)));
  return (<u8>255 * (<u8>(max<i32>(<i32>((<u8>(g0)) << (<u8>(g0))), <i32>(<u8>((<i32>(g0))))))));
}
function h14(p15: f64): i32 {
  g0 *= (<f64>((<u32>(g0))));
  return (<i32>((<u8>((-p15)))));
}
function ping17(n19: i32, v20: i64): i64 {
  if (n19 <= 0) return v20;
  let v21: f32 = ceil<f32>((<f32>(v20)));
  store<i64>(buf1, (v20 ^ (((g0) == g0) ? <i64>0x5c38023495810639 : (<i64>(v21)))), 32);
  return pong18(n19 - 1, v20);
}
function h24(p25: i32, p26: i64, p27: i64): f64 {
  if ((!(((<f64>(-1.1928618769161403e-79)) > g0) && ((<u32>2) < (<u32>(p27)))))) {
    p26 += (p27 + p26);
  } else {
    p25 <<= <i32>(-2147483647);
    let v28: i64 = p27;
    if ((!((g0) >= g0))) return (((p27) == p27) ? g0 : g0);
  }
  p27 = p26;
  return g0;
}
function pong18(n22: i32, v23: i64): i64 {
  if (n22 <= 0) return v23;
  g0 = (-h24((n22 + <i32>2147483647), (((<i64>0xffffffffffffffff) <= v23) ? v23 : v23), (v23 % (<i64>(g0)))));
  act2((-(<i32>((<i16>(n22))))), gen6<u32>(((g0) != g0), ((<u32>(n22)) >>> <u32>4294967285), rotr<u32>((<u32>(n22)), <u32>1)));
  let v29: u8 = (<u8>(g0));
  return ping17(n22 - 1, v23);
}
function h35(p36: u32, p37: f32, p38: i64): i64 {
  let w39: i32 = 0;
  while (w39 < 2) {
    w39++;
    let v40: u8 = (<u8>(g0));
  }
  act2((<i32>15 << gen6<i32>(((p37) != (<f32>(p38))), <i32>9, <i32>36)), max<u32>((<u32>(p37)), p36));
  return p38;
}
function h32(p33: f64): f32 {
  let v34: i64 = h35((<u32>(g0)), ceil<f32>((((p33) == p33) ? (<f32>(p33)) : <f32>(5e-1))), (-<i64>0xffffffffffffffed));
  store<i64>(buf1 + (<usize>((<i32>((<f32>(v34)))) & 7) << 3), (<i64>(g0)));
  return (<f32>(((h35(<u32>2521652775, (<f32>(g0)), v34)) <= (v34 + <i64>0x7f9c9e64600eae6f))));
}
export function e0(a0: i64): f32 {
  act2(((<i32>1928989928 / ((<i32>(-1090636175) & <i32>0x7f) + <i32>1)) << (-(<i32>(g0)))), <u32>1);
  act2(gen6<i32>(((a0) > <i64>0xfffffffffffffff7), gen6<i32>(((<i64>(g0)) != a0), (<i32>(g0)), (<i32>(a0))), <i32>185613491), (<u32>(g0)));
  if (((<i64>0x25 + a0) == (((a0) > a0) ? a0 : a0))) {
    for (let i7: i32 = 1; i7 > 0; i7--) {
      let stop8: bool = false;
      for (let i9: i32 = (i7 & 7); i9 > 0; i9--) {
        let w10: i32 = 0;
        while (w10 < 3) {
          w10++;
          if ((((w10) > i9) && ((<f64>(i7)) == g0))) {
            stop8 = true;
            break;
          }
          if (((<f64>(w10)) != g0)) break;
        }
        if (stop8) break;
        if (((i9) < i9)) break;
      }
      store<f64>(buf1 + (<usize>(rotr<i32>(i7, <i32>1247244287) & 7) << 3), (reinterpret<f64>(<i64>0x7ff4000000000f1d) + (<f64>(((a0) == a0)))));
      a0 ^= (<i64>(i7));
    }
    let v11: u8 = (h12() + (<u8>(a0)));
    let v13: i32 = (-(((<i32>(a0)) | <i32>22) & ((<i32>(g0)) | <i32>(-4))));
  } else if (((a0 + <i64>0x24) != (a0 + a0))) {
    store<i32>(buf1 + (<usize>(((<i32>(g0)) ^ (<i32>(g0))) & 7) << 3), h14(g0));
    let v16: u32 = (<u32>(load<i32>(buf1 + (<usize>((-(<i32>(a0))) & 7) << 3))));
    a0 &= (<i64>(v16));
  } else {
    a0 = (a0 ^ (-(a0 | a0)));
    a0 = ping17(((<i32>(clz<u32>((<u32>(a0)))))) & 7, a0);
    g0 += ((<f64>(((g0) != g0))) / g0);
  }
  return (<f32>(a0)) + (<f32>(g0)) + (<f32>(a0));
}
export function e1(a0: f32): u32 {
  let d30: i32 = 0;
  do {
    d30++;
    for (let i31: i32 = 0; i31 < 2; i31++) {
      if (((((<f64>(i31)) >= g0) ? (<i16>(g0)) : (<i16>(g0))) == (<i16>7 >> <i16>(-1)))) {
        a0 += (((g0 / g0) > (<f64>(d30))) ? (h32(g0) + (<f32>((<i16>(g0))))) : abs<f32>((-(-a0))));
      } else if ((((<f64>(2.147483648e+9)) == g0) && ((a0) >= a0))) {
        g0 -= (g0 + h24((<i32>((<u64>(g0)))), ctz<i64>((<i64>(g0))), <i64>0xbb1ec26e1551d677));
        let v41: bool = ((<i32>((((i31) != d30) ? <u32>3607949869 : (<u32>(g0))))) != (i31 & i31));
        v41 = ((isNaN<f32>(<f32>(-2.147483648e+9))) && ((g0) == g0));
      } else if ((isNaN<f32>((a0 + a0)))) {
        if (((<f64>(2.147483648e+9)) <= g0)) continue;
        g0 -= (<f64>(<u8>187));
        let v42: u32 = ((<u32>(d30)) * min<u32>((<u32>4294967281 * <u32>256), ((<u32>(d30)) + <u32>3)));
      } else {
        act2(((<i32>((<i16>(i31)))) + d30), (<u32>(<u64>0x19)));
        let v43: f32 = reinterpret<f32>(<i32>0xffc000a6);
      }
    }
    if (((<u64>(g0)) != (<u64>(a0)))) continue;
  } while (d30 < 3 && ((<f64>(a0)) >= g0));
  if (((g0) <= (g0 * g0))) {
    let v44: f64 = (<f64>(a0));
    let v45: f64 = <f64>(9.007199254740992e+15);
    let v46: bool = (((-(-g0)) >= v44) && (isNaN<f64>(load<f64>(buf1 + (<usize>(<i32>0 & 7) << 3)))));
  } else if (((a0) >= reinterpret<f32>(<i32>0xffa000c7))) {
    let v47: i32 = ((<i32>(a0)) & (((<i16>(g0)) <= (<i16>(g0))) ? (<i32>(<u8>1)) : <i32>(-2147483647)));
  }
  let stop48: bool = false;
  for (let i49: i32 = 6; i49 > 0; i49--) {
    for (let i50: i32 = 0; i50 < (i49 & 3); i50++) {
      a0 -= ((sqrt<f32>(a0) - a0) * ((<f32>(i50)) % copysign<f32>(f32.POSITIVE_INFINITY, a0)));
      a0 -= a0;
      if ((((<i32>(a0)) <= i49) || ((<u8>(a0)) != <u8>238))) {
        stop48 = true;
        break;
      }
    }
    if (stop48) break;
  }
  a0 *= ((((a0) > a0) ? (((<f64>(-1e+0)) == g0) ? a0 : a0) : (<f32>(-1.7928198719099947e+27) / a0)) - reinterpret<f32>(<i32>0x7fa0092b));
  return (<u32>(a0)) + (<u32>(g0)) + (<u32>(load<i64>(buf1))) + gen6<u32>((isNaN<f32>(a0)), min<u32>((<u32>(a0)), (<u32>(a0))), (<u32>820192826 + (u32.MAX_VALUE - <u32>0)));
}
export function e2(a0: bool, a1: bool): i32 {
  switch (((<i32>(-19) + (<i32>(g0))) & 7)) {
    case 1: {
      store<f32>(buf1, abs<f32>(f32.NaN), 8);
      let w51: i32 = 0;
      while (w51 < 6) {
        w51++;
        a1 = ((<i64>(g0)) == <i64>0x317ea211b3791d04);
        if (((w51) >= w51)) continue;
      }
    }
    case 7: {
      assert(<f64>(9.007199254740992e+15) != <f64>(1e-1), "gen: f649007199254740992e15 hit an edge");
      act2((max<i32>(<i32>(-2147483647), <i32>255) + gen6<i32>(a1, (<i32>(g0)), <i32>2147483647)), (~<u32>1501294514));
    }
    break;
  }
  act2((<i32>(g0)), (<u32>(g0)));
  assert(<u32>3413986641 != <u32>256, "gen: u323413986641 hit an edge");
  return (<i32>(g0)) ^ gen6<i32>(((<f64>(2.869635559618473e-99)) > g0), (a1 ? <i32>2 : (<i32>(g0))), (<i32>32 << (<i32>(g0))));
}
export function e3(a0: u32): i64 {
  a0 <<= ((<u32>(<f32>(1.401298464324817e-45))) + a0);
  return (<i64>(a0)) ^ (<i64>(g0)) ^ (<i64>(<u8>25));
}
export function e4(a0: u8, a1: f32, a2: i64): bool {
  let v52: f64 = (<f64>(-3.553367981221527e-268) / (-(-h24(<i32>(-1030518022), <i64>0x790869a9948e2ba3, (<i64>(g0))))));
  for (let i53: i32 = 0; i53 < 6; i53++) {
    act2(i53, (<u32>(v52)));
    a0 *= (~a0);
  }
  switch (((((a0) == a0) ? <i32>65535 : <i32>(-1772046254)) & 7)) {
    case 0: {
      let stop54: bool = false;
      for (let i55: i32 = 0; i55 < 2; i55++) {
        g0 *= g0;
        let v56: f64 = (<f64>((((<i64>(g0)) == a2) ? ((<u32>(v52)) % (((<u32>(a0)) & <u32>0x7f) + <u32>1)) : ((<u32>(a0)) + (<u32>(g0))))));
        for (let i57: i32 = 0; i57 < 1; i57++) {
          if (((<i64>0xccfd9a74f2c47442) > <i64>0x7fffffffffffffff)) {
            stop54 = true;
            break;
          }
        }
        if (stop54) break;
        if ((!(((a1) > a1) && ((i55) == i55)))) {
          if ((((<i32>(-20)) < i55) || ((<u8>241) < <u8>255))) break;
        }
        store<i64>(buf1, (((<i64>0xfbf92c2d0e38589a) > a2) ? (((a0) <= a0) ? a2 : a2) : a2), 16);
      }
      g0 *= (g0 / ((<f64>((<u64>(a2)))) / (<f64>(-4.625e+0) - <f64>(-3.954209566581995e+221))));
    }
    case 2: {
      store<i32>(buf1, <i32>(-12), 40);
    }
    break;
    case 3: {
      g0 /= <f64>(0e+0);
    }
    case 4: {
      for (let i58: i32 = 0; i58 < 3; i58++) {
        assert(i58 != <i32>255, "gen: i58 hit an edge");
        let v59: i32 = rotl<i32>(gen6<i32>(((a2) > (<i64>(v52))), (<i32>(g0)), (i58 % (((<i32>(g0)) & <i32>0x7f) + <i32>1))), abs<i32>((i58 * (i32.MAX_VALUE - i58))));
      }
    }
    break;
  }
  g0 += (Math.atan2(g0, (v52 / (<f64>(a0)))) - v52);
  return ((<bool>(a0)) != 0) != ((<bool>(a1)) != 0) != ((<bool>(a2)) != 0) != ((<bool>(v52)) != 0) != ((<bool>(g0)) != 0) != ((v52) >= g0);
}
export function e5(a0: i64): i32 {
  g0 /= g0;
  a0 -= (<i64>(<f64>(2.147483648e+9)));
  for (let i60: i32 = 3; i60 > 0; i60--) {
    g0 = g0;
  }
  let d62: i32 = 0;
  do {
    d62++;
    let skip61: bool = false;
    let d63: i32 = 0;
    do {
      d63++;
      if (((<i32>7) != (~d63))) {
        a0 *= (((a0 % ((a0 & <i64>0x7f) + <i64>1)) + (((g0) > (<f64>(d62))) ? a0 : (<i64>(g0)))) % ((max<i64>(a0, ctz<i64>(a0)) & <i64>0x7f) + <i64>1));
        let v64: i64 = (<i64>((<u32>((<u64>0x7fffffffffffffff & (<u64>(g0)))))));
      } else if (((<f32>(a0)) <= f32.POSITIVE_INFINITY)) {
        let v65: u32 = (~(<u32>(load<i32>(<usize>416))));
        let v66: i32 = (<i32>(g0));
        let v67: i32 = (<i32>(((d62) >= v66)));
      }
      if (((a0) <= a0)) {
        skip61 = true;
        break;
      }
      g0 -= reinterpret<f64>(<i64>0xfff4000000000b3a);
      if ((!((<i64>0xffffffffffffffed) >= <i64>0x12))) {
        if (((<i64>(d63)) == a0)) continue;
        a0 += abs<i64>(((a0 * (i64.MAX_VALUE - a0)) + (a0 - a0)));
      } else {
        let v68: u32 = gen6<u32>((((a0) != <i64>0x1) || ((a0) != a0)), (~<u32>7), <u32>7);
        store<f32>(buf1 + <usize>48, <f32>(-5.25e+0));
      }
    } while (d63 < 5 && ((g0) > g0));
    if (skip61) continue;
  } while (d62 < 2 && ((<i64>(g0)) < <i64>0x3f));
  a0 &= (a0 - (i64.MAX_VALUE + a0));
  return (<i32>(a0)) + (<i32>(g0)) + <i32>(-301075683);
}
export function e6(a0: bool): f64 {
  let stop69: bool = false;
  for (let i70: i32 = 0; i70 < 5; i70++) {
    act2(((<i32>676972523 << i70) | (((<i32>(g0)) >= i70) ? i70 : (<i32>(g0)))), (<u32>(g0)));
    for (let i71: i32 = (i70 & 7); i71 > 0; i71--) {
      a0 = ((reinterpret<f64>(<i64>0x7ff00000000003b7)) <= g0);
      if (((g0) < h24(i71, (<i64>(g0)), <i64>0xf))) {
        if (((<i64>(i70)) == (<i64>(i70)))) break;
        a0 = ((<i32>(<i64>0xffffffff)) >= i71);
        g0 += (g0 - h24(gen6<i32>(a0, i70, i71), (<i64>0x58b00ee12a064ff5 * <i64>0x40), <i64>0x1a98d1616151b477));
      } else if ((isFinite<f64>((<f64>(i71))))) {
        if (((<f64>(i71)) > g0)) break;
        g0 += load<f64>(buf1 + <usize>8);
        assert(<i64>0x68ef8ad7460e8fca != <i64>0x40, "gen: i640x68ef8ad7460e8fca hit an edge");
      } else if ((((<i32>(g0)) != i71) && ((i70) != i70))) {
        g0 *= ((g0 % <f64>(2.5e+0)) / g0);
        if (((<f32>(i70)) == (<f32>(i70)))) continue;
        let v72: f64 = (h24((<i32>((<i16>(i70)))), ((<i64>(i70)) - (<i64>(i71))), (<i64>(i71))) - ((<f64>(-7.5e-1) * (<f64>(i70))) / (g0 * g0)));
      } else {
        let v73: i32 = h14((<f64>((<i16>(i70)))));
      }
      if (((<f64>(-3.375e+0)) < (<f64>(i70)))) {
        stop69 = true;
        break;
      }
    }
    if (stop69) break;
    switch ((i70 & 7)) {
      case 2: {
        switch ((i70 & 7)) {
          case 0: {
            store<f32>(buf1 + <usize>56, ((<f32>(g0)) / (((<i64>0x96920fa61f384670) < (<i64>(i70))) ? <f32>(2.25e+0) : (<f32>(i70)))));
          }
          break;
          case 1: {
            if (((g0) == g0)) return (g0 / g0);
            if (((g0) >= <f64>(-9.223372036854776e+18))) return g0;
          }
          break;
          case 2: {
            a0 = (isNaN<f32>(((<f32>(g0)) * <f32>(1.75e+0))));
            if ((a0 && ((g0) == g0))) return (min<f64>(g0, g0) / h24(i70, <i64>0xe134385c1e95a1c5, (<i64>(g0))));
          }
          break;
          case 3: {
            a0 = ((h24(i70, <i64>0x7fffffffffffffff, <i64>0x1)) > (g0 + g0));
          }
          break;
          default: {
            if (((i70) == i70)) return (-(g0 + g0));
            act2(((i70 * i70) >> ((<i32>(g0)) * i70)), ((<u32>(i70)) * <u32>2473177125));
          }
        }
      }
      break;
      default: {
        g0 = load<f64>(buf1 + <usize>40);
        let v74: u64 = <u64>0x4;
      }
    }
    g0 += g0;
  }
  return g0 + (<f64>(load<i64>(buf1))) + ((isNaN<f64>(g0)) ? (g0 + <f64>(-4.186188804451376e+30)) : (g0 / g0));
}
export function e7(a0: f64, a1: i32): f32 {
  let stop75: bool = false;
  for (let i76: i32 = 0; i76 < 6; i76++) {
    if (((gen6<i32>(((<i64>0xaf1e94e0930432db) != (<i64>(a1))), (<i32>(g0)), a1)) >= i76)) {
      switch ((gen6<i32>(((a0) <= g0), (<i32>(g0)), a1) & 7)) {
        case 1: {
          act2(a1, (<u32>((<i16>((<f32>(a0)))))));
          let v77: i32 = ((<i32>(a0)) / (((((a0) >= (<f64>(i76))) ? i76 : ctz<i32>(i76)) & <i32>0x7f) + <i32>1));
        }
        break;
        case 2: {
          a1 += h14(floor<f64>((<f64>(i76))));
        }
        break;
        case 4: {
          if (((<u8>255) == (<u8>(i76)))) continue;
        }
        case 6: {
          let v78: bool = ((popcnt<i32>(i76)) < load<i32>(buf1 + <usize>8));
          a1 ^= (<i32>((-(-(<f32>(a0))))));
        }
        break;
      }
    } else {
      g0 = g0;
    }
    for (let i79: i32 = 0; i79 < 1; i79++) {
      if (((i76) == i76)) {
        stop75 = true;
        break;
      }
      for (let i80: i32 = 0; i80 < 4; i80++) {
        g0 /= g0;
      }
      let v81: i32 = gen6<i32>(((a0) != a0), clz<i32>((i76 ^ <i32>(-563130115))), a1);
    }
    if (stop75) break;
  }
  a1 = (a1 | (<i32>(<f32>(-3.337482336624241e+27))));
  if (((<u8>0) >= <u8>32)) return <f32>(-9.75e+0);
  a0 += min<f64>((<f64>(((<f64>(a1)) < a0))), a0);
  a1 &= (h14((<f64>((<i16>(a0))))) * a1);
  return (<f32>(a0)) + (<f32>(a1)) + <f32>(-1.75e+0);
}
export function e8(): i32 {
  let v82: f64 = h24((<i32>(-426049581) + ((<i32>(g0)) * (<i32>(g0)))), (<i64>(g0)), (<i64>(g0)));
  let d83: i32 = 0;
  do {
    d83++;
    let d84: i32 = 0;
    do {
      d84++;
      switch ((d84 & 7)) {
        case 2: {
          assert(<u32>4294967287 != <u32>31, "gen: u324294967287 hit an edge");
        }
        case 5: {
          store<f32>(buf1, (<f32>(d83)), 0);
          store<f64>(buf1, g0, 8);
        }
        break;
      }
      let v85: i32 = h14(g0);
    } while (d84 < (d83 & 7));
    if (((d83) == d83)) return max<i32>(d83, (d83 & d83));
    for (let i86: i32 = 0; i86 < 2; i86++) {
      g0 = (((-g0) + reinterpret<f64>(<i64>0x7ff0000000000793)) % ceil<f64>(v82));
    }
  } while (d83 < 6);
  let v87: i64 = (<i64>0x40 - (<i64>(v82)));
  v87 *= v87;
  act2((<i32>(((v87) >= v87))), gen6<u32>((((<f64>(1e+0)) != v82) || ((v82) != g0)), ((<u32>(g0)) % (((<u32>(g0)) & <u32>0x7f) + <u32>1)), ((<u32>(v87)) - <u32>28)));
  return (<i32>(v82)) + (<i32>(v87)) + (<i32>(g0)) + (<i32>(load<i64>(buf1))) + ((<i32>(-16) >> <i32>(-1358118429)) - (i32.MIN_VALUE - <i32>(-65536)));
}
export function e9(a0: f64): i32 {
  store<f64>(buf1 + <usize>16, ((isFinite<f32>((<f32>(g0)))) ? (g0 * a0) : load<f64>(buf1 + (<usize>((<i32>(a0)) & 7) << 3))));
  if (((-a0) != <f64>(1.7976931348623157e+308))) {
    let v88: f32 = ((<f32>(rotr<i32>(<i32>20, (<i32>(a0))))) - (((<f32>(g0)) % <f32>(-0.0)) % ((<f32>(a0)) + <f32>(3.868668169551872e+16))));
    let v89: i32 = <i32>2;
    let stop90: bool = false;
    for (let i91: i32 = 0; i91 < (v89 & 7); i91++) {
      let d92: i32 = 0;
      do {
        d92++;
        if (((<f64>(i91)) > a0)) {
          stop90 = true;
          break;
        }
      } while (d92 < 3 && ((<i32>3) >= i91));
      if (stop90) break;
      switch ((v89 & 7)) {
        case 0: {
          let v93: f64 = (-a0);
          let v94: u32 = (~((<u32>((<u64>(g0)))) ^ <u32>1217097234));
        }
        case 3: {
          store<i64>(buf1, (-((<i64>(v89)) - (<i64>(a0)))), 40);
          let v95: f64 = (<f64>(i91));
        }
        case 4: {
          let v96: f64 = h24(load<i32>(buf1 + (<usize>((-v89) & 7) << 3)), (<i64>((~<i16>(-1)))), load<i64>(<usize>616));
        }
        case 6: {
          store<f32>(buf1 + <usize>32, f32.NEGATIVE_INFINITY);
        }
        break;
        default: {
          let v97: f64 = (a0 * (-(-(-g0))));
          let v98: u8 = ((<u8>(max<i32>(<i32>load<u8>(buf1 + (<usize>(<i32>7 & 7) << 3)), <i32><u8>31))) << (((<u8>(i91)) * <u8>253) / ((h12() & <u8>0x7f) + <u8>1)));
        }
      }
      g0 *= copysign<f64>(((-g0) % (<f64>(6.25e-1) + g0)), g0);
    }
  } else if ((((a0) == <f64>(9.007199254740992e+15)) || (((<i16>(a0)) > <i16>28443) || ((a0) < a0)))) {
    if ((((f64.NaN) <= g0) && (isFinite<f64>(a0)))) {
      g0 /= ((<f64>((<u32>(g0)))) + (-(-Math.cbrt(a0))));
      let v99: u8 = ((<u8>((<u64>0x1 - <u64>0x0))) + (<u8>(<u64>0xffffffff)));
    }
  } else if (((-(-<f64>(4e+0))) == (<f64>((<u32>(a0)))))) {
    a0 /= (g0 % reinterpret<f64>(<i64>0xfff8000000000edf));
    assert(<i32>(-1249084437) != <i32>256, "gen: i321249084437 hit an edge");
    g0 += g0;
  } else {
    for (let i100: i32 = 0; i100 < 6; i100++) {
      if (((i100) > i100)) return (~(i100 + i100));
      let v101: u8 = (<u8>(a0));
    }
  }
  if (((-(-<f64>(-2.5e-1))) != <f64>(3.0931565118953585e+101))) {
    for (let i102: i32 = 0; i102 < 7; i102++) {
      if ((!((g0) > a0))) break;
      act2(abs<i32>(i102), <u32>255);
      switch (((((i102) != i102) ? i102 : (<i32>(g0))) & 7)) {
        case 1: {
          g0 += <f64>(0e+0);
          let v103: i16 = (((<i16>(min<i32>(<i32><i16>(-1), <i32>(<i16>(a0))))) / ((((<i16>(i102)) + (<i16>(a0))) & <i16>0x7f) + <i16>1)) ^ (((i102) >= <i32>(-1341308497)) ? ((<i16>(i102)) * (<i16>(a0))) : ((<i16>(a0)) & <i16>12533)));
        }
        break;
        case 2: {
          store<f64>(buf1 + <usize>24, (<f64>(i102)));
          let v104: i32 = (((g0) == (a0 + a0)) ? ((i102 * i102) ^ i102) : i102);
        }
        break;
        case 3: {
          g0 += <f64>(-1e+0);
        }
        case 7: {
          let v105: i32 = (<i32>2 ^ max<i32>((-(<i32>(g0))), (((<i16>(g0)) <= (<i16>(a0))) ? i102 : <i32>995596247)));
        }
        break;
        default: {
          if (((g0) != a0)) continue;
        }
      }
    }
  } else if ((isFinite<f64>((<f64>((<i32>(a0))))))) {
    if ((((<f64>(-1e+0)) != <f64>(1.625e+0)) || ((<f64>(1e+0)) >= g0))) {
      g0 /= h24((<i32>(g0)), <i64>0x7a4aae99ab54a17f, (-(<i64>(g0))));
      let pg106: i32 = <i32>memory.grow(0);
      if (pg106 > 0) store<i32>(<usize>pg106 << 16, h14((<f64>(<u64>0xbbd2ddc2e003830f))));
    } else if ((!(((g0) <= a0) && ((g0) > a0)))) {
      a0 = g0;
    } else if (((h24((<i32>(g0)), (<i64>(a0)), (<i64>(g0)))) <= (<f64>(-2.2139002964831888e-139) % a0))) {
      switch ((ctz<i32>(<i32>7) & 7)) {
        case 2: {
          let v107: i16 = <i16>19;
        }
        case 5: {
          a0 -= h24((h14(<f64>(0e+0)) ^ rotr<i32>((<i32>(a0)), <i32>(-20))), <i64>0x1a, (<i64>0x0 / <i64>0x100000000));
          a0 -= floor<f64>(<f64>(3.714001434855163e-177));
        }
        break;
        case 6: {
          assert((<i32>(a0)) != <i32>255, "gen: i32a0 hit an edge");
        }
        break;
        case 7: {
          store<i32>(buf1, <i32>2099148220, 32);
        }
        break;
      }
      switch (((<i32>(g0)) & 7)) {
        case 3: {
          a0 = g0;
          a0 = (((g0 % g0) != a0) ? floor<f64>(h24(<i32>33, <i64>0x1, <i64>0xfffffffffffffff2)) : (<f64>((<i64>(g0)))));
        }
        break;
        case 4: {
          g0 = a0;
        }
        case 6: {
          a0 += (-((((g0) != a0) || ((g0) != a0)) ? (-g0) : g0));
          g0 /= h24(<i32>2147483647, (<i64>(a0)), (-(-<i64>0x0)));
        }
        break;
        case 7: {
          let v108: i64 = (ping17((gen6<i32>(((g0) != g0), <i32>568596179, i32.MIN_VALUE)) & 7, ((<i64>(a0)) << (<i64>(a0)))) + (<i64>(g0)));
          g0 /= (<f64>((<u64>((<u32>((<u8>(a0))))))));
        }
        break;
      }
      a0 -= (<f64>((max<u64>((<u64>(a0)), <u64>0xffffffffffffffff) + (<u64>(g0)))));
    } else {
      let w109: i32 = 0;
      while (w109 < 1) {
        w109++;
        store<f32>(buf1 + <usize>32, (<f32>(g0)));
        let v110: f64 = g0;
      }
      let d111: i32 = 0;
      do {
        d111++;
        a0 /= (((g0 * g0) - g0) + (-(-h24(<i32>1, (<i64>(d111)), <i64>0xffffffffffffffec))));
        a0 = (<f64>(d111));
      } while (d111 < 3 && ((g0) >= g0));
      let v112: i64 = (<i64>(a0));
    }
  } else if (((g0) > h24((<i32>(a0)), <i64>0x9201fb7e0dd9c4e0, <i64>0x1fbe0c4902cc8e8a))) {
    let v113: u32 = (<u32>2147483648 - ((<u32>4294967279 >> <u32>0) & (<u32>(g0))));
    store<i32>(buf1 + <usize>56, gen6<i32>(((g0) == a0), (-<i32>10), gen6<i32>(((a0) != g0), <i32>(-1258137640), <i32>1496301741)));
  } else {
    a0 += (((<f64>(-3.875e+0) / a0) * (<f64>(2.147483648e+9) / a0)) + g0);
  }
  return (<i32>(a0)) + (<i32>(g0)) + (<i32>(load<i64>(buf1))) + (<i32>(g0));
}
export function e10(a0: i64, a1: f64, a2: bool): f64 {
  for (let i114: i32 = 0; i114 < 7; i114++) {
    let v115: i32 = (<i32>(((<i64>0xa7931d3f688e56d + (i64.MAX_VALUE - a0)) <= <i64>0x7fffffffffffffff)));
    let v116: f32 = load<f32>(<usize>288);
  }
  let v117: u32 = (<u32>(g0));
  act2(<i32>25, v117);
  switch (((a2 ? (<i32>(a0)) : <i32>18) & 7)) {
    case 0: {
      g0 -= copysign<f64>((-min<f64>(g0, f64.NaN)), ((<f64>(-3.75e-1) * <f64>(-3.4817495103925465e-36)) + g0));
      g0 /= <f64>(9.007199254740992e+15);
    }
    case 6: {
      for (let i118: i32 = 0; i118 < 3; i118++) {
        if (((a2 ? <u32>1379639677 : v117) < rotl<u32>(v117, v117))) {
          assert(g0 != <f64>(2.147483648e+9), "gen: g0 hit an edge");
        } else if (((a0) >= (((v117) < v117) ? a0 : <i64>0xfffffffffffffffc))) {
          a2 = (((i118) == i118) || (((a0) != a0) || a2));
          g0 += g0;
        } else if (((<i16>(min<i32>(<i32>(<i16>(a0)), <i32>(<i16>(v117))))) < ((<i16>(a0)) / ((<i16>(-8) & <i16>0x7f) + <i16>1)))) {
          a0 |= ((ctz<i64>((<i64>(g0))) + a0) ^ <i64>0x40);
          if (((v117) <= v117)) return g0;
          let v119: f64 = a1;
        } else {
          a1 = floor<f64>(((g0 + a1) + <f64>(-1e+0)));
          store<u8>(buf1 + <usize>48, (<u8>(((<i16>(v117)) + (<i16>(i118))))));
        }
        if (((a0) > a0)) continue;
      }
    }
    break;
    default: {
      for (let i120: i32 = 0; i120 < 1; i120++) {
        let v121: i32 = (((-(<i32>(v117))) - (i120 % (((<i32>(g0)) & <i32>0x7f) + <i32>1))) - (i120 ^ (i120 + i120)));
      }
    }
  }
  v117 <<= (<u32>((<u8>(max<i32>(<i32>(<u8>(a1)), <i32>(~(<u8>(g0))))))));
  return (<f64>(a0)) + a1 + (<f64>(v117)) + g0 + (<f64>(load<i64>(buf1))) + reinterpret<f64>(<i64>0xfff8000000000b9b);
}
export function e11(a0: f32, a1: bool): bool {
  let v122: u8 = (<u8>(((<f64>(((<f64>(a0)) != g0))) / (-(-g0)))));
  let v123: i32 = gen6<i32>(((<f64>(<i16>11)) < (<f64>(i32.MIN_VALUE))), (-<i32>2147483647), reinterpret<i32>(h32(g0)));
  let v124: f64 = sqrt<f64>((<f64>(a0)));
  store<f32>(buf1 + (<usize>(load<i32>(<usize>1280) & 7) << 3), (<f32>(((<i32>(v122)) % ((v123 & <i32>0x7f) + <i32>1)))));
  return ((<bool>(a0)) != 0) != ((<bool>(v122)) != 0) != ((<bool>(v123)) != 0) != ((<bool>(v124)) != 0) != ((v124) > h24(v123, (<i64>(a0)), <i64>0x1));
}
export function e12(a0: f32): i64 {
  for (let i125: i32 = 0; i125 < 3; i125++) {
    assert(<u32>32 != <u32>2147483649, "gen: u3232 hit an edge");
  }
  store<i32>(buf1 + (<usize>(h14(g0) & 7) << 3), <i32>15);
  for (let i126: i32 = 0; i126 < 5; i126++) {
    switch (((<i32>((<u8>(g0)))) & 7)) {
      case 3: {
        let v127: i64 = (<i64>(i126));
      }
      case 5: {
        let d128: i32 = 0;
        do {
          d128++;
          if ((((a0) < a0) || ((i126) == i32.MIN_VALUE))) continue;
          a0 += (((rotl<i32>(<i32>3, i126)) < d128) ? (-(a0 / (<f32>(d128)))) : (-(-abs<f32>((<f32>(d128))))));
          let v129: f64 = g0;
        } while (d128 < 1);
        for (let i130: i32 = 0; i130 < 4; i130++) {
          if (((i130) == i130)) continue;
          g0 /= reinterpret<f64>(<i64>0x7ff0000000000472);
          let v131: f64 = g0;
        }
      }
      break;
      case 6: {
        let stop132: bool = false;
        let d133: i32 = 0;
        do {
          d133++;
          assert(<u32>3149303840 != <u32>65535, "gen: u323149303840 hit an edge");
          for (let i134: i32 = 0; i134 < 1; i134++) {
            if ((((i126) >= i126) || ((<i32>(a0)) > i134))) {
              stop132 = true;
              break;
            }
            if ((((i126) < <i32>(-2147483647)) || ((i126) <= (<i32>(a0))))) break;
          }
          if (stop132) break;
          a0 /= a0;
        } while (d133 < 1);
        if (((<i16>32) == ((<i16>(a0)) | <i16>31))) {
          if (((i126) != i126)) continue;
          let v135: i64 = (<i64>(i126));
          let v136: i64 = v135;
        } else if (((((<u64>(i126)) == (<u64>(g0))) && ((<i32>(a0)) < (<i32>(a0)))) || ((g0) < g0))) {
          a0 = ((a0 + a0) / ((<f32>((<i16>(i126)))) / (a0 / <f32>(4.7539625569470445e-9))));
          act2(rotr<i32>(gen6<i32>(((a0) >= <f32>(2.75e+0)), (<i32>(a0)), i126), (<i32>(((g0) == g0)))), (<u32>(i126)));
          let v137: u8 = (<u8>0 << (<u8>(g0)));
        }
      }
      break;
      default: {
        let v138: bool = ((isFinite<f64>((g0 - g0))) || ((g0 % g0) != (-(<f64>(a0)))));
      }
    }
    for (let i139: i32 = (i126 & 3); i139 > 0; i139--) {
      if (((g0) != g0)) {
        g0 = (g0 / (-(-((<f64>(a0)) % g0))));
        g0 *= (g0 - load<f64>(buf1 + (<usize>((i126 - (i32.MAX_VALUE + i126)) & 7) << 3)));
      } else if ((((a0) >= a0) || (isFinite<f32>(a0)))) {
        let v140: i64 = (((<i64>(i139)) * (i64.MAX_VALUE - (<i64>(g0)))) ^ <i64>0xec8a1513b6c27614);
      } else if (((i139) > <i32>1946032702)) {
        store<i64>(buf1, (((<i64>(i139)) << (<i64>(a0))) + <i64>0xc224ffac8b78509d), 32);
        store<f32>(buf1 + <usize>8, (<f32>(((<u8>(a0)) + (<u8>(i126))))));
        act2(gen6<i32>(((<i16>(g0)) > <i16>(-10)), (~i126), max<i32>(i126, (<i32>(g0)))), <u32>2147483649);
      }
      switch ((gen6<i32>(((i126) == i139), i126, i126) & 7)) {
        case 1: {
          a0 *= (copysign<f32>(a0, a0) + a0);
          let v141: i16 = ((-<i16>32) >> (~(<i16>(<u8>10))));
        }
        break;
        case 3: {
          g0 += (<f64>((<i32>(((<f64>(i139)) == g0)))));
          a0 /= <f32>(-5e-1);
        }
        break;
      }
      a0 = ((a0 / (f32.NEGATIVE_INFINITY * (<f32>(i126)))) + a0);
    }
    let v142: i32 = (i126 & i126);
  }
  act2(reinterpret<i32>(a0), (~<u32>173869375));
  switch (((<i32>(g0)) & 7)) {
    case 1: {
      let w143: i32 = 0;
      while (w143 < 2) {
        w143++;
        switch (((<i32>(g0)) & 7)) {
          case 1: {
            g0 /= (g0 % ((g0 + g0) + (g0 / g0)));
            act2(((<i32>((<f64>(a0)))) + <i32>(-26670020)), (((<u32>(g0)) & <u32>2420482310) >> (<u32>(g0))));
          }
          break;
          case 2: {
            let v144: i16 = <i16>25145;
          }
          break;
          case 3: {
            let v145: u64 = (<u64>(a0));
          }
          case 7: {
            if ((((a0) >= a0) && ((w143) != <i32>(-1061077790)))) continue;
            let v146: u64 = (<u64>(w143));
          }
          break;
          default: {
            store<i64>(buf1, (((<i64>(g0)) & (<i64>(a0))) ^ ((<i64>(w143)) * (<i64>(g0)))), 8);
          }
        }
      }
    }
    break;
    case 4: {
      a0 /= reinterpret<f32>(<i32>0xff800fa8);
      store<u8>(buf1 + (<usize>((<i32>2 & <i32>0) & 7) << 3), (<u8>7 ^ <u8>1));
    }
    case 5: {
      act2(<i32>(-3), (<u32>(a0)));
    }
    break;
    case 6: {
      act2((<i32>((<u8>236 << (<u8>(g0))))), gen6<u32>(((a0) >= a0), (<u32>(g0)), (~(<u32>(g0)))));
    }
    break;
    default: {
      let v147: i16 = (((reinterpret<f64>(<i64>0x7ff00000000004f6)) != (g0 % g0)) ? (((<f32>(g0)) != (<f32>(g0))) ? <i16>2 : (((g0) != g0) ? (<i16>(a0)) : <i16>24449)) : (-<i16>1));
    }
  }
  return (<i64>(a0)) ^ (<i64>(g0)) ^ (<i64>(a0));
}
export function e13(a0: bool, a1: f32): f32 {
  for (let i148: i32 = 0; i148 < 6; i148++) {
    if (((<i32>(a1)) < i148)) break;
    g0 *= load<f64>(buf1 + (<usize>(gen6<i32>(((g0) < g0), i148, i148) & 7) << 3));
    let v149: i64 = (((~(<i64>(g0))) >>> ((<i64>(g0)) - (<i64>(g0)))) * (i64.MAX_VALUE - (<i64>(a1))));
  }
  let v150: f64 = g0;
  act2(load<i32>(buf1 + (<usize>((<i32>(<f64>(-9.223372036854776e+18))) & 7) << 3)), <u32>4294901760);
  let v151: i32 = ((((<i32>(g0)) * (i32.MAX_VALUE - (<i32>(a1)))) << <i32>882112834) * ((<i32>256 | <i32>256) + ((<i32>(a1)) | (<i32>(v150)))));
  for (let i152: i32 = 0; i152 < (v151 & 7); i152++) {
    if (((<i32>((<f32>(v151)))) > v151)) {
      let v153: u8 = load<u8>(buf1 + <usize>32);
      a0 = ((<f64>(4.625e+0) - v150) < (g0 / g0));
      if (((<i64>(v153)) >= ((<i64>(v153)) * <i64>0x0))) {
        act2(((a0 ? v151 : i152) * (i32.MAX_VALUE - ((<i32>(v150)) + i152))), (<u32>(v150)));
        a0 = ((g0) < (g0 / v150));
        let v154: f64 = g0;
      } else {
        v150 *= ((reinterpret<f64>(<i64>0xfff40000000008d5) - h24(<i32>(-114379780), (<i64>(i152)), (<i64>(v151)))) * (Math.random()));
      }
    } else {
      act2(((-i152) >> (<i32>(((v151) >= <i32>(-1456585306))))), ((((<i64>0xffffffffffffffff) <= (<i64>(v151))) ? (<u32>(v151)) : (<u32>(i152))) << (<u32>(i152))));
      let stop155: bool = false;
      let d156: i32 = 0;
      do {
        d156++;
        act2((-h14(<f64>(1.0202604648657144e-38))), (<u32>(load<i32>(<usize>1944))));
        let v157: f64 = abs<f64>((<f64>(<i32>1)));
        let d158: i32 = 0;
        do {
          d158++;
          if (((d156) == <i32>7)) {
            stop155 = true;
            break;
          }
          if ((!((<i16>(d156)) <= <i16>31))) continue;
        } while (d158 < 4);
        if (stop155) break;
      } while (d156 < (i152 & 1) && ((v150) < g0));
    }
    if ((!(a0 || ((a1) >= <f32>(1e+1))))) {
      let v159: i16 = load<i16>(buf1 + (<usize>((~i152) & 7) << 3));
      for (let i160: i32 = 1; i160 > 0; i160--) {
        let v161: i32 = (((i152 >> i160) * gen6<i32>(((v159) == v159), i152, i160)) << i160);
      }
    } else if ((isFinite<f32>((((v150) < v150) ? a1 : a1)))) {
      let v162: f64 = ((<f64>(i152)) / v150);
      let v163: u8 = <u8>24;
    } else if ((!(((<i32>(a1)) >= (<i32>(v150))) && a0))) {
      act2((~v151), (rotl<u32>((<u32>(g0)), <u32>36) | gen6<u32>(((a1) < a1), (<u32>(v150)), (<u32>(v151)))));
      a0 = ((<i32>7 * v151) > (v151 | v151));
      let v164: i32 = v151;
    }
  }
  return a1 + (<f32>(v150)) + (<f32>(v151)) + (<f32>(g0)) + ((<f32>((<i16>(g0)))) / a1);
}
export function e14(a0: i32, a1: f32): i32 {
  a0 += gen6<i32>((!((g0) < g0)), a0, ((<i32>(g0)) & (((a0) <= (<i32>(g0))) ? (<i32>(a1)) : (<i32>(g0)))));
  let v165: i32 = (<i32>(((<u64>((<u32>(g0)))) ^ (<u64>(g0)))));
  let v166: f32 = a1;
  return a0 ^ (<i32>(a1)) ^ v165 ^ (<i32>(v166)) ^ (reinterpret<i32>(a1) / ((a0 & <i32>0x7f) + <i32>1));
}
export function e15(a0: u32, a1: bool): i64 {
  switch (((-<i32>(-2)) & 7)) {
    case 1: {
      act2(<i32>32, (gen6<u32>(((a0) >= a0), a0, a0) ^ (a0 * a0)));
    }
    case 3: {
      let v167: bool = ((a0) == (<u32>(g0)));
      store<i32>(buf1, (<i32>((<i64>0x23cd1af6fd90a28b * (<i64>(a0))))), 56);
    }
    break;
    case 4: {
      let w168: i32 = 0;
      while (w168 < 5) {
        w168++;
        for (let i169: i32 = 0; i169 < 6; i169++) {
          a0 -= (a0 + ((a0 << (<u32>(w168))) - a0));
          g0 += (((<u64>(g0)) <= (~(<u64>(g0)))) ? ((<f64>(-0.0) + g0) - (g0 % (<f64>(w168)))) : (<f64>(gen6<u32>(((a0) != a0), a0, a0))));
          let v170: f64 = ((g0 * g0) * <f64>(2.83986538881436e+146));
        }
      }
      for (let i171: i32 = 0; i171 < 1; i171++) {
        let v172: i64 = (<i64>0x100000000 % (((<i64>0xffffffff00000000 + (<i64>((<i16>(i171))))) & <i64>0x7f) + <i64>1));
        let v173: u8 = <u8>236;
        store<f64>(buf1 + <usize>56, g0);
      }
    }
    case 5: {
      g0 = (g0 % reinterpret<f64>(<i64>0x7ff00000000005a6));
    }
    break;
  }
  let v174: f64 = (((g0) > g0) ? (-(Math.random())) : (((<u32>4294901760) == (<u32>(g0))) ? (((a0) == <u32>2342453730) ? g0 : g0) : g0));
  return (<i64>(a0)) ^ (<i64>(v174)) ^ (<i64>0x3f - (<i64>(<u64>0x1)));
}
export function e16(a0: f64, a1: i32, a2: f64): i32 {
  store<i64>(buf1 + <usize>48, (((<i64>(a1)) & <i64>0xffffffffffffffff) + (<i64>(((<i32>256) == a1)))));
  assert(a2 != <f64>(2.147483648e+9), "gen: a2 hit an edge");
  return (<i32>(a0)) ^ a1 ^ (<i32>(a2)) ^ (<i32>(g0)) ^ (<i32>(load<i64>(buf1))) ^ a1;
}
export function e17(a0: u32): u8 {
  g0 *= g0;
  return (<u8>(a0)) ^ (<u8>(load<i64>(buf1))) ^ (h12() << (<u8>87 * <u8>130));
}
export function e18(a0: f64, a1: f64): bool {
  a1 += <f64>(4.0637921052984893e+8);
  g0 *= a1;
  a0 /= (((<f64>((<i32>(g0)))) % <f64>(-1.6549572115764024e+125)) + (g0 * a0));
  for (let i175: i32 = 6; i175 > 0; i175--) {
    g0 *= (<f64>((-(-(<f32>(-1e+0) / <f32>(5e-1))))));
    for (let i176: i32 = 3; i176 > 0; i176--) {
      a0 *= ((g0 / (Math.random())) * h24((<i32>((<u32>(a1)))), (<i64>(<f32>(1.6777217e+7))), (<i64>(a1))));
      let d177: i32 = 0;
      do {
        d177++;
        a0 += f64.NEGATIVE_INFINITY;
        if (((<i32>256) <= i176)) break;
      } while (d177 < 1);
    }
    if (((<f64>(i175)) == a1)) {
      switch ((((<i32>(g0)) << i175) & 7)) {
        case 0: {
          g0 /= (<f64>(((<i16>31 ^ (<i16>(a0))) * (<i16>(g0)))));
          a0 = (-(-(-(Math.random()))));
        }
        case 3: {
          let v178: i16 = ((((<i16>(a1)) + <i16>(-17)) ^ ((<i16>(a0)) + (<i16>(i175)))) * (-(<i16>(a1))));
        }
        case 5: {
          assert(i175 != <i32>256, "gen: i175 hit an edge");
          act2(((i175 * i175) + reinterpret<i32>((<f32>(a0)))), rotl<u32>((((<i16>(a0)) <= <i16>0) ? (<u32>(a0)) : (<u32>(i175))), ((<u32>(a1)) + <u32>18)));
        }
        break;
        case 6: {
          a0 += a1;
        }
        break;
        default: {
          a0 /= reinterpret<f64>(<i64>0xfff40000000005be);
          let v179: i16 = ((<i16>(min<i32>(<i32>((<i16>(a0)) | (<i16>(i175))), <i32><i16>32))) + (<i16>((((a1) != g0) ? <u8>2 : (<u8>(i175))))));
        }
      }
      let v180: u64 = ((~popcnt<u64>(<u64>0x1f)) + <u64>0x0);
    } else {
      let v181: i64 = <i64>0x40;
      v181 |= (<i64>(i175));
    }
  }
  a0 *= h24(ctz<i32>((<i32>353634425 | (<i32>(a1)))), (reinterpret<i64>(g0) * ((<i64>(g0)) + <i64>0xe1be547a5c1a030b)), (<i64>0x9 % ((((<i64>(a1)) + (i64.MAX_VALUE - (<i64>(a1)))) & <i64>0x7f) + <i64>1)));
  return ((<bool>(a0)) != 0) != ((<bool>(a1)) != 0) != ((<f64>(2.147483648e+9)) == <f64>(-3.7085426622070377e+43));
}
export function e19(a0: f32, a1: i64, a2: bool): u8 {
  let v182: i64 = (<i64>((<i16>(g0))));
  return (<u8>(a0)) + (<u8>(a1)) + (<u8>(v182)) + (<u8>(load<i64>(buf1))) + (<u8>(a0));
}
export function e20(a0: f32): i32 {
  let d183: i32 = 0;
  do {
    d183++;
    let v184: i32 = d183;
    assert(<i32>256 != <i32>2147483647, "gen: i32256 hit an edge");
    if (((v184) >= v184)) break;
  } while (d183 < 1 && ((a0) > f32.NEGATIVE_INFINITY));
  return (<i32>(a0)) + (<i32>(g0)) + (<i32>(load<i64>(buf1))) + <i32>7;
}
export function e21(a0: i64): f32 {
  g0 -= h24(gen6<i32>((((g0) != g0) && ((g0) != g0)), (<i32>1169732988 * (i32.MAX_VALUE - (<i32>(a0)))), ((<i32>(a0)) & (<i32>(a0)))), (<i64>(((a0) == a0))), (<i64>((f32.NaN - <f32>(-0.0)))));
  let v185: bool = ((<f64>(rotl<u64>(<u64>0xffffffffffffffff, <u64>0x233f2531eba7433d))) == ((((a0) == a0) && ((g0) < g0)) ? (<f64>(<f32>(-0.0))) : <f64>(-0.0)));
  g0 *= (((g0 / (<f64>(a0))) * (g0 + g0)) * (h24((<i32>(g0)), a0, a0) / (((<i64>(g0)) != a0) ? g0 : <f64>(9.007199254740992e+15))));
  v185 = ((<i64>(((g0) == g0))) != <i64>0x7fffffffffffffff);
  switch ((((<i32>(a0)) ^ <i32>(-432681070)) & 7)) {
    case 0: {
      act2(((<i32>(g0)) - gen6<i32>(((<i64>(g0)) == a0), <i32>(-4347753), <i32>31)), ((((g0) >= (<f64>(a0))) || v185) ? <u32>4294901760 : gen6<u32>(((a0) == <i64>0xffffffffffffffff), (<u32>(g0)), <u32>65535)));
      let v186: i64 = a0;
    }
    break;
    case 3: {
      a0 -= ((a0 + (i64.MAX_VALUE - h35(<u32>29, <f32>(0e+0), a0))) << ((((<f64>(4.197874071542174e+98)) != g0) || v185) ? (a0 + (i64.MAX_VALUE - a0)) : (a0 * a0)));
    }
    break;
    case 4: {
      let v187: u32 = <u32>65535;
      for (let i188: i32 = 0; i188 < 5; i188++) {
        v185 = (isNaN<f32>((((a0) == <i64>0xffffffffffffffef) ? (<f32>(a0)) : (<f32>(i188)))));
        switch ((i188 & 7)) {
          case 0: {
            g0 *= (g0 * nearest<f64>(g0));
          }
          break;
          case 1: {
            let v189: u8 = (~(((<u32>29) <= <u32>4294901760) ? <u8>88 : (<u8>((<f32>(i188))))));
          }
          break;
          case 2: {
            let v190: f32 = ((((<f64>(4.559124631341547e-91)) >= g0) && (((a0) != a0) || ((<f64>(v187)) < g0))) ? (<f32>(g0)) : ((-(<f32>(v187))) + abs<f32>(f32.POSITIVE_INFINITY)));
            let v191: f32 = h32((<f64>((<u32>2147483647 >> v187))));
          }
          case 3: {
            if (((a0) == a0)) return (((a0) > a0) ? <f32>(9.25e+0) : (<f32>(-2.147483648e+9) + (<f32>(g0))));
            act2((<i32>(ctz<u32>(v187))), (((<i32>(a0)) < i188) ? ((<u32>(g0)) * v187) : (v187 - (u32.MAX_VALUE + v187))));
          }
          break;
          default: {
            act2((<i32>(g0)), (v187 + (<u32>2147483648 - (u32.MAX_VALUE + v187))));
            g0 -= (<f64>(v187));
          }
        }
      }
    }
    case 5: {
      for (let i192: i32 = 0; i192 < 2; i192++) {
        v185 = ((-g0) != reinterpret<f64>(<i64>0x7ff40000000005fc));
        let v193: i64 = (((a0 + (i64.MAX_VALUE - a0)) <= a0) ? <i64>0x100000000 : (a0 | a0));
        switch ((gen6<i32>(((g0) > (<f64>(a0))), i192, i192) & 7)) {
          case 0: {
            v193 *= v193;
          }
          break;
          case 1: {
            store<f32>(buf1 + <usize>32, <f32>(-1e+0));
            let v194: u8 = (<u8>(((-v193) >= ping17((i192) & 7, a0))));
          }
          case 4: {
            act2(i192, (<u32>(v193)));
            v193 = ((a0 | rotl<i64>(v193, <i64>0x100000000)) - v193);
          }
          case 6: {
            let v195: i32 = rotl<i32>(((i192 ^ i192) | (i192 + i192)), i192);
          }
          break;
          default: {
            if (((i192) >= (<i32>(v193)))) return h32(h24(i192, v193, v193));
          }
        }
      }
      let v196: u32 = (<u32>(a0));
    }
    break;
  }
  return (<f32>(a0)) + (<f32>(load<i64>(buf1))) + reinterpret<f32>(<i32>0x7fa0068c);
}
export function e22(a0: u8, a1: bool): u32 {
  assert((<i32>(a0)) != <i32>0, "gen: i32a0 hit an edge");
  return (<u32>(a0)) ^ (<u32>(g0)) ^ (<u32>(load<i64>(buf1))) ^ (~(~<u32>7));
}
export function e23(a0: i64): bool {
  for (let i197: i32 = 0; i197 < 7; i197++) {
    g0 = (Math.random());
    switch (((i197 & i197) & 7)) {
      case 2: {
        let v198: f64 = g0;
        assert(i197 != <i32>32, "gen: i197 hit an edge");
      }
      break;
      case 3: {
        g0 = (<f64>(h32((<f64>(i197)))));
        assert((<u32>(g0)) != <u32>2147483649, "gen: u32g0 hit an edge");
      }
      break;
      case 4: {
        switch (((<i32>(f32.POSITIVE_INFINITY)) & 7)) {
          case 0: {
            store<u8>(buf1, ((<u8>125 << (<u8>(a0))) & (<u8>(max<i32>(<i32><u8>251, <i32>(<u8>(i197)))))), 56);
          }
          case 1: {
            let v199: f32 = <f32>(4.3886037869598673e+27);
          }
          break;
          case 6: {
            let v200: i32 = (<i32>6 ^ i197);
          }
          case 7: {
            let v201: f64 = g0;
          }
          break;
          default: {
            let v202: i32 = clz<i32>(ctz<i32>((i197 + (i32.MAX_VALUE - i197))));
            assert(<f64>(-3.875e+0) != <f64>(1e-1), "gen: f643875e0 hit an edge");
          }
        }
        let v203: i32 = (<i32>((<u32>(a0))));
      }
      break;
      case 7: {
        let v204: i32 = (<i32>(<i16>31));
        let v205: i64 = a0;
      }
      break;
      default: {
        let d206: i32 = 0;
        do {
          d206++;
          if (((a0) <= <i64>0xc)) break;
          store<f32>(buf1 + (<usize>((d206 - (i32.MAX_VALUE + i197)) & 7) << 3), (<f32>(-6.74160523340106e-3) * (-(-(<f32>(d206))))));
          g0 /= (((g0 - (<f64>(a0))) <= h24(d206, a0, a0)) ? g0 : (g0 / ((<f64>(a0)) * <f64>(1.5814200649037958e+117))));
        } while (d206 < 1);
        let v207: u8 = (<u8>(((<u64>(g0)) * (<u64>(g0)))));
      }
    }
  }
  if ((((<u32>(a0)) >> (<u32>(a0))) == gen6<u32>(((<f64>(a0)) != g0), <u32>3792015154, (<u32>(g0))))) {
    store<i32>(buf1, (<i32>1 * gen6<i32>(((a0) <= a0), <i32>(-8), (<i32>(a0)))), 8);
  } else if (((h24(<i32>26, a0, a0)) != (-(-g0)))) {
    a0 -= ping17(((-(<i32>memory.size()))) & 7, h35((<u32>(g0)), (<f32>(g0)), (<i64>(<i32>2))));
    let v208: f32 = h32((((<f64>(-1.25e+0)) >= <f64>(1.7976931348623157e+308)) ? min<f64>((<f64>(a0)), g0) : (f64.POSITIVE_INFINITY + g0)));
  } else if (((a0) > (a0 & (<i64>(g0))))) {
    g0 /= (<f64>((<i32>(gen6<u32>(((g0) <= g0), (<u32>(a0)), <u32>2)))));
    let v209: f64 = (<f64>(a0));
    g0 = g0;
  } else {
    let v210: i32 = (<i32>((<f64>((<u64>0xbe3831819189f28 >> (<u64>(a0)))))));
    let d211: i32 = 0;
    do {
      d211++;
      v210 += (<i32>(g0));
      g0 += (g0 * g0);
    } while (d211 < (v210 & 7));
  }
  g0 += g0;
  let d212: i32 = 0;
  do {
    d212++;
    g0 += ((((g0) < g0) && (((a0) != a0) || ((<i64>(d212)) < a0))) ? (<f64>(a0)) : g0);
    store<f64>(buf1 + <usize>48, ((((a0) >= a0) || ((<i64>(d212)) != a0)) ? (-(-g0)) : (<f64>(a0))));
  } while (d212 < 2 && ((g0) < g0));
  return ((<bool>(a0)) != 0) != ((<bool>(load<i64>(buf1))) != 0) != ((g0) != (-g0));
}
export function e24(a0: bool, a1: i32, a2: f32): i32 {
  switch ((a1 & 7)) {
    case 0: {
      if (a1 == <i32>31) unreachable();
    }
    case 2: {
      a2 /= (((a2 + f32.NaN) + a2) % (<f32>((<i64>0x220aa63d7b2bbc13 >>> (<i64>(a2))))));
    }
    case 3: {
      a1 *= a1;
    }
    case 5: {
      switch ((<i32>31 & 7)) {
        case 0: {
          a1 += a1;
          act2(h14((-(-g0))), <u32>4294967276);
        }
        case 1: {
          for (let i213: i32 = 5; i213 > 0; i213--) {
            act2(a1, <u32>4294901760);
          }
          for (let i215: i32 = 0; i215 < 5; i215++) {
            let skip214: bool = false;
            let w216: i32 = 0;
            while (w216 < 7) {
              w216++;
              if ((isFinite<f64>(g0))) {
                skip214 = true;
                break;
              }
            }
            if (skip214) continue;
          }
        }
        case 2: {
          store<i32>(buf1 + <usize>32, a1);
        }
        break;
        case 5: {
          a0 = ((isNaN<f32>((<f32>(a1)))) || (!a0));
        }
        break;
      }
    }
    break;
  }
  return a1 ^ (<i32>(a2)) ^ (<i32>(g0)) ^ max<i32>(gen6<i32>(a0, a1, a1), a1);
}
export function e25(a0: i64, a1: u8): i64 {
  let v217: i32 = abs<i32>((<i32>(abs<f64>(g0))));
  let v218: i32 = (v217 >>> (<i32>(((a0) != (<i64>(a1))))));
  v218 += v218;
  return a0 + (<i64>(a1)) + (<i64>(v217)) + (<i64>(v218)) + (<i64>(g0)) + (((<u8>(v218)) > <u8>190) ? max<i64>(a0, <i64>0x7fffffffffffffff) : (-<i64>0x100000000));
}
export function e26(a0: u8): i32 {
  for (let i219: i32 = 0; i219 < 1; i219++) {
    let v220: i64 = (((-(-<f64>(1.7976931348623157e+308))) == g0) ? ctz<i64>((<i64>0x0 & (<i64>(g0)))) : max<i64>(((<i64>(i219)) + (i64.MAX_VALUE - <i64>0xf91cf64658a04a56)), (<i64>0x8000000000000000 / ((<i64>0x78efa1401dd97dd5 & <i64>0x7f) + <i64>1))));
  }
  for (let i221: i32 = 0; i221 < 6; i221++) {
    let v222: f64 = nearest<f64>(((((<u32>2147483648) > <u32>0) ? g0 : g0) % ((<f64>(i221)) * <f64>(-2.4856335390359165e-170))));
    let v223: bool = (((i221 | i221) - ((<i32>(v222)) << (<i32>(v222)))) >= (gen6<i32>(((a0) != a0), i221, i221) + i221));
  }
  return (<i32>(a0)) ^ (<i32>(g0)) ^ gen6<i32>(((<f32>(g0)) != <f32>(-2.147483648e+9)), (<i32>(a0)), rotl<i32>((<i32>(g0)), <i32>2147483647));
}
export function e27(a0: i64, a1: f32): bool {
  let w224: i32 = 0;
  while (w224 < 3) {
    w224++;
    act2((<i32>((a0 + (i64.MAX_VALUE - a0)))), (<u32>(a1)));
    let v225: f32 = h32(g0);
  }
  a1 += (a1 % a1);
  return ((<bool>(a0)) != 0) != ((<bool>(a1)) != 0) != ((<bool>(g0)) != 0) != ((reinterpret<f32>(<i32>0xff800dab)) != ((<f32>(g0)) + (<f32>(g0))));
}
export function e28(): f32 {
  let v226: i32 = (<i32>(-1) >> (<i32>(g0)));
  return (<f32>(v226)) + (<f32>(load<i64>(buf1))) + <f32>(1e+0);
}
export function e29(a0: u32, a1: u32): u32 {
  for (let i227: i32 = 0; i227 < 1; i227++) {
    a1 -= a0;
  }
  switch (((((g0) > g0) ? (<i32>(a1)) : (<i32>(a0))) & 7)) {
    case 0: {
      for (let i228: i32 = 0; i228 < 6; i228++) {
        let v229: f32 = (<f32>(a1));
      }
    }
    case 2: {
      let v230: bool = ((g0) <= g0);
    }
    case 3: {
      if (((<f32>(4.841227264e+9) + (<f32>(a0))) <= h32(g0))) {
        for (let i231: i32 = 0; i231 < 3; i231++) {
          let v232: i32 = (((i231 - (i32.MAX_VALUE + (<i32>(a0)))) * (<i32>((<f32>(g0))))) * (i231 + i231));
          a0 |= (a1 + ((<u32>(v232)) - (<u32>(<f32>(-2e+0)))));
          let v233: i64 = (<i64>(g0));
        }
      }
    }
    case 4: {
      g0 += (sqrt<f64>((<f64>(a0))) - g0);
      if ((((<f64>(a1)) + g0) != g0)) {
        for (let i234: i32 = 0; i234 < 4; i234++) {
          a1 -= a0;
        }
        a0 -= a1;
      } else {
        a1 |= a1;
        switch (((<i32>((<u64>(a1)))) & 7)) {
          case 6: {
            assert(<i64>0xc464aa5758d1b17e != <i64>0x40, "gen: i640xc464aa5758d1b17e hit an edge");
            g0 *= ((h24((<i32>(a0)), (<i64>(a1)), <i64>0xffffffff) - g0) / g0);
          }
          break;
          case 7: {
            let v235: f32 = <f32>(-3.19651806640625e+3);
            let v236: u8 = (((<u64>(v235)) <= (<u64>(g0))) ? (~((<u8>(v235)) & <u8>34)) : ((((<f32>(g0)) < v235) ? (<u8>(a0)) : <u8>245) + ((<u8>(a0)) - <u8>240)));
          }
          break;
          default: {
            let v237: u8 = (((<u8>0 * (<u8>(g0))) * h12()) ^ h12());
          }
        }
        a1 = ((((a1) <= a1) ? <u32>2147483647 : (a0 % ((a0 & <u32>0x7f) + <u32>1))) * (~gen6<u32>(((a0) < a0), a0, <u32>31)));
      }
    }
    break;
    default: {
      store<i32>(buf1, <i32>255, 56);
      if ((!((<u32>(g0)) > <u32>941235279))) {
        let d238: i32 = 0;
        do {
          d238++;
          if ((((<u32>2147483648) <= a1) || ((d238) != d238))) break;
        } while (d238 < 4);
      } else if (((g0) < g0)) {
        let pg239: i32 = <i32>memory.grow(0);
        if (pg239 > 0) store<i32>(<usize>pg239 << 16, (-pg239));
        let v240: i64 = (<i64>((((a1) <= a1) ? (<u64>0x10 + (<u64>(a0))) : (<u64>0x40 | <u64>0x5))));
      } else if (((a1 + (u32.MAX_VALUE - a1)) > max<u32>(a0, a1))) {
        g0 /= h24((<i32>(a1)), (<i64>(a1)), rotl<i64>((<i64>0xffffffff - (i64.MAX_VALUE + (<i64>(g0)))), (<i64>(a0))));
      }
    }
  }
  return a0 ^ a1 ^ (a0 << gen6<u32>(((g0) != g0), a1, a0));
}
export function e30(a0: u8, a1: f64): f64 {
  for (let i241: i32 = 5; i241 > 0; i241--) {
    let w242: i32 = 0;
    while (w242 < 3) {
      w242++;
      for (let i243: i32 = 0; i243 < 1; i243++) {
        store<i32>(buf1 + (<usize>((i241 - (i32.MAX_VALUE + (<i32>(a0)))) & 7) << 3), (<i32>((<u32>(w242)))));
      }
      if (((a0) <= a0)) break;
    }
    a0 &= a0;
  }
  let d244: i32 = 0;
  do {
    d244++;
    let v245: u64 = (~((<u64>0x7fffffffffffffff - <u64>0x91a6843234705beb) - (<u64>0x16 + (u64.MAX_VALUE - <u64>0xffffffff00000000))));
    let v246: u64 = <u64>(reinterpret<i64>(a1));
    v245 <<= v246;
  } while (d244 < 2);
  let d248: i32 = 0;
  do {
    d248++;
    let skip247: bool = false;
    for (let i249: i32 = 0; i249 < 3; i249++) {
      if (((a1) == g0)) {
        skip247 = true;
        break;
      }
      a1 += copysign<f64>(<f64>(-2.407330092974007e+215), (-g0));
    }
    if (skip247) continue;
  } while (d248 < 5 && ((<f64>(a0)) == g0));
  a1 *= ((a1 + ((<f64>(a0)) + g0)) * ((<f64>(a0)) * (g0 + (<f64>(a0)))));
  return (<f64>(a0)) + a1 + g0 + g0;
}
export function e31(a0: bool): bool {
  for (let i250: i32 = 0; i250 < 4; i250++) {
    g0 += h24(((i250 + i250) + (((<f32>(i250)) < (<f32>(i250))) ? i250 : i250)), (<i64>(g0)), (<i64>(((<u64>(i250)) + <u64>0xffffffff00000000))));
    let w252: i32 = 0;
    while (w252 < 2) {
      w252++;
      let skip251: bool = false;
      a0 = ((clz<i32>(i250)) == gen6<i32>(((i250) < w252), w252, w252));
      switch (((i250 % ((w252 & <i32>0x7f) + <i32>1)) & 7)) {
        case 1: {
          if (((i250) > i250)) return (!((<u64>0xf) >= <u64>0xffffffffffffffef));
          if ((!((g0) >= g0))) continue;
        }
        case 2: {
          store<f64>(buf1 + (<usize>(h14(g0) & 7) << 3), (g0 + ((<f64>(w252)) / g0)));
        }
        case 7: {
          a0 = ((<u32>27 >>> (<u32>(g0))) == (<u32>(i250)));
          let v253: u8 = ((((<f64>(1.7976931348623157e+308)) >= g0) ? <u8>0 : (<u8>22 & (<u8>(g0)))) | ((<u8>33 & <u8>237) ^ (<u8>252 | (<u8>(g0)))));
        }
        break;
        default: {
          let v254: i32 = (clz<i32>((i250 << i250)) + i250);
          let v255: u32 = (~gen6<u32>((a0 && ((i250) >= <i32>2147483647)), popcnt<u32>((<u32>(i250))), ((<u32>(w252)) ^ (<u32>(i250)))));
        }
      }
      for (let i256: i32 = (i250 & 3); i256 > 0; i256--) {
        if ((isNaN<f64>(g0))) {
          skip251 = true;
          break;
        }
        g0 /= (<f64>(w252));
        let v257: f64 = load<f64>(buf1 + (<usize>((~(<i32>(g0))) & 7) << 3));
      }
      if (skip251) continue;
      g0 *= ceil<f64>(((((<f32>(i250)) >= (<f32>(i250))) ? g0 : <f64>(2e+0)) / g0));
    }
  }
  let w258: i32 = 0;
  while (w258 < 7) {
    w258++;
    let w259: i32 = 0;
    while (w259 < 2) {
      w259++;
      if (a0) return a0;
      let v260: bool = (((<i32>14 + w259) + (w258 << w259)) == (gen6<i32>(a0, w258, w258) + (w259 - w258)));
    }
    store<f64>(buf1 + <usize>40, g0);
  }
  a0 = (((<u64>(g0)) < (<u64>(g0))) && (a0 || ((f64.POSITIVE_INFINITY) == <f64>(1e+0))));
  return ((<bool>(load<i64>(buf1))) != 0) != ((g0) > g0);
}
export function e32(): i64 {
  g0 *= (((((f64.NEGATIVE_INFINITY) >= <f64>(-4.605117079336197e-269)) || ((<f32>(g0)) != <f32>(-1e+0))) && ((g0) >= g0)) ? (<f64>(1e+0) + (<f64>(1.125e+0) % g0)) : (-(-<f64>(-1e+0))));
  return (<i64>(g0)) + (<i64>(load<i64>(buf1))) + (<i64>(g0));
}
export function e33(a0: i64, a1: f32): i32 {
  let v261: f64 = load<f64>(<usize>1160);
  act2(((<i32>(((v261) >= v261))) - gen6<i32>(((<f64>(-1e+0)) >= v261), <i32>13, <i32>(-4))), (<u32>4294901760 + (u32.MAX_VALUE - (<u32>(a0)))));
  g0 /= (<f64>(a0));
  return (<i32>(a0)) + (<i32>(a1)) + (<i32>(v261)) + (<i32>memory.size());
}
export function e34(a0: u8): i64 {
  a0 |= a0;
  let d262: i32 = 0;
  do {
    d262++;
    store<i64>(buf1 + <usize>24, (((<i64>(d262)) ^ <i64>0x1) + ((<i64>(a0)) & <i64>0x70bbdc4a44ae68e6)));
    if ((isNaN<f32>((<f32>(d262))))) break;
  } while (d262 < 4 && ((<u64>0xc8f4a2ed7d2c7982) >= <u64>0xffffffffffffffff));
  return (<i64>(a0)) ^ (<i64>(g0)) ^ ((~(<i64>(g0))) * ((<i64>(a0)) - (<i64>(a0))));
}
export function e35(a0: i32): u32 {
  let v263: i64 = ((((a0) < a0) && ((<f64>(-1.303611434996128e-141)) != g0)) ? ctz<i64>((<i64>0x262116e0011c0d63 + (i64.MAX_VALUE - (<i64>(a0))))) : max<i64>(<i64>0x634a65149c19ded3, <i64>0xf));
  store<f32>(buf1 + (<usize>((a0 + a0) & 7) << 3), <f32>(-1e+0));
  let v264: i64 = (-(~(v263 + v263)));
  return (<u32>(a0)) + (<u32>(v263)) + (<u32>(v264)) + (<u32>(g0)) + (<u32>(load<i64>(buf1))) + (<u32>(((<i16>(a0)) + (<i16>(g0)))));
}
export function e36(a0: f64, a1: i32, a2: u32): f32 {
  assert(a2 != <u32>4294967295, "gen: a2 hit an edge");
  act2(a1, (((<u32>(g0)) << a2) * clz<u32>(a2)));
  let v265: bool = ((g0) == h24(a1, (<i64>0x20 + (<i64>(a1))), (-(<i64>(a1)))));
  let v266: u32 = (((a2) == (a2 - a2)) ? ctz<u32>(min<u32>(a2, a2)) : gen6<u32>(((a2) <= a2), (a2 + (<u32>(a1))), a2));
  a1 &= reinterpret<i32>(<f32>(-0.0));
  return (<f32>(a0)) + (<f32>(a1)) + (<f32>(a2)) + (<f32>(v266)) + (<f32>(load<i64>(buf1))) + ((<f32>(8.25e+0) + <f32>(4.25e+0)) % min<f32>(<f32>(1.289662208137088e-7), <f32>(-4.0670877206139266e-4)));
}
export function e37(a0: u32, a1: u32): i32 {
  for (let i268: i32 = 0; i268 < 3; i268++) {
    let skip267: bool = false;
    a1 |= (rotr<u32>((<u32>31 + (u32.MAX_VALUE - a1)), ((<u32>(g0)) + (u32.MAX_VALUE - a0))) >> gen6<u32>((((a1) == a1) && ((<u32>4294967276) < a1)), (~a0), (<u32>(load<i32>(buf1 + <usize>0)))));
    let d269: i32 = 0;
    do {
      d269++;
      let v270: f64 = ceil<f64>(h24((((i268) != (<i32>(a0))) ? d269 : <i32>1), (<i64>0xffffffffffffffff ^ <i64>0x28), (<i64>0x5f6c36189fca2043 << <i64>0x1)));
      if (((g0) <= g0)) {
        skip267 = true;
        break;
      }
    } while (d269 < 2);
    if (skip267) continue;
    let v271: i32 = i268;
    for (let i272: i32 = 7; i272 > 0; i272--) {
      store<i32>(buf1 + <usize>32, (-i272));
      if (((<i32>(g0)) != <i32>7)) continue;
    }
  }
  store<i32>(buf1 + <usize>48, <i32>(-65536));
  if (((<f32>(a1)) < <f32>(-4.1255014760448e+13))) return <i32>(-19);
  a1 &= (clz<u32>(((<u32>(g0)) - a1)) - ((a1 >> (<u32>(g0))) ^ (a0 * (u32.MAX_VALUE - (<u32>(g0))))));
  a0 ^= (a0 + a1);
  return (<i32>(a0)) ^ (<i32>(a1)) ^ (<i32>(g0)) ^ gen6<i32>(((a0) <= a1), ((<i32>(a1)) * <i32>(-1715495944)), ((<i32>(a0)) ^ (<i32>(a1))));
}
export function e38(a0: u32, a1: f64, a2: i32): u8 {
  if (((a0 - a0) > <u32>4294967295)) {
    let v273: u32 = (((!((<f64>(a2)) == a1)) && ((a0) >= a0)) ? (<u32>(a2)) : a0);
  } else {
    a1 *= ((-(-g0)) + (a1 - (Math.random())));
    a1 -= (-(-reinterpret<f64>(<i64>0x7ff00000000008ad)));
    let w274: i32 = 0;
    while (w274 < (a2 & 7)) {
      w274++;
      act2(gen6<i32>((!((g0) > a1)), gen6<i32>(((w274) < w274), a2, a2), (-w274)), ((a0 & a0) | (a0 >>> a0)));
      g0 = ((<f64>(((a0) >= a0))) / a1);
      let v275: i32 = (<i32>(-1972638940) + (i32.MAX_VALUE - a2));
    }
  }
  return (<u8>(a0)) ^ (<u8>(a1)) ^ (<u8>(a2)) ^ (<u8>(g0)) ^ (<u8>(a2));
}
export function e39(a0: bool): u8 {
  for (let i276: i32 = 0; i276 < 7; i276++) {
    g0 -= <f64>(4.375e+0);
    act2(i276, (<u32>((<u8>186 + <u8>195))));
    if ((<u32>(g0)) == <u32>255) unreachable();
  }
  return (<u8>(load<i64>(buf1))) + (h12() | (<u8>22 + <u8>255));
}
export function e40(a0: i32): u8 {
  switch ((load<i32>(buf1 + (<usize>(a0 & 7) << 3)) & 7)) {
    case 2: {
      let v277: i32 = reinterpret<i32>((<f32>(g0)));
      v277 *= ((<i32>(g0)) % ((i32.MIN_VALUE & <i32>0x7f) + <i32>1));
    }
    break;
    case 4: {
      let v278: i64 = (((h24(a0, <i64>0xffffffff, <i64>0x13)) != g0) ? (-(<i64>0x18 * (i64.MAX_VALUE - (<i64>(g0))))) : ping17((a0) & 7, (<i64>(a0))));
    }
    break;
  }
  return (<u8>(a0)) ^ h12();
}
export function e41(a0: f32, a1: u8): i64 {
  assert((<i32>(g0)) != <i32>2147483647, "gen: i32g0 hit an edge");
  a1 = ((<u8>(h24(i32.MIN_VALUE, <i64>0x40, <i64>0xffffffff))) ^ a1);
  if (((a0) > a0)) {
    if ((<i64>(g0)) == <i64>0xffffffff) unreachable();
  } else if ((!(((g0) <= f64.NaN) || ((g0) < g0)))) {
    act2(gen6<i32>((((g0) >= g0) || ((<f64>(1e+0)) != g0)), (<i32>(a0)), <i32>0), (((<u32>(a0)) ^ <u32>4294967292) - (~(<u32>(a1)))));
  } else if (((((g0) < g0) ? <f32>(1.401298464324817e-45) : a0) < <f32>(1.6777217e+7))) {
    for (let i279: i32 = 0; i279 < 4; i279++) {
      store<f64>(buf1 + (<usize>((i279 + (i32.MAX_VALUE - i279)) & 7) << 3), reinterpret<f64>(<i64>0xfff0000000000b79));
      let v280: i32 = (min<i32>(i279, gen6<i32>(((a1) < a1), i279, <i32>18)) * (i32.MAX_VALUE - reinterpret<i32>(a0)));
      if (((((<i32>(a1)) >= v280) ? v280 : i279) < <i32>2)) {
        g0 = copysign<f64>(((g0 % g0) % (<f64>(<i16>1))), g0);
      } else if ((isFinite<f64>((g0 / g0)))) {
        if (((g0) < g0)) return ((<i64>0x8000000000000000 >> (<i64>(v280))) >> <i64>0x3f);
        store<i64>(buf1 + <usize>56, <i64>0xa);
        let v281: f64 = (-(-(-<f64>(2.147483648e+9))));
      } else if (((!((g0) >= g0)) && ((g0) < g0))) {
        let v282: i64 = ping17((v280) & 7, ctz<i64>(h35((<u32>(i279)), (<f32>(v280)), (<i64>(g0)))));
        act2((i279 | v280), ((~<u32>1) << (~<u32>2147483648)));
        let v283: u8 = a1;
      }
    }
    if (((<u8>0 ^ a1) == a1)) {
      let d284: i32 = 0;
      do {
        d284++;
        let v285: i32 = load<i32>(buf1 + <usize>32);
      } while (d284 < 6);
    } else {
      if (((!((<u8>140) == a1)) || ((<f64>(a0)) > (<f64>(a0))))) {
        act2((~(<i32>13 << (<i32>(a1)))), (~(<u32>(<i64>0xfffffffffffffff8))));
        a0 /= load<f32>(buf1 + (<usize>(((<i32>(g0)) - (<i32>(a1))) & 7) << 3));
        g0 += reinterpret<f64>(<i64>0x7ff8000000000a47);
      } else if (((h12()) <= (<u8>(g0)))) {
        act2((<i32>memory.size()), ((~<u32>718556496) + (<u32>256 % ((<u32>4294967293 & <u32>0x7f) + <u32>1))));
      } else if (((load<f32>(buf1 + (<usize>((<i32>(g0)) & 7) << 3))) != h32(f64.POSITIVE_INFINITY))) {
        a0 /= abs<f32>(a0);
        act2((gen6<i32>(((a0) < a0), (<i32>(g0)), <i32>17) * (i32.MAX_VALUE - ((<i32>(a0)) << <i32>2136887943))), ((<u32>(a0)) + (u32.MAX_VALUE - max<u32>((<u32>(g0)), (<u32>(a0))))));
        let v286: i64 = <i64>0x8c6542b5d947cb71;
      } else {
        a1 <<= <u8>255;
        assert(<i64>0x1e != <i64>0xffffffffffffffff, "gen: i640x1e hit an edge");
      }
      let w287: i32 = 0;
      while (w287 < 3) {
        w287++;
        let v288: i32 = w287;
      }
    }
    for (let i289: i32 = 5; i289 > 0; i289--) {
      let v290: bool = true;
      v290 = ((max<i32>(i289, i289)) == i289);
    }
  } else {
    g0 = h24(rotr<i32>((<i32>(a0)), ((<i32>(a0)) + <i32>(-2147483647))), (<i64>(a0)), (<i64>(((<i16>(-14)) == <i16>2))));
  }
  return (<i64>(a0)) + (<i64>(a1)) + (<i64>(g0)) + ((!((g0) >= g0)) ? (<i64>((<u32>(a1)))) : (~(<i64>(a1))));
}
export function e42(a0: bool): bool {
  store<f64>(buf1, h24(h14(g0), ((<i64>(g0)) >> (<i64>(g0))), h35((<u32>(g0)), <f32>(-6.75e+0), <i64>0x20)), 32);
  let v291: bool = ((g0) >= reinterpret<f64>(<i64>0xfff80000000004e9));
  for (let i292: i32 = 0; i292 < 3; i292++) {
    a0 = ((<i64>(i292)) == ((<i64>(i292)) >> (<i64>(i292))));
  }
  act2(((<i32>(g0)) + <i32>13), (<u32>(g0)));
  a0 = ((reinterpret<f64>(<i64>0x7ff8000000000972)) >= (g0 / <f64>(9.007199254740992e+15)));
  return ((<bool>(g0)) != 0) != ((<bool>(load<i64>(buf1))) != 0) != ((isFinite<f32>(<f32>(-7.5e-1))) || ((<f64>(1.7976931348623157e+308)) >= g0));
}
export function e43(a0: i64): f64 {
  for (let i293: i32 = 2; i293 > 0; i293--) {
    let w294: i32 = 0;
    while (w294 < (i293 & 7)) {
      w294++;
      if (((((w294) > i293) || ((i293) >= i293)) && (((<f64>(1e+0)) <= g0) || ((g0) > g0)))) {
        g0 *= g0;
        let v295: bool = (((w294 - i293) != (((i293) > w294) ? w294 : i293)) || ((g0) > g0));
        v295 = ((w294 + w294) > (i293 >>> i293));
      }
      if (i293 == <i32>255) unreachable();
      assert(g0 != f64.POSITIVE_INFINITY, "gen: g0 hit an edge");
    }
    if ((((<i32>(a0)) + i293) != gen6<i32>(((i32.MIN_VALUE) != i293), i293, i293))) {
      a0 &= (((a0 * a0) | a0) | (load<i64>(buf1 + (<usize>((<i32>(g0)) & 7) << 3)) - (i64.MAX_VALUE + (a0 >> a0))));
    } else if (((i293) < (i293 | (<i32>(g0))))) {
      let v296: f32 = <f32>(0e+0);
    } else if ((isNaN<f32>(<f32>(9.276025780824426e-11)))) {
      let v297: u32 = popcnt<u32>(rotr<u32>((<u32>(g0)), (<u32>3530259717 << <u32>634182643)));
      store<i32>(buf1 + <usize>32, (<i32>(g0)));
    } else {
      if (((a0) > a0)) return ceil<f64>((((a0) > a0) ? (<f64>(a0)) : g0));
      let d298: i32 = 0;
      do {
        d298++;
        g0 -= h24(((i293 / ((d298 & <i32>0x7f) + <i32>1)) + (((g0) > g0) ? i293 : d298)), (h35(<u32>4294967282, (<f32>(g0)), a0) % (((<i64>0x1f * a0) & <i64>0x7f) + <i64>1)), (a0 % ((ctz<i64>(a0) & <i64>0x7f) + <i64>1)));
      } while (d298 < (i293 & 7));
    }
  }
  return (<f64>(a0)) + reinterpret<f64>(<i64>0x7ff4000000000d98);
}
export function e44(a0: f32, a1: i32): u32 {
  let v299: i64 = (((<i64>(a1)) * (<i64>0xfffffffffffffff9 & (<i64>(a0)))) + ((~<i64>0x0) | (<i64>(a1))));
  for (let i300: i32 = 0; i300 < 2; i300++) {
    a1 |= (<i32>((-(-g0))));
    store<i32>(buf1 + (<usize>(a1 & 7) << 3), (a1 ^ i300));
  }
  switch (((-a1) & 7)) {
    case 0: {
      if ((!((<i32>(v299)) != a1))) {
        store<f64>(buf1, ((g0 % g0) / h24(a1, v299, v299)), 40);
        let stop301: bool = false;
        let w302: i32 = 0;
        while (w302 < (a1 & 7)) {
          w302++;
          for (let i303: i32 = 0; i303 < 3; i303++) {
            if (((g0) == g0)) continue;
            a0 = ((((<f32>(g0)) / <f32>(-2.045872802734375e+3)) + (a0 * <f32>(3.4028234663852886e+38))) * (((<i32>(g0)) == a1) ? ((<f32>(v299)) % <f32>(-3.4120965608508413e-8)) : (a0 + (<f32>(w302)))));
            if ((((<i16>(g0)) >= (<i16>(w302))) && ((a1) == i303))) {
              stop301 = true;
              break;
            }
            a0 /= a0;
          }
          if (stop301) break;
        }
        let w305: i32 = 0;
        while (w305 < (a1 & 7)) {
          w305++;
          let skip304: bool = false;
          v299 = v299;
          let w306: i32 = 0;
          while (w306 < 2) {
            w306++;
            let v307: i32 = ((a1 >> w305) | ((a1 % (<i32>(a0))) ^ (<i32>(a0))));
            if ((((v299) > v299) || ((w305) <= w306))) {
              skip304 = true;
              break;
            }
            g0 = reinterpret<f64>(<i64>0xfff0000000000dfa);
          }
          if (skip304) continue;
        }
      }
      let d308: i32 = 0;
      do {
        d308++;
        let d309: i32 = 0;
        do {
          d309++;
          g0 *= ((<f64>(<i16>(-1))) + h24((d309 - (<i32>(v299))), (<i64>(<f64>(-9.223372036854776e+18))), v299));
          let v310: bool = true;
        } while (d309 < (a1 & 1) && ((g0) >= g0));
        let v311: i32 = gen6<i32>(((<f32>(1.6777217e+7) + (<f32>(d308))) < a0), (-(d308 * a1)), load<i32>(buf1 + <usize>16));
      } while (d308 < 3);
    }
    case 2: {
      for (let i312: i32 = 0; i312 < 3; i312++) {
        if (((a1) >= i312)) return gen6<u32>(((g0) != g0), gen6<u32>(((<i32>1784661572) != i312), (<u32>(g0)), (<u32>(g0))), <u32>4294967295);
        if (((!((a0) != (<f32>(a1)))) && (((<u64>0x3f) != (<u64>(a1))) && ((a0) <= a0)))) {
          if (((a1) != <i32>255)) return (~(<u32>(g0)));
        } else if (((<f64>(2.125e+0) % g0) == (<f64>(i312)))) {
          act2((<i32>((<i64>(a0)))), <u32>3493909274);
        }
        if (((g0) <= g0)) break;
      }
      g0 -= (<f64>((((<u64>(a1)) != <u64>0x8000000000000000) ? a1 : (<i32>(a0)))));
    }
    break;
    case 3: {
      a0 *= (a0 / (<f32>(7.5e+0) + a0));
    }
    break;
    case 5: {
      if (a1 == <i32>(-65536)) unreachable();
      store<f32>(buf1 + (<usize>((<i32>(<u64>0x62645ce5439c94e7)) & 7) << 3), (<f32>((<i16>(<u8>36)))));
    }
    break;
    default: {
      g0 += g0;
    }
  }
  a1 ^= (a1 + a1);
  a1 += gen6<i32>(((((v299) == <i64>0xefc29e6f10fe7eb5) && ((a0) < a0)) && ((v299) >= v299)), ((a1 << a1) * (-a1)), a1);
  return (<u32>(a0)) ^ (<u32>(a1)) ^ (<u32>(v299)) ^ (<u32>(g0)) ^ (<u32>(load<i64>(buf1))) ^ (<u32>(v299));
}
export function e45(a0: f64, a1: i64): f32 {
  let w313: i32 = 0;
  while (w313 < 4) {
    w313++;
    let w314: i32 = 0;
    while (w314 < (w313 & 7)) {
      w314++;
      g0 = <f64>(2.555462678428739e-152);
      act2((load<i32>(buf1 + (<usize>(w313 & 7) << 3)) + (w313 + w313)), (<u32>(w313)));
    }
    let w315: i32 = 0;
    while (w315 < 4) {
      w315++;
      assert(<u32>65535 != <u32>2147483648, "gen: u3265535 hit an edge");
      let v316: u8 = (<u8>(min<i32>(<i32>((<u8>(max<i32>(<i32><u8>31, <i32>(<u8>(g0))))) + h12()), <i32><u8>34)));
      act2(w315, clz<u32>(<u32>256));
    }
    let v317: u64 = <u64>0xfafe63af1c19c474;
  }
  let stop318: bool = false;
  for (let i319: i32 = 0; i319 < 3; i319++) {
    if (((<i32>(-2147483647)) != i319)) continue;
    for (let i320: i32 = 0; i320 < (i319 & 3); i320++) {
      if ((((a0) > <f64>(2.147483648e+9)) && ((i320) == <i32>0))) {
        stop318 = true;
        break;
      }
    }
    if (stop318) break;
    store<f32>(buf1 + (<usize>(((<i32>(a1)) * (i32.MAX_VALUE - (<i32>(g0)))) & 7) << 3), ((<f32>(<u32>4294967283)) + (<f32>((<i16>(a1))))));
  }
  return (<f32>(a0)) + (<f32>(a1)) + (<f32>(g0)) + ((((a1) < a1) && ((g0) > a0)) ? (<f32>(-2.147483648e+9) * <f32>(9.75e+0)) : <f32>(2e+0));
}
export function e46(a0: i64, a1: u8, a2: f32): f64 {
  a1 |= a1;
  let d321: i32 = 0;
  do {
    d321++;
    let v322: f32 = a2;
  } while (d321 < 2);
  a1 ^= (<u8>(min<i32>(<i32>(h12() % (((<u8>(((<u8>(a0)) == a1))) & <u8>0x7f) + <u8>1)), <i32>a1)));
  let d323: i32 = 0;
  do {
    d323++;
    store<i64>(buf1 + <usize>16, (((<i64>(d323)) - (i64.MAX_VALUE + <i64>0x17)) | h35(<u32>2147483647, a2, (<i64>(d323)))));
    if (((h24(d323, a0, a0)) > (<f64>((<i16>(a2)))))) {
      store<i64>(buf1, ping17(((~d323)) & 7, (a0 >> (<i64>(g0)))), 16);
      act2((d323 % ((d323 & <i32>0x7f) + <i32>1)), ((<u32>(a2)) + (u32.MAX_VALUE - (<u32>(((a1) < a1))))));
      a2 -= a2;
    } else {
      g0 /= load<f64>(<usize>1424);
      switch ((rotr<i32>((<i32>(a1)), d323) & 7)) {
        case 1: {
          a0 <<= ((isNaN<f32>(a2)) ? ctz<i64>((a0 & a0)) : (<i64>((<i16>(min<i32>(<i32>(<i16>(d323)), <i32>(<i16>(g0))))))));
          a1 -= ((<u8>(max<i32>(<i32>a1, <i32>(<u8>(g0))))) * <u8>16);
        }
        break;
      }
    }
  } while (d323 < 3);
  a2 += a2;
  return (<f64>(a0)) + (<f64>(a1)) + (<f64>(a2)) + g0;
}
export function e47(a0: i32): f64 {
  let v324: f64 = ((((<f64>(a0)) * g0) + <f64>(-2.75e+0)) + ((g0 + g0) * (((<f64>(a0)) != g0) ? g0 : g0)));
  a0 &= gen6<i32>(((<f64>(<u64>0x7d3c93b97f9a5b95)) > (<f64>(-3.1368808285333218e-105) * v324)), rotr<i32>(((<i32>(v324)) * (i32.MAX_VALUE - a0)), reinterpret<i32>((<f32>(a0)))), a0);
  return (<f64>(a0)) + v324 + g0 + reinterpret<f64>(<i64>0xfff40000000001a1);
}
export function e48(a0: f32, a1: bool): u32 {
  act2((<i32>(g0)), (max<u32>(<u32>436810919, (<u32>(a0))) >> (~<u32>2034628450)));
  g0 /= Math.sin(nearest<f64>((g0 % g0)));
  return (<u32>(a0)) + (<u32>(g0)) + <u32>1;
}
export function e49(a0: i32, a1: bool): f64 {
  if ((((<u8>0) <= (<u8>(g0))) || (isNaN<f64>(g0)))) {
    a1 = (((<u64>0xffffffffffffffff) > <u64>0x24) && ((g0) < g0));
    a1 = ((a0) < (a0 * (i32.MAX_VALUE - a0)));
    for (let i325: i32 = 0; i325 < 3; i325++) {
      a1 = ((((i325) == i325) && ((a0) < a0)) && ((a0) < i325));
      if (((a0) == rotl<i32>(<i32>7, <i32>0))) {
        if (a0 == <i32>7) unreachable();
      } else if ((((i325) < a0) && ((a0) >= i325))) {
        g0 += (-max<f64>((<f64>((<i16>(a0)))), (g0 % g0)));
        g0 -= (((-g0) * h24(a0, (<i64>(a0)), (<i64>(i325)))) + (((<u64>(i325)) <= <u64>0x40) ? g0 : g0));
      }
    }
  } else if (((a1 ? a0 : <i32>1) > (((a0) >= (<i32>(g0))) ? a0 : a0))) {
    if ((isFinite<f32>(<f32>(-4.5e+0)))) return g0;
    if (((g0) > g0)) return ((-g0) / (g0 * <f64>(2.653935607522726e+252)));
  } else if (((!a1) && (!((g0) >= <f64>(-3.9331285958178344e+192))))) {
    store<i64>(buf1, ((<i64>0x901b1e3e4e6464c1 + <i64>0x1face959c7485abe) + (<i64>(g0))), 32);
    act2(rotr<i32>(((<i32>(g0)) * (i32.MAX_VALUE - (<i32>(g0)))), a0), (<u32>2147483649 << ((<u32>(g0)) + (u32.MAX_VALUE - (<u32>(a0))))));
    store<f32>(buf1 + (<usize>(a0 & 7) << 3), reinterpret<f32>(<i32>0x7fc00a84));
  } else {
    if (((Math.sin(g0)) < max<f64>(g0, g0))) {
      let v326: i64 = (<i64>(g0));
      let v327: i16 = (<i16>(v326));
      let v328: i32 = (<i32>memory.size());
    } else if (a1) {
      g0 *= (<f64>((-((<i64>(g0)) - (i64.MAX_VALUE + <i64>0x8)))));
      let v329: i64 = ping17(((<i32>(g0))) & 7, (((<i64>(a0)) / (((<i64>(a0)) & <i64>0x7f) + <i64>1)) & load<i64>(buf1 + (<usize>(a0 & 7) << 3))));
      g0 *= <f64>(-9.223372036854776e+18);
    } else if (((gen6<i32>(((<i64>(g0)) <= <i64>0x100000000), a0, (<i32>(g0)))) <= (a0 - (i32.MAX_VALUE + a0)))) {
      if ((!((a0) != <i32>31))) {
        store<f64>(buf1 + (<usize>((-a0) & 7) << 3), g0);
      } else if ((isFinite<f64>(((<f64>(a0)) + <f64>(1e+0))))) {
        a1 = a1;
        act2((<i32>(((<f64>(a0)) == g0))), gen6<u32>(((g0) == g0), (<u32>(g0)), (a1 ? (<u32>(a0)) : (<u32>(g0)))));
      } else if (((g0) != g0)) {
        let v330: f64 = (<f64>((<f32>((-(<i16>(g0)))))));
      }
      a0 += (<i32>memory.size());
    } else {
      g0 /= g0;
      a1 = ((a0) >= a0);
      if (((g0) <= (<f64>(<f32>(1.6777217e+7))))) {
        a0 |= gen6<i32>(((popcnt<i32>(a0)) < a0), (<i32>(<u32>4294967282)), load<i32>(buf1 + <usize>40));
        let v331: bool = (isNaN<f32>((<f32>(-1.343469597474427e+24) + ((<f32>(a0)) + (<f32>(g0))))));
      } else {
        g0 *= ((g0 * load<f64>(buf1 + <usize>16)) / g0);
        a0 <<= ((((g0) <= g0) ? (<i32>2 ^ (<i32>(g0))) : a0) + (<i32>(((<f64>(a0)) * g0))));
        a1 = (isFinite<f32>(((<f32>(g0)) / (<f32>(g0)))));
      }
    }
    a1 = ((<i16>(-18378) | (<i16>(g0))) >= <i16>(-31816));
    assert(<i64>0x40 != <i64>0x8000000000000000, "gen: i640x40 hit an edge");
  }
  return (<f64>(a0)) + g0 + (<f64>(load<i64>(buf1))) + h24(a0, abs<i64>(<i64>0x3f), <i64>0x7cdfa281c1967625);
}
export function e50(a0: f64): i32 {
  let v332: i64 = (<i64>(((<f32>(g0)) * (<f32>(a0)))));
  return (<i32>(a0)) ^ (<i32>(v332)) ^ ((<i32>(v332)) % ((rotl<i32>(<i32>2, <i32>256) & <i32>0x7f) + <i32>1));
}
export function e51(a0: bool, a1: u8): i64 {
  let v333: f32 = load<f32>(buf1 + (<usize>(max<i32>((<i32>(a1)), <i32>31) & 7) << 3));
  return (<i64>(a1)) + (<i64>(v333)) + (<i64>(g0)) + (<i64>0x977217b14daf108 + (i64.MAX_VALUE - (<i64>(g0))));
}
export function e52(a0: f32): u32 {
  g0 += (<f64>(a0));
  g0 *= (g0 % g0);
  return (<u32>(a0)) ^ (<u32>(g0)) ^ (<u32>(load<i64>(buf1))) ^ (gen6<u32>(((<f32>(g0)) != a0), (<u32>(g0)), (<u32>(a0))) + (((g0) <= g0) ? (<u32>(g0)) : (<u32>(g0))));
}
export function e53(): i64 {
  if (((g0 + f64.NaN) < (<f64>((<i64>(g0)))))) {
    switch (((<i32>((<u64>(g0)))) & 7)) {
      case 0: {
        if ((isFinite<f32>(((<f32>(g0)) + (<f32>(g0)))))) {
          let pg334: i32 = <i32>memory.grow(1);
          if (pg334 > 0) store<i64>(<usize>pg334 << 16, (~(<i64>0x40 - (i64.MAX_VALUE + <i64>0xfffffffffffffff9))));
          g0 = (-g0);
          let v335: i32 = ((pg334 ^ <i32>0) + (min<i32>(pg334, pg334) + (((<i32>2143068828) < pg334) ? pg334 : pg334)));
        } else if (((<f64>(<u8>113)) > h24((<i32>(g0)), (<i64>(g0)), (<i64>(g0))))) {
          g0 = (-(g0 - (((f32.POSITIVE_INFINITY) < <f32>(-5e+0)) ? g0 : g0)));
          assert((<u32>(g0)) != <u32>0, "gen: u32g0 hit an edge");
        } else if (((reinterpret<i32>((<f32>(g0)))) <= load<i32>(buf1 + <usize>8))) {
          let v336: i32 = (<i32>(g0));
        } else {
          act2((((<i32>(g0)) + <i32>(-2147483647)) | (<i32>(-2147483647) + <i32>1212362950)), ((<u32>(<i64>0x7fffffffffffffff)) | popcnt<u32>((<u32>(g0)))));
          let v337: i64 = (<i64>(g0));
        }
        let v338: i64 = (<i64>(g0));
      }
      break;
      case 1: {
        for (let i340: i32 = 0; i340 < 1; i340++) {
          let skip339: bool = false;
          let w341: i32 = 0;
          while (w341 < (i340 & 7)) {
            w341++;
            if (((i340) >= w341)) {
              skip339 = true;
              break;
            }
          }
          if (skip339) continue;
          g0 -= (-(-(((i340) < i340) ? g0 : (g0 % g0))));
          g0 = <f64>(9.007199254740992e+15);
        }
      }
      case 2: {
        let v342: i64 = ping17(((<i32>(-1) - (<i32>(g0)))) & 7, <i64>0xffffffffffffffff);
        let v343: bool = ((g0) >= g0);
      }
      break;
      case 4: {
        if (((<f64>(2.147483648e+9)) < g0)) return (<i64>(((<i32>(g0)) ^ <i32>(-987192978))));
      }
      break;
    }
  } else if (((g0 + g0) == (<f64>(2.147483648e+9) + <f64>(1e-1)))) {
    for (let i344: i32 = 0; i344 < 3; i344++) {
      g0 /= ((((<i32>(g0)) > i344) ? g0 : g0) / ((g0 / <f64>(1.225926112383604e-276)) * h24(i344, (<i64>(g0)), <i64>0x40)));
      let v345: f32 = (<f32>(h24(gen6<i32>(((i344) <= i344), i344, <i32>(-6)), ((<i64>(g0)) | <i64>0x4), (<i64>(g0)))));
    }
    let v346: u8 = ((((<i16>(g0)) >> (<i16>(g0))) <= (<i16>(g0))) ? <u8>239 : <u8>7);
  } else if (((g0) <= (g0 % <f64>(9.007199254740992e+15)))) {
    g0 /= <f64>(1e-1);
  }
  g0 /= g0;
  store<u8>(buf1, (<u8>(g0)), 16);
  if (((g0 + g0) <= (g0 / g0))) {
    let w347: i32 = 0;
    while (w347 < 3) {
      w347++;
      act2((((g0) >= (<f64>(w347))) ? reinterpret<i32>(<f32>(-2.147483648e+9)) : w347), (<u32>(w347)));
      switch (((~<i32>256) & 7)) {
        case 3: {
          let v348: i32 = (w347 >> ((((w347) == (<i32>(g0))) ? w347 : w347) | w347));
        }
        case 7: {
          g0 += (((Math.cbrt(g0)) < Math.sin(g0)) ? g0 : trunc<f64>((<f64>((<u32>(w347))))));
        }
        break;
      }
    }
  } else if ((((g0) != <f64>(4.36044451314956e-271)) && (((g0) < g0) || ((<i16>25) <= <i16>16101)))) {
    let stop349: bool = false;
    let d350: i32 = 0;
    do {
      d350++;
      g0 += h24((<i32>(<u32>2271330199)), (<i64>(d350)), ctz<i64>(((<i64>(g0)) - <i64>0x8)));
      for (let i351: i32 = 0; i351 < 6; i351++) {
        if (((<f64>(d350)) == g0)) {
          stop349 = true;
          break;
        }
      }
      if (stop349) break;
    } while (d350 < 5 && ((g0) == <f64>(1e-1)));
  } else if (((g0 - g0) >= <f64>(1e-1))) {
    g0 *= g0;
  } else {
    g0 = g0;
    for (let i352: i32 = 0; i352 < 5; i352++) {
      g0 += (g0 * ((<f64>(1e-1) * g0) + g0));
    }
    if (((f64.NEGATIVE_INFINITY) >= g0)) {
      if (((<f64>(0e+0)) <= g0)) return <i64>0x4;
      let v353: f64 = g0;
      let v354: u32 = ((<u32>31 + (~<u32>4294901760)) + (u32.MAX_VALUE - gen6<u32>(((<f64>(-0.0)) != v353), (<u32>2147483648 << <u32>28), ((<u32>(v353)) / ((<u32>24 & <u32>0x7f) + <u32>1)))));
    } else if ((!(isFinite<f32>(<f32>(-4.301753826439381e-3))))) {
      g0 += trunc<f64>((-(-<f64>(-4.305093216244131e+17))));
    }
  }
  store<f64>(buf1 + <usize>16, h24((<i32>14 >> (<i32>(g0))), (<i64>(<f32>(1.401298464324817e-45))), ping17(((<i32>(g0))) & 7, (<i64>(g0)))));
  return (<i64>(g0)) + (<i64>(load<i64>(buf1))) + <i64>0x370435350923539b;
}
export function e54(a0: u32): bool {
  let v355: u64 = <u64>0xffffffffffffffff;
  let v356: i32 = <i32>27;
  let w357: i32 = 0;
  while (w357 < 6) {
    w357++;
    switch (((w357 + (i32.MAX_VALUE - v356)) & 7)) {
      case 1: {
        if (((<u64>(v356)) <= v355)) {
          v355 <<= ((~(<u64>(((v355) > v355)))) * v355);
          g0 -= (((!((<i32>(g0)) > (<i32>(a0)))) ? g0 : h24(v356, <i64>0xffffffffffffffec, (<i64>(v356)))) / (-(<f64>(a0))));
          act2(v356, a0);
        } else {
          if ((isFinite<f32>(<f32>(1e+0)))) continue;
          store<u8>(buf1 + <usize>24, h12());
          if (((w357) == w357)) return ((!((<u64>0x22) > v355)) || ((<i32>(a0)) == v356));
        }
        switch (((<i32>(g0)) & 7)) {
          case 0: {
            v356 ^= gen6<i32>((((v355) == v355) || ((<u8>(v356)) <= (<u8>(v356)))), (((<i32>(a0)) ^ (<i32>(v355))) - (i32.MAX_VALUE + (w357 >>> w357))), w357);
            let v358: i64 = max<i64>((~(<i64>(w357))), popcnt<i64>(<i64>0xfffffffffffffff3));
          }
          case 1: {
            let v359: f64 = load<f64>(buf1 + <usize>40);
            let v360: f64 = ((-(Math.random())) - Math.log((Math.random())));
          }
          break;
          case 2: {
            assert(g0 != <f64>(1e-1), "gen: g0 hit an edge");
            if (((a0) <= <u32>15)) return ((v356) >= popcnt<i32>(v356));
          }
          case 4: {
            if (((w357) != v356)) continue;
          }
          break;
        }
      }
      case 4: {
        let w361: i32 = 0;
        while (w361 < 5) {
          w361++;
          if (((v355) > v355)) return (isFinite<f64>(g0));
          let v362: f64 = sqrt<f64>(g0);
          let v363: f32 = <f32>(3.7542109847853466e+17);
        }
        if (((<f64>(-4.2132290848530825e+260)) == g0)) {
          g0 *= <f64>(5e-324);
        } else if (((g0) != h24(w357, <i64>0x2, <i64>0x40))) {
          v356 *= ((-(((v356) > v356) ? w357 : v356)) << ((w357 % ((w357 & <i32>0x7f) + <i32>1)) + abs<i32>(w357)));
          if (((v355) >= v355)) continue;
          v355 ^= (<u64>(w357));
        }
      }
      break;
    }
    if ((!((a0) < a0))) {
      if ((!(!((w357) == v356)))) {
        v356 += ((<i32>(<i64>0x100000000)) - (i32.MAX_VALUE + v356));
      } else if (((<u64>0xffffffff00000000 << <u64>0x100000000) == v355)) {
        let v364: u8 = ((<u8>((<i16>((<u32>(v355)))))) | h12());
        g0 /= (g0 + trunc<f64>(g0));
      } else {
        v355 <<= max<u64>((<u64>((<f32>(1e+0) - <f32>(-0.0)))), (v355 - (v355 - <u64>0x40)));
      }
    } else if (((v355) != v355)) {
      act2(w357, rotr<u32>(a0, a0));
      if ((!((<i16>(a0)) != (<i16>(a0))))) {
        let v365: i32 = (reinterpret<i32>((<f32>(v356))) / ((gen6<i32>(((w357) > w357), <i32>1, v356) & <i32>0x7f) + <i32>1));
      } else if (((g0) >= g0)) {
        let v366: i32 = v356;
        let v367: f64 = ((<f64>(-9.223372036854776e+18) + <f64>(-4e+0)) * (g0 * load<f64>(buf1 + (<usize>(v366 & 7) << 3))));
        if ((((g0) > v367) || ((v356) == v356))) break;
      } else if ((((g0) > g0) && (((w357) == w357) && ((<f64>(-5.180042237043381e+163)) < g0)))) {
        if ((((g0) != g0) && ((g0) >= g0))) return (((<u8>(a0)) | <u8>252) > (~(<u8>(v356))));
        act2(load<i32>(<usize>416), (a0 ^ (<u32>(((<u32>(g0)) < a0)))));
      } else {
        let v368: i32 = (w357 - v356);
        act2(((w357 - w357) * (v356 * (i32.MAX_VALUE - w357))), rotr<u32>((~a0), rotl<u32>(a0, a0)));
        let v369: f32 = (((<f32>(v355)) + <f32>(5e-1)) + <f32>(6e+0));
      }
      let v370: i64 = <i64>0x1;
    } else if (((a0 - (u32.MAX_VALUE + a0)) < (a0 << <u32>4294967295))) {
      store<i32>(buf1 + <usize>48, gen6<i32>((((<i32>2) > <i32>12) || ((<f32>(3.4028234663852886e+38)) <= <f32>(-4.5e+0))), gen6<i32>(((a0) >= <u32>3997162226), w357, v356), (w357 ^ v356)));
      assert((<i64>(w357)) != <i64>0x100000000, "gen: i64w357 hit an edge");
    } else {
      store<f32>(buf1, (<f32>((((f64.NaN) != (<f64>(w357))) ? v355 : (<u64>(a0))))), 48);
    }
  }
  act2((((<u8>7) != (<u8>(v356))) ? max<i32>(v356, v356) : (v356 + <i32>2)), (((a0) == a0) ? gen6<u32>(((<u32>(v356)) != (<u32>(v355))), a0, a0) : (<u32>(((a0) > <u32>450950727)))));
  return ((<bool>(a0)) != 0) != ((<bool>(v355)) != 0) != ((<bool>(v356)) != 0) != ((<bool>(g0)) != 0) != (!(((<u32>13) > a0) && ((v355) < v355)));
}
export function e55(): bool {
  for (let i371: i32 = 0; i371 < 6; i371++) {
    let v372: bool = ((g0) != g0);
    v372 = v372;
    if ((((<f64>(i371)) * g0) < (g0 / (<f64>(i371))))) {
      for (let i373: i32 = 2; i373 > 0; i373--) {
        v372 = (((<u8>173) < (<u8>(i373))) && ((i371) >= (<i32>(g0))));
        let v374: i32 = h14((g0 + load<f64>(buf1 + <usize>40)));
      }
      let v375: i32 = (h14((-g0)) >>> (<i32>(g0)));
      for (let i377: i32 = (v375 & 1); i377 > 0; i377--) {
        let skip376: bool = false;
        let d378: i32 = 0;
        do {
          d378++;
          v375 += rotr<i32>(i377, (<i32>(((<i64>(v375)) != (<i64>(d378))))));
          if ((v372 || ((d378) >= d378))) {
            skip376 = true;
            break;
          }
          let v379: i32 = gen6<i32>((isFinite<f32>(load<f32>(buf1 + <usize>56))), ((<i32>(g0)) << <i32>7), v375);
          v372 = ((i371) > v379);
        } while (d378 < 2 && ((<f32>(i377)) <= (<f32>(i371))));
        if (skip376) continue;
      }
    } else if (((((<u32>(i371)) <= (<u32>(g0))) ? i371 : i371) <= (<i32>(-65536) - <i32>(-18)))) {
      act2((~min<i32>(i371, i371)), (<u32>(load<i32>(buf1 + (<usize>((((g0) <= g0) ? i371 : (<i32>(g0))) & 7) << 3)))));
      let v380: u8 = <u8>0;
    } else {
      v372 = (isNaN<f64>(g0));
    }
  }
  return ((<bool>(g0)) != 0) != (((g0) <= g0) && (isNaN<f64>(<f64>(2.147483648e+9))));
}
export function e56(a0: f32, a1: f32, a2: f64): u32 {
  for (let i381: i32 = 0; i381 < 3; i381++) {
    a1 = a0;
  }
  return (<u32>(a0)) + (<u32>(a1)) + (<u32>(a2)) + (<u32>(g0)) + (<u32>(load<i64>(buf1))) + ctz<u32>((((a0) <= a1) ? (<u32>(a0)) : (<u32>(g0))));
}
export function e57(a0: i64, a1: i64, a2: i64): f64 {
  a2 *= a0;
  for (let i382: i32 = 0; i382 < 4; i382++) {
    act2((<i32>memory.size()), ctz<u32>((~(<u32>(g0)))));
  }
  for (let i383: i32 = 7; i383 > 0; i383--) {
    if ((((a0) >= (<i64>(g0))) || (!((<i64>0x26) <= a0)))) {
      let w385: i32 = 0;
      while (w385 < 2) {
        w385++;
        let skip384: bool = false;
        if (((a1) >= a1)) return (<f64>((<u8>(i383))));
        act2(((i383 - <i32>0) * rotl<i32>(w385, <i32>2)), (<u32>(i383)));
        for (let i386: i32 = 0; i386 < (i383 & 1); i386++) {
          if ((((<u64>(a0)) >= <u64>0x8000000000000000) && ((<i64>0xa25e565e0e283272) > a2))) {
            skip384 = true;
            break;
          }
          let v387: u64 = ctz<u64>((<u64>0x13a9c49205888a20 % (((<u64>0x9872051572d49537 + <u64>0x8000000000000000) & <u64>0x7f) + <u64>1)));
          v387 ^= <u64>0xb;
        }
        if (skip384) continue;
      }
      let d388: i32 = 0;
      do {
        d388++;
        store<f32>(buf1 + <usize>40, ((<f32>((<i16>(a0)))) + sqrt<f32>(<f32>(2.75e+0))));
      } while (d388 < (i383 & 3));
    } else if (((clz<i64>(a1)) <= a1)) {
      let v389: i64 = a2;
      g0 -= (((<i64>0x7a3c04d40a8d8c15) < a0) ? (<f64>(<u32>3940953348)) : (-(-(g0 + <f64>(-3.5989247797988355e+270)))));
      v389 |= h35(<u32>2049580204, <f32>(1.6777217e+7), a2);
    } else {
      switch ((i383 & 7)) {
        case 4: {
          assert(i383 != <i32>256, "gen: i383 hit an edge");
        }
        break;
      }
    }
    g0 *= <f64>(1e+0);
  }
  return (<f64>(a0)) + (<f64>(a1)) + (<f64>(a2)) + (<f64>(load<i64>(buf1))) + g0;
}
export function e58(a0: u32): u8 {
  let v390: u32 = a0;
  return (<u8>(a0)) + (<u8>(v390)) + (<u8>255 + load<u8>(buf1 + <usize>8));
}
export function e59(a0: bool, a1: f64): bool {
  let v391: bool = ((<f64>(-4.440058302134275e-95)) < load<f64>(buf1 + <usize>24));
  let v392: u8 = <u8>0;
  act2(<i32>(-2094794113), <u32>4294967283);
  let v393: bool = ((<u64>0x3f) == (max<u64>((<u64>(v392)), <u64>0xffffffff) + (u64.MAX_VALUE - (<u64>(g0)))));
  let d394: i32 = 0;
  do {
    d394++;
    switch (((d394 * d394) & 7)) {
      case 0: {
        a0 = (!(((<u8>(d394)) != <u8>4) && a0));
      }
      break;
      case 1: {
        let d395: i32 = 0;
        do {
          d395++;
          a0 = ((ctz<i32>(d395)) == (((<u8>(g0)) > v392) ? d394 : d394));
        } while (d395 < (d394 & 7));
      }
      break;
      case 2: {
        a0 = (((v392) >= v392) || (((<f64>(v392)) == a1) && ((<i32>28) != d394)));
      }
      case 6: {
        let v396: f64 = h24(<i32>(-1764121790), <i64>0xfffffffffffffffd, <i64>0x3f);
      }
      break;
      default: {
        v391 = ((gen6<i32>(v393, d394, d394)) < min<i32>(d394, d394));
      }
    }
  } while (d394 < 7 && ((<f64>(-2.5e+0)) < g0));
  return ((<bool>(a1)) != 0) != ((<bool>(v392)) != 0) != ((<bool>(g0)) != 0) != ((<u8>(<i32>0)) != (<u8>(v393)));
}
g0 *= g0;
let v397: u8 = (<u8>246 ^ (~((<u8>(g0)) | <u8>0)));
