// Bench program: the `simd` host kernels (wit/weave-host.wit) written in AssemblyScript,
// each twice: plain scalar Wasm, and Wasm SIMD (v128). bench/simd.ts times them against
// the native addon on the same memory and checks that all give the same bytes.
//
// Every version follows the WIT's order exactly: reductions keep 8 f32 lanes (two f32x4
// accumulators: lanes 0-3 and 4-7) or 4 f64 lanes (two f64x2), combine them pairwise and
// add the tail in index order; products are rounded before they are added (Wasm has no
// implicit fusion); matmul accumulates each c[i][j] from +0 in p order. A NaN result is
// written as the canonical quiet NaN, as the host kernels do.
//
// Addresses are byte offsets into this module's memory; counts are elements.

/** First free byte after the module's static data: where the bench puts its arrays. */
export function heapBase(): usize {
  return __heap_base;
}

// ---- scalar ----------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function canon32(v: f32): f32 { return v != v ? <f32>NaN : v; }
// @ts-ignore: decorator
@inline function canon64(v: f64): f64 { return v != v ? NaN : v; }

export function dotF32Scalar(x: usize, y: usize, n: i32): f32 {
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0, s4: f32 = 0, s5: f32 = 0, s6: f32 = 0, s7: f32 = 0;
  const body = n - n % 8;
  for (let i = 0; i < body; i += 8) {
    const px = x + (<usize>i << 2), py = y + (<usize>i << 2);
    s0 = s0 + load<f32>(px) * load<f32>(py);
    s1 = s1 + load<f32>(px, 4) * load<f32>(py, 4);
    s2 = s2 + load<f32>(px, 8) * load<f32>(py, 8);
    s3 = s3 + load<f32>(px, 12) * load<f32>(py, 12);
    s4 = s4 + load<f32>(px, 16) * load<f32>(py, 16);
    s5 = s5 + load<f32>(px, 20) * load<f32>(py, 20);
    s6 = s6 + load<f32>(px, 24) * load<f32>(py, 24);
    s7 = s7 + load<f32>(px, 28) * load<f32>(py, 28);
  }
  let r: f32 = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  for (let i = body; i < n; i++) r = r + load<f32>(x + (<usize>i << 2)) * load<f32>(y + (<usize>i << 2));
  return canon32(r);
}

export function dotF64Scalar(x: usize, y: usize, n: i32): f64 {
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
  const body = n - n % 4;
  for (let i = 0; i < body; i += 4) {
    const px = x + (<usize>i << 3), py = y + (<usize>i << 3);
    s0 = s0 + load<f64>(px) * load<f64>(py);
    s1 = s1 + load<f64>(px, 8) * load<f64>(py, 8);
    s2 = s2 + load<f64>(px, 16) * load<f64>(py, 16);
    s3 = s3 + load<f64>(px, 24) * load<f64>(py, 24);
  }
  let r = (s0 + s1) + (s2 + s3);
  for (let i = body; i < n; i++) r = r + load<f64>(x + (<usize>i << 3)) * load<f64>(y + (<usize>i << 3));
  return canon64(r);
}

export function sumF32Scalar(x: usize, n: i32): f32 {
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0, s4: f32 = 0, s5: f32 = 0, s6: f32 = 0, s7: f32 = 0;
  const body = n - n % 8;
  for (let i = 0; i < body; i += 8) {
    const px = x + (<usize>i << 2);
    s0 = s0 + load<f32>(px);
    s1 = s1 + load<f32>(px, 4);
    s2 = s2 + load<f32>(px, 8);
    s3 = s3 + load<f32>(px, 12);
    s4 = s4 + load<f32>(px, 16);
    s5 = s5 + load<f32>(px, 20);
    s6 = s6 + load<f32>(px, 24);
    s7 = s7 + load<f32>(px, 28);
  }
  let r: f32 = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  for (let i = body; i < n; i++) r = r + load<f32>(x + (<usize>i << 2));
  return canon32(r);
}

export function sumF64Scalar(x: usize, n: i32): f64 {
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
  const body = n - n % 4;
  for (let i = 0; i < body; i += 4) {
    const px = x + (<usize>i << 3);
    s0 = s0 + load<f64>(px);
    s1 = s1 + load<f64>(px, 8);
    s2 = s2 + load<f64>(px, 16);
    s3 = s3 + load<f64>(px, 24);
  }
  let r = (s0 + s1) + (s2 + s3);
  for (let i = body; i < n; i++) r = r + load<f64>(x + (<usize>i << 3));
  return canon64(r);
}

