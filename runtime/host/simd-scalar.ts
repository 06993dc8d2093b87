/**
 * The `simd` kernels of wit/weave-host.wit in plain TypeScript: the reference every other
 * path (the AVX2 addon, its scalar C fallback, Wasm SIMD) must match bit for bit, and what
 * a hub runs when it has no addon. Usage:
 *   import { scalarKernels } from './simd-scalar.js';
 *   const d = scalarKernels.dotF32(memory.buffer, x, y, n);   // byte offsets, element count
 *   scalarKernels.matmulF32(memory.buffer, a, b, c, m, n, k);
 *
 * The order of operations is the definition (see the WIT): f32 reductions keep 8 lanes,
 * f64 reductions 4, each starting at +0; lane l takes, in index order, the elements
 * i < n - n % L with i % L == l; lanes combine as ((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7))
 * (f64: (l0+l1)+(l2+l3)); the last n % L elements are then added in index order. Every
 * product is rounded to the type before it is added. f32 arithmetic is done in doubles
 * and rounded with Math.fround (or a Float32Array store) after every operation: a product
 * of two f32 is exact in a double, and a double-rounded f32 sum equals the directly rounded
 * one, so this is exactly IEEE single precision.
 *
 * One rule beyond the WIT: a NaN result is always the canonical quiet NaN (0x7fc00000 /
 * 0x7ff8000000000000). Which NaN the hardware propagates depends on operand order and on
 * the CPU, so this is what keeps NaN results identical across hubs too.
 *
 * Arguments are checked before any memory is touched, with the same errors (class and
 * message) as the addon: TypeError for a non-ArrayBuffer memory or a non-number argument,
 * RangeError for an offset or count that is not a safe non-negative integer, a range
 * outside the memory, or a matmul output that overlaps an input.
 */
import { types } from 'node:util';

/**
 * The `simd` interface of wit/weave-host.wit over one memory: x, y, a, b, c are absolute
 * byte offsets into `mem` (any alignment), n, m, k element counts. Every implementation
 * checks its arguments before touching memory and throws TypeError / RangeError for bad
 * ones (same class and message on every path); matmul's c must not overlap a or b.
 */
export interface SimdKernels {
  dotF32(mem: ArrayBuffer, x: number, y: number, n: number): number;
  dotF64(mem: ArrayBuffer, x: number, y: number, n: number): number;
  sumF32(mem: ArrayBuffer, x: number, n: number): number;
  sumF64(mem: ArrayBuffer, x: number, n: number): number;
  axpyF32(mem: ArrayBuffer, a: number, x: number, y: number, n: number): void;
  axpyF64(mem: ArrayBuffer, a: number, x: number, y: number, n: number): void;
  matmulF32(mem: ArrayBuffer, a: number, b: number, c: number, m: number, n: number, k: number): void;
  matmulF64(mem: ArrayBuffer, a: number, b: number, c: number, m: number, n: number, k: number): void;
}

type Elem = 'f32' | 'f64';
const SIZE: Record<Elem, number> = { f32: 4, f64: 8 };

function memoryOf(kernel: string, mem: unknown): ArrayBuffer {
  // isArrayBuffer is false for a SharedArrayBuffer, as napi_is_arraybuffer is.
  if (!types.isArrayBuffer(mem)) throw new TypeError(`${kernel}: memory must be an ArrayBuffer`);
  return mem;
}

function numberArg(kernel: string, what: string, v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`${kernel}: ${what} must be a number, got ${v === null ? 'null' : typeof v}`);
  return v;
}

/** A byte offset or an element count. */
function indexArg(kernel: string, what: string, v: unknown): number {
  const d = numberArg(kernel, what, v);
  if (!(d >= 0 && d <= Number.MAX_SAFE_INTEGER && Number.isInteger(d))) {
    throw new RangeError(`${kernel}: ${what} must be a safe non-negative integer, got ${String(d)}`);
  }
  return d;
}

