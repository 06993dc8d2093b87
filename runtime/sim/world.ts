/**
 * The ground truth a simulated cluster runs by: how fast each fragment of each job runs on
 * each hub at each moment, and what hubs advertise of it. Every workload family
 * (families.ts) is a World; the simulator, the oracle and the lower bound all read time
 * through it, and policies never see it.
 *
 * A fragment's work is in units (speed-1 ms: what yield points count, the same on every
 * hub); on hub h at time t it advances at `baseRate(job, f, h) * timeFactor(h, t)` units
 * per ms. `timeFactor` is piecewise constant and `nextChange` says where its pieces end,
 * so finishAt/workBetween integrate it exactly and the oracle's predictions are exact.
 *   const w = standardWorld();
 *   const end = finishAt(w, 1200, w.baseRate(job, f, hub), hub, now);   // ms
 */
import type { FragmentTemplate, SimHub } from './model.js';
import { loadAt } from './model.js';

/** What the world needs to know of a job: its size (its arguments' scale). */
export interface JobTraits { size: number }

export interface World {
  /** Family name, for reports. */
  readonly name: string;
  /** Units per ms of `f` on `h` at a time factor of 1 (hidden: speed, acceleration, memory). */
  baseRate(job: JobTraits, f: FragmentTemplate, h: SimHub): number;
  /** The time-varying part (background load, neighbours, drift): piecewise constant. */
  timeFactor(h: SimHub, t: number): number;
  /** The first time after `t` at which timeFactor(h, ·) may change (Infinity: never). */
  nextChange(h: SimHub, t: number): number;
  /** The largest timeFactor(h, ·) ever reaches: for the lower bound. */
  maxTimeFactor(h: SimHub): number;
  /** The CPU load `h` advertises at `t`: what its own load average shows of the load. */
  advertisedLoad(h: SimHub, t: number): number;
}

/** True acceleration of the standard world: AVX2 3x for simd code, a GPU 8x for gpu code. */
export function standardAcceleration(f: FragmentTemplate, h: SimHub): number {
  return (f.simd && h.avx2 ? 3 : 1) * (f.gpu && h.gpu ? 8 : 1);
}

/** The next edge of h's background load square wave after t. */
export function nextLoadEdge(h: SimHub, t: number): number {
  const p = h.load.amp === 0 ? -1 : (t / h.load.periodMs + h.load.phase) % 1;
  if (p < 0) return Infinity;
  const edge = t + ((p < 0.5 ? 0.5 : 1) - p) * h.load.periodMs;
  // Rounding can land on t itself; a hair later keeps integration moving.
  return edge > t ? edge : t + 1e-6;
}

/**
 * The standard world (docs/policy.md, family (e)): hubs run at their calibrated speed,
 * slowed by the background load they advertise; simd code runs 3x faster with AVX2, gpu
 * code 8x on a GPU; memory bandwidth does not matter.
 */
export function standardWorld(): World {
  return {
    name: 'standard',
    baseRate: (_job, f, h) => h.speed * standardAcceleration(f, h),
    timeFactor: (h, t) => 1 / (1 + loadAt(h, t)),
    nextChange: nextLoadEdge,
    maxTimeFactor: (h) => 1 / (1 + h.load.base),
    advertisedLoad: loadAt,
  };
}

/** When `units` of work at `rate` (units/ms at factor 1) started at `t0` on `h` end. */
export function finishAt(w: World, units: number, rate: number, h: SimHub, t0: number): number {
  let t = t0;
  let left = units;
  for (;;) {
    const r = rate * w.timeFactor(h, t);
    const end = w.nextChange(h, t);
    const span = end - t;
    if (r * span >= left) return t + left / r;
    left -= r * span;
    t = end;
  }
}

/** Units of work done at `rate` on `h` between t1 and t2. */
export function workBetween(w: World, rate: number, h: SimHub, t1: number, t2: number): number {
  let t = t1;
  let done = 0;
  while (t < t2) {
    const end = Math.min(t2, w.nextChange(h, t));
    done += rate * w.timeFactor(h, t) * (end - t);
    t = end;
  }
  return done;
}