export function axpyF32Scalar(a: f32, x: usize, y: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, canon32(load<f32>(y + o) + a * load<f32>(x + o)));
  }
}

export function axpyF64Scalar(a: f64, x: usize, y: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, canon64(load<f64>(y + o) + a * load<f64>(x + o)));
  }
}

/** i, p, j: row i of c holds the accumulators; c must not overlap a or b. */
export function matmulF32Scalar(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32): void {
  const rowBytes = <usize>n << 2;
  for (let i = 0; i < m; i++) {
    const ci = c + <usize>i * rowBytes;
    memory.fill(ci, 0, rowBytes);
    for (let p = 0; p < k; p++) {
      const aip = load<f32>(a + ((<usize>i * <usize>k + <usize>p) << 2));
      const bp = b + <usize>p * rowBytes;
      for (let j = 0; j < n; j++) {
        const o = <usize>j << 2;
        store<f32>(ci + o, load<f32>(ci + o) + aip * load<f32>(bp + o));
      }
    }
    for (let j = 0; j < n; j++) store<f32>(ci + (<usize>j << 2), canon32(load<f32>(ci + (<usize>j << 2))));
  }
}

export function matmulF64Scalar(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32): void {
  const rowBytes = <usize>n << 3;
  for (let i = 0; i < m; i++) {
    const ci = c + <usize>i * rowBytes;
    memory.fill(ci, 0, rowBytes);
    for (let p = 0; p < k; p++) {
      const aip = load<f64>(a + ((<usize>i * <usize>k + <usize>p) << 3));
      const bp = b + <usize>p * rowBytes;
      for (let j = 0; j < n; j++) {
        const o = <usize>j << 3;
        store<f64>(ci + o, load<f64>(ci + o) + aip * load<f64>(bp + o));
      }
    }
    for (let j = 0; j < n; j++) store<f64>(ci + (<usize>j << 3), canon64(load<f64>(ci + (<usize>j << 3))));
  }
}

// ---- v128 ------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function canon32x4(v: v128): v128 { return v128.bitselect(f32x4.splat(<f32>NaN), v, f32x4.ne(v, v)); }
// @ts-ignore: decorator
@inline function canon64x2(v: v128): v128 { return v128.bitselect(f64x2.splat(NaN), v, f64x2.ne(v, v)); }

export function dotF32Simd(x: usize, y: usize, n: i32): f32 {
  let lo = f32x4.splat(0), hi = f32x4.splat(0);
  const body = n - n % 8;
  for (let i = 0; i < body; i += 8) {
    const px = x + (<usize>i << 2), py = y + (<usize>i << 2);
    lo = f32x4.add(lo, f32x4.mul(v128.load(px), v128.load(py)));
    hi = f32x4.add(hi, f32x4.mul(v128.load(px, 16), v128.load(py, 16)));
  }
  let r: f32 = ((f32x4.extract_lane(lo, 0) + f32x4.extract_lane(lo, 1)) + (f32x4.extract_lane(lo, 2) + f32x4.extract_lane(lo, 3)))
    + ((f32x4.extract_lane(hi, 0) + f32x4.extract_lane(hi, 1)) + (f32x4.extract_lane(hi, 2) + f32x4.extract_lane(hi, 3)));
  for (let i = body; i < n; i++) r = r + load<f32>(x + (<usize>i << 2)) * load<f32>(y + (<usize>i << 2));
  return canon32(r);
}

