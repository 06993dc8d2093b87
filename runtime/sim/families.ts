/**
 * Workload families: the standard world and four where the hand-tuned cost model's
 * assumptions are wrong, each a World (world.ts) over the same clusters and the same
 * programs (the examples' fragments as `weave build` describes them). docs/policy.md
 * gives each one's generative model and why it is plausible; nothing here is visible to
 * a policy except through what hubs advertise and what runs measure.
 *   const fam = FAMILIES.find((f) => f.key === 'b')!;
 *   const world = fam.world(cluster, { seed: 1, horizonMs: 60_000 });
 *   simulate(policy, { cluster, programs, world, sizeSigma: fam.sizeSigma, ... });
 */
import type { FragmentTemplate, SimHub } from './model.js';
import { rng } from './model.js';
import { standardAcceleration, standardWorld, type World } from './world.js';

export type FamilyKey = 'a' | 'b' | 'c' | 'd' | 'e';

export interface Family {
  key: FamilyKey;
  name: string;
  /** One line: what differs from what the cost model assumes. */
  summary: string;
  /** Spread of job sizes (lognormal sigma of the arguments' scale). */
  sizeSigma: number;
  world(cluster: { hubs: readonly SimHub[] }, opts: { seed: number; horizonMs: number }): World;
}

/** Speed-up of each simd host kernel with AVX2 (compute-bound kernels gain most; a sum streams memory). */
const AVX2_KERNEL = { 'matmul-f32': 6, 'dot-f32': 3, 'sum-f32': 1.1 } as const;
/** GPU: 12x on the arithmetic, behind a launch-and-copy overhead that small calls do not amortize. */
const GPU_PEAK = 12;
const GPU_OVERHEAD = 0.3;

/** Which simd kernels a template calls, from its program (the examples' real calls). */
const KERNELS: Record<string, Array<keyof typeof AVX2_KERNEL>> = {
  simd: ['matmul-f32', 'dot-f32'], // power iteration: simd.matmul (A v) and simd.dot
  data: ['sum-f32'], // mean of a dataset: simd.sum over what data.read returns
};

const programOf = (f: FragmentTemplate) => f.template.slice(0, f.template.indexOf('#'));

/**
 * (a) The true speed-up of accelerated code, per program and size: for simd code, the
 * geometric mean of its kernels' AVX2 speed-ups; for gpu code, 1 / (overhead / size² +
 * 1 / 12): 0.2x at a quarter of the usual size, 2.6x at the usual, 9.8x at four times it.
 */
export function acceleratorSpeedup(f: FragmentTemplate, size: number, h: SimHub): number {
  let s = 1;
  if (f.simd && h.avx2) {
    const ks = KERNELS[programOf(f)] ?? ['dot-f32'];
    s *= Math.exp(ks.reduce((n, k) => n + Math.log(AVX2_KERNEL[k]), 0) / ks.length);
  }
  if (f.gpu && h.gpu) s *= 1 / (GPU_OVERHEAD / (size * size) + 1 / GPU_PEAK);
  return s;
}

/**
 * (c) Share of each program's time that waits on memory on the reference machine, from
 * what its fragments do (the examples' code): a naive triple loop with strided column
 * reads, string splitting and Map lookups, a streamed dataset, against small arrays of
 * arithmetic and host kernels.
 */
export const MEMORY_BOUND: Record<string, number> = { matmul: 0.6, particles: 0.2, wordfreq: 0.8, simd: 0.3, gpu: 0.2, data: 0.9 };

/** Piecewise-constant extra slowdowns per hub: sorted, disjoint [start, end) intervals. */
interface Episodes { start: Float64Array; end: Float64Array; slow: Float64Array }

