/**
 * The gpu host interface on WebGPU (runtime/host/gpu/). The CPU reference, the tolerance,
 * the dispatch plan and detection are tested everywhere; the kernels are tested against the
 * reference where a WebGPU adapter exists. Elsewhere they are registered as skipped (uvu
 * counts them under "Skipped") and one "gpu tests skipped: <reason>" line says why.
 * Without GPU hardware, Mesa's llvmpipe runs them too (docs/gpu.md, "What was verified"):
 *   WEAVE_GPU_SOFTWARE=1 VK_ICD_FILENAMES=... node node_modules/uvu/bin.js dist/test 'gpu\.test\.js$'
 *   WEAVE_GPU_BACKEND=opengl WEAVE_GPU_SOFTWARE=1 EGL_PLATFORM=surfaceless node node_modules/uvu/bin.js dist/test 'gpu\.test\.js$'
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  GpuError,
  GpuKernels,
  detectGpu,
  gpuKernels,
  gpuTolerance,
  mapF32Reference,
  matmulF32Reference,
  planMatmul,
  releaseGpu,
  type GpuInfo,
  type MatmulTile,
  type ToleranceReport,
} from '../runtime/host/gpu.js';

const test = suite('gpu');
// Known before the tests are registered, so that kernel tests without an adapter are
// registered as skipped rather than passing without running.
const info: GpuInfo = await detectGpu();
const kernels: GpuKernels | undefined = info.available ? gpuKernels(info) : undefined;

/** mulberry32, floats in [-1, 1): a failing seed can be replayed. */
function floats(seed: number, count: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

function assertWithin(report: ToleranceReport): void {
  assert.ok(report.ok, report.ok ? '' : report.message);
}

async function rejects(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.unreachable('expected a rejection');
}

/** A kernel test: skipped (and counted so) where detectGpu found no adapter; before says why. */
let skippedCount = 0;
function onGpu(name: string, fn: (k: GpuKernels) => Promise<void>): void {
  if (kernels) test(name, () => fn(kernels));
  else {
    skippedCount++;
    test.skip(name, async () => {});
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every pair of awkward f32 values, as x and y, copied as bits so that the NaNs keep their
 * sign (a NaN with the sign bit set sorts below everything as an integer).
 */
function specialPairs(): { x: Float32Array; y: Float32Array; n: number } {
  const bits = [
    0x00000000, 0x80000000, // +0, -0
    0x3f800000, 0xbf800000, 0x3fc00000, 0xc0200000, // 1, -1, 1.5, -2.5
    0x7f800000, 0xff800000, // +inf, -inf
    0x7fc00000, 0xffc00001, // NaN, NaN with the sign bit and a payload
    0x7f7fffff, 0xff7fffff, // largest finite, and its negative
    0x00800000, 0x1e3ce508, // smallest normal, 1e-20
  ];
  const n = bits.length * bits.length;
  const xb = new Uint32Array(n);
  const yb = new Uint32Array(n);
  for (let i = 0; i < bits.length; i++) {
    for (let j = 0; j < bits.length; j++) {
      xb[i * bits.length + j] = bits[i];
      yb[i * bits.length + j] = bits[j];
    }
  }
  return { x: new Float32Array(xb.buffer), y: new Float32Array(yb.buffer), n };
}

test.before(() => {
  // uvu has printed the suite's name without a newline; the skip gets a line of its own.
  if (!info.available) console.log(`\ngpu tests skipped (${skippedCount} of them): ${info.reason}`);
});

test.after(async () => {
  await releaseGpu();
});

test('the CPU matmul reference multiplies a hand-computed 2x3 by 3x2', () => {
  const c = matmulF32Reference(Float32Array.of(1, 2, 3, 4, 5, 6), Float32Array.of(7, 8, 9, 10, 11, 12), 2, 2, 3);
  assert.equal([...c], [58, 64, 139, 154]);
});

test('the CPU matmul reference adds in p order and rounds each product and each sum to f32', () => {
  // In p order 2^24 + 1 rounds back to 2^24 and the last term cancels it: 0, not 1.
  assert.equal([...matmulF32Reference(Float32Array.of(2 ** 24, 1, -(2 ** 24)), Float32Array.of(1, 1, 1), 1, 1, 3)], [0]);
  // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 rounds (tie to even) to 1 + 2^-11 before -1 is added.
  const e = 1 + 2 ** -12;
  const a = Float32Array.of(1, e);
  const b = Float32Array.of(-1, e);
  assert.equal([...matmulF32Reference(a, b, 1, 1, 2)], [2 ** -11]);
  // A fused multiply-add keeps the 2^-24: different, and within the tolerance.
  assertWithin(gpuTolerance.checkMatmul(a, b, 1, 1, 2, Float32Array.of(2 ** -11 + 2 ** -24)));
});

test('the CPU map reference follows Wasm for NaN, infinities and signed zeros', () => {
  const one = (op: number, x: number, y = 0) => mapF32Reference(op, Float32Array.of(x), Float32Array.of(y), 1)[0];
  assert.ok(Object.is(one(3, -0, 0), 0), 'max(-0, +0) is +0');
  assert.ok(Object.is(one(4, 0, -0), -0), 'min(+0, -0) is -0');
  assert.ok(Number.isNaN(one(3, NaN, 1)), 'max(NaN, 1) is NaN');
  assert.ok(Number.isNaN(one(4, 1, NaN)), 'min(1, NaN) is NaN');
  assert.ok(Object.is(one(5, -0), 0), 'relu(-0) is +0');
  assert.ok(Object.is(one(5, -Infinity), 0), 'relu(-inf) is +0');
  assert.ok(Number.isNaN(one(5, NaN)), 'relu(NaN) is NaN');
  assert.ok(Number.isNaN(one(1, Infinity, Infinity)), 'inf - inf is NaN');
  assert.ok(Object.is(one(0, -0, -0), -0), '-0 + -0 is -0');
  assert.ok(Object.is(one(2, -0, 5), -0), '-0 * 5 is -0');
  assert.is(one(2, 3.4028234663852886e38, 2), Infinity);
  assert.is(one(0, 0.1, 0.2), Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  assert.equal([...mapF32Reference(5, Float32Array.of(-1, 2, -3), undefined, 3)], [0, 2, 0]);
});

test('an unknown map op is a GpuError bad-op that lists the ops', () => {
  try {
    mapF32Reference(6, Float32Array.of(1), Float32Array.of(1), 1);
    assert.unreachable('op 6 was accepted');
  } catch (err) {
    assert.instance(err, GpuError);
    assert.is((err as GpuError).code, 'bad-op');
    assert.is((err as GpuError).message, 'unknown map-f32 op 6; ops are: 0 add, 1 sub, 2 mul, 3 max, 4 min, 5 relu');
  }
});

test('the matmul tolerance accepts k * 2^-22 * sum |a b| and rejects more, or NaN', () => {
  const a = floats(1, 4 * 5);
  const b = floats(2, 5 * 3);
  const ref = matmulF32Reference(a, b, 4, 3, 5);
  assertWithin(gpuTolerance.checkMatmul(a, b, 4, 3, 5, ref));
  let abs = 0;
  for (let p = 0; p < 5; p++) abs += Math.abs(a[1 * 5 + p] * b[p * 3 + 2]);
  const bound = 5 * 2 ** -22 * abs;
  const near = ref.slice();
  near[1 * 3 + 2] = Math.fround(ref[1 * 3 + 2] + bound * 0.9);
  assert.ok(near[5] !== ref[5], 'the test value moved');
  assertWithin(gpuTolerance.checkMatmul(a, b, 4, 3, 5, near));
  const far = ref.slice();
  far[5] = ref[5] + bound * 4;
  const r = gpuTolerance.checkMatmul(a, b, 4, 3, 5, far);
  assert.not.ok(r.ok);
  if (!r.ok) assert.is(r.index, 5);
  const nan = ref.slice();
  nan[0] = NaN;
  assert.not.ok(gpuTolerance.checkMatmul(a, b, 4, 3, 5, nan).ok);
  assert.not.ok(gpuTolerance.checkMatmul(a, b, 4, 3, 5, ref.subarray(1)).ok, 'a short result');
});

test('the map tolerance wants equality, with NaN as NaN, -0 apart from +0, and subnormal results flushable', () => {
  const x = Float32Array.of(1, -0, NaN, 2 ** -130, 2 ** -120);
  const y = Float32Array.of(2, -0, 1, 0, 0);
  const ref = mapF32Reference(0, x, y, 5);
  assertWithin(gpuTolerance.checkMap(0, x, y, 5, ref));
  const otherNaN = ref.slice();
  new Uint32Array(otherNaN.buffer)[2] = 0xffc00123;
  assertWithin(gpuTolerance.checkMap(0, x, y, 5, otherNaN));
  assertWithin(gpuTolerance.checkMap(0, x, y, 5, Float32Array.of(3, -0, NaN, 0, 2 ** -120)));
  const r = gpuTolerance.checkMap(0, x, y, 5, Float32Array.of(3, 0, NaN, 2 ** -130, 2 ** -120));
  assert.not.ok(r.ok);
  if (!r.ok) assert.is(r.message, 'add(0, 0) = 0 at [1], reference -0');
  assert.not.ok(gpuTolerance.checkMap(0, x, y, 5, Float32Array.of(3, -0, NaN, 2 ** -130, 0)).ok, 'a normal result flushed');
  assert.not.ok(gpuTolerance.checkMap(0, x, y, 5, Float32Array.of(3, -0, 1, 2 ** -130, 2 ** -120)).ok, 'NaN lost');
});

test('detectGpu resolves with a well-formed result, the same object each time', async () => {
  const again = await detectGpu();
  assert.is(again, info);
  if (info.available) {
    for (const f of ['vendor', 'architecture', 'device', 'description'] as const) assert.type(info.adapter[f], 'string');
    assert.type(info.adapter.software, 'boolean');
    assert.type(info.device.createBuffer, 'function');
  } else {
    assert.type(info.reason, 'string');
    assert.ok(info.reason.length > 0, 'an empty reason');
    assert.not.ok('device' in info);
  }
});

test('detectGpu reports a backend Dawn does not know as unavailable, without throwing', async () => {
  const r = await detectGpu({ backend: 'no-such-backend' });
  assert.is(r.available, false);
  if (!r.available) assert.ok(r.reason.length > 0, 'an empty reason');
});

test('asking for kernels without an adapter is a GpuError unavailable that says why', () => {
  try {
    gpuKernels({ available: false, reason: 'no WebGPU adapter' });
    assert.unreachable('kernels without a device');
  } catch (err) {
    assert.instance(err, GpuError);
    assert.is((err as GpuError).code, 'unavailable');
    assert.is((err as GpuError).message, 'no GPU: no WebGPU adapter');
  }
});

for (const [m, n, k] of [[1, 1, 1], [17, 33, 9], [64, 64, 64], [256, 128, 300]]) {
  onGpu(`matmul-f32 ${m}x${k} by ${k}x${n} is within the tolerance of the reference`, async (gpu) => {
    const a = floats(m * 7 + n, m * k);
    const b = floats(k * 13 + 1, k * n);
    assertWithin(gpuTolerance.checkMatmul(a, b, m, n, k, await gpu.matmulF32(a, b, m, n, k)));
  });
}

onGpu('matmul-f32 reads inputs that are views into a larger buffer', async (gpu) => {
  const whole = floats(5, 3 + 20 * 7 + 7 * 11);
  const a = whole.subarray(3, 3 + 20 * 7);
  const b = whole.subarray(3 + 20 * 7);
  assertWithin(gpuTolerance.checkMatmul(a, b, 20, 11, 7, await gpu.matmulF32(a, b, 20, 11, 7)));
});

onGpu('matmul-f32 with an empty dimension returns zeros without a dispatch', async (gpu) => {
  assert.equal([...(await gpu.matmulF32(new Float32Array(0), floats(1, 6), 0, 3, 2))], []);
  assert.equal([...(await gpu.matmulF32(new Float32Array(0), new Float32Array(0), 2, 3, 0))], [0, 0, 0, 0, 0, 0]);
});

onGpu('matmul-f32 split into row chunks by a small binding limit gives the same result', async (gpu) => {
  // b is 30 x 40 = 4800 bytes; rows of a and c are split 30 at a time (4 dispatches).
  const small = new GpuKernels(gpu.device, { maxBindingBytes: 4800, poolBytes: 1024 });
  try {
    const a = floats(11, 100 * 30);
    const b = floats(12, 30 * 40);
    const split = await small.matmulF32(a, b, 100, 40, 30);
    assertWithin(gpuTolerance.checkMatmul(a, b, 100, 40, 30, split));
    assert.equal([...split], [...(await gpu.matmulF32(a, b, 100, 40, 30))]);
    const err = await rejects(small.matmulF32(floats(13, 100 * 31), floats(14, 31 * 40), 100, 40, 31));
    assert.instance(err, GpuError);
    assert.is((err as GpuError).code, 'too-large');
    assert.match((err as GpuError).message, /^b is 31 x 40 \(4960 bytes\) exceeds this device's largest storage binding of 4800 bytes/);
  } finally {
    small.dispose();
  }
});

for (const [op, name] of ['add', 'sub', 'mul', 'max', 'min', 'relu'].entries()) {
  onGpu(`map-f32 ${name} equals the reference on NaN, infinities, signed zeros and random values`, async (gpu) => {
    const { x, y, n } = specialPairs();
    const y2 = op === 5 ? undefined : y;
    assertWithin(gpuTolerance.checkMap(op, x, y2, n, await gpu.mapF32(op, x, y2, n)));
    const rx = floats(op + 100, 5000);
    const ry = op === 5 ? undefined : floats(op + 200, 5000);
    assertWithin(gpuTolerance.checkMap(op, rx, ry, 5000, await gpu.mapF32(op, rx, ry, 5000)));
  });
}

onGpu('map-f32 split into chunks by a small binding limit gives the same result', async (gpu) => {
  const small = new GpuKernels(gpu.device, { maxBindingBytes: 1024, poolBytes: 512 });
  try {
    const x = floats(21, 1000);
    const y = floats(22, 1000);
    assertWithin(gpuTolerance.checkMap(1, x, y, 1000, await small.mapF32(1, x, y, 1000)));
    assertWithin(gpuTolerance.checkMap(5, x, undefined, 1000, await small.mapF32(5, x, undefined, 1000)));
  } finally {
    small.dispose();
  }
});

onGpu('map-f32 with an unknown op rejects with GpuError bad-op and the kernels keep working', async (gpu) => {
  const x = Float32Array.of(1, 2);
  const err = await rejects(gpu.mapF32(6, x, x, 2));
  assert.instance(err, GpuError);
  assert.is((err as GpuError).code, 'bad-op');
  assert.match((err as GpuError).message, /^unknown map-f32 op 6; ops are: 0 add/);
  assert.equal([...(await gpu.mapF32(0, x, x, 2))], [2, 4]);
});

onGpu('concurrent calls queue up and each gets its own result', async (gpu) => {
  const jobs = [0, 1, 2, 3, 4, 5].map(async (i) => {
    const m = 8 + i * 5;
    const a = floats(300 + i, m * 19);
    const b = floats(400 + i, 19 * 23);
    const x = floats(500 + i, 777);
    const [c, o] = await Promise.all([gpu.matmulF32(a, b, m, 23, 19), gpu.mapF32(i % 6, x, x, 777)]);
    assertWithin(gpuTolerance.checkMatmul(a, b, m, 23, 19, c));
    assertWithin(gpuTolerance.checkMap(i % 6, x, x, 777, o));
  });
  await Promise.all(jobs);
});

test('matmul plans take 128-wide tiles when there are enough of them, vec4 when k and n allow', () => {
  const big = planMatmul(4096, 4096, 4096);
  assert.equal(big.variant, { tile: 128, vec4: true });
  assert.equal([big.groupsX, big.groupsY, ...big.dims], [32, 32, 4096, 4096, 4096, 512]);
  // 1024 x 1024 is 64 tiles of 128: too few for a large GPU, so 256 tiles of 64.
  const mid = planMatmul(1024, 1024, 1024);
  assert.equal(mid.variant, { tile: 64, vec4: true });
  assert.equal([mid.groupsX, mid.groupsY, mid.dims[3]], [16, 16, 64]);
  assert.equal(planMatmul(17, 33, 9).variant, { tile: 64, vec4: false });
  assert.equal(planMatmul(8, 12, 6).variant.vec4, false, 'k not a multiple of 4');
  assert.equal(planMatmul(8, 12, 6, 128).dims[3], 1, 'k steps of 8 for 128-wide tiles');
  assert.equal(planMatmul(8, 12, 17, 64).dims[3], 2, 'k steps of 16 for 64-wide tiles');
});

test('a sampled matmul check with as many samples as elements visits every element', () => {
  const [m, n, k] = [24, 40, 7];
  const a = floats(31, m * k);
  const b = floats(32, k * n);
  const ref = matmulF32Reference(a, b, m, n, k);
  const r = gpuTolerance.checkMatmulSample(a, b, m, n, k, ref, m * n);
  assert.ok(r.ok && r.checked === m * n && r.worst === 0, JSON.stringify(r));
  for (const at of [0, 1, 517, m * n - 1]) {
    const bad = ref.slice();
    bad[at] += 0.5;
    const rb = gpuTolerance.checkMatmulSample(a, b, m, n, k, bad, m * n);
    assert.ok(!rb.ok && rb.index === at, `the error at ${at} was missed`);
  }
});

// Partial tiles in every dimension, several k steps, and k shorter than one step, for each
// tile size and both load widths (vec4 needs k and n multiples of 4).
const TILED: [MatmulTile, number, number, number][] = [
  [64, 130, 132, 36], [64, 129, 131, 37], [64, 64, 64, 64], [64, 5, 7, 3],
  [128, 260, 264, 40], [128, 259, 131, 37], [128, 128, 128, 128], [128, 3, 4, 4],
];
for (const [tile, m, n, k] of TILED) {
  const loads = k % 4 === 0 && n % 4 === 0 ? 'vec4' : 'scalar';
  onGpu(`matmul-f32 on ${tile}-wide tiles with ${loads} loads, ${m}x${k} by ${k}x${n}, is within the tolerance`, async (gpu) => {
    const own = new GpuKernels(gpu.device, { matmulTile: tile });
    try {
      const a = floats(tile + m, m * k);
      const b = floats(tile + n + 1, k * n);
      assertWithin(gpuTolerance.checkMatmul(a, b, m, n, k, await own.matmulF32(a, b, m, n, k)));
    } finally {
      own.dispose();
    }
  });
}

onGpu('matmul-f32 gives NaN and infinity where the reference does, on both tile sizes', async (gpu) => {
  const [m, n, k] = [70, 68, 20];
  const a = floats(41, m * k);
  const b = floats(42, k * n);
  a[3 * k + 5] = Infinity; // row 3: inf * b, where b changes sign: inf, -inf or NaN
  a[9 * k + 0] = NaN; // row 9: NaN throughout
  b[7 * n + 11] = -Infinity; // column 11: -inf times a's signs
  b[2 * n + 40] = Infinity;
  a[50 * k + 2] = 0; // inf * 0 = NaN at c[50][40]
  for (const tile of [64, 128] as const) {
    const own = new GpuKernels(gpu.device, { matmulTile: tile });
    try {
      const c = await own.matmulF32(a, b, m, n, k);
      assertWithin(gpuTolerance.checkMatmul(a, b, m, n, k, c));
      assert.ok(Number.isNaN(c[50 * n + 40]) && Number.isNaN(c[9 * n + 1]), 'the NaNs are there');
    } finally {
      own.dispose();
    }
  }
});

onGpu('matmul-f32 on 128-wide tiles split into row chunks gives the same result as one dispatch', async (gpu) => {
  // b is 40 x 36 floats; a and c rows are split 40 at a time (5760 / (4 * 36)), 7 dispatches.
  const small = new GpuKernels(gpu.device, { maxBindingBytes: 5760, matmulTile: 128 });
  try {
    const a = floats(51, 270 * 40);
    const b = floats(52, 40 * 36);
    const split = await small.matmulF32(a, b, 270, 36, 40);
    assertWithin(gpuTolerance.checkMatmul(a, b, 270, 36, 40, split));
    assert.equal([...split], [...(await gpu.matmulF32(a, b, 270, 36, 40))]);
  } finally {
    small.dispose();
  }
});

onGpu('an input whose bytes come back is uploaded twice, then found on the GPU, and a change anywhere is seen', async (gpu) => {
  const own = new GpuKernels(gpu.device, { idleReleaseMs: 0 });
  try {
    // b has 10240 floats: the fingerprint reads every other word, so b[1] is unread by it.
    const [m, n, k] = [8, 160, 64];
    const b = floats(61, k * n);
    const run = async (seed: number) => {
      const a = floats(seed, m * k);
      const c = await own.matmulF32(a, b, m, n, k);
      assertWithin(gpuTolerance.checkMatmul(a, b, m, n, k, c));
      return own.stats();
    };
    assert.is((await run(1)).uploadsSkipped, 0, 'first sight: uploaded');
    assert.is((await run(2)).uploadsSkipped, 0, 'second sight: uploaded, and copied');
    const third = await run(3);
    assert.is(third.uploadsSkipped, 1, 'third sight: resident');
    assert.ok(third.residentBytes > 0);
    b[1] += 1;
    const changed = await run(4);
    assert.is(changed.uploadsSkipped, 1, 'the changed b was uploaded');
    assert.is(changed.bytesUploaded - third.bytesUploaded, (m * k + k * n) * 4);
    // The same bytes as a and b in one call are uploaded once.
    const before = own.stats().bytesUploaded;
    const sq = floats(62, 64 * 64);
    assertWithin(gpuTolerance.checkMatmul(sq, sq.slice(), 64, 64, 64, await own.matmulF32(sq, sq.slice(), 64, 64, 64)));
    assert.is(own.stats().bytesUploaded - before, 64 * 64 * 4);
  } finally {
    own.dispose();
  }
});

onGpu('with residentBytes 0 every input is uploaded every time', async (gpu) => {
  const own = new GpuKernels(gpu.device, { residentBytes: 0 });
  try {
    const a = floats(71, 16 * 16);
    for (let i = 0; i < 3; i++) assertWithin(gpuTolerance.checkMatmul(a, a, 16, 16, 16, await own.matmulF32(a, a, 16, 16, 16)));
    assert.is(own.stats().uploadsSkipped, 0);
  } finally {
    own.dispose();
  }
});

onGpu('calls of the same sizes reuse pooled buffers, and releaseCaches lets them all go', async (gpu) => {
  const own = new GpuKernels(gpu.device, { residentBytes: 0, idleReleaseMs: 0 });
  try {
    const x = floats(81, 3000);
    await own.mapF32(0, x, floats(89, 3000), 3000);
    const made = own.stats().buffersCreated;
    for (let i = 0; i < 3; i++) await own.mapF32(i, floats(82 + i, 3000), floats(90 + i, 3000), 3000);
    assert.is(own.stats().buffersCreated, made, 'no new buffers');
    assert.ok(own.stats().pooledBytes > 0);
    await own.releaseCaches();
    assert.equal([own.stats().pooledBytes, own.stats().residentBytes], [0, 0]);
    assertWithin(gpuTolerance.checkMap(1, x, x, 3000, await own.mapF32(1, x, x, 3000)));
  } finally {
    own.dispose();
  }
});

onGpu('pooled buffers and resident inputs are released after idleReleaseMs without a call', async (gpu) => {
  const own = new GpuKernels(gpu.device, { idleReleaseMs: 20 });
  try {
    const a = floats(91, 32 * 32);
    for (let i = 0; i < 3; i++) await own.matmulF32(a, a, 32, 32, 32);
    assert.ok(own.stats().residentBytes > 0 && own.stats().pooledBytes > 0);
    // Only the order of timers matters here: the release is due long before this wakes.
    await sleep(200);
    assert.equal([own.stats().pooledBytes, own.stats().residentBytes], [0, 0]);
  } finally {
    own.dispose();
  }
});

test.run();