export function dotF64Simd(x: usize, y: usize, n: i32): f64 {
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  const body = n - n % 4;
  for (let i = 0; i < body; i += 4) {
    const px = x + (<usize>i << 3), py = y + (<usize>i << 3);
    lo = f64x2.add(lo, f64x2.mul(v128.load(px), v128.load(py)));
    hi = f64x2.add(hi, f64x2.mul(v128.load(px, 16), v128.load(py, 16)));
  }
  let r = (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
  for (let i = body; i < n; i++) r = r + load<f64>(x + (<usize>i << 3)) * load<f64>(y + (<usize>i << 3));
  return canon64(r);
}

export function sumF32Simd(x: usize, n: i32): f32 {
  let lo = f32x4.splat(0), hi = f32x4.splat(0);
  const body = n - n % 8;
  for (let i = 0; i < body; i += 8) {
    const px = x + (<usize>i << 2);
    lo = f32x4.add(lo, v128.load(px));
    hi = f32x4.add(hi, v128.load(px, 16));
  }
  let r: f32 = ((f32x4.extract_lane(lo, 0) + f32x4.extract_lane(lo, 1)) + (f32x4.extract_lane(lo, 2) + f32x4.extract_lane(lo, 3)))
    + ((f32x4.extract_lane(hi, 0) + f32x4.extract_lane(hi, 1)) + (f32x4.extract_lane(hi, 2) + f32x4.extract_lane(hi, 3)));
  for (let i = body; i < n; i++) r = r + load<f32>(x + (<usize>i << 2));
  return canon32(r);
}

export function sumF64Simd(x: usize, n: i32): f64 {
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  const body = n - n % 4;
  for (let i = 0; i < body; i += 4) {
    const px = x + (<usize>i << 3);
    lo = f64x2.add(lo, v128.load(px));
    hi = f64x2.add(hi, v128.load(px, 16));
  }
  let r = (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
  for (let i = body; i < n; i++) r = r + load<f64>(x + (<usize>i << 3));
  return canon64(r);
}

/** x and y must not overlap unless equal (the bench never overlaps them). */
export function axpyF32Simd(a: f32, x: usize, y: usize, n: i32): void {
  const av = f32x4.splat(a);
  const body = n - n % 8;
  for (let i = 0; i < body; i += 8) {
    const px = x + (<usize>i << 2), py = y + (<usize>i << 2);
    const lo = f32x4.add(v128.load(py), f32x4.mul(av, v128.load(px)));
    const hi = f32x4.add(v128.load(py, 16), f32x4.mul(av, v128.load(px, 16)));
    v128.store(py, canon32x4(lo));
    v128.store(py, canon32x4(hi), 16);
  }
  axpyF32Scalar(a, x + (<usize>body << 2), y + (<usize>body << 2), n - body);
}

export function axpyF64Simd(a: f64, x: usize, y: usize, n: i32): void {
  const av = f64x2.splat(a);
  const body = n - n % 4;
  for (let i = 0; i < body; i += 4) {
    const px = x + (<usize>i << 3), py = y + (<usize>i << 3);
    const lo = f64x2.add(v128.load(py), f64x2.mul(av, v128.load(px)));
    const hi = f64x2.add(v128.load(py, 16), f64x2.mul(av, v128.load(px, 16)));
    v128.store(py, canon64x2(lo));
    v128.store(py, canon64x2(hi), 16);
  }
  axpyF64Scalar(a, x + (<usize>body << 3), y + (<usize>body << 3), n - body);
}

/** One c[i][j], from +0 in p order: for the columns and rows that do not fill a tile. */
// @ts-ignore: decorator
@inline function cellF32(a: usize, b: usize, c: usize, n: i32, k: i32, i: i32, j: i32): void {
  let acc: f32 = 0;
  const ai = a + ((<usize>i * <usize>k) << 2);
  for (let p = 0; p < k; p++) acc = acc + load<f32>(ai + (<usize>p << 2)) * load<f32>(b + ((<usize>p * <usize>n + <usize>j) << 2));
  store<f32>(c + ((<usize>i * <usize>n + <usize>j) << 2), canon32(acc));
}

// @ts-ignore: decorator
@inline function cellF64(a: usize, b: usize, c: usize, n: i32, k: i32, i: i32, j: i32): void {
  let acc: f64 = 0;
  const ai = a + ((<usize>i * <usize>k) << 3);
  for (let p = 0; p < k; p++) acc = acc + load<f64>(ai + (<usize>p << 3)) * load<f64>(b + ((<usize>p * <usize>n + <usize>j) << 3));
  store<f64>(c + ((<usize>i * <usize>n + <usize>j) << 3), canon64(acc));
}

/** Rows of b's k-slice x 8 f32 (or x 4 f64) panel: 256 x 32 bytes. */
const KC = 256;
/** b's current panel, copied contiguous: every row block then streams through 8 KiB. */
const PANEL = memory.data(KC * 32, 16);

/**
 * Register-blocked: a tile of 4 rows x 8 columns of c (eight f32x4 accumulators) stays in
 * registers while p runs; per p, two loads of b, four splats of a, 8 multiplies, 8 adds.
 * p is cut into KC-long slices, and each slice of an 8-column strip of b is copied into a
 * contiguous panel first (b's rows are n * 4 bytes apart; walking them directly thrashes a
 * few cache sets). Between slices the accumulators go to c and come back, which is exact.
 * Rows past the last full tile go one at a time; columns past the last multiple of 8
 * element by element.
 */
export function matmulF32Simd(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32): void {
  const lda = <usize>k << 2, ldb = <usize>n << 2, ldc = <usize>n << 2;
  const n8 = n - n % 8;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const first = p0 == 0, last = p0 + kc == k;
    for (let j = 0; j < n8; j += 8) {
      let src = b + <usize>p0 * ldb + (<usize>j << 2);
      for (let p = 0; p < kc; p++) {
        v128.store(PANEL + (<usize>p << 5), v128.load(src));
        v128.store(PANEL + (<usize>p << 5), v128.load(src, 16), 16);
        src += ldb;
      }
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const cp = c + <usize>i * ldc + (<usize>j << 2);
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
        let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
        if (!first) {
          c00 = v128.load(cp); c01 = v128.load(cp, 16);
          c10 = v128.load(cp + ldc); c11 = v128.load(cp + ldc, 16);
          c20 = v128.load(cp + 2 * ldc); c21 = v128.load(cp + 2 * ldc, 16);
          c30 = v128.load(cp + 3 * ldc); c31 = v128.load(cp + 3 * ldc, 16);
        }
        let bp = PANEL;
        let ap = a + <usize>i * lda + (<usize>p0 << 2);
        const bend = PANEL + (<usize>kc << 5);
        while (bp < bend) {
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          let av = f32x4.splat(load<f32>(ap));
          c00 = f32x4.add(c00, f32x4.mul(av, b0)); c01 = f32x4.add(c01, f32x4.mul(av, b1));
          av = f32x4.splat(load<f32>(ap + lda));
          c10 = f32x4.add(c10, f32x4.mul(av, b0)); c11 = f32x4.add(c11, f32x4.mul(av, b1));
          av = f32x4.splat(load<f32>(ap + 2 * lda));
          c20 = f32x4.add(c20, f32x4.mul(av, b0)); c21 = f32x4.add(c21, f32x4.mul(av, b1));
          av = f32x4.splat(load<f32>(ap + 3 * lda));
          c30 = f32x4.add(c30, f32x4.mul(av, b0)); c31 = f32x4.add(c31, f32x4.mul(av, b1));
          bp += 32;
          ap += 4;
        }
        if (last) {
          c00 = canon32x4(c00); c01 = canon32x4(c01); c10 = canon32x4(c10); c11 = canon32x4(c11);
          c20 = canon32x4(c20); c21 = canon32x4(c21); c30 = canon32x4(c30); c31 = canon32x4(c31);
        }
        v128.store(cp, c00); v128.store(cp, c01, 16);
        v128.store(cp + ldc, c10); v128.store(cp + ldc, c11, 16);
        v128.store(cp + 2 * ldc, c20); v128.store(cp + 2 * ldc, c21, 16);
        v128.store(cp + 3 * ldc, c30); v128.store(cp + 3 * ldc, c31, 16);
      }
      for (; i < m; i++) {
        const cp = c + <usize>i * ldc + (<usize>j << 2);
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
        if (!first) { c0 = v128.load(cp); c1 = v128.load(cp, 16); }
        let ap = a + <usize>i * lda + (<usize>p0 << 2);
        for (let p = 0; p < kc; p++) {
          const av = f32x4.splat(load<f32>(ap));
          c0 = f32x4.add(c0, f32x4.mul(av, v128.load(PANEL + (<usize>p << 5))));
          c1 = f32x4.add(c1, f32x4.mul(av, v128.load(PANEL + (<usize>p << 5), 16)));
          ap += 4;
        }
        if (last) { c0 = canon32x4(c0); c1 = canon32x4(c1); }
        v128.store(cp, c0); v128.store(cp, c1, 16);
      }
    }
  }
  if (k == 0) for (let i = 0; i < m; i++) memory.fill(c + <usize>i * ldc, 0, <usize>n8 << 2);
  for (let i = 0; i < m; i++) for (let j = n8; j < n; j++) cellF32(a, b, c, n, k, i, j);
}

