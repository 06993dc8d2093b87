/**
 * The `simd` kernels: the native addon (its AVX2 path and its scalar C path) gives exactly
 * the bytes of the TypeScript reference, on any data, size, alignment and shape, and
 * rejects bad arguments with the same error without touching memory; the reference itself
 * is pinned to the WIT's order of operations by hand-worked cases.
 * Without the addon (not built here) the native comparisons print why and pass.
 */
import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { KERNEL_NAMES, SIMD_ADDON_PATH, loadSimdAddon, prng, simdKernels, type SimdKernels } from '../runtime/host/native.js';
import { scalarKernels } from '../runtime/host/simd-scalar.js';

const test = suite('simd kernels');

type KernelName = (typeof KERNEL_NAMES)[number];
interface Impl { name: string; k: SimdKernels }

const loaded = loadSimdAddon();
const addon = 'addon' in loaded ? loaded.addon : undefined;
/** The implementations compared against the reference. */
const natives: Impl[] = addon ? [{ name: addon.avx2() ? 'addon (AVX2)' : 'addon (dispatch)', k: addon }, { name: 'addon (scalar C)', k: addon.scalar }] : [];

/** Runs `body` when the addon is there; otherwise says why the check is skipped. */
function withAddon(what: string, body: () => void): void {
  if (natives.length === 0) {
    console.log(`  skipped (${what}): ${'reason' in loaded ? loaded.reason : 'no addon'}`);
    return;
  }
  body();
}

// ---- data -------------------------------------------------------------------------------


/**
 * Random f32 (or f64) values in [-4, 4), with about one in eight special: NaNs with
 * assorted payloads and signs (quiet and signalling), ±Inf, ±0, subnormals, the largest
 * finite value. `special: false` gives ordinary values only.
 */
function fill(bytes: Uint8Array, elem: 'f32' | 'f64', seed: number, special = true): void {
  const rand = prng(seed);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const step = elem === 'f32' ? 4 : 8;
  for (let off = 0; off + step <= bytes.byteLength; off += step) {
    const r = rand();
    const kind = special ? r & 15 : 15;
    if (elem === 'f32') {
      const bits = [0x7fc00000, 0xffc00000, 0x7fc12345, 0x7f800001, 0x7f800000, 0xff800000, 0x80000000, 0x00000000,
        (r >>> 9) | 1, 0x80000000 | ((r >>> 9) | 1), 0x7f7fffff, 0x00800000][kind];
      if (bits !== undefined) dv.setUint32(off, bits, true);
      else dv.setFloat32(off, ((r >>> 8) / 0x800000 - 1) * 4, true);
    } else {
      const hi = [0x7ff80000, 0xfff80000, 0x7ff81234, 0x7ff00000, 0x7ff00000, 0xfff00000, 0x80000000, 0x00000000,
        r >>> 12, 0x80000000 | (r >>> 12), 0x7fefffff, 0x00100000][kind];
      if (hi !== undefined) {
        const lo = kind === 3 ? 1 : kind === 8 || kind === 9 ? rand() : kind === 10 ? 0xffffffff : 0;
        dv.setUint32(off, lo, true);
        dv.setUint32(off + 4, hi, true);
      } else {
        dv.setFloat64(off, ((r >>> 1) / 0x80000000 - 1) * 4 + rand() / 2 ** 60, true);
      }
    }
  }
}

function call(k: SimdKernels, name: KernelName, mem: ArrayBuffer, args: unknown[]): unknown {
  return (k[name] as (...a: unknown[]) => unknown)(mem, ...args);
}

/** The bits of a returned number (undefined stays undefined), so -0 and NaN payloads count. */
function bits(v: unknown): string {
  if (typeof v !== 'number') return String(v);
  const f = new Float64Array([v]);
  return new BigUint64Array(f.buffer)[0].toString(16);
}

