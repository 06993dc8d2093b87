// A statistics and geometry library as users publish them: many small exports sharing
// module-level state that top-level code builds: a table of log-factorials, a sine
// table, a Map of named constants, a config object, and call counters. Samples are
// generated inside from a seed, so every export takes numbers only.
// test/all-exports.test.ts runs every export (test/programs/exports.json).
//   npx weave build test/programs/stats-lib.ts && npx weave run build/stats-lib.wasm 200 6 --entry hullSize

class Config {
  bins: i32 = 16;
  trim: f64 = 0.1;
  scale: f64 = 1.0;
}

const config = new Config();
const CONSTANTS = new Map<i32, f64>();
const LOG_FACT = new StaticArray<f64>(171);
const SINES = new Float64Array(1024);
let calls: i32 = 0;
let samplesMade: i64 = 0;

CONSTANTS.set(0, Math.PI);
CONSTANTS.set(1, Math.E);
CONSTANTS.set(2, (1.0 + Math.sqrt(5.0)) / 2.0);
CONSTANTS.set(3, Math.SQRT2);
for (let i = 1; i < LOG_FACT.length; i++) LOG_FACT[i] = LOG_FACT[i - 1] + Math.log(<f64>i);
for (let i = 0; i < SINES.length; i++) SINES[i] = Math.sin(2.0 * Math.PI * <f64>i / <f64>SINES.length);

/** `n` samples in [0, 100) scaled by the config, from a 64-bit LCG seeded with `seed`. */
function samples(n: i32, seed: i32): Float64Array {
  calls++;
  const out = new Float64Array(n);
  let s = <u64>seed * 0x9e3779b97f4a7c15 + 1;
  for (let i = 0; i < n; i++) {
    s = s * 6364136223846793005 + 1442695040888963407;
    out[i] = <f64>(s >>> 11) / <f64>(1 << 53) * 100.0 * config.scale;
  }
  samplesMade += n;
  return out;
}

/** Table sine with linear interpolation: what the geometry exports use. */
function tsin(x: f64): f64 {
  const turns = x / (2.0 * Math.PI);
  const pos = (turns - Math.floor(turns)) * <f64>SINES.length;
  const i = <i32>pos;
  const frac = pos - <f64>i;
  return SINES[i & 1023] * (1.0 - frac) + SINES[(i + 1) & 1023] * frac;
}

export function mean(n: i32, seed: i32): f64 {
  const xs = samples(n, seed);
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) sum += xs[i];
  return n > 0 ? sum / <f64>n : NaN;
}

/** Welford's one-pass sample variance. */
export function variance(n: i32, seed: i32): f64 {
  const xs = samples(n, seed);
  let m: f64 = 0, m2: f64 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i] - m;
    m += d / <f64>(i + 1);
    m2 += d * (xs[i] - m);
  }
  return n > 1 ? m2 / <f64>(n - 1) : 0;
}

/** The mean after dropping `config.trim` of the samples at each end. */
export function trimmedMean(n: i32, seed: i32): f64 {
  const xs = samples(n, seed);
  xs.sort();
  const drop = <i32>(<f64>n * config.trim);
  let sum: f64 = 0;
  for (let i = drop; i < n - drop; i++) sum += xs[i];
  return sum / <f64>(n - 2 * drop);
}

/** The p-th percentile (0..1) by linear interpolation between order statistics. */
export function percentile(n: i32, seed: i32, p: f64): f64 {
  const xs = samples(n, seed);
  xs.sort();
  const at = p * <f64>(n - 1);
  const lo = <i32>Math.floor(at);
  const hi = <i32>Math.ceil(at);
  return xs[lo] + (xs[hi] - xs[lo]) * (at - <f64>lo);
}

/** The fullest of `config.bins` histogram bins (lowest index on ties). */
export function histogramPeak(n: i32, seed: i32): i32 {
  const xs = samples(n, seed);
  const counts = new Int32Array(config.bins);
  const width = 100.0 * config.scale / <f64>config.bins;
  for (let i = 0; i < n; i++) counts[min(<i32>(xs[i] / width), config.bins - 1)]++;
  let best = 0;
  for (let b = 1; b < config.bins; b++) if (counts[b] > counts[best]) best = b;
  return best;
}

