/**
 * Keeps a learned policy honest: a share of decisions (chosen at random) goes to a
 * baseline instead, and both are scored on what their decisions cost relative to the
 * fragment's typical duration. When the learned policy does measurably worse than the
 * baseline, every decision falls back to the baseline (still sending the holdback share
 * to the learned one, so it can earn its way back).
 *   const p = withHoldback(new LearnedPolicy(), costModelPolicy(), { share: 0.05 });
 */
import type { Decision, FragmentView, HubView, PlacementPolicy } from './types.js';
import { uniform } from '../util/index.js';

export interface HoldbackOptions {
  /** Share of decisions sent to the side that is not in charge. @default 0.05 */
  share?: number;
  /** Fall back when the learned side's mean relative cost exceeds the baseline's by this factor. @default 1.05 */
  margin?: number;
  /** Outcomes each side needs before the comparison counts. @default 50 */
  minSamples?: number;
  seed?: number;
}

export interface HoldbackPolicy extends PlacementPolicy {
  /** Which side places most decisions now. */
  readonly inCharge: 'learned' | 'baseline';
  /** Mean relative cost of each side's decisions so far (lower is better). */
  scores(): { learned: number; baseline: number; learnedN: number; baselineN: number };
}

export function withHoldback(learned: PlacementPolicy, baseline: PlacementPolicy, opts: HoldbackOptions = {}): HoldbackPolicy {
  const share = opts.share ?? 0.05;
  const margin = opts.margin ?? 1.05;
  const minSamples = opts.minSamples ?? 50;
  const rand = uniform(opts.seed ?? 7);
  // Exponential moving averages of cost / typical cost, per side.
  const ema = { learned: 1, baseline: 1 };
  const n = { learned: 0, baseline: 0 };
  let inCharge: 'learned' | 'baseline' = 'learned';
  /** Typical duration per template, to compare decisions about different fragments. */
  const typical = new Map<string, number>();

  return {
    name: `${learned.name}+holdback`,
    get inCharge() { return inCharge; },
    scores: () => ({ learned: ema.learned, baseline: ema.baseline, learnedN: n.learned, baselineN: n.baseline }),
    choose(f: FragmentView, hubs: readonly HubView[]): Decision {
      const side = rand() < share ? (inCharge === 'learned' ? 'baseline' : 'learned') : inCharge;
      const d = (side === 'learned' ? learned : baseline).choose(f, hubs);
      return { ...d, policy: side === 'learned' ? learned.name : baseline.name };
    },
    observe(f: FragmentView, hub: HubView, ms: number, decision?: Decision): void {
      // The learned policy learns from every outcome, whoever decided.
      learned.observe?.(f, hub, ms, decision);
      baseline.observe?.(f, hub, ms, decision);
      const t = typical.get(f.template);
      typical.set(f.template, t === undefined ? ms : t * 0.95 + ms * 0.05);
      if (t === undefined || !decision) return;
      const side = decision.policy === learned.name ? 'learned' : 'baseline';
      const rel = ms / Math.max(1e-6, t);
      n[side]++;
      ema[side] = n[side] === 1 ? rel : ema[side] * 0.98 + rel * 0.02;
      if (n.learned >= minSamples && n.baseline >= minSamples) {
        if (inCharge === 'learned' && ema.learned > ema.baseline * margin) inCharge = 'baseline';
        else if (inCharge === 'baseline' && ema.learned * margin < ema.baseline) inCharge = 'learned';
      }
    },
  };
}
