/**
 * What a hub's look measures, against the truth: the pace a window shows is the true
 * pace times a factor. Most windows are within a few percent; now and then one in which
 * the machine starved the slot reads far slower (every hub on a busy machine sees such
 * windows, and no advert shows them). The simulator applies it to what looks measure
 * (SimOptions.windowNoise), never to the work done.
 *   const factor = windowFactors(BUSY_MACHINE, seed);   ...   measured = done * factor();
 */
import { rng } from './model.js';

export interface WindowNoise {
  /** Chance that a window was starved, and the range its factor is drawn from. */
  starved: number;
  low: number;
  high: number;
  /** Any other window: lognormal with this sigma. */
  jitter: number;
}

/**
 * A busy small machine (this project's 2-core CI, three test files beside the hubs): one
 * window in twenty at a tenth to a half of the pace. A guess, not a measured distribution.
 */
export const BUSY_MACHINE: WindowNoise = { starved: 0.05, low: 0.1, high: 0.5, jitter: 0.05 };

/** A stream of window factors (1 when `noise` is absent), from its own seed so the instance's other draws stay put. */
export function windowFactors(noise: WindowNoise | undefined, seed: number): () => number {
  if (!noise) return () => 1;
  const r = rng(seed + 0x4e015e);
  return () => {
    if (r() < noise.starved) return noise.low + (noise.high - noise.low) * r();
    // Box-Muller: a standard normal from two uniforms.
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    return Math.exp(noise.jitter * z);
  };
}
