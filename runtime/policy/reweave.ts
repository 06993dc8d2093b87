/**
 * Stay or move for a running job, behind one interface (ReweavePolicy in types.ts): the
 * fixed rule engines use by default (runtime/engine/reweave.ts: 1.5x the pace, two views
 * in a row, 3 s between moves), here over HubViews so the simulator and a hub
 * (`hub start --reweave fixed`, runtime/hub/weaving.ts) run it beside the learned one
 * (weaver.ts), and the safety limit every hub applies to both.
 *   const rw = fixedReweavePolicy();
 *   if (movesAllowed(run)) { const d = rw.consider(run, holder, hubs, now); if (d.to) move(d.to); }
 */
import type { HubView, ReweaveDecision, ReweavePolicy, RunView } from './types.js';

/** The safety limit: moves of one job in any minute. */
export const DEFAULT_MOVES_PER_MINUTE = 4;

/** True while `run` may still move under a limit of `perMinute` moves a minute. */
export function movesAllowed(run: Pick<RunView, 'movesLastMinute'>, perMinute = DEFAULT_MOVES_PER_MINUTE): boolean {
  return run.movesLastMinute < perMinute;
}

export interface FixedReweaveOptions {
  /** How much faster a candidate must be. @default 1.5 */
  gain?: number;
  /** Consecutive views that must agree. @default 2 */
  confirm?: number;
  /** Least time between moves of one job, and from its start. @default 3000 */
  cooldownMs?: number;
  /** Views are adverts, fresh once a second. @default 1000 */
  everyMs?: number;
}

/** Relative pace of `h` for one more job: calibrated speed times the share of a slot it can give. */
export function paceOf(h: HubView, hosting: boolean): number {
  if (h.slots <= 0) return h.speed;
  const runs = h.busy + h.queue + (hosting ? 0 : 1);
  return h.speed * Math.min(1, h.slots / Math.max(1, runs));
}

/** Jobs whose streak the rule remembers; the oldest go first. */
const MAX_STREAKS = 10_000;

/**
 * The fixed rule: move to the candidate with the best pace when it is `gain` times the
 * holder's on `confirm` consecutive views and the job has not moved for `cooldownMs`.
 * Its "probability" is 1 for a candidate past the gain and 0 otherwise: it has no other.
 */
export function fixedReweavePolicy(opts: FixedReweaveOptions = {}): ReweavePolicy {
  const gain = opts.gain ?? 1.5;
  const confirm = opts.confirm ?? 2;
  const cooldownMs = opts.cooldownMs ?? 3000;
  const streaks = new Map<string, { to: string; n: number }>();
  return {
    name: 'fixed-reweave',
    everyMs: opts.everyMs ?? 1000,
    consider(run, holder, hubs): ReweaveDecision {
      let best: HubView | undefined;
      for (const h of hubs) if (h.id !== holder.id && (!best || paceOf(h, false) > paceOf(best, false))) best = h;
      const here = paceOf(holder, true);
      if (!best || paceOf(best, false) < gain * here) {
        streaks.delete(run.job);
        return { policy: 'fixed-reweave', options: best ? [{ hub: best.id, p: 0, predictedMs: NaN }] : [] };
      }
      const s = streaks.get(run.job);
      const n = s && s.to === best.id ? s.n + 1 : 1;
      streaks.delete(run.job);
      const options = [{ hub: best.id, p: 1, predictedMs: NaN }];
      if (n < confirm || run.sinceMs < cooldownMs || !movesAllowed(run)) {
        streaks.set(run.job, { to: best.id, n });
        if (streaks.size > MAX_STREAKS) streaks.delete(streaks.keys().next().value!);
        return { policy: 'fixed-reweave', options };
      }
      return { to: best.id, policy: 'fixed-reweave', options };
    },
  };
}