/** Changes the histogram's bin count for later calls in the same instance; returns the old one. */
export function setBins(bins: i32): i32 {
  if (bins < 1 || bins > 4096) throw new Error("bins out of range: " + bins.toString());
  const old = config.bins;
  config.bins = bins;
  return old;
}

/** log(n choose k) from the log-factorial table, exponentiated. */
export function binomial(n: i32, k: i32): f64 {
  return Math.round(Math.exp(LOG_FACT[n] - LOG_FACT[k] - LOG_FACT[n - k]));
}

/** A named constant by id (0 pi, 1 e, 2 phi, 3 sqrt 2); unknown ids trap, as Map.get does. */
export function constant(id: i32): f64 {
  return CONSTANTS.get(id);
}

/** Area of a regular polygon with `sides` sides on a circle of radius `r`, by table sine. */
export function polygonArea(sides: i32, r: f32): f32 {
  return <f32>(0.5 * <f64>sides * <f64>r * <f64>r * tsin(2.0 * Math.PI / <f64>sides));
}

/** Points on the convex hull (Andrew's monotone chain) of `n` generated points. */
export function hullSize(n: i32, seed: i32): i32 {
  const xs = samples(n, seed);
  const ys = samples(n, seed + 1);
  const idx = new Array<i32>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  // Comparators cannot capture locals in AssemblyScript: the coordinates go through globals.
  samplesX = xs;
  samplesY = ys;
  idx.sort((a: i32, b: i32): i32 => {
    const px = samplesX!, py = samplesY!;
    return px[a] < px[b] ? -1 : px[a] > px[b] ? 1 : py[a] < py[b] ? -1 : py[a] > py[b] ? 1 : 0;
  });
  if (n < 3) return n;
  const hull = new Array<i32>(2 * n);
  let k = 0;
  for (let j = 0; j < n; j++) {
    while (k >= 2 && cross(xs, ys, hull[k - 2], hull[k - 1], idx[j]) <= 0) k--;
    hull[k++] = idx[j];
  }
  for (let j = n - 2, lower = k + 1; j >= 0; j--) {
    while (k >= lower && cross(xs, ys, hull[k - 2], hull[k - 1], idx[j]) <= 0) k--;
    hull[k++] = idx[j];
  }
  return k - 1;
}

let samplesX: Float64Array | null = null;
let samplesY: Float64Array | null = null;

function cross(xs: Float64Array, ys: Float64Array, o: i32, a: i32, b: i32): f64 {
  return (xs[a] - xs[o]) * (ys[b] - ys[o]) - (ys[a] - ys[o]) * (xs[b] - xs[o]);
}

export function isPrime(n: u32): bool {
  if (n < 2) return false;
  for (let d: u32 = 2; d * d <= n; d++) if (n % d == 0) return false;
  return true;
}

export function clamp(x: f32, lo: f32, hi: f32): f32 {
  return x < lo ? lo : x > hi ? hi : x;
}

/** A 64-bit mixer (splitmix64's finaliser) applied `rounds` times. */
export function mix64(x: u64, rounds: i32): u64 {
  for (let i = 0; i < rounds; i++) {
    x += 0x9e3779b97f4a7c15;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
    x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
    x ^= x >> 31;
  }
  return x;
}

/** Samples weighted by `w`, plus `bias`, the seed's bits shifted by `shift` mixed in: one frame of every width. */
export function weightedSum(n: i32, seed: i64, w: f32, bias: f64, shift: u8): f64 {
  const xs = samples(n, <i32>(seed >> shift));
  let sum: f64 = bias;
  for (let i = 0; i < n; i++) sum += <f64>(<f32>xs[i] * w);
  return sum + <f64>(seed & 0xff);
}

/** Partitions of n into parts of at most `largest`: the export recursing on itself. */
export function partitions(n: i32, largest: i32): i64 {
  if (n == 0) return 1;
  let count: i64 = 0;
  for (let k = min(n, largest); k >= 1; k--) count += partitions(n - k, k);
  return count;
}

/** Calls of the sample generator and samples made so far in this instance, packed. */
export function usage(n: i32): i64 {
  if (n > 0) mean(n, 1);
  return (<i64>calls << 32) | samplesMade;
}
