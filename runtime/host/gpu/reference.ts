/**
 * The CPU reference of the gpu interface: the results it is defined by (a GPU result must
 * be within gpuTolerance of these), and the fallback on hubs without a GPU.
 *
 *   const c = matmulF32Reference(a, b, m, n, k);     // c[i][j] summed in p order
 *   const y = mapF32Reference(5, x, undefined, n);   // relu, with Wasm's NaN and -0 rules
 */
import { GpuError } from './errors.js';

/** map-f32 ops, by their ABI number. */
export const MAP_OPS = ['add', 'sub', 'mul', 'max', 'min', 'relu'] as const;
export type MapOp = (typeof MAP_OPS)[number];

function checkOp(op: number): void {
  if (!Number.isInteger(op) || op < 0 || op >= MAP_OPS.length) {
    throw new GpuError(`unknown map-f32 op ${op}; ops are: ${MAP_OPS.map((n, i) => `${i} ${n}`).join(', ')}`, { code: 'bad-op' });
  }
}

function checkCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${name} must be a u32, got ${v}`);
}

export function checkMatmulArgs(a: Float32Array, b: Float32Array, m: number, n: number, k: number): void {
  checkCount('m', m);
  checkCount('n', n);
  checkCount('k', k);
  if (a.length < m * k) throw new RangeError(`a holds ${a.length} floats, m x k = ${m} x ${k} needs ${m * k}`);
  if (b.length < k * n) throw new RangeError(`b holds ${b.length} floats, k x n = ${k} x ${n} needs ${k * n}`);
}

export function checkMapArgs(op: number, x: Float32Array, y: Float32Array | undefined, n: number): void {
  checkOp(op);
  checkCount('n', n);
  if (x.length < n) throw new RangeError(`x holds ${x.length} floats, n = ${n}`);
  if (op !== 5 && (!y || y.length < n)) throw new RangeError(`y holds ${y?.length ?? 0} floats, n = ${n} (op ${MAP_OPS[op]} needs y)`);
}

/**
 * c = a * b (a m x k, b k x n, row-major) in the ABI's order: c[i][j] =
 * ((0 + a[i][0]*b[0][j]) + a[i][1]*b[1][j]) + ..., each product and each sum rounded to
 * f32. (An f32 product or sum computed in f64 and then rounded is the correctly rounded
 * f32 result, so Math.fround gives exactly what f32 hardware without FMA gives.)
 * @throws RangeError when a or b is shorter than the dimensions say.
 */
export function matmulF32Reference(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float32Array {
  checkMatmulArgs(a, b, m, n, k);
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) c[i * n + j] = matmulF32ReferenceAt(a, b, n, k, i, j);
  }
  return c;
}

/**
 * One element of matmulF32Reference, c[i][j], for checking a sample of a result too large
 * to recompute whole. Preconditions (unchecked): a and b hold the dimensions, i < m, j < n.
 */
export function matmulF32ReferenceAt(a: Float32Array, b: Float32Array, n: number, k: number, i: number, j: number): number {
  let s = 0;
  for (let p = 0; p < k; p++) s = Math.fround(s + Math.fround(a[i * k + p] * b[p * n + j]));
  return s;
}

/**
 * out[i] = op(x[i], y[i]) for i < n, with Wasm's semantics: max and min return NaN when
 * either input is NaN and order -0 below +0; relu(x) = max(x, +0) (y unused).
 * @throws GpuError 'bad-op' for an op outside 0..5; RangeError when x or y is too short.
 */
export function mapF32Reference(op: number, x: Float32Array, y: Float32Array | undefined, n: number): Float32Array {
  checkMapArgs(op, x, y, n);
  const out = new Float32Array(n);
  const f = [
    (a: number, b: number) => a + b,
    (a: number, b: number) => a - b,
    (a: number, b: number) => a * b,
    Math.max, // NaN-propagating and -0 < +0, as Wasm's f32.max
    Math.min,
    (a: number) => Math.max(a, 0),
  ][op];
  const yy = y ?? x;
  for (let i = 0; i < n; i++) out[i] = f(x[i], yy[i]);
  return out;
}