function firstDiff(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Every native implementation gives the reference's result and leaves the reference's bytes. */
function agree(name: KernelName, init: Uint8Array, args: number[]): void {
  const refMem = init.slice().buffer;
  const want = call(scalarKernels, name, refMem, args);
  const wantBytes = new Uint8Array(refMem);
  for (const impl of natives) {
    const mem = init.slice().buffer;
    const got = call(impl.k, name, mem, args);
    const what = `${impl.name} ${name}(${args.join(', ')})`;
    assert.is(bits(got), bits(want), `${what} returns the reference's bits`);
    const at = firstDiff(new Uint8Array(mem), wantBytes);
    assert.is(at, -1, `${what} writes the reference's bytes (first difference at byte ${at})`);
  }
}

function buffer(bytes: number, elem: 'f32' | 'f64', seed: number, special = true): Uint8Array {
  const b = new Uint8Array(bytes);
  fill(b, elem, seed, special);
  return b;
}

// ---- the reference is the WIT's order ---------------------------------------------------

test('the reference sums lanes, then combines them pairwise, then adds the tail in order', () => {
  const f32 = new Float32Array(17);
  // Lane 0 loses its 1 to rounding (2^24 + 1), lane 1 keeps it (-2^24 + 1); the pairwise
  // combination gives 1, the tail adds 0.5. Index order would give 2.5.
  f32[0] = 2 ** 24; f32[8] = 1; f32[1] = -(2 ** 24); f32[9] = 1; f32[16] = 0.5;
  assert.is(scalarKernels.sumF32(f32.buffer, 0, 17), 1.5);
  const ones32 = new Float32Array(34);
  ones32.set(f32);
  ones32.fill(1, 17);
  assert.is(scalarKernels.dotF32(ones32.buffer, 0, 68, 17), 1.5, 'dot = sum of x[i] * 1');

  const f64 = new Float64Array(9);
  f64[0] = 2 ** 53; f64[4] = 1; f64[1] = -(2 ** 53); f64[5] = 1; f64[8] = 0.5;
  assert.is(scalarKernels.sumF64(f64.buffer, 0, 9), 1.5);
  const ones64 = new Float64Array(18);
  ones64.set(f64);
  ones64.fill(1, 9);
  assert.is(scalarKernels.dotF64(ones64.buffer, 0, 72, 9), 1.5);
  // Lanes start at +0, so an all -0 input sums to +0.
  assert.ok(Object.is(scalarKernels.sumF32(new Float32Array([-0, -0, -0]).buffer, 0, 3), 0));
});

test('the reference accumulates matmul in p order from +0 and rounds each product before adding', () => {
  // c = ((0 + 2^24) + 1) + 1 = 2^24 in p order; summing the ones first would give 2^24 + 2.
  const m1 = new Float32Array([2 ** 24, 1, 1, /* b */ 1, 1, 1, /* c */ 7]);
  scalarKernels.matmulF32(m1.buffer, 0, 12, 24, 1, 1, 3);
  assert.is(m1[6], 2 ** 24);
  // The rounded product (1 + 2^-11 + 2^-24 -> 1 + 2^-11) cancels the first term exactly;
  // a fused multiply-add would leave 2^-24.
  const e = 1 + 2 ** -12;
  const m2 = new Float32Array([1, e, /* b */ -(1 + 2 ** -11), e, /* c */ 7]);
  scalarKernels.matmulF32(m2.buffer, 0, 8, 16, 1, 1, 2);
  assert.is(m2[4], 0);
  // k = 0: the empty sum, +0.
  const m3 = new Float32Array([5, 5]);
  scalarKernels.matmulF32(m3.buffer, 0, 0, 0, 1, 2, 0);
  assert.ok(Object.is(m3[0], 0) && Object.is(m3[1], 0));
  // axpy: y + round(a * x), the same cancellation.
  const ax = new Float32Array([e, -(1 + 2 ** -11)]);
  scalarKernels.axpyF32(ax.buffer, e, 0, 4, 1);
  assert.is(ax[1], 0);
});

test('a NaN result is always the canonical quiet NaN', () => {
  const u = new Uint32Array([0xffc12345, 0x3f800000, 0x7f800001, 0x3f800000]);
  scalarKernels.axpyF32(u.buffer, 2, 0, 4, 1); // y = 1 + 2 * NaN
  scalarKernels.axpyF32(u.buffer, 1, 8, 12, 1); // y = 1 + sNaN
  assert.equal([...u].map((x) => x.toString(16)), ['ffc12345', '7fc00000', '7f800001', '7fc00000']);
  const c = new Uint32Array([0xff800000, 0, 0x7f800000, 0]);
  scalarKernels.matmulF32(c.buffer, 0, 4, 12, 1, 1, 2); // (-Inf * 0) + (Inf * 0) is NaN
  assert.is(c[3].toString(16), '7fc00000');
});

// ---- native against the reference -------------------------------------------------------

test('simdKernels() takes the AVX2 path when the addon is built and the CPU has AVX2', () => {
  const sel = simdKernels();
  if (process.env.WEAVE_NO_NATIVE === '1') {
    assert.equal([sel.kind, sel.reason, sel.kernels], ['scalar', 'WEAVE_NO_NATIVE=1', scalarKernels]);
    return;
  }
  if (!addon) {
    assert.equal([sel.kind, sel.reason], ['scalar', 'reason' in loaded ? loaded.reason : '']);
    console.log(`  skipped (AVX2 path): ${sel.reason}`);
    return;
  }
  if (!addon.avx2()) {
    assert.equal([sel.kind, sel.reason], ['scalar', 'CPU lacks AVX2']);
    return;
  }
  assert.is(sel.kind, 'avx2', `selected ${sel.kind}: ${sel.reason}`);
  assert.is(sel.reason, undefined);
  assert.is(sel.kernels.matmulF32, addon.matmulF32, 'the addon\'s functions, not a wrapper');
});

test('WEAVE_NO_NATIVE=1 selects the scalar kernels and says why', () => {
  const url = new URL('../runtime/host/native.js', import.meta.url).href;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e',
    `const { simdKernels } = await import(${JSON.stringify(url)}); const s = simdKernels(); console.log(s.kind + ' ' + s.reason);`],
  { env: { ...process.env, WEAVE_NO_NATIVE: '1' }, encoding: 'utf8' });
  assert.is(r.stderr, '');
  assert.is(r.stdout.trim(), 'scalar WEAVE_NO_NATIVE=1');
});