function episodeAt(e: Episodes, t: number): number {
  // Last episode starting at or before t.
  let lo = 0, hi = e.start.length - 1, at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (e.start[mid] <= t) { at = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return at;
}

/** A standard world whose time factor is further divided by `extra(h, t)`, changing at `edges`. */
function withExtra(name: string, base: World, extra: (h: SimHub, t: number) => number, edge: (h: SimHub, t: number) => number, best: (h: SimHub) => number, baseRate?: World['baseRate']): World {
  return {
    name,
    baseRate: baseRate ?? base.baseRate,
    timeFactor: (h, t) => base.timeFactor(h, t) / extra(h, t),
    nextChange: (h, t) => Math.min(base.nextChange(h, t), edge(h, t)),
    maxTimeFactor: (h) => base.maxTimeFactor(h) / best(h),
    advertisedLoad: base.advertisedLoad,
  };
}

export const FAMILIES: readonly Family[] = [
  {
    key: 'a', name: 'accelerators', sizeSigma: 0.7,
    summary: 'accelerated code gains per program and per call size: simd 1.1x-4.2x, GPU 0.2x (small calls) to 10x (cost model: 1.3x, 2x)',
    world: () => ({ ...standardWorld(), name: 'accelerators', baseRate: (job, f, h) => h.speed * acceleratorSpeedup(f, job.size, h) }),
  },
  {
    key: 'b', name: 'noisy-neighbours', sizeSigma: 0.3,
    summary: 'on 60% of hubs a co-tenant comes and goes (on a third of the time), slowing them 1.5-4x; their adverts do not show it',
    world: (cluster, { seed, horizonMs }) => {
      const r = rng(seed + 0xb0b);
      const episodes = new Map<SimHub, Episodes>();
      for (const h of cluster.hubs) {
        const start: number[] = [], end: number[] = [], slow: number[] = [];
        if (r() < 0.6) {
          let t = -Math.log(1 - r()) * 40_000 * r(); // already part-way through an off period
          while (t < horizonMs * 3 + 600_000) {
            const on = -Math.log(1 - r()) * 20_000;
            start.push(t); end.push(t + on); slow.push(1.5 + r() * 2.5);
            t += on + -Math.log(1 - r()) * 40_000;
          }
        }
        episodes.set(h, { start: Float64Array.from(start), end: Float64Array.from(end), slow: Float64Array.from(slow) });
      }
      const extra = (h: SimHub, t: number) => {
        const e = episodes.get(h)!;
        const i = episodeAt(e, t);
        return i >= 0 && t < e.end[i] ? e.slow[i] : 1;
      };
      const edge = (h: SimHub, t: number) => {
        const e = episodes.get(h)!;
        const i = episodeAt(e, t);
        if (i >= 0 && t < e.end[i]) return e.end[i];
        return i + 1 < e.start.length ? e.start[i + 1] : Infinity;
      };
      return withExtra('noisy-neighbours', standardWorld(), extra, edge, () => 1);
    },
  },
  {
    key: 'c', name: 'memory-bound', sizeSigma: 0.3,
    summary: 'time = memory-bound share / memory bandwidth + the rest / CPU speed; bandwidth (0.5-2) is independent of the advertised CPU speed',
    world: () => ({
      ...standardWorld(), name: 'memory-bound',
      baseRate: (_job, f, h) => {
        const m = MEMORY_BOUND[programOf(f)] ?? 0.5;
        return standardAcceleration(f, h) / (m / h.memSpeed + (1 - m) / h.speed);
      },
    }),
  },
  {
    key: 'd', name: 'drift', sizeSigma: 0.3,
    summary: 'at 40% of the run a third of the hubs throttle to 0.25-0.5x and a sixth speed up 1.5-2x; their calibrated speed stays as advertised',
    world: (cluster, { seed, horizonMs }) => {
      const r = rng(seed + 0xd41f7);
      const at = horizonMs * 0.4;
      const after = new Map<SimHub, number>();
      for (const h of cluster.hubs) {
        const u = r();
        after.set(h, u < 1 / 3 ? 1 / (0.25 + r() * 0.25) : u < 0.5 ? 1 / (1.5 + r() * 0.5) : 1);
      }
      // `extra` divides the time factor: > 1 slower, < 1 faster.
      return withExtra('drift', standardWorld(), (h, t) => (t < at ? 1 : after.get(h)!), (_h, t) => (t < at ? at : Infinity), (h) => Math.min(1, after.get(h)!));
    },
  },
  {
    key: 'e', name: 'standard', sizeSigma: 0.3,
    summary: 'the standard mixed workload: advertised load, AVX2 3x and GPU 8x for all such code; the cost model is about right',
    world: () => standardWorld(),
  },
];

/** The family with `key`; throws listing the keys when there is none. */
export function family(key: string): Family {
  const f = FAMILIES.find((x) => x.key === key || x.name === key);
  if (!f) throw new Error(`no workload family '${key}'; families are: ${FAMILIES.map((x) => `${x.key} (${x.name})`).join(', ')}`);
  return f;
}
