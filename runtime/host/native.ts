/**
 * Picks the `simd` kernels this process runs: the AVX2 addon (native/, built at
 * `npm install` by scripts/build-native.mjs) when it loads, the CPU has AVX2 and it agrees
 * bit for bit with the TypeScript reference on a quick self-test; the reference otherwise.
 *   const { kind, reason, kernels } = simdKernels();   // kind: 'avx2' | 'scalar'
 *   if (reason) log(`simd: ${kind} (${reason})`);
 *   kernels.dotF32(memory.buffer, x, y, n);
 *
 * Both paths give the same bytes, so the choice only changes speed; a hub that cannot use
 * the addon says why. WEAVE_NO_NATIVE=1 forces the scalar path (tests, fallback benches).
 * The choice is made once per process (per worker thread) and cached.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scalarKernels, type SimdKernels } from './simd-scalar.js';
import { xorshift32 as prng } from '../util/index.js';

export type { SimdKernels } from './simd-scalar.js';

/** 'avx2': the addon's AVX2 code; 'scalar': the TypeScript reference. */
export type SimdKind = 'avx2' | 'scalar';

export interface SimdSelection {
  kind: SimdKind;
  /** Why the addon is not used; absent for 'avx2'. */
  reason?: string;
  kernels: SimdKernels;
}

/** What weave_simd.node exports: the kernels (AVX2 when avx2()), and the scalar C copies. */
export interface SimdAddon extends SimdKernels {
  avx2(): boolean;
  scalar: SimdKernels;
}

export const KERNEL_NAMES = ['dotF32', 'dotF64', 'sumF32', 'sumF64', 'axpyF32', 'axpyF64', 'matmulF32', 'matmulF64'] as const;

/** Where scripts/build-native.mjs puts the addon; this file runs from dist/runtime/host/. */
export const SIMD_ADDON_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'native', 'build', 'Release', 'weave_simd.node');

let addonResult: { addon: SimdAddon } | { reason: string } | undefined;

/** The addon itself, or why there is none. Loaded once. */
export function loadSimdAddon(): { addon: SimdAddon } | { reason: string } {
  if (addonResult) return addonResult;
  if (!existsSync(SIMD_ADDON_PATH)) {
    addonResult = { reason: 'addon not built (run `node scripts/build-native.mjs`)' };
  } else {
    try {
      const addon = createRequire(import.meta.url)(SIMD_ADDON_PATH) as SimdAddon;
      const missing = [...KERNEL_NAMES, 'avx2'].filter((k) => typeof (addon as unknown as Record<string, unknown>)[k] !== 'function');
      addonResult = missing.length ? { reason: `addon lacks ${missing.join(', ')} (stale build?)` } : { addon };
    } catch (err) {
      addonResult = { reason: `addon failed to load: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  return addonResult;
}

let selection: SimdSelection | undefined;

/** The kernels to use in this process, chosen once. Never throws. */
export function simdKernels(): SimdSelection {
  if (selection) return selection;
  selection = choose();
  return selection;
}

function choose(): SimdSelection {
  const scalar = (reason: string): SimdSelection => ({ kind: 'scalar', reason, kernels: scalarKernels });
  if (process.env.WEAVE_NO_NATIVE === '1') return scalar('WEAVE_NO_NATIVE=1');
  const loaded = loadSimdAddon();
  if ('reason' in loaded) return scalar(loaded.reason);
  const { addon } = loaded;
  if (!addon.avx2()) {
    // The addon's C scalar path gives the same bytes as the TypeScript reference, far
    // faster (no Math.fround per operation): use it once it passes the same self-test.
    const c = addon.scalar && Object.fromEntries(KERNEL_NAMES.map((k) => [k, addon.scalar[k]])) as unknown as SimdKernels;
    const why = c ? check(c) : 'addon has no scalar kernels';
    return why ? scalar(`CPU lacks AVX2; ${why}`) : { kind: 'scalar', reason: 'CPU lacks AVX2 (the addon\'s scalar C kernels)', kernels: c! };
  }
  const kernels = Object.fromEntries(KERNEL_NAMES.map((k) => [k, addon[k]])) as unknown as SimdKernels;
  const mismatch = check(kernels);
  return mismatch ? scalar(mismatch) : { kind: 'avx2', kernels };
}

/** The self-test's verdict on `kernels`: undefined when they match the reference. */
function check(kernels: SimdKernels): string | undefined {
  try {
    return selfTest(kernels, scalarKernels);
  } catch (err) {
    return `self-test failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

// ---- self-test --------------------------------------------------------------------------

/** The same data every run, so a mismatch can be reproduced (also the tests' and the bench's data). */
export { prng };

/** Fills `bytes` with mostly ordinary values and some NaN, ±Inf, -0 and subnormals. */
function fillSpecial(bytes: Uint8Array, rand: () => number): void {
  const f32 = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
  const u32 = new Uint32Array(f32.buffer, f32.byteOffset, f32.length);
  for (let i = 0; i < f32.length; i++) {
    const r = rand();
    switch (r & 63) {
      case 0: u32[i] = 0x7fc00000; break;             // NaN
      case 1: u32[i] = 0xff800000; break;             // -Inf
      case 2: u32[i] = 0x80000000; break;             // -0
      case 3: u32[i] = (r >>> 9) | 1; break;           // f32 subnormal
      default: f32[i] = ((r >>> 8) / 0x800000 - 1) * 4;
    }
  }
}

/**
 * Runs each kernel through both implementations on the same data (sizes around the lane
 * counts, unaligned offsets, odd matmul shapes including one longer than the addon's
 * p-slice) and returns the first disagreement, or undefined.
 */
function selfTest(native: SimdKernels, ref: SimdKernels): string | undefined {
  const rand = prng(0x5eed);
  const SIZE = 1 << 16;
  const mem1 = new ArrayBuffer(SIZE);
  const mem2 = new ArrayBuffer(SIZE);
  const init = new Uint8Array(SIZE);
  fillSpecial(init, rand);
  const reset = () => { new Uint8Array(mem1).set(init); new Uint8Array(mem2).set(init); };
  const same = () => Buffer.compare(new Uint8Array(mem1), new Uint8Array(mem2)) === 0;
  for (const n of [0, 1, 7, 8, 9, 33]) {
    for (const shift of [0, 4, 3]) {
      const x = 64 + shift, y = 8192 + 2 * shift;
      reset();
      for (const k of ['dotF32', 'dotF64'] as const) {
        if (!Object.is(native[k](mem1, x, y, n), ref[k](mem2, x, y, n))) return `self-test mismatch in ${k} (n=${n})`;
      }
      for (const k of ['sumF32', 'sumF64'] as const) {
        if (!Object.is(native[k](mem1, x, n), ref[k](mem2, x, n))) return `self-test mismatch in ${k} (n=${n})`;
      }
      for (const k of ['axpyF32', 'axpyF64'] as const) {
        native[k](mem1, -1.25, x, y, n);
        ref[k](mem2, -1.25, x, y, n);
        if (!same()) return `self-test mismatch in ${k} (n=${n})`;
      }
    }
  }
  for (const [m, n, k] of [[5, 7, 3], [7, 19, 3], [2, 17, 257]]) {
    for (const name of ['matmulF32', 'matmulF64'] as const) {
      reset();
      // a, b, c at odd offsets, far enough apart for the largest f64 case.
      native[name](mem1, 1, 16003, 58005, m, n, k);
      ref[name](mem2, 1, 16003, 58005, m, n, k);
      if (!same()) return `self-test mismatch in ${name} (${m}x${n}x${k})`;
    }
  }
  return undefined;
}