test('the built addon contains AVX2 arithmetic and no fused multiply-add', () => {
  withAddon('disassembly', () => {
    const r = spawnSync('objdump', ['-d', '--no-show-raw-insn', SIMD_ADDON_PATH], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.error || r.status !== 0) {
      console.log(`  skipped (disassembly): objdump unavailable (${r.error?.message ?? r.stderr.trim()})`);
      return;
    }
    if (!addon!.avx2()) {
      console.log('  skipped (disassembly): no AVX2 on this CPU, so no AVX2 code to check');
      return;
    }
    assert.ok(/\bvmulps\s+%ymm/.test(r.stdout), 'f32 AVX2 multiplies are there');
    assert.ok(/\bvaddpd\s+%ymm/.test(r.stdout), 'f64 AVX2 adds are there');
    const fused = r.stdout.split('\n').filter((l) => /\bv?f(n)?m(add|sub)/.test(l));
    assert.equal(fused, [], 'no FMA instruction anywhere');
  });
});

test('reductions and axpy agree byte for byte for n = 0..40 at every alignment', () => {
  withAddon('reductions', () => {
    for (const elem of ['f32', 'f64'] as const) {
      const size = elem === 'f32' ? 4 : 8;
      const init = buffer(4096, elem, elem === 'f32' ? 11 : 12);
      const [dot, sum, axpy] = elem === 'f32' ? ['dotF32', 'sumF32', 'axpyF32'] as const : ['dotF64', 'sumF64', 'axpyF64'] as const;
      for (let n = 0; n <= 40; n++) {
        for (const shift of [0, 1, 3, 4, size]) {
          const x = 16 + shift, y = 2048 + (shift * 5) % 8;
          agree(dot, init, [x, y, n]);
          agree(sum, init, [x, n]);
          agree(axpy, init, [-1.75, x, y, n]);
          agree(axpy, init, [3.1e-39, y, x, n]); // a subnormal f32 factor
        }
      }
    }
  });
});

test('reductions and axpy agree on large inputs, with and without special values', () => {
  withAddon('large', () => {
    for (const n of [1000, 65541, 262147]) {
      for (const special of [true, false]) {
        const f32 = buffer(8 * n + 64, 'f32', n, special);
        agree('dotF32', f32, [4, 4 * n + 12, n]);
        agree('sumF32', f32, [0, n]);
        agree('axpyF32', f32, [0.3, 1, 4 * n + 9, n]);
        const f64 = buffer(16 * n + 64, 'f64', n + 1, special);
        agree('dotF64', f64, [8, 8 * n + 24, n]);
        agree('sumF64', f64, [3, n]);
        agree('axpyF64', f64, [-0.3, 0, 8 * n + 16, n]);
      }
    }
  });
});