/** As matmulF32Simd with f64x2: a tile of 4 rows x 4 columns (eight accumulators). */
export function matmulF64Simd(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32): void {
  const lda = <usize>k << 3, ldb = <usize>n << 3, ldc = <usize>n << 3;
  const n4 = n - n % 4;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const first = p0 == 0, last = p0 + kc == k;
    for (let j = 0; j < n4; j += 4) {
      let src = b + <usize>p0 * ldb + (<usize>j << 3);
      for (let p = 0; p < kc; p++) {
        v128.store(PANEL + (<usize>p << 5), v128.load(src));
        v128.store(PANEL + (<usize>p << 5), v128.load(src, 16), 16);
        src += ldb;
      }
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const cp = c + <usize>i * ldc + (<usize>j << 3);
        let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
        let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
        if (!first) {
          c00 = v128.load(cp); c01 = v128.load(cp, 16);
          c10 = v128.load(cp + ldc); c11 = v128.load(cp + ldc, 16);
          c20 = v128.load(cp + 2 * ldc); c21 = v128.load(cp + 2 * ldc, 16);
          c30 = v128.load(cp + 3 * ldc); c31 = v128.load(cp + 3 * ldc, 16);
        }
        let bp = PANEL;
        let ap = a + <usize>i * lda + (<usize>p0 << 3);
        const bend = PANEL + (<usize>kc << 5);
        while (bp < bend) {
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          let av = f64x2.splat(load<f64>(ap));
          c00 = f64x2.add(c00, f64x2.mul(av, b0)); c01 = f64x2.add(c01, f64x2.mul(av, b1));
          av = f64x2.splat(load<f64>(ap + lda));
          c10 = f64x2.add(c10, f64x2.mul(av, b0)); c11 = f64x2.add(c11, f64x2.mul(av, b1));
          av = f64x2.splat(load<f64>(ap + 2 * lda));
          c20 = f64x2.add(c20, f64x2.mul(av, b0)); c21 = f64x2.add(c21, f64x2.mul(av, b1));
          av = f64x2.splat(load<f64>(ap + 3 * lda));
          c30 = f64x2.add(c30, f64x2.mul(av, b0)); c31 = f64x2.add(c31, f64x2.mul(av, b1));
          bp += 32;
          ap += 8;
        }
        if (last) {
          c00 = canon64x2(c00); c01 = canon64x2(c01); c10 = canon64x2(c10); c11 = canon64x2(c11);
          c20 = canon64x2(c20); c21 = canon64x2(c21); c30 = canon64x2(c30); c31 = canon64x2(c31);
        }
        v128.store(cp, c00); v128.store(cp, c01, 16);
        v128.store(cp + ldc, c10); v128.store(cp + ldc, c11, 16);
        v128.store(cp + 2 * ldc, c20); v128.store(cp + 2 * ldc, c21, 16);
        v128.store(cp + 3 * ldc, c30); v128.store(cp + 3 * ldc, c31, 16);
      }
      for (; i < m; i++) {
        const cp = c + <usize>i * ldc + (<usize>j << 3);
        let c0 = f64x2.splat(0), c1 = f64x2.splat(0);
        if (!first) { c0 = v128.load(cp); c1 = v128.load(cp, 16); }
        let ap = a + <usize>i * lda + (<usize>p0 << 3);
        for (let p = 0; p < kc; p++) {
          const av = f64x2.splat(load<f64>(ap));
          c0 = f64x2.add(c0, f64x2.mul(av, v128.load(PANEL + (<usize>p << 5))));
          c1 = f64x2.add(c1, f64x2.mul(av, v128.load(PANEL + (<usize>p << 5), 16)));
          ap += 8;
        }
        if (last) { c0 = canon64x2(c0); c1 = canon64x2(c1); }
        v128.store(cp, c0); v128.store(cp, c1, 16);
      }
    }
  }
  if (k == 0) for (let i = 0; i < m; i++) memory.fill(c + <usize>i * ldc, 0, <usize>n4 << 3);
  for (let i = 0; i < m; i++) for (let j = n4; j < n; j++) cellF64(a, b, c, n, k, i, j);
}
