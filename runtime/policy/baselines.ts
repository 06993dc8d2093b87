/**
 * The heuristics a learned policy must beat, behind the same interface:
 * - stay: keep the fragment where its state is (the first hub when it has none);
 * - random, round-robin: the usual load-spreading defaults;
 * - least-loaded: the hub with the most free slots, then the least CPU;
 * - cost-model: a hand-tuned estimate of completion time (static cost over speed and
 *   load, the work queued ahead where the hub advertises it, moving the state, reading
 *   remote data), the best a person would write without measuring; it charges a hub
 *   that would queue the fragment for part of its run (see queueChargeMs).
 *   const p = costModel();  p.choose(fragment, hubs).hub
 */
import type { Decision, FragmentView, HubView, PlacementPolicy } from './types.js';
import { estimatedWorkMs, expectedWaitMs, queueChargeMs, remoteDataBytes, transferMs } from './estimates.js';

export { MS_PER_ESTIMATE_UNIT } from './estimates.js';
import { uniform } from '../util/index.js';

export function stayPolicy(): PlacementPolicy {
  return {
    name: 'stay',
    choose: (f, hubs) => ({ hub: (hubs.find((h) => h.id === f.at) ?? hubs[0]).id, policy: 'stay' }),
  };
}

/** `seed` makes runs repeatable (xorshift32). */
export function randomPolicy(seed = 1): PlacementPolicy {
  const next = uniform(seed);
  return { name: 'random', choose: (_f, hubs) => ({ hub: hubs[Math.floor(next() * hubs.length)].id, policy: 'random' }) };
}

export function roundRobinPolicy(): PlacementPolicy {
  let i = 0;
  return { name: 'round-robin', choose: (_f, hubs) => ({ hub: hubs[i++ % hubs.length].id, policy: 'round-robin' }) };
}

export function leastLoadedPolicy(): PlacementPolicy {
  return {
    name: 'least-loaded',
    choose: (_f, hubs) => {
      let best = hubs[0];
      const free = (h: HubView) => (h.slots - h.busy - h.queue) / Math.max(1, h.slots);
      for (const h of hubs) if (free(h) > free(best) || (free(h) === free(best) && h.cpu < best.cpu)) best = h;
      return { hub: best.id, policy: 'least-loaded' };
    },
  };
}

/** The part of the cost model's prediction for `f` on `h` that is running, ms. */
export function costModelRunMs(f: FragmentView, h: HubView): number {
  // A person's guesses: vector code a little faster with AVX2, GPU code faster on a GPU.
  const accel = (f.calls.simd && h.caps.avx2 ? 1.3 : 1) * (f.calls.gpu && h.caps.gpu ? 2 : 1);
  return (estimatedWorkMs(f) / Math.max(0.1, h.speed) / accel) * (1 + h.cpu);
}

/** The hand-tuned cost model's prediction for `f` on `h`, in ms; `run` is
 *  costModelRunMs(f, h), passed where the caller has it already (decisions score
 *  thousands of hubs: no object per hub). */
export function costModelMs(f: FragmentView, h: HubView, run = costModelRunMs(f, h)): number {
  const move = f.at === undefined || f.at === h.id ? 0 : transferMs(f.stateBytes, h);
  // Remote reads at the bandwidth from where the state is, not over the hub's own link
  // (`linkMbps`): that ignores the link of the hub the data comes from, and placed worse
  // (1,854 ms against 1,797 on the standard workload).
  return run + expectedWaitMs(h, run) + move + transferMs(remoteDataBytes(f, h), h);
}

/** Best of 0–1 for the cost model on the simulator's standard workload (0: 1,830 ms,
 *  0.25: 1,790, 0.4: 1,777, 0.5: 1,772, 0.75: 1,797, 1: 1,822). */
export const DEFAULT_COST_MODEL_QUEUE_CHARGE = 0.5;

export interface CostModelOptions {
  /** See queueChargeMs; 0 places each fragment where it is predicted to finish soonest. @default DEFAULT_COST_MODEL_QUEUE_CHARGE */
  queueCharge?: number;
}

export function costModelPolicy(opts: CostModelOptions = {}): PlacementPolicy {
  const charge = opts.queueCharge ?? DEFAULT_COST_MODEL_QUEUE_CHARGE;
  return {
    name: 'cost-model',
    choose: (f, hubs) => {
      let best = hubs[0];
      let bestMs = Infinity;
      let bestScore = Infinity;
      for (const h of hubs) {
        const run = costModelRunMs(f, h);
        const ms = costModelMs(f, h, run);
        const score = ms + queueChargeMs(h, run, charge);
        if (score < bestScore) { best = h; bestMs = ms; bestScore = score; }
      }
      return { hub: best.id, policy: 'cost-model', predictedMs: bestMs } satisfies Decision;
    },
  };
}

export const BASELINES = {
  stay: stayPolicy, random: randomPolicy, 'round-robin': roundRobinPolicy, 'least-loaded': leastLoadedPolicy, 'cost-model': costModelPolicy,
} as const;
export type BaselineName = keyof typeof BASELINES;