test('axpy with overlapping x and y follows the sequential definition', () => {
  withAddon('axpy overlap', () => {
    for (const elem of ['f32', 'f64'] as const) {
      const init = buffer(2048, elem, 77, false);
      const name = elem === 'f32' ? 'axpyF32' : 'axpyF64';
      for (const d of [0, 1, 4, 7, 8, 12, 16, 24, 28, 31, 32, 33, 36, 64, 100]) {
        for (const sign of [1, -1]) {
          for (const n of [1, 9, 37, 100]) agree(name, init, [0.75, 512 + sign * d, 512, n]);
        }
      }
    }
  });
});

test('matmul agrees byte for byte on odd shapes, unaligned, across the p-slices', () => {
  withAddon('matmul', () => {
    const shapes: Array<[number, number, number]> = [
      [0, 3, 3], [3, 0, 3], [3, 3, 0], [1, 1, 1], [1, 17, 1], [7, 5, 3], [6, 16, 256], [6, 16, 257],
      [5, 1, 513], [13, 33, 300], [12, 32, 9], [37, 29, 600], [2, 24, 70],
    ];
    for (const [m, n, k] of shapes) {
      for (const elem of ['f32', 'f64'] as const) {
        const size = elem === 'f32' ? 4 : 8;
        const ab = m * k * size, bb = k * n * size, cb = m * n * size;
        for (const [special, shift] of [[true, 0], [false, 1], [true, 3]] as const) {
          const a = 8 + shift, b = a + ab + 8 + shift, c = b + bb + 16 + shift;
          const init = buffer(c + cb + 16, elem, m * 1000 + n * 10 + k, special);
          agree(elem === 'f32' ? 'matmulF32' : 'matmulF64', init, [a, b, c, m, n, k]);
        }
      }
    }
  });
});

test('matmul agrees on a 96 x 200 x 130 product of ordinary values', () => {
  withAddon('matmul large', () => {
    const [m, n, k] = [96, 200, 130];
    const init = buffer(8 * (m * k + k * n + m * n) + 64, 'f64', 5, false);
    agree('matmulF64', init, [0, 8 * m * k, 8 * (m * k + k * n), m, n, k]);
    const init32 = buffer(4 * (m * k + k * n + m * n) + 64, 'f32', 6, false);
    agree('matmulF32', init32, [0, 4 * m * k, 4 * (m * k + k * n), m, n, k]);
  });
});

test('the kernels work on a WebAssembly.Memory and reject its buffer once it is detached', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const old = memory.buffer;
  new Float32Array(old, 0, 4).set([1, 2, 3, 4]);
  for (const impl of [{ name: 'reference', k: scalarKernels }, ...natives]) {
    assert.is(impl.k.sumF32(memory.buffer, 0, 4), 10, impl.name);
  }
  memory.grow(1); // detaches `old`
  for (const impl of [{ name: 'reference', k: scalarKernels }, ...natives]) {
    assert.is(impl.k.sumF32(old, 0, 0), 0, `${impl.name}: an empty range of a detached buffer`);
    assert.throws(() => impl.k.sumF32(old, 0, 4), (e: Error) => e instanceof RangeError &&
      e.message === 'sumF32: x is outside the memory: 4 f32 from byte 0, memory has 0 bytes', impl.name);
  }
});

// ---- bad arguments ----------------------------------------------------------------------

test('an out-of-range call throws a RangeError naming the range, before touching memory', () => {
  const mem = new ArrayBuffer(64);
  for (const k of [scalarKernels, ...natives.map((i) => i.k)]) {
    assert.throws(() => k.dotF32(mem, 0, 36, 8), (e: Error) => e instanceof RangeError &&
      e.message === 'dotF32: y is outside the memory: 8 f32 from byte 36, memory has 64 bytes');
    assert.throws(() => k.matmulF64(mem, 0, 0, 8, 2 ** 32, 1, 2 ** 32), (e: Error) => e instanceof RangeError &&
      e.message === 'matmulF64: a is outside the memory: 4294967296x4294967296 f64 from byte 0, memory has 64 bytes');
    assert.throws(() => k.matmulF32(mem, 0, 16, 12, 2, 2, 2), (e: Error) => e instanceof RangeError &&
      e.message === 'matmulF32: c overlaps a; the output must not overlap an input');
  }
});