/**
 * Throws unless [off, off + rows * cols * size) lies within `len` bytes. The product is
 * never formed: rows * cols <= avail exactly when rows <= floor(avail / cols), which is
 * exact in doubles for integers below 2^53.
 */
function checkRange(kernel: string, what: string, elem: Elem, len: number, off: number, rows: number, cols: number, matrix: boolean): void {
  let ok = off <= len;
  if (ok && rows !== 0 && cols !== 0) {
    const avail = Math.floor((len - off) / SIZE[elem]);
    ok = cols <= avail && rows <= Math.floor(avail / cols);
  }
  if (!ok) {
    const count = matrix ? `${rows}x${cols}` : `${cols}`;
    throw new RangeError(`${kernel}: ${what} is outside the memory: ${count} ${elem} from byte ${off}, memory has ${len} bytes`);
  }
}

function overlaps(a: number, alen: number, b: number, blen: number): boolean {
  return alen !== 0 && blen !== 0 && a < b + blen && b < a + alen;
}

/** A read-only view of n elements at `off`; unaligned data is copied (bytes, so bits are kept). */
function f32In(mem: ArrayBuffer, off: number, n: number): Float32Array {
  return off % 4 === 0 ? new Float32Array(mem, off, n) : new Float32Array(mem.slice(off, off + 4 * n));
}
function f64In(mem: ArrayBuffer, off: number, n: number): Float64Array {
  return off % 8 === 0 ? new Float64Array(mem, off, n) : new Float64Array(mem.slice(off, off + 8 * n));
}

const fr = Math.fround;

// ---- reductions -------------------------------------------------------------------------

function dot32(x: Float32Array, y: Float32Array, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  const body = n - (n % 8);
  for (let i = 0; i < body; i += 8) {
    s0 = fr(s0 + fr(x[i] * y[i]));
    s1 = fr(s1 + fr(x[i + 1] * y[i + 1]));
    s2 = fr(s2 + fr(x[i + 2] * y[i + 2]));
    s3 = fr(s3 + fr(x[i + 3] * y[i + 3]));
    s4 = fr(s4 + fr(x[i + 4] * y[i + 4]));
    s5 = fr(s5 + fr(x[i + 5] * y[i + 5]));
    s6 = fr(s6 + fr(x[i + 6] * y[i + 6]));
    s7 = fr(s7 + fr(x[i + 7] * y[i + 7]));
  }
  let r = fr(fr(fr(s0 + s1) + fr(s2 + s3)) + fr(fr(s4 + s5) + fr(s6 + s7)));
  for (let i = body; i < n; i++) r = fr(r + fr(x[i] * y[i]));
  return r !== r ? NaN : r;
}

function dot64(x: Float64Array, y: Float64Array, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const body = n - (n % 4);
  for (let i = 0; i < body; i += 4) {
    s0 = s0 + x[i] * y[i];
    s1 = s1 + x[i + 1] * y[i + 1];
    s2 = s2 + x[i + 2] * y[i + 2];
    s3 = s3 + x[i + 3] * y[i + 3];
  }
  let r = (s0 + s1) + (s2 + s3);
  for (let i = body; i < n; i++) r = r + x[i] * y[i];
  return r !== r ? NaN : r;
}

function sum32(x: Float32Array, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  const body = n - (n % 8);
  for (let i = 0; i < body; i += 8) {
    s0 = fr(s0 + x[i]);
    s1 = fr(s1 + x[i + 1]);
    s2 = fr(s2 + x[i + 2]);
    s3 = fr(s3 + x[i + 3]);
    s4 = fr(s4 + x[i + 4]);
    s5 = fr(s5 + x[i + 5]);
    s6 = fr(s6 + x[i + 6]);
    s7 = fr(s7 + x[i + 7]);
  }
  let r = fr(fr(fr(s0 + s1) + fr(s2 + s3)) + fr(fr(s4 + s5) + fr(s6 + s7)));
  for (let i = body; i < n; i++) r = fr(r + x[i]);
  return r !== r ? NaN : r;
}

