/**
 * The heuristics a learned policy must beat, behind the same interface:
 * - stay: keep the fragment where its state is (the first hub when it has none);
 * - random, round-robin: the usual load-spreading defaults;
 * - least-loaded: the hub with the most free slots, then the least CPU;
 * - cost-model: a hand-tuned estimate of completion time (static cost over speed and
 *   load, queueing, moving the state, reading remote data), the best a person would
 *   write without measuring.
 *   const p = costModel();  p.choose(fragment, hubs).hub
 */
import type { Decision, FragmentView, HubView, PlacementPolicy } from './types.js';
import { remoteDataBytes, transferMs } from './features.js';
import { uniform } from './random.js';

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

/** Milliseconds per unit of weave build's static estimate on a speed-1 hub (hand-tuned). */
export const MS_PER_ESTIMATE_UNIT = 1e-3;

/** The hand-tuned cost model's prediction for `f` on `h`, in ms. */
export function costModelMs(f: FragmentView, h: HubView): number {
  // Measured history when there is some, the static estimate before.
  const work = f.measuredMs ?? f.estimate * MS_PER_ESTIMATE_UNIT;
  // A person's guesses: vector code a little faster with AVX2, GPU code faster on a GPU.
  const accel = (f.calls.simd && h.caps.avx2 ? 1.3 : 1) * (f.calls.gpu && h.caps.gpu ? 2 : 1);
  const run = (work / Math.max(0.1, h.speed) / accel) * (1 + h.cpu);
  const waiting = h.busy >= h.slots ? (h.queue + 1) * run : 0;
  const move = f.at === undefined || f.at === h.id ? 0 : transferMs(f.stateBytes, h);
  return run + waiting + move + transferMs(remoteDataBytes(f, h), h);
}

export function costModelPolicy(): PlacementPolicy {
  return {
    name: 'cost-model',
    choose: (f, hubs) => {
      let best = hubs[0];
      let bestMs = Infinity;
      for (const h of hubs) {
        const ms = costModelMs(f, h);
        if (ms < bestMs) { best = h; bestMs = ms; }
      }
      return { hub: best.id, policy: 'cost-model', predictedMs: bestMs } satisfies Decision;
    },
  };
}

export const BASELINES = {
  stay: stayPolicy, random: randomPolicy, 'round-robin': roundRobinPolicy, 'least-loaded': leastLoadedPolicy, 'cost-model': costModelPolicy,
} as const;
export type BaselineName = keyof typeof BASELINES;