test('every bad argument gets the same error from every path and leaves memory as it was', () => {
  const LEN = 256;
  const init = buffer(LEN, 'f32', 99);
  const big = 2 ** 53 - 1;
  const bad: Array<[KernelName, unknown[]]> = [
    ['dotF32', [0, 0, 65]], ['dotF32', [LEN - 3, 0, 1]], ['dotF32', [LEN + 1, 0, 0]], ['dotF32', [0, 0, -1]],
    ['dotF32', [0, 0, 1.5]], ['dotF32', [0, NaN, 1]], ['dotF32', [0, 0, Infinity]], ['dotF32', [0, 0, 2 ** 53]],
    ['dotF32', [big, 0, big]], ['dotF32', ['0', 0, 1]], ['dotF32', [0, 0]], ['dotF32', [0, 0, 1n]],
    ['dotF64', [0, 0, 33]], ['dotF64', [LEN - 7, 0, 1]], ['dotF64', [-0.5, 0, 1]],
    ['sumF32', [0, 65]], ['sumF32', [LEN, 1]], ['sumF64', [1, 32]], ['sumF64', [null, 1]],
    ['axpyF32', [1, 0, LEN - 4, 2]], ['axpyF32', ['1', 0, 0, 1]], ['axpyF32', [1, 0, 0, 2 ** 60]],
    ['axpyF64', [1, LEN - 8, 0, 2]], ['axpyF64', [undefined, 0, 0, 1]], ['axpyF64', [1, 0, 0, {}]],
    ['matmulF32', [0, 0, 200, 4, 4, 5]], ['matmulF32', [0, 128, 0, 2, 2, 2]], ['matmulF32', [0, 64, 128, 2, 2, big]],
    ['matmulF32', [0, 64, 129, 1, 32, 1]], ['matmulF32', [0, 64, 128, big, big, 0]], ['matmulF32', [0, 64, 60, 2, 2, 2]],
    ['matmulF64', [0, 0, 128, 4, 4, 5]], ['matmulF64', [0, 64, 68, 2, 2, 2]], ['matmulF64', [0, 64, 128, 2 ** 31, 2 ** 31, 2]],
    ['matmulF64', [0, 64, 128, 2, 2, -2]], ['matmulF64', [0, 64, 128, 2, 2]],
  ];
  const notBuffers: unknown[] = [new Uint8Array(LEN), new SharedArrayBuffer(LEN), null, 'memory'];
  for (const [name, args] of bad) {
    const what = `${name}(${args.map(String).join(', ')})`;
    const ref = init.slice().buffer;
    let want: Error | undefined;
    try { call(scalarKernels, name, ref, args as number[]); } catch (e) { want = e as Error; }
    assert.ok(want instanceof RangeError || want instanceof TypeError, `reference ${what} throws`);
    assert.is(firstDiff(new Uint8Array(ref), init), -1, `reference ${what} leaves memory unchanged`);
    for (const impl of natives) {
      const mem = init.slice().buffer;
      let got: Error | undefined;
      try { call(impl.k, name, mem, args as number[]); } catch (e) { got = e as Error; }
      assert.ok(got, `${impl.name} ${what} throws`);
      assert.is(got!.constructor, want!.constructor, `${impl.name} ${what}: ${got!.message}`);
      assert.is(got!.message, want!.message);
      assert.is(firstDiff(new Uint8Array(mem), init), -1, `${impl.name} ${what} leaves memory unchanged`);
    }
  }
  for (const mem of notBuffers) {
    for (const k of [scalarKernels, ...natives.map((i) => i.k)]) {
      assert.throws(() => k.sumF32(mem as ArrayBuffer, 0, 1), (e: Error) => e instanceof TypeError && e.message === 'sumF32: memory must be an ArrayBuffer');
    }
  }
});

test.run();