function sum64(x: Float64Array, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const body = n - (n % 4);
  for (let i = 0; i < body; i += 4) {
    s0 = s0 + x[i];
    s1 = s1 + x[i + 1];
    s2 = s2 + x[i + 2];
    s3 = s3 + x[i + 3];
  }
  let r = (s0 + s1) + (s2 + s3);
  for (let i = body; i < n; i++) r = r + x[i];
  return r !== r ? NaN : r;
}

// ---- axpy -------------------------------------------------------------------------------
// Strictly in index order, element by element through views of the one buffer, so that
// overlapping x and y behave as the sequential definition says (y[i] may read what an
// earlier step wrote); the addon falls back to the same loop for such overlaps.

function axpy32(mem: ArrayBuffer, a: number, x: number, y: number, n: number): void {
  if (x % 4 === 0 && y % 4 === 0) {
    const vx = new Float32Array(mem, x, n);
    const vy = new Float32Array(mem, y, n);
    for (let i = 0; i < n; i++) {
      const v = fr(vy[i] + fr(a * vx[i]));
      vy[i] = v !== v ? NaN : v;
    }
    return;
  }
  const dv = new DataView(mem);
  for (let i = 0; i < n; i++) {
    const v = fr(dv.getFloat32(y + 4 * i, true) + fr(a * dv.getFloat32(x + 4 * i, true)));
    dv.setFloat32(y + 4 * i, v !== v ? NaN : v, true);
  }
}

function axpy64(mem: ArrayBuffer, a: number, x: number, y: number, n: number): void {
  if (x % 8 === 0 && y % 8 === 0) {
    const vx = new Float64Array(mem, x, n);
    const vy = new Float64Array(mem, y, n);
    for (let i = 0; i < n; i++) {
      const v = vy[i] + a * vx[i];
      vy[i] = v !== v ? NaN : v;
    }
    return;
  }
  const dv = new DataView(mem);
  for (let i = 0; i < n; i++) {
    const v = dv.getFloat64(y + 8 * i, true) + a * dv.getFloat64(x + 8 * i, true);
    dv.setFloat64(y + 8 * i, v !== v ? NaN : v, true);
  }
}

// ---- matmul -----------------------------------------------------------------------------
// i, p, j order: c's row i is the row of accumulators, each c[i][j] taking its products in
// p order. c does not overlap a or b (checked), so it can be written as it goes.

function matmul32(A: Float32Array, B: Float32Array, C: Float32Array, m: number, n: number, k: number): void {
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    C.fill(0, ci, ci + n);
    for (let p = 0; p < k; p++) {
      const aip = A[i * k + p];
      const bp = p * n;
      // The Float32Array store rounds the sum to f32.
      for (let j = 0; j < n; j++) C[ci + j] = C[ci + j] + fr(aip * B[bp + j]);
    }
    for (let j = ci; j < ci + n; j++) if (C[j] !== C[j]) C[j] = NaN;
  }
}

function matmul64(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number): void {
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    C.fill(0, ci, ci + n);
    for (let p = 0; p < k; p++) {
      const aip = A[i * k + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) C[ci + j] = C[ci + j] + aip * B[bp + j];
    }
    for (let j = ci; j < ci + n; j++) if (C[j] !== C[j]) C[j] = NaN;
  }
}

/** Argument checks shared by both matmuls, in the addon's order. */
function matmulArgs(kernel: string, elem: Elem, memArg: unknown, args: unknown[]) {
  const mem = memoryOf(kernel, memArg);
  const [a, b, c, m, n, k] = ['a', 'b', 'c', 'm', 'n', 'k'].map((what, i) => indexArg(kernel, what, args[i]));
  const len = mem.byteLength;
  checkRange(kernel, 'a', elem, len, a, m, k, true);
  checkRange(kernel, 'b', elem, len, b, k, n, true);
  checkRange(kernel, 'c', elem, len, c, m, n, true);
  const size = SIZE[elem];
  const ab = m * k * size, bb = k * n * size, cb = m * n * size;
  if (overlaps(c, cb, a, ab) || overlaps(c, cb, b, bb)) {
    throw new RangeError(`${kernel}: c overlaps ${overlaps(c, cb, a, ab) ? 'a' : 'b'}; the output must not overlap an input`);
  }
  return { mem, a, b, c, m, n, k };
}

