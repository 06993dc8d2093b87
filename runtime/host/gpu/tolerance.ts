/**
 * The tolerance a GPU result must meet against the CPU reference (wit/weave-host.wit):
 * matmul within k * 2^-22 * sum_p |a b| per element, map equal but for flushed subnormals.
 *
 *   const r = gpuTolerance.checkMatmul(a, b, m, n, k, await kernels.matmulF32(a, b, m, n, k));
 *   if (!r.ok) throw new Error(r.message);
 */
import { MAP_OPS, checkMatmulArgs, mapF32Reference, matmulF32ReferenceAt } from './reference.js';

/**
 * A check's outcome. `worst` is the largest |got - reference| / bound among the finite
 * elements checked (0 where all were equal): how close the result came to failing.
 */
export type ToleranceReport =
  | { ok: true; checked: number; worst: number }
  | { ok: false; checked: number; index: number; got: number; expected: number; bound: number; message: string };

const MIN_NORMAL_F32 = 2 ** -126;

/**
 * The gpu interface's tolerance (wit/weave-host.wit), for tests and for anyone comparing a
 * GPU result with the CPU reference.
 */
export const gpuTolerance = {
  /** Relative factor of the matmul bound: |c - ref| <= k * MATMUL_EPS * sum_p |a[i][p] b[p][j]|. */
  MATMUL_EPS: 2 ** -22,

  /**
   * Checks a GPU matmul result: per element, NaN where the reference is NaN, the same
   * infinity where it is infinite, else within k * 2^-22 * sum_p |a[i][p] * b[p][j]|.
   * Reports the first element that fails.
   */
  checkMatmul(a: Float32Array, b: Float32Array, m: number, n: number, k: number, got: Float32Array): ToleranceReport {
    const all = { length: m * n, at: (x: number) => x };
    return checkMatmulElements(a, b, m, n, k, got, all);
  },

  /**
   * As checkMatmul, on `count` elements spread over c (a fixed pseudo-random choice that
   * includes the first and last), for results whose full reference would take minutes.
   */
  checkMatmulSample(a: Float32Array, b: Float32Array, m: number, n: number, k: number, got: Float32Array, count: number): ToleranceReport {
    const total = m * n;
    const picks = Math.min(count, total);
    // x * 2654435761 (a prime near 2^32 / golden ratio) mod total visits distinct elements
    // scattered over every part of c, where a stride would line up with the tiles.
    const at = (x: number) => (x === 0 ? 0 : x === 1 ? total - 1 : Number((BigInt(x) * 2654435761n) % BigInt(total)));
    return checkMatmulElements(a, b, m, n, k, got, { length: picks, at });
  },

  /**
   * Checks a GPU map result: equal to the reference (any NaN matches any NaN, and -0 is
   * not +0), except that where the reference is subnormal the result may be ±0.
   */
  checkMap(op: number, x: Float32Array, y: Float32Array | undefined, n: number, got: Float32Array): ToleranceReport {
    const ref = mapF32Reference(op, x, y, n);
    if (got.length !== n) {
      return { ok: false, checked: 0, index: -1, got: got.length, expected: n, bound: 0, message: `result has ${got.length} elements, expected ${n}` };
    }
    for (let i = 0; i < n; i++) {
      const e = ref[i];
      const g = got[i];
      const flushed = e !== 0 && Math.abs(e) < MIN_NORMAL_F32 && g === 0;
      if (!Object.is(g, e) && !flushed) {
        const yi = y && op !== 5 ? `, ${y[i]}` : '';
        return { ok: false, checked: i, index: i, got: g, expected: e, bound: 0, message: `${MAP_OPS[op]}(${x[i]}${yi}) = ${Object.is(g, -0) ? '-0' : g} at [${i}], reference ${Object.is(e, -0) ? '-0' : e}` };
      }
    }
    return { ok: true, checked: n, worst: 0 };
  },
};

function checkMatmulElements(
  a: Float32Array, b: Float32Array, m: number, n: number, k: number, got: Float32Array,
  which: { length: number; at(x: number): number },
): ToleranceReport {
  checkMatmulArgs(a, b, m, n, k);
  if (got.length !== m * n) {
    return { ok: false, checked: 0, index: -1, got: got.length, expected: m * n, bound: 0, message: `result has ${got.length} elements, expected ${m * n}` };
  }
  let worst = 0;
  for (let x = 0; x < which.length; x++) {
    const at = which.at(x);
    const i = Math.floor(at / n);
    const j = at - i * n;
    let abs = 0;
    for (let p = 0; p < k; p++) abs += Math.abs(a[i * k + p] * b[p * n + j]);
    const bound = k * gpuTolerance.MATMUL_EPS * abs;
    const e = matmulF32ReferenceAt(a, b, n, k, i, j);
    const g = got[at];
    const ok = Number.isNaN(e) ? Number.isNaN(g) : !Number.isFinite(e) ? g === e : Math.abs(g - e) <= bound;
    if (!ok) {
      return { ok: false, checked: x, index: at, got: g, expected: e, bound, message: `c[${i}][${j}] = ${g}, reference ${e}, allowed ±${bound} (m=${m} n=${n} k=${k})` };
    }
    if (Number.isFinite(e) && g !== e) worst = Math.max(worst, Math.abs(g - e) / bound);
  }
  return { ok: true, checked: which.length, worst };
}