function vectorArgs(kernel: string, elem: Elem, memArg: unknown, names: string[], args: unknown[]) {
  const mem = memoryOf(kernel, memArg);
  const v = names.map((what, i) => indexArg(kernel, what, args[i]));
  const n = v[v.length - 1];
  for (let i = 0; i < v.length - 1; i++) checkRange(kernel, names[i], elem, mem.byteLength, v[i], 1, n, false);
  return { mem, v, n };
}

/** The reference kernels. Every function throws before touching memory when an argument is bad. */
export const scalarKernels: SimdKernels = {
  dotF32(mem, x, y, n) {
    const { mem: buf } = vectorArgs('dotF32', 'f32', mem, ['x', 'y', 'n'], [x, y, n]);
    return n === 0 ? 0 : dot32(f32In(buf, x, n), f32In(buf, y, n), n);
  },
  dotF64(mem, x, y, n) {
    const { mem: buf } = vectorArgs('dotF64', 'f64', mem, ['x', 'y', 'n'], [x, y, n]);
    return n === 0 ? 0 : dot64(f64In(buf, x, n), f64In(buf, y, n), n);
  },
  sumF32(mem, x, n) {
    const { mem: buf } = vectorArgs('sumF32', 'f32', mem, ['x', 'n'], [x, n]);
    return n === 0 ? 0 : sum32(f32In(buf, x, n), n);
  },
  sumF64(mem, x, n) {
    const { mem: buf } = vectorArgs('sumF64', 'f64', mem, ['x', 'n'], [x, n]);
    return n === 0 ? 0 : sum64(f64In(buf, x, n), n);
  },
  axpyF32(mem, a, x, y, n) {
    const buf = memoryOf('axpyF32', mem);
    numberArg('axpyF32', 'a', a);
    vectorArgs('axpyF32', 'f32', buf, ['x', 'y', 'n'], [x, y, n]);
    if (n !== 0) axpy32(buf, fr(a), x, y, n);
  },
  axpyF64(mem, a, x, y, n) {
    const buf = memoryOf('axpyF64', mem);
    numberArg('axpyF64', 'a', a);
    vectorArgs('axpyF64', 'f64', buf, ['x', 'y', 'n'], [x, y, n]);
    if (n !== 0) axpy64(buf, a, x, y, n);
  },
  matmulF32(memArg, aArg, bArg, cArg, mArg, nArg, kArg) {
    const { mem, a, b, c, m, n, k } = matmulArgs('matmulF32', 'f32', memArg, [aArg, bArg, cArg, mArg, nArg, kArg]);
    if (m === 0 || n === 0) return;
    const A = f32In(mem, a, m * k);
    const B = f32In(mem, b, k * n);
    if (c % 4 === 0) return matmul32(A, B, new Float32Array(mem, c, m * n), m, n, k);
    const C = new Float32Array(m * n);
    matmul32(A, B, C, m, n, k);
    new Uint8Array(mem, c, m * n * 4).set(new Uint8Array(C.buffer));
  },
  matmulF64(memArg, aArg, bArg, cArg, mArg, nArg, kArg) {
    const { mem, a, b, c, m, n, k } = matmulArgs('matmulF64', 'f64', memArg, [aArg, bArg, cArg, mArg, nArg, kArg]);
    if (m === 0 || n === 0) return;
    const A = f64In(mem, a, m * k);
    const B = f64In(mem, b, k * n);
    if (c % 8 === 0) return matmul64(A, B, new Float64Array(mem, c, m * n), m, n, k);
    const C = new Float64Array(m * n);
    matmul64(A, B, C, m, n, k);
    new Uint8Array(mem, c, m * n * 8).set(new Uint8Array(C.buffer));
  },
};
